"""Unit tests of the approximate EEZ and coastal-state attribution on synthetic islands."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from osa_analysis.core.geo import EARTH_RADIUS_KM
from osa_analysis.core.validation import DataFormatError
from osa_analysis.harmonise import eez as E
from osa_analysis.sources.loaders.geography import lon_extent

NM200_DEG_EQ = 200 * 1.852 / (2 * np.pi * EARTH_RADIUS_KM / 360)  # ≈ 3.331° at the equator


def _countries(rows):
    """Synthetic countries frame: (iso3, geometry) pairs."""
    return gpd.GeoDataFrame(
        {"country_iso3": pd.array([r[0] for r in rows], dtype="string")},
        geometry=[r[1] for r in rows],
        crs="EPSG:4326",
    )


def _land(countries):
    return gpd.GeoDataFrame(
        geometry=shapely.get_parts(np.asarray(countries.geometry.to_numpy(), dtype=object)),
        crs="EPSG:4326",
    )


@pytest.fixture(scope="module")
def two_islands():
    """Two 1° square islands, AAA at 0–1°E and BBB at 3–4°E, on the equator."""
    c = _countries([("AAA", shapely.box(0, 0, 1, 1)), ("BBB", shapely.box(3, 0, 4, 1))])
    return c, E.approximate_eez(c, _land(c))


@pytest.fixture(scope="module")
def dateline():
    """Island AAA straddles 180° (split there, as Natural Earth does); BBB lies at 175–174°W."""
    c = _countries(
        [
            (
                "AAA",
                shapely.MultiPolygon(
                    [shapely.box(179.5, -17.5, 180, -16.5), shapely.box(-180, -17.5, -179.5, -16.5)]
                ),
            ),
            ("BBB", shapely.box(-175, -17.5, -174, -16.5)),
        ]
    )
    return c, E.approximate_eez(c, _land(c))


def test_equidistance_boundary_is_halfway(two_islands):
    _, eez = two_islands
    assert eez["country_iso3"].tolist() == ["AAA", "BBB"]
    a, b = eez.geometry
    shared = shapely.intersection(a, b.buffer(1e-9))
    # between the islands (0 ≤ lat ≤ 1) the boundary is the meridian 2°E
    mid = shapely.get_coordinates(shapely.intersection(shared, shapely.box(1.5, 0, 2.5, 1)))
    assert len(mid) >= 2 and np.ptp(mid[:, 1]) == pytest.approx(1.0)
    assert mid[:, 0] == pytest.approx(2.0, abs=0.005)  # < 0.6 km
    r = E.attribute_coastal_state(
        [0.5, 0.5], [1.95, 2.05], eez, land=_land(two_islands[0]), countries=two_islands[0]
    )
    assert r["coastal_state_iso3"].tolist() == ["AAA", "BBB"]


def test_eez_columns_types_and_method(two_islands):
    _, eez = two_islands
    assert list(eez.columns) == [
        "country_iso3",
        "sovereign_iso3",
        "mrgid",
        "pol_type",
        "area_km2",
        "method",
        "geometry",
    ]
    assert eez.crs == "EPSG:4326"
    assert set(eez.geom_type) == {"MultiPolygon"}
    assert eez["method"].iloc[0].startswith("approx-eez-v2: equidistance")
    assert "not a legal boundary" in eez["method"].iloc[0]
    assert eez["mrgid"].isna().all() and eez["mrgid"].dtype == "Int64"
    # no land inside
    assert shapely.intersection(eez.geometry.iloc[0], shapely.box(0, 0, 1, 1)).area < 1e-9


def test_cap_at_200_nm(two_islands):
    c, eez = two_islands
    # north of island AAA (top edge at 1°N): 190 nm in, 210 nm out
    lat = [1 + NM200_DEG_EQ * 190 / 200, 1 + NM200_DEG_EQ * 210 / 200]
    r = E.attribute_coastal_state(lat, [0.5, 0.5], eez, land=_land(c), countries=c)
    assert r["coastal_state_iso3"].tolist()[0] == "AAA"
    assert pd.isna(r["coastal_state_iso3"].iloc[1])
    assert r["attribution"].tolist() == ["eez", "high_seas"]
    # the outer limit is 370.4 km from the coast (to within 1 km)
    north = eez.geometry.iloc[0].bounds[3]
    assert (north - 1) * 111.195 == pytest.approx(370.4, abs=1.0)
    # a small cap also works (12 nm territorial-sea-like)
    small = E.approximate_eez(c, _land(c), max_nm=12)
    assert (small.geometry.iloc[0].bounds[3] - 1) * 111.195 == pytest.approx(22.2, abs=0.5)
    assert "capped at 12 nm" in small["method"].iloc[0]


def test_area_is_equal_area_km2(two_islands):
    _, eez = two_islands
    # ≈ half-plane arcs around a 111 km square, minus the square, split in the middle
    assert 300_000 < eez["area_km2"].iloc[0] < 600_000
    assert eez["area_km2"].iloc[0] == pytest.approx(eez["area_km2"].iloc[1], rel=1e-3)


def test_antimeridian_island_gets_both_sides(dateline):
    c, eez = dateline
    r = E.attribute_coastal_state(
        [-18.0, -18.0, -16.0], [179.9, -179.9, 180.0], eez, land=_land(c), countries=c
    )
    assert r["coastal_state_iso3"].tolist() == ["AAA", "AAA", "AAA"]
    aaa = eez.set_index("country_iso3").geometry["AAA"]
    west, east = lon_extent(aaa)
    assert west == pytest.approx(179.5 - 3.48, abs=0.05)  # 200 nm at 17°S ≈ 3.48° of lon
    assert east == pytest.approx(182.75, abs=0.01)  # the seam to BBB at 177.25°W
    # equidistance across the seam: coasts at 179.5°W and 175°W -> 177.25°W
    r = E.attribute_coastal_state(
        [-17.0, -17.0], [-177.35, -177.15], eez, land=_land(c), countries=c
    )
    assert r["coastal_state_iso3"].tolist() == ["AAA", "BBB"]


def test_distance_to_shore_one_degree_is_111_km():
    c = _countries([("AAA", shapely.box(0, 0, 10, 10))])
    eez = E.approximate_eez(c, _land(c))
    r = E.attribute_coastal_state(
        pd.Series([11.0, 5.0, np.nan, -2.0], index=[10, 11, 12, 13]),
        pd.Series([5.0, 5.0, 5.0, 5.0], index=[10, 11, 12, 13]),
        eez,
        land=_land(c),
        countries=c,
    )
    assert list(r.index) == [10, 11, 12, 13]
    assert r.loc[10, "distance_to_shore_km"] == pytest.approx(111.2, abs=0.5)
    assert r.loc[13, "distance_to_shore_km"] == pytest.approx(222.4, abs=0.5)
    assert r.loc[10, "inland_km"] == 0.0
    assert bool(r.loc[11, "on_land"]) and not bool(r.loc[10, "on_land"])
    assert r.loc[11, "distance_to_shore_km"] == 0.0
    assert r.loc[11, "inland_km"] == pytest.approx(5 * 111.195 * np.cos(np.radians(5)), rel=0.01)
    assert r.loc[11, "coastal_state_iso3"] == "AAA" and r.loc[11, "attribution"] == "land"
    # NA position -> NA everywhere except the provenance column
    assert r.loc[12, ["coastal_state_iso3", "on_land", "attribution"]].isna().all()
    assert np.isnan(r.loc[12, "distance_to_shore_km"]) and np.isnan(r.loc[12, "inland_km"])
    assert r.loc[12, "eez_method"].startswith("approx-eez-v2")
    assert r["on_land"].dtype == "boolean"
    assert r["coastal_state_iso3"].dtype == "string"


def test_dateline_cut_is_not_shore():
    """NE's polygon edges along ±180° are a cut through land, not coast."""
    c = _countries(
        [
            (
                "AAA",
                shapely.MultiPolygon(
                    [shapely.box(178, -18, 180, -16), shapely.box(-180, -18, -178, -16)]
                ),
            )
        ]
    )
    att = E.coastal_attributor(E.approximate_eez(c, _land(c)), _land(c), c)
    r = att.attribute(np.array([-17.0]), np.array([179.99]))
    assert bool(r["on_land"].iloc[0])
    assert r["inland_km"].iloc[0] == pytest.approx(2 * 111.195 * np.cos(np.radians(17)), rel=0.02)


