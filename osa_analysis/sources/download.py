"""Downloads: one HTTP path for pinned fetches and release updates, and URL redirection.

:func:`download` writes a URL's bytes to a file atomically (pooch), with a timeout
(``OSA_DOWNLOAD_TIMEOUT``), retries with back-off for network errors and server errors, and
no retry for "not found" (404, 410: :class:`NotFoundError`) or a wrong sha256.

``OSA_SOURCE_URLS`` names a YAML (or JSON) file that replaces upstream URLs by registry id,
for an institutional mirror or a local test server::

    wgi: https://mirror.example.org/wgi.csv        # every URL of wgi
    ucdp_prio_acd:
      url: https://mirror.example.org/acd-251.zip  # the pinned download
      release: https://mirror.example.org/ucdp-prio-acd-{v}1-csv.zip  # the release channel

:func:`source_url` applies it.
"""

from __future__ import annotations

import logging
import shutil
import tarfile
import time
import zipfile
from functools import lru_cache
from pathlib import Path

import yaml

from osa_analysis.core import config
from osa_analysis.core.files import atomic_path
from osa_analysis.core.yamlio import safe_load

log = logging.getLogger(__name__)

DOWNLOAD_ATTEMPTS = 3
RETRY_BACKOFF_S = 2.0
"""First pause between attempts; it doubles, up to 10 s (tests set it to 0)."""

URL_KINDS = ("url", "release")


class DownloadError(RuntimeError):
    """A URL could not be downloaded (after the retries)."""


class NotFoundError(DownloadError):
    """The server answered 404 or 410: there is nothing at that URL."""


class DownloadHashError(DownloadError):
    """The downloaded bytes do not have the expected sha256."""


@lru_cache(maxsize=4)
def _read_url_file(path: str, signature: tuple) -> dict[str, dict[str, str]]:
    try:
        raw = safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"OSA_SOURCE_URLS={path}: no such file") from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"OSA_SOURCE_URLS={path}: not valid YAML or JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise ValueError(f"OSA_SOURCE_URLS={path}: expected a mapping of source ids to URLs")
    out = {}
    for sid, value in raw.items():
        if isinstance(value, str):
            out[str(sid)] = dict.fromkeys(URL_KINDS, value)
        elif isinstance(value, dict) and set(value) <= set(URL_KINDS):
            out[str(sid)] = {k: str(v) for k, v in value.items()}
        else:
            raise ValueError(
                f"OSA_SOURCE_URLS={path}: entry {sid!r} must be a URL or a mapping with "
                f"{' and/or '.join(URL_KINDS)}, got {value!r}"
            )
    return out


def redirections() -> dict[str, dict[str, str]]:
    """Return the ``OSA_SOURCE_URLS`` mapping (id to ``{"url": ..., "release": ...}``)."""
    path = config.source_urls_file()
    if path is None:
        return {}
    try:
        stat = path.stat()
        signature = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    except FileNotFoundError:
        signature = ()
    return _read_url_file(str(path), signature)


def source_url(source_id: str, url: str | None, kind: str = "url") -> str | None:
    """Return the URL to use for one of a source's URLs, after ``OSA_SOURCE_URLS``.

    Parameters
    ----------
    source_id : str
        Registry id.
    url : str or None
        The registry's URL (the pin, or the release channel's).
    kind : {"url", "release"}
        Which of the source's URLs it is.
    """
    return redirections().get(source_id, {}).get(kind, url)


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def download(url: str, dest: Path, *, sha256: str | None = None) -> None:
    """Download ``url`` to ``dest`` atomically, checking ``sha256`` when given.

    Raises
    ------
    NotFoundError
        404 or 410 (not retried).
    DownloadHashError
        The bytes differ from ``sha256`` (not retried; nothing is left at ``dest``).
    DownloadError
        Every attempt failed (timeouts, refused connections, server errors).
    """
    import pooch  # imported lazily: only needed when downloading

    pooch.get_logger().setLevel(logging.WARNING)  # not its "use this known_hash" advice
    downloader = pooch.HTTPDownloader(timeout=config.download_timeout(), progressbar=False)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    last: Exception | None = None
    for attempt in range(1, DOWNLOAD_ATTEMPTS + 1):
        try:
            with atomic_path(dest) as tmp:
                pooch.retrieve(
                    url,
                    known_hash=f"sha256:{sha256}" if sha256 else None,
                    fname=tmp.name,
                    path=tmp.parent,
                    downloader=downloader,
                )
            return
        except ValueError as exc:  # pooch's hash mismatch: retrying will not help
            raise DownloadHashError(
                f"download of {url} has other bytes than expected: {exc}"
            ) from exc
        except Exception as exc:
            if _status(exc) in (404, 410):
                raise NotFoundError(f"{url} answered {_status(exc)} (not found)") from exc
            last = exc
            log.warning(
                "download attempt %d/%d of %s failed: %s", attempt, DOWNLOAD_ATTEMPTS, url, exc
            )
            if attempt < DOWNLOAD_ATTEMPTS:
                time.sleep(min(RETRY_BACKOFF_S * 2 ** (attempt - 1), 10))
    raise DownloadError(f"could not download {url} after {DOWNLOAD_ATTEMPTS} attempts: {last}")


def _member_name(names: list[str], member: str, archive: Path) -> str:
    """Return the archive entry named ``member``, or the one entry whose base name it is."""
    if member in names:
        return member
    matches = [n for n in names if n.rsplit("/", 1)[-1] == member]
    if len(matches) == 1:
        return matches[0]
    raise DownloadError(
        f"{archive}: no member {member!r}"
        + (f" (several end in it: {matches})" if matches else f"; it holds {names[:10]}")
    )


def extract_member(archive: Path, member: str, dest: Path) -> None:
    """Copy one member of a zip or tar archive to ``dest`` atomically.

    The member is matched by its full name, else by its base name when exactly one entry
    has it (releases that put the file in a folder).
    """
    with atomic_path(dest) as tmp:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zf:
                name = _member_name(zf.namelist(), member, archive)
                with zf.open(name) as src, open(tmp, "wb") as out:
                    shutil.copyfileobj(src, out)
        else:
            try:
                tf = tarfile.open(archive)
            except tarfile.TarError as exc:
                raise DownloadError(f"{archive}: neither a zip nor a tar archive ({exc})") from None
            with tf:
                name = _member_name(tf.getnames(), member, archive)
                src = tf.extractfile(name)
                if src is None:
                    raise DownloadError(f"{archive}: member {name!r} is not a regular file")
                with src, open(tmp, "wb") as out:
                    shutil.copyfileobj(src, out)
