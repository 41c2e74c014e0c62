"""The words and tables of the governance section, one function per part.

Each part formats one part of :class:`~osa_analysis.analyse.governance.GovernanceResult`:
its paragraphs (data text through :func:`~osa_analysis.brief.section.esc`) and its tables.
"""

from __future__ import annotations

import pandas as pd

from osa_analysis.analyse.governance import (
    CLINE_COVERAGE_END_YEAR,
    COUP_MATCH_DAYS,
    COUP_SINCE,
    PT_COVERAGE_END,
    UCDP_YEARS,
    VDEM_SINCE,
    WGI_BAND_PCT,
    WGI_CHANGE_YEARS,
    WGI_SHORT,
    WGI_Z,
)
from osa_analysis.brief.section import esc, fmt_num

DATASET_LABELS = {"coups_powell_thyne": "Powell & Thyne", "coups_cline": "Cline Center"}
"""Coup datasets by registry id, as named in the text."""


def possessive(name: str) -> str:
    """Return ``name`` with an English possessive ("Philippines'", "Fiji's")."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def signed(value: float | None, digits: int = 2) -> str:
    """Format a change with its sign (``+0.53``, ``-0.04``); ``n/a`` for None."""
    if value is None:
        return "n/a"
    return f"+{value:.{digits}f}" if value > 0 else f"{value:.{digits}f}"


# --------------------------------------------------------------------------- WGI


def _pv_line(pv: dict) -> str:
    change = ""
    if pv["change"] is not None:
        verdict = (
            "larger than the combined uncertainty, a significant change"
            if pv["significant"]
            else "within the combined uncertainty, not a significant change"
        )
        change = (
            f" Since {pv['base_year']} ({fmt_num(pv['base_estimate'], 2)}) it moved by "
            f"{signed(pv['change'])} ({verdict}: ±{fmt_num(pv['change_threshold'], 2)})."
        )
    return (
        f"Political stability and absence of violence: {fmt_num(pv['estimate'], 2)} in "
        f"{pv['year']} ({WGI_BAND_PCT}% band {fmt_num(pv['low'], 2)} to "
        f"{fmt_num(pv['high'], 2)}; "
        f"percentile rank {fmt_num(pv['pct_rank'], 1)}).{change}"
    )


def wgi_lines(wgi: dict, name: str, year_max: int) -> list[str]:
    """Paragraph lines of the WGI part (the first line opens the paragraph)."""
    summary = wgi["indicators"]
    if all(v["year"] is None for v in summary.values()):
        return [f"WGI has no estimate for {esc(name)} up to {year_max}."]
    lines = [
        f"**Worldwide Governance Indicators** (World Bank, {wgi['release']}): the latest year "
        "is "
        f"{wgi['release_latest_year']}, {wgi['years_behind_as_of']} years before the brief's "
        f"as-of date ({wgi['as_of']}); nothing more recent is published. Estimates are in "
        f"standard-normal units (about −2.5 to 2.5, higher is better) with {WGI_BAND_PCT}% "
        f"bands (±{WGI_Z} SE); compare bands, not points."
    ]
    if summary["pv"]["year"] is not None:
        lines.append(_pv_line(summary["pv"]))
    sig = [
        f"{WGI_SHORT[c].lower()} ({signed(v['change'])} since {v['base_year']})"
        for c, v in summary.items()
        if v["significant"]
    ]
    lines.append(
        "Significant changes over about five years: " + "; ".join(sig) + "."
        if sig
        else "No indicator changed by more than its combined uncertainty over about five years."
    )
    missing = [WGI_SHORT[c] for c, v in summary.items() if v["year"] is None]
    if missing:
        lines.append(f"No estimate at all for: {', '.join(missing)}.")
    return lines


def wgi_table(wgi: dict) -> tuple[str, pd.DataFrame]:
    """Return the WGI table (estimate, band, rank and change per indicator) and its caption."""
    rows = [
        {
            "indicator": WGI_SHORT[c],
            "year": v["year"] if v["year"] is not None else "n/a",
            "estimate": fmt_num(v["estimate"], 2),
            f"{WGI_BAND_PCT}% band": f"{fmt_num(v['low'], 2)} to {fmt_num(v['high'], 2)}"
            if v["low"] is not None
            else "n/a",
            "percentile rank": fmt_num(v["pct_rank"], 1),
            "sources": fmt_num(v["n_sources"]),
            "base year": v["base_year"] if v["base_year"] is not None else "n/a",
            "change": signed(v["change"]) if v["change"] is not None else "n/a",
            "± threshold": fmt_num(v["change_threshold"], 2),
            "significant": {True: "yes", False: "no", None: "n/a"}[v["significant"]],
        }
        for c, v in wgi["indicators"].items()
    ]
    caption = (
        f"WGI {wgi['release_latest_year']}: estimate, {WGI_BAND_PCT}% band, percentile rank "
        "and change since "
        f"about {WGI_CHANGE_YEARS} years earlier (significant when |change| > "
        f"{WGI_Z}·√(SE₁²+SE₀²))."
    )
    return caption, pd.DataFrame(rows)


# --------------------------------------------------------------------------- V-Dem


def _episode_text(e: dict) -> str:
    state = "ongoing" if e["ongoing"] else f"ended {e['end_year']} ({esc(e['termination'])})"
    outcome = f", outcome so far: {esc(e['outcome'])}" if e["outcome"] else ""
    return f"{e['kind']} episode {e['start_year']}–{e['end_year']} ({state}{outcome})"


def vdem_lines(vdem: dict, name: str) -> list[str]:
    """Paragraph lines of the V-Dem part."""
    if not vdem["covered"]:
        return [
            f"**Regime (V-Dem):** {esc(vdem['missing_reason'])} (V-Dem codes no regime type or "
            "democracy index for it)."
        ]
    lines = [
        f"**Regime (V-Dem ERT v15, to {vdem['release_latest_year']}):** {esc(name)} was an "
        f"**{esc(vdem['regime_label'])}** in {vdem['latest_year']} (Regimes of the World); "
        f"electoral democracy index {fmt_num(vdem['polyarchy'], 3)} (V-Dem interval "
        f"{fmt_num(vdem['polyarchy_low'], 3)}–{fmt_num(vdem['polyarchy_high'], 3)}, scale 0–1)."
    ]
    changes = vdem["regime_changes_since_1990"]
    if changes:
        lines.append(
            f"Regime changes since {VDEM_SINCE}: "
            + "; ".join(f"{c['year']}: {esc(c['from'])} → {esc(c['to'])}" for c in changes)
            + "."
        )
    else:
        lines.append(f"The regime category has not changed since {VDEM_SINCE}.")
    live = [e for e in vdem["episodes"] if e["ongoing"] or e["recent"]]
    if live:
        lines.append(
            "Episodes of regime transformation (ongoing or ended in the last ten years): "
            + "; ".join(_episode_text(e) for e in live)
            + "."
        )
    else:
        lines.append(
            "No autocratization or democratization episode is ongoing or ended in the last ten "
            "years."
        )
    return lines


# --------------------------------------------------------------------------- coups


def _last_attempt_line(coups: dict) -> str:
    la = coups["last_attempt_any"]
    if la is None:
        return (
            f"No coup attempt is recorded since {COUP_SINCE} in either dataset (Powell & Thyne to "
            f"{PT_COVERAGE_END}; Cline to {CLINE_COVERAGE_END_YEAR}); nothing after those dates "
            "is covered."
        )
    other = [
        f"{DATASET_LABELS[ds]}: {v['date']}, {v['category']}"
        if v
        else f"{DATASET_LABELS[ds]}: none recorded"
        for ds, v in coups["last_attempt"].items()
        if ds != la["dataset"]
    ]
    return (
        f"Last recorded attempt: {la['date']} ({DATASET_LABELS[la['dataset']]}, "
        f"{la['category']}), "
        f"{fmt_num(la['years_since'], 1)} years before {coups['as_of']}; "
        + "; ".join(other)
        + f". Neither dataset covers events after {PT_COVERAGE_END}."
    )


def coup_lines(coups: dict, name: str) -> list[str]:
    """Paragraph lines of the coup part."""
    c = coups["counts"]
    pt_n = c["coups_powell_thyne"]["successful"] + c["coups_powell_thyne"]["failed"]
    cl = c["coups_cline"]
    lines = [
        f"**Coups.** Powell & Thyne (events to {PT_COVERAGE_END}) record {pt_n} coup attempts in "
        f"{esc(name)} ({c['coups_powell_thyne']['successful']} successful, "
        f"{c['coups_powell_thyne']['failed']} failed); the Cline Center (v2.0.0, to "
        f"{CLINE_COVERAGE_END_YEAR}) records {cl['realized']} realized coups, {cl['attempted']} "
        f"attempted coups and {cl['conspiracy']} conspiracies. The datasets define events "
        "differently (Cline also counts popular ousters, auto-coups and conspiracies) and are "
        "kept apart."
    ]
    if pt_n or cl["realized"] or cl["attempted"]:
        lines.append(
            f"Matched within {COUP_MATCH_DAYS} days: {coups['matched']} attempts appear in both, "
            f"{coups['pt_only']} only in Powell & Thyne, {coups['cline_only_attempts']} only in "
            "Cline."
        )
    lines.append(_last_attempt_line(coups))
    return lines


def coup_tables(coups: dict, name: str) -> list[tuple[str, pd.DataFrame]]:
    """Return the coup events table (none when there are no events)."""
    if not coups["events"]:
        return []
    rows = [
        {"date": e["date"], "dataset": DATASET_LABELS[e["dataset"]], "event": e["category"]}
        for e in coups["events"]
    ]
    caption = f"Coup events in {name} by dataset (each dataset's own category; not merged)."
    return [(caption, pd.DataFrame(rows))]


# --------------------------------------------------------------------------- UCDP


def _deaths_line(ucdp: dict) -> str:
    totals, deaths, latest = ucdp["deaths_total"], ucdp["deaths"], ucdp["latest_year"]
    if totals is None:
        return f"Organized-violence deaths: {esc(ucdp['deaths_missing_reason'])}."
    if not deaths.get(latest):
        return ""
    first, last = ucdp["death_years"]
    return (
        f"Organized-violence deaths (UCDP best estimates), {first}–{last}: "
        f"{fmt_num(totals['total'])} in total — state-based {fmt_num(totals['state_based'])}, "
        f"non-state {fmt_num(totals['non_state'])}, one-sided {fmt_num(totals['one_sided'])}; "
        f"{fmt_num(deaths[latest]['total'])} in {latest}."
    )


def ucdp_lines(ucdp: dict, name: str) -> list[str]:
    """Paragraph lines of the UCDP part."""
    latest, (first, last) = ucdp["latest_year"], ucdp["years"]
    secondary = ucdp["n_active_secondary_latest"]
    return [
        f"**Armed conflict (UCDP/PRIO ACD v25.1, to {latest}).** In {latest}, "
        f"{ucdp['n_active_on_territory_latest']} armed conflicts were active on "
        f"{possessive(esc(name))} "
        f"territory and the state was a primary party to {ucdp['n_active_primary_latest']}"
        + (f" (and a secondary, supporting party to {secondary})" if secondary else "")
        + f". Over {first}–{last}: {ucdp['conflict_years_location']} conflict-years "
        f"located in the country and {ucdp['conflict_years_primary_party']} with the state as a "
        f"primary party ({ucdp['years_with_primary_party']} of {UCDP_YEARS} years).",
        _deaths_line(ucdp),
    ]


def ucdp_tables(ucdp: dict, name: str, iso3: str) -> list[tuple[str, pd.DataFrame]]:
    """Deaths by type and active conflicts (table cells are escaped when rendered)."""
    tables = []
    deaths = {y: d for y, d in ucdp["deaths"].items() if d is not None}
    if deaths:
        rows = [
            {
                "year": y,
                "state-based": fmt_num(d["state_based"]),
                "non-state": fmt_num(d["non_state"]),
                "one-sided": fmt_num(d["one_sided"]),
                "total": fmt_num(d["total"]),
            }
            for y, d in deaths.items()
        ]
        caption = (
            f"UCDP organized-violence deaths in {name} by type (best estimates); zero is a "
            "recorded zero."
        )
        tables.append((caption, pd.DataFrame(rows)))
    if ucdp["active_latest"]:
        rows = [
            {
                "conflict id": a["conflict_id"],
                "location": a["location"],
                "side A": a["side_a"],
                "side B": a["side_b"],
                "type": a["type"],
                "incompatibility": a["incompatibility"]
                + (f" ({a['territory']})" if a["territory"] else ""),
                "intensity": a["intensity"],
                f"{iso3} role": a["state_role"],
            }
            for a in ucdp["active_latest"]
        ]
        caption = (
            f"UCDP armed conflicts active in {ucdp['latest_year']} involving {name} (as location "
            "or party); names as published by UCDP."
        )
        tables.append((caption, pd.DataFrame(rows)))
    return tables
