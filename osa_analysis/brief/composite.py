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

import numpy as np
import pandas as pd

from osa_analysis.analyse.composite import (
    CompositeMethod,
    CompositeResult,
    class_of,
    composite_scores,
    dimension_names,
    load_method,
    paired_trend,
    panel_source_ids,
    previous_scores,
    primary_indicators,
)
from osa_analysis.analyse.composite.reasons import LIST_SEPARATOR as REASON_LIST_SEPARATOR
from osa_analysis.analyse.composite.reasons import parse_reason
from osa_analysis.analyse.composite.uncertainty import data_settings
from osa_analysis.brief import registry
from osa_analysis.brief.composite_figures import choice_label, dot_whisker_figure, tornado_figure
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.numbers import date_text
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.core.countries import country_name
from osa_analysis.core.i18n import N_, _, language, tr

KEY = "composite"

METHOD_FILE = "data/risk/composite.yaml"
"""The method file as the brief names it."""

DATA_MESSAGES = (
    ("data/risk/composite.yaml", "dimensions.*.label"),
    ("data/risk/composite.yaml", "indicators.*.label"),
    ("data/risk/composite.yaml", "indicators.*.short"),
    ("data/risk/composite.yaml", "indicators.*.unit"),
    ("data/risk/composite.yaml", "classes.labels[]"),
)
"""Texts of the method file the section shows (through ``tr``)."""

TREND_SHORT = {"up": N_("up"), "down": N_("down"), "flat": N_("flat")}
"""The trend's direction as the key-figures table names it."""
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


def _r(value, digits: int = 2):
    """Round a number for values (None stays None)."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    return round(float(value), digits)


def _get(row: pd.Series, key: str):
    value = row.get(key) if key in row.index else None
    if value is None:
        return None
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _possessive(name: str) -> str:
    """Return a country's name as owner ("Fiji's", "Philippines'"; "Fijiの" in Japanese)."""
    if language() == "ja":
        return f"{name}の"
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _raw_digits(value: float | None) -> int:
    if value is None:
        return 0
    a = abs(value)
    return 0 if a >= 100 else 1 if a >= 10 else 2 if a >= 0.1 or a == 0 else 3


def _opt_int(value) -> int | None:
    return None if pd.isna(value) else int(value)


# --------------------------------------------------------------------------- values


def _indicator_values(res: CompositeResult, iso3: str, method: CompositeMethod) -> list[dict]:
    rows = res.indicators[res.indicators["country_iso3"] == iso3]
    out = []
    for iid, spec in method["indicators"].items():
        r = rows[rows["indicator"] == iid]
        if r.empty:
            continue
        r = r.iloc[0]
        raw = None if pd.isna(r["raw"]) else float(r["raw"])
        digits = _raw_digits(raw)
        out.append(
            {
                "id": iid,
                "label": spec["label"],
                "short": spec.get("short", spec["label"]),
                "dimension": spec["dimension"],
                "unit": spec["unit"],
                "alternative_of": spec.get("alternative_of"),
                "raw": None if raw is None else round(raw, digits),
                "raw_digits": digits,
                "year": _opt_int(r["year"]),
                "window_start": _opt_int(r["window_start"]),
                "count": None if pd.isna(r["count"]) else float(r["count"]),
                "stale": bool(r["stale"]),
                "expected_year": _opt_int(r["expected_year"]),
                "carried_forward": bool(r["carried_forward"]),
                "missing": bool(r["missing"]),
                "applicable": bool(r["applicable"]),
                "missing_reason": None if pd.isna(r["missing_reason"]) else r["missing_reason"],
                "latest_year": _opt_int(r["latest_year"]),
                "score_0_10": _r(r["score_0_10"], 1),
                "nominal_weight": _r(r["nominal_weight"], 4),
            }
        )
    return out


def _method_range(row: pd.Series, prefix: str = "") -> dict:
    """``method_median``, ``method_low`` and ``method_high`` of a row (rounded, or None)."""
    keys = ("method_median", "method_low", "method_high")
    return {k: _r(_get(row, f"{prefix}{k}")) for k in keys}


