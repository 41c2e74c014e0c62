"""BriefParams: defaults, conversion, and one clear error for every kind of bad input."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from osa_analysis.build.params import BriefParams, ParamsError, default_as_of, default_peers
from osa_analysis.core.config import PROJECT_ROOT

TODAY = dt.date(2026, 8, 9)
ALL_RECIPIENTS = "BGD, DJI, FJI, IDN, LKA, MNG, MYS, PHL, PNG, THA, TLS, TON"
FIELDS = (
    "country_iso3",
    "as_of",
    "lookback_years",
    "peers",
    "output_dir",
    "data_dir",
    "cache_dir",
    "mc_draws",
    "languages",
    "previous_summary",
)


def make(**values):
    return BriefParams.from_mapping({"country_iso3": "PHL", **values}, today=TODAY)


def test_defaults():
    params = BriefParams("phl")
    assert params.country_iso3 == "PHL"
    assert params.as_of == dt.date(2026, 8, 9)
    assert params.lookback_years == 5
    assert params.peers == ("BGD", "FJI", "MYS", "PHL")
    assert params.output_dir == PROJECT_ROOT / "reports" / "_scratch" / "PHL"
    assert params.data_dir is None and params.cache_dir is None
    assert params.mc_draws == 1000
    assert BriefParams.field_names() == FIELDS


def test_default_as_of_is_the_end_of_the_live_incident_feed():
    assert default_as_of() == dt.date(2026, 8, 9)
    assert default_peers() == ("BGD", "FJI", "MYS", "PHL")


def test_from_mapping_converts_text_values():
    params = make(
        as_of=" 2025-12-31 ",
        lookback_years="3",
        peers="fji, mys,FJI",
        mc_draws=200.0,
        data_dir="some/raw",
        cache_dir="/tmp/derived",
        output_dir="~/briefs/PHL",
    )
    assert params.as_of == dt.date(2025, 12, 31)
    assert params.lookback_years == 3
    assert params.peers == ("FJI", "MYS")
    assert params.mc_draws == 200
    assert params.data_dir == PROJECT_ROOT / "some" / "raw"
    assert str(params.cache_dir) == "/tmp/derived"
    assert params.output_dir.is_absolute() and params.output_dir.parts[-2:] == ("briefs", "PHL")


def test_notebook_parameters_are_json_and_round_trip():
    params = make(as_of=dt.date(2026, 1, 31), peers=["PHL", "IDN"], data_dir="/data/raw")
    values = params.to_notebook_parameters()
    assert json.loads(json.dumps(values)) == values
    assert values == {
        "country_iso3": "PHL",
        "as_of": "2026-01-31",
        "lookback_years": 5,
        "peers": ["PHL", "IDN"],
        "output_dir": str(PROJECT_ROOT / "reports" / "_scratch" / "PHL"),
        "data_dir": "/data/raw",
        "cache_dir": None,
        "mc_draws": 1000,
        "languages": ["en", "ja"],
        "previous_summary": None,
    }
    assert BriefParams.from_mapping(values, today=TODAY) == params
    assert params.content_parameters() == {
        "country_iso3": "PHL",
        "as_of": "2026-01-31",
        "lookback_years": 5,
        "peers": ["PHL", "IDN"],
        "mc_draws": 1000,
        "languages": ["en", "ja"],
    }


def test_from_namespace_takes_only_parameter_names():
    namespace = {"country_iso3": "FJI", "lookback_years": 2, "json": json, "other": 1}
    params = BriefParams.from_namespace(namespace, today=TODAY)
    assert (params.country_iso3, params.lookback_years) == ("FJI", 2)


def test_unknown_names_are_listed_with_the_valid_ones():
    with pytest.raises(ParamsError) as info:
        make(country="PHL", lookback=3)
    message = str(info.value)
    assert "unknown brief parameter(s) ['country', 'lookback']" in message
    assert "valid parameters: " + ", ".join(FIELDS) in message


def test_missing_country_is_an_error():
    with pytest.raises(ParamsError, match="missing brief parameter 'country_iso3'"):
        BriefParams.from_mapping({"as_of": "2026-01-01"})


@pytest.mark.parametrize("code", ["USA", "JPN", "PH", "", None, 608])
def test_non_recipient_lists_valid_codes(code):
    with pytest.raises(ValueError, match="is not an OSA recipient") as info:
        make(country_iso3=code)
    assert f"valid codes: {ALL_RECIPIENTS}" in str(info.value)


def test_future_as_of_is_refused():
    assert make(as_of="2026-08-09").as_of == TODAY
    with pytest.raises(ParamsError) as info:
        make(as_of="2026-08-10")
    message = str(info.value)
    assert "as_of=2026-08-10 is in the future (today is 2026-08-09)" in message
    assert "last incident data available is 2026-08-09" in message


def test_future_check_uses_the_real_date_by_default():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ParamsError, match="in the future"):
        BriefParams("PHL", as_of=tomorrow)


@pytest.mark.parametrize(
    "value", ["2026/08/09", "09-08-2026", "2026-8-9", "2026-02-30", "yesterday", 20260809]
)
def test_malformed_as_of_is_refused(value):
    with pytest.raises(ParamsError, match=r"as_of=.*(YYYY-MM-DD)"):
        make(as_of=value)


def test_datetime_as_of_is_taken_as_its_date():
    assert make(as_of=dt.datetime(2026, 1, 2, 23, 59)).as_of == dt.date(2026, 1, 2)


@pytest.mark.parametrize(
    ("peers", "expected"),
    [
        (["FJI", "USA", "chn"], "peers ['USA', 'chn'] are not OSA recipients"),
        ([], "peers is empty"),
        ("", "peers is empty"),
        (5, "peers=5 must be a list of ISO3 codes"),
        ([None], "peers [None] are not OSA recipients"),
    ],
)
def test_bad_peers_are_refused(peers, expected):
    with pytest.raises(ParamsError) as info:
        make(peers=peers)
    assert expected in str(info.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "lookback_years=0 is out of range 1..30"),
        (31, "lookback_years=31 is out of range 1..30"),
        (True, "lookback_years=True must be a whole number"),
        ("five", "lookback_years='five' must be a whole number"),
        (2.5, "lookback_years=2.5 must be a whole number"),
    ],
)
def test_bad_lookback_years(value, expected):
    with pytest.raises(ParamsError) as info:
        make(lookback_years=value)
    assert expected in str(info.value)


def test_lookback_bounds_and_mc_draws():
    assert make(lookback_years=1).lookback_years == 1
    assert make(lookback_years=30).lookback_years == 30
    with pytest.raises(ParamsError, match=r"mc_draws=0 is out of range 1\.\.1000000"):
        make(mc_draws=0)


def test_every_problem_is_reported_at_once():
    with pytest.raises(ParamsError) as info:
        make(country_iso3="XXX", as_of="2026-13-01", lookback_years=0, peers=["USA"])
    lines = str(info.value).splitlines()
    assert lines[0] == "invalid brief parameters:"
    assert len(lines) == 5
    assert all(line.startswith("  ") for line in lines[1:])


def test_params_are_frozen_and_replace_validates():
    params = make()
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.lookback_years = 3  # type: ignore[misc]
    assert params.replace(lookback_years=3).lookback_years == 3
    with pytest.raises(ParamsError, match="out of range"):
        params.replace(lookback_years=99)


def test_apply_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("OSA_DATA_DIR", raising=False)
    monkeypatch.delenv("OSA_CACHE_DIR", raising=False)
    assert make().apply_environment() == {}
    params = make(data_dir=tmp_path / "raw", cache_dir=tmp_path / "derived")
    env: dict[str, str] = {}
    assert params.apply_environment(env) == {
        "OSA_DATA_DIR": str(tmp_path / "raw"),
        "OSA_CACHE_DIR": str(tmp_path / "derived"),
    }
    assert env["OSA_DATA_DIR"] == str(tmp_path / "raw")
    params.apply_environment()
    from osa_analysis.core import config

    assert config.data_dir() == tmp_path / "raw"
    assert config.derived_cache_dir() == tmp_path / "derived"


def test_recipient_codes_are_kept_in_the_derived_cache(monkeypatch, tmp_path):
    import subprocess
    import sys

    from osa_analysis.build import params
    from osa_analysis.sources.recipients import recipients

    monkeypatch.setenv("OSA_CACHE_DIR", str(tmp_path))

    def clear():
        params.recipient_code_lists.cache_clear()
        params._recipient_facts.cache_clear()

    clear()
    try:
        lists = params.recipient_code_lists()
        assert lists == {"all": tuple(recipients()), "peers": ("BGD", "FJI", "MYS", "PHL")}
        assert ", ".join(lists["all"]) == ALL_RECIPIENTS
        (cached,) = (tmp_path / "json").glob("recipient_codes-*.json")
        facts = json.loads(cached.read_text())
        assert {k: facts[k] for k in lists} == {k: list(v) for k, v in lists.items()}
        assert facts["first_fiscal_year"]["PHL"] == 2023
        assert facts["first_fiscal_year"]["TLS"] == 2025

        cached.write_text("{", encoding="utf-8")  # unreadable: rebuilt from the tables
        clear()
        assert params.recipient_code_lists() == lists
        assert json.loads(cached.read_text())["peers"] == ["BGD", "FJI", "MYS", "PHL"]
        assert [p.name for p in cached.parent.iterdir()] == [cached.name]  # no temporary file

        # Once cached, validating parameters does not import pandas (the command line's case).
        code = (
            "import sys; from osa_analysis.build.params import BriefParams; "
            "BriefParams('fji'); print('pandas' in sys.modules)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "False"
    finally:
        clear()


def test_an_as_of_before_the_first_osa_fiscal_year_is_refused():
    # PHL's first OSA fiscal year is FY2023 (from 1 April 2023); TLS's is FY2025
    assert make(as_of="2023-04-01").as_of == dt.date(2023, 4, 1)
    for value, message in (
        ("2023-03-31", "as_of=2023-03-31 is before PHL's first OSA fiscal year FY2023"),
        ("1990-01-01", "as_of=1990-01-01 is before PHL's first OSA fiscal year FY2023"),
    ):
        with pytest.raises(ParamsError, match=message):
            make(as_of=value)
    with pytest.raises(ParamsError, match="before TLS's first OSA fiscal year FY2025"):
        make(country_iso3="TLS", as_of="2025-01-01")
