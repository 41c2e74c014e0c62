"""Unit tests of the OSA misuse and diversion method (tiny synthetic frames, exact values)."""

from __future__ import annotations

import copy
import math

import pandas as pd
import pytest

from osa_analysis.analyse import diversion as D

AS_OF = pd.Timestamp("2026-08-09")


@pytest.fixture(scope="module")
def cfg() -> dict:
    return D.load_config()


# --- configuration --------------------------------------------------------------------------


def test_config_is_valid_and_versioned(cfg):
    assert D.config_problems(cfg) == []
    assert cfg["method_version"].startswith("diversion-v")
    assert len(D.config_sha()) == 64
    # every threshold carries a rationale
    for crit in cfg["criteria"]:
        for level in ("critical", "possibly_critical"):
            for cond in crit.get(level) or []:
                assert cond["rationale"].strip()


def test_config_problems_are_reported(cfg):
    bad = copy.deepcopy(cfg)
    bad["criteria"][0]["critical"][0]["indicator"] = "no_such_indicator"
    bad["relevance"]["matrix"]["radar"]["S1"] = "enormous"
    del bad["criteria"][1]["possibly_critical"][0]["rationale"]
    problems = D.config_problems(bad)
    assert any("no_such_indicator" in p for p in problems)
    assert any("radar x S1" in p for p in problems)
    assert any("without a rationale" in p for p in problems)


def test_legal_flag_false_for_all_recipients(cfg):
    legal = cfg["legal_party_to_conflict"]
    assert legal["default"] is False
    assert not any((legal.get("flagged") or {}).values())
    assert "Security Council" in legal["definition"]


# --- base-rate conversions (exact) ------------------------------------------------------------


def test_poisson_conversion_exact():
    base = D.poisson_base_rate(5, 73)
    assert base["rate_per_year"] == pytest.approx(0.0685, abs=5e-5)
    assert base["rate_per_year"] == 5 / 73
    p3 = D.prob_at_least_one(base["rate_per_year"], 3)
    assert p3 == 1 - math.exp(-15 / 73)
    assert 1 - math.exp(-0.2055) == pytest.approx(0.1858, abs=1e-4)
    assert p3 == pytest.approx(0.1858, abs=1e-4)
    assert D.prob_at_least_one(5 / 73, 1) == pytest.approx(1 - math.exp(-5 / 73))
    # Garwood interval of 5 events divided by the exposure
    assert base["interval"][0] == pytest.approx(1.623486 / 73, rel=1e-5)
    assert base["interval"][1] == pytest.approx(11.668332 / 73, rel=1e-5)


def test_poisson_zero_events_upper_bound():
    base = D.poisson_base_rate(0, 10)
    assert base["rate_per_year"] == 0 and base["interval"][0] == 0
    assert base["interval"][1] == pytest.approx(0.3688879, rel=1e-6)
    assert D.prob_at_least_one(0.0, 3) == 0.0


def test_binomial_conversion_exact():
    base = D.binomial_base_rate(3, 36)
    assert base["rate_per_year"] == 3 / 36
    assert D.prob_at_least_one_binomial(3 / 36, 3) == pytest.approx(1 - (33 / 36) ** 3)
    assert D.probability(0.1, 3, "binomial") == pytest.approx(0.271)
    lo, hi = base["interval"]
    assert 0 < lo < 3 / 36 < hi < 1
    with pytest.raises(ValueError):
        D.probability(0.1, 3, "gamma")


@pytest.mark.parametrize(
    ("p", "term"),
    [
        (0.0, "remote"),
        (0.05, "remote"),
        (0.0749, "remote"),
        (0.075, "highly unlikely"),
        (0.15, "highly unlikely"),
        (0.23, "unlikely"),
        (0.40, "realistic possibility"),
        (0.60, "likely"),
        (0.85, "highly likely"),
        (0.93, "almost certain"),
        (1.0, "almost certain"),
    ],
)
def test_yardstick_terms(cfg, p, term):
    assert D.yardstick_term(p, cfg["yardstick"]) == term


