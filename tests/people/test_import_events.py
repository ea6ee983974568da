"""The employee import's employment events: one 'masuk' per new employee, into the unit it was
stored with, and none for the employees already there (the database writes them from the rows
just inserted)."""

from __future__ import annotations

from django.utils import timezone

from kompeten.core import importing as imp
from kompeten.people.imports import import_employees
from kompeten.people.models import Employee, EmploymentEvent
from tests.people.importing import person, xlsx_bytes


def _import(world, rows: list[dict[str, object]]) -> dict[str, int]:
    plan, outcome = import_employees(
        xlsx_bytes(rows), "pegawai.xlsx", instansi=world.instansi, user=world.alice
    )
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    return outcome.written


def test_each_new_employee_gets_one_joined_event_into_its_unit(world) -> None:
    head = person("ALFA", "Hana Kepala", sex="P")
    head["JENIS JABATAN"] = "Administrator"
    rows = [
        head,
        person("ALFA-LAY", "Iwan Staf", supervisor=str(head["NIP"])),
        person("BETA", "Kiki Staf", sex="P", supervisor=world.erin_emp.nip),
    ]
    nips = [str(r["NIP"]) for r in rows]
    stored = Employee.objects.exclude(nip__in=nips)
    before = sorted(EmploymentEvent.objects.filter(employee__in=stored).values_list("id", "kind"))
    assert _import(world, rows)["baru"] == 3
    new = EmploymentEvent.objects.filter(employee__nip__in=nips)
    assert sorted(new.values_list("employee__nip", "kind", "from_unit", "to_unit__code")) == sorted(
        (str(r["NIP"]), EmploymentEvent.Kind.JOINED, None, str(r["KODE UNIT"])) for r in rows
    )
    assert set(new.values_list("date", "detail")) == {(timezone.localdate(), "")}
    after = sorted(EmploymentEvent.objects.filter(employee__in=stored).values_list("id", "kind"))
    assert after == before


def test_a_later_file_adds_events_only_for_its_new_employees(world) -> None:
    first = [person("ALFA-LAY", "Iwan Staf"), person("BETA", "Kiki Staf", sex="P")]
    _import(world, first)
    second = [*first, person("ALFA", "Lina Baru", sex="P")]
    assert _import(world, second) == {"baru": 1, "berubah": 0, "tetap": 2}
    counts = {
        nip: EmploymentEvent.objects.filter(employee__nip=nip).count()
        for nip in (str(r["NIP"]) for r in second)
    }
    assert counts == dict.fromkeys(counts, 1)
    assert EmploymentEvent.objects.get(employee__nip=second[2]["NIP"]).to_unit == world.alfa
