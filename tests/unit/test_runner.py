"""The brief runner on a synthetic notebook: run key, publish, skip, failures, executors, CLI.

``tests/fixtures/runner/brief_fixture.py`` has the brief's parameters cell plus test-only
parameters (``fail``, ``fail_for``, ``sleep_s``, ``pid_file``, ``stop_early``) and writes a
``summary.json`` whose ``score`` is ``sum(ord(c) for c in ISO3) * lookback_years``. Rendering
is either off (``render=False``) or replaced by stub modules, so these tests do not depend on
:mod:`osa_analysis.build.render` and :mod:`osa_analysis.build.pdf`.

Most briefs the tests check are built by the functions registered with ``BUILDS``, in a
process of their own while the other tests run (``tests/brief_builds.py``); each test reads
its build from the ``builds`` fixture.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from brief_builds import Builds, ModuleBuilds, Registry

from osa_analysis.build import catalog, cli, execute, keys, runner
from osa_analysis.build.params import BriefParams
from osa_analysis.core.config import PROJECT_ROOT
from osa_analysis.sources.registry import registry

FIXTURE_NB = Path(__file__).parents[1] / "fixtures" / "runner" / "brief_fixture.py"
AS_OF = "2026-08-09"
RUN_JSON_KEYS = {
    "country_iso3",
    "as_of",
    "status",
    "run_key",
    "started_utc",
    "finished_utc",
    "duration_s",
    "package_version",
    "git_commit",
    "params",
    "inputs",
    "vintages",
    "pinned",
    "kernel",
    "error",
    "files",
    "sha256",
}
WORK_CELL = 4  # source index of the fixture's work cell (title, parameters, setup, heading, work)


REAL_PACKAGE_DIGEST = keys.package_digest
pytestmark = pytest.mark.usefixtures("servers_without_data")  # tests/conftest.py
BUILDS = Registry()


@pytest.fixture(scope="module")
def builds(brief_builds) -> Iterator[ModuleBuilds]:
    """The results of this module's ``BUILDS`` (tests/conftest.py, tests/brief_builds.py).

    From here on the package digest is frozen at the one the builds used, so that edits to
    the package made while the tests run (another window) do not invalidate their briefs.
    """
    results = brief_builds("test_runner")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keys, "package_digest", lambda: results.package_digest)
        yield results


def params_for(iso3: str, **changes) -> BriefParams:
    return BriefParams.from_mapping({"country_iso3": iso3, "as_of": AS_OF, **changes})


def score(iso3: str, lookback_years: int = 5) -> int:
    return sum(ord(c) for c in iso3) * lookback_years


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


# A run limit must leave the kernel time to start and reach the work cell, which then hangs
# (about 1.5 s for a fresh kernel here, more while other builds run): a run killed before that
# proves nothing, so the limit doubles until the kernel has written its pid from that cell.
RUN_LIMITS_S = (5, 10, 20, 40)


def _hanging_run(folder: Path, server: str | None) -> dict[str, Any]:
    """Run a brief whose work cell hangs until the run limit; return what the test checks.

    ``result``, ``limit_s`` (the run limit that let the kernel reach the work cell), the
    kernel's ``pid`` and ``parent``, and ``gone``: whether the kernel had exited within 20 s
    of the kill (it notices the papermill child is gone: a warm one at once, a fresh one
    within a second).
    """
    for limit in RUN_LIMITS_S:
        pid_file = folder / f"kernel-{limit}.pid"
        result = runner.run_brief(
            params_for("MYS"),
            notebook=FIXTURE_NB,
            reports_dir=folder / f"reports-{limit}",
            render=False,
            run_timeout_s=limit,
            extra_parameters={"sleep_s": 600.0, "pid_file": str(pid_file)},
            kernel_server=server,
        )
        pids = pid_file.read_text().split() if pid_file.exists() else []
        if len(pids) == 2:  # the kernel reached the work cell
            pid, parent = map(int, pids)
            deadline = time.monotonic() + 20
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            gone = not Path(f"/proc/{pid}").exists()
            return {"result": result, "limit_s": limit, "pid": pid, "parent": parent, "gone": gone}
    raise AssertionError(f"the kernel never reached the work cell in {RUN_LIMITS_S[-1]} s")


# --- the builds (made by tests/brief_builds.py, checked by the tests below) -----------------


@BUILDS.job
def phl_brief(b: Builds) -> tuple[Path, runner.RunResult]:
    reports = b.root / "built"
    result = runner.run_brief(
        params_for("PHL"), notebook=FIXTURE_NB, reports_dir=reports, render=False
    )
    return reports, result


@BUILDS.job
def isolated(b: Builds) -> tuple[Path, list, list]:
    reports, seen = b.root / "isolated", []
    results = runner.run_all(
        [params_for("PHL"), params_for("FJI")],
        jobs=2,
        progress=seen.append,
        notebook=FIXTURE_NB,
        reports_dir=reports,
        render=False,
        extra_parameters={"fail_for": "FJI"},
        index=False,
    )
    return reports, results, seen


@BUILDS.job
def pooled(b: Builds) -> tuple[Path, list, int]:
    import multiprocessing

    reports = b.root / "pooled"
    context = multiprocessing.get_context("spawn")
    # fresh interpreters, set up as a program running briefs would set its workers up
    pool = cf.ProcessPoolExecutor(2, mp_context=context, initializer=runner.skip_slow_imports)
    with pool:
        results = runner.run_all(
            [params_for("BGD", lookback_years=2), params_for("TON", lookback_years=3)],
            executor=pool,
            notebook=FIXTURE_NB,
            reports_dir=reports,
            render=False,
        )
        still_usable = pool.submit(abs, -42).result()
    return reports, results, still_usable


@BUILDS.job
def exited(b: Builds) -> tuple[Path, runner.RunResult]:
    reports = b.root / "exited"
    result = runner.run_brief(
        params_for("BGD"),
        notebook=FIXTURE_NB,
        reports_dir=reports,
        render=False,
        extra_parameters={"stop_early": True},
    )
    return reports, result


@BUILDS.job
def no_summary(b: Builds) -> tuple[Path, runner.RunResult]:
    text = FIXTURE_NB.read_text()
    notebook = b.root / "no_summary.py"
    notebook.write_text(text[: text.rindex("# %%")])
    reports = b.root / "no_summary"
    result = runner.run_brief(
        params_for("BGD"), notebook=notebook, reports_dir=reports, render=False
    )
    return reports, result


def _copy_of_built(b: Builds, name: str) -> Path:
    copy = b.root / name
    shutil.copytree(b.result("phl_brief")[0], copy)
    return copy


@BUILDS.job
def rerendered(b: Builds) -> tuple[Path, dict, runner.RunResult]:
    copy = _copy_of_built(b, "rerendered")
    first = json.loads((copy / "PHL" / "run.json").read_text())
    result = runner.run_brief(params_for("PHL"), notebook=FIXTURE_NB, reports_dir=copy)
    return copy, first, result


@BUILDS.job
def failed(b: Builds) -> tuple[Path, dict, runner.RunResult]:
    copy = _copy_of_built(b, "failed")
    before = snapshot(copy / "PHL")
    result = runner.run_brief(
        params_for("PHL"),
        notebook=FIXTURE_NB,
        reports_dir=copy,
        force=True,
        extra_parameters={"fail": True},
    )
    return copy, before, result


@BUILDS.job
def older(b: Builds) -> tuple[Path, dict, runner.RunResult, dict, runner.RunResult]:
    copy = _copy_of_built(b, "older")
    before = _published_files(copy / "PHL")
    params = params_for("PHL", as_of="2026-01-31")
    result = runner.run_brief(params, notebook=FIXTURE_NB, reports_dir=copy, render=False)
    now = _published_files(copy / "PHL")
    again = runner.run_brief(params, notebook=FIXTURE_NB, reports_dir=copy, render=False)
    return copy, before, result, now, again


def _published_files(country: Path) -> dict[str, bytes]:
    """The files of a country's published brief (its history left out)."""
    return {n: b for n, b in snapshot(country).items() if not n.startswith("history/")}


