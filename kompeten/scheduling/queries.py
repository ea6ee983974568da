"""Reads of the scheduling app, scoped by the one scoping helper."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from kompeten.core.models import User
from kompeten.people import scoping
from kompeten.people.models import Employee, Unit
from kompeten.scheduling.models import DutyEntry, PeakPeriod, PlanRun, StaffingRule


def can_edit(user: User) -> bool:
    """Duty calendars and staffing rules: admin (everything) and pengelola (their subtree)."""
    return bool(user.is_admin or user.is_pengelola)


def editable_employees(user: User) -> QuerySet[Employee]:
    if user.is_admin:
        return Employee.objects.filter(instansi_id=scoping.tenant_id(user), is_active=True)
    if user.is_pengelola and user.managed_unit is not None:
        return Employee.objects.filter(
            instansi_id=scoping.tenant_id(user),
            is_active=True,
            unit__path__startswith=user.managed_unit.path,
        )
    return Employee.objects.none()


def editable_units(user: User) -> QuerySet[Unit]:
    if user.is_admin:
        return Unit.objects.filter(instansi_id=scoping.tenant_id(user))
    if user.is_pengelola and user.managed_unit is not None:
        return Unit.objects.filter(
            instansi_id=scoping.tenant_id(user), path__startswith=user.managed_unit.path
        )
    return Unit.objects.none()


def duties_for(user: User) -> QuerySet[DutyEntry]:
    qs = DutyEntry.objects.filter(instansi_id=scoping.tenant_id(user))
    q = scoping.employee_scope_q(user, "employee__")
    return qs if q is None else qs.filter(q)


def rules_for(user: User) -> QuerySet[StaffingRule]:
    return StaffingRule.objects.filter(
        instansi_id=scoping.tenant_id(user), unit__in=scoping.units_for(user)
    )


def peaks_for(user: User) -> QuerySet[PeakPeriod]:
    return PeakPeriod.objects.filter(instansi_id=scoping.tenant_id(user)).filter(
        Q(unit__isnull=True) | Q(unit__in=scoping.units_for(user))
    )


def plan_runs_for(user: User) -> QuerySet[PlanRun]:
    if not (user.is_admin or user.is_pimpinan):
        return PlanRun.objects.none()
    return PlanRun.objects.filter(instansi_id=scoping.tenant_id(user))


def get_plan_run_for_user(user: User, pk: int) -> PlanRun:
    run = plan_runs_for(user).filter(pk=pk).first()
    if run is None:
        raise Http404("Rencana tidak ditemukan")
    return run
