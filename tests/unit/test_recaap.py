"""Unit tests of the ReCAAP OpenMap and live-feed loaders on synthetic fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from osa_analysis.core.validation import DataFormatError, DataValidationError
from osa_analysis.sources.loaders.common import INCIDENT_COLUMNS
from osa_analysis.sources.loaders.recaap import load_recaap_imb_live, load_recaap_openmap


@pytest.fixture
def recaap(fixtures: Path) -> Path:
    return fixtures / "recaap"


def _edit_json(src: Path, tmp_path: Path, edit) -> Path:
    data = json.loads(src.read_text(encoding="utf-8"))
    edit(data)
    out = tmp_path / src.name
    out.write_text(json.dumps(data, indent=2).replace("\n", "\r\n"), encoding="utf-8")
    return out


# --- OpenMap -----------------------------------------------------------------------------


def test_openmap_crlf_file_reads_with_contract(recaap):
    assert b"\r\n" in (recaap / "openmap.json").read_bytes()
    df = load_recaap_openmap(recaap / "openmap.json")
    assert len(df) == 3
    assert list(df.columns[: len(INCIDENT_COLUMNS)]) == list(INCIDENT_COLUMNS)
    assert df["source_id"].tolist() == ["IC-2024-903", "IC-2023-902", "IC-2020-901"]
    assert (df["source"] == "recaap_openmap").all()
    # the always-null audit fields are not carried
    assert not {"createdDate", "created_date", "updated_by"} & set(df.columns)


def test_openmap_epoch_is_read_in_singapore_time(recaap):
    df = load_recaap_openmap(recaap / "openmap.json")
    # 1732377600000 = 2024-11-23T16:00Z is 00:00 on 24 Nov at UTC+8
    assert df.loc[0, "date"] == pd.Timestamp("2024-11-24")
    assert df.loc[1, "date"] == pd.Timestamp("2023-03-15")
    assert df.loc[2, "date"] == pd.Timestamp("2020-11-03")
    assert df["date"].dtype == "datetime64[ns]"


def test_openmap_local_time_offset_and_utc(recaap):
    df = load_recaap_openmap(recaap / "openmap.json")
    assert df["time_local"].tolist() == ["01:00", "03:20", "23:05"]
    assert df["utc_offset_h"].tolist() == [8.0, 6.0, 7.0]
    assert str(df["datetime_utc"].dtype) == "datetime64[ns, UTC]"
    assert df.loc[0, "datetime_utc"] == pd.Timestamp("2024-11-23T17:00Z")
    # 03:20 at UTC+6, not at UTC+8 as fullTimestampOfIncident would say
    assert df.loc[1, "datetime_utc"] == pd.Timestamp("2023-03-14T21:20Z")
    assert df.loc[2, "datetime_utc"] == pd.Timestamp("2020-11-03T16:05Z")


def test_openmap_labels_severity_and_description(recaap):
    df = load_recaap_openmap(recaap / "openmap.json")
    assert df["source_label"].tolist() == ["Robbery/Theft", "Robbery/Theft", "Attempted"]
    assert df["source_severity"].tolist() == ["CAT3", "CAT4", "Attempted"]
    assert df.loc[0, "description"].endswith("\n\nNothing was stolen.")
    assert pd.isna(df.loc[1, "description"])  # "TBC"
    assert pd.isna(df.loc[1, "remarks"])  # "NIL"


def test_openmap_ship_fields(recaap):
    df = load_recaap_openmap(recaap / "openmap.json")
    assert df["vessel_name"].tolist() == ["Testship Alpha", pd.NA, "TESTSHIP BRAVO"]
    assert df["vessel_imo"].tolist() == ["9999991", pd.NA, pd.NA]  # "" and "0" are NA
    assert df["vessel_type_raw"].tolist() == ["BULK CARRIER", "TANKER", "TUG BOAT"]
    assert df["ship_flag"].tolist() == ["VIET NAM", "HONG KONG, CHINA", "NETHERLANDS ANTILLES"]
    assert df["flag_iso3"].tolist() == ["VNM", "HKG", pd.NA]
    assert df["recaap_id"].tolist() == [90003, 90002, 90001]


def test_openmap_country_from_area_description(recaap):
    df = load_recaap_openmap(recaap / "openmap.json")
    assert df["source_country_iso3"].tolist() == [pd.NA, "BGD", "IDN"]
    assert df.loc[0, "area_description"] == "Straits of Malacca & Singapore"
    assert df.loc[0, ["latitude", "longitude"]].tolist() == [1.065, 103.688333]
    assert df["position_precision_deg"].isna().all()


def test_openmap_missing_key_names_file_and_key(recaap, tmp_path):
    def drop(data):
        for rec in data:
            del rec["classification"]

    bad = _edit_json(recaap / "openmap.json", tmp_path, drop)
    with pytest.raises(DataFormatError, match=r"openmap\.json.*classification"):
        load_recaap_openmap(bad)


def test_openmap_bad_values_name_record_and_column(recaap, tmp_path):
    def spoil(data):
        data[1]["classification"] = "CAT9"
        data[2]["incidentDate"] += 3_600_000  # no longer 00:00 at UTC+8

    bad = _edit_json(recaap / "openmap.json", tmp_path, spoil)
    with pytest.raises(DataValidationError) as err:
        load_recaap_openmap(bad)
    pairs = set(zip(err.value.failures["record"], err.value.failures["column"], strict=True))
    assert {(1, "source_severity"), (2, "incidentDate")} <= pairs


def test_openmap_rejects_the_live_format(recaap):
    with pytest.raises(DataFormatError, match="JSON array"):
        load_recaap_openmap(recaap / "live.json")


# --- live feed ---------------------------------------------------------------------------


def test_live_ids_origin_and_fetched(recaap):
    df = load_recaap_imb_live(recaap / "live.json")
    assert len(df) == 5
    assert list(df.columns[: len(INCIDENT_COLUMNS)]) == list(INCIDENT_COLUMNS)
    assert df["source_id"].tolist() == [
        "RC-IC-2026-905",
        "IMB-044-26",
        "RC-IC-2025-904",
        "IMB-SUS 01-26",
        "RC-IC-2024-906",
    ]
    assert df["origin"].tolist() == ["recaap", "imb", "recaap", "imb", "recaap"]
    assert df["recaap_incident_no"].tolist() == [
        "IC-2026-905",
        pd.NA,
        "IC-2025-904",
        pd.NA,
        "IC-2024-906",
    ]
    assert df.attrs["fetched"] == pd.Timestamp("2026-08-22")
    assert df.attrs["since"] == pd.Timestamp("2024-07-01")


def test_live_dates_are_not_shifted_but_flagged(recaap):
    df = load_recaap_imb_live(recaap / "live.json")
    assert df.loc[0, "date"] == pd.Timestamp("2026-03-02")
    assert df["date_may_be_utc"].tolist() == [True, False, True, False, True]
    assert df["time_local"].isna().all()


def test_live_summary_truncation(recaap):
    df = load_recaap_imb_live(recaap / "live.json")
    assert df["summary_truncated"].tolist() == [False, False, True, False, False]
    assert len(df.loc[2, "description"]) == 421
    assert df.loc[2, "description"].endswith("…")
    assert pd.isna(df.loc[4, "description"])  # empty summary


def test_live_whole_degree_positions_have_precision_one(recaap):
    df = load_recaap_imb_live(recaap / "live.json")
    # RC rows with integer lat and lon: whole degrees; the rest le-phare's 3 dp
    assert df["position_precision_deg"].tolist() == [0.001, 0.001, 1.0, 0.001, 1.0]
    assert df.loc[2, ["latitude", "longitude"]].tolist() == [1.0, 104.0]


def test_live_vessel_split_and_flags(recaap):
    df = load_recaap_imb_live(recaap / "live.json")
    assert df.loc[0, "vessel_type_raw"] == "bulk carrier"
    assert df.loc[0, "vessel_name"] == "Testship Alpha"
    assert df.loc[0, "ship_flag"] == "VIET NAM"
    assert df.loc[0, "flag_iso3"] == "VNM"
    assert df.loc[2, "vessel_name"] == "TEST TUG 1 & TEST BARGE 2"
    assert df.loc[2, "vessel_type_raw"] == "towing/pushing"
    assert df.loc[4, "vessel_name"] == "Dummy Case (test for Cloud)"
    assert df.loc[4, "flag_iso3"] == "HKG"
    assert df.loc[[1, 3], ["vessel_raw", "vessel_name", "flag_iso3"]].isna().all().all()
    assert df["suspected_test_record"].tolist() == [False, False, False, False, True]


def test_live_zone_and_country(recaap):
    df = load_recaap_imb_live(recaap / "live.json")
    assert df.loc[1, "zone"] == "a tanker was boarded and hijacked by test pirates"
    assert df["source_country_iso3"].tolist() == ["IDN", pd.NA, pd.NA, "CIV", "BGD"]
    assert df["source_label"].tolist() == ["boarding", "hijack", "boarding", "boarding", "boarding"]


def test_live_accepts_an_official_openmap_export(recaap):
    df = load_recaap_imb_live(recaap / "openmap.json")
    assert df["source_id"].tolist() == ["RC-IC-2024-903", "RC-IC-2023-902", "RC-IC-2020-901"]
    assert (df["source_format"] == "openmap_json").all()
    assert df.loc[0, "date"] == pd.Timestamp("2024-11-24")
    assert not df["date_may_be_utc"].any()
    assert df.loc[0, "zone"] == "Straits of Malacca & Singapore"
    assert pd.isna(df.attrs["fetched"])


def test_live_missing_key_names_file_and_key(recaap, tmp_path):
    def drop(data):
        for ev in data["events"]:
            del ev["origin"]

    bad = _edit_json(recaap / "live.json", tmp_path, drop)
    with pytest.raises(DataFormatError, match=r"live\.json.*origin"):
        load_recaap_imb_live(bad)


def test_live_bad_values_name_record_and_column(recaap, tmp_path):
    def spoil(data):
        data["events"][1]["origin"] = "recaap"  # an IMB id cannot be a ReCAAP row
        data["events"][3]["lat"] = 95.5

    bad = _edit_json(recaap / "live.json", tmp_path, spoil)
    with pytest.raises(DataValidationError) as err:
        load_recaap_imb_live(bad)
    pairs = set(zip(err.value.failures["record"], err.value.failures["column"], strict=True))
    assert (1, "id") in pairs
    assert (3, "latitude") not in pairs  # an impossible position is flagged, not refused


def test_live_rejects_other_json(tmp_path):
    other = tmp_path / "other.json"
    other.write_text('{"incidents": []}')
    with pytest.raises(DataFormatError, match="le-phare"):
        load_recaap_imb_live(other)
