"""Exclusive economic zones and coastal-state attribution of positions at sea.

The mirror has **no EEZ polygons** (the MANIFEST's known gaps). Two sources are supported:

1. **Marine Regions World EEZ v12** (Flanders Marine Institute, 2023, CC BY 4.0,
   https://doi.org/10.14284/632), downloaded by the user through the form at
   https://www.marineregions.org/downloads.php and named by the ``OSA_EEZ_FILE``
   environment variable or ``eez_path=`` (zip, shapefile or GeoPackage). It is preferred.
2. An **approximate EEZ** computed here from Natural Earth 1:10m countries and land
   (world-atlas 2.0.2, :func:`approximate_eez`), so small islands (Mapun, Sitangkai, the
   Turtle Islands, Perim) count: the sea is split among coastal states by equidistance
   (a Voronoi diagram of coastline points) and capped at 200 nm. It ignores treaties,
   baselines, islands' reduced effect, joint regimes and disputes (the Spratly Is. and
   Scarborough Reef have no sovereign here and take no part). It is for statistics,
   **not a legal boundary**; every result carries its ``method`` string.

:func:`attribute_coastal_state` then gives, for arrays of positions, the coastal state,
the distance to shore and whether the position is on land.
"""

from __future__ import annotations

import functools
import itertools
import logging
import os
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyogrio
import shapely
from pandera.engines.geopandas_engine import Geometry
from scipy.spatial import Voronoi, cKDTree

from osa_analysis.core.countries import to_iso3
from osa_analysis.core.geo import EARTH_RADIUS_KM, chord_to_km, unit_vectors
from osa_analysis.core.validation import DataFormatError, require_columns, validate
from osa_analysis.sources.cache import cached
from osa_analysis.sources.loaders.geography import (
    CRS,
    load_world_atlas_countries,
    load_world_atlas_land,
)

log = logging.getLogger(__name__)

NM_KM = 1.852

METHOD_VERSION = "approx-eez-v2"
"""Bump when the algorithm changes; it is part of the cache key."""

APPROX_METHOD = (
    f"{METHOD_VERSION}: equidistance (Voronoi of coastline vertices, spherical Mercator) "
    "between Natural Earth 1:10m country polygons (world-atlas 2.0.2), capped at "
    "{max_nm:g} nm (local "
    "azimuthal-equidistant buffers), land removed; not a legal boundary"
)
MARINE_REGIONS_METHOD = "Marine Regions World EEZ v12 (user-supplied)"

EEZ_ENV_VAR = "OSA_EEZ_FILE"

APPROX_INPUTS = ("world_atlas_countries_10m", "world_atlas_land_10m")
"""Registry ids of the files the approximate EEZ is computed from (part of its cache key)."""

NO_EEZ_UNITS = frozenset({"ATA"})
"""Units given no approximate EEZ: Antarctica (Antarctic Treaty; claims are not recognised).
Its coast takes no part in the partition, so nearby waters stay high seas (NA)."""

CLAIMANT_ISO3 = {"CYN": "CYP", "SOL": "SOM"}
"""NE units without an ISO code or an ISO sovereign, mapped to the recognised state whose
waters they border (NE ``NOTE_BRK``: N. Cyprus "Claimed by Cyprus", Somaliland "Claimed by
Somalia"). Marine Regions likewise counts these waters in CYP and SOM."""

UNIT_NAME_ISO3 = {
    "Akrotiri": "CYP",
    "Dhekelia": "CYP",
    "Cyprus U.N. Buffer Zone": "CYP",
    "N. Cyprus": "CYP",
    "Somaliland": "SOM",
    "Kosovo": "XKX",
    "Baikonur": "KAZ",
    "USNB Guantanamo Bay": "CUB",
    "Indian Ocean Ter.": "AUS",
    "Coral Sea Is.": "AUS",
    "Ashmore and Cartier Is.": "AUS",
    "Clipperton I.": "FRA",
}
"""world-atlas units without an ISO code (no ``adm0_a3`` there), by ``name``: the state whose
waters they border or that administers them (the UK bases and the buffer zone lie on
Cyprus's coast; Baikonur is leased land in Kazakhstan; Indian Ocean Ter., Coral Sea Is. and
Ashmore and Cartier Is. are Australian, Clipperton I. French). The Spratly Is., Scarborough
Reef, Bajo Nuevo Bank, Serranilla Bank and Siachen Glacier are disputed and stay without a
key, as in Natural Earth 1:50m where they are absent."""

