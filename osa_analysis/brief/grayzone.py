"""Section 4 of the brief: gray-zone coercion in the South China Sea (SCSDI).

Presents :func:`osa_analysis.analyse.grayzone.grayzone`: SCSDI events with the country as
an actor by year and by actor pair (SCSDI has no event-type field), their location
precision, and a map. Countries the analysis does not apply to get a short note with the
reason.
"""

from __future__ import annotations

import pandas as pd

from osa_analysis.analyse.grayzone import (
    GRAYZONE_MIN_EVENTS,
    MULTILATERAL,
    MULTILATERAL_MIN,
    PAIR_TABLE_ROWS,
    SCSDI_SOURCE_IDS,
    GrayzoneBreakdown,
    GrayzoneResult,
    grayzone,
)
from osa_analysis.analyse.maritime import CONFIDENCE_PCT
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.incident_wording import (
    capitalised,
    count_noun,
    country_name,
    not_applicable_section,
    year_span,
)
from osa_analysis.brief.maps import (
    MAP_SOURCE_IDS,
    Extent,
    country_extent,
    incident_map,
    map_layers,
)
from osa_analysis.brief.maritime_figures import grayzone_years_figure, pair_colors
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.core.dates import iso_date

KEY = "grayzone"
SCS_EXTENT = (104.0, -2.0, 127.0, 24.0)
"""Window (west, south, east, north) of the gray-zone maps: the South China Sea and its
approaches."""
GRAYZONE_BANDWIDTH_KM = 100.0
"""Kernel standard deviation of the gray-zone density layer (SCSDI level 2–4 positions are
precise to 0.4–0.7°, about 45–80 km)."""
SECTION_SOURCES = sorted({*SCSDI_SOURCE_IDS, *MAP_SOURCE_IDS})
"""Sources of the section when it applies."""
PAIRS_IN_TEXT = 6
"""Actor pairs named in the text."""
CAVEATS = (
    "SCSDI codes events from news reports: coverage depends on media attention and "
    "language, and quiet, routine coercion is under-recorded.",
    "The published SCSDI table is an unverified copy with an internal licence: only "
    "counts and positions are used, never its event text.",
    "The actor pair names the states involved, not who coerced whom.",
)


# --------------------------------------------------------------------------- not applicable


def _not_applicable(ctx: BriefContext, r: GrayzoneResult, name: str) -> Section:
    """Build the short note of a country the analysis does not apply to."""
    n = r.n_events
    if r.claimant:
        text = (
            f"The South China Sea Data Initiative (SCSDI) records no events with {esc(name)} "
            f"as an actor up to {iso_date(r.as_of)} (its data start in {r.data_start.year})."
        )
        section = not_applicable_section(ctx, KEY, text, r.reason)
        section.values["n_events"] = 0
        section.values["data_start"] = iso_date(r.data_start)
    else:
        if n == 0:
            text = (
                f"Not applicable: {esc(name)} is not a South China Sea claimant and does not "
                "appear as an actor in the South China Sea Data Initiative (SCSDI) events."
            )
        else:
            text = (
                f"Not applicable: {esc(name)} is not a South China Sea claimant; SCSDI lists "
                f"it as an actor in only {count_noun(n, 'event')} "
                f"({year_span(*r.year_span)}), too few to analyse."
            )
        section = not_applicable_section(ctx, KEY, text, r.reason)
        section.values["n_events"] = n
        section.values["min_events"] = GRAYZONE_MIN_EVENTS
        if n:
            section.values["years"] = list(r.year_span)
    section.sources = list(SCSDI_SOURCE_IDS)
    return section


# --------------------------------------------------------------------------- values and text


def _values(r: GrayzoneResult, b: GrayzoneBreakdown) -> dict:
    return {
        "applicable": True,
        "reason": None,
        "country_iso3": r.country_iso3,
        "claimant": r.claimant,
        "n_events": r.n_events,
        "n_undated_year_only": b.n_undated,
        "years": [b.first_year, b.last_year],
        "data_end": b.data_end,
        "published_main_from": b.geocoded_end + 1,
        "coverage": {sid: [iso_date(a), iso_date(z)] for sid, (a, z) in b.coverage.items()},
        "by_year": {
            int(y): {str(k): int(v) for k, v in row.items()} for y, row in b.by_year.iterrows()
        },
        "by_year_total": {int(y): int(v) for y, v in b.by_year.sum(axis=1).items()},
        "actor_pairs": {str(k): int(v) for k, v in b.pair_counts.items()},
        "recent_years": [b.recent_years[0], b.recent_years[-1]] if b.recent_years else None,
        "n_recent": b.n_recent,
        "n_recent_interval": b.n_recent_interval,
        "n_recent_with_china": b.n_recent_with_china,
        "share_recent_with_china_pct": b.share_recent_with_china_pct,
        "precision": b.precision,
        "lookback_years": r.lookback_years,
        "multilateral_min": MULTILATERAL_MIN,
        "bandwidth_km": GRAYZONE_BANDWIDTH_KM,
        "confidence_pct": CONFIDENCE_PCT,
        "as_of": iso_date(r.as_of),
        "pair_table_recent": b.pair_table_recent,
        "pair_table_rows": PAIR_TABLE_ROWS,
    }


