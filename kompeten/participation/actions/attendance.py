"""Check-in by rotating QR code, the trainer's roll call, and the completion rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext, gettext_noop

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.learning.models import Session
from kompeten.participation import qr
from kompeten.participation.models import (
    Attendance,
    AttendanceMark,
    AttendanceMethod,
    CompletionRule,
    Enrolment,
    EnrolmentStatus,
)

CHECKIN_OPENS_BEFORE = timedelta(minutes=30)

# Marked for extraction only; translated with gettext() where the error is raised.
QR_MESSAGES = {
    "malformed": gettext_noop(
        "Kode presensi tidak terbaca. Pindai ulang kode QR di layar fasilitator."
    ),
    "forged": gettext_noop("Kode presensi tidak sah."),
    "expired": gettext_noop(
        "Kode presensi sudah kedaluwarsa (berganti tiap 30 detik). Pindai kode yang sedang tampil."
    ),
    "future": gettext_noop(
        "Kode presensi belum berlaku. Periksa jam ponsel Anda dan pindai ulang."
    ),
}


def _minutes(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def _check_code(check: qr.TokenCheck) -> None:
    """Refuse a code that is not this session's current one, naming the other session when
    the code belongs to one."""
    if check.code == "foreign":
        other = (
            Session.objects.filter(pk=check.session_id).select_related("batch").first()
            if check.session_id is not None
            else None
        )
        if other:
            raise ValidationError(
                gettext(
                    "Kode ini milik sesi lain ({batch}, {start}), bukan sesi yang Anda buka."
                ).format(
                    batch=other.batch.name,
                    start=date_format(timezone.localtime(other.start), "j F Y H:i"),
                )
            )
        raise ValidationError(gettext("Kode ini milik sesi lain, bukan sesi yang Anda buka."))
    if not check.ok:
        raise ValidationError(gettext(QR_MESSAGES[check.code]))


@transaction.atomic
def do_check_in(
    *, user: User, session: Session, code: str, now: datetime | None = None
) -> Attendance:
    """A participant scans the trainer's code. Refuses expired, foreign and repeated check-ins."""
    now = now or timezone.now()
    _check_code(qr.check(code, session.pk, now))
    if user.employee_id is None:
        raise ValidationError(gettext("Akun Anda tidak terhubung dengan data pegawai."))
    if now < session.start - CHECKIN_OPENS_BEFORE or now > session.end:
        raise ValidationError(
            gettext("Presensi hanya dibuka 30 menit sebelum sesi sampai sesi selesai.")
        )
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(
            employee_id=user.employee_id, batch_id=session.batch_id, status=EnrolmentStatus.ACCEPTED
        )
        .first()
    )
    if enrolment is None:
        raise ValidationError(
            gettext(
                "Anda tidak terdaftar sebagai peserta (undangan diterima) di angkatan sesi ini."
            )
        )
    existing = Attendance.objects.filter(enrolment=enrolment, session=session).first()
    if existing is not None and existing.present:
        when = (
            time_format(timezone.localtime(existing.checked_in_at), "H:i")
            if existing.checked_in_at
            else ""
        )
        if when:
            raise ValidationError(
                gettext("Anda sudah tercatat hadir di sesi ini pukul {time}.").format(time=when)
            )
        raise ValidationError(gettext("Anda sudah tercatat hadir di sesi ini."))
    values = {
        "present": True,
        "mark": AttendanceMark.HADIR,
        "method": AttendanceMethod.QR,
        "checked_in_at": now,
        "late_minutes": _minutes(now - session.start),
        "recorded_by": user,
    }
    if existing is None:
        record = Attendance.objects.create(enrolment=enrolment, session=session, **values)
    else:
        record = existing
        for name, value in values.items():
            setattr(record, name, value)
        record.save(update_fields=list(values))
    audit.record(actor=user, action="attendance.check_in", obj=record, instansi=user.instansi)
    return record


def roll_call_mark(present: bool, before: str = "") -> str:
    """The day mark a roll call leaves: hadir when present; when absent, an excuse already
    recorded (sakit, izin) stays, otherwise alpa."""
    if present:
        return AttendanceMark.HADIR
    return before if before in (AttendanceMark.SAKIT, AttendanceMark.IZIN) else AttendanceMark.ALPA


