"""What makes a map orient its reader: degree labels, a scale bar, place names, point clusters.

Shared by every map of the brief (:mod:`osa_analysis.brief.maps` and the cyclone-track maps):

* :func:`degree_axes`: ticks labelled "178°E" / "178°W" and "10°N" / "10°S" (in Japanese
  東経178° / 西経178°, 北緯10° / 南緯10°), the same on both sides of 180°, so Fiji's maps agree;
* :func:`scale_bar`: a bar of a round length (50, 100, 200, 500 km...) about a fifth of the
  map wide, measured at the map's middle latitude;
* :func:`place_labels`: the names of the neighbouring countries on the map (the brief's own is
  shaded and named by the title, so its name never covers its incidents) and of
  the seas, straits and gulfs whose label point (``data/brief/seas.yaml``, each from the page
  it cites) lies inside it;
* :func:`cluster_points`: incidents that fall in one cell of a grid (about 1/70 of the map's
  width) become one marker sized and labelled by their number, so 40 incidents in Manila Bay
  read as "40", not as one blot.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from matplotlib.ticker import FuncFormatter

from osa_analysis.core.config import CURATED_DIR
from osa_analysis.core.i18n import N_, _, tr

SEAS_FILE = CURATED_DIR / "brief" / "seas.yaml"
"""Label points of seas, straits and gulfs (name, kind, lat, lon, source)."""

DATA_MESSAGES = (("data/brief/seas.yaml", "seas[].name"),)

NEIGHBOUR_NAMES = (
    N_("Australia"),
    N_("Brunei"),
    N_("Cambodia"),
    N_("China"),
    N_("Eritrea"),
    N_("Ethiopia"),
    N_("India"),
    N_("Indonesia"),
    N_("Japan"),
    N_("Laos"),
    N_("Malaysia"),
    N_("Myanmar"),
    N_("Nepal"),
    N_("New Caledonia"),
    N_("Papua New Guinea"),
    N_("Philippines"),
    N_("Russia"),
    N_("Samoa"),
    N_("Saudi Arabia"),
    N_("Singapore"),
    N_("Solomon Islands"),
    N_("Somalia"),
    N_("Somaliland"),
    N_("Sri Lanka"),
    N_("Taiwan"),
    N_("Thailand"),
    N_("Timor-Leste"),
    N_("Tonga"),
    N_("Vanuatu"),
    N_("Vietnam"),
    N_("Yemen"),
    N_("Fiji"),
    N_("Bangladesh"),
    N_("Mongolia"),
    N_("Djibouti"),
    N_("Bhutan"),
    N_("Kazakhstan"),
    N_("Maldives"),
    N_("East Timor"),
    N_("Wallis and Futuna"),
    N_("Niue"),
    N_("American Samoa"),
    N_("Sudan"),
    N_("Egypt"),
    N_("Oman"),
    N_("Kenya"),
    N_("Pakistan"),
    N_("North Korea"),
    N_("South Korea"),
    N_("Federated States of Micronesia"),
    N_("Palau"),
    N_("Guam"),
    N_("Northern Mariana Islands"),
)
"""Natural Earth names of the countries the maps label (translated where shown); a name not
listed here is shown as Natural Earth writes it."""

SCALE_STEPS_KM = (10, 20, 50, 100, 200, 250, 500, 1000, 2000)
CLUSTER_CELLS = 70
"""A map's width holds this many cluster cells (points within one cell become one marker)."""
KM_PER_DEGREE = 111.32
"""Length of a degree of latitude (and of longitude at the equator), km."""


# --------------------------------------------------------------------------- degrees


def lon_label(value: float) -> str:
    """Label a longitude (any convention): ``"178°E"``, ``"178°W"``, ``"180°"``, ``"0°"``."""
    lon = ((float(value) + 180.0) % 360.0) - 180.0
    degrees = f"{abs(lon):g}"
    if math.isclose(abs(lon), 180.0) or lon == 0:
        return _("{deg}°").format(deg=degrees)
    return (_("{deg}°E") if lon > 0 else _("{deg}°W")).format(deg=degrees)


def lat_label(value: float) -> str:
    """Label a latitude: ``"10°N"``, ``"10°S"``, ``"0°"``."""
    degrees = f"{abs(float(value)):g}"
    if value == 0:
        return _("{deg}°").format(deg=degrees)
    return (_("{deg}°N") if value > 0 else _("{deg}°S")).format(deg=degrees)


def degree_axes(ax) -> None:
    """Label both axes in degrees with hemispheres (no "longitude"/"latitude" titles)."""
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: lon_label(v)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: lat_label(v)))
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(labelsize=7)


# --------------------------------------------------------------------------- scale bar


def _box(pad: float, alpha: float) -> dict:
    """Return a faint white box for behind a label (legible over land, coast and points)."""
    return {
        "boxstyle": f"round,pad={pad}",
        "facecolor": "white",
        "edgecolor": "none",
        "alpha": alpha,
    }


def scale_length_km(width_km: float) -> int:
    """Return the round length nearest below a fifth of the map's width (km)."""
    target = width_km / 5
    fitting = [step for step in SCALE_STEPS_KM if step <= target]
    return fitting[-1] if fitting else SCALE_STEPS_KM[0]


