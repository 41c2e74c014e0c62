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
    assert registry.number("bottom_line") == 1
    assert registry.number("provenance") is None and registry.number("sources") is None
    assert registry.heading("maritime", "ignored") == "3. Maritime incidents"
    assert registry.heading("provenance", "Fiji: maritime security risk brief") == (
        "Fiji: maritime security risk brief"
    )


def test_dependencies_put_the_cover_after_every_data_section():
    cover = set(registry.dependencies("provenance"))
    assert {"maritime", "composite", "diversion", "bottom_line"} <= cover
    assert not cover & {"provenance", "sources", "what_changed"}
    assert set(registry.dependencies("what_changed")) == set(registry.SECTION_ORDER) - {
        "what_changed"
    }
    assert registry.reads_sections("bottom_line") and not registry.reads_sections("sources")
