"""Build every section of a country brief, in reading order."""

from __future__ import annotations

from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section
from osa_analysis.brief.summary import BriefSummary

SECTION_ORDER = (
    "provenance",
    "bottom_line",
    "osa_package",
    "maritime",
    "grayzone",
    "governance",
    "exposure",
    "peers",
    "sources",
)
"""Reading order of the sections (keys of :class:`Section` and of ``summary.json``)."""


def build_brief(ctx: BriefContext) -> dict[str, Section]:
    """Compute all sections of one brief.

    The cover (provenance) and the sources annex are built last, so that they list every
    source the other sections used; the bottom line collects their key figures.

    Returns
    -------
    dict of str to Section
        In :data:`SECTION_ORDER`.
    """
    from osa_analysis.brief.cover import (
        bottom_line_section,
        cover_section,
        osa_package_section,
        sources_annex,
    )
    from osa_analysis.brief.exposure import exposure_section
    from osa_analysis.brief.governance import governance_section
    from osa_analysis.brief.maritime import grayzone_section, maritime_section
    from osa_analysis.brief.peers import peers_section

    built = {
        "osa_package": osa_package_section(ctx),
        "maritime": maritime_section(ctx),
        "grayzone": grayzone_section(ctx),
        "governance": governance_section(ctx),
        "exposure": exposure_section(ctx),
        "peers": peers_section(ctx),
    }
    for section in built.values():
        ctx.use(*section.sources)
    built["bottom_line"] = bottom_line_section(
        ctx, [built[k] for k in ("maritime", "grayzone", "governance", "exposure")]
    )
    built["sources"] = sources_annex(ctx)
    built["provenance"] = cover_section(ctx)
    return {key: built[key] for key in SECTION_ORDER}


def brief_summary(sections: dict[str, Section]) -> BriefSummary:
    """Collect the values of every section into a :class:`BriefSummary`."""
    summary = BriefSummary()
    for section in sections.values():
        summary.add(section)
    return summary
