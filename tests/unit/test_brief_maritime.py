"""Pure computations of the maritime and gray-zone sections, on tiny synthetic frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from osa_analysis.brief import maritime as m
from osa_analysis.brief.maps import Extent, IsotropicKDE, kde_layer, map_longitudes
from osa_analysis.core.stats import binomial_interval, rate_ratio

ASAM = "asam_msi_csv"
LIVE = "recaap_imb_live"


def _coverage(**groups: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "group": g,
                "label": m.COVERAGE_GROUPS[g][0],
                "start": pd.Timestamp(a),
                "end": pd.Timestamp(b),
                "source_ids": ";".join(m.COVERAGE_GROUPS[g][1]),
            }
            for g, (a, b) in groups.items()
        ]
    )


def _events(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Events from (date, category, sources) tuples."""
    return pd.DataFrame(
        {
            "date": pd.to_datetime([r[0] for r in rows]),
            "category": pd.array([r[1] for r in rows], dtype="string"),
            "sources": pd.array([r[2] for r in rows], dtype="string"),
        }
    )


PAR = "piracy_armed_robbery"


# --------------------------------------------------------------------------- periods


def test_comparison_periods_are_equal_and_adjacent():
    p = m.comparison_periods(pd.Timestamp("2026-08-09"), 5)
    assert p["recent"] == {
        "start": pd.Timestamp("2021-08-10"),
        "end": pd.Timestamp("2026-08-09"),
    }
    assert p["previous"] == {
        "start": pd.Timestamp("2016-08-10"),
        "end": pd.Timestamp("2021-08-09"),
    }


def test_source_coverage_comes_from_the_registry():
    cov = m.source_coverage().set_index("group")
    assert list(cov.index) == ["asam", "imb", "recaap", "live"]
    assert cov.loc["asam", "start"] == pd.Timestamp("1978-05-01")
    assert cov.loc["asam", "end"] == pd.Timestamp("2024-06-25")
    assert cov.loc["imb", "end"] == pd.Timestamp("2020-12-29")
    assert (cov.loc["recaap", "start"], cov.loc["recaap", "end"]) == (
        pd.Timestamp("2020-11-03"),
        pd.Timestamp("2024-11-24"),
    )
    assert cov.loc["live", "start"] == pd.Timestamp("2024-07-07")


def test_coverage_fractions():
    cov = _coverage(asam=("2000-01-01", "2020-01-10"), live=("2020-01-06", "2030-01-01"))
    frac = m.coverage_fractions(pd.Timestamp("2020-01-01"), pd.Timestamp("2020-01-10"), cov)
    assert frac == {"asam": 1.0, "live": 0.5}


def test_annual_counts_with_active_sources():
    cov = _coverage(asam=("2000-01-01", "2020-06-30"), live=("2021-03-01", "2030-01-01"))
    ev = _events(
        [
            ("2019-02-01", PAR, ASAM),
            ("2019-05-01", PAR, ASAM),
            ("2019-06-01", "other_hostile", ASAM),
            ("2021-04-01", PAR, LIVE),
            ("2021-05-01", "gray_zone_coercion", "scsdi_geocoded"),
        ]
    )
    out = m.annual_counts(ev, 2019, 2021, cov)
    assert out["year"].tolist() == [2019, 2020, 2021]
    assert out["piracy_armed_robbery"].tolist() == [2, 0, 1]
    assert out["other_hostile"].tolist() == [1, 0, 0]
    assert out["gray_zone_coercion"].tolist() == [0, 0, 1]
    assert out["total"].tolist() == [3, 0, 1]
    assert out["sources_active"].tolist() == ["NGA ASAM", "NGA ASAM", "ReCAAP/IMB live feed"]
    assert out["coverage_changed"].tolist() == [False, False, True]


def test_comparable_periods_name_the_change_from_the_interval():
    cov = _coverage(asam=("1990-01-01", "2030-12-31"))
    rows = [(f"2025-0{k}-01", PAR, ASAM) for k in range(1, 10)]  # 9 recent
    rows += [(f"2023-0{k}-01", PAR, ASAM) for k in range(1, 5)]  # 4 previous
    rows += [("2025-03-03", "other_hostile", ASAM)]  # not counted
    out = m.period_comparison(_events(rows), pd.Timestamp("2025-12-31"), 2, cov)
    assert (out["recent"], out["previous"]) == (9, 4)
    assert out["comparable"] is True
    assert out["rate_ratio"]["estimate"] == pytest.approx(2.25)
    assert out["direction"] == "no clear change"
    assert out["like_for_like"] is None
    assert out["periods"]["recent"] == {"start": "2024-01-01", "end": "2025-12-31"}


def test_different_coverage_is_flagged_and_checked_like_for_like():
    cov = _coverage(asam=("1990-01-01", "2023-12-31"), live=("2022-01-01", "2026-12-31"))
    rows = [(f"2022-0{k}-15", PAR, ASAM) for k in range(1, 6)]  # previous, ASAM only
    rows += [("2023-02-01", PAR, f"{ASAM};{LIVE}"), ("2023-03-01", PAR, f"{ASAM};{LIVE}")]
    rows += [(f"2025-0{k}-15", PAR, LIVE) for k in range(1, 7)]  # recent, live only
    out = m.period_comparison(_events(rows), pd.Timestamp("2025-12-31"), 2, cov)
    assert (out["recent"], out["previous"]) == (6, 7)
    assert out["coverage"]["previous"]["asam"] == 1.0
    assert out["coverage"]["recent"]["asam"] == 0.0
    assert out["comparable"] is False
    assert out["direction"] == "not comparable"
    lfl = out["like_for_like"]
    assert lfl["group"] == "live"  # covers both whole periods and ends latest
    assert (lfl["recent"], lfl["previous"]) == (6, 2)
    expected = rate_ratio(6, 2, 2, 2)
    assert lfl["rate_ratio"]["low"] == pytest.approx(expected.low, abs=1e-4)
    assert lfl["direction"] == expected.direction


