"""Typed, validated parameters of a country brief.

:class:`BriefParams` is the single schema of the brief notebook's ``parameters`` cell. The
runner validates parameters **before** starting a kernel, and the notebook's first code cell
builds the same object again, so a bad value stops the run with one clear message before any
work (papermill itself only logs unknown parameters and never checks types).

Example
-------
>>> params = BriefParams.from_mapping({"country_iso3": "phl", "as_of": "2026-08-09"})
... # doctest: +SKIP
>>> params.to_notebook_parameters()["country_iso3"]  # doctest: +SKIP
'PHL'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import InitVar, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from osa_analysis.core.config import CURATED_DIR, PROJECT_ROOT
from osa_analysis.core.i18n import LANGUAGES
from osa_analysis.sources.cache import cached

LOOKBACK_YEARS_RANGE = (1, 30)
"""Allowed ``lookback_years``, inclusive."""

MC_DRAWS_RANGE = (1, 1_000_000)
"""Allowed ``mc_draws``, inclusive."""

PEER_FISCAL_YEAR = 2023
"""The default peers are the recipients of this OSA fiscal year (the first four)."""

INCIDENT_DATA_PREFIX = "incidents/"
"""Registry files under this folder are incident sources (see :func:`default_as_of`)."""

PATH_FIELDS = ("output_dir", "data_dir", "cache_dir", "previous_summary")
"""Fields that only say *where* to read or write; they never change a brief's content."""

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ParamsError(ValueError):
    """Brief parameters are unknown, of the wrong type or out of range (all listed at once)."""


RECIPIENT_TABLES = (
    CURATED_DIR / "recipients" / "osa_projects.csv",
    CURATED_DIR / "recipients" / "countries.yaml",
)
"""The curated tables the recipient codes come from."""


@cache
def recipient_code_lists() -> dict[str, tuple[str, ...]]:
    """Return the ISO3 codes of every OSA recipient (``all``) and of the default peers.

    They come from :func:`osa_analysis.sources.recipients.recipients`, which loads and
    validates the curated tables (:data:`RECIPIENT_TABLES`, and the context files of
    :func:`context_files`) with pandas and pandera. The
    result is kept in the derived-data cache (:func:`osa_analysis.sources.cache.cached`,
    keyed by both files and the code that reads them), so that validating parameters (the
    command line, every kernel) does not import pandas once the tables have been checked.

    Returns
    -------
    dict
        ``{"all": (...), "peers": (...)}``, alphabetical ISO3 codes.
    """
    lists = _recipient_facts()
    return {name: tuple(lists[name]) for name in ("all", "peers")}


@cache
def _recipient_facts() -> dict[str, Any]:
    """Return the recipient code lists and each first OSA fiscal year (cached JSON)."""
    return cached(
        "recipient_codes",
        (),
        _code_lists_from_tables,
        kind="json",
        files=(*RECIPIENT_TABLES, *context_files()),
        code_modules=(
            "osa_analysis.sources.recipients",
            "osa_analysis.sources.context",
            "osa_analysis.build.params",
        ),
    )


def osa_fiscal_years(iso3: str) -> list[int]:
    """Return the Japanese fiscal years with an OSA project for ``iso3`` (empty for others)."""
    return list(_recipient_facts()["fiscal_years"].get(iso3, []))


def first_osa_fiscal_year(iso3: str) -> int:
    """Return the first Japanese fiscal year with an OSA project for ``iso3`` (e.g. 2023)."""
    return int(_recipient_facts()["first_fiscal_year"][iso3])


def fiscal_year_start(year: int) -> dt.date:
    """Return the first day of a Japanese fiscal year (1 April)."""
    return dt.date(int(year), 4, 1)


def context_files() -> tuple[Path, ...]:
    """Return the curated context files (``data/context/*.yaml``), checked with the tables."""
    return tuple(sorted((CURATED_DIR / "context").glob("*.yaml")))


def _code_lists_from_tables() -> dict[str, Any]:
    # pandas and pandera only on a cache miss: parameter checks stay light
    from osa_analysis.sources.context import load_context
    from osa_analysis.sources.recipients import load_recipient_countries, recipients

    countries = load_recipient_countries()
    for path in context_files():  # a bad event stops the build before any brief runs
        load_context(path.stem, path)
    return {
        "all": recipients(),
        "peers": recipients(fiscal_year=PEER_FISCAL_YEAR),
        "first_fiscal_year": {
            str(r.country_iso3): int(r.first_osa_fiscal_year) for r in countries.itertuples()
        },
        "fiscal_years": {
            str(r.country_iso3): [int(y) for y in r.osa_fiscal_years]
            for r in countries.itertuples()
        },
    }


