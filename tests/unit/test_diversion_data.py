"""The assessment's tables from a table store, and the incident tables derived from it."""

from __future__ import annotations

import pandas as pd
from diversion_synthetic import AS_OF, make_store, make_tables

from osa_analysis.analyse import diversion as D
from osa_analysis.analyse.diversion.data import table_sources
from osa_analysis.analyse.tables import TABLES, TableStore


def test_grayzone_actor_events_one_row_per_event_and_state():
    incidents = pd.DataFrame(
        {
            "incident_id": ["a", "b", "c", "d"],
            "category": ["gray_zone_coercion", "gray_zone_coercion", "piracy_armed_robbery", None],
            "actors_iso3": ["CHN;PHL", "PHL;PHL;X", "PHL", "PHL"],
            "date": pd.to_datetime(["2021-03-01", None, "2021-04-01", "2021-05-01"]),
            "event_year": pd.array([2021, 2019, 2021, 2021], dtype="Int64"),
        }
    )
    gz = D.grayzone_actor_events(incidents)
    assert gz["country_iso3"].tolist() == ["CHN", "PHL", "PHL"]
    assert gz["year"].tolist() == [2021, 2021, 2019]
    assert gz["date"].isna().tolist() == [False, False, True]


def test_piracy_events():
    incidents = pd.DataFrame(
        {
            "category": ["piracy_armed_robbery", "gray_zone_coercion"],
            "coastal_state_iso3": ["PHL", "CHN"],
            "date": pd.to_datetime(["2021-03-01", "2021-03-02"]),
            "sources": ["imb_pirate_attacks", "scsdi_geocoded"],
        }
    )
    out = D.piracy_events(incidents)
    assert out.to_dict("list") == {
        "coastal_state_iso3": ["PHL"],
        "date": [pd.Timestamp("2021-03-01")],
        "sources": ["imb_pirate_attacks"],
    }


def test_diversion_tables_from_a_store():
    store = make_store()
    data = D.diversion_tables(store)
    expected = make_tables()
    assert data.acd is store.full("ucdp_acd")  # whole, with its record index
    pd.testing.assert_frame_equal(
        data.grayzone.astype({"year": "int64"}), expected.grayzone, check_dtype=False
    )
    pd.testing.assert_frame_equal(data.piracy, expected.piracy)
    assert list(data.channels["group"]) == ["asam", "imb", "recaap", "live"]
    for sid in D.SOURCES:
        assert sid in store.used


def test_diversion_tables_cut_at_as_of():
    early = make_store(pd.Timestamp("2022-12-31"))
    data = D.diversion_tables(early)
    assert data.grayzone["year"].max() == 2022
    assert data.coups["date"].max() <= pd.Timestamp("2022-12-31")
    assert data.conflict_years["year"].max() == 2020


def test_table_sources_follow_the_specs():
    store = TableStore(AS_OF)
    sources = table_sources(store)
    assert sources[0] == "ucdp_prio_acd" and sources[-1] == "osa_projects"
    assert set(TABLES["incidents"].sources) <= set(sources)
    assert len(sources) == len(set(sources))
