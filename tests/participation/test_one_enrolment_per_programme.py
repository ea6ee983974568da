"""One live enrolment per employee and programme (the demo once enrolled people twice)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from kompeten.participation.actions.enrolment import do_cancel, do_decline, do_invite
from kompeten.participation.models import DeclineReason, Enrolment, EnrolmentStatus
from tests.participation.builders import at, make_batch, make_programme


@pytest.fixture
def programme(world):
    return make_programme(world.instansi, "Pelayanan Prima")


@pytest.fixture
def march(programme):
    return make_batch(programme, [(date(2030, 3, 4), 8, 12)], capacity=1, name="Angkatan Maret")


@pytest.fixture
def june(programme):
    return make_batch(programme, [(date(2030, 6, 3), 8, 12)], capacity=5, name="Angkatan Juni")


def test_it_refuses_a_second_batch_of_the_same_programme_even_when_the_first_ends_earlier(
    world, march, june
):
    do_invite(batch=march, employee=world.dave_emp, actor=world.alice, now=at(date(2030, 2, 1), 9))
    with pytest.raises(ValidationError) as caught:
        do_invite(
            batch=june, employee=world.dave_emp, actor=world.alice, now=at(date(2030, 2, 1), 9)
        )
    message = caught.value.message_dict["employee"][0]
    assert "sudah terdaftar di Angkatan Maret" in message
    assert "satu kepesertaan aktif per program" in message
    assert Enrolment.objects.filter(employee=world.dave_emp).count() == 1


def test_a_waitlisted_enrolment_also_blocks_another_batch_of_the_programme(world, march, june):
    do_invite(batch=march, employee=world.erin_emp, actor=world.alice)
    waiting = do_invite(batch=march, employee=world.dave_emp, actor=world.alice)
    assert waiting.status == EnrolmentStatus.WAITLISTED
    with pytest.raises(ValidationError, match="satu kepesertaan aktif per program"):
        do_invite(batch=june, employee=world.dave_emp, actor=world.alice)


def test_after_a_decline_or_a_cancellation_another_batch_may_be_offered(world, march, june):
    first = do_invite(batch=march, employee=world.dave_emp, actor=world.alice)
    do_decline(enrolment=first, reason=DeclineReason.WORKLOAD, actor=world.dave, notify=False)
    second = do_invite(batch=june, employee=world.dave_emp, actor=world.alice, notify=False)
    assert second.status == EnrolmentStatus.INVITED
    do_cancel(enrolment=second, actor=world.alice, notify=False)
    again = do_invite(batch=march, employee=world.dave_emp, actor=world.alice, notify=False)
    assert again.status == EnrolmentStatus.INVITED


def test_a_retake_is_allowed_once_the_earlier_batch_has_ended_uncompleted(world, march, june):
    do_invite(batch=march, employee=world.dave_emp, actor=world.alice, now=at(date(2030, 2, 1), 9))
    retake = do_invite(
        batch=june, employee=world.dave_emp, actor=world.alice, now=at(date(2030, 4, 1), 9)
    )
    assert retake.batch_id == june.pk
    assert Enrolment.objects.filter(employee=world.dave_emp).count() == 2
