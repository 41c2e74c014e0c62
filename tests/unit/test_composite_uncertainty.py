"""The composite's uncertainty from its data (synthetic panel, the project's method)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from composite_synthetic import AS_OF, synthetic_panel

from osa_analysis.analyse import composite as rc
from osa_analysis.analyse.composite.method import calibration_path
from osa_analysis.analyse.composite.uncertainty import data_draws, raw_draws

DRAWS = 400


@pytest.fixture(scope="module")
def method(tmp_path_factory):
    folder = tmp_path_factory.mktemp("method")
    path = folder / "composite.yaml"
    shutil.copy(rc.CONFIG_FILE, path)
    shutil.copy(rc.CALIBRATION_FILE, calibration_path(path))
    return rc.load_method(path)


@pytest.fixture(scope="module")
def table(method):
    return rc.table_at(synthetic_panel(), method, AS_OF)


def test_each_input_is_drawn_by_its_own_uncertainty(method, table):
    d = raw_draws(table, method, DRAWS, seed=5)
    c, i = d["countries"].index, d["slots"].index
    pv = d["raw"][:, c("AAA"), i("wgi_pv")]  # estimate -1.5, standard error 0.2
    assert pv.mean() == pytest.approx(-1.5, abs=0.03)
    assert pv.std() == pytest.approx(0.2, rel=0.12)
    # a count of 10 events (rate 2.0 per year): Poisson draws of the count, rate scaled
    inc = d["raw"][:, c("AAA"), i("incidents_coast")]
    assert set(np.round(inc * 5).astype(int)) <= set(range(0, 40))
    assert inc.mean() == pytest.approx(2.0, rel=0.05)
    assert inc.var() == pytest.approx(2.0**2 / 10, rel=0.2)  # Var(rate) = rate² / count
    # taken as exact: coups, conflicts, military spending; a recorded zero stays zero
    assert np.all(d["raw"][:, c("AAA"), i("coups")] == 2.0)
    assert np.all(d["raw"][:, c("CCC"), i("incidents_coast")] == 0.0)
    # missing stays missing, never imputed
    assert np.isnan(d["raw"][:, c("DDD"), i("vdem_polyarchy")]).all()


def test_a_weighted_count_is_drawn_with_its_effective_number_of_events(method):
    panel = synthetic_panel()
    row = panel["indicator"].eq("incidents_coast") & panel["country_iso3"].eq("AAA")
    panel.loc[row, "se"] = 0.8  # rate 2.0: (2.0 / 0.8)² = 6.25 effective events
    d = raw_draws(rc.table_at(panel, method, AS_OF), method, DRAWS * 5, seed=5)
    inc = d["raw"][:, d["countries"].index("AAA"), d["slots"].index("incidents_coast")]
    assert inc.mean() == pytest.approx(2.0, rel=0.05)
    assert inc.std() == pytest.approx(0.8, rel=0.08)  # the panel's standard error
    assert set(np.round(inc / 2.0 * 6.25, 6)) <= set(map(float, range(40)))  # scaled Poisson


def test_the_interval_surrounds_the_nominal_score_it_belongs_to(method, table):
    run = rc.run_global(table, method, DRAWS, 20231103, AS_OF)
    res = rc.country_scores(run, method, ["AAA", "BBB", "CCC"])
    for iso3, row in res.scores.iterrows():
        assert row["low"] <= row["nominal"] <= row["high"], iso3
        assert row["class"] == rc.class_of(row["nominal"], method)
    # the interval is not the method range: it is much narrower here
    aaa = res.scores.loc["AAA"]
    assert aaa["high"] - aaa["low"] < aaa["method_high"] - aaa["method_low"]


def test_the_same_data_draw_the_same_numbers_at_two_dates(method, table):
    a = data_draws(table, method, DRAWS, seed=9)
    b = data_draws(rc.table_at(synthetic_panel(), method, AS_OF), method, DRAWS, seed=9)
    assert np.array_equal(a["composite"], b["composite"], equal_nan=True)
    # paired: the change between two identical tables is exactly zero in every draw
    j = a["countries"].index("AAA")
    trend = rc.paired_trend(a["composite"][:, j], b["composite"][:, j], (5, 95))
    assert trend == {"direction": "flat", "difference_low": 0.0, "difference_high": 0.0}


def test_more_incidents_move_the_score_beyond_its_uncertainty(method):
    before = data_draws(rc.table_at(synthetic_panel(2.0), method, AS_OF), method, DRAWS, 9)
    after = data_draws(rc.table_at(synthetic_panel(9.0), method, AS_OF), method, DRAWS, 9)
    j = before["countries"].index("AAA")
    trend = rc.paired_trend(after["composite"][:, j], before["composite"][:, j], (5, 95))
    assert trend["direction"] == "up"
