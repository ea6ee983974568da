"""Upload of SKP and discipline files, and an employee's records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kompeten.core import scoping
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.core.scoping import get_employee_for_user
from kompeten.people.imports import ImportFileError, parse_date
from kompeten.records.actions import do_add_discipline_record, do_set_skp_rating
from kompeten.records.imports import import_discipline, import_skp
from kompeten.records.models import DisciplineLevel, RatingChoice


@admin_required
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    result = None
    kind = request.POST.get("kind", "skp")
    upload_file = request.FILES.get("file") if request.method == "POST" else None
    if upload_file is not None:
        importer = import_discipline if kind == "disiplin" else import_skp
        try:
            result = importer(
                upload_file.read(),
                upload_file.name or "",
                instansi=scoping.tenant(request.user),
                actor=request.user,
                dry_run=bool(request.POST.get("dry_run")),
            )
            if not result.problems and not result.dry_run:
                messages.success(
                    request, f"Impor selesai: {result.created} baru, {result.updated} berubah."
                )
        except ImportFileError as exc:
            messages.error(request, exc.message)
    return render(request, "records/upload.html", {"result": result, "kind": kind})


@login_required
def employee_records(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    employee = get_employee_for_user(request.user, pk)
    if request.method == "POST":
        if not request.user.is_admin:
            return HttpResponse(status=403)
        try:
            if request.POST.get("form") == "skp":
                do_set_skp_rating(
                    actor=request.user,
                    employee=employee,
                    year=request.POST.get("year", ""),
                    hasil_kerja=request.POST.get("hasil_kerja", ""),
                    perilaku=request.POST.get("perilaku", ""),
                    score=request.POST.get("score") or None,
                )
            else:
                do_add_discipline_record(
                    actor=request.user,
                    employee=employee,
                    day=parse_date(request.POST.get("date", "")),
                    level=request.POST.get("level", ""),
                    note=request.POST.get("note", ""),
                )
            messages.success(request, "Catatan disimpan.")
            return redirect("records:employee", pk=employee.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "records/employee.html",
        {
            "employee": employee,
            "skp": employee.skp_ratings.all(),
            "discipline": employee.discipline_records.all(),
            "ratings": RatingChoice.choices,
            "levels": DisciplineLevel.choices,
        },
    )
