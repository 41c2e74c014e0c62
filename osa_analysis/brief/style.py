"""One look for every brief figure, and deterministic PNG output."""

from __future__ import annotations

import io

import matplotlib.image as mimage
import matplotlib.pyplot as plt
import matplotlib.transforms as mtransforms
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

RC = {
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "font.family": ["DejaVu Sans", "Noto Sans CJK JP"],  # CJK glyphs: the Japanese edition
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "svg.hashsalt": "osa_analysis",
}

SEVERITY_COLORS = {
    "CAT1": "#7f0000",
    "CAT2": "#d7301f",
    "CAT3": "#fc8d59",
    "CAT4": "#fdcc8a",
    "Attempted": "#6a51a3",
    "NA": "#969696",
}
"""ReCAAP categories, most to least severe; NA = no label and no rule applies."""

COUNTRY_COLORS = {
    "PHL": "#1f77b4",
    "MYS": "#2ca02c",
    "BGD": "#d62728",
    "FJI": "#9467bd",
}
NEUTRAL = "#4d4d4d"
ACCENT = "#c0392b"


def fonts():
    """Return a context in which every text a figure gets is set in the brief's fonts.

    Text made after :func:`figure` returns (legends, labels, annotations) takes the fonts
    in force when it is made; :class:`~osa_analysis.brief.assemble.Brief` builds every
    section inside this context, so Japanese text finds its CJK glyphs (DejaVu Sans first:
    English figures are unchanged).
    """
    return plt.rc_context({"font.family": RC["font.family"]})


def figure(width: float = 7.5, height: float = 3.6, **kwargs) -> tuple[Figure, object]:
    """Return ``(fig, ax_or_axes)`` in the brief style (an object-oriented Figure)."""
    with plt.rc_context(RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(**kwargs)
    return fig, axes


def bars(
    ax,
    x,
    height,
    *,
    width: float = 0.8,
    bottom=0.0,
    color=None,
    label: str | None = None,
    **kwargs,
) -> PolyCollection:
    """Draw vertical bars centred on ``x`` as one artist, as ``ax.bar`` draws them.

    ``ax.bar`` adds one patch per bar, and a brief has hundreds of bars (stacked years,
    seasons, hours); one :class:`~matplotlib.collections.PolyCollection` draws the same
    rectangles several times faster. Like ``ax.bar``, every bar (also of zero height)
    counts for the data limits, and the bars' bases are sticky (no margin below them).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x, height : array-like of float
        Bar centres and heights.
    width : float
        Bar width in data units.
    bottom : float or array-like
        Bar bases (stacked bars).
    color : color
        Face colour.
    label : str, optional
        Legend label (``None``: not in the legend).
    **kwargs
        Further :class:`~matplotlib.collections.PolyCollection` properties (``hatch``,
        ``edgecolor``, ``linewidth``, ``zorder``, ...).

    Returns
    -------
    matplotlib.collections.PolyCollection
    """
    x = np.asarray(x, dtype=float)
    height = np.broadcast_to(np.asarray(height, dtype=float), x.shape)
    base = np.broadcast_to(np.asarray(bottom, dtype=float), x.shape)
    left, right, top = x - width / 2, x + width / 2, base + height
    verts = np.stack(
        [np.column_stack(c) for c in ((left, base), (left, top), (right, top), (right, base))],
        axis=1,
    )
    kwargs.setdefault("edgecolor", "none")
    kwargs.setdefault("linewidth", 0.0)
    coll = PolyCollection(verts, facecolor=color, label=label, closed=True, **kwargs)
    ax.add_collection(coll)
    coll.sticky_edges.y.extend(np.unique(base[np.isfinite(base)]).tolist())
    return coll


def vspans(ax, spans, color, *, alpha: float | None = None, **kwargs) -> PolyCollection:
    """Shade vertical bands ``[(x0, x1), ...]`` over the full height, as one artist.

    The same bands as one ``ax.axvspan`` per pair, drawn at once; the bands count for
    the x data limits only.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    spans : sequence of (float, float)
        Left and right edges in data units.
    color : color or sequence of colors
        One colour, or one per band.
    alpha : float, optional
    **kwargs
        Further :class:`~matplotlib.collections.PolyCollection` properties.

    Returns
    -------
    matplotlib.collections.PolyCollection
    """
    edges = np.asarray(spans, dtype=float).reshape(-1, 2)
    verts = [[(x0, 0.0), (x0, 1.0), (x1, 1.0), (x1, 0.0)] for x0, x1 in edges]
    kwargs.setdefault("linewidth", 0.0)
    kwargs.setdefault("edgecolor", "none")
    coll = PolyCollection(
        verts,
        facecolor=color,
        alpha=alpha,
        closed=True,
        transform=mtransforms.blended_transform_factory(ax.transData, ax.transAxes),
        **kwargs,
    )
    ax.add_collection(coll, autolim=False)
    if len(edges):
        ax.update_datalim(np.column_stack([edges.ravel(), np.zeros(edges.size)]), updatey=False)
        ax.autoscale_view(scaley=False)
    return coll


def png_bytes(fig: Figure) -> bytes:
    """Render a figure to PNG bytes without metadata, so reruns give identical bytes.

    The figure is drawn once on an Agg canvas at ``savefig.dpi`` and encoded as
    :meth:`~matplotlib.figure.Figure.savefig` would; ``savefig`` itself draws a figure with
    a layout engine twice (a first pass to lay it out), which costs about 15% more for the
    same pixels.
    """
    buf = io.BytesIO()
    with plt.rc_context(RC):
        dpi = plt.rcParams["savefig.dpi"]
        screen_dpi = fig.dpi
        fig.dpi = dpi
        try:
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            mimage.imsave(
                buf,
                canvas.buffer_rgba(),
                format="png",
                origin="upper",
                dpi=dpi,
                metadata={"Software": None},
            )
        finally:
            fig.dpi = screen_dpi
    return buf.getvalue()
