"""Section: context and outlook, from the curated events of ``data/context/<ISO3>.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from osa_analysis.analyse.context import context_outlook
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.incident_wording import capitalised
from osa_analysis.brief.incident_wording import country_name as running_name
from osa_analysis.brief.section import Section, esc
from osa_analysis.sources.context import context_file, load_context

KIND_WORDS = {
    "transition": "change of government",
    "election": "election",
    "incident_at_sea": "incident at sea",
    "conflict": "armed conflict",
    "programme": "OSA programme",
    "scheduled": "scheduled",
}


def _link(url: str, text: str) -> str:
    """Return a Markdown link whose target cannot break the Markdown (spaces, brackets)."""
    return f"[{text}]({quote(url, safe=':/?#=&%~+,;@!$*')})"


def event_line(event: Mapping[str, Any]) -> str:
    """One event as a list item: date, kind, the paraphrase, its sources (and if single)."""
    when = event["date"] + (f" to {event['date_to']}" if event.get("date_to") else "")
    sources = ", ".join(
        _link(url, f"source {i + 1}" if len(event["sources"]) > 1 else "source")
        for i, url in enumerate(event["sources"])
    )
    single = "; single source" if event["status"] == "SINGLE-SOURCE" else ""
    return (
        f"- **{esc(when)}** ({KIND_WORDS[event['kind']]}): {esc(event['event'])} "
        f"({sources}{single})"
    )


def outlook_section(ctx: BriefContext) -> Section:
    """Build the section: dated events known at ``as_of`` and the scheduled ones ahead.

    Returns
    -------
    Section
        Key ``"context"``; ``values`` as :func:`~osa_analysis.analyse.context.context_outlook`
        plus ``file`` (the curated file's path in the repository).
    """
    iso3 = ctx.country_iso3
    name = running_name(ctx)
    path = f"data/context/{context_file(iso3).name}"
    values = context_outlook(load_context(iso3), ctx.scope.as_of)
    values["file"] = path
    months = values["outlook_months"]
    if not values["curated"]:
        markdown = (
            f"No dated context events are curated for {esc(name)} yet (`{path}` does not "
            "exist): transitions, elections, incidents at sea and scheduled events are left "
            "out rather than guessed."
        )
    else:
        lines = [
            f"Dated events the project has curated for {esc(name)}, each paraphrased from the "
            f"sources it links (`{path}`); only what was known at {ctx.scope.as_of_text}."
        ]
        if values["past"]:
            lines += ["", *[event_line(e) for e in values["past"]]]
        else:
            lines.append("No past event is curated.")
        lines.append("")
        if values["upcoming"]:
            lines += [
                f"**Ahead (next {months} months):**",
                "",
                *[event_line(e) for e in values["upcoming"]],
            ]
        else:
            lines.append(
                f"**Ahead (next {months} months):** no scheduled event is curated for "
                f"{esc(name)}; that is not a finding that none is due."
            )
        markdown = "\n".join(lines)
    return Section(
        key="context",
        title="Context and outlook",
        markdown=markdown,
        values=values,
        caveats=[
            f"{capitalised(name)}'s events are the project's selection, not a complete "
            "chronology; each is a paraphrase checked against the linked sources, marked when "
            "only one source reports it."
        ]
        if values["curated"]
        else [],
    )
