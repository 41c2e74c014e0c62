"""OSA misuse and diversion risk, conditioned on the equipment supplied.

Implements brief-anchors Part B section 8 and Part A4 for any state and any as-of date,
from the store's global tables (UCDP/PRIO ACD, UCDP Organized Violence, WGI, V-Dem ERT,
Powell & Thyne coups, World Bank population, the harmonised incident table with its SCSDI
gray-zone events) and the curated OSA project table:

* **Criterion matrix** (:mod:`.criteria`): EU Common Position criteria 2, 3, 4 and 7, ATT
  Art. 7(1)(a), 7(1)(b)(i)-(ii) and Art. 11, and Japan's Three Principles "party to a
  conflict" test twice: the narrow legal test (a curated flag: UN Security Council
  measures) and the empirical flag (primary party to an active UCDP conflict). Each row is
  rated not critical / possibly critical / critical (BICC style) from thresholds in the
  config, with a trend against the same rule applied five years earlier; the indicators are
  computed in :mod:`.indicators`.
* **Scenario register** (:mod:`.scenarios`): S1-S6 with likelihoods over 12 and 36 months
  from stated base rates (:mod:`.rates`: exact Poisson or binomial intervals; ``P(≥1 in T)
  = 1 − exp(−λT)``; pooled reference rates in :mod:`.reference`), PHIA yardstick terms,
  confidence, equipment relevance from the OSA projects table, the OSA controls and a
  residual rating (:mod:`.equipment`).
* **Trip-wires** (:mod:`.tripwires`): computed conditions with status and data date.

Entry point: :func:`~.assess.assess` ``(scope, tables) -> DiversionResult``. Every method
choice (indicators, thresholds, windows, yardstick, relevance matrix, residual rule) is in
``data/risk/diversion.yaml`` (:mod:`.config`); its ``method_version`` and sha256 are
reported. Missing data are reported as missing with the reason; nothing is imputed, and
values carried forward within the configured look-back are flagged.
"""

from osa_analysis.analyse.diversion.assess import (
    DiversionResult,
    assess,
    assess_country,
    overall_rating,
    peer_ratings,
    shared_criterion_matrix,
)
from osa_analysis.analyse.diversion.config import (
    CONFIG_FILE,
    config_problems,
    config_sha,
    load_config,
)
from osa_analysis.analyse.diversion.criteria import (
    condition_holds,
    criterion_matrix,
    peer_matrix,
    rate_criterion,
    trend_label,
)
from osa_analysis.analyse.diversion.data import (
    SOURCES,
    TABLE_NAMES,
    DiversionTables,
    diversion_tables,
    grayzone_actor_events,
    grayzone_applicable,
    grayzone_counts,
    piracy_events,
)
from osa_analysis.analyse.diversion.equipment import (
    equipment_relevance,
    project_categories,
    residual_risk,
)
from osa_analysis.analyse.diversion.indicators import country_indicators
from osa_analysis.analyse.diversion.rates import (
    binomial_base_rate,
    confidence_level,
    poisson_base_rate,
    prob_at_least_one,
    prob_at_least_one_binomial,
    probability,
    shift_term,
    term_range,
    yardstick_term,
)
from osa_analysis.analyse.diversion.reference import (
    REFERENCE_SOURCES,
    build_reference_rates,
    interstate_onsets,
    reference_rates,
)
from osa_analysis.analyse.diversion.scenarios import scenario_base_rates, scenario_register
from osa_analysis.analyse.diversion.tripwires import (
    TRIPWIRE_SOURCES,
    count_rise,
    tripwire_autocratization,
    tripwire_coup,
    tripwire_grayzone,
    tripwire_new_conflict,
    tripwire_piracy,
    tripwire_wgi_pv,
    tripwires,
    wgi_fall,
)
from osa_analysis.analyse.diversion.vocabulary import (
    AVAILABLE,
    INDICATORS,
    MISSING,
    OP_SYMBOLS,
    REGIME_LABELS,
)

__all__ = [
    "AVAILABLE",
    "CONFIG_FILE",
    "INDICATORS",
    "MISSING",
    "OP_SYMBOLS",
    "REFERENCE_SOURCES",
    "REGIME_LABELS",
    "SOURCES",
    "TABLE_NAMES",
    "TRIPWIRE_SOURCES",
    "DiversionResult",
    "DiversionTables",
    "assess",
    "assess_country",
    "binomial_base_rate",
    "build_reference_rates",
    "condition_holds",
    "confidence_level",
    "config_problems",
    "config_sha",
    "count_rise",
    "country_indicators",
    "criterion_matrix",
    "diversion_tables",
    "equipment_relevance",
    "grayzone_actor_events",
    "grayzone_applicable",
    "grayzone_counts",
    "interstate_onsets",
    "load_config",
    "overall_rating",
    "peer_matrix",
    "peer_ratings",
    "piracy_events",
    "poisson_base_rate",
    "prob_at_least_one",
    "prob_at_least_one_binomial",
    "probability",
    "project_categories",
    "rate_criterion",
    "reference_rates",
    "residual_risk",
    "scenario_base_rates",
    "scenario_register",
    "shared_criterion_matrix",
    "shift_term",
    "term_range",
    "trend_label",
    "tripwire_autocratization",
    "tripwire_coup",
    "tripwire_grayzone",
    "tripwire_new_conflict",
    "tripwire_piracy",
    "tripwire_wgi_pv",
    "tripwires",
    "wgi_fall",
    "yardstick_term",
]
