"""The IKM confidence interval (quasi-binomial Wilson score interval): reference values,
coverage, range. The full coverage table is bench/bench_ikm_margin.py."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from kompeten.standards.ikm import (
    SKM_2017,
    UnsurStats,
    margin_of_error,
    margin_of_error_from_respondent_scores,
)

SLUGS = [u.slug for u in SKM_2017.unsur]


def on_unit(p: float) -> float:
    return 25 + 75 * p


def respondents_with_only_1_and_4(fours: int, n: int) -> tuple[int, int, int]:
    """n, ΣY, ΣY² for respondents scoring 100 (all 4) or 25 (all 1)."""
    return n, 100 * fours + 25 * (n - fours), 10000 * fours + 625 * (n - fours)


# --- reference: the Bernoulli special case is Wilson (1927) ------------------------------------


@pytest.mark.parametrize(
    ("fours", "n"), [(81, 263), (15, 148), (0, 20), (1, 29), (29, 29), (2, 2), (1, 2), (7, 10)]
)
def test_answers_only_1_and_4_give_the_wilson_interval_of_statsmodels(fours: int, n: int) -> None:
    # statsmodels 0.15: proportion_confint(count, nobs, alpha=0.05, method="wilson")
    lo, hi = proportion_confint(fours, n, alpha=0.05, method="wilson")
    result = margin_of_error_from_respondent_scores(*respondents_with_only_1_and_4(fours, n))
    assert result.lower == pytest.approx(on_unit(lo), abs=1e-9)
    assert result.upper == pytest.approx(on_unit(hi), abs=1e-9)
    assert result.estimate == pytest.approx(on_unit(fours / n))


def test_newcombe_1998_worked_example_81_of_263() -> None:
    # Newcombe (1998), Statist. Med. 17:857–872, example 81/263, method 3 (Wilson score, no
    # continuity correction): 0.2553 to 0.3662 (statsmodels prints the same to 4 decimals).
    result = margin_of_error_from_respondent_scores(*respondents_with_only_1_and_4(81, 263))
    assert (result.lower - 25) / 75 == pytest.approx(0.2553, abs=5e-5)
    assert (result.upper - 25) / 75 == pytest.approx(0.3662, abs=5e-5)
    # on the unit scale: 44,15 to 52,47 around 48,10; margin = the larger half-width
    assert result.margin == pytest.approx(result.upper - result.estimate)
    assert (round(result.lower, 2), round(result.upper, 2)) == (44.15, 52.47)


def test_the_rollup_interval_is_wilson_when_every_unsur_has_only_1_and_4() -> None:
    stats = {slug: {1: 3, 4: 9} for slug in SLUGS}
    lo, hi = proportion_confint(9, 12, alpha=0.05, method="wilson")
    result = margin_of_error(stats)
    assert result.lower == pytest.approx(on_unit(lo))
    assert result.upper == pytest.approx(on_unit(hi))


def test_confidence_other_than_95() -> None:
    lo, hi = proportion_confint(7, 10, alpha=0.10, method="wilson")
    result = margin_of_error_from_respondent_scores(
        *respondents_with_only_1_and_4(7, 10), confidence=0.90
    )
    assert (result.lower, result.upper) == pytest.approx((on_unit(lo), on_unit(hi)))
    assert result.confidence == 0.90


# --- no collapse, stays in range ----------------------------------------------------------------


def test_two_identical_answers_no_longer_give_a_zero_margin() -> None:
    # formerly "100 ± 0,00"; now Wilson for 2 of 2: [2/(2 + z²), 1] → 50,68–100
    result = margin_of_error(all_answers(4, n=2))
    assert result.upper == 100
    assert result.lower == pytest.approx(on_unit(2 / (2 + 1.959963984540054**2)))
    assert result.margin == pytest.approx(100 - result.lower)
    same3 = margin_of_error(all_answers(3, n=2))
    assert same3.lower < same3.estimate < same3.upper


def all_answers(score: int, n: int) -> dict[str, dict[int, int]]:
    return {slug: {score: n} for slug in SLUGS}


counts = st.lists(st.integers(min_value=0, max_value=40), min_size=4, max_size=4).filter(
    lambda c: sum(c) >= 2
)


@settings(max_examples=60, deadline=None)
@given(st.lists(counts, min_size=9, max_size=9))
def test_the_interval_stays_within_25_and_100_and_holds_the_estimate(
    per_unsur: list[list[int]],
) -> None:
    stats = {
        slug: dict(zip((1, 2, 3, 4), c, strict=True))
        for slug, c in zip(SLUGS, per_unsur, strict=True)
    }
    r = margin_of_error(stats)
    assert 25 <= r.lower <= r.estimate <= r.upper <= 100
    assert r.margin == pytest.approx(max(r.estimate - r.lower, r.upper - r.estimate))
    assert r.lower < r.upper


# --- coverage (seeded; fails on the former Student-t interval) ---------------------------------


def test_one_unsur_very_skewed_small_n_keeps_95_percent() -> None:
    # answer probabilities (0, ,01, ,04, ,95), n = 10: the t interval covered ~40 % of 400 draws
    rng = np.random.default_rng(20261207)
    p = np.array([0.0, 0.01, 0.04, 0.95])
    mu = 25 * float(p @ [1, 2, 3, 4])
    hits = 0
    draws = 400
    for c in rng.multinomial(10, p, size=draws):
        total = 25 * int(c @ [1, 2, 3, 4])
        sumsq = 625 * int(c @ [1, 4, 9, 16])
        r = margin_of_error_from_respondent_scores(10, total, sumsq)
        hits += r.lower <= mu <= r.upper
    assert hits / draws >= 0.93, f"coverage {hits / draws:.3f}"


def test_nine_unsur_skewed_small_n_keeps_95_percent() -> None:
    # respondents with a latent satisfaction (ρ = 0,6), every unsur (0, ,02, ,18, ,80), n = 5:
    # the former rollup bound covered ~89 % (bench: 4000 draws), here 150 draws
    from scipy import stats

    rng = np.random.default_rng(7)
    p = np.array([0.0, 0.02, 0.18, 0.80])
    cuts = stats.norm.ppf(np.cumsum(p)[:-1])
    mu = 25 * float(p @ [1, 2, 3, 4])
    hits, draws = 0, 150
    for _ in range(draws):
        u = np.sqrt(0.6) * rng.standard_normal((5, 1)) + np.sqrt(0.4) * rng.standard_normal((5, 9))
        answers = 1 + np.searchsorted(cuts, u)
        r = margin_of_error(
            {slug: UnsurStats.from_scores(answers[:, j].tolist()) for j, slug in enumerate(SLUGS)}
        )
        hits += r.lower <= mu <= r.upper
    assert hits / draws >= 0.93, f"coverage {hits / draws:.3f}"


# --- input errors -------------------------------------------------------------------------------


def test_invalid_input_keeps_its_messages() -> None:
    with pytest.raises(ValueError, match="2 responden"):
        margin_of_error_from_respondent_scores(1, 100, 10000)
    with pytest.raises(ValueError, match="lebih kecil"):
        margin_of_error_from_respondent_scores(3, 300, 100)
    with pytest.raises(ValueError, match="rentang"):
        margin_of_error_from_respondent_scores(2, 300, 45000)
    with pytest.raises(ValueError, match="confidence"):
        margin_of_error_from_respondent_scores(2, 200, 20000, confidence=1.0)
    with pytest.raises(ValueError, match="2 jawaban"):
        margin_of_error(all_answers(4, n=1))
    with pytest.raises(ValueError, match="Σx²"):
        margin_of_error({slug: UnsurStats(n=5, total=Fraction(15)) for slug in SLUGS})
