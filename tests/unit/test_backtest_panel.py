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
