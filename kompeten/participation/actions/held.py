"""Training that has already happened: participants enrolled after the fact, per-day attendance.

A BKPSDM often records a training once it is over, from the panitia's attendance list. Nobody is
invited (there is nothing left to accept or decline), no reminder goes out: the participants are
enrolled as having taken part (status `diterima`, source `terlaksana`), each day's mark (hadir,
sakit, izin, alpa) is recorded on that day's sessions, and completion is evaluated with the
programme's own rule, as for a batch run live.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.learning.actions.batches import do_ensure_day_sessions
from kompeten.learning.models import Batch, BatchStatus, Session
from kompeten.participation.actions.attendance import (
    attendance_share,
    do_evaluate_completion,
    rule_for,
    save_marks,
)
from kompeten.participation.actions.enrolment import (
    facilitator_refusal,
    live_elsewhere,
    trainer_employee_ids,
)
from kompeten.participation.models import (
    Attendance,
    AttendanceMark,
    AttendanceMethod,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
)
from kompeten.people.models import Employee


def is_held(batch: Batch, today: date | None = None) -> bool:
    """A batch that has started by today: its participants are recorded, not invited."""
    return batch.start_date <= (today or timezone.localdate())


def _held_moment(batch: Batch) -> datetime:
    return datetime.combine(batch.start_date, time(8, 0), tzinfo=timezone.get_current_timezone())


def _who(employee: Employee) -> str:
    return f"{employee.name} ({employee.nip})"


def held_refusals(batch: Batch, employees: Sequence[Employee]) -> dict[int, str]:
    """Why each of these employees cannot be a participant of the held batch (employee id →
    Indonesian message); set-based, four queries whatever their number."""
    people = list(employees)
    ids = [e.pk for e in people]
    teaching = trainer_employee_ids(batch)
    completed_elsewhere = set(
        Enrolment.objects.filter(
            employee_id__in=ids,
            batch__programme_id=batch.programme_id,
            completed_at__isnull=False,
        )
        .exclude(batch=batch)
        .values_list("employee_id", flat=True)
    )
    live_batch = dict(
        live_elsewhere(batch, timezone.now())
        .filter(employee_id__in=ids)
        .values_list("employee_id", "batch__name")
    )
    refusals: dict[int, str] = {}
    for employee in people:
        if employee.instansi_id != batch.programme.instansi_id:
            refusals[employee.pk] = gettext("{who}: bukan pegawai instansi penyelenggara.").format(
                who=_who(employee)
            )
        elif not employee.is_active and (
            employee.end_date is None or employee.end_date < batch.start_date
        ):
            refusals[employee.pk] = gettext(
                "{who}: sudah tidak aktif sebelum pelatihan dimulai."
            ).format(who=_who(employee))
        elif employee.pk in teaching:
            refusals[employee.pk] = facilitator_refusal(employee)
        elif employee.pk in completed_elsewhere:
            refusals[employee.pk] = gettext(
                "{who}: sudah menyelesaikan program ini di angkatan lain."
            ).format(who=_who(employee))
        elif employee.pk in live_batch:
            refusals[employee.pk] = gettext(
                "{who}: masih terdaftar di {batch} untuk program yang sama; satu pegawai "
                "hanya boleh punya satu kepesertaan aktif per program."
            ).format(who=_who(employee), batch=live_batch[employee.pk])
    return refusals


@transaction.atomic
def do_enrol_held(
    batch: Batch, employees: Iterable[Employee], actor: User | None
) -> list[Enrolment]:
    """Enrol employees as participants of a training that has already happened.

    No invitation, no notification. All or nothing: every refused employee is named in one
    `ValidationError`. Enrolling someone who is already a participant of this batch changes
    nothing (an import may be run twice); an earlier invitation, refusal or cancellation in this
    batch becomes participation, since the attendance list shows the person took part.
    """
    people = list({e.pk: e for e in employees}.values())
    if batch.status == BatchStatus.CANCELLED:
        raise ValidationError(gettext("Angkatan ini dibatalkan; tidak dapat diberi peserta."))
    if not is_held(batch):
        raise ValidationError(
            gettext(
                "{batch} belum dimulai (mulai {start}); undang pesertanya lewat undangan, "
                "bukan sebagai pelatihan yang sudah terlaksana."
            ).format(batch=batch.name, start=batch.start_date.strftime("%d-%m-%Y"))
        )
    if not people:
        return []
    refusals = held_refusals(batch, people)
    if refusals:
        raise ValidationError([refusals[e.pk] for e in people if e.pk in refusals])
    ids = [e.pk for e in people]
    existing = {
        e.employee_id: e for e in Enrolment.objects.filter(batch=batch, employee_id__in=ids)
    }
    moment = _held_moment(batch)
    nips = {e.pk: e.nip for e in people}
    create = [
        Enrolment(
            instansi_id=employee.instansi_id,
            employee=employee,
            batch=batch,
            status=EnrolmentStatus.ACCEPTED,
            source=EnrolmentSource.HELD,
            invited_at=moment,
            responded_at=moment,
        )
        for employee in people
        if employee.pk not in existing
    ]
    Enrolment.objects.bulk_create(create)
    update = [e for e in existing.values() if e.status != EnrolmentStatus.ACCEPTED]
    for enrolment in update:
        enrolment.status = EnrolmentStatus.ACCEPTED
        enrolment.source = EnrolmentSource.HELD
        enrolment.responded_at = moment
        enrolment.decline_reason = ""
        enrolment.decline_note = ""
    Enrolment.objects.bulk_update(
        update, ["status", "source", "responded_at", "decline_reason", "decline_note"]
    )
    grown = _hold_everyone(batch)
    if create or update:
        audit.record(
            actor=actor,
            action="enrolment.held",
            obj=batch,
            summary=gettext("{n} peserta pelatihan terlaksana dicatat").format(
                n=len(create) + len(update)
            ),
            after={
                "nip": sorted(nips[e.employee_id] for e in [*create, *update]),
                **({"capacity": batch.capacity} if grown else {}),
            },
            instansi=batch.programme.instansi,
        )
    by_employee = {
        e.employee_id: e for e in Enrolment.objects.filter(batch=batch, employee_id__in=ids)
    }
    return [by_employee[e.pk] for e in people]


def _hold_everyone(batch: Batch) -> bool:
    """A batch's capacity is never below the participants who took part (the rule the batch
    editor keeps): a held training's list may name more people than the seats first planned.
    Whether the capacity grew."""
    taken = Enrolment.objects.filter(batch=batch, status=EnrolmentStatus.ACCEPTED).count()
    if taken <= batch.capacity:
        return False
    Batch.objects.filter(pk=batch.pk).update(capacity=taken)
    batch.capacity = taken
    return True


DayMarks = str | tuple[str, ...]
"""A day's marks on a held training's attendance list: one mark for the whole day (every session
of the day), or one mark per sitting of the day (pagi, siang …), in order: its sessions in order."""


@dataclass(frozen=True)
class DayAttendance:
    """What `do_record_day_attendance` wrote: per day, how many were present (at one sitting at
    least, on a day marked per sitting); per sitting of such a day (day, 0-based sitting), how
    many were present at it."""

    present_by_day: dict[date, int]
    written: int
    completed: int
    present_by_sitting: dict[tuple[date, int], int] = field(default_factory=dict)


def _marks_of(value: DayMarks) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _check_day_marks(
    batch: Batch, marks: Mapping[Employee, Mapping[date, DayMarks]]
) -> tuple[list[str], dict[date, int], dict[int, Enrolment]]:
    """The problems of the marks (an unknown mark, a day marked with different numbers of
    sittings, someone not an accepted participant), the days marked with their number of
    sittings (0: marked whole), and each participant's enrolment."""
    errors: list[str] = []
    days: dict[date, int] = {}
    for employee, row in marks.items():
        for day, value in row.items():
            sittings = 0 if isinstance(value, str) else len(value)
            if days.setdefault(day, sittings) != sittings:
                errors.append(
                    gettext("{who}, {day}: {n} sesi, sedangkan peserta lain {k} sesi.").format(
                        who=_who(employee), day=day.strftime("%d-%m-%Y"), n=sittings, k=days[day]
                    )
                )
            errors.extend(
                gettext(
                    "{who}, {day}: keterangan {mark!r} tidak dikenal (hadir, sakit, izin, alpa)."
                ).format(who=_who(employee), day=day.strftime("%d-%m-%Y"), mark=mark)
                for mark in _marks_of(value)
                if mark not in AttendanceMark.values
            )
    ids = [e.pk for e in marks]
    enrolments = {
        e.employee_id: e
        for e in Enrolment.objects.filter(
            batch=batch, employee_id__in=ids, status=EnrolmentStatus.ACCEPTED
        )
    }
    for employee in marks:
        if employee.pk not in enrolments:
            errors.append(gettext("{who}: bukan peserta angkatan ini.").format(who=_who(employee)))
    return errors, days, enrolments