MAX_MERCATOR_LAT = 89.0
"""Latitudes are clipped here for the Mercator partition; no 200 nm zone reaches it."""
ANTIMERIDIAN_PAD_DEG = 60.0
"""Coast points within this many degrees of ±180° are repeated 360° away, so the partition
across the antimeridian is that of the sphere (200 nm is at most ~20° of longitude at 80°)."""
COAST_SPACING_KM = 10.0
"""Coast segments are densified to at most this spacing before the Voronoi diagram."""
CHUNK_DEG = 10.0
"""Land is cut into CHUNK_DEG° cells, each buffered in an azimuthal-equidistant projection
centred on its cell: the farthest buffered point is ≲ 11° from the centre, where the
projection's scale error is < 0.7 % (< 3 km on 370 km)."""
SIMPLIFY_KM = 0.5
"""Land is simplified by this much before buffering (changes the 200 nm line by < 0.5 km)."""
SHORE_SPACING_KM = 2.0
"""Shore points for distances are spaced at most this far apart (error ≤ 1 km)."""

EEZ_SCHEMA = pa.DataFrameSchema(
    {
        "country_iso3": pa.Column("string", pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=True),
        "sovereign_iso3": pa.Column("string", pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=True),
        "mrgid": pa.Column("Int64", nullable=True),
        "pol_type": pa.Column("string"),
        "area_km2": pa.Column("float64", pa.Check.gt(0)),
        "method": pa.Column("string"),
        "geometry": pa.Column(Geometry(crs=CRS)),
    },
    strict=True,
    ordered=True,
)

# --- spherical helpers ---------------------------------------------------------------------


