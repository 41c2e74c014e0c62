"""The tables the diversion assessment reads, from the table store, and lookups in them.

:func:`diversion_tables` takes every table from a
:class:`~osa_analysis.analyse.tables.TableStore` (which records their sources) and derives
the two incident tables the trip-wires and the gray-zone indicator need (memoised per
process with :meth:`~osa_analysis.analyse.tables.TableStore.shared`). The lookups below
take a :class:`DiversionTables`, so tests can call them on tiny synthetic frames.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from osa_analysis.analyse.channels import source_coverage
from osa_analysis.analyse.diversion.vocabulary import PRIMARY_ROLES
from osa_analysis.analyse.tables import TableStore
from osa_analysis.core.dates import complete_year

SOURCES = (
    "ucdp_prio_acd",
    "ucdp_orgviolence_cy",
    "wgi",
    "vdem_ert",
    "coups_powell_thyne",
    "wb_population",
    "scsdi_geocoded",
    "scsdi_published",
)
"""Registry ids of the tables the assessment reads (the incident table adds its own)."""

TABLE_NAMES = (
    "ucdp_acd",
    "ucdp_conflict_years",
    "ucdp_orgvio",
    "wgi",
    "vdem_ert",
    "coups_powell_thyne",
    "wb_population",
    "incidents",
    "osa_projects",
)
"""Store tables the assessment reads (:data:`osa_analysis.analyse.tables.TABLES`)."""

GRAYZONE_CATEGORY = "gray_zone_coercion"
PIRACY_CATEGORY = "piracy_armed_robbery"


@dataclass(frozen=True)
class DiversionTables:
    """The global tables the assessment reads (real ones from :func:`diversion_tables`).

    Attributes
    ----------
    acd : pandas.DataFrame
        UCDP/PRIO ACD, indexed by record (the ``acd_record`` of ``conflict_years``).
    conflict_years : pandas.DataFrame
        :func:`~osa_analysis.sources.loaders.conflict.ucdp_conflict_years` of ``acd``.
    orgvio : pandas.DataFrame
        UCDP Organized Violence country-years.
    wgi : pandas.DataFrame
        WGI long table (``country_iso3``, ``year``, ``indicator``, ``estimate``,
        ``std_error``).
    ert : pandas.DataFrame
        V-Dem ERT country-years (``regime``, ``regime_label``, ``polyarchy*``, ``aut_ep``,
        ``aut_ep_start_year``).
    coups : pandas.DataFrame
        Powell & Thyne attempts (``country_iso3``, ``date``, ``outcome``).
    population : pandas.DataFrame
        World Bank population (``country_iso3``, ``year``, ``population``).
    grayzone : pandas.DataFrame
        :func:`grayzone_actor_events`: one row per SCSDI gray-zone event and actor state.
    piracy : pandas.DataFrame or None
        :func:`piracy_events`: ``coastal_state_iso3``, ``date``, ``sources``.
    channels : pandas.DataFrame or None
        Reporting channels of ``piracy`` (``group``, ``label``, ``start``, ``end``), as
        :func:`osa_analysis.analyse.channels.source_coverage`.
    """

    acd: pd.DataFrame
    conflict_years: pd.DataFrame
    orgvio: pd.DataFrame
    wgi: pd.DataFrame
    ert: pd.DataFrame
    coups: pd.DataFrame
    population: pd.DataFrame
    grayzone: pd.DataFrame
    piracy: pd.DataFrame | None = None
    channels: pd.DataFrame | None = None


def grayzone_actor_events(incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per gray-zone event and actor state, with SCSDI's year for partial dates.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The store's ``incidents`` table (``incident_id``, ``category``, ``actors_iso3``,
        ``date``, ``event_year``).

    Returns
    -------
    pandas.DataFrame
        ``country_iso3``, ``year`` (``event_year``), ``date`` (NaT when SCSDI gives only
        the year); an event naming a state twice counts once for it.
    """
    gz = incidents[incidents["category"].eq(GRAYZONE_CATEGORY).fillna(False).to_numpy()].copy()
    gz["year"] = gz["event_year"]
    gz["country_iso3"] = gz["actors_iso3"].astype("string").fillna("").str.split(";")
    long = gz[["incident_id", "country_iso3", "year", "date"]].explode("country_iso3")
    long = long[long["country_iso3"].astype(str).str.len() == 3]
    long = long.drop_duplicates(["incident_id", "country_iso3"])
    return long[["country_iso3", "year", "date"]].reset_index(drop=True)


def piracy_events(incidents: pd.DataFrame) -> pd.DataFrame:
    """Piracy and armed robbery events: ``coastal_state_iso3``, ``date``, ``sources``."""
    piracy = incidents[incidents["category"].eq(PIRACY_CATEGORY).fillna(False).to_numpy()]
    return piracy[["coastal_state_iso3", "date", "sources"]].reset_index(drop=True)


