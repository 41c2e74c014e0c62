"""The unit a brief is made of: a section with its text, figures, tables and values."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from osa_analysis.core.i18n import _


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
    method : str
        How the section is computed (Markdown): folded under the text in the HTML brief
        and named, not printed, in the PDF (it also stands in the method files).
    html : str
        Markup shown before the text (e.g. the coloured rating tiles of page one); built from
        escaped data only.
    table_ids : list of str
        Anchor of each table (default ``table-<key>-<index>``, :func:`table_anchor`); the
        tables annex gives each table the anchor of its place of origin.
    editions : dict of str to Section
        The same section in the brief's other languages (built from the same analysis by
        :class:`~osa_analysis.brief.assemble.Brief`; shown after this one, each output marked
        with its language, and split into ``brief.<lang>.html`` by the renderer). Their
        ``values`` are not written: ``summary.json`` holds the reference edition's.
    """

    key: str
    title: str
    markdown: str = ""
    figures: list[tuple[str, Figure]] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    method: str = ""
    html: str = ""
    table_ids: list[str] = field(default_factory=list)
    editions: dict[str, Section] = field(default_factory=dict, repr=False)

    def table_id(self, index: int) -> str:
        """Return the anchor of the ``index``-th table."""
        if index < len(self.table_ids):
            return self.table_ids[index]
        return table_anchor(self.key, index)


LONG_TABLE_ROWS = 8
"""A table with more rows than this is long: it moves to the tables annex (folded in the HTML,
named but not printed in the PDF) unless its section is an annex
(:func:`osa_analysis.brief.registry.moves_to_annex`)."""
LONG_TABLE_CHARS = 1500
"""A table whose cells hold more characters than this (about half a printed page) is long too."""


def table_anchor(section_key: str, index: int) -> str:
    """Return the anchor of a section's ``index``-th table (where the annex shows it)."""
    return f"table-{section_key}-{index}"


def is_long(df: pd.DataFrame) -> bool:
    """Whether a table is long (:data:`LONG_TABLE_ROWS`, :data:`LONG_TABLE_CHARS`)."""
    if len(df) > LONG_TABLE_ROWS:
        return True
    chars = sum(len(str(v)) for v in df.to_numpy().ravel()) + sum(len(str(c)) for c in df)
    return chars > LONG_TABLE_CHARS


def esc(text: object) -> str:
    """Escape data text for Markdown/HTML output (``<``, ``>``, ``&``, quotes, ``*``, ``_``)."""
    out = html.escape(str(text), quote=True)
    for ch in ("*", "_", "`", "[", "]", "|"):
        out = out.replace(ch, "\\" + ch)
    return out


def fmt_num(value: float | int | None, digits: int = 0, missing: str | None = None) -> str:
    """Format a number with thousands separators; ``missing`` (default "n/a") for None/NaN."""
    if value is None or (isinstance(value, float) and value != value):
        return _("n/a") if missing is None else missing
    return f"{value:,.{digits}f}"
