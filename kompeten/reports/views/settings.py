"""Report settings: the Pemda logo on the cover and the evaluation cycles that run."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.core.scoping import tenant_id
from kompeten.reports.actions import do_set_cycle_kinds, do_upload_logo
from kompeten.reports.models import CycleKind, ReportSettings
from kompeten.reports.render import logo_uri


@admin_required
def report_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    row = ReportSettings.objects.filter(instansi_id=tenant_id(request.user)).first()
    if request.method == "POST":
        try:
            if "logo" in request.FILES:
                upload = request.FILES.getlist("logo")[0]
                do_upload_logo(
                    actor=request.user, filename=upload.name or "", content=upload.read()
                )
                messages.success(request, "Logo disimpan.")
            else:
                do_set_cycle_kinds(actor=request.user, kinds=request.POST.getlist("cycle_kinds"))
                messages.success(request, "Siklus evaluasi disimpan.")
            return redirect("reports:settings")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    assert request.user.instansi is not None
    return render(
        request,
        "reports/settings.html",
        {
            "row": row,
            "kinds": CycleKind.choices,
            "selected": row.kinds if row else [CycleKind.SEMESTER, CycleKind.YEARLY],
            "logo": logo_uri(request.user.instansi),
        },
    )