def test_yardstick_shift_and_ranges(cfg):
    y = cfg["yardstick"]
    assert D.shift_term("remote", 1, y) == "highly unlikely"
    assert D.shift_term("remote", -1, y) == "remote"
    assert D.shift_term("highly likely", 5, y) == "almost certain"
    assert D.term_range("unlikely", y) == [0.25, 0.35]
    with pytest.raises(ValueError):
        D.yardstick_term(1.2, y)


# --- rating thresholds ------------------------------------------------------------------------


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


def test_confidence_rule(cfg):
    c = cfg["confidence"]
    assert D.confidence_level("poisson", 5, 1.0, None, c, 2)[0] == "H"
    assert D.confidence_level("poisson", 3, 1.0, None, c, 2)[0] == "M"
    assert D.confidence_level("poisson", 3, 2.9, None, c, 2)[0] == "L"
    assert D.confidence_level("poisson", 8, 0.5, "M", c, 2)[0] == "M"
    assert D.confidence_level("binomial", 8, 0.5, None, c, 0)[0] == "M"
    assert D.confidence_level("qualitative", None, None, None, c)[0] == "L"


# --- equipment relevance and residual risk ----------------------------------------------------


def _projects():
    return pd.DataFrame(
        {
            "project_id": ["OSA-FY2023-PHL-1", "OSA-FY2025-PHL-1", "OSA-FY2026-PHL-1", "X-1"],
            "country_iso3": ["PHL", "PHL", "PHL", "FJI"],
            "equipment_categories": ["radar", "rigid_inflatable_boat;ais", "uav", "rescue_boat"],
            "signed_date": pd.to_datetime(["2023-11-03", None, "2027-01-01", "2023-12-18"]),
            "status": ["delivered", "designated_candidate", "signed", "delivered"],
        }
    )


def test_project_rule_and_relevance_lookup(cfg):
    mine = D.project_categories(_projects(), "PHL", AS_OF)
    # signed after as_of is left out; a designated candidate without a date counts
    assert list(mine["project_id"]) == ["OSA-FY2023-PHL-1", "OSA-FY2025-PHL-1"]
    cats = [c for cell in mine["equipment_categories"] for c in cell.split(";")]
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


# --- trip-wire logic (pure) -------------------------------------------------------------------


def test_wgi_fall_logic():
    fell = D.wgi_fall(-1.2, 0.2, -0.4, 0.2, 1.645)
    assert fell["change"] == pytest.approx(-0.8)
    assert fell["threshold"] == pytest.approx(1.645 * math.sqrt(0.08))
    assert fell["triggered"] is True
    assert D.wgi_fall(-0.5, 0.2, -0.4, 0.2, 1.645)["triggered"] is False
    assert D.wgi_fall(0.9, 0.2, -0.4, 0.2, 1.645)["triggered"] is False  # a rise


def test_count_rise_logic():
    rise = D.count_rise(30, [5, 6, 4], 0.95)
    assert rise["previous_mean"] == 5.0 and rise["triggered"] is True
    assert rise["interval"][0] == pytest.approx(20.24, abs=0.01)
    assert D.count_rise(8, [5, 6, 4], 0.95)["triggered"] is False
    assert D.count_rise(0, [0, 0, 0], 0.95)["triggered"] is False


# --- synthetic global tables ----------------------------------------------------------------


