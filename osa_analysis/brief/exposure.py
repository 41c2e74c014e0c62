"""Section 6: tropical-cyclone exposure; plus the country's maritime capacity facts.

Cyclone exposure
    Every best-track fix of the common fix table
    (:func:`osa_analysis.sources.loaders.hazards.tracks_fixes`: IBTrACS with the WMO agency's winds,
    IBTrACS with the US agencies' winds, JTWC Western North Pacific, IMD North Indian Ocean)
    is measured against the country's land (Natural Earth 1:50m country polygons). Tracks are
    first interpolated to steps of at most :data:`INTERP_STEP_KM`, so a fast storm cannot
    jump over the 100 km band between two six-hourly fixes. Distances are great-circle
    distances from each track point to the nearest point of the country's densified boundary
    (a k-d tree of unit vectors, so the ±180° meridian needs no special case: Fiji and Tonga
    are measured like any other country), and 0 for points over the country's land.

    Storms are counted **per agency** and per season (distinct storm ids whose track comes
    within 100, 200 or 500 km), never summed across agencies: the agencies track different
    systems, overlap in time (WP 2021 is in both JTWC and IBTrACS) and measure winds over
    different averaging periods (1, 3 or 10 minutes). Wind thresholds (34 kt, 64 kt) are
    applied to each agency's own winds in its own averaging period and labelled so. A season
    counts only when the agency's files cover every basin the country's storms come from for
    the whole season (:data:`AGENCY_PERIODS`); other seasons are missing, never zero.

Capacity facts
    :func:`capacity_facts` (stable keys, imported by the maritime section for thin-data
    countries) and :func:`capacity_table`: EEZ area, coastline length, military expenditure
    (% of GDP and US$), armed forces personnel.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd
import shapely
from matplotlib.collections import LineCollection
from matplotlib.ticker import MaxNLocator
from scipy.spatial import cKDTree
from scipy.stats import chi2

from osa_analysis.analyse import geography
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.brief.style import ACCENT, NEUTRAL, figure
from osa_analysis.core.countries import country_name
from osa_analysis.core.geo import chord_to_km, haversine_km, km_to_chord, unit_vectors
from osa_analysis.sources.loaders.hazards import AGENCY_COVERAGE

HAZARD_SOURCE_IDS = (
    "ibtracs_sp",
    "ibtracs_last3years",
    "jtwc_wnp",
    "imd_observations",
    "imd_storms",
    "imd_remarks",
    "imd_manifest",
)
"""Registry ids behind the cyclone fix table (its cache key)."""

DISTANCES_KM = (100, 200, 500)
"""Distances from the country's land at which passing storms are counted."""

HEADLINE_KM = 200
"""The distance used for the chart, the intense-storm list and the key figures."""

STORM_WIND_KT = 34
"""Gale force: the naming threshold of every agency here (in its own averaging period)."""

INTENSE_WIND_KT = 64
"""Hurricane / typhoon / severe-cyclone force (in the agency's own averaging period)."""

RECENT_SEASONS = 10
"""Complete covered seasons behind the key figures (and the comparison period before)."""

INTERP_STEP_KM = 10.0
"""Tracks are interpolated to at most this spacing before distances are measured."""

MAX_SEGMENT_KM = 1000.0
"""Consecutive fixes farther apart than this (data gaps) are not interpolated between."""

BOUNDARY_STEP_DEG = 0.02
"""Country boundaries are densified to at most this spacing (about 2 km) for distances."""

CHART_FIRST_SEASON = 1980
"""First season in the chart (the satellite era; earlier records miss storms)."""

AGENCY_LABELS = {
    "ibtracs_wmo": "IBTrACS, WMO agency",
    "ibtracs_usa": "IBTrACS, US agencies",
    "jtwc": "JTWC best track",
    "imd": "IMD RSMC New Delhi",
}
"""Short names of the agencies of the fix table."""

AGENCY_PREFERENCE = ("ibtracs_wmo", "jtwc", "imd", "ibtracs_usa")
"""Tie-break order for the headline agency: the official RSMC record first."""

AGENCY_PERIODS: dict[str, dict[str, tuple[str, str]]] = {
    # IBTrACS: the SP file (v04r00, 1897-01-04 .. 2022-05-22) covers the SP basin; the
    # last-3-years file (v04r01, 2021-01-01 .. 2024-09-22) covers every basin.
    "ibtracs_wmo": {
        "SP": ("1897-01-04", "2024-09-22"),
        **{b: ("2021-01-01", "2024-09-22") for b in ("SI", "WP", "NI", "EP", "NA", "SA")},
    },
    # US-agency fixes start in the SP file in 1945 (AGENCY_COVERAGE: first SP fix 1945-01-30)
    "ibtracs_usa": {
        "SP": ("1945-01-30", "2024-09-22"),
        **{b: ("2021-01-01", "2024-09-22") for b in ("SI", "WP", "NI", "EP", "NA", "SA")},
    },
    # the compilation holds JTWC's best tracks through the 2021 season (last fix 2021-12-21)
    "jtwc": {"WP": ("1945-01-01", "2021-12-31")},
    # IMD's best-track archive starts with 1982; the registered file's last fix is 2026-01-10
    "imd": {"NI": ("1982-01-01", "2026-01-10")},
}
"""Periods each agency's registered files cover completely, per IBTrACS basin (inclusive).

From the registry coverage of ``ibtracs_sp``, ``ibtracs_last3years``, ``jtwc_wnp`` and
``imd_observations`` and :data:`osa_analysis.sources.loaders.hazards.AGENCY_COVERAGE`. Before 2021
the SP file holds only the South-Indian legs of SP storms, so SI is covered from 2021 only.
"""

SOUTHERN_BASINS = frozenset({"SP", "SI", "SA"})
"""Basins whose seasons run July–June and are named by the year they end (IBTrACS)."""

HAZARD_SOURCES = ("ibtracs_sp", "ibtracs_last3years", "jtwc_wnp", "imd_observations")
"""Registry ids behind the fix table."""

NAME_OPEN_AGENCIES = frozenset({"ibtracs_wmo", "ibtracs_usa", "jtwc"})
"""Agencies whose storm names may be shown (IMD's file is an internal source: ids only)."""


# --- geometry ---------------------------------------------------------------------------------


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


@cache
def _countries():
    from osa_analysis.sources.loaders.geography import load_ne_countries

    return load_ne_countries()


@cache
def country_land(iso3: str) -> shapely.Geometry | None:
    """Return the union of a country's Natural Earth 1:50m polygons (memoised)."""
    return geography.country_land(_countries(), iso3)


@cache
def _land_distance(iso3: str) -> LandDistance | None:
    geom = country_land(iso3)
    return None if geom is None else LandDistance(geom)


# --- tracks -----------------------------------------------------------------------------------


def _text_or_none(value) -> str | None:
    return value if isinstance(value, str) and value else None


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


