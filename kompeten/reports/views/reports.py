"""Programme reports: landing, HTML page, downloads (HTML/PDF/XLSX), evidence, narratives."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.core.scoping import tenant_id
from kompeten.learning.models import Programme
from kompeten.reports import queries
from kompeten.reports import render as r
from kompeten.reports.actions import do_add_narrative, do_store_generated
from kompeten.reports.assemble import SECTIONS, assemble_programme, programme_period
from kompeten.reports.impact import Window, Windows, default_windows, parse_day
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


WINDOW_FIELDS = ("sebelum_dari", "sebelum_sampai", "sesudah_dari", "sesudah_sampai")


def report_windows(
    request: AuthenticatedHttpRequest, programme: Programme
) -> tuple[Windows, list[str]]:
    """The before/after windows from the GET parameters ``sebelum_dari``, ``sebelum_sampai``,
    ``sesudah_dari``, ``sesudah_sampai`` (YYYY-MM-DD, each optional: a blank one keeps its
    default), and the Indonesian problems found (then the defaults are used)."""
    first, last = programme_period(programme)
    default = default_windows(first, last, timezone.localdate())
    values = {k: request.GET.get(k, "").strip() for k in WINDOW_FIELDS}
    if not any(values.values()):
        return default, []
    try:
        days = {k: parse_day(v, k.replace("_", " ")) if v else None for k, v in values.items()}
        before = Window(
            days["sebelum_dari"] or default.before.start,
            days["sebelum_sampai"] or default.before.end,
        )
        after = Window(
            days["sesudah_dari"] or default.after.start,
            days["sesudah_sampai"] or default.after.end,
        )
    except ValueError as exc:
        return default, [str(exc)]
    return Windows(before, after, is_default=(before, after) == (default.before, default.after)), []


def window_query(windows: Windows) -> str:
    """The GET parameters that select ``windows`` (empty for the defaults)."""
    if windows.is_default:
        return ""
    return urlencode(
        {
            "sebelum_dari": windows.before.start.isoformat(),
            "sebelum_sampai": windows.before.end.isoformat(),
            "sesudah_dari": windows.after.start.isoformat(),
            "sesudah_sampai": windows.after.end.isoformat(),
        }
    )


@login_required
def programme_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = queries.get_programme(request.user, pk)
    windows, window_errors = report_windows(request, programme)
    data = assemble_programme(programme, windows)
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
            "windows": windows,
            "window_errors": window_errors,
            "window_query": window_query(windows),
        }
    )
    return render(request, "reports/report_page.html", ctx)


@login_required
def programme_by_code(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """``/laporan/program/kode/<CODE>/``: the programme's report page, by the code a user knows
    (an import's ``--programme``); scoped like the report page, 404 for an unknown code."""
    programme = queries.get_programme_by_code(request.user, code)
    return redirect("reports:programme_report", pk=programme.pk)


@login_required
def programme_download(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    programme = queries.get_programme(request.user, pk)
    windows, _errors = report_windows(request, programme)
    return render_format(
        request, assemble_programme(programme, windows), fmt, f"laporan-{programme.code}"
    )


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
    windows, _errors = report_windows(request, programme)
    data = assemble_programme(programme, windows)
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
