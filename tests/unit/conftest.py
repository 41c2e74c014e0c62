"""Fixtures of the unit tests: the synthetic backtest and the package's messages, computed
once for every test file, and a synthetic landing-page map.

The forecast tables of the synthetic tables (:mod:`diversion_synthetic`) and the message
catalogue take seconds each; the tests of the backtest's run, its application in a brief,
its no-look-ahead property and the translations read the same results, so each is computed
once per session, by a process of its own while pytest collects (``tests/precomputed.py``).
Tests must not change them (they take copies where they edit rows).

The landing page's map reads Natural Earth (the mirror, else a download); unit tests draw
it from two synthetic shapes instead (:func:`synthetic_index_map`).
"""

from __future__ import annotations

import pandas as pd
import precomputed
import pytest
from diversion_synthetic import BACKTEST_END, origins_to

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
    """One synthetic store holding its backtest forecast table (:mod:`precomputed`).

    What tests compute through it (``store.shared``) is kept for the session.
    """
    return precomputed.result("synthetic_store")


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
    return precomputed.result("forecasts_with_extra_coup")


@pytest.fixture(scope="session")
def message_uses() -> dict[str, list[str]]:
    """Every message of the package and where it is used (:mod:`precomputed`)."""
    return precomputed.result("message_uses")


def pytest_collection_modifyitems(items) -> None:
    """Run the unit tests that read a precomputed result after the other unit tests.

    In their order, and still before the integration tests: by then the results are made, so
    no test waits for them (:mod:`precomputed`).
    """
    needs = set(precomputed.JOBS)
    unit = [i for i, item in enumerate(items) if precomputed.UNIT in item.path.parents]
    if unit:
        first, last = unit[0], unit[-1] + 1  # the unit tests are one run of items
        block = items[first:last]
        block.sort(key=lambda item: bool(needs & set(getattr(item, "fixturenames", ()))))
        items[first:last] = block
