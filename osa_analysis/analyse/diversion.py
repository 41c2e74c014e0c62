"""OSA misuse and diversion risk, conditioned on the equipment supplied.

Implements brief-anchors Part B section 8 and Part A4 for any state and any as-of date,
from the global tables (UCDP/PRIO ACD, UCDP Organized Violence, WGI, V-Dem ERT, Powell &
Thyne coups, World Bank population, SCSDI gray-zone events, the harmonised incident table)
and the curated OSA project table:

* **Criterion matrix** (:func:`criterion_matrix`): EU Common Position criteria 2, 3, 4 and 7,
  ATT Art. 7(1)(a), 7(1)(b)(i)-(ii) and Art. 11, and Japan's Three Principles "party to a
  conflict" test twice: the narrow legal test (a curated flag: UN Security Council measures)
  and the empirical flag (primary party to an active UCDP conflict). Each row is rated
  not critical / possibly critical / critical (BICC style) from thresholds in the config,
  with a trend against the same rule applied five years earlier.
* **Scenario register** (:func:`scenario_register`): S1-S6 with likelihoods over 12 and 36
  months from stated base rates (exact Poisson or binomial intervals; ``P(≥1 in T) = 1 −
  exp(−λT)``), PHIA yardstick terms, confidence, equipment relevance from the OSA projects
  table, the OSA controls and a residual rating.
* **Trip-wires** (:func:`tripwires`): computed conditions with status and data date.

Every method choice (indicators, thresholds, windows, yardstick, relevance matrix, residual
rule) is in ``data/risk/diversion.yaml``; its ``method_version`` and sha256 are reported.
Missing data are reported as missing with the reason; nothing is imputed, and values carried
forward within the configured look-back are flagged.
"""

from __future__ import annotations

import copy
import hashlib
import math
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from osa_analysis.analyse.channels import source_coverage
from osa_analysis.core.config import CURATED_DIR
from osa_analysis.core.countries import country_name
from osa_analysis.core.stats import binomial_interval, poisson_interval
from osa_analysis.core.yamlio import safe_load
from osa_analysis.sources.cache import cached_table

CONFIG_FILE = CURATED_DIR / "risk" / "diversion.yaml"
"""The method configuration (versioned by its ``method_version``)."""

SOURCES = (
    "ucdp_prio_acd",
    "ucdp_orgviolence_cy",
    "wgi",
    "vdem_ert",
    "coups_powell_thyne",
    "wb_population",
    "scsdi_geocoded",
    "scsdi_published",
)
"""Registry ids of the tables the assessment reads (the incident table adds its own)."""

REFERENCE_SOURCES = ("ucdp_prio_acd", "ucdp_orgviolence_cy", "coups_powell_thyne", "vdem_ert")
"""Inputs of the cached global reference-rate table."""

PRIMARY_ROLES = ("side_a_primary", "side_b_primary")
INTERSTATE = 2
INTRASTATE = (3, 4)
WAR_INTENSITY = 2
LEVEL = 0.95
"""Confidence level of the exact intervals (not a method choice: the brief-wide convention)."""

AVAILABLE = ("ok", "carried forward")
"""Indicator statuses that carry a usable value."""
MISSING = ("missing", "no history")

INDICATORS: dict[str, dict[str, str]] = {
    "ucdp_primary_any": {
        "label": "active UCDP conflicts with the state as primary party",
        "unit": "conflicts",
        "source": "ucdp_prio_acd",
    },
    "ucdp_primary_intrastate": {
        "label": "active internal conflicts with the state as primary party",
        "unit": "conflicts",
        "source": "ucdp_prio_acd",
    },
    "ucdp_primary_interstate": {
        "label": "active interstate conflicts with the state as primary party",
        "unit": "conflicts",
        "source": "ucdp_prio_acd",
    },
    "ucdp_primary_war": {
        "label": "war-intensity conflicts (≥ 1,000 battle deaths) with the state as primary party",
        "unit": "conflicts",
        "source": "ucdp_prio_acd",
    },
    "ucdp_interstate_years_10y": {
        "label": "years of the last 10 with an interstate conflict (state primary party)",
        "unit": "years",
        "source": "ucdp_prio_acd",
    },
    "sb_deaths_per_million": {
        "label": "state-based battle deaths per million people",
        "unit": "deaths per million",
        "source": "ucdp_orgviolence_cy",
    },
    "gov_osv_deaths": {
        "label": "one-sided violence deaths by the government",
        "unit": "deaths",
        "source": "ucdp_orgviolence_cy",
    },
    "gov_osv_per_million": {
        "label": "government one-sided violence deaths per million people",
        "unit": "deaths per million",
        "source": "ucdp_orgviolence_cy",
    },
    "gov_osv_years_5y": {
        "label": "years of the last 5 with government one-sided violence",
        "unit": "years",
        "source": "ucdp_orgviolence_cy",
    },
    "gov_osv_conflict_years_5y": {
        "label": "years of the last 5 with government one-sided violence during armed conflict",
        "unit": "years",
        "source": "ucdp_orgviolence_cy",
    },
    "vdem_regime": {
        "label": "V-Dem Regimes of the World (0 closed autocracy to 3 liberal democracy)",
        "unit": "category",
        "source": "vdem_ert",
    },
    "vdem_autocratization": {
        "label": "in a V-Dem autocratization episode (1 yes, 0 no)",
        "unit": "flag",
        "source": "vdem_ert",
    },
    "wgi_pv": {"label": "WGI political stability", "unit": "WGI estimate", "source": "wgi"},
    "wgi_rl": {"label": "WGI rule of law", "unit": "WGI estimate", "source": "wgi"},
    "wgi_cc": {"label": "WGI control of corruption", "unit": "WGI estimate", "source": "wgi"},
    "wgi_ge": {"label": "WGI government effectiveness", "unit": "WGI estimate", "source": "wgi"},
    "coup_attempts_10y": {
        "label": "coup attempts in the 10 years to the coup data end",
        "unit": "attempts",
        "source": "coups_powell_thyne",
    },
    "grayzone_mean_3y": {
        "label": "SCSDI gray-zone events a year with the state as actor (3-year mean)",
        "unit": "events per year",
        "source": "scsdi_published",
    },
    "legal_unsc_measures": {
        "label": "under UN Security Council measures in Japan's sense (1 yes, 0 no)",
        "unit": "flag",
        "source": "curated (data/risk/diversion.yaml)",
    },
}
"""Indicators the config may use: label, unit and source registry id."""

REGIME_LABELS = {
    0: "closed autocracy",
    1: "electoral autocracy",
    2: "electoral democracy",
    3: "liberal democracy",
}

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}

# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------


@cache
def _config_cached(path: str) -> tuple[dict, str]:
    text = Path(path).read_text(encoding="utf-8")
    cfg = safe_load(text)
    problems = config_problems(cfg)
    if problems:
        raise ValueError(f"{path}: invalid diversion config: " + "; ".join(problems))
    return cfg, hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_config(path: Path | str | None = None) -> dict:
    """Return the diversion method configuration (validated; cached per path).

    Parameters
    ----------
    path : Path or str, optional
        A YAML file in the layout of ``data/risk/diversion.yaml`` (the default).

    Returns
    -------
    dict
        The parsed configuration. Treat it as read-only (it is shared).

    Raises
    ------
    ValueError
        The configuration misses a key, names an unknown indicator or lacks a rationale.
    """
    return _config_cached(str(path or CONFIG_FILE))[0]


def config_sha(path: Path | str | None = None) -> str:
    """Return the sha256 of the configuration text (part of every cache key)."""
    return _config_cached(str(path or CONFIG_FILE))[1]


def config_problems(cfg: dict) -> list[str]:
    """List what is wrong with a diversion configuration (empty when valid).

    Parameters
    ----------
    cfg : dict
        Parsed YAML.

    Returns
    -------
    list of str
    """
    from osa_analysis.sources.recipients import EQUIPMENT_CATEGORIES

    problems = []
    for key in (
        "method_version",
        "ratings",
        "trend",
        "data",
        "legal_party_to_conflict",
        "criteria",
        "criteria_out_of_scope",
        "yardstick",
        "horizons_years",
        "confidence",
        "base_rates",
        "scenarios",
        "controls",
        "relevance",
        "residual",
        "tripwires",
    ):
        if key not in cfg:
            problems.append(f"missing key {key!r}")
    if problems:
        return problems

    def check_condition(where: str, cond: dict) -> None:
        if cond.get("indicator") not in INDICATORS:
            problems.append(f"{where}: unknown indicator {cond.get('indicator')!r}")
        if cond.get("op") not in _OPS:
            problems.append(f"{where}: unknown op {cond.get('op')!r}")
        if cond.get("field", "value") not in ("value", "low", "high"):
            problems.append(f"{where}: unknown field {cond.get('field')!r}")
        if not str(cond.get("rationale", "")).strip():
            problems.append(f"{where}: condition without a rationale")
        if "requires" in cond:
            req = cond["requires"]
            if req.get("indicator") not in INDICATORS or req.get("op") not in _OPS:
                problems.append(f"{where}: bad 'requires'")

    ids = set()
    for crit in cfg["criteria"]:
        cid = crit.get("id")
        ids.add(cid)
        for key in ("framework", "label", "short", "primary", "indicators"):
            if key not in crit:
                problems.append(f"criterion {cid}: missing {key!r}")
        for name in crit.get("indicators", []):
            if name not in INDICATORS:
                problems.append(f"criterion {cid}: unknown indicator {name!r}")
        for level in ("critical", "possibly_critical"):
            for cond in crit.get(level) or []:
                check_condition(f"criterion {cid} {level}", cond)
    if len(ids) != len(cfg["criteria"]):
        problems.append("criterion ids are not unique")
    terms = [t["term"] for t in cfg["yardstick"]["terms"]]
    if len(cfg["yardstick"]["cut_points"]) != len(terms) - 1:
        problems.append("yardstick: cut_points must number one fewer than terms")
    if list(cfg["yardstick"]["cut_points"]) != sorted(cfg["yardstick"]["cut_points"]):
        problems.append("yardstick: cut_points must be increasing")
    scenario_ids = [s["id"] for s in cfg["scenarios"]]
    for s in cfg["scenarios"]:
        if s.get("method") not in ("poisson", "binomial", "qualitative"):
            problems.append(f"scenario {s.get('id')}: unknown method {s.get('method')!r}")
        if s.get("method") == "qualitative":
            for h in cfg["horizons_years"]:
                if s.get("qualitative", {}).get(h) not in terms:
                    problems.append(f"scenario {s['id']}: qualitative term for {h} not a term")
            for cond in s.get("modifiers", []):
                check_condition(f"scenario {s['id']} modifier", cond)
        for c in s.get("controls", []):
            if c not in cfg["controls"]:
                problems.append(f"scenario {s['id']}: unknown control {c!r}")
        if not str(s.get("mitigation_rationale", "")).strip():
            problems.append(f"scenario {s['id']}: no mitigation rationale")
    matrix = cfg["relevance"]["matrix"]
    levels = cfg["relevance"]["levels"]
    for cat in EQUIPMENT_CATEGORIES:
        row = matrix.get(cat)
        if row is None:
            problems.append(f"relevance: no row for equipment category {cat!r}")
            continue
        for sid in scenario_ids:
            if row.get(sid) not in levels:
                problems.append(f"relevance: {cat} x {sid} is not one of {levels}")
    for term in terms:
        if term not in cfg["residual"]["likelihood_score"]:
            problems.append(f"residual: no likelihood score for {term!r}")
    return problems


