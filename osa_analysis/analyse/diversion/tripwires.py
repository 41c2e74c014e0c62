"""The six trip-wires: computed conditions with a status and the date of the data used.

Each trip-wire returns ``id``, ``label``, ``source``, ``status`` (triggered, not
triggered, not computable), ``data_date`` (last observation of the source used, on or
before ``as_of``; None when not computable), ``evidence`` and the numbers behind it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from osa_analysis.analyse.channels import coverage_fractions
from osa_analysis.analyse.diversion.data import (
    DiversionTables,
    coup_data_end,
    coups_between,
    grayzone_applicable,
    grayzone_counts,
    primary_conflicts,
    ucdp_states,
    ucdp_year,
)
from osa_analysis.core.countries import country_name
from osa_analysis.core.dates import DAYS_PER_YEAR, complete_year
from osa_analysis.core.i18n import N_
from osa_analysis.core.stats import poisson_interval

Config = Mapping[str, Any]

TRIPWIRE_SOURCES = {
    "T1_new_conflict": "UCDP/PRIO ACD",
    "T2_coup_attempt": "Powell & Thyne",
    "T3_autocratization": "V-Dem ERT",
    "T4_wgi_pv_fall": "WGI",
    "T5_grayzone_rise": "SCSDI",
    "T6_piracy_rise": N_("incident table (ASAM, IMB, ReCAAP, live feed)"),
}
"""Source named with each trip-wire's data date (a name that is not a proper name is a
message, translated where shown)."""


# --------------------------------------------------------------------------------------------
# Pure logic
# --------------------------------------------------------------------------------------------


def wgi_fall(est1: float, se1: float, est0: float, se0: float, z: float) -> dict:
    """Whether a WGI estimate fell by more than the combined uncertainty.

    Parameters
    ----------
    est1, se1 : float
        Latest estimate and standard error.
    est0, se0 : float
        Previous estimate and standard error.
    z : float
        Normal quantile (1.645 for WGI's 90% band).

    Returns
    -------
    dict
        ``change`` (est1 − est0), ``threshold`` (z·√(se1² + se0²)) and ``triggered``
        (change < 0 and |change| > threshold).
    """
    change = est1 - est0
    threshold = z * math.sqrt(se1**2 + se0**2)
    return {
        "change": change,
        "threshold": threshold,
        "triggered": change < 0 and -change > threshold,
    }


def count_rise(recent: int, previous: list[int], level: float) -> dict:
    """Whether a count rose beyond its exact Poisson interval.

    Parameters
    ----------
    recent : int
        Count in the recent period.
    previous : list of int
        Counts of the previous periods of the same length.
    level : float
        Level of the exact (Garwood) interval of ``recent``.

    Returns
    -------
    dict
        ``recent``, ``previous``, ``previous_mean``, ``interval`` (of ``recent``) and
        ``triggered`` (the previous mean lies below the interval).
    """
    if not previous:
        raise ValueError("previous counts are needed")
    mean = sum(previous) / len(previous)
    lo, hi = poisson_interval(recent, level)
    return {
        "recent": int(recent),
        "previous": [int(v) for v in previous],
        "previous_mean": mean,
        "interval": [lo, hi],
        "triggered": mean < lo,
    }


def _tw(tid: str, label: str, status: str, data_date: str | None, evidence: str, **extra) -> dict:
    return {
        "id": tid,
        "label": label,
        "source": TRIPWIRE_SOURCES[tid],
        "status": status,
        "data_date": data_date,
        "evidence": evidence,
        **extra,
    }


def _status(triggered: bool) -> str:
    return "triggered" if triggered else "not triggered"


# --------------------------------------------------------------------------------------------
# T1-T6
# --------------------------------------------------------------------------------------------


def tripwire_new_conflict(tables: DiversionTables, iso3: str, as_of: pd.Timestamp) -> dict:
    """T1: a UCDP conflict with the state as primary party this year, not the year before."""
    label = "New UCDP armed conflict with the state as primary party"
    name = country_name(iso3)
    y = ucdp_year(tables, as_of)
    if iso3 not in ucdp_states(tables):
        return _tw("T1_new_conflict", label, "not computable", None, f"UCDP does not list {name}")
    now = {c["conflict_id"]: c for c in primary_conflicts(tables, iso3, y)}
    before = {c["conflict_id"] for c in primary_conflicts(tables, iso3, y - 1)}
    new = [now[c] for c in sorted(set(now) - before)]
    evidence = (
        f"conflicts with {name} as primary party: {len(now)} in {y}, {len(before)} in {y - 1}; "
        + (
            "new: " + "; ".join(f"{c['opponent']} (UCDP {c['conflict_id']})" for c in new)
            if new
            else "none new"
        )
    )
    return _tw(
        "T1_new_conflict",
        label,
        _status(bool(new)),
        f"{y}-12-31",
        evidence,
        year=y,
        n_now=len(now),
        n_before=len(before),
        new_conflict_ids=[c["conflict_id"] for c in new],
    )


def tripwire_coup(tables: DiversionTables, iso3: str, as_of: pd.Timestamp, cfg: Config) -> dict:
    """T2: a coup attempt in the last ``coup_window_months`` of the coup data (≤ as_of)."""
    months = cfg["tripwires"]["coup_window_months"]
    label = f"Coup attempt in the last {months} months of the coup data"
    end = coup_data_end(as_of, cfg)
    start = end - pd.DateOffset(months=months)
    hits = coups_between(tables, iso3, start, end)
    dates = sorted(d.strftime("%Y-%m-%d") for d in hits["date"])
    lag = (as_of - end).days / DAYS_PER_YEAR
    evidence = (
        f"Powell & Thyne attempts from {(start + pd.Timedelta(days=1)).strftime('%Y-%m-%d')} "
        f"to {end.strftime('%Y-%m-%d')}: {len(dates)}"
        + (f" ({', '.join(dates)})" if dates else "")
        + (
            f"; the coup data end {lag:.1f} years before as_of, later attempts are not covered"
            if lag > 0
            else ""
        )
    )
    return _tw(
        "T2_coup_attempt",
        label,
        _status(bool(dates)),
        end.strftime("%Y-%m-%d"),
        evidence,
        attempts=dates,
        data_lag_years=lag,
    )


def tripwire_autocratization(tables: DiversionTables, iso3: str, as_of: pd.Timestamp) -> dict:
    """T3: an ongoing V-Dem autocratization episode, or one starting in the latest year."""
    label = "Ongoing V-Dem autocratization episode (or one starting in the latest year)"
    ert = tables.ert
    y = complete_year(int(ert["year"].max()), as_of)
    rows = ert[
        ert["country_iso3"].eq(iso3).fillna(False).to_numpy() & (ert["year"] == y).to_numpy()
    ]
    name = country_name(iso3)
    if not len(rows):
        covered = bool(ert["country_iso3"].eq(iso3).fillna(False).any())
        reason = f"V-Dem has no {y} row for {name}" if covered else f"V-Dem does not cover {name}"
        return _tw("T3_autocratization", label, "not computable", None, reason)
    r = rows.iloc[0]
    aut = bool(r["aut_ep"])
    start = r.get("aut_ep_start_year")
    start = int(start) if aut and pd.notna(start) else None
    evidence = (
        f"in an autocratization episode in {y} (V-Dem ERT), since {start}"
        + (" — it starts in the latest year" if start == y else "")
        if aut
        else f"no autocratization episode in {y} (V-Dem ERT)"
    )
    return _tw(
        "T3_autocratization",
        label,
        _status(aut),
        f"{y}-12-31",
        evidence,
        year=y,
        episode_start=start,
    )


def tripwire_wgi_pv(tables: DiversionTables, iso3: str, as_of: pd.Timestamp, cfg: Config) -> dict:
    """T4: WGI political stability fell by more than its 90% interval (latest vs previous year)."""
    label = "WGI political stability fell by more than its 90% interval"
    wgi = tables.wgi
    y = complete_year(int(wgi["year"].max()), as_of)
    rows = wgi[
        wgi["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & (wgi["indicator"] == "pv").to_numpy()
        & (wgi["year"] <= y).to_numpy()
    ].dropna(subset=["estimate", "std_error"])
    rows = rows.sort_values("year")
    if len(rows) < 2 or int(rows.iloc[-1]["year"]) != y:
        return _tw(
            "T4_wgi_pv_fall",
            label,
            "not computable",
            None,
            f"WGI has no political-stability estimates for {country_name(iso3)} in {y} and an "
            "earlier year",
        )
    r1, r0 = rows.iloc[-1], rows.iloc[-2]
    res = wgi_fall(
        float(r1["estimate"]),
        float(r1["std_error"]),
        float(r0["estimate"]),
        float(r0["std_error"]),
        cfg["tripwires"]["wgi_z"],
    )
    evidence = (
        f"{int(r0['year'])} {float(r0['estimate']):.2f} → {int(r1['year'])} "
        f"{float(r1['estimate']):.2f}: change {res['change']:+.2f}, 90% threshold "
        f"±{res['threshold']:.2f}"
    )
    return _tw(
        "T4_wgi_pv_fall",
        label,
        _status(res["triggered"]),
        f"{y}-12-31",
        evidence,
        year=int(r1["year"]),
        previous_year=int(r0["year"]),
        estimate=float(r1["estimate"]),
        previous_estimate=float(r0["estimate"]),
        change=res["change"],
        threshold=res["threshold"],
    )


def tripwire_grayzone(tables: DiversionTables, iso3: str, as_of: pd.Timestamp, cfg: Config) -> dict:
    """T5: SCSDI gray-zone events in the latest year beyond the previous 3-year mean."""
    label = "Rise in gray-zone events (SCSDI) beyond the exact Poisson interval"
    tw = cfg["tripwires"]
    if not grayzone_applicable(tables, iso3, as_of, cfg):
        return _tw(
            "T5_grayzone_rise",
            label,
            "not computable",
            None,
            f"SCSDI covers the South China Sea only; {country_name(iso3)} is not a claimant and "
            "is rarely an actor",
        )
    y = complete_year(cfg["data"]["scsdi_coverage_end_year"], as_of)
    first = y - tw["count_rise_previous_years"]
    if first < cfg["data"]["scsdi_coverage_start_year"]:
        return _tw("T5_grayzone_rise", label, "not computable", None, "SCSDI years too few")
    counts = grayzone_counts(tables, iso3, first, y, as_of)
    res = count_rise(counts[y], [counts[v] for v in range(first, y)], tw["count_rise_level"])
    gz = tables.grayzone
    dates = gz["date"][gz["date"].le(as_of).fillna(False).to_numpy()]
    data_date = dates.max().strftime("%Y-%m-%d") if len(dates) else f"{y}-12-31"
    evidence = (
        f"{res['recent']} events in {y} vs a {first}–{y - 1} mean of "
        f"{res['previous_mean']:.1f}; 95% interval of the {y} count "
        f"{res['interval'][0]:.1f}–{res['interval'][1]:.1f}"
    )
    return _tw(
        "T5_grayzone_rise",
        label,
        _status(res["triggered"]),
        data_date,
        evidence,
        year=y,
        previous_years=[first, y - 1],
        counts=counts,
        **{k: res[k] for k in ("recent", "previous_mean", "interval")},
    )


def piracy_coverage_shares(
    channels: pd.DataFrame, end: pd.Timestamp, previous_years: int
) -> dict[str, list[float]]:
    """Share of days each channel covers in the 12 months to ``end`` and the years before.

    Returns
    -------
    dict
        Channel group → ``[recent share, previous share]``.
    """
    recent = coverage_fractions(end - pd.DateOffset(years=1) + pd.Timedelta(days=1), end, channels)
    previous = coverage_fractions(
        end - pd.DateOffset(years=1 + previous_years) + pd.Timedelta(days=1),
        end - pd.DateOffset(years=1),
        channels,
    )
    return {g: [recent[g], previous[g]] for g in recent}


def piracy_counts(
    piracy: pd.DataFrame, iso3: str, end: pd.Timestamp, previous_years: int
) -> tuple[int, list[int]]:
    """Events off the state in the 12 months to ``end`` and in each of the years before."""
    mine = piracy[piracy["coastal_state_iso3"].eq(iso3).fillna(False).to_numpy()]

    def count(lo: pd.Timestamp, hi: pd.Timestamp) -> int:
        return int(((mine["date"] > lo) & (mine["date"] <= hi)).sum())

    recent = count(end - pd.DateOffset(years=1), end)
    previous = [
        count(end - pd.DateOffset(years=k + 1), end - pd.DateOffset(years=k))
        for k in range(previous_years, 0, -1)
    ]
    return recent, previous


def tripwire_piracy(tables: DiversionTables, iso3: str, as_of: pd.Timestamp, cfg: Config) -> dict:
    """T6: piracy and armed robbery in the last 12 months beyond the previous 3-year mean."""
    label = "Rise in piracy and armed robbery beyond the exact Poisson interval"
    tw = cfg["tripwires"]
    if tables.piracy is None or tables.channels is None:
        return _tw("T6_piracy_rise", label, "not computable", None, "no incident table given")
    ch = tables.channels
    end = min(as_of, ch["end"].max())
    n_prev = tw["count_rise_previous_years"]
    shares = piracy_coverage_shares(ch, end, n_prev)
    unequal = {g: f for g, f in shares.items() if abs(f[0] - f[1]) > tw["comparable_tolerance"]}
    end_s = end.strftime("%Y-%m-%d")
    if unequal:
        detail = "; ".join(
            f"{ch.set_index('group').at[g, 'label']} {100 * f[0]:.0f}% vs {100 * f[1]:.0f}%"
            for g, f in unequal.items()
        )
        return _tw(
            "T6_piracy_rise",
            label,
            "not computable",
            end_s,
            "the reporting channels cover the recent 12 months and the previous "
            f"{n_prev} years unequally (share of days covered: {detail})",
            coverage_shares=shares,
            coverage_shares_pct={g: [100 * v for v in f] for g, f in shares.items()},
            previous_years=n_prev,
        )
    recent, previous = piracy_counts(tables.piracy, iso3, end, n_prev)
    res = count_rise(recent, previous, tw["count_rise_level"])
    evidence = (
        f"{res['recent']} incidents in the 12 months to {end_s} vs a mean of "
        f"{res['previous_mean']:.1f} a year over the previous {n_prev} years; 95% interval of "
        f"the recent count {res['interval'][0]:.1f}–{res['interval'][1]:.1f}"
    )
    return _tw(
        "T6_piracy_rise",
        label,
        _status(res["triggered"]),
        end_s,
        evidence,
        coverage_shares=shares,
        previous_years=n_prev,
        **{k: res[k] for k in ("recent", "previous", "previous_mean", "interval")},
    )


def tripwires(
    iso3: str, as_of: pd.Timestamp, tables: DiversionTables, config: Config
) -> list[dict]:
    """Evaluate every trip-wire for one state (T1–T6, in order)."""
    iso3 = iso3.upper()
    return [
        tripwire_new_conflict(tables, iso3, as_of),
        tripwire_coup(tables, iso3, as_of, config),
        tripwire_autocratization(tables, iso3, as_of),
        tripwire_wgi_pv(tables, iso3, as_of, config),
        tripwire_grayzone(tables, iso3, as_of, config),
        tripwire_piracy(tables, iso3, as_of, config),
    ]
