"""Show a :class:`Section` in a notebook (the only display code the notebook calls)."""

from __future__ import annotations

from IPython.display import HTML, Image, Markdown, display

from osa_analysis.brief.section import Section, esc
from osa_analysis.brief.style import png_bytes


def table_html(df, caption: str = "") -> str:
    """Render a table as escaped HTML (data text never becomes markup)."""
    body = df.to_html(index=False, escape=True, na_rep="n/a", border=0, classes="brief-table")
    cap = f"<p class='table-caption'><em>{esc(caption)}</em></p>" if caption else ""
    return cap + body


def show(section: Section, level: int = 2) -> None:
    """Display a section: heading, text, figures, tables and caveats, in that order.

    Parameters
    ----------
    section : Section
        What to show.
    level : int
        Heading level (1 for the brief's title on the cover, 2 for sections).
    """
    display(Markdown(f"{'#' * level} {section.title}\n\n{section.markdown}"))
    for caption, fig in section.figures:
        display(Image(data=png_bytes(fig), format="png"))
        if caption:
            display(Markdown(f"*{caption}*"))
    for caption, df in section.tables:
        display(HTML(table_html(df, caption)))
    if section.caveats:
        display(Markdown("**Caveats.**\n\n" + "\n".join(f"- {c}" for c in section.caveats)))
