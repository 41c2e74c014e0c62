"""Section 9: OSA misuse and diversion risk, conditioned on the equipment supplied.

Presents :func:`osa_analysis.analyse.diversion.assess` (brief-anchors Part B section 8, A4):
a plain-language summary first, then the criterion matrix (EU Common Position criteria 2,
3, 4, 7; ATT Art. 7(1)(a), 7(1)(b)(i)-(ii), Art. 11; Japan's Three Principles legal test
and empirical UCDP flag, shown apart), the scenario register S1-S6 with likelihoods from
base rates, equipment relevance from the OSA project table and residual risk, the trip-wires,
and a heat strip of the criterion ratings across the peers. The method version of
``data/risk/diversion.yaml`` is stated.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.patches import Patch, Rectangle

from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.brief.style import NEUTRAL, figure
from osa_analysis.core.countries import country_name

KEY = "diversion"
TITLE = "9. OSA misuse and diversion risk"

RATING_SHORT = {
    "not critical": "NC",
    "possibly critical": "PC",
    "critical": "C",
    "not computable": "n/a",
}
"""Cell labels of the heat strip (colour carries the rating; the label helps in print)."""


# --------------------------------------------------------------------------------------------
# formatting helpers
# --------------------------------------------------------------------------------------------


def _pct(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{100 * value:.{digits}f}%"


def _pct_range(rng: list[float] | None) -> str:
    if not rng:
        return "n/a"
    return f"{100 * rng[0]:.1f}–{100 * rng[1]:.1f}%"


def indicator_value_text(rec: dict) -> str:
    """Format an indicator's value for a table cell (missing values say so)."""
    if rec["status"] in ("missing", "no history"):
        return "missing"
    if rec["status"] == "not applicable":
        return "not applicable"
    name = rec["name"]
    if name == "vdem_regime":
        return f"{rec['value']} ({rec['regime_label']})"
    if name.startswith("wgi_") or name.endswith("_per_million"):
        return fmt_num(rec["value"], 2)
    if name == "grayzone_mean_3y":
        return fmt_num(rec["value"], 1)
    if name == "legal_unsc_measures":
        return "yes" if rec["value"] else "no"
    return fmt_num(rec["value"])


OP_TEXT = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def condition_text(met: dict) -> str:
    """Plain words for a condition that holds, e.g. "WGI rule of law (whole 90% band) < 0"."""
    from osa_analysis.analyse.diversion import INDICATORS

    band = " (whole 90% band)" if met["field"] == "high" and met["op"] in ("<", "<=") else ""
    band = band or (" (whole 90% band)" if met["field"] == "low" else "")
    return (
        f"{INDICATORS[met['indicator']]['label']}{band} {OP_TEXT[met['op']]} {met['threshold']:g}"
    )


def _interval_text(rec: dict, interval: list | None) -> str:
    if not interval or interval[0] is None:
        return "–"
    digits = 2 if rec["name"].startswith("wgi_") or rec["name"].endswith("_per_million") else 0
    return f"{fmt_num(interval[0], digits)} to {fmt_num(interval[1], digits)}"


def _trend_text(c: dict, shift: int) -> str:
    if c["trend"] == "not computable":
        return f"n/a (no rating {shift} years earlier)"
    if c["trend"] == "unchanged":
        return "unchanged"
    return f"{c['trend']} (was {c['rating_then']})"


def base_rate_text(sc: dict) -> str:
    """One table cell describing a scenario's base rates (own and references)."""
    own = sc["base_rate"]
    if sc["method"] == "qualitative":
        steps = [m for m in sc["modifiers"] if m["holds"]]
        return "qualitative yardstick (no data)" + (
            "; raised by: " + "; ".join(condition_text(m) for m in steps) if steps else ""
        )
    if own is None:
        text = f"own: not computable ({sc['base_rate_missing_reason']})"
    elif own["method"] == "poisson":
        text = (
            f"own: {own['events']} in {own['years']:.1f} years = "
            f"{own['rate_per_year']:.4f}/yr (95% {own['interval'][0]:.4f}–"
            f"{own['interval'][1]:.4f})"
        )
    else:
        text = (
            f"own: {own['events']} of {own['years']} years = {own['rate_per_year']:.3f} "
            f"(95% {own['interval'][0]:.3f}–{own['interval'][1]:.3f})"
        )
    for ref in sc["references"]:
        per = "/yr" if ref["method"] == "poisson" else " of years"
        text += (
            f"; {ref['label']} {ref['window'][0]}–{ref['window'][1]}: "
            f"{ref['rate_per_year']:.4f}{per}"
        )
    mods = [m for m in sc["modifiers"] if m.get("rate_multiplier") and m["holds"]]
    if mods:
        text += f"; gray-zone modifier ×{mods[0]['rate_multiplier']:g} on the upper rate"
    return text


