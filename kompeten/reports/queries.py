"""Reads of the reports app, scoped per user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from kompeten.core.models import User
from kompeten.learning.models import Programme
from kompeten.people.scoping import sees_whole_instansi, tenant_id
from kompeten.reports.models import Recommendation, ReportCycle


def can_read_reports(user: User) -> bool:
    return sees_whole_instansi(user)


def require_reader(user: User) -> None:
    if not can_read_reports(user):
        raise PermissionDenied


def get_programme(user: User, pk: int) -> Programme:
    require_reader(user)
    try:
        return Programme.objects.get(pk=pk, instansi_id=tenant_id(user))
    except Programme.DoesNotExist:
        raise Http404("Program tidak ditemukan") from None


def get_programme_by_code(user: User, code: str) -> Programme:
    """The programme with this code in the user's instansi (the exact code, else the one code
    equal to it without regard to case), or 404; a user who may not read reports gets 403 before any lookup."""
    require_reader(user)
    found = list(
        Programme.objects.filter(instansi_id=tenant_id(user), code__iexact=code.strip()).only(
            "pk", "code"
        )[:10]
    )
    exact = [p for p in found if p.code == code.strip()]
    if len(exact) == 1:
        return exact[0]
    if len(found) != 1:
        raise Http404("Program tidak ditemukan")
    return found[0]


def cycles_for(user: User) -> QuerySet[ReportCycle]:
    require_reader(user)
    return ReportCycle.objects.filter(instansi_id=tenant_id(user)).defer("data")


def get_cycle(user: User, code: str) -> ReportCycle:
    require_reader(user)
    try:
        return ReportCycle.objects.get(instansi_id=tenant_id(user), code=code.upper())
    except ReportCycle.DoesNotExist:
        raise Http404("Siklus tidak ditemukan") from None


def recommendations_for(user: User) -> QuerySet[Recommendation]:
    require_reader(user)
    return Recommendation.objects.filter(instansi_id=tenant_id(user)).select_related(
        "cycle", "programme", "owner_user", "owner_unit"
    )


def cycle_recommendations(cycle: ReportCycle) -> list[Recommendation]:
    """The recommendations a cycle's findings stand behind: those it created, then, for each
    finding already tracked by an overlapping cycle when this one was generated (the year's
    while its semester is reported, say), that cycle's recommendation, not created twice. Two
    queries."""
    related = ("cycle", "owner_user", "owner_unit")
    own = list(cycle.recommendations.select_related(*related).order_by("id"))
    found = {Recommendation.finding(h) for h in (cycle.data or {}).get("recommendations", [])}
    missing = found - {(r.rule_id, r.subject) for r in own}
    if not missing:
        return own
    elsewhere: dict[tuple[str, str], Recommendation] = {}
    candidates = (
        Recommendation.objects.filter(
            instansi_id=cycle.instansi_id,
            rule_id__in={rule for rule, _ in missing},
            created__lte=cycle.generated_at or timezone.now(),
        )
        .exclude(cycle=cycle)
        .select_related(*related)
        .order_by("id")
    )
    for rec in candidates:
        if (rec.rule_id, rec.subject) in missing:
            elsewhere[(rec.rule_id, rec.subject)] = rec  # the latest of each finding
    return own + sorted(elsewhere.values(), key=lambda r: r.pk)


def get_recommendation(user: User, pk: int) -> Recommendation:
    try:
        return recommendations_for(user).get(pk=pk)
    except Recommendation.DoesNotExist:
        raise Http404("Rekomendasi tidak ditemukan") from None
