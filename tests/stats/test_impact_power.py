"""Power before a training: the minimum detectable change of the impact estimator's unit-change
design, pinned to statsmodels' power functions (values quoted from statsmodels 0.15.0)."""

from __future__ import annotations

import numpy as np
import pytest

from kompeten.stats.impact import MonthlySpread, minimum_detectable_change, monthly_spread

# statsmodels.stats.power.TTestIndPower().solve_power(effect_size=None, nobs1=2, ratio=2,
#     alpha=0.05, power=0.8)  ->  3.2571731334231577   (Cohen's d, two-sided)
IND_2_4 = 3.2571731334231577
# TTestIndPower().solve_power(effect_size=None, nobs1=3, ratio=3, alpha=0.05, power=0.8)
IND_3_9 = 2.073313474382161
# statsmodels.stats.power.TTestPower().solve_power(effect_size=None, nobs=4, alpha=0.05,
#     power=0.8)  ->  2.1279493431921157   (one-sample)
ONE_4 = 2.1279493431921157
# TTestPower().solve_power(effect_size=None, nobs=2, alpha=0.05, power=0.8)  ->  11.549889754978167
ONE_2 = 11.549889754978167


def _spread(sigma2: float, rho: float | None = None) -> MonthlySpread:
    return MonthlySpread(sigma2=sigma2, df=100, rho=rho, n_units=6, n_values=120)


def test_with_comparison_units_it_is_statsmodels_two_sample_effect_times_the_change_sd() -> None:
    # σ² = 4, 6 months before and 6 after, independent months: V = 4 (1/6 + 1/6) = 4/3
    change, sd, df = minimum_detectable_change(_spread(4.0), 2, 4, 6, 6) or (0, 0, 0)
    assert sd == pytest.approx(np.sqrt(4 / 3), rel=1e-12) and df == 4
    assert change == pytest.approx(IND_2_4 * sd, rel=1e-5)  # statsmodels solves to about 1e-6
    change, sd, df = minimum_detectable_change(_spread(9.0), 3, 9, 12, 6) or (0, 0, 0)
    assert sd == pytest.approx(np.sqrt(9 * (1 / 12 + 1 / 6)), rel=1e-12) and df == 10
    assert change == pytest.approx(IND_3_9 * sd, rel=1e-5)  # statsmodels solves to about 1e-6


def test_without_comparison_units_it_is_the_one_sample_test_of_the_trained_units() -> None:
    change, sd, df = minimum_detectable_change(_spread(4.0), 4, 0, 6, 6) or (0, 0, 0)
    assert df == 3
    assert change == pytest.approx(ONE_4 * sd, rel=1e-5)  # statsmodels solves to about 1e-6


@pytest.mark.parametrize("sigma2", [4.0, 0.0765])
def test_two_trained_units_alone_have_one_degree_of_freedom_and_still_a_figure(
    sigma2: float,
) -> None:
    # scipy's nct.cdf is NaN far in the lower tail with df = 1: the search stopped with a 500
    change, sd, df = minimum_detectable_change(_spread(sigma2), 2, 0, 6, 6) or (0, 0, 0)
    assert df == 1
    assert change == pytest.approx(ONE_2 * sd, rel=1e-5)  # statsmodels solves to about 1e-6


def test_autocorrelated_months_inflate_the_change_as_the_exact_ar1_variance_of_a_mean() -> None:
    rho, m = 0.6, 6
    lag = np.abs(np.subtract.outer(np.arange(m), np.arange(m)))
    var_mean = float(np.sum(rho**lag)) / m**2  # Var(mean of m AR(1) values) / σ²
    _, sd, _ = minimum_detectable_change(_spread(4.0, rho), 2, 4, m, m) or (0, 0, 0)
    assert sd == pytest.approx(np.sqrt(4.0 * 2 * var_mean), rel=1e-12)
    # a negative estimate is taken as no autocorrelation (never a smaller figure)
    _, sd0, _ = minimum_detectable_change(_spread(4.0, -0.3), 2, 4, m, m) or (0, 0, 0)
    assert sd0 == pytest.approx(np.sqrt(4 / 3), rel=1e-12)


def test_too_few_units_give_no_figure() -> None:
    assert minimum_detectable_change(_spread(4.0), 1, 1, 6, 6) is None
    assert minimum_detectable_change(_spread(4.0), 1, 0, 6, 6) is None
    assert minimum_detectable_change(_spread(4.0), 2, 0, 0, 6) is None


def test_the_monthly_spread_pools_each_units_deviations_and_consecutive_pairs() -> None:
    # unit a: 1, 3 (mean 2); unit b: 10, 14, 12 (mean 12); month 5 of b is not after month 3
    s = monthly_spread(["a", "a", "b", "b", "b"], [1, 2, 1, 2, 5], [1, 3, 10, 14, 12])
    assert s is not None
    # deviations −1, 1, −2, 2, 0: Σ² = 10 over df = 1 + 2
    assert (s.sigma2, s.df, s.n_units, s.n_values) == (pytest.approx(10 / 3), 3, 2, 5)
    # consecutive pairs (a1,a2) and (b1,b2): (−1)(1) + (−2)(2) = −5, over Σ² = 10
    assert s.rho == pytest.approx(-0.5)
    assert monthly_spread(["a"], [1], [70.0]) is None
