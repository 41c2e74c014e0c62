"""Section "Disaster exposure": tropical cyclones passing near the country, per agency.

The numbers come from :func:`osa_analysis.analyse.hazards.cyclone_exposure`; this module
writes the text and key figures, :mod:`osa_analysis.brief.exposure_figures` draws the chart,
the track map and the tables.
"""

from __future__ import annotations

from osa_analysis.analyse import hazards
from osa_analysis.analyse.hazards import (
    AGENCY_LABELS,
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
    agency_table,
    exposure_figure,
    intense_table,
    track_map,
    winds_label,
)
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.core.countries import country_name
from osa_analysis.harmonise.tracks import COVERAGE_GAPS, HAZARD_SOURCES

KEY = "exposure"


def prepare(ctx: BriefContext) -> None:
    """Prepare the cyclone fix table once for the build (shared by its briefs)."""
    hazards.prepared_fixes(ctx.tables)


def _key_figures(exp: dict, name: str) -> list[dict]:
    agency = exp.get("headline_agency")
    h = HEADLINE_KM
    if agency is None:
        basins = ", ".join(exp["relevant_basins"])
        return [
            {
                "id": "cyclones_within_200km_per_season",
                "label": f"Gale-force storms within {h} km per season",
                "value": None,
                "unit": "storms/season",
                "interval": None,
                "interval_kind": None,
                "change": None,
                "change_text": None,
                "significant": None,
                "sentence": (
                    f"Cyclone exposure of {name} cannot be counted: no record covers a complete "
                    f"season of its basin(s) ({basins}) by the brief's as-of date."
                ),
            }
        ]
    e = exp["agencies"][agency]
    d = e["by_distance"][str(h)]
    rec = e["recent_seasons"]
    label = e["label"]
    wind_label = winds_label(e["wind_avg_periods_min"])
    partial = f" ({', '.join(e['basins_covered'])} basin only)" if e["basins_not_covered"] else ""
    if e["n_recent_seasons"] < RECENT_SEASONS:
        span = f"the only {e['n_recent_seasons']} complete seasons covered ({rec[0]}–{rec[1]})"
    else:
        span = f"the last {RECENT_SEASONS} complete seasons ({rec[0]}–{rec[1]})"
    mean = d["storm_strength_mean_recent"]
    all_mean = d["mean_recent"]
    change = d.get("storm_strength_mean_previous")
    prev = e["previous_seasons"]
    significant = d.get("rate_ratio_significant")
    if change is not None and prev:
        word = "not a significant change" if not significant else "a significant change"
        change_text = (
            f"{fmt_num(change, 2)} per season in {prev[0]}–{prev[1]} ({word}: exact 95% "
            f"rate-ratio CI {_ci_text(d.get('rate_ratio_ci95'))})"
            if d.get("rate_ratio_ci95") and d["rate_ratio_ci95"][0] is not None
            else f"{fmt_num(change, 2)} per season in {prev[0]}–{prev[1]}"
        )
    else:
        change_text = None
    closest = exp["closest_approach"]
    last = exp.get("last_within_far")
    far = max(DISTANCES_KM)
    if all_mean == 0 and closest["distance_km"] > far:
        sentence = (
            f"No tropical-cyclone track in any agency's record came within {far} km of "
            f"{_possessive(name)} land (closest: {fmt_num(closest['distance_km'])} km, "
            f"{closest['date']}); cyclones are not a direct hazard."
        )
    elif exp.get("landlocked") and all_mean == 0:
        since = (
            f"; the last decayed remnant within {far} km was in season {last['season']}"
            if last
            else ""
        )
        sentence = (
            f"{name} is landlocked and no storm passed within {h} km in {rec[0]}–{rec[1]} "
            f"({label}){since}: tropical cyclones are not a direct hazard."
        )
    else:
        sentence = (
            f"Over {span}, {fmt_num(mean, 2)} storms per season of gale force (≥{STORM_WIND_KT} "
            "kt, "
            f"{wind_label}) passed within {h} km of {_possessive(name)} land "
            f"({fmt_num(all_mean, 2)} tracked systems of any strength), per the {label} "
            f"record{partial}."
        )
    ci = d.get("storm_strength_mean_recent_ci95")
    figures = [
        {
            "id": "cyclones_within_200km_per_season",
            "label": f"Gale-force storms within {h} km per season ({label}{partial}, "
            f"{rec[0]}–{rec[1]})",
            "value": mean,
            "unit": "storms/season",
            "interval": ci,
            "interval_kind": "exact Poisson 95%",
            "change": change,
            "change_text": change_text,
            "significant": significant,
            "sentence": sentence,
        }
    ]
    strongest = e["strongest_recent"]
    if strongest is not None:
        who = _storm_label(strongest["name"], strongest["storm_id"])
        figures.append(
            {
                "id": "cyclone_max_wind_within_200km",
                "label": f"Strongest wind within {h} km, {rec[0]}–{rec[1]} ({label}, "
                f"{strongest['wind_avg_period_min']}-min mean)",
                "value": strongest["wind_kt"],
                "unit": f"kt ({strongest['wind_avg_period_min']}-min mean)",
                "interval": None,
                "interval_kind": None,
                "change": None,
                "change_text": None,
                "significant": None,
                "sentence": (
                    f"The strongest storm within {h} km of {name} in {rec[0]}–{rec[1]} was "
                    f"{who} (season {strongest['season']}) at {fmt_num(strongest['wind_kt'])} kt "
                    f"({strongest['wind_avg_period_min']}-minute mean, {label})."
                ),
            }
        )
    return figures


