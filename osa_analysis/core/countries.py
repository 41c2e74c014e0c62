"""Country keys: map every code system the sources use to ISO 3166-1 alpha-3.

Systems (see the mirror MANIFEST §7):

``iso3``
    ISO alpha-3, checked against pycountry (plus ``XKX`` Kosovo).
``wb``
    World Bank codes: ISO3 plus ``XKX`` and the older WGI codes ADO, ROM, ZAR, TMP, KSV, WBG.
    Aggregates and ``CHI`` (Channel Islands) have no ISO3: pass them as ``ignore`` (the
    indicator loaders use ``WB_AGGREGATE_CODES``) so they map to NA without a warning.
``iso2``
    ISO alpha-2 (SCSDI actors).
``iso_numeric``
    ISO numeric, possibly zero-padded (world-atlas ``id``).
``name``
    English names, case-insensitive, via pycountry plus :data:`NAME_OVERRIDES`.
``gw`` / ``cow``
    Gleditsch–Ward and Correlates of War state numbers, from the curated tables
    ``data/countries/gleditsch_ward.csv`` and ``data/countries/correlates_of_war.csv``.

Codes that cannot be mapped become NA and raise one :class:`UnmappedCodeWarning` that lists
them, so a new spelling upstream is noticed rather than silently dropped.
"""

from __future__ import annotations

import warnings
from functools import cache

import pandas as pd
import pycountry

from osa_analysis.core.config import CURATED_DIR

COUNTRY_TABLES = CURATED_DIR / "countries"

EXTRA_ISO3 = {"XKX": "Kosovo"}
"""User-assigned codes in common use that ISO 3166 does not list."""

WB_TO_ISO3 = {
    "ADO": "AND",
    "ROM": "ROU",
    "ZAR": "COD",
    "TMP": "TLS",
    "KSV": "XKX",
    "WBG": "PSE",
    "XKX": "XKX",
}
"""World Bank (incl. legacy WGI) codes that differ from ISO3."""

NAME_OVERRIDES = {
    "viet nam": "VNM",
    "vietnam": "VNM",
    "south korea": "KOR",
    "korea, republic of": "KOR",
    "republic of korea": "KOR",
    "north korea": "PRK",
    "laos": "LAO",
    "russia": "RUS",
    "iran": "IRN",
    "syria": "SYR",
    "tanzania": "TZA",
    "taiwan": "TWN",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "brunei": "BRN",
    "burma": "MMR",
    "myanmar": "MMR",
    "east timor": "TLS",
    "timor leste": "TLS",
    "ivory coast": "CIV",
    "cote d'ivoire": "CIV",
    "dr congo": "COD",
    "democratic republic of the congo": "COD",
    "congo": "COG",
    "republic of the congo": "COG",
    "hong kong": "HKG",
    "macau": "MAC",
    "micronesia": "FSM",
    "moldova": "MDA",
    "kosovo": "XKX",
    "cape verde": "CPV",
    "swaziland": "SWZ",
    "turkey": "TUR",
    "united states": "USA",
    "united states of america": "USA",
    "united kingdom": "GBR",
    "the bahamas": "BHS",
    "bahamas": "BHS",
    "the gambia": "GMB",
    "gambia": "GMB",
    "st. vincent and the grenadines": "VCT",
    "st kitts and nevis": "KNA",
    "st lucia": "LCA",
    "marshall islands": "MHL",
    "solomon islands": "SLB",
    "palestine": "PSE",
}
"""Lower-case names (as sources spell them) that pycountry does not resolve, mapped to ISO3."""


class UnmappedCodeWarning(UserWarning):
    """Some country codes or names could not be mapped to ISO3."""


@cache
def iso3_codes() -> frozenset[str]:
    """Return every valid ISO3 code (pycountry's plus :data:`EXTRA_ISO3`)."""
    return frozenset({c.alpha_3 for c in pycountry.countries} | set(EXTRA_ISO3))


@cache
def _table(system: str) -> dict[str, str]:
    path = COUNTRY_TABLES / f"{system}.csv"
    frame = pd.read_csv(path, dtype={"code": str, "iso3": str}, keep_default_na=False)
    return dict(zip(frame["code"].str.strip(), frame["iso3"].str.strip(), strict=True))


@cache
def historical_codes(system: str) -> frozenset[str]:
    """Codes a curated table lists with an empty ``iso3``: historical units (GDR, South Yemen).

    Parameters
    ----------
    system : {"gw", "cow"}
        Gleditsch–Ward or Correlates of War numbers.
    """
    table = {"gw": "gleditsch_ward", "cow": "correlates_of_war"}[system]
    frame = pd.read_csv(COUNTRY_TABLES / f"{table}.csv", dtype=str, keep_default_na=False)
    return frozenset(frame.loc[frame["iso3"].str.strip() == "", "code"].str.strip())


