"""What one analysis is about: a country, an as-of date, a look-back period and peers."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from osa_analysis.core.dates import as_timestamp, last_complete_year


@dataclass(frozen=True)
class Scope:
    """The question an analysis answers: which country, as of when, compared with whom.

    Built once per brief from the validated parameters
    (:meth:`osa_analysis.build.params.BriefParams.scope`) and passed to every analysis
    function with the :class:`~osa_analysis.analyse.tables.TableStore`. Nothing dated after
    ``as_of`` may enter a result.

    Parameters
    ----------
    country_iso3 : str
        ISO3 code of the country (upper-cased).
    as_of : pandas.Timestamp
        Last date of data (a date or ISO string is converted once, to midnight).
    lookback_years : int
        Years in the "recent" comparison period.
    peers : tuple of str
        Comparison countries (the country itself may be among them).
    """

    country_iso3: str
    as_of: pd.Timestamp
    lookback_years: int = 5
    peers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "country_iso3", str(self.country_iso3).strip().upper())
        object.__setattr__(self, "as_of", as_timestamp(self.as_of))
        object.__setattr__(self, "peers", tuple(str(p).upper() for p in self.peers))

    @property
    def year(self) -> int:
        """Calendar year of ``as_of``."""
        return int(self.as_of.year)

    @property
    def last_complete_year(self) -> int:
        """Latest year whose 31 December is on or before ``as_of``."""
        return last_complete_year(self.as_of)

    @property
    def as_of_text(self) -> str:
        """``as_of`` as ``YYYY-MM-DD``."""
        return self.as_of.strftime("%Y-%m-%d")

    @property
    def countries(self) -> tuple[str, ...]:
        """The country followed by its peers, without repetition."""
        return tuple(dict.fromkeys((self.country_iso3, *self.peers)))

    def for_country(self, iso3: str) -> Scope:
        """Return the same question about another country (same date and peers)."""
        return dataclasses.replace(self, country_iso3=iso3)
