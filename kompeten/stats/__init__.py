"""Kompeten's statistics: pure functions returning typed, frozen results.

Every function validates its input (``ValueError`` with a plain message; a
:class:`~kompeten.stats.errors.StatsError`, also a ``ValueError``, when valid data leave the
statistic undefined, such as every difference zero), never rounds, and
returns a frozen dataclass that names its ``method`` and the ``reference`` it follows. See
``docs/statistics.md`` for the formulas and the choices pinned here. This package never imports
Django or any other part of Kompeten.
"""

from .descriptive import (
    Description,
    ProportionInterval,
    describe_counts,
    describe_sums,
    mean_ci,
    proportion_ci,
)
from .did import DidResult, did
from .effect import PairedEffectSize, hedges_correction, paired_effect_size
from .gain import GainResult, gain_category, normalized_gain
from .impact import ImpactResult, impact_panel, impact_panels
from .its import ItsResult, default_maxlags, interrupted_time_series
from .multiple import AdjustedPValues, adjust_pvalues
from .nonparametric import MannWhitneyResult, WilcoxonResult, mann_whitney, wilcoxon_signed_rank
from .paired import PairedTTestResult, paired_ttest
from .reliability import (
    CronbachAlphaResult,
    IccEstimate,
    IccResult,
    cronbach_alpha,
    cronbach_alpha_from_sums,
    icc,
)
from .survival import KaplanMeierResult, LogRankResult, kaplan_meier, logrank
from .twosample import WelchTTestResult, welch_ttest

__all__ = [
    "AdjustedPValues",
    "CronbachAlphaResult",
    "Description",
    "DidResult",
    "GainResult",
    "IccEstimate",
    "IccResult",
    "ImpactResult",
    "ItsResult",
    "KaplanMeierResult",
    "LogRankResult",
    "MannWhitneyResult",
    "PairedEffectSize",
    "PairedTTestResult",
    "ProportionInterval",
    "WelchTTestResult",
    "WilcoxonResult",
    "adjust_pvalues",
    "cronbach_alpha",
    "cronbach_alpha_from_sums",
    "default_maxlags",
    "describe_counts",
    "describe_sums",
    "did",
    "gain_category",
    "hedges_correction",
    "icc",
    "impact_panel",
    "impact_panels",
    "interrupted_time_series",
    "kaplan_meier",
    "logrank",
    "mann_whitney",
    "mean_ci",
    "normalized_gain",
    "paired_effect_size",
    "paired_ttest",
    "proportion_ci",
    "welch_ttest",
    "wilcoxon_signed_rank",
]
