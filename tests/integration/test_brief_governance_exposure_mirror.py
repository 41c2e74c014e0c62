"""Governance and disaster-exposure sections built on the real data (mirror)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import shapely

from osa_analysis.brief.context import BriefContext
from osa_analysis.core.files import jsonable
from osa_analysis.testing import numbers_not_in_values, shown_text

pytestmark = pytest.mark.mirror

AS_OF = pd.Timestamp("2026-08-09")

GOVERNANCE_SOURCES = (
    "wgi",
    "vdem_ert",
    "coups_powell_thyne",
    "coups_cline",
    "ucdp_prio_acd",
    "ucdp_orgviolence_cy",
)
EXPOSURE_SOURCES = (
    "ibtracs_sp",
    "ibtracs_last3years",
    "jtwc_wnp",
    "imd_observations",
    "ne_countries_50m",
)


@pytest.fixture(scope="module")
def mirror(real_file):
    for sid in (
        GOVERNANCE_SOURCES
        + EXPOSURE_SOURCES
        + (
            "ne_land_50m",
            "wb_milex_share",
            "wb_milex_usd",
            "imb_country_indicators",
        )
    ):
        real_file(sid)


def _ctx(iso3: str) -> BriefContext:
    return BriefContext(iso3, AS_OF)


# --- "every number shown is in values" ----------------------------------------------------------


def test_numbers_helper_catches_a_stray_number():
    values = {"a": 0.5714, "b": [2023, "2023-09-08"], "c": {"id": "storm 202022"}}
    assert numbers_not_in_values("0.57 in 2023 (2023-09-08), 202022", values) == []
    assert numbers_not_in_values("1,234 and 0.58 and 2024-01-01", values) == [
        "2024-01-01",
        "1,234",
        "0.58",
    ]


def _check_section(section) -> None:
    assert numbers_not_in_values(shown_text(section), section.values) == []
    json.dumps(jsonable(section.values), allow_nan=False)  # JSON-able, NaN-free
    kfs = section.values["key_figures"]
    assert 1 <= len(kfs) <= 3
    for kf in kfs:
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
        assert kf["sentence"]
    for _, fig in section.figures:
        w, h = fig.get_size_inches()
        assert w <= 8.0 and h <= 4.6


# --- governance -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def governance(mirror):
    from osa_analysis.brief.governance import governance_section

    return {iso: governance_section(_ctx(iso)) for iso in ("PHL", "FJI", "MNG", "TON")}


def test_governance_phl_real_values(governance):
    from osa_analysis.sources.loaders.conflict import load_ucdp_acd, ucdp_conflict_years
    from osa_analysis.sources.loaders.coups import coup_events
    from osa_analysis.sources.loaders.governance import load_vdem_ert
    from osa_analysis.sources.loaders.indicators import load_wgi

    sec = governance["PHL"]
    _check_section(sec)
    assert sec.key == "governance" and sec.title == "Governance and stability"
    assert set(sec.sources) == set(GOVERNANCE_SOURCES)
    wgi = load_wgi()
    row = wgi[(wgi["country_iso3"] == "PHL") & (wgi["indicator"] == "pv") & (wgi["year"] == 2023)]
    base = wgi[(wgi["country_iso3"] == "PHL") & (wgi["indicator"] == "pv") & (wgi["year"] == 2018)]
    pv = sec.values["wgi"]["indicators"]["pv"]
    assert sec.values["wgi"]["release_latest_year"] == 2023
    assert pv["year"] == 2023 and pv["estimate"] == row["estimate"].item() == -0.57
    assert pv["std_error"] == row["std_error"].item() == 0.22
    assert pv["base_year"] == 2018 and pv["base_estimate"] == base["estimate"].item() == -1.10
    assert pv["change"] == pytest.approx(0.53)
    assert pv["significant"] is True  # 0.53 > 1.645 * sqrt(0.22² + 0.21²) = 0.500
    assert pv["pct_rank"] == row["pct_rank"].item()
    assert set(sec.values["wgi"]["peers"]) == {"PHL", "BGD", "FJI", "MYS"}

    ert = load_vdem_ert()
    last = ert[(ert["country_iso3"] == "PHL")].sort_values("year").iloc[-1]
    vdem = sec.values["vdem"]
    assert vdem["latest_year"] == int(last["year"]) == 2024
    assert vdem["regime_label"] == last["regime_label"] == "electoral autocracy"
    assert vdem["polyarchy"] == pytest.approx(last["polyarchy"])
    assert {"year": 2018, "from": "electoral democracy", "to": "electoral autocracy"} in vdem[
        "regime_changes_since_1990"
    ]
    ongoing = [e for e in vdem["episodes"] if e["ongoing"]]
    assert [(e["kind"], e["start_year"]) for e in ongoing] == [("autocratization", 2016)]

    ev = coup_events()
    ev = ev[ev["country_iso3"] == "PHL"]
    pt = ev[ev["source"] == "coups_powell_thyne"]
    cl = ev[ev["source"] == "coups_cline"]
    counts = sec.values["coups"]["counts"]
    assert counts["coups_powell_thyne"]["failed"] == (pt["outcome"] == "failed").sum() == 5
    assert counts["coups_powell_thyne"]["successful"] == 0
    assert counts["coups_cline"]["attempted"] == (cl["event_type"] == "attempted").sum() == 9
    assert counts["coups_cline"]["conspiracy"] == (cl["event_type"] == "conspiracy").sum()
    last_any = sec.values["coups"]["last_attempt_any"]
    assert last_any["date"] == "2007-11-29" and last_any["dataset"] == "coups_cline"
    assert last_any["years_since"] == round((AS_OF - pd.Timestamp("2007-11-29")).days / 365.25, 1)

    cy = ucdp_conflict_years(load_ucdp_acd())
    primary = cy[
        (cy["country_iso3"] == "PHL")
        & (cy["year"] == 2024)
        & cy["role"].isin(["side_a_primary", "side_b_primary"])
    ]["conflict_id"].nunique()
    ucdp = sec.values["ucdp"]
    assert ucdp["latest_year"] == 2024
    assert ucdp["n_active_primary_latest"] == primary == 2
    assert {a["conflict_id"] for a in ucdp["active_latest"]} == {209, 14275}

    ids = [kf["id"] for kf in sec.values["key_figures"]]
    assert ids == [
        "wgi_political_stability",
        "ucdp_active_conflicts_primary_party",
        "years_since_coup_attempt",
    ]
    assert sec.values["key_figures"][0]["interval"] == [pv["low"], pv["high"]]
    assert "2023" in sec.markdown and "2026-08-09" in sec.markdown


def test_governance_fiji_coups(governance):
    from osa_analysis.sources.loaders.coups import load_coups_powell_thyne

    sec = governance["FJI"]
    _check_section(sec)
    pt = load_coups_powell_thyne()
    fji = pt[pt["country_iso3"] == "FJI"]
    counts = sec.values["coups"]["counts"]["coups_powell_thyne"]
    assert counts["successful"] == (fji["outcome"] == "successful").sum() == 3
    assert sec.values["coups"]["last_attempt"]["coups_powell_thyne"]["date"] == "2006-12-05"
    assert sec.values["vdem"]["covered"] is True


def test_governance_tonga_not_in_vdem(governance):
    sec = governance["TON"]
    _check_section(sec)
    assert sec.values["vdem"]["covered"] is False
    assert "V-Dem does not cover Tonga" in sec.markdown
    assert sec.values["coups"]["last_attempt_any"] is None
    coup_kf = sec.values["key_figures"][-1]
    assert coup_kf["value"] is None and coup_kf["change_text"] == "none recorded since 1950"
    assert sec.values["ucdp"]["n_active_primary_latest"] == 0
    assert sec.values["wgi"]["indicators"]["pv"]["year"] == 2023


def test_governance_mongolia(governance):
    sec = governance["MNG"]
    _check_section(sec)
    # Cline codes 1990-03-12 (the democratic revolution) as a realized coup; P&T has none
    assert sec.values["coups"]["last_attempt"]["coups_powell_thyne"] is None
    assert sec.values["coups"]["last_attempt_any"]["date"] == "1990-03-12"


# --- exposure ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exposure(mirror):
    from osa_analysis.brief.exposure import exposure_section

    return {iso: exposure_section(_ctx(iso)) for iso in ("PHL", "FJI", "BGD", "MNG", "TON")}


def _brute_force_storms(agency: str, iso3: str, seasons: list[int], km: float) -> set[str]:
    """Storm ids with a raw fix within ``km`` of any NE 1:50m vertex (no interpolation).

    Vertices are a subset of the land, so a raw fix within ``km`` of a vertex is within
    ``km`` of the land: these storms must all be counted by the section.
    """
    from osa_analysis.core.geo import haversine_km
    from osa_analysis.harmonise.tracks import tracks_fixes
    from osa_analysis.sources.loaders.geography import load_ne_countries

    fixes = tracks_fixes([agency])
    fixes = fixes[
        fixes["season"].isin(seasons)
        & ~fixes["track_type"].fillna("").str.startswith("spur")
        & ~fixes["fix_suspect"]
    ]
    ne = load_ne_countries()
    geom = ne.geometry[ne["country_iso3"].eq(iso3).fillna(False).to_numpy()].iloc[0]
    verts = shapely.get_coordinates(geom)
    lat, lon = fixes["latitude"].to_numpy(), fixes["longitude"].to_numpy()
    near = np.zeros(len(fixes), dtype=bool)
    for vlon, vlat in verts:
        near |= haversine_km(lat, lon, vlat, vlon) <= km
    return set(fixes.loc[near, "storm_id"])


def test_exposure_fiji_frequent_and_verified(exposure):
    from osa_analysis.analyse.hazards import cyclone_exposure

    sec = exposure["FJI"]
    _check_section(sec)
    assert set(sec.sources) == set(EXPOSURE_SOURCES)
    v = sec.values
    assert v["relevant_basins"] == ["SP"]
    assert v["headline_agency"] == "ibtracs_usa"  # WMO: provisional tracks have no wind
    usa = v["agencies"]["ibtracs_usa"]
    assert usa["recent_seasons"] == [2015, 2024]
    assert v["agencies"]["jtwc"]["basins_covered"] == {}  # JTWC file is WP only
    d200 = usa["by_distance"]["200"]
    assert d200["mean_recent"] >= 2  # cyclones within 200 km are frequent for Fiji
    seasons = list(range(2015, 2025))
    ctx = _ctx("FJI")
    passages = cyclone_exposure(ctx.scope, ctx.tables).passages
    counted = set(
        passages.loc[
            (passages["agency"] == "ibtracs_usa")
            & passages["season"].isin(seasons)
            & passages["within_200"],
            "storm_id",
        ]
    )
    assert (
        len(counted)
        == d200["storms_recent"]
        == sum(usa["per_season"][s]["within_200"] for s in seasons)
    )
    # independent checks: raw fixes near NE vertices are a subset; everything counted has a
    # raw fix within 200 km + half a 3-hourly step (IBTrACS) + vertex spacing
    assert _brute_force_storms("ibtracs_usa", "FJI", seasons, 200) <= counted
    assert counted <= _brute_force_storms("ibtracs_usa", "FJI", seasons, 320)
    names = {r["name"] for r in v["intense_recent"] if r["agency"] == "ibtracs_usa"}
    assert {"WINSTON", "HAROLD", "YASA"} <= names
    kf = v["key_figures"][0]
    assert kf["value"] == d200["storm_strength_mean_recent"]
    assert kf["interval_kind"] == "exact Poisson 95%"
    assert v["key_figures"][1]["value"] == 155.0  # Winston, 1-minute mean


def test_exposure_philippines_jtwc(exposure):
    sec = exposure["PHL"]
    _check_section(sec)
    v = sec.values
    assert v["headline_agency"] == "jtwc"
    assert v["agencies"]["jtwc"]["recent_seasons"] == [2012, 2021]
    assert v["agencies"]["ibtracs_wmo"]["recent_seasons"] == [2021, 2023]
    assert v["agencies"]["jtwc"]["by_distance"]["200"]["mean_recent"] > 5
    assert v["agencies"]["jtwc"]["wind_avg_periods_min"] == [1]
    assert v["agencies"]["ibtracs_wmo"]["wind_avg_periods_min"] == [10]


def test_exposure_bangladesh_imd(exposure):
    sec = exposure["BGD"]
    _check_section(sec)
    v = sec.values
    assert v["headline_agency"] == "imd"
    imd = v["agencies"]["imd"]
    assert imd["recent_seasons"] == [2016, 2025]
    assert imd["wind_avg_periods_min"] == [3]
    # IMD is an internal source: no storm names shown
    assert all(r["name"] is None for r in v["intense_recent"] if r["agency"] == "imd")
    assert imd["by_distance"]["200"]["mean_recent"] > 1


def test_exposure_mongolia_computed_not_assumed(exposure):
    sec = exposure["MNG"]
    _check_section(sec)
    v = sec.values
    assert v["landlocked"] is True
    assert v["headline_agency"] == "jtwc"
    assert v["agencies"]["jtwc"]["by_distance"]["500"]["storms_recent"] == 0
    # a decayed remnant (JTWC 197208) did reach Mongolia: the zero is a computed one
    assert v["closest_approach"]["storm_id"] == "197208"
    assert v["closest_approach"]["distance_km"] == 0
    assert v["last_within_far"]["season"] == 1974
    assert "not a direct hazard" in sec.markdown


def test_exposure_tonga(exposure):
    sec = exposure["TON"]
    _check_section(sec)
    assert sec.values["relevant_basins"] == ["SP"]
    assert sec.values["agencies"]["ibtracs_usa"]["by_distance"]["200"]["mean_recent"] > 0.5


def test_capacity_facts(mirror):
    from osa_analysis.analyse.capacity import CAPACITY_KEYS
    from osa_analysis.analyse.capacity import capacity_facts as facts
    from osa_analysis.brief.capacity import capacity_table

    def capacity_facts(ctx):
        return facts(ctx.scope, ctx.tables)

    from osa_analysis.sources.loaders.indicators import load_wb_milex_share

    phl = capacity_facts(_ctx("PHL"))
    assert set(CAPACITY_KEYS) <= set(phl)
    share = load_wb_milex_share()
    row = share[(share["country_iso3"] == "PHL") & (share["year"] == 2024)]
    assert phl["milex_share_year"] == 2024
    assert phl["milex_share_gdp_pct"] == pytest.approx(row["milex_share_gdp_pct"].item(), abs=1e-3)
    assert phl["milex_usd_year"] == 2022
    assert phl["armed_forces_personnel"] == 153000 and phl["armed_forces_year"] == 2017
    assert phl["eez_area_km2"] > 1e6 and "not a legal boundary" in phl["eez_method"]
    assert 10_000 < phl["coastline_km"] < 20_000
    mng = capacity_facts(_ctx("MNG"))
    assert mng["eez_area_km2"] is None and mng["eez_method"] == "landlocked: no EEZ"
    assert mng["coastline_km"] == 0
    ton = capacity_facts(_ctx("TON"))
    assert ton["milex_share_gdp_pct"] is None and "milex_share_gdp_pct" in ton["missing_reasons"]
    table = capacity_table(capacity_facts(_ctx("TON")))
    assert list(table["measure"])[:2] == ["EEZ area", "Coastline length"]
