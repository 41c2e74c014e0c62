"""Run keys: what a brief's content depends on, hashed, and whether its published copy is current.

:func:`run_key` hashes the notebook source, the content parameters, the inputs' sha256s and
the package (version and source); a published brief whose ``run.json`` is ``ok`` with the
same key is up to date and is not built again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from osa_analysis.build.params import BriefParams
from osa_analysis.build.records import HISTORY_DIR, NOTEBOOK, RUN_FILE
from osa_analysis.core.config import CURATED_DIR, PACKAGE_DIR, SOURCES_FILE
from osa_analysis.core.files import read_json_object
from osa_analysis.core.provenance import __version__

CURATED_INPUT_DIRS = ("recipients", "countries", "context", "brief")
"""Project-owned data folders under ``data/`` that briefs read (hashed into the run key)."""


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def notebook_digest(notebook: Path) -> str:
    """Return the sha256 of a notebook's source without outputs.

    A jupytext ``.py`` is hashed as text; an ``.ipynb`` as its cells' types, sources and
    tags (outputs, execution counts and metadata ignored).
    """
    notebook = Path(notebook)
    if notebook.suffix != ".ipynb":
        return _sha256_bytes(notebook.read_bytes())
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cells = [
        [c.cell_type, c.source, sorted(c.get("metadata", {}).get("tags", []))] for c in nb.cells
    ]
    return _sha256_bytes(json.dumps(cells, sort_keys=True).encode())


def package_digest() -> str:
    """Return a sha256 over the package's files (code and templates), so edits re-run briefs.

    Files are read and hashed again only when their list, sizes or modification times differ
    from the previous call in this process (a build computes one key per brief).
    """
    files = [
        path
        for path in sorted(PACKAGE_DIR.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    ]
    signature = tuple((path, *_stat(path)) for path in files)
    if _PACKAGE_MEMO.get("signature") == signature:
        return _PACKAGE_MEMO["digest"]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(_sha256_bytes(path.read_bytes()).encode())
    _PACKAGE_MEMO.update(signature=signature, digest=digest.hexdigest())
    return _PACKAGE_MEMO["digest"]


_PACKAGE_MEMO: dict[str, Any] = {}


def _stat(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def vintages_in_use() -> dict[str, dict[str, Any]]:
    """Return the locked vintage of every source read with one (empty under ``--pinned``).

    By source id: ``release``, ``retrieved_at``, ``url`` and ``sha256`` (``run.json``'s
    ``vintages``; the pinned sources are the registry's, named by ``inputs``).
    """
    from osa_analysis.sources.registry import registry

    return {
        sid: {k: src.locked.get(k) for k in ("release", "retrieved_at", "url", "sha256")}
        for sid, src in sorted(registry().items())
        if src.locked
    }


def input_digests() -> dict[str, str]:
    """Return the sha256 of every input a brief may read, by name.

    Registry sources by id (their registered sha256, which :func:`osa_analysis.sources.fetch.fetch`
    enforces), the registry file itself (``data/sources.yaml``, whose licence and citation
    text appears in the sources annex), the curated files under ``data/recipients``,
    ``data/countries``, ``data/context`` (dated events) and ``data/brief`` (the glossary),
    and ``OSA_EEZ_FILE`` (path, size and mtime) when set.
    """
    from osa_analysis.sources.registry import registry

    inputs = {sid: src.sha256 for sid, src in registry().items()}
    curated = [SOURCES_FILE]
    for folder in CURATED_INPUT_DIRS:
        curated += sorted(p for p in (CURATED_DIR / folder).rglob("*") if p.is_file())
    for path in curated:
        inputs[f"data/{path.relative_to(CURATED_DIR).as_posix()}"] = _sha256_bytes(
            path.read_bytes()
        )
    eez = os.environ.get("OSA_EEZ_FILE")
    if eez:
        try:
            stat = Path(eez).stat()
            inputs["env:OSA_EEZ_FILE"] = f"{eez}:{stat.st_size}:{stat.st_mtime_ns}"
        except OSError:
            inputs["env:OSA_EEZ_FILE"] = f"{eez}:missing"
    return inputs


def run_key(
    params: BriefParams,
    notebook_path: Path = NOTEBOOK,
    *,
    inputs: Mapping[str, str] | None = None,
    extra_parameters: Mapping[str, Any] | None = None,
) -> str:
    """Return the run key of a brief: what its content depends on, hashed.

    sha256 over canonical JSON (sorted keys) of: the notebook source without outputs
    (:func:`notebook_digest`), the content parameters (:meth:`BriefParams.content_parameters`:
    paths excluded), ``extra_parameters``, the input sha256s (:func:`input_digests`), the
    ``osa_analysis`` version and :func:`package_digest`.

    Parameters
    ----------
    params : BriefParams
    notebook_path : Path
        The brief notebook (``.py`` or ``.ipynb``).
    inputs : Mapping, optional
        Input digests; default :func:`input_digests`.
    extra_parameters : Mapping, optional
        Further notebook parameters passed by the runner (template tests).

    Returns
    -------
    str
        64 hex digits.
    """
    payload = {
        "notebook": notebook_digest(notebook_path),
        "params": params.content_parameters(),
        "extra_parameters": dict(extra_parameters or {}),
        "inputs": dict(input_digests() if inputs is None else inputs),
        "package_version": __version__,
        "package_source": package_digest(),
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return _sha256_bytes(text.encode())


def read_run_record(country_dir: Path) -> dict | None:
    """Return the ``run.json`` of a published brief folder, or ``None`` if absent/unreadable."""
    return read_json_object(Path(country_dir) / RUN_FILE)


def file_hashes(folder: Path, names: list[str]) -> dict[str, str]:
    """Return the sha256 of each file ``names`` of ``folder`` (``run.json``'s ``sha256``)."""
    return {name: _sha256_bytes((folder / name).read_bytes()) for name in sorted(names)}


def _up_to_date(country_dir: Path, key: str, *, render: bool) -> dict | None:
    """Return the published record when it is ``ok`` with ``key`` and its files are its own.

    Every file the record lists must exist with the sha256 it recorded, so a brief whose
    files were changed or half-replaced by hand is built again, not skipped. A brief dated
    before the published one lives in ``history/<as_of>--<key12>/`` only
    (:func:`version_folder`); it is up to date when that version is.
    """
    published = read_run_record(country_dir)
    if _current(published, country_dir, key, render=render):
        return published
    if (published or {}).get("run_key") in (None, key):  # the published one, damaged
        return None
    history = country_dir / HISTORY_DIR
    for folder in sorted(history.glob(version_name("*", key))) if history.is_dir() else ():
        record = read_run_record(folder)
        if _current(record, folder, key, render=render):
            return record
    return None


def version_name(as_of: str, key: str) -> str:
    """Return the history folder name of a brief: ``<as_of>--<key12>``."""
    return f"{as_of}--{key[:12]}"


def version_folder(country_dir: Path, record: Mapping[str, Any]) -> Path:
    """Return where the brief of a ``run.json`` is published.

    ``country_dir`` when it is the published one, else its history folder.
    """
    published = read_run_record(country_dir) or {}
    if published.get("run_key") == record.get("run_key"):
        return country_dir
    return country_dir / HISTORY_DIR / version_name(record["as_of"], record["run_key"])


def _current(record: dict | None, folder: Path, key: str, *, render: bool) -> bool:
    """Whether ``record`` (the ``run.json`` of ``folder``) is ``ok``, of ``key``, with its files."""
    if not record or record.get("status") != "ok" or record.get("run_key") != key:
        return False
    files = record.get("files") or {}
    if render and "html" not in files:
        return False
    if not all((folder / name).is_file() for name in files.values()):
        return False
    recorded = record.get("sha256")
    if not isinstance(recorded, dict) or set(recorded) != set(files.values()):
        return False
    try:
        return file_hashes(folder, list(files.values())) == recorded
    except OSError:
        return False
