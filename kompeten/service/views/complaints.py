"""Complaints: the dashboard (volume, medians, SLA compliance, Kaplan–Meier curves) by unit
and by officer, the list, manual entry and the lifecycle steps."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from kompeten.core import charts
from kompeten.core import importing as imp
from kompeten.core.exports import Label, xlsx_response
from kompeten.core.formviews import save_form
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.importing.declare import allowed_keys
from kompeten.core.models import Role
from kompeten.core.paging import paged
from kompeten.core.permissions import role_required
from kompeten.core.years import opened_on_note, year_with_data
from kompeten.people import scoping
from kompeten.people.models import Employee
from kompeten.people.scoping import units_for
from kompeten.service import queries
from kompeten.service.actions import (
    do_advance_complaint,
    do_create_complaint,
    do_escalate_complaint,
    do_reopen_complaint,
)
from kompeten.service.actions.complaints import NEXT_STATUS, ComplaintInput
from kompeten.service.forms import ComplaintFilterForm, ComplaintForm, ComplaintStepForm
from kompeten.service.imports_complaints import ComplaintsImport
from kompeten.service.models import Complaint, ComplaintStatus
from kompeten.service.views.common import STAFF_ROLES, get_complaint_for_user
from kompeten.standards.local_time import JAKARTA

COMPLAINTS_KEY = ComplaintsImport.key

SUMMARY_HEADER: list[Label] = [
    gettext_lazy("Kelompok"),
    gettext_lazy("Jumlah"),
    gettext_lazy("Masih terbuka"),
    gettext_lazy("Median hari kerja ke tanggapan pertama"),
    gettext_lazy("Median hari kerja ke selesai"),
    gettext_lazy("Kepatuhan SLA tanggapan"),
    gettext_lazy("Kepatuhan SLA penyelesaian"),
    gettext_lazy("Rata-rata penilaian pelapor"),
    gettext_lazy("Jumlah dinilai"),
    gettext_lazy("Dibuka kembali"),
    gettext_lazy("Dieskalasi"),
    gettext_lazy("Ditutup tanpa tindak lanjut substantif"),
]


def _summary_cells(s: queries.ComplaintSummary) -> list[Any]:
    return [
        s.label,
        s.volume,
        s.open,
        s.median_response,
        s.median_resolution,
        s.response_compliance,
        s.resolution_compliance,
        s.mean_rating,
        s.n_rated,
        s.reopened,
        s.escalated,
        s.not_substantive,
    ]


def _unit_choices(request: AuthenticatedHttpRequest) -> list[tuple[int, str]]:
    return [(u.pk, u.name) for u in units_for(request.user).order_by("path")]


def _filtered(request: AuthenticatedHttpRequest) -> tuple[ComplaintFilterForm, QuerySet[Complaint]]:
    this_year, default = timezone.localdate().year, None
    if not request.GET.get("year"):
        default = year_with_data(this_year, (queries.complaints_for(request.user), "received_at"))
    form = ComplaintFilterForm.from_request(request.GET, _unit_choices(request), default)
    if default is not None:
        form.opened_on = opened_on_note(this_year, form.cleaned_data["year"])
    d = form.cleaned_data
    year = d["year"]
    lo = datetime.combine(date(year, 1, 1), time.min, tzinfo=JAKARTA)
    hi = datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=JAKARTA)
    qs = queries.complaints_for(request.user).filter(received_at__gte=lo, received_at__lt=hi)
    if d.get("unit"):
        qs = qs.filter(unit_id=d["unit"])
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    return form, qs


@role_required(*STAFF_ROLES)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    as_of = timezone.localdate()
    year = form.cleaned_data["year"]
    d = queries.complaint_durations(qs, as_of, request.user.instansi_id)  # type: ignore[arg-type]
    overall = queries.summarise(d, None, "Semua pengaduan")
    unit_labels = queries.unit_names(set(d.unit_ids.tolist()))
    officer_labels = queries.officer_names(set(d.officer_ids.tolist()))
    officer_labels[0] = "Belum ditentukan"
    by_unit = queries.summarise_by(d, "unit_ids", unit_labels)
    by_officer = queries.summarise_by(d, "officer_ids", officer_labels)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"pengaduan-{year}.xlsx",
            [
                (gettext_lazy("Ringkasan"), SUMMARY_HEADER, [_summary_cells(overall)]),
                (gettext_lazy("Per unit"), SUMMARY_HEADER, [_summary_cells(s) for s in by_unit]),
                (
                    gettext_lazy("Per petugas"),
                    SUMMARY_HEADER,
                    [_summary_cells(s) for s in by_officer],
                ),
            ],
        )
    km = None
    curves = [(gettext("Semua"), overall.km)] if overall.km else []
    for s in sorted(by_unit, key=lambda s: -s.volume)[:5]:
        if s.km is not None and len(by_unit) > 1:
            curves.append((s.label, s.km))
    if curves:
        km = charts.km_chart(curves)
    context = {
        "form": form,
        "overall": overall,
        "by_unit": by_unit,
        "by_officer": by_officer,
        "km": km,
        "as_of": as_of,
        "query": request.GET.urlencode(),
        "can_write": request.user.is_admin or request.user.is_pengelola,
        # rows of imported recaps not counted here: their unit is not in the OPD tree yet
        "waiting": imp.waiting_rows(
            request.user.instansi_id,  # type: ignore[arg-type]
            COMPLAINTS_KEY,
            field="received_at",
            period=(date(year, 1, 1), date(year, 12, 31)),
        ),
        "sees_waiting": COMPLAINTS_KEY in allowed_keys(request.user),
    }
    return render(request, "service/complaints_dashboard.html", context)


LIST_HEADER: list[Label] = [
    gettext_lazy("Nomor pelacakan"),
    gettext_lazy("Unit kerja"),
    gettext_lazy("Kategori"),
    gettext_lazy("Status"),
    gettext_lazy("Diterima"),
    gettext_lazy("Tanggapan pertama"),
    gettext_lazy("Selesai"),
    gettext_lazy("Petugas"),
    gettext_lazy("Penilaian"),
    gettext_lazy("Dibuka kembali"),
    gettext_lazy("Dieskalasi"),
]


@role_required(*STAFF_ROLES)
def complaint_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    qs = qs.select_related("unit", "officer").order_by("-received_at", "-id")
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                c.tracking_number,
                c.unit.name,
                c.get_category_display(),
                c.get_status_display(),
                c.received_at.astimezone(JAKARTA),
                c.first_response_at.astimezone(JAKARTA) if c.first_response_at else None,
                c.closed_at.astimezone(JAKARTA) if c.closed_at else None,
                c.officer.nip if c.officer else "",
                c.citizen_rating,
                c.reopened_count,
                c.escalated,
            ]
            for c in qs.iterator()
        )
        return xlsx_response("daftar-pengaduan.xlsx", [("Pengaduan", LIST_HEADER, rows)])
    return render(
        request,
        "service/complaint_list.html",
        {
            "form": form,
            **paged(request, qs, 50),
            "can_write": request.user.is_admin or request.user.is_pengelola,
        },
    )


def _complaint_input(d: dict[str, Any]) -> ComplaintInput:
    return ComplaintInput(
        tracking_number=d["tracking_number"],
        unit_id=d["unit"],
        category=d["category"],
        received_at=d["received_at"],
        subject=d["subject"],
        officer_nip=d["officer_nip"].strip(),
    )


@role_required(Role.PENGELOLA)
def complaint_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = _unit_choices(request)
    form = ComplaintForm(request.POST or None, units=units)
    done = save_form(
        request,
        form,
        lambda: do_create_complaint(
            instansi=request.user.instansi,  # type: ignore[arg-type]
            data=_complaint_input(form.cleaned_data),
            allowed_units={pk for pk, _ in units},
            actor=request.user,
        ),
        gettext("Pengaduan dicatat."),
        renamed={"officer": "officer_nip"},
    )
    if done is not None:
        return done
    return render(request, "service/complaint_form.html", {"form": form})


@role_required(*STAFF_ROLES)
def complaint_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request, pk)
    step_form = ComplaintStepForm(request.POST or None)
    next_statuses = NEXT_STATUS.get(complaint.status, ())
    labels = dict(ComplaintStatus.choices)
    step_form.fields["to_status"].choices = [(s, labels[s]) for s in next_statuses]  # type: ignore[attr-defined]
    writer = request.user.is_admin or request.user.is_pengelola
    if request.method == "POST":
        if not writer:
            return HttpResponse(status=403)
        if step_form.is_valid():
            d = step_form.cleaned_data
            officer = None
            if d["officer_nip"]:
                officer = Employee.objects.filter(
                    instansi_id=scoping.tenant_id(request.user), nip=d["officer_nip"].strip()
                ).first()
                if officer is None:
                    step_form.add_error("officer_nip", f"NIP {d['officer_nip']} tidak dikenal.")
            if not step_form.errors:
                try:
                    do_advance_complaint(
                        complaint,
                        to_status=d["to_status"],
                        at=d["at"],
                        actor=request.user,
                        note=d["note"],
                        officer=officer,
                        substantive=d["substantive"],
                    )
                except ValidationError as exc:
                    for key, msgs in exc.message_dict.items():
                        step_form.add_error(key if key in step_form.fields else None, msgs)
                else:
                    messages.success(request, gettext("Status pengaduan diperbarui."))
                    return redirect(complaint)
    events = list(complaint.events.select_related("actor").all())
    as_of = timezone.localdate()
    durations = queries.complaint_durations(
        Complaint.objects.filter(pk=complaint.pk), as_of, complaint.instansi_id
    )
    context = {
        "c": complaint,
        "events": events,
        "step_form": step_form if next_statuses else None,
        "writer": writer,
        "response_days": int(durations.response_days[0]),
        "resolution_days": int(durations.resolution_days[0]),
        "response_event": bool(durations.response_event[0]),
        # the clock has stopped: resolved, or archived (closed without resolution: not a
        # resolution on the medians, but no longer running either)
        "resolution_event": bool(durations.resolution_event[0] or durations.archived[0]),
    }
    return render(request, "service/complaint_detail.html", context)


@require_POST
@role_required(Role.PENGELOLA)
def complaint_flag(request: AuthenticatedHttpRequest, pk: int, flag: str) -> HttpResponse:
    complaint = get_complaint_for_user(request, pk)
    try:
        if flag == "buka-kembali":
            do_reopen_complaint(complaint, actor=request.user, note=request.POST.get("note", ""))
        elif flag == "eskalasi":
            do_escalate_complaint(complaint, actor=request.user, note=request.POST.get("note", ""))
        else:
            return HttpResponse(status=404)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(complaint)
