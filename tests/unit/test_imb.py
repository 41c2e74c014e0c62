"""Unit tests of the Crime-at-Sea loaders on hand-written synthetic fixtures."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pandas as pd
import pytest

from osa_analysis.core.validation import DataFormatError, DataValidationError
from osa_analysis.sources.loaders.common import INCIDENT_COLUMNS
from osa_analysis.sources.loaders.imb import (
    load_imb_attacks,
    load_imb_country_codes,
    load_imb_country_indicators,
)


@pytest.fixture
def imb(fixtures: Path) -> Path:
    return fixtures / "imb"


def _variant(src: Path, tmp_path: Path, old: str, new: str) -> Path:
    text = src.read_bytes().decode("utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    out = tmp_path / src.name
    out.write_bytes(text.replace(old, new, 1).encode("utf-8"))
    return out


# --- pirate attacks ----------------------------------------------------------------------


def test_attacks_shape_and_incident_contract(imb):
    df = load_imb_attacks(imb / "pirate_attacks.csv")
    assert len(df) == 5
    assert list(df.columns[: len(INCIDENT_COLUMNS)]) == list(INCIDENT_COLUMNS)
    assert list(df.index) == [0, 1, 2, 3, 4]
    assert df["date"].dtype == "datetime64[ns]"
    assert (df["source"] == "imb_pirate_attacks").all()
    assert df.loc[0, "source_id"] == "IMB-1999-03-04-0"
    assert df.loc[4, "source_id"] == "IMB-2020-12-29-4"


def test_attacks_na_strings_are_missing(imb):
    df = load_imb_attacks(imb / "pirate_attacks.csv")
    # quoted "NA" and bare NA are both missing, never the text "NA"
    assert df["source_label"].isna().tolist() == [True, False, False, False, False]
    assert df.loc[1, ["vessel_name", "vessel_status_raw", "source_country_iso3"]].isna().all()
    assert df.loc[4, "vessel_status_raw"] is pd.NA
    assert not (df.select_dtypes("string") == "NA").any().any()


def test_attacks_description_keeps_its_newline(imb):
    df = load_imb_attacks(imb / "pirate_attacks.csv")
    text = df.loc[2, "description"]
    assert text.startswith("06.05.2016: 0500 LT")
    assert "\nSynthetic robbers approached" in text
    assert df.loc[2, "location_description"] == "Test Anchorage Charlie, Bangladesh"


def test_attacks_time_raw_local_and_utc(imb):
    df = load_imb_attacks(imb / "pirate_attacks.csv")
    assert df["time_raw"].tolist()[2:] == ["05:00", "18:85 UTC", "02:30 UTC"]
    assert df.loc[2, "time_local"] == "05:00"
    assert df.loc[2, "time_utc"] is pd.NA
    assert df.loc[4, "time_utc"] == "02:30"
    assert df.loc[4, "time_local"] is pd.NA
    # an impossible clock time stays raw only
    assert df.loc[3, ["time_local", "time_utc"]].isna().all()
    assert df["utc_offset_h"].isna().all()


def test_attacks_vessel_status_kept_unchanged(imb):
    df = load_imb_attacks(imb / "pirate_attacks.csv")
    assert df["vessel_status_raw"].tolist()[:4] == ["Steaming", pd.NA, "steaming", "Berthed"]


def test_attacks_countries_numbers_and_labels(imb):
    df = load_imb_attacks(imb / "pirate_attacks.csv")
    assert df["source_country_iso3"].tolist() == ["IDN", pd.NA, "BGD", "PHL", "NGA"]
    assert df["nearest_country_iso3"].tolist() == ["SGP", "PHL", "BGD", "PHL", "NGA"]
    assert df.loc[2, "shore_distance_km"] == 1.5
    assert df.loc[4, ["latitude", "longitude"]].tolist() == [6.25, 3.5]
    assert df.loc[3, "source_label"] == "Boarded"
    assert df["data_source"].tolist() == ["mappingpiracy"] * 2 + ["imb"] * 3
    assert df.loc[2, "vessel_type_raw"] == "Product Tanker"
    assert (df["position_status"] == "ok").all()


def test_attacks_missing_column_names_file_and_column(imb, tmp_path):
    bad = _variant(imb / "pirate_attacks.csv", tmp_path, "eez_country", "eez")
    with pytest.raises(DataFormatError, match=r"pirate_attacks\.csv.*eez_country"):
        load_imb_attacks(bad)


def test_attacks_bad_values_name_record_and_column(imb, tmp_path):
    bad = _variant(imb / "pirate_attacks.csv", tmp_path, "120.5,14.25", "120.5,94.25")
    bad = _variant(bad, tmp_path, "PHL,PHL,0.5", "PHL,XXX,0.5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the unmapped-code warning
        with pytest.raises(DataValidationError) as err:
            load_imb_attacks(bad)
    failures = err.value.failures
    pairs = set(zip(failures["record"], failures["column"], strict=True))
    assert (3, "eez_country") in pairs
    assert (1, "latitude") not in pairs  # impossible positions are flagged downstream, not here
    assert "record 3, column 'eez_country'" in str(err.value)


# --- country indicators ------------------------------------------------------------------


def test_indicators_drop_empty_rows_and_count_them(imb, caplog):
    with caplog.at_level(logging.INFO, logger="osa_analysis.sources.loaders.imb"):
        df = load_imb_country_indicators(imb / "country_indicators.csv")
    assert len(df) == 7
    assert 2 not in df.index  # the empty record
    assert df.attrs["dropped_empty_rows"] == 1
    assert "dropped 1 empty rows" in caplog.text
    assert df["year"].dtype == "Int64"


def test_indicators_cpi_rescaled_to_0_100(imb):
    df = load_imb_country_indicators(imb / "country_indicators.csv")
    assert df.loc[0, "corruption_index"] == 2.6
    assert df.loc[0, "cpi_0_100"] == 26.0
    assert df.loc[1, "cpi_0_100"] == 34.0  # 2012: already 0-100
    # a 2005 value above 10 is already on the 0-100 scale
    assert df.loc[5, "cpi_0_100"] == 38.0
    assert df["cpi_scale_mismatch"].tolist() == [False, False, False, False, True, False, False]
    assert df.loc[7, "cpi_0_100"] == 38.0  # 2019


def test_indicators_duplicate_country_years_flagged_not_dropped(imb):
    df = load_imb_country_indicators(imb / "country_indicators.csv")
    dup = df[df["duplicate_country_year"]]
    assert dup.index.tolist() == [3, 4]
    assert dup["cpi_0_100"].tolist() == [45.0, 42.0]


def test_indicators_units_and_channel_islands(imb):
    df = load_imb_country_indicators(imb / "country_indicators.csv")
    assert df.loc[0, "gdp_per_capita_usd"] == 2400.5
    assert df.loc[0, "armed_forces_personnel"] == 125000
    assert df.loc[0, "gov_revenue_share_gdp"] == 0.15
    assert pd.isna(df.loc[5, "armed_forces_personnel"])  # missing stays NA, not 0
    assert pd.isna(df.loc[6, "country_iso3"])
    assert df.loc[6, "country_code"] == "CHI"


def test_indicators_bad_value_names_record_and_column(imb, tmp_path):
    bad = _variant(imb / "country_indicators.csv", tmp_path, "96000000", "lots")
    with pytest.raises(DataValidationError, match=r"record 1, column 'population'"):
        load_imb_country_indicators(bad)


def test_indicators_row_without_year_but_with_values_is_an_error(imb, tmp_path):
    bad = _variant(imb / "country_indicators.csv", tmp_path, '"PHL",NA,NA', '"PHL",NA,3.1')
    with pytest.raises(DataValidationError, match=r"record 2, column 'year'"):
        load_imb_country_indicators(bad)


# --- country codes -----------------------------------------------------------------------


def test_country_codes(imb):
    df = load_imb_country_codes(imb / "country_codes.csv")
    assert df["country_iso3"].tolist() == ["PHL", pd.NA, "DJI"]
    assert df["country_code"].tolist() == ["PHL", "CHI", "DJI"]
    assert df.loc[2, "region"] == "Middle East & North Africa"


def test_country_codes_unknown_region_is_an_error(imb, tmp_path):
    bad = _variant(imb / "country_codes.csv", tmp_path, '"Europe & Central Asia"', '"Atlantis"')
    with pytest.raises(DataValidationError, match=r"record 1, column 'region'"):
        load_imb_country_codes(bad)
