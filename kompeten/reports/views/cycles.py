"""Evaluation cycles and the recommendations they track."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kompeten.core.exports import xlsx_response
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import User
from kompeten.core.params import id_param
from kompeten.core.permissions import admin_required
from kompeten.people.models import Unit
from kompeten.people.scoping import tenant_id
from kompeten.reports import queries
from kompeten.reports import render as r
from kompeten.reports.actions import (
    do_generate_cycle,
    do_update_recommendation,
    recommendation_rows,
)
from kompeten.reports.assemble import SECTIONS
from kompeten.reports.evidence_labels import evidence_lines
from kompeten.reports.models import RecommendationStatus
from kompeten.reports.rules import RULE_TITLES
from kompeten.reports.views.reports import find_table, render_format


@login_required
def cycle_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    cycles = queries.cycles_for(request.user)
    return render(request, "reports/cycle_list.html", {"cycles": cycles})


@require_POST
@admin_required
def cycle_generate(request: AuthenticatedHttpRequest) -> HttpResponse:
    code = request.POST.get("code", "").strip()
    assert request.user.instansi is not None
    try:
        cycle = do_generate_cycle(instansi=request.user.instansi, code=code, actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("reports:cycles")
    messages.success(request, gettext("Laporan siklus {code} dibuat.").format(code=cycle.code))
    return redirect("reports:cycle", code=cycle.code)


@login_required
def cycle_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    cycle = queries.get_cycle(request.user, code)
    recs = queries.cycle_recommendations(cycle)
    assert request.user.instansi is not None
    ctx = r.context(
        request.user.instansi,
        r.localised(cycle.data),
        recommendation_rows(recs, cycle),
        evidence_base=reverse("reports:cycle", args=[cycle.code]) + "bukti/",
    )
    ctx.update(
        {
            "cycle": cycle,
            "section_choices": SECTIONS,
            "recs": recs,
            "download_base": reverse("reports:cycle", args=[cycle.code]),
        }
    )
    return render(request, "reports/report_page.html", ctx)


@login_required
def cycle_download(request: AuthenticatedHttpRequest, code: str, fmt: str) -> HttpResponse:
    cycle = queries.get_cycle(request.user, code)
    return render_format(
        request,
        r.localised(cycle.data),
        fmt,
        f"laporan-siklus-{cycle.code}",
        recommendation_rows(queries.cycle_recommendations(cycle), cycle),
    )


@login_required
def cycle_evidence(request: AuthenticatedHttpRequest, code: str, slug: str) -> HttpResponse:
    cycle = queries.get_cycle(request.user, code)
    data = r.localised(cycle.data)
    table, figure = find_table(data, slug)
    return render(
        request,
        "reports/evidence.html",
        {
            "table": table,
            "figure": figure,
            "report": data,
            "back": reverse("reports:cycle", args=[cycle.code]),
        },
    )


@login_required
def recommendation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = queries.recommendations_for(request.user).order_by("status", "due_date", "id")
    status = request.GET.get("status", "")
    if status in RecommendationStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "rekomendasi.xlsx",
            [
                (
                    gettext("Rekomendasi"),
                    [
                        gettext("Siklus"),
                        gettext("Aturan"),
                        gettext("Pokok"),
                        gettext("Rekomendasi"),
                        gettext("Penanggung jawab"),
                        gettext("Status"),
                        gettext("Tenggat"),
                    ],
                    [
                        [
                            x.cycle.code if x.cycle else "",
                            str(RULE_TITLES.get(x.rule_id, x.rule_id)),
                            x.shown_subject,
                            x.shown_text,
                            x.owner_label,
                            x.get_status_display(),
                            x.due_date,
                        ]
                        for x in qs
                    ],
                )
            ],
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/recommendation_list.html",
        {
            "page": page,
            "status": status,
            "statuses": RecommendationStatus.choices,
        },
    )


@login_required
def recommendation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rec = queries.get_recommendation(request.user, pk)
    if request.method == "POST":
        if not request.user.is_admin:
            return HttpResponse(status=403)
        owner_user = owner_unit = None
        if request.POST.get("owner_user"):
            owner_user = User.objects.filter(
                pk=id_param(request.POST["owner_user"]) or 0, instansi_id=tenant_id(request.user)
            ).first()
        if request.POST.get("owner_unit"):
            owner_unit = Unit.objects.filter(
                pk=id_param(request.POST["owner_unit"]) or 0, instansi_id=tenant_id(request.user)
            ).first()
        due = None
        try:
            if request.POST.get("due_date"):
                due = date.fromisoformat(request.POST["due_date"])
            do_update_recommendation(
                actor=request.user,
                recommendation=rec,
                status=request.POST.get("status", ""),
                owner_user=owner_user,
                owner_unit=owner_unit,
                due_date=due,
                note=request.POST.get("note", ""),
            )
            messages.success(request, gettext("Rekomendasi diperbarui."))
            return redirect("reports:recommendation", pk=rec.pk)
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return render(
        request,
        "reports/recommendation_detail.html",
        {
            "rec": rec,
            "evidence": evidence_lines(rec.evidence),
            "history": rec.history.select_related("actor"),
            "statuses": RecommendationStatus.choices,
            "units": Unit.objects.filter(
                instansi_id=tenant_id(request.user), depth__lte=1
            ).order_by("path"),
            "users": User.objects.filter(
                instansi_id=tenant_id(request.user), role__in=["admin", "pengelola", "pimpinan"]
            ).order_by("username"),
        },
    )
