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
    OTHER_PAIRS,
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
    kde_projection_text,
    kde_reason_text,
    kde_rule_text,
    map_layers,
)
from osa_analysis.brief.maritime_figures import grayzone_years_figure, pair_colors
from osa_analysis.brief.numbers import date_text
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.core.dates import iso_date
from osa_analysis.core.i18n import N_, REFERENCE, _, language

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
    N_(
        "SCSDI codes events from news reports: coverage depends on media attention and "
        "language, and quiet, routine coercion is under-recorded."
    ),
    N_(
        "The published SCSDI table is an unverified copy with an internal licence: only "
        "counts and positions are used, never its event text."
    ),
    N_("The actor pair names the states involved, not who coerced whom."),
)


# --------------------------------------------------------------------------- wording


def _ja() -> bool:
    return language() != REFERENCE


def _years(first: int, last: int) -> str:
    """``"2021"`` or ``"2019 to 2023"`` (:func:`year_span`); ``"2019〜2023年"`` in Japanese."""
    if not _ja():
        return year_span(first, last)
    return (
        f"{first}年"
        if first == last
        else _("{first_year} to {last_year}").format(first_year=first, last_year=last)
    )


def _date(value) -> str:
    """Return an ISO date in English, the current language's date form otherwise."""
    return iso_date(value) if not _ja() else date_text(iso_date(value))


def _sentences(*parts: str) -> str:
    """Join sentences: with a space in English, directly in Japanese (empty ones dropped)."""
    return ("" if _ja() else " ").join(p for p in parts if p)


def pair_label(pair: str) -> str:
    """Return an actor pair's name in the current language ("CHN–PHL" stays as it is)."""
    if pair in (MULTILATERAL, OTHER_PAIRS):
        return _(pair)
    if pair.endswith(" alone"):
        return _("{iso3} alone").format(iso3=pair[: -len(" alone")])
    return pair


# --------------------------------------------------------------------------- not applicable


def _not_applicable(ctx: BriefContext, r: GrayzoneResult, name: str) -> Section:
    """Build the short note of a country the analysis does not apply to."""
    n = r.n_events
    if r.claimant:
        text = _(
            "The South China Sea Data Initiative (SCSDI) records no events with {name} as an "
            "actor up to {date} (its data start in {year})."
        ).format(name=esc(name), date=_date(r.as_of), year=r.data_start.year)
        section = not_applicable_section(ctx, KEY, text, r.reason)
        section.values["n_events"] = 0
        section.values["data_start"] = iso_date(r.data_start)
    else:
        if n == 0:
            text = _(
                "Not applicable: {name} is not a South China Sea claimant and does not appear as "
                "an actor in the South China Sea Data Initiative (SCSDI) events."
            ).format(name=esc(name))
        else:
            text = _(
                "Not applicable: {name} is not a South China Sea claimant; SCSDI lists it as an "
                "actor in only {events} ({years}), too few to analyse."
            ).format(name=esc(name), events=count_noun(n, "event"), years=_years(*r.year_span))
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
    fields = {"n": r.n_events, "name": esc(name), "first": b.first_year, "last": b.last_year}
    if b.n_undated:
        text = _(
            "The South China Sea Data Initiative (SCSDI) records **{n}** coercive or "
            "confrontational events at sea with {name} as an actor, {first} to {last} ({undated} "
            "of them dated only to the month or year)."
        ).format(**fields, undated=b.n_undated)
    else:
        text = _(
            "The South China Sea Data Initiative (SCSDI) records **{n}** coercive or "
            "confrontational events at sea with {name} as an actor, {first} to {last}."
        ).format(**fields)
    if not r.claimant:
        text = _sentences(
            text,
            _(
                "{name} is not a South China Sea claimant, but SCSDI records it as a party to "
                "these events."
            ).format(name=esc(capitalised(name))),
        )
    return text


def _recent_text(b: GrayzoneBreakdown) -> str:
    interval = b.n_recent_interval
    return _(
        "In the last {years} of data ({span}): {events} ({pct}% Poisson interval {low}–{high}), "
        "{china} of them with China as another actor ({share}%)."
    ).format(
        years=count_noun(len(b.recent_years), "year"),
        span=_years(b.recent_years[0], b.recent_years[-1]),
        events=count_noun(b.n_recent, "event"),
        pct=CONFIDENCE_PCT,
        low=fmt_num(interval[0], 1),
        high=fmt_num(interval[1], 1),
        china=b.n_recent_with_china,
        share=fmt_num(b.share_recent_with_china_pct),
    )


