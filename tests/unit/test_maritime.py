"""Section 3 analysis (osa_analysis.analyse.maritime) on tiny synthetic frames."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from osa_analysis.analyse import maritime as m
from osa_analysis.analyse.channels import (
    COVERAGE_GROUPS,
    coverage_fractions,
    in_source_group,
    source_coverage,
)
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore
from osa_analysis.core.stats import rate_ratio

ASAM = "asam_msi_csv"
LIVE = "recaap_imb_live"
PAR = "piracy_armed_robbery"


def _coverage(**groups: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "group": g,
                "label": COVERAGE_GROUPS[g][0],
                "start": pd.Timestamp(a),
                "end": pd.Timestamp(b),
                "source_ids": ";".join(COVERAGE_GROUPS[g][1]),
            }
            for g, (a, b) in groups.items()
        ]
    )


def _events(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Events from (date, category, sources) tuples."""
    return pd.DataFrame(
        {
            "date": pd.to_datetime([r[0] for r in rows]),
            "category": pd.array([r[1] for r in rows], dtype="string"),
            "sources": pd.array([r[2] for r in rows], dtype="string"),
        }
    )


# --------------------------------------------------------------------------- periods


def test_comparison_periods_are_equal_and_adjacent():
    p = m.comparison_periods(pd.Timestamp("2026-08-09"), 5)
    assert p["recent"] == {
        "start": pd.Timestamp("2021-08-10"),
        "end": pd.Timestamp("2026-08-09"),
    }
    assert p["previous"] == {
        "start": pd.Timestamp("2016-08-10"),
        "end": pd.Timestamp("2021-08-09"),
    }
    assert m.period_dates(p) == {
        "recent": {"start": "2021-08-10", "end": "2026-08-09"},
        "previous": {"start": "2016-08-10", "end": "2021-08-09"},
    }


def test_in_period_is_inclusive():
    ev = _events([("2020-01-01", PAR, ASAM), ("2020-01-31", PAR, ASAM), ("2020-02-01", PAR, ASAM)])
    period = {"start": pd.Timestamp("2020-01-01"), "end": pd.Timestamp("2020-01-31")}
    assert m.in_period(ev, period).tolist() == [True, True, False]


def test_source_coverage_comes_from_the_registry():
    cov = source_coverage().set_index("group")
    assert list(cov.index) == ["asam", "imb", "recaap", "live"]
    assert cov.loc["asam", "start"] == pd.Timestamp("1978-05-01")
    assert cov.loc["asam", "end"] == pd.Timestamp("2024-06-25")
    assert cov.loc["imb", "end"] == pd.Timestamp("2020-12-29")
    assert (cov.loc["recaap", "start"], cov.loc["recaap", "end"]) == (
        pd.Timestamp("2020-11-03"),
        pd.Timestamp("2024-11-24"),
    )
    assert cov.loc["live", "start"] == pd.Timestamp("2024-07-07")


def test_coverage_fractions():
    cov = _coverage(asam=("2000-01-01", "2020-01-10"), live=("2020-01-06", "2030-01-01"))
    frac = coverage_fractions(pd.Timestamp("2020-01-01"), pd.Timestamp("2020-01-10"), cov)
    assert frac == {"asam": 1.0, "live": 0.5}


def test_annual_counts_with_active_sources():
    cov = _coverage(asam=("2000-01-01", "2020-06-30"), live=("2021-03-01", "2030-01-01"))
    ev = _events(
        [
            ("2019-02-01", PAR, ASAM),
            ("2019-05-01", PAR, ASAM),
            ("2019-06-01", "other_hostile", ASAM),
            ("2021-04-01", PAR, LIVE),
            ("2021-05-01", "gray_zone_coercion", "scsdi_geocoded"),
        ]
    )
    out = m.annual_counts(ev, 2019, 2021, cov)
    assert out["year"].tolist() == [2019, 2020, 2021]
    assert out["piracy_armed_robbery"].tolist() == [2, 0, 1]
    assert out["other_hostile"].tolist() == [1, 0, 0]
    assert out["gray_zone_coercion"].tolist() == [0, 0, 1]
    assert out["total"].tolist() == [3, 0, 1]
    assert out["sources_active"].tolist() == ["NGA ASAM", "NGA ASAM", "ReCAAP/IMB live feed"]
    assert out["coverage_changed"].tolist() == [False, False, True]


