"""One build per reports folder (a second stops at once, naming the holder), and what a
dead build left behind is removed by the next one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from osa_analysis.build import catalog, cli, lock

HOLD = """
import sys, time
from osa_analysis.build.lock import build_lock
with build_lock(sys.argv[1]):
    print("holding", flush=True)
    time.sleep(600)
"""


@pytest.fixture
def other_build(tmp_path):
    """Another process holding the build lock of ``tmp_path / 'reports'``."""
    reports = tmp_path / "reports"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(reports)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "holding"
        yield reports, proc
    finally:
        proc.kill()
        proc.wait()


def test_a_second_build_stops_at_once_and_names_the_holder(other_build, capsys):
    reports, holder = other_build
    pid = holder.pid
    before = sorted(p.name for p in reports.iterdir())
    code = cli.main(["build", "--country", "PHL", "--reports-dir", str(reports), "--no-render"])
    assert code == 2
    err = capsys.readouterr().err
    assert f"another build is writing into {reports.resolve()} (process {pid} on " in err
    assert "wait for it to finish or stop it" in err and "Traceback" not in err
    assert cli.main(["backtest", "--reports-dir", str(reports)]) == 2
    assert "osa-briefs backtest: another build is writing" in capsys.readouterr().err
    assert sorted(p.name for p in reports.iterdir()) == before  # nothing written


def test_the_lock_is_released_when_its_holder_dies(other_build):
    reports, holder = other_build
    with pytest.raises(lock.BuildLocked):
        with lock.build_lock(reports):
            pass
    holder.kill()
    holder.wait()  # it has exited: the kernel released its lock
    with lock.build_lock(reports) as path:  # a killed holder leaves no stale lock
        assert json.loads(path.read_text())["pid"] == os.getpid()


def test_the_lock_is_reentrant_in_one_process(tmp_path):
    with lock.build_lock(tmp_path) as outer, lock.build_lock(tmp_path) as inner:
        assert outer == inner
    with lock.build_lock(tmp_path):  # released: taken again
        pass


def test_leftovers_of_a_dead_build_are_removed(tmp_path):
    reports = tmp_path / "reports"
    country = reports / "PHL"
    version = country / "history" / "2026-08-09--abcdef012345"
    version.mkdir(parents=True)
    (country / "brief.html").write_text("published")
    leftovers = [
        reports / ".staging" / "PHL-20260809T000000-0123abcd",
        country / "history" / ".2026-08-10--abcdef012345.tmp-0123abcd",
        country / ".brief.html.old-89abcdef",
        reports / ".backtest.tmp-deadbeef",
    ]
    for path in leftovers:
        path.mkdir(parents=True, exist_ok=True)
        (path / "file").write_text("partial")
    for folder in (version, leftovers[1]):  # a complete version, and a half-copied one
        (folder / "brief.html").write_text("a brief")
        (folder / "run.json").write_text(json.dumps({"as_of": "2026-08-09"}))
    dead = subprocess.Popen(["true"])
    dead.wait()
    tmp = Path(tempfile.gettempdir())
    dead_sockets = Path(tempfile.mkdtemp(prefix=f"{lock.KERNEL_SOCKETS_PREFIX}{dead.pid}-"))
    live_sockets = Path(lock.kernel_socket_dir())
    assert live_sockets.parent == tmp
    try:
        listed = catalog.collect_catalog(reports)["countries"][0]["history"]
        assert [h["folder"] for h in listed] == ["PHL/history/2026-08-09--abcdef012345"]
        with lock.build_lock(reports):
            pass
        assert not any(p.exists() for p in leftovers) and not dead_sockets.exists()
        assert live_sockets.exists()  # this process still runs
        assert (country / "brief.html").read_text() == "published"
        assert (country / "history" / "2026-08-09--abcdef012345").is_dir()
    finally:
        for d in (dead_sockets, live_sockets):
            if d.exists():
                d.rmdir()
