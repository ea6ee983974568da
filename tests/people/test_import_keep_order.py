"""`do_import_employees(keep_order=True)`: new rows get their ids in file order (the demo's path)."""

from __future__ import annotations

from kompeten.people.imports import Table, do_import_employees, plan_import
from kompeten.people.models import Employee
from tests.people.importing import person

FIELD_OF = {
    "NIP": "nip",
    "NAMA": "name",
    "GELAR BELAKANG": "back_title",
    "JENIS KELAMIN": "sex",
    "TANGGAL LAHIR": "birth_date",
    "STATUS": "status",
    "GOLONGAN": "golongan",
    "JENIS JABATAN": "jabatan_kind",
    "NAMA JABATAN": "jabatan_name",
    "PENDIDIKAN": "education",
    "KODE UNIT": "unit_code",
    "NIP ATASAN": "supervisor_nip",
}


def _plan(world, rows):
    headers = list(FIELD_OF)
    table = Table(
        headers=headers,
        rows=[(n, [row[h] for h in headers]) for n, row in enumerate(rows, start=2)],
    )
    plan = plan_import(table, {f: h for h, f in FIELD_OF.items()}, world.instansi)
    assert plan.ok, plan.problems
    return plan


def _rows():
    head = person("ALFA", "Putu Kepala")
    staff = person("ALFA-LAY", "Rina Staf", sex="P", supervisor=str(head["NIP"]))
    return head, staff


def test_keep_order_gives_ids_in_file_order_and_links_new_supervisors_afterwards(world) -> None:
    head, staff = _rows()
    result = do_import_employees(_plan(world, [staff, head]), keep_order=True)
    assert result.written
    rina = Employee.objects.get(nip=staff["NIP"])
    putu = Employee.objects.get(nip=head["NIP"])
    assert rina.pk < putu.pk  # the staff row came first in the file
    assert rina.supervisor_id == putu.pk


def test_by_default_supervisors_are_inserted_first(world) -> None:
    head, staff = _rows()
    do_import_employees(_plan(world, [staff, head]))
    rina = Employee.objects.get(nip=staff["NIP"])
    putu = Employee.objects.get(nip=head["NIP"])
    assert putu.pk < rina.pk
    assert rina.supervisor_id == putu.pk


def test_a_bad_cell_is_a_problem_named_by_its_header(world) -> None:
    head, _staff = _rows()
    head["JENIS KELAMIN"] = "X"
    headers = list(FIELD_OF)
    table = Table(headers=headers, rows=[(2, [head[h] for h in headers])])
    plan = plan_import(table, {f: h for h, f in FIELD_OF.items()}, world.instansi)
    assert [(p.row, p.column) for p in plan.problems] == [(2, "JENIS KELAMIN")]
