"""Section "Disaster exposure": tropical cyclones passing near the country, per agency.

The numbers come from :func:`osa_analysis.analyse.hazards.cyclone_exposure`; this module
writes the text and key figures, :mod:`osa_analysis.brief.exposure_figures` draws the chart,
the track map and the tables.
"""

from __future__ import annotations

import re

from osa_analysis.analyse import hazards
from osa_analysis.analyse.hazards import (
    AGENCY_PREFERENCE,
    DISTANCES_KM,
    HEADLINE_KM,
    INTENSE_WIND_KT,
    INTERP_STEP_KM,
    RECENT_SEASONS,
    STORM_WIND_KT,
)
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.exposure_figures import (
    agency_label,
    agency_table,
    basin_periods,
    dash_span,
    day_text,
    exposure_figure,
    intense_table,
    join_list,
    track_map,
    winds_label,
)
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.core.countries import country_name
from osa_analysis.core.i18n import REFERENCE, _, language, tr
from osa_analysis.harmonise.tracks import COVERAGE_GAPS, HAZARD_SOURCES

KEY = "exposure"
_JTWC_ID = re.compile(r"((?:19|20)\d{2})(\d{2})")
"""A JTWC best-track id: season and the cyclone's western-Pacific number (``201331``: 31W)."""


def prepare(ctx: BriefContext) -> None:
    """Prepare the cyclone fix table once for the build (shared by its briefs)."""
    hazards.prepared_fixes(ctx.tables)


def _sentences(*parts: str) -> str:
    """Join sentences: with a space in English, directly in Japanese (empty ones dropped)."""
    return (" " if language() == REFERENCE else "").join(p for p in parts if p)


def _possessive(name: str) -> str:
    """``"Fiji's"``, ``"Philippines'"`` in English; the name itself in other languages."""
    if language() != REFERENCE:
        return name
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _storm_label(name: str | None, storm_id: str) -> str:
    """Return a storm's name, else its number ("31W (2013)" for JTWC's id 201331).

    JTWC's western-Pacific best tracks carry no names; their ids are the season and the
    cyclone's number. Other unnamed records read "storm <id>".
    """
    if name:
        return esc(name)
    jtwc = _JTWC_ID.fullmatch(str(storm_id))
    if jtwc:
        return _("{number}W ({season})").format(
            number=f"{int(jtwc.group(2)):02d}", season=jtwc.group(1)
        )
    return _("storm {id}").format(id=storm_id)


def _ci_text(ci) -> str:
    if not ci or ci[0] is None:
        return _("n/a")
    hi = "∞" if ci[1] is None else fmt_num(ci[1], 2)
    return dash_span(fmt_num(ci[0], 2), hi)


