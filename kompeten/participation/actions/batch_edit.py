"""Editing a batch's capacity and dates, with what the change does to its participants.

The officer first sees the consequences (:func:`batch_edit_consequences`, read-only), then saves
(:func:`do_edit_batch`, which recomputes them and applies them in one transaction):

* capacity below the seats taken: the latest invitations not yet answered go to the waitlist;
  capacity below the participants who have accepted is refused (cancel someone first);
* capacity above the seats taken: the waitlist moves up, first come first served, and is invited;
* new dates: sessions outside the new range refuse the change, unless the sessions are moved by
  as many days as the start date moves ("geser sesi"); a session with attendance never moves;
  active participants of a batch that has not started are told the new dates.

This lives in participation, not learning, because it changes enrolments (learning sits below).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.learning.actions.batches import session_day_warnings
from kompeten.learning.models import Batch, BatchStatus, Session, TrainerAvailability
from kompeten.participation.actions.notify import notify_employee
from kompeten.participation.models import (
    ACTIVE_STATUSES,
    Attendance,
    Enrolment,
    EnrolmentStatus,
)


@dataclass(frozen=True)
class BatchChange:
    """What the officer asks: the new capacity and dates, and whether sessions move along."""

    capacity: int
    start_date: date
    end_date: date
    shift_sessions: bool = False


@dataclass
class Consequences:
    """What saving ``change`` would do. ``problems`` block the change; the rest happens."""

    batch: Batch
    change: BatchChange
    problems: list[str] = field(default_factory=list)
    to_waitlist: list[Enrolment] = field(default_factory=list)
    promoted: list[Enrolment] = field(default_factory=list)
    moved_sessions: list[tuple[Session, datetime, datetime]] = field(default_factory=list)
    told_new_dates: list[Enrolment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def dates_changed(self) -> bool:
        return (self.change.start_date, self.change.end_date) != (
            self.batch.start_date,
            self.batch.end_date,
        )

    @property
    def changed(self) -> bool:
        return self.dates_changed or self.change.capacity != self.batch.capacity

    @property
    def sentences(self) -> list[str]:
        """The consequences in Indonesian, one sentence each (problems excluded)."""
        out = []
        if self.to_waitlist:
            out.append(
                ngettext(
                    "%(n)d peserta akan masuk daftar tunggu (undangan terbaru yang belum "
                    "dijawab): %(names)s.",
                    "%(n)d peserta akan masuk daftar tunggu (undangan terbaru yang belum "
                    "dijawab): %(names)s.",
                    len(self.to_waitlist),
                )
                % {"n": len(self.to_waitlist), "names": _names(self.to_waitlist)}
            )
        if self.promoted:
            out.append(
                ngettext(
                    "%(n)d pegawai dari daftar tunggu akan diundang: %(names)s.",
                    "%(n)d pegawai dari daftar tunggu akan diundang: %(names)s.",
                    len(self.promoted),
                )
                % {"n": len(self.promoted), "names": _names(self.promoted)}
            )
        if self.moved_sessions:
            n, days = len(self.moved_sessions), abs(self.shift_days)
            if self.shift_days > 0:
                text = ngettext(
                    "%(n)d sesi dimundurkan %(days)d hari mengikuti tanggal baru.",
                    "%(n)d sesi dimundurkan %(days)d hari mengikuti tanggal baru.",
                    n,
                )
            else:
                text = ngettext(
                    "%(n)d sesi dimajukan %(days)d hari mengikuti tanggal baru.",
                    "%(n)d sesi dimajukan %(days)d hari mengikuti tanggal baru.",
                    n,
                )
            out.append(text % {"n": n, "days": days})
        if self.told_new_dates:
            out.append(
                ngettext(
                    "%(n)d undangan akan dikirim ulang dengan tanggal baru.",
                    "%(n)d undangan akan dikirim ulang dengan tanggal baru.",
                    len(self.told_new_dates),
                )
                % {"n": len(self.told_new_dates)}
            )
        if self.changed and not out:
            out.append(gettext("Tidak ada peserta atau sesi yang terpengaruh."))
        return out

    @property
    def shift_days(self) -> int:
        return (self.change.start_date - self.batch.start_date).days


def _names(enrolments: list[Enrolment], limit: int = 5) -> str:
    names = [e.employee.name for e in enrolments[:limit]]
    rest = len(enrolments) - limit
    shown = ", ".join(names)
    if rest > 0:
        shown += " " + gettext("dan %(n)d lainnya") % {"n": rest}
    return shown


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y H:i")


def batch_edit_consequences(
    batch: Batch, change: BatchChange, today: date | None = None
) -> Consequences:
    """What saving ``change`` would do to ``batch`` (no writes; at most five queries)."""
    today = today or timezone.localdate()
    out = Consequences(batch=batch, change=change)
    if batch.status == BatchStatus.CANCELLED:
        out.problems.append(gettext("Angkatan yang dibatalkan tidak dapat diubah."))
        return out
    if change.capacity < 1:
        out.problems.append(gettext("Kapasitas minimal 1 orang."))
    if change.end_date < change.start_date:
        out.problems.append(gettext("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    if out.problems:
        return out
    enrolments = list(
        Enrolment.objects.filter(
            batch=batch, status__in=(*ACTIVE_STATUSES, EnrolmentStatus.WAITLISTED)
        )
        .select_related("employee")
        .order_by("invited_at", "pk")
    )
    accepted = [e for e in enrolments if e.status == EnrolmentStatus.ACCEPTED]
    invited = [e for e in enrolments if e.status == EnrolmentStatus.INVITED]
    waiting = [e for e in enrolments if e.status == EnrolmentStatus.WAITLISTED]
    taken = len(accepted) + len(invited)
    if change.capacity < len(accepted):
        out.problems.append(
            gettext(
                "Kapasitas %(capacity)d lebih kecil dari %(n)d peserta yang sudah menerima "
                "undangan; batalkan atau pindahkan sebagian peserta dahulu."
            )
            % {"capacity": change.capacity, "n": len(accepted)}
        )
    elif change.capacity < taken:
        out.to_waitlist = list(reversed(invited))[: taken - change.capacity]
    elif change.capacity > taken and waiting:
        out.promoted = waiting[: change.capacity - taken]
    if out.dates_changed or change.shift_sessions:
        _sessions(batch, change, out)
    if out.dates_changed and batch.start_date > today and change.start_date > today:
        staying = {e.pk for e in out.to_waitlist}
        out.told_new_dates = [
            e for e in (*accepted, *invited) if e.pk not in staying
        ]  # the promoted get a fresh invitation with the new dates anyway
    return out


def _sessions(batch: Batch, change: BatchChange, out: Consequences) -> None:
    sessions = list(batch.sessions.select_related("trainer__employee").order_by("start"))
    delta = timedelta(days=out.shift_days) if change.shift_sessions else timedelta(0)
    attended = set(
        Attendance.objects.filter(session__batch=batch).values_list("session_id", flat=True)
    )
    moved: list[tuple[datetime, datetime]] = []
    for session in sessions:
        start, end = session.start + delta, session.end + delta
        if delta and session.pk in attended:
            out.problems.append(
                gettext(
                    "Sesi %(when)s sudah memiliki presensi dan tidak dapat digeser; ubah tanggal "
                    "tanpa menggeser sesi."
                )
                % {"when": _when(session.start)}
            )
            continue
        first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
        if first < change.start_date or last > change.end_date:
            out.problems.append(
                gettext(
                    "Sesi %(when)s berada di luar rentang tanggal baru (%(start)s – %(end)s); "
                    "hapus sesi itu atau geser sesi mengikuti tanggal mulai."
                )
                % {
                    "when": _when(start),
                    "start": date_format(change.start_date, "j F Y"),
                    "end": date_format(change.end_date, "j F Y"),
                }
            )
        elif delta:
            out.moved_sessions.append((session, start, end))
            moved.append((start, end))
    out.warnings.extend(session_day_warnings(moved))
    _trainers_free(batch, out)


def _trainers_free(batch: Batch, out: Consequences) -> None:
    """A moved session's trainer must be free at the new time: not declared unavailable and not
    teaching another batch then (this batch's own sessions move together, so they do not count)."""
    taught = [(s, a, b) for s, a, b in out.moved_sessions if s.trainer_id is not None]
    if not taught:
        return
    ids = {s.trainer_id for s, _a, _b in taught if s.trainer_id is not None}
    first, last = min(a for _s, a, _b in taught), max(b for _s, _a, b in taught)
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    for trainer_id, a, b in TrainerAvailability.objects.filter(
        trainer_id__in=ids, available=False, start__lt=last, end__gt=first
    ).values_list("trainer_id", "start", "end"):
        busy.setdefault(trainer_id, []).append((a, b))
    for trainer_id, a, b in (
        Session.objects.filter(trainer_id__in=ids, start__lt=last, end__gt=first)
        .exclude(batch=batch)
        .exclude(batch__status=BatchStatus.CANCELLED)
        .values_list("trainer_id", "start", "end")
    ):
        busy.setdefault(trainer_id, []).append((a, b))
    for session, start, end in taught:
        if any(a < end and start < b for a, b in busy.get(session.trainer_id or 0, [])):
            out.problems.append(
                gettext(
                    "Sesi %(when)s: %(trainer)s tidak tersedia atau sudah mengajar pada waktu "
                    "barunya."
                )
                % {"when": _when(start), "trainer": session.trainer.name if session.trainer else ""}
            )


def _notice(batch: Batch) -> tuple[str, str]:
    """Title and body of the notice telling a participant the batch's new dates."""
    title = gettext("Jadwal pelatihan berubah: %(programme)s") % {
        "programme": batch.programme.title
    }
    body = gettext(
        "%(batch)s kini berlangsung %(start)s – %(end)s. Mohon sesuaikan rencana Anda."
    ) % {
        "batch": batch.name,
        "start": date_format(batch.start_date, "j F Y"),
        "end": date_format(batch.end_date, "j F Y"),
    }
    return title, body


@dataclass(frozen=True)
class _Edit:
    """The batch being saved, who saves it, whether employees are told, and when (the moment
    names the notifications, so that a later edit notifies again)."""

    batch: Batch
    actor: User | None
    notify: bool
    now: datetime


def _tell(edit: _Edit, enrolment: Enrolment, title: str, body: str, key: str) -> None:
    """Notify the enrolment's employee (when the edit notifies) about their invitation."""
    if edit.notify:
        notify_employee(
            enrolment.employee,
            title=title,
            body=body,
            url=reverse("participation:invitations"),
            key=f"{key}-{enrolment.pk}-{edit.now:%s}",
        )


def _save_enrolment(edit: _Edit, enrolment: Enrolment, fields: list[str], action: str) -> None:
    enrolment.save(update_fields=fields)
    audit.record(actor=edit.actor, action=action, obj=enrolment)


def _move_sessions(result: Consequences) -> None:
    for session, start, end in result.moved_sessions:
        session.start, session.end = start, end
    if result.moved_sessions:
        Session.objects.bulk_update([s for s, _a, _b in result.moved_sessions], ["start", "end"])


def _waitlist(edit: _Edit, enrolments: list[Enrolment]) -> None:
    """Move the latest unanswered invitations to the waitlist, telling each employee."""
    batch = edit.batch
    for enrolment in enrolments:
        enrolment.status = EnrolmentStatus.WAITLISTED
        _save_enrolment(edit, enrolment, ["status"], "enrolment.waitlist")
        _tell(
            edit,
            enrolment,
            title=gettext("Kursi berkurang: %(programme)s") % {"programme": batch.programme.title},
            body=gettext(
                "Kapasitas %(batch)s dikurangi; undangan Anda masuk daftar tunggu. Anda akan "
                "diberi tahu bila ada kursi."
            )
            % {"batch": batch.name},
            key="waitlist",
        )


def _promote(edit: _Edit, enrolments: list[Enrolment]) -> None:
    """Invite the first of the waitlist into the seats that opened, with the new dates."""
    batch = edit.batch
    for enrolment in enrolments:
        enrolment.status = EnrolmentStatus.INVITED
        enrolment.invited_at = edit.now
        _save_enrolment(edit, enrolment, ["status", "invited_at"], "enrolment.promote")
        _tell(
            edit,
            enrolment,
            title=gettext("Kursi tersedia — Undangan pelatihan: %(programme)s")
            % {"programme": batch.programme.title},
            body=gettext(
                "Anda diundang mengikuti %(batch)s (%(start)s – %(end)s). Mohon konfirmasi: "
                "terima atau tolak dengan alasan."
            )
            % {
                "batch": batch.name,
                "start": date_format(batch.start_date, "j F Y"),
                "end": date_format(batch.end_date, "j F Y"),
            },
            key="promote",
        )


@transaction.atomic
def do_edit_batch(
    batch: Batch,
    *,
    change: BatchChange,
    actor: User | None,
    notify: bool = True,
    now: datetime | None = None,
) -> Consequences:
    """Save the new capacity and dates and apply their consequences (all or nothing).

    Raises ``ValidationError`` with every problem when the change cannot be made; nothing is
    written then. Audited as ``batch.edit`` with the values before and after.
    """
    now = now or timezone.now()
    batch = Batch.objects.select_for_update().select_related("programme").get(pk=batch.pk)
    result = batch_edit_consequences(batch, change, today=timezone.localdate(now))
    if result.problems:
        raise ValidationError(result.problems)
    before = {
        "capacity": batch.capacity,
        "start_date": batch.start_date.isoformat(),
        "end_date": batch.end_date.isoformat(),
    }
    batch.capacity = change.capacity
    batch.start_date = change.start_date
    batch.end_date = change.end_date
    batch.save(update_fields=["capacity", "start_date", "end_date"])
    edit = _Edit(batch=batch, actor=actor, notify=notify, now=now)
    _move_sessions(result)
    _waitlist(edit, result.to_waitlist)
    _promote(edit, result.promoted)
    for enrolment in result.told_new_dates:
        title, body = _notice(batch)
        _tell(edit, enrolment, title=title, body=body, key="dates")
    audit.record(
        actor=actor,
        action="batch.edit",
        obj=batch,
        summary="; ".join(result.sentences),
        before=before,
        after={
            "capacity": change.capacity,
            "start_date": change.start_date.isoformat(),
            "end_date": change.end_date.isoformat(),
            "sessions_moved": len(result.moved_sessions),
            "waitlisted": len(result.to_waitlist),
            "promoted": len(result.promoted),
            "told_new_dates": len(result.told_new_dates),
        },
        instansi=batch.programme.instansi,
    )
    return result
