"""Curated context events: the file's checks, what a brief can know, the section's text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from osa_analysis.analyse.context import context_outlook
from osa_analysis.brief.outlook import event_line
from osa_analysis.core.validation import DataFormatError, DataValidationError
from osa_analysis.sources.context import CONTEXT_DIR, load_context

FIXTURE = Path(__file__).parent.parent / "fixtures" / "context" / "XXA.yaml"
AS_OF = pd.Timestamp("2026-08-09")


def test_events_are_read_oldest_first_with_their_first_day():
    events = load_context("XXA", FIXTURE)
    assert list(events["date"]) == ["2001", "2026-03", "2026-12-24", "2027-05-01", "2030-01-05"]
    assert events.loc[0, "start"] == pd.Timestamp("2001-01-01")
    assert events.loc[0, "sources"] == ["https://example.org/a", "https://example.org/b"]
    assert load_context("XXA", FIXTURE.with_name("none.yaml")) is None


def test_a_brief_knows_only_what_happened_or_was_announced_by_its_date():
    out = context_outlook(load_context("XXA", FIXTURE), AS_OF)
    assert out["curated"] is True and out["outlook_months"] == 36
    # newest first: the vote that took place (scheduled, window over), then 2001
    assert [e["date"] for e in out["past"]] == ["2026-03", "2001"]
    assert [e["date"] for e in out["upcoming"]] == ["2026-12-24"]
    assert out["upcoming"][0]["date_to"] == "2027-02-06"
    # the 2030 incident and the vote announced on 2026-09-01 are after the brief's date
    assert out["n_after_as_of"] == 2
    later = context_outlook(load_context("XXA", FIXTURE), pd.Timestamp("2027-03-01"))
    assert [e["date"] for e in later["upcoming"]] == ["2027-05-01"]
    assert "2026-12-24" in [e["date"] for e in later["past"]]
    assert context_outlook(None, AS_OF) == {
        "curated": False,
        "past": [],
        "upcoming": [],
        "n_after_as_of": 0,
        "outlook_months": 36,
    }


def test_event_line_links_each_source_and_marks_single_ones():
    out = context_outlook(load_context("XXA", FIXTURE), AS_OF)
    assert event_line(out["upcoming"][0]) == (
        "- **2026-12-24 to 2027-02-06** (scheduled): A synthetic election window. "
        "([source](https://example.org/window); single source)"
    )
    assert "([source 1](https://example.org/a), [source 2](https://example.org/b))" in (
        event_line(out["past"][1])
    )


GOOD = {
    "date": "2024-01-01",
    "kind": "election",
    "event": "x",
    "sources": ["https://e.org"],
    "status": "VERIFIED",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2024-13-40"}, "date"),
        ({"date": "Jan 2024"}, "date"),
        ({"kind": "rumour"}, "kind"),
        ({"sources": ["e.org"]}, "sources"),
        ({"sources": []}, "sources"),
        ({"status": "maybe"}, "status"),
        ({"event": "y" * 401}, "event"),
        ({"kind": "scheduled", "date": "2027-01-01"}, "reported"),
        ({"note": "y"}, "note"),
    ],
)
def test_bad_events_name_the_file_the_event_and_the_field(tmp_path, change, field):
    path = tmp_path / "XXB.yaml"
    path.write_text(yaml.safe_dump({"country": "XXB", "events": [GOOD, GOOD | change]}))
    with pytest.raises(DataValidationError) as err:
        load_context("XXB", path)
    assert str(path) in str(err.value) and f"record 1, column {field!r}" in str(err.value)


def test_a_file_for_another_country_is_refused(tmp_path):
    path = tmp_path / "XXC.yaml"
    path.write_text("country: XXD\nevents: []\n")
    with pytest.raises(DataFormatError, match="needs 'country: XXC'"):
        load_context("XXC", path)


def test_every_curated_file_loads_and_cites_its_events():
    files = sorted(CONTEXT_DIR.glob("*.yaml"))
    assert files, "no curated context files"
    for path in files:
        events = load_context(path.stem)
        assert events is not None and len(events) >= 1, path
        assert all(s.startswith("https://") for urls in events["sources"] for s in urls), path
