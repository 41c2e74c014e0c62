"""Exact intervals for counts: Poisson counts and the ratio of two Poisson rates.

Used wherever a brief compares incident counts between two periods. A change is called an
increase or a decrease only when the exact 95% interval of the rate ratio excludes 1
(``brief-anchors.md`` Part B, chart 5.1), which avoids reading noise such as "4 → 9 = +125%"
as a trend.

Methods
-------
* :func:`poisson_interval`: the exact (Garwood 1936) interval of a Poisson mean from one
  count, from chi-square quantiles.
* :func:`rate_ratio`: the exact conditional interval of the ratio of two Poisson rates.
  Given the total ``n = x1 + x0``, ``x1`` is binomial with ``p = λ1 t1 / (λ1 t1 + λ0 t0)``;
  the Clopper–Pearson interval of ``p`` maps to the rate ratio by
  ``RR = p / (1 − p) · t0 / t1`` (monotone, so the interval maps end to end).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from scipy import stats

RATE_RATIO_METHOD = "exact conditional binomial (Clopper–Pearson)"
"""Name of the rate-ratio interval method, as shown in briefs."""


@dataclass(frozen=True)
class RateRatio:
    """The ratio of two Poisson rates with its exact interval.

    Attributes
    ----------
    estimate : float
        ``(current / t_current) / (previous / t_previous)``; 0 when ``current`` is 0,
        ``inf`` when only ``previous`` is 0, NaN when both are 0.
    low, high : float
        Interval bounds (``high`` is ``inf`` when ``previous`` is 0; both NaN when both
        counts are 0).
    current, previous : int
        The two counts.
    t_current, t_previous : float
        Exposure (e.g. years) of each count.
    level : float
        Confidence level of the interval.
    significant : bool
        Whether the interval excludes 1 (``False`` when it is undefined).
    method : str
        :data:`RATE_RATIO_METHOD`.
    """

    estimate: float
    low: float
    high: float
    current: int
    previous: int
    t_current: float = 1.0
    t_previous: float = 1.0
    level: float = 0.95
    significant: bool = False
    method: str = RATE_RATIO_METHOD

    @property
    def direction(self) -> str:
        """Name the change: "increase", "decrease", "no clear change" or "not defined".

        "not defined" when both counts are 0; a direction only when significant.
        """
        if math.isnan(self.estimate):
            return "not defined"
        if not self.significant:
            return "no clear change"
        return "increase" if self.low > 1 else "decrease"

    def as_dict(self) -> dict:
        """Return the fields plus ``direction`` as a plain dict."""
        out = asdict(self)
        out["direction"] = self.direction
        return out


def score_as_shown(score: float) -> float:
    """Return a 0–10 score as the brief prints it next to its class: one decimal.

    Scores are stored to two decimals and printed to one (``f"{stored:.1f}"``); a class
    is set on this printed value, so the word always agrees with the number beside it
    (e.g. 1.9549 is stored as 1.95 and printed as 1.9).

    >>> score_as_shown(1.9549), score_as_shown(4.96)
    (1.9, 5.0)
    """
    return float(f"{round(float(score), 2):.1f}")


def class_on_yardstick(
    score: float | None, edges: Sequence[float], labels: Sequence[str]
) -> str | None:
    """Return the class of a 0–10 score on a yardstick of increasing edges, as it is shown.

    The score is read as printed (:func:`score_as_shown`) and a score on an edge takes the
    higher class (INFORM's convention). The composite's classes and the bottom-line tiles
    both use it, so one score gets one word everywhere.

    >>> class_on_yardstick(4.96, [2.0, 3.5, 5.0, 6.5], ["vl", "l", "m", "h", "vh"])
    'h'
    """
    if score is None or not math.isfinite(float(score)):
        return None
    return labels[bisect.bisect_right(list(edges), score_as_shown(score))]


def _check_count(value: int, name: str) -> int:
    if isinstance(value, bool) or int(value) != value or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def _check_level(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    return float(level)


def poisson_interval(count: int, level: float = 0.95) -> tuple[float, float]:
    """Return the exact (Garwood) interval of a Poisson mean from one observed count.

    Parameters
    ----------
    count : int
        Observed count (≥ 0).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    tuple of float
        ``(low, high)``: ``chi2.ppf(α/2, 2k) / 2`` (0 when ``k`` is 0) and
        ``chi2.ppf(1 − α/2, 2k + 2) / 2``.

    Examples
    --------
    >>> [round(v, 3) for v in poisson_interval(0)]
    [0.0, 3.689]
    """
    k = _check_count(count, "count")
    alpha = 1 - _check_level(level)
    low = 0.0 if k == 0 else float(stats.chi2.ppf(alpha / 2, 2 * k) / 2)
    high = float(stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2)
    return low, high


def binomial_interval(successes: int, trials: int, level: float = 0.95) -> tuple[float, float]:
    """Return the exact (Clopper–Pearson) interval of a binomial proportion.

    Parameters
    ----------
    successes, trials : int
        Observed successes and trials (``0 ≤ successes ≤ trials``).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    tuple of float
        ``(low, high)`` in [0, 1]; ``(nan, nan)`` when ``trials`` is 0.
    """
    x = _check_count(successes, "successes")
    n = _check_count(trials, "trials")
    if x > n:
        raise ValueError(f"successes ({x}) cannot exceed trials ({n})")
    alpha = 1 - _check_level(level)
    if n == 0:
        return math.nan, math.nan
    low = 0.0 if x == 0 else float(stats.beta.ppf(alpha / 2, x, n - x + 1))
    high = 1.0 if x == n else float(stats.beta.ppf(1 - alpha / 2, x + 1, n - x))
    return low, high


def _odds(p: float) -> float:
    return math.inf if p >= 1 else p / (1 - p)


def rate_ratio(
    current: int,
    previous: int,
    t_current: float = 1.0,
    t_previous: float = 1.0,
    level: float = 0.95,
) -> RateRatio:
    """Compare two Poisson counts: rate ratio with its exact conditional interval.

    Parameters
    ----------
    current, previous : int
        Counts in the period of interest and in the reference period.
    t_current, t_previous : float, default 1
        Length (exposure) of each period, in any common unit.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    RateRatio
        ``significant`` is ``True`` only when the interval excludes 1.

    Examples
    --------
    >>> rr = rate_ratio(9, 4)
    >>> rr.estimate, rr.significant
    (2.25, False)
    """
    x1 = _check_count(current, "current")
    x0 = _check_count(previous, "previous")
    if not (t_current > 0 and t_previous > 0):
        raise ValueError("t_current and t_previous must be positive")
    level = _check_level(level)
    scale = t_previous / t_current
    common = {
        "current": x1,
        "previous": x0,
        "t_current": float(t_current),
        "t_previous": float(t_previous),
        "level": level,
    }
    if x1 + x0 == 0:
        return RateRatio(math.nan, math.nan, math.nan, significant=False, **common)
    p_low, p_high = binomial_interval(x1, x1 + x0, level)
    estimate = math.inf if x0 == 0 else (x1 / t_current) / (x0 / t_previous)
    low = _odds(p_low) * scale
    high = _odds(p_high) * scale
    significant = bool(low > 1 or high < 1)
    return RateRatio(float(estimate), float(low), float(high), significant=significant, **common)
