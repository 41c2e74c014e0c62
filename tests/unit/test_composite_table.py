"""The composite's indicator table at an as-of date: look-back, stale values, reasons."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from composite_synthetic import AS_OF, TINY_METHOD, synthetic_panel, tiny_wgi

from osa_analysis.analyse import composite as rc
from osa_analysis.analyse.tables import TableStore


@pytest.fixture(scope="module")
def method() -> rc.CompositeMethod:
    return rc.load_method()


def test_table_at_carries_forward_within_lookback_and_explains_missing(method):
    table = rc.table_at(synthetic_panel(), method, AS_OF).set_index(["country_iso3", "indicator"])
    # level data up to as_of's year; window data only complete years (2024)
    assert table.loc[("AAA", "wgi_pv"), "year"] == 2024
    assert table.loc[("AAA", "incidents_coast"), "year"] == 2024
    assert table.loc[("AAA", "incidents_coast"), "window_start"] == 2020
    bbb = table.loc[("BBB", "milex_share")]
    assert (bbb["year"], bbb["age"], bbb["stale"], bbb["missing"]) == (2021, 3, True, False)
    assert bbb["raw"] == 2.0
    ccc = table.loc[("CCC", "milex_share")]
    assert ccc["missing"] and not ccc["stale"] and math.isnan(ccc["raw"])
    assert ccc["missing_reason"] == (
        "latest value is from 2019, older than the 3-year look-back from 2024"
    )
    assert table.loc[("DDD", "vdem_polyarchy"), "missing_reason"] == "no vdem_polyarchy for DDD"
    eee = table.loc[("EEE", "incidents_coast")]
    assert eee["missing"] and not eee["applicable"]
    # no data after as_of: an earlier as_of uses earlier years
    early = rc.table_at(synthetic_panel(), method, pd.Timestamp("2022-03-01"))
    early = early.set_index(["country_iso3", "indicator"])
    assert early.loc[("AAA", "wgi_pv"), "year"] == 2022
    assert early.loc[("AAA", "grayzone"), "year"] == 2021


def test_table_at_source_lag_rule(method):
    late = rc.table_at(synthetic_panel(), method, pd.Timestamp("2031-01-01"))
    row = late.set_index(["country_iso3", "indicator"]).loc[("AAA", "wgi_pv")]
    assert row["missing"]
    assert row["missing_reason"] == "the source ends in 2024, more than 5 years before 2031"


def test_table_at_without_any_value_yet(method):
    table = rc.table_at(synthetic_panel(), method, pd.Timestamp("2018-06-30"))
    row = table.set_index(["country_iso3", "indicator"]).loc[("AAA", "wgi_pv")]
    assert row["missing"] and row["missing_reason"] == "no data up to 2018"
    assert tuple(table.columns) == rc.TABLE_COLUMNS


def test_indicator_table_at_the_store_date(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_METHOD, encoding="utf-8")
    method = rc.load_method(path)
    store = TableStore("2021-12-31", tables={"wgi": tiny_wgi()})
    table = rc.indicator_table(store, method).set_index(["country_iso3", "indicator"])
    assert table.loc[("BBB", "wgi_ge"), "raw"] == -0.5
    assert table.loc[("BBB", "wgi_ge"), "year"] == 2021  # nothing after as_of
    assert list(store.used) == ["wgi"]
