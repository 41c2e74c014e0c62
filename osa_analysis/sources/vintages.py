"""The vintage lock: which release of each source the package reads, beyond the pinned bytes.

``osa-briefs data update`` accepts a new release of a source only after validating it
(:mod:`osa_analysis.sources.update`); it then keeps the bytes content-addressed in the data
directory (``vintages/<id>/<sha256[:16]>/<name>``, earlier vintages kept) and records them
here, in ``vintages.lock.json`` beside them (``OSA_DATA_DIR``). One record per source:

``sha256``, ``size_bytes``, ``file`` (relative to the data directory), ``url`` (and
``member``, ``archive_sha256`` for an archive), ``release`` (``latest`` or the release
number), ``retrieved_at`` (UTC, ISO 8601), ``coverage`` (``start/end`` of the data, at the
registry's resolution), ``rows``, ``columns`` and ``previous_sha256`` (the vintage it
replaced).

:func:`osa_analysis.sources.registry.registry` lays these records over the pinned registry
unless ``OSA_PINNED=1``. This module reads and writes the file only (standard library).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from osa_analysis.core.files import write_json

LOCK_NAME = "vintages.lock.json"
LOCK_FORMAT = 1
VINTAGES_DIR = "vintages"
QUARANTINE_DIR = "quarantine"

REQUIRED = ("sha256", "size_bytes", "file", "release", "retrieved_at")


class LockError(ValueError):
    """The vintage lock is malformed (the message names the file and the entry)."""


def lock_path(data_dir: Path) -> Path:
    """Return where the vintage lock of a data directory lives."""
    return Path(data_dir) / LOCK_NAME


def lock_signature(path: Path) -> tuple[int, int, int, int] | None:
    """Return what identifies the lock file's current state (``None`` when there is none)."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def read_lock(path: Path) -> dict[str, dict[str, Any]]:
    """Return the lock's records by source id (empty when there is no lock).

    Raises
    ------
    LockError
        When the file is not a lock of this format or a record lacks a required field.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (UnicodeDecodeError, ValueError) as exc:
        raise LockError(f"{path}: not valid JSON ({exc}); restore it or delete it") from None
    if not isinstance(data, dict) or data.get("format") != LOCK_FORMAT:
        raise LockError(f"{path}: not a vintage lock of format {LOCK_FORMAT}")
    sources = data.get("sources")
    if not isinstance(sources, dict):
        raise LockError(f"{path}: 'sources' must map source ids to records")
    for sid, record in sources.items():
        missing = [k for k in REQUIRED if not isinstance(record, dict) or record.get(k) is None]
        if missing:
            raise LockError(f"{path}: entry {sid!r} lacks {missing}")
    return sources


def write_lock(path: Path, records: dict[str, dict[str, Any]]) -> None:
    """Write the lock atomically, records sorted by source id."""
    write_json(
        Path(path), {"format": LOCK_FORMAT, "sources": {s: records[s] for s in sorted(records)}}
    )


def vintage_file(source_id: str, sha256: str, name: str) -> str:
    """Return the content-addressed path of a vintage, relative to the data directory."""
    return f"{VINTAGES_DIR}/{source_id}/{sha256[:16]}/{name}"
