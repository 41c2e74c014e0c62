"""The cyclone season read from the tracks (synthetic passages) and its outlook line."""

from __future__ import annotations

import numpy as np
import pandas as pd

from osa_analysis.analyse.cyclone_season import cyclone_season, season_months
from osa_analysis.brief.outlook import season_line
from osa_analysis.core.i18n import use_language


def _passages(months: list[int], agency: str = "ibtracs_usa", near: bool = True) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "agency": agency,
            "season": [2000 + i % 20 for i in range(len(months))],
            "closest_date": [f"{2000 + i % 20}-{m:02d}-15" for i, m in enumerate(months)],
            "within_500": near,
        }
    )


def test_a_southern_season_runs_across_the_turn_of_the_year():
    # Fiji-like: storms from November to April, most in January
    counts = np.array([30, 20, 15, 8, 1, 0, 0, 0, 0, 1, 5, 20])
    months, share = season_months(counts)
    assert months == (12, 1, 2, 3) and round(share, 3) == 0.85  # 85 of 100
    season = cyclone_season(_passages([1] * 30 + [2] * 20 + [3] * 15 + [12] * 20), "ibtracs_usa")
    assert season.months == (12, 1, 2) and season.share == 0.824  # 70 of 85 hold 80%
    assert season.peak_month == 1 and season.n_storms == 85
    assert season.covers(1) and not season.covers(8)


def test_other_agencies_far_tracks_and_thin_data_give_no_season():
    passages = pd.concat([_passages([8] * 12, agency="jtwc"), _passages([9] * 50, near=False)])
    season = cyclone_season(passages, "jtwc")
    assert season.n_storms == 12 and season.months == (8,)
    thin = cyclone_season(_passages([7, 8, 8]), "ibtracs_usa")
    assert thin.n_storms == 3 and thin.months == () and thin.share is None
    assert cyclone_season(passages, None).n_storms == 0


def test_the_outlook_line_says_whether_the_brief_falls_in_the_season():
    season = cyclone_season(_passages([1] * 30 + [2] * 20 + [3] * 15 + [12] * 20), "ibtracs_usa")
    line = season_line(season, "Fiji", month_as_of=8)
    assert "82% of the 85 tropical cyclones" in line
    assert "from December to February (most in January); it next opens in December." in line
    assert "the brief's date falls inside it" in season_line(season, "Fiji", month_as_of=2)
    with use_language("ja"):
        ja = season_line(season, "フィジー", month_as_of=8)
    assert "12月から2月に通過した（最多は1月）" in ja and "次のシーズンは12月に始まる" in ja
