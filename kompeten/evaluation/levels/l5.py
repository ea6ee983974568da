"""L5 Phillips ROI: fully loaded costs, first-year monetised benefits after isolation,
BCR = benefits / costs, ROI % = (benefits − costs) / costs × 100, intangibles unconverted."""

from __future__ import annotations

from collections.abc import Sequence

from kompeten.evaluation import interpret
from kompeten.evaluation.levels.results import BenefitLine, CostLine, L5Result


def compute_l5(
    *,
    costs: Sequence[CostLine],
    benefits: Sequence[BenefitLine],
    intangibles: Sequence[str],
    estimate_n: int,
    estimate_attribution: float | None,
    estimate_confidence: float | None,
    estimate_share: float | None,
    hourly_table: str,
    hourly_confidence: str,
) -> L5Result:
    total_cost = float(sum(c.amount for c in costs))
    total_benefit = float(sum(b.isolated_value for b in benefits))
    bcr = total_benefit / total_cost if total_cost > 0 else None
    roi = (total_benefit - total_cost) / total_cost * 100 if total_cost > 0 else None
    sentence = interpret.roi_sentence(total_benefit, total_cost, bcr, roi)
    if intangibles:
        sentence += f" Manfaat tak berwujud (tidak dirupiahkan): {len(intangibles)}."
    return L5Result(
        costs=tuple(costs),
        total_cost=total_cost,
        benefits=tuple(benefits),
        total_benefit=total_benefit,
        bcr=bcr,
        roi_pct=roi,
        intangibles=tuple(intangibles),
        estimate_n=estimate_n,
        estimate_attribution=estimate_attribution,
        estimate_confidence=estimate_confidence,
        estimate_share=estimate_share,
        hourly_table=hourly_table,
        hourly_confidence=hourly_confidence,
        sentence=sentence,
    )
