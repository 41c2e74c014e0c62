"""Benchmark: building country briefs the naive way vs ``osa-briefs build``.

On the same data, one run times

(a) the naive way: for each country, the ``papermill`` command on the brief as ``.ipynb``
    (``notebooks/country_brief.ipynb``, converted from the ``.py`` so both sides run the same
    cells) and then ``jupyter nbconvert --to html --no-input``, one country after another;
(b) ``osa-briefs build --country ... --force`` into a fresh temporary reports folder (the same
    countries; parallel jobs, skip logic, rendering and atomic publishing included);
(c) the same build again with nothing changed (every brief skipped);
(d) unless ``--no-cold``, (b) again with ``--cold-kernels`` (every kernel a fresh process
    instead of a fork of the warm kernel server), to show what the warm kernels save.

It also prints the **kernel compute per brief** of (b): the sum of papermill's cell durations
in each executed notebook (imports, data, sections, figures; not papermill or rendering), and
its median.

Targets (issue "One house"): (b) <= 0.30 x (a); (c) <= 0.5 s; median kernel compute <= 3 s;
the warm kernels are worth keeping when (b) <= 0.9 x (d). It prints the times and ratios and
asserts nothing. Before timing, one untimed papermill run fills the derived-data caches
(incident table, EEZ, cyclone passages), so neither side pays for them. (b) makes no PDF
unless ``--pdf`` is given, as the naive way makes none. Default: all 12 OSA recipients.

Run (real data from the mirror)::

    OSA_DATA_MIRROR=../shared/data-mirror python benchmarks/bench_briefs.py
    python benchmarks/bench_briefs.py --notebook tests/fixtures/runner/brief_fixture.py
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from osa_analysis.build.params import default_as_of, recipient_code_lists
from osa_analysis.build.runner import KERNEL_NAME, NOTEBOOK
from osa_analysis.core.config import PROJECT_ROOT

TARGET_RATIO = 0.30
TARGET_NOCHANGE_S = 0.5
TARGET_KERNEL_S = 3.0
TARGET_WARM_SAVING = 0.10
BIN = Path(sys.executable).parent


def tool(name: str) -> list[str]:
    """Return the command of a console script installed beside this Python."""
    path = BIN / name
    if path.exists():
        return [str(path)]
    module = {
        "osa-briefs": "osa_analysis.build.cli",
        "jupyter": "jupyter",
        "papermill": "papermill",
    }
    return [sys.executable, "-m", module[name]]


def timed(cmd: list[str], *, check: bool = True) -> tuple[float, int]:
    """Run a command (output hidden unless it fails); return wall-clock seconds and exit code."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n", file=sys.stderr)
        message = f"command failed ({proc.returncode}): {' '.join(cmd)}"
        if check:
            raise SystemExit(message)
        print(message, file=sys.stderr)
    return seconds, proc.returncode


def naive_notebook(notebook: Path, work: Path) -> Path:
    """Return the .ipynb the naive way runs, made from the same source as the build's.

    A jupytext ``.py`` is converted (as ``jupytext --to ipynb`` would; the paired
    ``notebooks/country_brief.ipynb`` holds the same cells when it is in sync), so both sides
    run the same cells even while the pair is out of date.
    """
    if notebook.suffix == ".ipynb":
        return notebook
    import jupytext

    nb = jupytext.read(notebook)
    nb.metadata["kernelspec"] = {
        "name": KERNEL_NAME,
        "display_name": "Python 3",
        "language": "python",
    }
    out = work / f"{notebook.stem}.ipynb"
    jupytext.write(nb, out)
    return out


def papermill_cmd(ipynb: Path, iso3: str, as_of: str, out_dir: Path) -> list[str]:
    return [
        *tool("papermill"),
        str(ipynb),
        str(out_dir / f"{iso3}.ipynb"),
        "-k",
        KERNEL_NAME,
        "--cwd",
        str(PROJECT_ROOT),
        "--no-progress-bar",
        "-p",
        "country_iso3",
        iso3,
        "-r",
        "as_of",
        as_of,
        "-p",
        "output_dir",
        str(out_dir / iso3),
    ]


def nbconvert_cmd(executed: Path, out_dir: Path) -> list[str]:
    return [
        *tool("jupyter"),
        "nbconvert",
        "--to",
        "html",
        "--no-input",
        str(executed),
        "--output-dir",
        str(out_dir),
    ]


