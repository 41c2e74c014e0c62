"""Words of the misuse and diversion section, in the edition's language.

Codes of the analysis map to messages; the analysis' English phrases (notes, base-rate
reasons, trip-wire labels and evidence) are rewritten through the message they were made from
(:func:`rephrase`). Split from :mod:`osa_analysis.brief.diversion`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from osa_analysis.analyse.diversion import INDICATORS
from osa_analysis.brief.numbers import date_text
from osa_analysis.core.countries import country_name
from osa_analysis.core.i18n import N_, REFERENCE, _, language, tr

FLAGGED = ("possibly critical", "critical")
"""Ratings that flag a criterion."""

DATA_MESSAGES = (
    ("data/risk/diversion.yaml", "criteria[].label"),
    ("data/risk/diversion.yaml", "criteria[].framework"),
    ("data/risk/diversion.yaml", "criteria[].short"),
    ("data/risk/diversion.yaml", "criteria_out_of_scope[].label"),
    ("data/risk/diversion.yaml", "criteria_out_of_scope[].reason"),
    ("data/risk/diversion.yaml", "scenarios[].label"),
    ("data/risk/diversion.yaml", "scenarios[].qualitative_rationale"),
    ("data/risk/diversion.yaml", "controls.*.label"),
    ("data/risk/diversion.yaml", "yardstick.name"),
    ("data/risk/diversion.yaml", "yardstick.terms[].term"),
    ("data/risk/diversion.yaml", "relevance.no_equipment"),
)
"""Texts of the method file the section shows (through :func:`~osa_analysis.core.i18n.tr`)."""


# --------------------------------------------------------------------------------------------
# words of the method's codes, in the current language
# --------------------------------------------------------------------------------------------

RATING_WORDS = {
    "not critical": N_("not critical"),
    "possibly critical": N_("possibly critical"),
    "critical": N_("critical"),
    "not computable": N_("not computable"),
}
"""The criterion ratings (and the register's "not computable")."""
TREND_WORDS = {
    "worse": N_("worse"),
    "better": N_("better"),
    "unchanged": N_("unchanged"),
    "not computable": N_("not computable"),
}
LEVEL_WORDS = {
    "none": N_("none"),
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
    "negligible": N_("negligible"),
    "not applicable": N_("not applicable"),
    "not computable": N_("not computable"),
}
"""Equipment relevance levels and residual-risk classes."""
CONFIDENCE_WORDS = {"H": N_("H"), "M": N_("M"), "L": N_("L")}
"""Confidence levels as the tables write them (H, M, L)."""
STATUS_WORDS = {
    "triggered": N_("triggered"),
    "not triggered": N_("not triggered"),
    "not computable": N_("not computable"),
}
"""Trip-wire statuses."""
EQUIPMENT_WORDS = {
    "radar": N_("radar"),
    "patrol_boat": N_("patrol boat"),
    "rescue_boat": N_("rescue boat"),
    "rigid_inflatable_boat": N_("rigid inflatable boat"),
    "uav": N_("uav"),
    "diving_support_vessel": N_("diving support vessel"),
    "heavy_machinery": N_("heavy machinery"),
    "infrastructure": N_("infrastructure"),
    "ais": N_("ais"),
    "air_traffic_control_radar": N_("air traffic control radar"),
    "underwater_camera": N_("underwater camera"),
    "other": N_("other"),
}
"""Equipment categories of ``osa_projects.csv`` (in English: the code, "_" read as a space)."""
REGION_WORDS = {
    "Africa": N_("Africa"),
    "Americas": N_("Americas"),
    "Asia": N_("Asia"),
    "Europe": N_("Europe"),
    "Middle East": N_("Middle East"),
}
"""UCDP regions (the pooled reference rates)."""


def word(words: Mapping[str, str], code: object) -> str:
    """Return the word of a code in the current language (a method-file text: :func:`tr`)."""
    if code in words:
        return _(words[code])
    return str(tr(code))


def rating_word(rating: object) -> str:
    """Return a criterion rating in the current language."""
    return word(RATING_WORDS, rating)


def level_word(level: object) -> str:
    """Return a relevance level or residual class in the current language."""
    return word(LEVEL_WORDS, level)


def confidence_word(level: object) -> str:
    """Return a confidence level (H, M, L) in the current language."""
    return word(CONFIDENCE_WORDS, level)


def status_word(status: object) -> str:
    """Return a trip-wire status in the current language."""
    return word(STATUS_WORDS, status)


def term_word(term: object) -> str:
    """Return a yardstick term (``remote`` ... ``almost certain``) in the current language."""
    return str(tr(term))


def equipment_word(category: str) -> str:
    """Return an equipment category in the current language ("rigid inflatable boat")."""
    return (
        _(EQUIPMENT_WORDS[category]) if category in EQUIPMENT_WORDS else category.replace("_", " ")
    )


def indicator_label(name: str) -> str:
    """Return an indicator's label in the current language."""
    return _(INDICATORS[name]["label"])


def shown_name(iso3: str) -> str:
    """Return the country's name as the text shows it (its catalog translation, if any)."""
    return str(tr(country_name(iso3)))


def _ja() -> bool:
    return language() != REFERENCE


def joined(items: Sequence[str], sep: str = "; ") -> str:
    """Join list items: ``"; "`` or ``", "`` in English, "；" or "、" in Japanese."""
    if _ja():
        sep = {"; ": "；", ", ": "、"}.get(sep, sep)
    return sep.join(items)


def sentences(parts: Sequence[str]) -> str:
    """Join sentences: with spaces in English, without in Japanese."""
    return ("" if _ja() else " ").join(p for p in parts if p)


def _dash() -> str:
    return "〜" if _ja() else "–"


def _in_brackets(text: str) -> str:
    """Return a sentence to put in brackets (without its final "。" in Japanese)."""
    return text.removesuffix("。") if _ja() else text


# --------------------------------------------------------------------------------------------
# the analysis' English phrases, in the current language
# --------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NUMBER_PARTS = {"recent": r"\d[\d.]*", "previous": r"\d[\d.]*"}
"""Parts that are numbers (where a name before them may hold spaces: "ReCAAP/IMB live feed")."""


@cache
def _pattern(template: str) -> re.Pattern:
    parts, pos = [], 0
    for m in _PLACEHOLDER.finditer(template):
        group = _NUMBER_PARTS.get(m.group(1), ".+?")
        parts += [re.escape(template[pos : m.start()]), f"(?P<{m.group(1)}>{group})"]
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("".join(parts), re.DOTALL)


def matched(text: str, templates: Sequence[str]) -> tuple[str, dict[str, str]] | None:
    """Return the first template an English text was made from, with the parts it filled."""
    for template in templates:
        m = _pattern(template).fullmatch(text)
        if m:
            return template, m.groupdict()
    return None


def _dates(value: str) -> str:
    """ISO dates (one, or a list joined by ", ") in the current language's form."""
    items = value.split(", ")
    if not all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in items):
        return value
    return joined([date_text(v) for v in items], ", ")


