"""Tropical cyclone best tracks: IBTrACS, JTWC Western North Pacific and IMD RSMC New Delhi.

Registered files (mirror MANIFEST §6):

``ibtracs_sp``, ``ibtracs_last3years``
    IBTrACS netCDF (NOAA NCEI): the South Pacific file v04r00 (1897-01-04 … 2022-05-22) and
    the all-basin "last 3 years" file v04r01 (2021-01-01 … 2024-09-22). :func:`load_ibtracs`.
``jtwc_wnp``
    JTWC Western North Pacific best tracks 1945–2021, compiled into one CSV by a third party.
    :func:`load_jtwc_wnp` (also reads JTWC's own ATCF best-track files).
``imd_observations``, ``imd_storms``, ``imd_remarks``, ``imd_manifest``
    IMD RSMC New Delhi North Indian Ocean best tracks 1982 → 2026-01, as converted to parquet
    by the ``imdtrack`` project. :func:`load_imd_observations` (also reads IMD's Excel
    workbook), :func:`load_imd_storms`, :func:`load_imd_remarks`, :func:`load_imd_manifest`.

Each loader returns its source's own table. :func:`tracks_fixes` stacks them into one long
"fix" table (one row per storm position and agency, :data:`FIX_COLUMNS`) so a brief can count
cyclones passing near a country per year and per agency.

Conventions shared by every table here:

* **Times are UTC, timezone-naive** ``datetime64[ns]`` (every source reports UTC; naive
  timestamps keep parquet and numpy round trips cheap). Column names say so: ``time_utc``.
* Positions are ``latitude`` and ``longitude`` in degrees, longitude in −180…180.
* **Winds of different averaging periods are never pooled silently.** JTWC ``VMax`` and
  IBTrACS ``usa_wind`` are 1-minute means, IMD's winds 3-minute means, and IBTrACS
  ``wmo_wind`` uses the reporting agency's own period (see
  :data:`WMO_AGENCY_WIND_AVG_PERIOD_MIN`). Every wind column comes with, or is documented
  with, its averaging period; the fix table carries ``wind_avg_period_min`` on every row.
* Missing values are NA, never 0 or a sentinel (−999, −9999, 0 hPa ...).

What each agency covers, and the gaps, are in :data:`AGENCY_COVERAGE` and
:data:`COVERAGE_GAPS`.
"""

from __future__ import annotations

import json
import logging
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.geo import haversine_km
from osa_analysis.core.validation import (
    DataFormatError,
    DataValidationError,
    require_columns,
    validate,
)
from osa_analysis.sources.fetch import fetch, sha256_of

log = logging.getLogger(__name__)

# --- constants ----------------------------------------------------------------------------

AGENCIES = ("ibtracs_wmo", "ibtracs_usa", "jtwc", "imd")
"""Values of ``agency`` in the fix table (:func:`tracks_fixes`)."""

WIND_AVG_PERIODS_MIN = (1, 3, 10)
"""Wind averaging periods (minutes) found in these sources."""

WMO_AGENCY_WIND_AVG_PERIOD_MIN: dict[str, int] = {
    "bom": 10,  # Australian Bureau of Meteorology
    "nadi": 10,  # RSMC Nadi (Fiji)
    "wellington": 10,  # TCWC Wellington
    "tokyo": 10,  # RSMC Tokyo (JMA)
    "reunion": 10,  # RSMC La Réunion (Météo-France)
    "newdelhi": 3,  # RSMC New Delhi (IMD)
    "hurdat_atl": 1,  # NHC HURDAT2, Atlantic
    "hurdat_epa": 1,  # NHC HURDAT2, East/Central Pacific
    "cphc": 1,  # Central Pacific Hurricane Center
    "atcf": 1,  # NHC/CPHC operational ATCF data (recent US-basin storms)
}
"""Averaging period of IBTrACS ``wmo_wind`` by ``wmo_agency`` (IBTrACS v04 technical doc).

An agency missing from this table gives an NA period; a fix that has a WMO wind but no known
period fails validation, so a new agency upstream is noticed rather than pooled.
"""

IMD_GRADES = ("D", "DD", "CS", "SCS", "VSCS", "ESCS", "SuCS")
"""IMD intensity grades, weakest first: Depression, Deep Depression, Cyclonic Storm, Severe
CS, Very Severe CS, Extremely Severe CS, Super CS."""

IMD_GRADE_DTYPE = pd.CategoricalDtype(list(IMD_GRADES), ordered=True)

IMD_BASINS = ("BOB", "ARB", "LAND")
"""IMD basin of origin: Bay of Bengal, Arabian Sea, formed over land."""

JTWC_CATEGORIES = ("TD", "TS", "Cat1", "Cat2", "Cat3", "Cat4", "Cat5")
"""JTWC compilation ``Cat``: TD 15–30 kt, TS 35–60 kt, Saffir–Simpson categories 1–5."""

IBTRACS_TRACK_TYPES = (
    "main",
    "spur-merge",
    "spur-split",
    "spur-other",
    "PROVISIONAL",
    "US-PROVISIONAL",
)

IBTRACS_BASINS = ("NA", "SA", "EP", "WP", "SP", "SI", "NI", "MM")
"""IBTrACS basin codes; ``NA`` is the North Atlantic (never a missing value here)."""

