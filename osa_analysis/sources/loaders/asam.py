"""NGA Anti-Shipping Activity Messages (ASAM): incidents and subregion polygons.

Four registered files hold the ASAM series (see the mirror MANIFEST §1a and §2c):

``asam_msi_csv``
    The MSI website CSV export of 2022-06-21 (1978-05-01 … 2022-06-01, 8 642 rows).
``asam_arcgis_csv``
    The Esri Living Atlas export of the ASAM layer, November 2020 (8 185 rows).
``asam_lephare_json``
    The same layer from 2022-01-01 to 2024-06-25, reshaped by the le-phare project (677 rows).
``asam_subregions``
    The ASAM subregion polygons of NGA's anti-piracy app (58 lines, 53 subregions).

The series ended on 2024-06-25 (the programme was defunded on 2024-06-30, and the MSI API has
been reported to answer 404 since). :func:`load_asam` merges the three incident files into the
full series; :func:`load_asam_api` reads the live API and, when it is gone, returns an empty
frame with an :class:`AsamApiUnavailableWarning` instead of failing.

Every incident loader returns the shared incident columns
(:data:`osa_analysis.sources.loaders.common.INCIDENT_COLUMNS`) followed by
:data:`ASAM_COLUMNS`, with the same columns whichever file or format was read; a field a
file does not have is NA.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely
from shapely.geometry import Polygon

from osa_analysis.core.validation import (
    DataFormatError,
    DataValidationError,
    require_columns,
    validate,
)
from osa_analysis.core.validation import blank_to_na as _text  # shared loader helpers
from osa_analysis.core.validation import failure_rows as _failures
from osa_analysis.core.validation import validate_collected as _validate
from osa_analysis.sources.fetch import fetch
from osa_analysis.sources.loaders.common import INCIDENT_COLUMNS

ASAM_API_URL = "https://msi.nga.mil/api/publications/asam?output=json"
"""The MSI publications API (JSON); reported as answering 404 since mid-2024."""

SERIES_END = pd.Timestamp("2024-06-25")
"""Date of the last ASAM: the series has ended, nothing newer will appear."""

MSI_SOURCE = "asam_msi_csv"
ARCGIS_SOURCE = "asam_arcgis_csv"
LEPHARE_SOURCE = "asam_lephare_json"
SUBREGIONS_SOURCE = "asam_subregions"

SOURCE_FORMATS = ("msi_csv", "msi_api_json", "arcgis_csv", "arcgis_geojson", "lephare_json")
"""Values of ``source_format``: which file layout a row was read from."""

DMS_PRECISION_DEG = 1 / 3600
"""Precision of a DMS position given to whole seconds."""

LEPHARE_PRECISION_DEG = 0.001
"""le-phare rounds ``lat``/``lon`` to 3 decimal places."""


class AsamApiUnavailableWarning(UserWarning):
    """The MSI ASAM API could not be read; the series ended on 2024-06-25."""


# --- column contract ---------------------------------------------------------------------

ASAM_COLUMNS: dict[str, pa.Column] = {
    "reference": pa.Column("string", pa.Check.str_matches(r"^\d{4}-\d+$")),  # e.g. "2022-146"
    "nav_area": pa.Column("string", pa.Check.str_matches(r"^[IVX]+$"), nullable=True),
    "subreg": pa.Column("string", pa.Check.str_matches(r"^\d+$"), nullable=True),
    "hostility": pa.Column("string", nullable=True),  # as published (also in source_label)
    "victim": pa.Column("string", nullable=True),  # as published (also in vessel_type_raw)
    "hostility_type_code": pa.Column("Int64", pa.Check.in_range(1, 10), nullable=True),
    "victim_code": pa.Column("Int64", pa.Check.in_range(1, 13), nullable=True),
    "position_text": pa.Column("string", nullable=True),  # raw DMS text, e.g. 1°07'00"N 103°…
    "time_utc": pa.Column("string", pa.Check.str_matches(r"^\d{2}:\d{2}$"), nullable=True),
    "description_country": pa.Column("string", nullable=True),  # "INDONESIA" of "INDONESIA: On…"
    "lephare_type": pa.Column("string", nullable=True),  # le-phare's own label, e.g. "boarding"
    "lephare_zone": pa.Column("string", nullable=True),  # le-phare's own label
    "duplicate_record": pa.Column("bool"),  # True for a later copy of an identical row
    "source_format": pa.Column("string", pa.Check.isin(SOURCE_FORMATS)),
}
"""ASAM-specific columns, after :data:`INCIDENT_COLUMNS`."""

_INCIDENT = {
    **INCIDENT_COLUMNS,
    # ASAM always dates an incident, and impossible coordinates are errors, not NA
    "date": pa.Column("datetime64[ns]"),
    "time_local": pa.Column("string", pa.Check.str_matches(r"^\d{2}:\d{2}$"), nullable=True),
    # impossible coordinates are kept and flagged by the incident table, not rejected here
    "latitude": pa.Column("float64", nullable=True),
    "longitude": pa.Column("float64", nullable=True),
}

ASAM_SCHEMA = pa.DataFrameSchema({**_INCIDENT, **ASAM_COLUMNS}, strict=True, ordered=True)
"""Schema of every ASAM incident loader's output."""

