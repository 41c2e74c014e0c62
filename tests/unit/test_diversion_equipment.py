"""OSA projects counted at as_of, equipment relevance and the residual-risk rule."""

from __future__ import annotations

import pytest
from diversion_synthetic import AS_OF, projects

from osa_analysis.analyse import diversion as D
from osa_analysis.analyse.diversion.equipment import category_list, equipment_summary


@pytest.fixture(scope="module")
def cfg():
    return D.load_config()


def test_project_rule_and_relevance_lookup(cfg):
    mine = D.project_categories(projects(), "PHL", AS_OF)
    # signed after as_of is left out; a designated candidate without a date counts
    assert list(mine["project_id"]) == ["OSA-FY2023-PHL-1", "OSA-FY2025-PHL-1"]
    cats = [c for cell in mine["equipment_categories"] for c in cell.split(";")]
    assert category_list(mine) == cats
    rel = D.equipment_relevance(cats, "S1", cfg["relevance"])
    assert rel["by_category"] == {
        "radar": "high",
        "rigid_inflatable_boat": "medium",
        "ais": "medium",
    }
    assert rel["overall"] == "high"
    fji = D.equipment_relevance(["rescue_boat"], "S1", cfg["relevance"])
    assert fji["overall"] == "low"
    assert D.equipment_relevance(["heavy_machinery"], "S1", cfg["relevance"])["overall"] == "low"
    assert D.equipment_relevance(["patrol_boat"], "S3", cfg["relevance"])["overall"] == "high"
    none = D.equipment_relevance([], "S1", cfg["relevance"])
    assert none == {"by_category": {}, "overall": "no OSA equipment recorded"}


def test_equipment_summary():
    mine = D.project_categories(projects(), "PHL", AS_OF)
    assert equipment_summary(mine) == {
        "projects": [
            {"project_id": "OSA-FY2023-PHL-1", "status": "delivered", "categories": ["radar"]},
            {
                "project_id": "OSA-FY2025-PHL-1",
                "status": "designated_candidate",
                "categories": ["rigid_inflatable_boat", "ais"],
            },
        ],
        "categories": ["ais", "radar", "rigid_inflatable_boat"],
    }


def test_residual_rule(cfg):
    res, rel = cfg["residual"], cfg["relevance"]
    assert D.residual_risk("remote", "high", 0, res, rel)["score"] == 3
    assert D.residual_risk("remote", "high", 0, res, rel)["class"] == "low"
    assert D.residual_risk("unlikely", "high", 0, res, rel)["class"] == "medium"
    assert D.residual_risk("realistic possibility", "high", 0, res, rel)["class"] == "high"
    mitigated = D.residual_risk("unlikely", "high", 1, res, rel)
    assert mitigated["class_before_controls"] == "medium" and mitigated["class"] == "low"
    assert D.residual_risk("remote", "low", 3, res, rel)["class"] == "low"  # floor
    assert D.residual_risk("likely", "none", 0, res, rel)["class"] == "negligible"
    na = D.residual_risk("likely", "no OSA equipment recorded", 0, res, rel)
    assert na["class"] == "not applicable" and na["score"] is None
