"""Issue 2: a pengelola OPD imports employees into their own OPD subtree only, on the same page.

bob manages Dinas Alfa (ALFA, with Bidang Layanan ALFA-LAY below it); Dinas Beta (BETA) and
erin, who works there, are outside his subtree.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kompeten.core.models import AuditLog, Role
from kompeten.people.imports import detect_mapping, plan_import, read_table
from kompeten.people.models import Employee
from tests import factories
from tests.people.importing import HEADERS, person, xlsx_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, data: bytes, name: str = "pegawai.xlsx"):
    return client.post(reverse("people:import_employees"), {"file": SimpleUploadedFile(name, data)})


def token_of(response) -> str:
    assert response.status_code == 302, response.content[:500]
    return response["Location"].split("/")[-3]


def staged(client, rows) -> str:
    """Upload and map a file; the token of the import, ready for the preview."""
    token = token_of(upload(client, xlsx_bytes(rows)))
    response = client.post(reverse("people:import_mapping", args=[token]), detect_mapping(HEADERS))
    assert response.status_code == 302
    return token


def row_for(employee: Employee, unit_code: str) -> dict[str, object]:
    """A file row for an employee already stored (same NIP, birth date and sex)."""
    row = person(unit_code, employee.name, sex=employee.sex, birth=employee.birth_date)
    row["NIP"] = employee.nip
    return row


def test_a_pengelola_imports_into_their_own_opd_subtree(world, client) -> None:
    client.force_login(world.bob)
    page = client.get(reverse("people:import_employees"))
    assert page.status_code == 200
    assert 'data-testid="import-scope"' in page.content.decode()
    assert "Dinas Alfa" in page.content.decode()
    head = person("ALFA", "Putu Kepala")
    token = staged(client, [head, person("ALFA-LAY", "Rina Staf", supervisor=str(head["NIP"]))])
    preview = client.get(reverse("people:import_preview", args=[token]))
    html = preview.content.decode()
    assert 'data-testid="count-new">2<' in html and 'data-testid="count-rejected">0<' in html
    done = client.post(reverse("people:import_confirm", args=[token]))
    assert done["Location"] == reverse("people:employee_list")
    assert Employee.objects.filter(unit__code__in=["ALFA", "ALFA-LAY"]).count() == 5
    assert AuditLog.objects.filter(action="employee.import", actor=world.bob).count() == 1


def test_a_row_for_a_unit_outside_the_subtree_is_rejected_and_nothing_is_written(
    world, client
) -> None:
    client.force_login(world.bob)
    rows = [person("ALFA", "Putu Kepala"), person("BETA", "Sari Luar", sex="P")]
    token = staged(client, rows)
    preview = client.get(reverse("people:import_preview", args=[token]))
    html = preview.content.decode()
    assert 'data-testid="count-rejected">1<' in html
    assert "Dinas Beta" in html and "di luar lingkup OPD Anda (Dinas Alfa)" in html
    refused = client.post(reverse("people:import_confirm", args=[token]))
    assert refused.status_code == 422
    assert Employee.objects.count() == 4
    assert not Employee.objects.filter(name__in=["Putu Kepala", "Sari Luar"]).exists()
    report = client.get(reverse("people:import_error_report", args=[token]))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(report.content)).get_sheet_by_index(0)
    problems = sheet.to_python()[1:]
    assert len(problems) == 1
    row, column, message = problems[0]
    assert int(row) == 3 and column == "KODE UNIT"
    assert "Unit kerja 'Dinas Beta' di luar lingkup OPD Anda" in message


def test_an_employee_stored_outside_the_subtree_cannot_be_pulled_in(world, client) -> None:
    client.force_login(world.bob)
    token = staged(client, [row_for(world.erin_emp, "ALFA")])
    preview = client.get(reverse("people:import_preview", args=[token]))
    html = preview.content.decode()
    assert 'data-testid="count-rejected">1<' in html
    assert f"NIP {world.erin_emp.nip} terdaftar di unit" in html
    assert client.post(reverse("people:import_confirm", args=[token])).status_code == 422
    world.erin_emp.refresh_from_db()
    assert world.erin_emp.unit.code == "BETA"


def test_a_pengelola_may_update_their_own_staff(world, client) -> None:
    client.force_login(world.bob)
    row = row_for(world.dave_emp, "ALFA")  # a move from Bidang Layanan up to Dinas Alfa
    row["NIP ATASAN"] = world.carol_emp.nip
    token = staged(client, [row])
    html = client.get(reverse("people:import_preview", args=[token])).content.decode()
    assert 'data-testid="count-changed">1<' in html
    client.post(reverse("people:import_confirm", args=[token]))
    world.dave_emp.refresh_from_db()
    assert world.dave_emp.unit.code == "ALFA"


def test_the_admin_still_imports_into_any_unit(world, client) -> None:
    client.force_login(world.alice)
    token = staged(client, [person("BETA", "Sari Luar", sex="P")])
    client.post(reverse("people:import_confirm", args=[token]))
    assert Employee.objects.filter(name="Sari Luar", unit__code="BETA").exists()


def test_a_unit_named_instead_of_coded_is_checked_too(world) -> None:
    headers = [h for h in HEADERS if h != "KODE UNIT"] + ["UNIT KERJA"]
    data = person("BETA", "Sari Luar", sex="P")
    data["UNIT KERJA"] = "Dinas Beta"
    table = read_table(xlsx_bytes([data], headers=headers), "pegawai.xlsx")
    plan = plan_import(
        table, detect_mapping(table.headers), world.instansi, scope=world.bob.managed_unit
    )
    assert [(p.row, p.column) for p in plan.problems] == [(2, "UNIT KERJA")]
    assert "Dinas Beta" in plan.problems[0].message
    whole = plan_import(table, detect_mapping(table.headers), world.instansi)
    assert whole.ok


def test_a_pengelola_without_an_opd_is_refused(world, client) -> None:
    orphan = factories.make_user(world.instansi, "tanpa.opd", Role.PENGELOLA)
    client.force_login(orphan)
    assert client.get(reverse("people:import_employees")).status_code == 403
    assert upload(client, xlsx_bytes([person("ALFA", "Putu Kepala")])).status_code == 403
    assert Employee.objects.count() == 4


def test_the_pengelola_preview_has_a_constant_query_count(
    world, client, django_assert_max_num_queries
) -> None:
    client.force_login(world.bob)
    rows = [person("ALFA-LAY", f"Staf {i}") for i in range(30)]
    token = staged(client, rows)
    # session, user, managed unit, units, stored rows, units outside the scope, savepoints …
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:import_preview", args=[token]))
    assert response.status_code == 200
