"""Scores of the forecast table by kind, horizon and model, and a state's own record.

:func:`backtest_scores` is the content of ``reports/backtest/scores.json`` (its schema is
``osa_analysis/core/schemas/backtest_scores.schema.json``); :func:`country_record` is a
brief's "this country's own past forecasts against what happened".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from osa_analysis.analyse.backtest.config import SELECTABLE, load_backtest_config
from osa_analysis.analyse.backtest.run import (
    BACKTEST_SOURCES,
    LEAD_MODELS,
    MODELS,
    cached_backtest_forecasts,
)
from osa_analysis.analyse.backtest.scores import (
    auc,
    brier,
    calibration_bins,
    calibration_slope,
    cluster_bootstrap,
    log_score,
    sharpness,
    skill,
)
from osa_analysis.analyse.diversion.config import load_config
from osa_analysis.analyse.tables import TableStore
from osa_analysis.core.i18n import N_

Config = Mapping[str, Any]

SCORES_SCHEMA_VERSION = 1
"""Version of the ``scores.json`` layout (the schema's ``schema_version``)."""

LOOK_AHEAD_NOTE = N_(
    "Forecasts are recomputed from today's vintages of the files, cut at each origin: "
    "values revised after the origin, and data published months after the year they "
    "describe (an annual release appears in the following year), are a look-ahead this "
    "backtest cannot remove. V-Dem ERT's episode flag, coded from later declines, is not "
    "used as a feature for that reason."
)
"""What a backtest on today's files cannot remove (stated in every output; a message,
translated where shown)."""


def scored_rows(
    forecasts: pd.DataFrame,
    kind: str,
    months: int,
    start: int,
    end: int,
    countries: Sequence[str] | None = None,
    models: Sequence[str] = MODELS,
) -> pd.DataFrame:
    """Rows of one kind and horizon scored: origins ``start … end``, resolved, all forecast.

    A row counts only when its outcome is known and every column of ``models`` has a
    forecast (so the models are compared on the same rows); ``countries`` limits the
    states.
    """
    f = forecasts[
        forecasts["kind"].eq(kind)
        & forecasts["horizon_months"].eq(months)
        & forecasts["year"].between(start, end)
        & forecasts["outcome"].notna()
    ]
    if countries:
        f = f[f["country_iso3"].isin(list(countries))]
    return f.dropna(subset=list(models))


def _number(value: float | None, digits: int = 4) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), digits)


def model_scores(
    rows: pd.DataFrame,
    model: str,
    cfg: Config,
    *,
    climatology: str = "climatology",
    persistence: str = "persistence",
    intervals: bool | None = None,
) -> dict[str, Any]:
    """Scores of one model's forecasts on ``rows`` (module docstring of :mod:`.scores`).

    ``climatology`` and ``persistence`` name the reference columns (at a brief's lead:
    those made when the data end ``lead_years`` before the origin).

    Returns
    -------
    dict
        ``brier``, ``log_score``, ``bss_climatology``, ``bss_persistence``, ``auc``,
        ``calibration_slope``, ``calibration_intercept``, ``sharpness``,
        ``mean_forecast``, ``calibration`` (bins), and 90% country-bootstrap intervals
        ``bss_climatology_interval`` and ``auc_interval`` (None for the references).
    """
    sc = cfg["scores"]
    p = rows[model].to_numpy(dtype=float)
    y = rows["outcome"].to_numpy(dtype=float)
    clim = rows[climatology].to_numpy(dtype=float)
    pers = rows[persistence].to_numpy(dtype=float)
    floor = float(sc["log_floor"])
    slope, intercept = calibration_slope(p, y, floor)
    groups = rows["country_iso3"].to_numpy()

    def bss(index: np.ndarray) -> float:
        return skill(brier(p[index], y[index]), brier(clim[index], y[index]))

    def area(index: np.ndarray) -> float | None:
        return auc(p[index], y[index])

    boot = {"draws": int(sc["bootstrap_draws"]), "seed": int(sc["bootstrap_seed"])}
    level = float(sc["interval_level"])
    if intervals is None:
        intervals = model in SELECTABLE  # the references' intervals are not reported

    def interval(statistic) -> list[float] | None:
        if not intervals:
            return None
        return _rounded(cluster_bootstrap(groups, statistic, level=level, **boot))

    return {
        "brier": _number(brier(p, y), 5),
        "log_score": _number(log_score(p, y, floor)),
        "bss_climatology": _number(skill(brier(p, y), brier(clim, y))),
        "bss_climatology_interval": interval(bss),
        "bss_persistence": _number(skill(brier(p, y), brier(pers, y))),
        "auc": _number(auc(p, y)),
        "auc_interval": interval(area),
        "calibration_slope": _number(slope, 3),
        "calibration_intercept": _number(intercept, 3),
        "sharpness": _number(sharpness(p)),
        "mean_forecast": _number(float(p.mean()) if p.size else None),
        "calibration": [
            b.as_dict() for b in calibration_bins(p, y, [float(e) for e in sc["calibration_bins"]])
        ],
    }


