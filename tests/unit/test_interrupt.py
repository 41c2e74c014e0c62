"""Ctrl-C and SIGTERM stop a real ``osa-briefs build``: nothing starts or is published after
them, the kernels end, the published briefs stay as they were, and the exit status says so."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from osa_analysis.build import cli, interrupt
from osa_analysis.core.config import PROJECT_ROOT

FIXTURE_NB = Path(__file__).parents[1] / "fixtures" / "runner" / "brief_fixture.py"
COUNTRIES = ["PHL", "FJI", "MYS", "BGD"]
RUN_LIMIT = "300"  # the build's own --run-timeout: a stuck build ends, and the test fails


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def sleeping_notebook(folder: Path) -> Path:
    """The runner fixture with a work cell that sleeps and writes its kernel's pid per brief."""
    text = FIXTURE_NB.read_text()
    for old, new in (
        ("sleep_s: float = 0.0", "sleep_s: float = 600.0"),
        ('pid_file: str = ""', f'pid_file: str = "{folder}/kernel-"'),
        ("Path(pid_file).write_text(", "Path(pid_file + params.country_iso3).write_text("),
    ):
        assert old in text
        text = text.replace(old, new)
    path = folder / "sleeping_brief.py"
    path.write_text(text)
    return path


def _wait_while_running(build: subprocess.Popen, predicate, what: str) -> None:
    """Wait until ``predicate()``; fail if the build ends first (no clock involved)."""
    while not predicate():
        if build.poll() is not None:
            raise AssertionError(f"the build ended before {what}")
        time.sleep(0.1)


def _wait_exit(pid: int) -> None:
    """Block until process ``pid`` (not a child of this one) has exited."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        select.select([fd], [], [])  # readable once the process has exited
    finally:
        os.close(fd)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A reports folder with one brief (PHL) published by a build, made once per module."""
    reports = tmp_path_factory.mktemp("published") / "reports"
    argv = ["build", "--country", "PHL", "--notebook", str(FIXTURE_NB), "--no-render"]
    assert cli.main([*argv, "--cold-kernels", "--reports-dir", str(reports)]) == 0
    return reports


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_a_real_build(published, tmp_path, sig, code):
    reports = tmp_path / "reports"
    common = ["--reports-dir", str(reports), "--no-render", "--cold-kernels"]
    # a brief published before: it must come out of the interrupted build unchanged
    shutil.copytree(published, reports, symlinks=True)
    before = snapshot(reports / "PHL")
    notebook = sleeping_notebook(tmp_path)
    argv = ["build", "--country", *COUNTRIES, "--notebook", str(notebook), "--jobs", "2"]
    argv += ["--run-timeout", RUN_LIMIT]
    build = subprocess.Popen(
        [sys.executable, "-m", "osa_analysis.build.cli", *argv, "--force", *common],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        pid_files = [tmp_path / f"kernel-{c}" for c in COUNTRIES]
        # two kernels in their sleeping work cell (pid and parent written)
        _wait_while_running(
            build,
            lambda: sum(p.exists() and len(p.read_text().split()) == 2 for p in pid_files) == 2,
            "two kernels in the work cell",
        )
        kernels = [int(p.read_text().split()[0]) for p in pid_files if p.exists()]
        build.send_signal(sig)
        out, err = build.communicate()
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == code, (out, err)
    name = signal.Signals(sig).name
    assert f"osa-briefs: {name}: stopping" in err
    assert "Traceback" not in out + err
    assert f"interrupted by {name}: 0 brief(s) published before it, 4 stopped unpublished" in out
    # no brief started after the signal (only the two running had written a pid)
    assert sum(p.exists() for p in pid_files) == 2
    # the running kernels ended with the build
    for kernel in kernels:
        _wait_exit(kernel)
    assert snapshot(reports / "PHL") == before
    assert not any((reports / c).exists() for c in COUNTRIES[1:])
    assert not (reports / "_failed").exists()  # an interruption is not a failed brief
    staging = reports / ".staging"
    assert not staging.exists() or not os.listdir(staging)
    sockets = Path(tempfile.gettempdir()).glob(f"osa-kernel-{build.pid}-*")
    assert not list(sockets)  # the kernels' socket folders went with them
    assert (reports / "index.html").is_file()


def test_a_second_signal_exits_at_once(monkeypatch):
    exits = []

    def fake_exit(status):
        exits.append(status)
        raise SystemExit(status)

    monkeypatch.setattr(interrupt.os, "_exit", fake_exit)
    ended, first_ended = [], threading.Event()

    def end(child):
        ended.append(child)
        first_ended.set()

    switch = interrupt.StopSwitch(end)
    with interrupt.stop_on_signals(switch):
        with switch.watching("child-1"):  # any object stands for a process here
            signal.raise_signal(signal.SIGINT)
            assert switch.stopped and switch.signum == signal.SIGINT
            first_ended.wait()  # ended in a thread of its own
            assert ended == ["child-1"]
            with switch.watching("child-2"):  # started after the stop: ended at once
                assert ended == ["child-1", "child-2"]
            with pytest.raises(SystemExit):
                signal.raise_signal(signal.SIGINT)
    assert exits == [130]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored
