"""The composite's statistical audit on hand-made scores (correlations and PCA)."""

from __future__ import annotations

import numpy as np
import pytest

from osa_analysis.analyse.method_checks import MIN_PCA_COUNTRIES, audit_from_scores


def scores(n: int = 40) -> np.ndarray:
    rng = np.random.default_rng(3)
    latent = rng.normal(5, 2, n)
    a = latent + rng.normal(0, 0.1, n)  # a and b: two readings of one thing
    b = latent + rng.normal(0, 0.1, n)
    c = rng.normal(5, 2, n)  # unrelated
    d = rng.normal(5, 2, n)  # the only indicator of its dimension
    d[:5] = np.nan
    return np.column_stack([a, b, c, d])


def test_redundant_pairs_are_flagged_and_pca_finds_one_component():
    slots, dim_of = ["a", "b", "c", "d"], np.array([0, 0, 0, 1])
    corr, pca, redundant = audit_from_scores(scores(), slots, dim_of, ["one", "two"])
    pairs = {(c["a"], c["b"]): c for c in corr}
    assert set(pairs) == {("a", "b"), ("a", "c"), ("b", "c")}  # inside a dimension only
    assert pairs[("a", "b")]["r"] == pytest.approx(
        np.corrcoef(scores()[:, 0], scores()[:, 1])[0, 1], abs=1e-3
    )
    assert [(r["a"], r["b"]) for r in redundant] == [("a", "b")]
    one = next(p for p in pca if p["dimension"] == "one")
    assert 0.6 < one["pc1_share"] < 0.75  # two of three indicators move together
    assert one["loadings"]["a"] == pytest.approx(one["loadings"]["b"], abs=0.02)
    assert abs(one["loadings"]["c"]) < 0.2
    assert all(p["dimension"] != "two" for p in pca)  # one indicator: no PCA


def test_too_few_complete_countries_give_no_components():
    few = scores(MIN_PCA_COUNTRIES - 1)
    _, pca, _ = audit_from_scores(few, ["a", "b", "c", "d"], np.array([0, 0, 0, 1]), ["x", "y"])
    one = next(p for p in pca if p["dimension"] == "x")
    assert (one["pc1_share"], one["loadings"]) == (None, None)
