"""Bottom-line tiles, "what changed" and judgements.json on synthetic section values."""

from __future__ import annotations

import json

import pytest

from osa_analysis.analyse.changes import moved_beyond_uncertainty, what_changed
from osa_analysis.analyse.judgements import collect_judgements
from osa_analysis.analyse.tiles import band_rating, compute_tiles
from osa_analysis.brief.changes import changes_section, read_previous_summary
from osa_analysis.brief.judgements_file import write_judgements
from osa_analysis.core.schemas import schema_problems

SCALE = ["very low", "low", "medium", "high", "very high"]


def indicator(iid, score, weight=1 / 12, applicable=True, missing=False, dimension="threat"):
    return {
        "id": iid,
        "label": iid.replace("_", " "),
        "dimension": dimension,
        "score_0_10": None if missing or not applicable else score,
        "nominal_weight": weight,
        "applicable": applicable,
        "missing": missing,
    }


def values(threat=6.0, fragility=3.0, primary=1, base=0, overall="possibly critical", maritime=6.0):
    return {
        "composite": {
            "indicators": [
                indicator("incidents_coast", maritime),
                indicator("incidents_eez", 9.9, weight=0.0),  # an alternative: never counted
                indicator("grayzone", maritime),
                indicator("conflict_years", threat),
                indicator("violence_deaths", threat),
            ],
            "dimensions": {
                "threat": {"median": threat, "low": threat - 0.5, "high": threat + 0.5},
                "fragility": {
                    "score": fragility,
                    "method_low": fragility - 1,
                    "method_high": fragility + 1,
                },
                "capacity": {"median": 4.0, "low": 3.0, "high": 5.0},
            },
            "trend": {"direction": "flat"},
        },
        "governance": {
            "ucdp": {
                "n_active_primary_latest": primary,
                "n_active_on_territory_latest": primary,
                "n_primary_base_year": base,
                "latest_year": 2024,
                "base_year": 2019,
            }
        },
        "diversion": {
            "overall_rating": overall,
            "criteria": [{"id": "eu_c3", "trend": "worse"}],
            "tripwires": [],
        },
        "maritime": {
            "comparison": {
                "comparable": False,
                "like_for_like": {"rate_ratio": {"low": 1.2, "high": 2.0}},
            }
        },
    }


def test_band_rating_is_informs_yardstick_on_the_score_as_shown():
    bands = [2.0, 3.5, 5.0, 6.5]
    # an edge takes the higher class (INFORM); 4.96 is shown as 5.0 and rated with it
    assert [band_rating(x, bands, SCALE) for x in (0, 1.94, 1.96, 2.0, 4.9, 4.96, 6.6)] == [
        "very low",
        "very low",
        "low",
        "low",
        "medium",
        "high",
        "very high",
    ]
    assert band_rating(None, bands, SCALE) is None


def test_tiles_and_composite_classes_share_one_yardstick():
    from osa_analysis.analyse.composite import class_of, load_method
    from osa_analysis.analyse.tiles import tile_rules

    method, rules = load_method(), tile_rules()
    assert list(method.class_thresholds) == list(rules["tiles"]["maritime_threat"]["bands"])
    assert list(method["classes"]["labels"]) == list(rules["scale"])
    for x in (0.0, 1.96, 3.5, 4.96, 5.76, 5.78, 6.5, 10.0):
        assert class_of(x, method) == band_rating(x, list(method.class_thresholds), SCALE)


def test_four_tiles_with_ratings_and_arrows():
    tiles = {t["id"]: t for t in compute_tiles(values())}
    assert list(tiles) == [
        "maritime_threat",
        "structural_instability",
        "conflict_involvement",
        "misuse_diversion",
    ]
    assert tiles["maritime_threat"]["rating"] == "high"
    assert tiles["maritime_threat"]["arrow"] == "↑"  # like-for-like interval above 1
    assert tiles["structural_instability"]["rating"] == "low"
    assert tiles["conflict_involvement"]["rating"] == "high"
    assert tiles["conflict_involvement"]["trend"] == "up"  # 1 now, 0 in the base year
    assert tiles["misuse_diversion"]["rating"] == "medium"
    assert tiles["misuse_diversion"]["trend"] == "up"


