"""API routers for employees and units (registered in kompeten/api/main.py ROUTERS).

The pattern for every app's `api.py`: each endpoint starts with `scope_required(...)`, reads
through the caller's scope (`principal.employees()` — a token sees its own instansi, a browser
session sees what the scoping helper allows), filters with the same form as the list page,
paginates with `paginate()`, and writes only through the app's actions, whose Indonesian
ValidationErrors become 422 responses in the one error format.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from kompeten.core.models import Instansi
from kompeten.people import actions, unit_access
from kompeten.people.apiutil import (
    ERROR_RESPONSES,
    MAX_ID,
    ApiDate,
    Id,
    NoNul,
    Page,
    Paging,
    PathId,
    field_error,
    not_found,
    paginate,
    principal_of,
    scope_required,
    validated_form,
    validation_as_422,
)
from kompeten.people.filters import EmployeeFilterForm, filter_employees
from kompeten.people.models import (
    Education,
    Employee,
    EmployeeStatus,
    JabatanKind,
    Sex,
    Unit,
    UnitKind,
)
from kompeten.people.validation import EmployeeInput

DIGITS = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit() accepts "³"

employees_router = Router(tags=["employees"])
units_router = Router(tags=["units"])

SexCode = Literal["L", "P"]
StatusCode = Literal["PNS", "PPPK"]
JabatanCode = Literal["jpt", "administrator", "pengawas", "fungsional", "pelaksana"]
EducationCode = Literal["SD", "SMP", "SLTA", "D-I", "D-II", "D-III", "D-IV", "S-1", "S-2", "S-3"]
ActiveFilter = Literal["1", "0", "all"]

# The literals above must stay equal to the model's choices (checked at import).
assert set(SexCode.__args__) == set(Sex.values)  # type: ignore[attr-defined]
assert set(StatusCode.__args__) == set(EmployeeStatus.values)  # type: ignore[attr-defined]
assert set(JabatanCode.__args__) == set(JabatanKind.values)  # type: ignore[attr-defined]
assert set(EducationCode.__args__) == set(Education.values)  # type: ignore[attr-defined]


class EmployeeOut(Schema):
    id: int
    nip: str
    name: str
    front_title: str
    back_title: str
    full_name: str
    sex: str
    birth_date: date
    status: str
    golongan: str
    pppk_grade: str
    jabatan_kind: str
    jabatan_name: str
    education: str
    unit_id: int
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    supervisor_nip: str | None
    is_active: bool
    end_reason: str
    end_date: date | None

    @staticmethod
    def resolve_supervisor_nip(obj: Employee) -> str | None:
        return obj.supervisor.nip if obj.supervisor is not None else None


class EmployeeIn(Schema):
    """An employee as written through the API (the same validation as the form and import)."""

    nip: Annotated[str, Field(min_length=1, max_length=30), NoNul]
    name: Annotated[str, Field(min_length=1, max_length=150), NoNul]
    sex: SexCode
    birth_date: ApiDate
    status: StatusCode
    jabatan_kind: JabatanCode
    jabatan_name: Annotated[str, Field(min_length=1, max_length=200), NoNul]
    # unknown until a list says it (a minimal SIMPEG list has no such column): IP ASN leaves
    # the employee out until then, as after an import
    education: Literal[EducationCode, ""] = ""
    unit_id: Id
    golongan: Annotated[str, Field(max_length=6), NoNul] = ""
    pppk_grade: Annotated[str, Field(max_length=3), NoNul] = ""
    front_title: Annotated[str, Field(max_length=40), NoNul] = ""
    back_title: Annotated[str, Field(max_length=60), NoNul] = ""
    supervisor_nip: Annotated[str, Field(max_length=30), NoNul] = ""
    email: Annotated[str, Field(max_length=254), NoNul] = ""
    phone: Annotated[str, Field(max_length=30), NoNul] = ""

    def to_input(self) -> EmployeeInput:
        """The action's input: every field here is one of EmployeeInput's, by the same name."""
        return EmployeeInput(**self.model_dump())


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    path: str
    depth: int
    is_active: bool


def _employee_rows(qs: QuerySet[Employee]) -> QuerySet[Employee]:
    return qs.select_related("unit", "supervisor").order_by("name", "nip")


def _employee_by_ref(request: HttpRequest, ref: str) -> Employee:
    """An employee in the caller's scope by database id or by 18-digit NIP; else 404."""
    principal = principal_of(request)
    compact = "".join(ref.split())
    qs = _employee_rows(principal.employees())
    employee: Employee | None = None
    if DIGITS.fullmatch(compact) and len(compact) == 18:
        employee = qs.filter(nip=compact).first()
    elif DIGITS.fullmatch(compact) and 0 < int(compact) <= MAX_ID:
        employee = qs.filter(pk=int(compact)).first()
    if employee is None:
        raise not_found("Pegawai", "Employee")
    return employee


