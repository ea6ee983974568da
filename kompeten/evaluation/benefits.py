"""L5 reads: a programme's costs and first-year benefits, each benefit isolated by the method
chosen for it (Phillips):

* comparison group — the L4 difference-in-differences of the benefit's outcome;
* trend line — the L4 interrupted time series of the trained units, projected;
* participant estimate — per-participant estimates (value × attribution × confidence, summed),
  or, when none are entered, the mean attribution × confidence answered on the +3-month
  questionnaire, applied to the benefit's yearly value.

A constant number of queries, whatever the number of benefits and estimates.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q, Sum
from django.utils.translation import gettext

from kompeten.core import formatting
from kompeten.evaluation.levels import l5 as l5_engine
from kompeten.evaluation.levels.results import BenefitLine, CostLine, L4Result, L5Result
from kompeten.evaluation.models import (
    Answer,
    Benefit,
    BenefitKind,
    HourlyCostTable,
    InstrumentKind,
    Isolation,
    ParticipantEstimate,
    RoiRole,
)
from kompeten.learning.models import CostCategory, CostItem, Programme

METHOD_LABELS = {i.value: i.label for i in Isolation}  # lazy: read in the active language


def current_hourly_table(instansi_id: int, today: date) -> HourlyCostTable | None:
    return (
        HourlyCostTable.objects.filter(instansi_id=instansi_id, effective_from__lte=today)
        .prefetch_related("rates")
        .order_by("-effective_from", "-id")
        .first()
    )


def questionnaire_estimates(rq: Q) -> list[tuple[float, float]]:
    """(attribution %, confidence %) of every +3-month answer that has both."""
    per: dict[int, dict[str, float]] = defaultdict(dict)
    for rid, role, value in (
        Answer.objects.filter(
            rq,
            response__kind=InstrumentKind.BEHAVIOUR,
            item__roi_role__in=[RoiRole.ATTRIBUTION, RoiRole.CONFIDENCE],
            value__isnull=False,
        )
        .values_list("response_id", "item__roi_role", "value")
        .order_by()
    ):
        if value is not None:
            per[rid][role] = value
    return [(v[RoiRole.ATTRIBUTION], v[RoiRole.CONFIDENCE]) for v in per.values() if len(v) == 2]


def level5(programme: Programme, rq: Q, today: date, l4: L4Result | None) -> L5Result:
    cost_labels = {c.value: str(c.label) for c in CostCategory}
    costs = [
        CostLine(category=cat, label=cost_labels.get(cat, cat), amount=float(total))
        for cat, total in CostItem.objects.filter(programme=programme)
        .values("category")
        .annotate(t=Sum("amount"))
        .values_list("category", "t")
        .order_by("category")
    ]
    table = current_hourly_table(programme.instansi_id, today)
    rates = {r.group: float(r.hourly_cost) for r in table.rates.all()} if table else {}
    both = questionnaire_estimates(rq)
    est_share = l5_engine.estimate_share(both)
    outcomes = {o.key: o for o in l4.outcomes} if l4 is not None else {}
    benefits = list(Benefit.objects.filter(programme=programme).order_by("id"))
    per_benefit: dict[int, list[tuple[float, float, float]]] = defaultdict(list)
    for bid, value, a, c in (
        ParticipantEstimate.objects.filter(benefit__programme=programme)
        .values_list("benefit_id", "annual_value", "attribution", "confidence")
        .order_by("benefit_id", "employee_id")
    ):
        per_benefit[bid].append((float(value), float(a), float(c)))
    lines: list[BenefitLine] = []
    intangibles: list[str] = []
    for b in benefits:
        if b.kind == BenefitKind.INTANGIBLE:
            intangibles.append(b.name)
            continue
        line = _line(b, rates, est_share, both, outcomes, per_benefit.get(b.pk, []))
        lines.append(line)
    return l5_engine.compute_l5(
        costs=costs,
        benefits=lines,
        intangibles=intangibles,
        estimate_n=len(both),
        estimate_attribution=sum(a for a, _c in both) / len(both) if both else None,
        estimate_confidence=sum(c for _a, c in both) / len(both) if both else None,
        estimate_share=est_share,
        hourly_table=f"{table.name} — {table.source}" if table else "",
        hourly_confidence=table.confidence if table else "",
    )


def _line(
    b: Benefit, rates, est_share, both, outcomes, estimates: list[tuple[float, float, float]]
) -> BenefitLine:
    n_estimates = 0
    if b.isolation == Isolation.ESTIMATE and estimates:
        annual, isolated, inputs = _from_estimates(estimates)
        share = isolated / annual if annual > 0 else None
        n_estimates = len(estimates)
    else:
        if b.amount_per_year is not None:
            annual = float(b.amount_per_year)
        else:
            annual = float(b.hours_per_year or 0) * rates.get(b.golongan_group, 0.0)
        share, inputs = _share(b, est_share, both, outcomes)
        isolated = annual * share if share is not None else 0.0
    return BenefitLine(
        benefit_id=b.pk,
        name=b.name,
        annual_value=annual,
        isolation=str(METHOD_LABELS.get(b.isolation, b.isolation)),
        share=share,
        isolated_value=isolated,
        note=b.note,
        method=b.isolation,
        inputs=inputs,
        n_estimates=n_estimates,
    )


def _from_estimates(estimates: list[tuple[float, float, float]]) -> tuple[float, float, str]:
    """A benefit from its participants' estimates: the sum of their values, the sum of value ×
    attribution × confidence, and the sentence that shows the reader both."""
    annual = sum(v for v, _a, _c in estimates)
    isolated = sum(l5_engine.phillips_adjusted(v, a, c) for v, a, c in estimates)
    n = len(estimates)
    inputs = gettext(
        "{n} estimasi peserta: jumlah nilai {value}, rata-rata atribusi {attribution} %, "
        "rata-rata keyakinan {confidence} %; jumlah nilai × atribusi × keyakinan = "
        "{isolated}."
    ).format(
        n=n,
        value=formatting.rupiah(annual),
        attribution=formatting.number(sum(a for _v, a, _c in estimates) / n, 0),
        confidence=formatting.number(sum(c for _v, _a, c in estimates) / n, 0),
        isolated=formatting.rupiah(isolated),
    )
    return annual, isolated, inputs


def _share(b: Benefit, est_share, both, outcomes) -> tuple[float | None, str]:
    """The share of a benefit's yearly value that the programme caused, by the benefit's
    isolation method (without per-participant estimates), and how it was found."""
    if b.isolation == Isolation.ESTIMATE:
        if est_share is None:
            return None, gettext(
                "Belum ada estimasi peserta (atribusi dan keyakinan) untuk manfaat ini."
            )
        return est_share, gettext(
            "Kuesioner 3 bulan: {n} peserta; rata-rata atribusi × keyakinan = {share}."
        ).format(n=len(both), share=formatting.number(est_share, 2))
    if b.isolation_outcome:
        outcome = outcomes.get(b.isolation_outcome)
        iso = (
            l5_engine.share_from_comparison(outcome)
            if b.isolation == Isolation.COMPARISON
            else l5_engine.share_from_trend(outcome)
        )
        return iso.share, iso.inputs
    share = float(b.isolation_share) if b.isolation_share is not None else None
    inputs = gettext("Bagian diisi manual (tanpa hasil L4 terpilih).") if share is not None else ""
    return share, inputs