@BUILDS.job(waits=True)
def hanging_fresh(b: Builds) -> dict[str, Any]:
    return _hanging_run(b.root / "hanging-fresh", None)


@BUILDS.job(waits=True)
def hanging_warm(b: Builds) -> dict[str, Any] | None:
    # a warm kernel is not the papermill child's own child
    return _hanging_run(b.root / "hanging-warm", b.server_address) if b.server_address else None


@pytest.fixture(scope="module")
def built(builds) -> tuple[Path, runner.RunResult]:
    """One successful PHL build (no rendering), shared read-only by several tests."""
    return builds["phl_brief"]


@pytest.fixture
def reports_copy(built, tmp_path) -> Path:
    """A private copy of the built reports folder, for tests that change it."""
    reports, _ = built
    copy = tmp_path / "reports"
    shutil.copytree(reports, copy)
    return copy


# --- run key ----------------------------------------------------------------------------------


def test_run_key_is_stable_and_ignores_paths(tmp_path):
    base = params_for("PHL")
    key = runner.run_key(base, FIXTURE_NB)
    assert len(key) == 64 and int(key, 16) >= 0
    assert runner.run_key(base, FIXTURE_NB) == key
    assert runner.run_key(base, FIXTURE_NB, inputs=runner.input_digests()) == key
    moved = base.replace(
        output_dir=tmp_path / "out", data_dir=tmp_path / "raw", cache_dir=tmp_path / "c"
    )
    assert runner.run_key(moved, FIXTURE_NB) == key
    same_text = tmp_path / "copy.py"
    same_text.write_bytes(FIXTURE_NB.read_bytes())
    assert runner.run_key(base, same_text) == key


@pytest.mark.parametrize(
    "changes",
    [
        {"lookback_years": 4},
        {"as_of": "2026-08-08"},
        {"peers": ["FJI"]},
        {"mc_draws": 10},
        {"country_iso3": "FJI"},
    ],
)
def test_run_key_changes_with_params(changes):
    base = params_for("PHL")
    assert runner.run_key(base.replace(**changes), FIXTURE_NB) != runner.run_key(base, FIXTURE_NB)


