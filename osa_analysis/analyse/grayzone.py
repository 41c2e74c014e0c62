"""Gray-zone coercion in the South China Sea: SCSDI events with a country as an actor.

The computation of section 4 of the brief. The South China Sea Data Initiative (SCSDI)
codes coercive or confrontational events at sea from news reports; it has no event-type
field, so events are counted by year and by **actor pair** (the states SCSDI names), with
the location precision of their positions. Events dated only to a month or year keep the
year SCSDI gives (``event_year`` of the store's ``incidents`` table).

Entry point: :func:`grayzone`. The analysis applies to South China Sea claimants
(:data:`SCS_CLAIMANTS`) and to other countries with at least :data:`GRAYZONE_MIN_EVENTS`
events as an actor (Indonesia).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from osa_analysis.analyse.incident_tables import share_pct
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore
from osa_analysis.core.dates import parse_coverage
from osa_analysis.core.i18n import N_
from osa_analysis.core.stats import poisson_interval
from osa_analysis.sources.registry import get_source

GRAYZONE_CATEGORY = "gray_zone_coercion"
SCSDI_SOURCE_IDS = ("scsdi_geocoded", "scsdi_published")
"""The geo-coded SCSDI file (v1, CC0) and the published table (internal licence)."""
SCS_CLAIMANTS = ("BRN", "CHN", "MYS", "PHL", "TWN", "VNM")
"""South China Sea claimant states."""
GRAYZONE_MIN_EVENTS = 30
"""A non-claimant gets the gray-zone analysis when SCSDI has at least this many events with
it as an actor (Indonesia); otherwise a short note."""
SCSDI_LEVEL_LABELS = {
    0.08: N_("1 (≈0.08°)"),
    0.4: N_("2 (≈0.4°)"),
    0.7: N_("3–4 (≈0.7°)"),
    1.8: N_("5 (≈1.8°)"),
    7.2: N_("6 (South China Sea as a whole)"),
}
"""SCSDI location precision levels by the radius (degrees) the harmonised table carries
(English in the values; messages, shown translated by the brief)."""
LEVEL6_RADIUS_DEG = 7.2
"""Radius of level 6 (located only to the South China Sea as a whole)."""
OTHER_LEVEL_LABEL = N_("outside 1–6 (e.g. 2.8, 7)")
NO_POSITION_LABEL = N_("no position")
GRAYZONE_MAP_MAX_PRECISION_DEG = 1.8
"""Gray-zone events are mapped when their location radius is at most this (levels 1–5)."""
GRAYZONE_KDE_MAX_PRECISION_DEG = 0.7
"""Only events located to ≤ 0.7° (levels 1–4) enter the density layer."""
MULTILATERAL_MIN = 4
MULTILATERAL = N_("multilateral (4 or more states)")
"""Label of events naming :data:`MULTILATERAL_MIN` or more states (exercises, ASEAN...)."""
TOP_PAIRS = 5
"""Actor pairs shown on their own in the yearly counts and on the map; the rest are
:data:`OTHER_PAIRS`."""
OTHER_PAIRS = N_("other combinations")
PAIR_TABLE_ROWS = 10
"""Actor pairs in the table of counts."""
CHINA = "CHN"


def actor_pair(actors: str) -> str:
    """Name an actor combination: "CHN–PHL", "PHL alone" or :data:`MULTILATERAL`.

    Parameters
    ----------
    actors : str
        ``;``-joined ISO3 codes (``actors_iso3``), in any order.
    """
    parts = sorted(a for a in str(actors).split(";") if a)
    if len(parts) >= MULTILATERAL_MIN:
        return MULTILATERAL
    return f"{parts[0]} alone" if len(parts) == 1 else "–".join(parts)


def actor_events(incidents: pd.DataFrame, iso3: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """SCSDI gray-zone events with ``iso3`` among the actors, up to ``as_of``.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The harmonised incident table with ``event_year`` (the date's year, else the year
        SCSDI gives).
    iso3 : str
        The actor.
    as_of : pandas.Timestamp
        Events dated after it, or undated with a later year, are dropped.

    Returns
    -------
    pandas.DataFrame
        The incident columns plus ``year`` (``event_year``) and ``actor_pair``
        (:func:`actor_pair`), re-indexed from 0.
    """
    gz = incidents[incidents["category"].eq(GRAYZONE_CATEGORY).fillna(False).to_numpy()]
    actors = gz["actors_iso3"].astype("string").fillna("")
    mine = gz[actors.str.split(";").map(lambda a: iso3 in a).to_numpy()].copy()
    mine["year"] = mine["event_year"]
    keep = mine["date"].le(as_of).fillna(False) | (
        mine["date"].isna() & mine["year"].le(as_of.year).fillna(False)
    )
    mine = mine[keep.to_numpy()].copy()
    mine["actor_pair"] = mine["actors_iso3"].astype("string").map(actor_pair)
    return mine.reset_index(drop=True)


def grayzone_events(scope: Scope, tables: TableStore) -> pd.DataFrame:
    """SCSDI gray-zone events with the scope country among the actors, up to ``as_of``.

    Events without a full date keep the year SCSDI gives (``year``). See
    :func:`actor_events` for the columns.
    """
    return actor_events(tables.get("incidents"), scope.country_iso3, scope.as_of)


def scsdi_coverage() -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """Return the first and last dates of each SCSDI file (registry ``coverage``)."""
    return {sid: parse_coverage(get_source(sid).coverage) for sid in SCSDI_SOURCE_IDS}


def ranked_pairs(events: pd.DataFrame) -> pd.Series:
    """Events per actor pair, most first (ties in alphabetical order)."""
    counts = events["actor_pair"].value_counts()
    return counts.sort_index().sort_values(ascending=False, kind="stable")


def pair_groups(events: pd.DataFrame, top: list[str]) -> pd.Series:
    """Each event's actor pair when among ``top``, else :data:`OTHER_PAIRS`."""
    return events["actor_pair"].where(events["actor_pair"].isin(top), OTHER_PAIRS)


