"""When incidents happen: local time, UTC time, the Sun's elevation and darkness.

Sources give a local clock time (``time_local``) with or without a UTC offset, or a UTC
time. :func:`incident_times` turns each into UTC (the source's own UTC time first, then the
source's offset, then the country's standard offset of :data:`STANDARD_UTC_OFFSET_H`) and
classes it as day, civil twilight or night from the Sun's elevation at the incident
position (:mod:`osa_analysis.core.solar`). :func:`time_of_day_summary` counts the classes
and gives the shares in darkness with exact binomial intervals.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from osa_analysis.analyse.incident_tables import share_pct
from osa_analysis.core.solar import (
    CIVIL_TWILIGHT_DEG,
    SUNRISE_ELEVATION_DEG,
    darkness,
    solar_elevation,
)
from osa_analysis.core.stats import binomial_interval

MIN_TIMED_EVENTS = 10
"""Fewer incidents with a usable time than this: no darkness shares are given."""

STANDARD_UTC_OFFSET_H: dict[str, float] = {
    "PHL": 8.0,  # Philippine Standard Time
    "MYS": 8.0,  # Malaysia Time
    "BGD": 6.0,  # Bangladesh Standard Time
    "FJI": 12.0,  # Fiji Time (standard; no DST observed since 2022)
    "LKA": 5.5,  # Sri Lanka Standard Time
    "THA": 7.0,  # Indochina Time
    "TLS": 9.0,  # Timor-Leste Time
    "PNG": 10.0,  # Papua New Guinea Time (Bougainville +11 ignored)
    "TON": 13.0,  # Tonga Time
    "DJI": 3.0,  # East Africa Time
    "MNG": 8.0,  # Ulaanbaatar Time (landlocked; listed for completeness)
}
"""Standard UTC offset of each recipient, used when an incident has a local time but its
source gives no offset (ASAM, IMB). Indonesia has three zones (:data:`IDN_ZONES`)."""
IDN_ZONES = ((114.5, 7.0), (127.0, 8.0), (math.inf, 9.0))
"""Indonesian zones by longitude: west of 114.5°E WIB (+7: Sumatra, Java, West and Central
Kalimantan), to 127°E WITA (+8: Bali, Nusa Tenggara, Sulawesi, East and South
Kalimantan), east of it WIT (+9: Maluku, Papua). An approximation of the provincial
boundaries, good to one zone at sea."""
LOCAL_HOURS = (0, 23)
"""First and last local hour of the time-of-day counts."""


def standard_utc_offset(iso3: str, longitude) -> np.ndarray:
    """Return the standard UTC offset (hours) of a country at longitudes (NaN if unknown).

    Indonesia's zone follows :data:`IDN_ZONES`; other countries use
    :data:`STANDARD_UTC_OFFSET_H`.
    """
    lon = np.atleast_1d(np.asarray(longitude, dtype=float))
    if iso3 == "IDN":
        out = np.full(lon.shape, np.nan)
        lower = -np.inf
        for edge, offset in IDN_ZONES:
            out[(lon >= lower) & (lon < edge)] = offset
            lower = edge
        return out
    return np.full(lon.shape, STANDARD_UTC_OFFSET_H.get(iso3, np.nan))


def _clock(time_local: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return the hour (NaN unless a valid ``HH:MM``) and minute of local clock times."""
    hhmm = time_local.astype("string").str.extract(r"^(\d{2}):(\d{2})$")
    hour = pd.to_numeric(hhmm[0], errors="coerce")
    minute = pd.to_numeric(hhmm[1], errors="coerce")
    valid_clock = hour.between(0, 23) & minute.between(0, 59)
    return hour.where(valid_clock), minute


def _offsets(events: pd.DataFrame, iso3: str) -> tuple[pd.Series, pd.Series]:
    """Return each event's UTC offset (the source's, else standard) and where it came from."""
    src_offset = pd.to_numeric(events["utc_offset_h"], errors="coerce")
    std_offset = pd.Series(
        standard_utc_offset(iso3, events["longitude"].to_numpy(float)), index=events.index
    )
    offset = src_offset.fillna(std_offset)
    basis = pd.Series(
        np.where(src_offset.notna(), "source", np.where(std_offset.notna(), "standard", None)),
        index=events.index,
        dtype="object",
    )
    return offset, basis


