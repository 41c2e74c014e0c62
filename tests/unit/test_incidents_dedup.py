"""Cross-source deduplication and quality flags on hand-written synthetic reports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from osa_analysis.harmonise.incidents import (
    add_quality_flags,
    assign_incident_ids,
    candidate_links,
    events_from_reports,
    source_agreement,
)
from osa_analysis.harmonise.ship_names import _norm_ship, ships_match


def reports(*rows: dict) -> pd.DataFrame:
    base = {
        "source": "asam_msi_csv",
        "source_id": "X",
        "date": "2020-01-01",
        "latitude": 1.0,
        "longitude": 104.0,
        "position_precision_deg": np.nan,
        "position_status": "ok",
        "vessel_name": pd.NA,
        "vessel_imo": pd.NA,
        "recaap_incident_no": pd.NA,
        "outcome": "boarded",
        "source_record": 0,
    }
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["date"] = pd.to_datetime(frame["date"])
    for col in (
        "source",
        "source_id",
        "vessel_name",
        "vessel_imo",
        "recaap_incident_no",
        "outcome",
    ):
        frame[col] = frame[col].astype("string")
    return frame


def test_same_event_in_two_sources_within_a_day_and_close_is_linked():
    df = reports(
        {"source": "asam_msi_csv", "source_id": "2020-001", "date": "2020-01-01"},
        {
            "source": "imb_pirate_attacks",
            "source_id": "IMB-1",
            "date": "2020-01-02",
            "latitude": 1.05,
            "longitude": 104.05,
        },
    )
    links = candidate_links(df)
    assert len(links) == 1
    assert links.loc[0, "days_apart"] == 1
    assert 7 < links.loc[0, "distance_km"] < 8


def test_same_family_is_never_merged_and_far_or_late_reports_are_not_linked():
    df = reports(
        {"source": "asam_msi_csv", "source_id": "A1"},
        {"source": "asam_lephare_json", "source_id": "A2"},  # same family (ASAM)
        {"source": "imb_pirate_attacks", "source_id": "I1", "latitude": 3.0},  # 222 km away
        {"source": "imb_pirate_attacks", "source_id": "I2", "date": "2020-01-03"},  # 2 days
    )
    assert candidate_links(df).empty


def test_different_ship_names_block_a_link_and_same_imo_makes_one():
    df = reports(
        {"source": "asam_msi_csv", "source_id": "A1", "vessel_name": "TESTSHIP ALPHA"},
        {"source": "imb_pirate_attacks", "source_id": "I1", "vessel_name": "TESTSHIP BRAVO"},
        {
            "source": "recaap_openmap",
            "source_id": "IC-2020-001",
            "vessel_imo": "9000001",
            "latitude": 1.6,
        },
        {
            "source": "recaap_imb_live",
            "source_id": "RC-IC-2020-002",
            "vessel_imo": "9000001",
            "latitude": 2.0,
        },
    )
    links = candidate_links(df)
    pairs = {tuple(sorted((int(a), int(b)))) for a, b in zip(links["a"], links["b"], strict=True)}
    assert (0, 1) not in pairs  # named ships differ
    assert (2, 3) in pairs  # same IMO, 44 km apart


def test_live_feed_links_to_openmap_by_incident_number_even_a_day_off():
    df = reports(
        {"source": "recaap_openmap", "source_id": "IC-2025-007", "date": "2025-03-02"},
        {
            "source": "recaap_imb_live",
            "source_id": "RC-IC-2025-007",
            "date": "2025-03-01",
            "recaap_incident_no": "IC-2025-007",
            "latitude": 1.0,
            "longitude": 104.0,
        },
    )
    links = candidate_links(df)
    assert links["rule"].tolist() == ["exact_id"]


def test_one_to_one_matching_keeps_the_closest_report():
    df = reports(
        {"source": "asam_msi_csv", "source_id": "A1"},
        {"source": "imb_pirate_attacks", "source_id": "I-near", "latitude": 1.01},
        {"source": "imb_pirate_attacks", "source_id": "I-far", "latitude": 1.1},
    )
    links = candidate_links(df)
    assert len(links) == 1
    assert df.loc[links.loc[0, "b"], "source_id"] == "I-near"


def test_events_list_all_sources_and_ids_are_stable():
    df = reports(
        {"source": "asam_msi_csv", "source_id": "2020-001", "outcome": "boarded"},
        {
            "source": "imb_pirate_attacks",
            "source_id": "IMB-1",
            "latitude": 1.02,
            "outcome": "attempted",
        },
        {"source": "asam_msi_csv", "source_id": "2020-002", "date": "2020-06-01"},
    )
    ids = assign_incident_ids(df, candidate_links(df))
    assert ids[0] == ids[1] != ids[2]
    assert ids.tolist() == assign_incident_ids(df, candidate_links(df)).tolist()
    events = events_from_reports(df.assign(incident_id=ids))
    assert len(events) == 2
    merged = events.set_index("incident_id").loc[ids[0]]
    assert merged["sources"] == "imb_pirate_attacks;asam_msi_csv"  # priority order
    assert merged["source"] == "imb_pirate_attacks"
    assert merged["n_sources"] == 2
    assert not merged["outcome_agreement"]
    assert round(merged["position_spread_km"], 1) == 2.2
    agreement = source_agreement(df.assign(incident_id=ids))
    row = agreement.set_index(["family_a", "family_b"]).loc[("asam", "imb")]
    assert row["shared_events"] == 1 and row["outcome_agreement"] == 0.0


def test_quality_flags_mark_but_keep_bad_records():
    df = reports(
        {"source_id": "ok"},
        {"source_id": "impossible", "latitude": 95.0},
        {"source_id": "null-island", "latitude": 0.0, "longitude": 0.0},
        {"source_id": "no-date", "date": None},
        {
            "source_id": "garbled",
            "latitude": np.nan,
            "longitude": np.nan,
            "position_status": "unparseable",
        },
    )
    out = add_quality_flags(df)
    assert len(out) == 5
    assert out["flag_impossible_position"].tolist() == [False, True, True, False, False]
    assert out["flag_missing_date"].tolist() == [False, False, False, True, False]
    assert out["flag_unparseable_position"].tolist() == [False, False, False, False, True]
    assert np.isnan(out.loc[1, "latitude"]) and out.loc[1, "latitude_raw"] == 95.0


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("MV OCEAN STAR II", "Ocean Star 2", True),  # case, prefix, Roman numeral
        ("OCEAN STAR I", "OCEAN STAR II", False),  # two ships of one line
        ("SEA PRIDE", "SEA PRlDE", True),  # one typo under 10 characters
        ("SEA PRIDE", "SEA BRIDGE", False),  # two edits under 10: other ships
        ("GOLDEN HARVESTER", "GOLDEN HARVSETER", True),  # two edits from 10 on
        ("KOTA", "KOTO", False),  # short names must be equal or nested
        ("GLOBAL 9", "GLOBAL 9 STAR", True),  # nested
    ],
)
def test_ship_names_match_after_normalisation(a: str, b: str, same: bool):
    norm = _norm_ship(pd.Series([a, b], dtype="string"))
    assert ships_match(norm.iloc[0], norm.iloc[1]) is same


def test_a_typo_in_the_ship_name_no_longer_blocks_a_link():
    df = reports(
        {"source": "asam_msi_csv", "source_id": "A1", "vessel_name": "MT TESTSHIP ALPHA II"},
        {"source": "imb_pirate_attacks", "source_id": "I1", "vessel_name": "Testship Alfa 2"},
    )
    assert len(candidate_links(df)) == 1
