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
from osa_analysis.brief.map_marks import degree_axes, scale_bar
from osa_analysis.brief.numbers import date_text
from osa_analysis.brief.section import fmt_num
from osa_analysis.brief.style import ACCENT, NEUTRAL, bars, figure, vspans
from osa_analysis.core.countries import country_name
from osa_analysis.core.i18n import REFERENCE, _, language, tr
from osa_analysis.sources.loaders.geography import lon_extent


def agency_label(agency: str) -> str:
    """Return an agency's short name (:data:`AGENCY_LABELS`) in the current language."""
    return _(AGENCY_LABELS[agency])


def join_list(items) -> str:
    """Join names or numbers: ``"WP, SP"`` in English, ``"WP、SP"`` in other languages."""
    return (", " if language() == REFERENCE else "、").join(str(i) for i in items)


def dash_span(first: object, last: object) -> str:
    """``"2012–2021"`` (en dash) in English, ``"2012〜2021"`` in Japanese."""
    return _("{first}–{last}").format(first=first, last=last)


def day_text(value: str) -> str:
    """Return an ISO date of the values as shown (itself in English)."""
    return value if language() == REFERENCE or value is None else date_text(value)


def basin_periods(covered: dict) -> str:
    """Return ``"WP 2021-01-01 to 2024-09-22; SP ..."``: the periods each file covers."""
    sep = "; " if language() == REFERENCE else "、"
    return sep.join(
        _("{basin} {first} to {last}").format(basin=b, first=day_text(p[0]), last=day_text(p[1]))
        for b, p in covered.items()
    )


def winds_label(periods) -> str:
    """``"1-min winds"``, ``"3/10-min winds"`` or ``"no winds recorded"``."""
    vals = sorted({int(p) for p in periods if p is not None and not pd.isna(p)})
    if not vals:
        return _("no winds recorded")
    return _("{minutes}-min winds").format(minutes="/".join(str(v) for v in vals))


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
        bars(
            ax,
            seasons,
            counts,
            color="#9ecae1",
            width=0.85,
            label=_("all systems within {h} km").format(h=h),
        )
        bars(
            ax,
            seasons,
            intense,
            color=ACCENT,
            width=0.85,
            label=_("≥{kt} kt within {h} km").format(kt=INTENSE_WIND_KT, h=h),
        )
        covered = set(seasons)
        gaps = [s for s in range(CHART_FIRST_SEASON, last + 1) if s not in covered]
        vspans(ax, [(s - 0.5, s + 0.5) for s in gaps], "#d9d9d9", alpha=0.6)
        winds = winds_label(e["wind_avg_periods_min"])
        title = (
            _("{agency} ({winds}; only {basins})").format(
                agency=agency_label(a), winds=winds, basins=join_list(e["basins_covered"])
            )
            if e["basins_not_covered"]
            else _("{agency} ({winds})").format(agency=agency_label(a), winds=winds)
        )
        ax.set_title(title, loc="left", fontsize=9)
        ax.set_ylabel(_("storms"))
        ax.set_ylim(0, ymax * 1.1 + 0.5)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower right", fontsize=7, ncols=2)
    axes[-1][0].set_xlim(CHART_FIRST_SEASON - 0.7, last + 0.7)
    axes[-1][0].set_xlabel(
        _("season (southern basins: July–June, named by the year it ends); grey: not covered")
    )
    fig.suptitle(
        _("Tropical cyclones passing within {h} km of {country}, per agency").format(
            h=h, country=tr(country_name(iso3))
        ),
        fontsize=10,
        fontweight="bold",
    )
    return fig


