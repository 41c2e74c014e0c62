"""The diversion method file ``data/risk/diversion.yaml``: loading and checks.

Read through :func:`osa_analysis.sources.methods.load_method_file`, so an edited file is
seen by the next :func:`load_config` call (also in a running kernel), the document is
frozen (no caller can change what another one reads) and its sha256 keys every shared or
cached result that depends on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from osa_analysis.analyse.diversion.vocabulary import INDICATORS, OPS
from osa_analysis.sources.methods import METHODS_DIR, MethodFile, load_method_file
from osa_analysis.sources.recipients import EQUIPMENT_CATEGORIES
from osa_analysis.sources.registry import registry

CONFIG_FILE = METHODS_DIR / "diversion.yaml"
"""The method configuration (versioned by its ``method_version``)."""

REQUIRED_KEYS = (
    "method_version",
    "ratings",
    "trend",
    "data",
    "legal_party_to_conflict",
    "criteria",
    "criteria_out_of_scope",
    "yardstick",
    "horizons_years",
    "confidence",
    "base_rates",
    "scenarios",
    "controls",
    "relevance",
    "residual",
    "tripwires",
)
"""Top-level blocks every diversion configuration has."""


def load_config(path: Path | str | None = None) -> MethodFile:
    """Return the diversion method configuration, validated and frozen.

    The file is read on every call and parsed again when its bytes changed, so an edited
    YAML is seen at once.

    Parameters
    ----------
    path : Path or str, optional
        A YAML file in the layout of ``data/risk/diversion.yaml`` (the default).

    Returns
    -------
    MethodFile
        A read-only mapping of the document; ``sha256`` is that of the file's bytes.

    Raises
    ------
    osa_analysis.sources.methods.MethodError
        (a ``ValueError``) when the file is missing or :func:`config_problems` lists
        anything; the message names the file.
    """
    return load_method_file(path or CONFIG_FILE, problems=config_problems)


def config_sha(path: Path | str | None = None) -> str:
    """Return the sha256 of the configuration file (part of every cache key)."""
    return load_config(path).sha256


def config_problems(cfg: Mapping[str, Any]) -> list[str]:
    """List what is wrong with a diversion configuration (empty when valid).

    Parameters
    ----------
    cfg : Mapping
        Parsed YAML (plain or frozen).

    Returns
    -------
    list of str
    """
    problems = [f"missing key {key!r}" for key in REQUIRED_KEYS if key not in cfg]
    if problems:
        return problems
    terms = [t["term"] for t in cfg["yardstick"]["terms"]]
    return [
        *_criteria_problems(cfg["criteria"]),
        *_yardstick_problems(cfg["yardstick"]),
        *_scenario_problems(cfg, terms),
        *_relevance_problems(cfg["relevance"], [s["id"] for s in cfg["scenarios"]]),
        *[
            f"residual: no likelihood score for {term!r}"
            for term in terms
            if term not in cfg["residual"]["likelihood_score"]
        ],
    ]


def condition_problems(where: str, cond: Mapping[str, Any]) -> list[str]:
    """List what is wrong with one condition (``indicator``, ``op``, ``field``, rationale)."""
    problems = []
    if cond.get("indicator") not in INDICATORS:
        problems.append(f"{where}: unknown indicator {cond.get('indicator')!r}")
    if cond.get("op") not in OPS:
        problems.append(f"{where}: unknown op {cond.get('op')!r}")
    if cond.get("field", "value") not in ("value", "low", "high"):
        problems.append(f"{where}: unknown field {cond.get('field')!r}")
    if not str(cond.get("rationale", "")).strip():
        problems.append(f"{where}: condition without a rationale")
    if "requires" in cond:
        req = cond["requires"]
        if req.get("indicator") not in INDICATORS or req.get("op") not in OPS:
            problems.append(f"{where}: bad 'requires'")
    return problems


def _criteria_problems(criteria: list[Mapping[str, Any]]) -> list[str]:
    problems = []
    ids = set()
    for crit in criteria:
        cid = crit.get("id")
        ids.add(cid)
        for key in ("framework", "label", "short", "primary", "indicators"):
            if key not in crit:
                problems.append(f"criterion {cid}: missing {key!r}")
        for name in crit.get("indicators", []):
            if name not in INDICATORS:
                problems.append(f"criterion {cid}: unknown indicator {name!r}")
        for level in ("critical", "possibly_critical"):
            for cond in crit.get(level) or []:
                problems += condition_problems(f"criterion {cid} {level}", cond)
    if len(ids) != len(criteria):
        problems.append("criterion ids are not unique")
    return problems


def _yardstick_problems(yardstick: Mapping[str, Any]) -> list[str]:
    problems = []
    cut_points = list(yardstick["cut_points"])
    if len(cut_points) != len(yardstick["terms"]) - 1:
        problems.append("yardstick: cut_points must number one fewer than terms")
    if cut_points != sorted(cut_points):
        problems.append("yardstick: cut_points must be increasing")
    return problems


def _scenario_problems(cfg: Mapping[str, Any], terms: list[str]) -> list[str]:
    problems = []
    for s in cfg["scenarios"]:
        if s.get("method") not in ("poisson", "binomial", "qualitative"):
            problems.append(f"scenario {s.get('id')}: unknown method {s.get('method')!r}")
        if s.get("method") == "qualitative":
            for h in cfg["horizons_years"]:
                if s.get("qualitative", {}).get(h) not in terms:
                    problems.append(f"scenario {s['id']}: qualitative term for {h} not a term")
            for cond in s.get("modifiers", []):
                problems += condition_problems(f"scenario {s['id']} modifier", cond)
        else:
            source = s.get("resolution_source")
            if source not in registry():
                problems.append(
                    f"scenario {s.get('id')}: resolution_source {source!r} is not a source id "
                    "of data/sources.yaml"
                )
        for c in s.get("controls", []):
            if c not in cfg["controls"]:
                problems.append(f"scenario {s['id']}: unknown control {c!r}")
        if not str(s.get("mitigation_rationale", "")).strip():
            problems.append(f"scenario {s['id']}: no mitigation rationale")
    return problems


def _relevance_problems(relevance: Mapping[str, Any], scenario_ids: list[str]) -> list[str]:
    problems = []
    matrix, levels = relevance["matrix"], relevance["levels"]
    for cat in EQUIPMENT_CATEGORIES:
        row = matrix.get(cat)
        if row is None:
            problems.append(f"relevance: no row for equipment category {cat!r}")
            continue
        for sid in scenario_ids:
            if row.get(sid) not in levels:
                problems.append(f"relevance: {cat} x {sid} is not one of {levels}")
    return problems
