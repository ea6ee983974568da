"""The impact estimator: design chosen from the data, each method pinned to scipy/statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special, stats
from statsmodels.regression.linear_model import GLS
from statsmodels.tsa.arima_process import arma_acovf

from kompeten.stats import impact_panel, impact_panels
from kompeten.stats.impact import (
    RHO_GRID,
    _ar1_corr,
    _design,
    _log_scale_df,
    _pattern_moments,
    gls_grid,
    rho_quantiles,
)


def _panel(seed: int, units: int, trained: int, months: int, rho: float, effect: float):
    """Unit and month effects, AR(1) noise, a level effect from the middle month."""
    rng = np.random.default_rng(seed)
    t0 = months // 2
    y = 75 + rng.normal(0, 3, (units, 1)) + 0.05 * np.arange(months) + rng.normal(0, 1, (1, months))
    u = np.zeros((units, months))
    u[:, 0] = rng.normal(0, 2, units)
    for t in range(1, months):
        u[:, t] = rho * u[:, t - 1] + rng.normal(0, 2 * np.sqrt(1 - rho**2), units)
    treated = np.arange(units) < trained
    y = y + u + effect * (treated[:, None] & (np.arange(months) >= t0)[None, :])
    unit = np.repeat(np.arange(units), months)
    month = np.tile(np.arange(months), units)
    tf = [t0 if treated[i] else None for i in unit]
    return unit, month, y.ravel(), tf, y, t0


def _hadamard_panel(change: tuple[float, float, float]):
    """3 units (the first trained from month 4) over 8 months whose residuals around their
    before and after means are rows of a Hadamard matrix: every unit is exactly as noisy as the
    others after the month effects are taken out, so the noise proxies are equal."""
    h = np.array([[1, -1, 1, -1], [1, 1, -1, -1], [1, -1, -1, 1]], dtype=float)
    pattern = np.hstack([h, h[[1, 2, 0]]])
    month_effect = np.array([0.0, 0.3, -0.2, 0.1, 0.5, 0.2, 0.4, 0.0])
    after = np.arange(8) >= 4
    y = np.array([[70.0], [72.0], [69.0]]) + np.array(change)[:, None] * after + pattern
    y = y + month_effect
    unit = np.repeat([1, 2, 3], 8)
    month = np.tile(np.arange(8), 3)
    return unit, month, y, [4] * 8 + [None] * 16


def test_with_equally_noisy_units_the_se_is_students_pooled_se() -> None:
    unit, month, y, tf = _hadamard_panel((5.0, 1.0, 2.5))
    r = impact_panel(unit, month, y.ravel(), tf)
    d = y[:, 4:].mean(axis=1) - y[:, :4].mean(axis=1)
    # scipy: stats.ttest_ind(d[:1], d[1:], equal_var=True); its standard error is
    # (mean difference) / statistic = s_p √(1/n₁ + 1/n₀)
    ref = stats.ttest_ind(d[:1], d[1:], equal_var=True)
    assert r.design == "did" and r.n_treated == 1 and r.n_comparison == 2
    assert r.estimate == pytest.approx(d[0] - d[1:].mean(), rel=1e-12)
    assert r.se == pytest.approx((d[0] - d[1:].mean()) / ref.statistic, rel=1e-12)
    # fewer df than Student's n₁ + n₀ − 2 = 1, for the noise of the units' own noise estimates
    assert 0.5 < r.df < 1.0
    assert r.pvalue == pytest.approx(2 * stats.t.sf(abs(r.estimate) / r.se, r.df), rel=1e-10)
    half = stats.t.ppf(0.975, r.df) * r.se
    assert (r.ci_low, r.ci_high) == pytest.approx((r.estimate - half, r.estimate + half))
    assert "Satterthwaite df" in r.method


def test_with_one_month_a_side_the_noise_is_unknown_and_it_is_students_pooled_t() -> None:
    unit, month, value, tf, y, _t0 = _panel(1, 6, 2, 2, 0.0, 2.0)
    r = impact_panel(unit, month, value, tf)
    d = y[:, 1] - y[:, 0]
    # scipy: stats.ttest_ind(d[:2], d[2:], equal_var=True) and its confidence_interval(0.95)
    ref = stats.ttest_ind(d[:2], d[2:], equal_var=True)
    ci = ref.confidence_interval(0.95)
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-10)
    assert r.df == 4 and "Student's pooled t with 4 df" in r.method


def test_a_noisier_trained_unit_gets_a_wider_interval_than_the_pooled_t() -> None:
    # one trained unit with 10 times the noise variance of its 3 comparison units
    rng = np.random.default_rng(2)
    sd = np.array([np.sqrt(10.0), 1.0, 1.0, 1.0])[:, None]
    y = 75 + rng.normal(0, 3, (4, 1)) + rng.normal(0, 1, (1, 12)) + sd * rng.normal(size=(4, 12))
    unit, month = np.repeat(np.arange(4), 12), np.tile(np.arange(12), 4)
    r = impact_panel(unit, month, y.ravel(), [6] * 12 + [None] * 36)
    d = y[:, 6:].mean(axis=1) - y[:, :6].mean(axis=1)
    pooled = stats.ttest_ind(d[:1], d[1:], equal_var=True)
    assert r.estimate == pytest.approx(d[0] - d[1:].mean(), rel=1e-12)
    # the pooled se learns the trained unit's noise from the quiet units; the new one its own
    assert r.se > 1.5 * abs(r.estimate / pooled.statistic)


def test_staggered_dates_compare_each_trained_unit_with_the_same_window() -> None:
    # unit 1 trained from month 2, unit 2 from month 3, units 3 and 4 never
    unit = np.repeat([1, 2, 3, 4], 5)
    month = np.tile(np.arange(5), 4)
    value = np.array(
        [1, 2, 5, 6, 7, 2, 2, 3, 8, 9, 0, 1, 1, 2, 2, 3, 3, 4, 4, 6], dtype=float
    )  # fmt: skip
    tf = [2] * 5 + [3] * 5 + [None] * 10
    r = impact_panel(unit, month, value, tf)
    y = value.reshape(4, 5)

    def change(row: np.ndarray, t: int) -> float:
        return float(row[t:].mean() - row[:t].mean())

    d1, d2 = change(y[0], 2), change(y[1], 3)
    d3 = (change(y[2], 2) + change(y[2], 3)) / 2
    d4 = (change(y[3], 2) + change(y[3], 3)) / 2
    assert r.estimate == pytest.approx((d1 + d2) / 2 - (d3 + d4) / 2, rel=1e-12)
    # the spread: trained changes around their mean, and comparison changes within each window
    # (weighted by the trained units with that date), pooled over n1 + n0 - 2 = 2 df
    ss_treated = (d1 - (d1 + d2) / 2) ** 2 + (d2 - (d1 + d2) / 2) ** 2
    ss_windows = [
        np.sum((np.array([change(y[2], t), change(y[3], t)]) - np.mean([change(y[2], t), change(y[3], t)])) ** 2)
        for t in (2, 3)
    ]  # fmt: skip
    # with 2–3 months a segment the units' own noise is measured: the variance is κ̂ Σ w/n²
    # with κ̂ from the same pooled sums of squares (Student's s_p² when the proxies are equal)
    assert ss_treated > 0 and all(ss > 0 for ss in ss_windows)
    assert r.pvalue == pytest.approx(2 * stats.t.sf(abs(r.estimate) / r.se, r.df), rel=1e-10)
    assert r.n_treated == 2 and r.n_comparison == 2


def test_gls_at_a_fixed_rho_equals_statsmodels() -> None:
    rng = np.random.default_rng(4)
    times = np.array([-6, -5, -4, -3, -2, -1, 0, 1, 2, 4, 5])  # month 3 missing
    x = _design(times, trend=True)
    y = rng.normal(size=(3, times.size)) + np.arange(times.size)
    est, se, _ = gls_grid(y, times, x, 2)
    g = int(np.flatnonzero(RHO_GRID == 0.5)[0])
    for i in range(3):
        # statsmodels: GLS(y, X, sigma=0.5 ** |t_i - t_j|).fit()
        fit = GLS(y[i], x, sigma=_ar1_corr(times, 0.5)).fit()
        assert est[g, i] == pytest.approx(fit.params[2], rel=1e-9)
        assert se[g, i] == pytest.approx(fit.bse[2], rel=1e-9)


def test_the_rho_quantiles_rise_with_rho_and_are_reproducible() -> None:
    times = np.arange(-12, 12)
    x = _design(times, trend=True)
    lo, med, hi = rho_quantiles(times, x, 0.01)
    assert np.all(np.diff(med) > 0)
    assert np.all(lo < med) and np.all(med < hi)
    # with a trend and a break the residual autocorrelation is biased down (Andrews 1993)
    assert med[int(np.flatnonzero(RHO_GRID == 0.8)[0])] < 0.7
    assert rho_quantiles(times, x, 0.01)[1] is med  # cached per design


def test_without_comparison_it_is_an_its_level_change_by_gls() -> None:
    unit, month, value, tf, y, t0 = _panel(5, 1, 1, 24, 0.8, 3.0)
    r = impact_panel(unit, month, value, tf)
    assert r.design == "its" and r.n_comparison == 0 and r.n_treated == 1
    times = np.arange(24) - t0
    x = _design(times, trend=True)
    centred = y[0] - y[0, :t0].mean()
    # statsmodels: GLS(y - mean(y before), X, sigma=rho ** |t_i - t_j|).fit() at the
    # median-unbiased rho; its level-change coefficient is the estimate
    fit = GLS(centred, x, sigma=_ar1_corr(times, r.rho)).fit()
    assert r.estimate == pytest.approx(fit.params[2], rel=1e-9)
    assert r.rho_low <= r.rho <= r.rho_high
    # the interval holds every 96 % GLS interval over the confidence set of rho
    for rho in (r.rho_low, r.rho, r.rho_high):
        lo, hi = GLS(centred, x, sigma=_ar1_corr(times, rho)).fit().conf_int(0.04)[2]
        assert r.ci_low <= lo + 1e-9 and hi <= r.ci_high + 1e-9
    assert r.pvalue >= 0.01  # at least alpha_1
    assert "Prais–Winsten" in r.method


def test_several_trained_units_without_comparison_are_averaged_by_month() -> None:
    unit, month, value, tf, y, t0 = _panel(6, 3, 3, 12, 0.0, 0.0)
    r = impact_panel(unit, month, value, tf)
    one = impact_panel(
        np.zeros(12), np.arange(12), (y - y[:, :t0].mean(axis=1, keepdims=True)).mean(axis=0),
        [t0] * 12,
    )  # fmt: skip
    assert r.design == "its"
    assert (r.estimate, r.ci_low, r.ci_high) == pytest.approx(
        (one.estimate, one.ci_low, one.ci_high)
    )


def test_one_trained_and_one_comparison_unit_use_the_difference_series() -> None:
    unit, month, value, tf, y, t0 = _panel(7, 2, 1, 24, 0.5, 0.0)
    r = impact_panel(unit, month, value, tf)
    times = np.arange(24) - t0
    fit = GLS(y[0] - y[1], _design(times, trend=False), sigma=_ar1_corr(times, r.rho)).fit()
    assert r.design == "did" and r.df is None
    assert r.estimate == pytest.approx(fit.params[1], rel=1e-9)
    assert "one trained and one comparison unit" in r.method


def test_many_datasets_give_what_each_gives_alone() -> None:
    parts = [
        _panel(10 + i, u, k, 12, 0.5, 1.0) for i, (u, k) in enumerate([(6, 2), (1, 1), (2, 1)])
    ]
    ds = np.concatenate([np.full(p[2].size, i) for i, p in enumerate(parts)])
    rs = impact_panels(
        ds,
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
        [t for p in parts for t in p[3]],
    )
    assert [r.design for r in rs] == ["did", "its", "did"]
    for r, p in zip(rs, parts, strict=True):
        alone = impact_panel(p[0], p[1], p[2], p[3])
        assert (r.estimate, r.ci_low, r.ci_high, r.pvalue) == pytest.approx(
            (alone.estimate, alone.ci_low, alone.ci_high, alone.pvalue)
        )


def test_the_intervals_keep_their_promise_in_a_seeded_simulation() -> None:
    # 300 panels of 6 units (2 trained) and 200 single-unit series, 24 months, rho = 0.8
    hits_did = [
        (lambda r: r.ci_low <= 2.0 <= r.ci_high)(impact_panel(*_panel(s, 6, 2, 24, 0.8, 2.0)[:4]))
        for s in range(300)
    ]
    parts = [_panel(1000 + s, 1, 1, 24, 0.8, 2.0) for s in range(200)]
    rs = impact_panels(
        np.repeat(np.arange(200), 24),
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
        [t for p in parts for t in p[3]],
    )
    assert 0.92 <= np.mean(hits_did) <= 0.98
    assert np.mean([r.ci_low <= 2.0 <= r.ci_high for r in rs]) >= 0.93


def test_data_without_an_estimate_say_why() -> None:
    no_trained = impact_panel([1, 1, 2, 2], [0, 1, 0, 1], [1.0, 2, 3, 5], [None] * 4)
    assert no_trained.design == "none" and no_trained.estimate is None
    assert no_trained.problem == "no trained unit"
    only_after = impact_panel([1, 1, 2, 2], [0, 1, 0, 1], [1.0, 2, 3, 5], [0, 0, None, None])
    assert only_after.problem == "no trained unit has months both before and from its training"
    short = impact_panel([1] * 4, [0, 1, 2, 3], [1.0, 2, 4, 3], [2] * 4)
    assert short.problem == "too few months before or after training"
    flat = impact_panel(*_panel(3, 3, 1, 12, 0.0, 0.0)[:2], np.ones(36), [0] * 12 + [None] * 24)
    assert flat.design == "none" and flat.problem is not None


def test_a_perfect_series_gives_no_interval() -> None:
    r = impact_panel([1] * 8, np.arange(8), [1.0, 2, 3, 4, 8, 9, 10, 11], [4] * 8)
    assert r.design == "none" and r.problem == "the series fits perfectly, so no interval"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"month": [0, 0, 0, 1]}, "two values for the same month"),
        ({"treated_from": [1, 2, None, None]}, "the same on every row of a unit"),
        ({"month": [0, 1.5, 0, 1]}, "whole numbers"),
        ({"value": [1, float("nan"), 2, 3]}, "NaN"),
        ({"treated_from": [1, "x", None, None]}, "month numbers or None"),
    ],
)
def test_bad_input_is_refused_with_a_plain_message(kwargs: dict, message: str) -> None:
    args = {
        "unit": [1, 1, 2, 2],
        "month": [0, 1, 0, 1],
        "value": [1.0, 2.0, 3.0, 4.0],
        "treated_from": [1, 1, None, None],
    } | kwargs
    with pytest.raises(ValueError, match=message):
        impact_panel(**args)


def test_literal_reference_values() -> None:
    # scipy 1.17: stats.ttest_ind([5.0], [1.0, 2.0], equal_var=True)
    #   -> pvalue 0.1544209583112665, confidence_interval(0.95) (-7.503896087213436,
    #      14.503896087213436)
    r = impact_panel([1, 1, 2, 2, 3, 3], [0, 1, 0, 1, 0, 1], [70, 75, 71, 72, 69, 71],
                     [1, 1, None, None, None, None])  # fmt: skip
    assert r.estimate == 3.5
    assert r.pvalue == pytest.approx(0.1544209583112665, rel=1e-12)
    assert (r.ci_low, r.ci_high) == pytest.approx((-7.503896087213436, 14.503896087213436))
    # statsmodels 0.15: t = arange(-4, 4); X = [1, t, t >= 0, t * (t >= 0)];
    # GLS([1, 2, 1.5, 2.5, 6, 5.5, 7, 6.5], X, sigma=0.5 ** |t_i - t_j|).fit()
    #   -> params[2] 3.0330729166666663, bse[2] 1.0841558297837646
    times = np.arange(-4, 4)
    y = np.array([[1.0, 2.0, 1.5, 2.5, 6.0, 5.5, 7.0, 6.5]])
    est, se, _ = gls_grid(y, times, _design(times, trend=True), 2)
    g = int(np.flatnonzero(RHO_GRID == 0.5)[0])
    assert est[g, 0] == pytest.approx(3.0330729166666663, rel=1e-12)
    assert se[g, 0] == pytest.approx(1.0841558297837646, rel=1e-12)


def test_a_missing_month_keeps_the_series_usable() -> None:
    unit, month, value, tf, y, t0 = _panel(9, 1, 1, 24, 0.5, 2.0)
    keep = month != 15
    r = impact_panel(
        unit[keep], month[keep], value[keep], [t for t, k in zip(tf, keep, strict=True) if k]
    )
    times = np.arange(24)[np.arange(24) != 15] - t0
    centred = y[0, np.arange(24) != 15] - y[0, :t0].mean()
    # statsmodels: GLS(centred, X, sigma=rho ** |t_i - t_j|) over the months present
    fit = GLS(centred, _design(times, trend=True), sigma=_ar1_corr(times, r.rho)).fit()
    assert r.design == "its" and r.n_months == 23
    assert r.estimate == pytest.approx(fit.params[2], rel=1e-9)


def _noisy_panels(seed: int, reps: int, sd: list[float], trained: int, months: int, rho: float):
    """reps panels: unit i with AR(1) noise of SD sd[i] (an IKM of m respondents a month has
    SD 10/√m), unit and month effects, the first ``trained`` units +2 from the middle month."""
    rng = np.random.default_rng(seed)
    units, t0 = len(sd), months // 2
    y = 75 + rng.normal(0, 3, (reps, units, 1)) + rng.normal(0, 1, (reps, 1, months))
    s = np.array(sd)[None, :]
    u = np.empty((reps, units, months))
    u[..., 0] = s * rng.standard_normal((reps, units))
    for t in range(1, months):
        u[..., t] = rho * u[..., t - 1] + s * np.sqrt(1 - rho**2) * rng.standard_normal(
            (reps, units)
        )
    treated = (np.arange(units) < trained)[:, None] & (np.arange(months) >= t0)[None, :]
    y = y + u + 2.0 * treated
    ds, unit, month = np.indices(y.shape)
    tf = np.where(unit < trained, t0, np.nan)
    return ds.ravel(), unit.ravel(), month.ravel(), y.ravel(), tf.ravel()


def test_a_noisier_trained_unit_keeps_the_promise_in_a_seeded_simulation() -> None:
    # 400 panels: 1 trained unit with 5 respondents a month (SD 10/√5) against 3 comparison
    # units with 100 (SD 1), 12 months, rho 0.5. Student's pooled t (the estimator before it
    # weighed each unit's own noise) covered 61–64 % here (bench/bench_calibration.py) and
    # fails this test; the Monte Carlo error of 400 panels at 95 % is ±2.2 points.
    rs = impact_panels(*_noisy_panels(11, 400, [10 / np.sqrt(5), 1.0, 1.0, 1.0], 1, 12, 0.5))
    assert all(r.design == "did" for r in rs)
    assert np.mean([r.ci_low <= 2.0 <= r.ci_high for r in rs]) >= 0.92
    # and 2 noisier trained units of 6 (10 respondents a month against 100), 24 months, rho 0.8
    rs = impact_panels(*_noisy_panels(12, 400, [10 / np.sqrt(10)] * 2 + [1.0] * 4, 2, 24, 0.8))
    assert np.mean([r.ci_low <= 2.0 <= r.ci_high for r in rs]) >= 0.92


def test_the_ar1_moments_of_a_unit_design_match_statsmodels() -> None:
    # months 0..9 without 6, a break at month 5; the change contrast c = after mean − before
    t = np.array([0, 1, 2, 3, 4, 5, 7, 8, 9])
    seg = (t >= 5).astype(np.int64)
    c = np.where(seg == 1, 1 / 4, -1 / 5)
    mom = _pattern_moments(t, seg, c)
    for rho in (0.0, 0.5, 0.8, -0.4):
        g = int(np.flatnonzero(np.isclose(RHO_GRID, rho))[0])
        # statsmodels: arma_acovf([1, -rho], [1], nobs=10, sigma2=1 - rho**2), the
        # autocovariances of a unit-variance AR(1)
        acov = arma_acovf(np.r_[1.0, -rho], np.array([1.0]), nobs=10, sigma2=1 - rho**2)
        sigma = acov[np.abs(t[:, None] - t[None, :])]
        m = np.eye(t.size) - (seg[:, None] == seg[None, :]) / np.bincount(seg)[seg][:, None]
        ms = m @ sigma
        assert mom[0, g] == pytest.approx(np.trace(ms), rel=1e-10)  # E Σ residual²
        assert mom[1, g] == pytest.approx(np.trace(ms @ ms), rel=1e-10)
        assert mom[3, g] == pytest.approx(c @ sigma @ c, rel=1e-10)  # Var(change)
        pairs = [
            (i, i + 1) for i in range(t.size - 1) if t[i + 1] - t[i] == 1 and seg[i] == seg[i + 1]
        ]
        msm = ms @ m.T
        assert mom[2, g] == pytest.approx(sum(msm[i, j] for i, j in pairs), rel=1e-10, abs=1e-12)


def test_the_log_scale_df_adds_the_variances_of_log_chi_squares() -> None:
    # scipy: the variance of log X for X ~ chi2(k), by numerical integration
    # (stats.chi2(k).expect(np.log ...)), equals polygamma(1, k / 2); the combined df k solves
    # ψ'(k/2) = ψ'(k₁/2) + ψ'(k₂/2)
    def var_log_chi2(k: float) -> float:
        dist = stats.chi2(k)
        m1 = dist.expect(np.log)
        return dist.expect(lambda x: np.log(x) ** 2) - m1**2

    for k in (1.0, 2.0, 7.5):
        assert var_log_chi2(k) == pytest.approx(special.polygamma(1, k / 2), rel=1e-6)
    k = _log_scale_df(np.array([2.0, 10.0]), np.array([8.0, np.inf]))
    assert special.polygamma(1, k[0] / 2) == pytest.approx(
        var_log_chi2(2.0) + var_log_chi2(8.0), rel=1e-6
    )
    assert k[1] == pytest.approx(10.0, rel=1e-9)  # an exact part adds nothing


def test_the_counts_are_the_units_that_entered_the_estimate() -> None:
    # 1 trained unit and 3 comparison units, 2 of which have months after training only: the
    # estimate is the one-vs-one difference series, so 1 trained vs 1 comparison unit
    unit, month, value, tf, _y, t0 = _panel(21, 4, 1, 12, 0.5, 0.0)
    keep = ~np.isin(unit, [2, 3]) | (month >= t0)
    r = impact_panel(
        unit[keep], month[keep], value[keep], [t for t, k in zip(tf, keep, strict=True) if k]
    )
    assert r.design == "did" and r.df is None  # the difference series
    assert (r.n_treated, r.n_comparison) == (1, 1)
    # no comparison unit with months before: the time series of the trained unit, 0 compared
    keep = (unit == 0) | (month >= t0)
    r = impact_panel(
        unit[keep], month[keep], value[keep], [t for t, k in zip(tf, keep, strict=True) if k]
    )
    assert r.design == "its" and (r.n_treated, r.n_comparison) == (1, 0)
    # a second trained unit without months before does not count either
    unit2, month2, value2, tf2, _, _ = _panel(22, 6, 2, 12, 0.5, 0.0)
    keep = (unit2 != 1) | (month2 >= 6)
    r = impact_panel(
        unit2[keep], month2[keep], value2[keep], [t for t, k in zip(tf2, keep, strict=True) if k]
    )
    assert r.design == "did" and (r.n_treated, r.n_comparison) == (1, 4)
