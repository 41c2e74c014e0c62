"""The maritime-capacity facts as a display table (not yet shown in a brief section)."""

from __future__ import annotations

import pandas as pd

from osa_analysis.brief.section import fmt_num


def capacity_table(facts: dict) -> pd.DataFrame:
    """Return the facts of :func:`capacity_facts` as a display table.

    Parameters
    ----------
    facts : dict
        :func:`osa_analysis.analyse.capacity.capacity_facts`.

    Returns
    -------
    pandas.DataFrame
        One row per fact: ``measure``, ``value`` (formatted; ``n/a`` when missing),
        ``unit``, ``year``, ``source`` and ``method / note`` (the reason when missing).
    """
    f = facts

    def reason(key: str) -> str:
        return f["missing_reasons"].get(key, "")

    rows = [
        {
            "measure": "EEZ area",
            "value": fmt_num(f["eez_area_km2"]) if f["eez_area_km2"] is not None else "n/a",
            "unit": "km²",
            "year": "",
            "source": f["sources"].get("eez_area_km2", ""),
            "method / note": f["eez_method"],
        },
        {
            "measure": "Coastline length",
            "value": fmt_num(f["coastline_km"]) if f["coastline_km"] is not None else "n/a",
            "unit": "km",
            "year": "",
            "source": "ne_countries_50m",
            "method / note": reason("coastline_km") or f["coastline_method"],
        },
        {
            "measure": "Military expenditure",
            "value": fmt_num(f["milex_share_gdp_pct"], 2),
            "unit": "% of GDP",
            "year": f["milex_share_year"] or "",
            "source": "wb_milex_share (MS.MIL.XPND.GD.ZS)",
            "method / note": reason("milex_share_gdp_pct") or "SIPRI data via the World Bank",
        },
        {
            "measure": "Military expenditure",
            "value": fmt_num(None if f["milex_usd"] is None else f["milex_usd"] / 1e6, 1),
            "unit": "million current US$",
            "year": f["milex_usd_year"] or "",
            "source": "wb_milex_usd (MS.MIL.XPND.CD)",
            "method / note": reason("milex_usd") or "SIPRI data via the World Bank",
        },
        {
            "measure": "Armed forces personnel",
            "value": fmt_num(f["armed_forces_personnel"]),
            "unit": "persons",
            "year": f["armed_forces_year"] or "",
            "source": "imb_country_indicators (total_military)",
            "method / note": reason("armed_forces_personnel")
            or "World Bank series as compiled by Crime at Sea; none after 2017",
        },
    ]
    return pd.DataFrame(rows)
