"""The brief's machine-readable summary: every number shown, as written to summary.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from osa_analysis.brief.section import Section
from osa_analysis.core.files import json_text, jsonable, write_json

SUMMARY_FILE = "summary.json"


class BriefSummary:
    """Collect section values and provenance, then write ``summary.json`` deterministically."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    def add(self, section: Section) -> Section:
        """Record a section's values under its key (returns the section for chaining)."""
        if section.key in self.data:
            raise ValueError(f"section key {section.key!r} recorded twice")
        self.data[section.key] = jsonable(section.values)
        return section

    def set(self, key: str, value: Any) -> None:
        """Record a top-level entry (e.g. ``provenance``)."""
        self.data[key] = jsonable(value)

    def to_json(self) -> str:
        """Serialise with sorted keys and a trailing newline (byte-stable)."""
        return json_text(self.data, ensure_ascii=False)

    def write(self, output_dir: str | Path) -> Path:
        """Write ``summary.json`` atomically into ``output_dir`` and return its path."""
        path = Path(output_dir) / SUMMARY_FILE
        write_json(path, self.data, ensure_ascii=False)
        return path
