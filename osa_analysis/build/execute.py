"""Execute a brief notebook with papermill in a child process of its own, and check the result.

The runner prepares the notebook (jupytext to ``.ipynb``, its declared parameters checked),
writes a request file and starts ``python -m osa_analysis.build.execute REQUEST.json`` in a
session of its own (killed as a group at the run limit), with an environment that shares the
CPUs between parallel briefs. The child runs papermill on a fresh or warm kernel over Unix
sockets and writes a result file; :func:`check_complete` and :func:`locate_failure` then read
the executed notebook.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import logging
import os
import signal
import subprocess
import sys
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from osa_analysis.build.interrupt import StopSwitch
from osa_analysis.build.params import BriefParams
from osa_analysis.build.records import LOG_FILE, SUMMARY_FILE, RunnerError, _error
from osa_analysis.core.config import PROJECT_ROOT
from osa_analysis.core.files import write_json

KERNEL_NAME = "python3"
_PAPERMILL_ERROR_TAG = "papermill-error-cell-tag"
_KILL_GRACE_S = 5


# ---------------------------------------------------------------------------------------------
# Notebook parameters


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
    :func:`osa_analysis.build.runner.run_all` itself is left alone (it may call this function
    first).
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]


# ---------------------------------------------------------------------------------------------
# The child process


class _NoiseFilter(logging.Filter):
    """Drop papermill's misleading parameter-inspection warnings (see :func:`_child_main`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not message.startswith(("Passed unknown parameter", "Unable to parse line"))


def _child_main(argv: Sequence[str]) -> int:
    """Execute one notebook as described by a request file; write the result file.

    Run as ``python -m osa_analysis.build.execute REQUEST.json`` by :func:`_execute`.
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
        child_log = logging.getLogger("osa_analysis.build.execute")  # __name__ is __main__ here
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
                child_log.warning(
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


def _execute(
    request: dict,
    work: Path,
    env: dict[str, str],
    run_timeout_s: float,
    stop: StopSwitch | None = None,
) -> dict:
    """Run the child process for ``request``; return its result (or a timeout error).

    ``stop``: the build's :class:`~osa_analysis.build.interrupt.StopSwitch`, which ends the
    child (and so its kernel) when the build is interrupted.
    """
    request_path = work / "request.json"
    write_json(request_path, request)
    with open(work / LOG_FILE, "ab") as log_fh, contextlib.ExitStack() as watch:
        proc = subprocess.Popen(
            [sys.executable, "-m", "osa_analysis.build.execute", str(request_path)],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if stop is not None:
            watch.enter_context(stop.watching(proc))
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


def _read_notebook(path: Path):
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return None
    except Exception:  # nbformat validation errors of a half-written file
        return None


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
