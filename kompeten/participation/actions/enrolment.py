"""Invitation → accept or decline (with a reason) → waitlist; moves between batches."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.learning.models import Batch, Session, Trainer
from kompeten.participation.actions.notify import notify_employee
from kompeten.participation.models import (
    ACTIVE_STATUSES,
    DeclineReason,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
)
from kompeten.people.models import Employee


def seats_taken(batch: Batch, exclude: Enrolment | None = None) -> int:
    qs = Enrolment.objects.filter(batch=batch, status__in=ACTIVE_STATUSES)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.count()


def clashing_batch(
    employee: Employee, batch: Batch, ignore: Enrolment | None = None
) -> Batch | None:
    """Another batch the employee is booked on whose sessions overlap this batch's sessions."""
    mine = list(Session.objects.filter(batch=batch).values_list("start", "end"))
    if not mine:
        return None
    overlap = Q(pk__in=[])
    for start, end in mine:
        overlap |= Q(start__lt=end, end__gt=start)
    others = (
        Session.objects.filter(
            batch__enrolments__employee=employee,
            batch__enrolments__status__in=ACTIVE_STATUSES,
        )
        .exclude(batch=batch)
        .filter(overlap)
    )
    if ignore is not None:
        others = others.exclude(batch_id=ignore.batch_id)
    hit = others.select_related("batch__programme").order_by("start").first()
    return hit.batch if hit is not None else None


def live_elsewhere(batch: Batch, now: datetime) -> QuerySet[Enrolment]:
    """Live enrolments in `batch`'s programme outside `batch`: invited, accepted or waitlisted
    and not completed. A retake is the one exception: an uncompleted enrolment in a batch that
    had already ended by `now` (and before `batch` starts) does not block a new invitation. A
    batch that merely ends before `batch` starts but has not run yet still blocks, so nobody
    holds two seats of one programme at once."""
    ended_before = min(batch.start_date, timezone.localdate(now))
    return (
        Enrolment.objects.filter(
            batch__programme_id=batch.programme_id,
            status__in=(*ACTIVE_STATUSES, EnrolmentStatus.WAITLISTED),
            completed_at__isnull=True,
        )
        .exclude(batch=batch)
        .exclude(batch__end_date__lt=ended_before)
    )


def active_enrolment_in_programme(
    employee: Employee, batch: Batch, now: datetime
) -> Enrolment | None:
    """The employee's other live enrolment in `batch`'s programme, if any (:func:`live_elsewhere`)."""
    return (
        live_elsewhere(batch, now)
        .filter(employee=employee)
        .select_related("batch")
        .order_by("batch__start_date", "pk")
        .first()
    )


def trainer_employee_ids(batch: Batch) -> set[int]:
    """Employees who teach this batch: its trainers and the trainers of its sessions."""
    return set(
        Trainer.objects.filter(Q(batches=batch) | Q(sessions__batch=batch))
        .filter(employee_id__isnull=False)
        .values_list("employee_id", flat=True)
    )


def facilitator_refusal(employee: Employee) -> str:
    return gettext(
        "{name} adalah pengajar (fasilitator) di angkatan ini; pengajar tidak dapat "
        "didaftarkan sebagai peserta angkatan yang diajarnya."
    ).format(name=employee.name)


def _describe(batch: Batch) -> str:
    return f"{batch.programme.title} — {batch.name} ({date_format(batch.start_date, 'j F Y')})"


def _invite_message(enrolment: Enrolment) -> tuple[str, str, str]:
    batch = enrolment.batch
    title = f"Undangan pelatihan: {batch.programme.title}"
    body = (
        f"Anda diundang mengikuti {_describe(batch)}. Mohon konfirmasi: terima atau tolak "
        "dengan alasan."
    )
    return title, body, reverse("participation:invitations")


