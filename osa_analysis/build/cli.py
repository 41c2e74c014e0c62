"""The ``osa-briefs`` command line.

::

    osa-briefs data fetch [--all | ID ...]   obtain source files into the cache (sha256-checked)
    osa-briefs data update [--all | ID ...]  take each source's newest release, validate it
                                             before use, record it in the vintage lock
    osa-briefs data status [--json]          per source: cached?, sha256 ok?, vintage, licence,
                                             coverage, release channel, freshness
    osa-briefs data check [ID ...]           run every loader and its validation; report problems

``--pinned`` (build, data fetch/status/check) ignores the vintage lock: every source is read
with its registry-pinned bytes, which reproduces a brief exactly.
    osa-briefs build (--country ISO3 ... | --all) [options]
                                             execute, render and publish country briefs
    osa-briefs backtest [--start Y] [--end Y] [--countries all|ISO3 ...] [--jobs N]
                        [--dask-scheduler ADDRESS]
                                             score the briefs' judgements on history
    osa-briefs methods calibrate [--check]   recompute data/risk/composite_calibration.yaml
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import warnings
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from rich.console import Console
from rich.table import Table

from osa_analysis.build.argtypes import positive_int, positive_seconds
from osa_analysis.build.backtest import add_backtest_parser
from osa_analysis.build.messages import add_messages_parser
from osa_analysis.build.methods_command import add_methods_parser
from osa_analysis.core import config
from osa_analysis.core.provenance import __version__
from osa_analysis.sources.fetch import cached_path, fetch, verified_sha256
from osa_analysis.sources.registry import registry

console = Console(highlight=False)


def _ids(args: argparse.Namespace) -> list[str]:
    known = registry()
    if getattr(args, "all", False) or not args.ids:
        return sorted(known)
    unknown = [i for i in args.ids if i not in known]
    if unknown:
        raise SystemExit(f"unknown source id(s) {unknown}; known: {', '.join(sorted(known))}")
    return list(args.ids)


def cmd_fetch(args: argparse.Namespace) -> int:
    """Fetch sources; report each failure and exit non-zero if any failed."""
    failures = 0
    for sid in _ids(args):
        try:
            path = fetch(sid)
            console.print(f"[green]ok[/]    {sid:32} {path}")
        except Exception as exc:
            failures += 1
            console.print(f"[red]FAIL[/]  {sid:32} {exc}")
    console.print(f"{failures} failure(s)" if failures else "all sources fetched and verified")
    return 1 if failures else 0


def source_status(*, verify: bool = False, today: dt.date | None = None) -> list[dict]:
    """Return one status record per registered source (no fetching).

    ``verify`` re-hashes every cached file instead of trusting its stamp. ``today`` is the
    yardstick of freshness (default: today, UTC).
    """
    from osa_analysis.sources.freshness import freshness

    today = today or dt.datetime.now(dt.UTC).date()
    rows = []
    for sid, src in sorted(registry().items()):
        path = cached_path(sid)
        cached = path.exists()
        sha_ok = cached and verified_sha256(path, rehash=verify) == src.sha256
        fresh = freshness(src, today)
        rows.append(
            {
                "id": sid,
                "cached": cached,
                "sha256_ok": sha_ok,
                "sha256": src.sha256_prefix,
                "licence": src.licence,
                "redistribution": src.redistribution,
                "coverage": src.coverage,
                "vintage": src.vintage,
                "locked": src.locked is not None,
                "official": src.official,
                "path": str(path),
                "channel": src.release.channel,
                "cadence": src.release.cadence,
                "last_data": fresh.last_data.isoformat() if fresh.last_data else None,
                "retrieved_at": fresh.retrieved_at,
                "due": fresh.due.isoformat() if fresh.due else None,
                "freshness": fresh.state,
                "days_overdue": fresh.days_overdue,
            }
        )
    return rows


def _freshness_text(row: dict) -> str:
    if row["freshness"] == "overdue":
        return f"[yellow]overdue {row['days_overdue']} d[/] (due {row['due']})"
    if row["freshness"] == "current":
        return f"[green]current[/] (next due {row['due']})"
    return row["freshness"]


def cmd_status(args: argparse.Namespace) -> int:
    """Print the cache status of every source."""
    rows = source_status(verify=args.verify)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    mode = "pinned bytes only (--pinned)" if config.pinned() else "vintage lock applied"
    table = Table(title=f"Sources in {config.data_dir()} ({mode})")
    columns = ("id", "cached", "sha256", "vintage", "redistribution", "coverage", "channel")
    for col in (*columns, "freshness"):
        table.add_column(col, overflow="fold")
    for r in rows:
        ok = "[green]ok[/]" if r["sha256_ok"] else ("[red]BAD[/]" if r["cached"] else "-")
        table.add_row(
            r["id"],
            "yes" if r["cached"] else "no",
            f"{r['sha256']} {ok}",
            ("locked: " if r["locked"] else "") + r["vintage"],
            r["redistribution"],
            r["coverage"],
            f"{r['channel']}, {r['cadence']}",
            _freshness_text(r),
        )
    console.print(table)
    missing = sum(not r["sha256_ok"] for r in rows)
    overdue = sum(r["freshness"] == "overdue" for r in rows)
    console.print(
        f"{len(rows) - missing}/{len(rows)} sources cached with the sha256 in use; "
        f"{overdue} overdue for a new release (run `osa-briefs data update --all`)"
    )
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    """Take each source's newest release after validating it; exit 1 if any release failed."""
    from osa_analysis.sources.update import has_channel, update_sources

    ids = _ids(args)
    if not args.ids:  # --all: only sources with a channel to ask
        ids = [s for s in ids if has_channel(registry()[s])]
    from osa_analysis.build.lock import BuildLocked, build_lock

    try:  # one update per data folder: two would race for the vintage lock
        with build_lock(config.data_dir(), clean=False):
            results = update_sources(ids)
    except BuildLocked as exc:  # its text says "build": the lock is the same kind
        print(f"osa-briefs data update: an update is already running: {exc}", file=sys.stderr)
        return 2
    table = Table(title=f"Release update in {config.data_dir()}")
    for col in ("id", "result", "detail"):
        table.add_column(col, overflow="fold")
    style = {"new": "green", "failed": "red", "no new data": "default", "no channel": "dim"}
    for r in results:
        table.add_row(r.source_id, f"[{style[r.status]}]{r.status}[/]", r.message)
    console.print(table)
    failed = [r.source_id for r in results if r.status == "failed"]
    new = [r.source_id for r in results if r.status == "new"]
    console.print(
        f"{len(new)} new vintage(s){': ' + ', '.join(new) if new else ''}; "
        + (
            f"[red]{len(failed)} failed: {', '.join(failed)} (the vintage in use stays)[/]"
            if failed
            else "no failure"
        ),
        soft_wrap=True,
    )
    return 1 if failed else 0


