"""Context and outlook: which curated events a brief at ``as_of`` can know, and which lie ahead.

Pure: takes the events of :func:`osa_analysis.sources.context.load_context` and a date.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from osa_analysis.sources.context import date_start

OUTLOOK_MONTHS = 36
"""How far ahead scheduled events are shown (the horizon of the key judgements)."""


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _record(row: pd.Series) -> dict[str, Any]:
    return {
        "date": row["date"],
        "date_to": _text(row["date_to"]),
        "kind": row["kind"],
        "event": row["event"],
        "sources": list(row["sources"]),
        "status": row["status"],
        "reported": _text(row["reported"]),
    }


def context_outlook(
    events: pd.DataFrame | None, as_of: pd.Timestamp, months: int = OUTLOOK_MONTHS
) -> dict[str, Any]:
    """Split a country's curated events into what is known at ``as_of`` and what lies ahead.

    An event that happened (any kind but ``scheduled``) is known when it starts on or before
    ``as_of``; a later one is left out (a brief never uses what happened after its date) and
    only counted. A scheduled event is ahead when its source reported it by ``as_of``, its
    window has not ended by then and it starts within ``months``; once its window has ended
    it is shown among the past events.

    Parameters
    ----------
    events : pandas.DataFrame or None
        :func:`~osa_analysis.sources.context.load_context` (``None``: no file).
    as_of : pandas.Timestamp
    months : int, default :data:`OUTLOOK_MONTHS`

    Returns
    -------
    dict
        ``curated`` (whether the country has a file), ``past`` (newest first), ``upcoming``
        (soonest first), each event with ``date``, ``date_to``, ``kind``, ``event``,
        ``sources``, ``status`` and ``reported``; ``n_after_as_of`` (events left out) and
        ``outlook_months``.
    """
    out: dict[str, Any] = {
        "curated": events is not None,
        "past": [],
        "upcoming": [],
        "n_after_as_of": 0,
        "outlook_months": months,
    }
    if events is None:
        return out
    as_of = pd.Timestamp(as_of).normalize()
    limit = as_of + pd.DateOffset(months=months)
    for _, row in events.iterrows():
        start = row["start"]
        if row["kind"] != "scheduled":
            if start <= as_of:
                out["past"].append(_record(row))
            else:
                out["n_after_as_of"] += 1
            continue
        end = date_start(_text(row["date_to"]) or row["date"])
        if end <= as_of:
            out["past"].append(_record(row))
        elif date_start(_text(row["reported"]) or row["date"]) > as_of:
            out["n_after_as_of"] += 1
        elif start <= limit:
            out["upcoming"].append(_record(row))
    out["past"].reverse()
    return out
