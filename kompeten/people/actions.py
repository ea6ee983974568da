"""Every write to the registry goes through these actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, F, Max, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext, ngettext

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.people.models import Employee, EmploymentEvent, Unit, UnitKind
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


def _audited(
    employee: Employee, action: str, *, before: dict[str, Any] | None, actor: User | None
) -> Employee:
    """Record `action` on `employee` in the audit log: its audited fields before and now."""
    audit.record(actor=actor, action=action, obj=employee, before=before, after=_snapshot(employee))
    return employee


def compute_path(parent: Unit | None, code: str) -> tuple[str, int]:
    if parent is None:
        return f"{code}/", 0
    return f"{parent.path}{code}/", parent.depth + 1


PATH_MAX_LENGTH = Unit._meta.get_field("path").max_length or 255
UNIT_AUDITED_FIELDS = ("code", "name", "short_name", "kind", "parent_id", "path", "is_active")


def _unit_snapshot(unit: Unit) -> dict[str, Any]:
    return {
        f: (str(getattr(unit, f)) if getattr(unit, f) is not None else None)
        for f in UNIT_AUDITED_FIELDS
    }


def _clean_unit_fields(
    *, code: str, name: str, short_name: str, kind: str
) -> tuple[str, str, str, dict[str, list[str]]]:
    """Strip and check the editable fields of a unit; return them with the errors per field."""
    errors: dict[str, list[str]] = {}
    code, name, short_name = code.strip(), " ".join(name.split()), " ".join(short_name.split())
    if not code or "/" in code:
        errors["code"] = [gettext("Kode unit wajib diisi dan tidak boleh memuat '/'.")]
    elif len(code) > Unit._meta.get_field("code").max_length:  # type: ignore[operator]
        errors["code"] = [gettext("Kode unit paling panjang 40 karakter.")]
    if not name:
        errors["name"] = [gettext("Nama unit wajib diisi.")]
    elif len(name) > Unit._meta.get_field("name").max_length:  # type: ignore[operator]
        errors["name"] = [gettext("Nama unit paling panjang 200 karakter.")]
    if len(short_name) > Unit._meta.get_field("short_name").max_length:  # type: ignore[operator]
        errors["short_name"] = [gettext("Singkatan paling panjang 60 karakter.")]
    if kind not in UnitKind.values:
        errors["kind"] = [
            gettext("Jenis unit tidak dikenal (pilihan: {choices}).").format(
                choices=", ".join(UnitKind.values)
            )
        ]
    return code, name, short_name, errors


def _path_too_long() -> str:
    return gettext(
        "Jalur unit menjadi terlalu panjang (lebih dari {n} karakter): pakai kode yang lebih "
        "pendek atau pohon yang lebih dangkal."
    ).format(n=PATH_MAX_LENGTH)


def _longest_path_below(unit: Unit) -> int:
    longest = Unit.objects.filter(
        instansi_id=unit.instansi_id, path__startswith=unit.path
    ).aggregate(n=Max(Length("path")))["n"]
    return int(longest or len(unit.path))


def _rewrite_subtree(unit: Unit, new_path: str, new_depth: int) -> int:
    """Give `unit` and every unit below it the new path prefix and depth, in one UPDATE."""
    old_path, shift = unit.path, new_depth - unit.depth
    return Unit.objects.filter(instansi_id=unit.instansi_id, path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1), output_field=CharField()),
        depth=F("depth") + shift,
    )


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
    code, name, short_name, errors = _clean_unit_fields(
        code=code, name=name, short_name=short_name, kind=kind
    )
    if "code" not in errors and Unit.objects.filter(instansi=instansi, code=code).exists():
        errors["code"] = [gettext("Kode unit {code} sudah dipakai.").format(code=code)]
    if parent is not None and parent.instansi_id != instansi.pk:
        errors["parent"] = [gettext("Unit induk milik instansi lain.")]
    elif parent is not None and not parent.is_active:
        errors["parent"] = [
            gettext("Unit induk {name} sudah ditutup; buka kembali dulu.").format(name=parent.name)
        ]
    if errors:
        raise ValidationError(errors)
    path, depth = compute_path(parent, code)
    if len(path) > PATH_MAX_LENGTH:
        raise ValidationError({"code": _path_too_long()})
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
    audit.record(
        actor=actor, action="unit.create", obj=unit, summary=name, after=_unit_snapshot(unit)
    )
    return unit


def _locked(unit: Unit) -> Unit:
    """The unit re-read under a row lock (PostgreSQL), so concurrent edits queue up."""
    return Unit.objects.select_for_update().get(pk=unit.pk)


@transaction.atomic
def do_rename_unit(
    *,
    unit: Unit,
    name: str,
    short_name: str,
    code: str,
    kind: str,
    actor: User | None = None,
) -> Unit:
    """Change a unit's name, short name, code and kind. A new code rewrites the subtree's paths."""
    current = _locked(unit)
    code, name, short_name, errors = _clean_unit_fields(
        code=code, name=name, short_name=short_name, kind=kind
    )
    code_changes = "code" not in errors and code != current.code
    if (
        code_changes
        and Unit.objects.filter(instansi_id=current.instansi_id, code=code)
        .exclude(pk=current.pk)
        .exists()
    ):
        errors["code"] = [gettext("Kode unit {code} sudah dipakai.").format(code=code)]
    if code_changes and "code" not in errors:
        new_path = current.path[: -len(current.code) - 1] + f"{code}/"
        if _longest_path_below(current) - len(current.path) + len(new_path) > PATH_MAX_LENGTH:
            errors["code"] = [_path_too_long()]
    if errors:
        raise ValidationError(errors)
    before = _unit_snapshot(current)
    if code_changes:
        _rewrite_subtree(current, new_path, current.depth)
        current.path = new_path
    current.code, current.name, current.short_name, current.kind = code, name, short_name, kind
    current.save(update_fields=["code", "name", "short_name", "kind"])
    audit.record(
        actor=actor,
        action="unit.rename",
        obj=current,
        summary=name,
        before=before,
        after=_unit_snapshot(current),
    )
    _refresh(unit, current)
    return current


def _refresh(stale: Unit, fresh: Unit) -> None:
    """Bring the caller's instance up to date (it may be held by a view or a test)."""
    for f in (*UNIT_AUDITED_FIELDS, "depth"):
        setattr(stale, f, getattr(fresh, f))


