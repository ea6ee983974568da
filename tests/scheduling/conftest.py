"""A service counter with a staffing rule and a programme with two batches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import pytest

from kompeten.learning.models import Batch, Programme
from kompeten.people.models import Employee, Unit, UnitKind
from kompeten.scheduling.actions.rules import RuleInput, do_create_staffing_rule
from kompeten.scheduling.models import StaffingRule
from tests import factories
from tests.participation.builders import make_batch, make_programme

TUESDAY = date(2030, 3, 12)


@dataclass
class Counter:
    loket: Unit
    staff: list[Employee]
    rule: StaffingRule
    programme: Programme
    morning: Batch
    afternoon: Batch


@pytest.fixture
def counter(world) -> Counter:
    loket = factories.make_unit(
        world.instansi, "Loket Layanan", parent=world.alfa, kind=UnitKind.BAGIAN, code="LOKET"
    )
    staff = [factories.make_employee(loket, f"Petugas {n}") for n in "ABCD"]
    rule = do_create_staffing_rule(
        unit=loket,
        data=RuleInput(
            label="Loket pagi",
            weekdays="01234",
            start_time=time(8),
            end_time=time(12),
            min_present=3,
        ),
        actor=world.alice,
    )
    programme = make_programme(
        world.instansi, "Pelayanan Prima", code="PRIMA", target_units=[loket]
    )
    morning = make_batch(programme, [(TUESDAY, 8, 12)], capacity=4, name="Angkatan Pagi")
    afternoon = make_batch(programme, [(TUESDAY, 13, 16)], capacity=2, name="Angkatan Siang")
    return Counter(loket, staff, rule, programme, morning, afternoon)
