"""The common cyclone fix table: every agency's best-track fixes in one long table.

:func:`tracks_fixes` stacks IBTrACS (as two agencies: the official WMO agency's winds and the
US agencies' winds), JTWC Western North Pacific and IMD North Indian Ocean fixes, one row per
storm position and agency (:data:`FIX_COLUMNS`), each agency with its own storm ids, winds and
wind averaging period. :func:`prepare_fixes` makes it ready for distance computations (spur
tracks and fixes the source flags removed, sorted along each track, compact numeric columns).
What each agency covers, and the gaps, are in :data:`AGENCY_COVERAGE` and
:data:`COVERAGE_GAPS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.i18n import N_
from osa_analysis.core.validation import validate
from osa_analysis.sources.cache import cached_table
from osa_analysis.sources.loaders.ibtracs import IBTRACS_BASINS, load_ibtracs_all
from osa_analysis.sources.loaders.imd import load_imd_observations
from osa_analysis.sources.loaders.jtwc import load_jtwc_wnp
from osa_analysis.sources.loaders.tracks_common import (
    LAT,
    LON,
    PRES,
    WIND,
    WIND_AVG_PERIODS_MIN,
    wind_has_period,
)

AGENCIES = ("ibtracs_wmo", "ibtracs_usa", "jtwc", "imd")
"""Values of ``agency`` in the fix table (:func:`tracks_fixes`)."""

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
    N_(
        "South Indian basin (TLS, southern IDN): covered only 2021-01-01 … 2024-09-22 (IBTrACS "
        "last3years); before that only the SI legs of storms in the SP file."
    ),
    N_("WP and SP: nothing after 2024-09-22 (IBTrACS last3years ends then)."),
    N_(
        "WP before 2021 comes from JTWC alone (1945-04-19 … 2021-12-21, 1-minute winds); "
        "2021 … 2024-09-22 from IBTrACS (WMO = JMA 10-minute, USA = JTWC 1-minute)."
    ),
    N_(
        "NI comes from IMD (1982-05-01 … 2026-01-10, 3-minute winds); IBTrACS last3years adds "
        "2021 … 2024-09-02 (WMO = New Delhi 3-minute, USA = JTWC 1-minute)."
    ),
    N_("IBTrACS WP, NI, SI and ALL files are not in the mirror (MANIFEST §8)."),
)
"""Known gaps to state in briefs (MANIFEST §8); messages, translated where shown."""


FIX_COLUMNS: dict[str, pa.Column] = {
    "agency": pa.Column("string", pa.Check.isin(AGENCIES)),
    "source": pa.Column("string"),  # registry id of the file read
    "record": pa.Column("string"),  # the fix's record (index label) in that source's table
    "storm_id": pa.Column("string"),  # the agency's own storm id
    "basin": pa.Column("string", pa.Check.isin(IBTRACS_BASINS), nullable=True),
    "season": pa.Column("Int64", pa.Check.in_range(1800, 2100), nullable=True),
    "name": pa.Column("string", nullable=True),
    "time_utc": pa.Column("datetime64[ns]"),
    "latitude": pa.Column("float64", LAT),
    "longitude": pa.Column("float64", LON),
    "wind_kt": pa.Column("float64", WIND, nullable=True),
    "wind_avg_period_min": pa.Column("Int64", pa.Check.isin(WIND_AVG_PERIODS_MIN), nullable=True),
    "pressure_hpa": pa.Column("float64", PRES, nullable=True),
    "nature": pa.Column("string", nullable=True),  # IBTrACS nature / ATCF system type
    "grade": pa.Column("string", nullable=True),  # JTWC Cat / IMD grade
    "track_type": pa.Column("string", nullable=True),  # IBTrACS only
    "fix_suspect": pa.Column("bool"),  # the source flags the fix (IMD pos/date_suspect)
}
"""Columns of the common fix table returned by :func:`tracks_fixes`."""

FIX_SCHEMA = pa.DataFrameSchema(
    FIX_COLUMNS,
    checks=[wind_has_period("wind_kt", "wind_avg_period_min")],
    strict=True,
    ordered=True,
)


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


HAZARD_SOURCE_IDS = (
    "ibtracs_sp",
    "ibtracs_last3years",
    "jtwc_wnp",
    "imd_observations",
    "imd_storms",
    "imd_remarks",
    "imd_manifest",
)
"""Registry ids behind the fix table (its cache key)."""

HAZARD_SOURCES = ("ibtracs_sp", "ibtracs_last3years", "jtwc_wnp", "imd_observations")
"""Registry ids whose rows are in the fix table (recorded as used when it is handed out)."""


def load_tracks_fixes() -> pd.DataFrame:
    """Return :func:`tracks_fixes` of the registered files, from the derived-data cache."""
    return cached_table("tracks_fixes", HAZARD_SOURCE_IDS, tracks_fixes)


def prepare_fixes(fixes: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Return the fix table ready for distances: spur tracks and suspect fixes removed, sorted.

    Parameters
    ----------
    fixes : pandas.DataFrame
        The fix table (:func:`tracks_fixes`).

    Returns
    -------
    tuple
        The frame (``track``: one integer code per agency and storm, in track order;
        ``agency``, ``storm_id``, ``season``, ``name``, ``latitude``, ``longitude``,
        ``wind_kt``, ``wind_avg_period_min``, ``time_ns``, ``basin_code``) and a dict of what
        was removed (``spur_track_fixes``, ``spur_tracks``, ``suspect_fixes``) with the
        ``basin_names`` the codes stand for.
    """
    spur = fixes["track_type"].fillna("").str.startswith("spur").to_numpy()
    suspect = fixes["fix_suspect"].to_numpy()
    removed = {
        "spur_track_fixes": int(spur.sum()),
        "spur_tracks": int(fixes.loc[spur, ["agency", "storm_id"]].drop_duplicates().shape[0]),
        "suspect_fixes": int((suspect & ~spur).sum()),
    }
    fixes = fixes[~spur & ~suspect]
    # IMD dates can be swapped (source flag not exhaustive): keep its file order; others by time
    order = np.where(
        fixes["agency"].eq("imd").to_numpy(),
        pd.to_numeric(fixes["record"], errors="coerce").fillna(0).to_numpy(dtype="int64"),
        fixes["time_utc"].to_numpy().astype("int64"),
    )
    fixes = fixes.assign(_order=order).sort_values(["agency", "storm_id", "_order"], kind="stable")
    basin = fixes["basin"].astype("string").fillna("MM")
    basin_codes, basin_names = pd.factorize(basin, sort=True)
    track = fixes.groupby(["agency", "storm_id"], sort=False).ngroup().to_numpy()
    prepared = pd.DataFrame(
        {
            "track": track.astype("int64"),
            "agency": fixes["agency"].to_numpy(),
            "storm_id": fixes["storm_id"].to_numpy(),
            "season": fixes["season"].to_numpy(dtype="float64", na_value=np.nan),
            "name": fixes["name"].to_numpy(dtype=object, na_value=None),
            "latitude": fixes["latitude"].to_numpy(dtype="float64"),
            "longitude": fixes["longitude"].to_numpy(dtype="float64"),
            "wind_kt": fixes["wind_kt"].to_numpy(dtype="float64", na_value=np.nan),
            "wind_avg_period_min": fixes["wind_avg_period_min"].to_numpy(
                dtype="float64", na_value=np.nan
            ),
            "time_ns": fixes["time_utc"].to_numpy().astype("int64"),
            "basin_code": basin_codes.astype("int64"),
        }
    )
    removed["basin_names"] = list(basin_names)
    return prepared, removed
