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
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
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
            cols.append(logit(rows["base_rate"].fillna(0.0)))
        elif name.startswith("events_"):
            cols.append(rows[f"{kind}_{name}"].to_numpy(dtype=float))
        else:
            cols.append(rows[name].to_numpy(dtype=float))
    return np.column_stack(cols)


def rolling_logistic(
    rows: pd.DataFrame, kind: str, months: int, origins: list[int], cfg: Config
) -> pd.Series:
    """Out-of-sample probabilities of the logistic model at each origin of ``origins``.

    Parameters
    ----------
    rows : pandas.DataFrame
        Every country-year of one kind and horizon: ``year``, ``outcome`` (NaN unresolved),
        ``base_rate`` and the features.
    kind : str
    months : int
    origins : list of int
        Origin years to predict.
    cfg : Mapping
        The backtest method file.

    Returns
    -------
    pandas.Series
        Indexed like the predicted rows of ``rows``; NaN where the training set had no
        event (or no non-event) yet.
    """
    spec = cfg["models"]["logistic"]
    names = list(spec["features"])
    k = months // 12
    out = pd.Series(np.nan, index=rows.index)
    first = int(spec["first_training_year"])
    for t in origins:
        train = rows[(rows["year"] >= first) & (rows["year"] + k <= t) & rows["outcome"].notna()]
        now = rows[rows["year"] == t]
        if now.empty or train.empty or train["outcome"].nunique() < 2:
            continue
        model = make_pipeline(
            StandardScaler(),
            LogisticRegression(
                C=float(spec["penalty_c"]),
                class_weight=spec.get("class_weight"),
                max_iter=2000,
            ),
        )
        model.fit(design(train, kind, names), train["outcome"].to_numpy(dtype=int))
        out.loc[now.index] = model.predict_proba(design(now, kind, names))[:, 1]
    return out
