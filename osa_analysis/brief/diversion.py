"""Section "OSA misuse and diversion risk", conditioned on the equipment supplied.

Presents :func:`osa_analysis.analyse.diversion.assess` (brief-anchors Part B section 8, A4):
a plain-language summary first, then the criterion matrix (EU Common Position criteria 2,
3, 4, 7; ATT Art. 7(1)(a), 7(1)(b)(i)-(ii), Art. 11; Japan's Three Principles legal test
and empirical UCDP flag, shown apart), the scenario register S1-S6 with likelihoods from
base rates, equipment relevance from the OSA project table and residual risk, the trip-wires,
and a heat strip of the criterion ratings across the peers
(:mod:`osa_analysis.brief.diversion_figures`). The method version of
``data/risk/diversion.yaml`` is stated.
"""

from __future__ import annotations

import pandas as pd

from osa_analysis.analyse.backtest import (
    BACKTEST_SOURCES,
    assess_with_selected_models,
    country_record,
    load_backtest_config,
    record_summary,
    track_record,
)
from osa_analysis.analyse.diversion import INDICATORS, OP_SYMBOLS, DiversionResult
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.diversion_figures import heat_strip
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.brief.track_record import (
    reliability_figure,
    track_record_lead,
    track_record_markdown,
    track_record_table,
    track_record_values,
)
from osa_analysis.core.countries import country_name

KEY = "diversion"
FLAGGED = ("possibly critical", "critical")
"""Ratings that flag a criterion."""


# --------------------------------------------------------------------------------------------
# formatting helpers
# --------------------------------------------------------------------------------------------


def _pct(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{100 * value:.{digits}f}%"


def likelihood_text(s: dict, h: str) -> str:
    """One horizon's likelihood: the yardstick word, the probability and its interval.

    A probability of the model the backtest selects says so; a scenario without a base rate
    carries no number: "judgement, no base rate" and the project's stated judgement.
    """
    if s[f"probability_{h}"] is None:
        judgement = s.get(f"judgement_{h}")
        return s["likelihood_basis"] + (f" (judged {judgement})" if judgement else "")
    model = s.get(f"model_{h}") or {}
    by = "; logistic model" if model.get("probability") is not None else ""
    if model.get("raised_to_12m"):
        by += f"; {RAISED}"
    return (
        f"{s[f'yardstick_{h}']}: {100 * s[f'probability_{h}']:.1f}% "
        f"(95% interval {_pct_range(s[f'likelihood_{h}'])}{by})"
    )


def _pct_range(rng: list[float] | None) -> str:
    if not rng:
        return "n/a"
    return f"{100 * rng[0]:.1f}–{100 * rng[1]:.1f}%"


def indicator_value_text(rec: dict) -> str:
    """Format an indicator's value for a table cell (missing values say so)."""
    if rec["status"] in ("missing", "no history"):
        return "missing"
    if rec["status"] == "not applicable":
        return "not applicable"
    name = rec["name"]
    if name == "vdem_regime":
        return f"{rec['value']} ({rec['regime_label']})"
    if name.startswith("wgi_") or name.endswith("_per_million"):
        return fmt_num(rec["value"], 2)
    if name == "grayzone_mean_3y":
        return fmt_num(rec["value"], 1)
    if name == "legal_unsc_measures":
        return "yes" if rec["value"] else "no"
    return fmt_num(rec["value"])


def condition_text(met: dict) -> str:
    """Plain words for a condition that holds, e.g. "WGI rule of law (whole 90% band) < 0"."""
    band = " (whole 90% band)" if met["field"] == "high" and met["op"] in ("<", "<=") else ""
    band = band or (" (whole 90% band)" if met["field"] == "low" else "")
    return (
        f"{INDICATORS[met['indicator']]['label']}{band} {OP_SYMBOLS[met['op']]} "
        f"{met['threshold']:g}"
    )


def _interval_text(rec: dict, interval: list | None) -> str:
    if not interval or interval[0] is None:
        return "–"
    digits = 2 if rec["name"].startswith("wgi_") or rec["name"].endswith("_per_million") else 0
    return f"{fmt_num(interval[0], digits)} to {fmt_num(interval[1], digits)}"


def _trend_text(c: dict, shift: int) -> str:
    if c["trend"] == "not computable":
        return f"n/a (no rating {shift} years earlier)"
    if c["trend"] == "unchanged":
        return "unchanged"
    return f"{c['trend']} (was {c['rating_then']})"


def _own_rate_text(sc: dict) -> str:
    own = sc["base_rate"]
    if own is None:
        return f"own: not computable ({sc['base_rate_missing_reason']})"
    if own["method"] == "poisson":
        return (
            f"own: {own['events']} in {own['years']:.1f} years = "
            f"{own['rate_per_year']:.4f}/yr (95% {own['interval'][0]:.4f}–"
            f"{own['interval'][1]:.4f})"
        )
    return (
        f"own: {own['events']} of {own['years']} years = {own['rate_per_year']:.3f} "
        f"(95% {own['interval'][0]:.3f}–{own['interval'][1]:.3f})"
    )


def base_rate_text(sc: dict) -> str:
    """One table cell describing a scenario's base rates (own and references)."""
    if sc["method"] == "qualitative":
        steps = [m for m in sc["modifiers"] if m["holds"]]
        return "qualitative yardstick (no data)" + (
            "; raised by: " + "; ".join(condition_text(m) for m in steps) if steps else ""
        )
    text = _own_rate_text(sc)
    for ref in sc["references"]:
        per = "/yr" if ref["method"] == "poisson" else " of years"
        text += (
            f"; {ref['label']} {ref['window'][0]}–{ref['window'][1]}: "
            f"{ref['rate_per_year']:.4f}{per}"
        )
    mods = [m for m in sc["modifiers"] if m.get("rate_multiplier") and m["holds"]]
    if mods:
        text += f"; gray-zone modifier ×{mods[0]['rate_multiplier']:g} on the upper rate"
    return text


def _relevance_text(rel: dict) -> str:
    overall = rel["overall"]
    cats = {k: v for k, v in rel.items() if k != "overall"}
    if not cats:
        return overall
    listed = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in cats.items())
    return f"{overall} ({listed})"


