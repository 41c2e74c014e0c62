"""Structural risk composite on the real data (mirror)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from osa_analysis.analyse import composite as rc
from osa_analysis.analyse.composite.method import effective_weights
from osa_analysis.analyse.geography import coastline_km
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore, clear_memory
from osa_analysis.brief import registry
from osa_analysis.brief.assemble import Brief
from osa_analysis.brief.composite import composite_section
from osa_analysis.brief.context import BriefContext
from osa_analysis.core.files import jsonable
from osa_analysis.testing import numbers_not_in_values, shown_text

pytestmark = pytest.mark.mirror

AS_OF = pd.Timestamp("2026-08-09")
RECIPIENTS = ("PHL", "MYS", "BGD", "FJI")
DRAWS = 200


@pytest.fixture(scope="module")
def method(real_file):
    m = rc.load_method()
    for sid in rc.panel_source_ids(m):
        real_file(sid)
    return m


SCOPE = Scope(RECIPIENTS[0], AS_OF, peers=(*RECIPIENTS[1:], "VNM"))


@pytest.fixture(scope="module")
def panel(method):
    return rc.indicator_panel(method, TableStore(AS_OF))


@pytest.fixture(scope="module")
def table(method):
    return rc.indicator_table(TableStore(AS_OF), method).set_index(["country_iso3", "indicator"])


@pytest.fixture(scope="module")
def result(method):
    return rc.composite_scores(SCOPE, TableStore(AS_OF), mc_draws=DRAWS)


# --- calibration stored beside the method file equals a recomputation ----------------------------


def test_stored_goalposts_match_the_data(method, panel):
    stored = method.goalposts
    computed = rc.goalposts_from_data(panel, method, method["reference_year"])
    assert set(stored) == set(computed) == set(method["indicators"])
    for iid, g in computed.items():
        s = stored[iid]
        assert s["log_transform"] == g["log_transform"], iid
        assert s["n"] == g["n"], iid
        for key in ("lo", "hi", "lo_raw", "hi_raw", "mean", "sd", "skew", "kurtosis"):
            assert s[key] == pytest.approx(g[key], rel=1e-8, abs=1e-12), (iid, key)


def test_classes_are_informs_fixed_edges(method):
    assert method.class_thresholds == (2.0, 3.5, 5.0, 6.5)


def test_log_decisions_follow_the_coin_rule(method):
    stored = method.goalposts
    for iid, s in stored.items():
        rule = abs(s["skew"]) > 2 and s["kurtosis"] > 3.5
        assert s["log_transform"] == rule, iid
    assert stored["wgi_pv"]["log_transform"] is False
    assert stored["incidents_coast"]["log_transform"] is True


# --- the indicator table, checked against direct computations ------------------------------------


def test_wgi_and_vdem_values(table):
    from osa_analysis.sources.loaders.governance import load_vdem_ert
    from osa_analysis.sources.loaders.indicators import load_wgi

    wgi = load_wgi()
    for iso3 in RECIPIENTS:
        row = wgi[(wgi["country_iso3"] == iso3) & (wgi["indicator"] == "pv")]
        last = row.sort_values("year").iloc[-1]
        got = table.loc[(iso3, "wgi_pv")]
        assert (got["raw"], got["year"]) == (last["estimate"], last["year"])
        assert not got["carried_forward"]  # the source's latest year
        # but older than WGI's release schedule allows in August 2026 (2024 expected)
        assert (got["year"], got["expected_year"], got["stale"]) == (2023, 2024, True)
    v = load_vdem_ert()
    phl = v[(v["country_iso3"] == "PHL") & (v["year"] <= AS_OF.year)].sort_values("year").iloc[-1]
    assert table.loc[("PHL", "vdem_polyarchy"), "raw"] == phl["polyarchy"]
    ton = table.loc[("TON", "vdem_polyarchy")]
    assert ton["missing"] and ton["missing_reason"] == "V-Dem does not cover Tonga"


def test_incident_rates_recomputed(table, method):
    from osa_analysis.harmonise.eez import load_eez
    from osa_analysis.harmonise.incidents import load_incidents
    from osa_analysis.sources.loaders.geography import load_ne_countries

    ev = load_incidents()
    pa = ev[ev["category"].eq("piracy_armed_robbery").fillna(False)]
    years = pa["date"].dt.year
    area = load_eez().groupby("country_iso3")["area_km2"].sum()
    countries = load_ne_countries()
    weights = {"CAT1": 4, "CAT2": 3, "CAT3": 2, "CAT4": 1, "Attempted": 0.5}
    assert dict(method["indicators"]["incidents_coast"]["severity_weights"]) == {
        **weights, "unknown": 1
    }  # fmt: skip
    for iso3 in RECIPIENTS:
        got = table.loc[(iso3, "incidents_coast")]
        assert (got["window_start"], got["year"]) == (2021, 2025)  # complete years to as_of
        mine = pa[pa["coastal_state_iso3"].eq(iso3).fillna(False) & years.between(2021, 2025)]
        w = [weights.get(s, 1) for s in mine["severity"].astype(object).fillna("unknown")]
        assert got["count"] == len(mine)  # events, as shown; the rate is severity-weighted
        assert got["raw"] == pytest.approx(sum(w) / 5 / coastline_km(countries, iso3) * 1000)
        if len(mine):
            assert got["se"] == pytest.approx(got["raw"] * np.sqrt(np.sum(np.square(w))) / sum(w))
        eez = table.loc[(iso3, "incidents_eez")]
        assert eez["raw"] == pytest.approx(sum(w) / 5 / area[iso3] * 100000)
    assert table.loc[("FJI", "incidents_coast"), "count"] == 0
    mng = table.loc[("MNG", "incidents_coast")]
    assert mng["missing"] and not mng["applicable"]
    assert "landlocked" in mng["missing_reason"]


def test_conflict_and_coups_recomputed(table):
    from osa_analysis.sources.loaders.conflict import load_ucdp_acd, ucdp_conflict_years
    from osa_analysis.sources.loaders.coups import load_coups_powell_thyne

    cy = ucdp_conflict_years(load_ucdp_acd())
    cy = cy[cy["role"].isin(("location", "side_a_primary", "side_b_primary"))]
    phl = cy[(cy["country_iso3"] == "PHL") & cy["year"].between(2020, 2024)]
    n = len(phl.drop_duplicates(["conflict_id", "year"]))
    assert table.loc[("PHL", "conflict_years"), "raw"] == pytest.approx(n / 5)
    pt = load_coups_powell_thyne()
    fji = int(((pt["country_iso3"] == "FJI") & pt["year"].between(2004, 2023)).sum())
    got = table.loc[("FJI", "coups")]
    assert (got["raw"], got["year"]) == (fji, 2023)
    assert fji == 1  # the December 2006 coup


def test_vnm_milex_missing_beyond_lookback(table):
    got = table.loc[("VNM", "milex_share")]
    assert got["missing"]
    assert "look-back" in got["missing_reason"]


# --- composite scores -----------------------------------------------------------------------


def expected_reliability(table, method, iso3: str) -> float:
    """10 × (1 − (w_missing + 0.5 w_stale)), recomputed from the table's flags."""
    weights = dict(zip(rc.primary_indicators(method), effective_weights(method), strict=True))
    rows = {iid: table.loc[(iso3, iid)] for iid in weights}
    w_missing = sum(
        w for iid, w in weights.items() if rows[iid]["missing"] and rows[iid]["applicable"]
    )
    w_stale = sum(w for iid, w in weights.items() if rows[iid]["stale"])
    return 10 * (1 - (w_missing + 0.5 * w_stale))