@cache
def _prepared_fixes() -> tuple[pd.DataFrame, dict]:
    """Return the fix table ready for distances: spur tracks and suspect fixes removed, sorted.

    Returns the frame and counts of what was removed.
    """
    from osa_analysis.sources.cache import cached_table
    from osa_analysis.sources.loaders.hazards import tracks_fixes

    fixes = cached_table("tracks_fixes", HAZARD_SOURCE_IDS, tracks_fixes)
    spur = fixes["track_type"].fillna("").str.startswith("spur").to_numpy()
    suspect = fixes["fix_suspect"].to_numpy()
    removed = {
        "spur_track_fixes": int(spur.sum()),
        "spur_tracks": int(fixes.loc[spur, ["agency", "storm_id"]].drop_duplicates().shape[0]),
        "suspect_fixes": int((suspect & ~spur).sum()),
    }
    fixes = fixes[~spur & ~suspect]
    # IMD dates can be swapped (source flag not exhaustive): keep its file order; others by time
    order = np.where(
        fixes["agency"].eq("imd").to_numpy(),
        pd.to_numeric(fixes["record"], errors="coerce").fillna(0).to_numpy(dtype="int64"),
        fixes["time_utc"].to_numpy().astype("int64"),
    )
    fixes = fixes.assign(_order=order).sort_values(["agency", "storm_id", "_order"], kind="stable")
    basin = fixes["basin"].astype("string").fillna("MM")
    basin_codes, basin_names = pd.factorize(basin, sort=True)
    track = fixes.groupby(["agency", "storm_id"], sort=False).ngroup().to_numpy()
    prepared = pd.DataFrame(
        {
            "track": track.astype("int64"),
            "agency": fixes["agency"].to_numpy(),
            "storm_id": fixes["storm_id"].to_numpy(),
            "season": fixes["season"].to_numpy(dtype="float64", na_value=np.nan),
            "name": fixes["name"].to_numpy(dtype=object, na_value=None),
            "latitude": fixes["latitude"].to_numpy(dtype="float64"),
            "longitude": fixes["longitude"].to_numpy(dtype="float64"),
            "wind_kt": fixes["wind_kt"].to_numpy(dtype="float64", na_value=np.nan),
            "wind_avg_period_min": fixes["wind_avg_period_min"].to_numpy(
                dtype="float64", na_value=np.nan
            ),
            "time_ns": fixes["time_utc"].to_numpy().astype("int64"),
            "basin_code": basin_codes.astype("int64"),
        }
    )
    removed["basin_names"] = list(basin_names)
    return prepared, removed


