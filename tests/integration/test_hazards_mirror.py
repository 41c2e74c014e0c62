"""Tropical cyclone track loaders on the real files (mirror MANIFEST §6 and §8)."""

from __future__ import annotations

import pandas as pd
import pytest

from osa_analysis.harmonise import tracks
from osa_analysis.sources.loaders import ibtracs, imd
from osa_analysis.sources.loaders import jtwc as jtwc_loader

pytestmark = pytest.mark.mirror


@pytest.fixture(scope="module")
def ibtracs_sp(real_file):
    return ibtracs.load_ibtracs(real_file("ibtracs_sp"), source_id="ibtracs_sp")


@pytest.fixture(scope="module")
def ibtracs_l3(real_file):
    return ibtracs.load_ibtracs(real_file("ibtracs_last3years"), source_id="ibtracs_last3years")


@pytest.fixture(scope="module")
def jtwc(real_file):
    return jtwc_loader.load_jtwc_wnp(real_file("jtwc_wnp"))


@pytest.fixture(scope="module")
def imd_obs(real_file):
    return imd.load_imd_observations(real_file("imd_observations"))


def _first_basin(df: pd.DataFrame) -> dict[str, int]:
    first = df.sort_values(["storm_index", "step"]).groupby("storm_id")["basin"].first()
    return first.value_counts().to_dict()


def test_ibtracs_sp_facts(ibtracs_sp):
    df = ibtracs_sp
    assert df["storm_id"].nunique() == 1297
    assert len(df) == 74941  # = sum of numobs; padding cells dropped
    assert _first_basin(df) == {"SP": 1245, "SI": 52}
    assert (df["season"].min(), df["season"].max()) == (1897, 2022)
    assert df["time_utc"].min() == pd.Timestamp("1897-01-04 12:00")
    assert df["time_utc"].max() == pd.Timestamp("2022-05-22 06:00")
    assert (df["time_utc"].dt.second == 0).all()
    assert set(df["wmo_agency"].dropna()) == {"bom", "nadi", "wellington"}
    assert set(df["wind_wmo_avg_period_min"].dropna()) == {10}
    assert df.groupby("storm_id")["track_type"].first().value_counts().to_dict() == {
        "main": 1170,
        "spur-other": 46,
        "spur-merge": 34,
        "spur-split": 27,
        "PROVISIONAL": 20,
    }
    assert df["longitude"].between(-180, 180).all()


def test_ibtracs_last3years_facts(ibtracs_l3):
    df = ibtracs_l3
    assert df["storm_id"].nunique() == 367
    assert len(df) == 21376
    assert (df["season"].min(), df["season"].max()) == (2021, 2024)
    assert df["time_utc"].min() == pd.Timestamp("2021-01-01 00:00")
    assert df["time_utc"].max() == pd.Timestamp("2024-09-22 00:00")
    assert _first_basin(df) == {"WP": 95, "SI": 69, "NA": 68, "EP": 67, "NI": 36, "SP": 32}
    # the North Atlantic code "NA" is text, not a missing value
    assert df["basin"].notna().all() and (df["basin"] == "NA").sum() == 4084
    assert "US-PROVISIONAL" in set(df["track_type"])
    periods = df.groupby("wmo_agency")["wind_wmo_avg_period_min"].first().to_dict()
    assert periods == {
        "atcf": 1,
        "bom": 10,
        "hurdat_atl": 1,
        "hurdat_epa": 1,
        "nadi": 10,
        "newdelhi": 3,
        "reunion": 10,
        "tokyo": 10,
        "wellington": 10,
    }


def test_ibtracs_all_drops_reissued_provisional_storms(real_file):
    df = ibtracs.load_ibtracs_all(real_file("ibtracs_sp"), real_file("ibtracs_last3years"))
    note = df.attrs["ibtracs_overlap"]
    assert note["duplicate_fixes_dropped"] == 0
    assert len(note["reissued_storms_dropped"]) == 17
    assert note["reissued_storms_dropped"]["2021003S17140"] == "2021001S14136"  # IMOGEN
    assert note["fixes_dropped"] == 497
    assert df["storm_id"].nunique() == 1297 + 367 - 17
    sp_after = df[(df["source"] == "ibtracs_sp") & (df["time_utc"] >= "2021-01-01")]
    assert sp_after.empty


def test_jtwc_facts(jtwc):
    df = jtwc
    assert len(df) == 63457
    assert df["storm_id"].nunique() == 2205
    assert df["time_utc"].iloc[0] == pd.Timestamp("1945-04-19 12:00")
    assert df["time_utc"].iloc[-1] == pd.Timestamp("2021-12-17 06:00")  # last row
    assert df["time_utc"].max() == pd.Timestamp("2021-12-21 12:00")  # storm 202128
    assert (df["time_utc"].dt.hour % 6 != 0).sum() == 202
    assert (df["longitude"] < 0).sum() == 410
    assert df["wind_zero"].sum() == 448
    assert df["wind_kt"].isna().sum() == 448 + 31
    assert df.loc[df["wind_zero"], "time_utc"].dt.year.between(1961, 1970).all()
    assert df["pressure_hpa"].isna().sum() == 43901 + 3304 + 1


