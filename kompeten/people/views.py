"""Employee list, export and detail (the OPD tree is in views_units.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from kompeten.core.exports import csv_response, xlsx_response
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.paging import paged
from kompeten.people import scoping
from kompeten.people.filters import EmployeeFilterForm, filter_employees
from kompeten.people.models import Employee

PAGE_SIZE = 50

# The export's columns: the header a reader sees, the employee's field it shows.
EXPORT_COLUMNS = (
    ("NIP", "nip"),
    ("Nama", "name"),
    ("Gelar depan", "front_title"),
    ("Gelar belakang", "back_title"),
    ("Jenis kelamin", "sex"),
    ("Tanggal lahir", "birth_date"),
    ("Status", "status"),
    ("Golongan", "golongan"),
    ("Golongan PPPK", "pppk_grade"),
    ("Jenis jabatan", "jabatan_kind"),
    ("Nama jabatan", "jabatan_name"),
    ("Pendidikan", "education"),
    ("Kode unit", "unit__code"),
    ("Unit kerja", "unit__name"),
    ("NIP atasan", "supervisor__nip"),
    ("Aktif", "is_active"),
)
EXPORT_HEADER = [header for header, _field in EXPORT_COLUMNS]


def _filtered(request: AuthenticatedHttpRequest) -> tuple[EmployeeFilterForm, QuerySet[Employee]]:
    form = EmployeeFilterForm(request.GET or None, units=scoping.units_for(request.user))
    if not request.GET:
        form = EmployeeFilterForm({"active": "1"}, units=scoping.units_for(request.user))
    qs = filter_employees(scoping.employees_for(request.user), form)
    return form, qs


@login_required
def employee_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    qs = qs.select_related("unit").only(
        "id",
        "nip",
        "name",
        "front_title",
        "back_title",
        "status",
        "golongan",
        "pppk_grade",
        "jabatan_kind",
        "jabatan_name",
        "is_active",
        "unit__name",
        "unit__short_name",
    )
    context = {"form": form, **paged(request, qs.order_by("name", "nip"), PAGE_SIZE)}
    template = "people/_employee_table.html" if request.htmx else "people/employee_list.html"
    return render(request, template, context)


def _export_rows(qs: QuerySet[Employee]) -> Iterator[list[Any]]:
    fields = [field for _header, field in EXPORT_COLUMNS]
    rows = qs.order_by("name", "nip").values_list(*fields)
    for row in rows.iterator(chunk_size=2000):
        values = list(row)
        values[-1] = "Ya" if values[-1] else "Tidak"
        yield values


@login_required
def employee_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    _form, qs = _filtered(request)
    stamp = timezone.localdate().isoformat()
    if fmt not in ("csv", "xlsx"):
        raise Http404("Format ekspor tidak dikenal")
    if fmt == "csv":
        return csv_response(f"pegawai-{stamp}.csv", EXPORT_HEADER, _export_rows(qs))
    return xlsx_response(f"pegawai-{stamp}.xlsx", [("Pegawai", EXPORT_HEADER, _export_rows(qs))])


@login_required
def employee_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    employee = scoping.get_employee_for_user(request.user, pk)
    reports = employee.reports.filter(is_active=True).select_related("unit").order_by("name")
    events = employee.events.select_related("from_unit", "to_unit")[:20]
    return render(
        request,
        "people/employee_detail.html",
        {"employee": employee, "reports": reports, "events": events},
    )