AGENCY_COVERAGE: dict[str, dict] = {
    "ibtracs_wmo": {
        "sources": ("ibtracs_sp", "ibtracs_last3years"),
        "what": "IBTrACS merged positions with the official WMO agency's wind and pressure",
        "coverage": {
            "SP": ("1897-01-04", "2024-04-12"),
            # before 2021 only the SI legs of storms in the SP file; whole basin from 2021
            "SI": ("1897-01-04", "2024-05-22"),
            "WP": ("2021-02-14", "2024-09-22"),
            "NI": ("2021-04-02", "2024-09-02"),
            "EP": ("2021-04-30", "2024-09-15"),
            "NA": ("2021-05-20", "2024-09-21"),
        },
        "wind_avg_period_min": "per fix from wmo_agency: 10 (bom, nadi, wellington, tokyo, "
        "reunion), 3 (newdelhi), 1 (hurdat_atl, hurdat_epa, cphc, atcf)",
        "notes": "WMO winds start in the SP file in the 1970s; earlier fixes have a position "
        "but no WMO wind. The SP file ends 2022-05-22; all basins end 2024-09-22.",
    },
    "ibtracs_usa": {
        "sources": ("ibtracs_sp", "ibtracs_last3years"),
        "what": "IBTrACS fixes the US agencies (JTWC, NHC, CPHC) reported, with their wind",
        "coverage": {
            "SP": ("1945-01-30", "2024-04-12"),
            "SI": ("1951-01-14", "2024-05-22"),
            "WP": ("2021-02-14", "2024-09-22"),
            "NI": ("2021-05-13", "2024-09-02"),
            "EP": ("2021-05-08", "2024-09-15"),
            "NA": ("2021-05-20", "2024-09-21"),
        },
        "wind_avg_period_min": 1,
        "notes": "In WP 2021 these are JTWC's winds again: do not add them to 'jtwc' counts.",
    },
    "jtwc": {
        "sources": ("jtwc_wnp",),
        "what": "JTWC Western North Pacific best tracks (third-party compilation)",
        # the file's last row is 2021-12-17 06 UTC, but storm 202128 runs to 2021-12-21 12 UTC
        "coverage": {"WP": ("1945-04-19", "2021-12-21")},
        "wind_avg_period_min": 1,
        "notes": "The only WP source before 2021. 410 fixes east of the dateline have negative "
        "longitudes; 0-kt winds of 1961-70 are NA (see load_jtwc_wnp).",
    },
    "imd": {
        "sources": ("imd_observations",),
        "what": "IMD RSMC New Delhi best tracks, Bay of Bengal and Arabian Sea",
        "coverage": {"NI": ("1982-05-01", "2026-01-10")},
        "wind_avg_period_min": 3,
        "notes": "The NI source (BGD, MMR, LKA, IND, Djibouti approaches); depressions "
        "included. The latest season is tentative until IMD's post-season review; some fix "
        "dates have day and month swapped (see load_imd_observations).",
    },
}
"""What each agency of the fix table covers: registry ids, basins with first and last fix
dates (UTC) in the registered files, and the wind averaging period."""

COVERAGE_GAPS: tuple[str, ...] = (
    "South Indian basin (TLS, southern IDN): covered only 2021-01-01 … 2024-09-22 (IBTrACS "
    "last3years); before that only the SI legs of storms in the SP file.",
    "WP and SP: nothing after 2024-09-22 (IBTrACS last3years ends then).",
    "WP before 2021 comes from JTWC alone (1945-04-19 … 2021-12-21, 1-minute winds); "
    "2021 … 2024-09-22 from IBTrACS (WMO = JMA 10-minute, USA = JTWC 1-minute).",
    "NI comes from IMD (1982-05-01 … 2026-01-10, 3-minute winds); IBTrACS last3years adds "
    "2021 … 2024-09-02 (WMO = New Delhi 3-minute, USA = JTWC 1-minute).",
    "IBTrACS WP, NI, SI and ALL files are not in the mirror (MANIFEST §8).",
)
"""Known gaps to state in briefs (MANIFEST §8)."""

IBTRACS_FILL_NAMES = ("NOT_NAMED", "UNNAMED", "")
"""IBTrACS placeholders for an unnamed system (v04r00 ``NOT_NAMED``, v04r01 ``UNNAMED``)."""

IBTRACS_VARIABLES = (
    "sid",
    "season",
    "basin",
    "subbasin",
    "name",
    "iso_time",
    "time",
    "lat",
    "lon",
    "nature",
    "wmo_wind",
    "wmo_pres",
    "wmo_agency",
    "usa_lat",
    "usa_wind",
    "usa_pres",
    "dist2land",
    "landfall",
    "main_track_sid",
    "track_type",
)
"""IBTrACS variables the loader reads; a file without one of them is rejected."""

OVERLAP_MAX_DEG = 1.5
"""Two IBTrACS tracks coincide at a time step when their positions are within this distance
(degrees, longitude scaled by cos(latitude)); see :func:`load_ibtracs_all`."""

OVERLAP_MIN_FIXES = 3
"""Coinciding time steps needed to call two IBTrACS tracks the same storm."""

# --- schemas ------------------------------------------------------------------------------

_LAT = pa.Check.in_range(-90, 90)
_LON = pa.Check.in_range(-180, 180)
_WIND = pa.Check.in_range(0, 250)
_PRES = pa.Check.in_range(850, 1050)


def _wind_has_period(wind: str, period: str):
    return pa.Check(
        lambda df: df[wind].isna() | df[period].notna(),
        element_wise=False,
        name=f"{wind}_has_{period}",
        error=f"a {wind} needs its averaging period {period}",
    )


