"""Armed conflict loaders: the UCDP/PRIO Armed Conflict Dataset and UCDP Organized Violence.

Each loader reads one registered file (or the official release passed as ``path=``) and returns
a tidy frame whose index is the record number in the file (0-based, header excluded), validated
with a module-level pandera schema. Country keys are ``country_iso3``, mapped from
Gleditsch–Ward numbers through the curated table in ``data/countries/``; historical units
that have no ISO3 (Republic of Vietnam, the GDR, South Yemen...) map to NA without a warning,
because they are listed in that table with an empty ``iso3``.

Derived table: :func:`ucdp_conflict_years` (one row per conflict-year, country and role). The
coup datasets are read by :mod:`osa_analysis.sources.loaders.coups`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.countries import historical_codes, to_iso3
from osa_analysis.core.validation import (
    DataFormatError,
    convert_text_columns,
    read_text_table,
    require_columns,
    sniff_delimiter,
    validate,
)
from osa_analysis.sources.cache import disk_cached
from osa_analysis.sources.fetch import fetch

# --------------------------------------------------------------------------------------------
# UCDP/PRIO Armed Conflict Dataset
# --------------------------------------------------------------------------------------------

ACD_RAW_COLUMNS = [
    "conflict_id", "location", "side_a", "side_a_id", "side_a_2nd", "side_b", "side_b_id",
    "side_b_2nd", "incompatibility", "territory_name", "year", "intensity_level",
    "cumulative_intensity", "type_of_conflict", "start_date", "start_prec", "start_date2",
    "start_prec2", "ep_end", "ep_end_date", "ep_end_prec", "gwno_a", "gwno_a_2nd", "gwno_b",
    "gwno_b_2nd", "gwno_loc", "region", "version",
]  # fmt: skip
"""The 28 columns of the UCDP/PRIO ACD CSV (codebook v25.1), in file order."""

ACD_KINDS = {
    "conflict_id": "int",
    "location": "str",
    "side_a": "str",
    "side_a_id": "str",
    "side_a_2nd": "str",
    "side_b": "str",
    "side_b_id": "str",
    "side_b_2nd": "str",
    "incompatibility": "int",
    "territory_name": "str",
    "year": "int",
    "intensity_level": "int",
    "cumulative_intensity": "bool01",
    "type_of_conflict": "int",
    "start_date": "date",
    "start_prec": "int",
    "start_date2": "date",
    "start_prec2": "int",
    "ep_end": "bool01",
    "ep_end_date": "date",
    "ep_end_prec": "int",
    "gwno_a": "str",
    "gwno_a_2nd": "str",
    "gwno_b": "str",
    "gwno_b_2nd": "str",
    "gwno_loc": "str",
    "region": "str",
    "version": "str",
}
ACD_REQUIRED = (
    "conflict_id", "location", "side_a", "side_b", "incompatibility", "year", "intensity_level",
    "cumulative_intensity", "type_of_conflict", "start_date", "start_date2", "ep_end", "gwno_a",
    "gwno_loc", "region", "version",
)  # fmt: skip

INCOMPATIBILITY_LABELS = {1: "territory", 2: "government", 3: "both"}
INTENSITY_LABELS = {1: "minor", 2: "war"}  # 1: 25-999 battle deaths in the year, 2: >= 1000
CONFLICT_TYPE_LABELS = {
    1: "extrasystemic",
    2: "interstate",
    3: "intrastate",
    4: "internationalised intrastate",
}
REGION_LABELS = {"1": "Europe", "2": "Middle East", "3": "Asia", "4": "Africa", "5": "Americas"}

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_DMY_DATE = r"^\d{1,2}-\d{1,2}-\d{4}$"
_GW_LIST = r"^\d+(\s*,\s*\d+)*$"  # ", "-joined Gleditsch–Ward numbers

ACD_SCHEMA = pa.DataFrameSchema(
    {
        "conflict_id": pa.Column("int64", pa.Check.gt(0)),
        "year": pa.Column("int64", pa.Check.in_range(1946, 2100)),
        "location": pa.Column("string"),
        "side_a": pa.Column("string"),
        "side_a_id": pa.Column("string", nullable=True),
        "side_a_2nd": pa.Column("string", nullable=True),
        "side_b": pa.Column("string"),
        "side_b_id": pa.Column("string", nullable=True),
        "side_b_2nd": pa.Column("string", nullable=True),
        "incompatibility": pa.Column("int64", pa.Check.isin(list(INCOMPATIBILITY_LABELS))),
        "incompatibility_label": pa.Column("string"),
        "territory_name": pa.Column("string", nullable=True),
        "intensity_level": pa.Column("int64", pa.Check.isin(list(INTENSITY_LABELS))),
        "intensity_label": pa.Column("string"),
        "cumulative_intensity": pa.Column("bool"),
        "type_of_conflict": pa.Column("int64", pa.Check.isin(list(CONFLICT_TYPE_LABELS))),
        "type_of_conflict_label": pa.Column("string"),
        "region": pa.Column("string", pa.Check.str_matches(r"^[1-5](, [1-5])*$")),
        "region_label": pa.Column("string"),
        "start_date": pa.Column("datetime64[ns]"),
        "start_prec": pa.Column("Int64", pa.Check.in_range(1, 7), nullable=True),
        "start_date2": pa.Column("datetime64[ns]"),
        "start_prec2": pa.Column("Int64", pa.Check.in_range(1, 7), nullable=True),
        "ep_end": pa.Column("bool"),
        "ep_end_date": pa.Column("datetime64[ns]", nullable=True),
        "ep_end_prec": pa.Column("Int64", pa.Check.in_range(1, 7), nullable=True),
        "gwno_a": pa.Column("string", pa.Check.str_matches(_GW_LIST)),
        "gwno_a_2nd": pa.Column("string", pa.Check.str_matches(_GW_LIST), nullable=True),
        "gwno_b": pa.Column("string", pa.Check.str_matches(_GW_LIST), nullable=True),
        "gwno_b_2nd": pa.Column("string", pa.Check.str_matches(_GW_LIST), nullable=True),
        "gwno_loc": pa.Column("string", pa.Check.str_matches(_GW_LIST)),
        "version": pa.Column("string"),
    },
    checks=[
        # an episode end date is given exactly when the episode ended that year
        pa.Check(lambda df: df["ep_end"] == df["ep_end_date"].notna(), name="ep_end_has_date"),
    ],
    strict=True,
    ordered=True,
)


def _acd_date_format(raw: pd.DataFrame, path: Path) -> str:
    """Detect ISO (official) or d-m-yyyy (Excel re-save) dates from the ``start_date`` column."""
    dates = raw["start_date"].str.strip()
    dates = dates[dates != ""]
    if dates.str.match(_ISO_DATE).all():
        return "%Y-%m-%d"
    if dates.str.match(_DMY_DATE).all():
        return "%d-%m-%Y"
    raise DataFormatError(
        f"{path}: column 'start_date' is neither all yyyy-mm-dd nor all d-m-yyyy "
        f"(e.g. {dates.iloc[0]!r}); unknown date layout."
    )


@disk_cached("ucdp_prio_acd")
def load_ucdp_acd(path: Path | None = None) -> pd.DataFrame:
    """Load the UCDP/PRIO Armed Conflict Dataset (v25.1), one row per conflict-year.

    The registered copy is a reconstruction (``official: false``) with the official layout:
    ``,``-separated, ISO dates, ``""`` for empty fields, one ``territory_name`` holding a
    quoted line break (ETIM 2008, ``"East Turkestan"`` + newline), so a real CSV parser is
    used. The official ``UcdpPrioConflict_v25_1.csv`` from ``ucdp-prio-acd-251-csv.zip`` is
    read the same way via ``path=``. The ``;``-separated Excel re-save with ``d-m-yyyy``
    dates that also circulates is detected (from the header line and the date texts) and read
    too; note that this re-save damaged the ETIM 2008 row and dropped Bangladesh PBCP 2005,
    so prefer the official file.

    Parameters
    ----------
    path : Path, optional
        A file in either layout; default: the registered file (``ucdp_prio_acd``).

    Returns
    -------
    pandas.DataFrame
        Index: record number in the file. Columns:

        - ``conflict_id`` (int), ``year`` (int), ``location`` (as published, may list several
          countries ``", "``-joined)
        - ``side_a``, ``side_a_id``, ``side_a_2nd``, ``side_b``, ``side_b_id``, ``side_b_2nd``:
          actor names and UCDP actor ids as published (``", "``-joined when several); NA when
          empty. Surrounding whitespace is stripped (v25.1 has ``" Government of Zimbabwe
          (Rhodesia)"``).
        - ``incompatibility`` (1–3) and ``incompatibility_label`` (territory, government, both)
        - ``territory_name`` (NA for government conflicts; the trailing newline is stripped)
        - ``intensity_level`` (1: 25–999 battle deaths in the year, 2: at least 1 000) and
          ``intensity_label`` (minor, war); ``cumulative_intensity`` (bool: the conflict has
          reached 1 000 deaths since its start)
        - ``type_of_conflict`` (1–4) and ``type_of_conflict_label`` (extrasystemic, interstate,
          intrastate, internationalised intrastate)
        - ``region`` (raw codes, e.g. ``"1, 3"``) and ``region_label`` (``"Europe, Asia"``)
        - ``start_date``, ``start_date2``, ``ep_end_date`` (datetime64[ns]; ``ep_end_date`` NA
          unless the episode ended that year), ``start_prec``, ``start_prec2``, ``ep_end_prec``
          (precision codes 1–7, Int64; ``ep_end_prec`` is empty throughout v25.1)
        - ``ep_end`` (bool)
        - ``gwno_a``, ``gwno_a_2nd``, ``gwno_b``, ``gwno_b_2nd``, ``gwno_loc``: Gleditsch–Ward
          numbers as published (strings, ``", "``-joined); see :func:`ucdp_conflict_years`
        - ``version`` (e.g. ``"25.1"``)

    Raises
    ------
    DataFormatError
        A column is missing or the date layout is unknown.
    DataValidationError
        A cell cannot be parsed or a value is out of range (record and column listed).
    """
    path = Path(path) if path else fetch("ucdp_prio_acd")
    raw = read_text_table(path, sep=sniff_delimiter(path, (",", ";")))
    require_columns(raw, ACD_RAW_COLUMNS, path)
    date_format = _acd_date_format(raw, path)
    cols = convert_text_columns(
        raw, ACD_KINDS, path, required=ACD_REQUIRED, date_format=date_format
    )

    def label(col: str, labels: dict[int, str]) -> pd.Series:
        return cols[col].map(labels).astype("string")

    tidy = pd.DataFrame(
        {
            "conflict_id": cols["conflict_id"],
            "year": cols["year"],
            "location": cols["location"],
            "side_a": cols["side_a"],
            "side_a_id": cols["side_a_id"],
            "side_a_2nd": cols["side_a_2nd"],
            "side_b": cols["side_b"],
            "side_b_id": cols["side_b_id"],
            "side_b_2nd": cols["side_b_2nd"],
            "incompatibility": cols["incompatibility"],
            "incompatibility_label": label("incompatibility", INCOMPATIBILITY_LABELS),
            "territory_name": cols["territory_name"],
            "intensity_level": cols["intensity_level"],
            "intensity_label": label("intensity_level", INTENSITY_LABELS),
            "cumulative_intensity": cols["cumulative_intensity"],
            "type_of_conflict": cols["type_of_conflict"],
            "type_of_conflict_label": label("type_of_conflict", CONFLICT_TYPE_LABELS),
            "region": cols["region"],
            "region_label": cols["region"].str.replace(
                r"[1-5]", lambda m: REGION_LABELS[m.group(0)], regex=True
            ),
            "start_date": cols["start_date"],
            "start_prec": cols["start_prec"],
            "start_date2": cols["start_date2"],
            "start_prec2": cols["start_prec2"],
            "ep_end": cols["ep_end"],
            "ep_end_date": cols["ep_end_date"],
            "ep_end_prec": cols["ep_end_prec"],
            "gwno_a": cols["gwno_a"],
            "gwno_a_2nd": cols["gwno_a_2nd"],
            "gwno_b": cols["gwno_b"],
            "gwno_b_2nd": cols["gwno_b_2nd"],
            "gwno_loc": cols["gwno_loc"],
            "version": cols["version"],
        },
        index=raw.index,
    )
    # Required columns are complete (checked above), so they can be plain int64/bool.
    for col in ("conflict_id", "year", "incompatibility", "intensity_level", "type_of_conflict"):
        tidy[col] = tidy[col].astype("int64")
    for col in ("cumulative_intensity", "ep_end"):
        tidy[col] = tidy[col].astype("bool")
    return validate(tidy, ACD_SCHEMA, path)


CONFLICT_ROLES = {
    "gwno_loc": "location",
    "gwno_a": "side_a_primary",
    "gwno_a_2nd": "side_a_secondary",
    "gwno_b": "side_b_primary",
    "gwno_b_2nd": "side_b_secondary",
}
"""ACD Gleditsch–Ward column → role of the state in the conflict-year."""

CONFLICT_YEARS_SCHEMA = pa.DataFrameSchema(
    {
        "acd_record": pa.Column("int64"),
        "conflict_id": pa.Column("int64"),
        "year": pa.Column("int64"),
        "gw_code": pa.Column("int64"),
        "country_iso3": pa.Column("string", nullable=True),
        "role": pa.Column("string", pa.Check.isin(list(CONFLICT_ROLES.values()))),
        "type_of_conflict": pa.Column("int64"),
        "intensity_level": pa.Column("int64"),
        "incompatibility": pa.Column("int64"),
    },
    unique=["acd_record", "gw_code", "role"],
    strict=True,
    ordered=True,
)


def ucdp_conflict_years(acd: pd.DataFrame) -> pd.DataFrame:
    """Expand ACD conflict-years to one row per conflict-year, state and role.

    The ``", "``-joined Gleditsch–Ward lists of :func:`load_ucdp_acd` are split, so a brief
    can ask e.g. "is the state a primary party to an active conflict this year?"
    (``role == "side_a_primary"`` or ``"side_b_primary"``) or "is there a conflict on its
    territory?" (``role == "location"``). A state appears once per role it holds (usually the
    government is both ``location`` and ``side_a_primary``).

    Parameters
    ----------
    acd : pandas.DataFrame
        The output of :func:`load_ucdp_acd`.

    Returns
    -------
    pandas.DataFrame
        Fresh 0-based index. Columns ``acd_record`` (the ACD record the row comes from),
        ``conflict_id``, ``year``, ``gw_code`` (int), ``country_iso3`` (NA for historical
        units without ISO3, e.g. 817 Republic of Vietnam, 680 South Yemen, 751 Hyderabad),
        ``role`` (location, side_a_primary, side_a_secondary, side_b_primary,
        side_b_secondary), and the conflict-year's ``type_of_conflict``, ``intensity_level``
        and ``incompatibility`` codes.
    """
    long = (
        acd[list(CONFLICT_ROLES)]
        .rename_axis("acd_record")
        .reset_index()
        .melt(id_vars="acd_record", var_name="column", value_name="codes")
        .dropna(subset=["codes"])
    )
    long["gw_code"] = long["codes"].str.split(",")
    long = long.explode("gw_code")
    long["gw_code"] = long["gw_code"].str.strip()
    long = long[long["gw_code"] != ""]
    long["role"] = long["column"].map(CONFLICT_ROLES).astype("string")
    long["country_iso3"] = to_iso3(
        long["gw_code"], "gw", source="UCDP/PRIO ACD", ignore=historical_codes("gw")
    )
    long["gw_code"] = long["gw_code"].astype("int64")
    context = acd[["conflict_id", "year", "type_of_conflict", "intensity_level", "incompatibility"]]
    out = (
        long.drop_duplicates(["acd_record", "gw_code", "role"])
        .join(context, on="acd_record")
        # melt stacked the role columns; a stable sort groups them by record, roles in order
        .sort_values("acd_record", kind="stable")
        .reset_index(drop=True)
    )
    out["acd_record"] = out["acd_record"].astype("int64")
    columns = list(CONFLICT_YEARS_SCHEMA.columns)
    return validate(out[columns], CONFLICT_YEARS_SCHEMA, "ucdp_conflict_years")


# --------------------------------------------------------------------------------------------
# UCDP Organized Violence country-year
# --------------------------------------------------------------------------------------------


def _orgvio_renames() -> dict[str, str]:
    """Source → tidy names for the 74 Organized Violence columns (explicit, file order)."""
    renames = {
        "country_id_cy": "gw_code",
        "country_cy": "country_name",
        "year_cy": "year",
        "region_cy": "region",
        "main_govt_name_cy": "main_govt_name",
    }
    # state-based (all, intrastate, interstate), non-state and one-sided violence blocks
    for block, total in (
        ("sb", "sb_total_deaths"),
        ("sb_intrastate", "sb_intrastate_deaths"),
        ("sb_interstate", "sb_interstate_deaths"),
        ("ns", "ns_total_deaths"),
    ):
        renames[f"{block}_exist_cy"] = f"{block}_exist"
        renames[f"{block}_dyad_count_cy"] = f"{block}_dyad_count"
        renames[f"{block}_dyad_ids_cy"] = f"{block}_dyad_ids"
        renames[f"{block}_dyad_names_cy"] = f"{block}_dyad_names"
        if block in ("sb_intrastate", "sb_interstate"):
            renames[f"{block}_main_govt_inv_incomp_cy"] = f"{block}_main_govt_inv_incomp"
        deaths = "sb_deaths" if block == "sb" else "ns_deaths" if block == "ns" else total
        for who in ("parties", "civilians", "unknown"):
            renames[f"{deaths}_{who}_cy"] = f"{block}_{who}_deaths"
        for est in ("best", "high", "low"):
            renames[f"{total}_{est}_cy"] = f"{block}_{est}_deaths"
    renames.update(
        {
            "os_exist_cy": "os_exist",
            "os_dyad_count_cy": "os_dyad_count",
            "os_dyad_ids_cy": "os_dyad_ids",
            "os_dyad_names_cy": "os_dyad_names",
        }
    )
    for actor in ("main_govt", "any_govt", "nsgroup"):
        renames[f"os_{actor}_inv_cy"] = f"os_{actor}_inv"
        for est in ("best", "high", "low"):
            renames[f"os_{actor}_killings_{est}_cy"] = f"os_{actor}_{est}_deaths"
    renames["os_killings_unknown_cy"] = "os_unknown_perpetrator_deaths"
    for est in ("best", "high", "low"):
        renames[f"os_total_deaths_{est}_cy"] = f"os_{est}_deaths"
    for who in ("parties", "civilians", "unknown"):
        renames[f"cumulative_total_deaths_{who}_in_orgvio_cy"] = f"orgvio_{who}_deaths"
    for est in ("best", "high", "low"):
        renames[f"cumulative_total_deaths_in_orgvio_{est}_cy"] = f"orgvio_{est}_deaths"
    renames["version"] = "version"
    return renames


ORGVIO_RENAMES = _orgvio_renames()
"""UCDP Organized Violence column → tidy name (74 columns)."""

_ORGVIO_TEXT = {"country_name", "region", "main_govt_name", "version"}
_ORGVIO_DYADS = {c for c in ORGVIO_RENAMES.values() if c.endswith(("_dyad_ids", "_dyad_names"))}
_ORGVIO_FLAGS = {c for c in ORGVIO_RENAMES.values() if c.endswith(("_exist", "_inv", "_incomp"))}
_ORGVIO_COUNTS = set(ORGVIO_RENAMES.values()) - _ORGVIO_TEXT - _ORGVIO_DYADS - _ORGVIO_FLAGS

ORGVIO_REGIONS = ("Africa", "Americas", "Asia", "Europe", "Middle East")

ORGVIO_SCHEMA = pa.DataFrameSchema(
    {
        "gw_code": pa.Column("int64", pa.Check.in_range(2, 999)),
        "country_iso3": pa.Column("string", nullable=True),
        "country_name": pa.Column("string"),
        "year": pa.Column("int64", pa.Check.in_range(1989, 2100)),
        "region": pa.Column("string", pa.Check.isin(ORGVIO_REGIONS)),
        "main_govt_name": pa.Column("string"),
        **{
            name: pa.Column("string", nullable=True)
            for name in ORGVIO_RENAMES.values()
            if name in _ORGVIO_DYADS
        },
        **{name: pa.Column("bool") for name in ORGVIO_RENAMES.values() if name in _ORGVIO_FLAGS},
        **{
            name: pa.Column("int64", pa.Check.ge(0))
            for name in ORGVIO_RENAMES.values()
            if name in _ORGVIO_COUNTS - {"gw_code", "year"}
        },
        "version": pa.Column("string"),
    },
    unique=["gw_code", "year"],
    strict=True,
)


@disk_cached("ucdp_orgviolence_cy")
def load_ucdp_organized_violence(path: Path | None = None) -> pd.DataFrame:
    """Load UCDP Organized Violence Country-Year v25.1, one row per country and year.

    Every country-year 1989–2024 is present, including years without any organized violence:
    zero deaths there are real zeros (UCDP recorded none), not missing values. The file has
    CRLF line ends; the LF-only copy that circulates reads identically. Estimates are kept as
    published even where they are not ordered low ≤ best ≤ high (8 state-based country-years
    in v25.1, e.g. Eritrea 1998, Sri Lanka 1998, Russia 2024).

    Parameters
    ----------
    path : Path, optional
        The CSV; default: the registered file (``ucdp_orgviolence_cy``).

    Returns
    -------
    pandas.DataFrame
        Index: record number. All 74 source columns, renamed (``_cy`` dropped; death counts
        end in ``_deaths``), plus ``country_iso3``:

        - ``gw_code`` (Gleditsch–Ward, from ``country_id_cy``), ``country_iso3`` (NA for
          historical units: 265 GDR, 680 South Yemen, 315 Czechoslovakia...),
          ``country_name`` (``country_cy``), ``year`` (``year_cy``), ``region``
          (``region_cy``), ``main_govt_name`` (``main_govt_name_cy``)
        - per violence type ``sb`` (state-based), ``sb_intrastate``, ``sb_interstate``,
          ``ns`` (non-state): ``<t>_exist`` (bool), ``<t>_dyad_count`` (int),
          ``<t>_dyad_ids`` and ``<t>_dyad_names`` (``"; "``-joined strings; ``NO_DYAD`` → NA),
          ``<t>_parties_deaths``, ``<t>_civilians_deaths``, ``<t>_unknown_deaths`` and
          ``<t>_best_deaths``, ``<t>_low_deaths``, ``<t>_high_deaths`` (int); the two
          ``sb_`` splits also have ``<t>_main_govt_inv_incomp`` (bool)
        - one-sided: ``os_exist``, ``os_dyad_count``, ``os_dyad_ids``, ``os_dyad_names``,
          ``os_main_govt_inv``, ``os_any_govt_inv``, ``os_nsgroup_inv`` (bool), killings
          ``os_{main_govt,any_govt,nsgroup}_{best,high,low}_deaths``,
          ``os_unknown_perpetrator_deaths`` (``os_killings_unknown_cy``) and totals
          ``os_{best,high,low}_deaths``
        - all organized violence (``cumulative_total_deaths_*_in_orgvio_cy``; "cumulative"
          means summed over the three types, not over time): ``orgvio_parties_deaths``,
          ``orgvio_civilians_deaths``, ``orgvio_unknown_deaths``, ``orgvio_best_deaths``,
          ``orgvio_high_deaths``, ``orgvio_low_deaths``
        - ``version``
    """
    path = Path(path) if path else fetch("ucdp_orgviolence_cy")
    raw = read_text_table(path)
    require_columns(raw, list(ORGVIO_RENAMES), path)
    raw = raw.rename(columns=ORGVIO_RENAMES, errors="raise")
    kinds = {
        name: "str"
        if name in _ORGVIO_TEXT | _ORGVIO_DYADS
        else "bool01"
        if name in _ORGVIO_FLAGS
        else "int"
        for name in ORGVIO_RENAMES.values()
    }
    required = tuple(name for name in kinds if name not in _ORGVIO_DYADS)
    cols = convert_text_columns(raw, kinds, path, required=required)
    tidy = pd.DataFrame(cols, index=raw.index)
    for name in _ORGVIO_DYADS:
        tidy[name] = tidy[name].mask(tidy[name] == "NO_DYAD")  # UCDP's "none" marker
    for name in _ORGVIO_COUNTS:
        tidy[name] = tidy[name].astype("int64")
    for name in _ORGVIO_FLAGS:
        tidy[name] = tidy[name].astype("bool")
    tidy.insert(
        1,
        "country_iso3",
        to_iso3(tidy["gw_code"], "gw", source=str(path), ignore=historical_codes("gw")),
    )
    return validate(tidy, ORGVIO_SCHEMA, path)
