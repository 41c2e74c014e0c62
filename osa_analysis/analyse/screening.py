"""Screening: need against misuse and diversion risk for every state of a region.

For a region (``data/screening/regions.yaml``), a date and an OSA equipment category (those
of ``osa_projects.csv`` or a hypothetical one of ``data/risk/screening.yaml``), each state
gets:

* a **need** score: the mean of the composite's threat and lack-of-control-capacity
  dimensions (0-10), draw by draw over the composite's data draws, so its interval and rank
  interval are the uncertainty of the data (:func:`need_scores`);
* a **misuse and diversion risk** score for the equipment: the highest over the risk
  method's scenarios of the 36-month likelihood times the equipment's relevance weight, with
  an interval from the likelihoods' intervals (:func:`equipment_risk`); the likelihoods are
  the briefs' own (the selected models, :func:`assess_with_selected_models`).

Only the risk depends on the equipment (through the relevance weights), which
:func:`screen` keeps apart: a test checks that changing the equipment alone changes nothing
else. The analysis computes; :mod:`osa_analysis.brief.screening` presents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from osa_analysis.analyse.backtest.apply import assess_with_selected_models
from osa_analysis.analyse.composite.method import dimension_names, load_method, monte_carlo_settings
from osa_analysis.analyse.composite.montecarlo import GlobalRun, global_run, rank_intervals
from osa_analysis.analyse.composite.panel import eez_areas
from osa_analysis.analyse.diversion.config import load_config
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore
from osa_analysis.core.config import CURATED_DIR
from osa_analysis.core.countries import country_name
from osa_analysis.core.yamlio import safe_load
from osa_analysis.sources.methods import MethodFile, load_method_file

REGIONS_FILE = CURATED_DIR / "screening" / "regions.yaml"
LEVELS = ("none", "low", "medium", "high")


class ScreeningError(ValueError):
    """A screening parameter or file is wrong (the message names it)."""


def screening_problems(doc: Mapping[str, Any]) -> list[str]:
    """List what is wrong with a screening method document (empty when it is valid)."""
    problems = []
    for key in ("method_version", "need", "risk", "equipment", "reading"):
        if key not in doc:
            problems.append(f"missing {key!r}")
    weights = (doc.get("risk") or {}).get("relevance_weight") or {}
    if set(weights) != set(LEVELS):
        problems.append(f"risk.relevance_weight must give {LEVELS}")
    for cat, spec in ((doc.get("equipment") or {}).get("hypothetical") or {}).items():
        bad = {s: v for s, v in (spec.get("relevance") or {}).items() if v not in LEVELS}
        if bad or not spec.get("label"):
            problems.append(f"equipment.hypothetical.{cat}: needs a label and levels {LEVELS}")
    return problems


def load_screening_method(path: str | None = None) -> MethodFile:
    """Return ``data/risk/screening.yaml`` (or ``path``), validated and frozen."""
    return load_method_file(path or "screening", problems=screening_problems)


def read_regions(path=REGIONS_FILE) -> dict[str, dict]:
    """Return the regions of ``data/screening/regions.yaml`` by name."""
    regions = safe_load(path.read_text(encoding="utf-8")) or {}
    for name, spec in regions.items():
        if not isinstance(spec, dict) or "label" not in spec or "subregions" not in spec:
            raise ScreeningError(f"{path}: region {name!r} needs a label and subregions")
    return regions


def region_states(region: str, tables: TableStore, recipients: Sequence[str]) -> pd.DataFrame:
    """Return the states a screen covers: the region's coastal sovereign states and recipients.

    Returns
    -------
    pandas.DataFrame
        ``country_iso3``, ``name``, ``subregion``, ``in_region`` (False for a recipient
        outside it), ``eez_km2``, sorted by name.
    """
    regions = read_regions()
    if region not in regions:
        raise ScreeningError(
            f"{REGIONS_FILE}: no region {region!r}; regions: {', '.join(sorted(regions))}"
        )
    spec = regions[region]
    ne = tables.get("ne_countries")
    ne = ne[ne["country_iso3"].notna().to_numpy()]
    sovereign = ne[(ne["sovereign_iso3"] == ne["country_iso3"]).to_numpy()]
    eez = eez_areas(tables.get("eez"))
    named = set(spec.get("states") or [])
    inside = sovereign[
        (sovereign["subregion"].isin(spec["subregions"]) | sovereign["country_iso3"].isin(named))
        .fillna(False)
        .to_numpy()
    ]
    codes = [c for c in inside["country_iso3"] if c in eez.index]
    chosen = sorted(set(codes) | set(recipients))
    subregion = ne.drop_duplicates("country_iso3").set_index("country_iso3")["subregion"]
    rows = [
        {
            "country_iso3": c,
            "name": country_name(c),
            "subregion": subregion.get(c),
            "in_region": c in codes,
            "eez_km2": float(eez.get(c, 0.0)),
        }
        for c in chosen
    ]
    return pd.DataFrame(rows).sort_values("name", kind="stable").reset_index(drop=True)


def need_scores(
    run: GlobalRun, iso3s: Sequence[str], cfg: Mapping[str, Any], method
) -> pd.DataFrame:
    """Need of each state: the mean of two composite dimensions over the data draws.

    Parameters
    ----------
    run : GlobalRun
        The composite's run of every country (its ``data`` draws).
    iso3s : sequence of str
    cfg : Mapping
        The screening method (``need``).
    method : CompositeMethod

    Returns
    -------
    pandas.DataFrame
        Indexed by ``country_iso3``: ``need`` (nominal), ``need_low``, ``need_high``,
        ``need_rank_low``, ``need_rank_high`` (among the states asked for; 1 = most need),
        ``threat``, ``capacity`` and ``need_missing_reason``.
    """
    dims = dimension_names(method)
    pick = [dims.index(d) for d in cfg["need"]["dimensions"]]
    positions = {c: i for i, c in enumerate(run.data["countries"])}
    lo_p, hi_p = cfg["need"]["interval_percentiles"]
    draws = np.full((run.data["dimensions"].shape[0], len(iso3s)), np.nan)
    nominal = np.full(len(iso3s), np.nan)
    parts = np.full((len(iso3s), len(pick)), np.nan)
    for j, iso3 in enumerate(iso3s):
        c = positions.get(iso3)
        if c is None:
            continue
        draws[:, j] = run.data["dimensions"][:, c, pick].mean(axis=1)
        parts[j] = run.nominal["dimensions"][c, pick]
        nominal[j] = parts[j].mean()
    have = ~np.isnan(nominal)
    ranks = np.full((len(iso3s), 2), np.nan)
    if have.any():
        ranks[have] = rank_intervals(draws[:, have], (lo_p, hi_p))
    with np.errstate(all="ignore"):
        low = np.nanpercentile(draws, lo_p, axis=0) if have.any() else nominal
        high = np.nanpercentile(draws, hi_p, axis=0) if have.any() else nominal
    out = pd.DataFrame(
        {
            "country_iso3": list(iso3s),
            "need": nominal,
            "need_low": np.where(have, low, np.nan),
            "need_high": np.where(have, high, np.nan),
            "need_rank_low": ranks[:, 0],
            "need_rank_high": ranks[:, 1],
            **{d: parts[:, k] for k, d in enumerate(cfg["need"]["dimensions"])},
        }
    )
    out["need_missing_reason"] = np.where(
        have, None, "the composite has no threat or capacity score for this state"
    )
    return out.set_index("country_iso3")


def relevance(
    categories: Sequence[str], diversion: Mapping[str, Any], cfg: Mapping[str, Any]
) -> dict[str, str]:
    """Relevance level of a set of equipment categories to each scenario (the highest).

    Raises
    ------
    ScreeningError
        For a category neither the risk method nor the screening method knows.
    """
    matrix = {**diversion["relevance"]["matrix"]}
    for cat, spec in (cfg["equipment"].get("hypothetical") or {}).items():
        matrix[cat] = spec["relevance"]
    unknown = [c for c in categories if c not in matrix]
    if unknown or not categories:
        raise ScreeningError(
            f"equipment {list(unknown) or list(categories)!r} unknown; known: "
            + ", ".join(sorted(matrix))
        )
    scenarios = sorted({s for c in categories for s in matrix[c]})
    return {
        s: max((matrix[c].get(s, "none") for c in categories), key=LEVELS.index) for s in scenarios
    }


def _likelihood(scenario: Mapping[str, Any], yardstick: Mapping[str, Any], horizon: str):
    """Point and interval of a scenario's likelihood at ``horizon`` (None when missing)."""
    p = scenario.get(f"probability_{horizon}")
    interval = scenario.get(f"likelihood_{horizon}")
    if p is not None and interval:
        return float(p), float(interval[0]), float(interval[1]), "probability"
    term = scenario.get(f"judgement_{horizon}")
    ranges = {t["term"]: t["range"] for t in yardstick["terms"]}
    if term in ranges:
        lo, hi = ranges[term]
        return (lo + hi) / 2, float(lo), float(hi), f"judgement ({term})"
    return None


