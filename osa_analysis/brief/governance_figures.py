"""Figures of the governance section: WGI over time and beside peers, V-Dem, UCDP."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from osa_analysis.analyse.governance import WGI_BAND_PCT, WGI_ORDER
from osa_analysis.brief.governance_text import DEATH_LABELS, REGIME_LABELS, wgi_name
from osa_analysis.brief.style import ACCENT, COUNTRY_COLORS, NEUTRAL, bars, figure
from osa_analysis.core.i18n import _

REGIME_COLORS = {
    "closed autocracy": "#d7301f",
    "electoral autocracy": "#fc8d59",
    "electoral democracy": "#9ecae1",
    "liberal democracy": "#3182bd",
}
"""Background colour of each Regimes of the World category."""


def wgi_time_figure(series: dict, name: str) -> Figure:
    """Six panels, one per WGI indicator: estimate and band over time on the same scale."""
    fig, axes = figure(width=7.8, height=4.4, nrows=2, ncols=3, sharex=True, sharey=True)
    for ax, code in zip(np.asarray(axes).ravel(), WGI_ORDER, strict=True):
        pts = series[code]
        years = sorted(pts)
        est = np.array([pts[y][0] if pts[y][0] is not None else np.nan for y in years], dtype=float)
        lo = np.array([pts[y][1] if pts[y][1] is not None else np.nan for y in years], dtype=float)
        hi = np.array([pts[y][2] if pts[y][2] is not None else np.nan for y in years], dtype=float)
        if years:
            ax.fill_between(years, lo, hi, color="#9ecae1", alpha=0.6, lw=0)
            ax.plot(years, est, color="#08519c", lw=1.2, marker="o", ms=2)
        ax.axhline(0, color=NEUTRAL, lw=0.6)
        ax.set_title(wgi_name(code), fontsize=9)
        ax.set_ylim(-2.5, 2.5)
    for ax in np.asarray(axes)[:, 0]:
        ax.set_ylabel(_("estimate (σ units)"))
    fig.suptitle(
        _("{country}: WGI estimates with {band_pct}% bands").format(
            country=name, band_pct=WGI_BAND_PCT
        ),
        fontsize=10,
        fontweight="bold",
    )
    return fig


def wgi_peer_figure(peers: dict, iso3: str, year: int) -> Figure:
    """Six panels: each country's estimate and band in ``year`` (the brief's country marked)."""
    countries = list(peers)
    fig, axes = figure(width=7.8, height=1.2 + 0.32 * len(countries), nrows=1, ncols=6, sharey=True)
    y = np.arange(len(countries))[::-1]
    for ax, code in zip(np.asarray(axes).ravel(), WGI_ORDER, strict=True):
        for yi, iso in zip(y, countries, strict=True):
            v = peers[iso][code]
            color = COUNTRY_COLORS.get(iso, ACCENT if iso == iso3 else NEUTRAL)
            if v["estimate"] is None:
                ax.text(0, yi, _("n/a"), ha="center", va="center", fontsize=7, color=NEUTRAL)
                continue
            ax.plot([v["low"], v["high"]], [yi, yi], color=color, lw=2.2, alpha=0.5)
            ax.plot(v["estimate"], yi, "o", color=color, ms=5 if iso == iso3 else 4)
        ax.axvline(0, color=NEUTRAL, lw=0.6)
        ax.set_xlim(-2.5, 2.5)
        ax.set_title(wgi_name(code), fontsize=8)
        ax.set_xlabel(_("estimate"), fontsize=8)
    ax0 = np.asarray(axes).ravel()[0]
    ax0.set_yticks(y, [f"{c} ◀" if c == iso3 else c for c in countries])
    fig.suptitle(
        _("WGI {year}: estimate and {band_pct}% band by country").format(
            year=year, band_pct=WGI_BAND_PCT
        ),
        fontsize=10,
        fontweight="bold",
    )
    return fig


def _runs(labels: list[tuple[int, str | None]]) -> list[tuple[str | None, int, int]]:
    """Group consecutive ``(year, label)`` pairs with the same label: ``(label, first, last)``."""
    runs: list[tuple[str | None, int, int]] = []
    for year, label in labels:
        if runs and runs[-1][0] == label and runs[-1][2] == year - 1:
            runs[-1] = (label, runs[-1][1], year)
        else:
            runs.append((label, year, year))
    return runs


def vdem_figure(history: dict, name: str) -> Figure:
    """V-Dem electoral democracy index with its interval over the regime category's colour."""
    fig, ax = figure(width=7.5, height=2.8)
    years = sorted(history)
    for label, first, last in _runs([(y, history[y]["regime_label"]) for y in years]):
        if label:  # one band per run of years in the same category
            ax.axvspan(first - 0.5, last + 0.5, color=REGIME_COLORS[label], alpha=0.25, lw=0)
    est = [history[y]["polyarchy"] for y in years]
    lo = [history[y]["low"] for y in years]
    hi = [history[y]["high"] for y in years]
    ax.fill_between(years, lo, hi, step="mid", color="#08519c", alpha=0.2, lw=0)
    ax.step(years, est, where="mid", color="#08519c", lw=1.4)
    ax.set_ylim(0, 1)
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.set_ylabel(_("electoral democracy (0–1)"))
    ax.set_xlabel(_("year"))
    handles = [
        Patch(color=c, alpha=0.4, label=_(REGIME_LABELS[k])) for k, c in REGIME_COLORS.items()
    ]
    ax.legend(handles=handles, loc="upper left", fontsize=7, ncols=4)
    ax.set_title(
        _("{country}: V-Dem polyarchy with interval; background = regime type").format(
            country=name
        ),
        fontsize=9,
    )
    return fig


