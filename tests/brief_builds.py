"""The brief builds that the runner, interrupt and warm-kernel tests check, made by a process of
their own.

A brief build takes a second or two, nearly all of it in child processes (the papermill
child and its kernel each start Python and import their libraries) while the caller waits;
the unit tests leave one of the machine's cores idle meanwhile, as pytest runs them one at
a time. So the builds are made apart from the tests that check them: a test module
registers its builds with a :class:`Registry` named ``BUILDS``::

    BUILDS = Registry()

    @BUILDS.job
    def exited(b: Builds):
        return b.root / "exited", runner.run_brief(...)

and asks for their results with the ``brief_builds`` fixture (``tests/conftest.py``). Once
collection shows that a test will need them, the session starts this module as a script::

    python tests/brief_builds.py OUT MODULE.py [...] [--workers N] [--server ADDRESS PID]

which imports each module, makes its builds while the other tests run, at a lower priority
(:data:`NICENESS`): those registered with ``alone=True`` first, then ``N`` at a time, and
those registered with ``waits=True``, which mostly wait (for a run limit, a kernel or a
signal), on threads of their own besides. It pickles what each
returns, or the traceback of one that raised, to ``OUT/<module>.results.pickle`` once all
of a module's builds are made. It runs with the session's environment without pytest's
``PYTEST_CURRENT_TEST`` (which changes with every test phase), the one the session's kernel
server (``--server``) started with, so its warm kernels serve these builds.

After the ``alone`` builds, the render and pdf modules are stand-ins
(:func:`use_fake_render`), the kernel servers :func:`osa_analysis.build.runner.run_all`
starts preload only what the synthetic notebook imports (:func:`use_servers_without_data`),
index rebuilds are recorded instead of made (both by build, :meth:`Builds.recorded`), and the
package digest is computed once, at the start, and kept (an edit made meanwhile in another
window would otherwise change the run keys mid-session).
"""

from __future__ import annotations

import concurrent.futures as cf
import importlib.util
import os
import pickle
import subprocess
import sys
import threading
import time
import traceback
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from osa_analysis.core.files import atomic_write_bytes

RUNNER_NOTEBOOK_PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "osa_analysis.build.params")
"""What the runner tests' synthetic brief (``tests/fixtures/runner/brief_fixture.py``)
imports: all a kernel server needs to preload for it."""

RESULTS = "results.pickle"
LOG = "builds.log"
NICENESS = 10
"""The builder's scheduling priority, below the tests': the tests' own process is the session's
longest chain of work, and the builds are needed only later (on the 2-core machine the unit
tests took 55–56 s with it and 64–66 s without, in two interleaved runs of each)."""
BUSY = 100
"""Tests besides those checking builds from which the session counts as busy: the builder
then makes one build at a time (about a core's worth, beside pytest's), else two."""


# ---------------------------------------------------------------------------------------------
# Stand-ins, also used in the pytest process


def use_servers_without_data(
    patch: pytest.MonkeyPatch, record: Callable[[Any], None] | None = None
) -> list:
    """Make the kernel servers run_all starts preload :data:`RUNNER_NOTEBOOK_PRELOAD` only.

    :func:`osa_analysis.build.runner.run_all` asks its server to load every table and compute
    the sections' shared results before it forks kernels (seconds of work on the mirror), and
    the server imports every module of the real brief first (seconds more); the synthetic
    runner notebook uses none of it.

    Parameters
    ----------
    patch : pytest.MonkeyPatch
        Replaces ``osa_analysis.build.warmkernel.KernelServer`` while it lasts.
    record : callable, optional
        Called with each server's ``warm`` argument; default: append it to the list returned.

    Returns
    -------
    list
        The ``warm`` arguments, when ``record`` is not given.
    """
    from osa_analysis.build import warmkernel

    warm_args: list = []
    note = record or warm_args.append

    class ServerWithoutData(warmkernel.KernelServer):
        def __init__(self, env, cwd, warm=None) -> None:
            note(warm)
            super().__init__(env, cwd, preload=RUNNER_NOTEBOOK_PRELOAD)

    patch.setattr(warmkernel, "KernelServer", ServerWithoutData)
    return warm_args


def fake_render_modules(calls: dict) -> tuple[types.ModuleType, types.ModuleType]:
    """Stand-ins for osa_analysis.build.render and .pdf that write small files and record calls.

    Parameters
    ----------
    calls : dict
        Gets each call under the reports folder of the brief (the staging folder's
        ``reports/.staging/<run>/brief/``), so that builds running at once keep theirs apart.

    Returns
    -------
    tuple of module
        The render and the pdf stand-ins.
    """
    module = types.ModuleType("osa_analysis.build.render")
    printing = types.ModuleType("osa_analysis.build.pdf")

    def record(path, call) -> None:
        calls.setdefault(Path(path).resolve().parents[3], []).append(call)

    def render_html(
        executed_ipynb,
        out_html,
        *,
        hide_code=True,
        title=None,
        header_keys=None,
        lang="en",
        editions=False,
    ):
        call = ("html", Path(executed_ipynb).name, hide_code)
        record(executed_ipynb, call if lang == "en" else (*call, lang))
        Path(out_html).write_text(f"<html>brief hide_code={hide_code}</html>")
        return Path(out_html)

    def render_debug_html(executed_ipynb, out_html):
        record(executed_ipynb, ("debug", Path(executed_ipynb).name))
        Path(out_html).write_text("<html>debug</html>")
        return Path(out_html)

    def render_pdf(html, out_pdf):
        record(html, ("pdf", Path(html).name))
        return None  # as when Chromium is not installed

    module.render_html = render_html
    module.BRIEF_HEADER_KEYS = ("country_name", "as_of", "package_version")
    module.render_debug_html = render_debug_html
    printing.render_pdf = render_pdf
    return module, printing


