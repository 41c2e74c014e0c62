"""The words and tables of the governance section, one function per part.

Each part formats one part of :class:`~osa_analysis.analyse.governance.GovernanceResult`:
its paragraphs (data text through :func:`~osa_analysis.brief.section.esc`) and its tables.
The analysis returns codes and the sources' English category names; they are translated
here, at presentation (the ``*_LABELS`` maps), so ``summary.json`` keeps them as they are.
"""

from __future__ import annotations

import pandas as pd

from osa_analysis.analyse.governance import (
    CLINE_COVERAGE_END_YEAR,
    COUP_MATCH_DAYS,
    COUP_SINCE,
    PT_COVERAGE_END,
    UCDP_YEARS,
    VDEM_SINCE,
    WGI_BAND_PCT,
    WGI_CHANGE_YEARS,
    WGI_Z,
)
from osa_analysis.brief.numbers import date_text, range_text
from osa_analysis.brief.section import esc, fmt_num
from osa_analysis.core.i18n import N_, REFERENCE, _, language

DATASET_LABELS = {"coups_powell_thyne": "Powell & Thyne", "coups_cline": "Cline Center"}
"""Coup datasets by registry id, as named in the text (proper names: not translated)."""

WGI_LABELS = {
    "va": N_("Voice & accountability"),
    "pv": N_("Political stability"),
    "ge": N_("Government effectiveness"),
    "rq": N_("Regulatory quality"),
    "rl": N_("Rule of law"),
    "cc": N_("Control of corruption"),
}
"""The six WGI indicators by code, as shown (the English of ``WGI_SHORT``)."""

RELEASE_LABELS = {"2024 update": N_("2024 update")}
"""WGI release names of the analysis, as shown."""

REGIME_LABELS = {
    "closed autocracy": N_("closed autocracy"),
    "electoral autocracy": N_("electoral autocracy"),
    "electoral democracy": N_("electoral democracy"),
    "liberal democracy": N_("liberal democracy"),
}
"""Regimes of the World categories (V-Dem's English names, as the analysis returns them)."""

EPISODE_LABELS = {
    # kinds
    "autocratization": N_("autocratization"),
    "democratization": N_("democratization"),
    # terminations
    "ongoing": N_("ongoing"),
    "stasis": N_("stasis"),
    "sharp decline": N_("sharp decline"),
    "gradual decline": N_("gradual decline"),
    "breakdown": N_("breakdown (end of a V-Dem democratization episode)"),
    "sharp increase": N_("sharp increase"),
    "gradual increase": N_("gradual increase"),
    # outcomes (and the termination "democratic transition")
    "democratic transition": N_("democratic transition"),
    "preempted democratic transition": N_("preempted democratic transition"),
    "stabilized electoral autocracy": N_("stabilized electoral autocracy"),
    "reverted liberalization": N_("reverted liberalization"),
    "deepened democracy": N_("deepened democracy"),
    "democratic breakdown": N_("democratic breakdown"),
    "preempted democratic breakdown": N_("preempted democratic breakdown"),
    "diminished democracy": N_("diminished democracy"),
    "averted regression": N_("averted regression"),
    "regressed autocracy": N_("regressed autocracy"),
}
"""V-Dem ERT episode kinds, terminations and outcomes (English names of the loader).

The ``*_LABELS`` maps of category values are shown by :func:`label`."""

COUP_LABELS = {
    "successful coup attempt": N_("successful coup attempt"),
    "failed coup attempt": N_("failed coup attempt"),
    "realized coup": N_("realized coup"),
    "attempted coup": N_("attempted coup"),
    "conspiracy": N_("conspiracy"),
}
"""Coup event categories of the analysis (each dataset's own), as shown."""

UCDP_LABELS = {
    # type of conflict
    "extrasystemic": N_("extrasystemic"),
    "interstate": N_("interstate"),
    "intrastate": N_("intrastate"),
    "internationalised intrastate": N_("internationalised intrastate"),
    # incompatibility
    "territory": N_("territory (UCDP incompatibility)"),
    "government": N_("government (UCDP incompatibility)"),
    "both": N_("both (UCDP incompatibility: territory and government)"),
    # intensity
    "minor": N_("minor (UCDP intensity: 25 to 999 battle-related deaths)"),
    "war": N_("war (UCDP intensity: at least 1,000 battle-related deaths)"),
    # the state's role
    "primary party": N_("primary party"),
    "secondary party": N_("secondary party"),
    "location only": N_("location only"),
}
"""UCDP category names (type, incompatibility, intensity) and the state's role, as shown."""

