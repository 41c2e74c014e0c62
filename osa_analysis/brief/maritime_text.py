"""Words of the maritime section: caveats, the lead and the sentences of its findings.

Each sentence is one message of the edition's language, with the analysis' codes (directions,
vessel status and type, EEZ methods) translated where shown. Split from
:mod:`osa_analysis.brief.maritime`, which assembles the section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from osa_analysis.analyse.incident_times import MIN_TIMED_EVENTS, STANDARD_UTC_OFFSET_H
from osa_analysis.analyse.maritime import (
    COMPARABLE_TOLERANCE,
    CONFIDENCE_PCT,
    IMB_SOURCE_SWITCH_YEAR,
    LIVE_COARSE_DEG,
    LIVE_COARSE_UNTIL,
    MaritimeResult,
)
from osa_analysis.brief import registry
from osa_analysis.brief.incident_wording import (
    capitalised,
    channel_label,
    count_noun,
    join_and,
    join_clauses,
    join_comma,
    join_sentences,
    rate_ratio_text,
)
from osa_analysis.brief.maps import (
    kde_projection_text,
    kde_reason_text,
    kde_rule_text,
)
from osa_analysis.brief.numbers import count, date_text, range_text
from osa_analysis.brief.section import esc, fmt_num
from osa_analysis.core.dates import iso_date
from osa_analysis.core.i18n import N_, _
from osa_analysis.core.stats import RATE_RATIO_METHOD
from osa_analysis.harmonise.eez import APPROX_METHOD, MARINE_REGIONS_METHOD, METHOD_VERSION

CYCLONE_SECTION = registry.number("exposure")
"""Section of the brief with cyclone exposure (referred to, not repeated)."""

VERDICTS = {
    "increase": N_("a clear increase (the interval excludes 1)"),
    "decrease": N_("a clear decrease (the interval excludes 1)"),
    "no clear change": N_("no clear change (the interval includes 1)"),
    "not defined": N_("not a measurable change"),
}
"""How the headline names the change of comparable periods."""
DIRECTIONS = {
    "increase": N_("increase"),
    "decrease": N_("decrease"),
    "no clear change": N_("no clear change"),
    "not defined": N_("not defined"),
    "not comparable": N_("not comparable"),
}
"""Shown names of a comparison's ``direction``."""
NOT_PUBLISHED = N_("not published by the World Bank (SIPRI) for this country")
RATE_RATIO_METHODS = {RATE_RATIO_METHOD: N_("exact conditional binomial (Clopper–Pearson)")}
"""Shown name of the rate ratio's interval method."""
VESSEL_STATUS_LABELS = {
    "berthed": N_("berthed"),
    "anchored": N_("anchored"),
    "underway": N_("underway"),
    "unknown": N_("unknown"),
}
VESSEL_TYPE_LABELS = {
    "tanker": N_("tanker"),
    "bulk": N_("bulk"),
    "container": N_("container"),
    "general cargo": N_("general cargo"),
    "tug barge": N_("tug barge"),
    "fishing": N_("fishing"),
    "offshore supply": N_("offshore supply"),
    "passenger": N_("passenger"),
    "yacht": N_("yacht"),
    "naval or government": N_("naval or government"),
    "other": N_("other"),
    "other types": N_("other types"),
    "unknown": N_("unknown"),
}
"""Shown names of the vessel types (``vessel_type_std`` with spaces)."""
APPROX_METHOD_TEXT = N_(
    "{version}: equidistance (Voronoi of coastline vertices, spherical Mercator) between "
    "Natural Earth 1:10m country polygons (world-atlas 2.0.2), capped at {max_nm} nm (local "
    "azimuthal-equidistant buffers), land removed; not a legal boundary"
)
"""The approximate EEZ's method (:data:`osa_analysis.harmonise.eez.APPROX_METHOD`), shown."""
EEZ_METHOD_TEXTS = {MARINE_REGIONS_METHOD: N_("Marine Regions World EEZ v12 (user-supplied)")}
_APPROX_METHOD_RE = re.compile(
    re.escape(APPROX_METHOD).replace(re.escape("{max_nm:g}"), r"(?P<max_nm>\d+(?:\.\d+)?)")
)


