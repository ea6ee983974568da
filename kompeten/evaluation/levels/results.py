"""Typed results of the evaluation engine (frozen dataclasses, unrounded; sentences rounded)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kompeten.stats import (
    CronbachAlphaResult,
    GainResult,
    ImpactResult,
    PairedEffectSize,
    PairedTTestResult,
    WilcoxonResult,
)


@dataclass(frozen=True)
class ResponseRate:
    label: str
    invited: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None


@dataclass(frozen=True)
class ScaleResult:
    """A Likert scale (a section, a trainer aspect, a trainer): mean, 0–100 index, LAN band, α."""

    key: str
    label: str
    n: int
    mean: float | None
    index: float | None
    band: str
    alpha: CronbachAlphaResult | None
    sentence: str


@dataclass(frozen=True)
class TrainerReaction:
    trainer_id: int
    name: str
    overall: ScaleResult
    aspects: tuple[ScaleResult, ...]


@dataclass(frozen=True)
class GroupIndex:
    key: int
    label: str
    n: int
    index: float | None


@dataclass(frozen=True)
class ItemReaction:
    """One questionnaire item on its own scale (1..``scale_max``; ``labels`` lowest first when
    the scale is labelled). Items of several versions with the same wording are one row.
    ``share_agree``: the share of answers in the scale's top two levels (4–5 on 1–5)."""

    key: int
    order: int
    text: str
    section: str
    scale_max: int
    labels: tuple[str, ...]
    n: int
    mean: float | None
    index: float | None
    share_agree: float | None
    counts: tuple[int, ...]
    on_main_scale: bool


@dataclass(frozen=True)
class L1Result:
    n_responses: int
    n_participants: int
    overall: ScaleResult | None
    sections: tuple[ScaleResult, ...]
    trainers: tuple[TrainerReaction, ...]
    by_batch: tuple[GroupIndex, ...]
    comments: tuple[str, ...]
    sentence: str
    # Per item, in questionnaire order; the overall item mean and share agreeing are over the
    # items on the questionnaire's own numeric scale (labelled scales are reported per item).
    items: tuple[ItemReaction, ...] = ()
    item_mean: float | None = None
    share_agree: float | None = None
    scale_max: int = 5
    # answers of anonymous forms in the batches chosen, left out of a result limited to an OPD
    # (their respondents' units are not known)
    n_anonymous_left_out: int = 0


@dataclass(frozen=True)
class ItemAnalysis:
    item_id: int
    instrument: str
    order: int
    text: str
    n: int
    difficulty: float | None
    discrimination: float | None
    difficulty_label: str
    discrimination_label: str


@dataclass(frozen=True)
class BatchGain:
    batch_id: int
    label: str
    n: int
    mean_pre: float
    mean_post: float
    class_gain: float | None


@dataclass(frozen=True)
class SimulationResult:
    module_id: int
    title: str
    n_subjects: int
    n_observers: int
    mean_score: float | None
    criteria: tuple[tuple[str, float], ...]
    icc_value: float | None
    icc_ci: tuple[float, float] | None
    icc_method: str
    sentence: str
    icc_missing: str = ""  # why ``icc_value`` is None though observers overlap, in words
    # the rubric's own scale, when every criterion shares one highest level score (``level_top``):
    # the mean weighted level, ``mean_score`` × top / 100 (an objective "skor rubrik ≥ 3,5")
    level_top: float | None = None
    mean_level: float | None = None


@dataclass(frozen=True)
class L2Result:
    n_pre: int
    n_post: int
    n_pairs: int
    n_pending_marking: int
    mean_pre: float | None
    mean_post: float | None
    gain: GainResult | None
    ttest: PairedTTestResult | None
    wilcoxon: WilcoxonResult | None
    effect: PairedEffectSize | None
    pre_scores: tuple[float, ...]
    post_scores: tuple[float, ...]
    by_batch: tuple[BatchGain, ...]
    items: tuple[ItemAnalysis, ...]
    simulations: tuple[SimulationResult, ...]
    gain_sentence: str
    change_sentence: str
    # Means over everyone with that test (``mean_pre``/``mean_post`` are over the pairs), the
    # mean paired gain in points, and whether every score is a total without item answers.
    mean_pre_all: float | None = None
    mean_post_all: float | None = None
    mean_gain: float | None = None
    totals_only: bool = False
    # Why a figure is None although there are two pairs or more, in words (empty otherwise):
    # the gain (every pre-test score at the maximum), the paired tests (every difference the
    # same, or zero).
    gain_missing: str = ""
    tests_missing: str = ""


