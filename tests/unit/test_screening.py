"""Screening: relevance-weighted risk, interval ranks and the equipment rules (synthetic)."""

from __future__ import annotations

import numpy as np
import pytest

from osa_analysis.analyse.diversion.config import load_config
from osa_analysis.analyse.screening import (
    ScreeningError,
    equipment_risk,
    interval_ranks,
    load_screening_method,
    read_regions,
    relevance,
)

CFG = load_screening_method()
DIVERSION = load_config()
YARDSTICK = DIVERSION["yardstick"]

SCENARIOS = [  # a synthetic register: one modelled scenario, one judged
    {"id": "S1", "label": "one", "probability_36m": 0.30, "likelihood_36m": [0.10, 0.60]},
    {"id": "S5", "label": "two", "probability_36m": None, "judgement_36m": "unlikely"},
]


def test_the_risk_is_the_highest_relevance_weighted_likelihood():
    risk = equipment_risk(SCENARIOS, {"S1": "high", "S5": "medium"}, CFG, YARDSTICK)
    assert risk["risk"] == pytest.approx(0.30) and risk["driver"] == "S1"
    assert risk["risk_low"] == pytest.approx(max(0.10, 0.25 * 2 / 3))
    assert risk["risk_high"] == pytest.approx(0.60)
    judged = next(r for r in risk["by_scenario"] if r["id"] == "S5")
    assert (judged["low"], judged["high"]) == (0.25, 0.35) and "unlikely" in judged["basis"]
    none = equipment_risk(SCENARIOS, {"S1": "none", "S5": "low"}, CFG, YARDSTICK)
    assert none["driver"] == "S5" and none["risk"] == pytest.approx(0.30 / 3)


def test_relevance_takes_the_highest_level_and_knows_the_hypothetical_categories():
    assert relevance(["radar"], DIVERSION, CFG)["S1"] == "high"
    both = relevance(["rescue_boat", "uav"], DIVERSION, CFG)
    assert both["S1"] == "high" and both["S4"] == "high"
    armed = relevance(["armed_patrol_vessel"], DIVERSION, CFG)
    assert armed["S2"] == "high"  # hypothetical: from data/risk/screening.yaml
    with pytest.raises(ScreeningError, match=r"unknown; known: .*radar"):
        relevance(["submarine"], DIVERSION, CFG)


def test_interval_ranks_give_best_and_worst_places():
    low = np.array([0.5, 0.1, 0.2, np.nan])
    high = np.array([0.6, 0.3, 0.25, np.nan])
    ranks = interval_ranks(low, high)
    assert ranks[0].tolist() == [1, 1]  # clearly highest
    assert ranks[1].tolist() == [2, 3] and ranks[2].tolist() == [2, 3]  # overlapping
    assert np.isnan(ranks[3]).all()


def test_the_regions_file_names_its_default():
    regions = read_regions()
    assert "default" in regions and "South-Eastern Asia" in regions["default"]["subregions"]
