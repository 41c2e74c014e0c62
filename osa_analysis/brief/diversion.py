"""Section "OSA misuse and diversion risk", conditioned on the equipment supplied.

Presents :func:`osa_analysis.analyse.diversion.assess` (brief-anchors Part B section 8, A4):
a plain-language summary first, then the criterion matrix (EU Common Position criteria 2,
3, 4, 7; ATT Art. 7(1)(a), 7(1)(b)(i)-(ii), Art. 11; Japan's Three Principles legal test
and empirical UCDP flag, shown apart), the scenario register S1-S6 with likelihoods from
base rates, equipment relevance from the OSA project table and residual risk, the trip-wires,
and a heat strip of the criterion ratings across the peers
(:mod:`osa_analysis.brief.diversion_figures`). The method version of
``data/risk/diversion.yaml`` is stated.

Every edition is written from the same analysis. The analysis keeps its English evidence
texts (``summary.json`` holds them); the other editions show them rewritten from the
records (:func:`indicator_text`, :func:`criterion_evidence`) or through the message of the
phrase they were made from (:func:`rephrase`: :func:`tripwire_label`,
:func:`tripwire_evidence`, :func:`note_text`...). The texts of the method file are
translated through :func:`~osa_analysis.core.i18n.tr` (:data:`DATA_MESSAGES`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from osa_analysis.analyse.backtest import (
    BACKTEST_SOURCES,
    assess_with_selected_models,
    country_record,
    load_backtest_config,
    record_summary,
    track_record,
)
from osa_analysis.analyse.diversion import DiversionResult
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.diversion_evidence import (
    _interval_text,
    _pct_range,
    _relevance_text,
    _trend_text,
    base_rate_text,
    criterion_evidence,
    indicator_value_text,
    key_figures,
    likelihood_text,
    model_text,
    overall_values,
    scenario_values,
)
from osa_analysis.brief.diversion_figures import heat_strip
from osa_analysis.brief.diversion_words import (
    FLAGGED,
    _in_brackets,
    _ja,
    base_rate_reason,
    confidence_word,
    equipment_word,
    indicator_label,
    joined,
    level_word,
    rating_word,
    sentences,
    shown_name,
    status_word,
    term_word,
    tripwire_evidence,
    tripwire_label,
    tripwire_source,
)
from osa_analysis.brief.numbers import date_text
from osa_analysis.brief.section import Section, esc
from osa_analysis.brief.track_record import (
    reliability_figure,
    track_record_lead,
    track_record_markdown,
    track_record_table,
    track_record_values,
)
from osa_analysis.core.countries import country_name
from osa_analysis.core.i18n import _, tr

KEY = "diversion"


def section_values(result: DiversionResult) -> dict:
    """Every value the section shows (``summary.json`` under ``diversion``)."""
    scenarios = scenario_values(result.scenarios)
    overall = overall_values(result.overall)
    values = {
        "method_version": result.method_version,
        "config_sha256": result.config_sha256,
        "country": result.country,
        "as_of": result.as_of.strftime("%Y-%m-%d"),
        "criteria": result.criteria,
        "criteria_out_of_scope": result.criteria_out_of_scope,
        "scenarios": scenarios,
        "tripwires": result.tripwires,
        "peers_matrix": result.peers,
        "overall_rating": overall,
        "equipment": result.equipment,
        "trend_shift_years": result.config["trend"]["shift_years"],
        "yardstick": {
            "name": result.config["yardstick"]["name"],
            "terms": {t["term"]: list(t["range"]) for t in result.config["yardstick"]["terms"]},
            "terms_pct": {
                t["term"]: [100 * v for v in t["range"]]
                for t in result.config["yardstick"]["terms"]
            },
        },
    }
    name = country_name(result.country)
    values["key_figures"] = key_figures(name, scenarios, overall, result.criteria)
    return values


# --------------------------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------------------------


def _short(c: Mapping[str, Any]) -> str:
    return esc(tr(c["short"]))


def _criteria_summary(name: str, criteria: list[dict], overall: dict) -> str:
    flagged = [c for c in criteria if c["rating"] in FLAGGED]
    if not flagged:
        return _(
            "**Summary.** None of the {n} criteria rated is possibly critical or critical for "
            "{name}."
        ).format(n=overall["n_rated"], name=esc(name))
    by_rating: dict[str, list[str]] = {}
    for c in flagged:
        by_rating.setdefault(c["rating"], []).append(_short(c))
    parts = joined(
        [
            _("{rating}: {criteria}").format(rating=rating_word(r), criteria=joined(s, ", "))
            for r, s in by_rating.items()
        ]
    )
    return _(
        "**Summary.** {n} of {rated} criteria are rated possibly critical or critical for "
        "{name}; the highest rating is **{rating}** ({parts}; the conditions met are in the "
        "criterion matrix)."
    ).format(
        n=overall["n_flagged"],
        rated=overall["n_rated"],
        name=esc(name),
        rating=rating_word(overall["rating"]),
        parts=parts,
    )


def _not_computable_line(criteria: list[dict], overall: dict, not_computable: str) -> list[str]:
    if not overall["n_not_computable"]:
        return []
    listed = joined(
        [
            _("{criterion} (missing {indicators})").format(
                criterion=_short(c), indicators=joined(c["missing"], ", ")
            )
            for c in criteria
            if c["rating"] == not_computable
        ]
    )
    return [
        _("{n} criteria could not be rated: {criteria}.").format(
            n=overall["n_not_computable"], criteria=listed
        )
    ]


def _three_principles_line(criteria: list[dict]) -> list[str]:
    by_id = {c["id"]: c for c in criteria}
    legal, emp = by_id.get("JPN_3P_legal"), by_id.get("JPN_3P_empirical")
    if not (legal and emp):
        return []
    prim = next(i for i in emp["indicators"] if i["name"] == "ucdp_primary_any")
    if prim["status"] in ("ok", "carried forward"):
        parties = (
            _("{n} active UCDP armed conflict in {year}")
            if prim["value"] == 1
            else _("{n} active UCDP armed conflicts in {year}")
        ).format(n=prim["value"], year=prim["year"])
    else:
        parties = _("an unknown number of conflicts (UCDP does not list it)")
    if legal["value"]:
        line = _(
            'Japan\'s Three Principles: the legal "party to a conflict" test (UN Security '
            "Council measures, curated flag) is **met**; separately, the empirical flag finds "
            "the state a primary party to {parties} — an analytic risk signal, not a legal "
            "finding."
        )
    else:
        line = _(
            'Japan\'s Three Principles: the legal "party to a conflict" test (UN Security '
            "Council measures, curated flag) is not met; separately, the empirical flag finds "
            "the state a primary party to {parties} — an analytic risk signal, not a legal "
            "finding."
        )
    return [line.format(parties=parties)]


def _equipment_line(name: str, result: DiversionResult, overall: dict, as_of: str) -> str:
    eq, scen = result.equipment, result.scenarios
    if not eq["categories"]:
        return _(
            "No OSA equipment is recorded for {name} up to {as_of}: equipment relevance and "
            "residual risk are not applicable; the scenario likelihoods are country context "
            "only."
        ).format(name=esc(name), as_of=date_text(as_of))
    levels = result.config["relevance"]["levels"]
    top_level = max(
        (s["equipment_relevance_overall"] for s in scen), key=levels.index, default=None
    )
    top_text = joined(
        [
            _("{id} {scenario} ({categories}; {likelihood} over 36 months)").format(
                id=s["id"],
                scenario=str(tr(s["label"])).lower(),
                categories=joined(
                    [
                        equipment_word(c)
                        for c, v in s["equipment_relevance"].items()
                        if v == top_level
                    ],
                    ", ",
                ),
                likelihood=likelihood_text(s, "36m"),
            )
            for s in scen
            if s["equipment_relevance_overall"] == top_level
        ]
    )
    conf = {s["id"]: s["confidence"] for s in scen}
    res_ids = joined(
        [
            _("{id}, confidence {level}").format(id=sid, level=confidence_word(conf[sid]))
            for sid in overall["residual_scenarios"]
        ],
        ", ",
    )
    n_proj = len(eq["projects"])
    recorded = (
        _("OSA equipment recorded ({n} project): {categories}.")
        if n_proj == 1
        else _("OSA equipment recorded ({n} projects): {categories}.")
    ).format(n=n_proj, categories=joined([equipment_word(c) for c in eq["categories"]], ", "))
    return sentences(
        [
            recorded,
            _("It is most relevant ({level}) to {scenarios}.").format(
                level=level_word(top_level), scenarios=top_text
            ),
            _("Highest residual risk after controls: **{residual}** ({scenarios}).").format(
                residual=level_word(overall["residual_highest"]), scenarios=res_ids
            ),
        ]
    )


def _tripwire_line(tripwires: list[dict]) -> str:
    trig = [t for t in tripwires if t["status"] == "triggered"]
    nc = sum(t["status"] == "not computable" for t in tripwires)
    if not trig:
        return _("Trip-wires triggered: none ({n} not computable).").format(n=nc)
    return _("Trip-wires triggered: {tripwires} ({n} not computable).").format(
        tripwires=joined([esc(tripwire_label(t)) for t in trig]), n=nc
    )


def _method_version_line(values: dict) -> str:
    sha = values["config_sha256"][:12] if values["config_sha256"] else _("n/a")
    return _("Method `{version}` (`data/risk/diversion.yaml`, sha256 `{sha}`).").format(
        version=esc(values["method_version"]), sha=sha
    )


def summary_lines(name: str, result: DiversionResult, values: dict) -> list[str]:
    """Return the summary paragraph by sentence (ratings, legal test, equipment, alerts)."""
    criteria, overall = result.criteria, values["overall_rating"]
    not_computable = result.config["ratings"]["not_computable"]
    return [
        _criteria_summary(name, criteria, overall),
        *_not_computable_line(criteria, overall, not_computable),
        *_three_principles_line(criteria),
        _equipment_line(name, result, overall, values["as_of"]),
        _tripwire_line(result.tripwires),
        _method_version_line(values),
    ]


def _likelihood_method(result: DiversionResult) -> str:
    """How the register's probabilities were made: the selected model, else the own rate."""
    own_rate = _(
        "the probability of at least one event over the horizon from the country's own "
        "record of x events in n years, averaged over the rate's uncertainty (Jeffreys "
        "prior; P = 1 − (n / (n + T))^(x + ½) for rates, the beta-binomial analogue for "
        "shares of years), so never zero after zero events, with the exact 95% interval of "
        "the rate"
    )
    modelled = [
        s
        for s in result.scenarios
        if model_text(s.get("model_12m")) or model_text(s.get("model_36m"))
    ]
    if not modelled:
        return _("Each likelihood is {own_rate}.").format(own_rate=own_rate)
    ids = joined([s["id"] for s in modelled], ", ")
    origins = load_backtest_config()["origins"]
    leads = joined(
        [f"{s['id']} {(s.get('model_12m') or s.get('model_36m'))['lead_years']}" for s in modelled],
        ", ",
    )
    return sentences(
        [
            _(
                "{ids}: the probability is that of the model the backtest selected (it scored "
                "better out of sample than the own base rate; see the track record below): an "
                "L2-penalised logistic regression on the state's own record of the event "
                "(latest year, 5 and 10 years), coup attempts, UCDP conflicts and deaths, "
                "V-Dem regime type and polyarchy, population and the base rate's own "
                "probability, fitted on every country-year whose window had closed by the last "
                "complete data year and applied as many years ahead of that year as this "
                "brief's window is (years: {leads}); the 95% interval is the fit's own (Laplace "
                "approximation)."
            ).format(ids=ids, leads=leads),
            _(
                "The coup record ends before the other data (Powell & Thyne to {end}): for a "
                "later data year the model reads the coup features of the last whole year "
                "covered."
            ).format(end=esc(date_text(result.config["data"]["coups_coverage_end"]))),
            _(
                "The model was chosen on the same backtest it is scored on below (the origins "
                "{first}–{last}), so that score flatters the choice a little."
            ).format(first=origins["start"], last=origins["end"]),
            _(
                "A 36-month probability below the 12-month one (the horizons are fitted "
                "apart) is raised to it."
            ),
            _("The own base rate is shown beside it as a reference: {own_rate}.").format(
                own_rate=own_rate
            ),
        ]
    )