# --------------------------------------------------------------------------------------------
# values
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


RAISED = (
    "raised to the 12-month probability (the 36-month model gave less; a 36-month window "
    "holds the 12-month one)"
)
"""Said of a 36-month probability :func:`osa_analysis.analyse.backtest.coherent` raised."""


def model_text(model: dict | None) -> str:
    """Describe the selected model behind a probability (empty for the own base rate)."""
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
        "label": "Chance of at least one coup attempt in 36 months"
        + (" (logistic model)" if model else " (own base rate)"),
        "value": 100 * p36,
        "unit": "%",
        "interval": [100 * v for v in interval],
        "interval_kind": s2["model_36m"]["interval_kind"]
        if model
        else "exact Poisson 95% on the country's own rate",
        "change": None,
        "change_text": f"{own['events']} attempts in {own['years']:.1f} years",
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
        "label": "Misuse criteria rated possibly critical or critical",
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


def _criteria_summary(name: str, criteria: list[dict], overall: dict) -> str:
    flagged = [c for c in criteria if c["rating"] in FLAGGED]
    if not flagged:
        return (
            f"**Summary.** None of the {overall['n_rated']} criteria rated is possibly critical "
            f"or critical for {esc(name)}."
        )
    by_rating: dict[str, list[str]] = {}
    for c in flagged:
        by_rating.setdefault(c["rating"], []).append(esc(c["short"]))
    parts = "; ".join(f"{rating}: {', '.join(shorts)}" for rating, shorts in by_rating.items())
    return (
        f"**Summary.** {overall['n_flagged']} of {overall['n_rated']} criteria are rated "
        f"possibly critical or critical for {esc(name)}; the highest rating is "
        f"**{overall['rating']}** ({parts}; the conditions met are in the criterion matrix)."
    )


def _not_computable_line(criteria: list[dict], overall: dict, not_computable: str) -> list[str]:
    if not overall["n_not_computable"]:
        return []
    listed = "; ".join(
        f"{esc(c['short'])} (missing {', '.join(c['missing'])})"
        for c in criteria
        if c["rating"] == not_computable
    )
    return [f"{overall['n_not_computable']} criteria could not be rated: {listed}."]


