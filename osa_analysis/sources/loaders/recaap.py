"""ReCAAP ISC incidents (OpenMap) and the ReCAAP/IMB live feed ingested by le-phare.

Two registered files (mirror MANIFEST §1c; both **internal**: no open licence, never
republish rows or text; cite ReCAAP ISC and the IMB Piracy Reporting Centre):

``recaap_openmap``
    A ReCAAP ISC OpenMap portal search response: 369 incidents, 2020-11-03 … 2024-11-24.
    Read by :func:`load_recaap_openmap`.
``recaap_imb_live``
    le-phare's daily ingestion of ReCAAP ISC (242) and IMB PRC (148) live reports,
    2024-07-07 … 2026-08-09, in le-phare's own format. Read by :func:`load_recaap_imb_live`,
    which also accepts an official OpenMap search response (a JSON array) via ``path=``.

Dates. ReCAAP dates incidents in the local time of the incident; OpenMap's ``incidentDate``
is the epoch (ms) of 00:00 of that local date at UTC+8, so it is converted in
Asia/Singapore time (1732377600000 = 2024-11-23T16:00Z is a 24 Nov incident). le-phare's
``date`` for ReCAAP rows is one day earlier than ReCAAP's local date for 37 of the 38
incidents both files hold (it looks like the UTC date of that epoch); the live loader does
not shift it but flags those rows with ``date_may_be_utc``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.countries import to_iso3
from osa_analysis.core.validation import (
    DataFormatError,
    require_columns,
)
from osa_analysis.core.validation import blank_to_na as _text  # shared loader helpers
from osa_analysis.core.validation import failure_rows as _failures
from osa_analysis.core.validation import parse_numbers as _number
from osa_analysis.core.validation import validate_collected as _validate
from osa_analysis.sources.fetch import fetch
from osa_analysis.sources.loaders.common import INCIDENT_COLUMNS, checked_incidents

OPENMAP_SOURCE = "recaap_openmap"
LIVE_SOURCE = "recaap_imb_live"

RECAAP_TIMEZONE = "Asia/Singapore"
"""``incidentDate`` is 00:00 of the incident's local date read at UTC+8 (Singapore time)."""

CLASSIFICATIONS = ("CAT1", "CAT2", "CAT3", "CAT4", "Attempted")
"""ReCAAP severity classes (CAT1 most severe); the OpenMap file has no CAT1."""

ORIGINS = ("recaap", "imb")
"""Values of the live feed's ``origin``."""

SOURCE_FORMATS = ("lephare_json", "openmap_json")
"""Values of the live loader's ``source_format``: which layout a row was read from."""

LEPHARE_PRECISION_DEG = 0.001
"""le-phare rounds positions to 3 decimal places."""

WHOLE_DEGREE_PRECISION_DEG = 1.0
"""ReCAAP positions in le-phare up to 2026-01-18 are whole degrees (minutes dropped)."""

FLAG_NAME_ALIASES = {"HONG KONG, CHINA": "Hong Kong"}
"""ReCAAP flag spellings that :func:`~osa_analysis.core.countries.to_iso3` does not resolve."""

NO_ISO3_FLAGS = frozenset({"NETHERLANDS ANTILLES"})
"""Flags with no current ISO3 (the Netherlands Antilles were dissolved in 2010): NA, silently."""

IMO_PLACEHOLDERS = frozenset({"", "0", "NA", "N/A", "NIL", "NONE", "-", "UNKNOWN"})
"""``shipImoNumber`` values meaning "no IMO number" (upper-cased): NA."""

TEXT_PLACEHOLDERS = frozenset({"", "NA", "N/A", "NIL", "TBC"})
"""``remarks``/``attackMethodDesc`` values meaning "nothing yet" (upper-cased): NA."""

OPENMAP_KEYS = [
    "incidentNo",
    "incidentType",
    "incidentDate",
    "areaDescription",
    "shipName",
    "shipImoNumber",
    "shipFlag",
    "shipType",
    "classification",
    "fullTimestampOfIncidentString",
    "timezone",
    "positionLatitude",
    "positionLongitude",
    "attackMethodDesc",
]
"""OpenMap keys the loader needs (``id``, ``remarks``, ``sourceOfInformation`` are optional).

The 11 audit keys (``createdDate``, ``updatedBy``, ``dateSourceInformation``,
``positionLatitudeString``...) are always null and are not read; the degree/minute keys
(``latDegree``...) repeat ``positionLatitude``/``positionLongitude`` exactly.
"""