def _recipient_codes() -> tuple[str, ...]:
    """Every OSA recipient's ISO3 code (:func:`recipient_code_lists`)."""
    return recipient_code_lists()["all"]


def default_peers() -> tuple[str, ...]:
    """Return the default peer set: the FY2023 OSA recipients (BGD, FJI, MYS, PHL)."""
    return recipient_code_lists()["peers"]


def default_as_of() -> dt.date:
    """Return the last date of incident data available: the default ``as_of`` of a brief.

    It is the latest end date of the ``coverage`` of the registered incident sources (files
    under ``incidents/`` in ``data/sources.yaml``). The registry's coverage is the span of the
    registered bytes (or of the locked vintage), so this equals ``load_incidents()["date"].max()``
    (2026-08-09 with the pinned files, the end of the ReCAAP/IMB live feed) without loading any
    data: it costs one read of the registry.

    Returns
    -------
    datetime.date
    """
    from osa_analysis.sources.registry import pinned_registry, registry

    pins = pinned_registry()  # a locked vintage lives under vintages/, not incidents/
    ends = []
    for sid, source in registry().items():
        if not pins[sid].file.startswith(INCIDENT_DATA_PREFIX) or "/" not in source.coverage:
            continue
        end = source.coverage.split("/", 1)[1].strip()
        if _ISO_DATE.match(end):
            ends.append(dt.date.fromisoformat(end))
    if not ends:
        raise ValueError("no incident source in the registry has a dated coverage end")
    return max(ends)


def _default_output_dir(iso3: str) -> Path:
    return PROJECT_ROOT / "reports" / "_scratch" / iso3


def _check_languages(value: Any, problems: list[str]) -> tuple[str, ...]:
    """Return the brief's languages (reference first), adding a problem for unknown ones."""
    if value is None:
        return LANGUAGES
    items = value.split(",") if isinstance(value, str) else list(value)
    langs = [str(v).strip().lower() for v in items if str(v).strip()]
    unknown = [v for v in langs if v not in LANGUAGES]
    if unknown:
        problems.append(f"languages={unknown} are unknown; valid languages: {', '.join(LANGUAGES)}")
    return tuple(dict.fromkeys([LANGUAGES[0], *(v for v in langs if v in LANGUAGES)]))


