"""Difference-in-differences: the effect of training on an outcome, against untrained units.

:func:`did`
-----------
**2×2** (only ``y``, ``treated``, ``post``):
:math:`y = \\beta_0 + \\beta_1 T + \\beta_2 P + \\delta\\, T P + \\varepsilon` by OLS with
classical standard errors and :math:`t_{n-4}` inference. The estimate equals the difference
of differences of cell means,
:math:`\\delta = (\\bar y_{T,post} - \\bar y_{T,pre}) - (\\bar y_{C,post} - \\bar y_{C,pre})`.

**Two-way fixed effects** (``unit`` and ``period`` given):
:math:`y_{it} = \\alpha_i + \\gamma_t + \\delta\\, D_{it} + \\varepsilon_{it}` with
:math:`D = T \\times P`, unit and period dummies (first level dropped) and an intercept.

**Cluster-robust errors** (CR1) with *G* clusters:

.. math::

    V = c\\,(X'X)^{-1}\\Big(\\sum_g X_g'\\hat u_g \\hat u_g' X_g\\Big)(X'X)^{-1},\\qquad
    c = \\frac{G}{G-1}\\cdot\\frac{N-1}{N-K}

where *K* counts the regressors **except unit dummies that are nested within clusters**
(as Stata ``xtreg, fe vce(cluster)`` and R ``fixest``'s default ``fixef.K = "nested"``):
counting them, as ``statsmodels`` ``use_correction=True`` or Stata ``regress`` with dummies
do, inflates the SE in short panels. The raw sandwich comes from statsmodels
(``OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": g, "use_correction": False})``);
inference uses :math:`t_{G-1}`. With few clusters (say fewer than 30) the SE is still
optimistic; consider a wild cluster bootstrap. With staggered treatment dates and effects that
change over time the two-way fixed-effects estimate can be biased (Goodman-Bacon 2021).

``ValueError`` when a treated/post cell is empty, when treated × post is collinear with
the fixed effects (e.g. treated × post constant within every unit), when
there are no residual degrees of freedom, or fewer than 2 clusters.

References

Angrist, J. D. & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*, ch. 5.
Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
*Journal of Human Resources* 50(2), 317-372.
Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment timing.
*Journal of Econometrics* 225(2), 254-277.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._inference import t_inference
from ._validate import FloatArray, Labels, as_binary, as_labels, as_vector, check_confidence
from .errors import StatsError

__all__ = ["DidResult", "did"]


@dataclass(frozen=True, slots=True)
class DidResult:
    """Difference-in-differences estimate of the treated × post effect.

    ``n_clusters`` and ``small_sample_factor`` are ``None`` with classical standard errors.
    The four cell means are the raw outcome means (descriptive, also in the fixed-effects model).
    """

    estimate: float
    se: float
    statistic: float
    pvalue: float
    ci_low: float
    ci_high: float
    df: int
    n: int
    n_clusters: int | None
    small_sample_factor: float | None
    mean_control_pre: float
    mean_control_post: float
    mean_treated_pre: float
    mean_treated_post: float
    confidence: float
    method: str
    reference: str


def _dummies(codes: npt.NDArray[np.intp]) -> FloatArray:
    """Indicator columns for every level but the first."""
    levels = int(codes.max()) + 1
    return np.eye(levels, dtype=np.float64)[codes][:, 1:]


def _nested(inner: npt.NDArray[np.intp], outer: npt.NDArray[np.intp]) -> bool:
    """True when every level of ``inner`` falls inside a single level of ``outer``."""
    pairs = np.unique(np.stack([inner, outer], axis=1), axis=0)
    return bool(pairs.shape[0] == np.unique(inner).size)


def _cell_means(yv: FloatArray, t: FloatArray, p: FloatArray) -> dict[tuple[int, int], float]:
    """Mean outcome of each (treated, post) cell; ``ValueError`` when a cell is empty."""
    cells: dict[tuple[int, int], float] = {}
    for ti in (0, 1):
        for pi in (0, 1):
            mask = (t == ti) & (p == pi)
            if not np.any(mask):
                group = "treated" if ti else "control"
                when = "post" if pi else "pre"
                raise ValueError(f"there are no {group} observations in the {when} period.")
            cells[(ti, pi)] = float(np.mean(yv[mask]))
    return cells


def _design(
    t: FloatArray, p: FloatArray, unit: Labels | None, period: Labels | None
) -> tuple[FloatArray, npt.NDArray[np.intp] | None, str]:
    """The regressors (treated × post last), the unit codes of the fixed-effects model, and
    the model's description; ``ValueError`` when the effect is not identified."""
    n = int(t.size)
    d = t * p
    unit_codes: npt.NDArray[np.intp] | None = None
    if unit is None:
        x = np.column_stack([np.ones(n), t, p, d])
        model = "2x2 OLS y ~ treated + post + treated:post"
    else:
        unit_codes = as_labels(unit, "unit", n)
        period_codes = as_labels(period, "period", n)
        x = np.column_stack([np.ones(n), _dummies(unit_codes), _dummies(period_codes), d])
        model = "two-way fixed effects OLS y ~ unit + period + treated:post"
    k = int(x.shape[1])
    if np.linalg.matrix_rank(x) < k:
        raise StatsError(
            "treated × post cannot be separated from the other terms (the design is collinear), "
            "so the difference-in-differences effect is not identified."
        )
    if n - k < 1:
        raise ValueError(f"too few observations ({n}) for {k} coefficients: no residual df.")
    return x, unit_codes, model


