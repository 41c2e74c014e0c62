"""How the brief's kinds of judgement have scored: the track-record paragraph and figures.

Presentation only: the scores come from :func:`osa_analysis.analyse.backtest.track_record`
(the rolling-origin backtest of ``data/risk/backtest.yaml``); the same reliability figure
is drawn in every brief and on ``reports/backtest/index.html``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from osa_analysis.brief.section import esc
from osa_analysis.brief.style import ACCENT, NEUTRAL, figure

MODEL_COLORS = {"base_rate": ACCENT, "logistic": "#1f77b4"}


def _signed(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:+.{digits}f}"


def _num(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _interval(iv: list[float] | None, level: float, digits: int = 2) -> str:
    if not iv:
        return ""
    return f" ({100 * level:.0f}% {iv[0]:+.{digits}f} to {iv[1]:+.{digits}f})"


def horizon(kind: Mapping[str, Any], months: int) -> Mapping[str, Any] | None:
    """Return the scores of one horizon of a kind (None when absent)."""
    return next((h for h in kind["horizons"] if h["horizon_months"] == months), None)


def missed_targets(
    h: Mapping[str, Any], targets: Mapping[str, Any], scores: Mapping[str, Any]
) -> list[str]:
    """Return the method file's targets a horizon's selected model misses, in words.

    ``scores`` are the model's (a value is given to three decimals where the sentence
    rounds it to two, so a slope of 0.798 is not shown as a 0.80 that misses [0.8, 1.2]).
    """
    t = h["targets"]
    lo, hi = targets["calibration_slope"]
    slope = scores.get("calibration_slope")
    names = {
        "bss_climatology": "skill over climatology",
        "calibration_slope": f"calibration slope in [{lo:g}, {hi:g}] ({_num(slope, 3)})",
        "auc": "the AUC target",
    }
    return [names[k] for k in ("bss_climatology", "calibration_slope", "auc") if t.get(k) is False]


def other_model(selected: str) -> str:
    """Return the model a kind's briefs do not use (the challenger or the base rate)."""
    return "logistic" if selected == "base_rate" else "base_rate"


def _lead_phrase(years: int) -> str:
    return f"data ending {years} year{'s' if years != 1 else ''} before the window"


def _scores_text(m: Mapping[str, Any], level: float) -> str:
    skill = _signed(m["bss_climatology"]) + _interval(m["bss_climatology_interval"], level)
    return (
        f"Brier skill over climatology {skill}, AUC {_num(m['auc'])}, calibration slope "
        f"{_num(m['calibration_slope'])}"
    )


def kind_sentence(kind: Mapping[str, Any], scores: Mapping[str, Any], months: int = 12) -> str:
    """Return how a kind's judgement (selected model) has scored at a horizon.

    The headline is the score of the forecasts made as this brief makes its own, with the
    data ending as long before the window (``at_lead``), and the targets that one misses;
    the score with the origin year's own data and the other model's follow.
    """
    h = horizon(kind, months)
    label = f"{esc(kind['id'])} {esc(kind['short'].lower())}, {months} months"
    if h is None or not h["n"]:
        return f"{label}: not scored (no resolved forecasts)."
    sel = kind["selected_model"]
    other = other_model(sel)
    who = "logistic challenger" if other == "logistic" else "own base rate"
    level = float(scores["interval_level"])
    lead = h.get("at_lead")
    if lead and lead["n"]:
        lo, hi = lead["origins"]
        text = (
            f"{label}, made as this brief makes it ({_lead_phrase(lead['lead_years'])}): "
            f"{_scores_text(lead['models'][sel], level)}, on {lead['n']:,} forecasts from "
            f"{lo}–{hi} ({lead['events']} events)"
        )
        at = lead["models"][sel]
        applies = lead["targets"].get("applies")
        missed = missed_targets(lead, scores["targets"], at) if applies else []
        if missed:
            text += f"; misses {', '.join(missed)}"
        now = h["models"][sel]
        text += (
            f"; with the origin year's own data: skill {_signed(now['bss_climatology'])}, AUC "
            f"{_num(now['auc'])}, slope {_num(now['calibration_slope'])}"
        )
        alt, better = lead["models"][other], lead["better_model"]
    else:
        lo, hi = h["origins"]
        text = (
            f"{label}: {_scores_text(h['models'][sel], level)}, on {h['n']:,} forecasts from "
            f"{lo}–{hi} ({h['events']} events)"
        )
        applies = h["targets"].get("applies")
        missed = missed_targets(h, scores["targets"], h["models"][sel]) if applies else []
        if missed:
            text += f"; misses {', '.join(missed)}"
        alt, better = h["models"][other], h["better_model"]
    verb = "scored better" if better == other else "scored worse"
    text += f". The {who} {verb} (skill {_signed(alt['bss_climatology'])}, AUC {_num(alt['auc'])})"
    return text + "."


