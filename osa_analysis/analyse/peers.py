"""The country beside its peers: incidents, political stability and military spending.

The same three series for every country of the comparison, on identical scales. They depend
only on the set of countries and ``as_of``, so every brief of a build with the same peers
shares them (:meth:`~osa_analysis.analyse.tables.TableStore.shared`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore
from osa_analysis.sources.loaders.indicators import wgi_interval

PEER_YEARS = 15
"""Years shown in the peer charts."""
RECENT_YEARS = 5
"""Calendar years of the "latest" incident count."""
PEER_SOURCES = ("wgi", "wb_milex_share")
"""Registry ids of the peer series besides the incident table."""


@dataclass(frozen=True)
class PeerTables:
    """The peer series of a set of countries at ``as_of``.

    Attributes
    ----------
    countries : tuple of str
        The brief's country first, then its peers.
    incidents : pandas.DataFrame
        Piracy and armed-robbery events per year (index: the last :data:`PEER_YEARS` years
        to ``as_of``), one column per country.
    wgi : pandas.DataFrame
        WGI political stability: ``country_iso3``, ``year``, ``estimate``,
        ``estimate_low``, ``estimate_high`` (90% band).
    milex : pandas.DataFrame
        Military expenditure, % of GDP: ``country_iso3``, ``year``, ``milex_share_gdp_pct``.
    latest : dict
        Per country: ``events_last_5_calendar_years``, the latest WGI political stability
        (``wgi_pv_year``, ``wgi_pv_estimate``, ``wgi_pv_low``, ``wgi_pv_high``) and military
        expenditure (``milex_share_gdp_pct``, ``milex_year``).
    """

    countries: tuple[str, ...]
    incidents: pd.DataFrame
    wgi: pd.DataFrame
    milex: pd.DataFrame
    latest: dict


def incident_counts(events: pd.DataFrame, countries: tuple[str, ...], year: int) -> pd.DataFrame:
    """Dated piracy and armed-robbery events per year in each country's waters (approximate EEZ).

    Returns
    -------
    pandas.DataFrame
        Index: year (the last :data:`PEER_YEARS` to ``year``); one column per country.
    """
    events = events[events["date"].notna().to_numpy()]
    years = range(year - PEER_YEARS + 1, year + 1)
    mask = events["category"].eq("piracy_armed_robbery") & events["coastal_state_iso3"].isin(
        countries
    )
    counts = (
        events[mask]
        .assign(year=events.loc[mask, "date"].dt.year)
        .groupby(["year", "coastal_state_iso3"])
        .size()
        .unstack(fill_value=0)
    )
    return counts.reindex(index=list(years), columns=list(countries), fill_value=0)


def wgi_series(
    wgi: pd.DataFrame, countries: tuple[str, ...], year: int, indicator: str = "pv"
) -> pd.DataFrame:
    """WGI estimate and 90% band of one indicator per country and year (the last 15 years)."""
    wgi = wgi_interval(wgi)
    keep = (
        wgi["indicator"].eq(indicator)
        & wgi["country_iso3"].isin(countries)
        & wgi["year"].between(year - PEER_YEARS, year)
    )
    return wgi.loc[keep, ["country_iso3", "year", "estimate", "estimate_low", "estimate_high"]]


def milex_series(milex: pd.DataFrame, countries: tuple[str, ...], year: int) -> pd.DataFrame:
    """Military expenditure, % of GDP (World Bank, SIPRI-sourced), per country and year."""
    keep = (
        milex["country_iso3"].isin(countries)
        & milex["year"].between(year - PEER_YEARS, year)
        & milex["milex_share_gdp_pct"].notna()
    )
    return milex.loc[keep, ["country_iso3", "year", "milex_share_gdp_pct"]]


def _latest(counts: pd.DataFrame, wgi: pd.DataFrame, milex: pd.DataFrame, iso3: str, year: int):
    w = wgi[wgi["country_iso3"] == iso3].dropna(subset=["estimate"]).sort_values("year")
    m = milex[milex["country_iso3"] == iso3].sort_values("year")
    recent = counts.loc[counts.index > year - RECENT_YEARS, iso3]
    return {
        "events_last_5_calendar_years": int(recent.sum()),
        "wgi_pv_year": int(w["year"].iloc[-1]) if len(w) else None,
        "wgi_pv_estimate": float(w["estimate"].iloc[-1]) if len(w) else None,
        "wgi_pv_low": float(w["estimate_low"].iloc[-1]) if len(w) else None,
        "wgi_pv_high": float(w["estimate_high"].iloc[-1]) if len(w) else None,
        "milex_share_gdp_pct": float(m["milex_share_gdp_pct"].iloc[-1]) if len(m) else None,
        "milex_year": int(m["year"].iloc[-1]) if len(m) else None,
    }


def peer_tables(scope: Scope, tables: TableStore) -> PeerTables:
    """Return the peer series of ``scope.countries`` at ``scope.as_of`` (shared per process).

    Parameters
    ----------
    scope : Scope
        The country and its peers, and ``as_of``.
    tables : TableStore
        Reads ``incidents``, ``wgi`` and ``wb_milex_share``.
    """
    countries = scope.countries
    group = tuple(sorted(countries))  # the same for every brief of the group
    # read here, so that this store records the sources even when the result is shared
    events = tables.get("incidents")
    wgi, milex = tables.get("wgi"), tables.get("wb_milex_share")

    def build() -> PeerTables:
        counts = incident_counts(events, group, scope.year)
        w = wgi_series(wgi, group, scope.year)
        m = milex_series(milex, group, scope.year)
        latest = {iso3: _latest(counts, w, m, iso3, scope.year) for iso3 in group}
        return PeerTables(group, counts, w, m, latest)

    shared = tables.shared(("peer_tables", group), build)
    return PeerTables(
        countries=countries,
        incidents=shared.incidents[list(countries)],
        wgi=shared.wgi,
        milex=shared.milex,
        latest={iso3: shared.latest[iso3] for iso3 in countries},
    )
