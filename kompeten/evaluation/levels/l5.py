"""L5 Phillips ROI: fully loaded costs, first-year monetised benefits after isolation,
BCR = benefits / costs, ROI % = (benefits − costs) / costs × 100, intangibles unconverted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext

from kompeten.core import formatting
from kompeten.evaluation import interpret
from kompeten.evaluation.levels.results import BenefitLine, CostLine, DidOutcome, L5Result


@dataclass(frozen=True)
class Isolated:
    """The share of a benefit attributed to the training (0–1), and how it was found."""

    share: float | None
    inputs: str


def phillips_adjusted(value: float, attribution_pct: float, confidence_pct: float) -> float:
    """Phillips' participant estimate: value × % attributed to the training × % confidence.

    The confidence percentage discounts the estimate for its error, so a participant who
    attributes 60 % of a 10.000 improvement to the training and is 80 % confident claims
    10.000 × 0,60 × 0,80 = 4.800.
    """
    return value * (attribution_pct / 100) * (confidence_pct / 100)


def estimate_share(pairs: Sequence[tuple[float, float]]) -> float | None:
    """The mean of each respondent's attribution × confidence (as fractions): Phillips'
    confidence-adjusted training factor averaged over the participants who answered."""
    if not pairs:
        return None
    return float(np.mean([a / 100 * c / 100 for a, c in pairs]))


def _clip(x: float) -> float:
    return float(min(1.0, max(0.0, x)))


def _split(outcome: DidOutcome) -> tuple[list[float], list[float], int]:
    """The treated units' monthly means before and from the intervention month (the series the
    ITS is fitted on: months without data left out), and the index of the first post month."""
    series = [
        (m, v) for m, v in zip(outcome.months, outcome.treated_series, strict=True) if v is not None
    ]
    pre = [v for m, v in series if outcome.intervention is None or m < outcome.intervention]
    post = [v for m, v in series if outcome.intervention is not None and m >= outcome.intervention]
    return pre, post, len(pre)


def _share(outcome: DidOutcome | None, design: str, name: str) -> Isolated:
    """Of the trained units' observed change (mean after − mean before), the part the impact
    estimator (:func:`kompeten.evaluation.levels.l4.impact_of`) attributes to the training,
    share = estimate / observed change, kept within 0–1 (none when the units did not improve),
    when the estimator used ``design``. Phillips' control-group isolation takes the estimate
    itself; when its interval holds zero the sentence says the benefit is not yet certain."""
    if outcome is None:
        return Isolated(None, gettext("Hasil L4 ini belum tersedia untuk program/filter ini."))
    r = outcome.impact
    if r is None or r.design != design or r.estimate is None:
        return Isolated(None, outcome.sentence)
    pre, post, _ = _split(outcome)
    if not pre or not post:
        return Isolated(
            None, gettext("Deret bulanan unit dilatih belum punya bulan sebelum dan sesudah.")
        )
    observed = float(np.mean(post) - np.mean(pre))
    head = gettext(
        "{method} {label} {estimate} (SK 95%: {low}–{high}, {p}); perubahan unit dilatih {observed}"
    ).format(
        method=name,
        label=outcome.label,
        estimate=formatting.number(r.estimate, 2),
        low=formatting.number(r.ci_low or 0.0, 2),
        high=formatting.number(r.ci_high or 0.0, 2),
        p=interpret.pvalue(r.pvalue if r.pvalue is not None else 1.0),
        observed=formatting.number(observed, 2),
    )
    if observed <= 0:
        return Isolated(
            0.0,
            gettext("{head}: unit dilatih tidak membaik, tidak ada yang diakui.").format(head=head),
        )
    if r.estimate <= 0:
        return Isolated(
            0.0,
            gettext("{head}: tidak ada perbaikan karena pelatihan yang diakui.").format(head=head),
        )
    share = _clip(r.estimate / observed)
    text = gettext("{head}; bagian = estimasi / perubahan = {share}").format(
        head=head, share=formatting.number(share, 2)
    )
    if r.ci_low is None or r.ci_low <= 0:
        text += gettext(
            "; estimasi ini belum bermakna secara statistik, jadi manfaat yang diakui belum pasti"
        )
    return Isolated(share, text + ".")


def share_from_comparison(outcome: DidOutcome | None) -> Isolated:
    """Comparison group: the difference-in-differences estimate against comparison units as a
    share of the trained units' observed change (:func:`_share`)."""
    return _share(outcome, "did", gettext("Selisih-dalam-selisih"))


def share_from_trend(outcome: DidOutcome | None) -> Isolated:
    """Trend line: the level change at training above the trained units' own pre-training trend
    (the estimator's interrupted time series, used when no comparison unit has data) as a share
    of the observed change (:func:`_share`)."""
    return _share(outcome, "its", gettext("Perubahan di atas tren"))


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
    # Phillips: a ratio needs both sides. With no benefit converted to money the ROI is unknown,
    # not -100 % (which would call for a "negative ROI" recommendation nobody measured).
    known = total_cost > 0 and bool(benefits)
    bcr = total_benefit / total_cost if known else None
    roi = (total_benefit - total_cost) / total_cost * 100 if known else None
    sentence = interpret.roi_sentence(total_benefit, total_cost, bcr, roi)
    if intangibles:
        sentence += " " + gettext("Manfaat tak berwujud (tidak dirupiahkan): {n}.").format(
            n=len(intangibles)
        )
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
