"""Criterion conditions, ratings, trends, the criterion matrix and the peer ratings."""

from __future__ import annotations

import pytest
from diversion_synthetic import AS_OF, make_tables

from osa_analysis.analyse import diversion as D
from osa_analysis.analyse.diversion.criteria import criterion_indicators, met_text


@pytest.fixture(scope="module")
def cfg():
    return D.load_config()


def _ind(name, value=None, low=None, high=None, status="ok"):
    return {"name": name, "value": value, "low": low, "high": high, "status": status}


def _criterion(cfg, cid):
    return next(c for c in cfg["criteria"] if c["id"] == cid)


def _c2_indicators(deaths=0, per_million=0.0, years=0, rl=(0.5, 0.2, 0.8)):
    return {
        "gov_osv_deaths": _ind("gov_osv_deaths", deaths, deaths, deaths),
        "gov_osv_per_million": _ind("gov_osv_per_million", per_million),
        "gov_osv_years_5y": _ind("gov_osv_years_5y", years),
        "wgi_rl": _ind("wgi_rl", *rl),
    }


def test_c2_thresholds(cfg):
    crit, ratings = _criterion(cfg, "EU_C2"), cfg["ratings"]
    assert D.rate_criterion(_c2_indicators(), crit, ratings)["rating"] == "not critical"
    r = D.rate_criterion(_c2_indicators(years=1), crit, ratings)
    assert r["rating"] == "possibly critical"
    assert r["met"][0]["indicator"] == "gov_osv_years_5y" and r["met"][0]["threshold"] == 1
    # the whole rule-of-law band below 0 -> possibly critical; a band reaching 0 -> not
    assert (
        D.rate_criterion(_c2_indicators(rl=(-0.4, -0.6, -0.01)), crit, ratings)["rating"]
        == "possibly critical"
    )
    assert (
        D.rate_criterion(_c2_indicators(rl=(-0.4, -0.6, 0.0)), crit, ratings)["rating"]
        == "not critical"
    )
    # 25 deaths (UCDP's threshold) is critical, 24 is not
    assert (
        D.rate_criterion(_c2_indicators(deaths=25, years=1), crit, ratings)["rating"] == "critical"
    )
    assert (
        D.rate_criterion(_c2_indicators(deaths=24, years=1), crit, ratings)["rating"]
        == "possibly critical"
    )
    assert D.rate_criterion(_c2_indicators(per_million=1.0), crit, ratings)["rating"] == "critical"


def test_missing_indicator_makes_not_computable_unless_a_condition_holds(cfg):
    crit, ratings = _criterion(cfg, "EU_C2"), cfg["ratings"]
    ind = _c2_indicators()
    ind["wgi_rl"] = _ind("wgi_rl", status="missing")
    r = D.rate_criterion(ind, crit, ratings)
    assert r["rating"] == "not computable" and r["missing"] == ["wgi_rl"]
    ind["gov_osv_years_5y"] = _ind("gov_osv_years_5y", 2)
    assert D.rate_criterion(ind, crit, ratings)["rating"] == "possibly critical"


def test_not_applicable_is_not_missing(cfg):
    crit, ratings = _criterion(cfg, "EU_C4"), cfg["ratings"]
    ind = {
        "ucdp_primary_interstate": _ind("ucdp_primary_interstate", 0),
        "ucdp_interstate_years_10y": _ind("ucdp_interstate_years_10y", 0),
        "grayzone_mean_3y": _ind("grayzone_mean_3y", status="not applicable"),
    }
    assert D.rate_criterion(ind, crit, ratings)["rating"] == "not critical"
    ind["grayzone_mean_3y"] = _ind("grayzone_mean_3y", 10.0)
    assert D.rate_criterion(ind, crit, ratings)["rating"] == "possibly critical"
    ind["ucdp_primary_interstate"] = _ind("ucdp_primary_interstate", 1)
    assert D.rate_criterion(ind, crit, ratings)["rating"] == "critical"


