"""Annex: full tables. Every long table of the body sections, where their text links to."""

from __future__ import annotations

from collections.abc import Mapping

from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section
from osa_analysis.core.i18n import _


def tables_annex(ctx: BriefContext, sections: Mapping[str, Section]) -> Section:
    """Collect the long tables of every body section, in reading order.

    Each keeps the anchor of its place of origin (:meth:`Section.table_id`), so the line
    that stands in for it there links here. Values: where each came from and its size.
    """
    tables, ids, origins, records = [], [], [], []
    for section in sections.values():
        for index, (caption, df) in enumerate(section.tables):
            if registry.moves_to_annex(section.key, df):
                tables.append((caption, df))
                ids.append(section.table_id(index))
                origins.append(section.title)
                records.append(
                    {"section": section.key, "caption": caption, "rows": len(df), "id": ids[-1]}
                )
    markdown = (
        _(
            "The long tables of the sections above, in their order. In the HTML brief each "
            "opens with a click; the printed brief names them only. Their numbers are also in "
            "`summary.json`."
        )
        if tables
        else _("No section has a long table.")
    )
    return Section(
        key="tables",
        title=_("Annex: full tables"),
        markdown=markdown,
        tables=tables,
        table_ids=ids,
        values={"tables": records, "table_origins": origins},
    )