def test_recipients_in_plausible_ranges(result, table, method):
    s = result.scores
    for iso3 in RECIPIENTS:
        row = s.loc[iso3]
        assert 0 <= row["method_low"] <= row["method_median"] <= row["method_high"] <= 10, iso3
        assert 0 <= row["nominal"] <= 10, iso3
        assert row["class"] == rc.class_of(row["nominal"], rc.load_method())
        assert 1 <= row["method_rank_low"] <= row["method_rank_high"] <= 5
        assert 1 <= row["rank"] <= 5
        assert row["global_rank_of"] > 150
        assert row["reliability"] == pytest.approx(expected_reliability(table, method, iso3))
        assert row["reliability"] < 10  # WGI, UCDP, V-Dem... older than expected
        for d in ("threat", "fragility", "capacity"):
            low, med, high = (row[f"{d}_method_{k}"] for k in ("low", "median", "high"))
            assert 0 <= low <= med <= high <= 10


def test_orderings_the_data_clearly_support(result, table):
    s = result.scores
    # Fiji records no piracy, no conflict, no gray-zone event and no violence deaths
    assert s.loc["FJI", "threat_nominal"] == 0.0
    for iso3 in ("PHL", "MYS", "BGD"):
        assert s.loc[iso3, "threat_method_median"] > s.loc["FJI", "threat_method_median"], iso3
        assert s.loc[iso3, "threat_nominal"] > 0, iso3
    # Bangladesh's WGI governance and V-Dem scores are well below Malaysia's
    assert table.loc[("BGD", "wgi_ge"), "raw"] < table.loc[("MYS", "wgi_ge"), "raw"]
    assert s.loc["BGD", "capacity_nominal"] > s.loc["MYS", "capacity_nominal"]
    assert s.loc["BGD", "fragility_nominal"] > s.loc["MYS", "fragility_nominal"]
    # and Fiji's composite is the lowest of the four
    assert s.loc["FJI", "nominal"] == s.loc[list(RECIPIENTS), "nominal"].min()
    assert s.loc["FJI", "rank"] == s.loc["FJI", "rank_of"]  # lowest of the scope


