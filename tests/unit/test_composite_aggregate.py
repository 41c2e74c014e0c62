"""Aggregation: arithmetic inside a dimension, (shifted) geometric or arithmetic across."""

from __future__ import annotations

import numpy as np
import pytest

from osa_analysis.analyse import composite as rc


def test_geometric_and_arithmetic_aggregation():
    dim_of = np.array([0, 0, 1, 2])
    scores = np.array([[2.0, 6.0, 4.0, 16.0], [3.0, 99.0, 3.0, 3.0]])
    avail = np.array([[True, True, True, True], [True, False, True, True]])
    w_ind = np.array([0.5, 0.5, 1.0, 1.0])
    w_dim = np.array([1.0, 1.0, 1.0])
    comp, dims = rc.aggregate(scores, avail, dim_of, w_ind, w_dim, "geometric", 0.0)
    assert dims.tolist() == [[4.0, 4.0, 16.0], [3.0, 3.0, 3.0]]  # missing one renormalised
    assert comp == pytest.approx([(4 * 4 * 16) ** (1 / 3), 3.0])
    comp1, _ = rc.aggregate(scores, avail, dim_of, w_ind, w_dim, "geometric", 1.0)
    assert comp1[0] == pytest.approx((5 * 5 * 17) ** (1 / 3) - 1)
    ari, _ = rc.aggregate(scores, avail, dim_of, w_ind, w_dim, "arithmetic")
    assert ari == pytest.approx([8.0, 3.0])
    # geometric mean <= arithmetic mean
    assert (comp <= ari + 1e-12).all() and (comp1 <= ari + 1e-12).all()
    with pytest.raises(ValueError, match="unknown aggregation"):
        rc.aggregate(scores, avail, dim_of, w_ind, w_dim, "harmonic")


def test_plain_geometric_zero_dimension_and_empty_dimension():
    dim_of = np.array([0, 1, 2])
    comp, _ = rc.aggregate(
        np.array([[0.0, 5.0, 5.0]]), np.ones((1, 3), bool), dim_of, np.ones(3), np.ones(3)
    )
    assert comp.tolist() == [0.0]
    comp, dims = rc.aggregate(
        np.array([[1.0, 5.0, 5.0]]), np.array([[False, True, True]]), dim_of, np.ones(3), np.ones(3)
    )
    assert np.isnan(comp[0]) and np.isnan(dims[0, 0])
