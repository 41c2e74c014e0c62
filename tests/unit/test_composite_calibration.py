"""Calibration of the composite: goalposts and class thresholds recomputed, compared."""

from __future__ import annotations

import pytest
from composite_synthetic import TINY_METHOD, tiny_wgi

from osa_analysis.analyse import composite as rc
from osa_analysis.analyse.composite.calibration import round_significant
from osa_analysis.analyse.tables import TableStore


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_METHOD, encoding="utf-8")
    return rc.load_method(path), TableStore("2022-12-31", tables={"wgi": tiny_wgi()})


def test_round_significant():
    assert round_significant(1.5811388300841898) == 1.58113883
    assert round_significant(-8.339703471234e-18) == -8.339703471e-18
    assert round_significant(2.0) == 2.0


def test_calibrate_a_tiny_method(tiny):
    method, store = tiny
    block = rc.calibrate(method, store)
    assert list(block) == ["reference_year", "indicators"]  # class edges are fixed
    assert block["reference_year"] == 2022
    pv = block["indicators"]["wgi_pv"]  # -2, -1, 0, 1, 2
    keys = "n skew kurtosis log_transform lo hi lo_raw hi_raw mean sd".split()
    assert list(pv) == keys
    assert (pv["n"], pv["log_transform"]) == (5, False)
    assert (pv["lo"], pv["hi"], pv["lo_raw"], pv["hi_raw"]) == (-1.8, 1.8, -1.8, 1.8)
    assert pv["mean"] == 0.0 and pv["sd"] == 1.58113883  # sqrt(10 / 4), 10 digits
    assert pv["skew"] == pytest.approx(0.0, abs=1e-12)
    assert pv["kurtosis"] == pytest.approx(-1.2)  # bias-corrected excess kurtosis
    ge, rl = block["indicators"]["wgi_ge"], block["indicators"]["wgi_rl"]
    assert (ge["lo"], ge["hi"], ge["sd"]) == (-0.9, 0.9, 0.790569415)
    assert (rl["lo"], rl["hi"], rl["mean"]) == (0.2, 3.8, 2.0)
    assert rc.calibrate(method, store) == block  # reproducible


def test_goalposts_need_values_in_the_reference_year(tiny):
    method, store = tiny
    panel = rc.indicator_panel(method, store)
    with pytest.raises(rc.MethodError, match="wgi_pv: no value in the reference year 2030"):
        rc.goalposts_from_data(panel, method, 2030)
    assert set(rc.goalposts_from_data(panel, method)) == {"wgi_pv", "wgi_ge", "wgi_rl"}


def test_calibration_differences():
    computed = {
        "reference_year": 2022,
        "indicators": {"a": {"n": 5, "log_transform": False, "lo": 1.0, "mean": 1e-18}},
        "class_thresholds": [1.0, 2.0],
    }
    assert rc.calibration_differences(None, computed) == ["no calibration file"]
    same = {
        "reference_year": 2022,
        "indicators": {"a": {"n": 5, "log_transform": False, "lo": 1.0 + 1e-12, "mean": -3e-18}},
        "class_thresholds": (1.0, 2.0),
    }
    assert rc.calibration_differences(same, computed) == []
    stale = {
        "reference_year": 2021,
        "indicators": {"a": {"n": 5, "log_transform": 0, "lo": 1.1}, "old": {}},
        "class_thresholds": [1.0],
    }
    assert rc.calibration_differences(stale, computed) == [
        "reference_year: 2021 in the file, 2022 computed",
        "indicators.a.log_transform: 0 in the file, False computed",
        "indicators.a.lo: 1.1 in the file, 1.0 computed",
        "indicators.a.mean: not in the file",
        "indicators.old: in the file but no longer computed",
        "class_thresholds: 1 values in the file, 2 computed",
    ]


def test_stored_calibration_matches_its_own_rounding():
    stored = rc.load_method().calibration
    for iid, g in stored["indicators"].items():
        for key, value in g.items():
            if isinstance(value, float):
                assert round_significant(value) == value, (iid, key)
    assert "class_thresholds" not in stored  # the class edges live in the method file