LIVE_KEYS = ["id", "date", "type", "zone", "lat", "lon", "vessel", "summary", "origin"]
"""Keys of a le-phare live event that the loader needs."""

# "24 Nov 2024 0100 GMT+08:00"
_TIMESTAMP_RE = (
    r"^\s*(?P<day>\d{1,2} [A-Za-z]{3} \d{4})\s+(?P<hh>[01]\d|2[0-3])(?P<mm>[0-5]\d)\s+"
    r"GMT(?P<sign>[+-])(?P<oh>\d{1,2}):?(?P<om>\d{2})\s*$"
)
_TIMEZONE_RE = r"^\s*GMT(?P<sign>[+-])(?P<oh>\d{1,2}):?(?P<om>\d{2})\s*$"
# "Indonesia (Ports/Anchorages)", "Malaysia (Seas/Straits)"
_AREA_COUNTRY_RE = r"^\s*(.+?)\s*\((?:Ports/Anchorages|Seas/Straits)\)\s*$"
_WITHHELD_RE = r"(?i)^\s*(?:name\s+)?withheld\s*$"
# "bulk carrier Columbia River (HONG KONG, CHINA flag)": lower-case type words, the name,
# then the flag in the last parentheses
_LIVE_VESSEL_RE = (
    r"^(?P<type>[a-z][a-z/-]*(?: [a-z][a-z/-]*)*) (?P<name>.+) \((?P<flag>[^()]+) flag\)$"
)
_TEST_RECORD_RE = r"(?i)\bdummy\b|\btest for\b"

# --- schemas -----------------------------------------------------------------------------

_INCIDENT = {
    **INCIDENT_COLUMNS,
    "source_id": pa.Column("string", unique=True),
    "date": pa.Column("datetime64[ns]"),  # every incident is dated
    "time_local": pa.Column("string", pa.Check.str_matches(r"^\d{2}:\d{2}$"), nullable=True),
    "utc_offset_h": pa.Column("float64", pa.Check.in_range(-12, 14), nullable=True),
    # impossible coordinates are kept and flagged by the incident table, not rejected here
    "latitude": pa.Column("float64", nullable=True),
    "longitude": pa.Column("float64", nullable=True),
    "source_country_iso3": pa.Column("string", pa.Check.str_length(3, 3), nullable=True),
    "source_severity": pa.Column("string", pa.Check.isin(CLASSIFICATIONS), nullable=True),
    "vessel_imo": pa.Column("string", pa.Check.str_matches(r"^\d{7}$"), nullable=True),
}

_DATETIME_UTC = pa.Column(pd.DatetimeTZDtype("ns", "UTC"), nullable=True)

OPENMAP_COLUMNS: dict[str, pa.Column] = {
    "datetime_utc": _DATETIME_UTC,
    "recaap_id": pa.Column("Int64", nullable=True),  # the portal's internal case id
    "area_description": pa.Column("string", nullable=True),
    "ship_flag": pa.Column("string", nullable=True),  # as published, e.g. "VIET NAM"
    "flag_iso3": pa.Column("string", pa.Check.str_length(3, 3), nullable=True),
    "remarks": pa.Column("string", nullable=True),
    "source_of_information": pa.Column("string", nullable=True),
}
"""OpenMap-specific columns of :func:`load_recaap_openmap`, after the incident columns."""

OPENMAP_SCHEMA = pa.DataFrameSchema(
    {
        **_INCIDENT,
        "source_id": pa.Column("string", pa.Check.str_matches(r"^IC-\d{4}-\d+$"), unique=True),
        "source_label": pa.Column("string"),  # incidentType
        "source_severity": pa.Column("string", pa.Check.isin(CLASSIFICATIONS)),
        **OPENMAP_COLUMNS,
    },
    strict=True,
    ordered=True,
)
"""Schema of :func:`load_recaap_openmap`."""

