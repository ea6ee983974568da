"""Uploading SKM responses, published SKM summaries and SP4N-LAPOR! exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kompeten.core import scoping
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import Role
from kompeten.core.permissions import role_required
from kompeten.service.actions import (
    do_import_complaints,
    do_import_skm_responses,
    do_import_skm_summary,
)
from kompeten.service.forms import UploadForm
from kompeten.service.queries import service_units_for


@role_required(Role.PENGELOLA)
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Responses for a service unit in scope (admin or pengelola); summaries and complaints for
    the whole instansi (admin only)."""
    units = list(service_units_for(request.user).order_by("name"))
    form = UploadForm(
        request.POST or None, request.FILES or None, service_units=[(u.pk, u.name) for u in units]
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        data = upload.read()
        try:
            if d["kind"] == "responses":
                su = next((u for u in units if u.pk == d["service_unit"]), None)
                if su is None:
                    form.add_error("service_unit", "Pilih unit layanan.")
                    raise ValidationError([])
                n = do_import_skm_responses(su, data, upload.name, actor=request.user)
                messages.success(request, f"{n} jawaban SKM diimpor ke {su.name}.")
            elif not request.user.is_admin:
                form.add_error("kind", "Hanya admin BKPSDM yang dapat mengimpor data ini.")
                raise ValidationError([])
            elif d["kind"] == "summary":
                n = do_import_skm_summary(
                    scoping.tenant(request.user), data, upload.name, actor=request.user
                )
                messages.success(request, f"{n} baris ringkasan SKM diimpor.")
            else:
                n = do_import_complaints(
                    scoping.tenant(request.user), data, upload.name, actor=request.user
                )
                messages.success(request, f"{n} pengaduan diimpor.")
            return redirect("service:upload")
        except ValidationError as exc:
            problems = exc.messages
    status = 400 if problems or form.errors else 200
    return render(
        request, "service/upload.html", {"form": form, "problems": problems}, status=status
    )
