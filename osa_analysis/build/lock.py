"""One build at a time per reports folder, and what a dead build left behind removed.

:func:`build_lock` takes an exclusive ``flock`` on ``<reports>/.build.lock`` for as long as a
build (or ``osa-briefs backtest``) writes into the folder. A second build into the same
folder does not wait: it stops at once with :class:`BuildLocked`, naming the holder (process
id, host, command, start time), and the command line exits 2. The kernel releases the lock
when its holder ends, however it ends, so a killed build never leaves a stale lock.

Holding the lock, :func:`remove_leftovers` deletes what only a build that died can have left:
work folders under ``.staging/``, half-copied history versions (``history/.<name>.tmp-*``),
a brief's next state assembled but never switched in (``.<ISO3>.new-*``), folders a swap
set aside (``.<name>.old-*``), a staged backtest report
(``.backtest.tmp-*``) and the kernels' socket folders of processes that no longer run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from osa_analysis.build.records import HISTORY_DIR, STAGING_DIR, RunnerError

LOCK_FILE = ".build.lock"
KERNEL_SOCKETS_PREFIX = "osa-kernel-"
"""Prefix of a brief's kernel socket folder in the temp dir: ``osa-kernel-<pid>-<random>``."""

_held: dict[Path, int] = {}
_guard = threading.Lock()
_LEFTOVER = re.compile(r"^\..+\.(tmp|old|new)-[0-9a-f]{8}$")


class BuildLocked(RunnerError):
    """Another build is writing into the same reports folder."""


def _holder() -> dict[str, object]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv)),
        "started_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _describe(text: str) -> str:
    try:
        h = json.loads(text)
        return f"process {h['pid']} on {h['host']}, started {h['started_utc']}: {h['command']}"
    except (ValueError, KeyError, TypeError):
        return "a process that wrote no details"


@contextlib.contextmanager
def build_lock(reports_dir: Path, *, clean: bool = True) -> Iterator[Path]:
    """Hold the exclusive build lock of ``reports_dir`` while the block runs.

    Re-entrant within a process (the command line and :func:`~.runner.run_all` both take it).
    On taking it (not on re-entering), ``clean`` removes what dead builds left
    (:func:`remove_leftovers`).

    Raises
    ------
    BuildLocked
        When another process holds it: the message names the lock file and the holder.
    """
    reports_dir = Path(reports_dir).resolve()
    path = reports_dir / LOCK_FILE
    with _guard:
        if path in _held:
            _held[path] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield path
        finally:
            with _guard:
                _held[path] -= 1
        return
    reports_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 4096, 0).decode("utf-8", "replace")
        os.close(fd)
        raise BuildLocked(
            f"another build is writing into {reports_dir} ({_describe(holder)}; lock {path}): "
            "wait for it to finish or stop it, or build into another --reports-dir"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(_holder()).encode(), 0)
    with _guard:
        _held[path] = 1
    try:
        if clean:
            remove_leftovers(reports_dir)
        yield path
    finally:
        with _guard:
            del _held[path]
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def kernel_socket_dir() -> str:
    """Create a kernel socket folder named after this process (:func:`remove_leftovers`)."""
    return tempfile.mkdtemp(prefix=f"{KERNEL_SOCKETS_PREFIX}{os.getpid()}-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_leftovers(reports_dir: Path) -> list[Path]:
    """Remove what a dead build left in ``reports_dir`` (call it holding the build lock).

    Returns
    -------
    list of Path
        What was removed.
    """
    reports_dir = Path(reports_dir)
    doomed: list[Path] = []
    staging = reports_dir / STAGING_DIR
    if staging.is_dir():
        doomed += list(staging.iterdir())
    if reports_dir.is_dir():
        for entry in reports_dir.iterdir():
            if _LEFTOVER.match(entry.name):
                doomed.append(entry)
            elif entry.is_dir() and not entry.name.startswith("."):
                doomed += [p for p in entry.iterdir() if _LEFTOVER.match(p.name)]
                history = entry / HISTORY_DIR
                if history.is_dir():
                    doomed += [p for p in history.iterdir() if _LEFTOVER.match(p.name)]
    tmp = Path(tempfile.gettempdir())
    for entry in tmp.glob(f"{KERNEL_SOCKETS_PREFIX}*"):
        owner = entry.name[len(KERNEL_SOCKETS_PREFIX) :].split("-", 1)[0]
        if owner.isdigit() and not _alive(int(owner)):
            doomed.append(entry)
    for path in doomed:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return doomed