@dataclass(frozen=True, slots=True)
class _DidFit:
    estimate: float
    se: float
    df: int
    n_clusters: int | None
    factor: float | None
    errors: str


def _fit(
    yv: FloatArray,
    x: FloatArray,
    unit_codes: npt.NDArray[np.intp] | None,
    cluster_codes: npt.NDArray[np.intp] | None,
) -> _DidFit:
    """OLS with classical errors, or CR1 cluster-robust errors whose K leaves out the unit
    dummies nested in clusters; ``ValueError`` when the standard error is zero."""
    from statsmodels.regression.linear_model import OLS  # heavy: imported on first use

    n, k = int(x.shape[0]), int(x.shape[1])
    if cluster_codes is None:
        fit = OLS(yv, x).fit()
        result = _DidFit(
            estimate=float(fit.params[-1]),
            se=float(fit.bse[-1]),
            df=n - k,
            n_clusters=None,
            factor=None,
            errors="classical (homoskedastic) standard errors, t with n - 4 df",
        )
    else:
        n_clusters = int(np.unique(cluster_codes).size)
        if n_clusters < 2:
            raise ValueError("cluster-robust errors need at least 2 clusters.")
        n_nested = 0
        if unit_codes is not None and _nested(unit_codes, cluster_codes):
            n_nested = int(unit_codes.max())  # the unit dummies (first level dropped)
        k_eff = k - n_nested
        if n - k_eff < 1:
            raise ValueError("too few observations for the number of coefficients.")
        fit = OLS(yv, x).fit(
            cov_type="cluster",
            cov_kwds={"groups": cluster_codes, "use_correction": False, "df_correction": True},
            use_t=True,
        )
        factor = n_clusters / (n_clusters - 1) * (n - 1) / (n - k_eff)
        result = _DidFit(
            estimate=float(fit.params[-1]),
            se=math.sqrt(factor) * float(fit.bse[-1]),
            df=n_clusters - 1,
            n_clusters=n_clusters,
            factor=factor,
            errors=(
                "cluster-robust CR1 standard errors, factor G/(G-1)*(N-1)/(N-K) with K not "
                "counting unit dummies nested in clusters, t with G - 1 df"
            ),
        )
    if not result.se > 0 or float(fit.ssr) <= 1e-20 * max(float(fit.centered_tss), 1e-300):
        raise StatsError("the standard error is zero (the model fits perfectly): no inference.")
    return result


