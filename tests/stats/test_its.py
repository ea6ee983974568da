"""Interrupted time series: segmented regression with Newey-West errors."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.regression.linear_model import OLS

from kompeten.stats import default_maxlags, interrupted_time_series

# 22 months of a service index; the training lands at month 10.
Y = np.array(
    [20.1, 21.3, 20.8, 22.0, 22.9, 22.4, 23.8, 24.1, 23.5, 24.9, 28.7,
     29.9, 29.2, 31.0, 31.8, 32.9, 33.1, 34.6, 35.0, 36.2, 36.0, 37.9]
)  # fmt: skip
T0 = 10


def _design(n: int, t0: int) -> np.ndarray:
    t = np.arange(n, dtype=float)
    d = (t >= t0).astype(float)
    return np.column_stack([np.ones(n), t, d, (t - t0) * d])


def test_it_matches_statsmodels_hac_with_small_sample_correction() -> None:
    # statsmodels: OLS(Y, X).fit(cov_type="HAC", cov_kwds={"maxlags": 2, "use_correction": True},
    #                            use_t=True)
    ref = OLS(Y, _design(22, T0)).fit(
        cov_type="HAC", cov_kwds={"maxlags": 2, "use_correction": True}, use_t=True
    )
    r = interrupted_time_series(Y, T0)
    assert r.maxlags == 2
    assert (r.level_change, r.slope_change) == pytest.approx(tuple(ref.params[2:]), rel=1e-12)
    assert (r.level_se, r.slope_se) == pytest.approx(tuple(ref.bse[2:]), rel=1e-12)
    assert (r.level_pvalue, r.slope_pvalue) == pytest.approx(tuple(ref.pvalues[2:]), rel=1e-9)
    ci = ref.conf_int(alpha=0.05)
    assert (r.level_ci_low, r.level_ci_high) == pytest.approx(tuple(ci[2]), rel=1e-12)
    assert (r.slope_ci_low, r.slope_ci_high) == pytest.approx(tuple(ci[3]), rel=1e-12)


def test_it_matches_r_sandwich_newey_west() -> None:
    # R: fit <- lm(y ~ tt + D + P)   (tt = 0:21, D = tt >= 10, P = (tt - 10) * D)
    #    lmtest::coeftest(fit, vcov = sandwich::NeweyWest(fit, lag = 2, prewhite = FALSE,
    #                                                     adjust = TRUE))
    #    D  3.28410256410255519 0.279119058666153219 11.7659560038520397 6.9249115379667248e-10
    #    P  0.33228438228438034 0.040392360284429586  8.2264165783961136 1.6431978178711580e-07
    #    coefci(...): D 2.69769518189950253 3.87050994630560785
    #                 P 0.24742318230546545 0.41714558226329523
    r = interrupted_time_series(Y, T0, maxlags=2)
    assert r.level_change == pytest.approx(3.28410256410255519, rel=1e-12)
    assert r.level_se == pytest.approx(0.279119058666153219, rel=1e-10)
    assert r.level_pvalue == pytest.approx(6.9249115379667248e-10, rel=1e-6)
    assert r.slope_change == pytest.approx(0.33228438228438034, rel=1e-12)
    assert r.slope_se == pytest.approx(0.040392360284429586, rel=1e-10)
    assert r.slope_pvalue == pytest.approx(1.6431978178711580e-07, rel=1e-7)
    assert (r.level_ci_low, r.level_ci_high) == pytest.approx(
        (2.69769518189950253, 3.87050994630560785), rel=1e-10
    )
    assert (r.slope_ci_low, r.slope_ci_high) == pytest.approx(
        (0.24742318230546545, 0.41714558226329523), rel=1e-10
    )
    assert r.intercept == pytest.approx(20.39818181818180065, rel=1e-12)
    assert r.pre_slope == pytest.approx(0.48484848484848708, rel=1e-12)


def test_zero_lags_match_r_with_lag_zero() -> None:
    # R: coeftest(fit, vcov = NeweyWest(fit, lag = 0, prewhite = FALSE, adjust = TRUE))
    #    D 0.461182167895677064;  P 0.068961379096586659
    r = interrupted_time_series(Y, T0, maxlags=0)
    assert r.level_se == pytest.approx(0.461182167895677064, rel=1e-10)
    assert r.slope_se == pytest.approx(0.068961379096586659, rel=1e-10)


def test_its_errors_follow_the_newey_west_formula() -> None:
    x = _design(22, T0)
    beta, *_ = np.linalg.lstsq(x, Y, rcond=None)
    scores = x * (Y - x @ beta)[:, None]
    lags = 2
    meat = scores.T @ scores
    for lag in range(1, lags + 1):
        w = 1 - lag / (lags + 1)  # Bartlett
        gamma = scores[lag:].T @ scores[:-lag]
        meat += w * (gamma + gamma.T)
    bread = np.linalg.inv(x.T @ x)
    cov = bread @ meat @ bread * 22 / (22 - 4)
    r = interrupted_time_series(Y, T0, maxlags=lags)
    assert r.level_se == pytest.approx(np.sqrt(cov[2, 2]), rel=1e-10)
    assert r.slope_se == pytest.approx(np.sqrt(cov[3, 3]), rel=1e-10)
    assert r.post_slope == pytest.approx(beta[1] + beta[3], rel=1e-10)


def test_the_default_lag_rule_is_newey_west_1994() -> None:
    for n in (5, 10, 22, 60, 100, 500):
        assert default_maxlags(n) == int(np.floor(4 * (n / 100) ** (2 / 9)))
    assert interrupted_time_series(Y, T0).maxlags == default_maxlags(22) == 2


def test_it_reports_the_segments() -> None:
    r = interrupted_time_series(Y, T0)
    assert (r.n, r.n_pre, r.n_post, r.intervention_index, r.df) == (22, 10, 12, 10, 18)
    assert "Newey-West" in r.method and "n/(n - 4)" in r.method


@pytest.mark.parametrize(
    ("y", "index", "maxlags", "message"),
    [
        ([1, 2, 3, 4], 2, None, "at least 5"),
        (Y, 1, None, "at least 2 observations before"),
        (Y, 21, None, "at least 2 observations before"),
        (Y, 10.0, None, "whole number"),
        (Y, True, None, "whole number"),
        (Y, 10, -1, "maxlags"),
        (Y, 10, 22, "smaller than the series length"),
        (Y, 10, 1.5, "maxlags"),
        (np.where(np.arange(22) == 3, np.inf, Y), 10, None, "infinite"),
        ([0, 1, 2, 3, 10, 11, 12], 4, None, "fits perfectly"),
    ],
)
def test_it_rejects_bad_input(y: object, index: object, maxlags: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        interrupted_time_series(y, index, maxlags=maxlags)  # type: ignore[arg-type]
