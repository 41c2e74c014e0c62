"""Section 5: governance and stability (WGI, V-Dem regime, coups, UCDP armed conflict).

The numbers come from :func:`osa_analysis.analyse.governance.governance`; this module
writes the section: one paragraph per part (:mod:`osa_analysis.brief.governance_text`),
its tables and figures (:mod:`osa_analysis.brief.governance_figures`), the three key
figures of the bottom line and the caveats.
"""

from __future__ import annotations

from osa_analysis.analyse.governance import (
    CLINE_COVERAGE_END_YEAR,
    COUP_SINCE,
    DEATH_YEARS,
    PT_COVERAGE_END,
    SOURCES,
    UCDP_YEARS,
    VDEM_SINCE,
    WGI_BAND_PCT,
    GovernanceResult,
    governance,
)
from osa_analysis.brief import governance_figures as figs
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.governance_text import (
    DATASET_LABELS,
    coup_lines,
    coup_tables,
    possessive,
    ucdp_lines,
    ucdp_tables,
    vdem_lines,
    wgi_lines,
    wgi_table,
)
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.core.countries import country_name

CAVEATS = (
    "V-Dem and WGI are expert- and survey-based measures with their own uncertainty; the "
    "intervals shown are the sources' own.",
    f"Coup lists stop at {PT_COVERAGE_END} (Powell & Thyne) and {CLINE_COVERAGE_END_YEAR} "
    "(Cline): later events are not covered. Only dates and categories are shown (both lists "
    "are internal-use sources).",
    "UCDP counts conflicts with at least 25 battle-related deaths in a year; lower-level "
    "violence and maritime incidents are outside it.",
)


def _paragraph(lines: list[str]) -> str:
    """Join the first line, then the others as a second paragraph."""
    return lines[0] + ("\n\n" + " ".join(lines[1:]) if len(lines) > 1 else "")


def _wgi_part(result: GovernanceResult, name: str, iso3: str, year_max: int):
    wgi = result.wgi
    lines = wgi_lines(wgi, name, year_max)
    if all(v["year"] is None for v in wgi["indicators"].values()):
        return lines, [], []
    year = wgi["release_latest_year"]
    figures = [
        (
            f"WGI estimates of {name} over time with {WGI_BAND_PCT}% bands (same scale in every "
            "panel).",
            figs.wgi_time_figure(wgi["series"], name),
        ),
        (
            f"WGI {year}: {name} and its peers, estimate and {WGI_BAND_PCT}% band (same scale).",
            figs.wgi_peer_figure(wgi["peers"], iso3, year),
        ),
    ]
    return lines, [wgi_table(wgi)], figures


def _vdem_part(result: GovernanceResult, name: str):
    vdem = result.vdem
    if not vdem["covered"]:
        return vdem_lines(vdem, name), [], []
    figure = (
        f"V-Dem electoral democracy index of {name} since {VDEM_SINCE} with its interval; "
        "background: Regimes of the World category.",
        figs.vdem_figure(vdem["history"], name),
    )
    return vdem_lines(vdem, name), [], [figure]


def _ucdp_part(result: GovernanceResult, name: str, iso3: str):
    figure = (
        f"UCDP: conflicts per year involving {name} (last {UCDP_YEARS} years) and "
        f"organized-violence deaths by type (last {DEATH_YEARS} years, best estimates).",
        figs.ucdp_figure(result.ucdp, name),
    )
    return ucdp_lines(result.ucdp, name), ucdp_tables(result.ucdp, name, iso3), [figure]


def _wgi_key_figure(wgi: dict, name: str) -> dict | None:
    pv = wgi["indicators"]["pv"]
    if pv["year"] is None:
        return None
    change_text = None
    if pv["change"] is not None:
        direction = "up" if pv["change"] > 0 else "down" if pv["change"] < 0 else "unchanged"
        change_text = (
            f"{direction} from {fmt_num(pv['base_estimate'], 2)} in {pv['base_year']} "
            f"({'beyond' if pv['significant'] else 'within'} the combined 90% uncertainty "
            f"±{fmt_num(pv['change_threshold'], 2)})"
        )
    sentence = (
        f"{possessive(name)} WGI political-stability score was {fmt_num(pv['estimate'], 2)} "
        f"in {pv['year']} "
        f"(90% band {fmt_num(pv['low'], 2)} to {fmt_num(pv['high'], 2)}; percentile rank "
        f"{fmt_num(pv['pct_rank'], 1)})"
        + (
            f", {'a significant' if pv['significant'] else 'not a significant'} change from "
            f"{fmt_num(pv['base_estimate'], 2)} in {pv['base_year']}"
            if pv["change"] is not None
            else ""
        )
        + f"; WGI's latest year is {wgi['release_latest_year']}."
    )
    return {
        "id": "wgi_political_stability",
        "label": f"WGI political stability ({pv['year']})",
        "value": pv["estimate"],
        "unit": "WGI estimate (σ units)",
        "interval": [pv["low"], pv["high"]],
        "interval_kind": "WGI 90% (±1.645 SE)",
        "change": pv["change"],
        "change_text": change_text,
        "significant": pv["significant"],
        "sentence": sentence,
    }


