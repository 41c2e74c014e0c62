"""OSA recipients: the curated project table and per-country metadata.

Two curated, project-owned files (facts from the project's reference notes, not mirror data):

``data/recipients/osa_projects.csv``
    One row per OSA project (one Exchange of Notes, or one designated candidate), FY2023-FY2025.
``data/recipients/countries.yaml``
    One entry per recipient country: ISO/GW/COW codes, region, OSA fiscal years, default peers,
    ReCAAP and archipelagic flags, V-Dem coverage, with notes and source URLs per fact.

Controlled vocabularies of ``osa_projects.csv``:

``status`` (ordered)
    ``designated_candidate``: named for the fiscal year, no Exchange of Notes found (no amount or
    signing date); ``signed``: notes exchanged, no delivery reported; ``partly_delivered``: some
    items handed over; ``delivered``: the package reported handed over.
``verification``
    ``VERIFIED``: the reference marks the core facts VERIFIED (official release or two
    independent sources); ``CONFLICTING``: the reference reports sources disagreeing on a fact of
    the row (e.g. Bangladesh FY2023 boat count); ``REPORTED``: a core fact (amount, signing date
    or the signing itself) is single-source or unconfirmed. Details are in ``status_detail``.
``recipient_unit_type`` (``;``-joined)
    See :data:`UNIT_TYPES`. For THA and TLS (FY2025) the service is not confirmed by the
    reference; the value reflects the reference's wording.
``equipment_categories`` (``;``-joined)
    See :data:`EQUIPMENT_CATEGORIES`; derived from the ``equipment`` text for scenario relevance
    (e.g. Malaysia FY2023's road-clearing trucks count as ``heavy_machinery``; uniforms,
    radios, binoculars, training mannequins and unspecified rescue gear as ``other``).

Missing values: ``amount_jpy`` and ``signed_date`` are NA for projects without announced
amounts or signed notes (Thailand and Timor-Leste FY2025); they are never filled in, and
:func:`osa_totals` counts them separately instead of adding 0.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pycountry
import yaml

from osa_analysis.core.config import CURATED_DIR
from osa_analysis.core.countries import country_name, iso3_codes
from osa_analysis.core.validation import (
    DataFormatError,
    DataValidationError,
    not_after_today,
    read_csv_named,
    require_columns,
    validate,
)
from osa_analysis.core.yamlio import safe_load

RECIPIENTS_DIR = CURATED_DIR / "recipients"
PROJECTS_FILE = RECIPIENTS_DIR / "osa_projects.csv"
COUNTRIES_FILE = RECIPIENTS_DIR / "countries.yaml"

STATUSES = ("designated_candidate", "signed", "partly_delivered", "delivered")
"""Project status, in order of progress."""

VERIFICATION_LEVELS = ("VERIFIED", "CONFLICTING", "REPORTED")
"""How well the reference supports a project row (see the module docstring)."""

UNIT_TYPES = ("navy", "air_force", "army", "armed_forces", "defence_force", "coast_guard")
"""Vocabulary of ``recipient_unit_type``."""

EQUIPMENT_CATEGORIES = (
    "radar",
    "patrol_boat",
    "rescue_boat",
    "rigid_inflatable_boat",
    "uav",
    "diving_support_vessel",
    "heavy_machinery",
    "infrastructure",
    "ais",
    "air_traffic_control_radar",
    "underwater_camera",
    "other",
)
"""Vocabulary of ``equipment_categories``."""

REGIONS = ("South-East Asia", "South Asia", "East Asia", "Pacific", "East Africa")
"""Vocabulary of the countries' ``region`` (UN M49 sub-regions; Oceania grouped as Pacific)."""

PROJECT_COLUMNS = [
    "project_id",
    "fiscal_year",
    "country_iso3",
    "country_name",
    "recipient_org",
    "recipient_unit_type",
    "amount_jpy",
    "equipment",
    "equipment_categories",
    "signed_date",
    "status",
    "status_detail",
    "sources",
    "verification",
]

COUNTRY_KEYS = [
    "iso3",
    "name",
    "official_name",
    "iso2",
    "iso_numeric",
    "gw_code",
    "cow_code",
    "region",
    "osa_fiscal_years",
    "default_peers",
    "recaap_contracting_party",
    "in_recaap_area",
    "archipelagic_state",
    "vdem_covered",
    "notes",
    "sources",
]
"""Keys every entry of ``countries.yaml`` must have (no others)."""

