"""Difference-in-differences: 2×2 OLS and two-way fixed effects with clustered errors."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.regression.linear_model import OLS

from kompeten.stats import did

# 8 units (1-4 trained) observed in 3 periods; training takes effect in period 3.
UNIT = np.repeat(np.arange(1, 9), 3)
PERIOD = np.tile([1, 2, 3], 8)
TREATED = (UNIT <= 4).astype(int)
POST = (PERIOD >= 3).astype(int)
Y = np.array(
    [50.2, 51.0, 55.9, 48.7, 49.9, 53.8, 52.3, 52.8, 58.1, 47.5, 48.6, 52.0,
     51.1, 51.8, 52.6, 49.4, 50.3, 50.7, 53.0, 53.2, 54.5, 46.9, 48.0, 48.4]
)  # fmt: skip


def _cell(t: int, p: int) -> float:
    return float(Y[(t == TREATED) & (p == POST)].mean())


def test_the_2x2_estimate_is_the_difference_of_differences_of_means() -> None:
    r = did(Y, TREATED, POST)
    by_hand = (_cell(1, 1) - _cell(1, 0)) - (_cell(0, 1) - _cell(0, 0))
    assert r.estimate == pytest.approx(by_hand, rel=1e-12)
    assert (r.mean_treated_post, r.mean_control_pre) == pytest.approx((_cell(1, 1), _cell(0, 0)))
    assert r.n_clusters is None and r.small_sample_factor is None
    assert r.df == 24 - 4


def test_the_2x2_model_matches_statsmodels_classical_ols() -> None:
    # statsmodels: OLS(Y, [1, T, P, T*P]).fit()  (classical errors), last coefficient
    x = np.column_stack([np.ones(24), TREATED, POST, TREATED * POST])
    ref = OLS(Y, x).fit()
    r = did(Y, TREATED, POST)
    assert r.se == pytest.approx(ref.bse[3], rel=1e-12)
    assert r.pvalue == pytest.approx(ref.pvalues[3], rel=1e-10)
    low, high = ref.conf_int(alpha=0.05)[3]
    assert (r.ci_low, r.ci_high) == pytest.approx((low, high), rel=1e-12)


def test_the_2x2_model_matches_r_lm() -> None:
    # R: summary(lm(y ~ treated * post))$coefficients["treated:post", ]
    #    3.73750000000000160 1.94897809761936536 1.91767162728266527 0.06954619554340713
    # R: confint(fit2)["treated:post", ] -> -0.32799707115575671 7.80299707115575991
    r = did(Y, TREATED, POST)
    assert r.estimate == pytest.approx(3.7375, rel=1e-12)
    assert r.se == pytest.approx(1.94897809761936536, rel=1e-12)
    assert r.statistic == pytest.approx(1.91767162728266527, rel=1e-12)
    assert r.pvalue == pytest.approx(0.06954619554340713, rel=1e-10)
    assert (r.ci_low, r.ci_high) == pytest.approx(
        (-0.32799707115575671, 7.80299707115575991), rel=1e-11
    )


def _twfe_design() -> np.ndarray:
    units = np.eye(8)[UNIT - 1][:, 1:]
    periods = np.eye(3)[PERIOD - 1][:, 1:]
    return np.column_stack([np.ones(24), units, periods, TREATED * POST])


def test_fixed_effects_errors_are_the_cluster_sandwich_with_nested_unit_dummies_not_counted() -> (
    None
):
    x = _twfe_design()
    beta, *_ = np.linalg.lstsq(x, Y, rcond=None)
    u = Y - x @ beta
    bread = np.linalg.inv(x.T @ x)
    meat = sum(np.outer(x[g == UNIT].T @ u[g == UNIT], x[g == UNIT].T @ u[g == UNIT])
               for g in range(1, 9))  # fmt: skip
    n, k, g = 24, x.shape[1], 8
    k_eff = k - 7  # the 7 unit dummies are nested in the unit clusters
    factor = g / (g - 1) * (n - 1) / (n - k_eff)
    se = np.sqrt(factor * (bread @ meat @ bread)[-1, -1])
    r = did(Y, TREATED, POST, unit=UNIT, period=PERIOD)
    assert r.estimate == pytest.approx(beta[-1], rel=1e-10)
    assert r.se == pytest.approx(se, rel=1e-10)
    assert r.small_sample_factor == pytest.approx(factor, rel=1e-15)
    assert (r.df, r.n_clusters) == (7, 8)
    assert r.pvalue == pytest.approx(2 * stats.t.sf(abs(r.estimate / se), 7), rel=1e-10)


def test_fixed_effects_errors_relate_to_statsmodels_cluster_correction() -> None:
    # statsmodels: OLS(Y, X).fit(cov_type="cluster", cov_kwds={"groups": UNIT,
    #              "use_correction": True}, use_t=True)   (counts all K = 11 in (N-1)/(N-K))
    ref = OLS(Y, _twfe_design()).fit(
        cov_type="cluster", cov_kwds={"groups": UNIT, "use_correction": True}, use_t=True
    )
    r = did(Y, TREATED, POST, unit=UNIT, period=PERIOD)
    n, k, k_eff = 24, 11, 4
    assert r.se == pytest.approx(ref.bse[-1] * np.sqrt((n - k) / (n - k_eff)), rel=1e-10)
    assert ref.df_resid_inference == r.df == 7


def test_fixed_effects_match_r_sandwich_vcovcl() -> None:
    # R: fit <- lm(y ~ factor(unit) + factor(period) + I(treated * post))
    #    V0 <- sandwich::vcovCL(fit, cluster = ~unit, type = "HC0", cadjust = TRUE)  # G/(G-1)
    #    se <- sqrt(V0[12, 12] * (N - 1) / (N - Keff))    with N = 24, Keff = 11 - 7 = 4
    #    -> estimate 3.73750000000000160, se 0.38445520359520413,
    #       t 9.7215487397466589, p (t with G - 1 = 7 df) 2.5764057851328152e-05
    r = did(Y, TREATED, POST, unit=UNIT, period=PERIOD)
    assert r.estimate == pytest.approx(3.7375, rel=1e-12)
    assert r.se == pytest.approx(0.38445520359520413, rel=1e-10)
    assert r.statistic == pytest.approx(9.7215487397466589, rel=1e-10)
    assert r.pvalue == pytest.approx(2.5764057851328152e-05, rel=1e-8)


def test_a_balanced_panel_gives_the_same_estimate_with_and_without_fixed_effects() -> None:
    simple = did(Y, TREATED, POST)
    fixed = did(Y, TREATED, POST, unit=UNIT, period=PERIOD)
    assert fixed.estimate == pytest.approx(simple.estimate, rel=1e-10)


def test_labels_can_be_strings() -> None:
    units = [f"OPD-{u:02d}" for u in UNIT]
    periods = [f"2026-Q{p}" for p in PERIOD]
    r = did(Y, TREATED, POST, unit=units, period=periods)
    assert r.se == pytest.approx(did(Y, TREATED, POST, unit=UNIT, period=PERIOD).se, rel=1e-12)


def test_a_coarser_cluster_still_drops_the_nested_unit_dummies() -> None:
    opd = (UNIT + 1) // 2  # units 1-2, 3-4, 5-6, 7-8 belong to four OPDs
    r = did(Y, TREATED, POST, unit=UNIT, period=PERIOD, cluster=opd)
    assert r.n_clusters == 4 and r.df == 3
    assert r.small_sample_factor == pytest.approx(4 / 3 * 23 / 20, rel=1e-15)


def test_a_cluster_that_splits_units_counts_every_dummy() -> None:
    by_period = PERIOD  # units are not nested in periods
    r = did(Y, TREATED, POST, unit=UNIT, period=PERIOD, cluster=by_period)
    assert r.small_sample_factor == pytest.approx(3 / 2 * 23 / 13, rel=1e-15)


def test_the_2x2_model_with_clusters_matches_statsmodels_cr1() -> None:
    # statsmodels: OLS(Y, [1, T, P, T*P]).fit(cov_type="cluster",
    #              cov_kwds={"groups": UNIT, "use_correction": True}, use_t=True)
    x = np.column_stack([np.ones(24), TREATED, POST, TREATED * POST])
    ref = OLS(Y, x).fit(
        cov_type="cluster", cov_kwds={"groups": UNIT, "use_correction": True}, use_t=True
    )
    r = did(Y, TREATED, POST, cluster=UNIT)
    assert r.se == pytest.approx(ref.bse[3], rel=1e-10)
    assert r.pvalue == pytest.approx(ref.pvalues[3], rel=1e-8)
    assert r.df == 7


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"treated": [0] * 24}, "no treated observations"),
        ({"post": [1] * 24}, "no control observations in the pre period"),
        ({"treated": [2] * 24}, "only 0 and 1"),
        ({"post": POST[:10]}, "same length"),
        ({"unit": UNIT}, "both unit and period"),
        ({"period": PERIOD}, "both unit and period"),
        ({"unit": UNIT[:5], "period": PERIOD}, "same length"),
        ({"unit": UNIT, "period": PERIOD, "cluster": [1] * 24}, "at least 2 clusters"),
        ({"y": np.where(np.arange(24) == 0, np.nan, Y)}, "NaN"),
        ({"unit": [None] * 24, "period": PERIOD}, "missing"),
    ],
)
def test_it_rejects_bad_input(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"y": Y, "treated": TREATED, "post": POST}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        did(**args)  # type: ignore[arg-type]


def test_it_rejects_an_effect_confounded_with_the_fixed_effects() -> None:
    # Units 1-2 are treated and "post" in every period, units 3-4 never post: treated × post is
    # then constant within units, so it is a combination of the unit dummies.
    treated = TREATED
    post = np.where(UNIT <= 2, 1, np.where(UNIT <= 4, 0, POST))
    with pytest.raises(ValueError, match="not identified"):
        did(Y, treated, post, unit=UNIT, period=PERIOD)
    assert did(Y, treated, post).n == 24  # the 2x2 model is still identified


def test_it_rejects_a_perfect_fit() -> None:
    y = 10 + 2 * TREATED + 3 * POST + 4 * TREATED * POST
    with pytest.raises(ValueError, match="standard error is zero"):
        did(y, TREATED, POST)


def test_it_needs_residual_degrees_of_freedom() -> None:
    with pytest.raises(ValueError, match="no residual df"):
        did([1, 2, 3, 5], [0, 0, 1, 1], [0, 1, 0, 1])