def test_the_maritime_tile_measures_the_sea_not_land_conflict():
    # land conflict at the top of the threat dimension, little at sea: the tile is low
    v = values(threat=9.5, maritime=1.0)
    tile = {t["id"]: t for t in compute_tiles(v)}["maritime_threat"]
    assert (tile["rating"], tile["score"]) == ("very low", 1.0)
    assert "1.0/10" in tile["evidence"]
    assert "conflict" not in tile["evidence"]


def test_a_not_applicable_indicator_changes_no_maritime_score():
    v = values(maritime=4.0)
    v["composite"]["indicators"][0]["score_0_10"] = 6.0  # incidents 6, gray-zone 4 -> 5
    assert {t["id"]: t for t in compute_tiles(v)}["maritime_threat"]["score"] == 5.0
    v["composite"]["indicators"][2] = indicator("grayzone", None, applicable=False)
    tile = {t["id"]: t for t in compute_tiles(v)}["maritime_threat"]
    assert (tile["score"], tile["rating"]) == (6.0, "high")  # the incident score alone
    assert "grayzone: not applicable" in tile["evidence"]


def test_missing_sections_give_unrated_tiles_with_a_reason():
    tiles = compute_tiles({})
    assert all(t["rating"] is None for t in tiles)
    assert tiles[0]["evidence"] == "no maritime indicator has a value"
    assert tiles[1]["evidence"] == "composite not computed"


def test_more_conflicts_never_lower_the_conflict_tile():
    order = {label: i for i, label in enumerate(SCALE)}
    ratings = [
        order[
            {t["id"]: t for t in compute_tiles(values(primary=n))}["conflict_involvement"]["rating"]
        ]
        for n in range(4)
    ]
    assert ratings == sorted(ratings)


def test_intervals_decide_whether_a_figure_moved():
    assert moved_beyond_uncertainty({"low": 1, "high": 2}, {"low": 2.5, "high": 3})
    assert not moved_beyond_uncertainty({"low": 1, "high": 2}, {"low": 1.5, "high": 3})
    assert moved_beyond_uncertainty({"low": None, "high": 2}, {"low": 1, "high": 3}) is None


def summary(threat, tile_rating, tripwire_status, as_of, method="ssri-v1.2"):
    return {
        "provenance": {"as_of": as_of, "country_iso3": "PHL", "package_version": "0"},
        "composite": {"score": threat, "method_version": method, "dimensions": {}},
        "bottom_line": {
            "tiles": [{"id": "maritime_threat", "label": "Maritime threat", "rating": tile_rating}]
        },
        "diversion": {
            "tripwires": [
                {
                    "id": "coup",
                    "label": "Coup attempt",
                    "status": tripwire_status,
                    "data_date": as_of,
                }
            ]
        },
    }


def test_a_triggered_tripwire_appears_in_what_changed():
    before = summary(5.0, "medium", "not triggered", "2025-08-09")
    after = summary(6.0, "high", "triggered", "2026-08-09")
    changes = what_changed(after, before)
    assert changes["previous_as_of"] == "2025-08-09"
    # the composite's nominal score has no uncertainty interval: a change without one
    assert changes["indicators_moved"] == []
    assert [m["id"] for m in changes["values_changed_without_interval"]] == ["composite.score"]
    assert changes["tiles_changed"] == [
        {"id": "maritime_threat", "label": "Maritime threat", "before": "medium", "after": "high"}
    ]
    assert [t["id"] for t in changes["tripwires_new"]] == ["coup"]
    assert changes["n_changes"] == 2
    section = changes_section(changes)
    assert "2 changes beyond uncertainty" in section.markdown


def test_scores_of_another_method_version_are_not_compared():
    before = summary(5.0, "medium", "not triggered", "2025-08-09", method="ssri-v1.0")
    after = summary(6.0, "medium", "not triggered", "2026-08-09")
    assert what_changed(after, before)["values_changed_without_interval"] == []