def _conflict_key_figure(ucdp: dict, name: str) -> dict:
    latest, n = ucdp["latest_year"], ucdp["n_active_primary_latest"]
    prim = [a for a in ucdp["active_latest"] if a["state_role"] == "primary party"]
    against = "; ".join(
        esc(a["side_b"]) if a["side_a"].startswith("Government of") else esc(a["side_a"])
        for a in prim
    )
    base = ucdp["n_primary_base_year"]
    return {
        "id": "ucdp_active_conflicts_primary_party",
        "label": f"Active UCDP conflicts with the state as primary party ({latest})",
        "value": n,
        "unit": "conflicts",
        "interval": None,
        "interval_kind": None,
        "change": base,
        "change_text": None if base is None else f"{base} in {ucdp['base_year']}",
        "significant": None,
        "sentence": (
            f"In {latest} (UCDP's latest year) the state of {name} was a primary party to "
            f"{n} active armed conflict"
            + ("s" if n != 1 else "")
            + (f" (against {against})" if prim else "")
            + (f", compared with {base} in {ucdp['base_year']}" if base is not None else "")
            + "."
        ),
    }


def _coup_key_figure(coups: dict, name: str) -> dict:
    la = coups["last_attempt_any"]
    figure = {
        "id": "years_since_coup_attempt",
        "label": "Years since the last coup attempt",
        "unit": "years",
        "interval": None,
        "interval_kind": None,
        "change": None,
        "significant": None,
    }
    if la is None:
        return {
            **figure,
            "value": None,
            "change_text": f"none recorded since {COUP_SINCE}",
            "sentence": (
                f"No coup attempt in {name} is recorded since {COUP_SINCE} (Powell & Thyne to "
                f"{PT_COVERAGE_END}; Cline Center to {CLINE_COVERAGE_END_YEAR})."
            ),
        }
    other_text = "; ".join(
        f"{DATASET_LABELS[ds]}'s latest is {v['date']}"
        if v
        else f"{DATASET_LABELS[ds]} records none"
        for ds, v in coups["last_attempt"].items()
        if ds != la["dataset"]
    )
    return {
        **figure,
        "value": la["years_since"],
        "change_text": f"last: {la['date']} ({DATASET_LABELS[la['dataset']]})",
        "sentence": (
            f"The last coup attempt recorded in {name} was on {la['date']} "
            f"({DATASET_LABELS[la['dataset']]}, {la['category']}), "
            f"{fmt_num(la['years_since'], 1)} years before {coups['as_of']}; {other_text} "
            f"(coup data end {PT_COVERAGE_END})."
        ),
    }


def key_figures(result: GovernanceResult, name: str) -> list[dict]:
    """Return the key figures: WGI political stability, conflicts, years since a coup."""
    wgi = _wgi_key_figure(result.wgi, name)
    return [
        *([wgi] if wgi else []),
        _conflict_key_figure(result.ucdp, name),
        _coup_key_figure(result.coups, name),
    ]


def governance_section(ctx: BriefContext) -> Section:
    """Build section 5: WGI, V-Dem regime, coups and UCDP conflict for the brief's country.

    Parameters
    ----------
    ctx : BriefContext
        The brief's scope and tables; data after ``as_of`` (or its year, for annual data)
        are left out.

    Returns
    -------
    Section
        Key ``"governance"``; ``values`` with ``wgi``, ``vdem``, ``coups`` and ``ucdp``
        (:class:`~osa_analysis.analyse.governance.GovernanceResult`), ``key_figures`` (WGI
        political stability, active conflicts with the state as primary party, years since
        the last coup attempt) and ``country``.
    """
    iso3 = ctx.country_iso3
    name = country_name(iso3)
    result = governance(ctx.scope, ctx.tables)
    parts = (
        _wgi_part(result, name, iso3, ctx.scope.year),
        _vdem_part(result, name),
        (coup_lines(result.coups, name), coup_tables(result.coups, name), []),
        _ucdp_part(result, name, iso3),
    )
    markdown = [_paragraph(lines) for lines, _, _ in parts]
    values = {
        "wgi": result.wgi,
        "vdem": result.vdem,
        "coups": result.coups,
        "ucdp": result.ucdp,
        "key_figures": key_figures(result, name),
        "country": iso3,
    }
    caveats = [
        f"WGI estimates are rounded to 2 decimals in the registered file; bands are good to about "
        f"±0.01. WGI's latest year ({result.wgi['release_latest_year']}) lags the brief's date.",
        *CAVEATS,
    ]
    return Section(
        key="governance",
        title="Governance and stability",
        markdown="\n\n".join(m for m in markdown if m),
        figures=[f for _, _, fs in parts for f in fs],
        tables=[t for _, ts, _ in parts for t in ts],
        values=values,
        sources=list(SOURCES),
        caveats=caveats,
    )