# --------------------------------------------------------------------------- trend


def test_comparable_periods_name_the_change_from_the_interval():
    cov = _coverage(asam=("1990-01-01", "2030-12-31"))
    rows = [(f"2025-0{k}-01", PAR, ASAM) for k in range(1, 10)]  # 9 recent
    rows += [(f"2023-0{k}-01", PAR, ASAM) for k in range(1, 5)]  # 4 previous
    rows += [("2025-03-03", "other_hostile", ASAM)]  # not counted
    out = m.period_comparison(_events(rows), pd.Timestamp("2025-12-31"), 2, cov)
    assert (out["recent"], out["previous"]) == (9, 4)
    assert out["comparable"] is True
    assert out["rate_ratio"]["estimate"] == pytest.approx(2.25)
    assert out["direction"] == "no clear change"
    assert out["like_for_like"] is None
    assert out["periods"]["recent"] == {"start": "2024-01-01", "end": "2025-12-31"}


def test_different_coverage_is_flagged_and_checked_like_for_like():
    cov = _coverage(asam=("1990-01-01", "2023-12-31"), live=("2022-01-01", "2026-12-31"))
    rows = [(f"2022-0{k}-15", PAR, ASAM) for k in range(1, 6)]  # previous, ASAM only
    rows += [("2023-02-01", PAR, f"{ASAM};{LIVE}"), ("2023-03-01", PAR, f"{ASAM};{LIVE}")]
    rows += [(f"2025-0{k}-15", PAR, LIVE) for k in range(1, 7)]  # recent, live only
    out = m.period_comparison(_events(rows), pd.Timestamp("2025-12-31"), 2, cov)
    assert (out["recent"], out["previous"]) == (6, 7)
    assert out["coverage"]["previous"]["asam"] == 1.0
    assert out["coverage"]["recent"]["asam"] == 0.0
    assert out["comparable"] is False
    assert out["direction"] == "not comparable"
    lfl = out["like_for_like"]
    assert lfl["group"] == "live"  # covers both whole periods and ends latest
    assert (lfl["recent"], lfl["previous"]) == (6, 2)
    expected = rate_ratio(6, 2, 2, 2)
    assert lfl["rate_ratio"]["low"] == pytest.approx(expected.low, abs=1e-4)
    assert lfl["direction"] == expected.direction


def test_like_for_like_group_prefers_the_latest_whole_window():
    cov = _coverage(asam=("1990-01-01", "2024-06-25"), live=("2024-07-07", "2026-08-09"))
    assert m.like_for_like_group(pd.Timestamp("2026-08-09"), 5, cov) == (
        "asam",
        pd.Timestamp("2024-06-25"),
    )
    assert m.like_for_like_group(pd.Timestamp("2026-08-09"), 30, cov) is None


def test_in_source_group():
    ev = _events([("2020-01-01", PAR, f"imb_pirate_attacks;{ASAM}"), ("2020-01-01", PAR, LIVE)])
    assert in_source_group(ev, "asam").tolist() == [True, False]
    assert in_source_group(ev, "live").tolist() == [False, True]


def test_rate_ratio_dict_rounds_and_drops_infinities():
    out = m.rate_ratio_dict(rate_ratio(9, 4))
    assert out["estimate"] == 2.25 and out["current"] == 9 and out["previous"] == 4
    assert out["low"] == round(rate_ratio(9, 4).low, 4)
    assert out["direction"] == "no clear change"
    none_before = m.rate_ratio_dict(rate_ratio(3, 0))
    assert none_before["estimate"] is None and none_before["high"] is None
    assert none_before["low"] == round(rate_ratio(3, 0).low, 4)
    both_zero = m.rate_ratio_dict(rate_ratio(0, 0))
    assert (both_zero["estimate"], both_zero["low"], both_zero["high"]) == (None, None, None)