def _relevance_text(rel: dict) -> str:
    overall = rel["overall"]
    cats = {k: v for k, v in rel.items() if k != "overall"}
    if not cats:
        return overall
    listed = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in cats.items())
    return f"{overall} ({listed})"


# --------------------------------------------------------------------------------------------
# figure
# --------------------------------------------------------------------------------------------


def heat_strip(peers: dict[str, dict[str, str]], criteria: list[dict], colors: dict, iso3: str):
    """Heat strip of the criterion ratings: one row per country, criteria in config order.

    Parameters
    ----------
    peers : dict
        ISO3 → criterion id → rating.
    criteria : list of dict
        ``id`` and ``short`` of each criterion, in display order.
    colors : dict
        Rating → colour (the config's ``ratings.colors``; grey for not computable).
    iso3 : str
        The brief's country (marked).

    Returns
    -------
    matplotlib.figure.Figure
    """
    countries = list(peers)
    n_rows, n_cols = len(countries), len(criteria)
    fig, ax = figure(width=8.0, height=1.5 + 0.38 * n_rows)
    for i, iso in enumerate(countries):
        y = n_rows - 1 - i
        for j, crit in enumerate(criteria):
            rating = peers[iso].get(crit["id"], "not computable")
            ax.add_patch(
                Rectangle((j, y), 1, 1, facecolor=colors[rating], edgecolor="white", linewidth=1.5)
            )
            ax.text(
                j + 0.5,
                y + 0.5,
                RATING_SHORT.get(rating, rating),
                ha="center",
                va="center",
                fontsize=7,
                color="black" if rating != "critical" else "white",
            )
    ax.set_xlim(0, n_cols)
    ax.set_ylim(0, n_rows)
    ax.set_xticks([j + 0.5 for j in range(n_cols)], [c["short"] for c in criteria], rotation=35)
    ax.set_yticks(
        [n_rows - 1 - i + 0.5 for i in range(n_rows)],
        [f"{c} ◀" if c == iso3 else c for c in countries],
    )
    ax.tick_params(length=0, labelsize=7)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    handles = [Patch(facecolor=c, label=r) for r, c in colors.items()]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=7)
    ax.set_title("Criterion ratings across the peers (same rules for every country)", fontsize=9)
    ax.set_xlabel("criterion", fontsize=8, color=NEUTRAL)
    ax.set_ylabel("country", fontsize=8, color=NEUTRAL)
    return fig


# --------------------------------------------------------------------------------------------
# section
# --------------------------------------------------------------------------------------------


def _key_figures(name: str, scenarios: list[dict], overall: dict, criteria: list[dict]) -> list:
    figures = []
    s2 = next((s for s in scenarios if s["id"] == "S2"), None)
    if s2 is not None and s2["base_rate"] is not None and s2["own_probability"]:
        own = s2["base_rate"]
        p36 = s2["own_probability"]["36m"]
        refs = "; ".join(
            f"the rate of {r['label']} ({r['window'][0]}–{r['window'][1]}) gives "
            f"{r['probability_pct']['36m']:.1f}%"
            for r in s2["references"]
        )
        figures.append(
            {
                "id": "coup_attempt_probability_36m",
                "label": "Chance of at least one coup attempt in 36 months (own base rate)",
                "value": 100 * p36["point"],
                "unit": "%",
                "interval": [100 * v for v in p36["interval"]],
                "interval_kind": "exact Poisson 95% on the country's own rate",
                "change": None,
                "change_text": f"{own['events']} attempts in {own['years']:.1f} years",
                "significant": None,
                "sentence": (
                    f"Powell & Thyne record {own['events']} coup attempts in {name} in "
                    f"{own['years']:.1f} years to {own['data_date']}, so the chance of at least "
                    f"one attempt in 36 months is {_pct(p36['point'])} (95% interval "
                    f"{_pct(p36['interval'][0])} to {_pct(p36['interval'][1])})"
                    + (f"; {refs}" if refs else "")
                    + f" — {s2['yardstick_36m']} on the PHIA yardstick."
                ),
            }
        )
    flagged = [c for c in criteria if c["rating"] in ("possibly critical", "critical")]
    then = sum(c["rating_then"] in ("possibly critical", "critical") for c in criteria)
    figures.append(
        {
            "id": "criteria_flagged",
            "label": "Misuse criteria rated possibly critical or critical",
            "value": overall["n_flagged"],
            "unit": "criteria",
            "interval": None,
            "interval_kind": None,
            "change": then,
            "change_text": f"{then} five years earlier (same rules)",
            "significant": None,
            "sentence": (
                f"{overall['n_flagged']} of {overall['n_rated']} misuse and diversion criteria "
                f"are rated possibly critical or critical for {name}"
                + (
                    f" ({', '.join(c['short'] for c in flagged)}); the highest rating is "
                    f"{overall['rating']}"
                    if flagged
                    else ""
                )
                + f" ({then} five years earlier)."
            ),
        }
    )
    return figures


