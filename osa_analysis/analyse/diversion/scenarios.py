"""The scenario register S1–S6: base rates, likelihoods, confidence, relevance, residual risk.

Quantitative scenarios (S1 interstate conflict onset, S2 coup attempt, S3 government
one-sided violence) take their likelihood over each horizon from the country's own base
rate and the pooled reference rates (:mod:`.reference`); qualitative ones (S4–S6) from a
stated yardstick term moved by modifiers. Equipment relevance comes from the OSA projects
that count at ``as_of``, and the residual risk from the config's rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from osa_analysis.analyse.diversion.criteria import condition_holds
from osa_analysis.analyse.diversion.data import (
    DiversionTables,
    coup_data_end,
    coups_between,
    ucdp_region,
    ucdp_states,
    ucdp_year,
)
from osa_analysis.analyse.diversion.equipment import (
    category_list,
    equipment_relevance,
    project_categories,
    residual_risk,
)
from osa_analysis.analyse.diversion.indicators import country_indicators
from osa_analysis.analyse.diversion.rates import (
    base_rate,
    binomial_base_rate,
    confidence_level,
    likelihood_range,
    poisson_base_rate,
    predictive_probability,
    probability,
    shift_term,
    yardstick_term,
)
from osa_analysis.analyse.diversion.reference import (
    build_reference_rates,
    interstate_onsets,
    reference_entry,
)
from osa_analysis.core.countries import country_name
from osa_analysis.core.dates import DAYS_PER_YEAR

Config = Mapping[str, Any]


def _words(text: Any) -> str:
    """Config text on one line (YAML folded blocks keep no line breaks)."""
    return " ".join(str(text).split())


# --------------------------------------------------------------------------------------------
# Base rates
# --------------------------------------------------------------------------------------------


def entry_start(iso3: str, first_year: int, cfg: Config) -> tuple[int, bool]:
    """First year of a state's own record: its curated entry year when later than the data's."""
    entry = cfg["data"]["state_entry_years"].get(iso3)
    if entry is None:
        return first_year, False
    return max(first_year, int(entry)), True


def reference_rate(
    refs: pd.DataFrame, kind: str, group_type: str, group: str | None, label: str, method: str
) -> dict | None:
    """Return a pooled rate as a base rate (``label``, ``group``, ``window``), or None."""
    r = reference_entry(refs, kind, group_type, group)
    if r is None:
        return None
    return {
        **base_rate(r["events"], r["exposure"], method),
        "label": label,
        "group": group,
        "window": r["window"],
    }


def _present(*rates: dict | None) -> list[dict]:
    return [r for r in rates if r is not None]


def interstate_base_rates(
    tables: DiversionTables, iso3: str, as_of: pd.Timestamp, refs: pd.DataFrame, cfg: Config
) -> dict:
    """S1: interstate conflict onsets of the state since its entry, world and region rates."""
    y_ucdp = ucdp_year(tables, as_of)
    start, curated = entry_start(iso3, cfg["data"]["ucdp_first_year"], cfg)
    own, reason = None, f"UCDP does not list {country_name(iso3)} as a state"
    if y_ucdp < start:
        reason = f"{country_name(iso3)} enters the state system in {start}, after {y_ucdp}"
    elif iso3 in ucdp_states(tables):
        onsets = interstate_onsets(tables.conflict_years)
        mine = onsets[(onsets["country_iso3"] == iso3) & onsets["year"].between(start, y_ucdp)]
        own = {
            **poisson_base_rate(len(mine), y_ucdp - start + 1),
            "window": [start, y_ucdp],
            "data_date": f"{y_ucdp}-12-31",
            "entry_year_curated": curated,
            "event_years": sorted(int(y) for y in mine["year"]),
        }
        reason = None
    region = ucdp_region(tables, iso3)
    return {
        "own": own,
        "missing_reason": reason,
        "references": _present(
            reference_rate(refs, "interstate_onsets", "global", "world", "all states", "poisson"),
            reference_rate(
                refs,
                "interstate_onsets",
                "region",
                region,
                f"states in UCDP region {region}",
                "poisson",
            ),
        ),
    }


def coup_base_rates(
    tables: DiversionTables,
    iso3: str,
    as_of: pd.Timestamp,
    refs: pd.DataFrame,
    regime: str | None,
    cfg: Config,
) -> dict:
    """S2: coup attempts of the state since its entry, regime-type and region rates."""
    end = coup_data_end(as_of, cfg)
    start_year, curated = entry_start(iso3, cfg["data"]["coups_first_year"], cfg)
    start_date = pd.Timestamp(start_year, 1, 1)
    mine = coups_between(tables, iso3, start_date, end, inclusive=True)
    years = (end - start_date).days / DAYS_PER_YEAR
    own = None
    if years > 0:
        own = {
            **poisson_base_rate(len(mine), years),
            "window": [start_date.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")],
            "data_date": end.strftime("%Y-%m-%d"),
            "entry_year_curated": curated,
            "event_dates": sorted(d.strftime("%Y-%m-%d") for d in mine["date"]),
            "successful": int((mine["outcome"] == "successful").sum()),
        }
    region = ucdp_region(tables, iso3)
    return {
        "own": own,
        "missing_reason": None if years > 0 else "no exposure before the coup data end",
        "references": _present(
            reference_rate(
                refs,
                "coup_attempts",
                "regime",
                regime,
                f"states rated {regime} by V-Dem",
                "poisson",
            ),
            reference_rate(
                refs,
                "coup_attempts",
                "region",
                region,
                f"states in UCDP region {region}",
                "poisson",
            ),
        ),
    }


def violence_base_rates(
    tables: DiversionTables,
    iso3: str,
    as_of: pd.Timestamp,
    refs: pd.DataFrame,
    regime: str | None,
    cfg: Config,
) -> dict:
    """S3: share of years with government one-sided violence at the UCDP threshold."""
    y_ucdp = ucdp_year(tables, as_of)
    min_deaths = cfg["base_rates"]["s3_event_min_gov_osv_deaths"]
    start, curated = entry_start(iso3, cfg["base_rates"]["reference_window_ucdp_first_year"], cfg)
    ov = tables.orgvio
    rows = ov[
        ov["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & ov["year"].between(start, y_ucdp).to_numpy()
    ]
    own, reason = None, f"UCDP Organized Violence has no rows for {country_name(iso3)}"
    if len(rows):
        ev = rows[rows["os_main_govt_best_deaths"] >= min_deaths]
        own = {
            **binomial_base_rate(len(ev), len(rows)),
            "window": [start, y_ucdp],
            "data_date": f"{y_ucdp}-12-31",
            "entry_year_curated": curated,
            "event_years": sorted(int(y) for y in ev["year"]),
        }
        reason = None
    return {
        "own": own,
        "missing_reason": reason,
        "references": _present(
            reference_rate(
                refs,
                "gov_osv_years",
                "regime",
                regime,
                f"states rated {regime} by V-Dem",
                "binomial",
            ),
        ),
    }


def scenario_base_rates(
    iso3: str,
    as_of: pd.Timestamp,
    indicators: dict[str, dict],
    tables: DiversionTables,
    config: Config,
    references: pd.DataFrame | None = None,
) -> dict[str, dict]:
    """Return the country's own base rates and the reference rates of S1–S3.

    Parameters
    ----------
    iso3 : str
    as_of : pandas.Timestamp
    indicators : dict
        :func:`~.indicators.country_indicators` (the V-Dem regime picks the references).
    tables : DiversionTables
    config : Mapping
    references : pandas.DataFrame, optional
        :func:`~.reference.reference_rates` (built from ``tables`` when omitted).

    Returns
    -------
    dict
        Scenario id → ``own`` (base-rate dict with ``window``, ``data_date`` and
        ``entry_year_curated``; None when not computable, then ``missing_reason``) and
        ``references`` (list of base-rate dicts with ``label``).
    """
    refs = build_reference_rates(tables, as_of, config) if references is None else references
    regime = indicators["vdem_regime"].get("regime_label")
    return {
        "S1": interstate_base_rates(tables, iso3, as_of, refs, config),
        "S2": coup_base_rates(tables, iso3, as_of, refs, regime, config),
        "S3": violence_base_rates(tables, iso3, as_of, refs, regime, config),
    }


# --------------------------------------------------------------------------------------------
# Likelihoods
# --------------------------------------------------------------------------------------------


NO_BASE_RATE = "judgement, no base rate"
"""How a scenario without data states its likelihood (no probability is given)."""


def _scaled(own: dict | None, multiplier: float) -> dict | None:
    """Return the own rate with its interval multiplied (a binomial share capped at 1)."""
    if own is None or multiplier == 1.0:
        return own
    cap = 1.0 if own["method"] == "binomial" else float("inf")
    return {
        **own,
        "rate_per_year": min(own["rate_per_year"] * multiplier, cap),
        "interval": [min(v * multiplier, cap) for v in own["interval"]],
        "multiplier": multiplier,
    }


def qualitative_likelihood(
    scenario: Mapping[str, Any], indicators: dict[str, dict], cfg: Config
) -> tuple[dict, list[dict]]:
    """Likelihood of a qualitative scenario: its stated terms moved by the modifiers that hold.

    Returns
    -------
    tuple
        ``(fields, modifiers)``: per horizon ``probability_<h>``, ``likelihood_<h>`` and
        ``yardstick_<h>`` None (no number without a base rate) and ``judgement_<h>`` (the
        stated term moved by the modifiers that hold); ``likelihood_basis`` (:data:`NO_BASE_RATE`),
        the empty base-rate fields, and each modifier with ``holds``.
    """
    modifiers = []
    steps = 0
    for cond in scenario.get("modifiers", []):
        holds = condition_holds(indicators, cond)
        modifiers.append(
            {
                "indicator": cond["indicator"],
                "field": cond.get("field", "value"),
                "op": cond["op"],
                "threshold": cond["threshold"],
                "steps": cond["steps"],
                "holds": holds,
                "rationale": _words(cond["rationale"]),
            }
        )
        if holds:
            steps += int(cond["steps"])
    fields: dict[str, Any] = {}
    for h in cfg["horizons_years"]:
        # no base rate: no number and no yardstick term, only the project's stated judgement
        fields[f"probability_{h}"] = None
        fields[f"likelihood_{h}"] = None
        fields[f"yardstick_{h}"] = None
        fields[f"base_rate_range_{h}"] = None
        fields[f"judgement_{h}"] = shift_term(scenario["qualitative"][h], steps, cfg["yardstick"])
    fields["likelihood_basis"] = NO_BASE_RATE
    fields["base_rate"] = None
    fields["base_rate_missing_reason"] = _words(scenario["qualitative_rationale"])
    fields["references"] = []
    fields["own_probability"] = None
    return fields, modifiers


def grayzone_modifier(indicators: dict[str, dict], cfg: Config) -> tuple[dict, float]:
    """S1's gray-zone modifier and the multiplier it puts on the upper rate (1 when it fails)."""
    gm = cfg["base_rates"]["grayzone_modifier"]
    threshold = gm["min_mean_events_per_year"]
    holds = condition_holds(
        indicators, {"indicator": "grayzone_mean_3y", "op": ">=", "threshold": threshold}
    )
    modifier = {
        "indicator": "grayzone_mean_3y",
        "field": "value",
        "op": ">=",
        "threshold": threshold,
        "rate_multiplier": gm["rate_multiplier"],
        "holds": holds,
        "value": indicators["grayzone_mean_3y"]["value"],
        "rationale": _words(gm["rationale"]),
    }
    return modifier, float(gm["rate_multiplier"]) if holds else 1.0