def _incident_tables(incidents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return grayzone_actor_events(incidents), piracy_events(incidents), source_coverage()


def diversion_tables(tables: TableStore) -> DiversionTables:
    """Build the assessment's tables from the store (each table's sources are recorded).

    Every table is cut at the store's ``as_of`` except the ACD itself, read whole because
    ``conflict_years`` refers to its records by index (its years are cut there).
    """
    incidents = tables.get("incidents")
    grayzone, piracy, channels = tables.shared(
        ("diversion_incident_tables",), lambda: _incident_tables(incidents)
    )
    return DiversionTables(
        acd=tables.full("ucdp_acd"),
        conflict_years=tables.get("ucdp_conflict_years"),
        orgvio=tables.get("ucdp_orgvio"),
        wgi=tables.get("wgi"),
        ert=tables.get("vdem_ert"),
        coups=tables.get("coups_powell_thyne"),
        population=tables.get("wb_population"),
        grayzone=grayzone,
        piracy=piracy,
        channels=channels,
    )


def table_sources(tables: TableStore) -> tuple[str, ...]:
    """Source ids of every table in :data:`TABLE_NAMES`, in order, without repetition."""
    ids = (sid for name in TABLE_NAMES for sid in tables.spec(name).sources)
    return tuple(dict.fromkeys(ids))


# --------------------------------------------------------------------------------------------
# Lookups
# --------------------------------------------------------------------------------------------


def primary_conflicts(tables: DiversionTables, iso3: str, year: int) -> list[dict]:
    """UCDP conflicts active in ``year`` with the state as a primary party, by conflict id.

    Returns
    -------
    list of dict
        ``conflict_id``, ``type_of_conflict``, ``intensity_level``, ``side_a``, ``side_b``
        and ``opponent`` (the other side's name).
    """
    cy = tables.conflict_years
    rows = cy[
        cy["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & cy["role"].isin(PRIMARY_ROLES).to_numpy()
        & (cy["year"] == year).to_numpy()
    ].drop_duplicates("conflict_id")
    out = []
    for r in rows.sort_values("conflict_id").itertuples():
        acd = tables.acd.loc[r.acd_record]
        side_a, side_b = str(acd["side_a"]), str(acd["side_b"])
        opponent = side_b if r.role == "side_a_primary" else side_a
        out.append(
            {
                "conflict_id": int(r.conflict_id),
                "type_of_conflict": int(r.type_of_conflict),
                "intensity_level": int(r.intensity_level),
                "side_a": side_a,
                "side_b": side_b,
                "opponent": opponent,
            }
        )
    return out


def ucdp_states(tables: DiversionTables) -> frozenset:
    """ISO3 codes of the states UCDP Organized Violence lists."""
    return frozenset(tables.orgvio["country_iso3"].dropna().astype(str))


def ucdp_year(tables: DiversionTables, as_of: pd.Timestamp) -> int:
    """Latest UCDP year complete at ``as_of``."""
    return complete_year(int(tables.acd["year"].max()), as_of)


def latest_population(
    tables: DiversionTables, iso3: str, year: int, lookback: int
) -> tuple[float | None, int | None]:
    """Return the latest World Bank population of ``year - lookback`` … ``year``, its year."""
    pop = tables.population
    rows = pop[
        pop["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & (pop["year"] <= year).to_numpy()
        & (pop["year"] >= year - lookback).to_numpy()
    ].dropna(subset=["population"])
    if not len(rows):
        return None, None
    last = rows.sort_values("year").iloc[-1]
    return float(last["population"]), int(last["year"])


def ucdp_region(tables: DiversionTables, iso3: str) -> str | None:
    """Return the UCDP region of the state's latest Organized Violence year (or None)."""
    ov = tables.orgvio
    rows = ov[ov["country_iso3"].eq(iso3).fillna(False).to_numpy()]
    return None if not len(rows) else str(rows.sort_values("year").iloc[-1]["region"])


def coups_between(
    tables: DiversionTables,
    iso3: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    inclusive: bool = False,
) -> pd.DataFrame:
    """Coup attempts of the state after ``start`` (from it when ``inclusive``) to ``end``."""
    pt = tables.coups
    after = (pt["date"] >= start) if inclusive else (pt["date"] > start)
    return pt[
        pt["country_iso3"].eq(iso3).fillna(False).to_numpy()
        & after.to_numpy()
        & (pt["date"] <= end).to_numpy()
    ]


def coup_data_end(as_of: pd.Timestamp, cfg: Mapping[str, Any]) -> pd.Timestamp:
    """Last date the coup data cover at ``as_of`` (the config's coverage end at the latest)."""
    return min(as_of, pd.Timestamp(cfg["data"]["coups_coverage_end"]))


def grayzone_applicable(
    tables: DiversionTables, iso3: str, as_of: pd.Timestamp, cfg: Mapping[str, Any]
) -> bool:
    """Whether gray-zone indicators apply: an SCS claimant or enough SCSDI events as actor."""
    if iso3 in cfg["data"]["scs_claimants"]:
        return True
    gz = tables.grayzone
    mine = gz[gz["country_iso3"].eq(iso3).fillna(False).to_numpy()]
    return (
        int(mine["year"].le(as_of.year).fillna(False).sum()) >= cfg["data"]["grayzone_min_events"]
    )


def grayzone_counts(
    tables: DiversionTables, iso3: str, first_year: int, last_year: int, as_of: pd.Timestamp
) -> dict[int, int]:
    """SCSDI events per year with the state as an actor (0 for years without events)."""
    gz = tables.grayzone
    mine = gz[gz["country_iso3"].eq(iso3).fillna(False).to_numpy()]
    dated_ok = mine["date"].le(as_of).fillna(False) | (
        mine["date"].isna() & mine["year"].le(as_of.year).fillna(False)
    )
    counts = mine[dated_ok.to_numpy()].groupby("year").size()
    return {y: int(counts.get(y, 0)) for y in range(first_year, last_year + 1)}
