"""OSA misuse and diversion risk on the real data (mirror): PHL, BGD, MYS, FJI, VNM, TON."""

from __future__ import annotations

import pandas as pd
import pytest

from osa_analysis.analyse import diversion as D
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.diversion import diversion_section
from osa_analysis.brief.style import png_bytes
from osa_analysis.core.files import jsonable
from osa_analysis.testing import numbers_not_in_values, shown_text

pytestmark = pytest.mark.mirror

AS_OF = pd.Timestamp("2026-08-09")
COUPS_END = pd.Timestamp("2023-09-08")


@pytest.fixture(scope="module")
def mirror(real_file):
    from osa_analysis.harmonise.incidents import GEOGRAPHY_SOURCE_IDS, INCIDENT_SOURCE_IDS

    for sid in (*D.SOURCES, *INCIDENT_SOURCE_IDS, *GEOGRAPHY_SOURCE_IDS):
        real_file(sid)


@pytest.fixture(scope="module")
def results(mirror):
    store = TableStore(AS_OF)
    return {
        iso: D.assess(Scope(iso, AS_OF), store)
        for iso in ("PHL", "BGD", "MYS", "FJI", "VNM", "TON")
    }


def _crit(result, cid):
    return next(c for c in result.criteria if c["id"] == cid)


def _scen(result, sid):
    return next(s for s in result.scenarios if s["id"] == sid)


def _tw(result, tid):
    return next(t for t in result.tripwires if t["id"] == tid)


def _direct_primary_conflicts(iso3: str, year: int) -> set[int]:
    from osa_analysis.sources.loaders.conflict import load_ucdp_acd, ucdp_conflict_years

    cy = ucdp_conflict_years(load_ucdp_acd())
    rows = cy[
        cy["country_iso3"].eq(iso3).fillna(False)
        & cy["role"].isin(["side_a_primary", "side_b_primary"])
        & (cy["year"] == year)
    ]
    return set(rows["conflict_id"].astype(int))


def _direct_coups(iso3: str, start: str) -> int:
    from osa_analysis.sources.loaders.coups import load_coups_powell_thyne

    pt = load_coups_powell_thyne()
    sel = pt[
        pt["country_iso3"].eq(iso3).fillna(False)
        & (pt["date"] >= pd.Timestamp(start))
        & (pt["date"] <= COUPS_END)
    ]
    return len(sel)


# --- the four FY2023 recipients ----------------------------------------------------------------


def test_phl(results):
    r = results["PHL"]
    # radars (FY2023) -> S1 highly relevant
    s1 = _scen(r, "S1")
    assert s1["equipment_relevance"]["radar"] == "high"
    assert s1["equipment_relevance_overall"] == "high"
    # empirical flag: primary party to active UCDP conflicts in 2024 (computed independently)
    direct = _direct_primary_conflicts("PHL", 2024)
    emp = _crit(r, "JPN_3P_empirical")
    assert emp["value"] == len(direct) >= 1
    assert emp["rating"] in ("possibly critical", "critical")
    # legal flag: false
    legal = _crit(r, "JPN_3P_legal")
    assert legal["value"] == 0 and legal["rating"] == "not critical"
    # S2: 5 Powell & Thyne attempts since 1950
    s2 = _scen(r, "S2")
    assert s2["base_rate"]["events"] == _direct_coups("PHL", "1950-01-01") == 5
    years = (COUPS_END - pd.Timestamp("1950-01-01")).days / 365.25
    assert s2["base_rate"]["years"] == pytest.approx(years)
    # posterior predictive, Jeffreys prior: λ ~ Gamma(5.5, years)
    assert s2["own_probability"]["36m"]["point"] == pytest.approx(1 - (years / (years + 3)) ** 5.5)
    # gray-zone trip-wire uses the same counts as the gray-zone section
    from osa_analysis.analyse.grayzone import grayzone_events

    ctx = BriefContext("PHL", AS_OF)
    gz = grayzone_events(ctx.scope, ctx.tables).groupby("year").size()
    t5 = _tw(r, "T5_grayzone_rise")
    assert t5["recent"] == int(gz.get(2023, 0))
    assert t5["previous_mean"] == pytest.approx(
        sum(int(gz.get(y, 0)) for y in (2020, 2021, 2022)) / 3
    )
    assert t5["status"] == "triggered"
    # the autocratization episode (V-Dem ERT, since 2016) is flagged
    assert _tw(r, "T3_autocratization")["status"] == "triggered"


