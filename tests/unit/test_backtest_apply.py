"""The selected model in a brief: its lead, its fit, its interval, and one number per quantity."""

import numpy as np
import pandas as pd
import pytest
from diversion_synthetic import AS_OF, make_store, make_tables

from osa_analysis.analyse.backtest import (
    assess_with_selected_models,
    fitted_models,
    load_backtest_config,
    selected_probabilities,
)
from osa_analysis.analyse.backtest.forecasts import judgement_origin, lead_years
from osa_analysis.analyse.backtest.model import fit_logistic, laplace_interval
from osa_analysis.analyse.diversion import load_config
from osa_analysis.analyse.scope import Scope


@pytest.fixture(scope="module")
def store(synthetic_store):
    """The session's synthetic store: its fitted models are computed once (conftest.py)."""
    return synthetic_store


def test_judgement_origin_and_leads():
    assert judgement_origin(pd.Timestamp("2026-06-30")) == 2025
    assert judgement_origin(pd.Timestamp("2026-07-01")) == 2026
    # synthetic UCDP to 2024; Powell & Thyne's coverage end 2023-09-08: last whole year 2022
    assert lead_years(make_tables(), AS_OF, load_config()) == {"S1": 2, "S2": 4, "S3": 2}
    assert lead_years(make_tables(), pd.Timestamp("2025-03-01"), load_config())["S1"] == 0


def test_lead_forecasts_see_nothing_after_their_data_end(
    synthetic_forecasts, forecasts_with_extra_coup
):
    before, after = synthetic_forecasts, forecasts_with_extra_coup  # tests/unit/conftest.py
    cols = ["base_rate_lead", "logistic_lead", "climatology_lead", "persistence_lead"]
    # S2's lead is 4 years: origins to 2015 have data to 2011 at most
    keep = before["year"] <= 2015
    pd.testing.assert_frame_equal(
        before.loc[keep, cols].reset_index(drop=True),
        after.loc[after["year"] <= 2015, cols].reset_index(drop=True),
    )
    s2 = (after["kind"] == "S2") & after["country_iso3"].eq("CHN") & after["horizon_months"].eq(12)
    # base_rate_lead at 2016 is the base rate of 2012, which holds the new attempt
    assert after.loc[s2 & after["year"].eq(2016), "base_rate_lead"].item() == pytest.approx(
        after.loc[s2 & after["year"].eq(2012), "base_rate"].item()
    )


def test_laplace_interval_halves_with_four_times_the_data():
    rng = np.random.default_rng(11)
    cfg = load_backtest_config()
    names = list(cfg["models"]["logistic"]["features"])
    n = 400
    train = pd.DataFrame({name: rng.normal(size=n) for name in names if name != "base_logit"})
    train["base_rate"] = rng.uniform(0.01, 0.3, n)
    for name in [c for c in names if c.startswith("events_")]:
        train[f"S2_{name}"] = train.pop(name)
    train["target"] = (rng.uniform(size=n) < train["base_rate"]).astype(int)
    x = np.zeros(len(names))
    four = pd.concat([train] * 4, ignore_index=True)
    strong = {**cfg["models"]["logistic"], "penalty_c": 1e6}
    cfg_strong = {**cfg, "models": {**cfg["models"], "logistic": strong}}
    p1, (lo1, hi1) = laplace_interval(
        fit_logistic(train, "S2", cfg_strong), train, x, "S2", cfg_strong, 0.95
    )
    p4, (lo4, hi4) = laplace_interval(
        fit_logistic(four, "S2", cfg_strong), four, x, "S2", cfg_strong, 0.95
    )
    assert lo1 < p1 < hi1
    assert p4 == pytest.approx(p1, rel=1e-3)
    width1 = np.log(hi1 / (1 - hi1)) - np.log(lo1 / (1 - lo1))
    width4 = np.log(hi4 / (1 - hi4)) - np.log(lo4 / (1 - lo4))
    assert width4 == pytest.approx(width1 / 2, rel=1e-2)


def test_the_register_uses_the_selected_model_and_keeps_the_base_rate_beside_it(store):
    fits = fitted_models(store)
    assert ("S2", 12) in fits and fits[("S2", 12)]["lead_years"] == 4
    assert fits[("S2", 12)]["training_years"][1] <= 2022 - 4 - 1
    probs = selected_probabilities(store, "FJI")
    s2 = probs["S2"]["12m"]
    assert 0 < s2["probability"] < 1 and s2["interval"][0] < s2["probability"] < s2["interval"][1]
    result = assess_with_selected_models(Scope("FJI", AS_OF, peers=()), store)
    reg = next(s for s in result.scenarios if s["id"] == "S2")
    assert reg["probability_12m"] == pytest.approx(s2["probability"])
    assert reg["likelihood_12m"] == pytest.approx(s2["interval"])
    assert reg["model_12m"]["model"] == "logistic"
    assert reg["own_probability"]["12m"]["point"] != pytest.approx(reg["probability_12m"])
    assert reg["likelihood_basis"].startswith("the logistic model selected by the backtest")


