"""End to end on the real data: build briefs, check them as a reader and a publisher would."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from osa_analysis.brief.assemble import Brief
from osa_analysis.build import runner
from osa_analysis.build.messages import english_runs
from osa_analysis.build.params import BriefParams
from osa_analysis.build.pdf import find_chromium
from osa_analysis.build.warmkernel import KernelServer
from osa_analysis.core import config
from osa_analysis.core.schemas import schema_problems
from osa_analysis.sources.registry import registry
from osa_analysis.testing import check_html_in_chromium, page_layout

pytestmark = pytest.mark.mirror

COUNTRIES = ("PHL", "FJI")
# what would make a page load something from the network (a link to a source is not a load)
EXTERNAL = re.compile(
    r"""src\s*=\s*["']?(?:https?:)?//|<link\b[^>]*href\s*=\s*["']?(?:https?:)?//"""
    r"""|@import|url\(\s*["']?(?:https?:)?//"""
)
PRINTED: dict[str, list[str]] = {}
"""The page texts of each brief's PDF as first built (a later test rebuilds without PDFs)."""
PRINTED_JA: dict[str, tuple[list[str], list[str]]] = {}
"""The Japanese PDF of each brief as first built: its page texts and its ``pdffonts`` lines."""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if config.mirror_dir() is None:
        pytest.skip("OSA_DATA_MIRROR not set")
    reports = tmp_path_factory.mktemp("reports")
    params = [BriefParams(country_iso3=c, output_dir=reports / "_scratch" / c) for c in COUNTRIES]
    results = runner.run_all(params, reports_dir=reports, jobs=2)
    if shutil.which("pdftotext"):
        for iso3 in COUNTRIES:
            pdf = reports / iso3 / "brief.pdf"
            if pdf.is_file():
                PRINTED[iso3] = _page_texts(pdf)
            ja = reports / iso3 / "brief.ja.pdf"
            if ja.is_file() and shutil.which("pdffonts"):
                fonts = subprocess.run(
                    ["pdffonts", str(ja)], capture_output=True, text=True, check=True
                ).stdout.splitlines()[2:]
                PRINTED_JA[iso3] = (_page_texts(ja), fonts)
    return reports, {r.country_iso3: r for r in results}


def test_briefs_build_with_status_ok_and_all_files(built):
    reports, results = built
    for iso3 in COUNTRIES:
        assert results[iso3].status == "ok", results[iso3].error
        folder = reports / iso3
        names = ("brief.html", "brief.ja.html", "brief.ipynb", "summary.json", "judgements.json")
        for name in (*names, "run.json"):
            assert (folder / name).is_file(), f"{iso3}/{name}"
        run = json.loads((folder / "run.json").read_text())
        assert run["status"] == "ok" and run["country_iso3"] == iso3
        assert run["kernel"] == ("warm" if runner.warm_kernels_supported() else "fresh")
        assert len(list((folder / "history").iterdir())) == 1
        if find_chromium():
            assert (folder / "brief.pdf").read_bytes()[:5] == b"%PDF-"
            assert (folder / "brief.ja.pdf").read_bytes()[:5] == b"%PDF-"


def test_every_brief_file_follows_its_json_schema(built):
    reports, _ = built
    registry_ids = set(registry())
    for iso3 in COUNTRIES:
        summary = json.loads((reports / iso3 / "summary.json").read_text())
        judgements = json.loads((reports / iso3 / "judgements.json").read_text())
        assert schema_problems(summary, "summary") == [], iso3
        assert schema_problems(judgements, "judgements") == [], iso3
        for j in judgements["judgements"]:
            assert j["resolution_source"] in registry_ids, j["id"]
            assert j["issued"] == summary["provenance"]["as_of"]
        # one number per quantity: the bottom line's composite figure is the section's score
        figures = summary["bottom_line"]["key_figures"]
        for kf in (k for k in figures if k["id"] == "structural_risk_composite"):
            assert kf["value"] == summary["composite"]["score"]


def test_summary_json_equals_what_the_package_computes(built):
    reports, _ = built
    params = BriefParams(country_iso3="PHL", output_dir=reports / "_scratch" / "PHL")
    expected = json.loads(Brief.from_params(params).summary().to_json())
    published = json.loads((reports / "PHL" / "summary.json").read_text())
    assert published == expected
    assert published["provenance"]["country_iso3"] == "PHL"
    assert published["osa_package"]["announced_total_jpy"] == 3_100_000_000  # 0.6 + 1.6 + 0.9 bn
    sources = {row["source"] for row in published["provenance"]["data_vintage"]}
    assert {"wgi", "asam_msi_csv", "ucdp_prio_acd"} <= sources <= set(registry())


