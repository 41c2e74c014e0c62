"""Figures of the structural risk composite section (dot-whisker chart and tornado)."""

from __future__ import annotations

import itertools

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from osa_analysis.brief.style import ACCENT, COUNTRY_COLORS, NEUTRAL, figure, vspans
from osa_analysis.core.i18n import N_, _, tr

CHOICE_LABELS = {
    "weights": N_("weights (Dirichlet)"),
    "aggregation": N_("aggregation rule"),
    "normalisation": N_("normalisation (goalposts vs z-scores)"),
    "leave_one_out": N_("leaving one indicator out"),
    "incident_denominator": N_("incident denominator (coast vs EEZ)"),
    "interactions": N_("interactions between choices"),
}
"""Plain labels of the Monte Carlo choices (keys of the method file's ``choices``; messages:
shown through :func:`choice_label`)."""


def choice_label(key: str) -> str:
    """Return the label of a Monte Carlo choice in the current language (the key if unknown)."""
    return _(CHOICE_LABELS[key]) if key in CHOICE_LABELS else key


CLASS_COLORS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")
"""Background bands of the five classes, very low to very high."""


def dot_whisker_figure(values: dict, iso3: str) -> Figure:
    """Score, data interval and method range of the composite and its dimensions, by country.

    Parameters
    ----------
    values : dict
        The section's values (``dimensions``, ``peers``, ``class_thresholds``,
        ``class_labels``).
    iso3 : str
        The brief's country (highlighted).
    """
    dims = list(values["dimensions"])
    panels = [("composite", _("Composite"))] + [
        (d, tr(values["dimensions"][d]["label"])) for d in dims
    ]
    peers = values["peers"]
    order = list(peers)
    fig, axes = figure(
        width=7.8, height=1.5 + 0.32 * len(order), nrows=1, ncols=len(panels), sharey=True
    )
    y = np.arange(len(order))[::-1]
    edges = [0.0, *values["class_thresholds"], 10.0]
    for ax, (key, label) in zip(np.asarray(axes).ravel(), panels, strict=True):
        if key == "composite":
            bands = list(itertools.pairwise(edges))
            vspans(ax, bands, CLASS_COLORS[: len(bands)], alpha=0.18)
        for yi, c in zip(y, order, strict=True):
            p = peers[c] if key == "composite" else peers[c]["dimensions"][key]
            color = COUNTRY_COLORS.get(c, ACCENT if c == iso3 else NEUTRAL)
            if p["score"] is None:
                ax.text(5, yi, _("n/a"), ha="center", va="center", fontsize=7, color=NEUTRAL)
                continue
            if p["method_low"] is not None:  # the method range, thin and light
                ax.plot(
                    [p["method_low"], p["method_high"]], [yi, yi], color=color, lw=0.8, alpha=0.4
                )
            if p["low"] is not None:  # the interval from the data's uncertainty
                ax.plot([p["low"], p["high"]], [yi, yi], color=color, lw=2.6, alpha=0.7)
            ax.plot(p["score"], yi, "o", color=color, ms=6 if c == iso3 else 4.5)
        ax.set_xlim(0, 10)
        ax.set_title(label, fontsize=8)
        ax.set_xlabel(_("score (0–10)"), fontsize=8)
    ax0 = np.asarray(axes).ravel()[0]
    ax0.set_yticks(y, [f"{c} ◀" if c == iso3 else c for c in order])
    handles = [
        Patch(color=CLASS_COLORS[k], alpha=0.35, label=tr(lab))
        for k, lab in enumerate(values["class_labels"])
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=5, fontsize=7)
    fig.suptitle(
        _("Structural security risk: score, 90% interval and method range (higher = riskier)"),
        fontsize=10,
        fontweight="bold",
    )
    return fig


def tornado_figure(values: dict, name: str) -> Figure:
    """First-order sensitivity shares of the country's composite, largest on top.

    Parameters
    ----------
    values : dict
        The section's values (``method_range`` → ``drivers``).
    name : str
        The country's name (title).
    """
    shares = {k: v for k, v in values["method_range"]["drivers"].items() if v is not None}
    items = sorted(shares.items(), key=lambda kv: kv[1])
    fig, ax = figure(width=7.0, height=0.6 + 0.38 * max(len(items), 1))
    if not items:
        ax.text(
            0.5, 0.5, _("score does not vary across draws"), ha="center", transform=ax.transAxes
        )
        ax.set_axis_off()
        return fig
    labels = [choice_label(k) for k, _share in items]
    vals = [100 * v for _key, v in items]
    colors = [NEUTRAL if k == "interactions" else "#2b6a99" for k, _share in items]
    ax.barh(np.arange(len(items)), vals, color=colors)
    ax.set_yticks(np.arange(len(items)), labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("share of the score's Monte Carlo variance (%)"))
    ax.set_title(
        _("{name}: what drives the composite's uncertainty (first-order)").format(name=name),
        fontsize=9,
    )
    return fig
