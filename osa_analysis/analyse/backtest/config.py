"""The backtest method file ``data/risk/backtest.yaml``: loading and checks."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any

from osa_analysis.sources.methods import METHODS_DIR, MethodFile, load_method_file
from osa_analysis.sources.registry import registry

CONFIG_FILE = METHODS_DIR / "backtest.yaml"
"""The backtest method file (versioned by its ``method_version``)."""
MODEL_IDS = ("base_rate", "logistic", "climatology", "persistence")
"""Models the method file describes; a kind's ``selected`` model is one of the first two."""
SELECTABLE = ("base_rate", "logistic")
"""Models a brief may use for a kind's probability."""
REQUIRED_KEYS = (
    "method_version",
    "origins",
    "kinds",
    "horizons_months",
    "models",
    "selected",
    "scores",
    "targets",
)
"""Top-level blocks of the method file."""


def config_problems(doc: Mapping[str, Any]) -> list[str]:
    """Return what is wrong with a backtest method document (empty when valid)."""
    missing = [k for k in REQUIRED_KEYS if k not in doc]
    if missing:
        return [f"missing top-level keys {missing}"]
    problems = []
    o = doc["origins"]
    if not int(o["start"]) <= int(o["end"]):
        problems.append(f"origins: start {o['start']} after end {o['end']}")
    for months in doc["horizons_months"]:
        if int(months) % 12 or int(months) <= 0:
            problems.append(f"horizons_months: {months} is not a positive multiple of 12")
    known = registry()
    ids = []
    for i, kind in enumerate(doc["kinds"]):
        for key in ("id", "label", "short", "event", "resolution_source", "resolved_to_year"):
            if key not in kind:
                problems.append(f"kinds[{i}]: no {key!r}")
        ids.append(kind.get("id"))
        if kind.get("resolution_source") not in known:
            problems.append(
                f"kinds[{i}] ({kind.get('id')}): resolution_source "
                f"{kind.get('resolution_source')!r} is not a registry id"
            )
    for kind_id, model in doc["selected"].items():
        if kind_id not in ids:
            problems.append(f"selected: {kind_id!r} is not a kind")
        if model not in SELECTABLE:
            problems.append(f"selected: {kind_id} -> {model!r}; expected one of {SELECTABLE}")
    for kind_id in ids:
        if kind_id not in doc["selected"]:
            problems.append(f"selected: no model for kind {kind_id!r}")
    unknown = set(doc["models"]) - set(MODEL_IDS)
    if unknown:
        problems.append(f"models: unknown {sorted(unknown)}")
    edges = [float(e) for e in doc["scores"]["calibration_bins"]]
    if edges[0] != 0.0 or edges[-1] != 1.0 or any(b <= a for a, b in pairwise(edges)):
        problems.append("scores.calibration_bins: must rise from 0 to 1")
    return problems


def load_backtest_config(path: Path | str | None = None) -> MethodFile:
    """Return the backtest method file, checked and frozen (re-read when its bytes change).

    Raises
    ------
    osa_analysis.sources.methods.MethodError
        Naming the file and every problem found.
    """
    return load_method_file(path or CONFIG_FILE, problems=config_problems)
