"""Facts from the mirror MANIFEST checked on the real Crime-at-Sea, ReCAAP and SCSDI files."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from osa_analysis.core.countries import UnmappedCodeWarning
from osa_analysis.sources.loaders.imb import (
    load_imb_attacks,
    load_imb_country_codes,
    load_imb_country_indicators,
)
from osa_analysis.sources.loaders.recaap import load_recaap_imb_live, load_recaap_openmap
from osa_analysis.sources.loaders.scsdi import (
    load_scsdi_geocoded,
    load_scsdi_geocoded_locations,
    load_scsdi_published,
)

pytestmark = pytest.mark.mirror


def _quietly(loader, path):
    """Load, failing on any unmapped-country warning (the loaders handle every spelling)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnmappedCodeWarning)
        return loader(path)


# --- Crime at Sea ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def attacks(real_file):
    return _quietly(load_imb_attacks, real_file("imb_pirate_attacks"))


def test_imb_attacks_rows_and_dates(attacks):
    assert len(attacks) == 7511
    assert attacks["date"].min() == pd.Timestamp("1993-01-02")
    assert attacks["date"].max() == pd.Timestamp("2020-12-29")
    assert attacks["source_id"].is_unique


def test_imb_attacks_data_source_periods(attacks):
    years = attacks.groupby("data_source")["date"].agg(["min", "max"])
    assert years.loc["mappingpiracy", "max"].year <= 2014
    assert years.loc["imb", "min"] == pd.Timestamp("2015-01-08")
    assert years.loc["imb", "max"].year == 2020
    assert attacks["data_source"].value_counts().to_dict() == {"mappingpiracy": 6338, "imb": 1173}
    mp = attacks[attacks["data_source"] == "mappingpiracy"]
    assert mp["description"].isna().all() and mp["vessel_type_raw"].isna().all()


def test_imb_attacks_times_and_status(attacks):
    assert attacks["time_raw"].isna().sum() == 6362
    assert attacks["time_local"].notna().sum() == 405
    assert attacks["time_utc"].notna().sum() == 743  # 744 "UTC" times, one is "18:85 UTC"
    assert {"Steaming", "steaming"} <= set(attacks["vessel_status_raw"].dropna())
    assert attacks["description"].str.contains("\n").sum() == 1149


def test_imb_attacks_recipient_countries(attacks):
    counts = attacks["source_country_iso3"].value_counts()
    assert counts["IDN"] > counts["PHL"] > 0
    assert attacks["source_country_iso3"].isna().sum() == 295


@pytest.fixture(scope="module")
def indicators(real_file):
    return _quietly(load_imb_country_indicators, real_file("imb_country_indicators"))


def test_imb_indicators_rows_empty_and_duplicates(indicators):
    assert len(indicators) + indicators.attrs["dropped_empty_rows"] == 5899
    assert indicators.attrs["dropped_empty_rows"] == 34
    dups = indicators[indicators["duplicate_country_year"]]
    assert set(zip(dups["country_code"], dups["year"], strict=True)) == {
        ("BOL", 2004),
        ("CRI", 2003),
        ("ISL", 2009),
        ("NAM", 2006),
        ("NER", 2006),
        ("SLV", 2009),
    }
    assert len(dups) == 12
    assert indicators["year"].min() == 1993 and indicators["year"].max() == 2019


def test_imb_indicators_cpi_scale(indicators):
    assert indicators["cpi_0_100"].dropna().between(0, 100).all()
    mismatch = indicators[indicators["cpi_scale_mismatch"]]
    assert sorted(mismatch["country_iso3"]) == ["BRA", "THA", "TTO"]
    phl = indicators.set_index(["country_iso3", "year"]).loc["PHL"]
    assert phl.loc[2011, "cpi_0_100"] == pytest.approx(10 * phl.loc[2011, "corruption_index"])
    assert phl.loc[2012, "cpi_0_100"] == phl.loc[2012, "corruption_index"]
    assert indicators.loc[indicators["year"] > 2017, "armed_forces_personnel"].isna().all()


def test_imb_country_codes(real_file):
    codes = _quietly(load_imb_country_codes, real_file("imb_country_codes"))
    assert len(codes) == 217
    assert codes["country_iso3"].isna().sum() == 1  # CHI, the Channel Islands
    assert codes.set_index("country_code").loc["TLS", "region"] == "East Asia & Pacific"


# --- ReCAAP OpenMap ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def openmap(real_file):
    return _quietly(load_recaap_openmap, real_file("recaap_openmap"))


def test_openmap_rows_dates_and_classes(openmap):
    assert len(openmap) == 369
    assert openmap["date"].min() == pd.Timestamp("2020-11-03")
    assert openmap["date"].max() == pd.Timestamp("2024-11-24")
    assert openmap["source_severity"].value_counts().to_dict() == {
        "CAT4": 208,
        "CAT3": 101,
        "CAT2": 41,
        "Attempted": 19,
    }
    assert openmap["source_label"].value_counts().to_dict() == {
        "Robbery/Theft": 350,
        "Attempted": 19,
    }


