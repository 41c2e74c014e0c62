"""Brief section: the OSA Structural Security Risk Index (INFORM-consistent composite).

Shows the country's score under the nominal method (the headline) with its class on the
brief's one yardstick, its rank among the brief's peers and among every country with data,
the three dimensions, the reliability (missing and stale indicators, with reasons), the
trend against the same method one year earlier, and the method range: how far the score
moves across method choices, and which choices move it (first-order sensitivity).

Presentation only: the numbers come from :mod:`osa_analysis.analyse.composite` (method
and calibration: ``data/risk/composite.yaml`` and ``data/risk/composite_calibration.yaml``).
"""

from __future__ import annotations

import pandas as pd

from osa_analysis.analyse.composite import (
    CompositeMethod,
    composite_scores,
    load_method,
    panel_source_ids,
    previous_scores,
)
from osa_analysis.analyse.composite.reasons import LIST_SEPARATOR as REASON_LIST_SEPARATOR
from osa_analysis.analyse.composite.reasons import parse_reason
from osa_analysis.brief import registry
from osa_analysis.brief.composite_figures import choice_label, dot_whisker_figure, tornado_figure
from osa_analysis.brief.composite_values import (
    _base_values,
    _get,
    _indicator_values,
    _key_figure,
    _pct,
    _possessive,
    _score_values,
)
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.numbers import date_text
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.core.countries import country_name
from osa_analysis.core.i18n import N_, _, language, tr

KEY = "composite"


DATA_MESSAGES = (
    ("data/risk/composite.yaml", "dimensions.*.label"),
    ("data/risk/composite.yaml", "indicators.*.label"),
    ("data/risk/composite.yaml", "indicators.*.short"),
    ("data/risk/composite.yaml", "indicators.*.unit"),
    ("data/risk/composite.yaml", "classes.labels[]"),
)
"""Texts of the method file the section shows (through ``tr``)."""

DIRECTION_WORDS = {
    "up": N_("higher (riskier), beyond the data's uncertainty"),
    "down": N_("lower (less risky), beyond the data's uncertainty"),
    "flat": N_("no change beyond the data's uncertainty"),
}
UNCHANGED_WORDS = N_("unchanged: the same data")

CAVEATS = (
    N_(
        "The method range shows how far the score moves across method choices (weights, "
        "aggregation, normalisation, indicator set, denominator); it is not an uncertainty of "
        "the data. The sources' own uncertainty (WGI margins, V-Dem intervals, under-reporting "
        "of incidents) is not yet propagated into the score."
    ),
    N_(
        "The geometric mean is shifted by {offset} point "
        "(a documented deviation from INFORM): most countries record no incidents and no "
        "armed conflict, and a plain geometric mean would give them all a composite of 0 "
        "whatever their fragility and capacity."
    ),
    N_(
        "Incident counts depend on which reporting channels existed each year (the IMB "
        "series, NGA ASAM and the ReCAAP/IMB live feed cover different periods): rates are "
        "comparable across countries in one window, less so across windows. Gray-zone events "
        "cover the South China Sea only."
    ),
    N_(
        "Coastline (Natural Earth 1:50m) and EEZ (1:10m) are approximations; military spending "
        "is read as capacity (low spending = riskier), a choice stated in the method file."
    ),
    N_(
        "A structural score, not a forecast: it summarises conditions, not the likelihood of "
        "a specific misuse of OSA equipment."
    ),
)
"""Caveats of the section (``{offset}``: the geometric offset)."""


# --------------------------------------------------------------------------- text


def _sentences(*sentences: str | None) -> str:
    """Join sentences (a space between them in English, none in Japanese)."""
    return ("" if language() == "ja" else " ").join(s for s in sentences if s)


def _list(items, sep: str = "; ") -> str:
    """Join the items of a list in a sentence (``sep`` in English, its Japanese form)."""
    if language() == "ja":
        sep = {"; ": "；", ", ": "、"}.get(sep, sep)
    return sep.join(items)


