"""Exact Poisson and rate-ratio intervals (osa_analysis.core.stats).

Reference values are computed independently: the rate-ratio interval from
``scipy.stats.binomtest(...).proportion_ci(method="exact")`` (the Clopper–Pearson interval
of p = x1 / (x1 + x0), mapped by RR = p / (1 − p) · t0 / t1), the Poisson interval by
checking its defining tail probabilities with ``scipy.stats.poisson``.
"""

from __future__ import annotations

import math

import pytest
from scipy.stats import binomtest, poisson

from osa_analysis.core.stats import (
    RATE_RATIO_METHOD,
    binomial_interval,
    poisson_interval,
    rate_ratio,
)


def _reference_rr(x1: int, x0: int, t1: float = 1.0, t0: float = 1.0, level: float = 0.95):
    ci = binomtest(x1, x1 + x0).proportion_ci(confidence_level=level, method="exact")
    odds = [p / (1 - p) if p < 1 else math.inf for p in (ci.low, ci.high)]
    return [o * t0 / t1 for o in odds]


def test_four_versus_nine_is_not_a_significant_change():
    rr = rate_ratio(9, 4)
    assert rr.estimate == pytest.approx(2.25)
    assert rr.low < 1 < rr.high
    assert not rr.significant
    assert rr.direction == "no clear change"
    assert [rr.low, rr.high] == pytest.approx(_reference_rr(9, 4), rel=1e-9)
    # hand-checked values of the exact conditional interval
    assert rr.low == pytest.approx(0.627971, abs=1e-6)
    assert rr.high == pytest.approx(9.998632, abs=1e-6)
    assert rr.method == RATE_RATIO_METHOD == "exact conditional binomial (Clopper–Pearson)"


@pytest.mark.parametrize(
    ("current", "previous", "direction", "low", "high"),
    [
        (30, 10, "increase", 1.427408, 6.879302),
        (40, 84, "decrease", 0.318306, 0.701871),
    ],
)
def test_significant_changes(current, previous, direction, low, high):
    rr = rate_ratio(current, previous)
    assert rr.significant
    assert rr.direction == direction
    assert rr.low == pytest.approx(low, abs=1e-6)
    assert rr.high == pytest.approx(high, abs=1e-6)
    assert [rr.low, rr.high] == pytest.approx(_reference_rr(current, previous), rel=1e-9)


def test_exposure_scales_the_ratio():
    rr = rate_ratio(10, 10, t_current=2.0, t_previous=1.0)
    assert rr.estimate == pytest.approx(0.5)
    assert [rr.low, rr.high] == pytest.approx(_reference_rr(10, 10, 2.0, 1.0), rel=1e-9)
    assert rr.t_current == 2.0 and rr.t_previous == 1.0


def test_zero_current_gives_zero_estimate_and_finite_upper_bound():
    rr = rate_ratio(0, 5)
    assert rr.estimate == 0.0 and rr.low == 0.0
    assert math.isfinite(rr.high)
    assert rr.high == pytest.approx(_reference_rr(0, 5)[1], rel=1e-9)
    assert rr.high == pytest.approx(1.091279, abs=1e-6)
    assert not rr.significant  # 0 vs 5 still includes 1


def test_zero_previous_gives_infinite_estimate_and_upper_bound():
    rr = rate_ratio(5, 0)
    assert math.isinf(rr.estimate) and math.isinf(rr.high)
    assert rr.low == pytest.approx(0.916356, abs=1e-6)
    assert not rr.significant
    big = rate_ratio(12, 0)
    assert big.low > 1 and big.significant and big.direction == "increase"


def test_both_zero_is_not_defined():
    rr = rate_ratio(0, 0)
    assert all(math.isnan(v) for v in (rr.estimate, rr.low, rr.high))
    assert rr.significant is False
    assert rr.direction == "not defined"
    assert rr.as_dict()["direction"] == "not defined"


def test_lower_level_gives_narrower_interval():
    wide, narrow = rate_ratio(20, 12, level=0.95), rate_ratio(20, 12, level=0.90)
    assert wide.low < narrow.low < narrow.high < wide.high
    assert [narrow.low, narrow.high] == pytest.approx(_reference_rr(20, 12, level=0.9), rel=1e-9)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"current": -1, "previous": 3},
        {"current": 1.5, "previous": 3},
        {"current": True, "previous": 3},
        {"current": 1, "previous": 3, "t_current": 0},
        {"current": 1, "previous": 3, "level": 1.0},
    ],
)
def test_invalid_inputs_raise(kwargs):
    with pytest.raises(ValueError):
        rate_ratio(**kwargs)


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [(0, 0.0, 3.688879), (1, 0.025318, 5.571643), (10, 4.795389, 18.390356)],
)
def test_poisson_interval_is_garwood(count, low, high):
    lo, hi = poisson_interval(count)
    assert lo == pytest.approx(low, abs=1e-6)
    assert hi == pytest.approx(high, abs=1e-6)
    # defining property: each tail has probability 2.5%
    assert poisson.cdf(count, hi) == pytest.approx(0.025, abs=1e-9)
    if count:
        assert poisson.sf(count - 1, lo) == pytest.approx(0.025, abs=1e-9)


def test_poisson_interval_rejects_negative_counts():
    with pytest.raises(ValueError):
        poisson_interval(-2)


@pytest.mark.parametrize(("x", "n"), [(0, 10), (3, 10), (10, 10), (23, 40)])
def test_binomial_interval_matches_binomtest(x, n):
    ci = binomtest(x, n).proportion_ci(confidence_level=0.95, method="exact")
    assert binomial_interval(x, n) == pytest.approx((ci.low, ci.high), rel=1e-9, abs=1e-12)


def test_binomial_interval_without_trials_is_nan_and_checks_inputs():
    assert all(math.isnan(v) for v in binomial_interval(0, 0))
    with pytest.raises(ValueError):
        binomial_interval(5, 3)
