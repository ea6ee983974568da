"""Programme reports: landing, HTML page, downloads (HTML/PDF/XLSX/JSON), evidence, narratives.

The page, the downloads and the evidence pages all read the one cached report model
(:func:`kompeten.reports.model.programme_report`); an evidence page adds the rows behind its
figure (:mod:`kompeten.reports.evidence_rows`), one page at a time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kompeten.core.exports import csv_response, xlsx_response
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.params import id_param
from kompeten.core.permissions import admin_required
from kompeten.learning.models import Programme
from kompeten.people.scoping import tenant_id
from kompeten.reports import evidence_rows, model, queries
from kompeten.reports import render as r
from kompeten.reports.actions import do_add_narrative, do_store_generated
from kompeten.reports.assemble import SECTIONS, programme_period
from kompeten.reports.export import report_json
from kompeten.reports.impact import Window, Windows, default_windows, parse_day
from kompeten.reports.model import Report, as_report
from kompeten.reports.models import ReportCycle

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
EVIDENCE_PAGE_ROWS = 50


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
    data: Report | Mapping[str, Any],
    fmt: str,
    name: str,
    recs: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    instansi = request.user.instansi
    assert instansi is not None
    report = as_report(data)
    if fmt == "xlsx":
        content = r.render_xlsx(report)
    elif fmt == "json":
        content = report_json(report)
    elif fmt in ("pdf", "html"):
        ctx = r.context(instansi, report, recs)
        content = r.render_pdf(ctx) if fmt == "pdf" else r.render_html(ctx).encode()
    else:
        raise Http404("Format tidak dikenal")
    do_store_generated(
        instansi=instansi,
        scope=report.scope,
        fmt=fmt,
        content=content,
        data=dict(data) if isinstance(data, Mapping) else report.as_dict(),
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
    report = model.programme_report(programme, windows)
    assert request.user.instansi is not None
    ctx = r.context(
        request.user.instansi,
        report,
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
    if fmt not in CONTENT_TYPES:
        raise Http404("Format tidak dikenal")
    return render_format(
        request, model.programme_report(programme, windows), fmt, f"laporan-{programme.code}"
    )


def find_table(data: dict[str, Any], slug: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    for s in data["sections"]:
        for t in s["tables"]:
            if t["slug"] == slug:
                figure = next((f for f in s["figures"] if f["table"] == slug), None)
                return t, figure
    raise Http404("Data tidak ditemukan")


@login_required
def programme_evidence(
    request: AuthenticatedHttpRequest, pk: int, slug: str
) -> HttpResponse | StreamingHttpResponse:
    """The rows behind one table or chart of the programme report, paginated, with the whole
    list as XLSX or CSV (``?format=xlsx|csv``). The figure comes from the cached report model;
    the rows from two small queries (a count and the page)."""
    programme = queries.get_programme(request.user, pk)
    windows, _errors = report_windows(request, programme)
    report = model.programme_report(programme, windows)
    found = report.table(slug)
    if found is None or report.rows is None:
        raise Http404("Data tidak ditemukan")
    table, figure = found
    source = evidence_rows.source_for(slug)
    scope = report.rows
    fmt = request.GET.get("format", "")
    filename = f"bukti-{programme.code}-{slug}"
    if source is None:  # the table's rows are its records (modules, proposals, objectives …)
        title, headers, note = table.title, table.headers, ""
        if fmt == "xlsx":
            return xlsx_response(f"{filename}.xlsx", [(slug, headers, table.rows)])
        if fmt == "csv":
            return csv_response(f"{filename}.csv", headers, table.rows)
        page = Paginator(table.rows, EVIDENCE_PAGE_ROWS).get_page(request.GET.get("halaman"))
        rows = list(page.object_list)
    else:
        title, note = str(source.title), str(source.note)
        headers = tuple(str(h) for h in source.headers)
        if fmt == "xlsx":
            return xlsx_response(
                f"{filename}.xlsx", [(source.key, headers, source.all_rows(scope))]
            )
        if fmt == "csv":
            return csv_response(f"{filename}.csv", headers, source.all_rows(scope))
        page = Paginator(source.query(scope), EVIDENCE_PAGE_ROWS).get_page(
            request.GET.get("halaman")
        )
        rows = source.rows(scope, page.object_list)
    query = window_query(windows)
    return render(
        request,
        "reports/evidence_rows.html",
        {
            "report": report,
            "table": table,
            "figure": figure,
            "title": title,
            "headers": headers,
            "rows": rows,
            "note": note,
            "page": page,
            "query": query + "&" if query else "",
            "back": reverse("reports:programme_report", args=[pk])
            + (f"?{query}" if query else "")
            + f"#tab-{slug}",
        },
    )


@require_POST
@admin_required
def add_narrative(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = request.POST.get("scope", "")
    back = request.POST.get("next", "")
    kind, _, ident = scope.partition(":")
    if kind == "programme" and (programme_id := id_param(ident)) is not None:
        queries.get_programme(request.user, programme_id)
        back = reverse("reports:programme_report", args=[programme_id])
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
        messages.success(request, gettext("Paragraf narasi disimpan sebagai versi baru."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)
