"""Reporting channels of the incident table and the dates each one covers.

A count of incidents can only be compared across periods that the same channels covered
(ReCAAP's live feed starts in 2024, the IMB series ends in 2020...). The channels and their
registry files are listed here; their dates come from the registry's ``coverage``.
"""

from __future__ import annotations

import pandas as pd

from osa_analysis.core.dates import parse_coverage
from osa_analysis.sources.registry import get_source

COVERAGE_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "asam": ("NGA ASAM", ("asam_msi_csv", "asam_arcgis_csv", "asam_lephare_json")),
    "imb": ("IMB Crime at Sea", ("imb_pirate_attacks",)),
    "recaap": ("ReCAAP OpenMap", ("recaap_openmap",)),
    "live": ("ReCAAP/IMB live feed", ("recaap_imb_live",)),
}
"""Reporting channels of the maritime section: label and registry ids."""
MARITIME_SOURCE_IDS = tuple(sid for _, ids in COVERAGE_GROUPS.values() for sid in ids)
"""Registry ids of every incident channel."""


def source_coverage() -> pd.DataFrame:
    """Coverage of each reporting channel, read from the source registry.

    Returns
    -------
    pandas.DataFrame
        One row per :data:`COVERAGE_GROUPS` key: ``group``, ``label``, ``start``, ``end``
        (Timestamps: earliest start and latest end over the group's files; a year-only
        coverage ``2009/2023`` spans 1 Jan to 31 Dec), ``source_ids`` (``;``-joined).
    """
    rows = []
    for group, (label, ids) in COVERAGE_GROUPS.items():
        spans = [parse_coverage(get_source(sid).coverage) for sid in ids]
        rows.append(
            {
                "group": group,
                "label": label,
                "start": min(s[0] for s in spans),
                "end": max(s[1] for s in spans),
                "source_ids": ";".join(ids),
            }
        )
    return pd.DataFrame(rows)


def coverage_fractions(
    start: pd.Timestamp, end: pd.Timestamp, coverage: pd.DataFrame
) -> dict[str, float]:
    """Share of the days ``start``…``end`` (inclusive) each channel covers, by group."""
    days = (end - start).days + 1
    out = {}
    for row in coverage.itertuples():
        lo, hi = max(start, row.start), min(end, row.end)
        out[row.group] = round(max((hi - lo).days + 1, 0) / days, 4) if days > 0 else 0.0
    return out


def in_source_group(events: pd.DataFrame, group: str) -> pd.Series:
    """Whether each event was reported by a source of the channel ``group``."""
    ids = COVERAGE_GROUPS[group][1]
    listed = events["sources"].astype("string").fillna("").str.split(";")
    return listed.map(lambda names: any(n in ids for n in names)).astype(bool)
