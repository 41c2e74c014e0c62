"""Proper scores of probability forecasts of events: Brier, log score, skill, AUC, calibration.

Pure functions of arrays of forecast probabilities ``p`` and outcomes ``y`` (1 event, 0 no
event). Conventions follow the forecast-verification literature (Wilks, *Statistical
Methods in the Atmospheric Sciences*, ch. 9): the Brier score is the mean squared error of
the probability; the Brier skill score against a reference is ``1 − BS / BS_ref`` (positive:
better than the reference); the log score is the mean negative log-likelihood (lower is
better); the calibration slope is the slope of the logistic regression of the outcome on
the forecast's log-odds (1 is calibrated; below 1, forecasts too extreme; above 1, too
timid).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata
from sklearn.linear_model import LogisticRegression


def _arrays(p: Sequence[float], y: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    pa = np.asarray(p, dtype=float)
    ya = np.asarray(y, dtype=float)
    if pa.shape != ya.shape:
        raise ValueError(f"forecasts and outcomes differ in shape: {pa.shape} vs {ya.shape}")
    if pa.size and (np.nanmin(pa) < 0 or np.nanmax(pa) > 1):
        raise ValueError("forecast probabilities must lie in [0, 1]")
    if not np.isin(ya, (0.0, 1.0)).all():
        raise ValueError("outcomes must be 0 or 1")
    return pa, ya


def brier(p: Sequence[float], y: Sequence[float]) -> float:
    """Return the Brier score, the mean of ``(p − y)²`` (0 perfect; NaN without forecasts).

    Examples
    --------
    >>> brier([1.0, 0.0], [1, 0])
    0.0
    >>> brier([0.5, 0.5], [1, 0])
    0.25
    """
    pa, ya = _arrays(p, y)
    return float(np.mean((pa - ya) ** 2)) if pa.size else float("nan")


def log_score(p: Sequence[float], y: Sequence[float], floor: float = 1e-4) -> float:
    """Return the mean negative log-likelihood (natural log), forecasts clipped to ``floor``.

    Examples
    --------
    >>> round(log_score([0.5, 0.5], [1, 0]), 4)
    0.6931
    """
    pa, ya = _arrays(p, y)
    if not pa.size:
        return float("nan")
    q = np.clip(pa, floor, 1 - floor)
    return float(-np.mean(ya * np.log(q) + (1 - ya) * np.log(1 - q)))


def skill(score: float, reference: float) -> float:
    """Return the skill score ``1 − score / reference`` (NaN when the reference is 0)."""
    if not np.isfinite(score) or not np.isfinite(reference) or reference == 0:
        return float("nan")
    return 1.0 - score / reference


def auc(p: Sequence[float], y: Sequence[float]) -> float | None:
    """Return the area under the ROC curve (None when only one outcome occurs).

    The Mann-Whitney statistic: the chance that a random event had the higher forecast than
    a random non-event, ties counting half.

    Examples
    --------
    >>> auc([0.9, 0.1, 0.8, 0.2], [1, 0, 1, 0])
    1.0
    """
    pa, ya = _arrays(p, y)
    if ya.size == 0 or ya.min() == ya.max():
        return None
    # the Mann-Whitney form: P(forecast of an event > forecast of a non-event), ties half
    ranks = rankdata(pa)
    n1 = ya.sum()
    n0 = ya.size - n1
    return float((ranks[ya == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def calibration_slope(
    p: Sequence[float], y: Sequence[float], floor: float = 1e-4
) -> tuple[float | None, float | None]:
    """Return ``(slope, intercept)`` of the logistic recalibration ``y ~ a + b·logit(p)``.

    None for both when only one outcome occurs or every forecast is the same (no slope to
    estimate).
    """
    pa, ya = _arrays(p, y)
    if ya.size == 0 or ya.min() == ya.max():
        return None, None
    q = np.clip(pa, floor, 1 - floor)
    x = np.log(q / (1 - q)).reshape(-1, 1)
    if np.ptp(x) == 0:
        return None, None
    fit = LogisticRegression(C=np.inf, max_iter=1000).fit(x, ya)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


@dataclass(frozen=True)
class CalibrationBin:
    """One bin of a reliability diagram: its edges, forecasts in it, their mean and the rate."""

    lo: float
    hi: float
    n: int
    events: int
    mean_forecast: float | None
    observed: float | None

    def as_dict(self) -> dict:
        """Return the bin as a JSON-ready mapping."""
        return {
            "lo": self.lo,
            "hi": self.hi,
            "n": self.n,
            "events": self.events,
            "mean_forecast": self.mean_forecast,
            "observed": self.observed,
        }


def calibration_bins(
    p: Sequence[float], y: Sequence[float], edges: Sequence[float]
) -> list[CalibrationBin]:
    """Bin forecasts by ``edges`` (a bin holds ``lo ≤ p < hi``; the last also ``p = hi``).

    Returns
    -------
    list of CalibrationBin
        One per bin, empty ones included (``mean_forecast`` and ``observed`` None).
    """
    pa, ya = _arrays(p, y)
    e = np.asarray(edges, dtype=float)
    if e.size < 2 or np.any(np.diff(e) <= 0):
        raise ValueError(f"bin edges must increase: {list(edges)}")
    index = np.clip(np.searchsorted(e, pa, side="right") - 1, 0, e.size - 2)
    out = []
    for i in range(e.size - 1):
        sel = index == i
        n = int(sel.sum())
        out.append(
            CalibrationBin(
                lo=float(e[i]),
                hi=float(e[i + 1]),
                n=n,
                events=int(ya[sel].sum()),
                mean_forecast=float(pa[sel].mean()) if n else None,
                observed=float(ya[sel].mean()) if n else None,
            )
        )
    return out


def sharpness(p: Sequence[float]) -> float:
    """Return the standard deviation of the forecasts (0: one number for everyone)."""
    pa = np.asarray(p, dtype=float)
    return float(pa.std()) if pa.size else float("nan")


def cluster_bootstrap(
    groups: Sequence[str],
    statistic,
    draws: int,
    seed: int,
    level: float = 0.9,
) -> list[float] | None:
    """Interval of ``statistic(index)`` over resamples of whole groups (countries).

    Parameters
    ----------
    groups : sequence of str
        The group of each forecast.
    statistic : callable
        Takes an integer index array into the forecasts, returns a float (NaN or None when
        undefined for that resample; such draws are left out).
    draws : int
    seed : int
        Seed of :func:`numpy.random.default_rng` (the same seed gives the same interval).
    level : float

    Returns
    -------
    list of float or None
        ``[lo, hi]`` quantiles; None when fewer than half the draws give a value.
    """
    g = np.asarray(groups)
    if g.size == 0:
        return None
    names, codes = np.unique(g, return_inverse=True)
    members = [np.flatnonzero(codes == i) for i in range(names.size)]
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(draws):
        pick = rng.integers(0, names.size, names.size)
        index = np.concatenate([members[i] for i in pick])
        v = statistic(index)
        if v is not None and np.isfinite(v):
            values.append(v)
    if len(values) < draws / 2:
        return None
    alpha = (1 - level) / 2
    lo, hi = np.quantile(values, [alpha, 1 - alpha])
    return [float(lo), float(hi)]
