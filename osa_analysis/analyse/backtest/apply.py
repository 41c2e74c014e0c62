"""A brief's probabilities from the model the method file selects for each kind.

Where ``data/risk/backtest.yaml`` selects the logistic challenger for a kind, the brief's
probability of that kind is the challenger's: fitted on every pair whose window had closed
by the kind's last complete data year, at the lead the brief has (from that year to its
window, :func:`~osa_analysis.analyse.backtest.forecasts.lead_years`), and applied to the
state's features of that year. Its interval is the fit's own uncertainty (Laplace
approximation, :func:`~osa_analysis.analyse.backtest.model.laplace_interval`). A state
without a row in the panel (not listed by UCDP) keeps the base rate, and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from osa_analysis.analyse.backtest.config import load_backtest_config
from osa_analysis.analyse.backtest.forecasts import data_years, lead_years
from osa_analysis.analyse.backtest.model import (
    design,
    fit_logistic,
    laplace_interval,
    lead_pairs,
    training_rows,
    usable,
)
from osa_analysis.analyse.backtest.run import cached_backtest_forecasts
from osa_analysis.analyse.diversion.assess import DiversionResult, assess
from osa_analysis.analyse.diversion.config import load_config
from osa_analysis.analyse.diversion.data import diversion_tables
from osa_analysis.analyse.diversion.vocabulary import LEVEL
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore

Config = Mapping[str, Any]

HORIZONS = {"12m": 12, "36m": 36}
"""The register's horizons and their months."""


def fitted_models(store: TableStore) -> dict[tuple[str, int], dict[str, Any]]:
    """Fit the challenger of every selected kind and horizon at the store's date (once).

    Returns
    -------
    dict
        ``(kind, months)`` → ``model`` (fitted pipeline), ``train`` (its rows), ``now`` (the
        feature rows of the data year, by state), ``lead_years``, ``data_year``,
        ``coups_data_year`` (the last whole year of the coup features, earlier than
        ``data_year`` when the coup data end first) and ``training_years``.
    """
    cfg, cfg_div = load_backtest_config(), load_config()

    def build() -> dict[tuple[str, int], dict[str, Any]]:
        forecasts = cached_backtest_forecasts(store)
        data = diversion_tables(store)
        leads = lead_years(data, store.as_of, cfg_div)
        ends = data_years(data, store.as_of, cfg_div)
        first = int(cfg["models"]["logistic"]["first_training_year"])
        out = {}
        for kind, model in cfg["selected"].items():
            if model != "logistic":
                continue
            for months in HORIZONS.values():
                rows = forecasts[
                    forecasts["kind"].eq(kind) & forecasts["horizon_months"].eq(months)
                ]
                pairs = lead_pairs(rows, leads[kind])
                train = training_rows(pairs, months, leads[kind], ends[kind], first)
                if train.empty or train["target"].nunique() < 2:
                    continue
                now = pairs[pairs["year"] == ends[kind]].set_index("country_iso3")
                out[(kind, months)] = {
                    "model": fit_logistic(train, kind, cfg),
                    "train": train,
                    "now": now,
                    "lead_years": leads[kind],
                    "data_year": ends[kind],
                    "coups_data_year": int(now["coups_data_year"].max()) if len(now) else None,
                    "training_years": [int(train["year"].min()), int(train["year"].max())],
                }
        return out

    return store.shared(("backtest_fitted_models", cfg.sha256, cfg_div.sha256), build)


def selected_probabilities(store: TableStore, iso3: str) -> dict[str, dict[str, dict]]:
    """Return the challenger's probabilities for one state, for each kind selecting it.

    Returns
    -------
    dict
        Scenario id → horizon (``12m``, ``36m``) → ``probability``, ``interval`` (95%,
        Laplace), ``model`` (``logistic``), ``method_version``, ``lead_years``,
        ``data_year``, ``coups_data_year``, ``training_years``, ``training_rows``,
        ``training_events``, ``interval_kind``, ``raised_to_12m`` (36 months, when
        :func:`coherent` raised it); or, for a state without a row in the panel, ``missing_reason``
        (the brief then keeps the base rate). Kinds that select the base rate are absent.
    """
    cfg = load_backtest_config()
    names = list(cfg["models"]["logistic"]["features"])
    out: dict[str, dict[str, dict]] = {}
    for (kind, months), fit in fitted_models(store).items():
        h = next(k for k, v in HORIZONS.items() if v == months)
        common = {
            "model": "logistic",
            "method_version": cfg["method_version"],
            "lead_years": fit["lead_years"],
            "data_year": fit["data_year"],
            "coups_data_year": fit["coups_data_year"],
            "training_years": fit["training_years"],
            "training_rows": len(fit["train"]),
            "training_events": int(fit["train"]["target"].sum()),
        }
        if iso3 not in fit["now"].index:
            out.setdefault(kind, {})[h] = {
                **common,
                "missing_reason": f"no UCDP country-year for {iso3} in {fit['data_year']}",
            }
            continue
        row = fit["now"].loc[[iso3]]
        if not usable(row).all():
            out.setdefault(kind, {})[h] = {
                **common,
                "missing_reason": f"no own base rate for {iso3} in {fit['data_year']}",
            }
            continue
        x = design(row, kind, names)[0]
        p, interval = laplace_interval(fit["model"], fit["train"], x, kind, cfg, LEVEL)
        out.setdefault(kind, {})[h] = {
            **common,
            "probability": p,
            "interval": interval,
            "interval_kind": f"{round(100 * LEVEL)}% from the fit (Laplace approximation)",
        }
    for horizons in out.values():
        coherent(horizons)
    return out


def coherent(horizons: dict[str, dict]) -> None:
    """Raise a 36-month probability below the 12-month one to it (in place).

    The two horizons are fitted apart, so for a state with almost no risk the 36-month
    model can give less than the 12-month one; a 36-month window holds the 12-month one,
    so it is raised (bounds too) and ``raised_to_12m`` says so.
    """
    short, long = horizons.get("12m"), horizons.get("36m")
    if not short or not long or "probability" not in short or "probability" not in long:
        return
    if long["probability"] < short["probability"]:
        long["probability"] = short["probability"]
        long["interval"] = [
            max(a, b) for a, b in zip(long["interval"], short["interval"], strict=True)
        ]
        long["raised_to_12m"] = True


def assess_with_selected_models(scope: Scope, tables: TableStore) -> DiversionResult:
    """Run the misuse and diversion assessment with each kind's selected model.

    :func:`osa_analysis.analyse.diversion.assess` given :func:`selected_probabilities`: the
    one entry point of the briefs, so every number of a scenario (register, key figure,
    ``judgements.json``) comes from the same model.
    """
    return assess(scope, tables, models=selected_probabilities(tables, scope.country_iso3))
