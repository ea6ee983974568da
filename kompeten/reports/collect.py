"""Gathering a report's figures from the other apps (a bounded number of queries)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from kompeten.evaluation.interpret import score_band_name
from kompeten.evaluation.levels.results import L1Result
from kompeten.evaluation.models import (
    Answer,
    FollowUp,
    InstrumentKind,
    ItemKind,
    Phase,
    Response,
)
from kompeten.evaluation.queries import reaction_index
from kompeten.learning.models import Batch, Programme
from kompeten.participation.models import Enrolment, EnrolmentSource, EnrolmentStatus
from kompeten.people.models import Employee, Unit, opd_depth
from kompeten.reports.evidence import OpdParticipation, SkmSample, TrainerScore
from kompeten.service import queries as service_q
from kompeten.service.models import Complaint, ServiceUnit
from kompeten.standards import jp as jp_std
from kompeten.standards.local_time import JAKARTA
from kompeten.standards.sampling import krejcie_morgan
from kompeten.standards.score_bands import likert_index
from kompeten.stats import kaplan_meier, normalized_gain, welch_ttest


def aware(day: date, end: bool = False) -> datetime:
    return datetime.combine(day, time.max if end else time.min, tzinfo=JAKARTA)


# --- units -----------------------------------------------------------------------------------


@dataclass
class UnitTree:
    units: dict[int, Unit]
    opd_depth: int

    def opd_of(self, unit_id: int) -> Unit:
        unit = self.units[unit_id]
        while unit.depth > self.opd_depth and unit.parent_id in self.units:
            unit = self.units[unit.parent_id]
        return unit


def unit_tree(instansi_id: int) -> UnitTree:
    units = {u.pk: u for u in Unit.objects.filter(instansi_id=instansi_id)}
    return UnitTree(units, opd_depth(units.values()))


# --- participation ---------------------------------------------------------------------------


@dataclass
class Funnel:
    """The participation funnel in enrolments (one person in two batches counts twice):
    ``invited`` is every enrolment, invited or recorded after the fact from a held training;
    ``accepted`` only the invitations accepted (a held training's participants accepted
    nothing)."""

    invited: int = 0
    accepted: int = 0
    declined: int = 0
    attended: int = 0
    completed: int = 0
    # enrolled after the fact from a held training (source `terlaksana`): never invited
    held: int = 0
    held_completed: int = 0
    # came to a batch that has ended, not completed, with no post-test recorded
    without_posttest: int = 0
    declines_by_reason: dict[str, int] = field(default_factory=dict)
    opd: list[OpdParticipation] = field(default_factory=list)
    gains: list[float] = field(default_factory=list)


# the header of the funnel's counts: enrolments (a person invited to two batches counts twice)
FUNNEL_COUNT = gettext_lazy("Keikutsertaan")


def funnel_stages(f: Funnel) -> list[list[Any]]:
    """The funnel's stages as (label, number of enrolments) rows (:data:`FUNNEL_COUNT`), as the
    report and the dashboard show them: a held training (everyone recorded from the attendance
    list) has no invitation or refusal to show; a mix of both says how many came each way."""
    if f.held and f.held == f.invited:
        return [
            [gettext("Terdaftar"), f.invited],
            [gettext("Hadir (minimal satu sesi)"), f.attended],
            [gettext("Menyelesaikan"), f.completed],
        ]
    invited = [[gettext("Diundang"), f.invited]]
    if f.held:
        invited = [
            [gettext("Terdaftar"), f.invited],
            [gettext("Diundang"), f.invited - f.held],
            [gettext("Dicatat dari pelatihan terlaksana"), f.held],
        ]
    return [
        *invited,
        [gettext("Menerima"), f.accepted],
        [gettext("Menolak"), f.declined],
        [gettext("Hadir (minimal satu sesi)"), f.attended],
        [gettext("Menyelesaikan"), f.completed],
    ]


def funnel(enrolments: QuerySet[Enrolment], tree: UnitTree) -> Funnel:
    agg = enrolments.aggregate(
        invited=Count("id"),
        accepted=Count(
            "id", filter=Q(status=EnrolmentStatus.ACCEPTED) & ~Q(source=EnrolmentSource.HELD)
        ),
        declined=Count("id", filter=Q(status=EnrolmentStatus.DECLINED)),
        completed=Count("id", filter=Q(completed_at__isnull=False)),
        held=Count("id", filter=Q(source=EnrolmentSource.HELD)),
        held_completed=Count(
            "id", filter=Q(source=EnrolmentSource.HELD, completed_at__isnull=False)
        ),
    )
    attended = enrolments.filter(attendance__present=True).values("id").distinct().count()
    # came to a batch that has ended, not completed, and no post-test recorded
    without_posttest = (
        enrolments.filter(
            status=EnrolmentStatus.ACCEPTED,
            completed_at__isnull=True,
            posttest_done_at__isnull=True,
            batch__end_date__lt=timezone.localdate(),
            attendance__present=True,
        )
        .values("id")
        .distinct()
        .count()
    )
    reasons = dict(
        enrolments.filter(status=EnrolmentStatus.DECLINED)
        .values_list("decline_reason")
        .annotate(n=Count("id"))
        .values_list("decline_reason", "n")
        .order_by()
    )
    by_opd: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for unit_id, inv, comp, dec in (
        enrolments.values("employee__unit_id")
        .annotate(
            inv=Count("id"),
            comp=Count("id", filter=Q(completed_at__isnull=False)),
            dec=Count("id", filter=Q(status=EnrolmentStatus.DECLINED)),
        )
        .values_list("employee__unit_id", "inv", "comp", "dec")
        .order_by()
    ):
        opd = tree.opd_of(unit_id)
        acc = by_opd[opd.pk]
        acc[0] += inv
        acc[1] += comp
        acc[2] += dec
    opd_rows = sorted(
        (
            OpdParticipation(pk, tree.units[pk].display_name, v[0], v[1], v[2])
            for pk, v in by_opd.items()
        ),
        key=lambda o: o.label,
    )
    gains = [
        float(g)
        for g in enrolments.filter(learning_gain__isnull=False).values_list(
            "learning_gain", flat=True
        )
        if g is not None
    ]
    return Funnel(
        invited=agg["invited"],
        accepted=agg["accepted"],
        declined=agg["declined"],
        attended=attended,
        completed=agg["completed"],
        held=agg["held"],
        held_completed=agg["held_completed"],
        without_posttest=without_posttest,
        declines_by_reason={k or "lainnya": v for k, v in reasons.items()},
        opd=opd_rows,
        gains=gains,
    )


# --- evaluation (L1, L2) of a cycle, across programmes, read directly -------------------------


@dataclass
class Reaction:
    sections: list[tuple[str, float, int]]  # (section, index 0–100, n responses)
    trainers: list[TrainerScore]
    n_responses: int
    index: float | None = None  # the mean of the programmes' reaction indices
    n_programmes: int = 0  # the programmes that have one


def reaction_of(results: Iterable[L1Result], responses: QuerySet[Response]) -> Reaction:
    """The reaction to several programmes, each as its L1 result says (the evaluation engine:
    the figures of its programme report). Per aspect, the programmes' indices weighted by their
    respondents (one programme: its own); the reaction index, the mean of the programmes' (as
    the dashboard's card); the trainers named in the answers, each over all their answers."""
    results = list(results)
    per_section: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for result in results:
        for scale in result.sections:
            if scale.index is not None and scale.n:
                per_section[scale.key].append((scale.index, scale.n))
    sections = [
        (key, sum(i * n for i, n in pairs) / sum(n for _, n in pairs), sum(n for _, n in pairs))
        for key, pairs in per_section.items()
    ]
    indices = [i for r in results if (i := reaction_index(r)) is not None]
    return Reaction(
        sections,
        _named_trainers(responses),
        responses.count(),
        sum(indices) / len(indices) if indices else None,
        len(indices),
    )


