"""Rank tests: Wilcoxon signed-rank (paired) and Mann-Whitney U (two independent groups).

:func:`wilcoxon_signed_rank`
----------------------------
Zero differences are dropped before ranking (Wilcoxon's ``"wilcox"`` method, as R
``wilcox.test``). The remaining :math:`n'` absolute differences get average ranks;
:math:`W^+` sums the ranks of positive differences.

*Exact* p-value (the permutation distribution of :math:`W^+`) when :math:`n' \\le 50` and
there are no zeros and no tied absolute differences: ``scipy.stats.wilcoxon(d,
zero_method="wilcox", alternative="two-sided", method="exact")``.

Otherwise the *normal approximation* with tie correction and continuity correction:

.. math::

    z = \\frac{W^+ - \\frac{n'(n'+1)}{4} - \\frac12\\operatorname{sign}(\\cdot)}
             {\\sqrt{\\frac{n'(n'+1)(2n'+1)}{24} - \\frac{\\sum (t^3 - t)}{48}}}

(``method="asymptotic", correction=True``), where *t* are the sizes of tied groups.
R ``wilcox.test(after, before, paired = TRUE)`` gives the same p-values, except that R
already switches to the normal approximation at :math:`n' = 50`.
The matched-pairs rank-biserial correlation is
:math:`r = (W^+ - W^-)/(W^+ + W^-)` (Kerby 2014).

:func:`mann_whitney`
--------------------
With :math:`R_x` the sum of the (average) ranks of ``x`` in the pooled sample:

.. math::

    U_x = R_x - \\frac{n_x(n_x+1)}{2},\\qquad
    CL = \\frac{U_x}{n_x n_y},\\qquad r_{rb} = 2\\,CL - 1

so :math:`r_{rb} > 0` means ``x`` tends to be larger. *Exact* p-value when both groups have
at most 50 values and there are no ties: ``scipy.stats.mannwhitneyu(x, y,
alternative="two-sided", method="exact")``. Otherwise the normal approximation with tie
correction and continuity correction (``method="asymptotic", use_continuity=True``):

.. math::

    z = \\frac{U_x - n_xn_y/2 - \\frac12\\operatorname{sign}(\\cdot)}
    {\\sqrt{\\frac{n_xn_y}{12}\\left(n+1 - \\frac{\\sum(t^3-t)}{n(n-1)}\\right)}}

R ``wilcox.test(x, y)`` reports the same U (as ``W``) and p-values (R switches to the
approximation at 50). All values equal raises ``ValueError``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

from ._validate import as_pairs, as_vector
from .errors import StatsError

__all__ = ["MannWhitneyResult", "WilcoxonResult", "mann_whitney", "wilcoxon_signed_rank"]

EXACT_MAX_N = 50
"""Largest sample size (per group) for which the exact null distribution is used."""


@dataclass(frozen=True, slots=True)
class WilcoxonResult:
    """Wilcoxon signed-rank test of ``after - before``.

    ``statistic`` is :math:`W^+`, the sum of the ranks of the positive differences (R's ``V``);
    ``w_minus`` is the sum for the negative ones. ``z`` is ``None`` for the exact test.
    """

    statistic: float
    w_minus: float
    pvalue: float
    z: float | None
    exact: bool
    rank_biserial: float
    n: int
    n_used: int
    n_zero: int
    has_ties: bool
    method: str
    reference: str


@dataclass(frozen=True, slots=True)
class MannWhitneyResult:
    """Mann-Whitney U test; ``statistic`` is U of ``x`` (the number of pairs with x > y, ties ½)."""

    statistic: float
    pvalue: float
    z: float | None
    exact: bool
    rank_biserial: float
    common_language: float
    n_x: int
    n_y: int
    has_ties: bool
    method: str
    reference: str


def _signed_rank_z(w_plus: float, n_used: int, tie_sizes: npt.NDArray[np.intp]) -> float:
    """The normal approximation's z of W+, with tie and continuity corrections (as R)."""
    mean = n_used * (n_used + 1) / 4.0
    var = (
        n_used * (n_used + 1) * (2 * n_used + 1) / 24.0
        - float(np.sum(tie_sizes.astype(np.float64) ** 3 - tie_sizes)) / 48.0
    )
    if var <= 0:
        raise StatsError("the signed ranks have zero variance, so the test is undefined.")
    shift = w_plus - mean
    return (shift - 0.5 * math.copysign(1.0, shift) * (shift != 0)) / math.sqrt(var)


def _signed_rank_test(
    d: npt.NDArray[np.float64], exact: bool, w_plus: float, tie_sizes: npt.NDArray[np.intp]
) -> tuple[float, float | None, str]:
    """The two-sided p-value of the differences ``d`` (exact, or the normal approximation with
    its z), and the method's description."""
    nonzero = d[d != 0]
    if exact:
        res = stats.wilcoxon(nonzero, zero_method="wilcox", alternative="two-sided", method="exact")
        return (
            min(float(res.pvalue), 1.0),
            None,
            "Wilcoxon signed-rank, exact null distribution, two-sided "
            "(no zero or tied differences, n_used <= 50)",
        )
    res = stats.wilcoxon(
        d, zero_method="wilcox", correction=True, alternative="two-sided", method="asymptotic"
    )
    return (
        min(float(res.pvalue), 1.0),
        _signed_rank_z(w_plus, int(nonzero.size), tie_sizes),
        "Wilcoxon signed-rank, normal approximation with tie correction and continuity "
        "correction, two-sided",
    )


def wilcoxon_signed_rank(before: npt.ArrayLike, after: npt.ArrayLike) -> WilcoxonResult:
    """Wilcoxon signed-rank test of paired scores, two-sided, on ``after - before``.

    Parameters
    ----------
    before, after : sequence of float
        Paired scores (e.g. a supervisor's behaviour rating before and after training), same
        length, at least 2 pairs, not all differences zero.

    Returns
    -------
    WilcoxonResult
        ``statistic`` (:math:`W^+`), ``w_minus``, ``pvalue`` (two-sided), ``z`` (asymptotic test
        only), ``exact``, ``rank_biserial``, ``n`` (pairs), ``n_used`` (non-zero differences),
        ``n_zero``, ``has_ties``, ``method``.

    Notes
    -----
    Formulas and details: the module docstring, under :func:`wilcoxon_signed_rank`.

    References
    ----------
    Wilcoxon, F. (1945). Individual comparisons by ranking methods. *Biometrics Bulletin* 1(6),
    80-83.
    Hollander, M., Wolfe, D. A. & Chicken, E. (2014). *Nonparametric Statistical Methods*, 3rd
    ed., Wiley, ch. 3.
    Kerby, D. S. (2014). The simple difference formula. *Comprehensive Psychology* 3, 11.IT.3.1.

    Examples
    --------
    >>> from kompeten.stats import wilcoxon_signed_rank
    >>> r = wilcoxon_signed_rank([1, 2, 3, 4, 5], [2, 4, 6, 8, 10])
    >>> r.statistic, r.exact, r.pvalue
    (15.0, True, 0.0625)
    """
    b, a = as_pairs(before, after)
    d = a - b
    n = int(d.size)
    nonzero = d[d != 0]
    n_used = int(nonzero.size)
    n_zero = n - n_used
    if n_used == 0:
        raise StatsError("every difference is zero, so the signed-rank test is undefined.")
    ranks = stats.rankdata(np.abs(nonzero), method="average")
    w_plus = float(ranks[nonzero > 0].sum())
    w_minus = float(ranks[nonzero < 0].sum())
    _, tie_sizes = np.unique(np.abs(nonzero), return_counts=True)
    has_ties = bool(np.any(tie_sizes > 1))
    exact = n_used <= EXACT_MAX_N and not has_ties and n_zero == 0
    pvalue, z, method = _signed_rank_test(d, exact, w_plus, tie_sizes)
    return WilcoxonResult(
        statistic=w_plus,
        w_minus=w_minus,
        pvalue=pvalue,
        z=z,
        exact=exact,
        rank_biserial=(w_plus - w_minus) / (w_plus + w_minus),
        n=n,
        n_used=n_used,
        n_zero=n_zero,
        has_ties=has_ties,
        method=method + "; zero differences dropped (Wilcoxon's 'wilcox' method)",
        reference=(
            "Wilcoxon (1945); Hollander, Wolfe & Chicken (2014); scipy.stats.wilcoxon; "
            "R wilcox.test(paired = TRUE)"
        ),
    )


def _rank_sum_z(u: float, nx: int, ny: int, tie_sizes: npt.NDArray[np.intp]) -> float:
    """The normal approximation's z of U, with tie and continuity corrections (as R)."""
    n = nx + ny
    t = tie_sizes.astype(np.float64)
    var = nx * ny / 12.0 * ((n + 1) - float(np.sum(t**3 - t)) / (n * (n - 1)))
    shift = u - nx * ny / 2.0
    return (shift - 0.5 * math.copysign(1.0, shift) * (shift != 0)) / math.sqrt(var)


def mann_whitney(x: npt.ArrayLike, y: npt.ArrayLike) -> MannWhitneyResult:
    """Mann-Whitney U (Wilcoxon rank-sum) test of two independent groups, two-sided.

    Parameters
    ----------
    x, y : sequence of float
        The two groups (e.g. trained and untrained employees), each with at least 1 value.

    Returns
    -------
    MannWhitneyResult
        ``statistic`` (U of ``x``), ``pvalue``, ``z`` (asymptotic test only), ``exact``,
        ``rank_biserial``, ``common_language``, ``n_x``, ``n_y``, ``has_ties``.

    Notes
    -----
    Formulas and details: the module docstring, under :func:`mann_whitney`.

    References
    ----------
    Mann, H. B. & Whitney, D. R. (1947). On a test of whether one of two random variables is
    stochastically larger than the other. *Annals of Mathematical Statistics* 18(1), 50-60.
    Kerby, D. S. (2014). The simple difference formula. *Comprehensive Psychology* 3, 11.IT.3.1.

    Examples
    --------
    >>> from kompeten.stats import mann_whitney
    >>> r = mann_whitney([4, 5, 6], [1, 2, 3])
    >>> r.statistic, r.rank_biserial, r.pvalue
    (9.0, 1.0, 0.1)
    """
    a = as_vector(x, "x")
    b = as_vector(y, "y")
    nx, ny = int(a.size), int(b.size)
    pooled = np.concatenate([a, b])
    ranks = stats.rankdata(pooled, method="average")
    u = float(ranks[:nx].sum()) - nx * (nx + 1) / 2.0
    _, tie_sizes = np.unique(pooled, return_counts=True)
    has_ties = bool(np.any(tie_sizes > 1))
    if tie_sizes.size == 1:
        raise StatsError("every value is the same, so the Mann-Whitney test is undefined.")
    exact = not has_ties and nx <= EXACT_MAX_N and ny <= EXACT_MAX_N
    z: float | None = None
    if exact:
        res = stats.mannwhitneyu(a, b, alternative="two-sided", method="exact")
        method = "Mann-Whitney U, exact null distribution, two-sided (no ties, both n <= 50)"
    else:
        res = stats.mannwhitneyu(
            a, b, use_continuity=True, alternative="two-sided", method="asymptotic"
        )
        z = _rank_sum_z(u, nx, ny, tie_sizes)
        method = (
            "Mann-Whitney U, normal approximation with tie correction and continuity "
            "correction, two-sided"
        )
    cl = u / (nx * ny)
    return MannWhitneyResult(
        statistic=u,
        pvalue=min(float(res.pvalue), 1.0),
        z=z,
        exact=exact,
        rank_biserial=2.0 * cl - 1.0,
        common_language=cl,
        n_x=nx,
        n_y=ny,
        has_ties=has_ties,
        method=method,
        reference="Mann & Whitney (1947); Kerby (2014); scipy.stats.mannwhitneyu; R wilcox.test",
    )
