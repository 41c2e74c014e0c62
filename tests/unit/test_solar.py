"""Solar position (NOAA algorithm) and the darkness classes (osa_analysis.core.solar)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from osa_analysis.core.solar import (
    CIVIL_TWILIGHT_DEG,
    SUNRISE_ELEVATION_DEG,
    darkness,
    solar_declination,
    solar_elevation,
    sun_times,
)

MANILA = (14.5995, 120.9842)
PHT = "Asia/Manila"


def test_declination_at_equinox_and_solstices():
    # 2024 March equinox 03:06 UTC; June solstice 20:51 UTC; December solstice 09:20 UTC
    decl = solar_declination(["2024-03-20 03:06", "2024-06-20 20:51", "2024-12-21 09:20"])
    assert abs(decl[0]) < 0.02
    assert decl[1] == pytest.approx(23.44, abs=0.01)
    assert decl[2] == pytest.approx(-23.44, abs=0.01)


def test_noon_elevation_on_the_equator_at_equinox_is_ninety_minus_declination():
    noon = sun_times("2024-03-20", 0.0, 0.0)["solar_noon"]
    elev = solar_elevation(noon, 0.0, 0.0)[0]
    assert elev == pytest.approx(90.0 - abs(solar_declination(noon)[0]), abs=0.02)
    assert elev > 89.8
    # solar noon at Greenwich on the equinox: 12:00 UTC plus the equation of time (~7.4 min)
    assert noon.tz_convert("UTC").strftime("%H:%M") == "12:07"


def test_sun_is_overhead_at_the_tropic_on_the_june_solstice():
    noon = sun_times("2024-06-20", 23.44, 0.0)["solar_noon"]
    assert solar_elevation(noon, 23.44, 0.0)[0] == pytest.approx(90.0, abs=0.05)


@pytest.mark.parametrize("day", ["2021-06-21", "2024-06-21"])
def test_manila_sunrise_and_sunset_match_pagasa(day):
    # PAGASA (Philippine weather bureau) for Metro Manila on 21 June 2021 and 2024:
    # sunrise 5:28 a.m., sunset 6:27 p.m. Philippine Standard Time.
    times = sun_times(day, *MANILA)
    rise = times["sunrise"].tz_convert(PHT)
    set_ = times["sunset"].tz_convert(PHT)
    assert abs((rise - pd.Timestamp(f"{day} 05:28", tz=PHT)).total_seconds()) <= 120
    assert abs((set_ - pd.Timestamp(f"{day} 18:27", tz=PHT)).total_seconds()) <= 120
    # at sunrise the geometric elevation is the sunrise threshold
    assert solar_elevation(times["sunrise"], *MANILA)[0] == pytest.approx(
        SUNRISE_ELEVATION_DEG, abs=0.05
    )


def test_polar_day_has_no_sunrise():
    times = sun_times("2024-06-21", 80.0, 0.0)
    assert times["sunrise"] is None and times["sunset"] is None


def test_elevation_is_vectorised_and_handles_missing_times():
    times = pd.to_datetime(["2024-06-20 16:00", "NaT", "2024-06-21 04:00"])
    elev = solar_elevation(times, [14.6, 1.0, 14.6], [121.0, 1.0, 121.0])
    assert elev.shape == (3,)
    assert np.isnan(elev[1])
    assert elev[0] < -30  # local midnight in Manila
    assert elev[2] > 60  # local noon in Manila


def test_timezone_aware_input_equals_naive_utc():
    aware = solar_elevation(pd.Timestamp("2024-06-21 04:00", tz=PHT), *MANILA)
    naive = solar_elevation(pd.Timestamp("2024-06-20 20:00"), *MANILA)
    assert aware[0] == pytest.approx(naive[0], abs=1e-9)


def test_refraction_lifts_low_sun():
    geo = solar_elevation("2024-06-20 21:30", *MANILA)[0]
    app = solar_elevation("2024-06-20 21:30", *MANILA, refraction=True)[0]
    assert 0.0 < app - geo < 0.6
    high = solar_elevation("2024-06-21 04:00", *MANILA)[0]
    assert solar_elevation("2024-06-21 04:00", *MANILA, refraction=True)[0] - high < 0.02


def test_darkness_thresholds():
    out = darkness(
        [
            10.0,
            SUNRISE_ELEVATION_DEG + 1e-9,
            SUNRISE_ELEVATION_DEG,
            -3.0,
            CIVIL_TWILIGHT_DEG + 1e-9,
            CIVIL_TWILIGHT_DEG,
            -40.0,
            np.nan,
        ]
    )
    assert out.tolist() == [
        "day",
        "day",
        "twilight",
        "twilight",
        "twilight",
        "night",
        "night",
        None,
    ]


def test_manila_times_of_day():
    utc = pd.to_datetime(["2024-06-20 16:30", "2024-06-20 21:20", "2024-06-21 02:00"])
    elev = solar_elevation(utc, MANILA[0], MANILA[1])
    assert darkness(elev).tolist() == ["night", "twilight", "day"]  # 00:30, 05:20, 10:00 PHT