def test_openmap_first_record_is_24_november(openmap):
    row = openmap.set_index("source_id").loc["IC-2024-099"]
    assert row["date"] == pd.Timestamp("2024-11-24")
    assert row["time_local"] == "01:00"
    assert row["utc_offset_h"] == 8.0
    assert row["datetime_utc"] == pd.Timestamp("2024-11-23T17:00Z")


def test_openmap_flags_and_countries(openmap):
    assert openmap["flag_iso3"].isna().sum() == 1  # NETHERLANDS ANTILLES
    assert (openmap.loc[openmap["ship_flag"] == "VIET NAM", "flag_iso3"] == "VNM").all()
    assert openmap["source_country_iso3"].value_counts().to_dict() == {
        "IDN": 59,
        "PHL": 28,
        "BGD": 20,
        "IND": 17,
        "VNM": 10,
        "MYS": 6,
        "THA": 1,
    }
    assert openmap["utc_offset_h"].value_counts().to_dict() == {
        8.0: 276,
        7.0: 57,
        6.0: 19,
        5.5: 16,
        4.0: 1,
    }


# --- live feed ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live(real_file):
    return _quietly(load_recaap_imb_live, real_file("recaap_imb_live"))


def test_live_rows_origins_and_dates(live):
    assert len(live) == 390
    assert live["origin"].value_counts().to_dict() == {"recaap": 242, "imb": 148}
    assert live["date"].min() == pd.Timestamp("2024-07-07")
    assert live["date"].max() == pd.Timestamp("2026-08-09")
    assert live.attrs["fetched"] == pd.Timestamp("2026-08-22")


def test_live_truncation_and_precision(live):
    assert live["summary_truncated"].sum() == 267
    rc = live[live["origin"] == "recaap"]
    whole = rc[rc["position_precision_deg"] == 1.0]
    assert len(whole) == 204
    assert whole["date"].max() == pd.Timestamp("2026-01-18")
    assert rc.loc[rc["position_precision_deg"] == 0.001, "date"].min() == pd.Timestamp("2026-01-21")
    assert live.loc[live["origin"] == "imb", "vessel_raw"].isna().all()


def test_live_dates_one_day_before_openmap(live, openmap):
    shared = live.merge(
        openmap[["source_id", "date"]],
        left_on="recaap_incident_no",
        right_on="source_id",
        suffixes=("", "_openmap"),
    )
    assert len(shared) == 38
    lag = (shared["date_openmap"] - shared["date"]).dt.days
    assert (lag == 1).sum() == 37
    assert shared["date_may_be_utc"].all()


def test_live_test_records_are_flagged_and_absent_from_openmap(live, openmap):
    flagged = live.loc[live["suspected_test_record"], "recaap_incident_no"]
    assert sorted(flagged) == ["IC-2024-064", "IC-2024-073", "IC-2024-076"]
    assert not flagged.isin(openmap["source_id"]).any()


# --- SCSDI -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scsdi_events(real_file):
    return _quietly(load_scsdi_geocoded, real_file("scsdi_geocoded"))


def test_scsdi_geocoded_rows_and_events(real_file, scsdi_events):
    rows = _quietly(load_scsdi_geocoded_locations, real_file("scsdi_geocoded"))
    assert len(rows) == 1241
    assert rows["event_id"].nunique() == 514
    assert len(scsdi_events) == 514
    assert scsdi_events["n_rows"].sum() == 1241
    assert scsdi_events["n_rows"].max() == 72
    assert scsdi_events["date"].min() == pd.Timestamp("2009-05-17")
    assert scsdi_events["date"].max() == pd.Timestamp("2019-12-30")


def test_scsdi_geocoded_date_quirks(scsdi_events):
    ev = scsdi_events.set_index("source_id")
    assert ev.loc["CN_191211", "date_end"] == pd.Timestamp("2019-12-19")  # autofill to 2028
    assert ev["date_end"].max() < pd.Timestamp("2020-01-01")
    assert ev.loc["CNUS_180526", "year"] == 2018  # the file's year column says 2019
    assert ev["date_precision"].value_counts().to_dict() == {"day": 472, "month": 31, "year": 11}
    assert ev.loc["PHVN_170408", "actors_iso3"] == "PHL;VNM"


def test_scsdi_geocoded_precision_is_the_best_level(scsdi_events):
    assert scsdi_events["location_precision_level"].between(1, 6).all()
    radius = {1: 0.08, 2: 0.4, 3: 0.7, 4: 0.7, 5: 1.8, 6: 7.2}
    expected = scsdi_events["location_precision_level"].map(radius)
    assert (scsdi_events["position_precision_deg"] == expected).all()


def test_scsdi_published(real_file):
    df = _quietly(load_scsdi_published, real_file("scsdi_published"))
    assert len(df) == 1645
    assert df["month"].isna().sum() == 11
    assert df["day"].isna().sum() == 42
    assert df["position_status"].value_counts().to_dict() == {
        "ok": 1627,
        "missing": 10,
        "unparseable": 8,
    }
    assert (df["location_precision_level"] == 2.8).sum() == 1
    assert df["year"].min() == 2009 and df["year"].max() == 2023
