"""The cover (the brief's title) and the provenance annex.

The annex holds country, as-of date, parameters, version, commit and the data vintage table.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.numbers import count, date_text
from osa_analysis.brief.section import Section, esc
from osa_analysis.core.countries import country_name
from osa_analysis.core.dates import coverage_end_text
from osa_analysis.core.i18n import N_, REFERENCE, _, tr, use_language
from osa_analysis.core.provenance import __version__, git_commit
from osa_analysis.sources.freshness import overdue_key_inputs
from osa_analysis.sources.registry import get_source, registry

DATA_MESSAGES = (("data/recipients/countries.yaml", "countries[].name"),)
"""The country names the cover and the annex show."""

VINTAGE_COLUMNS = {
    "source": N_("source"),
    "title": N_("title"),
    "licence": N_("licence"),
    "coverage": N_("coverage"),
    "last observation": N_("last observation"),
    "vintage": N_("vintage"),
    "sha256": N_("sha256"),
}
"""The vintage table's columns (its records in ``values`` keep the English keys)."""


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
        return _("**Source freshness:** every key input was current for its release cadence."), []
    listed = _("; ").join(
        _("{title} (data to {last}, a newer release was due by {due})").format(
            title=esc(get_source(f.source_id).title),
            last=date_text(f.last_data),
            due=date_text(f.due),
        )
        for f in overdue
    )
    return (
        _(
            "**Source freshness:** {inputs} overdue for a newer release at this date, so their "
            "part of the brief may be out of date: {listed}."
        ).format(inputs=count(len(overdue), _("key input"), _("key inputs")), listed=listed),
        records,
    )


def brief_title(name: str) -> str:
    """Return the brief's title, e.g. "Philippines: maritime security risk brief"."""
    return _("{country}: maritime security risk brief").format(country=name)


def title_section(ctx: BriefContext, sections: Mapping[str, Section]) -> Section:
    """Build the cover: the brief's title only (the page header shows country, as-of, version).

    The rest of the provenance is an annex (:func:`cover_section`); page one is the bottom
    line.
    """
    name = sections["provenance"].values["country_name"]
    with use_language(REFERENCE):  # values are the same in every edition
        reference = brief_title(name)
    return Section(key="cover", title=brief_title(str(tr(name))), values={"title": reference})


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
    shown = str(tr(name))
    produced = (
        _("**Produced by:** osa_analysis {version}, commit `{commit}`").format(
            version=esc(__version__), commit=commit[:12]
        )
        if commit
        else _("**Produced by:** osa_analysis {version}, commit unknown").format(
            version=esc(__version__)
        )
    )
    lines = [
        _("**Country:** {country} ({iso3})").format(country=esc(shown), iso3=ctx.country_iso3),
        _(
            "**Data as of:** {date} (no observation after this date is used; by default the "
            "date of the newest incident report in the data)"
        ).format(date=date_text(ctx.as_of)),
        freshness,
        _("**Parameters:** look-back {years} years; peers {peers}").format(
            years=ctx.lookback_years, peers=_(", ").join(ctx.peers)
        ),
        produced,
    ]
    markdown = (
        "  \n".join(lines)
        + "\n\n"
        + _(
            "Every figure in this brief comes from the sources in the table below, each "
            "fetched from a pinned upstream file or a release validated before use, and checked "
            "against its sha256; the same inputs and parameters give the same brief. Every "
            "number shown is also in the brief's machine-readable `summary.json`."
        )
    )
    shown_vintages = vintages.rename(columns={k: _(v) for k, v in VINTAGE_COLUMNS.items()})
    return Section(
        key="provenance",
        title=brief_title(shown),
        markdown=markdown,
        tables=[(_("Data vintage of every source used"), shown_vintages)],
        values=provenance,
    )
