"""Section "OSA misuse and diversion risk", conditioned on the equipment supplied.

Presents :func:`osa_analysis.analyse.diversion.assess` (brief-anchors Part B section 8, A4):
a plain-language summary first, then the criterion matrix (EU Common Position criteria 2,
3, 4, 7; ATT Art. 7(1)(a), 7(1)(b)(i)-(ii), Art. 11; Japan's Three Principles legal test
and empirical UCDP flag, shown apart), the scenario register S1-S6 with likelihoods from
base rates, equipment relevance from the OSA project table and residual risk, the trip-wires,
and a heat strip of the criterion ratings across the peers
(:mod:`osa_analysis.brief.diversion_figures`). The method version of
``data/risk/diversion.yaml`` is stated.

Every edition is written from the same analysis. The analysis keeps its English evidence
texts (``summary.json`` holds them); the other editions show them rewritten from the
records (:func:`indicator_text`, :func:`criterion_evidence`) or through the message of the
phrase they were made from (:func:`rephrase`: :func:`tripwire_label`,
:func:`tripwire_evidence`, :func:`note_text`...). The texts of the method file are
translated through :func:`~osa_analysis.core.i18n.tr` (:data:`DATA_MESSAGES`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

import pandas as pd

from osa_analysis.analyse.backtest import (
    BACKTEST_SOURCES,
    assess_with_selected_models,
    country_record,
    load_backtest_config,
    record_summary,
    track_record,
)
from osa_analysis.analyse.diversion import INDICATORS, MISSING, OP_SYMBOLS, DiversionResult
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.diversion_figures import heat_strip
from osa_analysis.brief.numbers import date_text, range_text
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.brief.track_record import (
    reliability_figure,
    track_record_lead,
    track_record_markdown,
    track_record_table,
    track_record_values,
)
from osa_analysis.core.countries import country_name
from osa_analysis.core.i18n import N_, REFERENCE, _, language, tr

KEY = "diversion"
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


def _fmt(value: float | int | None, digits: int = 0) -> str:
    return fmt_num(value, digits)


def _flagged(text: str, rec: Mapping[str, Any]) -> str:
    if rec["status"] == "carried forward":
        return _("{text} [carried forward]").format(text=text)
    return text


def _record_text(rec: Mapping[str, Any]) -> str:
    """One evidence phrase with the numbers of an indicator record (current language)."""
    name, label, year = rec["name"], indicator_label(rec["name"]), rec["year"]
    if rec["status"] in MISSING:
        return _("{label}: missing ({note})").format(label=label, note=note_text(rec["note"]))
    if rec["status"] == "not applicable":
        return _("{label}: not applicable ({note})").format(
            label=label, note=note_text(rec["note"])
        )
    if name == "legal_unsc_measures":
        return (_("{label}: yes") if rec["value"] else _("{label}: no")).format(label=label)
    if year is None:
        return _("{label}: {value}").format(label=label, value=_fmt(rec["value"]))
    if name.startswith("wgi_"):
        return _flagged(
            _("{label} {value} ({year}), 90% band {low} to {high}").format(
                label=label,
                value=_fmt(rec["value"], 2),
                year=year,
                low=_fmt(rec["low"], 2),
                high=_fmt(rec["high"], 2),
            ),
            rec,
        )
    if name == "vdem_regime":
        return _flagged(
            _(
                "V-Dem regime {regime} ({year}); electoral democracy index {polyarchy} "
                "(interval {low}–{high})"
            ).format(
                regime=_(rec["regime_label"]),
                year=year,
                polyarchy=_fmt(rec["polyarchy"], 3),
                low=_fmt(rec["polyarchy_low"], 3),
                high=_fmt(rec["polyarchy_high"], 3),
            ),
            rec,
        )
    if name == "vdem_autocratization":
        text = (
            _("V-Dem autocratization episode ({year}): yes, since {start}").format(
                year=year, start=rec["episode_start"]
            )
            if rec["value"]
            else _("V-Dem autocratization episode ({year}): no").format(year=year)
        )
        return _flagged(text, rec)
    if name == "gov_osv_deaths":
        return _("{label} ({year}): {value} (UCDP best; low–high {low}–{high})").format(
            label=label,
            year=year,
            value=_fmt(rec["value"]),
            low=_fmt(rec["low"]),
            high=_fmt(rec["high"]),
        )
    if name in ("gov_osv_per_million", "sb_deaths_per_million"):
        text = _(
            "{label} ({year}): {value} ({deaths} deaths, population {population} million in "
            "{population_year})"
        ).format(
            label=label,
            year=year,
            value=_fmt(rec["value"], 2),
            deaths=_fmt(rec["deaths"]),
            population=_fmt(rec["population_millions"], 1),
            population_year=rec["population_year"],
        )
        if rec.get("population_carried"):
            text = _("{text} [population carried forward]").format(text=text)
        return text
    if name == "coup_attempts_10y":
        return _("{label} ({start} to {end}): {value}").format(
            label=label,
            start=date_text(rec["window"][0]),
            end=date_text(rec["window"][1]),
            value=_fmt(rec["value"]),
        )
    if name == "grayzone_mean_3y" or name.endswith(("_5y", "_10y")):
        return _("{label}, {first}–{last}: {value}").format(
            label=label,
            first=rec["first_year"],
            last=year,
            value=_fmt(rec["value"], 1 if name == "grayzone_mean_3y" else 0),
        )
    listed = joined([c["opponent"] for c in rec.get("conflicts") or []])
    if listed:
        return _("{label} ({year}): {value} ({conflicts})").format(
            label=label, year=year, value=_fmt(rec["value"]), conflicts=listed
        )
    return _("{label} ({year}): {value}").format(label=label, year=year, value=_fmt(rec["value"]))


def indicator_text(rec: Mapping[str, Any]) -> str:
    """Return an indicator's evidence phrase (the analysis' own in English)."""
    return rec["text"] if not _ja() else _record_text(rec)


def met_text(met: Mapping[str, Any]) -> str:
    """Return a condition that holds, as the criterion evidence names it."""
    parts = {
        "level": rating_word(met["level"]),
        "indicator": indicator_label(met["indicator"]),
        "op": OP_SYMBOLS[met["op"]],
        "threshold": f"{met['threshold']:g}",
    }
    if met["field"] == "high":
        return _("{level}: {indicator} (upper end of the 90% band) {op} {threshold}").format(
            **parts
        )
    if met["field"] == "low":
        return _("{level}: {indicator} (lower end of the 90% band) {op} {threshold}").format(
            **parts
        )
    return _("{level}: {indicator} {op} {threshold}").format(**parts)


def _evidence_text(c: Mapping[str, Any]) -> str:
    parts = {
        "indicators": joined([_record_text(i) for i in c["indicators"]]),
        "conditions": joined([met_text(m) for m in c["met"]]),
        "missing": joined(list(c["missing"]), ", "),
    }
    if c["met"] and c["missing"]:
        return _("{indicators}. Met: {conditions}. Missing: {missing}.").format(**parts)
    if c["met"]:
        return _("{indicators}. Met: {conditions}.").format(**parts)
    if c["missing"]:
        return _("{indicators}. Missing: {missing}.").format(**parts)
    return _("{indicators}.").format(**parts)


def criterion_evidence(c: Mapping[str, Any]) -> str:
    """Return a criterion row's evidence (the analysis' own in English)."""
    return c["evidence"] if not _ja() else _evidence_text(c)


# --------------------------------------------------------------------------------------------
# formatting helpers
# --------------------------------------------------------------------------------------------


def _pct(value: float | None, digits: int = 1) -> str:
    """Return a probability in percent for ``values`` (English: the key figures' sentences)."""
    return "n/a" if value is None else f"{100 * value:.{digits}f}%"


def likelihood_text(s: dict, h: str) -> str:
    """One horizon's likelihood: the yardstick word, the probability and its interval.

    A probability of the model the backtest selects says so; a scenario without a base rate
    carries no number: "judgement, no base rate" and the project's stated judgement.
    """
    if s[f"probability_{h}"] is None:
        judgement = s.get(f"judgement_{h}")
        basis = basis_text(s["likelihood_basis"])
        if not judgement:
            return str(basis)
        return _("{basis} (judged {term})").format(basis=basis, term=term_word(judgement))
    model = s.get(f"model_{h}") or {}
    parts = {
        "term": term_word(s[f"yardstick_{h}"]),
        "probability": f"{100 * s[f'probability_{h}']:.1f}%",
        "interval": _pct_range(s[f"likelihood_{h}"]),
        "raised": _(RAISED),
    }
    by_model = model.get("probability") is not None
    if model.get("raised_to_12m"):
        if by_model:
            return _(
                "{term}: {probability} (95% interval {interval}; logistic model; {raised})"
            ).format(**parts)
        return _("{term}: {probability} (95% interval {interval}; {raised})").format(**parts)
    if by_model:
        return _("{term}: {probability} (95% interval {interval}; logistic model)").format(**parts)
    return _("{term}: {probability} (95% interval {interval})").format(**parts)


def _pct_range(rng: list[float] | None) -> str:
    if not rng:
        return _("n/a")
    return f"{100 * rng[0]:.1f}{_dash()}{100 * rng[1]:.1f}%"


def indicator_value_text(rec: dict) -> str:
    """Format an indicator's value for a table cell (missing values say so)."""
    if rec["status"] in ("missing", "no history"):
        return _("missing")
    if rec["status"] == "not applicable":
        return _("not applicable")
    name = rec["name"]
    if name == "vdem_regime":
        return _("{value} ({regime})").format(value=rec["value"], regime=_(rec["regime_label"]))
    if name.startswith("wgi_") or name.endswith("_per_million"):
        return fmt_num(rec["value"], 2)
    if name == "grayzone_mean_3y":
        return fmt_num(rec["value"], 1)
    if name == "legal_unsc_measures":
        return _("yes") if rec["value"] else _("no")
    return fmt_num(rec["value"])


def condition_text(met: dict) -> str:
    """Plain words for a condition that holds, e.g. "WGI rule of law (whole 90% band) < 0"."""
    band = (met["field"] == "high" and met["op"] in ("<", "<=")) or met["field"] == "low"
    parts = {
        "indicator": indicator_label(met["indicator"]),
        "op": OP_SYMBOLS[met["op"]],
        "threshold": f"{met['threshold']:g}",
    }
    if band:
        return _("{indicator} (whole 90% band) {op} {threshold}").format(**parts)
    return _("{indicator} {op} {threshold}").format(**parts)


def _interval_text(rec: dict, interval: list | None) -> str:
    if not interval or interval[0] is None:
        return "–"
    digits = 2 if rec["name"].startswith("wgi_") or rec["name"].endswith("_per_million") else 0
    return range_text(fmt_num(interval[0], digits), fmt_num(interval[1], digits))


def _trend_text(c: dict, shift: int) -> str:
    if c["trend"] == "not computable":
        return _("n/a (no rating {years} years earlier)").format(years=shift)
    if c["trend"] == "unchanged":
        return _("unchanged")
    return _("{trend} (was {rating})").format(
        trend=word(TREND_WORDS, c["trend"]), rating=rating_word(c["rating_then"])
    )


def _own_rate_text(sc: dict) -> str:
    own = sc["base_rate"]
    if own is None:
        return _("own: not computable ({reason})").format(
            reason=base_rate_reason(sc["base_rate_missing_reason"])
        )
    dash = _dash()
    if own["method"] == "poisson":
        return _("own: {events} in {years} years = {rate}/yr (95% {interval})").format(
            events=own["events"],
            years=f"{own['years']:.1f}",
            rate=f"{own['rate_per_year']:.4f}",
            interval=f"{own['interval'][0]:.4f}{dash}{own['interval'][1]:.4f}",
        )
    return _("own: {events} of {years} years = {rate} (95% {interval})").format(
        events=own["events"],
        years=own["years"],
        rate=f"{own['rate_per_year']:.3f}",
        interval=f"{own['interval'][0]:.3f}{dash}{own['interval'][1]:.3f}",
    )


def _reference_text(ref: dict) -> str:
    parts = {
        "label": reference_label(ref["label"]),
        "first": ref["window"][0],
        "last": ref["window"][1],
        "rate": f"{ref['rate_per_year']:.4f}",
    }
    if ref["method"] == "poisson":
        return _("{label} {first}–{last}: {rate}/yr").format(**parts)
    return _("{label} {first}–{last}: {rate} of years").format(**parts)


def base_rate_text(sc: dict) -> str:
    """One table cell describing a scenario's base rates (own and references)."""
    if sc["method"] == "qualitative":
        steps = [m for m in sc["modifiers"] if m["holds"]]
        if not steps:
            return _("qualitative yardstick (no data)")
        return _("qualitative yardstick (no data); raised by: {conditions}").format(
            conditions=joined([condition_text(m) for m in steps])
        )
    parts = [_own_rate_text(sc), *(_reference_text(ref) for ref in sc["references"])]
    mods = [m for m in sc["modifiers"] if m.get("rate_multiplier") and m["holds"]]
    if mods:
        parts.append(
            _("gray-zone modifier ×{multiplier} on the upper rate").format(
                multiplier=f"{mods[0]['rate_multiplier']:g}"
            )
        )
    return joined(parts)


def _relevance_text(rel: dict) -> str:
    overall = level_word(rel["overall"])
    cats = {k: v for k, v in rel.items() if k != "overall"}
    if not cats:
        return overall
    listed = joined(
        [
            _("{category}: {level}").format(category=equipment_word(k), level=level_word(v))
            for k, v in cats.items()
        ]
    )
    return _("{overall} ({categories})").format(overall=overall, categories=listed)


# --------------------------------------------------------------------------------------------
# values (in English whatever the language: summary.json holds the reference edition's)
# --------------------------------------------------------------------------------------------


def scenario_values(scenarios: list[dict]) -> list[dict]:
    """Scenarios as shown: the overall relevance joins the relevance by category."""
    out = []
    for s in scenarios:
        s = dict(s)
        s["equipment_relevance"] = {
            **s["equipment_relevance"],
            "overall": s.pop("equipment_relevance_overall"),
        }
        out.append(s)
    return out


def overall_values(overall: dict) -> dict:
    """Return the overall rating as shown (``rating``: the highest criterion rating)."""
    return {
        "rating": overall["highest_criterion_rating"],
        "criteria": overall["criteria_at_highest"],
        "n_rated": overall["n_rated"],
        "n_flagged": overall["n_flagged"],
        "n_critical": overall["n_critical"],
        "n_not_computable": overall["n_not_computable"],
        "residual_highest": overall["residual_highest"],
        "residual_scenarios": overall["residual_scenarios"],
    }


RAISED = N_(
    "raised to the 12-month probability (the 36-month model gave less; a 36-month window "
    "holds the 12-month one)"
)
"""Said of a 36-month probability :func:`osa_analysis.analyse.backtest.coherent` raised."""


def model_text(model: dict | None) -> str:
    """Describe the selected model behind a probability (empty for the own base rate).

    English: the text of the key figure's sentence (``values``).
    """
    if not model or model.get("probability") is None:
        return ""
    coups = model.get("coups_data_year")
    coups_text = (
        f" (coup attempts to {coups})" if coups is not None and coups < model["data_year"] else ""
    )
    return (
        f"logistic model ({model['method_version']}): data to {model['data_year']}"
        f"{coups_text}, {model['lead_years']} years before the window; fitted on "
        f"{model['training_rows']:,} country-years {model['training_years'][0]}–"
        f"{model['training_years'][1]} ({model['training_events']} events)"
        + (f"; {RAISED}" if model.get("raised_to_12m") else "")
    )


COUP_LABELS = {
    True: N_("Chance of at least one coup attempt in 36 months (logistic model)"),
    False: N_("Chance of at least one coup attempt in 36 months (own base rate)"),
}
"""Label of the coup key figure (by whether the selected model gives the probability)."""
CRITERIA_LABEL = N_("Misuse criteria rated possibly critical or critical")
OWN_RATE_INTERVAL = N_("exact Poisson 95% on the country's own rate")
KEY_FIGURE_PHRASES = (
    N_("attempts: {n} in {years} years"),
    N_("{n} five years earlier (same rules)"),
    N_("{level}% from the fit (Laplace approximation)"),
)
"""The key figures' ``change_text`` and ``interval_kind`` phrases (:func:`key_figure_text`)."""
KEY_FIGURE_TEXTS = (N_("95% from the fit (Laplace approximation)"), N_("criteria"))
"""Fixed texts of the key figures (the model's interval kind, a unit), for :func:`tr`."""


def _coup_key_figure(name: str, scenarios: list[dict]) -> dict | None:
    s2 = next((s for s in scenarios if s["id"] == "S2"), None)
    if s2 is None or s2["base_rate"] is None or s2["probability_36m"] is None:
        return None
    own = s2["base_rate"]
    p36, interval = s2["probability_36m"], s2["likelihood_36m"]
    model = model_text(s2.get("model_36m"))
    refs = "; ".join(
        f"the rate of {r['label']} ({r['window'][0]}–{r['window'][1]}) gives "
        f"{r['probability_pct']['36m']:.1f}%"
        for r in s2["references"]
    )
    basis = f"the {model}, gives" if model else "so the own base rate gives"
    own_p = (s2["own_probability"] or {}).get("36m")
    own_text = f"; the own base rate alone gives {_pct(own_p['point'])}" if model and own_p else ""
    return {
        "id": "coup_attempt_probability_36m",
        "label": COUP_LABELS[bool(model)],
        "value": 100 * p36,
        "unit": "%",
        "interval": [100 * v for v in interval],
        "interval_kind": s2["model_36m"]["interval_kind"] if model else OWN_RATE_INTERVAL,
        "change": None,
        "change_text": f"attempts: {own['events']} in {own['years']:.1f} years",
        "significant": None,
        "sentence": (
            f"Powell & Thyne record {own['events']} coup attempts in {name} in "
            f"{own['years']:.1f} years to {own['data_date']}; {basis} a chance of at least "
            f"one attempt in 36 months of {_pct(p36)} (95% interval "
            f"{_pct(interval[0])} to {_pct(interval[1])}){own_text}"
            + (f"; {refs}" if refs else "")
            + f" — {s2['yardstick_36m']} on the PHIA yardstick."
        ),
    }


def _criteria_key_figure(name: str, overall: dict, criteria: list[dict]) -> dict:
    flagged = [c for c in criteria if c["rating"] in FLAGGED]
    then = sum(c["rating_then"] in FLAGGED for c in criteria)
    return {
        "id": "criteria_flagged",
        "label": CRITERIA_LABEL,
        "value": overall["n_flagged"],
        "unit": "criteria",
        "interval": None,
        "interval_kind": None,
        "change": then,
        "change_text": f"{then} five years earlier (same rules)",
        "significant": None,
        "sentence": (
            f"{overall['n_flagged']} of {overall['n_rated']} misuse and diversion criteria "
            f"are rated possibly critical or critical for {name}"
            + (
                f" ({', '.join(c['short'] for c in flagged)}); the highest rating is "
                f"{overall['rating']}"
                if flagged
                else ""
            )
            + f" ({then} five years earlier)."
        ),
    }


def key_figures(name: str, scenarios: list[dict], overall: dict, criteria: list[dict]) -> list:
    """Return the key figures: the coup-attempt chance (when computable), flagged criteria."""
    coup = _coup_key_figure(name, scenarios)
    return [*([coup] if coup else []), _criteria_key_figure(name, overall, criteria)]


def key_figure_text(kf: Mapping[str, Any]) -> dict[str, Any]:
    """Return a key figure of this section with its shown texts in the current language.

    ``label``, ``change_text`` and ``interval_kind`` are translated (the values keep the
    English; the key-figures table shows these).
    """
    return {
        **kf,
        "label": _(kf["label"]) if kf.get("label") else kf.get("label"),
        "change_text": rephrase(kf.get("change_text"), KEY_FIGURE_PHRASES),
        "interval_kind": rephrase(
            kf.get("interval_kind"), (OWN_RATE_INTERVAL, *KEY_FIGURE_PHRASES)
        ),
    }


def section_values(result: DiversionResult) -> dict:
    """Every value the section shows (``summary.json`` under ``diversion``)."""
    scenarios = scenario_values(result.scenarios)
    overall = overall_values(result.overall)
    values = {
        "method_version": result.method_version,
        "config_sha256": result.config_sha256,
        "country": result.country,
        "as_of": result.as_of.strftime("%Y-%m-%d"),
        "criteria": result.criteria,
        "criteria_out_of_scope": result.criteria_out_of_scope,
        "scenarios": scenarios,
        "tripwires": result.tripwires,
        "peers_matrix": result.peers,
        "overall_rating": overall,
        "equipment": result.equipment,
        "trend_shift_years": result.config["trend"]["shift_years"],
        "yardstick": {
            "name": result.config["yardstick"]["name"],
            "terms": {t["term"]: list(t["range"]) for t in result.config["yardstick"]["terms"]},
            "terms_pct": {
                t["term"]: [100 * v for v in t["range"]]
                for t in result.config["yardstick"]["terms"]
            },
        },
    }
    name = country_name(result.country)
    values["key_figures"] = key_figures(name, scenarios, overall, result.criteria)
    return values


# --------------------------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------------------------


def _short(c: Mapping[str, Any]) -> str:
    return esc(tr(c["short"]))


def _criteria_summary(name: str, criteria: list[dict], overall: dict) -> str:
    flagged = [c for c in criteria if c["rating"] in FLAGGED]
    if not flagged:
        return _(
            "**Summary.** None of the {n} criteria rated is possibly critical or critical for "
            "{name}."
        ).format(n=overall["n_rated"], name=esc(name))
    by_rating: dict[str, list[str]] = {}
    for c in flagged:
        by_rating.setdefault(c["rating"], []).append(_short(c))
    parts = joined(
        [
            _("{rating}: {criteria}").format(rating=rating_word(r), criteria=joined(s, ", "))
            for r, s in by_rating.items()
        ]
    )
    return _(
        "**Summary.** {n} of {rated} criteria are rated possibly critical or critical for "
        "{name}; the highest rating is **{rating}** ({parts}; the conditions met are in the "
        "criterion matrix)."
    ).format(
        n=overall["n_flagged"],
        rated=overall["n_rated"],
        name=esc(name),
        rating=rating_word(overall["rating"]),
        parts=parts,
    )


def _not_computable_line(criteria: list[dict], overall: dict, not_computable: str) -> list[str]:
    if not overall["n_not_computable"]:
        return []
    listed = joined(
        [
            _("{criterion} (missing {indicators})").format(
                criterion=_short(c), indicators=joined(c["missing"], ", ")
            )
            for c in criteria
            if c["rating"] == not_computable
        ]
    )
    return [
        _("{n} criteria could not be rated: {criteria}.").format(
            n=overall["n_not_computable"], criteria=listed
        )
    ]


def _three_principles_line(criteria: list[dict]) -> list[str]:
    by_id = {c["id"]: c for c in criteria}
    legal, emp = by_id.get("JPN_3P_legal"), by_id.get("JPN_3P_empirical")
    if not (legal and emp):
        return []
    prim = next(i for i in emp["indicators"] if i["name"] == "ucdp_primary_any")
    if prim["status"] in ("ok", "carried forward"):
        parties = (
            _("{n} active UCDP armed conflict in {year}")
            if prim["value"] == 1
            else _("{n} active UCDP armed conflicts in {year}")
        ).format(n=prim["value"], year=prim["year"])
    else:
        parties = _("an unknown number of conflicts (UCDP does not list it)")
    if legal["value"]:
        line = _(
            'Japan\'s Three Principles: the legal "party to a conflict" test (UN Security '
            "Council measures, curated flag) is **met**; separately, the empirical flag finds "
            "the state a primary party to {parties} — an analytic risk signal, not a legal "
            "finding."
        )
    else:
        line = _(
            'Japan\'s Three Principles: the legal "party to a conflict" test (UN Security '
            "Council measures, curated flag) is not met; separately, the empirical flag finds "
            "the state a primary party to {parties} — an analytic risk signal, not a legal "
            "finding."
        )
    return [line.format(parties=parties)]


def _equipment_line(name: str, result: DiversionResult, overall: dict, as_of: str) -> str:
    eq, scen = result.equipment, result.scenarios
    if not eq["categories"]:
        return _(
            "No OSA equipment is recorded for {name} up to {as_of}: equipment relevance and "
            "residual risk are not applicable; the scenario likelihoods are country context "
            "only."
        ).format(name=esc(name), as_of=date_text(as_of))
    levels = result.config["relevance"]["levels"]
    top_level = max(
        (s["equipment_relevance_overall"] for s in scen), key=levels.index, default=None
    )
    top_text = joined(
        [
            _("{id} {scenario} ({categories}; {likelihood} over 36 months)").format(
                id=s["id"],
                scenario=str(tr(s["label"])).lower(),
                categories=joined(
                    [
                        equipment_word(c)
                        for c, v in s["equipment_relevance"].items()
                        if v == top_level
                    ],
                    ", ",
                ),
                likelihood=likelihood_text(s, "36m"),
            )
            for s in scen
            if s["equipment_relevance_overall"] == top_level
        ]
    )
    conf = {s["id"]: s["confidence"] for s in scen}
    res_ids = joined(
        [
            _("{id}, confidence {level}").format(id=sid, level=confidence_word(conf[sid]))
            for sid in overall["residual_scenarios"]
        ],
        ", ",
    )
    n_proj = len(eq["projects"])
    recorded = (
        _("OSA equipment recorded ({n} project): {categories}.")
        if n_proj == 1
        else _("OSA equipment recorded ({n} projects): {categories}.")
    ).format(n=n_proj, categories=joined([equipment_word(c) for c in eq["categories"]], ", "))
    return sentences(
        [
            recorded,
            _("It is most relevant ({level}) to {scenarios}.").format(
                level=level_word(top_level), scenarios=top_text
            ),
            _("Highest residual risk after controls: **{residual}** ({scenarios}).").format(
                residual=level_word(overall["residual_highest"]), scenarios=res_ids
            ),
        ]
    )


def _tripwire_line(tripwires: list[dict]) -> str:
    trig = [t for t in tripwires if t["status"] == "triggered"]
    nc = sum(t["status"] == "not computable" for t in tripwires)
    if not trig:
        return _("Trip-wires triggered: none ({n} not computable).").format(n=nc)
    return _("Trip-wires triggered: {tripwires} ({n} not computable).").format(
        tripwires=joined([esc(tripwire_label(t)) for t in trig]), n=nc
    )


def _method_version_line(values: dict) -> str:
    sha = values["config_sha256"][:12] if values["config_sha256"] else _("n/a")
    return _("Method `{version}` (`data/risk/diversion.yaml`, sha256 `{sha}`).").format(
        version=esc(values["method_version"]), sha=sha
    )


def summary_lines(name: str, result: DiversionResult, values: dict) -> list[str]:
    """Return the summary paragraph by sentence (ratings, legal test, equipment, alerts)."""
    criteria, overall = result.criteria, values["overall_rating"]
    not_computable = result.config["ratings"]["not_computable"]
    return [
        _criteria_summary(name, criteria, overall),
        *_not_computable_line(criteria, overall, not_computable),
        *_three_principles_line(criteria),
        _equipment_line(name, result, overall, values["as_of"]),
        _tripwire_line(result.tripwires),
        _method_version_line(values),
    ]


def _likelihood_method(result: DiversionResult) -> str:
    """How the register's probabilities were made: the selected model, else the own rate."""
    own_rate = _(
        "the probability of at least one event over the horizon from the country's own "
        "record of x events in n years, averaged over the rate's uncertainty (Jeffreys "
        "prior; P = 1 − (n / (n + T))^(x + ½) for rates, the beta-binomial analogue for "
        "shares of years), so never zero after zero events, with the exact 95% interval of "
        "the rate"
    )
    modelled = [
        s
        for s in result.scenarios
        if model_text(s.get("model_12m")) or model_text(s.get("model_36m"))
    ]
    if not modelled:
        return _("Each likelihood is {own_rate}.").format(own_rate=own_rate)
    ids = joined([s["id"] for s in modelled], ", ")
    origins = load_backtest_config()["origins"]
    leads = joined(
        [f"{s['id']} {(s.get('model_12m') or s.get('model_36m'))['lead_years']}" for s in modelled],
        ", ",
    )
    return sentences(
        [
            _(
                "{ids}: the probability is that of the model the backtest selected (it scored "
                "better out of sample than the own base rate; see the track record below): an "
                "L2-penalised logistic regression on the state's own record of the event "
                "(latest year, 5 and 10 years), coup attempts, UCDP conflicts and deaths, "
                "V-Dem regime type and polyarchy, population and the base rate's own "
                "probability, fitted on every country-year whose window had closed by the last "
                "complete data year and applied as many years ahead of that year as this "
                "brief's window is (years: {leads}); the 95% interval is the fit's own (Laplace "
                "approximation)."
            ).format(ids=ids, leads=leads),
            _(
                "The coup record ends before the other data (Powell & Thyne to {end}): for a "
                "later data year the model reads the coup features of the last whole year "
                "covered."
            ).format(end=esc(date_text(result.config["data"]["coups_coverage_end"]))),
            _(
                "The model was chosen on the same backtest it is scored on below (the origins "
                "{first}–{last}), so that score flatters the choice a little."
            ).format(first=origins["start"], last=origins["end"]),
            _(
                "A 36-month probability below the 12-month one (the horizons are fitted "
                "apart) is raised to it."
            ),
            _("The own base rate is shown beside it as a reference: {own_rate}.").format(
                own_rate=own_rate
            ),
        ]
    )


def method_lines(result: DiversionResult) -> list[str]:
    """Return the method paragraphs: how the criteria and the scenarios are rated."""
    out_scope = joined(
        [
            _("{criterion} ({reason})").format(
                criterion=esc(re.split("[:：]", str(tr(c["label"])), maxsplit=1)[0]),
                reason=esc(_in_brackets(str(tr(c["reason"])))),
            )
            for c in result.criteria_out_of_scope
        ]
    )
    qual = [s for s in result.scenarios if s["method"] == "qualitative"]
    shift = result.config["trend"]["shift_years"]
    yardstick = result.config["yardstick"]
    terms = joined(
        [
            _("{term} {range}").format(
                term=term_word(t["term"]), range=_pct_range(list(t["range"]))
            )
            for t in yardstick["terms"]
        ],
        ", ",
    )
    criteria = sentences(
        [
            _(
                "**Criterion matrix.** Ratings follow BICC's three steps (not critical, "
                "possibly critical, critical) from the thresholds in the config; a criterion is "
                '"not computable" when an indicator it needs is missing and no condition is '
                "met."
            ),
            _("The trend applies the same rules to the data of {years} years earlier.").format(
                years=shift
            ),
            _("Out of scope: {criteria}.").format(criteria=out_scope),
        ]
    )
    register = sentences(
        [
            _("**Scenario register.** {method}").format(method=_likelihood_method(result)),
            _(
                "The word is the {yardstick}'s term for the probability ({terms}; a value in a "
                "gap takes the nearer term)."
            ).format(yardstick=esc(tr(yardstick["name"])), terms=terms),
            _("The pooled reference rates are shown beside it, not mixed in."),
            _("A scenario without data carries no number (judgement, no base rate)."),
            _(
                "Residual risk = likelihood score × equipment relevance, lowered where "
                "controls are judged effective."
            ),
            _(
                "Confidence (L, M, H) follows the data-quality rule of the config: quantitative "
                "base rates start at H and lose a level for few events, old data or no "
                "reference rate; qualitative yardsticks are L."
            ),
            sentences(
                [
                    _("{id}: {reason}").format(
                        id=s["id"], reason=esc(base_rate_reason(s["base_rate_missing_reason"]))
                    )
                    for s in qual
                ]
            ),
        ]
    )
    if not qual and not _ja():
        register += " "  # the English text has always ended so
    return [criteria, register]


def caveats(result: DiversionResult) -> list[str]:
    """Return the section's caveats (screens, not legal findings; proxies; data dates)."""
    dates = joined(
        [
            _("{source} {date}").format(
                source=tripwire_source(t["source"]), date=date_text(t["data_date"])
            )
            for t in result.tripwires
            if t["data_date"]
        ]
    )
    return [
        _(
            'Ratings are indicator-based screens, not legal determinations. The legal "party '
            'to a conflict" flag is curated in the config; the UCDP flag is an analytic signal.'
        ),
        _(
            "Likelihoods are base rates of each scenario's precondition (an interstate "
            "conflict, a coup attempt, government killings of civilians), not observed misuse "
            "of OSA equipment."
        ),
        _(
            "No re-export, stockpile or equipment-capture data are in the data mirror (the "
            "SIPRI Arms Transfers Database is not available): S4–S6 rest on stated qualitative "
            "yardsticks with low confidence."
        ),
        _(
            "Data dates (last observation used, on or before the as-of date): {dates}. Powell & "
            "Thyne coups end on {end}: later attempts are not covered."
        ).format(dates=dates, end=date_text(result.config["data"]["coups_coverage_end"])),
        _(
            "The relevance matrix (scenario × equipment category) and the residual rule are "
            "judgements stated with their rationale in data/risk/diversion.yaml."
        ),
    ]


# --------------------------------------------------------------------------------------------
# tables and figure
# --------------------------------------------------------------------------------------------


def criterion_table(criteria: list[dict], shift_years: int) -> pd.DataFrame:
    """Tabulate the criterion matrix: a row per criterion, value and interval of its primary."""
    rows = []
    for c in criteria:
        primary = next(i for i in c["indicators"] if i["name"] == c["primary"])
        value = indicator_value_text(primary)
        if primary.get("year") is not None:
            value = _("{value} ({year})").format(value=value, year=primary["year"])
        rows.append(
            {
                _("criterion"): tr(c["label"]),
                _("framework"): tr(c["framework"]),
                _("indicators"): joined([indicator_label(i["name"]) for i in c["indicators"]]),
                _("latest value"): value,
                _("interval"): _interval_text(primary, c["interval"]),
                _("rating"): rating_word(c["rating"]),
                _("trend"): _trend_text(c, shift_years),
                _("evidence"): criterion_evidence(c),
            }
        )
    return pd.DataFrame(rows)


def _residual_text(res: dict) -> str:
    if res["score"] is None:
        return level_word(res["class"])
    return _("{residual} (score {score}; {before} before controls)").format(
        residual=level_word(res["class"]),
        score=res["score"],
        before=level_word(res["class_before_controls"]),
    )


def _scenario_name(s: Mapping[str, Any]) -> str:
    return f"{s['id']} {tr(s['label'])}"


def scenario_table(scenarios: list[dict]) -> pd.DataFrame:
    """Tabulate the scenario register (``scenarios`` as in the values: with ``overall``)."""
    return pd.DataFrame(
        [
            {
                _("scenario"): _scenario_name(s),
                _("12 months"): likelihood_text(s, "12m"),
                _("36 months"): likelihood_text(s, "36m"),
                _("base rate"): base_rate_text(s),
                _("confidence"): confidence_word(s["confidence"]),
                _("equipment relevance"): _relevance_text(s["equipment_relevance"]),
                _("controls"): joined([str(tr(c["label"])) for c in s["controls"]]),
                _("residual"): _residual_text(s["residual"]),
            }
            for s in scenarios
        ]
    )


def scenario_summary_table(scenarios: list[dict]) -> pd.DataFrame:
    """Tabulate the register in brief: 36-month likelihood, confidence, relevance, residual."""
    return pd.DataFrame(
        [
            {
                _("scenario"): _scenario_name(s),
                _("36 months"): likelihood_text(s, "36m"),
                _("confidence"): confidence_word(s["confidence"]),
                _("equipment relevance"): level_word(s["equipment_relevance"].get("overall"))
                if s["equipment_relevance"].get("overall")
                else _("n/a"),
                _("residual risk"): level_word(s["residual"]["class"]),
            }
            for s in scenarios
        ]
    )


def tripwire_table(tripwires: list[dict]) -> pd.DataFrame:
    """Tabulate the trip-wires with their status, data date and evidence."""
    return pd.DataFrame(
        [
            {
                _("trip-wire"): tripwire_label(t),
                _("status"): status_word(t["status"]),
                _("data date"): date_text(t["data_date"]) if t["data_date"] else "–",
                _("evidence"): tripwire_evidence(t),
            }
            for t in tripwires
        ]
    )


def section_tables(name: str, result: DiversionResult, values: dict) -> list:
    """Return the tables of the section (matrix, register in brief and in full, trip-wires)."""
    return [
        (
            _(
                "Criterion matrix for {name} (method {version}); the value and interval are "
                "those of the criterion's primary indicator."
            ).format(name=name, version=values["method_version"]),
            criterion_table(result.criteria, values["trend_shift_years"]),
        ),
        (
            _(
                "Misuse scenarios for {name}, in brief: 36-month likelihood (PHIA term and "
                "probability), confidence (H, M, L), relevance of the OSA equipment, residual "
                "risk after controls. The full register follows."
            ).format(name=name),
            scenario_summary_table(values["scenarios"]),
        ),
        (
            _(
                "Misuse scenario register for {name}: likelihood (PHIA term and range), base "
                "rate, confidence, equipment relevance, controls and residual risk."
            ).format(name=name),
            scenario_table(values["scenarios"]),
        ),
        (
            _("Trip-wires for {name}, each with the date of the last observation used.").format(
                name=name
            ),
            tripwire_table(result.tripwires),
        ),
    ]


def section_figures(result: DiversionResult) -> list:
    """Return the heat strip of the ratings of the country and its peers, with its caption."""
    crit_order = [{"id": c["id"], "short": str(tr(c["short"]))} for c in result.criteria]
    colors = dict(result.config["ratings"]["colors"])
    return [
        (
            _(
                "Criterion ratings of the country and its peers (heat strip; NC not critical, "
                "PC possibly critical, C critical, grey not computable)."
            ),
            heat_strip(result.peers, crit_order, colors, result.country),
        )
    ]


# --------------------------------------------------------------------------------------------
# section
# --------------------------------------------------------------------------------------------


def prepare(ctx: BriefContext) -> None:
    """Compute the criterion matrices, reference rates, models and track record once."""
    assess_with_selected_models(ctx.scope, ctx.tables)
    track_record(ctx.tables)


def track_record_parts(ctx: BriefContext, iso3: str) -> tuple[str, str, tuple, tuple, dict]:
    """Return the track record: lead, full paragraph, captioned table and figure, values."""
    forecasts, scores = track_record(ctx.tables)
    first, last = scores["origins"]
    records = {  # the forecasts a brief would have made: its data ending as long before
        k["id"]: country_record(
            forecasts,
            iso3,
            k["id"],
            12,
            f"{k['selected_model']}_lead",
            first,
            last,
            climatology="climatology_lead",
        )
        for k in scores["kinds"]
    }
    summaries = {k: record_summary(r, 12) for k, r in records.items()}
    name = shown_name(iso3)
    caption = _(
        "Track record: reliability of the 12-month judgements in the backtest, made as this "
        "brief makes them (data ending as long before the window; observed frequency against "
        "forecast by bin, every state, origins {first}–{last}; dot size: forecasts in the bin; "
        "dashed: perfect calibration)."
    ).format(first=first, last=last)
    table = (
        _(
            "Track record of the 12-month judgements, made as this brief makes them (data "
            "ending as long before the window; origins {first}–{last}), and {name}'s own "
            "forecasts."
        ).format(first=first, last=last, name=name),
        track_record_table(name, scores, summaries),
    )
    return (
        track_record_lead(scores),
        track_record_markdown(name, scores, summaries),
        table,
        (caption, reliability_figure(scores, 12, at_lead=True)),
        track_record_values(scores, records, summaries),
    )


def diversion_section(ctx: BriefContext) -> Section:
    """Build the section: OSA misuse and diversion risk for the brief's country.

    Parameters
    ----------
    ctx : BriefContext
        The brief's scope and table store (which records every source read). Works for any
        state (a state without OSA projects gets "no OSA equipment recorded").

    Returns
    -------
    Section
        Key ``"diversion"``. ``values``: ``method_version``, ``config_sha256``, ``country``,
        ``as_of``, ``criteria`` (list of ``id``, ``framework``, ``label``, ``indicators``,
        ``value``, ``interval``, ``rating``, ``trend``, ``evidence`` ...),
        ``criteria_out_of_scope``, ``scenarios`` (``id``, ``label``, ``likelihood_12m`` and
        ``likelihood_36m`` ``[lo, hi]``, ``yardstick_12m``, ``yardstick_36m``,
        ``base_rate`` {events, years, rate_per_year, interval}, ``confidence``,
        ``equipment_relevance`` {category: level, ``overall``}, ``controls``,
        ``residual`` ...), ``tripwires`` (``id``, ``label``, ``status``, ``data_date``,
        ``evidence``), ``peers_matrix`` {iso3: {criterion id: rating}}, ``overall_rating``
        (``rating``: the highest criterion rating, and the residual-risk summary),
        ``equipment``, ``trend_shift_years``, ``key_figures`` and ``track_record``
        (:func:`~osa_analysis.brief.track_record.track_record_values`). The values are the
        same in every language (English texts); the text, tables and figures are in the
        current one.
    """
    result = assess_with_selected_models(ctx.scope, ctx.tables)
    name = shown_name(result.country)
    values = section_values(result)
    lead, record_text, record_table, record_figure, values["track_record"] = track_record_parts(
        ctx, result.country
    )
    markdown = [sentences(summary_lines(name, result, values)), lead]
    return Section(
        key=KEY,
        title=registry.heading(KEY, ""),
        markdown="\n\n".join(markdown),
        method="\n\n".join([*method_lines(result), record_text]),
        figures=[*section_figures(result), record_figure],
        tables=[*section_tables(name, result, values), record_table],
        values=values,
        sources=list(dict.fromkeys([*result.sources, *BACKTEST_SOURCES])),
        caveats=caveats(result),
    )
