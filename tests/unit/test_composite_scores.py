"""Composite scores of a set of countries: classes, reliability, trend, end to end."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from composite_synthetic import AS_OF, TINY_METHOD, synthetic_panel, tiny_wgi

from osa_analysis.analyse import composite as rc
from osa_analysis.analyse.composite.method import calibration_path
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore


def test_classify_and_reliability_and_trend():
    assert rc.classify([0.5, 1.0, 4.5, np.nan], [1, 2, 3, 4]).tolist() == [0, 1, 4, -1]
    rel = rc.reliability_score(
        np.array([True, False, False]), np.array([False, True, False]), np.array([0.2, 0.3, 0.5])
    )
    assert rel == pytest.approx(10 * (1 - (0.2 + 0.5 * 0.3)))
    # the change draw by draw (the same method choices at both dates), as shown
    now = np.array([5.0, 5.5, 6.0, 6.5])
    assert rc.paired_trend(now, now - 0.2, (5, 95))["direction"] == "up"
    assert rc.paired_trend(now, now + 0.2, (5, 95))["direction"] == "down"
    mixed = rc.paired_trend(now, np.array([4.0, 6.0, 5.0, 7.0]), (5, 95))
    assert mixed["direction"] == "flat" and mixed["difference_low"] < 0 < mixed["difference_high"]
    # overlapping ranges, yet every draw rose: a change (v1's overlap test called it flat)
    assert rc.paired_trend(now, now - 0.01, (5, 95))["direction"] == "up"
    assert rc.paired_trend(now, now - 0.004, (5, 95))["direction"] == "flat"  # 0.00 as shown
    assert rc.paired_trend(now, np.full(4, np.nan), (5, 95))["direction"] is None


def test_one_class_per_score_as_shown():
    method = rc.load_method()
    assert method.class_thresholds == (2.0, 3.5, 5.0, 6.5)
    assert [rc.class_of(x, method) for x in (1.94, 1.96, 5.76, 5.78, 6.5, None)] == [
        "very low",
        "low",
        "high",
        "high",  # v1: 5.76 a "high" tile, 5.78 a "very high" class
        "very high",
        None,
    ]


def test_trend_as_of_is_one_offset_earlier():
    method = rc.load_method()
    assert rc.trend_as_of(method, pd.Timestamp("2026-08-09")) == pd.Timestamp("2025-08-09")
    assert rc.trend_as_of(method, pd.Timestamp("2028-02-29")) == pd.Timestamp("2027-02-28")


def test_country_scores_end_to_end_on_synthetic_panel(tmp_path):
    path = tmp_path / "composite.yaml"
    shutil.copy(rc.CONFIG_FILE, path)
    shutil.copy(rc.CALIBRATION_FILE, calibration_path(path))
    m = rc.load_method(path)
    run = rc.run_global(rc.table_at(synthetic_panel(), m, AS_OF), m, 200, 20231103, AS_OF)
    res = rc.country_scores(run, m, ["AAA", "CCC", "ZZZ"])
    s = res.scores
    assert s.loc["AAA", "nominal"] > s.loc["CCC", "nominal"]
    assert (s.loc["AAA", "rank"], s.loc["AAA", "rank_of"]) == (1, 2)
    assert (s.loc["AAA", "method_rank_low"], s.loc["AAA", "method_rank_high"]) == (1, 1)
    assert s.loc["AAA", "global_rank_of"] == 5
    assert s.loc["AAA", "class"] == rc.class_of(s.loc["AAA", "nominal"], m)
    assert (
        s.loc["AAA", "method_low"] <= s.loc["AAA", "method_median"] <= s.loc["AAA", "method_high"]
    )
    assert s.loc["ZZZ", "missing_reason"] == "ZZZ is not in the composite's data"
    # milex missing: half the capacity dimension (the three WGI count as one), a third of it
    assert s.loc["CCC", "reliability"] == pytest.approx(10 * (1 - 1 / 6))
    assert set(res.sensitivity.columns) == {
        "weights",
        "aggregation",
        "normalisation",
        "leave_one_out",
        "incident_denominator",
        "interactions",
    }
    assert res.draws.shape == (200, 3)
    assert np.isnan(res.draws[:, 2]).all()
    again = rc.country_scores(run, m, ["AAA", "CCC", "ZZZ"])
    assert np.array_equal(res.draws, again.draws, equal_nan=True)
    ind = res.indicators.set_index(["country_iso3", "indicator"])
    assert ind.loc[("AAA", "wgi_pv"), "score_0_10"] == pytest.approx(
        rc.rescale([-1.5], m.goalposts["wgi_pv"], -1)[0]
    )
    assert ind.loc[("AAA", "incidents_eez"), "nominal_weight"] == 0.0  # an alternative only


def test_composite_scores_of_a_scope_from_its_store(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_METHOD, encoding="utf-8")
    store = TableStore("2022-12-31", tables={"wgi": tiny_wgi()})
    method = rc.load_method(path)
    method = method.with_calibration(rc.calibrate(method, store))
    scope = Scope("AAA", "2022-12-31", peers=("CCC", "ZZZ"))
    res = rc.composite_scores(scope, store, method=method)
    assert list(res.scores.index) == ["AAA", "CCC", "ZZZ"]
    assert (res.mc_draws, res.seed, res.as_of) == (40, 7, pd.Timestamp("2022-12-31"))
    # AAA has the lowest estimates (inverted: riskiest) on every indicator
    assert res.scores.loc["AAA", "rank"] == res.scores.loc["AAA", "method_rank_low"] == 1
    assert res.scores.loc["AAA", "class"] == "high"
    assert list(store.used) == ["wgi"]
    prev = rc.previous_scores(scope, store, method=method)
    assert prev.as_of == pd.Timestamp("2021-12-31")
    # the same estimates in 2021: the same scores
    assert prev.scores["nominal"].equals(res.scores["nominal"])