def test_run_key_changes_with_notebook_inputs_and_extra_parameters(tmp_path):
    base = params_for("PHL")
    inputs = runner.input_digests()
    key = runner.run_key(base, FIXTURE_NB, inputs=inputs)
    edited = tmp_path / "edited.py"
    edited.write_text(FIXTURE_NB.read_text() + "\n# %%\nprint('one more cell')\n")
    assert runner.run_key(base, edited, inputs=inputs) != key
    changed = dict(inputs, wgi="0" * 64)
    assert runner.run_key(base, FIXTURE_NB, inputs=changed) != key
    assert runner.run_key(base, FIXTURE_NB, inputs=inputs, extra_parameters={"fail": True}) != key


def test_run_key_changes_with_package_source(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "module.py").write_text("x = 1\n")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"ignored")
    monkeypatch.setattr(keys, "PACKAGE_DIR", package)
    monkeypatch.setattr(keys, "package_digest", REAL_PACKAGE_DIGEST)
    inputs = {"wgi": "a" * 64}
    key = runner.run_key(params_for("PHL"), FIXTURE_NB, inputs=inputs)
    (package / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"still ignored")
    assert runner.run_key(params_for("PHL"), FIXTURE_NB, inputs=inputs) == key
    (package / "module.py").write_text("x = 2\n")
    assert runner.run_key(params_for("PHL"), FIXTURE_NB, inputs=inputs) != key


def test_input_digests_cover_registry_and_curated_files():
    inputs = runner.input_digests()
    for sid, source in registry().items():
        assert inputs[sid] == source.sha256
    for name in (
        "data/sources.yaml",
        "data/recipients/countries.yaml",
        "data/recipients/osa_projects.csv",
    ):
        assert len(inputs[name]) == 64


def test_ipynb_digest_ignores_outputs(tmp_path):
    cell = nbformat.v4.new_code_cell("print(1)")
    plain = nbformat.v4.new_notebook(cells=[cell])
    executed = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "print(1)",
                execution_count=7,
                outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")],
            )
        ]
    )
    nbformat.write(plain, tmp_path / "a.ipynb")
    nbformat.write(executed, tmp_path / "b.ipynb")
    assert runner.notebook_digest(tmp_path / "a.ipynb") == runner.notebook_digest(
        tmp_path / "b.ipynb"
    )


# --- parameters and completeness (no kernel) --------------------------------------------------


def test_declared_parameters_read_annotated_cells():
    import jupytext

    declared = runner.declared_parameters(jupytext.read(FIXTURE_NB))
    assert declared[:10] == list(BriefParams.field_names())
    assert declared[10:] == ["fail", "fail_for", "sleep_s", "pid_file", "stop_early", "plot"]


def test_select_parameters_drops_undeclared_defaults_and_refuses_others():
    params = params_for("PHL")
    values = params.to_notebook_parameters()
    defaults = BriefParams("PHL", as_of=AS_OF).to_notebook_parameters()
    declared = [n for n in values if n != "mc_draws"]  # a notebook older than mc_draws
    chosen = runner.select_parameters(declared, values, defaults)
    assert chosen == {k: v for k, v in values.items() if k != "mc_draws"}
    changed = params.replace(mc_draws=50).to_notebook_parameters()
    with pytest.raises(runner.RunnerError, match=r"does not declare parameter\(s\) \['mc_draws'\]"):
        runner.select_parameters(declared, changed, defaults)
    with pytest.raises(runner.RunnerError, match=r"\['fail'\]"):
        runner.select_parameters(declared, values, defaults, {"fail": True})
    with pytest.raises(runner.RunnerError, match="is a BriefParams field"):
        runner.select_parameters(declared, values, defaults, {"lookback_years": 3})


def test_prepare_notebook_writes_the_ipynb_papermill_runs_and_converts_once(tmp_path):
    import jupytext

    execute._notebook_json.cache_clear()
    declared = runner.prepare_notebook(FIXTURE_NB, tmp_path / "a.ipynb")
    assert declared == runner.declared_parameters(jupytext.read(FIXTURE_NB))
    nb = nbformat.read(tmp_path / "a.ipynb", as_version=4)
    assert nb.metadata["kernelspec"]["name"] == runner.KERNEL_NAME == "python3"
    assert [c.source for c in nb.cells] == [c.source for c in jupytext.read(FIXTURE_NB).cells]
    runner.prepare_notebook(FIXTURE_NB, tmp_path / "b.ipynb")
    assert (tmp_path / "b.ipynb").read_bytes() == (tmp_path / "a.ipynb").read_bytes()
    info = execute._notebook_json.cache_info()
    assert (info.hits, info.misses) == (1, 1)


def test_prepare_notebook_refuses_a_notebook_without_parameters_cell(tmp_path):
    source = tmp_path / "plain.py"
    source.write_text("# %%\nx = 1\n", encoding="utf-8")
    with pytest.raises(runner.RunnerError, match="exactly one cell tagged 'parameters', not 0"):
        runner.prepare_notebook(source, tmp_path / "plain.ipynb")


@pytest.mark.parametrize(
    ("jobs", "cpus", "threads"), [(2, 2, 1), (1, 8, 8), (3, 8, 2), (16, 2, 1), (0, 4, 4)]
)
def test_threads_per_job_share_the_cpus(jobs, cpus, threads):
    assert runner.threads_per_job(jobs, cpus) == threads


