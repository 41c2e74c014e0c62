"""Charts of sections 3 and 4: incidents per year, severity, time of day, gray-zone events.

The maps are in :mod:`osa_analysis.brief.maps`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from osa_analysis.analyse.grayzone import MULTILATERAL, OTHER_PAIRS
from osa_analysis.analyse.incident_tables import SEVERITIES
from osa_analysis.analyse.maritime import MARITIME_CATEGORIES
from osa_analysis.brief.incident_wording import channel_label, incidents_header
from osa_analysis.brief.numbers import date_text, range_text
from osa_analysis.brief.style import NEUTRAL, SEVERITY_COLORS, bars, figure
from osa_analysis.core.i18n import N_, _

CATEGORY_LABELS = {
    "piracy_armed_robbery": N_("piracy and armed robbery"),
    "other_hostile": N_("other hostile acts (military, detentions, protests)"),
    "gray_zone_coercion": N_("gray-zone coercion (SCSDI)"),
}
CATEGORY_COLORS = {"piracy_armed_robbery": "#1f4e79", "other_hostile": "#9e9e9e"}
PERIOD_SHADES = {"previous": "#fde0c5", "recent": "#c7e9c0"}
DARKNESS_COLORS = {"day": "#f2c14e", "twilight": "#6a89cc", "night": "#1b2a49"}
UNKNOWN_DARKNESS = "position or offset unknown"
DARKNESS_LABELS = {
    "day": N_("day"),
    "twilight": N_("twilight"),
    "night": N_("night"),
    UNKNOWN_DARKNESS: N_("position or offset unknown"),
}
"""Shown names of the darkness classes (:func:`time_of_day_figure`)."""
SEVERITY_LABELS = {
    "CAT1": N_("CAT1"),
    "CAT2": N_("CAT2"),
    "CAT3": N_("CAT3"),
    "CAT4": N_("CAT4"),
    "Attempted": N_("Attempted"),
    "NA": N_("NA"),
}
"""Shown names of the ReCAAP levels (:data:`~osa_analysis.analyse.incident_tables.SEVERITIES`)."""
PERIOD_LABELS = {
    "previous": N_("previous period ({span})"),
    "recent": N_("recent period ({span})"),
}
ALONE = N_("{actor} alone")
"""An actor pair of one state (:func:`~osa_analysis.analyse.grayzone.actor_pair`)."""
PAIR_GROUP_LABELS = {
    MULTILATERAL: N_("multilateral (4 or more states)"),
    OTHER_PAIRS: N_("other combinations"),
}
UNKNOWN_DARKNESS_COLOR = "#cccccc"
PAIR_COLORS = ("#c0392b", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b")
"""Colours of the :data:`~osa_analysis.analyse.grayzone.TOP_PAIRS` largest actor pairs."""
OTHER_COLOR = "#b0b0b0"
"""Colour of :data:`~osa_analysis.analyse.grayzone.OTHER_PAIRS`."""


def severity_label(level: str) -> str:
    """Return the shown name of a ReCAAP level ("CAT1" ... "Attempted", "NA")."""
    return _(SEVERITY_LABELS.get(level, level))


def pair_label(pair: str) -> str:
    """Return the shown name of an actor pair ("CHN–PHL", "PHL alone", "other combinations")."""
    if pair in PAIR_GROUP_LABELS:
        return _(PAIR_GROUP_LABELS[pair])
    if pair.endswith(" alone") and " " not in pair.removesuffix(" alone"):
        return _(ALONE).format(actor=pair.removesuffix(" alone"))
    return pair


def pair_colors(top: list[str]) -> dict[str, str]:
    """Colour of each of the largest actor pairs, then of the other combinations."""
    colors = {p: PAIR_COLORS[i] for i, p in enumerate(top)}
    colors[OTHER_PAIRS] = OTHER_COLOR
    return colors


def _year_pos(ts: pd.Timestamp) -> float:
    """Return the x position of a date on a chart with one bar per year centred on the year."""
    ts = pd.Timestamp(ts)
    days = 366 if ts.is_leap_year else 365
    return ts.year - 0.5 + (ts.day_of_year - 1) / days


def _stacked_category_bars(ax, counts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Stack the section's categories per year; return the years and the stack heights."""
    years = counts["year"].to_numpy()
    bottom = np.zeros(len(years))
    for cat in MARITIME_CATEGORIES:
        vals = counts[cat].to_numpy()
        bars(
            ax,
            years,
            vals,
            bottom=bottom,
            color=CATEGORY_COLORS[cat],
            label=_(CATEGORY_LABELS[cat]),
            width=0.8,
        )
        bottom = bottom + vals
    return years, bottom


