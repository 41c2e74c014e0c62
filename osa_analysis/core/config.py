"""Project paths, overridable by environment variables; no I/O at import.

``OSA_DATA_DIR``
    The local cache of fetched source files (default ``<project>/data/raw``).
``OSA_DATA_MIRROR``
    A read-only folder laid out like the cache, used when there is no internet
    (CI uses ``../shared/data-mirror``).
``OSA_CACHE_DIR``
    Derived tables the package builds and caches (default ``<project>/data/cache``).
``OSA_SOURCE_URLS``
    A YAML or JSON file mapping registry ids to URLs that replace the registry's (an
    institutional mirror; the tests' loopback server): :mod:`osa_analysis.sources.download`.
``OSA_PINNED``
    ``1`` ignores the vintage lock: every source is read with its registry-pinned bytes
    (``--pinned``; exact reproduction). :mod:`osa_analysis.sources.vintages`.
``OSA_DOWNLOAD_TIMEOUT``
    Seconds a download may wait for the server (connect and each read; default 60).
``OSA_EEZ_FILE``
    Marine Regions World EEZ v12 (zip, shapefile or GeoPackage) downloaded by the user; when
    set, it replaces the approximate EEZ (:func:`osa_analysis.harmonise.eez.load_eez`).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
PROJECT_ROOT = PACKAGE_DIR.parent
CURATED_DIR = PROJECT_ROOT / "data"
SOURCES_FILE = CURATED_DIR / "sources.yaml"


def data_dir() -> Path:
    """Return the cache directory for raw source files (``OSA_DATA_DIR``)."""
    return Path(os.environ.get("OSA_DATA_DIR") or CURATED_DIR / "raw").expanduser()


def mirror_dir() -> Path | None:
    """Return the offline mirror folder (``OSA_DATA_MIRROR``), or ``None`` when unset."""
    value = os.environ.get("OSA_DATA_MIRROR")
    return Path(value).expanduser() if value else None


def derived_cache_dir() -> Path:
    """Return the directory for derived caches such as the incident table (``OSA_CACHE_DIR``)."""
    return Path(os.environ.get("OSA_CACHE_DIR") or CURATED_DIR / "cache").expanduser()


def source_urls_file() -> Path | None:
    """Return the URL redirection file (``OSA_SOURCE_URLS``), or ``None`` when unset."""
    value = os.environ.get("OSA_SOURCE_URLS")
    return Path(value).expanduser() if value else None


def pinned() -> bool:
    """Whether builds ignore the vintage lock and read the registry's pinned bytes."""
    return os.environ.get("OSA_PINNED", "").strip().lower() in {"1", "true", "yes"}


def download_timeout() -> float:
    """Return the download timeout in seconds (``OSA_DOWNLOAD_TIMEOUT``, default 60)."""
    value = os.environ.get("OSA_DOWNLOAD_TIMEOUT", "").strip()
    try:
        seconds = float(value) if value else 60.0
    except ValueError:
        raise ValueError(
            f"OSA_DOWNLOAD_TIMEOUT must be a number of seconds, got {value!r}"
        ) from None
    if seconds <= 0:
        raise ValueError(f"OSA_DOWNLOAD_TIMEOUT must be above 0, got {value!r}")
    return seconds
