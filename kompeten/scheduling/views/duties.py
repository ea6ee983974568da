"""Duty calendars: list with filters and export, add, delete, working pattern (the import is
the engine's, ``kompeten/scheduling/imports.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kompeten.core.exports import xlsx_response
from kompeten.core.forminput import input_from
from kompeten.core.formviews import form_page
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.paging import paged
from kompeten.core.params import id_param
from kompeten.people import scoping
from kompeten.scheduling import queries
from kompeten.scheduling.actions.duties import (
    DutyInput,
    do_create_duty,
    do_delete_duty,
    do_set_work_pattern,
)
from kompeten.scheduling.forms import DutyFilterForm, DutyForm, WorkPatternForm
from kompeten.scheduling.models import DutyEntry, WorkPattern


def _filtered(request: AuthenticatedHttpRequest) -> tuple[DutyFilterForm, QuerySet[DutyEntry]]:
    form = DutyFilterForm(request.GET or None, units=scoping.units_for(request.user))
    qs = queries.duties_for(request.user)
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(
                Q(employee__name__icontains=d["q"])
                | Q(employee__nip__startswith=d["q"].replace(" ", ""))
            )
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["unit"] is not None:
            qs = qs.filter(employee__unit__path__startswith=d["unit"].path)
        if d["month"]:
            first = d["month"].replace(day=1)
            nxt = (first + timedelta(days=32)).replace(day=1)
            qs = qs.filter(start__date__lt=nxt).filter(
                Q(end__date__gte=first) | Q(repeat_until__gte=first)
            )
    if (employee_id := id_param(request.GET.get("employee"))) is not None:
        qs = qs.filter(employee_id=employee_id)
    return form, qs.select_related("employee__unit").order_by("start", "id")


@login_required
def duty_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    return render(
        request,
        "scheduling/duty_list.html",
        {
            "form": form,
            **paged(request, qs, 50),
            "can_edit": queries.can_edit(request.user),
        },
    )


EXPORT_HEADER = [
    "NIP",
    "Nama",
    "Unit kerja",
    "Jenis",
    "Mulai",
    "Selesai",
    "Berulang sampai",
    "Keterangan",
]


def _rows(qs: QuerySet[DutyEntry]) -> Iterator[list[Any]]:
    for d in qs.iterator(chunk_size=2000):
        yield [
            d.employee.nip,
            d.employee.name,
            d.employee.unit.name,
            d.get_kind_display(),
            *(d.whole_days or (timezone.localtime(d.start), timezone.localtime(d.end))),
            d.repeat_until,
            d.note,
        ]


@login_required
def duty_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    _form, qs = _filtered(request)
    return xlsx_response(
        f"kalender-tugas-{timezone.localdate().isoformat()}.xlsx",
        [("Kalender tugas", EXPORT_HEADER, _rows(qs))],
    )


def _require_editor(request: AuthenticatedHttpRequest) -> None:
    if not queries.can_edit(request.user):
        raise PermissionDenied


@login_required
def duty_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_editor(request)
    employees = queries.editable_employees(request.user).order_by("name")
    form = DutyForm(request.POST or None, employees=employees)
    return form_page(
        request,
        form,
        lambda: do_create_duty(
            employee=form.cleaned_data["employee"],
            data=input_from(DutyInput, form.cleaned_data),
            actor=request.user,
        ),
        gettext("Entri kalender tugas disimpan."),
        lambda _entry: redirect("scheduling:duty_list"),
        template="scheduling/duty_form.html",
    )


@login_required
@require_POST
def duty_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    entry = DutyEntry.objects.filter(
        pk=pk, employee__in=queries.editable_employees(request.user)
    ).first()
    if entry is None:
        raise Http404("Entri tidak ditemukan")
    do_delete_duty(entry=entry, actor=request.user)
    messages.success(request, gettext("Entri dihapus."))
    return redirect("scheduling:duty_list")


@login_required
def work_pattern(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_editor(request)
    employees = queries.editable_employees(request.user).order_by("name")
    form = WorkPatternForm(request.POST or None, employees=employees)
    patterns = (
        WorkPattern.objects.filter(employee__in=employees)
        .select_related("employee__unit")
        .order_by("employee__name")[:200]
    )
    return form_page(
        request,
        form,
        lambda: do_set_work_pattern(
            employee=form.cleaned_data["employee"],
            weekdays="".join(form.cleaned_data["weekdays"]),
            start_time=form.cleaned_data["start_time"],
            end_time=form.cleaned_data["end_time"],
            note=form.cleaned_data["note"],
            actor=request.user,
        ),
        gettext("Pola kerja disimpan."),
        lambda _pattern: redirect("scheduling:work_pattern"),
        template="scheduling/work_pattern.html",
        context={"patterns": patterns},
    )


@login_required
def duty_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The old upload page: duty calendars now go through the import engine's pages."""
    _require_editor(request)
    return HttpResponseRedirect(reverse("imports:upload", kwargs={"key": "duties"}))
