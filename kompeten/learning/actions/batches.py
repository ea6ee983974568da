"""Trainers and their availability; batches (angkatan) and their sessions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.learning.models import (
    Batch,
    BatchStatus,
    Module,
    Programme,
    ProgrammeStatus,
    Session,
    Trainer,
    TrainerAvailability,
    TrainerKind,
)
from kompeten.people.models import Employee
from kompeten.standards import jp as jp_std
from kompeten.standards import workdays


@transaction.atomic
def do_create_trainer(
    *,
    instansi: Instansi,
    kind: str,
    employee: Employee | None = None,
    external_name: str = "",
    institution: str = "",
    email: str = "",
    expertise: str = "",
    actor: User | None = None,
) -> Trainer:
    if kind not in TrainerKind.values:
        raise ValidationError(
            {"kind": _("Jenis pengajar {kind} tidak dikenal.").format(kind=repr(kind))}
        )
    if kind == TrainerKind.EXTERNAL:
        if not external_name.strip():
            raise ValidationError({"external_name": _("Nama narasumber eksternal wajib diisi.")})
    elif employee is None:
        raise ValidationError(
            {"employee": _("Pengajar internal (widyaiswara/fasilitator) harus seorang pegawai.")}
        )
    if employee is not None and employee.instansi_id != instansi.pk:
        raise ValidationError({"employee": _("Pegawai milik instansi lain.")})
    trainer = Trainer.objects.create(
        instansi=instansi,
        kind=kind,
        employee=employee,
        external_name=external_name.strip(),
        institution=institution.strip(),
        email=email.strip(),
        expertise=expertise.strip(),
    )
    audit.record(actor=actor, action="trainer.create", obj=trainer, summary=trainer.name)
    return trainer


def _aware(value: datetime, field: str) -> None:
    if timezone.is_naive(value):
        raise ValidationError({field: _("Waktu harus menyertakan zona waktu (Asia/Jakarta).")})


@transaction.atomic
def do_set_trainer_availability(
    trainer: Trainer,
    *,
    start: datetime,
    end: datetime,
    available: bool,
    note: str = "",
    actor: User | None = None,
) -> TrainerAvailability:
    _aware(start, "start")
    _aware(end, "end")
    if end <= start:
        raise ValidationError({"end": _("Waktu selesai harus sesudah waktu mulai.")})
    row = TrainerAvailability.objects.create(
        trainer=trainer, start=start, end=end, available=available, note=note
    )
    audit.record(
        actor=actor,
        action="trainer.availability",
        obj=trainer,
        summary=f"{'tersedia' if available else 'tidak tersedia'} {start:%Y-%m-%d}",
    )
    return row


@dataclass(frozen=True)
class BatchInput:
    code: str
    name: str
    capacity: int
    start_date: date
    end_date: date
    location: str = ""
    online_link: str = ""
    trainers: Sequence[Trainer] = ()


def _online_link_error(online_link: str) -> str:
    """The error for a batch's online link that is not an http(s) URL, or "" if it is one."""
    try:
        URLValidator(schemes=["https", "http"])(online_link)
    except ValidationError:
        return _("Tautan daring bukan URL yang sah.")
    return ""


