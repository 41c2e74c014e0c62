"""Render executed brief notebooks to shareable, self-contained HTML and PDF.

The shared brief (:func:`render_html`) is what policy researchers read and pass on, so it is

* **code-free**: nbconvert's ``exclude_input`` with the prompts off; cells tagged
  ``remove-cell`` (and the ``parameters`` / ``injected-parameters`` cells, whose values are
  in the provenance header) are dropped, and cells tagged ``remove-input`` keep only their
  outputs. Code cells left without any output and ``stderr`` streams (library warnings) are
  dropped too;
* **self-contained**: figures are inline base64 (as stored in the notebook; local markdown
  images are embedded), the CSS is inlined, and there is no JavaScript at all. The custom
  template ``templates/osa_brief`` replaces the head of nbconvert's ``lab`` template, which
  would load require.js and MathJax from a CDN (nbconvert#754); a final pass removes any
  ``<script>``, ``<link>``, ``@import``, remote ``url(...)`` and remote ``src`` that a cell
  output could carry;
* **navigable**: the first level-1 heading becomes the page title (in the header); a
  ``<nav>`` table of contents is built from the heading anchors nbconvert gives markdown
  (cells and markdown outputs; duplicate anchors are made unique); a provenance table
  (country, ``as_of``, package version, git commit, parameters, data vintage — a long
  vintage is folded in a ``<details>``) is read from the ``summary.json`` beside the
  notebook (key ``"provenance"``), else from the notebook metadata
  ``osa_analysis.provenance``, else from papermill's recorded parameters; parameters that
  are paths (``*_dir``, ``*_path``, ``*_file``) are never shown;
* **readable and printable**: one inlined style sheet (system fonts, 60rem column, zebra
  tables with numeric columns right-aligned, figures at most 100 % wide, ``@media print``
  and ``@page`` rules for the PDF); data text is escaped once (nbconvert escapes streams,
  ``text/html`` outputs such as ``DataFrame.to_html(escape=True)`` pass through, markdown
  is rendered); math is left as TeX text since MathJax is not loaded;
* **deterministic**: cell ids are renumbered, papermill and timing metadata are dropped,
  widget state and JavaScript outputs (which nbconvert labels with ``uuid4``) are omitted,
  pandas ``Styler`` ids are renumbered, and nothing depends on the clock, so the same
  executed notebook (or a re-run with the same outputs) gives byte-identical HTML.

:func:`render_debug_html` keeps everything (code, prompts, tagged cells, stderr, errors) for
``reports/_failed/...``. Printing the page to PDF is :mod:`osa_analysis.build.pdf`'s job.
"""

from __future__ import annotations

import base64
import copy
import html as html_lib
import re
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat

from osa_analysis.build.pages import (
    BRIEF_TEMPLATE,
    STYLE_FILE,
    TEMPLATES_DIR,
    format_value,
    vintage_rows,
)
from osa_analysis.core.files import atomic_write_text, read_json_object
from osa_analysis.core.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    N_,
    REFERENCE,
    _,
    language,
    tr,
    use_language,
)
from osa_analysis.core.provenance import __version__

#: Tags whose cells the shared brief drops entirely.
REMOVE_CELL_TAGS = frozenset(
    {"remove-cell", "parameters", "injected-parameters", "papermill-error-cell-tag"}
)
#: Tags whose cells keep only their outputs in the shared brief.
REMOVE_INPUT_TAGS = frozenset({"remove-input"})

# Provenance keys shown first, in this order, with their labels; other keys follow sorted,
# and the data vintage (the longest entry) comes last.
_PROVENANCE_LABELS = {
    "country": N_("Country"),
    "country_name": N_("Country"),
    "country_iso3": "ISO3",
    "as_of": N_("Data as of"),
    "package_version": N_("osa_analysis version"),
    "git_commit": N_("Git commit"),
    "run_key": N_("Run key"),
    "parameters": N_("Parameters"),
    "params": N_("Parameters"),
}
_LAST_KEYS = {"data_vintage": N_("Data vintage")}
BRIEF_HEADER_KEYS = ("country_name", "as_of", "package_version")
"""What a country brief's header shows (country, as-of, version): page one is the bottom
line, and the rest of the provenance is the brief's annex."""
# A data vintage with more sources than this is folded into a <details> element.
_VINTAGE_OPEN_MAX = 6
# Parameters that are machine paths: never shown (they differ between machines and runs).
_PATH_PARAM = re.compile(r"(_dir|_path|_file)$")
_SKIP_METADATA = ("papermill", "execution", "collapsed", "scrolled", "ExecuteTime")