@dataclass
class _Body:
    """What the parts of the section add: paragraphs, figures, tables and values."""

    values: dict
    md: list[str] = field(default_factory=list)
    method: list[str] = field(default_factory=list)
    figures: list = field(default_factory=list)
    tables: list = field(default_factory=list)


def _span(period: dict) -> str:
    """Return a period's dates: "2021-08-10 to 2026-08-09" ("2021年8月10日〜…" in Japanese)."""
    return range_text(date_text(period["start"]), date_text(period["end"]))


def _direction(direction: str) -> str:
    """Return a comparison's ``direction`` in the current language."""
    return _(DIRECTIONS.get(direction, direction))


def eez_method_text(method: str) -> str:
    """Return the EEZ attribution method in the current language (unknown ones unchanged)."""
    if method in EEZ_METHOD_TEXTS:
        return _(EEZ_METHOD_TEXTS[method])
    found = _APPROX_METHOD_RE.fullmatch(method)
    if found is None:
        return method
    return _(APPROX_METHOD_TEXT).format(version=METHOD_VERSION, max_nm=found["max_nm"])


# --------------------------------------------------------------------------- caveats


def _recaap_notes(recaap: dict, name: str) -> list[str]:
    """Caveats on ReCAAP's reach in the country's waters."""
    party, area = recaap["contracting_party"], recaap["in_area"]
    notes = []
    if party is False:
        notes.append(
            _(
                "{name} is not a ReCAAP Contracting Party, so it has no ReCAAP focal point "
                "verifying reports from its waters; ReCAAP counts there rest on ship masters "
                "and other parties' reports."
            ).format(name=esc(capitalised(name)))
        )
    elif party is None and area is not False:
        notes.append(
            _(
                "Whether {name} is a ReCAAP Contracting Party is not recorded in the curated "
                "country table (data/recipients/countries.yaml)."
            ).format(name=esc(name))
        )
    if area is False:
        notes.append(
            _(
                "The waters of {name} lie outside ReCAAP's reporting area (the Pacific is not "
                "covered): ReCAAP OpenMap and the ReCAAP part of the live feed will not record "
                "incidents there, and after ASAM ended only IMB's live reports could."
            ).format(name=esc(name))
        )
    return notes


def _coverage_caveats(coverage: pd.DataFrame) -> list[str]:
    by_group = coverage.set_index("group")
    return [
        _(
            "Recorded incidents are a floor, not a census: many incidents, especially petty "
            "thefts at anchor and attacks on fishing and local craft, are never reported "
            '(IFC Singapore calls reported data "the tip of the iceberg").'
        ),
        _(
            "ASAM (NGA) stopped publishing on {asam_end}; IMB Crime at Sea ends in {imb_end} "
            "(and switched its own source from the mappingpiracy archive to IMB reports in "
            "{switch_year}). Counts across periods change with the sources that exist."
        ).format(
            asam_end=date_text(by_group.loc["asam", "end"]),
            imb_end=f"{by_group.loc['imb', 'end']:%Y}",
            switch_year=IMB_SOURCE_SWITCH_YEAR,
        ),
        _(
            "Live-feed ReCAAP positions before {date} are whole degrees (±{deg}°): on the map "
            "they are squares. A report whose square meets more than one state's EEZ (e.g. the "
            "Singapore Strait) is counted for none of them."
        ).format(date=date_text(LIVE_COARSE_UNTIL), deg=LIVE_COARSE_DEG),
    ]


