"""South China Sea Data Initiative (SCSDI; Sexton & Ravanilla) event data.

Two registered files (mirror MANIFEST §1d):

``scsdi_geocoded``
    SCSDI geo-coded event data v1 (Harvard Dataverse doi:10.7910/DVN/GCBWA6; **CC0**, so
    text may be published): 1 241 rows, one per event location or report, for 514 events,
    2009-05-17 … 2019-12-30. :func:`load_scsdi_geocoded` returns one row per event;
    :func:`load_scsdi_geocoded_locations` the tidy rows as in the file.
``scsdi_published``
    "published data.csv" from a GitHub copy (**internal**: provenance unverified): 1 645
    events, 2009 … 2023, one row each. Read by :func:`load_scsdi_published`, which also
    accepts the official Dataverse geo-coded file via ``path=``.

Actors are ISO alpha-2 codes joined by "/" ("CN/VN"); ``actors_iso3`` maps each to ISO3
(";"-joined). Neither file attributes an event to a coastal state, so
``source_country_iso3`` is NA, and neither has an event type field (only free-text
notes), so ``source_label`` is NA.

Location precision. ``level`` (1–6) is SCSDI's location precision, 1 the most precise:
in the geo-coded file each level has one ``radius`` — 1: 0.08, 2: 0.4, 3 and 4: 0.7, 5:
1.8, 6: 7.2 — and level 6 is "South China Sea" as a whole. The radius is therefore in
decimal degrees, not km (7.2 km could not cover the South China Sea; 7.2° ≈ 800 km does),
and is returned as ``position_precision_deg``. The SCSDI codebook (a .docx beside the data)
was not available to confirm the unit; this is inferred from the values.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.countries import to_iso3
from osa_analysis.core.validation import (
    DataFormatError,
    require_columns,
    validate,
)
from osa_analysis.core.validation import blank_to_na as _text  # shared loader helpers
from osa_analysis.core.validation import failure_rows as _failures
from osa_analysis.core.validation import parse_numbers as _number
from osa_analysis.core.validation import validate_collected as _validate
from osa_analysis.sources.cache import disk_cached
from osa_analysis.sources.fetch import fetch
from osa_analysis.sources.loaders.common import INCIDENT_COLUMNS, checked_incidents

GEOCODED_SOURCE = "scsdi_geocoded"
PUBLISHED_SOURCE = "scsdi_published"

DATE_PRECISIONS = ("day", "month", "year")
"""Values of ``date_precision``: how much of the date the source gives."""

SOURCE_FORMATS = ("published_csv", "dataverse_geocoded_csv")
"""Values of ``source_format`` in :func:`load_scsdi_published`."""

LEVEL_RADIUS_DEG = {1: 0.08, 2: 0.4, 3: 0.7, 4: 0.7, 5: 1.8, 6: 7.2}
"""SCSDI location precision level → radius in degrees, as in the geo-coded file (v1)."""

ACTOR_ALIASES = {"UK": "GB"}
"""Actor codes that are not ISO alpha-2 but are unambiguous (UK is ISO's reserved code)."""

NON_STATE_ACTORS = frozenset({"ASEAN", "UNKNOWN", "others"})
"""Actor tokens that are not countries: left out of ``actors_iso3`` without a warning."""

MAX_RANGE_DAYS = 366
"""A date range longer than this is taken as a data-entry error (see CN_191211)."""

GEOCODED_COLUMNS = [
    "event_id",
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "latitude",
    "longitude",
    "level",
    "radius",
    "note_on_location",
    "location",
    "source",
    "notes",
    "number_of_report",
]
"""Named columns of the geo-coded file (its first column is an unnamed row number)."""

PUBLISHED_COLUMNS = ["Country", "Year", "Month", "Day", "Latitude", "Longtitude", "Levl", "Note"]
"""Columns of "published data.csv" (sic; ``"Levl "`` has a trailing space in the file)."""

_MDY_RE = r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})$"
_RANGE_RE = r"^(?P<start>[^-]+?)\s*(?:-\s*(?P<end>.*?))?\s*$"
_CLOCK_RE = r"^\s*(?P<h>\d{1,2}):(?P<m>[0-5]\d)(?::[0-5]\d)?\s*(?P<ampm>[AaPp][Mm])\s*$"
_URL_SPLIT_RE = r";|\s+|(?<=\S)(?=https?://)"

# --- schemas -----------------------------------------------------------------------------

