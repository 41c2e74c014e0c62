"""Country indicator loaders: WGI and World Bank WDI series.

Sources (registry ids in ``data/sources.yaml``; quirks in the mirror MANIFEST §3):

``wgi``
    Worldwide Governance Indicators, 2024 update, long format (:func:`load_wgi`).
``wb_population``, ``wb_gdp``
    WDI SP.POP.TOTL and NY.GDP.MKTP.CD as repackaged in long form by datasets/* on GitHub
    (:func:`load_wb_population`, :func:`load_wb_gdp`).
``wb_milex_share``, ``wb_milex_usd``
    WDI bulk downloads of MS.MIL.XPND.GD.ZS and MS.MIL.XPND.CD, wide layout
    (:func:`load_wb_milex_share`, :func:`load_wb_milex_usd`); their metadata files are read
    by :mod:`osa_analysis.sources.loaders.wdi_metadata`, SIPRI's own series
    (``sipri_milex_share``) by :mod:`osa_analysis.sources.loaders.sipri`.

Every loader returns one row per source record (long files) or per country-year (wide
files), indexed by the record number in the file (0-based, header excluded; for the wide
WDI layout all years of one country share that country's record number). Missing values
are NA, never 0.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.countries import to_iso3
from osa_analysis.core.validation import DataFormatError, require_columns, validate
from osa_analysis.sources.cache import disk_cached
from osa_analysis.sources.fetch import fetch

__all__ = [
    "WB_AGGREGATE_CODES",
    "WGI_INDICATORS",
    "load_wb_gdp",
    "load_wb_milex_share",
    "load_wb_milex_usd",
    "load_wb_population",
    "load_wgi",
    "wgi_interval",
]

# --------------------------------------------------------------------------------------
# Shared constants
# --------------------------------------------------------------------------------------

WB_AGGREGATE_CODES = frozenset(
    {
        # Regions, income groups, lending groups and other aggregates: the codes whose
        # ``Region`` is empty in the WDI Metadata_Country files (editions 2024-03-28 and
        # 2026-02-24, identical lists; checked by the mirror integration test) ...
        "AFE", "AFW", "ARB", "CEB", "CSS", "EAP", "EAR", "EAS", "ECA", "ECS", "EMU", "EUU",
        "FCS", "HIC", "HPC", "IBD", "IBT", "IDA", "IDB", "IDX", "LAC", "LCN", "LDC", "LIC",
        "LMC", "LMY", "LTE", "MEA", "MIC", "MNA", "NAC", "OED", "OSS", "PRE", "PSS", "PST",
        "SAS", "SSA", "SSF", "SST", "TEA", "TEC", "TLA", "TMN", "TSA", "TSS", "UMC", "WLD",
        # ... plus INX "Not classified", a residual row of the wide data files that the
        # metadata file does not list.
        "INX",
    }
)  # fmt: skip
"""World Bank codes of aggregates (not economies): ``country_iso3`` NA, ``is_aggregate`` True."""

WB_NON_ISO_ECONOMIES = frozenset({"CHI"})
"""WB economies without an ISO3 code (CHI Channel Islands): NA ``country_iso3``, no warning."""

WDI_INCOME_GROUPS = ("Low income", "Lower middle income", "Upper middle income", "High income")

WGI_INDICATORS = {
    "va": "Voice and Accountability",
    "pv": "Political Stability and Absence of Violence/Terrorism",
    "ge": "Government Effectiveness",
    "rq": "Regulatory Quality",
    "rl": "Rule of Law",
    "cc": "Control of Corruption",
}
"""WGI indicator codes and their full names."""

WGI_HISTORICAL_CODES = frozenset({"ANT"})
"""WGI units with no current ISO3 (ANT Netherlands Antilles, dissolved 2010): NA ISO3."""

YEAR_COLUMN = pa.Column("int64", pa.Check.in_range(1900, 2100))
"""Pandera column specs shared by the World Bank, WGI, WDI-metadata and SIPRI schemas."""
ISO3_COLUMN = pa.Column("string", pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=True)
WB_CODE_COLUMN = pa.Column("string", pa.Check.str_matches(r"^[A-Z0-9]{3}$"))
TEXT_COLUMN = pa.Column("string")
TEXT_OR_NA_COLUMN = pa.Column("string", nullable=True)


def _is_zip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def drop_empty_trailing(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Drop the empty unnamed column(s) that a trailing comma on every WDI line creates."""
    extra = [c for c in raw.columns if str(c).startswith("Unnamed:")]
    filled = [c for c in extra if raw[c].notna().any()]
    if filled:
        raise DataFormatError(f"{path}: unnamed column(s) {filled} hold values; layout changed?")
    return raw.drop(columns=extra, errors="raise")