def _intro(r: GrayzoneResult, b: GrayzoneBreakdown, name: str) -> str:
    text = (
        f"The South China Sea Data Initiative (SCSDI) records **{r.n_events}** coercive or "
        f"confrontational events at sea with {esc(name)} as an actor, {b.first_year} to "
        f"{b.last_year}"
        + (f" ({b.n_undated} of them dated only to the month or year)" if b.n_undated else "")
        + "."
    )
    if not r.claimant:
        text += (
            f" {esc(capitalised(name))} is not a South China Sea claimant, but SCSDI records "
            "it as a party to these events."
        )
    return text


def _recent_text(b: GrayzoneBreakdown) -> str:
    interval = b.n_recent_interval
    return (
        f"In the last {count_noun(len(b.recent_years), 'year')} of data "
        f"({year_span(b.recent_years[0], b.recent_years[-1])}): "
        f"{count_noun(b.n_recent, 'event')} ({CONFIDENCE_PCT}% Poisson interval "
        f"{fmt_num(interval[0], 1)}–{fmt_num(interval[1], 1)}), {b.n_recent_with_china} of "
        f"them with China as another actor ({fmt_num(b.share_recent_with_china_pct)}%)."
    )


def _pairs_text(b: GrayzoneBreakdown, iso3: str, name: str) -> str:
    named = list(b.pair_counts.items())[:PAIRS_IN_TEXT]
    return (
        "SCSDI has no event-type field, so events are broken down by the **actor pair**: the "
        f'states SCSDI names, e.g. "CHN–{iso3}" for China and {esc(name)}, "{iso3} alone" '
        f'when no other state is named, "{MULTILATERAL}" for {MULTILATERAL_MIN} or more. '
        + "; ".join(f"{esc(k)}: {int(v)}" for k, v in named)
        + "."
    )


def _coverage_text(b: GrayzoneBreakdown, as_of_year: int) -> str:
    gap = (
        f" SCSDI has no data after {b.data_end}, so the years to {as_of_year} are not covered."
        if as_of_year > b.data_end
        else ""
    )
    jump = (
        f" The jump after {b.geocoded_end} is partly a change of file, not only of behaviour; "
        "no trend test is made."
        if b.last_year > b.geocoded_end
        else " No trend test is made."
    )
    return (
        f"Coverage: the geo-coded SCSDI file (v1, CC0) runs {b.first_year} to "
        f"{b.geocoded_end}; the published table (internal licence: counts only, no event text "
        f"in this brief) runs to {b.data_end} and holds most events from "
        f"{b.geocoded_end + 1}.{jump}{gap}"
    )


def _kde_text(kde: dict) -> str:
    if not kde["applied"]:
        return f"No density layer: {kde['reason']}."
    return (
        f"Shading: kernel density of the {kde['n_points']} positions located to "
        f"level 4 or better, {kde['bandwidth_rule']} with a standard deviation (bandwidth) "
        f"of {fmt_num(kde['bandwidth_km'])} km (wider than on the incident map because "
        f"SCSDI positions are precise only to about 0.4° to 0.7°), computed in an "
        f"{kde['projection']}."
    )


def _precision_text(b: GrayzoneBreakdown, kde_text: str) -> str:
    return (
        "Location precision (SCSDI levels; 1 is the most precise): "
        + "; ".join(f"level {p['level']}: {p['events']}" for p in b.precision if p["radius_deg"])
        + f"; level outside 1 to 6: {b.n_other_level}; no position: {b.n_no_position}. Only "
        f"levels 1 to 5 are mapped. {kde_text}"
    )


# --------------------------------------------------------------------------- figures, tables


def _years_figure(b: GrayzoneBreakdown, name: str) -> tuple[str, object]:
    caption = (
        f"SCSDI events per year with {name} as an actor ({b.first_year} to {b.last_year}), by "
        "actor pair."
        + (
            f" Dotted line: the geo-coded file ends in {b.geocoded_end}."
            if b.last_year > b.geocoded_end
            else ""
        )
    )
    return caption, grayzone_years_figure(b.by_year, b.top_pairs, b.years, b.geocoded_end, name)