def test_reproducible_with_seed(method, result):
    clear_memory()  # read back from the disk cache
    again = rc.composite_scores(SCOPE, TableStore(AS_OF), mc_draws=DRAWS)
    assert np.array_equal(result.draws, again.draws)
    assert result.scores.equals(again.scores)
    other = rc.composite_scores(SCOPE, TableStore(AS_OF), mc_draws=DRAWS, seed=1)
    assert not np.array_equal(result.draws, other.draws)
    # recomputed without any cache: the same numbers
    fresh = rc.run_global(
        rc.table_at(rc.build_indicator_panel(method, TableStore(AS_OF)), method, AS_OF),
        method,
        DRAWS,
        int(method["monte_carlo"]["seed"]),
        AS_OF,
    )
    recomputed = rc.country_scores(fresh, method, SCOPE.countries)
    assert np.array_equal(result.draws, recomputed.draws)
    assert result.scores.equals(recomputed.scores)


def test_the_store_records_the_panel_sources_from_a_cached_run(method, result):
    store = TableStore(AS_OF)
    rc.composite_scores(SCOPE, store, mc_draws=DRAWS)  # served from the caches
    assert list(store.used) == rc.panel_source_ids(method)


def test_any_country_vnm(result, table, method):
    row = result.scores.loc["VNM"]
    assert np.isfinite(row["nominal"])
    assert table.loc[("VNM", "milex_share"), "missing"]
    assert row["reliability"] == pytest.approx(expected_reliability(table, method, "VNM"))
    ind = result.indicators.set_index(["country_iso3", "indicator"])
    assert ind.loc[("VNM", "grayzone"), "raw"] > 0  # a South China Sea claimant


def test_sensitivity_shares(result):
    sens = result.sensitivity
    for iso3 in RECIPIENTS:
        shares = sens.loc[iso3]
        assert ((shares >= 0) & (shares <= 1)).all()
        assert shares.drop("interactions").sum() <= 1.0 + 1e-9 or shares["interactions"] == 0


# --- the brief section ---------------------------------------------------------------------------


