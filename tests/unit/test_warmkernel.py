"""Warm kernels: briefs whose kernel is forked from the build's kernel server.

Uses the runner's synthetic notebook (``tests/fixtures/runner/brief_fixture.py``), whose
``summary.json`` records the kernel's parent process id.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from osa_analysis import runner
from osa_analysis.config import PROJECT_ROOT
from osa_analysis.params import BriefParams
from osa_analysis.warmkernel import KernelServer, startup_env_differences

FIXTURE_NB = Path(__file__).parents[1] / "fixtures" / "runner" / "brief_fixture.py"
AS_OF = "2026-08-09"
pytestmark = pytest.mark.skipif(
    not runner.warm_kernels_supported(), reason="warm kernels need Linux"
)


def params_for(iso3: str, **changes) -> BriefParams:
    return BriefParams.from_mapping({"country_iso3": iso3, "as_of": AS_OF, **changes})


def build(params, reports, **kwargs):
    result = runner.run_brief(
        params, notebook=FIXTURE_NB, reports_dir=reports, render=False, force=True, **kwargs
    )
    record = json.loads(((result.path) / runner.RUN_FILE).read_text())
    return result, record


@pytest.fixture(scope="module")
def server():
    with KernelServer(runner._child_env(params_for("PHL")), PROJECT_ROOT) as running:
        yield running


def test_startup_env_differences_name_what_a_fork_cannot_change():
    base = {"PYTHONHASHSEED": "0", "PYTHONUNBUFFERED": "1", "HOME": "/root"}
    assert startup_env_differences(base, dict(base, HOME="/tmp", PYTHONUNBUFFERED="")) == []
    changed = dict(base, PYTHONHASHSEED="1", OMP_NUM_THREADS="2", PYTHONPATH="/x")
    assert startup_env_differences(base, changed) == [
        "OMP_NUM_THREADS",
        "PYTHONHASHSEED",
        "PYTHONPATH",
    ]


def test_a_warm_kernel_is_forked_by_the_server_and_gives_the_same_brief(server, tmp_path):
    warm, warm_record = build(params_for("FJI"), tmp_path / "warm", kernel_server=server.address)
    fresh, fresh_record = build(params_for("FJI"), tmp_path / "fresh")
    assert (warm.status, fresh.status) == ("ok", "ok")
    assert (warm_record["kernel"], fresh_record["kernel"]) == ("warm", "fresh")
    warm_summary = json.loads((tmp_path / "warm" / "FJI" / "summary.json").read_text())
    fresh_summary = json.loads((tmp_path / "fresh" / "FJI" / "summary.json").read_text())
    assert warm_summary.pop("kernel_parent_pid") == server.pid
    assert fresh_summary.pop("kernel_parent_pid") != server.pid
    assert warm_summary == fresh_summary  # hash seed and signal dispositions included
    assert warm_summary["kernel_signals"]["SIGPIPE"] == str(signal.SIG_IGN)  # Python's default
    assert warm_summary["kernel_signals"]["SIGCHLD"] == str(signal.SIG_DFL)
    assert warm_summary["score"] == sum(map(ord, "FJI")) * 5
    assert warm_summary["kernel_cwd"] == str(PROJECT_ROOT)


def test_no_server_or_a_refusing_one_gives_a_fresh_kernel(tmp_path):
    result, record = build(
        params_for("PHL"), tmp_path / "none", kernel_server=str(tmp_path / "no-such-socket")
    )
    assert result.status == "ok"
    assert record["kernel"].startswith("fresh (FileNotFoundError")
    other = dict(runner._child_env(params_for("PHL")), PYTHONHASHSEED="7")
    with KernelServer(other, PROJECT_ROOT) as refusing:
        result, record = build(params_for("PHL"), tmp_path / "ref", kernel_server=refusing.address)
    assert result.status == "ok"
    assert record["kernel"] == (
        "fresh (RuntimeError: start-up environment differs: PYTHONHASHSEED)"
    )


def test_a_warm_kernel_ends_with_its_run_on_timeout(server, tmp_path):
    pid_file = tmp_path / "kernel.pid"
    result = runner.run_brief(
        params_for("MYS"),
        notebook=FIXTURE_NB,
        reports_dir=tmp_path / "reports",
        render=False,
        run_timeout_s=10,
        extra_parameters={"sleep_s": 600.0, "pid_file": str(pid_file)},
        kernel_server=server.address,
    )
    assert result.error["ename"] == "RunTimeoutError"
    kernel_pid = int(pid_file.read_text())
    for _ in range(50):  # the kernel watches the papermill process (each second)
        if not Path(f"/proc/{kernel_pid}").exists():
            break
        time.sleep(0.2)
    assert not Path(f"/proc/{kernel_pid}").exists()


def test_run_all_forks_warm_kernels_unless_told_not_to(tmp_path):
    for warm, expected in ((True, "warm"), (False, "fresh")):
        reports = tmp_path / expected
        results = runner.run_all(
            [params_for("BGD"), params_for("TON")],
            jobs=2,
            notebook=FIXTURE_NB,
            reports_dir=reports,
            render=False,
            index=False,
            warm_kernels=warm,
        )
        assert [r.status for r in results] == ["ok", "ok"]
        for iso3 in ("BGD", "TON"):
            record = json.loads((reports / iso3 / runner.RUN_FILE).read_text())
            assert record["kernel"] == expected


def test_closing_the_server_stops_it_and_removes_its_socket():
    server = KernelServer(runner._child_env(params_for("PHL")), PROJECT_ROOT)
    folder = Path(server.address).parent
    assert folder.is_dir()
    server.close()
    assert server._proc.returncode is not None
    assert not folder.exists()
    server.close()  # twice is harmless
