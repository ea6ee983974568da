"""Cronbach's alpha (with Feldt's interval) and intraclass correlations."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.regression.linear_model import OLS

from kompeten.stats import cronbach_alpha, cronbach_alpha_from_sums, icc

ITEMS = np.array(
    [
        [4, 5, 4, 3],
        [3, 3, 4, 3],
        [5, 5, 5, 4],
        [2, 3, 2, 2],
        [4, 4, 3, 4],
        [3, 2, 3, 3],
        [5, 4, 5, 5],
        [4, 4, 4, 3],
    ],
    dtype=float,
)

# Shrout & Fleiss (1979), table 2: 6 targets rated by 4 judges (also R psych::ICC's example).
SF = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)


def _alpha_by_formula(x: np.ndarray) -> float:
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def test_alpha_matches_r_psych_alpha() -> None:
    # R: a <- psych::alpha(items); a$total$raw_alpha; a$item.stats$r.drop;
    #    a$alpha.drop$raw_alpha; a$feldt (lower.ci, upper.ci)
    r = cronbach_alpha(ITEMS)
    assert r.alpha == pytest.approx(0.90279753437648158, rel=1e-13)
    assert r.item_total == pytest.approx(
        (0.96753235018456496, 0.62848119341660491, 0.82263378408074006, 0.73377929179716350),
        rel=1e-12,
    )
    assert r.alpha_if_deleted == pytest.approx(
        (0.80222841225626729, 0.92938496583143515, 0.85933503836317127, 0.89189189189189177),
        rel=1e-12,
    )
    assert r.ci_low == pytest.approx(0.71144181191218969, rel=1e-10)
    assert r.ci_high == pytest.approx(0.97816677012456055, rel=1e-10)
    assert (r.n, r.k, r.n_excluded) == (8, 4, 0)


def test_alpha_and_its_feldt_interval_follow_the_formulas() -> None:
    # pingouin.cronbach_alpha: 1 - (1 - alpha) * f.isf((1 -/+ ci) / 2, n - 1, (n - 1) * (k - 1))
    r = cronbach_alpha(ITEMS, confidence=0.90)
    alpha = _alpha_by_formula(ITEMS)
    df1, df2 = 7, 7 * 3
    assert r.alpha == pytest.approx(alpha, rel=1e-14)
    assert r.ci_low == pytest.approx(1 - (1 - alpha) * stats.f.isf(0.05, df1, df2), rel=1e-13)
    assert r.ci_high == pytest.approx(1 - (1 - alpha) * stats.f.isf(0.95, df1, df2), rel=1e-13)


def test_item_total_is_the_correlation_with_the_rest_score() -> None:
    r = cronbach_alpha(ITEMS)
    for j in range(4):
        rest = ITEMS.sum(axis=1) - ITEMS[:, j]
        assert r.item_total[j] == pytest.approx(np.corrcoef(ITEMS[:, j], rest)[0, 1], rel=1e-12)
        assert r.alpha_if_deleted[j] == pytest.approx(
            _alpha_by_formula(np.delete(ITEMS, j, axis=1)), rel=1e-13
        )


def test_it_drops_rows_with_missing_items_listwise() -> None:
    with_missing = np.vstack([ITEMS, [[np.nan, 3, 4, 2]], [[1, 2, np.nan, np.nan]]])
    r = cronbach_alpha(with_missing)
    assert r.alpha == pytest.approx(cronbach_alpha(ITEMS).alpha, rel=1e-15)
    assert (r.n, r.n_excluded) == (8, 2)


def test_a_constant_item_has_no_item_total_correlation() -> None:
    x = ITEMS.copy()
    x[:, 1] = 3.0
    r = cronbach_alpha(x)
    assert r.item_total[1] is None
    assert r.alpha == pytest.approx(_alpha_by_formula(x), rel=1e-14)


def test_two_items_have_no_alpha_if_deleted() -> None:
    r = cronbach_alpha(ITEMS[:, :2])
    assert r.alpha_if_deleted == (None, None)
    assert r.k == 2


def test_alpha_from_rollup_sums_equals_alpha_from_rows() -> None:
    total = ITEMS.sum(axis=1)
    r = cronbach_alpha_from_sums(
        8, ITEMS.sum(axis=0), (ITEMS**2).sum(axis=0), total.sum(), (total**2).sum()
    )
    raw = cronbach_alpha(ITEMS)
    assert r.alpha == pytest.approx(raw.alpha, rel=1e-12)
    assert (r.ci_low, r.ci_high) == pytest.approx((raw.ci_low, raw.ci_high), rel=1e-12)
    assert r.item_total == () and r.alpha_if_deleted == ()


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([[1, 2, 3]], "at least 2 respondents"),
        ([[1], [2], [3]], "at least 2 items"),
        ([[1, 2], [np.nan, 3], [4, np.nan]], "at least 2 respondents"),
        ([[1, 1], [1, 1], [1, 1]], "zero variance"),
        ([[1, 2], [2, np.inf]], "infinite"),
        ([1, 2, 3], "two-dimensional"),
        ([["a", "b"], ["c", "d"]], "numbers"),
        ([], "two-dimensional"),
    ],
)
def test_alpha_rejects_bad_input(items: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cronbach_alpha(items)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((1, [1, 2], [1, 4], 3, 9), "at least 2 respondents"),
        ((3, [6], [14], 6, 14), "at least 2 items"),
        ((3, [6, 6], [14], 12, 56), "same length"),
        ((3, [6, 6], [14, 14], 13, 56), "total_sum"),
        ((3, [3, 3], [3, 3], 6, 12), "zero variance"),
        ((2.5, [6, 6], [14, 14], 12, 56), "whole number"),
    ],
)
def test_alpha_from_sums_rejects_bad_input(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cronbach_alpha_from_sums(*args)  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.integers(1, 5), min_size=3, max_size=3), min_size=3, max_size=20))
def test_alpha_is_at_most_one_and_inside_its_interval(rows: list[list[int]]) -> None:
    x = np.array(rows, dtype=float)
    assume(x.sum(axis=1).var() > 0)
    r = cronbach_alpha(x)
    assert r.alpha <= 1.0 + 1e-12
    assert r.ci_low <= r.alpha <= r.ci_high


def test_icc_matches_shrout_and_fleiss_published_table() -> None:
    # Shrout & Fleiss (1979), table 4: ICC(1,1) .17, ICC(2,1) .29, ICC(3,1) .71,
    # ICC(1,4) .44, ICC(2,4) .62, ICC(3,4) .91
    r = icc(SF)
    published = {"icc1_1": 0.17, "icc2_1": 0.29, "icc3_1": 0.71, "icc1_k": 0.44,
                 "icc2_k": 0.62, "icc3_k": 0.91}  # fmt: skip
    for field, value in published.items():
        assert getattr(r, field).value == pytest.approx(value, abs=0.005)


def test_icc_matches_r_psych_icc() -> None:
    # R: psych::ICC(sf, lmer = FALSE)$results  (psych 2.2.9)
    # rows: ICC, F, df1, df2, p, lower bound, upper bound
    expected = {
        "icc1_1": (0.16574176840547555, 1.794678492239469, 5, 18, 0.16476880834463961123,
                   -0.132932324874750873, 0.72256006232812109),
        "icc2_1": (0.28976377952755922, 11.027247956403272, 5, 15, 0.00013456651648433693,
                   0.018786513374712047, 0.76108436964895310),
        "icc3_1": (0.71484071484071487, 11.027247956403272, 5, 15, 0.00013456651648433693,
                   0.342464765033925367, 0.94585825995535955),
        "icc1_k": (0.44279713367926893, 1.794678492239469, 5, 18, 0.16476880834463961123,
                   -0.884442155238118977, 0.91241542034077561),
        "icc2_k": (0.62005054759898925, 11.027247956403272, 5, 15, 0.00013456651648433693,
                   0.071136815302503487, 0.92723204016772198),
        "icc3_k": (0.90931554237706946, 11.027247956403272, 5, 15, 0.00013456651648433693,
                   0.675674713816304728, 0.98589167816906231),
    }  # fmt: skip
    r = icc(SF)
    for field, (value, f, df1, df2, p, low, high) in expected.items():
        est = getattr(r, field)
        assert est.value == pytest.approx(value, rel=1e-12), field
        assert est.f == pytest.approx(f, rel=1e-12), field
        assert (est.df1, est.df2) == (df1, df2), field
        assert est.pvalue == pytest.approx(p, rel=1e-9), field
        assert est.ci_low == pytest.approx(low, rel=1e-9), field
        assert est.ci_high == pytest.approx(high, rel=1e-9), field


def test_icc_mean_squares_match_a_two_way_anova_fit() -> None:
    # statsmodels: OLS(y, [1, target dummies, rater dummies]).fit().ssr is the residual SS
    n, k = SF.shape
    y = SF.ravel()
    target = np.repeat(np.arange(n), k)
    rater = np.tile(np.arange(k), n)
    x = np.column_stack([np.ones(n * k), np.eye(n)[target][:, 1:], np.eye(k)[rater][:, 1:]])
    ms_error = OLS(y, x).fit().ssr / ((n - 1) * (k - 1))
    ms_rows = k * SF.mean(axis=1).var(ddof=1)
    ms_cols = n * SF.mean(axis=0).var(ddof=1)
    r = icc(SF)
    assert r.ms_error == pytest.approx(ms_error, rel=1e-12)
    assert r.ms_rows == pytest.approx(ms_rows, rel=1e-12)
    assert r.ms_columns == pytest.approx(ms_cols, rel=1e-12)
    icc2 = (ms_rows - ms_error) / (ms_rows + (k - 1) * ms_error + k * (ms_cols - ms_error) / n)
    assert r.icc2_1.value == pytest.approx(icc2, rel=1e-12)
    assert r.icc3_1.value == pytest.approx(
        (ms_rows - ms_error) / (ms_rows + (k - 1) * ms_error), rel=1e-12
    )


def test_icc_three_one_ignores_a_rater_who_is_systematically_higher() -> None:
    shifted = SF.copy()
    shifted[:, 0] += 3.0
    a, b = icc(SF), icc(shifted)
    assert b.icc3_1.value == pytest.approx(a.icc3_1.value, rel=1e-12)
    assert b.icc2_1.value < a.icc2_1.value


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ([[1, 2, 3]], "at least 2 targets"),
        ([[1], [2], [3]], "at least 2 raters"),
        ([[1, 2], [np.nan, 3]], "missing"),
        ([[3, 3], [3, 3]], "every rating is the same"),
        ([[1, 2], [3, 4], [5, 6]], "no residual variance"),
        ([[1, 1], [2, 2]], "no residual variance"),
    ],
)
def test_icc_rejects_bad_input(ratings: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        icc(ratings)