def pairs_by_year(events: pd.DataFrame, years: list[int], top: list[str]) -> pd.DataFrame:
    """Events per year (rows ``years``) and pair group (``top`` then :data:`OTHER_PAIRS`).

    Groups without any event in ``years`` are left out.
    """
    by_year = (
        pd.crosstab(events["year"].astype(int), pair_groups(events, top))
        .reindex(index=years, fill_value=0)
        .reindex(columns=[*top, OTHER_PAIRS], fill_value=0)
    )
    return by_year.loc[:, by_year.sum() > 0]


def precision_levels(events: pd.DataFrame) -> list[dict]:
    """Events by SCSDI location precision level.

    Returns
    -------
    list of dict
        One row per :data:`SCSDI_LEVEL_LABELS` level (``level``, ``radius_deg``,
        ``events``, ``mapped``, ``in_density``), then the events with a position at
        another radius and those without a position (``radius_deg`` None).
    """
    level = events["position_precision_deg"].round(2)
    rows = [
        {
            "level": label,
            "radius_deg": radius,
            "events": int(level.eq(radius).sum()),
            "mapped": bool(radius <= GRAYZONE_MAP_MAX_PRECISION_DEG),
            "in_density": bool(radius <= GRAYZONE_KDE_MAX_PRECISION_DEG),
        }
        for radius, label in SCSDI_LEVEL_LABELS.items()
    ]
    odd = int((events["latitude"].notna() & ~level.isin(list(SCSDI_LEVEL_LABELS))).sum())
    for label, n in (
        (OTHER_LEVEL_LABEL, odd),
        (NO_POSITION_LABEL, int(events["latitude"].isna().sum())),
    ):
        rows.append(
            {"level": label, "radius_deg": None, "events": n, "mapped": False, "in_density": False}
        )
    return rows