def _key_sentence(exp: dict, name: str, label: str, wind_label: str, partial: str | None) -> str:
    """Return the sentence of the cyclone key figure (no track near, landlocked, or the rate)."""
    h = HEADLINE_KM
    e = exp["agencies"][exp["headline_agency"]]
    d = e["by_distance"][str(h)]
    rec = e["recent_seasons"]
    mean = d["storm_strength_mean_recent"]
    all_mean = d["mean_recent"]
    closest = exp["closest_approach"]
    last = exp.get("last_within_far")
    far = max(DISTANCES_KM)
    if all_mean == 0 and closest["distance_km"] > far:
        sentence = _(
            "No tropical-cyclone track in any agency's record came within {far} km of "
            "{name_possessive} land (closest: {distance} km, {date}); cyclones are not a direct "
            "hazard."
        ).format(
            far=far,
            name_possessive=_possessive(name),
            distance=fmt_num(closest["distance_km"]),
            date=day_text(closest["date"]),
        )
    elif exp.get("landlocked") and all_mean == 0:
        fields = {"name": name, "h": h, "first": rec[0], "last": rec[1], "agency": label}
        sentence = (
            _(
                "{name} is landlocked and no storm passed within {h} km in {first}–{last} "
                "({agency}); the last decayed remnant within {far} km was in season {season}: "
                "tropical cyclones are not a direct hazard."
            ).format(**fields, far=far, season=last["season"])
            if last
            else _(
                "{name} is landlocked and no storm passed within {h} km in {first}–{last} "
                "({agency}): tropical cyclones are not a direct hazard."
            ).format(**fields)
        )
    else:
        few = e["n_recent_seasons"] < RECENT_SEASONS
        if few and partial:
            message = _(
                "Over the only {n} complete seasons covered ({first}–{last}), {mean} storms per "
                "season of gale force (≥{kt} kt, {winds}) passed within {h} km of "
                "{name_possessive} land ({all_mean} tracked systems of any strength), per the "
                "{agency} record ({basins} basin only)."
            )
        elif few:
            message = _(
                "Over the only {n} complete seasons covered ({first}–{last}), {mean} storms per "
                "season of gale force (≥{kt} kt, {winds}) passed within {h} km of "
                "{name_possessive} land ({all_mean} tracked systems of any strength), per the "
                "{agency} record."
            )
        elif partial:
            message = _(
                "Over the last {n} complete seasons ({first}–{last}), {mean} storms per season of "
                "gale force (≥{kt} kt, {winds}) passed within {h} km of {name_possessive} land "
                "({all_mean} tracked systems of any strength), per the {agency} record ({basins} "
                "basin only)."
            )
        else:
            message = _(
                "Over the last {n} complete seasons ({first}–{last}), {mean} storms per season of "
                "gale force (≥{kt} kt, {winds}) passed within {h} km of {name_possessive} land "
                "({all_mean} tracked systems of any strength), per the {agency} record."
            )
        sentence = message.format(
            n=e["n_recent_seasons"] if few else RECENT_SEASONS,
            first=rec[0],
            last=rec[1],
            mean=fmt_num(mean, 2),
            kt=STORM_WIND_KT,
            winds=wind_label,
            h=h,
            name_possessive=_possessive(name),
            all_mean=fmt_num(all_mean, 2),
            agency=label,
            basins=partial,
        )
    return sentence


def _key_figures(exp: dict, name: str) -> list[dict]:
    """Return the key figures (in the values: built in English, see :func:`exposure_section`)."""
    agency = exp.get("headline_agency")
    h = HEADLINE_KM
    if agency is None:
        return [
            {
                "id": "cyclones_within_200km_per_season",
                "label": _("Gale-force storms within {h} km per season").format(h=h),
                "value": None,
                "unit": _("storms/season"),
                "interval": None,
                "interval_kind": None,
                "change": None,
                "change_text": None,
                "significant": None,
                "sentence": _(
                    "Cyclone exposure of {name} cannot be counted: no record covers a complete "
                    "season of its basin(s) ({basins}) by the brief's as-of date."
                ).format(name=name, basins=join_list(exp["relevant_basins"])),
            }
        ]
    e = exp["agencies"][agency]
    d = e["by_distance"][str(h)]
    rec = e["recent_seasons"]
    label = agency_label(agency)
    wind_label = winds_label(e["wind_avg_periods_min"])
    partial = join_list(e["basins_covered"]) if e["basins_not_covered"] else None
    mean = d["storm_strength_mean_recent"]
    change = d.get("storm_strength_mean_previous")
    prev = e["previous_seasons"]
    significant = d.get("rate_ratio_significant")
    if change is not None and prev:
        if d.get("rate_ratio_ci95") and d["rate_ratio_ci95"][0] is not None:
            change_text = (
                _(
                    "{rate} per season in {first}–{last} (a significant change: exact 95% "
                    "rate-ratio CI {ci})"
                )
                if significant
                else _(
                    "{rate} per season in {first}–{last} (not a significant change: exact 95% "
                    "rate-ratio CI {ci})"
                )
            ).format(
                rate=fmt_num(change, 2),
                first=prev[0],
                last=prev[1],
                ci=_ci_text(d.get("rate_ratio_ci95")),
            )
        else:
            change_text = _("{rate} per season in {first}–{last}").format(
                rate=fmt_num(change, 2), first=prev[0], last=prev[1]
            )
    else:
        change_text = None
    sentence = _key_sentence(exp, name, label, wind_label, partial)
    ci = d.get("storm_strength_mean_recent_ci95")
    figure_label = (
        _("Gale-force storms within {h} km per season ({agency} ({basins} basin only), {span})")
        if partial
        else _("Gale-force storms within {h} km per season ({agency}, {span})")
    )
    figures = [
        {
            "id": "cyclones_within_200km_per_season",
            "label": figure_label.format(
                h=h, agency=label, basins=partial, span=dash_span(rec[0], rec[1])
            ),
            "value": mean,
            "unit": _("storms/season"),
            "interval": ci,
            "interval_kind": _("exact Poisson 95%"),
            "change": change,
            "change_text": change_text,
            "significant": significant,
            "sentence": sentence,
        }
    ]
    strongest = e["strongest_recent"]
    if strongest is not None:
        who = _storm_label(strongest["name"], strongest["storm_id"])
        minutes = strongest["wind_avg_period_min"]
        figures.append(
            {
                "id": "cyclone_max_wind_within_200km",
                "label": _(
                    "Strongest wind within {h} km, {first}–{last} ({agency}, {minutes}-min mean)"
                ).format(h=h, first=rec[0], last=rec[1], agency=label, minutes=minutes),
                "value": strongest["wind_kt"],
                "unit": _("kt ({minutes}-min mean)").format(minutes=minutes),
                "interval": None,
                "interval_kind": None,
                "change": None,
                "change_text": None,
                "significant": None,
                "sentence": _(
                    "The strongest storm within {h} km of {name} in {first}–{last} was {storm} "
                    "(season {season}) at {wind} kt ({minutes}-minute mean, {agency})."
                ).format(
                    h=h,
                    name=name,
                    first=rec[0],
                    last=rec[1],
                    storm=who,
                    season=strongest["season"],
                    wind=fmt_num(strongest["wind_kt"]),
                    minutes=minutes,
                    agency=label,
                ),
            }
        )
    return figures


