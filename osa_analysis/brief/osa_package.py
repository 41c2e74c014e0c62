"""Section 2: the country's OSA projects, from the project's curated table."""

from __future__ import annotations

import pandas as pd

from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.numbers import count, money
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.core.countries import country_name


def osa_package_section(ctx: BriefContext) -> Section:
    """Section 2: the country's OSA projects from the curated table."""
    projects = ctx.projects
    name = country_name(ctx.country_iso3)
    if projects.empty:
        return Section(
            key="osa_package",
            title="The OSA package",
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
        f"{esc(name)} has {count(len(projects), 'OSA project')} on record"
        + (f", worth {money(total)} announced in total" if total is not None else "")
        + (f"; {count(unknown, 'amount')} not announced" if unknown else "")
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
        title="The OSA package",
        markdown=markdown,
        tables=[("OSA projects", table)],
        values=values,
    )
