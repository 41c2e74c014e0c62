"""Tiny synthetic tables of the diversion tests (exact values are worked out by hand).

Three states (PHL, FJI, CHN): UCDP conflicts of the Philippines (internal conflicts 1 and 2,
an interstate conflict 3 with China in 2024), government one-sided violence in 2016 and
2022, WGI, V-Dem (an autocratization episode from 2016), Powell & Thyne coups, population,
SCSDI gray-zone events (5, 6, 4 and 30 in 2020-2023) and piracy (2 a year, 20 in 2026).
"""

from __future__ import annotations

import pandas as pd

from osa_analysis.analyse import diversion as D
from osa_analysis.analyse.tables import TableStore

AS_OF = pd.Timestamp("2026-08-09")


BACKTEST_END = 2020
"""Last origin of the synthetic backtest (``tests/unit/conftest.py``)."""

EXTRA_COUP = pd.DataFrame(
    {"country_iso3": ["CHN"], "date": [pd.Timestamp("2012-03-01")], "outcome": ["failed"]}
)
"""A coup attempt added to the synthetic record: no origin before it may see it."""


def origins_to(table: pd.DataFrame, end: int) -> pd.DataFrame:
    """The rows of origins to ``end``, as a backtest that stops there returns them."""
    return table[table["year"] <= end].reset_index(drop=True)


def make_tables(**over) -> D.DiversionTables:
    acd = pd.DataFrame(
        {
            "side_a": ["Government of Philippines"] * 4 + ["Government of China"],
            "side_b": ["NPA", "NPA", "ASG", "ASG", "Government of Philippines"],
            "year": [2023, 2024, 2024, 2020, 2024],
        },
        index=pd.Index([10, 11, 12, 13, 14], name="acd_record"),
    )
    cy = pd.DataFrame(
        {
            "acd_record": [10, 11, 12, 13, 14, 14],
            "conflict_id": [1, 1, 2, 2, 3, 3],
            "year": [2023, 2024, 2024, 2020, 2024, 2024],
            "country_iso3": ["PHL", "PHL", "PHL", "PHL", "CHN", "PHL"],
            "role": [
                "side_a_primary",
                "side_a_primary",
                "side_a_primary",
                "side_a_primary",
                "side_a_primary",
                "side_b_primary",
            ],
            "type_of_conflict": [3, 3, 3, 3, 2, 2],
            "intensity_level": [1, 1, 1, 1, 1, 1],
        }
    )
    years = list(range(1989, 2025))
    rows = []
    for iso in ("PHL", "FJI", "CHN"):
        for y in years:
            rows.append(
                {
                    "country_iso3": iso,
                    "year": y,
                    "region": "Asia",
                    "sb_best_deaths": 100 if iso == "PHL" and y == 2024 else 0,
                    "sb_low_deaths": 90 if iso == "PHL" and y == 2024 else 0,
                    "sb_high_deaths": 110 if iso == "PHL" and y == 2024 else 0,
                    "os_main_govt_best_deaths": 30 if iso == "PHL" and y in (2016, 2022) else 0,
                    "os_main_govt_low_deaths": 30 if iso == "PHL" and y in (2016, 2022) else 0,
                    "os_main_govt_high_deaths": 30 if iso == "PHL" and y in (2016, 2022) else 0,
                }
            )
    orgvio = pd.DataFrame(rows)
    wgi = pd.DataFrame(
        [
            (iso, y, code, est, 0.2)
            for iso, est in (("PHL", -0.5), ("FJI", 0.5), ("CHN", 0.0))
            for y in (2018, 2022, 2023)
            for code in ("pv", "rl", "cc", "ge")
        ],
        columns=["country_iso3", "year", "indicator", "estimate", "std_error"],
    )
    ert = pd.DataFrame(
        [
            {
                "country_iso3": iso,
                "year": y,
                "regime": 1 if iso == "PHL" else 2 if iso == "FJI" else 0,
                "polyarchy": 0.4,
                "polyarchy_low": 0.35,
                "polyarchy_high": 0.45,
                "aut_ep": iso == "PHL" and y >= 2016,
                "aut_ep_start_year": 2016 if iso == "PHL" and y >= 2016 else pd.NA,
            }
            for iso in ("PHL", "FJI", "CHN")
            for y in range(1985, 2025)
        ]
    )
    coups = pd.DataFrame(
        {
            "country_iso3": ["PHL"] * 5 + ["FJI"] * 3,
            "date": pd.to_datetime(
                [
                    "1986-07-06",
                    "1987-01-27",
                    "1987-08-27",
                    "1989-12-01",
                    "1990-10-04",
                    "1987-05-14",
                    "2000-05-29",
                    "2006-12-05",
                ]
            ),
            "outcome": ["failed"] * 5 + ["successful"] * 3,
        }
    )
    population = pd.DataFrame(
        {"country_iso3": ["PHL", "FJI", "CHN"], "year": [2024] * 3, "population": [1e8, 1e6, 1e9]}
    )
    gz_rows = [("PHL", y, pd.Timestamp(y, 6, 1)) for y, n in ((2020, 5), (2021, 6), (2022, 4))]
    gz = [r for r, n in zip(gz_rows, (5, 6, 4), strict=True) for _ in range(n)]
    gz += [("PHL", 2023, pd.Timestamp(2023, 6, 1))] * 30
    grayzone = pd.DataFrame(gz, columns=["country_iso3", "year", "date"])
    channels = pd.DataFrame(
        {
            "group": ["all"],
            "label": ["All channels"],
            "start": [pd.Timestamp("2000-01-01")],
            "end": [pd.Timestamp("2026-08-09")],
        }
    )
    piracy_dates = (
        [pd.Timestamp("2023-01-15")] * 2
        + [pd.Timestamp("2024-01-15")] * 2
        + [pd.Timestamp("2025-01-15")] * 2
        + [pd.Timestamp("2026-03-01")] * 20
    )
    piracy = pd.DataFrame(
        {"coastal_state_iso3": "PHL", "date": piracy_dates, "sources": "recaap_imb_live"}
    )
    base = {
        "acd": acd,
        "conflict_years": cy,
        "orgvio": orgvio,
        "wgi": wgi,
        "ert": ert,
        "coups": coups,
        "population": population,
        "grayzone": grayzone,
        "piracy": piracy,
        "channels": channels,
    }
    base.update(over)
    return D.DiversionTables(**base)


