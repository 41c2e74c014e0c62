"""The whole assessment of one state: criteria, scenarios, trip-wires, overall rating.

:func:`assess` is the entry point of the brief: it takes the scope and the table store,
shares each state's criterion matrix and the reference rates among the briefs of a process
(:meth:`~osa_analysis.analyse.tables.TableStore.shared`) and returns a
:class:`DiversionResult`. :func:`assess_country` does the same on given
:class:`~.data.DiversionTables` (tests, other tables).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from osa_analysis.analyse.diversion.config import load_config
from osa_analysis.analyse.diversion.criteria import criterion_matrix, ratings_by_criterion
from osa_analysis.analyse.diversion.data import DiversionTables, diversion_tables, table_sources
from osa_analysis.analyse.diversion.equipment import equipment_summary, project_categories
from osa_analysis.analyse.diversion.indicators import country_indicators
from osa_analysis.analyse.diversion.reference import reference_rates
from osa_analysis.analyse.diversion.scenarios import scenario_register
from osa_analysis.analyse.diversion.tripwires import tripwires
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore
from osa_analysis.sources.methods import MethodFile

Config = Mapping[str, Any]


@dataclass(frozen=True)
class DiversionResult:
    """The misuse and diversion assessment of one state at one date.

    Attributes
    ----------
    country : str
        ISO3 of the state.
    as_of : pandas.Timestamp
        Last date of data.
    method_version : str
        ``method_version`` of the config.
    config_sha256 : str
        sha256 of the config file (``data/risk/diversion.yaml`` by default).
    criteria : list of dict
        :func:`~.criteria.criterion_matrix` rows.
    criteria_out_of_scope : list of dict
        The config's criteria left out, with the reason (texts on one line).
    scenarios : list of dict
        :func:`~.scenarios.scenario_register` rows.
    tripwires : list of dict
        :func:`~.tripwires.tripwires`.
    equipment : dict
        :func:`~.equipment.equipment_summary` of the projects counted.
    overall : dict
        :func:`overall_rating`.
    peers : dict
        ISO3 → criterion id → rating, for the state and its peers (the state first).
    sources : tuple of str
        Registry ids of the tables read (empty for given tables).
    config : MethodFile
        The configuration used (frozen).
    """

    country: str
    as_of: pd.Timestamp
    method_version: str
    config_sha256: str
    criteria: list[dict]
    criteria_out_of_scope: list[dict]
    scenarios: list[dict]
    tripwires: list[dict]
    equipment: dict
    overall: dict
    peers: dict[str, dict[str, str]]
    sources: tuple[str, ...] = ()
    config: MethodFile | None = field(default=None, repr=False)


def overall_rating(criteria: list[dict], scenarios: list[dict], cfg: Config) -> dict:
    """Highest criterion rating and a residual-risk summary.

    Returns
    -------
    dict
        ``highest_criterion_rating`` (None when nothing could be rated), ``criteria_at_highest``
        (ids), ``n_rated``, ``n_flagged`` (possibly critical or critical), ``n_critical``,
        ``n_not_computable``, ``residual_highest`` and ``residual_scenarios`` (ids at it).
    """
    order = cfg["ratings"]["order"]
    rated = [c for c in criteria if c["rating"] in order]
    highest = max((c["rating"] for c in rated), key=order.index, default=None)
    classes = [c["class"] for c in cfg["residual"]["classes"]]
    res = [s for s in scenarios if s["residual"]["class"] in classes]
    top = max((s["residual"]["class"] for s in res), key=classes.index, default=None)
    return {
        "highest_criterion_rating": highest,
        "criteria_at_highest": [c["id"] for c in rated if c["rating"] == highest],
        "n_rated": len(rated),
        "n_flagged": sum(c["rating"] in order[1:] for c in rated),
        "n_critical": sum(c["rating"] == order[-1] for c in rated),
        "n_not_computable": len(criteria) - len(rated),
        "residual_highest": top,
        "residual_scenarios": [s["id"] for s in res if s["residual"]["class"] == top]
        if top
        else [],
    }


def _all_indicators(
    iso3: str, as_of: pd.Timestamp, criteria: list[dict], tables: DiversionTables, cfg: Config
) -> dict[str, dict]:
    """Return the criterion rows' indicator records and those no criterion shows."""
    indicators = {i["name"]: i for c in criteria for i in c["indicators"]}
    indicators.update(
        {
            k: v
            for k, v in country_indicators(iso3, as_of, 0, tables, cfg).items()
            if k not in indicators
        }
    )
    return indicators


