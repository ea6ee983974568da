"""In-app notifications, also sent by e-mail by the background worker."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kompeten.core.models import User
from kompeten.participation.models import Notification
from kompeten.people.models import Employee


def do_notify(
    *, user: User, title: str, body: str = "", url: str = "", key: str = "", email: bool = True
) -> Notification:
    """Create an in-app notification; when `key` is given, never twice for the same key."""
    if key:
        existing = Notification.objects.filter(user=user, key=key).first()
        if existing is not None:
            return existing
    note = Notification.objects.create(
        user=user, title=title[:200], body=body, url=url, key=key, created=timezone.now()
    )
    if email:
        from kompeten.participation.tasks import deliver_notification_email

        note_id = note.pk
        transaction.on_commit(lambda: deliver_notification_email.enqueue(note_id))
    return note


def notify_employee(
    employee: Employee, *, title: str, body: str = "", url: str = "", key: str = ""
) -> Notification | None:
    user = User.objects.filter(employee=employee, is_active=True).first()
    if user is None:
        return None
    return do_notify(user=user, title=title, body=body, url=url, key=key)


@transaction.atomic
def do_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