def _named_trainers(responses: QuerySet[Response]) -> list[TrainerScore]:
    """Each trainer the reaction answers name, over all their Likert answers."""
    answers = Answer.objects.filter(
        response__in=responses, item__kind=ItemKind.LIKERT, value__isnull=False
    )
    scale = max(responses.values_list("instrument__scale_max", flat=True).distinct() or [5])
    trainers = []
    for tid, first, ext, mean, n in (
        answers.filter(trainer__isnull=False)
        .values("trainer_id")
        .annotate(mean=Avg("value"), n=Count("response", distinct=True))
        .values_list("trainer_id", "trainer__employee__name", "trainer__external_name", "mean", "n")
        .order_by("trainer_id")
    ):
        index = likert_index(min(max(mean, 1), scale), 1, scale)
        trainers.append(
            TrainerScore(tid, first or ext or f"#{tid}", index, n, score_band_name(round(index, 2)))
        )
    return trainers


@dataclass
class Learning:
    n_pairs: int
    mean_pre: float | None
    mean_post: float | None
    class_gain: float | None
    category: str
    pre: list[float]
    post: list[float]


def learning(responses: QuerySet[Response]) -> Learning:
    pre: dict[int, float] = {}
    post: dict[int, float] = {}
    for subject, kind, score, max_score in responses.filter(
        kind__in=("pretest", "posttest"), score__isnull=False, max_score__gt=0
    ).values_list("subject_id", "kind", "score", "max_score"):
        if score is not None and max_score:  # (the filter above already excludes both)
            (pre if kind == "pretest" else post)[subject] = score / max_score * 100
    ids = sorted(set(pre) & set(post))
    a, b = [pre[i] for i in ids], [post[i] for i in ids]
    if not ids:
        return Learning(0, None, None, None, "", [], [])
    try:
        g = normalized_gain(a, b, 100.0)
        cg, cat = g.class_gain, str(g.category)
    except ValueError:
        cg, cat = None, ""
    return Learning(len(ids), sum(a) / len(a), sum(b) / len(b), cg, cat, a, b)


