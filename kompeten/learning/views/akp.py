"""AKP screens: the needs landing page, campaigns, dashboards, self and atasan assessment."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kompeten.core.exports import Label, xlsx_response
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.learning import queries
from kompeten.learning.actions import akp as akp_actions
from kompeten.learning.forms import CampaignForm
from kompeten.learning.models import AkpCampaign, CampaignStatus, CompetencyLevel
from kompeten.learning.views._util import act_and_return, create_page, flash_errors, tenant_id
from kompeten.people import scoping
from kompeten.people.models import Employee

RECOMMENDED = 5


@login_required
def needs_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """/kebutuhan/: my gaps and recommendations; campaigns and dashboards for those who read them."""
    user = request.user
    campaign = queries.current_campaign(user)
    employee = user.employee
    gaps: list[queries.GapRow] = []
    recommended: list[Any] = []
    n_reports = 0
    if campaign is not None and employee is not None:
        gaps = queries.employee_gaps(campaign, employee)
        recommended = queries.recommended_programmes(employee, gaps)[:RECOMMENDED]
        n_reports = queries.assessable_reports(campaign, employee).count()
    campaigns = list(queries.campaigns_for(user)) if queries.can_see_akp_dashboard(user) else []
    return render(
        request,
        "learning/needs_home.html",
        {
            "campaign": campaign,
            "campaign_open": campaign is not None and _is_open(campaign),
            "gaps": gaps,
            "self_missing": sum(1 for g in gaps if g.self_level is None),
            "recommended": recommended,
            "n_reports": n_reports,
            "campaigns": campaigns,
            "can_dashboard": queries.can_see_akp_dashboard(user),
        },
    )


def _is_open(campaign: AkpCampaign) -> bool:
    now = timezone.now()
    return campaign.status == CampaignStatus.OPEN and campaign.opens_at <= now < campaign.closes_at


@admin_required
def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return create_page(
        request,
        CampaignForm(request.POST or None),
        akp_actions.do_create_campaign,
        _("Kampanye AKP dibuat. Buka kampanye untuk memulai penilaian."),
        template="learning/campaign_form.html",
    )


def _dashboard_campaign(request: AuthenticatedHttpRequest, pk: int) -> AkpCampaign:
    if not queries.can_see_akp_dashboard(request.user):
        raise PermissionDenied
    return queries.get_campaign_for_user(request.user, pk)


@login_required
def campaign_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The AKP dashboard: progress, heat map OPD × competency, ranked needs, demand."""
    campaign = _dashboard_campaign(request, pk)
    basis = request.GET.get("dasar", "atasan")
    if basis not in queries.BASES:
        basis = "atasan"
    heat = queries.akp_heatmap(campaign, request.user, basis)
    progress = queries.campaign_progress(campaign, request.user)
    demand = queries.demand(campaign) if scoping.sees_whole_instansi(request.user) else None
    return render(
        request,
        "learning/campaign_detail.html",
        {
            "campaign": campaign,
            "heat": heat,
            "progress": progress,
            "demand": demand,
            "basis": basis,
            "bases": queries.BASIS_LABELS,
            "is_open": _is_open(campaign),
        },
    )


