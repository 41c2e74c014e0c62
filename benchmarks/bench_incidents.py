"""Benchmark: build the harmonised incident table from raw files vs load it from its cache.

Targets (issue #2): build <= 3 s (the approximate-EEZ geometry may come from its own cache),
cached load <= 0.3 s, peak memory < 1 GiB, on 2 cores. Prints times, the ratio and peak RSS;
it asserts nothing. Run:
``OSA_DATA_MIRROR=../shared/data-mirror python benchmarks/bench_incidents.py``.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time

from osa_analysis.core import config
from osa_analysis.harmonise import incidents
from osa_analysis.harmonise.eez import load_approximate_eez
from osa_analysis.sources.fetch import fetch

REPEATS = 3


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> int:
    for sid in incidents.INCIDENT_SOURCE_IDS + incidents.GEOGRAPHY_SOURCE_IDS:
        fetch(sid)
    load_approximate_eez()  # its own cache, keyed by its inputs' sha256 (allowed by the target)

    build = [timed(incidents.build_incident_tables) for _ in range(REPEATS)]
    incidents.incident_tables(rebuild=True)  # fill the parquet cache
    load = [timed(lambda: incidents.incident_tables()) for _ in range(REPEATS)]
    b, lo = statistics.median(build), statistics.median(load)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    events = incidents.load_incidents()
    print(f"cache dir: {config.derived_cache_dir()}")
    print(f"events: {len(events)}")
    print(
        f"build from raw files : {b:6.3f} s  (target <= 3.0 s; runs {[round(x, 3) for x in build]})"
    )
    print(
        f"load from cache      : {lo:6.3f} s  (target <= 0.3 s; runs {[round(x, 3) for x in load]})"
    )
    print(f"ratio build/load     : {b / lo:6.1f}x")
    print(f"peak memory (RSS)    : {peak_mib:6.0f} MiB (target < 1024 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
