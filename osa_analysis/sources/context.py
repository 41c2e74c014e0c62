"""Curated context events of each recipient: ``data/context/<ISO3>.yaml``.

Project-owned facts (transitions, elections, incidents at sea, conflicts, programme steps
and scheduled events), each paraphrased from the sources it lists; the layout is described
at the top of ``data/context/BGD.yaml``. A country without a file has no curated events (the
brief says so); a file that breaks the layout is an error naming the file, the event and the
field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from osa_analysis.core.config import CURATED_DIR
from osa_analysis.core.validation import DataFormatError, DataValidationError
from osa_analysis.core.yamlio import safe_load

CONTEXT_DIR = CURATED_DIR / "context"
KINDS = ("transition", "election", "incident_at_sea", "conflict", "programme", "scheduled")
STATUSES = ("VERIFIED", "SINGLE-SOURCE")
MAX_EVENT_CHARS = 400
"""An event is one sentence: longer text is a sign of copied source text."""

COLUMNS = ["date", "date_to", "start", "kind", "event", "sources", "status", "reported"]
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_URL = re.compile(r"^https?://\S+$")


def context_file(iso3: str) -> Path:
    """Return the path of a country's context file (which may not exist)."""
    return CONTEXT_DIR / f"{iso3}.yaml"


def date_start(text: str) -> pd.Timestamp:
    """Return the first day a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date can mean."""
    parts = text.split("-")
    return pd.Timestamp(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
                        int(parts[2]) if len(parts) > 2 else 1)  # fmt: skip


def _problems(index: int, event: Any) -> list[dict[str, Any]]:
    def bad(column: str, check: str, value: Any = None) -> dict[str, Any]:
        return {"record": index, "column": column, "check": check, "value": value}

    if not isinstance(event, dict):
        return [bad("event", "is a mapping", event)]
    out = []
    unknown = sorted(set(event) - (set(COLUMNS) - {"start"}))
    if unknown:
        out.append(bad(unknown[0], "is a known field"))
    for column in ("date", "date_to", "reported"):
        value = event.get(column)
        if value is None and column != "date":
            continue
        text = str(value) if value is not None else ""
        if not _DATE.match(text):
            out.append(bad(column, "is YYYY, YYYY-MM or YYYY-MM-DD", value))
            continue
        try:
            date_start(text)
        except ValueError:
            out.append(bad(column, "is a real date", value))
    if event.get("kind") not in KINDS:
        out.append(bad("kind", f"is one of {', '.join(KINDS)}", event.get("kind")))
    text = event.get("event")
    if not isinstance(text, str) or not text.strip():
        out.append(bad("event", "is a sentence", text))
    elif len(text) > MAX_EVENT_CHARS:
        out.append(bad("event", f"has at most {MAX_EVENT_CHARS} characters", len(text)))
    sources = event.get("sources")
    if not isinstance(sources, list) or not sources:
        out.append(bad("sources", "lists at least one URL", sources))
    else:
        out += [bad("sources", "holds URLs", s) for s in sources if not _URL.match(str(s))]
    if event.get("status") not in STATUSES:
        out.append(bad("status", f"is one of {', '.join(STATUSES)}", event.get("status")))
    if event.get("kind") == "scheduled" and event.get("reported") is None:
        out.append(bad("reported", "is given for a scheduled event (when it was announced)"))
    return out


def load_context(iso3: str, path: Path | None = None) -> pd.DataFrame | None:
    """Read and check a country's context events.

    Parameters
    ----------
    iso3 : str
        The country; its file is :func:`context_file` unless ``path`` is given.
    path : Path, optional
        Another file (tests).

    Returns
    -------
    pandas.DataFrame or None
        One row per event, oldest first: ``date`` (the text as written), ``start`` (its first
        day), ``date_to``, ``kind``, ``event``, ``sources`` (list), ``status`` and
        ``reported``; ``None`` when the country has no file.

    Raises
    ------
    DataFormatError
        When the file is not YAML with ``country`` (matching ``iso3``) and ``events``.
    DataValidationError
        Naming the file, the event (0-based) and the field of every problem.
    """
    path = Path(path) if path is not None else context_file(iso3)
    if not path.is_file():
        return None
    try:
        doc = safe_load(path.read_text(encoding="utf-8"))
    except Exception as exc:  # a YAML syntax error names the line
        raise DataFormatError(f"{path}: not readable YAML: {exc}") from None
    if not isinstance(doc, dict) or doc.get("country") != iso3:
        raise DataFormatError(f"{path}: needs 'country: {iso3}' and a list of 'events'")
    events = doc.get("events") or []
    if not isinstance(events, list):
        raise DataFormatError(f"{path}: 'events' must be a list")
    problems = [p for i, e in enumerate(events) for p in _problems(i, e)]
    if problems:
        raise DataValidationError(str(path), pd.DataFrame(problems))
    rows = [
        {
            "date": str(e["date"]),
            "date_to": None if e.get("date_to") is None else str(e["date_to"]),
            "start": date_start(str(e["date"])),
            "kind": e["kind"],
            "event": " ".join(e["event"].split()),
            "sources": [str(s) for s in e["sources"]],
            "status": e["status"],
            "reported": None if e.get("reported") is None else str(e["reported"]),
        }
        for e in events
    ]
    return (
        pd.DataFrame(rows, columns=COLUMNS)
        .sort_values("start", kind="stable")
        .reset_index(drop=True)
    )