def projects():
    return pd.DataFrame(
        {
            "project_id": ["OSA-FY2023-PHL-1", "OSA-FY2025-PHL-1", "OSA-FY2026-PHL-1", "X-1"],
            "country_iso3": ["PHL", "PHL", "PHL", "FJI"],
            "equipment_categories": ["radar", "rigid_inflatable_boat;ais", "uav", "rescue_boat"],
            "signed_date": pd.to_datetime(["2023-11-03", None, "2027-01-01", "2023-12-18"]),
            "status": ["delivered", "designated_candidate", "signed", "delivered"],
        }
    )


def incidents(tables: D.DiversionTables) -> pd.DataFrame:
    """The store's incident table behind ``tables.grayzone`` and ``tables.piracy``."""
    gz = tables.grayzone
    pir = tables.piracy
    return pd.DataFrame(
        {
            "incident_id": [f"gz-{i}" for i in range(len(gz))]
            + [f"pir-{i}" for i in range(len(pir))],
            "category": ["gray_zone_coercion"] * len(gz) + ["piracy_armed_robbery"] * len(pir),
            "actors_iso3": list(gz["country_iso3"]) + [pd.NA] * len(pir),
            "coastal_state_iso3": [pd.NA] * len(gz) + list(pir["coastal_state_iso3"]),
            "date": list(gz["date"]) + list(pir["date"]),
            "event_year": pd.array(list(gz["year"]) + [d.year for d in pir["date"]], dtype="Int64"),
            "sources": ["scsdi_geocoded"] * len(gz) + list(pir["sources"]),
        }
    )


def make_store(as_of: pd.Timestamp = AS_OF, **over) -> TableStore:
    """A table store over the synthetic tables (``over`` replaces DiversionTables fields)."""
    tables = make_tables(**over)
    return TableStore(
        as_of,
        tables={
            "ucdp_acd": tables.acd,
            "ucdp_conflict_years": tables.conflict_years,
            "ucdp_orgvio": tables.orgvio,
            "wgi": tables.wgi,
            "vdem_ert": tables.ert,
            "coups_powell_thyne": tables.coups,
            "wb_population": tables.population,
            "incidents": incidents(tables),
            "osa_projects": projects(),
        },
    )
