"""Tropical-cyclone exposure of a country: storms passing near its land, per agency and season.

Every best-track fix of the common fix table (:mod:`osa_analysis.harmonise.tracks`: IBTrACS
with the WMO agency's winds, IBTrACS with the US agencies' winds, JTWC Western North Pacific,
IMD North Indian Ocean) is measured against the country's land (Natural Earth 1:50m country
polygons) after interpolating tracks to steps of at most
:data:`~osa_analysis.analyse.track_distance.INTERP_STEP_KM`
(:mod:`osa_analysis.analyse.track_distance`).

Storms are counted **per agency** and per season (distinct storm ids whose track comes within
100, 200 or 500 km), never summed across agencies: the agencies track different systems,
overlap in time (WP 2021 is in both JTWC and IBTrACS) and measure winds over different
averaging periods (1, 3 or 10 minutes). Wind thresholds (34 kt, 64 kt) are applied to each
agency's own winds in its own averaging period. A season counts only when the agency's files
cover every basin the country's storms come from for the whole season
(:data:`AGENCY_PERIODS`); other seasons are missing, never zero.

:func:`cyclone_exposure` ``(scope, tables) -> CycloneExposure`` is the entry point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from osa_analysis.analyse import geography
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore
from osa_analysis.analyse.track_distance import (
    BOUNDARY_STEP_DEG,
    INTERP_STEP_KM,
    MAX_SEGMENT_KM,
    LandDistance,
    densify_tracks,
    storm_passages,
)
from osa_analysis.core.i18n import N_
from osa_analysis.core.stats import poisson_interval, rate_ratio
from osa_analysis.harmonise.tracks import AGENCY_COVERAGE, HAZARD_SOURCE_IDS, prepare_fixes
from osa_analysis.sources.cache import cached

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

CHART_FIRST_SEASON = 1980
"""First season in the chart (the satellite era; earlier records miss storms)."""

AGENCY_LABELS = {
    "ibtracs_wmo": N_("IBTrACS, WMO agency"),
    "ibtracs_usa": N_("IBTrACS, US agencies"),
    "jtwc": N_("JTWC best track"),
    "imd": N_("IMD RSMC New Delhi"),
}
"""Short names of the agencies of the fix table (English in the values; messages, shown
translated by :func:`osa_analysis.brief.exposure_figures.agency_label`)."""

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
``imd_observations`` and :data:`osa_analysis.harmonise.tracks.AGENCY_COVERAGE`. Before 2021
the SP file holds only the South-Indian legs of SP storms, so SI is covered from 2021 only.
"""

SOUTHERN_BASINS = frozenset({"SP", "SI", "SA"})
"""Basins whose seasons run July–June and are named by the year they end (IBTrACS)."""

NAME_OPEN_AGENCIES = frozenset({"ibtracs_wmo", "ibtracs_usa", "jtwc"})
"""Agencies whose storm names may be shown (IMD's file is an internal source: ids only)."""


@dataclass(frozen=True)
class TrackMap:
    """The tracks a map of recent storms shows (headline agency, recent seasons, ≤ 500 km).

    Attributes
    ----------
    agency : str
    first, last : int
        Seasons shown.
    fixes : pandas.DataFrame
        Prepared fixes (:func:`~osa_analysis.harmonise.tracks.prepare_fixes`) of the storms.
    intense_ids : frozenset of str
        Storms that reached :data:`INTENSE_WIND_KT` within :data:`HEADLINE_KM`.
    """

    agency: str
    first: int
    last: int
    fixes: pd.DataFrame
    intense_ids: frozenset[str]


@dataclass(frozen=True)
class CycloneExposure:
    """The cyclone exposure of one country at one date.

    Attributes
    ----------
    values : dict
        JSON-able numbers (the section's ``values``): parameters, closest approach, relevant
        basins, per agency coverage, counts per season and distance, rates with exact
        intervals, the headline agency and the intense storms of the recent seasons.
    passages : pandas.DataFrame
        One row per agency and storm passing near the country (:func:`passages_near`).
    land : shapely geometry or None
        The country's land (None when Natural Earth has no polygon for it).
    track_map : TrackMap or None
        What a map of the recent tracks shows (None when there is nothing to map).
    """

    values: dict
    passages: pd.DataFrame
    land: shapely.Geometry | None
    track_map: TrackMap | None


# --- inputs -----------------------------------------------------------------------------------


