"""Incident maps for the brief: land, coastline, the country's EEZ, points and a density layer.

One map style for every country (:func:`incident_map`):

* Natural Earth 1:50m land (the brief's country shaded darker) and coastline;
* the country's EEZ (Marine Regions v12 when supplied, otherwise the approximate EEZ) as a
  tinted area with a dashed outline;
* incident points coloured by a group (severity, actor pair ...), filled or open;
* a Gaussian kernel density of the positions (:class:`scipy.stats.gaussian_kde` with a
  fixed isotropic kernel, :class:`IsotropicKDE`) computed in kilometres in an
  azimuthal-equidistant projection centred on the map, so the bandwidth is stated in km.

Countries whose EEZ crosses the antimeridian (Fiji) are drawn in 0–360° longitudes
(:func:`osa_analysis.sources.loaders.geography.shift_longitudes`), so the map is one piece.

The layers come from the table store (:func:`map_layers`: tables ``ne_land``,
``ne_coastline``, ``ne_countries`` and ``eez``), which records their sources; the sections
pass them in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from pyproj import Transformer
from scipy.stats import gaussian_kde

from osa_analysis.analyse.maritime import country_eez
from osa_analysis.analyse.tables import TableStore
from osa_analysis.brief.map_marks import (
    cluster_points,
    degree_axes,
    marker_size,
    place_labels,
    scale_bar,
)
from osa_analysis.brief.style import NEUTRAL, figure
from osa_analysis.core.i18n import N_, _
from osa_analysis.sources.loaders.geography import country_bounds, lon_extent, shift_longitudes

MAP_SOURCE_IDS = ("ne_land_50m", "ne_coastline_50m", "ne_countries_50m")
"""Registry ids of the base layers (the EEZ is derived from the first and last)."""

DEFAULT_BANDWIDTH_KM = 50.0
"""Kernel standard deviation of the incident density layer (km), the same on every map."""

MIN_KDE_POINTS = 5
"""Fewer positions than this: no density layer (the map says why)."""

KDE_GRID = (220, 160)
"""Density grid (columns, rows) over the map extent."""

KDE_QUANTILES = (0.50, 0.75, 0.90, 0.97)
"""Density contours drawn at these quantiles of the grid's non-negligible densities."""

LAND_COLOR = "#ecebe4"
COUNTRY_LAND_COLOR = "#d3cdb6"
COAST_COLOR = "#8c8c8c"
EEZ_FACE = "#cfe3f3"
EEZ_EDGE = "#2b6a99"
KDE_CMAP = "Oranges"

KDE_RULE = N_("fixed isotropic Gaussian kernel")
"""How the density layer's kernel is chosen (``bandwidth_rule`` of :func:`kde_layer`)."""
KDE_TOO_FEW = N_("fewer than {n} positions")
KDE_NOT_REQUESTED = N_("not requested")
KDE_PROJECTION = N_("azimuthal equidistant projection (km) centred on {lat} {lon}")
"""The density layer's projection (``projection`` of :func:`kde_layer`), with
:data:`LATITUDE_TEXT` and :data:`LONGITUDE_TEXT`."""
LATITUDE_TEXT = {"N": N_("{deg}°N"), "S": N_("{deg}°S")}
LONGITUDE_TEXT = {"E": N_("{deg}°E"), "W": N_("{deg}°W")}
_PROJECTION_CENTRE = re.compile(r"centred on (\d+\.\d+)°([NS]) (\d+\.\d+)°([EW])$")


