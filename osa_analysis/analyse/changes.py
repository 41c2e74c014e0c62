"""What changed since the last published brief of the same country.

Compares the current brief's values with the previous ``summary.json``: indicators that
moved beyond their uncertainty (their intervals no longer overlap), tiles whose rating
changed, and trip-wires newly triggered. Apart from those judgements it lists what is new
whether or not anything moved: **new data** (source releases read since, by their sha256 in
the provenance; incidents dated after the previous brief's as-of, :func:`new_events`) and
**method or code changes** (method versions, package version, commit), so a change of
numbers can be told from a change of method.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from osa_analysis.core.i18n import N_

METHOD_FIELDS = {
    N_("composite risk method"): ("composite", "method_version"),
    N_("misuse and diversion method"): ("diversion", "method_version"),
    N_("rating tiles"): ("bottom_line", "tiles_method_version"),
    N_("track record"): ("diversion", "track_record", "method_version"),
    N_("package version"): ("provenance", "package_version"),
}
"""Where each method or code version sits in ``summary.json`` (labels translated where shown)."""


def comparable_indicators(summary: dict[str, Any]) -> dict[str, dict]:
    """Collect the figures a brief reports with their intervals, keyed by a stable id.

    Sources: every section's ``key_figures``, the composite score and its dimensions, and
    the six WGI indicators. Each entry has ``label``, ``value``, ``low``, ``high`` (None when
    the figure has no interval); the composite's entries also ``method`` (its version: a
    figure is compared only with one of the same method).
    """
    out: dict[str, dict] = {}
    for key, section in summary.items():
        if not isinstance(section, dict) or key == "bottom_line":
            continue
        for kf in section.get("key_figures", []) or []:
            interval = kf.get("interval") or [None, None]
            out[f"{key}.{kf['id']}"] = {
                "label": kf.get("label", kf["id"]),
                "value": kf.get("value"),
                "low": interval[0],
                "high": interval[1],
            }
    composite = summary.get("composite") or {}
    method = composite.get("method_version")
    if isinstance(composite.get("score"), int | float):
        # the nominal score has no uncertainty interval (its method range is not one)
        out["composite.score"] = {
            "label": N_("Structural risk composite"),
            "value": composite["score"],
            "low": None,
            "high": None,
            "method": method,
        }
    for dim, d in (composite.get("dimensions") or {}).items():
        if isinstance(d, dict) and "score" in d:
            out[f"composite.{dim}"] = {
                "label": N_("Composite: {dim}").format(dim=dim),
                "value": d["score"],
                "low": None,
                "high": None,
                "method": method,
            }
    for kf_id in [k for k in out if k.startswith("composite.") and "method" not in out[k]]:
        out[kf_id]["method"] = method
    wgi = ((summary.get("governance") or {}).get("wgi") or {}).get("indicators") or {}
    for code, w in wgi.items():
        out[f"wgi.{code}"] = {
            "label": N_("WGI {name}").format(name=w.get("name", code)),
            "value": w.get("estimate"),
            "low": w.get("low"),
            "high": w.get("high"),
        }
    return out


def moved_beyond_uncertainty(before: dict, after: dict) -> bool | None:
    """Whether a figure moved beyond its uncertainty: its two intervals do not overlap.

    Without intervals on both sides, returns None (a change cannot be called).
    """
    if None in (before.get("low"), before.get("high"), after.get("low"), after.get("high")):
        return None
    return after["low"] > before["high"] or after["high"] < before["low"]


def what_changed(
    current: dict[str, Any],
    previous: dict[str, Any] | None,
    *,
    new_incidents: dict | None = None,
    new_grayzone: dict | None = None,
) -> dict[str, Any]:
    """Compare two summaries (``summary.json`` contents) of the same country.

    Parameters
    ----------
    current, previous : dict
        This brief's values and the previous brief's ``summary.json`` (None: no previous).
    new_incidents, new_grayzone : dict, optional
        :func:`new_events` of the country's incidents and gray-zone events after the
        previous brief's as-of.

    Returns
    -------
    dict
        ``previous_as_of`` (None when there is no previous brief), ``indicators_moved``
        (beyond uncertainty), ``values_changed_without_interval``, ``tiles_changed``,
        ``tripwires_new`` and ``n_changes`` (the judgements that changed); ``new_data``
        (``releases``: :func:`new_releases`, ``incidents``, ``grayzone``) and
        ``method_changes`` (:func:`method_changes`).
    """
    if not previous:
        return {
            "previous_as_of": None,
            "indicators_moved": [],
            "tiles_changed": [],
            "tripwires_new": [],
            "values_changed_without_interval": [],
            "n_changes": 0,
            "new_data": {"releases": [], "incidents": None, "grayzone": None},
            "method_changes": [],
        }
    before, after = comparable_indicators(previous), comparable_indicators(current)
    moved, unsure = [], []
    for fid in sorted(set(before) & set(after)):
        b, a = before[fid], after[fid]
        if b.get("method") != a.get("method"):
            continue  # another method version: its numbers are not comparable
        verdict = moved_beyond_uncertainty(b, a)
        entry = {
            "id": fid,
            "label": a["label"],
            "before": b["value"],
            "after": a["value"],
            "interval_before": [b["low"], b["high"]],
            "interval_after": [a["low"], a["high"]],
        }
        if verdict:
            moved.append(entry)
        elif verdict is None and b["value"] != a["value"]:
            unsure.append(entry)
    old_tiles = {t["id"]: t for t in (previous.get("bottom_line") or {}).get("tiles", [])}
    tiles = [
        {
            "id": t["id"],
            "label": t["label"],
            "before": old_tiles[t["id"]]["rating"],
            "after": t["rating"],
        }
        for t in (current.get("bottom_line") or {}).get("tiles", [])
        if t["id"] in old_tiles and old_tiles[t["id"]]["rating"] != t["rating"]
    ]
    was = {
        t["id"]
        for t in (previous.get("diversion") or {}).get("tripwires", [])
        if t.get("status") == "triggered"
    }
    new = [
        {"id": t["id"], "label": t["label"], "data_date": t.get("data_date")}
        for t in (current.get("diversion") or {}).get("tripwires", [])
        if t.get("status") == "triggered" and t["id"] not in was
    ]
    return {
        "previous_as_of": (previous.get("provenance") or {}).get("as_of"),
        "indicators_moved": moved,
        "values_changed_without_interval": unsure,
        "tiles_changed": tiles,
        "tripwires_new": new,
        "n_changes": len(moved) + len(tiles) + len(new),
        "new_data": {
            "releases": new_releases(current, previous),
            "incidents": new_incidents,
            "grayzone": new_grayzone,
        },
        "method_changes": method_changes(current, previous),
    }


def _at(data: dict, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def new_releases(current: dict[str, Any], previous: dict[str, Any]) -> list[dict]:
    """List the sources read with other bytes than in the previous brief (new releases).

    Compares the ``provenance.data_vintage`` rows (source, sha256, vintage, coverage).
    """

    def rows(summary: dict) -> dict[str, dict]:
        vintage = _at(summary, ("provenance", "data_vintage")) or []
        return {r["source"]: r for r in vintage if isinstance(r, dict) and "source" in r}

    before, after = rows(previous), rows(current)
    out = []
    for sid in sorted(after):
        b, a = before.get(sid), after[sid]
        if b is None or b.get("sha256") != a.get("sha256"):
            out.append(
                {
                    "source": sid,
                    "title": a.get("title"),
                    "vintage_before": (b or {}).get("vintage"),
                    "vintage_after": a.get("vintage"),
                    "coverage_before": (b or {}).get("coverage"),
                    "coverage_after": a.get("coverage"),
                }
            )
    return out


def method_changes(current: dict[str, Any], previous: dict[str, Any]) -> list[dict]:
    """List the method and code versions that differ from the previous brief's."""
    out = []
    for label, path in METHOD_FIELDS.items():
        b, a = _at(previous, path), _at(current, path)
        if b != a and (a is not None or b is not None):
            out.append({"what": label, "before": b, "after": a})
    return out


