"""Governance and stability: WGI, V-Dem regime and episodes, coups, UCDP armed conflict.

Every figure keeps its source's own uncertainty or coverage:

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

Entry point: :func:`governance` (a :class:`GovernanceResult` whose four parts are the
section's ``summary.json`` values); the parts are pure functions of tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore
from osa_analysis.core.countries import country_name
from osa_analysis.core.dates import iso_date, years_between
from osa_analysis.sources.loaders.indicators import wgi_interval

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
"""Registry ids the governance section reads."""

PRIMARY_ROLES = ("side_a_primary", "side_b_primary")
SECONDARY_ROLES = ("side_a_secondary", "side_b_secondary")
CLINE_CATEGORIES = {
    "coup": "realized coup",
    "attempted": "attempted coup",
    "conspiracy": "conspiracy",
}
DEATH_KINDS = {
    "state_based": "sb_best_deaths",
    "non_state": "ns_best_deaths",
    "one_sided": "os_best_deaths",
    "total": "orgvio_best_deaths",
}
"""Organized-violence death counts by kind: result key → UCDP column."""


@dataclass(frozen=True)
class GovernanceResult:
    """Governance and stability of one country at ``as_of``.

    Attributes
    ----------
    wgi : dict
        :func:`wgi_values`.
    vdem : dict
        :func:`vdem_values`.
    coups : dict
        :func:`coup_values`.
    ucdp : dict
        :func:`ucdp_values`.
    """

    wgi: dict
    vdem: dict
    coups: dict
    ucdp: dict


def governance(scope: Scope, tables: TableStore) -> GovernanceResult:
    """Compute every part of the governance section for ``scope``.

    Parameters
    ----------
    scope : Scope
        The country, ``as_of`` (nothing after it, or after its year for annual data) and
        the peers of the WGI comparison.
    tables : TableStore
        Reads ``wgi``, ``vdem_ert``, ``vdem_episodes``, ``coups``, ``ucdp_acd``,
        ``ucdp_conflict_years`` and ``ucdp_orgvio``.

    Returns
    -------
    GovernanceResult
    """
    return GovernanceResult(
        wgi=wgi_values(wgi_interval(tables.get("wgi"), z=WGI_Z), scope),
        vdem=vdem_values(tables.get("vdem_ert"), tables.get("vdem_episodes"), scope),
        coups=coup_values(tables.get("coups"), scope),
        ucdp=ucdp_values(
            tables.get("ucdp_acd"),
            tables.get("ucdp_conflict_years"),
            tables.get("ucdp_orgvio"),
            scope,
        ),
    )


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# --------------------------------------------------------------------------- WGI

_WGI_FIELDS = (
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


def _wgi_entry(ind: pd.DataFrame, code: str, change_years: int, z: float) -> dict:
    entry: dict = dict.fromkeys(_WGI_FIELDS)
    entry["name"] = WGI_SHORT[code]
    if not len(ind):
        return entry
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
    if not len(base):
        return entry
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
    return entry


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
        :func:`~osa_analysis.sources.loaders.indicators.load_wgi` output with
        ``estimate_low`` and ``estimate_high``
        (:func:`~osa_analysis.sources.loaders.indicators.wgi_interval`).
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
    return {
        code: _wgi_entry(rows[rows["indicator"] == code].sort_values("year"), code, change_years, z)
        for code in WGI_ORDER
    }


def _wgi_peers(wgi: pd.DataFrame, countries: tuple[str, ...], year: int) -> dict:
    latest = wgi[(wgi["year"] == year) & wgi["country_iso3"].isin(countries)]
    peers: dict = {}
    for iso in countries:
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
    return peers


def _wgi_series(wgi: pd.DataFrame, iso3: str, year_max: int) -> dict:
    series = wgi[wgi["country_iso3"].eq(iso3).fillna(False) & (wgi["year"] <= year_max)]
    return {
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


def wgi_values(wgi: pd.DataFrame, scope: Scope) -> dict:
    """WGI part of the section: the country's indicators, its peers and its series.

    Parameters
    ----------
    wgi : pandas.DataFrame
        WGI with bands at :data:`WGI_Z` (:func:`wgi_interval`).
    scope : Scope

    Returns
    -------
    dict
        ``release``, ``release_latest_year`` (latest WGI year not after ``as_of``'s),
        ``as_of``, ``years_behind_as_of``, ``z``, ``band_pct``, ``change_years``,
        ``precision``, ``scale``, ``rounding``, ``rounding_decimals``, ``indicators``
        (:func:`wgi_summary`), ``peers`` (each country's estimate and band per indicator in
        the latest year), ``peers_year`` and ``series`` (indicator → year → estimate, low,
        high).
    """
    year_max = scope.year
    release_latest = int(wgi.loc[wgi["year"] <= year_max, "year"].max())
    return {
        "release": "2024 update",
        "release_latest_year": release_latest,
        "as_of": scope.as_of_text,
        "years_behind_as_of": year_max - release_latest,
        "z": WGI_Z,
        "band_pct": WGI_BAND_PCT,
        "change_years": WGI_CHANGE_YEARS,
        "precision": wgi.attrs.get("precision"),
        "scale": [-2.5, 2.5],
        "rounding": 0.01,
        "rounding_decimals": 2,
        "indicators": wgi_summary(wgi, scope.country_iso3, year_max),
        "peers": _wgi_peers(wgi, scope.countries, release_latest),
        "peers_year": release_latest,
        "series": _wgi_series(wgi, scope.country_iso3, year_max),
    }


# --------------------------------------------------------------------------- V-Dem


def regime_changes(rows: pd.DataFrame, since: int = VDEM_SINCE) -> list[dict]:
    """Return the Regimes of the World label changes from ``since`` on (year, from, to)."""
    changes = []
    prev = None
    for _, r in rows[rows["year"] >= since - 1].iterrows():
        label = r["regime_label"] if pd.notna(r["regime_label"]) else None
        if prev is not None and label != prev and int(r["year"]) >= since:
            changes.append({"year": int(r["year"]), "from": prev, "to": label})
        prev = label
    return changes


def regime_episodes(episodes: pd.DataFrame, iso3: str, latest_year: int) -> list[dict]:
    """Return the country's V-Dem episodes that started by ``latest_year``, oldest first."""
    eps = episodes[episodes["country_iso3"].eq(iso3).fillna(False)]
    out = []
    for _, e in eps.sort_values("start_year").iterrows():
        if e["start_year"] > latest_year:
            continue
        out.append(
            {
                "kind": e["kind"],
                "start_year": int(e["start_year"]),
                "end_year": int(e["end_year"]),
                "ongoing": bool(e["termination"] == "ongoing"),
                "recent": bool(int(e["end_year"]) >= latest_year - RECENT_EPISODE_YEARS),
                "termination": e["termination"] if pd.notna(e["termination"]) else None,
                "outcome": e["outcome"] if pd.notna(e["outcome"]) else None,
            }
        )
    return out


def vdem_values(ert: pd.DataFrame, episodes: pd.DataFrame, scope: Scope) -> dict:
    """V-Dem part: regime, electoral democracy index, changes and episodes.

    Parameters
    ----------
    ert : pandas.DataFrame
        V-Dem ERT country-years (table ``vdem_ert``).
    episodes : pandas.DataFrame
        :func:`~osa_analysis.sources.loaders.governance.vdem_episodes` (``vdem_episodes``).
    scope : Scope

    Returns
    -------
    dict
        ``covered`` False with ``missing_reason`` when V-Dem has no row for the country;
        else ``latest_year``, ``regime_label``, ``polyarchy`` with ``polyarchy_low`` /
        ``polyarchy_high``, ``regime_changes_since_1990``, ``episodes``, ``history`` (year →
        label, index and interval, from :data:`VDEM_SINCE`) and the constants shown.
    """
    iso3 = scope.country_iso3
    rows = ert[ert["country_iso3"].eq(iso3).fillna(False) & (ert["year"] <= scope.year)]
    rows = rows.sort_values("year")
    release_latest = int(ert["year"].max())
    if not len(rows):
        return {
            "covered": False,
            "missing_reason": f"V-Dem does not cover {country_name(iso3)}",
            "release": "ERT v15",
            "release_latest_year": release_latest,
        }
    last = rows.iloc[-1]
    latest_year = int(last["year"])
    return {
        "covered": True,
        "release": "ERT v15",
        "release_latest_year": release_latest,
        "latest_year": latest_year,
        "regime_label": last["regime_label"] if pd.notna(last["regime_label"]) else None,
        "polyarchy": _num(last["polyarchy"]),
        "polyarchy_low": _num(last["polyarchy_low"]),
        "polyarchy_high": _num(last["polyarchy_high"]),
        "regime_changes_since_1990": regime_changes(rows),
        "episodes": regime_episodes(episodes, iso3, latest_year),
        "history": {
            int(r["year"]): {
                "regime_label": r["regime_label"] if pd.notna(r["regime_label"]) else None,
                "polyarchy": _num(r["polyarchy"]),
                "low": _num(r["polyarchy_low"]),
                "high": _num(r["polyarchy_high"]),
            }
            for _, r in rows[rows["year"] >= VDEM_SINCE].iterrows()
        },
        "since": VDEM_SINCE,
        "recent_episode_years": RECENT_EPISODE_YEARS,
        "scale": [0, 1],
    }


# --------------------------------------------------------------------------- coups


def _coup_rows(mine: pd.DataFrame) -> list[dict]:
    rows = []
    for _, e in mine.iterrows():
        if e["source"] == "coups_powell_thyne":
            category, attempt = f"{e['outcome']} coup attempt", True
        else:
            category, attempt = CLINE_CATEGORIES[e["event_type"]], e["event_type"] != "conspiracy"
        # the stacked table keeps the day-precise date only; otherwise the year is shown
        known = pd.notna(e["date"])
        rows.append(
            {
                "date": e["date"].strftime("%Y-%m-%d") if known else f"{int(e['year'])}",
                "timestamp": e["date"] if known else pd.Timestamp(int(e["year"]), 7, 1),
                "dataset": e["source"],
                "category": category,
                "attempt": attempt,
            }
        )
    return rows


def _coup_counts(rows: list[dict]) -> dict:
    pt = [r["category"] for r in rows if r["dataset"] == "coups_powell_thyne"]
    cline = [r["category"] for r in rows if r["dataset"] == "coups_cline"]
    return {
        "coups_powell_thyne": {
            "successful": pt.count("successful coup attempt"),
            "failed": pt.count("failed coup attempt"),
        },
        "coups_cline": {
            k: sum(c == f"{k} coup" or c == k for c in cline)
            for k in ("realized", "attempted", "conspiracy")
        },
    }


def _last_attempts(rows: list[dict], as_of: pd.Timestamp) -> dict:
    last: dict = {}
    for ds in ("coups_powell_thyne", "coups_cline"):
        attempts = [r for r in rows if r["dataset"] == ds and r["attempt"]]
        if not attempts:
            last[ds] = None
            continue
        r = max(attempts, key=lambda r: r["timestamp"])
        last[ds] = {
            "date": r["date"],
            "category": r["category"],
            "years_since": years_between(r["timestamp"], as_of),
        }
    return last


def coup_summary(events: pd.DataFrame, iso3: str, as_of: pd.Timestamp) -> dict:
    """Coup events of a country in both datasets, counted and dated separately.

    Parameters
    ----------
    events : pandas.DataFrame
        :func:`~osa_analysis.sources.loaders.coups.coup_events` output.
    iso3 : str
    as_of : pandas.Timestamp
        Events after this date are ignored.

    Returns
    -------
    dict
        ``events`` (list of dicts: ``date`` (ISO, or ``YYYY`` when the day is unknown),
        ``dataset``, ``category``, ``attempt`` (bool: a coup attempt, successful or not;
        Cline conspiracies are not attempts)), ``counts`` per dataset, ``last_attempt`` per
        dataset (``date``, ``category``, ``years_since``), ``last_attempt_any`` (the most
        recent in either; None if none), ``matched`` / ``pt_only`` / ``cline_only_attempts``
        (attempts in both datasets within :data:`COUP_MATCH_DAYS` days, or in one only).
    """
    mine = events[events["country_iso3"].eq(iso3).fillna(False)]
    # events with an unknown day are kept if their year/month is not after as_of
    known = mine["date"].notna()
    mine = mine[
        (known & (mine["date"] <= as_of))
        | (~known & (mine["year"] < as_of.year))
        | (~known & (mine["year"] == as_of.year) & mine["date_precision"].eq("year"))
    ]
    rows = _coup_rows(mine)
    last = _last_attempts(rows, as_of)
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
        "counts": _coup_counts(rows),
        "last_attempt": last,
        "last_attempt_any": last_any,
        "matched": matched,
        "pt_only": len(pt) - matched,
        "cline_only_attempts": len(cl) - len(used),
    }