ASAM_MERGED_SCHEMA = ASAM_SCHEMA.add_columns(
    {
        "sources": pa.Column(
            "string",
            pa.Check.str_matches(r"^asam_[a-z_]+(;asam_[a-z_]+)*$"),
        ),
        "source_record": pa.Column("Int64", pa.Check.ge(0)),
    }
)
"""Schema of :func:`load_asam`: :data:`ASAM_SCHEMA` plus ``sources`` and ``source_record``."""

SUBREGIONS_SCHEMA = pa.DataFrameSchema(
    {"subreg": pa.Column("string", pa.Check.str_matches(r"^\d+$"), unique=True)},
    strict=False,
)

MSI_CSV_COLUMNS = [
    "reference",
    "date",
    "position",
    "navArea",
    "subreg",
    "hostility",
    "victim",
    "description",
]
MSI_API_KEYS = [*MSI_CSV_COLUMNS, "latitude", "longitude"]
ARCGIS_COLUMNS = [
    "X",
    "Y",
    "reference",
    "dateofocc",
    "subreg",
    "hostility_d",
    "victim_d",
    "description",
    "hostilitytype_l",
    "victim_l",
    "navarea",
]
LEPHARE_KEYS = ["id", "date", "type", "zone", "lat", "lon", "vessel", "hostility", "summary"]

# --- patterns ----------------------------------------------------------------------------

DMS_PATTERN = r"(\d+)°(\d+)'(\d+(?:\.\d+)?)\"([NSEW])"
"""One DMS coordinate as MSI writes it, e.g. ``46°37'50.89"N`` (parses every MSI position)."""

_POSITION_RE = re.compile(
    r"(\d+)°(\d+)'(\d+(?:\.(\d+))?)\"([NS])\s*(\d+)°(\d+)'(\d+(?:\.(\d+))?)\"([EW])"
)

# "at 0259 local time", "at approximately 2256 LT", "about 2130 local time", ", 0445 local
# time", "at 18:58 local time". A range ("between 0300 and 0600 local time", "0155 to 0220
# local time", "1830-1930 local time") has none of these lead-ins and is left NA.
_TIME_AT = (
    r"(?:\bat\s+|\babout\s+|\baround\s+|\bapproximately\s+|,\s*)"
    r"(?:approximately\s+|about\s+|around\s+)?"
    r"([01]\d|2[0-3]):?([0-5]\d)\s*(?:hrs\.?\s*|hours\s*)?"
)
_LOCAL_TIME_RE = re.compile(_TIME_AT + r"(?:local\s+time|LT)\b", re.IGNORECASE)
_UTC_TIME_RE = re.compile(_TIME_AT + r"(?:UTC|GMT)\b", re.IGNORECASE)
_LOCAL_NEEDLES = ("local", "Local", "LOCAL", "LT")  # pre-filter for _LOCAL_TIME_RE
_UTC_NEEDLES = ("UTC", "utc", "GMT", "gmt")  # pre-filter for _UTC_TIME_RE

# "INDONESIA: On 28 May ..." -> "INDONESIA" (an upper-case place label before a colon)
_COUNTRY_PREFIX_RE = re.compile(r"^\s*([A-Z][A-Z .,'()&/-]{0,38}[A-Z)])\s*:")

# "... the Panama-flagged tanker YONG XING SHUN HANG underway ..." -> "YONG XING SHUN HANG".
# Type words are lower case (or a known upper-case acronym); the name is the run of
# upper-case words after them. Old all-capitals descriptions never match (case-sensitive).
_TYPE_WORD = r"(?:[a-z][a-z/()-]*|LPG|LNG|VLCC|ULCC|FPSO|OSV|AHTS|PSV|RO-RO|RORO)"
_VESSEL_NAME_RE = re.compile(
    r"-flagged\s+(?:" + _TYPE_WORD + r"\s+){1,4}"
    # a following "7 NM" (distance) is not part of the name
    r"([A-Z][A-Z0-9.'&/-]*(?:\s+(?!\d+(?:\.\d+)?\s*NM\b)[A-Z0-9][A-Z0-9.'&/-]*)*)"
    r"(?=[\s,;:)]|\.|$)"
)


# --- small helpers -----------------------------------------------------------------------


def _code(values: pd.Series) -> pd.Series:
    """Return an identifier as stripped ``string`` (NA when empty)."""
    return _text(values).str.strip()


def _parse_date(raw: pd.Series, fmt: str, column: str, failures: list) -> pd.Series:
    """Parse dates with an exact format; a present value that does not parse is a failure."""
    parsed = pd.to_datetime(raw, format=fmt, errors="coerce")
    failures.append(_failures(raw.notna() & parsed.isna(), column, f"date format {fmt}", raw))
    return parsed.astype("datetime64[ns]")


def _parse_number(raw: pd.Series, column: str, failures: list) -> pd.Series:
    """Parse numbers; a present value that is not a number is a failure."""
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        text = raw.astype("float64")  # JSON numbers (null -> NaN)
    else:
        text = _code(raw.astype("string"))
    parsed = pd.to_numeric(text, errors="coerce").astype("float64")
    failures.append(_failures(text.notna() & parsed.isna(), column, "is a number", raw))
    return parsed


