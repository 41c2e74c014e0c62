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
from osa_analysis.core.i18n import REFERENCE, _, language, tr

MODEL_COLORS = {"base_rate": ACCENT, "logistic": "#1f77b4"}

DATA_MESSAGES = (("data/risk/backtest.yaml", "kinds[].short"),)
"""Texts of the backtest method file shown (through :func:`~osa_analysis.core.i18n.tr`)."""


def _ja() -> bool:
    return language() != REFERENCE


def _joined(items: list[str]) -> str:
    return ("、" if _ja() else ", ").join(items)


def _dash() -> str:
    return "〜" if _ja() else "–"


def _signed(value: float | None, digits: int = 2) -> str:
    return _("n/a") if value is None else f"{value:+.{digits}f}"


def _num(value: float | None, digits: int = 2) -> str:
    return _("n/a") if value is None else f"{value:.{digits}f}"


def _short(kind: Mapping[str, Any]) -> str:
    """Return the kind's short name as the sentences write it ("coup attempt")."""
    return str(tr(kind["short"])).lower()


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
        "bss_climatology": _("skill over climatology"),
        "calibration_slope": _("calibration slope in [{low}, {high}] ({slope})").format(
            low=f"{lo:g}", high=f"{hi:g}", slope=_num(slope, 3)
        ),
        "auc": _("the AUC target"),
    }
    return [names[k] for k in ("bss_climatology", "calibration_slope", "auc") if t.get(k) is False]


def other_model(selected: str) -> str:
    """Return the model a kind's briefs do not use (the challenger or the base rate)."""
    return "logistic" if selected == "base_rate" else "base_rate"


def _lead_phrase(years: int) -> str:
    if years == 1:
        return _("data ending {years} year before the window").format(years=years)
    return _("data ending {years} years before the window").format(years=years)


def _scores_text(m: Mapping[str, Any], level: float) -> str:
    iv = m["bss_climatology_interval"]
    parts = {
        "skill": _signed(m["bss_climatology"]),
        "auc": _num(m["auc"]),
        "slope": _num(m["calibration_slope"]),
    }
    if not iv:
        return _(
            "Brier skill over climatology {skill}, AUC {auc}, calibration slope {slope}"
        ).format(**parts)
    return _(
        "Brier skill over climatology {skill} ({level}% {low} to {high}), AUC {auc}, "
        "calibration slope {slope}"
    ).format(**parts, level=f"{100 * level:.0f}", low=f"{iv[0]:+.2f}", high=f"{iv[1]:+.2f}")


def _forecasts_text(label: str, scores: str, scored: Mapping[str, Any], lead: str | None) -> str:
    lo, hi = scored["origins"]
    parts = {
        "label": label,
        "scores": scores,
        "n": f"{scored['n']:,}",
        "first": lo,
        "last": hi,
        "events": scored["events"],
    }
    if lead is None:
        return _(
            "{label}: {scores}, on {n} forecasts from {first}–{last} ({events} events)"
        ).format(**parts)
    return _(
        "{label}, made as this brief makes it ({lead}): {scores}, on {n} forecasts from "
        "{first}–{last} ({events} events)"
    ).format(**parts, lead=lead)


def _other_text(text: str, other: str, better: bool, alt: Mapping[str, Any]) -> str:
    """Add how the model the brief does not use scored (better or worse, skill and AUC)."""
    if other == "logistic":
        message = (
            _("{text}. The logistic challenger scored better (skill {skill}, AUC {auc}).")
            if better
            else _("{text}. The logistic challenger scored worse (skill {skill}, AUC {auc}).")
        )
    else:
        message = (
            _("{text}. The own base rate scored better (skill {skill}, AUC {auc}).")
            if better
            else _("{text}. The own base rate scored worse (skill {skill}, AUC {auc}).")
        )
    return message.format(text=text, skill=_signed(alt["bss_climatology"]), auc=_num(alt["auc"]))


def kind_sentence(kind: Mapping[str, Any], scores: Mapping[str, Any], months: int = 12) -> str:
    """Return how a kind's judgement (selected model) has scored at a horizon.

    The headline is the score of the forecasts made as this brief makes its own, with the
    data ending as long before the window (``at_lead``), and the targets that one misses;
    the score with the origin year's own data and the other model's follow.
    """
    h = horizon(kind, months)
    label = _("{kind} {label}, {months} months").format(
        kind=esc(kind["id"]), label=esc(_short(kind)), months=months
    )
    if h is None or not h["n"]:
        return _("{label}: not scored (no resolved forecasts).").format(label=label)
    sel = kind["selected_model"]
    other = other_model(sel)
    level = float(scores["interval_level"])
    lead = h.get("at_lead")
    scored = lead if lead and lead["n"] else h
    models = scored["models"]
    text = _forecasts_text(
        label,
        _scores_text(models[sel], level),
        scored,
        _lead_phrase(lead["lead_years"]) if scored is lead else None,
    )
    applies = scored["targets"].get("applies")
    missed = missed_targets(scored, scores["targets"], models[sel]) if applies else []
    if missed:
        text = _("{text}; misses {targets}").format(text=text, targets=_joined(missed))
    if scored is lead:
        now = h["models"][sel]
        text = _(
            "{text}; with the origin year's own data: skill {skill}, AUC {auc}, slope {slope}"
        ).format(
            text=text,
            skill=_signed(now["bss_climatology"]),
            auc=_num(now["auc"]),
            slope=_num(now["calibration_slope"]),
        )
    return _other_text(text, other, scored["better_model"] == other, models[other])


