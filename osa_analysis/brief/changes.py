"""Section "what changed since the last brief", from :mod:`osa_analysis.analyse.changes`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from osa_analysis.analyse.changes import what_changed
from osa_analysis.brief.context import BriefContext
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


def changes_section(changes: dict[str, Any]) -> Section:
    """Section: what changed since the last brief, in words and a table."""
    if changes["previous_as_of"] is None:
        markdown = "This is the first published brief for this country: nothing to compare yet."
        return Section(
            key="what_changed",
            title="10. What changed since the last brief",
            markdown=markdown,
            values=changes,
        )
    lines = [
        f"Compared with the brief of {esc(changes['previous_as_of'])}: "
        f"{changes['n_changes']} change(s) beyond uncertainty."
    ]
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
            f"{len(changes['values_changed_without_interval'])} other figure(s) changed but have "
            "no interval, so no change is called on them (listed in `summary.json`)."
        )
    return Section(
        key="what_changed",
        title="10. What changed since the last brief",
        markdown="\n\n".join(lines),
        tables=[("Changes beyond uncertainty", pd.DataFrame(rows))] if rows else [],
        values=changes,
    )


def what_changed_section(ctx: BriefContext, sections: Mapping[str, Section]) -> Section:
    """Compare every other section's values with the last published ``summary.json``."""
    summary = BriefSummary()
    for section in sections.values():
        summary.add(section)
    return changes_section(what_changed(summary.data, read_previous_summary(ctx.previous_summary)))