def _peer_values(res: CompositeResult, dims: list[str]) -> dict:
    peers = {}
    for iso3, row in res.scores.iterrows():
        entry = {
            "score": _r(_get(row, "nominal")),
            "low": _r(_get(row, "low")),
            "high": _r(_get(row, "high")),
            "class": _get(row, "class"),
            "rank": _opt_int(_get(row, "rank")),
            "global_rank": _opt_int(_get(row, "global_rank")),
            **_method_range(row),
            "reliability": _r(_get(row, "reliability"), 1),
            "missing_reason": _get(row, "missing_reason"),
            "dimensions": {
                d: {
                    "score": _r(_get(row, f"{d}_nominal")),
                    "low": _r(_get(row, f"{d}_low")),
                    "high": _r(_get(row, f"{d}_high")),
                    **_method_range(row, f"{d}_"),
                }
                for d in dims
            },
        }
        if _get(row, "missing_reason") is not None:
            entry["score"] = None
        peers[str(iso3)] = entry
    return peers


def _base_values(method: CompositeMethod, res: CompositeResult, ctx: BriefContext) -> dict:
    """Return the method's settings shown in the text (every brief has them)."""
    lo_p, hi_p = method["monte_carlo"]["interval_percentiles"]
    return {
        "method_version": method["method_version"],
        "method_file": METHOD_FILE,
        "config_sha256": method.config_sha256,
        "country": ctx.country_iso3,
        "as_of": ctx.scope.as_of_text,
        "reference_year": int(method["reference_year"]),
        "scale": list(method["scale"]),
        "mc_draws": res.mc_draws,
        "seed": res.seed,
        "interval_pct": int(hi_p - lo_p),
        "interval_percentiles": [lo_p, hi_p],
        "data_interval_percentiles": list(data_settings(method)[1]),
        "data_seed": data_settings(method)[0],
        "goalpost_percentiles": [
            method["goalposts"]["lower_percentile"],
            method["goalposts"]["upper_percentile"],
        ],
        "geometric_offset": float(method["aggregation"]["geometric_offset"]),
        "class_labels": list(method["classes"]["labels"]),
        "class_thresholds": [round(t, 2) for t in method.class_thresholds],
        "class_rule": "INFORM's fixed edges; a score equal to an edge takes the higher class",
        "n_indicators": len(primary_indicators(method)),
        "rank_convention": "rank 1 = highest risk",
    }


def _trend_values(res: CompositeResult, prev: CompositeResult, iso3: str, lo_hi) -> dict:
    """Return the score one trend offset earlier and the direction of the change.

    The direction comes from the paired difference of the two dates' data draws (draw by
    draw: a value used at both dates draws the same numbers), as shown (two decimals), so
    the words agree with the numbers next to them.
    """
    prev_row = prev.scores.loc[iso3]
    j, jp = list(res.scores.index).index(iso3), list(prev.scores.index).index(iso3)
    before, now = _r(_get(prev_row, "nominal")), _r(res.scores.loc[iso3, "nominal"])
    if _get(prev_row, "missing_reason") is not None:
        before = None
    paired = paired_trend(res.data_draws[:, j], prev.data_draws[:, jp], lo_hi)
    return {
        "previous_as_of": prev.as_of.strftime("%Y-%m-%d"),
        "previous_score": before,
        "previous_class": _get(prev_row, "class") if before is not None else None,
        "change": None if before is None else _r(now - before),
        **paired,
    }