def kernel_seconds(executed: Path) -> float:
    """Return the kernel compute of an executed notebook: the sum of its cells' durations."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    return sum(
        float(cell.get("metadata", {}).get("papermill", {}).get("duration") or 0.0)
        for cell in nb["cells"]
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", nargs="+", help="ISO3 codes (default: every recipient)")
    parser.add_argument("--notebook", default=str(NOTEBOOK), help="brief notebook (.py/.ipynb)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel jobs of (b) and (c)")
    parser.add_argument("--pdf", action="store_true", help="let (b) print PDFs too")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--no-cold", action="store_true", help="skip (d), the cold-kernel build")
    args = parser.parse_args(argv)

    countries = [c.upper() for c in (args.country or recipient_code_lists()["all"])]
    notebook = Path(args.notebook).resolve()
    as_of = default_as_of().isoformat()
    work = Path(tempfile.mkdtemp(prefix="bench-briefs-"))
    try:
        ipynb = naive_notebook(notebook, work)
        naive_dir = work / "naive"
        naive_dir.mkdir()
        print(f"countries {' '.join(countries)}, as_of {as_of}, notebook {notebook}")
        print(f"naive notebook {ipynb}; work folder {work}")

        (work / "warmup").mkdir()
        warm, _ = timed(papermill_cmd(ipynb, countries[0], as_of, work / "warmup"))
        print(f"warm-up (untimed in the comparison): papermill {countries[0]} {warm:.1f} s")

        naive_total = 0.0
        for iso3 in countries:
            pm, _ = timed(papermill_cmd(ipynb, iso3, as_of, naive_dir))
            nbc, _ = timed(nbconvert_cmd(naive_dir / f"{iso3}.ipynb", naive_dir))
            naive_total += pm + nbc
            print(f"  (a) {iso3}: papermill {pm:.1f} s + nbconvert {nbc:.1f} s")

        build = [
            *tool("osa-briefs"),
            "build",
            "--country",
            *countries,
            "--as-of",
            as_of,
            "--jobs",
            str(args.jobs),
            "--reports-dir",
            str(work / "reports"),
            "--notebook",
            str(notebook),
        ]
        if not args.pdf:
            build.append("--no-pdf")
        forced, forced_rc = timed([*build, "--force"], check=False)
        unchanged, unchanged_rc = timed(build, check=False)
        per_brief = {
            iso3: kernel_seconds(path)
            for iso3 in countries
            if (path := work / "reports" / iso3 / "brief.ipynb").is_file()
        }
        cold = None
        if not args.no_cold:
            cold_build = [*build, "--force", "--cold-kernels"]
            cold_build[cold_build.index("--reports-dir") + 1] = str(work / "reports-cold")
            cold, _ = timed(cold_build, check=False)

        ratio = forced / naive_total
        print()
        if forced_rc or unchanged_rc:
            print(
                f"NOTE: build exit codes {forced_rc} (b) and {unchanged_rc} (c): some brief failed"
            )
        print(f"(a) naive papermill + nbconvert, sequential: {naive_total:7.1f} s")
        print(
            f"(b) osa-briefs build --force, {args.jobs} jobs:      {forced:7.1f} s  "
            f"ratio (b)/(a) {ratio:.2f} (target <= {TARGET_RATIO}: "
            f"{verdict(ratio <= TARGET_RATIO)})"
        )
        print(
            f"(c) osa-briefs build, nothing changed:       {unchanged:7.1f} s  "
            f"(target <= {TARGET_NOCHANGE_S} s: {verdict(unchanged <= TARGET_NOCHANGE_S)})"
        )
        if cold is not None:
            saving = 1 - forced / cold
            print(
                f"(d) the same as (b) with --cold-kernels:     {cold:7.1f} s  "
                f"warm kernels save {saving:.0%} (keep them if >= {TARGET_WARM_SAVING:.0%}: "
                f"{verdict(saving >= TARGET_WARM_SAVING)})"
            )
        if per_brief:
            median = statistics.median(per_brief.values())
            listed = ", ".join(f"{k} {v:.1f}" for k, v in per_brief.items())
            print(f"kernel compute per brief in (b), s: {listed}")
            print(
                f"median kernel compute per brief: {median:.2f} s "
                f"(target <= {TARGET_KERNEL_S} s: {verdict(median <= TARGET_KERNEL_S)})"
            )
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
