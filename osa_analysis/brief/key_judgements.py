"""Page one, "Bottom line": rated tiles, the key judgements, what changed, trip-wires, data age.

Nothing here computes: the tiles come from the key-figures section, the judgements from the
misuse register (the same numbers as ``judgements.json``, through
:func:`osa_analysis.analyse.judgements.scenario_judgements`), what changed from its
section and the data age from the provenance.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from osa_analysis.analyse.judgements import scenario_judgements
from osa_analysis.analyse.tiles import tile_rules
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.incident_wording import country_name as running_name
from osa_analysis.brief.numbers import count, date_text, pct, pct_range
from osa_analysis.brief.section import Section, esc
from osa_analysis.brief.tiles_text import (
    rating_word,
    tile_evidence,
    tile_label,
    tiles_legend,
    trend_label,
)
from osa_analysis.core.countries import country_name
from osa_analysis.core.i18n import N_, REFERENCE, _, language, tr, use_language

DATA_MESSAGES = (
    ("data/risk/diversion.yaml", "scenarios[].label"),
    ("data/recipients/countries.yaml", "countries[].name"),
)
"""Texts of curated files page one shows: the scenarios' names and the country names."""

MAX_JUDGEMENTS = 5
"""Key judgements shown on page one (the register in the diversion section has them all)."""

HORIZON = "36m"
"""Horizon of the page-one judgements (the register also gives 12 months)."""

CONFIDENCE_WORDS = {"H": N_("high"), "M": N_("moderate"), "L": N_("low")}

YARDSTICK_WORDS = {
    "remote": N_("remote"),
    "highly unlikely": N_("highly unlikely"),
    "unlikely": N_("unlikely"),
    "realistic possibility": N_("realistic possibility"),
    "likely": N_("likely"),
    "highly likely": N_("highly likely"),
    "almost certain": N_("almost certain"),
}
"""The PHIA yardstick's terms (``data/risk/diversion.yaml``), translated where shown."""

LEVEL_WORDS = {
    "none": N_("none"),
    "negligible": N_("negligible"),
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
}
"""Levels of equipment relevance and classes of residual risk (``data/risk/diversion.yaml``)."""

EQUIPMENT_WORDS = {
    "radar": N_("radars"),
    "patrol_boat": N_("patrol boats"),
    "rescue_boat": N_("rescue boats"),
    "rigid_inflatable_boat": N_("rigid inflatable boats"),
    "uav": N_("drones"),
    "diving_support_vessel": N_("a diving support vessel"),
    "heavy_machinery": N_("heavy machinery"),
    "infrastructure": N_("infrastructure works"),
    "ais": N_("AIS receivers"),
    "air_traffic_control_radar": N_("air traffic control radar"),
    "underwater_camera": N_("underwater cameras"),
    "other": N_("other equipment"),
}
"""How the brief names each equipment category of ``osa_projects.csv``."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def term_word(term: object) -> str:
    """Return a yardstick term (or another likelihood word) in the current language."""
    if not term:
        return _("not judged")
    return _(YARDSTICK_WORDS[term]) if term in YARDSTICK_WORDS else str(tr(term))


def level_word(level: object) -> str:
    """Return a relevance level or residual-risk class in the current language."""
    if not level:
        return _("n/a")
    return _(LEVEL_WORDS[level]) if level in LEVEL_WORDS else str(tr(level))


def brief_country(ctx: BriefContext) -> str:
    """Return the country's name for running text ("the Philippines"; フィリピン in Japanese)."""
    if language() == REFERENCE:
        return running_name(ctx)
    return str(tr(country_name(ctx.country_iso3)))


def join_sentences(sentences: list[str]) -> str:
    """Join sentences into a paragraph: a space between them, none in Japanese."""
    return ("" if language() == "ja" else " ").join(sentences)


def in_reference(function: Callable[..., Any], *args: Any) -> Any:
    """Call ``function`` in the reference language (for ``values``, the same in every edition)."""
    with use_language(REFERENCE):
        return function(*args)


def rating_class(rating: object, scale: list[str] | tuple[str, ...]) -> str:
    """Return the CSS class of a rating on the tiles' scale (``osa-rating-0``: unrated).

    ``scale`` is the five-step scale of ``data/risk/tiles.yaml`` (lowest first).
    """
    return f"osa-rating-{list(scale).index(rating) + 1 if rating in scale else 0}"