COUNTRY_RENAMES = {"iso3": "country_iso3", "name": "country_name"}

SOURCE_FACTS = {
    "iso",
    "gw_code",
    "cow_code",
    "region",
    "osa_fiscal_years",
    "recaap_contracting_party",
    "in_recaap_area",
    "archipelagic_state",
    "vdem_covered",
}
"""Facts of ``countries.yaml`` that may carry source URLs (``iso`` covers the ISO codes/names)."""

_URL = re.compile(r"^https?://\S+$")
_PROJECT_ID = re.compile(r"^OSA-FY(\d{4})-([A-Z]{3})-(\d+)$")
_MIN_FISCAL_YEAR = 2023  # OSA was created in April 2023 (FY2023)
OSA_START = "2023-04-01"  # first day of FY2023; no Exchange of Notes can be earlier


# ---------------------------------------------------------------------------------------------
# Checks shared by both tables


def _joined_in(vocabulary: tuple[str, ...], sep: str = ";"):
    """Return an element check: a non-empty ``sep``-joined list of distinct vocabulary terms."""
    allowed = set(vocabulary)

    def check(value: object) -> bool:
        if not isinstance(value, str) or not value:
            return False
        parts = value.split(sep)
        return all(p in allowed for p in parts) and len(set(parts)) == len(parts)

    return check


def _all_urls(value: object) -> bool:
    if not isinstance(value, str) or not value.strip():
        return False
    return all(_URL.match(u.strip()) for u in value.split(" | "))


def _valid_iso3(series: pd.Series) -> pd.Series:
    return series.isin(iso3_codes())


def _in_range(low: int, high: float | None = None) -> pa.Check:
    """Range check that ignores values which failed coercion (reported once, as such)."""

    def check(series: pd.Series) -> pd.Series:
        numbers = pd.to_numeric(series, errors="coerce")
        outside = (numbers < low) | (numbers > high if high is not None else False)
        return ~outside.fillna(False).astype(bool)

    return pa.Check(check, name=f"in_range({low}, {high})" if high else f"at_least_{low}")


def _on_or_after(first: str):
    def check(series: pd.Series) -> pd.Series:
        dates = pd.to_datetime(series, errors="coerce")
        return ~(dates < pd.Timestamp(first)).fillna(False).astype(bool)

    return check


def _problems(df: pd.DataFrame, bad: pd.Series, column: str, check: str) -> list[dict]:
    """Return one failure record per ``True`` in ``bad``, in the validation-failure layout."""
    return [
        {"record": record, "column": column, "check": check, "value": str(df.at[record, column])}
        for record in df.index[bad.to_numpy(dtype=bool)]
    ]


def _validate_with(
    df: pd.DataFrame, schema: pa.DataFrameSchema, source: Path, cross: list[dict]
) -> pd.DataFrame:
    """Apply ``schema`` with :func:`validate` and add cross-column problems to its report.

    Cross-column checks are done here rather than as pandera dataframe-level checks so that
    each problem names one record **and** the column at fault (pandera reports a failing row of
    a wide check as every value of the row, with no column).
    """
    cross_df = pd.DataFrame(cross, columns=["record", "column", "check", "value"])
    try:
        out = validate(df, schema, source)
    except DataValidationError as exc:
        if not cross:
            raise
        failures = pd.concat([exc.failures, cross_df], ignore_index=True)
        raise DataValidationError(str(source), failures) from None
    if cross:
        raise DataValidationError(str(source), cross_df)
    return out


# ---------------------------------------------------------------------------------------------
# Projects

_text = pa.Check.str_length(min_value=1)

