"""Demo step: evaluation data for the demo programmes, on the participation demo's enrolments.

For every batch that has ended: the default instruments, an item bank and parallel pre/post
forms, the reaction questionnaire, pre/post tests with a realistic gain, simulation scores by
two observers, behaviour ratings by the atasan and the participant before and (when 3 months
have passed) after, with realistic non-response, the participants' L5 estimates, benefits and
the hourly-cost table for the ROI. Everything through the evaluation actions; one seeded
generator, so the demo is the same on every build.

L3 also reads the records app: each participant gets an SKP rating (through the records
action) for the rating year before their batch and the year after it (when that year has
come), a little more likely to improve the abler the participant; their untrained colleagues
get theirs in the records/reports step, with no systematic change. L5 benefits use each of
Phillips' isolation methods: for PP-01 the trend line of on-time complaint resolution, the
comparison group (the L4 DiD of the IKM) and per-participant estimates; the trend line of the
IKM for IZN-01; the questionnaire's attribution × confidence for the others.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from kompeten.core import formatting
from kompeten.core.models import User
from kompeten.demo.items import items_for
from kompeten.evaluation.actions import instruments as inst_actions
from kompeten.evaluation.actions.followups import add_months, do_schedule_follow_ups
from kompeten.evaluation.actions.responses import ResponseInput, do_submit_responses
from kompeten.evaluation.actions.roi import (
    BenefitInput,
    do_add_benefit,
    do_add_participant_estimate,
    do_set_hourly_costs,
)
from kompeten.evaluation.actions.simulation import do_score_simulations, may_observe
from kompeten.evaluation.levels.l3 import skp_years
from kompeten.evaluation.models import (
    FollowUp,
    Instrument,
    InstrumentKind,
    InstrumentStatus,
    Isolation,
    IsolationOutcome,
    ItemKind,
    Phase,
    RaterRole,
    Section,
)
from kompeten.learning.models import Batch, ModuleKind, Programme, RubricCriterion
from kompeten.participation.models import Enrolment, EnrolmentStatus
from kompeten.records.actions import do_set_skp_rating
from kompeten.records.models import SkpRating
from kompeten.standards.local_time import JAKARTA

if TYPE_CHECKING:
    from kompeten.demo.build import DemoContext

SEED = 20260606
COMMENTS = [
    "Simulasinya sangat membantu, terasa seperti di loket.",
    "Waktu praktik perlu ditambah.",
    "Materi relevan dengan pekerjaan sehari-hari.",
    "Ruangan agak panas pada siang hari.",
    "Pengajar menjawab pertanyaan dengan jelas.",
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=JAKARTA)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def step_evaluation(ctx: DemoContext) -> None:
    admin = ctx.users["admin"]
    do_set_hourly_costs(
        ctx.instansi,
        name="Biaya pegawai per jam (perkiraan demo)",
        effective_from=date(2026, 1, 1),
        source="Perkiraan: (gaji pokok + tunjangan) setahun / 1.250 jam kerja efektif; data sintetis",
        rates={"I": "32000", "II": "42000", "III": "58000", "IV": "78000", "PPPK": "40000"},
        actor=admin,
    )
    rng = random.Random(SEED)
    today = timezone.localdate()
    pegawai = ctx.extra.get("demo_pegawai")
    steady = frozenset([pegawai] if pegawai else [])
    total = 0
    for programme in Programme.objects.filter(instansi=ctx.instansi).order_by("code"):
        total += evaluate_demo_programme(
            programme, admin=admin, rng=rng, today=today, steady=steady
        )
    with ctx.in_reader_language():
        if total == 0:
            ctx.say(
                gettext("belum ada peserta yang menyelesaikan angkatan: data evaluasi tidak dibuat")
            )
        else:
            ctx.say(
                ngettext(
                    "{n} jawaban instrumen evaluasi (data demo)",
                    "{n} jawaban instrumen evaluasi (data demo)",
                    total,
                ).format(n=formatting.number(total, 0))
            )


def _bank(programme: Programme, rng: random.Random) -> list[inst_actions.BankItemInput]:
    """The programme's items (kompeten.demo.items), options in a seeded order; a true/false
    item after every two or three multiple-choice ones, so both parallel forms get some."""
    choices, statements = items_for(programme.code)
    items = []
    for question, correct, wrong in choices:
        options = [correct, *wrong]
        rng.shuffle(options)
        items.append(
            inst_actions.BankItemInput(
                kind=ItemKind.MULTIPLE_CHOICE, text=question, options=options, correct=correct
            )
        )
    for k, (statement, true) in enumerate(statements):
        items.insert(
            3 * k + 2,
            inst_actions.BankItemInput(
                kind=ItemKind.TRUE_FALSE, text=statement, correct="benar" if true else "salah"
            ),
        )
    return items


def _test_answers(
    instrument: Instrument, items: list, p: float, rng: random.Random
) -> dict[str, object]:
    out: dict[str, object] = {}
    for item in items:
        right = rng.random() < p
        if item.kind == ItemKind.MULTIPLE_CHOICE:
            out[str(item.pk)] = (
                item.correct
                if right
                else rng.choice([o for o in item.options if o != item.correct])
            )
        else:
            out[str(item.pk)] = (
                item.correct if right else ("salah" if item.correct == "benar" else "benar")
            )
    return out


def evaluate_demo_programme(
    programme: Programme,
    *,
    admin: User,
    rng: random.Random,
    today: date,
    steady: frozenset[int] = frozenset(),
) -> int:
    """Evaluation data of the programme's ended batches; ``steady`` employees (the demo
    Pegawai) always answer the reaction questionnaire."""
    batches = list(
        Batch.objects.filter(programme=programme, end_date__lt=today).order_by("start_date")
    )
    enrolments = list(
        Enrolment.objects.filter(batch__in=batches, status=EnrolmentStatus.ACCEPTED)
        .select_related("employee")
        .order_by("batch__start_date", "employee__nip")
    )
    seen: set[int] = set()
    unique = []
    for e in enrolments:  # someone enrolled in two batches is evaluated in the first
        if e.employee_id not in seen:
            seen.add(e.employee_id)
            unique.append(e)
    enrolments = unique
    if not enrolments:
        return 0
    inst_actions.do_add_bank_items(programme, items=_bank(programme, rng), actor=admin)
    made = inst_actions.do_create_default_instruments(programme, actor=admin)
    for inst in made:
        inst_actions.do_set_instrument_status(inst, status=InstrumentStatus.OPEN, actor=admin)
    by_key = {(i.kind, i.phase): i for i in made}
    for b in batches:
        do_schedule_follow_ups(b, actor=admin)
    count = 0
    ability = {e.employee_id: rng.gauss(0, 1) for e in enrolments}
    by_batch: dict[int, list[Enrolment]] = {}
    for e in enrolments:
        by_batch.setdefault(e.batch_id, []).append(e)
    for batch in batches:
        group = by_batch.get(batch.pk, [])
        if not group:
            continue
        count += _tests(by_key, batch, group, ability, rng, admin)
        count += _reaction(by_key, batch, group, rng, admin, steady)
        _simulation(programme, batch, group, ability, rng, admin)
        count += _behaviour(by_key, batch, group, ability, rng, admin, today)
    side = random.Random(f"{SEED}-{programme.code}")  # leaves the main sequence unchanged
    _skp(batches, enrolments, ability, side, admin, today)
    benefits = _benefits(programme, len(enrolments), admin)
    if benefits is not None:
        _estimates(benefits, enrolments, side, admin)
    return count


RATINGS = ("di_bawah", "sesuai", "di_atas")


def _skp(batches, enrolments, ability, rng, admin, today) -> None:
    """SKP before and after training (records action); someone already rated keeps it."""
    by_pk = {b.pk: b for b in batches}
    existing = set(
        SkpRating.objects.filter(employee_id__in=[e.employee_id for e in enrolments]).values_list(
            "employee_id", "year"
        )
    )
    for e in enrolments:
        batch = by_pk[e.batch_id]
        before, after = skp_years(batch.start_date, batch.end_date)
        h, p = (rng.choices((0, 1, 2), weights=(1, 7, 2))[0] for _ in range(2))
        up = min(0.75, max(0.1, 0.45 + 0.15 * ability[e.employee_id]))

        def moved(level: int, up: float = up) -> int:
            x = rng.random()
            return min(2, level + 1) if x < up else max(0, level - 1) if x > 0.97 else level

        for year, (hk, pk) in ((before, (h, p)), (after, (moved(h), moved(p)))):
            if year > today.year or (e.employee_id, year) in existing:
                continue
            do_set_skp_rating(
                actor=admin,
                employee=e.employee,
                year=year,
                hasil_kerja=RATINGS[hk],
                perilaku=RATINGS[pk],
            )
            existing.add((e.employee_id, year))


def _tests(by_key, batch, group, ability, rng, admin) -> int:
    pre, post = by_key.get((InstrumentKind.PRETEST, "")), by_key.get((InstrumentKind.POSTTEST, ""))
    if pre is None or post is None:
        return 0
    pre_items, post_items = list(pre.items.order_by("order")), list(post.items.order_by("order"))
    pre_rows = [
        ResponseInput(
            e.employee_id,
            e.employee_id,
            _test_answers(pre, pre_items, _sigmoid(ability[e.employee_id] - 0.4), rng),
            _at(batch.start_date, 8),
        )
        for e in group
    ]
    do_submit_responses(pre, entries=pre_rows, actor=admin)
    takers = [e for e in group if rng.random() < 0.96]  # a few miss the post-test
    post_rows = [
        ResponseInput(
            e.employee_id,
            e.employee_id,
            _test_answers(
                post, post_items, _sigmoid(ability[e.employee_id] + 1.1 + rng.gauss(0, 0.3)), rng
            ),
            _at(batch.end_date, 14),
        )
        for e in takers
    ]
    do_submit_responses(post, entries=post_rows, actor=admin)
    return len(pre_rows) + len(post_rows)


def _reaction(by_key, batch, group, rng, admin, steady=frozenset()) -> int:
    inst = by_key.get((InstrumentKind.REACTION, ""))
    if inst is None:
        return 0
    items = list(inst.items.order_by("order"))
    trainer_ids = list(batch.trainers.values_list("pk", flat=True))
    trainer_mood = {t: rng.uniform(-0.5, 0.5) for t in trainer_ids}
    rows = []
    for e in group:
        if rng.random() > 0.92 and e.employee_id not in steady:  # non-response
            continue
        mood = rng.gauss(0, 0.5)
        answers: dict[str, object] = {}
        for item in items:
            if item.kind == ItemKind.OPEN:
                if rng.random() < 0.3:
                    answers[str(item.pk)] = rng.choice(COMMENTS)
                continue
            keys = (
                [(f"{item.pk}:{t}", trainer_mood[t]) for t in trainer_ids]
                if item.section == Section.TRAINER
                else [(str(item.pk), 0.0)]
            )
            for key, bias in keys:
                answers[key] = max(1, min(5, round(4.2 + mood + bias + rng.gauss(0, 0.5))))
        rows.append(ResponseInput(e.employee_id, e.employee_id, answers, _at(batch.end_date, 15)))
    do_submit_responses(inst, entries=rows, actor=admin)
    return len(rows)


def _simulation(programme, batch, group, ability, rng, admin) -> None:
    module = programme.modules.filter(kind=ModuleKind.SIMULASI).first()
    if module is None:
        return
    criteria = list(
        RubricCriterion.objects.filter(rubric__scenario__module=module).prefetch_related("levels")
    )
    if not criteria:
        return
    observers = [
        *[
            u
            for u in User.objects.filter(employee__trainer_roles__batches=batch)
            .distinct()
            .order_by("pk")
            if may_observe(u, batch)
        ][:1],
        admin,
    ]
    for observer in observers:
        leniency = rng.uniform(-0.3, 0.3)
        scores = {}
        for e in group:
            by_c = {}
            for c in criteria:
                levels = sorted(lv.score for lv in c.levels.all())
                raw = (len(levels) - 1) * _sigmoid(
                    ability[e.employee_id] + 0.8 + leniency + rng.gauss(0, 0.4)
                )
                by_c[c.pk] = levels[max(0, min(len(levels) - 1, round(raw)))]
            scores[e.employee_id] = by_c
        do_score_simulations(
            module, batch=batch, observer=observer, scores=scores, now=_at(batch.end_date, 11)
        )


def _behaviour(by_key, batch, group, ability, rng, admin, today) -> int:
    count = 0
    subjects = [e.employee_id for e in group]
    gain = {s: 0.5 + 0.25 * ability[s] + rng.gauss(0, 0.3) for s in subjects}
    base = {s: 2.9 + 0.3 * ability[s] for s in subjects}
    for phase, when, lift, rates in (
        (
            Phase.BEFORE,
            batch.start_date - timedelta(days=5),
            0.0,
            {RaterRole.ATASAN: 0.85, RaterRole.SELF: 0.93},
        ),
        (
            Phase.AFTER_3,
            add_months(batch.end_date, 3),
            1.0,
            {RaterRole.ATASAN: 0.7, RaterRole.SELF: 0.8},
        ),
    ):
        inst = by_key.get((InstrumentKind.BEHAVIOUR, phase))
        if inst is None or when > today:
            continue
        items = list(inst.items.order_by("order"))
        for role, rate in rates.items():
            follow_ups = FollowUp.objects.filter(
                instrument=inst, subject_id__in=subjects, rater_role=role
            )
            rows = []
            for f in follow_ups.order_by("subject_id"):
                if rng.random() > rate:
                    continue  # missing is missing
                optimism = 0.35 if role == RaterRole.SELF else 0.0
                answers: dict[str, object] = {}
                for item in items:
                    if item.kind == ItemKind.LIKERT:
                        v = (
                            base[f.subject_id]
                            + optimism
                            + lift * gain[f.subject_id]
                            + rng.gauss(0, 0.45)
                        )
                        answers[str(item.pk)] = max(1, min(5, round(v)))
                    elif item.kind == ItemKind.PERCENT and role == RaterRole.SELF:
                        answers[str(item.pk)] = (
                            rng.choice([40, 50, 60, 70, 80])
                            if item.roi_role == "atribusi"
                            else rng.choice([60, 70, 80, 90])
                        )
                rows.append(ResponseInput(f.subject_id, f.rater_id, answers, _at(when, 10)))
            do_submit_responses(inst, entries=rows, actor=admin)
            count += len(rows)
    return count


def _benefits(programme: Programme, n_participants: int, admin: User):
    """Each programme's first-year benefits (:func:`_benefit_inputs`); returns the one that
    takes per-participant estimates (PP-01's), if any."""
    estimated = None
    for data in _benefit_inputs(programme.code, n_participants):
        benefit = do_add_benefit(programme, data=data, actor=admin)
        if data.isolation == Isolation.ESTIMATE and data.hours_per_year is None:
            estimated = benefit
    return estimated


def _monetary(
    name: str,
    note: str,
    isolation: Isolation,
    hours_per_year: int | None = None,
    golongan_group: str = "",
    outcome: str = "",
) -> BenefitInput:
    """A monetary benefit: valued from hours saved a year at a golongan group's hourly cost, or
    (without hours) from the participants' own estimates."""
    return BenefitInput(
        kind="moneter",
        name=name,
        hours_per_year=None if hours_per_year is None else str(hours_per_year),
        golongan_group=golongan_group,
        isolation=isolation,
        note=note,
        isolation_outcome=outcome,
    )


def _benefit_inputs(code: str, n: int) -> list[BenefitInput]:
    """PP-01: hours saved on complaints (trend) and at the counter (comparison), a benefit valued
    by the participants' estimates, and an intangible one; IZN-01: verification hours saved (IKM
    trend) and an intangible one; every other programme: rework saved (participants'
    attribution) and teamwork."""
    if code == "PP-01":
        return [
            _monetary(
                "Jam kerja penanganan pengaduan yang dihemat",
                "Perkiraan demo: 2,5 jam per bulan per petugas terlatih (pengaduan selesai lebih cepat, lebih sedikit dibuka kembali); bagian karena pelatihan dari garis tren ketepatan waktu pengaduan.",
                Isolation.TREND,
                n * 30,
                "III",
                IsolationOutcome.COMPLAINTS,
            ),
            _monetary(
                "Layanan loket yang tidak perlu diulang",
                "Perkiraan demo: 1 jam per bulan per petugas terlatih; bagian karena pelatihan dari DiD IKM terhadap unit pembanding.",
                Isolation.COMPARISON,
                n * 12,
                "II",
                IsolationOutcome.IKM,
            ),
            _monetary(
                "Berkas pengaduan yang tidak perlu dikerjakan ulang",
                "Estimasi peserta: nilai perbaikan setahun × bagian karena pelatihan × keyakinan.",
                Isolation.ESTIMATE,
            ),
            BenefitInput(kind="intangible", name="Warga merasa lebih dihargai di loket"),
        ]
    if code == "IZN-01":
        return [
            _monetary(
                "Waktu verifikasi izin yang dihemat",
                "Perkiraan demo: 1,5 jam per bulan per peserta; bagian karena pelatihan dari garis tren IKM unit yang dilatih.",
                Isolation.TREND,
                n * 18,
                "III",
                IsolationOutcome.IKM,
            ),
            BenefitInput(kind="intangible", name="Pelaku usaha lebih percaya pada proses izin"),
        ]
    return [
        _monetary(
            "Pekerjaan ulang yang berkurang",
            "Perkiraan demo: 1 jam per bulan per peserta; bagian karena pelatihan dari atribusi × keyakinan peserta pada kuesioner 3 bulan.",
            Isolation.ESTIMATE,
            n * 12,
            "III",
        ),
        BenefitInput(kind="intangible", name="Kerja sama tim yang lebih baik"),
    ]


def _estimates(benefit, enrolments, rng, admin) -> None:
    """About a third of the participants give a Phillips estimate of their own improvement."""
    for e in enrolments:
        if rng.random() > 0.35:
            continue
        do_add_participant_estimate(
            benefit,
            employee=e.employee,
            annual_value=str(rng.choice([1_500_000, 2_000_000, 3_000_000, 4_000_000, 6_000_000])),
            attribution=str(rng.choice([40, 50, 60, 70, 80])),
            confidence=str(rng.choice([60, 70, 80, 90])),
            basis="Berkas yang dikembalikan warga berkurang (data demo)",
            actor=admin,
        )