def _pairs_text(b: GrayzoneBreakdown, iso3: str, name: str) -> str:
    named = list(b.pair_counts.items())[:PAIRS_IN_TEXT]
    intro = _(
        "SCSDI has no event-type field, so events are broken down by the **actor pair**: the "
        'states SCSDI names, e.g. "CHN–{iso3}" for China and {name}, "{alone}" when no other '
        'state is named, "{multilateral}" for {min} or more.'
    ).format(
        iso3=iso3,
        name=esc(name),
        alone=pair_label(f"{iso3} alone"),
        multilateral=_(MULTILATERAL),
        min=MULTILATERAL_MIN,
    )
    sep = "、" if _ja() else "; "
    pairs = sep.join(_("{pair}: {n}").format(pair=esc(pair_label(k)), n=int(v)) for k, v in named)
    return _sentences(intro, _("{pairs}.").format(pairs=pairs))


def _coverage_text(b: GrayzoneBreakdown, as_of_year: int) -> str:
    gap = (
        _("SCSDI has no data after {end}, so the years to {year} are not covered.").format(
            end=b.data_end, year=as_of_year
        )
        if as_of_year > b.data_end
        else ""
    )
    jump = (
        _(
            "The jump after {end} is partly a change of file, not only of behaviour; no trend "
            "test is made."
        ).format(end=b.geocoded_end)
        if b.last_year > b.geocoded_end
        else _("No trend test is made.")
    )
    coverage = _(
        "Coverage: the geo-coded SCSDI file (v1, CC0) runs {first} to {geocoded_end}; the "
        "published table (internal licence: counts only, no event text in this brief) runs to "
        "{data_end} and holds most events from {published_from}."
    ).format(
        first=b.first_year,
        geocoded_end=b.geocoded_end,
        data_end=b.data_end,
        published_from=b.geocoded_end + 1,
    )
    return _sentences(coverage, jump, gap)


def _kde_text(kde: dict) -> str:
    if not kde["applied"]:
        return _("No density layer: {reason}.").format(reason=kde_reason_text(kde))
    return _(
        "Shading: kernel density of the {n} positions located to level 4 or better, {rule} with "
        "a standard deviation (bandwidth) of {bandwidth} km (wider than on the incident map "
        "because SCSDI positions are precise only to about 0.4° to 0.7°), computed in an "
        "{projection}."
    ).format(
        n=kde["n_points"],
        rule=kde_rule_text(kde),
        bandwidth=fmt_num(kde["bandwidth_km"]),
        projection=kde_projection_text(kde),
    )


def _precision_text(b: GrayzoneBreakdown, kde_text: str) -> str:
    sep = "、" if _ja() else "; "
    levels = sep.join(
        _("level {level}: {n}").format(level=_(p["level"]), n=p["events"])
        for p in b.precision
        if p["radius_deg"]
    )
    return _sentences(
        _(
            "Location precision (SCSDI levels; 1 is the most precise): {levels}; level outside 1 "
            "to 6: {other}; no position: {none}."
        ).format(levels=levels, other=b.n_other_level, none=b.n_no_position),
        _("Only levels 1 to 5 are mapped."),
        kde_text,
    )


# --------------------------------------------------------------------------- figures, tables


def _years_figure(b: GrayzoneBreakdown, name: str) -> tuple[str, object]:
    caption = _sentences(
        _(
            "SCSDI events per year with {name} as an actor ({first} to {last}), by actor pair."
        ).format(name=name, first=b.first_year, last=b.last_year),
        _("Dotted line: the geo-coded file ends in {end}.").format(end=b.geocoded_end)
        if b.last_year > b.geocoded_end
        else "",
    )
    by_year = b.by_year.rename(columns=pair_label)
    top = [pair_label(p) for p in b.top_pairs]
    return caption, grayzone_years_figure(by_year, top, b.years, b.geocoded_end, name)