# --------------------------------------------------------------------------------------------
# Pure method helpers
# --------------------------------------------------------------------------------------------


def prob_at_least_one(rate_per_year: float, years: float) -> float:
    """Return ``P(at least one event in years)`` for a Poisson rate: ``1 − exp(−λT)``.

    Parameters
    ----------
    rate_per_year : float
        Events per year (λ ≥ 0).
    years : float
        Horizon T in years.

    Returns
    -------
    float

    Examples
    --------
    >>> round(prob_at_least_one(5 / 73, 3), 4)
    0.1858
    """
    if rate_per_year < 0 or years < 0:
        raise ValueError("rate and horizon must be non-negative")
    return 1.0 - math.exp(-rate_per_year * years)


def prob_at_least_one_binomial(p_per_year: float, years: float) -> float:
    """Return ``P(at least one event year in years)``: ``1 − (1 − p)^T``.

    Parameters
    ----------
    p_per_year : float
        Probability that a year is an event year (0–1).
    years : float
        Horizon T in years.

    Returns
    -------
    float
    """
    if not 0 <= p_per_year <= 1 or years < 0:
        raise ValueError("p must be in [0, 1] and the horizon non-negative")
    return 1.0 - (1.0 - p_per_year) ** years


def poisson_base_rate(events: int, years: float, level: float = LEVEL) -> dict:
    """Return a Poisson base rate with its exact (Garwood) interval.

    Parameters
    ----------
    events : int
        Events observed.
    years : float
        Exposure in years (> 0).
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``events``, ``years``, ``rate_per_year`` (λ = events / years), ``interval`` (the
        Garwood interval of the count divided by ``years``), ``interval_kind``, ``method``
        (``"poisson"``).
    """
    if not years > 0:
        raise ValueError(f"years must be positive, got {years!r}")
    lo, hi = poisson_interval(events, level)
    return {
        "events": int(events),
        "years": float(years),
        "rate_per_year": events / years,
        "interval": [lo / years, hi / years],
        "interval_kind": f"exact Poisson (Garwood) {round(level * 100)}%",
        "method": "poisson",
    }


def binomial_base_rate(events: int, trials: int, level: float = LEVEL) -> dict:
    """Return the share of event years with its exact (Clopper–Pearson) interval.

    Parameters
    ----------
    events : int
        Event years.
    trials : int
        Years observed (> 0).
    level : float
        Confidence level.

    Returns
    -------
    dict
        As :func:`poisson_base_rate`, with ``rate_per_year`` the share ``events / trials``
        (the probability that a year is an event year) and ``method`` ``"binomial"``.
    """
    if not trials > 0:
        raise ValueError(f"trials must be positive, got {trials!r}")
    lo, hi = binomial_interval(events, trials, level)
    return {
        "events": int(events),
        "years": int(trials),
        "rate_per_year": events / trials,
        "interval": [lo, hi],
        "interval_kind": f"exact binomial (Clopper–Pearson) {round(level * 100)}%",
        "method": "binomial",
    }


def probability(rate: float, years: float, method: str) -> float:
    """Return ``P(≥ 1 event in years)`` from a rate of the given method (poisson/binomial)."""
    if method == "poisson":
        return prob_at_least_one(rate, years)
    if method == "binomial":
        return prob_at_least_one_binomial(rate, years)
    raise ValueError(f"unknown method {method!r}")


def yardstick_term(p: float, yardstick: dict) -> str:
    """Name a probability with the PHIA yardstick of the config.

    A probability gets the term whose range holds it; in a gap between ranges, the nearer
    term (``cut_points`` are the gap middles; a value on a cut point goes up).

    Parameters
    ----------
    p : float
        Probability (0–1).
    yardstick : dict
        The config's ``yardstick`` block (``terms``, ``cut_points``).

    Returns
    -------
    str
    """
    if not 0 <= p <= 1:
        raise ValueError(f"probability out of [0, 1]: {p!r}")
    index = sum(p >= c for c in yardstick["cut_points"])
    return yardstick["terms"][index]["term"]


def term_range(term: str, yardstick: dict) -> list[float]:
    """Return the PHIA range ``[lo, hi]`` of a yardstick term."""
    for t in yardstick["terms"]:
        if t["term"] == term:
            return [float(t["range"][0]), float(t["range"][1])]
    raise KeyError(term)


def shift_term(term: str, steps: int, yardstick: dict) -> str:
    """Move a yardstick term ``steps`` ranges up (down when negative), within the scale."""
    terms = [t["term"] for t in yardstick["terms"]]
    index = min(max(terms.index(term) + steps, 0), len(terms) - 1)
    return terms[index]


def condition_holds(indicators: dict[str, dict], cond: dict) -> bool | None:
    """Evaluate one config condition on a country's indicators.

    Parameters
    ----------
    indicators : dict
        Indicator name → record (``value``, ``low``, ``high``, ``status``).
    cond : dict
        ``indicator``, ``field`` (value, low, high; default value), ``op``, ``threshold`` and
        optionally ``requires`` (a second condition that must hold too).

    Returns
    -------
    bool or None
        None when the indicator (or the field) is missing; False when it is not applicable.
    """
    ind = indicators.get(cond["indicator"])
    if ind is None or ind["status"] in MISSING:
        return None
    if ind["status"] == "not applicable":
        return False
    value = ind.get(cond.get("field", "value"))
    if value is None:
        return None
    holds = bool(_OPS[cond["op"]](float(value), float(cond["threshold"])))
    if holds and "requires" in cond:
        return condition_holds(indicators, {"field": "value", **cond["requires"]})
    return holds


def rate_criterion(indicators: dict[str, dict], criterion: dict, ratings: dict) -> dict:
    """Rate one criterion from its config conditions (see ``ratings.missing_rule``).

    Parameters
    ----------
    indicators : dict
        Indicator name → record.
    criterion : dict
        One entry of the config's ``criteria``.
    ratings : dict
        The config's ``ratings`` block.

    Returns
    -------
    dict
        ``rating`` (one of ``ratings.order`` or ``ratings.not_computable``), ``met`` (list of
        the conditions that hold: ``level``, ``indicator``, ``field``, ``op``, ``threshold``,
        ``rationale``) and ``missing`` (indicators the rule needs that are missing).
    """
    met = []
    for level, label in (("critical", "critical"), ("possibly_critical", "possibly critical")):
        for cond in criterion.get(level) or []:
            if condition_holds(indicators, cond):
                met.append(
                    {
                        "level": label,
                        "indicator": cond["indicator"],
                        "field": cond.get("field", "value"),
                        "op": cond["op"],
                        "threshold": cond["threshold"],
                        "rationale": " ".join(str(cond["rationale"]).split()),
                    }
                )
    needed = list(dict.fromkeys(_criterion_indicators(criterion)))
    missing = [n for n in needed if indicators.get(n) is None or indicators[n]["status"] in MISSING]
    if any(m["level"] == "critical" for m in met):
        rating = "critical"
    elif met:
        rating = "possibly critical"
    elif missing:
        rating = ratings["not_computable"]
    else:
        rating = "not critical"
    return {"rating": rating, "met": met, "missing": missing}


def _criterion_indicators(criterion: dict) -> list[str]:
    names = list(criterion["indicators"])
    for level in ("critical", "possibly_critical"):
        for cond in criterion.get(level) or []:
            names.append(cond["indicator"])
            if "requires" in cond:
                names.append(cond["requires"]["indicator"])
    return names


def trend_label(now: str, then: str, ratings: dict) -> str:
    """Compare a rating with the one five years earlier: worse, better, unchanged or n/a."""
    order = ratings["order"]
    if now not in order or then not in order:
        return "not computable"
    diff = order.index(now) - order.index(then)
    return "worse" if diff > 0 else "better" if diff < 0 else "unchanged"


def confidence_level(
    method: str,
    own_events: int | None,
    data_lag_years: float | None,
    cap: str | None,
    cfg: dict,
    n_references: int | None = None,
) -> tuple[str, list[str]]:
    """Confidence in a scenario likelihood by the config's data-quality rule.

    Parameters
    ----------
    method : str
        ``poisson``, ``binomial`` or ``qualitative``.
    own_events : int or None
        Events in the country's own base rate.
    data_lag_years : float or None
        Years from the base-rate data end to as_of.
    cap : str or None
        Highest level allowed for the scenario (config ``caps``).
    cfg : dict
        The config's ``confidence`` block.
    n_references : int, optional
        Reference (pooled) rates available; 0 lowers the level by
        ``no_reference_downgrade``.

    Returns
    -------
    tuple
        ``(level, reasons)``; level one of ``cfg["levels"]`` (L, M, H).
    """
    levels = cfg["levels"]
    if method == "qualitative":
        return cfg["qualitative"], ["qualitative yardstick (no base-rate data)"]
    index = levels.index(cfg["quantitative_start"])
    reasons = ["quantitative base rate"]
    if own_events is not None and own_events < cfg["min_events"]:
        index -= 1
        reasons.append(f"fewer than {cfg['min_events']} events in the country's own record")
    if data_lag_years is not None and data_lag_years > cfg["max_data_lag_years"]:
        index -= 1
        reasons.append(
            f"base-rate data end {data_lag_years:.1f} years before as_of "
            f"(> {cfg['max_data_lag_years']})"
        )
    if n_references == 0:
        index -= int(cfg["no_reference_downgrade"])
        reasons.append("no reference (pooled) rate available")
    index = max(index, 0)
    if cap is not None and index > levels.index(cap):
        index = levels.index(cap)
        reasons.append(f"capped at {cap} (proxy limits)")
    return levels[index], reasons