def wb_keys(wb_code: pd.Series, path: Path) -> tuple[pd.Series, pd.Series]:
    """Return ``country_iso3`` and ``is_aggregate`` for World Bank codes.

    Aggregates (:data:`WB_AGGREGATE_CODES`) and CHI get NA ISO3 silently; any other code
    that does not map raises an :class:`~osa_analysis.core.countries.UnmappedCodeWarning`.
    """
    is_aggregate = wb_code.isin(WB_AGGREGATE_CODES).astype("bool")
    iso3 = to_iso3(
        wb_code, "wb", source=str(path), ignore=WB_AGGREGATE_CODES | WB_NON_ISO_ECONOMIES
    )
    return iso3.mask(is_aggregate), is_aggregate


# --------------------------------------------------------------------------------------
# Worldwide Governance Indicators
# --------------------------------------------------------------------------------------

WGI_RAW_COLUMNS = {
    "code": "wb_code",
    "countryname": "country_name",
    "year": "year",
    "indicator": "indicator",
    "estimate": "estimate",
    "stddev": "std_error",
    "nsource": "n_sources",
    "pctrank": "pct_rank",
    "pctranklower": "pct_rank_lower",
    "pctrankupper": "pct_rank_upper",
}
"""WGI file columns (lower-cased) and their tidy names; ``codeindyr`` is dropped."""

_PCT = pa.Column("float64", pa.Check.in_range(0, 100), nullable=True)

WGI_SCHEMA = pa.DataFrameSchema(
    {
        "country_iso3": ISO3_COLUMN,
        "wb_code": WB_CODE_COLUMN,
        "country_name": TEXT_COLUMN,
        "year": YEAR_COLUMN,
        "indicator": pa.Column("string", pa.Check.isin(list(WGI_INDICATORS))),
        "indicator_name": pa.Column("string", pa.Check.isin(list(WGI_INDICATORS.values()))),
        # nominally -2.5..2.5; the 2024 update reaches -3.31. +-5 catches unit mistakes.
        "estimate": pa.Column("float64", pa.Check.in_range(-5, 5), nullable=True),
        "std_error": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "n_sources": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "pct_rank": _PCT,
        "pct_rank_lower": _PCT,
        "pct_rank_upper": _PCT,
    },
    strict=True,
    ordered=True,
    coerce=True,
    unique=["wb_code", "year", "indicator"],
    name="wgi",
)


def _find_wgi_sheet(path: Path, max_rows: int = 30) -> tuple[str, int]:
    """Return the sheet name and 0-based header row of the WGI table in a workbook.

    The header is the first row (within ``max_rows``) holding ``codeindyr``, or both
    ``code`` and ``indicator``; other sheets (cover page, notes) are skipped.
    """
    from openpyxl import load_workbook  # imported lazily: only the xlsx path needs it

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(max_row=max_rows, values_only=True)
            for number, row in enumerate(rows):
                names = {str(v).strip().lower() for v in row if v is not None}
                if "codeindyr" in names or {"code", "indicator"} <= names:
                    return sheet.title, number
    finally:
        workbook.close()
    raise DataFormatError(
        f"{path}: no sheet has a WGI header ('codeindyr', or 'code' and 'indicator') in its "
        f"first {max_rows} rows; is this wgidataset.xlsx?"
    )


