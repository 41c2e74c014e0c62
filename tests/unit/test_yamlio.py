"""Reading the project's YAML files."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from osa_analysis.core.config import CURATED_DIR
from osa_analysis.core.yamlio import safe_load


def test_safe_load_matches_pyyaml_on_the_project_files():
    for path in sorted(CURATED_DIR.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert safe_load(text) == yaml.safe_load(text), path


def test_safe_load_parses_values_and_refuses_python_tags():
    assert safe_load("a: 1\nb: [x, 2.5]\nc: 2023-04-05\n") == {
        "a": 1,
        "b": ["x", 2.5],
        "c": dt.date(2023, 4, 5),
    }
    assert safe_load("") is None
    with pytest.raises(yaml.constructor.ConstructorError):
        safe_load("!!python/object/apply:os.system ['true']")
    with pytest.raises(yaml.YAMLError, match="line 2"):
        safe_load("a: [1,\nb: }")
