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
from osa_analysis.brief.numbers import date_text
from osa_analysis.brief.section import Section
from osa_analysis.core.i18n import N_, _, language
from osa_analysis.harmonise.classify import NO_RULE, TARGET_EXACT_AGREEMENT

DIMENSIONS = {
    "threat": N_("threat"),
    "fragility": N_("fragility"),
    "capacity": N_("capacity"),
    "all": N_("all"),
}
"""The composite's dimensions as the audit names them (keys of the method file; ``all``:
every indicator together)."""

SEVERITY_WORDS = {"Attempted": N_("Attempted"), NO_RULE: N_("no rule")}
"""Words of the severity table besides ReCAAP's codes (CAT1 to CAT4)."""


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _sentences(*sentences: str) -> str:
    """Join sentences (a space between them in English, none in Japanese)."""
    return ("" if language() == "ja" else " ").join(s for s in sentences if s)


def _list(items, sep: str = "; ") -> str:
    """Join the items of a list in a sentence (``sep`` in English, its Japanese form)."""
    if language() == "ja":
        sep = {"; ": "；", ", ": "、"}.get(sep, sep)
    return sep.join(items)


def _dimension(key: str) -> str:
    return _(DIMENSIONS[key]) if key in DIMENSIONS else key


def _severity(word: object) -> str:
    word = str(word)
    return _(SEVERITY_WORDS[word]) if word in SEVERITY_WORDS else word


def _audit_text(audit) -> str:
    pcs = {p["dimension"]: p for p in audit.pca}
    pc_text = _list(
        _("{dimension} {share} ({n} countries)").format(
            dimension=_dimension(d), share=_pct(p["pc1_share"]), n=p["n_countries"]
        )
        if p["pc1_share"] is not None
        else _("{dimension} not computed (only {n} countries have all its indicators)").format(
            dimension=_dimension(d), n=p["n_countries"]
        )
        for d, p in pcs.items()
        if d != "all"
    )
    redundant = _list(
        _("{a} and {b} r = {r}").format(a=r["a"], b=r["b"], r=f"{r['r']:.2f}")
        for r in audit.redundant
    )
    threshold = f"{REDUNDANT_R:.1f}"
    return _sentences(
        _("**Statistical audit of the composite** (JRC/COIN handbook; method {version}).").format(
            version=audit.method_version
        ),
        _(
            "Correlations of the nominal 0–10 indicator scores inside each dimension, over "
            "every country with both, and the share of each dimension's variance on its first "
            "principal component: {components}."
        ).format(components=pc_text),
        _(
            "Pairs above r = {r} measure nearly the same thing: {pairs}; the method weighs "
            "them so that together they count as one indicator (data/risk/CHANGELOG.md)."
        ).format(r=threshold, pairs=redundant)
        if redundant
        else _("No pair is above r = {r}.").format(r=threshold),
    )


def _audit_tables(audit) -> list:
    corr = pd.DataFrame(
        [
            {
                _("dimension"): _dimension(c["dimension"]),
                _("indicators"): f"{c['a']} · {c['b']}",
                "r": _("n/a") if c["r"] is None else f"{c['r']:.2f}",
                _("countries"): c["n"],
            }
            for c in audit.correlations
        ]
    )
    pca = pd.DataFrame(
        [
            {
                _("dimension"): _dimension(p["dimension"]),
                _("countries"): p["n_countries"],
                _("first component"): _pct(p["pc1_share"])
                if p["pc1_share"] is not None
                else _("n/a"),
                _("loadings"): _list(
                    (f"{k} {v:.2f}" for k, v in (p["loadings"] or {}).items()), ", "
                )
                or _("too few countries with every indicator (fewer than {n})").format(
                    n=MIN_PCA_COUNTRIES
                ),
            }
            for p in audit.pca
        ]
    )
    return [
        (_("Correlations of the indicators inside each dimension (Pearson)"), corr),
        (_("Principal components: share of variance on the first, and its loadings"), pca),
    ]