def method_lines(result: DiversionResult) -> list[str]:
    """Return the method paragraphs: how the criteria and the scenarios are rated."""
    out_scope = joined(
        [
            _("{criterion} ({reason})").format(
                criterion=esc(re.split("[:：]", str(tr(c["label"])), maxsplit=1)[0]),
                reason=esc(_in_brackets(str(tr(c["reason"])))),
            )
            for c in result.criteria_out_of_scope
        ]
    )
    qual = [s for s in result.scenarios if s["method"] == "qualitative"]
    shift = result.config["trend"]["shift_years"]
    yardstick = result.config["yardstick"]
    terms = joined(
        [
            _("{term} {range}").format(
                term=term_word(t["term"]), range=_pct_range(list(t["range"]))
            )
            for t in yardstick["terms"]
        ],
        ", ",
    )
    criteria = sentences(
        [
            _(
                "**Criterion matrix.** Ratings follow BICC's three steps (not critical, "
                "possibly critical, critical) from the thresholds in the config; a criterion is "
                '"not computable" when an indicator it needs is missing and no condition is '
                "met."
            ),
            _("The trend applies the same rules to the data of {years} years earlier.").format(
                years=shift
            ),
            _("Out of scope: {criteria}.").format(criteria=out_scope),
        ]
    )
    register = sentences(
        [
            _("**Scenario register.** {method}").format(method=_likelihood_method(result)),
            _(
                "The word is the {yardstick}'s term for the probability ({terms}; a value in a "
                "gap takes the nearer term)."
            ).format(yardstick=esc(tr(yardstick["name"])), terms=terms),
            _("The pooled reference rates are shown beside it, not mixed in."),
            _("A scenario without data carries no number (judgement, no base rate)."),
            _(
                "Residual risk = likelihood score × equipment relevance, lowered where "
                "controls are judged effective."
            ),
            _(
                "Confidence (L, M, H) follows the data-quality rule of the config: quantitative "
                "base rates start at H and lose a level for few events, old data or no "
                "reference rate; qualitative yardsticks are L."
            ),
            sentences(
                [
                    _("{id}: {reason}").format(
                        id=s["id"], reason=esc(base_rate_reason(s["base_rate_missing_reason"]))
                    )
                    for s in qual
                ]
            ),
        ]
    )
    if not qual and not _ja():
        register += " "  # the English text has always ended so
    return [criteria, register]