@dataclass(frozen=True)
class BriefParams:
    """Parameters of one country brief, validated and normalised on construction.

    Attributes
    ----------
    country_iso3 : str
        ISO3 code of an OSA recipient (upper-cased; see ``data/recipients/countries.yaml``).
    as_of : datetime.date
        Last date of data used. Accepts a ``date`` or an ISO ``YYYY-MM-DD`` string; may not
        be in the future. Default: :func:`default_as_of` (the last incident date available).
    lookback_years : int, default 5
        Years of history before ``as_of`` shown in the brief (1 to 30).
    peers : tuple of str
        ISO3 codes of the comparison countries, each an OSA recipient; default the FY2023
        recipients (BGD, FJI, MYS, PHL). Accepts a list, a tuple or a comma-separated string;
        upper-cased, duplicates dropped, order kept.
    output_dir : Path
        Folder where the notebook writes ``summary.json`` and figures (made absolute).
        Default ``reports/_scratch/<ISO3>`` under the project; the runner sets a staging folder.
    data_dir, cache_dir : Path or None
        Overrides of ``OSA_DATA_DIR`` and ``OSA_CACHE_DIR`` (see :meth:`apply_environment`).
    mc_draws : int, default 1000
        Monte Carlo draws for uncertainty intervals (1 to 1,000,000).
    languages : tuple of str
        Editions of the brief (default every language of
        :data:`~osa_analysis.core.i18n.LANGUAGES`: English, the reference, and Japanese).
        Accepts a list, a tuple or a comma-separated string; English is always included.
    previous_summary : Path or None
        ``summary.json`` of the last published brief of the country, for "what changed"
        (the runner sets it; a path, so not part of the run key).
    today : datetime.date, optional
        Init-only: the date against which ``as_of`` is checked (default: today). Not a field.

    Raises
    ------
    ParamsError
        Listing every problem at once (a ``ValueError``).
    """

    country_iso3: str
    as_of: dt.date = None  # type: ignore[assignment]  # None -> default_as_of()
    lookback_years: int = 5
    peers: tuple[str, ...] = None  # type: ignore[assignment]  # None -> default_peers()
    output_dir: Path = None  # type: ignore[assignment]  # None -> reports/_scratch/<ISO3>
    data_dir: Path | None = None
    cache_dir: Path | None = None
    mc_draws: int = 1000
    languages: tuple[str, ...] = None  # type: ignore[assignment]  # None -> LANGUAGES
    previous_summary: Path | None = None
    today: InitVar[dt.date | None] = field(default=None, kw_only=True)

    def __post_init__(self, today: dt.date | None) -> None:
        problems: list[str] = []
        values: dict[str, Any] = {}
        valid = _recipient_codes()

        iso3 = self.country_iso3
        if not isinstance(iso3, str) or iso3.strip().upper() not in valid:
            problems.append(
                f"country_iso3={iso3!r} is not an OSA recipient; valid codes: {', '.join(valid)}"
            )
        else:
            values["country_iso3"] = iso3.strip().upper()

        values["as_of"] = _check_as_of(self.as_of, today, problems)
        if values["as_of"] is not None and "country_iso3" in values:
            first = first_osa_fiscal_year(values["country_iso3"])
            if values["as_of"] < fiscal_year_start(first):
                problems.append(
                    f"as_of={values['as_of'].isoformat()} is before "
                    f"{values['country_iso3']}'s first OSA fiscal year FY{first} (from "
                    f"{fiscal_year_start(first).isoformat()}): a brief assesses a recipient, "
                    "so its date must be on or after that"
                )
        values["lookback_years"] = _check_int(
            "lookback_years", self.lookback_years, LOOKBACK_YEARS_RANGE, problems
        )
        values["mc_draws"] = _check_int("mc_draws", self.mc_draws, MC_DRAWS_RANGE, problems)
        values["peers"] = _check_peers(self.peers, valid, problems)
        values["languages"] = _check_languages(self.languages, problems)
        for name in ("data_dir", "cache_dir", "previous_summary"):
            values[name] = _check_path(name, getattr(self, name), problems, optional=True)
        output_dir = self.output_dir
        if output_dir is None and "country_iso3" in values:
            output_dir = _default_output_dir(values["country_iso3"])
        if output_dir is not None or "country_iso3" in values:
            values["output_dir"] = _check_path("output_dir", output_dir, problems, optional=False)

        if problems:
            raise ParamsError("invalid brief parameters:\n  " + "\n  ".join(problems))
        for name, value in values.items():
            object.__setattr__(self, name, value)

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Return the parameter names, in the order of the notebook's ``parameters`` cell."""
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def from_mapping(
        cls, mapping: Mapping[str, Any], *, today: dt.date | None = None
    ) -> BriefParams:
        """Build parameters from a mapping of names to values, rejecting unknown names.

        Parameters
        ----------
        mapping : Mapping
            Parameter names to values, as strings (command line, YAML) or typed values.
            ``None`` for ``as_of``, ``peers`` or ``output_dir`` means "the default".
        today : datetime.date, optional
            Reference date for the "not in the future" check (default: today).

        Returns
        -------
        BriefParams

        Raises
        ------
        ParamsError
            Unknown names (naming them and the valid ones), a non-recipient country or peer,
            a malformed (not ``YYYY-MM-DD``) or future ``as_of``, or an out-of-range number.
        """
        names = cls.field_names()
        unknown = sorted(set(mapping) - set(names))
        if unknown:
            raise ParamsError(
                f"unknown brief parameter(s) {unknown}; valid parameters: {', '.join(names)}"
            )
        if "country_iso3" not in mapping:
            raise ParamsError("missing brief parameter 'country_iso3'")
        return cls(**dict(mapping), today=today)

    @classmethod
    def from_namespace(
        cls, namespace: Mapping[str, Any], *, today: dt.date | None = None
    ) -> BriefParams:
        """Build parameters from the notebook's globals, taking only the parameter names.

        Use in the notebook's first code cell after ``parameters``:
        ``params = BriefParams.from_namespace(globals())``. Names that are not defined are
        left at their defaults.
        """
        return cls.from_mapping(
            {name: namespace[name] for name in cls.field_names() if name in namespace},
            today=today,
        )

    # -- use -------------------------------------------------------------------------------

    def to_notebook_parameters(self) -> dict[str, Any]:
        """Return the parameters as a JSON-able dict for papermill.

        Dates become ISO strings, paths absolute strings, ``peers`` a list; ``None`` stays
        ``None``. Feeding the result back to :meth:`from_mapping` gives an equal object.
        """
        return {
            "country_iso3": self.country_iso3,
            "as_of": self.as_of.isoformat(),
            "lookback_years": self.lookback_years,
            "peers": list(self.peers),
            "output_dir": str(self.output_dir),
            "data_dir": None if self.data_dir is None else str(self.data_dir),
            "cache_dir": None if self.cache_dir is None else str(self.cache_dir),
            "mc_draws": self.mc_draws,
            "languages": list(self.languages),
            "previous_summary": (
                None if self.previous_summary is None else str(self.previous_summary)
            ),
        }

    def content_parameters(self) -> dict[str, Any]:
        """Return the notebook parameters that change a brief's content (paths excluded).

        This is what the run key hashes: moving the output or the data cache does not change
        what a brief says.
        """
        params = self.to_notebook_parameters()
        return {k: v for k, v in params.items() if k not in PATH_FIELDS}

    def apply_environment(self, environ: dict[str, str] | None = None) -> dict[str, str]:
        """Set ``OSA_DATA_DIR`` / ``OSA_CACHE_DIR`` from ``data_dir`` / ``cache_dir`` when given.

        Parameters
        ----------
        environ : dict, optional
            The mapping to update (default ``os.environ``, so the package's loaders follow).

        Returns
        -------
        dict
            The variables that were set.
        """
        target = os.environ if environ is None else environ
        applied = {}
        if self.data_dir is not None:
            applied["OSA_DATA_DIR"] = str(self.data_dir)
        if self.cache_dir is not None:
            applied["OSA_CACHE_DIR"] = str(self.cache_dir)
        target.update(applied)
        return applied

    def scope(self):
        """Return the :class:`~osa_analysis.analyse.scope.Scope` these parameters describe."""
        from osa_analysis.analyse.scope import Scope  # pandas: not needed to validate

        return Scope(self.country_iso3, self.as_of, self.lookback_years, self.peers)

    def replace(self, **changes: Any) -> BriefParams:
        """Return a copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)


# ---------------------------------------------------------------------------------------------
# Field checks: each appends readable problems and returns the converted value (or None)


def _check_as_of(value: object, today: dt.date | None, problems: list[str]) -> dt.date | None:
    if value is None:
        value = default_as_of()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        text = value.strip()
        try:
            if not _ISO_DATE.match(text):
                raise ValueError
            value = dt.date.fromisoformat(text)
        except ValueError:
            problems.append(f"as_of={value!r} is not a valid date in the form YYYY-MM-DD")
            return None
    if not isinstance(value, dt.date):
        problems.append(f"as_of={value!r} must be a date or a YYYY-MM-DD string")
        return None
    reference = today or dt.date.today()
    if value > reference:
        problems.append(
            f"as_of={value.isoformat()} is in the future (today is {reference.isoformat()}); "
            f"the last incident data available is {default_as_of().isoformat()}"
        )
        return None
    return value


def _check_int(
    name: str, value: object, bounds: tuple[int, int], problems: list[str]
) -> int | None:
    low, high = bounds
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        number = int(value)
    if number is None:
        problems.append(f"{name}={value!r} must be a whole number")
        return None
    if not low <= number <= high:
        problems.append(f"{name}={number} is out of range {low}..{high}")
        return None
    return number


def _check_peers(
    value: object, valid: tuple[str, ...], problems: list[str]
) -> tuple[str, ...] | None:
    if value is None:
        return default_peers()
    if isinstance(value, str):
        items: Iterable[object] = [p for p in value.split(",") if p.strip()]
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        problems.append(f"peers={value!r} must be a list of ISO3 codes")
        return None
    codes: list[str] = []
    bad: list[object] = []
    for item in items:
        code = item.strip().upper() if isinstance(item, str) else None
        if code not in valid:
            bad.append(item)
        elif code not in codes:
            codes.append(code)
    if bad:
        problems.append(f"peers {bad!r} are not OSA recipients; valid codes: {', '.join(valid)}")
        return None
    if not codes:
        problems.append("peers is empty; give at least one OSA recipient (or None for default)")
        return None
    return tuple(codes)


def _check_path(name: str, value: object, problems: list[str], *, optional: bool) -> Path | None:
    if value is None or (optional and value == ""):
        if not optional:
            problems.append(f"{name} is required")
        return None
    if not isinstance(value, (str, os.PathLike)) or str(value) == "":
        problems.append(f"{name}={value!r} must be a path")
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else (PROJECT_ROOT / path)