def _parse_code(raw: pd.Series, column: str, failures: list) -> pd.Series:
    """Parse an integer category code (``1``, ``1.0``); anything else is a failure."""
    parsed = _parse_number(raw, column, failures)
    fractional = parsed.notna() & (parsed % 1 != 0)
    failures.append(_failures(fractional, column, "is a whole number", raw))
    return parsed.mask(fractional).round().astype("Int64")


def _parse_dms(text: pd.Series, column: str, failures: list) -> pd.DataFrame:
    """Parse MSI two-line DMS positions into decimal degrees.

    Minute and second parts equal to 60 (456 in the 2022 export, e.g. ``5°60'00"N``) are
    converted arithmetically (``5°60'`` is 6°). Parts above 60 are failures. Text that the
    pattern does not match gives NA coordinates and status ``unparseable``.

    Returns
    -------
    pandas.DataFrame
        ``latitude``, ``longitude``, ``position_status``, ``position_precision_deg``.
    """
    m = text.str.extract(_POSITION_RE)
    ok = m[0].notna()
    lat_d, lat_m, lat_s = (pd.to_numeric(m[i]) for i in (0, 1, 2))
    lon_d, lon_m, lon_s = (pd.to_numeric(m[i]) for i in (5, 6, 7))
    over = (pd.concat([lat_m, lat_s, lon_m, lon_s], axis=1) > 60).any(axis=1)
    failures.append(_failures(over, column, "DMS minutes and seconds <= 60", text))
    south = m[4].eq("S").fillna(False).to_numpy(bool)
    west = m[9].eq("W").fillna(False).to_numpy(bool)
    lat = (lat_d + lat_m / 60 + lat_s / 3600) * np.where(south, -1.0, 1.0)
    lon = (lon_d + lon_m / 60 + lon_s / 3600) * np.where(west, -1.0, 1.0)
    # seconds with decimals ("50.89") are finer than whole seconds
    decimals = pd.concat([m[3].str.len(), m[8].str.len()], axis=1).max(axis=1).fillna(0)
    present = text.notna()
    status = np.select([ok, present], ["ok", "unparseable"], "missing")
    return pd.DataFrame(
        {
            "latitude": lat.where(ok).astype("float64"),
            "longitude": lon.where(ok).astype("float64"),
            "position_status": pd.Series(status, index=text.index, dtype="string"),
            "position_precision_deg": (DMS_PRECISION_DEG / 10.0**decimals)
            .where(ok)
            .astype("float64"),
        },
        index=text.index,
    )


def _decimal_position(lat: pd.Series, lon: pd.Series, precision: float) -> pd.DataFrame:
    """Wrap decimal coordinates: status ``ok`` when both are present, else ``missing``."""
    ok = lat.notna() & lon.notna()
    return pd.DataFrame(
        {
            "latitude": lat.where(ok).astype("float64"),
            "longitude": lon.where(ok).astype("float64"),
            "position_status": pd.Series(
                np.where(ok, "ok", "missing"), index=lat.index, dtype="string"
            ),
            "position_precision_deg": pd.Series(precision, index=lat.index).where(ok),
        },
        index=lat.index,
    )


def _hhmm(description: pd.Series, pattern: re.Pattern, needles: tuple[str, ...]) -> pd.Series:
    """Extract a clock time as ``"HH:MM"`` (first match), NA when absent.

    The regex runs only on descriptions holding one of the ``needles`` (a cheap literal,
    case-sensitive test), which keeps this fast on long texts.
    """
    candidate = pd.Series(False, index=description.index)
    for needle in needles:
        candidate |= description.str.contains(needle, regex=False).fillna(False)
    out = pd.Series(pd.NA, index=description.index, dtype="string")
    if candidate.any():
        m = description[candidate].str.extract(pattern)
        out[candidate] = (m[0] + ":" + m[1]).astype("string")
    return out


def _vessel_name(description: pd.Series) -> pd.Series:
    """Extract the ship's name after "<flag>-flagged <type>" in a description, else NA."""
    name = description.str.extract(_VESSEL_NAME_RE)[0].str.rstrip(".,'-/& ")
    return _text(name)


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFormatError(f"{path}: not valid UTF-8 JSON ({exc})") from exc