def _three_principles_line(criteria: list[dict]) -> list[str]:
    by_id = {c["id"]: c for c in criteria}
    legal, emp = by_id.get("JPN_3P_legal"), by_id.get("JPN_3P_empirical")
    if not (legal and emp):
        return []
    prim = next(i for i in emp["indicators"] if i["name"] == "ucdp_primary_any")
    if prim["status"] in ("ok", "carried forward"):
        parties = (
            f"{prim['value']} active UCDP armed conflict"
            + ("s" if prim["value"] != 1 else "")
            + f" in {prim['year']}"
        )
    else:
        parties = "an unknown number of conflicts (UCDP does not list it)"
    return [
        'Japan\'s Three Principles: the legal "party to a conflict" test (UN Security '
        "Council measures, curated flag) is "
        + ("**met**" if legal["value"] else "not met")
        + "; separately, the empirical flag finds the state a primary party to "
        + parties
        + " — an analytic risk signal, not a legal finding."
    ]


def _equipment_line(name: str, result: DiversionResult, overall: dict, as_of: str) -> str:
    eq, scen = result.equipment, result.scenarios
    if not eq["categories"]:
        return (
            f"No OSA equipment is recorded for {esc(name)} up to {as_of}: equipment "
            "relevance and residual risk are not applicable; the scenario likelihoods are "
            "country context only."
        )
    levels = result.config["relevance"]["levels"]
    top_level = max(
        (s["equipment_relevance_overall"] for s in scen), key=levels.index, default=None
    )
    top_text = "; ".join(
        f"{s['id']} {s['label'].lower()} ("
        + ", ".join(
            c.replace("_", " ") for c, v in s["equipment_relevance"].items() if v == top_level
        )
        + f"; {likelihood_text(s, '36m')} over 36 months)"
        for s in scen
        if s["equipment_relevance_overall"] == top_level
    )
    conf = {s["id"]: s["confidence"] for s in scen}
    res_ids = ", ".join(f"{sid}, confidence {conf[sid]}" for sid in overall["residual_scenarios"])
    n_proj = len(eq["projects"])
    return (
        f"OSA equipment recorded ({n_proj} project{'s' if n_proj != 1 else ''}): "
        + ", ".join(c.replace("_", " ") for c in eq["categories"])
        + f". It is most relevant ({top_level}) to {top_text}. Highest residual risk after "
        f"controls: **{overall['residual_highest']}** ({res_ids})."
    )


def _tripwire_line(tripwires: list[dict]) -> str:
    trig = [t for t in tripwires if t["status"] == "triggered"]
    nc = [t for t in tripwires if t["status"] == "not computable"]
    return (
        "Trip-wires triggered: "
        + ("; ".join(esc(t["label"]) for t in trig) if trig else "none")
        + f" ({len(nc)} not computable)."
    )