def make_tables(**over) -> D.DiversionTables:
    acd = pd.DataFrame(
        {
            "side_a": ["Government of Philippines"] * 4 + ["Government of China"],
            "side_b": ["NPA", "NPA", "ASG", "ASG", "Government of Philippines"],
            "year": [2023, 2024, 2024, 2020, 2024],
        },
        index=pd.Index([10, 11, 12, 13, 14], name="acd_record"),
    )
    cy = pd.DataFrame(
        {
            "acd_record": [10, 11, 12, 13, 14, 14],
            "conflict_id": [1, 1, 2, 2, 3, 3],
            "year": [2023, 2024, 2024, 2020, 2024, 2024],
            "country_iso3": ["PHL", "PHL", "PHL", "PHL", "CHN", "PHL"],
            "role": [
                "side_a_primary",
                "side_a_primary",
                "side_a_primary",
                "side_a_primary",
                "side_a_primary",
                "side_b_primary",
            ],
            "type_of_conflict": [3, 3, 3, 3, 2, 2],
            "intensity_level": [1, 1, 1, 1, 1, 1],
        }
    )
    years = list(range(1989, 2025))
    rows = []
    for iso in ("PHL", "FJI", "CHN"):
        for y in years:
            rows.append(
                {
                    "country_iso3": iso,
                    "year": y,
                    "region": "Asia",
                    "sb_best_deaths": 100 if iso == "PHL" and y == 2024 else 0,
                    "sb_low_deaths": 90 if iso == "PHL" and y == 2024 else 0,
                    "sb_high_deaths": 110 if iso == "PHL" and y == 2024 else 0,
                    "os_main_govt_best_deaths": 30 if iso == "PHL" and y in (2016, 2022) else 0,
                    "os_main_govt_low_deaths": 30 if iso == "PHL" and y in (2016, 2022) else 0,
                    "os_main_govt_high_deaths": 30 if iso == "PHL" and y in (2016, 2022) else 0,
                }
            )
    orgvio = pd.DataFrame(rows)
    wgi = pd.DataFrame(
        [
            (iso, y, code, est, 0.2)
            for iso, est in (("PHL", -0.5), ("FJI", 0.5), ("CHN", 0.0))
            for y in (2018, 2022, 2023)
            for code in ("pv", "rl", "cc", "ge")
        ],
        columns=["country_iso3", "year", "indicator", "estimate", "std_error"],
    )
    ert = pd.DataFrame(
        [
            {
                "country_iso3": iso,
                "year": y,
                "regime": 1 if iso == "PHL" else 2 if iso == "FJI" else 0,
                "polyarchy": 0.4,
                "polyarchy_low": 0.35,
                "polyarchy_high": 0.45,
                "aut_ep": iso == "PHL" and y >= 2016,
                "aut_ep_start_year": 2016 if iso == "PHL" and y >= 2016 else pd.NA,
            }
            for iso in ("PHL", "FJI", "CHN")
            for y in range(1985, 2025)
        ]
    )
    coups = pd.DataFrame(
        {
            "country_iso3": ["PHL"] * 5 + ["FJI"] * 3,
            "date": pd.to_datetime(
                [
                    "1986-07-06",
                    "1987-01-27",
                    "1987-08-27",
                    "1989-12-01",
                    "1990-10-04",
                    "1987-05-14",
                    "2000-05-29",
                    "2006-12-05",
                ]
            ),
            "outcome": ["failed"] * 5 + ["successful"] * 3,
        }
    )
    population = pd.DataFrame(
        {"country_iso3": ["PHL", "FJI", "CHN"], "year": [2024] * 3, "population": [1e8, 1e6, 1e9]}
    )
    gz_rows = [("PHL", y, pd.Timestamp(y, 6, 1)) for y, n in ((2020, 5), (2021, 6), (2022, 4))]
    gz = [r for r, n in zip(gz_rows, (5, 6, 4), strict=True) for _ in range(n)]
    gz += [("PHL", 2023, pd.Timestamp(2023, 6, 1))] * 30
    grayzone = pd.DataFrame(gz, columns=["country_iso3", "year", "date"])
    channels = pd.DataFrame(
        {
            "group": ["all"],
            "label": ["All channels"],
            "start": [pd.Timestamp("2000-01-01")],
            "end": [pd.Timestamp("2026-08-09")],
        }
    )
    piracy_dates = (
        [pd.Timestamp("2023-01-15")] * 2
        + [pd.Timestamp("2024-01-15")] * 2
        + [pd.Timestamp("2025-01-15")] * 2
        + [pd.Timestamp("2026-03-01")] * 20
    )
    piracy = pd.DataFrame(
        {"coastal_state_iso3": "PHL", "date": piracy_dates, "sources": "recaap_imb_live"}
    )
    base = {
        "acd": acd,
        "conflict_years": cy,
        "orgvio": orgvio,
        "wgi": wgi,
        "ert": ert,
        "coups": coups,
        "population": population,
        "grayzone": grayzone,
        "piracy": piracy,
        "channels": channels,
    }
    base.update(over)
    return D.DiversionTables(**base)


