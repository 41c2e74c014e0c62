"""Atomic writes and tolerant JSON reads of the build's own files."""

from __future__ import annotations

import stat

from osa_analysis.core.files import atomic_write_text, read_json_object, write_json


def test_write_json_then_read_it_back_atomically(tmp_path):
    path = tmp_path / "deep" / "run.json"
    write_json(path, {"b": 1, "a": [1.5, None], "when": tmp_path})
    assert path.read_text() == (
        '{\n  "a": [\n    1.5,\n    null\n  ],\n  "b": 1,\n  "when": "' + str(tmp_path) + '"\n}\n'
    )
    assert read_json_object(path) == {"a": [1.5, None], "b": 1, "when": str(tmp_path)}
    assert [p.name for p in path.parent.iterdir()] == ["run.json"]  # no temporary file left
    plain = tmp_path / "plain.txt"
    plain.write_text("x")  # a file written the usual way
    atomic_write_text(tmp_path / "page.html", "é\n")
    assert (tmp_path / "page.html").read_bytes() == "é\n".encode()
    mode = stat.S_IMODE((tmp_path / "page.html").stat().st_mode)
    assert mode == stat.S_IMODE(plain.stat().st_mode)  # readable like any other file


def test_absent_unreadable_or_non_object_json_is_none(tmp_path):
    assert read_json_object(tmp_path / "missing.json") is None
    (tmp_path / "bad.json").write_text("{")
    assert read_json_object(tmp_path / "bad.json") is None
    (tmp_path / "list.json").write_text("[1, 2]")
    assert read_json_object(tmp_path / "list.json") is None