def test_bgd(results):
    r = results["BGD"]
    s3 = _scen(r, "S3")
    assert s3["equipment_relevance"] == {"patrol_boat": "high"}
    assert s3["residual"]["class"] in ("low", "medium", "high")
    from osa_analysis.sources.loaders.conflict import load_ucdp_organized_violence

    ov = load_ucdp_organized_violence()
    row = ov[ov["country_iso3"].eq("BGD").fillna(False) & (ov["year"] == 2024)].iloc[0]
    c2 = _crit(r, "EU_C2")
    assert c2["value"] == int(row["os_main_govt_best_deaths"])
    assert c2["rating"] == "possibly critical"
    s2 = _scen(r, "S2")
    assert s2["base_rate"]["events"] == _direct_coups("BGD", "1971-01-01") == 6
    assert _crit(r, "JPN_3P_empirical")["value"] == len(_direct_primary_conflicts("BGD", 2024))
    assert _tw(r, "T5_grayzone_rise")["status"] == "not computable"


def test_mys(results):
    r = results["MYS"]
    assert _scen(r, "S2")["base_rate"]["events"] == 0
    assert _scen(r, "S2")["likelihood_36m"][0] == 0.0
    cats = set(r.equipment["categories"])
    assert {"rescue_boat", "uav"} <= cats
    assert _scen(r, "S4")["equipment_relevance"]["uav"] == "high"
    assert _crit(r, "EU_C2")["rating"] == "not critical"
    assert _crit(r, "JPN_3P_legal")["value"] == 0
    # MYS is a South China Sea claimant: gray-zone indicators apply
    ind = next(i for i in _crit(r, "EU_C4")["indicators"] if i["name"] == "grayzone_mean_3y")
    assert ind["status"] == "ok"


def test_fji(results):
    r = results["FJI"]
    s2 = _scen(r, "S2")
    assert s2["base_rate"]["events"] == _direct_coups("FJI", "1970-01-01") == 3
    years = (COUPS_END - pd.Timestamp("1970-01-01")).days / 365.25
    lam = 3 / years
    assert s2["base_rate"]["rate_per_year"] == pytest.approx(lam)
    assert s2["own_probability"]["12m"]["point"] == pytest.approx(1 - (years / (years + 1)) ** 3.5)
    assert s2["own_probability"]["36m"]["point"] == pytest.approx(1 - (years / (years + 3)) ** 3.5)
    assert s2["base_rate"]["interval"][1] > lam > s2["base_rate"]["interval"][0]
    assert s2["confidence"] == "L"  # fewer than 5 events and coup data 2.9 years old
    assert _tw(r, "T2_coup_attempt")["status"] == "not triggered"
    assert _tw(r, "T2_coup_attempt")["data_date"] == "2023-09-08"


def test_vnm_any_country(results):
    r = results["VNM"]
    for s in r.scenarios:
        assert s["equipment_relevance_overall"] == "no OSA equipment recorded"
        assert s["residual"]["class"] == "not applicable"
    ratings = {c["rating"] for c in r.criteria}
    assert ratings <= {"not critical", "possibly critical", "critical", "not computable"}
    # V-Dem rates Vietnam a closed autocracy in 2024
    assert _crit(r, "ATT_7_1_b_ii")["rating"] == "critical"


def test_ton_missing_vdem(results):
    r = results["TON"]
    c = _crit(r, "ATT_7_1_b_ii")
    assert c["rating"] == "not computable"
    assert "vdem_regime" in c["missing"]
    t3 = _tw(r, "T3_autocratization")
    assert t3["status"] == "not computable" and "V-Dem does not cover Tonga" in t3["evidence"]


def test_tripwire_statuses_and_dates(results):
    for r in results.values():
        for t in r.tripwires:
            assert t["status"] in ("triggered", "not triggered", "not computable")
            if t["data_date"] is not None:
                assert pd.Timestamp(t["data_date"]) <= AS_OF