def _batch_errors(programme: Programme, data: BatchInput) -> dict[str, str]:
    """The field errors of a new batch of ``programme`` (empty when it may be created)."""
    errors: dict[str, str] = {}
    if not data.code.strip():
        errors["code"] = _("Kode angkatan wajib diisi.")
    elif Batch.objects.filter(programme=programme, code=data.code.strip()).exists():
        errors["code"] = _("Kode angkatan {code} sudah dipakai dalam program ini.").format(
            code=data.code
        )
    if not data.name.strip():
        errors["name"] = _("Nama angkatan wajib diisi.")
    if data.capacity < 1:
        errors["capacity"] = _("Kapasitas minimal 1 orang.")
    if data.end_date < data.start_date:
        errors["end_date"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    if not data.location.strip() and not data.online_link.strip():
        errors["location"] = _("Isi tempat atau tautan daring.")
    if data.online_link.strip():
        link_error = _online_link_error(data.online_link.strip())
        if link_error:
            errors["online_link"] = link_error
    if any(t.instansi_id != programme.instansi_id for t in data.trainers):
        errors["trainers"] = _("Pengajar milik instansi lain.")
    return errors


@transaction.atomic
def do_create_batch(programme: Programme, *, data: BatchInput, actor: User | None = None) -> Batch:
    if programme.status == ProgrammeStatus.ARCHIVED:
        raise ValidationError(_("Program yang diarsipkan tidak dapat diberi angkatan baru."))
    errors = _batch_errors(programme, data)
    if errors:
        raise ValidationError(errors)
    batch = Batch.objects.create(
        programme=programme,
        code=data.code.strip(),
        name=data.name.strip(),
        capacity=data.capacity,
        location=data.location.strip(),
        online_link=data.online_link.strip(),
        start_date=data.start_date,
        end_date=data.end_date,
    )
    if data.trainers:
        batch.trainers.set(data.trainers)
    audit.record(
        actor=actor,
        action="batch.create",
        obj=batch,
        summary=str(batch),
        instansi=programme.instansi,
    )
    return batch


@transaction.atomic
def do_set_batch_status(batch: Batch, *, status: str, actor: User | None = None) -> Batch:
    if status not in BatchStatus.values:
        raise ValidationError(
            {"status": _("Status {status} tidak dikenal.").format(status=repr(status))}
        )
    before = batch.status
    batch.status = status
    batch.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="batch.status",
        obj=batch,
        before={"status": before},
        after={"status": status},
        instansi=batch.programme.instansi,
    )
    return batch


@dataclass(frozen=True)
class SessionInput:
    start: datetime
    end: datetime
    module: Module | None = None
    trainer: Trainer | None = None
    location: str = ""


Spans = dict[int, list[tuple[datetime, datetime]]]


def _trainer_calendars(sessions: Sequence[SessionInput]) -> tuple[Spans, Spans]:
    """The trainers' unavailable spans and their sessions already booked, by trainer id, over
    the time the new sessions cover (two queries, none when no session has a trainer)."""
    trainer_ids = {s.trainer.pk for s in sessions if s.trainer is not None}
    blocked: Spans = {}
    booked: Spans = {}
    if trainer_ids:
        start = min(s.start for s in sessions)
        end = max(s.end for s in sessions)
        for trainer_id, a, b in TrainerAvailability.objects.filter(
            trainer_id__in=trainer_ids, available=False, start__lt=end, end__gt=start
        ).values_list("trainer_id", "start", "end"):
            blocked.setdefault(trainer_id, []).append((a, b))
        for trainer_id, a, b in (
            Session.objects.filter(trainer_id__in=trainer_ids, start__lt=end, end__gt=start)
            .exclude(batch__status=BatchStatus.CANCELLED)
            .values_list("trainer_id", "start", "end")
        ):
            booked.setdefault(trainer_id, []).append((a, b))
    return blocked, booked


def _session_trainer_errors(
    number: int, s: SessionInput, batch: Batch, blocked: Spans, booked: Spans
) -> list[str]:
    """The errors of session ``number``'s trainer; books the session in ``booked`` so that
    the later sessions are checked against it too."""
    errors: list[str] = []
    if s.trainer is None:
        return errors
    if s.trainer.instansi_id != batch.programme.instansi_id:
        errors.append(_("Sesi {number}: pengajar milik instansi lain.").format(number=number))
    tid = s.trainer.pk
    if any(a < s.end and s.start < b for a, b in blocked.get(tid, [])):
        errors.append(
            _("Sesi {number}: {name} tidak tersedia pada waktu itu.").format(
                number=number, name=s.trainer.name
            )
        )
    elif any(a < s.end and s.start < b for a, b in booked.get(tid, [])):
        errors.append(
            _("Sesi {number}: {name} sudah mengajar di sesi lain.").format(
                number=number, name=s.trainer.name
            )
        )
    booked.setdefault(tid, []).append((s.start, s.end))
    return errors


def _representable(value: datetime) -> bool:
    """Whether an aware time can be moved to UTC (how it is stored) and to local time (how its
    day is read); a time at the edge of the calendar (year 1 or 9999) cannot."""
    try:
        value.astimezone(UTC)
        timezone.localtime(value)
    except OverflowError:
        return False
    return True


