"""Points, unit ranking, the badge, the recognition export, certificates and public verification."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from kompeten.core import counters
from kompeten.core.clientip import client_ip
from kompeten.core.exports import Label, xlsx_response
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.participation import certificate, queries
from kompeten.participation.actions.incentives import (
    do_award_badges,
    do_recompute_codesign_points,
    do_update_point_policy,
    policy_for,
)
from kompeten.participation.forms import PolicyForm, selected_year, year_choices
from kompeten.participation.models import Certificate
from kompeten.people import scoping

VERIFY_LIMIT = 30
VERIFY_WINDOW_SECONDS = 60


@login_required
def incentives(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = selected_year(request.GET)
    ranking = queries.unit_ranking(request.user, year)
    people = Paginator(queries.points_by_employee(request.user, year), 50).get_page(
        request.GET.get("page")
    )
    badges = Certificate.objects.filter(
        instansi_id=scoping.tenant_id(request.user), year=year, kind="asn_pembelajar"
    )
    q = scoping.employee_scope_q(request.user, "employee__")
    if q is not None:
        badges = badges.filter(q)
    return render(
        request,
        "participation/incentives.html",
        {
            "year": year,
            "years": year_choices(),
            "ranking": ranking,
            "page": people,
            "query": f"year={year}",
            "n_badges": badges.count(),
            "policy": policy_for(request.user.instansi_id) if request.user.instansi_id else None,
        },
    )


@admin_required
def policy_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    policy = policy_for(scoping.tenant_id(request.user))
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        do_update_point_policy(policy=policy, values=form.cleaned_data, actor=request.user)
        messages.success(request, gettext("Kebijakan poin disimpan."))
        return redirect("participation:incentives")
    return render(request, "participation/policy_form.html", {"form": form})


@admin_required
@require_POST
def award_badges(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = selected_year(request.POST)
    assert request.user.instansi is not None
    do_recompute_codesign_points(instansi=request.user.instansi, year=year)
    issued = do_award_badges(instansi=request.user.instansi, year=year, actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(n)d lencana ASN Pembelajar %(year)d diterbitkan.",
            "%(n)d lencana ASN Pembelajar %(year)d diterbitkan.",
            len(issued),
        )
        % {"n": len(issued), "year": year},
    )
    return redirect(f"{reverse('participation:incentives')}?year={year}")


RECOGNITION_HEADER: list[Label] = [
    "NIP",
    gettext_lazy("Nama"),
    gettext_lazy("Unit kerja"),
    gettext_lazy("Status"),
    "JP",
    gettext_lazy("Poin"),
    gettext_lazy("Nomor lencana"),
    gettext_lazy("Tanggal"),
]


@login_required
def recognition_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not (request.user.is_admin or request.user.is_pimpinan or request.user.is_pengelola):
        raise PermissionDenied
    year = selected_year(request.GET)
    rows = queries.recognition_rows(request.user, year)
    return xlsx_response(
        f"asn-pembelajar-{year}.xlsx", [(f"ASN Pembelajar {year}", RECOGNITION_HEADER, rows)]
    )


def _certificate_for_user(request: AuthenticatedHttpRequest, number: str) -> Certificate:
    cert = (
        Certificate.objects.filter(number=number, instansi_id=scoping.tenant_id(request.user))
        .select_related("employee__unit", "instansi", "enrolment__batch")
        .first()
    )
    if cert is None or not scoping.employees_for(request.user).filter(pk=cert.employee_id).exists():
        raise Http404("Sertifikat tidak ditemukan")
    return cert


@login_required
def certificate_pdf(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    cert = _certificate_for_user(request, number)
    response = HttpResponse(certificate.certificate_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sertifikat-{cert.number}.pdf"'
    return response


def rate_limited(request: HttpRequest, scope: str, limit: int, window: int) -> bool:
    """Fixed-window counter per client address (the trusted-proxy rule of
    kompeten.core.clientip), exact across processes; True when over the limit."""
    return counters.hit(f"{scope}:{client_ip(request)}", limit, window).refused


@require_GET
def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public (no login): anyone can check a certificate number. Rate-limited per address."""
    if rate_limited(request, "certificate", VERIFY_LIMIT, VERIFY_WINDOW_SECONDS):
        return render(
            request, "participation/verify.html", {"number": number, "limited": True}, status=429
        )
    cert = (
        Certificate.objects.filter(number=number.strip().upper())
        .select_related("employee__unit", "instansi")
        .first()
    )
    if cert is None:
        return render(request, "participation/verify.html", {"number": number}, status=404)
    return render(
        request,
        "participation/verify.html",
        {"number": number, "cert": cert, "site": settings.SITE_URL},
    )