DEATH_LABELS = {
    "state_based": N_("state-based"),
    "non_state": N_("non-state"),
    "one_sided": N_("one-sided"),
    "total": N_("total"),
}
"""Organized-violence death kinds (keys of the analysis), as shown."""


def label(labels: dict[str, str], value: object) -> str:
    """Return a category name of the analysis as shown in the current language.

    English shows the value itself; another language looks up its message in ``labels``
    (whose msgid may say more than the value, to tell apart short words such as "both").
    Unknown values are shown as they are.
    """
    if language() != REFERENCE and isinstance(value, str) and value in labels:
        return _(labels[value])
    return str(value)


def shown(english: str, message: str) -> str:
    """Return ``english`` in English and the translation of ``message`` in other languages."""
    return english if language() == REFERENCE else _(message)


def wgi_name(code: str) -> str:
    """Return a WGI indicator's short name in the current language."""
    return _(WGI_LABELS[code])


def possessive(name: str) -> str:
    """Return ``name`` with an English possessive ("Philippines'", "Fiji's").

    In another language the name itself: the translated message writes its own particle.
    """
    if language() != REFERENCE:
        return name
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def signed(value: float | None, digits: int = 2) -> str:
    """Format a change with its sign (``+0.53``, ``-0.04``); ``n/a`` for None."""
    if value is None:
        return _("n/a")
    return f"+{value:.{digits}f}" if value > 0 else f"{value:.{digits}f}"


def day_text(text: object) -> str:
    """Return a date written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` in the current language.

    English keeps the text as it is; a full date goes through
    :func:`~osa_analysis.brief.numbers.date_text`, a year or month is written "1987年",
    "2006年12月" in Japanese.
    """
    value = str(text)
    parts = value.split("-")
    if len(parts) == 3:
        return date_text(value)
    if language() != "ja" or not all(p.isdigit() for p in parts):
        return value
    return f"{parts[0]}年" if len(parts) == 1 else f"{parts[0]}年{int(parts[1])}月"


def joined(items: list[str], sep: str = "; ") -> str:
    """Join list items: with ``sep`` in English, with "、" in Japanese."""
    return ("、" if language() == "ja" else sep).join(items)


def sentences(parts: list[str]) -> str:
    """Join sentences: with a space in English, without one in Japanese."""
    return ("" if language() == "ja" else " ").join(parts)


# --------------------------------------------------------------------------- WGI


def _pv_line(pv: dict) -> str:
    line = _(
        "Political stability and absence of violence: {estimate} in {year} ({band_pct}% band "
        "{low} to {high}; percentile rank {rank})."
    ).format(
        estimate=fmt_num(pv["estimate"], 2),
        year=pv["year"],
        band_pct=WGI_BAND_PCT,
        low=fmt_num(pv["low"], 2),
        high=fmt_num(pv["high"], 2),
        rank=fmt_num(pv["pct_rank"], 1),
    )
    if pv["change"] is None:
        return line
    change = (
        _(
            "Since {base_year} ({base}) it moved by {change} (larger than the combined "
            "uncertainty, a significant change: ±{threshold})."
        )
        if pv["significant"]
        else _(
            "Since {base_year} ({base}) it moved by {change} (within the combined uncertainty, "
            "not a significant change: ±{threshold})."
        )
    ).format(
        base_year=pv["base_year"],
        base=fmt_num(pv["base_estimate"], 2),
        change=signed(pv["change"]),
        threshold=fmt_num(pv["change_threshold"], 2),
    )
    return sentences([line, change])


def wgi_lines(wgi: dict, name: str, year_max: int) -> list[str]:
    """Paragraph lines of the WGI part (the first line opens the paragraph)."""
    summary = wgi["indicators"]
    if all(v["year"] is None for v in summary.values()):
        return [
            _("WGI has no estimate for {country} up to {year}.").format(
                country=esc(name), year=year_max
            )
        ]
    lines = [
        _(
            "**Worldwide Governance Indicators** (World Bank, {release}): the latest year is "
            "{latest_year}, {years_behind} years before the brief's as-of date ({as_of}); "
            "nothing more recent is published. Estimates are in standard-normal units (about "
            "−2.5 to 2.5, higher is better) with {band_pct}% bands (±{z} SE); compare bands, "
            "not points."
        ).format(
            release=label(RELEASE_LABELS, wgi["release"]),
            latest_year=wgi["release_latest_year"],
            years_behind=wgi["years_behind_as_of"],
            as_of=date_text(wgi["as_of"]),
            band_pct=WGI_BAND_PCT,
            z=WGI_Z,
        )
    ]
    if summary["pv"]["year"] is not None:
        lines.append(_pv_line(summary["pv"]))
    sig = [
        _("{indicator} ({change} since {base_year})").format(
            indicator=wgi_name(c).lower(), change=signed(v["change"]), base_year=v["base_year"]
        )
        for c, v in summary.items()
        if v["significant"]
    ]
    lines.append(
        _("Significant changes over about five years: {changes}.").format(changes=joined(sig))
        if sig
        else _("No indicator changed by more than its combined uncertainty over about five years.")
    )
    missing = [wgi_name(c) for c, v in summary.items() if v["year"] is None]
    if missing:
        lines.append(
            _("No estimate at all for: {indicators}.").format(indicators=joined(missing, ", "))
        )
    return lines