def _span_error(number: int, s: SessionInput) -> str | None:
    """Why session ``number`` (1-based) has no valid time span, or None."""
    if timezone.is_naive(s.start) or timezone.is_naive(s.end):
        return _("Sesi {number}: waktu harus menyertakan zona waktu.").format(number=number)
    if not (_representable(s.start) and _representable(s.end)):
        return _("Sesi {number}: waktunya di luar rentang tanggal yang dapat disimpan.").format(
            number=number
        )
    if s.end <= s.start:
        return _("Sesi {number}: waktu selesai harus sesudah waktu mulai.").format(number=number)
    return None


def _session_errors(
    number: int, s: SessionInput, batch: Batch, blocked: Spans, booked: Spans
) -> list[str]:
    """The errors of session ``number`` (1-based), whose time span is valid."""
    errors: list[str] = []
    local_start = timezone.localtime(s.start).date()
    local_end = timezone.localtime(s.end).date()
    if local_start < batch.start_date or local_end > batch.end_date:
        errors.append(_("Sesi {number}: di luar tanggal angkatan.").format(number=number))
    if s.module is not None and s.module.programme_id != batch.programme_id:
        errors.append(
            _("Sesi {number}: modul bukan bagian dari program angkatan ini.").format(number=number)
        )
    errors.extend(_session_trainer_errors(number, s, batch, blocked, booked))
    return errors


def _check_sessions(batch: Batch, sessions: Sequence[SessionInput]) -> None:
    """Validate sessions against the batch and each other and the trainers' calendars.

    A session without a valid time span gets only that error, and is left out of the calendars
    (they are read over the span the sessions cover, which needs comparable instants)."""
    checked = [(number, s, _span_error(number, s)) for number, s in enumerate(sessions, start=1)]
    blocked, booked = _trainer_calendars([s for _n, s, error in checked if error is None])
    errors: list[str] = []
    for number, s, span_error in checked:
        if span_error is not None:
            errors.append(span_error)
        else:
            errors.extend(_session_errors(number, s, batch, blocked, booked))
    if errors:
        raise ValidationError(errors)


def day_off_reason(day: date, calendar: workdays.WorkCalendar | None = None) -> str:
    """Why ``day`` is not a working day ("hari Minggu", "cuti bersama" …), or "" if it is one.

    The standards workday calendar: weekends, national holidays and the cuti bersama table.
    """
    calendar = calendar or workdays.default_calendar()
    if calendar.is_working_day(day):
        return ""
    if day in workdays.CUTI_BERSAMA.for_year(day.year):
        return _("cuti bersama")
    if calendar.is_holiday(day):
        return _("hari libur nasional")
    if day.weekday() == 6:
        return _("hari Minggu")
    if day.weekday() == 5:
        return _("hari Sabtu")
    return _("hari libur")


def session_day_warnings(
    spans: Sequence[tuple[datetime, datetime]], calendar: workdays.WorkCalendar | None = None
) -> list[str]:
    """One warning per session that falls on a day off; such sessions are accepted, not refused
    (a weekend bimtek happens), but the officer should see it before inviting people."""
    out = []
    for start, _end in spans:
        local = timezone.localtime(start)
        reason = day_off_reason(local.date(), calendar)
        if reason:
            out.append(
                _(
                    "Sesi {when} jatuh pada {reason}; pastikan peserta dan pengajar memang "
                    "bersedia hadir pada hari libur."
                ).format(when=date_format(local, "l, j F Y H:i"), reason=reason)
            )
    return out


