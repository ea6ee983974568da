"""The leadership dashboard (reads one precomputed snapshot) and its evidence pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.importing.declare import allowed_keys
from kompeten.core.params import year_asked, year_param
from kompeten.core.permissions import admin_required
from kompeten.core.years import opened_on_note, year_with_data
from kompeten.participation.models import Enrolment
from kompeten.people.scoping import tenant_id
from kompeten.reports import queries
from kompeten.reports.dashboard import SNAPSHOT_FORMAT
from kompeten.reports.models import DashboardSnapshot
from kompeten.reports.rules import sentence
from kompeten.reports.tasks import refresh_dashboard_now
from kompeten.service.imports_complaints import ComplaintsImport
from kompeten.service.models import Complaint, SkmRollup


def for_language(data: dict[str, Any], language: str | None) -> dict[str, Any]:
    """A snapshot's cards, figures and tables in ``language`` (the default language's, at the
    top level, when the snapshot has none in it; see kompeten.reports.dashboard)."""
    return data.get("languages", {}).get(language or "", data)


def _year(request: AuthenticatedHttpRequest) -> int:
    """The year asked for; without one, this year, or the latest with training, SKM answers or
    complaints when this one has none yet (a past year's files imported now)."""
    this_year = timezone.localdate().year
    if asked := year_asked(request.GET):
        return year_param(asked, this_year)
    instansi_id = tenant_id(request.user)
    return year_with_data(
        this_year,
        (Enrolment.objects.filter(instansi_id=instansi_id), "batch__start_date"),
        (SkmRollup.objects.filter(service_unit__instansi_id=instansi_id), "month"),
        (Complaint.objects.filter(instansi_id=instansi_id), "received_at"),
    )


def _snapshot(request: AuthenticatedHttpRequest, year: int) -> DashboardSnapshot | None:
    return DashboardSnapshot.objects.filter(instansi_id=tenant_id(request.user), year=year).first()


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    queries.require_reader(request.user)
    year = _year(request)
    snap = _snapshot(request, year)
    # the other years with figures, so a reader finds last year's without knowing to ask
    years = DashboardSnapshot.objects.filter(instansi_id=tenant_id(request.user))
    others = [y for y in years.values_list("year", flat=True).order_by("-year") if y != year]
    this_year = timezone.localdate().year
    context: dict[str, Any] = {
        "snap": snap,
        "year": year,
        "other_years": others,
        "worker_year": year in (this_year, this_year - 1),  # the years the worker computes
        "year_note": "" if year_asked(request.GET) else opened_on_note(this_year, year),
        "sees_waiting": ComplaintsImport.key in allowed_keys(request.user),
    }
    if snap is not None and snap.data.get("format") == SNAPSHOT_FORMAT:
        context["view"] = for_language(snap.data, get_language())
        context["n"] = numbers = snap.data.get("numbers") or {}
        # complaint rows no figure of the snapshot counts (their unit was not in the tree)
        context["waiting"] = numbers.get("complaints_waiting", 0)
        for item in numbers.get("recommendations", {}).get("urgent", []):
            # written in the reader's language from the evidence the rule kept
            item["text"] = (
                sentence(item.get("rule_id", ""), item.get("evidence") or {}) or item["text"]
            )
    return render(request, "reports/dashboard.html", context)


@login_required
def dashboard_evidence(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    queries.require_reader(request.user)
    year = _year(request)
    snap = _snapshot(request, year)
    if snap is None or slug not in snap.data.get("tables", {}):
        raise Http404(_("Data tidak ditemukan"))
    view = for_language(snap.data, get_language())
    table = view["tables"].get(slug) or snap.data["tables"][slug]
    figure = next((f for f in view["figures"] if f["slug"] == slug), None)
    source = ""
    if table.get("source"):
        try:
            source = reverse(table["source"])
        except NoReverseMatch:
            source = ""
    return render(
        request,
        "reports/evidence.html",
        {
            "table": table,
            "figure": figure,
            "report": {"title": _("Dasbor pimpinan {year}").format(year=year)},
            "back": reverse("reports:dashboard") + f"?year={year}",
            "source": source,
        },
    )


@require_POST
@admin_required
def dashboard_refresh(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = _year(request)
    assert request.user.instansi is not None
    refresh_dashboard_now(request.user.instansi, year)
    messages.success(request, _("Angka dasbor dihitung ulang."))
    return redirect(reverse("reports:dashboard") + f"?year={year}")