@dataclass(frozen=True)
class Extent:
    """A map window in degrees; ``east`` may exceed 180 when ``shifted`` (0–360° longitudes)."""

    west: float
    south: float
    east: float
    north: float

    @property
    def shifted(self) -> bool:
        """Whether the window uses 0–360° longitudes (it crosses the antimeridian)."""
        return self.east > 180.0

    @property
    def centre(self) -> tuple[float, float]:
        """``(lon, lat)`` of the window centre, longitude in −180…180."""
        lon = (self.west + self.east) / 2
        return ((lon + 180.0) % 360.0) - 180.0, (self.south + self.north) / 2

    def as_tuple(self) -> tuple[float, float, float, float]:
        """``(west, south, east, north)``."""
        return self.west, self.south, self.east, self.north

    def as_list(self) -> list[float]:
        """``[west, south, east, north]`` rounded to 0.01°."""
        return [round(v, 2) for v in (self.west, self.south, self.east, self.north)]

    def union(self, other: Extent) -> Extent:
        """Return the smallest window holding both (in the same longitude convention)."""
        return Extent(
            min(self.west, other.west),
            min(self.south, other.south),
            max(self.east, other.east),
            max(self.north, other.north),
        )


# --------------------------------------------------------------------------- layers


@dataclass(frozen=True)
class MapLayers:
    """The base layers of a map, from the table store (:func:`map_layers`).

    Attributes
    ----------
    land : geopandas.GeoDataFrame
        Natural Earth 1:50m land (table ``ne_land``).
    coastline : geopandas.GeoDataFrame
        Natural Earth 1:50m coastline (``ne_coastline``).
    countries : geopandas.GeoDataFrame
        Natural Earth 1:50m countries (``ne_countries``).
    eez : geopandas.GeoDataFrame
        EEZ polygons (``eez``: Marine Regions when supplied, else approximate).
    """

    land: gpd.GeoDataFrame
    coastline: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    eez: gpd.GeoDataFrame


def map_layers(tables: TableStore) -> MapLayers:
    """Return the base layers from the store (which records their sources as used)."""
    return MapLayers(
        land=tables.get("ne_land"),
        coastline=tables.get("ne_coastline"),
        countries=tables.get("ne_countries"),
        eez=tables.get("eez"),
    )


def country_extent(iso3: str, layers: MapLayers, pad_frac: float = 0.08) -> Extent:
    """Return a window around the country's EEZ (or its land if it has none), padded.

    Longitudes run past 180° when the EEZ crosses the antimeridian (Fiji: about 171 to
    184), using :func:`~osa_analysis.sources.loaders.geography.lon_extent`.
    """
    rows = country_eez(iso3, layers.eez)
    if len(rows):
        west, east = lon_extent(rows.geometry)
        _, south, _, north = rows.total_bounds
    else:
        west, south, east, north = country_bounds(iso3, layers.countries)
    dx = max((east - west) * pad_frac, 0.5)
    dy = max((north - south) * pad_frac, 0.5)
    return Extent(
        float(west - dx),
        float(max(south - dy, -89.0)),
        float(east + dx),
        float(min(north + dy, 89.0)),
    )


def _window(layer: gpd.GeoDataFrame, extent: Extent) -> gpd.GeoSeries:
    """Return the layer's geometries inside the window, in its longitude convention."""
    geoms = layer.geometry
    # clip only the geometries whose boxes meet the window (the same result, much faster)
    boxes = [(extent.west, min(extent.east, 180.0))]
    if extent.shifted:  # the part east of 180° lies at -180°… in the layer's longitudes
        boxes.append((-180.0, extent.east - 360.0))
    hits = [geoms.sindex.query(shapely.box(w, extent.south, e, extent.north)) for w, e in boxes]
    geoms = geoms.iloc[np.unique(np.concatenate(hits))]
    if extent.shifted:
        geoms = shift_longitudes(geoms, west=0.0)
    clipped = shapely.clip_by_rect(
        np.asarray(geoms.array, dtype=object), extent.west, extent.south, extent.east, extent.north
    )
    keep = ~shapely.is_empty(clipped)
    return gpd.GeoSeries(clipped[keep], crs=layer.crs)


def map_longitudes(lon: np.ndarray, extent: Extent) -> np.ndarray:
    """Longitudes in the window's convention (+360° for western ones when shifted)."""
    lon = np.asarray(lon, dtype=float)
    return np.where(extent.shifted & (lon < 0), lon + 360.0, lon)


