"""Write a brief's key judgements to ``judgements.json`` (stable bytes, atomic)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from osa_analysis.core.files import jsonable, write_json

JUDGEMENTS_FILE = "judgements.json"


def write_judgements(judgements: dict[str, Any], output_dir: str | Path) -> Path:
    """Write ``judgements.json`` atomically into ``output_dir`` (sorted keys, stable bytes).

    Parameters
    ----------
    judgements : dict
        From :func:`osa_analysis.analyse.judgements.collect_judgements`.
    output_dir : path
        Folder of the brief's outputs.
    """
    path = Path(output_dir) / JUDGEMENTS_FILE
    write_json(path, jsonable(judgements), ensure_ascii=False)
    return path