LIVE_COLUMNS: dict[str, pa.Column] = {
    "origin": pa.Column("string", pa.Check.isin(ORIGINS)),
    "recaap_incident_no": pa.Column(
        "string", pa.Check.str_matches(r"^IC-\d{4}-\d+$"), nullable=True
    ),
    "zone": pa.Column("string", nullable=True),  # le-phare's zone (or areaDescription), raw
    "summary_truncated": pa.Column("bool"),
    "date_may_be_utc": pa.Column("bool"),
    "datetime_utc": _DATETIME_UTC,
    "vessel_raw": pa.Column("string", nullable=True),
    "ship_flag": pa.Column("string", nullable=True),
    "flag_iso3": pa.Column("string", pa.Check.str_length(3, 3), nullable=True),
    "suspected_test_record": pa.Column("bool"),
    "source_format": pa.Column("string", pa.Check.isin(SOURCE_FORMATS)),
}
"""Live-feed-specific columns of :func:`load_recaap_imb_live`, after the incident columns."""

LIVE_SCHEMA = pa.DataFrameSchema({**_INCIDENT, **LIVE_COLUMNS}, strict=True, ordered=True)
"""Schema of :func:`load_recaap_imb_live`."""


# --- helpers -----------------------------------------------------------------------------


def _placeholder_na(values: pd.Series, placeholders: frozenset[str]) -> pd.Series:
    """Return stripped text with placeholder values (compared upper-cased) as NA."""
    text = values.astype("string").str.strip()
    return text.mask(text.str.upper().isin(placeholders).fillna(False) | text.isna())


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFormatError(f"{path}: not valid UTF-8 JSON ({exc})") from exc


def _records(data: list, keys: list[str], path: Path, what: str) -> pd.DataFrame:
    """Return a list of JSON objects as a frame (index = position), checking its keys."""
    if not all(isinstance(item, dict) for item in data):
        raise DataFormatError(f"{path}: expected a JSON array of {what} objects")
    raw = pd.DataFrame(data) if data else pd.DataFrame(columns=keys)
    require_columns(raw, keys, path)
    return raw


def _offset_hours(match: pd.DataFrame) -> pd.Series:
    """Return the UTC offset in hours from ``sign``, ``oh``, ``om`` groups."""
    sign = match["sign"].map({"+": 1.0, "-": -1.0}).astype("float64")
    hours = pd.to_numeric(match["oh"]).astype("float64")
    minutes = pd.to_numeric(match["om"]).astype("float64")
    return sign * (hours + minutes / 60)


def _area_country(area: pd.Series, path: Path) -> pd.Series:
    """ISO3 of "<Country> (Ports/Anchorages)" or "<Country> (Seas/Straits)", else NA.

    Sea areas without a country ("Straits of Malacca & Singapore", "South China Sea") are NA.
    """
    name = area.str.extract(_AREA_COUNTRY_RE)[0].astype("string")
    return to_iso3(name, "name", source=str(path))


def _flag_iso3(flag: pd.Series, path: Path) -> pd.Series:
    """ISO3 of a ReCAAP flag name ("VIET NAM" → VNM, "HONG KONG, CHINA" → HKG)."""
    names = flag.str.strip().str.upper()
    names = names.where(~names.isin(list(FLAG_NAME_ALIASES)), names.map(FLAG_NAME_ALIASES))
    return to_iso3(names.astype("string"), "name", source=str(path), ignore=NO_ISO3_FLAGS)


def _position(
    lat: pd.Series, lon: pd.Series, precision: pd.Series | float | None
) -> dict[str, pd.Series]:
    """Position columns: status ``ok`` when both coordinates are present, else ``missing``."""
    ok = lat.notna() & lon.notna()
    prec = pd.Series(np.nan if precision is None else precision, index=lat.index, dtype="float64")
    return {
        "latitude": lat.where(ok),
        "longitude": lon.where(ok),
        "position_status": pd.Series(np.where(ok, "ok", "missing"), index=lat.index).astype(
            "string"
        ),
        "position_precision_deg": prec.where(ok),
    }


