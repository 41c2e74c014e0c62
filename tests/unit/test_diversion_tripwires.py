"""Trip-wire logic (pure) and the six trip-wires on synthetic tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from diversion_synthetic import AS_OF, make_tables

from osa_analysis.analyse import diversion as D
from osa_analysis.analyse.diversion.tripwires import piracy_counts, piracy_coverage_shares


@pytest.fixture(scope="module")
def cfg():
    return D.load_config()


def test_wgi_fall_logic():
    fell = D.wgi_fall(-1.2, 0.2, -0.4, 0.2, 1.645)
    assert fell["change"] == pytest.approx(-0.8)
    assert fell["threshold"] == pytest.approx(1.645 * math.sqrt(0.08))
    assert fell["triggered"] is True
    assert D.wgi_fall(-0.5, 0.2, -0.4, 0.2, 1.645)["triggered"] is False
    assert D.wgi_fall(0.9, 0.2, -0.4, 0.2, 1.645)["triggered"] is False  # a rise


def test_count_rise_logic():
    rise = D.count_rise(30, [5, 6, 4], 0.95)
    assert rise["previous_mean"] == 5.0 and rise["triggered"] is True
    assert rise["interval"][0] == pytest.approx(20.24, abs=0.01)
    assert D.count_rise(8, [5, 6, 4], 0.95)["triggered"] is False
    assert D.count_rise(0, [0, 0, 0], 0.95)["triggered"] is False


def test_piracy_coverage_shares_and_counts():
    channels = pd.DataFrame(
        {
            "group": ["old", "new"],
            "label": ["Old feed", "New feed"],
            "start": [pd.Timestamp("2000-01-01"), pd.Timestamp("2025-08-10")],
            "end": [pd.Timestamp("2024-08-09"), pd.Timestamp("2026-08-09")],
        }
    )
    shares = piracy_coverage_shares(channels, AS_OF, 3)
    # recent: 2025-08-10..2026-08-09; previous: 2022-08-10..2025-08-09 (1096 days)
    assert shares == {"old": [0.0, round(731 / 1096, 4)], "new": [1.0, 0.0]}
    recent, previous = piracy_counts(make_tables().piracy, "PHL", AS_OF, 3)
    assert (recent, previous) == (20, [2, 2, 2])
    assert piracy_counts(make_tables().piracy, "FJI", AS_OF, 3) == (0, [0, 0, 0])


def test_tripwires_on_synthetic_frames_trigger(cfg):
    tables = make_tables(
        coups=pd.concat(
            [
                make_tables().coups,
                pd.DataFrame(
                    {
                        "country_iso3": ["PHL"],
                        "date": [pd.Timestamp("2023-05-01")],
                        "outcome": ["failed"],
                    }
                ),
            ],
            ignore_index=True,
        ),
        wgi=pd.concat(
            [
                make_tables().wgi,
                pd.DataFrame(
                    {
                        "country_iso3": ["PHL"],
                        "year": [2021],
                        "indicator": ["pv"],
                        "estimate": [0.9],
                        "std_error": [0.1],
                    }
                ),
            ]
        ).query("not (country_iso3 == 'PHL' and indicator == 'pv' and year == 2022)"),
    )
    tws = {t["id"]: t for t in D.tripwires("PHL", AS_OF, tables, cfg)}
    # conflict 3 (interstate with China) is new in 2024; conflict 2 recurs but was not in 2023
    t1 = tws["T1_new_conflict"]
    assert t1["status"] == "triggered" and t1["new_conflict_ids"] == [2, 3]
    assert t1["data_date"] == "2024-12-31"
    t2 = tws["T2_coup_attempt"]
    assert t2["status"] == "triggered" and t2["attempts"] == ["2023-05-01"]
    assert t2["data_date"] == "2023-09-08"
    assert tws["T3_autocratization"]["status"] == "triggered"
    t4 = tws["T4_wgi_pv_fall"]  # 0.9 (2021) -> -0.5 (2023), SEs 0.1 and 0.2
    assert t4["status"] == "triggered" and t4["previous_year"] == 2021
    assert t4["change"] == pytest.approx(-1.4)
    t5 = tws["T5_grayzone_rise"]
    assert t5["status"] == "triggered" and t5["recent"] == 30 and t5["previous_mean"] == 5.0
    t6 = tws["T6_piracy_rise"]
    assert t6["status"] == "triggered" and t6["recent"] == 20 and t6["previous"] == [2, 2, 2]
    assert t6["data_date"] == "2026-08-09"


def test_tripwires_not_triggered_or_not_computable(cfg):
    tables = make_tables()
    tws = {t["id"]: t for t in D.tripwires("FJI", AS_OF, tables, cfg)}
    assert tws["T1_new_conflict"]["status"] == "not triggered"
    assert tws["T2_coup_attempt"]["status"] == "not triggered"
    assert tws["T3_autocratization"]["status"] == "not triggered"
    assert tws["T4_wgi_pv_fall"]["status"] == "not triggered"
    t5 = tws["T5_grayzone_rise"]
    assert t5["status"] == "not computable" and t5["data_date"] is None and t5["evidence"]
    # a state absent from V-Dem: not computable, with the reason
    t3 = D.tripwire_autocratization(tables, "TON", AS_OF)
    assert t3["status"] == "not computable" and "does not cover" in t3["evidence"]
    # unequal channel coverage makes the piracy comparison not computable
    channels = pd.DataFrame(
        {
            "group": ["old", "new"],
            "label": ["Old feed", "New feed"],
            "start": [pd.Timestamp("2000-01-01"), pd.Timestamp("2025-01-01")],
            "end": [pd.Timestamp("2024-06-30"), pd.Timestamp("2026-08-09")],
        }
    )
    t6 = D.tripwire_piracy(make_tables(channels=channels), "PHL", AS_OF, cfg)
    assert t6["status"] == "not computable" and "unequally" in t6["evidence"]
    assert D.tripwire_piracy(make_tables(piracy=None), "PHL", AS_OF, cfg)["evidence"] == (
        "no incident table given"
    )
