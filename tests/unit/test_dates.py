"""One date vocabulary: as_of Timestamps, complete years and registry coverage spans."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest

from osa_analysis.core.dates import (
    as_timestamp,
    complete_year,
    coverage_dates,
    coverage_end_text,
    iso_date,
    last_complete_year,
    parse_coverage,
    years_between,
)


def test_as_timestamp_normalises_every_date_form():
    expected = pd.Timestamp("2026-08-09")
    assert as_timestamp("2026-08-09") == expected
    assert as_timestamp(dt.date(2026, 8, 9)) == expected
    assert as_timestamp(pd.Timestamp("2026-08-09 13:45")) == expected
    with pytest.raises(ValueError):
        as_timestamp(None)


def test_a_year_is_complete_on_its_31_december():
    assert last_complete_year(pd.Timestamp("2026-08-09")) == 2025
    assert last_complete_year(pd.Timestamp("2025-12-31")) == 2025
    assert last_complete_year(pd.Timestamp("2026-01-01")) == 2025
    assert complete_year(2023, pd.Timestamp("2026-08-09")) == 2023
    assert complete_year(2026, pd.Timestamp("2026-08-09")) == 2025


def test_parse_coverage_handles_years_dates_and_na():
    assert parse_coverage("2009/2023") == (
        pd.Timestamp("2009-01-01"),
        pd.Timestamp("2023-12-31"),
    )
    assert parse_coverage("2020-11-03/2024-11-24") == (
        pd.Timestamp("2020-11-03"),
        pd.Timestamp("2024-11-24"),
    )
    assert parse_coverage("n/a") is None
    assert parse_coverage("") is None
    assert coverage_end_text("1978-05-01/2020-11-11") == "2020-11-11"
    assert coverage_end_text("n/a") == "n/a"


def test_years_between_and_iso_date():
    assert years_between(pd.Timestamp("2020-01-01"), pd.Timestamp("2021-01-01")) == 1.0
    assert iso_date(pd.Timestamp("2024-02-29")) == "2024-02-29"
    assert iso_date(pd.NaT) is None and iso_date(None) is None


def test_coverage_dates_are_the_same_span_without_pandas():
    assert coverage_dates("2009/2023") == (dt.date(2009, 1, 1), dt.date(2023, 12, 31))
    assert coverage_dates("1978-05-01/2020-11-11") == (dt.date(1978, 5, 1), dt.date(2020, 11, 11))
    assert coverage_dates(" 2024-07-07 / 2026-08-09T00:00 ")[1] == dt.date(2026, 8, 9)
    assert coverage_dates("n/a") is None and coverage_dates(None) is None
    with pytest.raises(ValueError):
        coverage_dates("2009/late")


def test_freshness_starts_without_pandas():
    """A build with nothing to do reads freshness for the index digest: no pandas import."""
    code = (
        "import sys, datetime as dt\n"
        "from osa_analysis.sources.freshness import freshness_table\n"
        "assert freshness_table(dt.date(2026, 8, 9))\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
