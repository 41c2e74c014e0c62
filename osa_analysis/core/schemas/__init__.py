"""JSON Schemas of a brief's machine-readable files, and their validation.

``summary.schema.json``
    ``summary.json``: every section's values; fixed where other tools read them (the
    composite's one score, its interval and class, the tiles, the key figures, the
    scenarios' probabilities).
``judgements.schema.json``
    ``judgements.json``: scoreable judgements (an observable event, a window, a probability
    and the registry source that resolves it).
``backtest_scores.schema.json``
    ``reports/backtest/scores.json``: the track record of every judgement kind and horizon.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent
SCHEMAS = {
    "summary": "summary.schema.json",
    "judgements": "judgements.schema.json",
    "backtest_scores": "backtest_scores.schema.json",
    "screening": "screening.schema.json",
}


@cache
def schema(name: str) -> dict[str, Any]:
    """Return a schema by name (a key of :data:`SCHEMAS`)."""
    return json.loads((SCHEMA_DIR / SCHEMAS[name]).read_text(encoding="utf-8"))


def schema_problems(document: Any, name: str) -> list[str]:
    """Return every way ``document`` breaks schema ``name`` (empty when it is valid).

    Each problem names the path inside the document (``diversion/scenarios/0/probability_12m``)
    and the rule it breaks.
    """
    import jsonschema  # imported on use: nbformat's copy, not needed by every process

    validator = jsonschema.Draft202012Validator(schema(name))
    return [
        f"{'/'.join(str(p) for p in err.absolute_path) or '(top)'}: {err.message}"
        for err in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]
