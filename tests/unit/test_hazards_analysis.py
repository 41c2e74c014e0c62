"""Unit tests of the cyclone-exposure analysis (tiny synthetic inputs, exact values)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely

from osa_analysis.analyse import capacity, hazards
from osa_analysis.analyse import track_distance as D
from osa_analysis.brief import exposure, exposure_figures
from osa_analysis.core.geo import EARTH_RADIUS_KM, haversine_km
from osa_analysis.harmonise.tracks import AGENCY_COVERAGE

KM_PER_DEG = 2 * math.pi * EARTH_RADIUS_KM / 360  # 111.195 km on the equator


def test_land_distance_square():
    land = D.LandDistance(shapely.box(0, 0, 1, 1))
    lon = np.array([0.5, 2.0, 0.5, 10.0])
    lat = np.array([0.5, 0.5, -1.0, 0.5])
    km = land(lon, lat)
    assert km[0] == 0.0  # inside
    # east of the square: nearest boundary point (1, 0.5) is a densified vertex
    assert km[1] == pytest.approx(haversine_km(0.5, 2.0, 0.5, 1.0), abs=1e-6)
    assert km[2] == pytest.approx(KM_PER_DEG, abs=1e-6)  # south of (0.5, 0)
    assert km[3] == pytest.approx(haversine_km(0.5, 10.0, 0.5, 1.0), abs=1e-6)
    bounded = land(lon, lat, max_km=200)
    assert bounded[:3] == pytest.approx(km[:3])
    assert np.isinf(bounded[3])


def test_land_distance_across_the_antimeridian():
    # an island 179°E .. 179°W split at ±180° as Natural Earth does (Fiji)
    geom = shapely.MultiPolygon([shapely.box(179, -1, 180, 1), shapely.box(-180, -1, -179, 1)])
    land = D.LandDistance(geom)
    km = land(np.array([-178.5, 178.5, 179.9, -179.9]), np.zeros(4))
    half = KM_PER_DEG / 2
    assert km[0] == pytest.approx(half, abs=1e-6)
    assert km[1] == pytest.approx(half, abs=1e-6)
    assert km[2] == 0.0 and km[3] == 0.0


def test_land_distance_closest_is_exact():
    land = D.LandDistance(shapely.box(0, 0, 1, 1))
    lon = np.array([30.0, -20.0, 5.0, 40.0])
    lat = np.array([0.5, 0.5, 3.0, -30.0])
    k, km = land.closest(lon, lat)
    assert k == 2
    assert km == pytest.approx(haversine_km(3.0, 5.0, 1.0, 1.0), abs=1e-6)


def _points(rows):
    return pd.DataFrame(
        rows,
        columns=[
            "track",
            "latitude",
            "longitude",
            "wind_kt",
            "wind_avg_period_min",
            "time_ns",
            "basin_code",
        ],
    )


def test_densify_tracks_spacing_winds_and_track_breaks():
    t0 = pd.Timestamp("2020-01-01").value
    six_h = 6 * 3600 * 10**9
    pts = _points(
        [
            (0, 0.0, 0.0, 30.0, 1.0, t0, 0),
            (0, 0.0, 1.0, 50.0, 1.0, t0 + six_h, 0),  # 111.2 km later: 12 steps
            (1, 5.0, 5.0, 20.0, 1.0, t0, 1),  # another track: never joined
        ]
    )
    dense = D.densify_tracks(pts, step_km=10.0)
    new = dense[dense["interpolated"]]
    assert len(dense) == 3 + 11
    assert (new["track"] == 0).all()
    assert new["longitude"].to_numpy() == pytest.approx(np.arange(1, 12) / 12)
    assert (new["latitude"] == 0).all()
    # winds are the nearer fix's (fraction <= 0.5: start), never interpolated values
    assert new["wind_kt"].tolist() == [30.0] * 6 + [50.0] * 5
    assert new["time_ns"].iloc[0] == t0 + round(six_h / 12)


def test_densify_tracks_across_the_antimeridian_and_missing_winds():
    pts = _points(
        [
            (0, 0.0, 179.8, 40.0, 10.0, 0, 0),
            (0, 0.0, -179.8, np.nan, np.nan, 10, 0),
        ]
    )
    new = D.densify_tracks(pts, step_km=10.0)
    new = new[new["interpolated"]]
    assert len(new) == 4  # 0.4° = 44.5 km -> 5 steps
    assert (new["longitude"].abs() > 179.8).all()
    # the nearer fix has no wind: the other fix's wind and period are used
    assert (new["wind_kt"] == 40.0).all() and (new["wind_avg_period_min"] == 10.0).all()


def test_densify_tracks_near_filter_and_gaps():
    pts = _points(
        [
            (0, 0.0, 0.0, 30.0, 1.0, 0, 0),
            (0, 0.0, 1.0, 30.0, 1.0, 1, 0),
            (0, 0.0, 20.0, 30.0, 1.0, 2, 0),  # 2 100 km jump: a gap, not interpolated
        ]
    )
    assert len(D.densify_tracks(pts, step_km=10.0)) == 3 + 11
    far = pts.assign(distance_km=[900.0, 900.0, 5000.0])
    assert len(D.densify_tracks(far, step_km=10.0, near_km=500)) == 3
    near = pts.assign(distance_km=[520.0, 520.0, 5000.0])  # 520 - 55.6 <= 500
    assert len(D.densify_tracks(near, step_km=10.0, near_km=500)) == 3 + 11


def test_storm_passages_thresholds_and_winds():
    pts = pd.DataFrame(
        {
            "track": [0, 0, 0, 1, 1, 2],
            "distance_km": [450.0, 150.0, 90.0, 300.0, 600.0, 700.0],
            "wind_kt": [70.0, 60.0, np.nan, 40.0, 80.0, 100.0],
            "wind_avg_period_min": [1.0, 1.0, np.nan, 10.0, 10.0, 1.0],
            "time_ns": [0, 1, 2, 0, 1, 0],
            "basin_code": [0, 0, 0, 1, 1, 0],
        }
    )
    out = D.storm_passages(pts)
    assert out.loc[0, "min_distance_km"] == 90.0
    assert out.loc[0, "closest_time_ns"] == 2
    assert out.loc[0, ["within_100", "within_200", "within_500"]].tolist() == [True, True, True]
    assert np.isnan(out.loc[0, "max_wind_100"])  # the only point within 100 km has no wind
    assert out.loc[0, "max_wind_200"] == 60.0 and out.loc[0, "max_wind_500"] == 70.0
    assert out.loc[0, "storm_200"] and not out.loc[0, "intense_200"] and out.loc[0, "intense_500"]
    assert out.loc[1, ["within_100", "within_200", "within_500"]].tolist() == [False, False, True]
    assert out.loc[1, "max_wind_500"] == 40.0 and out.loc[1, "max_wind_period_500"] == 10.0
    assert not out.loc[2, "within_500"] and np.isnan(out.loc[2, "max_wind_500"])


def test_season_span():
    assert hazards.season_span(2024, "SP") == (
        pd.Timestamp("2023-07-01"),
        pd.Timestamp("2024-06-30"),
    )
    assert hazards.season_span(2024, "WP") == (
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2024-12-31"),
    )


def test_complete_seasons():
    as_of = pd.Timestamp("2026-08-09")
    sp = hazards.complete_seasons("ibtracs_wmo", ["SP"], as_of)
    assert sp[0] == 1898 and sp[-1] == 2024  # season 2024 ends 2024-06-30 <= 2024-09-22
    assert hazards.complete_seasons("ibtracs_wmo", ["WP"], as_of) == [2021, 2022, 2023]
    assert hazards.complete_seasons("ibtracs_wmo", ["SP", "WP"], as_of) == [2021, 2022, 2023]
    assert hazards.complete_seasons("ibtracs_wmo", ["SI"], as_of) == [2022, 2023, 2024]
    jtwc = hazards.complete_seasons("jtwc", ["WP"], as_of)
    assert (jtwc[0], jtwc[-1], len(jtwc)) == (1945, 2021, 77)
    assert hazards.complete_seasons("imd", ["NI"], as_of)[-1] == 2025
    assert hazards.complete_seasons("imd", ["NI"], pd.Timestamp("2025-06-01"))[-1] == 2024
    assert hazards.complete_seasons("jtwc", ["SP"], as_of) == []  # basin not covered at all
    assert hazards.complete_seasons("imd", ["NI", "WP"], as_of)[-1] == 2025  # WP ignored


def test_agency_periods_hold_every_fix_of_agency_coverage():
    for agency, info in AGENCY_COVERAGE.items():
        periods = hazards.AGENCY_PERIODS[agency]
        for basin, (first, last) in info["coverage"].items():
            start, end = periods[basin]
            assert last <= end, (agency, basin)
            if not (agency.startswith("ibtracs") and basin == "SI"):
                # before 2021 the SP file holds only the SI legs of SP storms
                assert first >= start, (agency, basin)


def test_rate_fields_poisson_interval_per_season():
    # Garwood: 0 events -> (0, 3.689); per 10 seasons -> (0, 0.37)
    assert hazards._rate_fields(0, 10, None) == {"storm_strength_mean_recent_ci95": [0.0, 0.37]}
    assert hazards._rate_fields(10, 1, None)["storm_strength_mean_recent_ci95"] == [4.80, 18.39]


def test_rate_fields_rate_ratio_matches_the_exact_binomial_interval():
    from scipy.stats import binomtest

    def reference(k1: int, k0: int) -> tuple[float, float]:
        ci = binomtest(k1, k1 + k0).proportion_ci(confidence_level=0.95, method="exact")
        odds = [math.inf if p >= 1 else p / (1 - p) for p in (ci.low, ci.high)]
        return odds[0], odds[1]

    out = hazards._rate_fields(10, 10, 10)
    assert out["rate_ratio"] == 1.0
    assert out["rate_ratio_ci95"] == [round(v, 2) for v in reference(10, 10)] == [0.37, 2.68]
    assert out["rate_ratio_significant"] is False
    # no storms before: no ratio, an open upper bound, lower bound 0.92 < 1 (not significant)
    out = hazards._rate_fields(5, 10, 0)
    assert out["rate_ratio"] is None
    assert out["rate_ratio_ci95"] == [round(reference(5, 0)[0], 2), None] == [0.92, None]
    assert out["rate_ratio_significant"] is False
    out = hazards._rate_fields(0, 10, 0)
    assert out["rate_ratio_ci95"] == [None, None] and out["rate_ratio_significant"] is None
    out = hazards._rate_fields(20, 10, 4)
    assert out["rate_ratio"] == 5.0 and out["rate_ratio_significant"] is True


def test_labels():
    assert exposure_figures.winds_label([1]) == "1-min winds"
    assert exposure_figures.winds_label([10, 3, 3.0]) == "3/10-min winds"
    assert exposure_figures.winds_label([]) == "no winds recorded"
    assert exposure._storm_label(None, "201331") == "31W (2013)"  # JTWC: Haiyan's number
    assert exposure._storm_label(None, "202005") == "05W (2020)"
    assert exposure._storm_label(None, "2019-009") == "storm 2019-009"  # IMD's ids stay
    assert exposure._storm_label("A_B", "x") == "A\\_B"
    assert exposure._possessive("Philippines") == "Philippines'"
    assert exposure._possessive("Fiji") == "Fiji's"


def test_capacity_keys_are_stable():
    assert capacity.CAPACITY_KEYS == (
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