def _sitting_mismatch(
    days: Mapping[date, int], sessions_by_day: Mapping[date, Sequence[Session]]
) -> list[str]:
    """A day marked per sitting must have one session per sitting, to pair them in order."""
    return [
        gettext(
            "Tanggal {day} punya {n} sesi, sedangkan daftar hadir menandai {k} sesi; "
            "kehadirannya tidak dapat dipasangkan per sesi."
        ).format(day=day.strftime("%d-%m-%Y"), n=len(sessions_by_day[day]), k=sittings)
        for day, sittings in sorted(days.items())
        if sittings and len(sessions_by_day[day]) != sittings
    ]


def _mark_change(
    record: Attendance | None,
    enrolment: Enrolment,
    session: Session,
    mark: str,
    actor: User | None,
) -> Attendance | None:
    """The record to create (``record`` None) or the changed ``record`` for one session's mark;
    None when the stored record already says it."""
    present = mark == AttendanceMark.HADIR
    if record is None:
        return Attendance(
            enrolment=enrolment,
            session=session,
            present=present,
            mark=mark,
            method=AttendanceMethod.MANUAL,
            checked_in_at=session.start if present else None,
            recorded_by=actor,
        )
    if (record.present, record.mark) == (present, mark):
        return None
    record.present = present
    record.mark = mark
    record.late_minutes = record.late_minutes if present else 0
    record.left_early_minutes = record.left_early_minutes if present else 0
    record.checked_in_at = (record.checked_in_at or session.start) if present else None
    record.recorded_by = actor
    return record


