"""The osa-briefs command line: fetch, status and check, including bad input."""

from __future__ import annotations

import json

import pytest

from osa_analysis.build import cli
from osa_analysis.core import config
from osa_analysis.sources.registry import get_source


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("OSA_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("OSA_CACHE_DIR", str(tmp_path / "derived"))
    return tmp_path


def test_status_lists_every_source_uncached(empty_cache, capsys):
    assert cli.main(["data", "status", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 40
    wgi = next(r for r in rows if r["id"] == "wgi")
    assert wgi["cached"] is False and wgi["sha256_ok"] is False
    assert wgi["licence"] == get_source("wgi").licence
    assert wgi["sha256"] == get_source("wgi").sha256[:12]


def test_unknown_source_id_is_a_clear_error(empty_cache):
    with pytest.raises(SystemExit, match=r"unknown source id.*no_such_source"):
        cli.main(["data", "fetch", "no_such_source"])


def test_fetch_from_a_corrupted_mirror_fails_and_names_the_file(empty_cache, monkeypatch, capsys):
    source = get_source("imb_country_codes")
    mirror = empty_cache / "mirror"
    bad = mirror / source.file
    bad.parent.mkdir(parents=True)
    bad.write_text("country,region,country_name\nXXX,Synthetic,Corrupted copy\n")
    monkeypatch.setenv("OSA_DATA_MIRROR", str(mirror))
    assert cli.main(["data", "fetch", "imb_country_codes"]) == 1
    out = capsys.readouterr().out
    assert "imb_country_codes" in out and "sha256" in out
    assert not (empty_cache / "cache" / source.file).exists()


@pytest.fixture
def mirror():
    folder = config.mirror_dir()
    if folder is None:
        pytest.skip("OSA_DATA_MIRROR not set")
    return folder


@pytest.mark.mirror
def test_fetch_status_and_check_on_real_files(empty_cache, mirror, capsys):
    assert cli.main(["data", "fetch", "imb_country_codes", "wgi"]) == 0
    assert cli.main(["data", "check", "imb_country_codes", "wgi"]) == 0
    assert "all checks passed" in capsys.readouterr().out
    assert cli.main(["data", "status", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["wgi"]["sha256_ok"] and rows["imb_country_codes"]["sha256_ok"]
    assert not rows["ucdp_prio_acd"]["cached"]
    # a forged hash stamp passes the quick status, not --verify
    path = cli.cached_path("imb_country_codes")
    stamp = path.with_name(path.name + ".sha256.json")
    stamp.write_text(json.dumps({**json.loads(stamp.read_text()), "sha256": "0" * 64}))
    assert cli.main(["data", "status", "--json"]) == 0
    assert not {r["id"]: r for r in json.loads(capsys.readouterr().out)}["imb_country_codes"][
        "sha256_ok"
    ]
    assert cli.main(["data", "status", "--json", "--verify"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["imb_country_codes"]["sha256_ok"] and rows["wgi"]["sha256_ok"]


@pytest.mark.mirror
def test_check_reports_a_broken_file_and_carries_on(empty_cache, mirror, monkeypatch, capsys):
    broken = empty_cache / "country_codes_broken.csv"
    broken.write_text("country,country_name\nAAA,Synthetic Land\n")  # no 'region' column
    real_fetch = cli.fetch
    monkeypatch.setattr(
        cli, "fetch", lambda sid: broken if sid == "imb_country_codes" else real_fetch(sid)
    )
    assert cli.main(["data", "check", "imb_country_codes", "wgi"]) == 1
    out = capsys.readouterr().out
    assert "DataFormatError" in out and "region" in out
    assert "1 problem(s): ['imb_country_codes']" in out


def test_an_error_is_one_line_naming_the_file_and_debug_shows_the_traceback(
    tmp_path, monkeypatch, capsys
):
    from osa_analysis.sources import registry as registry_module

    broken = tmp_path / "sources.yaml"
    broken.write_text("wgi:\n  title: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(registry_module, "SOURCES_FILE", broken)
    registry_module.clear_registry_cache()
    try:
        assert cli.main(["data", "status"]) == 2  # bad input
        err = capsys.readouterr().err
        assert err.startswith(f"osa-briefs data: RegistryError: {broken}: not valid YAML")
        assert "line 2" in err and "Traceback" not in err
        assert len(err.strip().splitlines()) <= 6  # the YAML mark, not a 57-line traceback
        with pytest.raises(registry_module.RegistryError):
            cli.main(["--debug", "data", "status"])
    finally:
        registry_module.clear_registry_cache()


def test_a_disk_error_is_one_line_with_its_path_and_exits_1(monkeypatch, capsys):
    def full(**_):
        raise OSError(28, "No space left on device", "/reports/PHL/brief.html")

    monkeypatch.setattr(cli, "source_status", full)
    assert cli.main(["data", "status"]) == 1
    err = capsys.readouterr().err
    assert "OSError: [Errno 28] No space left on device: '/reports/PHL/brief.html'" in err
    assert "Traceback" not in err


def test_build_screening_passes_its_options_and_rebuilds_the_index(tmp_path, monkeypatch):
    from osa_analysis.build import runner, screening

    calls = []
    monkeypatch.setattr(
        screening,
        "run_screening",
        lambda reports, **kw: calls.append((reports, kw)) or ("ok", reports / "screening"),
    )
    monkeypatch.setattr(runner, "rebuild_index", lambda reports: calls.append(("index", reports)))
    argv = ["build", "--screening", "--reports-dir", str(tmp_path), "--no-pdf"]
    assert (
        cli.main([*argv, "--as-of", "2026-06-30", "--equipment", "uav", "--what-if", "radar"]) == 0
    )
    reports, options = calls[0]
    assert reports == tmp_path.resolve() and options["as_of"] == "2026-06-30"
    assert options["equipment"] == ["uav"] and options["what_if"] == [["radar"]]
    assert options["pdf"] is False and calls[1] == ("index", tmp_path.resolve())