def _span(low, high, digits: int | None = None) -> str:
    """Return a range of two numbers ("4.6–5.1"; "4.6〜5.1" in Japanese); ``digits``: fmt_num's."""
    if digits is not None:
        low, high = fmt_num(low, digits), fmt_num(high, digits)
    return _("{low}–{high}").format(low=low, high=high)


def _cls(label) -> str:
    """Return a class label of the method file in the current language (escaped)."""
    return esc(tr(label))


def _reason(text) -> str:
    """Return a reason of the analysis (``missing_reason``) in the current language.

    The analysis writes its reasons in English from the templates of
    :mod:`osa_analysis.analyse.composite.reasons`; a reason is read back into its template
    and shown through the template's translation (a reason no template fits stays as it is).
    """
    text = str(text)
    found = parse_reason(text)
    if found is None:
        return text
    template, fields = found
    if "name" in fields:  # a country's name
        fields["name"] = str(tr(fields["name"]))
    if "dimensions" in fields:
        labels = fields["dimensions"].split(REASON_LIST_SEPARATOR)
        fields["dimensions"] = _list((str(tr(d)) for d in labels), REASON_LIST_SEPARATOR)
    return _(template).format(**fields)


def _method_paragraph(values: dict) -> str:
    draws = fmt_num(values["mc_draws"])
    return _sentences(
        _(
            "**Method {version}** (`{file}`): {n} indicators in three dimensions (threat, "
            "fragility, lack of control capacity), each rescaled to 0–10 against fixed "
            "goalposts (the {p_low}th and {p_high}th percentiles of the {year} global "
            "distribution; higher = riskier), averaged inside each dimension and combined "
            "across dimensions by a geometric mean (shifted by {offset}, see the caveats)."
        ).format(
            version=esc(values["method_version"]),
            file=values["method_file"],
            n=values["n_indicators"],
            p_low=values["goalpost_percentiles"][0],
            p_high=values["goalpost_percentiles"][1],
            year=values["reference_year"],
            offset=fmt_num(values["geometric_offset"], 0),
        ),
        _(
            "The score is this nominal method; its interval comes from {draws} draws of the "
            "inputs by their own uncertainty (WGI standard errors, V-Dem intervals, Poisson "
            "draws of incident and gray-zone counts; coups, conflicts, deaths and military "
            "spending taken as exact)."
        ).format(draws=draws),
        _(
            "Its class uses the brief's one yardstick (INFORM's fixed edges {edges}; a score "
            "on an edge takes the higher class)."
        ).format(edges=_list((fmt_num(t, 1) for t in values["class_thresholds"]), ", ")),
        _(
            "The method range comes from {draws} Monte Carlo draws (seeded) over the weights, "
            "the aggregation rule, the normalisation, leaving one indicator out and the "
            "incident-rate denominator: it shows how much the score depends on those choices, "
            "not how uncertain the data are."
        ).format(draws=draws),
    )


def _score_paragraph(values: dict, name: str) -> str:
    m, iv = values["method_range"], values["interval"]
    fields = {
        "name": esc(name),
        "score": fmt_num(values["score"], 1),
        "pct": _pct(iv),
        "interval": _span(iv["low"], iv["high"], 1),
        "cls": _cls(values["class"]),
    }
    if iv["class_low"] == iv["class_high"] == values["class"]:
        first = _(
            "**{name} scores {score}** on the 0–10 scale ({pct}% interval {interval} from the "
            "data's own uncertainty), in the **{cls}** class."
        ).format(**fields)
    else:
        first = _(
            "**{name} scores {score}** on the 0–10 scale ({pct}% interval {interval} from the "
            "data's own uncertainty), in the **{cls}** class (across the interval: {cls_low} "
            "to {cls_high})."
        ).format(**fields, cls_low=_cls(iv["class_low"]), cls_high=_cls(iv["class_high"]))
    return _sentences(
        first,
        _(
            "It ranks {rank} of the {rank_of} countries compared here and {global_rank} of "
            "{global_rank_of} countries with data (1 = highest risk)."
        ).format(
            rank=values["rank"],
            rank_of=values["rank_of"],
            global_rank=values["global_rank"],
            global_rank_of=values["global_rank_of"],
        ),
        _(
            "Across method choices ({pct}% of the draws) the score ranges {range} (class "
            "{cls_low} to {cls_high}; rank {ranks} here, {global_ranks} worldwide)."
        ).format(
            pct=values["interval_pct"],
            range=_span(m["method_low"], m["method_high"], 1),
            cls_low=_cls(m["class_low"]),
            cls_high=_cls(m["class_high"]),
            ranks=_span(m["rank_low"], m["rank_high"]),
            global_ranks=_span(m["global_rank_low"], m["global_rank_high"]),
        ),
    )


