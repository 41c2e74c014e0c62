"""The scoring code on tiny cases with known answers, and AUC against scikit-learn's."""

import numpy as np
import pytest
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

from osa_analysis.analyse.backtest import scores as S

Y = np.array([1, 0, 0, 1, 0, 0, 0, 1, 0, 0])


def test_perfect_forecast_scores_zero_and_full_skill():
    assert S.brier(Y, Y) == 0.0
    clim = np.full(Y.size, Y.mean())
    assert S.skill(S.brier(Y, Y), S.brier(clim, Y)) == 1.0
    assert S.auc(Y, Y) == 1.0


def test_climatology_has_zero_skill_and_known_brier():
    clim = np.full(Y.size, 0.3)
    # 3 events at (0.7)^2, 7 non-events at (0.3)^2: (1.47 + 0.63) / 10
    assert S.brier(clim, Y) == pytest.approx(0.21)
    assert S.skill(S.brier(clim, Y), S.brier(clim, Y)) == 0.0
    assert S.auc(clim, Y) == 0.5


def test_anti_forecast_loses_to_climatology():
    anti = 1.0 - Y
    clim = np.full(Y.size, 0.3)
    assert S.brier(anti, Y) == 1.0
    assert S.skill(S.brier(anti, Y), S.brier(clim, Y)) == pytest.approx(1 - 1 / 0.21)
    assert S.auc(anti, Y) == 0.0


def test_scores_agree_with_scikit_learn():
    rng = np.random.default_rng(1)
    p = rng.uniform(0, 1, 200)
    y = (rng.uniform(0, 1, 200) < p).astype(int)
    p[:20] = 0.5  # ties count half in both
    assert S.auc(p, y) == pytest.approx(roc_auc_score(y, p))
    assert S.brier(p, y) == pytest.approx(brier_score_loss(y, p))
    assert S.log_score(p, y, floor=1e-15) == pytest.approx(log_loss(y, p))


def test_log_score_of_a_coin_is_log_two():
    assert S.log_score([0.5, 0.5], [1, 0]) == pytest.approx(np.log(2))


def test_calibrated_forecasts_have_slope_near_one_and_extreme_ones_below():
    rng = np.random.default_rng(7)
    p = rng.uniform(0.01, 0.6, 20000)
    y = (rng.uniform(0, 1, p.size) < p).astype(int)
    slope, intercept = S.calibration_slope(p, y)
    assert slope == pytest.approx(1.0, abs=0.06)
    assert intercept == pytest.approx(0.0, abs=0.1)
    # forecasts pushed away from the mean in log-odds (too extreme): slope about 1/2
    logit = np.log(p / (1 - p))
    extreme = 1 / (1 + np.exp(-(2 * logit - logit.mean())))
    assert S.calibration_slope(extreme, y)[0] == pytest.approx(0.5, abs=0.05)


def test_slope_is_none_with_one_outcome():
    assert S.calibration_slope([0.1, 0.2], [0, 0]) == (None, None)
    assert S.auc([0.1, 0.2], [0, 0]) is None


def test_calibration_bins_count_by_hand():
    bins = S.calibration_bins([0.0, 0.05, 0.1, 0.5, 1.0], [0, 0, 1, 1, 1], [0, 0.1, 0.5, 1])
    assert [b.n for b in bins] == [2, 1, 2]
    assert [b.events for b in bins] == [0, 1, 2]
    assert bins[0].mean_forecast == pytest.approx(0.025)
    assert bins[2].observed == 1.0
    empty = S.calibration_bins([0.05], [0], [0, 0.1, 1])[1]
    assert (empty.n, empty.mean_forecast, empty.observed) == (0, None, None)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        S.brier([1.2], [1])
    with pytest.raises(ValueError, match="0 or 1"):
        S.brier([0.2], [2])
    with pytest.raises(ValueError, match="shape"):
        S.brier([0.2, 0.1], [1])
    with pytest.raises(ValueError, match="increase"):
        S.calibration_bins([0.2], [1], [0, 0.5, 0.5, 1])


def test_cluster_bootstrap_is_reproducible_and_brackets_the_estimate():
    rng = np.random.default_rng(3)
    groups = np.repeat([f"C{i}" for i in range(30)], 10)
    p = rng.uniform(0, 1, groups.size)
    y = (rng.uniform(0, 1, groups.size) < p).astype(int)

    def stat(index):
        return S.auc(p[index], y[index])

    a = S.cluster_bootstrap(groups, stat, draws=200, seed=5)
    b = S.cluster_bootstrap(groups, stat, draws=200, seed=5)
    assert a == b
    assert a[0] < S.auc(p, y) < a[1]
    assert S.cluster_bootstrap([], stat, draws=10, seed=1) is None