def assess_country(
    iso3: str,
    as_of: pd.Timestamp,
    projects: pd.DataFrame,
    tables: DiversionTables,
    config: MethodFile,
    *,
    criteria: list[dict] | None = None,
    references: pd.DataFrame | None = None,
    peers: dict[str, dict[str, str]] | None = None,
    sources: Iterable[str] = (),
    models: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
) -> DiversionResult:
    """Run the whole misuse and diversion assessment for one state on given tables.

    Parameters
    ----------
    iso3 : str
        Any state in the data (recipient or not).
    as_of : pandas.Timestamp
    projects : pandas.DataFrame
        OSA projects (the store's ``osa_projects``).
    tables : DiversionTables
    config : MethodFile
        :func:`~.config.load_config`.
    criteria : list of dict, optional
        The state's :func:`~.criteria.criterion_matrix` (computed when omitted).
    references : pandas.DataFrame, optional
        :func:`~.reference.reference_rates` (built from ``tables`` when omitted).
    peers : dict, optional
        Peer ratings (default: the state's own).
    sources : iterable of str
        Registry ids of the tables, for :attr:`DiversionResult.sources`.
    models : Mapping, optional
        The selected models' probabilities by scenario (:func:`~.scenarios.scenario_register`).

    Returns
    -------
    DiversionResult
    """
    iso3 = iso3.upper()
    if criteria is None:
        criteria = criterion_matrix(iso3, as_of, tables, config)
    indicators = _all_indicators(iso3, as_of, criteria, tables, config)
    scenarios = scenario_register(
        iso3, as_of, projects, tables, config, indicators, references=references, models=models
    )
    return DiversionResult(
        country=iso3,
        as_of=as_of,
        method_version=config["method_version"],
        config_sha256=config.sha256,
        criteria=criteria,
        criteria_out_of_scope=[
            {k: " ".join(str(v).split()) for k, v in c.items()}
            for c in config["criteria_out_of_scope"]
        ],
        scenarios=scenarios,
        tripwires=tripwires(iso3, as_of, tables, config),
        equipment=equipment_summary(project_categories(projects, iso3, as_of)),
        overall=overall_rating(criteria, scenarios, config),
        peers=peers if peers is not None else {iso3: ratings_by_criterion(criteria)},
        sources=tuple(sources),
        config=config,
    )


def shared_criterion_matrix(
    tables: TableStore, data: DiversionTables, iso3: str, cfg: MethodFile
) -> list[dict]:
    """Return a state's criterion matrix at the store's date, computed once per process.

    Treat the rows as read-only: every brief of the process gets the same objects.
    """
    return tables.shared(
        ("diversion_criteria", iso3, cfg.sha256),
        lambda: criterion_matrix(iso3, tables.as_of, data, cfg),
    )


def peer_ratings(
    countries: Iterable[str], tables: TableStore, data: DiversionTables, cfg: MethodFile
) -> dict[str, dict[str, str]]:
    """Criterion ratings of several states (each matrix shared, :func:`shared_criterion_matrix`)."""
    return {
        iso: ratings_by_criterion(shared_criterion_matrix(tables, data, iso, cfg))
        for iso in (c.upper() for c in countries)
    }


def assess(
    scope: Scope,
    tables: TableStore,
    config: MethodFile | None = None,
    models: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
) -> DiversionResult:
    """Run the misuse and diversion assessment of the scope's country, with its peers.

    Parameters
    ----------
    scope : Scope
        Country, ``as_of`` and peers (the peer matrix covers ``scope.countries``).
    tables : TableStore
        Every table is read through it (:data:`~.data.TABLE_NAMES`).
    config : MethodFile, optional
        Default :func:`~.config.load_config` (read again when the file changed).
    models : Mapping, optional
        The probabilities of the models the backtest selects, by scenario
        (:func:`osa_analysis.analyse.backtest.assess_with_selected_models` passes them).

    Returns
    -------
    DiversionResult
    """
    cfg = load_config() if config is None else config
    data = diversion_tables(tables)
    iso3 = scope.country_iso3
    criteria = copy.deepcopy(shared_criterion_matrix(tables, data, iso3, cfg))
    return assess_country(
        iso3,
        scope.as_of,
        tables.get("osa_projects"),
        data,
        cfg,
        criteria=criteria,
        references=reference_rates(tables, data, cfg),
        peers=peer_ratings(scope.countries, tables, data, cfg),
        sources=table_sources(tables),
        models=models,
    )
