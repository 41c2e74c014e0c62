"""Page one, "Bottom line": rated tiles, the key judgements, what changed, trip-wires, data age.

Nothing here computes: the tiles come from the key-figures section, the judgements from the
misuse register (the same numbers as ``judgements.json``, through
:func:`osa_analysis.analyse.judgements.scenario_judgements`), what changed from its
section and the data age from the provenance.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from osa_analysis.analyse.judgements import scenario_judgements
from osa_analysis.analyse.tiles import tile_rules
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.incident_wording import country_name as running_name
from osa_analysis.brief.numbers import count, pct, pct_range
from osa_analysis.brief.section import Section, esc

MAX_JUDGEMENTS = 5
"""Key judgements shown on page one (the register in the diversion section has them all)."""

HORIZON = "36m"
"""Horizon of the page-one judgements (the register also gives 12 months)."""

CONFIDENCE_WORDS = {"H": "high", "M": "moderate", "L": "low"}

EQUIPMENT_WORDS = {
    "radar": "radars",
    "patrol_boat": "patrol boats",
    "rescue_boat": "rescue boats",
    "rigid_inflatable_boat": "rigid inflatable boats",
    "uav": "drones",
    "diving_support_vessel": "a diving support vessel",
    "heavy_machinery": "heavy machinery",
    "infrastructure": "infrastructure works",
    "ais": "AIS receivers",
    "air_traffic_control_radar": "air traffic control radar",
    "underwater_camera": "underwater cameras",
    "other": "other equipment",
}
"""How the brief names each equipment category of ``osa_projects.csv``."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def rating_class(rating: object, scale: list[str] | tuple[str, ...]) -> str:
    """Return the CSS class of a rating on the tiles' scale (``osa-rating-0``: unrated).

    ``scale`` is the five-step scale of ``data/risk/tiles.yaml`` (lowest first).
    """
    return f"osa-rating-{list(scale).index(rating) + 1 if rating in scale else 0}"


def equipment_phrase(categories: list[str]) -> str:
    """Name the equipment Japan gave, e.g. ``"radars, AIS receivers and infrastructure works"``."""
    words = [EQUIPMENT_WORDS.get(c, c.replace("_", " ")) for c in categories]
    if not words:
        return "no equipment yet"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def project_categories(equipment: Mapping[str, Any]) -> list[str]:
    """Return the equipment categories of the country's projects, in the projects' order."""
    ordered = [c for p in equipment.get("projects") or [] for c in p.get("categories") or []]
    ordered += list(equipment.get("categories") or [])
    return list(dict.fromkeys(ordered))


def key_judgements(diversion: Mapping[str, Any], iso3: str, as_of: str) -> list[dict[str, Any]]:
    """Return the page-one judgements: each scenario's 36-month one, highest residual first.

    A scenario with a probability (a base rate or model) is given by its yardstick term,
    probability and interval; one judged without a base rate by its term and the term's
    range on the yardstick. The order is the residual risk to the equipment after OSA's
    controls (score, then the register's order); at most :data:`MAX_JUDGEMENTS`.

    Returns
    -------
    list of dict
        ``scenario``, ``label``, ``term``, ``probability``, ``interval``, ``term_range``,
        ``resolve_by``, ``confidence``, ``relevance``, ``residual``, ``basis``
        (``"probability"`` or ``"judgement"``) and ``id`` (the ``judgements.json`` id, or
        ``None``).
    """
    scenarios = diversion.get("scenarios") or []
    yardstick = (diversion.get("yardstick") or {}).get("terms") or {}
    numbered = {
        j["scenario"]: j
        for j in scenario_judgements(scenarios, iso3, as_of)
        if j["horizon_months"] == 36
    }
    items = []
    for order, sc in enumerate(scenarios):
        j = numbered.get(sc["id"])
        term = j["yardstick"] if j else sc.get(f"judgement_{HORIZON}")
        residual = sc.get("residual") or {}
        items.append(
            {
                "scenario": sc["id"],
                "label": sc["label"],
                "term": term,
                "probability": j["probability"] if j else None,
                "interval": j["interval"] if j else None,
                "term_range": yardstick.get(term) if term else None,
                "resolve_by": j["resolve_by"] if j else _plus_36_months(as_of),
                "confidence": sc.get("confidence"),
                "relevance": (sc.get("equipment_relevance") or {}).get("overall"),
                "residual": residual.get("class"),
                "residual_score": residual.get("score"),
                "basis": "probability" if j else "judgement",
                "id": j["id"] if j else None,
                "_order": order,
            }
        )
    items.sort(key=lambda i: (-(i["residual_score"] or 0), i["_order"]))
    for item in items:
        del item["_order"]
    return items[:MAX_JUDGEMENTS]


def _plus_36_months(as_of: str) -> str:
    year, rest = as_of.split("-", 1)
    return f"{int(year) + 3}-{rest}"


def judgement_line(item: Mapping[str, Any]) -> str:
    """One key judgement in words: term, probability, date, confidence, what it means."""
    term = item["term"] or "not judged"
    if item["basis"] == "probability":
        odds = (
            f"{pct(item['probability'])} (95% interval {pct_range(*item['interval'])}), "
            f"from the base rate and model"
        )
    else:
        rng = item["term_range"]
        odds = (
            f"{pct_range(*rng)} on the yardstick, an analyst judgement without a base rate"
            if rng
            else "an analyst judgement without a base rate"
        )
    confidence = CONFIDENCE_WORDS.get(item["confidence"], item["confidence"] or "not stated")
    return (
        f"**{esc(item['label'])}** by {item['resolve_by']}: *{esc(term)}*, {odds}. "
        f"Confidence: {confidence}. For the equipment: relevance "
        f"{esc(item['relevance'] or 'n/a')}; residual risk after OSA's controls "
        f"**{esc(item['residual'] or 'n/a')}**."
    )


