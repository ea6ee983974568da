"""Builders for test data. They call the same actions as the product (rule 2)."""

from __future__ import annotations

from datetime import date
from itertools import count

from kompeten.core.models import Instansi, Role, User
from kompeten.demo.nips import NipFactory
from kompeten.people import actions
from kompeten.people.models import Employee, Unit, UnitKind
from kompeten.people.validation import EmployeeInput

PASSWORD = "rahasia-uji-123"
_nips = NipFactory(seed=99, wrap=True)  # tests run in rolled-back transactions
_codes = count(1)


def make_instansi(name: str = "Pemerintah Kota Uji", code: str = "kota-uji") -> Instansi:
    return Instansi.objects.create(name=name, code=code)


def make_unit(
    instansi: Instansi,
    name: str,
    parent: Unit | None = None,
    kind: str = UnitKind.DINAS,
    code: str = "",
) -> Unit:
    return actions.do_create_unit(
        instansi=instansi, code=code or f"U{next(_codes)}", name=name, kind=kind, parent=parent
    )


def employee_input(unit: Unit, name: str, **overrides: object) -> EmployeeInput:
    birth = overrides.pop("birth_date", date(1985, 3, 14))
    sex = overrides.pop("sex", "L")
    status = overrides.pop("status", "PNS")
    assert isinstance(birth, date) and isinstance(sex, str)
    nip = overrides.pop("nip", None) or (
        _nips.pns(birth, 2010, 3, sex) if status == "PNS" else _nips.pppk(birth, 2022, sex)
    )
    data = EmployeeInput(
        nip=str(nip),
        name=name,
        sex=sex,
        birth_date=birth,
        status=str(status),
        golongan="III/b" if status == "PNS" else "",
        pppk_grade="" if status == "PNS" else "9",
        jabatan_kind="pelaksana",
        jabatan_name="Pengadministrasi Umum",
        education="S-1",
        unit_id=unit.pk,
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def make_employee(
    unit: Unit, name: str, supervisor: Employee | None = None, **overrides: object
) -> Employee:
    data = employee_input(unit, name, **overrides)
    if supervisor is not None:
        data.supervisor_nip = supervisor.nip
    return actions.do_create_employee(instansi=unit.instansi, data=data)


def make_user(
    instansi: Instansi,
    username: str,
    role: str = Role.PEGAWAI,
    employee: Employee | None = None,
    managed_unit: Unit | None = None,
) -> User:
    return actions.do_create_user(
        instansi=instansi,
        username=username,
        password=PASSWORD,
        role=role,
        employee=employee,
        managed_unit=managed_unit,
    )