def coup_values(coups: pd.DataFrame, scope: Scope) -> dict:
    """Coup part: :func:`coup_summary` plus the coverage of both datasets."""
    return {
        **coup_summary(coups, scope.country_iso3, scope.as_of),
        "pt_coverage_end": PT_COVERAGE_END,
        "cline_coverage_end_year": CLINE_COVERAGE_END_YEAR,
        "since": COUP_SINCE,
        "match_days": COUP_MATCH_DAYS,
        "as_of": iso_date(scope.as_of),
    }


# --------------------------------------------------------------------------- UCDP


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
        "secondary_party": mine[mine["role"].isin(SECONDARY_ROLES)],
    }
    out = pd.DataFrame(index=pd.Index(years, name="year"))
    for name, rows in groups.items():
        out[name] = rows.groupby("year")["conflict_id"].nunique().reindex(years, fill_value=0)
    return out.fillna(0).astype("int64")


def active_conflicts(
    acd: pd.DataFrame, conflict_years: pd.DataFrame, iso3: str, year: int
) -> list[dict]:
    """UCDP conflicts active in ``year`` with the country as location or party.

    Each: ``conflict_id``, ``location``, ``side_a``, ``side_b``, ``type``,
    ``incompatibility``, ``territory``, ``intensity``, ``state_role`` (primary party,
    secondary party or location only) and ``on_territory``; ordered by role and id.
    """
    mine = conflict_years[
        conflict_years["country_iso3"].eq(iso3).fillna(False) & (conflict_years["year"] == year)
    ]
    active = []
    for record, g in mine.groupby("acd_record", sort=True):
        r = acd.loc[record]
        roles = set(g["role"])
        if roles & set(PRIMARY_ROLES):
            role = "primary party"
        elif roles & set(SECONDARY_ROLES):
            role = "secondary party"
        else:
            role = "location only"
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
    return active


