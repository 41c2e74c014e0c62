"""The brief's machine-readable summary: every number shown, as written to summary.json."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from osa_analysis.brief.section import Section, jsonable

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
        return json.dumps(self.data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    def write(self, output_dir: str | Path) -> Path:
        """Write ``summary.json`` atomically into ``output_dir`` and return its path."""
        folder = Path(output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / SUMMARY_FILE
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".summary.", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(self.to_json())
        os.replace(tmp, path)
        return path
