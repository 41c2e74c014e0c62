"""The scenario register S1-S6 on synthetic tables: base rates, likelihoods, relevance."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from diversion_synthetic import AS_OF, make_tables, projects

from osa_analysis.analyse import diversion as D
from osa_analysis.analyse.diversion.rates import predictive_probability
from osa_analysis.analyse.diversion.scenarios import entry_start, own_probabilities


@pytest.fixture(scope="module")
def cfg():
    return D.load_config()


def test_entry_start(cfg):
    assert entry_start("FJI", 1950, cfg) == (1970, True)
    assert entry_start("FJI", 1989, cfg) == (1989, True)
    assert entry_start("XXX", 1950, cfg) == (1950, False)


def test_own_probabilities():
    own = {"events": 2, "years": 20.0, "rate_per_year": 0.1, "interval": [0.05, 0.2],
           "method": "poisson"}  # fmt: skip
    out = own_probabilities(own, {"12m": 1})
    # posterior predictive under Jeffreys' prior: λ ~ Gamma(2.5, 20)
    assert out["12m"]["point"] == pytest.approx(1 - (20 / 21) ** 2.5)
    assert out["12m"]["interval"] == [1 - math.exp(-0.05), 1 - math.exp(-0.2)]
    assert out["12m"]["point_pct"] == pytest.approx(100 * (1 - (20 / 21) ** 2.5))
    assert own_probabilities(None, {"12m": 1}) is None


def test_zero_events_give_a_small_positive_probability_a_modifier_can_move():
    zero = {"events": 0, "years": 80.0, "rate_per_year": 0.0, "interval": [0.0, 0.046],
            "method": "poisson"}  # fmt: skip
    p = own_probabilities(zero, {"12m": 1, "36m": 3})
    assert p["12m"]["point"] == pytest.approx(1 - (80 / 81) ** 0.5)  # ≈ 0.62%, not 0
    assert 0 < p["12m"]["point"] < p["36m"]["point"] < p["36m"]["interval"][1]
    doubled = own_probabilities({**zero, "multiplier": 2.0}, {"12m": 1})
    assert doubled["12m"]["point"] == pytest.approx(1 - (80 / 82) ** 0.5)
    # binomial: p ~ Beta(½, n + ½); E[(1 - p)^h] by the beta function, or by quadrature
    share = {"events": 0, "years": 50, "rate_per_year": 0.0, "interval": [0.0, 0.07],
             "method": "binomial"}  # fmt: skip
    p = own_probabilities(share, {"12m": 1})["12m"]["point"]
    assert p == pytest.approx(0.5 / 51)  # E[p] of Beta(½, 50½)
    assert predictive_probability(0, 50, 1, "binomial", 1.0 + 1e-9) == pytest.approx(p)


def test_scenario_register_base_rates_exact(cfg):
    tables = make_tables()
    reg = {s["id"]: s for s in D.scenario_register("FJI", AS_OF, projects(), tables, cfg)}
    s2 = reg["S2"]
    years = (pd.Timestamp("2023-09-08") - pd.Timestamp("1970-01-01")).days / 365.25
    assert s2["base_rate"]["events"] == 3
    assert s2["base_rate"]["years"] == pytest.approx(years)
    assert s2["own_probability"]["36m"]["point"] == pytest.approx(
        1 - (years / (years + 3)) ** 3.5  # 3 events: λ ~ Gamma(3.5, years)
    )
    lo, hi = s2["likelihood_36m"]
    assert lo <= s2["own_probability"]["36m"]["point"] <= hi
    mid = (lo + hi) / 2
    assert s2["yardstick_36m"] == D.yardstick_term(mid, cfg["yardstick"])
    assert s2["equipment_relevance"] == {"rescue_boat": "low"}
    assert s2["equipment_relevance_overall"] == "low"
    # S3 binomial on years with >= 25 government one-sided violence deaths (none for FJI)
    assert reg["S3"]["base_rate"]["method"] == "binomial" and reg["S3"]["base_rate"]["events"] == 0
    # qualitative scenarios carry no base rate and say why
    assert reg["S4"]["base_rate"] is None
    assert "SIPRI" in reg["S4"]["base_rate_missing_reason"]
    assert reg["S4"]["confidence"] == "L"


def test_scenario_register_phl_and_no_equipment(cfg):
    tables = make_tables()
    phl = {s["id"]: s for s in D.scenario_register("PHL", AS_OF, projects(), tables, cfg)}
    s2 = phl["S2"]
    years = (pd.Timestamp("2023-09-08") - pd.Timestamp("1950-01-01")).days / 365.25
    assert s2["base_rate"]["events"] == 5 and s2["base_rate"]["years"] == pytest.approx(years)
    assert phl["S1"]["equipment_relevance_overall"] == "high"  # coastal radar
    # the gray-zone modifier doubles the upper S1 rate for a claimant with >= 10 events a year
    mod = phl["S1"]["modifiers"][0]
    assert mod["holds"] is True and mod["rate_multiplier"] == 2.0
    top_rate = max(
        [phl["S1"]["base_rate"]["rate_per_year"]]
        + [r["rate_per_year"] for r in phl["S1"]["references"]]
    )
    # the reference range keeps the spread over base-rate choices, apart from the probability
    assert phl["S1"]["base_rate_range_36m"][1] == pytest.approx(
        D.prob_at_least_one(2 * top_rate, 3)
    )
    # the probability is from the own rate, doubled by the modifier that holds, with its
    # interval
    own = phl["S1"]["base_rate"]
    assert phl["S1"]["probability_36m"] == pytest.approx(
        predictive_probability(own["events"], own["years"], 3, "poisson", 2.0)
    )
    assert phl["S1"]["likelihood_36m"][1] == pytest.approx(
        D.prob_at_least_one(2 * own["interval"][1], 3)
    )
    # horizon-consistent, and the word names the probability on the yardstick
    for s in phl.values():
        if s["probability_12m"] is None:
            continue
        assert s["probability_36m"] >= s["probability_12m"]
        for h in ("12m", "36m"):
            assert s[f"yardstick_{h}"] == D.yardstick_term(s[f"probability_{h}"], cfg["yardstick"])
            lo, hi = s[f"likelihood_{h}"]
            assert lo <= s[f"probability_{h}"] <= hi
    # S6 has no data: no number and no yardstick word, only the judgement (up one step with
    # an internal armed conflict)
    assert (phl["S6"]["probability_12m"], phl["S6"]["yardstick_12m"]) == (None, None)
    assert phl["S6"]["likelihood_basis"] == "judgement, no base rate"
    assert phl["S6"]["judgement_12m"] == "highly unlikely"
    empty = projects().iloc[0:0]
    chn = D.scenario_register("CHN", AS_OF, empty, tables, cfg)
    for s in chn:
        assert s["equipment_relevance_overall"] == "no OSA equipment recorded"
        assert s["residual"]["class"] == "not applicable"


def test_given_references_are_used(cfg):
    tables = make_tables()
    refs = D.build_reference_rates(tables, AS_OF, cfg)
    ind = D.country_indicators("PHL", AS_OF, 0, tables, cfg)
    a = D.scenario_base_rates("PHL", AS_OF, ind, tables, cfg)
    b = D.scenario_base_rates("PHL", AS_OF, ind, tables, cfg, refs.iloc[0:0])
    assert a["S2"]["own"] == b["S2"]["own"]
    assert len(a["S2"]["references"]) == 2 and b["S2"]["references"] == []
