"""Obtain a registered source file: cache -> offline mirror -> pinned upstream URL.

Every path is sha256-checked. A mismatch, a missing file or an unreachable URL raises
:class:`FetchError` saying what to do; there is never a silent fallback to other bytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tarfile
import time
import zipfile
from pathlib import Path

from osa_analysis.core import config
from osa_analysis.core.files import atomic_path
from osa_analysis.sources.registry import Source, get_source, registry

log = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT_S = 60
DOWNLOAD_ATTEMPTS = 3


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


def _download(url: str, dest: Path, known_hash: str | None) -> None:
    """Download ``url`` to ``dest`` with retries; pooch writes atomically and checks the hash."""
    import pooch  # imported lazily: only needed when downloading

    downloader = pooch.HTTPDownloader(timeout=DOWNLOAD_TIMEOUT_S, progressbar=False)
    last: Exception | None = None
    for attempt in range(1, DOWNLOAD_ATTEMPTS + 1):
        try:
            pooch.retrieve(
                url,
                known_hash=f"sha256:{known_hash}" if known_hash else None,
                fname=dest.name,
                path=dest.parent,
                downloader=downloader,
            )
            return
        except ValueError as exc:  # pooch's hash mismatch: retrying will not help
            raise HashMismatchError(
                f"download of {url} does not match the registry: {exc}"
            ) from exc
        except Exception as exc:  # network errors: retry with back-off
            last = exc
            log.warning(
                "download attempt %d/%d of %s failed: %s", attempt, DOWNLOAD_ATTEMPTS, url, exc
            )
            time.sleep(min(2**attempt, 10))
    raise FetchError(f"could not download {url} after {DOWNLOAD_ATTEMPTS} attempts: {last}")


def _extract_member(archive: Path, member: str, dest: Path) -> None:
    try:
        with atomic_path(dest) as tmp:
            if zipfile.is_zipfile(archive):
                with zipfile.ZipFile(archive) as zf, zf.open(member) as src, open(tmp, "wb") as out:
                    shutil.copyfileobj(src, out)
            else:
                with tarfile.open(archive) as tf:
                    src = tf.extractfile(member)
                    if src is None:
                        raise FetchError(f"{archive}: member {member!r} is not a regular file")
                    with src, open(tmp, "wb") as out:
                        shutil.copyfileobj(src, out)
    except KeyError as exc:
        raise FetchError(f"{archive}: no member {member!r}") from exc


def _from_upstream(source: Source, target: Path) -> None:
    if not source.url:
        raise FetchError(
            f"source {source.id!r} ({source.file}) is not in the cache or mirror, and no "
            f"upstream URL returns its registered bytes. Set OSA_DATA_MIRROR to a folder holding "
            f"it, or load the official release yourself: {source.official_release}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.member:
        downloads = target.parent / ".downloads"
        archive = downloads / Path(source.url).name
        _download(source.url, archive, source.archive_sha256)
        _extract_member(archive, source.member, target)
    else:
        _download(source.url, target, source.sha256)
    try:
        _check(target, source, "downloaded")
    except HashMismatchError:
        target.unlink(missing_ok=True)  # never leave wrong bytes in the cache
        raise


def fetch(source_id: str, *, data_dir: Path | None = None, mirror: Path | None = None) -> Path:
    """Return the local path of a registered source file, obtaining it if needed.

    Order: the cache (``OSA_DATA_DIR``, default ``data/raw``) when its sha256 is good; else a
    copy from the offline mirror (``OSA_DATA_MIRROR``), sha256-checked; else the pinned
    upstream URL (timeouts, retries, archive-member extraction, sha256 check, atomic write).

    Parameters
    ----------
    source_id : str
        Registry id, e.g. ``"wgi"``.
    data_dir, mirror : Path, optional
        Override the cache and mirror folders (defaults from the environment).

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
    try:
        _from_upstream(source, target)
    except HashMismatchError:
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
