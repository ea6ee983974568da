"""Every write to the registry goes through these actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.people.models import Employee, EmploymentEvent, Unit
from kompeten.people.validation import EmployeeInput, normalise_nip, validate_employee

AUDITED_FIELDS = (
    "nip",
    "name",
    "sex",
    "birth_date",
    "status",
    "golongan",
    "pppk_grade",
    "jabatan_kind",
    "jabatan_name",
    "education",
    "unit_id",
    "supervisor_id",
    "is_active",
)


def _snapshot(employee: Employee) -> dict[str, Any]:
    return {
        f: (str(getattr(employee, f)) if getattr(employee, f) is not None else None)
        for f in AUDITED_FIELDS
    }


def compute_path(parent: Unit | None, code: str) -> tuple[str, int]:
    if parent is None:
        return f"{code}/", 0
    return f"{parent.path}{code}/", parent.depth + 1


@transaction.atomic
def do_create_unit(
    *,
    instansi: Instansi,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    actor: User | None = None,
) -> Unit:
    code = code.strip()
    if not code or "/" in code:
        raise ValidationError(
            {"code": gettext("Kode unit wajib diisi dan tidak boleh memuat '/'.")}
        )
    if Unit.objects.filter(instansi=instansi, code=code).exists():
        raise ValidationError(
            {"code": gettext("Kode unit {code} sudah dipakai.").format(code=code)}
        )
    if parent is not None and parent.instansi_id != instansi.pk:
        raise ValidationError({"parent": gettext("Unit induk milik instansi lain.")})
    path, depth = compute_path(parent, code)
    unit = Unit.objects.create(
        instansi=instansi,
        parent=parent,
        code=code,
        name=name,
        kind=kind,
        short_name=short_name,
        path=path,
        depth=depth,
    )
    audit.record(actor=actor, action="unit.create", obj=unit, summary=name)
    return unit


def supervisor_creates_cycle(employee_id: int | None, supervisor_id: int | None) -> bool:
    """True when making `supervisor_id` the atasan of `employee_id` closes a loop."""
    if employee_id is None or supervisor_id is None:
        return False
    seen: set[int] = set()
    current: int | None = supervisor_id
    while current is not None:
        if current == employee_id:
            return True
        if current in seen:  # an existing loop elsewhere: refuse as well
            return True
        seen.add(current)
        current = (
            Employee.objects.filter(pk=current).values_list("supervisor_id", flat=True).first()
        )
    return False


def _resolve_supervisor(instansi: Instansi, nip: str) -> Employee | None:
    nip = normalise_nip(nip)
    if not nip:
        return None
    supervisor = Employee.objects.filter(instansi=instansi, nip=nip).first()
    if supervisor is None:
        raise ValidationError(
            {"supervisor": gettext("Atasan dengan NIP {nip} tidak ditemukan.").format(nip=nip)}
        )
    return supervisor


@transaction.atomic
def do_create_employee(
    *, instansi: Instansi, data: EmployeeInput, actor: User | None = None
) -> Employee:
    data.nip = normalise_nip(data.nip)
    errors = validate_employee(data)
    if Employee.objects.filter(nip=data.nip).exists():
        errors.append(("nip", gettext("NIP {nip} sudah terdaftar.").format(nip=data.nip)))
    if (
        data.unit_id is not None
        and not Unit.objects.filter(pk=data.unit_id, instansi=instansi).exists()
    ):
        errors.append(("unit", gettext("Unit kerja tidak dikenal.")))
    if errors:
        raise ValidationError({f: [m for ff, m in errors if ff == f] for f, _ in errors})
    assert data.birth_date is not None and data.unit_id is not None  # validated above
    supervisor = _resolve_supervisor(instansi, data.supervisor_nip)
    employee = Employee.objects.create(
        instansi=instansi,
        nip=data.nip,
        name=data.name.strip(),
        front_title=data.front_title.strip(),
        back_title=data.back_title.strip(),
        sex=data.sex,
        birth_date=data.birth_date,
        status=data.status,
        golongan=data.golongan,
        pppk_grade=data.pppk_grade,
        jabatan_kind=data.jabatan_kind,
        jabatan_name=data.jabatan_name.strip(),
        education=data.education,
        unit_id=data.unit_id,
        supervisor=supervisor,
        email=data.email,
        phone=data.phone,
        is_active=data.is_active,
    )
    EmploymentEvent.objects.create(
        employee=employee,
        kind=EmploymentEvent.Kind.JOINED,
        date=date.today(),
        to_unit_id=data.unit_id,
    )
    audit.record(actor=actor, action="employee.create", obj=employee, after=_snapshot(employee))
    return employee


@transaction.atomic
def do_update_employee(
    *, employee: Employee, data: EmployeeInput, actor: User | None = None
) -> Employee:
    data.nip = normalise_nip(data.nip)
    errors = validate_employee(data)
    if Employee.objects.filter(nip=data.nip).exclude(pk=employee.pk).exists():
        errors.append(
            ("nip", gettext("NIP {nip} sudah terdaftar untuk pegawai lain.").format(nip=data.nip))
        )
    supervisor = None
    if not errors:
        try:
            supervisor = _resolve_supervisor(employee.instansi, data.supervisor_nip)
        except ValidationError as exc:
            errors.append(("supervisor", exc.message_dict["supervisor"][0]))
    if supervisor is not None and supervisor_creates_cycle(employee.pk, supervisor.pk):
        errors.append(("supervisor", gettext("Atasan ini membuat rantai atasan yang melingkar.")))
    if errors:
        raise ValidationError({f: [m for ff, m in errors if ff == f] for f, _ in errors})
    before = _snapshot(employee)
    old_unit_id = employee.unit_id
    for attr in (
        "nip",
        "sex",
        "birth_date",
        "status",
        "golongan",
        "pppk_grade",
        "jabatan_kind",
        "education",
        "unit_id",
        "email",
        "phone",
    ):
        setattr(employee, attr, getattr(data, attr))
    employee.name = data.name.strip()
    employee.front_title = data.front_title.strip()
    employee.back_title = data.back_title.strip()
    employee.jabatan_name = data.jabatan_name.strip()
    employee.supervisor = supervisor
    employee.save()
    if old_unit_id != employee.unit_id:
        EmploymentEvent.objects.create(
            employee=employee,
            kind=EmploymentEvent.Kind.MOVED,
            date=date.today(),
            from_unit_id=old_unit_id,
            to_unit_id=employee.unit_id,
        )
    audit.record(
        actor=actor,
        action="employee.update",
        obj=employee,
        before=before,
        after=_snapshot(employee),
    )
    return employee


@transaction.atomic
def do_deactivate_employee(
    *, employee: Employee, reason: str, on: date, actor: User | None = None
) -> Employee:
    if not employee.is_active:
        raise ValidationError(gettext("Pegawai ini sudah nonaktif."))
    before = _snapshot(employee)
    employee.is_active = False
    employee.end_reason = reason
    employee.end_date = on
    employee.save(update_fields=["is_active", "end_reason", "end_date", "updated"])
    EmploymentEvent.objects.create(
        employee=employee,
        kind=EmploymentEvent.Kind.ENDED,
        date=on,
        from_unit_id=employee.unit_id,
        detail=reason,
    )
    audit.record(
        actor=actor,
        action="employee.deactivate",
        obj=employee,
        before=before,
        after=_snapshot(employee),
    )
    return employee


@transaction.atomic
def do_set_supervisor(
    *, employee: Employee, supervisor: Employee | None, actor: User | None = None
) -> Employee:
    if supervisor is not None:
        if supervisor.pk == employee.pk:
            raise ValidationError(
                {"supervisor": gettext("Pegawai tidak dapat menjadi atasan dirinya sendiri.")}
            )
        if supervisor_creates_cycle(employee.pk, supervisor.pk):
            raise ValidationError(
                {"supervisor": gettext("Atasan ini membuat rantai atasan yang melingkar.")}
            )
    before = _snapshot(employee)
    employee.supervisor = supervisor
    employee.save(update_fields=["supervisor", "updated"])
    audit.record(
        actor=actor,
        action="employee.supervisor",
        obj=employee,
        before=before,
        after=_snapshot(employee),
    )
    return employee


@transaction.atomic
def do_create_user(
    *,
    instansi: Instansi,
    username: str,
    password: str,
    role: str,
    employee: Employee | None = None,
    managed_unit: Unit | None = None,
    first_name: str = "",
    actor: User | None = None,
) -> User:
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            {
                "username": gettext("Nama pengguna {username} sudah dipakai.").format(
                    username=username
                )
            }
        )
    user = User(
        username=username,
        instansi=instansi,
        role=role,
        employee=employee,
        managed_unit=managed_unit,
        first_name=first_name[:150],
    )
    user.set_password(password)
    user.save()
    audit.record(
        actor=actor, action="user.create", obj=user, instansi=instansi, after={"role": role}
    )
    return user


@transaction.atomic
def do_provision_accounts(
    *, instansi: Instansi, employees: list[Employee], password: str, actor: User | None = None
) -> int:
    """Give every listed employee without an account a pegawai login (username = NIP).

    The initial password is hashed once and shared; users are expected to change it.
    """
    from django.contrib.auth.hashers import make_password

    from kompeten.core.models import Role

    have = set(
        User.objects.filter(employee__in=[e.pk for e in employees]).values_list(
            "employee_id", flat=True
        )
    )
    taken = set(
        User.objects.filter(username__in=[e.nip for e in employees]).values_list(
            "username", flat=True
        )
    )
    hashed = make_password(password)
    new = [
        User(
            username=e.nip,
            password=hashed,
            instansi=instansi,
            role=Role.PEGAWAI,
            employee=e,
            first_name=e.name[:150],
        )
        for e in employees
        if e.pk not in have and e.nip not in taken
    ]
    User.objects.bulk_create(new, batch_size=1000)
    audit.record(
        actor=actor,
        action="user.provision",
        object_type="core.user",
        instansi=instansi,
        summary=f"{len(new)} akun pegawai dibuat",
    )
    return len(new)