def _summary_lines(name: str, result: dict, values: dict, cfg: dict) -> list[str]:
    criteria = result["criteria"]
    overall = values["overall_rating"]
    by_id = {c["id"]: c for c in criteria}
    flagged = [c for c in criteria if c["rating"] in ("possibly critical", "critical")]
    lines = []
    if flagged:
        parts = []
        for c in flagged:
            why = "; ".join(
                dict.fromkeys(condition_text(m) for m in c["met"] if m["level"] == c["rating"])
            )
            parts.append(f"{esc(c['short'])} {c['rating']} ({esc(why)})")
        lines.append(
            f"**Summary.** {overall['n_flagged']} of {overall['n_rated']} criteria are rated "
            f"possibly critical or critical for {esc(name)}; the highest rating is "
            f"**{overall['rating']}**: " + "; ".join(parts) + "."
        )
    else:
        lines.append(
            f"**Summary.** None of the {overall['n_rated']} criteria rated is possibly critical "
            f"or critical for {esc(name)}."
        )
    if overall["n_not_computable"]:
        lines.append(
            f"{overall['n_not_computable']} criteria could not be rated: "
            + "; ".join(
                f"{esc(c['short'])} (missing {', '.join(c['missing'])})"
                for c in criteria
                if c["rating"] == cfg["ratings"]["not_computable"]
            )
            + "."
        )
    legal = by_id.get("JPN_3P_legal")
    emp = by_id.get("JPN_3P_empirical")
    if legal and emp:
        prim = next(i for i in emp["indicators"] if i["name"] == "ucdp_primary_any")
        lines.append(
            'Japan\'s Three Principles: the legal "party to a conflict" test (UN Security '
            "Council measures, curated flag) is "
            + ("**met**" if legal["value"] else "not met")
            + "; separately, the empirical flag finds the state a primary party to "
            + (
                f"{prim['value']} active UCDP armed conflict"
                + ("s" if prim["value"] != 1 else "")
                + f" in {prim['year']}"
                if prim["status"] in ("ok", "carried forward")
                else "an unknown number of conflicts (UCDP does not list it)"
            )
            + " — an analytic risk signal, not a legal finding."
        )
    eq = result["equipment"]
    scen = result["scenarios"]
    if not eq["categories"]:
        lines.append(
            f"No OSA equipment is recorded for {esc(name)} up to {values['as_of']}: equipment "
            "relevance and residual risk are not applicable; the scenario likelihoods are "
            "country context only."
        )
    else:
        levels = cfg["relevance"]["levels"]
        top_level = max(
            (s["equipment_relevance_overall"] for s in scen), key=levels.index, default=None
        )
        top = [s for s in scen if s["equipment_relevance_overall"] == top_level]
        top_text = "; ".join(
            f"{s['id']} {s['label'].lower()} ("
            + ", ".join(
                c.replace("_", " ") for c, v in s["equipment_relevance"].items() if v == top_level
            )
            + f"; {s['yardstick_36m']} over 36 months)"
            for s in top
        )
        res = overall["residual_highest"]
        conf = {s["id"]: s["confidence"] for s in scen}
        res_ids = ", ".join(
            f"{sid}, confidence {conf[sid]}" for sid in overall["residual_scenarios"]
        )
        n_proj = len(eq["projects"])
        lines.append(
            f"OSA equipment recorded ({n_proj} project{'s' if n_proj != 1 else ''}): "
            + ", ".join(c.replace("_", " ") for c in eq["categories"])
            + f". It is most relevant ({top_level}) to {top_text}. Highest residual risk after "
            f"controls: **{res}** ({res_ids})."
        )
    trig = [t for t in result["tripwires"] if t["status"] == "triggered"]
    nc = [t for t in result["tripwires"] if t["status"] == "not computable"]
    lines.append(
        "Trip-wires triggered: "
        + ("; ".join(esc(t["label"]) for t in trig) if trig else "none")
        + f" ({len(nc)} not computable)."
    )
    lines.append(
        f"Method `{esc(values['method_version'])}` (`data/risk/diversion.yaml`, sha256 "
        f"`{values['config_sha256'][:12] if values['config_sha256'] else 'n/a'}`)."
    )
    return lines