def _looks_like_json(path: Path) -> bool:
    """Whether the file's first non-blank character opens a JSON object or array."""
    with open(path, "rb") as fh:
        head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def _read_csv(path: Path) -> pd.DataFrame:
    # every field as text; empty stays "" until _text() makes it NA
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _finish(
    parsed: pd.DataFrame,
    *,
    source: str,
    source_format: str,
    duplicate: pd.Series,
    path: str | Path,
    failures: list,
) -> pd.DataFrame:
    """Derive the shared columns from a parsed ASAM frame and validate it.

    ``parsed`` holds ``reference``, ``date``, the four position columns, ``position_text``,
    ``nav_area``, ``subreg``, ``hostility``, ``victim``, ``description``,
    ``hostility_type_code``, ``victim_code``, ``lephare_type`` and ``lephare_zone``.
    """
    na_text = pd.Series(pd.NA, index=parsed.index, dtype="string")
    description = parsed["description"]
    df = pd.DataFrame(
        {
            "source": pd.Series(source, index=parsed.index, dtype="string"),
            "source_id": parsed["reference"],
            "date": parsed["date"],
            # only times the text calls local; UTC times go to time_utc
            "time_local": _hhmm(description, _LOCAL_TIME_RE, _LOCAL_NEEDLES),
            "utc_offset_h": pd.Series(np.nan, index=parsed.index),  # ASAM gives no offset
            "latitude": parsed["latitude"],
            "longitude": parsed["longitude"],
            "position_status": parsed["position_status"],
            "position_precision_deg": parsed["position_precision_deg"],
            "source_country_iso3": na_text,  # ASAM has no country field
            "source_label": parsed["hostility"],
            "source_severity": na_text,  # ASAM has no severity scale
            "description": description,
            "vessel_name": _vessel_name(description),
            "vessel_imo": na_text,  # not a field of any ASAM file
            "vessel_type_raw": parsed["victim"],
            "vessel_status_raw": na_text,  # not a field of any ASAM file
            "reference": parsed["reference"],
            "nav_area": parsed["nav_area"],
            "subreg": parsed["subreg"],
            "hostility": parsed["hostility"],
            "victim": parsed["victim"],
            "hostility_type_code": parsed["hostility_type_code"],
            "victim_code": parsed["victim_code"],
            "position_text": parsed["position_text"],
            "time_utc": _hhmm(description, _UTC_TIME_RE, _UTC_NEEDLES),
            "description_country": _text(description.str.extract(_COUNTRY_PREFIX_RE)[0]),
            "lephare_type": parsed["lephare_type"],
            "lephare_zone": parsed["lephare_zone"],
            "duplicate_record": duplicate.astype(bool),
            "source_format": pd.Series(source_format, index=parsed.index, dtype="string"),
        },
        index=parsed.index,
    )
    return _validate(df, ASAM_SCHEMA, path, failures)


def _empty_text(index: pd.Index) -> pd.Series:
    return pd.Series(pd.NA, index=index, dtype="string")


def _empty_code(index: pd.Index) -> pd.Series:
    return pd.Series(pd.NA, index=index, dtype="Int64")


# --- MSI: website CSV export and API JSON ------------------------------------------------


def _from_msi_records(raw: pd.DataFrame, path: str | Path, source_format: str) -> pd.DataFrame:
    """Tidy MSI records (CSV export or API JSON, already checked for their columns)."""
    failures: list[pd.DataFrame] = []
    position_text = _text(raw["position"])
    position = _parse_dms(position_text, "position", failures)
    if "latitude" in raw and "longitude" in raw:
        # API JSON: prefer the numeric coordinates, fall back on the DMS text
        lat = _parse_number(raw["latitude"], "latitude", failures)
        lon = _parse_number(raw["longitude"], "longitude", failures)
        numeric = _decimal_position(lat, lon, DMS_PRECISION_DEG)
        use = numeric["position_status"] == "ok"
        position = pd.DataFrame({c: numeric[c].where(use, position[c]) for c in position.columns})
    parsed = pd.DataFrame(
        {
            "reference": _code(raw["reference"]),
            "date": _parse_date(_code(raw["date"]), "%Y-%m-%d", "date", failures),
            **position,
            "position_text": position_text,
            "nav_area": _code(raw["navArea"]),
            "subreg": _code(raw["subreg"]),
            "hostility": _text(raw["hostility"]),
            "victim": _text(raw["victim"]),
            "description": _text(raw["description"]),
            "hostility_type_code": _empty_code(raw.index),  # MSI has no codes (ArcGIS has)
            "victim_code": _empty_code(raw.index),
            "lephare_type": _empty_text(raw.index),
            "lephare_zone": _empty_text(raw.index),
        },
        index=raw.index,
    )
    # Two references (2021-161, 2021-207) appear twice as identical rows in the 2022 export;
    # both copies are kept and the later one is flagged.
    duplicate = raw[MSI_CSV_COLUMNS].astype("string").duplicated(keep="first")
    return _finish(
        parsed,
        source=MSI_SOURCE,
        source_format=source_format,
        duplicate=duplicate,
        path=path,
        failures=failures,
    )


def _from_msi_json(data: object, path: str | Path) -> pd.DataFrame:
    if not isinstance(data, dict) or not isinstance(data.get("asam"), list):
        raise DataFormatError(
            f'{path}: expected the MSI API JSON shape {{"asam": [...]}}, '
            f"got a JSON {type(data).__name__}"
        )
    records = data["asam"]
    raw = pd.DataFrame(records) if records else pd.DataFrame(columns=MSI_API_KEYS)
    require_columns(raw, MSI_API_KEYS, path)
    return _from_msi_records(raw, path, "msi_api_json")


