"""Wording shared by sections 3 and 4: country names, counted nouns, spans, rate ratios.

Also the one-paragraph section of a country a section does not apply to.
"""

from __future__ import annotations

from osa_analysis.analyse.maritime import CONFIDENCE_PCT
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section
from osa_analysis.core.dates import iso_date

NAMES_WITH_ARTICLE = frozenset({"PHL"})
"""Countries whose short name takes "the" in running text."""


def country_name(ctx: BriefContext) -> str:
    """Return the country's short name for running text ("the Philippines", "Fiji")."""
    try:
        name = str(ctx.country["country_name"])
    except (KeyError, TypeError):
        name = ctx.country_iso3
    return f"the {name}" if ctx.country_iso3 in NAMES_WITH_ARTICLE else name


def count_noun(count: int, noun: str, plural: str | None = None) -> str:
    """Return "1 incident" / "3 incidents"."""
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def year_span(first: int, last: int) -> str:
    """Return "2021" or "2019 to 2023"."""
    return str(first) if first == last else f"{first} to {last}"


def capitalised(text: str) -> str:
    """Return ``text`` with its first letter upper-cased."""
    return text[:1].upper() + text[1:]


def rate_ratio_text(rr: dict) -> str:
    """Format a rate-ratio dict: '0.48 (95% CI 0.32–0.71)'; handles 0, inf and NA."""
    if rr["current"] == 0 and rr["previous"] == 0:
        return "not defined (no incidents in either period)"
    if rr["previous"] == 0:
        return f"not finite (none in the previous period; 95% CI lower bound {rr['low']:.2f})"
    if rr["current"] == 0:
        return f"0 (95% CI 0–{rr['high']:.2f})"
    return f"{rr['estimate']:.2f} ({CONFIDENCE_PCT}% CI {rr['low']:.2f}–{rr['high']:.2f})"


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
