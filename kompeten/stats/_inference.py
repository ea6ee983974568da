"""The last step shared by every t-based test and interval: statistic, p-value and bounds."""

from __future__ import annotations

from scipy import stats


def t_interval(estimate: float, se: float, df: float, confidence: float) -> tuple[float, float]:
    """The two-sided ``confidence`` interval ``estimate ± t_{(1+c)/2, df} · se``."""
    half = float(stats.t.ppf((1.0 + confidence) / 2.0, df)) * se
    return estimate - half, estimate + half


def t_inference(
    estimate: float, se: float, df: float, confidence: float
) -> tuple[float, float, float, float]:
    """The t statistic ``estimate / se``, its two-sided p-value on ``df`` degrees of freedom
    (capped at 1) and the bounds of the ``confidence`` interval (:func:`t_interval`)."""
    t = estimate / se
    p = float(2.0 * stats.t.sf(abs(t), df))
    low, high = t_interval(estimate, se, df, confidence)
    return t, min(p, 1.0), low, high