# --------------------------------------------------------------------------- events and context


def _eez() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "country_iso3": ["PHL", "PHL", "MYS", "IDN"],
            "pol_type": ["200NM", "Joint regime", "200NM", None],
            "area_km2": [1000.4, 50.0, 700.0, 2000.0],
            "method": ["Marine Regions", "Marine Regions", "Marine Regions", "approximate"],
        },
        geometry=[shapely.box(0, 0, 1, 1)] * 4,
        crs="EPSG:4326",
    )


def test_country_eez_keeps_200nm_polygons_and_sums_them():
    assert m.country_eez("PHL", _eez())["area_km2"].tolist() == [1000.4]
    assert m.country_eez("IDN", _eez())["area_km2"].tolist() == [2000.0]
    assert m.country_eez("MNG", _eez()).empty
    assert m.eez_summary("PHL", _eez()) == {"area_km2": 1000, "method": "Marine Regions"}
    assert m.eez_summary("MNG", _eez()) is None


def test_country_events_keeps_the_countrys_dated_events():
    incidents = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-01-01", None, "2021-01-01", "2022-01-01"]),
            "coastal_state_iso3": pd.array(["PHL", "PHL", None, "PHL"], dtype="string"),
            "n": [1, 2, 3, 4],
        }
    )
    out = m.country_events(incidents, "PHL")
    assert out["n"].tolist() == [1, 4] and out.index.tolist() == [0, 1]


def test_all_time_span():
    ev = _events([("2015-03-01", PAR, ASAM), ("2012-07-09", PAR, ASAM)])
    assert m.all_time_span(ev) == {"n": 2, "first_date": "2012-07-09", "last_date": "2015-03-01"}
    assert m.all_time_span(ev.iloc[:0]) == {"n": 0, "first_date": None, "last_date": None}


def test_milex_latest_takes_the_last_published_year_up_to_as_of():
    share = pd.DataFrame(
        {
            "country_iso3": ["FJI", "FJI", "FJI", "TON"],
            "year": [2020, 2021, 2027, 2021],
            "milex_share_gdp_pct": [1.234, None, 9.0, 2.0],
        }
    )
    usd = pd.DataFrame({"country_iso3": ["FJI"], "year": [2019], "milex_usd": [51_234_567.6]})
    assert m.milex_latest(share, usd, "FJI", 2026) == {
        "share_gdp_pct": 1.23,
        "share_year": 2020,
        "usd": 51_234_568,
        "usd_year": 2019,
    }
    assert m.milex_latest(share, usd, "XXX", 2026) == {
        "share_gdp_pct": None,
        "share_year": None,
        "usd": None,
        "usd_year": None,
    }


def test_recaap_status_reads_yes_no_and_missing():
    assert m.recaap_status({"recaap_contracting_party": True, "in_recaap_area": float("nan")}) == {
        "contracting_party": True,
        "in_area": None,
    }
    assert m.recaap_status({"recaap_contracting_party": 0, "in_recaap_area": False}) == {
        "contracting_party": False,
        "in_area": False,
    }
    assert m.recaap_status({}) == {"contracting_party": None, "in_area": None}


# --------------------------------------------------------------------------- the entry point


def _store(as_of: str, events: pd.DataFrame) -> TableStore:
    countries = pd.DataFrame(
        {
            "country_iso3": ["PHL", "MNG"],
            "recaap_contracting_party": [True, None],
            "in_recaap_area": [True, None],
        }
    )
    share = pd.DataFrame({"country_iso3": ["PHL"], "year": [2024], "milex_share_gdp_pct": [1.4]})
    usd = pd.DataFrame({"country_iso3": ["PHL"], "year": [2024], "milex_usd": [4.0e9]})
    return TableStore(
        as_of,
        tables={
            "eez": _eez(),
            "incidents": events,
            "recipient_countries": countries,
            "wb_milex_share": share,
            "wb_milex_usd": usd,
        },
    )


