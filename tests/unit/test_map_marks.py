"""What orients a map: degree labels across 180°, the scale bar, clusters, sea label points."""

from __future__ import annotations

import pandas as pd
import yaml

from osa_analysis.brief import map_marks
from osa_analysis.core.i18n import use_language


def test_longitudes_read_the_same_on_both_sides_of_the_antimeridian():
    # Fiji: the incident map (0–360°) and the track map (−180…180) label alike
    assert [map_marks.lon_label(v) for v in (178, 180, 182, -178, 0, 120.5)] == [
        "178°E",
        "180°",
        "178°W",
        "178°W",
        "0°",
        "120.5°E",
    ]
    assert [map_marks.lat_label(v) for v in (10, -17.5, 0)] == ["10°N", "17.5°S", "0°"]
    with use_language("ja"):
        assert map_marks.lon_label(182) == "西経178°" and map_marks.lat_label(-18) == "南緯18°"


def test_scale_bar_takes_a_round_length_near_a_fifth_of_the_width():
    assert map_marks.scale_length_km(1800) == 250  # 360 km wanted
    assert map_marks.scale_length_km(600) == 100
    assert map_marks.scale_length_km(30) == 10


def test_points_in_one_cell_become_one_marker_with_their_number():
    shown = pd.DataFrame(
        {
            "x": [120.98, 120.99, 121.0, 121.01, 125.0, 121.0],
            "latitude": [14.55, 14.56, 14.57, 14.58, 7.0, 14.57],
            "group": ["CAT4"] * 5 + ["CAT2"],
        }
    )
    clusters = map_marks.cluster_points(shown, west=112.0, east=130.0)  # cells of 0.26°
    by = {(r.group, round(r.x)): r.n for r in clusters.itertuples()}
    assert by == {("CAT4", 121): 4, ("CAT4", 125): 1, ("CAT2", 121): 1}  # groups stay apart
    assert clusters["n"].sum() == len(shown)


def test_every_sea_label_point_cites_its_source_and_lies_on_the_globe():
    seas = yaml.safe_load(map_marks.SEAS_FILE.read_text())["seas"]
    assert len(seas) >= 20
    for sea in seas:
        assert sea["source"].startswith("http"), sea["name"]
        assert sea["kind"] in {"sea", "strait", "gulf", "bay"}
        assert -90 <= sea["lat"] <= 90 and -180 <= sea["lon"] <= 180
    names = {s["name"] for s in map_marks.seas_in(171.0, -26.0, 184.0, -9.0)}  # Fiji, 0–360°
    assert "Koro Sea" in names
    assert "Singapore Strait" in {s["name"] for s in map_marks.seas_in(99, 0.8, 120, 8)}