def test_like_for_like_group_prefers_the_latest_whole_window():
    cov = _coverage(asam=("1990-01-01", "2024-06-25"), live=("2024-07-07", "2026-08-09"))
    assert m.like_for_like_group(pd.Timestamp("2026-08-09"), 5, cov) == (
        "asam",
        pd.Timestamp("2024-06-25"),
    )
    assert m.like_for_like_group(pd.Timestamp("2026-08-09"), 30, cov) is None


def test_in_source_group():
    ev = _events([("2020-01-01", PAR, f"imb_pirate_attacks;{ASAM}"), ("2020-01-01", PAR, LIVE)])
    assert m.in_source_group(ev, "asam").tolist() == [True, False]
    assert m.in_source_group(ev, "live").tolist() == [False, True]


# --------------------------------------------------------------------------- tables


def test_severity_table_separates_recaap_labels_from_derived():
    ev = pd.DataFrame(
        {
            "severity": pd.array(["CAT2", "CAT2", "CAT4", None, "Attempted"], dtype="string"),
            "severity_basis": pd.array(
                ["source", "derived", "source", None, "derived"], dtype="string"
            ),
        }
    )
    out = m.severity_table(ev).set_index("severity")
    assert out.loc["CAT2"].tolist() == [1, 1, 2, 40.0]
    assert out.loc["CAT4", "recaap_label"] == 1
    assert out.loc["NA", "total"] == 1 and out.loc["NA", "derived"] == 1
    assert out.loc["Attempted", "derived"] == 1
    assert out["total"].sum() == 5


def test_vessel_tables():
    ev = pd.DataFrame(
        {
            "vessel_status": pd.array(["anchored", "anchored", "underway", None], dtype="string"),
            "severity": pd.array(["CAT2", "CAT4", "Attempted", "CAT1"], dtype="string"),
            "vessel_type_std": pd.array(["tanker", "bulk", "tanker", None], dtype="string"),
        }
    )
    status = m.vessel_status_table(ev).set_index("vessel_status")
    assert status.loc["anchored"].tolist() == [2, 50.0, 1, 0]
    assert status.loc["underway", "attempted"] == 1
    assert status.loc["unknown", "cat1_cat2"] == 1
    vtype = m.vessel_type_table(ev, top=1)
    assert vtype.to_dict("records") == [
        {"vessel_type": "tanker", "incidents": 2, "share_pct": 50.0},
        {"vessel_type": "other types", "incidents": 1, "share_pct": 25.0},
        {"vessel_type": "unknown", "incidents": 1, "share_pct": 25.0},
    ]


def test_source_agreement_summary():
    ev = pd.DataFrame(
        {
            "n_sources": [1, 2, 3, 2],
            "outcome_agreement": pd.array([pd.NA, True, False, pd.NA], dtype="boolean"),
            "sources": pd.array(
                [ASAM, f"{ASAM};imb_pirate_attacks", f"{ASAM};recaap_openmap;{LIVE}", LIVE],
                dtype="string",
            ),
        }
    )
    out = m.source_agreement_summary(ev)
    assert out["n_multi_source"] == 3 and out["share_multi_pct"] == 75.0
    assert (out["n_outcome_compared"], out["n_outcome_agree"]) == (2, 1)
    assert out["share_outcome_agree_pct"] == 50.0
    assert out["by_source"] == {"asam": 3, "imb": 1, "recaap": 1, "live": 2}


# --------------------------------------------------------------------------- time of day


def test_standard_utc_offsets():
    assert m.standard_utc_offset("IDN", [106.0, 114.5, 125.0, 131.0]).tolist() == [
        7.0,
        8.0,
        8.0,
        9.0,
    ]
    assert m.standard_utc_offset("PHL", [121.0]).tolist() == [8.0]
    assert m.standard_utc_offset("LKA", [80.0]).tolist() == [5.5]
    assert np.isnan(m.standard_utc_offset("XXX", [0.0])[0])


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
    out = m.incident_times(ev, "PHL")
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
    out = m.time_of_day_summary(times)
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
    out = m.time_of_day_summary(times)
    assert out["enough"] is False and out["share_night_pct"] is None


# --------------------------------------------------------------------------- gray zone


def test_actor_pairs():
    assert m._pair("CHN;PHL") == "CHN–PHL"
    assert m._pair("PHL;CHN") == "CHN–PHL"
    assert m._pair("PHL") == "PHL alone"
    assert m._pair("AUS;JPN;PHL;USA") == m.MULTILATERAL


def test_number_words():
    assert m._n(1, "event") == "1 event" and m._n(3, "event") == "3 events"
    assert m._span(2021, 2021) == "2021" and m._span(2019, 2023) == "2019 to 2023"


def test_rate_ratio_text_handles_zeros():
    assert m._rr_text(m._rr_dict(rate_ratio(0, 0))).startswith("not defined")
    assert m._rr_text(m._rr_dict(rate_ratio(0, 3))) == "0 (95% CI 0–2.42)"
    assert m._rr_text(m._rr_dict(rate_ratio(3, 0))).startswith("not finite")
    assert m._rr_text(m._rr_dict(rate_ratio(9, 4))) == "2.25 (95% CI 0.63–10.00)"


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
