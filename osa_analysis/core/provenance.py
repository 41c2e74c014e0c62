"""What produced an output: the package version, digests of its code, the git commit.

Standard library only, so the command line and parameter checks stay fast.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from osa_analysis.core import config

try:
    __version__ = version("osa_analysis")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"


@cache
def code_digest() -> str:
    """sha256 of the package's own Python source (computed once per process)."""
    digest = hashlib.sha256()
    for path in sorted(config.PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(config.PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def git_commit() -> str | None:
    """Return the project's git commit (``HEAD``), or ``None`` outside a git checkout.

    ``OSA_GIT_COMMIT`` overrides it (for builds from an exported tree). Read once per
    process.
    """
    if os.environ.get("OSA_GIT_COMMIT"):
        return os.environ["OSA_GIT_COMMIT"]
    try:
        proc = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=config.PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = proc.stdout.strip()
    return commit if proc.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", commit) else None
