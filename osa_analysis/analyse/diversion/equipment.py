"""The OSA equipment of a country, its relevance to each scenario and the residual risk."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd


def project_categories(projects: pd.DataFrame, iso3: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """Return the OSA projects of a country that count for relevance (``project_rule``).

    Parameters
    ----------
    projects : pandas.DataFrame
        The store's ``osa_projects`` table (or a synthetic frame with ``project_id``,
        ``country_iso3``, ``equipment_categories``, ``signed_date``, ``status``).
    iso3 : str
    as_of : pandas.Timestamp

    Returns
    -------
    pandas.DataFrame
        Rows signed on or before ``as_of`` and designated candidates without a signing date.
    """
    mine = projects[projects["country_iso3"] == iso3]
    signed = pd.to_datetime(mine["signed_date"])
    keep = signed.le(as_of).fillna(False) | (
        signed.isna() & mine["status"].eq("designated_candidate")
    )
    return mine[keep.to_numpy()].reset_index(drop=True)


def category_list(projects: pd.DataFrame) -> list[str]:
    """Equipment categories of projects (``;``-joined cells), in project order, repeated."""
    return [
        c for cats in projects["equipment_categories"].astype(str) for c in cats.split(";") if c
    ]


def equipment_summary(projects: pd.DataFrame) -> dict:
    """Summarise the projects counted (:func:`project_categories`) and their categories.

    Returns
    -------
    dict
        ``projects`` (``project_id``, ``status``, ``categories`` of each) and
        ``categories`` (sorted, without repetition).
    """
    return {
        "projects": [
            {
                "project_id": r["project_id"],
                "status": r["status"],
                "categories": str(r["equipment_categories"]).split(";"),
            }
            for _, r in projects.iterrows()
        ],
        "categories": sorted(
            {c for cats in projects["equipment_categories"].astype(str) for c in cats.split(";")}
        ),
    }


def equipment_relevance(
    categories: Iterable[str], scenario_id: str, relevance: Mapping[str, Any]
) -> dict:
    """Look up the relevance of a country's equipment to one scenario.

    Parameters
    ----------
    categories : iterable of str
        Equipment categories (:data:`osa_analysis.sources.recipients.EQUIPMENT_CATEGORIES`).
    scenario_id : str
        ``S1`` … ``S6``.
    relevance : Mapping
        The config's ``relevance`` block.

    Returns
    -------
    dict
        ``by_category`` (category → level) and ``overall`` (the highest level; the config's
        ``no_equipment`` text when there are no categories).
    """
    cats = list(dict.fromkeys(c for c in categories if c))
    levels = relevance["levels"]
    by_cat = {c: relevance["matrix"][c][scenario_id] for c in cats}
    if not by_cat:
        return {"by_category": {}, "overall": relevance["no_equipment"]}
    overall = max(by_cat.values(), key=levels.index)
    return {"by_category": by_cat, "overall": overall}


def residual_risk(
    term_36m: str,
    relevance_overall: str,
    mitigation_steps: int,
    residual: Mapping[str, Any],
    relevance: Mapping[str, Any],
) -> dict:
    """Residual risk: likelihood score × relevance score, lowered by effective controls.

    Parameters
    ----------
    term_36m : str
        Yardstick term of the likelihood at the config's ``likelihood_horizon``.
    relevance_overall : str
        Overall equipment relevance (a level, or the ``no_equipment`` text).
    mitigation_steps : int
        Classes the controls remove (config per scenario).
    residual, relevance : Mapping
        The config's ``residual`` and ``relevance`` blocks.

    Returns
    -------
    dict
        ``score`` (None without equipment), ``class_before_controls``, ``mitigation_steps``
        and ``class`` (``"not applicable"`` without OSA equipment).
    """
    if relevance_overall == relevance["no_equipment"]:
        return {
            "score": None,
            "class_before_controls": "not applicable",
            "mitigation_steps": mitigation_steps,
            "class": "not applicable",
            "reason": relevance["no_equipment"],
        }
    score = residual["likelihood_score"][term_36m] * residual["relevance_score"][relevance_overall]
    classes = [c["class"] for c in residual["classes"]]
    raw = next(c["class"] for c in residual["classes"] if score <= c["max_score"])
    final = raw
    if score > 0 and mitigation_steps:
        floor = classes.index(residual["mitigation_floor"])
        final = classes[max(classes.index(raw) - mitigation_steps, floor)]
    return {
        "score": score,
        "class_before_controls": raw,
        "mitigation_steps": mitigation_steps,
        "class": final,
        "reason": None,
    }