def _day_changes(
    marks: Mapping[Employee, Mapping[date, DayMarks]],
    enrolments: dict[int, Enrolment],
    sessions_by_day: Mapping[date, Sequence[Session]],
    actor: User | None,
) -> tuple[list[Attendance], list[Attendance], dict[date, int], dict[tuple[date, int], int]]:
    """Records to create, records to change (only where the mark differs), the number present
    per day and per sitting. A day's mark goes to each of its sessions; a day's marks per
    sitting to its sessions in order."""
    session_ids = [s.pk for sessions in sessions_by_day.values() for s in sessions]
    existing = {
        (a.enrolment_id, a.session_id): a
        for a in Attendance.objects.filter(
            session_id__in=session_ids, enrolment_id__in=[e.pk for e in enrolments.values()]
        )
    }
    create: list[Attendance] = []
    update: list[Attendance] = []
    present_by_day = dict.fromkeys(sorted(sessions_by_day), 0)
    present_by_sitting: dict[tuple[date, int], int] = {}
    for employee, row in marks.items():
        enrolment = enrolments[employee.pk]
        for day, value in row.items():
            sessions = sessions_by_day[day]
            present_by_day[day] += AttendanceMark.HADIR in _marks_of(value)
            if isinstance(value, str):
                pairs = [(session, value) for session in sessions]
            else:
                pairs = list(zip(sessions, value, strict=True))
                for number, mark in enumerate(value):
                    present = int(mark == AttendanceMark.HADIR)
                    present_by_sitting[day, number] = (
                        present_by_sitting.get((day, number), 0) + present
                    )
            for session, mark in pairs:
                record = existing.get((enrolment.pk, session.pk))
                change = _mark_change(record, enrolment, session, mark, actor)
                if change is not None:
                    (create if record is None else update).append(change)
    return create, update, present_by_day, present_by_sitting


@transaction.atomic
def do_record_day_attendance(
    batch: Batch,
    marks: Mapping[Employee, Mapping[date, DayMarks]],
    actor: User | None,
    *,
    now: datetime | None = None,
    evaluate: bool = True,
) -> DayAttendance:
    """Record the panitia's marks (hadir, sakit, izin, alpa) of a held training, per day or per
    sitting of a day (:data:`DayMarks`).

    A day's mark applies to every session of that day; a day marked per sitting pairs its marks
    with its sessions in order. A day without a session gets one, or one per sitting
    (`do_ensure_day_sessions`). Only `hadir` counts as present. Every participant must already be
    enrolled (`do_enrol_held`). All or nothing. Then completion is evaluated with the
    programme's rule (attendance share over the sessions and, where the rule asks for it, the
    post-test).
    """
    now = now or timezone.now()
    errors, days, enrolments = _check_day_marks(batch, marks)
    if errors:
        raise ValidationError(errors)
    sessions_by_day = do_ensure_day_sessions(
        batch, days=sorted(days), actor=actor, sittings={d: k for d, k in days.items() if k}
    )
    errors = _sitting_mismatch(days, sessions_by_day)
    if errors:
        raise ValidationError(errors)
    create, update, present_by_day, present_by_sitting = _day_changes(
        marks, enrolments, sessions_by_day, actor
    )
    save_marks(create, update)
    audit.record(
        actor=actor,
        action="attendance.held",
        obj=batch,
        summary=gettext("presensi {n} peserta, {days} hari").format(n=len(marks), days=len(days)),
        after={day.isoformat(): n for day, n in present_by_day.items()},
        instansi=batch.programme.instansi,
    )
    completed = (
        evaluate_batch_completion(batch, list(enrolments.values()), now=now) if evaluate else 0
    )
    return DayAttendance(
        present_by_day=present_by_day,
        written=len(create) + len(update),
        completed=completed,
        present_by_sitting=present_by_sitting,
    )


