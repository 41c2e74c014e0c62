"""Base rates, probabilities over a horizon, the PHIA yardstick and the confidence rule.

A scenario's likelihood comes from base rates of its precondition: a Poisson rate of events
per year (``P(≥ 1 in T) = 1 − exp(−λT)``) or a binomial share of event years
(``1 − (1 − p)^T``), each with its exact interval (:mod:`osa_analysis.core.stats`). The
probability itself is the posterior predictive one under the Jeffreys prior
(:func:`predictive_probability`), positive after zero events. It is named with the PHIA
yardstick of the config.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from scipy import integrate, special, stats

from osa_analysis.analyse.diversion.vocabulary import LEVEL
from osa_analysis.core.stats import binomial_interval, poisson_interval


def prob_at_least_one(rate_per_year: float, years: float) -> float:
    """Return ``P(at least one event in years)`` for a Poisson rate: ``1 − exp(−λT)``.

    Parameters
    ----------
    rate_per_year : float
        Events per year (λ ≥ 0).
    years : float
        Horizon T in years.

    Returns
    -------
    float

    Examples
    --------
    >>> round(prob_at_least_one(5 / 73, 3), 4)
    0.1857
    """
    if rate_per_year < 0 or years < 0:
        raise ValueError("rate and horizon must be non-negative")
    return 1.0 - math.exp(-rate_per_year * years)


def prob_at_least_one_binomial(p_per_year: float, years: float) -> float:
    """Return ``P(at least one event year in years)``: ``1 − (1 − p)^T``.

    Parameters
    ----------
    p_per_year : float
        Probability that a year is an event year (0–1).
    years : float
        Horizon T in years.

    Returns
    -------
    float
    """
    if not 0 <= p_per_year <= 1 or years < 0:
        raise ValueError("p must be in [0, 1] and the horizon non-negative")
    return 1.0 - (1.0 - p_per_year) ** years


def poisson_base_rate(events: int, years: float, level: float = LEVEL) -> dict:
    """Return a Poisson base rate with its exact (Garwood) interval.

    Parameters
    ----------
    events : int
        Events observed.
    years : float
        Exposure in years (> 0).
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``events``, ``years``, ``rate_per_year`` (λ = events / years), ``interval`` (the
        Garwood interval of the count divided by ``years``), ``interval_kind``, ``method``
        (``"poisson"``).
    """
    if not years > 0:
        raise ValueError(f"years must be positive, got {years!r}")
    lo, hi = poisson_interval(events, level)
    return {
        "events": int(events),
        "years": float(years),
        "rate_per_year": events / years,
        "interval": [lo / years, hi / years],
        "interval_kind": f"exact Poisson (Garwood) {round(level * 100)}%",
        "method": "poisson",
    }


def binomial_base_rate(events: int, trials: int, level: float = LEVEL) -> dict:
    """Return the share of event years with its exact (Clopper–Pearson) interval.

    Parameters
    ----------
    events : int
        Event years.
    trials : int
        Years observed (> 0).
    level : float
        Confidence level.

    Returns
    -------
    dict
        As :func:`poisson_base_rate`, with ``rate_per_year`` the share ``events / trials``
        (the probability that a year is an event year) and ``method`` ``"binomial"``.
    """
    if not trials > 0:
        raise ValueError(f"trials must be positive, got {trials!r}")
    lo, hi = binomial_interval(events, trials, level)
    return {
        "events": int(events),
        "years": int(trials),
        "rate_per_year": events / trials,
        "interval": [lo, hi],
        "interval_kind": f"exact binomial (Clopper–Pearson) {round(level * 100)}%",
        "method": "binomial",
    }


def base_rate(events: int, exposure: float, method: str) -> dict:
    """Return :func:`poisson_base_rate` or :func:`binomial_base_rate` by ``method``."""
    if method == "poisson":
        return poisson_base_rate(events, exposure)
    return binomial_base_rate(events, exposure)


JEFFREYS_A = 0.5
"""Shape of the Jeffreys prior of a Poisson rate (Gamma(½, 0)) or share (Beta(½, ½))."""


def predictive_probability(
    events: int, exposure: float, years: float, method: str, multiplier: float = 1.0
) -> float:
    """Return ``P(≥ 1 event in years)`` given ``events`` in ``exposure``, Jeffreys prior.

    The posterior predictive probability: the rate's uncertainty is averaged over, so zero
    recorded events give a small positive probability (the plug-in rate would give 0, and
    a modifier multiplying it could never move it). Poisson: λ ~ Gamma(x + ½, T), so
    ``1 − (T / (T + m·h))^(x + ½)``; binomial: p ~ Beta(x + ½, n − x + ½), so
    ``1 − E[(1 − min(m·p, 1))^h]``. ``m`` is the rate ``multiplier`` (a modifier).

    Examples
    --------
    >>> round(predictive_probability(0, 80, 1, "poisson"), 5)
    0.00619
    >>> round(predictive_probability(5, 73, 3, "poisson"), 4)
    0.1987
    """
    if not exposure > 0 or years < 0 or multiplier < 0:
        raise ValueError("exposure must be positive, horizon and multiplier non-negative")
    a = events + JEFFREYS_A
    if method == "poisson":
        return 1.0 - (exposure / (exposure + multiplier * years)) ** a
    if method == "binomial":
        b = exposure - events + JEFFREYS_A
        if multiplier == 1.0:
            return 1.0 - math.exp(special.betaln(a, b + years) - special.betaln(a, b))
        none, _ = integrate.quad(
            lambda p: (1.0 - min(multiplier * p, 1.0)) ** years * stats.beta.pdf(p, a, b), 0, 1
        )
        return 1.0 - none
    raise ValueError(f"unknown method {method!r}")


def probability(rate: float, years: float, method: str) -> float:
    """Return ``P(≥ 1 event in years)`` from a rate of the given method (poisson/binomial)."""
    if method == "poisson":
        return prob_at_least_one(rate, years)
    if method == "binomial":
        return prob_at_least_one_binomial(rate, years)
    raise ValueError(f"unknown method {method!r}")


def likelihood_range(
    own: dict | None, references: list[dict], horizon: float, hi_multiplier: float = 1.0
) -> list[float] | None:
    """Range of ``P(≥ 1 event in horizon)`` over the own and the reference base rates.

    Parameters
    ----------
    own : dict or None
        The country's own base rate.
    references : list of dict
        Pooled reference base rates (same method as ``own``).
    horizon : float
        Years.
    hi_multiplier : float
        Factor on the highest rate for the upper end (the gray-zone modifier); a binomial
        share is capped at 1.

    Returns
    -------
    list of float or None
        ``[lowest, highest]`` probability; None without any rate.
    """
    rates = [r for r in ([own] if own else []) + references]
    if not rates:
        return None
    probs = [probability(r["rate_per_year"], horizon, r["method"]) for r in rates]
    hi_rate = max(r["rate_per_year"] for r in rates) * hi_multiplier
    method = rates[0]["method"]
    hi = probability(min(hi_rate, 1.0) if method == "binomial" else hi_rate, horizon, method)
    return [min(probs), max(max(probs), hi)]


def yardstick_term(p: float, yardstick: Mapping[str, Any]) -> str:
    """Name a probability with the PHIA yardstick of the config.

    A probability gets the term whose range holds it; in a gap between ranges, the nearer
    term (``cut_points`` are the gap middles; a value on a cut point goes up).

    Parameters
    ----------
    p : float
        Probability (0–1).
    yardstick : Mapping
        The config's ``yardstick`` block (``terms``, ``cut_points``).

    Returns
    -------
    str
    """
    if not 0 <= p <= 1:
        raise ValueError(f"probability out of [0, 1]: {p!r}")
    index = sum(p >= c for c in yardstick["cut_points"])
    return yardstick["terms"][index]["term"]


def term_range(term: str, yardstick: Mapping[str, Any]) -> list[float]:
    """Return the PHIA range ``[lo, hi]`` of a yardstick term."""
    for t in yardstick["terms"]:
        if t["term"] == term:
            return [float(t["range"][0]), float(t["range"][1])]
    raise KeyError(term)


def shift_term(term: str, steps: int, yardstick: Mapping[str, Any]) -> str:
    """Move a yardstick term ``steps`` ranges up (down when negative), within the scale."""
    terms = [t["term"] for t in yardstick["terms"]]
    index = min(max(terms.index(term) + steps, 0), len(terms) - 1)
    return terms[index]


def confidence_level(
    method: str,
    own_events: int | None,
    data_lag_years: float | None,
    cap: str | None,
    cfg: Mapping[str, Any],
    n_references: int | None = None,
) -> tuple[str, list[str]]:
    """Confidence in a scenario likelihood by the config's data-quality rule.

    Parameters
    ----------
    method : str
        ``poisson``, ``binomial`` or ``qualitative``.
    own_events : int or None
        Events in the country's own base rate.
    data_lag_years : float or None
        Years from the base-rate data end to as_of.
    cap : str or None
        Highest level allowed for the scenario (config ``caps``).
    cfg : Mapping
        The config's ``confidence`` block.
    n_references : int, optional
        Reference (pooled) rates available; 0 lowers the level by
        ``no_reference_downgrade``.

    Returns
    -------
    tuple
        ``(level, reasons)``; level one of ``cfg["levels"]`` (L, M, H).
    """
    levels = cfg["levels"]
    if method == "qualitative":
        return cfg["qualitative"], ["qualitative yardstick (no base-rate data)"]
    index = levels.index(cfg["quantitative_start"])
    reasons = ["quantitative base rate"]
    if own_events is not None and own_events < cfg["min_events"]:
        index -= 1
        reasons.append(f"fewer than {cfg['min_events']} events in the country's own record")
    if data_lag_years is not None and data_lag_years > cfg["max_data_lag_years"]:
        index -= 1
        reasons.append(
            f"base-rate data end {data_lag_years:.1f} years before as_of "
            f"(> {cfg['max_data_lag_years']})"
        )
    if n_references == 0:
        index -= int(cfg["no_reference_downgrade"])
        reasons.append("no reference (pooled) rate available")
    index = max(index, 0)
    if cap is not None and index > levels.index(cap):
        index = levels.index(cap)
        reasons.append(f"capped at {cap} (proxy limits)")
    return levels[index], reasons