def own_probabilities(own: dict | None, horizons: Mapping[str, float]) -> dict | None:
    """Probability of at least one event per horizon from the own rate and its interval.

    ``point``: the posterior predictive probability of the own events and exposure under
    the Jeffreys prior, the rate's ``multiplier`` applied
    (:func:`~osa_analysis.analyse.diversion.rates.predictive_probability`; positive after
    zero events); ``interval``: the exact interval of the rate, over the horizon.
    """
    if own is None:
        return None
    out = {}
    for h, years in horizons.items():
        point = predictive_probability(
            own["events"], own["years"], years, own["method"], own.get("multiplier", 1.0)
        )
        interval = [
            probability(own["interval"][0], years, own["method"]),
            probability(own["interval"][1], years, own["method"]),
        ]
        out[h] = {
            "point": point,
            "interval": interval,
            "point_pct": 100 * point,
            "interval_pct": [100 * v for v in interval],
        }
    return out or None


def add_reference_probabilities(refs: list[dict], horizons: Mapping[str, float]) -> None:
    """Add ``probability`` and ``probability_pct`` per horizon to each reference rate."""
    for ref in refs:
        ref["probability"] = {
            h: probability(ref["rate_per_year"], years, ref["method"])
            for h, years in horizons.items()
        }
        ref["probability_pct"] = {h: 100 * v for h, v in ref["probability"].items()}