def evaluate_batch_completion(
    batch: Batch, enrolments: Sequence[Enrolment], *, now: datetime | None = None
) -> int:
    """Completion of many participants of one batch, set-based: the attendance share is stored
    for everyone; those who meet the programme's rule go through `do_evaluate_completion`
    (JP, points, certificate). Returns how many completed now."""
    now = now or timezone.now()
    sessions = list(Session.objects.filter(batch=batch).values_list("id", "start", "end"))
    present: dict[int, dict[int, tuple[int, int]]] = {}
    for enrolment_id, session_id, late, early in Attendance.objects.filter(
        enrolment__in=[e.pk for e in enrolments], session__batch=batch, present=True
    ).values_list("enrolment_id", "session_id", "late_minutes", "left_early_minutes"):
        present.setdefault(enrolment_id, {})[session_id] = (late, early)
    rule = rule_for(batch.programme_id)
    over = bool(sessions) and max(end for _i, _s, end in sessions) <= now
    stored: list[Enrolment] = []
    completing: list[Enrolment] = []
    for enrolment in enrolments:
        if enrolment.completed_at is not None or enrolment.status != EnrolmentStatus.ACCEPTED:
            continue
        pct, _full = attendance_share(sessions, present.get(enrolment.pk, {}))
        enrolment.attendance_pct = pct
        stored.append(enrolment)
        if (
            over
            and pct >= rule.min_attendance_pct
            and (enrolment.posttest_done_at is not None or not rule.requires_posttest)
        ):
            completing.append(enrolment)
    Enrolment.objects.bulk_update(stored, ["attendance_pct"])
    return sum(int(do_evaluate_completion(enrolment=e, now=now)) for e in completing)


# --- finding participants by NIP ----------------------------------------------------------------

NIP_LENGTH = 18
DAMAGED_NIP_DIGITS = 15  # what Excel keeps of an 18-digit NIP turned into a number


@dataclass
class NipLookup:
    """The employees a pasted NIP list names, and every line that names nobody (or several)."""

    found: list[Employee] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # the lines as written, to correct


def lookup_nips(instansi_id: int, text: str) -> NipLookup:
    """One NIP per line, spaces (and a leading apostrophe) allowed. Two queries at most.

    An 18-digit NIP matches exactly; 15 to 17 digits (a NIP Excel turned into a number) match
    the NIPs that start with them, and are ambiguous when several do. Every line that matches
    nobody, or several, is reported with its line number; nothing is dropped silently.
    """
    lines = [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
    result = NipLookup()
    problems: list[tuple[int, str]] = []
    wanted: list[tuple[int, str, str]] = []
    for number, line in lines:
        digits = re.sub(r"[\s'.\-]", "", line)
        if not digits.isdigit() or not DAMAGED_NIP_DIGITS <= len(digits) <= NIP_LENGTH:
            problems.append(
                (
                    number,
                    gettext("Baris {n}: {line!r} bukan NIP (18 angka).").format(
                        n=number, line=line
                    ),
                )
            )
            continue
        wanted.append((number, line, digits))
    exact = [d for _n, _l, d in wanted if len(d) == NIP_LENGTH]
    prefixes = [d for _n, _l, d in wanted if len(d) < NIP_LENGTH]
    query = Q(nip__in=exact)
    for prefix in prefixes:
        query |= Q(nip__startswith=prefix)
    people = (
        list(Employee.objects.filter(query, instansi_id=instansi_id).select_related("unit"))
        if wanted
        else []
    )
    seen: set[int] = set()
    for number, line, digits in wanted:
        hits = [e for e in people if e.nip == digits or e.nip.startswith(digits)]
        if len(digits) == NIP_LENGTH:
            hits = [e for e in hits if e.nip == digits]
        if not hits:
            problems.append(
                (
                    number,
                    gettext("Baris {n}: NIP {line} tidak ditemukan.").format(n=number, line=line),
                )
            )
        elif len(hits) > 1:
            problems.append(
                (
                    number,
                    gettext("Baris {n}: NIP {line} cocok dengan {k} pegawai ({names}).").format(
                        n=number, line=line, k=len(hits), names=", ".join(_who(e) for e in hits)
                    ),
                )
            )
        elif hits[0].pk not in seen:
            seen.add(hits[0].pk)
            result.found.append(hits[0])
    problems.sort(key=lambda p: p[0])
    result.problems = [message for _n, message in problems]
    written = dict(lines)
    result.unresolved = [written[n] for n, _m in problems]
    return result
