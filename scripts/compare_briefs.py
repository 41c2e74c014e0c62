"""Build every brief on two versions of the code and diff their ``summary.json`` values.

Used when a change must leave the briefs' numbers as they are (a refactor): each version is
exported from git (``git archive``) into a scratch folder, its briefs are built with that
version's own ``osa-briefs build --force --no-render`` (same interpreter, same data mirror,
a derived cache of its own), and every leaf value of every ``summary.json`` is compared.

::

    python scripts/compare_briefs.py --old d19e0c9 --new HEAD          # all recipients
    python scripts/compare_briefs.py --old d19e0c9 --new WORKTREE --country PHL FJI
    python scripts/compare_briefs.py --old-dir /tmp/old --new-dir /tmp/new   # diff only

``WORKTREE`` means the files as they are now (uncommitted changes included). Floats are
compared exactly unless ``--rel-tol`` is given. The exit status is 1 when any value differs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
IGNORED_KEYS = {"git_commit", "package_version"}
"""Keys that record the run rather than the analysis (at any depth)."""


CLI_MAIN = (
    "import importlib, importlib.util, sys; "
    "name = 'osa_analysis.build.cli' if importlib.util.find_spec('osa_analysis.build') "
    "else 'osa_analysis.cli'; sys.exit(importlib.import_module(name).main())"
)
"""Run ``osa-briefs`` of whichever layout the exported tree has (before and after issue 8)."""


def export(rev: str, dest: Path) -> Path:
    """Write the tree of ``rev`` (or the working tree for ``WORKTREE``) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    if rev == "WORKTREE":
        files = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout.split(b"\0")
        for name in filter(None, files):
            src = ROOT / name.decode()
            if src.is_file():
                (dest / name.decode()).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest / name.decode())
        return dest
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tempfile.TemporaryFile() as fh:
        fh.write(archive)
        fh.seek(0)
        with tarfile.open(fileobj=fh) as tar:
            tar.extractall(dest, filter="data")
    return dest


def build(tree: Path, out: Path, countries: list[str] | None, jobs: int) -> None:
    """Build the briefs of the code in ``tree`` into ``out`` (its own derived cache)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree)
    env["OSA_CACHE_DIR"] = str(out / "cache")
    env.pop("OSA_REPORTS_DIR", None)
    which = ["--country", *countries] if countries else ["--all"]
    cmd = [
        sys.executable,
        "-c",
        CLI_MAIN,
        "build",
        *which,
        "--force",
        "--no-render",
        "--jobs",
        str(jobs),
        "--reports-dir",
        str(out / "reports"),
        "--notebook",
        str(tree / "notebooks" / "country_brief.py"),
    ]
    print(f"building {tree} -> {out / 'reports'}", flush=True)
    subprocess.run(cmd, cwd=tree, env=env, check=False)


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``(path, leaf)`` for every scalar of a JSON document."""
    if isinstance(value, dict):
        for key in sorted(value):
            if key in IGNORED_KEYS:
                continue
            yield from leaves(value[key], f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, f"{path}[{i}]")
    else:
        yield path, value


def same(a: Any, b: Any, rel_tol: float) -> bool:
    """Whether two leaves are equal (floats within ``rel_tol``)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b or math.isclose(a, b, rel_tol=rel_tol, abs_tol=0.0)
    return a == b


def diff_summaries(old: dict, new: dict, rel_tol: float = 0.0) -> list[tuple[str, Any, Any]]:
    """Return ``(path, old, new)`` for every leaf that differs, is added or is removed."""
    a, b = dict(leaves(old)), dict(leaves(new))
    missing = object()
    out = []
    for path in sorted(set(a) | set(b)):
        va, vb = a.get(path, missing), b.get(path, missing)
        if va is missing or vb is missing or not same(va, vb, rel_tol):
            out.append((path, None if va is missing else va, None if vb is missing else vb))
    return out


def compare(old_dir: Path, new_dir: Path, rel_tol: float) -> int:
    """Print the differences of every country's summary; return the number of differences."""
    total = 0
    countries = sorted(
        p.parent.name for p in (old_dir / "reports").glob("*/summary.json")
    ) or sorted(p.parent.name for p in (new_dir / "reports").glob("*/summary.json"))
    for iso3 in countries:
        paths = [d / "reports" / iso3 / "summary.json" for d in (old_dir, new_dir)]
        if not all(p.is_file() for p in paths):
            print(f"{iso3}: summary missing in {[str(p) for p in paths if not p.is_file()]}")
            total += 1
            continue
        old, new = (json.loads(p.read_text(encoding="utf-8")) for p in paths)
        diffs = diff_summaries(old, new, rel_tol)
        total += len(diffs)
        print(f"{iso3}: {len(diffs)} difference(s) in {sum(1 for _ in leaves(old))} values")
        for path, va, vb in diffs:
            print(f"    {path}: {va!r} -> {vb!r}")
    return total


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", help="git revision of the old code")
    parser.add_argument("--new", default="WORKTREE", help="git revision or WORKTREE")
    parser.add_argument("--old-dir", type=Path, help="existing build of the old code")
    parser.add_argument("--new-dir", type=Path, help="existing build of the new code")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temp folder)")
    parser.add_argument("--country", nargs="+", metavar="ISO3")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rel-tol", type=float, default=0.0)
    args = parser.parse_args(argv)
    work = args.work
    dirs = {}
    for side, rev, given in (("old", args.old, args.old_dir), ("new", args.new, args.new_dir)):
        if given is not None:
            dirs[side] = given
            continue
        if rev is None:
            parser.error(f"give --{side} or --{side}-dir")
        work = work or Path(tempfile.mkdtemp(prefix="osa-compare-"))
        tree = export(rev, work / side / "tree")
        build(tree, work / side, args.country, args.jobs)
        dirs[side] = work / side
    n = compare(dirs["old"], dirs["new"], args.rel_tol)
    print(f"{n} difference(s)" + (f"; builds in {work}" if work else ""))
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main())