def _dimensions_paragraph(values: dict) -> str:
    items = (
        _("{label} {score} ({interval}), {cls}; {method_range}").format(
            label=esc(str(tr(v["label"])).lower()),
            score=fmt_num(v["score"], 1),
            interval=_span(v["low"], v["high"], 1),
            cls=_cls(v["class"]),
            method_range=_span(v["method_low"], v["method_high"], 1),
        )
        for v in values["dimensions"].values()
    )
    return _("Dimensions (score and interval, class; method range): {items}.").format(
        items=_list(items)
    )


def _reliability_paragraph(values: dict) -> str:
    primary = [i for i in values["indicators"] if not i["alternative_of"]]
    missing = [i for i in primary if i["missing"] and i["applicable"]]
    stale = [i for i in primary if i["stale"]]
    not_applicable = [i for i in primary if not i["applicable"]]
    reliability = fmt_num(values["reliability"], 1)
    if not missing and not stale:
        n_ok = len(primary) - len(not_applicable)
        text = _(
            "**Reliability {reliability}/10**: all {n} applicable indicators are available "
            "and current."
        ).format(reliability=reliability, n=n_ok)
    else:
        parts = []
        if missing:
            parts.append(
                _("missing: {items}").format(
                    items=_list(
                        _("{label} ({reason})").format(
                            label=esc(tr(i["label"])), reason=esc(_reason(i["missing_reason"]))
                        )
                        for i in missing
                    )
                )
            )
        if stale:
            parts.append(
                _("older than expected by this date (stale): {items}").format(
                    items=_list(
                        _("{short} {year} ({expected} expected)").format(
                            short=esc(tr(i["short"])), year=i["year"], expected=i["expected_year"]
                        )
                        for i in stale
                    )
                )
            )
        text = _(
            "**Reliability {reliability}/10**: {details}. The dimension scores use the "
            "indicators available; nothing is imputed."
        ).format(reliability=reliability, details=_list(parts))
    if not not_applicable:
        return text
    return _sentences(
        text,
        _("Not applicable (left out, not counted as missing): {items}.").format(
            items=_list(
                _("{label} ({reason})").format(
                    label=esc(tr(i["label"])), reason=esc(_reason(i["missing_reason"]))
                )
                for i in not_applicable
            )
        ),
    )


def _direction_words(trend: dict) -> str:
    if trend["difference_low"] == trend["difference_high"] == 0:
        return _(UNCHANGED_WORDS)
    return _(DIRECTION_WORDS[trend["direction"]])


def _trend_paragraph(trend: dict) -> str | None:
    if trend["direction"] is None:
        return None
    return _(
        "**Trend.** With the same method at {date} the score was {score} (change {change}; "
        "draw by draw the change ranges {low} to {high}): {direction}."
    ).format(
        date=date_text(trend["previous_as_of"]),
        score=fmt_num(trend["previous_score"], 1),
        change=fmt_num(trend["change"], 2),
        low=fmt_num(trend["difference_low"], 2),
        high=fmt_num(trend["difference_high"], 2),
        direction=_direction_words(trend),
    )


