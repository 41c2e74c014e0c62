"""The composite's uncertainty from its data: draws of every input, the nominal method fixed.

Each draw perturbs the inputs by their own stated uncertainty (``uncertainty`` of each
indicator in the method file) and recomputes the nominal method (goalposts, nominal
weights, nominal aggregation; no method choice varies):

``standard_error``
    A level with a published standard error: ``raw + se · z``, ``z ~ N(0, 1)`` (WGI's
    standard error; V-Dem's interval half-width, :mod:`.panel`).
``poisson``
    An event count over the window: the count is drawn from ``Poisson(count)`` and the
    rate scaled with it (a recorded zero stays zero: the interval then says nothing about
    events never recorded). A severity-weighted count (its ``se`` given by the panel) is
    drawn as a scaled Poisson with its effective number of events ``(raw / se)²``, which
    has the compound-Poisson sum's mean and variance.
``none``
    Taken as exact (recorded events such as coups and conflict-years, a reported share).

Random numbers are seeded per country, indicator and data year, so two dates that use the
same year's value draw the same numbers (their paired difference is exactly zero; a
revised value of that year moves with them) and values of different years draw
independent ones. The interval of a score is a percentile
range of its draws (:data:`INTERVAL_KEY` in the method file).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from osa_analysis.analyse.composite.aggregate import aggregate
from osa_analysis.analyse.composite.method import (
    CompositeMethod,
    dimension_index,
    nominal_weights,
    primary_indicators,
)
from osa_analysis.analyse.composite.normalise import rescale

INTERVAL_KEY = "data_uncertainty"
"""The method file's block of these draws (``seed``, ``interval_percentiles``)."""

KINDS = ("standard_error", "poisson", "none")
"""The kinds of input uncertainty an indicator may name."""


def _uniforms(seed: int, iso3: str, iid: str, year, draws: int) -> np.ndarray:
    key = zlib.crc32(f"{iso3}|{iid}|{'' if pd.isna(year) else int(year)}".encode())
    return np.random.default_rng([seed, key]).random(draws)


def _poisson_mean(count, raw: float, se: pd.DataFrame, iid: str, c: int) -> float:
    """Return the Poisson mean behind a count: ``(raw / se)²`` when it has a standard error.

    A severity-weighted count is a compound Poisson sum; its effective number of events
    ``(Σw)² / Σw²`` equals ``(raw / se)²``. Without a standard error: the count itself.
    """
    s = float(se[iid].iloc[c]) if iid in se else np.nan
    if np.isfinite(s) and s > 0 and raw > 0:
        return (raw / s) ** 2
    return float(count)


def raw_draws(table: pd.DataFrame, method: Mapping, draws: int, seed: int) -> dict:
    """Draws of every primary indicator's raw value, ``(K, C, I)`` (NaN where missing).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~osa_analysis.analyse.composite.table.table_at` output (``raw``, ``se``,
        ``count``, ``year``, ``missing``).
    method : Mapping
    draws, seed : int

    Returns
    -------
    dict
        ``countries``, ``slots`` and ``raw`` ``(K, C, I)``.
    """
    slots = primary_indicators(method)
    wide = {
        col: table.pivot(index="country_iso3", columns="indicator", values=col)
        for col in ("raw", "count", "year", "missing")
    }
    se = (
        table.pivot(index="country_iso3", columns="indicator", values="se")
        if "se" in table
        else wide["raw"] * np.nan
    )
    countries = list(wide["raw"].index)
    out = np.full((draws, len(countries), len(slots)), np.nan)
    for i, iid in enumerate(slots):
        kind = method["indicators"][iid].get("uncertainty", "none")
        raw = wide["raw"][iid].to_numpy(float)
        usable = ~wide["missing"][iid].to_numpy(bool) & np.isfinite(raw)
        out[:, :, i] = np.where(usable, raw, np.nan)
        if kind == "none":
            continue
        for c in np.flatnonzero(usable):
            iso3, year = countries[c], wide["year"][iid].iloc[c]
            u = _uniforms(seed, iso3, iid, year, draws)
            if kind == "standard_error":
                s = float(se[iid].iloc[c]) if iid in se else np.nan
                if np.isfinite(s) and s > 0:
                    out[:, c, i] = raw[c] + s * stats.norm.ppf(u)
            elif kind == "poisson":
                n = _poisson_mean(wide["count"][iid].iloc[c], raw[c], se, iid, c)
                if np.isfinite(n) and n > 0:
                    out[:, c, i] = raw[c] * stats.poisson.ppf(u, n) / n
    return {"countries": countries, "slots": slots, "raw": out}


def data_draws(table: pd.DataFrame, method: CompositeMethod, draws: int, seed: int) -> dict:
    """Composite and dimensions under the nominal method in every draw of the data.

    Returns
    -------
    dict
        ``countries``, ``composite`` ``(K, C)`` and ``dimensions`` ``(K, C, D)``.
    """
    d = raw_draws(table, method, draws, seed)
    slots = d["slots"]
    scores = np.empty_like(d["raw"])
    for i, iid in enumerate(slots):
        spec = method["indicators"][iid]
        scores[:, :, i] = rescale(
            d["raw"][:, :, i], method.goalposts[iid], spec["direction"], "goalpost"
        )
    available = np.isfinite(d["raw"])
    w_ind, w_dim = nominal_weights(method)
    rule = method["monte_carlo"]["choices"]["aggregation"]["options"][0]
    comp, dims = aggregate(
        scores,
        available,
        dimension_index(method, slots),
        w_ind,
        w_dim,
        rule,
        float(method["aggregation"]["geometric_offset"]),
    )
    return {"countries": d["countries"], "composite": comp, "dimensions": dims}


def data_settings(method: Mapping) -> tuple[int, tuple[float, float]]:
    """Return the seed and the interval percentiles of the data draws."""
    block = method[INTERVAL_KEY]
    lo, hi = block["interval_percentiles"]
    return int(block["seed"]), (float(lo), float(hi))