def equipment_risk(
    scenarios: Sequence[Mapping[str, Any]],
    levels: Mapping[str, str],
    cfg: Mapping[str, Any],
    yardstick: Mapping[str, Any],
) -> dict[str, Any]:
    """Misuse and diversion risk of one state for the equipment (module docstring).

    Returns
    -------
    dict
        ``risk``, ``risk_low``, ``risk_high`` (0-1), ``driver`` (the scenario id of the
        highest weighted likelihood) and ``by_scenario`` (per scenario: ``id``, ``label``,
        ``relevance``, ``weight``, ``likelihood``, ``low``, ``high``, ``basis``).
    """
    horizon = cfg["risk"]["horizon"]
    weights = cfg["risk"]["relevance_weight"]
    rows = []
    for s in scenarios:
        lk = _likelihood(s, yardstick, horizon)
        level = levels.get(s["id"], "none")
        if lk is None:
            continue
        p, lo, hi, basis = lk
        w = float(weights[level])
        rows.append(
            {
                "id": s["id"],
                "label": s["label"],
                "relevance": level,
                "weight": w,
                "likelihood": p,
                "low": lo,
                "high": hi,
                "basis": basis,
                "weighted": p * w,
            }
        )
    if not rows:
        return {
            "risk": None,
            "risk_low": None,
            "risk_high": None,
            "driver": None,
            "by_scenario": [],
        }
    top = max(rows, key=lambda r: (r["weighted"], r["id"]))
    return {
        "risk": top["weighted"],
        "risk_low": max(r["low"] * r["weight"] for r in rows),
        "risk_high": max(r["high"] * r["weight"] for r in rows),
        "driver": top["id"],
        "by_scenario": rows,
    }


