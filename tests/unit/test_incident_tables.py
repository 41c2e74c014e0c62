"""Severity, vessel and source-agreement tables (osa_analysis.analyse.incident_tables)."""

from __future__ import annotations

import pandas as pd

from osa_analysis.analyse import incident_tables as t

ASAM = "asam_msi_csv"
LIVE = "recaap_imb_live"


def test_share_pct():
    assert t.share_pct(1, 3) == 33.3 and t.share_pct(2, 8) == 25.0
    assert t.share_pct(0, 0) is None


def test_severity_table_separates_recaap_labels_from_derived():
    ev = pd.DataFrame(
        {
            "severity": pd.array(["CAT2", "CAT2", "CAT4", None, "Attempted"], dtype="string"),
            "severity_basis": pd.array(
                ["source", "derived", "source", None, "derived"], dtype="string"
            ),
        }
    )
    out = t.severity_table(ev).set_index("severity")
    assert out.loc["CAT2"].tolist() == [1, 1, 2, 40.0]
    assert out.loc["CAT4", "recaap_label"] == 1
    assert out.loc["NA", "total"] == 1 and out.loc["NA", "derived"] == 1
    assert out.loc["Attempted", "derived"] == 1
    assert out["total"].sum() == 5
    summary = t.severity_summary(out.reset_index(), 5)
    assert {k: v for k, v in summary.items() if k != "rows"} == {
        "n": 5,
        "n_recaap_label": 2,
        "n_derived": 3,
        "n_cat1_cat2": 2,
        "share_cat1_cat2_pct": 40.0,
        "n_attempted": 1,
    }
    assert len(summary["rows"]) == len(t.SEVERITIES)


def test_vessel_tables():
    ev = pd.DataFrame(
        {
            "vessel_status": pd.array(["anchored", "anchored", "underway", None], dtype="string"),
            "severity": pd.array(["CAT2", "CAT4", "Attempted", "CAT1"], dtype="string"),
            "vessel_type_std": pd.array(["tanker", "bulk", "tanker", None], dtype="string"),
        }
    )
    status = t.vessel_status_table(ev).set_index("vessel_status")
    assert status.loc["anchored"].tolist() == [2, 50.0, 1, 0]
    assert status.loc["underway", "attempted"] == 1
    assert status.loc["unknown", "cat1_cat2"] == 1
    assert t.vessel_status_summary(status.reset_index(), len(ev)) == {
        "berthed_or_anchored": 2,
        "underway": 1,
        "n": 4,
    }
    vtype = t.vessel_type_table(ev, top=1)
    assert vtype.to_dict("records") == [
        {"vessel_type": "tanker", "incidents": 2, "share_pct": 50.0},
        {"vessel_type": "other types", "incidents": 1, "share_pct": 25.0},
        {"vessel_type": "unknown", "incidents": 1, "share_pct": 25.0},
    ]


def test_source_agreement_summary():
    ev = pd.DataFrame(
        {
            "n_sources": [1, 2, 3, 2],
            "outcome_agreement": pd.array([pd.NA, True, False, pd.NA], dtype="boolean"),
            "sources": pd.array(
                [ASAM, f"{ASAM};imb_pirate_attacks", f"{ASAM};recaap_openmap;{LIVE}", LIVE],
                dtype="string",
            ),
        }
    )
    out = t.source_agreement_summary(ev)
    assert out["n_multi_source"] == 3 and out["share_multi_pct"] == 75.0
    assert (out["n_outcome_compared"], out["n_outcome_agree"]) == (2, 1)
    assert out["share_outcome_agree_pct"] == 50.0
    assert out["by_source"] == {"asam": 3, "imb": 1, "recaap": 1, "live": 2}