@transaction.atomic
def do_move_unit(*, unit: Unit, parent: Unit | None, actor: User | None = None) -> Unit:
    """Put a unit (with its whole subtree) under another parent, or at the top (parent None).

    Refuses a cycle (the unit itself or one of its descendants as the new parent), a parent of
    another instansi and a closed parent. Paths and depths of the subtree are rewritten in one
    UPDATE, whatever its size.
    """
    current = _locked(unit)
    if parent is not None:
        parent = Unit.objects.get(pk=parent.pk)  # fresh path: it may have just moved
        if parent.instansi_id != current.instansi_id:
            raise ValidationError({"parent": gettext("Unit induk milik instansi lain.")})
        if parent.path.startswith(current.path):
            raise ValidationError(
                {
                    "parent": gettext(
                        "Unit tidak dapat dipindahkan ke bawah dirinya sendiri atau sub-unitnya."
                    )
                }
            )
        if not parent.is_active:
            raise ValidationError(
                {
                    "parent": gettext("Unit induk {name} sudah ditutup; buka kembali dulu.").format(
                        name=parent.name
                    )
                }
            )
    if current.parent_id == (parent.pk if parent is not None else None):
        raise ValidationError({"parent": gettext("Unit ini sudah berada di bawah induk itu.")})
    new_path, new_depth = compute_path(parent, current.code)
    if _longest_path_below(current) - len(current.path) + len(new_path) > PATH_MAX_LENGTH:
        raise ValidationError({"parent": _path_too_long()})
    before = _unit_snapshot(current)
    moved = _rewrite_subtree(current, new_path, new_depth)
    current.parent = parent
    current.save(update_fields=["parent"])
    current.refresh_from_db(fields=["path", "depth"])
    audit.record(
        actor=actor,
        action="unit.move",
        obj=current,
        summary=gettext("{name} dipindahkan ({n} unit)").format(name=current.name, n=moved),
        before=before,
        after=_unit_snapshot(current),
    )
    _refresh(unit, current)
    unit.parent = parent
    return current


@transaction.atomic
def do_close_unit(*, unit: Unit, actor: User | None = None) -> Unit:
    """Close a unit (is_active=False). Refused while it has active employees or open sub-units."""
    current = _locked(unit)
    if not current.is_active:
        raise ValidationError(gettext("Unit ini sudah ditutup."))
    staff = Employee.objects.filter(unit_id=current.pk, is_active=True).count()
    open_children = (
        Unit.objects.filter(
            instansi_id=current.instansi_id, path__startswith=current.path, is_active=True
        )
        .exclude(pk=current.pk)
        .count()
    )
    problems = []
    if staff:
        problems.append(
            ngettext(
                "Unit ini masih memiliki {n} pegawai aktif; pindahkan atau nonaktifkan dulu.",
                "Unit ini masih memiliki {n} pegawai aktif; pindahkan atau nonaktifkan dulu.",
                staff,
            ).format(n=staff)
        )
    if open_children:
        problems.append(
            ngettext(
                "Unit ini masih memiliki {n} sub-unit yang terbuka; tutup atau pindahkan dulu.",
                "Unit ini masih memiliki {n} sub-unit yang terbuka; tutup atau pindahkan dulu.",
                open_children,
            ).format(n=open_children)
        )
    if problems:
        raise ValidationError({"is_active": problems})
    return _set_unit_active(unit, current, False, action="unit.close", actor=actor)


