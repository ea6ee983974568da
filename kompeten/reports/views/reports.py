"""Programme reports: landing, HTML page, downloads (HTML/PDF/XLSX), evidence, narratives."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.core.scoping import tenant_id
from kompeten.learning.models import Programme
from kompeten.reports import queries
from kompeten.reports import render as r
from kompeten.reports.actions import do_add_narrative, do_store_generated
from kompeten.reports.assemble import SECTIONS, assemble_programme
from kompeten.reports.models import ReportCycle

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def landing(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not queries.can_read_reports(user):
        if user.is_pengelola and user.managed_unit_id:
            return redirect("reports:ip_opd", pk=user.managed_unit_id)
        if user.employee_id:
            return redirect("reports:ip_mine")
        raise PermissionDenied
    programmes = Programme.objects.filter(instansi_id=tenant_id(user)).order_by("-year", "code")
    cycles = ReportCycle.objects.filter(instansi_id=tenant_id(user)).defer("data")[:12]
    return render(request, "reports/landing.html", {"programmes": programmes, "cycles": cycles})


def file_response(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt in ("pdf",) else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def render_format(
    request: AuthenticatedHttpRequest,
    data: dict[str, Any],
    fmt: str,
    name: str,
    recs: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    instansi = request.user.instansi
    assert instansi is not None
    if fmt == "xlsx":
        content = r.render_xlsx(data)
    elif fmt in ("pdf", "html"):
        ctx = r.context(instansi, data, recs)
        content = r.render_pdf(ctx) if fmt == "pdf" else r.render_html(ctx).encode()
    else:
        raise Http404("Format tidak dikenal")
    do_store_generated(
        instansi=instansi,
        scope=data["scope"],
        fmt=fmt,
        content=content,
        data=data,
        actor=request.user,
    )
    return file_response(content, fmt, f"{name}.{fmt}")


@login_required
def programme_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = queries.get_programme(request.user, pk)
    data = assemble_programme(programme)
    assert request.user.instansi is not None
    ctx = r.context(
        request.user.instansi,
        data,
        None,
        evidence_base=reverse("reports:programme_report", args=[pk]) + "bukti/",
    )
    ctx.update(
        {
            "programme": programme,
            "section_choices": SECTIONS,
            "download_base": reverse("reports:programme_report", args=[pk]),
        }
    )
    return render(request, "reports/report_page.html", ctx)


@login_required
def programme_download(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    programme = queries.get_programme(request.user, pk)
    return render_format(request, assemble_programme(programme), fmt, f"laporan-{programme.code}")


def find_table(data: dict[str, Any], slug: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    for s in data["sections"]:
        for t in s["tables"]:
            if t["slug"] == slug:
                figure = next((f for f in s["figures"] if f["table"] == slug), None)
                return t, figure
    raise Http404("Data tidak ditemukan")


@login_required
def programme_evidence(request: AuthenticatedHttpRequest, pk: int, slug: str) -> HttpResponse:
    programme = queries.get_programme(request.user, pk)
    data = assemble_programme(programme)
    table, figure = find_table(data, slug)
    return render(
        request,
        "reports/evidence.html",
        {
            "table": table,
            "figure": figure,
            "report": data,
            "back": reverse("reports:programme_report", args=[pk]),
        },
    )


@require_POST
@admin_required
def add_narrative(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = request.POST.get("scope", "")
    back = request.POST.get("next", "")
    kind, _, ident = scope.partition(":")
    if kind == "programme" and ident.isdigit():
        queries.get_programme(request.user, int(ident))
        back = reverse("reports:programme_report", args=[int(ident)])
    elif kind == "cycle":
        queries.get_cycle(request.user, ident)
        back = reverse("reports:cycle", args=[ident])
    else:
        raise Http404("Laporan tidak dikenal")
    try:
        do_add_narrative(
            actor=request.user,
            scope=scope,
            section=request.POST.get("section", ""),
            text=request.POST.get("text", ""),
        )
        messages.success(request, "Paragraf narasi disimpan sebagai versi baru.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)