def _to_mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Spherical Mercator in radians (conformal: equidistance bisectors are locally right)."""
    lat = np.clip(lat, -MAX_MERCATOR_LAT, MAX_MERCATOR_LAT)
    return np.radians(lon), np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def _from_mercator(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.degrees(x), np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)


def _aeqd_forward(lon, lat, lon0, lat0):
    """Spherical azimuthal-equidistant projection (km) centred on ``(lon0, lat0)``."""
    lam, phi = np.radians(lon - lon0), np.radians(lat)
    phi0 = np.radians(lat0)
    cos_c = np.sin(phi0) * np.sin(phi) + np.cos(phi0) * np.cos(phi) * np.cos(lam)
    c = np.arccos(np.clip(cos_c, -1, 1))
    k = np.where(c < 1e-12, 1.0, c / np.sin(np.where(c < 1e-12, 1.0, c)))
    x = EARTH_RADIUS_KM * k * np.cos(phi) * np.sin(lam)
    y = (
        EARTH_RADIUS_KM
        * k
        * (np.cos(phi0) * np.sin(phi) - np.sin(phi0) * np.cos(phi) * np.cos(lam))
    )
    return x, y


def _aeqd_inverse(x, y, lon0, lat0):
    """Inverse of :func:`_aeqd_forward`; longitudes are continuous around ``lon0``."""
    phi0 = np.radians(lat0)
    rho = np.hypot(x, y)
    c = rho / EARTH_RADIUS_KM
    safe = np.where(rho < 1e-9, 1.0, rho)
    phi = np.arcsin(np.clip(np.cos(c) * np.sin(phi0) + y * np.sin(c) * np.cos(phi0) / safe, -1, 1))
    lam = np.arctan2(x * np.sin(c), rho * np.cos(phi0) * np.cos(c) - y * np.sin(phi0) * np.sin(c))
    return lon0 + np.degrees(lam), np.degrees(phi)


def _map_coords(geoms: np.ndarray, func, *args_per_geom) -> np.ndarray:
    """Apply ``func(x, y, *args)`` to every coordinate, with per-geometry arguments."""
    xy, idx = shapely.get_coordinates(geoms, return_index=True)
    per_coord = [np.asarray(a)[idx] for a in args_per_geom]
    nx, ny = func(xy[:, 0], xy[:, 1], *per_coord)
    return shapely.set_coordinates(geoms.copy(), np.column_stack([nx, ny]))


def _domain() -> shapely.Polygon:
    """Return the Mercator strip |x| ≤ π, |lat| ≤ :data:`MAX_MERCATOR_LAT`."""
    y_max = float(_to_mercator(0.0, MAX_MERCATOR_LAT)[1])
    return shapely.box(-np.pi, -y_max, np.pi, y_max)


def _mercator_geoms(geoms: np.ndarray) -> np.ndarray:
    return _map_coords(geoms, _to_mercator)


def _polygons(parts: np.ndarray) -> np.ndarray:
    """Keep the polygons of an array of parts (overlay can leave stray lines or points)."""
    return parts[shapely.get_type_id(parts) == 3]


def _shift(geoms: np.ndarray, dx: float) -> np.ndarray:
    return shapely.transform(geoms, lambda xy: xy + np.array([dx, 0.0]))


# --- inputs ------------------------------------------------------------------------------------


def eez_keys(countries: gpd.GeoDataFrame) -> pd.Series:
    """Return the state each country unit's waters are attributed to (ISO3 or NA).

    ``country_iso3``; else ``sovereign_iso3`` (e.g. Ashmore and Cartier Is. → AUS); else
    :data:`CLAIMANT_ISO3` by NE ``adm0_a3``, or (world-atlas, no ``adm0_a3``)
    :data:`UNIT_NAME_ISO3` by ``name``. Units in :data:`NO_EEZ_UNITS` get NA.
    """
    key = countries["country_iso3"].astype("string")
    if "sovereign_iso3" in countries:
        key = key.fillna(countries["sovereign_iso3"].astype("string"))
    if "adm0_a3" in countries:
        key = key.fillna(countries["adm0_a3"].astype("string").map(CLAIMANT_ISO3).astype("string"))
    elif "name" in countries:
        key = key.fillna(countries["name"].astype("string").map(UNIT_NAME_ISO3).astype("string"))
    return key.mask(key.isin(NO_EEZ_UNITS))


def _coast_points(geoms: np.ndarray, owner: np.ndarray, spacing_km: float):
    """Sample the coast of country polygons: their boundary minus shared land borders.

    Returns lon, lat and owner arrays; owners < 0 (units without a key) count for the
    land-border test but their points are dropped. A vertex used by two owners lies on a land border
    (Natural Earth is topologically clean, and world-atlas's TopoJSON shares its border arcs
    exactly); vertices on the ±180° cut and the −90° edge are artefacts. Segments whose
    two ends are coast vertices are densified to ``spacing_km``.
    """
    lines, sub = shapely.get_parts(shapely.boundary(geoms), return_index=True)
    xy, line_idx = shapely.get_coordinates(lines, return_index=True)
    own = owner[sub][line_idx]
    frame = pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "o": own}).drop_duplicates()
    shared = frame.loc[frame.duplicated(["x", "y"], keep=False), ["x", "y"]]
    on_border = pd.MultiIndex.from_arrays([xy[:, 0], xy[:, 1]]).isin(
        pd.MultiIndex.from_frame(shared)
    )
    coast = ~on_border & _real_vertex(xy)
    pts, origin = _sample_lines(xy, line_idx, coast, spacing_km)
    lon, lat, who = pts[:, 0], pts[:, 1], own[origin]
    keep = ~pd.DataFrame({"x": lon, "y": lat}).duplicated().to_numpy() & (who >= 0)
    return lon[keep], lat[keep], who[keep]


def _partition(lon: np.ndarray, lat: np.ndarray, who: np.ndarray, n_keys: int) -> np.ndarray:
    """Equidistance partition in Mercator: dissolved Voronoi cells per key, |x| ≤ π.

    Points near ±180° are repeated 2π away so the diagram is that of a cylinder; cells are
    built from scipy's Voronoi regions (vertices ordered by angle around their site) and
    dissolved per key with a coverage union (Voronoi cells form an exact coverage).
    """
    x, y = _to_mercator(lon, lat)
    east = lon > 180 - ANTIMERIDIAN_PAD_DEG
    west = lon < -180 + ANTIMERIDIAN_PAD_DEG
    px = np.r_[x, x[east] - 2 * np.pi, x[west] + 2 * np.pi]
    py = np.r_[y, y[east], y[west]]
    pw = np.r_[who, who[east], who[west]]
    ring = np.linspace(0, 2 * np.pi, 64, endpoint=False)  # far sites: all real cells finite
    sites = np.column_stack([np.r_[px, 100 * np.cos(ring)], np.r_[py, 100 * np.sin(ring)]])
    vor = Voronoi(sites)
    regions = [vor.regions[r] for r in vor.point_region[: len(px)]]
    sizes = np.fromiter(map(len, regions), dtype=np.int64, count=len(regions))
    flat = np.fromiter(itertools.chain.from_iterable(regions), dtype=np.int64, count=sizes.sum())
    if (flat < 0).any():
        raise RuntimeError("unbounded Voronoi cell for a coast point")
    cell = np.repeat(np.arange(len(regions)), sizes)
    verts = vor.vertices[flat]
    angle = np.arctan2(verts[:, 1] - py[cell], verts[:, 0] - px[cell])
    order = np.lexsort((angle, cell))
    cells = shapely.polygons(shapely.linearrings(verts[order], indices=cell[order]))
    domain = _domain()
    out = np.empty(n_keys, dtype=object)
    order = np.argsort(pw, kind="stable")
    bounds = np.searchsorted(pw[order], np.arange(n_keys + 1))
    for k in range(n_keys):
        members = cells[order[bounds[k] : bounds[k + 1]]]
        out[k] = shapely.intersection(_dissolve(members), domain) if len(members) else None
    return out


def _dissolve(cells: np.ndarray) -> shapely.Geometry:
    """Union polygons that do not overlap: a coverage union, else a full union.

    Voronoi cells of coast points a few metres apart (1:10m coasts) can meet at vertices
    that floating point leaves a hair apart, which the coverage union refuses; land parts
    are disjoint.
    """
    try:
        return shapely.coverage_union_all(cells)
    except shapely.errors.GEOSException:
        return shapely.union_all(cells)


def _buffers(geoms: np.ndarray, owner: np.ndarray, n_keys: int, distance_km: float) -> np.ndarray:
    """Union per key of ``distance_km`` buffers of land, in Mercator, wrapped to |x| ≤ π."""
    cells_lon = np.arange(-180, 180, CHUNK_DEG)
    cells_lat = np.arange(-90, 90, CHUNK_DEG)
    gx, gy = np.meshgrid(cells_lon, cells_lat)
    grid = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + CHUNK_DEG, gy.ravel() + CHUNK_DEG)
    geom_idx, cell_idx = shapely.STRtree(grid).query(geoms, predicate="intersects")
    chunks = shapely.intersection(geoms[geom_idx], grid[cell_idx])
    keep = ~shapely.is_empty(chunks) & (shapely.area(chunks) > 0)
    chunks, geom_idx, cell_idx = chunks[keep], geom_idx[keep], cell_idx[keep]
    lon0 = gx.ravel()[cell_idx] + CHUNK_DEG / 2
    lat0 = np.clip(gy.ravel()[cell_idx] + CHUNK_DEG / 2, -85, 85)
    planar = _map_coords(chunks, _aeqd_forward, lon0, lat0)
    planar = shapely.simplify(planar, SIMPLIFY_KM)
    buffered = shapely.buffer(planar, distance_km, quad_segs=16)
    buffered = shapely.segmentize(buffered, 25.0)
    geographic = _map_coords(buffered, _aeqd_inverse, lon0, lat0)
    merc = _mercator_geoms(geographic)
    domain = _domain()
    # Buffers reaching past ±180° are folded back: union of the piece and its 2π shifts.
    folded = [shapely.intersection(_shift(merc, dx), domain) for dx in (0.0, 2 * np.pi, -2 * np.pi)]
    pieces = np.concatenate(folded)
    who = np.tile(owner[geom_idx], 3)
    keep = ~shapely.is_empty(pieces)
    pieces, who = pieces[keep], who[keep]
    out = np.empty(n_keys, dtype=object)
    order = np.argsort(who, kind="stable")
    bounds = np.searchsorted(who[order], np.arange(n_keys + 1))
    for k in range(n_keys):
        members = pieces[order[bounds[k] : bounds[k + 1]]]
        out[k] = shapely.union_all(members) if len(members) else None
    return out


# --- the approximate EEZ ------------------------------------------------------------------------


def _compute_approximate_eez(
    countries: gpd.GeoDataFrame, land: gpd.GeoDataFrame, max_nm: float
) -> gpd.GeoDataFrame:
    key = eez_keys(countries)
    has_geom = ~(countries.geometry.isna() | countries.geometry.is_empty).to_numpy()
    ok = key.notna().to_numpy() & has_geom
    keys = np.array(sorted(key[ok].unique()), dtype=object)
    owner = np.searchsorted(keys, key[ok].to_numpy(dtype=object))
    geoms = np.asarray(countries.geometry.to_numpy()[ok], dtype=object)
    # Units without a key (Antarctica, Siachen) still share land borders with keyed units.
    all_geoms = np.asarray(countries.geometry.to_numpy()[has_geom], dtype=object)
    all_owner = np.full(len(all_geoms), -1)
    all_owner[ok[has_geom]] = owner
    lon, lat, who = _coast_points(all_geoms, all_owner, COAST_SPACING_KM)
    partition = _partition(lon, lat, who, len(keys))
    capped = shapely.intersection(partition, _buffers(geoms, owner, len(keys), max_nm * NM_KM))
    # Remove land (all of it: near land borders, another state's land can fall in a cell),
    # polygon by polygon so each zone meets only the islands near it (world-atlas land is
    # one MultiPolygon of 4 086 parts).
    land_parts = shapely.get_parts(np.asarray(land.geometry.to_numpy(), dtype=object))
    land_merc = _mercator_geoms(land_parts)
    k_idx, l_idx = shapely.STRtree(land_merc).query(capped, predicate="intersects")
    for k in np.unique(k_idx):
        capped[k] = shapely.difference(capped[k], _dissolve(land_merc[l_idx[k_idx == k]]))
    # Mercator edges are rhumb lines: densify (≤ 0.005 rad ≈ 32 km) before going back.
    capped = shapely.segmentize(capped, 0.005)
    sea = ~(shapely.is_missing(capped) | shapely.is_empty(capped))
    geo = _map_coords(capped[sea], _from_mercator)
    geo = np.array(
        [shapely.multipolygons(_polygons(shapely.get_parts(g))) for g in geo], dtype=object
    )
    if "sovereign_iso3" in countries:
        home = countries.loc[countries["country_iso3"].notna(), ["country_iso3", "sovereign_iso3"]]
        home = home.drop_duplicates("country_iso3").set_index("country_iso3")["sovereign_iso3"]
        sovereign = pd.Series(keys[sea]).map(home)
    else:
        sovereign = pd.Series(pd.NA, index=range(int(sea.sum())))
    out = gpd.GeoDataFrame(
        {
            "country_iso3": pd.array(keys[sea], dtype="string"),
            "sovereign_iso3": sovereign.fillna(pd.Series(keys[sea])).astype("string").to_numpy(),
            "mrgid": pd.array([pd.NA] * int(sea.sum()), dtype="Int64"),
            "pol_type": pd.array(["approximate"] * int(sea.sum()), dtype="string"),
        },
        geometry=geo,
        crs=CRS,
    )
    out["area_km2"] = geodesic_area_km2(out.geometry)
    out["method"] = pd.array([APPROX_METHOD.format(max_nm=max_nm)] * len(out), dtype="string")
    out = out[
        ["country_iso3", "sovereign_iso3", "mrgid", "pol_type", "area_km2", "method", "geometry"]
    ]
    return validate(out, EEZ_SCHEMA, "approximate EEZ")


def geodesic_area_km2(geoms: gpd.GeoSeries) -> np.ndarray:
    """Return areas in km², measured in an equal-area projection (EPSG:6933)."""
    return geoms.to_crs("EPSG:6933").area.to_numpy() / 1e6


def approximate_eez(
    countries: gpd.GeoDataFrame | None = None,
    land: gpd.GeoDataFrame | None = None,
    max_nm: float = 200,
    *,
    use_cache: bool = True,
) -> gpd.GeoDataFrame:
    """Compute (or read from cache) approximate EEZs: equidistance capped at ``max_nm``.

    Method (:data:`APPROX_METHOD`):

    1. Coast points: the boundary vertices of each country polygon that no other unit
       shares (shared vertices are land borders), densified to 10 km; Antarctica excluded.
    2. Equidistance: a Voronoi diagram of the points in spherical Mercator (conformal, so
       median lines are within ~2 km of equidistant at low latitudes (measured: PHL–MYS,
       MYS–IDN, BGD–MMR, LKA–IND median |Δ| ≤ 0.2 km, max ≤ 5 km) and ~15 km at 60°N
       (NOR–GBR)), with points
       near ±180° repeated 360° away so the diagram wraps; cells dissolved per state.
    3. Cap: intersection with the union of ``max_nm`` buffers of the state's land, each
       10°-cell of land buffered in its own azimuthal-equidistant projection (error < 3 km).
    4. Land removed; back to lon/lat with polygons split at ±180° (Fiji, Kiribati, ...).

    Units are keyed by :func:`eez_keys` (dependencies without an ISO code join their
    sovereign). NE's France, Netherlands, ... include overseas parts, so their EEZ does
    too, whereas Marine Regions lists overseas territories separately. The Caspian Sea,
    not land in NE, is shared among its shores. Landlocked states get no row.

    Parameters
    ----------
    countries, land : GeoDataFrame, optional
        Default :func:`~osa_analysis.sources.loaders.geography.load_world_atlas_countries` and
        :func:`~osa_analysis.sources.loaders.geography.load_world_atlas_land`. ``countries`` needs
        ``country_iso3`` (optionally ``sovereign_iso3``, ``adm0_a3``).
    max_nm : float, default 200
        Outer limit in nautical miles.
    use_cache : bool, default True
        With the default inputs, read/write the derived-data cache
        (:func:`osa_analysis.sources.cache.cached`, keyed by the inputs' sha256, this
        module's code and ``max_nm``). Custom inputs are never cached.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per coastal state: ``country_iso3``, ``sovereign_iso3``,
        ``mrgid`` (NA), ``pol_type`` (``"approximate"``), ``area_km2`` (equal-area),
        ``method``, ``geometry`` (MultiPolygon).
    """
    default = countries is None and land is None
    if not (default and use_cache):
        countries = load_world_atlas_countries() if countries is None else countries
        land = load_world_atlas_land() if land is None else land
        return _compute_approximate_eez(countries, land, max_nm)
    return cached(
        f"approx_eez_{max_nm:g}nm",
        APPROX_INPUTS,
        functools.partial(_default_approximate_eez, max_nm),
        kind="geotable",
        extra={"max_nm": float(max_nm)},
    )


def _default_approximate_eez(max_nm: float) -> gpd.GeoDataFrame:
    log.info("computing the approximate EEZ (%g nm; cached afterwards)", max_nm)
    return _compute_approximate_eez(load_world_atlas_countries(), load_world_atlas_land(), max_nm)


def load_approximate_eez(max_nm: float = 200) -> gpd.GeoDataFrame:
    """Return the cached approximate EEZ (computed once, ~1 min); see :func:`approximate_eez`."""
    return approximate_eez(max_nm=max_nm)


# --- Marine Regions ------------------------------------------------------------------------------

MR_COLUMNS = ["ISO_TER1", "ISO_SOV1", "AREA_KM2", "MRGID", "POL_TYPE"]


def _pick_member(path: Path) -> str:
    """Return the vector dataset inside a Marine Regions zip (the EEZ polygons)."""
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if n.lower().endswith((".shp", ".gpkg"))]
    if not names:
        raise DataFormatError(f"{path}: no .shp or .gpkg inside the zip")
    ranked = sorted(
        names,
        key=lambda n: (
            "eez" not in Path(n).name.lower(),
            any(
                w in n.lower() for w in ("boundar", "line", "12nm", "24nm", "internal", "archipel")
            ),
            n,
        ),
    )
    return ranked[0]


def _pick_layer(path: str) -> str | None:
    layers = pyogrio.list_layers(path)
    if len(layers) <= 1:
        return None
    polygons = [name for name, kind in layers if kind is None or "Polygon" in str(kind)]
    eez = [name for name in polygons if "eez" in name.lower() and "boundar" not in name.lower()]
    return (eez or polygons or [layers[0][0]])[0]


def load_marine_regions_eez(path: Path) -> gpd.GeoDataFrame:
    """Load Marine Regions World EEZ v12 (user-supplied; CC BY 4.0, cite doi:10.14284/632).

    Parameters
    ----------
    path : Path
        The download from https://www.marineregions.org/downloads.php: the zip (e.g.
        ``World_EEZ_v12_20231025_LR.zip``; the EEZ polygon shapefile inside is chosen), an
        extracted ``eez_v12*.shp``, or a GeoPackage (the EEZ polygon layer is chosen).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per record of the file (index = record number):
        ``country_iso3`` (``ISO_TER1``), ``sovereign_iso3`` (``ISO_SOV1``), ``mrgid``
        (``MRGID``), ``pol_type`` (``POL_TYPE``: ``200NM``, ``Overlapping claim``,
        ``Joint regime``), ``area_km2`` (``AREA_KM2`` as published), ``method``
        (:data:`MARINE_REGIONS_METHOD`), ``geometry``. Overlapping claims and joint
        regimes keep their first territory in ``country_iso3``; filter on ``pol_type``.
    """
    path = Path(path)
    source = str(path)
    if path.suffix.lower() == ".zip":
        source = f"/vsizip/{path}/{_pick_member(path)}"
    try:
        layer = _pick_layer(source)
        raw = gpd.read_file(source, layer=layer, engine="pyogrio")
    except DataFormatError:
        raise
    except Exception as exc:
        raise DataFormatError(f"{path}: cannot be read as a vector file: {exc}") from exc
    raw = raw.set_crs(CRS) if raw.crs is None else raw.to_crs(CRS)
    geom = raw.geometry.name
    raw = raw.rename(columns={c: c.upper() for c in raw.columns if c != geom})
    require_columns(raw, MR_COLUMNS, path)
    tidy = pd.DataFrame(
        {
            "country_iso3": to_iso3(raw["ISO_TER1"], "iso3", source=str(path)),
            "sovereign_iso3": to_iso3(raw["ISO_SOV1"], "iso3", source=str(path)),
            "mrgid": pd.to_numeric(raw["MRGID"], errors="coerce").astype("Int64"),
            "pol_type": raw["POL_TYPE"].astype("string").str.strip(),
            "area_km2": pd.to_numeric(raw["AREA_KM2"], errors="coerce").astype("float64"),
            "method": pd.array([MARINE_REGIONS_METHOD] * len(raw), dtype="string"),
        },
        index=raw.index,
    )
    out = gpd.GeoDataFrame(tidy, geometry=raw.geometry.to_numpy(), crs=CRS)
    return validate(out, EEZ_SCHEMA, path)


def load_eez(eez_path: Path | None = None) -> gpd.GeoDataFrame:
    """Return EEZ polygons: Marine Regions v12 when supplied, else the approximate EEZ.

    Parameters
    ----------
    eez_path : Path, optional
        Marine Regions World EEZ v12 file; default the ``OSA_EEZ_FILE`` environment
        variable. Without either, :func:`load_approximate_eez` is used.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``country_iso3``, ``sovereign_iso3``, ``mrgid``, ``pol_type``,
        ``area_km2``, ``method``, ``geometry`` (EPSG:4326); ``method`` says which source.
    """
    chosen = eez_path or os.environ.get(EEZ_ENV_VAR)
    if chosen:
        return load_marine_regions_eez(Path(chosen).expanduser())
    return load_approximate_eez()


# --- attribution ---------------------------------------------------------------------------------


def _real_vertex(xy: np.ndarray) -> np.ndarray:
    """Mark vertices that are real coast, not NE's ±180° cut or Antarctica's −90° edge."""
    return (np.abs(xy[:, 0]) < 180 - 1e-7) & (xy[:, 1] > -90 + 1e-7)


def _sample_lines(
    xy: np.ndarray, line_idx: np.ndarray, keep: np.ndarray, spacing_km: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return the kept vertices plus points densifying segments between two kept vertices.

    Returns the points (lon, lat) and, for each, the index in ``xy`` of the vertex it
    comes from (itself, or its segment's start), to carry attributes along.
    """
    seg = (line_idx[1:] == line_idx[:-1]) & keep[:-1] & keep[1:]
    start = np.flatnonzero(seg)
    a, b = xy[start], xy[start + 1]
    km = chord_to_km(np.linalg.norm(unit_vectors(*a.T) - unit_vectors(*b.T), axis=1))
    n_new = np.maximum(np.ceil(km / spacing_km).astype(np.int64) - 1, 0)
    seg_rep = np.repeat(np.arange(len(a)), n_new)
    step = np.arange(len(seg_rep)) - np.repeat(np.cumsum(n_new) - n_new, n_new) + 1
    t = (step / np.repeat(n_new + 1, n_new))[:, None]
    new_xy = a[seg_rep] + t * (b[seg_rep] - a[seg_rep])
    return np.vstack([xy[keep], new_xy]), np.r_[np.flatnonzero(keep), start[seg_rep]]


