"""The researchers' exploration notebooks execute top to bottom on the real data."""

from __future__ import annotations

from pathlib import Path

import jupytext
import papermill
import pytest

from osa_analysis.core import config

pytestmark = pytest.mark.mirror

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.mark.parametrize("name", ["explore_incidents", "compare_recipients"])
def test_exploration_notebook_executes(name, tmp_path):
    if config.mirror_dir() is None:
        pytest.skip("OSA_DATA_MIRROR not set")
    source = tmp_path / f"{name}.ipynb"
    jupytext.write(jupytext.read(NOTEBOOKS / f"{name}.py"), source)
    out = tmp_path / f"{name}-out.ipynb"
    papermill.execute_notebook(
        str(source), str(out), kernel_name="python3", cwd=str(tmp_path), progress_bar=False
    )
    executed = jupytext.read(out)
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code)
    assert not any(o.get("output_type") == "error" for c in code for o in c.get("outputs", []))
    assert any(c.get("outputs") for c in code[1:])
