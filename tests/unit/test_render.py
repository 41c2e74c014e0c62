"""Rendering of executed briefs: hidden code, self-contained, TOC, provenance, determinism.

The synthetic notebooks come from ``tests/fixtures/render/make_fixtures.py``; Chromium tests
skip when no Chromium is installed (CI installs Debian's ``chromium``).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from brief_builds import Builds, ModuleBuilds, Registry

from osa_analysis import testing
from osa_analysis.build import pdf, render
from osa_analysis.build.pdf import find_chromium, render_pdf
from osa_analysis.build.render import (
    render_debug_html,
    render_html,
    strip_external_loads,
    toc_html,
)
from osa_analysis.testing import check_html_in_chromium

FIXTURES = Path(__file__).parents[1] / "fixtures" / "render"
SETUP_CODE = "import secret_setup_module  # SETUP-CELL-MARKER"
# The 4x3 gradient PNG of make_fixtures.tiny_png(), as stored in executed_brief.ipynb.
PNG_B64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAGElEQVR42mNgsPkfarNqlU3ofxsGBpwcACAkDsVn"
    "Osa0AAAAAElFTkSuQmCC"
)

needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed")

# Anything that would make a browser fetch from the network: src/href/url()/@import to
# http(s) or protocol-relative URLs, outside plain <a href> hyperlinks.
EXTERNAL_LOAD = re.compile(
    r"""(?:(?<![\w-])(?:src|srcset|poster|data|background)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<link\b[^>]*href\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//"""
    r"""|@import)""",
    re.IGNORECASE,
)


@pytest.fixture
def brief_dir(tmp_path: Path) -> Path:
    """A reports/<ISO3>-like folder: executed brief.ipynb with summary.json beside it."""
    folder = tmp_path / "PHL"
    folder.mkdir()
    shutil.copy(FIXTURES / "executed_brief.ipynb", folder / "brief.ipynb")
    shutil.copy(FIXTURES / "summary.json", folder / "summary.json")
    return folder


@pytest.fixture(scope="module")
def shared_dir(tmp_path_factory) -> Path:
    """A brief folder like :func:`brief_dir` with its shared HTML rendered, for reading only."""
    folder = tmp_path_factory.mktemp("shared") / "PHL"
    folder.mkdir()
    shutil.copy(FIXTURES / "executed_brief.ipynb", folder / "brief.ipynb")
    shutil.copy(FIXTURES / "summary.json", folder / "summary.json")
    out = render_html(folder / "brief.ipynb", folder / "brief.html")
    assert out == folder / "brief.html"
    return folder


@pytest.fixture
def shared_html(shared_dir: Path) -> str:
    return (shared_dir / "brief.html").read_text(encoding="utf-8")


def _main(page: str) -> str:
    return page[page.index("<main>") : page.index("</main>")]


def test_fixture_png_is_the_committed_one():
    nb = nbformat.read(FIXTURES / "executed_brief.ipynb", as_version=4)
    figure = next(c for c in nb.cells if "FIGURE-CODE-MARKER" in c.source)
    assert figure.outputs[0]["data"]["image/png"] == PNG_B64


def test_shared_html_has_no_code(shared_html: str):
    assert "FIGURE-CODE-MARKER" not in shared_html
    assert "TABLE-CODE-MARKER" not in shared_html  # remove-input cell: output only
    assert "NO-OUTPUT-MARKER" not in shared_html
    main = _main(shared_html)
    assert "jp-InputPrompt" not in main
    assert "In&nbsp;[" not in main and "In [" not in main
    assert "jp-CodeMirrorEditor" not in main
    assert "highlight hl-python" not in main
    assert main.count("jp-mod-noInput") == 4  # figure, stdout, table, hostile output


def test_shared_html_removes_tagged_and_parameter_cells(shared_html: str):
    assert "SETUP-CELL-MARKER" not in shared_html
    assert "SETUP-OUTPUT-MARKER" not in shared_html  # remove-cell drops its outputs too
    assert "/tmp/scratch" not in shared_html  # injected-parameters cell and path params
    assert "STDERR-WARNING-MARKER" not in shared_html  # stderr is dropped when shared


