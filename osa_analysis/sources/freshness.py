"""Freshness: is a source's newest data as recent as its release cadence implies.

A source whose data end on ``E`` (its coverage, or the locked vintage's) with a release every
``C`` days published ``L`` days after the period it covers should have a newer release by
``E + C + L`` (its *due* date). After that date it is *overdue*. Ended series and
irregular releases are never overdue. The yardstick date is the caller's: today for ``data
status`` and the index, a brief's ``as_of`` for the brief (so a brief stays the same when
rebuilt later).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from osa_analysis.core.dates import coverage_dates
from osa_analysis.sources.registry import Source, registry


@dataclass(frozen=True)
class Freshness:
    """How recent one source's data is, at a given date.

    Attributes
    ----------
    source_id : str
    last_data : date or None
        End of the data's coverage (``None``: the source has no time coverage).
    retrieved_at : str or None
        When the vintage in use was taken by ``data update`` (``None``: the pinned bytes).
    due : date or None
        When a newer release was expected (``None``: none is expected).
    state : str
        ``"current"``, ``"overdue"``, ``"ended"`` (no more releases) or ``"irregular"``.
    days_overdue : int
        Days past ``due`` (0 unless overdue).
    """

    source_id: str
    last_data: dt.date | None
    retrieved_at: str | None
    due: dt.date | None
    state: str
    days_overdue: int = 0


def freshness(source: Source, at: dt.date) -> Freshness:
    """Return how fresh ``source`` is on the date ``at``."""
    span = coverage_dates(source.coverage)
    last = span[1] if span else None
    retrieved = (source.locked or {}).get("retrieved_at")
    cadence = source.release.cadence_days
    if source.release.cadence == "ended":
        return Freshness(source.id, last, retrieved, None, "ended")
    if cadence is None or last is None:
        return Freshness(source.id, last, retrieved, None, "irregular")
    due = last + dt.timedelta(days=cadence + source.release.lag_days)
    late = (at - due).days
    if late > 0:
        return Freshness(source.id, last, retrieved, due, "overdue", late)
    return Freshness(source.id, last, retrieved, due, "current")


def freshness_table(at: dt.date, ids: list[str] | None = None) -> list[Freshness]:
    """Return :func:`freshness` of every registered source (or of ``ids``), sorted by id."""
    sources = registry()
    return [freshness(sources[sid], at) for sid in sorted(ids or sources)]


def overdue_key_inputs(ids: list[str], at: dt.date) -> list[Freshness]:
    """Return the key inputs among ``ids`` that are overdue on ``at`` (most overdue first)."""
    sources = registry()
    rows = [freshness(sources[s], at) for s in ids if s in sources and sources[s].release.key]
    return sorted((r for r in rows if r.state == "overdue"), key=lambda r: -r.days_overdue)