def incident_times(events: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """Local hour, UTC time, solar elevation and darkness class of each event.

    UTC time is the source's own (``datetime_utc``) when given; otherwise local date and
    ``time_local`` minus ``utc_offset_h``, or minus the country's standard offset
    (:func:`standard_utc_offset`) when the source gives none.

    Parameters
    ----------
    events : pandas.DataFrame
        Harmonised events (``date``, ``time_local``, ``utc_offset_h``, optional
        ``datetime_utc``, ``latitude``, ``longitude``).
    iso3 : str
        The coastal state (its standard offset).

    Returns
    -------
    pandas.DataFrame
        Same index as ``events``: ``local_hour`` (Int64), ``offset_h``, ``offset_basis``
        (``source``/``standard``/NA), ``datetime_utc`` (naive UTC), ``elevation_deg``,
        ``darkness`` (day/twilight/night or NA when time, offset or position is missing).
    """
    hour, minute = _clock(events["time_local"])
    offset, basis = _offsets(events, iso3)
    local = events["date"] + pd.to_timedelta(hour * 60 + minute, unit="min")
    utc = local - pd.to_timedelta(offset, unit="h")
    if "datetime_utc" in events:
        given = pd.to_datetime(events["datetime_utc"], utc=True).dt.tz_localize(None)
        utc = given.where(given.notna(), utc)
    utc = utc.where(hour.notna())
    basis = basis.where(hour.notna().to_numpy() & utc.notna().to_numpy(), None)
    elev = solar_elevation(
        utc.to_numpy("datetime64[ns]"),
        events["latitude"].to_numpy(float),
        events["longitude"].to_numpy(float),
    )
    return pd.DataFrame(
        {
            "local_hour": hour.astype("Int64"),
            "offset_h": offset.where(hour.notna()),
            "offset_basis": basis,
            "datetime_utc": utc,
            "elevation_deg": elev,
            "darkness": pd.array(darkness(elev), dtype="string"),
        },
        index=events.index,
    )


def time_of_day_summary(times: pd.DataFrame) -> dict:
    """Count incidents by local hour and darkness class; give the shares in darkness.

    Parameters
    ----------
    times : pandas.DataFrame
        :func:`incident_times` output.

    Returns
    -------
    dict
        ``n_events``, ``n_with_time`` (a valid local clock time), ``n_offset_source``,
        ``n_offset_standard``, ``n_classified`` (time, offset and position known),
        ``counts`` (day/twilight/night), ``by_hour`` (24 counts of local hours),
        ``enough`` (at least :data:`MIN_TIMED_EVENTS` classified),
        ``share_night_pct`` and ``share_dark_pct`` (twilight or night) with exact
        binomial 95% intervals (``*_interval_pct``); shares are None when not ``enough``.
    """
    n_class = int(times["darkness"].notna().sum())
    counts = {k: int(times["darkness"].eq(k).sum()) for k in ("day", "twilight", "night")}
    by_hour = (
        times["local_hour"].dropna().astype(int).value_counts().reindex(range(24), fill_value=0)
    )
    out = {
        "n_events": len(times),
        "n_with_time": int(times["local_hour"].notna().sum()),
        "n_offset_source": int(times["offset_basis"].eq("source").sum()),
        "n_offset_standard": int(times["offset_basis"].eq("standard").sum()),
        "n_classified": n_class,
        "counts": counts,
        "by_hour": [int(v) for v in by_hour.to_numpy()],
        "enough": n_class >= MIN_TIMED_EVENTS,
        "share_night_pct": None,
        "share_night_interval_pct": None,
        "share_dark_pct": None,
        "share_dark_interval_pct": None,
    }
    if n_class >= MIN_TIMED_EVENTS:
        dark = counts["night"] + counts["twilight"]
        for key, k in (("night", counts["night"]), ("dark", dark)):
            lo, hi = binomial_interval(k, n_class)
            out[f"share_{key}_pct"] = share_pct(k, n_class)
            out[f"share_{key}_interval_pct"] = [round(100 * lo, 1), round(100 * hi, 1)]
    return out


def time_of_day_method() -> dict:
    """Return the conversion tables and thresholds behind :func:`incident_times`.

    Returns
    -------
    dict
        ``standard_offsets_h`` (:data:`STANDARD_UTC_OFFSET_H`), ``idn_zones`` (eastern
        edge in degrees, None for the last zone, and offset) and ``thresholds_deg``
        (sunrise and civil-twilight elevations, the range of local hours).
    """
    return {
        "standard_offsets_h": dict(STANDARD_UTC_OFFSET_H),
        "idn_zones": [[e if math.isfinite(e) else None, o] for e, o in IDN_ZONES],
        "thresholds_deg": {
            "sunrise": SUNRISE_ELEVATION_DEG,
            "civil_twilight": CIVIL_TWILIGHT_DEG,
            "hours": list(LOCAL_HOURS),
        },
    }