def _map(ctx: BriefContext, b: GrayzoneBreakdown, name: str):
    """Draw the events located to level 5 or better over the South China Sea and the EEZ."""
    layers = map_layers(ctx.tables)
    points = b.mapped.assign(
        group=b.mapped["group"].map(pair_label),
        filled=b.mapped["in_density"],
        in_kde=b.mapped["in_density"],
    )
    extent = Extent(*SCS_EXTENT).union(country_extent(ctx.country_iso3, layers))
    return incident_map(
        points[["longitude", "latitude", "group", "filled", "in_kde"]],
        iso3=ctx.country_iso3,
        layers=layers,
        extent=extent,
        groups={pair_label(k): c for k, c in pair_colors(b.top_pairs).items()},
        title=_("SCSDI events with {name} as an actor ({first} to {last})").format(
            name=name, first=b.first_year, last=b.last_year
        ),
        legend_title=_("actor pair"),
        filled_label=_("located to ≤0.7° (levels 1–4)"),
        open_label=_("≈1.8° (level 5)"),
        kde=True,
        bandwidth_km=GRAYZONE_BANDWIDTH_KM,
    )


def _pair_table(b: GrayzoneBreakdown) -> pd.DataFrame:
    col_all = _("all years ({first} to {last})").format(first=b.first_year, last=b.last_year)
    col_recent = _("last {years}").format(years=count_noun(len(b.recent_years), "year"))
    return pd.DataFrame(
        [
            {
                _("actor pair"): pair_label(k),
                col_all: int(v),
                col_recent: b.pair_table_recent[k],
            }
            for k, v in list(b.pair_counts.items())[:PAIR_TABLE_ROWS]
        ]
    )


def _key_figures(r: GrayzoneResult, b: GrayzoneBreakdown, name: str) -> list[dict]:
    """Return the key figures (in the values: built in English, see :func:`grayzone_section`)."""
    if not b.recent_years:
        return []
    span = _years(b.recent_years[0], b.recent_years[-1])
    fields = {"n": b.n_recent, "name": name, "span": span, "china": b.n_recent_with_china}
    sentence = (
        _(
            "SCSDI recorded {n} coercive or confrontational events at sea with {name} as an "
            "actor in {span}, {china} of them also involving China; SCSDI has no data after "
            "{end}."
        ).format(**fields, end=b.data_end)
        if r.as_of.year > b.data_end
        else _(
            "SCSDI recorded {n} coercive or confrontational events at sea with {name} as an "
            "actor in {span}, {china} of them also involving China."
        ).format(**fields)
    )
    return [
        {
            "id": "grayzone_events_recent",
            "label": _("SCSDI gray-zone events with {name} as an actor, {span}").format(
                name=name, span=span
            ),
            "value": b.n_recent,
            "unit": _("events"),
            "interval": b.n_recent_interval,
            "interval_kind": _("exact Poisson {pct}% (Garwood)").format(pct=CONFIDENCE_PCT),
            "change": None,
            "change_text": None,
            "significant": None,
            "sentence": sentence,
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
    r = ctx.analysis(grayzone)
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
    not_mapped = _(
        "SCSDI events located to level 5 or better ({shown} shown); {level6} events located "
        "only to the South China Sea as a whole (level 6), {other} with a level outside 1 to 6 "
        "and {none} without a position are not mapped."
    ).format(
        shown=map_vals["n_in_window"],
        level6=b.n_level6,
        other=b.n_other_level,
        none=b.n_no_position,
    )
    figures.append((_sentences(not_mapped, kde_text), map_fig))
    method.append(_precision_text(b, kde_text))
    # key figures in the edition's language: the key-figures table shows them
    values["key_figures"] = _key_figures(r, b, country_name(ctx))
    return Section(
        key=KEY,
        title=registry.heading(KEY, ""),
        markdown="\n\n".join(md),
        method="\n\n".join(method),
        figures=figures,
        tables=[
            (
                _("SCSDI events with {name} as an actor, by actor pair (top {n})").format(
                    name=name, n=PAIR_TABLE_ROWS
                ),
                _pair_table(b),
            )
        ],
        values=values,
        sources=list(SECTION_SOURCES),
        caveats=[_(c) for c in CAVEATS],
    )
