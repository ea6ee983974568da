"""Invitation → accept or decline with a reason → waitlist."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompeten.participation.actions.enrolment import do_accept, do_cancel, do_decline, do_invite
from kompeten.participation.models import DeclineReason, Enrolment, EnrolmentStatus, Notification
from tests import factories
from tests.participation.builders import make_batch, make_programme


@pytest.fixture
def batch(world):
    return make_batch(make_programme(world.instansi), [(date(2030, 3, 3), 8, 12)], capacity=1)


def test_an_invitation_notifies_the_employee_and_beyond_capacity_goes_to_the_waitlist(world, batch):
    first = do_invite(batch=batch, employee=world.dave_emp, actor=world.alice)
    second = do_invite(batch=batch, employee=world.erin_emp, actor=world.alice)
    assert first.status == EnrolmentStatus.INVITED
    assert second.status == EnrolmentStatus.WAITLISTED
    assert Notification.objects.filter(user=world.dave, title__startswith="Undangan").exists()
    assert not Notification.objects.filter(user=world.erin).exists()


def test_a_decline_needs_a_reason_and_frees_the_seat_for_the_waitlist(world, batch):
    first = do_invite(batch=batch, employee=world.dave_emp, actor=world.alice)
    second = do_invite(batch=batch, employee=world.erin_emp, actor=world.alice)
    with pytest.raises(ValidationError):
        do_decline(enrolment=first, reason="", actor=world.dave)
    with pytest.raises(ValidationError, match="wajib dijelaskan"):
        do_decline(enrolment=first, reason=DeclineReason.OTHER, note=" ", actor=world.dave)
    first.refresh_from_db()
    assert first.status == EnrolmentStatus.INVITED
    do_decline(enrolment=first, reason=DeclineReason.WORKLOAD, actor=world.dave)
    second.refresh_from_db()
    assert second.status == EnrolmentStatus.INVITED
    assert Notification.objects.filter(user=world.erin, title__startswith="Kursi tersedia").exists()


def test_it_refuses_a_second_invitation_and_a_clashing_one(world, batch):
    do_invite(batch=batch, employee=world.dave_emp, actor=world.alice)
    with pytest.raises(ValidationError, match="sudah terdaftar"):
        do_invite(batch=batch, employee=world.dave_emp, actor=world.alice)
    clash = make_batch(make_programme(world.instansi, "Lain"), [(date(2030, 3, 3), 10, 14)])
    with pytest.raises(ValidationError, match="bentrok"):
        do_invite(batch=clash, employee=world.dave_emp, actor=world.alice)
    assert Enrolment.objects.filter(employee=world.dave_emp).count() == 1


def test_an_employee_of_another_instansi_cannot_be_invited(world, batch):
    other_unit = factories.make_unit(world.mallory.instansi, "Dinas Lain")
    stranger = factories.make_employee(other_unit, "Orang Lain")
    with pytest.raises(ValidationError):
        do_invite(batch=batch, employee=stranger, actor=world.alice)


def test_the_pegawai_accepts_and_declines_on_the_invitations_page(client, world, batch):
    enrolment = do_invite(batch=batch, employee=world.dave_emp, actor=world.alice)
    client.force_login(world.dave)
    page = client.get(reverse("participation:invitations"))
    assert page.status_code == 200 and batch.programme.title in page.content.decode()
    client.post(reverse("participation:accept", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACCEPTED
    bad = client.post(
        reverse("participation:decline", args=[enrolment.pk]), {"reason": "lainnya", "note": ""}
    )
    assert bad.status_code == 200 and "wajib dijelaskan" in bad.content.decode()
    client.post(reverse("participation:decline", args=[enrolment.pk]), {"reason": "bentrok_tugas"})
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.DECLINED
    assert enrolment.decline_reason == DeclineReason.DUTY_CLASH


def test_nobody_else_can_answer_someone_elses_invitation(client, world, batch):
    enrolment = do_invite(batch=batch, employee=world.dave_emp, actor=world.alice)
    for user in (world.erin, world.bob, world.alice):
        client.force_login(user)
        assert client.post(reverse("participation:accept", args=[enrolment.pk])).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.INVITED


def test_accepting_twice_or_after_declining_is_refused(world, batch):
    enrolment = do_invite(batch=batch, employee=world.dave_emp, actor=world.alice)
    do_accept(enrolment=enrolment, actor=world.dave)
    with pytest.raises(ValidationError):
        do_accept(enrolment=enrolment, actor=world.dave)
    do_cancel(enrolment=enrolment, actor=world.alice, note="uji")
    with pytest.raises(ValidationError):
        do_accept(enrolment=enrolment, actor=world.dave)