def _read_wgi_raw(path: Path) -> pd.DataFrame:
    text_columns = {"codeindyr": "string", "code": "string", "countryname": "string"}
    if _is_zip(path) or path.suffix.lower() in (".xlsx", ".xlsm"):
        sheet, header = _find_wgi_sheet(path)
        raw = pd.read_excel(
            path,
            sheet_name=sheet,
            header=header,
            na_values=[".."],
            keep_default_na=False,
            engine="openpyxl",
        )
        raw.columns = [str(c).strip().lower() for c in raw.columns]
        raw = raw.dropna(how="all")  # trailing formatted-but-empty rows
        for column in set(text_columns) & set(raw.columns):
            raw[column] = raw[column].astype("string")
        return raw
    # The registry CSV: UTF-8 with BOM (utf-8-sig strips it from "codeindyr"), CRLF and no
    # final newline (both fine for the C parser); ".." marks missing values.
    raw = pd.read_csv(
        path,
        encoding="utf-8-sig",
        na_values=["..", ""],
        keep_default_na=False,
        dtype=text_columns,
    )
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    return raw


@disk_cached("wgi")
def load_wgi(path: Path | str | None = None) -> pd.DataFrame:
    """Load the Worldwide Governance Indicators, one row per economy, indicator and year.

    Parameters
    ----------
    path : Path or str, optional
        The registry file (default: ``fetch("wgi")``, the 2024 update as CSV), or the
        official workbook ``wgidataset.xlsx`` from
        https://www.worldbank.org/en/publication/worldwide-governance-indicators (detected
        by its content/extension and read with openpyxl; the sheet whose header holds
        ``codeindyr``, or ``code`` and ``indicator``, is used).

    Returns
    -------
    pandas.DataFrame
        Columns:

        - ``country_iso3`` (string): ISO3; NA for ANT (Netherlands Antilles, dissolved).
          WGI's legacy codes are mapped: ADO→AND, ROM→ROU, ZAR→COD, TMP→TLS, KSV→XKX,
          WBG→PSE.
        - ``wb_code`` (string): the code as published.
        - ``country_name`` (string): the name as published.
        - ``year`` (int64): 1996, 1998, 2000, then yearly.
        - ``indicator`` (string): va, pv, ge, rq, rl or cc.
        - ``indicator_name`` (string): the full name, e.g. "Rule of Law".
        - ``estimate`` (float64): governance score, nominally -2.5…2.5 (observed -3.31…2.47).
        - ``std_error`` (float64): standard error of ``estimate``.
        - ``n_sources`` (Int64): number of data sources behind the estimate.
        - ``pct_rank``, ``pct_rank_lower``, ``pct_rank_upper`` (float64): percentile rank
          among all economies (0–100) and its 90% interval.

        Missing values (``..`` in the file: economy-years without any source) are NA in all
        six value columns. ``df.attrs["precision"]`` says how values are rounded: the
        registry CSV is an Excel "CSV UTF-8" save that rounds ``estimate`` and
        ``std_error`` to 2 dp and the percentile ranks to 1 dp; the official workbook has
        full precision.

    Raises
    ------
    DataFormatError
        A required column is missing (or no WGI sheet is found in a workbook).
    DataValidationError
        Values out of range or of the wrong type, listed by record and column.
    """
    path = Path(path) if path else fetch("wgi")
    raw = _read_wgi_raw(path)
    require_columns(raw, list(WGI_RAW_COLUMNS), path)
    tidy = raw[list(WGI_RAW_COLUMNS)].rename(columns=WGI_RAW_COLUMNS, errors="raise")
    tidy["indicator"] = tidy["indicator"].astype("string").str.strip().str.lower()
    tidy["indicator_name"] = tidy["indicator"].map(WGI_INDICATORS).astype("string")
    tidy["country_iso3"] = to_iso3(
        tidy["wb_code"], "wb", source=str(path), ignore=WGI_HISTORICAL_CODES
    )
    tidy = validate(tidy[list(WGI_SCHEMA.columns)], WGI_SCHEMA, path)
    is_workbook = _is_zip(path) or path.suffix.lower() in (".xlsx", ".xlsm")
    tidy.attrs["precision"] = (
        "full (official workbook)"
        if is_workbook
        else "rounded: estimate and std_error to 2 dp, pct_rank* to 1 dp (Excel CSV save)"
    )
    return tidy


