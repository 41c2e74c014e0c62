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
    COUP_LABELS,
    DATASET_LABELS,
    coup_lines,
    coup_tables,
    day_text,
    joined,
    label,
    possessive,
    sentences,
    ucdp_lines,
    ucdp_tables,
    vdem_lines,
    wgi_lines,
    wgi_table,
)
from osa_analysis.brief.numbers import date_text
from osa_analysis.brief.section import Section, esc, fmt_num
from osa_analysis.core.countries import country_name
from osa_analysis.core.i18n import N_, _, tr


def caveats(wgi_latest_year: int) -> list[str]:
    """Return the section's caveats (WGI's latest year, the sources' uncertainty, coverage)."""
    return [
        _(
            "WGI estimates are rounded to 2 decimals in the registered file; bands are good to "
            "about ±0.01. WGI's latest year ({year}) lags the brief's date."
        ).format(year=wgi_latest_year),
        _(
            "V-Dem and WGI are expert- and survey-based measures with their own uncertainty; the "
            "intervals shown are the sources' own."
        ),
        _(
            "Coup lists stop at {pt_end} (Powell & Thyne) and {cline_end} (Cline): later events "
            "are not covered. Only dates and categories are shown (both lists are internal-use "
            "sources)."
        ).format(pt_end=date_text(PT_COVERAGE_END), cline_end=CLINE_COVERAGE_END_YEAR),
        _(
            "UCDP counts conflicts with at least 25 battle-related deaths in a year; lower-level "
            "violence and maritime incidents are outside it."
        ),
    ]


def _paragraph(lines: list[str]) -> str:
    """Join the first line, then the others as a second paragraph."""
    return lines[0] + ("\n\n" + sentences(lines[1:]) if len(lines) > 1 else "")


def _wgi_part(result: GovernanceResult, name: str, iso3: str, year_max: int):
    wgi = result.wgi
    lines = wgi_lines(wgi, name, year_max)
    if all(v["year"] is None for v in wgi["indicators"].values()):
        return lines, [], []
    year = wgi["release_latest_year"]
    figures = [
        (
            _(
                "WGI estimates of {country} over time with {band_pct}% bands (same scale in every "
                "panel)."
            ).format(country=name, band_pct=WGI_BAND_PCT),
            figs.wgi_time_figure(wgi["series"], name),
        ),
        (
            _(
                "WGI {year}: {country} and its peers, estimate and {band_pct}% band (same scale)."
            ).format(year=year, country=name, band_pct=WGI_BAND_PCT),
            figs.wgi_peer_figure(wgi["peers"], iso3, year),
        ),
    ]
    return lines, [wgi_table(wgi)], figures


def _vdem_part(result: GovernanceResult, name: str):
    vdem = result.vdem
    if not vdem["covered"]:
        return vdem_lines(vdem, name), [], []
    figure = (
        _(
            "V-Dem electoral democracy index of {country} since {since} with its interval; "
            "background: Regimes of the World category."
        ).format(country=name, since=VDEM_SINCE),
        figs.vdem_figure(vdem["history"], name),
    )
    return vdem_lines(vdem, name), [], [figure]


def _ucdp_part(result: GovernanceResult, name: str, iso3: str):
    figure = (
        _(
            "UCDP: conflicts per year involving {country} (last {years} years) and "
            "organized-violence deaths by type (last {death_years} years, best estimates)."
        ).format(country=name, years=UCDP_YEARS, death_years=DEATH_YEARS),
        figs.ucdp_figure(result.ucdp, name),
    )
    return ucdp_lines(result.ucdp, name), ucdp_tables(result.ucdp, name, iso3), [figure]


_WGI_CHANGE = {
    ("up", True): N_(
        "up from {base} in {base_year} (beyond the combined 90% uncertainty ±{threshold})"
    ),
    ("up", False): N_(
        "up from {base} in {base_year} (within the combined 90% uncertainty ±{threshold})"
    ),
    ("down", True): N_(
        "down from {base} in {base_year} (beyond the combined 90% uncertainty ±{threshold})"
    ),
    ("down", False): N_(
        "down from {base} in {base_year} (within the combined 90% uncertainty ±{threshold})"
    ),
    ("unchanged", True): N_(
        "unchanged from {base} in {base_year} (beyond the combined 90% uncertainty ±{threshold})"
    ),
    ("unchanged", False): N_(
        "unchanged from {base} in {base_year} (within the combined 90% uncertainty ±{threshold})"
    ),
}
"""The change of WGI political stability in the key figure: direction, beyond the noise."""


