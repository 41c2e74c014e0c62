"""Shared test fixtures.

Unit tests read tiny hand-written fixtures under ``tests/fixtures/``. Integration tests
(marker ``mirror``) read the real files through :func:`osa_analysis.sources.fetch.fetch`; they skip
only when no mirror is configured and nothing is cached, and they **fail** when
``OSA_DATA_MIRROR`` is set but a file is missing or wrong.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import brief_builds as brief_builds_module
import precomputed
import pytest
from brief_builds import use_servers_without_data

from osa_analysis.build.execute import THREAD_ENV_VARS, skip_slow_imports
from osa_analysis.core import config
from osa_analysis.sources.fetch import cached_path, fetch

# As the command line does: jsonschema (imported by nbformat) need not build the ~35 Lark
# parsers of rfc3987_syntax (about 1.5 s), which no notebook schema uses.
skip_slow_imports()

# One thread per numerical library, set before numpy loads (these imports do not load it):
# the tests share the cores with their builder, and a BLAS pool of two on the tests' small
# matrices spins the second core for nothing (the backtest scores took twice the CPU time in
# the same wall time). A brief build sharing the CPUs sets the same (threads_per_job).
for _name in THREAD_ENV_VARS:
    os.environ.setdefault(_name, "1")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    """Folder of the hand-written synthetic fixtures."""
    return FIXTURES


@pytest.fixture
def servers_without_data(monkeypatch) -> list:
    """Let the build's warm kernel servers skip the warm-up and the brief's imports.

    The servers :func:`osa_analysis.build.runner.run_all` starts preload only what the
    synthetic runner notebook imports (:func:`brief_builds.use_servers_without_data`).
    Returns the ``warm`` argument of each server started (the warm-up itself is tested on
    the mirror, ``tests/integration/test_warm_up_mirror.py``; kernels forked from a server
    holding the brief's own imports by ``tests/unit/test_warmkernel.py``, with
    :func:`kernel_server`).
    """
    return use_servers_without_data(monkeypatch)


_SESSION_SERVER: list = []  # the session's kernel server and this process's environment then
_BUILDS: dict = {}  # the brief builds' process, its folder and, once loaded, its results


def _start_session_server():
    from osa_analysis.build import runner
    from osa_analysis.build.params import BriefParams
    from osa_analysis.build.warmkernel import KernelServer

    if not _SESSION_SERVER:
        base = brief_builds_module.session_env()
        with pytest.MonkeyPatch.context() as patch:
            patch.delenv("PYTEST_CURRENT_TEST", raising=False)  # changes with every phase
            params = BriefParams.from_mapping({"country_iso3": "PHL", "as_of": "2026-08-09"})
            env = runner._child_env(params)  # any brief's: they differ in OSA_* only
        _SESSION_SERVER.extend([KernelServer(env, config.PROJECT_ROOT), base])
    return _SESSION_SERVER[0]


def _start_brief_builds(modules: list[Path], other_tests: int) -> None:
    from osa_analysis.build.runner import warm_kernels_supported

    if _BUILDS:
        return
    server = None
    if warm_kernels_supported():
        started = _start_session_server()
        server = (started.address, started.pid)
    out = Path(tempfile.mkdtemp(prefix="osa-brief-builds-"))
    process = brief_builds_module.start(out, modules, server, other_tests)
    _BUILDS.update(out=out, process=process)


def pytest_collection_finish(session) -> None:
    """Start what the selected tests will need, early.

    That is the session's kernel server (it imports the brief's libraries) and the brief
    builds (:mod:`brief_builds`). Both work in processes of their own, on the core the tests
    before them mostly leave idle, instead of keeping their first test waiting. The unit
    tests' precomputed results (:mod:`precomputed`, started with the session) are kept only
    when the selection needs them all (the whole unit suite).
    """
    from osa_analysis.build.runner import warm_kernels_supported

    items = session.items
    needed = {job for item in items for job in set(precomputed.JOBS) & set(_fixtures_of(item))}
    if session.config.option.collectonly or needed != set(precomputed.JOBS):
        # a few tests picked out: their fixtures compute what they need, when they need it
        _stop_precomputed()
    if session.config.option.collectonly:
        return
    checking = [item for item in items if "brief_builds" in _fixtures_of(item)]
    if checking:
        _start_brief_builds(sorted({item.path for item in checking}), len(items) - len(checking))
    if any("kernel_server" in _fixtures_of(item) for item in items) and warm_kernels_supported():
        _start_session_server()


def _fixtures_of(item) -> tuple[str, ...]:
    return tuple(getattr(item, "fixturenames", ()))


def _stop_precomputed() -> None:
    out = precomputed.stop()
    if out is not None:
        shutil.rmtree(out, ignore_errors=True)


def pytest_sessionfinish(session) -> None:
    """Wait for the brief builds (kept for a look when a test failed); stop the kernel server."""
    _stop_precomputed()
    if _BUILDS:
        _BUILDS["process"].wait()
        if not session.testsfailed:
            shutil.rmtree(_BUILDS["out"], ignore_errors=True)
        _BUILDS.clear()
    if _SESSION_SERVER:
        _SESSION_SERVER[0].close()
        _SESSION_SERVER.clear()


@pytest.fixture(scope="session")
def brief_builds() -> Callable[[str], brief_builds_module.ModuleBuilds]:
    """Return a function giving the results of a test module's builds (:mod:`brief_builds`).

    The builds of every collected module that asks for them were started at collection;
    the first call for a module waits for its builds to be made.
    """

    def of(module: str) -> brief_builds_module.ModuleBuilds:
        if not _BUILDS:  # not seen at collection (e.g. requested dynamically)
            raise RuntimeError("no brief builds were started for this session")
        results = _BUILDS.setdefault("results", {})
        if module not in results:
            results[module] = brief_builds_module.load(_BUILDS["out"], _BUILDS["process"], module)
        return results[module]

    return of


@pytest.fixture(scope="session")
def kernel_server():
    """One warm kernel server for the whole session, preloading what the real brief imports.

    Shared by the tests that give the runner a kernel server (it holds no state of any
    brief: each kernel is a fresh fork). A brief's kernel comes from it only when the
    brief's start-up environment is the server's: see :func:`match_server_env`. ``None`` where
    warm kernels are not supported.
    """
    from osa_analysis.build.runner import warm_kernels_supported

    return _start_session_server() if warm_kernels_supported() else None


@pytest.fixture(scope="session")
def match_server_env(kernel_server):
    """Return a function giving this process the environment it had when the server started.

    The function takes a ``MonkeyPatch``; while it lasts, the briefs this process runs have
    the start-up environment of :func:`kernel_server`. Without it the server refuses them
    (and they run fresh kernels): pytest changes ``PYTEST_CURRENT_TEST`` with every test
    phase, and the tests run meanwhile may have set variables (libraries set some when first
    imported, e.g. netCDF4's ``HDF5_PLUGIN_PATH``).
    """

    def use(patch: pytest.MonkeyPatch) -> None:
        if kernel_server is None:
            return
        base = _SESSION_SERVER[1]
        for name in set(os.environ) - set(base):
            patch.delenv(name)
        for name, value in base.items():
            if os.environ.get(name) != value:
                patch.setenv(name, value)

    return use


@pytest.fixture(scope="session")
def real_file():
    """Return a function giving the verified local path of a registered source file."""

    def get(source_id: str) -> Path:
        if config.mirror_dir() is None and not cached_path(source_id).exists():
            pytest.skip(
                "real data not available: set OSA_DATA_MIRROR or run `osa-briefs data fetch`"
            )
        return fetch(source_id)

    return get


def _may_collect(session, folder: Path) -> bool:
    """Whether the session's arguments name ``folder``, a folder above it or a file in it."""
    for arg in session.config.args:
        path = Path(session.config.invocation_params.dir, arg.split("::")[0]).resolve()
        if path == folder or path in folder.parents or folder in path.parents:
            return True
    return False


def pytest_sessionstart(session):
    """Start the unit tests' slow shared results while pytest collects (:mod:`precomputed`).

    With ``OSA_REQUIRE_CHROMIUM`` set (CI), a missing Chromium fails instead of skipping.
    """
    from osa_analysis.build.pdf import find_chromium

    if os.environ.get("OSA_REQUIRE_CHROMIUM") and find_chromium() is None:
        raise pytest.UsageError("OSA_REQUIRE_CHROMIUM is set but no Chromium was found")
    if not session.config.option.collectonly and _may_collect(session, precomputed.UNIT):
        # stopped at the end of collection unless the selected tests need every result
        precomputed.start(Path(tempfile.mkdtemp(prefix="osa-precomputed-")))
