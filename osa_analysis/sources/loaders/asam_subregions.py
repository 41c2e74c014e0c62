"""NGA ASAM subregion polygons (``asam_subregions``), the regions ASAM incidents name."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely
from shapely.geometry import Polygon

from osa_analysis.core.validation import DataFormatError, DataValidationError, validate
from osa_analysis.sources.fetch import fetch

SUBREGIONS_SOURCE = "asam_subregions"

SUBREGIONS_SCHEMA = pa.DataFrameSchema(
    {"subreg": pa.Column("string", pa.Check.str_matches(r"^\d+$"), unique=True)},
    strict=False,
)


def load_asam_subregions(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load the ASAM subregion polygons (``asam_subregions``), one row per subregion.

    The file has no header and no final newline; each line is
    ``subreg, lat1, lon1, lat2, lon2, …`` (**latitude first**) describing one closed ring.
    Subregions 16, 41, 76, 83 and 96 are split at the antimeridian into two lines each; the
    lines that share a ``subreg`` are unioned, giving a MultiPolygon for those five and a
    Polygon for the others. 58 lines give 53 subregions; Fiji lies in subregion 83. The codes
    match the incidents' ``subreg``.

    Parameters
    ----------
    path : Path, optional
        The subregions CSV; default: the registered file.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``subreg`` (string, e.g. "83") and ``geometry`` (EPSG:4326, longitude
        first), in order of first appearance in the file; index 0-based.

    Raises
    ------
    DataValidationError
        Naming each bad line (0-based) and field: a non-numeric coordinate, an odd number
        of coordinates, fewer than 4 points, an open ring, a coordinate out of range or an
        invalid polygon.
    """
    path = Path(path) if path else fetch(SUBREGIONS_SOURCE)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise DataFormatError(f"{path}: not UTF-8 text ({exc})") from exc
    problems: list[tuple[int, str, str, object]] = []
    codes: list[str] = []
    polygons: list[Polygon] = []
    # 58 short lines: a plain loop is clearer than vectorising
    for record, line in enumerate(lines):
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split(",")]
        code, values = fields[0], fields[1:]
        numbers = []
        for k, value in enumerate(values):
            try:
                numbers.append(float(value))
            except ValueError:
                column = f"{'lat' if k % 2 == 0 else 'lon'}{k // 2 + 1}"
                problems.append((record, column, "is a number", value))
        if len(numbers) != len(values):
            continue
        if not re.fullmatch(r"\d+", code):
            problems.append((record, "subreg", "is a number", code))
        if len(numbers) % 2:
            problems.append((record, "coordinates", "lat, lon pairs", len(numbers)))
            continue
        lat, lon = np.array(numbers[0::2]), np.array(numbers[1::2])
        if len(lat) < 4:
            problems.append((record, "coordinates", "at least 4 points", len(lat)))
            continue
        closed = (lat[0], lon[0]) == (lat[-1], lon[-1])
        if not closed:
            problems.append((record, "coordinates", "closed ring", f"{lat[-1]},{lon[-1]}"))
        if np.abs(lat).max() > 90:
            problems.append((record, "coordinates", "latitude in [-90, 90]", lat.max()))
        if np.abs(lon).max() > 180:
            problems.append((record, "coordinates", "longitude in [-180, 180]", lon.max()))
        polygon = Polygon(np.column_stack([lon, lat]))
        if closed and not polygon.is_valid:  # an open ring is reported once, above
            problems.append(
                (record, "coordinates", "valid polygon", shapely.is_valid_reason(polygon))
            )
        codes.append(code)
        polygons.append(polygon)
    if problems:
        raise DataValidationError(
            str(path), pd.DataFrame(problems, columns=["record", "column", "check", "value"])
        )
    parts = gpd.GeoDataFrame({"subreg": codes}, geometry=polygons, crs="EPSG:4326")
    order = pd.unique(parts["subreg"])
    # antimeridian halves are disjoint in lon/lat, so their union is a MultiPolygon
    merged = parts.dissolve(by="subreg", sort=False).reindex(order).reset_index()
    merged["subreg"] = merged["subreg"].astype("string")
    out = gpd.GeoDataFrame(merged[["subreg", "geometry"]], geometry="geometry", crs="EPSG:4326")
    validate(pd.DataFrame(out.drop(columns="geometry")), SUBREGIONS_SCHEMA, path)
    return out