def mapped_events(events: pd.DataFrame, top: list[str]) -> pd.DataFrame:
    """Events located well enough to map (≤ :data:`GRAYZONE_MAP_MAX_PRECISION_DEG`).

    Returns
    -------
    pandas.DataFrame
        ``longitude``, ``latitude``, ``group`` (:func:`pair_groups`) and ``in_density``
        (located to ≤ :data:`GRAYZONE_KDE_MAX_PRECISION_DEG`).
    """
    radius = events["position_precision_deg"]
    pts = events[radius.le(GRAYZONE_MAP_MAX_PRECISION_DEG).fillna(False).to_numpy()]
    return pd.DataFrame(
        {
            "longitude": pts["longitude"].to_numpy(float),
            "latitude": pts["latitude"].to_numpy(float),
            "group": pair_groups(pts, top).to_numpy(),
            "in_density": pts["position_precision_deg"]
            .le(GRAYZONE_KDE_MAX_PRECISION_DEG)
            .to_numpy(),
        }
    )


@dataclass(frozen=True)
class GrayzoneBreakdown:
    """The counts of an applicable gray-zone analysis.

    Attributes
    ----------
    coverage : dict of str to (Timestamp, Timestamp)
        First and last dates of each SCSDI file (:func:`scsdi_coverage`).
    geocoded_end : int
        Last year of the geo-coded file (the published table holds most events after it).
    data_end : int
        Last year of SCSDI data (the published table).
    first_year, last_year : int
        Years counted: the geo-coded file's first year to ``min(data_end, as_of year)``.
    years : list of int
        ``first_year`` … ``last_year``.
    pair_counts : pandas.Series
        Events per actor pair, most first (:func:`ranked_pairs`).
    top_pairs : list of str
        The :data:`TOP_PAIRS` largest pairs.
    by_year : pandas.DataFrame
        :func:`pairs_by_year`.
    recent_years : list of int
        The last ``lookback_years`` of ``years`` (empty when none).
    recent_events : pandas.DataFrame
        Events of those years.
    n_recent : int
        Their number.
    n_recent_interval : list of float
        Exact Poisson 95% interval of ``n_recent`` (4 decimals).
    n_recent_with_china : int
        Recent events naming China.
    share_recent_with_china_pct : float or None
        Their share of ``n_recent``.
    n_undated : int
        Events dated only to the month or year.
    precision : list of dict
        :func:`precision_levels`.
    n_level6, n_other_level, n_no_position : int
        Events located only to the South China Sea, at another radius, without a position.
    pair_table_recent : dict of str to int
        Recent events of the :data:`PAIR_TABLE_ROWS` largest pairs.
    mapped : pandas.DataFrame
        :func:`mapped_events`.
    """

    coverage: dict
    geocoded_end: int
    data_end: int
    first_year: int
    last_year: int
    years: list[int]
    pair_counts: pd.Series
    top_pairs: list[str]
    by_year: pd.DataFrame
    recent_years: list[int]
    recent_events: pd.DataFrame
    n_recent: int
    n_recent_interval: list[float]
    n_recent_with_china: int
    share_recent_with_china_pct: float | None
    n_undated: int
    precision: list[dict]
    n_level6: int
    n_other_level: int
    n_no_position: int
    pair_table_recent: dict
    mapped: pd.DataFrame


@dataclass(frozen=True)
class GrayzoneResult:
    """SCSDI gray-zone events with one country as an actor, up to ``as_of``.

    Attributes
    ----------
    country_iso3 : str
        The actor.
    as_of : pandas.Timestamp
        Last date of data.
    lookback_years : int
        Years of the "recent" count.
    claimant : bool
        Whether the country is a South China Sea claimant.
    events : pandas.DataFrame
        :func:`grayzone_events`.
    applicable : bool
        Whether the analysis applies (a claimant with events, or a non-claimant with at
        least :data:`GRAYZONE_MIN_EVENTS`).
    reason : str or None
        Why not, when not applicable.
    data_start : pandas.Timestamp
        First date of the geo-coded SCSDI file.
    breakdown : GrayzoneBreakdown or None
        The counts, when applicable.
    """

    country_iso3: str
    as_of: pd.Timestamp
    lookback_years: int
    claimant: bool
    events: pd.DataFrame
    applicable: bool
    reason: str | None
    data_start: pd.Timestamp
    breakdown: GrayzoneBreakdown | None = None

    @property
    def n_events(self) -> int:
        """Number of events."""
        return len(self.events)

    @property
    def year_span(self) -> tuple[int, int] | None:
        """First and last year of the events (None without events)."""
        if self.events.empty:
            return None
        return int(self.events["year"].min()), int(self.events["year"].max())


