"""The cyclone season of a country, read from the tracks that came near it.

For the context section's outlook: in which months the tropical cyclones that passed within
500 km of the country's land did so (the month of each storm's closest approach, from the
agency the exposure section leads with), and the shortest run of consecutive months, across
the turn of the year if need be, that holds at least :data:`SEASON_SHARE` of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SEASON_SHARE = 0.8
"""Share of the storms the season's months hold (at least)."""
MIN_STORMS = 10
"""Fewer storms than this within reach: no season is read from the tracks."""


@dataclass(frozen=True)
class CycloneSeason:
    """The months of a country's cyclone season.

    Attributes
    ----------
    n_storms : int
        Storms of the agency whose track came within ``within_km`` (first to last season).
    by_month : tuple of int
        Storms by month of closest approach, January first.
    months : tuple of int
        The season's months (1-12) in calendar order from its first month, or ``()`` when
        there are fewer than :data:`MIN_STORMS` storms.
    share : float or None
        Share of the storms those months hold.
    peak_month : int or None
        The month with the most storms (the earliest of ties).
    agency, within_km, first_season, last_season
        Where the numbers come from.
    """

    n_storms: int
    by_month: tuple[int, ...]
    months: tuple[int, ...]
    share: float | None
    peak_month: int | None
    agency: str | None
    within_km: int
    first_season: int | None
    last_season: int | None

    def covers(self, month: int) -> bool:
        """Whether ``month`` (1-12) lies in the season."""
        return month in self.months

    def as_dict(self) -> dict:
        """JSON-able values (for ``summary.json``)."""
        return {
            "n_storms": self.n_storms,
            "by_month": list(self.by_month),
            "months": list(self.months),
            "share": self.share,
            "peak_month": self.peak_month,
            "agency": self.agency,
            "within_km": self.within_km,
            "first_season": self.first_season,
            "last_season": self.last_season,
            "rule": (
                f"shortest run of consecutive months holding at least {SEASON_SHARE:.0%} of the "
                f"storms whose track came within {self.within_km} km (month of closest approach)"
            ),
        }


def season_months(
    by_month: np.ndarray, share: float = SEASON_SHARE
) -> tuple[tuple[int, ...], float]:
    """Return the shortest circular run of months holding ``share`` of the counts.

    Ties in length go to the run holding more storms, then to the one starting earlier.

    >>> months, share = season_months(np.array([0, 0, 0, 0, 1, 2, 6, 8, 9, 7, 4, 1]))
    >>> months, round(share, 3)
    ((7, 8, 9, 10, 11), 0.895)
    """
    total = int(by_month.sum())
    if total == 0:
        return (), 0.0
    best: tuple[int, int, int] | None = None  # (length, -held, start)
    for length in range(1, 13):
        for start in range(12):
            held = int(sum(by_month[(start + k) % 12] for k in range(length)))
            if held >= share * total:
                candidate = (length, -held, start)
                if best is None or candidate < best:
                    best = candidate
        if best is not None:
            break
    length, neg_held, start = best
    return tuple((start + k) % 12 + 1 for k in range(length)), -neg_held / total


def cyclone_season(
    passages: pd.DataFrame, agency: str | None, within_km: int = 500
) -> CycloneSeason:
    """Read the season from the storm passages of one agency (:func:`~.hazards.passages_near`).

    Parameters
    ----------
    passages : DataFrame
        One row per agency and storm: ``agency``, ``season``, ``closest_date`` (ISO) and
        ``within_<km>`` flags.
    agency : str or None
        The agency to count (the exposure section's headline agency); ``None``: no season.
    within_km : int
        The reach.
    """
    column = f"within_{within_km}"
    if agency is None or passages.empty or column not in passages:
        near = passages.iloc[0:0] if len(passages) else pd.DataFrame()
    else:
        near = passages[passages["agency"].eq(agency) & passages[column].astype(bool)]
    if near.empty:
        return CycloneSeason(0, (0,) * 12, (), None, None, agency, within_km, None, None)
    months = pd.to_datetime(near["closest_date"]).dt.month.to_numpy()
    by_month = np.bincount(months, minlength=13)[1:]
    n = int(by_month.sum())
    season, share = season_months(by_month) if n >= MIN_STORMS else ((), None)
    return CycloneSeason(
        n_storms=n,
        by_month=tuple(int(v) for v in by_month),
        months=season,
        share=None if share is None else round(float(share), 3),
        peak_month=int(np.argmax(by_month)) + 1,
        agency=agency,
        within_km=within_km,
        first_season=int(near["season"].min()),
        last_season=int(near["season"].max()),
    )