PROJECTS_SCHEMA = pa.DataFrameSchema(
    {
        "project_id": pa.Column(str, pa.Check.str_matches(_PROJECT_ID.pattern), unique=True),
        "fiscal_year": pa.Column("int64", _in_range(_MIN_FISCAL_YEAR, 2100), coerce=True),
        "country_iso3": pa.Column(str, pa.Check(_valid_iso3, name="valid_iso3_code")),
        "country_name": pa.Column(str, _text),
        "recipient_org": pa.Column(str, _text),
        "recipient_unit_type": pa.Column(
            str, pa.Check(_joined_in(UNIT_TYPES), element_wise=True, name="unit_type_vocabulary")
        ),
        "amount_jpy": pa.Column("Int64", _in_range(1), coerce=True, nullable=True),
        "equipment": pa.Column(str, _text),
        "equipment_categories": pa.Column(
            str,
            pa.Check(
                _joined_in(EQUIPMENT_CATEGORIES),
                element_wise=True,
                name="equipment_category_vocabulary",
            ),
        ),
        "signed_date": pa.Column(
            "datetime64[ns]",
            [pa.Check(_on_or_after(OSA_START), name=f"on_or_after_{OSA_START}"), not_after_today()],
            coerce=True,
            nullable=True,
        ),
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
        "status_detail": pa.Column(str, _text),
        "sources": pa.Column(
            str, pa.Check(_all_urls, element_wise=True, name="http_urls_joined_by_pipe")
        ),
        "verification": pa.Column(str, pa.Check.isin(VERIFICATION_LEVELS)),
    },
    strict=True,
    ordered=True,
)
"""Schema of the curated OSA project table (cross-column rules: :func:`_project_problems`)."""


def _project_problems(raw: pd.DataFrame) -> list[dict]:
    """Cross-column rules of the project table, on the text as read.

    * ``project_id`` carries the row's fiscal year and ISO3;
    * ``status`` is ``designated_candidate`` exactly when there is no ``signed_date``.
    """
    parts = raw["project_id"].astype("string").str.extract(_PROJECT_ID.pattern)
    id_ok = (parts[0] == raw["fiscal_year"].astype("string")) & (
        parts[1] == raw["country_iso3"].astype("string")
    )
    candidate = raw["status"] == "designated_candidate"
    status_ok = candidate == raw["signed_date"].isna()
    return _problems(
        raw, ~id_ok.fillna(False).astype(bool), "project_id", "matches_fiscal_year_and_iso3"
    ) + _problems(
        raw, ~status_ok.fillna(False).astype(bool), "status", "designated_candidate_iff_unsigned"
    )


