"""Derived-table cache: built once, keyed by inputs and code, index and attrs preserved."""

from __future__ import annotations

import pandas as pd

from osa_analysis.core import dates, geo
from osa_analysis.core.provenance import module_closure
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


def test_the_key_covers_the_code_that_builds_the_result():
    key = cache.cache_key("x", ["wgi"], build=dates.as_timestamp)
    assert key == cache.cache_key("x", ["wgi"], build=dates.as_timestamp)
    assert key != cache.cache_key("x", ["wgi"], build=geo.haversine_km)  # other code
    assert key != cache.cache_key("x", ["wgi"], build=dates.as_timestamp, extra={"k": 2})
    # the code part is the builder's module and what it imports, not the whole package
    closure = module_closure(["osa_analysis.harmonise.incidents"])
    assert {"osa_analysis.harmonise.eez", "osa_analysis.sources.loaders.asam"} <= set(closure)
    assert not any(m.startswith(("osa_analysis.brief", "osa_analysis.build")) for m in closure)


def test_an_unreadable_entry_is_discarded_and_rebuilt(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("OSA_CACHE_DIR", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        return {"n": len(calls)}

    assert cache.cached_object("corrupt", ["wgi"], build) == {"n": 1}
    (entry,) = (tmp_path / "objects").glob("corrupt-*.pkl")
    entry.write_bytes(entry.read_bytes()[:5])  # truncated, as by a full disk
    assert cache.cached_object("corrupt", ["wgi"], build) == {"n": 2}
    assert "discarding unreadable cache entry" in caplog.text
    assert cache.cached_object("corrupt", ["wgi"], build) == {"n": 2}  # rebuilt entry is good


def test_a_mapping_of_tables_round_trips_and_refresh_rebuilds(tmp_path, monkeypatch):
    monkeypatch.setenv("OSA_CACHE_DIR", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        return {"a": pd.DataFrame({"x": [1, 2]}), "b": pd.DataFrame({"y": ["p"]}, index=[5])}

    first = cache.cached("pair", ["wgi"], build, kind="tables")
    second = cache.cached("pair", ["wgi"], build, kind="tables")
    assert calls == [1] and list(second) == ["a", "b"]
    pd.testing.assert_frame_equal(first["b"], second["b"])
    cache.cached("pair", ["wgi"], build, kind="tables", refresh=True)
    assert calls == [1, 1]


def test_json_results_and_file_inputs(tmp_path, monkeypatch):
    monkeypatch.setenv("OSA_CACHE_DIR", str(tmp_path / "cache"))
    curated = tmp_path / "table.csv"
    curated.write_text("a\n1\n")
    calls = []

    def build():
        calls.append(1)
        return {"codes": ["PHL"]}

    assert cache.cached("codes", [], build, kind="json", files=[curated]) == {"codes": ["PHL"]}
    assert cache.cached("codes", [], build, kind="json", files=[curated]) == {"codes": ["PHL"]}
    curated.write_text("a\n2\n")  # an edited input file is a new key
    cache.cached("codes", [], build, kind="json", files=[curated])
    assert calls == [1, 1]
