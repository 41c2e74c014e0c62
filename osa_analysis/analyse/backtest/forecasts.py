"""The brief's own probabilities at a past origin: the S1–S3 base rates, recomputed.

:func:`base_rate_forecasts` calls the scenario register's functions
(:func:`~osa_analysis.analyse.diversion.scenarios.scenario_base_rates` and
:func:`~osa_analysis.analyse.diversion.scenarios.quantitative_likelihood`) on the tables
cut at the origin by the table store, exactly as a brief issued that day would. Only the
country's own rows are passed to them (every lookup they make is by country), which gives
the same numbers an order of magnitude faster; the reference rates are not needed (the
probability is the own rate's) and are left empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from osa_analysis.analyse.diversion.data import (
    DiversionTables,
    coup_data_end,
    diversion_tables,
    ucdp_year,
)
from osa_analysis.analyse.diversion.indicators import grayzone_indicator
from osa_analysis.analyse.diversion.reference import REFERENCE_COLUMNS
from osa_analysis.analyse.diversion.scenarios import quantitative_likelihood, scenario_base_rates
from osa_analysis.analyse.tables import TableStore
from osa_analysis.core.dates import complete_year

Config = Mapping[str, Any]

NO_REFERENCES = pd.DataFrame(columns=list(REFERENCE_COLUMNS))
"""An empty reference-rate table: the own rate alone sets a scenario's probability."""


def origin_date(year: int) -> pd.Timestamp:
    """Return the origin of a year: its 31 December."""
    return pd.Timestamp(int(year), 12, 31)


def judgement_origin(as_of: pd.Timestamp) -> int:
    """Return the origin year nearest a judgement's date (its window: the year after it).

    A brief issued from July on is taken as issued at the end of its year, one issued
    before July at the end of the year before; the 12-month window ``as_of`` + 12 months
    overlaps the calendar year after that origin by at least half.
    """
    return int(as_of.year if as_of.month >= 7 else as_of.year - 1)


def data_years(tables: DiversionTables, as_of: pd.Timestamp, cfg_div: Config) -> dict[str, int]:
    """Return each kind's last complete data year at ``as_of`` (S1, S3 UCDP; S2 coups)."""
    coup_end = coup_data_end(as_of, cfg_div)
    ucdp = ucdp_year(tables, as_of)
    return {"S1": ucdp, "S2": complete_year(coup_end.year, coup_end), "S3": ucdp}


def lead_years(tables: DiversionTables, as_of: pd.Timestamp, cfg_div: Config) -> dict[str, int]:
    """Years from each kind's last complete data year to the judgement origin at ``as_of``.

    The lead a brief issued at ``as_of`` forecasts over: at 2026-12-02 with UCDP to 2024 and
    Powell & Thyne to 2023-09-08 (last whole year 2022), S1 and S3 have 2 years, S2 4.
    """
    origin = judgement_origin(as_of)
    return {k: max(origin - y, 0) for k, y in data_years(tables, as_of, cfg_div).items()}


def _by_country(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    iso = frame["country_iso3"].astype("string").fillna("")
    return {str(k): g for k, g in frame.groupby(iso.to_numpy(), sort=False)}


COUNTRY_TABLES = ("conflict_years", "orgvio", "coups", "grayzone")
"""Tables the S1–S3 base rates look up by country."""


def country_tables(tables: DiversionTables, countries: list[str]) -> dict[str, DiversionTables]:
    """Each country's own rows of the tables the base rates read (the ACD stays whole).

    The ACD is read only for its latest year; the tables the base rates do not read are
    left empty, so a lookup that should not happen fails loudly instead of being slow.
    """
    parts = {name: _by_country(getattr(tables, name)) for name in COUNTRY_TABLES}
    empty = {name: getattr(tables, name).iloc[0:0] for name in COUNTRY_TABLES}
    return {
        iso3: replace(
            tables,
            **{name: parts[name].get(iso3, empty[name]) for name in COUNTRY_TABLES},
            wgi=tables.wgi.iloc[0:0],
            ert=tables.ert.iloc[0:0],
            population=tables.population.iloc[0:0],
            piracy=None,
            channels=None,
        )
        for iso3 in countries
    }


def country_forecasts(
    iso3: str, as_of: pd.Timestamp, tables: DiversionTables, cfg_div: Config, kinds: list[str]
) -> list[dict]:
    """Return the brief's probability of each scenario in ``kinds`` for a state at ``as_of``.

    Returns
    -------
    list of dict
        ``country_iso3``, ``kind``, ``horizon_months``, ``base_rate`` (the probability;
        None when the state has no own base rate), ``base_events``, ``base_years`` and
        ``modifier`` (the S1 gray-zone multiplier, 1 when it does not hold).
    """
    indicators = {
        "vdem_regime": {},
        "grayzone_mean_3y": grayzone_indicator(tables, iso3, as_of, 0, cfg_div),
    }
    rates = scenario_base_rates(iso3, as_of, indicators, tables, cfg_div, NO_REFERENCES)
    scenarios = {sc["id"]: sc for sc in cfg_div["scenarios"]}
    rows = []
    for kind in kinds:
        fields, modifiers, _ = quantitative_likelihood(
            scenarios[kind], rates[kind], indicators, as_of, cfg_div
        )
        own = fields["base_rate"] or {}
        multiplier = next((m["rate_multiplier"] for m in modifiers if m.get("holds")), 1.0)
        for h, years in cfg_div["horizons_years"].items():
            rows.append(
                {
                    "country_iso3": iso3,
                    "kind": kind,
                    "horizon_months": round(12 * float(years)),
                    "base_rate": fields[f"probability_{h}"],
                    "base_events": own.get("events"),
                    "base_years": own.get("years"),
                    "modifier": float(multiplier),
                }
            )
    return rows


def base_rate_forecasts(
    store: TableStore, year: int, countries: list[str], cfg_div: Config, kinds: list[str]
) -> pd.DataFrame:
    """Return the brief's probabilities at the origin of ``year`` for ``countries``.

    Parameters
    ----------
    store : TableStore
        Any store over the real (or given) tables; its date caps the origin (a brief's
        date in the origin year sees nothing after it).
    year : int
        The origin is 31 December of it (:func:`origin_date`), or the store's date if
        earlier.
    countries : list of str
    cfg_div : Mapping
        The diversion method file.
    kinds : list of str
        Scenario ids (S1, S2, S3).

    Returns
    -------
    pandas.DataFrame
        :func:`country_forecasts` rows with ``year``.
    """
    as_of = min(origin_date(year), store.as_of)
    data = diversion_tables(store.at(as_of))
    rows = []
    for iso3, tables in country_tables(data, countries).items():
        rows.extend(country_forecasts(iso3, as_of, tables, cfg_div, kinds))
    out = pd.DataFrame(rows)
    out.insert(1, "year", int(year))
    return out
