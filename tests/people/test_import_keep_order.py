"""`do_import_employees(keep_order=True)`: new rows get their ids in file order (the demo's path)."""

from __future__ import annotations

from kompeten.people.imports import detect_mapping, do_import_employees, plan_import, read_table
from kompeten.people.models import Employee
from tests.people.importing import person, xlsx_bytes


def _plan(world, rows):
    table = read_table(xlsx_bytes(rows), "pegawai.xlsx")
    return plan_import(table, detect_mapping(table.headers), world.instansi)


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
