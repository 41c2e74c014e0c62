"""Sections 3 and 4 of the brief: maritime incidents and South China Sea gray-zone coercion.

Section 3 (:func:`maritime_section`) follows ReCAAP's reports and ``brief-anchors.md``
Part B section 5: incidents per year with the sources that existed each year, a rate ratio
of the last ``lookback_years`` against the previous equal period with its exact Poisson
interval (a change is named only when the interval excludes 1 **and** the same sources
covered both periods), the severity mix (ReCAAP labels vs derived), a map with a density
layer, time of day and darkness, vessel status and type, and how far the sources agree.

Section 4 (:func:`grayzone_section`) counts SCSDI events with the country as an actor, by
year and by actor pair (SCSDI has no event-type field), and maps them.

Incidents are attributed to a coastal state by EEZ (approximate unless Marine Regions data
is supplied; the method string is in the data and in the brief).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from osa_analysis.analyse.channels import (
    COVERAGE_GROUPS,
    MARITIME_SOURCE_IDS,
    coverage_fractions,
    in_source_group,
    source_coverage,
)
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.brief.style import NEUTRAL, SEVERITY_COLORS, figure
from osa_analysis.core.dates import parse_coverage
from osa_analysis.core.solar import CIVIL_TWILIGHT_DEG, SUNRISE_ELEVATION_DEG
from osa_analysis.core.stats import (
    RATE_RATIO_METHOD,
    binomial_interval,
    poisson_interval,
    rate_ratio,
)

# --------------------------------------------------------------------------- constants

MARITIME_CATEGORIES = ("piracy_armed_robbery", "other_hostile")
"""Categories of section 3 (gray-zone coercion is section 4)."""
TREND_CATEGORY = "piracy_armed_robbery"
"""The category whose counts the period comparison uses (ReCAAP's scope)."""
CATEGORY_LABELS = {
    "piracy_armed_robbery": "piracy and armed robbery",
    "other_hostile": "other hostile acts (military, detentions, protests)",
    "gray_zone_coercion": "gray-zone coercion (SCSDI)",
}
SEVERITIES = ("CAT1", "CAT2", "CAT3", "CAT4", "Attempted", "NA")
"""ReCAAP significance levels, most to least severe; NA = no label and no rule applies."""
VESSEL_STATUSES = ("berthed", "anchored", "underway", "unknown")

SCSDI_SOURCE_IDS = ("scsdi_geocoded", "scsdi_published")

THIN_DATA_MIN_EVENTS = 20
"""Fewer incidents than this in the two comparison periods together: the section reports
what is known instead of trends, severity mix and time of day."""
MIN_TIMED_EVENTS = 10
"""Fewer incidents with a usable time than this: no darkness shares are given."""
COMPARABLE_TOLERANCE = 0.05
"""Two periods are comparable when every source covers the same share of both (±5 points)."""
LIVE_COARSE_UNTIL = "2026-01-21"
"""Live-feed ReCAAP positions before this date are whole degrees (registry notes)."""
LIVE_COARSE_DEG = 1
IMB_SOURCE_SWITCH_YEAR = 2015
"""Crime at Sea takes 1993–2014 from the mappingpiracy archive, 2015–2020 from IMB
(registry notes of ``imb_pirate_attacks``)."""
PAIR_TABLE_ROWS = 10
CONFIDENCE_PCT = 95
CYCLONE_SECTION = 6
"""Section of the brief with cyclone exposure (referred to, not repeated)."""

STANDARD_UTC_OFFSET_H: dict[str, float] = {
    "PHL": 8.0,  # Philippine Standard Time
    "MYS": 8.0,  # Malaysia Time
    "BGD": 6.0,  # Bangladesh Standard Time
    "FJI": 12.0,  # Fiji Time (standard; no DST observed since 2022)
    "LKA": 5.5,  # Sri Lanka Standard Time
    "THA": 7.0,  # Indochina Time
    "TLS": 9.0,  # Timor-Leste Time
    "PNG": 10.0,  # Papua New Guinea Time (Bougainville +11 ignored)
    "TON": 13.0,  # Tonga Time
    "DJI": 3.0,  # East Africa Time
    "MNG": 8.0,  # Ulaanbaatar Time (landlocked; listed for completeness)
}
"""Standard UTC offset of each recipient, used when an incident has a local time but its
source gives no offset (ASAM, IMB). Indonesia has three zones (:data:`IDN_ZONES`)."""
IDN_ZONES = ((114.5, 7.0), (127.0, 8.0), (math.inf, 9.0))
"""Indonesian zones by longitude: west of 114.5°E WIB (+7: Sumatra, Java, West and Central
Kalimantan), to 127°E WITA (+8: Bali, Nusa Tenggara, Sulawesi, East and South
Kalimantan), east of it WIT (+9: Maluku, Papua). An approximation of the provincial
boundaries, good to one zone at sea."""

SCS_CLAIMANTS = ("BRN", "CHN", "MYS", "PHL", "TWN", "VNM")
"""South China Sea claimant states."""
GRAYZONE_MIN_EVENTS = 30
"""A non-claimant recipient gets the gray-zone analysis when SCSDI has at least this many
events with it as an actor (Indonesia); otherwise a short note."""
SCS_EXTENT = (104.0, -2.0, 127.0, 24.0)
"""Window (west, south, east, north) of the gray-zone maps: the South China Sea and its
approaches."""
SCSDI_LEVEL_LABELS = {
    0.08: "1 (≈0.08°)",
    0.4: "2 (≈0.4°)",
    0.7: "3–4 (≈0.7°)",
    1.8: "5 (≈1.8°)",
    7.2: "6 (South China Sea as a whole)",
}
"""SCSDI location precision levels by the radius (degrees) the harmonised table carries."""
GRAYZONE_MAP_MAX_PRECISION_DEG = 1.8
"""Gray-zone events are mapped when their location radius is at most this (levels 1–5)."""
GRAYZONE_KDE_MAX_PRECISION_DEG = 0.7
"""Only events located to ≤ 0.7° (levels 1–4) enter the density layer."""
MULTILATERAL_MIN = 4
MULTILATERAL = "multilateral (4 or more states)"
"""Label of events naming :data:`MULTILATERAL_MIN` or more states (exercises, ASEAN...)."""
GRAYZONE_BANDWIDTH_KM = 100.0
"""Kernel standard deviation of the gray-zone density layer (SCSDI level 2–4 positions are
precise to 0.4–0.7°, about 45–80 km)."""
PAIR_COLORS = ("#c0392b", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b")
OTHER_COLOR = "#b0b0b0"

DARKNESS_COLORS = {"day": "#f2c14e", "twilight": "#6a89cc", "night": "#1b2a49"}


# --------------------------------------------------------------------------- helpers


def _date(ts: pd.Timestamp | None) -> str | None:
    return None if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d")


def _pct(part: float, whole: float) -> float | None:
    return None if not whole else round(100.0 * part / whole, 1)


def _na(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _rr_text(rr: dict) -> str:
    """Format a rate-ratio dict: '0.48 (95% CI 0.32–0.71)'; handles 0, inf and NA."""
    if rr["current"] == 0 and rr["previous"] == 0:
        return "not defined (no incidents in either period)"
    if rr["previous"] == 0:
        return f"not finite (none in the previous period; 95% CI lower bound {rr['low']:.2f})"
    if rr["current"] == 0:
        return f"0 (95% CI 0–{rr['high']:.2f})"
    return f"{rr['estimate']:.2f} ({CONFIDENCE_PCT}% CI {rr['low']:.2f}–{rr['high']:.2f})"


def _rr_dict(rr) -> dict:
    out = rr.as_dict()
    for key in ("estimate", "low", "high"):
        value = out[key]
        out[key] = None if value is None or not math.isfinite(value) else round(value, 4)
    return out


NAMES_WITH_ARTICLE = frozenset({"PHL"})
"""Countries whose short name takes "the" in running text."""


def _country_name(ctx: BriefContext) -> str:
    """Return the country's short name for running text ("the Philippines", "Fiji")."""
    try:
        name = str(ctx.country["country_name"])
    except (KeyError, TypeError):
        name = ctx.country_iso3
    return f"the {name}" if ctx.country_iso3 in NAMES_WITH_ARTICLE else name


def _n(count: int, noun: str, plural: str | None = None) -> str:
    """Return "1 incident" / "3 incidents"."""
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def _span(first: int, last: int) -> str:
    """Return "2021" or "2019 to 2023"."""
    return str(first) if first == last else f"{first} to {last}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- loaders


@cache
def _all_incident_events() -> pd.DataFrame:
    """Return the whole harmonised event table, undated events included (cached)."""
    from osa_analysis.harmonise.incidents import load_incidents

    return load_incidents()


@cache
def _milex() -> tuple[pd.DataFrame, pd.DataFrame]:
    from osa_analysis.sources.loaders.indicators import load_wb_milex_share, load_wb_milex_usd

    return load_wb_milex_share(), load_wb_milex_usd()


def _registry_coverage(source_id: str) -> str:
    from osa_analysis.sources.registry import get_source

    return get_source(source_id).coverage


# --------------------------------------------------------------------------- events


def country_events(ctx: BriefContext) -> pd.DataFrame:
    """Events of ``ctx.incidents`` attributed to the brief's country as coastal state.

    Returns
    -------
    pandas.DataFrame
        The harmonised event columns (:func:`osa_analysis.harmonise.incidents.load_incidents`) for
        ``coastal_state_iso3 == ctx.country_iso3``, up to ``ctx.as_of``, every category.
    """
    events = ctx.incidents
    keep = events["coastal_state_iso3"].eq(ctx.country_iso3).fillna(False).to_numpy()
    return events[keep].reset_index(drop=True)


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


def _in_period(events: pd.DataFrame, period: dict) -> pd.Series:
    return events["date"].between(period["start"], period["end"]).fillna(False)


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
        :func:`source_coverage` (default: read from the registry).

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
        :func:`source_coverage`.
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
    n_recent = int(_in_period(sel, periods["recent"]).sum())
    n_prev = int(_in_period(sel, periods["previous"]).sum())
    rr = rate_ratio(n_recent, n_prev, years, years)
    cov = {name: coverage_fractions(p["start"], p["end"], coverage) for name, p in periods.items()}
    comparable = all(
        abs(cov["recent"][g] - cov["previous"][g]) <= COMPARABLE_TOLERANCE for g in cov["recent"]
    )
    out = {
        "category": category,
        "periods": {
            k: {"start": _date(v["start"]), "end": _date(v["end"])} for k, v in periods.items()
        },
        "recent": n_recent,
        "previous": n_prev,
        "recent_interval": [round(v, 4) for v in poisson_interval(n_recent)],
        "rate_ratio": _rr_dict(rr),
        "coverage": cov,
        "coverage_pct": {k: {g: round(100 * f, 1) for g, f in v.items()} for k, v in cov.items()},
        "comparable": comparable,
        "direction": rr.direction if comparable else "not comparable",
        "like_for_like": None,
    }
    if comparable:
        return out
    choice = like_for_like_group(as_of, years, coverage)
    if choice is None:
        return out
    group, end = choice
    lfl_periods = comparison_periods(end, years)
    mine = sel[in_source_group(sel, group).to_numpy()]
    a = int(_in_period(mine, lfl_periods["recent"]).sum())
    b = int(_in_period(mine, lfl_periods["previous"]).sum())
    lfl = rate_ratio(a, b, years, years)
    out["like_for_like"] = {
        "group": group,
        "label": COVERAGE_GROUPS[group][0],
        "periods": {
            k: {"start": _date(v["start"]), "end": _date(v["end"])} for k, v in lfl_periods.items()
        },
        "recent": a,
        "previous": b,
        "rate_ratio": _rr_dict(lfl),
        "direction": lfl.direction,
    }
    return out


# --------------------------------------------------------------------------- severity


def severity_table(events: pd.DataFrame) -> pd.DataFrame:
    """Events by ReCAAP severity and whether the label is ReCAAP's own or derived.

    Returns
    -------
    pandas.DataFrame
        One row per :data:`SEVERITIES` value: ``severity``, ``recaap_label`` (events
        whose label is ReCAAP's), ``derived`` (rule-based label), ``total``, ``share_pct``.
    """
    sev = events["severity"].astype("string").fillna("NA")
    basis = events["severity_basis"].astype("string")
    rows = []
    total = len(events)
    for level in SEVERITIES:
        at = sev.eq(level)
        n = int(at.sum())
        rows.append(
            {
                "severity": level,
                "recaap_label": int((at & basis.eq("source").fillna(False)).sum()),
                "derived": int((at & ~basis.eq("source").fillna(False)).sum()),
                "total": n,
                "share_pct": _pct(n, total),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- time of day


def standard_utc_offset(iso3: str, longitude) -> np.ndarray:
    """Return the standard UTC offset (hours) of a country at longitudes (NaN if unknown).

    Indonesia's zone follows :data:`IDN_ZONES`; other countries use
    :data:`STANDARD_UTC_OFFSET_H`.
    """
    lon = np.atleast_1d(np.asarray(longitude, dtype=float))
    if iso3 == "IDN":
        out = np.full(lon.shape, np.nan)
        lower = -np.inf
        for edge, offset in IDN_ZONES:
            out[(lon >= lower) & (lon < edge)] = offset
            lower = edge
        return out
    return np.full(lon.shape, STANDARD_UTC_OFFSET_H.get(iso3, np.nan))


def incident_times(events: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """Local hour, UTC time, solar elevation and darkness class of each event.

    UTC time is the source's own (``datetime_utc``) when given; otherwise local date and
    ``time_local`` minus ``utc_offset_h``, or minus the country's standard offset
    (:func:`standard_utc_offset`) when the source gives none.

    Returns
    -------
    pandas.DataFrame
        Same index as ``events``: ``local_hour`` (Int64), ``offset_h``, ``offset_basis``
        (``source``/``standard``/NA), ``datetime_utc`` (naive UTC), ``elevation_deg``,
        ``darkness`` (day/twilight/night or NA when time, offset or position is missing).
    """
    from osa_analysis.core.solar import darkness, solar_elevation

    hhmm = events["time_local"].astype("string").str.extract(r"^(\d{2}):(\d{2})$")
    hour = pd.to_numeric(hhmm[0], errors="coerce")
    minute = pd.to_numeric(hhmm[1], errors="coerce")
    valid_clock = hour.between(0, 23) & minute.between(0, 59)
    hour = hour.where(valid_clock)
    src_offset = pd.to_numeric(events["utc_offset_h"], errors="coerce")
    std_offset = pd.Series(
        standard_utc_offset(iso3, events["longitude"].to_numpy(float)), index=events.index
    )
    offset = src_offset.fillna(std_offset)
    basis = pd.Series(
        np.where(src_offset.notna(), "source", np.where(std_offset.notna(), "standard", None)),
        index=events.index,
        dtype="object",
    )
    local = events["date"] + pd.to_timedelta(hour * 60 + minute, unit="min")
    utc = local - pd.to_timedelta(offset, unit="h")
    if "datetime_utc" in events:
        given = pd.to_datetime(events["datetime_utc"], utc=True).dt.tz_localize(None)
        utc = given.where(given.notna(), utc)
    utc = utc.where(hour.notna())
    basis = basis.where(hour.notna().to_numpy() & utc.notna().to_numpy(), None)
    elev = solar_elevation(
        utc.to_numpy("datetime64[ns]"),
        events["latitude"].to_numpy(float),
        events["longitude"].to_numpy(float),
    )
    dark = darkness(elev)
    return pd.DataFrame(
        {
            "local_hour": hour.astype("Int64"),
            "offset_h": offset.where(hour.notna()),
            "offset_basis": basis,
            "datetime_utc": utc,
            "elevation_deg": elev,
            "darkness": pd.array(dark, dtype="string"),
        },
        index=events.index,
    )


def time_of_day_summary(times: pd.DataFrame) -> dict:
    """Count incidents by local hour and darkness class; give the shares in darkness.

    Returns
    -------
    dict
        ``n_events``, ``n_with_time`` (a valid local clock time), ``n_offset_source``,
        ``n_offset_standard``, ``n_classified`` (time, offset and position known),
        ``counts`` (day/twilight/night), ``by_hour`` (24 counts of local hours),
        ``share_night_pct`` and ``share_dark_pct`` (twilight or night) with exact
        binomial 95% intervals (``*_interval_pct``); shares are None when fewer than
        :data:`MIN_TIMED_EVENTS` are classified.
    """
    n_class = int(times["darkness"].notna().sum())
    counts = {k: int(times["darkness"].eq(k).sum()) for k in ("day", "twilight", "night")}
    by_hour = (
        times["local_hour"].dropna().astype(int).value_counts().reindex(range(24), fill_value=0)
    )
    out = {
        "n_events": len(times),
        "n_with_time": int(times["local_hour"].notna().sum()),
        "n_offset_source": int(times["offset_basis"].eq("source").sum()),
        "n_offset_standard": int(times["offset_basis"].eq("standard").sum()),
        "n_classified": n_class,
        "counts": counts,
        "by_hour": [int(v) for v in by_hour.to_numpy()],
        "enough": n_class >= MIN_TIMED_EVENTS,
        "share_night_pct": None,
        "share_night_interval_pct": None,
        "share_dark_pct": None,
        "share_dark_interval_pct": None,
    }
    if n_class >= MIN_TIMED_EVENTS:
        dark = counts["night"] + counts["twilight"]
        for key, k in (("night", counts["night"]), ("dark", dark)):
            lo, hi = binomial_interval(k, n_class)
            out[f"share_{key}_pct"] = _pct(k, n_class)
            out[f"share_{key}_interval_pct"] = [round(100 * lo, 1), round(100 * hi, 1)]
    return out


# --------------------------------------------------------------------------- tables


def vessel_status_table(events: pd.DataFrame) -> pd.DataFrame:
    """Events by vessel status, with the severe (CAT1–2) and attempted among them."""
    status = events["vessel_status"].astype("string").fillna("unknown")
    sev = events["severity"].astype("string")
    rows = []
    for s in VESSEL_STATUSES:
        at = status.eq(s)
        rows.append(
            {
                "vessel_status": s,
                "incidents": int(at.sum()),
                "share_pct": _pct(int(at.sum()), len(events)),
                "cat1_cat2": int((at & sev.isin(["CAT1", "CAT2"]).fillna(False)).sum()),
                "attempted": int((at & sev.eq("Attempted").fillna(False)).sum()),
            }
        )
    return pd.DataFrame(rows)


def vessel_type_table(events: pd.DataFrame, top: int = 8) -> pd.DataFrame:
    """Events by standardised vessel type (raw counts, no traffic denominator), largest first."""
    types = events["vessel_type_std"].astype("string").fillna("unknown").str.replace("_", " ")
    counts = types.value_counts()
    known = counts.drop("unknown", errors="ignore").sort_index()
    known = known.sort_values(ascending=False, kind="stable")
    rows = [
        {"vessel_type": t, "incidents": int(n), "share_pct": _pct(int(n), len(events))}
        for t, n in known.head(top).items()
    ]
    rest = int(known.iloc[top:].sum())
    if rest:
        rows.append(
            {"vessel_type": "other types", "incidents": rest, "share_pct": _pct(rest, len(events))}
        )
    unknown = int(counts.get("unknown", 0))
    rows.append(
        {"vessel_type": "unknown", "incidents": unknown, "share_pct": _pct(unknown, len(events))}
    )
    return pd.DataFrame(rows)


def source_agreement_summary(events: pd.DataFrame) -> dict:
    """How many events more than one source reported, and whether their outcomes agree.

    Returns
    -------
    dict
        ``n_events``, ``n_multi_source`` (``n_sources`` > 1), ``share_multi_pct``,
        ``n_outcome_compared`` (multi-source events with an agreement flag),
        ``n_outcome_agree``, ``share_outcome_agree_pct`` and ``by_source``: events each
        channel reported (``{group: n}``).
    """
    n = len(events)
    multi = events["n_sources"].fillna(1).astype(int).gt(1)
    agree = events.loc[multi, "outcome_agreement"].astype("boolean")
    compared = int(agree.notna().sum())
    n_agree = int(agree.fillna(False).sum())
    return {
        "n_events": n,
        "n_multi_source": int(multi.sum()),
        "share_multi_pct": _pct(int(multi.sum()), n),
        "n_outcome_compared": compared,
        "n_outcome_agree": n_agree,
        "share_outcome_agree_pct": _pct(n_agree, compared),
        "by_source": {g: int(in_source_group(events, g).sum()) for g in COVERAGE_GROUPS},
    }


def milex_latest(iso3: str, as_of_year: int) -> dict:
    """Latest military expenditure (% of GDP and current US$) up to ``as_of_year``.

    Returns
    -------
    dict
        ``share_gdp_pct`` and ``share_year``, ``usd`` and ``usd_year`` (None when the
        World Bank publishes no value for the country).
    """
    share, usd = _milex()
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


# --------------------------------------------------------------------------- figures


def _year_pos(ts: pd.Timestamp) -> float:
    """Return the x position of a date on a chart with one bar per year centred on the year."""
    ts = pd.Timestamp(ts)
    days = 366 if ts.is_leap_year else 365
    return ts.year - 0.5 + (ts.day_of_year - 1) / days


def annual_counts_figure(
    counts: pd.DataFrame, comparison: dict, coverage: pd.DataFrame, name: str, as_of: pd.Timestamp
):
    """Stacked bars of incidents per year, the two comparison periods and source coverage."""
    fig, (ax, cov_ax) = figure(
        width=7.6, height=4.4, nrows=2, sharex=True, gridspec_kw={"height_ratios": [4, 1.25]}
    )
    years = counts["year"].to_numpy()
    bottom = np.zeros(len(years))
    colors = {"piracy_armed_robbery": "#1f4e79", "other_hostile": "#9e9e9e"}
    for cat in MARITIME_CATEGORIES:
        vals = counts[cat].to_numpy()
        ax.bar(years, vals, bottom=bottom, color=colors[cat], label=CATEGORY_LABELS[cat], width=0.8)
        bottom = bottom + vals
    for key, shade in (("previous", "#fde0c5"), ("recent", "#c7e9c0")):
        p = comparison["periods"][key]
        ax.axvspan(
            _year_pos(pd.Timestamp(p["start"])),
            _year_pos(pd.Timestamp(p["end"])) + 1 / 365,
            color=shade,
            alpha=0.6,
            zorder=0,
            label=f"{key} period ({p['start']} to {p['end']})",
        )
    ax.set_ylabel("incidents per year")
    ax.set_ylim(0, max(float(bottom.max()), 1.0) * 1.55)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"Incidents per year in the approximate EEZ of {name}")
    ax.legend(fontsize=7, loc="upper left", ncol=2)
    ax.annotate(
        f"{as_of.year}: to {as_of:%Y-%m-%d}",
        xy=(years[-1], bottom[-1]),
        xytext=(0, 4),
        textcoords="offset points",
        ha="center",
        fontsize=7,
    )
    lo, hi = years[0] - 0.5, years[-1] + 0.5
    for i, row in enumerate(coverage.itertuples()):
        a, b = max(_year_pos(row.start), lo), min(_year_pos(row.end) + 1 / 365, hi)
        if b > a:
            cov_ax.plot([a, b], [i, i], linewidth=5, color=NEUTRAL, solid_capstyle="butt")
    cov_ax.set_yticks(range(len(coverage)))
    cov_ax.set_yticklabels(coverage["label"], fontsize=7)
    cov_ax.set_ylim(len(coverage) - 0.4, -0.6)
    cov_ax.set_xlim(lo, hi)
    cov_ax.set_xlabel("year")
    cov_ax.set_title("sources active", fontsize=8, loc="left")
    cov_ax.grid(False)
    return fig


def severity_figure(events: pd.DataFrame, years: list[int], name: str):
    """100% stacked bars of severity by year; ReCAAP labels solid, derived labels hatched."""
    fig, ax = figure(width=7.6, height=3.4)
    dated = events[events["date"].notna()]
    year = dated["date"].dt.year
    sev = dated["severity"].astype("string").fillna("NA")
    source = dated["severity_basis"].eq("source").fillna(False)
    totals = year.value_counts().reindex(years, fill_value=0)
    bottom = np.zeros(len(years))
    for level in SEVERITIES:
        for is_source in (True, False):
            n = (
                year[(sev.eq(level) & source.eq(is_source)).to_numpy()]
                .value_counts()
                .reindex(years, fill_value=0)
                .to_numpy()
            )
            share = np.divide(
                100.0 * n, totals.to_numpy(), out=np.zeros(len(years)), where=totals.to_numpy() > 0
            )
            ax.bar(
                years,
                share,
                bottom=bottom,
                color=SEVERITY_COLORS[level],
                hatch=None if is_source else "///",
                edgecolor="white",
                linewidth=0.3,
                width=0.8,
                label=f"{level} ({'ReCAAP label' if is_source else 'derived'})"
                if n.sum()
                else None,
            )
            bottom = bottom + share
    for x, n in zip(years, totals.to_numpy(), strict=True):
        ax.text(x, 101, f"n={n}", ha="center", va="bottom", fontsize=6.5)
    ax.set_ylim(0, 110)
    ax.set_ylabel("share of incidents (%)")
    ax.set_xlabel("year")
    ax.set_xticks(years)
    ax.set_title(f"Severity of piracy and armed robbery by year, {name}")
    ax.legend(fontsize=6.5, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return fig


def time_of_day_figure(times: pd.DataFrame, name: str, period_text: str):
    """Incidents by local hour, stacked by darkness class at the incident position."""
    fig, ax = figure(width=7.2, height=3.2)
    hours = np.arange(24)
    bottom = np.zeros(24)
    classes = times["darkness"].astype("string").fillna("position or offset unknown")
    for label, color in (*DARKNESS_COLORS.items(), ("position or offset unknown", "#cccccc")):
        n = (
            times.loc[classes.eq(label).to_numpy(), "local_hour"]
            .dropna()
            .astype(int)
            .value_counts()
            .reindex(hours, fill_value=0)
            .to_numpy()
        )
        if n.sum():
            ax.bar(hours, n, bottom=bottom, color=color, label=label, width=0.85)
            bottom = bottom + n
    ax.set_xticks(hours[::2])
    ax.set_xlabel("local hour of the incident (0–23)")
    ax.set_ylabel("incidents")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"Time of day of incidents, {name}, {period_text}")
    ax.legend(fontsize=7, title="sun at the position", title_fontsize=7)
    return fig


# --------------------------------------------------------------------------- caveats


def _recaap_status(ctx: BriefContext, name: str) -> tuple[dict, list[str]]:
    country = ctx.country if isinstance(ctx.country, dict) else {}
    party = country.get("recaap_contracting_party")
    area = country.get("in_recaap_area")
    party = None if _na(party) else bool(party)
    area = None if _na(area) else bool(area)
    notes = []
    if party is False:
        notes.append(
            f"{esc(_cap(name))} is not a ReCAAP Contracting Party, so it has no ReCAAP focal point "
            "verifying reports from its waters; ReCAAP counts there rest on ship masters and "
            "other parties' reports."
        )
    elif party is None and area is not False:
        notes.append(
            f"Whether {esc(name)} is a ReCAAP Contracting Party is not recorded in the "
            "curated country table (data/recipients/countries.yaml)."
        )
    if area is False:
        notes.append(
            f"The waters of {esc(name)} lie outside ReCAAP's reporting area (the Pacific is not "
            "covered): ReCAAP OpenMap and the ReCAAP part of the live feed will not record "
            "incidents there, and after ASAM ended only IMB's live reports could."
        )
    return {"contracting_party": party, "in_area": area}, notes


def _coverage_caveats(coverage: pd.DataFrame) -> list[str]:
    asam_end = _date(coverage.set_index("group").loc["asam", "end"])
    return [
        "Recorded incidents are a floor, not a census: many incidents, especially petty "
        "thefts at anchor and attacks on fishing and local craft, are never reported "
        '(IFC Singapore calls reported data "the tip of the iceberg").',
        f"ASAM (NGA) stopped publishing on {asam_end}; IMB Crime at Sea ends in "
        f"{coverage.set_index('group').loc['imb', 'end']:%Y} (and switched its own source "
        f"from the mappingpiracy archive to IMB reports in {IMB_SOURCE_SWITCH_YEAR}). Counts "
        "across periods "
        "change with the sources that exist.",
        f"Live-feed ReCAAP positions before {LIVE_COARSE_UNTIL} are whole degrees "
        f"(±{LIVE_COARSE_DEG}°): on the map they are squares, and near a maritime boundary "
        "their attribution to a coastal state can be wrong.",
    ]


# --------------------------------------------------------------------------- section 3


def _eez_info(ctx: BriefContext) -> dict | None:
    from osa_analysis.brief.maps import country_eez

    rows = country_eez(ctx.country_iso3, ctx.eez)
    if rows.empty:
        return None
    return {
        "area_km2": round(float(rows["area_km2"].sum())),
        "method": str(rows["method"].iloc[0]),
    }


def _not_applicable(ctx: BriefContext, key: str, title: str, text: str, reason: str) -> Section:
    values = {
        "applicable": False,
        "reason": reason,
        "country_iso3": ctx.country_iso3,
        "as_of": _date(ctx.as_of),
        "key_figures": [],
    }
    return Section(key=key, title=title, markdown=text, values=values, sources=[])


def _severity_sentence(sev: pd.DataFrame, n: int) -> tuple[str, dict]:
    by = sev.set_index("severity")
    severe = int(by.loc[["CAT1", "CAT2"], "total"].sum())
    vals = {
        "n": n,
        "n_recaap_label": int(sev["recaap_label"].sum()),
        "n_derived": int(sev["derived"].sum()),
        "n_cat1_cat2": severe,
        "share_cat1_cat2_pct": _pct(severe, n),
        "n_attempted": int(by.loc["Attempted", "total"]),
        "rows": sev.to_dict("records"),
    }
    if n == 0:
        return "No incidents in the recent period, so there is no severity mix.", vals
    text = (
        f"Severity (ReCAAP significance levels): of the {n} incidents in the recent period, "
        f"{severe} ({fmt_num(vals['share_cat1_cat2_pct'])}%) were CAT1 or CAT2 (the more "
        f"violent or costly) and {vals['n_attempted']} were attempts. "
        f"{vals['n_recaap_label']} carry ReCAAP's own label; the other {vals['n_derived']} "
        "are derived by the project's rules from the source's outcome, weapon and crew "
        "treatment (hatched in the chart), so their mix is less certain."
    )
    return text, vals


def maritime_section(ctx: BriefContext) -> Section:
    """Section 3: maritime incidents in the country's (approximate) EEZ.

    Parameters
    ----------
    ctx : BriefContext
        The brief's context (country, ``as_of``, ``lookback_years``).

    Returns
    -------
    Section
        Key ``"maritime"``. Landlocked countries (no EEZ) get a one-line section. When the
        two comparison periods hold fewer than :data:`THIN_DATA_MIN_EVENTS` incidents,
        the section says the data are thin and shows what is known instead (EEZ area,
        military expenditure) with the map.
    """
    from osa_analysis.brief.maps import MAP_SOURCE_IDS, incident_map

    key, title = "maritime", "3. Maritime incidents"
    iso3, name = ctx.country_iso3, _country_name(ctx)
    eez = _eez_info(ctx)
    if eez is None:
        return _not_applicable(
            ctx,
            key,
            title,
            f"{esc(_cap(name))} is landlocked: it has no coastline or exclusive economic zone, so "
            "there are no maritime incidents to report.",
            "landlocked (no EEZ)",
        )
    sources = [*MARITIME_SOURCE_IDS, *MAP_SOURCE_IDS]
    ctx.use(*sources)
    years = int(ctx.lookback_years)
    as_of = pd.Timestamp(ctx.as_of).normalize()
    yrs = _n(years, "year")
    coverage = source_coverage()
    events = country_events(ctx)
    maritime = events[events["category"].isin(MARITIME_CATEGORIES).fillna(False).to_numpy()]
    cmp_ = period_comparison(maritime, as_of, years, coverage)
    periods = comparison_periods(as_of, years)
    trend = maritime[maritime["category"].eq(TREND_CATEGORY).fillna(False).to_numpy()]
    recent = trend[_in_period(trend, periods["recent"]).to_numpy()]
    n_other_recent = int(
        (_in_period(maritime, periods["recent"]) & maritime["category"].eq("other_hostile")).sum()
    )
    thin = cmp_["recent"] + cmp_["previous"] < THIN_DATA_MIN_EVENTS
    recaap, recaap_notes = _recaap_status(ctx, name)
    first_year = as_of.year - max(2 * years, 15) + 1
    counts = annual_counts(events, first_year, as_of.year, coverage)
    all_dates = trend["date"].dropna()
    eez_method = (
        str(events["eez_method"].dropna().iloc[0])
        if events["eez_method"].notna().any()
        else eez["method"]
    )
    cov_list = [
        {"group": r.group, "label": r.label, "start": _date(r.start), "end": _date(r.end)}
        for r in coverage.itertuples()
    ]
    values: dict = {
        "applicable": True,
        "reason": None,
        "country_iso3": iso3,
        "country_name": name,
        "as_of": _date(as_of),
        "lookback_years": years,
        "confidence_pct": CONFIDENCE_PCT,
        "category_counted": TREND_CATEGORY,
        "thin_data": bool(thin),
        "thin_threshold": THIN_DATA_MIN_EVENTS,
        "comparison": cmp_,
        "other_hostile_recent": n_other_recent,
        "all_time": {
            "n": len(all_dates),
            "first_date": _date(all_dates.min()) if len(all_dates) else None,
            "last_date": _date(all_dates.max()) if len(all_dates) else None,
        },
        "coverage_sources": cov_list,
        "annual_counts": counts.to_dict("records"),
        "recaap": recaap,
        "eez": {"area_km2": eez["area_km2"], "method": eez_method},
        "live_coarse_until": LIVE_COARSE_UNTIL,
        "live_coarse_deg": LIVE_COARSE_DEG,
        "imb_source_switch_year": IMB_SOURCE_SWITCH_YEAR,
        "cyclone_section": CYCLONE_SECTION,
    }
    rr = cmp_["rate_ratio"]
    p_rec, p_prev = cmp_["periods"]["recent"], cmp_["periods"]["previous"]
    md: list[str] = []
    caveats = _coverage_caveats(coverage) + recaap_notes
    caveats.append(
        f"Coastal state = the EEZ the position falls in, by this method: {esc(eez_method)}."
    )
    figures: list = []
    tables: list = []

    # -- what is known (always in values; shown when the data are thin) ----------------
    mil = milex_latest(iso3, as_of.year)
    ctx.use("wb_milex_share", "wb_milex_usd")
    sources += ["wb_milex_share", "wb_milex_usd"]
    known = {
        "eez_area_km2": eez["area_km2"],
        "incidents_all_time": values["all_time"]["n"],
        "first_incident": values["all_time"]["first_date"],
        "latest_incident": values["all_time"]["last_date"],
        "records_begin": cov_list[0]["start"],
        "milex": mil,
    }
    values["what_is_known"] = known
    map_events = maritime[_in_period(maritime, periods["recent"]).to_numpy()]
    map_period = f"in {p_rec['start']} to {p_rec['end']}"

    # -- headline ----------------------------------------------------------------------
    lfl = cmp_["like_for_like"]
    if thin:
        n_all, latest = values["all_time"]["n"], values["all_time"]["last_date"]
        if n_all == 0:
            lead = (
                "**Data are thin.** No piracy or armed-robbery incident has been recorded in "
                f"the approximate EEZ of {esc(name)} since records began "
                f"({known['records_begin']})."
            )
        else:
            lead = (
                f"**Data are thin.** {_n(cmp_['recent'], 'piracy or armed-robbery incident')} "
                f"{'was' if cmp_['recent'] == 1 else 'were'} recorded in the approximate EEZ "
                f"of {esc(name)} in the {yrs} "
                f"{p_rec['start']} to {p_rec['end']} and {cmp_['previous']} in the "
                f"{yrs} before; {n_all} since records began ({known['records_begin']}), the "
                f"latest on {latest}."
            )
        md.append(
            lead + " That is too few for a trend, a severity mix or a time-of-day profile; "
            f"what is known instead is below, and cyclone exposure is in section "
            f"{CYCLONE_SECTION}."
        )
        tables.append(
            (f"What is known about the maritime space of {name}", _known_table(known, eez_method))
        )
        map_events = maritime
        map_period = f"since records began ({known['records_begin']})" if n_all else "none recorded"
    else:
        headline = (
            f"**{cmp_['recent']}** piracy and armed-robbery "
            f"{'incident was' if cmp_['recent'] == 1 else 'incidents were'} recorded in the "
            f"approximate EEZ of {esc(name)} in the {yrs} {p_rec['start']} to "
            f"{p_rec['end']}, against {cmp_['previous']} in the previous {yrs} "
            f"({p_prev['start']} to {p_prev['end']}): rate ratio {_rr_text(rr)}, exact "
            f"Poisson {CONFIDENCE_PCT}% interval."
        )
        if n_other_recent:
            headline += (
                f" A further {_n(n_other_recent, 'other hostile act')} (military activity, "
                "detentions, protests) in the recent period."
            )
        md.append(headline)
        if cmp_["comparable"]:
            verdict = {
                "increase": "a clear increase (the interval excludes 1)",
                "decrease": "a clear decrease (the interval excludes 1)",
                "no clear change": "no clear change (the interval includes 1)",
                "not defined": "not a measurable change",
            }[cmp_["direction"]]
            md.append(f"The same sources covered both periods, so this is {verdict}.")
        else:
            text = (
                "**The two periods are not covered by the same sources**, so this ratio mixes "
                "changes in reporting with changes in incidents and is not read as a trend "
                + _coverage_sentence(cmp_["coverage"], coverage)
            )
            if lfl is not None:
                lp = lfl["periods"]
                text += (
                    f" Like-for-like check, counting only incidents {esc(lfl['label'])} "
                    f"recorded (the one source covering two whole {years}-year periods, up "
                    f"to {lp['recent']['end']}): {lfl['recent']} in {lp['recent']['start']} "
                    f"to {lp['recent']['end']} against {lfl['previous']} in "
                    f"{lp['previous']['start']} to {lp['previous']['end']}, rate ratio "
                    f"{_rr_text(lfl['rate_ratio'])}: {lfl['direction']}."
                )
            md.append(text)
    md.append(_sources_sentence(cov_list, cmp_["coverage"]["recent"], as_of, coverage))

    # -- annual counts figure ----------------------------------------------------------
    # thin data with a history (e.g. Sri Lanka, Thailand): the whole record instead
    history = thin and values["all_time"]["n"] >= THIN_DATA_MIN_EVENTS
    if history:
        first = min(int(values["all_time"]["first_date"][:4]), first_year)
        counts = annual_counts(events, first, as_of.year, coverage)
        values["annual_counts"] = counts.to_dict("records")
    if not thin or history:
        figures.append(
            (
                f"Incidents per year ({counts['year'].iloc[0]} to {as_of.year}; "
                f"{as_of.year} to {_date(as_of)}). Shaded: the two {years}-year periods "
                "compared. Bottom: years each source covers.",
                annual_counts_figure(counts, cmp_, coverage, name, as_of),
            )
        )

    # -- severity ----------------------------------------------------------------------
    sev = severity_table(recent)
    sev_text, sev_vals = _severity_sentence(sev, len(recent))
    values["severity"] = sev_vals
    if not thin:
        md.append(sev_text)
        sev_years = list(range(pd.Timestamp(p_prev["start"]).year, as_of.year + 1))
        window = trend[trend["date"].dt.year.isin(sev_years).to_numpy()]
        figures.append(
            (
                f"Severity mix by year ({sev_years[0]} to {sev_years[-1]}); n = incidents per "
                "year. Solid: ReCAAP's own label; hatched: derived by rules.",
                severity_figure(window, sev_years, name),
            )
        )
        tables.append(
            (
                f"Severity of incidents, {p_rec['start']} to {p_rec['end']} (counts)",
                sev.rename(
                    columns={
                        "severity": "ReCAAP level",
                        "recaap_label": "ReCAAP label",
                        "derived": "derived",
                        "total": "total",
                        "share_pct": "share (%)",
                    }
                ),
            )
        )

    # -- map ---------------------------------------------------------------------------
    pts = pd.DataFrame(
        {
            "longitude": map_events["longitude"].to_numpy(float),
            "latitude": map_events["latitude"].to_numpy(float),
            "group": map_events["severity"].astype("string").fillna("NA").to_numpy(),
            "filled": map_events["severity_basis"].eq("source").fillna(False).to_numpy(),
            "coarse": (map_events["position_precision_deg"].fillna(0) >= 0.5).to_numpy(),
        }
    )
    fig, map_vals = incident_map(
        pts,
        iso3=iso3,
        groups=SEVERITY_COLORS,
        title=f"Incidents by severity, {name}",
        legend_title="ReCAAP level",
        filled_label="ReCAAP label",
        open_label="derived label",
        coarse_label=f"position ±{LIVE_COARSE_DEG}°",
    )
    values["map"] = {**map_vals, "period": map_period}
    kde = map_vals["kde"]
    if kde["applied"]:
        kde_text = (
            f"Shading: kernel density of the {kde['n_points']} positions, "
            f"{kde['bandwidth_rule']} with a standard deviation (bandwidth) of "
            f"{fmt_num(kde['bandwidth_km'])} km, computed in an {kde['projection']}."
        )
    else:
        kde_text = f"No density layer: {kde['reason']}."
    eez_kind = "approximate EEZ" if eez_method.startswith("approx") else "EEZ"
    map_caption = (
        f"Incidents recorded {map_period}, coloured by ReCAAP level (filled: ReCAAP's "
        f"label; open: derived; squares: positions known to ±{LIVE_COARSE_DEG}° only). "
        f"Dashed: the {eez_kind} of {name}, {fmt_num(eez['area_km2'])} km². {kde_text}"
    )
    figures.append((map_caption, fig))
    if map_vals["n_in_window"]:
        md.append(
            f"The map shows the {map_vals['n_in_window']} incidents recorded {map_period} "
            f"that have a position. {kde_text}"
        )
    else:
        md.append(f"The map shows the EEZ of {esc(name)}; there are no incidents to plot.")

    # -- time of day -------------------------------------------------------------------
    times = incident_times(recent, iso3)
    tod = time_of_day_summary(times)
    tod["standard_offsets_h"] = dict(STANDARD_UTC_OFFSET_H)
    tod["idn_zones"] = [[e if math.isfinite(e) else None, o] for e, o in IDN_ZONES]
    tod["thresholds_deg"] = {
        "sunrise": SUNRISE_ELEVATION_DEG,
        "civil_twilight": CIVIL_TWILIGHT_DEG,
        "hours": [0, 23],
    }
    values["time_of_day"] = tod
    if not thin:
        md.append(_time_sentence(tod, iso3))
        if tod["n_with_time"]:
            figures.append(
                (
                    f"Local hour of the {tod['n_with_time']} incidents with a time, "
                    f"{p_rec['start']} to {p_rec['end']}, coloured by the Sun's elevation "
                    "at the incident position (day above −0.833°, civil twilight to −6°, "
                    "night below).",
                    time_of_day_figure(times, name, f"{p_rec['start']} to {p_rec['end']}"),
                )
            )

    # -- vessel status and type --------------------------------------------------------
    status = vessel_status_table(recent)
    vtype = vessel_type_table(recent)
    values["vessel_status"] = status.to_dict("records")
    values["vessel_type"] = vtype.to_dict("records")
    if not thin:
        anchored = status.set_index("vessel_status").loc[["berthed", "anchored"], "incidents"].sum()
        underway = int(status.set_index("vessel_status").loc["underway", "incidents"])
        values["vessel_status_summary"] = {
            "berthed_or_anchored": int(anchored),
            "underway": underway,
            "n": len(recent),
        }
        md.append(
            f"Vessel status: in {int(anchored)} of the {len(recent)} incidents the ship was "
            f"berthed or at anchor, in {underway} under way. Vessel types are raw counts: no "
            "traffic denominator (port calls, transits) is available, so a frequent type may "
            "simply be a common one."
        )
        tables.append(
            (
                f"Vessel status, {p_rec['start']} to {p_rec['end']} (CAT1 or CAT2 and "
                "attempted among them)",
                status.rename(
                    columns={
                        "vessel_status": "status",
                        "share_pct": "share (%)",
                        "cat1_cat2": "CAT1 or CAT2",
                    }
                ),
            )
        )
        tables.append(
            (
                f"Vessel type, {p_rec['start']} to {p_rec['end']} (raw counts)",
                vtype.rename(columns={"vessel_type": "type", "share_pct": "share (%)"}),
            )
        )

    # -- source agreement --------------------------------------------------------------
    agree = {
        "recent": source_agreement_summary(recent),
        "previous": source_agreement_summary(
            trend[_in_period(trend, periods["previous"]).to_numpy()]
        ),
    }
    values["source_agreement"] = agree
    if not thin:
        md.append(_agreement_sentence(agree, p_rec, p_prev))
        tables.append(
            (
                "Incidents each source reported, by period (an incident reported by several "
                "sources counts once in the totals above)",
                pd.DataFrame(
                    [
                        {
                            "source": COVERAGE_GROUPS[g][0],
                            f"previous ({p_prev['start']} to {p_prev['end']})": agree["previous"][
                                "by_source"
                            ][g],
                            f"recent ({p_rec['start']} to {p_rec['end']})": agree["recent"][
                                "by_source"
                            ][g],
                        }
                        for g in COVERAGE_GROUPS
                    ]
                ),
            )
        )

    caveats.append(
        "Local times without a UTC offset (ASAM, IMB) are converted with the country's "
        "standard offset (Indonesia: by longitude, three zones), ignoring daylight saving; "
        "incidents with no time are left out of the time-of-day figures."
    )

    values["key_figures"] = _maritime_key_figures(values, name, thin)
    return Section(
        key=key,
        title=title,
        markdown="\n\n".join(md),
        figures=figures,
        tables=tables,
        values=values,
        sources=sorted(set(sources)),
        caveats=caveats,
    )


def _sources_sentence(
    cov_list: list[dict], recent: dict, as_of: pd.Timestamp, coverage: pd.DataFrame
) -> str:
    """Which sources cover what, and which of them the recent period rests on."""
    text = "Which sources exist matters: " + "; ".join(
        f"{c['label']} {c['start']} to {c['end']}" for c in cov_list
    )
    asam_end = coverage.set_index("group").loc["asam", "end"]
    if as_of > asam_end:
        later = [
            c["label"]
            for c in cov_list
            if pd.Timestamp(c["end"]) > asam_end and pd.Timestamp(c["start"]) <= as_of
        ]
        text += f". After ASAM ended ({_date(asam_end)}) the only sources are " + " and ".join(
            later
        )
    now = [
        c["label"] for c in cov_list if pd.Timestamp(c["start"]) <= as_of <= pd.Timestamp(c["end"])
    ]
    if now:
        text += f"; on {_date(as_of)} only " + " and ".join(now) + " reported"
    else:
        text += f"; no source covers {_date(as_of)}"
    active = [c["label"] for c in cov_list if recent.get(c["group"], 0) > 0]
    return text + ". The recent period rests on " + ", ".join(active) + "."


def _coverage_sentence(cov: dict, coverage: pd.DataFrame) -> str:
    labels = coverage.set_index("group")["label"]
    parts = []
    for group in coverage["group"]:
        a, b = cov["previous"][group], cov["recent"][group]
        if abs(a - b) > COMPARABLE_TOLERANCE:
            parts.append(
                f"{labels[group]} covers {fmt_num(100 * a)}% of the previous and "
                f"{fmt_num(100 * b)}% of the recent period"
            )
    return "(" + "; ".join(parts) + ")."


def _time_sentence(tod: dict, iso3: str) -> str:
    offset = STANDARD_UTC_OFFSET_H.get(iso3)
    std = (
        "Indonesia's three zones by longitude (UTC+7, +8, +9)"
        if iso3 == "IDN"
        else f"the standard offset UTC+{fmt_num(offset, 1 if offset % 1 else 0)}"
        if offset is not None
        else "no standard offset (not in the table)"
    )
    text = (
        f"Time of day: {tod['n_with_time']} of the {tod['n_events']} incidents in the recent "
        f"period have a usable local time ({tod['n_offset_source']} with the source's UTC "
        f"offset, {tod['n_offset_standard']} converted with {std}); "
        f"{tod['n_classified']} also have a position, so the Sun's elevation there can be "
        "computed."
    )
    if tod["enough"]:
        lo, hi = tod["share_night_interval_pct"]
        dlo, dhi = tod["share_dark_interval_pct"]
        text += (
            f" {fmt_num(tod['share_night_pct'])}% happened at night (Sun below −6°; exact "
            f"{CONFIDENCE_PCT}% interval {fmt_num(lo)}–{fmt_num(hi)}%) and "
            f"{fmt_num(tod['share_dark_pct'])}% in darkness including civil twilight "
            f"({fmt_num(dlo)}–{fmt_num(dhi)}%)."
        )
    else:
        text += f" Fewer than {MIN_TIMED_EVENTS}: no darkness shares are given."
    return text


def _agreement_sentence(agree: dict, p_rec: dict, p_prev: dict) -> str:
    parts = []
    for key, p in (("recent", p_rec), ("previous", p_prev)):
        a = agree[key]
        if not a["n_events"]:
            parts.append(f"no incidents in {p['start']} to {p['end']}")
            continue
        s = (
            f"{a['n_multi_source']} of {a['n_events']} incidents in {p['start']} to "
            f"{p['end']} ({fmt_num(a['share_multi_pct'])}%) were reported by more than one source"
        )
        if a["n_outcome_compared"]:
            s += (
                f", and for {a['n_outcome_agree']} of those {a['n_outcome_compared']} the "
                f"sources agree on the outcome ({fmt_num(a['share_outcome_agree_pct'])}%)"
            )
        parts.append(s)
    return (
        "Source agreement: "
        + "; ".join(parts)
        + ". Low overlap means the sources see different incidents, so no single source "
        "gives the full picture."
    )


def _known_table(known: dict, eez_method: str) -> pd.DataFrame:
    mil = known["milex"]
    rows = [
        {
            "indicator": "EEZ area (km²)",
            "value": fmt_num(known["eez_area_km2"]),
            "year or note": "approximate EEZ"
            if eez_method.startswith("approx")
            else "Marine Regions",
        },
        {
            "indicator": "incidents recorded since records began",
            "value": fmt_num(known["incidents_all_time"]),
            "year or note": (
                f"latest {known['latest_incident']}"
                if known["latest_incident"]
                else "none recorded"
            ),
        },
        {
            "indicator": "military expenditure (% of GDP)",
            "value": fmt_num(mil["share_gdp_pct"], 2),
            "year or note": str(mil["share_year"])
            if mil["share_year"]
            else "not published by the World Bank (SIPRI) for this country",
        },
        {
            "indicator": "military expenditure (current US$)",
            "value": fmt_num(mil["usd"]),
            "year or note": str(mil["usd_year"])
            if mil["usd_year"]
            else "not published by the World Bank (SIPRI) for this country",
        },
    ]
    return pd.DataFrame(rows)


def _maritime_key_figures(values: dict, name: str, thin: bool) -> list[dict]:
    cmp_ = values["comparison"]
    rr = cmp_["rate_ratio"]
    years = values["lookback_years"]
    yrs = _n(years, "year")
    p_rec, p_prev = cmp_["periods"]["recent"], cmp_["periods"]["previous"]
    lfl = cmp_["like_for_like"]
    if thin:
        sentence = (
            f"Only {_n(cmp_['recent'], 'piracy or armed-robbery incident')} "
            f"{'was' if cmp_['recent'] == 1 else 'were'} recorded in the waters of {name} "
            f"in the {yrs} to {p_rec['end']} "
            f"({values['all_time']['n']} since records began): too few to measure a trend."
        )
    elif cmp_["comparable"]:
        sentence = (
            f"{cmp_['recent']} piracy and armed-robbery incidents were recorded in the waters "
            f"of {name} in the {yrs} to {p_rec['end']} against {cmp_['previous']} in the "
            f"previous {yrs} (rate ratio {_rr_text(rr)}): {cmp_['direction']}."
        )
    else:
        sentence = (
            f"{cmp_['recent']} piracy and armed-robbery incidents were recorded in the waters "
            f"of {name} in the {yrs} to {p_rec['end']} against {cmp_['previous']} in the "
            f"previous {yrs} (rate ratio {_rr_text(rr)}), but different sources "
            "covered the two periods, so this is not a like-for-like trend"
        )
        if lfl is not None:
            sentence += (
                f"; {lfl['label']} alone, to {lfl['periods']['recent']['end']}, gives a rate "
                f"ratio of {_rr_text(lfl['rate_ratio'])}: {lfl['direction']}"
            )
        sentence += "."
    figures = [
        {
            "id": "maritime_incidents_recent",
            "label": f"Piracy and armed-robbery incidents, {p_rec['start']} to {p_rec['end']}",
            "value": cmp_["recent"],
            "unit": "incidents",
            "interval": cmp_["recent_interval"],
            "interval_kind": f"exact Poisson {CONFIDENCE_PCT}% (Garwood)",
            "change": rr["estimate"],
            "change_text": (
                f"rate ratio {_rr_text(rr)} vs {cmp_['previous']} in {p_prev['start']} to "
                f"{p_prev['end']} ({RATE_RATIO_METHOD})"
                + ("" if cmp_["comparable"] else "; sources differ between the periods")
            ),
            "significant": rr["significant"] if cmp_["comparable"] and not thin else None,
            "sentence": sentence,
        }
    ]
    tod = values["time_of_day"]
    if not thin and tod["enough"]:
        figures.append(
            {
                "id": "maritime_share_night",
                "label": "Share of timed incidents at night (Sun below −6°), recent period",
                "value": tod["share_night_pct"],
                "unit": "%",
                "interval": tod["share_night_interval_pct"],
                "interval_kind": f"exact binomial {CONFIDENCE_PCT}% (Clopper–Pearson)",
                "change": None,
                "change_text": None,
                "significant": None,
                "sentence": (
                    f"{fmt_num(tod['share_night_pct'])}% of the {tod['n_classified']} recent "
                    f"incidents with a known time and position happened at night, "
                    f"{fmt_num(tod['share_dark_pct'])}% in darkness including twilight."
                ),
            }
        )
    return figures


# --------------------------------------------------------------------------- section 4


def grayzone_events(ctx: BriefContext) -> pd.DataFrame:
    """SCSDI gray-zone events with the brief's country among the actors, up to ``as_of``.

    Events without a full date keep the year SCSDI gives (``year``); those after
    ``as_of`` (by date, or by year when undated) are dropped.

    Returns
    -------
    pandas.DataFrame
        The harmonised event columns plus ``year`` (int) and ``actor_pair`` (the sorted
        actors joined by "–", e.g. "CHN–PHL"; "<ISO3> alone" for a single actor).
    """
    events = _all_incident_events()
    gz = events[events["category"].eq("gray_zone_coercion").fillna(False).to_numpy()]
    actors = gz["actors_iso3"].astype("string").fillna("")
    mine = gz[actors.str.split(";").map(lambda a: ctx.country_iso3 in a).to_numpy()].copy()
    from osa_analysis.sources.loaders.scsdi import event_years

    mine["year"] = event_years(mine)
    as_of = pd.Timestamp(ctx.as_of)
    keep = mine["date"].le(as_of).fillna(False) | (
        mine["date"].isna() & mine["year"].le(as_of.year).fillna(False)
    )
    mine = mine[keep.to_numpy()].copy()
    mine["actor_pair"] = mine["actors_iso3"].astype("string").map(_pair)
    return mine.reset_index(drop=True)


def _pair(actors: str) -> str:
    """Name an actor combination: "CHN–PHL", "PHL alone" or :data:`MULTILATERAL`."""
    parts = sorted(a for a in str(actors).split(";") if a)
    if len(parts) >= MULTILATERAL_MIN:
        return MULTILATERAL
    return f"{parts[0]} alone" if len(parts) == 1 else "–".join(parts)


def grayzone_section(ctx: BriefContext) -> Section:
    """Section 4: gray-zone coercion in the South China Sea (SCSDI), by year and actor pair.

    Parameters
    ----------
    ctx : BriefContext
        The brief's context.

    Returns
    -------
    Section
        Key ``"grayzone"``. Full analysis for South China Sea claimants
        (:data:`SCS_CLAIMANTS`) and for recipients with at least
        :data:`GRAYZONE_MIN_EVENTS` SCSDI events as an actor; otherwise a short "not
        applicable" note with the reason.
    """
    from osa_analysis.brief.maps import MAP_SOURCE_IDS, Extent, country_extent, incident_map

    key, title = "grayzone", "4. Gray-zone coercion in the South China Sea"
    iso3, name = ctx.country_iso3, _country_name(ctx)
    ctx.use(*SCSDI_SOURCE_IDS)
    events = grayzone_events(ctx)
    n = len(events)
    claimant = iso3 in SCS_CLAIMANTS
    if n == 0 and claimant:
        reason = "no SCSDI events up to as_of"
        text = (
            f"The South China Sea Data Initiative (SCSDI) records no events with {esc(name)} "
            f"as an actor up to {_date(ctx.as_of)} (its data start in "
            f"{parse_coverage(_registry_coverage('scsdi_geocoded'))[0].year})."
        )
        section = _not_applicable(ctx, key, title, text, reason)
        section.values["n_events"] = 0
        section.values["data_start"] = _date(
            parse_coverage(_registry_coverage("scsdi_geocoded"))[0]
        )
        section.sources = list(SCSDI_SOURCE_IDS)
        return section
    if not claimant and n < GRAYZONE_MIN_EVENTS:
        if n == 0:
            reason = "not a South China Sea claimant and not an actor in SCSDI"
            text = (
                f"Not applicable: {esc(name)} is not a South China Sea claimant and does not "
                "appear as an actor in the South China Sea Data Initiative (SCSDI) events."
            )
        else:
            reason = "not a South China Sea claimant; too few SCSDI events"
            text = (
                f"Not applicable: {esc(name)} is not a South China Sea claimant; SCSDI lists "
                f"it as an actor in only {_n(n, 'event')} "
                f"({_span(int(events['year'].min()), int(events['year'].max()))}), too few to "
                "analyse."
            )
        section = _not_applicable(ctx, key, title, text, reason)
        section.values["n_events"] = n
        section.values["min_events"] = GRAYZONE_MIN_EVENTS
        if n:
            section.values["years"] = [int(events["year"].min()), int(events["year"].max())]
        section.sources = list(SCSDI_SOURCE_IDS)
        return section

    sources = [*SCSDI_SOURCE_IDS, *MAP_SOURCE_IDS]
    ctx.use(*MAP_SOURCE_IDS)
    cov = {sid: parse_coverage(_registry_coverage(sid)) for sid in SCSDI_SOURCE_IDS}
    data_end = int(cov["scsdi_published"][1].year)
    last_year = int(min(data_end, ctx.year_as_of))
    first_year = int(cov["scsdi_geocoded"][0].year)
    years = list(range(first_year, last_year + 1))
    pair_counts = events["actor_pair"].value_counts()
    pair_counts = pair_counts.sort_index().sort_values(ascending=False, kind="stable")
    top = list(pair_counts.index[: len(PAIR_COLORS)])
    group = events["actor_pair"].where(events["actor_pair"].isin(top), "other combinations")
    by_year = (
        pd.crosstab(events["year"].astype(int), group)
        .reindex(index=years, fill_value=0)
        .reindex(columns=[*top, "other combinations"], fill_value=0)
    )
    by_year = by_year.loc[:, by_year.sum() > 0]
    recent_years = [y for y in years if y > last_year - int(ctx.lookback_years)]
    n_recent = int(events["year"].isin(recent_years).sum())
    recent_events = events[events["year"].isin(recent_years).to_numpy()]
    with_chn = recent_events["actors_iso3"].astype("string").str.contains("CHN").fillna(False)
    n_undated = int(events["date"].isna().sum())
    level = events["position_precision_deg"].round(2)
    precision = []
    for radius, label in SCSDI_LEVEL_LABELS.items():
        k = int(level.eq(radius).sum())
        precision.append(
            {
                "level": label,
                "radius_deg": radius,
                "events": k,
                "mapped": bool(radius <= GRAYZONE_MAP_MAX_PRECISION_DEG),
                "in_density": bool(radius <= GRAYZONE_KDE_MAX_PRECISION_DEG),
            }
        )
    no_pos = int(events["latitude"].isna().sum())
    odd = int((events["latitude"].notna() & ~level.isin(list(SCSDI_LEVEL_LABELS))).sum())
    precision.append(
        {
            "level": "outside 1–6 (e.g. 2.8, 7)",
            "radius_deg": None,
            "events": odd,
            "mapped": False,
            "in_density": False,
        }
    )
    precision.append(
        {
            "level": "no position",
            "radius_deg": None,
            "events": no_pos,
            "mapped": False,
            "in_density": False,
        }
    )

    values: dict = {
        "applicable": True,
        "reason": None,
        "country_iso3": iso3,
        "claimant": claimant,
        "n_events": n,
        "n_undated_year_only": n_undated,
        "years": [first_year, last_year],
        "data_end": data_end,
        "published_main_from": int(cov["scsdi_geocoded"][1].year) + 1,
        "coverage": {sid: [_date(a), _date(b)] for sid, (a, b) in cov.items()},
        "by_year": {
            int(y): {str(k): int(v) for k, v in row.items()} for y, row in by_year.iterrows()
        },
        "by_year_total": {int(y): int(v) for y, v in by_year.sum(axis=1).items()},
        "actor_pairs": {str(k): int(v) for k, v in pair_counts.items()},
        "recent_years": [recent_years[0], recent_years[-1]] if recent_years else None,
        "n_recent": n_recent,
        "n_recent_interval": [round(v, 4) for v in poisson_interval(n_recent)],
        "n_recent_with_china": int(with_chn.sum()),
        "share_recent_with_china_pct": _pct(int(with_chn.sum()), n_recent),
        "precision": precision,
        "lookback_years": int(ctx.lookback_years),
        "multilateral_min": MULTILATERAL_MIN,
        "bandwidth_km": GRAYZONE_BANDWIDTH_KM,
        "confidence_pct": CONFIDENCE_PCT,
        "as_of": _date(ctx.as_of),
    }
    md = []
    intro = (
        f"The South China Sea Data Initiative (SCSDI) records **{n}** coercive or "
        f"confrontational events at sea with {esc(name)} as an actor, {first_year} to "
        f"{last_year}"
        + (f" ({n_undated} of them dated only to the month or year)" if n_undated else "")
        + "."
    )
    if not claimant:
        intro += (
            f" {esc(_cap(name))} is not a South China Sea claimant, but SCSDI records it as "
            "a party to these events."
        )
    md.append(intro)
    if recent_years:
        span_recent = _span(recent_years[0], recent_years[-1])
        md.append(
            f"In the last {_n(len(recent_years), 'year')} of data "
            f"({span_recent}): {_n(n_recent, 'event')} ({CONFIDENCE_PCT}% Poisson interval "
            f"{fmt_num(values['n_recent_interval'][0], 1)}–"
            f"{fmt_num(values['n_recent_interval'][1], 1)}), {int(with_chn.sum())} of them "
            f"with China as another actor ({fmt_num(values['share_recent_with_china_pct'])}%)."
        )
    md.append(
        "SCSDI has no event-type field, so events are broken down by the **actor pair**: the "
        f'states SCSDI names, e.g. "CHN–{iso3}" for China and {esc(name)}, "{iso3} alone" '
        f'when no other state is named, "{MULTILATERAL}" for {MULTILATERAL_MIN} or more. '
        + "; ".join(f"{esc(k)}: {v}" for k, v in list(values["actor_pairs"].items())[:6])
        + "."
    )
    gap = (
        f" SCSDI has no data after {data_end}, so the years to {ctx.year_as_of} are not covered."
        if ctx.year_as_of > data_end
        else ""
    )
    geo_end = cov["scsdi_geocoded"][1].year
    jump = (
        f" The jump after {geo_end} is partly a change of file, not only of behaviour; no "
        "trend test is made."
        if last_year > geo_end
        else " No trend test is made."
    )
    md.append(
        f"Coverage: the geo-coded SCSDI file (v1, CC0) runs {first_year} to {geo_end}; the "
        f"published table (internal licence: counts only, no event text in this brief) runs "
        f"to {data_end} and holds most events from {geo_end + 1}.{jump}{gap}"
    )

    fig, ax = figure(width=7.6, height=3.6)
    bottom = np.zeros(len(by_year))
    for i, col in enumerate(by_year.columns):
        color = PAIR_COLORS[i] if col in top else OTHER_COLOR
        ax.bar(by_year.index, by_year[col], bottom=bottom, color=color, label=col, width=0.8)
        bottom = bottom + by_year[col].to_numpy()
    if last_year > geo_end:
        ax.axvline(geo_end + 0.5, color=NEUTRAL, linestyle=":", linewidth=1)
        ax.text(
            geo_end + 0.55, max(bottom.max(), 1) * 0.95, "published table →", fontsize=7, va="top"
        )
    ax.set_xticks(years)
    ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    ax.set_xlabel("year")
    ax.set_ylabel("events per year")
    ax.set_title(f"SCSDI events with {name} as an actor, by actor pair")
    ax.legend(fontsize=7, loc="upper left", title="actor pair", title_fontsize=7)
    figures = [
        (
            f"SCSDI events per year with {name} as an actor ({first_year} to {last_year}), by "
            "actor pair."
            + (
                f" Dotted line: the geo-coded file ends in {geo_end}."
                if last_year > geo_end
                else ""
            ),
            fig,
        )
    ]

    pts = events[
        events["position_precision_deg"].le(GRAYZONE_MAP_MAX_PRECISION_DEG).fillna(False).to_numpy()
    ]
    colors = {p: PAIR_COLORS[i] for i, p in enumerate(top)}
    colors["other combinations"] = OTHER_COLOR
    points = pd.DataFrame(
        {
            "longitude": pts["longitude"].to_numpy(float),
            "latitude": pts["latitude"].to_numpy(float),
            "group": pts["actor_pair"]
            .where(pts["actor_pair"].isin(top), "other combinations")
            .to_numpy(),
            "filled": pts["position_precision_deg"].le(GRAYZONE_KDE_MAX_PRECISION_DEG).to_numpy(),
            "in_kde": pts["position_precision_deg"].le(GRAYZONE_KDE_MAX_PRECISION_DEG).to_numpy(),
        }
    )
    scs = Extent(*SCS_EXTENT)
    extent = scs.union(country_extent(iso3, ctx.eez))
    map_fig, map_vals = incident_map(
        points,
        iso3=iso3,
        extent=extent,
        groups=colors,
        title=f"SCSDI events with {name} as an actor ({first_year} to {last_year})",
        legend_title="actor pair",
        filled_label="located to ≤0.7° (levels 1–4)",
        open_label="≈1.8° (level 5)",
        kde=True,
        bandwidth_km=GRAYZONE_BANDWIDTH_KM,
    )
    values["map"] = map_vals
    kde = map_vals["kde"]
    kde_text = (
        f"Shading: kernel density of the {kde['n_points']} positions located to "
        f"level 4 or better, {kde['bandwidth_rule']} with a standard deviation (bandwidth) "
        f"of {fmt_num(kde['bandwidth_km'])} km (wider than on the incident map because "
        f"SCSDI positions are precise only to about 0.4° to 0.7°), computed in an "
        f"{kde['projection']}."
        if kde["applied"]
        else f"No density layer: {kde['reason']}."
    )
    n_level6 = next(p["events"] for p in precision if p["radius_deg"] == 7.2)
    figures.append(
        (
            f"SCSDI events located to level 5 or better ({map_vals['n_in_window']} shown); "
            f"{n_level6} events located only to the South China Sea as a whole (level 6), "
            f"{odd} with a level outside 1 to 6 and {no_pos} without a position are not "
            f"mapped. {kde_text}",
            map_fig,
        )
    )
    md.append(
        "Location precision (SCSDI levels; 1 is the most precise): "
        + "; ".join(f"level {p['level']}: {p['events']}" for p in precision if p["radius_deg"])
        + f"; level outside 1 to 6: {odd}; no position: {no_pos}. Only levels 1 to 5 are "
        f"mapped. {kde_text}"
    )
    pair_table = pd.DataFrame(
        [
            {
                "actor pair": k,
                f"all years ({first_year} to {last_year})": v,
                f"last {_n(len(recent_years), 'year')}": int(
                    recent_events["actor_pair"].eq(k).sum()
                ),
            }
            for k, v in list(values["actor_pairs"].items())[:PAIR_TABLE_ROWS]
        ]
    )
    values["pair_table_recent"] = {
        k: int(recent_events["actor_pair"].eq(k).sum())
        for k in list(values["actor_pairs"])[:PAIR_TABLE_ROWS]
    }
    values["pair_table_rows"] = PAIR_TABLE_ROWS
    tables = [
        (f"SCSDI events with {name} as an actor, by actor pair (top {PAIR_TABLE_ROWS})", pair_table)
    ]
    caveats = [
        "SCSDI codes events from news reports: coverage depends on media attention and "
        "language, and quiet, routine coercion is under-recorded.",
        "The published SCSDI table is an unverified copy with an internal licence: only "
        "counts and positions are used, never its event text.",
        "The actor pair names the states involved, not who coerced whom.",
    ]
    values["key_figures"] = (
        [
            {
                "id": "grayzone_events_recent",
                "label": (
                    f"SCSDI gray-zone events with {name} as an actor, "
                    f"{_span(recent_years[0], recent_years[-1])}"
                ),
                "value": n_recent,
                "unit": "events",
                "interval": values["n_recent_interval"],
                "interval_kind": f"exact Poisson {CONFIDENCE_PCT}% (Garwood)",
                "change": None,
                "change_text": None,
                "significant": None,
                "sentence": (
                    f"SCSDI recorded {n_recent} coercive or confrontational events at sea with "
                    f"{name} as an actor in {_span(recent_years[0], recent_years[-1])}, "
                    f"{int(with_chn.sum())} of them also involving China"
                    + (
                        f"; SCSDI has no data after {data_end}."
                        if ctx.year_as_of > data_end
                        else "."
                    )
                ),
            }
        ]
        if recent_years
        else []
    )
    return Section(
        key=key,
        title=title,
        markdown="\n\n".join(md),
        figures=figures,
        tables=tables,
        values=values,
        sources=sorted(set(sources)),
        caveats=caveats,
    )
