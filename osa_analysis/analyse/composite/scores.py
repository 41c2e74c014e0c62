"""Composite scores of a set of countries: intervals, ranks, classes, reliability, trend.

Steps (``brief-anchors.md`` Part B section 7): the indicator panel
(:mod:`~osa_analysis.analyse.composite.panel`), the table at ``as_of``
(:mod:`~osa_analysis.analyse.composite.table`), 0–10 scores
(:mod:`~osa_analysis.analyse.composite.normalise`), aggregation
(:mod:`~osa_analysis.analyse.composite.aggregate`) and the seeded Monte Carlo over every
country of the data (:mod:`~osa_analysis.analyse.composite.montecarlo`); this module reads
the countries asked for out of that run (:func:`composite_scores`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from osa_analysis.analyse.composite import reasons
from osa_analysis.analyse.composite.method import (
    CompositeMethod,
    dimension_index,
    dimension_names,
    effective_weights,
    load_method,
    monte_carlo_settings,
    variant_choice,
)
from osa_analysis.analyse.composite.montecarlo import (
    GlobalRun,
    first_order_shares,
    global_run,
    rank_desc,
    rank_intervals,
)
from osa_analysis.analyse.composite.normalise import rescale
from osa_analysis.analyse.composite.panel import country_label
from osa_analysis.analyse.composite.uncertainty import data_settings
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore
from osa_analysis.core.stats import class_on_yardstick


def classify(scores: np.ndarray | Sequence[float], thresholds: Sequence[float]) -> np.ndarray:
    """Class index of each score (a score equal to a threshold takes the higher class).

    Returns
    -------
    numpy.ndarray
        Integers 0 … len(thresholds); −1 for NaN.
    """
    s = np.asarray(scores, dtype=float)
    idx = np.searchsorted(np.asarray(thresholds, dtype=float), s, side="right")
    return np.where(np.isnan(s), -1, idx)


def reliability_score(missing: np.ndarray, stale: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """INFORM-style reliability: 10 × (1 − (w_missing + 0.5·w_stale)).

    Parameters
    ----------
    missing, stale : numpy.ndarray
        ``(..., I)`` bool.
    weights : numpy.ndarray
        ``(I,)`` nominal effective weights (summing to 1).

    Returns
    -------
    numpy.ndarray
    """
    w = np.asarray(weights, dtype=float)
    w_missing = (np.asarray(missing, dtype=bool) * w).sum(-1)
    w_stale = (np.asarray(stale, dtype=bool) * w).sum(-1)
    return 10.0 * (1.0 - (w_missing + 0.5 * w_stale))


def class_of(score: float | None, method: CompositeMethod) -> str | None:
    """Return the class label of a 0–10 score as shown (``core.stats.score_as_shown``).

    One yardstick for every score of the brief (``classes.bands``, INFORM's fixed edges);
    a score equal to an edge takes the higher class.
    """
    return class_on_yardstick(score, method.class_thresholds, method["classes"]["labels"])


def paired_trend(
    current: np.ndarray, previous: np.ndarray, percentiles: Sequence[float]
) -> dict[str, float | str | None]:
    """Direction of a change from the paired difference of two Monte Carlo runs.

    Both runs use the same seed and draws, so draw ``k`` takes the same method choices at
    both dates and ``current[k] - previous[k]`` is the change under that method. The change
    is called ``up`` (``down``) when the lower (upper) percentile of the differences, as
    shown (two decimals), is above (below) zero: it does not depend on the method
    choices. Otherwise ``flat``.

    Parameters
    ----------
    current, previous : numpy.ndarray
        ``(K,)`` composite (or dimension) draws at the two dates.
    percentiles : (float, float)

    Returns
    -------
    dict
        ``direction`` (None when either run has no score), ``difference_low`` and
        ``difference_high``.
    """
    diff = np.asarray(current, dtype=float) - np.asarray(previous, dtype=float)
    if not len(diff) or not np.isfinite(diff).all():
        return {"direction": None, "difference_low": None, "difference_high": None}
    low = round(float(np.percentile(diff, percentiles[0])), 2)
    high = round(float(np.percentile(diff, percentiles[1])), 2)
    direction = "up" if low > 0 else "down" if high < 0 else "flat"
    return {"direction": direction, "difference_low": low, "difference_high": high}


@dataclass(frozen=True)
class CompositeResult:
    """Composite scores of a set of countries at one as-of date.

    Attributes
    ----------
    method_version : str
    as_of : pandas.Timestamp
    mc_draws, seed : int
    scores : pandas.DataFrame
        Index ``country_iso3`` (the requested countries, in order). Columns: ``nominal``
        (the headline: the nominal method), ``low`` and ``high`` (its uncertainty
        interval: percentiles of the data draws, :mod:`.uncertainty`), ``class`` (of the
        nominal score as shown, :func:`class_of`), ``class_low`` and ``class_high`` (of
        the interval's ends), ``rank`` and ``global_rank`` (of the nominal score among the
        requested countries with a composite, ``rank_of``, and among every country with
        one, ``global_rank_of``); the method range over the Monte Carlo draws:
        ``method_median``, ``method_low``, ``method_high`` (interval percentiles),
        ``method_class_low``, ``method_class_high``, ``method_rank_low``,
        ``method_rank_high``, ``global_method_rank_low``, ``global_method_rank_high``;
        ``reliability``, ``w_missing``, ``w_stale``,
        ``<dimension>_{nominal,low,high,method_median,method_low,method_high}`` and
        ``missing_reason`` (why there is no composite, or None).
    indicators : pandas.DataFrame
        The requested countries' rows of the indicator table plus ``score_0_10``
        (nominal goalpost score) and ``label``, ``unit``, ``nominal_weight``.
    sensitivity : pandas.DataFrame
        Index ``country_iso3``; one column per Monte Carlo choice (first-order share of
        variance) and ``interactions`` (1 − their sum, floored at 0).
    draws : numpy.ndarray
        ``(K, n)`` composite draws of the requested countries over method choices.
    data_draws : numpy.ndarray
        ``(K, n)`` composite draws of the requested countries over the data (nominal
        method; the paired trend reads them).
    dimension_draws : numpy.ndarray
        ``(K, n, D)``.
    choices : dict
        :func:`~osa_analysis.analyse.composite.montecarlo.draw_choices` output.
    """

    method_version: str
    as_of: pd.Timestamp
    mc_draws: int
    seed: int
    scores: pd.DataFrame
    indicators: pd.DataFrame
    sensitivity: pd.DataFrame
    draws: np.ndarray
    dimension_draws: np.ndarray
    choices: dict = field(repr=False)
    data_draws: np.ndarray = field(default=None, repr=False)


@dataclass(frozen=True)
class _RunSummary:
    """What every country's row reads from the global run (computed once per call)."""

    positions: dict[str, int]
    valid: np.ndarray
    global_ranks: np.ndarray
    peer_ranks: dict[str, np.ndarray]
    global_nominal_ranks: np.ndarray
    peer_nominal_ranks: dict[str, int]
    n_global: int
    n_peers: int
    reliability: np.ndarray
    w_missing: np.ndarray
    w_stale: np.ndarray
    sensitivity_inputs: dict[str, np.ndarray]


def _sensitivity_inputs(method: CompositeMethod, choices: dict) -> dict[str, np.ndarray]:
    """Return the drawn value of each Monte Carlo choice, by its name in the method."""
    inputs = {
        "weights": np.column_stack([choices["w_ind"], choices["w_dim"]]),
        "aggregation": choices["aggregation"],
        "normalisation": choices["normalisation"],
        "leave_one_out": choices["leave_out"],
    }
    var_choice = variant_choice(method)
    if var_choice:
        inputs[var_choice[0]] = choices["variant"]
    return inputs


def _run_summary(run: GlobalRun, method: CompositeMethod, iso3s: list[str]) -> _RunSummary:
    mats = run.matrices
    if run.data["countries"] != mats["countries"]:
        raise ValueError("the data draws and the Monte Carlo cover different countries")
    percentiles = tuple(method["monte_carlo"]["interval_percentiles"])
    comp = run.monte_carlo["composite"]
    valid = np.isfinite(comp).all(0)
    pos = {c: i for i, c in enumerate(mats["countries"])}
    g_idx = np.flatnonzero(valid)
    g_ranks = np.full((len(pos), 2), -1)
    g_ranks[g_idx] = rank_intervals(comp[:, g_idx], percentiles)
    peers = [c for c in iso3s if c in pos and valid[pos[c]]]
    p_idx = [pos[c] for c in peers]
    p_ranks = dict(zip(peers, rank_intervals(comp[:, p_idx], percentiles), strict=True))
    nominal = run.nominal["composite"]
    g_nominal = np.full(len(pos), -1)
    g_nominal[g_idx] = rank_desc(nominal[g_idx]).astype(int)
    p_nominal = dict(zip(peers, rank_desc(nominal[p_idx]).astype(int).tolist(), strict=True))
    eff = effective_weights(method)
    return _RunSummary(
        positions=pos,
        valid=valid,
        global_ranks=g_ranks,
        peer_ranks=p_ranks,
        global_nominal_ranks=g_nominal,
        peer_nominal_ranks=p_nominal,
        n_global=len(g_idx),
        n_peers=len(peers),
        reliability=reliability_score(mats["missing"], mats["stale"], eff),
        w_missing=(mats["missing"] * eff).sum(-1),
        w_stale=(mats["stale"] * eff).sum(-1),
        sensitivity_inputs=_sensitivity_inputs(method, run.choices),
    )


def _dimension_fields(run: GlobalRun, method: CompositeMethod, c: int) -> dict:
    """Nominal score, data interval and method range of each dimension of country ``c``."""
    lo_p, hi_p = method["monte_carlo"]["interval_percentiles"]
    row = {}
    for d, dname in enumerate(dimension_names(method)):
        dd = run.monte_carlo["dimensions"][:, c, d]
        row[f"{dname}_nominal"] = float(run.nominal["dimensions"][c, d])
        data = run.data["dimensions"][:, c, d]
        if np.isfinite(data).all():
            row[f"{dname}_low"] = float(np.percentile(data, lo_p))
            row[f"{dname}_high"] = float(np.percentile(data, hi_p))
        if np.isfinite(dd).all():
            row[f"{dname}_method_median"] = float(np.median(dd))
            row[f"{dname}_method_low"] = float(np.percentile(dd, lo_p))
            row[f"{dname}_method_high"] = float(np.percentile(dd, hi_p))
    return row


def _empty_dimensions(run: GlobalRun, method: CompositeMethod, c: int) -> str:
    dim_of = dimension_index(method, run.matrices["slots"])
    empty = [
        method["dimensions"][dname]["label"]
        for d, dname in enumerate(dimension_names(method))
        if not run.matrices["available"][0, c, dim_of == d].any()
    ]
    return reasons.NO_INDICATOR_IN.format(dimensions=reasons.LIST_SEPARATOR.join(empty))


def _score_fields(
    run: GlobalRun, method: CompositeMethod, summary: _RunSummary, iso3: str, c: int
) -> dict:
    """Nominal score, class and ranks, and the method range, of country ``c``."""
    lo_p, hi_p = method["monte_carlo"]["interval_percentiles"]
    y = run.monte_carlo["composite"][:, c]
    med, low, high = (
        float(np.median(y)),
        float(np.percentile(y, lo_p)),
        float(np.percentile(y, hi_p)),
    )
    nominal = float(run.nominal["composite"][c])
    data = run.data["composite"][:, c]
    d_lo, d_hi = (float(np.percentile(data, q)) for q in data_settings(method)[1])
    return {
        "nominal": nominal,
        "low": d_lo,
        "high": d_hi,
        "class": class_of(nominal, method),
        "class_low": class_of(d_lo, method),
        "class_high": class_of(d_hi, method),
        "rank": int(summary.peer_nominal_ranks[iso3]),
        "rank_of": summary.n_peers,
        "global_rank": int(summary.global_nominal_ranks[c]),
        "global_rank_of": summary.n_global,
        "method_median": med,
        "method_low": low,
        "method_high": high,
        "method_class_low": class_of(low, method),
        "method_class_high": class_of(high, method),
        "method_rank_low": int(summary.peer_ranks[iso3][0]),
        "method_rank_high": int(summary.peer_ranks[iso3][1]),
        "global_method_rank_low": int(summary.global_ranks[c, 0]),
        "global_method_rank_high": int(summary.global_ranks[c, 1]),
        "missing_reason": None,
    }


def _country_rows(
    run: GlobalRun, method: CompositeMethod, summary: _RunSummary, iso3: str
) -> tuple[dict, dict]:
    """One country's row of ``scores`` and of ``sensitivity``."""
    row: dict = {"country_iso3": iso3}
    no_shares = {"country_iso3": iso3}
    if iso3 not in summary.positions:
        row["missing_reason"] = reasons.NOT_IN_DATA.format(name=country_label(iso3))
        return row, no_shares
    c = summary.positions[iso3]
    row.update(
        {
            "reliability": float(summary.reliability[c]),
            "w_missing": float(summary.w_missing[c]),
            "w_stale": float(summary.w_stale[c]),
        }
    )
    row.update(_dimension_fields(run, method, c))
    if not summary.valid[c]:
        row["missing_reason"] = _empty_dimensions(run, method, c)
        return row, no_shares
    row.update(_score_fields(run, method, summary, iso3, c))
    shares = first_order_shares(run.monte_carlo["composite"][:, c], summary.sensitivity_inputs)
    known = [s for s in shares.values() if s is not None]
    shares["interactions"] = max(0.0, 1.0 - sum(known)) if known else None
    return row, {"country_iso3": iso3, **shares}


def _indicator_rows(run: GlobalRun, method: CompositeMethod, iso3s: list[str]) -> pd.DataFrame:
    """Return the requested countries' indicator rows with nominal score and weight."""
    slots = run.matrices["slots"]
    table = run.table
    ind = table[table["country_iso3"].isin(iso3s)].copy()
    nominal_ind = pd.DataFrame(
        run.nominal["indicator_scores"],
        index=pd.Index(run.matrices["countries"], name="country_iso3"),
        columns=slots,
    )
    calib = method.goalposts
    h = float(method["zscore"]["half_range_sd"])
    eff = effective_weights(method)

    def score_of(r) -> float:
        if r["indicator"] in slots:
            return nominal_ind.at[r["country_iso3"], r["indicator"]]
        spec = method["indicators"][r["indicator"]]
        return float(
            rescale([r["raw"]], calib[r["indicator"]], spec["direction"], "goalpost", h)[0]
        )

    ind["score_0_10"] = [score_of(r) for _, r in ind.iterrows()] if len(ind) else []
    ind["label"] = ind["indicator"].map(lambda i: method["indicators"][i]["label"])
    ind["unit"] = ind["indicator"].map(lambda i: method["indicators"][i]["unit"])
    ind["nominal_weight"] = ind["indicator"].map(
        lambda i: float(eff[slots.index(i)]) if i in slots else 0.0
    )
    return ind.reset_index(drop=True)


def country_scores(
    run: GlobalRun, method: CompositeMethod, iso3s: Sequence[str]
) -> CompositeResult:
    """Read a set of countries' scores out of a global run.

    Parameters
    ----------
    run : GlobalRun
        The Monte Carlo run of every country
        (:func:`~osa_analysis.analyse.composite.montecarlo.global_run`).
    method : CompositeMethod
        The calibrated method of the run.
    iso3s : sequence of str
        Countries (any of the data; others get a row with ``missing_reason``); the peer
        rank interval is among those with a composite.

    Returns
    -------
    CompositeResult
    """
    iso3s = [c.upper() for c in iso3s]
    summary = _run_summary(run, method, iso3s)
    n_dims = len(dimension_names(method))
    out_draws = np.full((run.mc_draws, len(iso3s)), np.nan)
    out_dims = np.full((run.mc_draws, len(iso3s), n_dims), np.nan)
    out_data = np.full((run.mc_draws, len(iso3s)), np.nan)
    rows, sens_rows = [], []
    for j, iso3 in enumerate(iso3s):
        row, sens = _country_rows(run, method, summary, iso3)
        rows.append(row)
        sens_rows.append(sens)
        if iso3 in summary.positions:
            c = summary.positions[iso3]
            out_dims[:, j, :] = run.monte_carlo["dimensions"][:, c, :]
            if summary.valid[c]:
                out_draws[:, j] = run.monte_carlo["composite"][:, c]
                out_data[:, j] = run.data["composite"][:, c]
    return CompositeResult(
        method_version=method["method_version"],
        as_of=run.as_of,
        mc_draws=run.mc_draws,
        seed=run.seed,
        scores=pd.DataFrame(rows).set_index("country_iso3"),
        indicators=_indicator_rows(run, method, iso3s),
        sensitivity=pd.DataFrame(sens_rows).set_index("country_iso3"),
        draws=out_draws,
        dimension_draws=out_dims,
        choices=run.choices,
        data_draws=out_data,
    )


def composite_scores(
    scope: Scope,
    tables: TableStore,
    *,
    mc_draws: int | None = None,
    seed: int | None = None,
    method: CompositeMethod | None = None,
) -> CompositeResult:
    """Composite score, interval, class, ranks and sensitivity of the scope's countries.

    The Monte Carlo runs over every country of the data at ``scope.as_of`` (so the global
    rank interval is available; :func:`~osa_analysis.analyse.composite.montecarlo.global_run`);
    the peer rank interval is among ``scope.countries`` (those with a composite).

    Parameters
    ----------
    scope : Scope
        The country and its peers (``scope.countries``, in order) and ``as_of``.
    tables : TableStore
        The store of ``scope.as_of``.
    mc_draws : int, optional
        Default: the method file's ``monte_carlo.default_draws`` (1000).
    seed : int, optional
        Default: the method file's ``monte_carlo.seed``.
    method : CompositeMethod, optional
        Default: the project's method (:func:`load_method`).

    Returns
    -------
    CompositeResult
    """
    method = method or load_method()
    draws, seed = monte_carlo_settings(method, mc_draws, seed)
    return country_scores(global_run(method, tables, draws, seed), method, scope.countries)


def trend_as_of(method: CompositeMethod, as_of: pd.Timestamp) -> pd.Timestamp:
    """Return the date the trend compares with: ``as_of`` minus ``trend.offset_years``."""
    return as_of - pd.DateOffset(years=int(method["trend"]["offset_years"]))


def previous_scores(
    scope: Scope,
    tables: TableStore,
    *,
    mc_draws: int | None = None,
    seed: int | None = None,
    method: CompositeMethod | None = None,
) -> CompositeResult:
    """:func:`composite_scores` with the same method at :func:`trend_as_of` (the trend)."""
    method = method or load_method()
    as_of = trend_as_of(method, scope.as_of)
    return composite_scores(
        dataclasses.replace(scope, as_of=as_of),
        tables.at(as_of),
        mc_draws=mc_draws,
        seed=seed,
        method=method,
    )
