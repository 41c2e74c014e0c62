"""The indicator table at an as-of date: latest value per country, look-back, reasons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from osa_analysis.analyse.composite import reasons as why
from osa_analysis.analyse.composite.coverage import last_usable_year
from osa_analysis.analyse.composite.method import CompositeMethod, load_method
from osa_analysis.analyse.composite.panel import indicator_panel, panel_source_ids
from osa_analysis.analyse.tables import TableStore

TABLE_COLUMNS = (
    "country_iso3",
    "indicator",
    "dimension",
    "raw",
    "year",
    "window_start",
    "count",
    "se",
    "latest_year",
    "age",
    "expected_year",
    "carried_forward",
    "stale",
    "missing",
    "missing_reason",
    "applicable",
)
"""Columns of :func:`table_at`."""


def _latest_values(frame: pd.DataFrame, vals: pd.DataFrame) -> int | None:
    """Fill ``raw``, ``year``, ``count`` and ``se`` of ``frame`` with each latest value."""
    if not len(vals):
        frame["raw"] = np.nan
        frame["year"] = pd.array([pd.NA] * len(frame), dtype="Int64")
        frame["count"] = np.nan
        frame["se"] = np.nan
        return None
    last = vals.sort_values("year").groupby("country_iso3").tail(1).set_index("country_iso3")
    frame["raw"] = last["value"].reindex(frame.index).astype(float)
    frame["year"] = last["year"].reindex(frame.index).astype("Int64")
    frame["count"] = last["count"].reindex(frame.index).astype(float)
    se = last["se"] if "se" in last else pd.Series(np.nan, index=last.index)
    frame["se"] = se.reindex(frame.index).astype(float)
    return int(vals["year"].max())


def _missing_reasons(
    frame: pd.DataFrame,
    notes: pd.Series,
    spec: Mapping[str, Any],
    latest_year: int | None,
    limit: int,
    as_of: pd.Timestamp,
    lag_max: int,
) -> pd.Series:
    """Why each country's value is missing (NA where it is not)."""
    lookback = int(spec["lookback_years"])
    reasons = pd.Series(pd.NA, index=frame.index, dtype="string")
    if latest_year is None:
        reasons[:] = why.NO_DATA_UP_TO.format(year=as_of.year)
        return reasons
    if as_of.year - latest_year > lag_max:
        reasons[:] = why.SOURCE_ENDED.format(latest_year=latest_year, lag=lag_max, year=as_of.year)
        return reasons
    none = frame["year"].isna()
    note = notes.reindex(frame.index)
    reasons[none] = note[none].fillna(why.NO_VALUE_UP_TO.format(year=limit))
    old = frame["year"].notna() & (frame["age"] > lookback)
    for iso3 in frame.index[old.fillna(False).to_numpy()]:
        y = int(frame.at[iso3, "year"])
        reasons[iso3] = (
            why.OLDER_THAN_LOOKBACK.format(year=y, lookback=lookback, latest_year=latest_year)
            if lookback
            else why.NO_VALUE_FOR.format(latest_year=latest_year, year=y)
        )
    return reasons


def _indicator_rows(
    sub: pd.DataFrame,
    iid: str,
    spec: Mapping[str, Any],
    countries: list[str],
    as_of: pd.Timestamp,
    lag_max: int,
) -> pd.DataFrame:
    """One indicator's rows of :func:`table_at` from its rows of the panel."""
    notes = sub[sub["year"].isna()].set_index("country_iso3")["note"]
    limit = last_usable_year(spec, as_of)
    vals = sub[sub["year"].notna() & sub["value"].notna()]
    vals = vals[vals["year"].astype(int) <= limit]
    frame = pd.DataFrame(index=pd.Index(countries, name="country_iso3"))
    frame["indicator"] = iid
    frame["dimension"] = spec["dimension"]
    latest_year = _latest_values(frame, vals)
    frame["latest_year"] = latest_year
    frame["age"] = (latest_year - frame["year"]) if latest_year is not None else pd.NA
    frame["window_start"] = (
        frame["year"] - int(spec["window_years"]) + 1 if spec["kind"] == "window" else pd.NA
    )
    reasons = _missing_reasons(frame, notes, spec, latest_year, limit, as_of, lag_max)
    missing = reasons.notna()
    frame["missing"] = missing.to_numpy()
    frame["missing_reason"] = reasons
    frame["carried_forward"] = (~missing & (frame["age"].fillna(0) > 0)).astype(bool).to_numpy()
    expected = as_of.year - int(spec["release_lag_years"])
    frame["expected_year"] = expected
    older = frame["year"].astype("Float64").fillna(np.inf) < expected
    frame["stale"] = (~missing & older).astype(bool).to_numpy()
    frame.loc[missing.to_numpy(), "raw"] = np.nan
    if "applicable" in sub:
        na = sub.loc[~sub["applicable"].astype(bool), "country_iso3"].astype(str)
        frame["applicable"] = ~frame.index.isin(set(na))
    else:
        frame["applicable"] = True
    return frame.reset_index()


def table_at(panel: pd.DataFrame, method: Mapping[str, Any], as_of: pd.Timestamp) -> pd.DataFrame:
    """Latest value per country and indicator up to ``as_of``, with look-back and reasons.

    Parameters
    ----------
    panel : pandas.DataFrame
        :func:`~osa_analysis.analyse.composite.panel.build_indicator_panel` output (or a
        synthetic one with its columns).
    method : Mapping
        The composite's method.
    as_of : pandas.Timestamp

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TABLE_COLUMNS`, one row per country of the panel and indicator.
        ``latest_year`` is the indicator's latest year with any value at ``as_of``;
        ``age`` = latest_year − year; ``carried_forward`` when 0 < age ≤ look-back;
        beyond the look-back, or without any value, ``missing`` with ``missing_reason``.
        ``expected_year`` = as_of's year − ``release_lag_years`` (the latest year the
        source's release schedule should give by ``as_of``); ``stale`` when a value is
        older than that (also the source's own latest). ``window_start`` is the first
        year of a window indicator; ``applicable`` is False where the indicator does not
        apply (landlocked countries' maritime incidents).
    """
    countries = sorted(set(panel["country_iso3"].dropna().astype(str)))
    lag_max = int(method["max_source_lag_years"])
    rows = [
        _indicator_rows(
            panel[panel["indicator"].eq(iid).fillna(False).to_numpy()],
            iid,
            spec,
            countries,
            as_of,
            lag_max,
        )
        for iid, spec in method["indicators"].items()
    ]
    out = pd.concat(rows, ignore_index=True)
    out["age"] = out["age"].astype("Int64")
    out["latest_year"] = out["latest_year"].astype("Int64")
    out["window_start"] = out["window_start"].astype("Int64")
    out["expected_year"] = out["expected_year"].astype("Int64")
    return out[list(TABLE_COLUMNS)]


def indicator_table(tables: TableStore, method: CompositeMethod | None = None) -> pd.DataFrame:
    """All countries × indicators at the store's ``as_of``: raw value, year, stale, reason.

    Parameters
    ----------
    tables : TableStore
        Nothing after its ``as_of`` is used.
    method : CompositeMethod, optional
        Default: the project's method (:func:`load_method`).

    Returns
    -------
    pandas.DataFrame
        :func:`table_at` output (memoised per process and date; do not modify it). The
        panel's sources are recorded as used.
    """
    method = method or load_method()
    tables.use(*panel_source_ids(method))
    return tables.shared(
        ("composite_table", method.config_sha256),
        lambda: table_at(indicator_panel(method, tables), method, tables.as_of),
    )
