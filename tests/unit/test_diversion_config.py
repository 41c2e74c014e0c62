"""The diversion method file: validity, checks, and edits seen at once (frozen documents)."""

from __future__ import annotations

import pytest

from osa_analysis.analyse import diversion as D
from osa_analysis.sources.methods import MethodError, thaw


@pytest.fixture(scope="module")
def cfg():
    return D.load_config()


def test_config_is_valid_and_versioned(cfg):
    assert D.config_problems(cfg) == []
    assert cfg["method_version"].startswith("diversion-v")
    assert len(D.config_sha()) == 64
    assert D.config_sha() == cfg.sha256
    # every threshold carries a rationale
    for crit in cfg["criteria"]:
        for level in ("critical", "possibly_critical"):
            for cond in crit.get(level) or []:
                assert cond["rationale"].strip()


def test_config_problems_are_reported(cfg):
    bad = thaw(cfg)
    bad["criteria"][0]["critical"][0]["indicator"] = "no_such_indicator"
    bad["relevance"]["matrix"]["radar"]["S1"] = "enormous"
    del bad["criteria"][1]["possibly_critical"][0]["rationale"]
    problems = D.config_problems(bad)
    assert any("no_such_indicator" in p for p in problems)
    assert any("radar x S1" in p for p in problems)
    assert any("without a rationale" in p for p in problems)


def test_config_problems_missing_keys_and_yardstick(cfg):
    assert D.config_problems({"method_version": "x"})[0] == "missing key 'ratings'"
    bad = thaw(cfg)
    bad["yardstick"]["cut_points"] = list(reversed(bad["yardstick"]["cut_points"]))[:-1]
    assert D.config_problems(bad) == [
        "yardstick: cut_points must number one fewer than terms",
        "yardstick: cut_points must be increasing",
    ]


def test_legal_flag_false_for_all_recipients(cfg):
    legal = cfg["legal_party_to_conflict"]
    assert legal["default"] is False
    assert not any((legal.get("flagged") or {}).values())
    assert "Security Council" in legal["definition"]


def test_config_is_frozen(cfg):
    with pytest.raises(TypeError):
        cfg["ratings"]["order"] = ["anything"]
    assert isinstance(cfg["ratings"]["order"], tuple)


def test_an_edited_config_is_seen_by_the_next_load(tmp_path):
    path = tmp_path / "diversion.yaml"
    text = D.CONFIG_FILE.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = D.load_config(path)
    assert first["method_version"] == D.load_config()["method_version"]
    path.write_text(
        text.replace(f"method_version: {first['method_version']}", "method_version: edited-v9"),
        encoding="utf-8",
    )
    second = D.load_config(path)
    assert second["method_version"] == "edited-v9"
    assert second.sha256 != first.sha256
    assert D.config_sha(path) == second.sha256


def test_an_invalid_config_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    text = D.CONFIG_FILE.read_text(encoding="utf-8")
    path.write_text(text.replace("indicator: gov_osv_deaths", "indicator: nonsense"), "utf-8")
    with pytest.raises(MethodError, match=r"broken\.yaml: .*unknown indicator 'nonsense'"):
        D.load_config(path)
