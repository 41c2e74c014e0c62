"""The peer series: counts, WGI bands and spending on tiny synthetic tables (exact values)."""

from __future__ import annotations

import pandas as pd
import pytest

from osa_analysis.analyse.peers import PEER_YEARS, incident_counts, peer_tables
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore


def _incidents():
    return pd.DataFrame(
        {
            "date": pd.to_datetime(
                ["2025-03-01", "2025-07-01", "2026-01-02", "2024-05-05", "2026-09-01", None]
            ),
            "event_year": pd.array([2025, 2025, 2026, 2024, 2026, 2025], dtype="Int64"),
            "category": ["piracy_armed_robbery"] * 4 + ["piracy_armed_robbery", "gray_zone"],
            "coastal_state_iso3": ["PHL", "PHL", "FJI", "FJI", "PHL", "PHL"],
        }
    )


def _store():
    wgi = pd.DataFrame(
        {
            "country_iso3": ["PHL", "PHL", "FJI", "PHL"],
            "year": [2022, 2023, 2023, 2023],
            "indicator": ["pv", "pv", "pv", "va"],
            "estimate": [-0.8, -0.57, 0.7, 0.1],
            "std_error": [0.2, 0.22, 0.25, 0.1],
        }
    )
    milex = pd.DataFrame(
        {
            "country_iso3": ["PHL", "FJI", "FJI"],
            "year": [2023, 2022, 2023],
            "milex_share_gdp_pct": [1.3, 1.5, None],
        }
    )
    tables = {"incidents": _incidents(), "wgi": wgi, "wb_milex_share": milex}
    return TableStore("2026-08-09", tables=tables)


def test_incident_counts_are_per_year_and_country_with_zeros():
    counts = incident_counts(_incidents(), ("PHL", "FJI"), 2026)
    assert list(counts.index) == list(range(2026 - PEER_YEARS + 1, 2027))
    assert counts.loc[2025, "PHL"] == 2 and counts.loc[2024, "FJI"] == 1
    assert counts.loc[2026].tolist() == [1, 1]  # the undated row is left out
    assert counts.loc[2013].tolist() == [0, 0]


def test_peer_tables_cut_at_as_of_in_the_scope_order():
    scope = Scope("FJI", "2026-08-09", peers=("PHL", "FJI"))
    tables = _store()
    peers = peer_tables(scope, tables)
    assert peers.countries == ("FJI", "PHL")
    assert list(peers.incidents.columns) == ["FJI", "PHL"] and list(peers.latest) == ["FJI", "PHL"]
    assert peers.incidents.loc[2026, "PHL"] == 0  # the September 2026 event is after as_of
    phl = peers.latest["PHL"]
    assert phl["events_last_5_calendar_years"] == 2
    assert phl["wgi_pv_year"] == 2023 and phl["wgi_pv_estimate"] == -0.57
    assert phl["wgi_pv_low"] == pytest.approx(-0.57 - 1.645 * 0.22)
    assert peers.latest["FJI"]["milex_share_gdp_pct"] == 1.5  # the missing 2023 is skipped
    assert peers.latest["FJI"]["milex_year"] == 2022
    assert {"wgi", "wb_milex_share"} <= set(tables.used)
