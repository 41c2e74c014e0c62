"""Unit tests for the conflict and coup loaders, on tiny synthetic fixtures."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from osa_analysis.core.countries import UnmappedCodeWarning, to_iso3
from osa_analysis.core.validation import DataFormatError, DataValidationError
from osa_analysis.sources.loaders.conflict import (
    ORGVIO_RENAMES,
    load_ucdp_acd,
    load_ucdp_organized_violence,
    ucdp_conflict_years,
)
from osa_analysis.sources.loaders.coups import (
    coup_events,
    load_coups_cline,
    load_coups_powell_thyne,
)


@pytest.fixture
def conflict_dir(fixtures: Path) -> Path:
    return fixtures / "conflict"


def _rewrite(src: Path, dest: Path, old: str, new: str, count: int = 1) -> Path:
    text = src.read_bytes().decode()
    assert old in text, f"fixture has no {old!r}"
    dest.write_bytes(text.replace(old, new, count).encode())
    return dest


# --------------------------------------------------------------------------------------------
# Curated code tables
# --------------------------------------------------------------------------------------------


def test_gw_and_cow_tables_map_the_recipients_and_historical_units():
    gw = pd.Series(["840", "820", "771", "950", "850", "860", "910", "775", "800", "780", "816"])
    assert to_iso3(gw, "gw").tolist() == [
        "PHL", "MYS", "BGD", "FJI", "IDN", "TLS", "PNG", "MMR", "THA", "LKA", "VNM",
    ]  # fmt: skip
    assert to_iso3(pd.Series(["710", "750", "972", "712", "522"]), "gw").tolist() == [
        "CHN", "IND", "TON", "MNG", "DJI",
    ]  # fmt: skip
    assert to_iso3(pd.Series(["955", "712", "522", "840"]), "cow").tolist() == [
        "TON", "MNG", "DJI", "PHL",
    ]  # fmt: skip
    # historical units are known (listed with an empty iso3): NA, no warning when ignored
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = to_iso3(
            pd.Series(["817", "265", "680"]), "cow", ignore=frozenset({"817", "265", "680"})
        )
    assert out.isna().all()


# --------------------------------------------------------------------------------------------
# UCDP/PRIO ACD
# --------------------------------------------------------------------------------------------


def test_acd_official_layout_parses_types_labels_and_quoted_newline(conflict_dir):
    acd = load_ucdp_acd(conflict_dir / "ucdp_acd_official.csv")
    assert len(acd) == 5
    assert acd.index.tolist() == [0, 1, 2, 3, 4]  # record numbers despite the quoted newline
    assert acd["conflict_id"].dtype == "int64" and acd["year"].dtype == "int64"
    assert acd["start_date"].dtype == "datetime64[ns]"
    row = acd.loc[1]
    assert row["territory_name"] == "TEST ISLAND"  # the newline inside the quotes is stripped
    assert row["incompatibility_label"] == "territory"
    assert row["type_of_conflict_label"] == "interstate"
    assert row["ep_end"] and not acd.loc[0, "ep_end"]
    assert row["ep_end_date"] == pd.Timestamp("1964-12-31")
    assert row["gwno_loc"] == "820, 850"
    # "" empty fields are NA, never empty strings
    assert pd.isna(acd.loc[0, "territory_name"]) and pd.isna(acd.loc[0, "ep_end_date"])
    assert acd["ep_end_prec"].isna().all()
    assert acd.loc[2, "intensity_label"] == "war"
    assert acd.loc[2, "type_of_conflict_label"] == "internationalised intrastate"
    assert acd.loc[2, "side_a_2nd"] == "Government of China, Government of Thailand"  # stripped
    assert acd.loc[4, "region_label"] == "Asia, Americas"
    assert acd.loc[4, "type_of_conflict_label"] == "extrasystemic"
    assert acd.loc[0, "start_date2"] == pd.Timestamp("2019-05-10")
    assert acd.loc[0, "start_prec2"] == 2


def test_acd_excel_resave_with_semicolons_and_dmy_dates_reads_identically(conflict_dir):
    official = load_ucdp_acd(conflict_dir / "ucdp_acd_official.csv")
    excel = load_ucdp_acd(conflict_dir / "ucdp_acd_excel.csv")
    pd.testing.assert_frame_equal(official, excel)


def test_conflict_years_splits_multi_valued_codes_into_roles(conflict_dir):
    acd = load_ucdp_acd(conflict_dir / "ucdp_acd_official.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnmappedCodeWarning)
        years = ucdp_conflict_years(acd)
    mys_idn = years[years["conflict_id"] == 90002]
    assert sorted(zip(mys_idn["country_iso3"], mys_idn["role"], strict=True)) == [
        ("IDN", "location"),
        ("IDN", "side_a_primary"),
        ("MYS", "location"),
        ("MYS", "side_b_primary"),
    ]
    mmr = years[years["conflict_id"] == 90003]
    assert set(mmr.loc[mmr["role"] == "side_a_secondary", "country_iso3"]) == {"CHN", "THA"}
    # Republic of Vietnam (817) has no ISO3: NA, and no warning (known historical unit)
    rvn = years[years["conflict_id"] == 90004]
    assert rvn.loc[rvn["role"] == "location", "country_iso3"].isna().all()
    assert rvn.loc[rvn["role"] == "side_b_secondary", "country_iso3"].tolist() == ["VNM"]
    assert years["gw_code"].dtype == "int64"
    assert len(years) == 2 + 4 + 4 + 3 + 3


def test_acd_missing_column_names_file_and_column(conflict_dir, tmp_path):
    src = conflict_dir / "ucdp_acd_official.csv"
    bad = _rewrite(src, tmp_path / "acd.csv", ",gwno_loc,", ",gwno_location,")
    with pytest.raises(DataFormatError, match=r"acd\.csv.*gwno_loc"):
        load_ucdp_acd(bad)


def test_acd_bad_values_name_record_and_column(conflict_dir, tmp_path):
    src = conflict_dir / "ucdp_acd_official.csv"
    # record 2: intensity level 5 does not exist
    bad = _rewrite(src, tmp_path / "acd.csv", "2021,2,1,4", "2021,5,1,4")
    with pytest.raises(DataValidationError) as info:
        load_ucdp_acd(bad)
    failures = info.value.failures
    assert (failures["record"] == 2).any()
    assert "intensity_level" in set(failures["column"])
    # record 0: an impossible date is reported with its text
    bad = _rewrite(src, tmp_path / "acd2.csv", "2019-05-10", "2019-13-10")
    with pytest.raises(DataValidationError, match=r"record 0, column 'start_date2'.*2019-13-10"):
        load_ucdp_acd(bad)


def test_acd_mixed_date_layout_is_a_format_error(conflict_dir, tmp_path):
    bad = _rewrite(
        conflict_dir / "ucdp_acd_official.csv", tmp_path / "acd.csv", "2015-03-01", "1-3-2015"
    )
    with pytest.raises(DataFormatError, match="start_date"):
        load_ucdp_acd(bad)


# --------------------------------------------------------------------------------------------
# UCDP Organized Violence
# --------------------------------------------------------------------------------------------


def test_orgviolence_renames_keeps_zeros_and_maps_countries(conflict_dir):
    ov = load_ucdp_organized_violence(conflict_dir / "ucdp_orgviolence_mini.csv")
    assert len(ov.columns) == 75  # 74 renamed + country_iso3
    assert ov["country_iso3"].tolist()[:2] == ["PHL", "PHL"]
    assert pd.isna(ov.loc[2, "country_iso3"])  # GDR: historical unit, no warning
    assert ov.loc[2, "gw_code"] == 265
    assert ov.loc[0, "sb_best_deaths"] == 37
    assert ov.loc[0, "sb_low_deaths"] == 35 and ov.loc[0, "sb_high_deaths"] == 41
    assert ov.loc[0, "os_nsgroup_best_deaths"] == 12
    assert ov.loc[0, "orgvio_best_deaths"] == 49
    assert ov.loc[0, "sb_dyad_ids"] == "990001; 990002"
    assert ov.loc[0, "sb_intrastate_main_govt_inv_incomp"]
    # a year with no violence is present with real zeros; NO_DYAD is NA
    quiet = ov.loc[1]
    assert quiet["year"] == 2021 and quiet["orgvio_best_deaths"] == 0
    assert not quiet["sb_exist"]
    assert pd.isna(quiet["sb_dyad_ids"]) and pd.isna(quiet["os_dyad_names"])
    assert ov["sb_best_deaths"].dtype == "int64"
    assert ov["sb_exist"].dtype == "bool"
    assert all(c.endswith("_deaths") for c in ov.columns if "deaths" in c or "killings" in c)


def test_orgviolence_lf_only_copy_reads_identically(conflict_dir, tmp_path):
    src = conflict_dir / "ucdp_orgviolence_mini.csv"
    lf = tmp_path / "lf.csv"
    lf.write_bytes(src.read_bytes().replace(b"\r\n", b"\n"))
    pd.testing.assert_frame_equal(
        load_ucdp_organized_violence(src), load_ucdp_organized_violence(lf)
    )


def test_orgviolence_missing_column_and_bad_value(conflict_dir, tmp_path):
    src = conflict_dir / "ucdp_orgviolence_mini.csv"
    bad = _rewrite(src, tmp_path / "ov.csv", "os_total_deaths_best_cy", "os_total_best")
    with pytest.raises(DataFormatError, match=r"ov\.csv.*os_total_deaths_best_cy"):
        load_ucdp_organized_violence(bad)
    bad = _rewrite(src, tmp_path / "ov2.csv", "840,Philippines,2021", "840,Philippines,20x1")
    with pytest.raises(DataValidationError, match=r"record 1, column 'year'.*20x1"):
        load_ucdp_organized_violence(bad)
    assert len(ORGVIO_RENAMES) == 74


# --------------------------------------------------------------------------------------------
# Powell & Thyne
# --------------------------------------------------------------------------------------------


def test_powell_thyne_tab_separated_with_csv_name(conflict_dir, tmp_path):
    src = conflict_dir / "pt_coups_mini.tsv"
    as_csv = tmp_path / "powell_thyne_coups_final.csv"  # the pinned file's misleading name
    as_csv.write_bytes(src.read_bytes())
    pt = load_coups_powell_thyne(as_csv)
    assert pt.columns.tolist() == [
        "country_iso3", "country_name", "cow_code", "gw_code", "polity_code", "date", "year",
        "outcome", "version",
    ]  # fmt: skip
    assert pt["country_iso3"].tolist()[:2] == ["THA", "PHL"]
    assert pt.loc[0, "date"] == pd.Timestamp("2001-02-03")
    assert pt["outcome"].tolist() == ["successful", "failed", "successful", "failed"]
    # Republic of Vietnam: NA iso3, published name kept
    assert pd.isna(pt.loc[2, "country_iso3"]) and pt.loc[2, "country_name"] == "Republic of Vietnam"
    assert pt["gw_code"].isna().all()
    assert pt.loc[3, "polity_code"] == 990
    assert pt["version"].unique().tolist() == ["V2023.09.08"]
    assert pt["date"].dtype == "datetime64[ns]"


def test_powell_thyne_canonical_txt_and_comma_variant(conflict_dir, tmp_path):
    src = conflict_dir / "pt_coups_mini.tsv"
    txt = tmp_path / "powell_thyne_coups_final.txt"
    txt.write_bytes(src.read_bytes())
    comma = tmp_path / "comma.csv"
    comma.write_bytes(src.read_bytes().replace(b"\t", b","))
    expected = load_coups_powell_thyne(src)
    pd.testing.assert_frame_equal(load_coups_powell_thyne(txt), expected)
    pd.testing.assert_frame_equal(load_coups_powell_thyne(comma), expected)


def test_powell_thyne_bad_inputs(conflict_dir, tmp_path):
    src = conflict_dir / "pt_coups_mini.tsv"
    bad = _rewrite(src, tmp_path / "pt.tsv", "\tcoup\t", "\tevent\t")
    with pytest.raises(DataFormatError, match=r"pt\.tsv.*coup"):
        load_coups_powell_thyne(bad)
    bad = _rewrite(src, tmp_path / "pt2.tsv", "1988\t11\t9\t1", "1988\t11\t9\t3")
    with pytest.raises(DataValidationError, match=r"record 1, column 'outcome'"):
        load_coups_powell_thyne(bad)
    bad = _rewrite(src, tmp_path / "pt3.tsv", "1999\t12\t31", "1999\t2\t31")
    with pytest.raises(DataValidationError, match=r"record 3.*calendar date.*1999-2-31"):
        load_coups_powell_thyne(bad)


# --------------------------------------------------------------------------------------------
# Cline Center
# --------------------------------------------------------------------------------------------


def test_cline_dates_padding_unknown_day_and_flags(conflict_dir):
    cl = load_coups_cline(conflict_dir / "cline_mini.csv")
    assert len(cl) == 6
    assert cl.loc[0, "date"] == pd.Timestamp("2003-05-07")  # zero-padded "05", "07"
    assert cl.loc[0, "date_precision"] == "day"
    # day "00": unknown day, month known
    assert pd.isna(cl.loc[1, "date"]) and pd.isna(cl.loc[1, "day"])
    assert cl.loc[1, "month"] == 6 and cl.loc[1, "date_precision"] == "month"
    assert cl.loc[2, "date"] == pd.Timestamp("1995-11-12")
    assert cl["event_type"].tolist() == [
        "coup", "conspiracy", "attempted", "attempted", "attempted", "coup",
    ]  # fmt: skip
    assert cl.loc[0, "realized"] and cl.loc[0, "military"] and not cl.loc[0, "auto"]
    assert cl.loc[2, "injured"] and cl.loc[5, "exile"]
    assert (
        cl["realized"].dtype == "bool"
        and len([c for c in cl.columns if cl[c].dtype == "bool"]) == 22
    )
    assert cl.loc[5, "coup_id"] == "81707071962a"
    assert pd.isna(cl.loc[5, "country_iso3"])  # Republic of Vietnam


def test_cline_cowcode_errata_and_code_over_name(conflict_dir):
    cl = load_coups_cline(conflict_dir / "cline_mini.csv")
    # 480 is no COW code: the DR Congo row is corrected to 490
    assert cl.loc[3, "cow_code"] == 490 and cl.loc[3, "country_iso3"] == "COD"
    # a row coded 840 but named "Zimbabwe": the code decides (PHL), the name is kept
    assert cl.loc[4, "country_iso3"] == "PHL" and cl.loc[4, "country_name"] == "Zimbabwe"


def test_cline_v21_layout_with_more_years_is_accepted(conflict_dir, tmp_path):
    src = conflict_dir / "cline_mini.csv"
    newer = _rewrite(src, tmp_path / "Coup_Data_v2.1.2.csv", '"2003","05","07"', '"2023","05","07"')
    cl = load_coups_cline(newer)
    assert cl.loc[0, "date"] == pd.Timestamp("2023-05-07")


def test_cline_bad_inputs(conflict_dir, tmp_path):
    src = conflict_dir / "cline_mini.csv"
    bad = _rewrite(src, tmp_path / "cl.csv", '"exile"', '"exiled"')
    with pytest.raises(DataFormatError, match=r"cl\.csv.*exile"):
        load_coups_cline(bad)
    bad = _rewrite(src, tmp_path / "cl2.csv", '"attempted",1,0,0,1,0,1', '"attempted",1,0,0,1,0,7')
    with pytest.raises(DataValidationError, match=r"record 2, column 'dissident'.*be 0 or 1"):
        load_coups_cline(bad)
    bad = _rewrite(src, tmp_path / "cl3.csv", '"conspiracy",1,0,1', '"plot",1,0,1')
    with pytest.raises(DataValidationError, match=r"record 1, column 'event_type'"):
        load_coups_cline(bad)


# --------------------------------------------------------------------------------------------
# Both coup datasets
# --------------------------------------------------------------------------------------------


def test_coup_events_keeps_both_sources_side_by_side(conflict_dir):
    pt = load_coups_powell_thyne(conflict_dir / "pt_coups_mini.tsv")
    cl = load_coups_cline(conflict_dir / "cline_mini.csv")
    events = coup_events(pt, cl)
    assert len(events) == len(pt) + len(cl)
    assert events["source"].value_counts().to_dict() == {"coups_cline": 6, "coups_powell_thyne": 4}
    assert events["year"].is_monotonic_increasing
    pt_rows = events[events["source"] == "coups_powell_thyne"]
    assert pt_rows["event_type"].isna().all() and pt_rows["source_id"].isna().all()
    cl_rows = events[events["source"] == "coups_cline"]
    assert cl_rows["outcome"].isna().all()
    assert cl_rows["realized"].sum() == 2 and pt_rows["realized"].sum() == 2
    phl = events[events["country_iso3"] == "PHL"]
    assert set(phl["source"]) == {"coups_powell_thyne", "coups_cline"}
    # the unknown-day Cline event keeps its month precision
    unknown_day = events[events["source_id"] == "84006002004"].iloc[0]
    assert pd.isna(unknown_day["date"]) and unknown_day["date_precision"] == "month"
    assert events.loc[
        events["source"] == "coups_powell_thyne", "source_record"
    ].sort_values().tolist() == [0, 1, 2, 3]


def test_a_coup_dated_in_the_future_is_refused(conflict_dir, tmp_path):
    text = (conflict_dir / "pt_coups_mini.tsv").read_text()
    bad = tmp_path / "pt_future.tsv"
    bad.write_text(text.replace("\t2001\t2\t3\t", "\t2030\t2\t3\t"))
    with pytest.raises(DataValidationError, match=r"record 0, column 'date'.*not_after_today"):
        load_coups_powell_thyne(bad)
