"""Impact of training on a monthly outcome of service units (IKM, complaints handled on time),
with intervals that keep their promise with few units and autocorrelated months.

The design is chosen from the data: **difference-in-differences** when some units were never
trained (each unit reduced to its after − before change, trained vs comparison by a t whose
variance gives each unit the noise of its own months), else a **before/after interrupted time
series** of the trained units (level change by Prais–Winsten GLS, with an interval that is valid
for any AR(1) coefficient in an exact confidence set). ``docs/statistics.md`` shows the
calibration over simulated Pemda-sized panels, with equally and unequally noisy units.

Methods
-------
**Difference-in-differences** (some units never trained). Each unit *i* is reduced to
:math:`d_i = \\bar y_{i,after} - \\bar y_{i,before}`. A trained unit's months are split at
its own ``treated_from`` *T*; a comparison unit's change is the average of its changes split
at each trained unit's *T* (weighted by the number of trained units with that *T*), so
staggered dates are compared window by window. Unit effects, month effects common to all
units and any serial correlation within a unit drop out or stay inside :math:`d_i`, which
are independent across units. The estimate is
:math:`\\hat\\delta = \\bar d_{trained} - \\bar d_{comparison}` (unweighted means).

*Units that differ in noise.* A unit's monthly IKM is the mean of its own respondents and a
complaint share the share of its own complaints, so :math:`Var(d_i)` differs by unit; Student's
pooled t, which learns a single trained unit's noise from the comparison units (Conley & Taber
2011), then covers 61–84 % when the trained units are the noisy ones (Ferman & Pinto 2019 on
this failure). Each unit's own noise is therefore measured from its months and enters as a
proxy :math:`w_i` with :math:`Var(d_i) = \\kappa\\,w_i`, κ common to all units:

1. residuals of each unit around its own means in the segments between the dataset's training
   dates, minus, month by month, the mean residual of its *reference* units (the other
   comparison units when there are at least two, else all other units), which takes out the
   month effects; :math:`s_i^2` = their sum of squares / its AR(1) expectation
   :math:`h_i(\\rho) = tr(M_i\\Sigma_\\rho)` per unit variance;
2. :math:`E[s_i^2] = \\sigma_i^2 + \\sum_{j \\in R_i}\\sigma_j^2 / k_i^2` (the reference mean
   leaks the references' noise), solved for :math:`\\hat\\sigma^2 = A^{-1}s^2` per dataset and
   truncated at 0 (with all units referring to all others this is Shukla's 1972 stability
   variance); :math:`w_i = \\hat\\sigma_i^2\\,c_i'\\Sigma_\\rho c_i`, *c* the unit's change
   contrast, so a common factor of the AR(1) variance cancels out of the ratios;
3. ρ is one per dataset, pooled: the mean over units of the lag-1 autocorrelation of those
   residuals matched to the mean of its expectations :math:`tr(L M\\Sigma_\\rho M)/h_i(\\rho)` on
   the grid of ρ (it only matters through the units' different month patterns and the df);
4. κ from the same sums of squares as Student's t: :math:`\\hat\\kappa_g = SS_g/tr_g`,
   :math:`tr_g = (1 - 1/n_g)\\sum_g w` for trained and comparison units (the comparison
   :math:`SS` from single-window changes, as before), combined weighted by their Satterthwaite
   df :math:`f_g = tr_g^2 / ((1 - 2/n_g)\\sum w^2 + (\\sum w)^2/n_g^2)` (between 1 and
   :math:`n_g - 1`; Σw² and (Σw)² estimated without the proxies' own noise);
   :math:`se^2 = \\hat\\kappa\\,(\\sum_T w_i/n_T^2 + \\sum_C w_j/n_C^2)`;
5. the t reference's df: :math:`f_1 + f_0` for :math:`\\hat\\kappa`, combined with the noise of
   the proxies (delta method on :math:`\\log se^2`, with
   :math:`Cov(s_i^2, s_l^2) = 2C_{il}^2/\\sqrt{\\nu_i\\nu_l}`, :math:`C = L\\,diag(\\sigma^2)L'`,
   :math:`\\nu_i = h_i^2/tr((M_i\\Sigma_\\rho)^2)` the Satterthwaite 1946 df of :math:`s_i^2`)
   on the log scale, where :math:`Var(\\log\\chi^2_k) = \\psi'(k/2)` exactly and independent
   parts add: :math:`\\psi'(df/2) = \\psi'((f_1 + f_0)/2) + \\psi'(k_w/2)`.

With equal proxies :math:`se` *is* Student's pooled standard error (the sums of squares and
:math:`n_1 + n_0 - 2` are the same); the df are then a little fewer, for the noise of the
proxies (in the calibration the equal-noise intervals are 0–25 % wider, median). When no unit's
noise can be measured (one month a side, or every proxy 0) it is Student's pooled t with
:math:`n_1 + n_0 - 2` df. Assumed: one AR(1) ρ for all units of a dataset, heterogeneity of
the true changes proportional to the noise (κ absorbs it); month patterns that differ between
units make :math:`A` approximate. With exactly one trained and one comparison unit the difference
series (trained − comparison, month by month) goes through the time-series method below with
the model :math:`y_t = \\beta_0 + \\delta D_t` (its AR(1) errors carry both units' noise).

**Interrupted time series** (no comparison unit). The trained units' values, each minus its
own mean before training, are averaged by month relative to training (event time *e*) and
fitted by :math:`y_e = \\beta_0 + \\beta_1 e + \\delta D_e + \\beta_3 e D_e + u_e`, with
:math:`D_e = 1[e \\ge 0]` (``delta`` is the level change at training). The errors are
taken as AR(1), :math:`u_e = \\rho u_{e-1} + \\varepsilon_e`. The lag-1 autocorrelation
*r* of the OLS residuals has a distribution that depends on ρ and the design only (Andrews
1993); it is simulated (seeded) on a grid of ρ, giving an exact :math:`1 - \\alpha_1`
confidence set *C* for ρ (:math:`\\alpha_1 = 0.2\\,(1 - c)`, 0.01 at 95 %). For each ρ in *C*
the Prais–Winsten GLS interval at level :math:`1 - \\alpha_2` (:math:`\\alpha_2 = 0.8\\,(1 -
c)`) is exact; their union is the reported interval and covers with probability at least
:math:`1 - \\alpha_1 - \\alpha_2 = c` (Berger & Boos 1994). The p-value is
:math:`\\min(1, \\max_{\\rho \\in C} p_\\rho + \\alpha_1)`. The point estimate is the GLS
estimate at the median-unbiased ρ (the ρ whose simulated median of *r* is nearest to the
observed *r*). The interval is conservative (wider than 95 % when ρ is small), because a
series of 12–36 months cannot tell ρ = 0 from ρ = 0.8 well.

At least 3 months before and 3 from training are needed for the time series (2 and 2 for the
one-vs-one difference series); a unit counts only with months on both sides. A dataset that
gives no estimate returns ``design="none"`` and ``problem``.

References
----------
Andrews, D. W. K. (1993). Exactly median-unbiased estimation of first order
autoregressive/unit root models. *Econometrica* 61(1), 139-165.
Berger, R. L. & Boos, D. D. (1994). P values maximized over a confidence set for the
nuisance parameter. *JASA* 89(427), 1012-1016.
Bertrand, M., Duflo, E. & Mullainathan, S. (2004). *QJE* 119(1), 249-275.
Conley, T. G. & Taber, C. R. (2011). Inference with "difference in differences" with a small
number of policy changes. *Review of Economics and Statistics* 93(1), 113-125.
Ferman, B. & Pinto, C. (2019). Inference in differences-in-differences with few treated groups
and heteroskedasticity. *Review of Economics and Statistics* 101(3), 452-467.
Prais, S. J. & Winsten, C. B. (1954). Trend estimators and serial correlation. Cowles
Commission discussion paper 383.
Satterthwaite, F. E. (1946). An approximate distribution of estimates of variance components.
*Biometrics Bulletin* 2(6), 110-114.
Shukla, G. K. (1972). Some statistical aspects of partitioning genotype-environmental
components of variability. *Heredity* 29(2), 237-245.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special, stats
from scipy.optimize import brentq

from ._validate import FloatArray, as_labels, as_vector, check_confidence

__all__ = [
    "ImpactResult",
    "MonthlySpread",
    "impact_panel",
    "impact_panels",
    "minimum_detectable_change",
    "monthly_spread",
]

DESIGN_DID = "did"
DESIGN_ITS = "its"
DESIGN_NONE = "none"

RHO_GRID: FloatArray = np.round(np.arange(-0.9, 0.9801, 0.02), 2)
"""AR(1) coefficients over which the time-series interval is computed (−0.9 … 0.98)."""
RHO_ALPHA_SHARE = 0.2
"""Share of 1 − confidence spent on the confidence set of ρ (0.01 of 0.05)."""
RHO_SIMULATIONS = 4000
RHO_SEED = 20_250_601

_REF_DID = (
    "Bertrand, Duflo & Mullainathan (2004), unit-level aggregation; Conley & Taber (2011); "
    "Ferman & Pinto (2019), heteroskedastic unit changes; Shukla (1972); Satterthwaite (1946); "
    "with equal unit noise the se of scipy.stats.ttest_ind(equal_var=True)"
)
_REF_ITS = (
    "Prais & Winsten (1954) GLS; Andrews (1993) exact distribution of the AR(1) estimate; "
    "Berger & Boos (1994) interval over a confidence set for a nuisance parameter"
)


@dataclass(frozen=True, slots=True)
class ImpactResult:
    """The training's effect on a unit outcome, with its design and interval.

    ``design`` is ``"did"`` (difference-in-differences against never-trained units), ``"its"``
    (before/after of the trained units alone) or ``"none"`` when the data cannot give an estimate
    (``problem`` says why; the numbers are then ``None``). ``se`` and ``df`` (Satterthwaite,
    not a whole number) exist for the difference-in-differences on unit changes only.
    ``n_treated`` and ``n_comparison`` count the units that entered the estimate (with months on
    both sides of the date), not every unit given. ``rho``, ``rho_low`` and ``rho_high``
    (time-series methods only) are the median-unbiased AR(1) coefficient and the confidence set
    over which the interval is taken. ``variance`` says which variance the difference-in-differences
    on unit changes used: ``"unit"`` (each unit's own) or ``"pooled"`` (Student's).
    """

    design: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    pvalue: float | None
    se: float | None
    df: float | None
    n: int
    n_treated: int
    n_comparison: int
    n_months: int
    rho: float | None
    rho_low: float | None
    rho_high: float | None
    confidence: float
    problem: str | None
    method: str
    reference: str
    # the difference-in-differences' variance: "unit" (each unit's own, from its months) or
    # "pooled" (Student's pooled t: a single month a side, or no unit noise measurable)
    variance: str = ""


def impact_panel(
    unit: Any,
    month: Any,
    value: Any,
    treated_from: Any,
    confidence: float = 0.95,
) -> ImpactResult:
    """Effect of training on a monthly unit outcome, design chosen from the data.

    Parameters
    ----------
    unit : sequence of labels
        The service unit of each observation.
    month : sequence of int
        Month number of each observation on a scale where consecutive months differ by 1
        (e.g. ``12 * year + month - 1``).
    value : sequence of float
        The outcome (e.g. a unit's IKM that month).
    treated_from : sequence of int or None
        The first month after training of the observation's unit (same scale as ``month``,
        the same for every row of a unit); ``None`` or NaN for units never trained.
    confidence : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    ImpactResult
        ``design``, ``estimate``, ``ci_low``, ``ci_high``, ``pvalue``, ``n_treated``,
        ``n_comparison``, ``method`` and the rest; see :func:`impact_panels`.

    Notes
    -----
    One dataset of :func:`impact_panels`; the module docstring documents the methods.

    References
    ----------
    Bertrand, M., Duflo, E. & Mullainathan, S. (2004). How much should we trust
    differences-in-differences estimates? *Quarterly Journal of Economics* 119(1), 249-275.

    Examples
    --------
    >>> from kompeten.stats import impact_panel
    >>> r = impact_panel([1, 1, 2, 2, 3, 3], [0, 1, 0, 1, 0, 1],
    ...                  [70, 75, 71, 72, 69, 71], [1, 1, None, None, None, None])
    >>> r.design, r.estimate   # (75 - 70) - mean(72 - 71, 71 - 69)
    ('did', 3.5)
    """
    n = len(as_vector(value, "value"))
    return impact_panels(np.zeros(n, dtype=np.intp), unit, month, value, treated_from, confidence)[
        0
    ]


def impact_panels(
    dataset: Any,
    unit: Any,
    month: Any,
    value: Any,
    treated_from: Any,
    confidence: float = 0.95,
) -> tuple[ImpactResult, ...]:
    """Effect of training for many monthly unit panels at once (vectorised over datasets).

    Parameters
    ----------
    dataset : sequence of int
        Each observation's dataset code, 0 … D − 1, every code present; result ``i`` is code i's.
    unit, month, value, treated_from, confidence
        As in :func:`impact_panel`; units are labels within their dataset.

    Returns
    -------
    tuple of ImpactResult
        One per dataset code, in code order.

    Notes
    -----
    The designs (DiD on unit changes, or the AR(1) interrupted time series), their formulas and
    limits: the module docstring. A dataset with no estimate has ``design="none"``, ``problem``.

    References
    ----------
    Ferman & Pinto (2019); Conley & Taber (2011); Andrews (1993): entries in the module docstring.

    Examples
    --------
    >>> from kompeten.stats import impact_panels
    >>> rs = impact_panels([0, 0, 0, 0, 0, 0, 1, 1],      # dataset 1 has no comparison unit
    ...                    [1, 1, 2, 2, 3, 3, 1, 1], [0, 1, 0, 1, 0, 1, 0, 1],
    ...                    [70, 75, 71, 72, 69, 71, 80, 82], [1, 1, None, None, None, None, 1, 1])
    >>> [(r.design, r.estimate) for r in rs]
    [('did', 3.5), ('none', None)]
    >>> rs[1].problem
    'too few months before or after training'
    """
    conf = check_confidence(confidence)
    p = _panel(dataset, unit, month, value, treated_from)
    n_ds, uid, ds, u_ds, u_treated = p.n_ds, p.uid, p.ds, p.u_ds, p.u_treated

    # trained units: after − before around their own date
    t_rows = u_treated[uid]
    post = np.zeros(p.y.size, dtype=bool)
    post[t_rows] = p.mon[t_rows] >= p.tf[t_rows]
    d_treated = _change(uid[t_rows], post[t_rows], p.y[t_rows], p.n_units)
    ok_t = np.isfinite(d_treated) & u_treated
    coh = _cohorts(p, ok_t)
    d_comp, ss_comp = _comparison_changes(p, coh)
    ok_c = np.isfinite(d_comp)

    n1 = np.bincount(u_ds[ok_t], minlength=n_ds)
    n0 = np.bincount(u_ds[ok_c], minlength=n_ds)
    n_tr = np.bincount(u_ds[u_treated], minlength=n_ds)
    n_obs = np.bincount(ds, minlength=n_ds)
    n_mon = _distinct_per_dataset(ds, p.mon, n_ds)

    results: list[ImpactResult | None] = [None] * n_ds
    pooled = (n1 >= 1) & (n0 >= 1) & (n1 + n0 >= 3)
    noise = _unit_noise(p, coh, ok_t | ok_c)
    _pooled_t(results, pooled, u_ds, ok_t, ok_c, d_treated, d_comp, ss_comp, n1, n0, conf, n_obs,
              n_mon, noise)  # fmt: skip

    series = _difference_series(p, np.flatnonzero((n1 == 1) & (n0 == 1)), ok_t, ok_c)
    its_sets = np.flatnonzero((n1 >= 1) & (n0 == 0))
    if its_sets.size:
        series.extend(_event_series(its_sets, uid, ds, p.mon, p.y, post, p.u_tf, ok_t))
    # the counts reported are the units that entered the estimate (n1, n0), not those given
    _time_series(results, series, conf, n_obs, n_mon, n1, n0, n1)

    return tuple(
        r if r is not None else _no_estimate(k, conf, n_obs, n_mon, n_tr, n1, n0)
        for k, r in enumerate(results)
    )


# --- the steps of impact_panels ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Panel:
    """The observations sorted by unit, then month, with one id (``uid``) per (dataset, unit);
    the ``u_`` arrays hold each unit's dataset, training month (NaN: never) and trained flag."""

    n_ds: int
    n_units: int
    uid: Any
    ds: Any
    mon: Any
    y: FloatArray
    tf: FloatArray
    u_ds: Any
    u_tf: FloatArray
    u_treated: Any