def caveats(result: DiversionResult) -> list[str]:
    """Return the section's caveats (screens, not legal findings; proxies; data dates)."""
    dates = joined(
        [
            _("{source} {date}").format(
                source=tripwire_source(t["source"]), date=date_text(t["data_date"])
            )
            for t in result.tripwires
            if t["data_date"]
        ]
    )
    return [
        _(
            'Ratings are indicator-based screens, not legal determinations. The legal "party '
            'to a conflict" flag is curated in the config; the UCDP flag is an analytic signal.'
        ),
        _(
            "Likelihoods are base rates of each scenario's precondition (an interstate "
            "conflict, a coup attempt, government killings of civilians), not observed misuse "
            "of OSA equipment."
        ),
        _(
            "No re-export, stockpile or equipment-capture data are in the data mirror (the "
            "SIPRI Arms Transfers Database is not available): S4–S6 rest on stated qualitative "
            "yardsticks with low confidence."
        ),
        _(
            "Data dates (last observation used, on or before the as-of date): {dates}. Powell & "
            "Thyne coups end on {end}: later attempts are not covered."
        ).format(dates=dates, end=date_text(result.config["data"]["coups_coverage_end"])),
        _(
            "The relevance matrix (scenario × equipment category) and the residual rule are "
            "judgements stated with their rationale in data/risk/diversion.yaml."
        ),
    ]