# --- OpenMap -----------------------------------------------------------------------------


def _parse_openmap(raw: pd.DataFrame, path: Path, failures: list[pd.DataFrame]) -> pd.DataFrame:
    """Tidy OpenMap records into the incident columns plus :data:`OPENMAP_COLUMNS`."""
    idx = raw.index
    na_text = pd.Series(pd.NA, index=idx, dtype="string")

    # incidentDate: epoch ms of 00:00 of the local date, read at UTC+8
    epoch = _number(raw["incidentDate"], "incidentDate", failures)
    at_sgt = pd.to_datetime(epoch, unit="ms", utc=True).dt.tz_convert(RECAAP_TIMEZONE)
    naive = at_sgt.dt.tz_localize(None)
    date = naive.dt.normalize().astype("datetime64[ns]")
    failures.append(
        _failures(
            epoch.notna() & (naive != naive.dt.normalize()),
            "incidentDate",
            "00:00 at UTC+8",
            raw["incidentDate"],
        )
    )

    # "24 Nov 2024 0100 GMT+08:00": local time and UTC offset
    stamp_text = _text(raw["fullTimestampOfIncidentString"])
    stamp = stamp_text.str.extract(_TIMESTAMP_RE)
    failures.append(
        _failures(
            stamp_text.notna() & stamp["day"].isna(),
            "fullTimestampOfIncidentString",
            "'D Mon YYYY HHMM GMT+hh:mm'",
            stamp_text,
        )
    )
    local_day = pd.to_datetime(stamp["day"], format="%d %b %Y", errors="coerce")
    failures.append(
        _failures(
            local_day.notna() & date.notna() & (local_day != date),
            "incidentDate",
            "same local date as fullTimestampOfIncidentString",
            raw["incidentDate"],
        )
    )
    tz_text = _text(raw["timezone"])
    tz = tz_text.str.extract(_TIMEZONE_RE)
    tz_offset = _offset_hours(tz)
    stamp_offset = _offset_hours(stamp)
    failures.append(
        _failures(tz_text.notna() & tz["sign"].isna(), "timezone", "'GMT+hh:mm'", tz_text)
    )
    failures.append(
        _failures(
            tz_offset.notna() & stamp_offset.notna() & (tz_offset != stamp_offset),
            "timezone",
            "same offset as fullTimestampOfIncidentString",
            tz_text,
        )
    )
    offset = tz_offset.fillna(stamp_offset)
    # UTC from the local wall time and its offset. Not from fullTimestampOfIncident: that
    # epoch reads every local time at UTC+8, so it is 1–4 h off outside UTC+8.
    local = (
        local_day
        + pd.to_timedelta(pd.to_numeric(stamp["hh"]), unit="h")
        + pd.to_timedelta(pd.to_numeric(stamp["mm"]), unit="m")
    )
    datetime_utc = (local - pd.to_timedelta(offset, unit="h")).dt.tz_localize("UTC")

    lat = _number(raw["positionLatitude"], "positionLatitude", failures)
    lon = _number(raw["positionLongitude"], "positionLongitude", failures)
    ship_name = _text(raw["shipName"]).str.strip()
    ship_flag = _text(raw["shipFlag"]).str.strip()
    area = _text(raw["areaDescription"]).str.strip()
    optional = {
        k: raw[k] if k in raw else na_text for k in ("id", "remarks", "sourceOfInformation")
    }

    return pd.DataFrame(
        {
            "source": pd.Series(OPENMAP_SOURCE, index=idx, dtype="string"),
            "source_id": _text(raw["incidentNo"]).str.strip(),
            "date": date,
            "time_local": (stamp["hh"] + ":" + stamp["mm"]).astype("string"),
            "utc_offset_h": offset,
            # decimal degrees from degrees and minutes to 0.01'; no uniform precision
            **_position(lat, lon, None),
            "source_country_iso3": _area_country(area, path),
            "source_label": _text(raw["incidentType"]).str.strip(),
            "source_severity": _text(raw["classification"]).str.strip(),
            # attackMethodDesc is the narrative; "TBC" (6 rows) means not yet written
            "description": _placeholder_na(raw["attackMethodDesc"], TEXT_PLACEHOLDERS),
            # "Name withheld" (8 rows) is not a name
            "vessel_name": ship_name.mask(ship_name.str.fullmatch(_WITHHELD_RE).fillna(False)),
            "vessel_imo": _placeholder_na(raw["shipImoNumber"], IMO_PLACEHOLDERS),
            "vessel_type_raw": _text(raw["shipType"]).str.strip(),
            "vessel_status_raw": na_text,  # OpenMap has no vessel status field
            "datetime_utc": datetime_utc.astype(pd.DatetimeTZDtype("ns", "UTC")),
            "recaap_id": pd.to_numeric(optional["id"], errors="coerce").astype("Int64"),
            "area_description": area,
            "ship_flag": ship_flag,
            "flag_iso3": _flag_iso3(ship_flag, path),
            "remarks": _placeholder_na(optional["remarks"], TEXT_PLACEHOLDERS),
            "source_of_information": _text(optional["sourceOfInformation"]).str.strip(),
        },
        index=idx,
    )