def wgi_table(wgi: dict) -> tuple[str, pd.DataFrame]:
    """Return the WGI table (estimate, band, rank and change per indicator) and its caption."""
    yes_no = {True: _("yes"), False: _("no"), None: _("n/a")}
    rows = [
        {
            _("indicator"): wgi_name(c),
            _("year"): v["year"] if v["year"] is not None else _("n/a"),
            _("estimate"): fmt_num(v["estimate"], 2),
            _("{band_pct}% band").format(band_pct=WGI_BAND_PCT): range_text(
                fmt_num(v["low"], 2), fmt_num(v["high"], 2)
            )
            if v["low"] is not None
            else _("n/a"),
            _("percentile rank"): fmt_num(v["pct_rank"], 1),
            shown("sources", N_("sources (number of sources of a WGI estimate)")): fmt_num(
                v["n_sources"]
            ),
            _("base year"): v["base_year"] if v["base_year"] is not None else _("n/a"),
            _("change"): signed(v["change"]) if v["change"] is not None else _("n/a"),
            _("± threshold"): fmt_num(v["change_threshold"], 2),
            _("significant"): yes_no[v["significant"]],
        }
        for c, v in wgi["indicators"].items()
    ]
    caption = _(
        "WGI {year}: estimate, {band_pct}% band, percentile rank and change since about "
        "{change_years} years earlier (significant when |change| > {z}·√(SE₁²+SE₀²))."
    ).format(
        year=wgi["release_latest_year"],
        band_pct=WGI_BAND_PCT,
        change_years=WGI_CHANGE_YEARS,
        z=WGI_Z,
    )
    return caption, pd.DataFrame(rows)


# --------------------------------------------------------------------------- V-Dem


def _episode_text(e: dict) -> str:
    values = {
        "kind": label(EPISODE_LABELS, e["kind"]),
        "start": e["start_year"],
        "end": e["end_year"],
        "termination": esc(label(EPISODE_LABELS, e["termination"])),
        "outcome": esc(label(EPISODE_LABELS, e["outcome"])),
    }
    if e["ongoing"]:
        message = (
            _("{kind} episode {start}–{end} (ongoing, outcome so far: {outcome})")
            if e["outcome"]
            else _("{kind} episode {start}–{end} (ongoing)")
        )
    else:
        message = (
            _(
                "{kind} episode {start}–{end} (ended {end} ({termination}), outcome so far: "
                "{outcome})"
            )
            if e["outcome"]
            else _("{kind} episode {start}–{end} (ended {end} ({termination}))")
        )
    return message.format(**values)


def vdem_lines(vdem: dict, name: str) -> list[str]:
    """Paragraph lines of the V-Dem part."""
    if not vdem["covered"]:
        reason = _("V-Dem does not cover {country}").format(country=name)
        return [
            _(
                "**Regime (V-Dem):** {reason} (V-Dem codes no regime type or democracy index "
                "for it)."
            ).format(reason=esc(reason))
        ]
    lines = [
        _(
            "**Regime (V-Dem ERT v15, to {release_year}):** {country} was classed as "
            "**{regime}** in {year} (Regimes of the World); electoral democracy index {index} "
            "(V-Dem interval {low}–{high}, scale 0–1)."
        ).format(
            release_year=vdem["release_latest_year"],
            country=esc(name),
            regime=esc(label(REGIME_LABELS, vdem["regime_label"])),
            year=vdem["latest_year"],
            index=fmt_num(vdem["polyarchy"], 3),
            low=fmt_num(vdem["polyarchy_low"], 3),
            high=fmt_num(vdem["polyarchy_high"], 3),
        )
    ]
    changes = vdem["regime_changes_since_1990"]
    if changes:
        items = [
            _("{year}: {old} → {new}").format(
                year=c["year"],
                old=esc(label(REGIME_LABELS, c["from"])),
                new=esc(label(REGIME_LABELS, c["to"])),
            )
            for c in changes
        ]
        lines.append(
            _("Regime changes since {since}: {changes}.").format(
                since=VDEM_SINCE, changes=joined(items)
            )
        )
    else:
        lines.append(
            _("The regime category has not changed since {since}.").format(since=VDEM_SINCE)
        )
    live = [e for e in vdem["episodes"] if e["ongoing"] or e["recent"]]
    if live:
        lines.append(
            _(
                "Episodes of regime transformation (ongoing or ended in the last ten years): "
                "{episodes}."
            ).format(episodes=joined([_episode_text(e) for e in live]))
        )
    else:
        lines.append(
            _(
                "No autocratization or democratization episode is ongoing or ended in the last "
                "ten years."
            )
        )
    return lines