def _sensitivity_paragraph(sensitivity: dict) -> str | None:
    shares = sorted(
        ((k, v) for k, v in sensitivity.items() if v is not None and k != "interactions"),
        key=lambda kv: -kv[1],
    )
    if not shares:
        return None
    items = [f"{choice_label(k)} {fmt_num(100 * v, 0)}%" for k, v in shares]
    interactions = sensitivity.get("interactions")
    if interactions is not None:
        items.append(f"{_('interactions')} {fmt_num(100 * interactions, 0)}%")
    return _(
        "**What drives the method range** (first-order share of its variance): {shares}."
    ).format(shares=_list(items))


def _without_composite_paragraph(values: dict) -> str | None:
    without = values["peers_without_composite"]
    if not without:
        return None
    return _("No composite for: {items}.").format(
        items=_list(
            _("{country} ({reason})").format(country=c, reason=esc(_reason(r)))
            for c, r in without.items()
        )
    )


def _markdown(values: dict, name: str) -> str:
    paragraphs = [
        _score_paragraph(values, name),
        _dimensions_paragraph(values),
        _reliability_paragraph(values),
        _trend_paragraph(values["trend"]),
        _sensitivity_paragraph(values["method_range"]["drivers"]),
        _without_composite_paragraph(values),
    ]
    return "\n\n".join(p for p in paragraphs if p is not None)


# --------------------------------------------------------------------------- tables


def _indicator_note(ind: dict) -> str:
    if ind["missing"]:
        kind = N_("missing: {reason}") if ind["applicable"] else N_("not applicable: {reason}")
        return _(kind).format(reason=_reason(ind["missing_reason"]))
    notes = []
    if ind["stale"]:
        notes.append(
            _("stale: {year}, {expected} expected by this date").format(
                year=ind["year"], expected=ind["expected_year"]
            )
        )
    if ind["carried_forward"]:
        notes.append(
            _("carried forward (the source's latest is {year})").format(year=ind["latest_year"])
        )
    return _list(notes)


def _indicator_table(indicators: list[dict], method: CompositeMethod) -> pd.DataFrame:
    rows = []
    for ind in indicators:
        if ind["alternative_of"]:
            continue
        if ind["missing"]:
            raw, year = _("n/a"), _("n/a")
        else:
            raw = fmt_num(ind["raw"], ind["raw_digits"])
            year = (
                _span(ind["window_start"], ind["year"])
                if ind["window_start"] is not None
                else str(ind["year"])
            )
        rows.append(
            {
                _("dimension"): tr(method["dimensions"][ind["dimension"]]["label"]),
                _("indicator"): tr(ind["label"]),
                _("raw value"): raw,
                _("unit"): tr(ind["unit"]),
                _("data year(s)"): year,
                _("score 0–10"): fmt_num(ind["score_0_10"], 1),
                _("note"): _indicator_note(ind),
            }
        )
    return pd.DataFrame(rows)


def _range(low, high, digits: int | None = None) -> str:
    if low is None:
        return _("n/a")
    return _span(low, high, digits)


def _peer_table(values: dict) -> pd.DataFrame:
    rows = [
        {
            _("country"): iso3,
            _("score"): fmt_num(p["score"], 1),
            _("interval"): _range(p["low"], p["high"], 1),
            _("class"): tr(p["class"]) if p["class"] else _("n/a"),
            _("peer rank"): _("n/a") if p["rank"] is None else str(p["rank"]),
            _("global rank"): _("n/a") if p["global_rank"] is None else str(p["global_rank"]),
            _("method range"): _range(p["method_low"], p["method_high"], 1),
            _("reliability"): fmt_num(p["reliability"], 1),
        }
        for iso3, p in values["peers"].items()
    ]
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the section


def _missing_section(method: CompositeMethod, name: str, reason: str, values: dict) -> Section:
    values.update(
        {
            "score": None,
            "interval": None,
            "class": None,
            "rank": None,
            "rank_of": None,
            "global_rank": None,
            "global_rank_of": None,
            "method_range": None,
            "reliability": None,
            "dimensions": None,
            "peers": None,
            "trend": None,
            "missing_reason": reason,
            "key_figures": [],
        }
    )
    return Section(
        key=KEY,
        title=registry.heading(KEY, ""),
        markdown=_(
            "No structural risk composite can be computed for {name} (method {version}): {reason}."
        ).format(
            name=esc(name), version=esc(method["method_version"]), reason=esc(_reason(reason))
        ),
        values=values,
        sources=panel_source_ids(method),
        caveats=[],
    )


