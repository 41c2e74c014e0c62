"""A table that spans less than its registry entry says is reported (a truncated file loads)."""

from __future__ import annotations

import pandas as pd
import pytest

from osa_analysis.sources import coverage
from osa_analysis.sources.loaders import loader_for


def years(first: int, last: int) -> pd.DataFrame:
    return pd.DataFrame({"year": range(first, last + 1), "value": 0.0})


def test_shortfall_at_the_coverage_resolution():
    assert coverage.coverage_shortfall(years(1996, 2023), "1996/2023") is None
    assert (
        coverage.coverage_shortfall(years(1996, 2011), "1996/2023")
        == "covers 1996/2011, but its registry entry says 1996/2023"
    )
    assert coverage.coverage_shortfall(years(2001, 2023), "1996/2023").startswith("covers 2001/")
    dated = pd.DataFrame({"date": pd.to_datetime(["2024-07-07", "2026-08-01"])})
    assert coverage.coverage_shortfall(dated, "2024-07-07/2026-08-09") == (
        "covers 2024-07-07/2026-08-01, but its registry entry says 2024-07-07/2026-08-09"
    )
    assert coverage.coverage_shortfall(dated, "2024/2026") is None  # whole years: covered
    assert coverage.coverage_shortfall(dated, "n/a") is None
    assert coverage.coverage_shortfall(pd.DataFrame({"x": [1]}), "1996/2023") is None


def test_the_registry_loader_warns_naming_file_and_both_spans(monkeypatch, tmp_path):
    path = tmp_path / "wgi_truncated.csv"
    monkeypatch.setattr(
        "osa_analysis.sources.loaders.resolve_loader", lambda spec: lambda p: years(1996, 2011)
    )
    with pytest.warns(coverage.CoverageWarning) as caught:
        loader_for("wgi")(path)
    assert str(caught[0].message) == (
        f"{path} (wgi) covers 1996/2011, but its registry entry says 1996/2023: the file may "
        "be truncated or an older release"
    )


def test_storm_tracks_are_spanned_by_their_fixes():
    tracks = pd.DataFrame(
        {
            "season": [1945, 2021],
            "time_utc": pd.to_datetime(["1945-04-19 06:00", "2011-12-17 18:00"]),
        }
    )
    assert coverage.coverage_shortfall(tracks, "1945-04-19/2021-12-17") == (
        "covers 1945-04-19/2011-12-17, but its registry entry says 1945-04-19/2021-12-17"
    )
    seasons = pd.DataFrame({"season": [1945, 2021]})
    assert coverage.coverage_shortfall(seasons, "1945/2021") is None