def _method_lines(exp: dict, name: str) -> list[str]:
    """Return the method paragraph: what was measured against which land, per agency."""
    n_polygons = exp["land_polygons"]
    measured = (
        _(
            "Tropical-cyclone best tracks of four agencies were measured against "
            "{name_possessive} land (Natural Earth 1:50m, {n} polygon), after interpolating "
            "each track to steps of at most {step} km."
        )
        if n_polygons == 1
        else _(
            "Tropical-cyclone best tracks of four agencies were measured against "
            "{name_possessive} land (Natural Earth 1:50m, {n} polygons), after interpolating "
            "each track to steps of at most {step} km."
        )
    ).format(name_possessive=_possessive(esc(name)), n=n_polygons, step=fmt_num(INTERP_STEP_KM))
    counted = _(
        "Storms are counted per agency and season when their track comes within {distances} or "
        "{last_distance} km; agencies are never added together, and each agency's winds keep "
        "their own averaging period (1-minute US/JTWC, 3-minute IMD, 10-minute WMO agencies "
        "such as RSMC Nadi and JMA)."
    ).format(distances=join_list(DISTANCES_KM[:-1]), last_distance=DISTANCES_KM[-1])
    return [_sentences(measured, counted), ""]


def _notes_lines(exp: dict, name: str) -> list[str]:
    """Return the closest-approach or landlocked notes (findings, shown in the text)."""
    far = max(DISTANCES_KM)
    closest = exp["closest_approach"]
    lines: list[str] = []
    who = _storm_label(closest["name"], closest["storm_id"])
    if closest["distance_km"] > far:
        lines.append(
            _(
                "**No track in any agency's record passes within {far} km of {name}.** The "
                "closest approach was {distance} km ({agency}, {storm}, {date}), so tropical "
                "cyclones are not a direct hazard; the zero counts below are computed, not "
                "assumed."
            ).format(
                far=far,
                name=esc(name),
                distance=fmt_num(closest["distance_km"]),
                agency=agency_label(closest["agency"]),
                storm=who,
                date=day_text(closest["date"]),
            )
        )
        lines.append("")
    last = exp.get("last_within_far")
    if exp.get("landlocked") and last is not None:
        fields = {
            "name": esc(name),
            "far": far,
            "storm": _storm_label(last["name"], last["storm_id"]),
            "agency": agency_label(last["agency"]),
            "season": last["season"],
            "distance": fmt_num(last["distance_km"]),
            "date": day_text(last["date"]),
        }
        if last["max_wind_kt"] is not None:
            text = _(
                "**{name} is landlocked: tropical cyclones are not a direct hazard.** Only "
                "decayed remnants have come within {far} km; the most recent was {storm} "
                "({agency}, season {season}, closest {distance} km on {date}, {wind} kt "
                "({minutes}-minute mean) at most within {far} km). The counts below are "
                "computed, not assumed."
            ).format(
                **fields, wind=fmt_num(last["max_wind_kt"]), minutes=last["wind_avg_period_min"]
            )
        else:
            text = _(
                "**{name} is landlocked: tropical cyclones are not a direct hazard.** Only "
                "decayed remnants have come within {far} km; the most recent was {storm} "
                "({agency}, season {season}, closest {distance} km on {date}, no wind recorded "
                "at most within {far} km). The counts below are computed, not assumed."
            ).format(**fields)
        lines.append(text)
        lines.append("")
    return lines


