"""The section registry: every builder resolves, numbering and build order are right."""

from __future__ import annotations

import importlib

from osa_analysis.brief import registry


def test_every_builder_resolves_to_a_function():
    for spec in registry.SECTIONS:
        assert callable(spec.build), spec.builder
    for name in registry.section_modules():
        importlib.import_module(name)


def test_sections_are_numbered_in_reading_order():
    numbered = [k for k in registry.SECTION_ORDER if registry.number(k) is not None]
    assert [registry.number(k) for k in numbered] == list(range(1, len(numbered) + 1))
    assert registry.SECTION_ORDER[:3] == ("cover", "key_judgements", "bottom_line")
    assert registry.number("key_judgements") == 1 and registry.number("bottom_line") == 2
    assert registry.number("cover") is None and registry.number("provenance") is None
    assert registry.heading("context", "ignored") == "4. Context and outlook"
    assert registry.heading("maritime", "ignored") == "5. Maritime incidents"
    assert registry.heading("cover", "Fiji: maritime security risk brief") == (
        "Fiji: maritime security risk brief"
    )
    annexes = [k for k in registry.SECTION_ORDER if registry.spec(k).annex]
    assert annexes == ["glossary", "tables", "method_checks", "provenance", "sources"]
    assert annexes == list(registry.SECTION_ORDER[-len(annexes) :])
    assert all(registry.number(k) is None for k in annexes)


def test_dependencies_put_the_cover_after_every_data_section():
    cover = set(registry.dependencies("provenance"))
    assert {"maritime", "composite", "diversion", "bottom_line"} <= cover
    assert not cover & {"provenance", "sources", "what_changed"}
    # what_changed reads every section but those that read it (the bottom line) and the
    # tables annex, which reads every section including what_changed.
    assert set(registry.dependencies("what_changed")) == set(registry.SECTION_ORDER) - {
        "what_changed",
        "key_judgements",
        "tables",
    }
    assert set(registry.dependencies("tables")) == set(registry.SECTION_ORDER) - {"tables"}
    assert {"provenance", "bottom_line", "diversion", "what_changed"} == set(
        registry.dependencies("key_judgements")
    )
    assert registry.reads_sections("bottom_line") and not registry.reads_sections("sources")
