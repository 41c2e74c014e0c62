"""Integration tests on the real conflict, coup and V-Dem files (MANIFEST facts)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from osa_analysis.core.countries import UnmappedCodeWarning
from osa_analysis.sources.loaders.conflict import (
    load_ucdp_acd,
    load_ucdp_organized_violence,
    ucdp_conflict_years,
)
from osa_analysis.sources.loaders.coups import (
    coup_events,
    load_coups_cline,
    load_coups_powell_thyne,
)
from osa_analysis.sources.loaders.governance import load_vdem_ert, load_vdem_indices, vdem_episodes

pytestmark = [
    pytest.mark.mirror,
    # every code in the real files must map or be a known historical unit
    pytest.mark.filterwarnings("error::osa_analysis.core.countries.UnmappedCodeWarning"),
]


@pytest.fixture(scope="module")
def acd(real_file):
    return load_ucdp_acd(real_file("ucdp_prio_acd"))


@pytest.fixture(scope="module")
def pt(real_file):
    return load_coups_powell_thyne(real_file("coups_powell_thyne"))


@pytest.fixture(scope="module")
def cline(real_file):
    return load_coups_cline(real_file("coups_cline"))


@pytest.fixture(scope="module")
def ert(real_file):
    return load_vdem_ert(real_file("vdem_ert"))


# --------------------------------------------------------------------------------------------
# UCDP
# --------------------------------------------------------------------------------------------


def test_acd_counts_and_version(acd):
    assert len(acd) == 2752
    assert acd["conflict_id"].nunique() == 303
    assert acd["version"].unique().tolist() == ["25.1"]
    assert (acd["year"].min(), acd["year"].max()) == (1946, 2024)
    etim = acd[(acd["conflict_id"] == 11349) & (acd["year"] == 2008)]
    assert etim["territory_name"].tolist() == ["East Turkestan"]  # the quoted newline


def test_acd_location_conflict_years_for_recipients(acd):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnmappedCodeWarning)
        years = ucdp_conflict_years(acd)
    located = years[years["role"] == "location"].groupby("country_iso3").size()
    expected = {"PHL": 121, "MYS": 25, "BGD": 21, "MMR": 304, "THA": 39, "LKA": 27, "PNG": 6}
    assert {iso: int(located.get(iso, 0)) for iso in expected} == expected
    for iso in ("FJI", "TLS", "TON"):
        assert iso not in located.index
    phl = years[(years["country_iso3"] == "PHL") & (years["role"] == "location")]
    assert set(acd.loc[phl["acd_record"], "conflict_id"]) == {209, 308, 14275}
    assert acd.loc[phl["acd_record"], "year"].agg(["min", "max"]).tolist() == [1946, 2024]
    # PHL is a primary party (side A) in every conflict-year located in PHL
    primary = years[(years["country_iso3"] == "PHL") & (years["role"] == "side_a_primary")]
    assert set(phl["acd_record"]) <= set(primary["acd_record"])


def test_orgviolence_counts_and_zero_years(real_file):
    ov = load_ucdp_organized_violence(real_file("ucdp_orgviolence_cy"))
    assert len(ov) == 6936
    assert ov["gw_code"].nunique() == 199
    assert (ov["year"].min(), ov["year"].max()) == (1989, 2024)
    fji = ov[ov["country_iso3"] == "FJI"]
    assert len(fji) == 36 and (fji["sb_best_deaths"] == 0).all()
    assert ov.loc[ov["country_iso3"] == "PHL", "sb_best_deaths"].sum() > 0
    assert ov["sb_dyad_ids"].ne("NO_DYAD").all()


# --------------------------------------------------------------------------------------------
# Coups
# --------------------------------------------------------------------------------------------


def test_powell_thyne_counts_dates_and_recipients(pt):
    assert len(pt) == 491
    assert pt["date"].min() == pd.Timestamp("1950-05-10")
    assert pt["date"].max() == pd.Timestamp("2023-08-30")
    counts = pt.groupby("country_iso3").size()
    expected = {"THA": 12, "BGD": 6, "MMR": 5, "PHL": 5, "FJI": 3, "PNG": 2, "DJI": 1}
    assert {iso: int(counts.get(iso, 0)) for iso in expected} == expected
    for iso in ("MYS", "LKA", "TLS", "TON", "MNG"):
        assert iso not in counts.index
    assert sorted(pt.loc[pt["country_iso3"] == "FJI", "year"]) == [1987, 2000, 2006]
    rvn = pt[pt["cow_code"] == 817]
    assert len(rvn) == 7 and rvn["country_iso3"].isna().all()
    assert set(rvn["country_name"]) == {"Republic of Vietnam"}
    niger_2023 = pt[(pt["country_iso3"] == "NER") & (pt["year"] == 2023)]
    assert niger_2023["date"].tolist() == [pd.Timestamp("2023-06-26")]  # kept as published
    assert pt["gw_code"].isna().all() and pt["polity_code"].notna().sum() == 8


def test_cline_counts_and_philippines(cline):
    assert len(cline) == 943
    assert cline["event_type"].value_counts().to_dict() == {
        "coup": 426,
        "attempted": 336,
        "conspiracy": 181,
    }
    phl = cline[cline["country_iso3"] == "PHL"]
    realized = phl[phl["realized"]]
    assert sorted(zip(realized["year"], realized["month"], strict=True)) == [(1986, 2), (2001, 1)]
    edsa2 = realized[realized["year"] == 2001].iloc[0]
    assert edsa2["popular"] and edsa2["resign"]
    conspiracies = phl[phl["event_type"] == "conspiracy"]
    assert {(2003, 7), (2006, 2)} <= set(
        zip(conspiracies["year"], conspiracies["month"], strict=True)
    )
    bgd = cline[cline["country_iso3"] == "BGD"]
    bgd_plots = bgd[bgd["event_type"] == "conspiracy"]
    assert (2012, 1) in set(zip(bgd_plots["year"], bgd_plots["month"], strict=True))
    assert not (bgd["year"] == 2007).any()  # the caretaker takeover is absent
    assert cline["date_precision"].value_counts().to_dict() == {"day": 942, "month": 1}


def test_coup_events_stacks_both_sources(pt, cline):
    events = coup_events(pt, cline)
    assert len(events) == 491 + 943
    phl = events[events["country_iso3"] == "PHL"]
    assert (phl["source"] == "coups_powell_thyne").sum() == 5
    assert not phl.loc[phl["source"] == "coups_powell_thyne", "realized"].any()
    assert phl.loc[phl["source"] == "coups_cline", "realized"].sum() == 2


# --------------------------------------------------------------------------------------------
# V-Dem
# --------------------------------------------------------------------------------------------


def test_ert_counts_units_and_2024_regimes(ert):
    assert len(ert) == 19678
    assert ert["vdem_code"].nunique() == 183
    assert (ert["year"].min(), ert["year"].max()) == (1900, 2024)
    assert {"DDR", "ZZB", "PSG", "SML"} <= set(ert.loc[ert["country_iso3"].isna(), "vdem_code"])
    latest = ert[(ert["year"] == 2024) & ert["country_iso3"].notna()].set_index("country_iso3")
    expected = {"PHL": 1, "BGD": 1, "MYS": 2, "FJI": 2, "MMR": 0, "THA": 1, "IDN": 1, "LKA": 2}
    assert {iso: int(latest.loc[iso, "regime"]) for iso in expected} == expected
    assert latest.loc["MMR", "regime_label"] == "closed autocracy"
    assert "TON" not in set(ert["country_iso3"].dropna())


def test_vdem_episodes_from_real_ert(ert):
    episodes = vdem_episodes(ert)
    assert episodes["kind"].value_counts().to_dict() == {
        "democratization": 417,
        "autocratization": 254,
    }
    phl_aut = episodes[
        (episodes["country_iso3"] == "PHL") & (episodes["kind"] == "autocratization")
    ]
    current = phl_aut[phl_aut["end_year"] == 2024]
    assert current["start_year"].tolist() == [2016] and current["censored"].all()


def test_vdem_indices_subset(real_file, ert):
    idx = load_vdem_indices(real_file("vdem_indices"))
    assert len(idx) == 1809
    assert idx["country_iso3"].nunique() == 28
    assert idx.loc[idx["country_iso3"] == "BGD", "year"].min() == 1971
    assert int(idx["libdem"].isna().sum()) == 39 and int(idx["partipdem"].isna().sum()) == 42
    assert "TWN" not in set(idx["country_iso3"])
    # polyarchy agrees with ERT v15 wherever both have it
    merged = idx.merge(ert, on=["vdem_code", "year"], suffixes=("", "_ert"))
    both = merged.dropna(subset=["polyarchy", "polyarchy_ert"])
    assert len(both) > 1500
    assert (both["polyarchy"] - both["polyarchy_ert"]).abs().max() < 1e-9
