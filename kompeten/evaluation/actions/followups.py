"""Follow-up invitations: who must answer what, when; capped reminders; escalation.

Invitations (``FollowUp`` rows) are created per accepted participant when a batch is scheduled
for evaluation: the reaction questionnaire and post-test at the end of the batch, the pre-test at
its start, behaviour ratings by the participant and the atasan one week before, 3 and 6 months
after the end. :func:`do_process_follow_ups` (a periodic task) sends what is due, reminds at most
:data:`MAX_REMINDERS` times :data:`REMINDER_GAP` apart, then escalates to the rater's own atasan.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.evaluation.models import (
    FollowUp,
    Instrument,
    InstrumentKind,
    InstrumentStatus,
    Phase,
    RaterRole,
)
from kompeten.learning.models import Batch
from kompeten.participation.actions.notify import notify_employee
from kompeten.participation.models import Enrolment, EnrolmentStatus
from kompeten.standards.local_time import JAKARTA

MAX_REMINDERS = 3
REMINDER_GAP = timedelta(days=2)


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_moment(batch: Batch, kind: str, phase: str) -> datetime:
    """When the invitation for an instrument of ``kind``/``phase`` becomes due for ``batch``."""
    if kind == InstrumentKind.PRETEST:
        day, hour = batch.start_date, 7
    elif kind == InstrumentKind.BEHAVIOUR and phase == Phase.BEFORE:
        day, hour = batch.start_date - timedelta(days=7), 8
    elif kind == InstrumentKind.BEHAVIOUR and phase == Phase.AFTER_3:
        day, hour = add_months(batch.end_date, 3), 8
    elif kind == InstrumentKind.BEHAVIOUR and phase == Phase.AFTER_6:
        day, hour = add_months(batch.end_date, 6), 8
    else:  # reaction and post-test: at the end of the last session day
        day, hour = batch.end_date, 15
    return datetime.combine(day, time(hour), tzinfo=JAKARTA)


def current_instruments(programme_id: int) -> dict[tuple[str, str], Instrument]:
    """The newest non-draft (else newest) version per (kind, phase) of a programme."""
    out: dict[tuple[str, str], Instrument] = {}
    for inst in Instrument.objects.filter(programme_id=programme_id).order_by("version"):
        key = (inst.kind, inst.phase)
        prev = out.get(key)
        if (
            prev is None
            or inst.status != InstrumentStatus.DRAFT
            or prev.status == InstrumentStatus.DRAFT
        ):
            out[key] = inst
    return out


@transaction.atomic
def do_schedule_follow_ups(batch: Batch, *, actor: User | None = None) -> int:
    """Create the invitations of every accepted participant of ``batch`` (idempotent)."""
    instruments = current_instruments(batch.programme_id)
    enrolments = list(
        Enrolment.objects.filter(batch=batch, status=EnrolmentStatus.ACCEPTED).select_related(
            "employee"
        )
    )
    existing = set(
        FollowUp.objects.filter(
            instrument__programme_id=batch.programme_id,
            subject_id__in=[e.employee_id for e in enrolments],
        ).values_list("instrument__kind", "instrument__phase", "subject_id", "rater_role")
    )
    rows: list[FollowUp] = []
    for (kind, phase), inst in instruments.items():
        due = due_moment(batch, kind, phase)
        for e in enrolments:
            raters = [(RaterRole.SELF, e.employee_id)]
            if kind == InstrumentKind.BEHAVIOUR and e.employee.supervisor_id is not None:
                raters.append((RaterRole.ATASAN, e.employee.supervisor_id))
            for role, rater_id in raters:
                if (kind, phase, e.employee_id, role) in existing:
                    continue
                rows.append(
                    FollowUp(
                        instrument=inst,
                        batch=batch,
                        subject_id=e.employee_id,
                        rater_id=rater_id,
                        rater_role=role,
                        due_at=due,
                    )
                )
    FollowUp.objects.bulk_create(rows, batch_size=2000)
    if rows:
        audit.record(
            actor=actor,
            action="evaluation.follow_ups_scheduled",
            obj=batch,
            summary=f"{len(rows)} undangan",
            instansi=batch.programme.instansi,
        )
    return len(rows)


@dataclass(frozen=True)
class FollowUpRun:
    sent: int
    reminded: int
    escalated: int


def _message(f: FollowUp) -> tuple[str, str]:
    inst = f.instrument
    if f.rater_role == RaterRole.ATASAN:
        return (
            f"Mohon nilai perilaku {f.subject.name}",
            f"{inst.title}. Penilaian Anda sebagai atasan langsung diperlukan.",
        )
    return (f"Mohon isi: {inst.title}", "Isian Anda membantu menilai dan memperbaiki pelatihan.")


def do_process_follow_ups(*, now: datetime | None = None) -> FollowUpRun:
    """Send due invitations, remind (≤ 3, two days apart), escalate after the last reminder."""
    now = now or timezone.now()
    open_q = Q(response__isnull=True, instrument__status=InstrumentStatus.OPEN)
    sent = reminded = escalated = 0
    with transaction.atomic():
        due = list(
            FollowUp.objects.filter(open_q, sent_at__isnull=True, due_at__lte=now)
            .select_related("instrument", "subject", "rater")
            .select_for_update(of=("self",))
        )
        for f in due:
            title, body = _message(f)
            notify_employee(
                f.rater,
                title=title,
                body=body,
                url=reverse("evaluation:answer", args=[f.pk]),
                key=f"eval-{f.pk}-0",
            )
            f.sent_at = now
            sent += 1
        FollowUp.objects.bulk_update(due, ["sent_at"])
    with transaction.atomic():
        waiting = list(
            FollowUp.objects.filter(
                open_q,
                sent_at__isnull=False,
                reminders_sent__lt=MAX_REMINDERS,
            )
            .filter(
                Q(last_reminded_at__lte=now - REMINDER_GAP)
                | Q(last_reminded_at__isnull=True, sent_at__lte=now - REMINDER_GAP)
            )
            .select_related("instrument", "subject", "rater")
            .select_for_update(of=("self",))
        )
        for f in waiting:
            f.reminders_sent += 1
            f.last_reminded_at = now
            title, body = _message(f)
            notify_employee(
                f.rater,
                title=f"Pengingat {f.reminders_sent}: {title}",
                body=body,
                url=reverse("evaluation:answer", args=[f.pk]),
                key=f"eval-{f.pk}-{f.reminders_sent}",
            )
            reminded += 1
        FollowUp.objects.bulk_update(waiting, ["reminders_sent", "last_reminded_at"])
    with transaction.atomic():
        late = list(
            FollowUp.objects.filter(
                open_q,
                reminders_sent__gte=MAX_REMINDERS,
                escalated_at__isnull=True,
                last_reminded_at__lte=now - REMINDER_GAP,
            )
            .select_related("instrument", "subject", "rater", "rater__supervisor")
            .select_for_update(of=("self",))
        )
        for f in late:
            boss = f.rater.supervisor
            f.escalated_at = now
            if boss is not None:
                f.escalated_to = boss
                notify_employee(
                    boss,
                    title=f"Belum diisi: {f.instrument.title}",
                    body=(
                        f"{f.rater.name} belum mengisi {f.instrument.title} untuk {f.subject.name} "
                        f"setelah {MAX_REMINDERS} pengingat. Mohon bantu mengingatkan."
                    ),
                    key=f"eval-{f.pk}-eskalasi",
                )
            escalated += 1
        FollowUp.objects.bulk_update(late, ["escalated_at", "escalated_to"])
    return FollowUpRun(sent=sent, reminded=reminded, escalated=escalated)