def _headline_lines(exp: dict, name: str) -> list[str]:
    """Return the headline record's rates, change and strongest storm."""
    h = HEADLINE_KM
    far = max(DISTANCES_KM)
    headline = exp["headline_agency"]
    lines: list[str] = []
    if headline is None:
        lines.append(
            _(
                "**No record covers a complete season of {name_possessive} basin(s) ({basins}) "
                "by the as-of date**, so storms per season cannot be counted (see the coverage "
                "below)."
            ).format(
                name_possessive=_possessive(esc(name)), basins=join_list(exp["relevant_basins"])
            )
        )
        lines.append("")
        return lines
    e = exp["agencies"][headline]
    d = e["by_distance"][str(h)]
    rec = e["recent_seasons"]
    record = _("**Headline record: {agency}** ({winds}), seasons {first}–{last}.").format(
        agency=agency_label(headline),
        winds=winds_label(e["wind_avg_periods_min"]),
        first=rec[0],
        last=rec[1],
    )
    partial = (
        _(
            "It covers only the {basins} basin(s), {pct}% of the storms passing within {far} km."
        ).format(basins=join_list(e["basins_covered"]), pct=e["coverage_share_pct"], far=far)
        if e["basins_not_covered"]
        else ""
    )
    few = (
        _(
            "Only {n} complete seasons are covered by a record of all the country's basins, so "
            "the mean is uncertain."
        ).format(n=e["n_recent_seasons"])
        if e["n_recent_seasons"] < RECENT_SEASONS
        else ""
    )
    rates = _(
        "Per season, on average {near_mean}, {mean} and {far_mean} tracked systems passed within "
        "{near}, {h} and {far} km; {storm_mean} per season reached gale force (≥{kt} kt) within "
        "{h} km (exact Poisson 95% interval {ci}); storms reaching ≥{intense_kt} kt within {h} km "
        "in the {n} seasons: {intense}."
    ).format(
        near_mean=fmt_num(e["by_distance"][str(DISTANCES_KM[0])]["mean_recent"], 2),
        mean=fmt_num(d["mean_recent"], 2),
        far_mean=fmt_num(e["by_distance"][str(far)]["mean_recent"], 2),
        near=DISTANCES_KM[0],
        h=h,
        far=far,
        storm_mean=fmt_num(d["storm_strength_mean_recent"], 2),
        kt=STORM_WIND_KT,
        ci=_ci_text(d.get("storm_strength_mean_recent_ci95")),
        intense=fmt_num(d["intense_recent"]),
        intense_kt=INTENSE_WIND_KT,
        n=e["n_recent_seasons"],
    )
    unknown = (
        _(
            "Storms within {h} km without a wind in this record near the country (so not classed "
            "by strength): {unknown} of {storms}."
        ).format(unknown=d["wind_unknown_recent"], storms=d["storms_recent"], h=h)
        if d.get("wind_unknown_recent")
        else ""
    )
    lines.append(_sentences(record, partial, few, rates, unknown))
    wmo = exp["agencies"]["ibtracs_wmo"]
    wmo_d = wmo["by_distance"][str(h)]
    if (
        headline != "ibtracs_wmo"
        and wmo["recent_seasons"] == e["recent_seasons"]
        and wmo["coverage_share"] == e["coverage_share"]
        and wmo_d.get("wind_unknown_recent")
    ):
        lines.append(
            _(
                "The WMO-agency record is not the headline because it has no WMO wind near the "
                "country for {unknown} of its {storms} storms within {h} km in these seasons "
                "(mostly provisional tracks), so it undercounts storms by strength."
            ).format(unknown=wmo_d["wind_unknown_recent"], storms=wmo_d["storms_recent"], h=h)
        )
    if d.get("storm_strength_mean_previous") is not None and not (
        d["storm_strength_recent"] == 0 and d["storm_strength_previous"] == 0
    ):
        prev = e["previous_seasons"]
        message = (
            _(
                "In the {n} seasons before ({first}–{last}) the rate was {rate} per season: rate "
                "ratio {ratio} (exact 95% CI {ci}), a significant change."
            )
            if d.get("rate_ratio_significant")
            else _(
                "In the {n} seasons before ({first}–{last}) the rate was {rate} per season: rate "
                "ratio {ratio} (exact 95% CI {ci}), not a significant change."
            )
        )
        lines.append(
            message.format(
                n=RECENT_SEASONS,
                first=prev[0],
                last=prev[1],
                rate=fmt_num(d["storm_strength_mean_previous"], 2),
                ratio=fmt_num(d.get("rate_ratio"), 2),
                ci=_ci_text(d.get("rate_ratio_ci95")),
            )
        )
    if e["strongest_recent"]:
        s = e["strongest_recent"]
        lines.append(
            _(
                "The strongest within {h} km was {storm} (season {season}, {wind} kt "
                "{minutes}-minute mean, closest {distance} km)."
            ).format(
                h=h,
                storm=_storm_label(s["name"], s["storm_id"]),
                season=s["season"],
                wind=fmt_num(s["wind_kt"]),
                minutes=s["wind_avg_period_min"],
                distance=fmt_num(s["distance_km"]),
            )
        )
    lines.append("")
    return lines


