"""The forecast table on synthetic tables: the brief's own numbers, no look-ahead, and the
same result in this process, in a process pool and on a Dask cluster."""

import json
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest
from diversion_synthetic import BACKTEST_END, make_store, origins_to, projects

from osa_analysis.analyse.backtest import (
    backtest_forecasts,
    backtest_scores,
    country_record,
    load_backtest_config,
    record_summary,
)
from osa_analysis.analyse.diversion import diversion_tables, load_config, scenario_register
from osa_analysis.brief.track_record import (
    reliability_figure,
    track_record_markdown,
    track_record_values,
)
from osa_analysis.build.backtest import run_backtest
from osa_analysis.build.cli import build_parser
from osa_analysis.core.schemas import schema_problems
from osa_analysis.testing import numbers_not_in_values

END = BACKTEST_END
POOLED_END = 1994
"""Last origin of the pool and Dask runs: five origins are enough to show the same rows."""


@pytest.fixture(scope="module")
def forecasts(synthetic_forecasts):
    return synthetic_forecasts


@pytest.fixture(scope="module")
def scores(forecasts):
    return backtest_scores(
        forecasts, load_backtest_config(), start=2000, end=END, as_of="2026-08-09"
    )


def test_base_rate_is_the_briefs_own_probability(forecasts):
    store = make_store()
    cfg = load_config()
    for year in (2018, 2019, 2020):  # the synthetic WGI starts in 2018
        as_of = pd.Timestamp(year, 12, 31)
        register = scenario_register(
            "PHL", as_of, projects(), diversion_tables(store.at(as_of)), cfg
        )
        for sc in register[:3]:
            for h, months in (("12m", 12), ("36m", 36)):
                row = forecasts[
                    forecasts["country_iso3"].eq("PHL")
                    & forecasts["year"].eq(year)
                    & forecasts["kind"].eq(sc["id"])
                    & forecasts["horizon_months"].eq(months)
                ]
                assert row["base_rate"].item() == pytest.approx(sc[f"probability_{h}"])


def test_hand_worked_row(forecasts):
    # FJI at 2001-12-31: coup attempts 1987 and 2000 since entry 1970 (1 January) to the
    # origin, 32.0 years; S2 12 months is 1 - (T / (T + 1))^(2 + 1/2)
    row = forecasts[
        forecasts["country_iso3"].eq("FJI")
        & forecasts["year"].eq(2001)
        & forecasts["kind"].eq("S2")
        & forecasts["horizon_months"].eq(12)
    ].iloc[0]
    years = (pd.Timestamp("2001-12-31") - pd.Timestamp("1970-01-01")).days / 365.25
    assert row["base_events"] == 2
    assert row["base_rate"] == pytest.approx(1 - (years / (years + 1)) ** 2.5)
    assert row["outcome"] == 0  # no attempt in 2002
    fji_2005 = forecasts[
        forecasts["country_iso3"].eq("FJI")
        & forecasts["year"].eq(2005)
        & forecasts["kind"].eq("S2")
        & forecasts["horizon_months"].eq(12)
    ].iloc[0]
    assert fji_2005["outcome"] == 1  # the attempt of 2006-12-05


def test_no_data_after_an_origin_reaches_its_forecast(forecasts, forecasts_with_extra_coup):
    later = forecasts_with_extra_coup  # a CHN attempt on 2012-03-01 (tests/unit/conftest.py)
    cols = ["base_rate", "logistic", "climatology", "persistence", "base_events"]
    before = forecasts["year"] <= 2011
    pd.testing.assert_frame_equal(
        forecasts.loc[before, cols].reset_index(drop=True),
        later.loc[later["year"] <= 2011, cols].reset_index(drop=True),
    )
    # the new attempt resolves CHN's origin 2011 and enters CHN's record from 2012
    chn = later[later["country_iso3"].eq("CHN") & later["kind"].eq("S2")]
    assert chn[chn["year"].eq(2011) & chn["horizon_months"].eq(12)]["outcome"].item() == 1
    assert chn[chn["year"].eq(2012)]["base_events"].iloc[0] == 1


def test_the_same_table_in_a_process_pool(forecasts):
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = backtest_forecasts(make_store(), end=POOLED_END, mapper=pool.map)
    pd.testing.assert_frame_equal(origins_to(forecasts, POOLED_END), pooled)


