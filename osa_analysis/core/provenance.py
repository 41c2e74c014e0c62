"""What produced an output: the package version, digests of its code, the git commit.

:func:`module_digest` is what derived-data caches key on: a digest of the code of one
module and of every package module it imports, directly or not, so a cached table is
rebuilt when the code that builds it changes and not when an unrelated module does.

Standard library only, so the command line and parameter checks stay fast.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Iterable
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from osa_analysis.core import config

try:
    __version__ = version("osa_analysis")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"


PACKAGE = "osa_analysis"


def module_file(module: str) -> Path | None:
    """Return the source file of a package module (``None`` when it is not one)."""
    if module != PACKAGE and not module.startswith(PACKAGE + "."):
        return None
    base = config.PACKAGE_DIR.joinpath(*module.split(".")[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


_FROM_IMPORT = re.compile(
    r"^[ \t]*from[ \t]+(osa_analysis(?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M
)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+(osa_analysis(?:\.\w+)*)", re.M)


@cache
def _imports(path: Path) -> frozenset[str]:
    """Return the package modules a source file imports (``from``/``import`` statements)."""
    text = path.read_text(encoding="utf-8")
    found = set(_IMPORT.findall(text))
    for module, names in _FROM_IMPORT.findall(text):
        found.add(module)
        for name in re.sub(r"#[^\n]*", "", names).strip("()").split(","):
            name = name.split(" as ")[0].strip()
            if name.isidentifier():
                found.add(f"{module}.{name}")
    return frozenset(m for m in found if module_file(m) is not None)


def module_closure(modules: Iterable[str]) -> tuple[str, ...]:
    """Return the package modules that ``modules`` import, transitively, with their parents."""
    todo = [m for m in modules if module_file(m) is not None]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages
        todo.extend(_imports(module_file(name)))
    return tuple(sorted(seen))


@cache
def module_digest(*modules: str) -> str:
    """sha256 of the source of ``modules`` and of every package module they import.

    Parameters
    ----------
    *modules : str
        Dotted module names, e.g. ``"osa_analysis.harmonise.incidents"``.
    """
    digest = hashlib.sha256()
    for name in module_closure(modules):
        digest.update(name.encode() + b"\0")
        digest.update(module_file(name).read_bytes() + b"\0")
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
