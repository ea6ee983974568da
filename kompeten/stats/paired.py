"""Paired (before/after) mean comparison: the paired t-test."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._inference import t_inference
from ._validate import check_confidence, paired_differences

__all__ = ["PairedTTestResult", "paired_ttest"]


@dataclass(frozen=True, slots=True)
class PairedTTestResult:
    """Paired t-test of ``after - before``."""

    statistic: float
    pvalue: float
    df: int
    mean_difference: float
    sd_difference: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    confidence: float
    method: str
    reference: str


def paired_ttest(
    before: npt.ArrayLike, after: npt.ArrayLike, confidence: float = 0.95
) -> PairedTTestResult:
    """Paired t-test of the mean difference ``after - before`` (two-sided).

    Parameters
    ----------
    before, after : sequence of float
        Paired scores of the same people, same length, at least 2 pairs.
    confidence : float, default 0.95
        Confidence level of the interval for the mean difference.

    Returns
    -------
    PairedTTestResult
        ``statistic`` (t), ``pvalue`` (two-sided), ``df`` (n - 1), ``mean_difference``
        (after - before), ``sd_difference``, ``se``, ``ci_low``, ``ci_high``, ``n``.

    Notes
    -----
    With :math:`d_i = after_i - before_i`:

    .. math::

        t = \\frac{\\bar d}{s_d/\\sqrt n},\\quad df = n-1,\\quad
        p = 2\\,P(T_{n-1} > |t|),\\quad \\bar d \\pm t_{(1+c)/2,\\,n-1}\\, s_d/\\sqrt n

    The statistic is undefined when every difference is the same (zero variance), which raises
    ``ValueError``. Same as ``scipy.stats.ttest_rel(after, before)`` and R
    ``t.test(after, before, paired = TRUE)``.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika* 6(1), 1-25.

    Examples
    --------
    >>> from kompeten.stats import paired_ttest
    >>> r = paired_ttest([60, 55, 70, 65], [68, 60, 75, 66])
    >>> r.mean_difference, r.df
    (4.75, 3)
    """
    conf = check_confidence(confidence)
    _, _, d = paired_differences(
        before, after, "variance of the differences is zero and the t statistic is undefined"
    )
    n = int(d.size)
    mean = float(np.mean(d))
    sd = float(np.std(d, ddof=1))
    se = sd / math.sqrt(n)
    df = n - 1
    t, p, half = t_inference(mean, se, df, conf)
    return PairedTTestResult(
        statistic=t,
        pvalue=p,
        df=df,
        mean_difference=mean,
        sd_difference=sd,
        se=se,
        ci_low=mean - half,
        ci_high=mean + half,
        n=n,
        confidence=conf,
        method="paired t-test, two-sided, difference = after - before",
        reference="Student (1908); scipy.stats.ttest_rel; R t.test(paired = TRUE)",
    )
