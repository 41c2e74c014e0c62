"""Publish a brief atomically, keep a failed one for debugging, and rebuild the reports index.

A complete staging folder is copied to ``reports/<ISO3>/history/<as_of>--<key12>/`` and its
files are then moved onto ``reports/<ISO3>/`` one by one with :func:`os.replace`, ``run.json``
last, so a reader sees either the old or the new version of each file. A failed run goes to
``reports/_failed/<ISO3>/<UTC timestamp>/`` instead, leaving the published brief untouched.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from pathlib import Path

from osa_analysis.build.keys import read_run_record
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


def _replace_entry(src: Path, dest: Path) -> None:
    """Move ``src`` onto ``dest`` atomically (files: os.replace; folders: rename-swap)."""
    if src.is_dir() and dest.exists():
        trash = dest.with_name(f".{dest.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(dest, trash)
        os.replace(src, dest)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(src, dest)


def _make_readable(folder: Path) -> None:
    """Give published files the usual modes (0644, folders 0755): temp files are 0600."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _publish(staging: Path, country_dir: Path, history_name: str, files: dict) -> None:
    """Publish a complete staging folder: history copy first, then the latest files."""
    previous = read_run_record(country_dir) or {}
    _make_readable(staging)
    history = country_dir / HISTORY_DIR
    history.mkdir(parents=True, exist_ok=True)
    tmp = history / f".{history_name}.tmp-{uuid.uuid4().hex[:8]}"
    shutil.copytree(staging, tmp)
    _replace_entry(tmp, history / history_name)
    names = sorted(p.name for p in staging.iterdir() if p.name != RUN_FILE)
    for name in [*names, RUN_FILE]:  # run.json last: it marks the brief as published
        _replace_entry(staging / name, country_dir / name)
    stale = set((previous.get("files") or {}).values()) - set(files.values())
    for name in stale:
        if name and "/" not in name and name not in (RUN_FILE, HISTORY_DIR):
            (country_dir / name).unlink(missing_ok=True)


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
