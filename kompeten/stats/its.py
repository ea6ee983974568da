"""Interrupted time series: segmented regression with Newey-West (HAC) standard errors.

:func:`interrupted_time_series`
-------------------------------
With :math:`D_t = 1[t \\ge T_0]`:

.. math::

    y_t = \\beta_0 + \\beta_1 t + \\beta_2 D_t + \\beta_3 (t - T_0) D_t + \\varepsilon_t

fitted by OLS. The covariance is Newey-West with Bartlett weights
:math:`w_l = 1 - l/(L+1)` and the small-sample factor :math:`n/(n-4)`
(``OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L, "use_correction": True},
use_t=True)``), the same as R ``sandwich::NeweyWest(fit, lag = L, prewhite = FALSE,
adjust = TRUE)`` and Stata ``newey, lag(L)``. Tests and intervals use :math:`t_{n-4}`.
``post_slope`` is :math:`\\beta_1 + \\beta_3`.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._inference import t_inference
from ._validate import FloatArray, as_vector, check_confidence
from .errors import StatsError

__all__ = ["ItsResult", "default_maxlags", "interrupted_time_series"]


@dataclass(frozen=True, slots=True)
class ItsResult:
    """Segmented regression of a series interrupted at ``intervention_index``."""

    level_change: float
    level_se: float
    level_ci_low: float
    level_ci_high: float
    level_pvalue: float
    slope_change: float
    slope_se: float
    slope_ci_low: float
    slope_ci_high: float
    slope_pvalue: float
    intercept: float
    pre_slope: float
    post_slope: float
    n: int
    n_pre: int
    n_post: int
    intervention_index: int
    maxlags: int
    df: int
    confidence: float
    method: str
    reference: str


def default_maxlags(n: int) -> int:
    """Newey-West's rule of thumb for the HAC lag length, ``floor(4 (n/100)^(2/9))``.

    Parameters
    ----------
    n : int
        Length of the series.

    Returns
    -------
    int
        The number of lags.

    Notes
    -----
    .. math:: L = \\lfloor 4 (n/100)^{2/9} \\rfloor

    the default of ``statsmodels.stats.sandwich_covariance.S_hac_simple``.

    References
    ----------
    Newey, W. K. & West, K. D. (1994). Automatic lag selection in covariance matrix estimation.
    *Review of Economic Studies* 61(4), 631-653.

    Examples
    --------
    >>> from kompeten.stats import default_maxlags
    >>> default_maxlags(24), default_maxlags(100)
    (2, 4)
    """
    rule: float = 4.0 * (n / 100.0) ** (2.0 / 9.0)
    return math.floor(rule)


def _check_intervention(intervention_index: int, n: int) -> int:
    """The intervention's index, leaving at least 2 observations on each side of it."""
    if isinstance(intervention_index, bool) or not isinstance(intervention_index, numbers.Integral):
        raise ValueError("intervention_index must be a whole number (an index into y).")
    t0 = int(intervention_index)
    if n < 5:
        raise ValueError(f"the series needs at least 5 observations (got {n}).")
    if t0 < 2 or n - t0 < 2:
        raise ValueError(
            "intervention_index must leave at least 2 observations before it and 2 from it on "
            f"(got {t0} with {n} observations)."
        )
    return t0


def _check_maxlags(maxlags: int | None, n: int) -> int:
    """The HAC lags: the given whole number below ``n``, or the Newey-West default."""
    if maxlags is None:
        return default_maxlags(n)
    if isinstance(maxlags, bool) or not isinstance(maxlags, numbers.Integral) or maxlags < 0:
        raise ValueError("maxlags must be a whole number of at least 0.")
    if maxlags >= n:
        raise ValueError(f"maxlags must be smaller than the series length ({n}).")
    return int(maxlags)


def _segmented_fit(yv: FloatArray, t0: int, lags: int) -> tuple[FloatArray, FloatArray]:
    """Coefficients (intercept, slope, level change, slope change) and their HAC standard
    errors; ``ValueError`` when the fit is perfect (no inference)."""
    from statsmodels.regression.linear_model import OLS  # heavy: imported on first use

    n = int(yv.size)
    time = np.arange(n, dtype=np.float64)
    after = (time >= t0).astype(np.float64)
    x = np.column_stack([np.ones(n), time, after, (time - t0) * after])
    fit = OLS(yv, x).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True
    )
    params = np.asarray(fit.params, dtype=np.float64)
    bse = np.asarray(fit.bse, dtype=np.float64)
    if not (bse[2] > 0 and bse[3] > 0) or float(fit.ssr) <= 1e-20 * max(
        float(fit.centered_tss), 1e-300
    ):
        raise StatsError("the segmented regression fits perfectly, so no inference is possible.")
    return params, bse