def wgi_interval(df: pd.DataFrame, z: float = 1.645) -> pd.DataFrame:
    """Add a confidence band around each WGI estimate.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`load_wgi` (needs ``estimate`` and ``std_error``).
    z : float, default 1.645
        Normal quantile; 1.645 gives the 90% band WGI itself uses for its ranks.

    Returns
    -------
    pandas.DataFrame
        A copy with ``estimate_low`` = ``estimate - z * std_error`` and ``estimate_high`` =
        ``estimate + z * std_error`` (NA where either input is NA). With the registry CSV
        both inputs are rounded to 2 dp, so the bounds are good to about ±0.01.
    """
    if not z > 0:
        raise ValueError(f"z must be positive, got {z}")
    require_columns(df, ["estimate", "std_error"], "WGI frame")
    out = df.copy()
    half_width = z * out["std_error"]
    out["estimate_low"] = out["estimate"] - half_width
    out["estimate_high"] = out["estimate"] + half_width
    return out


# --------------------------------------------------------------------------------------
# World Bank WDI: long repackaging (datasets/*) and the official wide bulk CSV
# --------------------------------------------------------------------------------------

WDI_LONG_COLUMNS = {
    "Country Name": "country_name",
    "Country Code": "wb_code",
    "Year": "year",
    "Value": "value",
}
WDI_WIDE_ID_COLUMNS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]


def _read_text(path: Path, member_prefix: str = "API_") -> str:
    """Return a WDI CSV's text (BOM stripped), or that of a bulk-download zip's member.

    In a zip, the one ``.csv`` member whose name starts with ``member_prefix`` is read
    (``API_`` for the data, ``Metadata_Country_`` / ``Metadata_Indicator_`` for metadata).
    """
    if _is_zip(path):
        with zipfile.ZipFile(path) as archive:
            members = [
                n
                for n in archive.namelist()
                if Path(n).name.startswith(member_prefix) and n.lower().endswith(".csv")
            ]
            if len(members) != 1:
                raise DataFormatError(
                    f"{path}: expected one {member_prefix}*.csv member in the WDI zip, "
                    f"found {members}"
                )
            data = archive.read(members[0])
    else:
        data = path.read_bytes()
    return data.decode("utf-8-sig")


def read_wdi_metadata(path: Path, member_prefix: str) -> pd.DataFrame:
    """Read a WDI metadata CSV (all text; empty cells NA; quoted newlines allowed)."""
    return pd.read_csv(
        io.StringIO(_read_text(path, member_prefix)),
        dtype="string",
        keep_default_na=False,
        na_values=[""],
    )


def _is_wdi_wide(path: Path) -> bool:
    """Whether a file is in the WDI bulk layout (preamble starting with "Data Source")."""
    if _is_zip(path):
        return True
    with open(path, encoding="utf-8-sig") as fh:
        first = fh.readline()
    return first.lstrip('"').startswith("Data Source")


