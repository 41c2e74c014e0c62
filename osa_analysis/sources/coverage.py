"""Check that a loaded table covers what its registry entry says (a truncated file loads).

A file cut short at a line boundary parses and validates: the WGI file truncated in the
middle loads as 16,118 rows ending in 2011. :func:`coverage_shortfall` compares the span of a
loaded table's ``date`` (or ``year``) column with the registry's ``coverage`` at the
coverage's own resolution (whole years for ``1996/2023``, days for ISO dates), and
:func:`warn_if_short` turns a shortfall into a warning naming the file and both spans.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from osa_analysis.core.dates import coverage_in_years, parse_coverage
from osa_analysis.sources.registry import get_source


class CoverageWarning(UserWarning):
    """A loaded table spans less than its registry entry says."""


def dated_values(table: pd.DataFrame) -> tuple[str, pd.Series] | None:
    """Return the resolution (``"date"`` or ``"year"``) and the values dating a table's rows.

    The date is ``date`` or ``time_utc`` (a storm fix); else ``year`` or ``season``, as whole
    years. Missing values are dropped; ``None`` without such a column.
    """
    for column in ("date", "time_utc"):
        if column in table and pd.api.types.is_datetime64_any_dtype(table[column]):
            return "date", table[column].dropna().dt.normalize()
    for column in ("year", "season"):
        if column in table:
            return "year", pd.to_numeric(table[column], errors="coerce").dropna().astype(int)
    return None


def table_span(table: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Return the first and last date of a table; None without dated rows.

    A table dated by year spans 1 January of its first year to 31 December of its last.
    """
    dated = dated_values(table)
    if dated is None or not len(dated[1]):
        return None
    kind, values = dated
    if kind == "date":
        return values.min(), values.max()
    return pd.Timestamp(int(values.min()), 1, 1), pd.Timestamp(int(values.max()), 12, 31)


def coverage_shortfall(table: pd.DataFrame, coverage: str) -> str | None:
    """Describe how a table falls short of a registry ``coverage`` (None when it does not)."""
    expected = parse_coverage(coverage)
    span = table_span(table)
    if expected is None or span is None:
        return None
    by_year = coverage_in_years(coverage)

    def at(t: pd.Timestamp) -> int | pd.Timestamp:
        return t.year if by_year else t.normalize()

    if at(span[1]) < at(expected[1]) or at(span[0]) > at(expected[0]):
        shown = (
            f"{span[0].year}/{span[1].year}"
            if by_year
            else f"{span[0].date().isoformat()}/{span[1].date().isoformat()}"
        )
        return f"covers {shown}, but its registry entry says {coverage}"
    return None


def warn_if_short(table: pd.DataFrame, source_id: str, path: str | Path | None = None) -> None:
    """Warn when ``table`` spans less than the registry's coverage of ``source_id``."""
    problem = coverage_shortfall(table, get_source(source_id).coverage)
    if problem:
        warnings.warn(
            f"{path or source_id} ({source_id}) {problem}: the file may be truncated or an "
            "older release",
            CoverageWarning,
            stacklevel=2,
        )
