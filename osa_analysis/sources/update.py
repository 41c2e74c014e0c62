"""``osa-briefs data update``: take a source's newest release, validate it, then lock it.

For each source with a release channel (:class:`osa_analysis.sources.registry.Release`):

1. download the newest bytes (``latest``: the channel URL; ``pattern``: the next release
   numbers after the one in use, newest first found; ``frozen``: the URL if any, where a 404
   means "no new data"), after ``OSA_SOURCE_URLS``;
2. bytes equal to the vintage in use are "no new data";
3. **validate before use** (:func:`release_problems`): the source's own loader and schema
   must accept the file, and against the vintage in use the release must keep every column,
   not end earlier, not shrink below ``min_row_ratio`` of its rows, and hold no date after
   today;
4. accepted: the bytes are kept content-addressed (``vintages/<id>/<sha256[:16]>/``; older
   vintages stay) and recorded in the vintage lock (:mod:`osa_analysis.sources.vintages`);
   refused: they go to ``quarantine/<id>/<time>-<sha256[:12]>/`` with ``report.json``, and
   the vintage in use stays.

Network errors are retried, then reported (:mod:`osa_analysis.sources.download`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from osa_analysis.core import config
from osa_analysis.core.dates import coverage_in_years
from osa_analysis.core.files import write_json
from osa_analysis.sources import vintages
from osa_analysis.sources.coverage import dated_values, table_span
from osa_analysis.sources.download import (
    DownloadError,
    NotFoundError,
    download,
    extract_member,
    redirections,
    source_url,
)
from osa_analysis.sources.fetch import FetchError, sha256_of, verified_sha256
from osa_analysis.sources.registry import Source, clear_registry_cache, get_source, pinned_registry

PATTERN_LOOKAHEAD = 3
"""How many release numbers after the one in use a ``pattern`` channel tries."""

STATUSES = ("new", "no new data", "no channel", "failed")


@dataclass
class UpdateResult:
    """What ``data update`` did for one source.

    Attributes
    ----------
    source_id : str
    status : str
        One of :data:`STATUSES`.
    message : str
        One line for the user.
    problems : list of str
        Why a release was refused.
    quarantine : Path or None
        Where a refused release was put.
    record : dict or None
        The new vintage-lock record.
    """

    source_id: str
    status: str
    message: str
    problems: list[str] = field(default_factory=list)
    quarantine: Path | None = None
    record: dict | None = None


@dataclass(frozen=True)
class Candidate:
    """Downloaded bytes of a release: the file, where it came from and its release label."""

    path: Path
    url: str
    release: str
    member: str | None = None
    archive_sha256: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def has_channel(source: Source) -> bool:
    """Whether ``data update`` can ask anywhere for a newer release of ``source``.

    A ``manual`` source has a channel only when ``OSA_SOURCE_URLS`` gives it a ``release``
    URL (an institutional mirror serving its newest release); it is then read as ``latest``.
    """
    if source.release.channel == "manual":
        return "release" in redirections().get(source.id, {})
    return source.release.channel != "frozen" or bool(source.release.url)


def _download_release(
    source: Source, url: str, member: str | None, label: str, work: Path
) -> Candidate:
    target = work / Path(source.file).name
    if member:
        archive = work / "archive" / (Path(url.split("?")[0]).name or "download")
        download(url, archive)
        extract_member(archive, member, target)
        return Candidate(target, url, label, member, sha256_of(archive))
    download(url, target)
    return Candidate(target, url, label)


def _release_number(source: Source) -> int:
    locked = source.locked or {}
    try:
        return int(locked.get("release"))
    except (TypeError, ValueError):
        return int(source.release.current or 0)


def newest_release(source: Source, work: Path, *, have_current: bool) -> Candidate | None:
    """Download the newest release a source's channel offers (``None``: there is none).

    Raises
    ------
    NotFoundError
        A ``latest`` URL answered 404.
    DownloadError
        The download failed after its retries.
    """
    release = source.release
    if release.channel == "pattern":
        template = source_url(source.id, release.url, "release")
        base = _release_number(source)
        found = None
        for number in range(base + 1, base + 1 + PATTERN_LOOKAHEAD):
            try:
                found = _download_release(
                    source,
                    template.replace("{v}", str(number)),
                    (release.member or "").replace("{v}", str(number)) or None,
                    str(number),
                    work / str(number),
                )
            except NotFoundError:
                break
        if found is None and not have_current:  # a fresh machine: the pinned release itself
            found = _download_release(
                source,
                template.replace("{v}", str(base)),
                (release.member or "").replace("{v}", str(base)) or None,
                str(base),
                work / str(base),
            )
        return found
    url = source_url(source.id, release.url, "release")
    return _download_release(source, url, release.member, "latest", work / "latest")


def _last_value(table: pd.DataFrame) -> tuple[str, object] | None:
    """Return the resolution and last value of a table's dates or years (None: undated)."""
    dated = dated_values(table)
    if dated is None or not len(dated[1]):
        return None
    kind, values = dated
    return kind, values.max() if kind == "date" else int(values.max())