def l3_followups(qs: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    """The behaviour (L3) follow-ups taken 3 and 6 months after training: the periodic
    evaluation the follow-up figure and its recommendation speak of (reaction, tests and the
    before-training rating are not follow-ups)."""
    return qs.filter(
        instrument__kind=InstrumentKind.BEHAVIOUR,
        instrument__phase__in=(Phase.AFTER_3, Phase.AFTER_6),
    )


def followups(qs: QuerySet[FollowUp], as_of: datetime) -> tuple[int, int]:
    agg = qs.filter(due_at__lte=as_of).aggregate(
        due=Count("id"), answered=Count("id", filter=Q(response__isnull=False))
    )
    return agg["due"], agg["answered"]


# --- public service --------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def skm_samples(
    service_units: list[ServiceUnit], start: date, end: date, tree: UnitTree
) -> tuple[list[SkmSample], dict[int, float]]:
    """Respondents vs the Krejcie–Morgan sample per service unit, and each unit's IKM (25–100)."""
    if not service_units:
        return [], {}
    rows = service_q.ikm_rows([s.pk for s in service_units], month_start(start), month_start(end))
    n_by: dict[int, int] = defaultdict(int)
    ikm: dict[int, float] = {}
    for r in rows:
        n_by[r.key[0]] += r.n_responses
        if r.result is not None:
            ikm[r.key[0]] = float(r.result.ikm_unit)
    out = []
    for s in service_units:
        required = krejcie_morgan(s.population) if s.population else None
        out.append(SkmSample(s.pk, s.unit_id, s.name, n_by.get(s.pk, 0), required))
    return out, ikm


@dataclass
class GroupCompare:
    label: str
    treated_label: str
    comparison_label: str
    treated: list[float]
    comparison: list[float]
    pvalue: float | None
    difference: float | None
    ci: tuple[float, float] | None

    @property
    def treated_mean(self) -> float | None:
        return sum(self.treated) / len(self.treated) if self.treated else None

    @property
    def comparison_mean(self) -> float | None:
        return sum(self.comparison) / len(self.comparison) if self.comparison else None


def compare(label: str, treated: list[float], comparison: list[float]) -> GroupCompare:
    p = diff = None
    ci = None
    if len(treated) >= 2 and len(comparison) >= 2:
        try:
            t = welch_ttest(treated, comparison)
            if math.isfinite(t.pvalue):
                p, diff, ci = t.pvalue, t.mean_difference, (t.ci_low, t.ci_high)
        except ValueError:
            pass
    return GroupCompare(label, "unit terlatih", "unit pembanding", treated, comparison, p, diff, ci)


@dataclass
class ComplaintFigures:
    decided: int
    met: int
    volume: int
    median_resolution: float | None
    by_unit_median: dict[int, float]