def interval_ranks(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Rank interval of each interval among all (1 = highest): its best and worst place.

    A state ranks at best 1 + the number of states whose lower bound exceeds its upper
    bound, and at worst the number of states whose upper bound reaches its lower bound.
    """
    low, high = np.asarray(low, float), np.asarray(high, float)
    ok = ~(np.isnan(low) | np.isnan(high))
    out = np.full((len(low), 2), np.nan)
    for i in np.flatnonzero(ok):
        out[i, 0] = 1 + np.sum(low[ok] > high[i])
        out[i, 1] = np.sum(high[ok] >= low[i])
    return out


@dataclass(frozen=True)
class ScreeningResult:
    """One screen: every state's need and risk for one equipment choice at one date.

    Attributes
    ----------
    as_of : pandas.Timestamp
    region, region_label : str
    equipment : tuple of str
        The categories screened; ``hypothetical`` names those of them that are hypothetical.
    relevance : dict
        Scenario id to the equipment's relevance level.
    table : pandas.DataFrame
        One row per state (see :func:`screen`).
    scenarios : dict
        ISO3 to :func:`equipment_risk`'s ``by_scenario``.
    reading : dict
        ``comparable_candidates`` and ``recipients_above_candidates`` (ISO3 lists) with the
        medians they are read against.
    method_versions : dict
        Screening, composite and diversion method versions.
    sources : tuple of str
        Registry ids used.
    """

    as_of: pd.Timestamp
    region: str
    region_label: str
    equipment: tuple[str, ...]
    hypothetical: tuple[str, ...]
    relevance: dict[str, str]
    table: pd.DataFrame = field(repr=False)
    scenarios: dict[str, list[dict]] = field(repr=False)
    reading: dict[str, Any] = field(repr=False)
    method_versions: dict[str, str] = field(repr=False)
    sources: tuple[str, ...] = ()


def recipient_years(projects: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, list[int]]:
    """Fiscal years in which each state had an OSA project, as known at ``as_of``."""
    signed = pd.to_datetime(projects["signed_date"])
    known = projects[(signed.le(as_of) | signed.isna()).fillna(True).to_numpy()]
    return {
        iso3: sorted({int(y) for y in g["fiscal_year"]})
        for iso3, g in known.groupby("country_iso3")
    }


def state_assessments(
    iso3s: Sequence[str], tables: TableStore
) -> dict[str, tuple[list[dict], dict]]:
    """Scenario register and overall criterion summary of each state (equipment-free)."""
    out = {}
    for iso3 in iso3s:
        result = tables.shared(
            ("screening_assessment", iso3),
            lambda iso3=iso3: assess_with_selected_models(Scope(iso3, tables.as_of), tables),
        )
        out[iso3] = (result.scenarios, result.overall)
    return out


def screen(
    tables: TableStore,
    *,
    region: str = "default",
    equipment: Sequence[str] | None = None,
    method: MethodFile | None = None,
) -> ScreeningResult:
    """Screen every state of ``region`` at the store's date for one equipment choice.

    Parameters
    ----------
    tables : TableStore
        The store of the screen's ``as_of``.
    region : str
        A region of ``data/screening/regions.yaml``.
    equipment : sequence of str, optional
        Equipment categories (default: the method file's ``equipment.default``).
    method : MethodFile, optional
        Default ``data/risk/screening.yaml``.

    Returns
    -------
    ScreeningResult
        ``table`` columns: ``country_iso3``, ``name``, ``subregion``, ``in_region``,
        ``recipient`` and ``fiscal_years``, the need columns of :func:`need_scores`, ``risk``,
        ``risk_low``, ``risk_high``, ``risk_rank_low``, ``risk_rank_high``, ``driver``,
        ``criteria_flagged`` (criteria rated possibly critical or critical) and
        ``risk_missing_reason``.
    """
    cfg = method or load_screening_method()
    categories = tuple(equipment or cfg["equipment"]["default"])
    diversion = load_config()
    levels = relevance(categories, diversion, cfg)
    projects = tables.get("osa_projects")
    years = recipient_years(projects, tables.as_of)
    states = region_states(region, tables, sorted(years))
    iso3s = list(states["country_iso3"])
    composite = load_method()
    draws, seed = monte_carlo_settings(composite, None, None)
    run = global_run(composite, tables, draws, seed)
    need = need_scores(run, iso3s, cfg, composite)
    assessed = state_assessments(iso3s, tables)
    risks = {
        iso3: equipment_risk(scen, levels, cfg, diversion["yardstick"])
        for iso3, (scen, _) in assessed.items()
    }
    table = states.set_index("country_iso3").join(need)
    table["recipient"] = [c in years for c in table.index]
    table["fiscal_years"] = [years.get(c, []) for c in table.index]
    for key in ("risk", "risk_low", "risk_high", "driver"):
        table[key] = [risks[c][key] for c in table.index]
    ranks = interval_ranks(table["risk_low"].to_numpy(float), table["risk_high"].to_numpy(float))
    table["risk_rank_low"], table["risk_rank_high"] = ranks[:, 0], ranks[:, 1]
    table["criteria_flagged"] = [assessed[c][1]["n_flagged"] for c in table.index]
    table["risk_missing_reason"] = [
        None if risks[c]["risk"] is not None else "no scenario likelihood for this state"
        for c in table.index
    ]
    table = table.reset_index()
    hypothetical = tuple(c for c in categories if c in (cfg["equipment"].get("hypothetical") or {}))
    return ScreeningResult(
        as_of=tables.as_of,
        region=region,
        region_label=read_regions()[region]["label"],
        equipment=categories,
        hypothetical=hypothetical,
        relevance=levels,
        table=table,
        scenarios={c: risks[c]["by_scenario"] for c in iso3s},
        reading=reading(table),
        method_versions={
            "screening": cfg["method_version"],
            "composite": composite["method_version"],
            "diversion": diversion["method_version"],
        },
        sources=tuple(sorted(tables.used)),
    )


def reading(table: pd.DataFrame) -> dict[str, Any]:
    """Which candidates match the recipients' need at lower risk, which recipients sit high.

    The rules are those of ``reading`` in the screening method file: intervals against the
    recipients' median need and risk, and the candidates' median risk.
    """
    rec = table[table["recipient"]]
    cand = table[~table["recipient"]]
    need_med = float(rec["need"].median()) if rec["need"].notna().any() else None
    risk_med = float(rec["risk"].median()) if rec["risk"].notna().any() else None
    cand_med = float(cand["risk"].median()) if cand["risk"].notna().any() else None
    comparable = []
    if need_med is not None and risk_med is not None:
        comparable = cand[
            (cand["need_high"] >= need_med).fillna(False)
            & (cand["risk_high"] < risk_med).fillna(False)
        ]["country_iso3"].tolist()
    above = []
    if cand_med is not None:
        above = rec[(rec["risk_low"] > cand_med).fillna(False)]["country_iso3"].tolist()
    return {
        "recipients_median_need": need_med,
        "recipients_median_risk": risk_med,
        "candidates_median_risk": cand_med,
        "comparable_candidates": comparable,
        "recipients_above_candidates": above,
    }