def load_asam_msi(path: Path | None = None) -> pd.DataFrame:
    r"""Load the NGA MSI ASAM export, one row per record (``asam_msi_csv``).

    Reads the MSI website CSV export of 2022-06-21 (8 642 records, 1978-05-01 … 2022-06-01)
    or, when the file content is a JSON object, the MSI API JSON
    (``https://msi.nga.mil/api/publications/asam?output=json``):
    ``{"asam": [{"reference", "date", "latitude", "longitude", "position", "navArea",
    "subreg", "hostility", "victim", "description"}]}``, where ``hostility`` and ``victim``
    may be null. The API's numeric ``latitude``/``longitude`` are used when present, the DMS
    ``position`` text otherwise.

    Quirks of the CSV export handled here:

    * records end in CRLF while ``position`` holds a quoted LF between latitude and
      longitude (``46°37'50.89"N\n31°35'01.64"E``); an empty 9th column is ignored;
    * 456 minute or second parts equal 60 (``5°60'00"N``): converted arithmetically;
    * two references (2021-161, 2021-207) appear twice as identical rows: both are kept and
      ``duplicate_record`` is True for the later copy (count incidents on
      ``~duplicate_record``);
    * empty ``hostility`` (518), ``victim`` (287), ``navArea`` (3), ``description`` (6) are NA.

    Parameters
    ----------
    path : Path, optional
        The CSV export or API JSON; default: the registered file via ``fetch``.

    Returns
    -------
    pandas.DataFrame
        Indexed by record number in the file (0-based, header excluded). Columns: the
        incident columns ``source`` ("asam_msi_csv"), ``source_id`` (= ``reference``),
        ``date`` (local date), ``time_local`` ("HH:MM" when the description says
        "at HHMM local time"/"LT", else NA), ``utc_offset_h`` (NA), ``latitude``,
        ``longitude`` (decimal degrees, south/west negative), ``position_status``
        (ok/missing/unparseable), ``position_precision_deg`` (1/3600 for whole DMS seconds,
        finer for decimal seconds), ``source_country_iso3`` (NA), ``source_label``
        (= ``hostility``), ``source_severity`` (NA), ``description``, ``vessel_name`` (the
        upper-case name after "<flag>-flagged <type>" in the description, else NA),
        ``vessel_imo`` (NA), ``vessel_type_raw`` (= ``victim``), ``vessel_status_raw`` (NA);
        then :data:`ASAM_COLUMNS`: ``reference``, ``nav_area``, ``subreg``, ``hostility``,
        ``victim``, ``hostility_type_code`` and ``victim_code`` (NA: MSI has no codes),
        ``position_text`` (raw DMS), ``time_utc`` ("HH:MM" when the description says
        "at HHMM UTC"), ``description_country`` (upper-case prefix before the first colon,
        e.g. "INDONESIA", else NA), ``lephare_type``/``lephare_zone`` (NA),
        ``duplicate_record``, ``source_format`` ("msi_csv" or "msi_api_json").

    Raises
    ------
    DataFormatError
        A required column or key is missing.
    DataValidationError
        Listing every bad value (date, reference, DMS part above 60, coordinates...).
    """
    path = Path(path) if path else fetch(MSI_SOURCE)
    if _looks_like_json(path):
        return _from_msi_json(_read_json(path), path)
    raw = _read_csv(path)
    require_columns(raw, MSI_CSV_COLUMNS, path)
    return _from_msi_records(raw, path, "msi_csv")


def load_asam_api(
    path: Path | None = None, url: str = ASAM_API_URL, timeout: float = 30
) -> pd.DataFrame:
    """Read the live MSI ASAM API (JSON), or a saved copy of its answer.

    The ASAM series ended on 2024-06-25 and the API has been reported as answering 404
    since mid-2024. When the request fails (404, other HTTP error, network error, timeout),
    this returns an **empty** frame with the usual columns and emits an
    :class:`AsamApiUnavailableWarning`; it does not raise. A response that is not the
    expected JSON raises :class:`DataFormatError`.

    Parameters
    ----------
    path : Path, optional
        A saved API answer (``{"asam": [...]}``); when given, no request is made.
    url : str
        The API address (default :data:`ASAM_API_URL`).
    timeout : float
        Seconds to wait for the server.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`load_asam_msi` (``source`` "asam_msi_csv", ``source_format``
        "msi_api_json"), indexed by position in the ``asam`` array.
    """
    if path:
        path = Path(path)
        return _from_msi_json(_read_json(path), path)
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        reason = f"HTTP {exc.code}"
    except OSError as exc:  # URLError, timeouts, refused connections
        reason = f"{type(exc).__name__}: {exc}"
    else:
        try:
            data = json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataFormatError(f"{url}: the answer is not valid JSON ({exc})") from exc
        return _from_msi_json(data, url)
    warnings.warn(
        f"the MSI ASAM API at {url} is unavailable ({reason}). The ASAM series ended on "
        f"{SERIES_END.date()} (programme defunded 2024-06-30); returning no rows. "
        "Use load_asam() for the full archived series.",
        AsamApiUnavailableWarning,
        stacklevel=2,
    )
    return _from_msi_json({"asam": []}, url)


# --- ArcGIS: Esri export CSV and FeatureServer GeoJSON -----------------------------------

_ARCGIS_DATE_RE = re.compile(r"^(\d{4}/\d{2}/\d{2})(?: \d{2}:\d{2}:\d{2}(?:[+-]\d{2})?)?$")


def _arcgis_dates(raw: pd.Series, failures: list) -> pd.Series:
    """Parse ``dateofocc``: text ``YYYY/MM/DD hh:mm:ss+00`` or epoch milliseconds (GeoJSON).

    Only the calendar date is kept: it equals the MSI date for every shared reference, and
    the clock part is 00:00:00 in 7 838 of 8 185 rows, so it is not an incident time.
    """
    if pd.api.types.is_numeric_dtype(raw):
        parsed = pd.to_datetime(raw, unit="ms", utc=True).dt.tz_localize(None)
        return parsed.dt.normalize().astype("datetime64[ns]")
    text = _code(raw.astype("string"))
    day = text.str.extract(_ARCGIS_DATE_RE)[0]
    failures.append(
        _failures(text.notna() & day.isna(), "dateofocc", "format YYYY/MM/DD hh:mm:ss+00", text)
    )
    return _parse_date(day, "%Y/%m/%d", "dateofocc", failures)


