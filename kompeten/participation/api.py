"""API routers for enrolments, attendance and JP compliance (registered in kompeten/api/main.py).

Reads go through the participation queries' scope (`queries.enrolments_for`: the scoping helper
over the enrolled employee; a token sees its whole instansi). The enrolment list uses the
Kepesertaan page's filter form and the JP list the JP dashboard's filters. Attendance is written
only through `do_mark_attendance` (the trainer's roll call for one participant).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from kompeten.learning.models import Session
from kompeten.participation import queries
from kompeten.participation.actions.attendance import do_mark_attendance
from kompeten.participation.forms import EnrolmentFilterForm, filter_enrolments
from kompeten.participation.models import (
    Attendance,
    DeclineReason,
    Enrolment,
    EnrolmentStatus,
)
from kompeten.people.apiutil import (
    ERROR_RESPONSES,
    MAX_ID,
    ApiPrincipal,
    Id,
    IdFilter,
    NoNul,
    Page,
    Paging,
    PathId,
    field_error,
    filter_given,
    not_found,
    paginate,
    principal_of,
    scope_required,
    validated_form,
    validation_as_422,
)
from kompeten.people.models import Employee

enrolments_router = Router(tags=["enrolments"])
attendance_router = Router(tags=["attendance"])
jp_router = Router(tags=["results"])

EnrolmentStatusCode = Literal["diundang", "diterima", "ditolak", "daftar_tunggu", "dibatalkan"]
assert set(EnrolmentStatusCode.__args__) == set(EnrolmentStatus.values)  # type: ignore[attr-defined]
DeclineCode = Literal["beban_kerja", "bentrok_tugas", "tidak_relevan", "pribadi", "lainnya"]
assert set(DeclineCode.__args__) == set(DeclineReason.values)  # type: ignore[attr-defined]


def enrolments_of(principal: ApiPrincipal) -> QuerySet[Enrolment]:
    """Enrolments the caller may read: the scoping helper over the employee, or the instansi."""
    if principal.user is not None:
        return queries.enrolments_for(principal.user)
    return Enrolment.objects.filter(instansi_id=principal.instansi_id)


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


# --- schemas ----------------------------------------------------------------------------------


class EnrolmentOut(Schema):
    id: int
    employee_id: int
    employee_nip: str = Field(alias="employee.nip")
    employee_name: str = Field(alias="employee.name")
    unit_name: str = Field(alias="employee.unit.name")
    batch_id: int
    batch_name: str = Field(alias="batch.name")
    programme_id: int = Field(alias="batch.programme_id")
    programme_title: str = Field(alias="batch.programme.title")
    status: str
    source: str
    invited_at: datetime
    responded_at: datetime | None
    decline_reason: str
    attendance_pct: float | None
    learning_gain: float | None
    completed_at: datetime | None

    @staticmethod
    def resolve_attendance_pct(obj: Enrolment) -> float | None:
        return _number(obj.attendance_pct)

    @staticmethod
    def resolve_learning_gain(obj: Enrolment) -> float | None:
        return _number(obj.learning_gain)


class AttendanceOut(Schema):
    id: int
    enrolment_id: int
    session_id: int
    employee_id: int = Field(alias="enrolment.employee_id")
    present: bool
    method: str
    checked_in_at: datetime | None
    late_minutes: int
    left_early_minutes: int


class AttendanceIn(Schema):
    """One participant's attendance at one session (creates or corrects the record)."""

    session_id: Id
    enrolment_id: Id
    present: bool
    late_minutes: Annotated[int, Field(ge=0, le=1440)] = 0
    left_early_minutes: Annotated[int, Field(ge=0, le=1440)] = 0


class JpRowOut(Schema):
    employee_id: int
    nip: str
    name: str
    unit: str
    status: str
    total_jp: float
    klasikal_jp: float
    target: float | None
    deficit: float
    met: bool
    limit: float | None
    excess: float


class JpPage(Schema):
    year: int
    count: int
    limit: int
    offset: int
    items: list[JpRowOut]


# --- enrolments -------------------------------------------------------------------------------


