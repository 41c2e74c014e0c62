"""Maritime incidents in a country's waters: counts, trend, severity, time of day, vessels.

The computation of section 3 of the brief (``brief-anchors.md`` Part B section 5, after
ReCAAP's reports): incidents per year with the reporting channels that existed each year,
a rate ratio of the last ``lookback_years`` against the previous equal period with its
exact Poisson interval (a change is named only when the interval excludes 1 **and** the
same channels covered both periods; otherwise a like-for-like check on the one channel
covering both), the severity mix (ReCAAP labels vs derived), time of day and darkness
(:mod:`osa_analysis.analyse.incident_times`), vessel status and type and how far the sources
agree (:mod:`osa_analysis.analyse.incident_tables`), and what is known when the data are
thin (EEZ area, military expenditure).

Incidents are attributed to a coastal state by EEZ (approximate unless Marine Regions data
is supplied; the method string is in the data). Entry point: :func:`maritime_incidents`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from osa_analysis.analyse.channels import (
    COVERAGE_GROUPS,
    coverage_fractions,
    in_source_group,
    source_coverage,
)
from osa_analysis.analyse.incident_tables import (
    severity_summary,
    severity_table,
    source_agreement_summary,
    vessel_status_summary,
    vessel_status_table,
    vessel_type_table,
)
from osa_analysis.analyse.incident_times import (
    incident_times,
    time_of_day_method,
    time_of_day_summary,
)
from osa_analysis.analyse.scope import Scope
from osa_analysis.analyse.tables import TableStore
from osa_analysis.core.dates import iso_date
from osa_analysis.core.stats import RateRatio, poisson_interval, rate_ratio
from osa_analysis.harmonise.incidents import BORDER_ZONE_KM

MARITIME_CATEGORIES = ("piracy_armed_robbery", "other_hostile")
"""Categories of section 3 (gray-zone coercion is section 4)."""
TREND_CATEGORY = "piracy_armed_robbery"
"""The category whose counts the period comparison uses (ReCAAP's scope)."""

THIN_DATA_MIN_EVENTS = 20
"""Fewer incidents than this in the two comparison periods together: the section reports
what is known instead of trends, severity mix and time of day."""
COMPARABLE_TOLERANCE = 0.05
"""Two periods are comparable when every source covers the same share of both (±5 points)."""
MIN_CHART_YEARS = 15
"""The annual chart covers at least this many years (and at least both periods)."""
COARSE_POSITION_DEG = 0.5
"""A position this imprecise or worse is drawn as an approximate one."""
LIVE_COARSE_UNTIL = "2026-01-21"
"""Live-feed ReCAAP positions before this date are whole degrees (registry notes)."""
LIVE_COARSE_DEG = 1
IMB_SOURCE_SWITCH_YEAR = 2015
"""Crime at Sea takes 1993–2014 from the mappingpiracy archive, 2015–2020 from IMB
(registry notes of ``imb_pirate_attacks``)."""
CONFIDENCE_PCT = 95


# --------------------------------------------------------------------------- events


def country_eez(iso3: str, eez: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the EEZ rows of one country (empty for landlocked countries).

    With Marine Regions data only ``200NM`` polygons are kept (not overlapping claims or
    joint regimes); the approximate EEZ has one row per coastal state.

    Parameters
    ----------
    iso3 : str
        ISO3 code.
    eez : geopandas.GeoDataFrame
        Table ``eez`` of the store (``country_iso3``, ``area_km2``, ``method``, optional
        ``pol_type``).
    """
    rows = eez[eez["country_iso3"].eq(iso3).fillna(False).to_numpy()]
    if "pol_type" in rows and rows["pol_type"].eq("200NM").any():
        rows = rows[rows["pol_type"].eq("200NM").to_numpy()]
    return rows


def eez_summary(iso3: str, eez: gpd.GeoDataFrame) -> dict | None:
    """Return ``area_km2`` (rounded) and ``method`` of a country's EEZ; None when it has none."""
    rows = country_eez(iso3, eez)
    if rows.empty:
        return None
    return {
        "area_km2": round(float(rows["area_km2"].sum())),
        "method": str(rows["method"].iloc[0]),
    }


def country_events(incidents: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """Dated events attributed to ``iso3`` as coastal state (every category).

    Parameters
    ----------
    incidents : pandas.DataFrame
        The harmonised incident table (table ``incidents`` of the store, cut at ``as_of``).
    iso3 : str
        The coastal state.

    Returns
    -------
    pandas.DataFrame
        The rows with a ``date`` and ``coastal_state_iso3 == iso3``, re-indexed from 0.
    """
    dated = incidents[incidents["date"].notna().to_numpy()].reset_index(drop=True)
    keep = dated["coastal_state_iso3"].eq(iso3).fillna(False).to_numpy()
    return dated[keep].reset_index(drop=True)


def of_categories(events: pd.DataFrame, *categories: str) -> pd.DataFrame:
    """Return the events of the given categories (index kept)."""
    return events[events["category"].isin(categories).fillna(False).to_numpy()]


def names_country(lists: pd.Series, iso3: str) -> np.ndarray:
    """Whether each ``;``-joined list of ISO3 codes (NA: none) names ``iso3``."""
    split = lists.astype("string").str.split(";")
    return split.map(lambda v: isinstance(v, list) and iso3 in v).to_numpy(bool)


def ambiguous_events(incidents: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """Dated piracy and armed-robbery events that may lie in ``iso3``'s EEZ or another's.

    Their position is coarse (e.g. whole-degree live-feed rows) and its uncertainty box
    meets several EEZs (``attribution_alternatives``): no country counts them.
    """
    if "attribution_alternatives" not in incidents:
        return incidents.iloc[0:0]
    keep = (
        incidents["date"].notna().to_numpy()
        & names_country(incidents["attribution_alternatives"], iso3)
        & incidents["category"].eq(TREND_CATEGORY).fillna(False).to_numpy(bool)
    )
    return incidents[keep].reset_index(drop=True)


def border_zone_counts(incidents: pd.DataFrame, iso3: str, period: dict) -> dict[str, int]:
    """Count ``period``'s piracy and armed-robbery events near ``iso3``'s EEZ limits.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The harmonised event table (``coastal_state_iso3``, ``border_states``,
        ``category``, ``date``).
    iso3 : str
    period : dict
        ``start`` and ``end`` (inclusive).

    Returns
    -------
    dict
        ``counted``: events attributed to ``iso3``; ``border_out``: of these, those within
        the border zone of another state (they could be a neighbour's); ``border_in``:
        events attributed to another state with ``iso3`` within the border zone (they could
        be ``iso3``'s); ``alternative``: the count when every border-zone event goes the
        other way (``counted − border_out + border_in``).
    """
    dated = incidents[
        in_period(incidents, period).to_numpy(bool)
        & incidents["category"].eq(TREND_CATEGORY).fillna(False).to_numpy(bool)
    ]
    own = dated["coastal_state_iso3"].eq(iso3).fillna(False).to_numpy(bool)
    if "border_states" in dated:
        near = names_country(dated["border_states"], iso3)
        any_border = dated["border_states"].notna().to_numpy(bool)
    else:
        near = any_border = np.zeros(len(dated), dtype=bool)
    counted, out, into = int(own.sum()), int((own & any_border).sum()), int((~own & near).sum())
    return {
        "counted": counted,
        "border_out": out,
        "border_in": into,
        "alternative": counted - out + into,
    }


def comparison_periods(as_of: pd.Timestamp, years: int) -> dict[str, dict[str, pd.Timestamp]]:
    """Return the recent period (``years`` to ``as_of``) and the equal period before it.

    Both are inclusive date ranges: recent = (as_of − years, as_of], previous =
    (as_of − 2·years, as_of − years].
    """
    as_of = pd.Timestamp(as_of).normalize()
    cut = as_of - pd.DateOffset(years=years)
    first = as_of - pd.DateOffset(years=2 * years)
    return {
        "recent": {"start": cut + pd.Timedelta(days=1), "end": as_of},
        "previous": {"start": first + pd.Timedelta(days=1), "end": cut},
    }


def in_period(events: pd.DataFrame, period: dict) -> pd.Series:
    """Whether each event is dated within ``period`` (``start``…``end``, inclusive)."""
    return events["date"].between(period["start"], period["end"]).fillna(False)


def period_dates(periods: dict[str, dict[str, pd.Timestamp]]) -> dict[str, dict[str, str]]:
    """Return :func:`comparison_periods` with ISO date strings."""
    return {
        k: {"start": iso_date(v["start"]), "end": iso_date(v["end"])} for k, v in periods.items()
    }


def annual_counts(
    events: pd.DataFrame,
    start_year: int,
    end_year: int,
    coverage: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Events per year and category, with the reporting channels active each year.

    Parameters
    ----------
    events : DataFrame
        Harmonised events (``date``, ``category``).
    start_year, end_year : int
        Inclusive range of years (years without events are 0).
    coverage : DataFrame, optional
        :func:`~osa_analysis.analyse.channels.source_coverage` (default: read from the
        registry).

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year``, one count column per category
        (``piracy_armed_robbery``, ``other_hostile``, ``gray_zone_coercion``), ``total``
        (the first two), ``sources_active`` (labels of the channels whose coverage
        overlaps the year, ``; ``-joined), ``n_sources_active`` and ``coverage_changed``
        (the set differs from the year before; False for the first year).
    """
    coverage = source_coverage() if coverage is None else coverage
    years = list(range(int(start_year), int(end_year) + 1))
    cats = [*MARITIME_CATEGORIES, "gray_zone_coercion"]
    dated = events[events["date"].notna()]
    table = (
        pd.crosstab(dated["date"].dt.year, dated["category"])
        .reindex(index=years, columns=cats, fill_value=0)
        .fillna(0)
        .astype(int)
    )
    table.index.name = "year"
    out = table.reset_index()
    out.columns.name = None
    out["total"] = out[list(MARITIME_CATEGORIES)].sum(axis=1)
    active = []
    for year in years:
        lo, hi = pd.Timestamp(f"{year}-01-01"), pd.Timestamp(f"{year}-12-31")
        labels = [r.label for r in coverage.itertuples() if r.start <= hi and r.end >= lo]
        active.append("; ".join(labels))
    out["sources_active"] = active
    out["n_sources_active"] = [len(a.split("; ")) if a else 0 for a in active]
    out["coverage_changed"] = out["sources_active"].ne(out["sources_active"].shift()) & (
        out.index > 0
    )
    return out


# --------------------------------------------------------------------------- trend


def rate_ratio_dict(rr: RateRatio) -> dict:
    """Return a rate ratio as a dict with ``estimate``, ``low``, ``high`` rounded to 4 places.

    Infinite or undefined bounds become None (JSON has no infinity).
    """
    out = rr.as_dict()
    for key in ("estimate", "low", "high"):
        value = out[key]
        out[key] = None if value is None or not math.isfinite(value) else round(value, 4)
    return out


def like_for_like_group(
    as_of: pd.Timestamp, years: int, coverage: pd.DataFrame
) -> tuple[str, pd.Timestamp] | None:
    """Find the channel covering two whole equal periods ending nearest before ``as_of``.

    Returns
    -------
    tuple or None
        ``(group, end)``: the channel and the end of its comparison window
        (``min(as_of, channel end)``); the most recent such window wins. ``None`` when no
        channel covers ``2 × years`` on its own.
    """
    best = None
    for row in coverage.itertuples():
        end = min(pd.Timestamp(as_of).normalize(), row.end)
        start = end - pd.DateOffset(years=2 * years) + pd.Timedelta(days=1)
        if row.start <= start and (best is None or end > best[1]):
            best = (row.group, end)
    return best


def _like_for_like(
    events: pd.DataFrame, as_of: pd.Timestamp, years: int, coverage: pd.DataFrame
) -> dict | None:
    """Compare the periods on the events of the one channel covering two whole periods."""
    choice = like_for_like_group(as_of, years, coverage)
    if choice is None:
        return None
    group, end = choice
    periods = comparison_periods(end, years)
    mine = events[in_source_group(events, group).to_numpy()]
    a = int(in_period(mine, periods["recent"]).sum())
    b = int(in_period(mine, periods["previous"]).sum())
    rr = rate_ratio(a, b, years, years)
    return {
        "group": group,
        "label": COVERAGE_GROUPS[group][0],
        "periods": period_dates(periods),
        "recent": a,
        "previous": b,
        "rate_ratio": rate_ratio_dict(rr),
        "direction": rr.direction,
    }


def period_comparison(
    events: pd.DataFrame,
    as_of: pd.Timestamp,
    years: int,
    coverage: pd.DataFrame | None = None,
    category: str = TREND_CATEGORY,
) -> dict:
    """Compare the last ``years`` with the previous equal period: counts, rate ratio, coverage.

    Parameters
    ----------
    events : DataFrame
        The country's events (``date``, ``category``, ``sources``).
    as_of : Timestamp
        End of the recent period.
    years : int
        Length of each period.
    coverage : DataFrame, optional
        :func:`~osa_analysis.analyse.channels.source_coverage`.
    category : str
        Category counted.

    Returns
    -------
    dict
        ``periods`` (ISO dates), ``recent`` and ``previous`` counts, ``recent_interval``
        (exact Poisson 95%), ``rate_ratio`` (:class:`~osa_analysis.core.stats.RateRatio` as a
        dict), ``coverage`` (share of each period each channel covers; ``coverage_pct``
        the same in %), ``comparable``
        (every channel covers both periods alike, ±:data:`COMPARABLE_TOLERANCE`),
        ``direction`` ("increase"/"decrease"/"no clear change", or "not comparable") and
        ``like_for_like`` (when not comparable: the same comparison restricted to events
        reported by the one channel covering two whole periods, ending at its last day;
        ``None`` when comparable or no channel qualifies).
    """
    coverage = source_coverage() if coverage is None else coverage
    periods = comparison_periods(as_of, years)
    sel = events[events["category"].eq(category).fillna(False).to_numpy()]
    n_recent = int(in_period(sel, periods["recent"]).sum())
    n_prev = int(in_period(sel, periods["previous"]).sum())
    rr = rate_ratio(n_recent, n_prev, years, years)
    cov = {name: coverage_fractions(p["start"], p["end"], coverage) for name, p in periods.items()}
    comparable = all(
        abs(cov["recent"][g] - cov["previous"][g]) <= COMPARABLE_TOLERANCE for g in cov["recent"]
    )
    return {
        "category": category,
        "periods": period_dates(periods),
        "recent": n_recent,
        "previous": n_prev,
        "recent_interval": [round(v, 4) for v in poisson_interval(n_recent)],
        "rate_ratio": rate_ratio_dict(rr),
        "coverage": cov,
        "coverage_pct": {k: {g: round(100 * f, 1) for g, f in v.items()} for k, v in cov.items()},
        "comparable": comparable,
        "direction": rr.direction if comparable else "not comparable",
        "like_for_like": None if comparable else _like_for_like(sel, as_of, years, coverage),
    }


# --------------------------------------------------------------------------- context


def milex_latest(share: pd.DataFrame, usd: pd.DataFrame, iso3: str, as_of_year: int) -> dict:
    """Latest military expenditure (% of GDP and current US$) up to ``as_of_year``.

    Parameters
    ----------
    share, usd : pandas.DataFrame
        Tables ``wb_milex_share`` (``milex_share_gdp_pct``) and ``wb_milex_usd``
        (``milex_usd``), long by ``country_iso3`` and ``year``.
    iso3 : str
        The country.
    as_of_year : int
        Last year considered.

    Returns
    -------
    dict
        ``share_gdp_pct`` (2 decimals) and ``share_year``, ``usd`` (whole dollars) and
        ``usd_year`` (None when the World Bank publishes no value for the country).
    """
    out = {"share_gdp_pct": None, "share_year": None, "usd": None, "usd_year": None}
    for frame, col, key in ((share, "milex_share_gdp_pct", "share"), (usd, "milex_usd", "usd")):
        rows = frame[
            frame["country_iso3"].eq(iso3).fillna(False)
            & frame[col].notna()
            & frame["year"].le(as_of_year)
        ]
        if len(rows):
            last = rows.sort_values("year").iloc[-1]
            value = float(last[col])
            out["share_gdp_pct" if key == "share" else "usd"] = (
                round(value, 2) if key == "share" else round(value)
            )
            out[f"{key}_year"] = int(last["year"])
    return out


def _flag(value) -> bool | None:
    """Read a yes/no field of the curated country table (None when not recorded)."""
    try:
        missing = value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        missing = False
    return None if missing else bool(value)


def recaap_status(country: dict) -> dict:
    """Whether a country is a ReCAAP Contracting Party and its waters in ReCAAP's area.

    Parameters
    ----------
    country : dict
        The country's row of the curated table ``recipient_countries``.

    Returns
    -------
    dict
        ``contracting_party`` and ``in_area``: True, False or None (not recorded).
    """
    return {
        "contracting_party": _flag(country.get("recaap_contracting_party")),
        "in_area": _flag(country.get("in_recaap_area")),
    }


# --------------------------------------------------------------------------- the section


@dataclass(frozen=True)
class MaritimeResult:
    """Maritime incidents in one country's (approximate) EEZ up to ``as_of``.

    Attributes
    ----------
    country_iso3 : str
        The coastal state.
    as_of : pandas.Timestamp
        End of the recent period.
    lookback_years : int
        Length of each comparison period.
    eez_area_km2 : int
        Area of the country's EEZ.
    eez_method : str
        How incidents were attributed to coastal states (the events' ``eez_method``, or
        the EEZ table's when the country has no events).
    coverage : pandas.DataFrame
        Reporting channels and their dates (:func:`~osa_analysis.analyse.channels.source_coverage`).
    periods : dict
        :func:`comparison_periods` (Timestamps).
    events : pandas.DataFrame
        The country's dated events, every category (:func:`country_events`).
    maritime : pandas.DataFrame
        Those of :data:`MARITIME_CATEGORIES`.
    trend : pandas.DataFrame
        Those of :data:`TREND_CATEGORY` (piracy and armed robbery).
    recent, previous : pandas.DataFrame
        ``trend`` events in the recent and the previous period.
    comparison : dict
        :func:`period_comparison` of the two periods.
    n_other_recent : int
        Other hostile acts in the recent period.
    n_ambiguous_recent : int
        Piracy and armed-robbery events of the recent period whose coarse position may lie
        in this country's EEZ or a neighbour's (:func:`ambiguous_events`): counted for
        neither.
    border_zone : dict
        :func:`border_zone_counts` of the recent period, with ``km`` (the border zone's
        width, :data:`~osa_analysis.harmonise.incidents.BORDER_ZONE_KM`).
    thin : bool
        Fewer than :data:`THIN_DATA_MIN_EVENTS` ``trend`` events in the two periods.
    all_time : dict
        ``n``, ``first_date``, ``last_date`` (ISO) of every ``trend`` event.
    first_year : int
        First year of the annual chart of a full section (both periods, at least
        :data:`MIN_CHART_YEARS` years).
    history : bool
        The data are thin but the record holds at least :data:`THIN_DATA_MIN_EVENTS`
        incidents: ``annual_counts`` starts at the first of them instead.
    annual_counts : pandas.DataFrame
        :func:`annual_counts` from ``first_year`` (or the first incident) to ``as_of``.
    recaap : dict
        :func:`recaap_status`.
    milex : dict
        :func:`milex_latest`.
    known : dict
        What is known when the data are thin: ``eez_area_km2``, ``incidents_all_time``,
        ``first_incident``, ``latest_incident``, ``records_begin`` (start of the first
        channel), ``milex``.
    severity : pandas.DataFrame
        :func:`severity_table` of ``recent``.
    severity_summary : dict
        :func:`severity_summary` of it.
    severity_years : list of int
        Years of the severity chart (the previous period's first year to ``as_of``).
    severity_events : pandas.DataFrame
        ``trend`` events of those years.
    map_events : pandas.DataFrame
        Events to map: ``maritime`` events of the recent period, or all of them when
        ``thin``.
    times : pandas.DataFrame
        :func:`~osa_analysis.analyse.incident_times.incident_times` of ``recent``.
    time_of_day : dict
        :func:`~osa_analysis.analyse.incident_times.time_of_day_summary` of ``times`` with
        :func:`~osa_analysis.analyse.incident_times.time_of_day_method`.
    vessel_status, vessel_type : pandas.DataFrame
        :func:`vessel_status_table` and :func:`vessel_type_table` of ``recent``.
    vessel_status_summary : dict
        :func:`vessel_status_summary` of ``vessel_status``.
    source_agreement : dict
        :func:`source_agreement_summary` of ``recent`` and ``previous``, by period.
    """

    country_iso3: str
    as_of: pd.Timestamp
    lookback_years: int
    eez_area_km2: int
    eez_method: str
    coverage: pd.DataFrame
    periods: dict
    events: pd.DataFrame
    maritime: pd.DataFrame
    trend: pd.DataFrame
    recent: pd.DataFrame
    previous: pd.DataFrame
    comparison: dict
    n_other_recent: int
    n_ambiguous_recent: int
    border_zone: dict
    thin: bool
    all_time: dict
    first_year: int
    history: bool
    annual_counts: pd.DataFrame
    recaap: dict
    milex: dict
    known: dict
    severity: pd.DataFrame
    severity_summary: dict
    severity_years: list[int]
    severity_events: pd.DataFrame
    map_events: pd.DataFrame
    times: pd.DataFrame
    time_of_day: dict
    vessel_status: pd.DataFrame
    vessel_type: pd.DataFrame
    vessel_status_summary: dict
    source_agreement: dict

    @property
    def significant(self) -> bool | None:
        """Whether the change is significant; None when thin or not like for like."""
        if self.thin or not self.comparison["comparable"]:
            return None
        return self.comparison["rate_ratio"]["significant"]


def all_time_span(events: pd.DataFrame) -> dict:
    """Return ``n``, ``first_date`` and ``last_date`` (ISO; None when empty) of dated events."""
    dates = events["date"].dropna()
    return {
        "n": len(dates),
        "first_date": iso_date(dates.min()) if len(dates) else None,
        "last_date": iso_date(dates.max()) if len(dates) else None,
    }


def _attribution_method(events: pd.DataFrame, eez_method: str) -> str:
    """Return the events' EEZ attribution method, else the EEZ table's."""
    methods = events["eez_method"].dropna()
    return str(methods.iloc[0]) if len(methods) else eez_method


def _chart_counts(
    events: pd.DataFrame,
    all_time: dict,
    first_year: int,
    as_of: pd.Timestamp,
    thin: bool,
    coverage: pd.DataFrame,
) -> tuple[bool, pd.DataFrame]:
    """Annual counts of the chart: from ``first_year``, or the whole record when thin but long."""
    history = thin and all_time["n"] >= THIN_DATA_MIN_EVENTS
    if history:
        first_year = min(int(all_time["first_date"][:4]), first_year)
    return history, annual_counts(events, first_year, as_of.year, coverage)


def _time_of_day(recent: pd.DataFrame, iso3: str) -> tuple[pd.DataFrame, dict]:
    times = incident_times(recent, iso3)
    return times, {**time_of_day_summary(times), **time_of_day_method()}


def maritime_incidents(scope: Scope, tables: TableStore) -> MaritimeResult | None:
    """Analyse the maritime incidents in the scope country's EEZ (section 3 of the brief).

    Parameters
    ----------
    scope : Scope
        Country, ``as_of`` and ``lookback_years`` (length of each comparison period).
    tables : TableStore
        Tables ``eez``, ``incidents``, ``recipient_countries``, ``wb_milex_share`` and
        ``wb_milex_usd``.

    Returns
    -------
    MaritimeResult or None
        None when the country has no EEZ (landlocked).
    """
    iso3, as_of, years = scope.country_iso3, scope.as_of, int(scope.lookback_years)
    eez = eez_summary(iso3, tables.get("eez"))
    if eez is None:
        return None
    coverage = source_coverage()
    events = country_events(tables.get("incidents"), iso3)
    maritime = of_categories(events, *MARITIME_CATEGORIES)
    trend = of_categories(maritime, TREND_CATEGORY)
    periods = comparison_periods(as_of, years)
    recent = trend[in_period(trend, periods["recent"]).to_numpy()]
    previous = trend[in_period(trend, periods["previous"]).to_numpy()]
    comparison = period_comparison(maritime, as_of, years, coverage)
    thin = comparison["recent"] + comparison["previous"] < THIN_DATA_MIN_EVENTS
    all_time = all_time_span(trend)
    first_year = as_of.year - max(2 * years, MIN_CHART_YEARS) + 1
    history, counts = _chart_counts(events, all_time, first_year, as_of, thin, coverage)
    country = tables.get("recipient_countries").set_index("country_iso3").loc[iso3].to_dict()
    milex = milex_latest(tables.get("wb_milex_share"), tables.get("wb_milex_usd"), iso3, as_of.year)
    severity = severity_table(recent)
    severity_years = list(range(periods["previous"]["start"].year, as_of.year + 1))
    status = vessel_status_table(recent)
    times, time_of_day = _time_of_day(recent, iso3)
    in_recent = in_period(maritime, periods["recent"])
    ambiguous = ambiguous_events(tables.get("incidents"), iso3)
    return MaritimeResult(
        country_iso3=iso3,
        as_of=as_of,
        lookback_years=years,
        eez_area_km2=eez["area_km2"],
        eez_method=_attribution_method(events, eez["method"]),
        coverage=coverage,
        periods=periods,
        events=events,
        maritime=maritime,
        trend=trend,
        recent=recent,
        previous=previous,
        comparison=comparison,
        n_other_recent=int((in_recent & maritime["category"].eq("other_hostile")).sum()),
        n_ambiguous_recent=int(in_period(ambiguous, periods["recent"]).sum()),
        border_zone={
            "km": BORDER_ZONE_KM,
            **border_zone_counts(tables.get("incidents"), iso3, periods["recent"]),
        },
        thin=bool(thin),
        all_time=all_time,
        first_year=first_year,
        history=history,
        annual_counts=counts,
        recaap=recaap_status(country),
        milex=milex,
        known={
            "eez_area_km2": eez["area_km2"],
            "incidents_all_time": all_time["n"],
            "first_incident": all_time["first_date"],
            "latest_incident": all_time["last_date"],
            "records_begin": iso_date(coverage["start"].iloc[0]),
            "milex": milex,
        },
        severity=severity,
        severity_summary=severity_summary(severity, len(recent)),
        severity_years=severity_years,
        severity_events=trend[trend["date"].dt.year.isin(severity_years).to_numpy()],
        map_events=maritime if thin else maritime[in_recent.to_numpy()],
        times=times,
        time_of_day=time_of_day,
        vessel_status=status,
        vessel_type=vessel_type_table(recent),
        vessel_status_summary=vessel_status_summary(status, len(recent)),
        source_agreement={
            "recent": source_agreement_summary(recent),
            "previous": source_agreement_summary(previous),
        },
    )
