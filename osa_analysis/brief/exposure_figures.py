"""Figures and tables of the disaster-exposure section (drawn from the analysis result)."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from osa_analysis.analyse.hazards import (
    AGENCY_LABELS,
    AGENCY_PREFERENCE,
    CHART_FIRST_SEASON,
    DISTANCES_KM,
    HEADLINE_KM,
    INTENSE_WIND_KT,
    STORM_WIND_KT,
    CycloneExposure,
)
from osa_analysis.brief.section import fmt_num
from osa_analysis.brief.style import ACCENT, NEUTRAL, bars, figure, vspans
from osa_analysis.core.countries import country_name
from osa_analysis.sources.loaders.geography import lon_extent


def winds_label(periods) -> str:
    """``"1-min winds"``, ``"3/10-min winds"`` or ``"no winds recorded"``."""
    vals = sorted({int(p) for p in periods if p is not None and not pd.isna(p)})
    if not vals:
        return "no winds recorded"
    return "/".join(str(v) for v in vals) + "-min winds"


def exposure_figure(exp: dict, iso3: str) -> Figure | None:
    """Bars of storms per season within the headline distance, one panel per agency."""
    agencies = [a for a in AGENCY_PREFERENCE if exp["agencies"][a]["n_complete_seasons"] > 0]
    if not agencies:
        return None
    h = HEADLINE_KM
    last = max(
        max(int(s) for s in exp["agencies"][a]["per_season"])
        for a in agencies
        if exp["agencies"][a]["per_season"]
    )
    fig, axes = figure(
        width=7.8,
        height=1.0 + 0.88 * len(agencies),
        nrows=len(agencies),
        ncols=1,
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    ymax = 1
    for a in agencies:
        ymax = max([ymax, *(v[f"within_{h}"] for v in exp["agencies"][a]["per_season"].values())])
    for row, a in enumerate(agencies):
        ax = axes[row][0]
        e = exp["agencies"][a]
        seasons = sorted(int(s) for s in e["per_season"])
        counts = [e["per_season"][s][f"within_{h}"] for s in seasons]
        intense = [e["per_season"][s][f"intense_{h}"] for s in seasons]
        bars(ax, seasons, counts, color="#9ecae1", width=0.85, label=f"all systems within {h} km")
        bars(
            ax,
            seasons,
            intense,
            color=ACCENT,
            width=0.85,
            label=f"≥{INTENSE_WIND_KT} kt within {h} km",
        )
        covered = set(seasons)
        gaps = [s for s in range(CHART_FIRST_SEASON, last + 1) if s not in covered]
        vspans(ax, [(s - 0.5, s + 0.5) for s in gaps], "#d9d9d9", alpha=0.6)
        partial = f"; only {', '.join(e['basins_covered'])}" if e["basins_not_covered"] else ""
        ax.set_title(
            f"{e['label']} ({winds_label(e['wind_avg_periods_min'])}{partial})",
            loc="left",
            fontsize=9,
        )
        ax.set_ylabel("storms")
        ax.set_ylim(0, ymax * 1.1 + 0.5)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower right", fontsize=7, ncols=2)
    axes[-1][0].set_xlim(CHART_FIRST_SEASON - 0.7, last + 0.7)
    axes[-1][0].set_xlabel(
        "season (southern basins: July–June, named by the year it ends); grey: not covered"
    )
    fig.suptitle(
        f"Tropical cyclones passing within {h} km of {country_name(iso3)}, per agency",
        fontsize=10,
        fontweight="bold",
    )
    return fig


def track_map(exp: CycloneExposure, countries: gpd.GeoDataFrame, iso3: str) -> Figure | None:
    """Map the headline agency's recent tracks within 500 km (country outline)."""
    tm = exp.track_map
    if tm is None:
        return None
    entry = exp.values["agencies"][tm.agency]
    far = max(DISTANCES_KM)
    first, last = tm.first, tm.last
    tr = tm.fixes
    geom = exp.land
    west, east = lon_extent(geom)
    shift = east > 180  # the country straddles ±180°: draw in 0–360° longitudes

    def x(lon: np.ndarray) -> np.ndarray:
        lon = np.asarray(lon, dtype="float64")
        return lon % 360.0 if shift else lon

    fig, ax = figure(width=6.5, height=4.6)
    _, miny, _, maxy = shapely.bounds(geom)
    mid = math.cos(math.radians((miny + maxy) / 2))
    pad_lat = far / 111.2
    pad_lon = pad_lat / max(mid, 0.3)
    # neighbouring land for orientation (light), the country itself (darker)
    view = (west - pad_lon - 5, miny - pad_lat - 5, east + pad_lon + 5, maxy + pad_lat + 5)
    for other, iso in zip(countries.geometry.to_numpy(), countries["country_iso3"], strict=True):
        if isinstance(iso, str) and iso == iso3:
            continue
        for poly in shapely.get_parts(other):
            xs, ys = (np.asarray(v) for v in poly.exterior.xy)
            xx = x(xs)
            if xx.max() < view[0] or xx.min() > view[2] or ys.max() < view[1] or ys.min() > view[3]:
                continue
            ax.fill(xx, ys, color="#f0f0f0", lw=0.2, ec="#bdbdbd", zorder=1)
    for poly in shapely.get_parts(geom):
        xs, ys = (np.asarray(v) for v in poly.exterior.xy)
        ax.fill(x(xs), ys, color="#bdbdbd", lw=0.3, ec=NEUTRAL, zorder=2)
    intense_ids = tm.intense_ids
    lines = {True: [], False: []}
    for sid, g in tr.groupby("storm_id", sort=True):
        lon = np.degrees(np.unwrap(np.radians(x(g["longitude"].to_numpy()))))
        lines[sid in intense_ids].append(np.column_stack([lon, g["latitude"].to_numpy()]))
    for strong, segs in lines.items():
        if segs:
            ax.add_collection(
                LineCollection(
                    segs,
                    colors=ACCENT if strong else "#3182bd",
                    linewidths=0.9 if strong else 0.5,
                    alpha=0.8,
                    zorder=3 if strong else 2.5,
                )
            )
    ax.set_xlim(west - pad_lon, east + pad_lon)
    ax.set_ylim(miny - pad_lat, maxy + pad_lat)
    ax.set_aspect(1 / max(mid, 0.3))
    ax.set_xlabel("longitude (°E" + (", Pacific-centred)" if shift else ")"))
    ax.set_ylabel("latitude (°N)")
    ax.set_title(
        f"{entry['label']} tracks within {far} km, seasons {first}–{last}\n"
        f"(red: ≥{INTENSE_WIND_KT} kt within {HEADLINE_KM} km, "
        f"{winds_label(entry['wind_avg_periods_min'])})",
        fontsize=9,
    )
    return fig