def new_events(events: pd.DataFrame, after: pd.Timestamp, until: pd.Timestamp) -> dict:
    """Summarise the events dated after ``after`` up to ``until`` (both as-of dates).

    Parameters
    ----------
    events : DataFrame
        A country's events (``date``, ``category``, ``severity``, ``source``, ``latitude``,
        ``longitude``).
    after, until : Timestamp
        The previous brief's as-of (excluded) and this one's (included).

    Returns
    -------
    dict
        ``n``, ``first`` and ``last`` date, counts ``by_category``, ``by_severity`` and
        ``by_source``, and ``median_position`` ([lat, lon], or None).
    """
    dates = pd.to_datetime(events["date"])
    new = events[
        (dates > after).fillna(False).to_numpy() & (dates <= until).fillna(False).to_numpy()
    ]

    def counts(column: str) -> dict[str, int]:
        if column not in new:
            return {}
        values = new[column].astype("string").fillna("unknown")
        return {str(k): int(v) for k, v in values.value_counts().sort_index().items()}

    placed = new.dropna(subset=["latitude", "longitude"]) if len(new) else new
    return {
        "n": len(new),
        "first": f"{pd.to_datetime(new['date']).min():%Y-%m-%d}" if len(new) else None,
        "last": f"{pd.to_datetime(new['date']).max():%Y-%m-%d}" if len(new) else None,
        "by_category": counts("category"),
        "by_severity": counts("severity"),
        "by_source": counts("source"),
        "median_position": (
            [
                round(float(placed["latitude"].median()), 2),
                round(float(placed["longitude"].median()), 2),
            ]
            if len(placed)
            else None
        ),
    }
