"""Time-to-event: Kaplan-Meier curve with log-log Greenwood intervals, and the log-rank test.

Used for durations such as days from training to certification, or to leaving a post.

:func:`kaplan_meier`
--------------------
With :math:`n_j` at risk and :math:`d_j` events at time :math:`t_j`:

.. math::

    \\hat S(t) = \\prod_{t_j \\le t}\\Big(1 - \\frac{d_j}{n_j}\\Big),\\qquad
    \\sigma^2(t) = \\sum_{t_j \\le t} \\frac{d_j}{n_j(n_j - d_j)}

(Greenwood; :math:`\\sigma` is the SE of :math:`\\log \\hat S`). The interval is built on
:math:`\\log(-\\log \\hat S)`:

.. math::

    \\Big[\\hat S^{\\exp(-z\\sigma/\\log \\hat S)},\\;
          \\hat S^{\\exp(z\\sigma/\\log \\hat S)}\\Big]

with :math:`z = \\Phi^{-1}((1+c)/2)`, exactly as R ``survival::survfit(Surv(t, e) ~ 1,
conf.type = "log-log")`` (not R's default ``"log"``), including ``NA`` (here ``None``)
where :math:`\\hat S` is 1 or 0. The median is the first time with
:math:`\\hat S \\le 0.5`; when :math:`\\hat S` equals 0.5 on a flat stretch it is the
midpoint of that stretch (as R). Its interval takes the same rule on the lower and upper
band (Brookmeyer & Crowley's approach as implemented by R).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy import stats

from ._validate import FloatArray, as_binary, as_vector, check_confidence
from .errors import StatsError

__all__ = ["KaplanMeierResult", "LogRankResult", "kaplan_meier", "logrank"]

_TOLERANCE = math.sqrt(np.finfo(np.float64).eps)  # as R survival's quantile.survfit


@dataclass(frozen=True, slots=True)
class KaplanMeierResult:
    """Kaplan-Meier estimate at every distinct observed time (events and censorings).

    ``ci_low``/``ci_high``/``greenwood_se`` entries are ``None`` where R reports ``NA``:
    the interval where survival is still 1 and after it reaches 0. ``median`` and the ends of
    ``median_ci`` are ``None`` when not reached.
    """

    times: tuple[float, ...]
    survival: tuple[float, ...]
    ci_low: tuple[float | None, ...]
    ci_high: tuple[float | None, ...]
    greenwood_se: tuple[float | None, ...]
    at_risk: tuple[int, ...]
    events: tuple[int, ...]
    censored: tuple[int, ...]
    median: float | None
    median_ci: tuple[float | None, float | None]
    n: int
    n_events: int
    confidence: float
    method: str
    reference: str


@dataclass(frozen=True, slots=True)
class LogRankResult:
    """Two-group log-rank test (chi-square with 1 df)."""

    statistic: float
    pvalue: float
    df: int
    observed_a: float
    expected_a: float
    observed_b: float
    expected_b: float
    variance: float
    n_a: int
    n_b: int
    method: str
    reference: str


def _durations_events(
    durations: npt.ArrayLike, events: npt.ArrayLike, suffix: str = ""
) -> tuple[FloatArray, FloatArray]:
    t = as_vector(durations, "durations" + suffix)
    e = as_binary(events, "events" + suffix)
    if t.size != e.size:
        raise ValueError(
            f"durations{suffix} and events{suffix} must have the same length "
            f"(got {t.size} and {e.size})."
        )
    if np.any(t < 0):
        raise ValueError(f"durations{suffix} cannot be negative.")
    return t, e


def _first_crossing(times: FloatArray, curve: list[float | None], last_time: float) -> float | None:
    """Time where ``curve`` first falls to 0.5 or below; the midpoint rule of R survival."""
    for i, value in enumerate(curve):
        if value is None:
            continue
        if abs(value - 0.5) < _TOLERANCE:
            end = last_time
            for j in range(i + 1, len(curve)):
                later = curve[j]
                if later is not None and later < 0.5 - _TOLERANCE:
                    end = float(times[j])
                    break
            return (float(times[i]) + end) / 2.0
        if value < 0.5:
            return float(times[i])
    return None


@dataclass
class _ProductLimit:
    """The Kaplan-Meier table, one entry per distinct time."""

    survival: list[float] = field(default_factory=list)
    lows: list[float | None] = field(default_factory=list)
    highs: list[float | None] = field(default_factory=list)
    ses: list[float | None] = field(default_factory=list)
    at_risk: list[int] = field(default_factory=list)
    n_events: list[int] = field(default_factory=list)
    n_censored: list[int] = field(default_factory=list)


def _product_limit(t: FloatArray, e: FloatArray, z: float) -> _ProductLimit:
    """Survival, Greenwood SE and log(-log) interval at each distinct time of ``t``."""
    times, inverse = np.unique(t, return_inverse=True)
    inverse = inverse.ravel()
    deaths = np.bincount(inverse, weights=e, minlength=times.size)
    totals = np.bincount(inverse, minlength=times.size)
    risk = np.searchsorted(np.sort(t), times, side="left")
    surv = 1.0
    var_sum = 0.0
    table = _ProductLimit()
    survival, lows, highs, ses = table.survival, table.lows, table.highs, table.ses
    at_risk, n_events, n_censored = table.at_risk, table.n_events, table.n_censored
    for j in range(times.size):
        n_j = int(t.size - risk[j])
        d_j = round(float(deaths[j]))
        if d_j:
            surv *= 1.0 - d_j / n_j
            var_sum = math.inf if d_j == n_j else var_sum + d_j / (n_j * (n_j - d_j))
        survival.append(surv)
        at_risk.append(n_j)
        n_events.append(d_j)
        n_censored.append(int(totals[j]) - d_j)
        if surv <= 0.0 or not math.isfinite(var_sum):
            ses.append(None)
        else:
            ses.append(math.sqrt(var_sum))
        if surv >= 1.0 or surv <= 0.0:
            lows.append(None)
            highs.append(None)
        else:
            log_s = math.log(surv)
            width = z * math.sqrt(var_sum) / log_s  # negative
            lows.append(surv ** math.exp(-width))
            highs.append(surv ** math.exp(width))
    return table


def kaplan_meier(
    durations: npt.ArrayLike, events: npt.ArrayLike, confidence: float = 0.95
) -> KaplanMeierResult:
    """Kaplan-Meier survival curve with log(-log) Greenwood intervals and the median.

    Parameters
    ----------
    durations : sequence of float
        Follow-up time of each subject, ≥ 0.
    events : sequence of 0/1
        1 when the event was observed at that time, 0 when the subject was censored.
    confidence : float, default 0.95
        Confidence level of the pointwise intervals and of the median's interval.

    Returns
    -------
    KaplanMeierResult
        Per distinct time: ``times``, ``survival``, ``ci_low``, ``ci_high``, ``greenwood_se``,
        ``at_risk``, ``events``, ``censored``; and ``median``, ``median_ci``, ``n``,
        ``n_events``.

    Notes
    -----
    Formulas and details: the module docstring, under :func:`kaplan_meier`.

    References
    ----------
    Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
    *JASA* 53(282), 457-481.
    Greenwood, M. (1926). The natural duration of cancer. *Reports on Public Health and Medical
    Subjects* 33, 1-26.
    Kalbfleisch, J. D. & Prentice, R. L. (2002). *The Statistical Analysis of Failure Time Data*,
    2nd ed., Wiley (log-log interval).
    Brookmeyer, R. & Crowley, J. (1982). A confidence interval for the median survival time.
    *Biometrics* 38(1), 29-41.

    Examples
    --------
    >>> from kompeten.stats import kaplan_meier
    >>> r = kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1])
    >>> r.survival, r.median
    ((0.75, 0.5, 0.25, 0.0), 2.5)
    """
    conf = check_confidence(confidence)
    t, e = _durations_events(durations, events)
    z = float(stats.norm.ppf((1.0 + conf) / 2.0))
    times = np.unique(t)
    table = _product_limit(t, e, z)
    last = float(times[-1])
    curve: list[float | None] = list(table.survival)
    return KaplanMeierResult(
        times=tuple(float(v) for v in times),
        survival=tuple(table.survival),
        ci_low=tuple(table.lows),
        ci_high=tuple(table.highs),
        greenwood_se=tuple(table.ses),
        at_risk=tuple(table.at_risk),
        events=tuple(table.n_events),
        censored=tuple(table.n_censored),
        median=_first_crossing(times, curve, last),
        median_ci=(
            _first_crossing(times, table.lows, last),
            _first_crossing(times, table.highs, last),
        ),
        n=int(t.size),
        n_events=int(e.sum()),
        confidence=conf,
        method=(
            "Kaplan-Meier product-limit; Greenwood variance; log(-log) transformed pointwise "
            "interval (R conf.type = 'log-log'); median with R's midpoint rule"
        ),
        reference=(
            "Kaplan & Meier (1958); Greenwood (1926); Kalbfleisch & Prentice (2002); "
            "R survival::survfit(conf.type = 'log-log')"
        ),
    )


def _logrank_sums(
    ta: FloatArray, ea: FloatArray, tb: FloatArray, eb: FloatArray
) -> tuple[float, float, float]:
    """Group A's observed and expected events and the hypergeometric variance, summed over
    the pooled event times."""
    t = np.concatenate([ta, tb])
    e = np.concatenate([ea, eb])
    event_times = np.unique(t[e == 1])
    if event_times.size == 0:
        raise StatsError("there are no events in either group, so the log-rank test is undefined.")
    sorted_all = np.sort(t)
    sorted_a = np.sort(ta)
    n_j = (t.size - np.searchsorted(sorted_all, event_times, side="left")).astype(np.float64)
    n_aj = (ta.size - np.searchsorted(sorted_a, event_times, side="left")).astype(np.float64)
    index = np.searchsorted(event_times, t[e == 1])
    d_j = np.bincount(index, minlength=event_times.size).astype(np.float64)
    observed_a = float(ea.sum())
    expected_a = float(np.sum(d_j * n_aj / n_j))
    several = n_j > 1
    variance = float(
        np.sum(
            d_j[several]
            * n_aj[several]
            * (n_j[several] - n_aj[several])
            * (n_j[several] - d_j[several])
            / (n_j[several] ** 2 * (n_j[several] - 1))
        )
    )
    return observed_a, expected_a, variance


def logrank(
    durations_a: npt.ArrayLike,
    events_a: npt.ArrayLike,
    durations_b: npt.ArrayLike,
    events_b: npt.ArrayLike,
) -> LogRankResult:
    """Log-rank (Mantel-Cox) test comparing two survival curves.

    Parameters
    ----------
    durations_a, events_a : sequence
        Follow-up times (≥ 0) and event indicators (0/1) of group A.
    durations_b, events_b : sequence
        The same for group B.

    Returns
    -------
    LogRankResult
        ``statistic`` (chi-square, 1 df), ``pvalue``, ``observed_a``, ``expected_a``,
        ``observed_b``, ``expected_b``, ``variance``, ``n_a``, ``n_b``.

    Notes
    -----
    At each distinct event time :math:`t_j` of the pooled sample, with :math:`n_j` at risk
    (:math:`n_{Aj}` in A) and :math:`d_j` events (:math:`d_{Aj}` in A):

    .. math::

        E_A = \\sum_j d_j \\frac{n_{Aj}}{n_j},\\quad
        V = \\sum_j \\frac{d_j\\, n_{Aj} n_{Bj} (n_j - d_j)}{n_j^2 (n_j - 1)},\\quad
        \\chi^2 = \\frac{(O_A - E_A)^2}{V}

    (terms with :math:`n_j = 1` add nothing to *V*). Same as R ``survival::survdiff(Surv(t, e)
    ~ group)`` (``rho = 0``). ``ValueError`` when either group is empty or there is no event.

    References
    ----------
    Mantel, N. (1966). Evaluation of survival data and two new rank order statistics arising in
    its consideration. *Cancer Chemotherapy Reports* 50(3), 163-170.
    Peto, R. & Peto, J. (1972). Asymptotically efficient rank invariant test procedures.
    *JRSS A* 135(2), 185-207.

    Examples
    --------
    >>> from kompeten.stats import logrank
    >>> r = logrank([1, 2, 3], [1, 1, 1], [4, 5, 6], [1, 1, 1])
    >>> r.observed_a, r.df
    (3.0, 1)
    """
    ta, ea = _durations_events(durations_a, events_a, "_a")
    tb, eb = _durations_events(durations_b, events_b, "_b")
    observed_a, expected_a, variance = _logrank_sums(ta, ea, tb, eb)
    if variance <= 0:
        raise StatsError("the log-rank variance is zero, so the test is undefined.")
    statistic = (observed_a - expected_a) ** 2 / variance
    total_events = float(ea.sum() + eb.sum())
    return LogRankResult(
        statistic=statistic,
        pvalue=float(stats.chi2.sf(statistic, 1)),
        df=1,
        observed_a=observed_a,
        expected_a=expected_a,
        observed_b=total_events - observed_a,
        expected_b=total_events - expected_a,
        variance=variance,
        n_a=int(ta.size),
        n_b=int(tb.size),
        method="log-rank (Mantel-Cox) test, hypergeometric variance, chi-square with 1 df",
        reference="Mantel (1966); Peto & Peto (1972); R survival::survdiff(rho = 0)",
    )