def _check_unit_in_scope(request: HttpRequest, unit_id: int) -> None:
    if not principal_of(request).units().filter(pk=unit_id).exists():
        raise field_error("unit_id", "Unit kerja tidak dikenal.", "Unknown unit.")


@employees_router.get("", response={200: Page[EmployeeOut], **ERROR_RESPONSES})
@scope_required("employees:read")
def list_employees(
    request: HttpRequest,
    page: Query[Paging],
    q: Annotated[str | None, Query(description="Name, post or NIP prefix."), NoNul] = None,
    unit: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Unit id; sub-units too.")
    ] = None,
    status: StatusCode | None = None,
    jabatan_kind: JabatanCode | None = None,
    golongan: Annotated[str | None, Query(description="e.g. III/b"), NoNul] = None,
    education: EducationCode | None = None,
    sex: SexCode | None = None,
    active: ActiveFilter = "1",
) -> Any:
    """Employees, filtered exactly like the Pegawai list page (active ones by default)."""
    principal = principal_of(request)
    if q and any(ch.isdigit() and not ch.isascii() for ch in q):
        # "³" or "٣" pass str.isdigit() but are no NIP digits; refuse them at the edge.
        raise field_error(
            "q", "Gunakan angka 0–9 untuk mencari NIP.", "Use the digits 0–9 to search a NIP."
        )
    data = {
        "q": q or "",
        "unit": unit or "",
        "status": status or "",
        "jabatan_kind": jabatan_kind or "",
        "golongan": golongan or "",
        "education": education or "",
        "sex": sex or "",
        "active": active,
    }
    units = principal.units()
    form = validated_form(lambda: EmployeeFilterForm(data, units=units))
    qs = filter_employees(principal.employees(), form)
    return paginate(_employee_rows(qs), page)


@employees_router.get("/{ref}", response={200: EmployeeOut, **ERROR_RESPONSES})
@scope_required("employees:read")
def get_employee(
    request: HttpRequest,
    ref: Annotated[str, Path(description="Database id or 18-digit NIP.", max_length=40)],
) -> Any:
    """One employee by id or NIP."""
    return _employee_by_ref(request, ref)


@employees_router.post("", response={201: EmployeeOut, **ERROR_RESPONSES})
@scope_required("employees:write")
def create_employee(request: HttpRequest, payload: EmployeeIn) -> Any:
    """Register an employee (validated like the form and the import)."""
    principal = principal_of(request)
    _check_unit_in_scope(request, payload.unit_id)
    instansi = Instansi.objects.get(pk=principal.instansi_id)
    with validation_as_422():
        employee = actions.do_create_employee(
            instansi=instansi, data=payload.to_input(), actor=principal.user
        )
    return Status(201, _employee_rows(Employee.objects.filter(pk=employee.pk)).get())


