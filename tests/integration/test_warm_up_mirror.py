"""A build's warm-up loads every table and the shared results once, for every brief."""

from __future__ import annotations

import pytest

from osa_analysis.analyse import tables as T
from osa_analysis.brief.assemble import Brief, warm_up
from osa_analysis.brief.context import BriefContext
from osa_analysis.core import config

pytestmark = pytest.mark.mirror

AS_OF = "2026-08-09"


def test_warm_up_leaves_tables_and_shared_results_for_other_briefs():
    if config.mirror_dir() is None:
        pytest.skip("OSA_DATA_MIRROR not set")
    T.clear_memory()
    warm_up(BriefContext("PHL", AS_OF, mc_draws=200))
    loaded = {name for name, _ in T._FULL}
    assert loaded == set(T.TABLES)
    shared = {key[0] for key in T._SHARED}
    assert {"peer_tables"} <= shared and len(shared) >= 3  # composite, diversion too
    before = len(T._SHARED)
    other = Brief(BriefContext("FJI", AS_OF, mc_draws=200))
    other.section("peers")
    other.section("composite")
    assert len(T._SHARED) == before  # the other country of the group reuses them
