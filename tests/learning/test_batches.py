"""Batches (angkatan), sessions and trainers' availability."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kompeten.learning.actions import batches as actions
from kompeten.learning.models import Batch, Session, TrainerKind
from tests.conftest import World
from tests.learning.test_programmes import make_programme

WIB = ZoneInfo("Asia/Jakarta")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WIB)


@pytest.fixture
def setup(world: World):  # type: ignore[no-untyped-def]
    programme = make_programme(world, status="final")
    trainer = actions.do_create_trainer(
        instansi=world.instansi, kind=TrainerKind.EXTERNAL, external_name="Dewi Anggraini"
    )
    batch = actions.do_create_batch(
        programme,
        data=actions.BatchInput(
            code="A1",
            name="Angkatan I",
            capacity=25,
            start_date=date(2026, 4, 27),
            end_date=date(2026, 4, 29),
            location="Aula BKPSDM",
            trainers=[trainer],
        ),
    )
    return programme, trainer, batch


def test_sessions_fill_a_batch_in_office_hours(setup) -> None:  # type: ignore[no-untyped-def]
    programme, trainer, batch = setup
    module = programme.modules.first()
    rows = actions.do_add_sessions(
        batch,
        sessions=[
            actions.SessionInput(
                start=at(date(2026, 4, 27), 8),
                end=at(date(2026, 4, 27), 11),
                module=module,
                trainer=trainer,
            ),
            actions.SessionInput(
                start=at(date(2026, 4, 27), 13), end=at(date(2026, 4, 27), 15), trainer=trainer
            ),
        ],
    )
    assert len(rows) == 2 and rows[0].location == "Aula BKPSDM"
    assert list(batch.sessions.values_list("start", flat=True)) == sorted(
        batch.sessions.values_list("start", flat=True)
    )


def test_it_refuses_sessions_outside_the_batch_or_with_a_busy_trainer(setup, world: World) -> None:  # type: ignore[no-untyped-def]
    _programme, trainer, batch = setup
    day = date(2026, 4, 28)
    actions.do_set_trainer_availability(trainer, start=at(day, 0), end=at(day, 23), available=False)
    with pytest.raises(ValidationError) as caught:
        actions.do_add_sessions(
            batch,
            sessions=[
                actions.SessionInput(start=at(date(2026, 5, 4), 8), end=at(date(2026, 5, 4), 10)),
                actions.SessionInput(start=at(day, 8), end=at(day, 10), trainer=trainer),
                actions.SessionInput(start=at(day, 10), end=at(day, 9)),
            ],
        )
    text = " ".join(caught.value.messages)
    assert (
        "di luar tanggal angkatan" in text
        and "tidak tersedia" in text
        and "sesudah waktu mulai" in text
    )
    assert not Session.objects.exists()


def test_a_session_time_without_zone_or_past_the_calendar_is_refused_not_crashed(
    setup, world: World
) -> None:  # type: ignore[no-untyped-def]
    _programme, trainer, batch = setup
    day = date(2026, 4, 28)
    edge = datetime(1, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Tokyo"))  # year 0 in UTC
    with pytest.raises(ValidationError) as caught:
        actions.do_add_sessions(
            batch,
            sessions=[
                # A naive time beside a trainer's aware one: the calendars are read over the
                # span the sessions cover, which used to compare the two and crash.
                actions.SessionInput(start=at(day, 8), end=at(day, 10), trainer=trainer),
                actions.SessionInput(
                    start=datetime(2026, 4, 28, 13), end=datetime(2026, 4, 28, 14), trainer=trainer
                ),
                actions.SessionInput(start=edge, end=edge.replace(hour=2), trainer=trainer),
            ],
        )
    assert caught.value.messages == [
        "Sesi 2: waktu harus menyertakan zona waktu.",
        "Sesi 3: waktunya di luar rentang tanggal yang dapat disimpan.",
    ]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        actions.do_add_sessions(batch, sessions=[actions.SessionInput(start=at(day, 9), end=edge)])
    assert caught.value.messages == [
        "Session 1: its time lies outside the range of dates that can be stored."
    ]
    assert not Session.objects.exists()


def test_a_trainer_cannot_teach_two_sessions_at_once(setup, world: World) -> None:  # type: ignore[no-untyped-def]
    programme, trainer, batch = setup
    day = date(2026, 4, 27)
    actions.do_add_sessions(
        batch, sessions=[actions.SessionInput(start=at(day, 8), end=at(day, 11), trainer=trainer)]
    )
    other = actions.do_create_batch(
        programme,
        data=actions.BatchInput(
            code="A2",
            name="Angkatan II",
            capacity=25,
            start_date=day,
            end_date=day,
            online_link="https://meet.contoh.test/a2",
        ),
    )
    with pytest.raises(ValidationError, match="sudah mengajar"):
        actions.do_add_sessions(
            other,
            sessions=[actions.SessionInput(start=at(day, 10), end=at(day, 12), trainer=trainer)],
        )


def test_batch_input_is_checked(setup) -> None:  # type: ignore[no-untyped-def]
    programme, _trainer, _batch = setup
    with pytest.raises(ValidationError) as caught:
        actions.do_create_batch(
            programme,
            data=actions.BatchInput(
                code="A1",
                name="",
                capacity=0,
                start_date=date(2026, 5, 2),
                end_date=date(2026, 5, 1),
            ),
        )
    assert set(caught.value.message_dict) == {"code", "name", "capacity", "end_date", "location"}
    assert Batch.objects.count() == 1


def test_internal_trainers_are_employees(world: World) -> None:
    with pytest.raises(ValidationError, match="seorang pegawai"):
        actions.do_create_trainer(instansi=world.instansi, kind=TrainerKind.WIDYAISWARA)
    trainer = actions.do_create_trainer(
        instansi=world.instansi, kind=TrainerKind.FASILITATOR, employee=world.carol_emp
    )
    assert trainer.name == world.carol_emp.full_name


def test_the_batch_page_adds_a_session_and_counts_queries(
    setup,
    world: World,
    client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    _programme, trainer, batch = setup
    client.force_login(world.alice)
    url = reverse("learning:batch_detail", args=[batch.pk])
    response = client.post(
        url, {"date": "2026-04-27", "start": "08:00", "end": "11:00", "trainer": trainer.pk}
    )
    assert response.status_code == 302
    with django_assert_max_num_queries(12):
        body = client.get(url).content.decode()
    assert "08:00–11:00" in body
    client.force_login(world.dave)
    assert (
        client.post(url, {"date": "2026-04-28", "start": "08:00", "end": "09:00"}).status_code
        == 403
    )
    assert client.get(reverse("learning:trainer_list")).status_code == 403


def test_the_trainer_list_uses_constant_queries(
    world: World, client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for i in range(5):
        actions.do_create_trainer(
            instansi=world.instansi, kind=TrainerKind.EXTERNAL, external_name=f"Narasumber {i}"
        )
    client.force_login(world.alice)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("learning:trainer_list")).status_code == 200
    assert client.get(reverse("learning:trainer_detail", args=[9999])).status_code == 404
