"""Two independent groups: Welch's t-test (e.g. trained vs untrained employees)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._inference import t_inference
from ._validate import as_vector, check_confidence, is_constant
from .errors import StatsError

__all__ = ["WelchTTestResult", "welch_ttest"]


@dataclass(frozen=True, slots=True)
class WelchTTestResult:
    """Welch's unequal-variance t-test of ``mean(x) - mean(y)``."""

    statistic: float
    pvalue: float
    df: float
    mean_difference: float
    se: float
    ci_low: float
    ci_high: float
    n_x: int
    n_y: int
    confidence: float
    method: str
    reference: str


def welch_ttest(x: npt.ArrayLike, y: npt.ArrayLike, confidence: float = 0.95) -> WelchTTestResult:
    """Welch's t-test for two independent groups (two-sided), difference ``mean(x) - mean(y)``.

    Parameters
    ----------
    x, y : sequence of float
        The two independent samples, each with at least 2 values.
    confidence : float, default 0.95
        Confidence level of the interval for the difference in means.

    Returns
    -------
    WelchTTestResult
        ``statistic`` (t), ``pvalue``, ``df`` (Welch-Satterthwaite, not an integer),
        ``mean_difference``, ``se``, ``ci_low``, ``ci_high``, ``n_x``, ``n_y``.

    Notes
    -----
    .. math::

        t = \\frac{\\bar x - \\bar y}{\\sqrt{s_x^2/n_x + s_y^2/n_y}},\\qquad
        \\nu = \\frac{(s_x^2/n_x + s_y^2/n_y)^2}
                    {\\frac{(s_x^2/n_x)^2}{n_x-1} + \\frac{(s_y^2/n_y)^2}{n_y-1}}

    Undefined (``ValueError``) when both groups have zero variance. Same as
    ``scipy.stats.ttest_ind(x, y, equal_var=False)`` and R ``t.test(x, y)``.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika* 34(1/2), 28-35.

    Examples
    --------
    >>> from kompeten.stats import welch_ttest
    >>> welch_ttest([5, 6, 7], [1, 2, 3, 4]).mean_difference
    3.5
    """
    conf = check_confidence(confidence)
    a = as_vector(x, "x", min_size=2)
    b = as_vector(y, "y", min_size=2)
    nx, ny = int(a.size), int(b.size)
    vx = float(np.var(a, ddof=1)) / nx
    vy = float(np.var(b, ddof=1)) / ny
    if is_constant(a) and is_constant(b):
        raise StatsError("both groups have zero variance, so the t statistic is undefined.")
    se = math.sqrt(vx + vy)
    diff = float(np.mean(a) - np.mean(b))
    df = (vx + vy) ** 2 / (vx**2 / (nx - 1) + vy**2 / (ny - 1))
    t, p, half = t_inference(diff, se, df, conf)
    return WelchTTestResult(
        statistic=t,
        pvalue=p,
        df=df,
        mean_difference=diff,
        se=se,
        ci_low=diff - half,
        ci_high=diff + half,
        n_x=nx,
        n_y=ny,
        confidence=conf,
        method="Welch two-sample t-test, two-sided, Welch-Satterthwaite df",
        reference="Welch (1947); scipy.stats.ttest_ind(equal_var=False); R t.test(x, y)",
    )
