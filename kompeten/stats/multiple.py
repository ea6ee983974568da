"""Multiple-testing adjustment of p-values (many items, many OPDs, many indicators)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ._validate import as_vector

__all__ = ["AdjustedPValues", "adjust_pvalues"]

AdjustMethod = Literal["holm", "bh", "bonferroni", "by"]

_REFERENCES: dict[str, str] = {
    "holm": "Holm (1979); statsmodels multipletests(method='holm'); R p.adjust(method='holm')",
    "bh": (
        "Benjamini & Hochberg (1995); statsmodels multipletests(method='fdr_bh'); "
        "R p.adjust(method='BH')"
    ),
    "bonferroni": (
        "Bonferroni; statsmodels multipletests(method='bonferroni'); "
        "R p.adjust(method='bonferroni')"
    ),
    "by": (
        "Benjamini & Yekutieli (2001); statsmodels multipletests(method='fdr_by'); "
        "R p.adjust(method='BY')"
    ),
}
_METHODS: dict[str, str] = {
    "holm": "Holm step-down, family-wise error rate",
    "bh": "Benjamini-Hochberg step-up, false discovery rate",
    "bonferroni": "Bonferroni, family-wise error rate",
    "by": "Benjamini-Yekutieli step-up, false discovery rate under any dependence",
}


@dataclass(frozen=True, slots=True)
class AdjustedPValues:
    """Adjusted p-values in the order the raw ones were given."""

    adjusted: tuple[float, ...]
    pvalues: tuple[float, ...]
    n: int
    method: str
    reference: str


def adjust_pvalues(pvalues: npt.ArrayLike, method: AdjustMethod = "holm") -> AdjustedPValues:
    """Adjust p-values for multiple testing (Holm, Benjamini-Hochberg, Bonferroni, BY).

    Parameters
    ----------
    pvalues : sequence of float
        Raw p-values, each in ``[0, 1]``, at least one.
    method : {"holm", "bh", "bonferroni", "by"}, default "holm"
        ``"holm"`` controls the family-wise error rate; ``"bh"`` the false discovery rate.

    Returns
    -------
    AdjustedPValues
        ``adjusted`` (same order as the input), ``pvalues`` (the input), ``n``, ``method``.

    Notes
    -----
    With sorted :math:`p_{(1)} \\le \\dots \\le p_{(m)}`:

    .. math::

        \\text{Holm: } \\tilde p_{(i)} &= \\max_{j \\le i} \\min\\{1, (m-j+1)\\,p_{(j)}\\} \\\\
        \\text{BH: } \\tilde p_{(i)} &= \\min_{j \\ge i} \\min\\{1, \\tfrac{m}{j}\\,p_{(j)}\\} \\\\
        \\text{Bonferroni: } \\tilde p_i &= \\min\\{1, m\\,p_i\\} \\\\
        \\text{BY: } \\tilde p_{(i)} &= \\min_{j \\ge i} \\min\\{1,
        \\tfrac{m\\,c_m}{j}\\,p_{(j)}\\},\\ c_m = \\textstyle\\sum_{l=1}^m 1/l

    Identical to R ``p.adjust`` and ``statsmodels.stats.multitest.multipletests``.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics* 6(2), 65-70.
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. *JRSS B* 57(1),
    289-300.
    Benjamini, Y. & Yekutieli, D. (2001). The control of the false discovery rate in multiple
    testing under dependency. *Annals of Statistics* 29(4), 1165-1188.

    Examples
    --------
    >>> from kompeten.stats import adjust_pvalues
    >>> adjust_pvalues([0.01, 0.04, 0.03], method="holm").adjusted
    (0.03, 0.06, 0.06)
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(sorted(_METHODS))} (got {method!r}).")
    p = as_vector(pvalues, "pvalues")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("every p-value must lie between 0 and 1.")
    m = int(p.size)
    order = np.argsort(p, kind="mergesort")
    sorted_p = p[order]
    rank = np.arange(1, m + 1, dtype=np.float64)
    if method == "bonferroni":
        adjusted_sorted = np.minimum(1.0, m * sorted_p)
    elif method == "holm":
        adjusted_sorted = np.minimum(1.0, np.maximum.accumulate((m - rank + 1) * sorted_p))
    else:
        factor = float(np.sum(1.0 / rank)) if method == "by" else 1.0
        scaled = m * factor / rank * sorted_p
        adjusted_sorted = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    adjusted = np.empty(m, dtype=np.float64)
    adjusted[order] = adjusted_sorted
    return AdjustedPValues(
        adjusted=tuple(float(v) for v in adjusted),
        pvalues=tuple(float(v) for v in p),
        n=m,
        method=_METHODS[method],
        reference=_REFERENCES[method],
    )
