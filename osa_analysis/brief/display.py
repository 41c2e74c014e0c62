"""Show a :class:`Section` in a notebook (the only display code the notebook calls).

A figure and its caption are one ``<figure>`` (so a page break never parts them); a long
table (:func:`~osa_analysis.brief.section.is_long`) of a body section is replaced by a
link to the tables annex, where it is folded (``<details>``: open in the HTML, named but not
printed in the PDF); an annex folds its own long tables in place.
"""

from __future__ import annotations

import base64
import html
import re

import mistune
from IPython.display import HTML, Markdown, display

from osa_analysis.brief import registry
from osa_analysis.brief.section import Section, is_long
from osa_analysis.brief.style import png_bytes
from osa_analysis.core.i18n import REFERENCE, _, language, use_language

WIDE_ASPECT = 2.0
"""A figure at least this many times as wide as high prints across the page (class
``osa-wide``); narrower ones print two to a row."""

_MARKUP = re.compile(r"\\(.)|[*_`]")
_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:)]")


def linked_urls(table: str) -> str:
    """Make every URL in a rendered (escaped) table a link (its text may wrap anywhere)."""
    return _URL.sub(lambda m: f'<a class="osa-url" href="{m.group(0)}">{m.group(0)}</a>', table)


def _table_body(df) -> str:
    body = df.to_html(index=False, escape=True, na_rep=_("n/a"), border=0, classes="brief-table")
    return linked_urls(body)


_BOLD = re.compile(r"(?<!\\)\*\*(?=\S)(.+?)(?<=\S)(?<!\\)\*\*", re.DOTALL)


def cjk_markdown(text: str) -> str:
    """Return Markdown whose bold marks hold in Japanese text (``**…：**本文`` → ``<strong>``).

    CommonMark closes ``**`` only when it is "right-flanking": a closing mark after
    punctuation (。：) and before a letter (Japanese has no space there) stays literal. In the
    other editions bold is therefore written as HTML; English keeps its Markdown.
    """
    if language() == REFERENCE or "**" not in text:
        return text
    return _BOLD.sub(r"<strong>\1</strong>", text)


def inline_markdown(text: str) -> str:
    """Return a caption's Markdown (escaped by :func:`~osa_analysis.brief.section.esc`) as HTML."""
    out = mistune.html(cjk_markdown(text)).strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


def plain_text(text: str) -> str:
    """Return a caption without its Markdown marks, escaped for an attribute."""
    return html.escape(html.unescape(_MARKUP.sub(r"\1", text)), quote=True)


def table_html(
    df, caption: str = "", anchor: str | None = None, of: str = "", printed: bool = True
) -> str:
    """Render a table as escaped HTML (data text never becomes markup; URLs are links).

    ``of`` is the key of the section the table belongs to (class ``osa-table-<key>``); a
    table that is not ``printed`` is shown in the HTML brief only.
    """
    body = _table_body(df)
    ident = f' id="{html.escape(anchor, quote=True)}"' if anchor else ""
    classes = f"osa-table osa-table-{html.escape(of, quote=True)}" if of else "osa-table"
    if not printed:
        classes += " osa-screen-only"
    cap = f"<p class='table-caption'><em>{inline_markdown(caption)}</em></p>" if caption else ""
    return f'<div class="{classes}"{ident}>{cap}{body}</div>'


def folded_table_html(df, caption: str, anchor: str, origin: str = "") -> str:
    """Return a long table folded under a one-line summary (open it in the HTML)."""
    body = _table_body(df)
    rows = _("{n} rows").format(n=f"{len(df):,}")
    where = _(" · from {origin}").format(origin=html.escape(origin)) if origin else ""
    return (
        f'<details class="osa-folded" id="{html.escape(anchor, quote=True)}">'
        f"<summary>{inline_markdown(caption)} <span class='osa-muted'>({rows}{where})"
        f"</span></summary>{body}</details>"
    )


def table_reference_html(df, caption: str, anchor: str) -> str:
    """Return the line that stands in a section for a long table moved to the annex."""
    annex = (
        f'<span class="osa-screen-only"><a href="#{html.escape(anchor, quote=True)}">'
        f"{_('the tables annex')}</a></span>"
        f'<span class="osa-print-only">{_("the HTML brief")}</span>'
    )
    text = _("{caption}: {n} rows, in {where}.").format(
        caption=f"<em>{inline_markdown(caption)}</em>", n=f"{len(df):,}", where=annex
    )
    return f"<p class='osa-table-ref'>{text}</p>"