# --------------------------------------------------------------------------- density


class IsotropicKDE(gaussian_kde):
    """:class:`scipy.stats.gaussian_kde` with a fixed isotropic kernel.

    The default kernel of ``gaussian_kde`` is the data covariance scaled by Scott's
    factor: with incidents in two separate clusters (Malaysia: the Singapore Strait and
    Sabah) that kernel is hundreds of km long and smears density between the clusters.
    Here every kernel is a circular Gaussian of standard deviation ``bandwidth`` (in the
    data's units, km), the same on every map, so the smoothing can be stated in one number.

    Parameters
    ----------
    dataset : array, shape (2, n)
        Positions (x, y) in km.
    bandwidth : float
        Kernel standard deviation in the units of ``dataset``.
    """

    def __init__(self, dataset, bandwidth: float) -> None:
        if not bandwidth > 0:
            raise ValueError(f"bandwidth must be positive, got {bandwidth!r}")
        self.bandwidth = float(bandwidth)
        super().__init__(dataset)

    def _compute_covariance(self) -> None:
        """Set the kernel covariance to ``bandwidth² · I`` (overrides Scott's rule)."""
        eye = np.eye(self.d)
        self.factor = self.bandwidth
        self.covariance = eye * self.bandwidth**2
        self.cho_cov = (eye * self.bandwidth).astype(np.float64)
        self.log_det = 2 * np.log(np.diag(self.cho_cov * np.sqrt(2 * np.pi))).sum()


def kde_layer(
    lon: np.ndarray, lat: np.ndarray, extent: Extent, bandwidth_km: float = DEFAULT_BANDWIDTH_KM
) -> dict:
    """Fit an isotropic Gaussian KDE to positions in km (azimuthal equidistant projection).

    Parameters
    ----------
    lon, lat : array of float
        Positions in degrees (longitudes in −180…180 or 0–360; finite values only).
    extent : Extent
        The map window; the projection is centred on it and the density evaluated on a
        :data:`KDE_GRID` over it.
    bandwidth_km : float
        Kernel standard deviation in km (:class:`IsotropicKDE`).

    Returns
    -------
    dict
        ``applied`` (bool), ``reason`` (why not, else None), ``n_points``,
        ``bandwidth_km``, ``bandwidth_rule``, ``projection``, and when applied the private
        ``_grid`` (lon, lat, density per km²) to draw.
    """
    lon0, lat0 = extent.centre
    proj = f"+proj=aeqd +lat_0={lat0:.4f} +lon_0={lon0:.4f} +units=km +datum=WGS84"
    out: dict = {
        "applied": False,
        "reason": None,
        "n_points": len(lon),
        "bandwidth_km": float(bandwidth_km),
        "bandwidth_rule": KDE_RULE,
        "projection": KDE_PROJECTION.format(
            lat=LATITUDE_TEXT["N" if lat0 >= 0 else "S"].format(deg=f"{abs(lat0):.2f}"),
            lon=LONGITUDE_TEXT["E" if lon0 >= 0 else "W"].format(deg=f"{abs(lon0):.2f}"),
        ),
    }
    if len(lon) < MIN_KDE_POINTS:
        out["reason"] = KDE_TOO_FEW.format(n=MIN_KDE_POINTS)
        return out
    to_km = Transformer.from_crs("EPSG:4326", proj, always_xy=True)
    lon180 = ((np.asarray(lon, float) + 180.0) % 360.0) - 180.0
    x, y = to_km.transform(lon180, np.asarray(lat, float))
    kde = IsotropicKDE(np.vstack([x, y]), bandwidth_km)
    nx, ny = KDE_GRID
    glon = np.linspace(extent.west, extent.east, nx)
    glat = np.linspace(extent.south, extent.north, ny)
    mlon, mlat = np.meshgrid(glon, glat)
    gx, gy = to_km.transform(((mlon + 180.0) % 360.0) - 180.0, mlat)
    density = kde(np.vstack([gx.ravel(), gy.ravel()])).reshape(mlon.shape)
    out.update(applied=True, _grid=(mlon, mlat, density))
    return out


