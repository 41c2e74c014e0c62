"""The composite's indicator panel: coverage, windows, counts and the panel from a store."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from composite_synthetic import TINY_METHOD, tiny_wgi

from osa_analysis.analyse import composite as rc
from osa_analysis.analyse.composite import panel as cp
from osa_analysis.analyse.tables import TableStore
from osa_analysis.sources.methods import MethodError

# --- coverage and windows ----------------------------------------------------------------------


def test_coverage_years_union_intersection_partial():
    covs = ["1978-05-01/2022-06-01", "2020-11-03/2026-08-09", "n/a"]
    assert rc.coverage_years(covs, "union")[:2] == (1979, 2025)
    assert rc.coverage_years(covs, "intersection")[:2] == (2021, 2021)
    assert rc.coverage_years(["1950-05-10/2023-08-30"], partial_final_year=True)[:2] == (
        1951,
        2023,
    )
    assert rc.coverage_years(["1989/2024"])[:2] == (1989, 2024)
    with pytest.raises(ValueError, match="no dated coverage"):
        rc.coverage_years(["n/a"])


def test_window_panel_sums_and_zero_fills_members_only():
    counts = pd.DataFrame(
        {
            "country_iso3": ["AAA", "AAA", "AAA", "BBB"],
            "year": [2018, 2019, 2020, 2016],
            "count": [2, 4, 6, 9],
        }
    )
    members = pd.DataFrame({"country_iso3": ["AAA", "AAA", "CCC"], "year": [2019, 2020, 2020]})
    out = rc.window_panel(counts, members, 2016, 2020, window=3)
    got = {(r.country_iso3, r.year): (r.count, r.value) for r in out.itertuples()}
    assert got == {
        ("AAA", 2019): (6.0, 2.0),  # 2017-2019: 0 + 2 + 4
        ("AAA", 2020): (12.0, 4.0),  # 2018-2020
        ("CCC", 2020): (0.0, 0.0),  # a member without events: a recorded zero
    }  # BBB is not a member: no row, even with events
    out = rc.window_panel(counts, members, 2016, 2020, window=3, per_year=False)
    assert out.set_index(["country_iso3", "year"]).loc[("AAA", 2020), "value"] == 12.0
    weighted = rc.window_panel(
        counts.assign(weighted=counts["count"] * 2), members, 2016, 2020, 3,
        sums=("count", "weighted"),
    )  # fmt: skip
    got = weighted.set_index(["country_iso3", "year"])
    assert got.loc[("AAA", 2020), ["count", "weighted", "value"]].tolist() == [12.0, 24.0, 4.0]
    assert got.loc[("CCC", 2020), "weighted"] == 0.0


def test_window_ratio_panel_uses_person_years():
    deaths = pd.DataFrame({"country_iso3": ["AAA", "AAA"], "year": [2019, 2020], "count": [10, 30]})
    pop = pd.DataFrame(
        {
            "country_iso3": ["AAA"] * 3 + ["BBB"],
            "year": [2018, 2019, 2020, 2020],
            "value": [1e5, 1e5, 2e5, 5e4],
        }
    )
    members = pd.DataFrame({"country_iso3": ["AAA", "BBB", "CCC"], "year": [2020, 2020, 2020]})
    out = rc.window_ratio_panel(deaths, pop, members, 2018, 2020, 3, 100000.0).set_index(
        "country_iso3"
    )
    assert out.loc["AAA", "value"] == pytest.approx(100000 * 40 / 4e5)  # 10 per 100000
    assert out.loc["AAA", "count"] == 40
    assert out.loc["BBB", "value"] == 0.0
    assert math.isnan(out.loc["CCC", "value"])  # no population: no rate


# --- counts from the store's tables ------------------------------------------------------------


def _as_dict(frame: pd.DataFrame) -> dict:
    return {(r.country_iso3, int(r.year)): int(r.count) for r in frame.itertuples()}


def test_piracy_counts_keep_dated_attributed_piracy_only():
    events = pd.DataFrame(
        {
            "category": ["piracy_armed_robbery"] * 5 + ["theft_at_sea", None],
            "coastal_state_iso3": ["AAA", "AAA", "AAA", None, "BBB", "AAA", "AAA"],
            "date": pd.to_datetime(
                ["2020-01-05", "2020-06-01", "2021-03-01", "2020-01-01", None, "2020-02-02", None]
            ),
        }
    )
    assert _as_dict(cp.piracy_counts(events)) == {("AAA", 2020): 2, ("AAA", 2021): 1}


WEIGHTS = {"CAT1": 4.0, "CAT2": 3.0, "CAT3": 2.0, "CAT4": 1.0, "Attempted": 0.5, "unknown": 1.0}


def test_piracy_counts_weigh_events_by_severity():
    events = pd.DataFrame(
        {
            "category": ["piracy_armed_robbery"] * 4,
            "coastal_state_iso3": ["AAA", "AAA", "AAA", "BBB"],
            "date": pd.to_datetime(["2020-01-05", "2020-06-01", "2020-07-01", "2021-03-01"]),
            "severity": pd.array(["CAT1", "Attempted", None, "CAT3"], dtype="string"),
        }
    )
    got = cp.piracy_counts(events, WEIGHTS).set_index(["country_iso3", "year"])
    assert got.loc[("AAA", 2020)].to_dict() == {
        "count": 3.0,  # events, as shown to readers
        "weighted": 4.0 + 0.5 + 1.0,  # an event without a class weighs as `unknown`
        "weight_sq": 16.0 + 0.25 + 1.0,
    }
    assert got.loc[("BBB", 2021), "weighted"] == 2.0
    with pytest.raises(MethodError, match=r"no weight for \['CAT9'\]"):
        cp.piracy_counts(events.assign(severity="CAT9"), WEIGHTS)


class _Inputs:
    """The two methods of PanelInputs that an incident rate uses, over given events."""

    def __init__(self, events):
        self.events = events

    def piracy(self, weights=None):
        return cp.piracy_counts(self.events, weights)

    def count_panel(self, spec, counts, sums=("count",)):
        members = pd.DataFrame({"country_iso3": ["AAA", "CCC"], "year": [2021, 2021]})
        return rc.window_panel(counts, members, 2019, 2021, spec["window_years"], sums=sums)


def test_a_weighted_incident_rate_and_its_compound_poisson_error():
    events = pd.DataFrame(
        {
            "category": ["piracy_armed_robbery"] * 3,
            "coastal_state_iso3": ["AAA"] * 3,
            "date": pd.to_datetime(["2019-05-01", "2020-05-01", "2021-05-01"]),
            "severity": pd.array(["CAT1", "CAT2", "CAT4"], dtype="string"),
        }
    )
    spec = {"window_years": 3, "scale_factor": 1000, "severity_weights": WEIGHTS}
    coast = pd.Series({"AAA": 500.0, "CCC": 100.0})
    got = cp._incident_rate(_Inputs(events), spec, coast).set_index("country_iso3")
    # (4 + 3 + 1) / 3 years per 500 km, per 1000 km; se = value * sqrt(16 + 9 + 1) / 8
    assert got.loc["AAA", "value"] == pytest.approx(8 / 3 / 500 * 1000)
    assert got.loc["AAA", "se"] == pytest.approx(8 / 3 / 500 * 1000 * math.sqrt(26) / 8)
    assert got.loc["AAA", "count"] == 3.0
    assert got.loc["CCC", "value"] == 0.0 and math.isnan(got.loc["CCC", "se"])
    assert set(got.columns) == {"year", "value", "count", "se"}
    plain = cp._incident_rate(_Inputs(events), {**spec, "severity_weights": None}, coast)
    assert plain.set_index("country_iso3").loc["AAA", "value"] == pytest.approx(3 / 3 / 500 * 1000)


def test_grayzone_counts_count_every_named_actor():
    events = pd.DataFrame(
        {
            "category": ["gray_zone_coercion"] * 4 + ["piracy_armed_robbery"],
            "actors_iso3": ["CHN;PHL", "PHL", "VNM", None, "PHL"],
            "event_year": pd.array([2020, 2020, None, 2021, 2020], dtype="Int64"),
        }
    )
    assert _as_dict(cp.grayzone_counts(events)) == {("CHN", 2020): 1, ("PHL", 2020): 2}


def test_conflict_counts_count_each_conflict_once_per_state_and_year():
    cy = pd.DataFrame(
        {
            "conflict_id": [1, 1, 2, 3, 4],
            "year": [2020, 2020, 2020, 2020, 2021],
            "country_iso3": ["AAA", "AAA", "AAA", "BBB", None],
            "role": [
                "location",
                "side_a_primary",
                "side_b_primary",
                "side_a_secondary",
                "location",
            ],
        }
    )
    assert _as_dict(cp.conflict_counts(cy)) == {("AAA", 2020): 2}


def test_coup_counts_and_population_values():
    coups = pd.DataFrame(
        {"country_iso3": ["AAA", "AAA", None, "BBB"], "year": [2001, 2001, 2002, 2003]}
    )
    assert _as_dict(cp.coup_counts(coups)) == {("AAA", 2001): 2, ("BBB", 2003): 1}
    pop = pd.DataFrame(
        {
            "country_iso3": ["AAA", "WLD", "BBB", None],
            "year": [2020, 2020, 2020, 2020],
            "population": [100, 1000, None, 5],
            "is_aggregate": [False, True, False, False],
        }
    )
    out = cp.population_values(pop)
    assert out.to_dict("records") == [{"country_iso3": "AAA", "year": 2020, "value": 100.0}]


def test_eez_areas_prefer_200nm_zones_and_drop_empty_ones():
    eez = pd.DataFrame(
        {
            "country_iso3": ["AAA", "AAA", "BBB"],
            "pol_type": ["200NM", "Joint regime", "200NM"],
            "area_km2": [10.0, 5.0, 0.0],
        }
    )
    assert cp.eez_areas(eez).to_dict() == {"AAA": 10.0}
    assert cp.eez_areas(eez.drop(columns="pol_type")).to_dict() == {"AAA": 15.0}


def test_panel_source_ids_of_the_method():
    ids = rc.panel_source_ids(rc.load_method())
    assert ids == sorted(ids)
    assert {"wgi", "vdem_ert", "ucdp_orgviolence_cy", "wb_milex_share", "scsdi_geocoded"} <= set(
        ids
    )


# --- the panel from a store of synthetic tables ---------------------------------------------------


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_METHOD, encoding="utf-8")
    wgi = tiny_wgi()
    extra = pd.DataFrame(  # FFF has only a political-stability estimate
        {"country_iso3": ["FFF"], "year": [2022], "indicator": ["pv"], "estimate": [0.5]}
    )
    return rc.load_method(path), pd.concat([wgi, extra], ignore_index=True)


def test_panel_from_the_store_with_reasons_for_missing_values(tiny):
    method, wgi = tiny
    panel = rc.build_indicator_panel(method, TableStore("2022-12-31", tables={"wgi": wgi}))
    assert tuple(panel.columns) == rc.PANEL_COLUMNS
    values = panel[panel["year"].notna()]
    assert len(values) == 5 * 2 * 3 + 1
    row = values[values["indicator"].eq("wgi_rl") & values["country_iso3"].eq("CCC")]
    assert row["value"].tolist() == [2.0, 2.0] and row["year"].tolist() == [2021, 2022]
    notes = panel[panel["year"].isna()]
    assert notes[["indicator", "country_iso3", "note"]].values.tolist() == [
        ["wgi_ge", "FFF", "WGI has no estimate for FFF"],
        ["wgi_rl", "FFF", "WGI has no estimate for FFF"],
    ]
    assert notes["applicable"].all()


def test_indicator_panel_records_its_sources_and_keeps_given_data_off_disk(
    tiny, tmp_path, monkeypatch
):
    method, wgi = tiny
    cache = tmp_path / "derived"
    monkeypatch.setenv("OSA_CACHE_DIR", str(cache))
    store = TableStore("2022-12-31", tables={"wgi": wgi})
    assert not store.real_data and TableStore("2022-12-31").real_data
    panel = rc.indicator_panel(method, store)
    assert list(store.used) == ["wgi"]
    assert len(panel) == 5 * 2 * 3 + 1 + 2
    assert not cache.exists()  # the disk cache is for the registered files only