def _rounded(interval: list[float] | None) -> list[float] | None:
    return None if interval is None else [round(v, 4) for v in interval]


def targets_met(scores: Mapping[str, Any], kind: str, months: int, cfg: Config) -> dict:
    """Whether a model's scores meet the method file's targets (12-month targets only)."""
    t = cfg["targets"]
    lo, hi = (float(v) for v in t["calibration_slope"])
    slope = scores["calibration_slope"]
    out: dict[str, Any] = {
        "bss_climatology": scores["bss_climatology"] is not None
        and scores["bss_climatology"] > float(t["bss_climatology_min"]),
        "calibration_slope": slope is not None and lo <= slope <= hi,
    }
    auc_min = (t.get("auc_min") or {}).get(kind)
    if auc_min is not None:
        out["auc"] = scores["auc"] is not None and scores["auc"] >= float(auc_min)
    out["applies"] = months == 12
    return out


def lead_scores(
    forecasts: pd.DataFrame,
    kind: str,
    months: int,
    start: int,
    end: int,
    countries: Sequence[str] | None,
    cfg: Config,
    selected: str,
) -> dict[str, Any]:
    """Scores when the data end ``lead_years`` before the origin, as at a brief's date.

    Returns
    -------
    dict
        ``lead_years``, ``n``, ``events``, ``origins``, ``models`` (``base_rate``,
        ``logistic``, ``climatology``: :func:`model_scores` against the climatology and
        persistence of the data's last year), ``better_model`` (of the first two, by
        Brier) and ``targets`` (:func:`targets_met` of the ``selected`` model).
    """
    rows = scored_rows(forecasts, kind, months, start, end, countries, LEAD_MODELS)
    sel = forecasts[forecasts["kind"].eq(kind)]
    lead = int(sel["lead_years"].iloc[0]) if len(sel) else 0
    models = {
        name: model_scores(
            rows,
            f"{name}_lead",
            cfg,
            climatology="climatology_lead",
            persistence="persistence_lead",
            intervals=name in SELECTABLE,
        )
        for name in ("base_rate", "logistic", "climatology")
    }
    return {
        "lead_years": lead,
        "n": len(rows),
        "events": int(rows["outcome"].sum()),
        "origins": [int(rows["year"].min()), int(rows["year"].max())] if len(rows) else None,
        "models": models,
        "better_model": min(("base_rate", "logistic"), key=lambda m: models[m]["brier"] or np.inf),
        "targets": targets_met(models[selected], kind, months, cfg),
    }


def backtest_scores(
    forecasts: pd.DataFrame,
    cfg: Config,
    *,
    start: int | None = None,
    end: int | None = None,
    countries: Sequence[str] | None = None,
    as_of: str | None = None,
) -> dict[str, Any]:
    """Return the content of ``scores.json``: every kind, horizon and model, scored.

    Parameters
    ----------
    forecasts : pandas.DataFrame
        :func:`~osa_analysis.analyse.backtest.run.backtest_forecasts`.
    cfg : Mapping
        The backtest method file.
    start, end : int, optional
        Origin years scored (default: the method file's).
    countries : sequence of str, optional
        States scored (default: every state of the panel).
    as_of : str, optional
        The vintage of the outcomes (the store's date).

    Returns
    -------
    dict
        ``schema_version``, ``method_version``, ``as_of``, ``origins``, ``countries``,
        ``look_ahead``, ``interval_level``, ``targets`` (the method file's), ``models``
        (labels), and ``kinds``: per kind ``id``, ``label``,
        ``event``, ``resolution_source``, ``selected_model`` and ``horizons``; per horizon
        ``horizon_months``, ``n``, ``events``, ``origins`` (first and last scored),
        ``states``, the selected model's ``brier``, ``brier_climatology``,
        ``bss_climatology``, ``auc``, ``log_score``, ``calibration``... (as
        :func:`model_scores`), ``targets``, ``models`` (each model's scores) and
        ``at_lead`` (:func:`lead_scores`: the same at a brief's lead).
    """
    start = int(cfg["origins"]["start"] if start is None else start)
    end = int(cfg["origins"]["end"] if end is None else end)
    kinds = []
    for kind in cfg["kinds"]:
        selected = cfg["selected"][kind["id"]]
        horizons = []
        for months in cfg["horizons_months"]:
            rows = scored_rows(forecasts, kind["id"], int(months), start, end, countries)
            models = {m: model_scores(rows, m, cfg) for m in MODELS}
            best = min(("base_rate", "logistic"), key=lambda m: models[m]["brier"] or np.inf)
            chosen = models[selected]
            lead = lead_scores(
                forecasts, kind["id"], int(months), start, end, countries, cfg, selected
            )
            horizons.append(
                {
                    "horizon_months": int(months),
                    "n": len(rows),
                    "events": int(rows["outcome"].sum()),
                    "origins": [int(rows["year"].min()), int(rows["year"].max())]
                    if len(rows)
                    else None,
                    "states": int(rows["country_iso3"].nunique()),
                    **chosen,
                    "brier_climatology": models["climatology"]["brier"],
                    "brier_persistence": models["persistence"]["brier"],
                    "better_model": best,
                    "targets": targets_met(chosen, kind["id"], int(months), cfg),
                    "models": models,
                    "at_lead": lead,
                }
            )
        kinds.append(
            {
                "id": kind["id"],
                "label": kind["label"],
                "short": kind["short"],
                "event": " ".join(str(kind["event"]).split()),
                "resolution_source": kind["resolution_source"],
                "selected_model": selected,
                "horizons": horizons,
            }
        )
    return {
        "schema_version": SCORES_SCHEMA_VERSION,
        "method_version": cfg["method_version"],
        "as_of": as_of,
        "origins": [start, end],
        "countries": sorted(countries) if countries else "all",
        "look_ahead": LOOK_AHEAD_NOTE,
        "interval_level": float(cfg["scores"]["interval_level"]),
        "targets": {
            "bss_climatology_min": float(cfg["targets"]["bss_climatology_min"]),
            "calibration_slope": [float(v) for v in cfg["targets"]["calibration_slope"]],
            "auc_min": {k: float(v) for k, v in (cfg["targets"].get("auc_min") or {}).items()},
        },
        "models": {m: cfg["models"][m]["label"] for m in MODELS},
        "kinds": kinds,
    }


