"""Tables for researchers exploring the data in JupyterLab (used by the exploration notebooks).

Each function returns a tidy frame from tables given to it or handed out by a
:class:`~osa_analysis.analyse.tables.TableStore`; nothing is printed.
"""

from __future__ import annotations

import pandas as pd

from osa_analysis.analyse.tables import TableStore
from osa_analysis.harmonise.incidents import source_agreement
from osa_analysis.sources.recipients import osa_totals


def incidents_by_year(
    events: pd.DataFrame, *, by: str = "category", start: int | None = None
) -> pd.DataFrame:
    """Count events per calendar year and another column (default ``category``).

    Parameters
    ----------
    events : pandas.DataFrame
        Rows of :func:`osa_analysis.harmonise.incidents.load_incidents`.
    by : str
        Column to split by (``category``, ``severity``, ``coastal_state_iso3``, ``sources``...).
    start : int, optional
        First year kept.

    Returns
    -------
    pandas.DataFrame
        Index year, one column per value of ``by`` (missing values as ``"NA"``).
    """
    dated = events.dropna(subset=["date"])
    table = (
        dated.assign(year=dated["date"].dt.year, key=dated[by].astype("string").fillna("NA"))
        .groupby(["year", "key"])
        .size()
        .unstack(fill_value=0)
    )
    table.columns.name = by
    return table.loc[start:] if start is not None else table


def incidents_by_source(events: pd.DataFrame) -> pd.DataFrame:
    """How many events each source family reported, alone or with others, and their dates."""
    exploded = events.assign(source_file=events["sources"].str.split(";")).explode("source_file")
    return (
        exploded.groupby("source_file")
        .agg(
            events=("incident_id", "size"),
            shared_with_other_sources=("n_sources", lambda s: int((s > 1).sum())),
            first=("date", "min"),
            last=("date", "max"),
        )
        .sort_values("events", ascending=False)
    )


def top_coastal_states(events: pd.DataFrame, *, since: str, n: int = 15) -> pd.DataFrame:
    """Coastal states with the most piracy and armed-robbery events since a date."""
    recent = events[
        (events["date"] >= pd.Timestamp(since)) & events["category"].eq("piracy_armed_robbery")
    ]
    counts = recent["coastal_state_iso3"].fillna("high seas / unattributed").value_counts()
    return counts.head(n).rename_axis("coastal_state_iso3").reset_index(name="events")


def recipient_overview(tables: TableStore, *, years: int = 5) -> pd.DataFrame:
    """One row per OSA recipient: OSA funding, recent incidents, WGI political stability.

    Parameters
    ----------
    tables : TableStore
        The store of the as-of date (nothing after it is used).
    years : int
        Length of the recent period for incident counts.
    """
    end = tables.as_of
    start = end - pd.DateOffset(years=years)
    events = tables.get("incidents")
    recent = events[(events["date"] > start) & events["category"].eq("piracy_armed_robbery")]
    counts = recent["coastal_state_iso3"].value_counts()
    wgi = tables.get("wgi")
    pv = wgi[wgi["indicator"] == "pv"].dropna(subset=["estimate"])
    latest_pv = pv.sort_values("year").groupby("country_iso3").last()
    totals = osa_totals(by="country", projects=tables.get("osa_projects")).set_index("country_iso3")
    rows = []
    for iso3 in sorted(tables.get("recipient_countries")["country_iso3"]):
        rows.append(
            {
                "country_iso3": iso3,
                "osa_announced_jpy": totals.loc[iso3, "announced_amount_jpy"],
                "osa_projects": int(totals.loc[iso3, "project_count"]),
                f"incidents_last_{years}y": int(counts.get(iso3, 0)),
                "wgi_pv_estimate": latest_pv["estimate"].get(iso3),
                "wgi_pv_std_error": latest_pv["std_error"].get(iso3),
                "wgi_pv_year": latest_pv["year"].get(iso3),
            }
        )
    return pd.DataFrame(rows)


__all__ = [
    "incidents_by_source",
    "incidents_by_year",
    "recipient_overview",
    "source_agreement",
    "top_coastal_states",
]
