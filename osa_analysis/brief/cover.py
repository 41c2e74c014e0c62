"""Cover and provenance, the OSA package, the bottom line and the sources annex."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from osa_analysis.analyse.tiles import compute_tiles, tile_rules
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.core.countries import country_name
from osa_analysis.core.provenance import __version__, git_commit
from osa_analysis.sources.registry import get_source, registry

CURATED_SOURCE = {
    "id": "osa_projects",
    "title": "OSA projects table (curated by osa_analysis)",
    "citation": "osa_analysis curated table data/recipients/osa_projects.csv; each row cites "
    "MOFA Japan releases and press reports (URLs in the table).",
    "licence": "project data; sources cited per row",
}


def _coverage_end(coverage: str) -> str:
    """End of a registry coverage ``start/end`` ("n/a" stays "n/a")."""
    start, sep, end = coverage.partition("/")
    return end if sep and start != "n" else coverage


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
                "last observation": observed.get(sid, _coverage_end(src.coverage)),
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


def osa_package_section(ctx: BriefContext) -> Section:
    """Section 2: the country's OSA projects from the curated table."""
    projects = ctx.projects
    name = country_name(ctx.country_iso3)
    if projects.empty:
        return Section(
            key="osa_package",
            title="2. The OSA package",
            markdown=f"No OSA project is recorded for {esc(name)}.",
            values={"n_projects": 0},
        )
    announced = projects["amount_jpy"].dropna()
    unknown = int(projects["amount_jpy"].isna().sum())
    table = pd.DataFrame(
        {
            "fiscal year": "FY" + projects["fiscal_year"].astype(str),
            "amount (¥)": [
                fmt_num(v) if pd.notna(v) else "not announced" for v in projects["amount_jpy"]
            ],
            "equipment": projects["equipment"],
            "recipient unit": projects["recipient_org"],
            "signed": [
                f"{d:%Y-%m-%d}" if pd.notna(d) else "not signed" for d in projects["signed_date"]
            ],
            "status": projects["status"].str.replace("_", " "),
            "source": projects["sources"].str.split(" | ", regex=False).str[0],
        }
    )
    total = int(announced.sum()) if len(announced) else None
    markdown = (
        f"{esc(name)} has {len(projects)} OSA project(s) on record"
        + (f", worth ¥{fmt_num(total)} announced in total" if total is not None else "")
        + (f"; {unknown} amount(s) not announced" if unknown else "")
        + ". Equipment, recipient unit and status below come from the project's curated table; "
        "each row cites MOFA releases or press reports (first source shown; all in the data)."
    )
    values = {
        "n_projects": len(projects),
        "announced_total_jpy": total,
        "unknown_amounts": unknown,
        "projects": [
            {
                "project_id": r.project_id,
                "fiscal_year": int(r.fiscal_year),
                "amount_jpy": None if pd.isna(r.amount_jpy) else int(r.amount_jpy),
                "signed_date": None if pd.isna(r.signed_date) else f"{r.signed_date:%Y-%m-%d}",
                "status": r.status,
                "equipment_categories": r.equipment_categories,
            }
            for r in projects.itertuples()
        ],
    }
    return Section(
        key="osa_package",
        title="2. The OSA package",
        markdown=markdown,
        tables=[("OSA projects", table)],
        values=values,
    )