def _from_arcgis_records(raw: pd.DataFrame, path: str | Path, source_format: str) -> pd.DataFrame:
    failures: list[pd.DataFrame] = []
    lon = _parse_number(raw["X"], "X", failures)
    lat = _parse_number(raw["Y"], "Y", failures)
    parsed = pd.DataFrame(
        {
            "reference": _code(raw["reference"]),
            "date": _arcgis_dates(raw["dateofocc"], failures),
            # X/Y are the DMS positions converted (they match MSI within 1e-5°)
            **_decimal_position(lat, lon, DMS_PRECISION_DEG),
            "position_text": _empty_text(raw.index),
            "nav_area": _code(raw["navarea"]),
            "subreg": _code(raw["subreg"].astype("string")),
            "hostility": _text(raw["hostility_d"]),
            "victim": _text(raw["victim_d"]),
            "description": _text(raw["description"]),
            "hostility_type_code": _parse_code(raw["hostilitytype_l"], "hostilitytype_l", failures),
            "victim_code": _parse_code(raw["victim_l"], "victim_l", failures),
            "lephare_type": _empty_text(raw.index),
            "lephare_zone": _empty_text(raw.index),
        },
        index=raw.index,
    )
    duplicate = raw[ARCGIS_COLUMNS].astype("string").duplicated(keep="first")
    return _finish(
        parsed,
        source=ARCGIS_SOURCE,
        source_format=source_format,
        duplicate=duplicate,
        path=path,
        failures=failures,
    )


def _from_geojson(data: object, path: Path) -> pd.DataFrame:
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise DataFormatError(f"{path}: expected a GeoJSON FeatureCollection with 'features'")
    features = data["features"]
    props = pd.DataFrame([f.get("properties") or {} for f in features])
    # point [lon, lat] (a third, z, value is ignored); no geometry -> missing position
    coords = [((f.get("geometry") or {}).get("coordinates") or [None, None])[:2] for f in features]
    xy = pd.DataFrame(coords, columns=["X", "Y"], dtype="float64") if coords else None
    raw = pd.concat([xy, props], axis=1) if coords else pd.DataFrame(columns=ARCGIS_COLUMNS)
    require_columns(raw, ARCGIS_COLUMNS, path)
    return _from_arcgis_records(raw, path, "arcgis_geojson")


def load_asam_arcgis(path: Path | None = None) -> pd.DataFrame:
    """Load the Esri ArcGIS export of the ASAM layer, one row per record (``asam_arcgis_csv``).

    Reads the Living Atlas CSV export of November 2020 (8 185 records, 1978-05-01 …
    2020-11-11; LF, no final newline) or, when the file content is JSON, the FeatureServer
    GeoJSON answer (``…/ASAM_events_V1/FeatureServer/0/query?where=1=1&outFields=*&f=geojson``)
    with the same attribute names, point geometry and ``dateofocc`` in epoch milliseconds.

    ``X``/``Y`` become ``longitude``/``latitude``; ``dateofocc`` keeps only its calendar date
    (its clock part is not an incident time); ``hostility_d``/``victim_d`` are the published
    hostility and victim texts; ``hostilitytype_l`` (1–10) and ``victim_l`` (1–13) become
    ``hostility_type_code`` and ``victim_code`` (NA where empty: 25 and 27 rows).

    Parameters
    ----------
    path : Path, optional
        The CSV export or a FeatureServer GeoJSON; default: the registered file.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`load_asam_msi`, with ``source`` "asam_arcgis_csv",
        ``position_text`` NA (no DMS text), ``position_precision_deg`` 1/3600 (the
        coordinates are the DMS positions converted), ``source_format`` "arcgis_csv" or
        "arcgis_geojson". Indexed by record (CSV) or feature number (GeoJSON).

    Raises
    ------
    DataFormatError
        A required column is missing.
    DataValidationError
        Listing every bad value.
    """
    path = Path(path) if path else fetch(ARCGIS_SOURCE)
    if _looks_like_json(path):
        return _from_geojson(_read_json(path), path)
    raw = _read_csv(path)
    require_columns(raw, ARCGIS_COLUMNS, path)
    return _from_arcgis_records(raw, path, "arcgis_csv")


# --- le-phare JSON -----------------------------------------------------------------------


