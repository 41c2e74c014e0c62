"""Derived tables cached on disk, keyed by their inputs' sha256 and the package's code.

Expensive derived tables (the harmonised incident table, the cyclone fix table) are built
once and saved as parquet under ``OSA_CACHE_DIR`` (default ``data/cache``). The key hashes
the registry sha256 of every input file, a digest of the package source and a version
string, so a new input file or a code change rebuilds the table; the file is written
atomically, so an interrupted build never leaves a half-written cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from osa_analysis.core import config
from osa_analysis.core.files import atomic_path, atomic_write_bytes
from osa_analysis.core.provenance import __version__, code_digest
from osa_analysis.sources.registry import get_source


def table_key(source_ids: Sequence[str], version: str = "", extra: dict | None = None) -> str:
    """Return the cache key of a derived table (16 hex digits)."""
    payload = {
        "inputs": {sid: get_source(sid).sha256 for sid in sorted(source_ids)},
        "code": code_digest(),
        "package": __version__,
        "version": version,
        "extra": extra or {},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def write_parquet_atomic(df: pd.DataFrame, path: Path, *, index: bool = False) -> None:
    """Write ``df`` to ``path`` through a temporary file and an atomic rename."""
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=index)


def cached_table(
    name: str,
    source_ids: Sequence[str],
    build: Callable[[], pd.DataFrame],
    *,
    version: str = "",
    use_cache: bool = True,
) -> pd.DataFrame:
    """Return a derived table from the parquet cache, building and saving it when absent.

    Parameters
    ----------
    name : str
        File-name stem of the table, e.g. ``"tracks_fixes"``.
    source_ids : sequence of str
        Registry ids of every file the table is built from.
    build : callable
        Builds the table from the raw files (called only on a cache miss).
    version : str
        Bump when the method changes in a way the code digest would not catch.
    use_cache : bool
        ``False`` builds without reading or writing the cache.
    """
    if not use_cache:
        return build()
    path = (
        config.derived_cache_dir() / "tables" / f"{name}-{table_key(source_ids, version)}.parquet"
    )
    if path.exists():
        return pd.read_parquet(path)
    table = build()
    write_parquet_atomic(table, path, index=True)  # loaders index by record number: keep it
    return pd.read_parquet(path)  # the same object on a miss as on a hit


def disk_cached(*source_ids: str, version: str = ""):
    """Decorate a loader so its default call (no arguments) is served from the disk cache.

    Calls with a ``path`` or any other argument run the loader as usual. The cached table
    was validated when it was built; its key covers the input sha256s and the code.

    Parameters
    ----------
    *source_ids : str
        Registry ids the loader reads.
    version : str
        Extra cache-key component.
    """

    def decorate(loader: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
        import functools

        @functools.wraps(loader)
        def wrapper(*args, **kwargs):
            if args or any(v is not None for v in kwargs.values()):
                return loader(*args, **kwargs)
            return cached_table(f"loader-{loader.__name__}", source_ids, loader, version=version)

        wrapper.uncached = loader  # type: ignore[attr-defined]
        return wrapper

    return decorate


def cached_object(
    name: str,
    source_ids: Sequence[str],
    build: Callable[[], object],
    *,
    version: str = "",
):
    """Like :func:`cached_table` for any picklable result (arrays, dicts of frames...).

    The pickle lives in the project's own cache folder and is only ever read back by the
    package that wrote it (same code digest), never loaded from elsewhere.
    """
    import pickle

    path = config.derived_cache_dir() / "objects" / f"{name}-{table_key(source_ids, version)}.pkl"
    if path.exists():
        with open(path, "rb") as fh:
            return pickle.load(fh)
    result = build()
    atomic_write_bytes(path, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return result