def interrupted_time_series(
    y: npt.ArrayLike,
    intervention_index: int,
    maxlags: int | None = None,
    confidence: float = 0.95,
) -> ItsResult:
    """Segmented regression of an equally spaced series with Newey-West standard errors.

    Parameters
    ----------
    y : sequence of float
        The outcome at equally spaced times :math:`t = 0, 1, \\dots, n-1` (e.g. a monthly
        complaint count or satisfaction index), at least 5 values.
    intervention_index : int
        Index :math:`T_0` of the first observation after the intervention; at least 2
        observations before and 2 from it on are required.
    maxlags : int, optional
        Lags of the Bartlett kernel; default ``floor(4 (n/100)^(2/9))`` (see
        :func:`default_maxlags`). 0 gives heteroskedasticity-robust (HC1) errors.
    confidence : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    ItsResult
        ``level_change`` (:math:`\\beta_2`) and ``slope_change`` (:math:`\\beta_3`), each with
        ``_se``, ``_ci_low``, ``_ci_high``, ``_pvalue``; ``intercept``, ``pre_slope``,
        ``post_slope``; ``n``, ``n_pre``, ``n_post``, ``maxlags``, ``df``.

    Notes
    -----
    Formulas and details: the module docstring, under :func:`interrupted_time_series`.

    References
    ----------
    Wagner, A. K., Soumerai, S. B., Zhang, F. & Ross-Degnan, D. (2002). Segmented regression
    analysis of interrupted time series studies in medication use research. *Journal of
    Clinical Pharmacy and Therapeutics* 27(4), 299-309.
    Newey, W. K. & West, K. D. (1987). A simple, positive semi-definite, heteroskedasticity and
    autocorrelation consistent covariance matrix. *Econometrica* 55(3), 703-708.

    Examples
    --------
    >>> from kompeten.stats import interrupted_time_series
    >>> r = interrupted_time_series([1, 2, 3, 4.1, 8, 9.2, 10, 11], intervention_index=4)
    >>> round(r.level_change, 3)
    2.98
    """
    conf = check_confidence(confidence)
    yv = as_vector(y, "y")
    n = int(yv.size)
    t0 = _check_intervention(intervention_index, n)
    lags = _check_maxlags(maxlags, n)

    params, bse = _segmented_fit(yv, t0, lags)
    return _its_result(params, bse, n, t0, lags, conf)


def _its_result(
    params: FloatArray, bse: FloatArray, n: int, t0: int, lags: int, conf: float
) -> ItsResult:
    """The t tests and intervals of the level and slope changes, on n - 4 df."""
    df = n - 4

    def test(j: int) -> tuple[float, float, float, float]:
        est = float(params[j])
        se = float(bse[j])
        _, p, half = t_inference(est, se, df, conf)
        return se, est - half, est + half, p

    level_se, level_low, level_high, level_p = test(2)
    slope_se, slope_low, slope_high, slope_p = test(3)
    return ItsResult(
        level_change=float(params[2]),
        level_se=level_se,
        level_ci_low=level_low,
        level_ci_high=level_high,
        level_pvalue=level_p,
        slope_change=float(params[3]),
        slope_se=slope_se,
        slope_ci_low=slope_low,
        slope_ci_high=slope_high,
        slope_pvalue=slope_p,
        intercept=float(params[0]),
        pre_slope=float(params[1]),
        post_slope=float(params[1] + params[3]),
        n=n,
        n_pre=t0,
        n_post=n - t0,
        intervention_index=t0,
        maxlags=lags,
        df=df,
        confidence=conf,
        method=(
            f"segmented OLS y ~ t + D + (t - T0)D; Newey-West HAC, Bartlett kernel, {lags} lags, "
            "small-sample factor n/(n - 4); t with n - 4 df"
        ),
        reference="Wagner et al. (2002); Newey & West (1987); statsmodels cov_type='HAC'",
    )
