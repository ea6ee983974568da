"""The Jadwal landing page and the participation analytics (which read planner runs)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import render

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.participation import queries as pq
from kompeten.participation.forms import selected_year, year_choices
from kompeten.people import scoping
from kompeten.scheduling import queries
from kompeten.scheduling.models import PlanRun, PlanStatus


@login_required
def landing(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "can_edit": queries.can_edit(user),
        "n_duties": queries.duties_for(user).count(),
        "n_rules": queries.rules_for(user).filter(is_active=True).count(),
        "n_peaks": queries.peaks_for(user).count(),
        "runs": list(queries.plan_runs_for(user).order_by("-created")[:5]),
    }
    return render(request, "scheduling/landing.html", context)


@login_required
def analytics(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Funnel by OPD and programme, decline reasons, clashes avoided, JP compliance trend."""
    user = request.user
    if not (user.is_admin or user.is_pengelola or user.is_pimpinan):
        raise PermissionDenied
    year = selected_year(request.GET)
    clashes = (
        PlanRun.objects.filter(
            instansi_id=scoping.tenant_id(user), status=PlanStatus.APPLIED, created__year=year
        ).aggregate(n=Sum("clashes_avoided"))["n"]
        or 0
    )
    return render(
        request,
        "scheduling/analytics.html",
        {
            "year": year,
            "years": year_choices(),
            "by_opd": pq.funnel_by_opd(user, year),
            "by_programme": pq.funnel_by_programme(user, year),
            "reasons": pq.decline_reasons(user, year),
            "halves": pq.declines_by_half(user, year),
            "trend": pq.compliance_trend(user, year),
            "clashes": clashes,
        },
    )
