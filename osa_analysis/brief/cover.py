"""The cover: country, as-of date, parameters, version, commit and the data vintage table."""

from __future__ import annotations

import pandas as pd

from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section, esc
from osa_analysis.core.countries import country_name
from osa_analysis.core.dates import coverage_end_text
from osa_analysis.core.provenance import __version__, git_commit
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


def cover_section(ctx: BriefContext) -> Section:
    """Section 0: country, as-of, parameters, package version, commit, data vintages.

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
    markdown = (
        f"**Country:** {esc(name)} ({ctx.country_iso3})  \n"
        f"**Data as of:** {ctx.as_of:%Y-%m-%d} (no observation after this date is used)  \n"
        f"**Parameters:** look-back {ctx.lookback_years} years; peers "
        f"{', '.join(ctx.peers)}  \n"
        f"**Produced by:** osa_analysis {esc(__version__)}"
        + (f", commit `{commit[:12]}`" if commit else ", commit unknown")
        + "\n\nEvery figure in this brief comes from the sources in the table below, each "
        "fetched from a pinned upstream file and checked against its sha256; the same "
        "inputs and parameters give the same brief. Every number shown is also in the "
        "brief's machine-readable `summary.json`."
    )
    return Section(
        key="provenance",
        title=f"{name}: maritime security risk brief",
        markdown=markdown,
        tables=[("Data vintage of every source used", vintages)],
        values=provenance,
    )
