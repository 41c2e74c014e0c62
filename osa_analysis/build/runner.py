"""Build country briefs: execute the brief notebook, check it, render it, publish it atomically.

One brief (:func:`run_brief`)
    1. **Skip** when ``reports/<ISO3>/run.json`` says ``ok`` with the same :func:`run_key`
       (notebook text, content parameters, input sha256s, package version and source).
    2. **Execute** the notebook (the jupytext ``.py`` converted to ``.ipynb`` once per
       process, :func:`prepare_notebook`) with papermill into a staging folder under
       ``reports/.staging/``, in a **child process** (``python -m osa_analysis.build.runner``) with
       the working directory at the project root. The kernel is fresh, or forked from the
       build's warm kernel server (:mod:`osa_analysis.build.warmkernel`); it is stopped as soon as
       the last cell has run, and parallel briefs share the CPUs' numerical threads
       (:func:`threads_per_job`). papermill's ``execution_timeout`` bounds each cell; the
       runner bounds the whole run (``run_timeout_s``) by killing the child, whose kernel
       then exits by itself (it watches the process that asked for it). A child per brief
       also keeps papermill's process-wide ``chdir`` out of the caller, so any executor
       (threads included) is safe.
    3. **Check completeness**: ``summary.json`` written to ``output_dir``, every non-empty
       code cell executed, no error output (papermill reports ``sys.exit(0)`` in a cell as
       success with the remaining cells unexecuted; this check catches it).
    4. **Render** ``brief.html`` (code hidden) and ``brief.pdf`` (when Chromium is installed)
       with :mod:`osa_analysis.build.render`.
    5. **Publish**: copy the complete staging folder to
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
    (:func:`_kernel_config`), so parallel kernels never race for TCP ports. One country's
    failure never stops the others. Briefs that are up to date are skipped in the calling
    process, without starting a pool.

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
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from osa_analysis.build.params import BriefParams
from osa_analysis.core.config import CURATED_DIR, PACKAGE_DIR, PROJECT_ROOT, SOURCES_FILE
from osa_analysis.core.files import read_json_object, write_json
from osa_analysis.core.provenance import __version__, git_commit

log = logging.getLogger(__name__)

NOTEBOOK = PROJECT_ROOT / "notebooks" / "country_brief.py"
"""The brief notebook (jupytext percent source)."""

REPORTS_DIR = PROJECT_ROOT / "reports"
"""Where briefs are published."""

KERNEL_NAME = "python3"
STAGING_DIR = ".staging"
FAILED_DIR = "_failed"
HISTORY_DIR = "history"
RUN_FILE = "run.json"
LOG_FILE = "log.txt"
SUMMARY_FILE = "summary.json"
BRIEF_FILES = {
    "ipynb": "brief.ipynb",
    "html": "brief.html",
    "pdf": "brief.pdf",
    "summary": SUMMARY_FILE,
    "judgements": "judgements.json",
}
"""Published files by kind (relative names inside ``reports/<ISO3>/``)."""
DEBUG_HTML = "brief_debug.html"

CURATED_INPUT_DIRS = ("recipients", "countries")
"""Project-owned data folders under ``data/`` that briefs read (hashed into the run key)."""

TRACEBACK_TAIL_LINES = 20
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_PAPERMILL_ERROR_TAG = "papermill-error-cell-tag"
_KILL_GRACE_S = 5


class RunnerError(RuntimeError):
    """A brief build could not be set up (not a failure of the notebook itself)."""


@dataclass(frozen=True)
class RunResult:
    """Outcome of one brief build.

    Attributes
    ----------
    country_iso3, as_of : str
    status : {"ok", "failed", "skipped"}
    run_key : str or None
        The run key (hex sha256), ``None`` when it could not be computed.
    duration_s : float
        Wall-clock time of this call.
    path : Path or None
        ``reports/<ISO3>`` for ``ok``/``skipped``, the ``_failed/...`` folder for ``failed``.
    error : dict or None
        ``{ename, evalue, cell_index, traceback_tail}`` for ``failed``.
    files : dict
        Published files by kind (``html``, ``pdf``, ``ipynb``, ``summary``), relative names.
    """

    country_iso3: str
    status: str
    as_of: str
    run_key: str | None
    duration_s: float
    path: Path | None = None
    error: dict | None = None
    files: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """``True`` for ``ok`` and ``skipped`` (an up-to-date brief is published)."""
        return self.status in ("ok", "skipped")

    def describe(self) -> str:
        """Return the output path, or ``ename: evalue (cell N)`` for a failure."""
        if self.status == "failed" and self.error:
            cell = self.error.get("cell_index")
            where = f" (cell {cell})" if cell is not None else ""
            return f"{self.error.get('ename')}: {self.error.get('evalue')}{where}"
        return str(self.path) if self.path else ""


# ---------------------------------------------------------------------------------------------
# Run key


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def notebook_digest(notebook: Path) -> str:
    """Return the sha256 of a notebook's source without outputs.

    A jupytext ``.py`` is hashed as text; an ``.ipynb`` as its cells' types, sources and
    tags (outputs, execution counts and metadata ignored).
    """
    notebook = Path(notebook)
    if notebook.suffix != ".ipynb":
        return _sha256_bytes(notebook.read_bytes())
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cells = [
        [c.cell_type, c.source, sorted(c.get("metadata", {}).get("tags", []))] for c in nb.cells
    ]
    return _sha256_bytes(json.dumps(cells, sort_keys=True).encode())


def package_digest() -> str:
    """Return a sha256 over the package's files (code and templates), so edits re-run briefs."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(_sha256_bytes(path.read_bytes()).encode())
    return digest.hexdigest()