def country_land(tables: TableStore, iso3: str) -> shapely.Geometry | None:
    """Return the union of a country's Natural Earth 1:50m polygons (once per process)."""
    countries = tables.full("ne_countries")
    return tables.shared(
        ("country_land", iso3), lambda: geography.country_land(countries, iso3), dated=False
    )


def prepared_fixes(tables: TableStore) -> tuple[pd.DataFrame, dict]:
    """Return the prepared fix table and what was removed (computed once per process)."""
    fixes = tables.full("cyclone_fixes")
    return tables.shared(("cyclone_prepared_fixes",), lambda: prepare_fixes(fixes), dated=False)


def _land_distance(tables: TableStore, iso3: str) -> LandDistance | None:
    geom = country_land(tables, iso3)
    if geom is None:
        return None
    return tables.shared(
        ("land_distance", iso3), lambda: LandDistance(geom, BOUNDARY_STEP_DEG), dated=False
    )


def passages_near(scope: Scope, tables: TableStore) -> tuple[pd.DataFrame, dict]:
    """Return per-track passages near the scope's country and the overall closest approach.

    Fixes after ``as_of`` are left out. Disk-cached (the fix table's sources, Natural Earth,
    this module's code, the country and the date are the key) when every table is real.

    Returns
    -------
    tuple
        The passages (one row per agency and storm whose track comes within reach: agency,
        storm_id, season, name, :func:`~osa_analysis.analyse.track_distance.storm_passages`
        columns, ``closest_basin``, ``closest_date``) and an info dict (``removed``,
        ``n_fixes``, ``closest_fix``, ``n_boundary_points``, ``n_points_densified``).
    """
    iso3 = scope.country_iso3
    as_of = scope.as_of.strftime("%Y-%m-%d")
    fixes, removed = prepared_fixes(tables)
    tables.full("ne_countries")  # records the land's source even when the result is cached

    def build() -> tuple[pd.DataFrame, dict]:
        return _passages(_land_distance(tables, iso3), fixes, removed, as_of)

    def compute() -> tuple[pd.DataFrame, dict]:
        if not tables.real_data:
            return build()
        return cached(
            "cyclone_passages",
            (*HAZARD_SOURCE_IDS, "ne_countries_50m"),
            build,
            kind="object",
            version=f"{iso3}|{as_of}",
        )

    return tables.shared(("cyclone_passages", iso3), compute)


def _passages(
    land: LandDistance | None, fixes: pd.DataFrame, removed: dict, as_of: str
) -> tuple[pd.DataFrame, dict]:
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
        step_km=INTERP_STEP_KM,
        max_segment_km=MAX_SEGMENT_KM,
        near_km=max(DISTANCES_KM),
    )
    dense["distance_km"] = land(
        dense["longitude"].to_numpy(), dense["latitude"].to_numpy(), max_km=reach
    )
    passages = storm_passages(dense, DISTANCES_KM, STORM_WIND_KT, INTENSE_WIND_KT)
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


# --- seasons ----------------------------------------------------------------------------------


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


# --- statistics and labels --------------------------------------------------------------------