def figure_html(fig, caption: str = "", printed: bool = True) -> str:
    """Return a figure and its caption as one ``<figure>`` (PNG inlined).

    A figure that is not ``printed`` is shown in the HTML brief only (class
    ``osa-screen-only``); a wide one (:data:`WIDE_ASPECT`) is printed across the page, the
    others two to a row.
    """
    data = base64.b64encode(png_bytes(fig)).decode("ascii")
    alt = plain_text(caption) if caption else _("figure")
    cap = f"<figcaption>{inline_markdown(caption)}</figcaption>" if caption else ""
    width, height = fig.get_size_inches()
    classes = "osa-figure osa-wide" if width >= WIDE_ASPECT * height else "osa-figure"
    if not printed:
        classes += " osa-screen-only"
    return (
        f'<figure class="{classes}"><img src="data:image/png;base64,{data}" alt="{alt}">'
        f"{cap}</figure>"
    )


def unprinted_section_note(title: str) -> str:
    """Return the line the PDF prints instead of a section it leaves out.

    The stylesheet hides, in print, every other output of the notebook cell that holds this
    line (``.jp-Cell:has(.osa-unprinted-section)``).
    """
    text = _("{title}: in the HTML brief.").format(title=f"<strong>{html.escape(title)}</strong>")
    return f'<p class="osa-print-only osa-unprinted-section">{text}</p>'


def unprinted_note(n: int, what: str) -> str:
    """Return the line the PDF shows where a section's ``n`` HTML-only figures (tables) are."""
    if what == "figure":
        text = _("1 more figure") if n == 1 else _("{n} more figures").format(n=n)
    else:
        text = _("1 more table") if n == 1 else _("{n} more tables").format(n=n)
    line = _("{what} of this section: in the HTML brief.").format(what=text)
    return f'<p class="osa-print-only osa-muted">{line}</p>'


def show(section: Section, level: int = 2) -> None:
    """Display a section: heading, markup, text, figures, tables and caveats, in that order.

    A section with :attr:`~Section.editions` is shown once per language (the reference
    first); each output then carries its language in its metadata (``osa_lang``), by which
    the renderer (:func:`osa_analysis.build.render.render_html`) keeps one edition per page.

    Parameters
    ----------
    section : Section
        What to show.
    level : int
        Heading level (1 for the brief's title on the cover, 2 for sections).
    """
    if not section.editions:
        _show(section, level, display)
        return
    for lang, edition in ((REFERENCE, section), *section.editions.items()):
        with use_language(lang):
            _show(edition, level, _displayer(lang))


def _displayer(lang: str):
    """Return ``display`` marking every output with its language."""

    def out(obj) -> None:
        display(obj, metadata={"osa_lang": lang})

    return out


def _show(section: Section, level: int, display) -> None:
    """Show one edition of a section through ``display``."""
    heading = f"{'#' * level} {section.title}"
    lay = registry.layout(section.key)
    if not lay.printed:
        display(HTML(unprinted_section_note(section.title)))
    markdown = cjk_markdown(section.markdown)
    if section.html:
        display(Markdown(heading))
        display(HTML(section.html))
        if markdown:
            display(Markdown(markdown))
    else:
        display(Markdown(f"{heading}\n\n{markdown}".rstrip()))
    printed = lay.print_figures
    for index, (caption, fig) in enumerate(section.figures):
        display(HTML(figure_html(fig, caption, printed is None or index in printed)))
    unprinted = 0 if printed is None else len(set(range(len(section.figures))) - set(printed))
    if unprinted:
        display(HTML(unprinted_note(unprinted, "figure")))
    origins = section.values.get("table_origins")
    unprinted_tables = 0
    for index, (caption, df) in enumerate(section.tables):
        anchor = section.table_id(index)
        if registry.moves_to_annex(section.key, df):
            display(HTML(table_reference_html(df, caption, anchor)))
        elif lay.fold_tables and is_long(df):  # an annex folds its own long tables
            origin = origins[index] if origins else ""
            display(HTML(folded_table_html(df, caption, anchor, origin)))
        else:
            shown = lay.print_tables is None or index in lay.print_tables
            unprinted_tables += not shown
            display(HTML(table_html(df, caption, anchor, section.key, shown)))
    if unprinted_tables:
        display(HTML(unprinted_note(unprinted_tables, "table")))
    if section.method:
        display(HTML(method_html(section.method)))
    if section.caveats:
        display(HTML(caveats_html(section.caveats)))
    if lay.page_break_after:
        display(HTML('<div class="osa-page-break" aria-hidden="true"></div>'))


def method_html(method: str) -> str:
    """Return how a section is computed, folded (open in the HTML; named only in the PDF)."""
    return (
        f'<details class="osa-method"><summary>{_("How this section is computed")}</summary>'
        f"{mistune.html(cjk_markdown(method))}</details>"
    )


def caveats_html(caveats: list[str]) -> str:
    """Return a section's caveats as one block (a page break never parts title and list)."""
    items = "".join(f"<li>{inline_markdown(c)}</li>" for c in caveats)
    return f'<div class="osa-caveats"><p><strong>{_("Caveats")}</strong></p><ul>{items}</ul></div>'
