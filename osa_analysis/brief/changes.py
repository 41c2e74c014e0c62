"""Section "what changed since the last brief", from :mod:`osa_analysis.analyse.changes`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from osa_analysis.analyse.changes import new_events, what_changed
from osa_analysis.analyse.grayzone import actor_events
from osa_analysis.analyse.maritime import country_events
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.incident_wording import capitalised
from osa_analysis.brief.numbers import count
from osa_analysis.brief.section import Section, esc
from osa_analysis.brief.summary import BriefSummary


def read_previous_summary(path: str | Path | None) -> dict | None:
    """Read the previous brief's ``summary.json``; None when there is none.

    Raises
    ------
    ValueError
        Naming the file, when it is not a JSON object (the brief then fails and the published
        one stays as it is; restore the file from the brief's ``history/``).
    """
    if not path or not Path(path).is_file():
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(
            f"{path}: the last published summary.json is not valid JSON ({exc}); restore it "
            "from the brief's history/ folder"
        ) from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the last published summary.json is not a JSON object")
    return data


def _events_line(
    what: str, events: dict | None, since: str, plural: str | None = None
) -> str | None:
    if not events:
        return None
    if not events["n"]:
        return f"{capitalised(count(0, what, plural))} dated after {since} in the data."
    cats = ", ".join(f"{n} {c.replace('_', ' ')}" for c, n in events["by_category"].items())
    sev = ", ".join(f"{n} {s}" for s, n in events["by_severity"].items())
    where = (
        f"; median position {events['median_position'][0]:.2f}°, "
        f"{events['median_position'][1]:.2f}°"
        if events["median_position"]
        else ""
    )
    return (
        f"{capitalised(count(events['n'], what, plural))} dated {events['first']} to "
        f"{events['last']} ({cats}; severity {sev}{where})."
    )


def new_data_lines(changes: dict[str, Any]) -> list[str]:
    """Sentences on what is new since the previous brief: data, then method and code."""
    since = esc(changes["previous_as_of"])
    new_data = changes.get("new_data") or {}
    lines = [
        line
        for line in (
            _events_line(
                "new incident in its waters",
                new_data.get("incidents"),
                since,
                "new incidents in its waters",
            ),
            _events_line(
                "new gray-zone event involving it",
                new_data.get("grayzone"),
                since,
                "new gray-zone events involving it",
            ),
        )
        if line
    ]
    releases = new_data.get("releases") or []
    if releases:
        lines.append(
            "**New data releases read:** "
            + "; ".join(
                f"{esc(r['source'])} ({esc(r['vintage_before'] or 'not used before')} → "
                f"{esc(r['vintage_after'])}, coverage {esc(r['coverage_after'])})"
                for r in releases
            )
            + "."
        )
    else:
        lines.append("**New data releases read:** none (every source has the same bytes).")
    methods = changes.get("method_changes") or []
    lines.append(
        "**Method or code changes:** "
        + (
            "; ".join(f"{esc(m['what'])} {esc(m['before'])} → {esc(m['after'])}" for m in methods)
            if methods
            else "none"
        )
        + "."
    )
    return lines


def changes_section(changes: dict[str, Any]) -> Section:
    """Section: what changed since the last brief, in words and a table."""
    if changes["previous_as_of"] is None:
        markdown = "This is the first published brief for this country: nothing to compare yet."
        return Section(
            key="what_changed",
            title="What changed since the last brief",
            markdown=markdown,
            values=changes,
        )
    lines = [
        f"Compared with the brief of {esc(changes['previous_as_of'])}: "
        f"{count(changes['n_changes'], 'change')} beyond uncertainty."
    ]
    lines += new_data_lines(changes)
    rows = []
    for m in changes["indicators_moved"]:
        rows.append(
            {
                "what": m["label"],
                "kind": "moved beyond its interval",
                "before": m["before"],
                "after": m["after"],
            }
        )
    for t in changes["tiles_changed"]:
        rows.append(
            {
                "what": t["label"],
                "kind": "tile rating changed",
                "before": t["before"],
                "after": t["after"],
            }
        )
    for t in changes["tripwires_new"]:
        rows.append(
            {
                "what": t["label"],
                "kind": "trip-wire newly triggered",
                "before": "not triggered",
                "after": f"triggered ({t['data_date']})",
            }
        )
    if changes["values_changed_without_interval"]:
        lines.append(
            f"{count(len(changes['values_changed_without_interval']), 'other figure')} changed "
            "without an interval, so no change is called on them (listed in `summary.json`)."
        )
    return Section(
        key="what_changed",
        title="What changed since the last brief",
        markdown=" ".join(lines),
        tables=[("Changes beyond uncertainty", pd.DataFrame(rows))] if rows else [],
        values=changes,
    )


def what_changed_section(ctx: BriefContext, sections: Mapping[str, Section]) -> Section:
    """Compare every other section's values with the last published ``summary.json``.

    Also counts the country's incidents (as coastal state) and gray-zone events (as an
    actor) dated after the previous brief's as-of, up to this one's.
    """
    summary = BriefSummary()
    for section in sections.values():
        summary.add(section)
    previous = read_previous_summary(ctx.previous_summary)
    since = ((previous or {}).get("provenance") or {}).get("as_of")
    incidents = grayzone = None
    if since:
        after = pd.Timestamp(since)
        table = ctx.tables.get("incidents")
        incidents = new_events(country_events(table, ctx.country_iso3), after, ctx.as_of)
        grayzone = new_events(actor_events(table, ctx.country_iso3, ctx.as_of), after, ctx.as_of)
    changes = what_changed(summary.data, previous, new_incidents=incidents, new_grayzone=grayzone)
    return changes_section(changes)
