"""Warm kernels: briefs whose kernel is forked from the build's kernel server.

Uses the runner's synthetic notebook (``tests/fixtures/runner/brief_fixture.py``), whose
``summary.json`` records the kernel's parent process id. The server preloading what the real
brief imports is the session's (``kernel_server``, ``tests/conftest.py``). The briefs are
built by the functions registered with ``BUILDS``, in a process of their own while the other
tests run (``tests/brief_builds.py``); each test reads its build from ``builds``.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest
from brief_builds import Builds, ModuleBuilds, Registry

from osa_analysis.build import runner
from osa_analysis.build.params import BriefParams
from osa_analysis.build.warmkernel import KernelServer, request_kernel, startup_env_differences
from osa_analysis.core.config import PROJECT_ROOT

FIXTURE_NB = Path(__file__).parents[1] / "fixtures" / "runner" / "brief_fixture.py"
AS_OF = "2026-08-09"
pytestmark = pytest.mark.skipif(
    not runner.warm_kernels_supported(), reason="warm kernels need Linux"
)


def params_for(iso3: str, **changes) -> BriefParams:
    return BriefParams.from_mapping({"country_iso3": iso3, "as_of": AS_OF, **changes})


def build(params, reports, plot: bool = False, **kwargs):
    result = runner.run_brief(
        params,
        notebook=FIXTURE_NB,
        reports_dir=reports,
        render=False,
        force=True,
        extra_parameters={"plot": True} if plot else None,
        **kwargs,
    )
    record = json.loads(((result.path) / runner.RUN_FILE).read_text())
    return result, record


def server_env() -> dict[str, str]:
    """The environment a brief's kernel gets, without pytest's per-phase marker."""
    env = runner._child_env(params_for("PHL"))
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


BUILDS = Registry()


@pytest.fixture(scope="module")
def builds(brief_builds) -> ModuleBuilds:
    """The results of this module's ``BUILDS`` (tests/conftest.py, tests/brief_builds.py).

    They are built with the session's environment, so that kernels come from the session's
    server; the servers run_all starts preload only what the synthetic notebook imports.
    """
    return brief_builds("test_warmkernel")


def _plotting(b: Builds, kind: str, server: str | None):
    reports = b.root / kind
    return (reports, *build(params_for("TON"), reports, kernel_server=server, plot=True))


@BUILDS.job
def warm(b: Builds):
    return _plotting(b, "warm", b.server_address)


@BUILDS.job
def fresh(b: Builds):
    return _plotting(b, "fresh", None)


@BUILDS.job
def no_server(b: Builds):
    return build(params_for("PHL"), b.root / "none", kernel_server=str(b.root / "no-such-socket"))


@BUILDS.job
def refused(b: Builds):
    # a server whose kernels would start with another hash seed than the briefs' (it refuses
    # every request: nothing to preload)
    other = dict(server_env(), PYTHONHASHSEED="7")
    with KernelServer(other, PROJECT_ROOT, preload=()) as server:
        return build(params_for("PHL"), b.root / "ref", kernel_server=server.address)


def _built_all(b: Builds, warm: bool):
    reports = b.root / f"all-{warm}"
    results = runner.run_all(
        [params_for("BGD"), params_for("TON")],
        jobs=2,
        notebook=FIXTURE_NB,
        reports_dir=reports,
        render=False,
        index=False,
        warm_kernels=warm,
    )
    return reports, results


@BUILDS.job
def all_warm(b: Builds):
    return _built_all(b, True)


@BUILDS.job
def all_fresh(b: Builds):
    return _built_all(b, False)


def test_startup_env_differences_allow_only_what_is_read_at_use():
    base = {"PYTHONHASHSEED": "0", "PYTHONUNBUFFERED": "1", "LANG": "C.UTF-8"}
    allowed = dict(
        base, PYTHONUNBUFFERED="", OSA_DATA_DIR="/d", JPY_SESSION_NAME="x", SOURCE_DATE_EPOCH="1"
    )
    assert startup_env_differences(base, allowed) == []
    changed = dict(
        base, PYTHONHASHSEED="1", OMP_NUM_THREADS="2", PANDERA_VALIDATION_ENABLED="False"
    )
    del changed["LANG"]
    assert startup_env_differences(base, changed) == [
        "LANG",
        "OMP_NUM_THREADS",
        "PANDERA_VALIDATION_ENABLED",
        "PYTHONHASHSEED",
    ]


def test_a_warm_kernel_is_forked_by_the_server_and_gives_the_same_brief(builds, kernel_server):
    (warm_dir, warm, warm_record), (fresh_dir, fresh, fresh_record) = (
        builds["warm"],
        builds["fresh"],
    )
    assert (warm.status, fresh.status) == ("ok", "ok")
    assert (warm_record["kernel"], fresh_record["kernel"]) == ("warm", "fresh")
    warm_summary = json.loads((warm_dir / "TON" / "summary.json").read_text())
    fresh_summary = json.loads((fresh_dir / "TON" / "summary.json").read_text())
    assert warm_summary.pop("kernel_parent_pid") == kernel_server.pid
    assert fresh_summary.pop("kernel_parent_pid") != kernel_server.pid
    assert warm_summary == fresh_summary  # hash seed and signal dispositions included
    assert warm_summary["kernel_signals"]["SIGPIPE"] == str(signal.SIG_IGN)  # Python's default
    assert warm_summary["kernel_signals"]["SIGCHLD"] == str(signal.SIG_DFL)
    assert warm_summary["score"] == sum(map(ord, "TON")) * 5
    assert warm_summary["kernel_cwd"] == str(PROJECT_ROOT)


def test_pyplot_figures_display_in_warm_kernels_as_in_fresh_ones(builds):
    for kind in ("warm", "fresh"):  # the brief draws with pyplot in its work cell
        reports, result, record = builds[kind]
        assert (result.status, record["kernel"]) == ("ok", kind)
        nb = nbformat.read(reports / "TON" / "brief.ipynb", as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        assert any("image/png" in o.get("data", {}) for o in outputs), kind


def test_no_server_or_a_refusing_one_gives_a_fresh_kernel(builds):
    none, none_record = builds["no_server"]
    assert none.status == "ok"
    assert none_record["kernel"].startswith("fresh (FileNotFoundError")
    refused, refused_record = builds["refused"]
    assert refused.status == "ok"
    assert refused_record["kernel"] == (
        "fresh (RuntimeError: start-up environment differs: PYTHONHASHSEED)"
    )


def test_run_all_forks_warm_kernels_unless_told_not_to(builds):
    for name, expected in (("all_warm", "warm"), ("all_fresh", "fresh")):
        reports, results = builds[name]
        assert [r.status for r in results] == ["ok", "ok"]
        for iso3 in ("BGD", "TON"):
            record = json.loads((reports / iso3 / runner.RUN_FILE).read_text())
            assert record["kernel"] == expected
    # one server, for the warm build, asked to warm up with the first brief's parameters
    assert builds.warm_args == {"all_warm": [params_for("BGD").content_parameters()]}


def test_closing_the_server_stops_it_and_removes_its_socket():
    server = KernelServer(server_env(), PROJECT_ROOT)
    folder = Path(server.address).parent
    assert folder.is_dir()
    server.close()
    assert server._proc.returncode is not None
    assert not folder.exists()
    server.close()  # twice is harmless


def test_a_kernel_that_cannot_be_set_up_is_never_started(
    kernel_server, match_server_env, monkeypatch, tmp_path
):
    match_server_env(monkeypatch)  # the server would refuse another environment first
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "k.json")]
    with pytest.raises(RuntimeError, match="the kernel server gave no kernel"):
        request_kernel(kernel_server.address, argv, server_env(), str(tmp_path / "no-such-folder"))
    with pytest.raises(RuntimeError, match="not an ipykernel command"):
        request_kernel(
            kernel_server.address, [sys.executable, "-c", "1"], server_env(), str(tmp_path)
        )


@BUILDS.job(waits=True)
def orphaned(b: Builds) -> dict[str, Any]:
    """A server whose starter is killed (no clean-up runs); what is left of it after."""
    # Nothing to preload: the server soon waits for requests (or sees its starter gone).
    code = (
        "import os, time\n"
        "from pathlib import Path\n"
        "from osa_analysis.build.warmkernel import KernelServer\n"
        "server = KernelServer(dict(os.environ), Path.cwd(), preload=())\n"
        "print(server.pid, server.address, flush=True)\n"
        "time.sleep(600)\n"
    )
    starter = subprocess.Popen(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    pid, address = starter.stdout.readline().split()
    deadline = time.monotonic() + 20
    while not Path(address).exists() and time.monotonic() < deadline:  # the server listens
        time.sleep(0.02)
    listened = Path(address).exists()
    starter.kill()
    starter.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists() and not Path(address).parent.exists():
            break
        time.sleep(0.02)
    stat = Path(f"/proc/{pid}/stat")
    return {
        "listened": listened,
        "state": stat.read_text().rsplit(") ", 1)[1][0] if stat.exists() else None,
        "folder_left": Path(address).parent.exists(),
    }


def test_the_server_exits_when_the_process_that_started_it_dies(builds):
    orphaned = builds["orphaned"]
    assert orphaned["listened"]
    assert orphaned["state"] in (None, "Z")  # exited
    assert not orphaned["folder_left"]
