"""The source registry: complete entries, one per mirror file, matching hashes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from osa_analysis.core import config
from osa_analysis.sources.registry import REQUIRED_FIELDS, RegistryError, read_registry, registry


def test_every_registry_entry_is_complete():
    sources = registry()  # read_registry raises on any incomplete entry
    assert len(sources) == 40
    for source in sources.values():
        for name in REQUIRED_FIELDS:
            assert getattr(source, name) not in (None, ""), f"{source.id}: {name}"
        assert re.fullmatch(r"[0-9a-f]{64}", source.sha256)
        assert source.url or source.official_release
        if source.member:
            assert source.url and source.archive_sha256


def test_registry_files_are_unique():
    files = [s.file for s in registry().values()]
    assert len(files) == len(set(files))


def test_incomplete_entry_is_reported_with_id_and_field(tmp_path):
    entry = dict(next(iter(yaml.safe_load(config.SOURCES_FILE.read_text()).values())))
    del entry["licence"]
    entry["sha256"] = "XYZ"
    bad = tmp_path / "sources.yaml"
    bad.write_text(yaml.safe_dump({"broken": entry}))
    with pytest.raises(RegistryError) as err:
        read_registry(bad)
    assert "broken: missing 'licence'" in str(err.value)
    assert "broken: sha256 must be 64" in str(err.value)


def test_every_registry_entry_names_a_loader_that_exists():
    from osa_analysis.sources.loaders import loader_for, registered_loaders

    loaders = registered_loaders()
    assert set(loaders) == set(registry())
    for sid in loaders:
        assert callable(loader_for(sid)), sid
    # keyword arguments of the spec are bound (inside the coverage-checking wrapper)
    loader = loader_for("ibtracs_last3years")
    assert loader.args[0].keywords == {"source_id": "ibtracs_last3years"}
    assert loader.args[1] == "ibtracs_last3years"


def test_bad_loader_and_cut_are_reported(tmp_path):
    entry = dict(next(iter(yaml.safe_load(config.SOURCES_FILE.read_text()).values())))
    entry["loader"] = "load everything"
    entry["cut"] = "month"
    bad = tmp_path / "sources.yaml"
    bad.write_text(yaml.safe_dump({"broken": entry}))
    with pytest.raises(RegistryError) as err:
        read_registry(bad)
    assert "broken: loader must be 'module:function'" in str(err.value)
    assert "broken: cut must be one of" in str(err.value)


def test_a_registry_source_is_a_table_of_the_store():
    import pandas as pd

    from osa_analysis.analyse.tables import TableStore, cut_table
    from osa_analysis.sources.loaders.indicators import load_wb_gdp

    spec = TableStore("2020-06-30").spec("wb_gdp")  # in the registry, not in TABLES
    assert spec.load is load_wb_gdp and spec.sources == ("wb_gdp",) and spec.cut == "year"
    assert TableStore("2020-06-30").spec("ne_land_50m").cut is None
    assert TableStore("2020-06-30").spec("jtwc_wnp").cut == "time"
    with pytest.raises(KeyError, match="no table 'nothing'"):
        TableStore("2020-06-30").spec("nothing")
    fixes = pd.DataFrame(
        {
            "time_utc": pd.to_datetime(
                ["2020-06-29 18:00", "2020-06-30 00:00", "2020-06-30 06:00", None]
            )
        }
    )
    kept = cut_table(fixes, "time", pd.Timestamp("2020-06-30"))
    assert kept.index.tolist() == [0, 1]


@pytest.mark.mirror
def test_registry_covers_every_mirror_file_with_its_hash():
    mirror = config.mirror_dir()
    if mirror is None:
        pytest.skip("OSA_DATA_MIRROR not set")
    on_disk = {
        str(p.relative_to(mirror))
        for p in Path(mirror).rglob("*")
        if p.is_file() and p.name != "MANIFEST.md"
    }
    registered = {s.file: s for s in registry().values()}
    assert on_disk == set(registered)
    manifest = (Path(mirror) / "MANIFEST.md").read_text()
    for source in registered.values():
        assert source.sha256 in manifest, f"{source.id}: sha256 not in MANIFEST"
        assert (Path(mirror) / source.file).stat().st_size == source.size_bytes


def test_shared_results_per_date_or_for_every_date():
    from osa_analysis.analyse.tables import TableStore, clear_memory

    calls: list[str] = []
    store = TableStore("2020-06-30", specs={})  # no given tables: results are memoised
    later = store.at("2021-06-30")
    try:
        for s in (store, later, store):
            s.shared(("synthetic-dated",), lambda: calls.append("dated"))
            s.shared(("synthetic-undated",), lambda: calls.append("undated"), dated=False)
    finally:
        clear_memory()
    assert calls.count("dated") == 2  # once per date
    assert calls.count("undated") == 1  # once for every date