def kde_rule_text(kde: Mapping) -> str:
    """Return the density layer's ``bandwidth_rule`` in the current language."""
    return _(str(kde["bandwidth_rule"]))


def kde_projection_text(kde: Mapping) -> str:
    """Return the density layer's ``projection`` in the current language.

    The values keep the English text (:func:`kde_layer`); the centre is read back from it.
    """
    text = str(kde["projection"])
    found = _PROJECTION_CENTRE.search(text)
    if found is None:
        return text
    lat, ns, lon, ew = found.groups()
    return _(KDE_PROJECTION).format(
        lat=_(LATITUDE_TEXT[ns]).format(deg=lat), lon=_(LONGITUDE_TEXT[ew]).format(deg=lon)
    )


def kde_reason_text(kde: Mapping) -> str:
    """Return why the density layer was not drawn (``reason``) in the current language."""
    reason = kde.get("reason")
    if reason == KDE_TOO_FEW.format(n=MIN_KDE_POINTS):
        return _(KDE_TOO_FEW).format(n=MIN_KDE_POINTS)
    if reason == KDE_NOT_REQUESTED:
        return _(KDE_NOT_REQUESTED)
    return "" if reason is None else str(reason)


# --------------------------------------------------------------------------- the map


def _map_axes(extent: Extent, width: float, height: float) -> tuple[Figure, object]:
    """Return a figure whose height fits the window's shape, and its axes."""
    mid = math.radians((extent.south + extent.north) / 2)
    ratio = (extent.north - extent.south) / ((extent.east - extent.west) * max(math.cos(mid), 0.2))
    # fit the height to the window's shape (legend on the right takes ~2.2 in)
    height = min(height, max(2.6, (width - 2.2) * ratio + 0.9))
    fig, ax = figure(width=width, height=height)
    ax.set_facecolor("#f7fbff")
    ax.grid(True, linewidth=0.3, alpha=0.4)
    return fig, ax


def _draw_base(ax, layers: MapLayers, iso3: str, extent: Extent) -> gpd.GeoDataFrame:
    """Draw land, the country's land, coastline and the country's EEZ; return its EEZ rows."""
    land = _window(layers.land, extent)
    if len(land):
        land.plot(ax=ax, color=LAND_COLOR, linewidth=0, zorder=1)
    countries = layers.countries
    own = countries[countries["country_iso3"].eq(iso3).fillna(False).to_numpy()]
    if len(own):
        _window(own, extent).plot(ax=ax, color=COUNTRY_LAND_COLOR, linewidth=0, zorder=2)
    coast = _window(layers.coastline, extent)
    if len(coast):
        coast.plot(ax=ax, color=COAST_COLOR, linewidth=0.4, zorder=3)
    eez_rows = country_eez(iso3, layers.eez)
    if len(eez_rows):
        eez_geom = _window(eez_rows, extent)
        eez_geom.plot(ax=ax, color=EEZ_FACE, alpha=0.45, linewidth=0, zorder=1.5)
        eez_geom.boundary.plot(ax=ax, color=EEZ_EDGE, linewidth=0.8, linestyle="--", zorder=4)
    return eez_rows


