"""The message catalogs: every message of the package has its Japanese translation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from osa_analysis.build import messages


@pytest.fixture(scope="module")
def found(message_uses) -> dict[str, list[str]]:
    """Every message of the package (read once per session: tests/unit/conftest.py)."""
    return message_uses


def test_every_message_has_a_japanese_translation_with_the_same_placeholders(found):
    problems = messages.check(found)
    assert problems == [], (
        f"{len(problems)} message(s) need work (osa-briefs messages update, then translate "
        "in osa_analysis/locale/ja/LC_MESSAGES/osa.po):\n" + "\n".join(map(str, problems[:40]))
    )


def test_the_messages_include_code_templates_and_curated_data(found):
    assert "Contents" in found  # render.py
    assert "the tables annex" in found  # a call inside an f-string (display.py)
    assert "Published briefs" in found  # the index template
    assert any(where.startswith("data/") for uses in found.values() for where in uses)


def test_python_messages_are_read_from_the_syntax_tree(tmp_path: Path):
    module = tmp_path / "m.py"
    module.write_text(
        "from osa_analysis.core.i18n import N_, _\n"
        "A = N_('marked')\n"
        "def f(n):\n"
        "    return f\"<b>{_('inside')}</b> {_('{n} rows').format(n=n)}\" + gettext('no')\n"
    )
    assert [m for _line, m in messages.python_messages(module)] == ["marked", "inside", "{n} rows"]


def test_data_fields_are_walked_by_their_path(tmp_path: Path):
    path = tmp_path / "events.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "events": [{"summary": "First."}, {"summary": "Second."}, {"other": 1}],
                "labels": {"a": {"label": "Alpha"}, "b": {"label": "Beta"}},
            }
        )
    )
    assert list(messages._field_texts(path, "events[].summary")) == ["First.", "Second."]
    assert list(messages._field_texts(path, "labels.*.label")) == ["Alpha", "Beta"]
    table = tmp_path / "t.csv"
    table.write_text("id,name\n1,Radar\n2,\n")
    assert list(messages._field_texts(table, "column:name")) == ["Radar"]


def test_placeholders_and_english_runs():
    assert messages.placeholders("{n} of {total:,} ({{literal}})") == {"n", "total"}
    assert messages.english_runs("海上事案は12件（ReCAAP ISC）。") == []
    assert messages.english_runs("これは The number of incidents rose です") == [
        "The number of incidents rose"
    ]
