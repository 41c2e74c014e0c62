"""The source registry: every upstream file the project reads, described as data.

The registry lives in ``data/sources.yaml`` (one entry per file). Each entry names the
producer, citation, licence and redistribution class, the pinned upstream URL (and archive
member), the canonical producer URL, the sha256 of the exact bytes, coverage and vintage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path

import yaml

from osa_analysis.core.config import SOURCES_FILE
from osa_analysis.core.yamlio import safe_load

REDISTRIBUTION_CLASSES = ("open", "attribution", "share-alike", "internal")
"""Licence classes, from the most to the least permissive (see the README)."""

CUT_RULES = ("date", "event", "year", "time", "none")
"""How a source's table is cut at ``as_of`` (:func:`osa_analysis.analyse.tables.cut_table`)."""

_KWARG = r"[a-z_]+=[^,()]+"
_LOADER = re.compile(rf"^[a-z_][a-z0-9_]*:[a-z_][a-z0-9_]*(\({_KWARG}(,{_KWARG})*\))?$")

REQUIRED_FIELDS = (
    "title",
    "producer",
    "citation",
    "licence",
    "redistribution",
    "file",
    "canonical_url",
    "sha256",
    "size_bytes",
    "coverage",
    "vintage",
    "official",
    "notes",
    "loader",
    "cut",
)


class RegistryError(ValueError):
    """The source registry file is malformed or an id is unknown."""


@dataclass(frozen=True)
class Source:
    """One upstream file the project reads.

    Attributes
    ----------
    id : str
        Registry key, e.g. ``"wgi"``.
    title, producer, citation, licence : str
        Provenance shown in every brief's sources annex.
    redistribution : str
        One of :data:`REDISTRIBUTION_CLASSES`; ``internal`` rows are never republished.
    file : str
        Path of the file inside the cache and the mirror, e.g. ``indicators/wgi_....csv``.
    url : str or None
        Pinned upstream URL returning exactly these bytes (or the archive holding them);
        ``None`` when no URL returns these bytes (a documented conversion or subset).
    member : str or None
        Archive member holding the file when ``url`` points at a ``.zip``/``.tgz``.
    archive_sha256 : str or None
        sha256 of the archive at ``url`` when ``member`` is set.
    canonical_url : str
        The producer's own page or download (updated in place; may differ from the pin).
    sha256 : str
        sha256 of the file's exact bytes.
    size_bytes : int
        Size of the file in bytes.
    coverage, vintage : str
        Period covered (``start/end``) and release or export date.
    official : bool
        ``True`` when the bytes are an official release; ``False`` for conversions, subsets
        and reconstructions (then ``official_release`` says how to load the official file).
    official_release : str or None
        How to obtain the official release and load it instead.
    rows : int or None
        Data rows (header excluded) as documented by the manifest.
    notes : str
        Known quirks.
    loader : str
        The loader reading the file, ``"module:function"`` in
        :mod:`osa_analysis.sources.loaders` (keyword arguments as ``"(name=value)"``).
    cut : str
        How its table is cut at a brief's ``as_of``: one of :data:`CUT_RULES`.
    """

    id: str
    title: str
    producer: str
    citation: str
    licence: str
    redistribution: str
    file: str
    canonical_url: str
    sha256: str
    size_bytes: int
    coverage: str
    vintage: str
    official: bool
    notes: str
    loader: str
    cut: str
    url: str | None = None
    member: str | None = None
    archive_sha256: str | None = None
    official_release: str | None = None
    rows: int | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def sha256_prefix(self) -> str:
        """First 12 hex digits of the sha256, as shown in vintage tables."""
        return self.sha256[:12]

    @property
    def republishable(self) -> bool:
        """Whether raw rows or text of this source may appear in a published brief."""
        return self.redistribution != "internal"


def entry_problems(source_id: str, entry: dict) -> list[str]:
    """List what is missing or inconsistent in one raw registry entry.

    Parameters
    ----------
    source_id : str
        The entry's key.
    entry : dict
        The entry as read from YAML.

    Returns
    -------
    list of str
        One message per problem; empty when the entry is complete.
    """
    problems = []
    for name in REQUIRED_FIELDS:
        value = entry.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(f"{source_id}: missing {name!r}")
    sha = str(entry.get("sha256") or "")
    if sha and (len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha)):
        problems.append(f"{source_id}: sha256 must be 64 lower-case hex digits, got {sha!r}")
    if entry.get("redistribution") not in REDISTRIBUTION_CLASSES:
        problems.append(
            f"{source_id}: redistribution must be one of {REDISTRIBUTION_CLASSES}, "
            f"got {entry.get('redistribution')!r}"
        )
    loader = entry.get("loader")
    if loader and not _LOADER.match(str(loader)):
        problems.append(f"{source_id}: loader must be 'module:function', got {loader!r}")
    if entry.get("cut") is not None and entry.get("cut") not in CUT_RULES:
        problems.append(f"{source_id}: cut must be one of {CUT_RULES}, got {entry.get('cut')!r}")
    if entry.get("member") and not entry.get("url"):
        problems.append(f"{source_id}: 'member' needs the archive 'url'")
    if entry.get("member") and not entry.get("archive_sha256"):
        problems.append(f"{source_id}: 'member' needs 'archive_sha256'")
    if entry.get("official") is False and not entry.get("official_release"):
        problems.append(f"{source_id}: not official, so 'official_release' must say how to load it")
    if not entry.get("url") and not entry.get("official_release"):
        problems.append(f"{source_id}: no pinned 'url', so 'official_release' must explain")
    known = {f.name for f in fields(Source)} - {"id", "extra"}
    unknown = set(entry) - known
    if unknown:
        problems.append(f"{source_id}: unknown fields {sorted(unknown)}")
    return problems


def read_registry(path: Path = SOURCES_FILE) -> dict[str, Source]:
    """Read and check a registry file.

    Parameters
    ----------
    path : Path
        YAML file mapping ids to entries (default ``data/sources.yaml``).

    Returns
    -------
    dict of str to Source

    Raises
    ------
    RegistryError
        Listing every incomplete entry at once.
    """
    try:
        raw = safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise RegistryError(f"{path}: expected a mapping of source ids to entries")
    problems = [p for sid, entry in raw.items() for p in entry_problems(sid, entry or {})]
    if problems:
        raise RegistryError(f"{path}: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return {sid: Source(id=sid, **entry) for sid, entry in raw.items()}


@cache
def registry() -> dict[str, Source]:
    """Return the project's source registry (read once per process)."""
    return read_registry(SOURCES_FILE)


def get_source(source_id: str) -> Source:
    """Return one registry entry.

    Raises
    ------
    RegistryError
        When the id is unknown; the message lists the known ids.
    """
    sources = registry()
    try:
        return sources[source_id]
    except KeyError:
        raise RegistryError(
            f"unknown source id {source_id!r}; known ids: {', '.join(sorted(sources))}"
        ) from None
