"""The indicators of the criterion matrix on synthetic tables, and their evidence phrases."""

from __future__ import annotations

import pytest
from diversion_synthetic import AS_OF, make_tables

from osa_analysis.analyse import diversion as D
from osa_analysis.analyse.diversion.indicators import (
    coup_indicator,
    legal_indicator,
    ucdp_indicators,
)
from osa_analysis.analyse.diversion.records import indicator_record


@pytest.fixture(scope="module")
def cfg():
    return D.load_config()


def test_indicators_on_synthetic_tables(cfg):
    ind = D.country_indicators("PHL", AS_OF, 0, make_tables(), cfg)
    assert ind["ucdp_primary_any"]["value"] == 3 and ind["ucdp_primary_any"]["year"] == 2024
    assert ind["ucdp_primary_interstate"]["value"] == 1
    assert ind["ucdp_primary_intrastate"]["value"] == 2
    assert ind["sb_deaths_per_million"]["value"] == pytest.approx(1.0)
    assert ind["gov_osv_years_5y"]["value"] == 1  # 2022
    assert ind["gov_osv_conflict_years_5y"]["value"] == 0  # no primary conflict in 2022
    assert ind["vdem_regime"]["value"] == 1 and ind["vdem_autocratization"]["value"] == 1
    assert ind["wgi_rl"]["year"] == 2023
    assert ind["wgi_rl"]["high"] == pytest.approx(-0.5 + 1.645 * 0.2)
    assert ind["grayzone_mean_3y"]["value"] == pytest.approx((6 + 4 + 30) / 3)
    assert ind["legal_unsc_measures"]["value"] == 0
    assert set(ind) == set(D.INDICATORS)
    fji = D.country_indicators("FJI", AS_OF, 0, make_tables(), cfg)
    assert fji["grayzone_mean_3y"]["status"] == "not applicable"
    # WGI carried forward within the look-back, flagged
    wgi = make_tables().wgi.query("not (country_iso3 == 'FJI' and year == 2023)")
    carried = D.country_indicators("FJI", AS_OF, 0, make_tables(wgi=wgi), cfg)
    assert carried["wgi_cc"]["status"] == "carried forward" and carried["wgi_cc"]["year"] == 2022


def test_ucdp_indicators_missing_for_an_unlisted_state(cfg):
    out = ucdp_indicators(make_tables(), "TON", AS_OF, 0, cfg)
    assert len(out) == 10
    assert {r["status"] for r in out.values()} == {"missing"}
    assert out["gov_osv_deaths"]["note"] == "UCDP does not list Tonga as a state in 2024"


def test_coup_indicator_window(cfg):
    rec = coup_indicator(make_tables(), "FJI", AS_OF, 0, cfg)
    assert rec["window"] == ["2013-09-09", "2023-09-08"] and rec["value"] == 0
    rec = coup_indicator(make_tables(), "FJI", AS_OF, 20, cfg)
    assert rec["window"] == ["1993-09-09", "2003-09-08"] and rec["dates"] == ["2000-05-29"]


def test_legal_indicator_has_no_history(cfg):
    assert legal_indicator("PHL", 0, cfg)["value"] == 0
    assert legal_indicator("PHL", 5, cfg)["status"] == "no history"


def test_indicator_texts():
    rec = indicator_record("wgi_rl", -0.5, low=-0.829, high=-0.171, year=2023)
    assert rec["text"] == "WGI rule of law -0.50 (2023), 90% band -0.83 to -0.17"
    missing = indicator_record("wgi_pv", status="missing", note="no data")
    assert missing["text"] == "WGI political stability: missing (no data)"
    legal = indicator_record("legal_unsc_measures", 1)
    assert legal["text"].endswith(": yes")
