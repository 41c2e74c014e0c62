"""Regime and democracy loaders: V-Dem Episodes of Regime Transformation and V-Dem indices.

Both return one row per country and year, indexed by the record number in the file, with
``country_iso3`` mapped from V-Dem's ``country_text_id`` (ISO3 for all current states). V-Dem's
historical units have no ISO3 and get NA without a warning (:data:`VDEM_HISTORICAL_UNITS`); their
V-Dem code stays in ``vdem_code``. Brunei, Tonga and Samoa are not covered by V-Dem.

:func:`vdem_episodes` turns the ERT episode variables into one row per democratization or
autocratization episode.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.countries import to_iso3
from osa_analysis.core.validation import (
    MISSING_EMPTY_OR_NA,
    convert_text_columns,
    read_text_table,
    require_columns,
    validate,
)
from osa_analysis.sources.cache import disk_cached
from osa_analysis.sources.fetch import fetch

VDEM_HISTORICAL_UNITS = frozenset({"DDR", "PSB", "PSG", "SML", "VDR", "YMD", "ZZB"})
"""V-Dem ``country_text_id`` codes with no ISO3: German Democratic Republic, Palestine/British
Mandate, Palestine/Gaza, Somaliland, Republic of Vietnam, South Yemen, Zanzibar."""

REGIME_LABELS = {
    0: "closed autocracy",
    1: "electoral autocracy",
    2: "electoral democracy",
    3: "liberal democracy",
}
"""Regimes of the World (``v2x_regime``) categories."""

# --------------------------------------------------------------------------------------------
# Episodes of Regime Transformation (ERT)
# --------------------------------------------------------------------------------------------

ERT_RENAMES = {
    "country_id": "vdem_country_id",
    "country_text_id": "vdem_code",
    "country_name": "country_name",
    "year": "year",
    "v2x_regime": "regime",
    "v2x_polyarchy": "polyarchy",
    "v2x_polyarchy_codelow": "polyarchy_low",
    "v2x_polyarchy_codehigh": "polyarchy_high",
    "reg_start_year": "reg_start_year",
    "reg_end_year": "reg_end_year",
    "reg_id": "reg_id",
    "reg_type": "reg_type",
    "reg_trans": "reg_trans",
    "dem_founding_elec": "dem_founding_election_year",
    "aut_founding_elec": "aut_founding_election_year",
    "row_regch_event": "row_regch_event",
    "row_regch_censored": "row_regch_censored",
    "dem_ep": "dem_ep",
    "dem_ep_id": "dem_ep_id",
    "dem_ep_start_year": "dem_ep_start_year",
    "dem_ep_end_year": "dem_ep_end_year",
    "dem_pre_ep_year": "dem_ep_pre_year",
    "dem_ep_termination": "dem_ep_termination",
    "dem_ep_prch": "dem_ep_potential_regime_change",
    "dem_ep_ptr": "dem_ep_post_transition",
    "dem_ep_subdep": "dem_ep_subsequent_deepening",
    "dem_ep_outcome": "dem_ep_outcome",
    "dem_ep_outcome_agg": "dem_ep_outcome_agg",
    "dem_ep_censored": "dem_ep_censored",
    "aut_ep": "aut_ep",
    "aut_ep_id": "aut_ep_id",
    "aut_ep_start_year": "aut_ep_start_year",
    "aut_ep_end_year": "aut_ep_end_year",
    "aut_pre_ep_year": "aut_ep_pre_year",
    "aut_ep_termination": "aut_ep_termination",
    "aut_ep_prch": "aut_ep_potential_regime_change",
    "aut_ep_pbr": "aut_ep_post_breakdown",
    "aut_ep_subreg": "aut_ep_subsequent_regression",
    "aut_ep_outcome": "aut_ep_outcome",
    "aut_ep_outcome_agg": "aut_ep_outcome_agg",
    "aut_ep_censored": "aut_ep_censored",
}
"""ERT v15 column → tidy name (the 41 data columns; the R row number is dropped)."""

_ERT_TEXT = {"vdem_code", "country_name", "reg_id", "dem_ep_id", "aut_ep_id"}
_ERT_FLOAT = {"polyarchy", "polyarchy_low", "polyarchy_high"}
_ERT_BOOL = {
    # always 0/1
    "dem_ep", "dem_ep_pre_year", "dem_ep_censored", "aut_ep", "aut_ep_pre_year",
    "aut_ep_censored",
}  # fmt: skip
_ERT_NULLABLE_BOOL = {
    # 0/1, NA outside episodes (or outside regime changes)
    "row_regch_censored", "dem_ep_potential_regime_change", "dem_ep_post_transition",
    "dem_ep_subsequent_deepening", "aut_ep_potential_regime_change", "aut_ep_post_breakdown",
    "aut_ep_subsequent_regression",
}  # fmt: skip
_ERT_REQUIRED = ("vdem_country_id", "vdem_code", "country_name", "year")


def _year_column(nullable: bool = True) -> pa.Column:
    return pa.Column("Int64", pa.Check.in_range(1789, 2100), nullable=nullable)


def _share(nullable: bool = True) -> pa.Column:
    return pa.Column("float64", pa.Check.in_range(0, 1), nullable=nullable)


ERT_SCHEMA = pa.DataFrameSchema(
    {
        "country_iso3": pa.Column("string", nullable=True),
        "vdem_code": pa.Column("string", pa.Check.str_matches(r"^[A-Z]{3}$")),
        "country_name": pa.Column("string"),
        "vdem_country_id": pa.Column("int64", pa.Check.gt(0)),
        "year": pa.Column("int64", pa.Check.in_range(1789, 2100)),
        "regime": pa.Column("Int64", pa.Check.isin(list(REGIME_LABELS)), nullable=True),
        "regime_label": pa.Column("string", nullable=True),
        "polyarchy": _share(),
        "polyarchy_low": _share(),
        "polyarchy_high": _share(),
        "reg_start_year": _year_column(),
        "reg_end_year": _year_column(),
        "reg_id": pa.Column("string", nullable=True),
        "reg_type": pa.Column("Int64", pa.Check.isin([0, 1]), nullable=True),
        "reg_trans": pa.Column("Int64", pa.Check.isin([-1, 0, 1]), nullable=True),
        "dem_founding_election_year": _year_column(),
        "aut_founding_election_year": _year_column(),
        "row_regch_event": pa.Column("Int64", pa.Check.isin([-1, 0, 1]), nullable=True),
        "row_regch_censored": pa.Column("boolean", nullable=True),
        **{
            f"{kind}_{name}": column
            for kind in ("dem", "aut")
            for name, column in {
                "ep": pa.Column("bool"),
                "ep_id": pa.Column("string", nullable=True),
                "ep_start_year": _year_column(),
                "ep_end_year": _year_column(),
                "ep_pre_year": pa.Column("bool"),
                "ep_termination": pa.Column("Int64", pa.Check.in_range(0, 4), nullable=True),
            }.items()
        },
        "dem_ep_potential_regime_change": pa.Column("boolean", nullable=True),
        "dem_ep_post_transition": pa.Column("boolean", nullable=True),
        "dem_ep_subsequent_deepening": pa.Column("boolean", nullable=True),
        "aut_ep_potential_regime_change": pa.Column("boolean", nullable=True),
        "aut_ep_post_breakdown": pa.Column("boolean", nullable=True),
        "aut_ep_subsequent_regression": pa.Column("boolean", nullable=True),
        **{
            f"{kind}_{name}": column
            for kind in ("dem", "aut")
            for name, column in {
                "ep_outcome": pa.Column("Int64", pa.Check.in_range(0, 6)),
                "ep_outcome_agg": pa.Column("Int64", pa.Check.in_range(0, 4)),
                "ep_censored": pa.Column("bool"),
            }.items()
        },
    },
    unique=["vdem_country_id", "year"],
    strict=True,
)


def _regime_label(regime: pd.Series) -> pd.Series:
    return regime.map(REGIME_LABELS).astype("string")


def _vdem_iso3(codes: pd.Series, path: Path) -> pd.Series:
    return to_iso3(codes, "iso3", source=str(path), ignore=VDEM_HISTORICAL_UNITS)


@disk_cached("vdem_ert")
def load_vdem_ert(path: Path | None = None) -> pd.DataFrame:
    """Load V-Dem's Episodes of Regime Transformation (ERT v15), one row per country-year.

    The file (``inst/ert.csv`` of the ERT R package) is LF-separated with ``NA`` for missing
    values and an unnamed first column holding R's row number, which is dropped.

    Parameters
    ----------
    path : Path, optional
        The CSV; default: the registered file (``vdem_ert``).

    Returns
    -------
    pandas.DataFrame
        Index: record number. Columns (ERT codebook name in parentheses where it differs):

        - ``country_iso3`` (NA for historical units DDR, PSB, PSG, SML, VDR, YMD, ZZB),
          ``vdem_code`` (``country_text_id``), ``country_name``, ``vdem_country_id``
          (``country_id``), ``year`` (int)
        - ``regime`` (``v2x_regime``, Int64 0–3) and ``regime_label`` (closed autocracy,
          electoral autocracy, electoral democracy, liberal democracy)
        - ``polyarchy``, ``polyarchy_low``, ``polyarchy_high`` (``v2x_polyarchy`` and its
          ``_codelow``/``_codehigh`` bounds, 0–1)
        - regime spells: ``reg_start_year``, ``reg_end_year``, ``reg_id``, ``reg_type``
          (0 autocracy, 1 democracy), ``reg_trans`` (−1, 0, 1),
          ``dem_founding_election_year``, ``aut_founding_election_year``
          (``*_founding_elec``), ``row_regch_event`` (−1, 0, 1), ``row_regch_censored``
        - per episode kind ``dem`` (democratization) and ``aut`` (autocratization):
          ``<k>_ep`` (bool), ``<k>_ep_id``, ``<k>_ep_start_year``, ``<k>_ep_end_year``,
          ``<k>_ep_pre_year`` (``<k>_pre_ep_year``, bool), ``<k>_ep_termination`` (0–4),
          ``<k>_ep_potential_regime_change`` (``<k>_ep_prch``), ``<k>_ep_outcome`` (0–6),
          ``<k>_ep_outcome_agg`` (0–4), ``<k>_ep_censored`` (bool); plus
          ``dem_ep_post_transition`` (``dem_ep_ptr``), ``dem_ep_subsequent_deepening``
          (``dem_ep_subdep``), ``aut_ep_post_breakdown`` (``aut_ep_pbr``) and
          ``aut_ep_subsequent_regression`` (``aut_ep_subreg``)

        Years are Int64 and NA where ERT has ``NA``; 0/1 flags that ERT leaves ``NA``
        outside episodes are nullable booleans.
    """
    path = Path(path) if path else fetch("vdem_ert")
    raw = read_text_table(path)
    # R's row-number column: header "" (pandas names it "Unnamed: 0"); absent in re-exports
    raw = raw.drop(columns=[c for c in raw.columns if c in ("", "Unnamed: 0")])
    require_columns(raw, list(ERT_RENAMES), path)
    raw = raw.rename(columns=ERT_RENAMES, errors="raise")
    kinds = {
        name: "str"
        if name in _ERT_TEXT
        else "float"
        if name in _ERT_FLOAT
        else "bool01"
        if name in _ERT_BOOL | _ERT_NULLABLE_BOOL
        else "int"
        for name in ERT_RENAMES.values()
    }
    required = _ERT_REQUIRED + tuple(_ERT_BOOL)
    cols = convert_text_columns(raw, kinds, path, required=required, missing=MISSING_EMPTY_OR_NA)
    tidy = pd.DataFrame(cols, index=raw.index)
    tidy["vdem_country_id"] = tidy["vdem_country_id"].astype("int64")
    tidy["year"] = tidy["year"].astype("int64")
    for name in _ERT_BOOL:
        tidy[name] = tidy[name].astype("bool")
    tidy.insert(0, "country_iso3", _vdem_iso3(tidy["vdem_code"], path))
    tidy.insert(tidy.columns.get_loc("regime") + 1, "regime_label", _regime_label(tidy["regime"]))
    # keys first (file order has country_id before country_text_id), then file order
    keys = ["country_iso3", "vdem_code", "country_name", "vdem_country_id", "year"]
    tidy = tidy[keys + [c for c in tidy.columns if c not in keys]]
    return validate(tidy, ERT_SCHEMA, path)


DEM_OUTCOMES = {
    1: "democratic transition",
    2: "preempted democratic transition",
    3: "stabilized electoral autocracy",
    4: "reverted liberalization",
    5: "deepened democracy",
}
"""ERT ``dem_ep_outcome`` codes (6, outcome censored, has no label: the outcome is NA)."""

AUT_OUTCOMES = {
    1: "democratic breakdown",
    2: "preempted democratic breakdown",
    3: "diminished democracy",
    4: "averted regression",
    5: "regressed autocracy",
}
"""ERT ``aut_ep_outcome`` codes (6, outcome censored, has no label: the outcome is NA)."""

DEM_TERMINATIONS = {
    0: "ongoing",
    1: "stasis",
    2: "sharp decline",
    3: "gradual decline",
    4: "breakdown",
}
"""ERT ``dem_ep_termination``: how the episode ended (0: not yet, censored)."""

AUT_TERMINATIONS = {
    0: "ongoing",
    1: "stasis",
    2: "sharp increase",
    3: "gradual increase",
    4: "democratic transition",
}
"""ERT ``aut_ep_termination``: how the episode ended (0: not yet, censored)."""

EPISODE_KINDS = {"dem": "democratization", "aut": "autocratization"}

EPISODES_SCHEMA = pa.DataFrameSchema(
    {
        "country_iso3": pa.Column("string", nullable=True),
        "vdem_code": pa.Column("string"),
        "country_name": pa.Column("string"),
        "kind": pa.Column("string", pa.Check.isin(list(EPISODE_KINDS.values()))),
        "episode_id": pa.Column("string"),
        "start_year": pa.Column("int64"),
        "end_year": pa.Column("int64"),
        "termination": pa.Column("string", nullable=True),
        "potential_regime_change": pa.Column("boolean", nullable=True),
        "outcome_code": pa.Column("int64", pa.Check.in_range(1, 6)),
        "outcome": pa.Column("string", nullable=True),
        "censored": pa.Column("bool"),
    },
    checks=[pa.Check(lambda df: df["start_year"] <= df["end_year"], name="start_before_end")],
    unique=["episode_id", "kind"],
    strict=True,
    ordered=True,
)


def vdem_episodes(ert: pd.DataFrame) -> pd.DataFrame:
    """Summarise ERT into one row per democratization or autocratization episode.

    An episode is the run of country-years with ``<k>_ep`` true that share ``<k>_ep_id``
    (the pre-episode year is excluded). Outcome codes follow the ERT codebook and the ERT R
    package (``get_eps``).

    Parameters
    ----------
    ert : pandas.DataFrame
        The output of :func:`load_vdem_ert`.

    Returns
    -------
    pandas.DataFrame
        Fresh 0-based index, sorted by country, kind and start year. Columns
        ``country_iso3``, ``vdem_code``, ``country_name``, ``kind`` (democratization,
        autocratization), ``episode_id`` (ERT id ``<code>_<start>_<end>``), ``start_year``,
        ``end_year`` (int), ``termination`` (democratization: ongoing, stasis, sharp decline,
        gradual decline, breakdown; autocratization: ongoing, stasis, sharp increase, gradual
        increase, democratic transition), ``potential_regime_change`` (the episode began in an
        autocracy for democratization, in a democracy for autocratization),
        ``outcome_code`` (1–6) and ``outcome`` (democratization: democratic transition,
        preempted democratic transition, stabilized electoral autocracy, reverted
        liberalization, deepened democracy; autocratization: democratic breakdown, preempted
        democratic breakdown, diminished democracy, averted regression, regressed autocracy;
        NA when the outcome is censored, code 6), ``censored`` (bool: the episode was still
        open at the end of coding or before a gap).
    """
    frames = []
    for k, kind in EPISODE_KINDS.items():
        rows = ert[ert[f"{k}_ep"]]
        grouped = rows.groupby(f"{k}_ep_id", sort=False)
        summary = grouped.agg(
            country_iso3=("country_iso3", "first"),
            vdem_code=("vdem_code", "first"),
            country_name=("country_name", "first"),
            start_year=(f"{k}_ep_start_year", "first"),
            end_year=(f"{k}_ep_end_year", "first"),
            termination_code=(f"{k}_ep_termination", "first"),
            potential_regime_change=(f"{k}_ep_potential_regime_change", "first"),
            outcome_code=(f"{k}_ep_outcome", "first"),
            censored=(f"{k}_ep_censored", "max"),
        )
        outcomes = DEM_OUTCOMES if k == "dem" else AUT_OUTCOMES
        terminations = DEM_TERMINATIONS if k == "dem" else AUT_TERMINATIONS
        summary["kind"] = kind
        summary["episode_id"] = summary.index
        summary["termination"] = summary["termination_code"].map(terminations)
        summary["outcome"] = summary["outcome_code"].map(outcomes)
        frames.append(summary.reset_index(drop=True))
    episodes = pd.concat(frames, ignore_index=True)
    for col in ("country_iso3", "vdem_code", "country_name", "kind", "episode_id"):
        episodes[col] = episodes[col].astype("string")
    for col in ("termination", "outcome"):
        episodes[col] = episodes[col].astype("string")
    for col in ("start_year", "end_year", "outcome_code"):
        episodes[col] = episodes[col].astype("int64")
    episodes["potential_regime_change"] = episodes["potential_regime_change"].astype("boolean")
    episodes["censored"] = episodes["censored"].astype("bool")
    episodes = episodes.sort_values(["vdem_code", "kind", "start_year"], kind="stable").reset_index(
        drop=True
    )
    return validate(episodes[list(EPISODES_SCHEMA.columns)], EPISODES_SCHEMA, "vdem_episodes")


# --------------------------------------------------------------------------------------------
# V-Dem high-level indices
# --------------------------------------------------------------------------------------------

INDICES_RENAMES = {
    "country_name": "country_name",
    "country_text_id": "vdem_code",
    "country_id": "vdem_country_id",
    "year": "year",
    "v2x_polyarchy": "polyarchy",
    "v2x_libdem": "libdem",
    "v2x_partipdem": "partipdem",
    "v2x_delibdem": "delibdem",
    "v2x_egaldem": "egaldem",
    "v2x_regime": "regime",
}
"""V-Dem column → tidy name for the indices table (same names in the subset and in Core)."""

INDICES_SCHEMA = pa.DataFrameSchema(
    {
        "country_iso3": pa.Column("string", nullable=True),
        "vdem_code": pa.Column("string", pa.Check.str_matches(r"^[A-Z]{3}$")),
        "vdem_country_id": pa.Column("int64", pa.Check.gt(0)),
        "country_name": pa.Column("string"),
        "year": pa.Column("int64", pa.Check.in_range(1789, 2100)),
        "polyarchy": _share(),
        "libdem": _share(),
        "partipdem": _share(),
        "delibdem": _share(),
        "egaldem": _share(),
        "regime": pa.Column("Int64", pa.Check.isin(list(REGIME_LABELS)), nullable=True),
        "regime_label": pa.Column("string", nullable=True),
    },
    unique=["vdem_country_id", "year"],
    strict=True,
    ordered=True,
)


def load_vdem_indices(path: Path | None = None) -> pd.DataFrame:
    """Load V-Dem v15 high-level democracy indices, one row per country-year.

    The registered file is **not an official release**: a 28-country subset (Asia-Pacific
    plus AUS, NZL, USA; 1960–2024, BGD from 1971) whose V-Dem columns are unchanged and whose
    ``v2x_regime`` is joined from ERT v15; no URL returns these bytes. The official
    V-Dem-CY-Core v15 CSV (``V-Dem-CY-Core-v15.csv`` from https://www.v-dem.net/data/, all
    countries, hundreds of columns) is read via ``path=``: the same column names are
    selected from it and the rest ignored. Missing values are empty cells (``NA`` is also
    accepted) and stay NA (e.g. ``v2x_libdem`` 39 and ``v2x_partipdem`` 42 cells in the
    subset).

    Parameters
    ----------
    path : Path, optional
        The subset or an official V-Dem CY(-Core) CSV; default: the registered file
        (``vdem_indices``).

    Returns
    -------
    pandas.DataFrame
        Index: record number in the file. Columns ``country_iso3`` (NA for V-Dem historical
        units), ``vdem_code`` (``country_text_id``), ``vdem_country_id`` (``country_id``),
        ``country_name``, ``year`` (int), the 0–1 indices ``polyarchy`` (electoral,
        ``v2x_polyarchy``), ``libdem`` (liberal), ``partipdem`` (participatory), ``delibdem``
        (deliberative), ``egaldem`` (egalitarian), ``regime`` (``v2x_regime``, Int64 0–3) and
        ``regime_label``.
    """
    path = Path(path) if path else fetch("vdem_indices")
    header = pd.read_csv(path, nrows=0, encoding="utf-8-sig")
    require_columns(header, list(INDICES_RENAMES), path)
    # The official Core file has hundreds of columns: read only the ones needed.
    raw = pd.read_csv(
        path,
        usecols=list(INDICES_RENAMES),
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
    )
    raw = raw[list(INDICES_RENAMES)].rename(columns=INDICES_RENAMES, errors="raise")
    kinds = {
        "country_name": "str",
        "vdem_code": "str",
        "vdem_country_id": "int",
        "year": "int",
        **dict.fromkeys(["polyarchy", "libdem", "partipdem", "delibdem", "egaldem"], "float"),
        "regime": "int",
    }
    cols = convert_text_columns(
        raw, kinds, path, required=_ERT_REQUIRED, missing=MISSING_EMPTY_OR_NA
    )
    tidy = pd.DataFrame(cols, index=raw.index)
    tidy["vdem_country_id"] = tidy["vdem_country_id"].astype("int64")
    tidy["year"] = tidy["year"].astype("int64")
    tidy.insert(0, "country_iso3", _vdem_iso3(tidy["vdem_code"], path))
    tidy["regime_label"] = _regime_label(tidy["regime"])
    order = list(INDICES_SCHEMA.columns)
    return validate(tidy[order], INDICES_SCHEMA, path)
