"""The indicator panel: every indicator for every country of the data and every year.

Built from the table store's full tables (:meth:`~osa_analysis.analyse.tables.TableStore.full`:
the panel sets its own windows; :func:`~osa_analysis.analyse.composite.table.table_at`
cuts it at a date), once per process and data (:meth:`TableStore.shared`) and kept in the
derived-data cache across processes (key: the sources' sha256, the package code and the
method's :attr:`~osa_analysis.analyse.composite.method.CompositeMethod.config_sha256`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from osa_analysis.analyse.composite import reasons
from osa_analysis.analyse.composite.coverage import indicator_coverage
from osa_analysis.analyse.composite.method import CompositeMethod
from osa_analysis.analyse.composite.windows import window_panel, window_ratio_panel
from osa_analysis.analyse.geography import coastline_km
from osa_analysis.analyse.tables import TableStore
from osa_analysis.core.countries import country_name, country_set
from osa_analysis.sources.cache import cached_table
from osa_analysis.sources.methods import MethodError

PANEL_COLUMNS = (
    "indicator",
    "country_iso3",
    "year",
    "value",
    "count",
    "se",
    "note",
    "applicable",
)
"""Columns of :func:`build_indicator_panel`."""

NOTE_COLUMNS = ("indicator", "country_iso3", "note", "applicable")
"""Columns of the rows saying why a country never has a value."""

UNIVERSE_TABLES = {"wgi": "wgi", "ucdp_orgviolence_cy": "ucdp_orgvio", "vdem_ert": "vdem_ert"}
"""Store table of each source the method's ``universe`` may name."""

WGI_CODES = {"wgi_pv": "pv", "wgi_ge": "ge", "wgi_rl": "rl", "wgi_cc": "cc"}
"""WGI dimension code of each WGI indicator."""

CONFLICT_ROLES = ("location", "side_a_primary", "side_b_primary")
"""UCDP conflict roles that count a conflict for a state."""


def country_label(iso3: str) -> str:
    """Return a country's common name (the code itself when it has none)."""
    try:
        return country_name(iso3)
    except ValueError:
        return iso3


def panel_source_ids(method: Mapping[str, Any]) -> list[str]:
    """Registry ids of every file the indicator panel reads (recorded as used, cache key)."""
    ids = set(method["universe"]["sources"])
    for spec in method["indicators"].values():
        ids |= set(spec["sources"])
    return sorted(ids)


# --------------------------------------------------------------------------- pure counts


def eez_areas(eez: pd.DataFrame) -> pd.Series:
    """EEZ area (km²) per country, 200 nm zones only when the polygons say which are."""
    if "pol_type" in eez and eez["pol_type"].eq("200NM").any():
        eez = eez[eez["pol_type"].eq("200NM").to_numpy()]
    area = eez.groupby("country_iso3")["area_km2"].sum()
    return area[area > 0].astype(float)


