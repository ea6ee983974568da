"""Reliability: Cronbach's alpha (internal consistency) and intraclass correlations (raters)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

from ._validate import (
    FloatArray,
    as_matrix,
    as_vector,
    check_confidence,
    check_count,
    check_finite_number,
    is_constant,
)
from .errors import StatsError

__all__ = [
    "CronbachAlphaResult",
    "IccEstimate",
    "IccResult",
    "cronbach_alpha",
    "cronbach_alpha_from_sums",
    "icc",
]


@dataclass(frozen=True, slots=True)
class CronbachAlphaResult:
    """Cronbach's alpha with Feldt's confidence interval.

    ``item_total`` (corrected item-total correlations) and ``alpha_if_deleted`` are in item
    order; an entry is ``None`` where it is undefined (an item or the rest-score without variance,
    or only one item left). Both are empty tuples when alpha was computed from sums.
    """

    alpha: float
    ci_low: float
    ci_high: float
    item_total: tuple[float | None, ...]
    alpha_if_deleted: tuple[float | None, ...]
    n: int
    k: int
    n_excluded: int
    confidence: float
    method: str
    reference: str


def _alpha(k: int, item_variance_sum: float, total_variance: float) -> float:
    return (k / (k - 1.0)) * (1.0 - item_variance_sum / total_variance)


def _feldt(alpha: float, n: int, k: int, confidence: float) -> tuple[float, float]:
    df1 = n - 1
    df2 = df1 * (k - 1)
    low = 1.0 - (1.0 - alpha) * float(stats.f.isf((1.0 - confidence) / 2.0, df1, df2))
    high = 1.0 - (1.0 - alpha) * float(stats.f.isf((1.0 + confidence) / 2.0, df1, df2))
    return low, high


_ALPHA_METHOD = "Cronbach's alpha (sample variances, ddof=1) with Feldt's F-based interval"
_ALPHA_REFERENCE = "Cronbach (1951); Feldt, Woodruff & Salih (1987); as pingouin.cronbach_alpha"


def _complete_rows(raw: FloatArray) -> FloatArray:
    """The rows without a missing item; at least 2 of them and 2 items, else ``ValueError``."""
    data = raw[~np.any(np.isnan(raw), axis=1)]
    n, k = int(data.shape[0]), int(raw.shape[1])
    if k < 2:
        raise ValueError(f"Cronbach's alpha needs at least 2 items (got {k}).")
    if n < 2:
        raise ValueError(
            f"Cronbach's alpha needs at least 2 respondents with no missing item (got {n})."
        )
    return data


def _item_diagnostics(
    data: FloatArray, total: FloatArray, variances: FloatArray
) -> tuple[list[float | None], list[float | None]]:
    """Per item, the corrected item-total correlation and alpha without the item (None where
    undefined: no variance, or fewer than 3 items)."""
    k = int(data.shape[1])
    item_total: list[float | None] = []
    if_deleted: list[float | None] = []
    for j in range(k):
        rest = total - data[:, j]
        item_total.append(_pearson(data[:, j], rest))
        if k < 3:
            if_deleted.append(None)
            continue
        rest_var = float(np.var(rest, ddof=1))
        if rest_var == 0:
            if_deleted.append(None)
        else:
            if_deleted.append(_alpha(k - 1, float(variances.sum() - variances[j]), rest_var))
    return item_total, if_deleted


def cronbach_alpha(items: npt.ArrayLike, confidence: float = 0.95) -> CronbachAlphaResult:
    """Cronbach's alpha of a respondents × items score matrix, with Feldt's interval.

    Parameters
    ----------
    items : 2-D array-like of float
        Rows are respondents, columns are items (at least 2 of each after deletion). A row with
        any NaN is dropped whole (listwise deletion); infinite values are rejected.
    confidence : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    CronbachAlphaResult
        ``alpha``, ``ci_low``, ``ci_high``, ``item_total``, ``alpha_if_deleted``, ``n``
        (complete rows used), ``k`` (items), ``n_excluded`` (rows dropped).

    Notes
    -----
    With item variances :math:`s_j^2` and the variance :math:`s_T^2` of the total score
    (both ddof=1):

    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_j s_j^2}{s_T^2}\\right)

    Feldt's interval, with :math:`df_1 = n-1`, :math:`df_2 = (n-1)(k-1)`:

    .. math::

        \\left[1 - (1-\\alpha) F_{(1-c)/2}^{-1,\\,upper},\\;
               1 - (1-\\alpha) F_{(1+c)/2}^{-1,\\,upper}\\right]

    where :math:`F_{q}^{-1,upper}` is ``scipy.stats.f.isf(q, df1, df2)`` (as pingouin).
    The corrected item-total correlation of item *j* is the Pearson correlation between the item
    and the sum of the other items. Alpha is undefined when the total score has zero variance
    (``ValueError``).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16(3), 297-334.
    Feldt, L. S., Woodruff, D. J. & Salih, F. A. (1987). Statistical inference for coefficient
    alpha. *Applied Psychological Measurement* 11(1), 93-103.

    Examples
    --------
    >>> from kompeten.stats import cronbach_alpha
    >>> r = cronbach_alpha([[1, 2, 2], [2, 3, 3], [4, 4, 5], [5, 5, 4]])
    >>> r.k, r.n
    (3, 4)
    """
    conf = check_confidence(confidence)
    raw = as_matrix(items, "items", allow_nan=True)
    data = _complete_rows(raw)
    n, k = int(data.shape[0]), int(raw.shape[1])
    variances = np.var(data, axis=0, ddof=1)
    total = data.sum(axis=1)
    total_var = float(np.var(total, ddof=1))
    if is_constant(total):
        raise StatsError("the total score has zero variance, so Cronbach's alpha is undefined.")
    alpha = _alpha(k, float(variances.sum()), total_var)
    low, high = _feldt(alpha, n, k, conf)

    item_total, if_deleted = _item_diagnostics(data, total, variances)
    return CronbachAlphaResult(
        alpha=alpha,
        ci_low=low,
        ci_high=high,
        item_total=tuple(item_total),
        alpha_if_deleted=tuple(if_deleted),
        n=n,
        k=k,
        n_excluded=int(raw.shape[0] - n),
        confidence=conf,
        method=_ALPHA_METHOD + "; listwise deletion of rows with missing items",
        reference=_ALPHA_REFERENCE,
    )


def _pearson(x: FloatArray, y: FloatArray) -> float | None:
    xc = x - x.mean()
    yc = y - y.mean()
    denom = float(np.sqrt(np.dot(xc, xc) * np.dot(yc, yc)))
    if denom == 0:
        return None
    return float(np.dot(xc, yc)) / denom


def cronbach_alpha_from_sums(
    n: int,
    item_sums: Sequence[float],
    item_sums_of_squares: Sequence[float],
    total_sum: float,
    total_sum_of_squares: float,
    confidence: float = 0.95,
) -> CronbachAlphaResult:
    """Cronbach's alpha from rollup sums over the same ``n`` complete respondents.

    Parameters
    ----------
    n : int
        Number of respondents who answered every item (at least 2).
    item_sums, item_sums_of_squares : sequence of float
        Per item, :math:`\\Sigma x_j` and :math:`\\Sigma x_j^2` over those respondents.
    total_sum, total_sum_of_squares : float
        :math:`\\Sigma T` and :math:`\\Sigma T^2` of each respondent's total score
        :math:`T = \\sum_j x_j`.
    confidence : float, default 0.95
        Confidence level of Feldt's interval.

    Returns
    -------
    CronbachAlphaResult
        As :func:`cronbach_alpha`, with empty ``item_total`` and ``alpha_if_deleted`` (they need
        the cross-products, which rollups do not keep).

    Notes
    -----
    Each variance is :math:`(\\Sigma x^2 - (\\Sigma x)^2/n)/(n-1)`; then alpha and its interval
    follow :func:`cronbach_alpha`. Equal to :func:`cronbach_alpha` on the raw complete rows.

    References
    ----------
    Cronbach, L. J. (1951). *Psychometrika* 16(3), 297-334.
    Feldt, L. S., Woodruff, D. J. & Salih, F. A. (1987). *Applied Psychological Measurement*
    11(1), 93-103.

    Examples
    --------
    >>> from kompeten.stats import cronbach_alpha_from_sums
    >>> r = cronbach_alpha_from_sums(3, [6, 6], [14, 14], 12, 56)  # rows (1,1), (2,2), (3,3)
    >>> r.alpha
    1.0
    """
    conf = check_confidence(confidence)
    count = check_count(n, "n")
    if count < 2:
        raise ValueError(f"Cronbach's alpha needs at least 2 respondents (got {count}).")
    s1 = as_vector(item_sums, "item_sums")
    s2 = as_vector(item_sums_of_squares, "item_sums_of_squares")
    if s1.size != s2.size:
        raise ValueError("item_sums and item_sums_of_squares must have the same length.")
    k = int(s1.size)
    if k < 2:
        raise ValueError(f"Cronbach's alpha needs at least 2 items (got {k}).")
    t1 = check_finite_number(total_sum, "total_sum")
    t2 = check_finite_number(total_sum_of_squares, "total_sum_of_squares")
    if not np.isclose(s1.sum(), t1, rtol=1e-9, atol=1e-9):
        raise ValueError("total_sum must equal the sum of item_sums.")
    item_var = np.maximum((s2 - s1 * s1 / count) / (count - 1), 0.0)
    total_var = max((t2 - t1 * t1 / count) / (count - 1), 0.0)
    if total_var <= 1e-12 * max(t2 / count, 1.0):
        raise StatsError("the total score has zero variance, so Cronbach's alpha is undefined.")
    alpha = _alpha(k, float(item_var.sum()), total_var)
    low, high = _feldt(alpha, count, k, conf)
    return CronbachAlphaResult(
        alpha=alpha,
        ci_low=low,
        ci_high=high,
        item_total=(),
        alpha_if_deleted=(),
        n=count,
        k=k,
        n_excluded=0,
        confidence=conf,
        method=_ALPHA_METHOD + "; from sufficient statistics n, Σx, Σx² per item and total",
        reference=_ALPHA_REFERENCE,
    )


@dataclass(frozen=True, slots=True)
class IccEstimate:
    """One intraclass correlation with its F test and F-based confidence interval."""

    name: str
    description: str
    value: float
    f: float
    df1: int
    df2: int
    pvalue: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True, slots=True)
class IccResult:
    """All six Shrout & Fleiss intraclass correlations of a targets × raters matrix.

    ``icc2_1`` (two-way random, absolute agreement, single rater) is usually the one to report
    for inter-rater agreement; ``icc3_1`` is consistency (raters' mean levels ignored).
    """

    icc1_1: IccEstimate
    icc2_1: IccEstimate
    icc3_1: IccEstimate
    icc1_k: IccEstimate
    icc2_k: IccEstimate
    icc3_k: IccEstimate
    n: int
    k: int
    ms_rows: float
    ms_columns: float
    ms_error: float
    ms_within: float
    confidence: float
    method: str
    reference: str


_ICC1_NAMES = (
    "ICC(1,1)",
    "one-way random effects, single rater",
    "ICC(1,k)",
    "one-way random effects, mean of k raters",
)
_ICC3_NAMES = (
    "ICC(3,1)",
    "two-way mixed effects, consistency, single rater",
    "ICC(3,k)",
    "two-way mixed effects, consistency, mean of k raters",
)
_ICC_METHOD = (
    "Shrout-Fleiss ICCs from two-way ANOVA mean squares; exact F intervals for ICC(1,.) "
    "and ICC(3,.), Satterthwaite-df F interval for ICC(2,.) (McGraw & Wong)"
)
_ICC_REFERENCE = "Shrout & Fleiss (1979); McGraw & Wong (1996); as R psych::ICC"


@dataclass(frozen=True, slots=True)
class _MeanSquares:
    """The two-way ANOVA (without replication) of a targets × raters matrix."""

    n: int
    k: int
    ms_r: float
    ms_c: float
    ms_e: float
    ms_w: float
    df_e: int
    df_w: int


def _icc_mean_squares(x: FloatArray) -> _MeanSquares:
    """Mean squares of targets, raters, residual and within-target; ``ValueError`` when the
    ICCs are undefined (fewer than 2 targets or raters, constant ratings, no residual)."""
    n, k = int(x.shape[0]), int(x.shape[1])
    if n < 2:
        raise ValueError(f"ICC needs at least 2 targets (rows) (got {n}).")
    if k < 2:
        raise ValueError(f"ICC needs at least 2 raters (columns) (got {k}).")
    grand = float(x.mean())
    row_means = x.mean(axis=1)
    col_means = x.mean(axis=0)
    ss_total = float(((x - grand) ** 2).sum())
    ss_rows = k * float(((row_means - grand) ** 2).sum())
    ss_cols = n * float(((col_means - grand) ** 2).sum())
    ss_error = max(ss_total - ss_rows - ss_cols, 0.0)
    df_e = (n - 1) * (k - 1)
    df_w = n * (k - 1)
    if is_constant(x.ravel()):
        raise StatsError("every rating is the same, so the intraclass correlation is undefined.")
    if ss_error <= 1e-12 * ss_total:
        raise StatsError(
            "the ratings have no residual variance (the raters agree perfectly up to a "
            "constant), so the F tests and intervals of the ICC are undefined."
        )
    return _MeanSquares(
        n=n,
        k=k,
        ms_r=ss_rows / (n - 1),
        ms_c=ss_cols / (k - 1),
        ms_e=ss_error / df_e,
        ms_w=(ss_total - ss_rows) / df_w,
        df_e=df_e,
        df_w=df_w,
    )


def _icc_exact(
    ms: _MeanSquares, ms_err: float, df: int, q: float, names: tuple[str, str, str, str]
) -> tuple[IccEstimate, IccEstimate]:
    """ICC(1,·) (error = within-target MS) or ICC(3,·) (error = residual MS): single and
    k-rater values with the F test and exact F-based intervals."""
    n, k, ms_r = ms.n, ms.k, ms.ms_r
    f = ms_r / ms_err
    single = (ms_r - ms_err) / (ms_r + (k - 1) * ms_err)
    f_low = f / float(stats.f.ppf(q, n - 1, df))
    f_high = f * float(stats.f.ppf(q, df, n - 1))
    p = float(stats.f.sf(f, n - 1, df))
    name_1, description_1, name_k, description_k = names
    return (
        IccEstimate(
            name_1,
            description_1,
            single,
            f,
            n - 1,
            df,
            p,
            (f_low - 1) / (f_low + k - 1),
            (f_high - 1) / (f_high + k - 1),
        ),
        IccEstimate(
            name_k,
            description_k,
            (ms_r - ms_err) / ms_r,
            f,
            n - 1,
            df,
            p,
            1 - 1 / f_low,
            1 - 1 / f_high,
        ),
    )


def _icc_agreement(
    ms: _MeanSquares, q: float, f3: float, p3: float
) -> tuple[IccEstimate, IccEstimate]:
    """ICC(2,·), absolute agreement: the F test of ICC(3,·), Satterthwaite's df for the CI."""
    n, k, ms_r, ms_c, ms_e, df_e = ms.n, ms.k, ms.ms_r, ms.ms_c, ms.ms_e, ms.df_e
    icc2 = (ms_r - ms_e) / (ms_r + (k - 1) * ms_e + k * (ms_c - ms_e) / n)
    fj = ms_c / ms_e
    vn = df_e * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    vd = (n - 1) * k**2 * icc2**2 * fj**2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    v = vn / vd
    f2_upper = float(stats.f.ppf(q, n - 1, v))
    f2_lower = float(stats.f.ppf(q, v, n - 1))
    denom_part = k * ms_c + (k * n - k - n) * ms_e
    l2 = n * (ms_r - f2_upper * ms_e) / (f2_upper * denom_part + n * ms_r)
    u2 = n * (f2_lower * ms_r - ms_e) / (denom_part + n * f2_lower * ms_r)
    return (
        IccEstimate(
            "ICC(2,1)",
            "two-way random effects, absolute agreement, single rater",
            icc2,
            f3,
            n - 1,
            df_e,
            p3,
            l2,
            u2,
        ),
        IccEstimate(
            "ICC(2,k)",
            "two-way random effects, absolute agreement, mean of k raters",
            (ms_r - ms_e) / (ms_r + (ms_c - ms_e) / n),
            f3,
            n - 1,
            df_e,
            p3,
            l2 * k / (1 + l2 * (k - 1)),
            u2 * k / (1 + u2 * (k - 1)),
        ),
    )


def icc(ratings: npt.ArrayLike, confidence: float = 0.95) -> IccResult:
    """Intraclass correlations ICC(1,1), ICC(2,1), ICC(3,1) and their k-rater averages.

    Parameters
    ----------
    ratings : 2-D array-like of float
        Rows are targets (people rated), columns are raters; at least 2 of each, no missing
        values (every rater rates every target).
    confidence : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    IccResult
        ``icc1_1``, ``icc2_1``, ``icc3_1``, ``icc1_k``, ``icc2_k``, ``icc3_k`` (each an
        :class:`IccEstimate` with ``value``, ``f``, ``df1``, ``df2``, ``pvalue``, ``ci_low``,
        ``ci_high``), ``n`` targets, ``k`` raters and the ANOVA mean squares.

    Notes
    -----
    From the two-way ANOVA without replication: :math:`MS_R` (targets, df :math:`n-1`),
    :math:`MS_C` (raters, df :math:`k-1`), :math:`MS_E` (residual, df :math:`(n-1)(k-1)`) and the
    one-way within-target :math:`MS_W` (df :math:`n(k-1)`):

    .. math::

        ICC(1,1) &= \\frac{MS_R - MS_W}{MS_R + (k-1)MS_W} \\\\
        ICC(2,1) &= \\frac{MS_R - MS_E}{MS_R + (k-1)MS_E + k(MS_C - MS_E)/n} \\\\
        ICC(3,1) &= \\frac{MS_R - MS_E}{MS_R + (k-1)MS_E} \\\\
        ICC(1,k) &= \\frac{MS_R - MS_W}{MS_R},\\;
        ICC(2,k) = \\frac{MS_R - MS_E}{MS_R + (MS_C - MS_E)/n},\\;
        ICC(3,k) = \\frac{MS_R - MS_E}{MS_R}

    F tests: :math:`F = MS_R/MS_W` for ICC(1,·) and :math:`MS_R/MS_E` for ICC(2,·), ICC(3,·).
    Intervals follow Shrout & Fleiss (1979) and McGraw & Wong (1996): exact F-based bounds for
    ICC(1,·) and ICC(3,·), and Satterthwaite's approximate df for ICC(2,·) — the same formulas as
    R ``psych::ICC`` and ``pingouin.intraclass_corr``. When the residual mean square is zero
    (the raters agree perfectly up to constants) the F tests are undefined and ``ValueError`` is
    raised.

    References
    ----------
    Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
    reliability. *Psychological Bulletin* 86(2), 420-428.
    McGraw, K. O. & Wong, S. P. (1996). Forming inferences about some intraclass correlation
    coefficients. *Psychological Methods* 1(1), 30-46.

    Examples
    --------
    >>> from kompeten.stats import icc
    >>> sf = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> round(icc(sf).icc2_1.value, 2)   # Shrout & Fleiss (1979), table 4
    0.29
    """
    conf = check_confidence(confidence)
    ms = _icc_mean_squares(as_matrix(ratings, "ratings"))
    q = (1.0 + conf) / 2.0  # upper quantile used on both sides
    icc1_1, icc1_k = _icc_exact(ms, ms.ms_w, ms.df_w, q, _ICC1_NAMES)
    icc3_1, icc3_k = _icc_exact(ms, ms.ms_e, ms.df_e, q, _ICC3_NAMES)
    icc2_1, icc2_k = _icc_agreement(ms, q, icc3_1.f, icc3_1.pvalue)
    return IccResult(
        icc1_1=icc1_1,
        icc2_1=icc2_1,
        icc3_1=icc3_1,
        icc1_k=icc1_k,
        icc2_k=icc2_k,
        icc3_k=icc3_k,
        n=ms.n,
        k=ms.k,
        ms_rows=ms.ms_r,
        ms_columns=ms.ms_c,
        ms_error=ms.ms_e,
        ms_within=ms.ms_w,
        confidence=conf,
        method=_ICC_METHOD,
        reference=_ICC_REFERENCE,
    )
