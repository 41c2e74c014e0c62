"""``reports/feed.xml``: an Atom feed with one entry per published version of a brief.

Each entry is a version in ``reports/<ISO3>/history/``: its title names the country and the
as-of date, its summary says what changed since the brief before it (the version's own
``what_changed``: indicators moved beyond their uncertainty, tiles changed, trip-wires newly
triggered), and it links to that version's brief. The feed is written from the catalog
(:func:`osa_analysis.build.catalog.collect_catalog`), holds no clock time of its own (its
``updated`` is the newest entry's), and is rewritten only when its text changes, so a build
with nothing new leaves it as it was.

Links are relative to the feed (``PHL/history/…/brief.html``), which Atom resolves against
the feed's own address wherever the reports folder is served.
"""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from osa_analysis.brief.numbers import count
from osa_analysis.core.files import atomic_write_text, read_json_object

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.xml"
FEED_CACHE = ".feed-cache.json"
FEED_TITLE = "Security-risk briefs on Japan's OSA recipients"
FEED_ID = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "osa_analysis/reports/feed"))
AUTHOR = "osa_analysis"


def change_items(summary: Mapping[str, Any] | None) -> tuple[str | None, list[str]]:
    """Return a brief's ``what_changed`` as the previous as-of date and one line per change.

    The lines (shared by the index page and the feed): an indicator moved beyond its
    uncertainty, a tile changed, a trip-wire newly triggered.
    """
    changes = (summary or {}).get("what_changed") or {}
    items = (
        [f"{m['label']}: {m['before']} → {m['after']}" for m in changes.get("indicators_moved", [])]
        + [f"{t['label']}: {t['before']} → {t['after']}" for t in changes.get("tiles_changed", [])]
        + [f"trip-wire: {t['label']}" for t in changes.get("tripwires_new", [])]
    )
    return changes.get("previous_as_of"), items


def news_items(summary: Mapping[str, Any] | None) -> list[str]:
    """Return what is new in a brief besides its judgements: new data, then method changes.

    One line each for the country's incidents and gray-zone events dated after the previous
    brief, the source releases read since and the method or code versions that changed
    (shared by the index page and the feed).
    """
    changes = (summary or {}).get("what_changed") or {}
    new_data = changes.get("new_data") or {}
    lines = []
    for noun, where, events in (
        ("incident", " in its waters", new_data.get("incidents")),
        ("gray-zone event", "", new_data.get("grayzone")),
    ):
        if events and events.get("n"):
            what = count(events["n"], f"new {noun}") + where
            lines.append(f"{what}, {events['first']} to {events['last']}")
    releases = new_data.get("releases") or []
    if releases:
        lines.append("new data releases: " + ", ".join(r["source"] for r in releases))
    lines += [
        f"method change: {m['what']} {m['before']} → {m['after']}"
        for m in changes.get("method_changes") or []
    ]
    return lines


def _change_summary(summary: Mapping[str, Any] | None) -> str:
    previous, items = change_items(summary)
    if not previous:
        return "The first published brief (nothing to compare with)."
    news = news_items(summary)
    recorded = "new_data" in ((summary or {}).get("what_changed") or {})  # older briefs lack it
    new = (" New since then: " + "; ".join(news) + ".") if news else ""
    if recorded and not news:
        new = " No new incident, release or method change."
    if not items:
        return (
            f"Since the brief as of {previous}: no indicator moved beyond its uncertainty, no "
            f"tile changed and no trip-wire was newly triggered.{new}"
        )
    return f"Since the brief as of {previous}: " + "; ".join(items) + "." + new


def feed_entries(reports_dir: Path, catalog: Mapping[str, Any]) -> list[dict[str, str]]:
    """Return one entry per published version of every brief, newest first.

    A published version never changes, so its change summary is read from its
    ``summary.json`` once and kept in ``reports/.feed-cache.json`` (keyed by the version's
    folder, run key and finish time): a build does not parse every past brief again.

    Returns
    -------
    list of dict
        ``id``, ``title``, ``updated`` (the version's finish time), ``link`` (its brief,
        relative to the reports folder) and ``summary``.
    """
    reports_dir = Path(reports_dir)
    cache_path = reports_dir / FEED_CACHE
    known = read_json_object(cache_path) or {}
    seen: dict[str, str] = {}
    entries = []
    for country in catalog["countries"]:
        for version in country["history"]:
            html = (version.get("links") or {}).get("html")
            if not html or not version.get("finished_utc"):
                continue
            key = f"{version['folder']}|{version.get('run_key')}|{version['finished_utc']}"
            text = known.get(key)
            if not isinstance(text, str):
                summary = read_json_object(reports_dir / version["folder"] / "summary.json")
                text = _change_summary(summary)
            seen[key] = text
            entries.append(
                {
                    "id": "urn:uuid:"
                    + str(uuid.uuid5(uuid.NAMESPACE_URL, f"osa_analysis/{version['folder']}")),
                    "title": f"{country['name']} ({country['iso3']}): brief with data as of "
                    f"{version['as_of']}",
                    "updated": version["finished_utc"],
                    "link": html,
                    "summary": text,
                }
            )
    if seen != known:
        atomic_write_text(cache_path, json.dumps(seen, indent=1, sort_keys=True) + "\n")
    entries.sort(key=lambda e: (e["updated"], e["link"]), reverse=True)
    return entries


def feed_xml(entries: list[dict[str, str]]) -> str:
    """Return the Atom document of ``entries`` (RFC 4287)."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", FEED_ID)
    sub(feed, "title", FEED_TITLE)
    sub(feed, "updated", entries[0]["updated"] if entries else "1970-01-01T00:00:00Z")
    sub(feed, "link", rel="self", href=FEED_FILE, type="application/atom+xml")
    sub(feed, "link", rel="alternate", href="index.html", type="text/html")
    author = sub(feed, "author")
    sub(author, "name", AUTHOR)
    sub(feed, "generator", "osa_analysis")
    for e in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", e["id"])
        sub(entry, "title", e["title"])
        sub(entry, "updated", e["updated"])
        sub(entry, "link", rel="alternate", href=e["link"], type="text/html")
        sub(entry, "summary", e["summary"], type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def write_feed(reports_dir: Path, catalog: Mapping[str, Any]) -> Path:
    """Write ``reports/feed.xml`` when its text changed; return its path."""
    path = Path(reports_dir) / FEED_FILE
    text = feed_xml(feed_entries(reports_dir, catalog))
    try:
        same = path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        same = False
    if not same:
        atomic_write_text(path, text)
    return path