def _read_wdi_wide(path: Path) -> pd.DataFrame:
    """Read a WDI bulk CSV (wide layout) as published.

    The layout: UTF-8 with BOM; a preamble (``"Data Source","World Development
    Indicators",``, blank, ``"Last Updated Date","YYYY-MM-DD",``, blank); then a header
    ``Country Name, Country Code, Indicator Name, Indicator Code, 1960, …`` and one line per
    economy, each ending in a comma (an empty trailing column, dropped here). Line endings
    are CRLF or LF depending on the edition. The header is located rather than assumed to
    be line 5, so a changed preamble fails loudly instead of shifting the columns.

    Returns
    -------
    pandas.DataFrame
        The four id columns (string) and one column per year (``"1960"`` …), indexed by
        record number; ``attrs["last_updated"]`` holds the preamble date (or None).
    """
    text = _read_text(path)
    head = text[:4000].splitlines()
    header_at = next(
        (i for i, line in enumerate(head) if line.lstrip('"').startswith("Country Name")),
        None,
    )
    if header_at is None:
        raise DataFormatError(f"{path}: no 'Country Name' header line in the WDI preamble")
    preamble = {
        row[0].strip(): row[1].strip()
        for row in csv.reader(head[:header_at])
        if len(row) >= 2 and row[0].strip()
    }
    raw = pd.read_csv(
        io.StringIO(text),
        skiprows=header_at,
        dtype=dict.fromkeys(WDI_WIDE_ID_COLUMNS, "string"),
        keep_default_na=False,
        na_values=[""],  # an empty cell is a missing value; "NA" is Namibia's name prefix
    )
    require_columns(raw, WDI_WIDE_ID_COLUMNS, path)
    raw = drop_empty_trailing(raw, path)
    years = [c for c in raw.columns if re.fullmatch(r"\d{4}", str(c))]
    if not years:
        raise DataFormatError(f"{path}: no year columns after the WDI id columns")
    unexpected = sorted(set(raw.columns) - set(WDI_WIDE_ID_COLUMNS) - set(years))
    if unexpected:
        raise DataFormatError(f"{path}: unexpected column(s) {unexpected} in the WDI file")
    raw.attrs["last_updated"] = preamble.get("Last Updated Date")
    return raw


def _wdi_wide_to_long(raw: pd.DataFrame, indicator: str, path: Path) -> pd.DataFrame:
    """Reshape a wide WDI frame to long ``country_name, wb_code, year, value``.

    Rows keep the economy's record number as index and are ordered by record, then year.
    """
    codes = raw["Indicator Code"].dropna().unique().tolist()
    if codes != [indicator]:
        raise DataFormatError(f"{path}: holds indicator(s) {codes}, expected {indicator!r}")
    years = [c for c in raw.columns if re.fullmatch(r"\d{4}", str(c))]
    long = raw.melt(
        id_vars=["Country Name", "Country Code"],
        value_vars=years,
        var_name="Year",
        value_name="Value",
        ignore_index=False,
    ).sort_index(kind="stable")
    long["Year"] = long["Year"].astype("int64")
    return long.rename(columns=WDI_LONG_COLUMNS, errors="raise")


def _read_wdi(path: Path, indicator: str, *, drop_missing: bool) -> pd.DataFrame:
    """Read either WDI layout into ``country_name, wb_code, year, value`` (record index)."""
    if _is_wdi_wide(path):
        raw = _read_wdi_wide(path)
        long = _wdi_wide_to_long(raw, indicator, path)
        if drop_missing:
            long = long[long["value"].notna()]
        long.attrs["last_updated"] = raw.attrs["last_updated"]
        return long
    raw = pd.read_csv(
        path,
        encoding="utf-8-sig",
        dtype={"Country Name": "string", "Country Code": "string"},
        keep_default_na=False,
        na_values=[""],
    )
    require_columns(raw, list(WDI_LONG_COLUMNS), path)
    long = raw[list(WDI_LONG_COLUMNS)].rename(columns=WDI_LONG_COLUMNS, errors="raise")
    long.attrs["last_updated"] = None  # the repackaging does not say
    return long


def _wb_series_schema(value_name: str, value_column: pa.Column, name: str) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "country_iso3": ISO3_COLUMN,
            "wb_code": WB_CODE_COLUMN,
            "is_aggregate": pa.Column("bool"),
            "country_name": TEXT_COLUMN,
            "year": YEAR_COLUMN,
            value_name: value_column,
        },
        strict=True,
        ordered=True,
        coerce=True,
        unique=["wb_code", "year"],
        name=name,
    )