PARTS: dict[str, Callable[[str], str]] = {
    "name": lambda v: str(tr(v)),
    "channel": lambda v: str(tr(v)),
    "regime": lambda v: _(v),
    "region": lambda v: word(REGION_WORDS, v),
}
"""How a part of a phrase is shown (default: dates in the current language's form)."""


def rephrase(text: object, templates: Sequence[str]) -> object:
    """Return an English phrase of the analysis in the current language.

    ``templates`` are the messages the analysis' phrases follow (``{name}`` placeholders);
    the first one the text matches is translated and filled with the parts of the text
    (country names through the catalog, dates in the language's form). English, and a text
    no template matches, are returned unchanged.
    """
    if not isinstance(text, str) or not _ja():
        return text
    found = matched(text, templates)
    if found is None:
        return text
    template, parts = found
    return _(template).format(**{k: PARTS.get(k, _dates)(v) for k, v in parts.items()})


NOTES = (
    N_("UCDP does not list {name} as a state in {year}"),
    N_("no World Bank population for {name} within {years} years of {year}"),
    N_("UCDP has {name} for only {n} of the years {first}–{last}"),
    N_("V-Dem has no regime code for {name} in {first}–{last}"),
    N_("V-Dem does not cover {name}"),
    N_("WGI has no estimate for {name} in {first}–{last}"),
    N_("not a South China Sea claimant and fewer than {n} SCSDI events with it as an actor"),
    N_("SCSDI starts in {year}"),
    N_("curated current flag; no history is kept"),
)
"""Why an indicator is missing or not applicable (:mod:`.analyse.diversion.indicators`)."""
BASE_RATE_REASONS = (
    N_("UCDP does not list {name} as a state"),
    N_("{name} enters the state system in {start}, after {year}"),
    N_("no exposure before the coup data end"),
    N_("UCDP Organized Violence has no rows for {name}"),
)
"""Why a scenario has no own base rate (the qualitative ones: the method file's rationale)."""
REFERENCE_LABELS = (
    N_("all states"),
    N_("states in UCDP region {region}"),
    N_("states rated {regime} by V-Dem"),
)
"""The pooled reference rates (:mod:`~osa_analysis.analyse.diversion.scenarios`)."""
BASES = (
    N_("judgement, no base rate"),
    N_("the country's own base rate"),
    N_("no own base rate"),
    N_("the logistic model selected by the backtest ({version})"),
)
"""What a scenario's likelihood rests on (``likelihood_basis``)."""
TRIPWIRE_LABELS = (
    N_("New UCDP armed conflict with the state as primary party"),
    N_("Coup attempt in the last {months} months of the coup data"),
    N_("Ongoing V-Dem autocratization episode (or one starting in the latest year)"),
    N_("WGI political stability fell by more than its 90% interval"),
    N_("Rise in gray-zone events (SCSDI) beyond the exact Poisson interval"),
    N_("Rise in piracy and armed robbery beyond the exact Poisson interval"),
)
TRIPWIRE_EVIDENCE = (
    N_("UCDP does not list {name}"),
    N_(
        "conflicts with {name} as primary party: {n} in {year}, {n_before} in {year_before}; "
        "none new"
    ),
    N_(
        "conflicts with {name} as primary party: {n} in {year}, {n_before} in {year_before}; "
        "new: {conflicts}"
    ),
    N_(
        "Powell & Thyne attempts from {start} to {end}: {n} ({dates}); the coup data end "
        "{lag} years before as_of, later attempts are not covered"
    ),
    N_(
        "Powell & Thyne attempts from {start} to {end}: {n}; the coup data end {lag} years "
        "before as_of, later attempts are not covered"
    ),
    N_("Powell & Thyne attempts from {start} to {end}: {n} ({dates})"),
    N_("Powell & Thyne attempts from {start} to {end}: {n}"),
    N_("V-Dem has no {year} row for {name}"),
    N_("V-Dem does not cover {name}"),
    N_(
        "in an autocratization episode in {year} (V-Dem ERT), since {start} — it starts in "
        "the latest year"
    ),
    N_("in an autocratization episode in {year} (V-Dem ERT), since {start}"),
    N_("no autocratization episode in {year} (V-Dem ERT)"),
    N_("WGI has no political-stability estimates for {name} in {year} and an earlier year"),
    N_("{year_before} {before} → {year} {now}: change {change}, 90% threshold ±{threshold}"),
    N_("SCSDI covers the South China Sea only; {name} is not a claimant and is rarely an actor"),
    N_("SCSDI years too few"),
    N_(
        "{n} events in {year} vs a {first}–{last} mean of {mean}; 95% interval of the "
        "{count_year} count {low}–{high}"
    ),
    N_("no incident table given"),
    N_(
        "the reporting channels cover the recent 12 months and the previous {years} years "
        "unequally (share of days covered: {shares})"
    ),
    N_(
        "{n} incidents in the 12 months to {end} vs a mean of {mean} a year over the "
        "previous {years} years; 95% interval of the recent count {low}–{high}"
    ),
)
"""The trip-wires' evidence (:mod:`~osa_analysis.analyse.diversion.tripwires`)."""
CHANNEL_SHARE = N_("{channel} {recent}% vs {previous}%")
"""One reporting channel's share of days covered (trip-wire T6)."""
TRIPWIRE_SOURCES_SHOWN = (N_("incident table (ASAM, IMB, ReCAAP, live feed)"),)
"""The trip-wire sources that are not proper names."""


