"""Everything a brief needs, loaded once: parameters plus the data, cut at ``as_of``."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from osa_analysis.sources.recipients import load_osa_projects, load_recipient_countries


@dataclass
class BriefContext:
    """Parameters and lazily loaded data of one brief.

    Every table is loaded on first use and cut at ``as_of`` (nothing after the brief's
    as-of date is used). :attr:`used_sources` collects the registry ids touched, for the
    vintage table and the sources annex.

    Parameters
    ----------
    country_iso3 : str
        The brief's country.
    as_of : pandas.Timestamp or str
        Last date of data the brief may use (an ISO date string is converted).
    lookback_years : int
        Years in the "current" comparison period.
    peers : tuple of str
        Peer countries (ISO3) for comparisons, the country included or not.
    """

    country_iso3: str
    as_of: pd.Timestamp
    lookback_years: int = 5
    peers: tuple[str, ...] = ("BGD", "FJI", "MYS", "PHL")
    used_sources: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.as_of = pd.Timestamp(self.as_of)
        self.country_iso3 = self.country_iso3.upper()
        self.peers = tuple(self.peers)

    @classmethod
    def from_params(cls, params) -> BriefContext:
        """Build from a validated :class:`osa_analysis.build.params.BriefParams`."""
        return cls(
            country_iso3=params.country_iso3,
            as_of=pd.Timestamp(params.as_of),
            lookback_years=params.lookback_years,
            peers=tuple(params.peers),
        )

    def use(self, *source_ids: str) -> None:
        """Record that the brief used these registry sources."""
        self.used_sources.update(source_ids)

    @property
    def all_countries(self) -> tuple[str, ...]:
        """The country followed by its peers, without repetition."""
        return tuple(dict.fromkeys((self.country_iso3, *self.peers)))

    @property
    def year_as_of(self) -> int:
        """Calendar year of ``as_of``."""
        return int(self.as_of.year)

    @cached_property
    def country(self) -> dict:
        """Metadata of the brief's country from ``data/recipients/countries.yaml``."""
        table = load_recipient_countries()
        return table.set_index("country_iso3").loc[self.country_iso3].to_dict()

    @cached_property
    def projects(self) -> pd.DataFrame:
        """The country's OSA projects (curated table)."""
        projects = load_osa_projects()
        return projects[projects["country_iso3"] == self.country_iso3].reset_index(drop=True)

    @cached_property
    def incidents(self) -> pd.DataFrame:
        """All harmonised incident events up to ``as_of`` (every coastal state)."""
        from osa_analysis.harmonise.incidents import INCIDENT_SOURCE_IDS, load_incidents

        self.use(*INCIDENT_SOURCE_IDS, "ne_countries_50m", "ne_land_50m")
        return load_incidents(end=self.as_of.strftime("%Y-%m-%d"))

    @cached_property
    def eez(self):
        """Approximate (or user-supplied Marine Regions) EEZ polygons."""
        from osa_analysis.harmonise.eez import load_eez

        self.use("ne_countries_50m", "ne_land_50m")
        return load_eez()
