"""Evidence texts of the misuse and diversion section, in the edition's language.

The criterion records, likelihoods, base rates, models and key figures, worded anew from the
analysis' records (English reproduces the analysis' own text). Split from
:mod:`osa_analysis.brief.diversion`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from osa_analysis.analyse.diversion import MISSING, OP_SYMBOLS
from osa_analysis.brief.diversion_words import (
    FLAGGED,
    TREND_WORDS,
    _dash,
    _ja,
    base_rate_reason,
    basis_text,
    equipment_word,
    indicator_label,
    joined,
    level_word,
    note_text,
    rating_word,
    reference_label,
    rephrase,
    term_word,
    word,
)
from osa_analysis.brief.numbers import date_text, range_text
from osa_analysis.brief.section import fmt_num
from osa_analysis.core.i18n import N_, _


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
        # shown texts in the edition's language (summary.json is written from the English)
        "change_text": _("attempts: {n} in {years} years").format(
            n=own["events"], years=f"{own['years']:.1f}"
        ),
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
        "change_text": _("{n} five years earlier (same rules)").format(n=then),
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