class RenderError(RuntimeError):
    """Rendering a brief failed (nbconvert or Chromium)."""


# --------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------


def render_html(
    executed_ipynb: Path,
    out_html: Path,
    *,
    hide_code: bool = True,
    title: str | None = None,
    summary: Path | Mapping[str, Any] | None = None,
    kicker: str | None = None,
    header_keys: tuple[str, ...] | None = None,
    lang: str = REFERENCE,
    editions: bool = False,
) -> Path:
    """Render an executed notebook to one self-contained, deterministic HTML file.

    Parameters
    ----------
    executed_ipynb : Path
        The executed notebook (papermill output).
    out_html : Path
        Where to write the page; written atomically (temporary file, then rename).
    hide_code : bool, default True
        ``True`` for the shared brief (no code, no prompts, tagged cells removed, no
        stderr); ``False`` for a debug page that shows everything.
    title : str, optional
        Page title; default the notebook metadata ``title``, else the first level-1
        heading of the page (markdown cell or markdown/HTML output), which then moves into
        the header, else "<country>: country risk brief" from the provenance, else the
        file name.
    summary : Path or Mapping, optional
        The brief's ``summary.json`` (path or parsed dict) whose ``"provenance"`` dict fills
        the header table; default ``summary.json`` beside ``executed_ipynb`` when present.
    kicker : str, optional
        The line above the title (default "Country risk brief", or "Debug render").
    header_keys : tuple of str, optional
        The provenance keys the header shows (default all). A brief's header shows
        :data:`BRIEF_HEADER_KEYS` only; the rest of its provenance is its annex.
    lang : str, default "en"
        The edition: outputs marked with another language (``osa_lang`` in their metadata,
        :func:`osa_analysis.brief.display.show`) are left out, and the page's own words
        (header, contents, footer) are in ``lang``.
    editions : bool, default False
        Whether the header links the other editions (:func:`edition_name` of ``out_html``'s
        reference name: ``brief.html`` and ``brief.ja.html`` link each other).

    Returns
    -------
    Path
        ``out_html``.

    Raises
    ------
    RenderError
        When the notebook cannot be read or nbconvert fails.
    """
    with use_language(lang):
        return _render_html(
            Path(executed_ipynb),
            Path(out_html),
            hide_code,
            title,
            summary,
            kicker,
            header_keys,
            editions,
        )


