"""Atomic file writes, JSON values and tolerant JSON reads (standard library only).

Every file the package writes (published briefs, caches, fetched sources) goes through
:func:`atomic_path`: a temporary file in the same folder, renamed into place on success and
removed on failure, so a reader sees the old or the new content, never a partial one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import math
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def temporary_sibling(path: Path) -> Path:
    """Return an unused temporary name in ``path``'s folder (same file system)."""
    path = Path(path)
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success rename it onto ``path``.

    The folder is created when missing. The file gets the usual mode (umask), not the
    0600 of :func:`tempfile.mkstemp`. On an exception the temporary file is removed and
    ``path`` is left as it was.

    Examples
    --------
    >>> with atomic_path(target) as tmp:  # doctest: +SKIP
    ...     frame.to_parquet(tmp)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_sibling(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (:func:`atomic_path`)."""
    with atomic_path(path) as tmp, open(tmp, "xb") as fh:
        fh.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, Unix newlines) to ``path`` atomically (:func:`atomic_path`).

    Parameters
    ----------
    path : Path
        Destination; its folder is created when missing.
    text : str
        Content.
    """
    with atomic_path(path) as tmp, open(tmp, "x", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def json_text(data: Any, *, ensure_ascii: bool = True) -> str:
    """Serialise as indented JSON with sorted keys and a final newline (byte-stable)."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=ensure_ascii, default=str) + "\n"


def write_json(path: Path, data: Any, *, ensure_ascii: bool = True) -> None:
    """Write ``data`` as :func:`json_text`, atomically (:func:`atomic_write_text`)."""
    atomic_write_text(path, json_text(data, ensure_ascii=ensure_ascii))


def read_json_object(path: Path) -> dict[str, Any] | None:
    """Return the JSON object in ``path``, or ``None`` when it is absent or unusable.

    For files the build wrote itself (``run.json``, ``summary.json``): an unreadable file or
    one that holds no JSON object is logged and treated as absent.
    """
    path = Path(path)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return None
    if not isinstance(data, dict):
        log.warning("ignoring %s: not a JSON object", path)
        return None
    return data


def jsonable(value: Any) -> Any:
    """Convert numpy/pandas scalars and containers to plain JSON values (NaN → None).

    Floats are rounded to 6 decimals, dates become ``YYYY-MM-DD``, missing values and
    infinities ``None``; dict keys become strings.
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date):  # pandas.Timestamp and datetime included
        try:
            return value.strftime("%Y-%m-%d")
        except ValueError:  # NaT
            return None
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item) and type(value).__module__ == "numpy":
        value = item()
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, 6)
    return value