def country_sentence(name: str, kind: Mapping[str, Any], summary: Mapping[str, Any]) -> str:
    """Return a sentence: the country's own 12-month forecasts of a kind against what happened.

    ``summary`` is :func:`osa_analysis.analyse.backtest.record_summary` of its record (the
    forecasts made at the brief's lead).
    """
    if not summary["n"]:
        return f"{esc(kind['id'])}: no resolved forecasts for {esc(name)}."
    years = summary["event_years"] or []
    happened = (
        "no event followed any of them"
        if not years
        else f"events followed in {', '.join(str(y) for y in years)}"
    )
    return (
        f"{esc(kind['id'])}: {summary['n']} yearly forecasts for {esc(name)} "
        f"({summary['first']}–{summary['last']}, each made at this brief's lead) averaged "
        f"{100 * summary['mean_probability']:.1f}% against a climatology of "
        f"{100 * summary['mean_climatology']:.1f}%; {happened}."
    )


def track_record_markdown(
    name: str, scores: Mapping[str, Any], summaries: Mapping[str, Mapping[str, Any]]
) -> str:
    """Return the **Track record.** paragraph (every kind, 12 months; the country's own).

    ``summaries``: per kind id, :func:`osa_analysis.analyse.backtest.record_summary` of the
    country's 12-month record.
    """
    kinds = scores["kinds"]
    parts = [kind_sentence(k, scores) for k in kinds]
    own = [country_sentence(name, k, summaries[k["id"]]) for k in kinds if k["id"] in summaries]
    lo, hi = scores["origins"]
    return (
        "**Track record.** Each kind of judgement above was recomputed as the brief computes "
        f"it at the end of every year from {lo} to {hi}, for every state, from the data known "
        "then, and scored against what the resolution source later recorded (a Brier skill "
        "over climatology above zero beats the global base rate; an AUC of one half is "
        "chance; a calibration slope of one is calibrated). "
        + " ".join(parts)
        + " "
        + " ".join(own)
        + " "
        + esc(scores["look_ahead"])
    )


def track_record_lead(scores: Mapping[str, Any]) -> str:
    """Return the short **Track record.** lead of the section (the table follows it)."""
    lo, hi = scores["origins"]
    return (
        "**Track record.** Each kind of judgement was recomputed at the end of every year from "
        f"{lo} to {hi}, for every state, as this brief makes it, and scored against what "
        "happened (table below). A Brier skill above zero beats the global base rate; an AUC of "
        "0.5 is chance; a calibration slope of 1 is calibrated."
    )


