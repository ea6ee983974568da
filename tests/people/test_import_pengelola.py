"""A pengelola OPD imports employees into their own OPD subtree only.

bob manages Dinas Alfa (ALFA, with Bidang Layanan ALFA-LAY below it); Dinas Beta (BETA) and
erin, who works there, are outside his subtree.
"""

from __future__ import annotations

from kompeten.core import importing as imp
from kompeten.core.models import AuditLog, Role
from kompeten.people.imports import EmployeesImport, import_employees
from kompeten.people.models import Employee
from tests import factories
from tests.people.importing import HEADERS, person, xlsx_bytes


def row_for(employee: Employee, unit_code: str) -> dict[str, object]:
    """A file row for an employee already stored (same NIP, birth date and sex)."""
    row = person(unit_code, employee.name, sex=employee.sex, birth=employee.birth_date)
    row["NIP"] = employee.nip
    return row


def run(world, user, rows, **kwargs):
    return import_employees(
        xlsx_bytes(rows, **kwargs), "pegawai.xlsx", instansi=world.instansi, user=user
    )


def test_a_pengelola_imports_into_their_own_opd_subtree(world) -> None:
    head = person("ALFA", "Putu Kepala")
    rows = [head, person("ALFA-LAY", "Rina Staf", supervisor=str(head["NIP"]))]
    _plan, outcome = run(world, world.bob, rows)
    assert outcome is not None and outcome.written["baru"] == 2
    assert Employee.objects.filter(unit__code__in=["ALFA", "ALFA-LAY"]).count() == 5
    assert AuditLog.objects.filter(action="employee.import", actor=world.bob).count() == 1


def test_a_row_for_a_unit_outside_the_subtree_is_refused_and_nothing_is_written(world) -> None:
    rows = [person("ALFA", "Putu Kepala"), person("BETA", "Sari Luar", sex="P")]
    plan, outcome = run(world, world.bob, rows)
    assert outcome is None and Employee.objects.count() == 4
    [problem] = plan.problems
    assert (problem.row, problem.column) == (3, "KODE UNIT")
    assert "Unit kerja 'Dinas Beta' di luar lingkup OPD Anda (Dinas Alfa)" in problem.message


def test_an_employee_stored_outside_the_subtree_cannot_be_pulled_in(world) -> None:
    plan, outcome = run(world, world.bob, [row_for(world.erin_emp, "ALFA")])
    assert outcome is None
    message = plan.problems[0].message
    assert f"NIP {world.erin_emp.nip} tidak dapat diimpor dari lingkup OPD Anda" in message
    assert "Dinas Beta" not in message  # where a NIP belongs is not the pengelola's to learn
    world.erin_emp.refresh_from_db()
    assert world.erin_emp.unit.code == "BETA"


def test_a_pengelola_may_update_their_own_staff(world) -> None:
    row = row_for(world.dave_emp, "ALFA")  # a move from Bidang Layanan up to Dinas Alfa
    row["NIP ATASAN"] = world.carol_emp.nip
    _plan, outcome = run(world, world.bob, [row])
    assert outcome is not None and outcome.written["berubah"] == 1
    world.dave_emp.refresh_from_db()
    assert world.dave_emp.unit.code == "ALFA"


def test_the_admin_still_imports_into_any_unit(world) -> None:
    _plan, outcome = run(world, world.alice, [person("BETA", "Sari Luar", sex="P")])
    assert outcome is not None
    assert Employee.objects.filter(name="Sari Luar", unit__code="BETA").exists()


def test_a_unit_named_instead_of_coded_is_checked_too(world) -> None:
    headers = [h for h in HEADERS if h != "KODE UNIT"] + ["UNIT KERJA"]
    data = person("BETA", "Sari Luar", sex="P")
    data["UNIT KERJA"] = "Dinas Beta"
    plan, _outcome = run(world, world.bob, [data], headers=headers)
    assert [(p.row, p.column) for p in plan.problems] == [(2, "UNIT KERJA")]
    assert "Dinas Beta" in plan.problems[0].message


def test_a_pengelola_cannot_create_units(world) -> None:
    form = EmployeesImport.options_form(
        data={"create_units": "on"}, instansi=world.instansi, user=world.bob
    )
    assert not form.is_valid() and "create_units" in form.errors


def test_only_admins_and_pengelola_with_an_opd_may_run_it(world) -> None:
    declaration = imp.get("employees")
    orphan = factories.make_user(world.instansi, "tanpa.opd", Role.PENGELOLA)
    assert declaration.permission(world.alice) and declaration.permission(world.bob)
    assert not declaration.permission(orphan)
    assert not declaration.permission(world.erin)


def test_a_pengelolas_refused_row_stays_refused_when_an_admin_imports_later(world) -> None:
    rows = [person("ALFA", "Putu Kepala"), person("BETA", "Sari Luar", sex="P")]
    _plan, outcome = import_employees(
        xlsx_bytes(rows), "pegawai.xlsx", instansi=world.instansi, user=world.bob, partial=True
    )
    assert outcome is not None and outcome.pending == 1
    assert imp.retry_pending(world.instansi, world.alice) == 0
    assert not Employee.objects.filter(name="Sari Luar").exists()
