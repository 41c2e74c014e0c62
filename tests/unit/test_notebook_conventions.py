"""Notebook conventions: paired jupytext files, one parameters cell, no code but calls."""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("*.py"))


def test_there_is_a_country_brief_notebook():
    assert (NOTEBOOKS / "country_brief.py").exists()


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_paired_ipynb_matches_source_and_has_no_outputs(source):
    paired = source.with_suffix(".ipynb")
    assert paired.exists(), f"{paired.name} missing: run `jupytext --sync {source}`"
    nb = nbformat.read(paired, as_version=4)
    text = jupytext.read(source)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code == [c.source for c in text.cells if c.cell_type == "code"], "out of sync"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "outputs committed"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_notebooks_define_no_functions_or_classes(source):
    tree = ast.parse(source.read_text())
    defined = [
        node.name if hasattr(node, "name") else "lambda"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)
    ]
    assert defined == [], f"{source.name} defines {defined}: move them into the package"


def test_country_brief_has_one_parameters_cell_matching_brief_params():
    from osa_analysis.build.params import BriefParams

    nb = jupytext.read(NOTEBOOKS / "country_brief.py")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    names = {
        t.id
        for node in ast.parse(tagged[0].source).body
        if isinstance(node, ast.Assign)
        for t in node.targets
    }
    fields = set(BriefParams.__dataclass_fields__)
    assert names <= fields, f"parameters not in BriefParams: {names - fields}"
    assert {"country_iso3", "as_of", "lookback_years", "peers", "output_dir"} <= names