def span_text(table: pd.DataFrame, like: str) -> str | None:
    """Return a table's ``start/end`` span at the resolution of the registry ``like``."""
    span = table_span(table)
    if span is None or "/" not in str(like):
        return None
    if coverage_in_years(like):
        return f"{span[0].year}/{span[1].year}"
    return f"{span[0]:%Y-%m-%d}/{span[1]:%Y-%m-%d}"


def release_problems(
    new: pd.DataFrame,
    previous: pd.DataFrame | None,
    *,
    min_row_ratio: float,
    today: dt.date,
) -> list[str]:
    """Return why a loaded release must not replace the vintage in use (empty: accept it).

    Parameters
    ----------
    new : DataFrame
        The release, as its loader returns it (schema already checked).
    previous : DataFrame or None
        The vintage in use, loaded the same way (``None`` when there is none here).
    min_row_ratio : float
        Fewer rows than this share of ``previous``'s is a collapse.
    today : date
        Dates after it are impossible.
    """
    problems = []
    last = _last_value(new)
    if last is not None:
        kind, value = last
        if kind == "date" and value.date() > today + dt.timedelta(days=1):
            problems.append(f"dates in the future: the last is {value:%Y-%m-%d}, today is {today}")
        if kind == "year" and value > today.year:
            problems.append(f"years in the future: the last is {value}, today is {today}")
    if previous is None:
        return problems
    missing = [c for c in previous.columns if c not in new.columns]
    if missing:
        problems.append(f"columns missing that the vintage in use has: {missing}")
    if len(new) < min_row_ratio * len(previous):
        problems.append(
            f"{len(new):,} rows, the vintage in use has {len(previous):,} "
            f"(below {min_row_ratio:.0%}: the release has collapsed or is truncated)"
        )
    before = _last_value(previous)
    if last is not None and before is not None and before[0] == last[0] and last[1] < before[1]:
        shown = (lambda v: f"{v:%Y-%m-%d}") if last[0] == "date" else str
        problems.append(
            f"coverage goes backwards: it ends {shown(last[1])}, the vintage in use ends "
            f"{shown(before[1])}"
        )
    return problems


def _load(source: Source, path: Path) -> pd.DataFrame:
    from osa_analysis.sources.loaders import resolve_loader  # loaders import this package

    return resolve_loader(source.loader)(path=path)  # a path: never the disk cache


def _previous_table(source_id: str, data_dir: Path) -> tuple[pd.DataFrame | None, str | None]:
    """Return the vintage in use, loaded, or ``None`` and why not."""
    from osa_analysis.sources.fetch import fetch

    source = get_source(source_id)
    try:
        path = fetch(source_id, data_dir=data_dir, via_release=False)
    except FetchError as exc:
        return None, str(exc)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _load(source, path), None


def _quarantine(
    source: Source, candidate: Candidate, sha: str, problems: list[str], data_dir: Path
) -> Path:
    stamp = _now().strftime("%Y%m%dT%H%M%SZ")
    folder = data_dir / vintages.QUARANTINE_DIR / source.id / f"{stamp}-{sha[:12]}"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.move(candidate.path, folder / candidate.path.name)
    write_json(
        folder / "report.json",
        {
            "source": source.id,
            "url": candidate.url,
            "release": candidate.release,
            "sha256": sha,
            "file": candidate.path.name,
            "refused_at": _now().isoformat(),
            "problems": problems,
        },
    )
    return folder


