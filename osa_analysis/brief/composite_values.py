"""Values of the composite section: every number it shows, and its key figure.

Read from :func:`osa_analysis.analyse.composite.composite_scores` (and the scores of the brief
before); ``summary.json`` holds them under ``composite``. Split from
:mod:`osa_analysis.brief.composite`, which words and assembles the section.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from osa_analysis.analyse.composite import (
    CompositeMethod,
    CompositeResult,
    class_of,
    dimension_names,
    paired_trend,
    primary_indicators,
)
from osa_analysis.analyse.composite.uncertainty import data_settings
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.numbers import date_text
from osa_analysis.brief.section import fmt_num
from osa_analysis.core.i18n import N_, _, language

METHOD_FILE = "data/risk/composite.yaml"
"""The method file as the brief names it."""
TREND_SHORT = {"up": N_("up"), "down": N_("down"), "flat": N_("flat")}
"""The trend's direction as the key-figures table names it."""


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


def _pct(interval: dict) -> int:
    """Return the width of an interval in percent (5th to 95th percentile: 90)."""
    return int(interval["percentiles"][1] - interval["percentiles"][0])
