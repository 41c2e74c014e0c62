"""The landing page's map of recipients (synthetic shapes: a square 'XXA' and a Pacific isle).

``tests/unit/conftest.py`` replaces :func:`index_map.default_outlines` in every unit test; the
real one is imported here before it does.
"""

from __future__ import annotations

import re

import geopandas as gpd
from shapely.geometry import Polygon, box

from osa_analysis.build import index_map
from osa_analysis.build.index_map import default_outlines as real_default_outlines
from osa_analysis.core.i18n import use_language

SCALE = ["very low", "low", "medium", "high", "very high"]


def _rating_class(rating):
    return f"osa-rating-{SCALE.index(rating) + 1 if rating in SCALE else 0}"


def _countries():
    return gpd.GeoDataFrame(
        {
            "country_iso3": ["PHL", "TON", "AUS", "USA"],
            "name": ["Synthetic A", "Synthetic isle", "Synthetic land", "Far west"],
        },
        geometry=[
            box(120, 5, 125, 15),
            Polygon([(-175.4, -21.3), (-175.0, -21.3), (-175.0, -21.0)]),  # west of 180°
            box(115, -30, 150, -15),
            box(-120, 30, -80, 45),  # outside the view: not drawn
        ],
        crs="EPSG:4326",
    )


def test_recipients_are_filled_by_class_and_the_pacific_sits_east_of_180():
    svg = index_map.recipients_map_svg(
        {"PHL": "high", "TON": None}, _rating_class, SCALE, countries=_countries()
    )
    assert svg.startswith('<svg class="osa-map"') and "<script" not in svg
    assert 'class="osa-map-recipient osa-rating-4"' in svg  # PHL: high
    assert 'class="osa-map-recipient osa-rating-0"' in svg  # TON: unrated
    assert svg.count('class="osa-map-land"') == 1  # AUS only; USA is out of view
    dots = [float(x) for x in re.findall(r'<circle class="osa-map-dot" cx="([\d.]+)"', svg)]
    assert max(dots) > 0.9 * index_map.WIDTH  # Tonga: east of the antimeridian, at the right
    assert "Philippines" in svg and "Tonga" in svg  # names from the code list


def test_the_map_speaks_the_page_language_and_goes_missing_without_geodata(monkeypatch):
    with use_language("ja"):
        svg = index_map.recipients_map_svg(
            {"PHL": "high"}, _rating_class, SCALE, countries=_countries()
        )
    assert "総合指数の区分" in svg
    assert index_map.recipients_map_svg({}, _rating_class, SCALE, countries=_countries()) is None


def test_the_geodata_is_read_once_per_process_and_a_failure_is_kept(monkeypatch):
    from osa_analysis.sources.loaders import geography

    calls = []

    def unavailable():
        calls.append(1)
        raise OSError("offline, no mirror")

    monkeypatch.setattr(geography, "load_ne_countries", unavailable)
    real_default_outlines.cache_clear()
    for _page in ("index.html", "index.ja.html"):
        assert real_default_outlines() is None
    assert calls == [1]  # one failed download for both pages
    monkeypatch.setattr(geography, "load_ne_countries", _countries)
    real_default_outlines.cache_clear()
    units = real_default_outlines()
    assert real_default_outlines() is units and [u.iso3 for u in units] == ["PHL", "TON", "AUS"]
    real_default_outlines.cache_clear()  # the next caller reads the registered geodata
