"""The one table store of a build: every input table loaded once, cut at ``as_of``.

Analysis functions never call a loader. They take a :class:`TableStore` and ask it for a
table by name (:data:`TABLES`); the store

* loads each table **once per process** (the full table, shared by every store of the
  process, keyed by the data folders it was read from),
* hands it out **cut at the store's** ``as_of`` (nothing dated after it; the cut is memoised
  per date, so a backtest over many dates reuses the loaded table), and
* **records the registry sources** behind every table it hands out (:attr:`TableStore.used`),
  so the brief's vintage table and sources annex list what was used, not what someone
  remembered to list.

Derived results shared by every brief of a build (the global composite panel, peer tables)
are memoised with :meth:`TableStore.shared` for the same process and, where they are slow,
in the derived-data cache (:mod:`osa_analysis.sources.cache`) across processes.

Cut rules (``cut`` of a :class:`TableSpec`): ``"date"`` keeps rows dated on or before
``as_of`` (undated rows go); ``"event"`` keeps dated rows on or before ``as_of`` and undated
rows whose year is not after it (SCSDI and coup records dated only to a year or month);
``"year"`` keeps rows whose ``year`` is not after ``as_of``'s; ``"time"`` keeps rows whose
``time_utc`` is not after ``as_of`` (midnight: best-track fixes); ``None`` is for tables with
no time dimension (geography, curated facts). Finer rules (complete years, release lags)
belong to the analyses.

Besides the named tables of :data:`TABLES`, every registry source is a table under its id
(:func:`registry_spec`): its ``loader`` and ``cut`` come from ``data/sources.yaml``, so a new
source is usable by an analysis without touching this module.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

import pandas as pd

from osa_analysis.core import config
from osa_analysis.core.dates import as_timestamp
from osa_analysis.harmonise.eez import load_eez
from osa_analysis.harmonise.incidents import (
    GEOGRAPHY_SOURCE_IDS,
    INCIDENT_SOURCE_IDS,
    load_incident_reports,
    load_incidents,
)
from osa_analysis.harmonise.tracks import HAZARD_SOURCES, load_tracks_fixes
from osa_analysis.sources.loaders import resolve_loader
from osa_analysis.sources.loaders.conflict import (
    load_ucdp_acd,
    load_ucdp_organized_violence,
    ucdp_conflict_years,
)
from osa_analysis.sources.loaders.coups import coup_events, load_coups_powell_thyne
from osa_analysis.sources.loaders.geography import (
    load_ne_coastline,
    load_ne_countries,
    load_ne_land,
)
from osa_analysis.sources.loaders.governance import load_vdem_ert, vdem_episodes
from osa_analysis.sources.loaders.imb import load_imb_country_indicators
from osa_analysis.sources.loaders.indicators import (
    load_wb_milex_share,
    load_wb_milex_usd,
    load_wb_population,
    load_wgi,
)
from osa_analysis.sources.loaders.scsdi import event_years
from osa_analysis.sources.recipients import load_osa_projects, load_recipient_countries
from osa_analysis.sources.registry import registry, registry_digest

T = TypeVar("T")


@dataclass(frozen=True)
class TableSpec:
    """How to obtain one named table.

    Attributes
    ----------
    load : callable
        Returns the full table (no arguments; loaders are disk-cached where slow).
    sources : tuple of str
        Registry ids (or ``osa_projects`` for the curated table) the table is built from;
        recorded as used whenever the table is handed out.
    cut : {"date", "event", "year", "time"} or None
        How the table is cut at ``as_of`` (module docstring).
    """

    load: Callable[[], pd.DataFrame]
    sources: tuple[str, ...]
    cut: str | None = None


def _incident_events() -> pd.DataFrame:
    events = load_incidents()
    out = events.copy()
    out["event_year"] = event_years(events).astype("Int64")
    return out


def _conflict_years() -> pd.DataFrame:
    return ucdp_conflict_years(load_ucdp_acd())


def _vdem_episodes() -> pd.DataFrame:
    return vdem_episodes(load_vdem_ert())


INCIDENT_TABLE_SOURCES = (*INCIDENT_SOURCE_IDS, *GEOGRAPHY_SOURCE_IDS)
"""The incident table's inputs: the incident files and the geography of its attribution."""
CURATED_SOURCE_ID = "osa_projects"
"""Source id of the project's curated OSA tables (not a registry entry)."""

