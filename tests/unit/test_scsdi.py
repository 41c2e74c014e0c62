"""Unit tests of the SCSDI loaders on hand-written synthetic fixtures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from osa_analysis.core.validation import DataFormatError, DataValidationError
from osa_analysis.sources.loaders.common import INCIDENT_COLUMNS
from osa_analysis.sources.loaders.scsdi import (
    load_scsdi_geocoded,
    load_scsdi_geocoded_locations,
    load_scsdi_published,
)


@pytest.fixture
def scsdi(fixtures: Path) -> Path:
    return fixtures / "scsdi"


def _variant(src: Path, tmp_path: Path, old: bytes, new: bytes) -> Path:
    data = src.read_bytes()
    assert old in data, f"fixture no longer contains {old!r}"
    out = tmp_path / src.name
    out.write_bytes(data.replace(old, new, 1))
    return out


# --- geo-coded: the rows as in the file --------------------------------------------------


def test_fixture_has_the_real_file_quirks(scsdi):
    data = (scsdi / "geocoded.csv").read_bytes()
    assert b"\x92" in data  # cp1252 apostrophe
    assert b"\r\n" in data and not data.endswith(b"\n")
    assert data.startswith(b",event_id,")  # unnamed row-number column


def test_locations_decode_cp1252_and_keep_rows(scsdi):
    loc = load_scsdi_geocoded_locations(scsdi / "geocoded.csv")
    assert len(loc) == 8
    assert list(loc.index) == list(range(8))
    assert loc.loc[0, "notes"] == "Vietnam\u2019s synthetic fishing vessel was chased away"
    assert loc.loc[0, "actors_iso3"] == "PHL;VNM"
    assert loc.loc[0, "radius_deg"] == 0.7
    assert loc.loc[1, "source_urls"] == "https://example.org/test/a2;https://example.org/test/a3"
    assert pd.isna(loc.loc[2, "actors_iso2"])


def test_locations_date_forms(scsdi):
    loc = load_scsdi_geocoded_locations(scsdi / "geocoded.csv")
    # m/d/yy
    assert loc.loc[0, "date"] == pd.Timestamp("2019-12-30")
    assert loc.loc[0, "date_precision"] == "day"
    # a range: start and end; an Excel-autofilled end year falls back on `year`
    assert loc.loc[3, ["date", "date_end"]].tolist() == [
        pd.Timestamp("2019-12-11"),
        pd.Timestamp("2019-12-19"),
    ]
    assert loc.loc[4, "date_end"] == pd.Timestamp("2019-12-19")
    # mm/00/yyyy: no date, but year and month
    assert pd.isna(loc.loc[5, "date"])
    assert (loc.loc[5, "year"], loc.loc[5, "month"]) == (2019, 9)
    assert pd.isna(loc.loc[5, "day"])
    assert loc.loc[5, "date_precision"] == "month"
    # a range across a line break whose end has an unknown day
    assert loc.loc[6, "event_date_raw"] == "12/26/2017 -\r\n01/00/2018"
    assert loc.loc[6, "date"] == pd.Timestamp("2017-12-26")
    assert pd.isna(loc.loc[6, "date_end"])
    # 00/00/yyyy
    assert loc.loc[7, "date_precision"] == "year"
    assert pd.isna(loc.loc[7, "month"])
    assert loc["year"].dtype == "Int64"


def test_locations_actor_aliases(scsdi):
    loc = load_scsdi_geocoded_locations(scsdi / "geocoded.csv")
    assert loc.loc[5, "actors_iso3"] == "GBR;USA"  # UK is read as GB
    assert loc.loc[7, "actors_iso3"] == "IDN"  # "others" is not a country


# --- geo-coded: one row per event --------------------------------------------------------


def test_events_collapse_to_one_row_each(scsdi):
    ev = load_scsdi_geocoded(scsdi / "geocoded.csv")
    assert len(ev) == 5
    assert list(ev.columns[: len(INCIDENT_COLUMNS)]) == list(INCIDENT_COLUMNS)
    assert ev["source_id"].tolist() == [
        "PHVN_191230",
        "CN_191211",
        "UKUS_190900",
        "CN_171226",
        "ID_160000",
    ]
    assert list(ev.index) == [0, 3, 5, 6, 7]  # record of each event's first row
    assert (ev["source"] == "scsdi_geocoded").all()


def test_event_takes_the_most_precise_location(scsdi):
    ev = load_scsdi_geocoded(scsdi / "geocoded.csv").set_index("source_id")
    phvn = ev.loc["PHVN_191230"]
    assert (phvn["latitude"], phvn["longitude"]) == (10.25, 115.125)  # level 1, not 4
    assert phvn["location_precision_level"] == 1.0
    assert phvn["position_precision_deg"] == 0.08
    assert phvn["location"] == "Test Shoal"
    assert (phvn["n_rows"], phvn["n_locations"], phvn["n_reports"]) == (3, 2, 2)
    assert phvn["source_urls"] == (
        "https://example.org/test/a1;https://example.org/test/a2;https://example.org/test/a3"
    )
    assert phvn["description"] == (
        "Vietnam\u2019s synthetic fishing vessel was chased away\n"
        "A second synthetic note on the same event"
    )
    assert phvn["actors_iso2"] == "PH/VN"
    assert phvn["time_raw"] == "9:30 PM"
    assert phvn["time_local"] == "21:30"


def test_event_dates(scsdi):
    ev = load_scsdi_geocoded(scsdi / "geocoded.csv").set_index("source_id")
    assert ev.loc["CN_191211", "date"] == pd.Timestamp("2019-12-11")
    assert ev.loc["CN_191211", "date_end"] == pd.Timestamp("2019-12-19")
    assert pd.isna(ev.loc["UKUS_190900", "date"])
    assert ev.loc["UKUS_190900", "month"] == 9
    assert ev["date_precision"].tolist() == ["day", "day", "month", "day", "year"]
    assert ev["year"].tolist() == [2019, 2019, 2019, 2017, 2016]
    assert ev["source_label"].isna().all()
    assert ev["source_country_iso3"].isna().all()


def test_geocoded_missing_column_names_file_and_column(scsdi, tmp_path):
    bad = _variant(scsdi / "geocoded.csv", tmp_path, b",radius,", b",radius_km,")
    with pytest.raises(DataFormatError, match=r"geocoded\.csv.*'radius'"):
        load_scsdi_geocoded(bad)


def test_geocoded_bad_values_name_record_and_column(scsdi, tmp_path):
    bad = _variant(
        scsdi / "geocoded.csv", tmp_path, b"12/30/19,2019,,10.25", b"13/30/19,2019,,10.25"
    )
    bad = _variant(bad, tmp_path, b"4.75,112.75", b"4.75,212.75")
    with pytest.raises(DataValidationError) as err:
        load_scsdi_geocoded(bad)
    pairs = set(zip(err.value.failures["record"], err.value.failures["column"], strict=True))
    assert {(1, "event_date"), (4, "longitude")} <= pairs
    assert "record 1, column 'event_date'" in str(err.value)


def test_geocoded_rejects_non_cp1252_bytes(scsdi, tmp_path):
    bad = _variant(scsdi / "geocoded.csv", tmp_path, b"\x92", b"\x81")  # undefined in cp1252
    with pytest.raises(DataFormatError, match="cp1252"):
        load_scsdi_geocoded(bad)


# --- published ---------------------------------------------------------------------------


def test_published_reads_bare_lf_inside_crlf_records(scsdi):
    data = (scsdi / "published.csv").read_bytes()
    assert b"Levl ," in data and b".\n \n" in data
    df = load_scsdi_published(scsdi / "published.csv")
    assert len(df) == 6
    assert list(df.columns[: len(INCIDENT_COLUMNS)]) == list(INCIDENT_COLUMNS)
    assert df.loc[2, "description"].startswith("Synthetic water cannon incident.\n")
    assert df["source_id"].tolist() == [f"SCSDI-PUB-{i}" for i in range(6)]


def test_published_dates_and_precision(scsdi):
    df = load_scsdi_published(scsdi / "published.csv")
    assert df.loc[0, "date"] == pd.Timestamp("2009-05-17")
    assert df["date_precision"].tolist() == ["day", "year", "month", "day", "day", "day"]
    assert df.loc[[1, 2], "date"].isna().all()
    assert df["month"].tolist() == [5, pd.NA, 4, 4, 4, 7]
    assert df["day"].dtype == "Int64"


def test_published_positions_and_levels(scsdi):
    df = load_scsdi_published(scsdi / "published.csv")
    assert df["position_status"].tolist() == ["ok", "ok", "ok", "missing", "unparseable", "ok"]
    assert df.loc[[3, 4], ["latitude", "longitude"]].isna().all().all()
    assert df.loc[4, "latitude_raw"] == "314.522.774"
    assert df.loc[2, "location_precision_level"] == 2.8
    assert pd.isna(df.loc[2, "position_precision_deg"])  # 2.8 is not a codebook level
    assert df.loc[0, "position_precision_deg"] == 1.8  # level 5


def test_published_actors(scsdi):
    df = load_scsdi_published(scsdi / "published.csv")
    assert df.loc[4, "actors_iso2"] == "UK/US"
    assert df["actors_iso3"].tolist() == [
        "CHN",
        "IDN;VNM",
        "CHN;PHL",
        "USA",
        "GBR;USA",
        "IDN;VNM",  # "IDVN": two codes run together
    ]


def test_published_accepts_the_official_geocoded_file(scsdi):
    df = load_scsdi_published(scsdi / "geocoded.csv")
    assert len(df) == 5
    assert (df["source_format"] == "dataverse_geocoded_csv").all()
    assert (df["source"] == "scsdi_published").all()
    assert df.loc[0, "source_id"] == "PHVN_191230"


def test_published_missing_column_names_file_and_column(scsdi, tmp_path):
    bad = _variant(scsdi / "published.csv", tmp_path, b"Longtitude", b"Lon")
    with pytest.raises(DataFormatError, match=r"published\.csv.*Longtitude"):
        load_scsdi_published(bad)


def test_published_bad_values_name_record_and_column(scsdi, tmp_path):
    bad = _variant(scsdi / "published.csv", tmp_path, b"CN,2009,5,17", b"CN,2009,2,30")
    bad = _variant(bad, tmp_path, b",2.8,", b",high,")
    with pytest.raises(DataValidationError) as err:
        load_scsdi_published(bad)
    pairs = set(zip(err.value.failures["record"], err.value.failures["column"], strict=True))
    assert {(0, "Day"), (2, "Levl")} <= pairs