def test_a_state_without_a_panel_row_keeps_its_base_rate(store):
    probs = selected_probabilities(store, "VNM")
    assert all("missing_reason" in h for k in probs.values() for h in k.values())
    result = assess_with_selected_models(Scope("VNM", AS_OF, peers=()), store)
    reg = next(s for s in result.scenarios if s["id"] == "S2")
    assert reg["likelihood_basis"] == "the country's own base rate"
    assert reg["probability_12m"] == pytest.approx(reg["own_probability"]["12m"]["point"])


def test_a_36_month_probability_is_never_below_the_12_month_one():
    from osa_analysis.analyse.backtest.apply import coherent

    horizons = {
        "12m": {"probability": 0.02, "interval": [0.01, 0.04]},
        "36m": {"probability": 0.015, "interval": [0.005, 0.05]},
    }
    coherent(horizons)
    assert horizons["36m"] == {"probability": 0.02, "interval": [0.01, 0.05], "raised_to_12m": True}
    fine = {
        "12m": {"probability": 0.01, "interval": [0, 0.02]},
        "36m": {"probability": 0.03, "interval": [0.01, 0.05]},
    }
    coherent(fine)
    assert "raised_to_12m" not in fine["36m"]


def test_an_origin_never_passes_the_store_date():
    from osa_analysis.analyse.backtest.forecasts import base_rate_forecasts

    # FJI's synthetic attempts: 1987, 2000 and 2006-12-05; a store dated 2006-07-01 must
    # not see the December attempt at the origin of 2006
    early = base_rate_forecasts(
        make_store(pd.Timestamp("2006-07-01")), 2006, ["FJI"], load_config(), ["S2"]
    )
    late = base_rate_forecasts(make_store(), 2006, ["FJI"], load_config(), ["S2"])
    assert set(early["base_events"]) == {2} and set(late["base_events"]) == {3}


def test_a_country_year_without_an_own_base_rate_is_neither_fitted_nor_forecast(
    synthetic_forecasts,
):
    from osa_analysis.analyse.backtest.model import lead_pairs, rolling_logistic, training_rows

    cfg = load_backtest_config()
    table = synthetic_forecasts
    rows = table[table["kind"].eq("S3") & table["horizon_months"].eq(12)].copy()
    gap = rows["country_iso3"].eq("FJI") & rows["year"].between(2010, 2018)
    rows.loc[gap, "base_rate"] = np.nan
    train = training_rows(lead_pairs(rows, 0), 12, 0, 2020, 1990)
    assert not (train["country_iso3"].eq("FJI") & train["year"].between(2010, 2018)).any()
    assert train["base_rate"].notna().all()
    p = rolling_logistic(rows, "S3", 12, [2018, 2020], cfg)
    fji, phl = rows["country_iso3"].eq("FJI"), rows["country_iso3"].eq("PHL")
    assert p[fji & rows["year"].eq(2018)].isna().all()  # no invented base_logit
    assert p[phl & rows["year"].eq(2018)].notna().all()
    assert p[fji & rows["year"].eq(2020)].notna().all()


def test_a_raised_36_month_probability_says_so_in_text_and_judgements():
    from osa_analysis.analyse.judgements import _model
    from osa_analysis.brief.diversion_evidence import RAISED, likelihood_text, model_text

    model = {
        "probability": 0.02,
        "model": "logistic",
        "method_version": "backtest-v2",
        "lead_years": 2,
        "data_year": 2024,
        "coups_data_year": 2022,
        "training_years": [1990, 2021],
        "training_rows": 5000,
        "training_events": 200,
        "interval_kind": "95% from the fit (Laplace approximation)",
        "raised_to_12m": True,
    }
    s = {
        "probability_36m": 0.02,
        "likelihood_36m": [0.01, 0.05],
        "yardstick_36m": "remote",
        "model_36m": model,
    }
    assert RAISED in likelihood_text(s, "36m")
    assert RAISED in model_text(model) and "(coup attempts to 2022)" in model_text(model)
    assert _model(model)["raised_to_12m"] is True and _model(model)["coups_data_year"] == 2022
    assert RAISED not in model_text({**model, "raised_to_12m": False})
