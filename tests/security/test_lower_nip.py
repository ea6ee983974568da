"""A NIP is unique within one instansi, not across the server: one city's admin cannot probe
another's NIPs, an ASN moving between two instansi on one server is registered in the new one,
and login stays unambiguous (usernames are unique)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from kompeten.core.accounts import find_login_user
from kompeten.core.models import Role
from kompeten.people.imports import import_employees
from kompeten.people.models import Employee
from kompeten.people.privacy import export_personal_data
from tests import factories
from tests.people.importing import person, xlsx_bytes


@pytest.fixture
def moved(world):
    """Erin's twin record: the same NIP in the other instansi (she moved there)."""
    other_unit = factories.make_unit(world.mallory.instansi, "Dinas Lain", code="LAIN")
    emp = factories.make_employee(
        other_unit, "Erin Lestari", sex="P", birth_date=date(1992, 1, 20), nip=world.erin_emp.nip
    )
    assert emp.nip == world.erin_emp.nip
    return emp


def test_the_same_nip_is_registered_in_two_instansi(world, moved):
    assert Employee.objects.filter(nip=world.erin_emp.nip).count() == 2


def test_the_same_nip_twice_in_one_instansi_is_refused_by_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Employee.objects.create(
            instansi=world.instansi,
            nip=world.erin_emp.nip,
            name="Kembar",
            unit=world.beta,
            birth_date=date(1992, 1, 20),
            sex="P",
        )


def test_another_instansis_admin_imports_a_nip_without_learning_it_exists_here(world):
    other_unit = factories.make_unit(world.mallory.instansi, "Dinas Lain", code="LAIN")
    row = person("LAIN", "Erin Lestari", sex="P", birth=date(1992, 1, 20))
    row["NIP"] = world.erin_emp.nip
    plan, outcome = import_employees(
        xlsx_bytes([row]), "pegawai.xlsx", instansi=world.mallory.instansi, user=world.mallory
    )
    messages = " ".join(p.message for p in plan.problems)
    assert "instansi lain" not in messages
    assert outcome is not None and outcome.written["baru"] == 1
    assert Employee.objects.get(instansi=world.mallory.instansi, nip=world.erin_emp.nip).unit == (
        other_unit
    )
    world.erin_emp.refresh_from_db()
    assert world.erin_emp.instansi == world.instansi and world.erin_emp.unit == world.beta


def test_a_pengelola_is_not_told_which_unit_an_out_of_scope_nip_belongs_to(world):
    row = person("ALFA", world.erin_emp.name, sex="P", birth=world.erin_emp.birth_date)
    row["NIP"] = world.erin_emp.nip
    plan, outcome = import_employees(
        xlsx_bytes([row]), "pegawai.xlsx", instansi=world.instansi, user=world.bob
    )
    assert outcome is None
    [problem] = plan.problems
    assert "Dinas Beta" not in problem.message and "BETA" not in problem.message
    assert "admin BKPSDM" in problem.message
    world.erin_emp.refresh_from_db()
    assert world.erin_emp.unit == world.beta


def test_login_by_a_nip_held_in_two_instansi_is_unambiguous(world, moved):
    # erin's account in this instansi has the username "erin"; the moved record gets an account
    # named by its NIP: the NIP names that account, and "erin" still names hers.
    account = factories.make_user(world.mallory.instansi, moved.nip, Role.PEGAWAI, employee=moved)
    assert find_login_user(moved.nip) == account
    assert (
        find_login_user(" ".join([moved.nip[:8], moved.nip[8:14], moved.nip[14], moved.nip[15:]]))
        == account
    )
    assert find_login_user("erin") == world.erin


def test_login_by_a_nip_whose_two_accounts_are_both_named_otherwise_names_nobody(world, moved):
    factories.make_user(world.mallory.instansi, "erin-lain", Role.PEGAWAI, employee=moved)
    assert find_login_user(moved.nip) is None


def test_the_data_subject_export_asks_which_instansi_when_a_nip_is_in_two(world, moved):
    with pytest.raises(Employee.MultipleObjectsReturned):
        export_personal_data(moved.nip)
    data = export_personal_data(moved.nip, instansi=world.mallory.instansi)
    assert data["employee"]["id"] == moved.pk