def agency_table(exp: dict) -> pd.DataFrame:
    """Return the table of mean storms per season and distance, one row per agency."""
    rows = []
    h = HEADLINE_KM
    for a in AGENCY_PREFERENCE:
        e = exp["agencies"][a]
        if not e["basins_covered"]:
            rows.append(
                {
                    "agency": e["label"],
                    "winds": winds_label(e["wind_avg_periods_min"]),
                    "basins covered (files)": "none of " + ", ".join(exp["relevant_basins"]),
                    "complete seasons": "none",
                    **{f"storms/season ≤{d} km": "n/a" for d in DISTANCES_KM},
                    f"≥{STORM_WIND_KT} kt/season ≤{h} km": "n/a",
                    f"≥{INTENSE_WIND_KT} kt ≤{h} km": "n/a",
                    f"no wind ≤{h} km": "n/a",
                }
            )
            continue
        rec = e["recent_seasons"]
        rows.append(
            {
                "agency": e["label"],
                "winds": winds_label(e["wind_avg_periods_min"]),
                "basins covered (files)": "; ".join(
                    f"{b} {p[0]} to {p[1]}" for b, p in e["basins_covered"].items()
                ),
                "complete seasons": (
                    f"{rec[0]}–{rec[1]} ({e['n_recent_seasons']})" if rec else "none"
                ),
                **{
                    f"storms/season ≤{d} km": fmt_num(e["by_distance"][str(d)]["mean_recent"], 2)
                    for d in DISTANCES_KM
                },
                f"≥{STORM_WIND_KT} kt/season ≤{h} km": fmt_num(
                    e["by_distance"][str(h)].get("storm_strength_mean_recent"), 2
                ),
                f"≥{INTENSE_WIND_KT} kt ≤{h} km": fmt_num(
                    e["by_distance"][str(h)].get("intense_recent"), 0
                ),
                f"no wind ≤{h} km": fmt_num(e["by_distance"][str(h)].get("wind_unknown_recent")),
            }
        )
    return pd.DataFrame(rows)


def intense_table(exp: dict) -> pd.DataFrame:
    """Return the table of storms reaching intense force near the country."""
    rows = [
        {
            "agency": AGENCY_LABELS[r["agency"]],
            "season": r["season"],
            # tables are HTML-escaped when rendered: raw text here
            "storm": r["name"] or r["storm_id"],
            "closest approach (UTC date)": r["closest_date"],
            "closest distance km": fmt_num(r["min_distance_km"]),
            f"max wind ≤{HEADLINE_KM} km": f"{fmt_num(r['max_wind_kt'])} kt "
            f"({r['wind_avg_period_min']}-min)",
        }
        for r in exp["intense_recent"]
    ]
    return pd.DataFrame(rows)
