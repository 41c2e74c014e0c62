"""Digests of the package's own code, for cache keys (no heavy imports)."""

from __future__ import annotations

import hashlib
from functools import cache

from osa_analysis import config


@cache
def code_digest() -> str:
    """sha256 of the package's own Python source (computed once per process)."""
    digest = hashlib.sha256()
    for path in sorted(config.PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(config.PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