def test_imd_observations_facts(imd_obs, real_file):
    df = imd_obs
    assert len(df) == 7571
    assert df["storm_id"].nunique() == 428
    assert df["time_utc"].min() == pd.Timestamp("1982-05-01 03:00")
    assert df["time_utc"].max() == pd.Timestamp("2026-01-10 12:00")
    assert df["date_suspect"].sum() == 103 and df["pos_suspect"].sum() == 2
    assert df["intensity_suspect"].sum() == 2  # NADA 2016 shifted cells; oci 4001 in 1992-006
    assert list(df["grade"].cat.categories) == list(imd.IMD_GRADES)
    assert df["grade"].cat.ordered
    assert set(df["basin"]) == {"BOB", "ARB", "LAND"}
    nargis = df[df["storm_id"] == "2008-001"]
    assert nargis["name"].iloc[0] == "NARGIS" and nargis["date_suspect"].sum() == 20
    fixed = imd.load_imd_observations(real_file("imd_observations"), fix_swapped_dates=True)
    nargis = fixed[fixed["storm_id"] == "2008-001"]
    assert nargis["time_utc"].between("2008-04-27", "2008-05-04").all()
    assert fixed["date_swapped"].sum() == 103


def test_imd_workbook_qc_rules_reproduce_the_conversion_flags(real_file):
    """The flags computed for workbook input equal those of the parquet conversion."""
    raw = pd.read_parquet(real_file("imd_observations"))
    dates, _ = imd._imd_flag_dates(raw)
    assert (dates == raw["date_suspect"]).all()
    assert (imd._imd_flag_positions(raw) == raw["pos_suspect"]).all()


def test_imd_storms_remarks_manifest(imd_obs, real_file):
    storms = imd.load_imd_storms(real_file("imd_storms"))
    remarks = imd.load_imd_remarks(real_file("imd_remarks"))
    manifest = imd.load_imd_manifest(real_file("imd_manifest"))
    assert len(storms) == 428 and len(remarks) == 656
    assert (manifest["n_storms"], manifest["n_obs"], manifest["n_remarks"]) == (428, 7571, 656)
    assert (manifest["year_min"], manifest["year_max"]) == (1982, 2026)
    assert (imd_obs["year"].min(), imd_obs["year"].max()) == (1982, 2026)
    assert manifest["source_sha256"].startswith("f29c4ad4ede5")
    assert storms["n_obs"].sum() == 7571
    assert set(remarks["storm_id"]) <= set(storms["storm_id"])
    assert storms["peak_grade"].cat.ordered


def test_tracks_fixes_real(real_file):
    fixes = tracks.tracks_fixes(
        ibtracs_sp_path=real_file("ibtracs_sp"),
        ibtracs_last3years_path=real_file("ibtracs_last3years"),
        jtwc_path=real_file("jtwc_wnp"),
        imd_path=real_file("imd_observations"),
    )
    counts = fixes["agency"].value_counts().to_dict()
    assert counts == {"ibtracs_wmo": 95820, "ibtracs_usa": 68808, "jtwc": 63457, "imd": 7571}
    periods = fixes.groupby("agency")["wind_avg_period_min"].agg(lambda s: set(s.dropna()))
    assert periods.to_dict() == {
        "ibtracs_usa": {1},
        "ibtracs_wmo": {1, 3, 10},
        "imd": {3},
        "jtwc": {1},
    }
    # coverage facts quoted in AGENCY_COVERAGE match the data
    for agency, info in tracks.AGENCY_COVERAGE.items():
        sub = fixes[fixes["agency"] == agency]
        for basin, (start, end) in info["coverage"].items():
            times = sub.loc[sub["basin"] == basin, "time_utc"]
            assert times.min().normalize() == pd.Timestamp(start), (agency, basin)
            assert times.max().normalize() == pd.Timestamp(end), (agency, basin)
    # gaps of MANIFEST §8: nothing in WP/SP after 2024-09-22; SI only from 2021 as a basin
    pacific = fixes[fixes["basin"].isin(["WP", "SP"]) & fixes["agency"].str.startswith("ibtracs")]
    assert pacific["time_utc"].max() <= pd.Timestamp("2024-09-22 23:59")
    assert fixes.loc[fixes["basin"] == "WP", "time_utc"].min() == pd.Timestamp("1945-04-19 12:00")