@transaction.atomic
def do_add_sessions(
    batch: Batch, *, sessions: Sequence[SessionInput], actor: User | None = None
) -> list[Session]:
    """Add sessions to a batch (all or nothing): inside the batch's dates, trainers free."""
    if not sessions:
        raise ValidationError(_("Tidak ada sesi yang ditambahkan."))
    if batch.status in (BatchStatus.DONE, BatchStatus.CANCELLED):
        raise ValidationError(_("Angkatan yang selesai atau dibatalkan tidak dapat diberi sesi."))
    _check_sessions(batch, sessions)
    rows = Session.objects.bulk_create(
        [
            Session(
                batch=batch,
                module=s.module,
                start=s.start,
                end=s.end,
                location=s.location.strip() or batch.location,
                trainer=s.trainer,
            )
            for s in sessions
        ]
    )
    audit.record(
        actor=actor,
        action="batch.sessions.add",
        obj=batch,
        summary=f"{len(rows)} sesi",
        instansi=batch.programme.instansi,
    )
    return rows


@transaction.atomic
def do_delete_session(session: Session, *, actor: User | None = None) -> None:
    batch = session.batch
    when = timezone.localtime(session.start).strftime("%d-%m-%Y %H:%M")
    session.delete()
    audit.record(
        actor=actor,
        action="batch.sessions.delete",
        obj=batch,
        summary=when,
        instansi=batch.programme.instansi,
    )


# --- training that has already happened --------------------------------------------------------

HELD_DAY_STARTS = time(8, 0)
HELD_DAY_MAX_MINUTES = 12 * 60
HELD_SITTING_BREAK = 60  # minutes between two sittings of a day (ishoma), where the day allows


def held_day_minutes(batch: Batch, n_days: int) -> int:
    """Length of one day's session of a held batch: the programme's JP spread over its days.

    One JP is 45 minutes (standards.jp); a day session never runs past 12 hours.
    """
    total = jp_std.jp_to_minutes(batch.programme.total_jp)
    per_day = int(total / max(1, n_days))
    return max(45, min(HELD_DAY_MAX_MINUTES, per_day))


