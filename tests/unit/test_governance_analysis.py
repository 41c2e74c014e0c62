"""Unit tests of the governance analysis (tiny synthetic frames, exact values)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from osa_analysis.analyse import governance as G
from osa_analysis.core.dates import years_between
from osa_analysis.sources.loaders.indicators import wgi_interval


def _wgi(rows):
    df = pd.DataFrame(
        rows,
        columns=["country_iso3", "year", "indicator", "estimate", "std_error", "pct_rank"],
    )
    df["pct_rank_lower"] = df["pct_rank"] - 5
    df["pct_rank_upper"] = df["pct_rank"] + 5
    df["n_sources"] = 8
    return wgi_interval(df)


def test_wgi_summary_change_and_significance():
    wgi = _wgi(
        [
            ("PHL", 2016, "pv", -1.30, 0.20, 10.0),
            ("PHL", 2017, "pv", -1.10, 0.21, 12.7),
            ("PHL", 2023, "pv", -0.57, 0.22, 23.7),
            ("PHL", 2024, "pv", 0.00, 0.22, 50.0),  # after year_max: ignored
            ("PHL", 2023, "va", -0.02, 0.13, 46.6),
            ("PHL", 2018, "va", 0.02, 0.13, 47.6),
            ("FJI", 2023, "pv", 0.70, 0.25, 80.0),
        ]
    )
    out = G.wgi_summary(wgi, "PHL", 2023)
    pv = out["pv"]
    assert pv["year"] == 2023 and pv["estimate"] == -0.57
    assert pv["low"] == pytest.approx(-0.57 - 1.645 * 0.22, abs=1e-3)
    assert pv["high"] == pytest.approx(-0.57 + 1.645 * 0.22, abs=1e-3)
    assert pv["base_year"] == 2017  # latest year <= 2023 - 5 (2018 missing)
    assert pv["change"] == pytest.approx(0.53)
    assert pv["change_threshold"] == pytest.approx(round(1.645 * math.sqrt(0.22**2 + 0.21**2), 3))
    assert pv["significant"] is True  # 0.53 > 0.500
    va = out["va"]
    assert va["base_year"] == 2018 and va["change"] == pytest.approx(-0.04)
    assert va["significant"] is False
    assert out["ge"]["year"] is None and out["ge"]["change"] is None


def test_wgi_summary_without_base_year():
    wgi = _wgi([("TON", 2022, "pv", 1.0, 0.3, 80.0), ("TON", 2023, "pv", 1.1, 0.3, 85.0)])
    pv = G.wgi_summary(wgi, "TON", 2026)["pv"]
    assert pv["year"] == 2023 and pv["base_year"] is None and pv["significant"] is None


def _coups(rows):
    df = pd.DataFrame(
        rows, columns=["source", "country_iso3", "date", "year", "outcome", "event_type"]
    )
    df["date"] = pd.to_datetime(df["date"])
    df["date_precision"] = ["day" if pd.notna(d) else "year" for d in df["date"]]
    return df


def test_coup_summary_keeps_datasets_apart():
    events = _coups(
        [
            ("coups_powell_thyne", "PHL", "1990-10-04", 1990, "failed", None),
            ("coups_cline", "PHL", "1990-10-05", 1990, None, "attempted"),  # same event
            ("coups_cline", "PHL", "2007-11-29", 2007, None, "attempted"),
            ("coups_cline", "PHL", "2010-02-01", 2010, None, "conspiracy"),  # not an attempt
            ("coups_cline", "PHL", None, 2001, None, "coup"),  # day unknown
            ("coups_powell_thyne", "PHL", "2027-01-01", 2027, "failed", None),  # after as_of
            ("coups_powell_thyne", "FJI", "2006-12-05", 2006, "successful", None),
        ]
    )
    as_of = pd.Timestamp("2026-08-09")
    s = G.coup_summary(events, "PHL", as_of)
    assert s["counts"] == {
        "coups_powell_thyne": {"successful": 0, "failed": 1},
        "coups_cline": {"realized": 1, "attempted": 2, "conspiracy": 1},
    }
    assert s["last_attempt"]["coups_powell_thyne"]["date"] == "1990-10-04"
    assert s["last_attempt"]["coups_cline"]["date"] == "2007-11-29"
    days = (as_of - pd.Timestamp("2007-11-29")).days  # 6 828
    assert s["last_attempt_any"] == {
        "date": "2007-11-29",
        "category": "attempted coup",
        "years_since": round(days / 365.25, 1),
        "dataset": "coups_cline",
    }
    assert s["last_attempt_any"]["years_since"] == 18.7
    assert (s["matched"], s["pt_only"], s["cline_only_attempts"]) == (1, 0, 2)
    assert [e["date"] for e in s["events"]] == [
        "1990-10-04",
        "1990-10-05",
        "2007-11-29",
        "2010-02-01",
        "2001",
    ]


def test_coup_summary_none():
    events = _coups([("coups_powell_thyne", "FJI", "2006-12-05", 2006, "successful", None)])
    s = G.coup_summary(events, "TON", pd.Timestamp("2026-08-09"))
    assert s["last_attempt_any"] is None and s["events"] == []
    assert s["last_attempt"] == {"coups_powell_thyne": None, "coups_cline": None}


def test_years_between():
    assert years_between(pd.Timestamp("2000-01-01"), pd.Timestamp("2010-01-01")) == 10.0


def test_conflict_counts_distinct_conflicts_and_roles():
    cy = pd.DataFrame(
        {
            "conflict_id": [1, 1, 1, 2, 2, 3, 1],
            "year": [2023, 2023, 2023, 2023, 2023, 2024, 2024],
            "country_iso3": ["PHL", "PHL", "USA", "PHL", "PHL", "PHL", "PHL"],
            "role": [
                "location",
                "side_a_primary",
                "side_a_secondary",
                "location",
                "side_a_primary",
                "side_a_secondary",
                "location",
            ],
        }
    )
    out = G.conflict_counts(cy, "PHL", [2022, 2023, 2024])
    assert out.to_dict("index") == {
        2022: {"location": 0, "primary_party": 0, "secondary_party": 0},
        2023: {"location": 2, "primary_party": 2, "secondary_party": 0},
        2024: {"location": 1, "primary_party": 0, "secondary_party": 1},
    }


def test_regime_background_bands_merge_consecutive_years():
    from osa_analysis.brief.governance_figures import _runs

    labels = [(1990, "a"), (1991, "a"), (1992, "b"), (1994, "b"), (1995, None), (1996, "b")]
    assert _runs(labels) == [
        ("a", 1990, 1991),
        ("b", 1992, 1992),
        ("b", 1994, 1994),
        (None, 1995, 1995),
        ("b", 1996, 1996),
    ]