def input_digests() -> dict[str, str]:
    """Return the sha256 of every input a brief may read, by name.

    Registry sources by id (their registered sha256, which :func:`osa_analysis.sources.fetch.fetch`
    enforces), the registry file itself (``data/sources.yaml``, whose licence and citation
    text appears in the sources annex), the curated files under ``data/recipients`` and
    ``data/countries``, and ``OSA_EEZ_FILE`` (path, size and mtime) when set.
    """
    from osa_analysis.sources.registry import registry

    inputs = {sid: src.sha256 for sid, src in registry().items()}
    curated = [SOURCES_FILE]
    for folder in CURATED_INPUT_DIRS:
        curated += sorted(p for p in (CURATED_DIR / folder).rglob("*") if p.is_file())
    for path in curated:
        inputs[f"data/{path.relative_to(CURATED_DIR).as_posix()}"] = _sha256_bytes(
            path.read_bytes()
        )
    eez = os.environ.get("OSA_EEZ_FILE")
    if eez:
        try:
            stat = Path(eez).stat()
            inputs["env:OSA_EEZ_FILE"] = f"{eez}:{stat.st_size}:{stat.st_mtime_ns}"
        except OSError:
            inputs["env:OSA_EEZ_FILE"] = f"{eez}:missing"
    return inputs


