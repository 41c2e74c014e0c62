"""What changed since the last published brief of the same country.

Compares the current brief's values with the previous ``summary.json``: indicators that
moved beyond their uncertainty (their intervals no longer overlap), tiles whose rating
changed, and trip-wires newly triggered.
"""

from __future__ import annotations

from typing import Any


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
            "label": "Structural risk composite",
            "value": composite["score"],
            "low": None,
            "high": None,
            "method": method,
        }
    for dim, d in (composite.get("dimensions") or {}).items():
        if isinstance(d, dict) and "score" in d:
            out[f"composite.{dim}"] = {
                "label": f"Composite: {dim}",
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
            "label": f"WGI {w.get('name', code)}",
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


def what_changed(current: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """Compare two summaries (``summary.json`` contents) of the same country.

    Returns
    -------
    dict
        ``previous_as_of`` (None when there is no previous brief), ``indicators_moved``
        (beyond uncertainty), ``values_changed_without_interval``, ``tiles_changed``,
        ``tripwires_new`` and ``n_changes``.
    """
    if not previous:
        return {
            "previous_as_of": None,
            "indicators_moved": [],
            "tiles_changed": [],
            "tripwires_new": [],
            "values_changed_without_interval": [],
            "n_changes": 0,
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
    }
