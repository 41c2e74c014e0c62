"""Section 7: the country beside its peers, small multiples on identical scales."""

from __future__ import annotations

import numpy as np
import pandas as pd

from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section
from osa_analysis.brief.style import COUNTRY_COLORS, NEUTRAL, figure
from osa_analysis.core.countries import country_name

PEER_YEARS = 15
"""Years shown in the peer charts."""


def peer_incident_counts(ctx: BriefContext) -> pd.DataFrame:
    """Piracy and armed-robbery events per year in each peer's waters (approximate EEZ).

    Returns
    -------
    pandas.DataFrame
        Index: year (the last :data:`PEER_YEARS` to ``as_of``); one column per country.
    """
    events = ctx.incidents
    years = range(ctx.year_as_of - PEER_YEARS + 1, ctx.year_as_of + 1)
    mask = events["category"].eq("piracy_armed_robbery") & events["coastal_state_iso3"].isin(
        ctx.all_countries
    )
    counts = (
        events[mask]
        .assign(year=events.loc[mask, "date"].dt.year)
        .groupby(["year", "coastal_state_iso3"])
        .size()
        .unstack(fill_value=0)
    )
    return counts.reindex(index=list(years), columns=list(ctx.all_countries), fill_value=0)


def peer_wgi(ctx: BriefContext, indicator: str = "pv") -> pd.DataFrame:
    """WGI estimate and 90% band of one indicator per peer and year."""
    from osa_analysis.sources.loaders.indicators import load_wgi, wgi_interval

    ctx.use("wgi")
    wgi = wgi_interval(load_wgi())
    keep = (
        wgi["indicator"].eq(indicator)
        & wgi["country_iso3"].isin(ctx.all_countries)
        & wgi["year"].between(ctx.year_as_of - PEER_YEARS, ctx.year_as_of)
    )
    return wgi.loc[keep, ["country_iso3", "year", "estimate", "estimate_low", "estimate_high"]]


def peer_milex(ctx: BriefContext) -> pd.DataFrame:
    """Military expenditure, % of GDP (World Bank, SIPRI-sourced), per peer and year."""
    from osa_analysis.sources.loaders.indicators import load_wb_milex_share

    ctx.use("wb_milex_share")
    milex = load_wb_milex_share()
    keep = (
        milex["country_iso3"].isin(ctx.all_countries)
        & milex["year"].between(ctx.year_as_of - PEER_YEARS, ctx.year_as_of)
        & milex["milex_share_gdp_pct"].notna()
    )
    return milex.loc[keep, ["country_iso3", "year", "milex_share_gdp_pct"]]


def peers_section(ctx: BriefContext) -> Section:
    """Small multiples: incidents per year, WGI political stability, military spending."""
    countries = list(ctx.all_countries)
    counts = peer_incident_counts(ctx)
    wgi = peer_wgi(ctx)
    milex = peer_milex(ctx)

    n = len(countries)
    fig, axes = figure(
        width=min(2.1 * n, 9.5),
        height=6.2,
        nrows=3,
        ncols=n,
        sharey="row",
        sharex=True,
        squeeze=False,
    )
    for j, iso3 in enumerate(countries):
        color = COUNTRY_COLORS.get(iso3, NEUTRAL)
        ax = axes[0][j]
        ax.bar(counts.index, counts[iso3], color=color)
        ax.set_title(
            f"{country_name(iso3)}" + (" (this brief)" if iso3 == ctx.country_iso3 else "")
        )
        w = wgi[wgi["country_iso3"] == iso3].sort_values("year")
        ax = axes[1][j]
        ax.fill_between(w["year"], w["estimate_low"], w["estimate_high"], color=color, alpha=0.25)
        ax.plot(w["year"], w["estimate"], color=color, marker="o", ms=2.5)
        ax.axhline(0, color=NEUTRAL, lw=0.6)
        m = milex[milex["country_iso3"] == iso3].sort_values("year")
        ax = axes[2][j]
        ax.plot(m["year"], m["milex_share_gdp_pct"], color=color, marker="o", ms=2.5)
        ax.set_xlabel("year")
    axes[0][0].set_ylabel("piracy/robbery events\nper year (count)")
    axes[1][0].set_ylabel("WGI political stability\n(estimate, 90% band)")
    axes[2][0].set_ylabel("military expenditure\n(% of GDP)")
    for ax in axes[2]:
        ax.set_ylim(bottom=0)

    latest = {}
    for iso3 in countries:
        w = wgi[wgi["country_iso3"] == iso3].dropna(subset=["estimate"]).sort_values("year")
        m = milex[milex["country_iso3"] == iso3].sort_values("year")
        recent = counts.loc[counts.index > ctx.year_as_of - 5, iso3]
        latest[iso3] = {
            "events_last_5_calendar_years": int(recent.sum()),
            "wgi_pv_year": int(w["year"].iloc[-1]) if len(w) else None,
            "wgi_pv_estimate": float(w["estimate"].iloc[-1]) if len(w) else None,
            "wgi_pv_low": float(w["estimate_low"].iloc[-1]) if len(w) else None,
            "wgi_pv_high": float(w["estimate_high"].iloc[-1]) if len(w) else None,
            "milex_share_gdp_pct": float(m["milex_share_gdp_pct"].iloc[-1]) if len(m) else None,
            "milex_year": int(m["year"].iloc[-1]) if len(m) else None,
        }
    table = pd.DataFrame(
        [
            {
                "country": country_name(iso3),
                f"events {ctx.year_as_of - 4}–{ctx.year_as_of}": v["events_last_5_calendar_years"],
                "WGI political stability": _est(
                    v["wgi_pv_estimate"], v["wgi_pv_low"], v["wgi_pv_high"], v["wgi_pv_year"]
                ),
                "military exp. % GDP": (
                    f"{v['milex_share_gdp_pct']:.2f} ({v['milex_year']})"
                    if v["milex_share_gdp_pct"] is not None
                    else "n/a (no data)"
                ),
            }
            for iso3, v in latest.items()
        ]
    )
    markdown = (
        "The same three measures for each peer, on identical scales. Incident counts are events "
        "attributed to each country's approximate EEZ (all sources merged and de-duplicated); "
        "their coverage changes over time for every country alike (see section 3). WGI bands are "
        "90% intervals (±1.645 standard errors): overlapping bands mean the difference is not "
        "clear. Military expenditure is the World Bank's copy of SIPRI's series."
    )
    return Section(
        key="peers",
        title="7. Peers",
        markdown=markdown,
        figures=[
            ("Peers on identical scales: incidents, political stability, military spending", fig)
        ],
        tables=[("Peers, latest values", table)],
        values={
            "countries": countries,
            "incidents_per_year": {
                iso3: {str(y): int(c) for y, c in counts[iso3].items()} for iso3 in countries
            },
            "latest": latest,
        },
        sources=["wgi", "wb_milex_share"],
    )


def _est(est, low, high, year) -> str:
    if est is None or np.isnan(est):
        return "n/a (no data)"
    return f"{est:.2f} [{low:.2f}, {high:.2f}] ({year})"
