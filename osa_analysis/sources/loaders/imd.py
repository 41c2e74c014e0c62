"""IMD RSMC New Delhi best tracks of the North Indian Ocean, 1982 → 2026-01.

Registered files (mirror MANIFEST §6): ``imd_observations``, ``imd_storms``, ``imd_remarks``
and ``imd_manifest``, as converted to parquet by the ``imdtrack`` project.
:func:`load_imd_observations` (also reads IMD's Excel workbook), :func:`load_imd_storms`,
:func:`load_imd_remarks`, :func:`load_imd_manifest`. Conventions:
:mod:`~osa_analysis.sources.loaders.tracks_common`.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.geo import haversine_km
from osa_analysis.core.validation import (
    DataFormatError,
    require_columns,
    validate,
)
from osa_analysis.sources.fetch import fetch, sha256_of
from osa_analysis.sources.loaders.tracks_common import (
    LAT,
    LON,
    PRES,
    WIND,
    check_failures,
    is_parquet,
    is_zip,
)

IMD_GRADES = ("D", "DD", "CS", "SCS", "VSCS", "ESCS", "SuCS")
"""IMD intensity grades, weakest first: Depression, Deep Depression, Cyclonic Storm, Severe
CS, Very Severe CS, Extremely Severe CS, Super CS."""

IMD_GRADE_DTYPE = pd.CategoricalDtype(list(IMD_GRADES), ordered=True)

IMD_BASINS = ("BOB", "ARB", "LAND")
"""IMD basin of origin: Bay of Bengal, Arabian Sea, formed over land."""

_IMD_ID = pa.Check.str_matches(r"^\d{4}-\d{3}$")

IMD_OBSERVATIONS_SCHEMA = pa.DataFrameSchema(
    {
        "storm_id": pa.Column("string", _IMD_ID),
        "year": pa.Column("int64", pa.Check.in_range(1800, 2100)),
        "serial": pa.Column("int64", pa.Check.in_range(1, 999)),
        "basin": pa.Column("string", pa.Check.isin(IMD_BASINS), nullable=True),
        "name": pa.Column("string", nullable=True),
        "time_utc": pa.Column("datetime64[ns]"),
        "latitude": pa.Column("float64", LAT),
        "longitude": pa.Column("float64", LON),
        "ci_no": pa.Column("float64", pa.Check.in_range(0, 8), nullable=True),
        "pressure_hpa": pa.Column("float64", PRES, nullable=True),
        "wind_kt": pa.Column("float64", WIND, nullable=True),
        "pressure_drop_hpa": pa.Column("float64", pa.Check.in_range(0, 150), nullable=True),
        "oci_hpa": pa.Column("float64", PRES, nullable=True),
        "oci_diameter_deg": pa.Column("float64", pa.Check.in_range(0, 40), nullable=True),
        "grade": pa.Column(IMD_GRADE_DTYPE, nullable=True),
        "step": pa.Column("int64", pa.Check.ge(0)),
        "pos_suspect": pa.Column("bool"),
        "date_suspect": pa.Column("bool"),
        "intensity_suspect": pa.Column("bool"),
        "date_swapped": pa.Column("bool"),
    },
    strict=True,
    ordered=True,
)

IMD_STORMS_SCHEMA = pa.DataFrameSchema(
    {
        "storm_id": pa.Column("string", _IMD_ID, unique=True),
        "year": pa.Column("int64", pa.Check.in_range(1800, 2100)),
        "serial": pa.Column("int64", pa.Check.in_range(1, 999)),
        "name": pa.Column("string", nullable=True),
        "basin": pa.Column("string", pa.Check.isin(IMD_BASINS), nullable=True),
        "start_time_utc": pa.Column("datetime64[ns]"),
        "end_time_utc": pa.Column("datetime64[ns]"),
        "n_obs": pa.Column("int64", pa.Check.ge(1)),
        "max_wind_kt": pa.Column("float64", WIND, nullable=True),
        "min_pressure_hpa": pa.Column("float64", PRES, nullable=True),
        "peak_grade": pa.Column(IMD_GRADE_DTYPE, nullable=True),
    },
    checks=[
        pa.Check(
            lambda df: df["start_time_utc"] <= df["end_time_utc"],
            name="start_before_end",
            error="start_time_utc must not be after end_time_utc",
        )
    ],
    strict=True,
    ordered=True,
)

IMD_REMARKS_SCHEMA = pa.DataFrameSchema(
    {
        "storm_id": pa.Column("string", _IMD_ID),
        "year": pa.Column("int64", pa.Check.in_range(1800, 2100)),
        "serial": pa.Column("int64", pa.Check.in_range(1, 999)),
        "date": pa.Column("datetime64[ns]", nullable=True),
        "remark": pa.Column("string", pa.Check.str_length(min_value=1)),
    },
    strict=True,
    ordered=True,
)

IMD_MANIFEST_KEYS = (
    "format",
    "source_url",
    "source_sha256",
    "generated_at",
    "n_storms",
    "n_obs",
    "n_remarks",
    "year_min",
    "year_max",
)


IMD_PARQUET_COLUMNS = (
    "storm_id",
    "year",
    "serial",
    "basin",
    "name",
    "time",
    "lat",
    "lon",
    "ci_no",
    "pressure",
    "wind",
    "pressure_drop",
    "oci",
    "oci_diameter",
    "grade",
    "step",
    "pos_suspect",
    "date_suspect",
)

IMD_RENAMES = {
    "time": "time_utc",
    "lat": "latitude",
    "lon": "longitude",
    "pressure": "pressure_hpa",
    "wind": "wind_kt",
    "pressure_drop": "pressure_drop_hpa",
    "oci": "oci_hpa",
    "oci_diameter": "oci_diameter_deg",
}

IMD_MAX_TRANSLATION_KMH = 110.0
"""Workbook QC: a fix is a position spike when both neighbouring legs exceed this speed."""

IMD_MAX_STORM_SPREAD_DAYS = 15
"""Workbook QC: a fix further than this from its storm's median time, which a day/month swap
brings back within it, has its day and month swapped."""

_IMD_SHEET_FIELDS = (
    # (field, test on the lower-case header); the first matching test wins, in this order
    ("serial", lambda h: "serial" in h),
    ("basin", lambda h: "basin" in h),
    ("name", lambda h: h.startswith("name")),
    ("date", lambda h: "date" in h),
    ("time", lambda h: "time" in h),
    ("lat", lambda h: "lat" in h),
    ("lon", lambda h: "lon" in h),
    ("ci_no", lambda h: h.startswith("ci") or "ci no" in h or "t.no" in h or "t. no" in h),
    ("pressure_drop", lambda h: "drop" in h or "delta" in h),
    ("pressure", lambda h: "central pressure" in h or "e.c.p" in h or "ecp" in h),
    ("wind", lambda h: "wind" in h),
    ("oci_diameter", lambda h: "diameter" in h or "size" in h),
    ("oci", lambda h: "isobar" in h or "oci" in h),
    ("grade", lambda h: "grade" in h),
)
_IMD_SHEET_REQUIRED = ("serial", "date", "time", "lat", "lon")
_IMD_BASIN_CODES = {"BOB": "BOB", "ARB": "ARB", "AS": "ARB", "LAND": "LAND"}
_IMD_GRADE_CODES = {g.upper(): g for g in IMD_GRADES}


def _imd_sheet_columns(header: pd.Series, sheet: str, path: Path) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for idx, cell in header.items():
        if pd.isna(cell):
            continue
        h = re.sub(r"\s+", " ", str(cell).strip().lower())
        for field, test in _IMD_SHEET_FIELDS:
            if test(h):
                mapping.setdefault(field, idx)  # first column wins (split date columns)
                break
    missing = [f for f in _IMD_SHEET_REQUIRED if f not in mapping]
    if missing:
        raise DataFormatError(
            f"{path}: sheet {sheet!r} has no column for {missing} in its header "
            f"{[c for c in header if pd.notna(c)]}"
        )
    return mapping


def _cell_number(s: pd.Series) -> pd.Series:
    """Leading number of each cell (handles stray units and text), else NA."""
    text = s.astype("string").str.strip()
    return pd.to_numeric(text.str.extract(r"^([-+]?\d*\.?\d+)", expand=False), errors="coerce")


def _cell_date(s: pd.Series) -> pd.Series:
    """Workbook dates: Excel dates, or day-first text (``16-06-2008``, ``01/10/2025``)."""
    is_date = s.map(lambda v: isinstance(v, (datetime, date)))
    out = pd.to_datetime(s.where(is_date), errors="coerce").dt.normalize()
    text = s.where(~is_date & s.notna()).astype("string").str.strip()
    dmy = text.str.extract(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})$")
    dmy = dmy.apply(pd.to_numeric, errors="coerce").astype("float64")
    year = dmy[2].where(dmy[2] >= 100, dmy[2] + 2000)
    parsed = pd.to_datetime(
        pd.DataFrame({"year": year, "month": dmy[1], "day": dmy[0]}), errors="coerce"
    )
    return out.fillna(parsed).astype("datetime64[ns]")


def _cell_minutes(s: pd.Series) -> pd.Series:
    """Workbook times: HHMM numbers or text (``0300``, ``300``, ``0``) or time cells."""
    as_time = s.map(lambda v: v.hour * 100 + v.minute if isinstance(v, (dtime, datetime)) else v)
    text = as_time.astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    hhmm = pd.to_numeric(text.where(text.str.fullmatch(r"\d{1,4}").fillna(False)), errors="coerce")
    hh, mm = hhmm // 100, hhmm % 100
    return (hh * 60 + mm).where((hh <= 23) & (mm <= 59))


def _imd_names(s: pd.Series) -> pd.Series:
    text = s.astype("string").str.strip().str.upper().str.strip("'\"‘’“” ")
    ok = text.str.fullmatch(r"[A-Z][A-Z -]{0,19}").fillna(False) & (text.str.count(" ") <= 1)
    return text.where(ok)


def _imd_flag_dates(obs: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Flag fixes whose day and month look swapped; return (flag, swapped time)."""
    t = obs["time"]
    key = obs["storm_id"]
    n = key.map(key.value_counts())
    median = t.groupby(key).transform("median")
    swapped = pd.to_datetime(
        pd.DataFrame({"year": t.dt.year, "month": t.dt.day, "day": t.dt.month}), errors="coerce"
    ) + (t - t.dt.normalize())
    swappable = (t.dt.day <= 12) & (t.dt.day != t.dt.month) & swapped.notna()
    spread = pd.Timedelta(days=IMD_MAX_STORM_SPREAD_DAYS)
    flag = (
        (n >= 3) & swappable & ((t - median).abs() > spread) & ((swapped - median).abs() <= spread)
    )
    return flag.fillna(False).astype(bool), swapped