WB_POPULATION_SCHEMA = _wb_series_schema(
    "population", pa.Column("Int64", pa.Check.gt(0), nullable=True), "wb_population"
)
WB_GDP_SCHEMA = _wb_series_schema(
    "gdp_usd", pa.Column("float64", pa.Check.gt(0), nullable=True), "wb_gdp"
)
WB_MILEX_SHARE_SCHEMA = _wb_series_schema(
    # % of GDP; Kuwait 1991 reaches 117 (war year), so the bound is loose.
    "milex_share_gdp_pct",
    pa.Column("float64", pa.Check.in_range(0, 200, include_min=False), nullable=True),
    "wb_milex_share",
)
WB_MILEX_USD_SCHEMA = _wb_series_schema(
    "milex_usd", pa.Column("float64", pa.Check.gt(0), nullable=True), "wb_milex_usd"
)


def _load_wb_series(
    path: Path,
    indicator: str,
    value_name: str,
    schema: pa.DataFrameSchema,
    *,
    drop_missing: bool,
    zero_is_missing: bool = False,
) -> pd.DataFrame:
    long = _read_wdi(path, indicator, drop_missing=drop_missing)
    last_updated = long.attrs.get("last_updated")
    long = long.rename(columns={"value": value_name}, errors="raise")
    if zero_is_missing and pd.api.types.is_numeric_dtype(long[value_name]):
        long[value_name] = long[value_name].mask(long[value_name] == 0)
    long["country_iso3"], long["is_aggregate"] = wb_keys(long["wb_code"], path)
    tidy = validate(long[list(schema.columns)], schema, path)
    tidy.attrs["last_updated"] = last_updated
    return tidy


def load_wb_population(path: Path | str | None = None) -> pd.DataFrame:
    """Load World Bank total population (SP.POP.TOTL), one row per economy and year.

    Parameters
    ----------
    path : Path or str, optional
        The registry file (default: ``fetch("wb_population")``, the long
        ``Country Name, Country Code, Year, Value`` repackaging by datasets/population),
        or the official WDI bulk download from
        https://api.worldbank.org/v2/en/indicator/SP.POP.TOTL?downloadformat=csv (the zip
        itself or its ``API_SP.POP.TOTL_*.csv``; the wide layout is detected from the
        ``"Data Source"`` preamble). Empty cells of the wide file are dropped, so both
        layouts give the same rows.

    Returns
    -------
    pandas.DataFrame
        Columns ``country_iso3`` (string; NA for aggregates and CHI Channel Islands),
        ``wb_code`` (string, as published), ``is_aggregate`` (bool: region, income or
        lending group, world; see :data:`WB_AGGREGATE_CODES`), ``country_name`` (string),
        ``year`` (int64), ``population`` (Int64, persons). Only economy-years with a value
        are present. ``df.attrs["last_updated"]`` is the WDI preamble date for the wide
        layout, else None.

    Raises
    ------
    DataFormatError
        A required column is missing, or a wide file holds another indicator.
    DataValidationError
        Bad values, listed by record and column.
    """
    path = Path(path) if path else fetch("wb_population")
    return _load_wb_series(
        path, "SP.POP.TOTL", "population", WB_POPULATION_SCHEMA, drop_missing=True
    )


def load_wb_gdp(path: Path | str | None = None) -> pd.DataFrame:
    """Load World Bank GDP in current US$ (NY.GDP.MKTP.CD), one row per economy and year.

    Parameters
    ----------
    path : Path or str, optional
        The registry file (default: ``fetch("wb_gdp")``, the long repackaging by
        datasets/gdp), or the official WDI bulk download from
        https://api.worldbank.org/v2/en/indicator/NY.GDP.MKTP.CD?downloadformat=csv (zip
        or its ``API_*.csv``; layout detected from the preamble; empty cells dropped).

    Returns
    -------
    pandas.DataFrame
        Columns ``country_iso3``, ``wb_code``, ``is_aggregate``, ``country_name``,
        ``year`` (int64) and ``gdp_usd`` (float64, current US$), as in
        :func:`load_wb_population`. ``df.attrs["last_updated"]`` as there.

    Raises
    ------
    DataFormatError
        A required column is missing, or a wide file holds another indicator.
    DataValidationError
        Bad values, listed by record and column.
    """
    path = Path(path) if path else fetch("wb_gdp")
    return _load_wb_series(path, "NY.GDP.MKTP.CD", "gdp_usd", WB_GDP_SCHEMA, drop_missing=True)


