"""Shared test fixtures.

Unit tests read tiny hand-written fixtures under ``tests/fixtures/``. Integration tests
(marker ``mirror``) read the real files through :func:`osa_analysis.sources.fetch.fetch`; they skip
only when no mirror is configured and nothing is cached, and they **fail** when
``OSA_DATA_MIRROR`` is set but a file is missing or wrong.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from osa_analysis.build.execute import skip_slow_imports
from osa_analysis.core import config
from osa_analysis.sources.fetch import cached_path, fetch

# As the command line does: jsonschema (imported by nbformat) need not build the ~35 Lark
# parsers of rfc3987_syntax (about 1.5 s), which no notebook schema uses.
skip_slow_imports()

FIXTURES = Path(__file__).parent / "fixtures"
RUNNER_NOTEBOOK_PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "osa_analysis.build.params")
"""What the runner tests' synthetic brief (``tests/fixtures/runner/brief_fixture.py``)
imports: all a kernel server needs to preload for it."""


@pytest.fixture
def fixtures() -> Path:
    """Folder of the hand-written synthetic fixtures."""
    return FIXTURES


@pytest.fixture
def servers_without_data(monkeypatch) -> list:
    """Let the build's warm kernel servers skip the warm-up and the brief's imports.

    :func:`osa_analysis.build.runner.run_all` asks its server to load every table and
    compute the sections' shared results before it forks kernels (seconds of work on the
    mirror), and the server imports every module of the real brief first (seconds more);
    the synthetic runner notebook uses none of it. The servers started here preload what
    that notebook imports (:data:`RUNNER_NOTEBOOK_PRELOAD`) and nothing else. Returns the
    ``warm`` argument of each server started (the warm-up itself is tested on the mirror,
    ``tests/integration/test_warm_up_mirror.py``; kernels forked from a server holding the
    brief's own imports by ``tests/unit/test_warmkernel.py``, with :func:`kernel_server`).
    """
    return _use_servers_without_data(monkeypatch)


@pytest.fixture(scope="session")
def use_servers_without_data():
    """:func:`servers_without_data` for fixtures of a wider scope: a function of the
    ``MonkeyPatch`` to apply it with, returning the ``warm`` arguments list."""
    return _use_servers_without_data


def _use_servers_without_data(patch: pytest.MonkeyPatch) -> list:
    from osa_analysis.build import warmkernel

    warm_args: list = []

    class ServerWithoutData(warmkernel.KernelServer):
        def __init__(self, env, cwd, warm=None) -> None:
            warm_args.append(warm)
            super().__init__(env, cwd, preload=RUNNER_NOTEBOOK_PRELOAD)

    patch.setattr(warmkernel, "KernelServer", ServerWithoutData)
    return warm_args


_SESSION_SERVER: list = []  # the session's kernel server and this process's environment then


def _start_session_server():
    from osa_analysis.build import runner
    from osa_analysis.build.params import BriefParams
    from osa_analysis.build.warmkernel import KernelServer

    if not _SESSION_SERVER:
        base = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
        with pytest.MonkeyPatch.context() as patch:
            patch.delenv("PYTEST_CURRENT_TEST", raising=False)  # changes with every phase
            params = BriefParams.from_mapping({"country_iso3": "PHL", "as_of": "2026-08-09"})
            env = runner._child_env(params)  # any brief's: they differ in OSA_* only
        _SESSION_SERVER.extend([KernelServer(env, config.PROJECT_ROOT), base])
    return _SESSION_SERVER[0]


def pytest_collection_modifyitems(items) -> None:
    """Start the session's kernel server as soon as a collected test is known to need it.

    It imports the brief's libraries (seconds of CPU) in the background, on a core the
    tests before it mostly leave idle, instead of keeping its first test waiting.
    """
    from osa_analysis.build.runner import warm_kernels_supported

    if any("kernel_server" in getattr(item, "fixturenames", ()) for item in items):
        if warm_kernels_supported():
            _start_session_server()


def pytest_sessionfinish() -> None:
    """Stop the session's kernel server, if one was started."""
    if _SESSION_SERVER:
        _SESSION_SERVER[0].close()
        _SESSION_SERVER.clear()


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
    """Return a function giving this process, while the ``MonkeyPatch`` it is passed lasts,
    the environment it had when :func:`kernel_server` started, so that the briefs it runs
    have the server's start-up environment.

    Without it the server refuses them (and they run fresh kernels): pytest changes
    ``PYTEST_CURRENT_TEST`` with every test phase, and the tests run meanwhile may have set
    variables (libraries set some when first imported, e.g. netCDF4's ``HDF5_PLUGIN_PATH``).
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


def pytest_sessionstart(session):
    """With ``OSA_REQUIRE_CHROMIUM`` set (CI), a missing Chromium fails instead of skipping."""
    from osa_analysis.build.pdf import find_chromium

    if os.environ.get("OSA_REQUIRE_CHROMIUM") and find_chromium() is None:
        raise pytest.UsageError("OSA_REQUIRE_CHROMIUM is set but no Chromium was found")
