"""What the brief pages and the index page share: template paths and provenance text.

Kept apart from :mod:`osa_analysis.build.render` (which imports nbconvert) so that the
catalog, rebuilt after every build, stays cheap to import.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
BRIEF_TEMPLATE = "osa_brief"
STYLE_FILE = TEMPLATES_DIR / BRIEF_TEMPLATE / "static" / "style.css"

# Keys naming a data-vintage record, and the keys summarising it, in order of preference.
_RECORD_NAME_KEYS = ("source", "id", "source_id", "name")
_RECORD_VINTAGE_KEYS = ("vintage", "last observation", "last_observation", "version")


def page_environment() -> Any:
    """Return the Jinja environment of the site's own pages (index, backtest report).

    Autoescaped (every data text is HTML-escaped), strict about undefined names, templates
    from :data:`TEMPLATES_DIR`.
    """
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def format_value(value: Any) -> str:
    """Return a provenance value as display text (``—`` for none, lists comma-joined)."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple) and all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        return ", ".join(str(v) for v in value) if value else "—"
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def vintage_rows(vintage: Any) -> list[tuple[str, str]]:
    """Summarise a data vintage as ``(source, text)`` rows, sorted by source.

    Accepts a mapping ``{source: vintage}``, a list of records such as the brief's vintage
    table (``{"source": ..., "vintage": ..., "last observation": ...}``) or a plain value.

    Parameters
    ----------
    vintage : Any
        The ``data_vintage`` entry of a provenance dict.

    Returns
    -------
    list of tuple
        One ``(source, summary)`` per source; ``[("", text)]`` for a plain value; ``[]``
        when empty.
    """
    if vintage is None or vintage == "" or vintage == [] or vintage == {}:
        return []
    if isinstance(vintage, Mapping):
        return [(str(k), format_value(vintage[k])) for k in sorted(vintage, key=str)]
    if isinstance(vintage, list | tuple) and all(isinstance(v, Mapping) for v in vintage):
        rows = []
        for index, record in enumerate(vintage):
            name_key = next((k for k in _RECORD_NAME_KEYS if record.get(k)), None)
            name = str(record[name_key]) if name_key else str(index + 1)
            parts = [
                f"{k}: {format_value(record[k])}" if k != "vintage" else format_value(record[k])
                for k in _RECORD_VINTAGE_KEYS
                if record.get(k) not in (None, "")
            ]
            if not parts:
                parts = [
                    f"{k}: {format_value(v)}" for k, v in sorted(record.items()) if k != name_key
                ]
            rows.append((name, "; ".join(parts)))
        return sorted(rows)
    return [("", format_value(vintage))]
