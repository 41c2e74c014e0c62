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


def test_attribution_agreement_against_imbs_own_eez_field():
    import pandas as pd

    from osa_analysis.analyse.method_checks import attribution_agreement

    rows = [
        # (source, IMB's eez_country, the project's coastal state)
        ("imb_pirate_attacks", "MYS", "MYS"),
        ("imb_pirate_attacks", "IDN", "MYS"),  # Singapore Strait: the project says MYS
        ("imb_pirate_attacks", "IDN", "IDN"),
        ("imb_pirate_attacks", "PHL", None),  # high seas for the project: a disagreement
        ("imb_pirate_attacks", None, "PHL"),  # IMB gives no EEZ: not scored
        ("asam_msi_csv", "PHL", "PHL"),  # another source: not scored
    ]
    reports = pd.DataFrame(rows, columns=["source", "source_country_iso3", "coastal_state_iso3"])
    for col in reports:
        reports[col] = reports[col].astype("string")
    check = attribution_agreement(reports, ["MYS", "IDN", "FJI"])
    assert (check.n, check.agreement) == (4, 0.5)
    by = {r["country_iso3"]: r for r in check.by_country}
    assert by["MYS"] == {
        "country_iso3": "MYS",
        "project": 2,
        "imb": 1,
        "agree": 1,
        "difference": 1.0,
    }
    assert by["IDN"]["difference"] == -0.5
    assert by["FJI"]["difference"] is None
