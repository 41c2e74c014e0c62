"""Ctrl-C and SIGTERM stop a real ``osa-briefs build``: nothing starts or is published after
them, the kernels end, the published briefs stay as they were, and the exit status says so.

The real builds are made by the functions registered with ``BUILDS``, in a process of their
own while the other tests run (``tests/brief_builds.py``): they spend seconds waiting for
their kernels. The test reads what each saw from ``builds``.
"""

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
from typing import Any

import pytest
from brief_builds import Builds, ModuleBuilds, Registry

from osa_analysis.build import interrupt
from osa_analysis.core.config import PROJECT_ROOT

FIXTURE_NB = Path(__file__).parents[1] / "fixtures" / "runner" / "brief_fixture.py"
COUNTRIES = ["PHL", "FJI", "MYS", "BGD"]
RUN_LIMIT = "300"  # the build's own --run-timeout: a stuck build ends, and the test fails
BUILDS = Registry()


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


def _wait_exit(pid: int, timeout_s: float = 60) -> bool:
    """Wait until process ``pid`` (not a child of this one) has exited; False on timeout."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        readable, _, _ = select.select([fd], [], [], timeout_s)  # readable once it has exited
        return bool(readable)
    finally:
        os.close(fd)


def _cli(*argv: str, **kwargs) -> subprocess.Popen:
    """Start ``osa-briefs`` (as ``python -m osa_analysis.build.cli``) in the project folder."""
    return subprocess.Popen(
        [sys.executable, "-m", "osa_analysis.build.cli", *argv],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


# --- the builds (made by tests/brief_builds.py, checked by the test below) -------------------


@BUILDS.job(waits=True)
def published(b: Builds) -> Path:
    """A reports folder with one brief (PHL) published by a build."""
    reports = b.root / "published" / "reports"
    argv = ["build", "--country", "PHL", "--notebook", str(FIXTURE_NB), "--no-render"]
    build = _cli(*argv, "--cold-kernels", "--reports-dir", str(reports))
    out, err = build.communicate()
    assert build.returncode == 0, (out, err)
    return reports


def _signalled_build(b: Builds, sig: signal.Signals) -> dict[str, Any]:
    """Interrupt a real build of four briefs (two at a time) once two kernels run; return
    what the test checks."""
    folder = b.root / sig.name
    folder.mkdir()
    reports = folder / "reports"
    common = ["--reports-dir", str(reports), "--no-render", "--cold-kernels"]
    # a brief published before: it must come out of the interrupted build unchanged
    shutil.copytree(b.result("published"), reports, symlinks=True)
    before = snapshot(reports / "PHL")
    notebook = sleeping_notebook(folder)
    argv = ["build", "--country", *COUNTRIES, "--notebook", str(notebook), "--jobs", "2"]
    argv += ["--run-timeout", RUN_LIMIT]
    build = _cli(*argv, "--force", *common)
    try:
        pid_files = [folder / f"kernel-{c}" for c in COUNTRIES]
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
    kernels_ended = all([_wait_exit(kernel) for kernel in kernels])
    staging = reports / ".staging"
    return {
        "returncode": build.returncode,
        "out": out,
        "err": err,
        "pids_written": sum(p.exists() for p in pid_files),
        "kernels_ended": kernels_ended,
        "unchanged": snapshot(reports / "PHL") == before,
        "others": [c for c in COUNTRIES[1:] if (reports / c).exists()],
        "failed_folder": (reports / "_failed").exists(),
        "staged": os.listdir(staging) if staging.exists() else [],
        "sockets": [str(p) for p in Path(tempfile.gettempdir()).glob(f"osa-kernel-{build.pid}-*")],
        "index": (reports / "index.html").is_file(),
    }


@BUILDS.job(waits=True)
def sigint(b: Builds) -> dict[str, Any]:
    return _signalled_build(b, signal.SIGINT)


@BUILDS.job(waits=True)
def sigterm(b: Builds) -> dict[str, Any]:
    return _signalled_build(b, signal.SIGTERM)


@pytest.fixture(scope="module")
def builds(brief_builds) -> ModuleBuilds:
    """The results of this module's ``BUILDS`` (tests/conftest.py, tests/brief_builds.py)."""
    return brief_builds("test_interrupt")


@pytest.mark.parametrize(("job", "code"), [("sigint", 130), ("sigterm", 143)])
def test_a_signal_stops_a_real_build(builds, job, code):
    run = builds[job]
    out, err = run["out"], run["err"]
    assert run["returncode"] == code, (out, err)
    name = job.upper()
    assert f"osa-briefs: {name}: stopping" in err
    assert "Traceback" not in out + err
    assert f"interrupted by {name}: 0 brief(s) published before it, 4 stopped unpublished" in out
    assert run["pids_written"] == 2  # no brief started after the signal, only the two running
    assert run["kernels_ended"]  # the running kernels ended with the build
    assert run["unchanged"]  # the brief published before is as it was
    assert run["others"] == []
    assert not run["failed_folder"]  # an interruption is not a failed brief
    assert run["staged"] == []
    assert run["sockets"] == []  # the kernels' socket folders went with them
    assert run["index"]


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