def bottom_line_section(
    ctx: BriefContext, sections: list[Section], tiles: list[dict] | None = None
) -> Section:
    """Section 1: four rated tiles with trend arrows, then the key figures in words and numbers.

    Key figures are taken in turns from the sections (the first of each, then the second...)
    so that no single section fills the bottom line; at most five.
    """
    queues = [list(s.values.get("key_figures", [])) for s in sections]
    figures: list[dict] = []
    while len(figures) < 5 and any(queues):
        for queue in queues:
            if queue and len(figures) < 5:
                figures.append(queue.pop(0))
    tiles = tiles or []
    tile_line = " · ".join(f"**{t['label']}:** {t['rating'] or 'n/a'} {t['arrow']}" for t in tiles)
    bullets = [f"- {kf['sentence']}" for kf in figures if kf.get("sentence")]
    markdown = (tile_line + "\n\n" if tile_line else "") + (
        "\n".join(bullets)
        if bullets
        else "No key figure could be computed from the available data."
    )
    if tiles:
        markdown += (
            "\n\nTiles use one five-step scale (very low to very high); arrows: ↑ riskier, "
            "↓ less risky, → no clear change, – unknown. Rules: `data/risk/tiles.yaml`."
        )
    rows = [
        {
            "figure": kf.get("label"),
            "value": _fmt_value(kf.get("value"), kf.get("unit")),
            "interval": _fmt_interval(kf.get("interval"), kf.get("interval_kind")),
            "change": kf.get("change_text") or "n/a",
        }
        for kf in figures
    ]
    tile_rows = [
        {
            "tile": t["label"],
            "rating": t["rating"] or "n/a",
            "trend": t["arrow"],
            "evidence": t["evidence"],
        }
        for t in tiles
    ]
    tables = []
    if tile_rows:
        tables.append(("Risk tiles", pd.DataFrame(tile_rows)))
    if rows:
        tables.append(("Key figures", pd.DataFrame(rows)))
    return Section(
        key="bottom_line",
        title="1. Bottom line",
        markdown=markdown,
        tables=tables,
        values={
            "key_figures": figures,
            "tiles": tiles,
            "tiles_method_version": tile_rules()["method_version"],
        },
    )


def bottom_line(ctx: BriefContext, sections: Mapping[str, Section]) -> Section:
    """Build section 1 from the sections it summarises (the registry's ``BOTTOM_LINE_INPUTS``).

    The tiles are computed from every given section's values; key figures are collected in
    the order of ``sections``.
    """
    tiles = compute_tiles({key: s.values for key, s in sections.items()})
    return bottom_line_section(ctx, list(sections.values()), tiles=tiles)


def _fmt_value(value, unit) -> str:
    if value is None:
        return "n/a"
    digits = 0 if isinstance(value, int) or float(value).is_integer() else 2
    return f"{fmt_num(value, digits)} {unit or ''}".strip()


def _fmt_interval(interval, kind) -> str:
    if not interval or interval[0] is None or interval[1] is None:
        return "n/a"
    return (
        f"{interval[0]:.2f} to {interval[1]:.2f} ({kind})"
        if kind
        else f"{interval[0]:.2f} to {interval[1]:.2f}"
    )


def sources_annex(ctx: BriefContext) -> Section:
    """Annex: citation, licence and attribution of every source used."""
    used = registry_sources_used(ctx)
    rows = []
    for sid in used:
        src = get_source(sid)
        rows.append(
            {
                "source": sid,
                "citation": src.citation,
                "licence": src.licence,
                "class": src.redistribution,
                "url": src.canonical_url,
            }
        )
    rows.append(
        {
            "source": CURATED_SOURCE["id"],
            "citation": CURATED_SOURCE["citation"],
            "licence": CURATED_SOURCE["licence"],
            "class": "project",
            "url": "data/recipients/osa_projects.csv",
        }
    )
    internal = [s for s in used if get_source(s).redistribution == "internal"]
    markdown = (
        "Sources are cited as their producers ask. Licence classes: *open* (public domain, "
        "CC0), *attribution* (CC BY 4.0), *share-alike* (CC BY-SA 4.0: derivatives of these "
        "data keep the licence), *internal* (no open licence: this brief shows only counts "
        "and derived figures from them, never their text)."
    )
    if internal:
        markdown += " Internal-licence sources used here: " + ", ".join(internal) + "."
    return Section(
        key="sources",
        title="Annex: sources and licences",
        markdown=markdown,
        tables=[("Sources", pd.DataFrame(rows))],
        values={"sources": [r["source"] for r in rows], "internal": internal},
    )