def _shore_points(land_geoms: np.ndarray, spacing_km: float) -> np.ndarray:
    """Return unit vectors of points along land boundaries, at most ``spacing_km`` apart."""
    lines = shapely.get_parts(shapely.boundary(land_geoms))
    xy, line_idx = shapely.get_coordinates(lines, return_index=True)
    pts, _ = _sample_lines(xy, line_idx, _real_vertex(xy), spacing_km)
    return unit_vectors(pts[:, 0], pts[:, 1])


@dataclass
class CoastalAttributor:
    """Prepared EEZ, land and country geometries for fast repeated attribution.

    Build it with :func:`coastal_attributor`; call :meth:`attribute`.
    """

    eez_parts: np.ndarray
    eez_state: np.ndarray
    method: str
    land_parts: np.ndarray
    country_parts: np.ndarray
    country_state: np.ndarray
    shore: cKDTree

    def attribute(self, lat, lon) -> pd.DataFrame:
        """Attribute positions; see :func:`attribute_coastal_state`."""
        index = lat.index if isinstance(lat, pd.Series) else None
        lat = pd.to_numeric(pd.Series(lat), errors="coerce").to_numpy("float64", na_value=np.nan)
        lon = pd.to_numeric(pd.Series(lon), errors="coerce").to_numpy("float64", na_value=np.nan)
        if lat.shape != lon.shape:
            raise ValueError(f"lat and lon differ in length: {lat.shape} vs {lon.shape}")
        n = len(lat)
        valid = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
        vi = np.flatnonzero(valid)
        points = shapely.points(lon[vi], lat[vi])
        tree = shapely.STRtree(points)

        def first_hit(polys: np.ndarray) -> np.ndarray:
            poly_idx, pt_idx = tree.query(polys, predicate="covers")
            order = np.lexsort((poly_idx, pt_idx))  # by point, then polygon
            first = np.unique(pt_idx[order], return_index=True)[1]  # lowest polygon wins
            hit = np.full(len(vi), -1, dtype=np.int64)
            hit[pt_idx[order][first]] = poly_idx[order][first]
            return hit

        in_eez = first_hit(self.eez_parts)
        in_land = first_hit(self.land_parts)
        shore_xyz = unit_vectors(lon[vi], lat[vi])
        dist = chord_to_km(self.shore.query(shore_xyz)[0]) if len(vi) else np.array([])
        on_land = in_land >= 0
        state = np.where(in_eez >= 0, self.eez_state[np.maximum(in_eez, 0)], None)
        how = np.where(in_eez >= 0, "eez", "high_seas").astype(object)
        need = on_land & (in_eez < 0)
        how[need] = "land"
        if need.any():
            in_country = first_hit(self.country_parts)
            found = need & (in_country >= 0)
            state[found] = self.country_state[in_country[found]]
        out = pd.DataFrame(
            {
                "coastal_state_iso3": pd.array([pd.NA] * n, dtype="string"),
                "distance_to_shore_km": np.full(n, np.nan),
                "on_land": pd.array([pd.NA] * n, dtype="boolean"),
                "inland_km": np.full(n, np.nan),
                "attribution": pd.array([pd.NA] * n, dtype="string"),
                "eez_method": pd.array([self.method] * n, dtype="string"),
            },
            index=index,
        )
        cols = out.columns
        out.iloc[vi, cols.get_loc("coastal_state_iso3")] = pd.array(state, dtype="string")
        out.iloc[vi, cols.get_loc("distance_to_shore_km")] = np.where(on_land, 0.0, dist)
        out.iloc[vi, cols.get_loc("on_land")] = on_land
        out.iloc[vi, cols.get_loc("inland_km")] = np.where(on_land, dist, 0.0)
        out.iloc[vi, cols.get_loc("attribution")] = pd.array(how, dtype="string")
        return out


