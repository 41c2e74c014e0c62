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
from osa_analysis.brief.key_judgements import join_sentences
from osa_analysis.brief.numbers import count, date_text
from osa_analysis.brief.section import Section, esc
from osa_analysis.brief.summary import BriefSummary
from osa_analysis.core.i18n import N_, REFERENCE, _, language, tr

CATEGORY_WORDS = {
    "piracy_armed_robbery": N_("piracy armed robbery"),
    "gray_zone_coercion": N_("gray zone coercion"),
    "other_hostile": N_("other hostile"),
    "unknown": N_("unknown"),
}
"""Incident categories (``harmonise.classify.CATEGORIES``) as this section names them."""

SEVERITY_WORDS = {"Attempted": N_("Attempted"), "unknown": N_("unknown")}
"""Severities other than ReCAAP's codes CAT1 to CAT4 (which stay as they are)."""

DIMENSION_WORDS = {"threat": N_("threat"), "fragility": N_("fragility"), "capacity": N_("capacity")}
"""The composite's dimensions, as the change table names them (``Composite: fragility``)."""

WGI_WORDS = {
    "va": N_("Voice & accountability"),
    "pv": N_("Political stability"),
    "ge": N_("Government effectiveness"),
    "rq": N_("Regulatory quality"),
    "rl": N_("Rule of law"),
    "cc": N_("Control of corruption"),
}
"""The six WGI indicators' short names (``analyse.governance.WGI_SHORT``)."""


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


def _date(value: object) -> str:
    """Return an ISO date in the current language's form; anything else as it is."""
    text = str(value)
    return date_text(text) if len(text) == 10 and text[4] == "-" and text[7] == "-" else text


def _counts(counts: Mapping[str, int], words: Mapping[str, str], replace: bool) -> str:
    """Return ``"3 piracy armed robbery, 1 other hostile"`` from counts by code."""
    items = []
    for code, n in counts.items():
        word = _(words[code]) if code in words else (code.replace("_", " ") if replace else code)
        items.append(_("{n} {what}").format(n=n, what=word))
    return _(", ").join(items)


def _events_line(
    what: str, events: dict | None, since: str, plural: str | None = None
) -> str | None:
    if not events:
        return None
    if not events["n"]:
        return _("{events} dated after {since} in the data.").format(
            events=capitalised(count(0, what, plural)), since=since
        )
    fields = {
        "events": capitalised(count(events["n"], what, plural)),
        "first": _date(events["first"]),
        "last": _date(events["last"]),
        "cats": _counts(events["by_category"], CATEGORY_WORDS, replace=True),
        "severity": _counts(events["by_severity"], SEVERITY_WORDS, replace=False),
    }
    if events["median_position"]:
        lat, lon = events["median_position"]
        return _(
            "{events} dated {first} to {last} ({cats}; severity {severity}; median position "
            "{lat}°, {lon}°)."
        ).format(**fields, lat=f"{lat:.2f}", lon=f"{lon:.2f}")
    return _("{events} dated {first} to {last} ({cats}; severity {severity}).").format(**fields)


def new_data_lines(changes: dict[str, Any]) -> list[str]:
    """Sentences on what is new since the previous brief: data, then method and code."""
    since = esc(_date(changes["previous_as_of"]))
    new_data = changes.get("new_data") or {}
    lines = [
        line
        for line in (
            _events_line(
                _("new incident in its waters"),
                new_data.get("incidents"),
                since,
                _("new incidents in its waters"),
            ),
            _events_line(
                _("new gray-zone event involving it"),
                new_data.get("grayzone"),
                since,
                _("new gray-zone events involving it"),
            ),
        )
        if line
    ]
    releases = new_data.get("releases") or []
    if releases:
        listed = _("; ").join(
            _("{source} ({before} → {after}, coverage {coverage})").format(
                source=esc(r["source"]),
                before=esc(r["vintage_before"] or _("not used before")),
                after=esc(r["vintage_after"]),
                coverage=esc(r["coverage_after"]),
            )
            for r in releases
        )
        lines.append(_("**New data releases read:** {releases}.").format(releases=listed))
    else:
        lines.append(_("**New data releases read:** none (every source has the same bytes)."))
    methods = changes.get("method_changes") or []
    if methods:
        listed = _("; ").join(
            _("{what} {before} → {after}").format(
                what=esc(_(m["what"])),
                before=esc(_("not stated") if m["before"] is None else m["before"]),
                after=esc(_("not stated") if m["after"] is None else m["after"]),
            )
            for m in methods
        )
        lines.append(_("**Method or code changes:** {changes}.").format(changes=listed))
    else:
        lines.append(_("**Method or code changes:** none."))
    return lines


def indicator_label(moved: Mapping[str, Any]) -> str:
    """Return the name of a figure that changed, in the current language.

    English gives the recorded label; another language names the composite's score and
    dimensions and the WGI indicators by their id, and translates the sections' key figures.
    """
    label = str(moved.get("label") or moved.get("id") or "")
    if language() == REFERENCE:
        return label
    group, _dot, name = str(moved.get("id") or "").partition(".")
    if group == "composite" and name == "score":
        return _("Structural risk composite")
    if group == "composite" and name in DIMENSION_WORDS:
        return _("Composite: {dim}").format(dim=_(DIMENSION_WORDS[name]))
    if group == "wgi" and name in WGI_WORDS:
        return _("WGI {name}").format(name=_(WGI_WORDS[name]))
    return str(tr(label))


def changes_section(changes: dict[str, Any]) -> Section:
    """Section: what changed since the last brief, in words and a table."""
    if changes["previous_as_of"] is None:
        markdown = _("This is the first published brief for this country: nothing to compare yet.")
        return Section(
            key="what_changed",
            title=_("What changed since the last brief"),
            markdown=markdown,
            values=changes,
        )
    lines = [
        _("Compared with the brief of {date}: {changes} beyond uncertainty.").format(
            date=esc(_date(changes["previous_as_of"])),
            changes=count(changes["n_changes"], _("change"), _("changes")),
        )
    ]
    lines += new_data_lines(changes)
    what, kind, before, after = _("what"), _("kind"), _("before"), _("after")
    rows = []
    for m in changes["indicators_moved"]:
        rows.append(
            {
                what: indicator_label(m),
                kind: _("moved beyond its interval"),
                before: m["before"],
                after: m["after"],
            }
        )
    for t in changes["tiles_changed"]:
        rows.append(
            {
                what: tr(t["label"]),
                kind: _("tile rating changed"),
                before: _(t["before"]) if isinstance(t["before"], str) else t["before"],
                after: _(t["after"]) if isinstance(t["after"], str) else t["after"],
            }
        )
    for t in changes["tripwires_new"]:
        rows.append(
            {
                what: tr(t["label"]),
                kind: _("trip-wire newly triggered"),
                before: _("not triggered"),
                after: _("triggered ({date})").format(date=_date(t["data_date"])),
            }
        )
    if changes["values_changed_without_interval"]:
        lines.append(
            _(
                "{figures} changed without an interval, so no change is called on them (listed "
                "in `summary.json`)."
            ).format(
                figures=count(
                    len(changes["values_changed_without_interval"]),
                    _("other figure"),
                    _("other figures"),
                )
            )
        )
    return Section(
        key="what_changed",
        title=_("What changed since the last brief"),
        markdown=join_sentences(lines),
        tables=[(_("Changes beyond uncertainty"), pd.DataFrame(rows))] if rows else [],
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