def test_fiji_brief_says_plainly_that_piracy_data_is_thin(built):
    reports, _ = built
    summary = json.loads((reports / "FJI" / "summary.json").read_text())
    assert summary["maritime"]["thin_data"] is True
    html = (reports / "FJI" / "brief.html").read_text()
    assert "EEZ" in html and "Disaster exposure" in html


def test_html_hides_code_and_loads_nothing_external(built):
    reports, _ = built
    notebook_code = ["Brief.from_params(", "show(brief.section", "BriefParams.from_namespace"]
    for iso3 in COUNTRIES:
        html = (reports / iso3 / "brief.html").read_text()
        assert not any(code in html for code in notebook_code), iso3
        assert "<script" not in html.lower()
        assert not EXTERNAL.findall(html), EXTERNAL.findall(html)[:3]
        assert 'href="#' in html  # table of contents
        assert "data:image/png;base64," in html  # images inline


def test_rerun_is_skipped_then_forced_reruns_give_identical_html(built):
    reports, _ = built
    params = BriefParams(country_iso3="PHL", output_dir=reports / "_scratch" / "PHL")
    assert runner.run_brief(params, reports_dir=reports).status == "skipped"
    # the first forced rerun compares with the first brief ("what changed": nothing beyond
    # uncertainty); a second one has the same inputs again and must give the same bytes
    first = runner.run_brief(params, reports_dir=reports, force=True, pdf=False)
    assert first.status == "ok", first.error
    html = (reports / "PHL" / "brief.html").read_bytes()
    summary = json.loads((reports / "PHL" / "summary.json").read_text())
    assert summary["what_changed"]["previous_as_of"] == summary["provenance"]["as_of"]
    assert summary["what_changed"]["n_changes"] == 0
    assert json.loads((reports / "PHL" / "run.json").read_text())["kernel"] == "fresh"
    # ... also when the kernel is forked from a warm kernel server (as run_all does)
    with contextlib.ExitStack() as stack:
        address = None
        if runner.warm_kernels_supported():
            env = runner._child_env(params)
            address = stack.enter_context(KernelServer(env, config.PROJECT_ROOT)).address
        second = runner.run_brief(
            params, reports_dir=reports, force=True, pdf=False, kernel_server=address
        )
    assert second.status == "ok", second.error
    kernel = json.loads((reports / "PHL" / "run.json").read_text())["kernel"]
    assert kernel == ("warm" if address else "fresh")
    assert (reports / "PHL" / "brief.html").read_bytes() == html
    judgements = json.loads((reports / "PHL" / "judgements.json").read_text())
    assert judgements["country_iso3"] == "PHL" and judgements["judgements"]
    assert schema_problems(judgements, "judgements") == []


