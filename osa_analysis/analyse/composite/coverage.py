"""Which years an indicator's sources cover, and which data year it may use at a date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from osa_analysis.core.dates import last_complete_year, parse_coverage
from osa_analysis.sources.registry import get_source


def coverage_years(
    coverages: Sequence[str], how: str = "intersection", partial_final_year: bool = False
) -> tuple[int, int, pd.Timestamp]:
    """Calendar years completely covered by a set of sources.

    Parameters
    ----------
    coverages : sequence of str
        Registry ``coverage`` strings (``n/a`` entries are ignored).
    how : {"intersection", "union"}
        Whether every source is needed (intersection) or they are alternative channels
        (union).
    partial_final_year : bool
        Count the last, partly covered year as covered.

    Returns
    -------
    (int, int, pandas.Timestamp)
        First and last covered year, and the coverage end date.
    """
    spans = [s for s in (parse_coverage(c) for c in coverages) if s is not None]
    if not spans:
        raise ValueError("no dated coverage")
    if how == "union":
        start = min(s[0] for s in spans)
        end = max(s[1] for s in spans)
    else:
        start = max(s[0] for s in spans)
        end = min(s[1] for s in spans)
    first = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    last = end.year if partial_final_year else last_complete_year(end)
    return first, last, end


def indicator_coverage(spec: Mapping[str, Any]) -> tuple[int, int, pd.Timestamp]:
    """:func:`coverage_years` of an indicator's registered sources (its method settings)."""
    coverages = [get_source(s).coverage for s in spec["sources"]]
    return coverage_years(
        coverages, spec.get("coverage", "intersection"), bool(spec.get("partial_final_year"))
    )


def last_usable_year(spec: Mapping[str, Any], as_of: pd.Timestamp) -> int:
    """Latest data year an indicator may use at ``as_of`` (no data after ``as_of``).

    A level indicator may use ``as_of``'s year; a window indicator only complete years,
    or the source's partly covered final year when ``partial_final_year`` is set and the
    source ends on or before ``as_of``.
    """
    if spec["kind"] == "level":
        return as_of.year
    complete = last_complete_year(as_of)
    if spec.get("partial_final_year"):
        _, last, end = indicator_coverage(spec)
        if end <= as_of:
            return max(complete, min(last, end.year))
    return complete
