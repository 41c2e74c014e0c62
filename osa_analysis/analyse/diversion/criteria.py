"""Criterion conditions and ratings, the criterion matrix, its trend and the peer ratings.

Each criterion of the config (EU Common Position criteria 2, 3, 4, 7; ATT Art. 7(1)(a),
7(1)(b)(i)-(ii), Art. 11; Japan's Three Principles, legal and empirical) is rated not
critical / possibly critical / critical (BICC style) from its conditions on the country's
indicators, and again on the data of ``trend.shift_years`` earlier for the trend.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from osa_analysis.analyse.diversion.data import DiversionTables
from osa_analysis.analyse.diversion.indicators import country_indicators
from osa_analysis.analyse.diversion.vocabulary import INDICATORS, MISSING, OP_SYMBOLS, OPS

Config = Mapping[str, Any]


def condition_holds(indicators: dict[str, dict], cond: Mapping[str, Any]) -> bool | None:
    """Evaluate one config condition on a country's indicators.

    Parameters
    ----------
    indicators : dict
        Indicator name → record (``value``, ``low``, ``high``, ``status``).
    cond : Mapping
        ``indicator``, ``field`` (value, low, high; default value), ``op``, ``threshold`` and
        optionally ``requires`` (a second condition that must hold too).

    Returns
    -------
    bool or None
        None when the indicator (or the field) is missing; False when it is not applicable.
    """
    ind = indicators.get(cond["indicator"])
    if ind is None or ind["status"] in MISSING:
        return None
    if ind["status"] == "not applicable":
        return False
    value = ind.get(cond.get("field", "value"))
    if value is None:
        return None
    holds = bool(OPS[cond["op"]](float(value), float(cond["threshold"])))
    if holds and "requires" in cond:
        return condition_holds(indicators, {"field": "value", **cond["requires"]})
    return holds


def criterion_indicators(criterion: Mapping[str, Any]) -> list[str]:
    """List the indicators a criterion shows and its conditions read (in order, once)."""
    names = list(criterion["indicators"])
    for level in ("critical", "possibly_critical"):
        for cond in criterion.get(level) or []:
            names.append(cond["indicator"])
            if "requires" in cond:
                names.append(cond["requires"]["indicator"])
    return list(dict.fromkeys(names))


def rate_criterion(
    indicators: dict[str, dict], criterion: Mapping[str, Any], ratings: Mapping[str, Any]
) -> dict:
    """Rate one criterion from its config conditions (see ``ratings.missing_rule``).

    Parameters
    ----------
    indicators : dict
        Indicator name → record.
    criterion : Mapping
        One entry of the config's ``criteria``.
    ratings : Mapping
        The config's ``ratings`` block.

    Returns
    -------
    dict
        ``rating`` (one of ``ratings.order`` or ``ratings.not_computable``), ``met`` (list of
        the conditions that hold: ``level``, ``indicator``, ``field``, ``op``, ``threshold``,
        ``rationale``) and ``missing`` (indicators the rule needs that are missing).
    """
    met = []
    for level, label in (("critical", "critical"), ("possibly_critical", "possibly critical")):
        for cond in criterion.get(level) or []:
            if condition_holds(indicators, cond):
                met.append(
                    {
                        "level": label,
                        "indicator": cond["indicator"],
                        "field": cond.get("field", "value"),
                        "op": cond["op"],
                        "threshold": cond["threshold"],
                        "rationale": " ".join(str(cond["rationale"]).split()),
                    }
                )
    missing = [
        n
        for n in criterion_indicators(criterion)
        if indicators.get(n) is None or indicators[n]["status"] in MISSING
    ]
    if any(m["level"] == "critical" for m in met):
        rating = "critical"
    elif met:
        rating = "possibly critical"
    elif missing:
        rating = ratings["not_computable"]
    else:
        rating = "not critical"
    return {"rating": rating, "met": met, "missing": missing}


def trend_label(now: str, then: str, ratings: Mapping[str, Any]) -> str:
    """Compare a rating with the one five years earlier: worse, better, unchanged or n/a."""
    order = ratings["order"]
    if now not in order or then not in order:
        return "not computable"
    diff = order.index(now) - order.index(then)
    return "worse" if diff > 0 else "better" if diff < 0 else "unchanged"


def met_text(met: dict) -> str:
    """Evidence phrase of a condition that holds (label, band end, operator, threshold)."""
    return (
        f"{met['level']}: {INDICATORS[met['indicator']]['label']}"
        + (" (upper end of the 90% band)" if met["field"] == "high" else "")
        + (" (lower end of the 90% band)" if met["field"] == "low" else "")
        + f" {OP_SYMBOLS[met['op']]} {met['threshold']:g}"
    )


def criterion_evidence(names: list[str], now: dict[str, dict], rated: dict) -> str:
    """Evidence of a criterion row: its indicators' phrases, the conditions met, the gaps."""
    evidence = "; ".join(now[n]["text"] for n in names)
    if rated["met"]:
        evidence += ". Met: " + "; ".join(met_text(m) for m in rated["met"])
    if rated["missing"]:
        evidence += ". Missing: " + ", ".join(rated["missing"])
    return evidence + "."