def _storm_label(name: str | None, storm_id: str) -> str:
    """Return a storm's name (escaped), or its id when the record has no name."""
    return esc(name) if name else f"storm {storm_id}"


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _ci_text(ci) -> str:
    if not ci or ci[0] is None:
        return "n/a"
    hi = "∞" if ci[1] is None else fmt_num(ci[1], 2)
    return f"{fmt_num(ci[0], 2)}–{hi}"


def _method_lines(exp: dict, name: str) -> list[str]:
    """Return the method paragraph: what was measured against which land, per agency."""
    return [
        "Tropical-cyclone best tracks of four agencies were measured against "
        f"{_possessive(esc(name))} land "
        f"(Natural Earth 1:50m, {exp['land_polygons']} "
        f"polygon{'s' if exp['land_polygons'] != 1 else ''}), after interpolating each track "
        f"to steps of at most {fmt_num(INTERP_STEP_KM)} km. Storms are counted per agency and "
        f"season when their track comes within {', '.join(str(d) for d in DISTANCES_KM[:-1])} or "
        f"{DISTANCES_KM[-1]} km; agencies are never added together, and each agency's winds "
        "keep their own averaging period (1-minute US/JTWC, 3-minute IMD, 10-minute WMO "
        "agencies such as RSMC Nadi and JMA).",
        "",
    ]