def check_sources(ids: Sequence[str]) -> list[dict]:
    """Run each source's loader (validation included) and collect results.

    Returns
    -------
    list of dict
        Per source: ``id``, ``ok``, ``rows``, ``seconds``, ``warnings`` and ``error``.
    """
    from osa_analysis.sources.loaders import loader_for

    results = []
    for sid in ids:
        record = {
            "id": sid,
            "ok": False,
            "rows": None,
            "seconds": None,
            "warnings": [],
            "error": None,
        }
        start = time.perf_counter()
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                table = loader_for(sid)(fetch(sid))
            record["warnings"] = sorted({str(w.message) for w in caught})
            record["rows"] = len(table)
            record["ok"] = True
        except Exception as exc:
            record["error"] = f"{type(exc).__name__}: {exc}"
        record["seconds"] = round(time.perf_counter() - start, 3)
        results.append(record)
    return results


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every source and the merged incident table; exit 1 on any problem."""
    results = check_sources(_ids(args))
    table = Table(title="Loaders and validation")
    for col in ("id", "status", "rows", "s", "notes"):
        table.add_column(col, overflow="fold")
    for r in results:
        status = "[green]ok[/]" if r["ok"] else "[red]FAIL[/]"
        notes = r["error"] or "; ".join(r["warnings"])
        table.add_row(r["id"], status, str(r["rows"] or ""), str(r["seconds"]), notes)
    console.print(table)
    failed = [r["id"] for r in results if not r["ok"]]
    if not args.ids:
        failed += _check_incidents()
    console.print(
        f"[red]{len(failed)} problem(s): {failed}[/]" if failed else "[green]all checks passed[/]"
    )
    return 1 if failed else 0


def _check_incidents() -> list[str]:
    """Build the harmonised incident table and print its quality report."""
    from osa_analysis.harmonise.incidents import (
        incident_quality_report,
        incident_tables,
        load_incidents,
        source_agreement,
    )

    try:
        events = load_incidents()
    except Exception as exc:
        console.print(f"[red]incident table FAILED[/]: {type(exc).__name__}: {exc}")
        return ["incidents"]
    report = incident_quality_report(events)
    table = Table(title=f"Harmonised incident table: {len(events)} events")
    table.add_column("quality flag")
    table.add_column("events", justify="right")
    for flag, count in report.items():
        table.add_row(flag, str(count))
    console.print(table)
    agreement = source_agreement()
    if not agreement.empty:
        console.print(agreement.to_string(index=False))
    return _check_severity(incident_tables().reports)


def _check_severity(reports) -> list[str]:
    """Print the crosswalk's agreement with ReCAAP's labels; a problem when below target."""
    from osa_analysis.harmonise.classify import TARGET_EXACT_AGREEMENT, severity_agreement

    score = severity_agreement(reports)
    console.print(
        f"Severity crosswalk {score.classifier_version} vs ReCAAP's own labels, {score.n} "
        f"incidents also described by another source: exact {score.exact:.1%}, within one "
        f"category {score.within_one:.1%} (target exact >= {TARGET_EXACT_AGREEMENT:.0%})"
    )
    console.print(score.confusion.to_string())
    if score.n and score.exact >= TARGET_EXACT_AGREEMENT:
        return []
    console.print("[red]severity crosswalk below its agreement target[/]")
    return ["severity_crosswalk"]


def _build_params(args: argparse.Namespace) -> list:
    """Validate the build options into one BriefParams per country (SystemExit on error)."""
    from osa_analysis.build.params import (
        BriefParams,
        ParamsError,
        default_as_of,
        recipient_code_lists,
    )

    # the cached code lists: no pandas import when every brief is up to date
    countries = recipient_code_lists()["all"] if args.all else list(dict.fromkeys(args.country))
    options = {"as_of": args.as_of, "lookback_years": args.lookback_years}
    options = {name: value for name, value in options.items() if value is not None}
    problems, params = [], []
    for iso3 in countries:
        try:
            params.append(BriefParams.from_mapping({"country_iso3": iso3, **options}))
        except ParamsError as exc:
            problems.append(str(exc))
    if problems:
        raise SystemExit("osa-briefs build: " + "\n".join(dict.fromkeys(problems)))
    last = default_as_of()
    if params and params[0].as_of > last:
        print(
            f"osa-briefs build: warning: as_of {params[0].as_of.isoformat()} is after the last "
            f"incident data ({last.isoformat()}): the briefs show no incident after that date, "
            "and every source's own last date is stated in them",
            file=sys.stderr,
        )
    return params


def cmd_build(args: argparse.Namespace) -> int:
    """Build country briefs; print a summary table; exit 1 if any brief failed."""
    from osa_analysis.build import runner

    runner.skip_slow_imports()
    if args.screening:
        return _build_screening(args)
    params = _build_params(args)
    notebook = Path(args.notebook).resolve()
    if not notebook.is_file():
        raise SystemExit(f"osa-briefs build: no notebook at {notebook}")
    reports_dir = Path(args.reports_dir).resolve()
    from osa_analysis.build.lock import BuildLocked, build_lock

    try:
        with build_lock(reports_dir):
            status = _build(args, params, notebook, reports_dir)
            if args.all and status in (0, 1):  # not after an interruption
                status = max(status, _build_screening(args, as_of=params[0].as_of.isoformat()))
            return status
    except BuildLocked as exc:
        print(f"osa-briefs build: {exc}", file=sys.stderr)
        return 2


def _build_screening(args: argparse.Namespace, *, as_of: str | None = None) -> int:
    """Build the screening report (``--screening``, and after the briefs of ``--all``)."""
    from osa_analysis.build.params import default_as_of
    from osa_analysis.build.runner import rebuild_index
    from osa_analysis.build.screening import run_screening

    reports_dir = Path(args.reports_dir).resolve()
    as_of = as_of or args.as_of or default_as_of().isoformat()
    try:
        day = dt.date.fromisoformat(as_of)
    except ValueError:
        raise ValueError(f"--as-of {as_of!r} is not an ISO date (YYYY-MM-DD)") from None
    if day > dt.datetime.now(dt.UTC).date():
        raise ValueError(f"--as-of {as_of} is in the future")
    console.print(
        f"Building the screening report ({args.region}, {' '.join(args.equipment)}) as of {as_of}"
    )
    status, folder = run_screening(
        reports_dir,
        as_of=as_of,
        region=args.region,
        equipment=args.equipment,
        what_if=[args.what_if],
        pdf=not args.no_pdf,
        force=args.force,
        cell_timeout_s=args.cell_timeout,
    )
    rebuild_index(reports_dir)
    console.print(f"screening: {status} {folder}")
    return 0


def _build(args: argparse.Namespace, params: list, notebook: Path, reports_dir: Path) -> int:
    """Run the build of :func:`cmd_build`, holding the reports folder's build lock."""
    from osa_analysis.build import runner

    where = f"Dask cluster {args.dask_scheduler}" if args.dask_scheduler else f"{args.jobs} job(s)"
    console.print(
        f"Building {len(params)} brief(s) ({', '.join(p.country_iso3 for p in params)}) "
        f"as of {params[0].as_of} into {reports_dir} on {where}"
    )
    with ExitStack() as stack:
        executor = None
        if args.dask_scheduler:
            try:
                executor = stack.enter_context(runner.dask_executor(args.dask_scheduler))
            except runner.RunnerError as exc:
                raise SystemExit(f"osa-briefs build: {exc}") from None
        interrupted = None
        try:
            with runner.BuildProgress(len(params), console) as progress:
                results = runner.run_all(
                    params,
                    executor=executor,
                    jobs=args.jobs,
                    progress=progress,
                    notebook=notebook,
                    reports_dir=reports_dir,
                    force=args.force,
                    render=not args.no_render,
                    pdf=not args.no_pdf,
                    cell_timeout_s=args.cell_timeout,
                    run_timeout_s=args.run_timeout,
                    index=False,
                    warm_kernels=not args.cold_kernels,
                )
        except runner.BuildInterrupted as stop:
            interrupted, results = stop, stop.results
    index_ok = True
    try:
        index_html, _ = runner.rebuild_index(reports_dir)
        if interrupted is None:
            console.print(f"index: {index_html}")
    except Exception as exc:
        index_ok = False
        console.print(f"[red]index not rebuilt[/]: {type(exc).__name__}: {exc}")
    if interrupted is not None:
        built = sum(r.status == "ok" for r in results)
        stopped = len(params) - len(results) + sum(r.status == "interrupted" for r in results)
        console.print(
            f"osa-briefs build: interrupted by {interrupted.signal_name}: {built} brief(s) "
            f"published before it, {stopped} stopped unpublished; every other published brief "
            "is as it was.",
            soft_wrap=True,
        )
        return interrupted.exit_code
    console.print(runner.summary_table(results))
    failed = [r.country_iso3 for r in results if r.status == "failed"]
    if failed:
        console.print(f"[red]{len(failed)} brief(s) failed: {', '.join(failed)}[/]")
    return 1 if failed or not index_ok else 0


