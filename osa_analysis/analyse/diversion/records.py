"""Indicator records: the value of one indicator for one state, with its evidence phrase.

Every indicator of :data:`~osa_analysis.analyse.diversion.vocabulary.INDICATORS` is
reported as a record (:func:`indicator_record`) whose ``text`` states the numbers behind
it; the criterion matrix quotes these phrases as its evidence.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from osa_analysis.analyse.diversion.vocabulary import INDICATORS, MISSING


def indicator_record(
    name: str,
    value: float | int | None = None,
    *,
    low: float | None = None,
    high: float | None = None,
    year: int | None = None,
    status: str = "ok",
    note: str | None = None,
    **extra: Any,
) -> dict:
    """Return the record of one indicator (label, unit and source from :data:`INDICATORS`).

    Parameters
    ----------
    name : str
        Indicator name.
    value, low, high : float or int, optional
        Value and interval bounds.
    year : int, optional
        Data year.
    status : str
        ``ok``, ``carried forward``, ``missing``, ``not applicable`` or ``no history``.
    note : str, optional
        Why the value is missing or not applicable.
    **extra
        Indicator-specific details (conflicts, population, episode start...).

    Returns
    -------
    dict
        The fields above plus ``label``, ``unit``, ``source`` and ``text``
        (:func:`indicator_text`).
    """
    meta = INDICATORS[name]
    rec = {
        "name": name,
        "label": meta["label"],
        "unit": meta["unit"],
        "source": meta["source"],
        "value": value,
        "low": low,
        "high": high,
        "year": year,
        "status": status,
        "note": note,
        **extra,
    }
    rec["text"] = indicator_text(rec)
    return rec


def _fmt(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def _wgi_text(rec: dict, label: str, year: str, flag: str) -> str:
    return (
        f"{label} {_fmt(rec['value'], 2)}{year}, 90% band {_fmt(rec['low'], 2)} to "
        f"{_fmt(rec['high'], 2)}{flag}"
    )


def _regime_text(rec: dict, year: str, flag: str) -> str:
    return (
        f"V-Dem regime {rec['regime_label']}{year}; electoral democracy index "
        f"{_fmt(rec['polyarchy'], 3)} (interval {_fmt(rec['polyarchy_low'], 3)}–"
        f"{_fmt(rec['polyarchy_high'], 3)}){flag}"
    )


def _per_million_text(rec: dict, label: str, year: str) -> str:
    return (
        f"{label}{year}: {_fmt(rec['value'], 2)} ({_fmt(rec['deaths'])} deaths, population "
        f"{_fmt(rec['population_millions'], 1)} million in {rec['population_year']})"
        + (" [population carried forward]" if rec.get("population_carried") else "")
    )


def indicator_text(rec: dict) -> str:
    """One evidence phrase with the numbers of an indicator record."""
    name, label = rec["name"], rec["label"]
    if rec["status"] in MISSING:
        return f"{label}: missing ({rec['note']})"
    if rec["status"] == "not applicable":
        return f"{label}: not applicable ({rec['note']})"
    year = f" ({rec['year']})" if rec["year"] is not None else ""
    flag = " [carried forward]" if rec["status"] == "carried forward" else ""
    if name.startswith("wgi_"):
        return _wgi_text(rec, label, year, flag)
    if name == "vdem_regime":
        return _regime_text(rec, year, flag)
    if name == "vdem_autocratization":
        return (
            f"V-Dem autocratization episode{year}: "
            + (f"yes, since {rec['episode_start']}" if rec["value"] else "no")
            + flag
        )
    if name == "gov_osv_deaths":
        return (
            f"{label}{year}: {_fmt(rec['value'])} (UCDP best; low–high {_fmt(rec['low'])}–"
            f"{_fmt(rec['high'])})"
        )
    if name in ("gov_osv_per_million", "sb_deaths_per_million"):
        return _per_million_text(rec, label, year)
    if name == "grayzone_mean_3y":
        return f"{label}, {rec['first_year']}–{rec['year']}: {_fmt(rec['value'], 1)}"
    if name == "legal_unsc_measures":
        return f"{label}: {'yes' if rec['value'] else 'no'}"
    if name == "coup_attempts_10y":
        return f"{label} ({rec['window'][0]} to {rec['window'][1]}): {_fmt(rec['value'])}"
    if name.endswith(("_5y", "_10y")):
        return f"{label}, {rec['first_year']}–{rec['year']}: {_fmt(rec['value'])}"
    conflicts = rec.get("conflicts") or []
    listed = "; ".join(c["opponent"] for c in conflicts)
    return f"{label}{year}: {_fmt(rec['value'])}" + (f" ({listed})" if listed else "")


def number_or_none(value: Any) -> float | None:
    """Return ``value`` as a float, None when missing."""
    return None if value is None or pd.isna(value) else float(value)
