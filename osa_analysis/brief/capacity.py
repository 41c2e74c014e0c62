"""The maritime-capacity facts as a display table (not yet shown in a brief section)."""

from __future__ import annotations

import re

import pandas as pd

from osa_analysis.brief.section import fmt_num
from osa_analysis.core.i18n import N_, _
from osa_analysis.harmonise.eez import APPROX_METHOD

NOTES = (
    N_("landlocked: no EEZ"),
    N_("no EEZ polygon for this country"),
    N_("no Natural Earth polygon"),
    N_("World Bank (SIPRI) publishes no value for this country"),
    N_("no value in the Crime-at-Sea country indicators (to 2017)"),
    N_(
        "geodesic length (WGS84) of the Natural Earth 1:50m country boundary minus land borders "
        "shared with other countries and minus Natural Earth's ±180° cuts; generalised at 1:50m, "
        "so far shorter than national figures measured at large scale"
    ),
    N_("world_atlas_countries_10m, world_atlas_land_10m (approximate EEZ)"),
    N_("Marine Regions World EEZ v12 (OSA_EEZ_FILE)"),
    N_("Marine Regions World EEZ v12 (user-supplied)"),
)
"""The fixed notes of :func:`osa_analysis.analyse.capacity.capacity_facts` (the analysis keeps
them in English; the table shows them translated)."""
_APPROX = re.compile(re.escape(APPROX_METHOD).replace(re.escape("{max_nm:g}"), r"(?P<nm>[0-9.]+)"))


def _note(text: str) -> str:
    """Return a note of the capacity facts in the current language (unknown text as it is)."""
    if not text:
        return text
    m = _APPROX.fullmatch(text)
    if m:
        version = APPROX_METHOD.split(":", 1)[0]
        return _(
            "{version}: equidistance (Voronoi of coastline vertices, spherical Mercator) between "
            "Natural Earth 1:10m country polygons (world-atlas 2.0.2), capped at {nm} nm (local "
            "azimuthal-equidistant buffers), land removed; not a legal boundary"
        ).format(version=version, nm=m["nm"])
    return _(text)


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
        ``unit``, ``year``, ``source`` and ``method / note`` (the reason when missing); the
        column names and words in the current language.
    """
    f = facts
    na = _("n/a")
    world_bank = _("SIPRI data via the World Bank")

    def reason(key: str) -> str:
        return _note(f["missing_reasons"].get(key, ""))

    measure, value, unit = _("measure"), _("value"), _("unit")
    year, source, note = _("year"), _("source"), _("method / note")
    rows = [
        {
            measure: _("EEZ area"),
            value: fmt_num(f["eez_area_km2"]) if f["eez_area_km2"] is not None else na,
            unit: "km²",
            year: "",
            source: _note(f["sources"].get("eez_area_km2", "")),
            note: _note(f["eez_method"]),
        },
        {
            measure: _("Coastline length"),
            value: fmt_num(f["coastline_km"]) if f["coastline_km"] is not None else na,
            unit: "km",
            year: "",
            source: "ne_countries_50m",
            note: reason("coastline_km") or _note(f["coastline_method"]),
        },
        {
            measure: _("Military expenditure"),
            value: fmt_num(f["milex_share_gdp_pct"], 2),
            unit: _("% of GDP"),
            year: f["milex_share_year"] or "",
            source: "wb_milex_share (MS.MIL.XPND.GD.ZS)",
            note: reason("milex_share_gdp_pct") or world_bank,
        },
        {
            measure: _("Military expenditure"),
            value: fmt_num(None if f["milex_usd"] is None else f["milex_usd"] / 1e6, 1),
            unit: _("million current US$"),
            year: f["milex_usd_year"] or "",
            source: "wb_milex_usd (MS.MIL.XPND.CD)",
            note: reason("milex_usd") or world_bank,
        },
        {
            measure: _("Armed forces personnel"),
            value: fmt_num(f["armed_forces_personnel"]),
            unit: _("persons"),
            year: f["armed_forces_year"] or "",
            source: "imb_country_indicators (total_military)",
            note: reason("armed_forces_personnel")
            or _("World Bank series as compiled by Crime at Sea; none after 2017"),
        },
    ]
    return pd.DataFrame(rows)