def _add_build_parser(sub: argparse._SubParsersAction) -> None:
    from osa_analysis.build.runner import NOTEBOOK, REPORTS_DIR

    p_build = sub.add_parser(
        "build",
        parents=[PINNED],
        help="execute, render and publish country briefs",
        description="Execute the brief notebook per country (papermill), render HTML/PDF and "
        "publish to REPORTS_DIR/<ISO3>/ atomically; up-to-date briefs are skipped, failures "
        "are kept under REPORTS_DIR/_failed/. Exit status 1 when any brief failed.",
    )
    which = p_build.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--country",
        nargs="+",
        action="extend",
        metavar="ISO3",
        help="OSA recipient(s) to build, e.g. --country PHL FJI",
    )
    which.add_argument(
        "--all",
        action="store_true",
        help="every OSA recipient in data/recipients/countries.yaml, then the screening report",
    )
    which.add_argument(
        "--screening",
        action="store_true",
        help="only the screening report (need against misuse risk for every coastal state of "
        "a region): REPORTS_DIR/screening/",
    )
    p_build.add_argument(
        "--region", default="default", metavar="NAME", help="screening region (default)"
    )
    p_build.add_argument(
        "--equipment",
        nargs="+",
        default=["radar"],
        metavar="CATEGORY",
        help="screening equipment categories (radar); what-if: --what-if CATEGORY ...",
    )
    p_build.add_argument(
        "--what-if",
        nargs="+",
        default=["armed_patrol_vessel"],
        metavar="CATEGORY",
        help="equipment to compare with in the screening (armed_patrol_vessel, hypothetical)",
    )
    p_build.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="last date of data used (default: last incident date)"
    )
    p_build.add_argument("--lookback-years", type=int, metavar="N", help="years of history (5)")
    p_build.add_argument(
        "--jobs", type=positive_int, default=2, metavar="N", help="parallel briefs, 1 or more (2)"
    )
    p_build.add_argument("--force", action="store_true", help="rebuild up-to-date briefs too")
    p_build.add_argument("--no-pdf", action="store_true", help="skip the PDF (Chromium)")
    p_build.add_argument(
        "--cold-kernels",
        action="store_true",
        help="start every kernel afresh instead of forking it from a warm kernel server",
    )
    p_build.add_argument(
        "--no-render", action="store_true", help="publish notebook and summary only (no HTML/PDF)"
    )
    p_build.add_argument(
        "--reports-dir", default=str(REPORTS_DIR), metavar="DIR", help="reports root (reports/)"
    )
    p_build.add_argument(
        "--dask-scheduler",
        metavar="ADDRESS",
        help='run on an existing Dask cluster (pip install "osa_analysis[dask]")',
    )
    p_build.add_argument(
        "--notebook",
        default=str(NOTEBOOK),
        metavar="PATH",
        help="brief notebook (default notebooks/country_brief.py; for template development)",
    )
    p_build.add_argument(
        "--cell-timeout",
        type=positive_seconds,
        default=600,
        metavar="S",
        help="limit per cell, above 0 (600 s)",
    )
    p_build.add_argument(
        "--run-timeout",
        type=positive_seconds,
        default=1800,
        metavar="S",
        help="limit per brief, above 0 (1800 s)",
    )
    p_build.set_defaults(func=cmd_build)


