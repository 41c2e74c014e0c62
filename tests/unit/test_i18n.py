"""The editions: current language, catalog, Japanese number forms, one run for both pages."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from osa_analysis.brief import display
from osa_analysis.brief.numbers import count, date_text, money, pct, pct_range, range_text, sig
from osa_analysis.brief.section import Section, fmt_num
from osa_analysis.build.params import BriefParams, ParamsError
from osa_analysis.build.render import edition_name, render_html
from osa_analysis.core.i18n import _, language, translated, use_language


def test_english_is_the_code_and_japanese_comes_from_the_catalog():
    assert _("Contents") == "Contents"
    with use_language("ja"):
        assert language() == "ja"
        assert _("Contents") == "目次"
        assert _("a message nobody wrote") == "a message nobody wrote"
    assert language() == "en"
    assert translated("Maritime incidents", "ja") == "海上事案"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'fr'"), use_language("fr"):
        pass


def test_numbers_keep_english_forms_and_write_japanese_ones():
    assert money(66810540, "US$") == "US$66.8 million"
    assert date_text("2026-08-09") == "2026-08-09"
    assert pct_range(0.012, 0.067) == "1.2–6.7%"
    assert count(3, "storm") == "3 storms" and count(0, "storm") == "no storms"
    assert range_text("29", "54") == "29 to 54"
    assert fmt_num(None) == "n/a"
    with use_language("ja"):
        assert money(66810540, "US$") == "6,680万米ドル"  # 万 = 10^4
        assert money(2_000_000_000) == "20億円"  # 億 = 10^8; no trailing zeros in Japanese
        assert money(750_000) == "75万円" and money(3_100_000_000) == "31億円"
        assert date_text("2026-08-09") == "2026年8月9日"
        assert pct_range(0.012, 0.067) == "1.2〜6.7%"
        assert pct(0.256524) == "26%"  # the rounding rule is the same
        assert sig(1998447, 4) == "1,998,000"
        assert count(3, "海賊事案") == "海賊事案3件"
        assert count(0, "海賊事案") == "海賊事案なし"
        assert range_text("29", "54") == "29〜54"
        assert fmt_num(None) == "該当なし"


def test_a_brief_has_both_editions_unless_asked_for_english_only():
    assert BriefParams("PHL", as_of="2026-08-09").languages == ("en", "ja")
    assert BriefParams("PHL", as_of="2026-08-09", languages="ja").languages == ("en", "ja")
    assert BriefParams("PHL", as_of="2026-08-09", languages=["en"]).languages == ("en",)
    with pytest.raises(ParamsError, match=r"languages=\['fr'\] are unknown"):
        BriefParams("PHL", as_of="2026-08-09", languages="fr")


def test_show_marks_each_edition_and_the_renderer_keeps_one(tmp_path: Path, monkeypatch):
    shown: list[tuple[object, dict | None]] = []
    monkeypatch.setattr(
        display, "display", lambda obj, metadata=None: shown.append((obj, metadata))
    )
    english = Section(key="peers", title="Peers", markdown="Only English here.")
    english.editions = {"ja": Section(key="peers", title="比較対象国", markdown="日本語のみ。")}
    display.show(english)
    langs = [meta["osa_lang"] for _obj, meta in shown]
    assert langs == ["en", "ja"]
    outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/markdown": obj.data}, metadata=dict(meta)
        )
        for obj, meta in shown
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("show()", outputs=outputs)])
    nbformat.write(nb, tmp_path / "brief.ipynb")
    executed = tmp_path / "brief.ipynb"
    en = render_html(executed, tmp_path / "brief.html", editions=True).read_text()
    ja = render_html(executed, tmp_path / "brief.ja.html", lang="ja", editions=True).read_text()
    assert "Only English here." in en and "日本語のみ" not in en
    assert "日本語のみ" in ja and "Only English here." not in ja
    assert '<html lang="ja">' in ja and '<html lang="en">' in en
    assert 'href="brief.ja.html"' in en and 'href="brief.html"' in ja  # each links the other
    assert "目次" in ja  # the page's own words are Japanese too


def test_edition_file_names():
    assert edition_name("brief.html", "en") == "brief.html"
    assert edition_name("brief.html", "ja") == "brief.ja.html"
    assert edition_name("brief.pdf", "ja") == "brief.ja.pdf"
