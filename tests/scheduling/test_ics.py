"""iCalendar feeds per employee and per trainer, behind a revocable secret URL."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from icalendar import Calendar

from kompeten.participation.actions.enrolment import do_accept, do_invite
from kompeten.scheduling.actions.feeds import do_create_feed, do_revoke_feed
from kompeten.scheduling.models import CalendarFeed
from tests.participation.builders import at, make_batch, make_programme, make_trainer

DAY = date(2030, 3, 13)


def test_the_employee_feed_parses_back_with_the_sessions(client, world):
    programme = make_programme(world.instansi, "Pelayanan Prima")
    batch = make_batch(programme, [(DAY, 8, 12), (date(2030, 3, 14), 9, 11)])
    enrolment = do_invite(batch=batch, employee=world.dave_emp, actor=world.alice)
    do_accept(enrolment=enrolment, actor=world.dave)
    feed = do_create_feed(user=world.dave, kind="pegawai")
    response = client.get(reverse("scheduling:ical_feed", args=[feed.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [e.decoded("dtstart") for e in events] == [at(DAY, 8), at(date(2030, 3, 14), 9)]
    assert str(events[0]["summary"]).startswith("Pelayanan Prima")
    assert str(events[0]["status"]) == "CONFIRMED"
    assert calendar["version"] == "2.0" and calendar.walk("VTIMEZONE")


def test_a_trainer_feed_lists_the_sessions_they_teach(client, world):
    trainer = make_trainer(world.instansi, world.carol_emp)
    make_batch(make_programme(world.instansi, "Komunikasi"), [(DAY, 13, 15)], trainers=[trainer])
    feed = do_create_feed(user=world.carol, kind="fasilitator")
    calendar = Calendar.from_ical(
        client.get(reverse("scheduling:ical_feed", args=[feed.token])).content
    )
    assert [str(e["summary"]).split(" — ")[0] for e in calendar.walk("VEVENT")] == ["Komunikasi"]


def test_a_revoked_or_replaced_url_answers_404(client, world):
    old = do_create_feed(user=world.dave, kind="pegawai")
    new = do_create_feed(user=world.dave, kind="pegawai")
    assert client.get(reverse("scheduling:ical_feed", args=[old.token])).status_code == 404
    assert client.get(reverse("scheduling:ical_feed", args=[new.token])).status_code == 200
    do_revoke_feed(feed=new, actor=world.dave)
    assert client.get(reverse("scheduling:ical_feed", args=[new.token])).status_code == 404
    assert client.get(reverse("scheduling:ical_feed", args=["tebakan"])).status_code == 404


def test_feeds_are_created_and_revoked_only_by_their_owner(client, world):
    client.force_login(world.dave)
    client.post(reverse("scheduling:feed_create"), {"kind": "pegawai"})
    feed = CalendarFeed.objects.get(user=world.dave)
    page = client.get(reverse("scheduling:my_schedule"))
    assert feed.token in page.content.decode()
    client.force_login(world.erin)
    assert client.post(reverse("scheduling:feed_revoke", args=[feed.pk])).status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None
