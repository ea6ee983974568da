"""The JP ledger: my JP and external certificates, the OPD dashboard, the pengelola's review."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from kompeten.core.exports import Label, xlsx_response
from kompeten.core.forminput import input_from
from kompeten.core.formviews import save_form
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.paging import paged
from kompeten.core.years import opened_on_note, year_with_data
from kompeten.participation import queries
from kompeten.participation.actions.jp import (
    ExternalInput,
    do_review_external_certificate,
    do_submit_external_certificate,
)
from kompeten.participation.forms import (
    ExternalCertificateForm,
    JpFilterForm,
    ReviewForm,
    credit_rule_rows,
    selected_year,
)
from kompeten.participation.models import Certificate, ExternalCertificate, JpEntry, ReviewStatus
from kompeten.participation.views.common import can_manage
from kompeten.people import scoping
from kompeten.people.models import Employee


@login_required
def my_jp(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.employee_id is None:  # an officer or leader without an ASN record
        return render(request, "participation/my_jp_no_employee.html")
    year = selected_year(request.GET)
    employee = Employee.objects.filter(pk=request.user.employee_id)
    row = queries.jp_rows(employee, year)[0]
    entries = JpEntry.objects.filter(employee_id=request.user.employee_id, year=year)
    externals = ExternalCertificate.objects.filter(employee_id=request.user.employee_id).order_by(
        "-created"
    )[:20]
    certificates = Certificate.objects.filter(employee_id=request.user.employee_id).order_by(
        "-issued_at"
    )[:20]
    return render(
        request,
        "participation/my_jp.html",
        {
            "row": row,
            "year": year,
            "entries": entries,
            "externals": externals,
            "certificates": certificates,
            "upload_form": ExternalCertificateForm(),
        },
    )


@login_required
def upload_external(request: AuthenticatedHttpRequest) -> HttpResponse:
    employee = request.user.employee
    if employee is None:
        raise Http404("Akun tidak terhubung dengan data pegawai")
    form = ExternalCertificateForm(request.POST or None, request.FILES or None)
    done = save_form(
        request,
        form,
        lambda: do_submit_external_certificate(
            employee=employee,
            data=input_from(ExternalInput, form.cleaned_data),
            file=form.cleaned_data["file"],
            actor=request.user,
        ),
        gettext("Sertifikat diajukan; pengelola OPD akan memeriksanya."),
        lambda _certificate: redirect("participation:my_jp"),
    )
    if done is not None:
        return done
    return render(
        request,
        "participation/upload_external.html",
        {"form": form, "credit_rules": credit_rule_rows()},
        status=400 if form.errors else 200,
    )


def _rows(request: AuthenticatedHttpRequest) -> tuple[JpFilterForm, int, list[queries.JpRow]]:
    if not (can_manage(request.user) or request.user.is_pimpinan):
        raise PermissionDenied
    units = scoping.units_for(request.user)
    data = request.GET.copy()
    this_year = year = timezone.localdate().year
    employees = scoping.employees_for(request.user).filter(is_active=True)
    opened_on = None
    if not data.get("year"):  # this year, or the latest with JP when it has none yet
        opened_on = year_with_data(
            this_year, (JpEntry.objects.filter(employee__in=employees), "date")
        )
        data["year"] = str(opened_on)
    form = JpFilterForm(data, units=units)
    if opened_on is not None:
        form.opened_on = opened_on_note(this_year, opened_on)
    below = False
    if form.is_valid():
        year = form.cleaned_data["year"]
        if form.cleaned_data["unit"] is not None:
            employees = employees.filter(unit__path__startswith=form.cleaned_data["unit"].path)
        below = form.cleaned_data["below"]
    rows = queries.jp_rows(employees.order_by("unit__path", "name"), year)
    if below:
        rows = [r for r in rows if not r.met]
    return form, year, rows


@login_required
def jp_dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, year, rows = _rows(request)
    by_opd = queries.jp_by_opd(request.user, year)
    return render(
        request,
        "participation/jp_dashboard.html",
        {
            "form": form,
            "year": year,
            "by_opd": by_opd,
            **paged(request, rows, 50),
            "n_rows": len(rows),
        },
    )


JP_HEADER: list[Label] = [
    "NIP",
    gettext_lazy("Nama"),
    gettext_lazy("Unit kerja"),
    gettext_lazy("Status"),
    gettext_lazy("JP tahun ini"),
    gettext_lazy("JP klasikal"),
    gettext_lazy("Target minimal"),
    gettext_lazy("Kekurangan"),
    gettext_lazy("Batas"),
    gettext_lazy("Memenuhi"),
]


def _export(rows: list[queries.JpRow]) -> Iterator[list[Any]]:
    for r in rows:
        yield [
            r.nip,
            r.name,
            r.unit,
            r.status,
            float(r.total_jp),
            float(r.klasikal_jp),
            float(r.target) if r.target is not None else None,
            float(r.deficit),
            float(r.limit) if r.limit is not None else None,
            _met_cell(r),
        ]


def _met_cell(row: queries.JpRow) -> str:
    """'Ya'/'Tidak' against the yearly minimum; a status without one (PPPK) is not 'Ya'."""
    if row.target is None:
        return gettext("Tidak berlaku (tanpa minimal)")
    return gettext("Ya") if row.met else gettext("Tidak")


@login_required
def jp_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    _form, year, rows = _rows(request)
    return xlsx_response(f"buku-jp-{year}.xlsx", [(f"JP {year}", JP_HEADER, _export(rows))])


def _reviewable(request: AuthenticatedHttpRequest) -> Any:
    if not can_manage(request.user):
        raise PermissionDenied
    qs = ExternalCertificate.objects.filter(instansi_id=scoping.tenant_id(request.user))
    q = scoping.employee_scope_q(request.user, "employee__")
    if q is not None:
        qs = qs.filter(q)
        if request.user.employee_id is not None:
            qs = qs.exclude(employee_id=request.user.employee_id)
    return qs


@login_required
def review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = _reviewable(request).select_related("employee__unit")
    status = request.GET.get("status", ReviewStatus.SUBMITTED)
    if status in ReviewStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/review_list.html",
        {"page": page, "status": status, "statuses": ReviewStatus.choices, "form": ReviewForm()},
    )


@login_required
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cert = _reviewable(request).filter(pk=pk).first()
    if cert is None:
        raise Http404("Sertifikat tidak ditemukan")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_review_external_certificate(
                certificate=cert,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, gettext("Keputusan disimpan."))
    return redirect("participation:review_list")


@login_required
def external_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The uploaded file, for its owner and the reviewers; served with the sniffed type."""
    cert = ExternalCertificate.objects.filter(
        pk=pk, instansi_id=scoping.tenant_id(request.user)
    ).first()
    if cert is None:
        raise Http404("Berkas tidak ditemukan")
    if cert.employee_id != request.user.employee_id and not (
        can_manage(request.user)
        and scoping.employees_for(request.user).filter(pk=cert.employee_id).exists()
    ):
        raise Http404("Berkas tidak ditemukan")
    response = FileResponse(cert.file.open("rb"), content_type=cert.content_type)
    response["Content-Disposition"] = f'inline; filename="sertifikat-{cert.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
