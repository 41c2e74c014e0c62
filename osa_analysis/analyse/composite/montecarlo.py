"""Monte Carlo over the method choices: score matrices, draws, the run, ranks and shares.

Every draw takes one value of each choice of the method file's ``monte_carlo.choices``
(Dirichlet weights, aggregation rule, normalisation, an indicator left out, the indicator
variant), the same for all countries, so ranks are comparable within a draw.

The global run (:func:`global_run`: every country of the data at one as-of date) is the
shared analysis of a build: memoised per process (:meth:`TableStore.shared`) and kept in
the derived-data cache across processes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from osa_analysis.analyse.composite.aggregate import aggregate
from osa_analysis.analyse.composite.method import (
    CompositeMethod,
    dimension_index,
    dimension_names,
    nominal_weights,
    primary_indicators,
    variant_choice,
)
from osa_analysis.analyse.composite.normalise import rescale
from osa_analysis.analyse.composite.panel import panel_source_ids
from osa_analysis.analyse.composite.table import indicator_table
from osa_analysis.analyse.composite.uncertainty import data_draws, data_settings
from osa_analysis.analyse.tables import TableStore
from osa_analysis.sources.cache import cached_object


def score_matrices(table: pd.DataFrame, method: CompositeMethod) -> dict:
    """0–10 scores of every country under each normalisation and indicator variant.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~osa_analysis.analyse.composite.table.table_at` output.
    method : CompositeMethod
        A calibrated method (its goalposts).

    Returns
    -------
    dict
        ``countries`` (list), ``slots`` (primary indicators), ``variants`` (option list
        of the variant choice, first = nominal), ``normalisations``, ``scores`` array
        ``(n_norm, n_var, C, I)``, ``available`` ``(n_var, C, I)``, ``stale`` ``(C, I)``,
        ``missing`` ``(C, I)`` (nominal variant; not-applicable indicators excluded: they
        do not count against the reliability) and ``not_applicable`` ``(C, I)``.
    """
    calib = method.goalposts
    slots = primary_indicators(method)
    norms = list(method["monte_carlo"]["choices"]["normalisation"]["options"])
    var_choice = variant_choice(method)
    variants = list(var_choice[1]["options"]) if var_choice else [None]
    varied = var_choice[1]["indicator"] if var_choice else None
    wide_raw = table.pivot(index="country_iso3", columns="indicator", values="raw")
    countries = list(wide_raw.index)
    miss = table.pivot(index="country_iso3", columns="indicator", values="missing")
    stale = table.pivot(index="country_iso3", columns="indicator", values="stale")
    applicable = table.pivot(index="country_iso3", columns="indicator", values="applicable")
    h = float(method["zscore"]["half_range_sd"])
    scale = method["scale"]
    scores = np.full((len(norms), len(variants), len(countries), len(slots)), np.nan)
    avail = np.zeros((len(variants), len(countries), len(slots)), dtype=bool)
    for v, variant in enumerate(variants):
        for i, slot in enumerate(slots):
            iid = variant if slot == varied else slot
            spec = method["indicators"][iid]
            raw = wide_raw[iid].to_numpy(float)
            avail[v, :, i] = ~miss[iid].to_numpy(bool) & np.isfinite(raw)
            for n, norm in enumerate(norms):
                scores[n, v, :, i] = rescale(raw, calib[iid], spec["direction"], norm, h, scale)
    return {
        "countries": countries,
        "slots": slots,
        "variants": variants,
        "normalisations": norms,
        "scores": scores,
        "available": avail,
        "stale": stale[slots].to_numpy(bool),
        "missing": miss[slots].to_numpy(bool) & applicable[slots].to_numpy(bool),
        "not_applicable": ~applicable[slots].to_numpy(bool),
    }


def draw_choices(method: Mapping, draws: int, seed: int) -> dict:
    """Draw every Monte Carlo choice (reproducible for a seed and a number of draws).

    Returns
    -------
    dict
        ``w_ind`` ``(K, I)`` (Dirichlet inside each dimension), ``w_dim`` ``(K, D)``,
        ``aggregation``, ``normalisation``, ``variant`` (option indices, ``(K,)``) and
        ``leave_out`` (``(K,)``: −1 for none, else the slot index dropped).
    """
    rng = np.random.default_rng(seed)
    mc = method["monte_carlo"]
    conc = float(mc["dirichlet_concentration"])
    slots = primary_indicators(method)
    w_nom, wd_nom = nominal_weights(method)
    dim_of = dimension_index(method, slots)
    w_ind = np.zeros((draws, len(slots)))
    for d in range(len(dimension_names(method))):
        m = dim_of == d
        w_ind[:, m] = rng.dirichlet(conc * w_nom[m], size=draws)
    w_dim = rng.dirichlet(conc * wd_nom, size=draws)
    ch = mc["choices"]
    agg = rng.choice(
        len(ch["aggregation"]["options"]), p=ch["aggregation"]["probabilities"], size=draws
    )
    norm = rng.choice(
        len(ch["normalisation"]["options"]), p=ch["normalisation"]["probabilities"], size=draws
    )
    var_choice = variant_choice(method)
    if var_choice:
        options, probabilities = var_choice[1]["options"], var_choice[1]["probabilities"]
        variant = rng.choice(len(options), p=probabilities, size=draws)
    else:
        variant = np.zeros(draws, dtype=int)
    p_none = float(ch["leave_one_out"]["probability_none"])
    drop = rng.random(draws) >= p_none
    which = rng.integers(0, len(slots), size=draws)
    leave_out = np.where(drop, which, -1)
    return {
        "w_ind": w_ind,
        "w_dim": w_dim,
        "aggregation": agg,
        "normalisation": norm,
        "variant": variant,
        "leave_out": leave_out,
    }


def run_monte_carlo(mats: dict, method: Mapping, choices: dict) -> dict:
    """Composite and dimension scores of every country in every draw.

    Parameters
    ----------
    mats : dict
        :func:`score_matrices` output.
    method : Mapping
    choices : dict
        :func:`draw_choices` output.

    Returns
    -------
    dict
        ``composite`` ``(K, C)`` and ``dimensions`` ``(K, C, D)``.
    """
    slots = mats["slots"]
    dim_of = dimension_index(method, slots)
    offset = float(method["aggregation"]["geometric_offset"])
    k = len(choices["aggregation"])
    scores = mats["scores"][choices["normalisation"], choices["variant"]]  # (K, C, I)
    avail_base = mats["available"][choices["variant"]]  # (K, C, I)
    keep = np.ones((k, len(slots)), dtype=bool)
    dropped = choices["leave_out"] >= 0
    keep[np.flatnonzero(dropped), choices["leave_out"][dropped]] = False
    avail = avail_base & keep[:, None, :]
    for d in range(len(dimension_names(method))):
        m = dim_of == d
        empty = ~avail[..., m].any(-1) & avail_base[..., m].any(-1)  # (K, C)
        avail[..., m] = np.where(empty[..., None], avail_base[..., m], avail[..., m])
    options = method["monte_carlo"]["choices"]["aggregation"]["options"]
    geo, dim_scores = aggregate(
        scores, avail, dim_of, choices["w_ind"], choices["w_dim"], "geometric", offset
    )
    ari, _ = aggregate(scores, avail, dim_of, choices["w_ind"], choices["w_dim"], "arithmetic")
    is_geo = np.array([options[a] == "geometric" for a in choices["aggregation"]])
    comp = np.where(is_geo[:, None], geo, ari)
    return {"composite": comp, "dimensions": dim_scores}


def nominal_scores(mats: dict, method: Mapping) -> dict:
    """Composite and dimensions with the nominal method (first option of every choice).

    Returns
    -------
    dict
        ``composite`` ``(C,)``, ``dimensions`` ``(C, D)`` and ``indicator_scores``
        ``(C, I)`` (goalpost 0–10 scores of the nominal variant; NaN when missing).
    """
    dim_of = dimension_index(method, mats["slots"])
    w_ind, w_dim = nominal_weights(method)
    rule = method["monte_carlo"]["choices"]["aggregation"]["options"][0]
    scores = mats["scores"][0, 0]
    avail = mats["available"][0]
    comp, dim_scores = aggregate(
        scores,
        avail,
        dim_of,
        w_ind,
        w_dim,
        rule,
        float(method["aggregation"]["geometric_offset"]),
    )
    return {
        "composite": comp,
        "dimensions": dim_scores,
        "indicator_scores": np.where(avail, scores, np.nan),
    }


def rank_desc(values: np.ndarray) -> np.ndarray:
    """Rank along the last axis, 1 = highest (ties share the best rank; NaN → NaN)."""
    v = np.asarray(values, dtype=float)
    ranks = stats.rankdata(np.where(np.isnan(v), -np.inf, -v), method="min", axis=-1)
    return np.where(np.isnan(v), np.nan, ranks)


def rank_intervals(draws: np.ndarray, percentiles: Sequence[float] = (5, 95)) -> np.ndarray:
    """Rank interval of each column over Monte Carlo draws.

    Parameters
    ----------
    draws : numpy.ndarray
        ``(K, C)`` scores (one row per draw).
    percentiles : (float, float)

    Returns
    -------
    numpy.ndarray
        ``(C, 2)`` integer ranks (1 = highest score): the lower percentile of the ranks
        (``lower`` method) and the upper one (``higher`` method), so both are ranks that
        occurred.
    """
    ranks = rank_desc(np.asarray(draws, dtype=float))
    lo = np.percentile(ranks, percentiles[0], axis=0, method="lower")
    hi = np.percentile(ranks, percentiles[1], axis=0, method="higher")
    return np.stack([lo, hi], -1).astype(int)


def first_order_shares(y: np.ndarray, choices: dict[str, np.ndarray]) -> dict[str, float | None]:
    """First-order share of the variance of ``y`` explained by each choice.

    Parameters
    ----------
    y : numpy.ndarray
        ``(K,)`` output over the draws.
    choices : dict
        Name → ``(K,)`` array of a discrete choice (Var(E[y | choice]) / Var(y)) or
        ``(K, p)`` array of continuous inputs (R² of the least-squares fit of y on them
        with an intercept: a first-order linear approximation).

    Returns
    -------
    dict
        Name → share in [0, 1] (None when y does not vary).
    """
    y = np.asarray(y, dtype=float)
    var = float(np.var(y))
    if not np.isfinite(var) or var <= 1e-12 * max(1.0, float(np.mean(y**2))):
        return dict.fromkeys(choices)
    out: dict[str, float | None] = {}
    mean = y.mean()
    for name, x in choices.items():
        x = np.asarray(x)
        if x.ndim == 1:
            _, inv = np.unique(x, return_inverse=True)
            counts = np.bincount(inv)
            means = np.bincount(inv, weights=y) / counts
            share = float((counts * (means - mean) ** 2).sum() / (len(y) * var))
        else:
            design = np.column_stack([np.ones(len(y)), x.astype(float)])
            coef, *_ = np.linalg.lstsq(design, y, rcond=None)
            resid = y - design @ coef
            share = float(1.0 - np.var(resid) / var)
        out[name] = min(max(share, 0.0), 1.0)
    return out


# --------------------------------------------------------------------------- the global run


@dataclass(frozen=True)
class GlobalRun:
    """The Monte Carlo run of every country of the data at one as-of date.

    Attributes
    ----------
    as_of : pandas.Timestamp
    mc_draws, seed : int
    table : pandas.DataFrame
        :func:`~osa_analysis.analyse.composite.table.table_at` output at ``as_of``.
    matrices : dict
        :func:`score_matrices` output.
    choices : dict
        :func:`draw_choices` output.
    monte_carlo : dict
        :func:`run_monte_carlo` output (``composite`` ``(K, C)``, ``dimensions``).
    nominal : dict
        :func:`nominal_scores` output.
    data : dict
        :func:`~osa_analysis.analyse.composite.uncertainty.data_draws` output (the nominal
        method over draws of the data: the uncertainty of the scores).
    """

    as_of: pd.Timestamp
    mc_draws: int
    seed: int
    table: pd.DataFrame = field(repr=False)
    matrices: dict = field(repr=False)
    choices: dict = field(repr=False)
    monte_carlo: dict = field(repr=False)
    nominal: dict = field(repr=False)
    data: dict = field(repr=False)


def run_global(
    table: pd.DataFrame, method: CompositeMethod, mc_draws: int, seed: int, as_of: pd.Timestamp
) -> GlobalRun:
    """Run the Monte Carlo over every country of an indicator table.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~osa_analysis.analyse.composite.table.table_at` output at ``as_of``.
    method : CompositeMethod
        A calibrated method.
    mc_draws, seed : int
    as_of : pandas.Timestamp
        The table's date (recorded).

    Returns
    -------
    GlobalRun
    """
    mats = score_matrices(table, method)
    choices = draw_choices(method, mc_draws, seed)
    return GlobalRun(
        as_of=as_of,
        mc_draws=mc_draws,
        seed=seed,
        table=table,
        matrices=mats,
        choices=choices,
        monte_carlo=run_monte_carlo(mats, method, choices),
        nominal=nominal_scores(mats, method),
        data=data_draws(table, method, mc_draws, data_settings(method)[0]),
    )


def global_run(method: CompositeMethod, tables: TableStore, mc_draws: int, seed: int) -> GlobalRun:
    """Return the run of every country at the store's ``as_of`` (the build's shared run).

    Memoised per process for the store's date (:meth:`TableStore.shared`) and, for the
    store's real data, on disk (:func:`osa_analysis.sources.cache.cached_object`; key: the
    panel's input files, the package code, ``method.config_sha256``, the date, the draws
    and the seed). The panel's sources are recorded as used, also when the run is read
    back.
    """
    ids = panel_source_ids(method)
    tables.use(*ids)
    as_of = tables.as_of

    def compute() -> GlobalRun:
        return run_global(indicator_table(tables, method), method, mc_draws, seed, as_of)

    def build() -> GlobalRun:
        if not tables.real_data:
            return compute()
        return cached_object(
            "risk_composite_global",
            ids,
            compute,
            version=f"{method.config_sha256}|{as_of.strftime('%Y-%m-%d')}|{mc_draws}|{seed}",
        )

    return tables.shared(("composite_global", method.config_sha256, mc_draws, seed), build)
