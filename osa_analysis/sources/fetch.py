"""Obtain a registered source file: cache -> offline mirror -> pinned upstream URL.

Every path is sha256-checked against :func:`osa_analysis.sources.registry.registry` (the
pin, or the locked vintage). A mismatch, a missing file or an unreachable URL raises
:class:`FetchError` saying what to do; there is never a silent fallback to other bytes. A
source that no URL returns pinned bytes for (a reconstruction or a subset) but that has a
release channel to the official file is obtained through ``data update``'s
validate-before-use path (:func:`osa_analysis.sources.update.update_source`) unless
``OSA_PINNED=1``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

from osa_analysis.core import config
from osa_analysis.core.files import atomic_path
from osa_analysis.sources.download import (
    DownloadError,
    DownloadHashError,
    download,
    extract_member,
    source_url,
)
from osa_analysis.sources.registry import Source, get_source, registry

log = logging.getLogger(__name__)


class FetchError(RuntimeError):
    """A source file could not be obtained with the registered bytes."""


class HashMismatchError(FetchError):
    """A file's sha256 differs from the registry's."""


def sha256_of(path: Path, *, chunk: int = 1 << 20) -> str:
    """Return the hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256.json")


def verified_sha256(path: Path, *, rehash: bool = False) -> str:
    """Return a cached file's sha256, reusing a stamp while the file is provably unchanged.

    The stamp (``<file>.sha256.json`` beside the file) spares re-hashing large files on
    every load. It is reused only while the file's device, inode, size, modification time
    and status-change time (``ctime``) are those stamped: an edit that keeps the size and
    restores the mtime with ``utime`` still moves the ctime, which no user call can set
    back. ``rehash`` (``osa-briefs data status --verify``) hashes the bytes regardless.
    """
    stat = path.stat()
    stamp = _stamp_path(path)
    key = {
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "ctime_ns": stat.st_ctime_ns,
        "inode": stat.st_ino,
        "device": stat.st_dev,
    }
    try:
        saved = json.loads(stamp.read_text())
        if not rehash and {k: saved.get(k) for k in key} == key:
            return saved["sha256"]
    except (OSError, ValueError, KeyError):
        pass
    digest = sha256_of(path)
    try:
        stamp.write_text(json.dumps({**key, "sha256": digest}))
    except OSError:  # read-only cache: hashing every time is still correct
        pass
    return digest


def _check(path: Path, source: Source, origin: str) -> None:
    actual = sha256_of(path)
    if actual != source.sha256:
        raise HashMismatchError(
            f"{origin} file {path} for source {source.id!r} has sha256 {actual[:12]}…, "
            f"expected {source.sha256[:12]}… ({source.title}). The file is corrupted or a "
            f"different version; replace it with the registered bytes "
            f"({source.url or source.official_release})."
        )


def _atomic_copy(src: Path, dest: Path) -> None:
    with atomic_path(dest) as tmp:
        shutil.copyfile(src, tmp)