def test_default_eez_is_computed_once_and_cached(monkeypatch, tmp_path, two_islands):
    c, eez = two_islands
    calls = []

    def fake_compute(countries, land, max_nm):
        calls.append(max_nm)
        return eez

    monkeypatch.setenv("OSA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(E, "_compute_approximate_eez", fake_compute)
    monkeypatch.setattr(E, "load_world_atlas_countries", lambda: c)
    monkeypatch.setattr(E, "load_world_atlas_land", lambda: _land(c))
    first = E.load_approximate_eez()
    assert calls == [200]
    assert len(list((tmp_path / "tables").glob("approx_eez_200nm-*.geoparquet"))) == 1
    second = E.load_approximate_eez()  # from GeoParquet, not recomputed
    assert calls == [200]
    assert second["country_iso3"].tolist() == first["country_iso3"].tolist()
    assert second.geometry.iloc[0].equals(first.geometry.iloc[0])


def _marine_regions_frame():
    return gpd.GeoDataFrame(
        {
            "MRGID": [90001, 90002, 90003],
            "GEONAME": ["Synthetic EEZ A", "Synthetic EEZ B", "Synthetic overlap"],
            "POL_TYPE": ["200NM", "200NM", "Overlapping claim"],
            "ISO_TER1": ["PHL", "FJI", "PHL"],
            "ISO_SOV1": ["PHL", "FJI", "PHL"],
            "AREA_KM2": [1000, 2000, 30],
        },
        geometry=[
            shapely.box(119, 10, 123, 14),
            shapely.MultiPolygon(
                [shapely.box(178, -19, 180, -15), shapely.box(-180, -19, -178, -15)]
            ),
            shapely.box(115, 10, 116, 11),
        ],
        crs="EPSG:4326",
    )


def test_marine_regions_geopackage_via_env_var(monkeypatch, tmp_path):
    gpkg = tmp_path / "eez_v12_synthetic.gpkg"
    _marine_regions_frame().to_file(gpkg, layer="eez_v12", engine="pyogrio")
    monkeypatch.setenv(E.EEZ_ENV_VAR, str(gpkg))
    eez = E.load_eez()
    assert eez["method"].unique().tolist() == ["Marine Regions World EEZ v12 (user-supplied)"]
    assert eez["country_iso3"].tolist() == ["PHL", "FJI", "PHL"]
    assert eez["mrgid"].tolist() == [90001, 90002, 90003]
    assert eez["area_km2"].tolist() == [1000.0, 2000.0, 30.0]
    assert eez["pol_type"].tolist() == ["200NM", "200NM", "Overlapping claim"]
    land = gpd.GeoDataFrame(geometry=[shapely.box(120, 11, 121, 12)], crs="EPSG:4326")
    countries = _countries([("PHL", shapely.box(120, 11, 121, 12))])
    r = E.attribute_coastal_state(
        [13.0, -17.0, -17.0, 0.0],
        [122.0, 179.9, -179.9, 150.0],
        eez,
        land=land,
        countries=countries,
    )
    assert r["coastal_state_iso3"].tolist()[:3] == ["PHL", "FJI", "FJI"]
    assert pd.isna(r["coastal_state_iso3"].iloc[3])
    assert (r["eez_method"] == "Marine Regions World EEZ v12 (user-supplied)").all()


def test_marine_regions_zip_picks_the_eez_polygons(tmp_path):
    folder = tmp_path / "World_EEZ_v12_20231025_LR"
    folder.mkdir()
    _marine_regions_frame().to_file(folder / "eez_v12_lowres.shp", engine="pyogrio")
    lines = gpd.GeoDataFrame(
        {"LINE_ID": [1]}, geometry=[shapely.LineString([(0, 0), (1, 1)])], crs="EPSG:4326"
    )
    lines.to_file(folder / "eez_boundaries_v12_lowres.shp", engine="pyogrio")
    archive = tmp_path / "World_EEZ_v12_20231025_LR.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in folder.iterdir():
            zf.write(f, f"{folder.name}/{f.name}")
    eez = E.load_eez(eez_path=archive)
    assert len(eez) == 3 and eez["country_iso3"].iloc[1] == "FJI"


def test_marine_regions_missing_column(tmp_path):
    gpkg = tmp_path / "not_eez.gpkg"
    _marine_regions_frame().drop(columns=["ISO_TER1"]).to_file(gpkg, engine="pyogrio")
    with pytest.raises(DataFormatError, match=r"not_eez\.gpkg.*ISO_TER1"):
        E.load_marine_regions_eez(gpkg)


# --- the border zone of attributed positions ------------------------------------------------------


def test_destination_lies_at_its_distance_and_bearing():
    from osa_analysis.core.geo import destination, haversine_km

    lat, lon = destination(np.array([1.0, 60.0]), np.array([179.9, 10.0]), [90.0, 0.0], 20.0)
    assert haversine_km(np.array([1.0, 60.0]), np.array([179.9, 10.0]), lat, lon) == (
        pytest.approx([20.0, 20.0])
    )
    assert lon[0] < -179.6 and lat[1] > 60.0  # east across 180°, north along the meridian


def test_positions_near_another_eez_name_that_state(two_islands, monkeypatch):
    from osa_analysis.harmonise import incidents as inc

    c, eez = two_islands  # the median line between AAA and BBB is at 2°E
    attributor = E.coastal_attributor(eez, _land(c), c)
    monkeypatch.setattr(inc, "attribute_coastal_state", attributor.attribute)
    reports = pd.DataFrame(
        {
            "latitude": [0.5, 0.5, 0.5, 0.5, 0.5],
            # 16.7 km west of the line, 55 km west, 11 km east, coarse, gray-zone
            "longitude": [1.85, 1.5, 2.1, 1.85, 1.85],
            "position_precision_deg": [1 / 60, 1 / 60, 1e-4, 1.0, 1e-4],
            "source": ["asam_msi_csv"] * 3 + ["recaap_imb_live", "scsdi_geocoded"],
        }
    )
    geo = attributor.attribute(reports["latitude"], reports["longitude"])
    reports["coastal_state_iso3"] = geo["coastal_state_iso3"]
    out = inc._border_zone(reports)
    assert out["coastal_state_iso3"].tolist() == ["AAA", "AAA", "BBB", "AAA", "AAA"]
    assert out["border_states"].tolist()[:3] == ["BBB", pd.NA, "AAA"]
    assert out["border_states"].iloc[3:].isna().all()  # coarse and gray-zone rows: not tested
