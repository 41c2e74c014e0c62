"""Key judgements of a brief, written to ``judgements.json`` so they can be scored later.

Each judgement states a claim, its horizon, a likelihood range (where the method gives one),
a confidence level and the evidence it rests on, plus how to check it when the horizon is
reached.
"""

from __future__ import annotations

from typing import Any


def collect_judgements(summary: dict[str, Any]) -> dict[str, Any]:
    """Build the judgements of one brief from its summary values.

    Sources: the misuse scenarios (likelihood over 12 and 36 months, confidence, base
    rate). Ratings of the brief's own model (the composite's class, the tiles) are not
    judgements: they describe the method's output, not an observable event.
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
    # No judgement about the model's own future output (a class or tile "the same method
    # gives one year later"): such claims are not about the world and cannot be scored.
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
