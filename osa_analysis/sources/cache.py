"""The one derived-data cache: results built once, keyed by their inputs and their code.

Every slow derived result of the package is kept here, under ``OSA_CACHE_DIR`` (default
``data/cache``): the harmonised incident tables, the approximate EEZ, the cyclone fix
table, the composite's indicator panel and Monte Carlo run, storm passages, pooled base
rates, loaders' parsed tables, the recipient code lists. :func:`cached` is the single
mechanism; :func:`cached_table`, :func:`cached_object` and :func:`disk_cached` are its
common forms.

The key (:func:`cache_key`) hashes

* the registry sha256 of every input source (and the sha256 of any other input file, such
  as the curated tables),
* :func:`osa_analysis.core.provenance.module_digest` of the module that defines the build
  function (and of any module named in ``code_modules``): its source and that of every
  package module it imports, so editing the code that builds a result rebuilds it and
  editing an unrelated module does not,
* the versions of the libraries that write the files (pandas, pyarrow...), the name, a
  version string and any extra parameters.

Entries are written atomically (:func:`osa_analysis.core.files.atomic_path`). An entry that
cannot be read back (truncated, corrupt, written by an incompatible library) is discarded
with a warning and rebuilt, so one bad file never stops later builds.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import pickle
import shutil
from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from osa_analysis.core import config
from osa_analysis.core.files import atomic_path, atomic_write_bytes, temporary_sibling, write_json
from osa_analysis.core.provenance import module_digest
from osa_analysis.sources.registry import get_source

log = logging.getLogger(__name__)

KINDS = {
    "table": ("tables", ".parquet"),
    "geotable": ("tables", ".geoparquet"),
    "tables": ("tables", ""),
    "object": ("objects", ".pkl"),
    "json": ("json", ".json"),
}
"""Storage of each kind of result: folder under ``OSA_CACHE_DIR`` and file suffix. A
``"tables"`` entry is a folder of parquet files, one per table of a mapping."""

LIBRARIES = ("pandas", "numpy", "pyarrow", "geopandas", "shapely")
"""Libraries whose version is part of every key (they write and read the entries)."""


@functools.cache
def _library_versions() -> dict[str, str]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = ""
    return out


def _code_module(build: Callable) -> str:
    func = getattr(build, "func", build)  # functools.partial
    return getattr(func, "__module__", None) or __name__


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cache_key(
    name: str,
    source_ids: Sequence[str] = (),
    *,
    build: Callable | None = None,
    code_modules: Sequence[str] = (),
    files: Sequence[Path] = (),
    version: str = "",
    extra: Mapping[str, Any] | None = None,
) -> str:
    """Return the cache key of a derived result (16 hex digits; module docstring)."""
    modules = sorted({*code_modules, *([_code_module(build)] if build is not None else [])})
    payload = {
        "name": name,
        "inputs": {sid: get_source(sid).sha256 for sid in sorted(source_ids)},
        "files": {Path(f).name: _file_sha256(f) for f in files},
        "code": module_digest(*modules) if modules else "",
        "libraries": _library_versions(),
        "version": version,
        "extra": dict(extra or {}),
    }
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def table_key(source_ids: Sequence[str], version: str = "", extra: dict | None = None) -> str:
    """Return the key of a table built from ``source_ids`` (no code part; see :func:`cache_key`)."""
    return cache_key("table", source_ids, version=version, extra=extra)


def cache_path(name: str, key: str, kind: str = "table") -> Path:
    """Return where an entry of ``kind`` with ``name`` and ``key`` is kept."""
    folder, suffix = KINDS[kind]
    return config.derived_cache_dir() / folder / f"{name}-{key}{suffix}"


def _read(path: Path, kind: str) -> Any:
    if kind == "table":
        import pandas as pd  # not imported by the light users (parameter checks)

        return pd.read_parquet(path)
    if kind == "geotable":
        import geopandas as gpd

        return gpd.read_parquet(path)
    if kind == "tables":
        import pandas as pd

        names = json.loads((path / "tables.json").read_text(encoding="utf-8"))
        return {n: pd.read_parquet(path / f"{n}.parquet") for n in names}
    if kind == "object":
        return pickle.loads(path.read_bytes())
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, kind: str, result: Any) -> None:
    if kind in ("table", "geotable"):
        with atomic_path(path) as tmp:
            result.to_parquet(tmp, index=kind == "table")
    elif kind == "tables":
        tmp = temporary_sibling(path)
        try:
            tmp.mkdir(parents=True)
            for n, frame in result.items():
                frame.to_parquet(tmp / f"{n}.parquet", index=True)
            (tmp / "tables.json").write_text(json.dumps(list(result)), encoding="utf-8")
            shutil.rmtree(path, ignore_errors=True)
            os.replace(tmp, path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    elif kind == "object":
        atomic_write_bytes(path, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    else:
        write_json(path, result)


def _discard(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def cached(
    name: str,
    source_ids: Sequence[str],
    build: Callable[[], Any],
    *,
    kind: str = "table",
    version: str = "",
    extra: Mapping[str, Any] | None = None,
    files: Sequence[Path] = (),
    code_modules: Sequence[str] = (),
    use_cache: bool = True,
    refresh: bool = False,
) -> Any:
    """Return a derived result from the cache, building and saving it when absent.

    Parameters
    ----------
    name : str
        File-name stem, e.g. ``"tracks_fixes"``.
    source_ids : sequence of str
        Registry ids of every source file the result is built from.
    build : callable
        Builds the result (called only on a miss). Its module's code is in the key.
    kind : {"table", "geotable", "tables", "object", "json"}
        A DataFrame (parquet, index kept), a GeoDataFrame (GeoParquet, no index), a mapping
        of DataFrames, any picklable object, or a JSON value.
    version, extra
        Further key parts (a method version, parameters of the build).
    files : sequence of Path
        Other input files (their sha256 is in the key), e.g. curated tables.
    code_modules : sequence of str
        Modules whose code the build depends on beyond its own module's imports.
    use_cache : bool
        ``False`` builds without reading or writing the cache.
    refresh : bool
        Build again and replace the entry even when it is there.

    Returns
    -------
    object
        The result; a table read back from its file on a miss too, so a hit and a miss give
        the same object.
    """
    if not use_cache:
        return build()
    key = cache_key(
        name,
        source_ids,
        build=build,
        code_modules=code_modules,
        files=files,
        version=version,
        extra=extra,
    )
    path = cache_path(name, key, kind)
    if refresh:
        _discard(path)
    if path.exists():
        try:
            return _read(path, kind)
        except Exception as exc:  # any reader error: the entry is unusable
            log.warning("discarding unreadable cache entry %s (%s); rebuilding", path, exc)
            _discard(path)
    result = build()
    try:
        _write(path, kind, result)
    except OSError as exc:  # a read-only or full cache: the result is still good
        log.warning("could not write cache entry %s: %s", path, exc)
        return result
    return _read(path, kind) if kind in ("table", "tables") else result


def cached_table(
    name: str,
    source_ids: Sequence[str],
    build: Callable[[], Any],
    *,
    version: str = "",
    use_cache: bool = True,
) -> Any:
    """Return a derived DataFrame from the cache (:func:`cached` with ``kind="table"``)."""
    return cached(name, source_ids, build, kind="table", version=version, use_cache=use_cache)


def cached_object(
    name: str, source_ids: Sequence[str], build: Callable[[], Any], *, version: str = ""
) -> Any:
    """Return any picklable derived result from the cache (``kind="object"``).

    The pickle lives in the project's own cache folder and is only ever read back by the
    package that wrote it (same code digest), never loaded from elsewhere.
    """
    return cached(name, source_ids, build, kind="object", version=version)


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

    def decorate(loader: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(loader)
        def wrapper(*args, **kwargs):
            if args or any(v is not None for v in kwargs.values()):
                return loader(*args, **kwargs)
            return cached_table(f"loader-{loader.__name__}", source_ids, loader, version=version)

        wrapper.uncached = loader  # type: ignore[attr-defined]
        return wrapper

    return decorate
