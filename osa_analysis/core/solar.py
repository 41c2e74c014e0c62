"""Solar position (NOAA algorithm) and day / twilight / night classes, vectorised with numpy.

The equations are those of the NOAA Global Monitoring Laboratory solar calculator
(https://gml.noaa.gov/grad/solcalc/calcdetails.html, after Meeus, *Astronomical
Algorithms*): accurate to about a minute of time for sunrise and sunset and to better
than 0.1° in elevation between ±72° latitude for years 1800–2100, which is far finer than
incident times (often rounded to 5–30 minutes) need.

Darkness classes (IFC "period of darkness"; ReCAAP "hours of darkness") are set on the
*geometric* elevation of the centre of the Sun (no refraction), with the conventional
thresholds:

* ``day``: elevation > −0.833° (the upper limb is above the horizon once standard
  refraction, 34′, and the semi-diameter, 16′, are allowed for: sunrise to sunset);
* ``twilight``: −6° < elevation ≤ −0.833° (civil twilight);
* ``night``: elevation ≤ −6°.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SUNRISE_ELEVATION_DEG = -0.833
"""Geometric elevation of the Sun's centre at sunrise and sunset."""
CIVIL_TWILIGHT_DEG = -6.0
"""Geometric elevation at the end of civil twilight."""
DARKNESS_CLASSES = ("day", "twilight", "night")
"""Values returned by :func:`darkness`, lightest first."""

_UNIX_EPOCH_JD = 2440587.5
_J2000_JD = 2451545.0


def _julian_day(times_utc) -> np.ndarray:
    """Julian day (float) of UTC times (naive = UTC, or tz-aware of any zone)."""
    idx = pd.DatetimeIndex(pd.to_datetime(np.atleast_1d(times_utc)))
    if idx.tz is not None:
        idx = idx.tz_convert("UTC").tz_localize(None)
    ns = idx.to_numpy("datetime64[ns]").astype("int64").astype(float)
    ns[np.asarray(idx.isna())] = np.nan
    return ns / 86_400e9 + _UNIX_EPOCH_JD