def load_recaap_openmap(path: Path | None = None) -> pd.DataFrame:
    """Load a ReCAAP ISC OpenMap incident search response (``recaap_openmap``).

    A pretty-printed JSON array (CRLF), newest first, of portal records with 38 keys; 369
    incidents, 2020-11-03 … 2024-11-24. Internal: never republish rows or text.

    Quirks handled:

    * ``incidentDate`` is the epoch (ms) of 00:00 of the local date at UTC+8, so ``date``
      is computed in Asia/Singapore time (1732377600000 → 2024-11-24). It must agree with
      the date in ``fullTimestampOfIncidentString``.
    * ``fullTimestampOfIncidentString`` ("24 Nov 2024 0100 GMT+08:00") gives ``time_local``
      ("01:00") and, with ``timezone``, ``utc_offset_h`` (8.0; also +7, +6, +5.5, +4).
      ``datetime_utc`` is that local time minus the offset. ``fullTimestampOfIncident`` is
      not used: it reads every local time at UTC+8 and is wrong by 1–4 h elsewhere.
    * ``classification`` (CAT2–4 or Attempted; no CAT1) → ``source_severity``;
      ``incidentType`` (Robbery/Theft, Attempted) → ``source_label``.
    * ``shipImoNumber`` is text; "", "NA", "NIL" or "0" → NA. ``shipName`` "Name withheld"
      → NA. ``attackMethodDesc`` (the narrative) "TBC" → NA; ``remarks`` "NIL"/"NA" → NA.
    * ``shipFlag`` is an upper-case name; ``flag_iso3`` maps it (VIET NAM → VNM, HONG KONG,
      CHINA → HKG; NETHERLANDS ANTILLES has no ISO3 → NA).
    * ``source_country_iso3`` is the country of ``areaDescription`` "<Country>
      (Ports/Anchorages)" or "<Country> (Seas/Straits)"; NA for "Straits of Malacca &
      Singapore" and "South China Sea".
    * The 11 always-null audit keys are left out; ``position_precision_deg`` is NA (the
      positions are degrees and minutes to 0.01', with no uniform precision).

    Parameters
    ----------
    path : Path, optional
        The OpenMap JSON; default: the registered file.

    Returns
    -------
    pandas.DataFrame
        Indexed by position in the array, with the incident columns (``source``
        "recaap_openmap", ``source_id`` = ``incidentNo`` ``IC-YYYY-NNN``, ``date``,
        ``time_local``, ``utc_offset_h``, ``latitude``, ``longitude``, ``position_status``,
        ``position_precision_deg`` (NA), ``source_country_iso3``, ``source_label``,
        ``source_severity``, ``description``, ``vessel_name``, ``vessel_imo`` (7-digit
        text), ``vessel_type_raw`` (``shipType``), ``vessel_status_raw`` (NA)), then
        ``datetime_utc`` (datetime64[ns, UTC]), ``recaap_id`` (the portal's case id),
        ``area_description``, ``ship_flag`` (raw), ``flag_iso3``, ``remarks``,
        ``source_of_information``.

    Raises
    ------
    DataFormatError
        The file is not a JSON array of objects, or a key is missing.
    DataValidationError
        Listing every bad value (dates that disagree, malformed timestamp, unknown
        classification, IMO not 7 digits, duplicate incidentNo...).
    """
    path = Path(path) if path else fetch(OPENMAP_SOURCE)
    data = _read_json(path)
    if not isinstance(data, list):
        raise DataFormatError(f"{path}: expected a JSON array of OpenMap incident records")
    raw = _records(data, OPENMAP_KEYS, path, "OpenMap incident")
    failures: list[pd.DataFrame] = []
    df = _parse_openmap(raw, path, failures)
    return _validate(checked_incidents(df, path), OPENMAP_SCHEMA, path, failures)


