"""Annex: how well the brief's own methods agree with independent labels."""

from __future__ import annotations

from osa_analysis.analyse.method_checks import severity_check
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section
from osa_analysis.harmonise.classify import TARGET_EXACT_AGREEMENT


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def method_checks_section(ctx: BriefContext) -> Section:
    """Annex: the severity crosswalk scored against ReCAAP's own categories."""
    score = severity_check(ctx.tables)
    if score.n:
        verdict = "meets" if score.exact >= TARGET_EXACT_AGREEMENT else "falls short of"
        text = (
            "**Severity of incidents.** Where a source gives no severity, the brief derives "
            "ReCAAP's category (CAT1 most significant to CAT4 least, or Attempted) from the "
            "report's narrative, with rules written from ReCAAP's published definitions "
            f"(version {score.classifier_version}). Scored on the {score.n} incidents up to "
            f"{ctx.as_of:%Y-%m-%d} that ReCAAP rated and another source (ASAM or IMB) "
            f"described, the derived category equals ReCAAP's in {_pct(score.exact)} of cases "
            f"and is within one category in {_pct(score.within_one)}; this {verdict} the "
            f"project's target of {_pct(TARGET_EXACT_AGREEMENT)}. The table counts the "
            "incidents by ReCAAP's category (rows) and the derived one (columns)."
        )
        tables = [("Severity: ReCAAP's category against the derived one", _table(score))]
    else:
        text = (
            "**Severity of incidents.** Not scored: no incident up to "
            f"{ctx.as_of:%Y-%m-%d} has both a ReCAAP category and a narrative."
        )
        tables = []
    return Section(
        key="method_checks",
        title="Annex: method checks",
        markdown=text,
        tables=tables,
        values={"severity_crosswalk": score.values()},
    )


def _table(score):
    table = score.confusion.copy()
    table.columns.name = None
    table.insert(0, "ReCAAP category", table.index.astype(str))
    return table.reset_index(drop=True)
