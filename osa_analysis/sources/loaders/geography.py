"""Natural Earth and world-atlas geography: countries, land, coastline and maritime lines.

Every loader returns a :class:`geopandas.GeoDataFrame` in EPSG:4326 (lon/lat, WGS84) whose
index is the feature number in the source file. The registered files are ogr2ogr GeoJSON
conversions of Natural Earth (NE) 4.0.0 and the world-atlas 2.0.2 TopoJSON; they carry no
``crs`` member, so EPSG:4326 is set here.

The NE loaders also accept the canonical Natural Earth shapefile ``.zip`` from naciscdn
(or an extracted ``.shp``/GeoJSON) via ``path=``; those are NE 5.x, whose attribute sets
differ from NE 4.0.0 (extra ``NAME_xx`` and ``FCLASS_xx`` fields, some ``ISO_A3`` fixed,
lower-case names in some conversions). Attribute names are matched case-insensitively and
only the attributes listed in each docstring are used, so both vintages load.

Antimeridian
------------
Natural Earth splits polygons that cross ±180° (Fiji, Russia and Antarctica in the 1:50m
countries; Kiribati, New Zealand and the USA have parts on both sides). Naive bounds of such
a country are −180…180. Use :func:`shift_longitudes` / :func:`to_pacific_longitudes` for a
0–360° view and :func:`country_bounds` (or :func:`lon_extent`) for extents that wrap.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely
from pandera.engines.geopandas_engine import Geometry

from osa_analysis.core.countries import iso3_codes, to_iso3
from osa_analysis.core.validation import DataFormatError, require_columns, validate
from osa_analysis.sources.fetch import fetch

CRS = "EPSG:4326"

NE_NO_ISO3 = frozenset({"ATC", "CYN", "IOA", "KAS", "SOL"})
"""NE ``ADM0_A3`` units with no ISO 3166 code of their own (``ISO_A3`` is ``-99``):
Ashmore and Cartier Is., N. Cyprus, Indian Ocean Ter., Siachen Glacier, Somaliland.
Their ``country_iso3`` is NA; ``sovereign_iso3`` names the sovereign where it has one."""

NE_TO_ISO3 = {"KOS": "XKX"}
"""NE codes whose ISO-style code is user-assigned: Kosovo (``ISO_A3`` ``-99``) → ``XKX``,
the code the World Bank and the EU use (see :data:`osa_analysis.core.countries.EXTRA_ISO3`)."""

WORLD_ATLAS_NOT_ISO = frozenset({"Ashmore and Cartier Is."})
"""world-atlas features whose ``id`` is another country's, resolved by ``name``: Ashmore
and Cartier Is. carries Australia's ``"036"``. It is an Australian external territory
without its own ISO code, so it gets NA (like NE's ``ATC``) and ``country_iso3`` stays
unique; its ``iso_n3`` keeps ``"036"``."""

_UNIQUE_WHERE_PRESENT = pa.Check(
    lambda s: s.isna() | ~s.duplicated(keep=False), name="unique_where_present"
)
"""pandera's ``unique=True`` counts NAs as duplicates; this check ignores them."""
_GEOMETRY = pa.Column(Geometry(crs=CRS), nullable=False)
_ISO3 = pa.Column("string", pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=True)

NE_COUNTRIES_SCHEMA = pa.DataFrameSchema(
    {
        "country_iso3": pa.Column(
            "string", [pa.Check.str_matches(r"^[A-Z]{3}$"), _UNIQUE_WHERE_PRESENT], nullable=True
        ),
        "adm0_a3": pa.Column("string", pa.Check.str_matches(r"^[A-Z0-9]{3}$"), unique=True),
        "iso_a3_raw": pa.Column("string"),
        "name": pa.Column("string"),
        "sovereignt": pa.Column("string"),
        "sovereign_iso3": _ISO3,
        "iso_n3": pa.Column("string", pa.Check.str_matches(r"^\d{3}$"), nullable=True),
        "region_wb": pa.Column("string", nullable=True),
        "subregion": pa.Column("string", nullable=True),
        "pop_est": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "geometry": _GEOMETRY,
    },
    strict=True,
    ordered=True,
)

NE_PHYSICAL_SCHEMA = pa.DataFrameSchema(
    {
        "featurecla": pa.Column("string"),
        "scalerank": pa.Column("Int64", pa.Check.between(0, 20), nullable=True),
        "min_zoom": pa.Column("float64", pa.Check.between(0, 30), nullable=True),
        "geometry": _GEOMETRY,
    },
    strict=True,
    ordered=True,
)

MARITIME_LINE_TYPES = {
    "Marine Indicator Median": "indicative median",
    "Marine Indicator Treaty": "treaty",
    "Marine Indicator Treaty Map Unit": "treaty",
    "Boundary Treaty": "treaty",
    "Marine Indicator 200 mi nl": "200 nm",
    "Marine Indicator Disputed": "disputed",
}
"""NE maritime-indicator ``featurecla`` → a short type label. None is an EEZ boundary."""

NE_MARITIME_SCHEMA = pa.DataFrameSchema(
    {
        "featurecla": pa.Column("string", pa.Check.isin(list(MARITIME_LINE_TYPES))),
        "line_type": pa.Column("string", pa.Check.isin(sorted(set(MARITIME_LINE_TYPES.values())))),
        "note": pa.Column("string", nullable=True),
        "comment": pa.Column("string", nullable=True),
        "scalerank": pa.Column("Int64", pa.Check.between(0, 20), nullable=True),
        "geometry": _GEOMETRY,
    },
    strict=True,
    ordered=True,
)

NE_DISPUTED_SCHEMA = pa.DataFrameSchema(
    {
        "name": pa.Column("string"),
        "area_type": pa.Column("string", nullable=True),
        "featurecla": pa.Column("string"),
        "note": pa.Column("string", nullable=True),
        "admin": pa.Column("string"),
        "adm0_a3": pa.Column("string"),
        "sovereignt": pa.Column("string"),
        "sov_a3": pa.Column("string"),
        "geometry": _GEOMETRY,
    },
    strict=True,
    ordered=True,
)

WORLD_ATLAS_COUNTRIES_SCHEMA = pa.DataFrameSchema(
    {
        "country_iso3": pa.Column(
            "string", [pa.Check.str_matches(r"^[A-Z]{3}$"), _UNIQUE_WHERE_PRESENT], nullable=True
        ),
        "iso_n3": pa.Column("string", pa.Check.str_matches(r"^\d{3}$"), nullable=True),
        "name": pa.Column("string"),
        "geometry": _GEOMETRY,
    },
    strict=True,
    ordered=True,
)

WORLD_ATLAS_LAND_SCHEMA = pa.DataFrameSchema({"geometry": _GEOMETRY}, strict=True)


# --- reading -------------------------------------------------------------------------------


def _read(path: Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file (GeoJSON, TopoJSON, .shp, .gpkg or a zipped shapefile) in EPSG:4326.

    A ``.zip`` (one Natural Earth shapefile with its sidecar files) is read through GDAL's
    ``/vsizip/``. Files without a CRS (the registered GeoJSON and TopoJSON) are declared
    EPSG:4326; others are reprojected to it.
    """
    try:
        raw = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError, ...
        raise DataFormatError(f"{path}: cannot be read as a vector file: {exc}") from exc
    if raw.crs is None:
        raw = raw.set_crs(CRS)
    elif raw.crs.to_epsg() == 4326:
        raw = raw.set_crs(CRS, allow_override=True)  # e.g. OGC:CRS84 from GeoJSON
    else:
        raw = raw.to_crs(CRS)
    return raw


def _upper_attributes(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Upper-case attribute names (NE 4.x mixes cases; some NE 5.x conversions are lower)."""
    geom = raw.geometry.name
    return raw.rename(columns={c: c.upper() for c in raw.columns if c != geom})


def _text(values: pd.Series, missing: tuple[str, ...] = ()) -> pd.Series:
    """Strip text and turn empty strings and NE's ``-99`` sentinels into NA."""
    text = values.astype("string").str.strip()
    return text.mask(text.eq("") | text.isin(missing))


def _finish(frame: pd.DataFrame, geometry) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(frame, geometry=np.asarray(geometry, dtype=object), crs=CRS)


# --- Natural Earth ---------------------------------------------------------------------------

NE_COUNTRY_COLUMNS = [
    "ADM0_A3",
    "ISO_A3",
    "ADMIN",
    "SOVEREIGNT",
    "SOV_A3",
    "HOMEPART",
    "ISO_N3",
    "REGION_WB",
    "SUBREGION",
    "POP_EST",
]


def load_ne_countries(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load Natural Earth 1:50m Admin-0 countries, one row per NE country unit.

    Parameters
    ----------
    path : Path, optional
        The registered GeoJSON (default, via ``fetch("ne_countries_50m")``), or the canonical
        NE 5.x ``ne_50m_admin_0_countries.zip`` (or ``.shp``) from naciscdn. Attribute names
        are matched case-insensitively; NE 5.x adds attributes, which are ignored.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, 241 rows for the registered file, indexed by feature number:

        - ``country_iso3``: ISO alpha-3 from NE's ``ADM0_A3`` (not ``ISO_A3``, which is
          ``"-99"`` for France, Norway and others). NE's own codes are mapped through
          ``ISO_A3`` (``SDS`` → SSD, ``PSX`` → PSE, ``SAH`` → ESH, ``ALD`` → ALA) and
          ``KOS`` → XKX. NA for units without an ISO code (:data:`NE_NO_ISO3`). Unique.
        - ``adm0_a3``: NE's unit code as published (unique, never NA).
        - ``iso_a3_raw``: NE's ``ISO_A3`` as published, ``"-99"`` included.
        - ``name`` (``ADMIN``), ``sovereignt`` (the sovereign's name).
        - ``sovereign_iso3``: ``country_iso3`` of the sovereign's home part
          (``HOMEPART`` = 1 with the same ``SOV_A3``), e.g. AUS for Ashmore and Cartier Is.
        - ``iso_n3``: ISO numeric as a zero-padded string; NA where NE has ``-99`` (Norway,
          Kosovo, ...).
        - ``region_wb``, ``subregion``: NE's World Bank region and UN subregion.
        - ``pop_est``: NE's population estimate (float; ``-99`` → NA).
        - ``geometry``: (Multi)Polygon; polygons crossing ±180° are split there.

    Raises
    ------
    DataFormatError
        An expected attribute is missing (named with the file).
    DataValidationError
        Values fail :data:`NE_COUNTRIES_SCHEMA` (record and column named).
    """
    path = Path(path) if path else fetch("ne_countries_50m")
    raw = _upper_attributes(_read(path))
    require_columns(raw, NE_COUNTRY_COLUMNS, path)
    adm0 = _text(raw["ADM0_A3"])
    iso_a3 = _text(raw["ISO_A3"])
    valid = iso3_codes()
    # ADM0_A3 is ISO alpha-3 except for NE's own unit codes; for those, ISO_A3 holds the
    # ISO code when there is one (SDS/SSD ...), "-99" otherwise.
    own = adm0.where(adm0.isin(valid))
    via_iso = to_iso3(iso_a3.where(own.isna()), "iso3", source=str(path), ignore=frozenset({"-99"}))
    country_iso3 = own.fillna(via_iso).fillna(adm0.map(NE_TO_ISO3).astype("string"))
    # Warn about NE codes that stay unmapped and are not the known ISO-less units.
    left = adm0.where(country_iso3.isna() & ~adm0.isin(NE_NO_ISO3))
    to_iso3(left, "iso3", source=f"{path} (ADM0_A3)")
    homepart = pd.to_numeric(raw["HOMEPART"], errors="coerce").eq(1)
    sov_a3 = _text(raw["SOV_A3"])
    home_iso3 = pd.Series(country_iso3[homepart].to_numpy(), index=sov_a3[homepart].to_numpy())
    home_iso3 = home_iso3[~home_iso3.index.duplicated()]
    tidy = pd.DataFrame(
        {
            "country_iso3": country_iso3.astype("string"),
            "adm0_a3": adm0,
            "iso_a3_raw": iso_a3,
            "name": _text(raw["ADMIN"]),
            "sovereignt": _text(raw["SOVEREIGNT"]),
            "sovereign_iso3": sov_a3.map(home_iso3).astype("string"),
            # ISO_N3 is text ("036") in NE 4 GeoJSON and may be numeric elsewhere.
            "iso_n3": _text(raw["ISO_N3"], missing=("-99",)).str.zfill(3),
            "region_wb": _text(raw["REGION_WB"], missing=("-99",)),
            "subregion": _text(raw["SUBREGION"], missing=("-99",)),
            "pop_est": pd.to_numeric(raw["POP_EST"], errors="coerce")
            .astype("float64")
            .mask(lambda s: s.eq(-99)),
        },
        index=raw.index,
    )
    return validate(_finish(tidy, raw.geometry), NE_COUNTRIES_SCHEMA, path)


def _load_ne_physical(path: Path) -> gpd.GeoDataFrame:
    raw = _upper_attributes(_read(path))
    require_columns(raw, ["FEATURECLA", "SCALERANK", "MIN_ZOOM"], path)
    tidy = pd.DataFrame(
        {
            "featurecla": _text(raw["FEATURECLA"]),
            "scalerank": pd.to_numeric(raw["SCALERANK"], errors="coerce").astype("Int64"),
            "min_zoom": pd.to_numeric(raw["MIN_ZOOM"], errors="coerce").astype("float64"),
        },
        index=raw.index,
    )
    return _finish(tidy, raw.geometry)


def load_ne_land(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load Natural Earth 1:50m land polygons.

    Parameters
    ----------
    path : Path, optional
        The registered GeoJSON (default, ``fetch("ne_land_50m")``) or the NE 5.x
        ``ne_50m_land.zip`` / ``.shp``.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, 1 420 rows for the registered file: ``featurecla`` (``"Land"``),
        ``scalerank`` (Int64), ``min_zoom`` (float), ``geometry`` (Polygon; split at ±180°).
        Large lakes such as the Caspian Sea are holes, so they count as water.
    """
    path = Path(path) if path else fetch("ne_land_50m")
    return validate(_load_ne_physical(path), NE_PHYSICAL_SCHEMA, path)


def load_ne_coastline(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load Natural Earth 1:50m coastlines.

    Parameters
    ----------
    path : Path, optional
        The registered GeoJSON (default, ``fetch("ne_coastline_50m")``) or the NE 5.x
        ``ne_50m_coastline.zip`` / ``.shp``.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, 1 428 rows for the registered file: ``featurecla`` (``"Coastline"``),
        ``scalerank`` (Int64), ``min_zoom`` (float), ``geometry`` (LineString).
    """
    path = Path(path) if path else fetch("ne_coastline_50m")
    return validate(_load_ne_physical(path), NE_PHYSICAL_SCHEMA, path)


def load_ne_maritime_lines(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load Natural Earth 1:10m maritime indicator lines.

    These are cartographic *indicators* (indicative median lines, treaty lines, 200 nm
    limits and disputed lines), **not EEZ boundaries**: they are incomplete, partly
    schematic, and do not enclose areas. For EEZs use Marine Regions World EEZ v12
    (:func:`osa_analysis.harmonise.eez.load_eez`).

    Parameters
    ----------
    path : Path, optional
        The registered GeoJSON (default, ``fetch("ne_maritime_lines_10m")``) or the NE 5.x
        ``ne_10m_admin_0_boundary_lines_maritime_indicator.zip`` / ``.shp``.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, 223 rows for the registered file:

        - ``featurecla``: NE's class as published (``Marine Indicator Median``, ...).
        - ``line_type``: ``indicative median``, ``treaty``, ``200 nm`` or ``disputed``
          (:data:`MARITIME_LINE_TYPES`).
        - ``note`` (e.g. ``medianLine_75``), ``comment`` (e.g. ``ICJ 2013``): NA when empty.
        - ``scalerank`` (Int64), ``geometry`` (LineString).
    """
    path = Path(path) if path else fetch("ne_maritime_lines_10m")
    raw = _upper_attributes(_read(path))
    require_columns(raw, ["FEATURECLA", "NOTE", "COMMENT", "SCALERANK"], path)
    featurecla = _text(raw["FEATURECLA"])
    tidy = pd.DataFrame(
        {
            "featurecla": featurecla,
            "line_type": featurecla.map(MARITIME_LINE_TYPES).astype("string"),
            "note": _text(raw["NOTE"]),
            "comment": _text(raw["COMMENT"]),
            "scalerank": pd.to_numeric(raw["SCALERANK"], errors="coerce").astype("Int64"),
        },
        index=raw.index,
    )
    return validate(_finish(tidy, raw.geometry), NE_MARITIME_SCHEMA, path)


def load_ne_disputed_areas(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load Natural Earth 1:10m breakaway and disputed areas.

    Parameters
    ----------
    path : Path, optional
        The registered GeoJSON (default, ``fetch("ne_disputed_areas_10m")``) or the NE 5.x
        ``ne_10m_admin_0_disputed_areas.zip`` / ``.shp``.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, 80 rows for the registered file:

        - ``name``: the area (NE ``BRK_NAME``: Spratly Is., Paracel Is., Scarborough Reef,
          Kuril Is., ...).
        - ``area_type``: NE ``TYPE`` (Disputed, Indeterminate, Breakaway, Lease, ...).
        - ``featurecla``: NE class (Admin-0 claim area, Admin-0 indeterminant, ...).
        - ``note``: NE ``NOTE_BRK``, who administers and who claims it (NA when empty).
        - ``admin``, ``adm0_a3``: the administering unit as NE records it.
        - ``sovereignt``, ``sov_a3``: the sovereign as NE records it (NE codes, e.g.
          ``CH1``, ``PGA`` for the Spratly Is.; not ISO).
        - ``geometry``: (Multi)Polygon.
    """
    path = Path(path) if path else fetch("ne_disputed_areas_10m")
    raw = _upper_attributes(_read(path))
    required = ["BRK_NAME", "TYPE", "FEATURECLA", "NOTE_BRK", "ADMIN", "ADM0_A3"]
    require_columns(raw, [*required, "SOVEREIGNT", "SOV_A3"], path)
    tidy = pd.DataFrame(
        {
            "name": _text(raw["BRK_NAME"]),
            "area_type": _text(raw["TYPE"]),
            "featurecla": _text(raw["FEATURECLA"]),
            "note": _text(raw["NOTE_BRK"]),
            "admin": _text(raw["ADMIN"]),
            "adm0_a3": _text(raw["ADM0_A3"]),
            "sovereignt": _text(raw["SOVEREIGNT"]),
            "sov_a3": _text(raw["SOV_A3"]),
        },
        index=raw.index,
    )
    return validate(_finish(tidy, raw.geometry), NE_DISPUTED_SCHEMA, path)


# --- world-atlas TopoJSON --------------------------------------------------------------------

_WORLD = shapely.box(-180.0, -90.0, 180.0, 90.0)


def _cut_ring_polygon(poly: shapely.Polygon) -> shapely.Geometry:
    """Cut one spherical polygon whose rings jump across ±180° into planar pieces.

    Longitudes are unwrapped so each ring is continuous; a ring winding once around the
    globe encloses a pole (Antarctica) and is closed along that pole. The unwrapped
    polygon is clipped to −180…180 after shifts of 0 and ±360°, and the pieces united.
    """
    rings = []
    for ring in [poly.exterior, *poly.interiors]:
        xy = np.asarray(ring.coords)[:, :2].copy()
        xy[:, 0] = np.unwrap(xy[:, 0], period=360.0)
        winding = xy[-1, 0] - xy[0, 0]
        if abs(winding) > 180:  # encircles a pole
            pole = -90.0 if xy[:, 1].mean() < 0 else 90.0
            xy = np.vstack([xy, [[xy[-1, 0], pole], [xy[0, 0], pole]], xy[:1]])
        rings.append(xy)
    ext, holes = rings[0], rings[1:]
    centre = ext[:, 0].mean()
    holes = [h - [360.0 * np.round((h[:, 0].mean() - centre) / 360.0), 0.0] for h in holes]
    unwrapped = shapely.make_valid(shapely.Polygon(ext, holes), method="structure")
    pieces = [
        shapely.intersection(
            shapely.transform(unwrapped, lambda c, dx=dx: c + np.array([dx, 0.0])), _WORLD
        )
        for dx in (-720.0, -360.0, 0.0, 360.0, 720.0)
    ]
    return shapely.union_all([p for p in pieces if not p.is_empty])


def _planar_world_atlas(geoms: np.ndarray) -> np.ndarray:
    """Make world-atlas geometries valid planar lon/lat geometries.

    world-atlas rings are spherical (meant for d3-geo): a polygon crossing ±180° (Fiji,
    Russia, Antarctica) jumps from +180 to −180 inside one ring, which planar GIS reads as a
    band around the globe; such polygons are cut at ±180° here, as Natural Earth does.
    Quantisation also leaves ~140 polygons self-intersecting (Indonesia, Maldives, ...);
    they are repaired with ``shapely.make_valid(method="structure")``.
    """
    parts, owner = shapely.get_parts(geoms, return_index=True)
    xy, ring_of = shapely.get_coordinates(shapely.get_exterior_ring(parts), return_index=True)
    jumps = (np.abs(np.diff(xy[:, 0])) > 180) & (ring_of[1:] == ring_of[:-1])
    crossing = np.zeros(len(parts), dtype=bool)
    crossing[np.unique(ring_of[1:][jumps])] = True
    parts = parts.copy()
    for i in np.flatnonzero(crossing):
        parts[i] = _cut_ring_polygon(parts[i])
    invalid = ~shapely.is_valid(parts)
    parts[invalid] = shapely.make_valid(parts[invalid], method="structure")
    out = np.empty(len(geoms), dtype=object)
    order = np.argsort(owner, kind="stable")
    bounds = np.searchsorted(owner[order], np.arange(len(geoms) + 1))
    for g in range(len(geoms)):
        members = shapely.get_parts(parts[order[bounds[g] : bounds[g + 1]]])
        members = members[shapely.get_type_id(members) == 3]  # polygons only
        # Parts overlapping after quantisation (Canada, Japan) would make the MultiPolygon
        # invalid: union just those (a make_valid of all 1:10m land takes seconds).
        left, right = shapely.STRtree(members).query(members)
        left, right = left[left < right], right[left < right]
        shapely.prepare(members)  # pairwise tests with prepared polygons: ~50x faster
        hit = shapely.intersects(members[left], members[right])
        touching = np.unique(np.r_[left[hit], right[hit]])
        if len(touching):
            merged = shapely.get_parts(shapely.union_all(members[touching]))
            members = np.concatenate([np.delete(members, touching), merged])
        if len(members) == 1:
            out[g] = members[0]
        else:  # several parts, or none (an empty geometry stays empty)
            out[g] = shapely.multipolygons(members)
    return out


def load_world_atlas_countries(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load world-atlas 2.0.2 1:10m countries (Natural Earth 4.1.0), the finest polygons here.

    Parameters
    ----------
    path : Path, optional
        ``countries-10m.json`` (default ``fetch("world_atlas_countries_10m")``); layer
        ``countries`` of the TopoJSON is read (GDAL decodes the quantized arcs).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, 255 rows for the registered file:

        - ``country_iso3``: from ``id`` (ISO numeric, zero-padded string) via
          :func:`osa_analysis.core.countries.to_iso3`. NA for the 16 features without an id
          (Spratly Is., Scarborough Reef, Kosovo, N. Cyprus, Somaliland, ...) and for
          Ashmore and Cartier Is., which shares Australia's ``"036"``
          (:data:`WORLD_ATLAS_NOT_ISO`). Unique where present.
        - ``iso_n3``: the ``id`` as published (NA when absent).
        - ``name``: world-atlas's short name (``"Fiji"``, ``"Philippines"``).
        - ``geometry``: valid (Multi)Polygon. world-atlas rings are spherical: polygons
          crossing ±180° (Fiji, Russia, Antarctica) are cut there here, and ~140 polygons
          left self-intersecting by quantisation are repaired (see
          :func:`_planar_world_atlas`).
    """
    path = Path(path) if path else fetch("world_atlas_countries_10m")
    raw = _read(path, layer="countries")
    require_columns(raw, ["id", "name"], path)
    iso_n3 = _text(raw["id"])
    name = _text(raw["name"])
    country_iso3 = to_iso3(iso_n3, "iso_numeric", source=str(path))
    country_iso3 = country_iso3.mask(name.isin(WORLD_ATLAS_NOT_ISO))  # shared "036"
    tidy = pd.DataFrame(
        {
            "country_iso3": country_iso3.astype("string"),
            "iso_n3": iso_n3,
            "name": name,
        },
        index=raw.index,
    )
    geometry = _planar_world_atlas(np.asarray(raw.geometry.array, dtype=object))
    return validate(_finish(tidy, geometry), WORLD_ATLAS_COUNTRIES_SCHEMA, path)


def load_world_atlas_land(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load world-atlas 2.0.2 1:10m land (Natural Earth 4.1.0) as one MultiPolygon row.

    Parameters
    ----------
    path : Path, optional
        ``land-10m.json`` (default ``fetch("world_atlas_land_10m")``), layer ``land``; the
        ``land`` object of ``countries-10m.json`` also works.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 with one column, ``geometry`` (a valid MultiPolygon, cut at ±180° and
        closed along the South Pole for Antarctica, as in :func:`load_world_atlas_countries`).
    """
    path = Path(path) if path else fetch("world_atlas_land_10m")
    raw = _read(path, layer="land")
    geometry = _planar_world_atlas(np.asarray(raw.geometry.array, dtype=object))
    return validate(_finish(pd.DataFrame(index=raw.index), geometry), WORLD_ATLAS_LAND_SCHEMA, path)


# --- antimeridian helpers ----------------------------------------------------------------------


def _shift_array(geoms: np.ndarray, west: float) -> np.ndarray:
    """Map geometries from −180…180 into ``[west, west + 360]`` longitudes.

    The part of each geometry west of ``west`` is cut there and moved east by 360°, so a
    geometry crossing the cut meridian is split, just as NE splits at ±180°.
    """
    east = shapely.intersection(geoms, shapely.box(west, -90.0, 180.0, 90.0))
    westpart = shapely.intersection(geoms, shapely.box(-180.0, -90.0, west, 90.0))
    moved = shapely.transform(westpart, lambda xy: xy + np.array([360.0, 0.0]))
    out = shapely.union(east, moved, grid_size=None)
    # Keep empties and geometries untouched by the cut exactly as they were.
    untouched = shapely.is_empty(westpart) | shapely.is_missing(geoms)
    out = np.where(untouched, geoms, out)
    return out


def shift_longitudes(gdf: gpd.GeoDataFrame | gpd.GeoSeries, west: float = 0.0):
    """Return a copy with longitudes in ``[west, west + 360]`` (e.g. 0–360° for the Pacific).

    Use for extents and plotting across the antimeridian; the shifted geometries are not
    EPSG:4326-conformant (longitudes beyond 180°), so shift back before spatial joins with
    ordinary data. Distances computed with haversine formulas do not need shifting.

    Parameters
    ----------
    gdf : GeoDataFrame or GeoSeries
        Geometries in EPSG:4326 with longitudes in −180…180.
    west : float, default 0
        The western edge of the new longitude range (−180 < west ≤ 0).

    Returns
    -------
    GeoDataFrame or GeoSeries
        Same type and index; geometries crossing ``west`` are split there.
    """
    if not -180.0 < west <= 0.0:
        raise ValueError(f"west must be in (-180, 0], got {west}")
    out = gdf.copy()
    geoms = _shift_array(np.asarray(gdf.geometry.array, dtype=object), west)
    if isinstance(out, gpd.GeoDataFrame):
        out[out.geometry.name] = gpd.GeoSeries(geoms, index=out.index, crs=gdf.crs)
        return out
    return gpd.GeoSeries(geoms, index=out.index, crs=gdf.crs, name=gdf.name)


def to_pacific_longitudes(gdf: gpd.GeoDataFrame | gpd.GeoSeries):
    """Return a copy in 0–360° longitudes (Pacific-centred); see :func:`shift_longitudes`."""
    return shift_longitudes(gdf, west=0.0)


def lon_extent(geoms) -> tuple[float, float]:
    """Return the tightest ``(west, east)`` longitude extent of geometries, wrapping at ±180°.

    The largest longitude gap not covered by any part is found on the circle; the extent
    starts east of it. ``east`` may exceed 180 (e.g. Fiji ≈ 177 → 182).

    Parameters
    ----------
    geoms : GeoSeries, array of shapely geometries, or one geometry

    Returns
    -------
    tuple of float
        ``west`` in −180…180 and ``east`` in ``west``…``west + 360``.
    """
    arr = np.atleast_1d(np.asarray(getattr(geoms, "array", geoms), dtype=object))
    parts = shapely.get_parts(arr[~shapely.is_missing(arr) & ~shapely.is_empty(arr)])
    if len(parts) == 0:
        raise ValueError("no geometry to measure")
    bounds = shapely.bounds(parts)
    order = np.argsort(bounds[:, 0])
    lo, hi = bounds[order, 0], bounds[order, 2]
    # merge the intervals, then find the largest gap (including the one across ±180).
    run_hi = np.maximum.accumulate(hi)
    starts = np.r_[True, lo[1:] > run_hi[:-1]]
    seg_lo = lo[starts]
    seg_hi = np.maximum.reduceat(hi, np.flatnonzero(starts))
    gaps = np.r_[seg_lo[1:] - seg_hi[:-1], seg_lo[0] + 360.0 - seg_hi[-1]]
    k = int(np.argmax(gaps))
    if k == len(gaps) - 1:  # widest gap wraps through ±180: no shift needed
        return float(seg_lo[0]), float(seg_hi[-1])
    return float(seg_lo[k + 1]), float(seg_hi[k] + 360.0)


def country_bounds(
    iso3: str, countries: gpd.GeoDataFrame | None = None
) -> tuple[float, float, float, float]:
    """Return a country's ``(minx, miny, maxx, maxy)``, correct across the antimeridian.

    Parameters
    ----------
    iso3 : str
        ISO alpha-3 (``country_iso3``) or NE ``adm0_a3``.
    countries : GeoDataFrame, optional
        Default :func:`load_ne_countries`.

    Returns
    -------
    tuple of float
        ``maxx`` may exceed 180 when the country straddles ±180° (Fiji: about 177.2 to
        181.8 in 0–360° terms); ``minx`` is in −180…180.
    """
    countries = load_ne_countries() if countries is None else countries
    mask = countries["country_iso3"].eq(iso3).fillna(False)
    if "adm0_a3" in countries:
        mask |= countries["adm0_a3"].eq(iso3).fillna(False)
    if not mask.any():
        raise KeyError(f"{iso3!r} is not in the countries table")
    geoms = countries.geometry[mask.to_numpy()]
    west, east = lon_extent(geoms)
    _, miny, _, maxy = geoms.total_bounds
    return west, float(miny), east, float(maxy)
