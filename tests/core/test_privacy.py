"""Retention purge (dry run vs real), the data-subject export, and masking in logs."""

from __future__ import annotations

import io
import json
import logging
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from kompeten.core.logging import PersonalDataFilter, mask
from kompeten.core.models import AuditLog
from kompeten.people.actions import do_deactivate_employee
from kompeten.people.models import Employee, EmploymentEvent
from kompeten.people.privacy import export_personal_data, purge, relations_to
from tests import factories
from tests.api.helpers import make_token


def _old_world(world):
    """Erin left three years ago with contact details still on file; old audit rows exist."""
    Employee.objects.filter(pk=world.erin_emp.pk).update(
        email="erin@contoh.go.id", phone="081234567890"
    )
    world.erin_emp.refresh_from_db()
    do_deactivate_employee(employee=world.erin_emp, reason="pensiun", on=date(2023, 1, 2))


def test_a_dry_run_counts_and_changes_nothing(world):
    _old_world(world)
    with time_machine.travel(timezone.now() + timedelta(days=6 * 365)):
        results = {r.name: r for r in purge(dry_run=True)}
    assert results["inactive_employee_contacts"].count == 1
    assert results["audit_log"].count == AuditLog.objects.count()
    assert not any(r.applied for r in results.values())
    world.erin_emp.refresh_from_db()
    assert world.erin_emp.email == "erin@contoh.go.id"
    assert not AuditLog.objects.filter(action="privacy.purge").exists()


def test_a_real_purge_removes_what_is_past_retention_and_keeps_the_rest(world):
    _old_world(world)
    audit_before = AuditLog.objects.count()
    with time_machine.travel(timezone.now() + timedelta(days=3 * 365)):
        results = {r.name: r for r in purge(dry_run=False)}
    assert results["inactive_employee_contacts"].count == 1
    assert results["audit_log"].count == 0  # 3 years < 5 years: kept
    world.erin_emp.refresh_from_db()
    assert (world.erin_emp.email, world.erin_emp.phone) == ("", "")
    assert world.erin_emp.name == "Erin Lestari"  # the record itself stays
    assert Employee.objects.get(pk=world.dave_emp.pk).is_active
    assert AuditLog.objects.count() == audit_before + 1
    assert AuditLog.objects.filter(action="privacy.purge").exists()


def test_old_audit_rows_and_revoked_tokens_are_deleted_after_their_period(world, settings):
    settings.KOMPETEN_RETENTION_DAYS = {**settings.KOMPETEN_RETENTION_DAYS, "audit_log": 30}
    token, _secret = make_token(world.instansi, days=10)
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        results = {r.name: r for r in purge(dry_run=False)}
        remaining = list(AuditLog.objects.values_list("action", flat=True))
    assert results["audit_log"].count > 0
    assert remaining == ["privacy.purge"]
    assert results["revoked_api_tokens"].count == 1
    assert not type(token).objects.filter(pk=token.pk).exists()


def test_zero_days_keeps_forever(world, settings):
    settings.KOMPETEN_RETENTION_DAYS = {**settings.KOMPETEN_RETENTION_DAYS, "audit_log": 0}
    with time_machine.travel(timezone.now() + timedelta(days=100 * 365)):
        results = {r.name: r for r in purge(dry_run=False)}
    assert results["audit_log"].cutoff is None and results["audit_log"].count == 0
    assert AuditLog.objects.filter(action="employee.create").exists()


def test_the_purge_command_is_a_dry_run_unless_applied(world):
    _old_world(world)
    out = io.StringIO()
    with time_machine.travel(timezone.now() + timedelta(days=3 * 365)):
        call_command("purge", stdout=out)
        assert Employee.objects.get(pk=world.erin_emp.pk).email == "erin@contoh.go.id"
        call_command("purge", "--apply", stdout=out)
    assert "UJI COBA" in out.getvalue() and "DITERAPKAN" in out.getvalue()
    assert Employee.objects.get(pk=world.erin_emp.pk).email == ""


def test_the_export_holds_the_employees_rows_and_no_secret(world):
    data = export_personal_data(world.dave_emp.nip)
    assert data["employee"]["nip"] == world.dave_emp.nip
    assert data["employee"]["name"] == "Dave Saputra"
    assert data["account"]["username"] == world.dave.username
    assert "password" not in data["account"]
    events = data["related"]["people.employmentevent.employee"]
    assert [e["kind"] for e in events] == [EmploymentEvent.Kind.JOINED]
    assert {a["action"] for a in data["audit_log_about"]} >= {"employee.create"}
    # Direct reports are other people's data: carol's export does not list dave.
    carol = json.dumps(export_personal_data(world.carol_emp.nip), default=str)
    assert world.dave_emp.nip not in carol


def test_the_export_finds_every_foreign_key_to_employee_generically():
    found = {f"{m._meta.label_lower}.{f.name}" for m, f in relations_to(Employee)}
    assert {"people.employmentevent.employee", "core.user.employee"} <= found


def test_the_export_command_writes_json_and_is_audited(world, tmp_path):
    out = tmp_path / "dave.json"
    call_command("export_personal_data", world.dave_emp.nip_display, out=out, stderr=io.StringIO())
    data = json.loads(out.read_text())
    assert data["nip"] == world.dave_emp.nip
    assert AuditLog.objects.filter(
        action="privacy.export", object_id=str(world.dave_emp.pk)
    ).exists()
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("export_personal_data", "199001012020011001")


# --- masking in logs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hidden", "kept"),
    [
        ("NIP 198503142010031002 gagal", "198503142010031002", "1985**************"),
        ("NIP 19850314 201003 1 002 gagal", "201003 1 002", "1985**************"),
        ("kirim ke budi.santoso@sawahlunto.go.id", "budi.santoso@", "b***@sawahlunto.go.id"),
        ("hubungi 0812-3456-7890 segera", "3456", "*********890"),
        ("hubungi +62 812 3456 7890", "3456", "890"),
    ],
)
def test_personal_data_is_masked(text, hidden, kept):
    masked = mask(text)
    assert hidden not in masked
    assert kept in masked


def test_ordinary_numbers_are_left_alone():
    text = "IKM 88,75 dari 1234 responden pada 2026-11-28, unit 42"
    assert mask(text) == text


def test_the_filter_masks_arguments_and_exceptions_in_log_records():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("kompeten.test.masking")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("Impor gagal untuk %s (%s)", "198503142010031002", "dave@contoh.go.id")
        try:
            raise ValueError("NIP 198001012005011003 sudah terdaftar")
        except ValueError:
            logger.exception("Galat")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "198503142010031002" not in output and "dave@contoh.go.id" not in output
    assert "198001012005011003" not in output
    assert "1985**************" in output and "ValueError" in output


def test_the_filter_is_wired_into_the_logging_settings(settings):
    console = settings.LOGGING["handlers"]["console"]
    assert "mask_personal_data" in console["filters"]
    assert (
        settings.LOGGING["filters"]["mask_personal_data"]["()"]
        == "kompeten.core.logging.PersonalDataFilter"
    )


def test_an_employee_created_later_is_in_the_export(world):
    emp = factories.make_employee(world.beta, "Hana Baru")
    assert export_personal_data(emp.nip)["employee"]["name"] == "Hana Baru"