def project_categories(projects: pd.DataFrame, iso3: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """Return the OSA projects of a country that count for relevance (``project_rule``).

    Parameters
    ----------
    projects : pandas.DataFrame
        :func:`osa_analysis.sources.recipients.load_osa_projects` output (or a synthetic frame with
        ``project_id``, ``country_iso3``, ``equipment_categories``, ``signed_date``,
        ``status``).
    iso3 : str
    as_of : pandas.Timestamp

    Returns
    -------
    pandas.DataFrame
        Rows signed on or before ``as_of`` and designated candidates without a signing date.
    """
    mine = projects[projects["country_iso3"] == iso3]
    signed = pd.to_datetime(mine["signed_date"])
    keep = signed.le(as_of).fillna(False) | (
        signed.isna() & mine["status"].eq("designated_candidate")
    )
    return mine[keep.to_numpy()].reset_index(drop=True)


def equipment_relevance(categories: Iterable[str], scenario_id: str, relevance: dict) -> dict:
    """Look up the relevance of a country's equipment to one scenario.

    Parameters
    ----------
    categories : iterable of str
        Equipment categories (:data:`osa_analysis.sources.recipients.EQUIPMENT_CATEGORIES`).
    scenario_id : str
        ``S1`` … ``S6``.
    relevance : dict
        The config's ``relevance`` block.

    Returns
    -------
    dict
        ``by_category`` (category → level) and ``overall`` (the highest level; the config's
        ``no_equipment`` text when there are no categories).
    """
    cats = list(dict.fromkeys(c for c in categories if c))
    levels = relevance["levels"]
    by_cat = {c: relevance["matrix"][c][scenario_id] for c in cats}
    if not by_cat:
        return {"by_category": {}, "overall": relevance["no_equipment"]}
    overall = max(by_cat.values(), key=levels.index)
    return {"by_category": by_cat, "overall": overall}


def residual_risk(
    term_36m: str, relevance_overall: str, mitigation_steps: int, residual: dict, relevance: dict
) -> dict:
    """Residual risk: likelihood score × relevance score, lowered by effective controls.

    Parameters
    ----------
    term_36m : str
        Yardstick term of the likelihood at the config's ``likelihood_horizon``.
    relevance_overall : str
        Overall equipment relevance (a level, or the ``no_equipment`` text).
    mitigation_steps : int
        Classes the controls remove (config per scenario).
    residual, relevance : dict
        The config's ``residual`` and ``relevance`` blocks.

    Returns
    -------
    dict
        ``score`` (None without equipment), ``class_before_controls``, ``mitigation_steps``
        and ``class`` (``"not applicable"`` without OSA equipment).
    """
    if relevance_overall == relevance["no_equipment"]:
        return {
            "score": None,
            "class_before_controls": "not applicable",
            "mitigation_steps": mitigation_steps,
            "class": "not applicable",
            "reason": relevance["no_equipment"],
        }
    score = residual["likelihood_score"][term_36m] * residual["relevance_score"][relevance_overall]
    classes = [c["class"] for c in residual["classes"]]
    raw = next(c["class"] for c in residual["classes"] if score <= c["max_score"])
    final = raw
    if score > 0 and mitigation_steps:
        floor = classes.index(residual["mitigation_floor"])
        final = classes[max(classes.index(raw) - mitigation_steps, floor)]
    return {
        "score": score,
        "class_before_controls": raw,
        "mitigation_steps": mitigation_steps,
        "class": final,
        "reason": None,
    }


# --- trip-wire logic (pure) -------------------------------------------------------------------


def wgi_fall(est1: float, se1: float, est0: float, se0: float, z: float) -> dict:
    """Whether a WGI estimate fell by more than the combined uncertainty.

    Parameters
    ----------
    est1, se1 : float
        Latest estimate and standard error.
    est0, se0 : float
        Previous estimate and standard error.
    z : float
        Normal quantile (1.645 for WGI's 90% band).

    Returns
    -------
    dict
        ``change`` (est1 − est0), ``threshold`` (z·√(se1² + se0²)) and ``triggered``
        (change < 0 and |change| > threshold).
    """
    change = est1 - est0
    threshold = z * math.sqrt(se1**2 + se0**2)
    return {
        "change": change,
        "threshold": threshold,
        "triggered": change < 0 and -change > threshold,
    }


def count_rise(recent: int, previous: list[int], level: float) -> dict:
    """Whether a count rose beyond its exact Poisson interval.

    Parameters
    ----------
    recent : int
        Count in the recent period.
    previous : list of int
        Counts of the previous periods of the same length.
    level : float
        Level of the exact (Garwood) interval of ``recent``.

    Returns
    -------
    dict
        ``recent``, ``previous``, ``previous_mean``, ``interval`` (of ``recent``) and
        ``triggered`` (the previous mean lies below the interval).
    """
    if not previous:
        raise ValueError("previous counts are needed")
    mean = sum(previous) / len(previous)
    lo, hi = poisson_interval(recent, level)
    return {
        "recent": int(recent),
        "previous": [int(v) for v in previous],
        "previous_mean": mean,
        "interval": [lo, hi],
        "triggered": mean < lo,
    }


# --------------------------------------------------------------------------------------------
# Data tables
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiversionTables:
    """The global tables the assessment reads (real ones from :func:`load_tables`).

    Attributes
    ----------
    acd : pandas.DataFrame
        UCDP/PRIO ACD (:func:`~osa_analysis.sources.loaders.conflict.load_ucdp_acd`).
    conflict_years : pandas.DataFrame
        :func:`~osa_analysis.sources.loaders.conflict.ucdp_conflict_years` of ``acd``.
    orgvio : pandas.DataFrame
        UCDP Organized Violence country-years.
    wgi : pandas.DataFrame
        WGI long table (``country_iso3``, ``year``, ``indicator``, ``estimate``,
        ``std_error``).
    ert : pandas.DataFrame
        V-Dem ERT country-years (``regime``, ``regime_label``, ``polyarchy*``, ``aut_ep``,
        ``aut_ep_start_year``).
    coups : pandas.DataFrame
        Powell & Thyne attempts (``country_iso3``, ``date``, ``outcome``).
    population : pandas.DataFrame
        World Bank population (``country_iso3``, ``year``, ``population``).
    grayzone : pandas.DataFrame
        One row per SCSDI gray-zone event and actor state: ``country_iso3``, ``year``,
        ``date`` (NaT when SCSDI gives only the year).
    piracy : pandas.DataFrame or None
        Piracy and armed robbery events: ``coastal_state_iso3``, ``date``, ``sources``.
    channels : pandas.DataFrame or None
        Reporting channels of ``piracy`` (``group``, ``label``, ``start``, ``end``), as
        :func:`osa_analysis.brief.maritime.source_coverage`.
    """

    acd: pd.DataFrame
    conflict_years: pd.DataFrame
    orgvio: pd.DataFrame
    wgi: pd.DataFrame
    ert: pd.DataFrame
    coups: pd.DataFrame
    population: pd.DataFrame
    grayzone: pd.DataFrame
    piracy: pd.DataFrame | None = None
    channels: pd.DataFrame | None = None
    real: bool = False


@cache
def load_tables() -> DiversionTables:
    """Load the real global tables once per process (each loader is disk-cached)."""
    from osa_analysis.sources.loaders.conflict import (
        load_coups_powell_thyne,
        load_ucdp_acd,
        load_ucdp_organized_violence,
        ucdp_conflict_years,
    )
    from osa_analysis.sources.loaders.governance import load_vdem_ert
    from osa_analysis.sources.loaders.indicators import load_wb_population, load_wgi

    acd = load_ucdp_acd()
    events = _incident_events()
    piracy = events[events["category"].eq("piracy_armed_robbery").fillna(False).to_numpy()]
    return DiversionTables(
        acd=acd,
        conflict_years=ucdp_conflict_years(acd),
        orgvio=load_ucdp_organized_violence(),
        wgi=load_wgi(),
        ert=load_vdem_ert(),
        coups=load_coups_powell_thyne(),
        population=load_wb_population(),
        grayzone=_grayzone_actor_events(events),
        piracy=piracy[["coastal_state_iso3", "date", "sources"]].reset_index(drop=True),
        channels=source_coverage(),
        real=True,
    )


@cache
def _incident_events() -> pd.DataFrame:
    from osa_analysis.harmonise.incidents import load_incidents

    return load_incidents()


def _grayzone_actor_events(events: pd.DataFrame) -> pd.DataFrame:
    """One row per gray-zone event and actor state; SCSDI's year where the date is partial.

    The same events and years as the gray-zone section
    (:func:`osa_analysis.brief.maritime.grayzone_events`).
    """
    from osa_analysis.sources.loaders.scsdi import event_years

    gz = events[events["category"].eq("gray_zone_coercion").fillna(False).to_numpy()].copy()
    gz["year"] = event_years(gz)
    gz["country_iso3"] = gz["actors_iso3"].astype("string").fillna("").str.split(";")
    long = gz[["incident_id", "country_iso3", "year", "date"]].explode("country_iso3")
    long = long[long["country_iso3"].astype(str).str.len() == 3]
    long = long.drop_duplicates(["incident_id", "country_iso3"])
    return long[["country_iso3", "year", "date"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------------


def complete_year(last_data_year: int, as_of: pd.Timestamp) -> int:
    """Latest year of an annual source observed by ``as_of`` (its 31 December ≤ as_of)."""
    as_of = pd.Timestamp(as_of)
    year = as_of.year if as_of >= pd.Timestamp(as_of.year, 12, 31) else as_of.year - 1
    return int(min(last_data_year, year))


def _record(
    name: str,
    value: float | int | None = None,
    *,
    low: float | None = None,
    high: float | None = None,
    year: int | None = None,
    status: str = "ok",
    note: str | None = None,
    **extra: Any,
) -> dict:
    meta = INDICATORS[name]
    rec = {
        "name": name,
        "label": meta["label"],
        "unit": meta["unit"],
        "source": meta["source"],
        "value": value,
        "low": low,
        "high": high,
        "year": year,
        "status": status,
        "note": note,
        **extra,
    }
    rec["text"] = _indicator_text(rec)
    return rec


def _fmt(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def _indicator_text(rec: dict) -> str:
    """One evidence phrase with the numbers of an indicator record."""
    name, label = rec["name"], rec["label"]
    if rec["status"] in MISSING:
        return f"{label}: missing ({rec['note']})"
    if rec["status"] == "not applicable":
        return f"{label}: not applicable ({rec['note']})"
    year = f" ({rec['year']})" if rec["year"] is not None else ""
    flag = " [carried forward]" if rec["status"] == "carried forward" else ""
    if name.startswith("wgi_"):
        return (
            f"{label} {_fmt(rec['value'], 2)}{year}, 90% band {_fmt(rec['low'], 2)} to "
            f"{_fmt(rec['high'], 2)}{flag}"
        )
    if name == "vdem_regime":
        return (
            f"V-Dem regime {rec['regime_label']}{year}; electoral democracy index "
            f"{_fmt(rec['polyarchy'], 3)} (interval {_fmt(rec['polyarchy_low'], 3)}–"
            f"{_fmt(rec['polyarchy_high'], 3)}){flag}"
        )
    if name == "vdem_autocratization":
        return (
            f"V-Dem autocratization episode{year}: "
            + (f"yes, since {rec['episode_start']}" if rec["value"] else "no")
            + flag
        )
    if name in ("gov_osv_deaths",):
        return (
            f"{label}{year}: {_fmt(rec['value'])} (UCDP best; low–high {_fmt(rec['low'])}–"
            f"{_fmt(rec['high'])})"
        )
    if name in ("gov_osv_per_million", "sb_deaths_per_million"):
        return (
            f"{label}{year}: {_fmt(rec['value'], 2)} ({_fmt(rec['deaths'])} deaths, population "
            f"{_fmt(rec['population_millions'], 1)} million in {rec['population_year']})"
            + (" [population carried forward]" if rec.get("population_carried") else "")
        )
    if name == "grayzone_mean_3y":
        return f"{label}, {rec['first_year']}–{rec['year']}: {_fmt(rec['value'], 1)}"
    if name == "legal_unsc_measures":
        return f"{label}: {'yes' if rec['value'] else 'no'}"
    if name == "coup_attempts_10y":
        return f"{label} ({rec['window'][0]} to {rec['window'][1]}): {_fmt(rec['value'])}"
    if name.endswith(("_5y", "_10y")):
        return f"{label}, {rec['first_year']}–{rec['year']}: {_fmt(rec['value'])}"
    conflicts = rec.get("conflicts") or []
    listed = "; ".join(c["opponent"] for c in conflicts)
    return f"{label}{year}: {_fmt(rec['value'])}" + (f" ({listed})" if listed else "")


def _primary_conflicts(tables: DiversionTables, iso3: str, year: int) -> list[dict]:
    cy = tables.conflict_years
    rows = cy[
        cy["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & cy["role"].isin(PRIMARY_ROLES).to_numpy()
        & (cy["year"] == year).to_numpy()
    ].drop_duplicates("conflict_id")
    out = []
    for r in rows.sort_values("conflict_id").itertuples():
        acd = tables.acd.loc[r.acd_record]
        side_a, side_b = str(acd["side_a"]), str(acd["side_b"])
        opponent = side_b if r.role == "side_a_primary" else side_a
        out.append(
            {
                "conflict_id": int(r.conflict_id),
                "type_of_conflict": int(r.type_of_conflict),
                "intensity_level": int(r.intensity_level),
                "side_a": side_a,
                "side_b": side_b,
                "opponent": opponent,
            }
        )
    return out


def _ucdp_states(tables: DiversionTables) -> frozenset:
    return frozenset(tables.orgvio["country_iso3"].dropna().astype(str))


def _population(tables: DiversionTables, iso3: str, year: int, lookback: int) -> tuple:
    pop = tables.population
    rows = pop[
        pop["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & (pop["year"] <= year).to_numpy()
        & (pop["year"] >= year - lookback).to_numpy()
    ].dropna(subset=["population"])
    if not len(rows):
        return None, None
    last = rows.sort_values("year").iloc[-1]
    return float(last["population"]), int(last["year"])


def country_indicators(
    iso3: str,
    as_of: pd.Timestamp | str,
    shift_years: int = 0,
    tables: DiversionTables | None = None,
    config: dict | None = None,
) -> dict[str, dict]:
    """Compute every indicator of the criterion matrix for one state.

    Parameters
    ----------
    iso3 : str
        Any state in the data.
    as_of : pandas.Timestamp or str
        Nothing observed after this date is used (annual sources: years whose 31 December
        is on or before it).
    shift_years : int
        Evaluate at each source's latest year minus this (for the trend).
    tables : DiversionTables, optional
        Default: :func:`load_tables`.
    config : dict, optional
        Default: :func:`load_config`.

    Returns
    -------
    dict
        Indicator name (:data:`INDICATORS`) → record with ``value``, ``low``, ``high``,
        ``year``, ``status`` (ok, carried forward, missing, not applicable, no history),
        ``note`` (reason when missing), ``text`` (evidence phrase) and indicator-specific
        details.
    """
    tables = tables or load_tables()
    cfg = config or load_config()
    as_of = pd.Timestamp(as_of)
    iso3 = iso3.upper()
    data_cfg = cfg["data"]
    name = country_name(iso3)
    out: dict[str, dict] = {}

    # --- UCDP armed conflict and organized violence
    y_ucdp = complete_year(int(tables.acd["year"].max()), as_of) - shift_years
    ucdp_names = (
        "ucdp_primary_any",
        "ucdp_primary_intrastate",
        "ucdp_primary_interstate",
        "ucdp_primary_war",
        "ucdp_interstate_years_10y",
    )
    ov = tables.orgvio
    ov_rows = ov[ov["country_iso3"].eq(iso3).fillna(False).to_numpy()].set_index("year")
    if iso3 not in _ucdp_states(tables) or y_ucdp not in ov_rows.index:
        reason = f"UCDP does not list {name} as a state in {y_ucdp}"
        for n in (
            *ucdp_names,
            "sb_deaths_per_million",
            "gov_osv_deaths",
            "gov_osv_per_million",
            "gov_osv_years_5y",
            "gov_osv_conflict_years_5y",
        ):
            out[n] = _record(n, status="missing", note=reason, year=y_ucdp)
    else:
        conflicts = _primary_conflicts(tables, iso3, y_ucdp)
        intra = [c for c in conflicts if c["type_of_conflict"] in INTRASTATE]
        inter = [c for c in conflicts if c["type_of_conflict"] == INTERSTATE]
        war = [c for c in conflicts if c["intensity_level"] == WAR_INTENSITY]
        out["ucdp_primary_any"] = _record(
            "ucdp_primary_any", len(conflicts), year=y_ucdp, conflicts=conflicts
        )
        out["ucdp_primary_intrastate"] = _record(
            "ucdp_primary_intrastate", len(intra), year=y_ucdp, conflicts=intra
        )
        out["ucdp_primary_interstate"] = _record(
            "ucdp_primary_interstate", len(inter), year=y_ucdp, conflicts=inter
        )
        out["ucdp_primary_war"] = _record("ucdp_primary_war", len(war), year=y_ucdp, conflicts=war)
        years10 = list(range(y_ucdp - 9, y_ucdp + 1))
        inter_years = [
            y
            for y in years10
            if any(c["type_of_conflict"] == INTERSTATE for c in _primary_conflicts(tables, iso3, y))
        ]
        out["ucdp_interstate_years_10y"] = _record(
            "ucdp_interstate_years_10y",
            len(inter_years),
            year=y_ucdp,
            first_year=years10[0],
            years_with=inter_years,
        )
        row = ov_rows.loc[y_ucdp]
        pop, pop_year = _population(tables, iso3, y_ucdp, data_cfg["population_lookback_years"])
        osv = int(row["os_main_govt_best_deaths"])
        out["gov_osv_deaths"] = _record(
            "gov_osv_deaths",
            osv,
            low=int(row["os_main_govt_low_deaths"]),
            high=int(row["os_main_govt_high_deaths"]),
            year=y_ucdp,
        )
        for ind, deaths, low, high in (
            (
                "gov_osv_per_million",
                osv,
                int(row["os_main_govt_low_deaths"]),
                int(row["os_main_govt_high_deaths"]),
            ),
            (
                "sb_deaths_per_million",
                int(row["sb_best_deaths"]),
                int(row["sb_low_deaths"]),
                int(row["sb_high_deaths"]),
            ),
        ):
            if pop is None:
                out[ind] = _record(
                    ind,
                    status="missing",
                    year=y_ucdp,
                    note=(
                        f"no World Bank population for {name} within "
                        f"{data_cfg['population_lookback_years']} years of {y_ucdp}"
                    ),
                )
            else:
                per = 1e6 / pop
                out[ind] = _record(
                    ind,
                    deaths * per,
                    low=low * per,
                    high=high * per,
                    year=y_ucdp,
                    deaths=deaths,
                    population_millions=pop / 1e6,
                    population_year=pop_year,
                    population_carried=pop_year < y_ucdp,
                )
        years5 = list(range(y_ucdp - 4, y_ucdp + 1))
        have = [y for y in years5 if y in ov_rows.index]
        if len(have) < len(years5):
            note = f"UCDP has {name} for only {len(have)} of the years {years5[0]}–{years5[-1]}"
            for ind in ("gov_osv_years_5y", "gov_osv_conflict_years_5y"):
                out[ind] = _record(ind, status="missing", note=note, year=y_ucdp)
        else:
            osv_years = [y for y in years5 if int(ov_rows.at[y, "os_main_govt_best_deaths"]) >= 1]
            in_conflict = [y for y in osv_years if _primary_conflicts(tables, iso3, y)]
            out["gov_osv_years_5y"] = _record(
                "gov_osv_years_5y",
                len(osv_years),
                year=y_ucdp,
                first_year=years5[0],
                years_with=osv_years,
            )
            out["gov_osv_conflict_years_5y"] = _record(
                "gov_osv_conflict_years_5y",
                len(in_conflict),
                year=y_ucdp,
                first_year=years5[0],
                years_with=in_conflict,
            )

    # --- V-Dem
    ert = tables.ert
    y_vdem = complete_year(int(ert["year"].max()), as_of) - shift_years
    lookback = data_cfg["vdem_lookback_years"]
    rows = ert[
        ert["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & (ert["year"] <= y_vdem).to_numpy()
        & (ert["year"] >= y_vdem - lookback).to_numpy()
    ].dropna(subset=["regime"])
    if not len(rows):
        covered = bool(ert["country_iso3"].eq(iso3).fillna(False).any())
        reason = (
            f"V-Dem has no regime code for {name} in {y_vdem - lookback}–{y_vdem}"
            if covered
            else f"V-Dem does not cover {name}"
        )
        for n in ("vdem_regime", "vdem_autocratization"):
            out[n] = _record(n, status="missing", note=reason, year=y_vdem)
    else:
        last = rows.sort_values("year").iloc[-1]
        status = "ok" if int(last["year"]) == y_vdem else "carried forward"
        regime = int(last["regime"])
        out["vdem_regime"] = _record(
            "vdem_regime",
            regime,
            year=int(last["year"]),
            status=status,
            regime_label=REGIME_LABELS[regime],
            polyarchy=_num(last["polyarchy"]),
            polyarchy_low=_num(last["polyarchy_low"]),
            polyarchy_high=_num(last["polyarchy_high"]),
        )
        aut = bool(last["aut_ep"])
        start = last.get("aut_ep_start_year")
        out["vdem_autocratization"] = _record(
            "vdem_autocratization",
            int(aut),
            year=int(last["year"]),
            status=status,
            episode_start=int(start) if aut and pd.notna(start) else None,
        )

    # --- WGI
    wgi = tables.wgi
    y_wgi = complete_year(int(wgi["year"].max()), as_of) - shift_years
    lb = data_cfg["wgi_lookback_years"]
    z = cfg["tripwires"]["wgi_z"]
    mine = wgi[wgi["country_iso3"].eq(iso3).fillna(False).to_numpy()].dropna(subset=["estimate"])
    for code in ("pv", "rl", "cc", "ge"):
        n = f"wgi_{code}"
        rows = mine[
            (mine["indicator"] == code).to_numpy()
            & (mine["year"] <= y_wgi).to_numpy()
            & (mine["year"] >= y_wgi - lb).to_numpy()
        ]
        if not len(rows):
            out[n] = _record(
                n,
                status="missing",
                year=y_wgi,
                note=f"WGI has no estimate for {name} in {y_wgi - lb}–{y_wgi}",
            )
            continue
        last = rows.sort_values("year").iloc[-1]
        est, se = float(last["estimate"]), _num(last["std_error"])
        out[n] = _record(
            n,
            est,
            low=None if se is None else est - z * se,
            high=None if se is None else est + z * se,
            year=int(last["year"]),
            status="ok" if int(last["year"]) == y_wgi else "carried forward",
            std_error=se,
        )

    # --- coups (Powell & Thyne)
    end_now = min(as_of, pd.Timestamp(data_cfg["coups_coverage_end"]))
    end = end_now - pd.DateOffset(years=shift_years)
    start = end - pd.DateOffset(years=10)
    pt = tables.coups
    attempts = pt[
        pt["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & (pt["date"] > start).to_numpy()
        & (pt["date"] <= end).to_numpy()
    ]
    out["coup_attempts_10y"] = _record(
        "coup_attempts_10y",
        len(attempts),
        year=int(end.year),
        window=[(start + pd.Timedelta(days=1)).strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")],
        dates=sorted(d.strftime("%Y-%m-%d") for d in attempts["date"]),
    )

    # --- gray-zone (SCSDI)
    out["grayzone_mean_3y"] = _grayzone_indicator(tables, iso3, as_of, shift_years, cfg)

    # --- legal flag
    legal = cfg["legal_party_to_conflict"]
    if shift_years:
        out["legal_unsc_measures"] = _record(
            "legal_unsc_measures",
            status="no history",
            note="curated current flag; no history is kept",
        )
    else:
        flag = bool((legal.get("flagged") or {}).get(iso3, legal["default"]))
        out["legal_unsc_measures"] = _record(
            "legal_unsc_measures",
            int(flag),
            listed=iso3 in (legal.get("flagged") or {}),
        )
    return out


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def grayzone_applicable(tables: DiversionTables, iso3: str, as_of: pd.Timestamp, cfg: dict) -> bool:
    """Whether gray-zone indicators apply: an SCS claimant or enough SCSDI events as actor."""
    if iso3 in cfg["data"]["scs_claimants"]:
        return True
    gz = tables.grayzone
    mine = gz[gz["country_iso3"].eq(iso3).fillna(False).to_numpy()]
    return (
        int(mine["year"].le(as_of.year).fillna(False).sum()) >= cfg["data"]["grayzone_min_events"]
    )


def grayzone_counts(
    tables: DiversionTables, iso3: str, first_year: int, last_year: int, as_of: pd.Timestamp
) -> dict[int, int]:
    """SCSDI events per year with the state as an actor (0 for years without events)."""
    gz = tables.grayzone
    mine = gz[gz["country_iso3"].eq(iso3).fillna(False).to_numpy()]
    dated_ok = mine["date"].le(as_of).fillna(False) | (
        mine["date"].isna() & mine["year"].le(as_of.year).fillna(False)
    )
    counts = mine[dated_ok.to_numpy()].groupby("year").size()
    return {y: int(counts.get(y, 0)) for y in range(first_year, last_year + 1)}


def _grayzone_indicator(
    tables: DiversionTables, iso3: str, as_of: pd.Timestamp, shift_years: int, cfg: dict
) -> dict:
    data_cfg = cfg["data"]
    if not grayzone_applicable(tables, iso3, as_of, cfg):
        return _record(
            "grayzone_mean_3y",
            status="not applicable",
            note=(
                f"not a South China Sea claimant and fewer than {data_cfg['grayzone_min_events']} "
                "SCSDI events with it as an actor"
            ),
        )
    last = complete_year(data_cfg["scsdi_coverage_end_year"], as_of) - shift_years
    first = last - 2
    if first < data_cfg["scsdi_coverage_start_year"]:
        return _record(
            "grayzone_mean_3y",
            status="missing",
            year=last,
            note=f"SCSDI starts in {data_cfg['scsdi_coverage_start_year']}",
        )
    counts = grayzone_counts(tables, iso3, first, last, as_of)
    return _record(
        "grayzone_mean_3y",
        sum(counts.values()) / 3,
        year=last,
        first_year=first,
        counts=counts,
    )


# --------------------------------------------------------------------------------------------
# Criterion matrix
# --------------------------------------------------------------------------------------------


def criterion_matrix(
    iso3: str,
    as_of: pd.Timestamp | str,
    tables: DiversionTables | None = None,
    config: dict | None = None,
) -> list[dict]:
    """Rate every in-scope criterion for one state, with the trend over five years.

    Parameters
    ----------
    iso3 : str
    as_of : pandas.Timestamp or str
    tables : DiversionTables, optional
    config : dict, optional

    Returns
    -------
    list of dict
        One per config criterion, in config order: ``id``, ``framework``, ``short``,
        ``label``, ``indicators`` (list of indicator records), ``value``, ``interval``
        (of the primary indicator; None when it has none), ``year``, ``rating``, ``met``,
        ``missing``, ``rating_then`` (same rule five years earlier), ``trend`` (worse,
        better, unchanged, not computable), ``evidence`` (text with the numbers).
    """
    cfg = config or load_config()
    now = country_indicators(iso3, as_of, 0, tables, cfg)
    shift = cfg["trend"]["shift_years"]
    then = country_indicators(iso3, as_of, shift, tables, cfg)
    rows = []
    for crit in cfg["criteria"]:
        r_now = rate_criterion(now, crit, cfg["ratings"])
        r_then = rate_criterion(then, crit, cfg["ratings"])
        names = list(dict.fromkeys(_criterion_indicators(crit)))
        primary = now[crit["primary"]]
        interval = (
            [primary["low"], primary["high"]]
            if primary["low"] is not None and primary["high"] is not None
            else None
        )
        evidence = "; ".join(now[n]["text"] for n in names)
        if r_now["met"]:
            evidence += ". Met: " + "; ".join(
                f"{m['level']}: {INDICATORS[m['indicator']]['label']}"
                + (" (upper end of the 90% band)" if m["field"] == "high" else "")
                + (" (lower end of the 90% band)" if m["field"] == "low" else "")
                + f" {OP_SYMBOLS[m['op']]} {m['threshold']:g}"
                for m in r_now["met"]
            )
        if r_now["missing"]:
            evidence += ". Missing: " + ", ".join(r_now["missing"])
        rows.append(
            {
                "id": crit["id"],
                "framework": crit["framework"],
                "short": crit["short"],
                "label": crit["label"],
                "indicators": [now[n] for n in names],
                "primary": crit["primary"],
                "value": primary["value"],
                "interval": interval,
                "year": primary["year"],
                "rating": r_now["rating"],
                "met": r_now["met"],
                "missing": r_now["missing"],
                "rating_then": r_then["rating"],
                "value_then": then[crit["primary"]]["value"],
                "year_then": then[crit["primary"]]["year"],
                "trend": trend_label(r_now["rating"], r_then["rating"], cfg["ratings"]),
                "evidence": evidence + ".",
            }
        )
    return rows


def peer_matrix(
    countries: Iterable[str],
    as_of: pd.Timestamp | str,
    tables: DiversionTables | None = None,
    config: dict | None = None,
) -> dict[str, dict[str, str]]:
    """Criterion ratings of several states, in the config's criterion order."""
    out = {}
    for iso in countries:
        if tables is None and config is None:
            rows = _matrix_cached(iso.upper(), pd.Timestamp(as_of).strftime("%Y-%m-%d"))
        else:
            rows = criterion_matrix(iso, as_of, tables, config)
        out[iso.upper()] = {r["id"]: r["rating"] for r in rows}
    return out


@cache
def _matrix_cached(iso3: str, as_of: str) -> list[dict]:
    return criterion_matrix(iso3, as_of)


# --------------------------------------------------------------------------------------------
# Reference (pooled) base rates
# --------------------------------------------------------------------------------------------


def interstate_onsets(conflict_years: pd.DataFrame) -> pd.DataFrame:
    """Onsets of interstate conflict per state: first year, or a year after a gap.

    Parameters
    ----------
    conflict_years : pandas.DataFrame
        :func:`~osa_analysis.sources.loaders.conflict.ucdp_conflict_years` output.

    Returns
    -------
    pandas.DataFrame
        ``country_iso3``, ``conflict_id``, ``year``: type-2 conflict-years with the state as
        a primary party whose conflict was not active with the state as primary party the
        year before.
    """
    cy = conflict_years
    rows = cy[(cy["type_of_conflict"] == INTERSTATE) & cy["role"].isin(PRIMARY_ROLES)]
    rows = rows.dropna(subset=["country_iso3"])[["country_iso3", "conflict_id", "year"]]
    rows = rows.drop_duplicates()
    prev = rows.assign(year=rows["year"] + 1)
    merged = rows.merge(
        prev, on=["country_iso3", "conflict_id", "year"], how="left", indicator=True
    )
    onsets = merged[merged["_merge"] == "left_only"].drop(columns="_merge")
    onsets["country_iso3"] = onsets["country_iso3"].astype(str)
    return onsets.reset_index(drop=True)


def _windows(tables: DiversionTables, as_of: pd.Timestamp, cfg: dict) -> dict:
    coup_end = min(as_of, pd.Timestamp(cfg["data"]["coups_coverage_end"]))
    coup_complete = complete_year(coup_end.year, coup_end)
    c0, c1 = cfg["base_rates"]["reference_window_coups"]
    y_ucdp = complete_year(int(tables.acd["year"].max()), as_of)
    return {
        "coups": [int(c0), int(min(c1, coup_complete))],
        "ucdp": [int(cfg["base_rates"]["reference_window_ucdp_first_year"]), int(y_ucdp)],
    }


def build_reference_rates(tables: DiversionTables, as_of: pd.Timestamp, cfg: dict) -> pd.DataFrame:
    """Pooled base rates by group: the reference rates of the scenario register.

    Parameters
    ----------
    tables : DiversionTables
    as_of : pandas.Timestamp
    cfg : dict

    Returns
    -------
    pandas.DataFrame
        One row per rate: ``kind`` (coup_attempts, interstate_onsets, gov_osv_years),
        ``group_type`` (region, regime, global), ``group``, ``first_year``, ``last_year``,
        ``events``, ``exposure`` (country-years).
    """
    win = _windows(tables, as_of, cfg)
    ov = tables.orgvio.dropna(subset=["country_iso3"])
    ov = ov.assign(country_iso3=ov["country_iso3"].astype(str))[
        ["country_iso3", "year", "region", "os_main_govt_best_deaths"]
    ]
    ert = tables.ert.dropna(subset=["country_iso3", "regime"])
    ert = ert.assign(
        country_iso3=ert["country_iso3"].astype(str),
        regime_label=ert["regime"].astype(int).map(REGIME_LABELS),
    )[["country_iso3", "year", "regime_label"]]
    pt = tables.coups.dropna(subset=["country_iso3"])
    pt_counts = (
        pt.assign(country_iso3=pt["country_iso3"].astype(str), year=pt["date"].dt.year)
        .groupby(["country_iso3", "year"])
        .size()
        .rename("events")
        .reset_index()
    )
    rows = []

    def add(kind, group_type, frame, group_col, events_col, window):
        sel = frame[(frame["year"] >= window[0]) & (frame["year"] <= window[1])]
        groups = (
            sel.groupby(group_col).agg(events=(events_col, "sum"), exposure=(events_col, "size"))
            if group_col
            else pd.DataFrame(
                {"events": [sel[events_col].sum()], "exposure": [len(sel)]}, index=["world"]
            )
        )
        for group, g in groups.iterrows():
            rows.append(
                {
                    "kind": kind,
                    "group_type": group_type,
                    "group": str(group),
                    "first_year": window[0],
                    "last_year": window[1],
                    "events": int(g["events"]),
                    "exposure": int(g["exposure"]),
                }
            )

    # coup attempts per country-year, by UCDP region and by V-Dem regime type
    cw = win["coups"]
    by_region = ov.merge(pt_counts, on=["country_iso3", "year"], how="left").fillna({"events": 0})
    add("coup_attempts", "region", by_region, "region", "events", cw)
    by_regime = ert.merge(pt_counts, on=["country_iso3", "year"], how="left").fillna({"events": 0})
    add("coup_attempts", "regime", by_regime, "regime_label", "events", cw)
    # interstate onsets per country-year, world and by region
    uw = win["ucdp"]
    onsets = (
        interstate_onsets(tables.conflict_years)
        .groupby(["country_iso3", "year"])
        .size()
        .rename("events")
        .reset_index()
    )
    inter = ov.merge(onsets, on=["country_iso3", "year"], how="left").fillna({"events": 0})
    add("interstate_onsets", "global", inter, None, "events", uw)
    add("interstate_onsets", "region", inter, "region", "events", uw)
    # years with government one-sided violence at the S3 threshold, by regime type
    min_deaths = cfg["base_rates"]["s3_event_min_gov_osv_deaths"]
    osv = ov.merge(ert, on=["country_iso3", "year"], how="inner")
    osv = osv.assign(events=(osv["os_main_govt_best_deaths"] >= min_deaths).astype(int))
    add("gov_osv_years", "regime", osv, "regime_label", "events", uw)
    return pd.DataFrame(rows)


def reference_rates(
    as_of: pd.Timestamp | str,
    tables: DiversionTables | None = None,
    config: dict | None = None,
) -> pd.DataFrame:
    """Return the pooled reference rates, cached on disk for the real tables.

    The cache key covers the input sha256s (:data:`REFERENCE_SOURCES`), the package code,
    the config's sha256 and the windows set by ``as_of``.
    """
    cfg = config or load_config()
    as_of = pd.Timestamp(as_of)
    tables = tables or load_tables()
    if not tables.real or config is not None:
        return build_reference_rates(tables, as_of, cfg)
    win = _windows(tables, as_of, cfg)
    version = f"{config_sha()[:16]}-{win['coups']}-{win['ucdp']}"
    return _reference_cached(version, as_of.strftime("%Y-%m-%d"))


@cache
def _reference_cached(version: str, as_of: str) -> pd.DataFrame:
    return cached_table(
        "diversion_reference_rates",
        REFERENCE_SOURCES,
        lambda: build_reference_rates(load_tables(), pd.Timestamp(as_of), load_config()),
        version=version,
    )


def _reference(refs: pd.DataFrame, kind: str, group_type: str, group: str | None) -> dict | None:
    if group is None:
        return None
    sel = refs[
        (refs["kind"] == kind) & (refs["group_type"] == group_type) & (refs["group"] == group)
    ]
    if not len(sel) or int(sel.iloc[0]["exposure"]) == 0:
        return None
    r = sel.iloc[0]
    return {
        "group_type": group_type,
        "group": group,
        "window": [int(r["first_year"]), int(r["last_year"])],
        "events": int(r["events"]),
        "exposure": int(r["exposure"]),
    }


# --------------------------------------------------------------------------------------------
# Scenario register
# --------------------------------------------------------------------------------------------


def _entry_start(iso3: str, first_year: int, cfg: dict) -> tuple[int, bool]:
    entry = cfg["data"]["state_entry_years"].get(iso3)
    if entry is None:
        return first_year, False
    return max(first_year, int(entry)), True


def _region(tables: DiversionTables, iso3: str) -> str | None:
    ov = tables.orgvio
    rows = ov[ov["country_iso3"].eq(iso3).fillna(False).to_numpy()]
    return None if not len(rows) else str(rows.sort_values("year").iloc[-1]["region"])


def scenario_base_rates(
    iso3: str,
    as_of: pd.Timestamp | str,
    indicators: dict[str, dict],
    tables: DiversionTables | None = None,
    config: dict | None = None,
) -> dict[str, dict]:
    """Return the country's own base rates and the reference rates of S1–S3.

    Returns
    -------
    dict
        Scenario id → ``own`` (base-rate dict with ``window``, ``data_date`` and
        ``entry_year_curated``; None when not computable, then ``missing_reason``) and
        ``references`` (list of base-rate dicts with ``label``).
    """
    cfg = config or load_config()
    tables = tables or load_tables()
    as_of = pd.Timestamp(as_of)
    name = country_name(iso3)
    refs = reference_rates(as_of, tables, config)
    region = _region(tables, iso3)
    regime = indicators["vdem_regime"].get("regime_label")
    out: dict[str, dict] = {}

    def ref_rate(kind, group_type, group, label, method):
        r = _reference(refs, kind, group_type, group)
        if r is None:
            return None
        base = (
            poisson_base_rate(r["events"], r["exposure"])
            if method == "poisson"
            else binomial_base_rate(r["events"], r["exposure"])
        )
        return {**base, "label": label, "group": group, "window": r["window"]}

    # S1: interstate onsets
    y_ucdp = complete_year(int(tables.acd["year"].max()), as_of)
    start, curated = _entry_start(iso3, cfg["data"]["ucdp_first_year"], cfg)
    if iso3 not in _ucdp_states(tables):
        own = None
        reason = f"UCDP does not list {name} as a state"
    else:
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
    out["S1"] = {
        "own": own,
        "missing_reason": reason,
        "references": [
            r
            for r in (
                ref_rate("interstate_onsets", "global", "world", "all states", "poisson"),
                ref_rate(
                    "interstate_onsets",
                    "region",
                    region,
                    f"states in UCDP region {region}",
                    "poisson",
                ),
            )
            if r is not None
        ],
    }

    # S2: coup attempts
    end = min(as_of, pd.Timestamp(cfg["data"]["coups_coverage_end"]))
    start_year, curated = _entry_start(iso3, cfg["data"]["coups_first_year"], cfg)
    start_date = pd.Timestamp(start_year, 1, 1)
    pt = tables.coups
    mine = pt[
        pt["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & (pt["date"] >= start_date).to_numpy()
        & (pt["date"] <= end).to_numpy()
    ]
    years = (end - start_date).days / 365.25
    out["S2"] = {
        "own": {
            **poisson_base_rate(len(mine), years),
            "window": [start_date.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")],
            "data_date": end.strftime("%Y-%m-%d"),
            "entry_year_curated": curated,
            "event_dates": sorted(d.strftime("%Y-%m-%d") for d in mine["date"]),
            "successful": int((mine["outcome"] == "successful").sum()),
        }
        if years > 0
        else None,
        "missing_reason": None if years > 0 else "no exposure before the coup data end",
        "references": [
            r
            for r in (
                ref_rate(
                    "coup_attempts", "regime", regime, f"states rated {regime} by V-Dem", "poisson"
                ),
                ref_rate(
                    "coup_attempts", "region", region, f"states in UCDP region {region}", "poisson"
                ),
            )
            if r is not None
        ],
    }

    # S3: years with government one-sided violence at the UCDP threshold
    min_deaths = cfg["base_rates"]["s3_event_min_gov_osv_deaths"]
    start, curated = _entry_start(iso3, cfg["base_rates"]["reference_window_ucdp_first_year"], cfg)
    ov = tables.orgvio
    rows = ov[
        ov["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & ov["year"].between(start, y_ucdp).to_numpy()
    ]
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
    else:
        own, reason = None, f"UCDP Organized Violence has no rows for {name}"
    out["S3"] = {
        "own": own,
        "missing_reason": reason,
        "references": [
            r
            for r in (
                ref_rate(
                    "gov_osv_years", "regime", regime, f"states rated {regime} by V-Dem", "binomial"
                ),
            )
            if r is not None
        ],
    }
    return out


def _likelihood(
    own: dict | None, references: list[dict], horizon: float, hi_multiplier: float = 1.0
) -> list[float] | None:
    rates = [r for r in ([own] if own else []) + references]
    if not rates:
        return None
    probs = [probability(r["rate_per_year"], horizon, r["method"]) for r in rates]
    hi_rate = max(r["rate_per_year"] for r in rates) * hi_multiplier
    method = rates[0]["method"]
    hi = probability(min(hi_rate, 1.0) if method == "binomial" else hi_rate, horizon, method)
    return [min(probs), max(max(probs), hi)]


def scenario_register(
    iso3: str,
    as_of: pd.Timestamp | str,
    projects: pd.DataFrame | None = None,
    tables: DiversionTables | None = None,
    config: dict | None = None,
    indicators: dict[str, dict] | None = None,
) -> list[dict]:
    """Build the S1–S6 scenario register for one state and its OSA equipment.

    Parameters
    ----------
    iso3 : str
    as_of : pandas.Timestamp or str
    projects : pandas.DataFrame, optional
        OSA projects (default: :func:`osa_analysis.sources.recipients.load_osa_projects`); only the
        state's projects that count under the config's ``project_rule`` are used.
    tables, config : optional
    indicators : dict, optional
        :func:`country_indicators` output (computed when omitted).

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
    cfg = config or load_config()
    tables = tables or load_tables()
    as_of = pd.Timestamp(as_of)
    iso3 = iso3.upper()
    if projects is None:
        from osa_analysis.sources.recipients import load_osa_projects

        projects = load_osa_projects()
    if indicators is None:
        indicators = country_indicators(iso3, as_of, 0, tables, cfg)
    mine = project_categories(projects, iso3, as_of)
    categories = [
        c for cats in mine["equipment_categories"].astype(str) for c in cats.split(";") if c
    ]
    rates = scenario_base_rates(iso3, as_of, indicators, tables, config)
    horizons = cfg["horizons_years"]
    ystick = cfg["yardstick"]
    out = []
    for sc in cfg["scenarios"]:
        sid = sc["id"]
        entry: dict[str, Any] = {
            "id": sid,
            "label": sc["label"],
            "event_definition": " ".join(str(sc["event_definition"]).split()),
            "method": sc["method"],
        }
        modifiers = []
        if sc["method"] == "qualitative":
            steps = 0
            for cond in sc.get("modifiers", []):
                holds = condition_holds(indicators, cond)
                modifiers.append(
                    {
                        "indicator": cond["indicator"],
                        "field": cond.get("field", "value"),
                        "op": cond["op"],
                        "threshold": cond["threshold"],
                        "steps": cond["steps"],
                        "holds": holds,
                        "rationale": " ".join(str(cond["rationale"]).split()),
                    }
                )
                if holds:
                    steps += int(cond["steps"])
            for h in horizons:
                term = shift_term(sc["qualitative"][h], steps, ystick)
                entry[f"likelihood_{h}"] = term_range(term, ystick)
                entry[f"yardstick_{h}"] = term
            entry["base_rate"] = None
            entry["base_rate_missing_reason"] = " ".join(str(sc["qualitative_rationale"]).split())
            entry["references"] = []
            entry["own_probability"] = None
            confidence, reasons = confidence_level(
                "qualitative", None, None, None, cfg["confidence"]
            )
        else:
            r = rates[sid]
            own, refs = r["own"], r["references"]
            multiplier = 1.0
            if sid == "S1":
                gm = cfg["base_rates"]["grayzone_modifier"]
                gz = indicators["grayzone_mean_3y"]
                holds = condition_holds(
                    indicators,
                    {
                        "indicator": "grayzone_mean_3y",
                        "op": ">=",
                        "threshold": gm["min_mean_events_per_year"],
                    },
                )
                modifiers.append(
                    {
                        "indicator": "grayzone_mean_3y",
                        "field": "value",
                        "op": ">=",
                        "threshold": gm["min_mean_events_per_year"],
                        "rate_multiplier": gm["rate_multiplier"],
                        "holds": holds,
                        "value": gz["value"],
                        "rationale": " ".join(str(gm["rationale"]).split()),
                    }
                )
                if holds:
                    multiplier = float(gm["rate_multiplier"])
            own_prob = {}
            for h, years in horizons.items():
                lik = _likelihood(own, refs, years, multiplier)
                entry[f"likelihood_{h}"] = lik
                mid = None if lik is None else (lik[0] + lik[1]) / 2
                entry[f"yardstick_{h}"] = None if mid is None else yardstick_term(mid, ystick)
                if own is not None:
                    point = probability(own["rate_per_year"], years, own["method"])
                    interval = [
                        probability(own["interval"][0], years, own["method"]),
                        probability(own["interval"][1], years, own["method"]),
                    ]
                    own_prob[h] = {
                        "point": point,
                        "interval": interval,
                        "point_pct": 100 * point,
                        "interval_pct": [100 * v for v in interval],
                    }
            for ref in refs:
                ref["probability"] = {
                    h: probability(ref["rate_per_year"], years, ref["method"])
                    for h, years in horizons.items()
                }
                ref["probability_pct"] = {h: 100 * v for h, v in ref["probability"].items()}
            entry["base_rate"] = own
            entry["base_rate_missing_reason"] = r["missing_reason"]
            entry["references"] = refs
            entry["own_probability"] = own_prob or None
            lag = None if own is None else (as_of - pd.Timestamp(own["data_date"])).days / 365.25
            confidence, reasons = confidence_level(
                sc["method"],
                None if own is None else own["events"],
                lag,
                cfg["confidence"]["caps"].get(sid),
                cfg["confidence"],
                len(refs),
            )
            entry["data_lag_years"] = lag
        for h in horizons:
            lik = entry[f"likelihood_{h}"]
            entry[f"likelihood_{h}_pct"] = None if lik is None else [100 * v for v in lik]
        entry["modifiers"] = modifiers
        entry["confidence"] = confidence
        entry["confidence_reasons"] = reasons
        rel = equipment_relevance(categories, sid, cfg["relevance"])
        entry["equipment_relevance"] = rel["by_category"]
        entry["equipment_relevance_overall"] = rel["overall"]
        entry["controls"] = [
            {"id": c, **{k: " ".join(str(v).split()) for k, v in cfg["controls"][c].items()}}
            for c in sc["controls"]
        ]
        horizon = cfg["residual"]["likelihood_horizon"]
        term = entry[f"yardstick_{horizon}"]
        if term is None:
            entry["residual"] = {
                "score": None,
                "class_before_controls": "not computable",
                "mitigation_steps": sc["mitigation_steps"],
                "class": "not computable",
                "reason": "no likelihood",
            }
        else:
            entry["residual"] = residual_risk(
                term, rel["overall"], sc["mitigation_steps"], cfg["residual"], cfg["relevance"]
            )
        entry["residual"]["mitigation_rationale"] = " ".join(
            str(sc["mitigation_rationale"]).split()
        )
        out.append(entry)
    return out


# --------------------------------------------------------------------------------------------
# Trip-wires
# --------------------------------------------------------------------------------------------


TRIPWIRE_SOURCES = {
    "T1_new_conflict": "UCDP/PRIO ACD",
    "T2_coup_attempt": "Powell & Thyne",
    "T3_autocratization": "V-Dem ERT",
    "T4_wgi_pv_fall": "WGI",
    "T5_grayzone_rise": "SCSDI",
    "T6_piracy_rise": "incident table (ASAM, IMB, ReCAAP, live feed)",
}
"""Source named with each trip-wire's data date."""

OP_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def _tw(tid: str, label: str, status: str, data_date: str | None, evidence: str, **extra) -> dict:
    return {
        "id": tid,
        "label": label,
        "source": TRIPWIRE_SOURCES[tid],
        "status": status,
        "data_date": data_date,
        "evidence": evidence,
        **extra,
    }


def tripwire_new_conflict(tables: DiversionTables, iso3: str, as_of: pd.Timestamp) -> dict:
    """T1: a UCDP conflict with the state as primary party this year, not the year before."""
    label = "New UCDP armed conflict with the state as primary party"
    name = country_name(iso3)
    y = complete_year(int(tables.acd["year"].max()), as_of)
    if iso3 not in _ucdp_states(tables):
        return _tw("T1_new_conflict", label, "not computable", None, f"UCDP does not list {name}")
    now = {c["conflict_id"]: c for c in _primary_conflicts(tables, iso3, y)}
    before = {c["conflict_id"] for c in _primary_conflicts(tables, iso3, y - 1)}
    new = [now[c] for c in sorted(set(now) - before)]
    status = "triggered" if new else "not triggered"
    evidence = (
        f"{len(now)} conflicts with {name} as primary party in {y}, {len(before)} in {y - 1}; "
        + (
            "new: " + "; ".join(f"{c['opponent']} (UCDP {c['conflict_id']})" for c in new)
            if new
            else "none new"
        )
    )
    return _tw(
        "T1_new_conflict",
        label,
        status,
        f"{y}-12-31",
        evidence,
        year=y,
        n_now=len(now),
        n_before=len(before),
        new_conflict_ids=[c["conflict_id"] for c in new],
    )


def tripwire_coup(tables: DiversionTables, iso3: str, as_of: pd.Timestamp, cfg: dict) -> dict:
    """T2: a coup attempt in the last ``coup_window_months`` of the coup data (≤ as_of)."""
    months = cfg["tripwires"]["coup_window_months"]
    label = f"Coup attempt in the last {months} months of the coup data"
    end = min(as_of, pd.Timestamp(cfg["data"]["coups_coverage_end"]))
    start = end - pd.DateOffset(months=months)
    pt = tables.coups
    hits = pt[
        pt["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & (pt["date"] > start).to_numpy()
        & (pt["date"] <= end).to_numpy()
    ]
    dates = sorted(d.strftime("%Y-%m-%d") for d in hits["date"])
    lag = (as_of - end).days / 365.25
    evidence = (
        f"Powell & Thyne attempts from {(start + pd.Timedelta(days=1)).strftime('%Y-%m-%d')} "
        f"to {end.strftime('%Y-%m-%d')}: {len(dates)}"
        + (f" ({', '.join(dates)})" if dates else "")
        + (
            f"; the coup data end {lag:.1f} years before as_of, later attempts are not covered"
            if lag > 0
            else ""
        )
    )
    return _tw(
        "T2_coup_attempt",
        label,
        "triggered" if dates else "not triggered",
        end.strftime("%Y-%m-%d"),
        evidence,
        attempts=dates,
        data_lag_years=lag,
    )


def tripwire_autocratization(tables: DiversionTables, iso3: str, as_of: pd.Timestamp) -> dict:
    """T3: an ongoing V-Dem autocratization episode, or one starting in the latest year."""
    label = "Ongoing V-Dem autocratization episode (or one starting in the latest year)"
    ert = tables.ert
    y = complete_year(int(ert["year"].max()), as_of)
    rows = ert[
        ert["country_iso3"].eq(iso3).fillna(False).to_numpy() & (ert["year"] == y).to_numpy()
    ]
    name = country_name(iso3)
    if not len(rows):
        covered = bool(ert["country_iso3"].eq(iso3).fillna(False).any())
        reason = f"V-Dem has no {y} row for {name}" if covered else f"V-Dem does not cover {name}"
        return _tw("T3_autocratization", label, "not computable", None, reason)
    r = rows.iloc[0]
    aut = bool(r["aut_ep"])
    start = r.get("aut_ep_start_year")
    start = int(start) if aut and pd.notna(start) else None
    evidence = (
        f"in an autocratization episode in {y} (V-Dem ERT), since {start}"
        + (" — it starts in the latest year" if start == y else "")
        if aut
        else f"no autocratization episode in {y} (V-Dem ERT)"
    )
    return _tw(
        "T3_autocratization",
        label,
        "triggered" if aut else "not triggered",
        f"{y}-12-31",
        evidence,
        year=y,
        episode_start=start,
    )


def tripwire_wgi_pv(tables: DiversionTables, iso3: str, as_of: pd.Timestamp, cfg: dict) -> dict:
    """T4: WGI political stability fell by more than its 90% interval (latest vs previous year)."""
    label = "WGI political stability fell by more than its 90% interval"
    wgi = tables.wgi
    y = complete_year(int(wgi["year"].max()), as_of)
    rows = wgi[
        wgi["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & (wgi["indicator"] == "pv").to_numpy()
        & (wgi["year"] <= y).to_numpy()
    ].dropna(subset=["estimate", "std_error"])
    rows = rows.sort_values("year")
    name = country_name(iso3)
    if len(rows) < 2 or int(rows.iloc[-1]["year"]) != y:
        return _tw(
            "T4_wgi_pv_fall",
            label,
            "not computable",
            None,
            f"WGI has no political-stability estimates for {name} in {y} and an earlier year",
        )
    r1, r0 = rows.iloc[-1], rows.iloc[-2]
    res = wgi_fall(
        float(r1["estimate"]),
        float(r1["std_error"]),
        float(r0["estimate"]),
        float(r0["std_error"]),
        cfg["tripwires"]["wgi_z"],
    )
    evidence = (
        f"{int(r0['year'])} {float(r0['estimate']):.2f} → {int(r1['year'])} "
        f"{float(r1['estimate']):.2f}: change {res['change']:+.2f}, 90% threshold "
        f"±{res['threshold']:.2f}"
    )
    return _tw(
        "T4_wgi_pv_fall",
        label,
        "triggered" if res["triggered"] else "not triggered",
        f"{y}-12-31",
        evidence,
        year=int(r1["year"]),
        previous_year=int(r0["year"]),
        estimate=float(r1["estimate"]),
        previous_estimate=float(r0["estimate"]),
        change=res["change"],
        threshold=res["threshold"],
    )


def tripwire_grayzone(tables: DiversionTables, iso3: str, as_of: pd.Timestamp, cfg: dict) -> dict:
    """T5: SCSDI gray-zone events in the latest year beyond the previous 3-year mean."""
    label = "Rise in gray-zone events (SCSDI) beyond the exact Poisson interval"
    tw = cfg["tripwires"]
    name = country_name(iso3)
    if not grayzone_applicable(tables, iso3, as_of, cfg):
        return _tw(
            "T5_grayzone_rise",
            label,
            "not computable",
            None,
            f"SCSDI covers the South China Sea only; {name} is not a claimant and is rarely an "
            "actor",
        )
    y = complete_year(cfg["data"]["scsdi_coverage_end_year"], as_of)
    n_prev = tw["count_rise_previous_years"]
    first = y - n_prev
    if first < cfg["data"]["scsdi_coverage_start_year"]:
        return _tw("T5_grayzone_rise", label, "not computable", None, "SCSDI years too few")
    counts = grayzone_counts(tables, iso3, first, y, as_of)
    res = count_rise(counts[y], [counts[v] for v in range(first, y)], tw["count_rise_level"])
    gz = tables.grayzone
    dates = gz["date"][gz["date"].le(as_of).fillna(False).to_numpy()]
    data_date = dates.max().strftime("%Y-%m-%d") if len(dates) else f"{y}-12-31"
    evidence = (
        f"{res['recent']} events in {y} vs a {first}–{y - 1} mean of "
        f"{res['previous_mean']:.1f}; 95% interval of the {y} count "
        f"{res['interval'][0]:.1f}–{res['interval'][1]:.1f}"
    )
    return _tw(
        "T5_grayzone_rise",
        label,
        "triggered" if res["triggered"] else "not triggered",
        data_date,
        evidence,
        year=y,
        previous_years=[first, y - 1],
        counts=counts,
        **{k: res[k] for k in ("recent", "previous_mean", "interval")},
    )


def tripwire_piracy(tables: DiversionTables, iso3: str, as_of: pd.Timestamp, cfg: dict) -> dict:
    """T6: piracy and armed robbery in the last 12 months beyond the previous 3-year mean."""
    label = "Rise in piracy and armed robbery beyond the exact Poisson interval"
    tw = cfg["tripwires"]
    if tables.piracy is None or tables.channels is None:
        return _tw("T6_piracy_rise", label, "not computable", None, "no incident table given")
    ch = tables.channels
    end = min(as_of, ch["end"].max())
    n_prev = tw["count_rise_previous_years"]
    recent = (end - pd.DateOffset(years=1), end)
    previous = (end - pd.DateOffset(years=1 + n_prev), end - pd.DateOffset(years=1))
    shares = {}
    for row in ch.itertuples():
        fr = []
        for lo, hi in (recent, previous):
            lo = lo + pd.Timedelta(days=1)
            days = (hi - lo).days + 1
            a, b = max(lo, row.start), min(hi, row.end)
            fr.append(round(max((b - a).days + 1, 0) / days, 4))
        shares[row.group] = fr
    unequal = {g: f for g, f in shares.items() if abs(f[0] - f[1]) > tw["comparable_tolerance"]}
    end_s = end.strftime("%Y-%m-%d")
    if unequal:
        detail = "; ".join(
            f"{ch.set_index('group').at[g, 'label']} {100 * f[0]:.0f}% vs {100 * f[1]:.0f}%"
            for g, f in unequal.items()
        )
        return _tw(
            "T6_piracy_rise",
            label,
            "not computable",
            end_s,
            "the reporting channels cover the recent 12 months and the previous "
            f"{n_prev} years unequally (share of days covered: {detail})",
            coverage_shares=shares,
            coverage_shares_pct={g: [100 * v for v in f] for g, f in shares.items()},
            previous_years=n_prev,
        )
    ev = tables.piracy
    mine = ev[ev["coastal_state_iso3"].eq(iso3).fillna(False).to_numpy()]

    def count(period):
        lo, hi = period
        return int(((mine["date"] > lo) & (mine["date"] <= hi)).sum())

    prev_counts = [
        count((end - pd.DateOffset(years=k + 1), end - pd.DateOffset(years=k)))
        for k in range(n_prev, 0, -1)
    ]
    res = count_rise(count(recent), prev_counts, tw["count_rise_level"])
    evidence = (
        f"{res['recent']} incidents in the 12 months to {end_s} vs a mean of "
        f"{res['previous_mean']:.1f} a year over the previous {n_prev} years; 95% interval of "
        f"the recent count {res['interval'][0]:.1f}–{res['interval'][1]:.1f}"
    )
    return _tw(
        "T6_piracy_rise",
        label,
        "triggered" if res["triggered"] else "not triggered",
        end_s,
        evidence,
        coverage_shares=shares,
        previous_years=n_prev,
        **{k: res[k] for k in ("recent", "previous", "previous_mean", "interval")},
    )


def tripwires(
    iso3: str,
    as_of: pd.Timestamp | str,
    tables: DiversionTables | None = None,
    config: dict | None = None,
) -> list[dict]:
    """Evaluate every trip-wire for one state.

    Returns
    -------
    list of dict
        ``id``, ``label``, ``status`` (triggered, not triggered, not computable),
        ``data_date`` (last observation of the source used, ≤ as_of; None when not
        computable), ``evidence`` and the numbers behind it.
    """
    cfg = config or load_config()
    tables = tables or load_tables()
    as_of = pd.Timestamp(as_of)
    iso3 = iso3.upper()
    return [
        tripwire_new_conflict(tables, iso3, as_of),
        tripwire_coup(tables, iso3, as_of, cfg),
        tripwire_autocratization(tables, iso3, as_of),
        tripwire_wgi_pv(tables, iso3, as_of, cfg),
        tripwire_grayzone(tables, iso3, as_of, cfg),
        tripwire_piracy(tables, iso3, as_of, cfg),
    ]


# --------------------------------------------------------------------------------------------
# Everything together
# --------------------------------------------------------------------------------------------


def overall_rating(criteria: list[dict], scenarios: list[dict], cfg: dict) -> dict:
    """Highest criterion rating and a residual-risk summary.

    Returns
    -------
    dict
        ``highest_criterion_rating`` (None when nothing could be rated), ``criteria_at_highest``
        (ids), ``n_rated``, ``n_flagged`` (possibly critical or critical), ``n_critical``,
        ``n_not_computable``, ``residual_highest`` and ``residual_scenarios`` (ids at it).
    """
    order = cfg["ratings"]["order"]
    rated = [c for c in criteria if c["rating"] in order]
    highest = max((c["rating"] for c in rated), key=order.index, default=None)
    classes = [c["class"] for c in cfg["residual"]["classes"]]
    res = [s for s in scenarios if s["residual"]["class"] in classes]
    top = max((s["residual"]["class"] for s in res), key=classes.index, default=None)
    return {
        "highest_criterion_rating": highest,
        "criteria_at_highest": [c["id"] for c in rated if c["rating"] == highest],
        "n_rated": len(rated),
        "n_flagged": sum(c["rating"] in order[1:] for c in rated),
        "n_critical": sum(c["rating"] == order[-1] for c in rated),
        "n_not_computable": len(criteria) - len(rated),
        "residual_highest": top,
        "residual_scenarios": [s["id"] for s in res if s["residual"]["class"] == top]
        if top
        else [],
    }


def assess(
    iso3: str,
    as_of: pd.Timestamp | str,
    projects: pd.DataFrame | None = None,
    tables: DiversionTables | None = None,
    config: dict | None = None,
) -> dict:
    """Run the whole misuse and diversion assessment for one state.

    Parameters
    ----------
    iso3 : str
        Any state in the data (recipient or not).
    as_of : pandas.Timestamp or str
    projects : pandas.DataFrame, optional
        OSA projects (default: the curated table).
    tables : DiversionTables, optional
    config : dict, optional

    Returns
    -------
    dict
        ``method_version``, ``config_sha256`` (default config only), ``country``, ``as_of``,
        ``criteria``, ``criteria_out_of_scope``, ``scenarios``, ``tripwires``,
        ``equipment`` (projects and categories counted) and ``overall``.
    """
    cfg = config or load_config()
    as_of = pd.Timestamp(as_of)
    iso3 = iso3.upper()
    if projects is None:
        from osa_analysis.sources.recipients import load_osa_projects

        projects = load_osa_projects()
    if tables is None and config is None:
        criteria = copy.deepcopy(_matrix_cached(iso3, as_of.strftime("%Y-%m-%d")))
    else:
        criteria = criterion_matrix(iso3, as_of, tables, config)
    indicators = {i["name"]: i for c in criteria for i in c["indicators"]}
    indicators.update(
        {
            k: v
            for k, v in country_indicators(iso3, as_of, 0, tables, config).items()
            if k not in indicators
        }
    )
    scenarios = scenario_register(iso3, as_of, projects, tables, config, indicators)
    mine = project_categories(projects, iso3, as_of)
    return {
        "method_version": cfg["method_version"],
        "config_sha256": config_sha() if config is None else None,
        "country": iso3,
        "as_of": as_of.strftime("%Y-%m-%d"),
        "criteria": criteria,
        "criteria_out_of_scope": [
            {k: " ".join(str(v).split()) for k, v in c.items()}
            for c in cfg["criteria_out_of_scope"]
        ],
        "scenarios": scenarios,
        "tripwires": tripwires(iso3, as_of, tables, config),
        "equipment": {
            "projects": [
                {
                    "project_id": r["project_id"],
                    "status": r["status"],
                    "categories": str(r["equipment_categories"]).split(";"),
                }
                for _, r in mine.iterrows()
            ],
            "categories": sorted(
                {c for cats in mine["equipment_categories"].astype(str) for c in cats.split(";")}
            ),
        },
        "overall": overall_rating(criteria, scenarios, cfg),
    }
