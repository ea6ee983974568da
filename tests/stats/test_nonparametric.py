"""Wilcoxon signed-rank and Mann-Whitney U, pinned to scipy and R."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from kompeten.stats import mann_whitney, wilcoxon_signed_rank

BEFORE = [62, 55, 70, 48, 66, 59, 73, 51, 64, 58]  # differences: 8 6 2 7 -1 9 7 9 7 0
AFTER = [70, 61, 72, 55, 65, 68, 80, 60, 71, 58]
B2 = np.array([10.2, 11.5, 9.8, 12.1, 10.9, 11.0, 9.5, 10.4])
A2 = B2 + np.array([1.3, -0.4, 2.1, 0.7, -1.6, 1.1, 0.9, 2.5])


def test_wilcoxon_is_exact_without_ties_or_zeros_and_matches_scipy() -> None:
    # scipy: stats.wilcoxon(A2 - B2, zero_method="wilcox", alternative="two-sided",
    #                       method="exact")
    ref = stats.wilcoxon(A2 - B2, zero_method="wilcox", alternative="two-sided", method="exact")
    r = wilcoxon_signed_rank(B2, A2)
    assert r.exact is True and r.z is None
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
    assert min(r.statistic, r.w_minus) == ref.statistic


def test_wilcoxon_exact_matches_r() -> None:
    # R: wilcox.test(a2, b2, paired = TRUE)  ->  V = 29, p-value = 0.14843750000000003
    r = wilcoxon_signed_rank(B2, A2)
    assert r.statistic == 29.0
    assert r.w_minus == 7.0
    assert r.pvalue == pytest.approx(0.14843750000000003, rel=1e-12)
    assert r.rank_biserial == pytest.approx((29 - 7) / 36, rel=1e-15)


def test_wilcoxon_with_ties_and_a_zero_matches_r() -> None:
    # R: wilcox.test(after, before, paired = TRUE)   (warns: cannot compute exact p with ties
    #    and zeroes; uses the normal approximation with continuity correction)
    #    V = 44, p-value = 0.012459728609350271
    r = wilcoxon_signed_rank(BEFORE, AFTER)
    assert r.exact is False
    assert r.statistic == 44.0
    assert r.pvalue == pytest.approx(0.012459728609350271, rel=1e-10)
    assert (r.n, r.n_used, r.n_zero, r.has_ties) == (10, 9, 1, True)


def test_wilcoxon_with_ties_matches_scipy_asymptotic_with_correction() -> None:
    # scipy: stats.wilcoxon(d, zero_method="wilcox", correction=True, alternative="two-sided",
    #                       method="asymptotic")
    d = np.subtract(AFTER, BEFORE)
    ref = stats.wilcoxon(
        d, zero_method="wilcox", correction=True, alternative="two-sided", method="asymptotic"
    )
    r = wilcoxon_signed_rank(BEFORE, AFTER)
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
    assert r.z is not None
    assert 2 * stats.norm.sf(abs(r.z)) == pytest.approx(ref.pvalue, rel=1e-12)


def test_wilcoxon_uses_the_exact_test_up_to_fifty_nonzero_differences() -> None:
    signs = np.where(np.arange(51) % 3 == 0, -1.0, 1.0)
    diffs = np.arange(1, 52) * 0.5 * signs  # distinct absolute values, no zeros
    before = np.zeros(51)
    at_fifty = wilcoxon_signed_rank(before[:50], diffs[:50])
    assert at_fifty.exact is True
    # scipy: stats.wilcoxon(diffs[:50], method="exact")
    assert at_fifty.pvalue == pytest.approx(stats.wilcoxon(diffs[:50], method="exact").pvalue)
    assert wilcoxon_signed_rank(before, diffs).exact is False


def test_wilcoxon_handles_the_smallest_sample() -> None:
    # scipy: stats.wilcoxon([1.0, 2.0], method="exact")
    r = wilcoxon_signed_rank([0, 0], [1, 2])
    assert r.pvalue == pytest.approx(stats.wilcoxon([1.0, 2.0], method="exact").pvalue)
    assert r.pvalue == 0.5
    assert r.rank_biserial == 1.0


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ([1, 2, 3], [1, 2, 3], "every difference is zero"),
        ([1], [2], "at least 2 pairs"),
        ([1, 2], [1, 2, 3], "same length"),
        ([1, np.nan], [1, 2], "NaN"),
        ([1, True, "x"], [1, 2, 3], "numbers"),
    ],
)
def test_wilcoxon_rejects_bad_input(before: Any, after: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        wilcoxon_signed_rank(before, after)


X = [3.1, 4.5, 2.8, 5.2, 3.9, 4.8]
Y = [2.2, 3.0, 2.5, 3.6, 1.9]
XL = [3, 4, 4, 5, 2, 4, 5, 3]
YL = [2, 3, 3, 4, 2, 3, 1, 3, 2]


def test_mann_whitney_exact_matches_scipy_and_r() -> None:
    # scipy: stats.mannwhitneyu(X, Y, alternative="two-sided", method="exact")
    # R: wilcox.test(x, y)  ->  W = 27, p-value = 0.030303030303030304
    ref = stats.mannwhitneyu(X, Y, alternative="two-sided", method="exact")
    r = mann_whitney(X, Y)
    assert r.exact is True
    assert r.statistic == ref.statistic == 27.0
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
    assert r.pvalue == pytest.approx(0.030303030303030304, rel=1e-12)
    assert r.common_language == pytest.approx(27 / 30, rel=1e-15)
    assert r.rank_biserial == pytest.approx(2 * 27 / 30 - 1, rel=1e-15)


def test_mann_whitney_with_ties_matches_scipy_and_r() -> None:
    # scipy: stats.mannwhitneyu(XL, YL, use_continuity=True, alternative="two-sided",
    #                           method="asymptotic")
    # R: wilcox.test(xl, yl)  ->  W = 58, p-value = 0.032056592864146076
    ref = stats.mannwhitneyu(
        XL, YL, use_continuity=True, alternative="two-sided", method="asymptotic"
    )
    r = mann_whitney(XL, YL)
    assert r.exact is False and r.has_ties is True
    assert r.statistic == ref.statistic == 58.0
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
    assert r.pvalue == pytest.approx(0.032056592864146076, rel=1e-10)
    assert r.z is not None
    assert 2 * stats.norm.sf(abs(r.z)) == pytest.approx(r.pvalue, rel=1e-12)


def test_mann_whitney_statistic_is_u_of_x() -> None:
    a, b = mann_whitney(X, Y), mann_whitney(Y, X)
    assert a.statistic + b.statistic == len(X) * len(Y)
    assert b.rank_biserial == pytest.approx(-a.rank_biserial, rel=1e-15)
    assert b.pvalue == pytest.approx(a.pvalue, rel=1e-12)


def test_mann_whitney_accepts_a_single_value_per_group() -> None:
    r = mann_whitney([2.0], [1.0])
    assert r.statistic == 1.0 and r.pvalue == 1.0


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        ([], [1, 2], "empty"),
        ([1, 2], [], "empty"),
        ([3, 3], [3, 3, 3], "every value is the same"),
        ([1, np.inf], [1, 2], "infinite"),
    ],
)
def test_mann_whitney_rejects_bad_input(x: Any, y: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        mann_whitney(x, y)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 5), min_size=1, max_size=15),
    st.lists(st.integers(1, 5), min_size=1, max_size=15),
)
def test_mann_whitney_on_likert_scores_gives_valid_results(x: list[int], y: list[int]) -> None:
    assume(len(set(x) | set(y)) > 1)
    r = mann_whitney(x, y)
    assert 0.0 <= r.pvalue <= 1.0
    assert 0.0 <= r.statistic <= len(x) * len(y)
    assert -1.0 <= r.rank_biserial <= 1.0