def points_in_window(
    points: pd.DataFrame, extent: Extent
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Split the points into those with a position and those inside the window.

    Returns
    -------
    (DataFrame, DataFrame, int)
        The points with a position (plus ``x``: longitude in the window's convention),
        those of them inside the window, and the number without a position.
    """
    has_pos = points["longitude"].notna() & points["latitude"].notna()
    pts = points[has_pos]
    pts = pts.assign(x=map_longitudes(pts["longitude"].to_numpy(float), extent))
    inside = pts["x"].between(extent.west, extent.east) & pts["latitude"].between(
        extent.south, extent.north
    )
    return pts, pts[inside], int((~has_pos).sum())


def _draw_density(ax, shown: pd.DataFrame, extent: Extent, kde: bool, bandwidth_km: float) -> dict:
    """Fit the density layer to the shown points, draw it when requested; return its values."""
    dens_pts = shown[shown["in_kde"].fillna(False).to_numpy(bool)] if "in_kde" in shown else shown
    kde_values = kde_layer(
        dens_pts["x"].to_numpy(float), dens_pts["latitude"].to_numpy(float), extent, bandwidth_km
    )
    if kde and kde_values["applied"]:
        mlon, mlat, dens = kde_values["_grid"]
        positive = dens[dens > dens.max() * 1e-3]
        levels = np.unique([*np.quantile(positive, KDE_QUANTILES).tolist(), dens.max()])
        if len(levels) >= 2:
            ax.contourf(mlon, mlat, dens, levels=levels, cmap=KDE_CMAP, alpha=0.45, zorder=5)
    elif not kde:
        kde_values.update(applied=False, reason=KDE_NOT_REQUESTED)
    kde_values.pop("_grid", None)
    return kde_values


def _marker_flags(shown: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return whether each shown point is filled (default True) and coarse (default False)."""
    filled = shown["filled"] if "filled" in shown else pd.Series(True, index=shown.index)
    coarse = shown["coarse"] if "coarse" in shown else pd.Series(False, index=shown.index)
    return filled, coarse


def _draw_points(ax, shown: pd.DataFrame, groups: Mapping[str, str], extent: Extent) -> list[int]:
    """Scatter the shown points by group: circles or squares (coarse), filled or open.

    Points in one cell of :func:`~osa_analysis.brief.map_marks.cluster_points`'s grid (same
    group and markers) are one marker, sized by their number and labelled with it when more
    than one. Returns the sizes of the markers that stand for several points (the numbers
    written on the map), largest first.
    """
    clusters = cluster_points(shown, extent.west, extent.east)
    for label, color in groups.items():
        sel = clusters["group"].eq(label).fillna(False) if len(clusters) else clusters["n"] > 0
        for is_coarse, marker in ((False, "o"), (True, "s")):
            for is_filled in (True, False):
                part = clusters[
                    sel & clusters["coarse"].eq(is_coarse) & clusters["filled"].eq(is_filled)
                ]
                if part.empty:
                    continue
                ax.scatter(
                    part["x"],
                    part["latitude"],
                    s=marker_size(part["n"]) * (1.0 if not is_coarse else 1.25),
                    marker=marker,
                    facecolors=color if is_filled else "none",
                    edgecolors=color if not is_filled else "white",
                    linewidths=0.9 if not is_filled else 0.3,
                    zorder=6,
                )
    several = clusters[clusters["n"] > 1] if len(clusters) else clusters
    for row in several.itertuples():
        ax.annotate(
            f"{row.n:,}",
            (row.x, row.latitude),
            xytext=(0, 0),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=5.5,
            fontweight="bold",
            color="#1d2430",
            zorder=6.5,
            path_effects=[patheffects.withStroke(linewidth=1.6, foreground="white")],
        )
    return sorted((int(n) for n in several["n"]), reverse=True) if len(several) else []


def _marker_handle(label: str, marker: str, filled: bool) -> Line2D:
    """Return a legend entry for a marker meaning (filled or open, circle or square)."""
    if filled:
        return Line2D([], [], marker=marker, linestyle="", color=NEUTRAL, label=label)
    return Line2D(
        [], [], marker=marker, linestyle="", markerfacecolor="none", color=NEUTRAL, label=label
    )


def _legend_handles(
    shown: pd.DataFrame,
    groups: Mapping[str, str],
    labels: dict,
    eez_rows: gpd.GeoDataFrame,
    density_drawn: bool,
) -> list:
    """Legend entries: the groups shown, marker meanings, the EEZ and the density layer."""
    _filled, coarse = _marker_flags(shown)
    names = labels.get("groups") or {}
    handles: list = [
        Patch(facecolor=color, edgecolor="none", label=names.get(label, label))
        for label, color in groups.items()
        if shown["group"].eq(label).any()
    ]
    if labels["filled"] and len(shown):
        handles.append(_marker_handle(labels["filled"], "o", filled=True))
    if labels["open"] and len(shown):
        handles.append(_marker_handle(labels["open"], "o", filled=False))
    if labels["coarse"] and coarse.any():
        handles.append(_marker_handle(labels["coarse"], "s", filled=False))
    if len(eez_rows):
        approximate = eez_rows["method"].iloc[0].startswith("approx")
        label = _("EEZ (approximate)") if approximate else _("EEZ")
        handles.append(Line2D([], [], color=EEZ_EDGE, linestyle="--", label=label))
    if density_drawn:
        handles.append(Patch(facecolor="#f4a460", alpha=0.5, label=_("incident density (KDE)")))
    return handles


def _finish_axes(ax, extent: Extent, title: str) -> None:
    """Set limits, aspect, title and degree labels (the same on both sides of 180°)."""
    mid = math.radians((extent.south + extent.north) / 2)
    ax.set_xlim(extent.west, extent.east)
    ax.set_ylim(extent.south, extent.north)
    ax.set_aspect(1.0 / max(math.cos(mid), 0.2))
    ax.set_title(title)
    degree_axes(ax)


def window_countries(layers: MapLayers, extent: Extent) -> dict[str, object]:
    """Return Natural Earth name → the country's land clipped to the window."""
    if "name" not in layers.countries:  # a layer without names: nothing to write
        return {}
    clipped = _window_frame(layers.countries, extent)
    return {str(name): geom for name, geom in zip(clipped["name"], clipped.geometry, strict=True)}


def _window_frame(layer: gpd.GeoDataFrame, extent: Extent) -> gpd.GeoDataFrame:
    """Return the layer's rows inside the window, geometries clipped (map longitudes)."""
    boxes = [(extent.west, min(extent.east, 180.0))]
    if extent.shifted:
        boxes.append((-180.0, extent.east - 360.0))
    hits = [
        layer.geometry.sindex.query(shapely.box(w, extent.south, e, extent.north)) for w, e in boxes
    ]
    rows = layer.iloc[np.unique(np.concatenate(hits))]
    geoms = rows.geometry
    if extent.shifted:
        geoms = shift_longitudes(geoms, west=0.0)
    clipped = shapely.clip_by_rect(
        np.asarray(geoms.array, dtype=object), extent.west, extent.south, extent.east, extent.north
    )
    keep = ~shapely.is_empty(clipped)
    return gpd.GeoDataFrame(
        rows.drop(columns="geometry")[keep], geometry=list(clipped[keep]), crs=layer.crs
    )


def points_extent(base: Extent, shown: pd.DataFrame, reach_deg: float = 2.0) -> Extent:
    """Widen a window to hold the points lying within ``reach_deg`` of it (padded 0.3°).

    A country's EEZ can stop short of where its incidents cluster (Malaysia's approximate
    EEZ ends north of the Singapore Strait, where most of its incidents are).
    """
    if shown.empty:
        return base
    near = shown[
        shown["x"].between(base.west - reach_deg, base.east + reach_deg)
        & shown["latitude"].between(base.south - reach_deg, base.north + reach_deg)
    ]
    if near.empty:
        return base
    pad = 0.3
    return base.union(
        Extent(
            float(near["x"].min() - pad),
            float(near["latitude"].min() - pad),
            float(near["x"].max() + pad),
            float(near["latitude"].max() + pad),
        )
    )


def incident_map(
    points: pd.DataFrame,
    *,
    iso3: str,
    layers: MapLayers,
    extent: Extent | None = None,
    groups: Mapping[str, str],
    title: str,
    legend_title: str = "",
    open_label: str | None = None,
    filled_label: str | None = None,
    coarse_label: str | None = None,
    group_labels: Mapping[str, str] | None = None,
    kde: bool = True,
    bandwidth_km: float = DEFAULT_BANDWIDTH_KM,
    width: float = 7.6,
    height: float = 4.5,
) -> tuple[Figure, dict]:
    """Draw incidents over land, coastline and the country's EEZ, with a density layer.

    Parameters
    ----------
    points : DataFrame
        Columns ``longitude``, ``latitude`` (degrees, −180…180), ``group`` (a key of
        ``groups``), optional ``filled`` (bool; default True), ``coarse`` (bool: the
        position is only approximate; drawn as a square) and ``in_kde`` (bool: the point
        enters the density layer; default all). Rows without a position are ignored (and
        counted).
    iso3 : str
        The brief's country (its land is shaded darker and its EEZ outlined).
    layers : MapLayers
        Base layers from the table store (:func:`map_layers`).
    extent : Extent, optional
        Map window; default :func:`country_extent`.
    groups : mapping of str to str
        Group label → colour, in legend order.
    title : str
        Axes title.
    legend_title, open_label, filled_label, coarse_label : str, optional
        Legend texts (marker meanings are listed only when a label is given).
    group_labels : mapping of str to str, optional
        Shown legend text of a group (e.g. translated); default the group label itself.
    kde : bool, default True
        Draw the kernel density of the positions inside the window.
    bandwidth_km : float
        Kernel standard deviation of the density layer, km.
    width, height : float
        Figure size in inches.

    Returns
    -------
    (Figure, dict)
        The figure and its values: ``n_points`` (with a position), ``n_in_window``,
        ``n_outside_window``, ``n_without_position``, ``extent``, ``longitudes_shifted``
        and ``kde`` (see :func:`kde_layer`, without the grid).
    """
    if extent is None:  # the country's EEZ, widened to the incidents just outside it
        base = country_extent(iso3, layers)
        extent = points_extent(base, points_in_window(points, base)[0])
    fig, ax = _map_axes(extent, width, height)
    eez_rows = _draw_base(ax, layers, iso3, extent)
    pts, shown, n_without = points_in_window(points, extent)
    kde_values = _draw_density(ax, shown, extent, kde, bandwidth_km)
    cluster_sizes = _draw_points(ax, shown, groups, extent)
    own_name = _own_name(layers, iso3)
    places = place_labels(ax, window_countries(layers, extent), own_name, *extent.as_tuple())
    scale_km = scale_bar(ax, *extent.as_tuple())
    labels = {
        "filled": filled_label,
        "open": open_label,
        "coarse": coarse_label,
        "groups": dict(group_labels or {}),
    }
    handles = _legend_handles(shown, groups, labels, eez_rows, kde and kde_values["applied"])
    if handles:
        ax.legend(
            handles=handles,
            title=legend_title or None,
            loc="center left",
            bbox_to_anchor=(1.01, 0.5),
            fontsize=7,
            title_fontsize=8,
        )
    _finish_axes(ax, extent, title)
    values = {
        "n_points": len(pts),
        "n_in_window": len(shown),
        "n_outside_window": int(len(pts) - len(shown)),
        "n_without_position": n_without,
        "extent": extent.as_list(),
        "longitudes_shifted": extent.shifted,
        "kde": kde_values,
        "clustered_markers": len(cluster_sizes),
        "cluster_sizes": cluster_sizes,
        "scale_bar_km": scale_km,
        "places": places,
    }
    return fig, values


def _own_name(layers: MapLayers, iso3: str) -> str:
    """Return the Natural Earth name of the brief's country ("" when it has no row)."""
    countries = layers.countries
    own = countries[countries["country_iso3"].eq(iso3).fillna(False).to_numpy()]
    return str(own["name"].iloc[0]) if len(own) and "name" in own else ""
