"""Background work: reminders (in-app and e-mail) and closing finished batches."""

from __future__ import annotations

from datetime import date

import time_machine
from django.core import mail
from django.urls import reverse

from kompeten.core.periodic import PERIODIC
from kompeten.participation.actions.attendance import do_mark_attendance
from kompeten.participation.actions.enrolment import do_invite
from kompeten.participation.models import CompletionRule, Enrolment, Notification
from kompeten.participation.tasks import (
    close_finished_batches_now,
    deliver_notification_email,
    send_reminders_now,
)
from tests.participation.builders import at, dave_accepts, make_batch, make_programme

DAY = date(2026, 3, 3)


def test_reminders_go_out_once_in_app_and_by_e_mail(world):
    world.dave.email = "dave@example.test"
    world.dave.save(update_fields=["email"])
    batch = make_batch(make_programme(world.instansi), [(DAY, 8, 12)])
    with time_machine.travel(at(date(2026, 2, 20), 9), tick=False):
        enrolment = dave_accepts(world, batch)
        pending = do_invite(
            batch=make_batch(make_programme(world.instansi, "Lain"), [(date(2026, 4, 1), 8, 12)]),
            employee=world.dave_emp,
            actor=world.alice,
        )
    with time_machine.travel(at(date(2026, 3, 2), 10), tick=False):
        assert send_reminders_now() == 2
        assert send_reminders_now() == 2  # keyed: the second run finds the same notifications
    titles = set(Notification.objects.filter(user=world.dave).values_list("title", flat=True))
    assert any(t.startswith("Pengingat:") for t in titles)
    assert any(t.startswith("Mohon jawab undangan") for t in titles)
    assert Notification.objects.filter(user=world.dave, key__startswith="remind-").count() == 2
    note = Notification.objects.filter(
        user=world.dave, key=f"remind-session-{batch.sessions.get().pk}"
    ).get()
    assert deliver_notification_email.call(note.pk) is True
    assert mail.outbox[-1].to == ["dave@example.test"] and "Pengingat" in mail.outbox[-1].subject
    assert enrolment.pk and pending.pk


def test_the_periodic_jobs_are_registered():
    assert {"participation.reminders", "participation.close_batches"} <= set(PERIODIC)


def test_closing_batches_completes_those_who_met_the_rule(world):
    programme = make_programme(world.instansi)
    CompletionRule.objects.create(programme=programme, requires_posttest=False)
    batch = make_batch(programme, [(DAY, 8, 12)])
    with time_machine.travel(at(date(2026, 2, 20), 9), tick=False):
        enrolment = dave_accepts(world, batch)
    with time_machine.travel(at(DAY, 10), tick=False):
        do_mark_attendance(
            session=batch.sessions.get(), enrolment=enrolment, present=True, actor=world.alice
        )
    assert Enrolment.objects.get(pk=enrolment.pk).completed_at is None  # the session had not ended
    with time_machine.travel(at(DAY, 18), tick=False):
        assert close_finished_batches_now() == 1


def test_the_notification_list_shows_only_ones_own(client, world):
    Notification.objects.create(user=world.erin, title="Rahasia Erin", created=at(DAY, 8))
    client.force_login(world.dave)
    assert "Rahasia Erin" not in client.get(reverse("participation:notifications")).content.decode()
    client.force_login(world.erin)
    client.post(reverse("participation:notifications_read"))
    assert Notification.objects.get(title="Rahasia Erin").read_at is not None