def quantitative_likelihood(
    scenario: Mapping[str, Any],
    rates: dict,
    indicators: dict[str, dict],
    as_of: pd.Timestamp,
    cfg: Config,
    model: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[dict, list[dict], tuple[str, list[str]]]:
    """Likelihood of a base-rate scenario over each horizon, with its confidence.

    Parameters
    ----------
    model : Mapping, optional
        Per horizon, the probability of the model the backtest selects for this kind
        (:func:`osa_analysis.analyse.backtest.apply.selected_probabilities`): its
        ``probability`` and ``interval`` replace the own rate's; a horizon with a
        ``missing_reason`` keeps the own rate. The own rate stays in ``own_probability``.

    Returns
    -------
    tuple
        ``(fields, modifiers, (confidence, reasons))``: per horizon ``probability_<h>``
        (P(≥ 1 event): the selected model's, else the country's own rate with the
        gray-zone modifier applied), ``likelihood_<h>`` (its 95% interval),
        ``yardstick_<h>`` (the term of the probability), ``model_<h>`` (the model's
        record, None for the own rate) and ``base_rate_range_<h>`` (lowest to highest
        over the own and the reference rates); ``likelihood_basis``, ``base_rate``,
        ``base_rate_missing_reason``, ``references``, ``own_probability`` and
        ``data_lag_years``.
    """
    sid = scenario["id"]
    own, refs = rates["own"], rates["references"]
    horizons = cfg["horizons_years"]
    modifiers, multiplier = [], 1.0
    if sid == "S1":
        modifier, multiplier = grayzone_modifier(indicators, cfg)
        modifiers.append(modifier)
    fields: dict[str, Any] = {}
    own_p = own_probabilities(_scaled(own, multiplier), horizons)
    for h, years in horizons.items():
        # the probability: the country's own rate (times the modifier when it holds), its
        # exact interval, and its word from the yardstick; the spread over the reference
        # rates is reported apart (a range over base-rate choices, not an uncertainty)
        point = None if own_p is None else own_p[h]["point"]
        interval = None if own_p is None else own_p[h]["interval"]
        chosen = (model or {}).get(h)
        if chosen is not None and chosen.get("probability") is not None:
            point, interval = chosen["probability"], list(chosen["interval"])
        fields[f"model_{h}"] = None if chosen is None else dict(chosen)
        fields[f"probability_{h}"] = point
        fields[f"likelihood_{h}"] = interval
        fields[f"yardstick_{h}"] = (
            None if point is None else yardstick_term(point, cfg["yardstick"])
        )
        fields[f"base_rate_range_{h}"] = likelihood_range(own, refs, years, multiplier)
        fields[f"judgement_{h}"] = None
    used = [m for m in (model or {}).values() if m.get("probability") is not None]
    if used:
        fields["likelihood_basis"] = (
            f"the logistic model selected by the backtest ({used[0]['method_version']})"
        )
    else:
        fields["likelihood_basis"] = (
            "the country's own base rate" if own is not None else "no own base rate"
        )
    add_reference_probabilities(refs, horizons)
    fields["base_rate"] = own
    fields["base_rate_missing_reason"] = rates["missing_reason"]
    fields["references"] = refs
    fields["own_probability"] = own_p
    lag = None if own is None else (as_of - pd.Timestamp(own["data_date"])).days / DAYS_PER_YEAR
    confidence = confidence_level(
        scenario["method"],
        None if own is None else own["events"],
        lag,
        cfg["confidence"]["caps"].get(sid),
        cfg["confidence"],
        len(refs),
    )
    fields["data_lag_years"] = lag
    return fields, modifiers, confidence


# --------------------------------------------------------------------------------------------
# Controls, residual risk and the register
# --------------------------------------------------------------------------------------------


def scenario_controls(scenario: Mapping[str, Any], cfg: Config) -> list[dict]:
    """Return the OSA controls of a scenario with their config texts."""
    return [
        {"id": c, **{k: _words(v) for k, v in cfg["controls"][c].items()}}
        for c in scenario["controls"]
    ]


def scenario_residual(
    term: str | None, relevance_overall: str, scenario: Mapping[str, Any], cfg: Config
) -> dict:
    """Residual risk of a scenario (not computable without a likelihood term)."""
    if term is None:
        residual = {
            "score": None,
            "class_before_controls": "not computable",
            "mitigation_steps": scenario["mitigation_steps"],
            "class": "not computable",
            "reason": "no likelihood",
        }
    else:
        residual = residual_risk(
            term, relevance_overall, scenario["mitigation_steps"], cfg["residual"], cfg["relevance"]
        )
    residual["mitigation_rationale"] = _words(scenario["mitigation_rationale"])
    return residual


def scenario_entry(
    scenario: Mapping[str, Any],
    rates: dict[str, dict],
    indicators: dict[str, dict],
    categories: list[str],
    as_of: pd.Timestamp,
    cfg: Config,
    model: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict:
    """One row of the register (:func:`scenario_register`; ``model``: its selected model)."""
    sid = scenario["id"]
    entry: dict[str, Any] = {
        "id": sid,
        "label": scenario["label"],
        "event_definition": _words(scenario["event_definition"]),
        "method": scenario["method"],
        "resolution_source": scenario.get("resolution_source"),
    }
    if scenario["method"] == "qualitative":
        fields, modifiers = qualitative_likelihood(scenario, indicators, cfg)
        confidence = confidence_level("qualitative", None, None, None, cfg["confidence"])
    else:
        fields, modifiers, confidence = quantitative_likelihood(
            scenario, rates[sid], indicators, as_of, cfg, model
        )
    entry.update(fields)
    for h in cfg["horizons_years"]:
        lik = entry[f"likelihood_{h}"]
        entry[f"likelihood_{h}_pct"] = None if lik is None else [100 * v for v in lik]
        p = entry[f"probability_{h}"]
        entry[f"probability_{h}_pct"] = None if p is None else 100 * p
    entry["modifiers"] = modifiers
    entry["confidence"], entry["confidence_reasons"] = confidence
    rel = equipment_relevance(categories, sid, cfg["relevance"])
    entry["equipment_relevance"] = rel["by_category"]
    entry["equipment_relevance_overall"] = rel["overall"]
    entry["controls"] = scenario_controls(scenario, cfg)
    horizon = cfg["residual"]["likelihood_horizon"]
    term = entry[f"yardstick_{horizon}"] or entry[f"judgement_{horizon}"]
    entry["residual"] = scenario_residual(term, rel["overall"], scenario, cfg)
    return entry


def scenario_register(
    iso3: str,
    as_of: pd.Timestamp,
    projects: pd.DataFrame,
    tables: DiversionTables,
    config: Config,
    indicators: dict[str, dict] | None = None,
    references: pd.DataFrame | None = None,
    models: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
) -> list[dict]:
    """Build the S1–S6 scenario register for one state and its OSA equipment.

    Parameters
    ----------
    iso3 : str
    as_of : pandas.Timestamp
    projects : pandas.DataFrame
        OSA projects (the store's ``osa_projects``); only the state's projects that count
        under the config's ``project_rule`` are used (:func:`~.equipment.project_categories`).
    tables : DiversionTables
    config : Mapping
    indicators : dict, optional
        :func:`~.indicators.country_indicators` output (computed when omitted).
    references : pandas.DataFrame, optional
        :func:`~.reference.reference_rates` (built from ``tables`` when omitted).
    models : Mapping, optional
        Scenario id → the selected model's probabilities by horizon
        (:func:`osa_analysis.analyse.backtest.apply.selected_probabilities`); scenarios
        not in it use their own base rate.

    Returns
    -------
    list of dict
        One per scenario: ``id``, ``label``, ``event_definition``, ``method``,
        ``likelihood_12m`` and ``likelihood_36m`` (``[lo, hi]`` probabilities), their
        ``_pct`` versions, ``yardstick_12m``, ``yardstick_36m``, ``base_rate`` (the country's
        own: ``events``, ``years``, ``rate_per_year``, ``interval``...; None for qualitative
        scenarios, with ``base_rate_missing_reason``), ``references``, ``own_probability``
        (per horizon: point and interval from the own rate), ``modifiers``, ``confidence``,
        ``confidence_reasons``, ``equipment_relevance`` (category → level),
        ``equipment_relevance_overall``, ``controls``, ``residual``.
    """
    iso3 = iso3.upper()
    if indicators is None:
        indicators = country_indicators(iso3, as_of, 0, tables, config)
    categories = category_list(project_categories(projects, iso3, as_of))
    rates = scenario_base_rates(iso3, as_of, indicators, tables, config, references)
    return [
        scenario_entry(
            sc, rates, indicators, categories, as_of, config, (models or {}).get(sc["id"])
        )
        for sc in config["scenarios"]
    ]
