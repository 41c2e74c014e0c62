"""The "Crime at Sea" database of maritime pirate attacks, 1993–2020 (Benden et al. 2021).

Three registered files (mirror MANIFEST §1b; CC BY 4.0, cite Benden, Feng, Howell & Dalla
Riva 2021, *J. Open Humanities Data* 7:19):

``imb_pirate_attacks``
    ``pirate_attacks.csv``: 7 511 attacks, 1993-01-02 … 2020-12-29. Rows up to 2014 come
    from Prins' "mappingpiracy" data (no description or vessel type), rows from 2015 from
    the IMB Piracy Reporting Centre. Read by :func:`load_imb_attacks`.
``imb_country_indicators``
    ``country_indicators.csv``: country-year covariates (CPI, homicide rate, GDP per
    capita...), 1993–2019. Read by :func:`load_imb_country_indicators`.
``imb_country_codes``
    ``country_codes.csv``: ISO3 code, World Bank region and name of the 217 countries.
    Read by :func:`load_imb_country_codes`.

Missing values are the string ``NA`` (quoted or not) in all three files.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.countries import to_iso3
from osa_analysis.core.validation import blank_to_na as _text  # shared loader helpers
from osa_analysis.core.validation import failure_rows as _failures
from osa_analysis.core.validation import parse_numbers as _number
from osa_analysis.core.validation import read_csv_named, require_columns
from osa_analysis.core.validation import validate_collected as _validate
from osa_analysis.sources.fetch import fetch
from osa_analysis.sources.loaders.common import INCIDENT_COLUMNS, checked_incidents

log = logging.getLogger(__name__)

ATTACKS_SOURCE = "imb_pirate_attacks"
INDICATORS_SOURCE = "imb_country_indicators"
CODES_SOURCE = "imb_country_codes"

DATA_SOURCES = ("mappingpiracy", "imb")
"""Values of ``data_source``: Prins' mappingpiracy (1993–2014) or the IMB PRC (2015–2020)."""

WB_REGIONS = (
    "East Asia & Pacific",
    "Europe & Central Asia",
    "Latin America & Caribbean",
    "Middle East & North Africa",
    "North America",
    "South Asia",
    "Sub-Saharan Africa",
)
"""World Bank regions used by ``country_codes.csv``."""

NO_ISO3_CODES = frozenset({"CHI"})
"""World Bank codes in the country files that have no ISO3 (CHI: Channel Islands)."""

CPI_RESCALE_LAST_YEAR = 2011
"""Last year in which Transparency International's CPI was published on a 0–10 scale."""

ATTACK_COLUMNS = [
    "date",
    "time",
    "longitude",
    "latitude",
    "attack_type",
    "location_description",
    "nearest_country",
    "eez_country",
    "shore_distance",
    "shore_longitude",
    "shore_latitude",
    "attack_description",
    "vessel_name",
    "vessel_type",
    "vessel_status",
    "data_source",
]

INDICATOR_RENAMES = {
    "country": "country_code",
    "year": "year",
    "corruption_index": "corruption_index",
    "homicide_rate": "homicide_rate_per_100k",
    "GDP": "gdp_per_capita_usd",  # per capita, although the codebook says "US$"
    "total_fisheries_per_ton": "total_fisheries_t",
    "total_military": "armed_forces_personnel",
    "population": "population",
    "unemployment_rate": "unemployment_rate_pct",
    "totalgr": "gov_revenue_share_gdp",
    "industryofgdp": "industry_share_gdp",
}
"""Raw ``country_indicators.csv`` columns and their tidy names (the file's units)."""

INDICATOR_VALUES = [v for v in INDICATOR_RENAMES.values() if v not in ("country_code", "year")]

CODE_RENAMES = {"country": "country_code", "region": "region", "country_name": "country_name"}

_HHMM = r"([01]\d|2[0-3]):([0-5]\d)"

# --- schemas -----------------------------------------------------------------------------

# impossible coordinates are kept and flagged by the incident table, not rejected here
_LATITUDE = pa.Column("float64", nullable=True)
_LONGITUDE = pa.Column("float64", nullable=True)

