"""The source registry: every upstream file the project reads, described as data.

The registry lives in ``data/sources.yaml`` (one entry per file). Each entry names the
producer, citation, licence and redistribution class, the pinned upstream URL (and archive
member), the canonical producer URL, the sha256 of the exact bytes, coverage and vintage, and
its release channel (:class:`Release`: how new bytes arrive, cadence and lag).

:func:`pinned_registry` is the file as written. :func:`registry` is what the package reads:
the pinned entries with every vintage accepted by ``osa-briefs data update`` (the vintage
lock, :mod:`osa_analysis.sources.vintages`) laid over them, unless ``OSA_PINNED=1``
(``--pinned``). Every consumer (fetch, cache keys, run keys, provenance) sees one view.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields, replace
from functools import cache, lru_cache
from pathlib import Path

import yaml

from osa_analysis.core import config
from osa_analysis.core.config import SOURCES_FILE
from osa_analysis.core.yamlio import safe_load
from osa_analysis.sources import vintages as vintage_lock

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
    "release",
)

CHANNELS = ("latest", "pattern", "frozen", "manual")
"""How new bytes of a source arrive (:class:`Release`)."""

CADENCE_DAYS = {
    "daily": 1,
    "weekly": 7,
    "monthly": 31,
    "quarterly": 92,
    "yearly": 366,
    "irregular": None,
    "ended": None,
}
"""Expected days between releases; ``None`` for sources with no expected next release."""


class RegistryError(ValueError):
    """The source registry file is malformed or an id is unknown."""


@dataclass(frozen=True)
class Release:
    """How new releases of a source arrive (the registry's ``release:`` block).

    Attributes
    ----------
    channel : str
        ``latest``: ``url`` always returns the newest release (e.g. a file on a repository's
        default branch); ``pattern``: ``url`` (and ``member``) hold ``{v}``, the release
        number, and release ``current`` is the pinned one, so the next is ``current + 1``;
        ``frozen``: an ended series (``url``, when given, is polled and a 404 is "no new
        data"); ``manual``: no machine-readable channel in a format the loader reads, so a
        new release is a registry edit (a new pin).
    cadence : str
        Expected release frequency, a key of :data:`CADENCE_DAYS`.
    lag_days : int
        Usual days from the end of the period a release covers to its publication.
    url, member : str or None
        The channel's URL and, for an archive, the member holding the file.
    current : int or None
        ``pattern`` only: the release number of the pinned bytes.
    official : bool
        Whether the channel serves the producer's official release (then a vintage from it
        is official even where the pinned file is a reconstruction or a subset).
    min_row_ratio : float
        A release with fewer rows than this share of the vintage in use is refused.
    key : bool
        Whether briefs say at the top when this input is overdue.
    notes : str
        Where the releases come from, in words.
    """

    channel: str
    cadence: str
    lag_days: int = 0
    url: str | None = None
    member: str | None = None
    current: int | None = None
    official: bool = False
    min_row_ratio: float = 0.9
    key: bool = False
    notes: str = ""

    @property
    def cadence_days(self) -> int | None:
        """Expected days between releases (``None``: no next release is expected)."""
        return CADENCE_DAYS[self.cadence]


def release_problems(source_id: str, raw: object) -> list[str]:
    """List what is wrong with one entry's ``release:`` block (empty when it is complete)."""
    if not isinstance(raw, dict):
        return [f"{source_id}: 'release' must be a mapping"]
    where = f"{source_id}: release"
    known = {f.name for f in fields(Release)}
    problems = (
        [f"{where} has unknown fields {sorted(set(raw) - known)}"] if set(raw) - known else []
    )
    channel, cadence, url = raw.get("channel"), raw.get("cadence"), raw.get("url")
    if channel not in CHANNELS:
        problems.append(f"{where} channel must be one of {CHANNELS}, got {channel!r}")
    if cadence not in CADENCE_DAYS:
        problems.append(f"{where} cadence must be one of {tuple(CADENCE_DAYS)}, got {cadence!r}")
    if channel in ("latest", "pattern") and not url:
        problems.append(f"{where} channel {channel!r} needs a 'url'")
    if channel == "pattern":
        if "{v}" not in str(url or "") or not isinstance(raw.get("current"), int):
            problems.append(f"{where} 'pattern' needs a url with {{v}} and an integer 'current'")
    elif raw.get("current") is not None:
        problems.append(f"{where} 'current' is only for the 'pattern' channel")
    if channel == "manual" and url:
        problems.append(f"{where} a 'manual' channel has no url (use 'latest')")
    if channel == "frozen" and cadence != "ended":
        problems.append(f"{where} a 'frozen' source has cadence 'ended'")
    if not isinstance(raw.get("lag_days", 0), int) or raw.get("lag_days", 0) < 0:
        problems.append(f"{where} lag_days must be a whole number of days >= 0")
    ratio = raw.get("min_row_ratio", 0.9)
    if not isinstance(ratio, int | float) or not 0 <= ratio <= 1:
        problems.append(f"{where} min_row_ratio must be between 0 and 1")
    return problems


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
    release : Release
        How new releases arrive (channel, cadence, lag).
    locked : dict or None
        In :func:`registry`, the vintage-lock record when a vintage accepted by ``data
        update`` replaces the pinned bytes (then ``file``, ``sha256``, ``size_bytes``,
        ``coverage``, ``vintage``, ``rows`` and ``url`` are the vintage's); else ``None``.
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
    release: Release
    url: str | None = None
    member: str | None = None
    archive_sha256: str | None = None
    official_release: str | None = None
    rows: int | None = None
    locked: dict | None = None
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
    if entry.get("release") is not None:
        problems.extend(release_problems(source_id, entry["release"]))
    known = {f.name for f in fields(Source)} - {"id", "extra", "locked"}
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
    return {
        sid: Source(id=sid, **{**entry, "release": Release(**entry["release"])})
        for sid, entry in raw.items()
    }


@cache
def pinned_registry() -> dict[str, Source]:
    """Return the registry as written in ``data/sources.yaml`` (read once per process)."""
    return read_registry(SOURCES_FILE)


def with_vintage(source: Source, record: dict) -> Source:
    """Return ``source`` reading the vintage a lock ``record`` describes instead of its pin."""
    release = source.release
    return replace(
        source,
        file=record["file"],
        sha256=record["sha256"],
        size_bytes=int(record["size_bytes"]),
        coverage=record.get("coverage") or source.coverage,
        vintage=f"{record['release']} (retrieved {record['retrieved_at'][:10]})",
        rows=record.get("rows"),
        url=record.get("url"),
        member=record.get("member"),
        archive_sha256=record.get("archive_sha256"),
        official=source.official or release.official,
        locked=dict(record),
    )


@lru_cache(maxsize=8)
def _effective(pinned_flag: bool, lock: str, signature: tuple | None) -> dict[str, Source]:
    sources = pinned_registry()
    if pinned_flag or signature is None:
        return sources
    records = vintage_lock.read_lock(Path(lock))
    return {
        sid: with_vintage(src, records[sid]) if sid in records else src
        for sid, src in sources.items()
    }


def _view() -> tuple[bool, str, tuple | None]:
    lock = vintage_lock.lock_path(config.data_dir())
    return config.pinned(), str(lock), vintage_lock.lock_signature(lock)


def registry() -> dict[str, Source]:
    """Return the registry the package reads: pins, with the locked vintages laid over.

    The vintage lock (``vintages.lock.json`` in ``OSA_DATA_DIR``) is re-read whenever it
    changes; ``OSA_PINNED=1`` ignores it.
    """
    return _effective(*_view())


@lru_cache(maxsize=8)
def _digest(pinned_flag: bool, lock: str, signature: tuple | None) -> str:
    shas = sorted(
        f"{sid}:{src.sha256}" for sid, src in _effective(pinned_flag, lock, signature).items()
    )
    return hashlib.sha256("\n".join(shas).encode()).hexdigest()[:16]


def registry_digest() -> str:
    """Return a digest of the sha256 of every source in use (it moves with each vintage).

    In-process table caches key on it, so a kernel that keeps running after ``data update``
    reads the new vintage.
    """
    return _digest(*_view())


def clear_registry_cache() -> None:
    """Forget the registry read so far (tests that swap ``SOURCES_FILE``)."""
    pinned_registry.cache_clear()
    _effective.cache_clear()
    _digest.cache_clear()


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
