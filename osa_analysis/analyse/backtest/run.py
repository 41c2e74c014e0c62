"""The backtest's forecast table: every kind, horizon, origin and state, with its outcome.

:func:`backtest_forecasts` builds one long table (a row per state, origin year, kind and
horizon) holding the outcome and the four forecasts scored side by side:

* ``base_rate``: the brief's own probability at that origin
  (:func:`~osa_analysis.analyse.backtest.forecasts.base_rate_forecasts`), the only part that
  is slow (about 1.5 s an origin), so its origins are mapped with a caller's ``mapper``
  (the build passes a process pool or a Dask executor's ``map``);
* ``logistic``: the challenger refitted at every origin
  (:func:`~osa_analysis.analyse.backtest.model.rolling_logistic`);
* ``climatology`` and ``persistence``: the reference forecasts
  (:mod:`~osa_analysis.analyse.backtest.panel`);
* the same made when the data end as long before the origin as a brief's do
  (:data:`LEAD_MODELS`, ``lead_years``), on which the method file selects a kind's model;
* the challenger's features, so a brief can fit it at its own date
  (:mod:`~osa_analysis.analyse.backtest.apply`).

:func:`cached_backtest_forecasts` keeps the table in the derived-data cache, so the briefs
of a build and ``osa-briefs backtest`` share one computation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

import pandas as pd

from osa_analysis.analyse.backtest.config import load_backtest_config
from osa_analysis.analyse.backtest.forecasts import base_rate_forecasts, lead_years, origin_date
from osa_analysis.analyse.backtest.model import rolling_logistic
from osa_analysis.analyse.backtest.panel import (
    climatology,
    features,
    listed,
    universe,
    window_outcomes,
    yearly_events,
)
from osa_analysis.analyse.diversion.config import load_config
from osa_analysis.analyse.diversion.data import DiversionTables, diversion_tables
from osa_analysis.analyse.tables import TableStore
from osa_analysis.sources.cache import cached_table

Config = Mapping[str, Any]
Mapper = Callable[[Callable[[int], pd.DataFrame], Iterable[int]], Iterable[pd.DataFrame]]
"""``map``-like: ``mapper(func, years)`` yields ``func(year)`` in order."""

MODELS = ("base_rate", "logistic", "climatology", "persistence")
"""Forecast columns of the table, in the order they are reported."""
LEAD_MODELS = ("base_rate_lead", "logistic_lead", "climatology_lead", "persistence_lead")
"""The same forecasts made when the data end ``lead_years`` before the origin, as a brief's
do (the base rate, climatology and persistence of that year; the challenger fitted then)."""
BACKTEST_SOURCES = (
    "ucdp_prio_acd",
    "ucdp_orgviolence_cy",
    "coups_powell_thyne",
    "vdem_ert",
    "wb_population",
    "scsdi_geocoded",
    "scsdi_published",
)
"""Sources the table is built from (the gray-zone modifier reads SCSDI)."""


def kind_ids(cfg: Config) -> list[str]:
    """Scenario ids of the kinds the method file scores."""
    return [k["id"] for k in cfg["kinds"]]


def origin_task(year: int, *, store: TableStore, cfg_div: Config, kinds: list[str]) -> pd.DataFrame:
    """Return the brief's probabilities at one origin for the states of that year.

    A module-level function of picklable arguments: a task for a process pool or a Dask
    worker (which loads the tables from the shared derived-data cache).
    """
    known = diversion_tables(store.at(min(origin_date(year), store.as_of)))
    countries = states_in(known, year)
    return base_rate_forecasts(store, year, countries, cfg_div, kinds)


def states_in(tables: DiversionTables, year: int) -> list[str]:
    """Return the states of the universe in ``year`` (:func:`~.panel.universe`)."""
    u = universe(tables)
    return sorted(u.loc[u["year"] == year, "country_iso3"])


def _shifted(rows: pd.DataFrame, column: str, lead: int) -> pd.Series:
    """``column`` of the same state, kind and horizon ``lead`` years earlier (NaN if none)."""
    keys = ["country_iso3", "kind", "horizon_months", "year"]
    earlier = rows[[*keys, column]].assign(year=rows["year"] + lead)
    merged = rows[keys].merge(earlier, on=keys, how="left")
    return pd.Series(merged[column].to_numpy(), index=rows.index)


def backtest_forecasts(
    store: TableStore,
    *,
    end: int | None = None,
    cfg: Config | None = None,
    cfg_div: Config | None = None,
    mapper: Mapper = map,
) -> pd.DataFrame:
    """Build the forecast table from the first training year to the origin ``end``.

    Parameters
    ----------
    store : TableStore
        Its ``as_of`` sets what is known of the outcomes (the backtest's vintage) and the
        lead of a brief issued then (:func:`~.forecasts.lead_years`).
    end : int, optional
        Last origin year (default: the panel's last year, so a brief can apply the
        challenger to the latest data; scores stop at the method file's ``origins.end``).
    cfg, cfg_div : Mapping, optional
        The backtest and diversion method files (default: those under ``data/risk/``).
    mapper : callable
        ``mapper(func, years)`` like :func:`map` (the default runs in this process); the
        result does not depend on it.

    Returns
    -------
    pandas.DataFrame
        ``country_iso3``, ``year`` (origin), ``kind``, ``horizon_months``, ``outcome``
        (1/0; NaN while the window is not covered), the forecasts of :data:`MODELS`, at
        the brief's lead those of :data:`LEAD_MODELS` and the ``lead_years``,
        ``climatology_windows``, ``base_events`` and ``base_years`` (the own record behind
        ``base_rate``), ``modifier`` and the challenger's features; sorted by kind,
        horizon, year and state.
    """
    cfg = load_backtest_config() if cfg is None else cfg
    cfg_div = load_config() if cfg_div is None else cfg_div
    first = int(cfg["models"]["logistic"]["first_training_year"])
    kinds = kind_ids(cfg)
    full = diversion_tables(store)
    panel_years = set(universe(full)["year"])
    end = int(max(panel_years) if end is None else end)
    years = [y for y in range(first, end + 1) if y in panel_years]
    task = partial(origin_task, store=store, cfg_div=cfg_div, kinds=kinds)
    base = pd.concat(list(mapper(task, years)), ignore_index=True)

    events = yearly_events(full, cfg_div)
    outcomes = window_outcomes(events, list(cfg["kinds"]), list(cfg["horizons_months"]))
    rows = base.merge(outcomes, on=["country_iso3", "year", "kind", "horizon_months"], how="left")
    feats = features(full, events, cfg_div)
    rows = rows.merge(feats.reset_index(), on=["country_iso3", "year"], how="left")
    known = listed(outcomes, universe(full))
    clim = pd.concat(
        [climatology(known, y, min(panel_years)).assign(year=y) for y in years],
        ignore_index=True,
    ).rename(columns={"windows": "climatology_windows"})
    rows = rows.merge(clim, on=["kind", "horizon_months", "year"], how="left")
    leads = lead_years(full, store.as_of, cfg_div)
    rows["lead_years"] = rows["kind"].map(leads).astype(int)
    for column in ("logistic", *LEAD_MODELS):
        rows[column] = float("nan")
    for (kind, months), idx in rows.groupby(["kind", "horizon_months"]).groups.items():
        part = rows.loc[idx]
        origins = sorted(int(y) for y in part["year"].unique())
        lead = leads[kind]
        rows.loc[idx, "logistic"] = rolling_logistic(part, kind, int(months), origins, cfg)
        rows.loc[idx, "logistic_lead"] = rolling_logistic(
            part, kind, int(months), origins, cfg, lead=lead
        )
    for column in ("base_rate", "climatology", "persistence"):
        for kind, lead in leads.items():
            sel = rows["kind"] == kind
            rows.loc[sel, f"{column}_lead"] = _shifted(rows[sel], column, lead)
    columns = [
        "country_iso3",
        "year",
        "kind",
        "horizon_months",
        "outcome",
        *MODELS,
        "lead_years",
        *LEAD_MODELS,
        "climatology_windows",
        "base_events",
        "base_years",
        "modifier",
        *feats.columns,
    ]
    out = rows[columns].sort_values(["kind", "horizon_months", "year", "country_iso3"])
    return out.reset_index(drop=True)


def vintage(tables: DiversionTables) -> tuple[int, ...]:
    """Rows of each input table at the store's date: equal rows, equal tables.

    A cut keeps every row dated up to its date, so two dates that keep as many rows of every
    table see the same data: the briefs of any date in 2026 share one backtest.
    """
    return tuple(
        len(getattr(tables, name))
        for name in ("conflict_years", "orgvio", "coups", "ert", "population", "grayzone")
    )


def cached_backtest_forecasts(store: TableStore, *, mapper: Mapper = map) -> pd.DataFrame:
    """:func:`backtest_forecasts` of the method files, kept in the derived-data cache.

    The key covers the inputs' sha256s, the package code that computes the table, both
    method files' sha256s, the :func:`vintage` of the store's tables (what is known of the
    outcomes) and the leads of a brief at the store's date. Tables given by hand (tests)
    are never cached on disk, only kept for the store (:meth:`TableStore.shared`).
    """
    cfg, cfg_div = load_backtest_config(), load_config()

    def build() -> pd.DataFrame:
        return backtest_forecasts(store, cfg=cfg, cfg_div=cfg_div, mapper=mapper)

    if not store.real_data:
        return store.shared(("backtest_forecasts", cfg.sha256, cfg_div.sha256), build)
    data = diversion_tables(store)
    rows = "-".join(str(n) for n in vintage(data))
    leads = "-".join(f"{k}{v}" for k, v in lead_years(data, store.as_of, cfg_div).items())
    version = f"{cfg.sha256[:16]}-{cfg_div.sha256[:16]}-{rows}-{leads}"
    return store.shared(
        ("backtest_forecasts", version),
        lambda: cached_table("backtest_forecasts", BACKTEST_SOURCES, build, version=version),
        dated=False,
    )
