"""From raw values to the 0–10 risk scale: the COIN log rule, goalposts and rescaling."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import stats


def coin_statistics(values: Sequence[float]) -> tuple[float, float]:
    """Bias-corrected sample skewness and excess kurtosis (COIN tool / Excel SKEW, KURT)."""
    x = np.asarray(values, dtype=float)
    return float(stats.skew(x, bias=False)), float(stats.kurtosis(x, fisher=True, bias=False))


def log_rule(values: Sequence[float], method: Mapping[str, Any]) -> dict:
    """Apply the COIN rule to a reference-year distribution.

    Returns
    -------
    dict
        ``skew``, ``kurtosis`` and ``log_transform`` (|skew| > threshold and kurtosis >
        threshold, with the thresholds of ``method["log_rule"]``).
    """
    skew, kurt = coin_statistics(values)
    rule = method["log_rule"]
    return {
        "skew": skew,
        "kurtosis": kurt,
        "log_transform": bool(abs(skew) > rule["abs_skew_gt"] and kurt > rule["kurtosis_gt"]),
    }


def goalposts_for(
    values: Sequence[float], method: Mapping[str, Any], year: int | None = None
) -> dict:
    """Goalposts, COIN decision and z-score moments of one reference-year distribution.

    Parameters
    ----------
    values : sequence of float
        Raw values of every country with a value in the reference year.
    method : Mapping
        For ``goalposts`` (percentiles, method) and ``log_rule``.
    year : int, optional
        Stored as ``year``.

    Returns
    -------
    dict
        ``year``, ``n``, ``skew``, ``kurtosis``, ``log_transform``, ``lo`` and ``hi`` (in
        transformed units), ``lo_raw`` and ``hi_raw``, ``mean`` and ``sd`` (transformed
        units, sd with ddof=1).
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    out = {"year": year, "n": len(x), **log_rule(x, method)}
    t = np.log1p(x) if out["log_transform"] else x
    g = method["goalposts"]
    lo = float(np.percentile(t, g["lower_percentile"], method=g["percentile_method"]))
    hi = float(np.percentile(t, g["upper_percentile"], method=g["percentile_method"]))
    if hi <= lo:  # degenerate_rule of the method file
        hi = float(t.max())
    back = np.expm1 if out["log_transform"] else (lambda v: v)
    out.update(
        {
            "lo": lo,
            "hi": hi,
            "lo_raw": float(back(lo)),
            "hi_raw": float(back(hi)),
            "mean": float(t.mean()),
            "sd": float(t.std(ddof=1)),
        }
    )
    return out


def rescale(
    raw: np.ndarray | Sequence[float],
    calib: Mapping[str, Any],
    direction: int,
    normalisation: str = "goalpost",
    half_range_sd: float = 2.0,
    scale: Sequence[float] = (0.0, 10.0),
) -> np.ndarray:
    """Rescale raw values to the 0–10 risk scale (higher = riskier).

    Parameters
    ----------
    raw : array-like
        Raw values (NaN stays NaN).
    calib : Mapping
        ``log_transform``, ``lo``/``hi`` (goalposts, transformed units), ``mean``/``sd``.
    direction : {1, -1}
        1: higher raw = riskier; -1: inverted.
    normalisation : {"goalpost", "zscore"}
        Min–max against the goalposts, or 10·(z + h)/(2h) with z against the
        reference-year mean and sd (``h`` = ``half_range_sd``).
    half_range_sd : float
    scale : (float, float)
        Clip range.

    Returns
    -------
    numpy.ndarray
    """
    x = np.asarray(raw, dtype=float)
    t = np.log1p(x) if calib["log_transform"] else x
    lo_s, hi_s = float(scale[0]), float(scale[1])
    span = hi_s - lo_s
    if normalisation == "goalpost":
        frac = (t - calib["lo"]) / (calib["hi"] - calib["lo"])
        if direction == -1:
            frac = 1.0 - frac
    elif normalisation == "zscore":
        z = (t - calib["mean"]) / calib["sd"]
        if direction == -1:
            z = -z
        frac = (z + half_range_sd) / (2.0 * half_range_sd)
    else:
        raise ValueError(f"unknown normalisation {normalisation!r}")
    return np.clip(lo_s + span * frac, lo_s, hi_s)