def _notes_lines(exp: dict, name: str) -> list[str]:
    """Return the closest-approach or landlocked notes (findings, shown in the text)."""
    far = max(DISTANCES_KM)
    closest = exp["closest_approach"]
    lines: list[str] = []
    who = _storm_label(closest["name"], closest["storm_id"])
    if closest["distance_km"] > far:
        lines.append(
            f"**No track in any agency's record passes within {far} km of {esc(name)}.** The "
            "closest "
            f"approach was {fmt_num(closest['distance_km'])} km "
            f"({AGENCY_LABELS[closest['agency']]}, "
            f"{who}, {closest['date']}), so tropical cyclones are not a direct hazard; the "
            "zero counts below are computed, not assumed."
        )
        lines.append("")
    last = exp.get("last_within_far")
    if exp.get("landlocked") and last is not None:
        wind = (
            f"{fmt_num(last['max_wind_kt'])} kt ({last['wind_avg_period_min']}-minute mean)"
            if last["max_wind_kt"] is not None
            else "no wind recorded"
        )
        lines.append(
            f"**{esc(name)} is landlocked: tropical cyclones are not a direct hazard.** Only "
            "decayed "
            f"remnants have come within {far} km; the most recent was "
            f"{_storm_label(last['name'], last['storm_id'])} ({AGENCY_LABELS[last['agency']]}, "
            "season "
            f"{last['season']}, closest {fmt_num(last['distance_km'])} km on {last['date']}, "
            f"{wind} "
            f"at most within {far} km). The counts below are computed, not assumed."
        )
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
            f"**No record covers a complete season of {_possessive(esc(name))} basin(s) "
            f"({', '.join(exp['relevant_basins'])}) by the as-of date**, so storms per season "
            "cannot be counted (see the coverage below)."
        )
        lines.append("")
    else:
        e = exp["agencies"][headline]
        d = e["by_distance"][str(h)]
        rec = e["recent_seasons"]
        partial = (
            f" It covers only the {', '.join(e['basins_covered'])} basin(s), "
            f"{e['coverage_share_pct']}% of the storms passing within {far} km."
            if e["basins_not_covered"]
            else ""
        )
        few = (
            f" Only {e['n_recent_seasons']} complete seasons are covered by a record of all "
            f"the country's basins, so the mean is uncertain."
            if e["n_recent_seasons"] < RECENT_SEASONS
            else ""
        )
        lines.append(
            f"**Headline record: {e['label']}** ({winds_label(e['wind_avg_periods_min'])}), "
            f"seasons {rec[0]}–{rec[1]}.{partial}{few} Per season, on average "
            f"{fmt_num(e['by_distance'][str(DISTANCES_KM[0])]['mean_recent'], 2)}, "
            f"{fmt_num(d['mean_recent'], 2)} and "
            f"{fmt_num(e['by_distance'][str(far)]['mean_recent'], 2)} tracked systems passed "
            "within "
            f"{DISTANCES_KM[0]}, {h} and {far} km; {fmt_num(d['storm_strength_mean_recent'], 2)} "
            "per "
            f"season reached gale force (≥{STORM_WIND_KT} kt) within {h} km (exact Poisson 95% "
            f"interval {_ci_text(d.get('storm_strength_mean_recent_ci95'))}), and "
            f"{fmt_num(d['intense_recent'])} storms reached ≥{INTENSE_WIND_KT} kt within {h} km "
            f"in the {e['n_recent_seasons']} seasons."
            + (
                f" {d['wind_unknown_recent']} of the {d['storms_recent']} storms within {h} km "
                "have "
                "no wind in this record near the country and could not be classed by strength."
                if d.get("wind_unknown_recent")
                else ""
            )
        )
        wmo = exp["agencies"]["ibtracs_wmo"]
        wmo_d = wmo["by_distance"][str(h)]
        if (
            headline != "ibtracs_wmo"
            and wmo["recent_seasons"] == e["recent_seasons"]
            and wmo["coverage_share"] == e["coverage_share"]
            and wmo_d.get("wind_unknown_recent")
        ):
            lines.append(
                f"The WMO-agency record is not the headline because {wmo_d['wind_unknown_recent']} "
                f"of its {wmo_d['storms_recent']} storms within {h} km in these seasons have no "
                "WMO wind near the country (mostly provisional tracks), so it undercounts storms "
                "by strength."
            )
        if d.get("storm_strength_mean_previous") is not None and not (
            d["storm_strength_recent"] == 0 and d["storm_strength_previous"] == 0
        ):
            prev = e["previous_seasons"]
            sig = d.get("rate_ratio_significant")
            lines.append(
                f"In the {RECENT_SEASONS} seasons before ({prev[0]}–{prev[1]}) the rate was "
                f"{fmt_num(d['storm_strength_mean_previous'], 2)} per season: rate ratio "
                f"{fmt_num(d.get('rate_ratio'), 2)} (exact 95% CI "
                f"{_ci_text(d.get('rate_ratio_ci95'))}), "
                + ("a significant change." if sig else "not a significant change.")
            )
        if e["strongest_recent"]:
            s = e["strongest_recent"]
            lines.append(
                f"The strongest within {h} km was {_storm_label(s['name'], s['storm_id'])} (season "
                f"{s['season']}, {fmt_num(s['wind_kt'])} kt {s['wind_avg_period_min']}-minute "
                f"mean, closest {fmt_num(s['distance_km'])} km)."
            )
        lines.append("")
    return lines


