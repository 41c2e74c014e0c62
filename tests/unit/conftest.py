"""Fixtures of the unit tests: the synthetic backtest, computed once for every test file,
and a synthetic landing-page map.

The forecast table of the synthetic tables (:mod:`diversion_synthetic`) takes seconds; the
tests of the backtest's run, its application in a brief and its no-look-ahead property read
the same two tables, so each is computed once per session. Tests must not change them
(they take copies where they edit rows).

The landing page's map reads Natural Earth (the mirror, else a download); unit tests draw
it from two synthetic shapes instead (:func:`synthetic_index_map`).
"""

from __future__ import annotations

import pandas as pd
import pytest
from diversion_synthetic import BACKTEST_END, EXTRA_COUP, make_store, make_tables, origins_to

from osa_analysis.analyse.backtest import backtest_forecasts
from osa_analysis.analyse.backtest.run import cached_backtest_forecasts
from osa_analysis.analyse.tables import TableStore
from osa_analysis.build import index_map


@pytest.fixture(autouse=True)
def synthetic_index_map(monkeypatch) -> tuple[index_map.Outline, ...]:
    """Let the index pages draw their map from two synthetic units (PHL and a land)."""
    import geopandas as gpd
    from shapely.geometry import box

    countries = gpd.GeoDataFrame(
        {"country_iso3": ["PHL", None], "name": ["Synthetic A", "Synthetic land"]},
        geometry=[box(120, 5, 125, 15), box(115, -30, 150, -15)],
        crs="EPSG:4326",
    )
    units = index_map.outlines(countries)
    monkeypatch.setattr(index_map, "default_outlines", lambda: units)
    return units


@pytest.fixture(scope="session")
def synthetic_store() -> TableStore:
    """One synthetic store: what tests compute through it (``store.shared``) is kept."""
    return make_store()


@pytest.fixture(scope="session")
def synthetic_forecasts(synthetic_store) -> pd.DataFrame:
    """The forecast table of the synthetic store, origins to :data:`BACKTEST_END`.

    Cut from the table a brief reads (every origin, kept by the store), which gives the same
    rows for those origins: no origin's forecast reads a later one.
    """
    return origins_to(cached_backtest_forecasts(synthetic_store), BACKTEST_END)


@pytest.fixture(scope="session")
def forecasts_with_extra_coup() -> pd.DataFrame:
    """The table with :data:`EXTRA_COUP` in the coup record, origins to 2016.

    The tests compare it with ``synthetic_forecasts`` at the origins before the attempt can
    be known (to 2015 at S2's four-year lead) and read its origins 2011-2016.
    """
    coups = pd.concat([make_tables().coups, EXTRA_COUP], ignore_index=True)
    return backtest_forecasts(make_store(coups=coups), end=2016)
