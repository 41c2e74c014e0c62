"""Unit tests of the geography loaders on tiny synthetic fixtures (tests/fixtures/geography)."""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from osa_analysis.core.validation import DataFormatError, DataValidationError
from osa_analysis.sources.loaders import geography as geo


@pytest.fixture
def geodir(fixtures):
    return fixtures / "geography"


def test_ne_countries_codes_from_adm0_a3_not_iso_a3(geodir):
    c = geo.load_ne_countries(geodir / "ne_countries.geojson")
    assert list(c.columns) == [
        "country_iso3",
        "adm0_a3",
        "iso_a3_raw",
        "name",
        "sovereignt",
        "sovereign_iso3",
        "iso_n3",
        "region_wb",
        "subregion",
        "pop_est",
        "geometry",
    ]
    assert c.crs == "EPSG:4326"
    assert list(c.index) == [0, 1, 2, 3, 4, 5]
    assert c["country_iso3"].tolist()[:1] == ["FRA"]  # ISO_A3 is "-99" for France
    assert c.loc[0, "iso_a3_raw"] == "-99"
    assert c.loc[3, "country_iso3"] == "SSD"  # NE's SDS via ISO_A3
    assert c.loc[4, "country_iso3"] == "XKX"  # NE's KOS
    assert pd.isna(c.loc[1, "country_iso3"])  # ATC has no ISO code ...
    assert c.loc[1, "sovereign_iso3"] == "AUS"  # ... but its sovereign has
    assert c.loc[0, "sovereign_iso3"] == "FRA"  # FR1 -> home part FRA
    assert pd.isna(c.loc[4, "iso_n3"])  # "-99"
    assert c.loc[1, "iso_n3"] == "036"
    assert pd.isna(c.loc[2, "pop_est"])  # -99 -> NA, never a number
    assert c.loc[4, "pop_est"] == 75.5
    assert c["country_iso3"].dtype == "string"
    assert c["pop_est"].dtype == "float64"


def test_ne_countries_accepts_zipped_shapefile_with_lower_case_names(geodir, tmp_path):
    src = gpd.read_file(geodir / "ne_countries.geojson")
    src = src.rename(columns={c: c.lower() for c in src.columns if c != "geometry"})
    shp = tmp_path / "ne_50m_admin_0_countries.shp"
    src.to_file(shp, engine="pyogrio")
    archive = tmp_path / "ne_50m_admin_0_countries.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in tmp_path.glob("ne_50m_admin_0_countries.*"):
            if part != archive:
                zf.write(part, part.name)
    c = geo.load_ne_countries(archive)
    assert c["country_iso3"].tolist()[:1] == ["FRA"]
    assert c.loc[3, "country_iso3"] == "SSD"
    assert c.crs == "EPSG:4326"


def test_ne_countries_missing_column_names_file_and_column(geodir, tmp_path):
    data = json.loads((geodir / "ne_countries.geojson").read_text())
    for feature in data["features"]:
        del feature["properties"]["ADM0_A3"]
    bad = tmp_path / "no_adm0.geojson"
    bad.write_text(json.dumps(data))
    with pytest.raises(DataFormatError, match=r"no_adm0\.geojson.*ADM0_A3"):
        geo.load_ne_countries(bad)


def test_ne_countries_bad_value_names_record_and_column(geodir, tmp_path):
    data = json.loads((geodir / "ne_countries.geojson").read_text())
    data["features"][3]["properties"]["POP_EST"] = -5
    bad = tmp_path / "bad_pop.geojson"
    bad.write_text(json.dumps(data))
    with pytest.raises(DataValidationError) as info:
        geo.load_ne_countries(bad)
    failures = info.value.failures
    assert failures[["record", "column"]].values.tolist() == [[3, "pop_est"]]
    assert "bad_pop.geojson" in str(info.value)


def test_ne_land_and_coastline(geodir):
    land = geo.load_ne_land(geodir / "ne_land.geojson")
    assert len(land) == 3
    assert land["scalerank"].tolist() == [0, 1, 1]
    assert land["scalerank"].dtype == "Int64"
    assert land["min_zoom"].tolist() == [1.5, 4.0, 4.0]
    assert set(land.geom_type) == {"Polygon"}
    coast = geo.load_ne_coastline(geodir / "ne_coastline.geojson")
    assert coast["featurecla"].tolist() == ["Coastline", "Coastline"]
    assert set(coast.geom_type) == {"LineString"}
    assert coast.crs == "EPSG:4326"


def test_maritime_lines_keep_type_labels(geodir):
    lines = geo.load_ne_maritime_lines(geodir / "ne_maritime_lines.geojson")
    assert lines["line_type"].tolist() == ["indicative median", "treaty", "200 nm", "disputed"]
    assert lines["featurecla"].iloc[2] == "Marine Indicator 200 mi nl"
    assert pd.isna(lines["note"].iloc[3]) and lines["comment"].iloc[3] == "Synthetic ruling 2099"
    assert pd.isna(lines["comment"].iloc[0])