def ucdp_figure(values: dict, name: str) -> Figure:
    """Conflicts per year (on the territory, with the state as a party) and deaths by kind."""
    fig, (ax1, ax2) = figure(width=7.8, height=3.0, nrows=1, ncols=2, width_ratios=[3, 2])
    per = values["conflicts_per_year"]
    years = sorted(per)
    loc = [per[y]["location"] for y in years]
    prim = [per[y]["primary_party"] for y in years]
    bars(ax1, np.array(years) - 0.2, loc, width=0.4, color="#9ecae1", label=_("on its territory"))
    bars(
        ax1,
        np.array(years) + 0.2,
        prim,
        width=0.4,
        color="#08519c",
        label=_("state a primary party"),
    )
    ax1.set_ylabel(_("active conflicts"))
    ax1.set_xlabel(_("year"))
    ax1.set_ylim(0, max([1, *loc, *prim]) + 1)
    ax1.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax1.legend(fontsize=7, loc="upper left")
    ax1.set_title(_("Armed conflicts (UCDP/PRIO ACD)"), fontsize=9)
    deaths = values["deaths"]
    dyears = sorted(deaths)
    bottom = np.zeros(len(dyears))
    colors = {"state_based": "#08519c", "non_state": "#fd8d3c", "one_sided": "#a50f15"}
    for k, color in colors.items():
        vals = np.array([deaths[y][k] if deaths[y] else np.nan for y in dyears], dtype=float)
        bars(ax2, dyears, np.nan_to_num(vals), bottom=bottom, color=color, label=_(DEATH_LABELS[k]))
        bottom = bottom + np.nan_to_num(vals)
    ax2.set_ylabel(_("deaths (best estimate)"))
    ax2.set_xlabel(_("year"))
    ax2.legend(fontsize=7, loc="upper right")
    ax2.set_title(_("Organized-violence deaths (UCDP)"), fontsize=9)
    if not any(deaths.values()):
        ax2.text(0.5, 0.5, _("no UCDP data"), transform=ax2.transAxes, ha="center")
    fig.suptitle(
        _("{country}: armed conflict and organized violence").format(country=name),
        fontsize=10,
        fontweight="bold",
    )
    return fig