@disk_cached("wb_milex_share")
def load_wb_milex_share(path: Path | str | None = None) -> pd.DataFrame:
    """Load military expenditure as % of GDP (WDI MS.MIL.XPND.GD.ZS; SIPRI data, CC BY 4.0).

    This is the series to publish: the World Bank's openly licensed copy of SIPRI's
    figures (:func:`~osa_analysis.sources.loaders.sipri.load_sipri_milex_share` is
    internal-only).

    Parameters
    ----------
    path : Path or str, optional
        The WDI bulk CSV ``API_MS.MIL.XPND.GD.ZS_DS2_en_csv_v2_*.csv`` (default:
        ``fetch("wb_milex_share")``, the 2026-02-24 edition) or its download zip.

    Returns
    -------
    pandas.DataFrame
        One row per economy (266, including aggregates) and year column of the file
        (1960–2025 in the registry edition; 2025 is still empty). Columns
        ``country_iso3`` (string; NA for aggregates, INX and CHI), ``wb_code``,
        ``is_aggregate`` (bool), ``country_name``, ``year`` (int64),
        ``milex_share_gdp_pct`` (float64, % of GDP; NA where the cell is empty, i.e. not
        published). The index is the economy's record number in the file.
        ``df.attrs["last_updated"]`` is the preamble's "Last Updated Date" (ISO string).

    Raises
    ------
    DataFormatError
        Missing columns, a changed preamble, or another indicator's file.
    DataValidationError
        Bad values, listed by record (economy row) and column.
    """
    path = Path(path) if path else fetch("wb_milex_share")
    return _load_wb_series(
        path,
        "MS.MIL.XPND.GD.ZS",
        "milex_share_gdp_pct",
        WB_MILEX_SHARE_SCHEMA,
        drop_missing=False,
        zero_is_missing=True,  # none in the 2026 edition; same rule as the US$ series
    )


@disk_cached("wb_milex_usd")
def load_wb_milex_usd(path: Path | str | None = None) -> pd.DataFrame:
    """Load military expenditure in current US$ (WDI MS.MIL.XPND.CD; SIPRI data).

    Parameters
    ----------
    path : Path or str, optional
        The WDI bulk CSV ``API_MS.MIL.XPND.CD_DS2_en_csv_v2_*.csv`` (default:
        ``fetch("wb_milex_usd")``, the 2024-03-28 edition, LF line endings) or its zip.

    Returns
    -------
    pandas.DataFrame
        As :func:`load_wb_milex_share`, with ``milex_usd`` (float64, current US$) instead
        of the share. The registry edition runs 1960–2023 with 2023 empty.

        **Zeros are missing.** The 2024-03-28 edition stores 229 cells as exactly 0
        (e.g. ARG 1960–61, ALB 1975–91, PRK 1986–2013, CRI, ISL, PAN): 35 of them have a
        positive % of GDP in MS.MIL.XPND.GD.ZS and the other 194 have no value there, so
        0 here means "no data", not "no spending". They are returned as NA.
        ``df.attrs["last_updated"]`` as in :func:`load_wb_milex_share`.

    Raises
    ------
    DataFormatError
        Missing columns, a changed preamble, or another indicator's file.
    DataValidationError
        Bad values, listed by record (economy row) and column.
    """
    path = Path(path) if path else fetch("wb_milex_usd")
    return _load_wb_series(
        path,
        "MS.MIL.XPND.CD",
        "milex_usd",
        WB_MILEX_USD_SCHEMA,
        drop_missing=False,
        zero_is_missing=True,
    )
