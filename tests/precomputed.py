"""Slow, pure results that unit tests share, computed in a separate process while pytest collects.

Three results each take seconds to compute, and the backtest and translation tests need them:
- the synthetic store with its backtest forecast table,
- the same table with an extra coup,
- the package's messages.

Meanwhile pytest spends its first seconds collecting, on one core, and the tests that read the
results run after the other unit tests (``tests/unit/conftest.py``). So the session starts this
module as a script at its start (:func:`start`, from ``tests/conftest.py``)::

    python tests/precomputed.py OUT

The script computes each of :data:`JOBS` in order. It pickles each result to
``OUT/<name>.pickle``, or writes the traceback of a job that raised to ``OUT/<name>.failed``.
A session fixture asks for a result with :func:`result`. That call waits for the result's file
and loads it. The session stops the process at the end of collection unless the selected tests
need every result (a few tests picked out would wait for results they do not read). If no
process runs, or the job failed, the fixture computes the result in the pytest process with the
same function, so a failure shows its own traceback in the test that needs it. The process
runs at a lower priority than the tests (:data:`NICENESS`).

A job must be pure: the same result in any process, given the session's environment.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

UNIT = Path(__file__).resolve().parent / "unit"
NICENESS = 10
"""This process's scheduling priority, below the tests' (:data:`brief_builds.NICENESS`)."""


def synthetic_store():
    """The synthetic store holding its backtest forecast table (``store.shared``)."""
    from diversion_synthetic import make_store

    from osa_analysis.analyse.backtest.run import cached_backtest_forecasts

    store = make_store()
    cached_backtest_forecasts(store)
    return store


def forecasts_with_extra_coup():
    """The forecast table with ``EXTRA_COUP`` in the coup record, origins to 2016."""
    import pandas as pd
    from diversion_synthetic import EXTRA_COUP, make_store, make_tables

    from osa_analysis.analyse.backtest import backtest_forecasts

    coups = pd.concat([make_tables().coups, EXTRA_COUP], ignore_index=True)
    return backtest_forecasts(make_store(coups=coups), end=2016)


def message_uses():
    """Every message of the package with where it is used (the syntax trees of ~300 files)."""
    from osa_analysis.build import messages

    return messages.extract()


JOBS: dict[str, Callable[[], Any]] = {
    "synthetic_store": synthetic_store,
    "forecasts_with_extra_coup": forecasts_with_extra_coup,
    "message_uses": message_uses,
}
"""The results by name, in the order the tests first need them."""

_started: dict[str, Any] = {}  # the session's process and its folder


def start(out: Path) -> None:
    """Start computing every job into the new, empty folder ``out`` (once per session)."""
    from brief_builds import session_env

    if _started:
        return
    with open(out / "precomputed.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, __file__, str(out)],
            env=session_env(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    _started.update(process=process, out=out)


def stop() -> Path | None:
    """End the process if it still runs; return its folder (``None``: none was started)."""
    if not _started:
        return None
    process, out = _started.pop("process"), _started.pop("out")
    if process.poll() is None:
        process.kill()
    process.wait()
    return out


def result(name: str) -> Any:
    """Return the result of job ``name``: the process's if it made it, else computed here."""
    if _started:
        out, process = _started["out"], _started["process"]
        done, failed = out / f"{name}.pickle", out / f"{name}.failed"
        while not (done.exists() or failed.exists()) and process.poll() is None:
            time.sleep(0.02)
        if done.exists():
            return pickle.loads(done.read_bytes())
    return JOBS[name]()  # in the session, tests/unit is on sys.path (its conftest)


def _main(out: Path) -> int:
    os.nice(NICENESS)  # the tests first, as the brief builder does
    sys.path.insert(0, str(UNIT))
    from osa_analysis.build.execute import skip_slow_imports
    from osa_analysis.core.files import atomic_write_bytes

    skip_slow_imports()  # as the tests' own process does (tests/conftest.py)
    for name, job in JOBS.items():
        try:
            data = pickle.dumps(job())
        except Exception:
            (out / f"{name}.failed").write_text(traceback.format_exc())
            continue
        atomic_write_bytes(out / f"{name}.pickle", data)
    return 0


if __name__ == "__main__":
    sys.exit(_main(Path(sys.argv[1])))
