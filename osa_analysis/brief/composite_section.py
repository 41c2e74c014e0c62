"""Brief section: the OSA Structural Security Risk Index (INFORM-consistent composite).

Shows the country's Monte Carlo median score with its 90% interval and class, the rank
interval among the brief's peers and among every country with data, the three dimensions,
the reliability (missing and stale indicators, with reasons), the trend against the same
method one year earlier, and what drives the uncertainty (first-order sensitivity).

Method and calibration: ``data/risk/composite.yaml`` via :mod:`osa_analysis.analyse.composite`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from osa_analysis.analyse.composite import (
    composite_scores,
    dimension_names,
    load_method,
    panel_source_ids,
    primary_indicators,
    trend_direction,
)
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.brief.style import ACCENT, COUNTRY_COLORS, NEUTRAL, figure
from osa_analysis.core.countries import country_name

KEY = "composite"
TITLE = "8. Structural risk composite"

CHOICE_LABELS = {
    "weights": "weights (Dirichlet)",
    "aggregation": "aggregation rule",
    "normalisation": "normalisation (goalposts vs z-scores)",
    "leave_one_out": "leaving one indicator out",
    "incident_denominator": "incident denominator (coast vs EEZ)",
    "interactions": "interactions between choices",
}
"""Plain labels of the Monte Carlo choices (keys of the method file's ``choices``)."""

CLASS_COLORS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")
"""Background bands of the five classes, very low to very high."""

DIRECTION_WORDS = {
    "up": "higher (riskier): the two 90% intervals do not overlap",
    "down": "lower (less risky): the two 90% intervals do not overlap",
    "flat": "no clear change: the two 90% intervals overlap",
}


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
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _raw_digits(value: float | None) -> int:
    if value is None:
        return 0
    a = abs(value)
    return 0 if a >= 100 else 1 if a >= 10 else 2 if a >= 0.1 or a == 0 else 3


def _indicator_values(res, iso3: str, method: dict) -> list[dict]:
    rows = res.indicators[res.indicators["country_iso3"] == iso3]
    order = list(method["indicators"])
    out = []
    for iid in order:
        r = rows[rows["indicator"] == iid]
        if r.empty:
            continue
        r = r.iloc[0]
        spec = method["indicators"][iid]
        raw = None if pd.isna(r["raw"]) else float(r["raw"])
        digits = _raw_digits(raw)
        out.append(
            {
                "id": iid,
                "label": spec["label"],
                "dimension": spec["dimension"],
                "unit": spec["unit"],
                "alternative_of": spec.get("alternative_of"),
                "raw": None if raw is None else round(raw, digits),
                "raw_digits": digits,
                "year": None if pd.isna(r["year"]) else int(r["year"]),
                "window_start": None if pd.isna(r["window_start"]) else int(r["window_start"]),
                "count": None if pd.isna(r["count"]) else float(r["count"]),
                "stale": bool(r["stale"]),
                "missing": bool(r["missing"]),
                "applicable": bool(r["applicable"]),
                "missing_reason": None if pd.isna(r["missing_reason"]) else r["missing_reason"],
                "latest_year": None if pd.isna(r["latest_year"]) else int(r["latest_year"]),
                "score_0_10": _r(r["score_0_10"], 1),
                "nominal_weight": _r(r["nominal_weight"], 4),
            }
        )
    return out


def _peer_values(res, dims: list[str]) -> dict:
    peers = {}
    for iso3, row in res.scores.iterrows():
        entry = {
            "median": _r(_get(row, "median")),
            "low": _r(_get(row, "low")),
            "high": _r(_get(row, "high")),
            "nominal": _r(_get(row, "nominal")),
            "rank_low": _get(row, "rank_low"),
            "rank_high": _get(row, "rank_high"),
            "global_rank_low": _get(row, "global_rank_low"),
            "global_rank_high": _get(row, "global_rank_high"),
            "class": _get(row, "class"),
            "reliability": _r(_get(row, "reliability"), 1),
            "missing_reason": _get(row, "missing_reason"),
            "dimensions": {
                d: {
                    "median": _r(_get(row, f"{d}_median")),
                    "low": _r(_get(row, f"{d}_low")),
                    "high": _r(_get(row, f"{d}_high")),
                }
                for d in dims
            },
        }
        for k in ("rank_low", "rank_high", "global_rank_low", "global_rank_high"):
            entry[k] = None if entry[k] is None else int(entry[k])
        peers[str(iso3)] = entry
    return peers


def _dot_whisker_figure(values: dict, method: dict, iso3: str):
    dims = list(values["dimensions"])
    panels = [("composite", "Composite")] + [(d, method["dimensions"][d]["label"]) for d in dims]
    peers = values["peers"]
    order = list(peers)
    fig, axes = figure(
        width=7.8, height=1.5 + 0.32 * len(order), nrows=1, ncols=len(panels), sharey=True
    )
    y = np.arange(len(order))[::-1]
    thresholds = values["class_thresholds"]
    edges = [0.0, *thresholds, 10.0]
    for ax, (key, label) in zip(np.asarray(axes).ravel(), panels, strict=True):
        if key == "composite":
            for k in range(len(edges) - 1):
                ax.axvspan(edges[k], edges[k + 1], color=CLASS_COLORS[k], alpha=0.18, lw=0)
        for yi, c in zip(y, order, strict=True):
            p = peers[c] if key == "composite" else peers[c]["dimensions"][key]
            color = COUNTRY_COLORS.get(c, ACCENT if c == iso3 else NEUTRAL)
            if p["median"] is None:
                ax.text(5, yi, "n/a", ha="center", va="center", fontsize=7, color=NEUTRAL)
                continue
            ax.plot([p["low"], p["high"]], [yi, yi], color=color, lw=2.2, alpha=0.55)
            ax.plot(p["median"], yi, "o", color=color, ms=6 if c == iso3 else 4.5)
        ax.set_xlim(0, 10)
        ax.set_title(label, fontsize=8)
        ax.set_xlabel("score (0–10)", fontsize=8)
    ax0 = np.asarray(axes).ravel()[0]
    ax0.set_yticks(y, [f"{c} ◀" if c == iso3 else c for c in order])
    handles = [
        Patch(color=CLASS_COLORS[k], alpha=0.35, label=lab)
        for k, lab in enumerate(values["class_labels"])
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=5, fontsize=7)
    fig.suptitle(
        "Structural security risk: Monte Carlo median and 90% interval (higher = riskier)",
        fontsize=10,
        fontweight="bold",
    )
    return fig


def _tornado_figure(values: dict, name: str):
    shares = {k: v for k, v in values["sensitivity"].items() if v is not None}
    items = sorted(shares.items(), key=lambda kv: kv[1])
    fig, ax = figure(width=7.0, height=0.6 + 0.38 * max(len(items), 1))
    if not items:
        ax.text(0.5, 0.5, "score does not vary across draws", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    labels = [CHOICE_LABELS.get(k, k) for k, _ in items]
    vals = [100 * v for _, v in items]
    colors = [NEUTRAL if k == "interactions" else "#2b6a99" for k, _ in items]
    ax.barh(np.arange(len(items)), vals, color=colors)
    ax.set_yticks(np.arange(len(items)), labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of the score's Monte Carlo variance (%)")
    ax.set_title(f"{name}: what drives the composite's uncertainty (first-order)", fontsize=9)
    return fig


def _indicator_table(indicators: list[dict], method: dict) -> pd.DataFrame:
    rows = []
    for ind in indicators:
        if ind["alternative_of"]:
            continue
        if ind["missing"]:
            kind = "missing" if ind["applicable"] else "not applicable"
            raw, year, note = "n/a", "n/a", f"{kind}: {ind['missing_reason']}"
        else:
            raw = fmt_num(ind["raw"], ind["raw_digits"])
            year = (
                f"{ind['window_start']}–{ind['year']}"
                if ind["window_start"] is not None
                else str(ind["year"])
            )
            note = (
                f"stale: carried forward from {ind['year']} (latest {ind['latest_year']})"
                if ind["stale"]
                else ""
            )
        rows.append(
            {
                "dimension": method["dimensions"][ind["dimension"]]["label"],
                "indicator": ind["label"],
                "raw value": raw,
                "unit": ind["unit"],
                "data year(s)": year,
                "score 0–10": fmt_num(ind["score_0_10"], 1),
                "note": note,
            }
        )
    return pd.DataFrame(rows)


def _peer_table(values: dict) -> pd.DataFrame:
    rows = []
    for iso3, p in values["peers"].items():
        rows.append(
            {
                "country": iso3,
                "median": fmt_num(p["median"], 2),
                "90% interval": (
                    f"{fmt_num(p['low'], 2)}–{fmt_num(p['high'], 2)}"
                    if p["low"] is not None
                    else "n/a"
                ),
                "class": p["class"] or "n/a",
                "peer rank": (
                    f"{p['rank_low']}–{p['rank_high']}" if p["rank_low"] is not None else "n/a"
                ),
                "global rank": (
                    f"{p['global_rank_low']}–{p['global_rank_high']}"
                    if p["global_rank_low"] is not None
                    else "n/a"
                ),
                "reliability": fmt_num(p["reliability"], 1),
            }
        )
    return pd.DataFrame(rows)


def _key_figure(values: dict, name: str) -> dict:
    s = values["score"]
    t = values["trend"]
    if t["direction"] is None:
        change_text = None
    else:
        change_text = (
            f"{t['direction']} against {fmt_num(t['previous_median'], 2)} at {t['previous_as_of']}"
        )
    sentence = (
        f"On the project's structural security-risk composite (0–10, higher = riskier), "
        f"{name} scores {fmt_num(s['median'], 1)} (90% range {fmt_num(s['low'], 1)}–"
        f"{fmt_num(s['high'], 1)} across method choices), in the '{values['class']}' class; it "
        f"ranks {values['rank_interval'][0]}–{values['rank_interval'][1]} of the "
        f"{values['rank_of']} countries compared and {values['global_rank_interval'][0]}–"
        f"{values['global_rank_interval'][1]} of {values['global_rank_of']} worldwide."
    )
    return {
        "id": "structural_risk_composite",
        "label": f"Structural security risk composite ({values['method_version']})",
        "value": s["median"],
        "unit": "score 0–10 (higher = riskier)",
        "interval": [s["low"], s["high"]],
        "interval_kind": f"Monte Carlo {values['interval_pct']}% ({values['mc_draws']} draws "
        "over method choices)",
        "change": t["change"],
        "change_text": change_text,
        "significant": None if t["direction"] is None else t["direction"] != "flat",
        "class": values["class"],
        "sentence": sentence,
    }


def _missing_section(ctx: BriefContext, method: dict, reason: str, values: dict) -> Section:
    name = country_name(ctx.country_iso3)
    values.update(
        {
            "score": None,
            "nominal": None,
            "class": None,
            "rank_interval": None,
            "rank_of": None,
            "global_rank_interval": None,
            "global_rank_of": None,
            "reliability": None,
            "dimensions": None,
            "peers": None,
            "sensitivity": None,
            "trend": None,
            "missing_reason": reason,
            "key_figures": [],
        }
    )
    return Section(
        key=KEY,
        title=TITLE,
        markdown=(
            f"No structural risk composite can be computed for {esc(name)} (method "
            f"{esc(method['method_version'])}): {esc(reason)}."
        ),
        values=values,
        sources=panel_source_ids(method),
        caveats=[],
    )


def composite_section(ctx: BriefContext, mc_draws: int | None = None) -> Section:
    """Build the structural risk composite section for the brief's country and its peers.

    Parameters
    ----------
    ctx : BriefContext
        The brief's parameters; the composite is computed at ``ctx.as_of`` (and one year
        earlier for the trend) for ``ctx.all_countries`` and every country with data.
    mc_draws : int, optional
        Monte Carlo draws; default the method file's ``monte_carlo.default_draws``
        (1000). The seed comes from the method file, so reruns are identical.

    Returns
    -------
    Section
        Key ``"composite"``. ``values``: ``method_version``, ``score`` (median, low,
        high), ``nominal``, ``class``, ``rank_interval`` and ``rank_of`` (among
        ``ctx.all_countries``), ``global_rank_interval`` and ``global_rank_of``,
        ``reliability``, ``dimensions``, ``indicators``, ``peers``, ``sensitivity``,
        ``trend``, ``key_figures`` and the method's settings shown in the text.
    """
    method = load_method()
    ids = panel_source_ids(method)
    ctx.use(*ids)
    iso3 = ctx.country_iso3
    name = country_name(iso3)
    dims = dimension_names(method)
    mcfg = method["monte_carlo"]
    lo_p, hi_p = mcfg["interval_percentiles"]
    countries = list(ctx.all_countries)
    mc_draws = ctx.mc_draws if mc_draws is None else mc_draws
    res = composite_scores(countries, ctx.as_of, mc_draws=mc_draws)
    prev_as_of = ctx.as_of - pd.DateOffset(years=int(method["trend"]["offset_years"]))
    prev = composite_scores(countries, prev_as_of, mc_draws=mc_draws)
    calib = method["calibration"]
    base = {
        "method_version": method["method_version"],
        "method_file": "data/risk/composite.yaml",
        "config_sha256": method["config_sha256"],
        "country": iso3,
        "as_of": ctx.as_of.strftime("%Y-%m-%d"),
        "reference_year": int(method["reference_year"]),
        "scale": list(method["scale"]),
        "mc_draws": res.mc_draws,
        "seed": res.seed,
        "interval_pct": int(hi_p - lo_p),
        "interval_percentiles": [lo_p, hi_p],
        "goalpost_percentiles": [
            method["goalposts"]["lower_percentile"],
            method["goalposts"]["upper_percentile"],
        ],
        "geometric_offset": float(method["aggregation"]["geometric_offset"]),
        "class_labels": list(method["classes"]["labels"]),
        "class_thresholds": [round(t, 2) for t in calib["class_thresholds"]],
        "n_indicators": len(primary_indicators(method)),
        "rank_convention": "rank 1 = highest risk",
    }
    row = res.scores.loc[iso3]
    if _get(row, "median") is None:
        base["indicators"] = _indicator_values(res, iso3, method)
        return _missing_section(ctx, method, str(_get(row, "missing_reason")), base)

    peers = _peer_values(res, dims)
    prev_row = prev.scores.loc[iso3]
    cur = {"median": _r(row["median"]), "low": _r(row["low"]), "high": _r(row["high"])}
    before = {
        "median": _r(_get(prev_row, "median")),
        "low": _r(_get(prev_row, "low")),
        "high": _r(_get(prev_row, "high")),
    }
    direction = trend_direction(cur, before)
    trend = {
        "previous_as_of": prev_as_of.strftime("%Y-%m-%d"),
        "previous_median": before["median"],
        "previous_low": before["low"],
        "previous_high": before["high"],
        "previous_class": _get(prev_row, "class"),
        "direction": direction,
        "change": None if before["median"] is None else _r(cur["median"] - before["median"]),
    }
    sens_row = res.sensitivity.loc[iso3]
    sensitivity = {k: (None if pd.isna(v) else round(float(v), 3)) for k, v in sens_row.items()}
    indicators = _indicator_values(res, iso3, method)
    values = {
        **base,
        "score": cur,
        "nominal": _r(row["nominal"]),
        "class": row["class"],
        "class_interval": [row["class_low"], row["class_high"]],
        "rank_interval": [int(row["rank_low"]), int(row["rank_high"])],
        "rank_of": int(row["rank_of"]),
        "global_rank_interval": [int(row["global_rank_low"]), int(row["global_rank_high"])],
        "global_rank_of": int(row["global_rank_of"]),
        "reliability": _r(row["reliability"], 1),
        "w_missing": _r(row["w_missing"], 3),
        "w_stale": _r(row["w_stale"], 3),
        "dimensions": {
            d: {
                "label": method["dimensions"][d]["label"],
                "median": _r(row[f"{d}_median"]),
                "low": _r(row[f"{d}_low"]),
                "high": _r(row[f"{d}_high"]),
                "nominal": _r(row[f"{d}_nominal"]),
            }
            for d in dims
        },
        "indicators": indicators,
        "peers": peers,
        "peers_without_composite": {
            c: p["missing_reason"] for c, p in peers.items() if p["median"] is None
        },
        "sensitivity": sensitivity,
        "trend": trend,
    }
    values["key_figures"] = [_key_figure(values, name)]

    # ---- text
    s = values["score"]
    n_ind = values["n_indicators"]
    lines = [
        f"**Method {esc(values['method_version'])}** (`{values['method_file']}`): "
        f"{n_ind} indicators in three dimensions (threat, fragility, lack of control "
        f"capacity), each rescaled to 0–10 against fixed goalposts (the "
        f"{values['goalpost_percentiles'][0]}th and {values['goalpost_percentiles'][1]}th "
        f"percentiles of the {values['reference_year']} global distribution; higher = "
        "riskier), averaged inside each dimension and combined across dimensions by a "
        f"geometric mean (shifted by {fmt_num(values['geometric_offset'], 0)}, see the "
        f"caveats). The uncertainty comes from {fmt_num(values['mc_draws'])} Monte Carlo draws "
        "(seeded) over the weights, the aggregation rule, the normalisation, leaving one "
        "indicator out and the incident-rate denominator.",
        f"**{esc(name)} scores {fmt_num(s['median'], 2)}** on the 0–10 scale "
        f"({values['interval_pct']}% interval {fmt_num(s['low'], 2)}–{fmt_num(s['high'], 2)}; "
        f"nominal method {fmt_num(values['nominal'], 2)}), in the **{esc(values['class'])}** "
        f"class (fixed thresholds "
        + ", ".join(fmt_num(t, 2) for t in values["class_thresholds"])
        + f", set on {values['reference_year']}); across the interval the class ranges from "
        f"{esc(values['class_interval'][0])} to {esc(values['class_interval'][1])}. It ranks "
        f"{values['rank_interval'][0]}–{values['rank_interval'][1]} of the "
        f"{values['rank_of']} countries compared here and "
        f"{values['global_rank_interval'][0]}–{values['global_rank_interval'][1]} of "
        f"{values['global_rank_of']} countries with data (1 = highest risk).",
        "Dimensions (median and 90% interval): "
        + "; ".join(
            f"{esc(v['label'].lower())} {fmt_num(v['median'], 2)} "
            f"({fmt_num(v['low'], 2)}–{fmt_num(v['high'], 2)})"
            for v in values["dimensions"].values()
        )
        + ".",
    ]
    primary = [i for i in indicators if not i["alternative_of"]]
    missing = [i for i in primary if i["missing"] and i["applicable"]]
    stale = [i for i in primary if i["stale"]]
    not_applicable = [i for i in primary if not i["applicable"]]
    rel = f"**Reliability {fmt_num(values['reliability'], 1)}/10**"
    if not missing and not stale:
        n_ok = len(primary) - len(not_applicable)
        rel += f": all {n_ok} applicable indicators are available and current."
    else:
        parts = []
        if missing:
            parts.append(
                "missing: "
                + "; ".join(f"{esc(i['label'])} ({esc(i['missing_reason'])})" for i in missing)
            )
        if stale:
            parts.append(
                "stale (carried forward): "
                + "; ".join(
                    f"{esc(i['label'])} from {i['year']} (latest {i['latest_year']})" for i in stale
                )
            )
        rel += (
            ": "
            + "; ".join(parts)
            + ". The dimension scores use the indicators available; nothing is imputed."
        )
    if not_applicable:
        rel += (
            " Not applicable (left out, not counted as missing): "
            + "; ".join(f"{esc(i['label'])} ({esc(i['missing_reason'])})" for i in not_applicable)
            + "."
        )
    lines.append(rel)
    if direction is not None:
        lines.append(
            f"**Trend.** With the same method at {trend['previous_as_of']} the score was "
            f"{fmt_num(trend['previous_median'], 2)} ({fmt_num(trend['previous_low'], 2)}–"
            f"{fmt_num(trend['previous_high'], 2)}): {DIRECTION_WORDS[direction]}."
        )
    shares = sorted(
        ((k, v) for k, v in sensitivity.items() if v is not None and k != "interactions"),
        key=lambda kv: -kv[1],
    )
    if shares:
        lines.append(
            "**What drives the uncertainty** (first-order share of the variance): "
            + "; ".join(f"{CHOICE_LABELS.get(k, k)} {fmt_num(100 * v, 0)}%" for k, v in shares)
            + (
                f"; interactions {fmt_num(100 * sensitivity['interactions'], 0)}%."
                if sensitivity.get("interactions") is not None
                else "."
            )
        )
    if values["peers_without_composite"]:
        lines.append(
            "No composite for: "
            + "; ".join(f"{c} ({esc(r)})" for c, r in values["peers_without_composite"].items())
            + "."
        )

    figures = [
        (
            f"Structural risk composite and its three dimensions for {name} and its peers: "
            f"Monte Carlo median (dot) and {values['interval_pct']}% interval (line); "
            "background of the composite panel: the five classes.",
            _dot_whisker_figure(values, method, iso3),
        ),
        (
            f"First-order sensitivity of {_possessive(name)} composite: share of the Monte "
            "Carlo variance explained by each method choice alone.",
            _tornado_figure(values, name),
        ),
    ]
    tables = [
        (
            f"Indicators of {name} (method {values['method_version']}): raw value, data "
            "year(s), 0–10 score (nominal goalposts; higher = riskier).",
            _indicator_table(indicators, method),
        ),
        (
            f"Composite of each country compared ({values['interval_pct']}% intervals; ranks: "
            "1 = highest risk).",
            _peer_table(values),
        ),
    ]
    caveats = [
        "The interval reflects method choices only (weights, aggregation, normalisation, "
        "indicator set, denominator), not the sources' own uncertainty (WGI margins, V-Dem "
        "intervals, under-reporting of incidents).",
        f"The geometric mean is shifted by {fmt_num(values['geometric_offset'], 0)} point "
        "(a documented deviation from INFORM): most countries record no incidents and no "
        "armed conflict, and a plain geometric mean would give them all a composite of 0 "
        "whatever their fragility and capacity.",
        "Incident counts depend on which reporting channels existed each year (the IMB "
        "series, NGA ASAM and the ReCAAP/IMB live feed cover different periods): rates are "
        "comparable across countries in one window, less so across windows. Gray-zone events "
        "cover the South China Sea only.",
        "Coastline and EEZ are approximations from Natural Earth 1:50m; military spending is "
        "read as capacity (low spending = riskier), a choice stated in the method file.",
        "A structural score, not a forecast: it summarises conditions, not the likelihood of "
        "a specific misuse of OSA equipment.",
    ]
    return Section(
        key=KEY,
        title=TITLE,
        markdown="\n\n".join(lines),
        figures=figures,
        tables=tables,
        values=values,
        sources=ids,
        caveats=caveats,
    )