ATTACK_EXTRA_COLUMNS: dict[str, pa.Column] = {
    "time_raw": pa.Column("string", nullable=True),  # the "time" field as published
    "time_utc": pa.Column("string", pa.Check.str_matches(r"^\d{2}:\d{2}$"), nullable=True),
    "location_description": pa.Column("string", nullable=True),
    "nearest_country_iso3": pa.Column("string", pa.Check.str_length(3, 3), nullable=True),
    "shore_distance_km": pa.Column("float64", pa.Check.ge(0)),
    "shore_latitude": pa.Column("float64", pa.Check.in_range(-90, 90)),
    "shore_longitude": pa.Column("float64", pa.Check.in_range(-180, 180)),
    "data_source": pa.Column("string", pa.Check.isin(DATA_SOURCES)),
}
"""Crime-at-Sea-specific columns of :func:`load_imb_attacks`, after the incident columns."""

ATTACKS_SCHEMA = pa.DataFrameSchema(
    {
        **INCIDENT_COLUMNS,
        "source_id": pa.Column("string", unique=True),
        "date": pa.Column("datetime64[ns]"),  # every attack is dated
        "time_local": pa.Column("string", pa.Check.str_matches(r"^\d{2}:\d{2}$"), nullable=True),
        "latitude": _LATITUDE,
        "longitude": _LONGITUDE,
        "source_country_iso3": pa.Column("string", pa.Check.str_length(3, 3), nullable=True),
        **ATTACK_EXTRA_COLUMNS,
    },
    strict=True,
    ordered=True,
)
"""Schema of :func:`load_imb_attacks`."""

INDICATORS_SCHEMA = pa.DataFrameSchema(
    {
        "country_iso3": pa.Column("string", pa.Check.str_length(3, 3), nullable=True),
        "country_code": pa.Column("string", pa.Check.str_matches(r"^[A-Z]{3}$")),
        "year": pa.Column("Int64", pa.Check.in_range(1990, 2030)),
        "corruption_index": pa.Column("float64", pa.Check.in_range(0, 100), nullable=True),
        "cpi_0_100": pa.Column("float64", pa.Check.in_range(0, 100), nullable=True),
        "cpi_scale_mismatch": pa.Column("bool"),
        "homicide_rate_per_100k": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "gdp_per_capita_usd": pa.Column("float64", pa.Check.gt(0), nullable=True),
        "total_fisheries_t": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "armed_forces_personnel": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "population": pa.Column("float64", pa.Check.gt(0), nullable=True),
        "unemployment_rate_pct": pa.Column("float64", pa.Check.in_range(0, 100), nullable=True),
        # revenue can exceed GDP in small economies (max 1.75 in the file): no upper bound
        "gov_revenue_share_gdp": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "industry_share_gdp": pa.Column("float64", pa.Check.in_range(0, 1), nullable=True),
        "duplicate_country_year": pa.Column("bool"),
    },
    strict=True,
    ordered=True,
)
"""Schema of :func:`load_imb_country_indicators`."""

CODES_SCHEMA = pa.DataFrameSchema(
    {
        "country_iso3": pa.Column("string", pa.Check.str_length(3, 3), nullable=True),
        "country_code": pa.Column("string", pa.Check.str_matches(r"^[A-Z]{3}$"), unique=True),
        "region": pa.Column("string", pa.Check.isin(WB_REGIONS)),
        "country_name": pa.Column("string"),
    },
    strict=True,
    ordered=True,
)
"""Schema of :func:`load_imb_country_codes`."""


# --- helpers -----------------------------------------------------------------------------


def _read(path: Path) -> pd.DataFrame:
    """Read a Crime-at-Sea CSV as text: ``NA`` (quoted or not) is missing, "" stays ""."""
    return read_csv_named(
        path, dtype=str, keep_default_na=False, na_values=["NA"], encoding="utf-8-sig"
    )