@employees_router.put("/{ref}", response={200: EmployeeOut, **ERROR_RESPONSES})
@scope_required("employees:write")
def update_employee(
    request: HttpRequest,
    ref: Annotated[str, Path(description="Database id or 18-digit NIP.", max_length=40)],
    payload: EmployeeIn,
) -> Any:
    """Replace an employee's data (every field; unit moves are recorded as mutasi)."""
    principal = principal_of(request)
    employee = _employee_by_ref(request, ref)
    _check_unit_in_scope(request, payload.unit_id)
    with validation_as_422():
        actions.do_update_employee(employee=employee, data=payload.to_input(), actor=principal.user)
    return _employee_rows(Employee.objects.filter(pk=employee.pk)).get()


@units_router.get("", response={200: Page[UnitOut], **ERROR_RESPONSES})
@scope_required("units:read")
def list_units(
    request: HttpRequest,
    page: Query[Paging],
    parent: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only this unit's subtree.")
    ] = None,
    kind: Annotated[str | None, Query(description="Unit kind, e.g. dinas."), NoNul] = None,
    active: ActiveFilter = "1",
) -> Any:
    """Units (OPD and unit kerja) in tree order, like the OPD page."""
    principal = principal_of(request)
    qs = principal.units()
    if parent is not None:
        root = qs.filter(pk=parent).first()
        if root is None:
            raise not_found("Unit kerja", "Unit")
        qs = qs.filter(path__startswith=root.path)
    if kind:
        if kind not in UnitKind.values:
            choices = ", ".join(UnitKind.values)
            raise field_error(
                "kind",
                f"Jenis unit tidak dikenal (pilihan: {choices}).",
                f"Unknown unit kind (choices: {choices}).",
            )
        qs = qs.filter(kind=kind)
    if active == "1":
        qs = qs.filter(is_active=True)
    elif active == "0":
        qs = qs.filter(is_active=False)
    return paginate(qs.order_by("path"), page)


@units_router.get("/{unit_id}", response={200: UnitOut, **ERROR_RESPONSES})
@scope_required("units:read")
def get_unit(request: HttpRequest, unit_id: PathId) -> Any:
    """One unit by id."""
    unit = principal_of(request).units().filter(pk=unit_id).first()
    if unit is None:
        raise not_found("Unit kerja", "Unit")
    return unit


# --- writing the OPD tree ------------------------------------------------------------------

UnitKindCode = Literal[
    "sekretariat",
    "inspektorat",
    "dinas",
    "badan",
    "satpol",
    "kecamatan",
    "kelurahan",
    "upt",
    "puskesmas",
    "rsud",
    "bagian",
    "lainnya",
]
assert set(UnitKindCode.__args__) == set(UnitKind.values)  # type: ignore[attr-defined]


class UnitIn(Schema):
    """A new unit. Without `parent_id` it is a top-level OPD (admin and tokens only)."""

    code: Annotated[str, Field(min_length=1, max_length=40), NoNul]
    name: Annotated[str, Field(min_length=1, max_length=200), NoNul]
    kind: UnitKindCode
    short_name: Annotated[str, Field(max_length=60), NoNul] = ""
    parent_id: Id | None = None


class UnitPatch(Schema):
    """Change a unit: only the fields sent. `parent_id` moves it (null: to the top level)."""

    code: Annotated[str, Field(min_length=1, max_length=40), NoNul] | None = None
    name: Annotated[str, Field(min_length=1, max_length=200), NoNul] | None = None
    kind: UnitKindCode | None = None
    short_name: Annotated[str, Field(max_length=60), NoNul] | None = None
    parent_id: Id | None = None


# An action's refusal as a 422 names the API's field (`parent_id`, not `parent`).
UNIT_FIELDS = {"parent": "parent_id"}


