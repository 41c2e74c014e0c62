"""Event counts and rates over moving windows of calendar years (pure panel helpers)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def window_panel(
    counts: pd.DataFrame,
    members: pd.DataFrame,
    first_year: int,
    last_year: int,
    window: int,
    *,
    per_year: bool = True,
    sums: tuple[str, ...] = ("count",),
) -> pd.DataFrame:
    """Event counts summed over a moving window of calendar years, zero-filled for members.

    Parameters
    ----------
    counts : pandas.DataFrame
        Columns ``country_iso3``, ``year``, ``count`` (events per country-year; absent rows
        are zero).
    members : pandas.DataFrame
        Columns ``country_iso3`` and ``year``: who gets a value (a recorded zero when it
        has no events) in each window's last year. Countries not listed for a year get no
        row for it.
    first_year, last_year : int
        Years the source covers completely; windows must lie inside them.
    window : int
        Window length in years (the window of year ``y`` is ``y - window + 1`` … ``y``).
    per_year : bool
        ``value`` = count / window (events per year); otherwise the count.
    sums : tuple of str
        Columns of ``counts`` summed over the window (``count`` first; others, such as a
        weighted count, come out beside it).

    Returns
    -------
    pandas.DataFrame
        ``country_iso3``, ``year`` (window's last year, from ``first_year + window - 1`` to
        ``last_year``), ``value`` and ``count`` (events in the window).
    """
    years = np.arange(first_year, last_year + 1)
    end_years = years[window - 1 :]
    if not len(end_years):
        return pd.DataFrame(columns=["country_iso3", "year", "value", *sums])
    in_years = counts[counts["year"].between(first_year, last_year)]
    out = members[members["year"].isin(end_years)][["country_iso3", "year"]].drop_duplicates()
    for col in sums:
        grid = (
            in_years.groupby(["country_iso3", "year"])[col]
            .sum()
            .unstack("year")
            .reindex(columns=years, fill_value=0)
            .fillna(0)
        )
        rolled = grid.T.rolling(window).sum().T.loc[:, end_years]
        long = rolled.stack().rename(col).reset_index()
        long.columns = ["country_iso3", "year", col]
        out = out.merge(long, on=["country_iso3", "year"], how="left")
        out[col] = out[col].fillna(0.0).astype(float)
    out["value"] = out["count"] / window if per_year else out["count"]
    out["year"] = out["year"].astype(int)
    return out.sort_values(["country_iso3", "year"]).reset_index(drop=True)


def window_ratio_panel(
    numerator: pd.DataFrame,
    denominator: pd.DataFrame,
    members: pd.DataFrame,
    first_year: int,
    last_year: int,
    window: int,
    scale: float,
) -> pd.DataFrame:
    """Windowed sum of a numerator over the windowed sum of a denominator (person-years).

    Parameters
    ----------
    numerator : pandas.DataFrame
        ``country_iso3``, ``year``, ``count`` (e.g. deaths; absent rows are zero).
    denominator : pandas.DataFrame
        ``country_iso3``, ``year``, ``value`` (e.g. population; absent rows are unknown).
    members, first_year, last_year, window
        As :func:`window_panel`.
    scale : float
        Multiplier (e.g. 100000 for a rate per 100000).

    Returns
    -------
    pandas.DataFrame
        ``country_iso3``, ``year``, ``value`` (scale × Σ numerator / Σ denominator over the
        window's years that have a denominator; NaN when none has) and ``count`` (Σ
        numerator over those years).
    """
    years = np.arange(first_year, last_year + 1)
    end_years = years[window - 1 :]
    den = (
        denominator[denominator["year"].between(first_year, last_year)]
        .pivot_table(index="country_iso3", columns="year", values="value", aggfunc="sum")
        .reindex(columns=years)
    )
    num = (
        numerator[numerator["year"].between(first_year, last_year)]
        .groupby(["country_iso3", "year"])["count"]
        .sum()
        .unstack("year")
        .reindex(index=den.index, columns=years)
        .fillna(0.0)
    )
    has = den.notna() & (den > 0)
    num_sum = num.where(has, 0.0).T.rolling(window).sum().T.loc[:, end_years]
    den_sum = den.where(has, 0.0).T.rolling(window).sum().T.loc[:, end_years]
    value = (scale * num_sum / den_sum.where(den_sum > 0)).stack()
    frame = pd.DataFrame(
        {"value": value, "count": num_sum.stack().reindex(value.index)}
    ).reset_index()
    frame.columns = ["country_iso3", "year", "value", "count"]
    keep = members[members["year"].isin(end_years)][["country_iso3", "year"]].drop_duplicates()
    out = keep.merge(frame, on=["country_iso3", "year"], how="left")
    out["year"] = out["year"].astype(int)
    return out.sort_values(["country_iso3", "year"]).reset_index(drop=True)
