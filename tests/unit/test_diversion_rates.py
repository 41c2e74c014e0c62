"""Base-rate conversions, likelihood ranges, the PHIA yardstick and the confidence rule."""

from __future__ import annotations

import math

import pytest

from osa_analysis.analyse import diversion as D
from osa_analysis.analyse.diversion.rates import base_rate, likelihood_range


@pytest.fixture(scope="module")
def cfg():
    return D.load_config()


def test_poisson_conversion_exact():
    base = D.poisson_base_rate(5, 73)
    assert base["rate_per_year"] == pytest.approx(0.0685, abs=5e-5)
    assert base["rate_per_year"] == 5 / 73
    p3 = D.prob_at_least_one(base["rate_per_year"], 3)
    assert p3 == 1 - math.exp(-15 / 73)
    assert 1 - math.exp(-0.2055) == pytest.approx(0.1858, abs=1e-4)
    assert p3 == pytest.approx(0.1858, abs=1e-4)
    assert D.prob_at_least_one(5 / 73, 1) == pytest.approx(1 - math.exp(-5 / 73))
    # Garwood interval of 5 events divided by the exposure
    assert base["interval"][0] == pytest.approx(1.623486 / 73, rel=1e-5)
    assert base["interval"][1] == pytest.approx(11.668332 / 73, rel=1e-5)


def test_poisson_zero_events_upper_bound():
    base = D.poisson_base_rate(0, 10)
    assert base["rate_per_year"] == 0 and base["interval"][0] == 0
    assert base["interval"][1] == pytest.approx(0.3688879, rel=1e-6)
    assert D.prob_at_least_one(0.0, 3) == 0.0


def test_binomial_conversion_exact():
    base = D.binomial_base_rate(3, 36)
    assert base["rate_per_year"] == 3 / 36
    assert D.prob_at_least_one_binomial(3 / 36, 3) == pytest.approx(1 - (33 / 36) ** 3)
    assert D.probability(0.1, 3, "binomial") == pytest.approx(0.271)
    lo, hi = base["interval"]
    assert 0 < lo < 3 / 36 < hi < 1
    with pytest.raises(ValueError):
        D.probability(0.1, 3, "gamma")


def test_base_rate_picks_the_method():
    assert base_rate(2, 10, "poisson") == D.poisson_base_rate(2, 10)
    assert base_rate(2, 10, "binomial") == D.binomial_base_rate(2, 10)


def test_likelihood_range_over_own_and_references():
    own = {"rate_per_year": 0.1, "method": "poisson"}
    refs = [{"rate_per_year": 0.2, "method": "poisson"}]
    assert likelihood_range(own, refs, 1) == [1 - math.exp(-0.1), 1 - math.exp(-0.2)]
    # the multiplier raises only the upper end
    assert likelihood_range(own, refs, 1, 2.0) == [1 - math.exp(-0.1), 1 - math.exp(-0.4)]
    # a binomial share multiplied beyond 1 is capped
    shares = [{"rate_per_year": 0.6, "method": "binomial"}]
    assert likelihood_range(None, shares, 2, 2.0) == [1 - 0.4**2, 1.0]
    assert likelihood_range(None, [], 1) is None


@pytest.mark.parametrize(
    ("p", "term"),
    [
        (0.0, "remote"),
        (0.05, "remote"),
        (0.0749, "remote"),
        (0.075, "highly unlikely"),
        (0.15, "highly unlikely"),
        (0.23, "unlikely"),
        (0.40, "realistic possibility"),
        (0.60, "likely"),
        (0.85, "highly likely"),
        (0.93, "almost certain"),
        (1.0, "almost certain"),
    ],
)
def test_yardstick_terms(cfg, p, term):
    assert D.yardstick_term(p, cfg["yardstick"]) == term


def test_yardstick_shift_and_ranges(cfg):
    y = cfg["yardstick"]
    assert D.shift_term("remote", 1, y) == "highly unlikely"
    assert D.shift_term("remote", -1, y) == "remote"
    assert D.shift_term("highly likely", 5, y) == "almost certain"
    assert D.term_range("unlikely", y) == [0.25, 0.35]
    with pytest.raises(ValueError):
        D.yardstick_term(1.2, y)


def test_confidence_rule(cfg):
    c = cfg["confidence"]
    assert D.confidence_level("poisson", 5, 1.0, None, c, 2)[0] == "H"
    assert D.confidence_level("poisson", 3, 1.0, None, c, 2)[0] == "M"
    assert D.confidence_level("poisson", 3, 2.9, None, c, 2)[0] == "L"
    assert D.confidence_level("poisson", 8, 0.5, "M", c, 2)[0] == "M"
    assert D.confidence_level("binomial", 8, 0.5, None, c, 0)[0] == "M"
    assert D.confidence_level("qualitative", None, None, None, c)[0] == "L"
