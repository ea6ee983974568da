"""The last step shared by every t-based test: statistic, two-sided p-value and interval."""

from __future__ import annotations

from scipy import stats


def t_half_width(se: float, df: float, confidence: float) -> float:
    """The half-width of the two-sided ``confidence`` t interval, ``t_{(1+c)/2, df} · se``."""
    return float(stats.t.ppf((1.0 + confidence) / 2.0, df)) * se


def t_inference(
    estimate: float, se: float, df: float, confidence: float
) -> tuple[float, float, float]:
    """The t statistic ``estimate / se``, its two-sided p-value on ``df`` degrees of freedom
    (capped at 1) and the half-width of the ``confidence`` interval (:func:`t_half_width`)."""
    t = estimate / se
    p = float(2.0 * stats.t.sf(abs(t), df))
    return t, min(p, 1.0), t_half_width(se, df, confidence)