def _enrolment_rows(qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return qs.select_related("employee__unit", "batch__programme").order_by(
        "-batch__start_date", "employee__name", "id"
    )


@enrolments_router.get("", response={200: Page[EnrolmentOut], **ERROR_RESPONSES})
@scope_required("enrolments:read")
def list_enrolments(
    request: HttpRequest,
    page: Query[Paging],
    q: Annotated[
        str | None, Query(description="Name or NIP prefix.", max_length=100), NoNul
    ] = None,
    status: EnrolmentStatusCode | None = None,
    programme: Annotated[
        str | None, Query(description="Part of the title.", max_length=200), NoNul
    ] = None,
    year: Annotated[int | None, Query(ge=1900, le=2999, description="Batch start year.")] = None,
    decline_reason: DeclineCode | None = None,
    batch: IdFilter = None,
    employee: IdFilter = None,
) -> Any:
    """Enrolments, filtered like the Kepesertaan page (plus batch and employee ids)."""
    principal = principal_of(request)
    data = {
        "q": q or "",
        "status": status or "",
        "programme": programme or "",
        "year": year or "",
        "decline_reason": decline_reason or "",
    }
    form = validated_form(lambda: EnrolmentFilterForm(data))
    qs = filter_enrolments(enrolments_of(principal), form.cleaned_data)
    qs = filter_given(qs, batch_id=batch, employee_id=employee)
    return paginate(_enrolment_rows(qs), page)


@enrolments_router.get("/{enrolment_id}", response={200: EnrolmentOut, **ERROR_RESPONSES})
@scope_required("enrolments:read")
def get_enrolment(request: HttpRequest, enrolment_id: PathId) -> Any:
    """One enrolment by id."""
    enrolment = _enrolment_rows(
        enrolments_of(principal_of(request)).filter(pk=enrolment_id)
    ).first()
    if enrolment is None:
        raise not_found("Kepesertaan", "Enrolment")
    return enrolment


# --- attendance -------------------------------------------------------------------------------


def _attendance_rows(qs: QuerySet[Attendance]) -> QuerySet[Attendance]:
    return qs.select_related("enrolment").order_by(
        "session__start", "enrolment__employee__name", "id"
    )


@attendance_router.get("", response={200: Page[AttendanceOut], **ERROR_RESPONSES})
@scope_required("attendance:read")
def list_attendance(
    request: HttpRequest,
    page: Query[Paging],
    session: IdFilter = None,
    batch: IdFilter = None,
    enrolment: IdFilter = None,
    employee: IdFilter = None,
    present: bool | None = None,
) -> Any:
    """Attendance records of the enrolments the caller may read."""
    qs = Attendance.objects.filter(enrolment__in=enrolments_of(principal_of(request)))
    qs = filter_given(
        qs,
        session_id=session,
        session__batch_id=batch,
        enrolment_id=enrolment,
        enrolment__employee_id=employee,
        present=present,
    )
    return paginate(_attendance_rows(qs), page)


@attendance_router.put("", response={200: AttendanceOut, **ERROR_RESPONSES})
@scope_required("attendance:write")
def mark_attendance(request: HttpRequest, payload: AttendanceIn) -> Any:
    """Record or correct one participant's attendance at a session (the roll call's action)."""
    principal = principal_of(request)
    enrolment = (
        enrolments_of(principal)
        .select_related("employee", "instansi")
        .filter(pk=payload.enrolment_id)
        .first()
    )
    if enrolment is None:
        raise field_error("enrolment_id", "Kepesertaan tidak dikenal.", "Unknown enrolment.")
    session = (
        Session.objects.filter(batch__programme__instansi_id=principal.instansi_id)
        .filter(pk=payload.session_id)
        .first()
    )
    if session is None:
        raise field_error("session_id", "Sesi tidak dikenal.", "Unknown session.")
    with validation_as_422():
        record = do_mark_attendance(
            session=session,
            enrolment=enrolment,
            present=payload.present,
            late_minutes=payload.late_minutes,
            left_early_minutes=payload.left_early_minutes,
            actor=principal.actor(),
            now=timezone.now(),
        )
    return _attendance_rows(Attendance.objects.filter(pk=record.pk)).get()


# --- JP compliance ----------------------------------------------------------------------------


def _jp_employees(principal: ApiPrincipal) -> QuerySet[Employee]:
    return principal.employees().filter(is_active=True)


@jp_router.get("", response={200: JpPage, **ERROR_RESPONSES})
@scope_required("results:read")
def jp_compliance(
    request: HttpRequest,
    page: Query[Paging],
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Default: this year.")] = None,
    unit: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Unit id; sub-units too.")
    ] = None,
    below: Annotated[bool, Query(description="Only employees below their target.")] = False,
) -> Any:
    """Each active employee's JP for the year against the rule for their status (the JP
    dashboard's table): total, classical JP, target, deficit, whether it is met."""
    principal = principal_of(request)
    year = year or timezone.localdate().year
    employees = _jp_employees(principal)
    if unit is not None:
        root = principal.units().filter(pk=unit).first()
        if root is None:
            raise field_error("unit", "Unit kerja tidak dikenal.", "Unknown unit.")
        employees = employees.filter(unit__path__startswith=root.path)
    employees = employees.order_by("unit__path", "name", "id")
    if below:
        rows = [r for r in queries.jp_rows(employees, year) if not r.met]
        count = len(rows)
        rows = rows[page.offset : page.offset + page.limit]
    else:
        count = employees.count()
        ids = list(employees.values_list("pk", flat=True)[page.offset : page.offset + page.limit])
        page_rows = {
            r.employee_id: r for r in queries.jp_rows(Employee.objects.filter(pk__in=ids), year)
        }
        rows = [page_rows[i] for i in ids if i in page_rows]
    return {
        "year": year,
        "count": count,
        "limit": page.limit,
        "offset": page.offset,
        "items": [
            {
                "employee_id": r.employee_id,
                "nip": r.nip,
                "name": r.name,
                "unit": r.unit,
                "status": r.status,
                "total_jp": float(r.total_jp),
                "klasikal_jp": float(r.klasikal_jp),
                "target": float(r.target) if r.target is not None else None,
                "deficit": float(r.deficit),
                "met": r.met,
                "limit": float(r.limit) if r.limit is not None else None,
                "excess": float(r.excess),
            }
            for r in rows
        ],
    }
