"""``osa-briefs backtest``: score the briefs' judgements on history; publish the report.

::

    osa-briefs backtest [--start 2000] [--end 2023] [--countries all|ISO3 ...]
                        [--jobs N] [--dask-scheduler ADDRESS] [--reports-dir DIR]

Writes ``REPORTS_DIR/backtest/`` (``scores.json``, ``reliability_12m.svg``,
``reliability_36m.svg``, ``index.html``) into a staging folder first and swaps it in whole,
so a failed run leaves the published report as it was. The origins' base-rate forecasts are
mapped over ``--jobs`` processes or the workers of a Dask cluster; the result does not
depend on either (the forecast table is also kept in the derived-data cache, where the
briefs read it).
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import shutil
import sys
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import markupsafe

from osa_analysis.build.argtypes import positive_int
from osa_analysis.build.lock import build_lock
from osa_analysis.build.pages import STYLE_FILE, page_environment
from osa_analysis.build.publish import _make_readable, _replace_entry
from osa_analysis.core.files import atomic_write_text, json_text
from osa_analysis.core.schemas import schema_problems

if TYPE_CHECKING:
    from osa_analysis.analyse.tables import TableStore

log = logging.getLogger(__name__)

BACKTEST_DIR = "backtest"
"""Folder of the report under the reports root."""
PAGE_TEMPLATE = "backtest.html.j2"
SCORES_FILE = "scores.json"


@contextmanager
def mapper(jobs: int, dask_scheduler: str | None = None) -> Iterator[Any]:
    """Yield a ``map`` for the origins: this process, a process pool or a Dask cluster."""
    if dask_scheduler:
        from osa_analysis.build.runner import dask_executor

        with dask_executor(dask_scheduler) as executor:
            yield executor.map
    elif jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            yield pool.map
    else:
        yield map


def warm_track_record(as_of: Any, *, jobs: int = 2, executor: Any = None) -> bool:
    """Fill the derived-data cache with the backtest table the briefs of a build read.

    Run by the build before its kernels start, over ``jobs`` processes (or the build's
    executor), so no brief kernel (nor the warm kernel server) computes it alone. Never
    fatal: without every input file in the cache or the mirror it does nothing, and any
    failure is logged (the briefs then compute what they need).

    Returns
    -------
    bool
        Whether the table is in the cache.
    """
    from osa_analysis.analyse.backtest import BACKTEST_SOURCES, cached_backtest_forecasts
    from osa_analysis.analyse.tables import TableStore
    from osa_analysis.core import config
    from osa_analysis.sources.fetch import cached_path

    mirror = config.mirror_dir()
    if not all(cached_path(sid).exists() for sid in BACKTEST_SOURCES) and mirror is None:
        return False
    try:
        store = TableStore(as_of)
        if executor is not None:
            cached_backtest_forecasts(store, mapper=executor.map)
        else:
            with mapper(jobs) as mapping:
                cached_backtest_forecasts(store, mapper=mapping)
    except Exception as exc:  # an optimisation only
        log.warning("track record not prepared (%s: %s)", type(exc).__name__, exc)
        return False
    return True


def svg_text(fig) -> str:
    """Render a figure to SVG text (fixed hash salt: the same figure gives the same text)."""
    import matplotlib.pyplot as plt

    from osa_analysis.brief.style import RC

    buf = io.StringIO()
    with plt.rc_context({**RC, "svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def render_page(scores: dict, figures: dict[int, str]) -> str:
    """Render the report page (autoescaped Jinja; the SVGs are the package's own output)."""
    return (
        page_environment()
        .get_template(PAGE_TEMPLATE)
        .render(
            scores=scores,
            figures={k: markupsafe.Markup(v) for k, v in figures.items()},
            css=markupsafe.Markup(STYLE_FILE.read_text(encoding="utf-8")),
        )
    )


def run_backtest(
    *,
    start: int | None = None,
    end: int | None = None,
    countries: Sequence[str] | None = None,
    jobs: int = 2,
    dask_scheduler: str | None = None,
    reports_dir: Path | None = None,
    as_of: str | None = None,
    store: TableStore | None = None,
) -> Path:
    """Compute the forecast table and its scores, and publish ``REPORTS_DIR/backtest/``.

    ``store`` replaces the real tables (tests); ``as_of`` (default today) is the vintage of
    the outcomes. Nothing is published unless every file was written and ``scores.json``
    meets its schema. The reports folder's build lock is held throughout
    (:func:`~osa_analysis.build.lock.build_lock`: a build writing there stops it at once).

    Returns
    -------
    Path
        The published folder.
    """
    from osa_analysis.analyse.backtest import (
        backtest_scores,
        cached_backtest_forecasts,
        load_backtest_config,
    )
    from osa_analysis.analyse.tables import TableStore
    from osa_analysis.brief.track_record import reliability_figure
    from osa_analysis.build.runner import REPORTS_DIR
    from osa_analysis.core.dates import as_timestamp

    root = Path(reports_dir or REPORTS_DIR)
    with build_lock(root):  # one writer of the reports folder at a time
        cfg = load_backtest_config()
        start = int(cfg["origins"]["start"] if start is None else start)
        end = int(cfg["origins"]["end"] if end is None else end)
        if store is None:
            store = TableStore(as_timestamp(as_of) if as_of else _today())
        with ExitStack() as stack:
            mapping = stack.enter_context(mapper(jobs, dask_scheduler))
            forecasts = cached_backtest_forecasts(store, mapper=mapping)
        scores = backtest_scores(
            forecasts,
            cfg,
            start=start,
            end=end,
            countries=countries,
            as_of=store.as_of.strftime("%Y-%m-%d"),
        )
        problems = schema_problems(scores, "backtest_scores")
        if problems:
            raise ValueError("scores.json breaks its schema: " + "; ".join(problems[:5]))
        figures = {
            months: svg_text(reliability_figure(scores, int(months)))
            for months in cfg["horizons_months"]
        }
        dest = root / BACKTEST_DIR
        staging = root / f".{BACKTEST_DIR}.tmp-{uuid.uuid4().hex[:8]}"
        staging.mkdir(parents=True)
        try:
            atomic_write_text(staging / SCORES_FILE, json_text(scores))
            for months, svg in figures.items():
                atomic_write_text(staging / f"reliability_{months}m.svg", svg)
            atomic_write_text(staging / "index.html", render_page(scores, figures))
            _make_readable(staging)
            _replace_entry(staging, dest)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return dest


def _today():
    import pandas as pd

    return pd.Timestamp.today().normalize()


def cmd_backtest(args: argparse.Namespace) -> int:
    """Run the backtest; print each kind's 12-month scores; exit 0."""
    from rich.console import Console

    console = Console(highlight=False)
    countries = None if args.countries in (None, ["all"]) else [c.upper() for c in args.countries]
    where = f"Dask cluster {args.dask_scheduler}" if args.dask_scheduler else f"{args.jobs} job(s)"
    console.print(
        f"Backtest of origins {args.start or 'default'}–{args.end or 'default'} on {where}"
    )
    from rich.table import Table

    from osa_analysis.build.catalog import build_index
    from osa_analysis.build.lock import BuildLocked
    from osa_analysis.build.runner import REPORTS_DIR

    root = Path(args.reports_dir) if args.reports_dir else REPORTS_DIR
    try:
        with build_lock(root):
            dest = run_backtest(
                start=args.start,
                end=args.end,
                countries=countries,
                jobs=args.jobs,
                dask_scheduler=args.dask_scheduler,
                reports_dir=root,
                as_of=args.as_of,
            )
            index_html, _ = build_index(dest.parent)
    except BuildLocked as exc:
        print(f"osa-briefs backtest: {exc}", file=sys.stderr)
        return 2
    scores = json.loads((dest / SCORES_FILE).read_text(encoding="utf-8"))
    table = Table(title=f"Track record {scores['method_version']} (the briefs' model)")
    for col in ("kind", "horizon", "n", "events", "BSS", "AUC", "slope", "better", "at lead"):
        table.add_column(col, justify="left" if col in ("kind", "better", "at lead") else "right")
    for kind in scores["kinds"]:
        for h in kind["horizons"]:
            lead = h["at_lead"]
            at = lead["models"][kind["selected_model"]]
            table.add_row(
                kind["id"],
                f"{h['horizon_months']} m",
                f"{h['n']:,}",
                str(h["events"]),
                _fmt(h["bss_climatology"]),
                _fmt(h["auc"], 3),
                _fmt(h["calibration_slope"], 3),
                h["better_model"],
                f"{lead['lead_years']} y: BSS {_fmt(at['bss_climatology'])}, AUC "
                f"{_fmt(at['auc'], 3)}, better {lead['better_model']}",
            )
    console.print(table)
    console.print(f"report: {dest / 'index.html'}")
    console.print(f"index: {index_html}")
    return 0


def _fmt(value: float | None, digits: int = 4) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def add_backtest_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``osa-briefs backtest`` to the command line."""
    p = sub.add_parser(
        "backtest",
        help="score the briefs' probabilistic judgements on history",
        description="Recompute every judgement kind at each origin year from the data known "
        "then, resolve it on the next 12 and 36 months and publish the scores to "
        "REPORTS_DIR/backtest/ (data/risk/backtest.yaml).",
    )
    p.add_argument("--start", type=int, metavar="YEAR", help="first origin scored (2000)")
    p.add_argument("--end", type=int, metavar="YEAR", help="last origin (2023)")
    p.add_argument(
        "--countries",
        nargs="+",
        metavar="ISO3",
        help="states scored: all (default) or ISO3 codes; the models always use every state",
    )
    p.add_argument(
        "--jobs", type=positive_int, default=2, metavar="N", help="processes, 1 or more (2)"
    )
    p.add_argument(
        "--dask-scheduler",
        metavar="ADDRESS",
        help='map the origins on an existing Dask cluster (pip install "osa_analysis[dask]")',
    )
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="vintage of the outcomes (today)")
    p.add_argument("--reports-dir", metavar="DIR", help="reports root (reports/)")
    p.set_defaults(func=cmd_backtest)