# --------------------------------------------------------------------------- coups


def _last_attempt_line(coups: dict) -> str:
    la = coups["last_attempt_any"]
    if la is None:
        return _(
            "No coup attempt is recorded since {since} in either dataset (Powell & Thyne to "
            "{pt_end}; Cline to {cline_end}); nothing after those dates is covered."
        ).format(
            since=COUP_SINCE, pt_end=date_text(PT_COVERAGE_END), cline_end=CLINE_COVERAGE_END_YEAR
        )
    other = [
        _("{dataset}: {date}, {category}").format(
            dataset=DATASET_LABELS[ds],
            date=day_text(v["date"]),
            category=label(COUP_LABELS, v["category"]),
        )
        if v
        else _("{dataset}: none recorded").format(dataset=DATASET_LABELS[ds])
        for ds, v in coups["last_attempt"].items()
        if ds != la["dataset"]
    ]
    return _(
        "Last recorded attempt: {date} ({dataset}, {category}), {years} years before {as_of}; "
        "{others}. Neither dataset covers events after {pt_end}."
    ).format(
        date=day_text(la["date"]),
        dataset=DATASET_LABELS[la["dataset"]],
        category=label(COUP_LABELS, la["category"]),
        years=fmt_num(la["years_since"], 1),
        as_of=date_text(coups["as_of"]),
        others=joined(other),
        pt_end=date_text(PT_COVERAGE_END),
    )


def coup_lines(coups: dict, name: str) -> list[str]:
    """Paragraph lines of the coup part."""
    c = coups["counts"]
    pt_n = c["coups_powell_thyne"]["successful"] + c["coups_powell_thyne"]["failed"]
    cl = c["coups_cline"]
    lines = [
        _(
            "**Coups.** Coup attempts in {country} recorded by Powell & Thyne (events to "
            "{pt_end}): {pt_n} ({successful} successful, {failed} failed); by the Cline Center "
            "(v2.0.0, to {cline_end}): realized coups {realized}, attempted coups {attempted}, "
            "conspiracies {conspiracy}. The datasets define events differently (Cline also counts "
            "popular ousters, auto-coups and conspiracies) and are kept apart."
        ).format(
            pt_end=date_text(PT_COVERAGE_END),
            pt_n=pt_n,
            country=esc(name),
            successful=c["coups_powell_thyne"]["successful"],
            failed=c["coups_powell_thyne"]["failed"],
            cline_end=CLINE_COVERAGE_END_YEAR,
            realized=cl["realized"],
            attempted=cl["attempted"],
            conspiracy=cl["conspiracy"],
        )
    ]
    if pt_n or cl["realized"] or cl["attempted"]:
        lines.append(
            _(
                "Matched within {days} days: {matched} attempts appear in both, {pt_only} only in "
                "Powell & Thyne, {cline_only} only in Cline."
            ).format(
                days=COUP_MATCH_DAYS,
                matched=coups["matched"],
                pt_only=coups["pt_only"],
                cline_only=coups["cline_only_attempts"],
            )
        )
    lines.append(_last_attempt_line(coups))
    return lines


def coup_tables(coups: dict, name: str) -> list[tuple[str, pd.DataFrame]]:
    """Return the coup events table (none when there are no events)."""
    if not coups["events"]:
        return []
    rows = [
        {
            _("date"): day_text(e["date"]),
            _("dataset"): DATASET_LABELS[e["dataset"]],
            _("event"): label(COUP_LABELS, e["category"]),
        }
        for e in coups["events"]
    ]
    caption = _(
        "Coup events in {country} by dataset (each dataset's own category; not merged)."
    ).format(country=name)
    return [(caption, pd.DataFrame(rows))]


