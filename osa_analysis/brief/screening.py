"""The screening report's sections: reading, need-against-risk chart, ranked table, what-if.

Each function takes :class:`~osa_analysis.analyse.screening.ScreeningResult` objects and only
formats them; :func:`screening_summary` gathers every number shown (``summary.json`` of
``reports/screening/``, schema ``screening``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from osa_analysis.analyse.screening import ScreeningResult
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.brief.style import ACCENT, NEUTRAL, figure
from osa_analysis.core.dates import iso_date
from osa_analysis.core.files import jsonable
from osa_analysis.core.provenance import __version__


def equipment_label(result: ScreeningResult) -> str:
    """Name the equipment screened in words, hypothetical categories marked."""
    return ", ".join(
        c.replace("_", " ") + (" (hypothetical)" if c in result.hypothetical else "")
        for c in result.equipment
    )


def _names(result: ScreeningResult, codes: list[str]) -> str:
    names = result.table.set_index("country_iso3")["name"]
    return ", ".join(esc(names[c]) for c in codes) if codes else "none"


def overview_section(result: ScreeningResult) -> Section:
    """Title, scope and the generated reading of one screen."""
    r = result.reading
    t = result.table
    scored = t.dropna(subset=["need", "risk"])
    lines = [
        f"**Region:** {esc(result.region_label)}; {len(t)} states ({int(t['recipient'].sum())} "
        f"OSA recipients, marked with their fiscal years), {len(scored)} with both scores. "
        f"**Equipment:** {esc(equipment_label(result))}. **Data as of:** "
        f"{iso_date(result.as_of)}.",
        "**Need** is the mean of the composite's threat and lack-of-control-capacity scores "
        "(0-10). **Misuse and diversion risk** is the highest, over the six scenarios of the "
        "risk method, of the 36-month likelihood times the equipment's relevance to it "
        "(0-100%). Intervals are the data's uncertainty (need: 5-95% of the data draws; risk: "
        "the scenario likelihoods' 95% intervals or PHIA ranges).",
        f"**Candidates with need comparable to the recipients at lower risk** (need interval "
        f"reaching the recipients' median need {fmt_num(r['recipients_median_need'], 1)}, risk "
        f"interval wholly below their median risk "
        f"{fmt_num(_pct(r['recipients_median_risk']), 0)}%): "
        f"{_names(result, r['comparable_candidates'])}.",
        f"**Recipients at higher risk than most candidates** (risk interval wholly above the "
        f"candidates' median {fmt_num(_pct(r['candidates_median_risk']), 0)}%): "
        f"{_names(result, r['recipients_above_candidates'])}.",
    ]
    if result.hypothetical:
        lines.append(
            "**Hypothetical equipment:** no OSA project has given it; its relevance to each "
            "scenario is this method's judgement (`data/risk/screening.yaml`)."
        )
    return Section(
        key="screening",
        title=f"Screening: need against misuse risk ({esc(equipment_label(result))})",
        markdown="\n\n".join(lines),
        values=screening_values(result),
    )


def _pct(value: float | None) -> float | None:
    return None if value is None else 100 * value


def chart_section(result: ScreeningResult) -> Section:
    """Need against risk, intervals drawn, recipients highlighted."""
    t = result.table.dropna(subset=["need", "risk"])
    fig, ax = figure(7.5, 5.2)
    for recipient, colour, size in ((False, NEUTRAL, 14), (True, ACCENT, 30)):
        g = t[t["recipient"] == recipient]
        ax.errorbar(
            g["need"],
            100 * g["risk"],
            xerr=[g["need"] - g["need_low"], g["need_high"] - g["need"]],
            yerr=[100 * (g["risk"] - g["risk_low"]), 100 * (g["risk_high"] - g["risk"])],
            fmt="o",
            ms=size**0.5 * 1.2,
            color=colour,
            ecolor=colour,
            elinewidth=0.6,
            alpha=0.9 if recipient else 0.6,
            label="OSA recipient" if recipient else "other state",
        )
    named = set(result.reading["comparable_candidates"]) | set(
        result.reading["recipients_above_candidates"]
    )
    top_need = set(t.nlargest(5, "need")["country_iso3"])
    top_risk = set(t.nlargest(5, "risk")["country_iso3"])
    labelled = t[t["recipient"] | t["country_iso3"].isin(named | top_need | top_risk)]
    for _, row in labelled.iterrows():  # the rest are in the table: labels stay legible
        ax.annotate(
            row["country_iso3"],
            (row["need"], 100 * row["risk"]),
            xytext=(3, 3),
            textcoords="offset points",
            fontsize=6.5,
            color=ACCENT if row["recipient"] else NEUTRAL,
        )
    ax.set_xlabel("Need (0-10: threat at sea and lack of control capacity)")
    ax.set_ylabel("Misuse and diversion risk (%)")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    caption = (
        f"Need against misuse and diversion risk for {equipment_label(result)}, "
        f"{len(t)} states, data as of {iso_date(result.as_of)}; bars are the intervals. "
        "Labelled: the recipients, the states the reading names and the five of highest need "
        "and of highest risk."
    )
    return Section(key="screening_chart", title="Need against risk", figures=[(caption, fig)])


def ranked_table(result: ScreeningResult) -> pd.DataFrame:
    """Rank the states by need, with both scores, intervals and rank intervals."""
    t = result.table.sort_values(["need", "name"], ascending=[False, True], na_position="last")

    def rank(lo, hi) -> str:
        return "n/a" if pd.isna(lo) else f"{int(lo)}-{int(hi)}"

    return pd.DataFrame(
        {
            "state": t["name"],
            "OSA": [
                "FY" + ", ".join(str(y) for y in years) if years else ""
                for years in t["fiscal_years"]
            ],
            "need": [fmt_num(v, 1) for v in t["need"]],
            "need interval": [
                f"{fmt_num(a, 1)}-{fmt_num(b, 1)}"
                for a, b in zip(t["need_low"], t["need_high"], strict=True)
            ],
            "need rank": [
                rank(a, b) for a, b in zip(t["need_rank_low"], t["need_rank_high"], strict=True)
            ],
            "risk %": [fmt_num(_pct(v), 0) for v in t["risk"]],
            "risk interval %": [
                f"{fmt_num(_pct(a), 0)}-{fmt_num(_pct(b), 0)}"
                for a, b in zip(t["risk_low"], t["risk_high"], strict=True)
            ],
            "risk rank": [
                rank(a, b) for a, b in zip(t["risk_rank_low"], t["risk_rank_high"], strict=True)
            ],
            "driver": t["driver"].fillna("n/a"),
            "criteria flagged": t["criteria_flagged"],
        }
    )


def table_section(result: ScreeningResult) -> Section:
    """Return the section of the ranked table."""
    return Section(
        key="screening_table",
        title="Every state, ranked by need",
        markdown="Rank intervals: 1 is the highest need or risk. *Driver*: the scenario of "
        "the highest relevance-weighted likelihood. *Criteria flagged*: criteria of the risk "
        "method rated possibly critical or critical (equipment-independent).",
        tables=[("States screened", ranked_table(result))],
    )


def whatif_section(base: ScreeningResult, other: ScreeningResult) -> Section:
    """How each state's risk moves from one equipment choice to another, and why."""
    a = base.table.set_index("country_iso3")
    b = other.table.set_index("country_iso3")
    changed = [s for s in sorted(base.relevance) if base.relevance[s] != other.relevance.get(s)]
    rows = []
    for iso3 in a.index:
        if pd.isna(a.loc[iso3, "risk"]):
            continue
        rows.append(
            {
                "state": a.loc[iso3, "name"],
                f"risk % ({equipment_label(base)})": fmt_num(_pct(a.loc[iso3, "risk"]), 0),
                f"risk % ({equipment_label(other)})": fmt_num(_pct(b.loc[iso3, "risk"]), 0),
                "change, points": fmt_num(100 * (b.loc[iso3, "risk"] - a.loc[iso3, "risk"]), 0),
                "driver after": b.loc[iso3, "driver"],
            }
        )
    frame = pd.DataFrame(rows).sort_values("state").reset_index(drop=True)
    criteria = (
        "; ".join(f"{s}: {base.relevance[s]} → {other.relevance.get(s)}" for s in changed)
        or "no scenario's relevance changes"
    )
    return Section(
        key="screening_whatif",
        title=f"What if: {esc(equipment_label(other))} instead of {esc(equipment_label(base))}",
        markdown=(
            "Only the equipment's relevance to each scenario changes; need, the scenario "
            f"likelihoods and the criteria stay as they are. Relevance that changes: {criteria}."
        ),
        tables=[("Risk by equipment choice", frame)],
        values={
            "relevance_changes": {s: [base.relevance[s], other.relevance.get(s)] for s in changed}
        },
    )