def _incident_table(rows: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    """Incidents in PHL waters from (date, category, severity) tuples."""
    dates = pd.to_datetime([r[0] for r in rows])
    n = len(rows)
    return pd.DataFrame(
        {
            "date": dates,
            "event_year": pd.array(dates.year, dtype="Int64"),
            "category": pd.array([r[1] for r in rows], dtype="string"),
            "severity": pd.array([r[2] for r in rows], dtype="string"),
            "severity_basis": pd.array(["source"] * n, dtype="string"),
            "coastal_state_iso3": pd.array(["PHL"] * n, dtype="string"),
            "sources": pd.array([ASAM] * n, dtype="string"),
            "n_sources": [1] * n,
            "outcome_agreement": pd.array([pd.NA] * n, dtype="boolean"),
            "eez_method": pd.array(["approximate EEZ v1"] * n, dtype="string"),
            "time_local": pd.array(["12:00"] * n, dtype="string"),
            "utc_offset_h": [8.0] * n,
            "latitude": [14.0] * n,
            "longitude": [121.0] * n,
            "position_precision_deg": [0.01] * n,
            "vessel_status": pd.array(["anchored"] * n, dtype="string"),
            "vessel_type_std": pd.array(["tanker"] * n, dtype="string"),
        }
    )


def test_maritime_incidents_on_a_tiny_store():
    rows = [("2025-03-01", PAR, "CAT2"), ("2025-04-01", PAR, "CAT4")]
    rows += [("2023-05-01", PAR, None), ("2025-05-01", "other_hostile", None)]
    rows += [("2026-09-01", PAR, "CAT1")]  # after as_of: cut by the store
    store = _store("2026-08-09", _incident_table(rows))
    r = m.maritime_incidents(Scope("PHL", "2026-08-09", lookback_years=2), store)
    assert (r.comparison["recent"], r.comparison["previous"]) == (2, 1)
    assert r.n_other_recent == 1 and r.thin is True and r.significant is None
    assert r.eez_area_km2 == 1000 and r.eez_method == "approximate EEZ v1"
    assert r.all_time == {"n": 3, "first_date": "2023-05-01", "last_date": "2025-04-01"}
    assert r.first_year == 2012 and r.history is False
    assert r.annual_counts["year"].tolist() == list(range(2012, 2027))
    assert r.severity_years == [2022, 2023, 2024, 2025, 2026]
    assert len(r.severity_events) == 3 and len(r.map_events) == 4  # thin: every incident
    assert r.severity_summary["n_cat1_cat2"] == 1 and r.severity_summary["n"] == 2
    assert r.vessel_status_summary == {"berthed_or_anchored": 2, "underway": 0, "n": 2}
    assert r.recaap == {"contracting_party": True, "in_area": True}
    assert r.milex["share_gdp_pct"] == 1.4 and r.milex["usd"] == 4_000_000_000
    assert r.known["records_begin"] == "1978-05-01"
    assert r.time_of_day["n_with_time"] == 2 and r.time_of_day["enough"] is False
    assert r.time_of_day["standard_offsets_h"]["PHL"] == 8.0
    assert r.source_agreement["previous"]["n_events"] == 1
    assert {"asam_msi_csv", "wb_milex_share", "wb_milex_usd"} <= set(store.used)


def test_maritime_incidents_is_none_for_a_landlocked_country():
    store = _store("2026-08-09", _incident_table([("2025-03-01", PAR, "CAT2")]))
    assert m.maritime_incidents(Scope("MNG", "2026-08-09"), store) is None
    assert "asam_msi_csv" not in store.used  # the incidents are not read
