"""The QR screen's live attendance counter: a small JSON endpoint the screen polls (through a
local script, no inline JS), for the session's trainer and the admin only."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from kompeten.participation import qr
from kompeten.participation.actions.attendance import do_check_in
from kompeten.participation.actions.enrolment import do_accept, do_invite
from tests.participation.builders import at, make_batch, make_programme, make_trainer

DAY = date(2026, 3, 3)


@pytest.fixture
def session(world):  # type: ignore[no-untyped-def]
    carol_teaches = make_trainer(world.instansi, world.carol_emp)
    batch = make_batch(make_programme(world.instansi), [(DAY, 8, 12)], trainers=[carol_teaches])
    with time_machine.travel(at(date(2026, 2, 1), 9), tick=False):
        for employee, user in ((world.dave_emp, world.dave), (world.erin_emp, world.erin)):
            enrolment = do_invite(batch=batch, employee=employee, actor=world.alice)
            do_accept(enrolment=enrolment, actor=user)
    return batch.sessions.get()


def test_the_count_follows_each_check_in(client, world, session, django_assert_max_num_queries):
    client.force_login(world.alice)
    url = reverse("participation:attendance_count", args=[session.pk])
    with django_assert_max_num_queries(8):  # session, user, the session, two counts
        before = client.get(url)
    assert before.json() == {
        "present": 0,
        "expected": 2,
        "text": "0 dari 2 peserta sudah hadir.",
    }
    assert "no-store" in before["Cache-Control"]
    with time_machine.travel(at(DAY, 8, 3), tick=False):
        do_check_in(user=world.dave, session=session, code=qr.token(session.pk, at(DAY, 8, 3)))
    assert client.get(url).json()["text"] == "1 dari 2 peserta sudah hadir."


def test_the_qr_screen_wires_the_counter_through_a_local_script(client, world, session):
    client.force_login(world.alice)
    html = client.get(reverse("participation:qr_screen", args=[session.pk])).content.decode()
    url = reverse("participation:attendance_count", args=[session.pk])
    assert f'data-live-count="{url}"' in html
    assert "kompeten/js/live-counter" in html and "<script>" not in html
    assert "0 dari 2 peserta sudah hadir." in html


def test_only_the_trainer_and_the_admin_see_the_count(client, world, session):
    url = reverse("participation:attendance_count", args=[session.pk])
    client.force_login(world.carol)  # she teaches the batch
    assert client.get(url).json()["expected"] == 2
    for user in (world.dave, world.bob, world.erin):  # participants and the pengelola do not
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(world.mallory)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