def season_span(season: int, basin: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last day of a season.

    Parameters
    ----------
    season : int
        Season number (IBTrACS convention: southern seasons are named by the year they end).
    basin : str
        IBTrACS basin code.

    Returns
    -------
    tuple of pandas.Timestamp
        1 January–31 December, or 1 July of the previous year–30 June for
        :data:`SOUTHERN_BASINS`.
    """
    if basin in SOUTHERN_BASINS:
        return pd.Timestamp(season - 1, 7, 1), pd.Timestamp(season, 6, 30)
    return pd.Timestamp(season, 1, 1), pd.Timestamp(season, 12, 31)


def complete_seasons(agency: str, basins, as_of: pd.Timestamp) -> list[int]:
    """Return the seasons an agency's files cover completely in every given basin.

    Parameters
    ----------
    agency : str
        One of :data:`AGENCY_PERIODS`.
    basins : iterable of str
        Basins the country's storms come from. Basins the agency does not cover at all
        are ignored (the caller reports them); with none covered the list is empty.
    as_of : pandas.Timestamp
        A season counts only if it ended by this date.

    Returns
    -------
    list of int
        Ascending season numbers.
    """
    periods = AGENCY_PERIODS.get(agency, {})
    covered = [b for b in basins if b in periods]
    if not covered:
        return []
    first = min(pd.Timestamp(periods[b][0]).year for b in covered) - 1
    last = max(pd.Timestamp(periods[b][1]).year for b in covered) + 1
    seasons = []
    for season in range(first, last + 1):
        ok = True
        for b in covered:
            start, end = season_span(season, b)
            lo, hi = (pd.Timestamp(x) for x in periods[b])
            if start < lo or end > min(hi, as_of):
                ok = False
                break
        if ok:
            seasons.append(season)
    return seasons


def storm_passages(points: pd.DataFrame, distances_km=DISTANCES_KM) -> pd.DataFrame:
    """Summarise track points with distances into one row per track.

    Parameters
    ----------
    points : pandas.DataFrame
        Columns ``track``, ``distance_km``, ``wind_kt``, ``wind_avg_period_min``,
        ``time_ns``, ``basin_code``.
    distances_km : sequence of int

    Returns
    -------
    pandas.DataFrame
        Index ``track``. ``min_distance_km``, ``closest_time_ns``, ``closest_basin_code``
        and, per distance ``D``: ``within_D`` (bool), ``max_wind_D`` (kt, the largest wind
        at a point within D; NaN if none), ``max_wind_period_D`` (its averaging period),
        ``storm_D`` (a point within D has wind ≥ :data:`STORM_WIND_KT`) and ``intense_D``
        (≥ :data:`INTENSE_WIND_KT`), each wind in its own averaging period.
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
        out[f"storm_{d}"] = out[f"max_wind_{d}"].ge(STORM_WIND_KT).fillna(False)
        out[f"intense_{d}"] = out[f"max_wind_{d}"].ge(INTENSE_WIND_KT).fillna(False)
    return out


@cache
def _passages_cached(iso3: str, as_of: str) -> tuple[pd.DataFrame, dict]:
    """Per-track passages near a country, with the overall closest approach (disk-cached)."""
    from osa_analysis.sources.cache import cached_object

    return cached_object(
        "cyclone_passages",
        (*HAZARD_SOURCE_IDS, "ne_countries_50m"),
        lambda: _passages(iso3, as_of),
        version=f"{iso3}|{as_of}",
    )


def _passages(iso3: str, as_of: str) -> tuple[pd.DataFrame, dict]:
    land = _land_distance(iso3)
    fixes, removed = _prepared_fixes()
    fixes = fixes[fixes["time_ns"] <= pd.Timestamp(as_of).value]
    info: dict = {"removed": removed, "n_fixes": len(fixes)}
    if land is None:
        return pd.DataFrame(), info
    info["n_boundary_points"] = land.n_boundary_points
    reach = max(DISTANCES_KM) + MAX_SEGMENT_KM / 2
    raw = land(fixes["longitude"].to_numpy(), fixes["latitude"].to_numpy(), max_km=reach)
    if np.isfinite(raw).any():
        nearest = int(np.argmin(raw))
        nearest_km = float(raw[nearest])
    else:
        nearest, nearest_km = land.closest(
            fixes["longitude"].to_numpy(), fixes["latitude"].to_numpy()
        )
    info["closest_fix"] = {
        "agency": fixes["agency"].iat[nearest],
        "storm_id": fixes["storm_id"].iat[nearest],
        "distance_km": nearest_km,
        "time_ns": int(fixes["time_ns"].iat[nearest]),
        "basin": removed["basin_names"][int(fixes["basin_code"].iat[nearest])],
    }
    near_tracks = np.unique(fixes["track"].to_numpy()[raw <= reach])
    sel = fixes[fixes["track"].isin(near_tracks)]
    dense = densify_tracks(
        sel.assign(distance_km=raw[fixes["track"].isin(near_tracks).to_numpy()]),
        near_km=max(DISTANCES_KM),
    )
    dense["distance_km"] = land(
        dense["longitude"].to_numpy(), dense["latitude"].to_numpy(), max_km=reach
    )
    passages = storm_passages(dense)
    meta = sel.groupby("track").agg(
        agency=("agency", "first"),
        storm_id=("storm_id", "first"),
        season=("season", "min"),
        name=("name", lambda s: next((v for v in s if isinstance(v, str) and v), None)),
    )
    passages = meta.join(passages, how="inner")
    passages["closest_basin"] = [
        removed["basin_names"][int(c)] for c in passages["closest_basin_code"]
    ]
    passages["closest_date"] = pd.to_datetime(passages["closest_time_ns"]).dt.strftime("%Y-%m-%d")
    passages["season"] = passages["season"].astype("int64")
    info["n_points_densified"] = len(dense)
    return passages.reset_index(drop=True), info


# --- statistics -------------------------------------------------------------------------------


def poisson_rate_ci(count: int, n_periods: int, level: float = 0.95) -> tuple[float, float]:
    """Return the exact (Garwood) confidence interval of a Poisson rate per period.

    Parameters
    ----------
    count : int
        Events observed.
    n_periods : int
        Periods (seasons) observed; NaNs are returned when it is 0.
    level : float
        Confidence level.

    Returns
    -------
    tuple of float
        ``(low, high)`` events per period.
    """
    if n_periods <= 0:
        return (math.nan, math.nan)
    alpha = 1 - level
    lo = 0.0 if count == 0 else chi2.ppf(alpha / 2, 2 * count) / 2
    hi = chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return (float(lo / n_periods), float(hi / n_periods))


def rate_ratio_test(
    count_recent: int, count_before: int, level: float = 0.95
) -> tuple[float, float, float]:
    """Return the rate ratio of two equal-length periods with its exact conditional CI.

    Conditional on the total, the recent count is binomial with p = r/(1+r) for rate
    ratio r; the Clopper–Pearson interval of p is mapped to r.

    Parameters
    ----------
    count_recent, count_before : int
        Events in the recent and in the earlier period (same length).
    level : float
        Confidence level.

    Returns
    -------
    tuple of float
        ``(ratio, low, high)``; the ratio is NaN when the earlier count is 0 (``high``
        infinite), all NaN when both are 0.
    """
    from scipy.stats import binomtest

    total = count_recent + count_before
    if total == 0:
        return (math.nan, math.nan, math.nan)
    ci = binomtest(count_recent, total).proportion_ci(confidence_level=level, method="exact")

    def ratio(p: float) -> float:
        return math.inf if p >= 1 else p / (1 - p)

    point = math.nan if count_before == 0 else count_recent / count_before
    return (point, ratio(ci.low), ratio(ci.high))


def _winds_label(periods) -> str:
    """``"1-min winds"``, ``"3/10-min winds"`` or ``"no winds recorded"``."""
    vals = sorted({int(p) for p in periods if p is not None and not pd.isna(p)})
    if not vals:
        return "no winds recorded"
    return "/".join(str(v) for v in vals) + "-min winds"


def cyclone_exposure(ctx: BriefContext) -> dict:
    """Compute the country's cyclone exposure per agency (the numbers of the section).

    Parameters
    ----------
    ctx : BriefContext
        Uses ``country_iso3`` and ``as_of`` (fixes after it and seasons ending after it
        are left out).

    Returns
    -------
    dict
        JSON-able (after :func:`~osa_analysis.brief.section.jsonable`); see the section's
        ``values``. Also holds ``"_passages"`` (the per-storm frame) for figures/tables.
    """
    iso3 = ctx.country_iso3
    passages, info = _passages_cached(iso3, ctx.as_of.strftime("%Y-%m-%d"))
    out: dict = {
        "parameters": {
            "distances_km": list(DISTANCES_KM),
            "headline_km": HEADLINE_KM,
            "storm_wind_kt": STORM_WIND_KT,
            "intense_wind_kt": INTENSE_WIND_KT,
            "recent_seasons": RECENT_SEASONS,
            "interp_step_km": INTERP_STEP_KM,
            "boundary_step_deg": BOUNDARY_STEP_DEG,
            "chart_first_season": CHART_FIRST_SEASON,
            "ci_level_pct": 95,
            "wind_avg_periods_min": [1, 3, 10],
            "ten_to_one_minute_factor": [0.88, 0.93],
            "wmo_wind_interval_h": 6,
            "ibtracs_fix_interval_h": 3,
        },
        "removed": {k: v for k, v in info["removed"].items() if k != "basin_names"},
        "n_fixes": info["n_fixes"],
    }
    geom = country_land(iso3)
    out["land_polygons"] = None if geom is None else len(shapely.get_parts(geom))
    if geom is None:
        out["missing_reason"] = f"Natural Earth 1:50m has no polygon for {iso3}"
        out["_passages"] = passages
        return out
    closest = info["closest_fix"]
    closest_name = None
    if len(passages):
        hit = passages[
            (passages["agency"] == closest["agency"])
            & (passages["storm_id"] == closest["storm_id"])
        ]
        if len(hit) and closest["agency"] in NAME_OPEN_AGENCIES:
            closest_name = _text_or_none(hit["name"].iat[0])
    out["closest_approach"] = {
        "agency": closest["agency"],
        "storm_id": closest["storm_id"],
        "name": closest_name,
        "distance_km": round(closest["distance_km"], 0),
        "date": pd.Timestamp(closest["time_ns"]).strftime("%Y-%m-%d"),
        "basin": closest["basin"],
    }
    # basins the country's storms come from: those of the closest points within 500 km
    far = max(DISTANCES_KM)
    near = passages[passages[f"within_{far}"]] if len(passages) else passages
    if len(near):
        basin_counts = near.groupby("closest_basin").size().sort_values(ascending=False)
    else:
        basin_counts = pd.Series({closest["basin"]: 1})
    relevant = sorted(basin_counts.index)
    out["last_within_far"] = None
    if len(near):
        last = near.sort_values(["closest_time_ns", "agency"], kind="stable").iloc[-1]
        wind = last[f"max_wind_{far}"]
        period = last[f"max_wind_period_{far}"]
        out["last_within_far"] = {
            "agency": last["agency"],
            "storm_id": last["storm_id"],
            "name": _text_or_none(last["name"]) if last["agency"] in NAME_OPEN_AGENCIES else None,
            "season": int(last["season"]),
            "date": last["closest_date"],
            "distance_km": round(float(last["min_distance_km"]), 0),
            "max_wind_kt": None if pd.isna(wind) else float(wind),
            "wind_avg_period_min": None if pd.isna(period) else int(period),
        }
    out["landlocked"] = coastline_km(iso3) == 0.0
    out["relevant_basins"] = relevant
    out["relevant_basins_from"] = f"within {far} km" if len(near) else "closest approach"
    share_total = float(basin_counts.sum())

    agencies: dict = {}
    for agency in AGENCY_PREFERENCE:
        periods = AGENCY_PERIODS[agency]
        covered = [b for b in relevant if b in periods]
        missing = [b for b in relevant if b not in periods]
        seasons = complete_seasons(agency, covered, ctx.as_of) if covered else []
        share = (
            float(basin_counts.reindex(covered).fillna(0).sum() / share_total)
            if share_total
            else 0.0
        )
        mine = passages[passages["agency"] == agency] if len(passages) else passages
        if covered and len(mine):
            mine = mine[mine["closest_basin"].isin(covered) | ~mine["closest_basin"].isin(relevant)]
        entry: dict = {
            "label": AGENCY_LABELS[agency],
            "fix_coverage": {
                b: list(AGENCY_COVERAGE[agency]["coverage"][b])
                for b in relevant
                if b in AGENCY_COVERAGE[agency]["coverage"]
            },
            "basins_covered": {b: list(periods[b]) for b in covered},
            "basins_not_covered": missing,
            "coverage_share": round(share, 3),
            "coverage_share_pct": round(100 * share),
            "complete_seasons": [seasons[0], seasons[-1]] if seasons else None,
            "n_complete_seasons": len(seasons),
        }
        h = HEADLINE_KM
        counted = [*(f"within_{d}" for d in DISTANCES_KM), f"storm_{h}", f"intense_{h}"]
        if len(mine):
            flags = mine[["season", *counted]].assign(
                **{f"wind_unknown_{h}": mine[f"within_{h}"] & mine[f"max_wind_{h}"].isna()}
            )
            table = flags.groupby("season").sum()
        else:
            table = pd.DataFrame(columns=[*counted, f"wind_unknown_{h}"], dtype="int64")
        table = table.reindex(seasons, fill_value=0).astype("int64")
        per_season: dict = {
            int(s): {c: int(v) for c, v in row.items()} for s, row in table.iterrows()
        }
        chart_seasons = [s for s in seasons if s >= CHART_FIRST_SEASON]
        entry["per_season"] = {s: per_season[s] for s in chart_seasons}
        recent = seasons[-RECENT_SEASONS:]
        before = (
            seasons[-2 * RECENT_SEASONS : -RECENT_SEASONS]
            if len(seasons) >= 2 * RECENT_SEASONS
            else []
        )
        entry["recent_seasons"] = [recent[0], recent[-1]] if recent else None
        entry["n_recent_seasons"] = len(recent)
        entry["previous_seasons"] = [before[0], before[-1]] if before else None
        by_d: dict = {}
        for d in DISTANCES_KM:
            n_recent = sum(per_season[s][f"within_{d}"] for s in recent)
            n_before = sum(per_season[s][f"within_{d}"] for s in before) if before else None
            n_all = sum(per_season[s][f"within_{d}"] for s in seasons)
            by_d[str(d)] = {
                "storms_all_seasons": n_all if seasons else None,
                "storms_recent": n_recent if recent else None,
                "mean_recent": round(n_recent / len(recent), 2) if recent else None,
                "storms_previous": n_before,
            }
        h = HEADLINE_KM
        n_storm = sum(per_season[s][f"storm_{h}"] for s in recent)
        n_storm_before = sum(per_season[s][f"storm_{h}"] for s in before) if before else None
        n_intense = sum(per_season[s][f"intense_{h}"] for s in recent)
        n_unknown = sum(per_season[s][f"wind_unknown_{h}"] for s in recent)
        by_d[str(h)].update(
            {
                "storm_strength_recent": n_storm if recent else None,
                "storm_strength_mean_recent": round(n_storm / len(recent), 2) if recent else None,
                "storm_strength_previous": n_storm_before,
                "storm_strength_mean_previous": round(n_storm_before / len(before), 2)
                if before
                else None,
                "intense_recent": n_intense if recent else None,
                "wind_unknown_recent": n_unknown if recent else None,
            }
        )
        if recent:
            lo, hi = poisson_rate_ci(n_storm, len(recent))
            by_d[str(h)]["storm_strength_mean_recent_ci95"] = [round(lo, 2), round(hi, 2)]
            if before:
                ratio, rlo, rhi = rate_ratio_test(n_storm, n_storm_before)
                by_d[str(h)]["rate_ratio"] = None if math.isnan(ratio) else round(ratio, 2)
                by_d[str(h)]["rate_ratio_ci95"] = [
                    None if math.isnan(rlo) else round(rlo, 2),
                    None if not math.isfinite(rhi) else round(rhi, 2),
                ]
                by_d[str(h)]["rate_ratio_significant"] = (
                    None if math.isnan(rlo) else bool(rlo > 1 or rhi < 1)
                )
        entry["by_distance"] = by_d
        # strongest storm within the headline distance in the recent seasons
        strongest = None
        if recent and len(mine):
            cand = mine[
                mine["season"].isin(recent) & mine[f"within_{h}"] & mine[f"max_wind_{h}"].notna()
            ]
            if len(cand):
                top = cand.sort_values(
                    [f"max_wind_{h}", "season"], ascending=[False, False], kind="stable"
                ).iloc[0]
                strongest = {
                    "storm_id": top["storm_id"],
                    "name": _text_or_none(top["name"]) if agency in NAME_OPEN_AGENCIES else None,
                    "season": int(top["season"]),
                    "wind_kt": float(top[f"max_wind_{h}"]),
                    "wind_avg_period_min": int(top[f"max_wind_period_{h}"])
                    if pd.notna(top[f"max_wind_period_{h}"])
                    else None,
                    "distance_km": round(float(top["min_distance_km"]), 0),
                }
        entry["strongest_recent"] = strongest
        periods_seen = (
            mine[f"max_wind_period_{max(DISTANCES_KM)}"].dropna().unique() if len(mine) else []
        )
        entry["wind_avg_periods_min"] = sorted(int(p) for p in periods_seen) or _default_periods(
            agency
        )
        agencies[agency] = entry
    out["agencies"] = agencies

    # headline agency: covers >= 90 % of the country's storms' basins, has the most (and most
    # recent) complete seasons, then the fewest nearby storms without a wind
    def score(a: str) -> tuple:
        e = agencies[a]
        d = e["by_distance"][str(HEADLINE_KM)]
        passed = d["storms_recent"] or 0
        unknown = (d.get("wind_unknown_recent") or 0) / passed if passed else 0.0
        return (
            e["coverage_share"] >= 0.9,
            min(e["n_complete_seasons"], RECENT_SEASONS),
            e["recent_seasons"][1] if e["recent_seasons"] else -1,
            -round(unknown, 2),  # prefer a record that gives every nearby storm a wind
            e["coverage_share"],
            -AGENCY_PREFERENCE.index(a),
        )

    usable = [a for a in AGENCY_PREFERENCE if agencies[a]["n_complete_seasons"] > 0]
    out["headline_agency"] = max(usable, key=score) if usable else None

    # intense storms within the headline distance in each agency's recent seasons
    intense_rows = []
    h = HEADLINE_KM
    for agency, entry in agencies.items():
        if not entry["recent_seasons"] or not len(passages):
            continue
        first = entry["recent_seasons"][0]
        rows = passages[
            (passages["agency"] == agency)
            & passages[f"intense_{h}"]
            & (passages["season"] >= first)
        ]
        for _, r in rows.sort_values(["season", "closest_date"]).iterrows():
            intense_rows.append(
                {
                    "agency": agency,
                    "season": int(r["season"]),
                    "storm_id": r["storm_id"],
                    "name": _text_or_none(r["name"]) if agency in NAME_OPEN_AGENCIES else None,
                    "closest_date": r["closest_date"],
                    "min_distance_km": round(float(r["min_distance_km"]), 0),
                    "max_wind_kt": float(r[f"max_wind_{h}"]),
                    "wind_avg_period_min": int(r[f"max_wind_period_{h}"]),
                }
            )
    out["intense_recent"] = intense_rows
    out["_passages"] = passages
    return out


def _default_periods(agency: str) -> list[int]:
    return {"ibtracs_usa": [1], "jtwc": [1], "imd": [3]}.get(agency, [])


# --- figure and section -----------------------------------------------------------------------


def _exposure_figure(exp: dict, iso3: str):
    agencies = [a for a in AGENCY_PREFERENCE if exp["agencies"][a]["n_complete_seasons"] > 0]
    if not agencies:
        return None
    h = HEADLINE_KM
    last = max(
        max(int(s) for s in exp["agencies"][a]["per_season"])
        for a in agencies
        if exp["agencies"][a]["per_season"]
    )
    fig, axes = figure(
        width=7.8,
        height=1.0 + 0.88 * len(agencies),
        nrows=len(agencies),
        ncols=1,
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    ymax = 1
    for a in agencies:
        ymax = max([ymax, *(v[f"within_{h}"] for v in exp["agencies"][a]["per_season"].values())])
    for row, a in enumerate(agencies):
        ax = axes[row][0]
        e = exp["agencies"][a]
        seasons = sorted(int(s) for s in e["per_season"])
        counts = [e["per_season"][s][f"within_{h}"] for s in seasons]
        intense = [e["per_season"][s][f"intense_{h}"] for s in seasons]
        ax.bar(seasons, counts, color="#9ecae1", width=0.85, label=f"all systems within {h} km")
        ax.bar(
            seasons, intense, color=ACCENT, width=0.85, label=f"≥{INTENSE_WIND_KT} kt within {h} km"
        )
        covered = set(seasons)
        for s in range(CHART_FIRST_SEASON, last + 1):
            if s not in covered:
                ax.axvspan(s - 0.5, s + 0.5, color="#d9d9d9", alpha=0.6, lw=0)
        partial = f"; only {', '.join(e['basins_covered'])}" if e["basins_not_covered"] else ""
        ax.set_title(
            f"{e['label']} ({_winds_label(e['wind_avg_periods_min'])}{partial})",
            loc="left",
            fontsize=9,
        )
        ax.set_ylabel("storms")
        ax.set_ylim(0, ymax * 1.1 + 0.5)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower right", fontsize=7, ncols=2)
    axes[-1][0].set_xlim(CHART_FIRST_SEASON - 0.7, last + 0.7)
    axes[-1][0].set_xlabel(
        "season (southern basins: July–June, named by the year it ends); grey: not covered"
    )
    fig.suptitle(
        f"Tropical cyclones passing within {h} km of {country_name(iso3)}, per agency",
        fontsize=10,
        fontweight="bold",
    )
    return fig


def _track_map(exp: dict, iso3: str):
    """Map of the headline agency's recent tracks within 500 km (country outline)."""
    agency = exp.get("headline_agency")
    if agency is None:
        return None
    entry = exp["agencies"][agency]
    passages = exp["_passages"]
    far = max(DISTANCES_KM)
    if not entry["recent_seasons"] or not len(passages):
        return None
    first, last = entry["recent_seasons"]
    chosen = passages[
        (passages["agency"] == agency)
        & passages[f"within_{far}"]
        & passages["season"].between(first, last)
    ]
    if not len(chosen):
        return None
    fixes, _ = _prepared_fixes()
    keys = set(chosen["storm_id"])
    tr = fixes[(fixes["agency"] == agency) & fixes["storm_id"].isin(keys)]
    geom = country_land(iso3)
    from osa_analysis.sources.loaders.geography import lon_extent

    west, east = lon_extent(geom)
    shift = east > 180  # the country straddles ±180°: draw in 0–360° longitudes

    def x(lon: np.ndarray) -> np.ndarray:
        lon = np.asarray(lon, dtype="float64")
        return lon % 360.0 if shift else lon

    fig, ax = figure(width=6.5, height=4.6)
    _, miny, _, maxy = shapely.bounds(geom)
    mid = math.cos(math.radians((miny + maxy) / 2))
    pad_lat = far / 111.2
    pad_lon = pad_lat / max(mid, 0.3)
    # neighbouring land for orientation (light), the country itself (darker)
    view = (west - pad_lon - 5, miny - pad_lat - 5, east + pad_lon + 5, maxy + pad_lat + 5)
    countries = _countries()
    for other, iso in zip(countries.geometry.to_numpy(), countries["country_iso3"], strict=True):
        if isinstance(iso, str) and iso == iso3:
            continue
        for poly in shapely.get_parts(other):
            xs, ys = (np.asarray(v) for v in poly.exterior.xy)
            xx = x(xs)
            if xx.max() < view[0] or xx.min() > view[2] or ys.max() < view[1] or ys.min() > view[3]:
                continue
            ax.fill(xx, ys, color="#f0f0f0", lw=0.2, ec="#bdbdbd", zorder=1)
    for poly in shapely.get_parts(geom):
        xs, ys = (np.asarray(v) for v in poly.exterior.xy)
        ax.fill(x(xs), ys, color="#bdbdbd", lw=0.3, ec=NEUTRAL, zorder=2)
    intense_ids = set(chosen.loc[chosen[f"intense_{HEADLINE_KM}"], "storm_id"])
    lines = {True: [], False: []}
    for sid, g in tr.groupby("storm_id", sort=True):
        lon = np.degrees(np.unwrap(np.radians(x(g["longitude"].to_numpy()))))
        lines[sid in intense_ids].append(np.column_stack([lon, g["latitude"].to_numpy()]))
    for strong, segs in lines.items():
        if segs:
            ax.add_collection(
                LineCollection(
                    segs,
                    colors=ACCENT if strong else "#3182bd",
                    linewidths=0.9 if strong else 0.5,
                    alpha=0.8,
                    zorder=3 if strong else 2.5,
                )
            )
    ax.set_xlim(west - pad_lon, east + pad_lon)
    ax.set_ylim(miny - pad_lat, maxy + pad_lat)
    ax.set_aspect(1 / max(mid, 0.3))
    ax.set_xlabel("longitude (°E" + (", Pacific-centred)" if shift else ")"))
    ax.set_ylabel("latitude (°N)")
    ax.set_title(
        f"{entry['label']} tracks within {far} km, seasons {first}–{last}\n"
        f"(red: ≥{INTENSE_WIND_KT} kt within {HEADLINE_KM} km, "
        f"{_winds_label(entry['wind_avg_periods_min'])})",
        fontsize=9,
    )
    return fig


def _agency_table(exp: dict) -> pd.DataFrame:
    rows = []
    h = HEADLINE_KM
    for a in AGENCY_PREFERENCE:
        e = exp["agencies"][a]
        if not e["basins_covered"]:
            rows.append(
                {
                    "agency": e["label"],
                    "winds": _winds_label(e["wind_avg_periods_min"]),
                    "basins covered (files)": "none of " + ", ".join(exp["relevant_basins"]),
                    "complete seasons": "none",
                    **{f"storms/season ≤{d} km": "n/a" for d in DISTANCES_KM},
                    f"≥{STORM_WIND_KT} kt/season ≤{h} km": "n/a",
                    f"≥{INTENSE_WIND_KT} kt ≤{h} km": "n/a",
                    f"no wind ≤{h} km": "n/a",
                }
            )
            continue
        rec = e["recent_seasons"]
        rows.append(
            {
                "agency": e["label"],
                "winds": _winds_label(e["wind_avg_periods_min"]),
                "basins covered (files)": "; ".join(
                    f"{b} {p[0]} to {p[1]}" for b, p in e["basins_covered"].items()
                ),
                "complete seasons": (
                    f"{rec[0]}–{rec[1]} ({e['n_recent_seasons']})" if rec else "none"
                ),
                **{
                    f"storms/season ≤{d} km": fmt_num(e["by_distance"][str(d)]["mean_recent"], 2)
                    for d in DISTANCES_KM
                },
                f"≥{STORM_WIND_KT} kt/season ≤{h} km": fmt_num(
                    e["by_distance"][str(h)].get("storm_strength_mean_recent"), 2
                ),
                f"≥{INTENSE_WIND_KT} kt ≤{h} km": fmt_num(
                    e["by_distance"][str(h)].get("intense_recent"), 0
                ),
                f"no wind ≤{h} km": fmt_num(e["by_distance"][str(h)].get("wind_unknown_recent")),
            }
        )
    return pd.DataFrame(rows)


def _intense_table(exp: dict) -> pd.DataFrame:
    rows = [
        {
            "agency": AGENCY_LABELS[r["agency"]],
            "season": r["season"],
            # tables are HTML-escaped when rendered: raw text here
            "storm": r["name"] or r["storm_id"],
            "closest approach (UTC date)": r["closest_date"],
            "closest distance km": fmt_num(r["min_distance_km"]),
            f"max wind ≤{HEADLINE_KM} km": f"{fmt_num(r['max_wind_kt'])} kt "
            f"({r['wind_avg_period_min']}-min)",
        }
        for r in exp["intense_recent"]
    ]
    return pd.DataFrame(rows)


def _key_figures(exp: dict, name: str) -> list[dict]:
    agency = exp.get("headline_agency")
    h = HEADLINE_KM
    if agency is None:
        basins = ", ".join(exp["relevant_basins"])
        return [
            {
                "id": "cyclones_within_200km_per_season",
                "label": f"Gale-force storms within {h} km per season",
                "value": None,
                "unit": "storms/season",
                "interval": None,
                "interval_kind": None,
                "change": None,
                "change_text": None,
                "significant": None,
                "sentence": (
                    f"Cyclone exposure of {name} cannot be counted: no record covers a complete "
                    f"season of its basin(s) ({basins}) by the brief's as-of date."
                ),
            }
        ]
    e = exp["agencies"][agency]
    d = e["by_distance"][str(h)]
    rec = e["recent_seasons"]
    label = e["label"]
    wind_label = _winds_label(e["wind_avg_periods_min"])
    partial = f" ({', '.join(e['basins_covered'])} basin only)" if e["basins_not_covered"] else ""
    if e["n_recent_seasons"] < RECENT_SEASONS:
        span = f"the only {e['n_recent_seasons']} complete seasons covered ({rec[0]}–{rec[1]})"
    else:
        span = f"the last {RECENT_SEASONS} complete seasons ({rec[0]}–{rec[1]})"
    mean = d["storm_strength_mean_recent"]
    all_mean = d["mean_recent"]
    change = d.get("storm_strength_mean_previous")
    prev = e["previous_seasons"]
    significant = d.get("rate_ratio_significant")
    if change is not None and prev:
        word = "not a significant change" if not significant else "a significant change"
        change_text = (
            f"{fmt_num(change, 2)} per season in {prev[0]}–{prev[1]} ({word}: exact 95% "
            f"rate-ratio CI {_ci_text(d.get('rate_ratio_ci95'))})"
            if d.get("rate_ratio_ci95") and d["rate_ratio_ci95"][0] is not None
            else f"{fmt_num(change, 2)} per season in {prev[0]}–{prev[1]}"
        )
    else:
        change_text = None
    closest = exp["closest_approach"]
    last = exp.get("last_within_far")
    far = max(DISTANCES_KM)
    if all_mean == 0 and closest["distance_km"] > far:
        sentence = (
            f"No tropical-cyclone track in any agency's record came within {far} km of "
            f"{_possessive(name)} land (closest: {fmt_num(closest['distance_km'])} km, "
            f"{closest['date']}); cyclones are not a direct hazard."
        )
    elif exp.get("landlocked") and all_mean == 0:
        since = (
            f"; the last decayed remnant within {far} km was in season {last['season']}"
            if last
            else ""
        )
        sentence = (
            f"{name} is landlocked and no storm passed within {h} km in {rec[0]}–{rec[1]} "
            f"({label}){since}: tropical cyclones are not a direct hazard."
        )
    else:
        sentence = (
            f"Over {span}, {fmt_num(mean, 2)} storms per season of gale force (≥{STORM_WIND_KT} "
            "kt, "
            f"{wind_label}) passed within {h} km of {_possessive(name)} land "
            f"({fmt_num(all_mean, 2)} tracked systems of any strength), per the {label} "
            f"record{partial}."
        )
    ci = d.get("storm_strength_mean_recent_ci95")
    figures = [
        {
            "id": "cyclones_within_200km_per_season",
            "label": f"Gale-force storms within {h} km per season ({label}{partial}, "
            f"{rec[0]}–{rec[1]})",
            "value": mean,
            "unit": "storms/season",
            "interval": ci,
            "interval_kind": "exact Poisson 95%",
            "change": change,
            "change_text": change_text,
            "significant": significant,
            "sentence": sentence,
        }
    ]
    strongest = e["strongest_recent"]
    if strongest is not None:
        who = _storm_label(strongest["name"], strongest["storm_id"])
        figures.append(
            {
                "id": "cyclone_max_wind_within_200km",
                "label": f"Strongest wind within {h} km, {rec[0]}–{rec[1]} ({label}, "
                f"{strongest['wind_avg_period_min']}-min mean)",
                "value": strongest["wind_kt"],
                "unit": f"kt ({strongest['wind_avg_period_min']}-min mean)",
                "interval": None,
                "interval_kind": None,
                "change": None,
                "change_text": None,
                "significant": None,
                "sentence": (
                    f"The strongest storm within {h} km of {name} in {rec[0]}–{rec[1]} was "
                    f"{who} (season {strongest['season']}) at {fmt_num(strongest['wind_kt'])} kt "
                    f"({strongest['wind_avg_period_min']}-minute mean, {label})."
                ),
            }
        )
    return figures


def _storm_label(name: str | None, storm_id: str) -> str:
    """Return a storm's name (escaped), or its id when the record has no name."""
    return esc(name) if name else f"storm {storm_id}"


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _ci_text(ci) -> str:
    if not ci or ci[0] is None:
        return "n/a"
    hi = "∞" if ci[1] is None else fmt_num(ci[1], 2)
    return f"{fmt_num(ci[0], 2)}–{hi}"


def exposure_section(ctx: BriefContext) -> Section:
    """Build section 6: tropical cyclones passing near the country, per agency and season.

    Parameters
    ----------
    ctx : BriefContext
        The brief's parameters; the hazard sources and ``ne_countries_50m`` are recorded
        with :meth:`~osa_analysis.brief.context.BriefContext.use`.

    Returns
    -------
    Section
        Key ``"exposure"``; ``values`` as computed by :func:`cyclone_exposure` plus
        ``coverage_gaps`` and ``key_figures`` (mean gale-force storms per season within
        :data:`HEADLINE_KM` with an exact Poisson interval, and the strongest wind there).
    """
    from osa_analysis.sources.loaders.hazards import COVERAGE_GAPS

    iso3 = ctx.country_iso3
    name = country_name(iso3)
    ctx.use(*HAZARD_SOURCES, "ne_countries_50m")
    exp = cyclone_exposure(ctx)
    values = {k: v for k, v in exp.items() if not k.startswith("_")}
    values["coverage_gaps"] = list(COVERAGE_GAPS)
    if "missing_reason" in exp:
        return Section(
            key="exposure",
            title="6. Disaster exposure",
            markdown=f"Cyclone exposure could not be computed: {esc(exp['missing_reason'])}.",
            values={**values, "key_figures": []},
            sources=[*HAZARD_SOURCES, "ne_countries_50m"],
        )
    h = HEADLINE_KM
    closest = exp["closest_approach"]
    headline = exp["headline_agency"]
    lines = [
        "Tropical-cyclone best tracks of four agencies were measured against "
        f"{_possessive(esc(name))} land "
        f"(Natural Earth 1:50m, {exp['land_polygons']} "
        f"polygon{'s' if exp['land_polygons'] != 1 else ''}), after interpolating each track "
        f"to steps of at most {fmt_num(INTERP_STEP_KM)} km. Storms are counted per agency and "
        f"season when their track comes within {', '.join(str(d) for d in DISTANCES_KM[:-1])} or "
        f"{DISTANCES_KM[-1]} km; agencies are never added together, and each agency's winds "
        "keep their own averaging period (1-minute US/JTWC, 3-minute IMD, 10-minute WMO "
        "agencies such as RSMC Nadi and JMA).",
        "",
    ]
    far = max(DISTANCES_KM)
    who = _storm_label(closest["name"], closest["storm_id"])
    if closest["distance_km"] > far:
        lines.append(
            f"**No track in any agency's record passes within {far} km of {esc(name)}.** The "
            "closest "
            f"approach was {fmt_num(closest['distance_km'])} km "
            f"({AGENCY_LABELS[closest['agency']]}, "
            f"{who}, {closest['date']}), so tropical cyclones are not a direct hazard; the "
            "zero counts below are computed, not assumed."
        )
        lines.append("")
    last = exp.get("last_within_far")
    if exp.get("landlocked") and last is not None:
        wind = (
            f"{fmt_num(last['max_wind_kt'])} kt ({last['wind_avg_period_min']}-minute mean)"
            if last["max_wind_kt"] is not None
            else "no wind recorded"
        )
        lines.append(
            f"**{esc(name)} is landlocked: tropical cyclones are not a direct hazard.** Only "
            "decayed "
            f"remnants have come within {far} km; the most recent was "
            f"{_storm_label(last['name'], last['storm_id'])} ({AGENCY_LABELS[last['agency']]}, "
            "season "
            f"{last['season']}, closest {fmt_num(last['distance_km'])} km on {last['date']}, "
            f"{wind} "
            f"at most within {far} km). The counts below are computed, not assumed."
        )
        lines.append("")
    if headline is None:
        lines.append(
            f"**No record covers a complete season of {_possessive(esc(name))} basin(s) "
            f"({', '.join(exp['relevant_basins'])}) by the as-of date**, so storms per season "
            "cannot be counted (see the coverage below)."
        )
        lines.append("")
    else:
        e = exp["agencies"][headline]
        d = e["by_distance"][str(h)]
        rec = e["recent_seasons"]
        partial = (
            f" It covers only the {', '.join(e['basins_covered'])} basin(s), "
            f"{e['coverage_share_pct']}% of the storms passing within {far} km."
            if e["basins_not_covered"]
            else ""
        )
        few = (
            f" Only {e['n_recent_seasons']} complete seasons are covered by a record of all "
            f"the country's basins, so the mean is uncertain."
            if e["n_recent_seasons"] < RECENT_SEASONS
            else ""
        )
        lines.append(
            f"**Headline record: {e['label']}** ({_winds_label(e['wind_avg_periods_min'])}), "
            f"seasons {rec[0]}–{rec[1]}.{partial}{few} Per season, on average "
            f"{fmt_num(e['by_distance'][str(DISTANCES_KM[0])]['mean_recent'], 2)}, "
            f"{fmt_num(d['mean_recent'], 2)} and "
            f"{fmt_num(e['by_distance'][str(far)]['mean_recent'], 2)} tracked systems passed "
            "within "
            f"{DISTANCES_KM[0]}, {h} and {far} km; {fmt_num(d['storm_strength_mean_recent'], 2)} "
            "per "
            f"season reached gale force (≥{STORM_WIND_KT} kt) within {h} km (exact Poisson 95% "
            f"interval {_ci_text(d.get('storm_strength_mean_recent_ci95'))}), and "
            f"{fmt_num(d['intense_recent'])} storms reached ≥{INTENSE_WIND_KT} kt within {h} km "
            f"in the {e['n_recent_seasons']} seasons."
            + (
                f" {d['wind_unknown_recent']} of the {d['storms_recent']} storms within {h} km "
                "have "
                "no wind in this record near the country and could not be classed by strength."
                if d.get("wind_unknown_recent")
                else ""
            )
        )
        wmo = exp["agencies"]["ibtracs_wmo"]
        wmo_d = wmo["by_distance"][str(h)]
        if (
            headline != "ibtracs_wmo"
            and wmo["recent_seasons"] == e["recent_seasons"]
            and wmo["coverage_share"] == e["coverage_share"]
            and wmo_d.get("wind_unknown_recent")
        ):
            lines.append(
                f"The WMO-agency record is not the headline because {wmo_d['wind_unknown_recent']} "
                f"of its {wmo_d['storms_recent']} storms within {h} km in these seasons have no "
                "WMO wind near the country (mostly provisional tracks), so it undercounts storms "
                "by strength."
            )
        if d.get("storm_strength_mean_previous") is not None and not (
            d["storm_strength_recent"] == 0 and d["storm_strength_previous"] == 0
        ):
            prev = e["previous_seasons"]
            sig = d.get("rate_ratio_significant")
            lines.append(
                f"In the {RECENT_SEASONS} seasons before ({prev[0]}–{prev[1]}) the rate was "
                f"{fmt_num(d['storm_strength_mean_previous'], 2)} per season: rate ratio "
                f"{fmt_num(d.get('rate_ratio'), 2)} (exact 95% CI "
                f"{_ci_text(d.get('rate_ratio_ci95'))}), "
                + ("a significant change." if sig else "not a significant change.")
            )
        if e["strongest_recent"]:
            s = e["strongest_recent"]
            lines.append(
                f"The strongest within {h} km was {_storm_label(s['name'], s['storm_id'])} (season "
                f"{s['season']}, {fmt_num(s['wind_kt'])} kt {s['wind_avg_period_min']}-minute "
                f"mean, closest {fmt_num(s['distance_km'])} km)."
            )
        lines.append("")
    lines.append("**Coverage by agency** (files in the data mirror):")
    for a in AGENCY_PREFERENCE:
        e = exp["agencies"][a]
        if e["basins_covered"]:
            cov = "; ".join(f"{b} {p[0]} to {p[1]}" for b, p in e["basins_covered"].items())
            seas = e["complete_seasons"]
            seasons_text = (
                f"complete seasons {seas[0]}–{seas[1]}"
                if seas
                else "no complete season by the as-of date"
            )
            lines.append(
                f"- {e['label']} ({_winds_label(e['wind_avg_periods_min'])}): {cov}; "
                + seasons_text
                + (
                    f"; does not cover {', '.join(e['basins_not_covered'])}"
                    if e["basins_not_covered"]
                    else ""
                )
                + "."
            )
        else:
            lines.append(
                f"- {e['label']}: does not cover {', '.join(exp['relevant_basins'])}, the "
                "basin(s) of "
                f"{_possessive(esc(name))} storms."
            )
    markdown = "\n".join(lines)

    figures = []
    fig = _exposure_figure(exp, iso3)
    if fig is not None:
        figures.append(
            (
                f"Storms per season whose track passes within {h} km of {_possessive(name)} "
                "land, by agency "
                f"(same y scale); red: reached ≥{INTENSE_WIND_KT} kt within {h} km in that "
                "agency's "
                "own averaging period; grey: season not covered.",
                fig,
            )
        )
    tmap = _track_map(exp, iso3)
    if tmap is not None:
        figures.append((f"Recent tracks within {far} km of {name} (headline record).", tmap))
    tables = [
        (
            f"Mean storms per season within each distance, last complete seasons per agency "
            f"(up to {RECENT_SEASONS}); winds in each agency's own averaging period.",
            _agency_table(exp),
        )
    ]
    if exp["intense_recent"]:
        tables.append(
            (
                f"Storms reaching ≥{INTENSE_WIND_KT} kt within {h} km, recent seasons (IMD "
                "storms by id: "
                "internal source).",
                _intense_table(exp),
            )
        )
    caveats = [
        "Counts are per agency and never pooled: the agencies track different systems "
        "(IMD and RSMC Nadi include depressions), overlap in time, and measure winds over "
        "1, 3 or 10 minutes (a 10-minute mean is roughly 0.88-0.93 of the 1-minute value).",
        "Distances are to Natural Earth 1:50m land, which omits many small islands; for "
        "archipelagos (Fiji, Tonga, the Philippines, Indonesia) storms near outlying islets "
        "can be missed or measured too far.",
        f"IBTrACS spur tracks ({exp['removed']['spur_tracks']}) and IMD fixes the source flags "
        f"as suspect ({exp['removed']['suspect_fixes']}) are left out.",
        "IBTrACS PROVISIONAL tracks (the latest seasons) often carry no WMO-agency wind, and WMO "
        "winds are 6-hourly on a 3-hourly track: storms without a wind near the country are "
        "counted among all systems but cannot be classed by strength (column 'no wind').",
        *[esc(g) for g in COVERAGE_GAPS],
    ]
    values["key_figures"] = _key_figures(exp, name)
    values["country"] = iso3
    return Section(
        key="exposure",
        title="6. Disaster exposure",
        markdown=markdown,
        figures=figures,
        tables=tables,
        values=values,
        sources=[*HAZARD_SOURCES, "ne_countries_50m"],
        caveats=caveats,
    )


# --- capacity facts ---------------------------------------------------------------------------

CAPACITY_KEYS = (
    "eez_area_km2",
    "eez_method",
    "coastline_km",
    "milex_share_gdp_pct",
    "milex_share_year",
    "milex_usd",
    "milex_usd_year",
    "armed_forces_personnel",
    "armed_forces_year",
)
"""The stable keys of :func:`capacity_facts` (the maritime section imports them)."""

COASTLINE_METHOD = geography.COASTLINE_METHOD


@cache
def coastline_km(iso3: str) -> float | None:
    """Return a country's coastline length (:func:`osa_analysis.analyse.geography.coastline_km`)."""
    return geography.coastline_km(_countries(), iso3)


def _latest(
    df: pd.DataFrame, value: str, iso3: str, year_max: int
) -> tuple[float | None, int | None]:
    rows = df[df["country_iso3"].eq(iso3).fillna(False) & (df["year"] <= year_max)].dropna(
        subset=[value]
    )
    if not len(rows):
        return None, None
    row = rows.sort_values("year").iloc[-1]
    return float(row[value]), int(row["year"])


@cache
def _milex_share():
    from osa_analysis.sources.loaders.indicators import load_wb_milex_share

    return load_wb_milex_share()


@cache
def _milex_usd():
    from osa_analysis.sources.loaders.indicators import load_wb_milex_usd

    return load_wb_milex_usd()


@cache
def _imb_indicators():
    from osa_analysis.sources.loaders.imb import load_imb_country_indicators

    return load_imb_country_indicators()


def capacity_facts(ctx: BriefContext) -> dict:
    """Return basic maritime-capacity facts of the brief's country (stable keys).

    Parameters
    ----------
    ctx : BriefContext

    Returns
    -------
    dict
        Keys :data:`CAPACITY_KEYS`: ``eez_area_km2`` (float or None), ``eez_method``
        (str: the EEZ source's method string, or why there is none), ``coastline_km``,
        ``milex_share_gdp_pct`` and ``milex_share_year`` (WDI MS.MIL.XPND.GD.ZS),
        ``milex_usd`` and ``milex_usd_year`` (WDI MS.MIL.XPND.CD, current US$),
        ``armed_forces_personnel`` and ``armed_forces_year`` (Crime-at-Sea country
        indicators ``total_military``, to 2017); latest year ≤ ``as_of`` for each, None
        when missing. Also ``coastline_method``, ``sources`` (registry id per fact) and
        ``missing_reasons`` (fact → why it is None).
    """
    iso3 = ctx.country_iso3
    year_max = ctx.year_as_of
    missing: dict[str, str] = {}
    sources: dict[str, str] = {}

    eez = ctx.eez  # records ne_countries_50m / ne_land_50m via ctx.use
    rows = eez[eez["country_iso3"].eq(iso3).fillna(False)]
    if len(rows):
        eez_area = float(rows["area_km2"].sum())
        eez_method = str(rows["method"].iat[0])
        approximate = rows["pol_type"].iat[0] == "approximate"
        sources["eez_area_km2"] = (
            "ne_countries_50m, ne_land_50m (approximate EEZ)"
            if approximate
            else "Marine Regions World EEZ v12 (OSA_EEZ_FILE)"
        )
    else:
        eez_area = None
        landlocked = coastline_km(iso3) == 0.0
        eez_method = "landlocked: no EEZ" if landlocked else "no EEZ polygon for this country"
        missing["eez_area_km2"] = eez_method

    ctx.use("ne_countries_50m")
    coast = coastline_km(iso3)
    sources["coastline_km"] = "ne_countries_50m"
    if coast is None:
        missing["coastline_km"] = "no Natural Earth polygon"

    ctx.use("wb_milex_share", "wb_milex_usd", "imb_country_indicators")
    share, share_year = _latest(_milex_share(), "milex_share_gdp_pct", iso3, year_max)
    usd, usd_year = _latest(_milex_usd(), "milex_usd", iso3, year_max)
    sources.update(
        {
            "milex_share_gdp_pct": "wb_milex_share",
            "milex_usd": "wb_milex_usd",
            "armed_forces_personnel": "imb_country_indicators",
        }
    )
    if share is None:
        missing["milex_share_gdp_pct"] = "World Bank (SIPRI) publishes no value for this country"
    if usd is None:
        missing["milex_usd"] = "World Bank (SIPRI) publishes no value for this country"
    imb = _imb_indicators()
    imb = imb[~imb["duplicate_country_year"]]
    personnel, personnel_year = _latest(imb, "armed_forces_personnel", iso3, year_max)
    if personnel is None:
        missing["armed_forces_personnel"] = (
            "no value in the Crime-at-Sea country indicators (to 2017)"
        )
    return {
        "eez_area_km2": None if eez_area is None else round(eez_area, 0),
        "eez_method": eez_method,
        "coastline_km": None if coast is None else round(coast, 0),
        "coastline_method": COASTLINE_METHOD,
        "milex_share_gdp_pct": None if share is None else round(share, 3),
        "milex_share_year": share_year,
        "milex_usd": usd,
        "milex_usd_year": usd_year,
        "armed_forces_personnel": None if personnel is None else int(personnel),
        "armed_forces_year": personnel_year,
        "sources": sources,
        "missing_reasons": missing,
    }


def capacity_table(ctx: BriefContext) -> pd.DataFrame:
    """Return the facts of :func:`capacity_facts` as a display table.

    Parameters
    ----------
    ctx : BriefContext

    Returns
    -------
    pandas.DataFrame
        One row per fact: ``measure``, ``value`` (formatted; ``n/a`` when missing),
        ``unit``, ``year``, ``source`` and ``method / note`` (the reason when missing).
    """
    f = capacity_facts(ctx)

    def reason(key: str) -> str:
        return f["missing_reasons"].get(key, "")

    rows = [
        {
            "measure": "EEZ area",
            "value": fmt_num(f["eez_area_km2"]) if f["eez_area_km2"] is not None else "n/a",
            "unit": "km²",
            "year": "",
            "source": f["sources"].get("eez_area_km2", ""),
            "method / note": f["eez_method"],
        },
        {
            "measure": "Coastline length",
            "value": fmt_num(f["coastline_km"]) if f["coastline_km"] is not None else "n/a",
            "unit": "km",
            "year": "",
            "source": "ne_countries_50m",
            "method / note": reason("coastline_km") or f["coastline_method"],
        },
        {
            "measure": "Military expenditure",
            "value": fmt_num(f["milex_share_gdp_pct"], 2),
            "unit": "% of GDP",
            "year": f["milex_share_year"] or "",
            "source": "wb_milex_share (MS.MIL.XPND.GD.ZS)",
            "method / note": reason("milex_share_gdp_pct") or "SIPRI data via the World Bank",
        },
        {
            "measure": "Military expenditure",
            "value": fmt_num(None if f["milex_usd"] is None else f["milex_usd"] / 1e6, 1),
            "unit": "million current US$",
            "year": f["milex_usd_year"] or "",
            "source": "wb_milex_usd (MS.MIL.XPND.CD)",
            "method / note": reason("milex_usd") or "SIPRI data via the World Bank",
        },
        {
            "measure": "Armed forces personnel",
            "value": fmt_num(f["armed_forces_personnel"]),
            "unit": "persons",
            "year": f["armed_forces_year"] or "",
            "source": "imb_country_indicators (total_military)",
            "method / note": reason("armed_forces_personnel")
            or "World Bank series as compiled by Crime at Sea; none after 2017",
        },
    ]
    return pd.DataFrame(rows)
