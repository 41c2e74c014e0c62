"""The indicators of the criterion matrix for one state, one function per source.

Each function returns indicator records (:func:`~.records.indicator_record`) by name.
Annual sources count a year as observed when its 31 December is on or before ``as_of``
(:func:`osa_analysis.core.dates.complete_year`); ``shift_years`` evaluates them that many
years before each source's latest year (the trend of the criterion matrix). Values carried
forward within the configured look-back are flagged; missing ones say why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from osa_analysis.analyse.diversion.data import (
    DiversionTables,
    coup_data_end,
    coups_between,
    grayzone_applicable,
    grayzone_counts,
    latest_population,
    primary_conflicts,
    ucdp_states,
    ucdp_year,
)
from osa_analysis.analyse.diversion.records import indicator_record, number_or_none
from osa_analysis.analyse.diversion.vocabulary import (
    INTERSTATE,
    INTRASTATE,
    REGIME_LABELS,
    WAR_INTENSITY,
)
from osa_analysis.core.countries import country_name
from osa_analysis.core.dates import complete_year

Config = Mapping[str, Any]

CONFLICT_INDICATORS = (
    "ucdp_primary_any",
    "ucdp_primary_intrastate",
    "ucdp_primary_interstate",
    "ucdp_primary_war",
    "ucdp_interstate_years_10y",
)
"""Indicators from the UCDP/PRIO ACD."""
VIOLENCE_INDICATORS = (
    "sb_deaths_per_million",
    "gov_osv_deaths",
    "gov_osv_per_million",
    "gov_osv_years_5y",
    "gov_osv_conflict_years_5y",
)
"""Indicators from UCDP Organized Violence."""
WGI_CODES = ("pv", "rl", "cc", "ge")
"""WGI dimensions used (political stability, rule of law, control of corruption, government
effectiveness)."""


def country_indicators(
    iso3: str,
    as_of: pd.Timestamp,
    shift_years: int,
    tables: DiversionTables,
    config: Config,
) -> dict[str, dict]:
    """Compute every indicator of the criterion matrix for one state.

    Parameters
    ----------
    iso3 : str
        Any state in the data.
    as_of : pandas.Timestamp
        Nothing observed after this date is used (annual sources: years whose 31 December
        is on or before it).
    shift_years : int
        Evaluate at each source's latest year minus this (for the trend).
    tables : DiversionTables
    config : Mapping
        :func:`~.config.load_config`.

    Returns
    -------
    dict
        Indicator name (:data:`~.vocabulary.INDICATORS`) → record with ``value``, ``low``,
        ``high``, ``year``, ``status`` (ok, carried forward, missing, not applicable, no
        history), ``note`` (reason when missing), ``text`` (evidence phrase) and
        indicator-specific details.
    """
    iso3 = iso3.upper()
    return {
        **ucdp_indicators(tables, iso3, as_of, shift_years, config),
        **vdem_indicators(tables, iso3, as_of, shift_years, config),
        **wgi_indicators(tables, iso3, as_of, shift_years, config),
        "coup_attempts_10y": coup_indicator(tables, iso3, as_of, shift_years, config),
        "grayzone_mean_3y": grayzone_indicator(tables, iso3, as_of, shift_years, config),
        "legal_unsc_measures": legal_indicator(iso3, shift_years, config),
    }


# --------------------------------------------------------------------------------------------
# UCDP armed conflict and organized violence
# --------------------------------------------------------------------------------------------


def ucdp_indicators(
    tables: DiversionTables, iso3: str, as_of: pd.Timestamp, shift_years: int, cfg: Config
) -> dict[str, dict]:
    """Conflict and violence indicators (missing for a state UCDP does not list that year)."""
    year = ucdp_year(tables, as_of) - shift_years
    ov = tables.orgvio
    ov_rows = ov[ov["country_iso3"].eq(iso3).fillna(False).to_numpy()].set_index("year")
    if iso3 not in ucdp_states(tables) or year not in ov_rows.index:
        reason = f"UCDP does not list {country_name(iso3)} as a state in {year}"
        return {
            n: indicator_record(n, status="missing", note=reason, year=year)
            for n in (*CONFLICT_INDICATORS, *VIOLENCE_INDICATORS)
        }
    return {
        **conflict_indicators(tables, iso3, year),
        **violence_indicators(tables, iso3, year, ov_rows.loc[year], cfg),
        **violence_year_indicators(tables, iso3, year, ov_rows),
    }


def conflict_indicators(tables: DiversionTables, iso3: str, year: int) -> dict[str, dict]:
    """Active conflicts with the state as primary party in ``year``, by kind; interstate years.

    ``ucdp_interstate_years_10y`` counts the years of ``year - 9`` … ``year`` with an
    interstate conflict.
    """
    conflicts = primary_conflicts(tables, iso3, year)
    kinds = {
        "ucdp_primary_any": conflicts,
        "ucdp_primary_intrastate": [c for c in conflicts if c["type_of_conflict"] in INTRASTATE],
        "ucdp_primary_interstate": [c for c in conflicts if c["type_of_conflict"] == INTERSTATE],
        "ucdp_primary_war": [c for c in conflicts if c["intensity_level"] == WAR_INTENSITY],
    }
    out = {
        n: indicator_record(n, len(listed), year=year, conflicts=listed)
        for n, listed in kinds.items()
    }
    years10 = list(range(year - 9, year + 1))
    inter_years = [
        y
        for y in years10
        if any(c["type_of_conflict"] == INTERSTATE for c in primary_conflicts(tables, iso3, y))
    ]
    out["ucdp_interstate_years_10y"] = indicator_record(
        "ucdp_interstate_years_10y",
        len(inter_years),
        year=year,
        first_year=years10[0],
        years_with=inter_years,
    )
    return out


def violence_indicators(
    tables: DiversionTables, iso3: str, year: int, row: pd.Series, cfg: Config
) -> dict[str, dict]:
    """Government one-sided violence deaths, and deaths per million people.

    Parameters
    ----------
    row : pandas.Series
        The state's UCDP Organized Violence row of ``year``.
    """
    lookback = cfg["data"]["population_lookback_years"]
    pop, pop_year = latest_population(tables, iso3, year, lookback)
    osv = int(row["os_main_govt_best_deaths"])
    osv_low, osv_high = int(row["os_main_govt_low_deaths"]), int(row["os_main_govt_high_deaths"])
    out = {
        "gov_osv_deaths": indicator_record(
            "gov_osv_deaths", osv, low=osv_low, high=osv_high, year=year
        )
    }
    deaths = {
        "gov_osv_per_million": (osv, osv_low, osv_high),
        "sb_deaths_per_million": (
            int(row["sb_best_deaths"]),
            int(row["sb_low_deaths"]),
            int(row["sb_high_deaths"]),
        ),
    }
    for name, (best, low, high) in deaths.items():
        if pop is None:
            out[name] = indicator_record(
                name,
                status="missing",
                year=year,
                note=(
                    f"no World Bank population for {country_name(iso3)} within "
                    f"{lookback} years of {year}"
                ),
            )
            continue
        per = 1e6 / pop
        out[name] = indicator_record(
            name,
            best * per,
            low=low * per,
            high=high * per,
            year=year,
            deaths=best,
            population_millions=pop / 1e6,
            population_year=pop_year,
            population_carried=pop_year < year,
        )
    return out


def violence_year_indicators(
    tables: DiversionTables, iso3: str, year: int, ov_rows: pd.DataFrame
) -> dict[str, dict]:
    """Years of the last five with government one-sided violence (and during conflict).

    Parameters
    ----------
    ov_rows : pandas.DataFrame
        The state's UCDP Organized Violence rows, indexed by year.
    """
    years5 = list(range(year - 4, year + 1))
    have = [y for y in years5 if y in ov_rows.index]
    names = ("gov_osv_years_5y", "gov_osv_conflict_years_5y")
    if len(have) < len(years5):
        note = (
            f"UCDP has {country_name(iso3)} for only {len(have)} of the years "
            f"{years5[0]}–{years5[-1]}"
        )
        return {n: indicator_record(n, status="missing", note=note, year=year) for n in names}
    osv_years = [y for y in years5 if int(ov_rows.at[y, "os_main_govt_best_deaths"]) >= 1]
    in_conflict = [y for y in osv_years if primary_conflicts(tables, iso3, y)]
    return {
        n: indicator_record(n, len(listed), year=year, first_year=years5[0], years_with=listed)
        for n, listed in zip(names, (osv_years, in_conflict), strict=True)
    }


# --------------------------------------------------------------------------------------------
# V-Dem, WGI, coups, gray-zone events, legal flag
# --------------------------------------------------------------------------------------------


def vdem_indicators(
    tables: DiversionTables, iso3: str, as_of: pd.Timestamp, shift_years: int, cfg: Config
) -> dict[str, dict]:
    """V-Dem regime type and autocratization episode (latest year within the look-back)."""
    ert = tables.ert
    year = complete_year(int(ert["year"].max()), as_of) - shift_years
    lookback = cfg["data"]["vdem_lookback_years"]
    rows = ert[
        ert["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & (ert["year"] <= year).to_numpy()
        & (ert["year"] >= year - lookback).to_numpy()
    ].dropna(subset=["regime"])
    if not len(rows):
        name = country_name(iso3)
        covered = bool(ert["country_iso3"].eq(iso3).fillna(False).any())
        reason = (
            f"V-Dem has no regime code for {name} in {year - lookback}–{year}"
            if covered
            else f"V-Dem does not cover {name}"
        )
        return {
            n: indicator_record(n, status="missing", note=reason, year=year)
            for n in ("vdem_regime", "vdem_autocratization")
        }
    last = rows.sort_values("year").iloc[-1]
    status = "ok" if int(last["year"]) == year else "carried forward"
    regime = int(last["regime"])
    aut = bool(last["aut_ep"])
    start = last.get("aut_ep_start_year")
    return {
        "vdem_regime": indicator_record(
            "vdem_regime",
            regime,
            year=int(last["year"]),
            status=status,
            regime_label=REGIME_LABELS[regime],
            polyarchy=number_or_none(last["polyarchy"]),
            polyarchy_low=number_or_none(last["polyarchy_low"]),
            polyarchy_high=number_or_none(last["polyarchy_high"]),
        ),
        "vdem_autocratization": indicator_record(
            "vdem_autocratization",
            int(aut),
            year=int(last["year"]),
            status=status,
            episode_start=int(start) if aut and pd.notna(start) else None,
        ),
    }


def wgi_indicators(
    tables: DiversionTables, iso3: str, as_of: pd.Timestamp, shift_years: int, cfg: Config
) -> dict[str, dict]:
    """WGI estimates with their 90% band (``± wgi_z`` standard errors), by dimension."""
    wgi = tables.wgi
    year = complete_year(int(wgi["year"].max()), as_of) - shift_years
    lookback = cfg["data"]["wgi_lookback_years"]
    z = cfg["tripwires"]["wgi_z"]
    mine = wgi[wgi["country_iso3"].eq(iso3).fillna(False).to_numpy()].dropna(subset=["estimate"])
    out = {}
    for code in WGI_CODES:
        n = f"wgi_{code}"
        rows = mine[
            (mine["indicator"] == code).to_numpy()
            & (mine["year"] <= year).to_numpy()
            & (mine["year"] >= year - lookback).to_numpy()
        ]
        if not len(rows):
            out[n] = indicator_record(
                n,
                status="missing",
                year=year,
                note=f"WGI has no estimate for {country_name(iso3)} in {year - lookback}–{year}",
            )
            continue
        last = rows.sort_values("year").iloc[-1]
        est, se = float(last["estimate"]), number_or_none(last["std_error"])
        out[n] = indicator_record(
            n,
            est,
            low=None if se is None else est - z * se,
            high=None if se is None else est + z * se,
            year=int(last["year"]),
            status="ok" if int(last["year"]) == year else "carried forward",
            std_error=se,
        )
    return out


def coup_indicator(
    tables: DiversionTables, iso3: str, as_of: pd.Timestamp, shift_years: int, cfg: Config
) -> dict:
    """Powell & Thyne coup attempts in the 10 years to the coup data end."""
    end = coup_data_end(as_of, cfg) - pd.DateOffset(years=shift_years)
    start = end - pd.DateOffset(years=10)
    attempts = coups_between(tables, iso3, start, end)
    return indicator_record(
        "coup_attempts_10y",
        len(attempts),
        year=int(end.year),
        window=[(start + pd.Timedelta(days=1)).strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")],
        dates=sorted(d.strftime("%Y-%m-%d") for d in attempts["date"]),
    )


def grayzone_indicator(
    tables: DiversionTables, iso3: str, as_of: pd.Timestamp, shift_years: int, cfg: Config
) -> dict:
    """Mean SCSDI gray-zone events a year with the state as actor over three years."""
    data_cfg = cfg["data"]
    if not grayzone_applicable(tables, iso3, as_of, cfg):
        return indicator_record(
            "grayzone_mean_3y",
            status="not applicable",
            note=(
                f"not a South China Sea claimant and fewer than {data_cfg['grayzone_min_events']} "
                "SCSDI events with it as an actor"
            ),
        )
    last = complete_year(data_cfg["scsdi_coverage_end_year"], as_of) - shift_years
    first = last - 2
    if first < data_cfg["scsdi_coverage_start_year"]:
        return indicator_record(
            "grayzone_mean_3y",
            status="missing",
            year=last,
            note=f"SCSDI starts in {data_cfg['scsdi_coverage_start_year']}",
        )
    counts = grayzone_counts(tables, iso3, first, last, as_of)
    return indicator_record(
        "grayzone_mean_3y",
        sum(counts.values()) / 3,
        year=last,
        first_year=first,
        counts=counts,
    )


def legal_indicator(iso3: str, shift_years: int, cfg: Config) -> dict:
    """Return the curated UN Security Council flag (no history: missing for the trend)."""
    legal = cfg["legal_party_to_conflict"]
    if shift_years:
        return indicator_record(
            "legal_unsc_measures",
            status="no history",
            note="curated current flag; no history is kept",
        )
    flagged = legal.get("flagged") or {}
    return indicator_record(
        "legal_unsc_measures",
        int(bool(flagged.get(iso3, legal["default"]))),
        listed=iso3 in flagged,
    )
