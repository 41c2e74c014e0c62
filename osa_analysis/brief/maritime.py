"""Section 3 of the brief: maritime incidents in the country's (approximate) EEZ.

Presents :func:`osa_analysis.analyse.maritime.maritime_incidents` (ReCAAP's reports and
``brief-anchors.md`` Part B section 5): incidents per year with the sources that existed
each year, a rate ratio of the last ``lookback_years`` against the previous equal period
with its exact Poisson interval (a change is named only when the interval excludes 1
**and** the same sources covered both periods), the severity mix (ReCAAP labels vs
derived), a map with a density layer, time of day and darkness, vessel status and type,
and how far the sources agree. When the data are thin it shows what is known instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from osa_analysis.analyse.channels import COVERAGE_GROUPS, MARITIME_SOURCE_IDS
from osa_analysis.analyse.incident_times import MIN_TIMED_EVENTS, STANDARD_UTC_OFFSET_H
from osa_analysis.analyse.maritime import (
    COARSE_POSITION_DEG,
    COMPARABLE_TOLERANCE,
    CONFIDENCE_PCT,
    IMB_SOURCE_SWITCH_YEAR,
    LIVE_COARSE_DEG,
    LIVE_COARSE_UNTIL,
    THIN_DATA_MIN_EVENTS,
    TREND_CATEGORY,
    MaritimeResult,
    maritime_incidents,
)
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.incident_wording import (
    capitalised,
    count_noun,
    country_name,
    not_applicable_section,
    rate_ratio_text,
)
from osa_analysis.brief.maps import MAP_SOURCE_IDS, incident_map, map_layers
from osa_analysis.brief.maritime_figures import (
    annual_counts_figure,
    severity_figure,
    time_of_day_figure,
)
from osa_analysis.brief.numbers import count
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.brief.style import SEVERITY_COLORS
from osa_analysis.core.dates import iso_date
from osa_analysis.core.stats import RATE_RATIO_METHOD

CYCLONE_SECTION = registry.number("exposure")
"""Section of the brief with cyclone exposure (referred to, not repeated)."""
MILEX_SOURCE_IDS = ("wb_milex_share", "wb_milex_usd")
SECTION_SOURCES = sorted({*MARITIME_SOURCE_IDS, *MAP_SOURCE_IDS, *MILEX_SOURCE_IDS})
"""Sources of the section when the country has an EEZ."""
VERDICTS = {
    "increase": "a clear increase (the interval excludes 1)",
    "decrease": "a clear decrease (the interval excludes 1)",
    "no clear change": "no clear change (the interval includes 1)",
    "not defined": "not a measurable change",
}
"""How the headline names the change of comparable periods."""
NOT_PUBLISHED = "not published by the World Bank (SIPRI) for this country"


@dataclass
class _Body:
    """What the parts of the section add: paragraphs, figures, tables and values."""

    values: dict
    md: list[str] = field(default_factory=list)
    method: list[str] = field(default_factory=list)
    figures: list = field(default_factory=list)
    tables: list = field(default_factory=list)


# --------------------------------------------------------------------------- caveats


def _recaap_notes(recaap: dict, name: str) -> list[str]:
    """Caveats on ReCAAP's reach in the country's waters."""
    party, area = recaap["contracting_party"], recaap["in_area"]
    notes = []
    if party is False:
        notes.append(
            f"{esc(capitalised(name))} is not a ReCAAP Contracting Party, so it has no ReCAAP "
            "focal point verifying reports from its waters; ReCAAP counts there rest on ship "
            "masters and other parties' reports."
        )
    elif party is None and area is not False:
        notes.append(
            f"Whether {esc(name)} is a ReCAAP Contracting Party is not recorded in the "
            "curated country table (data/recipients/countries.yaml)."
        )
    if area is False:
        notes.append(
            f"The waters of {esc(name)} lie outside ReCAAP's reporting area (the Pacific is not "
            "covered): ReCAAP OpenMap and the ReCAAP part of the live feed will not record "
            "incidents there, and after ASAM ended only IMB's live reports could."
        )
    return notes


def _coverage_caveats(coverage: pd.DataFrame) -> list[str]:
    by_group = coverage.set_index("group")
    asam_end = iso_date(by_group.loc["asam", "end"])
    return [
        "Recorded incidents are a floor, not a census: many incidents, especially petty "
        "thefts at anchor and attacks on fishing and local craft, are never reported "
        '(IFC Singapore calls reported data "the tip of the iceberg").',
        f"ASAM (NGA) stopped publishing on {asam_end}; IMB Crime at Sea ends in "
        f"{by_group.loc['imb', 'end']:%Y} (and switched its own source "
        f"from the mappingpiracy archive to IMB reports in {IMB_SOURCE_SWITCH_YEAR}). Counts "
        "across periods "
        "change with the sources that exist.",
        f"Live-feed ReCAAP positions before {LIVE_COARSE_UNTIL} are whole degrees "
        f"(±{LIVE_COARSE_DEG}°): on the map they are squares. A report whose square meets "
        "more than one state's EEZ (e.g. the Singapore Strait) is counted for none of them.",
    ]


def _caveats(r: MaritimeResult, name: str) -> list[str]:
    return [
        *_coverage_caveats(r.coverage),
        *_recaap_notes(r.recaap, name),
        f"Coastal state = the EEZ the position falls in, by this method: {esc(r.eez_method)}.",
        *(
            [
                f"{count(r.n_ambiguous_recent, 'piracy or armed-robbery event')} of the recent "
                f"period have a coarse position that may lie in the waters of {esc(name)} or of a "
                "neighbour; they are not counted above."
            ]
            if r.n_ambiguous_recent
            else []
        ),
        "Local times without a UTC offset (ASAM, IMB) are converted with the country's "
        "standard offset (Indonesia: by longitude, three zones), ignoring daylight saving; "
        "incidents with no time are left out of the time-of-day figures.",
    ]


# --------------------------------------------------------------------------- sentences


def _thin_lead(r: MaritimeResult, name: str) -> str:
    cmp_, known = r.comparison, r.known
    p_rec = cmp_["periods"]["recent"]
    yrs = count_noun(r.lookback_years, "year")
    if r.all_time["n"] == 0:
        lead = (
            "**Data are thin.** No piracy or armed-robbery incident has been recorded in "
            f"the approximate EEZ of {esc(name)} since records began "
            f"({known['records_begin']})."
        )
    else:
        lead = (
            f"**Data are thin.** {count_noun(cmp_['recent'], 'piracy or armed-robbery incident')} "
            f"{'was' if cmp_['recent'] == 1 else 'were'} recorded in the approximate EEZ "
            f"of {esc(name)} in the {yrs} "
            f"{p_rec['start']} to {p_rec['end']} and {cmp_['previous']} in the "
            f"{yrs} before; {r.all_time['n']} since records began ({known['records_begin']}), "
            f"the latest on {r.all_time['last_date']}."
        )
    return (
        lead + " That is too few for a trend, a severity mix or a time-of-day profile; "
        f"what is known instead is below, and cyclone exposure is in section "
        f"{CYCLONE_SECTION}."
    )


def _headline(r: MaritimeResult, name: str) -> str:
    cmp_ = r.comparison
    p_rec, p_prev = cmp_["periods"]["recent"], cmp_["periods"]["previous"]
    yrs = count_noun(r.lookback_years, "year")
    text = (
        f"**{cmp_['recent']}** piracy and armed-robbery "
        f"{'incident was' if cmp_['recent'] == 1 else 'incidents were'} recorded in the "
        f"approximate EEZ of {esc(name)} in the {yrs} {p_rec['start']} to "
        f"{p_rec['end']}, against {cmp_['previous']} in the previous {yrs} "
        f"({p_prev['start']} to {p_prev['end']}): rate ratio "
        f"{rate_ratio_text(cmp_['rate_ratio'])}, exact Poisson {CONFIDENCE_PCT}% interval."
    )
    if r.n_other_recent:
        text += (
            f" A further {count_noun(r.n_other_recent, 'other hostile act')} (military "
            "activity, detentions, protests) in the recent period."
        )
    return text


def _comparability_text(r: MaritimeResult) -> str:
    cmp_ = r.comparison
    if cmp_["comparable"]:
        return f"The same sources covered both periods, so this is {VERDICTS[cmp_['direction']]}."
    text = (
        "**The two periods are not covered by the same sources**, so this ratio mixes "
        "changes in reporting with changes in incidents and is not read as a trend "
        + _coverage_sentence(cmp_["coverage"], r.coverage)
    )
    lfl = cmp_["like_for_like"]
    if lfl is not None:
        lp = lfl["periods"]
        text += (
            f" Like-for-like check, counting only incidents {esc(lfl['label'])} "
            f"recorded (the one source covering two whole {r.lookback_years}-year periods, up "
            f"to {lp['recent']['end']}): {lfl['recent']} in {lp['recent']['start']} "
            f"to {lp['recent']['end']} against {lfl['previous']} in "
            f"{lp['previous']['start']} to {lp['previous']['end']}, rate ratio "
            f"{rate_ratio_text(lfl['rate_ratio'])}: {lfl['direction']}."
        )
    return text


def _coverage_list(coverage: pd.DataFrame) -> list[dict]:
    return [
        {"group": r.group, "label": r.label, "start": iso_date(r.start), "end": iso_date(r.end)}
        for r in coverage.itertuples()
    ]


def _sources_sentence(
    cov_list: list[dict], recent: dict, as_of: pd.Timestamp, coverage: pd.DataFrame
) -> str:
    """Which sources cover what, and which of them the recent period rests on."""
    text = "Which sources exist matters: " + "; ".join(
        f"{c['label']} {c['start']} to {c['end']}" for c in cov_list
    )
    asam_end = coverage.set_index("group").loc["asam", "end"]
    if as_of > asam_end:
        later = [
            c["label"]
            for c in cov_list
            if pd.Timestamp(c["end"]) > asam_end and pd.Timestamp(c["start"]) <= as_of
        ]
        text += f". After ASAM ended ({iso_date(asam_end)}) the only sources are " + " and ".join(
            later
        )
    now = [
        c["label"] for c in cov_list if pd.Timestamp(c["start"]) <= as_of <= pd.Timestamp(c["end"])
    ]
    if now:
        text += f"; on {iso_date(as_of)} only " + " and ".join(now) + " reported"
    else:
        text += f"; no source covers {iso_date(as_of)}"
    active = [c["label"] for c in cov_list if recent.get(c["group"], 0) > 0]
    return text + ". The recent period rests on " + ", ".join(active) + "."


def _coverage_sentence(cov: dict, coverage: pd.DataFrame) -> str:
    labels = coverage.set_index("group")["label"]
    parts = []
    for group in coverage["group"]:
        a, b = cov["previous"][group], cov["recent"][group]
        if abs(a - b) > COMPARABLE_TOLERANCE:
            parts.append(
                f"{labels[group]} covers {fmt_num(100 * a)}% of the previous and "
                f"{fmt_num(100 * b)}% of the recent period"
            )
    return "(" + "; ".join(parts) + ")."


def _severity_sentence(vals: dict) -> str:
    n = vals["n"]
    if n == 0:
        return "No incidents in the recent period, so there is no severity mix."
    return (
        f"Severity (ReCAAP significance levels): of the {n} incidents in the recent period, "
        f"{vals['n_cat1_cat2']} ({fmt_num(vals['share_cat1_cat2_pct'])}%) were CAT1 or CAT2 "
        f"(the more violent or costly) and {vals['n_attempted']} were attempts. "
        f"{vals['n_recaap_label']} carry ReCAAP's own label; the other {vals['n_derived']} "
        "are derived by the project's rules from the source's outcome, weapon and crew "
        "treatment (hatched in the chart), so their mix is less certain."
    )


def _time_sentence(tod: dict, iso3: str) -> str:
    offset = STANDARD_UTC_OFFSET_H.get(iso3)
    std = (
        "Indonesia's three zones by longitude (UTC+7, +8, +9)"
        if iso3 == "IDN"
        else f"the standard offset UTC+{fmt_num(offset, 1 if offset % 1 else 0)}"
        if offset is not None
        else "no standard offset (not in the table)"
    )
    text = (
        f"Time of day: {tod['n_with_time']} of the {tod['n_events']} incidents in the recent "
        f"period have a usable local time ({tod['n_offset_source']} with the source's UTC "
        f"offset, {tod['n_offset_standard']} converted with {std}); "
        f"{tod['n_classified']} also have a position, so the Sun's elevation there can be "
        "computed."
    )
    if tod["enough"]:
        lo, hi = tod["share_night_interval_pct"]
        dlo, dhi = tod["share_dark_interval_pct"]
        text += (
            f" {fmt_num(tod['share_night_pct'])}% happened at night (Sun below −6°; exact "
            f"{CONFIDENCE_PCT}% interval {fmt_num(lo)}–{fmt_num(hi)}%) and "
            f"{fmt_num(tod['share_dark_pct'])}% in darkness including civil twilight "
            f"({fmt_num(dlo)}–{fmt_num(dhi)}%)."
        )
    else:
        text += f" Fewer than {MIN_TIMED_EVENTS}: no darkness shares are given."
    return text


def _agreement_sentence(agree: dict, p_rec: dict, p_prev: dict) -> str:
    parts = []
    for key, p in (("recent", p_rec), ("previous", p_prev)):
        a = agree[key]
        if not a["n_events"]:
            parts.append(f"no incidents in {p['start']} to {p['end']}")
            continue
        s = (
            f"{a['n_multi_source']} of {a['n_events']} incidents in {p['start']} to "
            f"{p['end']} ({fmt_num(a['share_multi_pct'])}%) were reported by more than one source"
        )
        if a["n_outcome_compared"]:
            s += (
                f", and for {a['n_outcome_agree']} of those {a['n_outcome_compared']} the "
                f"sources agree on the outcome ({fmt_num(a['share_outcome_agree_pct'])}%)"
            )
        parts.append(s)
    return (
        "Source agreement: "
        + "; ".join(parts)
        + ". Low overlap means the sources see different incidents, so no single source "
        "gives the full picture."
    )


def _kde_text(kde: dict) -> str:
    if not kde["applied"]:
        return f"No density layer: {kde['reason']}."
    return (
        f"Shading: kernel density of the {kde['n_points']} positions, "
        f"{kde['bandwidth_rule']} with a standard deviation (bandwidth) of "
        f"{fmt_num(kde['bandwidth_km'])} km, computed in an {kde['projection']}."
    )


# --------------------------------------------------------------------------- tables


def _known_table(known: dict, eez_method: str) -> pd.DataFrame:
    mil = known["milex"]
    rows = [
        {
            "indicator": "EEZ area (km²)",
            "value": fmt_num(known["eez_area_km2"]),
            "year or note": "approximate EEZ"
            if eez_method.startswith("approx")
            else "Marine Regions",
        },
        {
            "indicator": "incidents recorded since records began",
            "value": fmt_num(known["incidents_all_time"]),
            "year or note": (
                f"latest {known['latest_incident']}"
                if known["latest_incident"]
                else "none recorded"
            ),
        },
        {
            "indicator": "military expenditure (% of GDP)",
            "value": fmt_num(mil["share_gdp_pct"], 2),
            "year or note": str(mil["share_year"]) if mil["share_year"] else NOT_PUBLISHED,
        },
        {
            "indicator": "military expenditure (current US$)",
            "value": fmt_num(mil["usd"]),
            "year or note": str(mil["usd_year"]) if mil["usd_year"] else NOT_PUBLISHED,
        },
    ]
    return pd.DataFrame(rows)


def _agreement_table(agree: dict, p_rec: dict, p_prev: dict) -> pd.DataFrame:
    previous = f"previous ({p_prev['start']} to {p_prev['end']})"
    recent = f"recent ({p_rec['start']} to {p_rec['end']})"
    return pd.DataFrame(
        [
            {
                "source": COVERAGE_GROUPS[g][0],
                previous: agree["previous"]["by_source"][g],
                recent: agree["recent"]["by_source"][g],
            }
            for g in COVERAGE_GROUPS
        ]
    )


# --------------------------------------------------------------------------- parts


def _annual_part(r: MaritimeResult, name: str, body: _Body) -> None:
    """Add the annual counts figure (a full section, or thin data with a long record)."""
    if r.thin and not r.history:
        return
    counts = r.annual_counts
    body.figures.append(
        (
            f"Incidents per year ({counts['year'].iloc[0]} to {r.as_of.year}; "
            f"{r.as_of.year} to {iso_date(r.as_of)}). Shaded: the two {r.lookback_years}-year "
            "periods compared. Bottom: years each source covers.",
            annual_counts_figure(counts, r.comparison, r.coverage, name, r.as_of),
        )
    )


def _severity_part(r: MaritimeResult, name: str, body: _Body) -> None:
    body.values["severity"] = r.severity_summary
    if r.thin:
        return
    p_rec = r.comparison["periods"]["recent"]
    body.md.append(_severity_sentence(r.severity_summary))
    years = r.severity_years
    body.figures.append(
        (
            f"Severity mix by year ({years[0]} to {years[-1]}); n = incidents per "
            "year. Solid: ReCAAP's own label; hatched: derived by rules.",
            severity_figure(r.severity_events, years, name),
        )
    )
    columns = {
        "severity": "ReCAAP level",
        "recaap_label": "ReCAAP label",
        "derived": "derived",
        "total": "total",
        "share_pct": "share (%)",
    }
    body.tables.append(
        (
            f"Severity of incidents, {p_rec['start']} to {p_rec['end']} (counts)",
            r.severity.rename(columns=columns),
        )
    )


def _map_points(events: pd.DataFrame) -> pd.DataFrame:
    """Incidents as map points: coloured by severity, filled when ReCAAP labelled them."""
    return pd.DataFrame(
        {
            "longitude": events["longitude"].to_numpy(float),
            "latitude": events["latitude"].to_numpy(float),
            "group": events["severity"].astype("string").fillna("NA").to_numpy(),
            "filled": events["severity_basis"].eq("source").fillna(False).to_numpy(),
            "coarse": (
                events["position_precision_deg"].fillna(0) >= COARSE_POSITION_DEG
            ).to_numpy(),
        }
    )


def _map_period(r: MaritimeResult) -> str:
    if not r.thin:
        p_rec = r.comparison["periods"]["recent"]
        return f"in {p_rec['start']} to {p_rec['end']}"
    if r.all_time["n"]:
        return f"since records began ({r.known['records_begin']})"
    return "none recorded"


def _map_part(ctx: BriefContext, r: MaritimeResult, name: str, body: _Body) -> None:
    fig, map_vals = incident_map(
        _map_points(r.map_events),
        iso3=r.country_iso3,
        layers=map_layers(ctx.tables),
        groups=SEVERITY_COLORS,
        title=f"Incidents by severity, {name}",
        legend_title="ReCAAP level",
        filled_label="ReCAAP label",
        open_label="derived label",
        coarse_label=f"position ±{LIVE_COARSE_DEG}°",
    )
    period = _map_period(r)
    body.values["map"] = {**map_vals, "period": period}
    kde_text = _kde_text(map_vals["kde"])
    eez_kind = "approximate EEZ" if r.eez_method.startswith("approx") else "EEZ"
    caption = (
        f"Incidents recorded {period}, coloured by ReCAAP level (filled: ReCAAP's "
        f"label; open: derived; squares: positions known to ±{LIVE_COARSE_DEG}° only). "
        f"Dashed: the {eez_kind} of {name}, {fmt_num(r.eez_area_km2)} km². {kde_text}"
    )
    body.figures.append((caption, fig))
    if map_vals["n_in_window"]:
        body.md.append(
            f"The map shows the {map_vals['n_in_window']} incidents recorded {period} "
            f"that have a position. {kde_text}"
        )
    else:
        body.md.append(f"The map shows the EEZ of {esc(name)}; there are no incidents to plot.")


def _time_part(r: MaritimeResult, name: str, body: _Body) -> None:
    tod = r.time_of_day
    body.values["time_of_day"] = tod
    if r.thin:
        return
    body.md.append(_time_sentence(tod, r.country_iso3))
    if not tod["n_with_time"]:
        return
    p_rec = r.comparison["periods"]["recent"]
    body.figures.append(
        (
            f"Local hour of the {tod['n_with_time']} incidents with a time, "
            f"{p_rec['start']} to {p_rec['end']}, coloured by the Sun's elevation "
            "at the incident position (day above −0.833°, civil twilight to −6°, "
            "night below).",
            time_of_day_figure(r.times, name, f"{p_rec['start']} to {p_rec['end']}"),
        )
    )


def _vessel_part(r: MaritimeResult, body: _Body) -> None:
    body.values["vessel_status"] = r.vessel_status.to_dict("records")
    body.values["vessel_type"] = r.vessel_type.to_dict("records")
    if r.thin:
        return
    summary = r.vessel_status_summary
    body.values["vessel_status_summary"] = summary
    p_rec = r.comparison["periods"]["recent"]
    body.md.append(
        f"Vessel status: in {summary['berthed_or_anchored']} of the {summary['n']} incidents "
        f"the ship was berthed or at anchor, in {summary['underway']} under way. Vessel types "
        "are raw counts: no traffic denominator (port calls, transits) is available, so a "
        "frequent type may simply be a common one."
    )
    status_columns = {
        "vessel_status": "status",
        "share_pct": "share (%)",
        "cat1_cat2": "CAT1 or CAT2",
    }
    body.tables.append(
        (
            f"Vessel status, {p_rec['start']} to {p_rec['end']} (CAT1 or CAT2 and "
            "attempted among them)",
            r.vessel_status.rename(columns=status_columns),
        )
    )
    body.tables.append(
        (
            f"Vessel type, {p_rec['start']} to {p_rec['end']} (raw counts)",
            r.vessel_type.rename(columns={"vessel_type": "type", "share_pct": "share (%)"}),
        )
    )


def _agreement_part(r: MaritimeResult, body: _Body) -> None:
    agree = r.source_agreement
    body.values["source_agreement"] = agree
    if r.thin:
        return
    p_rec, p_prev = r.comparison["periods"]["recent"], r.comparison["periods"]["previous"]
    body.method.append(_agreement_sentence(agree, p_rec, p_prev))
    body.tables.append(
        (
            "Incidents each source reported, by period (an incident reported by several "
            "sources counts once in the totals above)",
            _agreement_table(agree, p_rec, p_prev),
        )
    )


# --------------------------------------------------------------------------- key figures


def _key_sentence(r: MaritimeResult, name: str) -> str:
    cmp_ = r.comparison
    yrs = count_noun(r.lookback_years, "year")
    end = cmp_["periods"]["recent"]["end"]
    rr_text = rate_ratio_text(cmp_["rate_ratio"])
    if r.thin:
        return (
            f"Only {count_noun(cmp_['recent'], 'piracy or armed-robbery incident')} "
            f"{'was' if cmp_['recent'] == 1 else 'were'} recorded in the waters of {name} "
            f"in the {yrs} to {end} "
            f"({r.all_time['n']} since records began): too few to measure a trend."
        )
    counted = (
        f"{cmp_['recent']} piracy and armed-robbery incidents were recorded in the waters "
        f"of {name} in the {yrs} to {end} against {cmp_['previous']} in the "
        f"previous {yrs} (rate ratio {rr_text})"
    )
    if cmp_["comparable"]:
        return f"{counted}: {cmp_['direction']}."
    sentence = f"{counted}, but different sources covered the two periods, so this is not a "
    sentence += "like-for-like trend"
    lfl = cmp_["like_for_like"]
    if lfl is not None:
        sentence += (
            f"; {lfl['label']} alone, to {lfl['periods']['recent']['end']}, gives a rate "
            f"ratio of {rate_ratio_text(lfl['rate_ratio'])}: {lfl['direction']}"
        )
    return sentence + "."


def _key_figures(r: MaritimeResult, name: str) -> list[dict]:
    cmp_ = r.comparison
    rr = cmp_["rate_ratio"]
    p_rec, p_prev = cmp_["periods"]["recent"], cmp_["periods"]["previous"]
    figures = [
        {
            "id": "maritime_incidents_recent",
            "label": f"Piracy and armed-robbery incidents, {p_rec['start']} to {p_rec['end']}",
            "value": cmp_["recent"],
            "unit": "incidents",
            "interval": cmp_["recent_interval"],
            "interval_kind": f"exact Poisson {CONFIDENCE_PCT}% (Garwood)",
            "change": rr["estimate"],
            "change_text": (
                f"rate ratio {rate_ratio_text(rr)} vs {cmp_['previous']} in {p_prev['start']} "
                f"to {p_prev['end']} ({RATE_RATIO_METHOD})"
                + ("" if cmp_["comparable"] else "; sources differ between the periods")
            ),
            "significant": r.significant,
            "sentence": _key_sentence(r, name),
        }
    ]
    tod = r.time_of_day
    if not r.thin and tod["enough"]:
        figures.append(
            {
                "id": "maritime_share_night",
                "label": "Share of timed incidents at night (Sun below −6°), recent period",
                "value": tod["share_night_pct"],
                "unit": "%",
                "interval": tod["share_night_interval_pct"],
                "interval_kind": f"exact binomial {CONFIDENCE_PCT}% (Clopper–Pearson)",
                "change": None,
                "change_text": None,
                "significant": None,
                "sentence": (
                    f"{fmt_num(tod['share_night_pct'])}% of the {tod['n_classified']} recent "
                    f"incidents with a known time and position happened at night, "
                    f"{fmt_num(tod['share_dark_pct'])}% in darkness including twilight."
                ),
            }
        )
    return figures


# --------------------------------------------------------------------------- section 3


def _base_values(r: MaritimeResult, name: str, cov_list: list[dict]) -> dict:
    """Return the values of a section with an EEZ, before its parts add theirs."""
    return {
        "applicable": True,
        "reason": None,
        "country_iso3": r.country_iso3,
        "country_name": name,
        "as_of": iso_date(r.as_of),
        "lookback_years": r.lookback_years,
        "confidence_pct": CONFIDENCE_PCT,
        "category_counted": TREND_CATEGORY,
        "thin_data": r.thin,
        "thin_threshold": THIN_DATA_MIN_EVENTS,
        "comparison": r.comparison,
        "other_hostile_recent": r.n_other_recent,
        "ambiguous_recent": r.n_ambiguous_recent,
        "border_zone": r.border_zone,
        "all_time": r.all_time,
        "coverage_sources": cov_list,
        "annual_counts": r.annual_counts.to_dict("records"),
        "recaap": r.recaap,
        "eez": {"area_km2": r.eez_area_km2, "method": r.eez_method},
        "live_coarse_until": LIVE_COARSE_UNTIL,
        "live_coarse_deg": LIVE_COARSE_DEG,
        "imb_source_switch_year": IMB_SOURCE_SWITCH_YEAR,
        "cyclone_section": CYCLONE_SECTION,
        "what_is_known": r.known,
    }


def _border_text(r: MaritimeResult, name: str) -> str | None:
    """Say how many recent events lie near the EEZ limits and the count the other way."""
    b = r.border_zone
    if not (b["border_out"] or b["border_in"]):
        return None
    km = fmt_num(b["km"])
    return (
        f"**Border zone.** Of the {count_noun(b['counted'], 'piracy or armed-robbery event')} "
        f"of the recent period counted for {esc(name)}, {b['border_out']} "
        f"{'lies' if b['border_out'] == 1 else 'lie'} within {km} km of a neighbour's "
        f"approximate EEZ and could be the neighbour's; {b['border_in']} counted for a "
        f"neighbour {'lies' if b['border_in'] == 1 else 'lie'} within {km} km of the waters "
        f"of {esc(name)}. Attributed the other way, {esc(name)} would have "
        f"{b['alternative']}."
    )


def _lead(r: MaritimeResult, name: str, body: _Body) -> None:
    """Add the headline (or the thin-data lead with its table of what is known)."""
    if r.thin:
        body.md.append(_thin_lead(r, name))
        body.tables.append(
            (
                f"What is known about the maritime space of {name}",
                _known_table(r.known, r.eez_method),
            )
        )
    else:
        body.md.append(_headline(r, name))
        body.md.append(_comparability_text(r))


def maritime_section(ctx: BriefContext) -> Section:
    """Section 3: maritime incidents in the country's (approximate) EEZ.

    Parameters
    ----------
    ctx : BriefContext
        The brief's context (country, ``as_of``, ``lookback_years``).

    Returns
    -------
    Section
        Key ``"maritime"``. Landlocked countries (no EEZ) get a one-line section. When the
        two comparison periods hold fewer than
        :data:`~osa_analysis.analyse.maritime.THIN_DATA_MIN_EVENTS` incidents, the section
        says the data are thin and shows what is known instead (EEZ area, military
        expenditure) with the map.
    """
    name = country_name(ctx)
    r = maritime_incidents(ctx.scope, ctx.tables)
    if r is None:
        return not_applicable_section(
            ctx,
            "maritime",
            f"{esc(capitalised(name))} is landlocked: it has no coastline or exclusive economic "
            "zone, so there are no maritime incidents to report.",
            "landlocked (no EEZ)",
        )
    cov_list = _coverage_list(r.coverage)
    body = _Body(values=_base_values(r, name, cov_list))
    _lead(r, name, body)
    border = _border_text(r, name)
    if border:
        body.md.append(border)
    body.method.append(
        _sources_sentence(cov_list, r.comparison["coverage"]["recent"], r.as_of, r.coverage)
    )
    _annual_part(r, name, body)
    _severity_part(r, name, body)
    _map_part(ctx, r, name, body)
    _time_part(r, name, body)
    _vessel_part(r, body)
    _agreement_part(r, body)
    body.values["key_figures"] = _key_figures(r, name)
    return Section(
        key="maritime",
        title=registry.heading("maritime", ""),
        markdown="\n\n".join(body.md),
        method="\n\n".join(body.method),
        figures=body.figures,
        tables=body.tables,
        values=body.values,
        sources=list(SECTION_SOURCES),
        caveats=_caveats(r, name),
    )
