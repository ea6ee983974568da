"""Demo step: duty calendars, staffing rules, a planned year of participation.

Deterministic (seeded). The first half of 2026 is invited by hand, ignoring duties: the counter
units (Disdukcapil, MPP, puskesmas, RSUD, Disdik) decline a lot for workload — the participation
problem. From July the batches are planned with the CP-SAT planner around duty calendars and
staffing rules, and declines drop. Then attendance, completions, JP, points, external
certificates, co-design points and the yearly "ASN Pembelajar" badges.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import formatting
from kompeten.learning.models import Batch, Programme
from kompeten.participation.actions.attendance import (
    RollCallRow,
    do_record_posttest_done,
    do_record_roll_call,
)
from kompeten.participation.actions.enrolment import do_accept, do_decline, do_invite
from kompeten.participation.actions.incentives import do_award_badges, do_recompute_codesign_points
from kompeten.participation.actions.jp import (
    ExternalInput,
    do_review_external_certificate,
    do_submit_external_certificate,
)
from kompeten.participation.models import Enrolment, EnrolmentStatus
from kompeten.people.models import Employee
from kompeten.scheduling.actions.duties import DutyInput, do_create_duty, do_set_work_pattern
from kompeten.scheduling.actions.planning import do_apply_plan, do_start_plan_run
from kompeten.scheduling.actions.rules import RuleInput, do_create_peak, do_create_staffing_rule
from kompeten.scheduling.needs import programme_needs
from kompeten.standards.local_time import JAKARTA

if TYPE_CHECKING:
    from kompeten.core.models import User
    from kompeten.demo.build import DemoContext

SEED = 20260404
YEAR = 2026
FLEXIBLE_FROM = date(2026, 7, 1)
# OPD whose staff serve the public at a counter or a ward: manual invitations clashed with duty
COUNTER_OPD = {"DUKCAPIL", "DPMPTSP", "DINKES", "DISDIK"}
# OPD whose staff wait for the next cycle: the hospital trains its staff through its own
# accreditation programme this year and Kecamatan Barangin's turn comes in 2027, so their units
# are the comparison (untrained) units of the year's reports; their needs stay open for 2027
NEXT_CYCLE_OPD = {"RSUD", "KEC-BARANGIN"}
INVITES_PER_BATCH = 24
PDF = b"%PDF-1.4\n% sertifikat contoh (data sintetis)\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=JAKARTA)


def step_participation(ctx: DemoContext) -> None:
    rng = random.Random(SEED)
    admin = ctx.users["admin"]
    _rules_and_duties(ctx, admin, rng)
    batches = list(
        Batch.objects.filter(programme__instansi=ctx.instansi)
        .select_related("programme")
        .order_by("start_date", "pk")
    )
    opd_of = _opd_codes(ctx)
    manual = [b for b in batches if b.start_date < FLEXIBLE_FROM]
    planned = [b for b in batches if b.start_date >= FLEXIBLE_FROM]
    n_manual = _manual_half(ctx, admin, manual, opd_of, rng)
    n_planned, run = _planned_half(ctx, admin, planned, opd_of, rng)
    n_ext = _external_certificates(ctx, admin, rng)
    do_recompute_codesign_points(instansi=ctx.instansi, year=YEAR)
    badges = do_award_badges(instansi=ctx.instansi, year=YEAR, actor=admin)
    completed = Enrolment.objects.filter(instansi=ctx.instansi, completed_at__isnull=False).count()
    with ctx.in_reader_language():
        ctx.say(
            gettext(
                "undangan manual (Jan–Jun): {manual}, undangan dari perencana: {planned} "
                "(objektif {objective}, batas {bound}), selesai: {completed}, "
                "sertifikat eksternal: {external}, lencana ASN Pembelajar: {badges}"
            ).format(
                manual=formatting.number(n_manual, 0),
                planned=formatting.number(n_planned, 0),
                objective=formatting.number(run.objective, 0),
                bound=formatting.number(run.bound, 0),
                completed=formatting.number(completed, 0),
                external=formatting.number(n_ext, 0),
                badges=formatting.number(len(badges), 0),
            )
        )


def _opd_codes(ctx: DemoContext) -> dict[int, str]:
    """unit id → code of its OPD (depth-1 ancestor)."""
    units = {u.pk: u for u, _spec in ctx.units.values()}
    out = {}
    for unit in units.values():
        top = unit
        while top.depth > 1 and top.parent_id in units:
            top = units[top.parent_id]
        out[unit.pk] = top.code
    return out


def _rules_and_duties(ctx: DemoContext, admin, rng: random.Random) -> None:
    _staffing_rules_and_peaks(ctx, admin)
    _counter_shifts(ctx, admin)
    _absences(ctx, admin, rng)
    _clinic_hours(admin)


def _staffing_rules_and_peaks(ctx: DemoContext, admin: User) -> None:
    """Minimum staffing of four front-line services, and two peak weeks."""
    weekdays = "01234"
    rules = [
        (
            "DUKCAPIL",
            "Layanan tatap muka Disdukcapil (loket buka)",
            weekdays,
            time(8),
            time(12),
            34,
        ),
        ("MPP", "Loket Mal Pelayanan Publik", weekdays, time(8), time(15), 14),
        ("PKM-BRG", "Pelayanan poli Puskesmas Barangin", "012345", time(7, 30), time(12), 30),
        ("PKM-TLW", "Pelayanan poli Puskesmas Talawi", "012345", time(7, 30), time(12), 28),
    ]
    for code, label, days, start, end, minimum in rules:
        do_create_staffing_rule(
            unit=ctx.unit(code),
            data=RuleInput(
                label=label, weekdays=days, start_time=start, end_time=end, min_present=minimum
            ),
            actor=admin,
        )
    do_create_peak(
        instansi_id=ctx.instansi.pk,
        unit=ctx.unit("DISDIK"),
        label="Minggu pertama tahun ajaran baru",
        start_date=date(2026, 7, 13),
        end_date=date(2026, 7, 17),
        penalty=20,
        actor=admin,
    )
    do_create_peak(
        instansi_id=ctx.instansi.pk,
        unit=None,
        label="Penyusunan APBD Perubahan",
        start_date=date(2026, 9, 21),
        end_date=date(2026, 9, 25),
        penalty=3,
        actor=admin,
    )


def _counter_shifts(ctx: DemoContext, admin: User) -> None:
    pengelola = ctx.users.get("pengelola", admin)
    dukcapil = list(
        Employee.objects.filter(unit=ctx.unit("DUKCAPIL"), is_active=True).order_by("nip")
    )
    # ten counter officers on weekly morning shifts (one weekday each, two per day)
    for i, employee in enumerate(dukcapil[:10]):
        first = date(2026, 1, 5) + timedelta(days=i % 5)
        do_create_duty(
            employee=employee,
            data=DutyInput(
                kind="shift",
                start=_at(first, 7, 30),
                end=_at(first, 12, 30),
                repeat_until=date(2026, 12, 31),
                note="Jaga loket perekaman KTP-el",
            ),
            actor=pengelola,
        )


def _absences(ctx: DemoContext, admin: User, rng: random.Random) -> None:
    """Leave, official travel and other duties for 60 front-line employees."""
    people = list(
        Employee.objects.filter(
            instansi=ctx.instansi,
            is_active=True,
            unit__code__in=["DUKCAPIL", "MPP", "PKM-BRG", "PKM-TLW", "DISDIK", "RSUD"],
        ).order_by("nip")
    )
    for employee in rng.sample(people, 60):
        kind = rng.choice(["cuti", "cuti", "dinas_luar", "lainnya"])
        first_day = date(2026, 1, 5) + timedelta(days=rng.randrange(0, 340))
        length = rng.choice([1, 2, 3, 5])
        do_create_duty(
            employee=employee,
            data=DutyInput(
                kind=kind,
                start=_at(first_day, 0),
                end=_at(first_day + timedelta(days=length), 0),
                note={
                    "cuti": "Cuti tahunan",
                    "dinas_luar": "Perjalanan dinas ke Padang",
                    "lainnya": "Tugas piket",
                }[kind],
            ),
            actor=admin,
        )


def _clinic_hours(admin: User) -> None:
    """The puskesmas' clinic staff work Monday to Saturday, 07:30–14:00."""
    for employee in Employee.objects.filter(
        unit__code__in=["PKM-BRG", "PKM-TLW"], is_active=True
    ).order_by("nip")[:12]:
        do_set_work_pattern(
            employee=employee,
            weekdays="012345",
            start_time=time(7, 30),
            end_time=time(14),
            note="Jadwal poli",
            actor=admin,
        )


