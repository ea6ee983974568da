"""Means, variances and intervals from raw values and from rollups; Wilson intervals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from kompeten.stats import describe_counts, describe_sums, mean_ci, proportion_ci

VALUES = [4, 5, 3, 4, 4, 2, 5, 5, 3, 4]


def test_mean_ci_matches_scipy_t_interval() -> None:
    # scipy: stats.t.interval(0.95, n - 1, loc=mean, scale=stats.sem(values))
    low, high = stats.t.interval(0.95, 9, loc=np.mean(VALUES), scale=stats.sem(VALUES))
    r = mean_ci(VALUES)
    assert r.mean == pytest.approx(3.9, rel=1e-15)
    assert r.variance == pytest.approx(np.var(VALUES, ddof=1), rel=1e-14)
    assert r.se == pytest.approx(stats.sem(VALUES), rel=1e-14)
    assert (r.ci_low, r.ci_high) == pytest.approx((low, high), rel=1e-13)
    assert (r.n, r.df) == (10, 9)


def test_mean_ci_matches_r_t_test() -> None:
    # R: t.test(c(4, 5, 3, 4, 4, 2, 5, 5, 3, 4))$conf.int
    #    -> 3.1886284002805008 4.6113715997194991   (mean 3.9, sd 0.99442892601175326)
    r = mean_ci(VALUES)
    assert r.sd == pytest.approx(0.99442892601175326, rel=1e-14)
    assert r.ci_low == pytest.approx(3.1886284002805008, rel=1e-12)
    assert r.ci_high == pytest.approx(4.6113715997194991, rel=1e-12)


def test_a_single_value_has_a_mean_but_no_spread() -> None:
    r = mean_ci([7.5])
    assert r.mean == 7.5
    assert (r.variance, r.sd, r.se, r.ci_low, r.ci_high) == (None, None, None, None, None)


def test_constant_values_have_a_zero_width_interval() -> None:
    r = mean_ci([3, 3, 3])
    assert (r.variance, r.ci_low, r.ci_high) == (0.0, 3.0, 3.0)


def test_describe_counts_equals_describing_the_expanded_values() -> None:
    counts = {1: 0, 2: 1, 3: 2, 4: 4, 5: 3}
    r = describe_counts(counts)
    raw = mean_ci(VALUES)
    assert r.n == raw.n == 10
    assert r.mean == pytest.approx(raw.mean, rel=1e-15)
    assert r.variance == pytest.approx(raw.variance, rel=1e-14)
    assert (r.ci_low, r.ci_high) == pytest.approx((raw.ci_low, raw.ci_high), rel=1e-14)


def test_describe_sums_equals_describing_the_values() -> None:
    x = np.asarray(VALUES, dtype=float)
    r = describe_sums(10, x.sum(), (x**2).sum(), confidence=0.99)
    raw = mean_ci(VALUES, confidence=0.99)
    assert r.mean == pytest.approx(raw.mean, rel=1e-15)
    assert r.variance == pytest.approx(raw.variance, rel=1e-13)
    assert (r.ci_low, r.ci_high) == pytest.approx((raw.ci_low, raw.ci_high), rel=1e-13)


def test_describe_sums_of_one_value_has_no_spread() -> None:
    r = describe_sums(1, 4.0, 16.0)
    assert (r.mean, r.variance) == (4.0, None)


def test_describe_sums_clips_a_rounding_error_to_zero_variance() -> None:
    x = np.full(7, 0.1)
    r = describe_sums(7, x.sum(), (x**2).sum())
    assert r.variance is not None and 0.0 <= r.variance < 1e-15


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 0.0, 0.0), "at least 1"),
        ((-1, 0.0, 0.0), "negative"),
        ((2.5, 1.0, 1.0), "whole number"),
        ((True, 1.0, 1.0), "whole number"),
        ((3, 12.0, 40.0), "inconsistent"),
        ((3, 12.0, -1.0), "negative"),
        ((1, 4.0, 15.0), "sum_x squared"),
        ((3, float("nan"), 1.0), "finite"),
        ((3, "12", 50.0), "number"),
    ],
)
def test_describe_sums_rejects_bad_input(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        describe_sums(*args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({}, "empty"),
        ({1: 0, 2: 0}, "add up to zero"),
        ({1: -1, 2: 3}, "negative"),
        ({1: 1.5}, "whole number"),
        ({float("nan"): 2}, "finite"),
        ({"a": 2}, "number"),
        ([(1, 2)], "mapping"),
    ],
)
def test_describe_counts_rejects_bad_input(counts: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        describe_counts(counts)  # type: ignore[arg-type]


@pytest.mark.parametrize(("x", "n"), [(7, 20), (0, 12), (12, 12), (1, 1), (50, 333)])
def test_proportion_ci_matches_statsmodels_wilson(x: int, n: int) -> None:
    # statsmodels: proportion_confint(x, n, alpha=0.05, method="wilson")
    low, high = proportion_confint(x, n, alpha=0.05, method="wilson")
    r = proportion_ci(x, n)
    assert (r.ci_low, r.ci_high) == pytest.approx((low, high), rel=1e-12, abs=1e-15)
    assert r.proportion == x / n


def test_proportion_ci_matches_r_prop_test_without_correction() -> None:
    # R: prop.test(7, 20, correct = FALSE)$conf.int -> 0.18119182410108206 0.56714572331476365
    # R: prop.test(0, 12, correct = FALSE)$conf.int -> 0 0.24249400665524079
    r = proportion_ci(7, 20)
    assert (r.ci_low, r.ci_high) == pytest.approx((0.18119182410108206, 0.56714572331476365))
    r0 = proportion_ci(0, 12)
    assert r0.ci_low == 0.0
    assert r0.ci_high == pytest.approx(0.24249400665524079, rel=1e-12)


@pytest.mark.parametrize(
    ("x", "n", "message"), [(3, 2, "cannot exceed"), (0, 0, "at least 1"), (-1, 5, "negative")]
)
def test_proportion_ci_rejects_bad_input(x: int, n: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        proportion_ci(x, n)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.integers(1, 5), st.integers(0, 40), min_size=1, max_size=5))
def test_counts_and_sums_agree_with_raw_values(counts: dict[int, int]) -> None:
    values = [score for score, c in counts.items() for _ in range(c)]
    if not values:
        with pytest.raises(ValueError):
            describe_counts(counts)
        return
    by_counts = describe_counts(counts)
    raw = mean_ci(values)
    x = np.asarray(values, dtype=float)
    by_sums = describe_sums(len(values), x.sum(), (x**2).sum())
    assert by_counts.mean == pytest.approx(raw.mean, rel=1e-12)
    assert by_sums.mean == pytest.approx(raw.mean, rel=1e-12)
    if raw.variance is None:
        assert by_counts.variance is None and by_sums.variance is None
    else:
        assert by_counts.variance == pytest.approx(raw.variance, rel=1e-9, abs=1e-12)
        assert by_sums.variance == pytest.approx(raw.variance, rel=1e-9, abs=1e-12)