def use_fake_render(patch: pytest.MonkeyPatch) -> dict:
    """Replace the render and pdf modules with :func:`fake_render_modules` while ``patch`` lasts.

    Returns
    -------
    dict
        Their calls by reports folder.
    """
    import osa_analysis.build

    calls: dict = {}
    for stub in fake_render_modules(calls):
        name = stub.__name__.rsplit(".", 1)[1]
        patch.setitem(sys.modules, stub.__name__, stub)
        # once the real module was imported, `from osa_analysis.build import render` finds the
        # package attribute first: replace it too
        patch.setattr(osa_analysis.build, name, stub, raising=False)
    return calls


# ---------------------------------------------------------------------------------------------
# Registering builds (in the test modules)


class Registry:
    """The builds of one test module, by name, in the order they are registered."""

    def __init__(self) -> None:
        self.jobs: dict[str, tuple[Callable[[Builds], Any], str]] = {}

    def job(self, function: Callable | None = None, *, waits: bool = False, alone: bool = False):
        """Register ``function(builds)`` as the build of its name (decorator).

        Parameters
        ----------
        function : callable, optional
            The build; without it, ``job(...)`` returns the decorator.
        waits : bool
            It mostly waits (e.g. for a run limit): it gets a thread of its own.
        alone : bool
            It is made before every other build, in the builder's only thread and with the
            real render and pdf modules (e.g. one starting programs with a ``preexec_fn``,
            which is not safe beside other threads).
        """

        def register(fn: Callable[[Builds], Any]) -> Callable[[Builds], Any]:
            self.jobs[fn.__name__] = (fn, "alone" if alone else "waits" if waits else "works")
            return fn

        return register(function) if function is not None else register


class Builds:
    """What a build is given: its module's folder, the session's kernel server, the others.

    Attributes
    ----------
    root : Path
        A folder of the module's own, for the builds' reports.
    server_address : str or None
        The session's kernel server (``None`` where warm kernels are not supported).
    server_pid : int or None
        Its process id.
    """

    def __init__(self, root: Path, server: tuple[str, int] | None) -> None:
        self.root = root
        self.server_address, self.server_pid = server if server else (None, None)
        self._futures: dict[str, cf.Future] = {}

    def result(self, name: str) -> Any:
        """Wait for the build ``name`` of the same module (registered before) and return it."""
        return self._futures[name].result()

    @staticmethod
    def recorded(kind: str) -> list:
        """Return what the calling build has recorded so far: ``"warm_args"`` or ``"indexed"``."""
        return list(_records[kind].get(_current.job, []))


_current = threading.local()  # the build a thread is making: (module, name)
_records: dict[str, dict[tuple[str, str] | None, list]] = {"warm_args": {}, "indexed": {}}


def _record(kind: str, value: Any) -> None:
    """Record ``value`` for the build the calling thread is making."""
    _records[kind].setdefault(getattr(_current, "job", None), []).append(value)


def _rebuild_index(reports_dir: Path) -> tuple[Path, Path]:
    """Stand-in for :func:`osa_analysis.build.runner.rebuild_index`: recorded, not made."""
    _record("indexed", Path(reports_dir))
    return Path(reports_dir) / "index.html", Path(reports_dir) / "index.json"


def _run(out: Path, modules: Sequence[Path], server: tuple[str, int] | None, workers: int) -> None:
    """Make the builds of ``modules``; pickle each module's results once they are all made."""
    from osa_analysis.build import keys, runner

    runner.skip_slow_imports()
    registries = {}
    for path in modules:  # before the stand-ins: what a module imports is the real thing
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        registries[path.stem] = (module.BUILDS, Builds(out / path.stem, server))
    digest = keys.package_digest()
    for name, (registry, builds) in registries.items():
        builds.root.mkdir(parents=True)
        for job, (function, how) in registry.jobs.items():
            if how == "alone":
                builds._futures[job] = done = cf.Future()
                done.set_result(_make(function, builds, (name, job)))
    renders: dict[Path, list] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keys, "package_digest", lambda: digest)
        use_servers_without_data(patch, lambda warm: _record("warm_args", warm))
        renders = use_fake_render(patch)
        patch.setattr(runner, "rebuild_index", _rebuild_index)
        with cf.ThreadPoolExecutor(workers) as working, cf.ThreadPoolExecutor(8) as waiting:
            for name, (registry, builds) in registries.items():
                for job, (function, how) in registry.jobs.items():
                    if how != "alone":
                        pool = waiting if how == "waits" else working
                        builds._futures[job] = pool.submit(_make, function, builds, (name, job))
            for name, (_, builds) in registries.items():  # each as soon as its builds are made
                results = {job: future.result() for job, future in builds._futures.items()}
                for kind, records in _records.items():
                    results[f"@{kind}"] = {
                        job[1]: values for job, values in records.items() if job and job[0] == name
                    }
                results |= {"@package_digest": digest, "@renders": renders}
                atomic_write_bytes(out / f"{name}.{RESULTS}", pickle.dumps(results))


