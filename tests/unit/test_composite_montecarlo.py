"""Monte Carlo over the method choices: matrices, draws, runs, ranks and shares."""

from __future__ import annotations

import numpy as np
import pytest
from composite_synthetic import AS_OF, COUNTRIES, TINY_METHOD, synthetic_panel, tiny_wgi

from osa_analysis.analyse import composite as rc
from osa_analysis.analyse.tables import TableStore


@pytest.fixture(scope="module")
def method() -> rc.CompositeMethod:
    return rc.load_method()


def _mats(method, incidents_aaa=2.0):
    table = rc.table_at(synthetic_panel(incidents_aaa), method, AS_OF)
    return rc.score_matrices(table, method)


# --- ranks and shares ---------------------------------------------------------------------------


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


# --- Monte Carlo on the synthetic table ----------------------------------------------------------


def test_score_matrices_and_nominal(method):
    mats = _mats(method)
    assert mats["countries"] == list(COUNTRIES)
    c = mats["countries"].index("EEE")
    i = mats["slots"].index("incidents_coast")
    assert not mats["available"][0, c, i]
    assert mats["not_applicable"][c, i] and not mats["missing"][c, i]
    assert mats["variants"] == ["incidents_coast", "incidents_eez"]
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


# --- the global run ---------------------------------------------------------------------------


def test_run_global_holds_every_piece(method):
    table = rc.table_at(synthetic_panel(), method, AS_OF)
    run = rc.run_global(table, method, 60, 5, AS_OF)
    assert (run.as_of, run.mc_draws, run.seed) == (AS_OF, 60, 5)
    assert run.monte_carlo["composite"].shape == (60, len(COUNTRIES))
    assert run.matrices["countries"] == list(COUNTRIES)
    again = rc.run_global(table, method, 60, 5, AS_OF)
    assert np.array_equal(run.monte_carlo["composite"], again.monte_carlo["composite"])


def test_global_run_from_a_store_records_the_panel_sources(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_METHOD, encoding="utf-8")
    store = TableStore("2022-12-31", tables={"wgi": tiny_wgi()})
    method = rc.load_method(path)
    method = method.with_calibration(rc.calibrate(method, store))
    fresh = TableStore("2022-12-31", tables={"wgi": tiny_wgi()})
    run = rc.global_run(method, fresh, 40, 7)
    assert list(fresh.used) == ["wgi"]
    assert run.monte_carlo["composite"].shape == (40, 5)
    assert np.isfinite(run.monte_carlo["composite"]).all()