def coastal_attributor(
    eez: gpd.GeoDataFrame | None = None,
    land: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
) -> CoastalAttributor:
    """Prepare EEZ, land and countries for :func:`attribute_coastal_state` (reuse it).

    Parameters
    ----------
    eez : GeoDataFrame, optional
        With ``country_iso3``, ``method`` and polygons; default :func:`load_eez`.
    land : GeoDataFrame, optional
        Land polygons; default
        :func:`~osa_analysis.sources.loaders.geography.load_world_atlas_land`.
    countries : GeoDataFrame, optional
        Country polygons with ``country_iso3`` (states of on-land points outside every
        EEZ); default :func:`~osa_analysis.sources.loaders.geography.load_world_atlas_countries`.
    """
    eez = load_eez() if eez is None else eez
    land = load_world_atlas_land() if land is None else land
    countries = load_world_atlas_countries() if countries is None else countries
    methods = eez["method"].dropna().unique() if "method" in eez else []
    method = "; ".join(map(str, methods)) or "user-supplied EEZ"
    eez_parts, e_idx = shapely.get_parts(
        np.asarray(eez.geometry.to_numpy(), dtype=object), return_index=True
    )
    land_parts = shapely.get_parts(np.asarray(land.geometry.to_numpy(), dtype=object))
    keys = (
        eez_keys(countries)
        if "country_iso3" in countries
        else pd.Series(pd.NA, index=countries.index)
    )
    country_parts, c_idx = shapely.get_parts(
        np.asarray(countries.geometry.to_numpy(), dtype=object), return_index=True
    )
    for parts in (eez_parts, land_parts, country_parts):
        shapely.prepare(parts)
    return CoastalAttributor(
        eez_parts=eez_parts,
        eez_state=eez["country_iso3"].astype(object).to_numpy()[e_idx],
        method=method,
        land_parts=land_parts,
        country_parts=country_parts,
        country_state=keys.astype(object).to_numpy()[c_idx],
        shore=cKDTree(_shore_points(land_parts, SHORE_SPACING_KM)),
    )


