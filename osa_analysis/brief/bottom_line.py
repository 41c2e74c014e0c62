"""Section 1: the bottom line, four rated tiles and the key figures of the other sections."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from osa_analysis.analyse.tiles import compute_tiles, tile_rules
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section, fmt_num


def bottom_line_section(
    ctx: BriefContext, sections: list[Section], tiles: list[dict] | None = None
) -> Section:
    """Section 1: four rated tiles with trend arrows, then the key figures in words and numbers.

    Key figures are taken in turns from the sections (the first of each, then the second...)
    so that no single section fills the bottom line; at most five.
    """
    queues = [list(s.values.get("key_figures", [])) for s in sections]
    figures: list[dict] = []
    while len(figures) < 5 and any(queues):
        for queue in queues:
            if queue and len(figures) < 5:
                figures.append(queue.pop(0))
    tiles = tiles or []
    bullets = [f"- {kf['sentence']}" for kf in figures if kf.get("sentence")]
    markdown = (
        "\n".join(bullets)
        if bullets
        else "No key figure could be computed from the available data."
    )
    if tiles:
        markdown += (
            "\n\nTiles use one five-step scale (very low to very high); arrows: ↑ riskier, "
            "↓ less risky, → no clear change, – unknown. Rules: `data/risk/tiles.yaml`."
        )
    rows = [
        {
            "figure": kf.get("label"),
            "value": _fmt_value(kf.get("value"), kf.get("unit")),
            "interval": _fmt_interval(kf.get("interval"), kf.get("interval_kind")),
            "change": kf.get("change_text") or "n/a",
        }
        for kf in figures
    ]
    tile_rows = [
        {
            "tile": t["label"],
            "rating": t["rating"] or "n/a",
            "trend": t["arrow"],
            "evidence": t["evidence"],
        }
        for t in tiles
    ]
    tables = []
    if tile_rows:
        tables.append(("Risk tiles", pd.DataFrame(tile_rows)))
    if rows:
        tables.append(("Key figures", pd.DataFrame(rows)))
    return Section(
        key="bottom_line",
        title="Bottom line",
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
    section.values["data_age"] = age
    if stale:
        section.markdown += (
            f"\n\n**Data age.** {age['n_stale']} of the composite's {age['n_inputs']} inputs "
            "are older than their sources' release schedules lead one to expect by "
            f"{age['as_of']}: "
            + ", ".join(f"{i['short']} {i['year']} ({i['expected_year']} expected)" for i in stale)
            + f". Reliability {fmt_num(age['reliability'], 1)}/10."
        )
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


def _fmt_value(value, unit) -> str:
    if value is None:
        return "n/a"
    digits = 0 if isinstance(value, int) or float(value).is_integer() else 2
    return f"{fmt_num(value, digits)} {unit or ''}".strip()


def _fmt_interval(interval, kind) -> str:
    if not interval or interval[0] is None or interval[1] is None:
        return "n/a"
    return (
        f"{interval[0]:.2f} to {interval[1]:.2f} ({kind})"
        if kind
        else f"{interval[0]:.2f} to {interval[1]:.2f}"
    )