def track_map(
    exp: CycloneExposure, countries: gpd.GeoDataFrame, iso3: str
) -> tuple[Figure, dict] | tuple[None, dict]:
    """Map the headline agency's recent tracks within 500 km (country outline).

    Returns the figure (``None`` without tracks) and its values (``scale_bar_km``).
    """
    tm = exp.track_map
    if tm is None:
        return None, {}
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
    _west, miny, _east, maxy = shapely.bounds(geom)
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
    degree_axes(ax)  # 178°E … 180° … 178°W, as on the incident maps
    scale_km = scale_bar(ax, west - pad_lon, miny - pad_lat, east + pad_lon, maxy + pad_lat)
    ax.set_title(
        _(
            "{agency} tracks within {far} km, seasons {first}–{last}\n"
            "(red: ≥{kt} kt within {h} km, {winds})"
        ).format(
            agency=agency_label(tm.agency),
            far=far,
            first=first,
            last=last,
            kt=INTENSE_WIND_KT,
            h=HEADLINE_KM,
            winds=winds_label(entry["wind_avg_periods_min"]),
        ),
        fontsize=9,
    )
    return fig, {"scale_bar_km": scale_km}


def agency_table(exp: dict) -> pd.DataFrame:
    """Return the table of mean storms per season and distance, one row per agency."""
    rows = []
    h = HEADLINE_KM
    na = _("n/a")
    col_agency, col_winds = _("agency"), _("winds")
    col_basins, col_seasons = _("basins covered (files)"), _("complete seasons")
    col_dist = {d: _("storms/season ≤{d} km").format(d=d) for d in DISTANCES_KM}
    col_storm = _("≥{kt} kt/season ≤{h} km").format(kt=STORM_WIND_KT, h=h)
    col_intense = _("≥{kt} kt ≤{h} km").format(kt=INTENSE_WIND_KT, h=h)
    col_unknown = _("no wind ≤{h} km").format(h=h)
    for a in AGENCY_PREFERENCE:
        e = exp["agencies"][a]
        if not e["basins_covered"]:
            rows.append(
                {
                    col_agency: agency_label(a),
                    col_winds: winds_label(e["wind_avg_periods_min"]),
                    col_basins: _("none of {basins}").format(
                        basins=join_list(exp["relevant_basins"])
                    ),
                    col_seasons: _("none"),
                    **{col_dist[d]: na for d in DISTANCES_KM},
                    col_storm: na,
                    col_intense: na,
                    col_unknown: na,
                }
            )
            continue
        rec = e["recent_seasons"]
        rows.append(
            {
                col_agency: agency_label(a),
                col_winds: winds_label(e["wind_avg_periods_min"]),
                col_basins: basin_periods(e["basins_covered"]),
                col_seasons: (
                    _("{first}–{last} ({n})").format(
                        first=rec[0], last=rec[1], n=e["n_recent_seasons"]
                    )
                    if rec
                    else _("none")
                ),
                **{
                    col_dist[d]: fmt_num(e["by_distance"][str(d)]["mean_recent"], 2)
                    for d in DISTANCES_KM
                },
                col_storm: fmt_num(e["by_distance"][str(h)].get("storm_strength_mean_recent"), 2),
                col_intense: fmt_num(e["by_distance"][str(h)].get("intense_recent"), 0),
                col_unknown: fmt_num(e["by_distance"][str(h)].get("wind_unknown_recent")),
            }
        )
    return pd.DataFrame(rows)


def intense_table(exp: dict) -> pd.DataFrame:
    """Return the table of storms reaching intense force near the country."""
    col_wind = _("max wind ≤{h} km").format(h=HEADLINE_KM)
    rows = [
        {
            _("agency"): agency_label(r["agency"]),
            _("season"): r["season"],
            # tables are HTML-escaped when rendered: raw text here
            _("storm"): r["name"] or r["storm_id"],
            _("closest approach (UTC date)"): day_text(r["closest_date"]),
            _("closest distance km"): fmt_num(r["min_distance_km"]),
            col_wind: _("{wind} kt ({minutes}-min)").format(
                wind=fmt_num(r["max_wind_kt"]), minutes=r["wind_avg_period_min"]
            ),
        }
        for r in exp["intense_recent"]
    ]
    return pd.DataFrame(rows)
