"""Great-circle geometry on the one spherical Earth of the package (exact values)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from osa_analysis.core.geo import (
    EARTH_RADIUS_KM,
    chord_to_km,
    haversine_km,
    km_to_chord,
    unit_vectors,
)

KM_PER_DEG = 2 * math.pi * EARTH_RADIUS_KM / 360  # 111.195 km on the equator


def test_haversine_one_degree_and_across_the_antimeridian():
    assert haversine_km(0, 0, 1, 0) == pytest.approx(KM_PER_DEG, rel=1e-12)
    assert haversine_km(0, 179.5, 0, -179.5) == pytest.approx(KM_PER_DEG, rel=1e-9)
    assert haversine_km(90, 0, -90, 0) == pytest.approx(math.pi * EARTH_RADIUS_KM)


def test_haversine_propagates_missing_coordinates():
    out = haversine_km([0.0, np.nan], [0.0, 0.0], [1.0, 1.0], [0.0, 0.0])
    assert out[0] == pytest.approx(KM_PER_DEG)
    assert np.isnan(out[1])


def test_unit_vectors_and_chords_agree_with_haversine():
    xyz = unit_vectors([0.0, 10.0], [0.0, 20.0])
    assert np.linalg.norm(xyz, axis=1) == pytest.approx([1.0, 1.0])
    chord = np.linalg.norm(xyz[0] - xyz[1])
    assert chord_to_km(chord) == pytest.approx(haversine_km(0, 0, 20, 10), rel=1e-12)
    assert km_to_chord(float(chord_to_km(chord))) == pytest.approx(chord, rel=1e-12)