def _panel(dataset: Any, unit: Any, month: Any, value: Any, treated_from: Any) -> _Panel:
    """The checked inputs of :func:`impact_panels`, sorted and keyed by unit."""
    y = as_vector(value, "value")
    size = int(y.size)
    ds = _as_codes(dataset, "dataset", size)
    n_ds = int(ds.max()) + 1
    if np.unique(ds).size != n_ds:
        raise ValueError("dataset codes must be 0 … D − 1 with every code present.")
    uloc = as_labels(unit, "unit", size)
    mon = _as_codes(month, "month", size, allow_negative=True)
    tf = _as_treated_from(treated_from, size)

    # one id per (dataset, unit); rows sorted by unit, then month
    pair = ds.astype(np.int64) * (int(uloc.max()) + 1) + uloc
    _, uid = np.unique(pair, return_inverse=True)
    uid = uid.ravel()
    order = np.lexsort((mon, uid))
    uid, ds, mon, y, tf = uid[order], ds[order], mon[order], y[order], tf[order]
    if np.any((np.diff(uid) == 0) & (np.diff(mon) == 0)):
        raise ValueError("a unit has two values for the same month.")
    first = np.r_[0, np.flatnonzero(np.diff(uid)) + 1]
    u_tf = tf[first]
    same_tf = (tf == u_tf[uid]) | (np.isnan(tf) & np.isnan(u_tf[uid]))
    if not np.all(same_tf):
        raise ValueError("treated_from must be the same on every row of a unit.")
    return _Panel(
        n_ds=n_ds, n_units=int(uid.max()) + 1, uid=uid, ds=ds, mon=mon, y=y, tf=tf,
        u_ds=ds[first], u_tf=u_tf, u_treated=~np.isnan(u_tf),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Cohorts:
    """(dataset, date) of the trained units with a change, ``weight`` = how many share it;
    ``start[d]`` and ``count[d]`` locate dataset ``d``'s cohorts (sorted by dataset)."""

    ds: Any
    tf: Any
    weight: Any
    start: Any
    count: Any


def _cohorts(p: _Panel, ok_t: Any) -> _Cohorts:
    coh_key = np.stack([p.u_ds[ok_t], p.u_tf[ok_t].astype(np.int64)], axis=1)
    cohorts, coh_w = (
        np.unique(coh_key, axis=0, return_counts=True)
        if coh_key.size
        else (np.zeros((0, 2), np.int64), np.zeros(0, np.int64))
    )
    c_ds = cohorts[:, 0]
    c_start = np.searchsorted(c_ds, np.arange(p.n_ds), "left")
    c_count = np.searchsorted(c_ds, np.arange(p.n_ds), "right") - c_start
    return _Cohorts(ds=c_ds, tf=cohorts[:, 1], weight=coh_w, start=c_start, count=c_count)


def _comparison_changes(p: _Panel, c: _Cohorts) -> tuple[FloatArray, Any]:
    """Each comparison unit's change at each cohort's date, averaged over the cohorts (NaN
    unless complete), and per dataset the pooled sum of squares of the single-window changes."""
    uid, n_units, u_ds = p.uid, p.n_units, p.u_ds
    n_coh = max(len(c.ds), 1)
    c_rows = np.flatnonzero(~p.u_treated[uid])
    rep = c.count[p.ds[c_rows]]
    rows = np.repeat(c_rows, rep)
    offset = np.arange(rows.size) - np.repeat(np.cumsum(rep) - rep, rep)
    coh = np.repeat(c.start[p.ds[c_rows]], rep) + offset
    key = uid[rows].astype(np.int64) * n_coh + coh
    keys, kid = np.unique(key, return_inverse=True)
    d_uc = _change(kid.ravel(), p.mon[rows] >= c.tf[coh], p.y[rows], keys.size)
    k_uid = keys // n_coh
    k_coh = keys % n_coh
    valid = np.isfinite(d_uc)
    w = np.where(valid, c.weight[k_coh] if len(c.ds) else 0, 0).astype(np.float64)
    n_valid = np.bincount(k_uid, weights=valid.astype(float), minlength=n_units)
    wsum = np.bincount(k_uid, weights=w, minlength=n_units)
    dsum = np.bincount(k_uid, weights=np.where(valid, d_uc, 0.0) * w, minlength=n_units)
    complete = (n_valid == c.count[u_ds]) & (c.count[u_ds] > 0) & ~p.u_treated
    d_comp = np.full(n_units, np.nan)
    d_comp[complete] = dsum[complete] / wsum[complete]

    # spread of the comparison units' single-window changes, per cohort window, weighted like the
    # cohorts: each window's changes vary like a trained unit's change at that date
    use = valid & np.isfinite(d_comp)[k_uid]
    cnt_t = np.bincount(k_coh[use], minlength=n_coh)
    m_t = np.bincount(k_coh[use], weights=d_uc[use], minlength=n_coh) / np.maximum(cnt_t, 1)
    ss_t = np.bincount(k_coh[use], weights=(d_uc[use] - m_t[k_coh[use]]) ** 2, minlength=n_coh)
    share = c.weight / np.maximum(np.bincount(c.ds, weights=c.weight, minlength=p.n_ds)[c.ds], 1)
    ss_comp = np.bincount(c.ds, weights=share * ss_t[: len(c.ds)], minlength=p.n_ds)
    return d_comp, ss_comp


def _no_estimate(
    k: int, conf: float, n_obs: Any, n_mon: Any, n_tr: Any, n1: Any, n0: Any
) -> ImpactResult:
    """The result of dataset ``k`` when neither design gave an estimate, saying why."""
    if n_tr[k] == 0:
        problem = "no trained unit"
    elif n1[k] == 0:
        problem = "no trained unit has months both before and from its training"
    else:
        problem = "too few months before or after training"
    return _empty(problem, conf, int(n_obs[k]), int(n1[k]), int(n0[k]), int(n_mon[k]))


def _difference_series(
    p: _Panel, sets: Any, ok_t: Any, ok_c: Any
) -> list[tuple[int, npt.NDArray[np.int64], FloatArray, bool]]:
    """Per dataset with one trained and one comparison unit: the monthly difference (trained −
    comparison) over their common months, by month relative to training."""
    series: list[tuple[int, npt.NDArray[np.int64], FloatArray, bool]] = []
    for dd in sets:
        d = int(dd)
        tu = int(np.flatnonzero(ok_t & (p.u_ds == d))[0])
        cu = int(np.flatnonzero(ok_c & (p.u_ds == d))[0])
        tm, ty = p.mon[p.uid == tu], p.y[p.uid == tu]
        cm, cy = p.mon[p.uid == cu], p.y[p.uid == cu]
        common, it, ic = np.intersect1d(tm, cm, return_indices=True)
        series.append((d, common - int(p.u_tf[tu]), ty[it] - cy[ic], False))
    return series


# --- each unit's own noise (for the heteroskedastic difference-in-differences) -----------


@dataclass(frozen=True, slots=True)
class _Noise:
    """Per unit: ``w`` the noise proxy (the variance of its change up to a common factor, see
    the module docstring), ``s2`` its residual variance after the month effects are taken out,
    per unit AR(1) variance, ``es2`` the expectation of ``s2`` fitted by the noise model,
    ``nu`` the effective degrees of freedom of ``s2``, ``v`` the AR(1) variance of its change
    per unit variance; per dataset ``rho`` the pooled AR(1) coefficient; ``groups`` the
    datasets by number of used units *n*: (datasets, their units as rows of *n* unit ids, the
    inverse of the matrix *A* with E[s2] = A σ², the covariance matrix of ``s2``)."""

    w: FloatArray
    s2: FloatArray
    es2: FloatArray
    nu: FloatArray
    v: FloatArray
    rho: FloatArray
    groups: list[tuple[Any, Any, FloatArray, FloatArray]]


_MOMENT_CACHE: dict[bytes, FloatArray] = {}


def _pattern_moments(t: npt.NDArray[np.int64], seg: npt.NDArray[np.int64], c: FloatArray
                     ) -> FloatArray:  # fmt: skip
    """For one unit's months ``t``, segments ``seg`` and change contrast ``c`` (d = c'y), over
    :data:`RHO_GRID` with unit-variance AR(1) errors Σ = ρ^|tᵢ − tⱼ|: rows h = tr(MΣ) (the
    expected residual sum of squares around the segment means, M the residual maker), h2 =
    tr((MΣ)²), lag = E[Σ e_t e_{t+1}] = tr(L MΣM) over consecutive months of a segment, and
    v = c'Σc (the variance of the change)."""
    key = t.tobytes() + b"|" + seg.tobytes() + b"|" + np.round(c, 12).tobytes()
    got = _MOMENT_CACHE.get(key)
    if got is not None:
        return got
    k = t.size
    same = seg[:, None] == seg[None, :]
    size = same.sum(axis=1)
    m = np.eye(k) - same / size[:, None]
    lag_pairs = same & ((t[None, :] - t[:, None]) == 1)
    ell = 0.5 * (lag_pairs | lag_pairs.T)
    dist = np.abs(t[:, None] - t[None, :]).astype(np.float64)
    sig = np.power(RHO_GRID[:, None, None], dist[None])  # 0 ** 0 = 1
    ms = m[None] @ sig
    msm = ms @ m.T[None]
    out = np.stack([
        np.trace(ms, axis1=1, axis2=2),
        np.einsum("gij,gji->g", ms, ms),
        np.einsum("ij,gij->g", ell, msm),
        np.einsum("i,gij,j->g", c, sig, c),
    ])  # fmt: skip
    if len(_MOMENT_CACHE) >= 20_000:  # bounded: each entry is 4 × 95 floats
        _MOMENT_CACHE.clear()
    _MOMENT_CACHE[key] = out
    return out


def _row_contrasts(p: _Panel, c: _Cohorts, used: Any) -> tuple[FloatArray, Any]:
    """Per row of a used unit: its weight in the unit's change d = Σ c_t y_t (a trained unit
    around its own date, a comparison unit averaged over the cohorts' dates as in
    :func:`_comparison_changes`), and its segment (how many of the dataset's cohort dates
    are ≤ its month)."""
    uid, n_units = p.uid, p.n_units
    contrast = np.zeros(p.y.size)
    t_rows = np.flatnonzero(p.u_treated[uid] & used[uid])
    post = p.mon[t_rows] >= p.tf[t_rows]
    n_post = np.bincount(uid[t_rows], weights=post.astype(float), minlength=n_units)
    n_pre = np.bincount(uid[t_rows], weights=(~post).astype(float), minlength=n_units)
    u = uid[t_rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        contrast[t_rows] = np.where(post, 1.0 / n_post[u], -1.0 / n_pre[u])
    c_rows = np.flatnonzero(~p.u_treated[uid] & used[uid])
    rep = c.count[p.ds[c_rows]]
    rows = np.repeat(c_rows, rep)
    offset = np.arange(rows.size) - np.repeat(np.cumsum(rep) - rep, rep)
    coh = np.repeat(c.start[p.ds[c_rows]], rep) + offset
    if rows.size:
        n_coh = len(c.ds)
        after = p.mon[rows] >= c.tf[coh]
        key = uid[rows].astype(np.int64) * n_coh + coh
        keys, kid = np.unique(key, return_inverse=True)
        kid = kid.ravel()
        k_post = np.bincount(kid, weights=after.astype(float), minlength=keys.size)
        k_pre = np.bincount(kid, weights=(~after).astype(float), minlength=keys.size)
        total = np.bincount(c.ds, weights=c.weight, minlength=p.n_ds)
        share = c.weight[coh] / total[c.ds[coh]]
        with np.errstate(divide="ignore", invalid="ignore"):
            part = share * np.where(after, 1.0 / k_post[kid], -1.0 / k_pre[kid])
        contrast += np.bincount(rows, weights=part, minlength=p.y.size)
    # segments: cohort dates of the dataset at or before the month
    lo = int(min(p.mon.min(), c.tf.min() if len(c.tf) else 0))
    span = int(max(p.mon.max(), c.tf.max() if len(c.tf) else 0)) - lo + 2
    coh_key = c.ds.astype(np.int64) * span + (c.tf - lo)
    row_key = p.ds.astype(np.int64) * span + (p.mon - lo)
    seg = np.searchsorted(coh_key, row_key, "right") - c.start[p.ds]
    return contrast, seg


def _unit_noise(p: _Panel, c: _Cohorts, used: Any) -> _Noise:
    """Each used unit's own noise σᵢ² (module docstring, "units that differ in noise")."""
    n_ds, u_ds = p.n_ds, p.u_ds
    comp = ~p.u_treated & used
    # the reference units: the other comparison units when there are at least two, else all
    ref_comp = np.bincount(u_ds[comp], minlength=n_ds)[u_ds] - comp >= 2
    contrast, seg = _row_contrasts(p, c, used)
    rows = np.flatnonzero(used[p.uid])
    ss, lag = _residual_sums(p, rows, seg, comp, ref_comp)
    h, h2, el, vv = _design_moments(p, rows, seg, contrast)
    g_hat = _pooled_rho(p, used, ss, lag, h, el)
    idx = np.arange(p.n_units)
    gu = g_hat[u_ds]
    h_u, h2_u, v_u = h[idx, gu], h2[idx, gu], vv[idx, gu]
    with np.errstate(divide="ignore", invalid="ignore"):
        s2 = np.where(used & (h_u > 0), ss / h_u, np.nan)
        nu = np.where(used & (h2_u > 0), h_u * h_u / h2_u, np.nan)
    sigma2, es2, groups = _solve_noise(p, used, comp, ref_comp, s2, nu)
    return _Noise(w=sigma2 * v_u, s2=s2, es2=es2, nu=nu, v=v_u, rho=RHO_GRID[g_hat],
                  groups=groups)  # fmt: skip


def _residual_sums(p: _Panel, rows: Any, seg: Any, comp: Any, ref_comp: Any) -> tuple[Any, Any]:
    """Per unit: the sum of squares of its residuals around its segment means minus, month by
    month, the mean residual of its reference units, and the sum of products of consecutive
    months' residuals within a segment."""
    ur, sr, mr, yr, dr = p.uid[rows], seg[rows], p.mon[rows], p.y[rows], p.ds[rows]
    n_seg = int(sr.max()) + 1 if sr.size else 1
    _, usid = np.unique(ur.astype(np.int64) * n_seg + sr, return_inverse=True)
    usid = usid.ravel()
    resid = yr - (np.bincount(usid, weights=yr) / np.bincount(usid))[usid]
    _, cell = np.unique(np.stack([dr, mr], axis=1), axis=0, return_inverse=True)
    cell = cell.ravel()
    is_c = comp[ur]
    sum_c = np.bincount(cell, weights=np.where(is_c, resid, 0.0))[cell]
    cnt_c = np.bincount(cell, weights=is_c.astype(float))[cell]
    sum_a = np.bincount(cell, weights=resid)[cell]
    cnt_a = np.bincount(cell)[cell].astype(float)
    rc = ref_comp[ur]
    num = np.where(rc, sum_c - np.where(is_c, resid, 0.0), sum_a - resid)
    den = np.where(rc, cnt_c - is_c, cnt_a - 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        e = resid - np.where(den > 0, num / den, 0.0)
    ss = np.bincount(ur, weights=e * e, minlength=p.n_units)
    nxt = (np.diff(ur) == 0) & (np.diff(sr) == 0) & (np.diff(mr) == 1)
    lag = np.bincount(ur[:-1][nxt], weights=(e[:-1] * e[1:])[nxt], minlength=p.n_units)
    return ss, lag


def _design_moments(p: _Panel, rows: Any, seg: Any, contrast: FloatArray) -> FloatArray:
    """:func:`_pattern_moments` of every used unit: array 4 × units × grid (NaN: unused)."""
    ur, sr, mr = p.uid[rows], seg[rows], p.mon[rows]
    mom = np.full((4, p.n_units, RHO_GRID.size), np.nan)
    bounds = np.r_[0, np.flatnonzero(np.diff(ur)) + 1, ur.size] if ur.size else np.zeros(1, int)
    for i in range(bounds.size - 1):
        a, b = bounds[i], bounds[i + 1]
        mom[:, int(ur[a])] = _pattern_moments(mr[a:b] - mr[a], sr[a:b] - sr[a], contrast[rows[a:b]])
    return mom


def _pooled_rho(
    p: _Panel, used: Any, ss: FloatArray, lag: FloatArray, h: FloatArray, el: FloatArray
) -> Any:
    """Per dataset, the index in :data:`RHO_GRID` where the mean over its units of the lag-1
    autocorrelation of the residuals meets the mean of its expectations (0 without data)."""
    n_ds, u_ds = p.n_ds, p.u_ds
    use = used & (ss > 0)
    r_unit = np.where(use, lag / np.where(ss > 0, ss, 1.0), 0.0)
    count = np.bincount(u_ds[use], minlength=n_ds)
    n_use = np.maximum(count, 1)
    r_bar = np.bincount(u_ds[use], weights=r_unit[use], minlength=n_ds) / n_use
    with np.errstate(divide="ignore", invalid="ignore"):
        f_unit = np.where(h > 0, el / h, 0.0)
    f_bar = np.stack(
        [np.bincount(u_ds[use], weights=f_unit[use, g], minlength=n_ds) for g in range(RHO_GRID.size)],
        axis=1,
    ) / n_use[:, None]  # fmt: skip
    g_hat = np.argmin(np.abs(f_bar - r_bar[:, None]), axis=1)
    g_hat[count == 0] = int(np.argmin(np.abs(RHO_GRID)))
    return g_hat


def _solve_noise(
    p: _Panel, used: Any, comp: Any, ref_comp: Any, s2: FloatArray, nu: FloatArray
) -> tuple[FloatArray, FloatArray, list[tuple[Any, Any, FloatArray, FloatArray]]]:
    """E[s2_i] = σ_i² + Σ_{j ∈ R_i} σ_j² / k_i² (R_i the reference units, k_i of them), solved
    for σ² dataset by dataset (Shukla 1972 when every unit refers to all others) and truncated
    at 0; returns σ², the fitted E[s2] and the groups of :class:`_Noise`."""
    u_ds = p.u_ds
    n_all = np.bincount(u_ds[used], minlength=p.n_ds)
    sigma2 = np.where(used, 0.0, np.nan)
    es2 = np.where(used, 0.0, np.nan)
    groups: list[tuple[Any, Any, FloatArray, FloatArray]] = []
    used_ids = np.flatnonzero(used)
    order = used_ids[np.argsort(u_ds[used_ids], kind="stable")]
    for n in np.unique(n_all[n_all >= 3]):  # rows of A: 1 + 1/k ≤ 3/2 with k ≥ 2, invertible
        sets = np.flatnonzero(n_all == n)
        members = order[np.isin(u_ds[order], sets)].reshape(sets.size, int(n))
        eye = np.eye(int(n), dtype=bool)
        inref = np.where(ref_comp[members][:, :, None], comp[members][:, None, :], True)
        inref &= ~eye[None]
        k = inref.sum(axis=2).astype(np.float64)
        a_mat = eye[None] + inref / np.maximum(k, 1.0)[:, :, None] ** 2
        s2m = s2[members]
        ok = np.all(np.isfinite(s2m), axis=1)
        a_inv = np.linalg.inv(a_mat)
        sig = np.einsum("dij,dj->di", a_inv, np.nan_to_num(s2m))
        tiny = 1e-10 * np.max(np.abs(np.nan_to_num(s2m)), axis=1, keepdims=True)
        sig = np.where(sig > tiny, sig, 0.0)  # rounding noise around 0 is 0
        sigma2[members[ok]] = sig[ok]
        es2[members[ok]] = np.einsum("dij,dj->di", a_mat, sig)[ok]
        # Cov(s2_i, s2_l) = 2 C_il² / √(ν_i ν_l), C = L diag(σ²) L', L = I − the reference means
        # (quadratic forms in Gaussian vectors; exact when the units share one design)
        ell = eye[None] - inref / np.maximum(k, 1.0)[:, :, None]
        c_mat = np.einsum("dij,dj,dlj->dil", ell, sig, ell)
        nu_m = nu[members]
        cov = 2.0 * c_mat**2 / np.sqrt(nu_m[:, :, None] * nu_m[:, None, :])
        groups.append((sets[ok], members[ok], a_inv[ok], np.nan_to_num(cov[ok])))
    return sigma2, es2, groups


# --- helpers -----------------------------------------------------------------------------


def _as_codes(values: Any, name: str, size: int, *, allow_negative: bool = False) -> Any:
    arr = as_vector(values, name)
    if arr.size != size:
        raise ValueError(f"{name} must have the same length as value (got {arr.size} and {size}).")
    if not np.all(arr == np.floor(arr)):
        raise ValueError(f"{name} must contain whole numbers.")
    if not allow_negative and np.any(arr < 0):
        raise ValueError(f"{name} cannot be negative.")
    return arr.astype(np.int64)


def _as_treated_from(values: Any, size: int) -> FloatArray:
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        arr = values.astype(np.float64)
    else:
        try:
            arr = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError("treated_from must contain month numbers or None.") from exc
    if arr.ndim != 1 or arr.size != size:
        raise ValueError("treated_from must have one value per observation.")
    fin = np.isfinite(arr)
    if np.any(np.isinf(arr)) or not np.all(arr[fin] == np.floor(arr[fin])):
        raise ValueError("treated_from must contain whole month numbers or None.")
    return arr


def _change(key: Any, post: Any, y: FloatArray, n_keys: int) -> FloatArray:
    """mean(after) − mean(before) per key; NaN where a side is empty."""
    idx = key.astype(np.int64) * 2 + post.astype(np.int64)
    s = np.bincount(idx, weights=y, minlength=2 * n_keys).reshape(n_keys, 2)
    c = np.bincount(idx, minlength=2 * n_keys).reshape(n_keys, 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = s / c
    out: FloatArray = np.where((c[:, 0] > 0) & (c[:, 1] > 0), m[:, 1] - m[:, 0], np.nan)
    return out


def _distinct_per_dataset(ds: Any, mon: Any, n_ds: int) -> Any:
    pairs = np.unique(np.stack([ds, mon], axis=1), axis=0)
    return np.bincount(pairs[:, 0], minlength=n_ds)


def _empty(problem: str, conf: float, n: int, nt: int, nc: int, nm: int) -> ImpactResult:
    return ImpactResult(
        design=DESIGN_NONE, estimate=None, ci_low=None, ci_high=None, pvalue=None, se=None,
        df=None, n=n, n_treated=nt, n_comparison=nc, n_months=nm, rho=None, rho_low=None,
        rho_high=None, confidence=conf, problem=problem, method="no estimate", reference="",
    )  # fmt: skip


def _log_scale_df(*dfs: Any) -> FloatArray:
    """The df *k* of one scaled χ²_k/k whose log has the variance of the sum of the logs of
    independent χ²_kᵢ/kᵢ: ψ'(k/2) = Σ ψ'(kᵢ/2) (ψ' the trigamma function; infinite kᵢ add 0).
    Solved by Newton's method on 1/ψ'(h), which is nearly linear in h."""
    total = np.zeros(np.broadcast(*dfs).shape)
    for k in dfs:
        kk = np.asarray(k, dtype=np.float64)
        total = total + np.where(np.isfinite(kk) & (kk > 0), special.polygamma(1, kk / 2.0), 0.0)
    pos = total > 0
    tv = np.where(pos, total, 1.0)
    h = 0.5 + 1.0 / tv
    for _ in range(60):
        f = 1.0 / special.polygamma(1, h) - 1.0 / tv
        slope = -special.polygamma(2, h) / special.polygamma(1, h) ** 2
        h = np.maximum(h - f / slope, h / 10.0)
    out: FloatArray = np.where(pos, 2.0 * h, np.inf)
    return out


def _did_variance(
    u_ds: Any,
    ok_t: Any,
    ok_c: Any,
    n1: Any,
    n0: Any,
    ss1: Any,
    ss0: Any,
    noise: _Noise,
    n_ds: int,
) -> tuple[FloatArray, FloatArray, Any]:
    """Per dataset: the variance of the difference of mean changes and its degrees of freedom
    (module docstring, "units that differ in noise"), and whether the noise proxies gave it
    (else the caller falls back to Student's pooled t)."""
    used = ok_t | ok_c
    ng = np.where(ok_t, n1[u_ds], n0[u_ds]).astype(np.float64)
    w = np.where(used, noise.w, 0.0)
    a = np.where(used, 1.0 - 1.0 / np.maximum(ng, 1.0), 0.0)
    b = np.where(used, 1.0 / np.maximum(ng, 1.0) ** 2, 0.0)
    bsum = np.bincount(u_ds, weights=b * w, minlength=n_ds)
    # the covariance of the proxies w = v σ², σ² = A⁻¹ s2, summed within each group: its
    # diagonal (for Σw²) and all of it (for (Σw)²), to take their noise out of the df below
    noise_sq = np.zeros((2, n_ds))
    noise_all = np.zeros((2, n_ds))
    with np.errstate(invalid="ignore", over="ignore"):
        for sets, members, a_inv, cov in noise.groups:
            vm = np.nan_to_num(noise.v[members])
            cov_w = vm[:, :, None] * (a_inv @ cov @ np.swapaxes(a_inv, 1, 2)) * vm[:, None, :]
            for j, grp in enumerate((ok_t, ok_c)):
                gm = grp[members].astype(np.float64)
                noise_sq[j, sets] = np.einsum("di,dii->d", gm, cov_w)
                noise_all[j, sets] = np.einsum("di,dil,dl->d", gm, cov_w, gm)
    part: list[tuple[FloatArray, FloatArray, FloatArray]] = []
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for j, (grp, n_g, ss_g) in enumerate(((ok_t, n1, ss1), (ok_c, n0, ss0))):
            # E[ss_g] = κ tr_g, tr_g = (1 − 1/n)Σw; Satterthwaite df (Σλ)²/Σλ² of the quadratic
            # form with Var(d_i) = κ w_i: tr_g² / ((1 − 2/n)Σw² + (Σw)²/n²), between 1 and
            # n − 1 (all w equal); Σw² and (Σw)² estimated without the proxies' own noise
            nn = np.maximum(n_g, 1).astype(np.float64)
            sw = np.bincount(u_ds[grp], weights=w[grp], minlength=n_ds)
            sw2 = np.bincount(u_ds[grp], weights=w[grp] ** 2, minlength=n_ds)
            tr = (1.0 - 1.0 / nn) * sw
            sq_c = np.maximum(sw2 - noise_sq[j], sw2 / nn)
            all_c = np.maximum(sw**2 - noise_all[j], sq_c)
            tr2 = (1.0 - 2.0 / nn) * sq_c + all_c / nn**2
            df_g = np.where((tr > 0) & (tr2 > 0), (1.0 - 1.0 / nn) ** 2 * all_c / tr2, 0.0)
            df_g = np.where(nn >= 2, np.clip(df_g, 1.0, nn - 1.0), 0.0)
            part.append((np.where(tr > 0, ss_g / tr, 0.0), df_g, tr))
        (k_t, df_t, tr_t), (k_c, df_c, tr_c) = part
        df_ss = df_t + df_c
        # κ by the two groups' estimates weighted by their df (with equal w: Student's s_p²/w)
        kappa = (df_t * k_t + df_c * k_c) / df_ss
        var = kappa * bsum
        # the noise of the proxies by the delta method: d log var = Σ g_i dw_i with
        # g_i = b_i/Σbw − π_g a_i/tr_g (π_g = df_g κ_g / Σ df κ), w = v σ², σ² = A⁻¹ s2 and
        # Var(s2_k) = 2 E[s2_k]² / ν_k
        pi_t = df_t * k_t / (df_ss * kappa)
        pi_c = df_c * k_c / (df_ss * kappa)
        share = np.where(ok_t, (pi_t / tr_t)[u_ds], (pi_c / tr_c)[u_ds])
        g = np.where(used, b / bsum[u_ds] - np.nan_to_num(share) * a, 0.0)
        x = np.nan_to_num(g * noise.v)
        rel = np.zeros(n_ds)
        for sets, members, a_inv, cov in noise.groups:
            y = np.einsum("dji,dj->di", a_inv, x[members])
            rel[sets] = np.einsum("di,dil,dl->d", y, cov, y)
        # the two parts add on the log scale, where Var(log χ²_k) = ψ'(k/2) exactly; each is
        # matched to a χ² by its Satterthwaite df (2 / relative variance for the proxies)
        df = _log_scale_df(df_ss, 2.0 / np.maximum(rel, 1e-300))
    ok = (bsum > 0) & (df_ss > 0) & np.isfinite(var) & (var > 0) & np.isfinite(rel) & (df > 0)
    return var, df, ok


def _pooled_t(
    results: list[ImpactResult | None],
    pooled: Any,
    u_ds: Any,
    ok_t: Any,
    ok_c: Any,
    d_treated: FloatArray,
    d_comp: FloatArray,
    ss0: Any,
    n1: Any,
    n0: Any,
    conf: float,
    n_obs: Any,
    n_mon: Any,
    noise: _Noise,
) -> None:
    n_ds = len(results)
    m1 = np.bincount(u_ds[ok_t], weights=d_treated[ok_t], minlength=n_ds) / np.maximum(n1, 1)
    m0 = np.bincount(u_ds[ok_c], weights=d_comp[ok_c], minlength=n_ds) / np.maximum(n0, 1)
    ss1 = np.bincount(u_ds[ok_t], weights=(d_treated - m1[u_ds])[ok_t] ** 2, minlength=n_ds)
    est = m1 - m0
    # Student's pooled t: the fallback when the units' own noise cannot be measured
    df_p = np.maximum(n1 + n0 - 2, 1).astype(np.float64)
    var_p = (ss1 + ss0) / df_p * (1.0 / np.maximum(n1, 1) + 1.0 / np.maximum(n0, 1))
    var_h, df_h, hetero = _did_variance(u_ds, ok_t, ok_c, n1, n0, ss1, ss0, noise, n_ds)
    se = np.sqrt(np.where(hetero, var_h, var_p))
    df = np.where(hetero, df_h, df_p)
    scale = np.maximum(np.abs(m1), np.abs(m0)) + 1.0
    q = stats.t.ppf((1.0 + conf) / 2.0, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.minimum(2.0 * stats.t.sf(np.abs(est / se), df), 1.0)
    for d in np.flatnonzero(pooled):
        nt, nc, nm = int(n1[d]), int(n0[d]), int(n_mon[d])
        if not se[d] > 1e-12 * scale[d]:
            results[d] = _empty(
                "the units' changes do not vary, so no interval", conf, int(n_obs[d]), nt, nc, nm
            )
            continue
        how = (
            f"each unit's change with its own variance, from its month-to-month noise "
            f"(month effects out, AR(1) ρ pooled {float(noise.rho[d]):.2f}), t with "
            f"{float(df[d]):.1f} Satterthwaite df"
            if hetero[d]
            else f"Student's pooled t with {float(df[d]):g} df"
        )
        results[d] = ImpactResult(
            design=DESIGN_DID,
            estimate=float(est[d]),
            ci_low=float(est[d] - q[d] * se[d]),
            ci_high=float(est[d] + q[d] * se[d]),
            pvalue=float(p[d]),
            se=float(se[d]),
            df=float(df[d]),
            n=int(n_obs[d]),
            n_treated=nt,
            n_comparison=nc,
            n_months=nm,
            rho=None,
            rho_low=None,
            rho_high=None,
            confidence=conf,
            problem=None,
            method=(
                f"difference-in-differences on unit changes (mean after − mean before): "
                f"{nt} trained vs {nc} comparison units, {how}"
            ),
            reference=_REF_DID,
            variance="unit" if hetero[d] else "pooled",
        )


def _event_series(
    sets: Any, uid: Any, ds: Any, mon: Any, y: FloatArray, post: Any, u_tf: FloatArray, ok_t: Any
) -> list[tuple[int, npt.NDArray[np.int64], FloatArray, bool]]:
    """Per dataset: the trained units' values minus each unit's own mean before training,
    averaged by month relative to training (event time, 0 = the first month after)."""
    keep = ok_t[uid] & np.isin(ds, sets)
    uk, dk, yk, pk = uid[keep], ds[keep], y[keep], post[keep]
    n_units = int(uid.max()) + 1
    pre_sum = np.bincount(uk, weights=np.where(pk, 0.0, yk), minlength=n_units)
    pre_n = np.bincount(uk, weights=(~pk).astype(np.float64), minlength=n_units)
    centred = yk - pre_sum[uk] / np.maximum(pre_n[uk], 1.0)
    event = mon[keep] - u_tf[uk].astype(np.int64)
    cells, cid = np.unique(np.stack([dk, event], axis=1), axis=0, return_inverse=True)
    cid = cid.ravel()
    mean = np.bincount(cid, weights=centred) / np.bincount(cid)
    bounds = np.r_[0, np.flatnonzero(np.diff(cells[:, 0])) + 1, len(cells)]
    return [
        (
            int(cells[bounds[i], 0]),
            cells[bounds[i] : bounds[i + 1], 1],
            mean[bounds[i] : bounds[i + 1]],
            True,
        )
        for i in range(bounds.size - 1)
    ]


def _time_series(
    results: list[ImpactResult | None],
    series: list[tuple[int, npt.NDArray[np.int64], FloatArray, bool]],
    conf: float,
    n_obs: Any,
    n_mon: Any,
    n_tr: Any,
    n_co: Any,
    n_used: Any,
) -> None:
    groups: dict[tuple[bool, tuple[int, ...]], list[tuple[int, FloatArray]]] = {}
    for d, times, values, trend in series:
        groups.setdefault((trend, tuple(int(t) for t in times)), []).append((d, values))
    alpha = 1.0 - conf
    a1 = RHO_ALPHA_SHARE * alpha
    a2 = alpha - a1
    for (trend, times_t), members in groups.items():
        times = np.array(times_t, dtype=np.int64)
        n_pre = int(np.sum(times < 0))
        n_post = int(np.sum(times >= 0))
        need = 3 if trend else 2
        if n_pre < need or n_post < need:
            continue  # left as None: "too few months"
        x = _design(times, trend)
        j = 2 if trend else 1
        yy = np.stack([v for _d, v in members])
        res = ar1_union_intervals(yy, times, x, j, a1, a2)
        for i, (d, _v) in enumerate(members):
            nt, nc = int(n_tr[d]), int(n_co[d])
            if res["perfect"][i]:
                results[d] = _empty(
                    "the series fits perfectly, so no interval", conf, int(n_obs[d]), nt, nc,
                    int(n_mon[d]),
                )  # fmt: skip
                continue
            est, lo, hi, p = (float(res[k][i]) for k in ("estimate", "low", "high", "p"))
            if lo <= 0.0 <= hi:
                p = max(p, alpha)  # the verdict follows the interval
            what = (
                f"interrupted time series of {int(n_used[d])} trained unit(s), no comparison unit "
                f"with months before and after: level "
                f"change at training in y ~ e + D + e·D over {len(times)} months "
                f"({n_pre} before, {n_post} from training), values minus each unit's mean before"
                if trend
                else "difference-in-differences, one trained and one comparison unit: the "
                f"monthly difference (trained − comparison) ~ D over {len(times)} months"
            )
            results[d] = ImpactResult(
                design=DESIGN_ITS if trend else DESIGN_DID,
                estimate=est,
                ci_low=lo,
                ci_high=hi,
                pvalue=min(p, 1.0),
                se=None,
                df=None,
                n=int(n_obs[d]),
                n_treated=nt,
                n_comparison=nc,
                n_months=int(n_mon[d]),
                rho=float(res["rho"][i]),
                rho_low=float(res["rho_low"][i]),
                rho_high=float(res["rho_high"][i]),
                confidence=conf,
                problem=None,
                method=(
                    f"{what}; AR(1) errors: Prais–Winsten GLS at the median-unbiased ρ, interval "
                    f"= union of GLS t intervals at level 1 − {a2:g} over the exact "
                    f"{1 - a1:g} confidence set of ρ (simulated, seeded)"
                ),
                reference=_REF_ITS,
            )


def _design(times: npt.NDArray[np.int64], trend: bool) -> FloatArray:
    e = times.astype(np.float64)
    after = (times >= 0).astype(np.float64)
    if trend:
        return np.column_stack([np.ones(e.size), e, after, e * after])
    return np.column_stack([np.ones(e.size), after])


def _ar1_corr(times: npt.NDArray[np.int64], rho: float) -> FloatArray:
    lag = np.abs(times[:, None] - times[None, :]).astype(np.float64)
    out: FloatArray = np.power(rho, lag) if rho != 0.0 else (lag == 0).astype(np.float64)
    return out


def _lag1(times: npt.NDArray[np.int64], resid: FloatArray) -> FloatArray:
    """Lag-1 autocorrelation of residual rows over pairs of months one apart."""
    a = np.flatnonzero(np.diff(times) == 1)
    den = np.sum(resid**2, axis=-1)
    if a.size == 0:
        return np.full(resid.shape[:-1], np.nan)
    num = np.sum(resid[..., a] * resid[..., a + 1], axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = num / den
    return out


_QUANTILE_CACHE: dict[tuple[tuple[int, ...], bool, float], tuple[FloatArray, ...]] = {}


def rho_quantiles(
    times: npt.NDArray[np.int64], x: FloatArray, a1: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Simulated a1/2, 0.5 and 1 − a1/2 quantiles of the residual lag-1 autocorrelation for
    each ρ of :data:`RHO_GRID`, under Gaussian AR(1) errors (seeded; cached per design)."""
    key = (tuple(int(t) for t in times), x.shape[1] == 4, a1)
    if key in _QUANTILE_CACHE:
        lo, med, hi = _QUANTILE_CACHE[key]
        return lo, med, hi
    rng = np.random.default_rng(RHO_SEED)
    span = int(times[-1] - times[0]) + 1
    pos = times - times[0]
    m = np.eye(times.size) - x @ np.linalg.pinv(x)
    lo = np.empty(RHO_GRID.size)
    med = np.empty(RHO_GRID.size)
    hi = np.empty(RHO_GRID.size)
    z = rng.standard_normal((RHO_SIMULATIONS, span))
    for g, rho in enumerate(RHO_GRID):
        u = np.empty_like(z)
        u[:, 0] = z[:, 0]
        c = math.sqrt(1.0 - rho * rho)
        for t in range(1, span):
            u[:, t] = rho * u[:, t - 1] + c * z[:, t]
        r = _lag1(times, u[:, pos] @ m.T)
        lo[g], med[g], hi[g] = np.quantile(r, [a1 / 2.0, 0.5, 1.0 - a1 / 2.0])
    _QUANTILE_CACHE[key] = (lo, med, hi)
    return lo, med, hi


def gls_grid(
    y: FloatArray, times: npt.NDArray[np.int64], x: FloatArray, j: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """GLS estimate and standard error of coefficient ``j`` for every row of ``y`` at every ρ
    of :data:`RHO_GRID` (arrays grid × rows), and the residual sum of squares at ρ = 0."""
    n, k = x.shape
    est = np.empty((RHO_GRID.size, y.shape[0]))
    se = np.empty_like(est)
    ssr0 = np.zeros(y.shape[0])
    for g, rho in enumerate(RHO_GRID):
        w = np.linalg.inv(np.linalg.cholesky(_ar1_corr(times, float(rho))))
        xt = w @ x
        yt = y @ w.T
        xtx_inv = np.linalg.inv(xt.T @ xt)
        b = yt @ xt @ xtx_inv
        resid = yt - b @ xt.T
        ssr = np.sum(resid**2, axis=1)
        if rho == 0.0:
            ssr0 = ssr
        est[g] = b[:, j]
        se[g] = np.sqrt(ssr / (n - k) * xtx_inv[j, j])
    return est, se, ssr0


def ar1_union_intervals(
    y: FloatArray, times: npt.NDArray[np.int64], x: FloatArray, j: int, a1: float, a2: float
) -> dict[str, Any]:
    """The time-series method for the rows of ``y`` sharing one design (see impact_panels)."""
    n, k = x.shape
    df = n - k
    lo_q, med_q, hi_q = rho_quantiles(times, x, a1)
    resid = y - y @ (x @ np.linalg.pinv(x)).T
    r = _lag1(times, resid)
    est, se, ssr0 = gls_grid(y, times, x, j)
    tss = np.sum((y - y.mean(axis=1, keepdims=True)) ** 2, axis=1)
    perfect = ssr0 <= 1e-20 * np.maximum(tss, 1e-300)
    unknown = ~np.isfinite(r)
    inset = (r[None, :] >= lo_q[:, None]) & (r[None, :] <= hi_q[:, None])
    inset[:, unknown] = True
    cols = np.arange(y.shape[0])
    gap = np.maximum(lo_q[:, None] - r[None, :], r[None, :] - hi_q[:, None])
    empty = ~inset.any(axis=0)
    inset[np.argmin(np.where(np.isfinite(gap), gap, np.inf), axis=0)[empty], cols[empty]] = True
    mu = np.argmin(np.abs(med_q[:, None] - r[None, :]), axis=0)
    mu[unknown] = int(np.argmin(np.abs(RHO_GRID)))
    q = float(stats.t.ppf(1.0 - a2 / 2.0, df))
    safe_se = np.where(se > 0, se, np.nan)
    low = np.where(inset, est - q * se, np.inf).min(axis=0)
    high = np.where(inset, est + q * se, -np.inf).max(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_rho = 2.0 * stats.t.sf(np.abs(est / safe_se), df)
    p = np.where(inset, np.nan_to_num(p_rho, nan=1.0), 0.0).max(axis=0) + a1
    rho_in = np.where(inset, RHO_GRID[:, None], np.nan)
    return {
        "estimate": est[mu, cols],
        "low": low,
        "high": high,
        "p": np.minimum(p, 1.0),
        "rho": RHO_GRID[mu],
        "rho_low": np.nanmin(rho_in, axis=0),
        "rho_high": np.nanmax(rho_in, axis=0),
        "perfect": perfect,
    }


# --- power before a training -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthlySpread:
    """Spread of units' monthly values around each unit's own mean: the pooled variance
    ``sigma2`` (``df`` = Σ(months − 1)), the pooled lag-1 autocorrelation ``rho`` over pairs of
    consecutive months (``None`` without such pairs), and the counts behind them."""

    sigma2: float
    df: int
    rho: float | None
    n_units: int
    n_values: int


def monthly_spread(unit: Any, month: Any, value: Any) -> MonthlySpread | None:
    """The historical spread of units' monthly values (see :class:`MonthlySpread`); ``None``
    when no unit has two months."""
    y = as_vector(value, "value")
    uid = as_labels(unit, "unit", int(y.size))
    mon = _as_codes(month, "month", int(y.size), allow_negative=True)
    if y.size == 0:
        return None
    order = np.lexsort((mon, uid))
    uid, mon, y = uid[order], mon[order], y[order]
    n_u = int(uid.max()) + 1
    cnt = np.bincount(uid, minlength=n_u)
    mean = np.bincount(uid, weights=y, minlength=n_u) / np.maximum(cnt, 1)
    dev = y - mean[uid]
    df = int(np.sum(np.maximum(cnt - 1, 0)))
    if df <= 0:
        return None
    ss = float(np.sum(dev**2))
    pair = (np.diff(uid) == 0) & (np.diff(mon) == 1)
    rho = None
    if pair.any() and ss > 0:
        rho = float(np.sum(dev[:-1][pair] * dev[1:][pair]) / ss)
    return MonthlySpread(ss / df, df, rho, int(np.sum(cnt > 0)), int(y.size))


def _mean_variance_factor(months: int, rho: float) -> float:
    """Var(mean of ``months`` AR(1) values) × months / σ²: 1 + 2 Σ_k (1 − k/m) ρ^k."""
    k = np.arange(1, months)
    return float(1.0 + 2.0 * np.sum((1.0 - k / months) * rho**k))


def _t_power(delta: float, se: float, df: int, alpha: float) -> float:
    """Two-sided power of a t test with ``df`` degrees of freedom (noncentral t).

    The lower tail P(T < −c | nc) is taken as P(T > c | −nc), its mirror image: with one degree
    of freedom scipy's ``nct.cdf`` far in the lower tail returns NaN (``nct.cdf(-12.706, 1,
    12)``), which stopped the root search of :func:`minimum_detectable_change` for two trained
    units without comparison units, while ``nct.sf`` stays finite there."""
    crit = float(stats.t.ppf(1.0 - alpha / 2.0, df))
    nc = delta / se
    return float(stats.nct.sf(crit, df, nc) + stats.nct.sf(crit, df, -nc))


def minimum_detectable_change(
    spread: MonthlySpread,
    n_treated: int,
    n_comparison: int,
    months_before: int,
    months_after: int,
    alpha: float = 0.05,
    power: float = 0.8,
) -> tuple[float, float, int] | None:
    """The smallest true change in a unit outcome that the impact estimator's unit-change
    design detects with probability ``power`` at two-sided level ``alpha``.

    Each unit's change (mean of ``months_after`` months − mean of ``months_before``) has
    variance :math:`V = \\sigma^2 [f(m_b)/m_b + f(m_a)/m_a]`, where σ² is the historical
    within-unit monthly variance and :math:`f(m) = 1 + 2\\sum_{k<m}(1 - k/m)\\rho^k` inflates a
    mean of *m* AR(1) months (ρ the historical lag-1 autocorrelation, taken as 0 when negative
    or unknown; the covariance of the two means is left out, which for ρ > 0 errs towards a
    larger figure). With comparison units the test is Student's two-sample t on the changes
    (``df`` = n₁ + n₀ − 2, standard error :math:`\\sqrt{V(1/n_1 + 1/n_0)}`); without them the
    one-sample t of the trained units' changes (``df`` = n₁ − 1, :math:`\\sqrt{V/n_1}`). The
    change δ solves power(δ) = ``power`` exactly under the noncentral t (as
    ``statsmodels.stats.power.TTestIndPower`` / ``TTestPower`` do, times √V).

    Returns ``(change, sd_of_a_unit_change, df)``, or ``None`` when the design has no degree of
    freedom (fewer than 3 units with comparison units, fewer than 2 without).

    References
    ----------
    Bloom, H. S. (1995). Minimum detectable effects: a simple way to report the statistical power
    of experimental designs. *Evaluation Review* 19(5), 547-556.
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed., ch. 2.
    """
    if months_before < 1 or months_after < 1 or n_treated < 1:
        return None
    rho = max(spread.rho or 0.0, 0.0)
    rho = min(rho, 0.99)
    v = spread.sigma2 * (
        _mean_variance_factor(months_before, rho) / months_before
        + _mean_variance_factor(months_after, rho) / months_after
    )
    if n_comparison >= 1:
        df = n_treated + n_comparison - 2
        se = math.sqrt(v * (1.0 / n_treated + 1.0 / n_comparison))
    else:
        df = n_treated - 1
        se = math.sqrt(v / n_treated)
    if df < 1 or not se > 0:
        return None
    hi = se
    while _t_power(hi, se, df, alpha) < power:
        hi *= 2.0
    delta = float(brentq(lambda d: _t_power(d, se, df, alpha) - power, 0.0, hi, xtol=1e-12))
    return delta, math.sqrt(v), df