def _method_version_line(values: dict) -> str:
    sha = values["config_sha256"][:12] if values["config_sha256"] else "n/a"
    return f"Method `{esc(values['method_version'])}` (`data/risk/diversion.yaml`, sha256 `{sha}`)."


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
    own_rate = (
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
        return f"Each likelihood is {own_rate}."
    ids = ", ".join(s["id"] for s in modelled)
    origins = load_backtest_config()["origins"]
    origins = (origins["start"], origins["end"])
    leads = ", ".join(
        f"{s['id']} {(s.get('model_12m') or s.get('model_36m'))['lead_years']}" for s in modelled
    )
    return (
        f"{ids}: the probability is that of the model the backtest selected (it scored better "
        "out of sample than the own base rate; see the track record below): an L2-penalised "
        "logistic regression on the state's own record of the event (latest year, 5 and 10 "
        "years), coup attempts, UCDP conflicts and deaths, V-Dem regime type and polyarchy, "
        "population and the base rate's own probability, fitted on every country-year whose "
        "window had closed by the last complete data year and applied as many years ahead "
        f"of that year as this brief's window is (years: {leads}); the 95% interval is the "
        "fit's own (Laplace approximation). The coup record ends before the other data "
        f"(Powell & Thyne to {esc(result.config['data']['coups_coverage_end'])}): for a later "
        "data year the model reads the coup features of the last whole year covered. The "
        "model was chosen on the same backtest it is scored on below (the origins "
        f"{origins[0]}–{origins[1]}), so that score flatters the choice a little. A 36-month "
        "probability below the 12-month one (the horizons are fitted apart) is raised to it. "
        "The own "
        f"base rate is shown beside it as a reference: {own_rate}."
    )


def method_lines(result: DiversionResult) -> list[str]:
    """Return the method paragraphs: how the criteria and the scenarios are rated."""
    out_scope = "; ".join(
        f"{esc(c['label'].split(':')[0])} ({esc(c['reason'])})"
        for c in result.criteria_out_of_scope
    )
    qual = [s for s in result.scenarios if s["method"] == "qualitative"]
    shift = result.config["trend"]["shift_years"]
    yardstick = result.config["yardstick"]
    terms = ", ".join(f"{t['term']} {_pct_range(list(t['range']))}" for t in yardstick["terms"])
    return [
        "**Criterion matrix.** Ratings follow BICC's three steps (not critical, possibly "
        'critical, critical) from the thresholds in the config; a criterion is "not '
        'computable" when an indicator it needs is missing and no condition is met. The trend '
        f"applies the same rules to the data of {shift} years earlier. "
        f"Out of scope: {out_scope}.",
        "**Scenario register.** " + _likelihood_method(result) + " The word is the "
        f"{esc(yardstick['name'])}'s term for the probability ({terms}; a value in a gap "
        "takes the nearer term). The pooled reference rates are shown beside it, not mixed "
        "in. A scenario without data carries no number (judgement, no base rate). Residual "
        "risk = likelihood score × "
        "equipment relevance, lowered where controls are judged effective. Confidence (L, M, "
        "H) follows the data-quality rule of the config: quantitative base rates start at H and "
        "lose a level for few events, old data or no reference rate; qualitative yardsticks "
        "are L. " + " ".join(f"{s['id']}: {esc(s['base_rate_missing_reason'])}" for s in qual),
    ]


def caveats(result: DiversionResult) -> list[str]:
    """Return the section's caveats (screens, not legal findings; proxies; data dates)."""
    return [
        'Ratings are indicator-based screens, not legal determinations. The legal "party to a '
        'conflict" flag is curated in the config; the UCDP flag is an analytic signal.',
        "Likelihoods are base rates of each scenario's precondition (an interstate conflict, a "
        "coup attempt, government killings of civilians), not observed misuse of OSA equipment.",
        "No re-export, stockpile or equipment-capture data are in the data mirror (the SIPRI "
        "Arms Transfers Database is not available): S4–S6 rest on stated qualitative "
        "yardsticks with low confidence.",
        "Data dates (last observation used, on or before the as-of date): "
        + "; ".join(f"{t['source']} {t['data_date']}" for t in result.tripwires if t["data_date"])
        + ". Powell & Thyne coups end on "
        + result.config["data"]["coups_coverage_end"]
        + ": later attempts are not covered.",
        "The relevance matrix (scenario × equipment category) and the residual rule are "
        "judgements stated with their rationale in data/risk/diversion.yaml.",
    ]


# --------------------------------------------------------------------------------------------
# tables and figure
# --------------------------------------------------------------------------------------------


def criterion_table(criteria: list[dict], shift_years: int) -> pd.DataFrame:
    """Tabulate the criterion matrix: a row per criterion, value and interval of its primary."""
    rows = []
    for c in criteria:
        primary = next(i for i in c["indicators"] if i["name"] == c["primary"])
        rows.append(
            {
                "criterion": c["label"],
                "framework": c["framework"],
                "indicators": "; ".join(i["label"] for i in c["indicators"]),
                "latest value": indicator_value_text(primary)
                + (f" ({primary['year']})" if primary.get("year") is not None else ""),
                "interval": _interval_text(primary, c["interval"]),
                "rating": c["rating"],
                "trend": _trend_text(c, shift_years),
                "evidence": c["evidence"],
            }
        )
    return pd.DataFrame(rows)


def _residual_text(res: dict) -> str:
    if res["score"] is None:
        return res["class"]
    return f"{res['class']} (score {res['score']}; {res['class_before_controls']} before controls)"


def scenario_table(scenarios: list[dict]) -> pd.DataFrame:
    """Tabulate the scenario register (``scenarios`` as in the values: with ``overall``)."""
    return pd.DataFrame(
        [
            {
                "scenario": f"{s['id']} {s['label']}",
                "12 months": likelihood_text(s, "12m"),
                "36 months": likelihood_text(s, "36m"),
                "base rate": base_rate_text(s),
                "confidence": s["confidence"],
                "equipment relevance": _relevance_text(s["equipment_relevance"]),
                "controls": "; ".join(c["label"] for c in s["controls"]),
                "residual": _residual_text(s["residual"]),
            }
            for s in scenarios
        ]
    )


def scenario_summary_table(scenarios: list[dict]) -> pd.DataFrame:
    """Tabulate the register in brief: 36-month likelihood, confidence, relevance, residual."""
    return pd.DataFrame(
        [
            {
                "scenario": f"{s['id']} {s['label']}",
                "36 months": likelihood_text(s, "36m"),
                "confidence": s["confidence"],
                "equipment relevance": s["equipment_relevance"].get("overall") or "n/a",
                "residual risk": s["residual"]["class"],
            }
            for s in scenarios
        ]
    )


def tripwire_table(tripwires: list[dict]) -> pd.DataFrame:
    """Tabulate the trip-wires with their status, data date and evidence."""
    return pd.DataFrame(
        [
            {
                "trip-wire": t["label"],
                "status": t["status"],
                "data date": t["data_date"] or "–",
                "evidence": t["evidence"],
            }
            for t in tripwires
        ]
    )


def section_tables(name: str, result: DiversionResult, values: dict) -> list:
    """Return the tables of the section (matrix, register in brief and in full, trip-wires)."""
    return [
        (
            f"Criterion matrix for {name} (method {values['method_version']}); the value and "
            "interval are those of the criterion's primary indicator.",
            criterion_table(result.criteria, values["trend_shift_years"]),
        ),
        (
            f"Misuse scenarios for {name}, in brief: 36-month likelihood (PHIA term and "
            "probability), confidence (H, M, L), relevance of the OSA equipment, residual risk "
            "after controls. The full register follows.",
            scenario_summary_table(values["scenarios"]),
        ),
        (
            f"Misuse scenario register for {name}: likelihood (PHIA term and range), base rate, "
            "confidence, equipment relevance, controls and residual risk.",
            scenario_table(values["scenarios"]),
        ),
        (
            f"Trip-wires for {name}, each with the date of the last observation used.",
            tripwire_table(result.tripwires),
        ),
    ]


def section_figures(result: DiversionResult) -> list:
    """Return the heat strip of the ratings of the country and its peers, with its caption."""
    crit_order = [{"id": c["id"], "short": c["short"]} for c in result.criteria]
    colors = dict(result.config["ratings"]["colors"])
    return [
        (
            "Criterion ratings of the country and its peers (heat strip; NC not critical, PC "
            "possibly critical, C critical, grey not computable).",
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
    name = country_name(iso3)
    caption = (
        "Track record: reliability of the 12-month judgements in the backtest, made as this "
        "brief makes them (data ending as long before the window; observed frequency against "
        "forecast by bin, every state, origins "
        f"{scores['origins'][0]}–{scores['origins'][1]}; dot size: forecasts in the bin; "
        "dashed: perfect calibration)."
    )
    table = (
        f"Track record of the 12-month judgements, made as this brief makes them (data ending "
        f"as long before the window; origins {first}–{last}), and {name}'s own forecasts.",
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
        (:func:`~osa_analysis.brief.track_record.track_record_values`).
    """
    result = assess_with_selected_models(ctx.scope, ctx.tables)
    name = country_name(result.country)
    values = section_values(result)
    lead, record_text, record_table, record_figure, values["track_record"] = track_record_parts(
        ctx, result.country
    )
    markdown = [" ".join(summary_lines(name, result, values)), lead]
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