def _text_or_none(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _name(agency: str, value) -> str | None:
    """Return a storm's name, or None when unnamed or when the agency's names are not open."""
    return _text_or_none(value) if agency in NAME_OPEN_AGENCIES else None


def _default_periods(agency: str) -> list[int]:
    return {"ibtracs_usa": [1], "jtwc": [1], "imd": [3]}.get(agency, [])


def _rate_fields(n_storm: int, n_recent: int, n_before: int | None) -> dict:
    """Mean rate's exact Poisson interval and, with an earlier period, the rate ratio."""
    lo, hi = poisson_interval(n_storm)
    out: dict = {
        "storm_strength_mean_recent_ci95": [round(lo / n_recent, 2), round(hi / n_recent, 2)]
    }
    if n_before is None:
        return out
    rr = rate_ratio(n_storm, n_before)
    finite = math.isfinite(rr.estimate)
    out["rate_ratio"] = round(rr.estimate, 2) if finite else None
    out["rate_ratio_ci95"] = [
        None if math.isnan(rr.low) else round(rr.low, 2),
        None if not math.isfinite(rr.high) else round(rr.high, 2),
    ]
    out["rate_ratio_significant"] = None if math.isnan(rr.low) else rr.significant
    return out


# --- exposure ---------------------------------------------------------------------------------


def _parameters() -> dict:
    return {
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
    }


def _closest_approach(passages: pd.DataFrame, closest: dict) -> dict:
    name = None
    if len(passages):
        hit = passages[
            (passages["agency"] == closest["agency"])
            & (passages["storm_id"] == closest["storm_id"])
        ]
        if len(hit):
            name = _name(closest["agency"], hit["name"].iat[0])
    return {
        "agency": closest["agency"],
        "storm_id": closest["storm_id"],
        "name": name,
        "distance_km": round(closest["distance_km"], 0),
        "date": pd.Timestamp(closest["time_ns"]).strftime("%Y-%m-%d"),
        "basin": closest["basin"],
    }


def _last_within(near: pd.DataFrame, far: int) -> dict | None:
    if not len(near):
        return None
    last = near.sort_values(["closest_time_ns", "agency"], kind="stable").iloc[-1]
    wind = last[f"max_wind_{far}"]
    period = last[f"max_wind_period_{far}"]
    return {
        "agency": last["agency"],
        "storm_id": last["storm_id"],
        "name": _name(last["agency"], last["name"]),
        "season": int(last["season"]),
        "date": last["closest_date"],
        "distance_km": round(float(last["min_distance_km"]), 0),
        "max_wind_kt": None if pd.isna(wind) else float(wind),
        "wind_avg_period_min": None if pd.isna(period) else int(period),
    }


def _per_season(mine: pd.DataFrame, seasons: list[int]) -> dict[int, dict[str, int]]:
    """Count per season: passages within each distance, gale and intense, no wind."""
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
    return {int(s): {c: int(v) for c, v in row.items()} for s, row in table.iterrows()}


def _by_distance(per_season: dict, seasons: list[int], recent: list[int], before: list[int]):
    """Storm counts and means per distance, with the headline distance's rates."""
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
        by_d[str(h)].update(_rate_fields(n_storm, len(recent), n_storm_before))
    return by_d


def _strongest_recent(mine: pd.DataFrame, recent: list[int], agency: str) -> dict | None:
    """Return the strongest storm within the headline distance in the recent seasons."""
    h = HEADLINE_KM
    if not recent or not len(mine):
        return None
    cand = mine[mine["season"].isin(recent) & mine[f"within_{h}"] & mine[f"max_wind_{h}"].notna()]
    if not len(cand):
        return None
    top = cand.sort_values(
        [f"max_wind_{h}", "season"], ascending=[False, False], kind="stable"
    ).iloc[0]
    return {
        "storm_id": top["storm_id"],
        "name": _name(agency, top["name"]),
        "season": int(top["season"]),
        "wind_kt": float(top[f"max_wind_{h}"]),
        "wind_avg_period_min": int(top[f"max_wind_period_{h}"])
        if pd.notna(top[f"max_wind_period_{h}"])
        else None,
        "distance_km": round(float(top["min_distance_km"]), 0),
    }


def _agency_entry(
    agency: str,
    passages: pd.DataFrame,
    relevant: list[str],
    basin_counts: pd.Series,
    as_of: pd.Timestamp,
) -> dict:
    """Coverage, counts per season and distance, and rates of one agency's record."""
    periods = AGENCY_PERIODS[agency]
    covered = [b for b in relevant if b in periods]
    missing = [b for b in relevant if b not in periods]
    seasons = complete_seasons(agency, covered, as_of) if covered else []
    share_total = float(basin_counts.sum())
    share = (
        float(basin_counts.reindex(covered).fillna(0).sum() / share_total) if share_total else 0.0
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
    per_season = _per_season(mine, seasons)
    entry["per_season"] = {s: per_season[s] for s in seasons if s >= CHART_FIRST_SEASON}
    recent = seasons[-RECENT_SEASONS:]
    before = (
        seasons[-2 * RECENT_SEASONS : -RECENT_SEASONS] if len(seasons) >= 2 * RECENT_SEASONS else []
    )
    entry["recent_seasons"] = [recent[0], recent[-1]] if recent else None
    entry["n_recent_seasons"] = len(recent)
    entry["previous_seasons"] = [before[0], before[-1]] if before else None
    entry["by_distance"] = _by_distance(per_season, seasons, recent, before)
    entry["strongest_recent"] = _strongest_recent(mine, recent, agency)
    periods_seen = (
        mine[f"max_wind_period_{max(DISTANCES_KM)}"].dropna().unique() if len(mine) else []
    )
    entry["wind_avg_periods_min"] = sorted(int(p) for p in periods_seen) or _default_periods(agency)
    return entry


def headline_agency(agencies: dict) -> str | None:
    """Pick the headline record among the agencies with a complete season.

    It covers ≥ 90 % of the country's storms' basins, has the most (and most recent) complete
    seasons, then the fewest nearby storms without a wind, then the larger coverage share,
    then :data:`AGENCY_PREFERENCE`.
    """

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
    return max(usable, key=score) if usable else None


def _intense_recent(agencies: dict, passages: pd.DataFrame) -> list[dict]:
    """List storms reaching intense force within the headline distance, recent seasons."""
    rows = []
    h = HEADLINE_KM
    for agency, entry in agencies.items():
        if not entry["recent_seasons"] or not len(passages):
            continue
        first = entry["recent_seasons"][0]
        sel = passages[
            (passages["agency"] == agency)
            & passages[f"intense_{h}"]
            & (passages["season"] >= first)
        ]
        for _, r in sel.sort_values(["season", "closest_date"]).iterrows():
            rows.append(
                {
                    "agency": agency,
                    "season": int(r["season"]),
                    "storm_id": r["storm_id"],
                    "name": _name(agency, r["name"]),
                    "closest_date": r["closest_date"],
                    "min_distance_km": round(float(r["min_distance_km"]), 0),
                    "max_wind_kt": float(r[f"max_wind_{h}"]),
                    "wind_avg_period_min": int(r[f"max_wind_period_{h}"]),
                }
            )
    return rows


def _track_map(values: dict, passages: pd.DataFrame, fixes: pd.DataFrame) -> TrackMap | None:
    agency = values.get("headline_agency")
    if agency is None:
        return None
    entry = values["agencies"][agency]
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
    keys = set(chosen["storm_id"])
    tracks = fixes[(fixes["agency"] == agency) & fixes["storm_id"].isin(keys)]
    intense = frozenset(chosen.loc[chosen[f"intense_{HEADLINE_KM}"], "storm_id"])
    return TrackMap(agency, int(first), int(last), tracks, intense)


def cyclone_exposure(scope: Scope, tables: TableStore) -> CycloneExposure:
    """Compute the country's cyclone exposure per agency.

    Parameters
    ----------
    scope : Scope
        ``country_iso3`` and ``as_of`` (fixes after it and seasons ending after it are left
        out).
    tables : TableStore
        Gives ``cyclone_fixes`` and ``ne_countries``.

    Returns
    -------
    CycloneExposure
    """
    iso3 = scope.country_iso3
    passages, info = passages_near(scope, tables)
    values: dict = {
        "parameters": _parameters(),
        "removed": {k: v for k, v in info["removed"].items() if k != "basin_names"},
        "n_fixes": info["n_fixes"],
    }
    geom = country_land(tables, iso3)
    values["land_polygons"] = None if geom is None else len(shapely.get_parts(geom))
    if geom is None:
        values["missing_reason"] = f"Natural Earth 1:50m has no polygon for {iso3}"
        return CycloneExposure(values, passages, None, None)
    closest = info["closest_fix"]
    values["closest_approach"] = _closest_approach(passages, closest)
    # basins the country's storms come from: those of the closest points within 500 km
    far = max(DISTANCES_KM)
    near = passages[passages[f"within_{far}"]] if len(passages) else passages
    if len(near):
        basin_counts = near.groupby("closest_basin").size().sort_values(ascending=False)
    else:
        basin_counts = pd.Series({closest["basin"]: 1})
    relevant = sorted(basin_counts.index)
    values["last_within_far"] = _last_within(near, far)
    values["landlocked"] = geography.coastline_km(tables.full("ne_countries"), iso3) == 0.0
    values["relevant_basins"] = relevant
    values["relevant_basins_from"] = f"within {far} km" if len(near) else "closest approach"
    agencies = {
        a: _agency_entry(a, passages, relevant, basin_counts, scope.as_of)
        for a in AGENCY_PREFERENCE
    }
    values["agencies"] = agencies
    values["headline_agency"] = headline_agency(agencies)
    values["intense_recent"] = _intense_recent(agencies, passages)
    fixes, _ = prepared_fixes(tables)
    return CycloneExposure(values, passages, geom, _track_map(values, passages, fixes))