# --------------------------------------------------------------------------------------------
# tables and figure
# --------------------------------------------------------------------------------------------


def criterion_table(criteria: list[dict], shift_years: int) -> pd.DataFrame:
    """Tabulate the criterion matrix: a row per criterion, value and interval of its primary."""
    rows = []
    for c in criteria:
        primary = next(i for i in c["indicators"] if i["name"] == c["primary"])
        value = indicator_value_text(primary)
        if primary.get("year") is not None:
            value = _("{value} ({year})").format(value=value, year=primary["year"])
        rows.append(
            {
                _("criterion"): tr(c["label"]),
                _("framework"): tr(c["framework"]),
                _("indicators"): joined([indicator_label(i["name"]) for i in c["indicators"]]),
                _("latest value"): value,
                _("interval"): _interval_text(primary, c["interval"]),
                _("rating"): rating_word(c["rating"]),
                _("trend"): _trend_text(c, shift_years),
                _("evidence"): criterion_evidence(c),
            }
        )
    return pd.DataFrame(rows)


def _residual_text(res: dict) -> str:
    if res["score"] is None:
        return level_word(res["class"])
    return _("{residual} (score {score}; {before} before controls)").format(
        residual=level_word(res["class"]),
        score=res["score"],
        before=level_word(res["class_before_controls"]),
    )


