"""What every section of one brief shares: the scope, the table store and run options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore

R = TypeVar("R")


@dataclass
class BriefContext:
    """The scope and the data of one brief, and the options of its run.

    Sections read tables only through :attr:`tables`, which cuts them at ``as_of`` and
    records their sources for the vintage table and the sources annex.

    Parameters
    ----------
    country_iso3 : str
        The brief's country (ignored when ``scope`` is given).
    as_of : pandas.Timestamp or str
        Last date of data (ignored when ``scope`` is given).
    lookback_years : int
        Years in the "recent" comparison period.
    peers : tuple of str
        Comparison countries.
    scope : Scope, optional
        The scope itself (built from the four arguments above when not given).
    tables : TableStore, optional
        The store (a new one at ``scope.as_of`` when not given).
    mc_draws : int
        Monte Carlo draws of the risk composite.
    previous_summary : Path, optional
        ``summary.json`` of the last published brief of the country ("what changed").
    """

    country_iso3: str = ""
    as_of: pd.Timestamp | str | None = None
    lookback_years: int = 5
    peers: tuple[str, ...] = ("BGD", "FJI", "MYS", "PHL")
    scope: Scope | None = None
    tables: TableStore | None = None
    mc_draws: int = 1000
    previous_summary: Path | None = field(default=None, repr=False)
    _results: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.scope is None:
            self.scope = Scope(self.country_iso3, self.as_of, self.lookback_years, self.peers)
        self.country_iso3 = self.scope.country_iso3
        self.as_of = self.scope.as_of
        self.lookback_years = self.scope.lookback_years
        self.peers = self.scope.peers
        if self.tables is None:
            self.tables = TableStore(self.scope.as_of)

    @classmethod
    def from_params(cls, params) -> BriefContext:
        """Build from validated :class:`osa_analysis.build.params.BriefParams`."""
        return cls(
            scope=params.scope(),
            mc_draws=params.mc_draws,
            previous_summary=params.previous_summary,
        )

    @property
    def used_sources(self) -> tuple[str, ...]:
        """Source ids of every table the brief's sections were handed, in order of use."""
        return tuple(self.tables.used)

    def use(self, *source_ids: str) -> None:
        """Record sources a section used other than through a table."""
        self.tables.use(*source_ids)

    def analysis(self, fn: Callable[..., R], **options: Any) -> R:
        """Return ``fn(scope, tables, **options)``, computed once for this brief.

        Analysis results hold no prose (their words are only marked for translation), so
        every edition of a section, and every section that needs the same result, reads
        one computation. Sections must not change what they are given.
        """
        key = (fn.__module__, fn.__qualname__, *(_option_key(options[k]) for k in sorted(options)))
        if key not in self._results:
            self._results[key] = fn(self.scope, self.tables, **options)
        return self._results[key]

    def forget_results(self) -> None:
        """Forget the analysis results (a section rebuilt after its inputs changed)."""
        self._results.clear()

    @property
    def all_countries(self) -> tuple[str, ...]:
        """The country followed by its peers, without repetition."""
        return self.scope.countries

    @property
    def year_as_of(self) -> int:
        """Calendar year of ``as_of``."""
        return self.scope.year

    @cached_property
    def country(self) -> dict:
        """Metadata of the brief's country from ``data/recipients/countries.yaml``."""
        table = self.tables.get("recipient_countries")
        return table.set_index("country_iso3").loc[self.country_iso3].to_dict()

    @cached_property
    def projects(self) -> pd.DataFrame:
        """The country's OSA projects (curated table)."""
        projects = self.tables.get("osa_projects")
        return projects[projects["country_iso3"] == self.country_iso3].reset_index(drop=True)

    @cached_property
    def incidents(self) -> pd.DataFrame:
        """Harmonised incident events dated on or before ``as_of`` (every coastal state)."""
        events = self.tables.get("incidents")
        return events[events["date"].notna().to_numpy()].reset_index(drop=True)

    @property
    def eez(self):
        """Approximate (or user-supplied Marine Regions) EEZ polygons."""
        return self.tables.get("eez")


def _option_key(value: Any) -> Any:
    """Return an option as part of a memo key: a method file by its sha256s, else itself.

    Each load of a method file is a new mapping with the same content (and unhashable).
    """
    digests = tuple(getattr(value, name, None) for name in _DIGESTS)
    return ("sha256", *digests) if any(digests) else value


_DIGESTS = ("sha256", "config_sha256", "calibration_sha256")