def scale_bar(ax, west: float, south: float, east: float, north: float) -> int:
    """Draw a scale bar in the map's lower left corner; return its length in km.

    Measured along the middle latitude (plate carrée: a degree of longitude is
    ``cos(latitude)`` times shorter than one of latitude).
    """
    mid = math.radians((south + north) / 2)
    km_per_lon = KM_PER_DEGREE * max(math.cos(mid), 0.05)
    length = scale_length_km((east - west) * km_per_lon)
    x0 = west + 0.04 * (east - west)
    y0 = south + 0.05 * (north - south)
    x1 = x0 + length / km_per_lon
    tick = 0.012 * (north - south)
    for lw, colour in ((3.2, "white"), (1.4, "#1d2430")):
        ax.plot([x0, x1], [y0, y0], color=colour, linewidth=lw, solid_capstyle="butt", zorder=8)
        for x in (x0, x1):
            ax.plot([x, x], [y0 - tick, y0 + tick], color=colour, linewidth=lw * 0.6, zorder=8)
    ax.text(
        (x0 + x1) / 2,
        y0 + 2.2 * tick,
        _("{n} km").format(n=f"{length:,}"),
        ha="center",
        va="bottom",
        fontsize=6.5,
        zorder=8,
        bbox={
            "boxstyle": "round,pad=0.15",
            "facecolor": "white",
            "edgecolor": "none",
            "alpha": 0.7,
        },
    )
    return length


# --------------------------------------------------------------------------- place names


@cache
def _seas(path: Path = SEAS_FILE) -> tuple[dict, ...]:
    if not path.is_file():
        return ()
    return tuple(yaml.safe_load(path.read_text(encoding="utf-8")).get("seas") or ())


def seas_in(west: float, south: float, east: float, north: float) -> list[dict]:
    """Return the curated water bodies whose label point lies inside the window."""
    out = []
    for sea in _seas():
        lon = float(sea["lon"])
        lon = lon + 360.0 if east > 180.0 and lon < 0 else lon
        if west <= lon <= east and south <= float(sea["lat"]) <= north:
            out.append({**sea, "x": lon})
    return out


def place_labels(
    ax,
    window_countries: Mapping[str, object],
    iso3_name: str,
    west: float,
    south: float,
    east: float,
    north: float,
) -> dict:
    """Write the names of the countries and the seas inside the window.

    Parameters
    ----------
    window_countries : mapping
        Natural Earth name → its geometry clipped to the window (in the map's longitudes).
    iso3_name : str
        Natural Earth name of the brief's country (not written: the title names it).
    west, south, east, north : float
        The window.

    Returns
    -------
    dict
        ``countries`` and ``seas``: the names written (English), for ``values``.
    """
    area = (east - west) * (north - south)
    written = {"countries": [], "seas": []}
    for name, geometry in sorted(window_countries.items()):
        if geometry is None or geometry.is_empty:
            continue
        own = name == iso3_name
        if own or geometry.area < 0.004 * area:  # the title names the country; slivers unnamed
            continue
        point = max(getattr(geometry, "geoms", [geometry]), key=lambda g: g.area)
        point = point.representative_point()
        ax.text(
            point.x,
            point.y,
            str(tr(name)),
            ha="center",
            va="center",
            fontsize=6.5,
            color="#3b3b3b",
            zorder=7,
            bbox={
                "boxstyle": "round,pad=0.1",
                "facecolor": "white",
                "edgecolor": "none",
                "alpha": 0.55,
            },
        )
        written["countries"].append(name)
    for sea in seas_in(west, south, east, north):
        ax.text(
            sea["x"],
            float(sea["lat"]),
            str(tr(sea["name"])),
            ha="center",
            va="center",
            fontsize=6.5,
            fontstyle="italic",
            color="#2b6a99",
            alpha=0.85,
            zorder=5.5,  # under the incidents: a label never hides a cluster
        )
        written["seas"].append(sea["name"])
    return written


# --------------------------------------------------------------------------- clusters


def cluster_points(shown: pd.DataFrame, west: float, east: float) -> pd.DataFrame:
    """Merge the points that fall in one grid cell (and share group and markers) into one.

    Parameters
    ----------
    shown : DataFrame
        Points with ``x`` (longitude in the map's convention), ``latitude``, ``group`` and
        optional ``filled`` and ``coarse`` flags.
    west, east : float
        The window's longitudes (the cell is its width / :data:`CLUSTER_CELLS`).

    Returns
    -------
    DataFrame
        One row per marker: ``x``, ``latitude`` (the mean of its points), ``group``,
        ``filled``, ``coarse`` and ``n`` (its points).
    """
    if shown.empty:
        return shown.assign(n=pd.Series(dtype=int))
    cell = (east - west) / CLUSTER_CELLS
    frame = pd.DataFrame(
        {
            "x": shown["x"].to_numpy(float),
            "latitude": shown["latitude"].to_numpy(float),
            "group": shown["group"].to_numpy(object),
            "filled": (shown["filled"] if "filled" in shown else True),
            "coarse": (shown["coarse"] if "coarse" in shown else False),
        }
    )
    frame["filled"] = frame["filled"].fillna(True).astype(bool)
    frame["coarse"] = frame["coarse"].fillna(False).astype(bool)
    frame["cx"] = np.floor(frame["x"] / cell).astype(int)
    frame["cy"] = np.floor(frame["latitude"] / cell).astype(int)
    keys = ["group", "filled", "coarse", "cx", "cy"]
    out = (
        frame.groupby(keys, sort=True, dropna=False)
        .agg(x=("x", "mean"), latitude=("latitude", "mean"), n=("x", "size"))
        .reset_index()
    )
    return out.drop(columns=["cx", "cy"])


def marker_size(n: int | np.ndarray) -> np.ndarray:
    """Return the marker area (points²) of a cluster of ``n`` points (16 for one)."""
    return 16.0 * np.sqrt(np.asarray(n, dtype=float)) ** 1.2
