"""The country-year panel of the backtest: events, window outcomes and features at an origin.

Everything here is computed from the full tables once, with trailing windows only: a value
of year ``t`` (a feature, a persistence forecast) reads years ``≤ t``; an outcome of
origin ``t`` reads the years ``t+1 … t+k`` of its window and nothing else. The test suite
checks both against tables cut at the origin.

Universe: the states UCDP Organized Violence lists in a year (a complete panel of
independent states from 1989), so every kind is scored on the same country-years.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from osa_analysis.analyse.diversion.data import DiversionTables
from osa_analysis.analyse.diversion.reference import interstate_onsets
from osa_analysis.analyse.diversion.vocabulary import INTRASTATE, PRIMARY_ROLES
from osa_analysis.core.dates import complete_year

Config = Mapping[str, Any]

KEY = ["country_iso3", "year"]


def universe(tables: DiversionTables) -> pd.DataFrame:
    """Country-years of UCDP Organized Violence (``country_iso3`` as ``str``, ``year``)."""
    ov = tables.orgvio.dropna(subset=["country_iso3"])
    out = pd.DataFrame(
        {"country_iso3": ov["country_iso3"].astype(str), "year": ov["year"].astype(int)}
    )
    return out.drop_duplicates().sort_values(KEY).reset_index(drop=True)


def _count(frame: pd.DataFrame, name: str) -> pd.Series:
    f = frame.dropna(subset=["country_iso3"])
    f = f.assign(country_iso3=f["country_iso3"].astype(str), year=f["year"].astype(int))
    return f.groupby(KEY).size().rename(name)


def yearly_events(tables: DiversionTables, cfg_div: Config) -> pd.DataFrame:
    """Events of each kind per country-year, on a full country × year grid.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``country_iso3`` (the states of :func:`universe`) and ``year`` (every
        year from the first of any table to the latest, so trailing windows see coups and
        onsets before 1989 and windows beyond a state's last row count as no event);
        columns ``S1`` (interstate onsets, :func:`~osa_analysis.analyse.diversion.reference.
        interstate_onsets`), ``S2`` (Powell & Thyne attempts; NaN after the last whole year
        the coup data cover, :func:`coups_covered_to`, so an uncovered year is not read as
        a year without coups), ``S3`` (1 when the government's one-sided violence reached
        the scenario's threshold).
    """
    states = universe(tables)
    coups = tables.coups.assign(year=tables.coups["date"].dt.year)
    ov = tables.orgvio.dropna(subset=["country_iso3"])
    min_deaths = cfg_div["base_rates"]["s3_event_min_gov_osv_deaths"]
    osv = ov[ov["os_main_govt_best_deaths"] >= min_deaths]
    years = pd.concat([states["year"], coups["year"], tables.conflict_years["year"]]).dropna()
    first, last = int(years.min()), int(years.max())
    grid = pd.MultiIndex.from_product(
        [sorted(states["country_iso3"].unique()), range(first, last + 1)],
        names=KEY,
    )
    out = pd.DataFrame(index=grid)
    out["S1"] = _count(interstate_onsets(tables.conflict_years), "S1")
    out["S2"] = _count(coups, "S2")
    out["S3"] = _count(osv, "S3")
    out = out.fillna(0).astype(int)
    covered = out.index.get_level_values("year") <= coups_covered_to(cfg_div)
    out["S2"] = out["S2"].astype(float).where(covered)
    return out


def coups_covered_to(cfg_div: Config) -> int:
    """Return the last whole calendar year the coup data cover (``data.coups_coverage_end``).

    Powell & Thyne V2023.09.08 ends on 2023-09-08: the last whole year is 2022.
    """
    end = pd.Timestamp(cfg_div["data"]["coups_coverage_end"])
    return complete_year(end.year, end)


def _held(values: pd.Series, last: int) -> pd.Series:
    """``values`` of the years after ``last`` replaced by the country's value in ``last``."""
    years = values.index.get_level_values("year")
    return values.where(years <= last).groupby(level="country_iso3").ffill()


def _trailing(events: pd.Series, years: int) -> pd.Series:
    """Sum of the ``years`` years to and including each year, per country."""
    return events.groupby(level="country_iso3").transform(
        lambda s: s.rolling(years, min_periods=1).sum()
    )


def _leading(events: pd.Series, years: int) -> pd.Series:
    """Sum of the ``years`` years after each year (not including it), per country."""
    return events.groupby(level="country_iso3").transform(
        lambda s: s[::-1].rolling(years, min_periods=years).sum()[::-1].shift(-1)
    )


def window_outcomes(
    events: pd.DataFrame, kinds: list[Mapping[str, Any]], horizons_months: list[int]
) -> pd.DataFrame:
    """Outcome and persistence of every kind and horizon at every origin year of the grid.

    Parameters
    ----------
    events : pandas.DataFrame
        :func:`yearly_events`.
    kinds : list of Mapping
        The method file's ``kinds`` (``id``, ``resolved_to_year``).
    horizons_months : list of int
        Multiples of 12.

    Returns
    -------
    pandas.DataFrame
        Long: ``country_iso3``, ``year`` (the origin), ``kind``, ``horizon_months``,
        ``outcome`` (1 when an event falls in years ``year+1 … year+k``; NaN when the
        window passes the kind's ``resolved_to_year``), ``persistence`` (1 when an event
        fell in ``year−k+1 … year``; NaN when a year of it is not covered).
    """
    frames = []
    for kind in kinds:
        series = events[kind["id"]].clip(upper=1)
        for months in horizons_months:
            k = months // 12
            ahead = _leading(series, k)
            behind = _trailing(series, k)
            gaps = _trailing(series.isna().astype(float), k) > 0
            years = events.index.get_level_values("year")
            outcome = (ahead > 0).astype(float).where(ahead.notna())
            outcome[years + k > int(kind["resolved_to_year"])] = np.nan
            frames.append(
                pd.DataFrame(
                    {
                        "kind": kind["id"],
                        "horizon_months": months,
                        "outcome": outcome.to_numpy(),
                        "persistence": (behind > 0).astype(float).where(~gaps).to_numpy(),
                    },
                    index=events.index,
                ).reset_index()
            )
    return pd.concat(frames, ignore_index=True)


def listed(outcomes: pd.DataFrame, states: pd.DataFrame) -> pd.DataFrame:
    """Outcome rows of the country-years in ``states`` (:func:`universe`) only.

    The event grid runs over every year for every state UCDP ever lists; a window of a year
    before the state existed is not a window anyone could have counted then.
    """
    return outcomes.merge(states[KEY], on=KEY)


def climatology(outcomes: pd.DataFrame, origin: int, first_year: int) -> pd.DataFrame:
    """Return the global base rate known at ``origin`` for each kind and horizon.

    The share of country windows with the event over every window that had closed by the
    origin (origin years ``s`` with ``s + k ≤ origin``, from ``first_year``).

    Returns
    -------
    pandas.DataFrame
        ``kind``, ``horizon_months``, ``climatology``, ``windows`` (how many went in).
    """
    k = outcomes["horizon_months"] // 12
    closed = outcomes[
        (outcomes["year"] + k <= origin)
        & (outcomes["year"] >= first_year)
        & outcomes["outcome"].notna()
    ]
    g = closed.groupby(["kind", "horizon_months"])["outcome"]
    return pd.DataFrame({"climatology": g.mean(), "windows": g.size()}).reset_index()


def features(tables: DiversionTables, events: pd.DataFrame, cfg_div: Config) -> pd.DataFrame:
    """Country-year features known at the end of each year (trailing windows only).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``events``: per kind ``{kind}_events_1y``, ``_5y``, ``_10y`` (log 1 + n
        except ``_1y``, an indicator); ``coups_10y``; the coup features (``S2_events_*``,
        ``coups_10y``) of a year after the coup data end are those of their last whole
        year, two or more years old (``coups_data_year`` says which year); ``conflicts_primary`` and
        ``intrastate_primary`` (UCDP conflicts with the state as a primary party in the
        year); ``battle_deaths`` and ``gov_osv_deaths`` (log 1 + UCDP best estimates);
        V-Dem ``regime_0`` … ``regime_2``, ``regime_missing``, ``polyarchy`` (0 when
        missing); ``log_population`` with ``log_population_missing`` (World Bank, the
        latest value of the 3 years to the year).
    """
    out = pd.DataFrame(index=events.index)
    for kind in ("S1", "S2", "S3"):
        e = events[kind]
        out[f"{kind}_events_1y"] = (e > 0).astype(float)
        out[f"{kind}_events_5y"] = np.log1p(_trailing(e, 5))
        out[f"{kind}_events_10y"] = np.log1p(_trailing(e, 10))
    out["coups_10y"] = np.log1p(_trailing(events["S2"], 10))
    years = events.index.get_level_values("year")
    known = events["S2"].notna()
    last = int(years[known].max()) if known.any() else int(years.min())
    for column in ("S2_events_1y", "S2_events_5y", "S2_events_10y", "coups_10y"):
        out[column] = _held(out[column], last)
    out["coups_data_year"] = np.minimum(years, last)
    cy = tables.conflict_years
    prim = cy[cy["role"].isin(PRIMARY_ROLES)].drop_duplicates(
        ["country_iso3", "conflict_id", "year"]
    )
    out["conflicts_primary"] = _count(prim, "n")
    out["intrastate_primary"] = _count(prim[prim["type_of_conflict"].isin(INTRASTATE)], "n")
    ov = tables.orgvio.dropna(subset=["country_iso3"])
    ov = ov.assign(country_iso3=ov["country_iso3"].astype(str)).set_index(KEY)
    out["battle_deaths"] = np.log1p(ov["sb_best_deaths"].groupby(level=KEY).sum())
    out["gov_osv_deaths"] = np.log1p(ov["os_main_govt_best_deaths"].groupby(level=KEY).sum())
    ert = tables.ert.dropna(subset=["country_iso3"])
    ert = ert.assign(country_iso3=ert["country_iso3"].astype(str)).drop_duplicates(KEY)
    ert = ert.set_index(KEY)
    regime = ert["regime"].reindex(out.index)
    for code in (0, 1, 2):
        out[f"regime_{code}"] = (regime == code).astype(float)
    out["regime_missing"] = regime.isna().astype(float)
    out["polyarchy"] = ert["polyarchy"].reindex(out.index).astype(float)
    pop = tables.population.dropna(subset=["country_iso3", "population"])
    pop = pop.assign(country_iso3=pop["country_iso3"].astype(str)).drop_duplicates(KEY)
    logpop = np.log(pop.set_index(KEY)["population"].astype(float)).reindex(out.index)
    lookback = int(cfg_div["data"]["population_lookback_years"])
    logpop = logpop.groupby(level="country_iso3").transform(lambda s: s.ffill(limit=lookback))
    out["log_population"] = logpop
    out["log_population_missing"] = logpop.isna().astype(float)
    return out.fillna(0.0)