def piracy_counts(
    events: pd.DataFrame, severity_weights: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Dated piracy and armed-robbery events per coastal state and year.

    Parameters
    ----------
    events : pandas.DataFrame
        The harmonised incident table (``category``, ``coastal_state_iso3``, ``date``,
        ``severity``).
    severity_weights : Mapping, optional
        Weight of each severity class and of ``unknown`` (no class); see
        :func:`severity_weight`.

    Returns
    -------
    pandas.DataFrame
        ``country_iso3``, ``year``, ``count`` (events) and, with weights, ``weighted``
        (sum of the events' weights) and ``weight_sq`` (sum of their squares).
    """
    pa = events[
        events["category"].eq("piracy_armed_robbery").fillna(False).to_numpy()
        & events["coastal_state_iso3"].notna().to_numpy()
        & events["date"].notna().to_numpy()
    ]
    frame = pd.DataFrame(
        {"country_iso3": pa["coastal_state_iso3"].astype(str), "year": pa["date"].dt.year}
    )
    frame["count"] = 1.0
    if severity_weights is not None:
        frame["weighted"] = severity_weight(pa["severity"], severity_weights)
        frame["weight_sq"] = frame["weighted"] ** 2
    return frame.groupby(["country_iso3", "year"], as_index=False).sum()


def severity_weight(severity: pd.Series, weights: Mapping[str, float]) -> np.ndarray:
    """Return each event's weight: ``weights[severity]``, ``weights["unknown"]`` without one.

    Raises
    ------
    MethodError
        For a severity class the weights do not name.
    """
    known = severity.astype("string")
    unnamed = sorted(set(known.dropna()) - set(weights))
    if unnamed:
        raise MethodError(f"severity_weights: no weight for {unnamed}")
    return known.map(dict(weights)).fillna(weights["unknown"]).to_numpy(float)


def grayzone_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Gray-zone events per named actor and ``event_year`` (SCSDI's year when undated)."""
    gz = events[events["category"].eq("gray_zone_coercion").fillna(False).to_numpy()]
    actors = gz["actors_iso3"].astype("string").fillna("").str.split(";")
    long = pd.DataFrame({"actors": actors, "year": gz["event_year"]}).explode("actors")
    long = long[long["actors"].ne("") & long["year"].notna()]
    counts = (
        long.groupby(["actors", "year"])
        .size()
        .rename("count")
        .reset_index()
        .rename(columns={"actors": "country_iso3"})
    )
    counts["year"] = counts["year"].astype(int)
    return counts


def conflict_counts(conflict_years: pd.DataFrame) -> pd.DataFrame:
    """UCDP conflicts per state and year with the state a primary party or the location."""
    cy = conflict_years[conflict_years["role"].isin(CONFLICT_ROLES)]
    return (
        cy.dropna(subset=["country_iso3"])
        .drop_duplicates(["conflict_id", "year", "country_iso3"])
        .groupby(["country_iso3", "year"])
        .size()
        .rename("count")
        .reset_index()
    )


def coup_counts(coups: pd.DataFrame) -> pd.DataFrame:
    """Coup attempts per country and year."""
    return (
        coups.dropna(subset=["country_iso3"])
        .groupby(["country_iso3", "year"])
        .size()
        .rename("count")
        .reset_index()
    )


def population_values(population: pd.DataFrame) -> pd.DataFrame:
    """World Bank population of countries (no aggregates) as ``country_iso3, year, value``."""
    pop = population[~population["is_aggregate"]].dropna(subset=["country_iso3", "population"])
    pop = pop.rename(columns={"population": "value"})[["country_iso3", "year", "value"]]
    pop["value"] = pop["value"].astype(float)
    return pop


def level_values(rows: pd.DataFrame, column: str, se: pd.Series | None = None) -> pd.DataFrame:
    """Return an annual value per country and year from already filtered rows.

    ``se``: the value's standard error per row, when the source publishes one.
    """
    out = pd.DataFrame(
        {
            "country_iso3": rows["country_iso3"].astype(str),
            "year": rows["year"].astype(int),
            "value": rows[column].astype(float),
        }
    )
    if se is not None:
        out["se"] = se.astype(float).to_numpy()
    return out


def _members(countries: Iterable[str], first: int, last: int) -> pd.DataFrame:
    countries = sorted(set(countries))
    years = np.arange(first, last + 1)
    return pd.DataFrame(
        {
            "country_iso3": np.repeat(countries, len(years)),
            "year": np.tile(years, len(countries)),
        }
    )


# --------------------------------------------------------------------------- inputs


class PanelInputs:
    """The store's tables behind the panel, each read when an indicator first needs it.

    Parameters
    ----------
    method : Mapping
        The composite's method (``universe``, ``indicators``).
    tables : TableStore
        Full tables are read (:meth:`TableStore.full`).
    """

    def __init__(self, method: Mapping[str, Any], tables: TableStore) -> None:
        self.method = method
        self.tables = tables
        self._coastline: dict[str, float | None] = {}
        self._piracy: dict[tuple | None, pd.DataFrame] = {}

    @cached_property
    def universe(self) -> set[str]:
        """Countries in the data: any row of the method's universe sources."""
        universe: set[str] = set()
        for sid in self.method["universe"]["sources"]:
            if sid not in UNIVERSE_TABLES:
                raise MethodError(f"universe: no table for source {sid!r}")
            frame = self.tables.full(UNIVERSE_TABLES[sid])
            universe |= set(frame["country_iso3"].dropna().astype(str))
        return universe

    @cached_property
    def eez_area(self) -> pd.Series:
        """EEZ area per country (:func:`eez_areas`)."""
        return eez_areas(self.tables.full("eez"))

    @cached_property
    def eez_countries(self) -> list[str]:
        """Countries of the universe with an EEZ."""
        return sorted(set(self.eez_area.index) & self.universe)

    @cached_property
    def ucdp_members(self) -> pd.DataFrame:
        """Country-years of UCDP's state list (organized-violence rows) in the universe."""
        ov = self.tables.full("ucdp_orgvio")
        members = ov[["country_iso3", "year"]].dropna().astype({"country_iso3": str})
        return members[members["country_iso3"].isin(self.universe)]

    @cached_property
    def events(self) -> pd.DataFrame:
        """The harmonised incident table (with ``event_year``)."""
        return self.tables.full("incidents")

    def piracy(self, severity_weights: Mapping[str, float] | None = None) -> pd.DataFrame:
        """Piracy and armed-robbery events per coastal state and year (:func:`piracy_counts`)."""
        key = None if severity_weights is None else tuple(sorted(severity_weights.items()))
        if key not in self._piracy:
            self._piracy[key] = piracy_counts(self.events, severity_weights)
        return self._piracy[key]

    def coastline(self, iso3: str) -> float | None:
        """Coastline length in km (:func:`~osa_analysis.analyse.geography.coastline_km`)."""
        if iso3 not in self._coastline:
            self._coastline[iso3] = coastline_km(self.tables.full("ne_countries"), iso3)
        return self._coastline[iso3]

    @cached_property
    def coastlines(self) -> pd.Series:
        """Coastline length of every country with an EEZ."""
        return pd.Series({iso3: self.coastline(iso3) for iso3 in self.eez_countries}, dtype=float)

    def members(self, spec: Mapping[str, Any], first: int, last: int) -> pd.DataFrame:
        """Country-years that get a recorded zero when they have no events (``zero_fill``)."""
        kind = spec.get("zero_fill")
        if kind == "eez":
            return _members(self.eez_countries, first, last)
        if kind == "ucdp":
            return self.ucdp_members[self.ucdp_members["year"].between(first, last)]
        if kind == "universe":
            return _members(self.universe, first, last)
        if kind == "applies_to":
            return _members(self.universe & applicable_countries(spec), first, last)
        raise MethodError(f"unknown zero_fill {kind!r}")

    def count_panel(
        self,
        spec: Mapping[str, Any],
        counts: pd.DataFrame,
        per_year: bool = True,
        sums: tuple[str, ...] = ("count",),
    ) -> pd.DataFrame:
        """Window the yearly ``counts`` (columns ``sums``) over the indicator's coverage."""
        first, last, _ = indicator_coverage(spec)
        return window_panel(
            counts,
            self.members(spec, first, last),
            first,
            last,
            spec["window_years"],
            per_year=spec.get("per_year", per_year),
            sums=sums,
        )


# --------------------------------------------------------------------------- indicators


def _incident_rate(inputs: PanelInputs, spec: Mapping, denominator: pd.Series) -> pd.DataFrame:
    """Events per year per denominator unit; severity-weighted when the spec says so.

    With ``severity_weights`` the value is the weighted sum and ``se`` its compound-Poisson
    standard error (``value · √Σw² / Σw``; NaN without events); ``count`` stays the number
    of events.
    """
    weights = spec.get("severity_weights")
    sums = ("count",) if weights is None else ("count", "weighted", "weight_sq")
    panel = inputs.count_panel(spec, inputs.piracy(weights), sums=sums)
    if weights is not None:
        per = spec["window_years"] if spec.get("per_year", True) else 1
        panel["value"] = panel["weighted"] / per
        total = panel["weighted"].where(panel["weighted"] > 0)
        panel["se"] = panel["value"] * np.sqrt(panel["weight_sq"]) / total
    den = panel["country_iso3"].map(denominator)
    scale = 1 / den.where(den > 0) * float(spec["scale_factor"])
    panel["value"] = panel["value"] * scale
    if "se" in panel:
        panel["se"] = panel["se"] * scale
    return panel.drop(columns=["weighted", "weight_sq"], errors="ignore")


def _incidents_coast(inputs: PanelInputs, spec: Mapping) -> pd.DataFrame:
    """Piracy and armed robbery per 1000 km of coastline."""
    return _incident_rate(inputs, spec, inputs.coastlines)


def _incidents_eez(inputs: PanelInputs, spec: Mapping) -> pd.DataFrame:
    """Piracy and armed robbery per 100000 km² of EEZ."""
    return _incident_rate(inputs, spec, inputs.eez_area)


def _grayzone(inputs: PanelInputs, spec: Mapping) -> pd.DataFrame:
    """Gray-zone events (SCSDI) naming the country among the actors."""
    return inputs.count_panel(spec, grayzone_counts(inputs.events))


def _conflict_years(inputs: PanelInputs, spec: Mapping) -> pd.DataFrame:
    """UCDP conflicts with the state as primary party or location."""
    return inputs.count_panel(spec, conflict_counts(inputs.tables.full("ucdp_conflict_years")))


def _violence_deaths(inputs: PanelInputs, spec: Mapping) -> pd.DataFrame:
    """Organized-violence deaths per capita (person-years of the window)."""
    ov = inputs.tables.full("ucdp_orgvio")
    deaths = ov[["country_iso3", "year", "orgvio_best_deaths"]].dropna(subset=["country_iso3"])
    deaths = deaths.rename(columns={"orgvio_best_deaths": "count"})
    pop = population_values(inputs.tables.full("wb_population"))
    first, last, _ = indicator_coverage(spec)
    return window_ratio_panel(
        deaths,
        pop,
        inputs.members(spec, first, last),
        first,
        last,
        spec["window_years"],
        float(spec["scale_factor"]),
    )


def _coups(inputs: PanelInputs, spec: Mapping) -> pd.DataFrame:
    """Coup attempts (Powell & Thyne) over the window, a count (not per year)."""
    counts = coup_counts(inputs.tables.full("coups_powell_thyne"))
    return inputs.count_panel(spec, counts, per_year=False)


def _wgi(code: str) -> Callable[[PanelInputs, Mapping], pd.DataFrame]:
    def build(inputs: PanelInputs, spec: Mapping) -> pd.DataFrame:
        wgi = inputs.tables.full("wgi")
        rows = wgi[wgi["indicator"].eq(code) & wgi["estimate"].notna()]
        return level_values(rows, "estimate", se=rows.get("std_error"))

    build.__doc__ = f"WGI estimate {code!r}."
    return build


def _vdem_polyarchy(inputs: PanelInputs, spec: Mapping) -> pd.DataFrame:
    """V-Dem electoral democracy index; ``se``: half its interval (V-Dem's 68% band)."""
    v = inputs.tables.full("vdem_ert")
    rows = v[v["polyarchy"].notna() & v["country_iso3"].notna()]
    if {"polyarchy_low", "polyarchy_high"} <= set(rows.columns):
        return level_values(
            rows, "polyarchy", se=(rows["polyarchy_high"] - rows["polyarchy_low"]) / 2
        )
    return level_values(rows, "polyarchy")


def _milex_share(inputs: PanelInputs, spec: Mapping) -> pd.DataFrame:
    """Military expenditure, % of GDP (World Bank, SIPRI)."""
    m = inputs.tables.full("wb_milex_share")
    m = m[~m["is_aggregate"] & m["milex_share_gdp_pct"].notna() & m["country_iso3"].notna()]
    return level_values(m, "milex_share_gdp_pct")


INDICATOR_BUILDERS: dict[str, Callable[[PanelInputs, Mapping], pd.DataFrame]] = {
    "incidents_coast": _incidents_coast,
    "incidents_eez": _incidents_eez,
    "grayzone": _grayzone,
    "conflict_years": _conflict_years,
    "violence_deaths": _violence_deaths,
    "coups": _coups,
    **{iid: _wgi(code) for iid, code in WGI_CODES.items()},
    "vdem_polyarchy": _vdem_polyarchy,
    "milex_share": _milex_share,
}
"""How each indicator the method may name is computed (``country_iso3``, ``year``,
``value`` and, for window indicators, ``count``), in the panel's build order."""


def applicable_countries(spec: Mapping[str, Any]) -> frozenset[str] | None:
    """Return the countries an indicator applies to (``applies_to``: a curated set).

    ``None`` when it applies to every country. Elsewhere it is not applicable: left out of
    the dimension (the weights of the others renormalised), never a zero.
    """
    name = spec.get("applies_to")
    return None if name is None else country_set(name)


def missing_reason(inputs: PanelInputs, iid: str, iso3: str) -> tuple[str, bool]:
    """Why a universe country never has a value of an indicator, and whether it applies.

    Returns
    -------
    (str, bool)
        The reason in plain words, and False when the indicator does not apply (maritime
        incidents of a landlocked country): such an indicator is left out without counting
        against the reliability score.
    """
    name = country_label(iso3)
    if iid in ("incidents_coast", "incidents_eez"):
        if iso3 not in inputs.eez_area.index:
            if inputs.coastline(iso3) == 0.0:
                return reasons.LANDLOCKED.format(name=name), False
            return reasons.NO_EEZ_POLYGON.format(name=name), True
        if iid == "incidents_coast":
            return reasons.NO_COASTLINE.format(name=name), True
        return reasons.NO_EEZ_AREA.format(name=name), True
    if iid in ("conflict_years", "coups"):
        return reasons.NOT_UCDP_STATE.format(name=name), True
    if iid == "violence_deaths":
        return reasons.NOT_UCDP_STATE_OR_POPULATION.format(name=name), True
    if iid.startswith("wgi_"):
        return reasons.NO_WGI.format(name=name), True
    if iid == "vdem_polyarchy":
        return reasons.NO_VDEM.format(name=name), True
    if iid == "milex_share":
        return reasons.NO_MILEX.format(name=name), True
    if iid == "grayzone":
        scope = applicable_countries(inputs.method["indicators"][iid])
        if scope is not None and iso3 not in scope:
            return reasons.NOT_LITTORAL.format(name=name), False
        return reasons.NO_SCSDI.format(name=name), True
    return reasons.NO_DATA, True


# --------------------------------------------------------------------------- the panel


def _assemble(parts: list[pd.DataFrame], notes: list[dict]) -> pd.DataFrame:
    panel = pd.concat(parts, ignore_index=True)
    panel = panel[panel["value"].notna()]
    note_frame = pd.DataFrame(notes, columns=list(NOTE_COLUMNS))
    note_frame["year"] = pd.NA
    note_frame["value"] = np.nan
    note_frame["count"] = np.nan
    note_frame["se"] = np.nan
    out = pd.concat([panel, note_frame[list(PANEL_COLUMNS)]], ignore_index=True)
    out["indicator"] = out["indicator"].astype("string")
    out["country_iso3"] = out["country_iso3"].astype("string")
    out["year"] = out["year"].astype("Int64")
    out["value"] = out["value"].astype(float)
    out["count"] = out["count"].astype(float)
    out["se"] = out["se"].astype(float)
    out["note"] = out["note"].astype("string")
    out["applicable"] = out["applicable"].astype(bool)
    return out.sort_values(["indicator", "country_iso3", "year"]).reset_index(drop=True)


def build_indicator_panel(method: Mapping[str, Any], tables: TableStore) -> pd.DataFrame:
    """Build the long indicator table from the store's full tables (no cache).

    Parameters
    ----------
    method : Mapping
        :func:`~osa_analysis.analyse.composite.method.load_method` output.
    tables : TableStore

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PANEL_COLUMNS`: one row per indicator, country of the universe and
        year with a value (``count``: events in the window for window indicators), plus
        one row with ``year`` NA and a ``note`` (the reason) for each universe country
        that never has a value.
    """
    inputs = PanelInputs(method, tables)
    universe = inputs.universe
    parts: list[pd.DataFrame] = []
    notes: list[dict] = []
    for iid, build in INDICATOR_BUILDERS.items():
        if iid not in method["indicators"]:
            continue
        frame = build(inputs, method["indicators"][iid])
        scope = applicable_countries(method["indicators"][iid])
        part = frame[frame["country_iso3"].isin(universe if scope is None else universe & scope)]
        part = part.copy()
        part["indicator"] = iid
        if "count" not in part:
            part["count"] = np.nan
        if "se" not in part:
            part["se"] = np.nan
        part["note"] = pd.NA
        part["applicable"] = True
        parts.append(part[list(PANEL_COLUMNS)])
        have = set(part.loc[part["value"].notna(), "country_iso3"])
        for iso3 in sorted(universe - have):
            reason, applicable = missing_reason(inputs, iid, iso3)
            notes.append(
                {"indicator": iid, "country_iso3": iso3, "note": reason, "applicable": applicable}
            )
    return _assemble(parts, notes)


def indicator_panel(method: CompositeMethod, tables: TableStore) -> pd.DataFrame:
    """Return the long indicator table (:func:`build_indicator_panel`), built once.

    Memoised per process (:meth:`TableStore.shared`) and, for the store's real data, on
    disk (:func:`osa_analysis.sources.cache.cached_table`; the key covers the sha256 of
    every input file, the package code and ``method.config_sha256``). The panel's sources
    are recorded as used whether it is built or read back. Do not modify it.
    """
    ids = panel_source_ids(method)
    tables.use(*ids)

    def build() -> pd.DataFrame:
        if not tables.real_data:
            return build_indicator_panel(method, tables)
        return cached_table(
            "risk_composite_panel",
            ids,
            lambda: build_indicator_panel(method, tables),
            version=method.config_sha256,
        ).reset_index(drop=True)

    return tables.shared(("composite_panel", method.config_sha256), build)
