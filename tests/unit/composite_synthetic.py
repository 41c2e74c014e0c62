"""Synthetic inputs of the structural risk composite's unit tests (hand-written, tiny)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from osa_analysis.analyse import composite as rc

AS_OF = pd.Timestamp("2025-06-30")
COUNTRIES = ("AAA", "BBB", "CCC", "DDD", "EEE")


def synthetic_panel(incidents_aaa: float = 2.0) -> pd.DataFrame:
    """Every indicator for five countries; DDD lacks V-Dem, EEE is landlocked."""
    rows = []
    level = {
        "wgi_pv": [-1.5, 0.0, 1.0, -0.5, 0.5],
        "wgi_ge": [-1.0, 0.2, 1.2, -0.3, 0.1],
        "wgi_rl": [-1.2, 0.0, 1.5, -0.2, 0.3],
        "wgi_cc": [-1.1, 0.1, 1.4, -0.6, 0.0],
        "vdem_polyarchy": [0.2, 0.5, 0.85, None, 0.6],
        "milex_share": [1.0, 2.0, 0.8, 3.0, 1.5],
    }
    window = {
        "incidents_coast": [incidents_aaa, 0.5, 0.0, 0.0, None],
        "incidents_eez": [incidents_aaa / 2, 0.2, 0.0, 0.0, None],
        "grayzone": [10.0, 0.0, 0.0, 1.0, 0.0],
        "conflict_years": [2.0, 0.2, 0.0, 0.0, 0.0],
        "violence_deaths": [5.0, 0.1, 0.0, 0.0, 0.0],
        "coups": [2.0, 0.0, 0.0, 1.0, 0.0],
    }
    for iid, vals in {**level, **window}.items():
        for c, v in zip(COUNTRIES, vals, strict=True):
            if v is None:
                applicable = not (iid.startswith("incidents") and c == "EEE")
                rows.append(
                    (iid, c, pd.NA, np.nan, np.nan, np.nan, f"no {iid} for {c}", applicable)
                )
                continue
            # WGI estimates carry a standard error; window counts are 5 years' events
            se = 0.2 if iid.startswith("wgi_") else np.nan
            count = 5.0 * v if iid in window else np.nan
            for y in range(2019, 2025):
                rows.append((iid, c, y, float(v), count, se, pd.NA, True))
    panel = pd.DataFrame(rows, columns=list(rc.PANEL_COLUMNS))
    panel["year"] = panel["year"].astype("Int64")
    panel["note"] = panel["note"].astype("string")
    # BBB's milex stops in 2021: carried forward as stale (3-year look-back from 2024)
    drop = panel["indicator"].eq("milex_share") & panel["country_iso3"].eq("BBB")
    drop &= panel["year"].gt(2021).fillna(False)
    # CCC's milex stops in 2019: beyond the look-back, missing
    drop |= (
        panel["indicator"].eq("milex_share")
        & panel["country_iso3"].eq("CCC")
        & panel["year"].gt(2019).fillna(False)
    )
    return panel[~drop].reset_index(drop=True)


TINY_METHOD = """\
# A tiny composite: one WGI indicator per dimension, six countries.
method_version: tiny-v1
name: Tiny synthetic composite
scale: [0, 10]
reference_year: 2022
universe:
  sources: [wgi]
goalposts: {lower_percentile: 5, upper_percentile: 95, percentile_method: linear}
log_rule: {abs_skew_gt: 2.0, kurtosis_gt: 3.5}
zscore: {half_range_sd: 2.0}
aggregation: {geometric_offset: 1.0}
dimensions:
  threat: {label: Threat}
  fragility: {label: Fragility}
  capacity: {label: Capacity}
indicators:
  wgi_pv: {label: PV, dimension: threat, kind: level, direction: -1, unit: est,
           lookback_years: 2, release_lag_years: 2, sources: [wgi]}
  wgi_ge: {label: GE, dimension: fragility, kind: level, direction: -1, unit: est,
           lookback_years: 2, release_lag_years: 2, sources: [wgi]}
  wgi_rl: {label: RL, dimension: capacity, kind: level, direction: -1, unit: est,
           lookback_years: 2, release_lag_years: 2, sources: [wgi]}
monte_carlo:
  seed: 7
  default_draws: 40
  interval_percentiles: [5, 95]
  dirichlet_concentration: 10
  choices:
    aggregation: {options: [geometric, arithmetic], probabilities: [0.5, 0.5]}
    normalisation: {options: [goalpost, zscore], probabilities: [0.5, 0.5]}
    leave_one_out: {probability_none: 0.5}
data_uncertainty: {seed: 11, interval_percentiles: [5, 95]}
classes: {labels: [low, medium, high], bands: [3.0, 6.0]}
trend: {offset_years: 1}
max_source_lag_years: 5
"""
"""Method file of a tiny synthetic composite (no calibration yet)."""

TINY_COUNTRIES = ("AAA", "BBB", "CCC", "DDD", "EEE")
TINY_ESTIMATES = {
    "pv": [-2.0, -1.0, 0.0, 1.0, 2.0],
    "ge": [-1.0, -0.5, 0.0, 0.5, 1.0],
    "rl": [0.0, 1.0, 2.0, 3.0, 4.0],
}
"""WGI estimates of the five countries in 2021 and 2022 (the reference year)."""


def tiny_wgi() -> pd.DataFrame:
    """A WGI table in the loader's layout for :data:`TINY_METHOD`."""
    rows = [
        {"country_iso3": c, "year": year, "indicator": code, "estimate": value}
        for year in (2021, 2022)
        for code, values in TINY_ESTIMATES.items()
        for c, value in zip(TINY_COUNTRIES, values, strict=True)
    ]
    return pd.DataFrame(rows)