def _shade_periods(ax, periods: dict) -> None:
    """Shade the previous and the recent comparison periods (ISO dates)."""
    for key, shade in PERIOD_SHADES.items():
        p = periods[key]
        ax.axvspan(
            _year_pos(pd.Timestamp(p["start"])),
            _year_pos(pd.Timestamp(p["end"])) + 1 / 365,
            color=shade,
            alpha=0.6,
            zorder=0,
            label=_(PERIOD_LABELS[key]).format(
                span=range_text(date_text(p["start"]), date_text(p["end"]))
            ),
        )


def _coverage_strip(cov_ax, coverage: pd.DataFrame, lo: float, hi: float) -> None:
    """Draw one line per reporting channel over the years it covers."""
    for i, row in enumerate(coverage.itertuples()):
        a, b = max(_year_pos(row.start), lo), min(_year_pos(row.end) + 1 / 365, hi)
        if b > a:
            cov_ax.plot([a, b], [i, i], linewidth=5, color=NEUTRAL, solid_capstyle="butt")
    cov_ax.set_yticks(range(len(coverage)))
    cov_ax.set_yticklabels(
        [
            channel_label(g, label)
            for g, label in zip(coverage["group"], coverage["label"], strict=True)
        ],
        fontsize=7,
    )
    cov_ax.set_ylim(len(coverage) - 0.4, -0.6)
    cov_ax.set_xlim(lo, hi)
    cov_ax.set_xlabel(_("year"))
    cov_ax.set_title(_("sources active"), fontsize=8, loc="left")
    cov_ax.grid(False)


def annual_counts_figure(
    counts: pd.DataFrame, comparison: dict, coverage: pd.DataFrame, name: str, as_of: pd.Timestamp
) -> Figure:
    """Stacked bars of incidents per year, the two comparison periods and source coverage."""
    fig, (ax, cov_ax) = figure(
        width=7.6, height=4.4, nrows=2, sharex=True, gridspec_kw={"height_ratios": [4, 1.25]}
    )
    years, bottom = _stacked_category_bars(ax, counts)
    _shade_periods(ax, comparison["periods"])
    ax.set_ylabel(_("incidents per year"))
    ax.set_ylim(0, max(float(bottom.max()), 1.0) * 1.55)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(_("Incidents per year in the approximate EEZ of {name}").format(name=name))
    ax.legend(fontsize=7, loc="upper left", ncol=2)
    ax.annotate(
        _("{year}: to {date}").format(year=as_of.year, date=date_text(as_of)),
        xy=(years[-1], bottom[-1]),
        xytext=(0, 4),
        textcoords="offset points",
        ha="center",
        fontsize=7,
    )
    _coverage_strip(cov_ax, coverage, years[0] - 0.5, years[-1] + 0.5)
    return fig