TABLES: dict[str, TableSpec] = {
    # maritime incidents, harmonised (undated gray-zone events keep SCSDI's year)
    "incidents": TableSpec(_incident_events, INCIDENT_TABLE_SOURCES, "event"),
    "incident_reports": TableSpec(load_incident_reports, INCIDENT_TABLE_SOURCES, "date"),
    # geography
    "eez": TableSpec(load_eez, GEOGRAPHY_SOURCE_IDS),
    "ne_countries": TableSpec(load_ne_countries, ("ne_countries_50m",)),
    "ne_land": TableSpec(load_ne_land, ("ne_land_50m",)),
    "ne_coastline": TableSpec(load_ne_coastline, ("ne_coastline_50m",)),
    # hazards: every agency's cyclone fixes (analyses cut by fix time themselves)
    "cyclone_fixes": TableSpec(load_tracks_fixes, HAZARD_SOURCES),
    # governance and conflict
    "wgi": TableSpec(load_wgi, ("wgi",), "year"),
    "vdem_ert": TableSpec(load_vdem_ert, ("vdem_ert",), "year"),
    "vdem_episodes": TableSpec(_vdem_episodes, ("vdem_ert",)),
    "coups": TableSpec(coup_events, ("coups_powell_thyne", "coups_cline"), "event"),
    "coups_powell_thyne": TableSpec(load_coups_powell_thyne, ("coups_powell_thyne",), "date"),
    "ucdp_acd": TableSpec(load_ucdp_acd, ("ucdp_prio_acd",), "year"),
    "ucdp_conflict_years": TableSpec(_conflict_years, ("ucdp_prio_acd",), "year"),
    "ucdp_orgvio": TableSpec(load_ucdp_organized_violence, ("ucdp_orgviolence_cy",), "year"),
    # economy and capacity
    "wb_population": TableSpec(load_wb_population, ("wb_population",), "year"),
    "wb_milex_share": TableSpec(load_wb_milex_share, ("wb_milex_share",), "year"),
    "wb_milex_usd": TableSpec(load_wb_milex_usd, ("wb_milex_usd",), "year"),
    "imb_country_indicators": TableSpec(
        load_imb_country_indicators, ("imb_country_indicators",), "year"
    ),
    # curated OSA facts
    "osa_projects": TableSpec(load_osa_projects, (CURATED_SOURCE_ID,)),
    "recipient_countries": TableSpec(load_recipient_countries, (CURATED_SOURCE_ID,)),
}
"""Every input table an analysis may ask for, by name."""


@cache
def registry_spec(source_id: str) -> TableSpec | None:
    """Return the spec of a registry source's own table (None when the id is not registered).

    The registry entry names the loader (``loader:``) and the cut rule (``cut:``); the table
    records the source itself as used.
    """
    source = registry().get(source_id)
    if source is None:
        return None
    cut = None if source.cut == "none" else source.cut
    return TableSpec(resolve_loader(source.loader), (source_id,), cut)


def _environment() -> tuple[str, ...]:
    """Where tables are read from: under other folders or vintages it is another table."""
    return (
        registry_digest(),
        str(config.data_dir()),
        str(config.mirror_dir()),
        str(config.derived_cache_dir()),
        os.environ.get("OSA_EEZ_FILE", ""),
    )


_FULL: dict[tuple[str, tuple[str, ...]], pd.DataFrame] = {}
"""Full tables of this process, by name and environment (shared by every store)."""
_CUT: dict[tuple[str, tuple[str, ...], pd.Timestamp], pd.DataFrame] = {}
"""Tables cut at a date, by name, environment and date."""
_SHARED: dict[tuple[Hashable, ...], Any] = {}
"""Results of :meth:`TableStore.shared`, by key, environment and date."""


def cut_table(table: pd.DataFrame, rule: str | None, as_of: pd.Timestamp) -> pd.DataFrame:
    """Drop the rows of ``table`` dated after ``as_of`` under ``rule`` (module docstring).

    Parameters
    ----------
    table : pandas.DataFrame
        A full table (with ``date``, ``year`` or ``event_year`` columns as the rule needs).
    rule : {"date", "event", "year"} or None
    as_of : pandas.Timestamp

    Returns
    -------
    pandas.DataFrame
        The rows kept, with their index (loaders index by record number in the file, and
        derived tables such as ``ucdp_conflict_years`` refer to it); ``table`` itself for
        ``None`` or when nothing is dropped.
    """
    if rule is None:
        return table
    if rule == "date":
        keep = table["date"].le(as_of).fillna(False)
    elif rule == "year":
        keep = table["year"].le(as_of.year).fillna(False)
    elif rule == "time":
        keep = table["time_utc"].le(as_of).fillna(False)
    elif rule == "event":
        year = table["event_year"] if "event_year" in table else table["year"]
        undated_in_time = table["date"].isna() & year.le(as_of.year).fillna(False)
        keep = table["date"].le(as_of).fillna(False) | undated_in_time
    else:
        raise ValueError(f"unknown cut rule {rule!r}")
    mask = keep.to_numpy(dtype=bool)
    return table if mask.all() else table[mask]