def _this_cycle(
    needs: dict[int, dict[int, int]], unit_of: dict[int, int], opd_of: dict[int, str]
) -> dict[int, dict[int, int]]:
    """The needs of the employees invited this year (not those of NEXT_CYCLE_OPD)."""
    return {emp: p for emp, p in needs.items() if opd_of[unit_of[emp]] not in NEXT_CYCLE_OPD}


def _invitees(
    programme: Programme,
    needs: dict[int, dict[int, int]],
    taken: set[tuple[int, int]],
    limit: int,
    rng: random.Random,
) -> list[int]:
    pool = [
        (p[programme.pk], emp)
        for emp, p in needs.items()
        if programme.pk in p and (emp, programme.pk) not in taken
    ]
    rng.shuffle(pool)
    pool.sort(key=lambda item: -item[0])
    return [emp for _prio, emp in pool[:limit]]


def _respond(
    ctx, enrolment: Enrolment, opd: str, flexible: bool, rng: random.Random, when: datetime
) -> Enrolment:
    if flexible:
        decline = rng.random() < 0.07
        reasons = ["pribadi", "tidak_relevan", "beban_kerja", "lainnya"]
        weights = [5, 3, 1, 1]
    elif opd in COUNTER_OPD:
        decline = rng.random() < 0.45
        reasons = ["beban_kerja", "bentrok_tugas", "pribadi", "tidak_relevan"]
        weights = [6, 4, 1, 1]
    else:
        decline = rng.random() < 0.12
        reasons = ["beban_kerja", "pribadi", "tidak_relevan", "bentrok_tugas", "lainnya"]
        weights = [3, 3, 2, 1, 1]
    if decline:
        reason = rng.choices(reasons, weights)[0]
        note = "Sedang mengikuti kegiatan keluarga." if reason == "lainnya" else ""
        return do_decline(
            enrolment=enrolment, reason=reason, note=note, actor=None, now=when, notify=False
        )
    return do_accept(enrolment=enrolment, actor=None, now=when)