def severity_figure(events: pd.DataFrame, years: list[int], name: str) -> Figure:
    """100% stacked bars of severity by year; ReCAAP labels solid, derived labels hatched."""
    fig, ax = figure(width=7.6, height=3.4)
    dated = events[events["date"].notna()]
    year = dated["date"].dt.year
    sev = dated["severity"].astype("string").fillna("NA")
    source = dated["severity_basis"].eq("source").fillna(False)
    totals = year.value_counts().reindex(years, fill_value=0)
    bottom = np.zeros(len(years))
    for level in SEVERITIES:
        for is_source in (True, False):
            n = (
                year[(sev.eq(level) & source.eq(is_source)).to_numpy()]
                .value_counts()
                .reindex(years, fill_value=0)
                .to_numpy()
            )
            share = np.divide(
                100.0 * n, totals.to_numpy(), out=np.zeros(len(years)), where=totals.to_numpy() > 0
            )
            bars(
                ax,
                years,
                share,
                bottom=bottom,
                color=SEVERITY_COLORS[level],
                hatch=None if is_source else "///",
                edgecolor="white",
                linewidth=0.3,
                width=0.8,
                label=(_("{level} (ReCAAP label)") if is_source else _("{level} (derived)")).format(
                    level=severity_label(level)
                )
                if n.sum()
                else None,
            )
            bottom = bottom + share
    for x, n in zip(years, totals.to_numpy(), strict=True):
        ax.text(x, 101, f"n={n}", ha="center", va="bottom", fontsize=6.5)
    ax.set_ylim(0, 110)
    ax.set_ylabel(_("share of incidents (%)"))
    ax.set_xlabel(_("year"))
    ax.set_xticks(years)
    ax.set_title(_("Severity of piracy and armed robbery by year, {name}").format(name=name))
    ax.legend(fontsize=6.5, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return fig


def time_of_day_figure(times: pd.DataFrame, name: str, period_text: str) -> Figure:
    """Incidents by local hour, stacked by darkness class at the incident position."""
    fig, ax = figure(width=7.2, height=3.2)
    hours = np.arange(24)
    bottom = np.zeros(24)
    classes = times["darkness"].astype("string").fillna(UNKNOWN_DARKNESS)
    for label, color in (*DARKNESS_COLORS.items(), (UNKNOWN_DARKNESS, UNKNOWN_DARKNESS_COLOR)):
        n = (
            times.loc[classes.eq(label).to_numpy(), "local_hour"]
            .dropna()
            .astype(int)
            .value_counts()
            .reindex(hours, fill_value=0)
            .to_numpy()
        )
        if n.sum():
            shown = _(DARKNESS_LABELS.get(label, label))
            bars(ax, hours, n, bottom=bottom, color=color, label=shown, width=0.85)
            bottom = bottom + n
    ax.set_xticks(hours[::2])
    ax.set_xlabel(_("local hour of the incident (0–23)"))
    ax.set_ylabel(incidents_header())
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(
        _("Time of day of incidents, {name}, {period}").format(name=name, period=period_text)
    )
    ax.legend(fontsize=7, title=_("sun at the position"), title_fontsize=7)
    return fig


def grayzone_years_figure(
    by_year: pd.DataFrame, top: list[str], years: list[int], geocoded_end: int, name: str
) -> Figure:
    """Stacked bars of gray-zone events per year by actor pair; where the geo-coded file ends.

    Parameters
    ----------
    by_year : pandas.DataFrame
        Events per year (rows) and pair group (columns), as
        :func:`osa_analysis.analyse.grayzone.pairs_by_year`.
    top : list of str
        The largest pairs (coloured; the rest grey).
    years : list of int
        The years of the x axis.
    geocoded_end : int
        Last year of the geo-coded file (a dotted line after it when the data go on).
    name : str
        The country's name.
    """
    fig, ax = figure(width=7.6, height=3.6)
    bottom = np.zeros(len(by_year))
    for i, col in enumerate(by_year.columns):
        color = PAIR_COLORS[i] if col in top else OTHER_COLOR
        bars(
            ax,
            by_year.index,
            by_year[col],
            bottom=bottom,
            color=color,
            label=pair_label(str(col)),
            width=0.8,
        )
        bottom = bottom + by_year[col].to_numpy()
    if years[-1] > geocoded_end:
        ax.axvline(geocoded_end + 0.5, color=NEUTRAL, linestyle=":", linewidth=1)
        ax.text(
            geocoded_end + 0.55,
            max(bottom.max(), 1) * 0.95,
            _("published table →"),
            fontsize=7,
            va="top",
        )
    ax.set_xticks(years)
    ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    ax.set_xlabel(_("year"))
    ax.set_ylabel(_("events per year"))
    ax.set_title(_("SCSDI events with {name} as an actor, by actor pair").format(name=name))
    ax.legend(fontsize=7, loc="upper left", title=_("actor pair"), title_fontsize=7)
    return fig