_INCIDENT = {
    **INCIDENT_COLUMNS,
    "source_id": pa.Column("string", unique=True),
    "time_local": pa.Column("string", pa.Check.str_matches(r"^\d{2}:\d{2}$"), nullable=True),
    # impossible coordinates are kept and flagged by the incident table, not rejected here
    "latitude": pa.Column("float64", nullable=True),
    "longitude": pa.Column("float64", nullable=True),
}

_EVENT_COMMON: dict[str, pa.Column] = {
    "actors_iso2": pa.Column("string", nullable=True),  # as published, "/"-joined
    "actors_iso3": pa.Column(
        "string", pa.Check.str_matches(r"^[A-Z]{3}(;[A-Z]{3})*$"), nullable=True
    ),
    "year": pa.Column("Int64", pa.Check.in_range(2000, 2100)),
    "month": pa.Column("Int64", pa.Check.in_range(1, 12), nullable=True),
    "day": pa.Column("Int64", pa.Check.in_range(1, 31), nullable=True),
    "date_end": pa.Column("datetime64[ns]", nullable=True),
    "date_precision": pa.Column("string", pa.Check.isin(DATE_PRECISIONS)),
    # float: the published file has one level 2.8 (and one 7, outside the codebook's 1–6)
    "location_precision_level": pa.Column("float64", pa.Check.in_range(1, 7), nullable=True),
}

GEOCODED_EVENT_COLUMNS: dict[str, pa.Column] = {
    **_EVENT_COMMON,
    "location": pa.Column("string", nullable=True),
    "note_on_location": pa.Column("string", nullable=True),
    "n_locations": pa.Column("Int64", pa.Check.ge(1)),
    "n_rows": pa.Column("Int64", pa.Check.ge(1)),
    "n_reports": pa.Column("Int64", pa.Check.ge(1), nullable=True),
    "source_urls": pa.Column("string", nullable=True),
    "time_raw": pa.Column("string", nullable=True),
    "event_date_raw": pa.Column("string"),
}
"""Columns of :func:`load_scsdi_geocoded` after the incident columns."""

GEOCODED_EVENTS_SCHEMA = pa.DataFrameSchema(
    {**_INCIDENT, **GEOCODED_EVENT_COLUMNS}, strict=True, ordered=True
)
"""Schema of :func:`load_scsdi_geocoded` (one row per event)."""

LOCATIONS_SCHEMA = pa.DataFrameSchema(
    {
        "event_id": pa.Column("string"),
        "actors_iso2": pa.Column("string", nullable=True),
        "actors_iso3": pa.Column(
            "string", pa.Check.str_matches(r"^[A-Z]{3}(;[A-Z]{3})*$"), nullable=True
        ),
        "event_date_raw": pa.Column("string"),
        "date": pa.Column("datetime64[ns]", nullable=True),
        "date_end": pa.Column("datetime64[ns]", nullable=True),
        "year": pa.Column("Int64", pa.Check.in_range(2000, 2100)),
        "month": pa.Column("Int64", pa.Check.in_range(1, 12), nullable=True),
        "day": pa.Column("Int64", pa.Check.in_range(1, 31), nullable=True),
        "date_precision": pa.Column("string", pa.Check.isin(DATE_PRECISIONS)),
        "time_raw": pa.Column("string", nullable=True),
        "latitude": pa.Column("float64", pa.Check.in_range(-90, 90)),
        "longitude": pa.Column("float64", pa.Check.in_range(-180, 180)),
        "location_precision_level": pa.Column("float64", pa.Check.isin(list(LEVEL_RADIUS_DEG))),
        "radius_deg": pa.Column("float64", pa.Check.gt(0)),
        "note_on_location": pa.Column("string", nullable=True),
        "location": pa.Column("string", nullable=True),
        "source_urls": pa.Column("string", nullable=True),
        "notes": pa.Column("string", nullable=True),
        "n_reports": pa.Column("Int64", pa.Check.ge(1), nullable=True),
    },
    strict=True,
    ordered=True,
)
"""Schema of :func:`load_scsdi_geocoded_locations` (one row per row of the file)."""

PUBLISHED_EVENT_COLUMNS: dict[str, pa.Column] = {
    **_EVENT_COMMON,
    "latitude_raw": pa.Column("string", nullable=True),  # the text as published
    "longitude_raw": pa.Column("string", nullable=True),
    "source_format": pa.Column("string", pa.Check.isin(SOURCE_FORMATS)),
}
"""Columns of :func:`load_scsdi_published` after the incident columns."""

