"""Track record: the briefs' probabilistic judgements backtested on history.

For every origin year (31 December) and every state of the panel, each judgement kind of
the brief (S1 interstate conflict onset, S2 coup attempt, S3 government one-sided
violence; ``data/risk/backtest.yaml``) is computed as a brief issued that day would
compute it, from the tables cut at the origin (:mod:`.forecasts`), and resolved on the
following 12 and 36 months by the kind's resolution source (:mod:`.panel`). A regularised
logistic regression refitted at every origin is the challenger (:mod:`.model`);
climatology and persistence are the references. :mod:`.scores` scores them (Brier, log
score, skill, AUC, calibration), :mod:`.report` assembles ``scores.json`` and a state's
own record.
"""

from osa_analysis.analyse.backtest.apply import (
    assess_with_selected_models,
    fitted_models,
    selected_probabilities,
)
from osa_analysis.analyse.backtest.config import CONFIG_FILE, load_backtest_config
from osa_analysis.analyse.backtest.report import (
    LOOK_AHEAD_NOTE,
    SCORES_SCHEMA_VERSION,
    backtest_scores,
    country_record,
    record_summary,
    track_record,
)
from osa_analysis.analyse.backtest.run import (
    BACKTEST_SOURCES,
    MODELS,
    backtest_forecasts,
    cached_backtest_forecasts,
)

__all__ = [
    "BACKTEST_SOURCES",
    "CONFIG_FILE",
    "LOOK_AHEAD_NOTE",
    "MODELS",
    "SCORES_SCHEMA_VERSION",
    "assess_with_selected_models",
    "backtest_forecasts",
    "backtest_scores",
    "cached_backtest_forecasts",
    "country_record",
    "fitted_models",
    "load_backtest_config",
    "record_summary",
    "selected_probabilities",
    "track_record",
]
