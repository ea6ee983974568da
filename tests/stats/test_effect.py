"""Paired effect sizes: d_z, d_av, Hedges' g and the noncentral-t interval of d_z."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import special, stats

from kompeten.stats import hedges_correction, paired_effect_size

BEFORE = [62, 55, 70, 48, 66, 59, 73, 51, 64, 58]
AFTER = [70, 61, 72, 55, 65, 68, 80, 60, 71, 58]
B2 = np.array([10.2, 11.5, 9.8, 12.1, 10.9, 11.0, 9.5, 10.4])
A2 = B2 + np.array([1.3, -0.4, 2.1, 0.7, -1.6, 1.1, 0.9, 2.5])


def test_it_computes_d_z_and_d_av_by_their_formulas() -> None:
    d = np.subtract(AFTER, BEFORE)
    r = paired_effect_size(BEFORE, AFTER)
    assert r.d_z == pytest.approx(d.mean() / d.std(ddof=1), rel=1e-14)
    s_av = (np.std(BEFORE, ddof=1) + np.std(AFTER, ddof=1)) / 2
    assert r.d_av == pytest.approx(d.mean() / s_av, rel=1e-14)
    assert r.n == 10


def test_it_applies_hedges_exact_gamma_correction() -> None:
    r = paired_effect_size(BEFORE, AFTER)
    df = 9
    # J = Γ(df/2) / (sqrt(df/2) Γ((df-1)/2)), with scipy.special.gamma
    j = special.gamma(df / 2) / (math.sqrt(df / 2) * special.gamma((df - 1) / 2))
    assert r.g_z == pytest.approx(j * r.d_z, rel=1e-13)
    assert r.g_av == pytest.approx(j * r.d_av, rel=1e-13)


def test_hedges_correction_is_close_to_the_usual_approximation() -> None:
    for df in (2, 5, 10, 50, 400):
        approx = 1 - 3 / (4 * df - 1)
        assert hedges_correction(df) == pytest.approx(approx, abs=0.02 / df)
    assert 0 < hedges_correction(2) < hedges_correction(3) < 1


@pytest.mark.parametrize("df", [1, 0, -3, 2.5, True])
def test_hedges_correction_rejects_a_bad_df(df: object) -> None:
    with pytest.raises(ValueError, match="df"):
        hedges_correction(df)  # type: ignore[arg-type]


def test_its_interval_matches_r_noncentral_t_inversion() -> None:
    # R: d <- after - before; n <- length(d); t <- mean(d)/sd(d)*sqrt(n)
    #    uniroot(function(x) pt(t, n - 1, ncp = x) - 0.975, c(-50, 50), tol = 1e-14)$root / sqrt(n)
    #    uniroot(function(x) pt(t, n - 1, ncp = x) - 0.025, c(-50, 50), tol = 1e-14)$root / sqrt(n)
    r = paired_effect_size(BEFORE, AFTER)
    assert r.d_z == pytest.approx(1.46428059027592927, rel=1e-13)
    assert r.ci_low == pytest.approx(0.53664869917433589, rel=1e-8)
    assert r.ci_high == pytest.approx(2.35573281440468429, rel=1e-8)
    r2 = paired_effect_size(B2, A2)
    assert r2.ci_low == pytest.approx(-0.15536444458789936, rel=1e-8)
    assert r2.ci_high == pytest.approx(1.37277628490386649, rel=1e-8)
    r3 = paired_effect_size(B2, A2, confidence=0.90)
    assert r3.ci_low == pytest.approx(-0.034125943354528607, rel=1e-7)
    assert r3.ci_high == pytest.approx(1.248333336113038206, rel=1e-8)


def test_its_interval_solves_the_noncentral_t_equations() -> None:
    # scipy: stats.nct.cdf(t_obs, n - 1, ncp) at the bounds equals 0.975 and 0.025
    r = paired_effect_size(B2, A2)
    n = len(B2)
    t_obs = r.d_z * math.sqrt(n)
    assert stats.nct.cdf(t_obs, n - 1, r.ci_low * math.sqrt(n)) == pytest.approx(0.975, abs=1e-10)
    assert stats.nct.cdf(t_obs, n - 1, r.ci_high * math.sqrt(n)) == pytest.approx(0.025, abs=1e-10)


def test_swapping_before_and_after_mirrors_everything() -> None:
    r = paired_effect_size(BEFORE, AFTER)
    s = paired_effect_size(AFTER, BEFORE)
    assert s.d_z == pytest.approx(-r.d_z, rel=1e-14)
    assert s.ci_low == pytest.approx(-r.ci_high, rel=1e-8)
    assert s.ci_high == pytest.approx(-r.ci_low, rel=1e-8)


def test_it_leaves_hedges_g_undefined_with_two_pairs() -> None:
    r = paired_effect_size([1, 2], [2, 5])
    assert r.g_z is None and r.g_av is None
    assert r.d_z == pytest.approx(2.0 / math.sqrt(2.0), rel=1e-14)
    assert r.ci_low < r.d_z < r.ci_high


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ([1], [2], "at least 2 pairs"),
        ([1, 2, 3], [3, 4, 5], "zero"),
        ([0.1, 0.2, 0.3], [0.2, 0.3, 0.4], "zero"),  # equal up to rounding
        ([1, 2, 3], [1, 2], "same length"),
        ([1, 2, float("inf")], [1, 2, 4], "infinite"),
    ],
)
def test_it_rejects_bad_input(before: Any, after: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        paired_effect_size(before, after)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(-5, 5, allow_nan=False), min_size=3, max_size=25),
    st.floats(-2, 2, allow_nan=False),
)
def test_its_interval_brackets_d_z(noise: list[float], shift: float) -> None:
    before = np.linspace(40, 60, len(noise))
    after = before + shift + np.asarray(noise)
    assume(np.ptp(after - before) > 1e-3)
    r = paired_effect_size(before, after)
    assert r.ci_low < r.d_z < r.ci_high
    assert r.g_z is not None and abs(r.g_z) <= abs(r.d_z)