def _scenario_name(s: Mapping[str, Any]) -> str:
    return f"{s['id']} {tr(s['label'])}"


def scenario_table(scenarios: list[dict]) -> pd.DataFrame:
    """Tabulate the scenario register (``scenarios`` as in the values: with ``overall``)."""
    return pd.DataFrame(
        [
            {
                _("scenario"): _scenario_name(s),
                _("12 months"): likelihood_text(s, "12m"),
                _("36 months"): likelihood_text(s, "36m"),
                _("base rate"): base_rate_text(s),
                _("confidence"): confidence_word(s["confidence"]),
                _("equipment relevance"): _relevance_text(s["equipment_relevance"]),
                _("controls"): joined([str(tr(c["label"])) for c in s["controls"]]),
                _("residual"): _residual_text(s["residual"]),
            }
            for s in scenarios
        ]
    )


def scenario_summary_table(scenarios: list[dict]) -> pd.DataFrame:
    """Tabulate the register in brief: 36-month likelihood, confidence, relevance, residual."""
    return pd.DataFrame(
        [
            {
                _("scenario"): _scenario_name(s),
                _("36 months"): likelihood_text(s, "36m"),
                _("confidence"): confidence_word(s["confidence"]),
                _("equipment relevance"): level_word(s["equipment_relevance"].get("overall"))
                if s["equipment_relevance"].get("overall")
                else _("n/a"),
                _("residual risk"): level_word(s["residual"]["class"]),
            }
            for s in scenarios
        ]
    )


def tripwire_table(tripwires: list[dict]) -> pd.DataFrame:
    """Tabulate the trip-wires with their status, data date and evidence."""
    return pd.DataFrame(
        [
            {
                _("trip-wire"): tripwire_label(t),
                _("status"): status_word(t["status"]),
                _("data date"): date_text(t["data_date"]) if t["data_date"] else "–",
                _("evidence"): tripwire_evidence(t),
            }
            for t in tripwires
        ]
    )


def section_tables(name: str, result: DiversionResult, values: dict) -> list:
    """Return the tables of the section (matrix, register in brief and in full, trip-wires)."""
    return [
        (
            _(
                "Criterion matrix for {name} (method {version}); the value and interval are "
                "those of the criterion's primary indicator."
            ).format(name=name, version=values["method_version"]),
            criterion_table(result.criteria, values["trend_shift_years"]),
        ),
        (
            _(
                "Misuse scenarios for {name}, in brief: 36-month likelihood (PHIA term and "
                "probability), confidence (H, M, L), relevance of the OSA equipment, residual "
                "risk after controls. The full register follows."
            ).format(name=name),
            scenario_summary_table(values["scenarios"]),
        ),
        (
            _(
                "Misuse scenario register for {name}: likelihood (PHIA term and range), base "
                "rate, confidence, equipment relevance, controls and residual risk."
            ).format(name=name),
            scenario_table(values["scenarios"]),
        ),
        (
            _("Trip-wires for {name}, each with the date of the last observation used.").format(
                name=name
            ),
            tripwire_table(result.tripwires),
        ),
    ]


def section_figures(result: DiversionResult) -> list:
    """Return the heat strip of the ratings of the country and its peers, with its caption."""
    crit_order = [{"id": c["id"], "short": str(tr(c["short"]))} for c in result.criteria]
    colors = dict(result.config["ratings"]["colors"])
    return [
        (
            _(
                "Criterion ratings of the country and its peers (heat strip; NC not critical, "
                "PC possibly critical, C critical, grey not computable)."
            ),
            heat_strip(result.peers, crit_order, colors, result.country),
        )
    ]


