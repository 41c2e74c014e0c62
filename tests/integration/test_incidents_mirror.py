"""The harmonised incident table built from the real files."""

from __future__ import annotations

import pandas as pd
import pytest

from osa_analysis.build.params import default_as_of
from osa_analysis.harmonise import incidents

pytestmark = pytest.mark.mirror

SOURCE_ROWS = {
    "asam_msi_csv": 8642,
    "asam_lephare_json": 540,  # le-phare rows whose reference is not in the MSI export
    "imb_pirate_attacks": 7511,
    "recaap_openmap": 369,
    "recaap_imb_live": 390,
    "scsdi_geocoded": 514,  # events, from 1 241 location rows
    "scsdi_published": 1645,
}


@pytest.fixture(scope="module")
def tables(real_file):
    for sid in incidents.INCIDENT_SOURCE_IDS + incidents.GEOGRAPHY_SOURCE_IDS:
        real_file(sid)
    return incidents.incident_tables()


def test_every_source_record_is_kept_once(tables):
    reports = tables.reports
    assert reports["source"].value_counts().to_dict() == SOURCE_ROWS
    assert not reports.duplicated(["source", "source_id", "source_record"]).any()
    asam = reports[reports["source"].str.startswith("asam")]
    assert len(asam) == 9182
    assert asam["date"].min() == pd.Timestamp("1978-05-01")
    assert asam["date"].max() == pd.Timestamp("2024-06-25")


def test_events_partition_the_reports(tables):
    reports, events = tables.reports, tables.events
    assert events["incident_id"].is_unique
    assert set(events["incident_id"]) == set(reports["incident_id"])
    listed = events["source_ids"].str.split(";").str.len().sum()
    assert listed == len(reports)
    assert events["date"].min() == pd.Timestamp("1978-05-01")
    assert events["date"].max() == pd.Timestamp("2026-08-09")


def test_live_feed_recaap_rows_merge_with_openmap(tables):
    reports = tables.reports
    live = reports[reports["source"].eq("recaap_imb_live") & reports["recaap_incident_no"].notna()]
    openmap = reports[reports["source"].eq("recaap_openmap")]
    shared = live[live["recaap_incident_no"].isin(openmap["source_id"])]
    assert len(shared) == 38  # MANIFEST: 38 incidents shared with OpenMap
    by_id = openmap.set_index("source_id")["incident_id"]
    assert (
        shared["incident_id"].to_numpy() == by_id[shared["recaap_incident_no"]].to_numpy()
    ).all()


def test_multi_source_events_never_merge_records_of_one_family(tables):
    reports = tables.reports.assign(family=incidents.report_families(tables.reports))
    # the two identical MSI rows (2021-161, 2021-207) are one incident
    reports = reports[~reports["source_id"].isin(["2021-161", "2021-207"])]
    per_event = reports.groupby("incident_id")["family"].agg(["size", "nunique"])
    assert (per_event["size"] == per_event["nunique"]).all()
    assert (per_event["nunique"] > 1).sum() > 4000  # ASAM and IMB overlap heavily 1993-2020


def test_recaap_labels_are_kept_and_rules_score_against_them(tables):
    openmap = tables.reports[tables.reports["source"].eq("recaap_openmap")]
    assert openmap["severity"].value_counts().to_dict() == {
        "CAT4": 208,
        "CAT3": 101,
        "CAT2": 41,
        "Attempted": 19,
    }
    assert (openmap["severity_basis"] == "source").all()
    assert openmap["description"].isna().all()  # internal licence: text withheld
    assert openmap["description_withheld"].all()


def test_coastal_state_attribution_for_the_fy2023_recipients(tables):
    events = tables.events
    counts = events["coastal_state_iso3"].value_counts()
    assert counts["IDN"] > counts["PHL"] > 500
    assert counts["MYS"] > 500 and counts["BGD"] > 500
    assert counts.get("FJI", 0) < 10  # Fiji: almost no recorded piracy
    assert events["eez_method"].str.startswith("approx-eez-v2").all()
    assert events["distance_to_shore_km"].dropna().between(0, 5000).all()


def test_whole_degree_positions_that_may_lie_in_several_eezs_count_for_none(tables):
    reports = tables.reports
    live = reports[reports["source"].eq("recaap_imb_live")]
    coarse = live[live["position_precision_deg"].ge(1.0).fillna(False)]
    ambiguous = reports[reports["attribution"].eq("ambiguous").fillna(False)]
    # only coarse positions are ever ambiguous, and they have no coastal state
    assert set(ambiguous["source"]) == {"recaap_imb_live"}
    assert ambiguous["position_precision_deg"].ge(0.5).all()
    assert ambiguous["coastal_state_iso3"].isna().all()
    # the Singapore Strait: whole-degree squares meet the EEZs of IDN and MYS (and SGP)
    alt = ambiguous["attribution_alternatives"].str.split(";")
    strait = alt.map(lambda v: {"IDN", "MYS"} <= set(v))
    assert strait.sum() > 0.8 * len(ambiguous) and len(ambiguous) > 100
    # a coarse square inside one EEZ keeps its state
    kept = coarse[~coarse.index.isin(ambiguous.index)]
    assert kept["coastal_state_iso3"].notna().any()
    assert kept["attribution_alternatives"].isna().all()


def test_quality_flags_are_counted_not_dropped(tables):
    report = incidents.incident_quality_report(tables.events)
    assert report["missing_position"] == 10  # SCSDI published rows without Latitude
    assert report["unparseable_position"] == 8
    assert report["clean"] + sum(v for k, v in report.items() if k != "clean") >= len(tables.events)


def test_cached_load_equals_fresh_build(tables):
    fresh = incidents.build_incident_tables()
    pd.testing.assert_frame_equal(
        fresh.events.reset_index(drop=True), tables.events.reset_index(drop=True), check_dtype=False
    )


def test_default_as_of_equals_the_last_incident_date(tables):
    assert tables.events["date"].max().date() == default_as_of()
