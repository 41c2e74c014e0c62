"""Fields of the ASAM files: columns, schemas and the parsers every ASAM loader shares.

The loaders of :mod:`osa_analysis.sources.loaders.asam` read MSI, ArcGIS and le-phare files;
they all parse dates, DMS or decimal positions, clock times and ship names the same way and
finish through :func:`finish`, which validates the shared incident columns plus
:data:`ASAM_COLUMNS`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.validation import blank_to_na as _text  # shared loader helpers
from osa_analysis.core.validation import failure_rows as _failures
from osa_analysis.core.validation import validate_collected as _validate
from osa_analysis.sources.loaders.common import INCIDENT_COLUMNS, checked_incidents

SOURCE_FORMATS = ("msi_csv", "msi_api_json", "arcgis_csv", "arcgis_geojson", "lephare_json")
"""Values of ``source_format``: which file layout a row was read from."""

DMS_PRECISION_DEG = 1 / 3600
"""Precision of a DMS position given to whole seconds."""

LEPHARE_PRECISION_DEG = 0.001
"""le-phare rounds ``lat``/``lon`` to 3 decimal places."""


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


def code(values: pd.Series) -> pd.Series:
    """Return an identifier as stripped ``string`` (NA when empty)."""
    return _text(values).str.strip()


def parse_date(raw: pd.Series, fmt: str, column: str, failures: list) -> pd.Series:
    """Parse dates with an exact format; a present value that does not parse is a failure."""
    parsed = pd.to_datetime(raw, format=fmt, errors="coerce")
    failures.append(_failures(raw.notna() & parsed.isna(), column, f"date format {fmt}", raw))
    return parsed.astype("datetime64[ns]")


def parse_number(raw: pd.Series, column: str, failures: list) -> pd.Series:
    """Parse numbers; a present value that is not a number is a failure."""
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        text = raw.astype("float64")  # JSON numbers (null -> NaN)
    else:
        text = code(raw.astype("string"))
    parsed = pd.to_numeric(text, errors="coerce").astype("float64")
    failures.append(_failures(text.notna() & parsed.isna(), column, "is a number", raw))
    return parsed


def parse_code(raw: pd.Series, column: str, failures: list) -> pd.Series:
    """Parse an integer category code (``1``, ``1.0``); anything else is a failure."""
    parsed = parse_number(raw, column, failures)
    fractional = parsed.notna() & (parsed % 1 != 0)
    failures.append(_failures(fractional, column, "is a whole number", raw))
    return parsed.mask(fractional).round().astype("Int64")


def parse_dms(text: pd.Series, column: str, failures: list) -> pd.DataFrame:
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


def decimal_position(lat: pd.Series, lon: pd.Series, precision: float) -> pd.DataFrame:
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


def hhmm(description: pd.Series, pattern: re.Pattern, needles: tuple[str, ...]) -> pd.Series:
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


def vessel_name(description: pd.Series) -> pd.Series:
    """Extract the ship's name after "<flag>-flagged <type>" in a description, else NA."""
    name = description.str.extract(_VESSEL_NAME_RE)[0].str.rstrip(".,'-/& ")
    return _text(name)


def finish(
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
            "time_local": hhmm(description, _LOCAL_TIME_RE, _LOCAL_NEEDLES),
            "utc_offset_h": pd.Series(np.nan, index=parsed.index),  # ASAM gives no offset
            "latitude": parsed["latitude"],
            "longitude": parsed["longitude"],
            "position_status": parsed["position_status"],
            "position_precision_deg": parsed["position_precision_deg"],
            "source_country_iso3": na_text,  # ASAM has no country field
            "source_label": parsed["hostility"],
            "source_severity": na_text,  # ASAM has no severity scale
            "description": description,
            "vessel_name": vessel_name(description),
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
            "time_utc": hhmm(description, _UTC_TIME_RE, _UTC_NEEDLES),
            "description_country": _text(description.str.extract(_COUNTRY_PREFIX_RE)[0]),
            "lephare_type": parsed["lephare_type"],
            "lephare_zone": parsed["lephare_zone"],
            "duplicate_record": duplicate.astype(bool),
            "source_format": pd.Series(source_format, index=parsed.index, dtype="string"),
        },
        index=parsed.index,
    )
    return _validate(checked_incidents(df, path), ASAM_SCHEMA, path, failures)


def empty_text(index: pd.Index) -> pd.Series:
    """Return an all-NA ``string`` column on ``index`` (a field a file does not have)."""
    return pd.Series(pd.NA, index=index, dtype="string")


def empty_code(index: pd.Index) -> pd.Series:
    """Return an all-NA ``Int64`` column on ``index`` (a code a file does not have)."""
    return pd.Series(pd.NA, index=index, dtype="Int64")


# --- MSI: website CSV export and API JSON ------------------------------------------------