def test_first_brief_has_nothing_to_compare():
    changes = what_changed(summary(5.0, "medium", "triggered", "2026-08-09"), None)
    assert changes["n_changes"] == 0 and changes["previous_as_of"] is None
    assert "first published brief" in changes_section(changes).markdown


def scenario(sid="S2", p12=0.0662, p36=0.1855, method="poisson", **extra):
    quantitative = method != "qualitative"
    return {
        "id": sid,
        "label": "Unconstitutional change of government",
        "event_definition": "A coup attempt, successful or failed (Powell & Thyne).",
        "method": method,
        "probability_12m": p12 if quantitative else None,
        "probability_36m": p36 if quantitative else None,
        "likelihood_12m": [0.024, 0.15] if quantitative else None,
        "likelihood_36m": [0.07, 0.39] if quantitative else None,
        "yardstick_12m": "remote" if quantitative else None,
        "yardstick_36m": "highly unlikely" if quantitative else None,
        "likelihood_basis": "the country's own base rate"
        if quantitative
        else "judgement, no base rate",
        "confidence": "M",
        "base_rate": {"events": 5, "years": 73.7, "rate_per_year": 0.0685, "method": "poisson"}
        if quantitative
        else None,
        "modifiers": [],
        "resolution_source": "coups_powell_thyne" if quantitative else None,
        **extra,
    }


def test_judgements_are_scoreable_probabilities_of_observable_events(tmp_path):
    s = summary(5.0, "medium", "not triggered", "2026-08-09")
    s["diversion"]["scenarios"] = [scenario(), scenario("S4", method="qualitative")]
    j = collect_judgements(s)
    assert schema_problems(j, "judgements") == []
    assert [x["id"] for x in j["judgements"]] == ["PHL-S2-12m-2026-08-09", "PHL-S2-36m-2026-08-09"]
    first, second = j["judgements"]
    assert (first["issued"], first["resolve_by"], second["resolve_by"]) == (
        "2026-08-09",
        "2027-08-09",
        "2029-08-09",
    )
    assert (first["probability"], first["interval"]) == (0.0662, [0.024, 0.15])
    assert first["resolution_source"] == "coups_powell_thyne"  # a registry source id
    assert first["basis"]["base_rate"]["events"] == 5
    assert "6.6%" in first["claim"] and "remote" in first["claim"]
    # no number without a base rate: the qualitative scenario is listed, not judged
    assert j["without_probability"] == [{"scenario": "S4", "reason": "judgement, no base rate"}]
    # nothing about the model's own output (composite class, tiles)
    assert all(x["scenario"].startswith("S") for x in j["judgements"])
    path = write_judgements(j, tmp_path)
    assert json.loads(path.read_text())["country_iso3"] == "PHL"
    assert path.read_bytes() == write_judgements(j, tmp_path).read_bytes()


def test_the_schema_refuses_an_unscoreable_judgement():
    s = summary(5.0, "medium", "not triggered", "2026-08-09")
    s["diversion"]["scenarios"] = [scenario()]
    j = collect_judgements(s)
    j["judgements"][0]["probability"] = 1.4
    del j["judgements"][1]["resolution_source"]
    problems = schema_problems(j, "judgements")
    assert any(p.startswith("judgements/0/probability") for p in problems)
    assert any("resolution_source" in p for p in problems)


def test_previous_summary_is_read_or_refused_naming_the_file(tmp_path):
    assert read_previous_summary(None) is None
    assert read_previous_summary(tmp_path / "absent.json") is None
    good = tmp_path / "summary.json"
    good.write_text('{"provenance": {"as_of": "2026-08-09"}}')
    assert read_previous_summary(good) == {"provenance": {"as_of": "2026-08-09"}}
    good.write_text("{truncated")
    with pytest.raises(ValueError, match=r"summary\.json: the last published summary\.json is"):
        read_previous_summary(good)
    good.write_text("[]")
    with pytest.raises(ValueError, match="not a JSON object"):
        read_previous_summary(good)