FIX_COLUMNS: dict[str, pa.Column] = {
    "agency": pa.Column("string", pa.Check.isin(AGENCIES)),
    "source": pa.Column("string"),  # registry id of the file read
    "record": pa.Column("string"),  # the fix's record (index label) in that source's table
    "storm_id": pa.Column("string"),  # the agency's own storm id
    "basin": pa.Column("string", pa.Check.isin(IBTRACS_BASINS), nullable=True),
    "season": pa.Column("Int64", pa.Check.in_range(1800, 2100), nullable=True),
    "name": pa.Column("string", nullable=True),
    "time_utc": pa.Column("datetime64[ns]"),
    "latitude": pa.Column("float64", _LAT),
    "longitude": pa.Column("float64", _LON),
    "wind_kt": pa.Column("float64", _WIND, nullable=True),
    "wind_avg_period_min": pa.Column("Int64", pa.Check.isin(WIND_AVG_PERIODS_MIN), nullable=True),
    "pressure_hpa": pa.Column("float64", _PRES, nullable=True),
    "nature": pa.Column("string", nullable=True),  # IBTrACS nature / ATCF system type
    "grade": pa.Column("string", nullable=True),  # JTWC Cat / IMD grade
    "track_type": pa.Column("string", nullable=True),  # IBTrACS only
    "fix_suspect": pa.Column("bool"),  # the source flags the fix (IMD pos/date_suspect)
}
"""Columns of the common fix table returned by :func:`tracks_fixes`."""

FIX_SCHEMA = pa.DataFrameSchema(
    FIX_COLUMNS,
    checks=[_wind_has_period("wind_kt", "wind_avg_period_min")],
    strict=True,
    ordered=True,
)

IBTRACS_SCHEMA = pa.DataFrameSchema(
    {
        "source": pa.Column("string"),
        "storm_id": pa.Column("string", pa.Check.str_matches(r"^\d{7}[NS]\d{5}$")),
        "season": pa.Column("Int64", pa.Check.in_range(1800, 2100)),
        "basin": pa.Column("string", pa.Check.isin(IBTRACS_BASINS)),
        "subbasin": pa.Column("string", nullable=True),
        "name": pa.Column("string", nullable=True),
        "time_utc": pa.Column("datetime64[ns]"),
        "latitude": pa.Column("float64", _LAT),
        "longitude": pa.Column("float64", _LON),
        "nature": pa.Column("string", nullable=True),
        "wind_wmo_kt": pa.Column("float64", _WIND, nullable=True),
        "wind_wmo_avg_period_min": pa.Column(
            "Int64", pa.Check.isin(WIND_AVG_PERIODS_MIN), nullable=True
        ),
        "wmo_agency": pa.Column("string", nullable=True),
        "pressure_wmo_hpa": pa.Column("float64", _PRES, nullable=True),
        "wind_usa_kt": pa.Column("float64", _WIND, nullable=True),
        "pressure_usa_hpa": pa.Column("float64", _PRES, nullable=True),
        "usa_reported": pa.Column("bool"),
        "dist2land_km": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "landfall_km": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "track_type": pa.Column("string", pa.Check.isin(IBTRACS_TRACK_TYPES)),
        "main_track_sid": pa.Column("string", nullable=True),
        "storm_index": pa.Column("int64", pa.Check.ge(0)),
        "step": pa.Column("int64", pa.Check.ge(0)),
    },
    checks=[_wind_has_period("wind_wmo_kt", "wind_wmo_avg_period_min")],
    strict=True,
    ordered=True,
)

JTWC_SCHEMA = pa.DataFrameSchema(
    {
        "storm_id": pa.Column("string", pa.Check.str_matches(r"^\d{6}$")),
        "season": pa.Column("Int64", pa.Check.in_range(1800, 2100)),
        "cyclone_number": pa.Column("Int64", pa.Check.in_range(1, 99)),
        "time_utc": pa.Column("datetime64[ns]"),
        "latitude": pa.Column("float64", _LAT),
        "longitude": pa.Column("float64", _LON),
        "wind_kt": pa.Column("float64", pa.Check.in_range(1, 250), nullable=True),
        "wind_zero": pa.Column("bool"),
        "pressure_hpa": pa.Column("float64", _PRES, nullable=True),
        "grade": pa.Column("string", pa.Check.isin(JTWC_CATEGORIES), nullable=True),
        "nature": pa.Column("string", nullable=True),
    },
    strict=True,
    ordered=True,
)

_IMD_ID = pa.Check.str_matches(r"^\d{4}-\d{3}$")