PINNED = argparse.ArgumentParser(add_help=False)
PINNED.add_argument(
    "--pinned",
    action="store_true",
    help="ignore the vintage lock: read every source with its registry-pinned bytes "
    "(exact reproduction)",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``osa-briefs``."""
    parser = argparse.ArgumentParser(prog="osa-briefs", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"osa_analysis {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the traceback of an error (default: one line naming the file or parameter)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    data = sub.add_parser("data", help="obtain, inspect and validate the source files")
    data_sub = data.add_subparsers(dest="data_command", required=True)

    p_fetch = data_sub.add_parser("fetch", help="fetch sources into the cache", parents=[PINNED])
    p_fetch.add_argument("ids", nargs="*", metavar="ID", help="registry ids (default: all)")
    p_fetch.add_argument("--all", action="store_true", help="fetch every registered source")
    p_fetch.set_defaults(func=cmd_fetch)

    p_update = data_sub.add_parser(
        "update",
        help="take each source's newest release, validated before use",
        description="Download the newest release of each source with a release channel "
        "(data/sources.yaml, release:), validate it with the source's loader and release "
        "checks, and record it in the vintage lock of OSA_DATA_DIR; a refused release is "
        "quarantined and the vintage in use stays. Exit status 1 when any release failed.",
    )
    p_update.add_argument("ids", nargs="*", metavar="ID", help="registry ids (default: all)")
    p_update.add_argument("--all", action="store_true", help="every source with a channel")
    p_update.set_defaults(func=cmd_update)

    p_status = data_sub.add_parser(
        "status", help="cache status and freshness of every source", parents=[PINNED]
    )
    p_status.add_argument("--json", action="store_true", help="machine-readable output")
    p_status.add_argument(
        "--verify",
        action="store_true",
        help="re-hash every cached file (default: trust a hash stamp while the file's inode, "
        "size, mtime and ctime are unchanged)",
    )
    p_status.set_defaults(func=cmd_status)

    p_check = data_sub.add_parser(
        "check", help="run every loader and its validation", parents=[PINNED]
    )
    p_check.add_argument("ids", nargs="*", metavar="ID", help="registry ids (default: all)")
    p_check.set_defaults(func=cmd_check)

    _add_build_parser(sub)
    add_backtest_parser(sub)
    add_methods_parser(sub)
    add_messages_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``osa-briefs``.

    An error reaches the user as one line naming the file or parameter (the package's
    messages do) and the exit status says what kind it was: 2 for bad input (every
    ``ValueError``: a malformed or invalid file, a bad parameter), 1 for anything else (a
    network, disk or program error). ``--debug`` shows the traceback instead. Ctrl-C outside
    a build's brief phase (where the build handles it) ends the command with one line and
    exit status 130.
    """
    args = build_parser().parse_args(argv)
    if getattr(args, "pinned", False):
        os.environ["OSA_PINNED"] = "1"  # kernels and worker processes inherit it
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(f"osa-briefs {args.command}: interrupted (SIGINT)", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"osa-briefs {args.command}: {type(exc).__name__}: {exc}\n"
            "(osa-briefs --debug ... shows the traceback)",
            file=sys.stderr,
        )
        return 2 if isinstance(exc, ValueError) else 1


if __name__ == "__main__":
    sys.exit(main())
