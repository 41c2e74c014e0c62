"""Freshness against cadence and lag; what is new between two briefs (tiny synthetic inputs)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from osa_analysis.analyse.changes import method_changes, new_events, new_releases, what_changed
from osa_analysis.sources.freshness import freshness
from osa_analysis.sources.registry import Release, get_source


def test_a_source_is_overdue_after_its_cadence_and_lag():
    live = replace(
        get_source("recaap_imb_live"),
        coverage="2024-07-07/2026-08-09",
        release=Release(channel="latest", cadence="daily", lag_days=3, url="x"),
    )
    due = dt.date(2026, 8, 13)  # 2026-08-09 + 1 day + 3 days
    assert freshness(live, due).state == "current"
    late = freshness(live, dt.date(2026, 12, 4))
    assert (late.state, late.due, late.days_overdue) == ("overdue", due, 113)
    yearly = replace(live, coverage="1996/2023", release=Release("manual", "yearly", 300))
    assert freshness(yearly, dt.date(2025, 10, 27)).state == "current"  # 2023-12-31 + 666 d
    assert freshness(yearly, dt.date(2025, 10, 28)).days_overdue == 1
    ended = replace(live, release=Release("frozen", "ended"))
    assert freshness(ended, dt.date(2099, 1, 1)).state == "ended"


def test_new_events_are_those_after_the_previous_as_of_up_to_this_one():
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-06-30", "2025-07-01", "2026-01-10", "2026-09-01"]),
            "category": ["piracy_armed_robbery"] * 3 + ["grayzone"],
            "severity": ["CAT4", "CAT2", "CAT4", None],
            "source": ["s"] * 4,
            "latitude": [14.0, 14.5, 15.5, 0.0],
            "longitude": [120.0, 120.5, 121.5, 0.0],
        }
    )
    new = new_events(events, pd.Timestamp("2025-06-30"), pd.Timestamp("2026-08-09"))
    assert new["n"] == 2 and (new["first"], new["last"]) == ("2025-07-01", "2026-01-10")
    assert new["by_severity"] == {"CAT2": 1, "CAT4": 1}
    assert new["median_position"] == [15.0, 121.0]
    assert new_events(events, pd.Timestamp("2026-09-01"), pd.Timestamp("2026-12-01"))["n"] == 0


def test_releases_and_method_changes_are_told_apart():
    def summary(sha: str, method: str) -> dict:
        return {
            "provenance": {
                "as_of": "2026-08-09",
                "package_version": "1.0",
                "data_vintage": [
                    {"source": "wgi", "sha256": "aaa", "vintage": "2024 update"},
                    {"source": "live", "sha256": sha, "vintage": sha, "coverage": "c"},
                ],
            },
            "composite": {"method_version": method},
        }

    before, after = summary("old", "ssri-v2"), summary("new", "ssri-v3")
    assert [r["source"] for r in new_releases(after, before)] == ["live"]
    assert method_changes(after, before) == [
        {"what": "composite risk method", "before": "ssri-v2", "after": "ssri-v3"}
    ]
    changes = what_changed(after, before, new_incidents={"n": 0})
    assert changes["new_data"]["releases"][0]["vintage_before"] == "old"
    assert changes["n_changes"] == 0  # a new release alone is not a judgement change
    assert what_changed(before, before)["new_data"]["releases"] == []