def test_maritime_lines_unknown_class_is_reported(geodir, tmp_path):
    data = json.loads((geodir / "ne_maritime_lines.geojson").read_text())
    data["features"][1]["properties"]["featurecla"] = "Marine Indicator Synthetic"
    bad = tmp_path / "bad_lines.geojson"
    bad.write_text(json.dumps(data))
    with pytest.raises(DataValidationError) as info:
        geo.load_ne_maritime_lines(bad)
    assert {(1, "featurecla"), (1, "line_type")} <= set(
        map(tuple, info.value.failures[["record", "column"]].values.tolist())
    )


def test_disputed_areas(geodir):
    d = geo.load_ne_disputed_areas(geodir / "ne_disputed_areas.geojson")
    assert d["name"].tolist() == ["Synthetic Shoal", "Synthetic Isle"]
    assert d["area_type"].tolist() == ["Indeterminate", "Disputed"]
    assert d["sov_a3"].tolist() == ["SYS", "FR1"]
    assert pd.isna(d.loc[1, "note"])  # empty string -> NA
    assert d.geom_type.tolist() == ["Polygon", "MultiPolygon"]


def test_world_atlas_countries_ids_and_shared_036(geodir):
    w = geo.load_world_atlas_countries(geodir / "world_atlas_countries.json")
    assert w.crs == "EPSG:4326"  # the TopoJSON has no CRS
    assert w["iso_n3"].tolist()[:4] == ["242", "608", "036", "036"]
    assert len(w) == 6
    assert w["country_iso3"].tolist()[:3] == ["FJI", "PHL", "AUS"]
    assert pd.isna(w.loc[3, "country_iso3"])  # Ashmore and Cartier Is. resolved by name
    assert pd.isna(w.loc[4, "country_iso3"]) and pd.isna(w.loc[4, "iso_n3"])  # no id
    # quantized arcs are decoded to degrees
    assert w.loc[1, "geometry"].bounds == pytest.approx((120, 10, 122, 12))
    assert w.loc[5, "country_iso3"] == "ATA"


def test_world_atlas_spherical_rings_are_cut_at_the_antimeridian(geodir):
    w = geo.load_world_atlas_countries(geodir / "world_atlas_countries.json")
    assert w.is_valid.all()
    fiji = w.loc[0, "geometry"]  # a ring 179°E -> 179°W read naively spans the globe
    assert fiji.area == pytest.approx(2.0 + 0.25)
    assert geo.lon_extent(fiji) == pytest.approx((177.0, 181.0))
    ata = w.loc[5, "geometry"]  # a ring around the South Pole is closed along it
    assert ata.bounds == pytest.approx((-180, -90, 180, -80))
    assert ata.area == pytest.approx(3600.0)


def test_world_atlas_land(geodir):
    land = geo.load_world_atlas_land(geodir / "world_atlas_land.json")
    assert len(land) == 1 and list(land.columns) == ["geometry"]
    assert land.geometry.iloc[0].area == pytest.approx(2.0 + 4.0)  # cut Fiji + a square
    assert land.is_valid.all()


def test_country_bounds_wrap_the_antimeridian(geodir):
    c = geo.load_ne_countries(geodir / "ne_countries.geojson")
    assert geo.country_bounds("FJI", c) == pytest.approx((177.0, -18.0, 181.0, -16.0))
    assert geo.country_bounds("FRA", c) == pytest.approx((0.0, 40.0, 2.0, 42.0))
    assert geo.country_bounds("ATC", c)[0] == pytest.approx(123.0)  # by adm0_a3
    with pytest.raises(KeyError):
        geo.country_bounds("ZZZ", c)


def test_to_pacific_longitudes_moves_western_parts():
    s = gpd.GeoSeries(
        [
            shapely.MultiPolygon(
                [shapely.box(179, -17, 180, -16), shapely.box(-180, -17, -179, -16)]
            ),
            shapely.box(-10, 50, 10, 52),  # crosses 0°: split there in the 0–360 view
        ],
        crs="EPSG:4326",
    )
    p = geo.to_pacific_longitudes(s)
    assert p.iloc[0].bounds == pytest.approx((179, -17, 181, -16))
    assert p.iloc[0].area == pytest.approx(2.0)
    assert p.iloc[1].area == pytest.approx(40.0)
    assert p.iloc[1].bounds == pytest.approx((0, 50, 360, 52))
    shifted = geo.shift_longitudes(s, west=-30.0)
    assert shifted.iloc[1].bounds == pytest.approx((-10, 50, 10, 52))  # untouched


def test_lon_extent_picks_largest_gap():
    parts = [
        shapely.box(170, 0, 175, 1),
        shapely.box(-175, 0, -170, 1),
        shapely.box(178, 0, 180, 1),
    ]
    assert geo.lon_extent(np.array(parts, dtype=object)) == pytest.approx((170, 190))
    assert geo.lon_extent(shapely.box(-5, 0, 5, 1)) == pytest.approx((-5, 5))
