"""Section 5: governance and stability (WGI, V-Dem regime, coups, UCDP armed conflict).

Every number comes with its source's own uncertainty or coverage:

* **WGI** (World Bank, 2024 update, to 2023): the six indicators with 90% bands
  (estimate ± 1.645 SE), the country beside its peers, and the change over about five
  years judged against the combined uncertainty (|Δ| > 1.645·√(SE₁² + SE₀²)).
* **V-Dem ERT v15** (to 2024): Regimes of the World label, the electoral democracy index
  (polyarchy) with V-Dem's own interval, regime changes since 1990 and
  autocratization/democratization episodes. Tonga (and Brunei, Samoa) are not in V-Dem.
* **Coups**: Powell & Thyne (V2023.09.08, to 2023-09-08) and the Cline Center
  (v2.0.0, to 2019) side by side, never merged: they define and date events differently.
* **UCDP/PRIO ACD v25.1** and **UCDP Organized Violence v25.1** (to 2024): conflicts on
  the country's territory and those the state is a primary party to; deaths by type.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.brief.style import ACCENT, COUNTRY_COLORS, NEUTRAL, figure
from osa_analysis.core.countries import country_name

WGI_Z = 1.645
"""Normal quantile of WGI's 90% band."""

WGI_BAND_PCT = 90
WGI_CHANGE_YEARS = 5
"""The change is latest vs the latest year available at least this many years earlier."""

WGI_ORDER = ("va", "pv", "ge", "rq", "rl", "cc")
WGI_SHORT = {
    "va": "Voice & accountability",
    "pv": "Political stability",
    "ge": "Government effectiveness",
    "rq": "Regulatory quality",
    "rl": "Rule of law",
    "cc": "Control of corruption",
}

VDEM_SINCE = 1990
"""First year of the V-Dem history shown."""

RECENT_EPISODE_YEARS = 10
"""Episodes that ended within this many years of V-Dem's last year count as recent."""

UCDP_YEARS = 30
"""Years of conflict counts shown (to UCDP's latest year)."""

DEATH_YEARS = 10
"""Years of organized-violence deaths shown."""

COUP_MATCH_DAYS = 31
"""Events of the two coup datasets within this many days are taken as the same event."""

PT_COVERAGE_END = "2023-09-08"
"""Powell & Thyne V2023.09.08: coups to the version date."""

CLINE_COVERAGE_END_YEAR = 2019
"""Cline Center Coup d'État Project v2.0.0 ends with 2019."""

COUP_SINCE = 1950
"""Powell & Thyne's first year (Cline starts in 1945)."""

SOURCES = (
    "wgi",
    "vdem_ert",
    "coups_powell_thyne",
    "coups_cline",
    "ucdp_prio_acd",
    "ucdp_orgviolence_cy",
)

REGIME_COLORS = {
    "closed autocracy": "#d7301f",
    "electoral autocracy": "#fc8d59",
    "electoral democracy": "#9ecae1",
    "liberal democracy": "#3182bd",
}

DATASET_LABELS = {"coups_powell_thyne": "Powell & Thyne", "coups_cline": "Cline Center"}

PRIMARY_ROLES = ("side_a_primary", "side_b_primary")


# --- cached loaders ---------------------------------------------------------------------------


@cache
def _wgi() -> pd.DataFrame:
    from osa_analysis.sources.loaders.indicators import load_wgi, wgi_interval

    return wgi_interval(load_wgi(), z=WGI_Z)


@cache
def _ert() -> pd.DataFrame:
    from osa_analysis.sources.loaders.governance import load_vdem_ert

    return load_vdem_ert()


@cache
def _episodes() -> pd.DataFrame:
    from osa_analysis.sources.loaders.governance import vdem_episodes

    return vdem_episodes(_ert())


@cache
def _coups() -> pd.DataFrame:
    from osa_analysis.sources.loaders.conflict import coup_events

    return coup_events()


@cache
def _acd() -> pd.DataFrame:
    from osa_analysis.sources.loaders.conflict import load_ucdp_acd

    return load_ucdp_acd()


@cache
def _conflict_years() -> pd.DataFrame:
    from osa_analysis.sources.loaders.conflict import ucdp_conflict_years

    return ucdp_conflict_years(_acd())


@cache
def _orgvio() -> pd.DataFrame:
    from osa_analysis.sources.loaders.conflict import load_ucdp_organized_violence

    return load_ucdp_organized_violence()