def _check_mark(
    session: Session,
    enrolment: Enrolment,
    present: bool,
    late_minutes: int,
    left_early_minutes: int,
) -> None:
    """Refuse a mark for someone outside the batch or not accepted, negative minutes, or late
    plus early as long as the session (that is an absence)."""
    if enrolment.batch_id != session.batch_id:
        raise ValidationError(gettext("Peserta ini bukan peserta angkatan sesi tersebut."))
    if enrolment.status != EnrolmentStatus.ACCEPTED:
        raise ValidationError(
            gettext("{name} belum menerima undangan.").format(name=enrolment.employee.name)
        )
    length = _minutes(session.end - session.start)
    if late_minutes < 0 or left_early_minutes < 0:
        raise ValidationError(gettext("Menit terlambat dan pulang awal tidak boleh negatif."))
    if present and late_minutes + left_early_minutes >= length:
        raise ValidationError(
            gettext(
                "{name}: terlambat + pulang awal ({minutes} menit) "
                "tidak boleh sepanjang sesi ({length} menit) atau lebih; tandai tidak hadir."
            ).format(
                name=enrolment.employee.name,
                minutes=late_minutes + left_early_minutes,
                length=length,
            )
        )


def _correct_mark(
    record: Attendance,
    session: Session,
    enrolment: Enrolment,
    present: bool,
    late_minutes: int,
    left_early_minutes: int,
    actor: User | None,
) -> None:
    """Overwrite an earlier record of the session (QR or roll call), audited with before and
    after; an excuse already marked stays when the participant is absent."""
    before = {
        "present": record.present,
        "late": record.late_minutes,
        "early": record.left_early_minutes,
    }
    record.present = present
    record.mark = roll_call_mark(present, record.mark)
    record.late_minutes = late_minutes
    record.left_early_minutes = left_early_minutes
    if present and record.checked_in_at is None:
        record.checked_in_at = session.start + timedelta(minutes=late_minutes)
    if not present:
        record.checked_in_at = None
    record.recorded_by = actor
    record.save(
        update_fields=[
            "present",
            "mark",
            "late_minutes",
            "left_early_minutes",
            "checked_in_at",
            "recorded_by",
        ]
    )
    audit.record(
        actor=actor,
        action="attendance.correct",
        obj=record,
        before=before,
        after={"present": present, "late": late_minutes, "early": left_early_minutes},
        instansi=enrolment.instansi,
    )


@transaction.atomic
def do_mark_attendance(
    *,
    session: Session,
    enrolment: Enrolment,
    present: bool,
    late_minutes: int = 0,
    left_early_minutes: int = 0,
    actor: User | None,
    now: datetime | None = None,
    evaluate: bool = True,
) -> Attendance:
    """The trainer's roll call for one participant (also corrects a QR record)."""
    _check_mark(session, enrolment, present, late_minutes, left_early_minutes)
    if not present:
        late_minutes = left_early_minutes = 0
    record, created = Attendance.objects.get_or_create(
        enrolment=enrolment,
        session=session,
        defaults={
            "present": present,
            "mark": roll_call_mark(present),
            "method": AttendanceMethod.MANUAL,
            "checked_in_at": (session.start + timedelta(minutes=late_minutes)) if present else None,
            "late_minutes": late_minutes,
            "left_early_minutes": left_early_minutes,
            "recorded_by": actor,
        },
    )
    if not created:
        _correct_mark(record, session, enrolment, present, late_minutes, left_early_minutes, actor)
    if evaluate:
        do_evaluate_completion(enrolment=enrolment, now=now)
    return record


@dataclass(frozen=True)
class RollCallRow:
    enrolment: Enrolment
    present: bool
    late_minutes: int = 0
    left_early_minutes: int = 0


