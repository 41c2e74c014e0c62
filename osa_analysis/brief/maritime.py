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

import pandas as pd

from osa_analysis.analyse.channels import COVERAGE_GROUPS, MARITIME_SOURCE_IDS
from osa_analysis.analyse.maritime import (
    COARSE_POSITION_DEG,
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
    channel_label,
    count_noun,
    country_name,
    incidents_header,
    join_sentences,
    not_applicable_section,
    rate_ratio_text,
)
from osa_analysis.brief.maps import (
    MAP_SOURCE_IDS,
    incident_map,
    map_layers,
)
from osa_analysis.brief.maritime_figures import (
    annual_counts_figure,
    severity_figure,
    severity_label,
    time_of_day_figure,
)
from osa_analysis.brief.maritime_text import (
    CYCLONE_SECTION,
    NOT_PUBLISHED,
    RATE_RATIO_METHODS,
    VESSEL_STATUS_LABELS,
    VESSEL_TYPE_LABELS,
    _agreement_sentence,
    _Body,
    _caveats,
    _comparability_text,
    _coverage_list,
    _direction,
    _headline,
    _kde_text,
    _severity_sentence,
    _sources_sentence,
    _span,
    _thin_lead,
    _time_sentence,
)
from osa_analysis.brief.numbers import date_text
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.brief.style import SEVERITY_COLORS
from osa_analysis.core.dates import iso_date
from osa_analysis.core.i18n import N_, REFERENCE, _, use_language
from osa_analysis.core.stats import RATE_RATIO_METHOD

MILEX_SOURCE_IDS = ("wb_milex_share", "wb_milex_usd")
SECTION_SOURCES = sorted({*MARITIME_SOURCE_IDS, *MAP_SOURCE_IDS, *MILEX_SOURCE_IDS})
"""Sources of the section when the country has an EEZ."""
# --------------------------------------------------------------------------- tables


def _known_table(known: dict, eez_method: str) -> pd.DataFrame:
    mil = known["milex"]
    indicator, value, note = _("indicator"), _("value"), _("year or note")
    rows = [
        {
            indicator: _("EEZ area (km²)"),
            value: fmt_num(known["eez_area_km2"]),
            note: _("approximate EEZ") if eez_method.startswith("approx") else "Marine Regions",
        },
        {
            indicator: _("incidents recorded since records began"),
            value: fmt_num(known["incidents_all_time"]),
            note: (
                _("latest {date}").format(date=date_text(known["latest_incident"]))
                if known["latest_incident"]
                else _("none recorded")
            ),
        },
        {
            indicator: _("military expenditure (% of GDP)"),
            value: fmt_num(mil["share_gdp_pct"], 2),
            note: str(mil["share_year"]) if mil["share_year"] else _(NOT_PUBLISHED),
        },
        {
            indicator: _("military expenditure (current US$)"),
            value: fmt_num(mil["usd"]),
            note: str(mil["usd_year"]) if mil["usd_year"] else _(NOT_PUBLISHED),
        },
    ]
    return pd.DataFrame(rows)


def _agreement_table(agree: dict, p_rec: dict, p_prev: dict) -> pd.DataFrame:
    previous = _("previous ({span})").format(span=_span(p_prev))
    recent = _("recent ({span})").format(span=_span(p_rec))
    return pd.DataFrame(
        [
            {
                _("source"): channel_label(g),
                previous: agree["previous"]["by_source"][g],
                recent: agree["recent"]["by_source"][g],
            }
            for g in COVERAGE_GROUPS
        ]
    )


def _shown(frame: pd.DataFrame, column: str, labels: dict[str, str]) -> pd.DataFrame:
    """Return ``frame`` with the words of ``column`` in the current language (a copy)."""
    words = [_(labels.get(v, v)) if isinstance(v, str) else v for v in frame[column]]
    return frame.assign(**{column: words})


# --------------------------------------------------------------------------- parts


