"""Learning gain from pre- and post-test scores (Kirkpatrick level 2).

:func:`normalized_gain`
-----------------------
Class gain (Hake 1998), the headline figure:

.. math:: \\langle g\\rangle = \\frac{\\overline{post} - \\overline{pre}}{max - \\overline{pre}}

Mean individual gain over participants with :math:`pre_i < max`:

.. math:: \\bar g = \\frac{1}{m}\\sum_{pre_i<max} \\frac{post_i - pre_i}{max - pre_i}

Normalized change (Marx & Cummings 2007), with pairs where :math:`pre_i = post_i = max` or
:math:`pre_i = post_i = 0` dropped:

.. math::

    c_i = \\begin{cases} \\frac{post_i-pre_i}{max-pre_i} & post_i > pre_i\\\\
    0 & post_i = pre_i\\\\ \\frac{post_i-pre_i}{pre_i} & post_i < pre_i \\end{cases}

``class_gain`` is undefined when every pre-test score is the maximum (``ValueError``). All
three are at most 1; a negative value means scores fell. Hake's bands are defined for the
class gain, which is why ``category`` uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ._validate import FloatArray, as_pairs, check_finite_number
from .errors import StatsError

__all__ = ["GainResult", "gain_category", "normalized_gain"]

GainCategory = Literal["low", "medium", "high"]


@dataclass(frozen=True, slots=True)
class GainResult:
    """Hake's normalized gain, with the individual-gain mean and Marx & Cummings' c.

    ``headline`` names the field to report first (``"class_gain"``); ``category`` is computed on
    it. ``mean_normalized_change`` is ``None`` when every pair is excluded from it.
    """

    class_gain: float
    category: GainCategory
    headline: str
    mean_individual_gain: float | None
    mean_normalized_change: float | None
    mean_pre: float
    mean_post: float
    max_score: float
    n: int
    n_excluded: int
    n_change_excluded: int
    method: str
    reference: str


def gain_category(gain: float) -> GainCategory:
    """Hake's band for a normalized gain: ``"low"`` < 0.3 ≤ ``"medium"`` < 0.7 ≤ ``"high"``.

    Parameters
    ----------
    gain : float
        A normalized gain (at most 1; negative values are ``"low"``).

    Returns
    -------
    str
        ``"low"``, ``"medium"`` or ``"high"``.

    Notes
    -----
    Bands from Hake (1998): high-g for :math:`g \\ge 0.7`, medium-g for
    :math:`0.3 \\le g < 0.7`, low-g for :math:`g < 0.3`.

    References
    ----------
    Hake, R. R. (1998). Interactive-engagement versus traditional methods. *American Journal of
    Physics* 66(1), 64-74.

    Examples
    --------
    >>> from kompeten.stats import gain_category
    >>> gain_category(0.3)
    'medium'
    """
    value = check_finite_number(gain, "gain")
    if value >= 0.7:
        return "high"
    if value >= 0.3:
        return "medium"
    return "low"


def _scores(pre: npt.ArrayLike, post: npt.ArrayLike, top: float) -> tuple[FloatArray, FloatArray]:
    """The pairs, every score within 0..``top`` (``top`` > 0), else ``ValueError``."""
    if top <= 0:
        raise ValueError(f"max_score must be greater than 0 (got {top}).")
    x, y = as_pairs(pre, post, ("pre", "post"))
    for name, arr in (("pre", x), ("post", y)):
        if np.any(arr < 0) or np.any(arr > top):
            raise ValueError(f"every {name} score must lie between 0 and max_score ({top}).")
    return x, y


def _normalized_change(x: FloatArray, y: FloatArray, top: float) -> tuple[float | None, int]:
    """Marx-Cummings mean normalized change and the number of pairs it uses (pairs equal at
    0 or at the top are left out)."""
    keep = ~((x == y) & ((x == top) | (x == 0)))
    xs, ys = x[keep], y[keep]
    change = np.zeros_like(xs)
    up = ys > xs
    down = ys < xs
    change[up] = (ys[up] - xs[up]) / (top - xs[up])
    change[down] = (ys[down] - xs[down]) / xs[down]
    return (float(np.mean(change)) if change.size else None), int(xs.size)


def normalized_gain(pre: npt.ArrayLike, post: npt.ArrayLike, max_score: float) -> GainResult:
    """Hake's class normalized gain ⟨g⟩, the mean individual gain and Marx & Cummings' c.

    Parameters
    ----------
    pre, post : sequence of float
        Paired pre- and post-test scores of the same participants, each in ``[0, max_score]``,
        at least 2 pairs.
    max_score : float
        The highest possible score (e.g. 100), greater than 0.

    Returns
    -------
    GainResult
        ``class_gain`` (the headline), ``category`` (on ``class_gain``), ``headline``,
        ``mean_individual_gain``, ``mean_normalized_change``, ``mean_pre``, ``mean_post``, ``n``,
        ``n_excluded`` (participants with ``pre == max_score``, left out of the individual gain),
        ``n_change_excluded`` (left out of c).

    Notes
    -----
    Formulas and details: the module docstring, under :func:`normalized_gain`.

    References
    ----------
    Hake, R. R. (1998). *American Journal of Physics* 66(1), 64-74.
    Marx, J. D. & Cummings, K. (2007). Normalized change. *American Journal of Physics* 75(1),
    87-91.

    Examples
    --------
    >>> from kompeten.stats import normalized_gain
    >>> r = normalized_gain([40, 60], [70, 80], max_score=100)
    >>> r.class_gain, r.category
    (0.5, 'medium')
    """
    top = check_finite_number(max_score, "max_score")
    x, y = _scores(pre, post, top)
    n = int(x.size)
    mean_pre = float(np.mean(x))
    mean_post = float(np.mean(y))
    if mean_pre >= top:
        raise StatsError(
            "every pre-test score equals max_score, so there is no room to gain and the "
            "normalized gain is undefined."
        )
    class_gain = (mean_post - mean_pre) / (top - mean_pre)

    room = x < top
    n_excluded = int(n - np.count_nonzero(room))
    individual = (y[room] - x[room]) / (top - x[room])
    mean_individual = float(np.mean(individual)) if individual.size else None

    mean_change, n_kept = _normalized_change(x, y, top)

    return GainResult(
        class_gain=class_gain,
        category=gain_category(class_gain),
        headline="class_gain",
        mean_individual_gain=mean_individual,
        mean_normalized_change=mean_change,
        mean_pre=mean_pre,
        mean_post=mean_post,
        max_score=top,
        n=n,
        n_excluded=n_excluded,
        n_change_excluded=n - n_kept,
        method=(
            "Hake class normalized gain (headline, categorised low < 0.3 <= medium < 0.7 <= "
            "high); mean individual gain over pre < max; Marx-Cummings normalized change"
        ),
        reference="Hake (1998); Marx & Cummings (2007)",
    )
