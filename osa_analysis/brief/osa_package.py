"""Section 2: the country's OSA projects, from the project's curated table."""

from __future__ import annotations

import pandas as pd

from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.key_judgements import join_sentences
from osa_analysis.brief.numbers import count, date_text, money
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.core.countries import country_name
from osa_analysis.core.i18n import N_, _, tr

DATA_MESSAGES = (
    ("data/recipients/osa_projects.csv", "column:equipment"),
    ("data/recipients/osa_projects.csv", "column:recipient_org"),
    ("data/recipients/countries.yaml", "countries[].name"),
)
"""Texts of the curated tables this section shows: equipment, recipient unit, country."""

STATUS_WORDS = {
    "designated_candidate": N_("designated candidate"),
    "signed": N_("signed"),
    "partly_delivered": N_("partly delivered"),
    "delivered": N_("delivered"),
}
"""A project's status (``osa_projects.csv``, controlled vocabulary) in words."""


def status_word(status: object) -> str:
    """Return a project's status in words ("partly delivered")."""
    if status in STATUS_WORDS:
        return _(STATUS_WORDS[status])
    return str(status).replace("_", " ")


def package_summary(name: str, n: int, total: int | None, unknown: int) -> str:
    """Return the sentences above the projects table: how many, how much, where from."""
    fields = {
        "country": esc(name),
        "projects": count(n, _("OSA project"), _("OSA projects")),
        "total": money(total),
        "amounts": count(unknown, _("amount"), _("amounts")),
    }
    if total is not None and unknown:
        text = _(
            "{country} has {projects} on record, worth {total} announced in total; {amounts} "
            "not announced."
        )
    elif total is not None:
        text = _("{country} has {projects} on record, worth {total} announced in total.")
    elif unknown:
        text = _("{country} has {projects} on record; {amounts} not announced.")
    else:
        text = _("{country} has {projects} on record.")
    source = _(
        "Equipment, recipient unit and status below come from the project's curated table; "
        "each row cites MOFA releases or press reports (first source shown; all in the data)."
    )
    return join_sentences([text.format(**fields), source])


def osa_package_section(ctx: BriefContext) -> Section:
    """Section 2: the country's OSA projects from the curated table."""
    projects = ctx.projects
    name = str(tr(country_name(ctx.country_iso3)))
    if projects.empty:
        return Section(
            key="osa_package",
            title=_("The OSA package"),
            markdown=_("No OSA project is recorded for {country}.").format(country=esc(name)),
            values={"n_projects": 0},
        )
    announced = projects["amount_jpy"].dropna()
    unknown = int(projects["amount_jpy"].isna().sum())
    # one message for the header: "signed" alone is a project's status
    columns = _("fiscal year|amount (¥)|equipment|recipient unit|signed|status|source").split("|")
    table = pd.DataFrame(
        dict(
            zip(
                columns,
                (
                    [_("FY{year}").format(year=y) for y in projects["fiscal_year"]],
                    [
                        fmt_num(v) if pd.notna(v) else _("not announced")
                        for v in projects["amount_jpy"]
                    ],
                    [tr(v) for v in projects["equipment"]],
                    [tr(v) for v in projects["recipient_org"]],
                    [
                        date_text(d) if pd.notna(d) else _("not signed")
                        for d in projects["signed_date"]
                    ],
                    [status_word(v) for v in projects["status"]],
                    projects["sources"].str.split(" | ", regex=False).str[0],
                ),
                strict=True,
            )
        )
    )
    total = int(announced.sum()) if len(announced) else None
    markdown = package_summary(name, len(projects), total, unknown)
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
        title=_("The OSA package"),
        markdown=markdown,
        tables=[(_("OSA projects"), table)],
        values=values,
    )
