"""Descriptive statistics: mean, variance and t-based confidence interval, also from rollups.

Dashboards keep only sufficient statistics per item (counts per score, or ``n``, ``Σx``, ``Σx²``),
so every descriptive here can be computed from those as well as from raw values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

from ._inference import t_half_width
from ._validate import as_vector, check_confidence, check_count, check_finite_number

__all__ = [
    "Description",
    "ProportionInterval",
    "describe_counts",
    "describe_sums",
    "mean_ci",
    "proportion_ci",
]

_T_REFERENCE = "Student (1908) t interval; scipy.stats.t"


@dataclass(frozen=True, slots=True)
class Description:
    """Mean with its sample variance and t-based confidence interval.

    ``variance``, ``sd``, ``se``, ``ci_low`` and ``ci_high`` are ``None`` when ``n == 1`` (a
    sample variance needs two observations). ``df`` is ``n - 1``.
    """

    n: int
    mean: float
    variance: float | None
    sd: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    df: int
    confidence: float
    method: str
    reference: str


@dataclass(frozen=True, slots=True)
class ProportionInterval:
    """A proportion with its Wilson score confidence interval."""

    successes: int
    n: int
    proportion: float
    ci_low: float
    ci_high: float
    confidence: float
    method: str
    reference: str


def _describe(n: int, mean: float, variance: float | None, confidence: float) -> Description:
    method = "mean, sample variance (ddof=1), t interval with n - 1 df"
    if variance is None:
        return Description(
            n, mean, None, None, None, None, None, 0, confidence, method, _T_REFERENCE
        )
    sd = math.sqrt(variance)
    se = sd / math.sqrt(n)
    half = t_half_width(se, n - 1, confidence)
    return Description(
        n=n,
        mean=mean,
        variance=variance,
        sd=sd,
        se=se,
        ci_low=mean - half,
        ci_high=mean + half,
        df=n - 1,
        confidence=confidence,
        method=method,
        reference=_T_REFERENCE,
    )


def mean_ci(values: npt.ArrayLike, confidence: float = 0.95) -> Description:
    """Mean, sample variance and t-based confidence interval of raw values.

    Parameters
    ----------
    values : sequence of float
        The observations (finite numbers, at least one).
    confidence : float, default 0.95
        Confidence level of the interval, strictly between 0 and 1.

    Returns
    -------
    Description
        ``n``, ``mean``, ``variance`` (ddof=1), ``sd``, ``se``, ``ci_low``, ``ci_high``, ``df``.
        The spread fields are ``None`` when there is a single value.

    Notes
    -----
    .. math::

        \\bar x = \\frac{1}{n}\\sum x_i,\\quad s^2 = \\frac{1}{n-1}\\sum (x_i-\\bar x)^2,\\quad
        \\bar x \\pm t_{(1+c)/2,\\,n-1}\\, s/\\sqrt{n}

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika* 6(1), 1-25.

    Examples
    --------
    >>> from kompeten.stats import mean_ci
    >>> r = mean_ci([3, 4, 5])
    >>> r.mean, r.variance
    (4.0, 1.0)
    """
    conf = check_confidence(confidence)
    x = as_vector(values, "values")
    n = int(x.size)
    mean = float(np.mean(x))
    variance = float(np.var(x, ddof=1)) if n > 1 else None
    return _describe(n, mean, variance, conf)


def describe_sums(n: int, sum_x: float, sum_x2: float, confidence: float = 0.95) -> Description:
    """Mean, variance and t interval from the sufficient statistics ``n``, ``Σx``, ``Σx²``.

    Parameters
    ----------
    n : int
        Number of observations (at least 1).
    sum_x : float
        Sum of the observations, ``Σx``.
    sum_x2 : float
        Sum of the squared observations, ``Σx²``.
    confidence : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    Description
        As :func:`mean_ci`.

    Notes
    -----
    .. math::

        \\bar x = \\Sigma x / n,\\qquad s^2 = \\frac{\\Sigma x^2 - (\\Sigma x)^2/n}{n-1}

    The subtraction can lose precision when the mean is large relative to the spread (this is the
    textbook one-pass formula); for scores on a 1-5 or 0-100 scale it is exact to many digits. A
    tiny negative result caused by rounding is set to zero; a clearly negative one means the sums
    are inconsistent and raises ``ValueError``.

    References
    ----------
    Chan, T. F., Golub, G. H. & LeVeque, R. J. (1983). Algorithms for computing the sample
    variance. *The American Statistician* 37(3), 242-247.

    Examples
    --------
    >>> from kompeten.stats import describe_sums
    >>> r = describe_sums(3, 12.0, 50.0)   # the values 3, 4, 5
    >>> r.mean, r.variance
    (4.0, 1.0)
    """
    conf = check_confidence(confidence)
    count = check_count(n, "n")
    if count == 0:
        raise ValueError("n must be at least 1.")
    s1 = check_finite_number(sum_x, "sum_x")
    s2 = check_finite_number(sum_x2, "sum_x2")
    if s2 < 0:
        raise ValueError("sum_x2 cannot be negative.")
    mean = s1 / count
    if count == 1:
        if not math.isclose(s2, s1 * s1, rel_tol=1e-9, abs_tol=1e-12):
            raise ValueError("sum_x2 must equal sum_x squared when n is 1.")
        return _describe(1, mean, None, conf)
    centred = s2 - s1 * s1 / count
    if centred < 0:
        if centred < -1e-9 * max(s2, 1.0):
            raise ValueError("the sums are inconsistent: sum_x2 is smaller than sum_x² / n.")
        centred = 0.0
    return _describe(count, mean, centred / (count - 1), conf)


def describe_counts(
    counts_by_score: Mapping[int, int] | Mapping[float, int] | Mapping[int | float, int],
    confidence: float = 0.95,
) -> Description:
    """Mean, variance and t interval from a frequency table ``{score: count}``.

    Parameters
    ----------
    counts_by_score : mapping of score to count
        For example ``{1: 0, 2: 3, 3: 10, 4: 25, 5: 12}`` for a Likert item. Scores are finite
        numbers; counts are whole numbers ≥ 0 and must add up to at least 1.
    confidence : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    Description
        As :func:`mean_ci`, identical to expanding the table into raw values.

    Notes
    -----
    With :math:`c_j` responses at score :math:`x_j` and :math:`n=\\sum c_j`:

    .. math::

        \\bar x = \\frac{1}{n}\\sum c_j x_j,\\qquad
        s^2 = \\frac{1}{n-1}\\sum c_j (x_j-\\bar x)^2

    (the two-pass form, so no precision is lost).

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika* 6(1), 1-25.

    Examples
    --------
    >>> from kompeten.stats import describe_counts
    >>> r = describe_counts({3: 1, 4: 1, 5: 1})
    >>> r.mean, r.variance
    (4.0, 1.0)
    """
    conf = check_confidence(confidence)
    if not isinstance(counts_by_score, Mapping):
        raise ValueError("counts_by_score must be a mapping of score to count.")
    if not counts_by_score:
        raise ValueError("counts_by_score is empty.")
    scores = np.array(
        [check_finite_number(s, "every score") for s in counts_by_score], dtype=np.float64
    )
    counts = np.array(
        [check_count(c, "every count") for c in counts_by_score.values()], dtype=np.float64
    )
    n = int(counts.sum())
    if n == 0:
        raise ValueError("the counts add up to zero: there is nothing to describe.")
    mean = float(np.dot(counts, scores) / n)
    variance = float(np.dot(counts, (scores - mean) ** 2) / (n - 1)) if n > 1 else None
    return _describe(n, mean, variance, conf)


def proportion_ci(successes: int, n: int, confidence: float = 0.95) -> ProportionInterval:
    """Proportion with the Wilson score interval (e.g. pass rate, attendance rate).

    Parameters
    ----------
    successes : int
        Number of successes, ``0 <= successes <= n``.
    n : int
        Number of trials, at least 1.
    confidence : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    ProportionInterval
        ``proportion`` (``successes / n``), ``ci_low``, ``ci_high``.

    Notes
    -----
    With :math:`\\hat p = x/n` and :math:`z = \\Phi^{-1}((1+c)/2)`:

    .. math::

        \\frac{\\hat p + z^2/(2n) \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/(4n^2)}}{1 + z^2/n}

    No continuity correction (as ``statsmodels.stats.proportion.proportion_confint(...,
    method="wilson")`` and R ``prop.test(..., correct=FALSE)$conf.int``).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    *JASA* 22(158), 209-212.

    Examples
    --------
    >>> from kompeten.stats import proportion_ci
    >>> proportion_ci(0, 10).ci_low
    0.0
    """
    conf = check_confidence(confidence)
    x = check_count(successes, "successes")
    total = check_count(n, "n")
    if total == 0:
        raise ValueError("n must be at least 1.")
    if x > total:
        raise ValueError(f"successes ({x}) cannot exceed n ({total}).")
    p = x / total
    z = float(stats.norm.ppf((1.0 + conf) / 2.0))
    z2 = z * z
    denom = 1.0 + z2 / total
    centre = (p + z2 / (2.0 * total)) / denom
    half = z * math.sqrt(p * (1.0 - p) / total + z2 / (4.0 * total * total)) / denom
    low = 0.0 if x == 0 else centre - half
    high = 1.0 if x == total else centre + half
    return ProportionInterval(
        successes=x,
        n=total,
        proportion=p,
        ci_low=low,
        ci_high=high,
        confidence=conf,
        method="Wilson score interval without continuity correction",
        reference="Wilson (1927); statsmodels proportion_confint(method='wilson')",
    )
