"""Annex: how well the brief's own methods agree with independent labels."""

from __future__ import annotations

import pandas as pd

from osa_analysis.analyse.method_checks import (
    ATTRIBUTION_TARGET,
    COUNT_TARGET,
    MIN_PCA_COUNTRIES,
    REDUNDANT_R,
    attribution_check,
    indicator_audit,
    severity_check,
)
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section
from osa_analysis.harmonise.classify import TARGET_EXACT_AGREEMENT


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _audit_text(audit) -> str:
    pcs = {p["dimension"]: p for p in audit.pca}
    pc_text = "; ".join(
        f"{d} {_pct(p['pc1_share'])} ({p['n_countries']} countries)"
        if p["pc1_share"] is not None
        else f"{d} not computed (only {p['n_countries']} countries have all its indicators)"
        for d, p in pcs.items()
        if d != "all"
    )
    redundant = "; ".join(f"{r['a']} and {r['b']} r = {r['r']:.2f}" for r in audit.redundant)
    return (
        "**Statistical audit of the composite** (JRC/COIN handbook; method "
        f"{audit.method_version}). Correlations of the nominal 0–10 indicator scores inside "
        "each dimension, over every country with both, and the share of each dimension's "
        f"variance on its first principal component: {pc_text}. "
        + (
            f"Pairs above r = {REDUNDANT_R:.1f} measure nearly the same thing: {redundant}; "
            "the method weighs them so that together they count as one indicator "
            "(data/risk/CHANGELOG.md)."
            if redundant
            else f"No pair is above r = {REDUNDANT_R:.1f}."
        )
    )


def _audit_tables(audit) -> list:
    corr = pd.DataFrame(
        [
            {
                "dimension": c["dimension"],
                "indicators": f"{c['a']} · {c['b']}",
                "r": "n/a" if c["r"] is None else f"{c['r']:.2f}",
                "countries": c["n"],
            }
            for c in audit.correlations
        ]
    )
    pca = pd.DataFrame(
        [
            {
                "dimension": p["dimension"],
                "countries": p["n_countries"],
                "first component": _pct(p["pc1_share"]) if p["pc1_share"] is not None else "n/a",
                "loadings": ", ".join(f"{k} {v:.2f}" for k, v in (p["loadings"] or {}).items())
                or f"too few countries with every indicator (fewer than {MIN_PCA_COUNTRIES})",
            }
            for p in audit.pca
        ]
    )
    return [
        ("Correlations of the indicators inside each dimension (Pearson)", corr),
        ("Principal components: share of variance on the first, and its loadings", pca),
    ]


def _attribution_text(check, iso3: str) -> str:
    if not check.n:
        return "**Coastal state of incidents.** Not scored: no IMB report with an EEZ field."
    verdict = "meets" if check.agreement >= ATTRIBUTION_TARGET else "falls short of"
    beyond = [
        r
        for r in check.by_country
        if r["difference"] is not None and abs(r["difference"]) > COUNT_TARGET
    ]
    own = next((r for r in check.by_country if r["country_iso3"] == iso3), None)
    own_text = (
        f" For {iso3} the project counts {own['project']:,} of these reports and IMB "
        f"{own['imb']:,}"
        + (f" ({100 * own['difference']:+.1f}%)." if own["difference"] is not None else ".")
        if own is not None
        else ""
    )
    return (
        "**Coastal state of incidents.** Each incident is attributed to the state whose "
        "approximate EEZ (Natural Earth 1:10m) holds its position. On the "
        f'{check.n:,} IMB "Crime at Sea" reports that carry IMB\'s own EEZ field, the two '
        f"agree in {100 * check.agreement:.2f}% of cases; this {verdict} the target of "
        f"{_pct(ATTRIBUTION_TARGET)}."
        + own_text
        + (
            " Recipients counted more than "
            f"{_pct(COUNT_TARGET)} away from IMB's field: "
            + ", ".join(f"{r['country_iso3']} {r['project']} against {r['imb']}" for r in beyond)
            + "."
            if beyond
            else f" No recipient is counted more than {_pct(COUNT_TARGET)} away from it."
        )
    )


def _attribution_table(check):
    return pd.DataFrame(
        [
            {
                "country": r["country_iso3"],
                "project": r["project"],
                "IMB field": r["imb"],
                "both": r["agree"],
                "difference": "n/a"
                if r["difference"] is None
                else f"{100 * r['difference']:+.1f}%",
            }
            for r in check.by_country
        ]
    )


def method_checks_section(ctx: BriefContext) -> Section:
    """Annex: the severity crosswalk against ReCAAP's labels, and the composite's audit."""
    score = severity_check(ctx.tables)
    audit = indicator_audit(ctx.tables, ctx.mc_draws)
    recipients = sorted(ctx.tables.get("recipient_countries")["country_iso3"].astype(str))
    attribution = attribution_check(ctx.tables, recipients)
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
        markdown="\n\n".join(
            [text, _attribution_text(attribution, ctx.country_iso3), _audit_text(audit)]
        ),
        tables=[
            *tables,
            (
                "Coastal state of IMB reports: the project's attribution and IMB's EEZ field",
                _attribution_table(attribution),
            ),
            *_audit_tables(audit),
        ],
        values={
            "as_of": ctx.scope.as_of_text,
            "severity_crosswalk": score.values(),
            "indicator_audit": audit.values(),
            "attribution": attribution.values(),
        },
    )


def _table(score):
    table = score.confusion.copy()
    table.columns.name = None
    table.insert(0, "ReCAAP category", table.index.astype(str))
    return table.reset_index(drop=True)