def _deliver(
    batch: Batch,
    accepted: list[Enrolment],
    flexible: bool,
    rng: random.Random,
    admin,
    steady: frozenset[int] = frozenset(),
) -> None:
    """Attendance and post-tests of a finished batch; ``steady`` employees miss nothing."""
    now = timezone.now()
    sessions = list(batch.sessions.order_by("start"))
    if not sessions or sessions[-1].end > now:
        return
    show = 0.95 if flexible else 0.86
    attended: dict[int, list[RollCallRow]] = {s.pk: [] for s in sessions}
    for enrolment in accepted:
        for session in sessions:
            if rng.random() > show and enrolment.employee_id not in steady:
                continue
            length = int((session.end - session.start).total_seconds() // 60)
            late = rng.choice([5, 10, 15, 25, 40]) if rng.random() < 0.1 else 0
            early = rng.choice([10, 20, 30]) if rng.random() < 0.05 else 0
            if late + early >= length:
                late = early = 0
            attended[session.pk].append(RollCallRow(enrolment, True, late, early))
    for session in sessions:
        do_record_roll_call(session=session, rows=attended[session.pk], actor=admin, evaluate=False)
    for enrolment in accepted:
        if rng.random() < 0.94 or enrolment.employee_id in steady:
            do_record_posttest_done(enrolment=enrolment, when=sessions[-1].end + timedelta(hours=1))


def _manual_half(
    ctx, admin, batches: list[Batch], opd_of: dict[int, str], rng: random.Random
) -> int:
    programmes = sorted({b.programme for b in batches}, key=lambda p: p.code)
    unit_of = dict(Employee.objects.filter(instansi=ctx.instansi).values_list("pk", "unit_id"))
    needs = _this_cycle(programme_needs(programmes, YEAR), unit_of, opd_of)
    pegawai = demo_pegawai_candidate(ctx)
    ctx.extra["demo_pegawai"] = pegawai
    employees = Employee.objects.in_bulk([*needs, *([pegawai] if pegawai else [])])
    taken: set[tuple[int, int]] = set()
    count = 0
    for batch in batches:
        invited_at = _at(batch.start_date - timedelta(days=21), 9)
        accepted = []
        invitees = _invitees(batch.programme, needs, taken, INVITES_PER_BATCH, rng)
        if (
            pegawai
            and batch.programme.code == "PP-01"
            and (pegawai, batch.programme_id) not in taken
        ):
            # the demo Pegawai's Kepala Seksi sends them to the first complaint-handling batch
            invitees = [pegawai, *[e for e in invitees if e != pegawai]][:INVITES_PER_BATCH]
        for emp_id in invitees:
            try:
                enrolment = do_invite(
                    batch=batch,
                    employee=employees[emp_id],
                    actor=admin,
                    now=invited_at,
                    notify=False,
                )
            except ValidationError:
                continue
            taken.add((emp_id, batch.programme_id))
            count += 1
            when = invited_at + timedelta(days=rng.randrange(1, 6))
            if emp_id == pegawai:
                answer = do_accept(enrolment=enrolment, actor=None, now=when)
            else:
                answer = _respond(ctx, enrolment, opd_of[unit_of[emp_id]], False, rng, when)
            if answer.status == EnrolmentStatus.ACCEPTED:
                accepted.append(answer)
        _deliver(batch, accepted, False, rng, admin, frozenset([pegawai] if pegawai else []))
    return count


def demo_pegawai_candidate(ctx: DemoContext) -> int | None:
    """The employee the demo shows as its Pegawai: the first Disdukcapil pelaksana (II/c–III/b)
    under a Kepala Seksi with certificates of earlier years (the history step ran first)."""
    return (
        Employee.objects.filter(
            instansi=ctx.instansi,
            unit__code="DUKCAPIL",
            jabatan_kind="pelaksana",
            status="PNS",
            golongan__in=["II/c", "II/d", "III/a", "III/b"],
            supervisor__jabatan_name__startswith="Kepala Seksi",
            external_certificates__end_date__year__lt=YEAR,
        )
        .order_by("nip")
        .values_list("pk", flat=True)
        .first()
    )


def _planned_half(ctx, admin, batches: list[Batch], opd_of: dict[int, str], rng: random.Random):
    programmes = sorted({b.programme for b in batches}, key=lambda p: p.code)
    unit_of = dict(Employee.objects.filter(instansi=ctx.instansi).values_list("pk", "unit_id"))
    full = _this_cycle(programme_needs(programmes, YEAR), unit_of, opd_of)
    # a shortlist: the three most-needing candidates per seat, per programme
    seats: dict[int, int] = defaultdict(int)
    for b in batches:
        seats[b.programme_id] += b.capacity
    shortlist: dict[int, dict[int, int]] = defaultdict(dict)
    had = set(
        Enrolment.objects.filter(batch__programme__in=programmes)
        .exclude(status=EnrolmentStatus.CANCELLED)
        .values_list("employee_id", "batch__programme_id")
    )
    for programme in programmes:
        for emp_id in _invitees(programme, full, had, 2 * seats[programme.pk], rng):
            shortlist[emp_id][programme.pk] = full[emp_id][programme.pk]
    run = do_start_plan_run(
        instansi_id=ctx.instansi.pk,
        batch_ids=[b.pk for b in batches],
        actor=admin,
        title="Jadwal fleksibel semester II 2026",
        time_limit=60,  # a bound only: the work limit ends the search, the same on every build
        work_limit=3,
        run_now=True,
        include_closed=True,
        needs=dict(shortlist),
    )
    invited_at = _at(FLEXIBLE_FROM - timedelta(days=14), 9)
    today = timezone.now()
    do_apply_plan(run=run, actor=admin, notify=False, now=invited_at)
    count = 0
    for batch in batches:
        accepted = []
        enrolments = list(
            Enrolment.objects.filter(batch=batch, status=EnrolmentStatus.INVITED).order_by("pk")
        )
        count += len(enrolments)
        upcoming = batch.sessions.order_by("start").first()
        for enrolment in enrolments:
            if upcoming is not None and upcoming.start > today and rng.random() < 0.4:
                continue  # not answered yet: the reminder job will nudge them
            when = min(today, invited_at + timedelta(days=rng.randrange(1, 6)))
            answer = _respond(
                ctx, enrolment, opd_of[unit_of[enrolment.employee_id]], True, rng, when
            )
            if answer.status == EnrolmentStatus.ACCEPTED:
                accepted.append(answer)
        _deliver(batch, accepted, True, rng, admin)
    return count, run


def _external_certificates(ctx, admin, rng: random.Random) -> int:
    people = list(
        Employee.objects.filter(instansi=ctx.instansi, is_active=True, status="PNS").order_by("nip")
    )
    chosen = rng.sample(people, 40)
    done = 0
    for k, employee in enumerate(chosen):
        form, amount, unit, title = rng.choice(
            [
                ("e_learning", Decimal(540), "minute", "E-learning Literasi Digital ASN (LAN)"),
                ("seminar", Decimal(1), "day", "Seminar Nasional Reformasi Birokrasi"),
                ("workshop", Decimal(2), "day", "Workshop SAKIP Provinsi"),
                ("e_learning", Decimal(6), "hour", "Kursus daring Manajemen ASN"),
            ]
        )
        end = date(2026, 1, 20) + timedelta(days=rng.randrange(0, 280))
        start = end - timedelta(days=1) if unit == "day" and amount > 1 else end
        cert = do_submit_external_certificate(
            employee=employee,
            data=ExternalInput(
                title=title,
                organiser="Penyelenggara eksternal (fiktif)",
                form=form,
                start_date=start,
                end_date=end,
                amount=amount,
                unit=unit,
            ),
            file=SimpleUploadedFile(f"sertifikat-{k}.pdf", PDF, content_type="application/pdf"),
            actor=None,
        )
        if k % 8 != 0:  # a few still wait for the pengelola
            do_review_external_certificate(certificate=cert, approve=True, actor=admin)
            done += 1
    return done
