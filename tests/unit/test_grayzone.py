"""Section 4 analysis (osa_analysis.analyse.grayzone) on tiny synthetic frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from osa_analysis.analyse import grayzone as g
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore
from osa_analysis.core.stats import poisson_interval

GZ = "gray_zone_coercion"
COVERAGE = {
    "scsdi_geocoded": (pd.Timestamp("2010-01-01"), pd.Timestamp("2020-12-31")),
    "scsdi_published": (pd.Timestamp("2010-01-01"), pd.Timestamp("2023-12-31")),
}


def _incidents(rows: list[tuple]) -> pd.DataFrame:
    """Incidents from (date or None, event_year, category, actors, precision) tuples."""
    return pd.DataFrame(
        {
            "date": pd.to_datetime([r[0] for r in rows]),
            "event_year": pd.array([r[1] for r in rows], dtype="Int64"),
            "category": pd.array([r[2] for r in rows], dtype="string"),
            "actors_iso3": pd.array([r[3] for r in rows], dtype="string"),
            "position_precision_deg": [r[4] for r in rows],
            "latitude": [np.nan if r[4] is None else 10.0 for r in rows],
            "longitude": [np.nan if r[4] is None else 115.0 for r in rows],
        }
    )


def test_actor_pairs():
    assert g.actor_pair("CHN;PHL") == "CHN–PHL"
    assert g.actor_pair("PHL;CHN") == "CHN–PHL"
    assert g.actor_pair("PHL") == "PHL alone"
    assert g.actor_pair("AUS;JPN;PHL;USA") == g.MULTILATERAL


def test_actor_events_keep_the_actor_up_to_as_of_with_scsdi_years():
    inc = _incidents(
        [
            ("2021-03-01", 2021, GZ, "CHN;PHL", 0.08),
            (None, 2022, GZ, "PHL", 0.4),  # dated only to a year: kept with it
            (None, 2027, GZ, "PHL", 0.4),  # undated, after as_of
            ("2026-09-01", 2026, GZ, "PHL", 0.4),  # after as_of
            ("2021-03-01", 2021, GZ, "CHN;VNM", 0.4),  # not an actor
            ("2021-03-01", 2021, "piracy_armed_robbery", "PHL", 0.4),  # not gray zone
        ]
    )
    out = g.actor_events(inc, "PHL", pd.Timestamp("2026-08-09"))
    assert out["year"].tolist() == [2021, 2022]
    assert out["actor_pair"].tolist() == ["CHN–PHL", "PHL alone"]
    assert out.index.tolist() == [0, 1]


def test_not_applicable_reasons():
    assert g.not_applicable_reason(0, claimant=True) == "no SCSDI events up to as_of"
    assert g.not_applicable_reason(1, claimant=True) is None
    assert g.not_applicable_reason(0, claimant=False) == (
        "not a South China Sea claimant and not an actor in SCSDI"
    )
    assert g.not_applicable_reason(29, claimant=False) == (
        "not a South China Sea claimant; too few SCSDI events"
    )
    assert g.not_applicable_reason(30, claimant=False) is None


def _events() -> pd.DataFrame:
    rows = [("2019-05-01", 2019, GZ, "CHN;PHL", 0.08)] * 3
    rows += [("2022-05-01", 2022, GZ, "CHN;PHL", 0.7), (None, 2023, GZ, "PHL", 1.8)]
    rows += [("2023-01-01", 2023, GZ, "PHL;VNM", 7.2), ("2023-02-01", 2023, GZ, "PHL", 2.8)]
    rows += [("2021-01-01", 2021, GZ, "AUS;JPN;PHL;USA", None)]
    return g.actor_events(_incidents(rows), "PHL", pd.Timestamp("2026-08-09"))


def test_ranked_pairs_and_yearly_groups():
    events = _events()
    pairs = g.ranked_pairs(events)
    assert pairs.to_dict() == {
        "CHN–PHL": 4,
        "PHL alone": 2,
        "PHL–VNM": 1,
        g.MULTILATERAL: 1,
    }
    assert list(pairs.index) == ["CHN–PHL", "PHL alone", "PHL–VNM", g.MULTILATERAL]
    by_year = g.pairs_by_year(events, [2019, 2020, 2021, 2022, 2023], ["CHN–PHL", "PHL alone"])
    assert list(by_year.columns) == ["CHN–PHL", "PHL alone", g.OTHER_PAIRS]
    assert by_year["CHN–PHL"].tolist() == [3, 0, 0, 1, 0]
    assert by_year[g.OTHER_PAIRS].tolist() == [0, 0, 1, 0, 1]
    only_top = g.pairs_by_year(events[events["year"] == 2019], [2019], ["CHN–PHL", "PHL alone"])
    assert list(only_top.columns) == ["CHN–PHL"]  # empty groups are left out


def test_precision_levels_and_mapped_events():
    events = _events()
    levels = {
        p["level"]: (p["events"], p["mapped"], p["in_density"]) for p in g.precision_levels(events)
    }
    assert levels == {
        "1 (≈0.08°)": (3, True, True),
        "2 (≈0.4°)": (0, True, True),
        "3–4 (≈0.7°)": (1, True, True),
        "5 (≈1.8°)": (1, True, False),
        "6 (South China Sea as a whole)": (1, False, False),
        g.OTHER_LEVEL_LABEL: (1, False, False),
        g.NO_POSITION_LABEL: (1, False, False),
    }
    mapped = g.mapped_events(events, ["CHN–PHL"])
    assert mapped["group"].tolist() == ["CHN–PHL"] * 4 + [g.OTHER_PAIRS]
    assert mapped["in_density"].tolist() == [True] * 4 + [False]


def test_grayzone_breakdown_counts_recent_years_and_china():
    b = g.grayzone_breakdown(_events(), COVERAGE, as_of_year=2026, lookback_years=3)
    assert (b.first_year, b.last_year, b.geocoded_end, b.data_end) == (2010, 2023, 2020, 2023)
    assert b.recent_years == [2021, 2022, 2023]
    assert b.n_recent == 5 and b.n_recent_with_china == 1
    assert b.share_recent_with_china_pct == 20.0
    assert b.n_recent_interval == [round(v, 4) for v in poisson_interval(5)]
    assert b.n_undated == 1
    assert (b.n_level6, b.n_other_level, b.n_no_position) == (1, 1, 1)
    assert b.top_pairs == ["CHN–PHL", "PHL alone", "PHL–VNM", g.MULTILATERAL]
    assert b.by_year.index.tolist() == list(range(2010, 2024))
    assert b.by_year.to_numpy().sum() == 8
    assert b.pair_table_recent == {
        "CHN–PHL": 1,
        "PHL alone": 2,
        "PHL–VNM": 1,
        g.MULTILATERAL: 1,
    }


def test_grayzone_entry_point_on_a_tiny_store():
    rows = [("2021-03-01", 2021, GZ, "CHN;MYS", 0.08)]
    store = TableStore("2026-08-09", tables={"incidents": _incidents(rows)})
    mys = g.grayzone(Scope("MYS", "2026-08-09"), store)
    assert mys.applicable and mys.claimant and mys.n_events == 1
    assert mys.breakdown.n_recent == 1 and mys.year_span == (2021, 2021)
    assert mys.data_start == g.scsdi_coverage()["scsdi_geocoded"][0]
    idn = g.grayzone(Scope("IDN", "2026-08-09"), store)
    assert not idn.applicable and idn.breakdown is None and idn.year_span is None
    assert idn.reason == "not a South China Sea claimant and not an actor in SCSDI"
    assert {"scsdi_geocoded", "scsdi_published"} <= set(store.used)


def test_grayzone_events_use_the_store_cut():
    rows = [("2021-03-01", 2021, GZ, "PHL", 0.08), (None, 2027, GZ, "PHL", 0.4)]
    store = TableStore("2026-08-09", tables={"incidents": _incidents(rows)})
    events = g.grayzone_events(Scope("PHL", "2026-08-09"), store)
    assert events["year"].tolist() == [2021]
