"""Annex: the citation, licence and attribution of every source the brief used."""

from __future__ import annotations

import pandas as pd

from osa_analysis.analyse.tables import CURATED_SOURCE_ID
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.cover import registry_sources_used
from osa_analysis.brief.key_judgements import join_sentences
from osa_analysis.brief.section import Section
from osa_analysis.core.i18n import N_, _
from osa_analysis.sources.registry import get_source

CURATED_SOURCE = {
    "id": CURATED_SOURCE_ID,
    "title": N_("OSA projects table (curated by osa_analysis)"),
    "citation": N_(
        "osa_analysis curated table data/recipients/osa_projects.csv; each row cites "
        "MOFA Japan releases and press reports (URLs in the table)."
    ),
    "licence": N_("project data; sources cited per row"),
}
"""The project's own curated table, listed when a section used it (translated where shown)."""

CLASS_WORDS = {
    "open": N_("open"),
    "attribution": N_("attribution"),
    "share-alike": N_("share-alike"),
    "internal": N_("internal"),
    "project": N_("project"),
}
"""Licence classes (the registry's ``redistribution``), as the table names them."""


def sources_annex(ctx: BriefContext) -> Section:
    """Build the annex: citation, licence and attribution of every source used.

    The ``url`` column is empty where the citation already gives the source's URL.
    """
    used = registry_sources_used(ctx)
    source, citation, licence, kind, url = (
        _("source"),
        _("citation"),
        _("licence"),
        _("class"),
        _("url"),
    )
    rows = []
    for sid in used:
        src = get_source(sid)
        rows.append(
            {
                source: sid,
                citation: src.citation,
                licence: src.licence,
                kind: _(CLASS_WORDS.get(src.redistribution, src.redistribution)),
                # a URL the citation already gives is not repeated
                url: "" if src.canonical_url in src.citation else src.canonical_url,
            }
        )
    if CURATED_SOURCE["id"] in ctx.used_sources:
        rows.append(
            {
                source: CURATED_SOURCE["id"],
                citation: _(CURATED_SOURCE["citation"]),
                licence: _(CURATED_SOURCE["licence"]),
                kind: _(CLASS_WORDS["project"]),
                url: "data/recipients/osa_projects.csv",
            }
        )
    internal = [s for s in used if get_source(s).redistribution == "internal"]
    markdown = _(
        "Sources are cited as their producers ask. Licence classes: *open* (public domain, "
        "CC0), *attribution* (CC BY 4.0), *share-alike* (CC BY-SA 4.0: derivatives of these "
        "data keep the licence), *internal* (no open licence: this brief shows only counts "
        "and derived figures from them, never their text)."
    )
    if internal:
        used_here = _("Internal-licence sources used here: {sources}.")
        markdown = join_sentences([markdown, used_here.format(sources=_(", ").join(internal))])
    return Section(
        key="sources",
        title=_("Annex: sources and licences"),
        markdown=markdown,
        tables=[(_("Sources"), pd.DataFrame(rows))],
        values={"sources": [r[source] for r in rows], "internal": internal},
    )