def _attribution_text(check, iso3: str) -> str:
    if not check.n:
        return _("**Coastal state of incidents.** Not scored: no IMB report with an EEZ field.")
    beyond = [
        r
        for r in check.by_country
        if r["difference"] is not None and abs(r["difference"]) > COUNT_TARGET
    ]
    own = next((r for r in check.by_country if r["country_iso3"] == iso3), None)
    fields = {
        "n": f"{check.n:,}",
        "agreement": f"{100 * check.agreement:.2f}",
        "target": _pct(ATTRIBUTION_TARGET),
    }
    if check.agreement >= ATTRIBUTION_TARGET:
        agreement = _(
            'On the {n} IMB "Crime at Sea" reports that carry IMB\'s own EEZ field, the two '
            "agree in {agreement}% of cases; this meets the target of {target}."
        ).format(**fields)
    else:
        agreement = _(
            'On the {n} IMB "Crime at Sea" reports that carry IMB\'s own EEZ field, the two '
            "agree in {agreement}% of cases; this falls short of the target of {target}."
        ).format(**fields)
    own_text = None
    if own is not None:
        counts = {"country": iso3, "project": f"{own['project']:,}", "imb": f"{own['imb']:,}"}
        if own["difference"] is not None:
            own_text = _(
                "For {country} the project counts {project} of these reports and IMB {imb} "
                "({difference})."
            ).format(**counts, difference=f"{100 * own['difference']:+.1f}%")
        else:
            own_text = _(
                "For {country} the project counts {project} of these reports and IMB {imb}."
            ).format(**counts)
    if beyond:
        beyond_text = _(
            "Recipients counted more than {target} away from IMB's field: {countries}."
        ).format(
            target=_pct(COUNT_TARGET),
            countries=_list(
                (
                    _("{country} {project} against {imb}").format(
                        country=r["country_iso3"], project=r["project"], imb=r["imb"]
                    )
                    for r in beyond
                ),
                ", ",
            ),
        )
    else:
        beyond_text = _("No recipient is counted more than {target} away from it.").format(
            target=_pct(COUNT_TARGET)
        )
    return _sentences(
        _(
            "**Coastal state of incidents.** Each incident is attributed to the state whose "
            "approximate EEZ (Natural Earth 1:10m) holds its position."
        ),
        agreement,
        own_text,
        beyond_text,
    )


def _attribution_table(check):
    return pd.DataFrame(
        [
            {
                _("country"): r["country_iso3"],
                _("project"): r["project"],
                _("IMB field"): r["imb"],
                _("both"): r["agree"],
                _("difference"): _("n/a")
                if r["difference"] is None
                else f"{100 * r['difference']:+.1f}%",
            }
            for r in check.by_country
        ]
    )


def _severity_text(score, as_of) -> str:
    fields = {
        "n": score.n,
        "date": date_text(as_of),
        "exact": _pct(score.exact),
        "within_one": _pct(score.within_one),
        "target": _pct(TARGET_EXACT_AGREEMENT),
    }
    if score.exact >= TARGET_EXACT_AGREEMENT:
        scored = _(
            "Scored on the {n} incidents up to {date} that ReCAAP rated and another source "
            "(ASAM or IMB) described, the derived category equals ReCAAP's in {exact} of cases "
            "and is within one category in {within_one}; this meets the project's target of "
            "{target}."
        ).format(**fields)
    else:
        scored = _(
            "Scored on the {n} incidents up to {date} that ReCAAP rated and another source "
            "(ASAM or IMB) described, the derived category equals ReCAAP's in {exact} of cases "
            "and is within one category in {within_one}; this falls short of the project's "
            "target of {target}."
        ).format(**fields)
    return _sentences(
        _(
            "**Severity of incidents.** Where a source gives no severity, the brief derives "
            "ReCAAP's category (CAT1 most significant to CAT4 least, or Attempted) from the "
            "report's narrative, with rules written from ReCAAP's published definitions "
            "(version {version})."
        ).format(version=score.classifier_version),
        scored,
        _(
            "The table counts the incidents by ReCAAP's category (rows) and the derived one "
            "(columns)."
        ),
    )


def method_checks_section(ctx: BriefContext) -> Section:
    """Annex: the severity crosswalk against ReCAAP's labels, and the composite's audit."""
    score = severity_check(ctx.tables)
    audit = indicator_audit(ctx.tables, ctx.mc_draws)
    recipients = sorted(ctx.tables.get("recipient_countries")["country_iso3"].astype(str))
    attribution = attribution_check(ctx.tables, recipients)
    if score.n:
        text = _severity_text(score, ctx.as_of)
        tables = [(_("Severity: ReCAAP's category against the derived one"), _table(score))]
    else:
        text = _(
            "**Severity of incidents.** Not scored: no incident up to {date} has both a "
            "ReCAAP category and a narrative."
        ).format(date=date_text(ctx.as_of))
        tables = []
    return Section(
        key="method_checks",
        title=_("Annex: method checks"),
        markdown="\n\n".join(
            [text, _attribution_text(attribution, ctx.country_iso3), _audit_text(audit)]
        ),
        tables=[
            *tables,
            (
                _("Coastal state of IMB reports: the project's attribution and IMB's EEZ field"),
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
    table.columns = [_severity(c) for c in table.columns]
    table.columns.name = None
    table.insert(0, _("ReCAAP category"), [_severity(i) for i in table.index.astype(str)])
    return table.reset_index(drop=True)