def _check_invitable(
    batch: Batch, employee: Employee, now: datetime, check_clash: bool
) -> Enrolment | None:
    """Refuse an invitation the rules forbid (another instansi, inactive, the batch's own
    facilitator, already in this batch or live in another batch of the programme, programme
    completed, a clashing schedule); return the employee's earlier enrolment in the batch
    (cancelled or declined), which the invitation reopens."""
    if employee.instansi_id != batch.programme.instansi_id:
        raise ValidationError({"employee": gettext("Pegawai bukan dari instansi penyelenggara.")})
    if not employee.is_active:
        raise ValidationError(
            {"employee": gettext("{name} tidak aktif.").format(name=employee.name)}
        )
    if employee.pk in trainer_employee_ids(batch):
        raise ValidationError({"employee": facilitator_refusal(employee)})
    existing = Enrolment.objects.filter(employee=employee, batch=batch).first()
    if existing is not None and existing.status in (*ACTIVE_STATUSES, EnrolmentStatus.WAITLISTED):
        raise ValidationError(
            {
                "employee": gettext("{name} sudah terdaftar di angkatan ini ({status}).").format(
                    name=employee.name, status=existing.get_status_display()
                )
            }
        )
    other = active_enrolment_in_programme(employee, batch, now)
    if other is not None:
        raise ValidationError(
            {
                "employee": gettext(
                    "{name} sudah terdaftar di {batch} ({status}) untuk program "
                    "{programme}; satu pegawai hanya boleh punya satu kepesertaan "
                    "aktif per program. Batalkan atau pindahkan kepesertaan itu dahulu."
                ).format(
                    name=employee.name,
                    batch=other.batch.name,
                    status=other.get_status_display().lower(),
                    programme=batch.programme.title,
                )
            }
        )
    if Enrolment.objects.filter(
        employee=employee, batch__programme_id=batch.programme_id, completed_at__isnull=False
    ).exists():
        raise ValidationError(
            {
                "employee": gettext("{name} sudah menyelesaikan program ini.").format(
                    name=employee.name
                )
            }
        )
    if check_clash:
        clash = clashing_batch(employee, batch)
        if clash is not None:
            raise ValidationError(
                {
                    "batch": gettext("Jadwal bentrok: {name} sudah terdaftar di {batch}.").format(
                        name=employee.name, batch=_describe(clash)
                    )
                }
            )
    return existing


def _reopen(
    enrolment: Enrolment,
    *,
    status: str,
    source: str,
    plan_ref: int | None,
    invited_at: datetime,
    responded_at: datetime | None,
) -> None:
    """Give an earlier enrolment of the same employee and batch a fresh start."""
    enrolment.status = status
    enrolment.source = source
    enrolment.plan_ref = plan_ref
    enrolment.invited_at = invited_at
    enrolment.responded_at = responded_at
    enrolment.decline_reason = ""
    enrolment.decline_note = ""
    enrolment.save(
        update_fields=[
            "status",
            "source",
            "plan_ref",
            "invited_at",
            "responded_at",
            "decline_reason",
            "decline_note",
        ]
    )


@transaction.atomic
def do_invite(
    *,
    batch: Batch,
    employee: Employee,
    actor: User | None,
    source: str = EnrolmentSource.MANUAL,
    plan_ref: int | None = None,
    now: datetime | None = None,
    notify: bool = True,
    check_clash: bool = True,
) -> Enrolment:
    """Invite an employee to a batch; beyond its capacity the invitation goes to the waitlist."""
    now = now or timezone.now()
    existing = _check_invitable(batch, employee, now, check_clash)
    status = (
        EnrolmentStatus.WAITLISTED
        if seats_taken(batch) >= batch.capacity
        else EnrolmentStatus.INVITED
    )
    invitation: dict[str, Any] = {
        "status": status,
        "source": source,
        "plan_ref": plan_ref,
        "invited_at": now,
    }
    if existing is None:
        enrolment = Enrolment.objects.create(
            instansi_id=employee.instansi_id, employee=employee, batch=batch, **invitation
        )
    else:
        enrolment = existing
        _reopen(enrolment, **invitation, responded_at=None)
    audit.record(
        actor=actor,
        action="enrolment.invite",
        obj=enrolment,
        summary=f"{employee.nip} → {batch.code} ({status})",
    )
    if notify and status == EnrolmentStatus.INVITED:
        title, body, url = _invite_message(enrolment)
        notify_employee(
            employee, title=title, body=body, url=url, key=f"invite-{enrolment.pk}-{now:%s}"
        )
    return enrolment


