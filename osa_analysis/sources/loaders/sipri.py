"""SIPRI military expenditure as a share of GDP, from Our World in Data's grapher export."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.countries import to_iso3
from osa_analysis.core.validation import require_columns, validate
from osa_analysis.sources.fetch import fetch
from osa_analysis.sources.loaders.indicators import ISO3_COLUMN, TEXT_COLUMN, YEAR_COLUMN

OWID_TO_ISO3 = {"OWID_KOS": "XKX"}
"""OWID's own codes for countries without an ISO3 code."""

# --------------------------------------------------------------------------------------
# SIPRI military burden via Our World in Data (internal)
# --------------------------------------------------------------------------------------

SIPRI_OWID_COLUMNS = {
    "Entity": "entity",
    "Code": "owid_code",
    "Year": "year",
    "Military expenditure (% of GDP)": "milex_share_gdp_pct",
    "World region according to OWID": "owid_region",
}

OWID_REGIONS = ("Africa", "Asia", "Europe", "North America", "Oceania", "South America")

SIPRI_MILEX_SHARE_SCHEMA = pa.DataFrameSchema(
    {
        "country_iso3": ISO3_COLUMN,
        "entity": TEXT_COLUMN,
        "year": YEAR_COLUMN,
        "milex_share_gdp_pct": pa.Column(
            "float64", pa.Check.in_range(0, 200, include_min=False), nullable=True
        ),
        "owid_region": pa.Column("string", pa.Check.isin(OWID_REGIONS), nullable=True),
    },
    strict=True,
    ordered=True,
    coerce=True,
    unique=["entity", "year"],
    name="sipri_milex_share",
)


def load_sipri_milex_share(path: Path | str | None = None) -> pd.DataFrame:
    """Load SIPRI military expenditure as % of GDP from the OWID grapher export.

    **Licence: internal.** SIPRI's terms apply (no open licence); use these rows for
    internal analysis only, and publish :func:`load_wb_milex_share` (the World Bank's
    CC BY 4.0 copy of the same SIPRI series, MS.MIL.XPND.GD.ZS) instead. Cite "SIPRI
    Military Expenditure Database", https://doi.org/10.55163/CQGC9685. Unlike the WDI
    copy, this export includes Taiwan (1976–2024).

    Parameters
    ----------
    path : Path or str, optional
        Default ``fetch("sipri_milex_share")`` (SIPRI 2025 release, 1949–2024). A newer
        CSV download from https://ourworldindata.org/grapher/military-spending-as-a-share-of-gdp-sipri
        has the same layout and can be passed here.

    Returns
    -------
    pandas.DataFrame
        One row per entity and year with a value: ``country_iso3`` (string; OWID_KOS →
        XKX; NA for "European Union (SIPRI)", which has no code), ``entity`` (OWID name),
        ``year`` (int64), ``milex_share_gdp_pct`` (float64, % of GDP), ``owid_region``
        (OWID continent; NA for the EU).

    Raises
    ------
    DataFormatError
        A required column is missing.
    DataValidationError
        Bad values, listed by record and column.
    """
    path = Path(path) if path else fetch("sipri_milex_share")
    raw = pd.read_csv(  # LF, no final newline: fine for the C parser
        path,
        encoding="utf-8-sig",
        dtype={"Entity": "string", "Code": "string", "World region according to OWID": "string"},
        keep_default_na=False,
        na_values=[""],
    )
    require_columns(raw, list(SIPRI_OWID_COLUMNS), path)
    tidy = raw[list(SIPRI_OWID_COLUMNS)].rename(columns=SIPRI_OWID_COLUMNS, errors="raise")
    code = tidy["owid_code"].replace(OWID_TO_ISO3)
    tidy["country_iso3"] = to_iso3(code, "iso3", source=str(path))
    return validate(tidy[list(SIPRI_MILEX_SHARE_SCHEMA.columns)], SIPRI_MILEX_SHARE_SCHEMA, path)
