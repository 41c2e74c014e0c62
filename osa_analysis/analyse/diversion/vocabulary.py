"""The names the diversion method and its records use: indicators, operators, statuses.

The config (``data/risk/diversion.yaml``) may only name the indicators of
:data:`INDICATORS` and the operators of :data:`OPS`; :func:`~.config.config_problems`
checks it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

from osa_analysis.core.i18n import N_

PRIMARY_ROLES = ("side_a_primary", "side_b_primary")
"""UCDP roles of a state that is a primary party to a conflict."""
INTERSTATE = 2
"""UCDP ``type_of_conflict`` of an interstate conflict."""
INTRASTATE = (3, 4)
"""UCDP ``type_of_conflict`` of internal (and internationalised internal) conflicts."""
WAR_INTENSITY = 2
"""UCDP ``intensity_level`` of a war (at least 1,000 battle deaths in the year)."""
LEVEL = 0.95
"""Confidence level of the exact intervals (not a method choice: the brief-wide convention)."""

AVAILABLE = ("ok", "carried forward")
"""Indicator statuses that carry a usable value."""
MISSING = ("missing", "no history")
"""Indicator statuses without a value (a rule that needs one is not computable)."""

INDICATORS: dict[str, dict[str, str]] = {
    "ucdp_primary_any": {
        "label": N_("active UCDP conflicts with the state as primary party"),
        "unit": "conflicts",
        "source": "ucdp_prio_acd",
    },
    "ucdp_primary_intrastate": {
        "label": N_("active internal conflicts with the state as primary party"),
        "unit": "conflicts",
        "source": "ucdp_prio_acd",
    },
    "ucdp_primary_interstate": {
        "label": N_("active interstate conflicts with the state as primary party"),
        "unit": "conflicts",
        "source": "ucdp_prio_acd",
    },
    "ucdp_primary_war": {
        "label": N_(
            "war-intensity conflicts (≥ 1,000 battle deaths) with the state as primary party"
        ),
        "unit": "conflicts",
        "source": "ucdp_prio_acd",
    },
    "ucdp_interstate_years_10y": {
        "label": N_("years of the last 10 with an interstate conflict (state primary party)"),
        "unit": "years",
        "source": "ucdp_prio_acd",
    },
    "sb_deaths_per_million": {
        "label": N_("state-based battle deaths per million people"),
        "unit": "deaths per million",
        "source": "ucdp_orgviolence_cy",
    },
    "gov_osv_deaths": {
        "label": N_("one-sided violence deaths by the government"),
        "unit": "deaths",
        "source": "ucdp_orgviolence_cy",
    },
    "gov_osv_per_million": {
        "label": N_("government one-sided violence deaths per million people"),
        "unit": "deaths per million",
        "source": "ucdp_orgviolence_cy",
    },
    "gov_osv_years_5y": {
        "label": N_("years of the last 5 with government one-sided violence"),
        "unit": "years",
        "source": "ucdp_orgviolence_cy",
    },
    "gov_osv_conflict_years_5y": {
        "label": N_("years of the last 5 with government one-sided violence during armed conflict"),
        "unit": "years",
        "source": "ucdp_orgviolence_cy",
    },
    "vdem_regime": {
        "label": N_("V-Dem Regimes of the World (0 closed autocracy to 3 liberal democracy)"),
        "unit": "category",
        "source": "vdem_ert",
    },
    "vdem_autocratization": {
        "label": N_("in a V-Dem autocratization episode (1 yes, 0 no)"),
        "unit": "flag",
        "source": "vdem_ert",
    },
    "wgi_pv": {"label": N_("WGI political stability"), "unit": "WGI estimate", "source": "wgi"},
    "wgi_rl": {"label": N_("WGI rule of law"), "unit": "WGI estimate", "source": "wgi"},
    "wgi_cc": {"label": N_("WGI control of corruption"), "unit": "WGI estimate", "source": "wgi"},
    "wgi_ge": {
        "label": N_("WGI government effectiveness"),
        "unit": "WGI estimate",
        "source": "wgi",
    },
    "coup_attempts_10y": {
        "label": N_("coup attempts in the 10 years to the coup data end"),
        "unit": "attempts",
        "source": "coups_powell_thyne",
    },
    "grayzone_mean_3y": {
        "label": N_("SCSDI gray-zone events a year with the state as actor (3-year mean)"),
        "unit": "events per year",
        "source": "scsdi_published",
    },
    "legal_unsc_measures": {
        "label": N_("under UN Security Council measures in Japan's sense (1 yes, 0 no)"),
        "unit": "flag",
        "source": "curated (data/risk/diversion.yaml)",
    },
}
"""Indicators the config may use: label (a message, translated where shown), unit and source
registry id."""

REGIME_LABELS = {
    0: N_("closed autocracy"),
    1: N_("electoral autocracy"),
    2: N_("electoral democracy"),
    3: N_("liberal democracy"),
}
"""V-Dem Regimes of the World codes (labels: messages, translated where shown)."""

OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}
"""Comparison operators a config condition may use."""
OP_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}
"""How each operator is written in evidence text."""
