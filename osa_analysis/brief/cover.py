"""The cover (the brief's title) and the provenance annex.

The annex holds country, as-of date, parameters, version, commit and the data vintage table.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.numbers import count
from osa_analysis.brief.section import Section, esc
from osa_analysis.core.countries import country_name
from osa_analysis.core.dates import coverage_end_text
from osa_analysis.core.provenance import __version__, git_commit
from osa_analysis.sources.freshness import overdue_key_inputs
from osa_analysis.sources.registry import get_source, registry


def last_observations(ctx: BriefContext) -> dict[str, str]:
    """Last observation date per incident source used, from the data (≤ ``as_of``)."""
    reports = ctx.tables.get("incident_reports")
    last = reports.groupby("source")["date"].max()
    return {sid: f"{d:%Y-%m-%d}" for sid, d in last.items() if pd.notna(d)}


def registry_sources_used(ctx: BriefContext) -> list[str]:
    """Registry ids of every source the brief used, sorted (curated tables left out)."""
    known = registry()
    return sorted(sid for sid in ctx.used_sources if sid in known)


def vintage_table(ctx: BriefContext) -> pd.DataFrame:
    """One row per source the brief used: licence, coverage, last observation, sha256."""
    used = registry_sources_used(ctx)
    observed = last_observations(ctx) if used else {}
    rows = []
    for sid in used:
        src = get_source(sid)
        rows.append(
            {
                "source": sid,
                "title": src.title,
                "licence": src.licence,
                "coverage": src.coverage,
                "last observation": observed.get(sid, coverage_end_text(src.coverage)),
                "vintage": src.vintage,
                "sha256": src.sha256_prefix,
            }
        )
    return pd.DataFrame(rows)


def freshness_note(ctx: BriefContext) -> tuple[str, list[dict]]:
    """Return the cover's line on overdue key inputs at ``as_of``, and their records.

    A key input (the registry's ``release.key``) is overdue when its data end longer ago
    than its release cadence and lag allow (:mod:`osa_analysis.sources.freshness`). The
    yardstick is the brief's ``as_of``, not the build date, so a rebuild is identical.
    """
    overdue = overdue_key_inputs(registry_sources_used(ctx), ctx.as_of.date())
    records = [
        {
            "source": f.source_id,
            "last_data": f.last_data.isoformat(),
            "due": f.due.isoformat(),
            "days_overdue": f.days_overdue,
        }
        for f in overdue
    ]
    if not overdue:
        return "**Source freshness:** every key input was current for its release cadence.", []
    listed = "; ".join(
        f"{esc(get_source(f.source_id).title)} (data to {f.last_data:%Y-%m-%d}, a newer "
        f"release was due by {f.due:%Y-%m-%d})"
        for f in overdue
    )
    return (
        f"**Source freshness:** {count(len(overdue), 'key input')} overdue for a newer release "
        f"at this date, so their part of the brief may be out of date: {listed}.",
        records,
    )


def title_section(ctx: BriefContext, sections: Mapping[str, Section]) -> Section:
    """Build the cover: the brief's title only (the page header shows country, as-of, version).

    The rest of the provenance is an annex (:func:`cover_section`); page one is the bottom
    line.
    """
    name = sections["provenance"].values["country_name"]
    title = f"{name}: maritime security risk brief"
    return Section(key="cover", title=title, values={"title": title})


def cover_section(ctx: BriefContext) -> Section:
    """Build the provenance annex: country, as-of, parameters, version, commit, vintages.

    Build it last (after the other sections), so that it lists every source they used.
    """
    name = country_name(ctx.country_iso3)
    vintages = vintage_table(ctx)
    commit = git_commit()
    provenance = {
        "country_iso3": ctx.country_iso3,
        "country_name": name,
        "as_of": ctx.as_of.strftime("%Y-%m-%d"),
        "lookback_years": ctx.lookback_years,
        "peers": list(ctx.peers),
        "package_version": __version__,
        "git_commit": commit,
        "data_vintage": vintages.to_dict(orient="records"),
    }
    freshness, overdue = freshness_note(ctx)
    provenance["overdue_key_inputs"] = overdue
    markdown = (
        f"**Country:** {esc(name)} ({ctx.country_iso3})  \n"
        f"**Data as of:** {ctx.as_of:%Y-%m-%d} (no observation after this date is used; by "
        "default the date of the newest incident report in the data)  \n"
        f"{freshness}  \n"
        f"**Parameters:** look-back {ctx.lookback_years} years; peers "
        f"{', '.join(ctx.peers)}  \n"
        f"**Produced by:** osa_analysis {esc(__version__)}"
        + (f", commit `{commit[:12]}`" if commit else ", commit unknown")
        + "\n\nEvery figure in this brief comes from the sources in the table below, each "
        "fetched from a pinned upstream file or a release validated before use, and checked "
        "against its sha256; the same inputs and parameters give the same brief. Every "
        "number shown is also in the brief's machine-readable `summary.json`."
    )
    return Section(
        key="provenance",
        title=f"{name}: maritime security risk brief",
        markdown=markdown,
        tables=[("Data vintage of every source used", vintages)],
        values=provenance,
    )
