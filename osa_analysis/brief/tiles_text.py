"""The words of the rated tiles on page one: labels, ratings, trends, evidence and legend.

The tiles are computed by :func:`osa_analysis.analyse.tiles.compute_tiles`; each carries its
English evidence (the record of ``summary.json``) and the facts behind it
(:attr:`~osa_analysis.analyse.tiles.Tile.facts`). The English edition shows the record as it
is; another edition words the same facts in its language (:func:`tile_evidence`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from osa_analysis.analyse.composite.reasons import parse_reason
from osa_analysis.core.i18n import N_, REFERENCE, _, language, tr

DATA_MESSAGES = (
    ("data/risk/tiles.yaml", "tiles.*.label"),
    ("data/risk/tiles.yaml", "scale[]"),
    ("data/risk/composite.yaml", "indicators.*.label"),
)
"""Texts of curated files the tiles show: tile names, the rating scale, indicator names."""

TREND_WORDS = {"up": N_("up"), "down": N_("down"), "flat": N_("flat"), None: N_("unknown")}
"""The trend of a tile in words (its arrow's label)."""

RATING_WORDS = {
    "not critical": N_("not critical"),
    "possibly critical": N_("possibly critical"),
    "critical": N_("critical"),
    "not computable": N_("not computable"),
}
"""The misuse and diversion matrix's ratings (BICC scale), as a tile's evidence names them."""


def tile_label(tile: Mapping[str, Any]) -> str:
    """Return a tile's name in the current language."""
    return str(tr(tile.get("label") or ""))


def rating_word(rating: object) -> str:
    """Return a tile's rating word (``"n/a"`` when unrated) in the current language."""
    return _(str(rating)) if rating else _("n/a")


def trend_label(trend: object) -> str:
    """Return the trend's label for the arrow, e.g. ``"trend up"``."""
    word = TREND_WORDS.get(trend) if trend in TREND_WORDS else None
    return _("trend {trend}").format(trend=_(word) if word else str(trend))


def tile_evidence(tile: Mapping[str, Any]) -> str:
    """Return a tile's evidence in the current language (``""`` when it has none).

    English shows the record (``evidence``) unchanged; another language words the tile's
    facts, or translates the record when the tile carries no facts.
    """
    record = tile.get("evidence") or ""
    facts = getattr(tile, "facts", None)
    if language() == REFERENCE or not facts:
        return str(tr(record))
    if tile.get("rating") is None or facts.get("missing"):
        return _missing_text(facts, record)
    writer = _WRITERS.get(facts.get("kind"))
    return writer(facts) if writer else str(tr(record))


def tiles_legend() -> str:
    """Return the legend under the tiles (HTML: the rules file in ``<code>``)."""
    return _(
        "One five-step scale (very low to very high); arrows: ↑ riskier, ↓ less risky, → no "
        "clear change, – unknown. Rules: {rules}."
    ).format(rules="<code>data/risk/tiles.yaml</code>")


def _one(value: float | None) -> str:
    """Format a 0–10 score with one decimal (``nan`` as Python writes it, as the record)."""
    return f"{value:.1f}" if value is not None else "nan"


def reason_text(reason: object) -> str:
    """Return why a composite indicator is missing (``missing_reason``), translated.

    The analysis writes it from a template of :mod:`osa_analysis.analyse.composite.reasons`;
    it is read back into the template and its fields (a reason no template fits is kept).
    """
    text = str(reason)
    found = parse_reason(text)
    if found is None:
        return str(tr(text))
    template, fields = found
    if "name" in fields:
        fields["name"] = str(tr(fields["name"]))
    return _(template).format(**fields)


def _missing_text(facts: Mapping[str, Any], record: str) -> str:
    reasons = facts.get("missing_reasons") or []
    if facts.get("kind") == "maritime_threat" and reasons:
        return _("not rated: {reasons}").format(reasons=_("; ").join(map(reason_text, reasons)))
    return _(facts["missing"]) if facts.get("missing") else str(tr(record))


def _maritime(facts: Mapping[str, Any]) -> str:
    parts = [
        _("{indicator} {score}/10").format(indicator=tr(r["label"]), score=_one(r["score"]))
        for r in facts.get("used") or []
    ]
    parts += [
        (
            _("{indicator}: missing")
            if r.get("applicable", True)
            else _("{indicator}: not applicable")
        ).format(indicator=tr(r["label"]))
        for r in facts.get("left_out") or []
    ]
    return _("maritime score {score}/10 ({parts})").format(
        score=_one(facts["score"]), parts=_("; ").join(parts)
    )


def _structural(facts: Mapping[str, Any]) -> str:
    low, high = facts.get("method_low"), facts.get("method_high")
    return _("fragility dimension {score}/10 (method range {low} to {high})").format(
        score=_one(facts["score"]),
        low=_one(low if low is not None else math.nan),
        high=_one(high if high is not None else math.nan),
    )


def _conflict(facts: Mapping[str, Any]) -> str:
    n, year, base = facts["primary"], facts.get("latest_year"), facts.get("base")
    if base is None:
        text = (
            _("1 active conflict with the state as primary party in {year}")
            if n == 1
            else _("{n} active conflicts with the state as primary party in {year}")
        )
    else:
        text = (
            _("1 active conflict with the state as primary party in {year} ({base} in {base_year})")
            if n == 1
            else _(
                "{n} active conflicts with the state as primary party in {year} ({base} in "
                "{base_year})"
            )
        )
    return text.format(n=n, year=year, base=base, base_year=facts.get("base_year"))


def _misuse(facts: Mapping[str, Any]) -> str:
    overall = facts.get("overall")
    word = _(RATING_WORDS[overall]) if overall in RATING_WORDS else str(tr(overall))
    return _("highest criterion rating: {rating}").format(rating=word)


_WRITERS = {
    "maritime_threat": _maritime,
    "structural_instability": _structural,
    "conflict_involvement": _conflict,
    "misuse_diversion": _misuse,
}