def _coverage_lines(exp: dict, name: str) -> list[str]:
    """Return the list of what each agency's files cover."""
    lines: list[str] = []
    lines.append(_("**Coverage by agency** (files in the data mirror):"))
    for a in AGENCY_PREFERENCE:
        e = exp["agencies"][a]
        if e["basins_covered"]:
            seas = e["complete_seasons"]
            seasons_text = (
                _("complete seasons {first}–{last}").format(first=seas[0], last=seas[1])
                if seas
                else _("no complete season by the as-of date")
            )
            fields = {
                "agency": agency_label(a),
                "winds": winds_label(e["wind_avg_periods_min"]),
                "periods": basin_periods(e["basins_covered"]),
                "seasons": seasons_text,
            }
            if e["basins_not_covered"]:
                line = _("- {agency} ({winds}): {periods}; {seasons}; does not cover {basins}.")
                fields["basins"] = join_list(e["basins_not_covered"])
            else:
                line = _("- {agency} ({winds}): {periods}; {seasons}.")
            lines.append(line.format(**fields))
        else:
            lines.append(
                _(
                    "- {agency}: does not cover {basins}, the basin(s) of {name_possessive} storms."
                ).format(
                    agency=agency_label(a),
                    basins=join_list(exp["relevant_basins"]),
                    name_possessive=_possessive(esc(name)),
                )
            )
    return lines