def load_asam_lephare(path: Path | None = None) -> pd.DataFrame:
    """Load le-phare's reshaping of the ASAM layer from 2022-01-01 (``asam_lephare_json``).

    A JSON array, newest first, of ``{"id": "ASAM <reference>", "date", "type", "zone",
    "lat", "lon", "vessel", "hostility", "summary", "source": {"name", "url"}}``: 677
    records, 2022-01-01 … 2024-06-25. The file is not an official release: the official
    sources are the ArcGIS layer (load its GeoJSON with :func:`load_asam_arcgis`) and the
    MSI API (:func:`load_asam_msi` or :func:`load_asam_api`).

    ``type`` and ``zone`` are le-phare's own labels, kept unchanged as ``lephare_type``
    (boarding, drone-strike, seizure, hijack, gps-jamming, mine) and ``lephare_zone``; they
    are not NGA categories. ``vessel`` is the published victim text (150 null) and
    ``hostility`` the published hostility (384 null). There is no navArea, subreg or DMS
    position: those columns are NA.

    Parameters
    ----------
    path : Path, optional
        The le-phare JSON; default: the registered file.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`load_asam_msi`, with ``source`` "asam_lephare_json",
        ``position_precision_deg`` 0.001 (3 dp), ``source_format`` "lephare_json", indexed
        by position in the array.

    Raises
    ------
    DataFormatError
        The file is not a JSON array or a key is missing.
    DataValidationError
        Listing every bad value (id not ``ASAM <reference>``, date, coordinates...).
    """
    path = Path(path) if path else fetch(LEPHARE_SOURCE)
    data = _read_json(path)
    if not isinstance(data, list):
        raise DataFormatError(f"{path}: expected a JSON array of le-phare ASAM events")
    raw = pd.DataFrame(data) if data else pd.DataFrame(columns=LEPHARE_KEYS)
    require_columns(raw, LEPHARE_KEYS, path)
    failures: list[pd.DataFrame] = []
    ids = _code(raw["id"])
    reference = ids.str.extract(r"^ASAM (\d{4}-\d+)$")[0].astype("string")
    failures.append(_failures(ids.notna() & reference.isna(), "id", "ASAM <reference>", ids))
    lat = _parse_number(raw["lat"], "lat", failures)
    lon = _parse_number(raw["lon"], "lon", failures)
    parsed = pd.DataFrame(
        {
            "reference": reference,
            "date": _parse_date(_code(raw["date"]), "%Y-%m-%d", "date", failures),
            **_decimal_position(lat, lon, LEPHARE_PRECISION_DEG),
            "position_text": _empty_text(raw.index),
            "nav_area": _empty_text(raw.index),
            "subreg": _empty_text(raw.index),
            "hostility": _text(raw["hostility"]),
            "victim": _text(raw["vessel"]),
            "description": _text(raw["summary"]),
            "hostility_type_code": _empty_code(raw.index),
            "victim_code": _empty_code(raw.index),
            "lephare_type": _text(raw["type"]),
            "lephare_zone": _text(raw["zone"]),
        },
        index=raw.index,
    )
    keys = raw[LEPHARE_KEYS].astype("string")
    return _finish(
        parsed,
        source=LEPHARE_SOURCE,
        source_format="lephare_json",
        duplicate=keys.duplicated(keep="first"),
        path=path,
        failures=failures,
    )


# --- the full series ---------------------------------------------------------------------


def load_asam(
    msi_path: Path | None = None,
    arcgis_path: Path | None = None,
    lephare_path: Path | None = None,
) -> pd.DataFrame:
    """Load the full ASAM series, 1978-05-01 … 2024-06-25, merged from the three files.

    Merge rule, by ``reference``:

    1. every MSI row (:func:`load_asam_msi`), including both copies of the two references
       that the 2022 export repeats as identical rows (the later copy has
       ``duplicate_record`` True);
    2. ArcGIS rows (:func:`load_asam_arcgis`) whose reference is not in MSI (none with the
       registered files: every ArcGIS reference is in MSI, with the same date; a newer
       FeatureServer GeoJSON passed as ``arcgis_path`` would add its later records here);
    3. le-phare rows (:func:`load_asam_lephare`) whose reference is in neither.

    For shared references the earlier file wins (MSI, then ArcGIS, then le-phare; they agree
    on date, text and position). The other files then fill what the winning row lacks, by
    reference: ``hostility_type_code`` and ``victim_code`` from ArcGIS, ``lephare_type`` and
    ``lephare_zone`` from le-phare. ``nav_area`` and ``subreg`` stay NA for le-phare-only
    rows (le-phare has neither; assign them from :func:`load_asam_subregions` if needed).

    With the registered files this gives 8 642 + 540 = 9 182 rows and 9 180 distinct
    references, as the MANIFEST documents. The two repeated MSI rows are kept (so row
    counts match the MANIFEST and each source loader) and flagged: count distinct incidents
    as ``(~df["duplicate_record"]).sum()`` or ``df["reference"].nunique()``.

    Parameters
    ----------
    msi_path, arcgis_path, lephare_path : Path, optional
        The three files (any format their loaders accept); default: the registered files.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`load_asam_msi` (``source`` is the file the row comes from,
        ``source_format`` its layout), plus ``sources`` (the registry ids of every ASAM file
        that has the reference, ``;``-joined in the order asam_msi_csv, asam_arcgis_csv,
        asam_lephare_json) and ``source_record`` (record number in the ``source`` file).
        The index is a fresh 0-based row number, since rows come from several files.
    """
    msi = load_asam_msi(msi_path)
    arcgis = load_asam_arcgis(arcgis_path)
    lephare = load_asam_lephare(lephare_path)

    parts = [msi]
    seen = pd.Index(msi["reference"].unique())
    for frame in (arcgis, lephare):
        extra = frame[~frame["reference"].isin(seen)]
        parts.append(extra)
        seen = seen.union(pd.Index(extra["reference"].unique()))
    merged = pd.concat(parts)
    merged.insert(len(merged.columns), "sources", _sources_column(merged, msi, arcgis, lephare))
    merged.insert(len(merged.columns), "source_record", merged.index.astype("Int64"))
    merged = merged.reset_index(drop=True)

    fills = {ARCGIS_SOURCE: (arcgis, ["hostility_type_code", "victim_code"])}
    fills[LEPHARE_SOURCE] = (lephare, ["lephare_type", "lephare_zone"])
    for frame, columns in fills.values():
        first = frame.drop_duplicates("reference").set_index("reference")
        for column in columns:
            merged[column] = merged[column].fillna(merged["reference"].map(first[column]))
    label = f"ASAM merge of {msi_path or MSI_SOURCE}, {arcgis_path or ARCGIS_SOURCE}, "
    label += f"{lephare_path or LEPHARE_SOURCE}"
    return _validate(merged, ASAM_MERGED_SCHEMA, label, [])


