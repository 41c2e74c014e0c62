"""The key figures: the rated tiles' evidence and the key figures of the other sections.

Page one (:mod:`osa_analysis.brief.key_judgements`) shows the tiles and the judgements; this
section is the table of numbers behind them, rounded by :mod:`osa_analysis.brief.numbers`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from osa_analysis.analyse.tiles import compute_tiles, tile_rules
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.numbers import range_text, sig
from osa_analysis.brief.section import Section, fmt_num
from osa_analysis.core.i18n import N_, _, language, tr


def bottom_line_section(
    ctx: BriefContext, sections: list[Section], tiles: list[dict] | None = None
) -> Section:
    """Build the key figures: the tiles' evidence and one table of the sections' key figures.

    Key figures are taken in turns from the sections (the first of each, then the second...)
    so that no single section fills the table; at most five. Each figure's sentence stays in
    ``summary.json`` and in its own section; the table shows value, interval and change.
    """
    queues = [list(s.values.get("key_figures", [])) for s in sections]
    figures: list[dict] = []
    while len(figures) < 5 and any(queues):
        for queue in queues:
            if queue and len(figures) < 5:
                figures.append(queue.pop(0))
    tiles = tiles or []
    markdown = "" if figures else _("No key figure could be computed from the available data.")
    # one message for the header: "figure" alone is a message of the figures
    columns = _("figure|value|interval|change").split("|")
    rows = [
        dict(
            zip(
                columns,
                (
                    tr(kf.get("label")),
                    _fmt_value(kf.get("value"), kf.get("unit")),
                    _fmt_interval(kf.get("interval"), kf.get("interval_kind")),
                    tr(kf.get("change_text")) or _("n/a"),
                ),
                strict=True,
            )
        )
        for kf in figures
    ]
    tables = []  # the tiles, with their evidence, are on page one
    if rows:
        tables.append((_("Key figures"), pd.DataFrame(rows)))
    return Section(
        key="bottom_line",
        title=_("Key figures"),
        markdown=markdown,
        tables=tables,
        values={
            "key_figures": figures,
            "tiles": tiles,
            "tiles_method_version": tile_rules()["method_version"],
        },
    )


def bottom_line(ctx: BriefContext, sections: Mapping[str, Section]) -> Section:
    """Build section 1 from the sections it summarises (the registry's ``BOTTOM_LINE_INPUTS``).

    The tiles are computed from every given section's values; key figures are collected in
    the order of ``sections``.
    """
    tiles = compute_tiles({key: s.values for key, s in sections.items()})
    section = bottom_line_section(ctx, list(sections.values()), tiles=tiles)
    composite = sections.get("composite")
    cvalues = composite.values if composite is not None else {}
    stale = stale_inputs(cvalues)
    age = {
        "as_of": ctx.scope.as_of_text,
        "n_stale": len(stale),
        "n_inputs": sum(
            1
            for i in cvalues.get("indicators") or []
            if not i.get("alternative_of") and i.get("applicable", True)
        ),
        "reliability": cvalues.get("reliability"),
        "stale_inputs": stale,
    }
    # Shown on page one (the newest-data line) and in the composite's reliability.
    section.values["data_age"] = age
    return section


def stale_inputs(composite_values: Mapping) -> list[dict]:
    """Return the composite's indicators whose latest value is older than expected.

    Returns
    -------
    list of dict
        ``id``, ``label``, ``short``, ``year`` and ``expected_year`` of each stale primary
        indicator.
    """
    return [
        {k: i.get(k) for k in ("id", "label", "short", "year", "expected_year")}
        for i in composite_values.get("indicators") or []
        if i.get("stale") and not i.get("alternative_of")
    ]


SINGULAR_UNITS = {
    "conflicts": N_("conflict"),
    "criteria": N_("criterion"),
    "events": N_("event"),
    "incidents": N_("incident"),
    "years": N_("year"),
}
"""Units of counts in the singular ("1 incident", not "1 incidents")."""


def _fmt_value(value, unit) -> str:
    if value is None:
        return _("n/a")
    # a count is an integer; a small measured value keeps a decimal (a rate of 1.0, not "1")
    whole = isinstance(value, int) or (float(value).is_integer() and abs(value) >= 10)
    text = fmt_num(value) if whole else sig(value, 3 if value % 1 else 2)
    if value == 1 and unit in SINGULAR_UNITS:
        unit = SINGULAR_UNITS[unit]
    shown = str(tr(unit) or "")
    # Japanese writes a counter word or % against the number ("39件"), a Latin unit apart
    tight = language() == "ja" and shown[:1] and (shown[0] == "%" or not shown[0].isascii())
    return f"{text}{shown}" if tight else f"{text} {shown}".strip()


def _fmt_interval(interval, kind) -> str:
    if not interval or interval[0] is None or interval[1] is None:
        return _("n/a")
    span = range_text(_bound(interval[0]), _bound(interval[1]))
    return _("{span} ({kind})").format(span=span, kind=tr(kind)) if kind else span


def _bound(value: float) -> str:
    """Return an interval bound: 3 significant figures, "unbounded" when infinite."""
    return sig(value, 3) if value == value and abs(value) != float("inf") else _("unbounded")
