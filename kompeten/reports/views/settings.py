"""Report settings: the Pemda logo on the cover and the certificates, the certificates'
signatory, and the evaluation cycles that run."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.participation.actions.certificate_settings import (
    do_set_certificate_signatory,
    settings_for,
)
from kompeten.people.scoping import tenant_id
from kompeten.reports.actions import do_set_cycle_kinds, do_upload_logo
from kompeten.reports.models import CycleKind, ReportSettings
from kompeten.reports.render import logo_uri

SIGNATORY_FIELDS = ("signatory_name", "signatory_nip", "signatory_title", "place")


def _save_signatory(request: AuthenticatedHttpRequest) -> None:
    upload = request.FILES.getlist("signature")[:1]
    do_set_certificate_signatory(
        actor=request.user,
        name=request.POST.get("signatory_name", ""),
        nip=request.POST.get("signatory_nip", ""),
        title=request.POST.get("signatory_title", ""),
        place=request.POST.get("place", ""),
        signature=(upload[0].name or "", upload[0].read()) if upload else None,
        remove_signature=request.POST.get("remove_signature") == "1",
    )


@admin_required
def report_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    row = ReportSettings.objects.filter(instansi_id=tenant_id(request.user)).first()
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("form") == "signatory":
                _save_signatory(request)
                messages.success(request, _("Penanda tangan sertifikat disimpan."))
            elif "logo" in request.FILES:
                upload = request.FILES.getlist("logo")[0]
                do_upload_logo(
                    actor=request.user, filename=upload.name or "", content=upload.read()
                )
                messages.success(request, _("Logo disimpan."))
            else:
                do_set_cycle_kinds(actor=request.user, kinds=request.POST.getlist("cycle_kinds"))
                messages.success(request, _("Siklus evaluasi disimpan."))
            return redirect("reports:settings")
        except ValidationError as exc:
            if request.POST.get("form") == "signatory":
                errors = exc.message_dict
                status = 400
            else:
                messages.error(request, " ".join(exc.messages))
    assert request.user.instansi is not None
    cert = settings_for(request.user.instansi.pk)
    signatory = (
        {k: request.POST.get(k, "") for k in SIGNATORY_FIELDS}
        if errors
        else {
            "signatory_name": cert.signatory_name if cert else "",
            "signatory_nip": cert.signatory_nip if cert else "",
            "signatory_title": cert.signatory_title if cert else "",
            "place": cert.place if cert else "",
        }
    )
    return render(
        request,
        "reports/settings.html",
        {
            "row": row,
            "kinds": CycleKind.choices,
            "selected": row.kinds if row else [CycleKind.SEMESTER, CycleKind.YEARLY],
            "logo": logo_uri(request.user.instansi),
            "signatory": signatory,
            "has_signature": bool(cert and cert.signature),
            "errors": errors,
        },
        status=status,
    )
