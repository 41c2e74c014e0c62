"""Maritime-capacity facts of a country: EEZ area, coastline, military spending, personnel.

:func:`capacity_facts` ``(scope, tables) -> dict`` with the stable keys
:data:`CAPACITY_KEYS`, each the latest value on or before ``as_of``, ``None`` with the reason
when missing.
"""

from __future__ import annotations

import pandas as pd

from osa_analysis.analyse import geography
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore

CAPACITY_KEYS = (
    "eez_area_km2",
    "eez_method",
    "coastline_km",
    "milex_share_gdp_pct",
    "milex_share_year",
    "milex_usd",
    "milex_usd_year",
    "armed_forces_personnel",
    "armed_forces_year",
)
"""The stable keys of :func:`capacity_facts`."""

COASTLINE_METHOD = geography.COASTLINE_METHOD


def _latest(
    df: pd.DataFrame, value: str, iso3: str, year_max: int
) -> tuple[float | None, int | None]:
    rows = df[df["country_iso3"].eq(iso3).fillna(False) & (df["year"] <= year_max)].dropna(
        subset=[value]
    )
    if not len(rows):
        return None, None
    row = rows.sort_values("year").iloc[-1]
    return float(row[value]), int(row["year"])


def capacity_facts(scope: Scope, tables: TableStore) -> dict:
    """Return basic maritime-capacity facts of the brief's country (stable keys).

    Parameters
    ----------
    scope : Scope
    tables : TableStore
        Gives ``eez``, ``ne_countries``, ``wb_milex_share``, ``wb_milex_usd`` and
        ``imb_country_indicators``.

    Returns
    -------
    dict
        Keys :data:`CAPACITY_KEYS`: ``eez_area_km2`` (float or None), ``eez_method``
        (str: the EEZ source's method string, or why there is none), ``coastline_km``,
        ``milex_share_gdp_pct`` and ``milex_share_year`` (WDI MS.MIL.XPND.GD.ZS),
        ``milex_usd`` and ``milex_usd_year`` (WDI MS.MIL.XPND.CD, current US$),
        ``armed_forces_personnel`` and ``armed_forces_year`` (Crime-at-Sea country
        indicators ``total_military``, to 2017); latest year ≤ ``as_of`` for each, None
        when missing. Also ``coastline_method``, ``sources`` (registry id per fact) and
        ``missing_reasons`` (fact → why it is None).
    """
    iso3 = scope.country_iso3
    year_max = scope.year
    missing: dict[str, str] = {}
    sources: dict[str, str] = {}

    eez = tables.get("eez")
    rows = eez[eez["country_iso3"].eq(iso3).fillna(False)]
    coast = geography.coastline_km(tables.full("ne_countries"), iso3)
    if len(rows):
        eez_area = float(rows["area_km2"].sum())
        eez_method = str(rows["method"].iat[0])
        approximate = rows["pol_type"].iat[0] == "approximate"
        sources["eez_area_km2"] = (
            "world_atlas_countries_10m, world_atlas_land_10m (approximate EEZ)"
            if approximate
            else "Marine Regions World EEZ v12 (OSA_EEZ_FILE)"
        )
    else:
        eez_area = None
        eez_method = "landlocked: no EEZ" if coast == 0.0 else "no EEZ polygon for this country"
        missing["eez_area_km2"] = eez_method

    sources["coastline_km"] = "ne_countries_50m"
    if coast is None:
        missing["coastline_km"] = "no Natural Earth polygon"

    share, share_year = _latest(tables.get("wb_milex_share"), "milex_share_gdp_pct", iso3, year_max)
    usd, usd_year = _latest(tables.get("wb_milex_usd"), "milex_usd", iso3, year_max)
    sources.update(
        {
            "milex_share_gdp_pct": "wb_milex_share",
            "milex_usd": "wb_milex_usd",
            "armed_forces_personnel": "imb_country_indicators",
        }
    )
    if share is None:
        missing["milex_share_gdp_pct"] = "World Bank (SIPRI) publishes no value for this country"
    if usd is None:
        missing["milex_usd"] = "World Bank (SIPRI) publishes no value for this country"
    imb = tables.get("imb_country_indicators")
    imb = imb[~imb["duplicate_country_year"]]
    personnel, personnel_year = _latest(imb, "armed_forces_personnel", iso3, year_max)
    if personnel is None:
        missing["armed_forces_personnel"] = (
            "no value in the Crime-at-Sea country indicators (to 2017)"
        )
    return {
        "eez_area_km2": None if eez_area is None else round(eez_area, 0),
        "eez_method": eez_method,
        "coastline_km": None if coast is None else round(coast, 0),
        "coastline_method": COASTLINE_METHOD,
        "milex_share_gdp_pct": None if share is None else round(share, 3),
        "milex_share_year": share_year,
        "milex_usd": usd,
        "milex_usd_year": usd_year,
        "armed_forces_personnel": None if personnel is None else int(personnel),
        "armed_forces_year": personnel_year,
        "sources": sources,
        "missing_reasons": missing,
    }