def _lock(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update()
        .select_related("batch__programme", "employee")
        .get(pk=enrolment.pk)
    )


@transaction.atomic
def do_accept(
    *, enrolment: Enrolment, actor: User | None, now: datetime | None = None
) -> Enrolment:
    now = now or timezone.now()
    enrolment = _lock(enrolment)
    if enrolment.status != EnrolmentStatus.INVITED:
        raise ValidationError(
            gettext("Undangan ini tidak dapat diterima (status: {status}).").format(
                status=enrolment.get_status_display()
            )
        )
    if (
        enrolment.batch.start_date < now.date()
        and enrolment.batch.sessions.filter(end__lte=now).exists()
    ):
        raise ValidationError(
            gettext("Angkatan ini sudah berjalan; undangan tidak dapat diterima lagi.")
        )
    enrolment.status = EnrolmentStatus.ACCEPTED
    enrolment.responded_at = now
    enrolment.save(update_fields=["status", "responded_at"])
    audit.record(actor=actor, action="enrolment.accept", obj=enrolment)
    return enrolment


def _promote_waitlist(batch: Batch, now: datetime, notify: bool) -> Enrolment | None:
    if seats_taken(batch) >= batch.capacity:
        return None
    first = (
        Enrolment.objects.select_for_update()
        .filter(batch=batch, status=EnrolmentStatus.WAITLISTED)
        .order_by("invited_at", "id")
        .first()
    )
    if first is None:
        return None
    first.status = EnrolmentStatus.INVITED
    first.invited_at = now
    first.save(update_fields=["status", "invited_at"])
    audit.record(actor=None, action="enrolment.promote", obj=first)
    if notify:
        title, body, url = _invite_message(first)
        notify_employee(
            first.employee,
            title=f"Kursi tersedia — {title}",
            body=body,
            url=url,
            key=f"promote-{first.pk}-{now:%s}",
        )
    return first


@transaction.atomic
def do_decline(
    *,
    enrolment: Enrolment,
    reason: str,
    note: str = "",
    actor: User | None,
    now: datetime | None = None,
    notify: bool = True,
) -> Enrolment:
    """Decline with a reason (the evidence for the report's challenges); frees the seat."""
    now = now or timezone.now()
    enrolment = _lock(enrolment)
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": gettext("Pilih alasan menolak.")})
    note = note.strip()
    if reason == DeclineReason.OTHER and not note:
        raise ValidationError({"note": gettext("Alasan 'Lainnya' wajib dijelaskan.")})
    if enrolment.status not in (
        EnrolmentStatus.INVITED,
        EnrolmentStatus.ACCEPTED,
        EnrolmentStatus.WAITLISTED,
    ):
        raise ValidationError(
            gettext("Kepesertaan ini tidak dapat ditolak (status: {status}).").format(
                status=enrolment.get_status_display()
            )
        )
    if enrolment.attendance.filter(present=True).exists():
        raise ValidationError(
            gettext("Anda sudah hadir di sesi angkatan ini; tidak dapat menolak lagi.")
        )
    enrolment.status = EnrolmentStatus.DECLINED
    enrolment.responded_at = now
    enrolment.decline_reason = reason
    enrolment.decline_note = note[:300]
    enrolment.save(update_fields=["status", "responded_at", "decline_reason", "decline_note"])
    audit.record(
        actor=actor, action="enrolment.decline", obj=enrolment, summary=f"{reason}: {note[:200]}"
    )
    _promote_waitlist(enrolment.batch, now, notify)
    return enrolment


