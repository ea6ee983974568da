"""Paired t-test, pinned to scipy and R."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from kompeten.stats import paired_ttest

BEFORE = [62, 55, 70, 48, 66, 59, 73, 51, 64, 58]
AFTER = [70, 61, 72, 55, 65, 68, 80, 60, 71, 58]


def test_it_matches_scipy_ttest_rel() -> None:
    # scipy: stats.ttest_rel(AFTER, BEFORE); .confidence_interval(0.95)
    ref = stats.ttest_rel(AFTER, BEFORE)
    ci = ref.confidence_interval(0.95)
    r = paired_ttest(BEFORE, AFTER)
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
    assert r.df == ref.df == 9
    assert r.ci_low == pytest.approx(ci.low, rel=1e-12)
    assert r.ci_high == pytest.approx(ci.high, rel=1e-12)


def test_it_matches_r_t_test_paired() -> None:
    # R: t.test(after, before, paired = TRUE)
    #   t = 4.6304617988477394519, df = 9, p-value = 0.0012358639645822761
    #   95 percent CI: 2.7618940810287884169 8.0381059189712118496; mean difference 5.4
    r = paired_ttest(BEFORE, AFTER)
    assert r.statistic == pytest.approx(4.6304617988477394519, rel=1e-12)
    assert r.pvalue == pytest.approx(0.0012358639645822761, rel=1e-10)
    assert r.ci_low == pytest.approx(2.7618940810287884169, rel=1e-12)
    assert r.ci_high == pytest.approx(8.0381059189712118496, rel=1e-12)
    assert r.mean_difference == pytest.approx(5.4, rel=1e-15)
    assert r.n == 10


def test_it_reports_after_minus_before() -> None:
    r = paired_ttest([10, 12, 11], [8, 9, 10])
    assert r.mean_difference < 0
    assert r.statistic < 0


def test_it_uses_the_requested_confidence() -> None:
    # scipy: stats.ttest_rel(AFTER, BEFORE).confidence_interval(0.90)
    ci = stats.ttest_rel(AFTER, BEFORE).confidence_interval(0.90)
    r = paired_ttest(BEFORE, AFTER, confidence=0.90)
    assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-12)
    assert r.confidence == 0.90


def test_it_works_with_two_pairs_and_numpy_input() -> None:
    # scipy: stats.ttest_rel([3.0, 5.0], [1.0, 2.0])
    ref = stats.ttest_rel([3.0, 5.0], [1.0, 2.0])
    r = paired_ttest(np.array([1.0, 2.0]), (3.0, 5.0))
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
    assert r.df == 1


def test_it_states_its_method_and_reference() -> None:
    r = paired_ttest(BEFORE, AFTER)
    assert "after - before" in r.method
    assert "Student" in r.reference


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ([1], [2], "at least 2 pairs"),
        ([], [], "empty"),
        ([1, 2, 3], [1, 2], "same length"),
        ([1, 2, float("nan")], [1, 2, 3], "NaN"),
        ([1, 2, float("inf")], [1, 2, 3], "infinite"),
        (["a", "b"], [1, 2], "numbers"),
        ("12", [1, 2], "string"),
        ([[1, 2], [3, 4]], [[1, 2], [3, 4]], "one-dimensional"),
        ([1, 2, 3], [2, 3, 4], "zero"),
        ([0.1, 0.2, 0.3], [0.2, 0.3, 0.4], "zero"),  # equal up to rounding
        ([1, None, 3], [2, 3, 4], "numbers"),
    ],
)
def test_it_rejects_bad_input(before: Any, after: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        paired_ttest(before, after)


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.1, True, "0.95"])
def test_it_rejects_a_bad_confidence(confidence: object) -> None:
    with pytest.raises(ValueError, match="confidence"):
        paired_ttest(BEFORE, AFTER, confidence=confidence)  # type: ignore[arg-type]


pairs = st.lists(
    st.tuples(
        st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
        st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
    ),
    min_size=2,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(pairs)
def test_its_interval_holds_the_mean_difference_and_p_is_a_probability(
    data: list[tuple[float, float]],
) -> None:
    before = [b for b, _ in data]
    after = [a for _, a in data]
    assume(np.ptp(np.subtract(after, before)) > 1e-6)
    r = paired_ttest(before, after)
    assert r.ci_low <= r.mean_difference <= r.ci_high
    assert 0.0 <= r.pvalue <= 1.0
    swapped = paired_ttest(after, before)
    assert math.isclose(swapped.statistic, -r.statistic, rel_tol=1e-9, abs_tol=1e-12)
