"""Key judgements of a brief, written to ``judgements.json`` so they can be scored later.

Each judgement states a claim, its horizon, a likelihood range (where the method gives one),
a confidence level and the evidence it rests on, plus how to check it when the horizon is
reached.
"""

from __future__ import annotations

from typing import Any


def collect_judgements(summary: dict[str, Any]) -> dict[str, Any]:
    """Build the judgements of one brief from its summary values.

    Sources: the misuse scenarios (likelihood over 12 and 36 months, confidence, base rate),
    the structural-risk class, and each bottom-line tile.
    """
    prov = summary.get("provenance") or {}
    as_of = prov.get("as_of")
    items: list[dict] = []
    for sc in (summary.get("diversion") or {}).get("scenarios", []):
        for months in (12, 36):
            rng = sc.get(f"likelihood_{months}m")
            if not rng:
                continue
            items.append(
                {
                    "id": f"{sc['id']}-{months}m",
                    "claim": f"{sc['label']} occurs within {months} months of {as_of}",
                    "horizon_months": months,
                    "likelihood": rng,
                    "yardstick": sc.get(f"yardstick_{months}m"),
                    "confidence": sc.get("confidence"),
                    "evidence": _evidence(sc),
                    "resolution": "true if an event matching the scenario is recorded by the "
                    "sources named in the evidence within the horizon",
                }
            )
    composite = summary.get("composite") or {}
    if composite.get("class"):
        score = composite.get("score") or {}
        items.append(
            {
                "id": "structural-risk-class",
                "claim": f"structural security risk is '{composite['class']}' (composite "
                f"{score.get('median')}, 90% interval {score.get('low')}–{score.get('high')})",
                "horizon_months": 12,
                "likelihood": None,
                "confidence": "medium" if (composite.get("reliability") or 0) >= 7 else "low",
                "evidence": [
                    f"method {composite.get('method_version')}",
                    f"reliability {composite.get('reliability')}/10",
                ],
                "resolution": "the same method one year later gives the same class",
            }
        )
    for tile in (summary.get("bottom_line") or {}).get("tiles", []):
        if tile.get("rating") is None:
            continue
        items.append(
            {
                "id": f"tile-{tile['id']}",
                "claim": f"{tile['label']} is rated '{tile['rating']}' (trend {tile.get('trend')})",
                "horizon_months": 12,
                "likelihood": None,
                "confidence": None,
                "evidence": [tile.get("evidence")],
                "resolution": "the same rule one year later gives the same rating",
            }
        )
    return {
        "country_iso3": prov.get("country_iso3"),
        "as_of": as_of,
        "package_version": prov.get("package_version"),
        "judgements": items,
    }


def _evidence(scenario: dict) -> list[str]:
    out = []
    base = scenario.get("base_rate")
    if base:
        out.append(
            f"base rate: {base.get('events')} event(s) in {base.get('years')} years "
            f"({base.get('rate_per_year')} per year)"
        )
    if scenario.get("equipment_relevance"):
        rel = scenario["equipment_relevance"]
        overall = rel.get("overall") if isinstance(rel, dict) else rel
        out.append(f"equipment relevance: {overall}")
    if scenario.get("residual"):
        out.append(f"residual risk: {scenario['residual']}")
    return out