def test_child_env_caps_numerical_threads_unless_the_caller_set_them(monkeypatch):
    for name in runner.THREAD_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    env = runner._child_env(params_for("PHL"), threads=1)
    assert env["OMP_NUM_THREADS"] == env["MKL_NUM_THREADS"] == "1"
    assert env["OPENBLAS_NUM_THREADS"] == "3"
    unlimited = runner._child_env(params_for("PHL"))
    assert "OMP_NUM_THREADS" not in unlimited
    assert unlimited["OPENBLAS_NUM_THREADS"] == "3"


def _executed(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def _code(source, count=1, outputs=(), tags=()):
    cell = nbformat.v4.new_code_cell(source, execution_count=count, outputs=list(outputs))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def test_check_complete(tmp_path):
    (tmp_path / "summary.json").write_text('{"a": 1}')
    ok = _executed(
        nbformat.v4.new_markdown_cell("# title"),
        _code("x = 1"),
        _code("   ", count=None),
        _code("skipped()", count=None, tags=["skip-execution"]),
    )
    assert runner.check_complete(ok, tmp_path) is None

    stopped = _executed(_code("x = 1"), _code("y = 2", count=None))
    error = runner.check_complete(stopped, tmp_path)
    assert error["ename"] == "IncompleteBriefError" and error["cell_index"] == 1
    assert "code cell(s) [1] did not run" in error["evalue"]

    exit_output = nbformat.v4.new_output("error", ename="SystemExit", evalue="0", traceback=[])
    exited = _executed(_code("x = 1"), _code("sys.exit(0)", outputs=[exit_output]))
    error = runner.check_complete(exited, tmp_path)
    assert (error["ename"], error["cell_index"]) == ("SystemExit", 1)

    (tmp_path / "summary.json").write_text("{not json")
    assert "not valid JSON" in runner.check_complete(ok, tmp_path)["evalue"]
    (tmp_path / "summary.json").unlink()
    assert runner.check_complete(ok, tmp_path)["evalue"] == "the notebook wrote no summary.json"


def test_locate_failure_skips_papermill_cells():
    injected = _code("country_iso3 = 'PHL'", tags=["injected-parameters"])
    banner = nbformat.v4.new_markdown_cell("An Exception was encountered")
    banner.metadata["tags"] = ["papermill-error-cell-tag"]
    boom = nbformat.v4.new_output("error", ename="ValueError", evalue="boom", traceback=[])
    nb = _executed(
        banner, _code("p = 1", tags=["parameters"]), injected, _code("f()", outputs=[boom])
    )
    assert runner.locate_failure(nb) == 1
    running = _code("slow()", count=None)
    running.metadata["papermill"] = {"status": "running"}
    assert runner.locate_failure(_executed(_code("a = 1"), running)) == 1


# --- one brief --------------------------------------------------------------------------------


def test_run_publishes_latest_history_and_run_json(built):
    reports, result = built
    country = reports / "PHL"
    assert result.status == "ok", result.error
    assert result.path == country
    assert result.files == {"ipynb": "brief.ipynb", "summary": "summary.json"}

    summary = json.loads((country / "summary.json").read_text())
    assert summary["country_iso3"] == "PHL"
    assert summary["as_of"] == AS_OF
    assert summary["peers"] == ["BGD", "FJI", "MYS", "PHL"]
    assert summary["score"] == score("PHL") == 1140
    # The kernel is this environment's Python, started in the project root.
    assert summary["kernel_prefix"] == sys.prefix
    assert summary["kernel_cwd"] == str(PROJECT_ROOT)

    record = json.loads((country / "run.json").read_text())
    assert set(record) == RUN_JSON_KEYS
    assert record["status"] == "ok" and record["error"] is None
    assert record["run_key"] == result.run_key == runner.run_key(params_for("PHL"), FIXTURE_NB)
    assert record["country_iso3"] == "PHL" and record["as_of"] == AS_OF
    assert record["params"] == params_for("PHL").content_parameters()
    assert record["inputs"] == runner.input_digests()
    assert record["vintages"] == keys.vintages_in_use() and record["pinned"] is False
    assert record["files"] == result.files
    started = dt.datetime.strptime(record["started_utc"], "%Y-%m-%dT%H:%M:%SZ")
    finished = dt.datetime.strptime(record["finished_utc"], "%Y-%m-%dT%H:%M:%SZ")
    assert started <= finished and record["duration_s"] > 0

    executed = nbformat.read(country / "brief.ipynb", as_version=4)
    tags = [c.metadata.get("tags", []) for c in executed.cells]
    assert ["injected-parameters"] in tags
    assert all(c.execution_count for c in executed.cells if c.cell_type == "code")

    history = country / "history" / f"{AS_OF}--{result.run_key[:12]}"
    assert sorted(p.name for p in (country / "history").iterdir()) == [history.name]
    published = {n: b for n, b in snapshot(country).items() if not n.startswith("history/")}
    assert snapshot(history) == published
    assert (country / "run.json").stat().st_mode & 0o777 == 0o644
    assert not (reports / "_failed").exists()
    assert list((reports / ".staging").iterdir()) == []


def test_second_run_with_nothing_changed_is_skipped(built):
    reports, first = built
    before = snapshot(reports / "PHL")
    again = runner.run_brief(
        params_for("PHL"), notebook=FIXTURE_NB, reports_dir=reports, render=False
    )
    assert again.status == "skipped"
    assert again.run_key == first.run_key and again.path == reports / "PHL"
    assert snapshot(reports / "PHL") == before


def test_rendering_is_required_to_skip_and_the_rerun_renders(builds):
    # The built brief has no HTML, so a run that renders does not skip it.
    reports, first, result = builds["rerendered"]
    country = reports / "PHL"
    assert result.status == "ok", result.error
    assert result.files == {
        "ipynb": "brief.ipynb",
        "html": "brief.html",
        "html_ja": "brief.ja.html",  # the Japanese edition, from the same executed notebook
        "summary": "summary.json",
    }
    assert builds.renders[reports.resolve()] == [
        ("html", "brief.ipynb", True),
        ("pdf", "brief.html"),
        ("html", "brief.ipynb", True, "ja"),
        ("pdf", "brief.ja.html"),
    ]
    assert (country / "brief.html").read_text() == "<html>brief hide_code=True</html>"
    record = json.loads((country / "run.json").read_text())
    assert record["run_key"] == first["run_key"]
    assert record["files"]["html"] == "brief.html"
    # Same key: the history folder is replaced, not duplicated.
    history = sorted((country / "history").iterdir())
    assert [h.name for h in history] == [f"{AS_OF}--{first['run_key'][:12]}"]
    assert (history[0] / "brief.html").is_file()


def test_a_published_file_changed_by_hand_is_not_up_to_date(reports_copy):
    record = json.loads((reports_copy / "PHL" / "run.json").read_text())
    assert record["sha256"] == {
        name: hashlib.sha256((reports_copy / "PHL" / name).read_bytes()).hexdigest()
        for name in record["files"].values()
    }
    key = record["run_key"]
    assert keys._up_to_date(reports_copy / "PHL", key, render=False) == record
    summary = reports_copy / "PHL" / "summary.json"
    text = summary.read_text()
    summary.write_text(text.replace('"score": 1140', '"score": 1141'))  # same size
    assert len(summary.read_text()) == len(text)
    assert keys._up_to_date(reports_copy / "PHL", key, render=False) is None
    del record["sha256"]  # a record without hashes proves nothing either
    summary.write_text(text)
    (reports_copy / "PHL" / "run.json").write_text(json.dumps(record))
    assert keys._up_to_date(reports_copy / "PHL", key, render=False) is None


def test_an_older_brief_never_replaces_a_newer_published_one(builds):
    reports, before, result, now, again = builds["older"]
    assert result.status == "ok", result.error
    assert result.path == reports / "PHL" / "history" / f"2026-01-31--{result.run_key[:12]}"
    assert json.loads((result.path / "summary.json").read_text())["as_of"] == "2026-01-31"
    assert now == before  # the published brief is still the one of 2026-08-09
    assert (again.status, again.path) == ("skipped", result.path)


def test_a_full_disk_while_publishing_keeps_the_brief_and_records_the_failure(
    reports_copy, monkeypatch
):
    from osa_analysis.build import publish

    before = snapshot(reports_copy / "PHL")

    def full(step):
        if step == "history":
            raise OSError(28, "No space left on device", str(reports_copy / "PHL"))

    monkeypatch.setattr(publish, "FAULT_HOOK", full)
    result = runner.run_brief(
        params_for("PHL", lookback_years=3), notebook=FIXTURE_NB, reports_dir=reports_copy,
        render=False,
    )  # fmt: skip
    assert result.status == "failed"
    assert result.error["ename"] == "OSError"
    assert result.error["evalue"].startswith("publishing failed: [Errno 28] No space left")
    assert result.path.parent == reports_copy / "_failed" / "PHL"
    assert json.loads((result.path / "run.json").read_text())["error"] == result.error
    assert snapshot(reports_copy / "PHL") == before
    assert sorted(p.name for p in reports_copy.iterdir() if p.name.startswith(".P")) == []
    failures = catalog.collect_catalog(reports_copy)["countries"][0]["last_failure"]
    assert failures["ename"] == "OSError"  # the index shows it


def test_force_runs_an_up_to_date_brief_again(reports_copy, monkeypatch):
    before = snapshot(reports_copy / "PHL")
    again = runner.run_brief(
        params_for("PHL"), notebook=FIXTURE_NB, reports_dir=reports_copy, render=False
    )
    assert again.status == "skipped"
    executed = []

    def fake_execute(request, work, env, run_timeout_s, stop=None):
        executed.append(request["parameters"]["country_iso3"])
        return {"ok": False, "error": runner._error("FakeError", "not run")}

    monkeypatch.setattr(runner, "_execute", fake_execute)
    result = runner.run_brief(
        params_for("PHL"), notebook=FIXTURE_NB, reports_dir=reports_copy, render=False, force=True
    )
    assert executed == ["PHL"]  # not skipped: the notebook was executed again
    assert (result.status, result.error["ename"]) == ("failed", "FakeError")
    assert snapshot(reports_copy / "PHL") == before


def test_failure_keeps_the_previous_brief_and_records_the_error(builds):
    reports_copy, before, result = builds["failed"]
    assert result.status == "failed"
    assert result.error["ename"] == "RuntimeError"
    assert result.error["evalue"] == "synthetic failure for PHL"
    assert result.error["cell_index"] == WORK_CELL
    assert "synthetic failure for PHL" in result.error["traceback_tail"]
    assert result.describe() == "RuntimeError: synthetic failure for PHL (cell 4)"

    assert snapshot(reports_copy / "PHL") == before  # byte-identical

    failed = result.path
    assert failed.parent == reports_copy / "_failed" / "PHL"
    assert dt.datetime.strptime(failed.name, "%Y%m%dT%H%M%SZ")
    assert sorted(p.name for p in failed.iterdir()) == [
        "brief.ipynb",
        "brief_debug.html",
        "log.txt",
        "run.json",
    ]
    record = json.loads((failed / "run.json").read_text())
    assert set(record) == RUN_JSON_KEYS
    assert record["status"] == "failed"
    assert record["error"] == result.error
    assert record["params"]["fail"] is True
    assert record["files"] == {
        "ipynb": "brief.ipynb",
        "debug_html": "brief_debug.html",
        "log": "log.txt",
    }
    assert ("debug", "brief.ipynb") in builds.renders[reports_copy.resolve()]
    assert "synthetic failure for PHL" in (failed / "log.txt").read_text()
    executed = nbformat.read(failed / "brief.ipynb", as_version=4)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert [e.ename for e in errors] == ["RuntimeError"]
    assert list((reports_copy / ".staging").iterdir()) == []


def test_sys_exit_zero_is_an_incomplete_brief(builds):
    reports, result = builds["exited"]
    assert result.status == "failed"
    assert (result.error["ename"], result.error["cell_index"]) == ("SystemExit", WORK_CELL + 1)
    assert not (reports / "BGD").exists()


def test_missing_summary_is_an_incomplete_brief(builds):
    reports, result = builds["no_summary"]
    assert result.status == "failed"
    assert result.error["ename"] == "IncompleteBriefError"
    assert result.error["evalue"] == "the notebook wrote no summary.json"
    assert not (reports / "BGD").exists()


def test_whole_run_timeout_kills_the_run_and_its_kernel(builds, kernel_server):
    """A fresh kernel and, where supported, a warm one (``_hanging_run``)."""
    runs = {"fresh": builds["hanging_fresh"], "warm": builds["hanging_warm"]}
    if kernel_server is None:
        assert runs.pop("warm") is None
    for kind, run in runs.items():
        result = run["result"]
        assert result.status == "failed", kind
        assert result.error["ename"] == "RunTimeoutError", kind
        limit = f"the {run['limit_s']} s run limit"
        assert result.error["evalue"] == f"the notebook did not finish within {limit}"
        assert result.error["cell_index"] == WORK_CELL, kind
        assert (result.path / "brief.ipynb").is_file()  # the autosaved, partly executed notebook
        assert f"killed after {limit}" in (result.path / "log.txt").read_text()
        if kind == "warm":
            assert run["parent"] == kernel_server.pid  # forked by the server
        assert run["gone"], kind  # the kernel exited too


# --- many briefs ------------------------------------------------------------------------------


def test_run_all_isolates_a_failing_country_in_processes(builds):
    reports, results, seen = builds["isolated"]
    assert [(r.country_iso3, r.status) for r in results] == [("PHL", "ok"), ("FJI", "failed")]
    assert results[1].error["evalue"] == "synthetic failure for FJI"
    assert sorted(r.country_iso3 for r in seen) == ["FJI", "PHL"]
    assert json.loads((reports / "PHL" / "summary.json").read_text())["score"] == score("PHL")
    assert not (reports / "FJI").exists()
    assert (reports / "_failed" / "FJI").is_dir()


def test_run_all_accepts_a_process_pool_and_rebuilds_the_index_once(builds):
    reports, results, still_usable = builds["pooled"]
    assert still_usable == 42  # the caller's executor stays usable
    assert [r.status for r in results] == ["ok", "ok"]
    assert json.loads((reports / "BGD" / "summary.json").read_text())["score"] == score("BGD", 2)
    assert json.loads((reports / "TON" / "summary.json").read_text())["score"] == score("TON", 3)
    assert builds.indexed["pooled"] == [reports.resolve()]


@pytest.mark.parametrize("jobs", [1, 2])
def test_default_executor_runs_jobs_notebooks_at_once_with_a_share_of_the_cpus(
    tmp_path, monkeypatch, jobs
):
    import threading

    for name in runner.THREAD_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    changed, running, peak, envs = threading.Condition(), [0], [0], []

    def fake_execute(request, work, env, run_timeout_s, stop=None):
        with changed:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            envs.append(env.get("OMP_NUM_THREADS"))
            changed.notify_all()
            # hold the slot until ``jobs`` notebooks run at once, then a little longer, so
            # that one more than allowed would be seen
            changed.wait_for(lambda: peak[0] >= jobs, timeout=10)
        time.sleep(0.1)
        with changed:
            running[0] -= 1
        return {"ok": False, "error": runner._error("FakeError", "not run")}

    monkeypatch.setattr(runner, "_execute", fake_execute)
    countries = ["PHL", "FJI", "MYS", "BGD"]
    results = runner.run_all(
        [params_for(c) for c in countries],
        jobs=jobs,
        notebook=FIXTURE_NB,
        reports_dir=tmp_path,
        render=False,
        index=False,
    )
    assert [(r.country_iso3, r.status) for r in results] == [(c, "failed") for c in countries]
    assert all(r.error["ename"] == "FakeError" for r in results)
    assert peak[0] == jobs  # one thread per brief, ``jobs`` notebooks at a time
    assert envs == [str(runner.threads_per_job(jobs))] * len(countries)


def test_a_callers_executor_gets_no_cpu_limit_and_no_slot(tmp_path, monkeypatch):
    given = []

    def fake_run_brief(params, **kwargs):
        given.append((kwargs.get("threads"), kwargs.get("slot")))
        return runner.RunResult(params.country_iso3, "ok", AS_OF, kwargs["key"], 0.0)

    monkeypatch.setattr(runner, "run_brief", fake_run_brief)
    with cf.ThreadPoolExecutor(max_workers=1) as pool:
        runner.run_all(
            [params_for("PHL")],
            executor=pool,
            notebook=FIXTURE_NB,  # not the brief's: no track record is prepared on real data
            reports_dir=tmp_path,
            index=False,
        )
    assert given == [(None, None)]  # a caller's executor: its CPU share is the caller's business


def test_kernels_use_unix_sockets_of_their_own(tmp_path):
    config = execute._kernel_config(str(tmp_path))
    if os.name == "nt":
        assert "KernelManager" not in config
    else:
        assert config.KernelManager.transport == "ipc"
        assert config.KernelManager.ip == str(tmp_path / "k")
    assert "KernelManager" not in execute._kernel_config(None)


class _RefusingExecutor(cf.Executor):
    def submit(self, fn, /, *args, **kwargs):
        raise AssertionError("an up-to-date brief must not be submitted")


def test_run_all_skips_up_to_date_briefs_without_submitting(built):
    reports, first = built
    results = runner.run_all(
        [params_for("PHL")],
        executor=_RefusingExecutor(),
        notebook=FIXTURE_NB,
        reports_dir=reports,
        render=False,
        index=False,
    )
    assert [(r.status, r.run_key) for r in results] == [("skipped", first.run_key)]


def test_run_all_reports_a_worker_crash_as_a_failure(tmp_path):
    from concurrent.futures.process import BrokenProcessPool  # not loaded by cf alone

    class Crashing(cf.Executor):
        def submit(self, fn, /, *args, **kwargs):
            future = cf.Future()
            future.set_exception(BrokenProcessPool("worker died"))
            return future

    results = runner.run_all(
        [params_for("PHL")],
        executor=Crashing(),
        notebook=FIXTURE_NB,
        reports_dir=tmp_path,
        index=False,
    )
    assert results[0].status == "failed"
    assert results[0].error["ename"] == "BrokenProcessPool"


@BUILDS.job
def on_dask(b: Builds) -> tuple[Path, list] | None:
    try:
        import distributed
    except ImportError:
        return None
    reports = b.root / "dask"
    with distributed.LocalCluster(
        n_workers=1, processes=False, threads_per_worker=1, dashboard_address=":0"
    ) as cluster:
        with runner.dask_executor(cluster.scheduler_address) as executor:
            results = runner.run_all(
                [params_for("PNG")],
                executor=executor,
                notebook=FIXTURE_NB,
                reports_dir=reports,
                render=False,
                index=False,
            )
    return reports, results


def test_dask_cluster_executor(builds):
    pytest.importorskip("distributed")
    reports, results = builds["on_dask"]
    assert results[0].status == "ok", results[0].error
    assert json.loads((reports / "PNG" / "summary.json").read_text())["score"] == score("PNG")


def test_dask_missing_gives_the_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(runner.RunnerError, match=r'pip install "osa_analysis\[dask\]"'):
        with runner.dask_executor("tcp://127.0.0.1:1"):
            pass


def test_progress_lines_and_summary_table():
    from rich.console import Console

    ok = runner.RunResult("PHL", "ok", AS_OF, "k", 12.34, Path("/r/PHL"))
    bad = runner.RunResult(
        "FJI", "failed", AS_OF, "k", 1.0, Path("/r/_failed/FJI/x"), runner._error("E", "boom", 4)
    )
    assert runner.format_result_line(ok) == "[PHL] ok in 12.3 s"
    assert runner.format_result_line(bad) == "[FJI] failed in 1.0 s: E: boom (cell 4)"
    console = Console(record=True, width=120)
    with runner.BuildProgress(2, console, live=False) as progress:
        progress(ok)
        progress(bad)
    console.print(runner.summary_table([ok, bad]))
    text = console.export_text()
    assert "[PHL] ok in 12.3 s" in text
    assert "/r/PHL" in text and "E: boom (cell 4)" in text


# --- command line -----------------------------------------------------------------------------


@pytest.fixture
def no_index(monkeypatch):
    calls = []

    def fake(reports_dir):
        calls.append(Path(reports_dir))
        return Path(reports_dir) / "index.html", Path(reports_dir) / "index.json"

    monkeypatch.setattr(runner, "rebuild_index", fake)
    return calls


@BUILDS.job
def on_the_command_line(b: Builds) -> dict[str, Any]:
    """Three ``osa-briefs build`` runs: one brief failing, nothing to do, forced and cold."""
    failing = b.root / "failing_brief.py"
    failing.write_text(
        FIXTURE_NB.read_text().replace('fail_for: str = ""', 'fail_for: str = "FJI"')
    )
    reports = b.root / "cli"
    common = ["--reports-dir", str(reports), "--no-render", "--jobs", "2"]
    runs = {
        "failing": ["build", "--country", "phl", "FJI", "--notebook", str(failing), *common],
        "skipping": ["build", "--country", "PHL", "--notebook", str(failing), *common],
        "forced": ["build", "--country", "PHL", *common, "--notebook", str(failing), "--force"],
    }
    runs["forced"].append("--cold-kernels")
    done: dict[str, Any] = {"reports": reports}
    for name, argv in runs.items():
        with contextlib.redirect_stdout(io.StringIO()) as out:  # as capsys would
            done[name] = (cli.main(argv), out.getvalue())
        done[f"{name}_record"] = json.loads((reports / "PHL" / "run.json").read_text())
        done[f"{name}_indexed"] = b.recorded("indexed")
    return done


def test_cli_build_exit_status(builds):
    cli_runs = builds["on_the_command_line"]
    reports = cli_runs["reports"]
    code, out = cli_runs["failing"]
    assert code == 1
    assert "[PHL] ok in" in out and "[FJI] failed in" in out
    assert "RuntimeError: synthetic failure for FJI" in out
    assert "1 brief(s) failed: FJI" in out
    assert (reports / "PHL" / "summary.json").is_file()
    assert cli_runs["failing_indexed"] == [reports.resolve()]

    code, out = cli_runs["skipping"]
    assert code == 0
    assert "skipped" in out

    code, _ = cli_runs["forced"]
    assert code == 0
    assert cli_runs["failing_record"]["kernel"] == "warm"  # by default
    assert cli_runs["forced_record"]["kernel"] == "fresh"


def test_cli_build_warns_of_an_as_of_after_the_last_data(tmp_path, no_index, capsys):
    options = ["--reports-dir", str(tmp_path), "--no-render", "--cold-kernels"]
    code = cli.main(
        [
            "build",
            "--country",
            "PHL",
            "--as-of",
            "2026-08-20",
            "--notebook",
            str(FIXTURE_NB),
            *options,
        ]
    )
    assert code == 0
    assert (
        "warning: as_of 2026-08-20 is after the last incident data (2026-08-09)"
        in capsys.readouterr().err
    )
    with pytest.raises(SystemExit, match="before PHL's first OSA fiscal year FY2023"):
        cli.main(["build", "--country", "PHL", "--as-of", "1990-01-01"])


def test_cli_build_refuses_bad_parameters(tmp_path, no_index):
    with pytest.raises(SystemExit) as info:
        cli.main(["build", "--country", "USA", "--reports-dir", str(tmp_path)])
    assert "'USA' is not an OSA recipient; valid codes: BGD" in str(info.value)
    with pytest.raises(SystemExit) as info:
        cli.main(["build", "--all", "--as-of", "2999-01-01", "--reports-dir", str(tmp_path)])
    assert "as_of=2999-01-01 is in the future" in str(info.value)
    with pytest.raises(SystemExit) as info:
        cli.main(["build", "--country", "PHL", "--notebook", str(tmp_path / "missing.py")])
    assert "no notebook at" in str(info.value)
    with pytest.raises(SystemExit) as info:
        cli.main(["build"])  # neither --country nor --all
    assert info.value.code == 2
    assert not os.listdir(tmp_path)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--jobs", "0", "0 is not allowed: give 1 or more"),
        ("--jobs", "-1", "-1 is not allowed: give 1 or more"),
        ("--jobs", "two", "'two' is not a whole number"),
        ("--cell-timeout", "-1", "-1 is not allowed: give a limit above 0 seconds"),
        ("--run-timeout", "0", "0 is not allowed: give a limit above 0 seconds"),
        ("--run-timeout", "inf", "inf is not allowed"),
    ],
)
def test_cli_refuses_jobs_below_one_and_limits_not_above_zero(
    tmp_path, no_index, capsys, option, value, message
):
    with pytest.raises(SystemExit) as info:
        cli.main(["build", "--country", "PHL", "--reports-dir", str(tmp_path), option, value])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}: {message}" in err
    assert not os.listdir(tmp_path)
    if option == "--jobs":
        with pytest.raises(SystemExit) as info:
            cli.main(["backtest", "--jobs", value, "--reports-dir", str(tmp_path)])
        assert info.value.code == 2
    with pytest.raises(ValueError, match=r"give 1 or more|seconds above 0"):
        runner.run_all([], jobs=0 if option == "--jobs" else 1, run_timeout_s=-1)
