"""JTWC Western North Pacific best tracks, one row per storm fix.

Registered file (mirror MANIFEST §6): ``jtwc_wnp``, JTWC's best tracks 1945–2021 compiled
into one CSV by a third party. :func:`load_jtwc_wnp` also reads JTWC's own ATCF best-track
files. Conventions: :mod:`~osa_analysis.sources.loaders.tracks_common`.
"""

from __future__ import annotations

import re
import zipfile
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
from osa_analysis.sources.loaders.tracks_common import LAT, LON, PRES, check_failures, is_zip

JTWC_CATEGORIES = ("TD", "TS", "Cat1", "Cat2", "Cat3", "Cat4", "Cat5")
"""JTWC compilation ``Cat``: TD 15–30 kt, TS 35–60 kt, Saffir–Simpson categories 1–5."""

JTWC_SCHEMA = pa.DataFrameSchema(
    {
        "storm_id": pa.Column("string", pa.Check.str_matches(r"^\d{6}$")),
        "season": pa.Column("Int64", pa.Check.in_range(1800, 2100)),
        "cyclone_number": pa.Column("Int64", pa.Check.in_range(1, 99)),
        "time_utc": pa.Column("datetime64[ns]"),
        "latitude": pa.Column("float64", LAT),
        "longitude": pa.Column("float64", LON),
        "wind_kt": pa.Column("float64", pa.Check.in_range(1, 250), nullable=True),
        "wind_zero": pa.Column("bool"),
        "pressure_hpa": pa.Column("float64", PRES, nullable=True),
        "grade": pa.Column("string", pa.Check.isin(JTWC_CATEGORIES), nullable=True),
        "nature": pa.Column("string", nullable=True),
    },
    strict=True,
    ordered=True,
)


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
    elif is_zip(path):
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
    if path.is_dir() or is_zip(path):
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
    check_failures(path, time.isna(), "time_utc", "valid Year/Month/Day/Hour", time.astype(str))
    return validate(df, JTWC_SCHEMA, path)
