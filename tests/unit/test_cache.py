"""Derived-table cache: built once, keyed by inputs and code, index and attrs preserved."""

from __future__ import annotations

import pandas as pd

from osa_analysis.sources import cache


def test_cached_table_builds_once_and_round_trips(tmp_path, monkeypatch):
    monkeypatch.setenv("OSA_CACHE_DIR", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        df = pd.DataFrame({"x": pd.array([1, None], dtype="Int64"), "s": ["a", "b"]}, index=[7, 9])
        df.attrs["last_updated"] = "2026-02-24"
        return df

    first = cache.cached_table("synthetic", ["wgi"], build)
    second = cache.cached_table("synthetic", ["wgi"], build)
    assert calls == [1]
    pd.testing.assert_frame_equal(first, second)
    assert second.index.tolist() == [7, 9]
    assert second["x"].dtype == "Int64" and second.attrs["last_updated"] == "2026-02-24"


def test_key_changes_with_inputs_and_version():
    assert cache.table_key(["wgi"]) != cache.table_key(["wb_gdp"])
    assert cache.table_key(["wgi"]) != cache.table_key(["wgi"], version="v2")
    assert cache.table_key(["wgi"]) == cache.table_key(["wgi"])


def test_disk_cached_loader_uses_the_cache_only_for_the_default_call(tmp_path, monkeypatch):
    monkeypatch.setenv("OSA_CACHE_DIR", str(tmp_path))
    calls = []

    @cache.disk_cached("wgi")
    def load_synthetic(path=None):
        calls.append(path)
        return pd.DataFrame({"v": [len(calls)]})

    assert load_synthetic()["v"].tolist() == [1]
    assert load_synthetic()["v"].tolist() == [1]  # from the cache
    assert load_synthetic(path="x.csv")["v"].tolist() == [2]  # explicit path: no cache
    assert calls == [None, "x.csv"]


def test_cached_object_pickles_any_result_once(tmp_path, monkeypatch):
    monkeypatch.setenv("OSA_CACHE_DIR", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        return {"frame": pd.DataFrame({"a": [1.5]}), "n": 3}

    first = cache.cached_object("synthetic-object", ["wgi"], build, version="PHL")
    second = cache.cached_object("synthetic-object", ["wgi"], build, version="PHL")
    assert calls == [1] and second["n"] == 3
    pd.testing.assert_frame_equal(first["frame"], second["frame"])
    cache.cached_object("synthetic-object", ["wgi"], build, version="FJI")
    assert calls == [1, 1]  # another key builds again
