"""``osa-briefs build --screening``: run the screening notebook and publish ``reports/screening/``.

The notebook (``notebooks/screening.py``) runs with papermill into a staging folder beside
the published one; its ``summary.json`` must meet the ``screening`` schema, the HTML is
rendered without code (and the PDF printed when Chromium is there), and only then is the
folder swapped in whole (:func:`osa_analysis.build.publish.swap_in`). A report whose run key
(notebook, parameters, input sha256s, package code) is unchanged is not rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path

from osa_analysis.build.keys import input_digests, notebook_digest, package_digest
from osa_analysis.build.lock import build_lock
from osa_analysis.build.publish import swap_in
from osa_analysis.core.config import PROJECT_ROOT
from osa_analysis.core.files import read_json_object, write_json
from osa_analysis.core.schemas import schema_problems

NOTEBOOK = PROJECT_ROOT / "notebooks" / "screening.py"
SCREENING_DIR = "screening"
FILES = ("index.html", "screening.ipynb", "summary.json")


def screening_key(parameters: dict, notebook: Path = NOTEBOOK) -> str:
    """Return the run key of a screening report (sha256 over what it is made from)."""
    payload = {
        "notebook": notebook_digest(notebook),
        "parameters": parameters,
        "inputs": input_digests(),
        "package": package_digest(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _execute(notebook: Path, out: Path, parameters: dict, timeout_s: float) -> None:
    import jupytext
    import nbformat
    import papermill

    source = out.with_name("source.ipynb")
    nbformat.write(jupytext.read(notebook), source)
    papermill.execute_notebook(
        str(source),
        str(out),
        parameters=parameters,
        cwd=str(PROJECT_ROOT),
        kernel_name="python3",
        execution_timeout=int(timeout_s),
        progress_bar=False,
    )
    source.unlink()


def run_screening(
    reports_dir: Path,
    *,
    as_of: str,
    region: str = "default",
    equipment: Sequence[str] = ("radar",),
    what_if: Sequence[Sequence[str]] = (("armed_patrol_vessel",),),
    pdf: bool = True,
    force: bool = False,
    cell_timeout_s: float = 600,
    notebook: Path = NOTEBOOK,
) -> tuple[str, Path]:
    """Build and publish the screening report; return its status and folder.

    Returns
    -------
    tuple
        ``("ok" | "skipped", REPORTS_DIR/screening)``.

    Raises
    ------
    ValueError
        When ``summary.json`` breaks its schema (nothing is published).
    """
    from osa_analysis.build.pdf import find_chromium, render_pdf
    from osa_analysis.build.render import render_html

    root = Path(reports_dir)
    dest = root / SCREENING_DIR
    parameters = {
        "region": region,
        "as_of": str(as_of),
        "equipment": list(equipment),
        "what_if": [list(w) for w in what_if],
    }
    key = screening_key(parameters, notebook)
    with build_lock(root):
        run = read_json_object(dest / "run.json") or {}
        if not force and run.get("run_key") == key and all((dest / f).is_file() for f in FILES):
            return "skipped", dest
        staging = root / f".{SCREENING_DIR}.tmp-{uuid.uuid4().hex[:8]}"
        staging.mkdir(parents=True)
        try:
            _execute(
                notebook,
                staging / "screening.ipynb",
                {**parameters, "output_dir": str(staging)},
                cell_timeout_s,
            )
            summary = json.loads((staging / "summary.json").read_text(encoding="utf-8"))
            problems = schema_problems(summary, "screening")
            if problems:
                raise ValueError(
                    "screening summary.json breaks its schema: " + "; ".join(problems[:5])
                )
            render_html(
                staging / "screening.ipynb",
                staging / "index.html",
                title="Screening: need against misuse and diversion risk",
                summary={"provenance": {**summary["provenance"], "parameters": parameters}},
                kicker="OSA screening report",
            )
            files = list(FILES)
            if (
                pdf
                and find_chromium()
                and render_pdf(staging / "index.html", staging / "screening.pdf")
            ):
                files.append("screening.pdf")
            write_json(
                staging / "run.json",
                {
                    "run_key": key,
                    "parameters": parameters,
                    "files": sorted(files),
                    "inputs": input_digests(),
                },
            )
            swap_in(staging, dest)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return "ok", dest


def screening_entry(reports_dir: Path) -> dict | None:
    """Return the published screening report for the index (None when there is none)."""
    folder = Path(reports_dir) / SCREENING_DIR
    run = read_json_object(folder / "run.json")
    if not run or not (folder / "index.html").is_file():
        return None
    return {
        "html": f"{SCREENING_DIR}/index.html",
        "summary": f"{SCREENING_DIR}/summary.json",
        "pdf": f"{SCREENING_DIR}/screening.pdf"
        if "screening.pdf" in run.get("files", [])
        else None,
        "as_of": (run.get("parameters") or {}).get("as_of"),
        "equipment": (run.get("parameters") or {}).get("equipment"),
    }
