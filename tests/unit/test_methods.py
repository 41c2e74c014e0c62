"""The one method-file loader: validated, frozen, sha256-keyed, edits seen at once."""

from __future__ import annotations

import pytest

from osa_analysis.sources.methods import MethodError, load_method_file, thaw


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_method_file_is_frozen_and_carries_its_sha(tmp_path):
    path = _write(tmp_path / "m.yaml", "method_version: m-v1\nbands: [1, 2]\nnested: {a: 1}\n")
    method = load_method_file(path)
    assert method["method_version"] == "m-v1"
    assert method["bands"] == (1, 2)
    assert len(method.sha256) == 64 and method.name == "m"
    with pytest.raises(TypeError):
        method["nested"]["a"] = 2  # read-only
    assert thaw(method.data) == {"method_version": "m-v1", "bands": [1, 2], "nested": {"a": 1}}


def test_an_edited_file_is_read_again(tmp_path):
    path = _write(tmp_path / "m.yaml", "method_version: m-v1\n")
    first = load_method_file(path)
    assert load_method_file(path) is first  # same bytes: parsed once
    _write(path, "method_version: m-v2\n")
    second = load_method_file(path)
    assert second["method_version"] == "m-v2" and second.sha256 != first.sha256


def test_errors_name_the_file(tmp_path):
    with pytest.raises(MethodError, match=r"missing\.yaml"):
        load_method_file(tmp_path / "missing.yaml")
    with pytest.raises(MethodError, match=r"empty\.yaml: expected a mapping"):
        load_method_file(_write(tmp_path / "empty.yaml", ""))
    with pytest.raises(MethodError, match=r"bad\.yaml: not valid YAML"):
        load_method_file(_write(tmp_path / "bad.yaml", "a: [1, 2\n"))
    with pytest.raises(MethodError, match=r"m\.yaml: no method_version"):
        load_method_file(
            _write(tmp_path / "m.yaml", "x: 1\n"),
            problems=lambda doc: [] if "method_version" in doc else ["no method_version"],
        )


def test_the_project_method_files_load():
    for name in ("composite", "diversion", "tiles"):
        assert load_method_file(name)["method_version"]


def test_tile_rules_are_checked(tmp_path):
    from osa_analysis.analyse.tiles import tile_rules

    assert tile_rules()["method_version"].startswith("tiles-")
    bad = _write(tmp_path / "tiles.yaml", "method_version: t\nscale: [a, b]\ntiles: {}\n")
    with pytest.raises(MethodError, match=r"scale must have five steps.*no rule for tile"):
        tile_rules(bad)