def run_key(
    params: BriefParams,
    notebook_path: Path = NOTEBOOK,
    *,
    inputs: Mapping[str, str] | None = None,
    extra_parameters: Mapping[str, Any] | None = None,
) -> str:
    """Return the run key of a brief: what its content depends on, hashed.

    sha256 over canonical JSON (sorted keys) of: the notebook source without outputs
    (:func:`notebook_digest`), the content parameters (:meth:`BriefParams.content_parameters`:
    paths excluded), ``extra_parameters``, the input sha256s (:func:`input_digests`), the
    ``osa_analysis`` version and :func:`package_digest`.

    Parameters
    ----------
    params : BriefParams
    notebook_path : Path
        The brief notebook (``.py`` or ``.ipynb``).
    inputs : Mapping, optional
        Input digests; default :func:`input_digests`.
    extra_parameters : Mapping, optional
        Further notebook parameters passed by the runner (template tests).

    Returns
    -------
    str
        64 hex digits.
    """
    payload = {
        "notebook": notebook_digest(notebook_path),
        "params": params.content_parameters(),
        "extra_parameters": dict(extra_parameters or {}),
        "inputs": dict(input_digests() if inputs is None else inputs),
        "package_version": __version__,
        "package_source": package_digest(),
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return _sha256_bytes(text.encode())


# ---------------------------------------------------------------------------------------------
# Small helpers


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def read_run_record(country_dir: Path) -> dict | None:
    """Return the ``run.json`` of a published brief folder, or ``None`` if absent/unreadable."""
    return read_json_object(Path(country_dir) / RUN_FILE)


def _up_to_date(country_dir: Path, key: str, *, render: bool) -> dict | None:
    """Return the published record when it is ``ok`` with ``key`` and its files exist."""
    record = read_run_record(country_dir)
    if not record or record.get("status") != "ok" or record.get("run_key") != key:
        return None
    files = record.get("files") or {}
    if render and "html" not in files:
        return None
    if not all((country_dir / name).is_file() for name in files.values()):
        return None
    return record


def _skipped(params: BriefParams, key: str, country_dir: Path, record: dict, start: float):
    return RunResult(
        country_iso3=params.country_iso3,
        status="skipped",
        as_of=params.as_of.isoformat(),
        run_key=key,
        duration_s=round(time.perf_counter() - start, 3),
        path=country_dir,
        files=dict(record.get("files") or {}),
    )


def _error(ename: str, evalue: str, cell_index: int | None = None, tb: str = "") -> dict:
    lines = _ANSI.sub("", tb).rstrip().splitlines()
    return {
        "ename": ename,
        "evalue": _ANSI.sub("", str(evalue)),
        "cell_index": cell_index,
        "traceback_tail": "\n".join(lines[-TRACEBACK_TAIL_LINES:]),
    }


# ---------------------------------------------------------------------------------------------
# Notebook parameters and execution (the child process)


def _parameters_cell(nb) -> Any:
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise RunnerError(
            f"the notebook must have exactly one cell tagged 'parameters', not {len(cells)}"
        )
    return cells[0]


def declared_parameters(nb) -> list[str]:
    """Return the names assigned in the notebook's ``parameters`` cell, in order.

    Parsed with :mod:`ast`, so annotated defaults such as ``data_dir: str | None = None`` are
    found (papermill's own inspection regex misses ``X | None`` annotations).
    """
    import ast

    source = _parameters_cell(nb).source
    names: list[str] = []
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for target in targets:
            if isinstance(target, ast.Name) and target.id not in names:
                names.append(target.id)
    return names


@functools.lru_cache(maxsize=8)
def _notebook_json(path: str, mtime_ns: int, size: int) -> tuple[str, tuple[str, ...]]:
    """Return a notebook as ``.ipynb`` JSON text and its declared parameters (cached)."""
    import jupytext
    import nbformat

    nb = jupytext.read(path)
    nb.metadata["kernelspec"] = {
        "name": KERNEL_NAME,
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    return nbformat.writes(nb), tuple(declared_parameters(nb))


def prepare_notebook(notebook: Path, dest: Path) -> list[str]:
    """Write the brief notebook to ``dest`` as ``.ipynb`` for papermill; return its parameters.

    A jupytext ``.py`` (or an ``.ipynb``) is read once per process and file version, so a
    worker building several briefs converts it once and the papermill child never imports
    jupytext. The kernelspec is set to :data:`KERNEL_NAME`.

    Parameters
    ----------
    notebook : Path
        The brief notebook.
    dest : Path
        Where to write the ``.ipynb``.

    Returns
    -------
    list of str
        The names assigned in its ``parameters`` cell (:func:`declared_parameters`).

    Raises
    ------
    RunnerError
        When the notebook has no (or more than one) ``parameters`` cell.
    """
    stat = Path(notebook).stat()
    text, declared = _notebook_json(str(notebook), stat.st_mtime_ns, stat.st_size)
    Path(dest).write_text(text, encoding="utf-8")
    return list(declared)


def select_parameters(
    declared: Sequence[str],
    values: Mapping[str, Any],
    defaults: Mapping[str, Any],
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the papermill parameters for a notebook whose ``parameters`` cell has ``declared``.

    Parameters
    ----------
    declared : sequence of str
        Names assigned in the notebook's ``parameters`` cell (:func:`declared_parameters`).
    values : Mapping
        :meth:`BriefParams.to_notebook_parameters` of the run.
    defaults : Mapping
        The same for a run with every optional field at its default.
    extra : Mapping, optional
        Further parameters (not BriefParams fields), all of which must be declared.

    Returns
    -------
    dict
        The declared BriefParams values and the extra parameters. A field the notebook does
        not declare is left out when it has its default value (e.g. ``mc_draws`` for a
        notebook written before it existed).

    Raises
    ------
    RunnerError
        Naming the parameters the notebook does not accept (``output_dir`` is required).
    """
    chosen: dict[str, Any] = {}
    refused: list[str] = []
    for name, value in values.items():
        if name in declared:
            chosen[name] = value
        elif name == "output_dir" or value != defaults.get(name):
            refused.append(name)
    for name, value in (extra or {}).items():
        if name in values:
            raise RunnerError(f"extra parameter {name!r} is a BriefParams field; set it there")
        if name in declared:
            chosen[name] = value
        else:
            refused.append(name)
    if refused:
        raise RunnerError(
            f"the notebook does not declare parameter(s) {refused} in its 'parameters' cell "
            f"(it declares {', '.join(declared)})"
        )
    return chosen


def skip_slow_imports() -> None:
    """Keep ``jsonschema`` from importing ``rfc3987_syntax`` in processes the runner owns.

    ``jsonschema`` (imported by ``nbformat``, so by papermill, jupytext and nbconvert)
    registers its ``iri`` format checks by importing ``rfc3987_syntax``, which builds about
    35 Lark parsers at import: about 1.5 s per process here (python-jsonschema/jsonschema#1428).
    No notebook schema uses those formats, so the papermill child and the command line mark
    the module as absent; jsonschema then skips those two checks. A program calling
    :func:`run_all` itself is left alone (it may call this function first).
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]


class _NoiseFilter(logging.Filter):
    """Drop papermill's misleading parameter-inspection warnings (see :func:`_child_main`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not message.startswith(("Passed unknown parameter", "Unable to parse line"))


def _child_main(argv: Sequence[str]) -> int:
    """Execute one notebook as described by a request file; write the result file.

    Run as ``python -m osa_analysis.build.runner REQUEST.json`` by :func:`run_brief`.
    """
    skip_slow_imports()
    # papermill imports pyarrow.fs (and so numpy) for its HDFS handler only: the child
    # reads and writes local files, so it marks the module absent (about 0.1 s per brief).
    sys.modules.setdefault("pyarrow.fs", None)  # type: ignore[assignment]
    request = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    # papermill's parameter inspection misses annotations such as ``str | None`` and then
    # warns about "unknown" parameters; the runner has checked them (declared_parameters).
    for name in ("papermill", "papermill.translators"):
        logging.getLogger(name).addFilter(_NoiseFilter())
    result: dict[str, Any] = {"ok": False, "error": None}
    try:
        import nbformat
        import papermill
        from papermill.exceptions import PapermillExecutionError

        from osa_analysis.build.warmkernel import use_kernel_server

        use_kernel_server(request.get("kernel_server"))
        parameters = request["parameters"]
        child_log = logging.getLogger("osa_analysis.build.runner")  # __name__ is __main__ here
        child_log.info("parameters: %s", json.dumps(parameters))
        for attempt in (1, 2):
            try:
                papermill.execute_notebook(
                    nbformat.read(request["notebook"], as_version=4),
                    request["output"],
                    parameters=parameters,
                    kernel_name=KERNEL_NAME,
                    execution_timeout=request["cell_timeout_s"],
                    progress_bar=False,
                    log_output=False,
                    cwd=request["cwd"],
                    # Every cell has run and its outputs are in the notebook: stop the kernel
                    # at once instead of papermill's graceful shutdown (about 1 s idle).
                    shutdown_kernel="immediate",
                    config=_kernel_config(request.get("socket_dir")),
                )
                break
            except PapermillExecutionError:
                raise
            except Exception as exc:  # the kernel died or never answered
                if attempt == 2 or not _warm_kernel_failed_at_start(request["output"]):
                    raise
                logging.getLogger("osa_analysis.build.runner").warning(
                    "the warm kernel failed before any cell ran (%s: %s); again with a fresh "
                    "kernel",
                    type(exc).__name__,
                    exc,
                )
                use_kernel_server(None)
        result["ok"] = True
    except PapermillExecutionError as exc:
        result["error"] = _error(exc.ename, exc.evalue, None, "\n".join(exc.traceback))
    except Exception as exc:
        result["error"] = _error(type(exc).__name__, str(exc), None, traceback.format_exc())
    if result["error"]:
        print(result["error"]["traceback_tail"], file=sys.stderr)
    warm = sys.modules.get("osa_analysis.build.warmkernel")
    result["kernel"] = getattr(warm, "LAST_LAUNCH", None) or "fresh"
    write_json(Path(request["result"]), result)
    return 0 if result["ok"] else 1


def _warm_kernel_failed_at_start(output: str) -> bool:
    """Return whether this process's kernel was warm and no cell of ``output`` ran."""
    import nbformat

    warm = sys.modules.get("osa_analysis.build.warmkernel")
    if getattr(warm, "LAST_LAUNCH", None) != "warm":
        return False
    try:
        nb = nbformat.read(output, as_version=4)
    except Exception:  # nothing written yet
        return True
    return not any(c.get("execution_count") for c in nb.cells if c.cell_type == "code")


def _kernel_config(socket_dir: str | None):
    """Return the traitlets config of a brief's kernel: Unix sockets in ``socket_dir``.

    With TCP, jupyter_client picks five free ports by binding and releasing them before the
    kernel binds them, so kernels started at the same moment by parallel briefs can pick the
    same port: the loser dies with "Address already in use" and its brief fails after a
    minute ("Kernel didn't respond in 60 seconds"). IPC sockets in a folder of the brief's
    own cannot collide (and carry no traffic over the network). ``None`` (or Windows) keeps
    TCP.
    """
    from traitlets.config import Config

    if socket_dir is None or os.name == "nt":
        return Config()
    return Config({"KernelManager": {"transport": "ipc", "ip": str(Path(socket_dir) / "k")}})


def _kill_group(proc: subprocess.Popen) -> None:
    """End a child started in its own session: SIGTERM, then SIGKILL after a grace period."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, _KILL_GRACE_S), (signal.SIGKILL, _KILL_GRACE_S)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _execute(request: dict, work: Path, env: dict[str, str], run_timeout_s: float) -> dict:
    """Run the child process for ``request``; return its result (or a timeout error)."""
    request_path = work / "request.json"
    write_json(request_path, request)
    with open(work / LOG_FILE, "ab") as log_fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "osa_analysis.build.runner", str(request_path)],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=run_timeout_s)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            log_fh.write(f"\nrunner: killed after the {run_timeout_s:g} s run limit\n".encode())
            return {
                "ok": False,
                "error": _error(
                    "RunTimeoutError",
                    f"the notebook did not finish within the {run_timeout_s:g} s run limit",
                ),
            }
        finally:
            _kill_group(proc)
    try:
        return json.loads(Path(request["result"]).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {
            "ok": False,
            "error": _error(
                "RunnerChildError",
                f"the notebook process exited with code {proc.returncode} and no result "
                f"(see {LOG_FILE})",
            ),
        }


THREAD_ENV_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)
"""Thread-pool sizes of OpenMP, the BLAS libraries, numexpr and Arrow (which reads
``OMP_NUM_THREADS``), set by :func:`_child_env` when a brief's CPU share is limited."""


def threads_per_job(jobs: int, cpus: int | None = None) -> int:
    """Return the CPU threads each of ``jobs`` parallel briefs may use (at least 1).

    Parameters
    ----------
    jobs : int
        Briefs running at once.
    cpus : int, optional
        CPUs this process may use; default :func:`os.sched_getaffinity` (or
        :func:`os.cpu_count`).
    """
    if cpus is None:
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cpus = os.cpu_count() or 1
    return max(1, cpus // max(1, jobs))


def _child_env(params: BriefParams, threads: int | None = None) -> dict[str, str]:
    """Return the environment of a brief's papermill child (and so of its kernel).

    ``threads`` caps the thread pools of numerical libraries (:data:`THREAD_ENV_VARS`), so
    that parallel briefs do not oversubscribe the CPUs; a value the caller's environment
    already sets wins.
    """
    env = dict(os.environ)
    if threads is not None:
        for name in THREAD_ENV_VARS:
            env.setdefault(name, str(threads))
    params.apply_environment(env)
    as_of = dt.datetime.combine(params.as_of, dt.time(), tzinfo=dt.UTC)
    env.setdefault("SOURCE_DATE_EPOCH", str(int(as_of.timestamp())))  # reproducible figures
    env.setdefault("PYTHONHASHSEED", "0")
    env["PYTHONUNBUFFERED"] = "1"
    return env


# ---------------------------------------------------------------------------------------------
# Completeness and failure location


def _source_cells(nb) -> list[tuple[int, Any]]:
    """Cells of the source notebook with their source index (papermill's cells left out)."""
    cells = []
    index = 0
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if _PAPERMILL_ERROR_TAG in tags or "injected-parameters" in tags:
            continue
        cells.append((index, cell))
        index += 1
    return cells


def locate_failure(nb) -> int | None:
    """Return the source index of the failing (or still running) cell of an executed notebook."""
    for index, cell in _source_cells(nb):
        if cell.cell_type == "code" and any(
            o.get("output_type") == "error" for o in cell.get("outputs", [])
        ):
            return index
    for status in ("failed", "running"):
        for index, cell in _source_cells(nb):
            if cell.get("metadata", {}).get("papermill", {}).get("status") == status:
                return index
    return None


def check_complete(nb, output_dir: Path) -> dict | None:
    """Return an error record when an executed brief is incomplete, else ``None``.

    Complete means: every non-empty code cell not tagged ``skip-execution`` has run, no cell
    has an error output, and ``summary.json`` is in ``output_dir`` and parses as JSON.
    """
    for index, cell in _source_cells(nb):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return _error(
                    output.get("ename", "Error"),
                    f"{output.get('evalue', '')} (papermill did not stop on it: "
                    "sys.exit(0) or a raises-exception tag)",
                    index,
                    "\n".join(output.get("traceback", [])),
                )
    skipped = [
        index
        for index, cell in _source_cells(nb)
        if cell.cell_type == "code"
        and cell.source.strip()
        and "skip-execution" not in cell.get("metadata", {}).get("tags", [])
        and cell.get("execution_count") is None
    ]
    if skipped:
        return _error(
            "IncompleteBriefError",
            f"code cell(s) {skipped} did not run (did a cell call sys.exit()?)",
            skipped[0],
        )
    summary = Path(output_dir) / SUMMARY_FILE
    try:
        json.loads(summary.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _error("IncompleteBriefError", f"the notebook wrote no {SUMMARY_FILE}")
    except (OSError, ValueError) as exc:
        return _error("IncompleteBriefError", f"{SUMMARY_FILE} is not valid JSON: {exc}")
    return None


# ---------------------------------------------------------------------------------------------
# Publishing


def _replace_entry(src: Path, dest: Path) -> None:
    """Move ``src`` onto ``dest`` atomically (files: os.replace; folders: rename-swap)."""
    if src.is_dir() and dest.exists():
        trash = dest.with_name(f".{dest.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(dest, trash)
        os.replace(src, dest)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(src, dest)


def _make_readable(folder: Path) -> None:
    """Give published files the usual modes (0644, folders 0755): temp files are 0600."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _publish(staging: Path, country_dir: Path, history_name: str, files: dict) -> None:
    """Publish a complete staging folder: history copy first, then the latest files."""
    previous = read_run_record(country_dir) or {}
    _make_readable(staging)
    history = country_dir / HISTORY_DIR
    history.mkdir(parents=True, exist_ok=True)
    tmp = history / f".{history_name}.tmp-{uuid.uuid4().hex[:8]}"
    shutil.copytree(staging, tmp)
    _replace_entry(tmp, history / history_name)
    names = sorted(p.name for p in staging.iterdir() if p.name != RUN_FILE)
    for name in [*names, RUN_FILE]:  # run.json last: it marks the brief as published
        _replace_entry(staging / name, country_dir / name)
    stale = set((previous.get("files") or {}).values()) - set(files.values())
    for name in stale:
        if name and "/" not in name and name not in (RUN_FILE, HISTORY_DIR):
            (country_dir / name).unlink(missing_ok=True)


def _failure_dir(reports_dir: Path, iso3: str, started: dt.datetime) -> Path:
    base = reports_dir / FAILED_DIR / iso3
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    candidate = base / stamp
    n = 1
    while candidate.exists():
        n += 1
        candidate = base / f"{stamp}-{n}"
    return candidate


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

    Returns
    -------
    RunResult
        ``skipped``, ``ok`` or ``failed``. Notebook failures, timeouts, incomplete runs and
        rendering errors are returned as ``failed``, never raised.
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

    work = reports_dir / STAGING_DIR / f"{iso3}-{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    staging = work / "brief"
    staging.mkdir(parents=True)
    previous = country_dir / SUMMARY_FILE  # the last good brief, for "what changed"
    run_params = params.replace(
        output_dir=staging, previous_summary=previous if previous.is_file() else None
    )
    record: dict[str, Any] = {
        "country_iso3": iso3,
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
        "kernel": None,
        "error": None,
        "files": {},
    }
    executed = staging / BRIEF_FILES["ipynb"]
    sockets = None
    holding = contextlib.ExitStack()  # the execution slot, given back once the kernel is done
    if slot is not None:
        slot.acquire()
        holding.callback(slot.release)
        start, started = time.perf_counter(), _utc_now()  # the brief's time, not its wait
        record["started_utc"] = _iso(started)
    try:
        # The kernel's IPC sockets: a short path of this brief's own (Unix sockets allow
        # about 100 characters), removed at the end.
        sockets = tempfile.mkdtemp(prefix="osa-kernel-")
        source = work / "source.ipynb"
        declared = prepare_notebook(notebook, source)
        parameters = select_parameters(
            declared,
            run_params.to_notebook_parameters(),
            BriefParams(iso3, as_of=params.as_of, output_dir=staging).to_notebook_parameters(),
            extra_parameters,
        )
        request = {
            "notebook": str(source),
            "output": str(executed),
            "parameters": parameters,
            "cell_timeout_s": cell_timeout_s,
            "socket_dir": sockets,
            "kernel_server": kernel_server,
            "cwd": str(PROJECT_ROOT),
            "result": str(work / "result.json"),
        }
        outcome = _execute(request, work, _child_env(run_params, threads), run_timeout_s)
        holding.close()  # checking, rendering and publishing overlap the next brief's run
        record["kernel"] = outcome.get("kernel")
        error = outcome.get("error")
        nb = _read_notebook(executed)
        if error is None and nb is None:
            error = _error("IncompleteBriefError", "papermill wrote no executed notebook")
        if error is None:
            error = check_complete(nb, staging)
        elif nb is not None and error.get("cell_index") is None:
            error["cell_index"] = locate_failure(nb)
        if error is None and render:
            error = _render(executed, staging, pdf=pdf)
    except Exception as exc:  # a runner bug or an I/O error: still keep what there is
        error = _error(type(exc).__name__, str(exc), None, traceback.format_exc())
    finally:
        holding.close()

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
            record["files"] = files
            write_json(staging / RUN_FILE, record)
            history_name = f"{params.as_of.isoformat()}--{key[:12]}"
            _publish(staging, country_dir, history_name, files)
            return RunResult(
                iso3, "ok", record["as_of"], key, record["duration_s"], country_dir, None, files
            )
        failed_dir = _keep_failure(work, staging, record, reports_dir, started, render=render)
        return RunResult(
            iso3, "failed", record["as_of"], key, record["duration_s"], failed_dir, error, {}
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if sockets:
            shutil.rmtree(sockets, ignore_errors=True)


def _read_notebook(path: Path):
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return None
    except Exception:  # nbformat validation errors of a half-written file
        return None


def _render(executed: Path, staging: Path, *, pdf: bool) -> dict | None:
    """Render HTML (and PDF) into ``staging``; return an error record on failure."""
    try:
        from osa_analysis.build import render as rendering

        html = rendering.render_html(executed, staging / BRIEF_FILES["html"], hide_code=True)
        if pdf:
            rendering.render_pdf(html, staging / BRIEF_FILES["pdf"])
    except Exception as exc:
        return _error(type(exc).__name__, f"rendering failed: {exc}", None, traceback.format_exc())
    return None


def _keep_failure(
    work: Path,
    staging: Path,
    record: dict,
    reports_dir: Path,
    started: dt.datetime,
    *,
    render: bool,
) -> Path:
    """Move the failed run's notebook, debug HTML, run.json and log.txt to ``_failed/``."""
    failed = _failure_dir(reports_dir, record["country_iso3"], started)
    keep = work / "failed"
    keep.mkdir()
    executed = staging / BRIEF_FILES["ipynb"]
    files = {}
    if executed.is_file():
        shutil.copy2(executed, keep / BRIEF_FILES["ipynb"])
        files["ipynb"] = BRIEF_FILES["ipynb"]
        if render:
            try:
                from osa_analysis.build import render as rendering

                rendering.render_debug_html(executed, keep / DEBUG_HTML)
                files["debug_html"] = DEBUG_HTML
            except Exception as exc:  # the debug page is a courtesy; the notebook is the log
                _append_log(work, f"runner: no debug HTML: {type(exc).__name__}: {exc}")
    _append_log(work, f"runner: FAILED {json.dumps(record['error'], indent=2)}")
    shutil.copy2(work / LOG_FILE, keep / LOG_FILE)
    files["log"] = LOG_FILE
    record["files"] = files
    write_json(keep / RUN_FILE, record)
    _make_readable(keep)
    failed.parent.mkdir(parents=True, exist_ok=True)
    os.replace(keep, failed)
    return failed


def _append_log(work: Path, text: str) -> None:
    with open(work / LOG_FILE, "a", encoding="utf-8") as fh:
        fh.write(text.rstrip() + "\n")


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


def warm_kernels_supported() -> bool:
    """Return whether this system can fork warm kernels (:mod:`osa_analysis.build.warmkernel`)."""
    import signal
    import socket

    if not (
        sys.platform.startswith("linux")
        and hasattr(socket, "send_fds")
        and hasattr(signal, "pidfd_send_signal")
    ):
        return False
    try:  # pidfds need Linux 5.3
        os.close(os.pidfd_open(os.getpid()))
    except OSError:
        return False
    return True


def default_executor(threads: int) -> cf.Executor:
    """Return the default executor: ``threads`` threads of the calling process.

    A brief's notebook always runs in processes of its own (the papermill child and its
    kernel, :func:`run_brief`); the thread only waits for them, then renders and publishes.
    Threads spare each build the start-up of worker processes that would import the same
    libraries again (about 1.3 s of a four-brief build on two cores). :func:`run_all` starts
    one thread per brief and lets ``jobs`` notebooks run at once (``slot``).
    """
    return cf.ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="brief")


@contextlib.contextmanager
def dask_executor(address: str) -> Iterator[cf.Executor]:
    """Yield a :class:`concurrent.futures.Executor` running on an existing Dask cluster.

    The client is closed on exit; the cluster keeps running.

    Parameters
    ----------
    address : str
        The scheduler address, e.g. ``tcp://10.0.0.5:8786``. Workers must see the same
        project folder, notebook and reports folder (a shared file system) and have
        ``osa_analysis`` installed.

    Raises
    ------
    RunnerError
        When ``distributed`` is not installed (``pip install "osa_analysis[dask]"``).
    """
    try:
        from distributed import Client
    except ImportError as exc:
        raise RunnerError(
            "running on a Dask cluster needs dask.distributed, which is not installed: "
            'pip install "osa_analysis[dask]"'
        ) from exc
    client = Client(address)
    try:
        yield client.get_executor()
    finally:
        client.close()


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
    """
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
        record = None if force else _up_to_date(country_dir, key, render=render)
        if record:
            results[i] = _skipped(params, key, country_dir, record, start)
            if progress:
                progress(results[i])
        else:
            todo.append(i)

    if todo:
        own = executor is None
        pool = default_executor(len(todo)) if own else executor
        server = contextlib.ExitStack()
        if own:  # ``jobs`` notebooks at once, sharing this machine's CPUs
            kwargs["threads"] = threads_per_job(jobs)
            kwargs["slot"] = threading.Semaphore(max(1, jobs))
            if warm_kernels and warm_kernels_supported():
                from osa_analysis.build.warmkernel import KernelServer

                first = params_list[todo[0]]
                env = _child_env(first, kwargs["threads"])
                try:
                    kwargs["kernel_server"] = server.enter_context(
                        KernelServer(env, PROJECT_ROOT, warm=first.content_parameters())
                    ).address
                except Exception as exc:  # an optimisation only: build with fresh kernels
                    log.warning("no warm kernel server (%s: %s)", type(exc).__name__, exc)
        try:
            futures = {
                pool.submit(_run_brief_safely, params_list[i], kwargs, keys[i]): i for i in todo
            }
            for future in cf.as_completed(futures):
                i = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # the worker itself died (e.g. BrokenProcessPool)
                    p = params_list[i]
                    result = RunResult(
                        p.country_iso3,
                        "failed",
                        p.as_of.isoformat(),
                        None,
                        0.0,
                        None,
                        _error(type(exc).__name__, str(exc), None, traceback.format_exc()),
                    )
                results[i] = result
                if progress:
                    progress(result)
        finally:
            if own:
                pool.shutdown(wait=True, cancel_futures=True)
            server.close()
    if index:
        try:
            rebuild_index(kwargs["reports_dir"])
        except Exception as exc:
            log.error("could not rebuild the reports index: %s: %s", type(exc).__name__, exc)
    return [r for r in results if r is not None]


def rebuild_index(reports_dir: Path = REPORTS_DIR) -> tuple[Path, Path]:
    """Rebuild ``index.html`` and ``index.json`` of ``reports_dir`` with the catalog module."""
    from osa_analysis.build.catalog import build_index

    return build_index(Path(reports_dir))


# ---------------------------------------------------------------------------------------------
# Progress display and summary (used by the command line)


class BuildProgress:
    """Progress of a build: a rich progress bar on a terminal, plain log lines otherwise.

    Use as a context manager and pass the instance as ``progress`` to :func:`run_all`.

    Parameters
    ----------
    total : int
        Number of briefs.
    console : rich.console.Console, optional
        Where to print (default: a new console on stdout).
    live : bool, optional
        Force the progress bar on or off (default: when the console is a terminal).
    """

    def __init__(self, total: int, console=None, *, live: bool | None = None) -> None:
        from rich.console import Console

        self.console = console or Console(highlight=False)
        self.total = total
        self.live = self.console.is_terminal if live is None else live
        self._progress = None
        self._task = None

    def __enter__(self) -> BuildProgress:
        if self.live:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(
                TextColumn("[bold]briefs[/]"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                console=self.console,
                transient=False,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task("", total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def __call__(self, result: RunResult) -> None:
        """Report one finished brief."""
        line = format_result_line(result)
        if self._progress is not None:
            self._progress.console.print(line, markup=False)
            self._progress.update(self._task, advance=1, description=line)
        else:
            self.console.print(line, markup=False)


def format_result_line(result: RunResult) -> str:
    """Return a one-line log entry, e.g. ``[PHL] ok in 12.3 s``."""
    line = f"[{result.country_iso3}] {result.status} in {result.duration_s:.1f} s"
    if result.status == "failed":
        line += f": {result.describe()}"
    return line


def summary_table(results: Sequence[RunResult]):
    """Return a rich table: country, status, duration, as_of, output path or error."""
    from rich.table import Table

    table = Table(title="Country briefs")
    for col in ("country", "status", "duration", "as_of", "output / error"):
        table.add_column(col, overflow="fold")
    colours = {"ok": "green", "skipped": "cyan", "failed": "red"}
    for r in results:
        table.add_row(
            r.country_iso3,
            f"[{colours.get(r.status, 'white')}]{r.status}[/]",
            f"{r.duration_s:.1f} s",
            r.as_of,
            r.describe(),
        )
    return table


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