def not_applicable_reason(n_events: int, claimant: bool) -> str | None:
    """Why the analysis does not apply to a country (None when it does)."""
    if claimant:
        return "no SCSDI events up to as_of" if n_events == 0 else None
    if n_events == 0:
        return "not a South China Sea claimant and not an actor in SCSDI"
    if n_events < GRAYZONE_MIN_EVENTS:
        return "not a South China Sea claimant; too few SCSDI events"
    return None


def grayzone_breakdown(
    events: pd.DataFrame,
    coverage: dict[str, tuple[pd.Timestamp, pd.Timestamp]],
    as_of_year: int,
    lookback_years: int,
) -> GrayzoneBreakdown:
    """Count a country's gray-zone events by year, actor pair and location precision.

    Parameters
    ----------
    events : pandas.DataFrame
        :func:`actor_events` (at least one event).
    coverage : dict
        :func:`scsdi_coverage`.
    as_of_year : int
        Year of ``as_of``.
    lookback_years : int
        Years of the "recent" count.
    """
    data_end = int(coverage["scsdi_published"][1].year)
    last_year = int(min(data_end, as_of_year))
    first_year = int(coverage["scsdi_geocoded"][0].year)
    years = list(range(first_year, last_year + 1))
    pairs = ranked_pairs(events)
    top = list(pairs.index[:TOP_PAIRS])
    recent_years = [y for y in years if y > last_year - int(lookback_years)]
    recent = events[events["year"].isin(recent_years).to_numpy()]
    with_china = recent["actors_iso3"].astype("string").str.contains(CHINA).fillna(False)
    precision = precision_levels(events)
    by_level = {p["level"]: p["events"] for p in precision}
    n_recent = len(recent)
    return GrayzoneBreakdown(
        coverage=coverage,
        geocoded_end=int(coverage["scsdi_geocoded"][1].year),
        data_end=data_end,
        first_year=first_year,
        last_year=last_year,
        years=years,
        pair_counts=pairs,
        top_pairs=top,
        by_year=pairs_by_year(events, years, top),
        recent_years=recent_years,
        recent_events=recent,
        n_recent=n_recent,
        n_recent_interval=[round(v, 4) for v in poisson_interval(n_recent)],
        n_recent_with_china=int(with_china.sum()),
        share_recent_with_china_pct=share_pct(int(with_china.sum()), n_recent),
        n_undated=int(events["date"].isna().sum()),
        precision=precision,
        n_level6=by_level[SCSDI_LEVEL_LABELS[LEVEL6_RADIUS_DEG]],
        n_other_level=by_level[OTHER_LEVEL_LABEL],
        n_no_position=by_level[NO_POSITION_LABEL],
        pair_table_recent={
            k: int(recent["actor_pair"].eq(k).sum()) for k in list(pairs.index)[:PAIR_TABLE_ROWS]
        },
        mapped=mapped_events(events, top),
    )


def grayzone(scope: Scope, tables: TableStore) -> GrayzoneResult:
    """Analyse the SCSDI gray-zone events with the scope country as an actor (section 4).

    Parameters
    ----------
    scope : Scope
        Country, ``as_of`` and ``lookback_years``.
    tables : TableStore
        Table ``incidents``.

    Returns
    -------
    GrayzoneResult
        With a :class:`GrayzoneBreakdown` when the analysis applies.
    """
    events = grayzone_events(scope, tables)
    claimant = scope.country_iso3 in SCS_CLAIMANTS
    reason = not_applicable_reason(len(events), claimant)
    coverage = scsdi_coverage()
    breakdown = (
        None if reason else grayzone_breakdown(events, coverage, scope.year, scope.lookback_years)
    )
    return GrayzoneResult(
        country_iso3=scope.country_iso3,
        as_of=scope.as_of,
        lookback_years=int(scope.lookback_years),
        claimant=claimant,
        events=events,
        applicable=reason is None,
        reason=reason,
        data_start=coverage["scsdi_geocoded"][0],
        breakdown=breakdown,
    )
