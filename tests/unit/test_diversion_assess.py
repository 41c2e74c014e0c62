"""The whole assessment: on given tables, and from a table store with its peers."""

from __future__ import annotations

import dataclasses

import pytest
from diversion_synthetic import AS_OF, make_store, make_tables, projects

from osa_analysis.analyse import diversion as D
from osa_analysis.analyse.diversion.data import table_sources
from osa_analysis.analyse.scope import Scope


@pytest.fixture(scope="module")
def cfg():
    return D.load_config()


def test_assess_overall(cfg):
    out = D.assess_country("PHL", AS_OF, projects(), make_tables(), cfg)
    assert out.method_version == cfg["method_version"]
    assert out.config_sha256 == cfg.sha256
    assert out.overall["highest_criterion_rating"] == "critical"
    assert out.overall["n_rated"] == len(cfg["criteria"])
    assert {t["status"] for t in out.tripwires} <= {
        "triggered",
        "not triggered",
        "not computable",
    }
    assert out.equipment["categories"] == ["ais", "radar", "rigid_inflatable_boat"]
    assert list(out.peers) == ["PHL"]
    assert out.peers["PHL"] == {c["id"]: c["rating"] for c in out.criteria}


def test_overall_rating_counts(cfg):
    criteria = [
        {"id": "a", "rating": "critical"},
        {"id": "b", "rating": "possibly critical"},
        {"id": "c", "rating": "not computable"},
        {"id": "d", "rating": "not critical"},
    ]
    scenarios = [
        {"id": "S1", "residual": {"class": "low"}},
        {"id": "S2", "residual": {"class": "medium"}},
        {"id": "S3", "residual": {"class": "not applicable"}},
    ]
    assert D.overall_rating(criteria, scenarios, cfg) == {
        "highest_criterion_rating": "critical",
        "criteria_at_highest": ["a"],
        "n_rated": 3,
        "n_flagged": 2,
        "n_critical": 1,
        "n_not_computable": 1,
        "residual_highest": "medium",
        "residual_scenarios": ["S2"],
    }


def test_assess_from_a_store_with_peers(cfg):
    store = make_store()
    result = D.assess(Scope("PHL", AS_OF, peers=("FJI", "PHL")), store)
    data = D.diversion_tables(store)
    direct = D.assess_country("PHL", AS_OF, projects(), data, cfg)
    assert result.criteria == direct.criteria
    assert result.scenarios == direct.scenarios
    assert result.tripwires == direct.tripwires
    assert result.overall == direct.overall
    assert list(result.peers) == ["PHL", "FJI"]
    assert result.peers["FJI"] == D.peer_matrix(["FJI"], AS_OF, data, cfg)["FJI"]
    assert result.sources == table_sources(store)
    assert "osa_projects" in store.used
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.country = "FJI"


def test_assess_uses_the_config_given(cfg, tmp_path):
    path = tmp_path / "diversion.yaml"
    text = D.CONFIG_FILE.read_text(encoding="utf-8")
    path.write_text(text.replace(cfg["method_version"], "test-v0", 1), encoding="utf-8")
    edited = D.load_config(path)
    result = D.assess(Scope("FJI", AS_OF), make_store(), edited)
    assert result.method_version == "test-v0" and result.config_sha256 == edited.sha256
    assert result.config is edited
