"""Dates of the analysis: one ``as_of`` type, complete years, registry coverage spans.

Every ``as_of`` in the package is a :class:`pandas.Timestamp` at midnight, made once by
:func:`as_timestamp` (the parameters give a ``datetime.date``; the scope converts it).

pandas is imported where it is used, not with the module: the registry's freshness (the
index digest of a build with nothing to do) reads coverage spans through
:func:`coverage_dates` and so starts without it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_YEAR = re.compile(r"\d{4}")
DAYS_PER_YEAR = 365.25
"""Mean Julian year: the divisor of :func:`years_between`."""


def as_timestamp(value: str | dt.date | pd.Timestamp) -> pd.Timestamp:
    """Return ``value`` (ISO string, date or Timestamp) as a midnight :class:`pandas.Timestamp`.

    Raises
    ------
    ValueError
        When ``value`` is missing or not a date.
    """
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        raise ValueError("a date is required")
    return pd.Timestamp(value).normalize()


def last_complete_year(as_of: pd.Timestamp) -> int:
    """Return the latest calendar year whose 31 December is on or before ``as_of``.

    An annual value for a year is fully observed only at its end: at 2026-08-09 the last
    complete year is 2025; at 2025-12-31 it is 2025.
    """
    return int(as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1)


def complete_year(last_data_year: int, as_of: pd.Timestamp) -> int:
    """Latest year of an annual source that is both in its data and complete at ``as_of``."""
    return int(min(int(last_data_year), last_complete_year(as_of)))


def coverage_dates(text: str | None) -> tuple[dt.date, dt.date] | None:
    """Parse a registry ``coverage`` ``start/end`` (ISO dates or years) into two dates.

    A year-only bound spans the whole year (``2009/2023`` is 2009-01-01 to 2023-12-31).
    Returns ``None`` for ``n/a``, empty or undated text.

    Raises
    ------
    ValueError
        When a bound is neither a year nor an ISO 8601 date.
    """
    if not text or "/" not in str(text) or str(text).strip().lower() == "n/a":
        return None
    start, end = (part.strip() for part in str(text).split("/", 1))
    first = dt.date(int(start), 1, 1) if _YEAR.fullmatch(start) else _iso_day(start)
    last = dt.date(int(end), 12, 31) if _YEAR.fullmatch(end) else _iso_day(end)
    return first, last


def _iso_day(text: str) -> dt.date:
    """Return the day of an ISO 8601 date or date-time (``2024-06-30``, ``2024-06-30T12:00``)."""
    return dt.datetime.fromisoformat(text).date()


def parse_coverage(text: str | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """:func:`coverage_dates` as two midnight :class:`pandas.Timestamp`."""
    import pandas as pd

    span = coverage_dates(text)
    return None if span is None else (pd.Timestamp(span[0]), pd.Timestamp(span[1]))


def coverage_in_years(text: str | None) -> bool:
    """Whether a registry ``coverage`` is given in whole years (``1996/2023``)."""
    start, sep, end = str(text or "").partition("/")
    return bool(sep) and bool(_YEAR.fullmatch(start.strip())) and bool(_YEAR.fullmatch(end.strip()))


def coverage_end_text(text: str) -> str:
    """Return the end of a registry coverage as written (``"2023"``); ``n/a`` stays ``n/a``."""
    start, sep, end = str(text).partition("/")
    return end.strip() if sep and start.strip().lower() != "n" else str(text)


def years_between(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Years from ``start`` to ``end`` (days / 365.25), one decimal."""
    import pandas as pd

    return round((pd.Timestamp(end) - pd.Timestamp(start)).days / DAYS_PER_YEAR, 1)


def iso_date(value: pd.Timestamp | dt.date | None) -> str | None:
    """Return ``YYYY-MM-DD``, or ``None`` for a missing date."""
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).strftime("%Y-%m-%d")