def tiles_html(tiles: list[Mapping[str, Any]]) -> str:
    """Return the rating tiles as coloured boxes (``osa-rating-<n>``: 1 very low, 5 very high).

    Each tile carries its label, rating, trend arrow and, in small type, its evidence.
    """
    if not tiles:
        return ""
    scale = tile_rules()["scale"]
    boxes = []
    for t in tiles:
        rating = t.get("rating")
        boxes.append(
            f'<div class="osa-tile {rating_class(rating, scale)}" '
            f'title="{esc(t.get("evidence") or "")}">'
            f'<span class="osa-tile-label">{esc(t["label"])}</span>'
            f'<span class="osa-tile-rating">{esc(rating or "n/a")} '
            f'<span class="osa-tile-arrow" aria-label="trend {esc(t.get("trend") or "unknown")}">'
            f"{esc(t.get('arrow') or '–')}</span></span>"
            f'<span class="osa-tile-evidence">{esc(t.get("evidence") or "no evidence")}</span>'
            "</div>"
        )
    legend = (
        '<p class="osa-tile-legend">One five-step scale (very low to very high); arrows: ↑ '
        "riskier, ↓ less risky, → no clear change, – unknown. Rules: "
        "<code>data/risk/tiles.yaml</code>.</p>"
    )
    return '<div class="osa-tiles">' + "".join(boxes) + "</div>" + legend


def change_line(changes: Mapping[str, Any]) -> str:
    """Return what changed since the last brief, in one sentence."""
    since = changes.get("previous_as_of")
    if since is None:
        return "**What changed:** this is the first published brief for this country."
    parts = [count(changes.get("n_changes") or 0, "change") + " beyond uncertainty"]
    incidents = ((changes.get("new_data") or {}).get("incidents")) or {}
    if incidents:
        parts.append(count(incidents.get("n") or 0, "new incident") + " in its waters")
    tiles = changes.get("tiles_changed") or []
    parts += [f"{esc(t['label'])} {esc(t['before'])} → {esc(t['after'])}" for t in tiles]
    n = registry.number("what_changed")
    return (
        f"**What changed since the brief of {esc(since)}:** "
        + "; ".join(parts)
        + f" (section {n})."
    )


def tripwire_line(tripwires: list[Mapping[str, Any]]) -> str:
    """Return the trip-wires that are triggered, with their evidence."""
    triggered = [t for t in tripwires if t.get("status") == "triggered"]
    if not triggered:
        return f"**Trip-wires:** none of the {len(tripwires)} is triggered."
    return (
        f"**Trip-wires triggered ({len(triggered)} of {len(tripwires)}):** "
        + "; ".join(f"{esc(t['label'])} ({esc(t['evidence'])})" for t in triggered)
        + "."
    )


def data_line(provenance: Mapping[str, Any]) -> str:
    """Return the newest data the brief uses and the key inputs overdue at its date."""
    overdue = provenance.get("overdue_key_inputs") or []
    dates = [
        str(v.get("last observation"))
        for v in provenance.get("data_vintage") or []
        if _ISO_DATE.fullmatch(str(v.get("last observation")))
    ]
    newest = f"the latest observation is of {max(dates)}" if dates else "see the annex"
    if not overdue:
        return f"**Newest data:** {newest}; every key input is current for its release cadence."
    names = ", ".join(esc(o["source"]) for o in overdue)
    return (
        f"**Newest data:** {newest}; {count(len(overdue), 'key input')} overdue for a newer "
        f"release ({names}), so their parts may be out of date (annex: provenance)."
    )


def key_judgements_section(ctx: BriefContext, sections: Mapping[str, Section]) -> Section:
    """Page one: tiles, key judgements, what changed, trip-wires and the newest data."""
    prov = sections["provenance"].values
    diversion = sections["diversion"].values
    tiles = sections["bottom_line"].values.get("tiles") or []
    categories = project_categories(diversion.get("equipment") or {})
    equipment = equipment_phrase(categories)
    items = key_judgements(diversion, prov["country_iso3"], prov["as_of"])
    n_div = registry.number("diversion")
    whom = esc(running_name(ctx))
    lead = (
        f"Risks to the {esc(equipment)} Japan has given or agreed to give {whom}"
        if categories
        else f"No OSA equipment is recorded for {whom}: risks to equipment Japan might give"
    )
    lines = [
        f"{lead}, judged at {prov['as_of']} for the next 36 months, most serious for the "
        "equipment first "
        f"(every scenario and the 12-month horizon: section {n_div}; each judgement with its "
        "event, date and resolving source: [judgements.json](judgements.json)). Words for "
        "likelihood follow the UK PHIA probability yardstick (annex: glossary)."
    ]
    lines += [f"{i + 1}. {judgement_line(item)}" for i, item in enumerate(items)]
    markdown = "\n".join(lines[:1]) + "\n\n" + "\n".join(lines[1:])
    markdown += "\n\n" + "\n\n".join(
        [
            change_line(sections["what_changed"].values),
            tripwire_line(diversion.get("tripwires") or []),
            data_line(prov),
        ]
    )
    return Section(
        key="key_judgements",
        title="Bottom line",
        markdown=markdown,
        html=tiles_html(tiles),
        values={"judgements": items, "equipment": equipment, "horizon": HORIZON},
    )