def _coverage_lines(exp: dict, name: str) -> list[str]:
    """Return the list of what each agency's files cover."""
    lines: list[str] = []
    lines.append("**Coverage by agency** (files in the data mirror):")
    for a in AGENCY_PREFERENCE:
        e = exp["agencies"][a]
        if e["basins_covered"]:
            cov = "; ".join(f"{b} {p[0]} to {p[1]}" for b, p in e["basins_covered"].items())
            seas = e["complete_seasons"]
            seasons_text = (
                f"complete seasons {seas[0]}–{seas[1]}"
                if seas
                else "no complete season by the as-of date"
            )
            lines.append(
                f"- {e['label']} ({winds_label(e['wind_avg_periods_min'])}): {cov}; "
                + seasons_text
                + (
                    f"; does not cover {', '.join(e['basins_not_covered'])}"
                    if e["basins_not_covered"]
                    else ""
                )
                + "."
            )
        else:
            lines.append(
                f"- {e['label']}: does not cover {', '.join(exp['relevant_basins'])}, the "
                "basin(s) of "
                f"{_possessive(esc(name))} storms."
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
    name = country_name(iso3)
    result = hazards.cyclone_exposure(ctx.scope, ctx.tables)
    exp = result.values
    values = dict(exp)
    values["coverage_gaps"] = list(COVERAGE_GAPS)
    if "missing_reason" in exp:
        return Section(
            key=KEY,
            title=registry.heading(KEY, ""),
            markdown=f"Cyclone exposure could not be computed: {esc(exp['missing_reason'])}.",
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
                f"Storms per season whose track passes within {h} km of {_possessive(name)} "
                "land, by agency "
                f"(same y scale); red: reached ≥{INTENSE_WIND_KT} kt within {h} km in that "
                "agency's "
                "own averaging period; grey: season not covered.",
                fig,
            )
        )
    tmap = track_map(result, ctx.tables.get("ne_countries"), iso3)
    if tmap is not None:
        figures.append((f"Recent tracks within {far} km of {name} (headline record).", tmap))
    tables = [
        (
            f"Mean storms per season within each distance, last complete seasons per agency "
            f"(up to {RECENT_SEASONS}); winds in each agency's own averaging period.",
            agency_table(exp),
        )
    ]
    if exp["intense_recent"]:
        tables.append(
            (
                f"Storms reaching ≥{INTENSE_WIND_KT} kt within {h} km, recent seasons (IMD "
                "storms by id: "
                "internal source).",
                intense_table(exp),
            )
        )
    caveats = [
        "Counts are per agency and never pooled: the agencies track different systems "
        "(IMD and RSMC Nadi include depressions), overlap in time, and measure winds over "
        "1, 3 or 10 minutes (a 10-minute mean is roughly 0.88-0.93 of the 1-minute value).",
        "Distances are to Natural Earth 1:50m land, which omits many small islands; for "
        "archipelagos (Fiji, Tonga, the Philippines, Indonesia) storms near outlying islets "
        "can be missed or measured too far.",
        f"IBTrACS spur tracks ({exp['removed']['spur_tracks']}) and IMD fixes the source flags "
        f"as suspect ({exp['removed']['suspect_fixes']}) are left out.",
        "IBTrACS PROVISIONAL tracks (the latest seasons) often carry no WMO-agency wind, and WMO "
        "winds are 6-hourly on a 3-hourly track: storms without a wind near the country are "
        "counted among all systems but cannot be classed by strength (column 'no wind').",
        *[esc(g) for g in COVERAGE_GAPS],
    ]
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