def test_numbers_helper_catches_a_stray_number():
    values = {"a": 0.5714, "b": [2023, "2023-09-08"], "c": {"unit": "per 1000 km"}, "s": 0.25}
    assert (
        numbers_not_in_values(
            "0.57 in 2023 (2023-09-08), 1000 km, 25%", values, percent_shares=True
        )
        == []
    )
    assert numbers_not_in_values("1,234 and 0.58 and 2024-01-01", values, percent_shares=True) == [
        "2024-01-01",
        "1,234",
        "0.58",
    ]


@pytest.mark.parametrize("iso3", ["PHL", "FJI", "MNG", "TON"])
def test_section(method, iso3):
    ctx = BriefContext(iso3, AS_OF, mc_draws=DRAWS)
    section = composite_section(ctx)
    assert section.key == "composite"
    assert section.title == f"{registry.number('composite')}. Structural risk composite"
    v = section.values
    for key in (
        "method_version",
        "score",
        "class",
        "rank",
        "rank_of",
        "global_rank",
        "method_range",
        "reliability",
        "dimensions",
        "indicators",
        "peers",
        "trend",
        "key_figures",
    ):
        assert key in v, key
    assert v["method_version"] == method["method_version"]
    assert isinstance(v["score"], float)  # one number: the nominal method
    assert v["class"] == rc.class_of(v["score"], method)
    iv = v["interval"]  # the uncertainty of the data, around that number
    assert iv["low"] <= v["score"] <= iv["high"]
    assert (iv["class_low"], iv["class_high"]) == (
        rc.class_of(iv["low"], method),
        rc.class_of(iv["high"], method),
    )
    if iso3 == "FJI":  # the headline is the nominal score (ssri-v1.0 headlined 4.14)
        assert v["score"] == section.values["peers"]["FJI"]["score"] == 2.19
    assert set(v["method_range"]) >= {"method_low", "method_high", "drivers"}
    assert set(v["dimensions"]) == {"threat", "fragility", "capacity"}
    assert set(v["peers"]) == set(ctx.all_countries)
    assert v["rank_of"] == len(ctx.all_countries)
    assert set(v["trend"]) >= {"previous_as_of", "previous_score", "direction"}
    assert v["trend"]["previous_as_of"] == "2025-08-09"
    assert v["trend"]["direction"] in ("up", "down", "flat")
    assert {i["id"] for i in v["indicators"]} == set(method["indicators"])
    for ind in v["indicators"]:
        assert set(ind) >= {
            "id",
            "label",
            "dimension",
            "raw",
            "year",
            "stale",
            "missing_reason",
            "score_0_10",
        }
        assert (ind["raw"] is None) == (ind["missing_reason"] is not None)
    kfs = v["key_figures"]
    assert len(kfs) == 1
    kf = kfs[0]
    assert set(kf) >= {
        "id",
        "label",
        "value",
        "unit",
        "interval",
        "interval_kind",
        "change",
        "change_text",
        "significant",
        "sentence",
    }
    assert kf["value"] == v["score"]
    assert kf["interval"] == [iv["low"], iv["high"]]  # the data's, not the method range
    assert numbers_not_in_values(shown_text(section), v, percent_shares=True) == []
    json.dumps(jsonable(v), allow_nan=False)
    assert len(section.figures) == 2 and len(section.tables) == 2
    assert set(section.sources) == set(rc.panel_source_ids(method))
    assert set(section.sources) <= set(ctx.used_sources)
    if iso3 == "TON":
        assert "V-Dem does not cover Tonga" in section.markdown
        assert v["reliability"] < 10
    if iso3 == "MNG":
        assert "landlocked" in section.markdown
        assert v["w_missing"] == 0.0  # not applicable is not missing


@pytest.mark.parametrize("iso3", ["MYS", "MNG"])
def test_bottom_line_and_method_checks_show_only_numbers_of_their_values(iso3):
    brief = Brief(BriefContext(iso3, AS_OF, mc_draws=DRAWS))
    for key in ("bottom_line", "method_checks"):
        section = brief.section(key)
        assert numbers_not_in_values(shown_text(section), section.values, percent_shares=True) == []
    age = brief.section("bottom_line").values["data_age"]
    assert age["n_stale"] == len(age["stale_inputs"]) > 0  # the pinned editions are old