def _sources_column(
    merged: pd.DataFrame, msi: pd.DataFrame, arcgis: pd.DataFrame, lephare: pd.DataFrame
) -> pd.Series:
    """Return, per row, the ``;``-joined ids of the ASAM files that have its reference."""
    joined = pd.Series("", index=merged.index, dtype="string")
    for source, frame in ((MSI_SOURCE, msi), (ARCGIS_SOURCE, arcgis), (LEPHARE_SOURCE, lephare)):
        has = merged["reference"].isin(frame["reference"]).to_numpy()
        joined = joined + np.where(has, f"{source};", "")
    return joined.str.rstrip(";")


# --- subregions --------------------------------------------------------------------------


def load_asam_subregions(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load the ASAM subregion polygons (``asam_subregions``), one row per subregion.

    The file has no header and no final newline; each line is
    ``subreg, lat1, lon1, lat2, lon2, …`` (**latitude first**) describing one closed ring.
    Subregions 16, 41, 76, 83 and 96 are split at the antimeridian into two lines each; the
    lines that share a ``subreg`` are unioned, giving a MultiPolygon for those five and a
    Polygon for the others. 58 lines give 53 subregions; Fiji lies in subregion 83. The codes
    match the incidents' ``subreg``.

    Parameters
    ----------
    path : Path, optional
        The subregions CSV; default: the registered file.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``subreg`` (string, e.g. "83") and ``geometry`` (EPSG:4326, longitude
        first), in order of first appearance in the file; index 0-based.

    Raises
    ------
    DataValidationError
        Naming each bad line (0-based) and field: a non-numeric coordinate, an odd number
        of coordinates, fewer than 4 points, an open ring, a coordinate out of range or an
        invalid polygon.
    """
    path = Path(path) if path else fetch(SUBREGIONS_SOURCE)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise DataFormatError(f"{path}: not UTF-8 text ({exc})") from exc
    problems: list[tuple[int, str, str, object]] = []
    codes: list[str] = []
    polygons: list[Polygon] = []
    # 58 short lines: a plain loop is clearer than vectorising
    for record, line in enumerate(lines):
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split(",")]
        code, values = fields[0], fields[1:]
        numbers = []
        for k, value in enumerate(values):
            try:
                numbers.append(float(value))
            except ValueError:
                column = f"{'lat' if k % 2 == 0 else 'lon'}{k // 2 + 1}"
                problems.append((record, column, "is a number", value))
        if len(numbers) != len(values):
            continue
        if not re.fullmatch(r"\d+", code):
            problems.append((record, "subreg", "is a number", code))
        if len(numbers) % 2:
            problems.append((record, "coordinates", "lat, lon pairs", len(numbers)))
            continue
        lat, lon = np.array(numbers[0::2]), np.array(numbers[1::2])
        if len(lat) < 4:
            problems.append((record, "coordinates", "at least 4 points", len(lat)))
            continue
        closed = (lat[0], lon[0]) == (lat[-1], lon[-1])
        if not closed:
            problems.append((record, "coordinates", "closed ring", f"{lat[-1]},{lon[-1]}"))
        if np.abs(lat).max() > 90:
            problems.append((record, "coordinates", "latitude in [-90, 90]", lat.max()))
        if np.abs(lon).max() > 180:
            problems.append((record, "coordinates", "longitude in [-180, 180]", lon.max()))
        polygon = Polygon(np.column_stack([lon, lat]))
        if closed and not polygon.is_valid:  # an open ring is reported once, above
            problems.append(
                (record, "coordinates", "valid polygon", shapely.is_valid_reason(polygon))
            )
        codes.append(code)
        polygons.append(polygon)
    if problems:
        raise DataValidationError(
            str(path), pd.DataFrame(problems, columns=["record", "column", "check", "value"])
        )
    parts = gpd.GeoDataFrame({"subreg": codes}, geometry=polygons, crs="EPSG:4326")
    order = pd.unique(parts["subreg"])
    # antimeridian halves are disjoint in lon/lat, so their union is a MultiPolygon
    merged = parts.dissolve(by="subreg", sort=False).reindex(order).reset_index()
    merged["subreg"] = merged["subreg"].astype("string")
    out = gpd.GeoDataFrame(merged[["subreg", "geometry"]], geometry="geometry", crs="EPSG:4326")
    validate(pd.DataFrame(out.drop(columns="geometry")), SUBREGIONS_SCHEMA, path)
    return out