IMD_OBSERVATIONS_SCHEMA = pa.DataFrameSchema(
    {
        "storm_id": pa.Column("string", _IMD_ID),
        "year": pa.Column("int64", pa.Check.in_range(1800, 2100)),
        "serial": pa.Column("int64", pa.Check.in_range(1, 999)),
        "basin": pa.Column("string", pa.Check.isin(IMD_BASINS), nullable=True),
        "name": pa.Column("string", nullable=True),
        "time_utc": pa.Column("datetime64[ns]"),
        "latitude": pa.Column("float64", _LAT),
        "longitude": pa.Column("float64", _LON),
        "ci_no": pa.Column("float64", pa.Check.in_range(0, 8), nullable=True),
        "pressure_hpa": pa.Column("float64", _PRES, nullable=True),
        "wind_kt": pa.Column("float64", _WIND, nullable=True),
        "pressure_drop_hpa": pa.Column("float64", pa.Check.in_range(0, 150), nullable=True),
        "oci_hpa": pa.Column("float64", _PRES, nullable=True),
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
        "max_wind_kt": pa.Column("float64", _WIND, nullable=True),
        "min_pressure_hpa": pa.Column("float64", _PRES, nullable=True),
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


# --- small helpers ------------------------------------------------------------------------


def _is_zip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def _is_parquet(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PAR1"


def _check_failures(source: Path | str, mask: pd.Series, column: str, check: str, values):
    """Raise :class:`DataValidationError` for the records where ``mask`` is True."""
    if mask.any():
        failures = pd.DataFrame(
            {
                "record": mask.index[mask.to_numpy()].to_numpy(),
                "column": column,
                "check": check,
                "value": np.asarray(values)[mask.to_numpy()],
            }
        )
        raise DataValidationError(str(source), failures)


def _wrap_lon(lon: np.ndarray) -> np.ndarray:
    """Bring longitudes into −180…180 (IBTrACS uses 0…360 east of the dateline)."""
    return np.where((lon > 180) | (lon < -180), (lon + 180) % 360 - 180, lon)


# --- IBTrACS ------------------------------------------------------------------------------


def _decode(values: np.ndarray) -> np.ndarray:
    """Decode netCDF byte strings (``b'SP'``) to str; str arrays pass through."""
    arr = np.asarray(values)
    if arr.dtype.kind == "S":
        arr = np.char.decode(arr, "utf-8", errors="replace")
    elif arr.dtype.kind == "O":
        arr = np.array(
            [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in arr.ravel()]
        ).reshape(arr.shape)
    return np.char.strip(arr.astype(str))


def _text(values: np.ndarray, blank: Iterable[str] = ("",)) -> pd.Series:
    """Return decoded text as a ``string`` Series, with ``blank`` values as NA.

    Literal codes such as basin ``"NA"`` (North Atlantic) stay text: nothing here goes
    through pandas' ``na_values``.
    """
    s = pd.Series(values, dtype="string")
    return s.mask(s.isin(list(blank)))


def load_ibtracs(path: Path | str | None = None, source_id: str = "ibtracs_sp") -> pd.DataFrame:
    """Load an IBTrACS netCDF file, one row per storm fix.

    Reads the registered ``ibtracs_sp`` (South Pacific v04r00) or ``ibtracs_last3years``
    (all basins v04r01) file, or any canonical NCEI IBTrACS v04 netCDF passed as ``path``
    (NCEI regenerates those files, so their hashes never match the registry; the variables are
    the same). The file is opened with ``xarray.open_dataset(path, engine="netcdf4")``; its
    ``storm`` × ``date_time`` grid (360 steps) is flattened and empty cells are dropped.

    Quirks handled:

    * ``time`` is float days since 1858-11-17 and decodes with sub-second noise
      (``12:00:00.000040192``): times are rounded to the minute and checked against
      ``iso_time``.
    * Strings are byte strings (``b'SP'``) and are decoded; basin ``"NA"`` is the North
      Atlantic and stays the text ``"NA"``.
    * Longitudes east of the dateline are 180…360 in some storms and are wrapped to −180…180.
    * Names ``NOT_NAMED`` (v04r00) and ``UNNAMED`` (v04r01) become NA.
    * WMO winds keep the reporting agency's averaging period, derived per fix from
      ``wmo_agency`` (:data:`WMO_AGENCY_WIND_AVG_PERIOD_MIN`); USA winds are 1-minute. The
      two are kept in separate columns and never merged.

    Parameters
    ----------
    path : Path or str, optional
        An IBTrACS v04 netCDF file; default: the registered file of ``source_id``.
    source_id : str
        Registry id recorded in ``source`` and fetched when ``path`` is omitted:
        ``"ibtracs_sp"`` or ``"ibtracs_last3years"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by record number in the netCDF grid, ``storm_index * n_steps + step``.
        Columns: ``source`` (registry id), ``storm_id`` (IBTrACS SID), ``season`` (Int64;
        southern-hemisphere seasons are named by the year they end), ``basin`` (per fix: NA,
        SA, EP, WP, SP, SI, NI), ``subbasin`` (IBTrACS code; ``MM`` = none), ``name`` (NA when
        unnamed), ``time_utc``, ``latitude``, ``longitude`` (merged IBTrACS position),
        ``nature`` (TS, ET, SS, DS, MX, NR), ``wind_wmo_kt``, ``wind_wmo_avg_period_min``
        (1, 3 or 10; NA when no WMO agency reported), ``wmo_agency``, ``pressure_wmo_hpa``,
        ``wind_usa_kt`` (1-minute), ``pressure_usa_hpa``, ``usa_reported`` (the US agencies
        gave a position for this fix), ``dist2land_km``, ``landfall_km`` (minimum distance to
        land before the next fix), ``track_type`` (main, spur-merge, spur-split, spur-other,
        PROVISIONAL, US-PROVISIONAL), ``main_track_sid``, ``storm_index`` and ``step`` (the
        netCDF grid position).

    Raises
    ------
    DataFormatError
        The file is not netCDF or lacks a variable of :data:`IBTRACS_VARIABLES`.
    DataValidationError
        Values out of range, an unknown track type, a WMO wind without a known averaging
        period, or ``time`` disagreeing with ``iso_time``.
    """
    import xarray as xr  # imported lazily: only the IBTrACS loader needs it

    path = Path(path) if path else fetch(source_id)
    try:
        ds = xr.open_dataset(path, engine="netcdf4")
    except (OSError, ValueError) as exc:
        raise DataFormatError(f"{path}: not a readable netCDF file ({exc})") from exc
    with ds:
        require_columns(pd.DataFrame(columns=list(ds.variables)), IBTRACS_VARIABLES, path)
        if ds["time"].ndim != 2 or ds["sid"].ndim != 1:
            raise DataFormatError(
                f"{path}: expected 'time' on (storm, date_time) and 'sid' on (storm,), got "
                f"{ds['time'].dims} and {ds['sid'].dims}"
            )
        n_steps = ds["time"].shape[1]
        times = np.asarray(ds["time"].values)
        if times.dtype.kind != "M":
            raise DataFormatError(f"{path}: 'time' did not decode to datetimes (units?)")
        filled = ~np.isnat(times)  # the grid is padded with empty (all-NaN) cells
        storm_idx, step_idx = np.nonzero(filled)

        def fix(var: str) -> np.ndarray:
            return np.asarray(ds[var].values)[filled]

        def per_storm(var: str) -> np.ndarray:
            return np.asarray(ds[var].values)[storm_idx]

        wmo_agency = _text(_decode(fix("wmo_agency")))
        df = pd.DataFrame(
            {
                "source": pd.Series(source_id, index=range(len(storm_idx)), dtype="string"),
                "storm_id": _text(_decode(per_storm("sid"))),
                "season": pd.array(np.round(per_storm("season")), dtype="Int64"),
                "basin": _text(_decode(fix("basin"))),
                "subbasin": _text(_decode(fix("subbasin"))),
                "name": _text(_decode(per_storm("name")), IBTRACS_FILL_NAMES),
                # float days since 1858-11-17 carry ~40 µs of noise: round to the minute
                "time_utc": pd.DatetimeIndex(times[filled]).round("min").as_unit("ns"),
                "latitude": fix("lat").astype("float64"),
                "longitude": _wrap_lon(fix("lon").astype("float64")),
                "nature": _text(_decode(fix("nature"))),
                "wind_wmo_kt": fix("wmo_wind").astype("float64"),
                "wind_wmo_avg_period_min": pd.array(
                    wmo_agency.map(WMO_AGENCY_WIND_AVG_PERIOD_MIN), dtype="Int64"
                ),
                "wmo_agency": wmo_agency,
                "pressure_wmo_hpa": fix("wmo_pres").astype("float64"),
                "wind_usa_kt": fix("usa_wind").astype("float64"),
                "pressure_usa_hpa": fix("usa_pres").astype("float64"),
                "usa_reported": np.isfinite(fix("usa_lat").astype("float64")),
                "dist2land_km": fix("dist2land").astype("float64"),
                "landfall_km": fix("landfall").astype("float64"),
                "track_type": _text(_decode(per_storm("track_type"))),
                "main_track_sid": _text(_decode(per_storm("main_track_sid"))),
                "storm_index": storm_idx.astype("int64"),
                "step": step_idx.astype("int64"),
            }
        )
        iso_time = pd.to_datetime(
            pd.Series(_decode(fix("iso_time"))), format="%Y-%m-%d %H:%M:%S", errors="coerce"
        )
    df.index = pd.Index(storm_idx.astype("int64") * n_steps + step_idx, name="record")
    # sanity check: the rounded float time must equal the ISO text time of the same fix
    iso_time.index = df.index
    _check_failures(
        path,
        iso_time.ne(df["time_utc"]) | iso_time.isna(),
        "time_utc",
        "equals iso_time",
        df["time_utc"].astype(str).to_numpy(),
    )
    return validate(df, IBTRACS_SCHEMA, path)


def _superseded_storms(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Pairs (old storm, new storm) whose tracks coincide: the same storm re-issued.

    IBTrACS gives a storm a new SID when reanalysis moves its genesis, so provisional tracks of
    an older file reappear under other SIDs in a newer one. Two tracks coincide when at least
    :data:`OVERLAP_MIN_FIXES` simultaneous fixes (or every fix of a shorter old track) lie
    within :data:`OVERLAP_MAX_DEG` of each other.
    """
    cols = ["storm_id", "time_utc", "latitude", "longitude"]
    pairs = old[cols].merge(new[cols], on="time_utc", suffixes=("_old", "_new"))
    dlon = (pairs["longitude_old"] - pairs["longitude_new"] + 180) % 360 - 180
    dist = np.hypot(
        pairs["latitude_old"] - pairs["latitude_new"],
        dlon * np.cos(np.radians(pairs["latitude_old"])),
    )
    close = pairs[dist <= OVERLAP_MAX_DEG]
    counts = close.groupby(["storm_id_old", "storm_id_new"]).size().rename("n_coincident")
    n_old = old.groupby("storm_id").size()
    counts = counts.reset_index()
    counts = counts[counts["storm_id_old"] != counts["storm_id_new"]]  # same SID: rule 1
    needed = np.minimum(OVERLAP_MIN_FIXES, counts["storm_id_old"].map(n_old))
    return counts[counts["n_coincident"] >= needed]


def load_ibtracs_all(
    sp_path: Path | str | None = None, last3years_path: Path | str | None = None
) -> pd.DataFrame:
    """Load both IBTrACS files and stack them without counting a storm twice.

    The SP file (v04r00, to 2022-05-22) and the last-3-years file (v04r01, from 2021-01-01)
    overlap in 2021–22. Where they overlap the newer file wins:

    1. fixes with the same SID and time in both files are dropped from the SP file (none in
       the registered files);
    2. SP-file storms whose track coincides with a last-3-years storm
       (:data:`OVERLAP_MIN_FIXES` simultaneous fixes within :data:`OVERLAP_MAX_DEG`) are
       dropped whole: IBTrACS re-issued them under new SIDs after reanalysis (in the
       registered files all 17 PROVISIONAL SP-file storms of 2021–22, e.g. IMOGEN
       2021003S17140 → 2021001S14136; 497 fixes).

    SP-file storms in the overlap period that the newer file does not have would be kept (none
    in the registered files). What was dropped is logged and recorded in
    ``attrs["ibtracs_overlap"]``.

    Parameters
    ----------
    sp_path, last3years_path : Path or str, optional
        IBTrACS netCDF files; default: the registered ``ibtracs_sp`` and ``ibtracs_last3years``.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`load_ibtracs`; the index is each row's record in its own file
        (``source`` says which), so it is not unique.
    """
    old = load_ibtracs(sp_path, source_id="ibtracs_sp")
    new = load_ibtracs(last3years_path, source_id="ibtracs_last3years")
    key_old = pd.MultiIndex.from_frame(old[["storm_id", "time_utc"]])
    key_new = pd.MultiIndex.from_frame(new[["storm_id", "time_utc"]])
    same_fix = key_old.isin(key_new)
    overlap = old[old["time_utc"] >= new["time_utc"].min()]
    pairs = _superseded_storms(overlap, new)
    reissued = old["storm_id"].isin(pairs["storm_id_old"])
    drop = same_fix | reissued
    note = {
        "duplicate_fixes_dropped": int(same_fix.sum()),
        "reissued_storms_dropped": dict(
            zip(pairs["storm_id_old"], pairs["storm_id_new"], strict=True)
        ),
        "fixes_dropped": int(drop.sum()),
        "unmatched_overlap_storms_kept": sorted(
            set(overlap["storm_id"]) - set(pairs["storm_id_old"]) - set(new["storm_id"])
        ),
    }
    log.info(
        "IBTrACS overlap: dropped %d SP-file fixes (%d same SID and time; %d storms re-issued "
        "in last3years under new SIDs)",
        note["fixes_dropped"],
        note["duplicate_fixes_dropped"],
        len(note["reissued_storms_dropped"]),
    )
    out = pd.concat([old[~drop], new])
    out.attrs["ibtracs_overlap"] = note
    return out


# --- JTWC ---------------------------------------------------------------------------------

JTWC_CSV_COLUMNS = ("CY", "Year", "Month", "Day", "Hour", "Lat", "Lon", "VMax", "MSLP", "SN", "Cat")

_ATCF_LINE = re.compile(r"^\s*[A-Z]{2}\s*,\s*\d{1,2}\s*,\s*\d{10}\s*,")

# Saffir–Simpson bins used by the compiled CSV's ``Cat`` (derived for ATCF input)
_JTWC_CAT_BINS = [15, 34, 64, 83, 96, 113, 137, np.inf]


def _jtwc_category(wind: pd.Series) -> pd.Series:
    cat = pd.cut(wind, _JTWC_CAT_BINS, right=False, labels=list(JTWC_CATEGORIES))
    return cat.astype("string")


def _read_atcf_text(text: str, name: str) -> pd.DataFrame:
    """Parse one ATCF best-track ("b-deck") text into raw fields, index ``<file>:<line>``."""
    lines = pd.Series(text.splitlines(), dtype="string")
    lines.index = [f"{name}:{i}" for i in range(len(lines))]
    lines = lines[lines.str.strip().str.len() > 0]
    parts = lines.str.split(",", n=11, expand=True)
    if parts.shape[1] < 10:
        raise DataFormatError(f"{name}: ATCF lines need at least 10 comma-separated fields")
    parts = parts.iloc[:, :11].apply(lambda s: s.str.strip())
    parts.columns = [
        "basin",
        "cy",
        "ymdh",
        "technum",
        "tech",
        "tau",
        "lat",
        "lon",
        "vmax",
        "mslp",
        "ty",
    ][: parts.shape[1]]
    if "ty" not in parts:
        parts["ty"] = pd.NA
    return parts


def _read_jtwc_atcf(path: Path) -> pd.DataFrame:
    """Read JTWC ATCF best-track files: one file, a folder of them, or a zip of them."""
    texts: list[tuple[str, str]] = []
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".dat", ".txt"))
        texts = [(p.name, p.read_text(encoding="latin-1")) for p in files]
    elif _is_zip(path):
        with zipfile.ZipFile(path) as zf:
            names = sorted(n for n in zf.namelist() if n.lower().endswith((".dat", ".txt")))
            texts = [(Path(n).name, zf.read(n).decode("latin-1")) for n in names]
    else:
        texts = [(path.name, path.read_text(encoding="latin-1"))]
    if not texts:
        raise DataFormatError(f"{path}: no ATCF best-track files (*.dat, *.txt) found")
    raw = pd.concat([_read_atcf_text(t, n) for n, t in texts])
    raw = raw[(raw["tech"] == "BEST") & (pd.to_numeric(raw["tau"], errors="coerce") == 0)]
    ymdh = raw["ymdh"]
    lat = raw["lat"].str.extract(r"^(\d+)([NS])$")
    lon = raw["lon"].str.extract(r"^(\d+)([EW])$")
    lat_v = pd.to_numeric(lat[0], errors="coerce") / 10 * np.where(lat[1] == "S", -1, 1)
    lon_v = pd.to_numeric(lon[0], errors="coerce") / 10 * np.where(lon[1] == "W", -1, 1)
    time = pd.to_datetime(ymdh, format="%Y%m%d%H", errors="coerce")
    cy = pd.to_numeric(raw["cy"], errors="coerce").astype("Int64")
    out = pd.DataFrame(
        {
            "CY": cy,
            "Year": time.dt.year,
            "Month": time.dt.month,
            "Day": time.dt.day,
            "Hour": time.dt.hour,
            "Lat": lat_v,
            # ATCF gives degrees west as "W": negative, like the compiled CSV east of 180°
            "Lon": np.where(lon_v < -180, lon_v + 360, np.where(lon_v > 180, lon_v - 360, lon_v)),
            "VMax": pd.to_numeric(raw["vmax"], errors="coerce"),
            "MSLP": pd.to_numeric(raw["mslp"], errors="coerce"),
            "SN": pd.NA,
            "Cat": pd.NA,
            "TY": raw["ty"].replace("", pd.NA),
        },
        index=raw.index,
    )
    # the storm's season is the year of its first fix, as in the compiled CSV's SN (YYYYCY)
    file_name = pd.Series(raw.index, index=raw.index).str.rsplit(":", n=1).str[0]
    storm_key = raw["basin"] + raw["cy"] + "@" + file_name
    first_year = out["Year"].groupby(storm_key).transform("min")
    out["SN"] = first_year.astype("Int64").astype("string") + cy.astype("string").str.zfill(2)
    # ATCF repeats a fix once per wind-radius threshold (34/50/64 kt): keep the first line
    dup = pd.DataFrame({"k": storm_key, "t": time}).duplicated()
    out = out[~dup.to_numpy()]
    out["Cat"] = _jtwc_category(out["VMax"].where(out["VMax"] > 0))
    return out


def load_jtwc_wnp(path: Path | str | None = None) -> pd.DataFrame:
    """Load JTWC Western North Pacific best tracks, one row per fix.

    The registered file is a third-party compilation of JTWC's best tracks into one CSV (not
    a JTWC format). JTWC's official per-storm ATCF best-track files (``bwpNNYYYY.dat``/
    ``.txt``, lines like ``WP, 01, 2021021718, , BEST, 0, 95N, 1345E, 20, 1006, TD, ...``)
    are also read when passed as ``path``: a single file, a folder of them, or a zip archive
    of them (format detected from the content). For ATCF input the index is
    ``"<file>:<line>"``, repeated wind-radius lines are collapsed to one fix, ``grade`` is
    derived from the wind with the compilation's bins, and ``nature`` is ATCF's system type.

    Quirks and choices:

    * ``Hour`` is UTC; 202 fixes fall off the synoptic hours (e.g. landfall): kept.
    * ``Lon`` is −180…180 and **negative east of the dateline** (410 fixes): kept as
      published; it is already the −180…180 convention of the other tables.
    * ``VMax`` −999 (31 fixes, 1956–72) is missing → NA.
    * ``VMax`` 0 (448 fixes, all 1961–70, all with an empty ``Cat``): a maximum wind of 0 kt
      is not a physical value for a tracked system; JTWC's early best tracks used 0 where no
      intensity was estimated. These become **NA** in ``wind_kt`` and ``wind_zero`` is True,
      so the published zero can still be recovered.
    * ``MSLP`` empty, 0 or −1 mean missing → NA.

    Parameters
    ----------
    path : Path or str, optional
        The compiled CSV or JTWC ATCF best-track file(s); default: the registered
        ``jtwc_wnp`` file.

    Returns
    -------
    pandas.DataFrame
        Indexed by record number (CSV) or ``file:line`` (ATCF). Columns: ``storm_id`` (SN,
        YYYYCY), ``season`` (Int64, YYYY of SN), ``cyclone_number`` (Int64, CY),
        ``time_utc``, ``latitude``, ``longitude``, ``wind_kt`` (1-minute, NA when missing or
        published as 0), ``wind_zero`` (bool: published as 0 kt), ``pressure_hpa``, ``grade``
        (TD, TS, Cat1–Cat5; NA below 15 kt), ``nature`` (ATCF system type; NA for the CSV).

    Raises
    ------
    DataFormatError
        A CSV column is missing, or the file is neither the CSV nor ATCF.
    DataValidationError
        Impossible dates, positions or values; the message names the record and column.
    """
    path = Path(path) if path else fetch("jtwc_wnp")
    if path.is_dir() or _is_zip(path):
        raw = _read_jtwc_atcf(path)
    else:
        with open(path, encoding="latin-1") as fh:
            first = fh.readline()
        if _ATCF_LINE.match(first):
            raw = _read_jtwc_atcf(path)
        else:
            raw = pd.read_csv(path, dtype="string", keep_default_na=False)
            require_columns(raw, JTWC_CSV_COLUMNS, path)
            raw["TY"] = pd.NA

    def num(col: str) -> pd.Series:
        text = raw[col].astype("string").str.strip().replace("", pd.NA)
        return pd.to_numeric(text, errors="coerce").astype("float64")

    vmax = num("VMax")
    mslp = num("MSLP")
    parts = {c.lower(): num(c) for c in ("Year", "Month", "Day", "Hour")}
    time = pd.to_datetime(pd.DataFrame(parts), errors="coerce")
    df = pd.DataFrame(
        {
            "storm_id": raw["SN"].astype("string").str.strip(),
            "season": pd.to_numeric(raw["SN"].astype("string").str[:4], errors="coerce").astype(
                "Int64"
            ),
            "cyclone_number": num("CY").round().astype("Int64"),
            "time_utc": time.astype("datetime64[ns]"),
            "latitude": num("Lat"),
            "longitude": num("Lon"),
            # -999 = missing; 0 kt = not estimated (1961-70): both NA, zero flagged below
            "wind_kt": vmax.where(vmax > 0),
            "wind_zero": vmax.eq(0).fillna(False).astype(bool),
            # MSLP empty, 0 or -1 = missing
            "pressure_hpa": mslp.where(mslp > 0),
            "grade": raw["Cat"].astype("string").str.strip().replace("", pd.NA),
            "nature": raw["TY"].astype("string"),
        },
        index=raw.index,
    )
    # a date that does not exist (e.g. 31 June) fails validation with its record
    _check_failures(path, time.isna(), "time_utc", "valid Year/Month/Day/Hour", time.astype(str))
    return validate(df, JTWC_SCHEMA, path)


# --- IMD ----------------------------------------------------------------------------------

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
    return path, _is_zip(path) or path.suffix.lower() in (".xlsx", ".xlsm")


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
    if not _is_parquet(path):
        raise DataFormatError(f"{path}: neither a parquet file nor an Excel workbook")
    df = pd.read_parquet(path, engine="pyarrow")
    df.index = pd.RangeIndex(len(df), name="record")
    return df


def _imd_grades(values: pd.Series, path: Path) -> pd.Series:
    """IMD grades as the ordered categorical; an unknown grade fails with its record."""
    text = values.astype("string").str.strip()
    canon = text.str.upper().map(_IMD_GRADE_CODES)
    _check_failures(
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


# --- the common fix table -----------------------------------------------------------------


def _fix_frame(agency: str, df: pd.DataFrame, **columns) -> pd.DataFrame:
    """One agency's rows of the fix table; ``columns`` maps fix columns to Series/values.

    Built positionally (the IBTrACS index repeats across its two files); the source's index
    label is kept in ``record``.
    """
    n = len(df)
    data: dict[str, object] = {
        "agency": [agency] * n,
        "record": df.index.astype(str).to_numpy(),
    }
    for col in FIX_COLUMNS:
        if col in data:
            continue
        value = columns.get(col, df[col] if col in df else pd.NA)
        data[col] = value.array if isinstance(value, pd.Series) else [value] * n
    return pd.DataFrame(data, index=pd.RangeIndex(n))[list(FIX_COLUMNS)]


def tracks_fixes(
    agencies: Iterable[str] | None = None,
    *,
    ibtracs_sp_path: Path | str | None = None,
    ibtracs_last3years_path: Path | str | None = None,
    jtwc_path: Path | str | None = None,
    imd_path: Path | str | None = None,
    fix_swapped_dates: bool = False,
) -> pd.DataFrame:
    """Return the common fix table: one row per storm position and agency.

    Stacks IBTrACS (both files, :func:`load_ibtracs_all`) as two agencies, JTWC and IMD, so a
    brief can count "cyclones passing within X km of a country per year per agency". Each
    agency keeps its own storm ids, winds and averaging period (``wind_avg_period_min``):
    compare winds across agencies only after converting them.

    * ``ibtracs_wmo``: every IBTrACS fix (merged position) with the official WMO agency's wind
      and pressure; the wind is NA where no WMO agency reported (most SP fixes before the
      1970s). Averaging period per fix from ``wmo_agency``.
    * ``ibtracs_usa``: the IBTrACS fixes the US agencies reported (``usa_reported``), merged
      position, USA wind (1-minute) and pressure.
    * ``jtwc``: :func:`load_jtwc_wnp`, 1-minute winds (0-kt winds of 1961-70 are NA).
    * ``imd``: :func:`load_imd_observations`, 3-minute winds; ``fix_suspect`` is the union of
      its ``pos_suspect`` and ``date_suspect`` flags.

    Coverage differs by agency and basin: see :data:`AGENCY_COVERAGE` and
    :data:`COVERAGE_GAPS`. WP fixes of 2021 appear under ``jtwc`` and again under
    ``ibtracs_usa`` (JTWC's data via IBTrACS): count per agency, never sum agencies.

    Parameters
    ----------
    agencies : iterable of str, optional
        Subset of :data:`AGENCIES` (default: all).
    ibtracs_sp_path, ibtracs_last3years_path, jtwc_path, imd_path : Path or str, optional
        Files to read instead of the registered ones (any format their loaders accept).
    fix_swapped_dates : bool
        Passed to :func:`load_imd_observations`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FIX_COLUMNS`: ``agency``, ``source`` (registry id), ``record`` (the
        fix's index label in its loader's table), ``storm_id`` (the agency's id), ``basin``
        (IBTrACS basin code: per fix for IBTrACS, WP for JTWC, NI for IMD), ``season``
        (Int64; IBTrACS southern-hemisphere seasons are named by the year they end),
        ``name`` (NA when unnamed), ``time_utc`` (UTC, naive), ``latitude``, ``longitude``
        (−180…180), ``wind_kt``, ``wind_avg_period_min`` (1, 3 or 10; NA only for IBTrACS
        fixes no WMO agency reported), ``pressure_hpa``, ``nature`` (IBTrACS nature / ATCF
        type), ``grade`` (JTWC Cat / IMD grade), ``track_type`` (IBTrACS), ``fix_suspect``
        (bool). The index is a fresh 0-based range.
    """
    wanted = tuple(agencies) if agencies is not None else AGENCIES
    unknown = sorted(set(wanted) - set(AGENCIES))
    if unknown:
        raise ValueError(f"unknown agencies {unknown}; choose from {AGENCIES}")
    parts = []
    if {"ibtracs_wmo", "ibtracs_usa"} & set(wanted):
        ib = load_ibtracs_all(ibtracs_sp_path, ibtracs_last3years_path)
        if "ibtracs_wmo" in wanted:
            parts.append(
                _fix_frame(
                    "ibtracs_wmo",
                    ib,
                    wind_kt=ib["wind_wmo_kt"],
                    wind_avg_period_min=ib["wind_wmo_avg_period_min"],
                    pressure_hpa=ib["pressure_wmo_hpa"],
                    fix_suspect=False,
                )
            )
        if "ibtracs_usa" in wanted:
            usa = ib[ib["usa_reported"]]
            parts.append(
                _fix_frame(
                    "ibtracs_usa",
                    usa,
                    wind_kt=usa["wind_usa_kt"],
                    wind_avg_period_min=1,
                    pressure_hpa=usa["pressure_usa_hpa"],
                    fix_suspect=False,
                )
            )
    if "jtwc" in wanted:
        jt = load_jtwc_wnp(jtwc_path)
        parts.append(
            _fix_frame(
                "jtwc",
                jt,
                source="jtwc_wnp",
                basin="WP",
                wind_avg_period_min=1,
                track_type=pd.NA,
                fix_suspect=False,
            )
        )
    if "imd" in wanted:
        imd = load_imd_observations(imd_path, fix_swapped_dates=fix_swapped_dates)
        parts.append(
            _fix_frame(
                "imd",
                imd,
                source="imd_observations",
                basin="NI",
                season=imd["year"],
                wind_avg_period_min=3,
                pressure_hpa=imd["pressure_hpa"],
                nature=pd.NA,
                grade=imd["grade"].astype("string"),
                track_type=pd.NA,
                fix_suspect=imd["pos_suspect"] | imd["date_suspect"],
            )
        )
    fixes = pd.concat(parts, ignore_index=True)
    dtypes = {
        c: ("string" if str(col.dtype) == "string" else str(col.dtype))
        for c, col in FIX_COLUMNS.items()
    }
    fixes = fixes.astype(dtypes)
    return validate(fixes, FIX_SCHEMA, "tracks_fixes")