def _make(function: Callable[[Builds], Any], builds: Builds, job: tuple[str, str]) -> Any:
    _current.job = job
    try:
        return function(builds)
    except BaseException:
        return {"@failed": traceback.format_exc()}


# ---------------------------------------------------------------------------------------------
# The session side (tests/conftest.py)


def start(
    out: Path, modules: Sequence[Path], server: tuple[str, int] | None, other_tests: int
) -> subprocess.Popen:
    """Start making the builds of ``modules`` into ``out``.

    Parameters
    ----------
    out : Path
        A new, empty folder: the builds' reports, their results and the builder's log.
    modules : sequence of Path
        The test modules whose ``BUILDS`` to make.
    server : tuple, optional
        Address and process id of the session's kernel server.
    other_tests : int
        How many selected tests do not check builds (:data:`BUSY`).

    Returns
    -------
    subprocess.Popen
        The builder.
    """
    workers = 1 if other_tests >= BUSY else 2
    command = [sys.executable, __file__, str(out), *map(str, modules), "--workers", str(workers)]
    if server:
        command += ["--server", server[0], str(server[1])]
    with open(out / LOG, "wb") as log:
        return subprocess.Popen(
            command,
            env=session_env(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def session_env() -> dict[str, str]:
    """This process's environment without ``PYTEST_CURRENT_TEST`` (it changes with every phase).

    The environment of the session's helper processes: the builder, the precomputed results
    and the kernel server.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}


class ModuleBuilds(Mapping):
    """The results of one module's builds, by name (an ``AssertionError`` for one that raised).

    ``package_digest`` (the one the builds used) and ``renders`` (render stand-in calls by
    reports folder) are the builder's; ``indexed`` (the index rebuilds asked for) and
    ``warm_args`` (the ``warm`` argument of each kernel server run_all started) are by build.
    """

    def __init__(self, results: dict[str, Any], log: Path) -> None:
        self._results, self._log = results, log
        self.package_digest: str = results["@package_digest"]
        self.renders: dict[Path, list] = results["@renders"]
        self.indexed: dict[str, list[Path]] = results["@indexed"]
        self.warm_args: dict[str, list] = results["@warm_args"]

    def __getitem__(self, name: str) -> Any:
        value = self._results[name]
        if isinstance(value, dict) and set(value) == {"@failed"}:
            failed = value["@failed"]
            raise AssertionError(f"the build {name!r} raised (log: {self._log}):\n{failed}")
        return value

    def __iter__(self) -> Iterator[str]:
        return (name for name in self._results if not name.startswith("@"))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def load(out: Path, process: subprocess.Popen, module: str, timeout_s: float = 600) -> ModuleBuilds:
    """Wait for the builds of ``module`` by the builder :func:`start` started.

    Parameters
    ----------
    out : Path
        The folder given to :func:`start`.
    process : subprocess.Popen
        The builder.
    module : str
        The test module's name (``test_runner``).
    timeout_s : float
        How long to wait at most.

    Returns
    -------
    ModuleBuilds

    Raises
    ------
    RuntimeError
        When the builder exited (or is still running) without the module's results.
    """
    results = out / f"{module}.{RESULTS}"
    deadline = time.monotonic() + timeout_s
    while not results.is_file() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not results.is_file():
        log = out / LOG
        tail = log.read_text(errors="replace")[-3000:] if log.is_file() else ""
        state = "is still running" if process.poll() is None else f"exited {process.returncode}"
        raise RuntimeError(f"no builds of {module}: the builder {state}; its log ends:\n{tail}")
    return ModuleBuilds(pickle.loads(results.read_bytes()), out / LOG)


def main(argv: Sequence[str]) -> int:
    """``python tests/brief_builds.py OUT MODULE.py [...] [--workers N] [--server ADDRESS PID]``."""
    os.nice(NICENESS)  # the tests first (the kernels of the session server keep theirs)
    args = list(argv)
    server, workers = None, 1
    if "--server" in args:
        at = args.index("--server")
        server = (args[at + 1], int(args[at + 2]))
        del args[at : at + 3]
    if "--workers" in args:
        at = args.index("--workers")
        workers = int(args[at + 1])
        del args[at : at + 2]
    _run(Path(args[0]), [Path(a) for a in args[1:]], server, workers)
    return 0


if __name__ == "__main__":
    # As the module the test modules import (their Registry), not as __main__: one copy.
    from brief_builds import main as module_main

    sys.exit(module_main(sys.argv[1:]))
