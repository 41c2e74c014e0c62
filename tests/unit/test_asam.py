"""Unit tests of the NGA ASAM loaders on hand-written synthetic fixtures (tests/fixtures/asam)."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import warnings

import pandas as pd
import pytest
from shapely.geometry import Point

from osa_analysis.core.validation import DataFormatError, DataValidationError
from osa_analysis.sources.loaders import asam
from osa_analysis.sources.loaders.asam_fields import ASAM_COLUMNS
from osa_analysis.sources.loaders.asam_subregions import load_asam_subregions
from osa_analysis.sources.loaders.common import INCIDENT_COLUMNS, SourceDataWarning

EXPECTED_COLUMNS = [*INCIDENT_COLUMNS, *ASAM_COLUMNS]


@pytest.fixture
def folder(fixtures):
    return fixtures / "asam"


@pytest.fixture
def msi(folder):
    return asam.load_asam_msi(folder / "msi_export.csv")


# --- MSI CSV export ------------------------------------------------------------------------


def test_msi_csv_reads_crlf_records_with_quoted_lf_positions(msi, folder):
    raw = (folder / "msi_export.csv").read_bytes()
    assert b"\r\n" in raw and b"N\n1" in raw  # the fixture really has both quirks
    assert len(msi) == 7
    assert list(msi.columns) == EXPECTED_COLUMNS
    assert msi.index.tolist() == list(range(7))
    first = msi.loc[0]
    assert first["latitude"] == pytest.approx(1 + 7 / 60)
    assert first["longitude"] == pytest.approx(103 + 31 / 60)
    assert first["position_text"] == "1°07'00\"N\n103°31'00\"E"
    assert first["position_precision_deg"] == pytest.approx(1 / 3600)
    assert first["position_status"] == "ok"


def test_msi_columns_and_dtypes(msi):
    assert msi["date"].dtype == "datetime64[ns]"
    assert msi["latitude"].dtype == "float64"
    assert msi["utc_offset_h"].isna().all()
    assert msi["hostility_type_code"].dtype == "Int64"
    assert msi["duplicate_record"].dtype == bool
    for column in ("source", "source_id", "reference", "subreg", "description", "time_local"):
        assert msi[column].dtype == "string", column
    assert (msi["source"] == "asam_msi_csv").all()
    assert (msi["source_format"] == "msi_csv").all()
    assert (msi["source_id"] == msi["reference"]).all()
    assert msi.loc[0, "date"] == pd.Timestamp("2021-03-15")
    assert msi.loc[0, "subreg"] == "71"
    assert msi["source_country_iso3"].isna().all()
    assert msi["source_severity"].isna().all()


def test_sixty_minute_and_second_parts_convert_arithmetically_with_south_and_west(msi):
    # 5°60'00"S 80°59'60"W -> 6°S 81°W
    assert msi.loc[1, "latitude"] == pytest.approx(-6.0)
    assert msi.loc[1, "longitude"] == pytest.approx(-81.0)


def test_decimal_seconds_are_finer_than_whole_seconds(msi):
    assert msi.loc[2, "latitude"] == pytest.approx(46 + 37 / 60 + 50.89 / 3600)
    assert msi.loc[2, "longitude"] == pytest.approx(31 + 35 / 60 + 1.64 / 3600)
    assert msi.loc[2, "position_precision_deg"] == pytest.approx(0.01 / 3600)


def test_unparseable_and_missing_positions(msi):
    assert msi.loc[3, "position_status"] == "unparseable"
    assert msi.loc[3, "position_text"] == "somewhere off\ntestland"
    assert pd.isna(msi.loc[3, "latitude"]) and pd.isna(msi.loc[3, "position_precision_deg"])
    assert msi.loc[4, "position_status"] == "missing"
    assert pd.isna(msi.loc[4, "position_text"]) and pd.isna(msi.loc[4, "longitude"])
    assert msi["position_status"].tolist() == ["ok"] * 3 + ["unparseable", "missing", "ok", "ok"]


def test_empty_fields_are_na_and_labels_unchanged(msi):
    assert pd.isna(msi.loc[1, "hostility"]) and pd.isna(msi.loc[1, "source_label"])
    assert pd.isna(msi.loc[3, "nav_area"]) and pd.isna(msi.loc[3, "victim"])
    assert msi.loc[2, "source_label"] == "Military activity"
    assert msi.loc[0, "vessel_type_raw"] == "Panama-flagged tanker TESTSHIP ALPHA"
    assert msi["hostility_type_code"].isna().all()  # MSI has no codes


def test_duplicate_identical_rows_are_kept_and_the_later_flagged(msi):
    assert msi["reference"].tolist().count("2020-906") == 2
    assert msi["duplicate_record"].tolist() == [False] * 6 + [True]


def test_times_vessel_names_and_country_prefix_from_description(msi):
    assert msi.loc[0, "time_local"] == "02:30"  # "at 0230 local time"
    assert msi["time_local"].iloc[1:5].isna().all()  # a UTC time, none, a range, none
    assert msi.loc[5, "time_local"] == "21:15"  # "At 2115 LT"
    assert msi.loc[1, "time_utc"] == "17:00"
    assert msi.loc[0, "vessel_name"] == "TESTSHIP ALPHA"
    assert msi.loc[2, "vessel_name"] == "TESTSHIP BRAVO"
    assert pd.isna(msi.loc[1, "vessel_name"])
    assert msi["description_country"].tolist()[:3] == ["TESTLAND", "MADEUP COAST", "TEST SEA"]
    assert pd.isna(msi.loc[3, "description_country"])


# --- MSI API JSON ---------------------------------------------------------------------------


def test_msi_loader_detects_api_json_by_content(folder, tmp_path):
    # content, not the extension, decides: the same JSON under a .csv name
    copy = tmp_path / "asam_api_answer.csv"
    copy.write_bytes((folder / "msi_api.json").read_bytes())
    df = asam.load_asam_msi(copy)
    assert list(df.columns) == EXPECTED_COLUMNS
    assert (df["source_format"] == "msi_api_json").all()
    assert df["reference"].tolist() == ["2022-901", "2022-902"]


def test_api_json_prefers_numeric_coordinates_and_keeps_null_hostility(folder):
    df = asam.load_asam_msi(folder / "msi_api.json")
    # numeric latitude 1.1499 wins over the DMS text 1°09'00" (= 1.15)
    assert df.loc[0, "latitude"] == pytest.approx(1.1499)
    assert df.loc[0, "longitude"] == pytest.approx(103.4333)
    # no numbers: fall back on the DMS text, with a space before the LF
    assert df.loc[1, "latitude"] == pytest.approx(-10.5)
    assert df.loc[1, "longitude"] == pytest.approx(-20.25)
    assert df["position_status"].tolist() == ["ok", "ok"]
    assert pd.isna(df.loc[0, "hostility"]) and pd.isna(df.loc[0, "victim"])
    assert pd.isna(df.loc[0, "source_label"])
    assert df.loc[0, "time_local"] == "01:45"
    assert df.loc[1, "vessel_name"] == "TESTSHIP DELTA"


def test_load_asam_api_reads_a_saved_answer(folder):
    df = asam.load_asam_api(folder / "msi_api.json")
    assert len(df) == 2 and df.loc[1, "nav_area"] == "V"


def _raise(exc):
    def fake_urlopen(*args, **kwargs):
        raise exc

    return fake_urlopen


def test_load_asam_api_404_gives_empty_frame_and_warning(monkeypatch):
    error = urllib.error.HTTPError(asam.ASAM_API_URL, 404, "Not Found", {}, None)
    monkeypatch.setattr(urllib.request, "urlopen", _raise(error))
    with pytest.warns(asam.AsamApiUnavailableWarning, match="2024-06-25") as record:
        df = asam.load_asam_api()
    assert "HTTP 404" in str(record[0].message)
    assert df.empty
    assert list(df.columns) == EXPECTED_COLUMNS
    assert df["date"].dtype == "datetime64[ns]" and df["latitude"].dtype == "float64"


def test_load_asam_api_network_failure_gives_empty_frame_and_warning(monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", _raise(urllib.error.URLError("no route")))
    with pytest.warns(asam.AsamApiUnavailableWarning, match="ended on 2024-06-25"):
        df = asam.load_asam_api(timeout=1)
    assert df.empty and list(df.columns) == EXPECTED_COLUMNS


class _FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_load_asam_api_parses_a_live_answer(monkeypatch, folder):
    body = (folder / "msi_api.json").read_bytes()
    seen = {}

    def fake_urlopen(request, timeout):
        seen["url"], seen["timeout"] = request.full_url, timeout
        return _FakeResponse(body)

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning when the API answers
        df = asam.load_asam_api(timeout=5)
    assert seen == {"url": asam.ASAM_API_URL, "timeout": 5}
    assert df["reference"].tolist() == ["2022-901", "2022-902"]


def test_load_asam_api_non_json_answer_is_a_format_error(monkeypatch):
    monkeypatch.setattr(
        urllib.request, "urlopen", lambda request, timeout: _FakeResponse(b"<html>moved</html>")
    )
    with pytest.raises(DataFormatError, match="not valid JSON"):
        asam.load_asam_api()


# --- ArcGIS ---------------------------------------------------------------------------------


def test_arcgis_csv(folder):
    df = asam.load_asam_arcgis(folder / "arcgis_export.csv")
    assert list(df.columns) == EXPECTED_COLUMNS
    assert df["reference"].tolist() == ["2021-901", "2021-902", "2020-906"]
    assert (df["source"] == "asam_arcgis_csv").all()
    assert df.loc[0, "longitude"] == pytest.approx(103.516666666667)
    assert df.loc[1, "latitude"] == pytest.approx(-6.0)
    # only the calendar date of "2021/02/01 19:32:00+00" is kept
    assert df["date"].tolist() == [
        pd.Timestamp(d) for d in ("2021-03-15", "2021-02-01", "2020-09-09")
    ]
    assert df["hostility_type_code"].tolist() == [1, 3, 2]
    assert df["victim_code"].dtype == "Int64"
    assert df["victim_code"].isna().tolist() == [False, True, False]
    assert df.loc[2, "victim_code"] == 9
    assert pd.isna(df.loc[1, "hostility"])  # empty hostility_d
    assert df.loc[1, "description"].endswith("synthetic text on two lines.")
    assert df["position_text"].isna().all()
    assert (df["position_precision_deg"] == 1 / 3600).all()
    assert df.loc[2, "time_local"] == "21:15"


def test_arcgis_featureserver_geojson_is_detected_by_content(folder):
    df = asam.load_asam_arcgis(folder / "arcgis_featureserver.geojson")
    assert (df["source_format"] == "arcgis_geojson").all()
    assert df["reference"].tolist() == ["2021-901", "2024-907"]
    assert df["date"].tolist() == [pd.Timestamp("2021-03-15"), pd.Timestamp("2024-06-25")]
    assert df.loc[1, "latitude"] == 12.25 and df.loc[1, "longitude"] == 45.5
    assert df["hostility_type_code"].isna().tolist() == [False, True]
    assert df.loc[1, "victim_code"] == 3
    assert df.loc[1, "time_utc"] == "09:00"


# --- le-phare -------------------------------------------------------------------------------


def test_lephare_json(folder):
    df = asam.load_asam_lephare(folder / "lephare.json")
    assert list(df.columns) == EXPECTED_COLUMNS
    assert df["reference"].tolist() == ["2024-908", "2024-907", "2022-909", "2021-901"]
    assert (df["source"] == "asam_lephare_json").all()
    assert df["lephare_type"].tolist()[:3] == ["drone-strike", "drone-strike", "boarding"]
    assert df.loc[0, "lephare_zone"] == "Gulf of Test"
    assert df.loc[0, "longitude"] == pytest.approx(-45.183)
    assert (df["position_precision_deg"] == 0.001).all()
    assert pd.isna(df.loc[0, "victim"]) and pd.isna(df.loc[0, "source_label"])
    assert df["nav_area"].isna().all() and df["subreg"].isna().all()
    assert df.loc[2, "vessel_name"] == "TESTSHIP ECHO 7"  # "5 NM" is not part of the name
    assert df.loc[2, "time_local"] == "23:30"
    assert df.loc[0, "time_utc"] == "17:00"


# --- merged series --------------------------------------------------------------------------


def test_load_asam_merges_by_reference(folder):
    df = asam.load_asam(
        folder / "msi_export.csv", folder / "arcgis_export.csv", folder / "lephare.json"
    )
    # 7 MSI rows + the 3 le-phare references absent from MSI (2021-901 is shared)
    assert len(df) == 10
    assert df["reference"].nunique() == 9
    assert df.index.tolist() == list(range(10))
    assert list(df.columns) == [*EXPECTED_COLUMNS, "sources", "source_record"]
    by_ref = df.drop_duplicates("reference").set_index("reference")
    assert by_ref.loc["2021-901", "sources"] == "asam_msi_csv;asam_arcgis_csv;asam_lephare_json"
    assert by_ref.loc["2020-903", "sources"] == "asam_msi_csv"
    assert by_ref.loc["2024-908", "sources"] == "asam_lephare_json"
    assert by_ref.loc["2021-901", "source"] == "asam_msi_csv"  # MSI wins on shared refs
    # codes filled from ArcGIS, including both copies of the duplicated reference
    assert by_ref.loc["2021-901", "hostility_type_code"] == 1
    assert by_ref.loc["2021-901", "victim_code"] == 5
    assert df.loc[df["reference"] == "2020-906", "victim_code"].tolist() == [9, 9]
    assert pd.isna(by_ref.loc["2020-903", "hostility_type_code"])
    # le-phare labels filled for the shared reference
    assert by_ref.loc["2021-901", "lephare_type"] == "boarding"
    assert df["duplicate_record"].sum() == 1
    assert df["source_record"].tolist() == [0, 1, 2, 3, 4, 5, 6, 0, 1, 2]
    assert df["date"].max() == pd.Timestamp("2024-06-25")


def test_load_asam_adds_featureserver_records_missing_from_msi(folder):
    df = asam.load_asam(
        folder / "msi_export.csv", folder / "arcgis_featureserver.geojson", folder / "lephare.json"
    )
    row = df[df["reference"] == "2024-907"]
    assert len(row) == 1  # from ArcGIS, not again from le-phare
    assert row["source"].item() == "asam_arcgis_csv"
    assert row["sources"].item() == "asam_arcgis_csv;asam_lephare_json"
    assert row["lephare_type"].item() == "drone-strike"
    assert row["subreg"].item() == "62"


# --- subregions -----------------------------------------------------------------------------


def test_subregions_union_antimeridian_halves(folder):
    gdf = load_asam_subregions(folder / "subregions.csv")
    assert gdf["subreg"].tolist() == ["11", "83", "12"]
    assert gdf["subreg"].dtype == "string"
    assert gdf.crs.to_epsg() == 4326
    geometry = gdf.set_index("subreg").geometry
    assert geometry["83"].geom_type == "MultiPolygon"
    assert len(geometry["83"].geoms) == 2
    assert geometry["83"].area == pytest.approx(200.0)
    assert geometry["11"].geom_type == "Polygon"
    # latitude first in the file: subregion 11 spans lon 100-110, lat 10-20
    assert geometry["11"].bounds == (100.0, 10.0, 110.0, 20.0)
    assert geometry["83"].contains(Point(175.0, -15.0))
    assert geometry["83"].contains(Point(-175.0, -15.0))


def test_subregions_bad_lines_name_the_line(tmp_path):
    bad = tmp_path / "subregions.csv"
    bad.write_text(
        "11,10,100,10,110,20,110,20,100,10,100\n"
        "12,0,0,0,5,5,5,0,1\n"  # open ring
        "13,0,0,0,5,5,x,0,0\n"  # not a number
        "14,0,0,0,5,5,5,0"  # odd number of coordinates
    )
    with pytest.raises(DataValidationError) as info:
        load_asam_subregions(bad)
    failures = info.value.failures
    assert failures[["record", "column"]].values.tolist() == [
        [1, "coordinates"],
        [2, "lon3"],
        [3, "coordinates"],
    ]
    assert "closed ring" in str(info.value) and str(bad) in str(info.value)


# --- bad input ------------------------------------------------------------------------------


def test_missing_column_names_file_and_column(folder, tmp_path):
    text = (folder / "msi_export.csv").read_text(encoding="utf-8")
    bad = tmp_path / "msi.csv"
    bad.write_text(text.replace("position,", "pos,", 1), encoding="utf-8")
    with pytest.raises(DataFormatError, match="'position'") as info:
        asam.load_asam_msi(bad)
    assert str(bad) in str(info.value)


def test_missing_json_key_names_file_and_key(folder, tmp_path):
    data = json.loads((folder / "lephare.json").read_text())
    for event in data:
        del event["zone"]
    bad = tmp_path / "lephare.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(DataFormatError, match="'zone'"):
        asam.load_asam_lephare(bad)


def test_bad_date_names_record_column_and_value(folder, tmp_path):
    text = (folder / "msi_export.csv").read_text(encoding="utf-8")
    bad = tmp_path / "msi.csv"
    bad.write_text(text.replace("2020-12-31", "2020-13-45"), encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        asam.load_asam_msi(bad)
    failures = info.value.failures
    assert failures[["record", "column", "value"]].values.tolist() == [[2, "date", "2020-13-45"]]
    assert "record 2, column 'date'" in str(info.value)


def test_bad_arcgis_values_are_all_reported(folder, tmp_path):
    text = (folder / "arcgis_export.csv").read_text(encoding="utf-8")
    text = text.replace("2021/03/15 00:00:00+00", "15/03/2021")  # record 0
    text = text.replace(",2,9,II", ",11,x,II")  # record 2: code out of range, not a number
    bad = tmp_path / "arcgis.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        asam.load_asam_arcgis(bad)
    found = {(r, c) for r, c in info.value.failures[["record", "column"]].values.tolist()}
    assert found == {(0, "dateofocc"), (2, "victim_l"), (2, "hostility_type_code")}


def test_dms_part_above_sixty_is_an_error(folder, tmp_path):
    text = (folder / "msi_export.csv").read_text(encoding="utf-8")
    bad = tmp_path / "msi.csv"
    bad.write_text(text.replace("103°31'00", "103°75'00"), encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"record 0, column 'position'"):
        asam.load_asam_msi(bad)


def test_impossible_latitude_is_flagged_at_the_source(folder, tmp_path):
    data = json.loads((folder / "msi_api.json").read_text(encoding="utf-8"))
    data["asam"][0]["latitude"] = 95.0
    bad = tmp_path / "api.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.warns(SourceDataWarning, match=r"api.json: 1 record\(s\) with an impossible"):
        df = asam.load_asam_msi(bad)
    assert df.loc[0, "position_status"] == "impossible" and pd.isna(df.loc[0, "latitude"])


def test_bad_lephare_id_is_an_error(folder, tmp_path):
    data = json.loads((folder / "lephare.json").read_text())
    data[1]["id"] = "RC-IC-2024-001"
    bad = tmp_path / "lephare.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(DataValidationError, match=r"record 1, column 'id'"):
        asam.load_asam_lephare(bad)


def test_wrong_json_shape_is_a_format_error(tmp_path):
    bad = tmp_path / "api.json"
    bad.write_text('{"results": []}')
    with pytest.raises(DataFormatError, match="asam"):
        asam.load_asam_msi(bad)