def _caveats(r: MaritimeResult, name: str) -> list[str]:
    return [
        *_coverage_caveats(r.coverage),
        *_recaap_notes(r.recaap, name),
        _("Coastal state = the EEZ the position falls in, by this method: {method}.").format(
            method=esc(eez_method_text(r.eez_method))
        ),
        *(
            [
                _(
                    "{events} of the recent period have a coarse position that may lie in the "
                    "waters of {name} or of a neighbour; they are not counted above."
                ).format(
                    events=count(r.n_ambiguous_recent, _("piracy or armed-robbery event")),
                    name=esc(name),
                )
            ]
            if r.n_ambiguous_recent
            else []
        ),
        _(
            "Local times without a UTC offset (ASAM, IMB) are converted with the country's "
            "standard offset (Indonesia: by longitude, three zones), ignoring daylight saving; "
            "incidents with no time are left out of the time-of-day figures."
        ),
    ]


# --------------------------------------------------------------------------- sentences


def _thin_lead(r: MaritimeResult, name: str) -> str:
    cmp_, known = r.comparison, r.known
    p_rec = cmp_["periods"]["recent"]
    yrs = count_noun(r.lookback_years, "year")
    if r.all_time["n"] == 0:
        lead = _(
            "**Data are thin.** No piracy or armed-robbery incident has been recorded in the "
            "approximate EEZ of {name} since records began ({begin})."
        ).format(name=esc(name), begin=date_text(known["records_begin"]))
    else:
        message = (
            _(
                "**Data are thin.** {n} piracy or armed-robbery incident was recorded in the "
                "approximate EEZ of {name} in the {years} {span} and {previous} in the {years} "
                "before; {total} since records began ({begin}), the latest on {latest}."
            )
            if cmp_["recent"] == 1
            else _(
                "**Data are thin.** {n} piracy or armed-robbery incidents were recorded in the "
                "approximate EEZ of {name} in the {years} {span} and {previous} in the {years} "
                "before; {total} since records began ({begin}), the latest on {latest}."
            )
        )
        lead = message.format(
            n=cmp_["recent"],
            name=esc(name),
            years=yrs,
            span=_span(p_rec),
            previous=cmp_["previous"],
            total=r.all_time["n"],
            begin=date_text(known["records_begin"]),
            latest=date_text(r.all_time["last_date"]),
        )
    return join_sentences(
        lead,
        _(
            "That is too few for a trend, a severity mix or a time-of-day profile; what is "
            "known instead is below, and cyclone exposure is in section {section}."
        ).format(section=CYCLONE_SECTION),
    )


def _headline(r: MaritimeResult, name: str) -> str:
    cmp_ = r.comparison
    p_rec, p_prev = cmp_["periods"]["recent"], cmp_["periods"]["previous"]
    message = (
        _(
            "**{recent}** piracy and armed-robbery incident was recorded in the approximate "
            "EEZ of {name} in the {years} {span}, against {previous} in the previous {years} "
            "({previous_span}): rate ratio {rate_ratio}, exact Poisson {pct}% interval."
        )
        if cmp_["recent"] == 1
        else _(
            "**{recent}** piracy and armed-robbery incidents were recorded in the approximate "
            "EEZ of {name} in the {years} {span}, against {previous} in the previous {years} "
            "({previous_span}): rate ratio {rate_ratio}, exact Poisson {pct}% interval."
        )
    )
    text = message.format(
        recent=cmp_["recent"],
        name=esc(name),
        years=count_noun(r.lookback_years, "year"),
        span=_span(p_rec),
        previous=cmp_["previous"],
        previous_span=_span(p_prev),
        rate_ratio=rate_ratio_text(cmp_["rate_ratio"]),
        pct=CONFIDENCE_PCT,
    )
    if r.n_other_recent:
        further = (
            _(
                "A further {n} other hostile act (military activity, detentions, protests) in "
                "the recent period."
            )
            if r.n_other_recent == 1
            else _(
                "A further {n} other hostile acts (military activity, detentions, protests) in "
                "the recent period."
            )
        )
        text = join_sentences(text, further.format(n=r.n_other_recent))
    return text