class TableStore:
    """Input tables of one scope's ``as_of``, loaded once per process and cut at that date.

    Parameters
    ----------
    as_of : pandas.Timestamp, str or date
        Nothing dated after this date is handed out.
    specs : dict of str to TableSpec, optional
        The tables it knows (default :data:`TABLES`).
    tables : dict of str to DataFrame, optional
        Tables given directly (tests, notebooks with edited data): used instead of
        loading, and cut like loaded ones.

    Attributes
    ----------
    used : dict of str to None
        Source ids of every table handed out, in order of first use (a dict as an ordered
        set).
    """

    def __init__(
        self,
        as_of: pd.Timestamp | str,
        *,
        specs: dict[str, TableSpec] | None = None,
        tables: dict[str, pd.DataFrame] | None = None,
        _memo: dict | None = None,
    ) -> None:
        self.as_of = as_timestamp(as_of)
        self.specs = TABLES if specs is None else specs
        self._given = dict(tables or {})
        self.used: dict[str, None] = {}
        # shared results of tables given by hand: this store's and those of its other dates
        self._memo: dict = {} if _memo is None else _memo

    def spec(self, name: str) -> TableSpec:
        """Return the spec of a table: a named one, else a registry source's.

        Raises
        ------
        KeyError
            Naming the known tables when ``name`` is neither.
        """
        if name in self.specs:
            return self.specs[name]
        found = registry_spec(name) if self.specs is TABLES else None
        if found is None:
            raise KeyError(f"no table {name!r}; known: {', '.join(sorted(self.specs))}")
        return found

    def full(self, name: str) -> pd.DataFrame:
        """Return the whole table, not cut at ``as_of`` (records its sources as used).

        For analyses that set their own time window on purpose (base rates from all
        history before a date they cut themselves); prefer :meth:`get`.
        """
        spec = self.spec(name)
        self.use(*spec.sources)
        if name in self._given:
            return self._given[name]
        key = (name, _environment())
        if key not in _FULL:
            _FULL[key] = spec.load()
        return _FULL[key]

    def get(self, name: str) -> pd.DataFrame:
        """Return a table cut at ``as_of`` (records its sources as used).

        The same object is returned to every caller of the process: treat it as read-only.
        """
        spec = self.spec(name)
        full = self.full(name)
        if name in self._given:
            return cut_table(full, spec.cut, self.as_of)
        key = (name, _environment(), self.as_of)
        if key not in _CUT:
            _CUT[key] = cut_table(full, spec.cut, self.as_of)
        return _CUT[key]

    @property
    def real_data(self) -> bool:
        """Whether every table comes from its loader (none given by hand, the default specs).

        Only then may a derived result go to the disk cache, whose keys name the registered
        input files.
        """
        return not self._given and self.specs is TABLES

    def use(self, *source_ids: str) -> None:
        """Record sources used other than through a table (e.g. registry coverage dates)."""
        for sid in source_ids:
            self.used.setdefault(sid, None)

    def shared(self, key: tuple[Hashable, ...], build: Callable[[], T], *, dated: bool = True) -> T:
        """Return a derived result computed once per process for this store's date.

        With tables given by hand it is computed once for this store and the stores of its
        other dates (:meth:`at`), never shared with the process's real results.

        Parameters
        ----------
        key : tuple
            Names the result and every argument it depends on besides ``as_of`` and the
            data folders (e.g. ``("composite", method_sha, draws)``).
        build : callable
            Computes it (called only when the key is new).
        dated : bool
            False for a result of full (uncut) tables only, shared by the stores of every
            date (a backtest over many dates computes it once).
        """
        if self._given:  # tables given by hand: never mix with the process's real results
            memo, full_key = self._memo, (*key, self.as_of if dated else None)
        else:
            memo, full_key = _SHARED, (*key, _environment(), self.as_of if dated else None)
        if full_key not in memo:
            memo[full_key] = build()
        return memo[full_key]

    def at(self, as_of: pd.Timestamp | str) -> TableStore:
        """Return a store of another date over the same loaded tables (its own ``used``)."""
        return TableStore(as_of, specs=self.specs, tables=self._given, _memo=self._memo)


def clear_memory() -> None:
    """Forget every table and shared result loaded by this process (tests, data updates)."""
    _FULL.clear()
    _CUT.clear()
    _SHARED.clear()
