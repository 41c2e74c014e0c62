"""NGA ASAM loaders on the real files: facts from the mirror MANIFEST (§1a, §2c)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point

from osa_analysis.sources.loaders import asam
from osa_analysis.sources.loaders.asam_subregions import load_asam_subregions

pytestmark = pytest.mark.mirror


@pytest.fixture(scope="module")
def msi(real_file):
    return asam.load_asam_msi(real_file("asam_msi_csv"))


@pytest.fixture(scope="module")
def arcgis(real_file):
    return asam.load_asam_arcgis(real_file("asam_arcgis_csv"))


@pytest.fixture(scope="module")
def lephare(real_file):
    return asam.load_asam_lephare(real_file("asam_lephare_json"))


@pytest.fixture(scope="module")
def full(real_file):
    return asam.load_asam(
        real_file("asam_msi_csv"), real_file("asam_arcgis_csv"), real_file("asam_lephare_json")
    )


@pytest.fixture(scope="module")
def subregions(real_file):
    return load_asam_subregions(real_file("asam_subregions"))


def test_msi_rows_dates_and_positions(msi):
    assert len(msi) == 8642
    assert msi["date"].min() == pd.Timestamp("1978-05-01")
    assert msi["date"].max() == pd.Timestamp("2022-06-01")
    # the DMS regex parses every position, 456 parts of which equal 60
    assert (msi["position_status"] == "ok").all()
    assert msi["position_text"].str.count(r"°60'|'60(?:\.0+)?\"").sum() == 456
    assert msi["latitude"].between(-90, 90).all() and msi["longitude"].between(-180, 180).all()


def test_msi_empty_fields_and_duplicates(msi):
    assert msi["hostility"].isna().sum() == 518
    assert msi["victim"].isna().sum() == 287
    assert msi["nav_area"].isna().sum() == 3
    assert msi["reference"].nunique() == 8640
    flagged = msi.loc[msi["duplicate_record"], "reference"]
    assert sorted(flagged) == ["2021-161", "2021-207"]


def test_arcgis_matches_msi_on_every_reference(msi, arcgis):
    assert len(arcgis) == 8185
    assert arcgis["date"].min() == pd.Timestamp("1978-05-01")
    assert arcgis["date"].max() == pd.Timestamp("2020-11-11")
    assert arcgis["reference"].isin(msi["reference"]).all()
    both = arcgis.merge(msi.drop_duplicates("reference"), on="reference", suffixes=("_arc", "_msi"))
    assert len(both) == 8185
    assert (both["date_arc"] == both["date_msi"]).all()
    assert (both["latitude_arc"] - both["latitude_msi"]).abs().max() < 1e-5
    assert (both["longitude_arc"] - both["longitude_msi"]).abs().max() < 1e-5


def test_arcgis_codes(arcgis):
    assert arcgis["hostility_type_code"].isna().sum() == 25
    assert arcgis["victim_code"].isna().sum() == 27
    assert arcgis["hostility_type_code"].dropna().between(1, 10).all()
    assert arcgis["victim_code"].dropna().between(1, 13).all()


def test_lephare_rows_and_overlap_with_msi(msi, lephare):
    assert len(lephare) == 677
    assert lephare["date"].min() == pd.Timestamp("2022-01-01")
    assert lephare["date"].max() == asam.SERIES_END
    assert set(lephare["lephare_type"]) == {
        "boarding",
        "drone-strike",
        "seizure",
        "hijack",
        "gps-jamming",
        "mine",
    }
    assert lephare["victim"].isna().sum() == 150
    assert lephare["hostility"].isna().sum() == 384
    both = lephare.merge(msi, on="reference", suffixes=("_lp", "_msi"))
    assert len(both) == 137
    assert (both["date_lp"] == both["date_msi"]).all()
    assert (both["description_lp"] == both["description_msi"]).all()
    tolerance = 0.0005 + 1e-9  # 3-dp rounding
    assert (both["latitude_lp"] - both["latitude_msi"]).abs().max() <= tolerance
    assert (both["longitude_lp"] - both["longitude_msi"]).abs().max() <= tolerance


def test_full_series(full):
    assert len(full) == 9182  # 8 642 MSI + 540 le-phare-only
    assert full["reference"].nunique() == 9180
    assert (~full["duplicate_record"]).sum() == 9180
    assert full["date"].min() == pd.Timestamp("1978-05-01")
    assert full["date"].max() == pd.Timestamp("2024-06-25")
    assert full["source"].value_counts().to_dict() == {
        "asam_msi_csv": 8642,
        "asam_lephare_json": 540,
    }
    assert full["sources"].value_counts().to_dict() == {
        "asam_msi_csv;asam_arcgis_csv": 8185,
        "asam_msi_csv": 320,
        "asam_msi_csv;asam_lephare_json": 137,
        "asam_lephare_json": 540,
    }
    # ArcGIS codes filled by reference: 8 185 references, less 25 / 27 empty codes
    assert full["hostility_type_code"].notna().sum() == 8185 - 25
    assert full["victim_code"].notna().sum() == 8185 - 27
    assert full["lephare_type"].notna().sum() == 677
    assert (full["position_status"] == "ok").all()


def test_subregions(subregions):
    assert len(subregions) == 53
    assert subregions["subreg"].is_unique
    split = subregions.loc[subregions.geom_type == "MultiPolygon", "subreg"]
    assert sorted(split) == ["16", "41", "76", "83", "96"]
    fiji_83 = subregions.set_index("subreg").geometry["83"]
    assert fiji_83.contains(Point(178.44, -18.14))  # Suva
    assert fiji_83.contains(Point(-179.9, -16.5))  # east of the antimeridian


def test_every_msi_incident_lies_in_its_own_subregion(msi, subregions):
    # the incidents' subreg codes are the polygons' codes; 6 points lie exactly on a border
    own = subregions.set_index("subreg").geometry.reindex(msi["subreg"]).to_numpy()
    points = gpd.points_from_xy(msi["longitude"], msi["latitude"])
    assert shapely.intersects(own, points).all()