def screening_values(result: ScreeningResult) -> dict[str, Any]:
    """Every number of one screen, JSON-able."""
    cols = [
        "country_iso3",
        "name",
        "subregion",
        "in_region",
        "recipient",
        "fiscal_years",
        "need",
        "need_low",
        "need_high",
        "need_rank_low",
        "need_rank_high",
        "threat",
        "capacity",
        "need_missing_reason",
        "risk",
        "risk_low",
        "risk_high",
        "risk_rank_low",
        "risk_rank_high",
        "driver",
        "criteria_flagged",
        "risk_missing_reason",
    ]
    states = jsonable(result.table[cols].to_dict(orient="records"))
    for s in states:
        s["scenarios"] = jsonable(result.scenarios.get(s["country_iso3"], []))
    return {
        "as_of": iso_date(result.as_of),
        "region": result.region,
        "region_label": result.region_label,
        "equipment": list(result.equipment),
        "hypothetical": list(result.hypothetical),
        "relevance": dict(result.relevance),
        "reading": jsonable(result.reading),
        "states": states,
    }


def screening_summary(base: ScreeningResult, others: list[ScreeningResult]) -> dict[str, Any]:
    """``summary.json`` of a screening report: the main screen and each what-if screen."""
    from osa_analysis.sources.registry import registry

    known = registry()
    return {
        "provenance": {
            "as_of": iso_date(base.as_of),
            "package_version": __version__,
            "method_versions": dict(base.method_versions),
            "sources": list(base.sources),
            "data_vintage": [
                {
                    "source": sid,
                    "title": known[sid].title,
                    "licence": known[sid].licence,
                    "coverage": known[sid].coverage,
                    "vintage": known[sid].vintage,
                    "sha256": known[sid].sha256_prefix,
                }
                for sid in base.sources
                if sid in known
            ],
        },
        "screen": screening_values(base),
        "what_if": [screening_values(o) for o in others],
    }
