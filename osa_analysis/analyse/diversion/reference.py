"""Interstate conflict onsets and the pooled reference base rates of the scenario register.

Reference rates pool country-years by UCDP region, V-Dem regime type or the world: coup
attempts (S2), interstate onsets (S1) and years with government one-sided violence (S3).
They are the same for every brief of a build: :func:`reference_rates` computes them once
per process (:meth:`~osa_analysis.analyse.tables.TableStore.shared`) and keeps them in the
derived-data cache across processes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from osa_analysis.analyse.diversion.data import DiversionTables, coup_data_end, ucdp_year
from osa_analysis.analyse.diversion.vocabulary import INTERSTATE, PRIMARY_ROLES, REGIME_LABELS
from osa_analysis.analyse.tables import TableStore
from osa_analysis.core.dates import complete_year
from osa_analysis.sources.cache import cached_table
from osa_analysis.sources.methods import MethodFile

Config = Mapping[str, Any]

REFERENCE_SOURCES = ("ucdp_prio_acd", "ucdp_orgviolence_cy", "coups_powell_thyne", "vdem_ert")
"""Inputs of the cached global reference-rate table."""
REFERENCE_COLUMNS = (
    "kind",
    "group_type",
    "group",
    "first_year",
    "last_year",
    "events",
    "exposure",
)
"""Columns of the reference-rate table."""


def interstate_onsets(conflict_years: pd.DataFrame) -> pd.DataFrame:
    """Onsets of interstate conflict per state: first year, or a year after a gap.

    Parameters
    ----------
    conflict_years : pandas.DataFrame
        :func:`~osa_analysis.sources.loaders.conflict.ucdp_conflict_years` output.

    Returns
    -------
    pandas.DataFrame
        ``country_iso3``, ``conflict_id``, ``year``: type-2 conflict-years with the state as
        a primary party whose conflict was not active with the state as primary party the
        year before.
    """
    cy = conflict_years
    rows = cy[(cy["type_of_conflict"] == INTERSTATE) & cy["role"].isin(PRIMARY_ROLES)]
    rows = rows.dropna(subset=["country_iso3"])[["country_iso3", "conflict_id", "year"]]
    rows = rows.drop_duplicates().reset_index(drop=True)
    rows["country_iso3"] = rows["country_iso3"].astype(str)
    # an onset: no row of the same state and conflict in the year before (rows in file order)
    ordered = rows.sort_values(["country_iso3", "conflict_id", "year"])
    same = ordered.shift()
    continued = (
        same["country_iso3"].eq(ordered["country_iso3"])
        & same["conflict_id"].eq(ordered["conflict_id"])
        & same["year"].eq(ordered["year"] - 1)
    )
    return rows[~continued.sort_index().to_numpy()].reset_index(drop=True)


def reference_windows(
    tables: DiversionTables, as_of: pd.Timestamp, cfg: Config
) -> dict[str, list[int]]:
    """First and last years pooled: ``coups`` (to the last complete coup year) and ``ucdp``."""
    coup_end = coup_data_end(as_of, cfg)
    coup_complete = complete_year(coup_end.year, coup_end)
    c0, c1 = cfg["base_rates"]["reference_window_coups"]
    return {
        "coups": [int(c0), int(min(c1, coup_complete))],
        "ucdp": [
            int(cfg["base_rates"]["reference_window_ucdp_first_year"]),
            int(ucdp_year(tables, as_of)),
        ],
    }


def pooled_rates(
    kind: str,
    group_type: str,
    frame: pd.DataFrame,
    group_col: str | None,
    window: list[int],
) -> list[dict]:
    """Events and country-years of ``frame`` within ``window``, by group (or the world).

    Parameters
    ----------
    kind, group_type : str
        Names of the rate (e.g. ``coup_attempts``, ``region``).
    frame : pandas.DataFrame
        Country-years with ``year``, ``events`` and the group column.
    group_col : str or None
        Column to group by; None pools every row as ``"world"``.
    window : list of int
        First and last year.

    Returns
    -------
    list of dict
        Rows of the reference-rate table (:data:`REFERENCE_COLUMNS`).
    """
    sel = frame[(frame["year"] >= window[0]) & (frame["year"] <= window[1])]
    groups = (
        sel.groupby(group_col).agg(events=("events", "sum"), exposure=("events", "size"))
        if group_col
        else pd.DataFrame(
            {"events": [sel["events"].sum()], "exposure": [len(sel)]}, index=["world"]
        )
    )
    return [
        {
            "kind": kind,
            "group_type": group_type,
            "group": str(group),
            "first_year": window[0],
            "last_year": window[1],
            "events": int(g["events"]),
            "exposure": int(g["exposure"]),
        }
        for group, g in groups.iterrows()
    ]


def _country_years(tables: DiversionTables) -> tuple[pd.DataFrame, pd.DataFrame]:
    """UCDP Organized Violence and V-Dem regime country-years with ISO3 as ``str``."""
    ov = tables.orgvio.dropna(subset=["country_iso3"])
    ov = ov.assign(country_iso3=ov["country_iso3"].astype(str))[
        ["country_iso3", "year", "region", "os_main_govt_best_deaths"]
    ]
    ert = tables.ert.dropna(subset=["country_iso3", "regime"])
    ert = ert.assign(
        country_iso3=ert["country_iso3"].astype(str),
        regime_label=ert["regime"].astype(int).map(REGIME_LABELS),
    )[["country_iso3", "year", "regime_label"]]
    return ov, ert


def _events_per_country_year(events: pd.DataFrame) -> pd.DataFrame:
    """Count rows by ``country_iso3`` and ``year`` (column ``events``)."""
    return events.groupby(["country_iso3", "year"]).size().rename("events").reset_index()


def _with_events(frame: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """Country-years of ``frame`` with their event counts (0 without events)."""
    return frame.merge(counts, on=["country_iso3", "year"], how="left").fillna({"events": 0})


def build_reference_rates(
    tables: DiversionTables, as_of: pd.Timestamp, cfg: Config
) -> pd.DataFrame:
    """Pooled base rates by group: the reference rates of the scenario register.

    Parameters
    ----------
    tables : DiversionTables
    as_of : pandas.Timestamp
    cfg : Mapping
        :func:`~.config.load_config`.

    Returns
    -------
    pandas.DataFrame
        One row per rate: ``kind`` (coup_attempts, interstate_onsets, gov_osv_years),
        ``group_type`` (region, regime, global), ``group``, ``first_year``, ``last_year``,
        ``events``, ``exposure`` (country-years).
    """
    win = reference_windows(tables, as_of, cfg)
    ov, ert = _country_years(tables)
    pt = tables.coups.dropna(subset=["country_iso3"])
    coups = _events_per_country_year(
        pt.assign(country_iso3=pt["country_iso3"].astype(str), year=pt["date"].dt.year)
    )
    onsets = _events_per_country_year(interstate_onsets(tables.conflict_years))
    inter = _with_events(ov, onsets)
    min_deaths = cfg["base_rates"]["s3_event_min_gov_osv_deaths"]
    osv = ov.merge(ert, on=["country_iso3", "year"], how="inner")
    osv = osv.assign(events=(osv["os_main_govt_best_deaths"] >= min_deaths).astype(int))
    rows = [
        # coup attempts per country-year, by UCDP region and by V-Dem regime type
        *pooled_rates("coup_attempts", "region", _with_events(ov, coups), "region", win["coups"]),
        *pooled_rates(
            "coup_attempts", "regime", _with_events(ert, coups), "regime_label", win["coups"]
        ),
        # interstate onsets per country-year, world and by region
        *pooled_rates("interstate_onsets", "global", inter, None, win["ucdp"]),
        *pooled_rates("interstate_onsets", "region", inter, "region", win["ucdp"]),
        # years with government one-sided violence at the S3 threshold, by regime type
        *pooled_rates("gov_osv_years", "regime", osv, "regime_label", win["ucdp"]),
    ]
    return pd.DataFrame(rows)


def reference_rates(tables: TableStore, data: DiversionTables, cfg: MethodFile) -> pd.DataFrame:
    """Return the pooled reference rates at the store's ``as_of``, computed once per process.

    For the store's real data the table is also kept in the derived-data cache; its key
    covers the input sha256s (:data:`REFERENCE_SOURCES`), the package code, the config's
    sha256 and the windows set by ``as_of``.

    Parameters
    ----------
    tables : TableStore
        The store ``data`` was built from (:func:`~.data.diversion_tables`).
    data : DiversionTables
    cfg : MethodFile
        :func:`~.config.load_config`.
    """
    win = reference_windows(data, tables.as_of, cfg)
    version = f"{cfg.sha256[:16]}-{win['coups']}-{win['ucdp']}"

    def build() -> pd.DataFrame:
        if not tables.real_data:
            return build_reference_rates(data, tables.as_of, cfg)
        return cached_table(
            "diversion_reference_rates",
            REFERENCE_SOURCES,
            lambda: build_reference_rates(data, tables.as_of, cfg),
            version=version,
        )

    return tables.shared(("diversion_reference_rates", version), build)


def reference_entry(
    refs: pd.DataFrame, kind: str, group_type: str, group: str | None
) -> dict | None:
    """One pooled rate of the table (None when absent or without exposure).

    Returns
    -------
    dict or None
        ``group_type``, ``group``, ``window``, ``events``, ``exposure``.
    """
    if group is None or refs.empty:
        return None
    sel = refs[
        (refs["kind"] == kind) & (refs["group_type"] == group_type) & (refs["group"] == group)
    ]
    if not len(sel) or int(sel.iloc[0]["exposure"]) == 0:
        return None
    r = sel.iloc[0]
    return {
        "group_type": group_type,
        "group": group,
        "window": [int(r["first_year"]), int(r["last_year"])],
        "events": int(r["events"]),
        "exposure": int(r["exposure"]),
    }
