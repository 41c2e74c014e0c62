"""The figure of section "OSA misuse and diversion risk": the heat strip of the ratings."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from osa_analysis.brief.style import NEUTRAL, figure
from osa_analysis.core.i18n import N_, _

RATING_SHORT = {
    "not critical": N_("NC"),
    "possibly critical": N_("PC"),
    "critical": N_("C"),
    "not computable": N_("n/a"),
}
"""Cell labels of the heat strip (colour carries the rating; the label helps in print)."""
RATING_NAMES = {
    "not critical": N_("not critical"),
    "possibly critical": N_("possibly critical"),
    "critical": N_("critical"),
    "not computable": N_("not computable"),
}
"""The ratings named in the legend."""


def _draw_cells(ax, peers: dict[str, dict[str, str]], criteria: list[dict], colors: dict) -> None:
    """One coloured, labelled cell per country (row, top down) and criterion (column)."""
    n_rows = len(peers)
    for i, iso in enumerate(peers):
        y = n_rows - 1 - i
        for j, crit in enumerate(criteria):
            rating = peers[iso].get(crit["id"], "not computable")
            ax.add_patch(
                Rectangle((j, y), 1, 1, facecolor=colors[rating], edgecolor="white", linewidth=1.5)
            )
            ax.text(
                j + 0.5,
                y + 0.5,
                _(RATING_SHORT[rating]) if rating in RATING_SHORT else rating,
                ha="center",
                va="center",
                fontsize=7,
                color="black" if rating != "critical" else "white",
            )


def _label_axes(ax, countries: list[str], criteria: list[dict], iso3: str) -> None:
    """Criterion names below, countries at the left (the brief's country marked)."""
    n_rows, n_cols = len(countries), len(criteria)
    ax.set_xlim(0, n_cols)
    ax.set_ylim(0, n_rows)
    ax.set_xticks([j + 0.5 for j in range(n_cols)], [c["short"] for c in criteria], rotation=35)
    ax.set_yticks(
        [n_rows - 1 - i + 0.5 for i in range(n_rows)],
        [f"{c} ◀" if c == iso3 else c for c in countries],
    )
    ax.tick_params(length=0, labelsize=7)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)


def heat_strip(
    peers: dict[str, dict[str, str]], criteria: list[dict], colors: dict, iso3: str
) -> Figure:
    """Heat strip of the criterion ratings: one row per country, criteria in config order.

    Parameters
    ----------
    peers : dict
        ISO3 → criterion id → rating.
    criteria : list of dict
        ``id`` and ``short`` of each criterion, in display order (``short`` as shown: in the
        current language).
    colors : dict
        Rating → colour (the config's ``ratings.colors``; grey for not computable).
    iso3 : str
        The brief's country (marked).

    Returns
    -------
    matplotlib.figure.Figure
    """
    countries = list(peers)
    fig, ax = figure(width=8.0, height=1.5 + 0.38 * len(countries))
    _draw_cells(ax, peers, criteria, colors)
    _label_axes(ax, countries, criteria, iso3)
    handles = [Patch(facecolor=c, label=_(RATING_NAMES.get(r, r))) for r, c in colors.items()]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=7)
    ax.set_title(_("Criterion ratings across the peers (same rules for every country)"), fontsize=9)
    ax.set_xlabel(_("criterion"), fontsize=8, color=NEUTRAL)
    ax.set_ylabel(_("country"), fontsize=8, color=NEUTRAL)
    return fig