def track_record_table(
    name: str, scores: Mapping[str, Any], summaries: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame:
    """Tabulate how each kind's 12-month judgement scored, made as this brief makes it.

    One row per kind: the forecasts scored (events), Brier skill over climatology with its
    interval, AUC and calibration slope of the selected model at the brief's lead (the
    origin year's own data when no lead is scored), the method file's targets missed, and
    the country's own record (``summaries`` as in :func:`track_record_markdown`).
    """
    level = float(scores["interval_level"])
    rows = []
    for kind in scores["kinds"]:
        h = horizon(kind, 12)
        row: dict[str, Any] = {"judgement (12 months)": f"{kind['id']} {kind['short'].lower()}"}
        lead = h.get("at_lead") if h else None
        scored = lead if lead and lead["n"] else h
        if not scored or not scored["n"]:
            rows.append(row | {"forecasts (events)": "not scored"})
            continue
        m = scored["models"][kind["selected_model"]]
        iv = m["bss_climatology_interval"]
        applies = scored["targets"].get("applies")
        missed = missed_targets(scored, scores["targets"], m) if applies else []
        summary = summaries.get(kind["id"]) or {"n": 0}
        own = "no resolved forecasts"
        if summary["n"]:
            years = summary["event_years"] or []
            own = (
                f"{summary['first']}–{summary['last']}: mean "
                f"{100 * summary['mean_probability']:.1f}% vs climatology "
                f"{100 * summary['mean_climatology']:.1f}%; "
                + (f"events in {', '.join(map(str, years))}" if years else "no event")
            )
        rows.append(
            row
            | {
                "forecasts (events)": f"{scored['n']:,} ({scored['events']})",
                f"Brier skill ({100 * level:.0f}% interval)": _signed(m["bss_climatology"])
                + (f" ({iv[0]:+.2f} to {iv[1]:+.2f})" if iv else ""),
                "AUC": _num(m["auc"]),
                "calibration slope": _num(m["calibration_slope"]),
                "targets missed": ", ".join(missed) or "none",
                f"{name}'s own forecasts": own,
            }
        )
    return pd.DataFrame(rows)


def track_record_values(
    scores: Mapping[str, Any],
    records: Mapping[str, pd.DataFrame],
    summaries: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """Return the numbers the paragraph shows (``summary.json`` → ``diversion`` → ...).

    Per kind: the selected model; per horizon ``n``, ``events``, ``origins``, the selected
    model's ``bss_climatology`` (with interval), ``auc``, ``calibration_slope``,
    ``better_model``, ``targets``, the other model's ``bss_climatology`` and ``auc``
    (``other``) and the same at the brief's lead (``at_lead``, the paragraph's headline);
    the country's 12-month ``country_summary_12m`` (with the means in percent) and
    ``country_record_12m`` (``year``, ``probability``, ``climatology``, ``outcome``; the
    forecasts made at the brief's lead).
    """
    kinds = {}
    for kind in scores["kinds"]:
        sel = kind["selected_model"]
        other = other_model(sel)
        horizons = {}
        for h in kind["horizons"]:
            m, alt, lead = h["models"][sel], h["models"][other], h["at_lead"]
            horizons[f"{h['horizon_months']}m"] = {
                "n": h["n"],
                "events": h["events"],
                "origins": h["origins"],
                "bss_climatology": m["bss_climatology"],
                "bss_climatology_interval": m["bss_climatology_interval"],
                "auc": m["auc"],
                "calibration_slope": m["calibration_slope"],
                "better_model": h["better_model"],
                "targets": h["targets"],
                "other": {
                    "model": other,
                    "bss_climatology": alt["bss_climatology"],
                    "auc": alt["auc"],
                },
                "at_lead": {
                    "lead_years": lead["lead_years"],
                    "n": lead["n"],
                    "events": lead["events"],
                    "origins": lead["origins"],
                    "bss_climatology": lead["models"][sel]["bss_climatology"],
                    "bss_climatology_interval": lead["models"][sel]["bss_climatology_interval"],
                    "auc": lead["models"][sel]["auc"],
                    "calibration_slope": lead["models"][sel]["calibration_slope"],
                    "better_model": lead["better_model"],
                    "targets": lead["targets"],
                    "other": {
                        "model": other,
                        "bss_climatology": lead["models"][other]["bss_climatology"],
                        "auc": lead["models"][other]["auc"],
                    },
                },
            }
        record = records.get(kind["id"])
        summary = dict(summaries.get(kind["id"]) or {})
        for key in ("mean_probability", "mean_climatology"):
            value = summary.get(key)
            summary[f"{key}_pct"] = None if value is None else 100 * value
        kinds[kind["id"]] = {
            "label": kind["label"],
            "short": kind["short"],
            "selected_model": sel,
            "horizons": horizons,
            "country_summary_12m": summary,
            "country_record_12m": []
            if record is None
            else [
                {
                    "year": int(r.year),
                    "probability": round(float(r.probability), 6),
                    "climatology": round(float(r.climatology), 6),
                    "outcome": None if pd.isna(r.outcome) else int(r.outcome),
                }
                for r in record.itertuples()
            ],
        }
    return {
        "method_version": scores["method_version"],
        "origins": scores["origins"],
        "as_of": scores["as_of"],
        "interval_level_pct": 100 * float(scores["interval_level"]),
        "targets": scores["targets"],
        "kinds": kinds,
    }


def reliability_figure(
    scores: Mapping[str, Any], months: int = 12, *, at_lead: bool = False
) -> Figure:
    """Reliability diagram per kind: observed frequency against forecast, bins sized by count.

    Both the own base rate and the logistic model are drawn (``at_lead``: their forecasts
    made when the data end as long before the window as a brief's); the diagonal is
    perfect calibration. Axes are on a square-root scale so the low probabilities most
    forecasts take stay readable.
    """
    kinds = scores["kinds"]
    fig, axes = figure(width=7.5, height=2.6, ncols=len(kinds))
    axes = np.atleast_1d(axes)
    for ax, kind in zip(axes, kinds, strict=True):
        h = horizon(kind, months)
        top = 0.0
        for model, color in MODEL_COLORS.items():
            if h is None:
                continue
            source = h["at_lead"]["models"] if at_lead else h["models"]
            bins = [b for b in source[model]["calibration"] if b["n"]]
            x = np.array([b["mean_forecast"] for b in bins])
            y = np.array([b["observed"] for b in bins])
            n = np.array([b["n"] for b in bins])
            top = max(top, x.max(initial=0), y.max(initial=0))
            label = "own base rate" if model == "base_rate" else "logistic model"
            ax.plot(np.sqrt(x), np.sqrt(y), color=color, lw=1, alpha=0.8)
            ax.scatter(
                np.sqrt(x),
                np.sqrt(y),
                s=8 + 60 * n / max(n.max(initial=1), 1),
                color=color,
                label=label,
                zorder=3,
            )
        lim = np.sqrt(min(1.0, max(top * 1.1, 0.05)))
        ax.plot([0, lim], [0, lim], color=NEUTRAL, lw=0.8, ls="--")
        ax.set_xlim(0, lim)
        ax.set_ylim(0, lim)
        steps = (0, 0.05, 0.2, 0.5, 1.0) if lim**2 > 0.3 else (0, 0.01, 0.05, 0.1, 0.2)
        ticks = [t for t in steps if np.sqrt(t) <= lim]
        ax.set_xticks(np.sqrt(ticks), [f"{100 * t:g}%" for t in ticks])
        ax.set_yticks(np.sqrt(ticks), [f"{100 * t:g}%" for t in ticks])
        ax.set_title(f"{kind['id']}: {kind['short']}", fontsize=8)
        ax.set_xlabel(f"forecast ({months} months)")
    axes[0].set_ylabel("observed frequency")
    axes[0].legend(fontsize=7, loc="upper left")
    return fig
