"""Country geometry from Natural Earth 1:50m: a country's land and its coastline length."""

from __future__ import annotations

import geopandas as gpd
import shapely
from pyproj import Geod

COASTLINE_METHOD = (
    "geodesic length (WGS84) of the Natural Earth 1:50m country boundary minus land borders "
    "shared with other countries and minus Natural Earth's ±180° cuts; generalised at 1:50m, "
    "so far shorter than national figures measured at large scale"
)
"""How :func:`coastline_km` measures (shown beside every coastline figure)."""

_ANTIMERIDIAN_CUTS = shapely.MultiLineString([[(s, -90.0), (s, 90.0)] for s in (-180.0, 180.0)])


def country_land(countries: gpd.GeoDataFrame, iso3: str) -> shapely.Geometry | None:
    """Return the union of a country's Natural Earth 1:50m polygons.

    Parameters
    ----------
    countries : geopandas.GeoDataFrame
        :func:`~osa_analysis.sources.loaders.geography.load_ne_countries` (table
        ``ne_countries`` of the store).
    iso3 : str
        The country's ``country_iso3``.

    Returns
    -------
    shapely geometry or None
        (Multi)Polygon in lon/lat, split at ±180° as published; None if NE has no row.
    """
    mask = countries["country_iso3"].eq(iso3).fillna(False).to_numpy()
    if not mask.any():
        return None
    return shapely.union_all(countries.geometry.to_numpy()[mask])


def coastline_km(countries: gpd.GeoDataFrame, iso3: str) -> float | None:
    """Return a country's coastline length from Natural Earth 1:50m (:data:`COASTLINE_METHOD`).

    Parameters
    ----------
    countries : geopandas.GeoDataFrame
        The Natural Earth countries (:func:`country_land`).
    iso3 : str
        ISO3 code.

    Returns
    -------
    float or None
        Kilometres; 0.0 for a landlocked country; None when NE has no polygon.
    """
    geom = country_land(countries, iso3)
    if geom is None:
        return None
    others = countries.geometry[countries["country_iso3"].ne(iso3).fillna(True).to_numpy()]
    neighbours = others.to_numpy()[shapely.intersects(others.to_numpy(), geom)]
    boundary = shapely.boundary(geom)
    if len(neighbours):
        # NE 1:50m borders share their vertices exactly: the part of the boundary lying in
        # a neighbour's closed polygon is a land border
        boundary = shapely.difference(boundary, shapely.union_all(neighbours))
    boundary = shapely.difference(boundary, _ANTIMERIDIAN_CUTS.buffer(1e-9))
    if boundary.is_empty:
        return 0.0
    return float(Geod(ellps="WGS84").geometry_length(boundary) / 1000.0)
