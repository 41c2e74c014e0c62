"""Unit tests of the tropical cyclone track loaders on tiny synthetic files.

Text fixtures live in ``tests/fixtures/hazards/``; the binary formats (IBTrACS netCDF, IMD
parquet and workbook) are written into ``tmp_path`` from the hand-written tables below.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from osa_analysis.core.validation import DataFormatError, DataValidationError
from osa_analysis.harmonise import tracks
from osa_analysis.harmonise.tracks import tracks_fixes
from osa_analysis.sources.loaders import imd
from osa_analysis.sources.loaders.ibtracs import load_ibtracs, load_ibtracs_all
from osa_analysis.sources.loaders.imd import (
    load_imd_manifest,
    load_imd_observations,
    load_imd_remarks,
    load_imd_storms,
)
from osa_analysis.sources.loaders.jtwc import load_jtwc_wnp

# --- IBTrACS synthetic netCDF ---------------------------------------------------------------

EPOCH = pd.Timestamp("1858-11-17")
NOISE_DAYS = 1e-4  # 8.64 s: rounding to the minute must remove it


def _days(ts: str) -> float:
    return (pd.Timestamp(ts) - EPOCH) / pd.Timedelta(days=1) + NOISE_DAYS


# one dict per storm: storm-level fields, then one tuple per fix:
# (iso time, basin, lat, lon, wmo_agency, wmo_wind, wmo_pres, usa_lat, usa_wind, usa_pres)
IBTRACS_STORMS = [
    {
        "sid": "2090001S15170",
        "season": 2090,
        "name": "TESTALPHA",
        "track_type": "main",
        "fixes": [
            ("2090-01-01 00:00:00", "SP", -15.0, 170.0, "nadi", 35, 995, -15.1, 40, 990),
            ("2090-01-01 03:00:00", "SP", -15.5, 175.0, "nadi", 45, 990, np.nan, np.nan, np.nan),
            ("2090-01-01 06:00:00", "SP", -16.0, 181.0, "", np.nan, np.nan, -16.0, 55, np.nan),
        ],
    },
    {
        "sid": "2090002N25290",
        "season": 2090,
        "name": "NOT_NAMED",
        "track_type": "PROVISIONAL",
        "fixes": [
            ("2090-08-01 12:00:00", "NA", 25.0, -70.0, "hurdat_atl", 50, 1000, 25.0, 50, 1000),
            ("2090-08-01 18:00:00", "NA", 26.0, -71.0, "hurdat_atl", 60, 990, 26.0, 60, 990),
        ],
    },
]
N_STEPS = 4  # fixed date_time dimension; the rest of each row stays empty (NaN)


def write_ibtracs(path, storms=IBTRACS_STORMS, drop=(), name_len=12):
    import xarray as xr

    n = len(storms)
    shape = (n, N_STEPS)
    time = np.full(shape, np.nan)
    lat, lon, wmo_wind, wmo_pres, usa_lat, usa_wind, usa_pres, d2l, landfall = (
        np.full(shape, np.nan, dtype="float32") for _ in range(9)
    )
    basin = np.full(shape, b"", dtype="S2")
    subbasin = np.full(shape, b"", dtype="S2")
    nature = np.full(shape, b"", dtype="S2")
    agency = np.full(shape, b"", dtype="S10")
    iso = np.full(shape, b"", dtype="S19")
    for i, storm in enumerate(storms):
        for j, f in enumerate(storm["fixes"]):
            time[i, j] = _days(f[0])
            iso[i, j] = f[0].encode()
            basin[i, j] = f[1].encode()
            subbasin[i, j] = b"MM"
            nature[i, j] = b"TS"
            lat[i, j], lon[i, j] = f[2], f[3]
            agency[i, j] = f[4].encode()
            wmo_wind[i, j], wmo_pres[i, j] = f[5], f[6]
            usa_lat[i, j], usa_wind[i, j], usa_pres[i, j] = f[7], f[8], f[9]
            d2l[i, j], landfall[i, j] = 100 + j, 90 + j
    dims = ("storm", "date_time")
    fill = {"_FillValue": -9999.0}
    variables = {
        "sid": ("storm", np.array([s["sid"].encode() for s in storms], dtype="S13")),
        "season": ("storm", np.array([s["season"] for s in storms], dtype="float32")),
        "name": ("storm", np.array([s["name"].encode() for s in storms], dtype=f"S{name_len}")),
        "track_type": ("storm", np.array([s["track_type"].encode() for s in storms], dtype="S19")),
        "main_track_sid": ("storm", np.array([s["sid"].encode() for s in storms], dtype="S13")),
        "numobs": ("storm", np.array([len(s["fixes"]) for s in storms], dtype="float32")),
        "time": (dims, time, {"units": "days since 1858-11-17 00:00:00"}),
        "iso_time": (dims, iso),
        "basin": (dims, basin),
        "subbasin": (dims, subbasin),
        "nature": (dims, nature),
        "wmo_agency": (dims, agency),
        "lat": (dims, lat),
        "lon": (dims, lon),
        "wmo_wind": (dims, wmo_wind),
        "wmo_pres": (dims, wmo_pres),
        "usa_lat": (dims, usa_lat),
        "usa_wind": (dims, usa_wind),
        "usa_pres": (dims, usa_pres),
        "dist2land": (dims, d2l),
        "landfall": (dims, landfall),
    }
    ds = xr.Dataset({k: v for k, v in variables.items() if k not in drop})
    encoding = {v: fill for v in ds.data_vars if ds[v].dtype.kind == "f" and v != "time"}
    encoding["time"] = {"_FillValue": -9999000.0, "dtype": "float64"} if "time" in ds else {}
    encoding = {k: v for k, v in encoding.items() if v}
    ds.to_netcdf(path, engine="netcdf4", encoding=encoding)
    return path


def test_ibtracs_flattens_grid_and_decodes_quirks(tmp_path):
    df = load_ibtracs(write_ibtracs(tmp_path / "ib.nc"))
    assert len(df) == 5  # empty padding cells dropped
    assert list(df.index) == [0, 1, 2, 4, 5]  # storm_index * N_STEPS + step
    # byte strings decoded; basin "NA" (North Atlantic) is text, not missing
    assert df["basin"].tolist() == ["SP", "SP", "SP", "NA", "NA"]
    assert df["basin"].notna().all()
    assert df["storm_id"].iloc[0] == "2090001S15170"
    assert df["name"].iloc[0] == "TESTALPHA" and df["name"].isna().iloc[3:].all()
    # float days with noise are rounded to the minute
    assert df["time_utc"].iloc[0] == pd.Timestamp("2090-01-01 00:00:00")
    assert df["time_utc"].iloc[4] == pd.Timestamp("2090-08-01 18:00:00")
    assert str(df["time_utc"].dtype) == "datetime64[ns]"
    # 181°E is wrapped to -179
    assert df["longitude"].iloc[2] == pytest.approx(-179.0)
    assert df["season"].dtype == "Int64" and df["season"].iloc[0] == 2090


def test_ibtracs_keeps_wmo_and_usa_winds_apart(tmp_path):
    df = load_ibtracs(write_ibtracs(tmp_path / "ib.nc"))
    assert df["wind_wmo_kt"].tolist()[:2] == [35.0, 45.0]
    assert df["wind_wmo_avg_period_min"].tolist() == [10, 10, pd.NA, 1, 1]  # nadi, atlantic
    assert df["wmo_agency"].tolist()[:2] == ["nadi", "nadi"] and pd.isna(df["wmo_agency"].iloc[2])
    assert np.isnan(df["wind_wmo_kt"].iloc[2])
    assert df["wind_usa_kt"].iloc[2] == 55.0
    assert df["usa_reported"].tolist() == [True, False, True, True, True]
    assert df["pressure_wmo_hpa"].iloc[0] == 995.0
    assert df["dist2land_km"].iloc[0] == 100.0
    assert df["track_type"].tolist() == ["main"] * 3 + ["PROVISIONAL"] * 2


def test_ibtracs_missing_variable_names_file_and_variable(tmp_path):
    path = write_ibtracs(tmp_path / "ib.nc", drop=("wmo_agency",))
    with pytest.raises(DataFormatError, match=r"ib\.nc.*wmo_agency"):
        load_ibtracs(path)


def test_ibtracs_not_netcdf(tmp_path):
    path = tmp_path / "ib.nc"
    path.write_text("not a netcdf file")
    with pytest.raises(DataFormatError, match="netCDF"):
        load_ibtracs(path)


def test_ibtracs_bad_latitude_names_record_and_column(tmp_path):
    storms = [dict(IBTRACS_STORMS[0]), IBTRACS_STORMS[1]]
    fixes = list(storms[0]["fixes"])
    fixes[1] = (fixes[1][0], "SP", -95.0, *fixes[1][3:])
    storms[0]["fixes"] = fixes
    with pytest.raises(DataValidationError, match=r"record 1, column 'latitude'") as err:
        load_ibtracs(write_ibtracs(tmp_path / "ib.nc", storms=storms))
    assert err.value.failures["record"].tolist() == [1]


def test_ibtracs_wmo_wind_from_unknown_agency_fails(tmp_path):
    storms = [dict(IBTRACS_STORMS[0])]
    storms[0]["fixes"] = [
        ("2090-01-01 00:00:00", "SP", -15.0, 170.0, "newagency", 35, 995) + (np.nan,) * 3
    ]
    with pytest.raises(DataValidationError, match="averaging period"):
        load_ibtracs(write_ibtracs(tmp_path / "ib.nc", storms=storms))


REISSUED = {
    # TESTALPHA re-issued under a new SID with slightly moved positions and an earlier start
    "sid": "2089365S14169",
    "season": 2090,
    "name": "TESTALPHA",
    "track_type": "main",
    "fixes": [
        ("2089-12-31 21:00:00", "SP", -14.8, 169.0, "nadi", 30, 998, np.nan, np.nan, np.nan),
        ("2090-01-01 00:00:00", "SP", -15.1, 170.2, "nadi", 40, 993, np.nan, np.nan, np.nan),
        ("2090-01-01 03:00:00", "SP", -15.6, 175.1, "nadi", 50, 988, np.nan, np.nan, np.nan),
        ("2090-01-01 06:00:00", "SP", -16.1, -178.9, "nadi", 55, 985, np.nan, np.nan, np.nan),
    ],
}


def test_ibtracs_all_drops_duplicate_fixes_and_reissued_storms(tmp_path):
    old = write_ibtracs(tmp_path / "old.nc")
    new = write_ibtracs(tmp_path / "new.nc", storms=[REISSUED, IBTRACS_STORMS[1]])
    df = load_ibtracs_all(old, new)
    note = df.attrs["ibtracs_overlap"]
    assert note["duplicate_fixes_dropped"] == 2  # same SID and time
    assert note["reissued_storms_dropped"] == {"2090001S15170": "2089365S14169"}
    assert note["fixes_dropped"] == 5
    assert set(df["storm_id"]) == {"2089365S14169", "2090002N25290"}
    assert (df.loc[df["storm_id"] == "2090002N25290", "source"] == "ibtracs_last3years").all()
    assert len(df) == 6


# --- JTWC -----------------------------------------------------------------------------------


def test_jtwc_csv_quirks(fixtures):
    df = load_jtwc_wnp(fixtures / "hazards" / "jtwc_wnp_sample.csv")
    assert len(df) == 6
    assert df["storm_id"].tolist() == ["196101"] * 3 + ["202002"] * 3
    assert df["season"].tolist() == [1961] * 3 + [2020] * 3
    assert df["cyclone_number"].tolist() == [1, 1, 1, 2, 2, 2]
    # 0 kt -> NA with wind_zero; -999 -> NA
    assert df["wind_kt"].isna().tolist() == [True, True, False, False, False, False]
    assert df["wind_zero"].tolist() == [True, False, False, False, False, False]
    assert df["wind_kt"].iloc[5] == 140.0
    # MSLP empty, 0 and -1 are missing
    assert df["pressure_hpa"].isna().tolist() == [True, True, True, False, False, True]
    # longitude east of the dateline stays negative, as published
    assert df["longitude"].iloc[3] == -179.5 and df["longitude"].iloc[4] == 179.8
    # off-synoptic hour kept
    assert df["time_utc"].iloc[4] == pd.Timestamp("2020-09-01 21:00")
    assert pd.isna(df["grade"].iloc[0]) and df["grade"].iloc[5] == "Cat5"
    assert str(df["time_utc"].dtype) == "datetime64[ns]"


def test_jtwc_atcf_file_folder_and_zip(fixtures, tmp_path):
    src = fixtures / "hazards" / "bwp022020.dat"
    folder = tmp_path / "bwp"
    folder.mkdir()
    shutil.copy(src, folder / src.name)
    archive = tmp_path / "bwp2020.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(src, src.name)
    for path in (src, folder, archive):
        df = load_jtwc_wnp(path)
        assert len(df) == 3, path  # the 00 UTC fix repeated per wind radius is one fix
        assert df["storm_id"].tolist() == ["202002"] * 3
        assert df["longitude"].tolist() == [-179.5, 179.8, 179.1]
        assert df["latitude"].tolist() == [20.1, 20.4, 20.8]
        assert df["wind_kt"].tolist() == [45.0, 65.0, 20.0]
        assert df["pressure_hpa"].isna().tolist() == [False, False, True]  # 0 = missing
        assert df["grade"].tolist() == ["TS", "Cat1", "TD"]
        assert df["nature"].tolist() == ["TS", "TY", "TD"]
        assert df.index[0] == "bwp022020.dat:0"


def test_jtwc_missing_column(fixtures, tmp_path):
    raw = pd.read_csv(fixtures / "hazards" / "jtwc_wnp_sample.csv", dtype=str)
    path = tmp_path / "jtwc.csv"
    raw.drop(columns="VMax").to_csv(path, index=False)
    with pytest.raises(DataFormatError, match=r"jtwc\.csv.*VMax"):
        load_jtwc_wnp(path)


def test_jtwc_bad_values_name_record_and_column(fixtures, tmp_path):
    raw = pd.read_csv(
        fixtures / "hazards" / "jtwc_wnp_sample.csv", dtype=str, keep_default_na=False
    )
    raw.loc[2, "Lat"] = "95.0"
    raw.loc[4, "Cat"] = "Cat9"
    path = tmp_path / "jtwc.csv"
    raw.to_csv(path, index=False)
    with pytest.raises(DataValidationError) as err:
        load_jtwc_wnp(path)
    failures = err.value.failures
    assert set(zip(failures["record"], failures["column"], strict=True)) == {
        (2, "latitude"),
        (4, "grade"),
    }


def test_jtwc_impossible_date(fixtures, tmp_path):
    raw = pd.read_csv(
        fixtures / "hazards" / "jtwc_wnp_sample.csv", dtype=str, keep_default_na=False
    )
    raw.loc[1, "Day"] = "31"
    raw.loc[1, "Month"] = "6"
    path = tmp_path / "jtwc.csv"
    raw.to_csv(path, index=False)
    with pytest.raises(DataValidationError, match=r"record 1, column 'time_utc'"):
        load_jtwc_wnp(path)


# --- IMD parquet ----------------------------------------------------------------------------

IMD_ROWS = [
    # storm_id, year, serial, basin, name, time, lat, lon, ci, pres, wind, drop, oci, diam,
    # grade, step, pos_suspect, date_suspect
    (
        "1990-001",
        1990,
        1,
        "BOB",
        None,
        "1990-05-01 03:00",
        14.0,
        85.0,
        1.5,
        1000,
        25,
        3,
        None,
        None,
        "D",
        0,
        False,
        False,
    ),
    (
        "1990-001",
        1990,
        1,
        "BOB",
        None,
        "1990-05-01 06:00",
        14.5,
        84.5,
        2.0,
        998,
        30,
        5,
        1004,
        5,
        "DD",
        1,
        False,
        False,
    ),
    (
        "1990-001",
        1990,
        1,
        "BOB",
        None,
        "1990-01-05 09:00",
        15.0,
        84.0,
        2.5,
        994,
        35,
        8,
        None,
        None,
        "CS",
        2,
        False,
        True,
    ),
    (
        "1990-001",
        1990,
        1,
        "BOB",
        None,
        "1990-05-01 12:00",
        15.5,
        83.5,
        3.0,
        990,
        45,
        12,
        None,
        None,
        "SCS",
        3,
        False,
        False,
    ),
    (
        "1991-002",
        1991,
        2,
        "ARB",
        "TESTBETA",
        "1991-06-10 00:00",
        15.0,
        65.0,
        1.5,
        1002,
        25,
        3,
        None,
        None,
        "D",
        0,
        False,
        False,
    ),
    (
        "1991-002",
        1991,
        2,
        "ARB",
        "TESTBETA",
        "1991-06-10 03:00",
        30.0,
        65.5,
        1004,
        30,
        2,
        None,
        None,
        None,
        None,
        1,
        True,
        False,
    ),
    (
        "1991-002",
        1991,
        2,
        "ARB",
        "TESTBETA",
        "1991-06-10 06:00",
        16.0,
        66.0,
        7.0,
        900,
        120,
        80,
        4001,
        8,
        "SuCS",
        2,
        False,
        False,
    ),
]
IMD_COLUMNS = list(imd.IMD_PARQUET_COLUMNS)


def imd_frame(rows=IMD_ROWS) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=IMD_COLUMNS)
    df["time"] = pd.to_datetime(df["time"]).astype("datetime64[us]")
    df["basin"] = df["basin"].astype("category")
    df["grade"] = pd.Categorical(df["grade"], categories=list(imd.IMD_GRADES), ordered=True)
    for col in ("ci_no", "pressure", "wind", "pressure_drop", "oci", "oci_diameter", "lat", "lon"):
        df[col] = df[col].astype("float64")
    return df


def write_imd_parquet(path, df=None):
    (imd_frame() if df is None else df).to_parquet(path, engine="pyarrow", index=False)
    return path


def test_imd_observations_parquet(tmp_path):
    df = load_imd_observations(write_imd_parquet(tmp_path / "obs.parquet"))
    assert len(df) == 7
    assert df["grade"].cat.ordered
    assert list(df["grade"].cat.categories) == ["D", "DD", "CS", "SCS", "VSCS", "ESCS", "SuCS"]
    assert df["grade"].max() == "SuCS"
    assert (df["grade"] > "DD").tolist() == [False, False, True, True, False, False, True]
    assert df["name"].isna().tolist() == [True] * 4 + [False] * 3
    assert str(df["time_utc"].dtype) == "datetime64[ns]"
    assert df["wind_kt"].iloc[0] == 25.0
    # date_suspect kept as published, not fixed silently
    assert df["date_suspect"].tolist() == [False, False, True, False, False, False, False]
    assert df["time_utc"].iloc[2] == pd.Timestamp("1990-01-05 09:00")
    assert not df["date_swapped"].any()
    # a row with shifted intensity cells: ci/pressure/wind become NA and the fix is flagged
    assert df["intensity_suspect"].tolist() == [False] * 5 + [True, True]
    assert df[["ci_no", "pressure_hpa", "wind_kt"]].iloc[5].isna().all()
    assert df["latitude"].iloc[5] == 30.0 and df["pos_suspect"].iloc[5]
    # an impossible outermost-isobar pressure (4001) is NA, the rest of the fix kept
    assert np.isnan(df["oci_hpa"].iloc[6]) and df["wind_kt"].iloc[6] == 120.0
    assert df["oci_hpa"].iloc[1] == 1004.0


def test_imd_fix_swapped_dates(tmp_path):
    df = load_imd_observations(write_imd_parquet(tmp_path / "obs.parquet"), fix_swapped_dates=True)
    assert df["time_utc"].iloc[2] == pd.Timestamp("1990-05-01 09:00")
    assert df["date_swapped"].tolist() == [False, False, True, False, False, False, False]
    assert df["date_suspect"].iloc[2]  # the flag stays


def test_imd_missing_column(tmp_path):
    path = write_imd_parquet(tmp_path / "obs.parquet", imd_frame().drop(columns="wind"))
    with pytest.raises(DataFormatError, match=r"obs\.parquet.*wind"):
        load_imd_observations(path)


def test_imd_bad_values_name_record_and_column(tmp_path):
    df = imd_frame()
    df.loc[3, "lon"] = 200.0
    df["grade"] = df["grade"].astype("string")
    df.loc[4, "grade"] = "XX"
    with pytest.raises(DataValidationError, match=r"record 4, column 'grade'"):
        load_imd_observations(write_imd_parquet(tmp_path / "obs.parquet", df))
    df.loc[4, "grade"] = "D"
    with pytest.raises(DataValidationError, match=r"record 3, column 'longitude'"):
        load_imd_observations(write_imd_parquet(tmp_path / "obs.parquet", df))


def test_imd_storms_and_remarks(tmp_path):
    storms = pd.DataFrame(
        {
            "storm_id": ["1990-001", "1991-002"],
            "year": [1990, 1991],
            "serial": [1, 2],
            "name": [None, "TESTBETA"],
            "basin": pd.Categorical(["BOB", "ARB"]),
            "start_time": pd.to_datetime(["1990-05-01 03:00", "1991-06-10 00:00"]).astype(
                "datetime64[us]"
            ),
            "end_time": pd.to_datetime(["1990-05-01 12:00", "1991-06-10 06:00"]).astype(
                "datetime64[us]"
            ),
            "n_obs": [4, 3],
            "max_wind": [45.0, 120.0],
            "min_pressure": [990.0, 30.0],
            "peak_grade": ["SCS", "SuCS"],
        }
    )
    storms.to_parquet(tmp_path / "storms.parquet", index=False)
    df = load_imd_storms(tmp_path / "storms.parquet")
    assert df["peak_grade"].cat.ordered and df["peak_grade"].tolist() == ["SCS", "SuCS"]
    assert df["min_pressure_hpa"].iloc[0] == 990.0 and np.isnan(df["min_pressure_hpa"].iloc[1])
    assert str(df["start_time_utc"].dtype) == "datetime64[ns]"
    assert df["n_obs"].tolist() == [4, 3]

    remarks = pd.DataFrame(
        {
            "storm_id": ["1990-001"],
            "year": [1990],
            "serial": [1],
            "date": pd.to_datetime(["1990-05-01"]).astype("datetime64[us]"),
            "remark": ["Crossed the test coast near TESTVILLE"],
        }
    )
    remarks.to_parquet(tmp_path / "remarks.parquet", index=False)
    rem = load_imd_remarks(tmp_path / "remarks.parquet")
    assert rem["remark"].iloc[0] == "Crossed the test coast near TESTVILLE"
    assert rem["date"].iloc[0] == pd.Timestamp("1990-05-01")


def test_imd_manifest(fixtures, tmp_path):
    manifest = load_imd_manifest(fixtures / "hazards" / "imd_manifest.json")
    assert manifest["n_obs"] == 7 and manifest["year_min"] == 1990
    assert manifest["generated_at"] == pd.Timestamp("2099-01-02T03:04:05Z")
    bad = tmp_path / "manifest.json"
    bad.write_text('{"format": 1, "n_obs": 7}')
    with pytest.raises(DataFormatError, match=r"manifest\.json.*n_storms"):
        load_imd_manifest(bad)


# --- IMD workbook (best-effort reader) -----------------------------------------------------

WORKBOOK_HEADER = [
    "Serial Number of system during year",
    "Basin of origin",
    "Name",
    "Date(DD/MM/YYYY)",
    "Time (UTC)",
    "Latitude (lat. °N)",
    "Longitude (long. °E)",
    "CI No [or T. No]",
    "Estimated Central Pressure (hPa)",
    "Maximum Sustained Surface Wind (kt)",
    "Pressure Drop (hPa)",
    "Grade (text)",
    "Outermost closed isobar (hPa)",
    "Diameter of outermost closed isobar (°)",
]


def write_workbook(path, header=WORKBOOK_HEADER):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "1990"
    ws.append(["Best track data of TEST disturbances, synthetic"])
    ws.append(header)
    ws.append(
        [
            1,
            "BOB",
            "TESTALPHA",
            datetime(1990, 5, 1),
            "0300",
            14.0,
            85.0,
            1.5,
            1000,
            25,
            3,
            "D",
            None,
            None,
        ]
    )
    ws.append([None, None, None, None, 600, 14.5, 84.5, 2.0, 998, 30, 5, "DD", 1004, 5])
    ws.append([None, None, None, None, "Crossed the TESTLAND coast near TESTVILLE at 0700 UTC"])
    ws.append(
        [None, None, None, datetime(1990, 5, 2), 0, 15.0, 84.0, 2.5, 994, 35, 8, "CS", None, None]
    )
    ws.append([])
    ws.append(
        [2, "AS", "-", "16-06-1990", 1200, 18.0, 65.0, None, 1002, 25, 3, "D over land", None, None]
    )
    ws2 = wb.create_sheet("1991")
    ws2.append(header)
    ws2.append(
        [1, "LAND", None, "01/07/1991", "1800", 22.0, 80.0, None, 996, "30", 4, "DD", None, None]
    )
    wb.create_sheet("Notes").append(["Synthetic notes sheet, ignored"])
    wb.save(path)
    return path


def test_imd_workbook_observations(tmp_path):
    df = load_imd_observations(write_workbook(tmp_path / "TEST_Best_Tracks.xlsx"))
    assert df["storm_id"].tolist() == ["1990-001"] * 3 + ["1990-002", "1991-001"]
    assert df.index.tolist() == ["1990!3", "1990!4", "1990!6", "1990!8", "1991!2"]
    assert (
        df["time_utc"].tolist()
        == pd.to_datetime(
            [
                "1990-05-01 03:00",
                "1990-05-01 06:00",
                "1990-05-02 00:00",
                "1990-06-16 12:00",
                "1991-07-01 18:00",
            ]
        ).tolist()
    )
    assert df["name"].tolist()[:3] == ["TESTALPHA"] * 3 and df["name"].isna().tolist()[3:] == [
        True,
        True,
    ]
    assert df["basin"].tolist() == ["BOB", "BOB", "BOB", "ARB", "LAND"]
    assert df["grade"].astype(str).tolist() == ["D", "DD", "CS", "D", "DD"]
    assert df["wind_kt"].tolist() == [25.0, 30.0, 35.0, 25.0, 30.0]
    assert df["oci_hpa"].iloc[1] == 1004.0 and df["oci_diameter_deg"].iloc[1] == 5.0
    assert df["step"].tolist() == [0, 1, 2, 0, 0]
    assert not df["date_suspect"].any() and not df["pos_suspect"].any()


def test_imd_workbook_storms_remarks_manifest(tmp_path):
    path = write_workbook(tmp_path / "TEST_Best_Tracks.xlsx")
    storms = load_imd_storms(path)
    assert storms["storm_id"].tolist() == ["1990-001", "1990-002", "1991-001"]
    assert storms["n_obs"].tolist() == [3, 1, 1]
    assert storms["peak_grade"].astype(str).tolist() == ["CS", "D", "DD"]
    remarks = load_imd_remarks(path)
    assert remarks["remark"].tolist() == ["Crossed the TESTLAND coast near TESTVILLE at 0700 UTC"]
    assert remarks["storm_id"].tolist() == ["1990-001"]
    assert remarks["date"].tolist() == [pd.Timestamp("1990-05-01")]
    manifest = load_imd_manifest(path)
    assert (manifest["n_storms"], manifest["n_obs"], manifest["n_remarks"]) == (3, 5, 1)
    assert (manifest["year_min"], manifest["year_max"]) == (1990, 1991)


def test_imd_workbook_missing_header_field(tmp_path):
    header = [h for h in WORKBOOK_HEADER if not h.startswith("Latitude")] + [None]
    path = write_workbook(tmp_path / "TEST_Best_Tracks.xlsx", header=header)
    with pytest.raises(DataFormatError, match=r"TEST_Best_Tracks\.xlsx.*'1990'.*lat"):
        load_imd_observations(path)


def test_imd_date_and_position_flags_on_workbook_rules():
    # a storm with one day/month-swapped fix and one isolated position spike
    obs = pd.DataFrame(
        {
            "storm_id": ["1990-001"] * 5,
            "time": pd.to_datetime(
                [
                    "1990-05-01 00:00",
                    "1990-05-01 06:00",
                    "1990-01-05 12:00",
                    "1990-05-01 15:00",
                    "1990-05-01 21:00",
                ]
            ),
            "lat": [14.0, 14.5, 15.0, 25.0, 16.0],
            "lon": [85.0, 84.5, 84.0, 84.0, 83.0],
        }
    )
    flag, swapped = imd._imd_flag_dates(obs)
    assert flag.tolist() == [False, False, True, False, False]
    assert swapped.iloc[2] == pd.Timestamp("1990-05-01 12:00")
    assert imd._imd_flag_positions(obs).tolist() == [False, False, False, True, False]


# --- the common fix table -------------------------------------------------------------------


def test_tracks_fixes_common_table(fixtures, tmp_path):
    old = write_ibtracs(tmp_path / "old.nc")
    new = write_ibtracs(tmp_path / "new.nc", storms=[REISSUED])
    fixes = tracks_fixes(
        ibtracs_sp_path=old,
        ibtracs_last3years_path=new,
        jtwc_path=fixtures / "hazards" / "jtwc_wnp_sample.csv",
        imd_path=write_imd_parquet(tmp_path / "obs.parquet"),
    )
    assert list(fixes.columns) == list(tracks.FIX_COLUMNS)
    counts = fixes["agency"].value_counts().to_dict()
    # WMO: 2 NA-basin fixes + 4 re-issued; USA: only fixes with a US position (2 + 0)
    assert counts == {"ibtracs_wmo": 6, "ibtracs_usa": 2, "jtwc": 6, "imd": 7}
    period = fixes.groupby("agency")["wind_avg_period_min"].agg(lambda s: sorted(set(s.dropna())))
    assert period.to_dict() == {"ibtracs_usa": [1], "ibtracs_wmo": [1, 10], "imd": [3], "jtwc": [1]}
    imd = fixes[fixes["agency"] == "imd"]
    assert imd["basin"].unique().tolist() == ["NI"] and imd["season"].tolist()[:1] == [1990]
    assert imd["fix_suspect"].tolist() == [False, False, True, False, False, True, False]
    assert imd["grade"].iloc[6] == "SuCS"
    jtwc = fixes[fixes["agency"] == "jtwc"]
    assert jtwc["basin"].unique().tolist() == ["WP"] and jtwc["wind_kt"].isna().sum() == 2
    usa = fixes[fixes["agency"] == "ibtracs_usa"]
    assert usa["wind_kt"].tolist() == [50.0, 60.0] and usa["storm_id"].unique().tolist() == [
        "2090002N25290"
    ]
    assert fixes["record"].iloc[0] == "4"  # record in the SP file's grid
    assert str(fixes["time_utc"].dtype) == "datetime64[ns]"
    only = tracks_fixes(["jtwc"], jtwc_path=fixtures / "hazards" / "jtwc_wnp_sample.csv")
    assert only["agency"].unique().tolist() == ["jtwc"]
    with pytest.raises(ValueError, match="unknown agencies"):
        tracks_fixes(["jma"])


def test_agency_coverage_describes_every_agency():
    assert set(tracks.AGENCY_COVERAGE) == set(tracks.AGENCIES)
    for info in tracks.AGENCY_COVERAGE.values():
        for start, end in info["coverage"].values():
            assert pd.Timestamp(start) < pd.Timestamp(end)
    assert any("South Indian" in gap for gap in tracks.COVERAGE_GAPS)