def _from_upstream(source: Source, target: Path) -> None:
    url = source_url(source.id, source.url)
    if not url:
        raise FetchError(
            f"source {source.id!r} ({source.file}) is not in the cache or mirror, and no "
            f"upstream URL returns its registered bytes. Set OSA_DATA_MIRROR to a folder holding "
            f"it, or load the official release yourself: {source.official_release}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if source.member:
            archive = target.parent / ".downloads" / Path(url).name
            # a redirected archive (a mirror may repack it) is trusted by its member's sha256
            pinned = url == source.url
            download(url, archive, sha256=source.archive_sha256 if pinned else None)
            extract_member(archive, source.member, target)
        else:
            download(url, target, sha256=source.sha256)
    except DownloadHashError as exc:
        raise HashMismatchError(f"download of {url} does not match the registry: {exc}") from exc
    except DownloadError as exc:
        raise FetchError(str(exc)) from exc
    try:
        _check(target, source, "downloaded")
    except HashMismatchError:
        target.unlink(missing_ok=True)  # never leave wrong bytes in the cache
        raise


def _through_release_channel(source: Source) -> bool:
    """Whether a missing source is obtained from its release channel (validated, locked)."""
    return (
        not source.url
        and source.locked is None
        and source.release.channel in ("latest", "pattern")
        and source.release.official
        and not config.pinned()
    )


def fetch(
    source_id: str,
    *,
    data_dir: Path | None = None,
    mirror: Path | None = None,
    via_release: bool = True,
) -> Path:
    """Return the local path of a registered source file, obtaining it if needed.

    Order: the cache (``OSA_DATA_DIR``, default ``data/raw``) when its sha256 is good; else a
    copy from the offline mirror (``OSA_DATA_MIRROR``), sha256-checked; else the pinned
    upstream URL (timeouts, retries, archive-member extraction, sha256 check, atomic write);
    a source with no pinned URL but an official release channel is taken from that channel,
    validated before use (:func:`osa_analysis.sources.update.update_source`). The vintage
    lock is the one of ``OSA_DATA_DIR``: pass ``data_dir`` only for a folder without a lock.

    Parameters
    ----------
    source_id : str
        Registry id, e.g. ``"wgi"``.
    data_dir, mirror : Path, optional
        Override the cache and mirror folders (defaults from the environment).
    via_release : bool
        Whether a source without a pinned download may be obtained through its release
        channel (``data update`` itself passes ``False``).

    Returns
    -------
    Path
        The verified file in the cache.

    Raises
    ------
    HashMismatchError
        The mirror or the download holds different bytes.
    FetchError
        The file is nowhere to be had; the message says what to do.
    """
    source = get_source(source_id)
    cache_dir = data_dir or config.data_dir()
    target = cache_dir / source.file
    if target.exists():
        if verified_sha256(target) == source.sha256:
            return target
        log.warning("cached %s has the wrong sha256; fetching it again", target)
        target.unlink()
        _stamp_path(target).unlink(missing_ok=True)
    mirror = mirror if mirror is not None else config.mirror_dir()
    mirror_problem = ""
    if mirror is not None:
        candidate = mirror / source.file
        if candidate.exists():
            _check(candidate, source, "mirror")
            _atomic_copy(candidate, target)
            return target
        mirror_problem = f" (OSA_DATA_MIRROR={mirror} has no {source.file})"
    if via_release and _through_release_channel(source):
        from osa_analysis.sources.update import update_source  # it fetches the vintage in use

        result = update_source(source_id, data_dir=cache_dir)
        if target.exists() and verified_sha256(target) == source.sha256:
            return target  # the channel served the very bytes registered
        if result.status != "new":
            raise FetchError(
                f"source {source_id!r} has no pinned download, and its release channel gave "
                f"no usable file: {result.message}{mirror_problem}"
            )
        return cache_dir / get_source(source_id).file
    try:
        _from_upstream(source, target)
    except HashMismatchError as exc:
        if source.locked:
            raise HashMismatchError(
                f"{exc}. The locked vintage of {source_id!r} ({source.sha256[:12]}, retrieved "
                f"{source.locked['retrieved_at']}) is gone from {cache_dir} and its URL now "
                f"serves other bytes: run `osa-briefs data update {source_id}` to take the "
                "newest release, or build with --pinned"
            ) from exc
        raise
    except FetchError as exc:
        raise FetchError(f"{exc}{mirror_problem}") from exc
    return target


def fetch_all(ids: list[str] | None = None, **kwargs) -> dict[str, Path | Exception]:
    """Fetch several sources, collecting each failure instead of stopping at the first.

    Returns
    -------
    dict
        Source id to its cached path, or to the exception that stopped it.
    """
    results: dict[str, Path | Exception] = {}
    for sid in ids or sorted(registry()):
        try:
            results[sid] = fetch(sid, **kwargs)
        except Exception as exc:
            results[sid] = exc
    return results


def cached_path(source_id: str, *, data_dir: Path | None = None) -> Path:
    """Return where a source would sit in the cache, without fetching it."""
    return (data_dir or config.data_dir()) / get_source(source_id).file