@transaction.atomic
def do_reopen_unit(*, unit: Unit, actor: User | None = None) -> Unit:
    """Open a closed unit again. Its parent must be open."""
    current = _locked(unit)
    if current.is_active:
        raise ValidationError(gettext("Unit ini masih terbuka."))
    parent = current.parent
    if parent is not None and not parent.is_active:
        raise ValidationError(
            {
                "parent": gettext("Unit induk {name} sudah ditutup; buka kembali dulu.").format(
                    name=parent.name
                )
            }
        )
    return _set_unit_active(unit, current, True, action="unit.reopen", actor=actor)


def _set_unit_active(
    unit: Unit, current: Unit, active: bool, *, action: str, actor: User | None
) -> Unit:
    """Save the locked row `current` open or closed with its audit record; the caller's `unit`
    object follows, so that it does not show the old state."""
    before = _unit_snapshot(current)
    current.is_active = active
    current.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action=action,
        obj=current,
        summary=current.name,
        before=before,
        after=_unit_snapshot(current),
    )
    unit.is_active = active
    return current


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


def _row_values(data: EmployeeInput) -> dict[str, Any]:
    """The employee row's fields taken from `data` by both creating and updating it (the names
    and titles stripped)."""
    return {
        "nip": data.nip,
        "name": data.name.strip(),
        "front_title": data.front_title.strip(),
        "back_title": data.back_title.strip(),
        "sex": data.sex,
        "birth_date": data.birth_date,
        "status": data.status,
        "golongan": data.golongan,
        "pppk_grade": data.pppk_grade,
        "jabatan_kind": data.jabatan_kind,
        "jabatan_name": data.jabatan_name.strip(),
        "education": data.education,
        "unit_id": data.unit_id,
        "email": data.email,
        "phone": data.phone,
    }


@transaction.atomic
def do_create_employee(
    *, instansi: Instansi, data: EmployeeInput, actor: User | None = None
) -> Employee:
    data.nip = normalise_nip(data.nip)
    errors = validate_employee(data)
    if Employee.objects.filter(instansi=instansi, nip=data.nip).exists():
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
        instansi=instansi, supervisor=supervisor, is_active=data.is_active, **_row_values(data)
    )
    EmploymentEvent.objects.create(
        employee=employee,
        kind=EmploymentEvent.Kind.JOINED,
        date=date.today(),
        to_unit_id=data.unit_id,
    )
    return _audited(employee, "employee.create", before=None, actor=actor)


@transaction.atomic
def do_update_employee(
    *, employee: Employee, data: EmployeeInput, actor: User | None = None
) -> Employee:
    data.nip = normalise_nip(data.nip)
    errors = validate_employee(data)
    if (
        Employee.objects.filter(instansi_id=employee.instansi_id, nip=data.nip)
        .exclude(pk=employee.pk)
        .exists()
    ):
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
    for attr, value in _row_values(data).items():
        setattr(employee, attr, value)
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
    return _audited(employee, "employee.update", before=before, actor=actor)


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
    return _audited(employee, "employee.deactivate", before=before, actor=actor)


@transaction.atomic
def do_create_user(
    *,
    instansi: Instansi,
    username: str,
    password: str | None,
    role: str,
    employee: Employee | None = None,
    managed_unit: Unit | None = None,
    first_name: str = "",
    actor: User | None = None,
    must_change_password: bool = False,
) -> User:
    """Create a login. `password=None` leaves it unusable until activated through a one-time
    link; a password chosen by someone else should come with `must_change_password=True`."""
    if User.objects.filter(username__iexact=username).exists():
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
        must_change_password=must_change_password and password is not None,
    )
    user.set_password(password)
    user.save()
    audit.record(
        actor=actor, action="user.create", obj=user, instansi=instansi, after={"role": role}
    )
    return user


@transaction.atomic
def do_provision_accounts(
    *,
    instansi: Instansi,
    employees: list[Employee],
    actor: User | None = None,
    password: str | None = None,
) -> list[User]:
    """Give every listed employee without an account a pegawai login (username = NIP).

    The accounts have no usable password: each is activated through its own one-time link
    (`kompeten.core.accounts.do_issue_password_links`, printed as letters by the admin). Only
    the demo passes `password`, its published one, shared and not to be changed.
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
    shared = make_password(password) if password is not None else None
    new = [
        User(
            username=e.nip,
            password=shared if shared is not None else make_password(None),
            instansi=instansi,
            role=Role.PEGAWAI,
            employee=e,
            first_name=e.name[:150],
        )
        for e in employees
        if e.pk not in have and e.nip not in taken
    ]
    created = User.objects.bulk_create(new, batch_size=1000)
    audit.record(
        actor=actor,
        action="user.provision",
        object_type="core.user",
        instansi=instansi,
        summary=f"{len(new)} akun pegawai dibuat",
    )
    return created
