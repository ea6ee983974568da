"""The proposal board: propose, vote (htmx), comment; admins review and export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kompeten.core.exports import Label, xlsx_response
from kompeten.core.formviews import save_form
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.paging import paged
from kompeten.core.permissions import admin_required, refuse_read_only, writer_required
from kompeten.learning import queries
from kompeten.learning.actions import codesign
from kompeten.learning.forms import CommentForm, ProposalFilterForm, ProposalForm
from kompeten.learning.models import (
    AkpCampaign,
    CampaignStatus,
    Proposal,
    ProposalStatus,
    ProposalVote,
)
from kompeten.learning.views._util import act_and_return, active_competencies

PAGE_SIZE = 30


def _filtered(request: AuthenticatedHttpRequest) -> tuple[ProposalFilterForm, QuerySet[Proposal]]:
    form = ProposalFilterForm(
        request.GET or None,
        campaigns=queries.campaigns_for(request.user),
        competencies=active_competencies(request.user),
    )
    qs = queries.proposals_for(request.user)
    sort = "votes"
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(title__icontains=data["q"]) | Q(problem__icontains=data["q"]))
        if data["campaign"]:
            qs = qs.filter(campaign=data["campaign"])
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["competency"]:
            qs = qs.filter(competency=data["competency"])
        sort = data["sort"] or "votes"
    order = ["-vote_count", "-created", "-id"] if sort == "votes" else ["-created", "-id"]
    return form, qs.order_by(*order)


def _with_my_vote(qs: QuerySet[Proposal], request: AuthenticatedHttpRequest) -> QuerySet[Proposal]:
    employee_id = request.user.employee_id
    return qs.annotate(
        my_vote=Exists(ProposalVote.objects.filter(proposal=OuterRef("pk"), voter_id=employee_id))
    )


def _open_ids(campaign_ids: set[int]) -> set[int]:
    now = timezone.now()
    return set(
        AkpCampaign.objects.filter(
            pk__in=campaign_ids, status=CampaignStatus.OPEN, opens_at__lte=now, closes_at__gt=now
        ).values_list("pk", flat=True)
    )


@login_required
def proposal_board(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    qs = _with_my_vote(qs, request).select_related("proposer", "unit", "competency", "campaign")
    paging = paged(request, qs, PAGE_SIZE)
    page = paging["page"]
    open_ids = _open_ids({p.campaign_id for p in page})
    for proposal in page:
        proposal.voting_open = proposal.campaign_id in open_ids
    current = queries.current_campaign(request.user)
    return render(
        request,
        "learning/proposal_board.html",
        {
            "form": form,
            **paging,
            "can_propose": request.user.employee_id is not None
            and current is not None
            and bool(_open_ids({current.pk})),
        },
    )


PROPOSAL_HEADER: list[Label] = [
    gettext_lazy("Kampanye"),
    gettext_lazy("Topik"),
    gettext_lazy("Masalah"),
    gettext_lazy("Bentuk"),
    gettext_lazy("Kompetensi"),
    gettext_lazy("Pengusul"),
    "NIP",
    gettext_lazy("Unit"),
    gettext_lazy("Jenis jabatan"),
    gettext_lazy("Suara"),
    gettext_lazy("Komentar"),
    gettext_lazy("Status"),
    gettext_lazy("Diusulkan"),
]


@login_required
def proposal_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    _form, qs = _filtered(request)
    show_names = request.user.is_admin or request.user.is_pimpinan

    def rows() -> Iterator[list[Any]]:
        for p in qs.select_related("campaign", "competency", "proposer", "unit"):
            yield [
                p.campaign.name,
                p.title,
                p.problem,
                p.get_learning_type_display(),
                p.competency.name if p.competency else "",
                p.proposer.full_name if show_names else "",
                p.proposer.nip if show_names else "",
                p.unit.name,
                p.get_jabatan_kind_display(),
                p.vote_count,
                p.comment_count,
                p.get_status_display(),
                timezone.localtime(p.created),
            ]

    return xlsx_response(
        f"usulan-{timezone.localdate().isoformat()}.xlsx", [("Usulan", PROPOSAL_HEADER, rows())]
    )


@writer_required
def proposal_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.employee_id is None:
        raise PermissionDenied
    campaign = queries.current_campaign(request.user)
    form = ProposalForm(request.POST or None, competencies=active_competencies(request.user))
    if campaign is None:
        messages.error(
            request, _("Belum ada kampanye AKP yang terbuka; usulan belum dapat diajukan.")
        )
    else:
        done = save_form(
            request,
            form,
            lambda: codesign.do_create_proposal(
                campaign=campaign, actor=request.user, **form.cleaned_data
            ),
            _("Usulan Anda tercatat. Terima kasih."),
        )
        if done is not None:
            return done
    return render(request, "learning/proposal_form.html", {"form": form, "campaign": campaign})


@login_required
def proposal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = queries.get_proposal_for_user(request.user, pk)
    if request.method == "POST":
        refuse_read_only(request.user)
    form = CommentForm(request.POST or None)
    done = save_form(
        request,
        form,
        lambda: codesign.do_comment(proposal=proposal, actor=request.user, **form.cleaned_data),
        _("Komentar ditambahkan."),
        lambda _comment: redirect(proposal),
    )
    if done is not None:
        return done
    proposal = _with_my_vote(Proposal.objects.filter(pk=proposal.pk), request).select_related(
        "campaign", "proposer", "unit", "competency"
    )[0]
    proposal.voting_open = bool(_open_ids({proposal.campaign_id}))  # type: ignore[attr-defined]
    return render(
        request,
        "learning/proposal_detail.html",
        {
            "proposal": proposal,
            "comments": proposal.comments.select_related("author", "author__employee"),
            "programmes": proposal.programmes.all(),
            "form": form,
            "statuses": ProposalStatus.choices,
        },
    )


def _safe_next(request: AuthenticatedHttpRequest) -> str:
    """The `next` page to return to, if it is a path on this site (else ""). Only a path: a
    bare word ("-1", "home") would be taken by ``redirect`` for a view name to reverse."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target.startswith("/") and allowed else ""


@require_POST
@writer_required
def proposal_vote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Vote or withdraw (htmx: returns the vote widget; without JS: back to the page)."""
    proposal = queries.get_proposal_for_user(request.user, pk)
    error = ""
    try:
        if request.POST.get("withdraw"):
            codesign.do_withdraw_vote(proposal=proposal, actor=request.user)
        else:
            codesign.do_vote(proposal=proposal, actor=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(_safe_next(request) or proposal.get_absolute_url())
    proposal = _with_my_vote(Proposal.objects.filter(pk=proposal.pk), request)[0]
    proposal.voting_open = bool(_open_ids({proposal.campaign_id}))  # type: ignore[attr-defined]
    return render(
        request,
        "learning/_vote.html",
        {"proposal": proposal, "vote_error": error},
        status=200,
    )


@require_POST
@admin_required
def proposal_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = queries.get_proposal_for_user(request.user, pk)
    return act_and_return(
        request,
        lambda: codesign.do_set_proposal_status(
            proposal=proposal, status=request.POST.get("status", ""), actor=request.user
        ),
        _("Status usulan diperbarui."),
        proposal,
    )