def violence_deaths(orgvio: pd.DataFrame, iso3: str, years: list[int]) -> dict:
    """Organized-violence deaths per year by kind (:data:`DEATH_KINDS`); None without a row."""
    rows = orgvio[orgvio["country_iso3"].eq(iso3).fillna(False) & orgvio["year"].isin(years)]
    rows = rows.set_index("year")
    return {
        y: {k: int(rows.loc[y, col]) for k, col in DEATH_KINDS.items()} if y in rows.index else None
        for y in years
    }


def ucdp_values(
    acd: pd.DataFrame,
    conflict_years: pd.DataFrame,
    orgvio: pd.DataFrame,
    scope: Scope,
) -> dict:
    """UCDP part: conflicts per year, conflicts active in the latest year, deaths by kind.

    Parameters
    ----------
    acd, conflict_years, orgvio : pandas.DataFrame
        Tables ``ucdp_acd``, ``ucdp_conflict_years`` and ``ucdp_orgvio`` of the store.
    scope : Scope

    Returns
    -------
    dict
        ``latest_year`` (UCDP's latest year not after ``as_of``'s), ``conflicts_per_year``
        over :data:`UCDP_YEARS` years, the conflict-year totals, ``active_latest``
        (:func:`active_conflicts`) and their counts by role, the primary-party count five
        years earlier, ``deaths`` per year over :data:`DEATH_YEARS` years with their
        ``deaths_total`` (None with ``deaths_missing_reason`` when UCDP has no row).
    """
    iso3 = scope.country_iso3
    latest = int(min(acd["year"].max(), scope.year))
    years = list(range(latest - UCDP_YEARS + 1, latest + 1))
    counts = conflict_counts(conflict_years[conflict_years["year"] <= latest], iso3, years)
    active = active_conflicts(acd, conflict_years, iso3, latest)
    base_year = latest - 5
    death_years = list(range(latest - DEATH_YEARS + 1, latest + 1))
    deaths = violence_deaths(orgvio, iso3, death_years)
    covered = [d for d in deaths.values() if d is not None]
    return {
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
        "n_active_primary_latest": sum(a["state_role"] == "primary party" for a in active),
        "n_active_on_territory_latest": sum(a["on_territory"] for a in active),
        "n_active_secondary_latest": sum(a["state_role"] == "secondary party" for a in active),
        "n_primary_base_year": (
            int(counts.at[base_year, "primary_party"]) if base_year in counts.index else None
        ),
        "base_year": base_year,
        "deaths": deaths,
        "death_years": [death_years[0], death_years[-1]],
        "n_years": UCDP_YEARS,
        "death_n_years": DEATH_YEARS,
        "battle_deaths_threshold": 25,
        "deaths_total": ({k: sum(d[k] for d in covered) for k in DEATH_KINDS} if covered else None),
        "deaths_missing_reason": (
            None if covered else f"UCDP Organized Violence has no rows for {country_name(iso3)}"
        ),
    }
