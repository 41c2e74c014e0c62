"""Tables of a set of incidents: severity, vessel status and type, source agreement.

The tables of section 3 of the brief (:mod:`osa_analysis.analyse.maritime`), each computed
on any set of harmonised events (usually the country's piracy and armed robbery of the
recent period).
"""

from __future__ import annotations

import pandas as pd

from osa_analysis.analyse.channels import COVERAGE_GROUPS, in_source_group

SEVERITIES = ("CAT1", "CAT2", "CAT3", "CAT4", "Attempted", "NA")
"""ReCAAP significance levels, most to least severe; NA = no label and no rule applies."""
SEVERE_LEVELS = ("CAT1", "CAT2")
"""The more violent or costly ReCAAP levels."""
VESSEL_STATUSES = ("berthed", "anchored", "underway", "unknown")


def share_pct(part: float, whole: float) -> float | None:
    """Return ``part`` as a percentage of ``whole`` to one decimal (None when ``whole`` is 0)."""
    return None if not whole else round(100.0 * part / whole, 1)


def severity_table(events: pd.DataFrame) -> pd.DataFrame:
    """Events by ReCAAP severity and whether the label is ReCAAP's own or derived.

    Returns
    -------
    pandas.DataFrame
        One row per :data:`SEVERITIES` value: ``severity``, ``recaap_label`` (events
        whose label is ReCAAP's), ``derived`` (rule-based label), ``total``, ``share_pct``.
    """
    sev = events["severity"].astype("string").fillna("NA")
    basis = events["severity_basis"].astype("string")
    rows = []
    total = len(events)
    for level in SEVERITIES:
        at = sev.eq(level)
        n = int(at.sum())
        rows.append(
            {
                "severity": level,
                "recaap_label": int((at & basis.eq("source").fillna(False)).sum()),
                "derived": int((at & ~basis.eq("source").fillna(False)).sum()),
                "total": n,
                "share_pct": share_pct(n, total),
            }
        )
    return pd.DataFrame(rows)


def severity_summary(table: pd.DataFrame, n: int) -> dict:
    """Summarise a :func:`severity_table` of ``n`` incidents.

    Returns
    -------
    dict
        ``n``, ``n_recaap_label``, ``n_derived``, ``n_cat1_cat2`` (the
        :data:`SEVERE_LEVELS`) and ``share_cat1_cat2_pct``, ``n_attempted`` and ``rows``
        (the table as records).
    """
    by = table.set_index("severity")
    severe = int(by.loc[list(SEVERE_LEVELS), "total"].sum())
    return {
        "n": int(n),
        "n_recaap_label": int(table["recaap_label"].sum()),
        "n_derived": int(table["derived"].sum()),
        "n_cat1_cat2": severe,
        "share_cat1_cat2_pct": share_pct(severe, n),
        "n_attempted": int(by.loc["Attempted", "total"]),
        "rows": table.to_dict("records"),
    }


def vessel_status_table(events: pd.DataFrame) -> pd.DataFrame:
    """Events by vessel status, with the severe (CAT1–2) and attempted among them."""
    status = events["vessel_status"].astype("string").fillna("unknown")
    sev = events["severity"].astype("string")
    rows = []
    for s in VESSEL_STATUSES:
        at = status.eq(s)
        rows.append(
            {
                "vessel_status": s,
                "incidents": int(at.sum()),
                "share_pct": share_pct(int(at.sum()), len(events)),
                "cat1_cat2": int((at & sev.isin(list(SEVERE_LEVELS)).fillna(False)).sum()),
                "attempted": int((at & sev.eq("Attempted").fillna(False)).sum()),
            }
        )
    return pd.DataFrame(rows)


def vessel_status_summary(table: pd.DataFrame, n: int) -> dict:
    """Incidents of a :func:`vessel_status_table` at berth or anchor and under way, of ``n``."""
    by = table.set_index("vessel_status")["incidents"]
    return {
        "berthed_or_anchored": int(by.loc[["berthed", "anchored"]].sum()),
        "underway": int(by.loc["underway"]),
        "n": int(n),
    }


def vessel_type_table(events: pd.DataFrame, top: int = 8) -> pd.DataFrame:
    """Events by standardised vessel type (raw counts, no traffic denominator), largest first."""
    types = events["vessel_type_std"].astype("string").fillna("unknown").str.replace("_", " ")
    counts = types.value_counts()
    known = counts.drop("unknown", errors="ignore").sort_index()
    known = known.sort_values(ascending=False, kind="stable")
    rows = [
        {"vessel_type": t, "incidents": int(n), "share_pct": share_pct(int(n), len(events))}
        for t, n in known.head(top).items()
    ]
    rest = int(known.iloc[top:].sum())
    if rest:
        rows.append(
            {
                "vessel_type": "other types",
                "incidents": rest,
                "share_pct": share_pct(rest, len(events)),
            }
        )
    unknown = int(counts.get("unknown", 0))
    rows.append(
        {
            "vessel_type": "unknown",
            "incidents": unknown,
            "share_pct": share_pct(unknown, len(events)),
        }
    )
    return pd.DataFrame(rows)


def source_agreement_summary(events: pd.DataFrame) -> dict:
    """How many events more than one source reported, and whether their outcomes agree.

    Returns
    -------
    dict
        ``n_events``, ``n_multi_source`` (``n_sources`` > 1), ``share_multi_pct``,
        ``n_outcome_compared`` (multi-source events with an agreement flag),
        ``n_outcome_agree``, ``share_outcome_agree_pct`` and ``by_source``: events each
        channel reported (``{group: n}``).
    """
    n = len(events)
    multi = events["n_sources"].fillna(1).astype(int).gt(1)
    agree = events.loc[multi, "outcome_agreement"].astype("boolean")
    compared = int(agree.notna().sum())
    n_agree = int(agree.fillna(False).sum())
    return {
        "n_events": n,
        "n_multi_source": int(multi.sum()),
        "share_multi_pct": share_pct(int(multi.sum()), n),
        "n_outcome_compared": compared,
        "n_outcome_agree": n_agree,
        "share_outcome_agree_pct": share_pct(n_agree, compared),
        "by_source": {g: int(in_source_group(events, g).sum()) for g in COVERAGE_GROUPS},
    }