def _roll_call_errors(session: Session, rows: list[RollCallRow]) -> list[str]:
    """One message per bad row, naming the participant."""
    length = _minutes(session.end - session.start)
    errors: list[str] = []
    for row in rows:
        name = row.enrolment.employee.name
        if row.enrolment.batch_id != session.batch_id:
            errors.append(gettext("{name}: bukan peserta angkatan sesi ini.").format(name=name))
        elif row.enrolment.status != EnrolmentStatus.ACCEPTED:
            errors.append(gettext("{name} belum menerima undangan.").format(name=name))
        elif row.late_minutes < 0 or row.left_early_minutes < 0:
            errors.append(
                gettext("{name}: menit terlambat dan pulang awal tidak boleh negatif.").format(
                    name=name
                )
            )
        elif row.present and row.late_minutes + row.left_early_minutes >= length:
            errors.append(
                gettext(
                    "{name}: terlambat + pulang awal ({minutes} menit) "
                    "tidak boleh sepanjang sesi ({length} menit) atau lebih; tandai tidak hadir."
                ).format(
                    name=name, minutes=row.late_minutes + row.left_early_minutes, length=length
                )
            )
    return errors


def _roll_call_changes(
    session: Session, rows: list[RollCallRow], actor: User | None
) -> tuple[list[Attendance], list[Attendance]]:
    """The records to create and those to change (only where the roll call differs from what
    is stored; a QR arrival time is kept)."""
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
    create: list[Attendance] = []
    update: list[Attendance] = []
    for row in rows:
        late = row.late_minutes if row.present else 0
        early = row.left_early_minutes if row.present else 0
        arrived = session.start + timedelta(minutes=late) if row.present else None
        record = existing.get(row.enrolment.pk)
        if record is None:
            create.append(
                Attendance(
                    enrolment=row.enrolment,
                    session=session,
                    present=row.present,
                    mark=roll_call_mark(row.present),
                    method=AttendanceMethod.MANUAL,
                    checked_in_at=arrived,
                    late_minutes=late,
                    left_early_minutes=early,
                    recorded_by=actor,
                )
            )
        elif (record.present, record.late_minutes, record.left_early_minutes) != (
            row.present,
            late,
            early,
        ):
            record.present = row.present
            record.mark = roll_call_mark(row.present, record.mark)
            record.late_minutes = late
            record.left_early_minutes = early
            if not row.present:
                record.checked_in_at = None
            elif record.checked_in_at is None:
                record.checked_in_at = arrived
            record.recorded_by = actor
            update.append(record)
    return create, update


def save_marks(create: list[Attendance], update: list[Attendance]) -> None:
    """Write the attendance rows of a roll call: the new ones, and every field a mark sets on
    the ones already there."""
    Attendance.objects.bulk_create(create)
    Attendance.objects.bulk_update(
        update,
        ["present", "mark", "late_minutes", "left_early_minutes", "checked_in_at", "recorded_by"],
    )


@transaction.atomic
def do_record_roll_call(
    *,
    session: Session,
    rows: list[RollCallRow],
    actor: User | None,
    now: datetime | None = None,
    evaluate: bool = True,
) -> int:
    """The whole roll call of a session at once: all rows valid or nothing written."""
    errors = _roll_call_errors(session, rows)
    if errors:
        raise ValidationError(errors)
    create, update = _roll_call_changes(session, rows, actor)
    save_marks(create, update)
    audit.record(
        actor=actor,
        action="attendance.roll_call",
        obj=session,
        summary=f"{sum(r.present for r in rows)} dari {len(rows)} hadir",
        instansi=session.batch.programme.instansi,
    )
    last_end = (
        Session.objects.filter(batch_id=session.batch_id)
        .order_by("-end")
        .values_list("end", flat=True)
        .first()
    )
    if evaluate and last_end is not None and last_end <= (now or timezone.now()):
        for row in rows:
            do_evaluate_completion(enrolment=row.enrolment, now=now)
    return len(create) + len(update)


# --- completion --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionCheck:
    attendance_pct: Decimal
    min_pct: Decimal
    requires_posttest: bool
    posttest_done: bool
    batch_over: bool
    full_attendance: bool

    @property
    def complete(self) -> bool:
        return (
            self.batch_over
            and self.attendance_pct >= self.min_pct
            and (self.posttest_done or not self.requires_posttest)
        )


DEFAULT_RULE = CompletionRule(min_attendance_pct=Decimal("80"), requires_posttest=True)


def rule_for(programme_id: int) -> CompletionRule:
    return CompletionRule.objects.filter(programme_id=programme_id).first() or DEFAULT_RULE