def _country(raw: pd.Series, path: Path, failures: list[pd.DataFrame]) -> pd.DataFrame:
    """Return ``country_iso3`` and ``country_code`` from the files' ``country`` column.

    The codes are ISO3 except ``CHI`` (World Bank code of the Channel Islands, which have no
    ISO3): ``country_iso3`` is NA there. Any other non-ISO3 code is a failure.
    """
    code = _text(raw).str.strip()
    iso3 = to_iso3(code, "iso3", source=str(path), ignore=NO_ISO3_CODES)
    unknown = iso3.isna() & ~code.isin(NO_ISO3_CODES).fillna(False)
    failures.append(_failures(unknown, "country", "ISO3 code", raw))
    return pd.DataFrame({"country_iso3": iso3, "country_code": code}, index=raw.index)


# --- pirate attacks ----------------------------------------------------------------------


def load_imb_attacks(path: Path | None = None) -> pd.DataFrame:
    """Load the Crime-at-Sea pirate attacks, one row per attack (``imb_pirate_attacks``).

    Quirks handled:

    * ``NA`` strings are missing; ``attack_description`` contains newlines (quoted).
    * ``time`` is free text: ``"HH:MM"`` (local time; the IMB descriptions say "LT") or
      ``"HH:MM UTC"``; 6 362 rows are ``NA``. The text is kept in ``time_raw``; a valid
      local time goes to ``time_local`` and a valid UTC time to ``time_utc``. An impossible
      clock time (one row, ``"18:85 UTC"``) leaves both NA. The file gives no UTC offset,
      and ``date`` is kept as published (for a UTC-timed report it may be the UTC date).
    * The file has no record id. ``source_id`` is ``"IMB-<date>-<record>"`` (e.g.
      ``IMB-1993-01-02-0``): the ISO date and the 0-based record number in the file. It is
      stable for the registered bytes (sha256-pinned) but not across upstream revisions.
    * ``vessel_status`` is kept unchanged (its case varies: ``Steaming``/``steaming``).
    * ``data_source`` is ``mappingpiracy`` (1993–2014; no description or vessel type) or
      ``imb`` (2015–2020).

    Parameters
    ----------
    path : Path, optional
        ``pirate_attacks.csv``; default: the registered file.

    Returns
    -------
    pandas.DataFrame
        Indexed by record number, with
        :data:`~osa_analysis.sources.loaders.common.INCIDENT_COLUMNS`:
        ``source`` ("imb_pirate_attacks"), ``source_id``, ``date``, ``time_local``,
        ``utc_offset_h`` (NA), ``latitude``, ``longitude``, ``position_status`` ("ok" or
        "missing"), ``position_precision_deg`` (NA: the precision varies), ``source_country_iso3``
        (``eez_country``: the EEZ the position falls in, ISO3-validated), ``source_label``
        (``attack_type`` unchanged: Boarded, Attempted, Boarding, Hijacked, Fired Upon...),
        ``source_severity`` (NA), ``description`` (``attack_description``), ``vessel_name``,
        ``vessel_imo`` (NA), ``vessel_type_raw``, ``vessel_status_raw``; then ``time_raw``,
        ``time_utc``, ``location_description``, ``nearest_country_iso3``,
        ``shore_distance_km``, ``shore_latitude``, ``shore_longitude``, ``data_source``.

    Raises
    ------
    DataFormatError
        A column is missing.
    DataValidationError
        Listing every bad value (unparseable date or number, unknown ISO3, coordinates out
        of range, unknown ``data_source``...).
    """
    path = Path(path) if path else fetch(ATTACKS_SOURCE)
    raw = _read(path)
    require_columns(raw, ATTACK_COLUMNS, path)
    failures: list[pd.DataFrame] = []

    date_text = _text(raw["date"]).str.strip()
    date = pd.to_datetime(date_text, format="%Y-%m-%d", errors="coerce")
    failures.append(_failures(date_text.isna() | date.isna(), "date", "date %Y-%m-%d", raw["date"]))

    time_raw = _text(raw["time"])
    local = time_raw.str.strip().str.extract(rf"^{_HHMM}$")
    utc = time_raw.str.strip().str.extract(rf"^{_HHMM}\s*UTC$")

    lat = _number(raw["latitude"], "latitude", failures)
    lon = _number(raw["longitude"], "longitude", failures)
    has_position = lat.notna() & lon.notna()
    na_text = pd.Series(pd.NA, index=raw.index, dtype="string")

    df = pd.DataFrame(
        {
            "source": pd.Series(ATTACKS_SOURCE, index=raw.index, dtype="string"),
            "source_id": ("IMB-" + date_text.fillna("nodate") + "-" + raw.index.astype(str)),
            "date": date.astype("datetime64[ns]"),
            "time_local": (local[0] + ":" + local[1]).astype("string"),
            "utc_offset_h": pd.Series(np.nan, index=raw.index),  # the file gives no offset
            "latitude": lat.where(has_position),
            "longitude": lon.where(has_position),
            "position_status": pd.Series(
                np.where(has_position, "ok", "missing"), index=raw.index, dtype="string"
            ),
            "position_precision_deg": pd.Series(np.nan, index=raw.index),
            "source_country_iso3": to_iso3(_text(raw["eez_country"]), "iso3", source=str(path)),
            "source_label": _text(raw["attack_type"]),
            "source_severity": na_text,  # no severity scale in this database
            "description": _text(raw["attack_description"]),
            "vessel_name": _text(raw["vessel_name"]),
            "vessel_imo": na_text,  # not a field of the database
            "vessel_type_raw": _text(raw["vessel_type"]),
            "vessel_status_raw": _text(raw["vessel_status"]),
            "time_raw": time_raw,
            "time_utc": (utc[0] + ":" + utc[1]).astype("string"),
            "location_description": _text(raw["location_description"]),
            "nearest_country_iso3": to_iso3(
                _text(raw["nearest_country"]), "iso3", source=str(path)
            ),
            "shore_distance_km": _number(raw["shore_distance"], "shore_distance", failures),
            "shore_latitude": _number(raw["shore_latitude"], "shore_latitude", failures),
            "shore_longitude": _number(raw["shore_longitude"], "shore_longitude", failures),
            "data_source": _text(raw["data_source"]).str.strip(),
        },
        index=raw.index,
    )
    df["source_id"] = df["source_id"].astype("string")
    # an eez_country that is not ISO3 is an error here (the file promises ISO3), not NA
    for raw_col, col in (
        ("eez_country", "source_country_iso3"),
        ("nearest_country", "nearest_country_iso3"),
    ):
        failures.append(
            _failures(raw[raw_col].notna() & df[col].isna(), raw_col, "ISO3 code", raw[raw_col])
        )
    return _validate(checked_incidents(df, path), ATTACKS_SCHEMA, path, failures)


