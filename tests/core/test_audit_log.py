"""The audit log is append-only and records who changed what."""

from __future__ import annotations

import pytest

from kompeten.core.models import AuditLog
from kompeten.people import actions


def test_changing_an_employee_records_before_and_after(world) -> None:
    from tests.factories import employee_input

    data = employee_input(
        world.alfa, "Dave Saputra", nip=world.dave_emp.nip, birth_date=world.dave_emp.birth_date
    )
    data.jabatan_name = "Analis Pelayanan"
    data.supervisor_nip = world.carol_emp.nip
    actions.do_update_employee(employee=world.dave_emp, data=data, actor=world.alice)
    row = AuditLog.objects.filter(action="employee.update", object_id=str(world.dave_emp.pk)).get()
    assert row.actor == world.alice
    assert row.before["unit_id"] == str(world.layanan.pk)
    assert row.after["unit_id"] == str(world.alfa.pk)


def test_an_audit_row_cannot_be_changed(world) -> None:
    row = AuditLog.objects.first()
    assert row is not None
    row.summary = "diubah"
    with pytest.raises(PermissionError):
        row.save()


def test_an_audit_row_cannot_be_deleted(world) -> None:
    row = AuditLog.objects.first()
    assert row is not None
    with pytest.raises(PermissionError):
        row.delete()


def test_only_the_admin_reads_the_audit_log(client, world) -> None:
    client.force_login(world.dave)
    assert client.get("/audit/").status_code == 403
    client.force_login(world.alice)
    response = client.get("/audit/?action=employee.create")
    assert response.status_code == 200
    assert "employee.create" in response.content.decode()


def test_the_audit_log_page_runs_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
) -> None:
    client.force_login(world.alice)
    with django_assert_max_num_queries(8):
        client.get("/audit/")


def test_bulk_updates_and_deletes_of_the_audit_log_are_refused(world) -> None:
    with pytest.raises(PermissionError):
        AuditLog.objects.all().update(summary="x")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