def test_tripwires_on_synthetic_frames_trigger(cfg):
    tables = make_tables(
        coups=pd.concat(
            [
                make_tables().coups,
                pd.DataFrame(
                    {
                        "country_iso3": ["PHL"],
                        "date": [pd.Timestamp("2023-05-01")],
                        "outcome": ["failed"],
                    }
                ),
            ],
            ignore_index=True,
        ),
        wgi=pd.concat(
            [
                make_tables().wgi,
                pd.DataFrame(
                    {
                        "country_iso3": ["PHL"],
                        "year": [2021],
                        "indicator": ["pv"],
                        "estimate": [0.9],
                        "std_error": [0.1],
                    }
                ),
            ]
        ).query("not (country_iso3 == 'PHL' and indicator == 'pv' and year == 2022)"),
    )
    tws = {t["id"]: t for t in D.tripwires("PHL", AS_OF, tables, cfg)}
    # conflict 3 (interstate with China) is new in 2024; conflict 2 recurs but was not in 2023
    t1 = tws["T1_new_conflict"]
    assert t1["status"] == "triggered" and t1["new_conflict_ids"] == [2, 3]
    assert t1["data_date"] == "2024-12-31"
    t2 = tws["T2_coup_attempt"]
    assert t2["status"] == "triggered" and t2["attempts"] == ["2023-05-01"]
    assert t2["data_date"] == "2023-09-08"
    assert tws["T3_autocratization"]["status"] == "triggered"
    t4 = tws["T4_wgi_pv_fall"]  # 0.9 (2021) -> -0.5 (2023), SEs 0.1 and 0.2
    assert t4["status"] == "triggered" and t4["previous_year"] == 2021
    assert t4["change"] == pytest.approx(-1.4)
    t5 = tws["T5_grayzone_rise"]
    assert t5["status"] == "triggered" and t5["recent"] == 30 and t5["previous_mean"] == 5.0
    t6 = tws["T6_piracy_rise"]
    assert t6["status"] == "triggered" and t6["recent"] == 20 and t6["previous"] == [2, 2, 2]
    assert t6["data_date"] == "2026-08-09"


def test_tripwires_not_triggered_or_not_computable(cfg):
    tables = make_tables()
    tws = {t["id"]: t for t in D.tripwires("FJI", AS_OF, tables, cfg)}
    assert tws["T1_new_conflict"]["status"] == "not triggered"
    assert tws["T2_coup_attempt"]["status"] == "not triggered"
    assert tws["T3_autocratization"]["status"] == "not triggered"
    assert tws["T4_wgi_pv_fall"]["status"] == "not triggered"
    t5 = tws["T5_grayzone_rise"]
    assert t5["status"] == "not computable" and t5["data_date"] is None and t5["evidence"]
    # a state absent from V-Dem: not computable, with the reason
    t3 = D.tripwire_autocratization(tables, "TON", AS_OF)
    assert t3["status"] == "not computable" and "does not cover" in t3["evidence"]
    # unequal channel coverage makes the piracy comparison not computable
    channels = pd.DataFrame(
        {
            "group": ["old", "new"],
            "label": ["Old feed", "New feed"],
            "start": [pd.Timestamp("2000-01-01"), pd.Timestamp("2025-01-01")],
            "end": [pd.Timestamp("2024-06-30"), pd.Timestamp("2026-08-09")],
        }
    )
    t6 = D.tripwire_piracy(make_tables(channels=channels), "PHL", AS_OF, cfg)
    assert t6["status"] == "not computable" and "unequally" in t6["evidence"]


# --- indicators, criteria and scenarios on synthetic tables -----------------------------------


