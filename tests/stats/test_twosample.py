"""Welch's t-test for trained vs untrained groups, pinned to scipy and R."""

from __future__ import annotations

from typing import Any

import pytest
from scipy import stats

from kompeten.stats import welch_ttest

X = [3.1, 4.5, 2.8, 5.2, 3.9, 4.8]
Y = [2.2, 3.0, 2.5, 3.6, 1.9]


def test_it_matches_scipy_ttest_ind_with_unequal_variances() -> None:
    # scipy: stats.ttest_ind(X, Y, equal_var=False); .confidence_interval(0.95)
    ref = stats.ttest_ind(X, Y, equal_var=False)
    ci = ref.confidence_interval(0.95)
    r = welch_ttest(X, Y)
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
    assert r.df == pytest.approx(ref.df, rel=1e-12)
    assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-12)


def test_it_matches_r_t_test() -> None:
    # R: t.test(x, y)   (Welch is R's default)
    #   t = 2.859740547959798818, df = 8.816143892447644959, p = 0.019177096790718624
    #   95 percent CI: 0.291083736298100415 2.528916263701899148
    r = welch_ttest(X, Y)
    assert r.statistic == pytest.approx(2.859740547959798818, rel=1e-12)
    assert r.df == pytest.approx(8.816143892447644959, rel=1e-12)
    assert r.pvalue == pytest.approx(0.019177096790718624, rel=1e-10)
    assert r.ci_low == pytest.approx(0.291083736298100415, rel=1e-10)
    assert r.ci_high == pytest.approx(2.528916263701899148, rel=1e-12)
    assert r.mean_difference == pytest.approx(1.41, rel=1e-12)
    assert (r.n_x, r.n_y) == (6, 5)


@pytest.mark.filterwarnings("ignore:Precision loss:RuntimeWarning")
def test_it_allows_one_group_without_variance() -> None:
    # scipy: stats.ttest_ind([5, 5, 5], [1, 2, 3], equal_var=False)
    ref = stats.ttest_ind([5, 5, 5], [1, 2, 3], equal_var=False)
    r = welch_ttest([5, 5, 5], [1, 2, 3])
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert r.df == pytest.approx(2.0, rel=1e-12)


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        ([1], [1, 2], "at least 2"),
        ([1, 2], [], "empty"),
        ([1, 1], [2, 2], "zero variance"),
        ([0.3, 0.1 + 0.2], [0.7, 0.7], "zero variance"),  # equal up to rounding
        ([1, float("nan")], [1, 2], "NaN"),
        ([1, "x"], [1, 2], "numbers"),
    ],
)
def test_it_rejects_bad_input(x: Any, y: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        welch_ttest(x, y)