# --- country indicators ------------------------------------------------------------------


def load_imb_country_indicators(path: Path | None = None) -> pd.DataFrame:
    """Load the Crime-at-Sea country-year indicators (``imb_country_indicators``).

    Quirks handled:

    * 34 rows have ``year`` = ``NA`` and no value at all: they are dropped; the count is
      logged (INFO) and kept in ``df.attrs["dropped_empty_rows"]``. A row without a year
      that does hold a value is an error.
    * ``corruption_index`` is Transparency International's CPI, published on a 0–10 scale
      up to 2011 and 0–100 from 2012. It is kept as published, and ``cpi_0_100`` puts every
      year on the 0–100 scale (×10 up to 2011). Three 2005 values (BRA 37, THA 38, TTO 38)
      are already on the 0–100 scale although the year is 0–10 (a value above 10 cannot be
      on that scale): they are not multiplied, and ``cpi_scale_mismatch`` is True for them.
    * Six country-years appear twice with different CPI values (BOL 2004, CRI 2003, ISL
      2009, NAM 2006, NER 2006, SLV 2009; the other columns agree). Both rows are kept,
      since the file does not say which is right, and ``duplicate_country_year`` is True
      for them: drop or average them before joining on country and year.
    * ``GDP`` is GDP per capita in US$ (``gdp_per_capita_usd``), although the codebook says
      "US$"; ``total_military`` (armed forces personnel) has no values after 2017.

    Parameters
    ----------
    path : Path, optional
        ``country_indicators.csv``; default: the registered file.

    Returns
    -------
    pandas.DataFrame
        Indexed by record number (with gaps where empty rows were dropped): ``country_iso3``
        (NA for ``CHI``, the Channel Islands, which have no ISO3), ``country_code`` (as
        published), ``year`` (Int64), ``corruption_index`` (as published), ``cpi_0_100``,
        ``cpi_scale_mismatch`` (bool), ``homicide_rate_per_100k``, ``gdp_per_capita_usd``,
        ``total_fisheries_t`` (tonnes), ``armed_forces_personnel``, ``population``,
        ``unemployment_rate_pct``, ``gov_revenue_share_gdp`` (share, not %),
        ``industry_share_gdp`` (share), ``duplicate_country_year`` (bool). Missing values
        are NA, never 0.

    Raises
    ------
    DataFormatError
        A column is missing.
    DataValidationError
        Listing every bad value (non-numeric text, unknown ISO3, out-of-range values...).
    """
    path = Path(path) if path else fetch(INDICATORS_SOURCE)
    raw = _read(path)
    require_columns(raw, list(INDICATOR_RENAMES), path)
    raw = raw.rename(columns=INDICATOR_RENAMES, errors="raise")
    failures: list[pd.DataFrame] = []

    values = pd.DataFrame(
        {col: _number(raw[col], col, failures) for col in INDICATOR_VALUES}, index=raw.index
    )
    year_text = _text(raw["year"]).str.strip()
    year = _number(raw["year"], "year", failures)
    failures.append(_failures(year.notna() & (year % 1 != 0), "year", "whole number", raw["year"]))

    # the 34 rows with year NA are empty: drop them, but never a row that holds a value
    empty = year_text.isna() & values.isna().all(axis=1)
    failures.append(_failures(year_text.isna() & ~empty, "year", "not missing", raw["year"]))
    n_empty = int(empty.sum())
    if n_empty:
        log.info("%s: dropped %d empty rows (year and every value NA)", path, n_empty)
    keep = ~empty
    values = values[keep]
    year = year[keep]

    country = _country(raw.loc[keep, "country_code"], path, failures)

    cpi = values["corruption_index"]
    old_scale = year <= CPI_RESCALE_LAST_YEAR
    # a value above 10 in a 0–10 year is already on the 0–100 scale (BRA/THA/TTO 2005)
    mismatch = old_scale & (cpi > 10)
    cpi_0_100 = cpi.where(~old_scale | mismatch, (cpi * 10).round(6))  # 2.2*10 = 22.000…04

    df = pd.DataFrame(
        {
            **country,
            "year": year.round().astype("Int64"),
            "corruption_index": cpi,
            "cpi_0_100": cpi_0_100,
            "cpi_scale_mismatch": mismatch.fillna(False).astype(bool),
            **{col: values[col] for col in INDICATOR_VALUES if col != "corruption_index"},
        },
        index=values.index,
    )
    df["duplicate_country_year"] = df.duplicated(["country_code", "year"], keep=False)
    df = _validate(df, INDICATORS_SCHEMA, path, failures)
    df.attrs["dropped_empty_rows"] = n_empty
    return df