def criterion_row(
    criterion: Mapping[str, Any], now: dict[str, dict], then: dict[str, dict], cfg: Config
) -> dict:
    """Rate one criterion now and ``shift_years`` earlier (:func:`criterion_matrix` row)."""
    r_now = rate_criterion(now, criterion, cfg["ratings"])
    r_then = rate_criterion(then, criterion, cfg["ratings"])
    names = criterion_indicators(criterion)
    primary = now[criterion["primary"]]
    interval = (
        [primary["low"], primary["high"]]
        if primary["low"] is not None and primary["high"] is not None
        else None
    )
    return {
        "id": criterion["id"],
        "framework": criterion["framework"],
        "short": criterion["short"],
        "label": criterion["label"],
        "indicators": [now[n] for n in names],
        "primary": criterion["primary"],
        "value": primary["value"],
        "interval": interval,
        "year": primary["year"],
        "rating": r_now["rating"],
        "met": r_now["met"],
        "missing": r_now["missing"],
        "rating_then": r_then["rating"],
        "value_then": then[criterion["primary"]]["value"],
        "year_then": then[criterion["primary"]]["year"],
        "trend": trend_label(r_now["rating"], r_then["rating"], cfg["ratings"]),
        "evidence": criterion_evidence(names, now, r_now),
    }


def criterion_matrix(
    iso3: str, as_of: pd.Timestamp, tables: DiversionTables, config: Config
) -> list[dict]:
    """Rate every in-scope criterion for one state, with the trend over five years.

    Parameters
    ----------
    iso3 : str
    as_of : pandas.Timestamp
    tables : DiversionTables
    config : Mapping
        :func:`~.config.load_config`.

    Returns
    -------
    list of dict
        One per config criterion, in config order: ``id``, ``framework``, ``short``,
        ``label``, ``indicators`` (list of indicator records), ``value``, ``interval``
        (of the primary indicator; None when it has none), ``year``, ``rating``, ``met``,
        ``missing``, ``rating_then`` (same rule five years earlier), ``trend`` (worse,
        better, unchanged, not computable), ``evidence`` (text with the numbers).
    """
    now = country_indicators(iso3, as_of, 0, tables, config)
    then = country_indicators(iso3, as_of, config["trend"]["shift_years"], tables, config)
    return [criterion_row(crit, now, then, config) for crit in config["criteria"]]


def ratings_by_criterion(rows: list[dict]) -> dict[str, str]:
    """Criterion id → rating of :func:`criterion_matrix` rows (config order)."""
    return {r["id"]: r["rating"] for r in rows}


def peer_matrix(
    countries: Iterable[str], as_of: pd.Timestamp, tables: DiversionTables, config: Config
) -> dict[str, dict[str, str]]:
    """Criterion ratings of several states, in the config's criterion order."""
    return {
        iso.upper(): ratings_by_criterion(criterion_matrix(iso, as_of, tables, config))
        for iso in countries
    }
