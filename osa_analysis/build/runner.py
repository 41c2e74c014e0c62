"""Build country briefs: execute the brief notebook, check it, render it, publish it atomically.

This module runs the steps; each step's work is in a module of its own, whose public names
(and the helpers the tests use) are re-exported here.

One brief (:func:`run_brief`)
    1. **Skip** when ``reports/<ISO3>/run.json`` says ``ok`` with the same :func:`run_key`
       (notebook text, content parameters, input sha256s, package version and source;
       :mod:`osa_analysis.build.keys`).
    2. **Execute** the notebook (the jupytext ``.py`` converted to ``.ipynb`` once per
       process, :func:`prepare_notebook`) with papermill into a staging folder under
       ``reports/.staging/``, in a **child process** (``python -m osa_analysis.build.execute``)
       with the working directory at the project root (:mod:`osa_analysis.build.execute`).
       The kernel is fresh, or forked from the build's warm kernel server
       (:mod:`osa_analysis.build.warmkernel`); it is stopped as soon as the last cell has run,
       and parallel briefs share the CPUs' numerical threads (:func:`threads_per_job`).
       papermill's ``execution_timeout`` bounds each cell; the runner bounds the whole run
       (``run_timeout_s``) by killing the child, whose kernel then exits by itself (it watches
       the process that asked for it). A child per brief also keeps papermill's process-wide
       ``chdir`` out of the caller, so any executor (threads included) is safe.
    3. **Check completeness**: ``summary.json`` written to ``output_dir``, every non-empty
       code cell executed, no error output (papermill reports ``sys.exit(0)`` in a cell as
       success with the remaining cells unexecuted; this check catches it).
    4. **Render** ``brief.html`` (code hidden) and ``brief.pdf`` (when Chromium is installed),
       and the Japanese edition ``brief.ja.html`` and ``brief.ja.pdf`` from the same run,
       with :mod:`osa_analysis.build.render` and :mod:`osa_analysis.build.pdf`.
    5. **Publish** (:mod:`osa_analysis.build.publish`): copy the complete staging folder to
       ``reports/<ISO3>/history/<as_of>--<key12>/`` (renamed into place), then move each file
       onto ``reports/<ISO3>/`` with :func:`os.replace`, ``run.json`` last. A reader sees
       either the old or the new version of each file, never a partial one.

    On any failure ``reports/<ISO3>/`` is not touched; the executed notebook, a debug HTML with
    code shown, ``run.json`` (``status: failed`` and the error) and ``log.txt`` go to
    ``reports/_failed/<ISO3>/<UTC timestamp>/``.

Many briefs (:func:`run_all`)
    Countries run in parallel, each in processes of its own (papermill child and kernel),
    ``jobs`` notebooks at a time from threads of the calling process
    (:func:`default_executor`; one brief's rendering overlaps the next one's run), or
    on any :class:`concurrent.futures.Executor`, e.g. a process pool or a Dask cluster's
    (:func:`dask_executor`). Kernels talk to papermill over Unix sockets of their own
    (:func:`osa_analysis.build.execute._kernel_config`), so parallel kernels never race for
    TCP ports. One country's failure never stops the others. Briefs that are up to date are
    skipped in the calling process, without starting a pool.

``run.json`` fields: ``country_iso3``, ``as_of``, ``status``, ``run_key``, ``started_utc``,
``finished_utc``, ``duration_s``, ``package_version``, ``git_commit``, ``params``, ``inputs``,
``kernel`` (``"warm"`` when forked from the build's kernel server, ``"fresh"`` otherwise,
with the reason when the server could not serve it), ``error`` (``null`` or ``{ename,
evalue, cell_index, traceback_tail}``; ``cell_index`` counts the cells of the source notebook
from 0, without papermill's injected cell) and ``files``.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import logging
import shutil
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from osa_analysis.build.backtest import warm_track_record
from osa_analysis.build.execute import (
    KERNEL_NAME,
    THREAD_ENV_VARS,
    _child_env,
    _child_main,
    _execute,
    _kill_group,
    _read_notebook,
    check_complete,
    declared_parameters,
    locate_failure,
    prepare_notebook,
    select_parameters,
    skip_slow_imports,
    threads_per_job,
)
from osa_analysis.build.executors import dask_executor, default_executor, warm_kernels_supported
from osa_analysis.build.interrupt import BuildInterrupted, StopSwitch, stop_on_signals
from osa_analysis.build.keys import (
    CURATED_INPUT_DIRS,
    _up_to_date,
    file_hashes,
    input_digests,
    notebook_digest,
    package_digest,
    read_run_record,
    run_key,
    version_folder,
    version_name,
    vintages_in_use,
)
from osa_analysis.build.lock import build_lock, kernel_socket_dir
from osa_analysis.build.params import BriefParams
from osa_analysis.build.progress import BuildProgress, format_result_line, summary_table
from osa_analysis.build.publish import _keep_failure, _publish, rebuild_index
from osa_analysis.build.records import (
    BRIEF_FILES,
    DEBUG_HTML,
    FAILED_DIR,
    HISTORY_DIR,
    LOG_FILE,
    NOTEBOOK,
    REPORTS_DIR,
    RUN_FILE,
    STAGING_DIR,
    SUMMARY_FILE,
    TRACEBACK_TAIL_LINES,
    RunnerError,
    RunResult,
    _error,
    _iso,
    _utc_now,
)
from osa_analysis.core import config
from osa_analysis.core.config import PROJECT_ROOT
from osa_analysis.core.files import write_json
from osa_analysis.core.i18n import LANGUAGES, REFERENCE
from osa_analysis.core.provenance import __version__, git_commit

__all__ = [
    "BRIEF_FILES",
    "CURATED_INPUT_DIRS",
    "DEBUG_HTML",
    "FAILED_DIR",
    "HISTORY_DIR",
    "KERNEL_NAME",
    "LOG_FILE",
    "NOTEBOOK",
    "REPORTS_DIR",
    "RUN_FILE",
    "STAGING_DIR",
    "SUMMARY_FILE",
    "THREAD_ENV_VARS",
    "TRACEBACK_TAIL_LINES",
    "BuildProgress",
    "RunResult",
    "RunnerError",
    "check_complete",
    "dask_executor",
    "declared_parameters",
    "default_executor",
    "format_result_line",
    "input_digests",
    "locate_failure",
    "notebook_digest",
    "package_digest",
    "prepare_notebook",
    "read_run_record",
    "rebuild_index",
    "run_all",
    "run_brief",
    "run_key",
    "select_parameters",
    "skip_slow_imports",
    "summary_table",
    "threads_per_job",
    "warm_kernels_supported",
]

log = logging.getLogger(__name__)


def _result(
    params: BriefParams, status: str, key: str | None, start: float, **fields: Any
) -> RunResult:
    """Return a :class:`RunResult` of ``params`` timed from ``start`` (``path``, ``files``)."""
    duration = round(time.perf_counter() - start, 3)
    return RunResult(params.country_iso3, status, params.as_of.isoformat(), key, duration, **fields)


def _skipped(params: BriefParams, key: str, country_dir: Path, record: dict, start: float):
    path = version_folder(country_dir, record)
    return _result(params, "skipped", key, start, path=path, files=dict(record.get("files") or {}))


def _interrupted(params: BriefParams, key: str | None, start: float) -> RunResult:
    return _result(params, "interrupted", key, start)


# ---------------------------------------------------------------------------------------------
# One brief


def run_brief(
    params: BriefParams,
    *,
    notebook: Path = NOTEBOOK,
    reports_dir: Path = REPORTS_DIR,
    force: bool = False,
    render: bool = True,
    pdf: bool = True,
    cell_timeout_s: float = 600,
    run_timeout_s: float = 1800,
    extra_parameters: Mapping[str, Any] | None = None,
    key: str | None = None,
    threads: int | None = None,
    slot: threading.Semaphore | None = None,
    kernel_server: str | None = None,
    stop: StopSwitch | None = None,
) -> RunResult:
    """Build one country brief (see the module docstring for the steps).

    Parameters
    ----------
    params : BriefParams
        The brief's parameters; ``output_dir`` is replaced by the staging folder.
    notebook : Path
        The brief notebook, jupytext ``.py`` (default) or ``.ipynb``.
    reports_dir : Path
        The reports root (default ``reports/`` of the project).
    force : bool
        Run even when the published brief is up to date.
    render : bool
        Render ``brief.html`` (and ``brief.pdf``); ``False`` publishes the notebook and
        ``summary.json`` only (for template tests).
    pdf : bool
        Also print ``brief.pdf`` when Chromium is installed.
    cell_timeout_s : float
        Limit per cell (papermill ``execution_timeout``).
    run_timeout_s : float
        Wall-clock limit of the whole notebook execution (the child process is killed).
    extra_parameters : Mapping, optional
        Further parameters the notebook declares (not BriefParams fields); in the run key.
    key : str, optional
        The run key when already computed (:func:`run_all` passes the key it checked, so a
        build uses one key throughout); default :func:`run_key`.
    threads : int, optional
        CPU threads the notebook's numerical libraries may use (:func:`_child_env`); default
        no limit. :func:`run_all` sets it for its default executor (:func:`threads_per_job`).
    slot : threading.Semaphore, optional
        Held while the notebook executes (waiting for it is not counted in ``duration_s``);
        :func:`run_all`'s default executor runs more threads than ``jobs`` and lets ``jobs``
        notebooks execute at once, so one brief's rendering overlaps the next one's run.
    kernel_server : str, optional
        Address of the build's :class:`osa_analysis.build.warmkernel.KernelServer`: the kernel is
        forked from it (already holding the brief's imports) instead of started afresh.
    stop : StopSwitch, optional
        The build's stop switch (:mod:`osa_analysis.build.interrupt`): once pulled, the brief
        does not start, its notebook child is ended, and it is neither rendered nor
        published (``interrupted``).

    Returns
    -------
    RunResult
        ``skipped``, ``ok``, ``failed`` or ``interrupted``. Notebook failures, timeouts,
        incomplete runs and rendering errors are returned as ``failed``, never raised.
    """
    start = time.perf_counter()
    started = _utc_now()
    notebook = Path(notebook).resolve()
    reports_dir = Path(reports_dir).resolve()
    iso3 = params.country_iso3
    country_dir = reports_dir / iso3
    key = key or run_key(params, notebook, extra_parameters=extra_parameters)
    if not force and (published := _up_to_date(country_dir, key, render=render)):
        return _skipped(params, key, country_dir, published, start)

    work, run_params = _stage(params, reports_dir, started)
    staging = work / "brief"
    record = _new_record(params, key, started, extra_parameters)
    sockets = None
    holding = contextlib.ExitStack()  # the execution slot, given back once the kernel is done
    if slot is not None:
        slot.acquire()
        holding.callback(slot.release)
        start, started = time.perf_counter(), _utc_now()  # the brief's time, not its wait
        record["started_utc"] = _iso(started)
    if stop is not None and stop.stopped:  # stopped while waiting for the slot
        holding.close()
        shutil.rmtree(work, ignore_errors=True)
        return _interrupted(params, key, start)
    try:
        # The kernel's IPC sockets: a short path of this brief's own (Unix sockets allow
        # about 100 characters), removed at the end.
        sockets = kernel_socket_dir()
        request = _request(
            notebook,
            work,
            params,
            run_params,
            extra_parameters=extra_parameters,
            cell_timeout_s=cell_timeout_s,
            socket_dir=sockets,
            kernel_server=kernel_server,
        )
        outcome = _execute(request, work, _child_env(run_params, threads), run_timeout_s, stop)
        holding.close()  # checking, rendering and publishing overlap the next brief's run
        record["kernel"] = outcome.get("kernel")
        # stopped while the notebook ran: not checked or rendered (the work goes below)
        error = (
            None
            if stop is not None and stop.stopped
            else _check(outcome.get("error"), staging, render=render, pdf=pdf)
        )
    except Exception as exc:  # a runner bug or an I/O error: still keep what there is
        error = _error(type(exc).__name__, str(exc), None, traceback.format_exc())
    finally:
        holding.close()
    try:
        if stop is not None and stop.stopped:  # stopped while it ran or rendered: unpublished
            shutil.rmtree(work, ignore_errors=True)
            return _interrupted(params, key, start)
        return _finish(params, key, record, work, error, reports_dir, start, started, render=render)
    finally:
        if sockets:
            shutil.rmtree(sockets, ignore_errors=True)


def _stage(
    params: BriefParams, reports_dir: Path, started: dt.datetime
) -> tuple[Path, BriefParams]:
    """Create a brief's work folder under ``reports/.staging/``; return it and the run's parameters.

    The notebook writes into the folder's ``brief/`` (``output_dir``) and compares with the
    published ``summary.json``, if any (``previous_summary``, for "what changed").
    """
    iso3 = params.country_iso3
    work = reports_dir / STAGING_DIR / f"{iso3}-{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    staging = work / "brief"
    staging.mkdir(parents=True)
    previous = reports_dir / iso3 / SUMMARY_FILE  # the last good brief, for "what changed"
    run_params = params.replace(
        output_dir=staging, previous_summary=previous if previous.is_file() else None
    )
    return work, run_params


def _new_record(
    params: BriefParams,
    key: str,
    started: dt.datetime,
    extra_parameters: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Return a brief's ``run.json`` as its build starts (``failed`` until it is published)."""
    return {
        "country_iso3": params.country_iso3,
        "as_of": params.as_of.isoformat(),
        "status": "failed",
        "run_key": key,
        "started_utc": _iso(started),
        "finished_utc": None,
        "duration_s": None,
        "package_version": __version__,
        "git_commit": git_commit(),
        "params": params.content_parameters() | dict(extra_parameters or {}),
        "inputs": input_digests(),
        "vintages": vintages_in_use(),
        "pinned": config.pinned(),
        "kernel": None,
        "error": None,
        "files": {},
        "sha256": None,  # of each published file, set when it is published
    }


def _request(
    notebook: Path,
    work: Path,
    params: BriefParams,
    run_params: BriefParams,
    *,
    extra_parameters: Mapping[str, Any] | None,
    cell_timeout_s: float,
    socket_dir: str,
    kernel_server: str | None,
) -> dict[str, Any]:
    """Prepare the notebook in ``work``; return the papermill child's request.

    The parameters are ``run_params`` (the staging folder as ``output_dir``) and
    ``extra_parameters``, checked against those the notebook declares
    (:func:`select_parameters`).
    """
    staging = work / "brief"
    source = work / "source.ipynb"
    declared = prepare_notebook(notebook, source)
    parameters = select_parameters(
        declared,
        run_params.to_notebook_parameters(),
        BriefParams(
            params.country_iso3, as_of=params.as_of, output_dir=staging
        ).to_notebook_parameters(),
        extra_parameters,
    )
    return {
        "notebook": str(source),
        "output": str(staging / BRIEF_FILES["ipynb"]),
        "parameters": parameters,
        "cell_timeout_s": cell_timeout_s,
        "socket_dir": socket_dir,
        "kernel_server": kernel_server,
        "cwd": str(PROJECT_ROOT),
        "result": str(work / "result.json"),
    }


def _check(error: dict | None, staging: Path, *, render: bool, pdf: bool) -> dict | None:
    """Return the error of an executed brief: the child's, an incomplete run's or rendering's.

    A failure without a cell index gets the index of the failing cell of the executed
    notebook (:func:`locate_failure`); a complete brief is rendered when ``render``.
    """
    executed = staging / BRIEF_FILES["ipynb"]
    nb = _read_notebook(executed)
    if error is None and nb is None:
        error = _error("IncompleteBriefError", "papermill wrote no executed notebook")
    if error is None:
        error = check_complete(nb, staging)
    elif nb is not None and error.get("cell_index") is None:
        error["cell_index"] = locate_failure(nb)
    if error is None and render:
        error = _render(executed, staging, pdf=pdf)
    return error


def _render(executed: Path, staging: Path, *, pdf: bool) -> dict | None:
    """Render HTML (and PDF) into ``staging``; return an error record on failure."""
    try:
        from osa_analysis.build import render as rendering

        for lang in LANGUAGES:  # one page per edition, from the same executed notebook
            suffix = "" if lang == REFERENCE else f"_{lang}"
            html = rendering.render_html(
                executed,
                staging / BRIEF_FILES[f"html{suffix}"],
                hide_code=True,
                header_keys=rendering.BRIEF_HEADER_KEYS,
                lang=lang,
                editions=True,
            )
            if pdf:
                from osa_analysis.build import pdf as printing

                printing.render_pdf(html, staging / BRIEF_FILES[f"pdf{suffix}"])
    except Exception as exc:
        return _error(type(exc).__name__, f"rendering failed: {exc}", None, traceback.format_exc())
    return None


def _finish(
    params: BriefParams,
    key: str,
    record: dict[str, Any],
    work: Path,
    error: dict | None,
    reports_dir: Path,
    start: float,
    started: dt.datetime,
    *,
    render: bool,
) -> RunResult:
    """Publish a complete brief or keep a failed one (:mod:`~osa_analysis.build.publish`).

    ``record`` is completed and written as the ``run.json``; the work folder is removed.
    """
    iso3 = params.country_iso3
    country_dir = reports_dir / iso3
    staging = work / "brief"
    files = {kind: name for kind, name in BRIEF_FILES.items() if (staging / name).is_file()}
    finished = _utc_now()
    record.update(
        finished_utc=_iso(finished),
        duration_s=round(time.perf_counter() - start, 3),
        error=error,
        status="failed" if error else "ok",
    )
    try:
        if error is None:
            try:
                where = _publish_record(params, key, record, staging, country_dir, files)
                return RunResult(
                    iso3, "ok", record["as_of"], key, record["duration_s"], where, None, files
                )
            except OSError as exc:  # a full disk, a permission: the published brief stays
                error = _error(
                    type(exc).__name__,
                    f"publishing failed: {exc}",
                    None,
                    traceback.format_exc(),
                )
                record.update(status="failed", error=error, sha256=None)
        failed_dir = _keep_failure(work, staging, record, reports_dir, started, render=render)
        return RunResult(
            iso3, "failed", record["as_of"], key, record["duration_s"], failed_dir, error, {}
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _publish_record(
    params: BriefParams,
    key: str,
    record: dict[str, Any],
    staging: Path,
    country_dir: Path,
    files: dict[str, str],
) -> Path:
    """Write the ``run.json`` and publish the brief; return where it went.

    A brief dated before the published one goes to history only: it never replaces a newer
    brief.
    """
    record["files"] = files
    record["sha256"] = file_hashes(staging, list(files.values()))
    write_json(staging / RUN_FILE, record)
    history_name = version_name(params.as_of.isoformat(), key)
    published = read_run_record(country_dir) or {}
    newer = published.get("status") == "ok" and str(published.get("as_of")) > str(record["as_of"])
    _publish(staging, country_dir, history_name, as_latest=not newer)
    return country_dir / HISTORY_DIR / history_name if newer else country_dir


# ---------------------------------------------------------------------------------------------
# Many briefs


def _run_brief_safely(params: BriefParams, kwargs: dict, key: str | None) -> RunResult:
    """:func:`run_brief` that turns any exception into a ``failed`` result (runs in workers)."""
    start = time.perf_counter()
    try:
        return run_brief(params, **kwargs, key=key)
    except Exception as exc:
        return RunResult(
            params.country_iso3,
            "failed",
            params.as_of.isoformat(),
            None,
            round(time.perf_counter() - start, 3),
            None,
            _error(type(exc).__name__, str(exc), None, traceback.format_exc()),
        )


def run_all(
    params_list: Iterable[BriefParams],
    *,
    executor: cf.Executor | None = None,
    jobs: int = 2,
    progress: Callable[[RunResult], None] | None = None,
    notebook: Path = NOTEBOOK,
    reports_dir: Path = REPORTS_DIR,
    force: bool = False,
    render: bool = True,
    pdf: bool = True,
    cell_timeout_s: float = 600,
    run_timeout_s: float = 1800,
    extra_parameters: Mapping[str, Any] | None = None,
    index: bool = True,
    warm_kernels: bool = True,
) -> list[RunResult]:
    """Build many briefs in parallel; a failing country never stops the others.

    Parameters
    ----------
    params_list : iterable of BriefParams
        One per brief (one per country).
    executor : concurrent.futures.Executor, optional
        Any executor (thread or process pool, Dask's ``Client.get_executor()``); it is not
        shut down. Default: :func:`default_executor` (``jobs`` threads), created only when
        some brief is not up to date, and shut down at the end.
    jobs : int
        Briefs at once with the default executor (2 fits a 2-core machine); each brief's
        numerical thread pools then get an equal share of the CPUs (:func:`threads_per_job`).
    progress : callable, optional
        Called with each :class:`RunResult` as it completes (in the calling process).
    notebook, reports_dir, force, render, pdf, cell_timeout_s, run_timeout_s, extra_parameters
        As for :func:`run_brief`.
    index : bool
        Rebuild ``reports/index.html`` and ``index.json`` once at the end
        (:func:`rebuild_index`); an index error is logged, not raised.
    warm_kernels : bool
        With the default executor on Linux, fork the kernels from one
        :class:`osa_analysis.build.warmkernel.KernelServer` that has imported the brief's libraries
        once (about 1.2 s less per brief); ``False`` starts every kernel afresh.

    Returns
    -------
    list of RunResult
        In the order of ``params_list``.

    Raises
    ------
    BuildInterrupted
        After the first SIGINT or SIGTERM while briefs run (in the main thread): no brief
        starts after it, running notebooks are ended, nothing unfinished is published; the
        index is rebuilt first (when ``index``) and the exception holds the results.
    """
    if jobs < 1:
        raise ValueError(f"jobs={jobs}: give 1 or more")
    if not (cell_timeout_s > 0 and run_timeout_s > 0):
        raise ValueError(
            f"cell_timeout_s={cell_timeout_s}, run_timeout_s={run_timeout_s}: limits are "
            "seconds above 0"
        )
    params_list = list(params_list)
    kwargs = {
        "notebook": Path(notebook).resolve(),
        "reports_dir": Path(reports_dir).resolve(),
        "force": force,
        "render": render,
        "pdf": pdf,
        "cell_timeout_s": cell_timeout_s,
        "run_timeout_s": run_timeout_s,
        "extra_parameters": dict(extra_parameters or {}),
    }
    with build_lock(kwargs["reports_dir"]):
        return _run_locked(
            params_list, kwargs, executor, jobs, progress, extra_parameters, index, warm_kernels
        )


def _run_locked(
    params_list: list[BriefParams],
    kwargs: dict[str, Any],
    executor: cf.Executor | None,
    jobs: int,
    progress: Callable[[RunResult], None] | None,
    extra_parameters: Mapping[str, Any] | None,
    index: bool,
    warm_kernels: bool,
) -> list[RunResult]:
    """:func:`run_all` once it holds the reports folder's build lock."""
    notebook = kwargs["notebook"]
    results, keys, todo = _check_up_to_date(params_list, kwargs, extra_parameters, progress)
    if todo and Path(notebook).resolve() == NOTEBOOK.resolve():
        # the briefs' track record: computed once here over the build's processes, not in
        # the warm kernel server or every kernel (they read it from the derived-data cache)
        warm_track_record(params_list[todo[0]].as_of, jobs=jobs, executor=executor)
    switch = StopSwitch(_kill_group)
    if todo:
        own = executor is None
        pool = default_executor(len(todo)) if own else executor
        server = contextlib.ExitStack()
        if own:  # ``jobs`` notebooks at once, sharing this machine's CPUs
            kwargs["threads"] = threads_per_job(jobs)
            kwargs["slot"] = threading.Semaphore(max(1, jobs))
            kwargs["stop"] = switch  # threads of this process: the switch is shared
            if warm_kernels and warm_kernels_supported():
                address = _start_kernel_server(server, params_list[todo[0]], kwargs["threads"])
                if address is not None:
                    kwargs["kernel_server"] = address
        try:
            with stop_on_signals(switch):
                _run_todo(pool, params_list, kwargs, keys, todo, results, progress, switch)
        finally:
            if own:
                pool.shutdown(wait=True, cancel_futures=True)
            server.close()
    if index:
        try:
            rebuild_index(kwargs["reports_dir"])
        except Exception as exc:
            log.error("could not rebuild the reports index: %s: %s", type(exc).__name__, exc)
    done = [r for r in results if r is not None]
    if switch.signum is not None:
        raise BuildInterrupted(switch.signum, done)
    return done


def _check_up_to_date(
    params_list: list[BriefParams],
    kwargs: dict[str, Any],
    extra_parameters: Mapping[str, Any] | None,
    progress: Callable[[RunResult], None] | None,
) -> tuple[list[RunResult | None], list[str | None], list[int]]:
    """Compute the run keys and skip the up-to-date briefs (reported to ``progress``).

    Returns the results so far (``skipped`` ones, else ``None``), the run keys (``None``
    when one could not be computed: its worker then reports the problem as a failure) and
    the indices of the briefs to build.
    """
    results: list[RunResult | None] = [None] * len(params_list)
    keys: list[str | None] = [None] * len(params_list)
    todo: list[int] = []
    inputs = input_digests()
    for i, params in enumerate(params_list):
        start = time.perf_counter()
        try:
            key = keys[i] = run_key(
                params, kwargs["notebook"], inputs=inputs, extra_parameters=extra_parameters
            )
        except Exception:
            todo.append(i)  # let the worker report the problem as a failed result
            continue
        country_dir = kwargs["reports_dir"] / params.country_iso3
        record = None if kwargs["force"] else _up_to_date(country_dir, key, render=kwargs["render"])
        if record:
            results[i] = _skipped(params, key, country_dir, record, start)
            if progress:
                progress(results[i])
        else:
            todo.append(i)
    return results, keys, todo


def _start_kernel_server(
    stack: contextlib.ExitStack, first: BriefParams, threads: int
) -> str | None:
    """Start the build's warm kernel server on ``stack``; return its address.

    ``None`` (logged) when it cannot start: the build then runs fresh kernels.
    """
    from osa_analysis.build.warmkernel import KernelServer

    env = _child_env(first, threads)
    try:
        return stack.enter_context(
            KernelServer(env, PROJECT_ROOT, warm=first.content_parameters())
        ).address
    except Exception as exc:  # an optimisation only: build with fresh kernels
        log.warning("no warm kernel server (%s: %s)", type(exc).__name__, exc)
        return None


def _run_todo(
    pool: cf.Executor,
    params_list: list[BriefParams],
    kwargs: dict[str, Any],
    keys: list[str | None],
    todo: list[int],
    results: list[RunResult | None],
    progress: Callable[[RunResult], None] | None,
    switch: StopSwitch,
) -> None:
    """Submit the briefs ``todo`` to ``pool``; store each result (and report it) as it comes.

    Once ``switch`` is pulled, the briefs a caller's executor has not started are cancelled
    (the default executor's briefs see the switch themselves).
    """
    futures = {pool.submit(_run_brief_safely, params_list[i], kwargs, keys[i]): i for i in todo}
    pending, cancelled = set(futures), False
    while pending:
        done, pending = cf.wait(pending, timeout=0.25, return_when=cf.FIRST_COMPLETED)
        if switch.stopped and not cancelled:
            cancelled = True
            for other in pending:
                other.cancel()
        for future in sorted(done, key=futures.__getitem__):
            i = futures[future]
            results[i] = result = _collect(future, params_list[i], keys[i])
            if progress:
                progress(result)


def _collect(future: cf.Future, params: BriefParams, key: str | None) -> RunResult:
    """Return a finished future's result; a cancelled one is ``interrupted``."""
    try:
        return future.result()
    except cf.CancelledError:
        return _interrupted(params, key, time.perf_counter())
    except Exception as exc:  # the worker itself died (e.g. BrokenProcessPool)
        return RunResult(
            params.country_iso3,
            "failed",
            params.as_of.isoformat(),
            None,
            0.0,
            None,
            _error(type(exc).__name__, str(exc), None, traceback.format_exc()),
        )


if __name__ == "__main__":  # the child's former entry point: python -m osa_analysis.build.execute
    sys.exit(_child_main(sys.argv[1:]))