def test_debug_html_shows_code_and_errors(brief_dir: Path, tmp_path: Path):
    page = render_debug_html(brief_dir / "brief.ipynb", tmp_path / "debug.html").read_text()
    assert "FIGURE-CODE-MARKER" in page
    assert "SETUP-CELL-MARKER" in page  # nothing is removed in debug mode
    assert "STDERR-WARNING-MARKER" in page
    assert "jp-InputPrompt" in page
    assert "osa-debug-banner" in page

    failed_dir = tmp_path / "failed"
    failed_dir.mkdir()
    shutil.copy(FIXTURES / "failed_brief.ipynb", failed_dir / "brief.ipynb")
    page = render_debug_html(failed_dir / "brief.ipynb", failed_dir / "debug.html").read_text()
    assert "FAILING-CODE-MARKER" in page
    assert "<span class=\"ansi-red-fg\">KeyError</span>: 'missing_column' &lt;in frame&gt;" in page
    # papermill's error banner keeps its inline HTML intact (link inside the red span)
    assert '<a href="#papermill-error-cell">In [2]</a>.</span>' in page
    assert '<h1 class="osa-title">Fiji: maritime security brief</h1>' in page


def test_stream_text_is_escaped_once(shared_html: str):
    assert "<pre>note: &lt;script&gt;alert(1)&lt;/script&gt; &amp; done\n</pre>" in shared_html
    assert "<script" not in shared_html.lower()
    assert "&amp;lt;" not in shared_html  # no double escaping anywhere


def test_pandas_html_table_kept_as_is(shared_html: str):
    assert '<table border="1" class="dataframe">' in shared_html
    assert "<td>&lt;b&gt;A&amp;B&lt;/b&gt;</td>" in shared_html
    assert "<th>actor</th>" in shared_html
    # markdown is rendered, not escaped
    assert "Incident <strong>table</strong>:" in shared_html


def test_no_external_loads(shared_html: str):
    assert EXTERNAL_LOAD.findall(shared_html) == []
    assert "<script" not in shared_html.lower()
    assert "<link" not in shared_html.lower()
    assert "mathjax" not in shared_html.lower() and "require.js" not in shared_html.lower()
    assert "cdn.example.org" not in shared_html and "fonts.example.org" not in shared_html
    # the hostile output's own text survives; its remote image is named, not loaded
    assert '<p class="x">hostile output kept as text</p>' in shared_html
    assert '<span class="osa-removed">[image not embedded: pixel]</span>' in shared_html
    assert '<span class="osa-removed">[image not embedded: remote]</span>' in shared_html
    assert "<style> .x { background: none; }</style>" in shared_html


def test_image_inline(shared_html: str):
    assert f'<img alt="Figure" src="data:image/png;base64,{PNG_B64}"/>' in shared_html
    srcs = re.findall(r"""\ssrc\s*=\s*["']([^"']*)""", shared_html)
    assert srcs == [f"data:image/png;base64,{PNG_B64}"]


def test_local_markdown_image_is_embedded(tmp_path: Path):
    (tmp_path / "fig").mkdir()
    png = base64.b64decode(PNG_B64)
    (tmp_path / "fig" / "map.png").write_bytes(png)
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                "## Map\n\n![local map](fig/map.png)\n\n![gone](fig/missing.png)"
                "\n\n![outside](../secret.png)"
            )
        ]
    )
    (tmp_path.parent / "secret.png").write_bytes(png)
    nbformat.write(nb, tmp_path / "nb.ipynb")
    page = render_html(tmp_path / "nb.ipynb", tmp_path / "nb.html").read_text()
    assert f'alt="local map" src="data:image/png;base64,{PNG_B64}"' in page
    assert "[image not embedded: gone]" in page
    assert "[image not embedded: outside]" in page
    assert page.count("data:image/png") == 1