def _unit_for_writing(request: HttpRequest, unit_id: int, *, restructure: bool = False) -> Unit:
    """The unit, or 404 outside the caller's scope, or 403 when a browser session's user may
    see but not change it (a pengelola's own OPD is not moved or closed)."""
    principal = principal_of(request)
    unit = principal.units().filter(pk=unit_id).first()
    if unit is None:
        raise not_found("Unit kerja", "Unit")
    user = principal.user
    if user is not None:
        if not unit_access.writable_units(user).filter(pk=unit.pk).exists():
            raise PermissionDenied
        if restructure and unit_access.is_own_root(user, unit):
            raise PermissionDenied
    return unit


def _parent_for_writing(request: HttpRequest, parent_id: int | None) -> Unit | None:
    principal = principal_of(request)
    parent = None
    if parent_id is not None:
        parent = principal.units().filter(pk=parent_id).first()
        if parent is None:
            raise field_error("parent_id", "Unit induk tidak dikenal.", "Unknown parent unit.")
    if principal.user is not None:
        with validation_as_422():
            unit_access.check_parent_allowed(principal.user, parent, field="parent_id")
    return parent


@units_router.post("", response={201: UnitOut, **ERROR_RESPONSES})
@scope_required("units:write")
def create_unit(request: HttpRequest, payload: UnitIn) -> Any:
    """Create a unit (OPD or sub-unit); 201 with the unit, its path and depth."""
    principal = principal_of(request)
    parent = _parent_for_writing(request, payload.parent_id)
    with validation_as_422(UNIT_FIELDS):
        unit = actions.do_create_unit(
            instansi=Instansi.objects.get(pk=principal.instansi_id),
            parent=parent,
            code=payload.code,
            name=payload.name,
            short_name=payload.short_name,
            kind=payload.kind,
            actor=principal.actor(),
        )
    return Status(201, unit)


@units_router.patch("/{unit_id}", response={200: UnitOut, **ERROR_RESPONSES})
@scope_required("units:write")
def update_unit(request: HttpRequest, unit_id: PathId, payload: UnitPatch) -> Any:
    """Rename (`name`, `short_name`, `code`, `kind`) and/or move (`parent_id`) a unit; the
    fields not sent keep their value. A new code or parent rewrites the subtree's paths."""
    sent = payload.model_fields_set
    moving = "parent_id" in sent
    unit = _unit_for_writing(request, unit_id, restructure=moving)
    actor = principal_of(request).actor()
    with validation_as_422(UNIT_FIELDS), transaction.atomic():
        if sent & {"name", "short_name", "code", "kind"}:
            actions.do_rename_unit(
                unit=unit,
                name=payload.name if payload.name is not None else unit.name,
                short_name=(
                    payload.short_name if payload.short_name is not None else unit.short_name
                ),
                code=payload.code if payload.code is not None else unit.code,
                kind=payload.kind if payload.kind is not None else unit.kind,
                actor=actor,
            )
        if moving and payload.parent_id != unit.parent_id:
            parent = _parent_for_writing(request, payload.parent_id)
            actions.do_move_unit(unit=unit, parent=parent, actor=actor)
    return Unit.objects.get(pk=unit.pk)


@units_router.post("/{unit_id}/close", response={200: UnitOut, **ERROR_RESPONSES})
@scope_required("units:write")
def close_unit(request: HttpRequest, unit_id: PathId) -> Any:
    """Close a unit; refused (422, field `is_active`) while it has active employees or open
    sub-units, saying how many."""
    unit = _unit_for_writing(request, unit_id, restructure=True)
    with validation_as_422(UNIT_FIELDS):
        return actions.do_close_unit(unit=unit, actor=principal_of(request).actor())


@units_router.post("/{unit_id}/reopen", response={200: UnitOut, **ERROR_RESPONSES})
@scope_required("units:write")
def reopen_unit(request: HttpRequest, unit_id: PathId) -> Any:
    """Open a closed unit again (its parent must be open)."""
    unit = _unit_for_writing(request, unit_id, restructure=True)
    with validation_as_422(UNIT_FIELDS):
        return actions.do_reopen_unit(unit=unit, actor=principal_of(request).actor())
