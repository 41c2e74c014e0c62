"""Interstate onsets and the pooled reference rates (memoised, never cached for given tables)."""

from __future__ import annotations

import pandas as pd
import pytest
from diversion_synthetic import AS_OF, make_store, make_tables

from osa_analysis.analyse import diversion as D
from osa_analysis.analyse.diversion.reference import (
    pooled_rates,
    reference_entry,
    reference_windows,
)


@pytest.fixture(scope="module")
def cfg():
    return D.load_config()


def test_interstate_onsets():
    cy = pd.DataFrame(
        {
            "country_iso3": ["VNM"] * 4 + ["CHN"],
            "conflict_id": [7, 7, 7, 8, 7],
            "year": [1979, 1980, 1984, 1984, 1979],
            "role": ["side_b_primary"] * 4 + ["side_a_primary"],
            "type_of_conflict": [2, 2, 2, 3, 2],
        }
    )
    on = D.interstate_onsets(cy)
    assert sorted(map(tuple, on[["country_iso3", "year"]].to_numpy().tolist())) == [
        ("CHN", 1979),
        ("VNM", 1979),
        ("VNM", 1984),
    ]


def test_pooled_rates_by_group_and_world():
    frame = pd.DataFrame(
        {"year": [2000, 2001, 2002, 2001], "region": ["A", "A", "A", "B"], "events": [1, 0, 5, 2]}
    )
    assert pooled_rates("k", "region", frame, "region", [2000, 2001]) == [
        {
            "kind": "k",
            "group_type": "region",
            "group": "A",
            "first_year": 2000,
            "last_year": 2001,
            "events": 1,
            "exposure": 2,
        },
        {
            "kind": "k",
            "group_type": "region",
            "group": "B",
            "first_year": 2000,
            "last_year": 2001,
            "events": 2,
            "exposure": 1,
        },
    ]
    world = pooled_rates("k", "global", frame, None, [2000, 2002])
    assert [(r["group"], r["events"], r["exposure"]) for r in world] == [("world", 8, 4)]


def test_reference_windows(cfg):
    win = reference_windows(make_tables(), AS_OF, cfg)
    # coups to 2022 (the last year complete before the 2023-09-08 data end), UCDP to 2024
    assert win["coups"][1] == 2022 and win["ucdp"][1] == 2024


def test_reference_rates_of_synthetic_tables(cfg):
    refs = D.build_reference_rates(make_tables(), AS_OF, cfg)
    coups = reference_entry(refs, "coup_attempts", "region", "Asia")
    # 1990-2022 (config window, to the last complete coup year): PHL 1990, FJI 2000 and 2006
    assert coups == {
        "group_type": "region",
        "group": "Asia",
        "window": [1990, 2022],
        "events": 3,
        "exposure": 3 * 33,
    }
    onsets = reference_entry(refs, "interstate_onsets", "global", "world")
    # conflict 3 (CHN and PHL, 2024) starts for both states; 1989-2024 country-years
    assert (onsets["events"], onsets["exposure"], onsets["window"]) == (2, 3 * 36, [1989, 2024])
    assert reference_entry(refs, "coup_attempts", "region", None) is None
    assert reference_entry(refs, "coup_attempts", "region", "Europe") is None


def test_reference_rates_of_a_given_store_are_not_cached_on_disk(cfg, tmp_path, monkeypatch):
    monkeypatch.setenv("OSA_CACHE_DIR", str(tmp_path))
    store = make_store()
    data = D.diversion_tables(store)
    refs = D.reference_rates(store, data, cfg)
    pd.testing.assert_frame_equal(refs, D.build_reference_rates(data, AS_OF, cfg))
    assert not any(tmp_path.rglob("*"))
