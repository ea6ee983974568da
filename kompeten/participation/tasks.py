"""Background work of participation: e-mail for notifications, reminders, closing batches."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks import task

from kompeten.core.periodic import register


@task()
def deliver_notification_email(notification_id: int) -> bool:
    """Send the e-mail copy of an in-app notification (to the user's or the employee's address)."""
    from kompeten.participation.models import Notification

    note = Notification.objects.select_related("user__employee").filter(pk=notification_id).first()
    if note is None:
        return False
    address = note.user.email or (note.user.employee.email if note.user.employee else "")
    if not address:
        return False
    link = f"{settings.SITE_URL}{note.url}" if note.url else settings.SITE_URL
    send_mail(
        subject=f"[Kompeten] {note.title}",
        message=f"{note.body}\n\n{link}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[address],
    )
    return True


def send_reminders_now() -> int:
    """Remind accepted participants of tomorrow's sessions and invitees who have not answered."""
    from django.urls import reverse

    from kompeten.core.models import User
    from kompeten.learning.models import Session
    from kompeten.participation.actions.notify import do_notify
    from kompeten.participation.models import Enrolment, EnrolmentStatus

    now = timezone.now()
    sent = 0
    sessions = Session.objects.filter(
        start__gte=now, start__lt=now + timedelta(hours=24)
    ).select_related("batch__programme")
    for session in sessions:
        users = User.objects.filter(
            is_active=True,
            employee__enrolments__batch_id=session.batch_id,
            employee__enrolments__status=EnrolmentStatus.ACCEPTED,
        )
        when = date_format(timezone.localtime(session.start), "l, j F Y H:i")
        for user in users:
            do_notify(
                user=user,
                title=f"Pengingat: {session.batch.programme.title} besok",
                body=f"Sesi {session.batch.name} dimulai {when} di {session.location or session.batch.location}.",
                url=reverse("scheduling:my_schedule"),
                key=f"remind-session-{session.pk}",
            )
            sent += 1
    stale = Enrolment.objects.filter(
        status=EnrolmentStatus.INVITED, invited_at__lt=now - timedelta(days=3)
    ).select_related("batch__programme")
    for enrolment in stale:
        invitee = User.objects.filter(employee_id=enrolment.employee_id, is_active=True).first()
        if invitee is None:
            continue
        do_notify(
            user=invitee,
            title=f"Mohon jawab undangan: {enrolment.batch.programme.title}",
            body="Undangan Anda belum dijawab. Terima, atau tolak dengan alasan.",
            url=reverse("participation:invitations"),
            key=f"remind-invite-{enrolment.pk}",
        )
        sent += 1
    return sent


@register("participation.reminders", every=timedelta(hours=1))
@task()
def send_reminders() -> int:
    return send_reminders_now()


def close_finished_batches_now() -> int:
    """Evaluate the completion rule for participants of batches whose last session has ended."""
    from kompeten.participation.actions.attendance import do_evaluate_completion
    from kompeten.participation.models import Enrolment, EnrolmentStatus

    now = timezone.now()
    done = 0
    pending = (
        Enrolment.objects.filter(status=EnrolmentStatus.ACCEPTED, completed_at__isnull=True)
        .annotate(last_end=Max("batch__sessions__end"))
        .filter(last_end__lte=now, last_end__gte=now - timedelta(days=60))
    )
    for enrolment in pending:
        done += int(do_evaluate_completion(enrolment=enrolment, now=now))
    return done


@register("participation.close_batches", every=timedelta(hours=6))
@task()
def close_finished_batches() -> int:
    return close_finished_batches_now()