def _wgi_key_figure(wgi: dict, name: str) -> dict | None:
    pv = wgi["indicators"]["pv"]
    if pv["year"] is None:
        return None
    change_text = None
    if pv["change"] is not None:
        direction = "up" if pv["change"] > 0 else "down" if pv["change"] < 0 else "unchanged"
        change_text = _(_WGI_CHANGE[(direction, bool(pv["significant"]))]).format(
            base=fmt_num(pv["base_estimate"], 2),
            base_year=pv["base_year"],
            threshold=fmt_num(pv["change_threshold"], 2),
        )
    if pv["change"] is None:
        sentence = _(
            "{country_pos} WGI political-stability score was {estimate} in {year} (90% band "
            "{low} to {high}; percentile rank {rank}); WGI's latest year is {latest_year}."
        )
    elif pv["significant"]:
        sentence = _(
            "{country_pos} WGI political-stability score was {estimate} in {year} (90% band "
            "{low} to {high}; percentile rank {rank}), a significant change from {base} in "
            "{base_year}; WGI's latest year is {latest_year}."
        )
    else:
        sentence = _(
            "{country_pos} WGI political-stability score was {estimate} in {year} (90% band "
            "{low} to {high}; percentile rank {rank}), not a significant change from {base} in "
            "{base_year}; WGI's latest year is {latest_year}."
        )
    return {
        "id": "wgi_political_stability",
        "label": _("WGI political stability ({year})").format(year=pv["year"]),
        "value": pv["estimate"],
        "unit": _("WGI estimate (σ units)"),
        "interval": [pv["low"], pv["high"]],
        "interval_kind": _("WGI 90% (±1.645 SE)"),
        "change": pv["change"],
        "change_text": change_text,
        "significant": pv["significant"],
        "sentence": sentence.format(
            country_pos=possessive(name),
            estimate=fmt_num(pv["estimate"], 2),
            year=pv["year"],
            low=fmt_num(pv["low"], 2),
            high=fmt_num(pv["high"], 2),
            rank=fmt_num(pv["pct_rank"], 1),
            base=fmt_num(pv["base_estimate"], 2),
            base_year=pv["base_year"],
            latest_year=wgi["release_latest_year"],
        ),
    }


_CONFLICT_SENTENCES = {
    # (one conflict, against whom, compared with the base year)
    (True, True, True): N_(
        "In {latest} (UCDP's latest year) the state of {country} was a primary party to {n} "
        "active armed conflict (against {against}), compared with {base} in {base_year}."
    ),
    (True, True, False): N_(
        "In {latest} (UCDP's latest year) the state of {country} was a primary party to {n} "
        "active armed conflict (against {against})."
    ),
    (True, False, True): N_(
        "In {latest} (UCDP's latest year) the state of {country} was a primary party to {n} "
        "active armed conflict, compared with {base} in {base_year}."
    ),
    (True, False, False): N_(
        "In {latest} (UCDP's latest year) the state of {country} was a primary party to {n} "
        "active armed conflict."
    ),
    (False, True, True): N_(
        "In {latest} (UCDP's latest year) the state of {country} was a primary party to {n} "
        "active armed conflicts (against {against}), compared with {base} in {base_year}."
    ),
    (False, True, False): N_(
        "In {latest} (UCDP's latest year) the state of {country} was a primary party to {n} "
        "active armed conflicts (against {against})."
    ),
    (False, False, True): N_(
        "In {latest} (UCDP's latest year) the state of {country} was a primary party to {n} "
        "active armed conflicts, compared with {base} in {base_year}."
    ),
    (False, False, False): N_(
        "In {latest} (UCDP's latest year) the state of {country} was a primary party to {n} "
        "active armed conflicts."
    ),
}
"""The conflict key figure's sentence by (a single conflict, sides named, a base year)."""