@cache
def _default_attributor(eez_file: str) -> CoastalAttributor:
    del eez_file  # the cache key: which EEZ source load_eez() picks
    return coastal_attributor()


def attribute_coastal_state(
    lat,
    lon,
    eez: gpd.GeoDataFrame | None = None,
    *,
    land: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """Attribute positions to a coastal state and measure their distance to shore.

    Vectorised (STRtree with prepared polygons; a k-d tree of shore points on the unit
    sphere): ~12 000 positions take well under a second once the data are loaded. With
    all defaults, the prepared data are built once per process and reused.

    Parameters
    ----------
    lat, lon : array-like or pandas.Series
        Degrees (WGS84). NA, non-finite or out-of-range positions give NA in every column
        (``eez_method`` excepted). A Series' index is kept.
    eez : GeoDataFrame, optional
        EEZ polygons; default :func:`load_eez` (Marine Regions if supplied, else approximate).
    land, countries : GeoDataFrame, optional
        See :func:`coastal_attributor`.

    Returns
    -------
    pandas.DataFrame
        One row per position:

        - ``coastal_state_iso3``: the EEZ containing the position; for a position on land
          (e.g. a port at 1:10m resolution) outside every EEZ, the country it lies in; NA
          on the high seas.
        - ``distance_to_shore_km``: great-circle distance to the nearest land (0 on land).
          Measured to shore points ≤ 2 km apart on the 1:10m coast: ≤ 1 km from that
          line, which itself is generalised by a few km.
        - ``on_land`` (boolean): inside a land polygon.
        - ``inland_km``: distance inside the land (0 at sea).
        - ``attribution``: ``eez``, ``land`` or ``high_seas``.
        - ``eez_method``: the EEZ source's method string.
    """
    if eez is None and land is None and countries is None:
        attributor = _default_attributor(os.environ.get(EEZ_ENV_VAR, ""))
    else:
        attributor = coastal_attributor(eez, land, countries)
    return attributor.attribute(lat, lon)
