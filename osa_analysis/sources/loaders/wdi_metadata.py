"""World Bank WDI metadata files, shipped beside the military-expenditure series.

The region and income group of each economy, and the definition and source of an indicator.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.countries import to_iso3
from osa_analysis.core.validation import require_columns, validate
from osa_analysis.sources.fetch import fetch
from osa_analysis.sources.loaders.indicators import (
    ISO3_COLUMN,
    TEXT_COLUMN,
    TEXT_OR_NA_COLUMN,
    WB_CODE_COLUMN,
    WB_NON_ISO_ECONOMIES,
    WDI_INCOME_GROUPS,
    drop_empty_trailing,
    read_wdi_metadata,
)

# --------------------------------------------------------------------------------------
# WDI metadata files
# --------------------------------------------------------------------------------------

WB_COUNTRY_METADATA_COLUMNS = {
    "Country Code": "wb_code",
    "TableName": "country_name",
    "Region": "region",
    "IncomeGroup": "income_group",
    "SpecialNotes": "special_notes",
}

WB_COUNTRY_METADATA_SCHEMA = pa.DataFrameSchema(
    {
        "wb_code": WB_CODE_COLUMN,
        "country_iso3": ISO3_COLUMN,
        "is_aggregate": pa.Column("bool"),
        "country_name": TEXT_COLUMN,
        "region": TEXT_OR_NA_COLUMN,
        "income_group": pa.Column("string", pa.Check.isin(WDI_INCOME_GROUPS), nullable=True),
        "special_notes": TEXT_OR_NA_COLUMN,
    },
    strict=True,
    ordered=True,
    coerce=True,
    unique=["wb_code"],
    name="wb_country_metadata",
)


def load_wb_country_metadata(path: Path | str | None = None, which: str = "share") -> pd.DataFrame:
    """Load a WDI ``Metadata_Country_*.csv``: region and income group of each economy.

    Parameters
    ----------
    path : Path or str, optional
        A ``Metadata_Country_API_*.csv`` file, or a WDI bulk-download zip holding one.
        Default: the one shipped with the military-expenditure download selected by
        ``which``.
    which : {"share", "usd"}
        ``"share"``: ``fetch("wb_milex_share_meta_country")`` (2026-02-24 classification);
        ``"usd"``: ``fetch("wb_milex_usd_meta_country")`` (2024-03-28). Ignored with
        ``path``.

    Returns
    -------
    pandas.DataFrame
        One row per record (265 in both editions), indexed by record number (notes hold
        quoted newlines, so records are not lines). Columns ``wb_code`` (string),
        ``country_iso3`` (string; NA for aggregates and CHI), ``is_aggregate`` (bool:
        ``Region`` empty), ``country_name`` (``TableName``), ``region`` (WB region; NA
        for aggregates), ``income_group`` (Low / Lower middle / Upper middle / High
        income; NA for aggregates and unclassified economies, e.g. VEN),
        ``special_notes`` (free text with newlines; NA when empty).

    Raises
    ------
    DataFormatError
        A required column is missing.
    DataValidationError
        Bad values, listed by record and column.
    """
    ids = {"share": "wb_milex_share_meta_country", "usd": "wb_milex_usd_meta_country"}
    if which not in ids:
        raise ValueError(f"which must be one of {sorted(ids)}, got {which!r}")
    path = Path(path) if path else fetch(ids[which])
    raw = read_wdi_metadata(path, "Metadata_Country_")
    require_columns(raw, list(WB_COUNTRY_METADATA_COLUMNS), path)
    raw = drop_empty_trailing(raw, path)
    tidy = raw[list(WB_COUNTRY_METADATA_COLUMNS)].rename(
        columns=WB_COUNTRY_METADATA_COLUMNS, errors="raise"
    )
    # Aggregates are the rows without a region (the definition behind WB_AGGREGATE_CODES).
    tidy["is_aggregate"] = tidy["region"].isna()
    ignore = frozenset(tidy.loc[tidy["is_aggregate"], "wb_code"].dropna()) | WB_NON_ISO_ECONOMIES
    tidy["country_iso3"] = to_iso3(tidy["wb_code"], "wb", source=str(path), ignore=ignore).mask(
        tidy["is_aggregate"]
    )
    return validate(
        tidy[list(WB_COUNTRY_METADATA_SCHEMA.columns)], WB_COUNTRY_METADATA_SCHEMA, path
    )


WB_INDICATOR_METADATA_COLUMNS = {
    "INDICATOR_CODE": "indicator_code",
    "INDICATOR_NAME": "indicator_name",
    "SOURCE_NOTE": "source_note",
    "SOURCE_ORGANIZATION": "source_organization",
}

WB_INDICATOR_METADATA_SCHEMA = pa.DataFrameSchema(
    {
        "indicator_code": pa.Column("string", pa.Check.str_matches(r"^[A-Z0-9.]+$")),
        "indicator_name": TEXT_COLUMN,
        "source_note": TEXT_OR_NA_COLUMN,
        "source_organization": TEXT_OR_NA_COLUMN,
    },
    strict=True,
    ordered=True,
    coerce=True,
    unique=["indicator_code"],
    name="wb_indicator_metadata",
)


def load_wb_indicator_metadata(path: Path | str | None = None) -> pd.DataFrame:
    """Load a WDI ``Metadata_Indicator_*.csv`` (definition and source of the indicator).

    Parameters
    ----------
    path : Path or str, optional
        A ``Metadata_Indicator_API_*.csv`` file, or a WDI bulk-download zip holding one.
        Default ``fetch("wb_milex_share_meta_indicator")`` (MS.MIL.XPND.GD.ZS).

    Returns
    -------
    pandas.DataFrame
        One row per indicator (one in the registry file): ``indicator_code``,
        ``indicator_name``, ``source_note`` (definition) and ``source_organization``
        (string; the latter two NA when empty).

    Raises
    ------
    DataFormatError
        A required column is missing.
    DataValidationError
        Bad values, listed by record and column.
    """
    path = Path(path) if path else fetch("wb_milex_share_meta_indicator")
    raw = read_wdi_metadata(path, "Metadata_Indicator_")
    require_columns(raw, list(WB_INDICATOR_METADATA_COLUMNS), path)
    raw = drop_empty_trailing(raw, path)
    tidy = raw[list(WB_INDICATOR_METADATA_COLUMNS)].rename(
        columns=WB_INDICATOR_METADATA_COLUMNS, errors="raise"
    )
    return validate(tidy, WB_INDICATOR_METADATA_SCHEMA, path)