def _comparability_text(r: MaritimeResult) -> str:
    cmp_ = r.comparison
    if cmp_["comparable"]:
        return _("The same sources covered both periods, so this is {verdict}.").format(
            verdict=_(VERDICTS[cmp_["direction"]])
        )
    text = _(
        "**The two periods are not covered by the same sources**, so this ratio mixes "
        "changes in reporting with changes in incidents and is not read as a trend "
        "({coverage})."
    ).format(coverage=_coverage_sentence(cmp_["coverage"], r.coverage))
    lfl = cmp_["like_for_like"]
    if lfl is not None:
        lp = lfl["periods"]
        text = join_sentences(
            text,
            _(
                "Like-for-like check, counting only incidents {source} recorded (the one "
                "source covering two whole {n}-year periods, up to {end}): {recent} in "
                "{recent_span} against {previous} in {previous_span}, rate ratio "
                "{rate_ratio}: {direction}."
            ).format(
                source=esc(channel_label(lfl["group"], lfl["label"])),
                n=r.lookback_years,
                end=date_text(lp["recent"]["end"]),
                recent=lfl["recent"],
                recent_span=_span(lp["recent"]),
                previous=lfl["previous"],
                previous_span=_span(lp["previous"]),
                rate_ratio=rate_ratio_text(lfl["rate_ratio"]),
                direction=_direction(lfl["direction"]),
            ),
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
    spans = join_clauses(
        _("{source} {span}").format(
            source=channel_label(c["group"], c["label"]),
            span=range_text(date_text(c["start"]), date_text(c["end"])),
        )
        for c in cov_list
    )
    asam_end = coverage.set_index("group").loc["asam", "end"]
    later = [
        channel_label(c["group"], c["label"])
        for c in cov_list
        if pd.Timestamp(c["end"]) > asam_end and pd.Timestamp(c["start"]) <= as_of
    ]
    now = [
        channel_label(c["group"], c["label"])
        for c in cov_list
        if pd.Timestamp(c["start"]) <= as_of <= pd.Timestamp(c["end"])
    ]
    active = [
        channel_label(c["group"], c["label"]) for c in cov_list if recent.get(c["group"], 0) > 0
    ]
    if as_of > asam_end:
        message = (
            _(
                "Which sources exist matters: {spans}. After ASAM ended ({asam_end}) the only "
                "sources are {later}; on {as_of} only {now} reported. The recent period rests "
                "on {active}."
            )
            if now
            else _(
                "Which sources exist matters: {spans}. After ASAM ended ({asam_end}) the only "
                "sources are {later}; no source covers {as_of}. The recent period rests on "
                "{active}."
            )
        )
    else:
        message = (
            _(
                "Which sources exist matters: {spans}; on {as_of} only {now} reported. The "
                "recent period rests on {active}."
            )
            if now
            else _(
                "Which sources exist matters: {spans}; no source covers {as_of}. The recent "
                "period rests on {active}."
            )
        )
    return message.format(
        spans=spans,
        asam_end=date_text(asam_end),
        later=join_and(later),
        as_of=date_text(as_of),
        now=join_and(now),
        active=join_comma(active),
    )


def _coverage_sentence(cov: dict, coverage: pd.DataFrame) -> str:
    """Name the channels that cover the two periods differently (clauses, joined)."""
    labels = coverage.set_index("group")["label"]
    parts = []
    for group in coverage["group"]:
        a, b = cov["previous"][group], cov["recent"][group]
        if abs(a - b) > COMPARABLE_TOLERANCE:
            parts.append(
                _(
                    "{source} covers {previous}% of the previous and {recent}% of the recent period"
                ).format(
                    source=channel_label(group, labels[group]),
                    previous=fmt_num(100 * a),
                    recent=fmt_num(100 * b),
                )
            )
    return join_clauses(parts)


def _severity_sentence(vals: dict) -> str:
    n = vals["n"]
    if n == 0:
        return _("No incidents in the recent period, so there is no severity mix.")
    return _(
        "Severity (ReCAAP significance levels): of the {n} incidents in the recent period, "
        "{severe} ({share}%) were CAT1 or CAT2 (the more violent or costly) and {attempted} "
        "were attempts. {recaap} carry ReCAAP's own label; the other {derived} are derived "
        "by the project's rules from the source's outcome, weapon and crew treatment "
        "(hatched in the chart), so their mix is less certain."
    ).format(
        n=n,
        severe=vals["n_cat1_cat2"],
        share=fmt_num(vals["share_cat1_cat2_pct"]),
        attempted=vals["n_attempted"],
        recaap=vals["n_recaap_label"],
        derived=vals["n_derived"],
    )


def _time_sentence(tod: dict, iso3: str) -> str:
    offset = STANDARD_UTC_OFFSET_H.get(iso3)
    std = (
        _("Indonesia's three zones by longitude (UTC+7, +8, +9)")
        if iso3 == "IDN"
        else _("the standard offset UTC+{offset}").format(
            offset=fmt_num(offset, 1 if offset % 1 else 0)
        )
        if offset is not None
        else _("no standard offset (not in the table)")
    )
    text = _(
        "Time of day: {with_time} of the {n} incidents in the recent period have a usable "
        "local time ({from_source} with the source's UTC offset, {standard} converted with "
        "{offset}); {classified} also have a position, so the Sun's elevation there can be "
        "computed."
    ).format(
        with_time=tod["n_with_time"],
        n=tod["n_events"],
        from_source=tod["n_offset_source"],
        standard=tod["n_offset_standard"],
        offset=std,
        classified=tod["n_classified"],
    )
    if tod["enough"]:
        lo, hi = tod["share_night_interval_pct"]
        dlo, dhi = tod["share_dark_interval_pct"]
        more = _(
            "{night}% happened at night (Sun below −6°; exact {pct}% interval "
            "{low}–{high}%) and {dark}% in darkness including civil twilight "
            "({dark_low}–{dark_high}%)."
        ).format(
            night=fmt_num(tod["share_night_pct"]),
            pct=CONFIDENCE_PCT,
            low=fmt_num(lo),
            high=fmt_num(hi),
            dark=fmt_num(tod["share_dark_pct"]),
            dark_low=fmt_num(dlo),
            dark_high=fmt_num(dhi),
        )
    else:
        more = _("Fewer than {n}: no darkness shares are given.").format(n=MIN_TIMED_EVENTS)
    return join_sentences(text, more)


def _agreement_sentence(agree: dict, p_rec: dict, p_prev: dict) -> str:
    parts = []
    for key, p in (("recent", p_rec), ("previous", p_prev)):
        a = agree[key]
        if not a["n_events"]:
            parts.append(_("no incidents in {span}").format(span=_span(p)))
            continue
        if a["n_outcome_compared"]:
            message = _(
                "{multi} of {n} incidents in {span} ({share}%) were reported by more than one "
                "source, and for {agree} of those {compared} the sources agree on the outcome "
                "({agree_share}%)"
            )
        else:
            message = _(
                "{multi} of {n} incidents in {span} ({share}%) were reported by more than one "
                "source"
            )
        parts.append(
            message.format(
                multi=a["n_multi_source"],
                n=a["n_events"],
                span=_span(p),
                share=fmt_num(a["share_multi_pct"]),
                agree=a["n_outcome_agree"],
                compared=a["n_outcome_compared"],
                agree_share=fmt_num(a["share_outcome_agree_pct"]),
            )
        )
    return _(
        "Source agreement: {parts}. Low overlap means the sources see different incidents, so "
        "no single source gives the full picture."
    ).format(parts=join_clauses(parts))


def _kde_text(kde: dict) -> str:
    if not kde["applied"]:
        return _("No density layer: {reason}.").format(reason=kde_reason_text(kde))
    return _(
        "Shading: kernel density of the {n} positions, {rule} with a standard deviation "
        "(bandwidth) of {km} km, computed in an {projection}."
    ).format(
        n=kde["n_points"],
        rule=kde_rule_text(kde),
        km=fmt_num(kde["bandwidth_km"]),
        projection=kde_projection_text(kde),
    )