# --- pure computations ------------------------------------------------------------------------


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def wgi_summary(
    wgi: pd.DataFrame,
    iso3: str,
    year_max: int,
    change_years: int = WGI_CHANGE_YEARS,
    z: float = WGI_Z,
) -> dict:
    """Latest WGI values of a country per indicator, with the change over ``change_years``.

    Parameters
    ----------
    wgi : pandas.DataFrame
        :func:`~osa_analysis.sources.loaders.indicators.load_wgi` output with ``estimate_low`` and
        ``estimate_high`` (:func:`~osa_analysis.sources.loaders.indicators.wgi_interval`).
    iso3 : str
    year_max : int
        Latest year allowed (the brief's ``as_of`` year).
    change_years : int
        The base year is the latest year with an estimate at least this many years before
        the indicator's latest year.
    z : float
        Normal quantile for the significance of the change.

    Returns
    -------
    dict
        Indicator code → ``name``, ``year``, ``estimate``, ``std_error``, ``low``, ``high``,
        ``pct_rank`` (and ``pct_rank_low``/``pct_rank_high``), ``n_sources``,
        ``base_year``, ``base_estimate``, ``base_std_error``, ``change``,
        ``change_threshold`` (z·√(SE₁² + SE₀²)) and ``significant`` (|change| >
        threshold); None for what is missing. An indicator without any estimate has
        ``year`` None.
    """
    rows = wgi[wgi["country_iso3"].eq(iso3).fillna(False) & (wgi["year"] <= year_max)]
    rows = rows.dropna(subset=["estimate"])
    out: dict = {}
    for code in WGI_ORDER:
        ind = rows[rows["indicator"] == code].sort_values("year")
        entry: dict = dict.fromkeys(
            (
                "year",
                "estimate",
                "std_error",
                "low",
                "high",
                "pct_rank",
                "pct_rank_low",
                "pct_rank_high",
                "n_sources",
                "base_year",
                "base_estimate",
                "base_std_error",
                "change",
                "change_threshold",
                "significant",
            )
        )
        entry["name"] = WGI_SHORT[code]
        if len(ind):
            last = ind.iloc[-1]
            entry.update(
                {
                    "year": int(last["year"]),
                    "estimate": _num(last["estimate"]),
                    "std_error": _num(last["std_error"]),
                    "low": _round(_num(last["estimate_low"]), 3),
                    "high": _round(_num(last["estimate_high"]), 3),
                    "pct_rank": _num(last["pct_rank"]),
                    "pct_rank_low": _num(last["pct_rank_lower"]),
                    "pct_rank_high": _num(last["pct_rank_upper"]),
                    "n_sources": None if pd.isna(last["n_sources"]) else int(last["n_sources"]),
                }
            )
            base = ind[ind["year"] <= last["year"] - change_years]
            if len(base):
                b = base.iloc[-1]
                change = float(last["estimate"] - b["estimate"])
                entry.update(
                    {
                        "base_year": int(b["year"]),
                        "base_estimate": _num(b["estimate"]),
                        "base_std_error": _num(b["std_error"]),
                        "change": round(change, 3),
                    }
                )
                if pd.notna(last["std_error"]) and pd.notna(b["std_error"]):
                    threshold = z * math.sqrt(last["std_error"] ** 2 + b["std_error"] ** 2)
                    entry["change_threshold"] = round(threshold, 3)
                    entry["significant"] = bool(abs(change) > threshold)
        out[code] = entry
    return out


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def years_between(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Return the years from ``start`` to ``end`` (days / 365.25), one decimal.

    Parameters
    ----------
    start, end : pandas.Timestamp

    Returns
    -------
    float
    """
    return round((end - start).days / 365.25, 1)


def coup_summary(events: pd.DataFrame, iso3: str, as_of: pd.Timestamp) -> dict:
    """Coup events of a country in both datasets, counted and dated separately.

    Parameters
    ----------
    events : pandas.DataFrame
        :func:`~osa_analysis.sources.loaders.conflict.coup_events` output.
    iso3 : str
    as_of : pandas.Timestamp
        Events after this date are ignored.

    Returns
    -------
    dict
        ``events`` (list of dicts: ``date`` (ISO, ``YYYY-MM`` or ``YYYY`` when the day or
        month is unknown), ``dataset``, ``category``, ``attempt`` (bool: a coup attempt,
        successful or not; Cline conspiracies are not attempts)), ``counts`` per dataset,
        ``last_attempt`` per dataset (``date``, ``category``, ``years_since``),
        ``last_attempt_any`` (the most recent in either; None if none), ``matched`` /
        ``pt_only`` / ``cline_only_attempts`` (attempts in both datasets within
        :data:`COUP_MATCH_DAYS` days, or in one only).
    """
    mine = events[events["country_iso3"].eq(iso3).fillna(False)].copy()
    # events with an unknown day are kept if their year/month is not after as_of
    known = mine["date"].notna()
    mine = mine[
        (known & (mine["date"] <= as_of))
        | (~known & (mine["year"] < as_of.year))
        | (~known & (mine["year"] == as_of.year) & mine["date_precision"].eq("year"))
    ]
    rows = []
    for _, e in mine.iterrows():
        if e["source"] == "coups_powell_thyne":
            category = f"{e['outcome']} coup attempt"
            attempt = True
        else:
            category = {
                "coup": "realized coup",
                "attempted": "attempted coup",
                "conspiracy": "conspiracy",
            }[e["event_type"]]
            attempt = e["event_type"] != "conspiracy"
        # the stacked table keeps the day-precise date only; otherwise the year is shown
        date = e["date"].strftime("%Y-%m-%d") if pd.notna(e["date"]) else f"{int(e['year'])}"
        rows.append(
            {
                "date": date,
                "timestamp": e["date"]
                if pd.notna(e["date"])
                else pd.Timestamp(int(e["year"]), 7, 1),
                "dataset": e["source"],
                "category": category,
                "attempt": attempt,
            }
        )
    counts = {
        "coups_powell_thyne": {
            "successful": sum(
                r["category"] == "successful coup attempt"
                for r in rows
                if r["dataset"] == "coups_powell_thyne"
            ),
            "failed": sum(
                r["category"] == "failed coup attempt"
                for r in rows
                if r["dataset"] == "coups_powell_thyne"
            ),
        },
        "coups_cline": {
            k: sum(
                r["category"] == f"{k} coup" or r["category"] == k
                for r in rows
                if r["dataset"] == "coups_cline"
            )
            for k in ("realized", "attempted", "conspiracy")
        },
    }
    last: dict = {}
    for ds in ("coups_powell_thyne", "coups_cline"):
        att = [r for r in rows if r["dataset"] == ds and r["attempt"]]
        if att:
            r = max(att, key=lambda r: r["timestamp"])
            last[ds] = {
                "date": r["date"],
                "category": r["category"],
                "years_since": years_between(r["timestamp"], as_of),
            }
        else:
            last[ds] = None
    present = [(ds, v) for ds, v in last.items() if v is not None]
    last_any = None
    if present:
        ds, v = min(present, key=lambda item: item[1]["years_since"])
        last_any = {**v, "dataset": ds}
    pt = [r for r in rows if r["dataset"] == "coups_powell_thyne"]
    cl = [r for r in rows if r["dataset"] == "coups_cline" and r["attempt"]]
    matched = 0
    used: set[int] = set()
    for r in pt:
        for k, c in enumerate(cl):
            if k not in used and abs((c["timestamp"] - r["timestamp"]).days) <= COUP_MATCH_DAYS:
                used.add(k)
                matched += 1
                break
    return {
        "events": [{k: v for k, v in r.items() if k != "timestamp"} for r in rows],
        "counts": counts,
        "last_attempt": last,
        "last_attempt_any": last_any,
        "matched": matched,
        "pt_only": len(pt) - matched,
        "cline_only_attempts": len(cl) - len(used),
    }


def conflict_counts(conflict_years: pd.DataFrame, iso3: str, years: list[int]) -> pd.DataFrame:
    """Count distinct UCDP conflicts per year on the country's territory / with the state.

    Parameters
    ----------
    conflict_years : pandas.DataFrame
        :func:`~osa_analysis.sources.loaders.conflict.ucdp_conflict_years` output.
    iso3 : str
    years : list of int

    Returns
    -------
    pandas.DataFrame
        Index ``year`` (all of ``years``); int columns ``location`` (conflicts located in
        the country), ``primary_party`` (the state is side A or B primary party) and
        ``secondary_party`` (the state supports a side). Years without any conflict are 0:
        UCDP lists every active conflict.
    """
    mine = conflict_years[conflict_years["country_iso3"].eq(iso3).fillna(False)]
    groups = {
        "location": mine[mine["role"] == "location"],
        "primary_party": mine[mine["role"].isin(PRIMARY_ROLES)],
        "secondary_party": mine[mine["role"].isin(("side_a_secondary", "side_b_secondary"))],
    }
    out = pd.DataFrame(index=pd.Index(years, name="year"))
    for name, rows in groups.items():
        out[name] = rows.groupby("year")["conflict_id"].nunique().reindex(years, fill_value=0)
    return out.fillna(0).astype("int64")


# --- section parts ----------------------------------------------------------------------------


def _wgi_part(ctx: BriefContext) -> tuple[dict, list, list, list[str]]:
    ctx.use("wgi")
    wgi = _wgi()
    iso3 = ctx.country_iso3
    year_max = ctx.year_as_of
    summary = wgi_summary(wgi, iso3, year_max)
    release_latest = int(wgi.loc[wgi["year"] <= year_max, "year"].max())
    values: dict = {
        "release": "2024 update",
        "release_latest_year": release_latest,
        "as_of": ctx.as_of.strftime("%Y-%m-%d"),
        "years_behind_as_of": year_max - release_latest,
        "z": WGI_Z,
        "band_pct": WGI_BAND_PCT,
        "change_years": WGI_CHANGE_YEARS,
        "precision": wgi.attrs.get("precision"),
        "scale": [-2.5, 2.5],
        "rounding": 0.01,
        "rounding_decimals": 2,
        "indicators": summary,
    }
    # peers, latest release year
    peers: dict = {}
    latest = wgi[(wgi["year"] == release_latest) & wgi["country_iso3"].isin(ctx.all_countries)]
    for iso in ctx.all_countries:
        rows = latest[latest["country_iso3"] == iso].set_index("indicator")
        peers[iso] = {
            code: {
                "estimate": _num(rows.at[code, "estimate"]) if code in rows.index else None,
                "low": _round(_num(rows.at[code, "estimate_low"]), 3)
                if code in rows.index
                else None,
                "high": _round(_num(rows.at[code, "estimate_high"]), 3)
                if code in rows.index
                else None,
            }
            for code in WGI_ORDER
        }
    values["peers"] = peers
    values["peers_year"] = release_latest
    series = wgi[wgi["country_iso3"].eq(iso3).fillna(False) & (wgi["year"] <= year_max)]
    values["series"] = {
        code: {
            int(r["year"]): [
                _num(r["estimate"]),
                _round(_num(r["estimate_low"]), 3),
                _round(_num(r["estimate_high"]), 3),
            ]
            for _, r in series[series["indicator"] == code].sort_values("year").iterrows()
        }
        for code in WGI_ORDER
    }

    name = country_name(iso3)
    lines = []
    if all(v["year"] is None for v in summary.values()):
        lines.append(f"WGI has no estimate for {esc(name)} up to {year_max}.")
        return values, [], [], lines
    pv = summary["pv"]
    lines.append(
        f"**Worldwide Governance Indicators** (World Bank, {values['release']}): the latest year "
        "is "
        f"{release_latest}, {values['years_behind_as_of']} years before the brief's as-of date "
        f"({values['as_of']}); nothing more recent is published. Estimates are in standard-normal "
        f"units (about −2.5 to 2.5, higher is better) with {WGI_BAND_PCT}% bands (±{WGI_Z} SE); "
        "compare bands, not points."
    )
    if pv["year"] is not None:
        change = ""
        if pv["change"] is not None:
            verdict = (
                "larger than the combined uncertainty, a significant change"
                if pv["significant"]
                else "within the combined uncertainty, not a significant change"
            )
            change = (
                f" Since {pv['base_year']} ({fmt_num(pv['base_estimate'], 2)}) it moved by "
                f"{_signed(pv['change'])} ({verdict}: ±{fmt_num(pv['change_threshold'], 2)})."
            )
        lines.append(
            f"Political stability and absence of violence: {fmt_num(pv['estimate'], 2)} in "
            f"{pv['year']} ({WGI_BAND_PCT}% band {fmt_num(pv['low'], 2)} to "
            f"{fmt_num(pv['high'], 2)}; "
            f"percentile rank {fmt_num(pv['pct_rank'], 1)}).{change}"
        )
    sig = [
        f"{WGI_SHORT[c].lower()} ({_signed(v['change'])} since {v['base_year']})"
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
    table = pd.DataFrame(
        [
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
                "change": _signed(v["change"]) if v["change"] is not None else "n/a",
                "± threshold": fmt_num(v["change_threshold"], 2),
                "significant": {True: "yes", False: "no", None: "n/a"}[v["significant"]],
            }
            for c, v in summary.items()
        ]
    )
    tables = [
        (
            f"WGI {release_latest}: estimate, {WGI_BAND_PCT}% band, percentile rank and change "
            "since "
            f"about {WGI_CHANGE_YEARS} years earlier (significant when |change| > "
            f"{WGI_Z}·√(SE₁²+SE₀²)).",
            table,
        )
    ]
    figures = [
        (
            f"WGI estimates of {name} over time with {WGI_BAND_PCT}% bands (same scale in every "
            "panel).",
            _wgi_time_figure(values["series"], name),
        ),
        (
            f"WGI {release_latest}: {name} and its peers, estimate and {WGI_BAND_PCT}% band "
            "(same scale).",
            _wgi_peer_figure(peers, iso3, release_latest),
        ),
    ]
    return values, tables, figures, lines


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _signed(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    return f"+{value:.{digits}f}" if value > 0 else f"{value:.{digits}f}"


def _wgi_time_figure(series: dict, name: str):
    fig, axes = figure(width=7.8, height=4.4, nrows=2, ncols=3, sharex=True, sharey=True)
    for ax, code in zip(np.asarray(axes).ravel(), WGI_ORDER, strict=True):
        pts = series[code]
        years = sorted(pts)
        est = np.array([pts[y][0] if pts[y][0] is not None else np.nan for y in years], dtype=float)
        lo = np.array([pts[y][1] if pts[y][1] is not None else np.nan for y in years], dtype=float)
        hi = np.array([pts[y][2] if pts[y][2] is not None else np.nan for y in years], dtype=float)
        if years:
            ax.fill_between(years, lo, hi, color="#9ecae1", alpha=0.6, lw=0)
            ax.plot(years, est, color="#08519c", lw=1.2, marker="o", ms=2)
        ax.axhline(0, color=NEUTRAL, lw=0.6)
        ax.set_title(WGI_SHORT[code], fontsize=9)
        ax.set_ylim(-2.5, 2.5)
    for ax in np.asarray(axes)[:, 0]:
        ax.set_ylabel("estimate (σ units)")
    fig.suptitle(
        f"{name}: WGI estimates with {WGI_BAND_PCT}% bands", fontsize=10, fontweight="bold"
    )
    return fig


def _wgi_peer_figure(peers: dict, iso3: str, year: int):
    countries = list(peers)
    fig, axes = figure(width=7.8, height=1.2 + 0.32 * len(countries), nrows=1, ncols=6, sharey=True)
    y = np.arange(len(countries))[::-1]
    for ax, code in zip(np.asarray(axes).ravel(), WGI_ORDER, strict=True):
        for yi, iso in zip(y, countries, strict=True):
            v = peers[iso][code]
            color = COUNTRY_COLORS.get(iso, ACCENT if iso == iso3 else NEUTRAL)
            if v["estimate"] is None:
                ax.text(0, yi, "n/a", ha="center", va="center", fontsize=7, color=NEUTRAL)
                continue
            ax.plot([v["low"], v["high"]], [yi, yi], color=color, lw=2.2, alpha=0.5)
            ax.plot(v["estimate"], yi, "o", color=color, ms=5 if iso == iso3 else 4)
        ax.axvline(0, color=NEUTRAL, lw=0.6)
        ax.set_xlim(-2.5, 2.5)
        ax.set_title(WGI_SHORT[code], fontsize=8)
        ax.set_xlabel("estimate", fontsize=8)
    ax0 = np.asarray(axes).ravel()[0]
    ax0.set_yticks(y, [f"{c} ◀" if c == iso3 else c for c in countries])
    fig.suptitle(
        f"WGI {year}: estimate and {WGI_BAND_PCT}% band by country", fontsize=10, fontweight="bold"
    )
    return fig


def _vdem_part(ctx: BriefContext) -> tuple[dict, list, list, list[str]]:
    ctx.use("vdem_ert")
    ert = _ert()
    iso3 = ctx.country_iso3
    name = country_name(iso3)
    rows = ert[ert["country_iso3"].eq(iso3).fillna(False) & (ert["year"] <= ctx.year_as_of)]
    rows = rows.sort_values("year")
    release_latest = int(ert["year"].max())
    if not len(rows):
        reason = f"V-Dem does not cover {name}"
        return (
            {
                "covered": False,
                "missing_reason": reason,
                "release": "ERT v15",
                "release_latest_year": release_latest,
            },
            [],
            [],
            [
                f"**Regime (V-Dem):** {esc(reason)} (V-Dem codes no regime type or democracy "
                "index for it)."
            ],
        )
    last = rows.iloc[-1]
    hist = rows[rows["year"] >= VDEM_SINCE]
    changes = []
    prev = None
    for _, r in rows[rows["year"] >= VDEM_SINCE - 1].iterrows():
        label = r["regime_label"] if pd.notna(r["regime_label"]) else None
        if prev is not None and label != prev and int(r["year"]) >= VDEM_SINCE:
            changes.append({"year": int(r["year"]), "from": prev, "to": label})
        prev = label
    eps = _episodes()
    eps = eps[eps["country_iso3"].eq(iso3).fillna(False)]
    latest_year = int(last["year"])
    episodes = []
    for _, e in eps.sort_values("start_year").iterrows():
        ongoing = bool(e["termination"] == "ongoing")
        recent = int(e["end_year"]) >= latest_year - RECENT_EPISODE_YEARS
        if e["start_year"] > latest_year:
            continue
        episodes.append(
            {
                "kind": e["kind"],
                "start_year": int(e["start_year"]),
                "end_year": int(e["end_year"]),
                "ongoing": ongoing,
                "recent": bool(recent),
                "termination": e["termination"] if pd.notna(e["termination"]) else None,
                "outcome": e["outcome"] if pd.notna(e["outcome"]) else None,
            }
        )
    values = {
        "covered": True,
        "release": "ERT v15",
        "release_latest_year": release_latest,
        "latest_year": latest_year,
        "regime_label": last["regime_label"] if pd.notna(last["regime_label"]) else None,
        "polyarchy": _num(last["polyarchy"]),
        "polyarchy_low": _num(last["polyarchy_low"]),
        "polyarchy_high": _num(last["polyarchy_high"]),
        "regime_changes_since_1990": changes,
        "episodes": episodes,
        "history": {
            int(r["year"]): {
                "regime_label": r["regime_label"] if pd.notna(r["regime_label"]) else None,
                "polyarchy": _num(r["polyarchy"]),
                "low": _num(r["polyarchy_low"]),
                "high": _num(r["polyarchy_high"]),
            }
            for _, r in hist.iterrows()
        },
        "since": VDEM_SINCE,
        "recent_episode_years": RECENT_EPISODE_YEARS,
        "scale": [0, 1],
    }
    lines = [
        f"**Regime (V-Dem ERT v15, to {release_latest}):** {esc(name)} was an "
        f"**{esc(values['regime_label'])}** in {latest_year} (Regimes of the World); electoral "
        f"democracy index {fmt_num(values['polyarchy'], 3)} (V-Dem interval "
        f"{fmt_num(values['polyarchy_low'], 3)}–{fmt_num(values['polyarchy_high'], 3)}, scale 0–1)."
    ]
    if changes:
        lines.append(
            f"Regime changes since {VDEM_SINCE}: "
            + "; ".join(f"{c['year']}: {esc(c['from'])} → {esc(c['to'])}" for c in changes)
            + "."
        )
    else:
        lines.append(f"The regime category has not changed since {VDEM_SINCE}.")
    live = [e for e in episodes if e["ongoing"] or e["recent"]]
    if live:
        parts = []
        for e in live:
            state = (
                "ongoing" if e["ongoing"] else f"ended {e['end_year']} ({esc(e['termination'])})"
            )
            outcome = f", outcome so far: {esc(e['outcome'])}" if e["outcome"] else ""
            parts.append(
                f"{e['kind']} episode {e['start_year']}–{e['end_year']} ({state}{outcome})"
            )
        lines.append(
            "Episodes of regime transformation (ongoing or ended in the last ten years): "
            + "; ".join(parts)
            + "."
        )
    else:
        lines.append(
            "No autocratization or democratization episode is ongoing or ended in the last ten "
            "years."
        )
    figures = [
        (
            f"V-Dem electoral democracy index of {name} since {VDEM_SINCE} with its interval; "
            "background: Regimes of the World category.",
            _vdem_figure(values["history"], name),
        )
    ]
    return values, [], figures, lines


def _vdem_figure(history: dict, name: str):
    fig, ax = figure(width=7.5, height=2.8)
    years = sorted(history)
    for y in years:
        label = history[y]["regime_label"]
        if label:
            ax.axvspan(y - 0.5, y + 0.5, color=REGIME_COLORS[label], alpha=0.25, lw=0)
    est = [history[y]["polyarchy"] for y in years]
    lo = [history[y]["low"] for y in years]
    hi = [history[y]["high"] for y in years]
    ax.fill_between(years, lo, hi, step="mid", color="#08519c", alpha=0.2, lw=0)
    ax.step(years, est, where="mid", color="#08519c", lw=1.4)
    ax.set_ylim(0, 1)
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.set_ylabel("electoral democracy (0–1)")
    ax.set_xlabel("year")
    handles = [Patch(color=c, alpha=0.4, label=k) for k, c in REGIME_COLORS.items()]
    ax.legend(handles=handles, loc="upper left", fontsize=7, ncols=4)
    ax.set_title(f"{name}: V-Dem polyarchy with interval; background = regime type", fontsize=9)
    return fig


def _coup_part(ctx: BriefContext) -> tuple[dict, list, list, list[str]]:
    ctx.use("coups_powell_thyne", "coups_cline")
    iso3 = ctx.country_iso3
    name = country_name(iso3)
    s = coup_summary(_coups(), iso3, ctx.as_of)
    s.update(
        {
            "pt_coverage_end": PT_COVERAGE_END,
            "cline_coverage_end_year": CLINE_COVERAGE_END_YEAR,
            "since": COUP_SINCE,
            "match_days": COUP_MATCH_DAYS,
            "as_of": ctx.as_of.strftime("%Y-%m-%d"),
        }
    )
    c = s["counts"]
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
            f"Matched within {COUP_MATCH_DAYS} days: {s['matched']} attempts appear in both, "
            f"{s['pt_only']} only in Powell & Thyne, {s['cline_only_attempts']} only in Cline."
        )
    la = s["last_attempt_any"]
    if la is None:
        lines.append(
            f"No coup attempt is recorded since {COUP_SINCE} in either dataset (Powell & Thyne to "
            f"{PT_COVERAGE_END}; Cline to {CLINE_COVERAGE_END_YEAR}); nothing after those dates "
            "is covered."
        )
    else:
        other = [
            f"{DATASET_LABELS[ds]}: {v['date']}, {v['category']}"
            if v
            else f"{DATASET_LABELS[ds]}: none recorded"
            for ds, v in s["last_attempt"].items()
            if ds != la["dataset"]
        ]
        lines.append(
            f"Last recorded attempt: {la['date']} ({DATASET_LABELS[la['dataset']]}, "
            f"{la['category']}), "
            f"{fmt_num(la['years_since'], 1)} years before {s['as_of']}; "
            + "; ".join(other)
            + f". Neither dataset covers events after {PT_COVERAGE_END}."
        )
    tables = []
    if s["events"]:
        tables.append(
            (
                f"Coup events in {name} by dataset (each dataset's own category; not merged).",
                pd.DataFrame(
                    [
                        {
                            "date": e["date"],
                            "dataset": DATASET_LABELS[e["dataset"]],
                            "event": e["category"],
                        }
                        for e in s["events"]
                    ]
                ),
            )
        )
    return s, tables, [], lines


def _ucdp_part(ctx: BriefContext) -> tuple[dict, list, list, list[str]]:
    ctx.use("ucdp_prio_acd", "ucdp_orgviolence_cy")
    iso3 = ctx.country_iso3
    name = country_name(iso3)
    acd = _acd()
    cy = _conflict_years()
    latest = int(min(acd["year"].max(), ctx.year_as_of))
    years = list(range(latest - UCDP_YEARS + 1, latest + 1))
    counts = conflict_counts(cy[cy["year"] <= latest], iso3, years)
    mine = cy[cy["country_iso3"].eq(iso3).fillna(False) & (cy["year"] == latest)]
    active = []
    for record, g in mine.groupby("acd_record", sort=True):
        r = acd.loc[record]
        roles = set(g["role"])
        role = (
            "primary party"
            if roles & set(PRIMARY_ROLES)
            else "secondary party"
            if roles & {"side_a_secondary", "side_b_secondary"}
            else "location only"
        )
        active.append(
            {
                "conflict_id": int(r["conflict_id"]),
                "location": r["location"],
                "side_a": r["side_a"],
                "side_b": r["side_b"],
                "type": r["type_of_conflict_label"],
                "incompatibility": r["incompatibility_label"],
                "territory": r["territory_name"] if pd.notna(r["territory_name"]) else None,
                "intensity": r["intensity_label"],
                "state_role": role,
                "on_territory": "location" in roles,
            }
        )
    active.sort(key=lambda a: (a["state_role"], a["conflict_id"]))
    n_primary = sum(a["state_role"] == "primary party" for a in active)
    base_year = latest - 5
    n_primary_base = (
        int(counts.at[base_year, "primary_party"]) if base_year in counts.index else None
    )
    ov = _orgvio()
    death_years = list(range(latest - DEATH_YEARS + 1, latest + 1))
    ovc = ov[ov["country_iso3"].eq(iso3).fillna(False) & ov["year"].isin(death_years)].set_index(
        "year"
    )
    deaths = {}
    for y in death_years:
        if y in ovc.index:
            r = ovc.loc[y]
            deaths[y] = {
                "state_based": int(r["sb_best_deaths"]),
                "non_state": int(r["ns_best_deaths"]),
                "one_sided": int(r["os_best_deaths"]),
                "total": int(r["orgvio_best_deaths"]),
            }
        else:
            deaths[y] = None
    covered = [d for d in deaths.values() if d is not None]
    totals = (
        {k: sum(d[k] for d in covered) for k in ("state_based", "non_state", "one_sided", "total")}
        if covered
        else None
    )
    values = {
        "release": "v25.1",
        "latest_year": latest,
        "years": [years[0], years[-1]],
        "conflicts_per_year": {
            int(y): {k: int(v) for k, v in row.items()} for y, row in counts.iterrows()
        },
        "conflict_years_location": int(counts["location"].sum()),
        "conflict_years_primary_party": int(counts["primary_party"].sum()),
        "years_with_primary_party": int((counts["primary_party"] > 0).sum()),
        "active_latest": active,
        "n_active_primary_latest": n_primary,
        "n_active_on_territory_latest": sum(a["on_territory"] for a in active),
        "n_active_secondary_latest": sum(a["state_role"] == "secondary party" for a in active),
        "n_primary_base_year": n_primary_base,
        "base_year": base_year,
        "deaths": deaths,
        "death_years": [death_years[0], death_years[-1]],
        "n_years": UCDP_YEARS,
        "death_n_years": DEATH_YEARS,
        "battle_deaths_threshold": 25,
        "deaths_total": totals,
        "deaths_missing_reason": None
        if covered
        else f"UCDP Organized Violence has no rows for {name}",
    }
    lines = [
        f"**Armed conflict (UCDP/PRIO ACD v25.1, to {latest}).** In {latest}, "
        f"{values['n_active_on_territory_latest']} armed conflicts were active on "
        f"{_possessive(esc(name))} "
        f"territory and the state was a primary party to {n_primary}"
        + (
            f" (and a secondary, supporting party to {values['n_active_secondary_latest']})"
            if values["n_active_secondary_latest"]
            else ""
        )
        + f". Over {years[0]}–{years[-1]}: {values['conflict_years_location']} conflict-years "
        f"located in the country and {values['conflict_years_primary_party']} with the state as a "
        f"primary party ({values['years_with_primary_party']} of {UCDP_YEARS} years)."
    ]
    if totals is not None:
        lines.append(
            f"Organized-violence deaths (UCDP best estimates), {death_years[0]}–{death_years[-1]}: "
            f"{fmt_num(totals['total'])} in total — state-based {fmt_num(totals['state_based'])}, "
            f"non-state {fmt_num(totals['non_state'])}, one-sided {fmt_num(totals['one_sided'])}; "
            f"{fmt_num(deaths[latest]['total'])} in {latest}."
            if deaths.get(latest)
            else ""
        )
    else:
        lines.append(f"Organized-violence deaths: {esc(values['deaths_missing_reason'])}.")
    tables = []  # table cells are HTML-escaped when rendered: raw text, no esc()
    if covered:
        tables.append(
            (
                f"UCDP organized-violence deaths in {name} by type (best estimates); zero is a "
                "recorded zero.",
                pd.DataFrame(
                    [
                        {
                            "year": y,
                            "state-based": fmt_num(d["state_based"]),
                            "non-state": fmt_num(d["non_state"]),
                            "one-sided": fmt_num(d["one_sided"]),
                            "total": fmt_num(d["total"]),
                        }
                        for y, d in deaths.items()
                        if d is not None
                    ]
                ),
            )
        )
    if active:
        tables.append(
            (
                f"UCDP armed conflicts active in {latest} involving {name} (as location or party); "
                "names as published by UCDP.",
                pd.DataFrame(
                    [
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
                        for a in active
                    ]
                ),
            )
        )
    figures = [
        (
            f"UCDP: conflicts per year involving {name} (last {UCDP_YEARS} years) and "
            f"organized-violence deaths by type (last {DEATH_YEARS} years, best estimates).",
            _ucdp_figure(values, name),
        )
    ]
    return values, tables, figures, lines


def _ucdp_figure(values: dict, name: str):
    fig, (ax1, ax2) = figure(width=7.8, height=3.0, nrows=1, ncols=2, width_ratios=[3, 2])
    per = values["conflicts_per_year"]
    years = sorted(per)
    loc = [per[y]["location"] for y in years]
    prim = [per[y]["primary_party"] for y in years]
    ax1.bar(np.array(years) - 0.2, loc, width=0.4, color="#9ecae1", label="on its territory")
    ax1.bar(np.array(years) + 0.2, prim, width=0.4, color="#08519c", label="state a primary party")
    ax1.set_ylabel("active conflicts")
    ax1.set_xlabel("year")
    ax1.set_ylim(0, max([1, *loc, *prim]) + 1)
    ax1.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax1.legend(fontsize=7, loc="upper left")
    ax1.set_title("Armed conflicts (UCDP/PRIO ACD)", fontsize=9)
    deaths = values["deaths"]
    dyears = sorted(deaths)
    bottom = np.zeros(len(dyears))
    colors = {"state_based": "#08519c", "non_state": "#fd8d3c", "one_sided": "#a50f15"}
    for k, color in colors.items():
        vals = np.array([deaths[y][k] if deaths[y] else np.nan for y in dyears], dtype=float)
        ax2.bar(dyears, np.nan_to_num(vals), bottom=bottom, color=color, label=k.replace("_", "-"))
        bottom = bottom + np.nan_to_num(vals)
    ax2.set_ylabel("deaths (best estimate)")
    ax2.set_xlabel("year")
    ax2.legend(fontsize=7, loc="upper right")
    ax2.set_title("Organized-violence deaths (UCDP)", fontsize=9)
    if not any(deaths.values()):
        ax2.text(0.5, 0.5, "no UCDP data", transform=ax2.transAxes, ha="center")
    fig.suptitle(f"{name}: armed conflict and organized violence", fontsize=10, fontweight="bold")
    return fig


def _key_figures(ctx: BriefContext, wgi: dict, coups: dict, ucdp: dict) -> list[dict]:
    name = country_name(ctx.country_iso3)
    figures = []
    pv = wgi["indicators"]["pv"]
    if pv["year"] is not None:
        if pv["change"] is not None:
            direction = "up" if pv["change"] > 0 else "down" if pv["change"] < 0 else "unchanged"
            change_text = (
                f"{direction} from {fmt_num(pv['base_estimate'], 2)} in {pv['base_year']} "
                f"({'beyond' if pv['significant'] else 'within'} the combined 90% uncertainty "
                f"±{fmt_num(pv['change_threshold'], 2)})"
            )
        else:
            change_text = None
        sentence = (
            f"{_possessive(name)} WGI political-stability score was {fmt_num(pv['estimate'], 2)} "
            f"in {pv['year']} "
            f"(90% band {fmt_num(pv['low'], 2)} to {fmt_num(pv['high'], 2)}; percentile rank "
            f"{fmt_num(pv['pct_rank'], 1)})"
            + (
                f", {'a significant' if pv['significant'] else 'not a significant'} change from "
                f"{fmt_num(pv['base_estimate'], 2)} in {pv['base_year']}"
                if pv["change"] is not None
                else ""
            )
            + f"; WGI's latest year is {wgi['release_latest_year']}."
        )
        figures.append(
            {
                "id": "wgi_political_stability",
                "label": f"WGI political stability ({pv['year']})",
                "value": pv["estimate"],
                "unit": "WGI estimate (σ units)",
                "interval": [pv["low"], pv["high"]],
                "interval_kind": "WGI 90% (±1.645 SE)",
                "change": pv["change"],
                "change_text": change_text,
                "significant": pv["significant"],
                "sentence": sentence,
            }
        )
    latest = ucdp["latest_year"]
    prim = [a for a in ucdp["active_latest"] if a["state_role"] == "primary party"]
    names = "; ".join(
        esc(a["side_b"]) if a["side_a"].startswith("Government of") else esc(a["side_a"])
        for a in prim
    )
    base = ucdp["n_primary_base_year"]
    figures.append(
        {
            "id": "ucdp_active_conflicts_primary_party",
            "label": f"Active UCDP conflicts with the state as primary party ({latest})",
            "value": ucdp["n_active_primary_latest"],
            "unit": "conflicts",
            "interval": None,
            "interval_kind": None,
            "change": base,
            "change_text": None if base is None else f"{base} in {ucdp['base_year']}",
            "significant": None,
            "sentence": (
                f"In {latest} (UCDP's latest year) the state of {name} was a primary party to "
                f"{ucdp['n_active_primary_latest']} active armed conflict"
                + ("s" if ucdp["n_active_primary_latest"] != 1 else "")
                + (f" (against {names})" if prim else "")
                + (f", compared with {base} in {ucdp['base_year']}" if base is not None else "")
                + "."
            ),
        }
    )
    la = coups["last_attempt_any"]
    if la is None:
        figures.append(
            {
                "id": "years_since_coup_attempt",
                "label": "Years since the last coup attempt",
                "value": None,
                "unit": "years",
                "interval": None,
                "interval_kind": None,
                "change": None,
                "change_text": f"none recorded since {COUP_SINCE}",
                "significant": None,
                "sentence": (
                    f"No coup attempt in {name} is recorded since {COUP_SINCE} (Powell & Thyne to "
                    f"{PT_COVERAGE_END}; Cline Center to {CLINE_COVERAGE_END_YEAR})."
                ),
            }
        )
    else:
        other = [(ds, v) for ds, v in coups["last_attempt"].items() if ds != la["dataset"]]
        other_text = "; ".join(
            f"{DATASET_LABELS[ds]}'s latest is {v['date']}"
            if v
            else f"{DATASET_LABELS[ds]} records none"
            for ds, v in other
        )
        figures.append(
            {
                "id": "years_since_coup_attempt",
                "label": "Years since the last coup attempt",
                "value": la["years_since"],
                "unit": "years",
                "interval": None,
                "interval_kind": None,
                "change": None,
                "change_text": f"last: {la['date']} ({DATASET_LABELS[la['dataset']]})",
                "significant": None,
                "sentence": (
                    f"The last coup attempt recorded in {name} was on {la['date']} "
                    f"({DATASET_LABELS[la['dataset']]}, {la['category']}), "
                    f"{fmt_num(la['years_since'], 1)} years before {coups['as_of']}; {other_text} "
                    f"(coup data end {PT_COVERAGE_END})."
                ),
            }
        )
    return figures


def governance_section(ctx: BriefContext) -> Section:
    """Build section 5: WGI, V-Dem regime, coups and UCDP conflict for the brief's country.

    Parameters
    ----------
    ctx : BriefContext
        The brief's parameters; every source read is recorded with
        :meth:`~osa_analysis.brief.context.BriefContext.use`. Data after ``as_of`` (or its
        year, for annual data) are left out.

    Returns
    -------
    Section
        Key ``"governance"``; ``values`` with ``wgi`` (per indicator: estimate, SE, band,
        percentile rank, year, change and significance; peers; series), ``vdem`` (regime,
        polyarchy and interval, regime changes, episodes; or ``covered`` False with the
        reason), ``coups`` (events, counts per dataset, last attempts), ``ucdp`` (conflicts
        per year, active conflicts, deaths) and ``key_figures`` (WGI political stability,
        active conflicts with the state as primary party, years since the last coup attempt).
    """
    parts = {}
    markdown: list[str] = []
    tables: list = []
    figures: list = []
    for key, build in (
        ("wgi", _wgi_part),
        ("vdem", _vdem_part),
        ("coups", _coup_part),
        ("ucdp", _ucdp_part),
    ):
        values, t, f, lines = build(ctx)
        parts[key] = values
        tables += t
        figures += f
        markdown.append(
            " ".join(line for line in lines[:1])
            + ("\n\n" + " ".join(lines[1:]) if len(lines) > 1 else "")
        )
    values = {
        **parts,
        "key_figures": _key_figures(ctx, parts["wgi"], parts["coups"], parts["ucdp"]),
    }
    values["country"] = ctx.country_iso3
    caveats = [
        f"WGI estimates are rounded to 2 decimals in the registered file; bands are good to about "
        f"±0.01. WGI's latest year ({parts['wgi']['release_latest_year']}) lags the brief's date.",
        "V-Dem and WGI are expert- and survey-based measures with their own uncertainty; the "
        "intervals shown are the sources' own.",
        f"Coup lists stop at {PT_COVERAGE_END} (Powell & Thyne) and {CLINE_COVERAGE_END_YEAR} "
        "(Cline): later events are not covered. Only dates and categories are shown (both lists "
        "are internal-use sources).",
        "UCDP counts conflicts with at least 25 battle-related deaths in a year; lower-level "
        "violence and maritime incidents are outside it.",
    ]
    return Section(
        key="governance",
        title="5. Governance and stability",
        markdown="\n\n".join(m for m in markdown if m),
        figures=figures,
        tables=tables,
        values=values,
        sources=list(SOURCES),
        caveats=caveats,
    )