def attendance_share(
    sessions: list[tuple[int, datetime, datetime]], present: dict[int, tuple[int, int]]
) -> tuple[Decimal, bool]:
    """Share of the batch's minutes attended (percent) and whether attendance was full.

    `sessions` are (id, start, end); `present` maps the session ids attended to (minutes late,
    minutes left early).
    """
    total = sum(_minutes(end - start) for _id, start, end in sessions)
    attended = 0
    full = bool(sessions)
    for sid, start, end in sessions:
        record = present.get(sid)
        if record is None:
            full = False
            continue
        late, early = record
        attended += max(0, _minutes(end - start) - late - early)
        if late or early:
            full = False
    pct = (Decimal(attended) * 100 / Decimal(total)) if total else Decimal(0)
    return pct, full


def completion_check(enrolment: Enrolment, now: datetime | None = None) -> CompletionCheck:
    now = now or timezone.now()
    sessions = list(
        Session.objects.filter(batch_id=enrolment.batch_id).values_list("id", "start", "end")
    )
    records = {
        a.session_id: (a.late_minutes, a.left_early_minutes)
        for a in Attendance.objects.filter(enrolment=enrolment, present=True)
    }
    pct, full = attendance_share(sessions, records)
    rule = rule_for(enrolment.batch.programme_id)
    return CompletionCheck(
        attendance_pct=pct,
        min_pct=rule.min_attendance_pct,
        requires_posttest=rule.requires_posttest,
        posttest_done=enrolment.posttest_done_at is not None,
        batch_over=bool(sessions) and max(end for _i, _s, end in sessions) <= now,
        full_attendance=full,
    )


@transaction.atomic
def do_evaluate_completion(*, enrolment: Enrolment, now: datetime | None = None) -> bool:
    """Mark the enrolment complete when the rule holds; credit JP, points and the certificate."""
    from kompeten.participation.actions.incentives import award_completion
    from kompeten.participation.actions.jp import credit_completion

    now = now or timezone.now()
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("batch__programme", "employee", "instansi")
        .get(pk=enrolment.pk)
    )
    if enrolment.completed_at is not None or enrolment.status != EnrolmentStatus.ACCEPTED:
        return enrolment.completed_at is not None
    check = completion_check(enrolment, now)
    enrolment.attendance_pct = check.attendance_pct
    if not check.complete:
        enrolment.save(update_fields=["attendance_pct"])
        return False
    last_end = (
        Session.objects.filter(batch_id=enrolment.batch_id)
        .order_by("-end")
        .values_list("end", flat=True)
        .first()
    )
    finished = last_end or now
    if enrolment.posttest_done_at is not None and enrolment.posttest_done_at > finished:
        finished = enrolment.posttest_done_at
    enrolment.completed_at = finished
    enrolment.save(update_fields=["attendance_pct", "completed_at"])
    audit.record(actor=None, action="enrolment.complete", obj=enrolment)
    credit_completion(enrolment)
    award_completion(enrolment, full_attendance=check.full_attendance)
    return True


@transaction.atomic
def do_record_posttest_done(
    *, enrolment: Enrolment, when: datetime | None = None, actor: User | None = None
) -> Enrolment:
    """Called by the evaluation app when the participant has done the post-test."""
    when = when or timezone.now()
    if enrolment.status != EnrolmentStatus.ACCEPTED:
        raise ValidationError(gettext("Post-test hanya untuk peserta yang menerima undangan."))
    Enrolment.objects.filter(pk=enrolment.pk, posttest_done_at__isnull=True).update(
        posttest_done_at=when
    )
    enrolment.refresh_from_db()
    audit.record(actor=actor, action="enrolment.posttest_done", obj=enrolment)
    do_evaluate_completion(enrolment=enrolment, now=max(when, timezone.now()))
    enrolment.refresh_from_db()
    return enrolment


@transaction.atomic
def do_record_learning_gain(
    *, enrolment: Enrolment, gain: Decimal, actor: User | None = None
) -> Enrolment:
    """Called by the evaluation app with the participant's learning gain (e.g. normalised gain)."""
    from kompeten.participation.actions.incentives import award_high_gain

    enrolment.learning_gain = gain
    enrolment.save(update_fields=["learning_gain"])
    audit.record(actor=actor, action="enrolment.learning_gain", obj=enrolment, summary=str(gain))
    award_high_gain(enrolment)
    return enrolment
