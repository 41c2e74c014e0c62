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
            "source_severity": "CAT1",
            "description": "Robbers armed with knives boarded and stole spares.",
        },
    )
    score = severity_agreement(frame)
    assert (score.n, score.exact, score.within_one) == (2, 0.5, 0.5)  # CAT3 vs CAT1: two apart
    assert score.confusion.loc["CAT1", "CAT3"] == 1
    assert score.confusion.loc["CAT3", "CAT3"] == 1
    assert score.values()["confusion"]["CAT3"]["CAT3"] == 1


def test_severity_agreement_pairs_a_label_with_another_sources_narrative():
    frame = records(
        # ReCAAP gives the label and no text; ASAM describes the same incident twice over
        {"source": "recaap_openmap", "source_severity": "CAT4", "incident_id": "INC-1"},
        {"source": "asam_msi_csv", "description": "One robber boarded.", "incident_id": "INC-1"},
        {
            "source": "asam_lephare_json",
            "description": "One unarmed robber boarded and escaped empty-handed.",
            "incident_id": "INC-1",
        },
        # a label with no narrative anywhere is not scored
        {"source": "recaap_openmap", "source_severity": "CAT2", "incident_id": "INC-2"},
    )
    score = severity_agreement(classify_incidents(frame))
    assert (score.n, score.exact, score.within_one) == (1, 1.0, 1.0)
    assert int(score.confusion.to_numpy().sum()) == 1


def test_classification_does_not_depend_on_the_row_labels():
    """Regression: the negation pass re-indexed by label, so a frame whose index was not
    0..n-1 lost every narrative (weapon and crew 'unknown', nearly all CAT4)."""
    frame = records(
        {"description": "Four robbers armed with knives boarded and stole engine spares."},
        {"description": "Robbers armed with guns boarded and tied up the duty crew."},
    )
    shifted = frame.set_axis([17, 3])
    a, b = classify_incidents(frame), classify_incidents(shifted)
    for col in ("weapon", "crew_treatment", "severity"):
        assert a[col].tolist() == b[col].tolist()
    assert a["weapon"].tolist() == ["knife_or_machete", "gun"]
    assert a["severity"].tolist() == ["CAT3", "CAT2"]


@pytest.mark.parametrize(
    ("text", "crew", "severity"),
    [
        # "bound" as a direction or a destination is not a crew member tied up
        (
            "Robbers boarded the bulk carrier in the eastbound lane of the TSS and stole "
            "paint; crew safe.",
            "none",
            "CAT4",
        ),
        ("A robber boarded the tanker bound for Singapore and stole stores.", "unknown", "CAT4"),
        ("Robbers armed with knives boarded; the duty AB was bound and gagged.", None, "CAT2"),
        ("Robbers with knives bound the crew and stole cash.", "held_hostage_or_tied", "CAT2"),
        # "stab" inside "establish" or "stable" is not a stabbing
        (
            "One robber boarded; the master could not establish what was stolen. Crew stable.",
            "unknown",
            "CAT4",
        ),
        ("Robbers armed with knives boarded and stabbed the watchman.", "injured", "CAT2"),
    ],
)
def test_crew_words_need_their_own_word(text: str, crew: str | None, severity: str):
    out = classify_incidents(records({"description": text}))
    if crew is not None:
        assert out["crew_treatment"].iloc[0] == crew
    assert out["severity"].iloc[0] == severity


def test_a_killing_outranks_an_attempt_or_shots_fired():
    out = classify_incidents(
        records(
            {"description": "Pirates fired upon the fishing boat and killed two fishermen."},
            {"description": "Pirates attempted to board the tug and kidnapped the master."},
            {"description": "Pirates fired upon the tanker, which increased speed; no injuries."},
        )
    )
    assert out["severity"].tolist() == ["CAT1", "CAT1", "Attempted"]


HELD_OUT = [
    # hand-written to ReCAAP's published category definitions (brief-anchors A2.2), not
    # to the rules: weapon + harm -> CAT2; weapon, no harm -> CAT3; no weapon, no harm -> CAT4
    ("Eight pirates armed with guns hijacked the product tanker and siphoned its cargo.", "CAT1"),
    ("Gunmen abducted three crew members from the tug and demanded a ransom.", "CAT1"),
    ("Six robbers armed with machetes boarded, threatened the crew and stole cash.", "CAT2"),
    ("Robbers armed with knives assaulted the duty officer and stole his phone.", "CAT2"),
    ("Robbers with long knives boarded and stole engine spares; crew not injured.", "CAT3"),
    ("Two robbers armed with a knife boarded the barge and escaped with scrap metal.", "CAT3"),
    ("Three unarmed robbers boarded the bulk carrier and stole ship's stores.", "CAT4"),
    ("A perpetrator was sighted on the poop deck and escaped empty-handed.", "CAT4"),
    ("Robbers attempted to board the container ship but aborted the attempt.", "Attempted"),
    ("Pirates in a skiff fired at the tanker; the ship increased speed and evaded.", "Attempted"),
]


def test_held_out_synthetic_narratives_get_recaaps_category():
    frame = records(
        *(
            {"source": "recaap_openmap", "source_severity": sev, "description": text}
            for text, sev in HELD_OUT
        )
    )
    score = severity_agreement(frame)
    assert score.n == len(HELD_OUT)
    assert score.exact == 1.0
