"""The one exception a caller of :mod:`kompeten.stats` handles."""

from __future__ import annotations

__all__ = ["StatsError"]


class StatsError(ValueError):
    """The input is valid but the statistic is undefined on it: every difference is zero or
    the same, the values have no variance, there is no event. A caller can say so in words.

    Invalid input (wrong lengths, NaN, a score out of range) raises a plain ``ValueError``: that
    is a bug to fix, not a figure to leave out. ``StatsError`` is a ``ValueError``, so code that
    catches ``ValueError`` keeps working.
    """
