"""Unit tests of the cyclone-exposure computations (tiny synthetic inputs, exact values)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely

from osa_analysis.brief import exposure as X
from osa_analysis.core.geo import EARTH_RADIUS_KM, haversine_km
from osa_analysis.sources.loaders.hazards import AGENCY_COVERAGE

KM_PER_DEG = 2 * math.pi * EARTH_RADIUS_KM / 360  # 111.195 km on the equator




def test_land_distance_square():
    land = X.LandDistance(shapely.box(0, 0, 1, 1))
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
    land = X.LandDistance(geom)
    km = land(np.array([-178.5, 178.5, 179.9, -179.9]), np.zeros(4))
    half = KM_PER_DEG / 2
    assert km[0] == pytest.approx(half, abs=1e-6)
    assert km[1] == pytest.approx(half, abs=1e-6)
    assert km[2] == 0.0 and km[3] == 0.0


def test_land_distance_closest_is_exact():
    land = X.LandDistance(shapely.box(0, 0, 1, 1))
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
    dense = X.densify_tracks(pts, step_km=10.0)
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
    new = X.densify_tracks(pts, step_km=10.0)
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
    assert len(X.densify_tracks(pts, step_km=10.0)) == 3 + 11
    far = pts.assign(distance_km=[900.0, 900.0, 5000.0])
    assert len(X.densify_tracks(far, step_km=10.0, near_km=500)) == 3
    near = pts.assign(distance_km=[520.0, 520.0, 5000.0])  # 520 - 55.6 <= 500
    assert len(X.densify_tracks(near, step_km=10.0, near_km=500)) == 3 + 11


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
    out = X.storm_passages(pts)
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
    assert X.season_span(2024, "SP") == (pd.Timestamp("2023-07-01"), pd.Timestamp("2024-06-30"))
    assert X.season_span(2024, "WP") == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"))


def test_complete_seasons():
    as_of = pd.Timestamp("2026-08-09")
    sp = X.complete_seasons("ibtracs_wmo", ["SP"], as_of)
    assert sp[0] == 1898 and sp[-1] == 2024  # season 2024 ends 2024-06-30 <= 2024-09-22
    assert X.complete_seasons("ibtracs_wmo", ["WP"], as_of) == [2021, 2022, 2023]
    assert X.complete_seasons("ibtracs_wmo", ["SP", "WP"], as_of) == [2021, 2022, 2023]
    assert X.complete_seasons("ibtracs_wmo", ["SI"], as_of) == [2022, 2023, 2024]
    jtwc = X.complete_seasons("jtwc", ["WP"], as_of)
    assert (jtwc[0], jtwc[-1], len(jtwc)) == (1945, 2021, 77)
    assert X.complete_seasons("imd", ["NI"], as_of)[-1] == 2025
    assert X.complete_seasons("imd", ["NI"], pd.Timestamp("2025-06-01"))[-1] == 2024
    assert X.complete_seasons("jtwc", ["SP"], as_of) == []  # basin not covered at all
    assert X.complete_seasons("imd", ["NI", "WP"], as_of)[-1] == 2025  # WP ignored


def test_agency_periods_hold_every_fix_of_agency_coverage():
    for agency, info in AGENCY_COVERAGE.items():
        periods = X.AGENCY_PERIODS[agency]
        for basin, (first, last) in info["coverage"].items():
            start, end = periods[basin]
            assert last <= end, (agency, basin)
            if not (agency.startswith("ibtracs") and basin == "SI"):
                # before 2021 the SP file holds only the SI legs of SP storms
                assert first >= start, (agency, basin)


def test_poisson_rate_ci_garwood():
    assert X.poisson_rate_ci(0, 10) == pytest.approx((0.0, 0.36889), abs=1e-5)
    assert X.poisson_rate_ci(10, 1) == pytest.approx((4.79539, 18.39036), abs=1e-5)
    assert all(math.isnan(v) for v in X.poisson_rate_ci(3, 0))


def test_rate_ratio_test():
    ratio, lo, hi = X.rate_ratio_test(10, 10)
    assert ratio == 1.0
    assert (lo, hi) == pytest.approx((0.37355, 2.67704), abs=1e-5)
    ratio, lo, hi = X.rate_ratio_test(5, 0)
    assert math.isnan(ratio) and math.isinf(hi) and lo == pytest.approx(0.91636, abs=1e-5)
    assert all(math.isnan(v) for v in X.rate_ratio_test(0, 0))


def test_labels():
    assert X._winds_label([1]) == "1-min winds"
    assert X._winds_label([10, 3, 3.0]) == "3/10-min winds"
    assert X._winds_label([]) == "no winds recorded"
    assert X._storm_label(None, "202022") == "storm 202022"
    assert X._storm_label("A_B", "x") == "A\\_B"
    assert X._possessive("Philippines") == "Philippines'"
    assert X._possessive("Fiji") == "Fiji's"


def test_capacity_keys_are_stable():
    assert X.CAPACITY_KEYS == (
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