# --- the live feed -----------------------------------------------------------------------


def _live_precision(lat: pd.Series, lon: pd.Series, recaap: pd.Series) -> pd.Series:
    """Position precision detected from the values, not the date.

    A ReCAAP row whose latitude and longitude are both whole numbers is a whole-degree
    position (le-phare dropped the minutes up to 2026-01-18): 1.0°. Every other row is
    rounded to 3 dp by le-phare: 0.001°. (A genuine 3-dp position falling on whole degrees
    in both coordinates is possible but negligible; IMB rows are never taken as whole.)
    """
    whole = (lat % 1 == 0) & (lon % 1 == 0) & recaap
    return pd.Series(
        np.where(whole, WHOLE_DEGREE_PRECISION_DEG, LEPHARE_PRECISION_DEG), index=lat.index
    )


def _zone_country(zone: pd.Series, recaap: pd.Series, path: Path) -> pd.Series:
    """ISO3 attributed by the live ``zone``.

    ReCAAP zones follow OpenMap's "<Country> (Ports/Anchorages)" pattern (unmapped names
    warn). IMB zones are free text: a country name ("Indonesia", "Ivory Coast", "The
    Congo"), a sea ("Gulf of Aden"), a region ("Asia") or a fragment of the report text;
    only a zone that is exactly a country name is mapped, silently leaving the rest NA.
    """
    by_area = _area_country(zone, path)
    candidate = zone.str.strip().str.replace(r"^The\s+", "", regex=True)
    candidate = candidate.where(
        ~recaap & by_area.isna() & candidate.str.fullmatch(r"[A-Z][A-Za-z' -]{2,40}").fillna(False)
    ).astype("string")
    ignore = frozenset(candidate.dropna().unique())  # free text: unmapped is expected
    by_name = to_iso3(candidate, "name", source=str(path), ignore=ignore)
    return by_area.fillna(by_name)