def test_a_failed_run_keeps_the_last_good_brief_and_is_shown_stale(built, tmp_path, monkeypatch):
    reports, _ = built
    good_html = (reports / "FJI" / "brief.html").read_bytes()
    good_summary = (reports / "FJI" / "summary.json").read_bytes()
    # empty caches and a mirror whose ASAM export is corrupted: the run must fail
    mirror = tmp_path / "mirror"
    for source in registry().values():
        target = mirror / source.file
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.id == "asam_msi_csv":
            target.write_text("reference,date,position\n2020-001,2020-01-01,SYNTHETIC\n")
        else:
            target.symlink_to(config.mirror_dir() / source.file)
    monkeypatch.setenv("OSA_DATA_MIRROR", str(mirror))
    monkeypatch.setenv("OSA_DATA_DIR", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("OSA_CACHE_DIR", str(tmp_path / "empty-derived"))
    params = BriefParams(country_iso3="FJI", output_dir=reports / "_scratch" / "FJI")
    result = runner.run_brief(params, reports_dir=reports, force=True, pdf=False)
    assert result.status == "failed"
    assert result.error["ename"] == "HashMismatchError"
    assert (reports / "FJI" / "brief.html").read_bytes() == good_html
    assert (reports / "FJI" / "summary.json").read_bytes() == good_summary
    failed = sorted((reports / "_failed" / "FJI").iterdir())
    assert len(failed) == 1
    record = json.loads((failed[0] / "run.json").read_text())
    assert record["status"] == "failed" and "sha256" in record["error"]["evalue"]
    assert (failed[0] / "brief_debug.html").is_file() and (failed[0] / "brief.ipynb").is_file()
    runner.rebuild_index(reports)
    index = json.loads((reports / "index.json").read_text())
    status = {c["iso3"]: c["status"] for c in index["countries"]}
    assert status == {"PHL": "ok", "FJI": "stale"}
    phl = next(c for c in index["countries"] if c["iso3"] == "PHL")
    assert [t["id"] for t in phl["tiles"]] == [
        "maritime_threat",
        "structural_instability",
        "conflict_involvement",
        "misuse_diversion",
    ]
    assert phl["what_changed"]["previous_as_of"] == phl["as_of"]  # PHL was rebuilt above
    page = (reports / "index.html").read_text()
    assert "HashMismatchError" in page and "FJI/brief.html" in page


@pytest.mark.skipif(find_chromium() is None, reason="Chromium not installed")
def test_index_and_brief_open_in_chromium_without_console_errors(built):
    reports, _ = built
    runner.rebuild_index(reports)
    for page in (reports / "index.html", reports / "PHL" / "brief.html"):
        assert check_html_in_chromium(Path(page)) == [], page


def test_pages_at_1280_px_do_not_scroll_sideways_and_show_tiles_in_colour(built):
    if find_chromium() is None:
        if os.environ.get("OSA_REQUIRE_CHROMIUM"):
            pytest.fail("CI needs Chromium for the screenshot checks")
        pytest.skip("Chromium not installed")
    reports, _ = built
    runner.rebuild_index(reports)
    pages = [reports / "index.html", reports / "index.ja.html"]
    pages += [reports / c / name for c in COUNTRIES for name in ("brief.html", "brief.ja.html")]
    for page in pages:
        problems, layout = page_layout(page, width=1280)
        assert problems == [], page
        assert layout["scroll_width"] <= layout["client_width"], (page, layout)
        colours = [tuple(map(int, re.findall(r"\d+", c)[:3])) for c in layout["tiles"]]
        assert len(colours) >= 4, page  # four tiles per brief, four chips per index row
        assert all(max(c) - min(c) > 60 for c in colours), (page, layout["tiles"])  # not grey


# ----------------------------------------------------------------- the Japanese edition


class _MainText(HTMLParser):
    """Collect the text of a page's ``<main>`` by section (h2), outside links and code."""

    def __init__(self) -> None:
        super().__init__()
        self.in_main = self.skip = 0
        self.sections: list[list[str]] = [[]]

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main += 1
        elif tag == "h2":
            self.sections.append([])
        if tag in ("a", "code", "style", "script"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main -= 1
        if tag in ("a", "code", "style", "script"):
            self.skip -= 1

    def handle_data(self, data):
        if self.in_main and not self.skip:
            self.sections[-1].append(data)


KEPT_IN_ORIGINAL = ("出典とライセンス", "作成情報")
"""Annexes of the Japanese edition that list sources by their own titles (in English)."""
ORIGINAL_NAMES = (
    "IMB Crime at Sea",
    "Regimes of the World",
    "GI-TOC Organized Crime Index",
    "South China Sea Data Initiative",
    "Uppsala Conflict Data Program",
    "Brier score and skill",
)
"""Names of data sets (and a glossary term) the Japanese text gives in their own form."""


def test_japanese_edition_has_no_english_sentence_outside_the_source_lists(built):
    reports, _ = built
    for iso3 in COUNTRIES:
        page = (reports / iso3 / "brief.ja.html").read_text()
        assert '<html lang="ja">' in page and "国別リスク評価" in page
        text = _MainText()
        text.feed(page)
        runs = [
            run
            for section in text.sections
            if not any(name in "".join(section[:3]) for name in KEPT_IN_ORIGINAL)
            for run in english_runs(" ".join(section))
            if not any(run in name for name in ORIGINAL_NAMES)
        ]
        assert runs == [], (iso3, len(runs), runs[:20])


def test_japanese_pdf_embeds_a_cjk_font_and_figures_lack_no_glyph(built):
    _needs_pdf_text()
    reports, _ = built
    for iso3 in COUNTRIES:
        page = reports / iso3 / "brief.ja.html"
        # what the PDF is printed from is drawn in Noto Sans CJK JP (fonts-noto-cjk) ...
        found: dict = {}
        check_html_in_chromium(page, result=found, fonts_of="p, li, td, th, h2, figcaption")
        glyphs = found["fonts"]
        assert glyphs.get("Noto Sans CJK JP", 0) > 0.9 * sum(glyphs.values()), glyphs
        # ... and the PDF embeds every font it uses (Chromium embeds the CFF outlines of
        # Noto CJK as Type 3 glyph programs, which carry no font name) and reads back
        assert set(PRINTED_JA) == set(COUNTRIES), "the first build printed no Japanese PDF"
        pages, fonts = PRINTED_JA[iso3]
        assert fonts and all(" yes " in line for line in fonts), fonts[:5]
        first = pages[0]
        assert "結論" in first and "確信度" in first, first[:300]
        # matplotlib warns "Glyph ... missing from font(s)" in the cell's stderr
        executed = (reports / iso3 / "brief.ipynb").read_text()
        assert "missing from font" not in executed and "missing from current font" not in executed


# ----------------------------------------------------------------- the reader's brief

URL = re.compile(r"https?://[^\s<>\"']+")


class _Text(HTMLParser):
    """Collect the text outside links, the link targets, the ids and the figure captions."""

    def __init__(self) -> None:
        super().__init__()
        self.in_link = 0
        self.in_caption = 0
        self.in_style = 0
        self.loose: list[str] = []
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.captions: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a":
            self.in_link += 1
            self.hrefs.append(attrs.get("href") or "")
        elif tag == "figcaption":
            self.in_caption += 1
            self.captions.append("")
        elif tag in ("style", "script"):
            self.in_style += 1

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_link -= 1
        elif tag == "figcaption":
            self.in_caption -= 1
        elif tag in ("style", "script"):
            self.in_style -= 1

    def handle_data(self, data):
        if self.in_caption:
            self.captions[-1] += data
        if not self.in_link and not self.in_style:
            self.loose.append(data)


def _page_texts(pdf: Path) -> list[str]:
    """The text of each page of a PDF, by pdftotext (poppler-utils)."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in out.split("\f")[:-1]]


def _needs_pdf_text() -> None:
    if find_chromium() is None or shutil.which("pdftotext") is None:
        if os.environ.get("OSA_REQUIRE_CHROMIUM"):
            pytest.fail("CI needs Chromium and pdftotext (poppler-utils) for the PDF checks")
        pytest.skip("Chromium or pdftotext not installed")
    assert set(PRINTED) == set(COUNTRIES), "the first build printed no PDF"


def test_every_outward_link_is_clickable_and_every_table_reference_lands(built):
    reports, _ = built
    for iso3 in COUNTRIES:
        page = _Text()
        page.feed((reports / iso3 / "brief.html").read_text())
        loose_urls = [u for text in page.loose for u in URL.findall(text)]
        assert loose_urls == [], (iso3, loose_urls[:3])
        assert any(h.startswith("https://") for h in page.hrefs)
        targets = [h[1:] for h in page.hrefs if h.startswith("#")]
        assert [t for t in targets if t not in page.ids] == [], iso3
        assert any(t.startswith("table-") for t in targets) and "judgements.json" in page.hrefs


def test_page_one_holds_the_key_judgements_and_phl_fits_twelve_pages(built):
    _needs_pdf_text()
    reports, _ = built
    for iso3 in COUNTRIES:
        summary = json.loads((reports / iso3 / "summary.json").read_text())
        pages = PRINTED[iso3]
        first = pages[0]
        assert "1. Bottom line" in first and "Trip-wires" in first and "Newest data" in first
        items = summary["key_judgements"]["judgements"]
        assert 3 <= len(items) <= 5
        for item in items:
            assert item["label"] in first, (iso3, item["label"])
        assert "Annex: provenance" not in first  # provenance moved to the annex
        if iso3 == "PHL":
            assert len(pages) <= 12, len(pages)


def test_no_printed_page_holds_only_captions(built):
    _needs_pdf_text()
    reports, _ = built
    for iso3 in COUNTRIES:
        page = _Text()
        page.feed((reports / iso3 / "brief.html").read_text())
        caption_words = {w for c in page.captions for w in c.split()}
        for number, text in enumerate(PRINTED[iso3], start=1):
            own = [w for w in text.split() if w not in caption_words]
            assert len(own) >= 25, (iso3, number, text[:200])


def test_page_one_numbers_are_the_judgements_file_numbers(built):
    reports, _ = built
    for iso3 in COUNTRIES:
        summary = json.loads((reports / iso3 / "summary.json").read_text())
        published = {
            j["id"]: j
            for j in json.loads((reports / iso3 / "judgements.json").read_text())["judgements"]
        }
        for item in summary["key_judgements"]["judgements"]:
            if item["basis"] != "probability":
                assert item["id"] is None and item["term_range"]
                continue
            j = published[item["id"]]
            assert (item["probability"], item["interval"], item["term"]) == (
                j["probability"],
                j["interval"],
                j["yardstick"],
            )
            assert item["resolve_by"] == j["resolve_by"]