def test_requires_condition(cfg):
    crit, ratings = _criterion(cfg, "ATT_7_1_b_i"), cfg["ratings"]
    ind = {
        "gov_osv_conflict_years_5y": _ind("gov_osv_conflict_years_5y", 0),
        "gov_osv_deaths": _ind("gov_osv_deaths", 40),
        "ucdp_primary_any": _ind("ucdp_primary_any", 0),
    }
    # many government killings but no armed conflict: IHL row not critical
    assert D.rate_criterion(ind, crit, ratings)["rating"] == "not critical"
    ind["ucdp_primary_any"] = _ind("ucdp_primary_any", 1)
    assert D.rate_criterion(ind, crit, ratings)["rating"] == "critical"


def test_condition_holds_on_missing_and_fields():
    ind = {"wgi_rl": _ind("wgi_rl", -0.4, -0.6, -0.1)}
    cond = {"indicator": "wgi_rl", "field": "high", "op": "<", "threshold": 0}
    assert D.condition_holds(ind, cond) is True
    assert D.condition_holds(ind, {**cond, "field": "value", "op": ">="}) is False
    assert D.condition_holds({}, cond) is None
    assert D.condition_holds({"wgi_rl": _ind("wgi_rl", -0.4)}, cond) is None  # no band


def test_criterion_indicators_are_listed_once():
    crit = {
        "indicators": ["a", "b"],
        "critical": [{"indicator": "b", "requires": {"indicator": "c"}}],
        "possibly_critical": [{"indicator": "a"}, {"indicator": "d"}],
    }
    assert criterion_indicators(crit) == ["a", "b", "c", "d"]


def test_met_text():
    met = {"level": "critical", "indicator": "wgi_rl", "field": "high", "op": "<", "threshold": 0}
    assert met_text(met) == "critical: WGI rule of law (upper end of the 90% band) < 0"


def test_more_violence_never_lowers_the_rating(cfg):
    crit, ratings = _criterion(cfg, "EU_C2"), cfg["ratings"]
    order = ratings["order"]
    previous = 0
    for deaths in (0, 1, 10, 24, 25, 100):
        r = D.rate_criterion(_c2_indicators(deaths=deaths, years=int(deaths > 0)), crit, ratings)[
            "rating"
        ]
        assert order.index(r) >= previous
        previous = order.index(r)


def test_trend_label(cfg):
    r = cfg["ratings"]
    assert D.trend_label("critical", "possibly critical", r) == "worse"
    assert D.trend_label("not critical", "possibly critical", r) == "better"
    assert D.trend_label("not critical", "not critical", r) == "unchanged"
    assert D.trend_label("not critical", "not computable", r) == "not computable"


def test_criterion_matrix_and_peer_matrix(cfg):
    tables = make_tables()
    rows = D.criterion_matrix("PHL", AS_OF, tables, cfg)
    assert [r["id"] for r in rows] == [c["id"] for c in cfg["criteria"]]
    by = {r["id"]: r for r in rows}
    assert by["EU_C4"]["rating"] == "critical"  # interstate conflict with China in 2024
    assert by["JPN_3P_empirical"]["rating"] == "critical"
    assert by["JPN_3P_legal"]["rating"] == "not critical"
    assert by["JPN_3P_legal"]["trend"] == "not computable"  # curated flag: no history
    assert by["EU_C4"]["rating_then"] == "not critical"  # 2019 UCDP, 2016-18 SCSDI: quiet
    assert by["EU_C4"]["trend"] == "worse"
    assert "Met:" in by["EU_C4"]["evidence"]
    peers = D.peer_matrix(["PHL", "FJI"], AS_OF, tables, cfg)
    assert list(peers) == ["PHL", "FJI"]
    assert list(peers["FJI"]) == [c["id"] for c in cfg["criteria"]]
    assert peers["FJI"]["EU_C2"] == "not critical"