# --- country codes -----------------------------------------------------------------------


def load_imb_country_codes(path: Path | None = None) -> pd.DataFrame:
    """Load the Crime-at-Sea country list (``imb_country_codes``): 217 countries.

    Parameters
    ----------
    path : Path, optional
        ``country_codes.csv``; default: the registered file.

    Returns
    -------
    pandas.DataFrame
        Indexed by record number: ``country_iso3`` (ISO3-validated; NA for ``CHI``, the
        Channel Islands, which have no ISO3), ``country_code`` (as published, unique),
        ``region``
        (World Bank region, one of :data:`WB_REGIONS`), ``country_name`` (as published).

    Raises
    ------
    DataFormatError
        A column is missing.
    DataValidationError
        Listing every bad value (unknown ISO3, unknown region, duplicate code...).
    """
    path = Path(path) if path else fetch(CODES_SOURCE)
    raw = _read(path)
    require_columns(raw, list(CODE_RENAMES), path)
    raw = raw.rename(columns=CODE_RENAMES, errors="raise")
    failures: list[pd.DataFrame] = []
    df = pd.DataFrame(
        {
            **_country(raw["country_code"], path, failures),
            "region": _text(raw["region"]).str.strip(),
            "country_name": _text(raw["country_name"]).str.strip(),
        },
        index=raw.index,
    )
    return _validate(df, CODES_SCHEMA, path, failures)
