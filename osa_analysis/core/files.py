"""Small file helpers shared by the runner, renderer and catalog (standard library only).

Every file the build publishes is written through a temporary file in the same folder and
renamed into place, so a reader sees the old or the new content, never a partial one.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, Unix newlines) to ``path`` through a temporary file and rename.

    Parameters
    ----------
    path : Path
        Destination; its folder is created when missing.
    text : str
        Content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_sibling(path)
    try:
        with tmp.open("x", encoding="utf-8", newline="\n") as fh:  # the usual file mode
            fh.write(text)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def temporary_sibling(path: Path) -> Path:
    """Return an unused temporary name in ``path``'s folder (same file system)."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as indented JSON with sorted keys, atomically (:func:`atomic_write_text`)."""
    atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


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