def _conflict_key_figure(ucdp: dict, name: str) -> dict:
    latest, n = ucdp["latest_year"], ucdp["n_active_primary_latest"]
    prim = [a for a in ucdp["active_latest"] if a["state_role"] == "primary party"]
    against = joined(
        [
            esc(a["side_b"]) if a["side_a"].startswith("Government of") else esc(a["side_a"])
            for a in prim
        ]
    )
    base = ucdp["n_primary_base_year"]
    sentence = _(_CONFLICT_SENTENCES[(n == 1, bool(prim), base is not None)])
    return {
        "id": "ucdp_active_conflicts_primary_party",
        "label": _("Active UCDP conflicts with the state as primary party ({year})").format(
            year=latest
        ),
        "value": n,
        "unit": _("conflicts"),
        "interval": None,
        "interval_kind": None,
        "change": base,
        "change_text": None
        if base is None
        else _("{n} in {year}").format(n=base, year=ucdp["base_year"]),
        "significant": None,
        "sentence": sentence.format(
            latest=latest,
            country=name,
            n=n,
            against=against,
            base=base,
            base_year=ucdp["base_year"],
        ),
    }


def _coup_key_figure(coups: dict, name: str) -> dict:
    la = coups["last_attempt_any"]
    figure = {
        "id": "years_since_coup_attempt",
        "label": _("Years since the last coup attempt"),
        "unit": _("years"),
        "interval": None,
        "interval_kind": None,
        "change": None,
        "significant": None,
    }
    if la is None:
        return {
            **figure,
            "value": None,
            "change_text": _("none recorded since {since}").format(since=COUP_SINCE),
            "sentence": _(
                "No coup attempt in {country} is recorded since {since} (Powell & Thyne to "
                "{pt_end}; Cline Center to {cline_end})."
            ).format(
                country=name,
                since=COUP_SINCE,
                pt_end=date_text(PT_COVERAGE_END),
                cline_end=CLINE_COVERAGE_END_YEAR,
            ),
        }
    other_text = joined(
        [
            _("{dataset}'s latest is {date}").format(
                dataset=DATASET_LABELS[ds], date=day_text(v["date"])
            )
            if v
            else _("{dataset} records none").format(dataset=DATASET_LABELS[ds])
            for ds, v in coups["last_attempt"].items()
            if ds != la["dataset"]
        ]
    )
    return {
        **figure,
        "value": la["years_since"],
        "change_text": _("last: {date} ({dataset})").format(
            date=day_text(la["date"]), dataset=DATASET_LABELS[la["dataset"]]
        ),
        "sentence": _(
            "The last coup attempt recorded in {country} was on {date} ({dataset}, {category}), "
            "{years} years before {as_of}; {others} (coup data end {pt_end})."
        ).format(
            country=name,
            date=day_text(la["date"]),
            dataset=DATASET_LABELS[la["dataset"]],
            category=label(COUP_LABELS, la["category"]),
            years=fmt_num(la["years_since"], 1),
            as_of=date_text(coups["as_of"]),
            others=other_text,
            pt_end=date_text(PT_COVERAGE_END),
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
    name = str(tr(country_name(iso3)))  # the recipient's name in the current language
    result = ctx.analysis(governance)
    parts = (
        _wgi_part(result, name, iso3, ctx.scope.year),
        _vdem_part(result, name),
        (coup_lines(result.coups, name), coup_tables(result.coups, name), []),
        _ucdp_part(result, name, iso3),
    )
    markdown = [_paragraph(lines) for lines, _tables, _figures in parts]
    values = {
        "wgi": result.wgi,
        "vdem": result.vdem,
        "coups": result.coups,
        "ucdp": result.ucdp,
        "key_figures": key_figures(result, name),
        "country": iso3,
    }
    return Section(
        key="governance",
        title=_("Governance and stability"),
        markdown="\n\n".join(m for m in markdown if m),
        figures=[f for _lines, _tables, fs in parts for f in fs],
        tables=[t for _lines, ts, _figures in parts for t in ts],
        values=values,
        sources=list(SOURCES),
        caveats=caveats(result.wgi["release_latest_year"]),
    )