@dataclass(frozen=True)
class BehaviourChange:
    rater_role: str
    label: str
    phase_after: str
    n_pairs: int
    mean_before: float | None
    mean_after: float | None
    ttest: PairedTTestResult | None
    effect: PairedEffectSize | None
    sentence: str
    missing: str = ""  # why ``ttest`` is None with two pairs or more (every difference the same)


@dataclass(frozen=True)
class OfficerComplaints:
    n_officers: int
    n_before: int
    n_after: int
    median_resolution_before: float | None
    median_resolution_after: float | None
    compliance_before: float | None
    compliance_after: float | None
    rating_before: float | None
    rating_after: float | None
    logrank_pvalue: float | None
    sentence: str
    logrank_missing: str = ""  # why ``logrank_pvalue`` is None with two complaints a side


@dataclass(frozen=True)
class SkpCount:
    predikat: str
    label: str
    before: int
    after: int


@dataclass(frozen=True)
class SkpChange:
    """SKP predikat of one group in the rating year before training and the year after:
    distribution, improved/unchanged/worse, Wilcoxon signed-rank on the ordinal codes."""

    key: str
    label: str
    n_people: int
    n_pairs: int
    before_years: tuple[int, ...]
    after_years: tuple[int, ...]
    counts: tuple[SkpCount, ...]
    improved: int
    unchanged: int
    worse: int
    wilcoxon: WilcoxonResult | None
    sentence: str
    n_not_due: int = 0
    wilcoxon_missing: str = ""  # why ``wilcoxon`` is None with two pairs or more

    def table_cells(self) -> list[Any]:
        """The cells every SKP table starts its row with: group, people, pairs, the rating
        years before and after ("2024, 2025"), improved, unchanged, worse."""
        return [
            self.label,
            self.n_people,
            self.n_pairs,
            ", ".join(str(y) for y in self.before_years),
            ", ".join(str(y) for y in self.after_years),
            self.improved,
            self.unchanged,
            self.worse,
        ]

    def share(self, n: int) -> float | None:
        return n / self.n_pairs if self.n_pairs else None

    @property
    def share_improved(self) -> float | None:
        return self.share(self.improved)

    @property
    def share_unchanged(self) -> float | None:
        return self.share(self.unchanged)

    @property
    def share_worse(self) -> float | None:
        return self.share(self.worse)


@dataclass(frozen=True)
class L3Result:
    changes: tuple[BehaviourChange, ...]
    complaints: OfficerComplaints | None
    skp_sentence: str
    sentence: str
    skp: SkpChange | None = None
    skp_comparison: SkpChange | None = None
    skp_groups: tuple[SkpChange, ...] = ()


@dataclass(frozen=True)
class DidOutcome:
    key: str
    label: str
    n_treated_units: int
    n_comparison_units: int
    months: tuple[date, ...]
    treated_series: tuple[float | None, ...]
    comparison_series: tuple[float | None, ...]
    intervention: date | None
    impact: ImpactResult | None  # the calibrated estimator (kompeten.stats.impact_panel)
    sentence: str
    method: str = ""  # the estimator's method in the active language (l4.method_label)


@dataclass(frozen=True)
class L4Result:
    outcomes: tuple[DidOutcome, ...]
    treated_units: tuple[str, ...]
    comparison_units: tuple[str, ...]
    sentence: str


@dataclass(frozen=True)
class CostLine:
    category: str
    label: str
    amount: float


@dataclass(frozen=True)
class BenefitLine:
    benefit_id: int
    name: str
    annual_value: float
    isolation: str
    share: float | None
    isolated_value: float
    note: str
    method: str = ""
    inputs: str = ""
    n_estimates: int = 0


@dataclass(frozen=True)
class L5Result:
    costs: tuple[CostLine, ...]
    total_cost: float
    benefits: tuple[BenefitLine, ...]
    total_benefit: float
    bcr: float | None
    roi_pct: float | None
    intangibles: tuple[str, ...]
    estimate_n: int
    estimate_attribution: float | None
    estimate_confidence: float | None
    estimate_share: float | None
    hourly_table: str
    hourly_confidence: str
    sentence: str


@dataclass(frozen=True)
class ProgrammeEvaluation:
    """Every level of one programme's evaluation (the report issue reads this)."""

    programme_id: int
    title: str
    n_participants: int
    filters: dict[str, Any]
    response_rates: tuple[ResponseRate, ...]
    l1: L1Result
    l2: L2Result
    l3: L3Result
    l4: L4Result
    l5: L5Result
    batches: tuple[GroupIndex, ...] = field(default=())