def _imd_flag_positions(obs: pd.DataFrame) -> pd.Series:
    """Flag isolated position spikes: both legs faster than IMD_MAX_TRANSLATION_KMH."""
    order = obs.sort_values(["storm_id", "time"], kind="stable")
    g = order.groupby("storm_id", sort=False)
    dist = haversine_km(g["lat"].shift(), g["lon"].shift(), order["lat"], order["lon"])
    hours = (order["time"] - g["time"].shift()).dt.total_seconds() / 3600
    speed_in = pd.Series(np.where(hours > 0, dist / hours, np.nan), index=order.index)
    speed_out = speed_in.groupby(order["storm_id"], sort=False).shift(-1)
    flag = (speed_in > IMD_MAX_TRANSLATION_KMH) & (speed_out > IMD_MAX_TRANSLATION_KMH)
    return flag.reindex(obs.index).fillna(False).astype(bool)


def _read_imd_workbook(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Best-effort reader of IMD's best-track workbook → (observations, remarks) raw frames.

    Untested against the real workbook (not available offline); see
    :func:`load_imd_observations`.
    """
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    except Exception as exc:
        raise DataFormatError(f"{path}: not a readable Excel workbook ({exc})") from exc
    year_sheets = {n: s for n, s in sheets.items() if str(n).strip().isdigit()}
    if not year_sheets:
        raise DataFormatError(f"{path}: no sheet named after a year; sheets: {list(sheets)}")
    obs_parts, rem_parts = [], []
    for sheet, raw in year_sheets.items():
        year = int(str(sheet).strip())
        is_header = raw.apply(
            lambda col: col.astype("string").str.lower().str.contains("serial", na=False)
        ).any(axis=1)
        if not is_header.any():
            raise DataFormatError(f"{path}: sheet {sheet!r} has no header row naming 'Serial'")
        header_row = int(np.argmax(is_header.to_numpy()))
        cols = _imd_sheet_columns(raw.iloc[header_row], str(sheet), path)
        body = raw.iloc[header_row + 1 :]
        body = body[body.notna().any(axis=1)]
        body.index = [f"{sheet}!{i + 1}" for i in body.index]  # Excel row number
        get = {
            f: body[c] if c in body else pd.Series(pd.NA, index=body.index) for f, c in cols.items()
        }
        for f in (
            "basin",
            "name",
            "ci_no",
            "pressure",
            "wind",
            "pressure_drop",
            "oci",
            "oci_diameter",
            "grade",
        ):
            get.setdefault(f, pd.Series(pd.NA, index=body.index, dtype=object))
        # the serial appears on a storm's first row only; name, basin and the (merged) date
        # cell are forward-filled within the storm, never across storms
        serial = _cell_number(get["serial"]).ffill()
        basin = get["basin"].astype("string").str.strip().str.upper().map(_IMD_BASIN_CODES)
        name = _imd_names(get["name"])
        day = _cell_date(get["date"])
        filled = pd.DataFrame({"basin": basin, "name": name, "day": day}).groupby(serial).ffill()
        minutes = _cell_minutes(get["time"])
        lat, lon = _cell_number(get["lat"]), _cell_number(get["lon"])
        track = serial.notna() & filled["day"].notna() & minutes.notna() & lat.notna() & lon.notna()
        grade_token = (
            get["grade"].astype("string").str.strip().str.upper().str.split(r"[\s/]").str[0]
        )
        obs = pd.DataFrame(
            {
                "year": year,
                "serial": serial,
                "basin": filled["basin"],
                "name": filled["name"],
                "time": filled["day"] + pd.to_timedelta(minutes, unit="min"),
                "lat": lat,
                "lon": lon,
                "ci_no": _cell_number(get["ci_no"]),
                "pressure": _cell_number(get["pressure"]),
                "wind": _cell_number(get["wind"]),
                "pressure_drop": _cell_number(get["pressure_drop"]),
                "oci": _cell_number(get["oci"]),
                "oci_diameter": _cell_number(get["oci_diameter"]),
                "grade": grade_token.map(_IMD_GRADE_CODES),
            }
        )[track]
        obs_parts.append(obs)
        # other rows under a storm holding long text are remarks (landfall, weakening ...)
        rest = body[~track & serial.notna()]
        cells = rest.stack().astype("string").str.strip()
        cells = cells[(cells.str.len() > 12) & cells.str.contains(r"[A-Za-z]")]
        text = cells.groupby(level=0, sort=False).agg(" ".join)
        rem_parts.append(
            pd.DataFrame(
                {
                    "year": year,
                    "serial": serial.reindex(text.index),
                    "date": filled["day"].reindex(text.index),
                    "remark": text,
                }
            )
        )
    obs = pd.concat(obs_parts)
    obs["serial"] = obs["serial"].astype("int64")
    obs["storm_id"] = obs["year"].astype(str) + "-" + obs["serial"].astype(str).str.zfill(3)
    obs = obs.sort_values(["year", "serial", "time"], kind="stable")
    obs["step"] = obs.groupby("storm_id", sort=False).cumcount()
    obs["date_suspect"], _ = _imd_flag_dates(obs)
    obs["pos_suspect"] = _imd_flag_positions(obs)
    rem = pd.concat(rem_parts)
    rem["serial"] = rem["serial"].astype("int64")
    rem["storm_id"] = rem["year"].astype(str) + "-" + rem["serial"].astype(str).str.zfill(3)
    return obs, rem


def _imd_source(path: Path | str | None, source_id: str) -> tuple[Path, bool]:
    """Resolve the path; return it and whether it is IMD's workbook (else parquet/JSON)."""
    path = Path(path) if path else fetch(source_id)
    return path, is_zip(path) or path.suffix.lower() in (".xlsx", ".xlsm")


def load_imd_observations(
    path: Path | str | None = None, *, fix_swapped_dates: bool = False
) -> pd.DataFrame:
    """Load IMD RSMC New Delhi best-track fixes (North Indian Ocean), one row per fix.

    The registered file is the ``imdtrack`` project's parquet conversion of IMD's Excel
    workbook (values unaltered, QC flags added). IMD's own workbook
    (``…Best_Tracks__Data__1982-2026_.xlsx``) is also accepted as ``path`` (detected from
    the content): **a best-effort reader, untested against the real workbook**, written from
    its documented layout: one sheet per year; a header row naming ``Serial``, basin, name,
    ``Date(DD/MM/YYYY)``, ``Time (UTC)`` (HHMM), ``Latitude (lat. °N)``, ``Longitude (long.
    °E)``, ``CI No``, ``Estimated Central Pressure (hPa)``, ``Maximum Sustained Surface Wind
    (kt)``, ``Pressure Drop (hPa)``, ``Grade``, outermost-isobar pressure and diameter
    (matched by keywords); a storm's serial, name, basin and date given on its first row only
    (merged cells, forward-filled); free-text remark rows between fixes (skipped; see
    :func:`load_imd_remarks`). Its index is ``"<sheet>!<Excel row>"``. ``date_suspect`` and
    ``pos_suspect`` are then computed by this module with the rules documented for the
    conversion (:data:`IMD_MAX_STORM_SPREAD_DAYS`, :data:`IMD_MAX_TRANSLATION_KMH`).

    Quirks handled:

    * ``wind`` is a **3-minute** mean (kt): do not pool with 1- or 10-minute winds.
    * ``date_suspect`` (103 fixes, e.g. Nargis 2008): day and month are swapped in the
      workbook. Kept as published unless ``fix_swapped_dates=True``; then those fixes get
      their day and month swapped back and ``date_swapped`` is True.
    * ``pos_suspect`` (2 isolated position spikes, e.g. 40.8°N in 1989-008): kept, flagged.
    * ``intensity_suspect``: a fix whose intensity cells are shifted (a CI number above 8 or
      a central pressure below 850 hPa; in the registered file NADA 2016-12-02 00 UTC, whose
      ``ci_no`` holds 1006, ``pressure`` 25 and ``wind`` 2): ``ci_no``, ``pressure_hpa`` and
      ``wind_kt`` of that fix are set to NA; or whose outermost-isobar pressure is outside
      850–1050 hPa (1992-006: 4001): ``oci_hpa`` is set to NA. Other outliers are kept as
      published (1997-004 has 896 hPa with 30 kt, probably 996).
    * ``date_suspect`` is not exhaustive: 17 storms of the registered file span more than 15
      days (e.g. 1992-006 runs 10 Jul, 10 Aug, 10 Sep 1992: 7–9 Oct written month-first;
      1988-002 ends 1989-06-12), most with no flagged fix. Check storm durations before
      trusting IMD fix dates to the day.
    * ``name`` is NA for unnamed systems.

    Parameters
    ----------
    path : Path or str, optional
        The imdtrack ``observations.parquet`` or IMD's workbook; default: the registered
        ``imd_observations`` file.
    fix_swapped_dates : bool
        Swap day and month back for ``date_suspect`` fixes (default False: as published).

    Returns
    -------
    pandas.DataFrame
        Indexed by record number (parquet) or ``sheet!row`` (workbook). Columns:
        ``storm_id`` (YYYY-NNN), ``year``, ``serial`` (int), ``basin`` (BOB, ARB, LAND),
        ``name``, ``time_utc``, ``latitude``, ``longitude``, ``ci_no`` (Dvorak CI),
        ``pressure_hpa``, ``wind_kt`` (3-minute), ``pressure_drop_hpa``, ``oci_hpa``,
        ``oci_diameter_deg``, ``grade`` (ordered categorical D < DD < CS < SCS < VSCS < ESCS <
        SuCS), ``step`` (fix number within the storm, from 0), ``pos_suspect``,
        ``date_suspect``, ``intensity_suspect``, ``date_swapped`` (bool).

    Raises
    ------
    DataFormatError
        A column (or workbook header field) is missing, or the file is not parquet/xlsx.
    DataValidationError
        Values out of range; the message names the record and column.
    """
    path, is_workbook = _imd_source(path, "imd_observations")
    if is_workbook:
        raw, _ = _read_imd_workbook(path)
    else:
        raw = _read_parquet(path)
    require_columns(raw, IMD_PARQUET_COLUMNS, path)
    df = raw[list(IMD_PARQUET_COLUMNS)].rename(columns=IMD_RENAMES, errors="raise")
    for col in ("storm_id", "basin", "name"):
        df[col] = df[col].astype("string").str.strip().replace("", pd.NA)
    df["name"] = df["name"].str.upper()
    df["time_utc"] = pd.to_datetime(df["time_utc"]).astype("datetime64[ns]")
    for col in ("year", "serial", "step"):
        df[col] = pd.to_numeric(df[col]).astype("int64")
    floats = ["latitude", "longitude", "ci_no", "pressure_hpa", "wind_kt", "pressure_drop_hpa"]
    for col in [*floats, "oci_hpa", "oci_diameter_deg"]:
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    df["grade"] = _imd_grades(df["grade"], path)
    for col in ("pos_suspect", "date_suspect"):
        df[col] = df[col].astype("boolean").fillna(False).astype(bool)
    # shifted intensity cells (CI > 8 or pressure < 850 hPa): the row's ci/pressure/wind are
    # not what their columns say, so they become NA and the fix is flagged
    shifted = ((df["ci_no"] > 8) | (df["pressure_hpa"] < 850)).fillna(False).astype(bool)
    df.loc[shifted, ["ci_no", "pressure_hpa", "wind_kt"]] = np.nan
    # an outermost-isobar pressure outside 850-1050 hPa is a typo (1992-006: 4001): NA
    bad_oci = (~df["oci_hpa"].between(850, 1050) & df["oci_hpa"].notna()).astype(bool)
    df.loc[bad_oci, "oci_hpa"] = np.nan
    df["intensity_suspect"] = shifted | bad_oci
    df["date_swapped"] = False
    if fix_swapped_dates:
        _, swapped = _imd_flag_dates(df.rename(columns={"time_utc": "time"})[["storm_id", "time"]])
        df.loc[df["date_suspect"], "time_utc"] = swapped[df["date_suspect"]]
        df["date_swapped"] = df["date_suspect"] & swapped.notna()
    return validate(df, IMD_OBSERVATIONS_SCHEMA, path)


def _read_parquet(path: Path) -> pd.DataFrame:
    if not is_parquet(path):
        raise DataFormatError(f"{path}: neither a parquet file nor an Excel workbook")
    df = pd.read_parquet(path, engine="pyarrow")
    df.index = pd.RangeIndex(len(df), name="record")
    return df


def _imd_grades(values: pd.Series, path: Path) -> pd.Series:
    """IMD grades as the ordered categorical; an unknown grade fails with its record."""
    text = values.astype("string").str.strip()
    canon = text.str.upper().map(_IMD_GRADE_CODES)
    check_failures(
        path, text.notna() & canon.isna(), "grade", f"isin {list(IMD_GRADES)}", text.to_numpy()
    )
    return canon.astype(IMD_GRADE_DTYPE)


def load_imd_storms(path: Path | str | None = None) -> pd.DataFrame:
    """Load the IMD storm summary, one row per storm.

    The registered file is imdtrack's summary, derived from the fixes; IMD's workbook has no
    such table, so when the workbook is passed as ``path`` the summary is derived here the
    same way from :func:`load_imd_observations` (best effort, untested on the real workbook).
    ``min_pressure_hpa`` below 850 hPa comes from a fix with shifted cells (NADA 2016: 25)
    and is NA; other values are as published.

    Parameters
    ----------
    path : Path or str, optional
        imdtrack ``storms.parquet`` or IMD's workbook; default: registered ``imd_storms``.

    Returns
    -------
    pandas.DataFrame
        Indexed by record number. Columns: ``storm_id``, ``year``, ``serial``, ``name``,
        ``basin``, ``start_time_utc``, ``end_time_utc``, ``n_obs``, ``max_wind_kt``
        (3-minute), ``min_pressure_hpa``, ``peak_grade`` (ordered categorical).

    Raises
    ------
    DataFormatError, DataValidationError
        As for :func:`load_imd_observations`.
    """
    path, is_workbook = _imd_source(path, "imd_storms")
    if is_workbook:
        obs = load_imd_observations(path)
        g = obs.groupby("storm_id", sort=False)
        raw = g.agg(
            year=("year", "first"),
            serial=("serial", "first"),
            name=("name", "first"),
            basin=("basin", "first"),
            start_time=("time_utc", "min"),
            end_time=("time_utc", "max"),
            n_obs=("time_utc", "size"),
            max_wind=("wind_kt", "max"),
            min_pressure=("pressure_hpa", "min"),
            peak_grade=("grade", "max"),
        ).reset_index()
        raw.index.name = "record"
    else:
        raw = _read_parquet(path)
    columns = {
        "storm_id": "storm_id",
        "year": "year",
        "serial": "serial",
        "name": "name",
        "basin": "basin",
        "start_time": "start_time_utc",
        "end_time": "end_time_utc",
        "n_obs": "n_obs",
        "max_wind": "max_wind_kt",
        "min_pressure": "min_pressure_hpa",
        "peak_grade": "peak_grade",
    }
    require_columns(raw, columns, path)
    df = raw[list(columns)].rename(columns=columns, errors="raise")
    for col in ("storm_id", "name", "basin"):
        df[col] = df[col].astype("string").str.strip().replace("", pd.NA)
    for col in ("year", "serial", "n_obs"):
        df[col] = pd.to_numeric(df[col]).astype("int64")
    for col in ("start_time_utc", "end_time_utc"):
        df[col] = pd.to_datetime(df[col]).astype("datetime64[ns]")
    for col in ("max_wind_kt", "min_pressure_hpa"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    # NADA 2016's minimum of 25 hPa is the shifted fix's wind (see load_imd_observations)
    df["min_pressure_hpa"] = df["min_pressure_hpa"].where(~(df["min_pressure_hpa"] < 850))
    df["peak_grade"] = _imd_grades(df["peak_grade"], path)
    return validate(df, IMD_STORMS_SCHEMA, path)


def load_imd_remarks(path: Path | str | None = None) -> pd.DataFrame:
    """Load IMD's free-text storm remarks (landfall, weakening ...), one row per remark.

    © IMD, internal use only: never republish the text. IMD's workbook is also accepted as
    ``path``; there remarks are the text rows between a storm's fixes (best effort, untested
    on the real workbook; index ``"<sheet>!<Excel row>"``).

    Parameters
    ----------
    path : Path or str, optional
        imdtrack ``remarks.parquet`` or IMD's workbook; default: registered ``imd_remarks``.

    Returns
    -------
    pandas.DataFrame
        Indexed by record number. Columns: ``storm_id``, ``year``, ``serial``, ``date`` (the
        day the remark is filed under; NA when the workbook gives none), ``remark``.
    """
    path, is_workbook = _imd_source(path, "imd_remarks")
    raw = _read_imd_workbook(path)[1] if is_workbook else _read_parquet(path)
    columns = ("storm_id", "year", "serial", "date", "remark")
    require_columns(raw, columns, path)
    df = raw[list(columns)].copy()
    df["storm_id"] = df["storm_id"].astype("string").str.strip()
    df["remark"] = df["remark"].astype("string").str.strip()
    for col in ("year", "serial"):
        df[col] = pd.to_numeric(df[col]).astype("int64")
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    return validate(df, IMD_REMARKS_SCHEMA, path)


def load_imd_manifest(path: Path | str | None = None) -> dict:
    """Load imdtrack's manifest of the IMD conversion.

    Parameters
    ----------
    path : Path or str, optional
        imdtrack ``manifest.json``; default: the registered ``imd_manifest``. When IMD's
        workbook is passed instead, the same keys are computed from it (``format``,
        ``source_url`` and ``generated_at`` are None; ``source_sha256`` is the workbook's).

    Returns
    -------
    dict
        ``format`` (int), ``source_url``, ``source_sha256`` (the workbook the parquet files
        were made from), ``generated_at`` (tz-aware UTC Timestamp), ``n_storms``, ``n_obs``,
        ``n_remarks``, ``year_min``, ``year_max`` (int).

    Raises
    ------
    DataFormatError
        Not JSON, or a key is missing or of the wrong type.
    """
    path, is_workbook = _imd_source(path, "imd_manifest")
    if is_workbook:
        obs, rem = _read_imd_workbook(path)
        return {
            "format": None,
            "source_url": None,
            "source_sha256": sha256_of(path),
            "generated_at": None,
            "n_storms": int(obs["storm_id"].nunique()),
            "n_obs": len(obs),
            "n_remarks": len(rem),
            "year_min": int(obs["year"].min()),
            "year_max": int(obs["year"].max()),
        }
    try:
        manifest = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFormatError(f"{path}: not a JSON manifest ({exc})") from exc
    if not isinstance(manifest, dict):
        raise DataFormatError(f"{path}: expected a JSON object")
    require_columns(pd.DataFrame(columns=list(manifest)), IMD_MANIFEST_KEYS, path)
    ints = ("format", "n_storms", "n_obs", "n_remarks", "year_min", "year_max")
    bad = [k for k in ints if not isinstance(manifest[k], int) or isinstance(manifest[k], bool)]
    if not re.fullmatch(r"[0-9a-f]{64}", str(manifest["source_sha256"])):
        bad.append("source_sha256")
    try:
        generated = pd.Timestamp(manifest["generated_at"])
    except (TypeError, ValueError):
        bad.append("generated_at")
    if bad:
        raise DataFormatError(f"{path}: manifest key(s) {bad} have the wrong type or format")
    out = dict(manifest)
    out["generated_at"] = generated if generated.tzinfo else generated.tz_localize("UTC")
    return out
