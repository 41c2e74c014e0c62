"""Window outcomes, persistence, climatology and features: worked by hand, no look-ahead."""

import numpy as np
import pandas as pd
import pytest
from diversion_synthetic import make_tables

from osa_analysis.analyse.backtest import panel as P
from osa_analysis.analyse.diversion import load_config
from osa_analysis.analyse.tables import cut_table

KINDS = [{"id": "S2", "resolved_to_year": 2003}]


def events(values):
    """One state's S2 counts for 1995-2004 (synthetic)."""
    idx = pd.MultiIndex.from_product([["AAA"], range(1995, 2005)], names=P.KEY)
    return pd.DataFrame({"S2": values}, index=idx)


def test_outcomes_and_persistence_by_hand():
    ev = events([0, 1, 0, 0, 2, 0, 0, 0, 1, 0])  # events in 1996, 1999 (two), 2003
    out = P.window_outcomes(ev, KINDS, [12, 36]).set_index(["year", "horizon_months"])
    y12 = out.xs(12, level="horizon_months")
    # origin 1998 resolves on 1999 (event); 1999 on 2000 (none); 2002 on 2003 (event)
    assert y12.loc[1998, "outcome"] == 1 and y12.loc[1999, "outcome"] == 0
    assert y12.loc[2002, "outcome"] == 1
    # 2003 would need 2004: past resolved_to_year, so unresolved
    assert np.isnan(y12.loc[2003, "outcome"])
    assert y12.loc[1999, "persistence"] == 1 and y12.loc[2000, "persistence"] == 0
    y36 = out.xs(36, level="horizon_months")
    # origin 1995: 1996-1998 has an event; 1999: 2000-2002 none; 2000: 2001-2003 has 2003
    assert list(y36.loc[[1995, 1999, 2000], "outcome"]) == [1, 0, 1]
    assert np.isnan(y36.loc[2001, "outcome"])  # needs 2004
    assert y36.loc[2001, "persistence"] == 1  # 1999-2001 had one
    assert y36.loc[2002, "persistence"] == 0  # 2000-2002 had none


def test_climatology_uses_only_windows_closed_at_the_origin():
    ev = events([0, 1, 0, 0, 2, 0, 0, 0, 1, 0])
    out = P.window_outcomes(ev, KINDS, [12])
    c = P.climatology(out, origin=2000, first_year=1995).iloc[0]
    # closed by 2000: origins 1995..1999, outcomes 1,0,0,1,0
    assert c["windows"] == 5 and c["climatology"] == pytest.approx(0.4)
    # a later event changes nothing known at 2000
    later = P.window_outcomes(events([0, 1, 0, 0, 2, 0, 1, 1, 1, 0]), KINDS, [12])
    assert P.climatology(later, 2000, 1995).iloc[0]["climatology"] == pytest.approx(0.4)


def test_features_of_a_year_do_not_change_when_later_data_are_removed():
    full = make_tables()
    cfg = load_config()
    ev_full = P.yearly_events(full, cfg)
    f_full = P.features(full, ev_full, cfg)
    t = 2016
    cut = make_tables(
        conflict_years=cut_table(full.conflict_years, "year", pd.Timestamp(t, 12, 31)),
        orgvio=cut_table(full.orgvio, "year", pd.Timestamp(t, 12, 31)),
        ert=cut_table(full.ert, "year", pd.Timestamp(t, 12, 31)),
        coups=full.coups[full.coups["date"] <= pd.Timestamp(t, 12, 31)],
        population=cut_table(full.population, "year", pd.Timestamp(t, 12, 31)),
    )
    ev_cut = P.yearly_events(cut, cfg)
    f_cut = P.features(cut, ev_cut, cfg)
    rows = f_full.index[f_full.index.get_level_values("year") <= t]
    pd.testing.assert_frame_equal(f_full.loc[rows], f_cut.loc[rows], check_like=True)
    # and the hand-worked values: PHL coups 1986 (1), 1987 (2), 1989, 1990; the 10 years to
    # 1996 (1987-1996) hold 4, to 2000 (1991-2000) none
    assert f_full.loc[("PHL", 1996), "coups_10y"] == pytest.approx(np.log1p(4))
    assert f_full.loc[("PHL", 2000), "coups_10y"] == 0.0
    assert f_full.loc[("PHL", 2016), "S3_events_1y"] == 1.0
    assert f_full.loc[("PHL", 2016), "regime_1"] == 1.0


def test_yearly_events_by_hand():
    ev = P.yearly_events(make_tables(), load_config())
    assert ev.loc[("PHL", 1987), "S2"] == 2  # two attempts in 1987
    assert ev.loc[("FJI", 2006), "S2"] == 1
    assert ev.loc[("PHL", 2024), "S1"] == 1  # interstate conflict 3 begins in 2024
    assert ev.loc[("PHL", 2022), "S3"] == 1 and ev.loc[("PHL", 2021), "S3"] == 0
    assert sorted(ev.index.get_level_values("country_iso3").unique()) == ["CHN", "FJI", "PHL"]


def test_climatology_counts_a_state_only_from_the_year_it_is_listed():
    ev = events([0, 1, 0, 0, 2, 0, 0, 0, 1, 0])
    out = P.window_outcomes(ev, KINDS, [12])
    states = pd.DataFrame({"country_iso3": "AAA", "year": range(1998, 2005)})
    c = P.climatology(P.listed(out, states), origin=2000, first_year=1995).iloc[0]
    # closed by 2000 and listed: origins 1998 and 1999, outcomes 1 (1999) and 0 (2000)
    assert c["windows"] == 2 and c["climatology"] == pytest.approx(0.5)


def test_no_coup_data_is_not_read_as_no_coups():
    cfg = load_config()
    covered = P.coups_covered_to(cfg)
    assert covered == 2022  # Powell & Thyne to 2023-09-08: the last whole year is 2022
    tables = make_tables()
    ev = P.yearly_events(tables, cfg)
    assert ev.loc[("PHL", covered), "S2"] == 0
    assert np.isnan(ev.loc[("PHL", covered + 1), "S2"])
    assert ev.loc[("PHL", covered + 1), "S1"] == 0  # the other kinds are covered
    out = P.window_outcomes(ev, [{"id": "S2", "resolved_to_year": covered}], [12])
    out = out.set_index(["country_iso3", "year"])
    assert out.loc[("PHL", covered), "persistence"] == 0
    assert np.isnan(out.loc[("PHL", covered + 1), "persistence"])  # its window is uncovered
    # a synthetic FJI attempt in 2016 (covered) and one in 2023 (after the coverage end)
    extra = tables.coups[tables.coups["country_iso3"].eq("FJI")].iloc[[0, 0]].copy()
    extra["date"] = pd.to_datetime(["2016-03-01", "2023-10-01"])
    more = make_tables(coups=pd.concat([tables.coups, extra], ignore_index=True))
    ev = P.yearly_events(more, cfg)
    f = P.features(more, ev, cfg)
    for column in ("coups_10y", "S2_events_1y", "S2_events_5y", "S2_events_10y"):
        assert f.loc[("FJI", 2024), column] == f.loc[("FJI", covered), column]
    # 2024 reads the 10 years to 2022 (the 2016 attempt), not 2015-2024 with 2023-2024 as 0
    assert f.loc[("FJI", 2024), "coups_10y"] == pytest.approx(np.log1p(1))
    assert f.loc[("FJI", 2024), "S2_events_5y"] == pytest.approx(0.0)  # 2018-2022
    assert f.loc[("FJI", 2024), "coups_data_year"] == covered
    assert f.loc[("FJI", 2020), "coups_data_year"] == 2020