def country_record(
    forecasts: pd.DataFrame,
    iso3: str,
    kind: str,
    months: int,
    model: str,
    start: int | None = None,
    end: int | None = None,
    climatology: str = "climatology",
) -> pd.DataFrame:
    """One state's past forecasts of a kind and horizon with what happened.

    ``start`` and ``end`` limit the origin years (default: every year of the table);
    ``model`` and ``climatology`` name the columns (``*_lead``: the forecasts a brief
    would have made then, its data ending ``lead_years`` before the window).

    Returns
    -------
    pandas.DataFrame
        ``year`` (origin), ``probability`` (``model``'s), ``climatology``, ``outcome`` (NaN
        while unresolved), sorted by year.
    """
    f = forecasts[
        forecasts["country_iso3"].eq(iso3)
        & forecasts["kind"].eq(kind)
        & forecasts["horizon_months"].eq(months)
        & forecasts["year"].between(start or -9999, end or 9999)
    ]
    out = f[["year", model, climatology, "outcome"]].rename(
        columns={model: "probability", climatology: "climatology"}
    )
    return out.dropna(subset=["probability"]).sort_values("year").reset_index(drop=True)


def track_record(store: TableStore) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Return the forecast table and its scores at the store's date (once per process).

    What a brief shows beside its judgements: the scores over the method file's origins
    and every state, and (through :func:`country_record`) the state's own forecasts.
    """
    cfg = load_backtest_config()
    store.use(*BACKTEST_SOURCES)  # also when the table comes from the disk cache
    forecasts = cached_backtest_forecasts(store)
    as_of = store.as_of.strftime("%Y-%m-%d")
    scores = store.shared(
        ("backtest_scores", cfg.sha256, load_config().sha256),
        lambda: backtest_scores(forecasts, cfg, as_of=as_of),
    )
    return forecasts, scores


def record_summary(record: pd.DataFrame, months: int) -> dict[str, Any]:
    """Summarise a state's resolved forecasts (:func:`country_record`) of one horizon.

    Returns
    -------
    dict
        ``n`` (resolved forecasts), ``first`` and ``last`` origin, ``mean_probability`` and
        ``mean_climatology`` (shares; None without forecasts), ``event_origins`` (origins
        followed by an event) and, at 12 months, ``event_years`` (the year after each).
    """
    done = record.dropna(subset=["outcome"])
    hits = [int(y) for y in done.loc[done["outcome"] == 1, "year"]]
    return {
        "n": len(done),
        "first": int(done["year"].min()) if len(done) else None,
        "last": int(done["year"].max()) if len(done) else None,
        "mean_probability": _number(float(done["probability"].mean()), 6) if len(done) else None,
        "mean_climatology": _number(float(done["climatology"].mean()), 6) if len(done) else None,
        "event_origins": hits,
        "event_years": [y + 1 for y in hits] if months == 12 else None,
    }