def _parse_lephare(raw: pd.DataFrame, path: Path, failures: list[pd.DataFrame]) -> pd.DataFrame:
    """Tidy le-phare live events into the incident columns plus :data:`LIVE_COLUMNS`."""
    idx = raw.index
    na_text = pd.Series(pd.NA, index=idx, dtype="string")
    ids = _text(raw["id"]).str.strip()
    origin = _text(raw["origin"]).str.strip()
    recaap = (origin == "recaap").fillna(False)
    rc_number = ids.str.extract(r"^RC-(.+)$")[0].astype("string")
    failures.append(
        _failures(recaap & rc_number.isna(), "id", "'RC-<incidentNo>' for origin recaap", ids)
    )
    failures.append(
        _failures(
            (origin == "imb").fillna(False) & ~ids.str.startswith("IMB-").fillna(False),
            "id",
            "'IMB-…' for origin imb",
            ids,
        )
    )

    date_text = _text(raw["date"]).str.strip()
    date = pd.to_datetime(date_text, format="%Y-%m-%d", errors="coerce")
    failures.append(
        _failures(date_text.notna() & date.isna(), "date", "date %Y-%m-%d", raw["date"])
    )

    lat = _number(raw["lat"], "lat", failures)
    lon = _number(raw["lon"], "lon", failures)
    zone = _text(raw["zone"]).str.strip()
    summary = _text(raw["summary"])
    vessel = _text(raw["vessel"]).str.strip()
    ship = vessel.str.extract(_LIVE_VESSEL_RE)
    ship_flag = ship["flag"].astype("string").str.strip()

    return pd.DataFrame(
        {
            "source": pd.Series(LIVE_SOURCE, index=idx, dtype="string"),
            "source_id": ids,
            "date": date.astype("datetime64[ns]"),
            "time_local": na_text,  # the feed has no time field
            "utc_offset_h": pd.Series(np.nan, index=idx),
            **_position(lat, lon, _live_precision(lat, lon, recaap)),
            "source_country_iso3": _zone_country(zone, recaap, path),
            "source_label": _text(raw["type"]).str.strip(),  # le-phare's own type label
            "source_severity": na_text,  # the feed drops ReCAAP's classification
            "description": summary,
            "vessel_name": ship["name"].astype("string").str.strip(),
            "vessel_imo": na_text,
            "vessel_type_raw": ship["type"].astype("string"),
            "vessel_status_raw": na_text,
            "origin": origin,
            "recaap_incident_no": rc_number.where(recaap),
            "zone": zone,
            # le-phare cuts summaries at 420 characters and appends "…"
            "summary_truncated": summary.str.endswith("…").fillna(False).astype(bool),
            # ReCAAP rows: one day before ReCAAP's local date for 37 of 38 shared incidents
            "date_may_be_utc": recaap.astype(bool),
            "datetime_utc": pd.Series(pd.NaT, index=idx, dtype=pd.DatetimeTZDtype("ns", "UTC")),
            "vessel_raw": vessel,
            "ship_flag": ship_flag,
            "flag_iso3": _flag_iso3(ship_flag, path),
            "suspected_test_record": vessel.str.contains(_TEST_RECORD_RE)
            .fillna(False)
            .astype(bool),
            "source_format": pd.Series("lephare_json", index=idx, dtype="string"),
        },
        index=idx,
    )


def _openmap_as_live(om: pd.DataFrame) -> pd.DataFrame:
    """Give tidy OpenMap records the columns of the live feed (an official export)."""
    idx = om.index
    df = om[list(INCIDENT_COLUMNS)].copy()
    df["source"] = pd.Series(LIVE_SOURCE, index=idx, dtype="string")
    df["source_id"] = ("RC-" + om["source_id"]).astype("string")
    extra = pd.DataFrame(
        {
            "origin": pd.Series("recaap", index=idx, dtype="string"),
            "recaap_incident_no": om["source_id"],
            "zone": om["area_description"],
            "summary_truncated": False,
            "date_may_be_utc": False,  # OpenMap dates are ReCAAP's local dates
            "datetime_utc": om["datetime_utc"],
            "vessel_raw": pd.Series(pd.NA, index=idx, dtype="string"),
            "ship_flag": om["ship_flag"],
            "flag_iso3": om["flag_iso3"],
            "suspected_test_record": False,
            "source_format": pd.Series("openmap_json", index=idx, dtype="string"),
        },
        index=idx,
    )
    return pd.concat([df, extra], axis=1)


