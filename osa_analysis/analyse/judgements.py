"""Key judgements of a brief, written to ``judgements.json`` so they can be scored later.

A judgement is a probability for an observable event in a stated window, with the source
that will resolve it (``data/sources.yaml``), so a later run can score it (Brier score,
calibration) against what that source then records. Only scenarios with a base rate give
one: a scenario without data carries no number, and ratings of the brief's own model (the
composite's class, the tiles) are not judgements (they describe the method's output, not an
event). The file's shape is fixed by ``osa_analysis/core/schemas/judgements.schema.json``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

JUDGEMENTS_SCHEMA_VERSION = 2
"""Version of the ``judgements.json`` layout (the schema's ``schema_version``)."""

HORIZON_MONTHS = {"12m": 12, "36m": 36}
"""Scenario horizons and their length in months."""


def _resolve_by(as_of: str, months: int) -> str:
    return (pd.Timestamp(as_of) + pd.DateOffset(months=months)).strftime("%Y-%m-%d")


def _basis(sc: dict[str, Any]) -> dict[str, Any]:
    own = sc.get("base_rate") or {}
    return {
        "base_rate": {
            "events": own.get("events"),
            "years": own.get("years"),
            "rate_per_year": own.get("rate_per_year"),
            "method": own.get("method"),
            "window": own.get("window"),
        },
        "adjustments": [
            {
                "indicator": m["indicator"],
                "value": m.get("value"),
                "threshold": m["threshold"],
                "rate_multiplier": m.get("rate_multiplier"),
            }
            for m in sc.get("modifiers", [])
            if m.get("holds")
        ],
        "reference_range": sc.get("base_rate_range_36m"),
    }


def _model(model: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return the selected model behind a probability (None for the own base rate)."""
    if not model or model.get("probability") is None:
        return None
    keys = ("model", "method_version", "lead_years", "data_year", "training_years")
    out = {k: model.get(k) for k in keys} | {"interval_kind": model.get("interval_kind")}
    if model.get("coups_data_year") is not None:
        out["coups_data_year"] = model["coups_data_year"]
    out["raised_to_12m"] = bool(model.get("raised_to_12m"))
    return out


def scenario_judgements(
    scenarios: list[dict[str, Any]], iso3: str, as_of: str
) -> list[dict[str, Any]]:
    """Judgements of the scenarios that have a probability (one per horizon).

    Parameters
    ----------
    scenarios : list of dict
        The diversion section's scenarios (``summary.json`` → ``diversion`` →
        ``scenarios``).
    iso3 : str
    as_of : str
        ISO date: the judgement is issued on it and resolves ``horizon`` months later.

    Returns
    -------
    list of dict
        Each with ``id``, ``claim``, ``event``, ``country_iso3``, ``issued``,
        ``resolve_by``, ``horizon_months``, ``probability``, ``interval``, ``yardstick``,
        ``basis``, ``confidence`` and ``resolution_source``.
    """
    items = []
    for sc in scenarios:
        for h, months in HORIZON_MONTHS.items():
            p = sc.get(f"probability_{h}")
            if p is None or not sc.get("resolution_source"):
                continue
            resolve_by = _resolve_by(as_of, months)
            term = sc.get(f"yardstick_{h}")
            items.append(
                {
                    "id": f"{iso3}-{sc['id']}-{h}-{as_of}",
                    "claim": (
                        f"{sc['label']}: at least one such event in {iso3} between {as_of} "
                        f"and {resolve_by}, probability {100 * p:.1f}% ({term})."
                    ),
                    "event": sc["event_definition"],
                    "scenario": sc["id"],
                    "country_iso3": iso3,
                    "issued": as_of,
                    "resolve_by": resolve_by,
                    "horizon_months": months,
                    "probability": round(float(p), 6),
                    "interval": [round(float(v), 6) for v in sc[f"likelihood_{h}"]],
                    "yardstick": term,
                    "basis": {**_basis(sc), "model": _model(sc.get(f"model_{h}"))},
                    "confidence": sc.get("confidence"),
                    "resolution_source": sc["resolution_source"],
                }
            )
    return items


def collect_judgements(summary: dict[str, Any]) -> dict[str, Any]:
    """Build the judgements of one brief from its summary values.

    Returns
    -------
    dict
        ``schema_version``, ``country_iso3``, ``as_of``, ``package_version``,
        ``judgements`` (:func:`scenario_judgements`) and ``without_probability`` (the
        scenarios that carry no number, with the reason).
    """
    prov = summary.get("provenance") or {}
    as_of, iso3 = prov.get("as_of"), prov.get("country_iso3")
    scenarios = (summary.get("diversion") or {}).get("scenarios", [])
    return {
        "schema_version": JUDGEMENTS_SCHEMA_VERSION,
        "country_iso3": iso3,
        "as_of": as_of,
        "package_version": prov.get("package_version"),
        "judgements": scenario_judgements(scenarios, iso3, as_of) if as_of else [],
        "without_probability": [
            {"scenario": sc["id"], "reason": sc.get("likelihood_basis")}
            for sc in scenarios
            if sc.get("probability_36m") is None
        ],
    }
