"""Publish a brief whole or not at all, keep a failed one for debugging, rebuild the index.

A brief's files become visible together. :func:`_publish` assembles the next state of
``reports/<ISO3>/`` beside it, in ``reports/.<ISO3>.new-<random>/``: the new files, the
existing ``history/`` (hard links, no copies) and the new version
``history/<as_of>--<key12>/``; then one atomic exchange of the two folders
(:func:`swap_in`: Linux ``renameat2(RENAME_EXCHANGE)``) makes it the published brief, and the
old state is deleted. Where the exchange is not supported, two renames do it, with an instant
in which ``reports/<ISO3>/`` is absent, never one in which it mixes two versions. A build that
dies before the exchange leaves the published brief as it was; whatever it left beside it is
removed by the next build (:func:`osa_analysis.build.lock.remove_leftovers`).

A failed run goes to ``reports/_failed/<ISO3>/<UTC timestamp>/`` instead, leaving the
published brief untouched.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import errno
import json
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

from osa_analysis.build.records import (
    BRIEF_FILES,
    DEBUG_HTML,
    FAILED_DIR,
    HISTORY_DIR,
    LOG_FILE,
    REPORTS_DIR,
    RUN_FILE,
    _append_log,
)
from osa_analysis.core.files import write_json

FAULT_HOOK: Callable[[str], None] | None = None
"""Called with the name of each step of :func:`_publish` (tests inject a fault there)."""

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _step(name: str) -> None:
    if FAULT_HOOK is not None:
        FAULT_HOOK(name)


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths atomically (Linux ``renameat2``); ``False`` where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(new: Path, dest: Path) -> None:
    """Make the folder ``new`` the folder ``dest`` in one step; delete what ``dest`` held.

    ``new`` must sit beside ``dest`` (the same file system).
    """
    if not dest.exists():
        os.rename(new, dest)
        return
    if _exchange(new, dest):
        shutil.rmtree(new, ignore_errors=True)  # now the old ``dest``
        return
    trash = dest.with_name(f".{dest.name}.old-{uuid.uuid4().hex[:8]}")
    os.replace(dest, trash)
    os.replace(new, dest)
    shutil.rmtree(trash, ignore_errors=True)


def _replace_entry(src: Path, dest: Path) -> None:
    """Move ``src`` onto ``dest`` atomically (files: os.replace; folders: :func:`swap_in`)."""
    if src.is_dir():
        swap_in(src, dest)
    else:
        os.replace(src, dest)


def _make_readable(folder: Path) -> None:
    """Give published files the usual modes (0644, folders 0755): temp files are 0600."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _link_tree(src: Path, dest: Path) -> None:
    """Recreate ``src`` at ``dest`` with hard links to its files (dot entries left out)."""
    shutil.copytree(src, dest, copy_function=os.link, ignore=shutil.ignore_patterns(".*"))


def _link_entry(src: Path, dest: Path) -> None:
    """Hard-link a file, or :func:`_link_tree` a folder, from ``src`` to ``dest``."""
    if src.is_dir():
        _link_tree(src, dest)
    else:
        os.link(src, dest)


BRIEF_ENTRIES = frozenset({*BRIEF_FILES.values(), RUN_FILE, HISTORY_DIR})
"""Entries of ``reports/<ISO3>/`` a publication replaces (others are carried over)."""


def _publish(
    staging: Path, country_dir: Path, history_name: str, *, as_latest: bool = True
) -> None:
    """Publish a complete staging folder as ``country_dir`` in one atomic step.

    ``staging`` holds the brief's files and its ``run.json``. A file of the previous version
    the new one lacks is no longer published (it stays in that version's history folder).
    ``as_latest=False`` (a brief dated before the published one) adds the version to the
    history only; the published brief stays as it is.
    """
    _make_readable(staging)
    new = country_dir.with_name(f".{country_dir.name}.new-{uuid.uuid4().hex[:8]}")
    new.mkdir()
    try:
        _assemble(staging, country_dir, new, history_name, as_latest=as_latest)
    except Exception:  # e.g. a full disk: the published brief was not touched
        shutil.rmtree(new, ignore_errors=True)
        raise
    swap_in(new, country_dir)
    _step("done")


def _assemble(
    staging: Path, country_dir: Path, new: Path, history_name: str, *, as_latest: bool
) -> None:
    """Fill ``new`` with the next state of ``country_dir`` (:func:`_publish`)."""
    new.chmod(0o755)
    _step("prepare")
    history = new / HISTORY_DIR
    if (country_dir / HISTORY_DIR).is_dir():
        _link_tree(country_dir / HISTORY_DIR, history)
    history.mkdir(exist_ok=True)
    version = history / history_name
    if version.exists():  # the same as-of and run key, built again (--force)
        shutil.rmtree(version)
    _link_tree(staging, version)
    _step("history")
    if as_latest:
        for entry in staging.iterdir():
            _link_entry(entry, new / entry.name)
    if country_dir.is_dir():  # the published brief (unless replaced) and anything else
        for entry in country_dir.iterdir():
            replaced = as_latest and entry.name in BRIEF_ENTRIES
            if not replaced and entry.name != HISTORY_DIR and not entry.name.startswith("."):
                _link_entry(entry, new / entry.name)
    _step("switch")


def _failure_dir(reports_dir: Path, iso3: str, started: dt.datetime) -> Path:
    base = reports_dir / FAILED_DIR / iso3
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    candidate = base / stamp
    n = 1
    while candidate.exists():
        n += 1
        candidate = base / f"{stamp}-{n}"
    return candidate


def _keep_failure(
    work: Path,
    staging: Path,
    record: dict,
    reports_dir: Path,
    started: dt.datetime,
    *,
    render: bool,
) -> Path:
    """Move the failed run's notebook, debug HTML, run.json and log.txt to ``_failed/``."""
    failed = _failure_dir(reports_dir, record["country_iso3"], started)
    keep = work / "failed"
    keep.mkdir()
    executed = staging / BRIEF_FILES["ipynb"]
    files = {}
    if executed.is_file():
        shutil.copy2(executed, keep / BRIEF_FILES["ipynb"])
        files["ipynb"] = BRIEF_FILES["ipynb"]
        if render:
            try:
                from osa_analysis.build import render as rendering

                rendering.render_debug_html(executed, keep / DEBUG_HTML)
                files["debug_html"] = DEBUG_HTML
            except Exception as exc:  # the debug page is a courtesy; the notebook is the log
                _append_log(work, f"runner: no debug HTML: {type(exc).__name__}: {exc}")
    _append_log(work, f"runner: FAILED {json.dumps(record['error'], indent=2)}")
    shutil.copy2(work / LOG_FILE, keep / LOG_FILE)
    files["log"] = LOG_FILE
    record["files"] = files
    write_json(keep / RUN_FILE, record)
    _make_readable(keep)
    failed.parent.mkdir(parents=True, exist_ok=True)
    os.replace(keep, failed)
    return failed


def rebuild_index(reports_dir: Path = REPORTS_DIR) -> tuple[Path, Path]:
    """Rebuild ``index.html`` and ``index.json`` of ``reports_dir`` with the catalog module."""
    from osa_analysis.build.catalog import build_index

    return build_index(Path(reports_dir))
