"""The impact estimator: design chosen from the data, each method pinned to scipy/statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.regression.linear_model import GLS

from kompeten.stats import impact_panel, impact_panels
from kompeten.stats.impact import RHO_GRID, _ar1_corr, _design, gls_grid, rho_quantiles


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


def test_with_comparison_units_it_is_a_pooled_t_on_unit_changes() -> None:
    unit, month, value, tf, y, t0 = _panel(1, 6, 2, 24, 0.8, 2.0)
    r = impact_panel(unit, month, value, tf)
    d = y[:, t0:].mean(axis=1) - y[:, :t0].mean(axis=1)
    # scipy: stats.ttest_ind(d[:2], d[2:], equal_var=True) and its confidence_interval(0.95)
    ref = stats.ttest_ind(d[:2], d[2:], equal_var=True)
    ci = ref.confidence_interval(0.95)
    assert r.design == "did"
    assert r.estimate == pytest.approx(d[:2].mean() - d[2:].mean(), rel=1e-12)
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-10)
    assert r.df == 4 and r.n_treated == 2 and r.n_comparison == 4 and r.n == 144
    assert "pooled t with 4 df" in r.method


def test_one_trained_unit_learns_its_noise_from_the_comparison_units() -> None:
    unit, month, value, tf, y, t0 = _panel(2, 4, 1, 12, 0.5, 0.0)
    r = impact_panel(unit, month, value, tf)
    d = y[:, t0:].mean(axis=1) - y[:, :t0].mean(axis=1)
    ref = stats.ttest_ind(d[:1], d[1:], equal_var=True)
    assert r.design == "did" and r.df == 2
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    # the interval is the prediction interval of one new change: d1 - mean(d0) ± t s sqrt(1 + 1/3)
    s = d[1:].std(ddof=1)
    half = stats.t.ppf(0.975, 2) * s * np.sqrt(1 + 1 / 3)
    assert r.ci_high - r.ci_low == pytest.approx(2 * half, rel=1e-10)


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
    se = np.sqrt((ss_treated + 0.5 * ss_windows[0] + 0.5 * ss_windows[1]) / 2 * (1 / 2 + 1 / 2))
    assert r.se == pytest.approx(se, rel=1e-12)
    assert r.pvalue == pytest.approx(2 * stats.t.sf(abs(r.estimate) / se, 2), rel=1e-10)
    # wider than the plain pooled t on the averaged comparison changes (conservative)
    assert r.se > stats.ttest_ind([d1, d2], [d3, d4], equal_var=True).statistic ** -1 * abs(
        r.estimate
    )


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
