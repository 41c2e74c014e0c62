"""reports/index.html and index.json from a synthetic reports tree."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from osa_analysis.build.catalog import build_index, collect_catalog, parse_utc
from osa_analysis.build.feed import news_items

EXTERNAL_LOAD = re.compile(
    r"""(?:(?<![\w-])(?:src|srcset)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<link\b|<script\b|url\(\s*["']?\s*(?:https?:)?//|@import)""",
    re.IGNORECASE,
)


def _run(iso3: str, as_of: str, finished: str, status: str = "ok", **extra) -> dict:
    run = {
        "country_iso3": iso3,
        "as_of": as_of,
        "status": status,
        "run_key": "ab" * 32,
        "started_utc": finished.replace(":30Z", ":00Z"),
        "finished_utc": finished,
        "duration_s": 30.0,
        "package_version": "0.1.0",
        "git_commit": "0123456789abcdef0123456789abcdef01234567",
        "params": {"country_iso3": iso3, "as_of": as_of},
        "inputs": {"imb": "1" * 64, "ucdp_acd": "2" * 64, "vdem": "3" * 64},
        "error": None,
        "files": {"html": "brief.html", "pdf": "brief.pdf", "ipynb": "brief.ipynb"},
    }
    run.update(extra)
    return run


def _write(folder: Path, run: dict | None, files: tuple[str, ...], summary: dict | None = None):
    folder.mkdir(parents=True, exist_ok=True)
    if run is not None:
        (folder / "run.json").write_text(json.dumps(run, indent=2, sort_keys=True))
    if summary is not None:
        (folder / "summary.json").write_text(json.dumps(summary, sort_keys=True))
    for name in files:
        (folder / name).write_text(f"<p>{name}</p>")


def _failure(folder: Path, iso3: str, finished: str, ename: str, evalue: str):
    error = {"ename": ename, "evalue": evalue, "cell_index": 7, "traceback_tail": ["..."]}
    run = _run(iso3, "2026-08-09", finished, status="failed", error=error)
    run["files"] = {"html": "brief_debug.html", "ipynb": "brief.ipynb", "log": "log.txt"}
    _write(folder, run, ("brief_debug.html", "brief.ipynb", "log.txt"))


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    # PHL: published, an older failure only -> ok; two history entries
    phl_summary = {
        "provenance": {
            "country": "Philippines",
            "data_vintage": {"ucdp_acd": "25.1", "imb": "2025 report"},
        }
    }
    _write(
        root / "PHL",
        _run("PHL", "2026-08-09", "2026-08-10T01:00:30Z"),
        ("brief.html", "brief.pdf", "brief.ipynb"),
        phl_summary,
    )
    _write(
        root / "PHL" / "history" / "2026-08-09--abababababab",
        _run("PHL", "2026-08-09", "2026-08-10T01:00:30Z"),
        ("brief.html", "brief.pdf", "brief.ipynb"),
    )
    _write(
        root / "PHL" / "history" / "2026-07-09--cdcdcdcdcdcd",
        _run("PHL", "2026-07-09", "2026-07-10T01:00:30Z"),
        ("brief.html", "brief.ipynb"),
    )
    _failure(
        root / "_failed" / "PHL" / "20260801T000000Z",
        "PHL",
        "2026-08-01T00:00:30Z",
        "ValueError",
        "old problem",
    )
    # FJI: published 2026-08-01, then two failures -> stale since the first of them
    _write(
        root / "FJI",
        _run("FJI", "2026-07-31", "2026-08-01T12:00:30Z"),
        ("brief.html", "brief.ipynb"),  # no PDF (Chromium absent on that run)
    )
    _write(
        root / "FJI" / "history" / "2026-07-31--efefefefefef",
        _run("FJI", "2026-07-31", "2026-08-01T12:00:30Z"),
        ("brief.html", "brief.ipynb"),
    )
    _failure(
        root / "_failed" / "FJI" / "20260805T060000Z",
        "FJI",
        "2026-08-05T06:00:30Z",
        "OSError",
        "mirror unreachable",
    )
    _failure(
        root / "_failed" / "FJI" / "20260810T060000Z",
        "FJI",
        "2026-08-10T06:00:30Z",
        "KeyError",
        "'missing_column' <in frame> & co",
    )
    # MYS: failures only, one without run.json (time from the folder name)
    _failure(
        root / "_failed" / "MYS" / "20260809T000000Z",
        "MYS",
        "2026-08-09T00:00:30Z",
        "ValidationError",
        "as_of is in the future",
    )
    _write(root / "_failed" / "MYS" / "20260811T101500Z", None, ("log.txt",))
    # not countries
    (root / "_scratch" / "PHL").mkdir(parents=True)
    (root / "notes").mkdir()
    return root


def test_index_json_statuses_and_links(reports: Path):
    html_path, json_path = build_index(reports)
    assert (html_path, json_path) == (reports / "index.html", reports / "index.json")
    index = json.loads(json_path.read_text())
    assert index["schema"] == 1
    assert index["counts"] == {"ok": 1, "stale": 1, "failed": 1}
    assert index["latest_run_utc"] == "2026-08-11T10:15:00Z"
    by_iso3 = {c["iso3"]: c for c in index["countries"]}
    assert list(by_iso3) == ["FJI", "MYS", "PHL"]

    phl = by_iso3["PHL"]
    assert phl["status"] == "ok"
    assert phl["name"] == "Philippines"
    assert phl["as_of"] == "2026-08-09"
    assert phl["stale_since_utc"] is None
    assert phl["data_vintage"] == {"imb": "2025 report", "ucdp_acd": "25.1"}
    assert phl["links"] == {
        "html": "PHL/brief.html",
        "pdf": "PHL/brief.pdf",
        "html_ja": None,  # this synthetic brief has no Japanese edition
        "pdf_ja": None,
        "ipynb": "PHL/brief.ipynb",
        "summary": "PHL/summary.json",
        "judgements": None,  # this synthetic brief has no judgements.json
        "run": "PHL/run.json",
    }
    assert phl["fiscal_years"] == [2023, 2024, 2025] and phl["composite"] is None
    assert [(h["as_of"], h["links"]["html"], h["links"]["pdf"]) for h in phl["history"]] == [
        (
            "2026-08-09",
            "PHL/history/2026-08-09--abababababab/brief.html",
            "PHL/history/2026-08-09--abababababab/brief.pdf",
        ),
        ("2026-07-09", "PHL/history/2026-07-09--cdcdcdcdcdcd/brief.html", None),
    ]
    assert phl["last_failure"]["ename"] == "ValueError"

    fji = by_iso3["FJI"]
    assert fji["status"] == "stale"
    assert fji["name"] == "Fiji"  # from the country table when summary.json is absent
    assert fji["stale_since_utc"] == "2026-08-05T06:00:30Z"
    assert fji["last_failure"]["ename"] == "KeyError"
    assert fji["last_failure"]["evalue"] == "'missing_column' <in frame> & co"
    assert fji["last_failure"]["when_utc"] == "2026-08-10T06:00:30Z"
    assert fji["last_failure"]["links"]["debug_html"] == (
        "_failed/FJI/20260810T060000Z/brief_debug.html"
    )
    assert fji["links"]["pdf"] is None
    assert fji["data_vintage"] is None and fji["inputs_count"] == 3
    assert fji["failures_count"] == 2

    mys = by_iso3["MYS"]
    assert mys["status"] == "failed"
    assert mys["name"] == "Malaysia"
    assert mys["links"] == {}
    assert mys["as_of"] is None
    assert mys["failures_count"] == 2
    assert mys["last_failure"]["when_utc"] == "2026-08-11T10:15:00Z"  # from the folder name
    assert mys["last_failure"]["ename"] is None
    assert mys["last_failure"]["links"]["log"] == "_failed/MYS/20260811T101500Z/log.txt"
    assert mys["stale_since_utc"] == "2026-08-09T00:00:30Z"


def test_index_html_content_and_escaping(reports: Path):
    html_path, _ = build_index(reports)
    page = html_path.read_text()
    assert "stale since 2026-08-05 06:00 UTC" in page
    assert "KeyError: &#39;missing_column&#39; &lt;in frame&gt; &amp; co" in page
    assert "<in frame>" not in page
    assert 'href="PHL/brief.html"' in page and 'href="PHL/brief.pdf"' in page
    assert 'href="PHL/brief.ipynb"' not in page  # the executed notebook is a log, not a link
    # the landing page: introduction, rows by country name, cohort, coloured tiles, method
    assert "Official Security Assistance" in page and "How to read a brief" in page
    assert page.index('href="FJI/brief.html"') < page.index('href="PHL/brief.html"')
    assert '<svg class="osa-map"' in page  # the map (tests/unit/conftest.py: synthetic)
    assert "OSA FY2023, FY2024, FY2025" in page
    assert 'href="method/diversion.yaml"' in page and (reports / "method" / "tiles.yaml").is_file()
    assert 'href="FJI/brief.html"' in page and 'href="FJI/brief.pdf"' not in page
    assert 'href="PHL/history/2026-07-09--cdcdcdcdcdcd/brief.html">2026-07-09</a>' in page
    assert 'href="_failed/FJI/20260810T060000Z/brief_debug.html">debug page</a>' in page
    # vintage from summary provenance, one line per source
    assert (
        "<li><strong>imb</strong>: 2025 report</li>\n<li><strong>ucdp_acd</strong>: 25.1</li>"
        in page
    )
    assert "3 pinned input files" in page  # vintage from run.json inputs
    # failure-only countries get their own section
    failed_section = page[page.index('id="failed-only"') :]
    assert "Malaysia" in failed_section and "ValidationError" not in failed_section
    assert "error not recorded" in failed_section
    assert "Philippines" not in failed_section
    assert EXTERNAL_LOAD.findall(page) == []


def test_index_is_deterministic(reports: Path):
    html_path, json_path = build_index(reports)
    first = (html_path.read_bytes(), json_path.read_bytes())
    html_path, json_path = build_index(reports)
    assert (html_path.read_bytes(), json_path.read_bytes()) == first
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert today.encode() not in first[0] and today.encode() not in first[1]
    assert not [p for p in reports.iterdir() if p.name.endswith(".tmp")]


def test_new_good_run_clears_staleness(reports: Path):
    run = _run("FJI", "2026-08-09", "2026-08-12T00:00:30Z")
    (reports / "FJI" / "run.json").write_text(json.dumps(run))
    fji = {c["iso3"]: c for c in collect_catalog(reports)["countries"]}["FJI"]
    assert fji["status"] == "ok"
    assert fji["stale_since_utc"] is None
    assert fji["as_of"] == "2026-08-09"


def test_empty_reports_dir(tmp_path: Path):
    html_path, json_path = build_index(tmp_path / "reports")
    index = json.loads(json_path.read_text())
    assert index["countries"] == [] and index["latest_run_utc"] is None
    assert "No brief has been published yet." in html_path.read_text()


def test_parse_utc_formats():
    expected = datetime(2026, 8, 10, 1, 0, 30, tzinfo=UTC)
    assert parse_utc("2026-08-10T01:00:30Z") == expected
    assert parse_utc("2026-08-10T03:00:30+02:00") == expected
    assert parse_utc("2026-08-10T01:00:30") == expected
    assert parse_utc("20260810T010030Z") == expected
    assert parse_utc("yesterday") is None
    assert parse_utc(None) is None


def test_history_only_and_unreadable_run_json(tmp_path: Path):
    root = tmp_path / "reports"
    _write(
        root / "BGD" / "history" / "2026-06-30--121212121212",
        _run("BGD", "2026-06-30", "2026-07-01T00:00:30Z"),
        ("brief.html",),
    )
    _write(root / "MYS", None, ("brief.html",))
    (root / "MYS" / "run.json").write_text("{broken")
    html_path, json_path = build_index(root)
    by_iso3 = {c["iso3"]: c for c in json.loads(json_path.read_text())["countries"]}
    assert by_iso3["BGD"]["status"] == "failed"
    assert by_iso3["BGD"]["last_failure"] is None
    assert by_iso3["BGD"]["history"][0]["links"]["html"] == (
        "BGD/history/2026-06-30--121212121212/brief.html"
    )
    assert by_iso3["MYS"]["status"] == "ok"  # the brief is there; its record is unreadable
    assert by_iso3["MYS"]["links"]["html"] == "MYS/brief.html"
    assert by_iso3["MYS"]["as_of"] is None
    page = html_path.read_text()
    assert "no current brief" in page
    assert 'href="BGD/history/2026-06-30--121212121212/brief.html">2026-06-30</a>' in page


def test_long_vintage_folded_in_index(reports: Path):
    summary = json.loads((reports / "PHL" / "summary.json").read_text())
    summary["provenance"]["data_vintage"] = [
        {"source": f"src{i}", "vintage": f"v{i}"} for i in range(8)
    ]
    (reports / "PHL" / "summary.json").write_text(json.dumps(summary))
    page = build_index(reports)[0].read_text()
    assert "<details><summary>8 sources</summary>" in page
    assert "<li><strong>src7</strong>: v7</li>" in page


ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_has_one_valid_entry_per_published_version(reports: Path):
    import xml.etree.ElementTree as ET

    summary = {
        "what_changed": {
            "previous_as_of": "2026-07-09",
            "indicators_moved": [{"label": "Incidents, 12 months", "before": 3, "after": 9}],
            "tiles_changed": [],
            "tripwires_new": [{"label": "Coup attempt"}],
        }
    }
    version = reports / "PHL" / "history" / "2026-08-09--abababababab"
    (version / "summary.json").write_text(json.dumps(summary))
    build_index(reports)
    feed_path = reports / "feed.xml"
    text = feed_path.read_text()
    root = ET.fromstring(text)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):  # RFC 4287 4.1.1
        assert root.find(f"{ATOM}{tag}") is not None, tag
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles == [  # newest first; MYS has no published version
        "Philippines (PHL): brief with data as of 2026-08-09",
        "Fiji (FJI): brief with data as of 2026-07-31",
        "Philippines (PHL): brief with data as of 2026-07-09",
    ]
    first = entries[0]
    assert first.findtext(f"{ATOM}updated") == "2026-08-10T01:00:30Z"
    assert root.findtext(f"{ATOM}updated") == "2026-08-10T01:00:30Z"
    assert first.findtext(f"{ATOM}summary") == (
        "Since the brief as of 2026-07-09: Incidents, 12 months: 3 → 9; trip-wire: Coup attempt."
    )
    href = first.find(f"{ATOM}link").get("href")
    assert (reports / href).is_file() and href.startswith("PHL/history/2026-08-09--")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    assert "first published brief" in entries[-1].findtext(f"{ATOM}summary")
    assert news_items(
        {
            "what_changed": {
                "new_data": {
                    "incidents": {"n": 2, "first": "2026-07-10", "last": "2026-08-01"},
                    "releases": [{"source": "recaap_imb_live"}],
                },
                "method_changes": [{"what": "rating tiles", "before": "v1", "after": "v2"}],
            }
        }
    ) == [
        "2 new incidents in its waters, 2026-07-10 to 2026-08-01",
        "new data releases: recaap_imb_live",
        "method change: rating tiles v1 → v2",
    ]
    # nothing new: the feed is not rewritten, and past versions are not parsed again
    before = feed_path.stat().st_mtime_ns
    (version / "summary.json").write_text("not read again")
    build_index(reports)
    assert feed_path.read_text() == text and feed_path.stat().st_mtime_ns == before
    assert 'href="feed.xml"' in (reports / "index.html").read_text()