# --------------------------------------------------------------------------------------------
# section
# --------------------------------------------------------------------------------------------


def prepare(ctx: BriefContext) -> None:
    """Compute the criterion matrices, reference rates, models and track record once."""
    ctx.analysis(assess_with_selected_models)
    track_record(ctx.tables)


def track_record_parts(ctx: BriefContext, iso3: str) -> tuple[str, str, tuple, tuple, dict]:
    """Return the track record: lead, full paragraph, captioned table and figure, values."""
    forecasts, scores = track_record(ctx.tables)
    first, last = scores["origins"]
    records = {  # the forecasts a brief would have made: its data ending as long before
        k["id"]: country_record(
            forecasts,
            iso3,
            k["id"],
            12,
            f"{k['selected_model']}_lead",
            first,
            last,
            climatology="climatology_lead",
        )
        for k in scores["kinds"]
    }
    summaries = {k: record_summary(r, 12) for k, r in records.items()}
    name = shown_name(iso3)
    caption = _(
        "Track record: reliability of the 12-month judgements in the backtest, made as this "
        "brief makes them (data ending as long before the window; observed frequency against "
        "forecast by bin, every state, origins {first}–{last}; dot size: forecasts in the bin; "
        "dashed: perfect calibration)."
    ).format(first=first, last=last)
    table = (
        _(
            "Track record of the 12-month judgements, made as this brief makes them (data "
            "ending as long before the window; origins {first}–{last}), and {name}'s own "
            "forecasts."
        ).format(first=first, last=last, name=name),
        track_record_table(name, scores, summaries),
    )
    return (
        track_record_lead(scores),
        track_record_markdown(name, scores, summaries),
        table,
        (caption, reliability_figure(scores, 12, at_lead=True)),
        track_record_values(scores, records, summaries),
    )


def diversion_section(ctx: BriefContext) -> Section:
    """Build the section: OSA misuse and diversion risk for the brief's country.

    Parameters
    ----------
    ctx : BriefContext
        The brief's scope and table store (which records every source read). Works for any
        state (a state without OSA projects gets "no OSA equipment recorded").

    Returns
    -------
    Section
        Key ``"diversion"``. ``values``: ``method_version``, ``config_sha256``, ``country``,
        ``as_of``, ``criteria`` (list of ``id``, ``framework``, ``label``, ``indicators``,
        ``value``, ``interval``, ``rating``, ``trend``, ``evidence`` ...),
        ``criteria_out_of_scope``, ``scenarios`` (``id``, ``label``, ``likelihood_12m`` and
        ``likelihood_36m`` ``[lo, hi]``, ``yardstick_12m``, ``yardstick_36m``,
        ``base_rate`` {events, years, rate_per_year, interval}, ``confidence``,
        ``equipment_relevance`` {category: level, ``overall``}, ``controls``,
        ``residual`` ...), ``tripwires`` (``id``, ``label``, ``status``, ``data_date``,
        ``evidence``), ``peers_matrix`` {iso3: {criterion id: rating}}, ``overall_rating``
        (``rating``: the highest criterion rating, and the residual-risk summary),
        ``equipment``, ``trend_shift_years``, ``key_figures`` and ``track_record``
        (:func:`~osa_analysis.brief.track_record.track_record_values`). The values are the
        same in every language (English texts); the text, tables and figures are in the
        current one.
    """
    result = ctx.analysis(assess_with_selected_models)
    name = shown_name(result.country)
    values = section_values(result)
    lead, record_text, record_table, record_figure, values["track_record"] = track_record_parts(
        ctx, result.country
    )
    markdown = [sentences(summary_lines(name, result, values)), lead]
    return Section(
        key=KEY,
        title=registry.heading(KEY, ""),
        markdown="\n\n".join(markdown),
        method="\n\n".join([*method_lines(result), record_text]),
        figures=[*section_figures(result), record_figure],
        tables=[*section_tables(name, result, values), record_table],
        values=values,
        sources=list(dict.fromkeys([*result.sources, *BACKTEST_SOURCES])),
        caveats=caveats(result),
    )
