"""Unit tests for the V-Dem loaders, on tiny synthetic fixtures."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from osa_analysis.core.countries import UnmappedCodeWarning
from osa_analysis.core.validation import DataFormatError, DataValidationError
from osa_analysis.sources.loaders.governance import load_vdem_ert, load_vdem_indices, vdem_episodes


@pytest.fixture
def gov_dir(fixtures: Path) -> Path:
    return fixtures / "governance"


def _rewrite(src: Path, dest: Path, old: str, new: str) -> Path:
    text = src.read_text()
    assert old in text, f"fixture has no {old!r}"
    dest.write_text(text.replace(old, new, 1))
    return dest


# --------------------------------------------------------------------------------------------
# ERT
# --------------------------------------------------------------------------------------------


def test_ert_types_labels_and_na_strings(gov_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnmappedCodeWarning)  # DDR is a known historical unit
        ert = load_vdem_ert(gov_dir / "vdem_ert_mini.csv")
    assert len(ert) == 11
    assert "Unnamed: 0" not in ert.columns and "" not in ert.columns
    assert len(ert.columns) == 41 + 2  # renamed data columns + country_iso3 + regime_label
    assert ert.columns[:5].tolist() == [
        "country_iso3", "vdem_code", "country_name", "vdem_country_id", "year",
    ]  # fmt: skip
    phl21 = ert.loc[2]
    assert phl21["country_iso3"] == "PHL" and phl21["year"] == 2021
    assert phl21["regime"] == 1 and phl21["regime_label"] == "electoral autocracy"
    assert phl21["polyarchy"] == pytest.approx(0.455)
    assert phl21["polyarchy_low"] == pytest.approx(0.425)
    assert phl21["reg_trans"] == -1 and phl21["aut_founding_election_year"] == 2021
    assert phl21["aut_ep"] and not phl21["dem_ep"]
    assert phl21["aut_ep_potential_regime_change"]
    # NA strings are NA, not 0
    assert pd.isna(phl21["dem_founding_election_year"]) and pd.isna(phl21["dem_ep_id"])
    assert pd.isna(ert.loc[0, "row_regch_censored"])
    # historical unit: no ISO3, V-Dem code kept; a year with NA regime/indices stays NA
    ddr = ert[ert["vdem_code"] == "DDR"]
    assert ddr["country_iso3"].isna().all()
    assert pd.isna(ddr.loc[10, "regime"]) and pd.isna(ddr.loc[10, "regime_label"])
    assert pd.isna(ddr.loc[10, "polyarchy"])
    assert ert["regime"].dtype == "Int64" and ert["year"].dtype == "int64"
    assert ert["dem_ep"].dtype == "bool" and ert["row_regch_censored"].dtype == "boolean"
    assert ert["dem_ep_start_year"].dtype == "Int64"


def test_ert_without_row_number_column_is_accepted(gov_dir, tmp_path):
    src = gov_dir / "vdem_ert_mini.csv"
    lines = src.read_text().splitlines()
    stripped = tmp_path / "ert.csv"
    stripped.write_text("\n".join(line.split(",", 1)[1] for line in lines) + "\n")
    pd.testing.assert_frame_equal(load_vdem_ert(stripped), load_vdem_ert(src))


def test_vdem_episodes_one_row_per_episode_with_outcomes(gov_dir):
    episodes = vdem_episodes(load_vdem_ert(gov_dir / "vdem_ert_mini.csv"))
    assert len(episodes) == 3
    by_id = episodes.set_index("episode_id")
    phl = by_id.loc["PHL_2021_2022"]
    assert phl["kind"] == "autocratization" and phl["country_iso3"] == "PHL"
    assert (phl["start_year"], phl["end_year"]) == (2021, 2022)
    assert phl["outcome"] == "democratic breakdown" and phl["censored"]
    assert phl["termination"] == "ongoing"
    idn = by_id.loc["IDN_1998_2000"]
    assert idn["kind"] == "democratization"
    assert (idn["start_year"], idn["end_year"]) == (1998, 2000)
    assert idn["outcome"] == "democratic transition" and idn["termination"] == "stasis"
    assert not idn["censored"] and idn["potential_regime_change"]
    ddr = by_id.loc["DDR_1990_1990"]
    assert ddr["outcome_code"] == 6 and pd.isna(ddr["outcome"])  # outcome censored
    assert pd.isna(ddr["country_iso3"]) and ddr["vdem_code"] == "DDR"


def test_ert_missing_column_and_bad_values(gov_dir, tmp_path):
    src = gov_dir / "vdem_ert_mini.csv"
    bad = _rewrite(src, tmp_path / "ert.csv", '"v2x_regime"', '"regime"')
    with pytest.raises(DataFormatError, match=r"ert\.csv.*v2x_regime"):
        load_vdem_ert(bad)
    # record 0: regime 7 is not a Regimes of the World category
    bad = _rewrite(src, tmp_path / "ert2.csv", '"Philippines",2019,2,', '"Philippines",2019,7,')
    with pytest.raises(DataValidationError) as info:
        load_vdem_ert(bad)
    failures = info.value.failures
    assert ((failures["record"] == 0) & (failures["column"] == "regime")).any()
    # record 1: polyarchy above 1
    bad = _rewrite(src, tmp_path / "ert3.csv", "2020,2,0.498", "2020,2,1.498")
    with pytest.raises(DataValidationError, match=r"record 1, column 'polyarchy'"):
        load_vdem_ert(bad)
    # an unparseable number names the record and column
    bad = _rewrite(src, tmp_path / "ert4.csv", "2020,2,0.498", "2020,2,high")
    with pytest.raises(DataValidationError, match=r"record 1, column 'polyarchy'.*high"):
        load_vdem_ert(bad)


# --------------------------------------------------------------------------------------------
# Indices
# --------------------------------------------------------------------------------------------


def test_indices_subset_empty_cells_are_na(gov_dir):
    idx = load_vdem_indices(gov_dir / "vdem_indices_mini.csv")
    assert idx.columns.tolist() == [
        "country_iso3", "vdem_code", "vdem_country_id", "country_name", "year", "polyarchy",
        "libdem", "partipdem", "delibdem", "egaldem", "regime", "regime_label",
    ]  # fmt: skip
    assert idx["country_iso3"].tolist() == ["BGD", "BGD", "MNG", "MNG"]
    assert pd.isna(idx.loc[0, "libdem"]) and pd.isna(idx.loc[1, "partipdem"])
    assert idx.loc[0, "polyarchy"] == pytest.approx(0.254)
    assert idx.loc[2, "regime_label"] == "electoral democracy"
    assert idx["libdem"].dtype == "float64" and idx["regime"].dtype == "Int64"


def test_indices_official_core_wide_file_selects_columns(gov_dir):
    idx = load_vdem_indices(gov_dir / "vdem_core_wide_mini.csv")
    assert len(idx) == 4 and len(idx.columns) == 12
    assert idx.loc[1, "country_iso3"] == "FJI" and idx.loc[1, "year"] == 2024
    assert idx.loc[1, "polyarchy"] == pytest.approx(0.533)
    assert idx.loc[1, "egaldem"] == pytest.approx(0.401)
    assert pd.isna(idx.loc[2, "country_iso3"]) and idx.loc[2, "vdem_code"] == "DDR"
    assert pd.isna(idx.loc[2, "partipdem"])  # "NA" is missing too
    assert pd.isna(idx.loc[3, "regime"]) and pd.isna(idx.loc[3, "regime_label"])
    assert idx.loc[3, "country_iso3"] == "TLS"


def test_indices_missing_column_and_bad_value(gov_dir, tmp_path):
    src = gov_dir / "vdem_indices_mini.csv"
    bad = _rewrite(src, tmp_path / "idx.csv", "v2x_egaldem", "v2x_egal")
    with pytest.raises(DataFormatError, match=r"idx\.csv.*v2x_egaldem"):
        load_vdem_indices(bad)
    bad = _rewrite(
        src, tmp_path / "idx2.csv", "Mongolia,MNG,89,2021,0.623", "Mongolia,MNG,89,2021,1.623"
    )
    with pytest.raises(DataValidationError, match=r"record 3, column 'polyarchy'"):
        load_vdem_indices(bad)