def load_osa_projects(path: Path | None = None) -> pd.DataFrame:
    """Load the curated OSA project table, one row per project.

    Parameters
    ----------
    path : Path, optional
        A CSV in the layout of ``data/recipients/osa_projects.csv`` (the default).

    Returns
    -------
    pandas.DataFrame
        Indexed by record number in the file (0-based, header excluded). Columns:

        - ``project_id`` (str): ``OSA-FY<fiscal year>-<ISO3>-<n>``, unique.
        - ``fiscal_year`` (int): Japanese fiscal year (April-March) of the budget, e.g. 2023.
        - ``country_iso3``, ``country_name`` (str): the recipient.
        - ``recipient_org`` (str): receiving organisation as the reference words it.
        - ``recipient_unit_type`` (str): ``;``-joined :data:`UNIT_TYPES`.
        - ``amount_jpy`` (Int64): grant amount in yen; NA when not announced.
        - ``equipment`` (str): what is supplied, as the reference words it.
        - ``equipment_categories`` (str): ``;``-joined :data:`EQUIPMENT_CATEGORIES`.
        - ``signed_date`` (datetime64[ns]): Exchange of Notes date; NaT when none was found.
        - ``status`` (str): one of :data:`STATUSES`.
        - ``status_detail`` (str): the reference's verification text.
        - ``sources`` (str): ``" | "``-joined source URLs (at least one, each http(s)).
        - ``verification`` (str): one of :data:`VERIFICATION_LEVELS`.

    Raises
    ------
    DataFormatError
        A column is missing.
    DataValidationError
        Values fail the schema, listing every record and column at fault.
    """
    path = Path(path) if path else PROJECTS_FILE
    # Only an empty field is missing; everything is read as text so that the schema, not the
    # reader, judges amounts, years and dates (a bad value is then reported with its record).
    raw = read_csv_named(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    require_columns(raw, PROJECT_COLUMNS, path)
    return _validate_with(raw, PROJECTS_SCHEMA, path, _project_problems(raw))


# ---------------------------------------------------------------------------------------------
# Countries


def _is_fiscal_year_list(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and all(v >= _MIN_FISCAL_YEAR for v in value)
        and value == sorted(set(value))
    )


def _is_text_list(value: object, *, allow_empty: bool = False) -> bool:
    return (
        isinstance(value, list)
        and (allow_empty or len(value) > 0)
        and all(isinstance(v, str) and v for v in value)
    )


def _is_sources(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and _is_text_list(v) for k, v in value.items()
    )


_LAYOUT_CHECKS = {
    "osa_fiscal_years": (_is_fiscal_year_list, "an ascending list of fiscal years (int)"),
    "default_peers": (_is_text_list, "a non-empty list of ISO3 codes"),
    "notes": (lambda v: _is_text_list(v, allow_empty=True), "a list of text"),
    "sources": (_is_sources, "a mapping of fact -> list of URLs"),
}
"""Keys whose YAML structure (not scalar values) is checked before the schema."""


def _pycountry_value(iso3: object, attribute: str) -> str | None:
    c = pycountry.countries.get(alpha_3=iso3) if isinstance(iso3, str) else None
    if c is None:
        return None
    if attribute == "country_name":
        return country_name(iso3)
    if attribute == "official_name":
        # pycountry omits official_name where the ISO full name equals the short name.
        return getattr(c, "official_name", c.name)
    return getattr(c, {"iso2": "alpha_2", "iso_numeric": "numeric"}[attribute])


def _country_problems(frame: pd.DataFrame) -> list[dict]:
    """Cross-column rules of the country table.

    * ``country_name``, ``official_name``, ``iso2`` and ``iso_numeric`` are pycountry's values
      for ``country_iso3``;
    * ``default_peers`` are all countries of the file;
    * ``sources`` has URLs for every stated fact and only for known facts.
    """
    problems: list[dict] = []
    for attribute in ("country_name", "official_name", "iso2", "iso_numeric"):
        expected = frame["country_iso3"].map(lambda c, a=attribute: _pycountry_value(c, a))
        bad = expected.astype(object) != frame[attribute].astype(object)
        problems += _problems(frame, bad, attribute, "matches_pycountry_for_country_iso3")
    known = set(frame["country_iso3"])
    bad_peers = frame["default_peers"].map(lambda peers: not set(peers) <= known)
    problems += _problems(frame, bad_peers, "default_peers", "peers_are_listed_recipients")

    def sources_ok(row: pd.Series) -> bool:
        needed = {"iso", "gw_code", "cow_code", "region", "osa_fiscal_years", "vdem_covered"}
        needed |= {f for f in _NULLABLE_FACTS if not pd.isna(row[f])}
        have = set(row["sources"])
        urls_ok = all(_URL.match(u) for urls in row["sources"].values() for u in urls)
        return needed <= have <= SOURCE_FACTS and urls_ok

    bad_sources = ~frame.apply(sources_ok, axis=1).astype(bool)
    problems += _problems(frame, bad_sources, "sources", "http_urls_for_every_stated_fact")
    return problems


_NULLABLE_FACTS = ("recaap_contracting_party", "in_recaap_area", "archipelagic_state")

COUNTRIES_SCHEMA = pa.DataFrameSchema(
    {
        "country_iso3": pa.Column(str, pa.Check(_valid_iso3, name="valid_iso3_code"), unique=True),
        "country_name": pa.Column(str, _text),
        "official_name": pa.Column(str, _text),
        "iso2": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{2}$")),
        "iso_numeric": pa.Column(str, pa.Check.str_matches(r"^\d{3}$")),
        "gw_code": pa.Column("Int64", _in_range(2, 999), coerce=True),
        "cow_code": pa.Column("Int64", _in_range(2, 999), coerce=True),
        "region": pa.Column(str, pa.Check.isin(REGIONS)),
        # List and mapping columns: structure checked on reading (DataFormatError), membership
        # in _country_problems.
        "osa_fiscal_years": pa.Column(object),
        "first_osa_fiscal_year": pa.Column("int64", pa.Check.ge(_MIN_FISCAL_YEAR)),
        "default_peers": pa.Column(object),
        **{f: pa.Column("boolean", nullable=True, coerce=True) for f in _NULLABLE_FACTS},
        "vdem_covered": pa.Column("bool"),
        "notes": pa.Column(object),
        "sources": pa.Column(object),
    },
    strict=True,
    ordered=True,
)
"""Schema of the recipient-country table (cross-column rules: :func:`_country_problems`)."""


def load_recipient_countries(path: Path | None = None) -> pd.DataFrame:
    """Load the recipient-country metadata, one row per country.

    Parameters
    ----------
    path : Path, optional
        A YAML file in the layout of ``data/recipients/countries.yaml`` (the default): a
        top-level ``countries`` list whose entries have exactly the keys in
        :data:`COUNTRY_KEYS`.

    Returns
    -------
    pandas.DataFrame
        Indexed by entry number in the file (0-based). Columns:

        - ``country_iso3``, ``country_name`` (str): YAML ``iso3`` and ``name``.
        - ``official_name``, ``iso2``, ``iso_numeric`` (str): as pycountry gives them
          (``iso_numeric`` zero-padded to 3 characters).
        - ``gw_code``, ``cow_code`` (Int64): Gleditsch-Ward and Correlates of War numbers.
        - ``region`` (str): one of :data:`REGIONS`.
        - ``osa_fiscal_years`` (list of int): fiscal years with an OSA project row, ascending.
        - ``first_osa_fiscal_year`` (int): the first of them.
        - ``default_peers`` (list of str): ISO3 peer set (the four FY2023 recipients).
        - ``recaap_contracting_party``, ``in_recaap_area``, ``archipelagic_state``
          (boolean, NA when the reference does not state it; the reason is in ``notes``).
        - ``vdem_covered`` (bool): the country is a V-Dem v15 unit.
        - ``notes`` (list of str), ``sources`` (dict: fact -> list of URLs).

    Raises
    ------
    DataFormatError
        The file is not a ``countries`` list, or an entry lacks a key, has an unknown one or a
        list/mapping key of the wrong shape (naming the record and key).
    DataValidationError
        Values fail the schema (naming the record and column).
    """
    path = Path(path) if path else COUNTRIES_FILE
    try:
        doc = safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataFormatError(f"{path}: not valid YAML: {exc}") from None
    entries = doc.get("countries") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not entries:
        raise DataFormatError(f"{path}: expected a non-empty top-level 'countries' list")
    for record, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise DataFormatError(f"{path}: record {record} is not a mapping")
        label = f"record {record} ({entry.get('iso3', '?')})"
        missing = [k for k in COUNTRY_KEYS if k not in entry]
        unknown = [k for k in entry if k not in COUNTRY_KEYS]
        if missing:
            raise DataFormatError(f"{path}: {label}: missing key(s) {missing}")
        if unknown:
            raise DataFormatError(f"{path}: {label}: unknown key(s) {unknown}")
        for key, (is_ok, expected) in _LAYOUT_CHECKS.items():
            if not is_ok(entry[key]):
                raise DataFormatError(
                    f"{path}: {label}, key {key!r}: expected {expected}, got {entry[key]!r}"
                )
    frame = pd.DataFrame.from_records(entries, columns=COUNTRY_KEYS)
    frame = frame.rename(columns=COUNTRY_RENAMES, errors="raise")
    # Text keys are not converted: an unquoted YAML number (iso_numeric: 50) fails the schema
    # rather than being silently re-padded.
    frame.insert(
        frame.columns.get_loc("osa_fiscal_years") + 1,
        "first_osa_fiscal_year",
        frame["osa_fiscal_years"].map(min).astype("int64"),
    )
    return _validate_with(frame, COUNTRIES_SCHEMA, path, _country_problems(frame))


# ---------------------------------------------------------------------------------------------
# Cross-file check and API


def check_countries_match_projects(countries: pd.DataFrame, projects: pd.DataFrame) -> None:
    """Check that ``countries.yaml`` and ``osa_projects.csv`` agree.

    Each country's ``osa_fiscal_years`` must equal the fiscal years of its project rows and
    its ``country_name`` the projects' ``country_name``; every project country must be listed.

    Raises
    ------
    DataValidationError
        Naming both files, the country record and the column that disagree.
    """
    by_country = projects.groupby("country_iso3")
    years = by_country["fiscal_year"].agg(lambda s: sorted(set(s.tolist())))
    names = by_country["country_name"].agg(lambda s: sorted(set(s.tolist())))
    problems: list[dict[str, Any]] = []

    def add(record: object, column: str, check: str, value: object) -> None:
        problems.append({"record": record, "column": column, "check": check, "value": str(value)})

    for record, row in countries.iterrows():
        iso3 = row["country_iso3"]
        if iso3 not in years.index:
            add(record, "country_iso3", "has_osa_project_rows", iso3)
            continue
        if list(row["osa_fiscal_years"]) != years[iso3]:
            add(
                record,
                "osa_fiscal_years",
                f"equals_project_years_{years[iso3]}",
                row["osa_fiscal_years"],
            )
        if names[iso3] != [row["country_name"]]:
            add(record, "country_name", f"equals_project_names_{names[iso3]}", row["country_name"])
    for iso3 in sorted(set(years.index) - set(countries["country_iso3"])):
        add(pd.NA, "country_iso3", "lists_every_project_country", iso3)
    if problems:
        raise DataValidationError("countries.yaml vs osa_projects.csv", pd.DataFrame(problems))


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    countries = load_recipient_countries()
    projects = load_osa_projects()
    check_countries_match_projects(countries, projects)
    return countries, projects


def recipients(fiscal_year: int | None = None, *, first_only: bool = False) -> list[str]:
    """Return the ISO3 codes of OSA recipients, in alphabetical order.

    Parameters
    ----------
    fiscal_year : int, optional
        Keep countries with an OSA project (signed, or designated candidate) in this Japanese
        fiscal year; ``None`` returns every recipient.
    first_only : bool, default False
        With ``fiscal_year``, keep only countries whose **first** OSA year it is.

    Returns
    -------
    list of str
        Alphabetical ISO3 codes, e.g. ``recipients(2023) == ["BGD", "FJI", "MYS", "PHL"]``;
        empty for a year without recipients.
    """
    countries, _ = _tables()
    if fiscal_year is None:
        keep = pd.Series(True, index=countries.index)
    elif first_only:
        keep = countries["first_osa_fiscal_year"] == fiscal_year
    else:
        keep = countries["osa_fiscal_years"].map(lambda years: fiscal_year in years)
    return sorted(countries.loc[keep.astype(bool), "country_iso3"].tolist())


def recipient(iso3: str) -> dict[str, Any]:
    """Return one recipient's metadata as a dict (the columns of :func:`load_recipient_countries`).

    Values are plain Python objects; a fact the reference does not state is ``None``.

    Parameters
    ----------
    iso3 : str
        ISO3 code of an OSA recipient (case-insensitive).

    Raises
    ------
    ValueError
        When ``iso3`` is not an OSA recipient, listing the valid codes.
    """
    countries, _ = _tables()
    code = str(iso3).strip().upper()
    match = countries[countries["country_iso3"] == code]
    if match.empty:
        valid = ", ".join(sorted(countries["country_iso3"]))
        raise ValueError(f"{iso3!r} is not an OSA recipient; valid codes: {valid}")
    row = match.iloc[0]
    return {col: _plain(row[col]) for col in countries.columns}


def _plain(value: object) -> object:
    """Return ``value`` as a plain Python object: NA -> None, numpy scalars -> int/bool."""
    if isinstance(value, (list, dict)):
        return value
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def osa_totals(by: str = "fiscal_year", projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sum announced OSA amounts by fiscal year or by country, counting unknown amounts apart.

    Parameters
    ----------
    by : {"fiscal_year", "country"}
        Grouping key.
    projects : pandas.DataFrame, optional
        A table as returned by :func:`load_osa_projects` (default: the curated one).

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by the key. Columns: ``fiscal_year`` (int), or
        ``country_iso3`` and ``country_name``; ``project_count`` (all rows, including
        designated candidates); ``signed_project_count`` (rows with a signing date);
        ``announced_amount_jpy`` (Int64: sum of the **announced** amounts only; NA when no
        amount in the group is announced); ``unknown_amount_count`` (rows whose amount is not
        announced and so not in the sum).

    Raises
    ------
    ValueError
        For another ``by``.
    """
    if by not in ("fiscal_year", "country"):
        raise ValueError(f"by must be 'fiscal_year' or 'country', not {by!r}")
    projects = load_osa_projects() if projects is None else projects
    keys = ["fiscal_year"] if by == "fiscal_year" else ["country_iso3", "country_name"]
    grouped = projects.groupby(keys, sort=True)
    totals = pd.DataFrame(
        {
            "project_count": grouped["project_id"].count(),
            "signed_project_count": grouped["signed_date"].count(),
            # min_count=1: a group whose amounts are all unknown sums to NA, not 0.
            "announced_amount_jpy": grouped["amount_jpy"].sum(min_count=1).astype("Int64"),
            "unknown_amount_count": grouped["amount_jpy"].agg(lambda s: int(s.isna().sum())),
        }
    ).reset_index()
    counts = ["project_count", "signed_project_count", "unknown_amount_count"]
    return totals.astype(dict.fromkeys(counts, "int64"))