def _method_lines(result: dict, cfg: dict) -> list[str]:
    out_scope = "; ".join(
        f"{esc(c['label'].split(':')[0])} ({esc(c['reason'])})"
        for c in result["criteria_out_of_scope"]
    )
    qual = [s for s in result["scenarios"] if s["method"] == "qualitative"]
    return [
        "**Criterion matrix.** Ratings follow BICC's three steps (not critical, possibly "
        'critical, critical) from the thresholds in the config; a criterion is "not '
        'computable" when an indicator it needs is missing and no condition is met. The trend '
        f"applies the same rules to the data of {cfg['trend']['shift_years']} years earlier. "
        f"Out of scope: {out_scope}.",
        "**Scenario register.** Each likelihood range runs from the lowest to the highest "
        "probability of at least one event, P = 1 − exp(−λT) for rates (1 − (1 − p)^T for "
        "shares of years), over the country's own base rate and the pooled reference rates; "
        "the PHIA term names the middle of the range. Residual risk = likelihood score × "
        "equipment relevance, lowered where controls are judged effective. Confidence (L, M, "
        "H) follows the data-quality rule of the config: quantitative base rates start at H and "
        "lose a level for few events, old data or no reference rate; qualitative yardsticks "
        "are L. " + " ".join(f"{s['id']}: {esc(s['base_rate_missing_reason'])}" for s in qual),
    ]


