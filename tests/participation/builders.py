"""Training data for participation and scheduling tests, built through the learning actions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from kompeten.core.models import Instansi
from kompeten.learning.actions.batches import (
    BatchInput,
    SessionInput,
    do_add_sessions,
    do_create_batch,
    do_create_trainer,
)
from kompeten.learning.actions.programmes import ProgrammeInput, do_create_programme
from kompeten.learning.models import Batch, Programme, Trainer
from kompeten.participation.actions.attendance import do_mark_attendance, do_record_posttest_done
from kompeten.participation.actions.enrolment import do_accept, do_invite
from kompeten.participation.models import Enrolment
from kompeten.people.models import Employee, Unit
from tests.conftest import World

JKT = ZoneInfo("Asia/Jakarta")
_codes = count(1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=JKT)


def make_programme(
    instansi: Instansi,
    title: str = "Pelayanan Prima",
    *,
    jp: str = "8",
    learning_type: str = "pelatihan",
    code: str = "",
    target_units: Sequence[Unit] = (),
    target_jp_deficit: bool = False,
) -> Programme:
    return do_create_programme(
        instansi=instansi,
        data=ProgrammeInput(
            code=code or f"P{next(_codes)}",
            title=title,
            learning_type=learning_type,
            total_jp=Decimal(jp),
            year=2026,
            target_units=list(target_units),
            target_jp_deficit=target_jp_deficit,
        ),
    )


def make_batch(
    programme: Programme,
    days: Sequence[tuple[date, int, int]],
    *,
    capacity: int = 10,
    name: str = "",
    trainers: Sequence[Trainer] = (),
) -> Batch:
    number = next(_codes)
    batch = do_create_batch(
        programme,
        data=BatchInput(
            code=f"A{number}",
            name=name or f"Angkatan {number}",
            capacity=capacity,
            start_date=min(d for d, _s, _e in days),
            end_date=max(d for d, _s, _e in days),
            location="Aula BKPSDM",
            trainers=list(trainers),
        ),
    )
    do_add_sessions(
        batch,
        sessions=[SessionInput(start=at(d, s), end=at(d, e)) for d, s, e in days],
    )
    return batch


def batch_ahead(instansi: Instansi, days: int, trainers: Sequence[Trainer] = ()) -> Batch:
    """A one-day batch "F" (5 places, in the Aula, no session yet) of a new programme, ``days``
    days from today: a batch that has not started."""
    later = timezone.localdate() + timedelta(days=days)
    return do_create_batch(
        make_programme(instansi),
        data=BatchInput(
            code="F",
            name="F",
            capacity=5,
            start_date=later,
            end_date=later,
            location="Aula",
            trainers=list(trainers),
        ),
    )


def make_trainer(instansi: Instansi, employee: Employee) -> Trainer:
    return do_create_trainer(instansi=instansi, kind="fasilitator", employee=employee)


def dave_accepts(world: World, batch: Batch) -> Enrolment:
    """Dave's enrolment in ``batch``: invited by alice, accepted by dave."""
    return do_accept(
        enrolment=do_invite(batch=batch, employee=world.dave_emp, actor=world.alice),
        actor=world.dave,
    )


def dave_completes(world: World, title: str, day: date) -> Enrolment:
    """Dave's enrolment in a 24-JP ``title`` with one session on ``day`` (08:00-12:00): invited
    by alice and accepted on 1 February 2026, present, post-test done after the session."""
    programme = make_programme(world.instansi, title, jp="24")
    batch = make_batch(programme, [(day, 8, 12)])
    with time_machine.travel(at(date(2026, 2, 1), 9), tick=False):
        enrolment = dave_accepts(world, batch)
    with time_machine.travel(at(day, 13), tick=False):
        do_mark_attendance(
            session=batch.sessions.get(), enrolment=enrolment, present=True, actor=world.alice
        )
        return do_record_posttest_done(enrolment=enrolment)
