"""A small evaluated programme for report tests, built through the product's actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from kompeten.evaluation.actions.scores import ScoreInput, do_record_test_scores
from kompeten.learning.actions.objectives import ObjectiveInput, do_set_objective_measures
from kompeten.learning.models import Programme
from kompeten.participation.actions.attendance import do_record_learning_gain
from kompeten.participation.actions.enrolment import do_accept, do_decline, do_invite
from kompeten.participation.models import Enrolment, EnrolmentStatus
from kompeten.people.models import Employee
from tests import factories
from tests.conftest import World
from tests.participation.builders import at, make_batch, make_programme

BEFORE = at(date(2026, 2, 20), 9)
# The day the impact tests look back from: both default windows of the June 2025 training closed.
IMPACT_TODAY = datetime(2026, 1, 15, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@dataclass
class Trained:
    programme: Programme
    employees: list[Employee]


def trained_programme(world: World) -> Trained:
    programme = make_programme(world.instansi, "Pelayanan Prima Kependudukan", code="PP-01")
    programme.objectives = (
        "Peserta menerapkan standar pelayanan prima\nPeserta menangani keluhan dengan empati"
    )
    programme.save(update_fields=["objectives"])
    batch = make_batch(
        programme, [(date(2026, 3, 2), 8, 12), (date(2026, 3, 3), 8, 12)], capacity=20
    )
    people = [factories.make_employee(world.alfa, f"Peserta Alfa {i}") for i in range(4)]
    people += [factories.make_employee(world.beta, f"Peserta Beta {i}") for i in range(3)]
    for i, e in enumerate(people):
        enrolment = do_invite(
            batch=batch, employee=e, actor=world.alice, notify=False, check_clash=False, now=BEFORE
        )
        if i in (1, 2, 3):
            do_decline(
                enrolment=enrolment, reason="beban_kerja", actor=None, notify=False, now=BEFORE
            )
        else:
            do_accept(enrolment=enrolment, actor=None, now=BEFORE)
            do_record_learning_gain(enrolment=enrolment, gain=Decimal("0.4") + Decimal(i) / 100)
    return Trained(programme, people)


def scored_programme(world: World, *, spread: bool = False) -> Trained:
    """:func:`trained_programme` with a pre-test of 40 for every participant who accepted and a
    post-test of 70 (70, 71, 72… in enrolment order with ``spread``), recorded by alice."""
    t = trained_programme(world)
    accepted = Enrolment.objects.filter(
        batch__programme=t.programme, status=EnrolmentStatus.ACCEPTED
    ).values_list("employee_id", flat=True)
    do_record_test_scores(
        t.programme,
        entries=[
            ScoreInput(subject_id=pk, pre=40, post=70 + i if spread else 70)
            for i, pk in enumerate(accepted)
        ],
        actor=world.alice,
    )
    return t


def set_measured_objectives(
    world: World,
    programme: Programme,
    measures: list[ObjectiveInput],
    unmeasured: tuple[str, ...] = (),
) -> None:
    """``programme``'s objectives are the texts of ``measures``, then ``unmeasured``; each of
    ``measures`` is judged by its indicator (set by alice)."""
    programme.objectives = "\n".join([*(m.text for m in measures), *unmeasured])
    programme.save(update_fields=["objectives"])
    do_set_objective_measures(programme=programme, rows=measures, actor=world.alice)


def held_june_2025(world: World) -> Programme:
    """A training held 24–26 June 2025 with staff of Bidang Layanan (in Dinas Alfa): Dave and one
    more employee of Bidang Layanan, invited and accepted on 2 June."""
    programme = make_programme(world.instansi, "Pelayanan Prima", code="PP-25")
    batch = make_batch(
        programme,
        [(date(2025, 6, 24), 8, 16), (date(2025, 6, 25), 8, 16), (date(2025, 6, 26), 8, 16)],
        capacity=10,
    )
    early = at(date(2025, 6, 2), 9)
    for e in (world.dave_emp, factories.make_employee(world.layanan, "Peserta Layanan")):
        enrolment = do_invite(
            batch=batch, employee=e, actor=world.alice, notify=False, check_clash=False, now=early
        )
        do_accept(enrolment=enrolment, actor=None, now=early)
    return programme
