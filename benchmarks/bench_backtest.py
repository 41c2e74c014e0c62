"""Benchmark: the full backtest (every state, origins 1990-2023, every kind) from warm caches.

Target (issue #10): <= 120 s on the 2-core machine for the full backtest from warm caches,
memory under 2 GiB. The baseline, run in the same process first, is loading the input
tables the backtest reads; the ratios are the backtest's time over that load, with one and
with two processes. Peak memory is that of this process and, separately, of its children
(the pool's workers). The forecast table is recomputed (the derived-data cache of the table
itself is bypassed); the input tables come from their caches. Asserts nothing. Run:
``OSA_DATA_MIRROR=../shared/data-mirror python benchmarks/bench_backtest.py``.
"""

from __future__ import annotations

import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from osa_analysis.analyse.backtest import backtest_forecasts, backtest_scores, load_backtest_config
from osa_analysis.analyse.diversion import diversion_tables
from osa_analysis.analyse.tables import TableStore, clear_memory

TARGET_S = 120.0
AS_OF = pd.Timestamp.today().normalize()


def timed(func):
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def main() -> int:
    cfg = load_backtest_config()
    clear_memory()
    load_s, _ = timed(lambda: diversion_tables(TableStore(AS_OF)))
    store = TableStore(AS_OF)
    one_s, serial = timed(lambda: backtest_forecasts(store))
    with ProcessPoolExecutor(max_workers=2) as pool:
        two_s, pooled = timed(lambda: backtest_forecasts(store, mapper=pool.map))
    score_s, _ = timed(lambda: backtest_scores(pooled, cfg))
    same = serial.equals(pooled)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"forecast rows            : {len(pooled)}")
    print(f"baseline: load the tables: {load_s:7.2f} s")
    print(f"backtest, 1 process      : {one_s:7.2f} s  ({one_s / load_s:6.1f}x the load)")
    print(
        f"backtest, 2 processes    : {two_s:7.2f} s  ({two_s / load_s:6.1f}x the load; "
        f"{one_s / two_s:.2f}x faster than 1)"
    )
    print(f"scores (bootstrap incl.) : {score_s:7.2f} s")
    total = two_s + score_s
    print(f"full backtest, 2 cores   : {total:7.2f} s  (target <= {TARGET_S:.0f} s)")
    print(f"identical with 1 and 2   : {same}")
    print(f"peak RSS, this process   : {own:7.0f} MiB (target < 2048 MiB)")
    print(f"peak RSS, largest worker : {children:7.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