# --------------------------------------------------------------------------- UCDP


def _deaths_line(ucdp: dict, name: str) -> str:
    totals, deaths, latest = ucdp["deaths_total"], ucdp["deaths"], ucdp["latest_year"]
    if totals is None:
        reason = _("UCDP Organized Violence has no rows for {country}").format(country=name)
        return _("Organized-violence deaths: {reason}.").format(reason=esc(reason))
    if not deaths.get(latest):
        return ""
    first, last = ucdp["death_years"]
    return _(
        "Organized-violence deaths (UCDP best estimates), {first}–{last}: {total} in total — "
        "state-based {state_based}, non-state {non_state}, one-sided {one_sided}; "
        "{latest_total} in {latest}."
    ).format(
        first=first,
        last=last,
        total=fmt_num(totals["total"]),
        state_based=fmt_num(totals["state_based"]),
        non_state=fmt_num(totals["non_state"]),
        one_sided=fmt_num(totals["one_sided"]),
        latest_total=fmt_num(deaths[latest]["total"]),
        latest=latest,
    )


def ucdp_lines(ucdp: dict, name: str) -> list[str]:
    """Paragraph lines of the UCDP part."""
    latest, (first, last) = ucdp["latest_year"], ucdp["years"]
    secondary = ucdp["n_active_secondary_latest"]
    message = (
        _(
            "**Armed conflict (UCDP/PRIO ACD v25.1, to {latest}).** Armed conflicts active in "
            "{latest}: on {country_pos} territory {n_territory}; with the state as a primary "
            "party {n_primary} (and as a secondary, supporting party {n_secondary}). "
            "Conflict-years over {first}–{last}: located in the country {cy_location}; with the "
            "state as a primary party {cy_primary} ({years_primary} of {n_years} years)."
        )
        if secondary
        else _(
            "**Armed conflict (UCDP/PRIO ACD v25.1, to {latest}).** Armed conflicts active in "
            "{latest}: on {country_pos} territory {n_territory}; with the state as a primary "
            "party {n_primary}. Conflict-years over {first}–{last}: located in the country "
            "{cy_location}; with the state as a primary party {cy_primary} ({years_primary} of "
            "{n_years} years)."
        )
    )
    return [
        message.format(
            latest=latest,
            n_territory=ucdp["n_active_on_territory_latest"],
            country_pos=possessive(esc(name)),
            n_primary=ucdp["n_active_primary_latest"],
            n_secondary=secondary,
            first=first,
            last=last,
            cy_location=ucdp["conflict_years_location"],
            cy_primary=ucdp["conflict_years_primary_party"],
            years_primary=ucdp["years_with_primary_party"],
            n_years=UCDP_YEARS,
        ),
        _deaths_line(ucdp, name),
    ]


def ucdp_tables(ucdp: dict, name: str, iso3: str) -> list[tuple[str, pd.DataFrame]]:
    """Deaths by type and active conflicts (table cells are escaped when rendered)."""
    tables = []
    deaths = {y: d for y, d in ucdp["deaths"].items() if d is not None}
    if deaths:
        rows = [
            {
                _("year"): y,
                **{_(DEATH_LABELS[k]): fmt_num(d[k]) for k in DEATH_LABELS},
            }
            for y, d in deaths.items()
        ]
        caption = _(
            "UCDP organized-violence deaths in {country} by type (best estimates); zero is a "
            "recorded zero."
        ).format(country=name)
        tables.append((caption, pd.DataFrame(rows)))
    if ucdp["active_latest"]:
        rows = [
            {
                _("conflict id"): a["conflict_id"],
                _("location"): a["location"],
                _("side A"): a["side_a"],
                _("side B"): a["side_b"],
                _("type"): label(UCDP_LABELS, a["type"]),
                _("incompatibility"): _("{incompatibility} ({territory})").format(
                    incompatibility=label(UCDP_LABELS, a["incompatibility"]),
                    territory=a["territory"],
                )
                if a["territory"]
                else label(UCDP_LABELS, a["incompatibility"]),
                _("intensity"): label(UCDP_LABELS, a["intensity"]),
                _("{iso3} role").format(iso3=iso3): label(UCDP_LABELS, a["state_role"]),
            }
            for a in ucdp["active_latest"]
        ]
        caption = _(
            "UCDP armed conflicts active in {year} involving {country} (as location or party); "
            "names as published by UCDP."
        ).format(year=ucdp["latest_year"], country=name)
        tables.append((caption, pd.DataFrame(rows)))
    return tables