def _lookup_name(name: str) -> str | None:
    key = name.strip().lower()
    if key in NAME_OVERRIDES:
        return NAME_OVERRIDES[key]
    try:
        return pycountry.countries.lookup(name.strip()).alpha_3
    except LookupError:
        return None


def _mapper(system: str):
    if system == "iso3":
        valid = iso3_codes()
        return lambda c: c if c in valid else None
    if system == "wb":
        valid = iso3_codes()
        return lambda c: WB_TO_ISO3.get(c, c if c in valid else None)
    if system == "iso2":
        return lambda c: getattr(pycountry.countries.get(alpha_2=c), "alpha_3", None)
    if system == "iso_numeric":
        return lambda c: getattr(pycountry.countries.get(numeric=c.zfill(3)), "alpha_3", None)
    if system == "name":
        return _lookup_name
    if system in ("gw", "cow"):
        table = _table({"gw": "gleditsch_ward", "cow": "correlates_of_war"}[system])
        return lambda c: table.get(c.split(".")[0]) or None
    raise ValueError(f"unknown country code system {system!r}")


def to_iso3(
    codes: pd.Series, system: str, *, source: str = "", ignore: frozenset[str] = frozenset()
) -> pd.Series:
    """Map country codes or names to ISO3.

    Parameters
    ----------
    codes : pandas.Series
        Codes as read (strings or numbers); NA stays NA.
    system : str
        One of ``iso3``, ``wb``, ``iso2``, ``iso_numeric``, ``name``, ``gw``, ``cow``.
    source : str, optional
        The file or table, named in the warning.
    ignore : frozenset of str, optional
        Codes known to have no country (aggregates, historical units) that should map to NA
        without a warning.

    Returns
    -------
    pandas.Series
        ``string`` dtype ISO3 codes aligned with ``codes``; NA where unmapped.

    Warns
    -----
    UnmappedCodeWarning
        Listing the distinct codes that could not be mapped (excluding ``ignore``).
    """
    mapper = _mapper(system)
    as_text = codes.astype("string").str.strip()
    distinct = as_text.dropna().unique()
    mapping = {c: mapper(c) for c in distinct}
    unmapped = sorted(c for c, v in mapping.items() if v is None and c not in ignore)
    if unmapped:
        warnings.warn(
            f"{source or 'country codes'}: {len(unmapped)} {system} code(s) not mapped to ISO3 "
            f"(left NA): {unmapped[:20]}",
            UnmappedCodeWarning,
            stacklevel=2,
        )
    return as_text.map(mapping).astype("string")


class CountrySetError(ValueError):
    """A curated country set (``data/countries/<name>.csv``) is missing or malformed."""


@cache
def country_set(name: str) -> frozenset[str]:
    """Return a curated set of countries, ``data/countries/<name>.csv``, as ISO3 codes.

    Each row holds ``iso3``, ``name`` and the ``source_url`` that lists the country as a
    member (e.g. ``south_china_sea_littoral``: the states on that sea's shores).

    Raises
    ------
    CountrySetError
        Naming the file and row: the file is missing, a column is missing, a code is not
        ISO3 or a row has no source URL.
    """
    path = COUNTRY_TABLES / f"{name}.csv"
    if not path.is_file():
        known = sorted(p.stem for p in COUNTRY_TABLES.glob("*.csv"))
        raise CountrySetError(f"{path}: no such country set (known: {', '.join(known)})")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"iso3", "name", "source_url"} - set(table.columns)
    if missing:
        raise CountrySetError(f"{path}: missing column(s) {sorted(missing)}")
    valid = iso3_codes()
    for row, rec in enumerate(table.itertuples(index=False), start=2):
        if rec.iso3 not in valid:
            raise CountrySetError(f"{path}, row {row}: {rec.iso3!r} is not an ISO3 code")
        if not rec.source_url.startswith(("http://", "https://")):
            raise CountrySetError(f"{path}, row {row}: no source URL for {rec.iso3}")
    return frozenset(table["iso3"])


def country_name(iso3: str) -> str:
    """Return the common English name of an ISO3 code (``"PHL"`` → ``"Philippines"``)."""
    if iso3 in EXTRA_ISO3:
        return EXTRA_ISO3[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise ValueError(f"unknown ISO3 code {iso3!r}")
    return getattr(country, "common_name", None) or country.name