def held_sitting_spans(
    day: date, minutes: int, sittings: int = 1
) -> list[tuple[datetime, datetime]]:
    """The sessions of one day of a held training: ``minutes`` shared out between ``sittings``
    sittings in order (morning first; the first sittings take the odd minutes), from 08:00 WIB,
    an hour's break between two sittings, shorter where the day would otherwise pass 12 hours.
    The sittings' minutes add up to the day's."""
    count = max(1, sittings)
    base, odd = divmod(minutes, count)
    gap = min(HELD_SITTING_BREAK, max(0, (HELD_DAY_MAX_MINUTES - minutes) // max(1, count - 1)))
    start = datetime.combine(day, HELD_DAY_STARTS, tzinfo=timezone.get_current_timezone())
    spans: list[tuple[datetime, datetime]] = []
    for number in range(count):
        end = start + timedelta(minutes=base + (1 if number < odd else 0))
        spans.append((start, end))
        start = end + timedelta(minutes=gap)
    return spans


def _held_day_errors(batch: Batch, days: Sequence[date], sittings: Mapping[date, int]) -> list[str]:
    """Why sessions cannot be held on these days: outside the batch, in the future, or given
    no sitting at all."""
    today = timezone.localdate()
    errors = []
    for day in days:
        if day < batch.start_date or day > batch.end_date:
            errors.append(
                _("Tanggal {day} di luar tanggal angkatan ({start} s.d. {end}).").format(
                    day=day.strftime("%d-%m-%Y"),
                    start=batch.start_date.strftime("%d-%m-%Y"),
                    end=batch.end_date.strftime("%d-%m-%Y"),
                )
            )
        elif day > today:
            errors.append(
                _("Tanggal {day} belum terjadi; presensinya belum dapat dicatat.").format(
                    day=day.strftime("%d-%m-%Y")
                )
            )
        elif sittings.get(day, 1) < 1:
            errors.append(
                _("Tanggal {day}: jumlah sesi harus minimal 1.").format(
                    day=day.strftime("%d-%m-%Y")
                )
            )
    return errors


def _create_held_sessions(
    batch: Batch, days: Sequence[date], wanted: Sequence[date], sittings: Mapping[date, int]
) -> list[Session]:
    """One session per sitting of each of ``days`` (which have none yet), the programme's JP
    spread over the days the batch was held on: its working days, or as many as it has days."""
    held = {timezone.localtime(s).date() for s in batch.sessions.values_list("start", flat=True)}
    n_days = len(held_days(batch.start_date, batch.end_date, len(held | set(wanted))))
    minutes = held_day_minutes(batch, n_days)
    too_many = [day for day in days if sittings.get(day, 1) > minutes]
    if too_many:
        raise ValidationError(
            _("Tanggal {day}: {n} sesi tidak muat dalam {minutes} menit sehari.").format(
                day=too_many[0].strftime("%d-%m-%Y"), n=sittings[too_many[0]], minutes=minutes
            )
        )
    return Session.objects.bulk_create(
        [
            Session(batch=batch, start=start, end=end, location=batch.location)
            for day in days
            for start, end in held_sitting_spans(day, minutes, sittings.get(day, 1))
        ]
    )


@transaction.atomic
def do_ensure_day_sessions(
    batch: Batch,
    *,
    days: Sequence[date],
    actor: User | None = None,
    sittings: Mapping[date, int] | None = None,
) -> dict[date, list[Session]]:
    """The sessions of each given day of a training that has already happened, in order.

    A day that has no session gets one per sitting (``sittings``: a day's number of sittings,
    1 where not given; :func:`held_sitting_spans`), from 08:00 WIB, the programme's JP spread
    over the days the batch was held on (:func:`held_days`), so that a panitia's attendance list
    has sessions to be recorded on. A day that has sessions keeps them. Days must lie inside the
    batch's dates and not in the future. Unlike `do_add_sessions`, this works on a finished
    batch: it records what happened, it does not plan.
    """
    if batch.status == BatchStatus.CANCELLED:
        raise ValidationError(_("Angkatan yang dibatalkan tidak dapat diberi presensi."))
    per_day = dict(sittings or {})
    wanted = sorted(set(days))
    errors = _held_day_errors(batch, wanted, per_day)
    if errors:
        raise ValidationError(errors)
    by_day: dict[date, list[Session]] = {day: [] for day in wanted}
    for session in Session.objects.filter(batch=batch).order_by("start"):
        day = timezone.localtime(session.start).date()
        if day in by_day:
            by_day[day].append(session)
    missing = [day for day, sessions in by_day.items() if not sessions]
    if missing:
        for session in _create_held_sessions(batch, missing, wanted, per_day):
            by_day[timezone.localtime(session.start).date()].append(session)
        audit.record(
            actor=actor,
            action="batch.sessions.held",
            obj=batch,
            summary=", ".join(day.strftime("%d-%m-%Y") for day in missing),
            instansi=batch.programme.instansi,
        )
    return by_day


def held_days(start: date, end: date, at_least: int = 1) -> list[date]:
    """The days a training from ``start`` to ``end`` is taken to have been held on when nothing
    names them: its working days (no weekend, national holiday or cuti bersama); where they are
    fewer than ``at_least`` (an attendance list's day columns), its weekdays, then every day
    (a training held on a holiday, or over a weekend)."""
    every = [start + timedelta(days=k) for k in range((end - start).days + 1)]
    for kept in (
        [day for day in every if workdays.is_working_day(day)],
        [day for day in every if day.weekday() < 5],
    ):
        if len(kept) >= at_least:
            return kept
    return every


@transaction.atomic
def do_create_held_batch(
    programme: Programme,
    *,
    data: BatchInput,
    actor: User | None = None,
    days: Sequence[date] = (),
    sittings: Mapping[date, int] | None = None,
) -> Batch:
    """A batch of a training that has already happened: its days get a session each (one per
    sitting where ``sittings`` gives a day several, :func:`do_ensure_day_sessions`) and the
    batch is marked finished (status `done`). ``days`` are the days it was held on (those its
    attendance list names), by default :func:`held_days`. Its end date must not be in the
    future."""
    if data.end_date > timezone.localdate():
        raise ValidationError(
            {"end_date": _("Pelatihan yang sudah terlaksana tidak boleh berakhir di masa depan.")}
        )
    batch = do_create_batch(programme, data=data, actor=actor)
    held = sorted(set(days)) or held_days(data.start_date, data.end_date)
    do_ensure_day_sessions(batch, days=held, actor=actor, sittings=sittings)
    return do_set_batch_status(batch, status=BatchStatus.DONE, actor=actor)