def test_the_same_table_on_a_dask_cluster_of_two_worker_processes(forecasts):
    distributed = pytest.importorskip("distributed")
    import dask

    # forked workers start in a tenth of a second (spawned ones import everything again, for
    # seconds); tasks and results still cross to them through the scheduler, pickled
    with (
        dask.config.set({"distributed.worker.multiprocessing-method": "fork"}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = backtest_forecasts(make_store(), end=POOLED_END, mapper=client.get_executor().map)
    pd.testing.assert_frame_equal(origins_to(forecasts, POOLED_END), on_dask)


def test_scores_meet_their_schema_and_count_by_hand(forecasts, scores):
    assert schema_problems(json.loads(json.dumps(scores)), "backtest_scores") == []
    s2 = next(k for k in scores["kinds"] if k["id"] == "S2")
    h12 = next(h for h in s2["horizons"] if h["horizon_months"] == 12)
    rows = forecasts[
        forecasts["kind"].eq("S2")
        & forecasts["horizon_months"].eq(12)
        & forecasts["year"].between(2000, END)
        & forecasts["outcome"].notna()
    ].dropna(subset=["base_rate", "logistic", "climatology", "persistence"])
    assert h12["n"] == len(rows)
    assert h12["events"] == int(rows["outcome"].sum())
    brier = float(np.mean((rows["base_rate"] - rows["outcome"]) ** 2))
    assert h12["models"]["base_rate"]["brier"] == pytest.approx(brier, abs=1e-5)
    # at the lead, persistence is the window ending when the data end (lead years earlier)
    lead = h12["at_lead"]
    at = rows.dropna(subset=["base_rate_lead", "logistic_lead", "climatology_lead"])
    at = at.dropna(subset=["persistence_lead"])
    assert lead["n"] == len(at)
    k = int(at["lead_years"].iloc[0])
    earlier = rows.set_index(["country_iso3", "year"])["persistence"]
    for r in at.itertuples():
        if (r.country_iso3, r.year - k) in earlier.index:
            assert r.persistence_lead == earlier[(r.country_iso3, r.year - k)]

    def sq(col):
        return float(np.mean((at[col] - at["outcome"]) ** 2))

    skill = 1 - sq("base_rate_lead") / sq("persistence_lead")
    got = lead["models"]["base_rate"]["bss_persistence"]
    assert got == pytest.approx(skill, abs=1e-4)


def test_track_record_text_figure_and_values(forecasts, scores):
    records = {
        k["id"]: country_record(forecasts, "FJI", k["id"], 12, "base_rate", 2000, END)
        for k in scores["kinds"]
    }
    summaries = {k: record_summary(r, 12) for k, r in records.items()}
    assert summaries["S2"]["event_years"] == [2006]
    assert summaries["S2"]["n"] == 21  # origins 2000-2020, all resolved
    text = track_record_markdown("Fiji", scores, summaries)
    assert text.startswith("**Track record.**")
    assert "S2: 21 yearly forecasts for Fiji (2000–2020, each made at this brief's lead)" in text
    assert "events followed in 2006" in text
    # the headline is the score at the brief's lead, with the targets that one misses
    s2 = next(k for k in scores["kinds"] if k["id"] == "S2")["horizons"][0]
    lead = s2["at_lead"]
    assert lead["n"] and set(lead["targets"]) >= {"bss_climatology", "calibration_slope", "auc"}
    years = lead["lead_years"]
    assert f"S2 coup attempt, 12 months, made as this brief makes it (data ending {years} " in text
    assert "with the origin year's own data: skill" in text
    values = track_record_values(scores, records, summaries)
    assert values["kinds"]["S2"]["horizons"]["12m"]["at_lead"]["targets"] == lead["targets"]
    assert numbers_not_in_values(text, values) == []
    assert values["kinds"]["S2"]["country_record_12m"][5] == {
        "year": 2005,
        "probability": pytest.approx(records["S2"]["probability"].iloc[5], abs=1e-6),
        "climatology": pytest.approx(records["S2"]["climatology"].iloc[5], abs=1e-6),
        "outcome": 1,
    }
    assert len(reliability_figure(scores).axes) == 3


def test_published_report_and_a_failed_run_keeps_it(synthetic_store, tmp_path, monkeypatch):
    store = synthetic_store  # one store: the second run reuses the first's shared results
    dest = run_backtest(store=store, end=END, start=2000, jobs=1, reports_dir=tmp_path)
    assert sorted(p.name for p in dest.iterdir()) == [
        "index.html",
        "reliability_12m.svg",
        "reliability_36m.svg",
        "scores.json",
    ]
    scores = json.loads((dest / "scores.json").read_text())
    assert scores["origins"] == [2000, END]
    assert "Track record of the briefs" in (dest / "index.html").read_text()
    before = (dest / "scores.json").read_bytes()

    import osa_analysis.build.backtest as B

    monkeypatch.setattr(B, "render_page", lambda *a: (_ for _ in ()).throw(OSError("disk")))
    with pytest.raises(OSError, match="disk"):
        run_backtest(store=store, end=END, start=2001, jobs=1, reports_dir=tmp_path)
    assert (dest / "scores.json").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [".build.lock"]


def test_command_line_options():
    args = build_parser().parse_args(
        ["backtest", "--start", "2001", "--end", "2020", "--countries", "PHL", "FJI", "--jobs", "1"]
    )
    assert (args.start, args.end, args.countries, args.jobs) == (2001, 2020, ["PHL", "FJI"], 1)
    assert build_parser().parse_args(["backtest"]).dask_scheduler is None
