"""From raw values to the 0–10 scale: goalposts, z-scores, the COIN log rule."""

from __future__ import annotations

import math

import numpy as np
import pytest

from osa_analysis.analyse import composite as rc


@pytest.fixture(scope="module")
def method() -> rc.CompositeMethod:
    return rc.load_method()


def test_goalpost_scaling_and_inversion():
    calib = {"log_transform": False, "lo": 0.0, "hi": 10.0, "mean": 0.0, "sd": 1.0}
    raw = [-5.0, 0.0, 2.5, 10.0, 20.0, np.nan]
    up = rc.rescale(raw, calib, 1)
    assert up[:5].tolist() == [0.0, 0.0, 2.5, 10.0, 10.0] and np.isnan(up[5])
    assert rc.rescale(raw, calib, -1)[:5].tolist() == [10.0, 10.0, 7.5, 0.0, 0.0]


def test_log_goalposts():
    calib = {"log_transform": True, "lo": 0.0, "hi": math.log(10.0)}
    got = rc.rescale([0.0, 9.0, math.e - 1.0], calib, 1)
    assert got == pytest.approx([0.0, 10.0, 10.0 / math.log(10.0)])


def test_zscore_normalisation():
    calib = {"log_transform": False, "lo": -9.0, "hi": 9.0, "mean": 1.0, "sd": 2.0}
    got = rc.rescale([1.0, 5.0, -1.0, 9.0], calib, 1, "zscore", half_range_sd=2.0)
    assert got.tolist() == [5.0, 10.0, 2.5, 10.0]  # z = 0, 2, -1, 4
    assert rc.rescale([5.0], calib, -1, "zscore", 2.0).tolist() == [0.0]
    with pytest.raises(ValueError):
        rc.rescale([1.0], calib, 1, "rank")


def test_coin_log_rule(method):
    skewed = [0.0] * 19 + [100.0]
    out = rc.log_rule(skewed, method)
    # bias-corrected: G1 = sqrt(n(n-1))/(n-2) * g1 with g1 = (n-2)/sqrt(n-1) for one outlier
    n = 20
    g1 = (n - 2) / math.sqrt(n - 1)
    assert out["skew"] == pytest.approx(math.sqrt(n * (n - 1)) / (n - 2) * g1)
    assert out["skew"] == pytest.approx(math.sqrt(n))  # = 4.4721...
    assert out["kurtosis"] == pytest.approx(20.0)
    assert out["log_transform"] is True
    assert rc.log_rule([1.0, 2.0, 3.0, 4.0, 5.0], method)["log_transform"] is False
    strict = {**method, "log_rule": {"abs_skew_gt": 2.0, "kurtosis_gt": 25.0}}
    assert rc.log_rule(skewed, strict)["log_transform"] is False


def test_goalposts_for_percentiles_and_degenerate_rule(method):
    g = rc.goalposts_for(np.arange(101.0), method, 2023)
    assert (g["lo"], g["hi"], g["n"], g["log_transform"]) == (5.0, 95.0, 101, False)
    assert g["mean"] == 50.0
    assert g["sd"] == pytest.approx(math.sqrt(101 * 102 / 12))
    # 98 zeros: the 95th percentile is 0, so the upper goalpost is the maximum (log units)
    g = rc.goalposts_for([0.0] * 98 + [1.0, 2.0], method)
    assert g["log_transform"] is True
    assert g["lo"] == 0.0 and g["hi"] == pytest.approx(math.log1p(2.0), rel=1e-15)
    assert g["hi_raw"] == pytest.approx(2.0)