def _render_html(
    executed_ipynb: Path,
    out_html: Path,
    hide_code: bool,
    title: str | None,
    summary: Path | Mapping[str, Any] | None,
    kicker: str | None,
    header_keys: tuple[str, ...] | None,
    editions: bool,
) -> Path:
    """:func:`render_html` in the current language."""
    from nbconvert import HTMLExporter

    lang = language()
    try:
        nb = nbformat.read(executed_ipynb, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types
        raise RenderError(f"cannot read notebook {executed_ipynb}: {exc}") from exc

    provenance = _provenance(nb, _read_summary(executed_ipynb, summary))
    nb = _prepare_notebook(nb, hide_code=hide_code, lang=lang)
    meta_title = nb.metadata.get("title")
    if not title and isinstance(meta_title, str) and meta_title.strip():
        title = meta_title.strip()
    country = (provenance or {}).get("country_name") or (provenance or {}).get("country")
    fallback = (
        _("{country}: country risk brief").format(country=tr(country))
        if country
        else executed_ipynb.stem
    )
    reference_name = out_html.name.replace(f".{lang}.", ".") if lang != REFERENCE else out_html.name

    exporter = HTMLExporter(
        template_name=BRIEF_TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=hide_code,
        exclude_input_prompt=hide_code,
        exclude_output_prompt=hide_code,
        # nbconvert's embed_images re-parses every inline HTML fragment of markdown on its
        # own and so breaks e.g. papermill's error banner; finalize_html embeds instead.
        embed_images=False,
    )
    resources = {
        "metadata": {"name": executed_ipynb.stem, "path": str(executed_ipynb.parent)},
        "osa": {
            "kicker": kicker or _kicker(debug=not hide_code),
            "provenance": _provenance_rows(
                provenance
                if header_keys is None or not provenance
                else {k: v for k, v in provenance.items() if k in header_keys}
            ),
            "debug": not hide_code,
            "css": STYLE_FILE.read_text(encoding="utf-8"),
            "footer": _("Rendered by osa_analysis {version} from {name}.").format(
                version=__version__, name=executed_ipynb.name
            ),
            "lang": lang,
            "editions": edition_links(reference_name, lang) if editions and hide_code else [],
        },
    }
    try:
        body, _resources = exporter.from_notebook_node(nb, resources=resources)
    except Exception as exc:  # nbconvert/jinja errors carry no common base class
        raise RenderError(f"nbconvert failed on {executed_ipynb}: {exc}") from exc
    page = finalize_html(
        body, title=title, fallback_title=str(fallback), base_dir=executed_ipynb.parent
    )
    atomic_write_text(out_html, page)
    return out_html


def render_debug_html(executed_ipynb: Path, out_html: Path, *, title: str | None = None) -> Path:
    """Render a (usually failed) executed notebook with code, prompts and errors shown.

    Nothing is removed: tagged setup cells, the parameters cells, papermill's error banner,
    stderr and tracebacks all stay, because the failure may be in any of them.

    Parameters
    ----------
    executed_ipynb : Path
        The executed notebook, e.g. ``reports/_failed/<ISO3>/<stamp>/brief.ipynb``.
    out_html : Path
        Output path (``brief_debug.html``), written atomically.
    title : str, optional
        Page title; defaults as in :func:`render_html`.

    Returns
    -------
    Path
        ``out_html``.
    """
    return render_html(executed_ipynb, out_html, hide_code=False, title=title)


def finalize_html(
    page: str,
    *,
    title: str | None = None,
    fallback_title: str = "Report",
    base_dir: Path | None = None,
) -> str:
    """Post-process an exported page: title, unique heading ids, TOC, no external loads.

    Parameters
    ----------
    page : str
        HTML from the ``osa_brief`` template (with its ``<!--OSA-TOC-->`` and
        ``<!--OSA-TITLE-->`` markers).
    title : str, optional
        The page title. When ``None`` the first level-1 heading of the body becomes the
        title and moves into the header (so the page has one ``<h1>``); without one,
        ``fallback_title`` is used.
    fallback_title : str, default "Report"
        Title when there is neither ``title`` nor a level-1 heading.
    base_dir : Path, optional
        Folder against which relative ``<img src>`` (markdown images) are resolved and
        embedded as ``data:`` URIs; unresolvable ones are dropped. ``None`` drops them all.

    Returns
    -------
    str
        The final page, with Unix newlines and one trailing newline.
    """
    page = page.replace("\r\n", "\n").replace("\r", "\n")
    page = embed_local_images(page, base_dir)
    page = strip_external_loads(page)
    page = normalise_styler_ids(page)
    start, end = page.find("<main>"), page.rfind("</main>")
    headings: list[tuple[int, str, str]] = []
    if start != -1 and end > start:
        main = mark_numeric_cells(page[start:end])
        main, headings, h1_text = _unique_heading_ids(main, take_first_h1=title is None)
        page = page[:start] + main + page[end:]
        title = title or h1_text
    page = page.replace("<!--OSA-TOC-->", toc_html(headings), 1)
    shown = html_lib.escape(title or fallback_title, quote=False)
    for slot in ("<title>{}</title>", '<h1 class="osa-title">{}</h1>'):
        page = page.replace(slot.format("<!--OSA-TITLE-->"), slot.format(shown), 1)
    return page.strip("\n") + "\n"


_HEADING = re.compile(r"<h([1-6])(\s[^>]*)?>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_ID_ATTR = re.compile(r"""\bid\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_ANCHOR_LINK = re.compile(r"<a\b[^>]*class=\"anchor-link\"[^>]*>.*?</a>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _heading_text(inner: str) -> str:
    text = html_lib.unescape(_TAG.sub("", _ANCHOR_LINK.sub("", inner)))
    return " ".join(text.split())


def _unique_heading_ids(
    main: str, *, take_first_h1: bool = False
) -> tuple[str, list[tuple[int, str, str]], str | None]:
    """Make heading ids unique and collect ``(level, id, text)`` for the table of contents.

    nbconvert derives a heading's id from its text, so two headings "Data" share an id;
    later ones get ``-2``, ``-3``... and their anchor links follow. With ``take_first_h1``
    the first level-1 heading is removed and its text returned (it becomes the title).
    """
    seen: dict[str, int] = {}
    headings: list[tuple[int, str, str]] = []
    taken: list[str] = []

    def fix(match: re.Match[str]) -> str:
        level, attrs, inner = int(match.group(1)), match.group(2) or "", match.group(3)
        if take_first_h1 and level == 1 and not taken and _heading_text(inner):
            taken.append(_heading_text(inner))
            return ""
        found = _ID_ATTR.search(attrs)
        if not found:
            return match.group(0)
        old = found.group(2)
        count = seen.get(old, 0) + 1
        seen[old] = count
        new = old if count == 1 else f"{old}-{count}"
        while count > 1 and new in seen:
            count += 1
            new = f"{old}-{count}"
        if new != old:
            seen[new] = 1
            attrs = attrs[: found.start(2)] + new + attrs[found.end(2) :]
            inner = inner.replace(f'href="#{old}"', f'href="#{new}"')
        text = _heading_text(inner)
        if text:
            headings.append((level, html_lib.unescape(new), text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    main = _HEADING.sub(fix, main)
    return main, headings, (taken[0] if taken else None)


_TABLE = re.compile(r"<table\b[^>]*>.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_ROW = re.compile(r"(<tr\b[^>]*>)(.*?)(</tr\s*>)", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(["'])(.*?)\1""", re.IGNORECASE)
_NUMBER = re.compile(
    r"^[-+\u2212]?[$€£¥]?\s?\d[\d,\u202f\u00a0 ]*(?:\.\d+)?(?:e[-+]?\d+)?\s?(?:%|pp|x|×)?$",
    re.IGNORECASE,
)
_MISSING = frozenset({"", "n/a", "na", "nan", "<na>", "none", "—", "–", "-"})


def _with_num_class(attrs: str) -> str:
    found = _CLASS_ATTR.search(attrs)
    if not found:
        return f'{attrs} class="num"'
    classes = f"{found.group(2)} num".strip()
    return attrs[: found.start(2)] + classes + attrs[found.end(2) :]


def _mark_table(table: str) -> str:
    if table.lower().count("<table") > 1 or re.search(r"colspan|rowspan", table, re.I):
        return table
    rows = [list(_CELL.finditer(m.group(2))) for m in _ROW.finditer(table)]
    numeric: dict[int, bool] = {}
    for cells in rows:
        for index, cell in enumerate(cells):
            if cell.group(1).lower() != "td":
                continue
            text = " ".join(html_lib.unescape(_TAG.sub("", cell.group(3))).split())
            if text.lower() in _MISSING:
                continue
            numeric[index] = numeric.get(index, True) and bool(_NUMBER.match(text))
    columns = {index for index, is_number in numeric.items() if is_number}
    if not columns:
        return table

    def fix_row(row: re.Match[str]) -> str:
        position = iter(range(10_000))

        def fix_cell(cell: re.Match[str]) -> str:
            if next(position) not in columns:
                return cell.group(0)
            tag, attrs, content = cell.group(1), cell.group(2), cell.group(3)
            return f"<{tag}{_with_num_class(attrs)}>{content}</{tag}>"

        return row.group(1) + _CELL.sub(fix_cell, row.group(2)) + row.group(3)

    return _ROW.sub(fix_row, table)


def mark_numeric_cells(page: str) -> str:
    """Right-align the numeric columns of tables (class ``num`` on their cells).

    A column is numeric when every non-missing ``<td>`` in it holds a number (``12``,
    ``-3.5``, ``1,234``, ``45 %``); its header cells get the class too, so text columns
    stay left-aligned and numbers line up without the notebook styling its tables. Tables
    with ``colspan``/``rowspan`` or nested tables are left alone.

    Parameters
    ----------
    page : str
        HTML text.

    Returns
    -------
    str
        The page with ``class="num"`` on the cells of numeric columns.
    """
    return _TABLE.sub(lambda m: _mark_table(m.group(0)), page)


def toc_html(headings: list[tuple[int, str, str]], *, max_level: int = 3) -> str:
    """Return a ``<nav>`` table of contents (nested ``<ol>``) for ``(level, id, text)``.

    Parameters
    ----------
    headings : list of tuple
        Heading level (1-6), anchor id (unescaped) and plain text, in page order.
    max_level : int, default 3
        Deepest heading level listed.

    Returns
    -------
    str
        The ``<nav class="osa-toc">`` block, or ``""`` when there is no heading.
    """
    items = [h for h in headings if h[0] <= max_level]
    if not items:
        return ""
    base = min(level for level, _, _ in items)
    contents = html_lib.escape(_("Contents"))
    out = [
        f'<nav class="osa-toc" aria-label="{contents}">',
        f'<p class="osa-toc-title">{contents}</p>',
    ]
    depth = 0  # lists currently open; a nested <ol> sits inside the open <li>
    for level, anchor, text in items:
        target = min(level - base + 1, depth + 1)
        if target > depth:
            out.append("<ol>")
            depth += 1
        else:
            out.append("</li>")
            while depth > target:
                out.append("</ol></li>")
                depth -= 1
        href = html_lib.escape("#" + anchor, quote=True)
        out.append(f'<li><a href="{href}">{html_lib.escape(text, quote=False)}</a>')
    out.append("</li>")
    while depth > 1:
        out.append("</ol></li>")
        depth -= 1
    out.append("</ol>")
    out.append("</nav>")
    return "\n".join(out)


_SCRIPT_BLOCK = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_SCRIPT_TAG = re.compile(r"</?script\b[^>]*>", re.IGNORECASE)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_BASE_TAG = re.compile(r"<(?:base|meta\s+http-equiv\s*=\s*[\"']?refresh)\b[^>]*>", re.IGNORECASE)
_EMBED_BLOCK = re.compile(
    r"<(iframe|object|embed|frame)\b[^>]*>(?:.*?</\1\s*>)?", re.IGNORECASE | re.DOTALL
)
_STYLE_BLOCK = re.compile(r"(<style\b[^>]*>)(.*?)(</style\s*>)", re.IGNORECASE | re.DOTALL)
_OPEN_TAG = re.compile(r"<[a-zA-Z][a-zA-Z0-9-]*\b[^<>]*>")
_REMOTE = r"""(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//"""
_LOAD_ATTR = re.compile(
    r"""\s(src|srcset|poster|data|background|xlink:href)\s*=\s*(?:"\s*"""
    + _REMOTE
    + r"""[^"]*"|'\s*"""
    + _REMOTE
    + r"""[^']*'|"""
    + _REMOTE
    + r"""[^\s>]*)""",
    re.IGNORECASE,
)
_STYLE_ATTR = re.compile(r"""(\sstyle\s*=\s*)("[^"]*"|'[^']*')""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)
_CSS_REMOTE_URL = re.compile(
    r"""url\(\s*(?:"\s*"""
    + _REMOTE
    + r"""[^"]*"|'\s*"""
    + _REMOTE
    + r"""[^']*'|"""
    + _REMOTE
    + r"""[^)]*)\s*\)""",
    re.IGNORECASE,
)


def _clean_css(css: str) -> str:
    return _CSS_REMOTE_URL.sub("none", _CSS_IMPORT.sub("", css))


def strip_external_loads(page: str) -> str:
    """Remove everything in a page that would run script or load a remote resource.

    Removes ``<script>`` elements, ``<link>``, ``<base>`` and meta-refresh tags,
    ``<iframe>``/``<object>``/``<embed>``, CSS ``@import`` rules, remote ``url(...)`` in
    style sheets and ``style`` attributes, and remote ``src``/``srcset``/``poster``/``data``
    attributes (kept as ``data-osa-removed``). Hyperlinks (``<a href>``) stay: following a
    link is not a load. Escaped text (``&lt;script&gt;``) is text and is left alone.

    Parameters
    ----------
    page : str
        HTML text.

    Returns
    -------
    str
        The cleaned HTML.
    """
    page = _SCRIPT_BLOCK.sub("", page)
    page = _SCRIPT_TAG.sub("", page)
    page = _LINK_TAG.sub("", page)
    page = _BASE_TAG.sub("", page)
    page = _EMBED_BLOCK.sub('<span class="osa-removed">[embedded content removed]</span>', page)
    page = _STYLE_BLOCK.sub(lambda m: m.group(1) + _clean_css(m.group(2)) + m.group(3), page)

    def clean_tag(match: re.Match[str]) -> str:
        tag = _LOAD_ATTR.sub(' data-osa-removed="external resource"', match.group(0))
        return _STYLE_ATTR.sub(lambda s: s.group(1) + _clean_css(s.group(2)), tag)

    return _OPEN_TAG.sub(clean_tag, page)


_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT_ATTR = re.compile(r"""\salt\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_SRC_ATTR = re.compile(r"""\ssrc\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


def embed_local_images(page: str, base_dir: Path | None) -> str:
    """Inline local ``<img src>`` files as ``data:`` URIs; replace those that cannot be.

    Only relative paths to image files (by extension) inside ``base_dir`` are embedded.
    Any other ``<img>`` whose source is not a ``data:`` URI (a remote URL, a missing or
    outside file) becomes a ``<span class="osa-removed">`` naming the image by its alt
    text, so the page loads nothing.

    Parameters
    ----------
    page : str
        HTML text.
    base_dir : Path or None
        Folder of the notebook; ``None`` embeds nothing.

    Returns
    -------
    str
        The page with every ``<img>`` inline.
    """
    root = Path(base_dir).resolve() if base_dir is not None else None

    def fix_img(match: re.Match[str]) -> str:
        tag = match.group(0)
        found = _SRC_ATTR.search(tag)
        if not found:
            return tag
        src = html_lib.unescape(found.group(1).strip("\"'")).strip()
        if src.lower().startswith("data:"):
            return tag
        path = Path(urllib.parse.unquote(src.split("#")[0].split("?")[0]))
        mime = _IMAGE_TYPES.get(path.suffix.lower())
        if root is not None and mime and not path.is_absolute() and ":" not in src.split("/")[0]:
            target = (root / path).resolve()
            if target.is_file() and target.is_relative_to(root):
                data = base64.b64encode(target.read_bytes()).decode("ascii")
                inline = f' src="data:{mime};base64,{data}"'
                return tag[: found.start()] + inline + tag[found.end() :]
        alt = _ALT_ATTR.search(tag)
        label = html_lib.unescape(alt.group(1).strip("\"'")) if alt else ""
        note = f"image not embedded: {label}" if label else "image not embedded"
        return f'<span class="osa-removed">[{html_lib.escape(note, quote=False)}]</span>'

    return _IMG_TAG.sub(fix_img, page)


_STYLER_ID = re.compile(r"""\bid\s*=\s*["']T_([0-9a-f]{5,32})[_"']""")


def normalise_styler_ids(page: str) -> str:
    """Replace the random ids of pandas ``Styler`` tables with sequential ones.

    ``DataFrame.style`` names its table ``T_<random hex>`` (ids and CSS selectors), so two
    runs of the same notebook differ; ids become ``T_osa1``, ``T_osa2``... in page order.

    Parameters
    ----------
    page : str
        HTML text.

    Returns
    -------
    str
        The page with stable Styler ids.
    """
    uuids = list(dict.fromkeys(_STYLER_ID.findall(page)))
    for number, uuid in enumerate(uuids, start=1):
        page = re.sub(rf"\bT_{uuid}(?![0-9a-f])", f"T_osa{number}", page)
    return page


def _prepare_notebook(
    nb: nbformat.NotebookNode, *, hide_code: bool, lang: str | None = None
) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` without run-specific metadata, with stable cell ids.

    With ``lang``, outputs marked with another language (``metadata.osa_lang``) are dropped.

    In shared mode (``hide_code``) cells tagged with :data:`REMOVE_CELL_TAGS` are dropped,
    cells tagged with :data:`REMOVE_INPUT_TAGS` lose their source (nbconvert's
    ``transient.remove_source``, as its ``TagRemovePreprocessor`` does), and ``stderr``
    streams and code cells left without outputs are dropped as well.
    """
    nb = copy.deepcopy(nb)
    nb.metadata = nbformat.from_dict(
        {
            key: value
            for key, value in nb.metadata.items()
            if key in ("kernelspec", "language_info", "title")
        }
    )
    nb.nbformat, nb.nbformat_minor = 4, max(5, int(nb.get("nbformat_minor", 5)))
    cells = []
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.metadata.items() if k not in _SKIP_METADATA}
        )
        tags = set(cell.metadata.get("tags", []))
        if hide_code and tags & REMOVE_CELL_TAGS:
            continue
        if hide_code and tags & REMOVE_INPUT_TAGS:
            cell.transient = nbformat.from_dict({"remove_source": True})
        if cell.cell_type == "code":
            outputs = cell.get("outputs", [])
            if hide_code:
                outputs = [
                    out
                    for out in outputs
                    if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
                ]
            if lang is not None:
                outputs = [
                    out for out in outputs if out.get("metadata", {}).get("osa_lang", lang) == lang
                ]
            if hide_code and not outputs:
                continue
            for out in outputs:
                # execute_result/display_data metadata may carry a transient display id
                out.pop("transient", None)
            cell.outputs = outputs
        cells.append(cell)
    for index, cell in enumerate(cells):
        cell.id = f"cell-{index:04d}"
    nb.cells = cells
    return nb


def _read_summary(
    executed_ipynb: Path, summary: Path | Mapping[str, Any] | None
) -> Mapping[str, Any] | None:
    if isinstance(summary, Mapping):
        return summary
    path = Path(summary) if summary is not None else executed_ipynb.parent / "summary.json"
    return read_json_object(path)


def _provenance(
    nb: nbformat.NotebookNode, summary: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """Pick the provenance dict: summary.json, notebook metadata, or papermill parameters."""
    if summary and isinstance(summary.get("provenance"), Mapping):
        return dict(summary["provenance"])
    meta = nb.metadata.get("osa_analysis", {})
    if isinstance(meta, Mapping) and isinstance(meta.get("provenance"), Mapping):
        return dict(meta["provenance"])
    params = nb.metadata.get("papermill", {}).get("parameters")
    if isinstance(params, Mapping) and params:
        return {"parameters": dict(params)}
    return None


def _provenance_rows(provenance: Mapping[str, Any] | None) -> list[tuple[str, Any]]:
    """Turn a provenance dict into ordered ``(label, value)`` rows.

    A value is a string, a list of ``(key, string)`` rows (a nested table) or
    ``{"summary": str, "rows": rows}`` (a nested table folded under a summary line).
    """
    if not provenance:
        return []
    order = list(_PROVENANCE_LABELS)

    def rank(key: str) -> tuple[int, str]:
        if key in _LAST_KEYS:
            return (len(order) + 1, key)
        return (order.index(key) if key in order else len(order), key)

    rows: list[tuple[str, Any]] = []
    for key in sorted(provenance, key=rank):
        if _PATH_PARAM.search(key):  # output_dir and the like: machine-specific
            continue
        value = provenance[key]
        label = {**_PROVENANCE_LABELS, **_LAST_KEYS}.get(key, key.replace("_", " ").capitalize())
        label = _(label)
        if key == "data_vintage":
            vintage = vintage_rows(value)
            if len(vintage) == 1 and not vintage[0][0]:
                rows.append((label, vintage[0][1]))
            elif len(vintage) > _VINTAGE_OPEN_MAX:  # long: folded (<details>, no script)
                summary = _("{n} sources").format(n=len(vintage))
                rows.append((label, {"summary": summary, "rows": vintage}))
            elif vintage:
                rows.append((label, vintage))
            continue
        if isinstance(value, Mapping):
            items = {
                str(k): v
                for k, v in value.items()
                if not (key in ("parameters", "params") and _PATH_PARAM.search(str(k)))
            }
            rows.append((label, [(k, format_value(items[k])) for k in sorted(items)]))
        elif key in ("country", "country_name"):
            rows.append((label, str(tr(format_value(value)))))
        elif key == "as_of" and isinstance(value, str) and _ISO_DAY.fullmatch(value):
            rows.append((label, _date_text(value)))
        else:
            rows.append((label, format_value(value)))
    return rows


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_text(iso: str) -> str:
    """Return an ISO date as the current language writes it (ISO in English)."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日" if language() == "ja" else iso


def edition_name(file_name: str, lang: str) -> str:
    """Return the file of an edition: ``brief.html`` in English, ``brief.ja.html`` in Japanese."""
    if lang == REFERENCE:
        return file_name
    stem, dot, ext = file_name.rpartition(".")
    return f"{stem}.{lang}.{ext}" if dot else f"{file_name}.{lang}"


def edition_links(file_name: str, lang: str) -> list[tuple[str, str, str]]:
    """Return ``(lang, name, href)`` of the page's other editions (same folder)."""
    return [
        (other, LANGUAGE_NAMES[other], edition_name(file_name, other))
        for other in LANGUAGES
        if other != lang
    ]


def _kicker(*, debug: bool) -> str:
    return "Debug render" if debug else _("Country risk brief")