def _annual_part(r: MaritimeResult, name: str, body: _Body) -> None:
    """Add the annual counts figure (a full section, or thin data with a long record)."""
    if r.thin and not r.history:
        return
    counts = r.annual_counts
    body.figures.append(
        (
            _(
                "Incidents per year ({first} to {last}; {last} to {date}). Shaded: the two "
                "{n}-year periods compared. Bottom: years each source covers."
            ).format(
                first=counts["year"].iloc[0],
                last=r.as_of.year,
                date=date_text(r.as_of),
                n=r.lookback_years,
            ),
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
            _(
                "Severity mix by year ({first} to {last}); n = incidents per year. Solid: "
                "ReCAAP's own label; hatched: derived by rules."
            ).format(first=years[0], last=years[-1]),
            severity_figure(r.severity_events, years, name),
        )
    )
    columns = {
        "severity": _("ReCAAP level"),
        "recaap_label": _("ReCAAP label"),
        "derived": _("derived"),
        "total": _("total"),
        "share_pct": _("share (%)"),
    }
    table = r.severity.assign(severity=[severity_label(v) for v in r.severity["severity"]])
    body.tables.append(
        (
            _("Severity of incidents, {span} (counts)").format(span=_span(p_rec)),
            table.rename(columns=columns),
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
        return _("in {span}").format(span=_span(r.comparison["periods"]["recent"]))
    if r.all_time["n"]:
        return _("since records began ({date})").format(date=date_text(r.known["records_begin"]))
    return _("none recorded")


def _map_part(ctx: BriefContext, r: MaritimeResult, name: str, body: _Body) -> None:
    fig, map_vals = incident_map(
        _map_points(r.map_events),
        iso3=r.country_iso3,
        layers=map_layers(ctx.tables),
        groups=SEVERITY_COLORS,
        title=_("Incidents by severity, {name}").format(name=name),
        legend_title=_("ReCAAP level"),
        filled_label=_("ReCAAP label"),
        open_label=_("derived label"),
        coarse_label=_("position ±{deg}°").format(deg=LIVE_COARSE_DEG),
        group_labels={level: severity_label(level) for level in SEVERITY_COLORS},
    )
    period = _map_period(r)
    with use_language(REFERENCE):  # the values keep the reference wording
        body.values["map"] = {**map_vals, "period": _map_period(r)}
    kde_text = _kde_text(map_vals["kde"])
    eez_kind = _("approximate EEZ") if r.eez_method.startswith("approx") else _("EEZ")
    caption = join_sentences(
        _(
            "Incidents recorded {period}, coloured by ReCAAP level (filled: ReCAAP's label; "
            "open: derived; squares: positions known to ±{deg}° only)."
        ).format(period=period, deg=LIVE_COARSE_DEG)
        if r.all_time["n"] or not r.thin
        else _("No incident is recorded in these waters."),
        _("Dashed: the {eez} of {name}, {area} km².").format(
            eez=eez_kind, name=name, area=fmt_num(r.eez_area_km2)
        ),
        kde_text,
    )
    body.figures.append((caption, fig))
    if map_vals["n_in_window"]:
        body.md.append(
            join_sentences(
                _("The map shows the {n} incidents recorded {period} that have a position.").format(
                    n=map_vals["n_in_window"], period=period
                ),
                kde_text,
            )
        )
    else:
        body.md.append(
            _("The map shows the EEZ of {name}; there are no incidents to plot.").format(
                name=esc(name)
            )
        )


def _time_part(r: MaritimeResult, name: str, body: _Body) -> None:
    tod = r.time_of_day
    body.values["time_of_day"] = tod
    if r.thin:
        return
    body.md.append(_time_sentence(tod, r.country_iso3))
    if not tod["n_with_time"]:
        return
    span = _span(r.comparison["periods"]["recent"])
    body.figures.append(
        (
            _(
                "Local hour of the {n} incidents with a time, {span}, coloured by the Sun's "
                "elevation at the incident position (day above −0.833°, civil twilight to −6°, "
                "night below)."
            ).format(n=tod["n_with_time"], span=span),
            time_of_day_figure(r.times, name, span),
        )
    )


def _vessel_part(r: MaritimeResult, body: _Body) -> None:
    body.values["vessel_status"] = r.vessel_status.to_dict("records")
    body.values["vessel_type"] = r.vessel_type.to_dict("records")
    if r.thin:
        return
    summary = r.vessel_status_summary
    body.values["vessel_status_summary"] = summary
    span = _span(r.comparison["periods"]["recent"])
    body.md.append(
        join_sentences(
            _(
                "Vessel status: in {anchored} of the {n} incidents the ship was berthed or at "
                "anchor, in {underway} under way."
            ).format(
                anchored=summary["berthed_or_anchored"],
                n=summary["n"],
                underway=summary["underway"],
            ),
            _(
                "Vessel types are raw counts: no traffic denominator (port calls, transits) is "
                "available, so a frequent type may simply be a common one."
            ),
        )
    )
    status_columns = {
        "vessel_status": _("status"),
        "incidents": incidents_header(),
        "share_pct": _("share (%)"),
        "cat1_cat2": _("CAT1 or CAT2"),
        "attempted": _("attempted"),
    }
    body.tables.append(
        (
            _("Vessel status, {span} (CAT1 or CAT2 and attempted among them)").format(span=span),
            _shown(r.vessel_status, "vessel_status", VESSEL_STATUS_LABELS).rename(
                columns=status_columns
            ),
        )
    )
    type_columns = {
        "vessel_type": _("type"),
        "incidents": incidents_header(),
        "share_pct": _("share (%)"),
    }
    body.tables.append(
        (
            _("Vessel type, {span} (raw counts)").format(span=span),
            _shown(r.vessel_type, "vessel_type", VESSEL_TYPE_LABELS).rename(columns=type_columns),
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
            _(
                "Incidents each source reported, by period (an incident reported by several "
                "sources counts once in the totals above)"
            ),
            _agreement_table(agree, p_rec, p_prev),
        )
    )


# --------------------------------------------------------------------------- key figures


def _key_sentence(r: MaritimeResult, name: str) -> str:
    cmp_ = r.comparison
    yrs = count_noun(r.lookback_years, "year")
    end = date_text(cmp_["periods"]["recent"]["end"])
    rr_text = rate_ratio_text(cmp_["rate_ratio"])
    if r.thin:
        message = (
            _(
                "Only {n} piracy or armed-robbery incident was recorded in the waters of {name} "
                "in the {years} to {end} ({total} since records began): too few to measure a "
                "trend."
            )
            if cmp_["recent"] == 1
            else _(
                "Only {n} piracy or armed-robbery incidents were recorded in the waters of "
                "{name} in the {years} to {end} ({total} since records began): too few to "
                "measure a trend."
            )
        )
        return message.format(
            n=cmp_["recent"], name=name, years=yrs, end=end, total=r.all_time["n"]
        )
    fields = {
        "recent": cmp_["recent"],
        "name": name,
        "years": yrs,
        "end": end,
        "previous": cmp_["previous"],
        "rate_ratio": rr_text,
    }
    if cmp_["comparable"]:
        return _(
            "{recent} piracy and armed-robbery incidents were recorded in the waters of {name} "
            "in the {years} to {end} against {previous} in the previous {years} (rate ratio "
            "{rate_ratio}): {direction}."
        ).format(**fields, direction=_direction(cmp_["direction"]))
    lfl = cmp_["like_for_like"]
    if lfl is None:
        return _(
            "{recent} piracy and armed-robbery incidents were recorded in the waters of {name} "
            "in the {years} to {end} against {previous} in the previous {years} (rate ratio "
            "{rate_ratio}), but different sources covered the two periods, so this is not a "
            "like-for-like trend."
        ).format(**fields)
    return _(
        "{recent} piracy and armed-robbery incidents were recorded in the waters of {name} in "
        "the {years} to {end} against {previous} in the previous {years} (rate ratio "
        "{rate_ratio}), but different sources covered the two periods, so this is not a "
        "like-for-like trend; {source} alone, to {source_end}, gives a rate ratio of "
        "{source_rate_ratio}: {direction}."
    ).format(
        **fields,
        source=channel_label(lfl["group"], lfl["label"]),
        source_end=date_text(lfl["periods"]["recent"]["end"]),
        source_rate_ratio=rate_ratio_text(lfl["rate_ratio"]),
        direction=_direction(lfl["direction"]),
    )


def _key_figures(r: MaritimeResult, name: str) -> list[dict]:
    """Return the key figures (their texts in the current language: section 1 shows them)."""
    cmp_ = r.comparison
    rr = cmp_["rate_ratio"]
    p_rec, p_prev = cmp_["periods"]["recent"], cmp_["periods"]["previous"]
    change = (
        _("rate ratio {rate_ratio} vs {previous} in {span} ({method})")
        if cmp_["comparable"]
        else _(
            "rate ratio {rate_ratio} vs {previous} in {span} ({method}); sources differ "
            "between the periods"
        )
    )
    figures = [
        {
            "id": "maritime_incidents_recent",
            "label": _("Piracy and armed-robbery incidents, {span}").format(span=_span(p_rec)),
            "value": cmp_["recent"],
            "unit": N_("incidents"),  # a unit: shown translated (section 1)
            "interval": cmp_["recent_interval"],
            "interval_kind": _("exact Poisson {pct}% (Garwood)").format(pct=CONFIDENCE_PCT),
            "change": rr["estimate"],
            "change_text": change.format(
                rate_ratio=rate_ratio_text(rr),
                previous=cmp_["previous"],
                span=_span(p_prev),
                method=_(RATE_RATIO_METHODS.get(RATE_RATIO_METHOD, RATE_RATIO_METHOD)),
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
                "label": _("Share of timed incidents at night (Sun below −6°), recent period"),
                "value": tod["share_night_pct"],
                "unit": "%",
                "interval": tod["share_night_interval_pct"],
                "interval_kind": _("exact binomial {pct}% (Clopper–Pearson)").format(
                    pct=CONFIDENCE_PCT
                ),
                "change": None,
                "change_text": None,
                "significant": None,
                "sentence": _(
                    "{night}% of the {n} recent incidents with a known time and position "
                    "happened at night, {dark}% in darkness including twilight."
                ).format(
                    night=fmt_num(tod["share_night_pct"]),
                    n=tod["n_classified"],
                    dark=fmt_num(tod["share_dark_pct"]),
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


BORDER_TEXTS = {
    (True, True): N_(
        "**Border zone.** Of the {counted} of the recent period counted for {name}, {out} lies "
        "within {km} km of a neighbour's approximate EEZ and could be the neighbour's; {into} "
        "counted for a neighbour lies within {km} km of the waters of {name}. Attributed the "
        "other way, {name} would have {alternative}."
    ),
    (True, False): N_(
        "**Border zone.** Of the {counted} of the recent period counted for {name}, {out} lies "
        "within {km} km of a neighbour's approximate EEZ and could be the neighbour's; {into} "
        "counted for a neighbour lie within {km} km of the waters of {name}. Attributed the "
        "other way, {name} would have {alternative}."
    ),
    (False, True): N_(
        "**Border zone.** Of the {counted} of the recent period counted for {name}, {out} lie "
        "within {km} km of a neighbour's approximate EEZ and could be the neighbour's; {into} "
        "counted for a neighbour lies within {km} km of the waters of {name}. Attributed the "
        "other way, {name} would have {alternative}."
    ),
    (False, False): N_(
        "**Border zone.** Of the {counted} of the recent period counted for {name}, {out} lie "
        "within {km} km of a neighbour's approximate EEZ and could be the neighbour's; {into} "
        "counted for a neighbour lie within {km} km of the waters of {name}. Attributed the "
        "other way, {name} would have {alternative}."
    ),
}
"""The border-zone paragraph by (one event out, one event in): the verb agrees."""


def _border_text(r: MaritimeResult, name: str) -> str | None:
    """Say how many recent events lie near the EEZ limits and the count the other way."""
    b = r.border_zone
    if not (b["border_out"] or b["border_in"]):
        return None
    message = BORDER_TEXTS[(b["border_out"] == 1, b["border_in"] == 1)]
    return _(message).format(
        counted=count_noun(b["counted"], "piracy or armed-robbery event"),
        name=esc(name),
        out=b["border_out"],
        km=fmt_num(b["km"]),
        into=b["border_in"],
        alternative=b["alternative"],
    )


def _lead(r: MaritimeResult, name: str, body: _Body) -> None:
    """Add the headline (or the thin-data lead with its table of what is known)."""
    if r.thin:
        body.md.append(_thin_lead(r, name))
        body.tables.append(
            (
                _("What is known about the maritime space of {name}").format(name=name),
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
    r = ctx.analysis(maritime_incidents)
    if r is None:
        return not_applicable_section(
            ctx,
            "maritime",
            _(
                "{name} is landlocked: it has no coastline or exclusive economic zone, so there "
                "are no maritime incidents to report."
            ).format(name=esc(capitalised(name))),
            "landlocked (no EEZ)",
        )
    cov_list = _coverage_list(r.coverage)
    with use_language(REFERENCE):  # the values keep the reference wording
        reference_name = country_name(ctx)
    body = _Body(values=_base_values(r, reference_name, cov_list))
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
