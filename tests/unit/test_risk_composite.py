"""Structural risk composite: method pieces on tiny synthetic data (exact expectations)."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest

from osa_analysis.analyse import composite as rc

AS_OF = pd.Timestamp("2025-06-30")


@pytest.fixture(scope="module")
def method() -> dict:
    return rc.load_method()


# --- method file -------------------------------------------------------------------------------


def test_method_file_is_consistent_and_versioned(method):
    assert rc.method_problems(method) == []
    assert method["method_version"].startswith("ssri-v")
    assert len(method["config_sha256"]) == 64
    assert rc.dimension_names(method) == ["threat", "fragility", "capacity"]
    for iid, spec in method["indicators"].items():
        assert spec.get("rationale") and spec.get("sources"), iid
        calib = method["calibration"]["indicators"][iid]
        assert calib["lo"] < calib["hi"], iid
        assert isinstance(calib["log_transform"], bool), iid
    thresholds = method["calibration"]["class_thresholds"]
    assert thresholds == sorted(thresholds)
    assert len(method["classes"]["labels"]) == len(thresholds) + 1


def test_method_problems_catches_errors(method):
    bad = {**method, "indicators": dict(method["indicators"])}
    bad["indicators"]["wgi_pv"] = {**bad["indicators"]["wgi_pv"], "direction": 2}
    bad["indicators"]["x"] = {**bad["indicators"]["wgi_ge"], "alternative_of": "nope"}
    problems = rc.method_problems(bad)
    assert any("wgi_pv: direction" in p for p in problems)
    assert any("x: alternative_of" in p for p in problems)
    assert any("no goalposts for ['x']" in p for p in problems)


def test_nominal_weights_sum_to_one_per_dimension(method):
    w_ind, w_dim = rc.nominal_weights(method)
    slots = rc.primary_indicators(method)
    assert "incidents_eez" not in slots  # a Monte Carlo alternative only
    dims = [method["indicators"][i]["dimension"] for i in slots]
    for d in set(dims):
        assert sum(w for w, dd in zip(w_ind, dims, strict=True) if dd == d) == pytest.approx(1)
    assert w_dim == pytest.approx([1 / 3] * 3)


# --- coverage and panels -----------------------------------------------------------------------


def test_coverage_years_union_intersection_partial():
    covs = ["1978-05-01/2022-06-01", "2020-11-03/2026-08-09", "n/a"]
    assert rc.coverage_years(covs, "union")[:2] == (1979, 2025)
    assert rc.coverage_years(covs, "intersection")[:2] == (2021, 2021)
    assert rc.coverage_years(["1950-05-10/2023-08-30"], partial_final_year=True)[:2] == (
        1951,
        2023,
    )
    assert rc.coverage_years(["1989/2024"])[:2] == (1989, 2024)


def test_window_panel_sums_and_zero_fills_members_only():
    counts = pd.DataFrame(
        {
            "country_iso3": ["AAA", "AAA", "AAA", "BBB"],
            "year": [2018, 2019, 2020, 2016],
            "count": [2, 4, 6, 9],
        }
    )
    members = pd.DataFrame({"country_iso3": ["AAA", "AAA", "CCC"], "year": [2019, 2020, 2020]})
    out = rc.window_panel(counts, members, 2016, 2020, window=3)
    got = {(r.country_iso3, r.year): (r.count, r.value) for r in out.itertuples()}
    assert got == {
        ("AAA", 2019): (6.0, 2.0),  # 2017-2019: 0 + 2 + 4
        ("AAA", 2020): (12.0, 4.0),  # 2018-2020
        ("CCC", 2020): (0.0, 0.0),  # a member without events: a recorded zero
    }  # BBB is not a member: no row, even with events
    out = rc.window_panel(counts, members, 2016, 2020, window=3, per_year=False)
    assert out.set_index(["country_iso3", "year"]).loc[("AAA", 2020), "value"] == 12.0


def test_window_ratio_panel_uses_person_years():
    deaths = pd.DataFrame({"country_iso3": ["AAA", "AAA"], "year": [2019, 2020], "count": [10, 30]})
    pop = pd.DataFrame(
        {
            "country_iso3": ["AAA"] * 3 + ["BBB"],
            "year": [2018, 2019, 2020, 2020],
            "value": [1e5, 1e5, 2e5, 5e4],
        }
    )
    members = pd.DataFrame({"country_iso3": ["AAA", "BBB", "CCC"], "year": [2020, 2020, 2020]})
    out = rc.window_ratio_panel(deaths, pop, members, 2018, 2020, 3, 100000.0).set_index(
        "country_iso3"
    )
    assert out.loc["AAA", "value"] == pytest.approx(100000 * 40 / 4e5)  # 10 per 100000
    assert out.loc["AAA", "count"] == 40
    assert out.loc["BBB", "value"] == 0.0
    assert math.isnan(out.loc["CCC", "value"])  # no population: no rate


# --- synthetic panel and table ------------------------------------------------------------------


COUNTRIES = ("AAA", "BBB", "CCC", "DDD", "EEE")


def synthetic_panel(method: dict, incidents_aaa: float = 2.0) -> pd.DataFrame:
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
                rows.append((iid, c, pd.NA, np.nan, np.nan, f"no {iid} for {c}", applicable))
                continue
            for y in range(2019, 2025):
                rows.append((iid, c, y, float(v), np.nan, pd.NA, True))
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


def test_table_at_carries_forward_within_lookback_and_explains_missing(method):
    table = rc.table_at(synthetic_panel(method), method, AS_OF).set_index(
        ["country_iso3", "indicator"]
    )
    # level data up to as_of's year; window data only complete years (2024)
    assert table.loc[("AAA", "wgi_pv"), "year"] == 2024
    assert table.loc[("AAA", "incidents_coast"), "year"] == 2024
    assert table.loc[("AAA", "incidents_coast"), "window_start"] == 2020
    bbb = table.loc[("BBB", "milex_share")]
    assert (bbb["year"], bbb["age"], bbb["stale"], bbb["missing"]) == (2021, 3, True, False)
    assert bbb["raw"] == 2.0
    ccc = table.loc[("CCC", "milex_share")]
    assert ccc["missing"] and not ccc["stale"] and math.isnan(ccc["raw"])
    assert ccc["missing_reason"] == (
        "latest value is from 2019, older than the 3-year look-back from 2024"
    )
    assert table.loc[("DDD", "vdem_polyarchy"), "missing_reason"] == "no vdem_polyarchy for DDD"
    eee = table.loc[("EEE", "incidents_coast")]
    assert eee["missing"] and not eee["applicable"]
    # no data after as_of: an earlier as_of uses earlier years
    early = rc.table_at(synthetic_panel(method), method, pd.Timestamp("2022-03-01"))
    early = early.set_index(["country_iso3", "indicator"])
    assert early.loc[("AAA", "wgi_pv"), "year"] == 2022
    assert early.loc[("AAA", "grayzone"), "year"] == 2021


def test_table_at_source_lag_rule(method):
    late = rc.table_at(synthetic_panel(method), method, pd.Timestamp("2031-01-01"))
    row = late.set_index(["country_iso3", "indicator"]).loc[("AAA", "wgi_pv")]
    assert row["missing"]
    assert row["missing_reason"] == "the source ends in 2024, more than 5 years before 2031"


# --- scaling -------------------------------------------------------------------------------------


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


# --- aggregation ---------------------------------------------------------------------------------


def test_geometric_and_arithmetic_aggregation():
    dim_of = np.array([0, 0, 1, 2])
    scores = np.array([[2.0, 6.0, 4.0, 16.0], [3.0, 99.0, 3.0, 3.0]])
    avail = np.array([[True, True, True, True], [True, False, True, True]])
    w_ind = np.array([0.5, 0.5, 1.0, 1.0])
    w_dim = np.array([1.0, 1.0, 1.0])
    comp, dims = rc.aggregate(scores, avail, dim_of, w_ind, w_dim, "geometric", 0.0)
    assert dims.tolist() == [[4.0, 4.0, 16.0], [3.0, 3.0, 3.0]]  # missing one renormalised
    assert comp == pytest.approx([(4 * 4 * 16) ** (1 / 3), 3.0])
    comp1, _ = rc.aggregate(scores, avail, dim_of, w_ind, w_dim, "geometric", 1.0)
    assert comp1[0] == pytest.approx((5 * 5 * 17) ** (1 / 3) - 1)
    ari, _ = rc.aggregate(scores, avail, dim_of, w_ind, w_dim, "arithmetic")
    assert ari == pytest.approx([8.0, 3.0])
    # geometric mean <= arithmetic mean
    assert (comp <= ari + 1e-12).all() and (comp1 <= ari + 1e-12).all()


def test_plain_geometric_zero_dimension_and_empty_dimension():
    dim_of = np.array([0, 1, 2])
    comp, _ = rc.aggregate(
        np.array([[0.0, 5.0, 5.0]]), np.ones((1, 3), bool), dim_of, np.ones(3), np.ones(3)
    )
    assert comp.tolist() == [0.0]
    comp, dims = rc.aggregate(
        np.array([[1.0, 5.0, 5.0]]), np.array([[False, True, True]]), dim_of, np.ones(3), np.ones(3)
    )
    assert np.isnan(comp[0]) and np.isnan(dims[0, 0])


# --- ranks, shares, classes, reliability, trend --------------------------------------------------


def test_rank_intervals():
    draws = np.array([[3.0, 2.0, 1.0], [1.0, 2.0, 3.0]])
    assert rc.rank_intervals(draws, (5, 95)).tolist() == [[1, 3], [2, 2], [1, 3]]
    assert rc.rank_desc(np.array([1.0, 1.0, 0.0])).tolist() == [1.0, 1.0, 3.0]
    many = np.tile(np.array([[3.0, 2.0, 1.0]]), (39, 1))
    many = np.vstack([many, [[1.0, 2.0, 3.0]]])  # 1 draw in 40 reverses the order
    assert rc.rank_intervals(many, (5, 95)).tolist() == [[1, 1], [2, 2], [3, 3]]
    assert rc.rank_intervals(many, (0, 100)).tolist() == [[1, 3], [2, 2], [1, 3]]


def test_first_order_shares():
    a = np.array([0, 0, 1, 1] * 25)
    b = np.array([0, 1, 0, 1] * 25)
    shares = rc.first_order_shares(a * 2.0, {"a": a, "b": b})
    assert shares == {"a": 1.0, "b": 0.0}
    w = np.linspace(0, 1, 100)[:, None]
    assert rc.first_order_shares(3 * w[:, 0] + 1, {"w": w})["w"] == pytest.approx(1.0)
    assert rc.first_order_shares(np.ones(10), {"a": np.arange(10)}) == {"a": None}
    y = a * 2.0 + b * 1.0  # additive: Var = 1 + 0.25
    s = rc.first_order_shares(y, {"a": a, "b": b})
    assert s["a"] == pytest.approx(1 / 1.25) and s["b"] == pytest.approx(0.25 / 1.25)


def test_classify_and_reliability_and_trend():
    assert rc.classify([0.5, 1.0, 4.5, np.nan], [1, 2, 3, 4]).tolist() == [0, 1, 4, -1]
    rel = rc.reliability_score(
        np.array([True, False, False]), np.array([False, True, False]), np.array([0.2, 0.3, 0.5])
    )
    assert rel == pytest.approx(10 * (1 - (0.2 + 0.5 * 0.3)))
    cur = {"median": 5.0, "low": 4.0, "high": 6.0}
    assert rc.trend_direction(cur, {"median": 4.5, "low": 3.0, "high": 4.0}) == "flat"
    assert rc.trend_direction(cur, {"median": 3.0, "low": 2.0, "high": 3.9}) == "up"
    assert rc.trend_direction(cur, {"median": 8.0, "low": 6.1, "high": 9.0}) == "down"
    assert rc.trend_direction(cur, {"median": None, "low": None, "high": None}) is None


# --- Monte Carlo on the synthetic table ----------------------------------------------------------


def _mats(method, incidents_aaa=2.0):
    table = rc.table_at(synthetic_panel(method, incidents_aaa), method, AS_OF)
    return rc.score_matrices(table, method)


def test_score_matrices_and_nominal(method):
    mats = _mats(method)
    assert mats["countries"] == list(COUNTRIES)
    c = mats["countries"].index("EEE")
    i = mats["slots"].index("incidents_coast")
    assert not mats["available"][0, c, i]
    assert mats["not_applicable"][c, i] and not mats["missing"][c, i]
    nom = rc.nominal_scores(mats, method)
    # AAA is the riskiest country on every indicator: highest nominal composite
    assert int(np.nanargmax(nom["composite"])) == 0
    assert np.isfinite(nom["composite"]).all()


def test_monte_carlo_reproducible_with_seed(method):
    mats = _mats(method)
    a = rc.run_monte_carlo(mats, method, rc.draw_choices(method, 200, 7))
    b = rc.run_monte_carlo(mats, method, rc.draw_choices(method, 200, 7))
    c = rc.run_monte_carlo(mats, method, rc.draw_choices(method, 200, 8))
    assert np.array_equal(a["composite"], b["composite"])  # bit for bit
    assert np.array_equal(a["dimensions"], b["dimensions"])
    assert not np.array_equal(a["composite"], c["composite"])
    ch = rc.draw_choices(method, 200, 7)
    assert ch["w_ind"].shape == (200, len(mats["slots"]))
    assert set(np.unique(ch["leave_out"])) <= {-1, *range(len(mats["slots"]))}
    assert ((a["composite"] >= 0) & (a["composite"] <= 10)).all()


def test_leave_one_out_keeps_a_dimension_alive(method):
    mats = _mats(method)
    ch = rc.draw_choices(method, 50, 1)
    slots = mats["slots"]
    ch["leave_out"][:] = slots.index("vdem_polyarchy")
    # DDD has no V-Dem; dropping V-Dem leaves its fragility on the other indicators
    out = rc.run_monte_carlo(mats, method, ch)
    assert np.isfinite(out["composite"]).all()


def test_more_incidents_never_lower_threat(method):
    choices = rc.draw_choices(method, 300, 3)
    base = rc.run_monte_carlo(_mats(method, 2.0), method, choices)
    more = rc.run_monte_carlo(_mats(method, 6.0), method, choices)
    assert (more["dimensions"][:, 0, 0] >= base["dimensions"][:, 0, 0] - 1e-12).all()
    assert (more["composite"][:, 0] >= base["composite"][:, 0] - 1e-12).all()
    assert (more["dimensions"][:, 0, 0] > base["dimensions"][:, 0, 0]).any()


def test_composite_scores_end_to_end_on_synthetic_panel(method, tmp_path, monkeypatch):
    path = tmp_path / "composite.yaml"
    shutil.copy(rc.CONFIG_FILE, path)
    m = rc.load_method(path)
    monkeypatch.setattr(rc, "indicator_panel", lambda method=None: synthetic_panel(m))
    res = rc.composite_scores(["AAA", "CCC", "ZZZ"], AS_OF, mc_draws=200, method=m)
    s = res.scores
    assert s.loc["AAA", "median"] > s.loc["CCC", "median"]
    assert (s.loc["AAA", "rank_low"], s.loc["AAA", "rank_high"], s.loc["AAA", "rank_of"]) == (
        1,
        1,
        2,
    )
    assert s.loc["AAA", "global_rank_of"] == 5
    assert s.loc["AAA", "low"] <= s.loc["AAA", "median"] <= s.loc["AAA", "high"]
    assert s.loc["ZZZ", "missing_reason"] == "ZZZ is not in the composite's data"
    assert s.loc["CCC", "reliability"] == pytest.approx(10 * (1 - 1 / 12))  # milex missing
    assert set(res.sensitivity.columns) == {
        "weights",
        "aggregation",
        "normalisation",
        "leave_one_out",
        "incident_denominator",
        "interactions",
    }
    assert res.draws.shape == (200, 3)
    again = rc.composite_scores(["AAA", "CCC", "ZZZ"], AS_OF, mc_draws=200, method=m)
    assert np.array_equal(res.draws, again.draws, equal_nan=True)
    ind = res.indicators.set_index(["country_iso3", "indicator"])
    assert ind.loc[("AAA", "wgi_pv"), "score_0_10"] == pytest.approx(
        rc.rescale([-1.5], m["calibration"]["indicators"]["wgi_pv"], -1)[0]
    )