@transaction.atomic
def do_cancel(
    *, enrolment: Enrolment, actor: User | None, note: str = "", notify: bool = True
) -> Enrolment:
    now = timezone.now()
    enrolment = _lock(enrolment)
    if enrolment.status == EnrolmentStatus.CANCELLED:
        return enrolment
    if enrolment.attendance.filter(present=True).exists():
        raise ValidationError(
            gettext(
                "{name} sudah hadir di angkatan ini; kepesertaan tidak dapat dibatalkan."
            ).format(name=enrolment.employee.name)
        )
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.decline_note = note[:300]
    enrolment.save(update_fields=["status", "decline_note"])
    audit.record(actor=actor, action="enrolment.cancel", obj=enrolment, summary=note[:200])
    if notify:
        notify_employee(
            enrolment.employee,
            title=f"Jadwal pelatihan dibatalkan: {enrolment.batch.programme.title}",
            body=note or f"Kepesertaan Anda di {_describe(enrolment.batch)} dibatalkan.",
            url=reverse("participation:invitations"),
        )
    _promote_waitlist(enrolment.batch, now, notify)
    return enrolment


@transaction.atomic
def do_move(
    *,
    enrolment: Enrolment,
    batch: Batch,
    actor: User | None,
    source: str = EnrolmentSource.PLAN,
    plan_ref: int | None = None,
    notify: bool = True,
) -> Enrolment:
    """Move a participant to another batch of the same programme (keeps an acceptance)."""
    now = timezone.now()
    enrolment = _lock(enrolment)
    if batch.programme_id != enrolment.batch.programme_id:
        raise ValidationError({"batch": gettext("Angkatan tujuan bukan dari program yang sama.")})
    if batch.pk == enrolment.batch_id:
        return enrolment
    if enrolment.status not in ACTIVE_STATUSES:
        raise ValidationError(
            gettext("Hanya undangan aktif yang dapat dipindah (status: {status}).").format(
                status=enrolment.get_status_display()
            )
        )
    if enrolment.attendance.filter(present=True).exists():
        raise ValidationError(gettext("Peserta sudah hadir di angkatan ini; tidak dapat dipindah."))
    if seats_taken(batch) >= batch.capacity:
        raise ValidationError({"batch": gettext("{batch} sudah penuh.").format(batch=batch.name)})
    clash = clashing_batch(enrolment.employee, batch, ignore=enrolment)
    if clash is not None:
        raise ValidationError(
            {"batch": gettext("Jadwal bentrok dengan {batch}.").format(batch=_describe(clash))}
        )
    keep_status = enrolment.status
    old_batch = enrolment.batch
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.decline_note = f"Dipindah ke {batch.name}"
    enrolment.save(update_fields=["status", "decline_note"])
    target = Enrolment.objects.filter(employee=enrolment.employee, batch=batch).first()
    if target is None:
        target = Enrolment.objects.create(
            instansi_id=enrolment.instansi_id,
            employee=enrolment.employee,
            batch=batch,
            status=keep_status,
            source=source,
            plan_ref=plan_ref,
            invited_at=enrolment.invited_at,
            responded_at=enrolment.responded_at,
        )
    else:
        _reopen(
            target,
            status=keep_status,
            source=source,
            plan_ref=plan_ref,
            invited_at=enrolment.invited_at,
            responded_at=enrolment.responded_at,
        )
    audit.record(
        actor=actor,
        action="enrolment.move",
        obj=target,
        before={"batch": old_batch.code},
        after={"batch": batch.code},
    )
    if notify:
        notify_employee(
            enrolment.employee,
            title=f"Jadwal pelatihan berubah: {batch.programme.title}",
            body=f"Anda dipindah dari {old_batch.name} ke {_describe(batch)}.",
            url=reverse("participation:invitations"),
        )
    _promote_waitlist(old_batch, now, notify)
    return target
