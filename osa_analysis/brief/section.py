"""The unit a brief is made of: a section with its text, figures, tables and values."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from matplotlib.figure import Figure


@dataclass
class Section:
    """One section of a country brief.

    Attributes
    ----------
    key : str
        Stable machine name, e.g. ``"maritime"``; the key of its values in ``summary.json``.
    title : str
        Heading shown in the brief, e.g. ``"3. Maritime incidents"``.
    markdown : str
        Body text (Markdown). Any text that comes from data must go through :func:`esc`.
    figures : list of (caption, Figure)
        Figures in display order.
    tables : list of (caption, DataFrame)
        Tables in display order (rendered with HTML escaping).
    values : dict
        Every number the section shows, JSON-able (``None`` for missing), nested freely.
        Written to ``summary.json`` under ``key``; tests compare them with the package's
        own computations.
    sources : list of str
        Registry ids of the sources the section used (for the annex and vintage table).
    caveats : list of str
        Plain-language caveats shown at the end of the section.
    """

    key: str
    title: str
    markdown: str = ""
    figures: list[tuple[str, Figure]] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)


def esc(text: object) -> str:
    """Escape data text for Markdown/HTML output (``<``, ``>``, ``&``, quotes, ``*``, ``_``)."""
    out = html.escape(str(text), quote=True)
    for ch in ("*", "_", "`", "[", "]", "|"):
        out = out.replace(ch, "\\" + ch)
    return out


def fmt_num(value: float | int | None, digits: int = 0, missing: str = "n/a") -> str:
    """Format a number with thousands separators; ``missing`` for None/NaN."""
    if value is None or (isinstance(value, float) and value != value):
        return missing
    return f"{value:,.{digits}f}"