PUBLISHED_SCHEMA = pa.DataFrameSchema(
    {**_INCIDENT, **PUBLISHED_EVENT_COLUMNS}, strict=True, ordered=True
)
"""Schema of :func:`load_scsdi_published`."""


# --- helpers -----------------------------------------------------------------------------


def _integer(raw: pd.Series, column: str, failures: list[pd.DataFrame]) -> pd.Series:
    """Parse whole numbers ("5" or "5.0") as Int64; anything else is a failure."""
    parsed = _number(raw, column, failures)
    fractional = parsed.notna() & (parsed % 1 != 0)
    failures.append(_failures(fractional, column, "is a whole number", raw))
    return parsed.mask(fractional).round().astype("Int64")


def _read_csv(path: Path, encoding: str) -> pd.DataFrame:
    """Read every field as text ("" stays "" until :func:`_text`); quoted newlines are kept."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    except UnicodeDecodeError as exc:
        raise DataFormatError(f"{path}: not {encoding} text ({exc})") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataFormatError(f"{path}: cannot be parsed as a delimited file: {exc}") from exc


def _is_geocoded(path: Path) -> bool:
    """Whether a CSV's header names the geo-coded file's ``event_id`` column."""
    with open(path, "rb") as fh:
        header = fh.readline(65536).decode("cp1252", errors="replace")
    return "event_id" in [c.strip().strip('"') for c in header.split(",")]


def _ymd(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    """Build dates from parts (NaT where a part is missing or the date does not exist)."""
    parts = pd.DataFrame({"year": year, "month": month, "day": day}).astype("float64")
    complete = parts.notna().all(axis=1)
    out = pd.Series(pd.NaT, index=year.index, dtype="datetime64[ns]")
    if complete.any():
        out[complete] = pd.to_datetime(parts[complete], errors="coerce").astype("datetime64[ns]")
    return out


def _precision(month: pd.Series, day: pd.Series) -> pd.Series:
    """``day`` when month and day are known, ``month`` when only the month is, else ``year``."""
    out = np.where(month.notna() & day.notna(), "day", np.where(month.notna(), "month", "year"))
    return pd.Series(out, index=month.index, dtype="string")


def _actors_iso3(actors: pd.Series, path: Path) -> pd.Series:
    """Map "/"-joined ISO2 actors to ";"-joined ISO3 (file order; non-states left out).

    ``UK`` is read as GB; ``ASEAN``, ``UNKNOWN`` and ``others`` are not countries. A token
    of two ISO2 codes run together (``IDVN``, once in the published file) is split.
    """
    tokens = actors.str.split("/").explode().str.strip()
    tokens = tokens.astype("string")
    run_together = tokens.str.fullmatch(r"[A-Z]{4}").fillna(False)
    tokens = tokens.where(~run_together, tokens.str[:2] + "/" + tokens.str[2:])
    tokens = tokens.str.split("/").explode().astype("string")
    tokens = tokens.where(~tokens.isin(list(ACTOR_ALIASES)), tokens.map(ACTOR_ALIASES))
    iso3 = to_iso3(tokens.astype("string"), "iso2", source=str(path), ignore=NON_STATE_ACTORS)
    joined = iso3.dropna().groupby(level=0, sort=False).agg(";".join)
    return joined.reindex(actors.index).astype("string")


def _split_urls(text: pd.Series) -> pd.Series:
    """Split cells holding several URLs ("a; b", or run together "...htmlhttps://...")."""
    urls = text.str.split(_URL_SPLIT_RE, regex=True).explode().str.strip().astype("string")
    return urls.mask(urls.fillna("") == "")


def _parse_event_dates(
    raw: pd.Series, year: pd.Series, event_id: pd.Series, failures: list[pd.DataFrame]
) -> pd.DataFrame:
    """Parse SCSDI ``event_date`` values into start date, end date, year, month, day, precision.

    Forms: ``m/d/yy`` (most), ``mm/dd/yyyy``, unknown parts ``00`` (``09/00/2019``,
    ``00/00/2016``: date NA, month kept, precision month or year), and ranges ``a - b``
    (possibly across a line break) giving ``date`` (start) and ``date_end``. An end that
    is not a complete date is NA (``01/00/2017``, ``05/05-2015``). An end before the start
    or more than :data:`MAX_RANGE_DAYS` after it gets the event's ``year`` instead of its
    own (CN_191211's ends were Excel-autofilled 2019…2028: all become 2019-12-19); if it is
    still inconsistent it is NA.

    The returned ``year`` is the start's year. It differs from the file's ``year`` column
    once (CNUS_180526: 5/26/18 with year 2019); the date is kept there because the event id
    (``<actors>_<yymmdd>``) agrees with it. A start year that agrees with neither the
    ``year`` column nor the event id is a failure.
    """
    text = _text(raw).str.replace(r"\s+", " ", regex=True).str.strip()
    parts = text.str.extract(_RANGE_RE)
    start = parts["start"].str.extract(_MDY_RE)
    failures.append(
        _failures(start["m"].isna(), "event_date", "m/d/yy, mm/00/yyyy or 'a - b'", raw)
    )
    y = pd.to_numeric(start["y"]).astype("float64")
    y = y.where(y >= 100, y + 2000)  # two-digit years are 20yy (data from 2009)
    m = pd.to_numeric(start["m"]).astype("float64")
    d = pd.to_numeric(start["d"]).astype("float64")
    month = m.where(m > 0)
    day = d.where((d > 0) & month.notna())
    date = _ymd(y, month, day)
    failures.append(
        _failures(day.notna() & date.isna(), "event_date", "valid calendar date (month 1-12)", raw)
    )
    id_year = event_id.str.extract(r"_(\d{2})\d{4}")[0]
    id_year = pd.to_numeric(id_year).astype("float64") + 2000
    failures.append(
        _failures(
            y.notna() & (y != year.astype("float64")) & (y != id_year),
            "event_date",
            "same year as 'year' or the event id",
            raw,
        )
    )
    year = y.fillna(year.astype("float64"))

    end = parts["end"].str.extract(_MDY_RE)
    ey = pd.to_numeric(end["y"]).astype("float64")
    ey = ey.where(ey >= 100, ey + 2000)
    em = pd.to_numeric(end["m"]).astype("float64")
    ed = pd.to_numeric(end["d"]).astype("float64")
    em, ed = em.where(em > 0), ed.where(ed > 0)
    date_end = _ymd(ey, em, ed)

    def inconsistent(e: pd.Series) -> pd.Series:
        return e.notna() & ((e < date) | (e - date > pd.Timedelta(days=MAX_RANGE_DAYS)))

    refit = _ymd(year, em, ed)
    date_end = date_end.mask(inconsistent(date_end), refit)
    date_end = date_end.mask(inconsistent(date_end))
    return pd.DataFrame(
        {
            "date": date,
            "date_end": date_end.astype("datetime64[ns]"),
            "year": year.round().astype("Int64"),
            "month": month.astype("Int64"),
            "day": day.astype("Int64"),
            "date_precision": _precision(month, day),
        },
        index=raw.index,
    )


def _clock(time_raw: pd.Series) -> pd.Series:
    """``"9:30 AM"`` → ``"09:30"``; anything else (ranges, "10:45am Western…") → NA."""
    m = time_raw.str.extract(_CLOCK_RE)
    h = pd.to_numeric(m["h"]).astype("float64")
    valid = h.between(1, 12)
    pm = m["ampm"].str.lower() == "pm"
    h24 = (h % 12) + np.where(pm.fillna(False), 12, 0)
    hh = h24.where(valid).astype("Int64").astype("string").str.zfill(2)
    return (hh + ":" + m["m"]).astype("string")


# --- geo-coded events --------------------------------------------------------------------


def load_scsdi_geocoded_locations(path: Path | None = None) -> pd.DataFrame:
    """Load the SCSDI geo-coded file as it is: one row per event location or report.

    The file is cp1252, CRLF, with no final newline, and its first column is an unnamed
    row number (1, 2, ...; dropped: the index is the 0-based record number). One event has
    up to 72 rows (locations and/or reports); count events by ``event_id``, or use
    :func:`load_scsdi_geocoded`. See :func:`_parse_event_dates` for the date rules.

    Parameters
    ----------
    path : Path, optional
        The geo-coded CSV; default: the registered file (``scsdi_geocoded``).

    Returns
    -------
    pandas.DataFrame
        Indexed by record number: ``event_id``, ``actors_iso2`` (``event_id_cnty`` as
        published), ``actors_iso3``, ``event_date_raw``, ``date`` (start; NA when the day
        is unknown), ``date_end``, ``year`` (Int64, the year of ``event_date``),
        ``month``, ``day`` (Int64), ``date_precision`` (day|month|year), ``time_raw``
        (the file's ``time_precision``, which holds clock times such as "9:30 AM"),
        ``latitude``, ``longitude``,
        ``location_precision_level`` (``level``, 1 most precise … 6), ``radius_deg``
        (``radius``, degrees), ``note_on_location``, ``location``, ``source_urls``
        (``source``, ";"-joined), ``notes``, ``n_reports`` (``number_of_report``).

    Raises
    ------
    DataFormatError
        The file is not cp1252 text or a column is missing.
    DataValidationError
        Listing every bad value (unparseable date, coordinates, level...).
    """
    path = Path(path) if path else fetch(GEOCODED_SOURCE)
    raw = _read_csv(path, "cp1252")
    require_columns(raw, GEOCODED_COLUMNS, path)
    failures: list[pd.DataFrame] = []
    year = _integer(raw["year"], "year", failures)
    actors = _text(raw["event_id_cnty"]).str.strip()
    source_urls = _split_urls(_text(raw["source"]))
    df = pd.DataFrame(
        {
            "event_id": _text(raw["event_id"]).str.strip(),
            "actors_iso2": actors,
            "actors_iso3": _actors_iso3(actors, path),
            "event_date_raw": _text(raw["event_date"]),
            **_parse_event_dates(raw["event_date"], year, raw["event_id"], failures),
            "time_raw": _text(raw["time_precision"]).str.strip(),
            "latitude": _number(raw["latitude"], "latitude", failures),
            "longitude": _number(raw["longitude"], "longitude", failures),
            "location_precision_level": _number(raw["level"], "level", failures),
            "radius_deg": _number(raw["radius"], "radius", failures),
            "note_on_location": _text(raw["note_on_location"]).str.strip(),
            "location": _text(raw["location"]).str.strip(),
            "source_urls": source_urls.dropna()
            .groupby(level=0, sort=False)
            .agg(";".join)
            .reindex(raw.index)
            .astype("string"),
            "notes": _text(raw["notes"]).str.strip(),
            "n_reports": _integer(raw["number_of_report"], "number_of_report", failures),
        },
        index=raw.index,
    )
    df = df[list(LOCATIONS_SCHEMA.columns)]
    return _validate(df, LOCATIONS_SCHEMA, path, failures)


def _events_from_locations(loc: pd.DataFrame, source: str, path: Path) -> pd.DataFrame:
    """Collapse the per-location rows into one row per ``event_id``."""
    loc = loc.assign(record=loc.index)
    groups = loc.groupby("event_id", sort=False)
    first_record = groups["record"].min()
    # the most precise location (lowest level), the earliest record among ties
    best = (
        loc.sort_values(["location_precision_level", "record"], kind="stable")
        .drop_duplicates("event_id")
        .set_index("event_id")
        .reindex(first_record.index)
    )
    rank = loc["date_precision"].map({p: i for i, p in enumerate(DATE_PRECISIONS)})
    finest = rank.groupby(loc["event_id"], sort=False).min()
    n_locations = (
        loc.drop_duplicates(["event_id", "latitude", "longitude"])
        .groupby("event_id", sort=False)
        .size()
    )
    urls = _split_urls(loc["source_urls"]).to_frame("url").assign(event_id=loc["event_id"])
    urls = urls.dropna().drop_duplicates()
    source_urls = urls.groupby("event_id", sort=False)["url"].agg(";".join)
    notes = loc[["event_id", "notes"]].dropna().drop_duplicates()
    description = notes.groupby("event_id", sort=False)["notes"].agg("\n".join)
    time_raw = groups["time_raw"].first()

    ev = pd.DataFrame(index=first_record.index)
    idx = pd.Index(first_record.to_numpy(), name=None)
    na_text = pd.Series(pd.NA, index=idx, dtype="string")

    def col(values: pd.Series, dtype: str | None = None) -> pd.Series:
        out = values.reindex(ev.index)
        out.index = idx
        return out.astype(dtype) if dtype else out

    lat = col(best["latitude"], "float64")
    lon = col(best["longitude"], "float64")
    df = pd.DataFrame(
        {
            "source": pd.Series(source, index=idx, dtype="string"),
            "source_id": pd.Series(first_record.index, index=idx, dtype="string"),
            "date": col(groups["date"].min(), "datetime64[ns]"),
            "time_local": _clock(col(time_raw, "string")),
            "utc_offset_h": pd.Series(np.nan, index=idx),
            "latitude": lat,
            "longitude": lon,
            "position_status": pd.Series(
                np.where(lat.notna() & lon.notna(), "ok", "missing"), index=idx, dtype="string"
            ),
            "position_precision_deg": col(best["radius_deg"], "float64"),
            "source_country_iso3": na_text,  # SCSDI names actors, not a coastal state
            "source_label": na_text,  # no event type field in the file
            "source_severity": na_text,
            "description": col(description, "string"),  # distinct notes, "\n"-joined
            "vessel_name": na_text,
            "vessel_imo": na_text,
            "vessel_type_raw": na_text,
            "vessel_status_raw": na_text,
            "actors_iso2": col(groups["actors_iso2"].first(), "string"),
            "actors_iso3": col(groups["actors_iso3"].first(), "string"),
            "year": col(groups["year"].first(), "Int64"),
            "month": col(groups["month"].first(), "Int64"),
            "day": col(groups["day"].first(), "Int64"),
            "date_end": col(groups["date_end"].max(), "datetime64[ns]"),
            "date_precision": col(finest.map(dict(enumerate(DATE_PRECISIONS))), "string"),
            "location_precision_level": col(best["location_precision_level"], "float64"),
            "location": col(best["location"], "string"),
            "note_on_location": col(best["note_on_location"], "string"),
            "n_locations": col(n_locations, "Int64"),
            "n_rows": col(groups.size(), "Int64"),
            "n_reports": col(groups["n_reports"].max(), "Int64"),
            "source_urls": col(source_urls, "string"),
            "time_raw": col(time_raw, "string"),
            "event_date_raw": col(groups["event_date_raw"].first(), "string"),
        },
        index=idx,
    )
    return df.sort_index()


@disk_cached("scsdi_geocoded")
def load_scsdi_geocoded(path: Path | None = None) -> pd.DataFrame:
    """Load SCSDI geo-coded events v1, one row per event (``scsdi_geocoded``; CC0).

    The file has one row per event location or report (1 241 rows, 514 events); rows are
    collapsed by ``event_id``:

    * position: the location with the best (lowest) precision ``level`` (the first in
      the file among ties); ``position_precision_deg`` is its ``radius`` (degrees, see the
      module notes) and ``location_precision_level`` its level;
    * ``date``: the earliest start over the event's rows; ``date_end`` the latest valid
      range end; ``date_precision`` the finest; ``year``, ``month``, ``day`` and the raw
      text from the first row. ``event_date`` rules are in :func:`_parse_event_dates`
      (``mm/00/yyyy`` → date NA, month kept; CN_191211's autofilled ends → 2019-12-19);
    * ``description``: the distinct ``notes`` joined by newlines (CC0: publishable);
    * ``source_urls``: the distinct report URLs, ";"-joined; ``n_reports`` SCSDI's own
      ``number_of_report`` (maximum over rows; it can exceed the URLs listed);
    * ``n_locations``: distinct coordinates; ``n_rows``: rows in the file;
    * ``actors_iso2``: ``event_id_cnty`` (first non-empty; one row of PHVN_170408 is empty).

    The file has no event type field (``source_label`` NA) and attributes no coastal state
    (``source_country_iso3`` NA). ``time_local`` is the file's ``time_precision`` column
    (clock times like "9:30 AM", 46 rows) when it is a single time; its time zone is not
    stated, so ``utc_offset_h`` is NA.

    Parameters
    ----------
    path : Path, optional
        The geo-coded CSV; default: the registered file.

    Returns
    -------
    pandas.DataFrame
        Indexed by the record number of the event's first row, in file order, with the
        incident columns (``source`` "scsdi_geocoded", ``source_id`` = ``event_id``, ...)
        then ``actors_iso2``, ``actors_iso3``, ``year``, ``month``, ``day``,
        ``date_end``, ``date_precision``, ``location_precision_level``, ``location``,
        ``note_on_location``, ``n_locations``, ``n_rows``, ``n_reports``,
        ``source_urls``, ``time_raw``, ``event_date_raw``.

    Raises
    ------
    DataFormatError
        The file is not cp1252 text or a column is missing.
    DataValidationError
        Listing every bad value, by record number in the file.
    """
    path = Path(path) if path else fetch(GEOCODED_SOURCE)
    loc = load_scsdi_geocoded_locations(path)
    failures: list[pd.DataFrame] = []
    years = loc.groupby("event_id", sort=False)["year"].nunique()
    failures.append(
        _failures(loc["event_id"].map(years) > 1, "year", "one year per event_id", loc["year"])
    )
    df = _events_from_locations(loc, GEOCODED_SOURCE, path)
    return _validate(checked_incidents(df, path), GEOCODED_EVENTS_SCHEMA, path, failures)


# --- published events --------------------------------------------------------------------


@disk_cached("scsdi_published")
def load_scsdi_published(path: Path | None = None) -> pd.DataFrame:
    """Load SCSDI "published data.csv", one row per event (``scsdi_published``; internal).

    Columns (sic): ``Country`` (ISO2 actors, "/"-joined), ``Year``, ``Month``, ``Day``,
    ``Latitude``, ``Longtitude``, ``"Levl "`` (trailing space), ``Note``; ASCII, CRLF
    records with some bare LFs inside quoted notes, no final newline; 1 645 rows.

    Quirks handled:

    * ``Month`` (11 empty) and ``Day`` (42 empty): ``date`` is NA unless both are known;
      ``date_precision`` says what is known.
    * 10 rows have no ``Latitude``: ``position_status`` "missing" (their ``Longtitude``
      holds a latitude-like value, so it is not used).
    * Coordinates that are not numbers ("314.522.774", thousands separators gone wrong;
      5 rows) or out of range (latitude 139.96, 165.3, 155.52; 3 rows) give
      ``position_status`` "unparseable" and NA coordinates; the text is kept in
      ``latitude_raw``/``longitude_raw``. Other dubious but possible positions (e.g.
      latitude = longitude = 24.81) are kept as published.
    * ``Levl`` is float: one value is 2.8 and one is 7 (the codebook has 1–6); both kept.
      ``position_precision_deg`` is the v1 radius of whole levels 1–6
      (:data:`LEVEL_RADIUS_DEG`), NA otherwise.
    * ``source_id`` is "SCSDI-PUB-<record>" (0-based record number; the file has no id).
    * Actors: ``UK`` → GB, ``IDVN`` → ID/VN; ASEAN, UNKNOWN and "others" are not
      countries. ``SL`` is mapped as ISO2 (Sierra Leone) though it may mean Sri Lanka.

    The file is not an official release. The official SCSDI data on Harvard Dataverse
    (doi:10.7910/DVN/GCBWA6) is the geo-coded CSV: pass it via ``path=`` (detected by its
    ``event_id`` column) to get its events (:func:`load_scsdi_geocoded`) with these
    columns, ``source_format`` "dataverse_geocoded_csv" and ``source_id`` = ``event_id``.

    Parameters
    ----------
    path : Path, optional
        "published data.csv" or the Dataverse geo-coded CSV; default: the registered file.

    Returns
    -------
    pandas.DataFrame
        Indexed by record number, with the incident columns (``source``
        "scsdi_published", ``source_id``, ``date``, ``time_local`` (NA), ``utc_offset_h``
        (NA), ``latitude``, ``longitude``, ``position_status``, ``position_precision_deg``,
        ``source_country_iso3`` (NA), ``source_label`` (NA), ``source_severity`` (NA),
        ``description`` (``Note``), vessel columns (NA)), then ``actors_iso2``,
        ``actors_iso3``, ``year``, ``month``, ``day`` (Int64), ``date_end`` (NA),
        ``date_precision``, ``location_precision_level`` (float), ``latitude_raw``,
        ``longitude_raw``, ``source_format``.

    Raises
    ------
    DataFormatError
        A column is missing.
    DataValidationError
        Listing every bad value (non-numeric year/month/day/level, impossible date...).
    """
    path = Path(path) if path else fetch(PUBLISHED_SOURCE)
    if _is_geocoded(path):  # the official Dataverse geo-coded file
        events = load_scsdi_geocoded(path)
        events["source"] = pd.Series(PUBLISHED_SOURCE, index=events.index, dtype="string")
        events["latitude_raw"] = pd.Series(pd.NA, index=events.index, dtype="string")
        events["longitude_raw"] = pd.Series(pd.NA, index=events.index, dtype="string")
        events["source_format"] = pd.Series(
            "dataverse_geocoded_csv", index=events.index, dtype="string"
        )
        return validate(events[list(PUBLISHED_SCHEMA.columns)], PUBLISHED_SCHEMA, path)

    raw = _read_csv(path, "utf-8-sig")
    raw.columns = raw.columns.str.strip()  # "Levl " has a trailing space
    require_columns(raw, PUBLISHED_COLUMNS, path)
    failures: list[pd.DataFrame] = []
    idx = raw.index
    na_text = pd.Series(pd.NA, index=idx, dtype="string")

    year = _integer(raw["Year"], "Year", failures)
    failures.append(_failures(year.isna(), "Year", "not missing", raw["Year"]))
    month = _integer(raw["Month"], "Month", failures)
    day = _integer(raw["Day"], "Day", failures)
    date = _ymd(year, month, day)
    failures.append(
        _failures(
            month.between(1, 12).fillna(False) & day.notna() & date.isna(),
            "Day",
            "valid calendar date",
            raw["Day"],
        )
    )

    lat_text = _text(raw["Latitude"]).str.strip()
    lon_text = _text(raw["Longtitude"]).str.strip()
    lat = pd.to_numeric(lat_text, errors="coerce").astype("float64")
    lon = pd.to_numeric(lon_text, errors="coerce").astype("float64")
    missing = lat_text.isna() | lon_text.isna()
    ok = ~missing & lat.between(-90, 90).fillna(False) & lon.between(-180, 180).fillna(False)
    status = np.where(missing, "missing", np.where(ok, "ok", "unparseable"))
    level = _number(raw["Levl"], "Levl", failures)
    actors = _text(raw["Country"]).str.strip()

    df = pd.DataFrame(
        {
            "source": pd.Series(PUBLISHED_SOURCE, index=idx, dtype="string"),
            "source_id": ("SCSDI-PUB-" + pd.Series(idx, index=idx).astype(str)).astype("string"),
            "date": date,
            "time_local": na_text,
            "utc_offset_h": pd.Series(np.nan, index=idx),
            "latitude": lat.where(ok),
            "longitude": lon.where(ok),
            "position_status": pd.Series(status, index=idx, dtype="string"),
            "position_precision_deg": level.map(LEVEL_RADIUS_DEG).astype("float64").where(ok),
            "source_country_iso3": na_text,  # SCSDI names actors, not a coastal state
            "source_label": na_text,  # no event type field in the file
            "source_severity": na_text,
            "description": _text(raw["Note"]).str.strip(),
            "vessel_name": na_text,
            "vessel_imo": na_text,
            "vessel_type_raw": na_text,
            "vessel_status_raw": na_text,
            "actors_iso2": actors,
            "actors_iso3": _actors_iso3(actors, path),
            "year": year,
            "month": month,
            "day": day,
            "date_end": pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]"),
            "date_precision": _precision(month, day),
            "location_precision_level": level,
            "latitude_raw": lat_text,
            "longitude_raw": lon_text,
            "source_format": pd.Series("published_csv", index=idx, dtype="string"),
        },
        index=idx,
    )
    return _validate(checked_incidents(df, path), PUBLISHED_SCHEMA, path, failures)


@cache
def scsdi_event_years() -> pd.Series:
    """Year of every SCSDI event, indexed by ``(source, source_id)`` (dates may be partial).

    Both SCSDI tables record a year even where the day or month is unknown, so this is the
    reliable way to count events by year. Built once per process from the loaders' disk
    cache; treat the result as read-only.
    """
    parts = []
    for frame in (load_scsdi_geocoded(), load_scsdi_published()):
        parts.append(
            pd.Series(
                frame["year"].astype("Int64").to_numpy(),
                index=pd.MultiIndex.from_arrays(
                    [frame["source"].astype(str), frame["source_id"].astype(str)]
                ),
            )
        )
    years = pd.concat(parts)
    return years[~years.index.duplicated()]


def event_years(events: pd.DataFrame) -> pd.Series:
    """Return each harmonised event's year: its date's year, else the year SCSDI records.

    SCSDI events with a partial date (day or month unknown) have no ``date`` in the
    harmonised table but keep their year here (:func:`scsdi_event_years`); other events
    without a date stay NA.

    Parameters
    ----------
    events : pandas.DataFrame
        Rows of :func:`osa_analysis.harmonise.incidents.load_incidents` (``source``, ``source_id``,
        ``date``).

    Returns
    -------
    pandas.Series
        ``Int64`` years on ``events.index``.
    """
    keys = pd.MultiIndex.from_arrays(
        [events["source"].astype(str), events["source_id"].astype(str)]
    )
    fallback = pd.Series(
        scsdi_event_years().reindex(keys).to_numpy(), index=events.index, dtype="Int64"
    )
    return events["date"].dt.year.astype("Int64").fillna(fallback)
