"""Geodesy on a spherical Earth: one radius, great-circle distances, unit vectors.

Every distance in the package (incident links, distance to shore, storm passages, EEZ
construction) uses :data:`EARTH_RADIUS_KM`.
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG R1), km."""


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Return the great-circle distance in km between points given in degrees (vectorised).

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : float or array_like
        Latitudes and longitudes in degrees (any longitude convention).

    Returns
    -------
    numpy.ndarray
        Distances on a sphere of radius :data:`EARTH_RADIUS_KM` (NaN where a coordinate is).
    """
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(v, dtype="float64")) for v in (lat1, lon1, lat2, lon2)
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def unit_vectors(lon, lat) -> np.ndarray:
    """Return the 3-D unit vectors of points given in degrees, shape ``(n, 3)``."""
    lon_r = np.radians(np.asarray(lon, dtype="float64"))
    lat_r = np.radians(np.asarray(lat, dtype="float64"))
    cos_lat = np.cos(lat_r)
    return np.column_stack([cos_lat * np.cos(lon_r), cos_lat * np.sin(lon_r), np.sin(lat_r)])


def chord_to_km(chord: np.ndarray) -> np.ndarray:
    """Convert chord lengths between unit vectors to great-circle km."""
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(np.asarray(chord) / 2.0, 0.0, 1.0))


def km_to_chord(km: float) -> float:
    """Chord length between unit vectors ``km`` apart on the sphere (inverse of the above)."""
    return 2.0 * float(np.sin(min(km / EARTH_RADIUS_KM, np.pi) / 2))


def destination(lat, lon, bearing_deg, distance_km) -> tuple[np.ndarray, np.ndarray]:
    """Return the point ``distance_km`` from ``(lat, lon)`` along ``bearing_deg`` (sphere).

    Arrays broadcast; longitudes come back in [-180, 180).
    """
    phi, lam = np.radians(lat), np.radians(lon)
    theta, delta = np.radians(bearing_deg), np.asarray(distance_km) / EARTH_RADIUS_KM
    phi2 = np.arcsin(np.sin(phi) * np.cos(delta) + np.cos(phi) * np.sin(delta) * np.cos(theta))
    lam2 = lam + np.arctan2(
        np.sin(theta) * np.sin(delta) * np.cos(phi), np.cos(delta) - np.sin(phi) * np.sin(phi2)
    )
    return np.degrees(phi2), (np.degrees(lam2) + 180.0) % 360.0 - 180.0