def complaint_figures(instansi_id: int, start: date, end: date) -> ComplaintFigures:
    """Resolution figures of the complaints received in [start, end]: the database groups them
    by (unit, category, received day, closed day), Kaplan–Meier runs on the groups expanded to
    one duration per complaint (the same curve as per-complaint rows)."""
    qs = Complaint.objects.filter(
        instansi_id=instansi_id, received_at__gte=aware(start), received_at__lte=aware(end, True)
    )
    g = service_q.complaint_resolution_groups(qs, min(end, timezone.localdate()), instansi_id)
    met = int(g.count[g.met].sum())
    decided = met + int(g.count[g.breached].sum())

    def km_median(mask: Any = None) -> float | None:
        days, events = g.expand(mask)
        if not days.size:
            return None
        med = kaplan_meier(days.astype(float), events.astype(int)).median
        return None if med is None or not math.isfinite(med) else float(med)

    by_unit: dict[int, float] = {}
    for unit_id in sorted({int(u) for u in g.unit_ids}):
        mask = g.unit_ids == unit_id
        if int(g.count[mask].sum()) >= 3:
            median = km_median(mask)
            if median is not None:
                by_unit[unit_id] = median
    return ComplaintFigures(decided, met, len(g), km_median(), by_unit)


def trained_units(enrolments: QuerySet[Enrolment], tree: UnitTree) -> set[int]:
    """OPDs with at least one participant who completed a programme."""
    ids = enrolments.filter(completed_at__isnull=False).values_list("employee__unit_id", flat=True)
    return {tree.opd_of(u).pk for u in set(ids)}


def trained_over(
    instansi_id: int, start: date, end: date, tree: UnitTree
) -> tuple[set[int], set[int]]:
    """The OPDs trained for the whole of ``start``–``end`` (a participant completed a programme
    whose batch ended before ``start``) and those trained part-way through it (their first such
    batch ends within it): only the first can be compared with the untrained ones over the
    period; for the second, part of the period is before their training."""
    before: set[int] = set()
    during: set[int] = set()
    for unit_id, batch_end in Enrolment.objects.filter(
        instansi_id=instansi_id, completed_at__isnull=False, batch__end_date__lte=end
    ).values_list("employee__unit_id", "batch__end_date"):
        if unit_id in tree.units:
            (before if batch_end < start else during).add(tree.opd_of(unit_id).pk)
    return before, during - before


def gain_stats(values: Iterable[float]) -> dict[str, float | int | None]:
    vals = list(values)
    if not vals:
        return {"n": 0, "mean": None, "sd": None}
    mean = sum(vals) / len(vals)
    sd = math.sqrt(sum((v - mean) ** 2 for v in vals) / (len(vals) - 1)) if len(vals) > 1 else None
    return {"n": len(vals), "mean": mean, "sd": sd}


def jp_compliance(employees: QuerySet[Employee], year: int) -> tuple[int, int]:
    """(employees with a yearly JP minimum, those who reached it), summed in SQL."""
    by_unit = jp_compliance_by_unit(employees, year)
    return sum(v[0] for v in by_unit.values()), sum(v[1] for v in by_unit.values())


def jp_compliance_by_unit(employees: QuerySet[Employee], year: int) -> dict[int, tuple[int, int]]:
    """Per unit: (employees with a yearly JP minimum, those who reached it), in SQL.

    The minimum per status and the minutes per JP come from ``standards.jp`` (PP 11/2017: PNS at
    least 20 JP; PPPK has a maximum, not a minimum)."""
    out: dict[int, tuple[int, int]] = {}
    for status, target in jp_std.JP_TARGETS.targets.items():
        if target.minimum is None:
            continue
        threshold = Decimal(target.minimum.numerator * jp_std.JP_UNIT.minutes_per_jp) / Decimal(
            target.minimum.denominator
        )
        totals = employees.filter(status=status).annotate(
            total=Coalesce(Sum("jp_entries__minutes", filter=Q(jp_entries__year=year)), Decimal(0))
        )
        per_unit: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for unit_id, total in totals.values_list("unit_id", "total"):
            per_unit[unit_id][0] += 1
            per_unit[unit_id][1] += int(total >= threshold)
        for unit_id, (k, m) in per_unit.items():
            a, b = out.get(unit_id, (0, 0))
            out[unit_id] = (a + k, b + m)
    return out


def batches_in(instansi_id: int, start: date, end: date) -> QuerySet[Batch]:
    return Batch.objects.filter(
        programme__instansi_id=instansi_id, start_date__lte=end, end_date__gte=start
    )


def programmes_in(instansi_id: int, start: date, end: date) -> QuerySet[Programme]:
    return Programme.objects.filter(
        pk__in=batches_in(instansi_id, start, end).values("programme_id")
    ).order_by("code")
