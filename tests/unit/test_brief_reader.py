"""The reader's brief: rounding rules, page-one judgements, tiles, glossary, folding, print."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from osa_analysis.analyse.judgements import scenario_judgements
from osa_analysis.brief import registry
from osa_analysis.brief.display import (
    figure_html,
    linked_urls,
    table_html,
    table_reference_html,
    unprinted_note,
)
from osa_analysis.brief.glossary import GLOSSARY_FILE, glossary_terms, yardstick_table
from osa_analysis.brief.key_judgements import (
    equipment_phrase,
    judgement_line,
    key_judgements,
    project_categories,
    tiles_html,
)
from osa_analysis.brief.numbers import count, money, pct, pct_range, sig
from osa_analysis.brief.section import LONG_TABLE_CHARS, LONG_TABLE_ROWS, is_long
from osa_analysis.core.config import PROJECT_ROOT

# ------------------------------------------------------------------------ rounding rules


def test_significant_figures_and_percentages():
    assert [sig(28.5766), sig(54.4686, 3), sig(1998447, 4), sig(0.0412)] == [
        "29",
        "54.5",
        "1,998,000",
        "0.041",
    ]
    assert sig(-0.5713, 2) == "-0.57" and sig(0) == "0" and sig(None) == "n/a"
    assert sig(float("inf")) == "n/a"
    assert [pct(0.006287), pct(0.020758), pct(0.256524), pct(0.0004), pct(1.0)] == [
        "0.6%",
        "2.1%",
        "26%",
        "<0.1%",
        "100%",
    ]
    assert pct_range(0.012, 0.0671) == "1.2–6.7%" and pct(None) == "n/a"


def test_money_and_counts_in_words():
    assert money(66_810_540, "US$") == "US$66.8 million"  # not "US$66,810,540"
    assert money(3_100_000_000) == "¥3.10 billion"
    assert count(1, "coup attempt") == "1 coup attempt"  # not "1 coup attempts"
    assert count(0, "piracy incident") == "no piracy incidents"  # not "Only 0 piracy"
    assert count(3, "storm") == "3 storms" and count(2, "analysis", "analyses") == "2 analyses"


# ------------------------------------------------------------------ page-one judgements

YARDSTICK = {"terms": {"remote": [0.0, 0.05], "unlikely": [0.25, 0.35], "likely": [0.55, 0.75]}}


def _scenario(sid, label, p36, residual, score, order_term="remote"):
    """A synthetic register entry: S-ids and numbers made up for the test."""
    sc = {
        "id": sid,
        "label": label,
        "confidence": "M",
        "equipment_relevance": {"radar": "high", "overall": "high"},
        "residual": {"class": residual, "score": score},
        "event_definition": f"synthetic event {sid}",
        "base_rate": {},
    }
    if p36 is None:
        sc["judgement_36m"] = order_term
        return sc
    return sc | {
        "probability_36m": p36,
        "likelihood_36m": [p36 / 2, p36 * 2],
        "yardstick_36m": order_term,
        "resolution_source": "ucdp_prio_acd",
    }


def _diversion(scenarios):
    return {"scenarios": scenarios, "yardstick": YARDSTICK}


def test_key_judgements_are_the_register_numbers_highest_residual_first():
    scenarios = [
        _scenario("S1", "Synthetic clash", 0.031, "low", 3),
        _scenario("S5", "Synthetic loss", None, "medium", 9, "unlikely"),
        _scenario("S3", "Synthetic misuse", 0.169, "medium", 6, "unlikely"),
    ]
    items = key_judgements(_diversion(scenarios), "XXX", "2026-08-09")
    assert [i["scenario"] for i in items] == ["S5", "S3", "S1"]
    # the numbers are judgements.json's (scenario_judgements), never recomputed
    published = {
        j["scenario"]: j
        for j in scenario_judgements(scenarios, "XXX", "2026-08-09")
        if j["horizon_months"] == 36
    }
    for item in items:
        if item["basis"] == "probability":
            j = published[item["scenario"]]
            assert (item["probability"], item["interval"], item["id"]) == (
                j["probability"],
                j["interval"],
                j["id"],
            )
            assert item["resolve_by"] == j["resolve_by"] == "2029-08-09"
    loss = items[0]
    assert loss["basis"] == "judgement" and loss["term_range"] == [0.25, 0.35]
    assert loss["probability"] is None and loss["resolve_by"] == "2029-08-09"


def test_at_most_five_judgements_and_their_words():
    scenarios = [_scenario(f"S{i}", f"Synthetic {i}", 0.01 * i, "low", i) for i in range(1, 8)]
    items = key_judgements(_diversion(scenarios), "XXX", "2026-08-09")
    assert len(items) == 5 and items[0]["scenario"] == "S7"
    line = judgement_line(items[0])
    assert line.startswith("**Synthetic 7** by 2029-08-09: *remote*, 7.0% (95% interval 3.5–14%)")
    assert "Confidence: moderate." in line and "residual risk after OSA's controls **low**" in line
    judged = key_judgements(
        _diversion([_scenario("S5", "Synthetic loss", None, "medium", 9, "unlikely")]),
        "XXX",
        "2026-08-09",
    )[0]
    assert "*unlikely*, 25–35% on the yardstick, an analyst judgement" in judgement_line(judged)


def test_equipment_is_named_in_words():
    equipment = {
        "projects": [{"categories": ["radar", "ais"]}, {"categories": ["infrastructure"]}],
        "categories": ["ais", "radar", "infrastructure"],
    }
    assert project_categories(equipment) == ["radar", "ais", "infrastructure"]
    assert equipment_phrase(project_categories(equipment)) == (
        "radars, AIS receivers and infrastructure works"
    )
    assert equipment_phrase(["uav"]) == "drones" and equipment_phrase([]) == "no equipment yet"


def test_tiles_are_coloured_and_carry_their_escaped_evidence():
    tiles = [
        {"label": "Maritime threat", "rating": "very high", "arrow": "↑", "trend": "up",
         "evidence": "score <b>9</b>"},
        {"label": "Misuse", "rating": None, "arrow": "–", "trend": None, "evidence": None},
    ]  # fmt: skip
    page = tiles_html(tiles)
    assert 'class="osa-tile osa-rating-5"' in page and 'class="osa-tile osa-rating-0"' in page
    assert "score &lt;b&gt;9&lt;/b&gt;" in page and "<b>" not in page
    assert "n/a" in page and "One five-step scale" in page
    assert tiles_html([]) == ""


# -------------------------------------------------------------------------- glossary


def test_the_glossary_defines_every_term_with_a_source_one_can_open():
    terms = glossary_terms()
    names = [t["term"] for t in terms]
    assert len(names) == len(set(names)) >= 25
    assert names == sorted(names, key=str.lower)
    for t in terms:
        source = t["source"]
        if not source.startswith(("https://", "http://")):
            assert (PROJECT_ROOT / source).exists(), f"{GLOSSARY_FILE}: {t['term']}: {source}"
    for needed in ("PHIA probability yardstick", "Exact Poisson interval (Garwood)", "EEZ"):
        assert needed in names


def test_a_glossary_entry_without_a_source_is_named(tmp_path):
    bad = tmp_path / "glossary.yaml"
    bad.write_text("terms:\n  - term: X\n    definition: synthetic\n")
    with pytest.raises(ValueError, match=r"glossary.yaml: entry 0 lacks source"):
        glossary_terms(bad)


def test_yardstick_table_lists_terms_lowest_first():
    table = yardstick_table(YARDSTICK)
    assert table.to_dict("records") == [
        {"term": "remote", "probability": "≤5.0%"},
        {"term": "unlikely", "probability": "25–35%"},
        {"term": "likely", "probability": "55–75%"},
    ]


# ------------------------------------------------------------------- folding and print


def test_long_tables_by_rows_or_by_text():
    assert not is_long(pd.DataFrame({"a": range(LONG_TABLE_ROWS)}))
    assert is_long(pd.DataFrame({"a": range(LONG_TABLE_ROWS + 1)}))
    wordy = pd.DataFrame({"a": ["x" * (LONG_TABLE_CHARS // 2)] * 3})
    assert len(wordy) <= LONG_TABLE_ROWS and is_long(wordy)


def test_urls_in_tables_are_links_and_references_point_at_the_annex():
    cell = "see https://example.org/a_b?x=1, then stop."
    assert linked_urls(cell) == (
        'see <a class="osa-url" href="https://example.org/a_b?x=1">'
        "https://example.org/a_b?x=1</a>, then stop."
    )
    df = pd.DataFrame({"url": ["https://example.org/x"]})
    page = table_html(df, "Synthetic", "table-x-0", "sources", printed=False)
    assert 'id="table-x-0"' in page and "osa-table-sources osa-screen-only" in page
    assert '<a class="osa-url" href="https://example.org/x">' in page
    ref = table_reference_html(df, "Synthetic", "table-x-0")
    assert '<a href="#table-x-0">the tables annex</a>' in ref
    assert '<span class="osa-print-only">the HTML brief</span>' in ref
    assert "2 more figures of this section" in unprinted_note(2, "figure")


def test_wide_figures_print_across_the_page_and_unprinted_ones_are_marked():
    wide, _ = plt.subplots(figsize=(9, 3))
    tall, _ = plt.subplots(figsize=(5, 5))
    try:
        assert re.search(r'class="osa-figure osa-wide"', figure_html(wide, "A *wide* one"))
        page = figure_html(tall, "Tall", printed=False)
        assert 'class="osa-figure osa-screen-only"' in page and "<figcaption>Tall" in page
        assert "<em>wide</em>" in figure_html(wide, "A *wide* one")
    finally:
        plt.close(wide)
        plt.close(tall)


def test_print_settings_name_figures_and_sections_that_exist():
    for spec in registry.SECTIONS:
        for chosen in (spec.print_figures, spec.print_tables):
            assert chosen is None or all(isinstance(i, int) and i >= 0 for i in chosen)
    unprinted = [s.key for s in registry.SECTIONS if not s.printed]
    assert unprinted == ["tables", "method_checks"]
    assert [s.key for s in registry.SECTIONS if s.page_break_after] == ["key_judgements"]