def diversion_section(ctx: BriefContext) -> Section:
    """Build section 9: OSA misuse and diversion risk for the brief's country.

    Parameters
    ----------
    ctx : BriefContext
        The brief's parameters; every source read is recorded with ``ctx.use``. Works for any
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
        ``equipment`` and ``key_figures``.
    """
    from osa_analysis.analyse.diversion import SOURCES, assess, load_config, peer_matrix
    from osa_analysis.harmonise.incidents import GEOGRAPHY_SOURCE_IDS, INCIDENT_SOURCE_IDS

    cfg = load_config()
    sources = list(dict.fromkeys((*SOURCES, *INCIDENT_SOURCE_IDS, *GEOGRAPHY_SOURCE_IDS)))
    ctx.use(*sources)
    iso3 = ctx.country_iso3
    name = country_name(iso3)
    result = assess(iso3, ctx.as_of, projects=ctx.projects)
    peers = peer_matrix(ctx.all_countries, ctx.as_of)

    scenarios = []
    for s in result["scenarios"]:
        s = dict(s)
        s["equipment_relevance"] = {
            **s["equipment_relevance"],
            "overall": s.pop("equipment_relevance_overall"),
        }
        scenarios.append(s)
    o = result["overall"]
    overall = {
        "rating": o["highest_criterion_rating"],
        "criteria": o["criteria_at_highest"],
        "n_rated": o["n_rated"],
        "n_flagged": o["n_flagged"],
        "n_critical": o["n_critical"],
        "n_not_computable": o["n_not_computable"],
        "residual_highest": o["residual_highest"],
        "residual_scenarios": o["residual_scenarios"],
    }
    values = {
        "method_version": result["method_version"],
        "config_sha256": result["config_sha256"],
        "country": iso3,
        "as_of": result["as_of"],
        "criteria": result["criteria"],
        "criteria_out_of_scope": result["criteria_out_of_scope"],
        "scenarios": scenarios,
        "tripwires": result["tripwires"],
        "peers_matrix": peers,
        "overall_rating": overall,
        "equipment": result["equipment"],
        "trend_shift_years": cfg["trend"]["shift_years"],
    }
    values["key_figures"] = _key_figures(name, scenarios, overall, result["criteria"])

    markdown = [
        " ".join(_summary_lines(name, {**result, "scenarios": result["scenarios"]}, values, cfg))
    ]
    markdown += _method_lines(result, cfg)

    crit_rows = []
    for c in result["criteria"]:
        primary = next(i for i in c["indicators"] if i["name"] == c["primary"])
        crit_rows.append(
            {
                "criterion": c["label"],
                "framework": c["framework"],
                "indicators": "; ".join(i["label"] for i in c["indicators"]),
                "latest value": indicator_value_text(primary)
                + (f" ({primary['year']})" if primary.get("year") is not None else ""),
                "interval": _interval_text(primary, c["interval"]),
                "rating": c["rating"],
                "trend": _trend_text(c, values["trend_shift_years"]),
                "evidence": c["evidence"],
            }
        )
    scen_rows = []
    for s in scenarios:
        res = s["residual"]
        scen_rows.append(
            {
                "scenario": f"{s['id']} {s['label']}",
                "12 months": f"{s['yardstick_12m']} ({_pct_range(s['likelihood_12m'])})",
                "36 months": f"{s['yardstick_36m']} ({_pct_range(s['likelihood_36m'])})",
                "base rate": base_rate_text(s),
                "confidence": s["confidence"],
                "equipment relevance": _relevance_text(s["equipment_relevance"]),
                "controls": "; ".join(c["label"] for c in s["controls"]),
                "residual": res["class"]
                + (
                    f" (score {res['score']}; {res['class_before_controls']} before controls)"
                    if res["score"] is not None
                    else ""
                ),
            }
        )
    tw_rows = [
        {
            "trip-wire": t["label"],
            "status": t["status"],
            "data date": t["data_date"] or "–",
            "evidence": t["evidence"],
        }
        for t in result["tripwires"]
    ]
    crit_order = [{"id": c["id"], "short": c["short"]} for c in result["criteria"]]
    colors = dict(cfg["ratings"]["colors"])
    figures = [
        (
            "Criterion ratings of the country and its peers (heat strip; NC not critical, PC "
            "possibly critical, C critical, grey not computable).",
            heat_strip(peers, crit_order, colors, iso3),
        )
    ]
    tables = [
        (
            f"Criterion matrix for {name} (method {values['method_version']}); the value and "
            "interval are those of the criterion's primary indicator.",
            pd.DataFrame(crit_rows),
        ),
        (
            f"Misuse scenario register for {name}: likelihood (PHIA term and range), base rate, "
            "confidence, equipment relevance, controls and residual risk.",
            pd.DataFrame(scen_rows),
        ),
        (
            f"Trip-wires for {name}, each with the date of the last observation used.",
            pd.DataFrame(tw_rows),
        ),
    ]
    caveats = [
        'Ratings are indicator-based screens, not legal determinations. The legal "party to a '
        'conflict" flag is curated in the config; the UCDP flag is an analytic signal.',
        "Likelihoods are base rates of each scenario's precondition (an interstate conflict, a "
        "coup attempt, government killings of civilians), not observed misuse of OSA equipment.",
        "No re-export, stockpile or equipment-capture data are in the data mirror (the SIPRI "
        "Arms Transfers Database is not available): S4–S6 rest on stated qualitative "
        "yardsticks with low confidence.",
        "Data dates (last observation used, on or before the as-of date): "
        + "; ".join(
            f"{t['source']} {t['data_date']}" for t in result["tripwires"] if t["data_date"]
        )
        + ". Powell & Thyne coups end on "
        + cfg["data"]["coups_coverage_end"]
        + ": later attempts are not covered.",
        "The relevance matrix (scenario × equipment category) and the residual rule are "
        "judgements stated with their rationale in data/risk/diversion.yaml.",
    ]
    return Section(
        key=KEY,
        title=TITLE,
        markdown="\n\n".join(markdown),
        figures=figures,
        tables=tables,
        values=values,
        sources=sources,
        caveats=caveats,
    )
