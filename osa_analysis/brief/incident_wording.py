"""Wording shared by sections 3 and 4: country names, counted nouns, spans, rate ratios.

Also the one-paragraph section of a country a section does not apply to, the names of the
reporting channels and the joins of clauses and lists in the current language.
"""

from __future__ import annotations

from collections.abc import Iterable

from osa_analysis.analyse.channels import COVERAGE_GROUPS
from osa_analysis.analyse.maritime import CONFIDENCE_PCT
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.numbers import range_text
from osa_analysis.brief.section import Section
from osa_analysis.core.dates import iso_date
from osa_analysis.core.i18n import N_, REFERENCE, _, language, tr

DATA_MESSAGES = (("data/recipients/countries.yaml", "countries[].name"),)
"""The recipients' names (shown in the current language by :func:`country_name`)."""

NAMES_WITH_ARTICLE = frozenset({"PHL"})
"""Countries whose short name takes "the" in running text."""

COUNTED_NOUNS: dict[str, tuple[str, str]] = {
    "year": (N_("{n} year"), N_("{n} years")),
    "event": (N_("{n} event"), N_("{n} events")),
    "incident": (N_("{n} incident"), N_("{n} incidents")),
    "piracy or armed-robbery incident": (
        N_("{n} piracy or armed-robbery incident"),
        N_("{n} piracy or armed-robbery incidents"),
    ),
    "piracy or armed-robbery event": (
        N_("{n} piracy or armed-robbery event"),
        N_("{n} piracy or armed-robbery events"),
    ),
    "other hostile act": (N_("{n} other hostile act"), N_("{n} other hostile acts")),
}
"""Nouns :func:`count_noun` counts in every language: singular and plural message."""

CHANNEL_LABELS = {
    "asam": N_("NGA ASAM"),
    "imb": N_("IMB Crime at Sea"),
    "recaap": N_("ReCAAP OpenMap"),
    "live": N_("ReCAAP/IMB live feed"),
}
"""Shown names of the reporting channels (keys of ``channels.COVERAGE_GROUPS``)."""


INCIDENTS_HEADER = N_("number of incidents")
"""Header of a column or axis of incident counts in other languages than English."""


def incidents_header() -> str:
    """Return the header of a column (or axis) of incident counts: "incidents" in English.

    The message "incidents" is the unit of a count ("39 incidents": 件 in Japanese), so a
    header has its own message ("件数") in the other languages.
    """
    return "incidents" if language() == REFERENCE else _(INCIDENTS_HEADER)


def country_name(ctx: BriefContext) -> str:
    """Return the country's short name for running text ("the Philippines", "Fiji").

    In another language than English: the name in that language (no article).
    """
    try:
        name = str(ctx.country["country_name"])
    except (KeyError, TypeError):
        name = ctx.country_iso3
    if language() != REFERENCE:
        return str(tr(name))
    return f"the {name}" if ctx.country_iso3 in NAMES_WITH_ARTICLE else name


def count_noun(count: int, noun: str, plural: str | None = None) -> str:
    """Return "1 incident" / "3 incidents" (in the current language for :data:`COUNTED_NOUNS`)."""
    if noun in COUNTED_NOUNS and plural is None:
        one, many = COUNTED_NOUNS[noun]
        return _(one if count == 1 else many).format(n=count)
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def year_span(first: int, last: int) -> str:
    """Return "2021" or "2019 to 2023" ("2019〜2023" in Japanese)."""
    return str(first) if first == last else range_text(str(first), str(last))


def capitalised(text: str) -> str:
    """Return ``text`` with its first letter upper-cased."""
    return text[:1].upper() + text[1:]


def channel_label(group: str, label: str | None = None) -> str:
    """Return the shown name of a reporting channel (``group`` of ``COVERAGE_GROUPS``)."""
    default = COVERAGE_GROUPS[group][0] if group in COVERAGE_GROUPS else (label or group)
    return _(CHANNEL_LABELS.get(group, default))


def join_sentences(*sentences: str) -> str:
    """Join sentences: with a space in English, directly in Japanese (「。」 ends each)."""
    parts = [s for s in sentences if s]
    return ("" if language() == "ja" else " ").join(parts)


def join_clauses(parts: Iterable[str]) -> str:
    """Join clauses that stand apart: "; " in English, "；" in Japanese."""
    return ("；" if language() == "ja" else "; ").join(parts)


def join_and(items: Iterable[str]) -> str:
    """Join names: "A and B and C" in English (as the brief writes it), "A、B、C" in Japanese."""
    items = list(items)
    if language() == "ja":
        return ("と" if len(items) == 2 else "、").join(items)
    return " and ".join(items)


def join_comma(items: Iterable[str]) -> str:
    """Join names: "A, B" in English, "A、B" in Japanese."""
    return ("、" if language() == "ja" else ", ").join(items)


def rate_ratio_text(rr: dict) -> str:
    """Format a rate-ratio dict: '0.48 (95% CI 0.32–0.71)'; handles 0, inf and NA."""
    if rr["current"] == 0 and rr["previous"] == 0:
        return _("not defined (no incidents in either period)")
    if rr["previous"] == 0:
        return _("not finite (none in the previous period; 95% CI lower bound {low})").format(
            low=f"{rr['low']:.2f}"
        )
    if rr["current"] == 0:
        return _("0 (95% CI 0–{high})").format(high=f"{rr['high']:.2f}")
    return _("{estimate} ({pct}% CI {low}–{high})").format(
        estimate=f"{rr['estimate']:.2f}",
        pct=CONFIDENCE_PCT,
        low=f"{rr['low']:.2f}",
        high=f"{rr['high']:.2f}",
    )


def not_applicable_section(ctx: BriefContext, key: str, text: str, reason: str) -> Section:
    """Build a section that says why it does not apply (no figures, no sources)."""
    values = {
        "applicable": False,
        "reason": reason,
        "country_iso3": ctx.country_iso3,
        "as_of": iso_date(ctx.as_of),
        "key_figures": [],
    }
    return Section(
        key=key, title=registry.heading(key, ""), markdown=text, values=values, sources=[]
    )