def did(
    y: npt.ArrayLike,
    treated: npt.ArrayLike,
    post: npt.ArrayLike,
    unit: Labels | None = None,
    period: Labels | None = None,
    cluster: Labels | None = None,
    confidence: float = 0.95,
) -> DidResult:
    """Difference-in-differences by OLS: 2×2 with classical errors, or two-way fixed effects.

    Parameters
    ----------
    y : sequence of float
        Outcome, one value per observation (e.g. a unit's service index in one period).
    treated : sequence of 0/1
        1 for observations of the treated group (units whose staff were trained).
    post : sequence of 0/1
        1 for observations after the training.
    unit, period : sequence of labels, optional
        Give both to fit two-way fixed effects (unit and period dummies). Labels may be any
        sortable values (ids, strings, dates).
    cluster : sequence of labels, optional
        Cluster for the robust standard error. Defaults to ``unit`` in the fixed-effects model.
        In the 2×2 model, giving it switches from classical to cluster-robust errors.
    confidence : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    DidResult
        ``estimate`` (the coefficient of treated × post), ``se``, ``statistic`` (t), ``pvalue``
        (two-sided), ``ci_low``, ``ci_high``, ``df``, ``n``, ``n_clusters``,
        ``small_sample_factor``, the four raw cell means, ``method``.

    Notes
    -----
    Formulas and details: the module docstring, under :func:`did`.

    References
    ----------
    Angrist & Pischke (2009); Cameron & Miller (2015); Goodman-Bacon (2021): full entries in the
    module docstring.

    Examples
    --------
    >>> from kompeten.stats import did
    >>> r = did([1, 2, 3, 4, 1.5, 2.5, 5, 7], [0, 0, 1, 1, 0, 0, 1, 1], [0, 0, 0, 0, 1, 1, 1, 1])
    >>> round(r.estimate, 12)   # (6.0 - 3.5) - (2.0 - 1.5)
    2.0
    """
    conf = check_confidence(confidence)
    yv, t, p = _inputs(y, treated, post, unit, period)
    cells = _cell_means(yv, t, p)
    x, unit_codes, model = _design(t, p, unit, period)
    cluster_codes = unit_codes if cluster is None else as_labels(cluster, "cluster", int(yv.size))
    fit = _fit(yv, x, unit_codes, cluster_codes)
    return _result(fit, cells, int(yv.size), conf, model)


def _inputs(
    y: npt.ArrayLike,
    treated: npt.ArrayLike,
    post: npt.ArrayLike,
    unit: Labels | None,
    period: Labels | None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``y``, ``treated`` and ``post`` checked to one length; unit and period given together."""
    yv = as_vector(y, "y")
    n = int(yv.size)
    t = as_binary(treated, "treated")
    p = as_binary(post, "post")
    for name, arr in (("treated", t), ("post", p)):
        if arr.size != n:
            raise ValueError(f"{name} must have the same length as y (got {arr.size} and {n}).")
    if (unit is None) != (period is None):
        raise ValueError("give both unit and period for the fixed-effects model, or neither.")
    return yv, t, p


def _result(
    fit: _DidFit, cells: dict[tuple[int, int], float], n: int, conf: float, model: str
) -> DidResult:
    """The t test and interval of the fitted effect, with the cell means beside it."""
    estimate, se, df = fit.estimate, fit.se, fit.df
    stat, pvalue, half = t_inference(estimate, se, df, conf)
    return DidResult(
        estimate=estimate,
        se=se,
        statistic=stat,
        pvalue=pvalue,
        ci_low=estimate - half,
        ci_high=estimate + half,
        df=df,
        n=n,
        n_clusters=fit.n_clusters,
        small_sample_factor=fit.factor,
        mean_control_pre=cells[(0, 0)],
        mean_control_post=cells[(0, 1)],
        mean_treated_pre=cells[(1, 0)],
        mean_treated_post=cells[(1, 1)],
        confidence=conf,
        method=f"{model}; {fit.errors}",
        reference=(
            "Angrist & Pischke (2009); Cameron & Miller (2015); statsmodels OLS; "
            "CR1 as Stata xtreg, fe vce(cluster)"
        ),
    )
