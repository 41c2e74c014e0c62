"""The challenger: a regularised logistic regression refitted at every origin.

At origin ``t`` the model of a kind and horizon of ``k`` years is fitted on the
country-years ``s`` whose window had closed (``s + k ≤ t``, from the method file's
``first_training_year``), with the features known at ``s``
(:func:`osa_analysis.analyse.backtest.panel.features`) and the logit of the brief's own
base-rate probability at ``s``. Features are standardised on the training rows; the
penalty (L2, inverse strength ``penalty_c``) is fixed in the method file, not tuned on
the evaluation years, so nothing scored is seen by a choice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

Config = Mapping[str, Any]

LOGIT_FLOOR = 1e-4
"""Probabilities are clipped to [1e-4, 1 − 1e-4] before the logit (a feature, not a score)."""


def logit(p: pd.Series | np.ndarray) -> np.ndarray:
    """Return ``log(p / (1 − p))`` of probabilities clipped to :data:`LOGIT_FLOOR`."""
    q = np.clip(np.asarray(p, dtype=float), LOGIT_FLOOR, 1 - LOGIT_FLOOR)
    return np.log(q / (1 - q))


def design(rows: pd.DataFrame, kind: str, names: list[str]) -> np.ndarray:
    """Return the feature matrix of ``rows`` for one kind (``events_*``: that kind's).

    Parameters
    ----------
    rows : pandas.DataFrame
        Forecast rows with the panel's features and ``base_rate``.
    kind : str
    names : list of str
        The method file's ``models.logistic.features``.
    """
    cols = []
    for name in names:
        if name == "base_logit":
            cols.append(logit(rows["base_rate"]))
        elif name.startswith("events_"):
            cols.append(rows[f"{kind}_{name}"].to_numpy(dtype=float))
        else:
            cols.append(rows[name].to_numpy(dtype=float))
    return np.column_stack(cols)


def fit_logistic(train: pd.DataFrame, kind: str, cfg: Config) -> Pipeline:
    """Fit the challenger on ``train`` (features and a 0/1 ``target`` column).

    Returns
    -------
    sklearn.pipeline.Pipeline
        Standardisation then the L2-penalised logistic regression of the method file.
    """
    spec = cfg["models"]["logistic"]
    model = make_pipeline(
        StandardScaler(),
        LogisticRegression(
            C=float(spec["penalty_c"]), class_weight=spec.get("class_weight"), max_iter=2000
        ),
    )
    model.fit(design(train, kind, list(spec["features"])), train["target"].to_numpy(dtype=int))
    return model


def lead_pairs(rows: pd.DataFrame, lead: int) -> pd.DataFrame:
    """Each country-year's features with the outcome of the origin ``lead`` years later.

    A forecast made when the data end in year ``s`` for the window that starts ``lead``
    years later: ``target`` is the ``outcome`` of origin ``s + lead`` (NaN when that origin
    is not in ``rows`` or not resolved).
    """
    later = rows[["country_iso3", "year", "outcome"]].assign(year=rows["year"] - lead)
    later = later.rename(columns={"outcome": "target"})
    return rows.merge(later, on=["country_iso3", "year"], how="left").set_index(rows.index)


def training_rows(pairs: pd.DataFrame, months: int, lead: int, data_end: int, first: int):
    """Pairs whose window had closed by ``data_end`` (the last year of data), from ``first``.

    A country-year without an own base rate (no record of the state yet: Tonga 1990–1998)
    is left out rather than given an invented ``base_logit`` (:func:`usable`).
    """
    k = months // 12
    closed = pairs["year"] + lead + k <= data_end
    return pairs[(pairs["year"] >= first) & closed & pairs["target"].notna() & usable(pairs)]


def usable(rows: pd.DataFrame) -> pd.Series:
    """Rows the model can read: the brief's own base rate (``base_logit``) is known."""
    return rows["base_rate"].notna()


def rolling_logistic(
    rows: pd.DataFrame,
    kind: str,
    months: int,
    origins: list[int],
    cfg: Config,
    lead: int = 0,
) -> pd.Series:
    """Out-of-sample probabilities of the logistic model at each origin of ``origins``.

    At origin ``t`` the data end in ``t − lead``: the model is fitted on the pairs closed
    by then (:func:`training_rows`) and applied to the features of ``t − lead``.

    Parameters
    ----------
    rows : pandas.DataFrame
        Every country-year of one kind and horizon: ``country_iso3``, ``year``,
        ``outcome`` (NaN unresolved), ``base_rate`` and the features.
    kind : str
    months : int
    origins : list of int
        Origin years to predict.
    cfg : Mapping
        The backtest method file.
    lead : int
        Years from the last data year to the origin (0: the data of the origin's year).

    Returns
    -------
    pandas.Series
        Indexed like ``rows``; NaN where the training set had no event (or no non-event)
        yet, or the state has no row (or no own base rate) ``lead`` years before the
        origin.
    """
    first = int(cfg["models"]["logistic"]["first_training_year"])
    names = list(cfg["models"]["logistic"]["features"])
    pairs = lead_pairs(rows, lead)
    out = pd.Series(np.nan, index=rows.index)
    by_key = pd.Series(rows.index, index=pd.MultiIndex.from_frame(rows[["country_iso3", "year"]]))
    for t in origins:
        train = training_rows(pairs, months, lead, t - lead, first)
        now = pairs[(pairs["year"] == t - lead) & usable(pairs)]
        if now.empty or train.empty or train["target"].nunique() < 2:
            continue
        keys = pd.MultiIndex.from_arrays([now["country_iso3"], np.full(len(now), t)])
        present = keys.isin(by_key.index)
        if not present.any():
            continue
        p = fit_logistic(train, kind, cfg).predict_proba(design(now[present], kind, names))[:, 1]
        out.loc[by_key.loc[keys[present]].to_numpy()] = p
    return out


def laplace_interval(
    model: Pipeline, train: pd.DataFrame, x: np.ndarray, kind: str, cfg: Config, level: float
) -> tuple[float, list[float]]:
    """Probability of one feature row with its interval from the fit's uncertainty.

    The Laplace approximation of the penalised likelihood: the coefficients' covariance is
    the inverse of ``A'WA + diag(0, 1/C, …)`` on the standardised design ``A`` with an
    intercept column (``W``: the fitted ``p(1 − p)``); the linear predictor's interval is
    ``η ± z·se`` and is mapped to a probability.

    Returns
    -------
    tuple
        ``(probability, [low, high])``.
    """
    names = list(cfg["models"]["logistic"]["features"])
    scaler, lr = model.named_steps["standardscaler"], model.named_steps["logisticregression"]
    a_train = np.column_stack([np.ones(len(train)), scaler.transform(design(train, kind, names))])
    p = lr.predict_proba(a_train[:, 1:])[:, 1]
    penalty = np.r_[0.0, np.full(a_train.shape[1] - 1, 1.0 / float(lr.C))]
    hessian = (a_train * (p * (1 - p))[:, None]).T @ a_train + np.diag(penalty)
    cov = np.linalg.pinv(hessian)
    a = np.r_[1.0, scaler.transform(x.reshape(1, -1))[0]]
    eta = float(lr.intercept_[0] + a[1:] @ lr.coef_[0])
    se = float(np.sqrt(max(a @ cov @ a, 0.0)))
    z = float(stats.norm.ppf(0.5 + level / 2))
    return float(special.expit(eta)), [
        float(special.expit(eta - z * se)),
        float(special.expit(eta + z * se)),
    ]