@require_POST
@admin_required
def campaign_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = queries.get_campaign_for_user(request.user, pk)
    try:
        n = akp_actions.do_open_campaign(campaign, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Kampanye dibuka: %(n)s butir penilaian disiapkan.") % {"n": n})
    return redirect(campaign)


@require_POST
@admin_required
def campaign_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = queries.get_campaign_for_user(request.user, pk)
    return act_and_return(
        request,
        lambda: akp_actions.do_close_campaign(campaign, actor=request.user),
        _("Kampanye ditutup."),
        campaign,
    )


NEEDS_HEADER: list[Label] = [
    gettext_lazy("Peringkat"),
    gettext_lazy("Kode kompetensi"),
    gettext_lazy("Kompetensi"),
    gettext_lazy("Kelompok"),
    gettext_lazy("Pegawai dipersyaratkan"),
    gettext_lazy("Sudah dinilai"),
    gettext_lazy("Pegawai dengan kesenjangan"),
    gettext_lazy("Proporsi dengan kesenjangan"),
    gettext_lazy("Rata-rata kesenjangan"),
    gettext_lazy("OPD terbanyak"),
]
HEAT_HEADER: list[Label] = [
    "OPD",
    gettext_lazy("Kode kompetensi"),
    gettext_lazy("Kompetensi"),
    gettext_lazy("Pegawai dipersyaratkan"),
    gettext_lazy("Sudah dinilai"),
    gettext_lazy("Pegawai dengan kesenjangan"),
    gettext_lazy("Proporsi dengan kesenjangan"),
    gettext_lazy("Rata-rata kesenjangan"),
]


@login_required
def campaign_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """XLSX of the ranked needs and the heat map, in the user's scope and chosen basis."""
    campaign = _dashboard_campaign(request, pk)
    basis = request.GET.get("dasar", "atasan")
    if basis not in queries.BASES:
        raise Http404
    heat = queries.akp_heatmap(campaign, request.user, basis)

    def needs_rows() -> Iterator[list[Any]]:
        for rank, need in enumerate(heat.needs, start=1):
            yield [
                rank,
                need.competency.code,
                need.competency.name,
                need.competency.get_group_display(),
                need.n_required,
                need.n_answered,
                need.n_gap,
                need.share_gap,
                need.mean_gap,
                ", ".join(f"{name} ({n})" for name, n in need.worst_opds),
            ]

    def heat_rows() -> Iterator[list[Any]]:
        for opd, cells in heat.rows:
            for competency, cell in zip(heat.competencies, cells, strict=True):
                if cell is None:
                    continue
                yield [
                    opd.name,
                    competency.code,
                    competency.name,
                    cell.n_required,
                    cell.n_answered,
                    cell.n_gap,
                    cell.share_gap,
                    cell.mean_gap,
                ]

    stamp = timezone.localdate().isoformat()
    return xlsx_response(
        f"kebutuhan-{campaign.pk}-{basis}-{stamp}.xlsx",
        [
            (gettext_lazy("Kebutuhan"), NEEDS_HEADER, needs_rows()),
            (gettext_lazy("Peta panas"), HEAT_HEADER, heat_rows()),
        ],
    )


def _levels_by_competency(competency_ids: list[int]) -> dict[int, list[CompetencyLevel]]:
    levels: dict[int, list[CompetencyLevel]] = {}
    for level in CompetencyLevel.objects.filter(competency_id__in=competency_ids):
        levels.setdefault(level.competency_id, []).append(level)
    return levels


def _level_input(
    request: AuthenticatedHttpRequest, gaps: list[queries.GapRow]
) -> dict[int, object]:
    return {g.competency.pk: request.POST.get(f"k{g.competency.pk}", "") for g in gaps}


@login_required
def self_assessment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The employee rates themself on each competency their post requires."""
    campaign = queries.get_campaign_for_user(request.user, pk)
    employee = request.user.employee
    if employee is None:
        raise PermissionDenied
    gaps = queries.employee_gaps(campaign, employee)
    if not gaps:
        raise Http404("Anda tidak termasuk dalam kampanye ini")
    return _assessment_page(
        request,
        _Assessment(campaign, employee, gaps, is_self=True),
        lambda levels: akp_actions.do_submit_self_assessment(
            campaign=campaign, employee=employee, levels=levels, actor=request.user
        ),
        _("Penilaian diri tersimpan."),
        lambda: redirect("cycle_kebutuhan"),
    )


@dataclass(frozen=True)
class _Assessment:
    """Whose levels one assessment form asks for, and whether they rate themself."""

    campaign: AkpCampaign
    subject: Employee
    gaps: list[queries.GapRow]
    is_self: bool


def _assessment_page(
    request: AuthenticatedHttpRequest,
    assessment: _Assessment,
    submit: Callable[[dict[int, object]], object],
    success: str,
    then: Callable[[], HttpResponse],
) -> HttpResponse:
    """The self and the atasan assessment form: the levels so far (self or atasan), and on POST
    the levels entered go to `submit`; its refusal is shown above the form with the entries kept,
    else `success` is flashed and `then()` answers."""
    gaps = assessment.gaps
    errors: list[str] = []
    entered: dict[int, object] = {
        g.competency.pk: g.self_level if assessment.is_self else g.atasan_level for g in gaps
    }
    if request.method == "POST":
        entered = _level_input(request, gaps)
        try:
            submit(entered)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, success)
            return then()
    return render(
        request,
        "learning/assessment_form.html",
        {
            "campaign": assessment.campaign,
            "subject": assessment.subject,
            "rows": _rows(gaps, entered),
            "errors": errors,
            "is_self": assessment.is_self,
            "is_open": _is_open(assessment.campaign),
        },
    )


def _rows(gaps: list[queries.GapRow], entered: dict[int, object]) -> list[dict[str, Any]]:
    levels = _levels_by_competency([g.competency.pk for g in gaps])
    return [
        {
            "gap": g,
            "levels": levels.get(g.competency.pk, []),
            "value": "" if entered.get(g.competency.pk) is None else str(entered[g.competency.pk]),
        }
        for g in gaps
    ]


@login_required
def report_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An atasan's direct reports in the campaign and how far each is rated."""
    campaign = queries.get_campaign_for_user(request.user, pk)
    if request.user.employee is None:
        raise PermissionDenied
    reports = list(queries.assessable_reports(campaign, request.user.employee))
    return render(
        request,
        "learning/report_list.html",
        {"campaign": campaign, "reports": reports, "is_open": _is_open(campaign)},
    )


@login_required
def assess_report(request: AuthenticatedHttpRequest, pk: int, employee_pk: int) -> HttpResponse:
    """The atasan rates one direct report. Anyone else gets 404 (not in their reports)."""
    campaign = queries.get_campaign_for_user(request.user, pk)
    me = request.user.employee
    if me is None:
        raise PermissionDenied
    try:
        subject = Employee.objects.select_related("unit").get(
            pk=employee_pk, supervisor=me, instansi_id=tenant_id(request.user)
        )
    except Employee.DoesNotExist:
        raise Http404("Bukan bawahan langsung Anda") from None
    gaps = queries.employee_gaps(campaign, subject)
    if not gaps:
        raise Http404("Pegawai tidak termasuk dalam kampanye ini")
    return _assessment_page(
        request,
        _Assessment(campaign, subject, gaps, is_self=False),
        lambda levels: akp_actions.do_submit_atasan_assessment(
            campaign=campaign, employee=subject, levels=levels, actor=request.user
        ),
        _("Penilaian untuk %(name)s tersimpan.") % {"name": subject.full_name},
        lambda: redirect("learning:report_list", pk=campaign.pk),
    )
