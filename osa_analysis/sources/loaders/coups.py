"""Coup loaders: the Powell & Thyne list and the Cline Center Coup d'État Project.

Each loader reads one registered file (or the official release passed as ``path=``) and returns
a tidy frame whose index is the record number in the file (0-based, header excluded), validated
with a module-level pandera schema. Country keys are ``country_iso3``, mapped from Correlates
of War numbers through ``data/countries/correlates_of_war.csv``; historical units with no ISO3
map to NA without a warning. :func:`coup_events` stacks both datasets, labelled by source,
never merged.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.countries import historical_codes, to_iso3
from osa_analysis.core.validation import (
    DataValidationError,
    convert_text_columns,
    not_after_today,
    read_text_table,
    require_columns,
    sniff_delimiter,
    validate,
)
from osa_analysis.sources.cache import disk_cached
from osa_analysis.sources.fetch import fetch

# --------------------------------------------------------------------------------------------
# Coups: Powell & Thyne
# --------------------------------------------------------------------------------------------

PT_RAW_COLUMNS = [
    "country", "ccode", "ccode_gw", "ccode_polity", "year", "month", "day", "coup", "version",
]  # fmt: skip
PT_OUTCOMES = {2: "successful", 1: "failed"}

PT_SCHEMA = pa.DataFrameSchema(
    {
        "country_iso3": pa.Column("string", nullable=True),
        "country_name": pa.Column("string"),
        "cow_code": pa.Column("int64", pa.Check.in_range(2, 999)),
        "gw_code": pa.Column("Int64", nullable=True),
        "polity_code": pa.Column("Int64", nullable=True),
        "date": pa.Column("datetime64[ns]", not_after_today()),
        "year": pa.Column("int64", pa.Check.in_range(1950, 2100)),
        "outcome": pa.Column("string", pa.Check.isin(list(PT_OUTCOMES.values()))),
        "version": pa.Column("string"),
    },
    strict=True,
    ordered=True,
)


def _assemble_dates(
    year: pd.Series, month: pd.Series, day: pd.Series, path: Path, columns: str
) -> pd.Series:
    """Build datetime64[ns] dates from Int64 parts; report impossible dates (e.g. 31 Feb)."""
    parts = pd.DataFrame({"year": year, "month": month, "day": day})
    complete = parts.notna().all(axis=1)
    dates = pd.to_datetime(parts[complete], errors="coerce").astype("datetime64[ns]")
    bad = dates.isna()
    if bad.any():
        shown = parts[complete][bad].astype("string").agg("-".join, axis=1)
        failures = pd.DataFrame(
            {
                "record": shown.index,
                "column": columns,
                "check": "be a calendar date",
                "value": shown.to_numpy(),
            }
        )
        raise DataValidationError(str(path), failures)
    return dates.reindex(parts.index)


@disk_cached("coups_powell_thyne")
def load_coups_powell_thyne(path: Path | None = None) -> pd.DataFrame:
    """Load the Powell & Thyne global coups list (V2023.09.08), one row per coup attempt.

    The registered file is named ``.csv`` but is **tab-separated** (ASCII, CRLF, quoted
    strings), like the canonical ``powell_thyne_coups_final.txt``; the delimiter (tab or
    comma) is detected from the header line, so either can be passed via ``path=``.

    Kept as published: Niger 2023 is dated 26 June 2023 although the coup was on 26 July
    (a coding slip in V2023.09.08); South Vietnam appears as "Republic of Vietnam" (COW 817),
    a historical unit with no ISO3, so its ``country_iso3`` is NA while ``country_name`` keeps
    the published name.

    Parameters
    ----------
    path : Path, optional
        Tab- or comma-separated file; default: the registered file (``coups_powell_thyne``).

    Returns
    -------
    pandas.DataFrame
        Index: record number. Columns ``country_iso3`` (via COW; NA for historical units),
        ``country_name`` (as published), ``cow_code`` (int), ``gw_code`` (``ccode_gw``; always
        empty in this version, so NA), ``polity_code`` (``ccode_polity``; set in 8 rows),
        ``date`` (datetime64[ns]), ``year`` (int), ``outcome`` (``successful`` for code 2,
        ``failed`` for code 1), ``version``.
    """
    path = Path(path) if path else fetch("coups_powell_thyne")
    raw = read_text_table(path, sep=sniff_delimiter(path, ("\t", ",")))
    require_columns(raw, PT_RAW_COLUMNS, path)
    kinds = {
        "country": "str",
        "ccode": "int",
        "ccode_gw": "int",
        "ccode_polity": "int",
        "year": "int",
        "month": "int",
        "day": "int",
        "coup": "int",
        "version": "str",
    }
    required = ("country", "ccode", "year", "month", "day", "coup", "version")
    cols = convert_text_columns(raw, kinds, path, required=required)
    cow = cols["ccode"].astype("int64")
    tidy = pd.DataFrame(
        {
            "country_iso3": to_iso3(cow, "cow", source=str(path), ignore=historical_codes("cow")),
            "country_name": cols["country"],
            "cow_code": cow,
            "gw_code": cols["ccode_gw"],
            "polity_code": cols["ccode_polity"],
            "date": _assemble_dates(
                cols["year"], cols["month"], cols["day"], path, "year-month-day"
            ),
            "year": cols["year"].astype("int64"),
            # unknown codes stay NA and fail the schema's isin check with their record
            "outcome": cols["coup"].map(PT_OUTCOMES).astype("string"),
            "version": cols["version"],
        },
        index=raw.index,
    )
    return validate(tidy, PT_SCHEMA, path)


# --------------------------------------------------------------------------------------------
# Coups: Cline Center Coup d'État Project
# --------------------------------------------------------------------------------------------

CLINE_FLAGS = [
    "unrealized", "realized", "conspiracy", "attempt", "military", "dissident", "rebel",
    "palace", "foreign", "auto", "resign", "popular", "counter", "other", "noharm", "injured",
    "killed", "harrest", "jailed", "tried", "fled", "exile",
]  # fmt: skip
"""The 22 0/1 event flags of the Cline Center data (see its codebook)."""

CLINE_RAW_COLUMNS = [
    "coup_id", "cowcode", "country", "year", "month", "day", "event_type", *CLINE_FLAGS,
]  # fmt: skip
CLINE_EVENT_TYPES = ("coup", "attempted", "conspiracy")

CLINE_COWCODE_ERRATA = {
    # (published cowcode, published country) -> COW code. Both codes exist in no COW list;
    # the coup_id prefix (490...) and the country name show the intended state.
    (480, "Democratic Republic of the Congo"): 490,
    (393, "Russia"): 365,
}
"""Typos in Cline v2.0.0 ``cowcode`` that the loader corrects (documented in the docstring)."""

CLINE_SCHEMA = pa.DataFrameSchema(
    {
        "coup_id": pa.Column("string", pa.Check.str_matches(r"^\d+[a-z]?$")),  # 53002031977a
        "country_iso3": pa.Column("string", nullable=True),
        "cow_code": pa.Column("int64", pa.Check.in_range(2, 999)),
        "country_name": pa.Column("string"),
        "year": pa.Column("int64", pa.Check.in_range(1900, 2100)),
        "month": pa.Column("Int64", pa.Check.in_range(1, 12), nullable=True),
        "day": pa.Column("Int64", pa.Check.in_range(1, 31), nullable=True),
        "date": pa.Column("datetime64[ns]", not_after_today(), nullable=True),
        "date_precision": pa.Column("string", pa.Check.isin(["day", "month", "year"])),
        "event_type": pa.Column("string", pa.Check.isin(CLINE_EVENT_TYPES)),
        **{flag: pa.Column("bool") for flag in CLINE_FLAGS},
    },
    checks=[
        pa.Check(
            lambda df: (df["event_type"] == "coup") == df["realized"],
            name="coup_iff_realized",
        )
    ],
    unique=["coup_id"],
    strict=True,
    ordered=True,
)


@disk_cached("coups_cline")
def load_coups_cline(path: Path | None = None) -> pd.DataFrame:
    """Load the Cline Center Coup d'État Project data (v2.0.0), one row per event.

    Events are realized coups, attempts and conspiracies (``event_type``), including
    auto-coups and popular-revolt ousters. Later versions (v2.1.x, to 2022–24) have the same
    layout and are read via ``path=``.

    Quirks handled:

    - ``month`` and ``day`` are sometimes zero-padded (``"05"``); ``day`` ``00`` means the day
      is unknown: ``day`` and ``date`` are then NA and ``date_precision`` is ``"month"``
      (``"year"`` if the month is unknown too), otherwise ``"day"``.
    - ``cowcode`` typos are corrected (:data:`CLINE_COWCODE_ERRATA`): DR Congo 2013 published
      as 480 → 490, Russia 1993 as 393 → 365.
    - The 2007-11-29 attempt coded 840 (Philippines; coup id 84011292007, the Manila Peninsula
      mutiny) is published with country "Zimbabwe"; ``country_iso3`` follows the code (PHL)
      and ``country_name`` is kept as published. Other name typos ("Ecudaor") are kept too.
    - Historical units without ISO3 (GDR 265, Republic of Vietnam 817, South Yemen 680,
      Czechoslovakia 315) get NA ``country_iso3``.

    Parameters
    ----------
    path : Path, optional
        The CSV; default: the registered file (``coups_cline``).

    Returns
    -------
    pandas.DataFrame
        Index: record number. Columns ``coup_id`` (string), ``country_iso3``, ``cow_code``
        (int, errata corrected), ``country_name`` (as published), ``year`` (int), ``month``,
        ``day`` (Int64; NA when unknown), ``date`` (datetime64[ns]; NA unless the day is
        known), ``date_precision`` (day, month, year), ``event_type`` (coup, attempted,
        conspiracy) and the 22 flags as bool: ``unrealized``, ``realized``, ``conspiracy``,
        ``attempt``, ``military``, ``dissident``, ``rebel``, ``palace``, ``foreign``, ``auto``,
        ``resign``, ``popular``, ``counter``, ``other``, ``noharm``, ``injured``, ``killed``,
        ``harrest``, ``jailed``, ``tried``, ``fled``, ``exile``.
    """
    path = Path(path) if path else fetch("coups_cline")
    raw = read_text_table(path)
    require_columns(raw, CLINE_RAW_COLUMNS, path)
    kinds = {
        "coup_id": "str",
        "cowcode": "int",
        "country": "str",
        "year": "int",
        "month": "int",
        "day": "int",
        "event_type": "str",
        **dict.fromkeys(CLINE_FLAGS, "bool01"),
    }
    required = ("coup_id", "cowcode", "country", "year", "event_type", *CLINE_FLAGS)
    cols = convert_text_columns(raw, kinds, path, required=required)
    cow = cols["cowcode"].astype("int64")
    for (wrong, country), right in CLINE_COWCODE_ERRATA.items():
        cow = cow.mask((cow == wrong) & (cols["country"] == country), right)
    # 0 (from "00") means unknown
    month = cols["month"].mask(cols["month"] == 0)
    day = cols["day"].mask(cols["day"] == 0)
    known_day = month.notna() & day.notna()
    date = _assemble_dates(
        cols["year"], month.where(known_day), day.where(known_day), path, "year-month-day"
    )
    precision = pd.Series("year", index=raw.index, dtype="string")
    precision = precision.mask(month.notna(), "month").mask(known_day, "day")
    tidy = pd.DataFrame(
        {
            "coup_id": cols["coup_id"],
            "country_iso3": to_iso3(cow, "cow", source=str(path), ignore=historical_codes("cow")),
            "cow_code": cow,
            "country_name": cols["country"],
            "year": cols["year"].astype("int64"),
            "month": month,
            "day": day,
            "date": date,
            "date_precision": precision,
            "event_type": cols["event_type"],
            **{flag: cols[flag].astype("bool") for flag in CLINE_FLAGS},
        },
        index=raw.index,
    )
    return validate(tidy, CLINE_SCHEMA, path)


# --------------------------------------------------------------------------------------------
# Both coup datasets, side by side
# --------------------------------------------------------------------------------------------

COUP_EVENTS_SCHEMA = pa.DataFrameSchema(
    {
        "source": pa.Column("string", pa.Check.isin(["coups_powell_thyne", "coups_cline"])),
        "source_record": pa.Column("int64"),
        "source_id": pa.Column("string", nullable=True),
        "country_iso3": pa.Column("string", nullable=True),
        "country_name": pa.Column("string"),
        "cow_code": pa.Column("int64"),
        "date": pa.Column("datetime64[ns]", nullable=True),
        "date_precision": pa.Column("string"),
        "year": pa.Column("int64"),
        "outcome": pa.Column("string", nullable=True),
        "event_type": pa.Column("string", nullable=True),
        "realized": pa.Column("bool"),
    },
    strict=True,
    ordered=True,
)


def coup_events(pt: pd.DataFrame | None = None, cline: pd.DataFrame | None = None) -> pd.DataFrame:
    """Stack the Powell & Thyne and Cline coup events into one source-labelled table.

    The two datasets define and date events differently (Cline adds conspiracies, auto-coups
    and popular ousters such as PHL 1986-02 and 2001-01; P&T code those as no coup), so
    nothing is merged or de-duplicated: each row keeps its ``source``, and disagreements stay
    visible. Filter on ``source`` to use one definition.

    Parameters
    ----------
    pt, cline : pandas.DataFrame, optional
        Outputs of :func:`load_coups_powell_thyne` and :func:`load_coups_cline`; loaded from
        the registry when omitted.

    Returns
    -------
    pandas.DataFrame
        Fresh 0-based index, sorted by ``date`` (events with unknown day last within their
        year), ``country_iso3`` and ``source``. Columns ``source`` (registry id),
        ``source_record`` (record number in that file), ``source_id`` (Cline ``coup_id``; NA
        for P&T), ``country_iso3``, ``country_name``, ``cow_code``, ``date``,
        ``date_precision`` (P&T always ``day``), ``year``, ``outcome`` (P&T: successful or
        failed; NA for Cline), ``event_type`` (Cline: coup, attempted, conspiracy; NA for P&T),
        ``realized`` (bool: the coup succeeded in that source's own terms).
    """
    pt = load_coups_powell_thyne() if pt is None else pt
    cline = load_coups_cline() if cline is None else cline
    pt_events = pd.DataFrame(
        {
            "source": "coups_powell_thyne",
            "source_record": pt.index.to_numpy(dtype="int64"),
            "source_id": pd.NA,
            "country_iso3": pt["country_iso3"].to_numpy(),
            "country_name": pt["country_name"].to_numpy(),
            "cow_code": pt["cow_code"].to_numpy(),
            "date": pt["date"].to_numpy(),
            "date_precision": "day",
            "year": pt["year"].to_numpy(),
            "outcome": pt["outcome"].to_numpy(),
            "event_type": pd.NA,
            "realized": (pt["outcome"] == "successful").to_numpy(dtype=bool),
        }
    )
    cline_events = pd.DataFrame(
        {
            "source": "coups_cline",
            "source_record": cline.index.to_numpy(dtype="int64"),
            "source_id": cline["coup_id"].to_numpy(),
            "country_iso3": cline["country_iso3"].to_numpy(),
            "country_name": cline["country_name"].to_numpy(),
            "cow_code": cline["cow_code"].to_numpy(),
            "date": cline["date"].to_numpy(),
            "date_precision": cline["date_precision"].to_numpy(),
            "year": cline["year"].to_numpy(),
            "outcome": pd.NA,
            "event_type": cline["event_type"].to_numpy(),
            "realized": cline["realized"].to_numpy(dtype=bool),
        }
    )
    events = pd.concat([pt_events, cline_events], ignore_index=True)
    for col in (
        "source",
        "source_id",
        "country_iso3",
        "country_name",
        "date_precision",
        "outcome",
        "event_type",
    ):
        events[col] = events[col].astype("string")
    events["date"] = events["date"].astype("datetime64[ns]")
    events = events.sort_values(
        ["year", "date", "country_iso3", "source"], na_position="last", kind="stable"
    ).reset_index(drop=True)
    return validate(events, COUP_EVENTS_SCHEMA, "coup_events")
