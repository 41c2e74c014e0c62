"""Build every section of a country brief, in reading order, and write its outputs."""

from __future__ import annotations

from pathlib import Path

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
    "composite",
    "diversion",
    "what_changed",
    "sources",
)
"""Reading order of the sections (keys of :class:`Section` and of ``summary.json``)."""


def build_brief(
    ctx: BriefContext, *, mc_draws: int = 1000, previous_summary: str | Path | None = None
) -> dict[str, Section]:
    """Compute all sections of one brief.

    The bottom line collects the other sections' key figures and the four rated tiles;
    "what changed" compares with the previous published ``summary.json``; the cover
    (provenance) and the sources annex are built last, so that they list every source used.

    Parameters
    ----------
    ctx : BriefContext
        Parameters and data of the brief.
    mc_draws : int
        Monte Carlo draws of the risk composite.
    previous_summary : path, optional
        ``summary.json`` of the last published brief of the same country.

    Returns
    -------
    dict of str to Section
        In :data:`SECTION_ORDER`.
    """
    from osa_analysis.brief.changes import changes_section, read_previous_summary, what_changed
    from osa_analysis.brief.composite_section import composite_section
    from osa_analysis.brief.cover import (
        bottom_line_section,
        cover_section,
        osa_package_section,
        sources_annex,
    )
    from osa_analysis.brief.diversion_section import diversion_section
    from osa_analysis.brief.exposure import exposure_section
    from osa_analysis.brief.governance import governance_section
    from osa_analysis.brief.maritime import grayzone_section, maritime_section
    from osa_analysis.brief.peers import peers_section
    from osa_analysis.brief.tiles import compute_tiles

    built = {
        "osa_package": osa_package_section(ctx),
        "maritime": maritime_section(ctx),
        "grayzone": grayzone_section(ctx),
        "governance": governance_section(ctx),
        "exposure": exposure_section(ctx),
        "peers": peers_section(ctx),
        "composite": composite_section(ctx, mc_draws=mc_draws),
        "diversion": diversion_section(ctx),
    }
    for section in built.values():
        ctx.use(*section.sources)
    tiles = compute_tiles({key: s.values for key, s in built.items()})
    built["bottom_line"] = bottom_line_section(
        ctx,
        [
            built[k]
            for k in ("maritime", "grayzone", "governance", "exposure", "composite", "diversion")
        ],
        tiles=tiles,
    )
    built["sources"] = sources_annex(ctx)
    built["provenance"] = cover_section(ctx)
    current = brief_summary({k: built[k] for k in built}).data
    built["what_changed"] = changes_section(
        what_changed(current, read_previous_summary(previous_summary))
    )
    return {key: built[key] for key in SECTION_ORDER}


def brief_summary(sections: dict[str, Section]) -> BriefSummary:
    """Collect the values of every section into a :class:`BriefSummary`."""
    summary = BriefSummary()
    for section in sections.values():
        summary.add(section)
    return summary


def write_brief_outputs(sections: dict[str, Section], output_dir: str | Path) -> dict[str, Path]:
    """Write ``summary.json`` (every number shown) and ``judgements.json`` into ``output_dir``."""
    from osa_analysis.brief.judgements import collect_judgements, write_judgements

    summary = brief_summary(sections)
    return {
        "summary": summary.write(output_dir),
        "judgements": write_judgements(collect_judgements(summary.data), output_dir),
    }
