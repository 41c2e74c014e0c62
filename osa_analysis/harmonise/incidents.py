"""One harmonised maritime-incident table from every incident source.

Load → process → save:

1. **Load** each incident source through its loader (ASAM merged by reference, IMB "Crime at
   Sea", ReCAAP OpenMap, the ReCAAP/IMB live feed, SCSDI gray-zone events) and stack the
   shared columns (:data:`osa_analysis.sources.loaders.common.INCIDENT_COLUMNS`).
2. **Process**: canonical fields
   (:func:`osa_analysis.harmonise.classify.classify_incidents`), quality flags (never silent
   drops), coastal-state attribution by approximate EEZ and distance to shore
   (:mod:`osa_analysis.harmonise.eez`), and cross-source deduplication into events.
3. **Save** to a parquet cache keyed by the sha256 of every input file and the method
   versions, so later loads take a fraction of a second.

Two tables come out: :func:`load_incident_reports` (one row per source record, with the
``incident_id`` of the event it belongs to) and :func:`load_incidents` (one row per event,
listing every source that reported it).
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from osa_analysis.core.geo import destination, haversine_km
from osa_analysis.harmonise.classify import (
    CLASSIFIER_VERSION,
    GRAY_ZONE_SOURCES,
    classify_incidents,
)
from osa_analysis.harmonise.eez import METHOD_VERSION as EEZ_METHOD_VERSION
from osa_analysis.harmonise.eez import attribute_coastal_state
from osa_analysis.harmonise.ship_names import _norm_ship, ships_match
from osa_analysis.sources.cache import cached
from osa_analysis.sources.loaders.asam import load_asam
from osa_analysis.sources.loaders.common import (
    INCIDENT_COLUMNS,
    duplicate_records,
    impossible_positions,
)
from osa_analysis.sources.loaders.imb import load_imb_attacks
from osa_analysis.sources.loaders.recaap import load_recaap_imb_live, load_recaap_openmap
from osa_analysis.sources.loaders.scsdi import load_scsdi_geocoded, load_scsdi_published
from osa_analysis.sources.registry import get_source

log = logging.getLogger(__name__)

DEDUP_VERSION = "dedup-v2"
INLAND_THRESHOLD_KM = 10.0
"""A position more than this far inside a land polygon is flagged ``inland``."""

INCIDENT_SOURCE_IDS = (
    "asam_msi_csv",
    "asam_arcgis_csv",
    "asam_lephare_json",
    "imb_pirate_attacks",
    "recaap_openmap",
    "recaap_imb_live",
    "scsdi_geocoded",
    "scsdi_published",
)
"""Registry ids of the files the incident table is built from."""

GEOGRAPHY_SOURCE_IDS = ("world_atlas_countries_10m", "world_atlas_land_10m")
"""Registry ids behind the approximate EEZ and distance to shore."""

FAMILY = {
    "asam_msi_csv": "asam",
    "asam_arcgis_csv": "asam",
    "asam_lephare_json": "asam",
    "imb_pirate_attacks": "imb",
    "recaap_openmap": "recaap",
    "recaap_imb_live": "live_recaap",
    "scsdi_geocoded": "scsdi",
    "scsdi_published": "scsdi_pub",
}
"""Report family of each source file: an independent reporting channel. Records of one
family are never merged with each other (the live feed's IMB rows form ``live_imb``)."""


def report_families(df: pd.DataFrame) -> pd.Series:
    """Return the reporting family of each record (see :data:`FAMILY`)."""
    family = df["source"].map(FAMILY).astype("string")
    if "origin" in df:
        family = family.mask(
            df["source"].eq("recaap_imb_live") & df["origin"].eq("imb"), "live_imb"
        )
    return family


SOURCE_PRIORITY = (
    "recaap_openmap",
    "imb_pirate_attacks",
    "asam_msi_csv",
    "asam_lephare_json",
    "recaap_imb_live",
    "scsdi_geocoded",
    "scsdi_published",
)
"""Which report represents a multi-source event: the richest, most authoritative first."""

MATCHED_FAMILIES = (
    ("asam", "imb"),
    ("asam", "recaap"),
    ("imb", "recaap"),
    ("recaap", "live_recaap"),
    ("recaap", "live_imb"),
    ("live_recaap", "live_imb"),
    ("scsdi", "scsdi_pub"),
)
"""Family pairs compared for duplicates (their periods overlap)."""

BASE_TOLERANCE_KM = 30.0
"""Distance within which two reports of the same day ±1 may describe one event, before
adding each report's position uncertainty (``position_precision_deg`` × 111 km)."""

EXTRA_COLUMNS = ("datetime_utc", "reference", "recaap_incident_no", "origin", "actors_iso3")


@dataclass(frozen=True)
class IncidentTables:
    """The harmonised incident tables.

    Attributes
    ----------
    reports : pandas.DataFrame
        One row per source record, with ``incident_id``.
    events : pandas.DataFrame
        One row per incident, with ``sources``, ``source_ids`` and ``n_sources``.
    """

    reports: pd.DataFrame
    events: pd.DataFrame


# --------------------------------------------------------------------------- load


def _load_sources() -> pd.DataFrame:
    frames = [
        load_asam(),
        load_imb_attacks(),
        load_recaap_openmap(),
        load_recaap_imb_live(),
        load_scsdi_geocoded(),
        load_scsdi_published(),
    ]
    keep = list(INCIDENT_COLUMNS)
    stacked = []
    for frame in frames:
        cols = keep + [c for c in EXTRA_COLUMNS if c in frame.columns]
        part = frame[cols].copy()
        # record number in the file the row came from (load_asam merges three files and
        # carries it as a column; the other loaders index by it)
        record = frame["source_record"] if "source_record" in frame else frame.index
        part.insert(0, "source_record", pd.array(record, dtype="Int64"))
        stacked.append(part.reset_index(drop=True))
    out = pd.concat(stacked, ignore_index=True)
    for col in EXTRA_COLUMNS:
        if col not in out:
            out[col] = pd.NA
    return out


# --------------------------------------------------------------------------- process


def add_quality_flags(df: pd.DataFrame) -> pd.DataFrame:
    """Flag, never drop, records with questionable dates or positions.

    Adds boolean columns ``flag_missing_date``, ``flag_missing_position``,
    ``flag_unparseable_position``, ``flag_impossible_position`` (also a loader's
    ``impossible`` position status, whose coordinates the loader already removed),
    ``flag_future_date`` (dated after today), ``flag_duplicate_record`` (repeats an earlier
    record of the same source on every shared column but the id) and ``quality_flags``
    (the names of the raised flags, ``;``-joined; empty when clean). Impossible coordinates
    are kept in ``latitude_raw``/``longitude_raw`` and set to NA in ``latitude``/``longitude``.
    """
    out = df.copy()
    lat, lon = out["latitude"], out["longitude"]
    impossible = (
        impossible_positions(lat, lon)
        | ((lat == 0) & (lon == 0))
        | out["position_status"].eq("impossible")
    )
    out["latitude_raw"], out["longitude_raw"] = lat, lon
    out.loc[impossible, ["latitude", "longitude"]] = np.nan
    out["flag_missing_date"] = out["date"].isna()
    out["flag_missing_position"] = out["position_status"].eq("missing")
    out["flag_unparseable_position"] = out["position_status"].eq("unparseable")
    out["flag_impossible_position"] = impossible.fillna(False).astype(bool)
    out["flag_future_date"] = (out["date"] > pd.Timestamp.today().normalize()).fillna(False)
    shared = list(INCIDENT_COLUMNS)
    repeats = [duplicate_records(part, shared) for _, part in out.groupby("source", sort=False)]
    out["flag_duplicate_record"] = (
        pd.concat(repeats).reindex(out.index, fill_value=False).astype(bool) if repeats else False
    )
    return out


def add_coastal_state(df: pd.DataFrame) -> pd.DataFrame:
    """Attribute each position to a coastal state by approximate EEZ, with distance to shore.

    Adds ``coastal_state_iso3``, ``distance_to_shore_km``, ``on_land``, ``inland_km``,
    ``eez_method``, the ``flag_inland`` quality flag (more than
    :data:`INLAND_THRESHOLD_KM` inside a land polygon) and ``attribution_alternatives``
    (:func:`_coarse_positions`: a coarse position that may lie in several EEZs is counted
    for none of them) and ``border_states`` (:func:`_border_zone`: the other states whose
    approximate EEZ lies within :data:`BORDER_ZONE_KM` of an attributed position).
    """
    geo = attribute_coastal_state(df["latitude"].to_numpy(float), df["longitude"].to_numpy(float))
    out = df.copy()
    for col in (
        "coastal_state_iso3",
        "distance_to_shore_km",
        "on_land",
        "inland_km",
        "attribution",
        "eez_method",
    ):
        out[col] = geo[col].to_numpy()
    out["coastal_state_iso3"] = out["coastal_state_iso3"].astype("string")
    out["eez_method"] = out["eez_method"].astype("string")
    out["on_land"] = out["on_land"].astype("boolean")
    out["distance_to_shore_km"] = out["distance_to_shore_km"].astype(float)
    out["inland_km"] = out["inland_km"].astype(float)
    out["attribution"] = out["attribution"].astype("string")
    out["flag_inland"] = (out["inland_km"].fillna(0) > INLAND_THRESHOLD_KM).astype(bool)
    return _border_zone(_coarse_positions(out))


COARSE_MIN_DEG = 0.5
"""A position known to this many degrees or worse is checked for an ambiguous coastal state."""
COARSE_GRID = 5
"""Points per side of the grid sampled over a coarse position's uncertainty box."""


def _states_at(lat: np.ndarray, lon: np.ndarray) -> list[set[str]]:
    """Return, for each row of sample points ``(n, k)``, the coastal states they meet."""
    geo = attribute_coastal_state(np.clip(lat, -89.9, 89.9).ravel(), lon.ravel())
    states = geo["coastal_state_iso3"].to_numpy(object).reshape(lat.shape)
    return [{x for x in found if isinstance(x, str)} for found in states]


def _coarse_positions(out: pd.DataFrame) -> pd.DataFrame:
    """Attribute coarse positions with their uncertainty (e.g. whole-degree live-feed rows).

    For a report (not gray-zone) whose position is known only to ``p`` ≥
    :data:`COARSE_MIN_DEG` degrees, a :data:`COARSE_GRID` × :data:`COARSE_GRID` grid over the
    box ±``p``/2 is attributed too. When the grid meets more than one state's EEZ the report
    is **ambiguous**: no coastal state (``attribution`` ``ambiguous``; counted for no
    country) and the candidates in ``attribution_alternatives`` ("IDN;MYS;SGP").
    """
    out["attribution_alternatives"] = pd.Series(pd.NA, index=out.index, dtype="string")
    prec = out["position_precision_deg"].to_numpy(float)
    coarse = (
        (np.nan_to_num(prec) >= COARSE_MIN_DEG)
        & ~out["source"].isin(GRAY_ZONE_SOURCES).to_numpy(bool)
        & np.isfinite(out["latitude"].to_numpy(float))
        & np.isfinite(out["longitude"].to_numpy(float))
    )
    rows = np.flatnonzero(coarse)
    if not len(rows):
        return out
    steps = np.linspace(-0.5, 0.5, COARSE_GRID)
    dy, dx = (g.ravel() for g in np.meshgrid(steps, steps))
    lat = out["latitude"].to_numpy(float)[rows, None] + prec[rows, None] * dy
    lon = out["longitude"].to_numpy(float)[rows, None] + prec[rows, None] * dx
    lon = ((lon + 180.0) % 360.0) - 180.0
    col_state = out.columns.get_loc("coastal_state_iso3")
    col_attr = out.columns.get_loc("attribution")
    col_alt = out.columns.get_loc("attribution_alternatives")
    for row, found in zip(rows, _states_at(lat, lon), strict=True):
        candidates = sorted(found)
        if len(candidates) > 1:
            out.iat[row, col_state] = pd.NA
            out.iat[row, col_attr] = "ambiguous"
            out.iat[row, col_alt] = ";".join(candidates)
    return out


BORDER_ZONE_KM = 20.0
"""A position this close to another state's (approximate) EEZ lies in the border zone: the
approximate EEZ's median lines are within ~5 km of equidistance, but agreed boundaries
depart from equidistance (the Singapore Strait, Bab-el-Mandeb) and report positions are
often given to a minute or worse, so attribution there could go either way."""
BORDER_RINGS_KM = (BORDER_ZONE_KM / 2, BORDER_ZONE_KM)
"""Distances of the sampled rings around each position."""
BORDER_BEARINGS = 12
"""Points per ring (every 30°: ≤ 10.5 km apart on the 20 km ring)."""


def _border_zone(out: pd.DataFrame) -> pd.DataFrame:
    """Name the other states a precise, attributed position may belong to (``border_states``).

    Rings of :data:`BORDER_BEARINGS` points at :data:`BORDER_RINGS_KM` around each report
    (not gray-zone) with a coastal state and a position finer than
    :data:`COARSE_MIN_DEG` are attributed too; every other state met is listed
    (``"IDN;SGP"``), NA when there is none. The high seas count for no one.
    """
    out["border_states"] = pd.Series(pd.NA, index=out.index, dtype="string")
    prec = np.nan_to_num(out["position_precision_deg"].to_numpy(float))
    own = out["coastal_state_iso3"].to_numpy(object)
    rows = np.flatnonzero(
        out["coastal_state_iso3"].notna().to_numpy(bool)
        & (prec < COARSE_MIN_DEG)
        & ~out["source"].isin(GRAY_ZONE_SOURCES).to_numpy(bool)
    )
    if not len(rows):
        return out
    bearings = np.arange(BORDER_BEARINGS) * 360.0 / BORDER_BEARINGS
    dist = np.repeat(BORDER_RINGS_KM, BORDER_BEARINGS)
    lat, lon = destination(
        out["latitude"].to_numpy(float)[rows, None],
        out["longitude"].to_numpy(float)[rows, None],
        np.tile(bearings, len(BORDER_RINGS_KM))[None, :],
        dist[None, :],
    )
    col = out.columns.get_loc("border_states")
    for row, found in zip(rows, _states_at(lat, lon), strict=True):
        others = sorted(found - {own[row]})
        if others:
            out.iat[row, col] = ";".join(others)
    return out


def _finish_flags(df: pd.DataFrame) -> pd.DataFrame:
    flag_cols = [c for c in df.columns if c.startswith("flag_")]
    names = np.array([c.removeprefix("flag_") for c in flag_cols])
    matrix = df[flag_cols].to_numpy(bool)
    df["quality_flags"] = pd.array([";".join(names[row]) for row in matrix], dtype="string")
    return df


def candidate_links(df: pd.DataFrame) -> pd.DataFrame:
    """Pairs of reports from different families that may describe the same event.

    Rules (``brief-anchors.md`` A2.6 item 9): dates within ±1 day; positions within
    :data:`BASE_TOLERANCE_KM` plus both reports' position uncertainty; when both name the
    ship, the normalised names (case, type prefix, a closing Roman numeral, a typo:
    :func:`ships_match`) or IMO numbers must agree. Each report is linked to at most
    one report of each other family (closest first), so busy waters do not chain unrelated
    events. ReCAAP incident numbers link the live feed to OpenMap exactly.

    Returns
    -------
    pandas.DataFrame
        Columns ``a``, ``b`` (row positions in ``df``), ``distance_km``, ``days_apart``,
        ``rule`` (``exact_id`` or ``proximity``).
    """
    work = pd.DataFrame(
        {
            "row": np.arange(len(df)),
            "family": report_families(df).to_numpy(object),
            "day": df["date"].to_numpy("datetime64[D]"),
            "lat": df["latitude"].to_numpy(float),
            "lon": df["longitude"].to_numpy(float),
            "prec": df["position_precision_deg"].fillna(0).clip(upper=1.5).to_numpy(float),
            "ship": _norm_ship(df["vessel_name"]).to_numpy(object),
            "imo": df["vessel_imo"]
            .astype("string")
            .str.replace(r"\D", "", regex=True)
            .to_numpy(object),
        }
    )
    work = work[~np.isnat(work["day"]) & np.isfinite(work["lat"]) & np.isfinite(work["lon"])]
    links = []

    # exact: live-feed ReCAAP rows carry the OpenMap incident number
    rc = df["recaap_incident_no"].astype("string")
    openmap = pd.Series(np.arange(len(df)), index=df["source_id"].astype("string"))
    openmap = openmap[df["source"].eq("recaap_openmap").to_numpy()]
    live_rows = np.flatnonzero(
        df["source"].eq("recaap_imb_live").to_numpy() & rc.notna().to_numpy()
    )
    exact = pd.DataFrame({"a": live_rows, "key": rc.iloc[live_rows].to_numpy()})
    exact["b"] = exact["key"].map(openmap)
    exact = exact.dropna(subset=["b"]).astype({"b": int})
    if len(exact):
        links.append(
            pd.DataFrame(
                {
                    "a": exact["a"],
                    "b": exact["b"],
                    "distance_km": haversine_km(
                        df["latitude"].iloc[exact["a"]],
                        df["longitude"].iloc[exact["a"]],
                        df["latitude"].iloc[exact["b"]],
                        df["longitude"].iloc[exact["b"]],
                    ),
                    "days_apart": np.abs(
                        (
                            df["date"].iloc[exact["a"]].to_numpy()
                            - df["date"].iloc[exact["b"]].to_numpy()
                        )
                        / np.timedelta64(1, "D")
                    ),
                    "rule": "exact_id",
                }
            )
        )
    exact_rows = set(exact["a"]) | set(exact["b"])

    for fam_a, fam_b in MATCHED_FAMILIES:
        left = work[work["family"] == fam_a]
        right = work[work["family"] == fam_b]
        if left.empty or right.empty:
            continue
        shifted = pd.concat(
            [right.assign(day=right["day"] + np.timedelta64(k, "D")) for k in (-1, 0, 1)]
        )
        pairs = left.merge(shifted, on="day", suffixes=("_a", "_b"))
        if pairs.empty:
            continue
        pairs = pairs[~pairs["row_a"].isin(exact_rows) | ~pairs["row_b"].isin(exact_rows)]
        dist = haversine_km(pairs["lat_a"], pairs["lon_a"], pairs["lat_b"], pairs["lon_b"])
        tol = BASE_TOLERANCE_KM + 111.2 * (pairs["prec_a"] + pairs["prec_b"]).to_numpy()
        ship_a, ship_b = pairs["ship_a"], pairs["ship_b"]
        both_named = ship_a.notna() & ship_b.notna()
        same_ship = both_named & np.array(
            [ships_match(a, b) for a, b in zip(ship_a.fillna(""), ship_b.fillna(""), strict=True)]
        )
        imo_a, imo_b = pairs["imo_a"], pairs["imo_b"]
        both_imo = imo_a.notna() & imo_b.notna() & (imo_a != "") & (imo_b != "")
        same_imo = both_imo & (imo_a == imo_b)
        conflict = (both_named & ~same_ship) | (both_imo & ~same_imo)
        ok = ((dist <= tol) & ~conflict) | same_imo | (same_ship & (dist <= 3 * tol))
        pairs = pairs.assign(distance_km=dist)[ok.to_numpy()]
        if pairs.empty:
            continue
        # the real date difference (the merge key was shifted)
        days = np.abs(
            (df["date"].to_numpy()[pairs["row_a"]] - df["date"].to_numpy()[pairs["row_b"]])
            / np.timedelta64(1, "D")
        )
        pairs = pairs.assign(days_apart=days, score=pairs["distance_km"] + 50 * days)
        pairs = pairs.sort_values(["score", "row_a", "row_b"], kind="stable")
        # one-to-one: keep the best link of each report towards the other family
        pairs = pairs.drop_duplicates("row_a").drop_duplicates("row_b")
        links.append(
            pd.DataFrame(
                {
                    "a": pairs["row_a"].to_numpy(),
                    "b": pairs["row_b"].to_numpy(),
                    "distance_km": pairs["distance_km"].to_numpy(),
                    "days_apart": pairs["days_apart"].to_numpy(),
                    "rule": "proximity",
                }
            )
        )
    if not links:
        return pd.DataFrame(columns=["a", "b", "distance_km", "days_apart", "rule"])
    return pd.concat(links, ignore_index=True)


def assign_incident_ids(df: pd.DataFrame, links: pd.DataFrame) -> pd.Series:
    """Group linked reports into events and give each a stable ``incident_id``.

    Links are applied best first (exact ids, then by distance and days apart); a link is
    skipped when it would put two records of one reporting family into the same event, so
    chains such as ASAM↔IMB↔ReCAAP↔ASAM cannot merge two ASAM incidents. The id hashes the
    sorted ``source:source_id`` keys of the event's reports, so it stays the same across
    rebuilds while the same reports make up the event (identical duplicate records of one
    source therefore share an id).
    """
    n = len(df)
    parent = np.arange(n)
    families = report_families(df).to_numpy(object)
    members: dict[int, set] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if len(links):
        ranked = links.assign(
            _exact=links["rule"].ne("exact_id"),
            _score=links["distance_km"].fillna(0) + 50 * links["days_apart"].fillna(0),
        ).sort_values(["_exact", "_score", "a", "b"], kind="stable")
        for a, b in zip(ranked["a"].to_numpy(int), ranked["b"].to_numpy(int), strict=True):
            ra, rb = find(a), find(b)
            if ra == rb:
                continue
            fa = members.get(ra, {families[ra]})
            fb = members.get(rb, {families[rb]})
            if fa & fb:  # would merge two records of one family
                continue
            parent[rb] = ra
            members[ra] = fa | fb
            members.pop(rb, None)
    labels = np.array([find(i) for i in range(n)])
    keys = (df["source"].astype(str) + ":" + df["source_id"].astype(str)).to_numpy()
    order = np.lexsort((keys, labels))
    ids = np.empty(n, dtype=object)
    start = 0
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    for stop in [*bounds, n]:
        group = order[start:stop]
        digest = hashlib.sha1("|".join(keys[group]).encode()).hexdigest()[:12]
        ids[group] = f"INC-{digest}"
        start = stop
    return pd.Series(ids, index=df.index, dtype="string")


def events_from_reports(reports: pd.DataFrame) -> pd.DataFrame:
    """Collapse reports into one row per ``incident_id``.

    The representative report is the first in :data:`SOURCE_PRIORITY`; its fields are kept.
    Added: ``sources`` and ``source_ids`` (``;``-joined, in priority order), ``n_sources``
    (distinct families), ``position_spread_km`` and ``date_spread_days`` between reports,
    and ``outcome_agreement`` (all reports give the same outcome; NA for single reports).
    """
    rank = reports["source"].map({s: i for i, s in enumerate(SOURCE_PRIORITY)}).fillna(99)
    ordered = reports.assign(_rank=rank.to_numpy(), _family=report_families(reports))
    ordered = ordered.sort_values(["incident_id", "_rank", "source_id"], kind="stable")
    size = ordered.groupby("incident_id", sort=False)["source"].transform("size")
    events = ordered.drop_duplicates("incident_id").set_index("incident_id")
    events["sources"] = events["source"]
    events["source_ids"] = events["source_id"]
    events["n_sources"] = 1
    events["position_spread_km"] = np.nan
    events["date_spread_days"] = np.nan
    events["outcome_agreement"] = pd.array([pd.NA] * len(events), dtype="boolean")
    multi = ordered[size.to_numpy() > 1]
    if len(multi):  # aggregate only the (few thousand) events with several reports
        grouped = multi.groupby("incident_id", sort=False)
        ids = grouped.size().index
        events.loc[ids, "sources"] = grouped["source"].agg(lambda s: ";".join(dict.fromkeys(s)))
        events.loc[ids, "source_ids"] = grouped["source_id"].agg(";".join)
        events.loc[ids, "n_sources"] = grouped["_family"].nunique()
        lat, lon = grouped["latitude"], grouped["longitude"]
        events.loc[ids, "position_spread_km"] = haversine_km(
            lat.min(), lon.min(), lat.max(), lon.max()
        )
        events.loc[ids, "date_spread_days"] = (
            grouped["date"].max() - grouped["date"].min()
        ).dt.days.astype(float)
        events.loc[ids, "outcome_agreement"] = grouped["outcome"].nunique(dropna=True) <= 1
    single = events["n_sources"] == 1
    events.loc[single, ["position_spread_km", "date_spread_days"]] = np.nan
    events.loc[single, "outcome_agreement"] = pd.NA
    events["sources"] = events["sources"].astype("string")
    events["source_ids"] = events["source_ids"].astype("string")
    events = events.drop(columns=["_rank", "_family", "source_record"]).reset_index()
    return events.sort_values(
        ["date", "incident_id"], kind="stable", na_position="last"
    ).reset_index(drop=True)


def _redact_internal_text(df: pd.DataFrame) -> pd.DataFrame:
    """Blank descriptions of sources whose licence forbids republishing raw text."""
    internal = [s for s in df["source"].unique() if not get_source(s).republishable]
    mask = df["source"].isin(internal)
    df["description_withheld"] = mask.to_numpy()
    df.loc[mask, "description"] = pd.NA
    return df


def build_incident_tables() -> IncidentTables:
    """Build both incident tables from the raw files (no cache).

    Returns
    -------
    IncidentTables
    """
    reports = _load_sources()
    reports = add_quality_flags(reports)
    reports = classify_incidents(reports)
    reports = add_coastal_state(reports)
    reports = _finish_flags(reports)
    order = np.lexsort((reports["source_id"].astype(str), reports["source"].astype(str)))
    reports = reports.iloc[order].reset_index(drop=True)
    links = candidate_links(reports)
    reports["incident_id"] = assign_incident_ids(reports, links)
    reports = _redact_internal_text(reports)
    events = events_from_reports(reports)
    return IncidentTables(reports=reports, events=events)


# --------------------------------------------------------------------------- cache


def _build_tables() -> dict[str, pd.DataFrame]:
    tables = build_incident_tables()
    return {"reports": tables.reports, "events": tables.events}


def incident_tables(*, use_cache: bool = True, rebuild: bool = False) -> IncidentTables:
    """Return both incident tables, from the derived-data cache when they are there.

    The cache key (:func:`osa_analysis.sources.cache.cached`) covers every input file, the
    code that builds the tables, the method versions and ``OSA_EEZ_FILE`` (path, size and
    modification time) when it replaces the approximate EEZ.

    Parameters
    ----------
    use_cache : bool
        Read and write the cache under ``OSA_CACHE_DIR`` (default ``data/cache``).
    rebuild : bool
        Rebuild from the raw files and replace the cached tables.
    """
    eez_file = os.environ.get("OSA_EEZ_FILE", "")
    extra = {
        "versions": [CLASSIFIER_VERSION, DEDUP_VERSION, EEZ_METHOD_VERSION],
        "eez_file": _file_stamp(eez_file) if eez_file else "",
    }
    tables = cached(
        "incidents",
        INCIDENT_SOURCE_IDS + GEOGRAPHY_SOURCE_IDS,
        _build_tables,
        kind="tables",
        extra=extra,
        use_cache=use_cache,
        refresh=rebuild,
    )
    return IncidentTables(reports=tables["reports"], events=tables["events"])


def _file_stamp(path: str) -> str:
    try:
        stat = Path(path).stat()
    except OSError:
        return f"{path}:missing"
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def _filter(
    df: pd.DataFrame, start: str | None, end: str | None, coastal_state: str | None
) -> pd.DataFrame:
    keep = pd.Series(True, index=df.index)
    if start is not None:
        keep &= df["date"] >= pd.Timestamp(start)
    if end is not None:
        keep &= df["date"] <= pd.Timestamp(end)
    if coastal_state is not None:
        keep &= df["coastal_state_iso3"] == coastal_state
    return df[keep].reset_index(drop=True)


def load_incidents(
    *,
    start: str | None = None,
    end: str | None = None,
    coastal_state: str | None = None,
    use_cache: bool = True,
) -> pd.DataFrame:
    """Load the harmonised incident table: one row per event, every source listed.

    Parameters
    ----------
    start, end : str, optional
        Keep events dated within ``[start, end]`` (ISO dates; events without a date are
        dropped only when a bound is given).
    coastal_state : str, optional
        Keep events attributed to this ISO3 coastal state.
    use_cache : bool
        Use the parquet cache keyed by input sha256s (default).

    Returns
    -------
    pandas.DataFrame
        Columns include ``incident_id``, ``sources``, ``source_ids``, ``n_sources``,
        ``source`` and ``source_id`` (the representative report), ``date``, ``time_local``,
        ``utc_offset_h``, ``datetime_utc``, ``latitude``, ``longitude``,
        ``position_precision_deg``, ``source_label``, ``source_severity``, ``description``
        (NA where the licence forbids republishing; ``description_withheld``), ``category``,
        ``outcome``, ``severity`` (+ ``severity_basis``: source/derived), ``weapon``,
        ``crew_treatment``, ``vessel_status``, ``vessel_type_std``, ``coastal_state_iso3``,
        ``distance_to_shore_km``, ``eez_method``, ``quality_flags`` and the ``flag_*``
        columns, ``position_spread_km``, ``date_spread_days``, ``outcome_agreement``.
    """
    events = incident_tables(use_cache=use_cache).events
    return _filter(events, start, end, coastal_state)


def load_incident_reports(
    *, start: str | None = None, end: str | None = None, coastal_state: str | None = None
) -> pd.DataFrame:
    """Load every source record (before deduplication), with the ``incident_id`` it joined."""
    return _filter(incident_tables().reports, start, end, coastal_state)


def incident_quality_report(events: pd.DataFrame) -> dict[str, int]:
    """Count events per quality flag (what ``osa-briefs data check`` prints)."""
    flags = [c for c in events.columns if c.startswith("flag_")]
    report = {c.removeprefix("flag_"): int(events[c].sum()) for c in flags}
    report["clean"] = int((events["quality_flags"] == "").sum())
    return report


def source_agreement(reports: pd.DataFrame | None = None) -> pd.DataFrame:
    """Measure how far the sources agree, for every pair of report families.

    For each family pair: ``shared_events`` (events both reported), ``overlap_period``
    (the years both were active), ``share_of_a`` and ``share_of_b`` (shared events as a
    share of each family's events in that period), ``outcome_agreement`` (share of shared
    events where both give the same outcome), ``median_distance_km`` and
    ``same_day_share``.
    """
    reports = incident_tables().reports if reports is None else reports
    fam = reports.assign(family=report_families(reports))
    rows = []
    for fam_a, fam_b in MATCHED_FAMILIES:
        a = fam[fam["family"] == fam_a]
        b = fam[fam["family"] == fam_b]
        if a.empty or b.empty:
            continue
        lo = max(a["date"].min(), b["date"].min())
        hi = min(a["date"].max(), b["date"].max())
        if pd.isna(lo) or pd.isna(hi) or lo > hi:
            continue
        a_in = a[a["date"].between(lo, hi)].drop_duplicates("incident_id")
        b_in = b[b["date"].between(lo, hi)].drop_duplicates("incident_id")
        shared = a_in.merge(b_in, on="incident_id", suffixes=("_a", "_b"))
        if shared.empty:
            rows.append({"family_a": fam_a, "family_b": fam_b, "shared_events": 0})
            continue
        dist = haversine_km(
            shared["latitude_a"], shared["longitude_a"], shared["latitude_b"], shared["longitude_b"]
        )
        both = shared["outcome_a"].notna() & shared["outcome_b"].notna()
        rows.append(
            {
                "family_a": fam_a,
                "family_b": fam_b,
                "overlap_period": f"{lo:%Y-%m-%d}/{hi:%Y-%m-%d}",
                "shared_events": len(shared),
                "share_of_a": round(len(shared) / len(a_in), 3),
                "share_of_b": round(len(shared) / len(b_in), 3),
                "outcome_agreement": round(
                    float((shared["outcome_a"] == shared["outcome_b"])[both].mean()), 3
                )
                if both.any()
                else np.nan,
                "median_distance_km": round(float(np.nanmedian(dist)), 1),
                "same_day_share": round(float((shared["date_a"] == shared["date_b"]).mean()), 3),
            }
        )
    return pd.DataFrame(rows)