def word_list(words: list[str]) -> str:
    """Join words as a list: ``"a, b and c"`` (``"a、b、c"`` in Japanese)."""
    if len(words) <= 1:
        return "".join(words)
    return _("{items} and {last}").format(items=_(", ").join(words[:-1]), last=words[-1])


def equipment_phrase(categories: list[str]) -> str:
    """Name the equipment Japan gave, e.g. ``"radars, AIS receivers and infrastructure works"``."""
    words = [
        _(EQUIPMENT_WORDS[c]) if c in EQUIPMENT_WORDS else c.replace("_", " ") for c in categories
    ]
    if not words:
        return _("no equipment yet")
    return word_list(words)


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
    if item["basis"] == "probability":
        odds = _("{p} (95% interval {interval}), from the base rate and model").format(
            p=pct(item["probability"]), interval=pct_range(*item["interval"])
        )
    else:
        rng = item["term_range"]
        odds = (
            _("{range} on the yardstick, an analyst judgement without a base rate").format(
                range=pct_range(*rng)
            )
            if rng
            else _("an analyst judgement without a base rate")
        )
    level = item["confidence"]
    confidence = _(CONFIDENCE_WORDS[level]) if level in CONFIDENCE_WORDS else level
    confidence = confidence or _("not stated")
    head = _("**{label}** by {date}: *{term}*, {odds}.").format(
        label=esc(tr(item["label"])),
        date=date_text(item["resolve_by"]),
        term=esc(term_word(item["term"])),
        odds=odds,
    )
    return join_sentences(
        [
            head,
            _("Confidence: {confidence}.").format(confidence=confidence),
            _(
                "For the equipment: relevance {relevance}; residual risk after OSA's controls "
                "**{residual}**."
            ).format(
                relevance=esc(level_word(item["relevance"])),
                residual=esc(level_word(item["residual"])),
            ),
        ]
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
        evidence = tile_evidence(t)
        boxes.append(
            f'<div class="osa-tile {rating_class(rating, scale)}" '
            f'title="{esc(evidence)}">'
            f'<span class="osa-tile-label">{esc(tile_label(t))}</span>'
            f'<span class="osa-tile-rating">{esc(rating_word(rating))} '
            f'<span class="osa-tile-arrow" aria-label="{esc(trend_label(t.get("trend")))}">'
            f"{esc(t.get('arrow') or '–')}</span></span>"
            f'<span class="osa-tile-evidence">{esc(evidence or _("no evidence"))}</span>'
            "</div>"
        )
    legend = f'<p class="osa-tile-legend">{tiles_legend()}</p>'
    return '<div class="osa-tiles">' + "".join(boxes) + "</div>" + legend


def change_line(changes: Mapping[str, Any]) -> str:
    """Return what changed since the last brief, in one sentence."""
    since = changes.get("previous_as_of")
    if since is None:
        return _("**What changed:** this is the first published brief for this country.")
    parts = [
        _("{changes} beyond uncertainty").format(
            changes=count(changes.get("n_changes") or 0, _("change"), _("changes"))
        )
    ]
    incidents = ((changes.get("new_data") or {}).get("incidents")) or {}
    if incidents:
        parts.append(
            _("{incidents} in its waters").format(
                incidents=count(incidents.get("n") or 0, _("new incident"), _("new incidents"))
            )
        )
    tiles = changes.get("tiles_changed") or []
    parts += [
        _("{tile} {before} → {after}").format(
            tile=esc(tr(t["label"])),
            before=esc(tr(t["before"]) if t["before"] is not None else _("unrated")),
            after=esc(tr(t["after"]) if t["after"] is not None else _("unrated")),
        )
        for t in tiles
    ]
    return _("**What changed since the brief of {date}:** {changes} (section {n}).").format(
        date=esc(date_text(since)),
        changes=_("; ").join(parts),
        n=registry.number("what_changed"),
    )


def tripwire_line(tripwires: list[Mapping[str, Any]]) -> str:
    """Return the trip-wires that are triggered, with their evidence.

    Their names and evidence are worded as in the diversion section's table
    (:func:`osa_analysis.brief.diversion_words.tripwire_label` and ``tripwire_evidence``).
    """
    from osa_analysis.brief.diversion_words import tripwire_evidence, tripwire_label

    triggered = [t for t in tripwires if t.get("status") == "triggered"]
    if not triggered:
        return _("**Trip-wires:** none of the {n} is triggered.").format(n=len(tripwires))
    listed = _("; ").join(
        _("{label} ({evidence})").format(
            label=esc(tripwire_label(t)), evidence=esc(tripwire_evidence(t))
        )
        for t in triggered
    )
    return _("**Trip-wires triggered ({k} of {n}):** {listed}.").format(
        k=len(triggered), n=len(tripwires), listed=listed
    )


def data_line(provenance: Mapping[str, Any]) -> str:
    """Return the newest data the brief uses and the key inputs overdue at its date."""
    overdue = provenance.get("overdue_key_inputs") or []
    dates = [
        str(v.get("last observation"))
        for v in provenance.get("data_vintage") or []
        if _ISO_DATE.fullmatch(str(v.get("last observation")))
    ]
    newest = (
        _("the latest observation is of {date}").format(date=date_text(max(dates)))
        if dates
        else _("see the annex")
    )
    if not overdue:
        return _(
            "**Newest data:** {newest}; every key input is current for its release cadence."
        ).format(newest=newest)
    names = _(", ").join(esc(o["source"]) for o in overdue)
    return _(
        "**Newest data:** {newest}; {inputs} overdue for a newer release ({names}), so their "
        "parts may be out of date (annex: provenance)."
    ).format(
        newest=newest,
        inputs=count(len(overdue), _("key input"), _("key inputs")),
        names=names,
    )


def _lead(whom: str, equipment: str | None, as_of: str, n_div: int | None) -> str:
    """Return the sentence that opens page one (``equipment`` ``None``: none is recorded)."""
    fields = {"country": whom, "equipment": equipment, "as_of": date_text(as_of), "n": n_div}
    if equipment is None:
        return _(
            "No OSA equipment is recorded for {country}: risks to equipment Japan might give, "
            "judged at {as_of} for the next 36 months, most serious for the equipment first "
            "(every scenario and the 12-month horizon: section {n}; each judgement with its "
            "event, date and resolving source: [judgements.json](judgements.json)). Words for "
            "likelihood follow the UK PHIA probability yardstick (annex: glossary)."
        ).format(**fields)
    return _(
        "Risks to the {equipment} Japan has given or agreed to give {country}, judged at "
        "{as_of} for the next 36 months, most serious for the equipment first (every scenario "
        "and the 12-month horizon: section {n}; each judgement with its event, date and "
        "resolving source: [judgements.json](judgements.json)). Words for likelihood follow "
        "the UK PHIA probability yardstick (annex: glossary)."
    ).format(**fields)


def key_judgements_section(ctx: BriefContext, sections: Mapping[str, Section]) -> Section:
    """Page one: tiles, key judgements, what changed, trip-wires and the newest data."""
    prov = sections["provenance"].values
    diversion = sections["diversion"].values
    tiles = sections["bottom_line"].values.get("tiles") or []
    categories = project_categories(diversion.get("equipment") or {})
    equipment = equipment_phrase(categories)
    items = key_judgements(diversion, prov["country_iso3"], prov["as_of"])
    whom = esc(brief_country(ctx))
    lead = _lead(
        whom,
        esc(equipment) if categories else None,
        prov["as_of"],
        registry.number("diversion"),
    )
    lines = [f"{i + 1}. {judgement_line(item)}" for i, item in enumerate(items)]
    markdown = lead + "\n\n" + "\n".join(lines)
    markdown += "\n\n" + "\n\n".join(
        [
            change_line(sections["what_changed"].values),
            tripwire_line(diversion.get("tripwires") or []),
            data_line(prov),
        ]
    )
    return Section(
        key="key_judgements",
        title=_("Bottom line"),
        markdown=markdown,
        html=tiles_html(tiles),
        values={
            "judgements": items,
            "equipment": in_reference(equipment_phrase, categories),
            "horizon": HORIZON,
        },
    )