def test_indicators_on_synthetic_tables(cfg):
    ind = D.country_indicators("PHL", AS_OF, 0, make_tables(), cfg)
    assert ind["ucdp_primary_any"]["value"] == 3 and ind["ucdp_primary_any"]["year"] == 2024
    assert ind["ucdp_primary_interstate"]["value"] == 1
    assert ind["ucdp_primary_intrastate"]["value"] == 2
    assert ind["sb_deaths_per_million"]["value"] == pytest.approx(1.0)
    assert ind["gov_osv_years_5y"]["value"] == 1  # 2022
    assert ind["gov_osv_conflict_years_5y"]["value"] == 0  # no primary conflict in 2022
    assert ind["vdem_regime"]["value"] == 1 and ind["vdem_autocratization"]["value"] == 1
    assert ind["wgi_rl"]["year"] == 2023
    assert ind["wgi_rl"]["high"] == pytest.approx(-0.5 + 1.645 * 0.2)
    assert ind["grayzone_mean_3y"]["value"] == pytest.approx((6 + 4 + 30) / 3)
    assert ind["legal_unsc_measures"]["value"] == 0
    fji = D.country_indicators("FJI", AS_OF, 0, make_tables(), cfg)
    assert fji["grayzone_mean_3y"]["status"] == "not applicable"
    # WGI carried forward within the look-back, flagged
    wgi = make_tables().wgi.query("not (country_iso3 == 'FJI' and year == 2023)")
    carried = D.country_indicators("FJI", AS_OF, 0, make_tables(wgi=wgi), cfg)
    assert carried["wgi_cc"]["status"] == "carried forward" and carried["wgi_cc"]["year"] == 2022


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


def test_interstate_onsets():
    cy = pd.DataFrame(
        {
            "country_iso3": ["VNM"] * 4 + ["CHN"],
            "conflict_id": [7, 7, 7, 8, 7],
            "year": [1979, 1980, 1984, 1984, 1979],
            "role": ["side_b_primary"] * 4 + ["side_a_primary"],
            "type_of_conflict": [2, 2, 2, 3, 2],
        }
    )
    on = D.interstate_onsets(cy)
    assert sorted(map(tuple, on[["country_iso3", "year"]].to_numpy().tolist())) == [
        ("CHN", 1979),
        ("VNM", 1979),
        ("VNM", 1984),
    ]


def test_scenario_register_base_rates_exact(cfg):
    tables = make_tables()
    reg = {s["id"]: s for s in D.scenario_register("FJI", AS_OF, _projects(), tables, cfg)}
    s2 = reg["S2"]
    years = (pd.Timestamp("2023-09-08") - pd.Timestamp("1970-01-01")).days / 365.25
    assert s2["base_rate"]["events"] == 3
    assert s2["base_rate"]["years"] == pytest.approx(years)
    lam = 3 / years
    assert s2["own_probability"]["36m"]["point"] == pytest.approx(1 - math.exp(-3 * lam))
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
    phl = {s["id"]: s for s in D.scenario_register("PHL", AS_OF, _projects(), tables, cfg)}
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
    assert phl["S1"]["likelihood_36m"][1] == pytest.approx(D.prob_at_least_one(2 * top_rate, 3))
    # S6 rises one step with an internal armed conflict
    assert phl["S6"]["yardstick_12m"] == "highly unlikely"
    empty = _projects().iloc[0:0]
    chn = D.scenario_register("CHN", AS_OF, empty, tables, cfg)
    for s in chn:
        assert s["equipment_relevance_overall"] == "no OSA equipment recorded"
        assert s["residual"]["class"] == "not applicable"


def test_assess_overall(cfg):
    out = D.assess("PHL", AS_OF, _projects(), make_tables(), cfg)
    assert out["method_version"] == cfg["method_version"]
    assert out["overall"]["highest_criterion_rating"] == "critical"
    assert out["overall"]["n_rated"] == len(cfg["criteria"])
    assert {t["status"] for t in out["tripwires"]} <= {
        "triggered",
        "not triggered",
        "not computable",
    }
    assert out["equipment"]["categories"] == ["ais", "radar", "rigid_inflatable_boat"]
