"""Shared contract of the incident loaders.

Every incident loader (ASAM, IMB, ReCAAP, the live feed, SCSDI) returns a tidy frame that
has at least :data:`INCIDENT_COLUMNS`, so
:func:`osa_analysis.harmonise.incidents.load_incidents` can stack them. Source-specific
columns may follow. The index is the record number in the file.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

POSITION_STATUSES = ("ok", "missing", "unparseable", "impossible")
"""``impossible``: a latitude beyond ±90° or a longitude beyond ±180° (or not finite); the
loader sets the coordinates to NA and warns (:func:`checked_incidents`)."""

ROWS_SHOWN = 10
"""Record numbers a warning lists before "and N more"."""

INCIDENT_COLUMNS: dict[str, pa.Column] = {
    # identity
    "source": pa.Column("string"),  # registry id of the file, e.g. "asam_msi_csv"
    "source_id": pa.Column(
        "string"
    ),  # the source's own record id (ASAM reference, IC-2024-099, ...)
    # when
    "date": pa.Column("datetime64[ns]", nullable=True),  # local calendar date of the incident
    "time_local": pa.Column("string", nullable=True),  # "HH:MM" local time where the source has it
    "utc_offset_h": pa.Column("float64", nullable=True),  # local time = UTC + offset, where known
    # where
    "latitude": pa.Column("float64", nullable=True),
    "longitude": pa.Column("float64", nullable=True),
    "position_status": pa.Column("string", pa.Check.isin(POSITION_STATUSES)),
    "position_precision_deg": pa.Column("float64", nullable=True),  # e.g. 1.0 whole degrees
    "source_country_iso3": pa.Column("string", nullable=True),  # the source's own attribution
    # what (the source's own labels, unchanged)
    "source_label": pa.Column("string", nullable=True),  # ASAM hostility, IMB attack_type, ...
    "source_severity": pa.Column("string", nullable=True),  # ReCAAP CAT1-4/Attempted where given
    "description": pa.Column("string", nullable=True),  # narrative text as published
    # the ship
    "vessel_name": pa.Column("string", nullable=True),
    "vessel_imo": pa.Column("string", nullable=True),
    "vessel_type_raw": pa.Column("string", nullable=True),
    "vessel_status_raw": pa.Column("string", nullable=True),
}
"""Columns every incident loader returns (pandera column specs; all strings are ``string``)."""


class SourceDataWarning(UserWarning):
    """A source file holds records no real incident can have; they are flagged, not used."""


def impossible_positions(lat: pd.Series, lon: pd.Series) -> pd.Series:
    """Return where a given latitude is beyond ±90° or a longitude beyond ±180° (or infinite)."""
    return (lat.notna() & ~lat.between(-90, 90)) | (lon.notna() & ~lon.between(-180, 180))


def _rows(index: pd.Index) -> str:
    shown = ", ".join(str(i) for i in index[:ROWS_SHOWN])
    more = len(index) - ROWS_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def checked_incidents(
    df: pd.DataFrame, source: str | Path, *, today: dt.date | None = None
) -> pd.DataFrame:
    """Flag, at the source, what no real incident record can have; warn naming file and rows.

    * an impossible position (latitude beyond ±90°, longitude beyond ±180°, or not finite):
      ``position_status`` becomes ``impossible`` and the coordinates NA;
    * a date after ``today`` (default: today's date): a warning (no brief reads a record
      dated after its ``as_of``; the harmonised table flags it ``future_date``);
    * a record that repeats an earlier one of the same file exactly (every column the loader
      read but its id, :func:`duplicate_records`): a warning (the harmonised table flags
      the records that repeat one on every shared column, ``duplicate_record``).

    Parameters
    ----------
    df : pandas.DataFrame
        A loader's frame with :data:`INCIDENT_COLUMNS`, indexed by record number.
    source : str or Path
        The file, named in the warnings.
    today : datetime.date, optional

    Returns
    -------
    pandas.DataFrame
        ``df`` with impossible positions flagged (a copy when any was).
    """
    lat = pd.to_numeric(df["latitude"], errors="coerce").astype(float)
    lon = pd.to_numeric(df["longitude"], errors="coerce").astype(float)
    bad = impossible_positions(lat, lon)
    if bad.any():
        values = "; ".join(
            f"{i}: {lat[i]:g}, {lon[i]:g}" for i in df.index[bad.to_numpy()][:ROWS_SHOWN]
        )
        warnings.warn(
            f"{source}: {int(bad.sum())} record(s) with an impossible position (latitude "
            f"beyond ±90° or longitude beyond ±180°), kept without coordinates: rows "
            f"{_rows(df.index[bad.to_numpy()])} ({values})",
            SourceDataWarning,
            stacklevel=2,
        )
        df = df.copy()
        df.loc[bad, ["latitude", "longitude"]] = np.nan
        df.loc[bad, "position_status"] = "impossible"
    reference = pd.Timestamp(today or dt.date.today())
    future = df["date"].notna() & (pd.to_datetime(df["date"], errors="coerce") > reference)
    if future.any():
        warnings.warn(
            f"{source}: {int(future.sum())} record(s) dated after today "
            f"({reference.date().isoformat()}): rows {_rows(df.index[future.to_numpy()])}",
            SourceDataWarning,
            stacklevel=2,
        )
    repeats = duplicate_records(df)
    if repeats.any():
        warnings.warn(
            f"{source}: {int(repeats.sum())} record(s) repeat an earlier record of the file "
            f"exactly: rows {_rows(df.index[repeats.to_numpy()])}",
            SourceDataWarning,
            stacklevel=2,
        )
    return df


def duplicate_records(df: pd.DataFrame, columns: list[str] | None = None) -> pd.Series:
    """Return which records repeat an earlier one on every column (default: all of ``df``).

    ``source_id`` is left out: a file without ids of its own gets them from the record
    number, so a repeated line would otherwise never match.
    """
    names = [c for c in (columns or list(df.columns)) if c in df.columns and c != "source_id"]
    return df.duplicated(subset=names, keep="first")
