"""Section 7: the country beside its peers, small multiples on identical scales.

The series come from :func:`osa_analysis.analyse.peers.peer_tables`, computed once per
process for a group of countries and shared by every brief of the group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from osa_analysis.analyse.peers import PEER_SOURCES, PeerTables, peer_tables
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section
from osa_analysis.brief.style import COUNTRY_COLORS, NEUTRAL, bars, figure
from osa_analysis.core.countries import country_name
from osa_analysis.core.i18n import _, tr


def shown_name(iso3: str) -> str:
    """Return a country's name in the current language (recipients' names are translated)."""
    return str(tr(country_name(iso3)))


def peers_figure(peers: PeerTables, iso3: str) -> Figure:
    """Three rows (incidents, WGI political stability, military spending), one column each."""
    countries = list(peers.countries)
    counts, wgi, milex = peers.incidents, peers.wgi, peers.milex
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
    for j, country in enumerate(countries):
        color = COUNTRY_COLORS.get(country, NEUTRAL)
        ax = axes[0][j]
        bars(ax, counts.index, counts[country], color=color)
        ax.set_title(
            _("{country} (this brief)").format(country=shown_name(country))
            if country == iso3
            else shown_name(country)
        )
        w = wgi[wgi["country_iso3"] == country].sort_values("year")
        ax = axes[1][j]
        ax.fill_between(w["year"], w["estimate_low"], w["estimate_high"], color=color, alpha=0.25)
        ax.plot(w["year"], w["estimate"], color=color, marker="o", ms=2.5)
        ax.axhline(0, color=NEUTRAL, lw=0.6)
        m = milex[milex["country_iso3"] == country].sort_values("year")
        ax = axes[2][j]
        ax.plot(m["year"], m["milex_share_gdp_pct"], color=color, marker="o", ms=2.5)
        ax.set_xlabel(_("year"))
    axes[0][0].set_ylabel(_("piracy/robbery events\nper year (count)"))
    axes[1][0].set_ylabel(_("WGI political stability\n(estimate, 90% band)"))
    axes[2][0].set_ylabel(_("military expenditure\n(% of GDP)"))
    for ax in axes[2]:
        ax.set_ylim(bottom=0)
    return fig


def _est(est, low, high, year) -> str:
    if est is None or np.isnan(est):
        return _("n/a (no data)")
    return _("{estimate} [{low}, {high}] ({year})").format(
        estimate=f"{est:.2f}", low=f"{low:.2f}", high=f"{high:.2f}", year=year
    )


def latest_table(peers: PeerTables, year: int) -> pd.DataFrame:
    """One row per country: recent incidents, latest WGI political stability and spending."""
    return pd.DataFrame(
        [
            {
                _("country"): shown_name(iso3),
                _("events {first}–{last}").format(first=year - 4, last=year): v[
                    "events_last_5_calendar_years"
                ],
                _("WGI political stability"): _est(
                    v["wgi_pv_estimate"], v["wgi_pv_low"], v["wgi_pv_high"], v["wgi_pv_year"]
                ),
                _("military exp. % GDP"): (
                    _("{value} ({year})").format(
                        value=f"{v['milex_share_gdp_pct']:.2f}", year=v["milex_year"]
                    )
                    if v["milex_share_gdp_pct"] is not None
                    else _("n/a (no data)")
                ),
            }
            for iso3, v in peers.latest.items()
        ]
    )


def prepare(ctx: BriefContext) -> None:
    """Compute the peer series of the group once for the build (shared by its briefs)."""
    ctx.analysis(peer_tables)


def peers_section(ctx: BriefContext) -> Section:
    """Small multiples: incidents per year, WGI political stability, military spending."""
    peers = ctx.analysis(peer_tables)
    markdown = _(
        "The same three measures for each peer, on identical scales. Incident counts are events "
        "attributed to each country's approximate EEZ (all sources merged and de-duplicated); "
        "their coverage changes over time for every country alike (see section {section}). WGI "
        "bands are 90% intervals (±1.645 standard errors): overlapping bands mean the difference "
        "is not clear. Military expenditure is the World Bank's copy of SIPRI's series."
    ).format(section=registry.number("maritime"))
    countries = list(peers.countries)
    return Section(
        key="peers",
        title=_("Peers"),
        markdown=markdown,
        figures=[
            (
                _("Peers on identical scales: incidents, political stability, military spending"),
                peers_figure(peers, ctx.country_iso3),
            )
        ],
        tables=[(_("Peers, latest values"), latest_table(peers, ctx.scope.year))],
        values={
            "countries": countries,
            "incidents_per_year": {
                iso3: {str(y): int(c) for y, c in peers.incidents[iso3].items()}
                for iso3 in countries
            },
            "latest": peers.latest,
        },
        sources=list(PEER_SOURCES),
    )