def _scored_section(values: dict, method: CompositeMethod, name: str) -> Section:
    iso3 = values["country"]
    pct = values["interval_pct"]
    figures = [
        (
            _(
                "Structural risk composite and its three dimensions for {name} and its peers: "
                "score (dot), {pct}% interval from the data's uncertainty (thick line) and "
                "method range ({pct}% of the draws over method choices; thin line); background "
                "of the composite panel: the five classes."
            ).format(name=name, pct=pct),
            dot_whisker_figure(values, iso3),
        ),
        (
            _(
                "What drives the method range of {possessive} composite: share of the Monte "
                "Carlo variance explained by each method choice alone."
            ).format(possessive=_possessive(name)),
            tornado_figure(values, name),
        ),
    ]
    tables = [
        (
            _(
                "Indicators of {name} (method {version}): raw value, data year(s), 0–10 score "
                "(nominal goalposts; higher = riskier)."
            ).format(name=name, version=values["method_version"]),
            _indicator_table(values["indicators"], method),
        ),
        (
            _(
                "Composite of each country compared (score, {pct}% interval from the data and "
                "class; method range: {pct}% of the draws over method choices; ranks: 1 = "
                "highest risk)."
            ).format(pct=pct),
            _peer_table(values),
        ),
    ]
    offset = fmt_num(values["geometric_offset"], 0)
    return Section(
        key=KEY,
        title=registry.heading(KEY, ""),
        markdown=_markdown(values, name),
        method=_method_paragraph(values),
        figures=figures,
        tables=tables,
        values=values,
        sources=panel_source_ids(method),
        caveats=[_(caveat).format(offset=offset) for caveat in CAVEATS],
    )


def prepare(ctx: BriefContext) -> None:
    """Run the composite's global Monte Carlo at ``as_of`` and at the trend date, once a build."""
    method = load_method()
    ctx.analysis(composite_scores, mc_draws=ctx.mc_draws, method=method)
    ctx.analysis(previous_scores, mc_draws=ctx.mc_draws, method=method)


def composite_section(ctx: BriefContext) -> Section:
    """Build the structural risk composite section for the brief's country and its peers.

    Parameters
    ----------
    ctx : BriefContext
        The composite is computed at ``ctx.as_of`` (and one trend offset earlier) for
        ``ctx.all_countries`` and every country with data, with ``ctx.mc_draws`` Monte
        Carlo draws (the seed comes from the method file, so reruns are identical).

    Returns
    -------
    Section
        Key ``"composite"``. ``values``: ``method_version``, ``score`` (the nominal method:
        the one number of the composite), ``class``, ``rank`` and ``rank_of`` (among
        ``ctx.all_countries``), ``global_rank`` and ``global_rank_of``, ``method_range``
        (Monte Carlo over method choices: median, low, high, classes, ranks and
        ``drivers``), ``reliability``, ``dimensions``, ``indicators``, ``peers``,
        ``trend``, ``key_figures`` and the method's settings shown in the text.
    """
    method = load_method()
    name = str(tr(country_name(ctx.country_iso3)))  # the curated name in the edition's language
    res = ctx.analysis(composite_scores, mc_draws=ctx.mc_draws, method=method)
    prev = ctx.analysis(previous_scores, mc_draws=ctx.mc_draws, method=method)
    base = _base_values(method, res, ctx)
    row = res.scores.loc[ctx.country_iso3]
    if _get(row, "missing_reason") is not None or _get(row, "nominal") is None:
        base["indicators"] = _indicator_values(res, ctx.country_iso3, method)
        return _missing_section(method, name, str(_get(row, "missing_reason")), base)
    values = _score_values(base, res, prev, method)
    values["key_figures"] = [_key_figure(values, name)]
    return _scored_section(values, method, name)
