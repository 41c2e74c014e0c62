"""Presentation of sections 3 and 4: wording, maps, figure colours, sections on tiny stores."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from osa_analysis.analyse.grayzone import OTHER_PAIRS, TOP_PAIRS
from osa_analysis.analyse.maritime import border_zone_counts, rate_ratio_dict
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore
from osa_analysis.brief import incident_wording as w
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.grayzone import grayzone_section
from osa_analysis.brief.maps import (
    Extent,
    IsotropicKDE,
    MapLayers,
    country_extent,
    incident_map,
    kde_layer,
    map_longitudes,
    points_extent,
    points_in_window,
)
from osa_analysis.brief.maritime import CYCLONE_SECTION, maritime_section
from osa_analysis.brief.maritime_figures import OTHER_COLOR, PAIR_COLORS, pair_colors
from osa_analysis.brief.style import png_bytes
from osa_analysis.core.stats import rate_ratio

AS_OF = "2026-08-09"
PAR = "piracy_armed_robbery"


# --------------------------------------------------------------------------- wording


def test_number_words():
    assert w.count_noun(1, "event") == "1 event" and w.count_noun(3, "event") == "3 events"
    assert w.year_span(2021, 2021) == "2021" and w.year_span(2019, 2023) == "2019 to 2023"
    assert w.capitalised("the Philippines") == "The Philippines" and w.capitalised("") == ""


def test_rate_ratio_text_handles_zeros():
    assert w.rate_ratio_text(rate_ratio_dict(rate_ratio(0, 0))).startswith("not defined")
    assert w.rate_ratio_text(rate_ratio_dict(rate_ratio(0, 3))) == "0 (95% CI 0–2.42)"
    assert w.rate_ratio_text(rate_ratio_dict(rate_ratio(3, 0))).startswith("not finite")
    assert w.rate_ratio_text(rate_ratio_dict(rate_ratio(9, 4))) == "2.25 (95% CI 0.63–10.00)"


def test_cyclone_section_is_the_exposure_section():
    assert CYCLONE_SECTION == registry.number("exposure") == 8


def test_pair_colours():
    assert len(PAIR_COLORS) == TOP_PAIRS
    assert pair_colors(["CHN–PHL", "PHL alone"]) == {
        "CHN–PHL": PAIR_COLORS[0],
        "PHL alone": PAIR_COLORS[1],
        OTHER_PAIRS: OTHER_COLOR,
    }


# --------------------------------------------------------------------------- maps


def test_isotropic_kde_is_a_mean_of_circular_gaussians():
    rng = np.random.default_rng(7)
    data = rng.normal(size=(2, 12)) * [[40.0], [10.0]]
    h = 25.0
    kde = IsotropicKDE(data, h)
    pts = np.array([[0.0, 30.0, -50.0], [0.0, 5.0, 20.0]])
    d2 = ((pts[:, None, :] - data[:, :, None]) ** 2).sum(axis=0)
    expected = np.exp(-d2 / (2 * h * h)).mean(axis=0) / (2 * math.pi * h * h)
    assert kde(pts) == pytest.approx(expected, rel=1e-9)
    assert np.allclose(kde.covariance, np.eye(2) * h * h)
    with pytest.raises(ValueError):
        IsotropicKDE(data, 0.0)


def test_kde_layer_states_its_bandwidth_and_needs_five_points():
    extent = Extent(120.0, 10.0, 124.0, 14.0)
    few = kde_layer(np.array([121.0, 122.0]), np.array([11.0, 12.0]), extent, 30.0)
    assert few["applied"] is False and few["reason"] == "fewer than 5 positions"
    lon = np.array([121.0, 121.1, 121.2, 122.0, 123.0])
    lat = np.array([12.0, 12.1, 12.0, 12.5, 11.0])
    out = kde_layer(lon, lat, extent, 30.0)
    assert out["applied"] is True and out["bandwidth_km"] == 30.0 and out["n_points"] == 5
    mlon, mlat, dens = out["_grid"]
    assert dens.shape == mlon.shape == mlat.shape
    assert (dens >= 0).all()


def test_antimeridian_extent_uses_0_to_360_longitudes():
    fiji = Extent(171.0, -26.0, 185.0, -8.0)
    assert fiji.shifted and not Extent(100.0, 0.0, 120.0, 10.0).shifted
    assert fiji.centre == pytest.approx((178.0, -17.0))
    assert Extent(176.0, -20.0, 190.0, -10.0).centre[0] == pytest.approx(-177.0)
    assert map_longitudes(np.array([178.0, -179.5]), fiji).tolist() == [178.0, 180.5]
    assert map_longitudes(np.array([-179.5]), Extent(100, 0, 120, 10)).tolist() == [-179.5]
    assert Extent(0, 0, 1, 1).union(Extent(-1, 2, 3, 4)) == Extent(-1, 0, 3, 4)


def test_points_in_window_count_positions_and_shift_longitudes():
    points = pd.DataFrame(
        {
            "longitude": [178.0, -179.5, 150.0, np.nan],
            "latitude": [-17.0, -16.0, -17.0, -17.0],
            "group": ["a", "a", "b", "b"],
        }
    )
    pts, shown, n_without = points_in_window(points, Extent(171.0, -26.0, 185.0, -8.0))
    assert n_without == 1 and len(pts) == 3
    assert shown["x"].tolist() == [178.0, 180.5]


def _layers() -> MapLayers:
    crs = "EPSG:4326"
    land = gpd.GeoDataFrame(geometry=[shapely.box(120.5, 10.5, 122.0, 13.0)], crs=crs)
    coast = gpd.GeoDataFrame(geometry=[shapely.box(120.5, 10.5, 122.0, 13.0).boundary], crs=crs)
    countries = gpd.GeoDataFrame(
        {"country_iso3": ["PHL", "MNG"]},
        geometry=[shapely.box(120.5, 10.5, 122.0, 13.0), shapely.box(90.0, 42.0, 110.0, 50.0)],
        crs=crs,
    )
    eez = gpd.GeoDataFrame(
        {"country_iso3": ["PHL"], "area_km2": [123_456.4], "method": ["approximate EEZ v1"]},
        geometry=[shapely.box(119.0, 9.0, 124.0, 15.0)],
        crs=crs,
    )
    return MapLayers(land=land, coastline=coast, countries=countries, eez=eez)


def test_country_extent_pads_the_eez_or_the_land():
    assert country_extent("PHL", _layers()) == Extent(118.5, 8.5, 124.5, 15.5)  # pad ≥ 0.5°
    mng = country_extent("MNG", _layers())
    assert mng == Extent(88.4, 41.36, 111.6, 50.64)


def test_incident_map_values_and_reruns_give_the_same_bytes():
    points = pd.DataFrame(
        {
            "longitude": [121.0, 121.2, 121.4, 122.5, 123.0, 100.0, np.nan],
            "latitude": [11.0, 11.2, 11.1, 12.0, 13.0, 0.0, 12.0],
            "group": ["CAT2", "CAT4", "CAT4", "NA", "CAT2", "CAT2", "CAT2"],
            "coarse": [False, False, False, False, True, False, False],
        }
    )
    colors = {"CAT2": "#d7301f", "CAT4": "#fdcc8a", "NA": "#969696"}
    args = {"iso3": "PHL", "layers": _layers(), "groups": colors, "title": "t"}
    fig, values = incident_map(points, coarse_label="coarse", **args)
    assert {k: v for k, v in values.items() if k != "kde"} == {
        "n_points": 6,
        "n_in_window": 5,
        "n_outside_window": 1,
        "n_without_position": 1,
        "extent": [118.5, 8.5, 124.5, 15.5],
        "longitudes_shifted": False,
        "clustered_markers": 0,
        "cluster_sizes": [],
        "scale_bar_km": 100,
        "places": {"countries": [], "seas": ["Sibuyan Sea"]},  # a label point of seas.yaml
    }
    assert values["kde"]["applied"] is True and values["kde"]["n_points"] == 5
    again, _ = incident_map(points, coarse_label="coarse", **args)
    assert png_bytes(fig) == png_bytes(again)
    _, off = incident_map(points, kde=False, **args)
    assert off["kde"]["applied"] is False and off["kde"]["reason"] == "not requested"


def test_the_window_widens_to_incidents_just_outside_the_eez_and_clusters_overlaps():
    # Malaysia's case: the EEZ window stops north of the Singapore Strait cluster
    base = Extent(118.5, 8.5, 124.5, 15.5)
    near = pd.DataFrame({"x": [121.0, 121.0, 119.0], "latitude": [11.0, 7.2, 11.0]})
    far = pd.DataFrame({"x": [100.0], "latitude": [0.0]})
    assert points_extent(base, near).as_list() == [118.5, 6.9, 124.5, 15.5]
    assert points_extent(base, far) == base
    points = pd.DataFrame(
        {
            "longitude": [121.0] * 40 + [122.5],
            "latitude": [11.0] * 40 + [12.0],
            "group": ["CAT4"] * 41,
        }
    )
    args = {"iso3": "PHL", "layers": _layers(), "groups": {"CAT4": "#fdcc8a"}, "title": "t"}
    _, values = incident_map(points, kde=False, **args)
    assert values["n_in_window"] == 41 and values["cluster_sizes"] == [40]  # "40", not a blot


# --------------------------------------------------------------------------- sections


def _incidents(n_recent: int, n_previous: int) -> pd.DataFrame:
    """Piracy incidents in PHL waters, spread over the two 5-year periods, and one SCSDI event."""
    dates = [pd.Timestamp("2022-01-05") + pd.Timedelta(days=30 * k) for k in range(n_recent)]
    dates += [pd.Timestamp("2017-01-05") + pd.Timedelta(days=30 * k) for k in range(n_previous)]
    n = len(dates)
    out = pd.DataFrame(
        {
            "date": pd.to_datetime(dates),
            "category": pd.array([PAR] * n, dtype="string"),
            "severity": pd.array(["CAT2", "CAT4"] * (n // 2) + ["CAT3"] * (n % 2), "string"),
            "severity_basis": pd.array(["source"] * n, dtype="string"),
            "coastal_state_iso3": pd.array(["PHL"] * n, dtype="string"),
            "sources": pd.array(["asam_msi_csv"] * n, dtype="string"),
            "n_sources": [1] * n,
            "outcome_agreement": pd.array([pd.NA] * n, dtype="boolean"),
            "eez_method": pd.array(["approximate EEZ v1"] * n, dtype="string"),
            "time_local": pd.array(["02:00", "13:00"] * (n // 2) + ["23:00"] * (n % 2), "string"),
            "utc_offset_h": [np.nan] * n,
            "latitude": np.linspace(10.0, 13.0, n),
            "longitude": np.linspace(120.0, 123.0, n),
            "position_precision_deg": [0.01] * n,
            "vessel_status": pd.array(["anchored"] * n, dtype="string"),
            "vessel_type_std": pd.array(["bulk_carrier"] * n, dtype="string"),
            "actors_iso3": pd.array([None] * n, dtype="string"),
        }
    )
    gray = out.iloc[:1].assign(
        category=pd.array(["gray_zone_coercion"], dtype="string"),
        actors_iso3=pd.array(["CHN;IDN"], dtype="string"),
        coastal_state_iso3=pd.array([None], dtype="string"),
    )
    out = pd.concat([out, gray], ignore_index=True)
    out["event_year"] = pd.array(out["date"].dt.year, dtype="Int64")
    return out


def _context(iso3: str, incidents: pd.DataFrame) -> BriefContext:
    layers = _layers()
    countries = pd.DataFrame(
        {
            "country_iso3": ["PHL", "MNG", "IDN"],
            "country_name": ["Philippines", "Mongolia", "Indonesia"],
            "recaap_contracting_party": [True, None, False],
            "in_recaap_area": [True, None, True],
        }
    )
    milex = pd.DataFrame({"country_iso3": ["PHL"], "year": [2024], "milex_share_gdp_pct": [1.4]})
    usd = pd.DataFrame({"country_iso3": ["PHL"], "year": [2024], "milex_usd": [4.0e9]})
    tables = {
        "incidents": incidents,
        "recipient_countries": countries,
        "wb_milex_share": milex,
        "wb_milex_usd": usd,
        "ne_land": layers.land,
        "ne_coastline": layers.coastline,
        "ne_countries": layers.countries,
        "eez": layers.eez,
    }
    return BriefContext(scope=Scope(iso3, AS_OF), tables=TableStore(AS_OF, tables=tables))


def test_full_maritime_section_from_a_tiny_store():
    ctx = _context("PHL", _incidents(12, 14))
    sec = maritime_section(ctx)
    v = sec.values
    assert sec.key == "maritime"
    assert sec.title == f"{registry.number('maritime')}. Maritime incidents"
    assert v["thin_data"] is False and v["cyclone_section"] == registry.number("exposure")
    assert (v["comparison"]["recent"], v["comparison"]["previous"]) == (12, 14)
    assert v["eez"] == {"area_km2": 123456, "method": "approximate EEZ v1"}
    assert v["vessel_status_summary"] == {"berthed_or_anchored": 12, "underway": 0, "n": 12}
    assert v["time_of_day"]["n_with_time"] == 12 and v["time_of_day"]["enough"] is True
    assert len(sec.figures) == 4 and len(sec.tables) == 4
    assert "**12** piracy and armed-robbery incidents were recorded" in sec.markdown
    assert "the Philippines" in sec.markdown
    assert [kf["id"] for kf in v["key_figures"]] == [
        "maritime_incidents_recent",
        "maritime_share_night",
    ]
    assert {"ne_coastline_50m", "asam_msi_csv", "wb_milex_usd"} <= set(ctx.used_sources)
    assert sec.sources == sorted(sec.sources) and "ne_land_50m" in sec.sources


def test_border_zone_events_are_counted_both_ways():
    events = _incidents(12, 14)
    # two of PHL's recent events lie near MYS waters; one MYS event (recent), one earlier
    events["border_states"] = pd.array([pd.NA] * len(events), dtype="string")
    events.loc[[0, 1], "border_states"] = ["MYS", "IDN;MYS"]
    near = events.iloc[[2, 20]].assign(
        coastal_state_iso3=pd.array(["MYS", "MYS"], dtype="string"),
        border_states=pd.array(["PHL", "PHL"], dtype="string"),
    )
    events = pd.concat([events, near], ignore_index=True)
    period = {"start": pd.Timestamp("2021-08-10"), "end": AS_OF}
    assert border_zone_counts(events, "PHL", period) == {
        "counted": 12,
        "border_out": 2,
        "border_in": 1,  # the earlier one is outside the period
        "alternative": 11,
    }
    assert border_zone_counts(events.drop(columns="border_states"), "PHL", period)["border_in"] == 0
    sec = maritime_section(_context("PHL", events))
    assert sec.values["border_zone"] == {"km": 20.0, "counted": 12, "border_out": 2,
                                         "border_in": 1, "alternative": 11}  # fmt: skip
    assert (
        "**Border zone.** Of the 12 piracy or armed-robbery events of the recent period counted "
        "for the Philippines, 2 lie within 20 km of a neighbour's approximate EEZ and could be "
        "the neighbour's; 1 counted for a neighbour lies within 20 km of the waters of the "
        "Philippines. Attributed the other way, the Philippines would have 11."
    ) in sec.markdown
    assert "Border zone" not in maritime_section(_context("PHL", _incidents(12, 14))).markdown


def test_thin_maritime_section_shows_what_is_known():
    sec = maritime_section(_context("PHL", _incidents(2, 1)))
    assert sec.values["thin_data"] is True and "vessel_status_summary" not in sec.values
    assert sec.markdown.startswith("**Data are thin.** 2 piracy or armed-robbery incidents")
    assert f"cyclone exposure is in section {CYCLONE_SECTION}" in sec.markdown
    assert sec.tables[0][0] == "What is known about the maritime space of the Philippines"
    assert len(sec.figures) == 1 and sec.values["map"]["period"].startswith("since records")


def test_landlocked_country_gets_a_one_line_section():
    ctx = _context("MNG", _incidents(2, 1))
    sec = maritime_section(ctx)
    assert sec.values == {
        "applicable": False,
        "reason": "landlocked (no EEZ)",
        "country_iso3": "MNG",
        "as_of": AS_OF,
        "key_figures": [],
    }
    assert sec.markdown.startswith("Mongolia is landlocked") and sec.sources == []
    assert "asam_msi_csv" not in ctx.used_sources


def test_grayzone_section_not_applicable_notes():
    incidents = _incidents(2, 1)
    idn = grayzone_section(_context("IDN", incidents))
    assert idn.values["reason"] == "not a South China Sea claimant; too few SCSDI events"
    assert idn.values["n_events"] == 1 and idn.values["years"] == [2022, 2022]
    assert "only 1 event (2022), too few to analyse" in idn.markdown
    assert idn.sources == ["scsdi_geocoded", "scsdi_published"]
    phl = grayzone_section(_context("PHL", incidents))
    assert phl.values["reason"] == "no SCSDI events up to as_of"
    assert phl.values["n_events"] == 0 and phl.values["data_start"][:4] in phl.markdown
    assert phl.title == f"{registry.number('grayzone')}. Gray-zone coercion in the South China Sea"


# --------------------------------------------------------------------------- Japanese edition


def _texts(sec) -> list[str]:
    """Every text a reader sees of a section (text, captions, figure labels, tables)."""
    texts = [sec.markdown, sec.method, *sec.caveats]
    for caption, fig in sec.figures:
        texts.append(caption)
        for ax in fig.axes:
            texts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
            texts += [t.get_text() for t in ax.texts]
            legend = ax.get_legend()
            if legend:
                texts += [t.get_text() for t in legend.get_texts()]
                texts.append(legend.get_title().get_text())
    for caption, table in sec.tables:
        texts += [caption, *map(str, table.columns)]
        texts += [str(v) for v in table.astype(str).to_numpy().ravel()]
    return [t for t in texts if t]


@pytest.mark.parametrize("counts", [(12, 14), (2, 1)])
def test_japanese_edition_is_japanese_with_the_same_values(counts):
    from osa_analysis.build.messages import english_runs
    from osa_analysis.core.i18n import use_language

    english = maritime_section(_context("PHL", _incidents(*counts)))
    with use_language("ja"):
        japanese = maritime_section(_context("PHL", _incidents(*counts)))
    texts = _texts(japanese)
    assert "フィリピン" in japanese.markdown and "Philippines" not in "".join(texts)
    runs = {r for t in texts for r in english_runs(t)}
    assert runs <= {"IMB Crime at Sea"}  # a source's name
    same = {k: v for k, v in english.values.items() if k != "key_figures"}
    assert {k: v for k, v in japanese.values.items() if k != "key_figures"} == same
    assert [kf["id"] for kf in japanese.values["key_figures"]] == [
        kf["id"] for kf in english.values["key_figures"]
    ]


def test_wording_in_japanese():
    from osa_analysis.core.i18n import use_language

    with use_language("ja"):
        assert w.count_noun(3, "year") == "3年間" and w.count_noun(1, "event") == "1件"
        assert w.year_span(2019, 2023) == "2019〜2023"
        assert w.rate_ratio_text(rate_ratio_dict(rate_ratio(9, 4))) == (
            "2.25（95%信頼区間 0.63〜10.00）"
        )
        assert w.join_and(["A", "B"]) == "AとB" and w.join_sentences("a。", "b。") == "a。b。"
    assert w.join_and(["A", "B", "C"]) == "A and B and C"
    assert w.count_noun(2, "storm") == "2 storms"  # a noun without messages


def test_kde_and_eez_method_texts_keep_english_and_translate():
    from osa_analysis.brief.maps import kde_projection_text, kde_reason_text, kde_rule_text
    from osa_analysis.brief.maritime_text import eez_method_text
    from osa_analysis.core.i18n import use_language
    from osa_analysis.harmonise.eez import APPROX_METHOD

    ext = Extent(118.5, -8.5, 124.5, -2.5)
    few = kde_layer(np.array([120.0]), np.array([-5.0]), ext)
    assert few["projection"] == ("azimuthal equidistant projection (km) centred on 5.50°S 121.50°E")
    assert kde_projection_text(few) == few["projection"] and kde_reason_text(few) == few["reason"]
    method = APPROX_METHOD.format(max_nm=200)
    assert eez_method_text(method) == method and eez_method_text("other") == "other"
    with use_language("ja"):
        assert (
            kde_projection_text(few) == "南緯5.50°・東経121.50°を中心とする正距方位図法（km単位）"
        )
        assert kde_reason_text(few) == "位置が5点未満" and "ガウス" in kde_rule_text(few)
        assert "200海里" in eez_method_text(method)
