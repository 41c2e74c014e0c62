"""One look for every brief figure, and deterministic PNG output."""

from __future__ import annotations

import io

import matplotlib.image as mimage
import matplotlib.pyplot as plt
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

RC = {
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "font.family": "DejaVu Sans",
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


def figure(width: float = 7.5, height: float = 3.6, **kwargs) -> tuple[Figure, object]:
    """Return ``(fig, ax_or_axes)`` in the brief style (an object-oriented Figure)."""
    with plt.rc_context(RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(**kwargs)
    return fig, axes


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
