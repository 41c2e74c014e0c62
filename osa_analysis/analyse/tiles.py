"""The four rated tiles of the bottom line, each with a trend arrow.

Maritime threat, structural instability, conflict involvement and misuse/diversion, set from
the values of the composite, governance and diversion sections by the rules in
``data/risk/tiles.yaml`` (versioned). A tile whose inputs are missing says so.

Each tile is a :class:`Tile`: the record ``summary.json`` holds (its ``evidence`` in English,
the reference language) and, not written, the numbers and codes behind that evidence
(:attr:`Tile.facts`), from which the brief words the evidence in each edition's language
(:mod:`osa_analysis.brief.tiles_text`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from osa_analysis.core.config import CURATED_DIR
from osa_analysis.core.i18n import N_
from osa_analysis.core.stats import class_on_yardstick
from osa_analysis.sources.methods import MethodFile, load_method_file

TILES_FILE = CURATED_DIR / "risk" / "tiles.yaml"
ARROWS = {"up": "↑", "down": "↓", "flat": "→", None: "–"}
"""Trend arrows: up = riskier, down = less risky, flat = no clear change, – = unknown."""

NOT_COMPUTABLE = N_("not computable")
NO_MARITIME_VALUE = N_("no maritime indicator has a value")
COMPOSITE_MISSING = N_("composite not computed")
UCDP_MISSING = N_("no UCDP data")
DIVERSION_MISSING = N_("diversion not computed")
"""Why a tile is not rated (its ``evidence`` then; translated where shown)."""


class Tile(dict):
    """A rated tile: the mapping ``summary.json`` holds, plus the facts behind its evidence.

    The mapping has ``id``, ``label``, ``rating``, ``trend``, ``arrow``, ``basis`` and
    ``evidence`` (English). :attr:`facts` is not written: ``kind`` (the tile id), ``missing``
    (why it is not rated, one of the messages above, or ``None``) and the numbers and codes
    the evidence names.
    """

    facts: dict[str, Any]


TILE_RULE_KEYS = {
    "maritime_threat": ("label", "from", "bands", "indicators"),
    "structural_instability": ("label", "from", "bands"),
    "conflict_involvement": ("label", "from", "counts"),
    "misuse_diversion": ("label", "from", "ratings"),
}
"""The four tiles and the keys each rule needs."""


def tile_rule_problems(rules: Mapping[str, Any]) -> list[str]:
    """Return what is wrong with the tile rules (empty when they are consistent)."""
    required = ("method_version", "scale", "tiles")
    problems = [f"missing key {k!r}" for k in required if k not in rules]
    if problems:
        return problems
    if len(rules["scale"]) != 5:
        problems.append("scale must have five steps")
    for tid, keys in TILE_RULE_KEYS.items():
        rule = rules["tiles"].get(tid)
        if rule is None:
            problems.append(f"no rule for tile {tid!r}")
            continue
        problems += [f"tile {tid}: missing {k!r}" for k in keys if k not in rule]
        if "bands" in rule and len(rule["bands"]) != len(rules["scale"]) - 1:
            problems.append(f"tile {tid}: bands must be one fewer than the scale steps")
    return problems


def tile_rules(path: Path | str = TILES_FILE) -> MethodFile:
    """Read the tile rules (``data/risk/tiles.yaml``), checked and frozen."""
    return load_method_file(path, problems=tile_rule_problems)


def band_rating(score: float | None, bands: list[float], scale: list[str]) -> str | None:
    """Rate a 0–10 score on the brief's one yardstick, as the score is shown.

    :func:`osa_analysis.core.stats.class_on_yardstick`: the score as printed, an edge taking
    the higher class (INFORM's convention, as the composite's classes).

    >>> band_rating(4.96, [2.0, 3.5, 5.0, 6.5], ["very low", "low", "medium", "high", "very high"])
    'high'
    """
    return class_on_yardstick(score, bands, scale)


def _tile(
    tid: str,
    rule: dict,
    rating,
    trend,
    evidence: str,
    missing: str | None = None,
    facts: dict[str, Any] | None = None,
) -> Tile:
    tile = Tile(
        {
            "id": tid,
            "label": rule["label"],
            "rating": rating,
            "trend": trend,
            "arrow": ARROWS.get(trend, "–"),
            "basis": rule["from"],
            "evidence": evidence if rating is not None else (missing or NOT_COMPUTABLE),
        }
    )
    tile.facts = {
        **(facts or {}),
        "kind": tid,
        "missing": None if rating is not None else (missing or NOT_COMPUTABLE),
    }
    return tile


def compute_tiles(values: dict[str, dict[str, Any]]) -> list[Tile]:
    """Compute the four tiles from the sections' values (as in ``summary.json``).

    Parameters
    ----------
    values : dict
        Section key to its ``values`` (``composite``, ``governance``, ``diversion`` and
        ``maritime`` are read; missing sections give tiles rated ``None`` with the reason).

    Returns
    -------
    list of Tile
        ``id``, ``label``, ``rating``, ``trend`` (up/down/flat/None), ``arrow``, ``basis``,
        ``evidence``; each with its :attr:`Tile.facts`.
    """
    rules = tile_rules()
    scale = rules["scale"]
    composite = values.get("composite") or {}
    dims = composite.get("dimensions") or {}
    trend_all = (composite.get("trend") or {}).get("direction")
    tiles = []

    tiles.append(_maritime_tile(rules, composite, values.get("maritime") or {}))
    rule = rules["tiles"]["structural_instability"]
    d = dims.get("fragility") or {}
    # the composite's nominal fragility score (its one number) sets the rating
    score = d.get("score")
    rating = band_rating(score, rule["bands"], scale)
    trend = (d.get("trend") or {}).get("direction", trend_all) if d else None
    evidence = (
        f"fragility dimension {score:.1f}/10 (method range "
        f"{d.get('method_low', float('nan')):.1f} to {d.get('method_high', float('nan')):.1f})"
        if score is not None
        else ""
    )
    facts = {
        "score": score,
        "method_low": d.get("method_low", float("nan")),
        "method_high": d.get("method_high", float("nan")),
    }
    tiles.append(
        _tile("structural_instability", rule, rating, trend, evidence, COMPOSITE_MISSING, facts)
    )

    rule = rules["tiles"]["conflict_involvement"]
    ucdp = (values.get("governance") or {}).get("ucdp") or {}
    primary = ucdp.get("n_active_primary_latest")
    located = ucdp.get("n_active_on_territory_latest")
    if primary is None:
        tiles.append(_tile("conflict_involvement", rule, None, None, "", UCDP_MISSING))
    else:
        _zero, one, many = rule["counts"]
        if primary >= many:
            rating = scale[4]
        elif primary >= one:
            rating = scale[3]
        elif located:
            rating = scale[2]
        else:
            rating = scale[1]
        base = ucdp.get("n_primary_base_year")
        trend = (
            None
            if base is None
            else ("up" if primary > base else "down" if primary < base else "flat")
        )
        evidence = (
            f"{primary} active conflict{'' if primary == 1 else 's'} with the state as primary "
            "party in "
            f"{ucdp.get('latest_year')}"
            + (f" ({base} in {ucdp.get('base_year')})" if base is not None else "")
        )
        facts = {
            "primary": primary,
            "latest_year": ucdp.get("latest_year"),
            "base": base,
            "base_year": ucdp.get("base_year"),
        }
        tiles.append(_tile("conflict_involvement", rule, rating, trend, evidence, facts=facts))

    rule = rules["tiles"]["misuse_diversion"]
    diversion = values.get("diversion") or {}
    overall = diversion.get("overall_rating")
    overall_label = overall.get("rating") if isinstance(overall, dict) else overall
    rating = rule["ratings"].get(overall_label) if overall_label else None
    trends = [c.get("trend") for c in diversion.get("criteria", []) if c.get("trend")]
    trend = (
        "up"
        if any(t in ("worse", "up", "worsening") for t in trends)
        else "down"
        if trends and all(t in ("better", "down", "improving") for t in trends)
        else "flat"
        if trends
        else None
    )
    evidence = f"highest criterion rating: {overall_label}" if overall_label else ""
    facts = {"overall": overall_label}
    tiles.append(_tile("misuse_diversion", rule, rating, trend, evidence, DIVERSION_MISSING, facts))
    return tiles


def maritime_score(
    indicators: list[Mapping[str, Any]], ids: list[str]
) -> tuple[float | None, list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """Weighted mean of the named composite indicators' 0–10 scores.

    Parameters
    ----------
    indicators : list of dict
        The composite's indicator rows (``summary.json`` → ``composite`` → ``indicators``).
    ids : list of str
        The maritime indicators (``tiles.yaml``).

    Returns
    -------
    (float or None, list, list)
        The score (``None`` when no indicator has a value), the rows used and the rows left
        out (not applicable or missing). Weights are the indicators' nominal weights,
        renormalised over the rows used.
    """
    rows = [r for r in indicators if r.get("id") in ids]
    used = [
        r
        for r in rows
        if r.get("applicable", True) and not r.get("missing") and r.get("score_0_10") is not None
    ]
    left_out = [r for r in rows if r not in used]
    weights = [float(r.get("nominal_weight") or 0.0) for r in used]
    if not used or sum(weights) <= 0:
        return None, used, left_out
    score = sum(w * float(r["score_0_10"]) for w, r in zip(weights, used, strict=True))
    return score / sum(weights), used, left_out


def _maritime_tile(rules: Mapping[str, Any], composite: dict, maritime: dict) -> Tile:
    rule = rules["tiles"]["maritime_threat"]
    score, used, left_out = maritime_score(
        composite.get("indicators") or [], list(rule["indicators"])
    )
    score = None if score is None else round(score, 2)  # stored and printed from this
    rating = band_rating(score, rule["bands"], rules["scale"])
    parts = [f"{r['label']} {float(r['score_0_10']):.1f}/10" for r in used]
    parts += [
        f"{r['label']}: {'not applicable' if not r.get('applicable', True) else 'missing'}"
        for r in left_out
    ]
    evidence = f"maritime score {score:.1f}/10 ({'; '.join(parts)})" if score is not None else ""
    reasons = [r.get("missing_reason") for r in left_out if r.get("missing_reason")]
    facts = {
        "score": score,
        "used": [{"label": r["label"], "score": float(r["score_0_10"])} for r in used],
        "left_out": [
            {"label": r["label"], "applicable": bool(r.get("applicable", True))} for r in left_out
        ],
        "missing_reasons": list(dict.fromkeys(reasons)),
    }
    tile = _tile(
        "maritime_threat",
        rule,
        rating,
        _maritime_trend(maritime),
        evidence,
        "not rated: " + "; ".join(dict.fromkeys(reasons)) if reasons else NO_MARITIME_VALUE,
        facts,
    )
    tile["score"] = score
    return tile


def _maritime_trend(maritime: dict) -> str | None:
    """Up/down when an incident rate ratio's exact interval excludes 1, else flat.

    Uses the all-source comparison when its two periods have comparable source coverage,
    else the like-for-like comparison on the one source that covers both periods.
    """
    comparison = maritime.get("comparison") or {}
    if not comparison.get("comparable", False):
        comparison = comparison.get("like_for_like") or {}
    rr = comparison.get("rate_ratio") or {}
    low, high = rr.get("low"), rr.get("high")
    if low is None or high is None:
        return None
    return "up" if low > 1 else "down" if high < 1 else "flat"
