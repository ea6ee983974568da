"""Check-in by the rotating QR code: time frozen with time-machine."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompeten.participation import qr
from kompeten.participation.actions.attendance import do_check_in
from kompeten.participation.actions.enrolment import do_accept, do_invite
from kompeten.participation.models import Attendance
from tests.participation.builders import at, make_batch, make_programme

DAY = date(2026, 3, 3)


@pytest.fixture
def setup(world):
    programme = make_programme(world.instansi)
    batch = make_batch(programme, [(DAY, 8, 12), (date(2026, 3, 4), 8, 12)])
    other = make_batch(make_programme(world.instansi, "Lain"), [(DAY, 13, 15)])
    with time_machine.travel(at(date(2026, 2, 1), 9), tick=False):
        enrolment = do_invite(batch=batch, employee=world.dave_emp, actor=world.alice)
        enrolment = do_accept(enrolment=enrolment, actor=world.dave)
    session = batch.sessions.order_by("start").first()
    return batch, session, other.sessions.first(), enrolment


def test_it_checks_in_with_the_current_code_and_records_lateness(world, setup):
    _batch, session, _other, enrolment = setup
    with time_machine.travel(at(DAY, 8, 7), tick=False):
        code = qr.token(session.pk, at(DAY, 8, 7))
        record = do_check_in(user=world.dave, session=session, code=code)
    assert record.present and record.late_minutes == 7
    assert record.enrolment_id == enrolment.pk


def test_it_accepts_a_code_from_the_previous_window_but_refuses_an_expired_one(world, setup):
    _batch, session, _other, _enrolment = setup
    shown = at(DAY, 8, 0)
    code = qr.token(session.pk, shown)
    with (
        time_machine.travel(shown + timedelta(seconds=95), tick=False),
        pytest.raises(ValidationError, match="kedaluwarsa"),
    ):
        do_check_in(user=world.dave, session=session, code=code)
    assert not Attendance.objects.exists()
    with time_machine.travel(shown + timedelta(seconds=31), tick=False):
        assert do_check_in(user=world.dave, session=session, code=code).present


def test_it_refuses_a_code_of_another_session(world, setup):
    _batch, session, other_session, _enrolment = setup
    with time_machine.travel(at(DAY, 8, 5), tick=False):
        foreign = qr.token(other_session.pk, at(DAY, 8, 5))
        with pytest.raises(ValidationError, match="sesi lain"):
            do_check_in(user=world.dave, session=session, code=foreign)
    assert not Attendance.objects.exists()


def test_it_refuses_a_second_check_in(world, setup):
    _batch, session, _other, _enrolment = setup
    with time_machine.travel(at(DAY, 8, 1), tick=False):
        code = qr.token(session.pk, at(DAY, 8, 1))
        do_check_in(user=world.dave, session=session, code=code)
        with pytest.raises(ValidationError, match="sudah tercatat hadir"):
            do_check_in(user=world.dave, session=session, code=code)
    assert Attendance.objects.count() == 1


def test_it_refuses_a_forged_code_and_someone_not_enrolled(world, setup):
    _batch, session, _other, _enrolment = setup
    with time_machine.travel(at(DAY, 8, 1), tick=False):
        window = qr.window_of(at(DAY, 8, 1))
        with pytest.raises(ValidationError, match="tidak sah"):
            do_check_in(user=world.dave, session=session, code=f"{session.pk}.{window}.0000000000")
        with pytest.raises(ValidationError, match="tidak terdaftar"):
            do_check_in(user=world.erin, session=session, code=qr.token(session.pk, at(DAY, 8, 1)))
    assert not Attendance.objects.exists()


def test_the_scanned_url_checks_the_participant_in_and_explains_refusals(client, world, setup):
    _batch, session, _other, _enrolment = setup
    client.force_login(world.dave)
    url = reverse("participation:check_in", args=[session.pk])
    with time_machine.travel(at(DAY, 8, 2), tick=False):
        code = qr.token(session.pk, at(DAY, 8, 2))
        ok = client.get(url, {"kode": code})
        again = client.get(url, {"kode": code})
    assert ok.status_code == 200 and b'data-testid="checkin-ok"' in ok.content
    assert again.status_code == 400 and "sudah tercatat hadir" in again.content.decode()


def test_the_trainer_screen_serves_a_fresh_svg_and_outsiders_get_404(client, world, setup):
    from tests.participation.builders import make_trainer

    batch, session, _other, _enrolment = setup
    trainer = make_trainer(world.instansi, world.carol_emp)
    batch.trainers.add(trainer)
    client.force_login(world.carol)
    with time_machine.travel(
        at(
            DAY,
            8,
            0,
        ),
        tick=False,
    ):
        page = client.get(reverse("participation:qr_screen", args=[session.pk]))
        svg = client.get(reverse("participation:qr_svg", args=[session.pk]))
    assert page.status_code == 200 and b"data-qr-src" in page.content
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    client.force_login(world.erin)
    assert client.get(reverse("participation:qr_svg", args=[session.pk])).status_code == 404
    assert client.get(reverse("participation:roll_call", args=[session.pk])).status_code == 404
