"""Reads of the reports app, scoped per user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

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


def get_recommendation(user: User, pk: int) -> Recommendation:
    try:
        return recommendations_for(user).get(pk=pk)
    except Recommendation.DoesNotExist:
        raise Http404("Rekomendasi tidak ditemukan") from None
