"""Distances from storm tracks to a country's land: the geometry behind cyclone exposure.

:class:`LandDistance` measures great-circle distances from points to a (multi)polygon's land
(a k-d tree of unit vectors over the densified boundary, so the ±180° meridian needs no
special case); :func:`densify_tracks` interpolates tracks so a fast storm cannot jump over a
distance band between two fixes; :func:`storm_passages` summarises the measured points into
one row per track (closest approach, strongest wind within each distance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from osa_analysis.core.geo import chord_to_km, haversine_km, km_to_chord, unit_vectors

INTERP_STEP_KM = 10.0
"""Tracks are interpolated to at most this spacing before distances are measured."""

MAX_SEGMENT_KM = 1000.0
"""Consecutive fixes farther apart than this (data gaps) are not interpolated between."""

BOUNDARY_STEP_DEG = 0.02
"""Country boundaries are densified to at most this spacing (about 2 km) for distances."""


class LandDistance:
    """Great-circle distance (km) from points to a (multi)polygon's land.

    The polygon boundary is densified to ``step_deg`` and its points go into a k-d tree of
    3-D unit vectors; a query point's nearest boundary point gives its distance (error at
    most half the spacing, about 1 km), and points inside the polygon get 0. Boundary
    pieces that Natural Earth adds where it cuts a polygon at ±180° lie on land, so they
    never make a distance too small; no longitude shifting is needed.

    Parameters
    ----------
    geom : shapely geometry
        Polygon or MultiPolygon in lon/lat degrees (−180…180).
    step_deg : float
        Densification step of the boundary, in degrees.
    """

    def __init__(self, geom: shapely.Geometry, step_deg: float = BOUNDARY_STEP_DEG) -> None:
        if geom is None or shapely.is_empty(geom):
            raise ValueError("empty geometry")
        self.geom = geom
        shapely.prepare(geom)
        coords = shapely.get_coordinates(shapely.segmentize(shapely.boundary(geom), step_deg))
        self.n_boundary_points = len(coords)
        xyz = unit_vectors(coords[:, 0], coords[:, 1])
        self._tree = cKDTree(xyz)
        self._bounds = shapely.bounds(geom)
        # a centre and radius bounding every boundary point (for exact pre-filtering)
        centre = xyz.mean(axis=0)
        self._centre = centre / np.linalg.norm(centre)
        self.radius_km = float(self._centre_km(xyz).max())

    def _centre_km(self, xyz: np.ndarray) -> np.ndarray:
        return chord_to_km(np.linalg.norm(xyz - self._centre, axis=1))

    def __call__(self, lon: np.ndarray, lat: np.ndarray, max_km: float | None = None) -> np.ndarray:
        """Return distances in km (``inf`` beyond ``max_km`` when it is given).

        Parameters
        ----------
        lon, lat : array_like
            Query points in degrees.
        max_km : float, optional
            Distances beyond this are not computed (``inf``).

        Returns
        -------
        numpy.ndarray
            Kilometres; 0 inside the polygon.

        Notes
        -----
        Give ``max_km`` for speed: a bounded k-d tree query is fast, while an unbounded one
        is slow for points far from a compact boundary (every boundary point is then at
        nearly the same distance). Points whose distance to the bounding circle already
        exceeds ``max_km`` are not queried at all.
        """
        lon = np.asarray(lon, dtype="float64")
        lat = np.asarray(lat, dtype="float64")
        km = np.full(lon.shape, np.inf)
        if lon.size == 0:
            return km
        xyz = unit_vectors(lon, lat)
        if max_km is None:
            todo = np.arange(lon.size)
            bound = np.inf
        else:
            todo = np.flatnonzero(self._centre_km(xyz) - self.radius_km <= max_km)
            bound = km_to_chord(max_km) * 1.000001
        if todo.size:
            chord, _ = self._tree.query(xyz[todo], distance_upper_bound=bound)
            finite = np.isfinite(chord)
            km[todo[finite]] = chord_to_km(chord[finite])
        minx, miny, maxx, maxy = self._bounds
        candidate = np.flatnonzero((lat >= miny) & (lat <= maxy) & (lon >= minx) & (lon <= maxx))
        if candidate.size:
            inside = shapely.contains_xy(self.geom, lon[candidate], lat[candidate])
            km[candidate[inside]] = 0.0
        return km

    def closest(self, lon: np.ndarray, lat: np.ndarray) -> tuple[int, float]:
        """Return the position and distance (km) of the point closest to the land.

        Parameters
        ----------
        lon, lat : array_like
            Query points in degrees (at least one).

        Returns
        -------
        tuple
            ``(index, km)`` of the closest point.

        Notes
        -----
        Exact and fast: only points whose lower bound (distance to the bounding circle)
        does not exceed the smallest upper bound are measured.
        """
        lon = np.asarray(lon, dtype="float64")
        lat = np.asarray(lat, dtype="float64")
        if lon.size == 0:
            raise ValueError("no points")
        centre_km = self._centre_km(unit_vectors(lon, lat))
        todo = np.flatnonzero(centre_km - self.radius_km <= (centre_km + self.radius_km).min())
        km = self(lon[todo], lat[todo])
        k = int(np.argmin(km))
        return int(todo[k]), float(km[k])


def densify_tracks(
    points: pd.DataFrame,
    step_km: float = INTERP_STEP_KM,
    max_segment_km: float = MAX_SEGMENT_KM,
    near_km: float | None = None,
) -> pd.DataFrame:
    """Interpolate tracks so consecutive points are at most ``step_km`` apart.

    Parameters
    ----------
    points : pandas.DataFrame
        Fixes in track order with columns ``track`` (int, one code per agency and storm),
        ``latitude``, ``longitude`` (−180…180), ``wind_kt``, ``wind_avg_period_min``
        (float, NaN when unknown), ``time_ns`` (int64 nanoseconds) and ``basin_code`` (int).
    step_km : float
        Largest spacing after interpolation.
    max_segment_km : float
        Segments longer than this (gaps in the record) are left alone.
    near_km : float, optional
        With a ``distance_km`` column (distance of each fix to the area of interest), only
        segments that can come within ``near_km`` are interpolated: a point of a segment is
        at most half its length from an endpoint, so a segment whose nearer endpoint is
        farther than ``near_km`` plus half its length cannot.

    Returns
    -------
    pandas.DataFrame
        The input rows (``interpolated`` False) followed by the inserted points
        (``interpolated`` True). Inserted positions are linear in latitude and in the
        shorter longitude difference (so across ±180° too). An inserted point takes the
        basin of the nearer of its two fixes and the wind and averaging period of the
        nearer fix that has a wind (so every wind shown is a best-track value, never an
        interpolated one); times are linear when they increase, else the start's.
    """
    out = points[
        [
            "track",
            "latitude",
            "longitude",
            "wind_kt",
            "wind_avg_period_min",
            "time_ns",
            "basin_code",
        ]
    ].copy()
    out["interpolated"] = False
    n = len(out)
    if n < 2:
        return out.reset_index(drop=True)
    track = out["track"].to_numpy()
    lat = out["latitude"].to_numpy(dtype="float64")
    lon = out["longitude"].to_numpy(dtype="float64")
    wind = out["wind_kt"].to_numpy(dtype="float64")
    period = out["wind_avg_period_min"].to_numpy(dtype="float64")
    time_ns = out["time_ns"].to_numpy(dtype="int64")
    basin = out["basin_code"].to_numpy()
    seg_km = haversine_km(lat[:-1], lon[:-1], lat[1:], lon[1:])
    ok = (track[1:] == track[:-1]) & (seg_km <= max_segment_km) & (seg_km > step_km)
    if near_km is not None:
        dist = points["distance_km"].to_numpy(dtype="float64")
        ok &= np.minimum(dist[:-1], dist[1:]) - seg_km / 2 <= near_km
    n_sub = np.where(ok, np.ceil(seg_km / step_km), 1).astype("int64")
    n_new = n_sub - 1
    total = int(n_new.sum())
    if total == 0:
        return out.reset_index(drop=True)
    seg = np.repeat(np.arange(n - 1), n_new)
    first_of_seg = np.repeat(np.cumsum(n_new) - n_new, n_new)
    k = np.arange(total) - first_of_seg + 1
    frac = k / n_sub[seg]
    i, j = seg, seg + 1
    dlon = (lon[j] - lon[i] + 180.0) % 360.0 - 180.0
    new_lon = (lon[i] + frac * dlon + 180.0) % 360.0 - 180.0
    new_lat = lat[i] + frac * (lat[j] - lat[i])
    nearer = np.where(frac <= 0.5, i, j)
    other = np.where(frac <= 0.5, j, i)
    # the nearer fix's wind, or the other fix's when the nearer has none (IBTrACS WMO winds
    # are 6-hourly on a 3-hourly track)
    take = np.where(np.isfinite(wind[nearer]), nearer, other)
    new_wind = wind[take]
    new_period = period[take]
    dt = time_ns[j] - time_ns[i]
    new_time = np.where(dt >= 0, time_ns[i] + np.round(frac * dt).astype("int64"), time_ns[i])
    inserted = pd.DataFrame(
        {
            "track": track[i],
            "latitude": new_lat,
            "longitude": new_lon,
            "wind_kt": new_wind,
            "wind_avg_period_min": new_period,
            "time_ns": new_time,
            "basin_code": basin[nearer],
            "interpolated": True,
        }
    )
    return pd.concat([out, inserted], ignore_index=True)


def storm_passages(
    points: pd.DataFrame,
    distances_km: tuple[int, ...] = (100, 200, 500),
    storm_wind_kt: float = 34,
    intense_wind_kt: float = 64,
) -> pd.DataFrame:
    """Summarise track points with distances into one row per track.

    Parameters
    ----------
    points : pandas.DataFrame
        Columns ``track``, ``distance_km``, ``wind_kt``, ``wind_avg_period_min``,
        ``time_ns``, ``basin_code``.
    distances_km : tuple of int
        Distances (km) at which passages are counted.
    storm_wind_kt, intense_wind_kt : float
        Gale and hurricane-force thresholds (each agency's own averaging period).

    Returns
    -------
    pandas.DataFrame
        Index ``track``. ``min_distance_km``, ``closest_time_ns``, ``closest_basin_code``
        and, per distance ``D``: ``within_D`` (bool), ``max_wind_D`` (kt, the largest wind
        at a point within D; NaN if none), ``max_wind_period_D`` (its averaging period),
        ``storm_D`` (a point within D has wind ≥ ``storm_wind_kt``) and ``intense_D``
        (≥ ``intense_wind_kt``), each wind in its own averaging period.
    """
    pts = points.sort_values(["track", "distance_km", "time_ns"], kind="stable")
    closest = pts.drop_duplicates("track").set_index("track")
    out = pd.DataFrame(
        {
            "min_distance_km": closest["distance_km"],
            "closest_time_ns": closest["time_ns"],
            "closest_basin_code": closest["basin_code"],
        }
    )
    for d in distances_km:
        near = points[points["distance_km"] <= d]
        by_wind = near.sort_values(
            ["track", "wind_kt"], ascending=[True, False], na_position="last", kind="stable"
        )
        top = by_wind.drop_duplicates("track").set_index("track")
        out[f"within_{d}"] = out.index.isin(top.index)
        out[f"max_wind_{d}"] = top["wind_kt"].reindex(out.index)
        out[f"max_wind_period_{d}"] = top["wind_avg_period_min"].reindex(out.index)
        out[f"storm_{d}"] = out[f"max_wind_{d}"].ge(storm_wind_kt).fillna(False)
        out[f"intense_{d}"] = out[f"max_wind_{d}"].ge(intense_wind_kt).fillna(False)
    return out
