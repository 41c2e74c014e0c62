"""Screening on the real data: coverage, recipients, and what the equipment choice changes."""

from __future__ import annotations

import pandas as pd
import pytest

from osa_analysis.analyse.screening import screen
from osa_analysis.analyse.tables import TableStore
from osa_analysis.core import config
from osa_analysis.sources.recipients import load_osa_projects

pytestmark = pytest.mark.mirror

EQUIPMENT_FREE = [
    "country_iso3",
    "name",
    "subregion",
    "in_region",
    "recipient",
    "fiscal_years",
    "need",
    "need_low",
    "need_high",
    "need_rank_low",
    "need_rank_high",
    "threat",
    "capacity",
    "criteria_flagged",
]


@pytest.fixture(scope="module")
def screens():
    if config.mirror_dir() is None:
        pytest.skip("OSA_DATA_MIRROR not set")
    tables = TableStore(pd.Timestamp("2026-08-09"))
    return screen(tables), screen(tables, equipment=["armed_patrol_vessel"])


def test_the_screen_covers_25_states_with_need_and_risk_intervals(screens):
    radar, _ = screens
    t = radar.table
    full = t.dropna(subset=["need_low", "need_high", "risk_low", "risk_high"])
    assert len(full) >= 25
    assert (full["need_low"] <= full["need"]).all() and (full["need"] <= full["need_high"]).all()
    assert (full["risk_low"] <= full["risk"]).all() and (full["risk"] <= full["risk_high"]).all()
    recipients = set(load_osa_projects()["country_iso3"])
    marked = t[t["recipient"]]
    assert set(marked["country_iso3"]) == recipients  # every recipient, Mongolia included
    assert t.set_index("country_iso3").loc["PHL", "fiscal_years"][0] == 2023
    assert not t.set_index("country_iso3").loc["MNG", "in_region"]  # landlocked: added


def test_changing_only_the_equipment_changes_only_the_equipment_dependent_parts(screens):
    radar, armed = screens
    pd.testing.assert_frame_equal(radar.table[EQUIPMENT_FREE], armed.table[EQUIPMENT_FREE])
    assert radar.hypothetical == () and armed.hypothetical == ("armed_patrol_vessel",)
    assert radar.relevance != armed.relevance
    for iso3, rows in radar.scenarios.items():  # the likelihoods are the same; weights differ
        other = {r["id"]: r for r in armed.scenarios[iso3]}
        for r in rows:
            assert (r["likelihood"], r["low"], r["high"]) == (
                other[r["id"]]["likelihood"],
                other[r["id"]]["low"],
                other[r["id"]]["high"],
            )
    moved = radar.table["risk"].ne(armed.table["risk"])
    assert moved.any() and (armed.table["risk"] >= radar.table["risk"] - 1e-12).all()


def test_the_build_publishes_the_screening_report_and_the_index_links_it(screens, tmp_path):
    import json

    from osa_analysis.build.catalog import build_index
    from osa_analysis.build.screening import run_screening
    from osa_analysis.core.schemas import schema_problems

    status, folder = run_screening(tmp_path, as_of="2026-08-09", pdf=False)
    assert status == "ok"
    summary = json.loads((folder / "summary.json").read_text())
    assert schema_problems(summary, "screening") == []
    radar, _ = screens
    shown = {s["country_iso3"]: s for s in summary["screen"]["states"]}
    expected = radar.table.set_index("country_iso3")
    for iso3, s in shown.items():  # every number of the report is the analysis's
        assert s["need"] == pytest.approx(expected.loc[iso3, "need"], abs=1e-6)
        assert s["risk"] == pytest.approx(expected.loc[iso3, "risk"], abs=1e-6)
    assert summary["what_if"][0]["hypothetical"] == ["armed_patrol_vessel"]
    html = (folder / "index.html").read_text()
    assert "OSA screening report" in html and "What if: armed patrol vessel (hypothetical)" in html
    assert "<script" not in html.lower()
    assert run_screening(tmp_path, as_of="2026-08-09", pdf=False)[0] == "skipped"
    page = build_index(tmp_path)[0].read_text()
    assert 'href="screening/index.html"' in page
