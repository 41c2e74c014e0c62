"""OSA Structural Security Risk Index: an INFORM-consistent composite for any country.

Every method choice is read from ``data/risk/composite.yaml`` and its generated
calibration ``data/risk/composite_calibration.yaml`` (:mod:`.method`); the modules only
compute:

1. :mod:`.panel`: the indicator panel, every indicator for every country of the data and
   every year, built from the table store once per build (disk-cached);
2. :mod:`.table`: the indicator table at an as-of date (latest value within the
   indicator's look-back, flagged ``stale``, or missing with the reason);
3. :mod:`.normalise`: the COIN log rule, fixed goalposts of the reference year and the
   rescaling to 0–10 (higher = riskier);
4. :mod:`.aggregate`: arithmetic mean inside a dimension, (shifted) geometric mean across;
5. :mod:`.montecarlo`: the seeded Monte Carlo over weights, aggregation, normalisation,
   left-out indicator and indicator variant, over every country (the build's shared run),
   rank intervals and first-order sensitivity shares;
6. :mod:`.scores`: the scores, intervals, classes, ranks, reliability and trend of the
   countries asked for (:func:`composite_scores`);
7. :mod:`.calibration`: goalposts and class thresholds recomputed from the data
   (``osa-briefs methods calibrate``).

The names below are the package's public interface.
"""

from osa_analysis.analyse.composite.aggregate import aggregate
from osa_analysis.analyse.composite.calibration import (
    calibrate,
    calibration_differences,
    goalposts_from_data,
)
from osa_analysis.analyse.composite.coverage import coverage_years
from osa_analysis.analyse.composite.method import (
    CALIBRATION_FILE,
    CONFIG_FILE,
    CompositeMethod,
    MethodError,
    calibration_problems,
    dimension_names,
    load_method,
    method_problems,
    nominal_weights,
    primary_indicators,
)
from osa_analysis.analyse.composite.montecarlo import (
    GlobalRun,
    draw_choices,
    first_order_shares,
    global_run,
    nominal_scores,
    rank_desc,
    rank_intervals,
    run_global,
    run_monte_carlo,
    score_matrices,
)
from osa_analysis.analyse.composite.normalise import (
    coin_statistics,
    goalposts_for,
    log_rule,
    rescale,
)
from osa_analysis.analyse.composite.panel import (
    PANEL_COLUMNS,
    build_indicator_panel,
    indicator_panel,
    panel_source_ids,
)
from osa_analysis.analyse.composite.scores import (
    CompositeResult,
    class_of,
    classify,
    composite_scores,
    country_scores,
    paired_trend,
    previous_scores,
    reliability_score,
    trend_as_of,
)
from osa_analysis.analyse.composite.table import TABLE_COLUMNS, indicator_table, table_at
from osa_analysis.analyse.composite.windows import window_panel, window_ratio_panel

__all__ = [
    "CALIBRATION_FILE",
    "CONFIG_FILE",
    "PANEL_COLUMNS",
    "TABLE_COLUMNS",
    "CompositeMethod",
    "CompositeResult",
    "GlobalRun",
    "MethodError",
    "aggregate",
    "build_indicator_panel",
    "calibrate",
    "calibration_differences",
    "calibration_problems",
    "class_of",
    "classify",
    "coin_statistics",
    "composite_scores",
    "country_scores",
    "coverage_years",
    "dimension_names",
    "draw_choices",
    "first_order_shares",
    "global_run",
    "goalposts_for",
    "goalposts_from_data",
    "indicator_panel",
    "indicator_table",
    "load_method",
    "log_rule",
    "method_problems",
    "nominal_scores",
    "nominal_weights",
    "paired_trend",
    "panel_source_ids",
    "previous_scores",
    "primary_indicators",
    "rank_desc",
    "rank_intervals",
    "reliability_score",
    "rescale",
    "run_global",
    "run_monte_carlo",
    "score_matrices",
    "table_at",
    "trend_as_of",
    "window_panel",
    "window_ratio_panel",
]
