"""One loader per source: ``load_<name>(path=None)`` returns a tidy, validated frame.

:data:`LOADERS` maps every registry id to the loader that reads it (as ``module:function``,
imported lazily), so ``osa-briefs data check`` can run them all.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import import_module

LOADERS: dict[str, str] = {
    "asam_msi_csv": "asam:load_asam_msi",
    "asam_arcgis_csv": "asam:load_asam_arcgis",
    "asam_lephare_json": "asam:load_asam_lephare",
    "asam_subregions": "asam_subregions:load_asam_subregions",
    "imb_pirate_attacks": "imb:load_imb_attacks",
    "imb_country_indicators": "imb:load_imb_country_indicators",
    "imb_country_codes": "imb:load_imb_country_codes",
    "recaap_openmap": "recaap:load_recaap_openmap",
    "recaap_imb_live": "recaap:load_recaap_imb_live",
    "scsdi_geocoded": "scsdi:load_scsdi_geocoded",
    "scsdi_published": "scsdi:load_scsdi_published",
    "ne_countries_50m": "geography:load_ne_countries",
    "ne_land_50m": "geography:load_ne_land",
    "ne_coastline_50m": "geography:load_ne_coastline",
    "ne_maritime_lines_10m": "geography:load_ne_maritime_lines",
    "ne_disputed_areas_10m": "geography:load_ne_disputed_areas",
    "world_atlas_countries_10m": "geography:load_world_atlas_countries",
    "world_atlas_land_10m": "geography:load_world_atlas_land",
    "wgi": "indicators:load_wgi",
    "wb_population": "indicators:load_wb_population",
    "wb_gdp": "indicators:load_wb_gdp",
    "sipri_milex_share": "sipri:load_sipri_milex_share",
    "wb_milex_share": "indicators:load_wb_milex_share",
    "wb_milex_share_meta_country": "wdi_metadata:load_wb_country_metadata",
    "wb_milex_share_meta_indicator": "wdi_metadata:load_wb_indicator_metadata",
    "wb_milex_usd": "indicators:load_wb_milex_usd",
    "wb_milex_usd_meta_country": "wdi_metadata:load_wb_country_metadata(which=usd)",
    "ucdp_prio_acd": "conflict:load_ucdp_acd",
    "ucdp_orgviolence_cy": "conflict:load_ucdp_organized_violence",
    "coups_powell_thyne": "coups:load_coups_powell_thyne",
    "coups_cline": "coups:load_coups_cline",
    "vdem_ert": "governance:load_vdem_ert",
    "vdem_indices": "governance:load_vdem_indices",
    "ibtracs_sp": "ibtracs:load_ibtracs",
    "ibtracs_last3years": "ibtracs:load_ibtracs(source_id=ibtracs_last3years)",
    "jtwc_wnp": "jtwc:load_jtwc_wnp",
    "imd_observations": "imd:load_imd_observations",
    "imd_storms": "imd:load_imd_storms",
    "imd_remarks": "imd:load_imd_remarks",
    "imd_manifest": "imd:load_imd_manifest",
}


def loader_for(source_id: str) -> Callable:
    """Return the loader function for a registry id (keyword arguments bound).

    Raises
    ------
    KeyError
        When no loader reads that source.
    """
    spec = LOADERS[source_id]
    module_name, _, func_spec = spec.partition(":")
    func_name, _, kwargs_spec = func_spec.partition("(")
    func = getattr(import_module(f"osa_analysis.sources.loaders.{module_name}"), func_name)
    kwargs = dict(kv.split("=") for kv in kwargs_spec.rstrip(")").split(",") if kv)
    return partial(func, **kwargs) if kwargs else func