def test_toc_lists_headings_with_unique_anchors(shared_html: str):
    nav = shared_html[shared_html.index("<nav") : shared_html.index("</nav>")]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav) == [
        ("Incidents-at-sea", "Incidents at sea"),
        ("Data", "Data"),
        ("Governance", "Governance"),
        ("Data-2", "Data"),
    ]
    main = _main(shared_html)
    for anchor in ("Incidents-at-sea", "Data", "Governance", "Data-2"):
        assert main.count(f'id="{anchor}"') == 1
    assert 'href="#Data-2">¶</a></h3>' in main
    # nav comes before the content, and the title H1 moved to the header
    assert shared_html.index("<nav") < shared_html.index("<main>")
    assert "<h1" not in main
    assert '<h1 class="osa-title">Philippines: maritime security brief</h1>' in shared_html
    assert "<title>Philippines: maritime security brief</title>" in shared_html


def test_toc_nesting():
    nav = toc_html([(2, "a", "A"), (4, "b", "B"), (3, "c", "C"), (2, "d", "D<&>")])
    assert nav.splitlines()[2:] == [
        "<ol>",
        '<li><a href="#a">A</a>',
        "<ol>",
        '<li><a href="#c">C</a>',
        "</li>",
        "</ol></li>",
        '<li><a href="#d">D&lt;&amp;&gt;</a>',
        "</li>",
        "</ol>",
        "</nav>",
    ]
    assert toc_html([]) == ""


def test_provenance_table_from_summary(shared_html: str):
    header = shared_html[: shared_html.index("<nav")]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]*)', header)
    assert rows[:3] == [("Country", "Philippines"), ("ISO3", "PHL"), ("Data as of", "2026-08-09")]
    assert ("osa_analysis version", "0.1.0") in rows
    assert ("Git commit", "0123456789abcdef0123456789abcdef01234567") in rows
    assert ("imb", "2025 annual report") in rows
    assert ("lookback_years", "5") in rows
    assert ("peers", "BGD, FJI, MYS, PHL") in rows
    assert "output_dir" not in header  # machine paths are never shown


def test_provenance_falls_back_to_papermill_parameters(tmp_path: Path):
    shutil.copy(FIXTURES / "executed_brief.ipynb", tmp_path / "brief.ipynb")
    page = render_html(tmp_path / "brief.ipynb", tmp_path / "out.html").read_text()
    header = page[: page.index("<nav")]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]*)', header)
    assert rows == [("Parameters", ""), ("country_iso3", "PHL")]


def test_provenance_values_are_escaped(brief_dir: Path):
    summary = json.loads((brief_dir / "summary.json").read_text())
    summary["provenance"]["country"] = "<b>Evil & Co</b>"
    page = render_html(brief_dir / "brief.ipynb", brief_dir / "x.html", summary=summary)
    text = page.read_text()
    assert "<td>&lt;b&gt;Evil &amp; Co&lt;/b&gt;</td>" in text
    assert "<b>Evil" not in text


def test_rendering_is_deterministic(brief_dir: Path, tmp_path: Path):
    first = render_html(brief_dir / "brief.ipynb", tmp_path / "a.html").read_bytes()
    second = render_html(brief_dir / "brief.ipynb", tmp_path / "b.html").read_bytes()
    assert first == second

    # a re-run of the same notebook: new random cell ids, other papermill timestamps
    nb = nbformat.read(brief_dir / "brief.ipynb", as_version=4)
    for cell in nb.cells:
        cell.id = nbformat.corpus.words.generate_corpus_id()
        cell.metadata["papermill"] = {"start_time": "2031-01-01T00:00:00", "duration": 9.9}
    nb.metadata["papermill"]["start_time"] = "2031-01-01T00:00:00"
    nb.metadata["papermill"]["duration"] = 99.0
    rerun = tmp_path / "rerun" / "brief.ipynb"
    rerun.parent.mkdir()
    nbformat.write(nb, rerun)
    shutil.copy(brief_dir / "summary.json", rerun.parent / "summary.json")
    third = render_html(rerun, tmp_path / "c.html").read_bytes()
    assert third == first
    assert b'id="cell-id=cell-0000"' in first
    assert not re.search(rb"20\d\d-\d\d-\d\dT\d\d:\d\d", first)  # no timestamps


def test_render_writes_atomically_and_readable(brief_dir: Path):
    out = render_html(brief_dir / "brief.ipynb", brief_dir / "sub" / "brief.html")
    assert out.is_file()
    assert [p.name for p in out.parent.iterdir()] == ["brief.html"]  # no temp file left
    assert out.stat().st_mode & 0o044 == 0o044


