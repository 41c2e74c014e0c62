"""The canonical crosswalk (brief-anchors A2.6) on hand-written synthetic records."""

from __future__ import annotations

import pandas as pd
import pytest

from osa_analysis.harmonise.classify import classify_incidents, severity_agreement


def records(*rows: dict) -> pd.DataFrame:
    base = {
        "source": "asam_msi_csv",
        "source_label": pd.NA,
        "source_severity": pd.NA,
        "description": pd.NA,
        "vessel_type_raw": pd.NA,
        "vessel_status_raw": pd.NA,
    }
    frame = pd.DataFrame([{**base, **r} for r in rows])
    for col in base:
        frame[col] = frame[col].astype("string")
    return frame


def test_imb_labels_give_outcome_with_source_basis():
    out = classify_incidents(
        records(
            {"source": "imb_pirate_attacks", "source_label": "Hijacked"},
            {"source": "imb_pirate_attacks", "source_label": "Fired Upon"},
            {"source": "imb_pirate_attacks", "source_label": "Boarding"},
            {"source": "imb_pirate_attacks", "source_label": "Attempted"},
        )
    )
    assert out["outcome"].tolist() == ["hijacked", "fired_upon", "boarded", "attempted"]
    assert out["outcome_basis"].tolist() == ["source"] * 4
    # no narrative: severity only where the outcome alone decides it
    assert out["severity"].tolist() == ["CAT1", "Attempted", pd.NA, "Attempted"]


def test_recaap_classification_is_kept_as_source_severity():
    out = classify_incidents(
        records(
            {
                "source": "recaap_openmap",
                "source_label": "Robbery/Theft",
                "source_severity": "CAT3",
                "description": "Four perpetrators armed with knives boarded; crew not harmed.",
            }
        )
    )
    assert out.loc[0, "severity"] == "CAT3"
    assert out.loc[0, "severity_basis"] == "source"
    assert out.loc[0, "outcome"] == "boarded"


@pytest.mark.parametrize(
    ("text", "severity", "weapon", "crew"),
    [
        (
            "Three robbers armed with knives boarded the TESTSHIP ALPHA at anchor and stole "
            "engine spares. Crew not harmed.",
            "CAT3",
            "knife_or_machete",
            "none",
        ),
        (
            "Two thieves boarded TESTSHIP BRAVO and stole paint. They escaped when spotted.",
            "CAT4",
            "unknown",
            "unknown",
        ),
        (
            "Six pirates armed with guns boarded TESTSHIP CHARLIE, tied up the watchman and stole "
            "cash.",
            "CAT2",
            "gun",
            "held_hostage_or_tied",
        ),
        (
            "Pirates boarded and hijacked TESTSHIP DELTA and siphoned her cargo.",
            "CAT1",
            "unknown",
            "unknown",
        ),
        (
            "A skiff approached TESTSHIP ECHO and attempted to board; the master raised the alarm "
            "and the skiff aborted the attempt.",
            "Attempted",
            "unknown",
            "unknown",
        ),
    ],
)
def test_rule_derived_severity_follows_a22_order(text, severity, weapon, crew):
    out = classify_incidents(records({"description": text}))
    assert out.loc[0, "severity"] == severity
    assert out.loc[0, "severity_basis"] == "derived"
    assert out.loc[0, "weapon"] == weapon
    assert out.loc[0, "crew_treatment"] == crew


def test_military_activity_is_other_hostile_and_gets_no_severity():
    out = classify_incidents(
        records(
            {
                "source_label": "Military activity",
                "description": "SYNTHETICLAND: a missile struck TESTSHIP FOXTROT while berthed.",
            }
        )
    )
    assert out.loc[0, "category"] == "other_hostile"
    assert pd.isna(out.loc[0, "severity"])
    assert out.loc[0, "vessel_status"] == "berthed"


def test_gray_zone_sources_are_their_own_category():
    out = classify_incidents(
        records({"source": "scsdi_geocoded", "description": "Synthetic standoff."})
    )
    assert out.loc[0, "category"] == "gray_zone_coercion"
    assert pd.isna(out.loc[0, "outcome"]) and pd.isna(out.loc[0, "severity"])


def test_vessel_status_and_type_from_labels_then_text():
    out = classify_incidents(
        records(
            {"vessel_status_raw": "Steaming", "vessel_type_raw": "Product Tanker"},
            {
                "vessel_status_raw": "NA",
                "vessel_type_raw": "NA",
                "description": "Robbers boarded an anchored bulk carrier.",
            },
            {"vessel_type_raw": "TUG BOAT", "description": "Boarded while underway."},
        )
    )
    assert out["vessel_status"].tolist() == ["underway", "anchored", "underway"]
    assert out["vessel_status_basis"].tolist() == ["source", "derived", "derived"]
    assert out["vessel_type_std"].tolist() == ["tanker", "bulk", "tug_barge"]


def test_severity_agreement_scores_rules_against_labels():
    frame = records(
        {
            "source": "recaap_openmap",
            "source_severity": "CAT3",
            "description": "Robbers armed with knives boarded; crew not harmed; stole spares.",
        },
        {
            "source": "recaap_openmap",
            "source_severity": "CAT4",
            "description": "Robbers armed with knives boarded and stole spares.",
        },
    )
    score = severity_agreement(frame)
    assert score == {"n": 2, "agreement": 0.5, "within_one": 1.0}