def _accept(
    source: Source, candidate: Candidate, sha: str, table: pd.DataFrame, data_dir: Path
) -> dict:
    pinned = pinned_registry()[source.id]
    relative = vintages.vintage_file(source.id, sha, Path(pinned.file).name)
    target = data_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(candidate.path, target)
    verified_sha256(target)  # stamp it
    record = {
        "sha256": sha,
        "size_bytes": target.stat().st_size,
        "file": relative,
        "url": candidate.url,
        "member": candidate.member,
        "archive_sha256": candidate.archive_sha256,
        "release": candidate.release,
        "retrieved_at": _now().isoformat(),
        "coverage": span_text(table, pinned.coverage) or pinned.coverage,
        "rows": len(table),
        "columns": [str(c) for c in table.columns],
        "previous_sha256": source.sha256,
    }
    lock = vintages.lock_path(data_dir)
    records = vintages.read_lock(lock)
    records[source.id] = record
    vintages.write_lock(lock, records)
    clear_registry_cache()
    return record


def update_source(
    source_id: str, *, data_dir: Path | None = None, today: dt.date | None = None
) -> UpdateResult:
    """Look for a newer release of one source and accept it only if it validates.

    Parameters
    ----------
    source_id : str
        Registry id.
    data_dir : Path, optional
        The data directory (default ``OSA_DATA_DIR``): vintages, quarantine and the lock.
    today : date, optional
        For the future-date check (default: today, UTC).

    Returns
    -------
    UpdateResult
    """
    data_dir = Path(data_dir or config.data_dir())
    today = today or _now().date()
    source = get_source(source_id)
    release = source.release
    if not has_channel(source):
        why = "an ended series" if release.channel == "frozen" else "no release channel"
        return UpdateResult(source_id, "no channel", f"{why}: {release.notes}")
    previous, missing_why = _previous_table(source_id, data_dir)
    work = data_dir / ".downloads" / f"update-{source_id}-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        try:
            candidate = newest_release(source, work, have_current=previous is not None)
        except NotFoundError as exc:
            if release.channel == "frozen":
                return UpdateResult(source_id, "no new data", f"ended series ({exc})")
            return UpdateResult(source_id, "failed", f"release channel gone: {exc}")
        except DownloadError as exc:
            return UpdateResult(source_id, "failed", str(exc))
        if candidate is None:
            return UpdateResult(
                source_id, "no new data", f"no release after {_release_number(source)}"
            )
        sha = sha256_of(candidate.path)
        if sha == source.sha256:
            if previous is None:  # the very bytes in use, missing here: now cached
                target = data_dir / source.file
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(candidate.path, target)
                verified_sha256(target)
            return UpdateResult(
                source_id, "no new data", f"same bytes as the vintage in use ({sha[:12]})"
            )
        problems: list[str] = []
        table = None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                table = _load(source, candidate.path)
        except Exception as exc:
            problems.append(f"its loader refused it: {type(exc).__name__}: {exc}")
        if table is not None:
            problems += release_problems(
                table, previous, min_row_ratio=release.min_row_ratio, today=today
            )
        if problems:
            folder = _quarantine(source, candidate, sha, problems, data_dir)
            return UpdateResult(
                source_id,
                "failed",
                f"release {candidate.release} from {candidate.url} refused and quarantined in "
                f"{folder}: " + "; ".join(problems),
                problems=problems,
                quarantine=folder,
            )
        record = _accept(source, candidate, sha, table, data_dir)
        grown = (
            f"{len(table) - len(previous):+,} rows"
            if previous is not None
            else (f"{len(table):,} rows; no earlier vintage here ({missing_why})")
        )
        return UpdateResult(
            source_id,
            "new",
            f"release {candidate.release} accepted: {sha[:12]}, {record['coverage']}, {grown}",
            record=record,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def update_sources(ids: list[str], **kwargs) -> list[UpdateResult]:
    """Run :func:`update_source` for each id, one failure never stopping the others."""
    results = []
    for sid in ids:
        try:
            results.append(update_source(sid, **kwargs))
        except Exception as exc:  # a bug or a disk error: reported, the next source goes on
            results.append(UpdateResult(sid, "failed", f"{type(exc).__name__}: {exc}"))
    return results