def _map(ctx: BriefContext, b: GrayzoneBreakdown, name: str):
    """Draw the events located to level 5 or better over the South China Sea and the EEZ."""
    layers = map_layers(ctx.tables)
    points = b.mapped.assign(filled=b.mapped["in_density"], in_kde=b.mapped["in_density"])
    extent = Extent(*SCS_EXTENT).union(country_extent(ctx.country_iso3, layers))
    return incident_map(
        points[["longitude", "latitude", "group", "filled", "in_kde"]],
        iso3=ctx.country_iso3,
        layers=layers,
        extent=extent,
        groups=pair_colors(b.top_pairs),
        title=f"SCSDI events with {name} as an actor ({b.first_year} to {b.last_year})",
        legend_title="actor pair",
        filled_label="located to ≤0.7° (levels 1–4)",
        open_label="≈1.8° (level 5)",
        kde=True,
        bandwidth_km=GRAYZONE_BANDWIDTH_KM,
    )


def _pair_table(b: GrayzoneBreakdown) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "actor pair": k,
                f"all years ({b.first_year} to {b.last_year})": int(v),
                f"last {count_noun(len(b.recent_years), 'year')}": b.pair_table_recent[k],
            }
            for k, v in list(b.pair_counts.items())[:PAIR_TABLE_ROWS]
        ]
    )


def _key_figures(r: GrayzoneResult, b: GrayzoneBreakdown, name: str) -> list[dict]:
    if not b.recent_years:
        return []
    span = year_span(b.recent_years[0], b.recent_years[-1])
    no_data_after = f"; SCSDI has no data after {b.data_end}." if r.as_of.year > b.data_end else "."
    return [
        {
            "id": "grayzone_events_recent",
            "label": f"SCSDI gray-zone events with {name} as an actor, {span}",
            "value": b.n_recent,
            "unit": "events",
            "interval": b.n_recent_interval,
            "interval_kind": f"exact Poisson {CONFIDENCE_PCT}% (Garwood)",
            "change": None,
            "change_text": None,
            "significant": None,
            "sentence": (
                f"SCSDI recorded {b.n_recent} coercive or confrontational events at sea with "
                f"{name} as an actor in {span}, {b.n_recent_with_china} of them also "
                f"involving China{no_data_after}"
            ),
        }
    ]


# --------------------------------------------------------------------------- section 4


def grayzone_section(ctx: BriefContext) -> Section:
    """Section 4: gray-zone coercion in the South China Sea (SCSDI), by year and actor pair.

    Parameters
    ----------
    ctx : BriefContext
        The brief's context.

    Returns
    -------
    Section
        Key ``"grayzone"``. Full analysis for South China Sea claimants and for recipients
        with at least :data:`~osa_analysis.analyse.grayzone.GRAYZONE_MIN_EVENTS` SCSDI
        events as an actor; otherwise a short "not applicable" note with the reason.
    """
    name = country_name(ctx)
    r = grayzone(ctx.scope, ctx.tables)
    if not r.applicable:
        return _not_applicable(ctx, r, name)
    b = r.breakdown
    values = _values(r, b)
    md = [_intro(r, b, name)]
    if b.recent_years:
        md.append(_recent_text(b))
    md.append(_pairs_text(b, r.country_iso3, name))
    method = [_coverage_text(b, r.as_of.year)]
    figures = [_years_figure(b, name)]
    map_fig, map_vals = _map(ctx, b, name)
    values["map"] = map_vals
    kde_text = _kde_text(map_vals["kde"])
    figures.append(
        (
            f"SCSDI events located to level 5 or better ({map_vals['n_in_window']} shown); "
            f"{b.n_level6} events located only to the South China Sea as a whole (level 6), "
            f"{b.n_other_level} with a level outside 1 to 6 and {b.n_no_position} without a "
            f"position are not mapped. {kde_text}",
            map_fig,
        )
    )
    method.append(_precision_text(b, kde_text))
    values["key_figures"] = _key_figures(r, b, name)
    return Section(
        key=KEY,
        title=registry.heading(KEY, ""),
        markdown="\n\n".join(md),
        method="\n\n".join(method),
        figures=figures,
        tables=[
            (
                f"SCSDI events with {name} as an actor, by actor pair (top {PAIR_TABLE_ROWS})",
                _pair_table(b),
            )
        ],
        values=values,
        sources=list(SECTION_SOURCES),
        caveats=list(CAVEATS),
    )
