"""Schema validation that reports every problem at once, naming the file, row and column.

Loaders read a file into a frame whose index is the **record number** in the source file
(0-based, header excluded), tidy it, and call :func:`validate` with a pandera schema. A
:class:`DataValidationError` then lists each failing record and column.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

MAX_LISTED = 25
"""Problems listed in full in an error message; the rest are counted."""


def not_after_today() -> pa.Check:
    """Return a check that a date column holds no date after today (NA passes).

    For facts that cannot lie in the future (a signed agreement, a coup attempt); the date
    is taken when the file is validated.
    """
    return pa.Check(
        lambda s: s.isna() | (s <= pd.Timestamp.today().normalize()),
        name="not_after_today",
    )


class DataFormatError(ValueError):
    """A source file does not have the expected layout (missing column, unreadable...)."""


class DataValidationError(ValueError):
    """Rows of a source file fail its schema.

    Attributes
    ----------
    source : str
        The file that was read.
    failures : pandas.DataFrame
        One row per problem, with ``record`` (0-based record number in the file, header
        excluded, or NA for whole-column problems), ``column``, ``check`` and ``value``.
    """

    def __init__(self, source: str, failures: pd.DataFrame):
        self.source = source
        self.failures = failures
        lines = [
            f"record {_fmt_record(r.record)}, column {r.column!r}: fails {r.check}"
            + ("" if _is_missing(r.value) else f" (value {r.value!r})")
            for r in failures.head(MAX_LISTED).itertuples()
        ]
        more = len(failures) - MAX_LISTED
        if more > 0:
            lines.append(f"... and {more} more")
        super().__init__(f"{source}: {len(failures)} problem(s):\n  " + "\n  ".join(lines))


def _is_missing(value: object) -> bool:
    """NA test that also accepts lists and arrays (pandera reports whole rows for table checks)."""
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def _fmt_record(record: object) -> str:
    return "(all)" if _is_missing(record) else str(record)


def require_columns(raw: pd.DataFrame, required: Iterable[str], source: str | Path) -> None:
    """Raise :class:`DataFormatError` naming every expected column that is missing.

    Parameters
    ----------
    raw : pandas.DataFrame
        The frame as read from the file.
    required : iterable of str
        Column names the loader needs.
    source : str or Path
        The file, for the message.
    """
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise DataFormatError(
            f"{source}: missing column(s) {missing}; found {list(raw.columns)}. "
            "The file is not in the expected format (upstream layout change or wrong file?)."
        )


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema, source: str | Path) -> pd.DataFrame:
    """Validate ``df`` against ``schema`` lazily and report all failures at once.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy frame indexed by record number in the source file.
    schema : pandera.DataFrameSchema
        The table's schema.
    source : str or Path
        The file the frame was read from, named in the error.

    Returns
    -------
    pandas.DataFrame
        The validated (and, where the schema coerces, converted) frame.

    Raises
    ------
    DataValidationError
        With one line per failing record and column.
    """
    try:
        return schema.validate(df, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        if cases.empty:  # some checks (e.g. uniqueness over NAs) report no cases
            failures = pd.DataFrame(
                {"record": [pd.NA], "column": [None], "check": [str(exc)], "value": [pd.NA]}
            )
            raise DataValidationError(str(source), failures) from None
        failures = pd.DataFrame(
            {
                "record": cases["index"].to_numpy(),
                "column": cases["column"].fillna(cases["schema_context"]).to_numpy(),
                "check": cases["check"].astype(str).to_numpy(),
                "value": cases["failure_case"].to_numpy(),
            }
        )
        raise DataValidationError(str(source), failures) from None
    except SchemaError as exc:  # non-lazy path, e.g. a dataframe-level check
        failures = pd.DataFrame(
            {"record": [pd.NA], "column": [None], "check": [str(exc)], "value": [pd.NA]}
        )
        raise DataValidationError(str(source), failures) from None


# --- helpers for loaders that parse text before validating ----------------------------------


def blank_to_na(values: pd.Series) -> pd.Series:
    """Return values as ``string`` with empty and whitespace-only text as NA."""
    out = values.astype("string")
    return out.mask(out.str.strip().fillna("") == "")


def failure_rows(mask: pd.Series, column: str, check: str, values: pd.Series) -> pd.DataFrame:
    """Return one failure row (record, column, check, value) per True in ``mask``.

    Loaders collect these while parsing, then report them with the schema's own failures
    through :func:`validate_collected`.
    """
    bad = mask.fillna(False).astype(bool)
    return pd.DataFrame(
        {
            "record": values.index[bad],
            "column": column,
            "check": check,
            "value": values[bad].astype(object).to_numpy(),
        }
    )


def parse_numbers(raw: pd.Series, column: str, failures: list[pd.DataFrame]) -> pd.Series:
    """Parse numbers; present text that is not a number is a failure (and becomes NA)."""
    text = blank_to_na(raw).str.strip()
    parsed = pd.to_numeric(text, errors="coerce").astype("float64")
    failures.append(failure_rows(text.notna() & parsed.isna(), column, "is a number", raw))
    return parsed


def validate_collected(
    df: pd.DataFrame, schema: pa.DataFrameSchema, source: str | Path, failures: list
) -> pd.DataFrame:
    """Validate ``df``; report the parse failures collected earlier and the schema's together.

    A value that failed to parse is NA in ``df``; the schema's "not nullable" failure for it
    would repeat the parse failure, so it is left out.
    """
    problems = [f for f in failures if len(f)]
    try:
        out = validate(df, schema, source)
    except DataValidationError as exc:
        found = exc.failures
        if problems:
            parsed_bad = set(pd.concat(problems)["record"])
            repeat = found["check"].str.contains("not_nullable") & found["record"].isin(parsed_bad)
            found = found[~repeat]
        problems.append(found)
    if problems:
        raise DataValidationError(str(source), pd.concat(problems, ignore_index=True))
    return out


# Text tables (UCDP, coups, V-Dem): read every cell as text, then convert named columns.

MISSING_EMPTY = ("",)
"""Empty cells (UCDP writes ``""``) are the only missing-value marker in the UCDP and coup files."""

MISSING_EMPTY_OR_NA = ("", "NA")
"""Missing-value markers in R-written files (V-Dem ERT writes ``NA``)."""


def sniff_delimiter(path: Path, candidates: tuple[str, ...]) -> str:
    """Return the candidate delimiter occurring most often in a file's header line.

    Raises
    ------
    DataFormatError
        When the header holds none of them (the file is not in the expected format).
    """
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        header = fh.readline()
    counts = {sep: header.count(sep) for sep in candidates}
    best = max(counts, key=counts.__getitem__)
    if counts[best] == 0:
        raise DataFormatError(
            f"{path}: the header line has none of the delimiters {list(candidates)}; "
            "the file is not in the expected format."
        )
    return best


def read_csv_named(path: Path, **options) -> pd.DataFrame:
    """:func:`pandas.read_csv` whose parse, decode and empty-file errors name the file.

    Raises
    ------
    DataFormatError
        ``<path>: cannot be parsed as a delimited file: ...`` (a tokenizer error, bytes
        that are not the expected encoding, or no columns at all).
    """
    try:
        return pd.read_csv(path, **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataFormatError(f"{path}: cannot be parsed as a delimited file: {exc}") from exc


def read_text_table(path: Path, sep: str = ",") -> pd.DataFrame:
    """Read a delimited file with every cell as text (no type or NA guessing)."""
    return read_csv_named(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def convert_text_columns(
    raw: pd.DataFrame,
    kinds: dict[str, str],
    path: Path,
    *,
    required: tuple[str, ...] = (),
    date_format: str = "%Y-%m-%d",
    missing: tuple[str, ...] = MISSING_EMPTY,
) -> dict[str, pd.Series]:
    """Convert text columns to typed series, reporting every unparseable cell at once.

    Parameters
    ----------
    raw : pandas.DataFrame
        Text frame as read (index = record number).
    kinds : dict
        Source column to one of ``int`` (→ ``Int64``), ``float`` (→ ``float64``), ``date``
        (→ ``datetime64[ns]``), ``bool01`` (``0``/``1`` → ``boolean``) or ``str``
        (→ ``string``, stripped). Cells in ``missing`` become NA.
    path : Path
        The file, named in errors.
    required : tuple of str
        Columns in which a missing cell is itself a problem.
    date_format : str
        ``strftime`` format of ``date`` columns.
    missing : tuple of str
        Cell texts (after stripping) that mean "missing".

    Returns
    -------
    dict of str to pandas.Series
        Converted series keyed by source column name.

    Raises
    ------
    DataValidationError
        Listing each cell (record, column, value) that could not be converted.
    """
    out: dict[str, pd.Series] = {}
    problems: list[dict] = []

    def flag(mask: pd.Series, column: str, check: str, values: pd.Series) -> None:
        for record, value in values[mask].items():
            problems.append({"record": record, "column": column, "check": check, "value": value})

    for col, kind in kinds.items():
        text = raw[col].astype("string").str.strip()
        text = text.mask(text.isin(missing))
        if kind in ("int", "float"):
            number = pd.to_numeric(text, errors="coerce").astype("float64")
            bad = text.notna() & number.isna()
            if kind == "int":
                bad |= number.notna() & (number % 1 != 0)
                converted = number.mask(bad).astype("Int64")
            else:
                converted = number.mask(bad)
            flag(bad, col, f"parse as {'integer' if kind == 'int' else 'number'}", text)
        elif kind == "date":
            converted = pd.to_datetime(text, format=date_format, errors="coerce")
            converted = converted.astype("datetime64[ns]")
            flag(text.notna() & converted.isna(), col, f"parse as date {date_format}", text)
        elif kind == "bool01":
            converted = text.map({"0": False, "1": True}).astype("boolean")
            flag(text.notna() & converted.isna(), col, "be 0 or 1", text)
        elif kind == "str":
            converted = text
        else:  # pragma: no cover - programming error
            raise ValueError(f"unknown kind {kind!r}")
        if col in required:
            flag(text.isna(), col, "not missing", text)
        out[col] = converted
    if problems:
        raise DataValidationError(str(path), pd.DataFrame(problems))
    return out
