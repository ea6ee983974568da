"""Secret iCalendar feed URLs: create one, revoke it."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.scheduling.models import CalendarFeed, FeedKind


@transaction.atomic
def do_create_feed(*, user: User, kind: str) -> CalendarFeed:
    """A new secret URL; the previous one of the same kind stops working."""
    if kind not in FeedKind.values:
        raise ValidationError({"kind": gettext("Jenis umpan tidak dikenal.")})
    if kind == FeedKind.EMPLOYEE and user.employee_id is None:
        raise ValidationError(gettext("Akun Anda tidak terhubung dengan data pegawai."))
    CalendarFeed.objects.filter(user=user, kind=kind, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    feed = CalendarFeed.objects.create(user=user, kind=kind, token=secrets.token_urlsafe(32))
    audit.record(actor=user, action="calendar_feed.create", obj=feed, instansi=user.instansi)
    return feed


@transaction.atomic
def do_revoke_feed(*, feed: CalendarFeed, actor: User) -> CalendarFeed:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="calendar_feed.revoke", obj=feed, instansi=actor.instansi)
    return feed