def exposure_section(ctx: BriefContext) -> Section:
    """Build section 6: tropical cyclones passing near the country, per agency and season.

    Parameters
    ----------
    ctx : BriefContext
        The brief's scope and tables.

    Returns
    -------
    Section
        Key ``"exposure"``; ``values`` as computed by
        :func:`osa_analysis.analyse.hazards.cyclone_exposure` plus
        ``coverage_gaps`` and ``key_figures`` (mean gale-force storms per season within
        :data:`HEADLINE_KM` with an exact Poisson interval, and the strongest wind there).
    """
    iso3 = ctx.country_iso3
    english_name = country_name(iso3)
    name = tr(english_name)  # the recipients' names are translated (incident_wording)
    result = ctx.analysis(hazards.cyclone_exposure)
    exp = result.values
    values = dict(exp)
    values["coverage_gaps"] = list(COVERAGE_GAPS)
    if "missing_reason" in exp:
        reason = exp["missing_reason"]
        text = (
            _(
                "Cyclone exposure could not be computed: Natural Earth 1:50m has no polygon for "
                "{iso3}."
            ).format(iso3=esc(iso3))
            if reason == f"Natural Earth 1:50m has no polygon for {iso3}"
            else _("Cyclone exposure could not be computed: {reason}.").format(reason=esc(reason))
        )
        return Section(
            key=KEY,
            title=registry.heading(KEY, ""),
            markdown=text,
            values={**values, "key_figures": []},
            sources=[*HAZARD_SOURCES, "ne_countries_50m"],
        )
    h = HEADLINE_KM
    far = max(DISTANCES_KM)
    markdown = "\n".join([*_notes_lines(exp, name), *_headline_lines(exp, name)])
    method = "\n".join([*_method_lines(exp, name), *_coverage_lines(exp, name)])

    figures = []
    fig = exposure_figure(exp, iso3)
    if fig is not None:
        figures.append(
            (
                _(
                    "Storms per season whose track passes within {h} km of {name_possessive} "
                    "land, by agency (same y scale); red: reached ≥{kt} kt within {h} km in that "
                    "agency's own averaging period; grey: season not covered."
                ).format(h=h, name_possessive=_possessive(name), kt=INTENSE_WIND_KT),
                fig,
            )
        )
    tmap, values["track_map"] = track_map(result, ctx.tables.get("ne_countries"), iso3)
    if tmap is not None:
        figures.append(
            (
                _("Recent tracks within {far} km of {name} (headline record).").format(
                    far=far, name=name
                ),
                tmap,
            )
        )
    tables = [
        (
            _(
                "Mean storms per season within each distance, last complete seasons per agency "
                "(up to {n}); winds in each agency's own averaging period."
            ).format(n=RECENT_SEASONS),
            agency_table(exp),
        )
    ]
    if exp["intense_recent"]:
        tables.append(
            (
                _(
                    "Storms reaching ≥{kt} kt within {h} km, recent seasons (IMD storms by id: "
                    "internal source)."
                ).format(kt=INTENSE_WIND_KT, h=h),
                intense_table(exp),
            )
        )
    caveats = [
        _(
            "Counts are per agency and never pooled: the agencies track different systems "
            "(IMD and RSMC Nadi include depressions), overlap in time, and measure winds over "
            "1, 3 or 10 minutes (a 10-minute mean is roughly 0.88-0.93 of the 1-minute value)."
        ),
        _(
            "Distances are to Natural Earth 1:50m land, which omits many small islands; for "
            "archipelagos (Fiji, Tonga, the Philippines, Indonesia) storms near outlying islets "
            "can be missed or measured too far."
        ),
        _(
            "IBTrACS spur tracks ({spur}) and IMD fixes the source flags as suspect ({suspect}) "
            "are left out."
        ).format(spur=exp["removed"]["spur_tracks"], suspect=exp["removed"]["suspect_fixes"]),
        _(
            "IBTrACS PROVISIONAL tracks (the latest seasons) often carry no WMO-agency wind, and "
            "WMO winds are 6-hourly on a 3-hourly track: storms without a wind near the country "
            "are counted among all systems but cannot be classed by strength (column 'no wind')."
        ),
        *[esc(_(g)) for g in COVERAGE_GAPS],
    ]
    # key figures in the edition's language: the key-figures table shows them
    values["key_figures"] = _key_figures(exp, name)
    values["country"] = iso3
    return Section(
        key=KEY,
        title=registry.heading(KEY, ""),
        markdown=markdown,
        method=method,
        figures=figures,
        tables=tables,
        values=values,
        sources=[*HAZARD_SOURCES, "ne_countries_50m"],
        caveats=caveats,
    )
