"""OSA Structural Security Risk Index: an INFORM-consistent composite for any country.

Every method choice (indicators, windows, look-backs, goalposts, transforms, weights, the
aggregation rule, the Monte Carlo settings, class thresholds) is read from the versioned
file ``data/risk/composite.yaml`` (:func:`load_method`); this module only computes.

Steps (``brief-anchors.md`` Part B section 7):

1. **Indicator panel** (:func:`indicator_panel`): one long table of every indicator for
   every country of the data and every year, built from the registered sources and cached
   on disk (key: the sources' sha256, the package code and the YAML text).
2. **Indicator table at an as-of date** (:func:`indicator_table`): the latest value per
   country and indicator up to ``as_of``, carried forward within the indicator's look-back
   (flagged ``stale``) or missing with the reason.
3. **Scores** (:func:`rescale`): log(x+1) where the COIN rule says so, min-max against the
   fixed goalposts of the reference year (or z-scores in the Monte Carlo), inverted so that
   higher = riskier, clipped to [0, 10].
4. **Aggregation** (:func:`aggregate`): arithmetic mean of the available indicators inside
   a dimension, (shifted) geometric mean across the three dimensions.
5. **Uncertainty** (:func:`composite_scores`): seeded Monte Carlo over weights
   (Dirichlet), aggregation rule, normalisation, leave-one-indicator-out and the incident
   denominator; median, 90% interval, rank intervals among peers and globally, and
   first-order sensitivity shares (:func:`first_order_shares`).

``python -m osa_analysis.analyse.composite --calibrate`` recomputes the goalposts and class
thresholds from the data and rewrites the ``calibration`` block of the YAML file.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from osa_analysis.analyse.geography import coastline_km
from osa_analysis.core import config
from osa_analysis.core.yamlio import safe_load

CONFIG_FILE = config.CURATED_DIR / "risk" / "composite.yaml"
"""The method file (versioned; see its header)."""

CALIBRATION_KEY = "calibration"
"""Top-level YAML block written by :func:`write_calibration` (always the file's last block)."""

PANEL_COLUMNS = ("indicator", "country_iso3", "year", "value", "count", "note", "applicable")
TABLE_COLUMNS = (
    "country_iso3",
    "indicator",
    "dimension",
    "raw",
    "year",
    "window_start",
    "count",
    "latest_year",
    "age",
    "stale",
    "missing",
    "missing_reason",
    "applicable",
)

# --------------------------------------------------------------------------- method file


class MethodError(ValueError):
    """The method file is inconsistent."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def method_problems(method: dict) -> list[str]:
    """Return what is wrong with a method dict (empty when it is consistent).

    Parameters
    ----------
    method : dict
        Parsed ``composite.yaml``.

    Returns
    -------
    list of str
    """
    problems = []
    for key in (
        "method_version",
        "reference_year",
        "dimensions",
        "indicators",
        "goalposts",
        "log_rule",
        "zscore",
        "aggregation",
        "monte_carlo",
        "classes",
        "trend",
        "max_source_lag_years",
        "universe",
    ):
        if key not in method:
            problems.append(f"missing top-level key {key!r}")
    if problems:
        return problems
    dims = method["dimensions"]
    for iid, spec in method["indicators"].items():
        for key in ("label", "dimension", "kind", "direction", "unit", "lookback_years"):
            if key not in spec:
                problems.append(f"indicator {iid}: missing {key!r}")
        if spec.get("dimension") not in dims:
            problems.append(f"indicator {iid}: unknown dimension {spec.get('dimension')!r}")
        if spec.get("direction") not in (1, -1):
            problems.append(f"indicator {iid}: direction must be 1 or -1")
        if spec.get("kind") not in ("window", "level"):
            problems.append(f"indicator {iid}: kind must be window or level")
        if spec.get("kind") == "window" and "window_years" not in spec:
            problems.append(f"indicator {iid}: window indicator without window_years")
        alt = spec.get("alternative_of")
        if alt is not None and (
            alt not in method["indicators"] or method["indicators"][alt].get("alternative_of")
        ):
            problems.append(f"indicator {iid}: alternative_of must name a primary indicator")
    for name in dims:
        if not any(
            s["dimension"] == name and not s.get("alternative_of")
            for s in method["indicators"].values()
        ):
            problems.append(f"dimension {name}: no indicator")
    classes = method["classes"]
    if len(classes["labels"]) != len(classes["quantiles"]) + 1:
        problems.append("classes: labels must be one more than quantiles")
    for name, choice in method["monte_carlo"]["choices"].items():
        if "options" in choice and len(choice["options"]) != len(choice["probabilities"]):
            problems.append(f"monte_carlo choice {name}: options and probabilities differ")
    calib = method.get(CALIBRATION_KEY)
    if calib is not None:
        missing = set(method["indicators"]) - set(calib.get("indicators", {}))
        if missing:
            problems.append(f"calibration: no goalposts for {sorted(missing)}")
        if len(calib.get("class_thresholds") or []) != len(classes["quantiles"]):
            problems.append("calibration: class_thresholds must match classes.quantiles")
    return problems


@cache
def _read_method(path: str, sha: str) -> dict:
    method = safe_load(Path(path).read_text(encoding="utf-8"))
    problems = method_problems(method)
    if problems:
        raise MethodError(f"{path}: " + "; ".join(problems))
    return method


def load_method(path: str | Path | None = None) -> dict:
    """Read and check the composite's method file.

    Parameters
    ----------
    path : str or Path, optional
        A YAML file in the layout of ``data/risk/composite.yaml`` (the default).

    Returns
    -------
    dict
        The parsed file plus ``config_sha256`` (sha256 of its bytes, part of every cache
        key) and ``config_path``. A fresh copy: callers may modify it.

    Raises
    ------
    MethodError
        When the file is inconsistent (:func:`method_problems`).
    """
    p = Path(path) if path is not None else CONFIG_FILE
    sha = _sha256(p)
    method = copy.deepcopy(_read_method(str(p), sha))
    method["config_sha256"] = sha
    method["config_path"] = str(p)
    return method


def primary_indicators(method: dict) -> list[str]:
    """Return the indicators of the nominal composite (not Monte Carlo alternatives), in order."""
    return [i for i, s in method["indicators"].items() if not s.get("alternative_of")]


def dimension_names(method: dict) -> list[str]:
    """Dimension keys in the method file's order."""
    return list(method["dimensions"])


def nominal_weights(method: dict) -> tuple[np.ndarray, np.ndarray]:
    """Nominal weights of the primary indicators (within dimension) and of the dimensions.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Indicator weights normalised to sum 1 inside each dimension (order of
        :func:`primary_indicators`) and dimension weights normalised to sum 1.
    """
    slots = primary_indicators(method)
    dims = dimension_names(method)
    raw = np.array([float(method["indicators"][i].get("weight", 1.0)) for i in slots])
    dim_of = np.array([dims.index(method["indicators"][i]["dimension"]) for i in slots])
    w_ind = raw.copy()
    for d in range(len(dims)):
        w_ind[dim_of == d] /= raw[dim_of == d].sum()
    w_dim = np.array([float(method["dimensions"][d].get("weight", 1.0)) for d in dims])
    return w_ind, w_dim / w_dim.sum()


# --------------------------------------------------------------------------- coverage


def _parse_coverage(text: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Parse a registry ``start/end`` coverage (years or ISO dates); None for ``n/a``."""
    if not text or str(text).strip().lower() == "n/a" or "/" not in str(text):
        return None
    start, end = (part.strip() for part in str(text).split("/"))
    first = pd.Timestamp(f"{start}-01-01") if re.fullmatch(r"\d{4}", start) else pd.Timestamp(start)
    last = pd.Timestamp(f"{end}-12-31") if re.fullmatch(r"\d{4}", end) else pd.Timestamp(end)
    return first, last


def coverage_years(
    coverages: Sequence[str], how: str = "intersection", partial_final_year: bool = False
) -> tuple[int, int, pd.Timestamp]:
    """Calendar years completely covered by a set of sources.

    Parameters
    ----------
    coverages : sequence of str
        Registry ``coverage`` strings (``n/a`` entries are ignored).
    how : {"intersection", "union"}
        Whether every source is needed (intersection) or they are alternative channels
        (union).
    partial_final_year : bool
        Count the last, partly covered year as covered.

    Returns
    -------
    (int, int, pandas.Timestamp)
        First and last covered year, and the coverage end date.
    """
    spans = [s for s in (_parse_coverage(c) for c in coverages) if s is not None]
    if not spans:
        raise ValueError("no dated coverage")
    if how == "union":
        start = min(s[0] for s in spans)
        end = max(s[1] for s in spans)
    else:
        start = max(s[0] for s in spans)
        end = min(s[1] for s in spans)
    first = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    last = end.year if (end.month, end.day) == (12, 31) or partial_final_year else end.year - 1
    return first, last, end


def _indicator_coverage(spec: dict) -> tuple[int, int, pd.Timestamp]:
    from osa_analysis.sources.registry import get_source

    covs = [get_source(s).coverage for s in spec["sources"]]
    return coverage_years(
        covs, spec.get("coverage", "intersection"), bool(spec.get("partial_final_year"))
    )


# --------------------------------------------------------------------------- pure panel helpers


def window_panel(
    counts: pd.DataFrame,
    members: pd.DataFrame,
    first_year: int,
    last_year: int,
    window: int,
    *,
    per_year: bool = True,
) -> pd.DataFrame:
    """Event counts summed over a moving window of calendar years, zero-filled for members.

    Parameters
    ----------
    counts : pandas.DataFrame
        Columns ``country_iso3``, ``year``, ``count`` (events per country-year; absent rows
        are zero).
    members : pandas.DataFrame
        Columns ``country_iso3`` and ``year``: who gets a value (a recorded zero when it
        has no events) in each window's last year. Countries not listed for a year get no
        row for it.
    first_year, last_year : int
        Years the source covers completely; windows must lie inside them.
    window : int
        Window length in years (the window of year ``y`` is ``y - window + 1`` … ``y``).
    per_year : bool
        ``value`` = count / window (events per year); otherwise the count.

    Returns
    -------
    pandas.DataFrame
        ``country_iso3``, ``year`` (window's last year, from ``first_year + window - 1`` to
        ``last_year``), ``value`` and ``count`` (events in the window).
    """
    years = np.arange(first_year, last_year + 1)
    end_years = years[window - 1 :]
    if not len(end_years):
        return pd.DataFrame(columns=["country_iso3", "year", "value", "count"])
    grid = (
        counts[counts["year"].between(first_year, last_year)]
        .groupby(["country_iso3", "year"])["count"]
        .sum()
        .unstack("year")
        .reindex(columns=years, fill_value=0)
        .fillna(0)
    )
    sums = grid.T.rolling(window).sum().T.loc[:, end_years]
    keep = members[members["year"].isin(end_years)][["country_iso3", "year"]].drop_duplicates()
    long = sums.stack().rename("count").reset_index()
    long.columns = ["country_iso3", "year", "count"]
    out = keep.merge(long, on=["country_iso3", "year"], how="left")
    out["count"] = out["count"].fillna(0.0).astype(float)
    out["value"] = out["count"] / window if per_year else out["count"]
    out["year"] = out["year"].astype(int)
    return out.sort_values(["country_iso3", "year"]).reset_index(drop=True)


def window_ratio_panel(
    numerator: pd.DataFrame,
    denominator: pd.DataFrame,
    members: pd.DataFrame,
    first_year: int,
    last_year: int,
    window: int,
    scale: float,
) -> pd.DataFrame:
    """Windowed sum of a numerator over the windowed sum of a denominator (person-years).

    Parameters
    ----------
    numerator : pandas.DataFrame
        ``country_iso3``, ``year``, ``count`` (e.g. deaths; absent rows are zero).
    denominator : pandas.DataFrame
        ``country_iso3``, ``year``, ``value`` (e.g. population; absent rows are unknown).
    members, first_year, last_year, window
        As :func:`window_panel`.
    scale : float
        Multiplier (e.g. 100000 for a rate per 100000).

    Returns
    -------
    pandas.DataFrame
        ``country_iso3``, ``year``, ``value`` (scale × Σ numerator / Σ denominator over the
        window's years that have a denominator; NaN when none has) and ``count`` (Σ
        numerator over those years).
    """
    years = np.arange(first_year, last_year + 1)
    end_years = years[window - 1 :]
    den = (
        denominator[denominator["year"].between(first_year, last_year)]
        .pivot_table(index="country_iso3", columns="year", values="value", aggfunc="sum")
        .reindex(columns=years)
    )
    num = (
        numerator[numerator["year"].between(first_year, last_year)]
        .groupby(["country_iso3", "year"])["count"]
        .sum()
        .unstack("year")
        .reindex(index=den.index, columns=years)
        .fillna(0.0)
    )
    has = den.notna() & (den > 0)
    num_sum = num.where(has, 0.0).T.rolling(window).sum().T.loc[:, end_years]
    den_sum = den.where(has, 0.0).T.rolling(window).sum().T.loc[:, end_years]
    value = (scale * num_sum / den_sum.where(den_sum > 0)).stack()
    frame = pd.DataFrame(
        {"value": value, "count": num_sum.stack().reindex(value.index)}
    ).reset_index()
    frame.columns = ["country_iso3", "year", "value", "count"]
    keep = members[members["year"].isin(end_years)][["country_iso3", "year"]].drop_duplicates()
    out = keep.merge(frame, on=["country_iso3", "year"], how="left")
    out["year"] = out["year"].astype(int)
    return out.sort_values(["country_iso3", "year"]).reset_index(drop=True)


# --------------------------------------------------------------------------- source loaders


@cache
def _events() -> pd.DataFrame:
    from osa_analysis.harmonise.incidents import load_incidents

    return load_incidents()


@cache
def _eez_area() -> pd.Series:
    from osa_analysis.harmonise.eez import load_eez

    eez = load_eez()
    if "pol_type" in eez and eez["pol_type"].eq("200NM").any():
        eez = eez[eez["pol_type"].eq("200NM").to_numpy()]
    area = eez.groupby("country_iso3")["area_km2"].sum()
    return area[area > 0].astype(float)


@cache
def _coastline(iso3: str) -> float | None:
    return coastline_km(_ne_countries(), iso3)


@cache
def _ne_countries():
    from osa_analysis.sources.loaders.geography import load_ne_countries

    return load_ne_countries()


def _universe_frames() -> dict[str, pd.DataFrame]:
    from osa_analysis.sources.loaders.conflict import load_ucdp_organized_violence
    from osa_analysis.sources.loaders.governance import load_vdem_ert
    from osa_analysis.sources.loaders.indicators import load_wgi

    wgi = load_wgi()
    ov = load_ucdp_organized_violence()
    vdem = load_vdem_ert()
    return {"wgi": wgi, "ucdp_orgviolence_cy": ov, "vdem_ert": vdem}


def _name(iso3: str) -> str:
    from osa_analysis.core.countries import country_name

    try:
        return country_name(iso3)
    except ValueError:
        return iso3


# --------------------------------------------------------------------------- panel


def _members(countries: Iterable[str], first: int, last: int) -> pd.DataFrame:
    countries = sorted(set(countries))
    years = np.arange(first, last + 1)
    return pd.DataFrame(
        {
            "country_iso3": np.repeat(countries, len(years)),
            "year": np.tile(years, len(countries)),
        }
    )


def build_indicator_panel(method: dict) -> pd.DataFrame:
    """Build the long indicator table from the registered sources (no cache).

    Parameters
    ----------
    method : dict
        :func:`load_method` output.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PANEL_COLUMNS`: one row per indicator, country of the universe and
        year with a value (``count``: events in the window for window indicators), plus
        one row with ``year`` NA and a ``note`` (the reason) for each universe country
        that never has a value.
    """
    from osa_analysis.sources.loaders.conflict import (
        load_coups_powell_thyne,
        load_ucdp_acd,
        ucdp_conflict_years,
    )
    from osa_analysis.sources.loaders.indicators import (
        load_wb_milex_share,
        load_wb_population,
        load_wgi,
    )

    frames = _universe_frames()
    universe = set()
    for sid in method["universe"]["sources"]:
        universe |= set(frames[sid]["country_iso3"].dropna().astype(str))
    ov = frames["ucdp_orgviolence_cy"]
    ucdp_members = ov[["country_iso3", "year"]].dropna().astype({"country_iso3": str})
    ucdp_members = ucdp_members[ucdp_members["country_iso3"].isin(universe)]
    eez_area = _eez_area()
    eez_countries = sorted(set(eez_area.index) & universe)

    parts: list[pd.DataFrame] = []
    notes: list[dict] = []

    def add(iid: str, frame: pd.DataFrame) -> None:
        f = frame[frame["country_iso3"].isin(universe)].copy()
        f["indicator"] = iid
        if "count" not in f:
            f["count"] = np.nan
        f["note"] = pd.NA
        f["applicable"] = True
        parts.append(f[list(PANEL_COLUMNS)])
        have = set(f.loc[f["value"].notna(), "country_iso3"])
        for iso3 in sorted(universe - have):
            reason, applicable = _reason(iid, iso3)
            notes.append(
                {"indicator": iid, "country_iso3": iso3, "note": reason, "applicable": applicable}
            )

    def members_for(spec: dict, first: int, last: int) -> pd.DataFrame:
        kind = spec.get("zero_fill")
        if kind == "eez":
            return _members(eez_countries, first, last)
        if kind == "ucdp":
            return ucdp_members[ucdp_members["year"].between(first, last)]
        if kind == "universe":
            return _members(universe, first, last)
        raise MethodError(f"unknown zero_fill {kind!r}")

    def count_panel(spec: dict, counts: pd.DataFrame, per_year: bool = True) -> pd.DataFrame:
        """Window the yearly ``counts`` over the indicator's coverage, zero-filled."""
        first, last, _ = _indicator_coverage(spec)
        return window_panel(
            counts,
            members_for(spec, first, last),
            first,
            last,
            spec["window_years"],
            per_year=spec.get("per_year", per_year),
        )

    ind = method["indicators"]
    events = _events()

    # piracy and armed robbery at the coast / in the EEZ
    pa = events[
        events["category"].eq("piracy_armed_robbery").fillna(False).to_numpy()
        & events["coastal_state_iso3"].notna().to_numpy()
        & events["date"].notna().to_numpy()
    ]
    pa_counts = (
        pd.DataFrame(
            {"country_iso3": pa["coastal_state_iso3"].astype(str), "year": pa["date"].dt.year}
        )
        .groupby(["country_iso3", "year"])
        .size()
        .rename("count")
        .reset_index()
    )
    coast = pd.Series({iso3: _coastline(iso3) for iso3 in eez_countries}, dtype=float)
    for iid, denominator in (("incidents_coast", coast), ("incidents_eez", eez_area)):
        if iid not in ind:
            continue
        spec = ind[iid]
        panel = count_panel(spec, pa_counts)
        den = panel["country_iso3"].map(denominator)
        panel["value"] = panel["value"] / den.where(den > 0) * float(spec["scale_factor"])
        add(iid, panel)

    # gray-zone events (SCSDI) naming the country among the actors
    if "grayzone" in ind:
        spec = ind["grayzone"]
        gz = events[events["category"].eq("gray_zone_coercion").fillna(False).to_numpy()]
        from osa_analysis.sources.loaders.scsdi import event_years

        year = event_years(gz)
        actors = gz["actors_iso3"].astype("string").fillna("").str.split(";")
        long = pd.DataFrame({"actors": actors, "year": year}).explode("actors")
        long = long[long["actors"].ne("") & long["year"].notna()]
        gz_counts = (
            long.groupby(["actors", "year"])
            .size()
            .rename("count")
            .reset_index()
            .rename(columns={"actors": "country_iso3"})
        )
        gz_counts["year"] = gz_counts["year"].astype(int)
        add("grayzone", count_panel(spec, gz_counts))

    # UCDP conflicts with the state as primary party or location
    if "conflict_years" in ind:
        spec = ind["conflict_years"]
        cy = ucdp_conflict_years(load_ucdp_acd())
        cy = cy[cy["role"].isin(("location", "side_a_primary", "side_b_primary"))]
        cy_counts = (
            cy.dropna(subset=["country_iso3"])
            .drop_duplicates(["conflict_id", "year", "country_iso3"])
            .groupby(["country_iso3", "year"])
            .size()
            .rename("count")
            .reset_index()
        )
        add("conflict_years", count_panel(spec, cy_counts))

    # organized-violence deaths per capita
    if "violence_deaths" in ind:
        spec = ind["violence_deaths"]
        deaths = ov[["country_iso3", "year", "orgvio_best_deaths"]].dropna(subset=["country_iso3"])
        deaths = deaths.rename(columns={"orgvio_best_deaths": "count"})
        pop = load_wb_population()
        pop = pop[~pop["is_aggregate"]].dropna(subset=["country_iso3", "population"])
        pop = pop.rename(columns={"population": "value"})[["country_iso3", "year", "value"]]
        pop["value"] = pop["value"].astype(float)
        first, last, _ = _indicator_coverage(spec)
        add(
            "violence_deaths",
            window_ratio_panel(
                deaths,
                pop,
                members_for(spec, first, last),
                first,
                last,
                spec["window_years"],
                float(spec["scale_factor"]),
            ),
        )

    # coup attempts (Powell & Thyne)
    if "coups" in ind:
        spec = ind["coups"]
        pt = load_coups_powell_thyne()
        coup_counts = (
            pt.dropna(subset=["country_iso3"])
            .groupby(["country_iso3", "year"])
            .size()
            .rename("count")
            .reset_index()
        )
        # UCDP's state list starts in 1989: later years only
        add("coups", count_panel(spec, coup_counts, per_year=False))

    # level indicators
    wgi = load_wgi()
    for iid, code in (("wgi_pv", "pv"), ("wgi_ge", "ge"), ("wgi_rl", "rl"), ("wgi_cc", "cc")):
        if iid in ind:
            rows = wgi[wgi["indicator"].eq(code) & wgi["estimate"].notna()]
            add(
                iid,
                pd.DataFrame(
                    {
                        "country_iso3": rows["country_iso3"].astype(str),
                        "year": rows["year"].astype(int),
                        "value": rows["estimate"].astype(float),
                    }
                ),
            )
    if "vdem_polyarchy" in ind:
        v = frames["vdem_ert"]
        v = v[v["polyarchy"].notna() & v["country_iso3"].notna()]
        add(
            "vdem_polyarchy",
            pd.DataFrame(
                {
                    "country_iso3": v["country_iso3"].astype(str),
                    "year": v["year"].astype(int),
                    "value": v["polyarchy"].astype(float),
                }
            ),
        )
    if "milex_share" in ind:
        m = load_wb_milex_share()
        m = m[~m["is_aggregate"] & m["milex_share_gdp_pct"].notna() & m["country_iso3"].notna()]
        add(
            "milex_share",
            pd.DataFrame(
                {
                    "country_iso3": m["country_iso3"].astype(str),
                    "year": m["year"].astype(int),
                    "value": m["milex_share_gdp_pct"].astype(float),
                }
            ),
        )

    panel = pd.concat(parts, ignore_index=True)
    panel = panel[panel["value"].notna()]
    note_frame = pd.DataFrame(notes, columns=["indicator", "country_iso3", "note", "applicable"])
    note_frame["year"] = pd.NA
    note_frame["value"] = np.nan
    note_frame["count"] = np.nan
    out = pd.concat([panel, note_frame[list(PANEL_COLUMNS)]], ignore_index=True)
    out["indicator"] = out["indicator"].astype("string")
    out["country_iso3"] = out["country_iso3"].astype("string")
    out["year"] = out["year"].astype("Int64")
    out["value"] = out["value"].astype(float)
    out["count"] = out["count"].astype(float)
    out["note"] = out["note"].astype("string")
    out["applicable"] = out["applicable"].astype(bool)
    return out.sort_values(["indicator", "country_iso3", "year"]).reset_index(drop=True)


def _reason(iid: str, iso3: str) -> tuple[str, bool]:
    """Why a universe country never has a value of an indicator, and whether it applies.

    Returns
    -------
    (str, bool)
        The reason in plain words, and False when the indicator does not apply (maritime
        incidents of a landlocked country): such an indicator is left out without counting
        against the reliability score.
    """
    name = _name(iso3)
    if iid in ("incidents_coast", "incidents_eez"):
        if iso3 not in _eez_area().index:
            coast = _coastline(iso3)
            if coast == 0.0:
                return f"{name} is landlocked: no coast and no EEZ (not applicable)", False
            return f"no EEZ polygon for {name} in the approximate EEZ (Natural Earth 1:50m)", True
        if iid == "incidents_coast":
            return f"no coastline length for {name} (Natural Earth 1:50m)", True
        return f"no EEZ area for {name}", True
    if iid in ("conflict_years", "coups"):
        return f"{name} is not in UCDP's list of independent states (Gleditsch–Ward)", True
    if iid == "violence_deaths":
        return (
            f"{name} is not in UCDP's list of independent states or has no World Bank population",
            True,
        )
    if iid.startswith("wgi_"):
        return f"WGI has no estimate for {name}", True
    if iid == "vdem_polyarchy":
        return f"V-Dem does not cover {name}", True
    if iid == "milex_share":
        return f"the World Bank (SIPRI) publishes no military-expenditure share for {name}", True
    if iid == "grayzone":
        return f"no SCSDI coverage for {name}", True
    return "no data", True


def panel_source_ids(method: dict) -> list[str]:
    """Registry ids of every file the indicator panel reads (for ``ctx.use`` and caching)."""
    ids = set(method["universe"]["sources"])
    for spec in method["indicators"].values():
        ids |= set(spec["sources"])
    return sorted(ids)


@cache
def _panel_cached(sha: str, path: str) -> pd.DataFrame:
    from osa_analysis.sources.cache import cached_table

    method = load_method(path)
    return cached_table(
        "risk_composite_panel",
        panel_source_ids(method),
        lambda: build_indicator_panel(method),
        version=sha,
    ).reset_index(drop=True)


def indicator_panel(method: dict | None = None) -> pd.DataFrame:
    """Return the long indicator table (:func:`build_indicator_panel`), cached.

    Cached per process and on disk (:func:`osa_analysis.sources.cache.cached_table`); the disk key
    covers the sha256 of every input file, the package code and the method file's text.
    """
    method = method or load_method()
    return _panel_cached(method["config_sha256"], method["config_path"])


# --------------------------------------------------------------------------- table at as_of


def _last_usable_year(spec: dict, as_of: pd.Timestamp) -> int:
    """Latest data year an indicator may use at ``as_of`` (no data after ``as_of``)."""
    if spec["kind"] == "level":
        return as_of.year
    complete = as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1
    if spec.get("partial_final_year"):
        _, last, end = _indicator_coverage(spec)
        if end <= as_of:
            return max(complete, min(last, end.year))
    return complete


def table_at(panel: pd.DataFrame, method: dict, as_of: pd.Timestamp) -> pd.DataFrame:
    """Latest value per country and indicator up to ``as_of``, with look-back and reasons.

    Parameters
    ----------
    panel : pandas.DataFrame
        :func:`build_indicator_panel` output (or a synthetic one with its columns).
    method : dict
        :func:`load_method` output.
    as_of : pandas.Timestamp

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TABLE_COLUMNS`, one row per country of the panel and indicator.
        ``latest_year`` is the indicator's latest year with any value at ``as_of``;
        ``age`` = latest_year − year; ``stale`` when 0 < age ≤ look-back (the value is
        carried forward); beyond the look-back, or without any value, ``missing`` with
        ``missing_reason``. ``window_start`` is the first year of a window indicator;
        ``applicable`` is False where the indicator does not apply (landlocked countries'
        maritime incidents).
    """
    as_of = pd.Timestamp(as_of).normalize()
    countries = sorted(set(panel["country_iso3"].dropna().astype(str)))
    rows = []
    lag_max = int(method["max_source_lag_years"])
    for iid, spec in method["indicators"].items():
        sub = panel[panel["indicator"].eq(iid).fillna(False).to_numpy()]
        notes = sub[sub["year"].isna()].set_index("country_iso3")["note"]
        limit = _last_usable_year(spec, as_of)
        vals = sub[sub["year"].notna() & sub["value"].notna()]
        vals = vals[vals["year"].astype(int) <= limit]
        frame = pd.DataFrame(index=pd.Index(countries, name="country_iso3"))
        frame["indicator"] = iid
        frame["dimension"] = spec["dimension"]
        if len(vals):
            latest_year = int(vals["year"].max())
            last = vals.sort_values("year").groupby("country_iso3").tail(1)
            last = last.set_index("country_iso3")
            frame["raw"] = last["value"].reindex(frame.index).astype(float)
            frame["year"] = last["year"].reindex(frame.index).astype("Int64")
            frame["count"] = last["count"].reindex(frame.index).astype(float)
        else:
            latest_year = None
            frame["raw"] = np.nan
            frame["year"] = pd.array([pd.NA] * len(frame), dtype="Int64")
            frame["count"] = np.nan
        frame["latest_year"] = latest_year
        frame["age"] = (latest_year - frame["year"]) if latest_year is not None else pd.NA
        frame["window_start"] = (
            frame["year"] - int(spec["window_years"]) + 1 if spec["kind"] == "window" else pd.NA
        )
        lookback = int(spec["lookback_years"])
        reasons = pd.Series(pd.NA, index=frame.index, dtype="string")
        if latest_year is None:
            reasons[:] = f"no data up to {as_of.year}"
        elif as_of.year - latest_year > lag_max:
            reasons[:] = (
                f"the source ends in {latest_year}, more than {lag_max} years before {as_of.year}"
            )
        else:
            none = frame["year"].isna()
            note = notes.reindex(frame.index)
            reasons[none] = note[none].fillna(f"no value up to {limit}")
            old = frame["year"].notna() & (frame["age"] > lookback)
            for iso3 in frame.index[old.fillna(False).to_numpy()]:
                y = int(frame.at[iso3, "year"])
                reasons[iso3] = (
                    f"latest value is from {y}, older than the {lookback}-year look-back "
                    f"from {latest_year}"
                    if lookback
                    else f"no value for {latest_year} (latest {y})"
                )
        missing = reasons.notna()
        frame["missing"] = missing.to_numpy()
        frame["missing_reason"] = reasons
        frame["stale"] = (~missing & (frame["age"].fillna(0) > 0)).astype(bool).to_numpy()
        frame.loc[missing.to_numpy(), "raw"] = np.nan
        if "applicable" in sub:
            na = sub.loc[~sub["applicable"].astype(bool), "country_iso3"].astype(str)
            frame["applicable"] = ~frame.index.isin(set(na))
        else:
            frame["applicable"] = True
        rows.append(frame.reset_index())
    out = pd.concat(rows, ignore_index=True)
    out["age"] = out["age"].astype("Int64")
    out["latest_year"] = out["latest_year"].astype("Int64")
    out["window_start"] = out["window_start"].astype("Int64")
    return out[list(TABLE_COLUMNS)]


@cache
def _table_cached(as_of: str, sha: str, path: str) -> pd.DataFrame:
    method = load_method(path)
    return table_at(indicator_panel(method), method, pd.Timestamp(as_of))


def indicator_table(as_of, method: dict | None = None) -> pd.DataFrame:
    """All countries × indicators at ``as_of``: raw value, year, stale flag, missing reason.

    Parameters
    ----------
    as_of : str or pandas.Timestamp
        Nothing after this date is used.
    method : dict, optional
        :func:`load_method` output (default: the project's method file).

    Returns
    -------
    pandas.DataFrame
        :func:`table_at` output (cached per process; do not modify it).
    """
    method = method or load_method()
    key = pd.Timestamp(as_of).normalize().strftime("%Y-%m-%d")
    return _table_cached(key, method["config_sha256"], method["config_path"])


# --------------------------------------------------------------------------- scores


def coin_statistics(values: Sequence[float]) -> tuple[float, float]:
    """Bias-corrected sample skewness and excess kurtosis (COIN tool / Excel SKEW, KURT)."""
    x = np.asarray(values, dtype=float)
    return float(stats.skew(x, bias=False)), float(stats.kurtosis(x, fisher=True, bias=False))


def log_rule(values: Sequence[float], method: dict) -> dict:
    """Apply the COIN rule to a reference-year distribution.

    Returns
    -------
    dict
        ``skew``, ``kurtosis`` and ``log_transform`` (|skew| > threshold and kurtosis >
        threshold, with the thresholds of ``method["log_rule"]``).
    """
    skew, kurt = coin_statistics(values)
    rule = method["log_rule"]
    return {
        "skew": skew,
        "kurtosis": kurt,
        "log_transform": bool(abs(skew) > rule["abs_skew_gt"] and kurt > rule["kurtosis_gt"]),
    }


def goalposts_for(values: Sequence[float], method: dict, year: int | None = None) -> dict:
    """Goalposts, COIN decision and z-score moments of one reference-year distribution.

    Parameters
    ----------
    values : sequence of float
        Raw values of every country with a value in the reference year.
    method : dict
        For ``goalposts`` (percentiles, method) and ``log_rule``.
    year : int, optional
        Stored as ``year``.

    Returns
    -------
    dict
        ``year``, ``n``, ``skew``, ``kurtosis``, ``log_transform``, ``lo`` and ``hi`` (in
        transformed units), ``lo_raw`` and ``hi_raw``, ``mean`` and ``sd`` (transformed
        units, sd with ddof=1).
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    out = {"year": year, "n": len(x), **log_rule(x, method)}
    t = np.log1p(x) if out["log_transform"] else x
    g = method["goalposts"]
    lo = float(np.percentile(t, g["lower_percentile"], method=g["percentile_method"]))
    hi = float(np.percentile(t, g["upper_percentile"], method=g["percentile_method"]))
    if hi <= lo:  # degenerate_rule of the method file
        hi = float(t.max())
    back = np.expm1 if out["log_transform"] else (lambda v: v)
    out.update(
        {
            "lo": lo,
            "hi": hi,
            "lo_raw": float(back(lo)),
            "hi_raw": float(back(hi)),
            "mean": float(t.mean()),
            "sd": float(t.std(ddof=1)),
        }
    )
    return out


def goalposts_from_data(reference_year: int | None = None, method: dict | None = None) -> dict:
    """Compute every indicator's goalposts from the real data of the reference year.

    Parameters
    ----------
    reference_year : int, optional
        Default: the method file's ``reference_year``.
    method : dict, optional
        :func:`load_method` output.

    Returns
    -------
    dict
        Indicator id → :func:`goalposts_for` output, over every country with a value for
        exactly that year (window indicators: the window ending in it).
    """
    method = method or load_method()
    year = int(reference_year if reference_year is not None else method["reference_year"])
    panel = indicator_panel(method)
    out = {}
    for iid in method["indicators"]:
        sub = panel[panel["indicator"].eq(iid).fillna(False).to_numpy()]
        vals = sub.loc[sub["year"].eq(year).fillna(False).to_numpy(), "value"].dropna()
        if not len(vals):
            raise MethodError(f"{iid}: no value in the reference year {year}")
        out[iid] = goalposts_for(vals.to_numpy(), method, year)
    return out


def rescale(
    raw: np.ndarray | Sequence[float],
    calib: dict,
    direction: int,
    normalisation: str = "goalpost",
    half_range_sd: float = 2.0,
    scale: Sequence[float] = (0.0, 10.0),
) -> np.ndarray:
    """Rescale raw values to the 0–10 risk scale (higher = riskier).

    Parameters
    ----------
    raw : array-like
        Raw values (NaN stays NaN).
    calib : dict
        ``log_transform``, ``lo``/``hi`` (goalposts, transformed units), ``mean``/``sd``.
    direction : {1, -1}
        1: higher raw = riskier; -1: inverted.
    normalisation : {"goalpost", "zscore"}
        Min–max against the goalposts, or 10·(z + h)/(2h) with z against the
        reference-year mean and sd (``h`` = ``half_range_sd``).
    half_range_sd : float
    scale : (float, float)
        Clip range.

    Returns
    -------
    numpy.ndarray
    """
    x = np.asarray(raw, dtype=float)
    t = np.log1p(x) if calib["log_transform"] else x
    lo_s, hi_s = float(scale[0]), float(scale[1])
    span = hi_s - lo_s
    if normalisation == "goalpost":
        frac = (t - calib["lo"]) / (calib["hi"] - calib["lo"])
        if direction == -1:
            frac = 1.0 - frac
    elif normalisation == "zscore":
        z = (t - calib["mean"]) / calib["sd"]
        if direction == -1:
            z = -z
        frac = (z + half_range_sd) / (2.0 * half_range_sd)
    else:
        raise ValueError(f"unknown normalisation {normalisation!r}")
    return np.clip(lo_s + span * frac, lo_s, hi_s)


def aggregate(
    scores: np.ndarray,
    available: np.ndarray,
    dim_of: np.ndarray,
    w_ind: np.ndarray,
    w_dim: np.ndarray,
    rule: str = "geometric",
    offset: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Dimension scores (weighted arithmetic mean) and composite (geometric or arithmetic).

    Leading axes broadcast (e.g. Monte Carlo draws).

    Parameters
    ----------
    scores : numpy.ndarray
        ``(..., C, I)`` indicator scores 0–10 (values where ``available`` is False are
        ignored).
    available : numpy.ndarray
        ``(..., C, I)`` bool.
    dim_of : numpy.ndarray
        ``(I,)`` dimension index of each indicator.
    w_ind : numpy.ndarray
        ``(..., I)`` indicator weights (renormalised over the available indicators of each
        dimension).
    w_dim : numpy.ndarray
        ``(..., D)`` dimension weights (normalised to sum 1).
    rule : {"geometric", "arithmetic"}
    offset : float
        Geometric rule: exp(Σ w·log(D + offset)) − offset (0 = plain geometric mean).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Composite ``(..., C)`` and dimensions ``(..., C, D)``; NaN when a dimension has no
        available indicator.
    """
    scores = np.asarray(scores, dtype=float)
    avail = np.asarray(available, dtype=bool)
    w_ind = np.asarray(w_ind, dtype=float)
    w_dim = np.asarray(w_dim, dtype=float)
    n_dims = w_dim.shape[-1]
    s = np.where(avail, scores, 0.0)
    w = w_ind[..., None, :] * avail
    dims = []
    for d in range(n_dims):
        m = dim_of == d
        num = (w[..., m] * s[..., m]).sum(-1)
        den = w[..., m].sum(-1)
        dims.append(np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan))
    dim_scores = np.stack(dims, -1)
    wd = (w_dim / w_dim.sum(-1, keepdims=True))[..., None, :]
    if rule == "geometric":
        with np.errstate(divide="ignore", invalid="ignore"):
            comp = np.exp((wd * np.log(dim_scores + offset)).sum(-1)) - offset
    elif rule == "arithmetic":
        comp = (wd * dim_scores).sum(-1)
    else:
        raise ValueError(f"unknown aggregation {rule!r}")
    comp = np.where(np.isnan(dim_scores).any(-1), np.nan, comp)
    return comp, dim_scores


def rank_desc(values: np.ndarray) -> np.ndarray:
    """Rank along the last axis, 1 = highest (ties share the best rank; NaN → NaN)."""
    v = np.asarray(values, dtype=float)
    ranks = stats.rankdata(np.where(np.isnan(v), -np.inf, -v), method="min", axis=-1)
    return np.where(np.isnan(v), np.nan, ranks)


def rank_intervals(draws: np.ndarray, percentiles: Sequence[float] = (5, 95)) -> np.ndarray:
    """Rank interval of each column over Monte Carlo draws.

    Parameters
    ----------
    draws : numpy.ndarray
        ``(K, C)`` scores (one row per draw).
    percentiles : (float, float)

    Returns
    -------
    numpy.ndarray
        ``(C, 2)`` integer ranks (1 = highest score): the lower percentile of the ranks
        (``lower`` method) and the upper one (``higher`` method), so both are ranks that
        occurred.
    """
    ranks = rank_desc(np.asarray(draws, dtype=float))
    lo = np.percentile(ranks, percentiles[0], axis=0, method="lower")
    hi = np.percentile(ranks, percentiles[1], axis=0, method="higher")
    return np.stack([lo, hi], -1).astype(int)


def first_order_shares(y: np.ndarray, choices: dict[str, np.ndarray]) -> dict[str, float | None]:
    """First-order share of the variance of ``y`` explained by each choice.

    Parameters
    ----------
    y : numpy.ndarray
        ``(K,)`` output over the draws.
    choices : dict
        Name → ``(K,)`` array of a discrete choice (Var(E[y | choice]) / Var(y)) or
        ``(K, p)`` array of continuous inputs (R² of the least-squares fit of y on them
        with an intercept: a first-order linear approximation).

    Returns
    -------
    dict
        Name → share in [0, 1] (None when y does not vary).
    """
    y = np.asarray(y, dtype=float)
    var = float(np.var(y))
    if not np.isfinite(var) or var <= 1e-12 * max(1.0, float(np.mean(y**2))):
        return dict.fromkeys(choices)
    out: dict[str, float | None] = {}
    mean = y.mean()
    for name, x in choices.items():
        x = np.asarray(x)
        if x.ndim == 1:
            _, inv = np.unique(x, return_inverse=True)
            counts = np.bincount(inv)
            means = np.bincount(inv, weights=y) / counts
            share = float((counts * (means - mean) ** 2).sum() / (len(y) * var))
        else:
            design = np.column_stack([np.ones(len(y)), x.astype(float)])
            coef, *_ = np.linalg.lstsq(design, y, rcond=None)
            resid = y - design @ coef
            share = float(1.0 - np.var(resid) / var)
        out[name] = min(max(share, 0.0), 1.0)
    return out


def classify(scores: np.ndarray | Sequence[float], thresholds: Sequence[float]) -> np.ndarray:
    """Class index of each score (a score equal to a threshold takes the higher class).

    Returns
    -------
    numpy.ndarray
        Integers 0 … len(thresholds); −1 for NaN.
    """
    s = np.asarray(scores, dtype=float)
    idx = np.searchsorted(np.asarray(thresholds, dtype=float), s, side="right")
    return np.where(np.isnan(s), -1, idx)


def reliability_score(missing: np.ndarray, stale: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """INFORM-style reliability: 10 × (1 − (w_missing + 0.5·w_stale)).

    Parameters
    ----------
    missing, stale : numpy.ndarray
        ``(..., I)`` bool.
    weights : numpy.ndarray
        ``(I,)`` nominal effective weights (summing to 1).

    Returns
    -------
    numpy.ndarray
    """
    w = np.asarray(weights, dtype=float)
    w_missing = (np.asarray(missing, dtype=bool) * w).sum(-1)
    w_stale = (np.asarray(stale, dtype=bool) * w).sum(-1)
    return 10.0 * (1.0 - (w_missing + 0.5 * w_stale))


def trend_direction(current: dict, previous: dict) -> str | None:
    """``flat`` when the two intervals overlap, else ``up``/``down`` with the median.

    Parameters
    ----------
    current, previous : dict
        ``median``, ``low``, ``high`` (None when missing).

    Returns
    -------
    str or None
    """
    if any(v is None for d in (current, previous) for v in (d["median"], d["low"], d["high"])):
        return None
    if current["low"] <= previous["high"] and previous["low"] <= current["high"]:
        return "flat"
    return "up" if current["median"] > previous["median"] else "down"


# --------------------------------------------------------------------------- Monte Carlo


def _calibration(method: dict) -> dict:
    calib = method.get(CALIBRATION_KEY)
    if calib is None:
        raise MethodError("the method file has no calibration block: run --calibrate")
    return calib


def score_matrices(table: pd.DataFrame, method: dict) -> dict:
    """0–10 scores of every country under each normalisation and indicator variant.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`table_at` output.
    method : dict

    Returns
    -------
    dict
        ``countries`` (list), ``slots`` (primary indicators), ``variants`` (option list
        of the variant choice, first = nominal), ``normalisations``, ``scores`` array
        ``(n_norm, n_var, C, I)``, ``available`` ``(n_var, C, I)``, ``stale`` ``(C, I)``,
        ``missing`` ``(C, I)`` (nominal variant; not-applicable indicators excluded: they
        do not count against the reliability) and ``not_applicable`` ``(C, I)``.
    """
    calib = _calibration(method)["indicators"]
    slots = primary_indicators(method)
    choices = method["monte_carlo"]["choices"]
    norms = list(choices["normalisation"]["options"])
    var_choice = _variant_choice(method)
    variants = var_choice["options"] if var_choice else [None]
    wide_raw = table.pivot(index="country_iso3", columns="indicator", values="raw")
    countries = list(wide_raw.index)
    miss = table.pivot(index="country_iso3", columns="indicator", values="missing")
    stale = table.pivot(index="country_iso3", columns="indicator", values="stale")
    applicable = table.pivot(index="country_iso3", columns="indicator", values="applicable")
    h = float(method["zscore"]["half_range_sd"])
    scale = method["scale"]
    scores = np.full((len(norms), len(variants), len(countries), len(slots)), np.nan)
    avail = np.zeros((len(variants), len(countries), len(slots)), dtype=bool)
    for v, variant in enumerate(variants):
        for i, slot in enumerate(slots):
            iid = variant if (var_choice and slot == var_choice["indicator"]) else slot
            spec = method["indicators"][iid]
            raw = wide_raw[iid].to_numpy(float)
            avail[v, :, i] = ~miss[iid].to_numpy(bool) & np.isfinite(raw)
            for n, norm in enumerate(norms):
                scores[n, v, :, i] = rescale(raw, calib[iid], spec["direction"], norm, h, scale)
    return {
        "countries": countries,
        "slots": slots,
        "variants": variants,
        "normalisations": norms,
        "scores": scores,
        "available": avail,
        "stale": stale[slots].to_numpy(bool),
        "missing": miss[slots].to_numpy(bool) & applicable[slots].to_numpy(bool),
        "not_applicable": ~applicable[slots].to_numpy(bool),
    }


def _variant_choice(method: dict) -> dict | None:
    for choice in method["monte_carlo"]["choices"].values():
        if "indicator" in choice:
            return choice
    return None


def draw_choices(method: dict, draws: int, seed: int) -> dict:
    """Draw every Monte Carlo choice (reproducible for a seed and a number of draws).

    Returns
    -------
    dict
        ``w_ind`` ``(K, I)`` (Dirichlet inside each dimension), ``w_dim`` ``(K, D)``,
        ``aggregation``, ``normalisation``, ``variant`` (option indices, ``(K,)``) and
        ``leave_out`` (``(K,)``: −1 for none, else the slot index dropped).
    """
    rng = np.random.default_rng(seed)
    mc = method["monte_carlo"]
    conc = float(mc["dirichlet_concentration"])
    slots = primary_indicators(method)
    dims = dimension_names(method)
    w_nom, wd_nom = nominal_weights(method)
    dim_of = np.array([dims.index(method["indicators"][i]["dimension"]) for i in slots])
    w_ind = np.zeros((draws, len(slots)))
    for d in range(len(dims)):
        m = dim_of == d
        w_ind[:, m] = rng.dirichlet(conc * w_nom[m], size=draws)
    w_dim = rng.dirichlet(conc * wd_nom, size=draws)
    ch = mc["choices"]
    agg = rng.choice(
        len(ch["aggregation"]["options"]), p=ch["aggregation"]["probabilities"], size=draws
    )
    norm = rng.choice(
        len(ch["normalisation"]["options"]), p=ch["normalisation"]["probabilities"], size=draws
    )
    var_choice = _variant_choice(method)
    if var_choice:
        variant = rng.choice(len(var_choice["options"]), p=var_choice["probabilities"], size=draws)
    else:
        variant = np.zeros(draws, dtype=int)
    p_none = float(ch["leave_one_out"]["probability_none"])
    drop = rng.random(draws) >= p_none
    which = rng.integers(0, len(slots), size=draws)
    leave_out = np.where(drop, which, -1)
    return {
        "w_ind": w_ind,
        "w_dim": w_dim,
        "aggregation": agg,
        "normalisation": norm,
        "variant": variant,
        "leave_out": leave_out,
    }


def run_monte_carlo(mats: dict, method: dict, choices: dict) -> dict:
    """Composite and dimension scores of every country in every draw.

    Parameters
    ----------
    mats : dict
        :func:`score_matrices` output.
    method : dict
    choices : dict
        :func:`draw_choices` output.

    Returns
    -------
    dict
        ``composite`` ``(K, C)`` and ``dimensions`` ``(K, C, D)``.
    """
    dims = dimension_names(method)
    slots = mats["slots"]
    dim_of = np.array([dims.index(method["indicators"][i]["dimension"]) for i in slots])
    offset = float(method["aggregation"]["geometric_offset"])
    k = len(choices["aggregation"])
    scores = mats["scores"][choices["normalisation"], choices["variant"]]  # (K, C, I)
    avail_base = mats["available"][choices["variant"]]  # (K, C, I)
    keep = np.ones((k, len(slots)), dtype=bool)
    dropped = choices["leave_out"] >= 0
    keep[np.flatnonzero(dropped), choices["leave_out"][dropped]] = False
    avail = avail_base & keep[:, None, :]
    for d in range(len(dims)):
        m = dim_of == d
        empty = ~avail[..., m].any(-1) & avail_base[..., m].any(-1)  # (K, C)
        avail[..., m] = np.where(empty[..., None], avail_base[..., m], avail[..., m])
    options = method["monte_carlo"]["choices"]["aggregation"]["options"]
    geo, dim_scores = aggregate(
        scores, avail, dim_of, choices["w_ind"], choices["w_dim"], "geometric", offset
    )
    ari, _ = aggregate(scores, avail, dim_of, choices["w_ind"], choices["w_dim"], "arithmetic")
    is_geo = np.array([options[a] == "geometric" for a in choices["aggregation"]])
    comp = np.where(is_geo[:, None], geo, ari)
    return {"composite": comp, "dimensions": dim_scores}


def nominal_scores(mats: dict, method: dict) -> dict:
    """Composite and dimensions with the nominal method (first option of every choice).

    Returns
    -------
    dict
        ``composite`` ``(C,)``, ``dimensions`` ``(C, D)`` and ``indicator_scores``
        ``(C, I)`` (goalpost 0–10 scores of the nominal variant; NaN when missing).
    """
    dims = dimension_names(method)
    slots = mats["slots"]
    dim_of = np.array([dims.index(method["indicators"][i]["dimension"]) for i in slots])
    w_ind, w_dim = nominal_weights(method)
    rule = method["monte_carlo"]["choices"]["aggregation"]["options"][0]
    scores = mats["scores"][0, 0]
    avail = mats["available"][0]
    comp, dim_scores = aggregate(
        scores,
        avail,
        dim_of,
        w_ind,
        w_dim,
        rule,
        float(method["aggregation"]["geometric_offset"]),
    )
    return {
        "composite": comp,
        "dimensions": dim_scores,
        "indicator_scores": np.where(avail, scores, np.nan),
    }


@dataclass
class CompositeResult:
    """Composite scores of a set of countries at one as-of date.

    Attributes
    ----------
    method_version : str
    as_of : pandas.Timestamp
    mc_draws, seed : int
    scores : pandas.DataFrame
        Index ``country_iso3`` (the requested countries, in order). Columns: ``nominal``,
        ``median``, ``low``, ``high`` (interval percentiles of the draws), ``class``,
        ``class_low``, ``class_high`` (classes of median, low and high), ``rank_low``,
        ``rank_high``, ``rank_of`` (rank interval among the requested countries with a
        composite), ``global_rank_low``, ``global_rank_high``, ``global_rank_of`` (among
        every country with a composite), ``reliability``, ``w_missing``, ``w_stale``,
        ``<dimension>_{nominal,median,low,high}`` and ``missing_reason`` (why there is no
        composite, or None).
    indicators : pandas.DataFrame
        The requested countries' rows of :func:`indicator_table` plus ``score_0_10``
        (nominal goalpost score) and ``label``, ``unit``, ``nominal_weight``.
    sensitivity : pandas.DataFrame
        Index ``country_iso3``; one column per Monte Carlo choice (first-order share of
        variance) and ``interactions`` (1 − their sum, floored at 0).
    draws : numpy.ndarray
        ``(K, n)`` composite draws of the requested countries.
    dimension_draws : numpy.ndarray
        ``(K, n, D)``.
    choices : dict
        :func:`draw_choices` output.
    """

    method_version: str
    as_of: pd.Timestamp
    mc_draws: int
    seed: int
    scores: pd.DataFrame
    indicators: pd.DataFrame
    sensitivity: pd.DataFrame
    draws: np.ndarray
    dimension_draws: np.ndarray
    choices: dict = field(repr=False)


@cache
def _global_cached(as_of: str, draws: int, seed: int, sha: str, path: str) -> dict:
    from osa_analysis.sources.cache import cached_object

    method = load_method(path)

    def build() -> dict:
        table = indicator_table(as_of, method)
        mats = score_matrices(table, method)
        choices = draw_choices(method, draws, seed)
        mc = run_monte_carlo(mats, method, choices)
        nom = nominal_scores(mats, method)
        return {"mats": mats, "choices": choices, "mc": mc, "nominal": nom, "table": table}

    # one global run serves every brief of the same as-of (on disk across processes)
    return cached_object(
        "risk_composite_global",
        panel_source_ids(method),
        build,
        version=f"{sha}|{as_of}|{draws}|{seed}",
    )


def composite_scores(
    iso3s: Sequence[str],
    as_of,
    mc_draws: int | None = None,
    seed: int | None = None,
    method: dict | None = None,
) -> CompositeResult:
    """Composite score, interval, class, ranks and sensitivity of a set of countries.

    The Monte Carlo runs over every country of the data (so the global rank interval is
    available); the peer rank interval is among ``iso3s`` (those with a composite).

    Parameters
    ----------
    iso3s : sequence of str
        Countries (any of the data; others get a row with ``missing_reason``).
    as_of : str or pandas.Timestamp
    mc_draws : int, optional
        Default: the method file's ``monte_carlo.default_draws`` (1000).
    seed : int, optional
        Default: the method file's ``monte_carlo.seed``.
    method : dict, optional

    Returns
    -------
    CompositeResult
    """
    method = method or load_method()
    mcfg = method["monte_carlo"]
    draws = int(mc_draws if mc_draws is not None else mcfg["default_draws"])
    seed = int(seed if seed is not None else mcfg["seed"])
    as_of = pd.Timestamp(as_of).normalize()
    g = _global_cached(
        as_of.strftime("%Y-%m-%d"), draws, seed, method["config_sha256"], method["config_path"]
    )
    mats, mc, nom, choices = g["mats"], g["mc"], g["nominal"], g["choices"]
    dims = dimension_names(method)
    slots = mats["slots"]
    countries = mats["countries"]
    pos = {c: i for i, c in enumerate(countries)}
    iso3s = [c.upper() for c in iso3s]
    lo_p, hi_p = mcfg["interval_percentiles"]
    comp = mc["composite"]
    valid = np.isfinite(comp).all(0)
    thresholds = _calibration(method)["class_thresholds"]
    labels = method["classes"]["labels"]

    g_idx = np.flatnonzero(valid)
    g_ranks = np.full((len(countries), 2), -1)
    g_ranks[g_idx] = rank_intervals(comp[:, g_idx], (lo_p, hi_p))
    peers = [c for c in iso3s if c in pos and valid[pos[c]]]
    p_idx = [pos[c] for c in peers]
    p_ranks = dict(zip(peers, rank_intervals(comp[:, p_idx], (lo_p, hi_p)), strict=True))

    w_nom, wd_nom = nominal_weights(method)
    dim_of = np.array([dims.index(method["indicators"][i]["dimension"]) for i in slots])
    eff = w_nom * wd_nom[dim_of]
    rel = reliability_score(mats["missing"], mats["stale"], eff)
    w_missing = (mats["missing"] * eff).sum(-1)
    w_stale = (mats["stale"] * eff).sum(-1)

    rows = []
    sens_rows = []
    choice_inputs = {
        "weights": np.column_stack([choices["w_ind"], choices["w_dim"]]),
        "aggregation": choices["aggregation"],
        "normalisation": choices["normalisation"],
        "leave_one_out": choices["leave_out"],
    }
    var_choice = _variant_choice(method)
    if var_choice:
        name = next(k for k, v in mcfg["choices"].items() if v is var_choice)
        choice_inputs[name] = choices["variant"]
    out_draws = np.full((draws, len(iso3s)), np.nan)
    out_dims = np.full((draws, len(iso3s), len(dims)), np.nan)
    for j, iso3 in enumerate(iso3s):
        row: dict = {"country_iso3": iso3}
        if iso3 not in pos:
            row["missing_reason"] = f"{_name(iso3)} is not in the composite's data"
            rows.append(row)
            sens_rows.append({"country_iso3": iso3})
            continue
        c = pos[iso3]
        row.update(
            {
                "reliability": float(rel[c]),
                "w_missing": float(w_missing[c]),
                "w_stale": float(w_stale[c]),
            }
        )
        for d, dname in enumerate(dims):
            dd = mc["dimensions"][:, c, d]
            row[f"{dname}_nominal"] = float(nom["dimensions"][c, d])
            if np.isfinite(dd).all():
                row[f"{dname}_median"] = float(np.median(dd))
                row[f"{dname}_low"] = float(np.percentile(dd, lo_p))
                row[f"{dname}_high"] = float(np.percentile(dd, hi_p))
            out_dims[:, j, d] = dd
        if not valid[c]:
            empty = [
                method["dimensions"][dname]["label"]
                for d, dname in enumerate(dims)
                if not mats["available"][0, c, dim_of == d].any()
            ]
            row["missing_reason"] = "no indicator available in: " + ", ".join(empty)
            rows.append(row)
            sens_rows.append({"country_iso3": iso3})
            continue
        y = comp[:, c]
        out_draws[:, j] = y
        med, low, high = (
            float(np.median(y)),
            float(np.percentile(y, lo_p)),
            float(np.percentile(y, hi_p)),
        )
        cls = classify([med, low, high], thresholds)
        row.update(
            {
                "nominal": float(nom["composite"][c]),
                "median": med,
                "low": low,
                "high": high,
                "class": labels[cls[0]],
                "class_low": labels[cls[1]],
                "class_high": labels[cls[2]],
                "rank_low": int(p_ranks[iso3][0]),
                "rank_high": int(p_ranks[iso3][1]),
                "rank_of": len(peers),
                "global_rank_low": int(g_ranks[c, 0]),
                "global_rank_high": int(g_ranks[c, 1]),
                "global_rank_of": len(g_idx),
                "missing_reason": None,
            }
        )
        rows.append(row)
        shares = first_order_shares(y, choice_inputs)
        known = [s for s in shares.values() if s is not None]
        shares["interactions"] = max(0.0, 1.0 - sum(known)) if known else None
        sens_rows.append({"country_iso3": iso3, **shares})
    scores = pd.DataFrame(rows).set_index("country_iso3")
    sensitivity = pd.DataFrame(sens_rows).set_index("country_iso3")

    table = g["table"]
    ind = table[table["country_iso3"].isin(iso3s)].copy()
    nominal_ind = pd.DataFrame(
        nom["indicator_scores"], index=pd.Index(countries, name="country_iso3"), columns=slots
    )
    calib = _calibration(method)["indicators"]
    h = float(method["zscore"]["half_range_sd"])

    def score_of(r) -> float:
        if r["indicator"] in slots:
            return nominal_ind.at[r["country_iso3"], r["indicator"]]
        spec = method["indicators"][r["indicator"]]
        return float(
            rescale([r["raw"]], calib[r["indicator"]], spec["direction"], "goalpost", h)[0]
        )

    ind["score_0_10"] = [score_of(r) for _, r in ind.iterrows()] if len(ind) else []
    ind["label"] = ind["indicator"].map(lambda i: method["indicators"][i]["label"])
    ind["unit"] = ind["indicator"].map(lambda i: method["indicators"][i]["unit"])
    ind["nominal_weight"] = ind["indicator"].map(
        lambda i: float(eff[slots.index(i)]) if i in slots else 0.0
    )
    return CompositeResult(
        method_version=method["method_version"],
        as_of=as_of,
        mc_draws=draws,
        seed=seed,
        scores=scores,
        indicators=ind.reset_index(drop=True),
        sensitivity=sensitivity,
        draws=out_draws,
        dimension_draws=out_dims,
        choices=choices,
    )


# --------------------------------------------------------------------------- calibration


def class_thresholds_from_data(
    reference_year: int | None = None, method: dict | None = None
) -> list[float]:
    """Class thresholds: quantiles of the Monte Carlo medians at the end of the reference year.

    Classes apply to the Monte Carlo median, so the thresholds are set on the same
    statistic: the median over ``monte_carlo.default_draws`` draws with the method's seed,
    for every country with a composite, data as of 31 December of the reference year. Uses
    the goalposts of ``method`` (compute them first when recalibrating).

    Returns
    -------
    list of float
        One threshold per ``classes.quantiles`` entry (numpy ``linear`` quantiles).
    """
    method = method or load_method()
    year = int(reference_year if reference_year is not None else method["reference_year"])
    table = table_at(indicator_panel(method), method, pd.Timestamp(f"{year}-12-31"))
    mats = score_matrices(table, method)
    mcfg = method["monte_carlo"]
    choices = draw_choices(method, int(mcfg["default_draws"]), int(mcfg["seed"]))
    comp = run_monte_carlo(mats, method, choices)["composite"]
    medians = np.median(comp[:, np.isfinite(comp).all(0)], axis=0)
    return [float(np.quantile(medians, q)) for q in method["classes"]["quantiles"]]


def _fmt(value: float) -> float:
    return float(f"{value:.10g}")


def calibrate(method: dict | None = None) -> dict:
    """Recompute the calibration block (goalposts, COIN decisions, class thresholds).

    Returns
    -------
    dict
        The new ``calibration`` block (numbers to 10 significant digits).
    """
    method = copy.deepcopy(method or load_method())
    year = int(method["reference_year"])
    gps = goalposts_from_data(year, method)
    block = {
        "reference_year": year,
        "note": (
            "Written by `python -m osa_analysis.analyse.composite --calibrate`; do not edit by "
            "hand. Goalposts lo/hi and mean/sd are in transformed units (log(x+1) where "
            "log_transform is true); lo_raw/hi_raw in the indicator's unit."
        ),
        "indicators": {
            iid: {
                "n": int(g["n"]),
                "skew": _fmt(g["skew"]),
                "kurtosis": _fmt(g["kurtosis"]),
                "log_transform": bool(g["log_transform"]),
                "lo": _fmt(g["lo"]),
                "hi": _fmt(g["hi"]),
                "lo_raw": _fmt(g["lo_raw"]),
                "hi_raw": _fmt(g["hi_raw"]),
                "mean": _fmt(g["mean"]),
                "sd": _fmt(g["sd"]),
            }
            for iid, g in gps.items()
        },
    }
    method[CALIBRATION_KEY] = {
        **block,
        "class_thresholds": [0.0] * len(method["classes"]["quantiles"]),
    }
    block["class_thresholds"] = [_fmt(t) for t in class_thresholds_from_data(year, method)]
    return block


def write_calibration(block: dict, path: str | Path | None = None) -> Path:
    """Replace (or append) the ``calibration`` block at the end of the method file."""
    p = Path(path) if path is not None else CONFIG_FILE
    text = p.read_text(encoding="utf-8")
    marker = f"\n{CALIBRATION_KEY}:"
    head = text.split(marker)[0].rstrip("\n") + "\n"
    dumped = yaml.safe_dump(
        {CALIBRATION_KEY: block}, sort_keys=False, width=100, allow_unicode=True
    )
    p.write_text(head + "\n" + dumped, encoding="utf-8")
    return p


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", action="store_true", help="rewrite the calibration block")
    parser.add_argument("--country", nargs="*", default=[], help="print scores of these ISO3s")
    parser.add_argument("--as-of", default=None)
    args = parser.parse_args(argv)
    if args.calibrate:
        block = calibrate()
        path = write_calibration(block)
        print(f"calibration written to {path}")
    if args.country:
        as_of = args.as_of or pd.Timestamp.today().strftime("%Y-%m-%d")
        res = composite_scores(args.country, as_of)
        with pd.option_context("display.width", 200, "display.max_columns", 40):
            print(res.scores.T)
            print(res.sensitivity.T)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())


__all__ = [
    "CompositeResult",
    "aggregate",
    "build_indicator_panel",
    "calibrate",
    "class_thresholds_from_data",
    "classify",
    "composite_scores",
    "coverage_years",
    "first_order_shares",
    "goalposts_for",
    "goalposts_from_data",
    "indicator_panel",
    "indicator_table",
    "load_method",
    "log_rule",
    "rank_intervals",
    "reliability_score",
    "rescale",
    "table_at",
    "trend_direction",
    "window_panel",
    "window_ratio_panel",
]
