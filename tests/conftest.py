"""Shared test fixtures.

Unit tests read tiny hand-written fixtures under ``tests/fixtures/``. Integration tests
(marker ``mirror``) read the real files through :func:`osa_analysis.sources.fetch.fetch`; they skip
only when no mirror is configured and nothing is cached, and they **fail** when
``OSA_DATA_MIRROR`` is set but a file is missing or wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from osa_analysis.core import config
from osa_analysis.sources.fetch import cached_path, fetch

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    """Folder of the hand-written synthetic fixtures."""
    return FIXTURES


@pytest.fixture
def servers_without_data(monkeypatch) -> list:
    """Let the build's warm kernel servers skip the warm-up on the real data.

    :func:`osa_analysis.build.runner.run_all` asks its server to load every table and
    compute the sections' shared results before it forks kernels (seconds of work on the
    mirror), which the synthetic runner notebook never uses; the servers started here
    preload the brief's modules only. Returns the ``warm`` argument of each server started
    (the warm-up itself is tested on the mirror, ``tests/integration/test_warm_up_mirror.py``).
    """
    from osa_analysis.build import warmkernel

    warm_args: list = []

    class ServerWithoutData(warmkernel.KernelServer):
        def __init__(self, env, cwd, warm=None) -> None:
            warm_args.append(warm)
            super().__init__(env, cwd)

    monkeypatch.setattr(warmkernel, "KernelServer", ServerWithoutData)
    return warm_args


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
    import os

    from osa_analysis.build.pdf import find_chromium

    if os.environ.get("OSA_REQUIRE_CHROMIUM") and find_chromium() is None:
        raise pytest.UsageError("OSA_REQUIRE_CHROMIUM is set but no Chromium was found")
