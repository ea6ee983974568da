"""My invitations (accept/decline), and the enrolment list of those the user manages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from kompeten.core.exports import Label, xlsx_response
from kompeten.core.formviews import save_form
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.paging import paged
from kompeten.participation import queries
from kompeten.participation.actions.enrolment import do_accept, do_decline
from kompeten.participation.forms import DeclineForm, EnrolmentFilterForm, filter_enrolments
from kompeten.participation.models import Enrolment, EnrolmentStatus
from kompeten.participation.views.common import can_manage, flash_errors


def _own(request: AuthenticatedHttpRequest, pk: int) -> Enrolment:
    if request.user.employee_id is None:
        raise Http404("Kepesertaan tidak ditemukan")
    enrolment = (
        Enrolment.objects.filter(pk=pk, employee_id=request.user.employee_id)
        .select_related("batch__programme", "employee")
        .first()
    )
    if enrolment is None:
        raise Http404("Kepesertaan tidak ditemukan")
    return enrolment


@login_required
def invitations(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.employee_id is None:
        return render(request, "participation/invitations.html", {"rows": [], "no_employee": True})
    rows = (
        Enrolment.objects.filter(employee_id=request.user.employee_id)
        .select_related("batch__programme")
        .order_by("-batch__start_date", "-id")[:100]
    )
    return render(
        request, "participation/invitations.html", {"rows": rows, "decline_form": DeclineForm()}
    )


@login_required
@require_POST
def accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = _own(request, pk)
    try:
        enrolment = do_accept(enrolment=enrolment, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            gettext("Undangan {programme} diterima.").format(
                programme=enrolment.batch.programme.title
            ),
        )
    return redirect("participation:invitations")


@login_required
def decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = _own(request, pk)
    form = DeclineForm(request.POST or None)
    done = save_form(
        request,
        form,
        lambda: do_decline(
            enrolment=enrolment,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            actor=request.user,
        ),
        gettext("Undangan ditolak. Terima kasih atas alasannya."),
        lambda _enrolment: redirect("participation:invitations"),
    )
    if done is not None:
        return done
    return render(request, "participation/decline.html", {"form": form, "enrolment": enrolment})


EXPORT_HEADER: list[Label] = [
    "NIP",
    gettext_lazy("Nama"),
    gettext_lazy("Unit kerja"),
    gettext_lazy("Program"),
    gettext_lazy("Angkatan"),
    gettext_lazy("Mulai"),
    gettext_lazy("Status"),
    gettext_lazy("Sumber"),
    gettext_lazy("Alasan menolak"),
    gettext_lazy("Keterangan"),
    gettext_lazy("Kehadiran (%)"),
    gettext_lazy("Selesai"),
]


def _filtered(request: AuthenticatedHttpRequest) -> tuple[EnrolmentFilterForm, QuerySet[Enrolment]]:
    if not can_manage(request.user) and not request.user.is_pimpinan:
        raise PermissionDenied
    form = EnrolmentFilterForm(request.GET or None)
    qs = queries.enrolments_for(request.user)
    if form.is_valid():
        qs = filter_enrolments(qs, form.cleaned_data)
    return form, qs.select_related("employee__unit", "batch__programme").order_by(
        "-batch__start_date", "employee__name", "id"
    )


@login_required
def enrolment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    return render(
        request, "participation/enrolment_list.html", {"form": form, **paged(request, qs, 50)}
    )


def _rows(qs: QuerySet[Enrolment]) -> Iterator[list[Any]]:
    for e in qs.iterator(chunk_size=2000):
        yield [
            e.employee.nip,
            e.employee.name,
            e.employee.unit.name,
            e.batch.programme.title,
            e.batch.name,
            e.batch.start_date,
            e.get_status_display(),
            e.get_source_display(),
            e.get_decline_reason_display() if e.decline_reason else "",
            e.decline_note,
            e.attendance_pct,
            timezone.localtime(e.completed_at).date() if e.completed_at else None,
        ]


@login_required
def enrolment_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    _form, qs = _filtered(request)
    stamp = timezone.localdate().isoformat()
    return xlsx_response(f"kepesertaan-{stamp}.xlsx", [("Kepesertaan", EXPORT_HEADER, _rows(qs))])


@login_required
def enrolment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = queries.get_enrolment_for_user(request.user, pk)
    attendance = enrolment.attendance.select_related("session").order_by("session__start")
    return render(
        request,
        "participation/enrolment_detail.html",
        {"enrolment": enrolment, "attendance": attendance, "statuses": EnrolmentStatus},
    )