def _sun(jd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Declination (degrees) and equation of time (minutes) at Julian days ``jd``."""
    jc = (jd - _J2000_JD) / 36525.0
    mean_long = np.mod(280.46646 + jc * (36000.76983 + jc * 0.0003032), 360.0)
    mean_anom = 357.52911 + jc * (35999.05029 - 0.0001537 * jc)
    ecc = 0.016708634 - jc * (0.000042037 + 0.0000001267 * jc)
    m = np.radians(mean_anom)
    centre = (
        np.sin(m) * (1.914602 - jc * (0.004817 + 0.000014 * jc))
        + np.sin(2 * m) * (0.019993 - 0.000101 * jc)
        + np.sin(3 * m) * 0.000289
    )
    true_long = mean_long + centre
    omega = np.radians(125.04 - 1934.136 * jc)
    app_long = true_long - 0.00569 - 0.00478 * np.sin(omega)
    mean_obliq = (
        23.0 + (26.0 + (21.448 - jc * (46.815 + jc * (0.00059 - jc * 0.001813))) / 60.0) / 60.0
    )
    obliq = np.radians(mean_obliq + 0.00256 * np.cos(omega))
    decl = np.degrees(np.arcsin(np.sin(obliq) * np.sin(np.radians(app_long))))
    y = np.tan(obliq / 2) ** 2
    l0 = np.radians(mean_long)
    eot = 4.0 * np.degrees(
        y * np.sin(2 * l0)
        - 2 * ecc * np.sin(m)
        + 4 * ecc * y * np.sin(m) * np.cos(2 * l0)
        - 0.5 * y * y * np.sin(4 * l0)
        - 1.25 * ecc * ecc * np.sin(2 * m)
    )
    return decl, eot


def solar_declination(times_utc) -> np.ndarray:
    """Return the Sun's apparent declination in degrees at UTC times.

    Parameters
    ----------
    times_utc : datetime-like or array of datetime-like
        UTC times (naive values are taken as UTC).

    Returns
    -------
    numpy.ndarray
        Degrees, NaN where the time is missing.
    """
    return _sun(_julian_day(times_utc))[0]


def solar_elevation(times_utc, latitude, longitude, *, refraction: bool = False) -> np.ndarray:
    """Return the solar elevation angle in degrees (NOAA algorithm), element-wise.

    Parameters
    ----------
    times_utc : datetime-like or array of datetime-like
        UTC times (naive values are taken as UTC; tz-aware values are converted).
    latitude, longitude : float or array of float
        Position in degrees (north and east positive); broadcast against ``times_utc``.
    refraction : bool, default False
        Add NOAA's approximate atmospheric refraction (apparent elevation). Leave False
        for :func:`darkness`, whose thresholds are on the geometric elevation.

    Returns
    -------
    numpy.ndarray
        Elevation in degrees (−90…90); NaN where any input is missing.
    """
    jd = _julian_day(times_utc)
    lat = np.asarray(latitude, dtype=float)
    lon = np.asarray(longitude, dtype=float)
    decl, eot = _sun(jd)
    minutes_utc = np.mod(jd - 0.5, 1.0) * 1440.0
    true_solar = np.mod(minutes_utc + eot + 4.0 * lon, 1440.0)
    hour_angle = np.radians(true_solar / 4.0 - 180.0)
    phi, delta = np.radians(lat), np.radians(decl)
    cos_zen = np.sin(phi) * np.sin(delta) + np.cos(phi) * np.cos(delta) * np.cos(hour_angle)
    elev = 90.0 - np.degrees(np.arccos(np.clip(cos_zen, -1.0, 1.0)))
    if refraction:
        elev = elev + _refraction_deg(elev)
    return np.asarray(elev, dtype=float)


def _refraction_deg(elev: np.ndarray) -> np.ndarray:
    """NOAA's approximate atmospheric refraction (degrees) for a geometric elevation."""
    e = np.asarray(elev, dtype=float)
    t = np.tan(np.radians(np.where(np.abs(e) < 1e-9, 1e-9, e)))
    arcsec = np.select(
        [e > 85, e > 5, e > -0.575],
        [
            0.0,
            58.1 / t - 0.07 / t**3 + 0.000086 / t**5,
            1735 + e * (-518.2 + e * (103.4 + e * (-12.79 + e * 0.711))),
        ],
        -20.772 / t,
    )
    return arcsec / 3600.0


def darkness(elevation_deg) -> np.ndarray:
    """Classify solar elevations as ``day``, ``twilight`` (civil) or ``night``.

    Parameters
    ----------
    elevation_deg : float or array of float
        Geometric solar elevation in degrees (:func:`solar_elevation`).

    Returns
    -------
    numpy.ndarray of object
        ``"day"`` (elevation > −0.833°), ``"twilight"`` (−6° < elevation ≤ −0.833°),
        ``"night"`` (elevation ≤ −6°), ``None`` where the elevation is NaN.
    """
    e = np.atleast_1d(np.asarray(elevation_deg, dtype=float))
    out = np.full(e.shape, None, dtype=object)
    out[e > SUNRISE_ELEVATION_DEG] = "day"
    out[(e <= SUNRISE_ELEVATION_DEG) & (e > CIVIL_TWILIGHT_DEG)] = "twilight"
    out[e <= CIVIL_TWILIGHT_DEG] = "night"
    return out


def sun_times(date, latitude: float, longitude: float) -> dict[str, pd.Timestamp | None]:
    """Return sunrise, solar noon and sunset (UTC) of one UTC calendar day at a position.

    The solar quantities are evaluated at the day's solar noon (NOAA's spreadsheet
    evaluates them once per day too), so the times are within about a minute.

    Parameters
    ----------
    date : date-like
        The day (its UTC date is used).
    latitude, longitude : float
        Position in degrees (north and east positive).

    Returns
    -------
    dict
        ``sunrise``, ``solar_noon``, ``sunset`` as tz-aware UTC Timestamps; sunrise and
        sunset are ``None`` during polar day or night.
    """
    day = pd.Timestamp(date)
    day = (day.tz_convert("UTC").tz_localize(None) if day.tzinfo else day).normalize()
    noon_min = 720.0 - 4.0 * longitude
    for _ in range(2):  # evaluate at the noon estimate, then refine once
        decl, eot = _sun(_julian_day(day + pd.to_timedelta(noon_min, unit="min")))
        noon_min = 720.0 - 4.0 * longitude - float(eot[0])
    phi, delta = np.radians(latitude), np.radians(float(decl[0]))
    cos_ha = np.cos(np.radians(90.0 - SUNRISE_ELEVATION_DEG)) / (
        np.cos(phi) * np.cos(delta)
    ) - np.tan(phi) * np.tan(delta)
    noon = (day + pd.to_timedelta(noon_min, unit="min")).tz_localize("UTC")
    if not -1.0 <= cos_ha <= 1.0:
        return {"sunrise": None, "solar_noon": noon, "sunset": None}
    half = pd.to_timedelta(4.0 * np.degrees(np.arccos(cos_ha)), unit="min")
    return {"sunrise": noon - half, "solar_noon": noon, "sunset": noon + half}