def test_explicit_title_keeps_notebook_h1(brief_dir: Path):
    page = render_html(brief_dir / "brief.ipynb", brief_dir / "t.html", title="PHL <brief>")
    text = page.read_text()
    assert "<title>PHL &lt;brief&gt;</title>" in text
    assert 'id="Philippines:-maritime-security-brief"' in _main(text)


def test_unreadable_notebook_raises(tmp_path: Path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json")
    with pytest.raises(render.RenderError, match="cannot read notebook"):
        render_html(bad, tmp_path / "bad.html")


def test_strip_external_loads_cases():
    page = (
        '<link rel="stylesheet" href="//cdn.example.org/a.css">'
        '<script>alert(1)</script><script src="https://x.org/a.js"></script>'
        '<iframe src="https://x.org/frame"></iframe>'
        "<div style=\"background-image: url('https://x.org/b.png')\">x</div>"
        '<video poster="https://x.org/p.jpg"></video>'
        '<a href="https://example.org/source">source</a>'
        "<pre>&lt;script&gt;url(https://text.only)&lt;/script&gt;</pre>"
    )
    cleaned = strip_external_loads(page)
    assert cleaned == (
        '<span class="osa-removed">[embedded content removed]</span>'
        '<div style="background-image: none">x</div>'
        '<video data-osa-removed="external resource"></video>'
        '<a href="https://example.org/source">source</a>'
        "<pre>&lt;script&gt;url(https://text.only)&lt;/script&gt;</pre>"
    )


def test_render_pdf_without_chromium_returns_none(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    html = tmp_path / "x.html"
    html.write_text("<p>x</p>")
    assert render_pdf(html, tmp_path / "x.pdf") is None
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(testing.ChromiumNotFoundError):
        check_html_in_chromium(html)


def test_render_pdf_failure_is_clear(tmp_path: Path):
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    fake.chmod(0o755)
    html = tmp_path / "x.html"
    html.write_text("<p>x</p>")
    with pytest.raises(render.RenderError, match=r"exit 3\):\ncannot open display"):
        render_pdf(html, tmp_path / "x.pdf", chromium=str(fake))
    assert sorted(tmp_path.iterdir()) == sorted([fake, html])  # no partial PDF left


# Chromium starts in seconds; the pages are printed and checked by tests/brief_builds.py while
# the other tests run (in its only thread: check_html_in_chromium starts Chromium with a
# preexec_fn), and the tests below check what it got.
BUILDS = Registry()


def _brief_folder(root: Path) -> Path:
    folder = root / "PHL"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "executed_brief.ipynb", folder / "brief.ipynb")
    shutil.copy(FIXTURES / "summary.json", folder / "summary.json")
    return folder


@BUILDS.job(alone=True)
def printed(b: Builds) -> tuple[Path, Path | None] | None:
    if find_chromium() is None:
        return None
    folder = _brief_folder(b.root / "printed")
    html = render_html(folder / "brief.ipynb", folder / "brief.html")
    return folder, render_pdf(html, folder / "brief.pdf")


@BUILDS.job(alone=True)
def shared_page_checked(b: Builds) -> list[str] | None:
    if find_chromium() is None:
        return None
    folder = _brief_folder(b.root / "shared")
    return check_html_in_chromium(render_html(folder / "brief.ipynb", folder / "brief.html"))


@BUILDS.job(alone=True)
def bad_page_checked(b: Builds) -> tuple[Path, list[str]] | None:
    if find_chromium() is None:
        return None
    page = b.root / "bad" / "bad.html"
    page.parent.mkdir()
    page.write_text(
        "<!DOCTYPE html><html><head>"
        '<link rel="stylesheet" href="https://cdn.example.org/x.css"></head><body>'
        '<script>console.error("boom", 42)</script>'
        "<script>undefinedFunction()</script>"
        '<img src="missing.png" alt="m">'
        "</body></html>"
    )
    return page, check_html_in_chromium(page)


@pytest.fixture(scope="module")
def builds(brief_builds) -> ModuleBuilds:
    """The results of this module's ``BUILDS`` (tests/conftest.py, tests/brief_builds.py)."""
    return brief_builds("test_render")


@needs_chromium
def test_pdf_is_written(builds):
    folder, pdf = builds["printed"]
    assert pdf == folder / "brief.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) > 5000
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@needs_chromium
def test_shared_brief_loads_cleanly_in_chromium(builds):
    assert builds["shared_page_checked"] == []


@needs_chromium
def test_chromium_check_reports_problems(builds):
    page, problems = builds["bad_page_checked"]
    assert "external request: https://cdn.example.org/x.css" in problems
    assert "console.error: boom 42" in problems
    assert any(
        p.startswith("uncaught exception: ReferenceError: undefinedFunction is not defined")
        for p in problems
    )
    missing = (page.parent / "missing.png").as_uri()
    assert f"failed request: {missing} (net::ERR_FILE_NOT_FOUND)" in problems
    assert len(problems) == 4


def test_vintage_rows_shapes():
    records = [
        {"source": "ucdp_acd", "title": "UCDP", "vintage": "25.1", "last observation": "2024"},
        {"source": "imb", "title": "IMB", "vintage": "", "sha256": "abc"},
    ]
    assert render.vintage_rows(records) == [
        ("imb", "sha256: abc; title: IMB; vintage: "),
        ("ucdp_acd", "25.1; last observation: 2024"),
    ]
    assert render.vintage_rows({"b": "2", "a": 1}) == [("a", "1"), ("b", "2")]
    assert render.vintage_rows("2025-08") == [("", "2025-08")]
    assert render.vintage_rows(None) == []


def test_brief_provenance_shape_in_header(brief_dir: Path):
    """The provenance the brief notebook writes (osa_analysis.brief.cover)."""
    summary = {
        "provenance": {
            "country_iso3": "PHL",
            "country_name": "Philippines",
            "as_of": "2026-08-09",
            "lookback_years": 5,
            "peers": ["BGD", "FJI"],
            "package_version": "0.1.0",
            "git_commit": None,
            "data_vintage": [
                {"source": "imb", "vintage": "2025", "last observation": "2025-12-31"}
            ],
        }
    }
    page = render_html(brief_dir / "brief.ipynb", brief_dir / "p.html", summary=summary)
    header = page.read_text().split("<nav")[0]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]*)', header)
    assert rows == [
        ("Country", "Philippines"),
        ("ISO3", "PHL"),
        ("Data as of", "2026-08-09"),
        ("osa_analysis version", "0.1.0"),
        ("Git commit", "—"),
        ("Lookback years", "5"),
        ("Peers", "BGD, FJI"),
        ("Data vintage", ""),
        ("imb", "2025; last observation: 2025-12-31"),
    ]