def test_reference_rates_are_cached_and_stable(mirror):
    store = TableStore(AS_OF)
    data = D.diversion_tables(store)
    cfg = D.load_config()
    a = D.reference_rates(store, data, cfg)
    assert D.reference_rates(store, data, cfg) is a  # once per process
    b = D.build_reference_rates(data, AS_OF, cfg)
    pd.testing.assert_frame_equal(
        a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False
    )


# --- the section -------------------------------------------------------------------------------


def test_numbers_helper_catches_a_stray_number():
    assert numbers_not_in_values("rate 0.183 and 42 and 2024-01-02", {"a": 0.1834}) == [
        "2024-01-02",
        "42",
    ]


@pytest.mark.parametrize("iso3", ["PHL", "FJI", "BGD", "MYS", "VNM"])
def test_section(mirror, iso3):
    ctx = BriefContext(iso3, AS_OF)
    section = diversion_section(ctx)
    assert section.key == "diversion"
    assert section.title == f"{registry.number('diversion')}. OSA misuse and diversion risk"
    v = section.values
    for key in (
        "method_version",
        "criteria",
        "scenarios",
        "tripwires",
        "peers_matrix",
        "overall_rating",
        "key_figures",
    ):
        assert key in v
    assert v["method_version"] in section.markdown
    assert section.markdown.startswith("**Summary.**")
    for c in v["criteria"]:
        for k in ("id", "framework", "label", "indicators", "value", "interval", "rating"):
            assert k in c
        assert {"trend", "evidence"} <= set(c)
    for s in v["scenarios"]:
        for k in (
            "id",
            "label",
            "likelihood_12m",
            "likelihood_36m",
            "yardstick_12m",
            "yardstick_36m",
            "base_rate",
            "confidence",
            "equipment_relevance",
            "controls",
            "residual",
        ):
            assert k in s
        assert "overall" in s["equipment_relevance"]
        assert s["confidence"] in ("L", "M", "H")
    for t in v["tripwires"]:
        assert {"id", "label", "status", "data_date", "evidence"} <= set(t)
    # peers: identical criterion order for every country
    order = [c["id"] for c in v["criteria"]]
    assert list(v["peers_matrix"]) == list(ctx.all_countries)
    for ratings in v["peers_matrix"].values():
        assert list(ratings) == order
    assert v["peers_matrix"][iso3] == {c["id"]: c["rating"] for c in v["criteria"]}
    assert v["overall_rating"]["rating"] in ("not critical", "possibly critical", "critical")
    assert 1 <= len(v["key_figures"]) <= 3
    assert numbers_not_in_values(shown_text(section), v) == []
    assert set(D.SOURCES) <= set(ctx.used_sources)
    assert set(section.sources) <= set(ctx.used_sources)
    if iso3 == "VNM":
        assert "No OSA equipment is recorded" in section.markdown
        assert all(
            s["equipment_relevance"]["overall"] == "no OSA equipment recorded"
            for s in v["scenarios"]
        )
    if iso3 == "FJI":
        kf = next(k for k in v["key_figures"] if k["id"] == "coup_attempt_probability_36m")
        s2 = next(s for s in v["scenarios"] if s["id"] == "S2")
        # one number per quantity: the key figure is the register's probability, which is
        # the model the backtest selects (the own base rate stays beside it)
        assert kf["value"] == pytest.approx(100 * s2["probability_36m"])
        assert s2["model_36m"]["model"] == "logistic"
        assert s2["probability_36m"] == pytest.approx(s2["model_36m"]["probability"])
        assert kf["interval"] == pytest.approx([100 * v for v in s2["likelihood_36m"]])
        assert kf["interval"][0] < kf["value"] < kf["interval"][1]
        assert "logistic model" in kf["sentence"] and "own base rate alone gives" in kf["sentence"]


def test_section_deterministic(mirror):
    a = diversion_section(BriefContext("PHL", AS_OF))
    b = diversion_section(BriefContext("PHL", AS_OF))
    assert jsonable(a.values) == jsonable(b.values)
    assert png_bytes(a.figures[0][1]) == png_bytes(b.figures[0][1])