def _score_values(
    base: dict, res: CompositeResult, prev: CompositeResult, method: CompositeMethod
) -> dict:
    """Every value of a country with a composite."""
    iso3 = base["country"]
    row = res.scores.loc[iso3]
    dims = dimension_names(method)
    peers = _peer_values(res, dims)
    sensitivity = {
        k: (None if pd.isna(v) else round(float(v), 3))
        for k, v in res.sensitivity.loc[iso3].items()
    }
    return {
        **base,
        "score": _r(row["nominal"]),
        "class": row["class"],
        "interval": {
            "low": _r(row["low"]),
            "high": _r(row["high"]),
            "percentiles": list(base["data_interval_percentiles"]),
            "class_low": row["class_low"],
            "class_high": row["class_high"],
            "kind": "uncertainty of the data (nominal method over draws of the inputs)",
        },
        "rank": int(row["rank"]),
        "rank_of": int(row["rank_of"]),
        "global_rank": int(row["global_rank"]),
        "global_rank_of": int(row["global_rank_of"]),
        "method_range": {
            **_method_range(row),
            "class_low": row["method_class_low"],
            "class_high": row["method_class_high"],
            "rank_low": int(row["method_rank_low"]),
            "rank_high": int(row["method_rank_high"]),
            "global_rank_low": int(row["global_method_rank_low"]),
            "global_rank_high": int(row["global_method_rank_high"]),
            "drivers": sensitivity,
        },
        "reliability": _r(row["reliability"], 1),
        "w_missing": _r(row["w_missing"], 3),
        "w_stale": _r(row["w_stale"], 3),
        "dimensions": {
            d: {
                "label": method["dimensions"][d]["label"],
                "score": _r(row[f"{d}_nominal"]),
                "class": class_of(row[f"{d}_nominal"], method),
                "low": _r(_get(row, f"{d}_low")),
                "high": _r(_get(row, f"{d}_high")),
                **_method_range(row, f"{d}_"),
            }
            for d in dims
        },
        "indicators": _indicator_values(res, iso3, method),
        "peers": peers,
        "peers_without_composite": {
            c: p["missing_reason"] for c, p in peers.items() if p["missing_reason"] is not None
        },
        "trend": _trend_values(res, prev, iso3, base["interval_percentiles"]),
    }


def _key_figure(values: dict, name: str) -> dict:
    t, m = values["trend"], values["method_range"]
    if t["direction"] is None:
        change_text = None
    else:
        change_text = _("{direction} against {score} at {date}").format(
            direction=_(TREND_SHORT.get(t["direction"], t["direction"])),
            score=fmt_num(t["previous_score"], 2),
            date=date_text(t["previous_as_of"]),
        )
    iv = values["interval"]
    pct = _pct(iv)
    sentence = (
        f"On the project's structural security-risk composite (0–10, higher = riskier), "
        f"{name} scores {fmt_num(values['score'], 1)} ({pct}% interval "
        f"{fmt_num(iv['low'], 1)}–{fmt_num(iv['high'], 1)} from the data's uncertainty), in "
        f"the '{values['class']}' class; it ranks {values['rank']} of the "
        f"{values['rank_of']} countries compared and {values['global_rank']} of "
        f"{values['global_rank_of']} worldwide (method range {fmt_num(m['method_low'], 1)}–"
        f"{fmt_num(m['method_high'], 1)} across method choices)."
    )
    return {
        "id": "structural_risk_composite",
        "label": _("Structural security risk composite ({version})").format(
            version=values["method_version"]
        ),
        "value": values["score"],
        "unit": _("score 0–10 (higher = riskier)"),
        "interval": [iv["low"], iv["high"]],
        "interval_kind": _(
            "{pct}% interval from the data's uncertainty ({draws} draws of the inputs, "
            "nominal method)"
        ).format(pct=pct, draws=values["mc_draws"]),
        "method_range": [m["method_low"], m["method_high"]],
        "change": t["change"],
        "change_text": change_text,
        "significant": None if t["direction"] is None else t["direction"] != "flat",
        "class": values["class"],
        "sentence": sentence,
    }


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


def _pct(interval: dict) -> int:
    return int(interval["percentiles"][1] - interval["percentiles"][0])


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
    composite_scores(ctx.scope, ctx.tables, mc_draws=ctx.mc_draws, method=method)
    previous_scores(ctx.scope, ctx.tables, mc_draws=ctx.mc_draws, method=method)


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
    res = composite_scores(ctx.scope, ctx.tables, mc_draws=ctx.mc_draws, method=method)
    prev = previous_scores(ctx.scope, ctx.tables, mc_draws=ctx.mc_draws, method=method)
    base = _base_values(method, res, ctx)
    row = res.scores.loc[ctx.country_iso3]
    if _get(row, "missing_reason") is not None or _get(row, "nominal") is None:
        base["indicators"] = _indicator_values(res, ctx.country_iso3, method)
        return _missing_section(method, name, str(_get(row, "missing_reason")), base)
    values = _score_values(base, res, prev, method)
    values["key_figures"] = [_key_figure(values, name)]
    return _scored_section(values, method, name)
