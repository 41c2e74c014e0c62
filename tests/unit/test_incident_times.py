"""Local time, UTC time and darkness of incidents (osa_analysis.analyse.incident_times)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from osa_analysis.analyse import incident_times as it
from osa_analysis.core.stats import binomial_interval


def test_standard_utc_offsets():
    assert it.standard_utc_offset("IDN", [106.0, 114.5, 125.0, 131.0]).tolist() == [
        7.0,
        8.0,
        8.0,
        9.0,
    ]
    assert it.standard_utc_offset("PHL", [121.0]).tolist() == [8.0]
    assert it.standard_utc_offset("LKA", [80.0]).tolist() == [5.5]
    assert np.isnan(it.standard_utc_offset("XXX", [0.0])[0])


def test_incident_times_use_the_best_offset_available():
    ev = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-06-21"] * 6),
            "time_local": pd.array(["00:30", "10:00", "05:20", None, "25:00", "03:00"], "string"),
            "utc_offset_h": [np.nan, 8.0, 8.0, np.nan, np.nan, np.nan],
            "datetime_utc": pd.to_datetime(
                [None, None, "2024-06-20 21:20", None, None, None], utc=True
            ),
            "latitude": [14.6] * 5 + [np.nan],
            "longitude": [121.0] * 5 + [np.nan],
        }
    )
    out = it.incident_times(ev, "PHL")
    assert out["local_hour"].tolist() == [0, 10, 5, pd.NA, pd.NA, 3]
    assert out["offset_basis"].tolist() == ["standard", "source", "source", None, None, "standard"]
    assert out["datetime_utc"].iloc[0] == pd.Timestamp("2024-06-20 16:30")
    assert out["datetime_utc"].iloc[1] == pd.Timestamp("2024-06-21 02:00")
    assert out["darkness"].tolist() == ["night", "day", "twilight", pd.NA, pd.NA, pd.NA]


def test_time_of_day_summary_shares_and_intervals():
    times = pd.DataFrame(
        {
            "local_hour": pd.array([1] * 7 + [5] * 2 + [12] * 3 + [pd.NA], dtype="Int64"),
            "offset_basis": ["source"] * 10 + ["standard"] * 2 + [None],
            "darkness": pd.array(
                ["night"] * 7 + ["twilight"] * 2 + ["day"] * 3 + [pd.NA], dtype="string"
            ),
        }
    )
    out = it.time_of_day_summary(times)
    assert out["n_events"] == 13 and out["n_with_time"] == 12 and out["n_classified"] == 12
    assert (out["n_offset_source"], out["n_offset_standard"]) == (10, 2)
    assert out["counts"] == {"day": 3, "twilight": 2, "night": 7}
    assert out["by_hour"][1] == 7 and out["by_hour"][5] == 2 and sum(out["by_hour"]) == 12
    assert out["share_night_pct"] == 58.3
    lo, hi = binomial_interval(7, 12)
    assert out["share_night_interval_pct"] == [round(100 * lo, 1), round(100 * hi, 1)]
    assert out["share_dark_pct"] == 75.0


def test_too_few_timed_incidents_give_no_shares():
    times = pd.DataFrame(
        {
            "local_hour": pd.array([1, 2], dtype="Int64"),
            "offset_basis": ["source", "source"],
            "darkness": pd.array(["night", "night"], dtype="string"),
        }
    )
    out = it.time_of_day_summary(times)
    assert out["enough"] is False and out["share_night_pct"] is None


def test_time_of_day_method_lists_offsets_zones_and_thresholds():
    out = it.time_of_day_method()
    assert out["standard_offsets_h"]["LKA"] == 5.5 and out["standard_offsets_h"] is not (
        it.STANDARD_UTC_OFFSET_H
    )
    assert out["idn_zones"] == [[114.5, 7.0], [127.0, 8.0], [None, 9.0]]
    assert out["thresholds_deg"] == {"sunrise": -0.833, "civil_twilight": -6.0, "hours": [0, 23]}
