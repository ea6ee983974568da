"""Kaplan-Meier and log-rank, pinned to R survival on the aml data set."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from kompeten.stats import kaplan_meier, logrank

# R: survival::aml (acute myelogenous leukemia; time in weeks, status 1 = relapse)
MAINTAINED_T = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161]
MAINTAINED_E = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0]
NONMAINTAINED_T = [5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45]
NONMAINTAINED_E = [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]


def test_it_matches_r_survfit_log_log_on_aml_maintained() -> None:
    # R: fit <- survfit(Surv(time, status) ~ 1, data = aml, subset = x == "Maintained",
    #                   conf.type = "log-log")
    #    data.frame(fit$time, fit$n.risk, fit$n.event, fit$n.censor, fit$surv, fit$lower,
    #               fit$upper, fit$std.err)
    r_time = [9, 13, 18, 23, 28, 31, 34, 45, 48, 161]
    r_risk = [11, 10, 8, 7, 6, 5, 4, 3, 2, 1]
    r_event = [1, 1, 1, 1, 0, 1, 1, 0, 1, 0]
    r_censor = [0, 1, 0, 0, 1, 0, 0, 1, 0, 1]
    r_surv = [0.909090909090909, 0.818181818181818, 0.715909090909091, 0.613636363636364,
              0.613636363636364, 0.490909090909091, 0.368181818181818, 0.368181818181818,
              0.184090909090909, 0.184090909090909]  # fmt: skip
    r_lower = [0.5080802057699297, 0.4474286146821814, 0.3501903859079384, 0.2657520400012861,
               0.2657520400012861, 0.1673309097768508, 0.0928295749369852, 0.0928295749369852,
               0.0117384801231896, 0.0117384801231896]  # fmt: skip
    r_upper = [0.986673822667823, 0.951162228582492, 0.899023974191053, 0.835299243250221,
               0.835299243250221, 0.753399790370811, 0.657040832398164, 0.657040832398164,
               0.525014842726641, 0.525014842726641]  # fmt: skip
    r_se = [0.0953462589245592, 0.1421338109037403, 0.1950875779212071, 0.2487341690815455,
            0.2487341690815455, 0.3344677665615730, 0.4418167269377883, 0.4418167269377883,
            0.8337877548885089, 0.8337877548885089]  # fmt: skip
    r = kaplan_meier(MAINTAINED_T, MAINTAINED_E)
    assert r.times == tuple(float(t) for t in r_time)
    assert r.at_risk == tuple(r_risk)
    assert r.events == tuple(r_event)
    assert r.censored == tuple(r_censor)
    assert r.survival == pytest.approx(r_surv, rel=1e-12)
    assert r.ci_low == pytest.approx(r_lower, rel=1e-12)
    assert r.ci_high == pytest.approx(r_upper, rel=1e-12)
    assert r.greenwood_se == pytest.approx(r_se, rel=1e-12)
    # R: print(fit)  ->  n 11, events 7, median 31, 0.95LCL 13, 0.95UCL NA
    assert (r.n, r.n_events, r.median, r.median_ci) == (11, 7, 31.0, (13.0, None))


def test_it_matches_r_medians_on_aml() -> None:
    # R: survfit(Surv(time, status) ~ 1, data = aml, conf.type = "log-log")
    #    -> n 23, events 18, median 27, 0.95LCL 13, 0.95UCL 34
    both = kaplan_meier(MAINTAINED_T + NONMAINTAINED_T, MAINTAINED_E + NONMAINTAINED_E)
    assert (both.n, both.n_events, both.median, both.median_ci) == (23, 18, 27.0, (13.0, 34.0))
    # R: ... subset = x == "Nonmaintained" -> median 23, 0.95LCL 5, 0.95UCL 33;
    #    the last row (time 45, surv 0) has lower and upper NA
    non = kaplan_meier(NONMAINTAINED_T, NONMAINTAINED_E)
    assert (non.median, non.median_ci) == (23.0, (5.0, 33.0))
    assert non.survival[-1] == 0.0
    assert (non.ci_low[-1], non.ci_high[-1], non.greenwood_se[-1]) == (None, None, None)
    assert non.ci_low[-2] == pytest.approx(0.00574630569586383, rel=1e-12)
    assert non.ci_high[-2] == pytest.approx(0.348903861110750, rel=1e-12)


def test_it_follows_greenwood_and_the_log_log_transform() -> None:
    t = np.array(MAINTAINED_T, dtype=float)
    e = np.array(MAINTAINED_E)
    r = kaplan_meier(t, e, confidence=0.90)
    z = stats.norm.ppf(0.95)
    surv, var = 1.0, 0.0
    for i, time in enumerate(np.unique(t)):
        n_j = np.sum(t >= time)
        d_j = np.sum((t == time) & (e == 1))
        surv *= 1 - d_j / n_j
        var += d_j / (n_j * (n_j - d_j))
        # log(-log S) ± z * sqrt(var) / |log S|, mapped back with S = exp(-exp(.))
        theta = math.log(-math.log(surv))
        half = z * math.sqrt(var) / abs(math.log(surv))
        assert r.survival[i] == pytest.approx(surv, rel=1e-14)
        assert r.ci_low[i] == pytest.approx(math.exp(-math.exp(theta + half)), rel=1e-12)
        assert r.ci_high[i] == pytest.approx(math.exp(-math.exp(theta - half)), rel=1e-12)


@pytest.mark.parametrize(
    ("durations", "events", "median", "median_ci"),
    [
        # R: quantile(survfit(Surv(t, e) ~ 1, conf.type = "log-log"), 0.5) for each row
        ([1, 2, 3, 4], [1, 1, 1, 1], 2.5, (1.0, None)),
        ([1, 2, 3, 4], [1, 1, 0, 0], 3.0, (1.0, None)),
        ([1, 2], [1, 0], 1.5, (1.0, None)),
        ([1, 2, 3, 4, 5], [1, 1, 0, 1, 1], 4.0, (1.0, None)),
        ([1, 2, 3, 4, 5, 6, 7, 8], [1] * 8, 4.5, (1.0, 7.0)),
        ([1, 2, 3, 4, 5, 6], [0, 1, 1, 1, 0, 1], 4.0, (2.0, None)),
    ],
)
def test_it_takes_the_median_as_r_does(
    durations: list[float],
    events: list[int],
    median: float,
    median_ci: tuple[float | None, float | None],
) -> None:
    r = kaplan_meier(durations, events)
    assert (r.median, r.median_ci) == (median, median_ci)


def test_survival_that_is_still_one_has_no_interval_as_in_r() -> None:
    # R: survfit(Surv(c(1,2,3,4,5,6), c(0,1,1,1,0,1)) ~ 1, conf.type = "log-log")
    #    time 1: surv 1, lower NA, upper NA; time 2: 0.8, 0.2038092632676393, 0.969179788866743
    r = kaplan_meier([1, 2, 3, 4, 5, 6], [0, 1, 1, 1, 0, 1])
    assert (r.survival[0], r.ci_low[0], r.ci_high[0]) == (1.0, None, None)
    assert r.ci_low[1] == pytest.approx(0.2038092632676393, rel=1e-12)
    assert r.ci_high[1] == pytest.approx(0.969179788866743, rel=1e-12)


def test_no_events_leaves_survival_at_one_and_no_median() -> None:
    r = kaplan_meier([3, 5, 8], [0, 0, 0])
    assert r.survival == (1.0, 1.0, 1.0)
    assert r.median is None and r.median_ci == (None, None)
    assert r.greenwood_se == (0.0, 0.0, 0.0)


def test_logrank_matches_r_survdiff_on_aml() -> None:
    # R: survdiff(Surv(time, status) ~ x, data = aml)
    #    Observed 7 / 11, Expected 10.68933599230072 / 7.31066400769928,
    #    var 4.00755074593873, Chisq = 3.3963886989776, p = 0.0653393220405051
    r = logrank(MAINTAINED_T, MAINTAINED_E, NONMAINTAINED_T, NONMAINTAINED_E)
    assert r.statistic == pytest.approx(3.3963886989776, rel=1e-12)
    assert r.pvalue == pytest.approx(0.0653393220405051, rel=1e-12)
    assert (r.observed_a, r.observed_b) == (7.0, 11.0)
    assert r.expected_a == pytest.approx(10.68933599230072, rel=1e-12)
    assert r.expected_b == pytest.approx(7.31066400769928, rel=1e-12)
    assert r.variance == pytest.approx(4.00755074593873, rel=1e-12)
    assert (r.df, r.n_a, r.n_b) == (1, 11, 12)


def test_logrank_is_symmetric_in_its_groups() -> None:
    a = logrank(MAINTAINED_T, MAINTAINED_E, NONMAINTAINED_T, NONMAINTAINED_E)
    b = logrank(NONMAINTAINED_T, NONMAINTAINED_E, MAINTAINED_T, MAINTAINED_E)
    assert b.statistic == pytest.approx(a.statistic, rel=1e-12)
    assert b.expected_a == pytest.approx(a.expected_b, rel=1e-12)


@pytest.mark.parametrize(
    ("durations", "events", "message"),
    [
        ([], [], "empty"),
        ([1, -2], [1, 1], "negative"),
        ([1, 2], [1, 2], "only 0 and 1"),
        ([1, 2, 3], [1, 0], "same length"),
        ([1, float("nan")], [1, 0], "NaN"),
    ],
)
def test_kaplan_meier_rejects_bad_input(durations: Any, events: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kaplan_meier(durations, events)


def test_logrank_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="no events"):
        logrank([1, 2], [0, 0], [3, 4], [0, 0])
    with pytest.raises(ValueError, match="durations_b is empty"):
        logrank([1, 2], [1, 0], [], [])
    with pytest.raises(ValueError, match="events_a"):
        logrank([1, 2], [1, 3], [3], [1])
    with pytest.raises(ValueError, match="variance is zero"):
        logrank([1], [1], [1], [1])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30).map(float), st.integers(0, 1)), min_size=1, max_size=40)
)
def test_survival_is_non_increasing_and_inside_its_interval(data: list[tuple[float, int]]) -> None:
    r = kaplan_meier([t for t, _ in data], [e for _, e in data])
    assert all(0.0 <= s <= 1.0 for s in r.survival)
    assert all(a >= b for a, b in zip(r.survival, r.survival[1:], strict=False))
    for s, low, high in zip(r.survival, r.ci_low, r.ci_high, strict=True):
        if low is not None and high is not None:
            assert 0.0 <= low <= s <= high <= 1.0
    assert sum(r.events) == r.n_events and sum(r.events) + sum(r.censored) == r.n
