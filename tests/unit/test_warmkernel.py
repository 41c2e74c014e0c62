"""Warm kernels: briefs whose kernel is forked from the build's kernel server.

Uses the runner's synthetic notebook (``tests/fixtures/runner/brief_fixture.py``), whose
``summary.json`` records the kernel's parent process id.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

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


def build(params, reports, **kwargs):
    result = runner.run_brief(
        params, notebook=FIXTURE_NB, reports_dir=reports, render=False, force=True, **kwargs
    )
    record = json.loads(((result.path) / runner.RUN_FILE).read_text())
    return result, record


def server_env() -> dict[str, str]:
    """The environment a brief's kernel gets, without pytest's per-phase marker."""
    env = runner._child_env(params_for("PHL"))
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


@pytest.fixture(scope="module")
def server():
    with KernelServer(server_env(), PROJECT_ROOT) as running:
        yield running


def steady_env(monkeypatch) -> None:
    """Drop PYTEST_CURRENT_TEST, which pytest changes per phase (a server refuses on it)."""
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)


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


def test_a_warm_kernel_is_forked_by_the_server_and_gives_the_same_brief(
    server, monkeypatch, tmp_path
):
    steady_env(monkeypatch)
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


def test_no_server_or_a_refusing_one_gives_a_fresh_kernel(monkeypatch, tmp_path):
    steady_env(monkeypatch)
    result, record = build(
        params_for("PHL"), tmp_path / "none", kernel_server=str(tmp_path / "no-such-socket")
    )
    assert result.status == "ok"
    assert record["kernel"].startswith("fresh (FileNotFoundError")
    other = dict(server_env(), PYTHONHASHSEED="7")
    with KernelServer(other, PROJECT_ROOT) as refusing:
        result, record = build(params_for("PHL"), tmp_path / "ref", kernel_server=refusing.address)
    assert result.status == "ok"
    assert record["kernel"] == (
        "fresh (RuntimeError: start-up environment differs: PYTHONHASHSEED)"
    )


def test_run_all_forks_warm_kernels_unless_told_not_to(tmp_path, servers_without_data):
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
    # one server, for the warm build, asked to warm up with the first brief's parameters
    assert servers_without_data == [params_for("BGD").content_parameters()]


def test_closing_the_server_stops_it_and_removes_its_socket():
    server = KernelServer(server_env(), PROJECT_ROOT)
    folder = Path(server.address).parent
    assert folder.is_dir()
    server.close()
    assert server._proc.returncode is not None
    assert not folder.exists()
    server.close()  # twice is harmless


def test_pyplot_figures_display_in_warm_kernels_as_in_fresh_ones(server, monkeypatch, tmp_path):
    steady_env(monkeypatch)
    for kind, address in (("warm", server.address), ("fresh", None)):
        reports = tmp_path / kind
        result, record = build(
            params_for("TON"), reports, kernel_server=address, extra_parameters={"plot": True}
        )
        assert (result.status, record["kernel"]) == ("ok", kind)
        nb = nbformat.read(reports / "TON" / "brief.ipynb", as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        assert any("image/png" in o.get("data", {}) for o in outputs), kind


def test_a_kernel_that_cannot_be_set_up_is_never_started(server, monkeypatch, tmp_path):
    steady_env(monkeypatch)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "k.json")]
    with pytest.raises(RuntimeError, match="the kernel server gave no kernel"):
        request_kernel(server.address, argv, server_env(), str(tmp_path / "no-such-folder"))
    with pytest.raises(RuntimeError, match="not an ipykernel command"):
        request_kernel(server.address, [sys.executable, "-c", "1"], server_env(), str(tmp_path))


def test_the_server_exits_when_the_process_that_started_it_dies(tmp_path):
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from osa_analysis.build.warmkernel import KernelServer\n"
        "server = KernelServer({**__import__('os').environ}, Path.cwd())\n"
        "print(server.pid, server.address, flush=True)\n"
        "time.sleep(600)\n"
    )
    starter = subprocess.Popen(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    pid, address = starter.stdout.readline().split()
    for _ in range(100):  # wait for the server to listen
        if Path(address).exists():
            break
        time.sleep(0.1)
    starter.kill()  # no clean-up runs
    starter.wait()
    for _ in range(100):
        if not Path(f"/proc/{pid}").exists() and not Path(address).parent.exists():
            break
        time.sleep(0.1)
    stat = Path(f"/proc/{pid}/stat")
    assert not stat.exists() or stat.read_text().rsplit(") ", 1)[1][0] == "Z"  # exited
    assert not Path(address).parent.exists()