def load_recaap_imb_live(path: Path | None = None) -> pd.DataFrame:
    """Load the ReCAAP/IMB live reports as ingested by le-phare (``recaap_imb_live``).

    The file is ``{"fetched": "2026-08-22", "since": "2024-07-01", "events": [...]}``: 390
    events (242 ReCAAP, 148 IMB), 2024-07-07 … 2026-08-09, each with ``id``, ``date``,
    ``type``, ``zone``, ``lat``, ``lon``, ``vessel``, ``summary``, ``source`` {name, url},
    ``origin``. Internal: never republish rows or text. ``df.attrs["fetched"]`` and
    ``df.attrs["since"]`` hold the feed's dates (Timestamps).

    It is not an official release. The official ReCAAP records are OpenMap search
    responses: pass one (a JSON array, as read by :func:`load_recaap_openmap`) via ``path=``
    and it is returned with these columns (``source_id`` "RC-<incidentNo>", local dates,
    ``source_format`` "openmap_json"). The IMB live report is a web page with no export.

    Quirks handled:

    * ``id`` is kept as ``source_id`` ("RC-IC-2026-046", "IMB-044-26", "IMB-SUS 01-26");
      ``recaap_incident_no`` is the OpenMap ``incidentNo`` of ReCAAP rows.
    * ``date`` is kept as published, not shifted. For 37 of the 38 incidents shared with
      OpenMap it is one day before ReCAAP's local date (probably the UTC date of OpenMap's
      epoch, which is 16:00Z the day before); the 38th (IC-2024-094) is 62 days off.
      ``date_may_be_utc`` is True for every ReCAAP row; prefer OpenMap's date where both
      hold an incident.
    * Position precision is detected from the values: ReCAAP rows whose latitude and
      longitude are both whole numbers (204 rows, up to 2026-01-18; error up to 1°) get
      ``position_precision_deg`` 1.0, every other row 0.001 (le-phare's 3 dp).
    * ``summary`` → ``description``; it is cut at 420 characters plus "…" in 267 events
      (``summary_truncated``). An empty summary is NA.
    * ``vessel`` ("bulk carrier Columbia River (HONG KONG, CHINA flag)") is kept in
      ``vessel_raw`` and split into ``vessel_type_raw``, ``vessel_name``, ``ship_flag`` and
      ``flag_iso3``. It is null in IMB rows.
    * ``zone`` is kept raw; ``source_country_iso3`` comes from "<Country>
      (Ports/Anchorages|Seas/Straits)" zones, or an IMB zone that is exactly a country name.
      IMB zones are sometimes report text.
    * ``type`` (boarding, hijack, seizure, drone-strike) is le-phare's label →
      ``source_label``. The feed has no time, UTC offset, IMO number or classification.
    * ``suspected_test_record`` flags a vessel text naming a test ("Dummy Case (test for
      Cloud on 11 Oct 24)", RC-IC-2024-076, not in OpenMap); the row is kept.

    Parameters
    ----------
    path : Path, optional
        le-phare's JSON, or an OpenMap search response; default: the registered file.

    Returns
    -------
    pandas.DataFrame
        Indexed by position in ``events`` (or the array), with the incident columns
        (``source`` "recaap_imb_live", ``source_id``, ``date``, ``time_local`` (NA),
        ``utc_offset_h`` (NA), ``latitude``, ``longitude``, ``position_status``,
        ``position_precision_deg``, ``source_country_iso3``, ``source_label``,
        ``source_severity`` (NA), ``description``, ``vessel_name``, ``vessel_imo`` (NA),
        ``vessel_type_raw``, ``vessel_status_raw`` (NA)), then ``origin`` (recaap|imb),
        ``recaap_incident_no``, ``zone``, ``summary_truncated``, ``date_may_be_utc``,
        ``datetime_utc`` (NA for le-phare rows), ``vessel_raw``, ``ship_flag``,
        ``flag_iso3``, ``suspected_test_record``, ``source_format``.

    Raises
    ------
    DataFormatError
        The file is neither le-phare's object nor an OpenMap array, or a key is missing.
    DataValidationError
        Listing every bad value (id/origin mismatch, date, coordinates, duplicate id...).
    """
    path = Path(path) if path else fetch(LIVE_SOURCE)
    data = _read_json(path)
    failures: list[pd.DataFrame] = []
    if isinstance(data, list):  # an official OpenMap search response
        raw = _records(data, OPENMAP_KEYS, path, "OpenMap incident")
        df = _openmap_as_live(_parse_openmap(raw, path, failures))
        fetched = since = pd.NaT
    elif isinstance(data, dict) and isinstance(data.get("events"), list):
        raw = _records(data["events"], LIVE_KEYS, path, "le-phare event")
        df = _parse_lephare(raw, path, failures)
        fetched = pd.to_datetime(data.get("fetched"), format="%Y-%m-%d", errors="coerce")
        since = pd.to_datetime(data.get("since"), format="%Y-%m-%d", errors="coerce")
    else:
        raise DataFormatError(
            f"{path}: expected le-phare's {{'fetched', 'since', 'events': [...]}} object "
            "or an OpenMap JSON array"
        )
    df = _validate(checked_incidents(df, path), LIVE_SCHEMA, path, failures)
    df.attrs["fetched"] = fetched
    df.attrs["since"] = since
    return df