def country_sentence(name: str, kind: Mapping[str, Any], summary: Mapping[str, Any]) -> str:
    """Return a sentence: the country's own 12-month forecasts of a kind against what happened.

    ``summary`` is :func:`osa_analysis.analyse.backtest.record_summary` of its record (the
    forecasts made at the brief's lead).
    """
    if not summary["n"]:
        return _("{kind}: no resolved forecasts for {name}.").format(
            kind=esc(kind["id"]), name=esc(name)
        )
    years = summary["event_years"] or []
    parts = {
        "kind": esc(kind["id"]),
        "n": summary["n"],
        "name": esc(name),
        "first": summary["first"],
        "last": summary["last"],
        "mean": f"{100 * summary['mean_probability']:.1f}%",
        "climatology": f"{100 * summary['mean_climatology']:.1f}%",
    }
    if not years:
        return _(
            "{kind}: {n} yearly forecasts for {name} ({first}–{last}, each made at this "
            "brief's lead) averaged {mean} against a climatology of {climatology}; no event "
            "followed any of them."
        ).format(**parts)
    return _(
        "{kind}: {n} yearly forecasts for {name} ({first}–{last}, each made at this brief's "
        "lead) averaged {mean} against a climatology of {climatology}; events followed in "
        "{years}."
    ).format(**parts, years=_joined([str(y) for y in years]))


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
    sep = "" if _ja() else " "
    intro = _(
        "**Track record.** Each kind of judgement above was recomputed as the brief computes "
        "it at the end of every year from {first} to {last}, for every state, from the data "
        "known then, and scored against what the resolution source later recorded (a Brier "
        "skill over climatology above zero beats the global base rate; an AUC of one half is "
        "chance; a calibration slope of one is calibrated)."
    ).format(first=lo, last=hi)
    return intro + sep + sep.join(parts) + sep + sep.join(own) + sep + esc(_(scores["look_ahead"]))


def track_record_lead(scores: Mapping[str, Any]) -> str:
    """Return the short **Track record.** lead of the section (the table follows it)."""
    lo, hi = scores["origins"]
    return _(
        "**Track record.** Each kind of judgement was recomputed at the end of every year from "
        "{first} to {last}, for every state, as this brief makes it, and scored against what "
        "happened (table below). A Brier skill above zero beats the global base rate; an AUC "
        "of 0.5 is chance; a calibration slope of 1 is calibrated."
    ).format(first=lo, last=hi)


def _own_record(summary: Mapping[str, Any]) -> str:
    if not summary["n"]:
        return _("no resolved forecasts")
    years = summary["event_years"] or []
    parts = {
        "first": summary["first"],
        "last": summary["last"],
        "mean": f"{100 * summary['mean_probability']:.1f}",
        "climatology": f"{100 * summary['mean_climatology']:.1f}",
    }
    if years:
        return _(
            "{first}–{last}: mean {mean}% vs climatology {climatology}%; events in {years}"
        ).format(**parts, years=_joined([str(y) for y in years]))
    return _("{first}–{last}: mean {mean}% vs climatology {climatology}%; no event").format(**parts)


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
        row: dict[str, Any] = {_("judgement (12 months)"): f"{kind['id']} {_short(kind)}"}
        lead = h.get("at_lead") if h else None
        scored = lead if lead and lead["n"] else h
        if not scored or not scored["n"]:
            rows.append(row | {_("forecasts (events)"): _("not scored")})
            continue
        m = scored["models"][kind["selected_model"]]
        iv = m["bss_climatology_interval"]
        applies = scored["targets"].get("applies")
        missed = missed_targets(scored, scores["targets"], m) if applies else []
        skill = _signed(m["bss_climatology"])
        if iv:
            skill = _("{skill} ({low} to {high})").format(
                skill=skill, low=f"{iv[0]:+.2f}", high=f"{iv[1]:+.2f}"
            )
        rows.append(
            row
            | {
                _("forecasts (events)"): f"{scored['n']:,} ({scored['events']})",
                _("Brier skill ({level}% interval)").format(level=f"{100 * level:.0f}"): skill,
                "AUC": _num(m["auc"]),
                _("calibration slope"): _num(m["calibration_slope"]),
                _("targets missed"): _joined(missed) or _("none"),
                _("{name}'s own forecasts").format(name=name): _own_record(
                    summaries.get(kind["id"]) or {"n": 0}
                ),
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
            label = _("own base rate") if model == "base_rate" else _("logistic model")
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
        ax.set_title(
            _("{kind}: {label}").format(kind=kind["id"], label=tr(kind["short"])), fontsize=8
        )
        ax.set_xlabel(_("forecast ({months} months)").format(months=months))
    axes[0].set_ylabel(_("observed frequency"))
    axes[0].legend(fontsize=7, loc="upper left")
    return fig