def test_long_vintage_is_folded(brief_dir: Path):
    vintage = [{"source": f"src{i}", "vintage": f"v{i}"} for i in range(7)]
    summary = {"provenance": {"country": "Philippines", "data_vintage": vintage}}
    page = render_html(brief_dir / "brief.ipynb", brief_dir / "v.html", summary=summary)
    header = page.read_text().split("<nav")[0]
    assert "<details><summary>7 sources</summary>" in header
    assert '<tr><th scope="row">src6</th><td>v6</td></tr>' in header


def test_numeric_columns_are_marked():
    table = (
        "<table><thead><tr><th></th><th>actor</th><th>n</th><th>year</th></tr></thead>"
        "<tbody><tr><th>0</th><td>Navy</td><td>1,234</td><td>2019</td></tr>"
        "<tr><th>1</th><td>12</td><td>n/a</td><td>2020-05-01</td></tr></tbody></table>"
    )
    assert render.mark_numeric_cells(table) == (
        '<table><thead><tr><th></th><th>actor</th><th class="num">n</th><th>year</th></tr>'
        '</thead><tbody><tr><th>0</th><td>Navy</td><td class="num">1,234</td><td>2019</td>'
        '</tr><tr><th>1</th><td>12</td><td class="num">n/a</td><td>2020-05-01</td></tr>'
        "</tbody></table>"
    )


def test_pandas_table_numeric_column_in_page(shared_html: str):
    assert '<td class="num">12</td>' in shared_html
    assert '<th class="num">incidents</th>' in shared_html
    assert "<td>&lt;b&gt;A&amp;B&lt;/b&gt;</td>" in shared_html
