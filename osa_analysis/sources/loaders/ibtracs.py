"""IBTrACS best tracks (NOAA NCEI netCDF), one row per storm fix.

Registered files (mirror MANIFEST §6): ``ibtracs_sp``, the South Pacific file v04r00
(1897-01-04 … 2022-05-22), and ``ibtracs_last3years``, the all-basin file v04r01
(2021-01-01 … 2024-09-22). :func:`load_ibtracs` reads one file; :func:`load_ibtracs_all`
joins both, dropping the SP file's fixes that the newer file re-issues. Conventions shared by
every best-track loader: :mod:`~osa_analysis.sources.loaders.tracks_common`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.validation import (
    DataFormatError,
    require_columns,
    validate,
)
from osa_analysis.sources.fetch import fetch
from osa_analysis.sources.loaders.tracks_common import (
    LAT,
    LON,
    PRES,
    WIND,
    WIND_AVG_PERIODS_MIN,
    check_failures,
    wind_has_period,
    wrap_lon,
)

log = logging.getLogger(__name__)

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


IBTRACS_SCHEMA = pa.DataFrameSchema(
    {
        "source": pa.Column("string"),
        "storm_id": pa.Column("string", pa.Check.str_matches(r"^\d{7}[NS]\d{5}$")),
        "season": pa.Column("Int64", pa.Check.in_range(1800, 2100)),
        "basin": pa.Column("string", pa.Check.isin(IBTRACS_BASINS)),
        "subbasin": pa.Column("string", nullable=True),
        "name": pa.Column("string", nullable=True),
        "time_utc": pa.Column("datetime64[ns]"),
        "latitude": pa.Column("float64", LAT),
        "longitude": pa.Column("float64", LON),
        "nature": pa.Column("string", nullable=True),
        "wind_wmo_kt": pa.Column("float64", WIND, nullable=True),
        "wind_wmo_avg_period_min": pa.Column(
            "Int64", pa.Check.isin(WIND_AVG_PERIODS_MIN), nullable=True
        ),
        "wmo_agency": pa.Column("string", nullable=True),
        "pressure_wmo_hpa": pa.Column("float64", PRES, nullable=True),
        "wind_usa_kt": pa.Column("float64", WIND, nullable=True),
        "pressure_usa_hpa": pa.Column("float64", PRES, nullable=True),
        "usa_reported": pa.Column("bool"),
        "dist2land_km": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "landfall_km": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "track_type": pa.Column("string", pa.Check.isin(IBTRACS_TRACK_TYPES)),
        "main_track_sid": pa.Column("string", nullable=True),
        "storm_index": pa.Column("int64", pa.Check.ge(0)),
        "step": pa.Column("int64", pa.Check.ge(0)),
    },
    checks=[wind_has_period("wind_wmo_kt", "wind_wmo_avg_period_min")],
    strict=True,
    ordered=True,
)


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
                "longitude": wrap_lon(fix("lon").astype("float64")),
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
    check_failures(
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
