"""Section: context and outlook, from the curated events of ``data/context/<ISO3>.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from osa_analysis.analyse.context import context_outlook
from osa_analysis.analyse.cyclone_season import CycloneSeason, cyclone_season
from osa_analysis.analyse.hazards import DISTANCES_KM, cyclone_exposure
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.exposure_figures import agency_label
from osa_analysis.brief.incident_wording import capitalised
from osa_analysis.brief.incident_wording import country_name as running_name
from osa_analysis.brief.numbers import date_text, pct, range_text
from osa_analysis.brief.section import Section, esc
from osa_analysis.core.i18n import N_, REFERENCE, _, language, tr
from osa_analysis.sources.context import context_file, load_context

DATA_MESSAGES = (("data/context/*.yaml", "events[].event"),)
"""The curated event texts this section shows (translated through the catalog)."""

KIND_WORDS = {
    "transition": N_("change of government"),
    "election": N_("election"),
    "incident_at_sea": N_("incident at sea"),
    "conflict": N_("armed conflict"),
    "programme": N_("OSA programme"),
    "scheduled": N_("scheduled"),
}
"""Each event kind as shown (translated where shown)."""

_EVENT_LINES = {
    "VERIFIED": N_("- **{when}** ({kind}): {event} ({sources})"),
    "SINGLE-SOURCE": N_("- **{when}** ({kind}): {event} ({sources}; single source)"),
}
"""An event's list item by its status: a single-source event is marked."""


def _link(url: str, text: str) -> str:
    """Return a Markdown link whose target cannot break the Markdown (spaces, brackets)."""
    return f"[{text}]({quote(url, safe=':/?#=&%~+,;@!$*')})"


def event_date(text: str) -> str:
    """Return an event date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) in the current language.

    English keeps the text as written; Japanese writes "1987年", "2006年12月", "2024年6月17日".
    """
    parts = text.split("-")
    if len(parts) == 3:
        return date_text(text)
    if language() != "ja" or not all(p.isdigit() for p in parts):
        return text
    return f"{parts[0]}年" if len(parts) == 1 else f"{parts[0]}年{int(parts[1])}月"


def event_line(event: Mapping[str, Any]) -> str:
    """One event as a list item: date, kind, the paraphrase, its sources (and if single)."""
    when = event_date(event["date"])
    if event.get("date_to"):
        when = range_text(when, event_date(event["date_to"]))
    n_sources = len(event["sources"])
    sources = ("、" if language() == "ja" else ", ").join(
        _link(url, _("source {n}").format(n=i + 1) if n_sources > 1 else _("source"))
        for i, url in enumerate(event["sources"])
    )
    line = _EVENT_LINES["SINGLE-SOURCE" if event["status"] == "SINGLE-SOURCE" else "VERIFIED"]
    return _(line).format(
        when=esc(when),
        kind=_(KIND_WORDS[event["kind"]]),
        event=esc(tr(event["event"])),
        sources=sources,
    )


MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def month_name(month: int) -> str:
    """Return a month (1-12) by name in the current language ("July", "7月")."""
    return _(MONTHS[month - 1])


def cyclone_season_of(ctx: BriefContext) -> CycloneSeason:
    """Return the country's cyclone season from the tracks of its exposure's headline agency."""
    exposure = ctx.analysis(cyclone_exposure)
    agency = exposure.values.get("headline_agency")
    return cyclone_season(exposure.passages, agency, max(DISTANCES_KM))


def season_line(season: CycloneSeason, country: str, month_as_of: int) -> str:
    """One line of the outlook: the months of the cyclone season, read from the tracks."""
    if season.n_storms == 0:
        return _(
            "**Cyclone season (from the tracks):** no tropical cyclone track in the data came "
            "within {km} km of the land of {country}."
        ).format(km=season.within_km, country=esc(country))
    if not season.months:
        return _(
            "**Cyclone season (from the tracks):** only {n} tropical cyclones in the data came "
            "within {km} km of the land of {country} ({first}–{last}), too few to name a season."
        ).format(
            n=season.n_storms,
            km=season.within_km,
            country=esc(country),
            first=season.first_season,
            last=season.last_season,
        )
    first, last = season.months[0], season.months[-1]
    where = (
        _("the brief's date falls inside it")
        if season.covers(month_as_of)
        else _("it next opens in {month}").format(month=month_name(first))
    )
    return _(
        "**Cyclone season (from the tracks):** {share} of the {n} tropical cyclones whose "
        "track came within {km} km of the land of {country} ({agency}, seasons {first_season}–"
        "{last_season}) did so from {start} to {end} (most in {peak}); {where}."
    ).format(
        share=pct(season.share),
        n=f"{season.n_storms:,}",
        km=season.within_km,
        country=esc(country),
        agency=esc(agency_label(season.agency)),
        first_season=season.first_season,
        last_season=season.last_season,
        start=month_name(first),
        end=month_name(last),
        peak=month_name(season.peak_month),
        where=where,
    )


def _name(ctx: BriefContext) -> str:
    """Return the country's name for running text ("the Philippines"; no article in Japanese)."""
    name = running_name(ctx)
    if language() != REFERENCE and name.startswith("the "):
        return name.removeprefix("the ")
    return name


def outlook_section(ctx: BriefContext) -> Section:
    """Build the section: dated events known at ``as_of`` and the scheduled ones ahead.

    Returns
    -------
    Section
        Key ``"context"``; ``values`` as :func:`~osa_analysis.analyse.context.context_outlook`
        plus ``file`` (the curated file's path in the repository).
    """
    iso3 = ctx.country_iso3
    name = _name(ctx)
    path = f"data/context/{context_file(iso3).name}"
    values = context_outlook(load_context(iso3), ctx.scope.as_of)
    values["file"] = path
    months = values["outlook_months"]
    if not values["curated"]:
        markdown = _(
            "No dated context events are curated for {country} yet (`{path}` does not exist): "
            "transitions, elections, incidents at sea and scheduled events are left out rather "
            "than guessed."
        ).format(country=esc(name), path=path)
    else:
        lines = [
            _(
                "Dated events the project has curated for {country}, each paraphrased from the "
                "sources it links (`{path}`); only what was known at {as_of}."
            ).format(country=esc(name), path=path, as_of=date_text(ctx.scope.as_of_text))
        ]
        if values["past"]:
            lines += ["", *[event_line(e) for e in values["past"]]]
        else:
            lines.append(_("No past event is curated."))
        lines.append("")
        if values["upcoming"]:
            lines += [
                _("**Ahead (next {months} months):**").format(months=months),
                "",
                *[event_line(e) for e in values["upcoming"]],
            ]
        else:
            lines.append(
                _(
                    "**Ahead (next {months} months):** no scheduled event is curated for "
                    "{country}; that is not a finding that none is due."
                ).format(months=months, country=esc(name))
            )
        markdown = "\n".join(lines)
    season = cyclone_season_of(ctx)
    values["cyclone_season"] = season.as_dict()
    markdown = f"{markdown}\n\n{season_line(season, name, ctx.scope.as_of.month)}"
    return Section(
        key="context",
        title=_("Context and outlook"),
        markdown=markdown,
        values=values,
        caveats=[
            _(
                "{country}'s events are the project's selection, not a complete chronology; "
                "each is a paraphrase checked against the linked sources, marked when only one "
                "source reports it."
            ).format(country=capitalised(name))
        ]
        if values["curated"]
        else [],
    )
