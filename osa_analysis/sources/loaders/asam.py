"""NGA Anti-Shipping Activity Messages (ASAM): the incidents.

Three registered files hold the ASAM series (see the mirror MANIFEST §1a and §2c; the
subregion polygons are read by :mod:`osa_analysis.sources.loaders.asam_subregions`):

``asam_msi_csv``
    The MSI website CSV export of 2022-06-21 (1978-05-01 … 2022-06-01, 8 642 rows).
``asam_arcgis_csv``
    The Esri Living Atlas export of the ASAM layer, November 2020 (8 185 rows).
``asam_lephare_json``
    The same layer from 2022-01-01 to 2024-06-25, reshaped by the le-phare project (677 rows).

The series ended on 2024-06-25 (the programme was defunded on 2024-06-30, and the MSI API has
been reported to answer 404 since). :func:`load_asam` merges the three incident files into the
full series; :func:`load_asam_api` reads the live API and, when it is gone, returns an empty
frame with an :class:`AsamApiUnavailableWarning` instead of failing.

Every incident loader returns the shared incident columns
(:data:`osa_analysis.sources.loaders.common.INCIDENT_COLUMNS`) followed by
:data:`ASAM_COLUMNS`, with the same columns whichever file or format was read; a field a
file does not have is NA.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from osa_analysis.core.validation import (
    DataFormatError,
    read_csv_named,
    require_columns,
)
from osa_analysis.core.validation import blank_to_na as _text  # shared loader helpers
from osa_analysis.core.validation import failure_rows as _failures
from osa_analysis.core.validation import validate_collected as _validate
from osa_analysis.sources.fetch import fetch
from osa_analysis.sources.loaders.asam_fields import (
    ARCGIS_COLUMNS,
    ASAM_MERGED_SCHEMA,
    DMS_PRECISION_DEG,
    LEPHARE_KEYS,
    LEPHARE_PRECISION_DEG,
    MSI_API_KEYS,
    MSI_CSV_COLUMNS,
    code,
    decimal_position,
    empty_code,
    empty_text,
    finish,
    parse_code,
    parse_date,
    parse_dms,
    parse_number,
)

ASAM_API_URL = "https://msi.nga.mil/api/publications/asam?output=json"
"""The MSI publications API (JSON); reported as answering 404 since mid-2024."""

SERIES_END = pd.Timestamp("2024-06-25")
"""Date of the last ASAM: the series has ended, nothing newer will appear."""

MSI_SOURCE = "asam_msi_csv"
ARCGIS_SOURCE = "asam_arcgis_csv"
LEPHARE_SOURCE = "asam_lephare_json"


class AsamApiUnavailableWarning(UserWarning):
    """The MSI ASAM API could not be read; the series ended on 2024-06-25."""


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFormatError(f"{path}: not valid UTF-8 JSON ({exc})") from exc


def _looks_like_json(path: Path) -> bool:
    """Whether the file's first non-blank character opens a JSON object or array."""
    with open(path, "rb") as fh:
        head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def _read_csv(path: Path) -> pd.DataFrame:
    # every field as text; empty stays "" until _text() makes it NA
    return read_csv_named(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _from_msi_records(raw: pd.DataFrame, path: str | Path, source_format: str) -> pd.DataFrame:
    """Tidy MSI records (CSV export or API JSON, already checked for their columns)."""
    failures: list[pd.DataFrame] = []
    position_text = _text(raw["position"])
    position = parse_dms(position_text, "position", failures)
    if "latitude" in raw and "longitude" in raw:
        # API JSON: prefer the numeric coordinates, fall back on the DMS text
        lat = parse_number(raw["latitude"], "latitude", failures)
        lon = parse_number(raw["longitude"], "longitude", failures)
        numeric = decimal_position(lat, lon, DMS_PRECISION_DEG)
        use = numeric["position_status"] == "ok"
        position = pd.DataFrame({c: numeric[c].where(use, position[c]) for c in position.columns})
    parsed = pd.DataFrame(
        {
            "reference": code(raw["reference"]),
            "date": parse_date(code(raw["date"]), "%Y-%m-%d", "date", failures),
            **position,
            "position_text": position_text,
            "nav_area": code(raw["navArea"]),
            "subreg": code(raw["subreg"]),
            "hostility": _text(raw["hostility"]),
            "victim": _text(raw["victim"]),
            "description": _text(raw["description"]),
            "hostility_type_code": empty_code(raw.index),  # MSI has no codes (ArcGIS has)
            "victim_code": empty_code(raw.index),
            "lephare_type": empty_text(raw.index),
            "lephare_zone": empty_text(raw.index),
        },
        index=raw.index,
    )
    # Two references (2021-161, 2021-207) appear twice as identical rows in the 2022 export;
    # both copies are kept and the later one is flagged.
    duplicate = raw[MSI_CSV_COLUMNS].astype("string").duplicated(keep="first")
    return finish(
        parsed,
        source=MSI_SOURCE,
        source_format=source_format,
        duplicate=duplicate,
        path=path,
        failures=failures,
    )


def _from_msi_json(data: object, path: str | Path) -> pd.DataFrame:
    if not isinstance(data, dict) or not isinstance(data.get("asam"), list):
        raise DataFormatError(
            f'{path}: expected the MSI API JSON shape {{"asam": [...]}}, '
            f"got a JSON {type(data).__name__}"
        )
    records = data["asam"]
    raw = pd.DataFrame(records) if records else pd.DataFrame(columns=MSI_API_KEYS)
    require_columns(raw, MSI_API_KEYS, path)
    return _from_msi_records(raw, path, "msi_api_json")


def load_asam_msi(path: Path | None = None) -> pd.DataFrame:
    r"""Load the NGA MSI ASAM export, one row per record (``asam_msi_csv``).

    Reads the MSI website CSV export of 2022-06-21 (8 642 records, 1978-05-01 … 2022-06-01)
    or, when the file content is a JSON object, the MSI API JSON
    (``https://msi.nga.mil/api/publications/asam?output=json``):
    ``{"asam": [{"reference", "date", "latitude", "longitude", "position", "navArea",
    "subreg", "hostility", "victim", "description"}]}``, where ``hostility`` and ``victim``
    may be null. The API's numeric ``latitude``/``longitude`` are used when present, the DMS
    ``position`` text otherwise.

    Quirks of the CSV export handled here:

    * records end in CRLF while ``position`` holds a quoted LF between latitude and
      longitude (``46°37'50.89"N\n31°35'01.64"E``); an empty 9th column is ignored;
    * 456 minute or second parts equal 60 (``5°60'00"N``): converted arithmetically;
    * two references (2021-161, 2021-207) appear twice as identical rows: both are kept and
      ``duplicate_record`` is True for the later copy (count incidents on
      ``~duplicate_record``);
    * empty ``hostility`` (518), ``victim`` (287), ``navArea`` (3), ``description`` (6) are NA.

    Parameters
    ----------
    path : Path, optional
        The CSV export or API JSON; default: the registered file via ``fetch``.

    Returns
    -------
    pandas.DataFrame
        Indexed by record number in the file (0-based, header excluded). Columns: the
        incident columns ``source`` ("asam_msi_csv"), ``source_id`` (= ``reference``),
        ``date`` (local date), ``time_local`` ("HH:MM" when the description says
        "at HHMM local time"/"LT", else NA), ``utc_offset_h`` (NA), ``latitude``,
        ``longitude`` (decimal degrees, south/west negative), ``position_status``
        (ok/missing/unparseable), ``position_precision_deg`` (1/3600 for whole DMS seconds,
        finer for decimal seconds), ``source_country_iso3`` (NA), ``source_label``
        (= ``hostility``), ``source_severity`` (NA), ``description``, ``vessel_name`` (the
        upper-case name after "<flag>-flagged <type>" in the description, else NA),
        ``vessel_imo`` (NA), ``vessel_type_raw`` (= ``victim``), ``vessel_status_raw`` (NA);
        then :data:`ASAM_COLUMNS`: ``reference``, ``nav_area``, ``subreg``, ``hostility``,
        ``victim``, ``hostility_type_code`` and ``victim_code`` (NA: MSI has no codes),
        ``position_text`` (raw DMS), ``time_utc`` ("HH:MM" when the description says
        "at HHMM UTC"), ``description_country`` (upper-case prefix before the first colon,
        e.g. "INDONESIA", else NA), ``lephare_type``/``lephare_zone`` (NA),
        ``duplicate_record``, ``source_format`` ("msi_csv" or "msi_api_json").

    Raises
    ------
    DataFormatError
        A required column or key is missing.
    DataValidationError
        Listing every bad value (date, reference, DMS part above 60, coordinates...).
    """
    path = Path(path) if path else fetch(MSI_SOURCE)
    if _looks_like_json(path):
        return _from_msi_json(_read_json(path), path)
    raw = _read_csv(path)
    require_columns(raw, MSI_CSV_COLUMNS, path)
    return _from_msi_records(raw, path, "msi_csv")


def load_asam_api(
    path: Path | None = None, url: str = ASAM_API_URL, timeout: float = 30
) -> pd.DataFrame:
    """Read the live MSI ASAM API (JSON), or a saved copy of its answer.

    The ASAM series ended on 2024-06-25 and the API has been reported as answering 404
    since mid-2024. When the request fails (404, other HTTP error, network error, timeout),
    this returns an **empty** frame with the usual columns and emits an
    :class:`AsamApiUnavailableWarning`; it does not raise. A response that is not the
    expected JSON raises :class:`DataFormatError`.

    Parameters
    ----------
    path : Path, optional
        A saved API answer (``{"asam": [...]}``); when given, no request is made.
    url : str
        The API address (default :data:`ASAM_API_URL`).
    timeout : float
        Seconds to wait for the server.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`load_asam_msi` (``source`` "asam_msi_csv", ``source_format``
        "msi_api_json"), indexed by position in the ``asam`` array.
    """
    if path:
        path = Path(path)
        return _from_msi_json(_read_json(path), path)
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        reason = f"HTTP {exc.code}"
    except OSError as exc:  # URLError, timeouts, refused connections
        reason = f"{type(exc).__name__}: {exc}"
    else:
        try:
            data = json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataFormatError(f"{url}: the answer is not valid JSON ({exc})") from exc
        return _from_msi_json(data, url)
    warnings.warn(
        f"the MSI ASAM API at {url} is unavailable ({reason}). The ASAM series ended on "
        f"{SERIES_END.date()} (programme defunded 2024-06-30); returning no rows. "
        "Use load_asam() for the full archived series.",
        AsamApiUnavailableWarning,
        stacklevel=2,
    )
    return _from_msi_json({"asam": []}, url)


# --- ArcGIS: Esri export CSV and FeatureServer GeoJSON -----------------------------------

_ARCGIS_DATE_RE = re.compile(r"^(\d{4}/\d{2}/\d{2})(?: \d{2}:\d{2}:\d{2}(?:[+-]\d{2})?)?$")


def _arcgis_dates(raw: pd.Series, failures: list) -> pd.Series:
    """Parse ``dateofocc``: text ``YYYY/MM/DD hh:mm:ss+00`` or epoch milliseconds (GeoJSON).

    Only the calendar date is kept: it equals the MSI date for every shared reference, and
    the clock part is 00:00:00 in 7 838 of 8 185 rows, so it is not an incident time.
    """
    if pd.api.types.is_numeric_dtype(raw):
        parsed = pd.to_datetime(raw, unit="ms", utc=True).dt.tz_localize(None)
        return parsed.dt.normalize().astype("datetime64[ns]")
    text = code(raw.astype("string"))
    day = text.str.extract(_ARCGIS_DATE_RE)[0]
    failures.append(
        _failures(text.notna() & day.isna(), "dateofocc", "format YYYY/MM/DD hh:mm:ss+00", text)
    )
    return parse_date(day, "%Y/%m/%d", "dateofocc", failures)


def _from_arcgis_records(raw: pd.DataFrame, path: str | Path, source_format: str) -> pd.DataFrame:
    failures: list[pd.DataFrame] = []
    lon = parse_number(raw["X"], "X", failures)
    lat = parse_number(raw["Y"], "Y", failures)
    parsed = pd.DataFrame(
        {
            "reference": code(raw["reference"]),
            "date": _arcgis_dates(raw["dateofocc"], failures),
            # X/Y are the DMS positions converted (they match MSI within 1e-5°)
            **decimal_position(lat, lon, DMS_PRECISION_DEG),
            "position_text": empty_text(raw.index),
            "nav_area": code(raw["navarea"]),
            "subreg": code(raw["subreg"].astype("string")),
            "hostility": _text(raw["hostility_d"]),
            "victim": _text(raw["victim_d"]),
            "description": _text(raw["description"]),
            "hostility_type_code": parse_code(raw["hostilitytype_l"], "hostilitytype_l", failures),
            "victim_code": parse_code(raw["victim_l"], "victim_l", failures),
            "lephare_type": empty_text(raw.index),
            "lephare_zone": empty_text(raw.index),
        },
        index=raw.index,
    )
    duplicate = raw[ARCGIS_COLUMNS].astype("string").duplicated(keep="first")
    return finish(
        parsed,
        source=ARCGIS_SOURCE,
        source_format=source_format,
        duplicate=duplicate,
        path=path,
        failures=failures,
    )


def _from_geojson(data: object, path: Path) -> pd.DataFrame:
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise DataFormatError(f"{path}: expected a GeoJSON FeatureCollection with 'features'")
    features = data["features"]
    props = pd.DataFrame([f.get("properties") or {} for f in features])
    # point [lon, lat] (a third, z, value is ignored); no geometry -> missing position
    coords = [((f.get("geometry") or {}).get("coordinates") or [None, None])[:2] for f in features]
    xy = pd.DataFrame(coords, columns=["X", "Y"], dtype="float64") if coords else None
    raw = pd.concat([xy, props], axis=1) if coords else pd.DataFrame(columns=ARCGIS_COLUMNS)
    require_columns(raw, ARCGIS_COLUMNS, path)
    return _from_arcgis_records(raw, path, "arcgis_geojson")


def load_asam_arcgis(path: Path | None = None) -> pd.DataFrame:
    """Load the Esri ArcGIS export of the ASAM layer, one row per record (``asam_arcgis_csv``).

    Reads the Living Atlas CSV export of November 2020 (8 185 records, 1978-05-01 …
    2020-11-11; LF, no final newline) or, when the file content is JSON, the FeatureServer
    GeoJSON answer (``…/ASAM_events_V1/FeatureServer/0/query?where=1=1&outFields=*&f=geojson``)
    with the same attribute names, point geometry and ``dateofocc`` in epoch milliseconds.

    ``X``/``Y`` become ``longitude``/``latitude``; ``dateofocc`` keeps only its calendar date
    (its clock part is not an incident time); ``hostility_d``/``victim_d`` are the published
    hostility and victim texts; ``hostilitytype_l`` (1–10) and ``victim_l`` (1–13) become
    ``hostility_type_code`` and ``victim_code`` (NA where empty: 25 and 27 rows).

    Parameters
    ----------
    path : Path, optional
        The CSV export or a FeatureServer GeoJSON; default: the registered file.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`load_asam_msi`, with ``source`` "asam_arcgis_csv",
        ``position_text`` NA (no DMS text), ``position_precision_deg`` 1/3600 (the
        coordinates are the DMS positions converted), ``source_format`` "arcgis_csv" or
        "arcgis_geojson". Indexed by record (CSV) or feature number (GeoJSON).

    Raises
    ------
    DataFormatError
        A required column is missing.
    DataValidationError
        Listing every bad value.
    """
    path = Path(path) if path else fetch(ARCGIS_SOURCE)
    if _looks_like_json(path):
        return _from_geojson(_read_json(path), path)
    raw = _read_csv(path)
    require_columns(raw, ARCGIS_COLUMNS, path)
    return _from_arcgis_records(raw, path, "arcgis_csv")


# --- le-phare JSON -----------------------------------------------------------------------


def load_asam_lephare(path: Path | None = None) -> pd.DataFrame:
    """Load le-phare's reshaping of the ASAM layer from 2022-01-01 (``asam_lephare_json``).

    A JSON array, newest first, of ``{"id": "ASAM <reference>", "date", "type", "zone",
    "lat", "lon", "vessel", "hostility", "summary", "source": {"name", "url"}}``: 677
    records, 2022-01-01 … 2024-06-25. The file is not an official release: the official
    sources are the ArcGIS layer (load its GeoJSON with :func:`load_asam_arcgis`) and the
    MSI API (:func:`load_asam_msi` or :func:`load_asam_api`).

    ``type`` and ``zone`` are le-phare's own labels, kept unchanged as ``lephare_type``
    (boarding, drone-strike, seizure, hijack, gps-jamming, mine) and ``lephare_zone``; they
    are not NGA categories. ``vessel`` is the published victim text (150 null) and
    ``hostility`` the published hostility (384 null). There is no navArea, subreg or DMS
    position: those columns are NA.

    Parameters
    ----------
    path : Path, optional
        The le-phare JSON; default: the registered file.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`load_asam_msi`, with ``source`` "asam_lephare_json",
        ``position_precision_deg`` 0.001 (3 dp), ``source_format`` "lephare_json", indexed
        by position in the array.

    Raises
    ------
    DataFormatError
        The file is not a JSON array or a key is missing.
    DataValidationError
        Listing every bad value (id not ``ASAM <reference>``, date, coordinates...).
    """
    path = Path(path) if path else fetch(LEPHARE_SOURCE)
    data = _read_json(path)
    if not isinstance(data, list):
        raise DataFormatError(f"{path}: expected a JSON array of le-phare ASAM events")
    raw = pd.DataFrame(data) if data else pd.DataFrame(columns=LEPHARE_KEYS)
    require_columns(raw, LEPHARE_KEYS, path)
    failures: list[pd.DataFrame] = []
    ids = code(raw["id"])
    reference = ids.str.extract(r"^ASAM (\d{4}-\d+)$")[0].astype("string")
    failures.append(_failures(ids.notna() & reference.isna(), "id", "ASAM <reference>", ids))
    lat = parse_number(raw["lat"], "lat", failures)
    lon = parse_number(raw["lon"], "lon", failures)
    parsed = pd.DataFrame(
        {
            "reference": reference,
            "date": parse_date(code(raw["date"]), "%Y-%m-%d", "date", failures),
            **decimal_position(lat, lon, LEPHARE_PRECISION_DEG),
            "position_text": empty_text(raw.index),
            "nav_area": empty_text(raw.index),
            "subreg": empty_text(raw.index),
            "hostility": _text(raw["hostility"]),
            "victim": _text(raw["vessel"]),
            "description": _text(raw["summary"]),
            "hostility_type_code": empty_code(raw.index),
            "victim_code": empty_code(raw.index),
            "lephare_type": _text(raw["type"]),
            "lephare_zone": _text(raw["zone"]),
        },
        index=raw.index,
    )
    keys = raw[LEPHARE_KEYS].astype("string")
    return finish(
        parsed,
        source=LEPHARE_SOURCE,
        source_format="lephare_json",
        duplicate=keys.duplicated(keep="first"),
        path=path,
        failures=failures,
    )


# --- the full series ---------------------------------------------------------------------


def load_asam(
    msi_path: Path | None = None,
    arcgis_path: Path | None = None,
    lephare_path: Path | None = None,
) -> pd.DataFrame:
    """Load the full ASAM series, 1978-05-01 … 2024-06-25, merged from the three files.

    Merge rule, by ``reference``:

    1. every MSI row (:func:`load_asam_msi`), including both copies of the two references
       that the 2022 export repeats as identical rows (the later copy has
       ``duplicate_record`` True);
    2. ArcGIS rows (:func:`load_asam_arcgis`) whose reference is not in MSI (none with the
       registered files: every ArcGIS reference is in MSI, with the same date; a newer
       FeatureServer GeoJSON passed as ``arcgis_path`` would add its later records here);
    3. le-phare rows (:func:`load_asam_lephare`) whose reference is in neither.

    For shared references the earlier file wins (MSI, then ArcGIS, then le-phare; they agree
    on date, text and position). The other files then fill what the winning row lacks, by
    reference: ``hostility_type_code`` and ``victim_code`` from ArcGIS, ``lephare_type`` and
    ``lephare_zone`` from le-phare. ``nav_area`` and ``subreg`` stay NA for le-phare-only
    rows (le-phare has neither; assign them from :func:`load_asam_subregions` if needed).

    With the registered files this gives 8 642 + 540 = 9 182 rows and 9 180 distinct
    references, as the MANIFEST documents. The two repeated MSI rows are kept (so row
    counts match the MANIFEST and each source loader) and flagged: count distinct incidents
    as ``(~df["duplicate_record"]).sum()`` or ``df["reference"].nunique()``.

    Parameters
    ----------
    msi_path, arcgis_path, lephare_path : Path, optional
        The three files (any format their loaders accept); default: the registered files.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`load_asam_msi` (``source`` is the file the row comes from,
        ``source_format`` its layout), plus ``sources`` (the registry ids of every ASAM file
        that has the reference, ``;``-joined in the order asam_msi_csv, asam_arcgis_csv,
        asam_lephare_json) and ``source_record`` (record number in the ``source`` file).
        The index is a fresh 0-based row number, since rows come from several files.
    """
    msi = load_asam_msi(msi_path)
    arcgis = load_asam_arcgis(arcgis_path)
    lephare = load_asam_lephare(lephare_path)

    parts = [msi]
    seen = pd.Index(msi["reference"].unique())
    for frame in (arcgis, lephare):
        extra = frame[~frame["reference"].isin(seen)]
        parts.append(extra)
        seen = seen.union(pd.Index(extra["reference"].unique()))
    merged = pd.concat(parts)
    merged.insert(len(merged.columns), "sources", _sources_column(merged, msi, arcgis, lephare))
    merged.insert(len(merged.columns), "source_record", merged.index.astype("Int64"))
    merged = merged.reset_index(drop=True)

    fills = {ARCGIS_SOURCE: (arcgis, ["hostility_type_code", "victim_code"])}
    fills[LEPHARE_SOURCE] = (lephare, ["lephare_type", "lephare_zone"])
    for frame, columns in fills.values():
        first = frame.drop_duplicates("reference").set_index("reference")
        for column in columns:
            merged[column] = merged[column].fillna(merged["reference"].map(first[column]))
    label = f"ASAM merge of {msi_path or MSI_SOURCE}, {arcgis_path or ARCGIS_SOURCE}, "
    label += f"{lephare_path or LEPHARE_SOURCE}"
    return _validate(merged, ASAM_MERGED_SCHEMA, label, [])


def _sources_column(
    merged: pd.DataFrame, msi: pd.DataFrame, arcgis: pd.DataFrame, lephare: pd.DataFrame
) -> pd.Series:
    """Return, per row, the ``;``-joined ids of the ASAM files that have its reference."""
    joined = pd.Series("", index=merged.index, dtype="string")
    for source, frame in ((MSI_SOURCE, msi), (ARCGIS_SOURCE, arcgis), (LEPHARE_SOURCE, lephare)):
        has = merged["reference"].isin(frame["reference"]).to_numpy()
        joined = joined + np.where(has, f"{source};", "")
    return joined.str.rstrip(";")
