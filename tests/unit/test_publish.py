"""A brief is published whole or not at all: a fault at every step of publishing leaves the
published brief as it was (or wholly the new one), the index never lists a partial version,
and the next build removes what was left behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osa_analysis.build import catalog, lock, publish
from osa_analysis.build.keys import file_hashes

STEPS = ("prepare", "history", "switch", "done")


class Killed(BaseException):
    """Stands for the process dying at a step (not an Exception: nothing handles it)."""


def staged(root: Path, version: str, files: dict[str, str]) -> Path:
    """A complete synthetic staging folder: the given files and their run.json."""
    staging = root / f"staging-{version}"
    staging.mkdir(parents=True)
    for name, text in files.items():
        (staging / name).write_text(text)
    record = {
        "status": "ok",
        "as_of": version,
        "run_key": version * 3,
        "files": {name.rsplit(".", 1)[-1]: name for name in files},
        "finished_utc": f"{version}T00:00:00Z",
    }
    record["sha256"] = file_hashes(staging, list(files))
    (staging / "run.json").write_text(json.dumps(record))
    return staging


def contents(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


V1 = {"brief.html": "v1 html", "summary.json": '{"v": 1}', "brief.pdf": "v1 pdf"}
V2 = {"brief.html": "v2 html", "summary.json": '{"v": 2}'}


@pytest.fixture
def published(tmp_path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    country = reports / "PHL"
    publish._publish(staged(tmp_path, "2026-01-01", V1), country, "2026-01-01--v1")
    (country / "notes.txt").write_text("kept by hand")
    return country


def test_a_publication_is_one_switch(published, tmp_path):
    before = contents(published)
    assert before["brief.pdf"] == "v1 pdf" and before["notes.txt"] == "kept by hand"
    assert before["history/2026-01-01--v1/brief.html"] == "v1 html"
    publish._publish(staged(tmp_path, "2026-02-01", V2), published, "2026-02-01--v2")
    after = contents(published)
    assert after["brief.html"] == "v2 html" and after["summary.json"] == '{"v": 2}'
    assert "brief.pdf" not in after  # the new version has none; the old one keeps its own
    assert after["history/2026-01-01--v1/brief.pdf"] == "v1 pdf"
    assert after["history/2026-02-01--v2/brief.html"] == "v2 html"
    assert after["notes.txt"] == "kept by hand"
    assert [p.name for p in published.parent.iterdir()] == ["PHL"]  # nothing left beside


@pytest.mark.parametrize("step", STEPS)
def test_a_fault_at_any_step_leaves_one_whole_version(published, tmp_path, monkeypatch, step):
    before = contents(published)

    def die(name: str) -> None:
        if name == step:
            raise Killed(name)

    monkeypatch.setattr(publish, "FAULT_HOOK", die)
    with pytest.raises(Killed):
        publish._publish(staged(tmp_path, "2026-02-01", V2), published, "2026-02-01--v2")
    monkeypatch.setattr(publish, "FAULT_HOOK", None)
    now = contents(published)
    if step == "done":  # the switch had happened: wholly the new version
        assert now["brief.html"] == "v2 html" and "brief.pdf" not in now
    else:  # wholly the old one
        assert now == before
    record = json.loads((published / "run.json").read_text())
    assert file_hashes(published, list(record["files"].values())) == record["sha256"]
    # the index lists only complete versions
    listed = catalog.collect_catalog(published.parent)["countries"][0]["history"]
    versions = {h["folder"].rsplit("/", 1)[-1] for h in listed}
    assert versions == (
        {"2026-01-01--v1", "2026-02-01--v2"} if step == "done" else {"2026-01-01--v1"}
    )
    # what the dead publication left beside the brief goes with the next build's lock
    with lock.build_lock(published.parent):
        pass
    assert sorted(p.name for p in published.parent.iterdir()) == [".build.lock", "PHL"]
    assert contents(published) == now


def test_without_an_atomic_exchange_two_renames_still_never_mix(published, tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    publish._publish(staged(tmp_path, "2026-02-01", V2), published, "2026-02-01--v2")
    after = contents(published)
    assert after["brief.html"] == "v2 html" and after["notes.txt"] == "kept by hand"
    assert [p.name for p in published.parent.iterdir()] == ["PHL"]


def test_the_exchange_swaps_two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    if not publish._exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not supported here (the fallback is tested)")
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"


def test_a_brief_dated_before_the_published_one_goes_to_history_only(published, tmp_path):
    before = contents(published)
    old = {"brief.html": "v0 html", "summary.json": '{"v": 0}'}
    publish._publish(
        staged(tmp_path, "2025-06-01", old), published, "2025-06-01--v0", as_latest=False
    )
    after = contents(published)
    assert after["history/2025-06-01--v0/brief.html"] == "v0 html"
    assert {k: v for k, v in after.items() if not k.startswith("history/2025")} == before