def note_text(note: object) -> object:
    """Return why an indicator is missing or not applicable, in the current language."""
    return rephrase(note, NOTES)


def base_rate_reason(reason: object) -> object:
    """Return why a scenario has no own base rate, in the current language."""
    if isinstance(reason, str) and matched(reason, BASE_RATE_REASONS) is None:
        return tr(reason)  # a qualitative scenario: the method file's rationale
    return rephrase(reason, BASE_RATE_REASONS)


def reference_label(label: str) -> object:
    """Return the name of a pooled reference rate in the current language."""
    return rephrase(label, REFERENCE_LABELS)


def basis_text(basis: object) -> object:
    """Return what a likelihood rests on (``likelihood_basis``) in the current language."""
    return rephrase(basis, BASES)


def tripwire_label(t: Mapping[str, Any]) -> str:
    """Return a trip-wire's label in the current language."""
    return str(rephrase(t["label"], TRIPWIRE_LABELS))


def tripwire_evidence(t: Mapping[str, Any]) -> str:
    """Return a trip-wire's evidence in the current language."""
    evidence = t["evidence"]
    if not _ja() or not isinstance(evidence, str):
        return evidence
    found = matched(evidence, TRIPWIRE_EVIDENCE)
    if found is None:
        return evidence
    template, parts = found
    shown = {k: PARTS.get(k, _dates)(v) for k, v in parts.items()}
    if "shares" in parts:
        shares = parts["shares"].split("; ")
        shown["shares"] = joined([str(rephrase(s, (CHANNEL_SHARE,))) for s in shares])
    if "conflicts" in parts:
        shown["conflicts"] = joined(parts["conflicts"].split("; "))
    return _(template).format(**shown)


def tripwire_source(source: str) -> str:
    """Return a trip-wire's source in the current language (names stay as published)."""
    return _(source)


# --------------------------------------------------------------------------------------------
# indicator records and criterion evidence, in the current language
# --------------------------------------------------------------------------------------------
