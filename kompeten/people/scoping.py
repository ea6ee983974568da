"""The one scoping helper: what a user may see. Deny by default.

- admin BKPSDM and pimpinan: everything in their instansi;
- pengelola OPD: their OPD's subtree;
- atasan (derived from the org chart): themself and their direct reports;
- fasilitator and pegawai: themself.

A user may hold several of these at once (a pengelola is also an ASN, maybe an atasan): the
scopes are united.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

# the tenancy rules are part of this module's interface (scoping.tenant, scoping.tenant_id…)
from kompeten.core.tenancy import sees_whole_instansi as sees_whole_instansi
from kompeten.core.tenancy import tenant as tenant
from kompeten.core.tenancy import tenant_id as tenant_id
from kompeten.people.models import Employee, Unit

if TYPE_CHECKING:
    from kompeten.core.models import User


def unit_subtree_q(unit: Unit, prefix: str = "") -> Q:
    """Q matching `unit` and every unit below it (on a model with a `unit` FK, pass prefix)."""
    return Q(**{f"{prefix}path__startswith": unit.path})


def is_atasan(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.employee_id is not None
        and Employee.objects.filter(supervisor_id=user.employee_id, is_active=True).exists()
    )


def employee_scope_q(user: User, prefix: str = "") -> Q | None:
    """The Q over Employee (or over a model whose `prefix` leads to Employee) for this user.

    None means "everything in the instansi"; an empty match is Q(pk__in=[]).
    """
    if not user.is_authenticated or user.instansi_id is None:
        return Q(**{f"{prefix}pk__in": []})
    if sees_whole_instansi(user):
        return None
    q = Q(**{f"{prefix}pk__in": []})
    if user.is_pengelola and user.managed_unit is not None:
        q |= Q(**{f"{prefix}unit__path__startswith": user.managed_unit.path})
    if user.employee_id is not None:
        q |= Q(**{f"{prefix}pk": user.employee_id})
        q |= Q(**{f"{prefix}supervisor_id": user.employee_id})
    return q


def employees_for(user: User) -> QuerySet[Employee]:
    if user.instansi_id is None:
        return Employee.objects.none()
    qs = Employee.objects.filter(instansi_id=user.instansi_id)
    q = employee_scope_q(user)
    return qs if q is None else qs.filter(q)


def units_for(user: User) -> QuerySet[Unit]:
    """Units the user may browse: all (admin, pimpinan), their subtree (pengelola), else their own."""
    if not user.is_authenticated or user.instansi_id is None:
        return Unit.objects.none()
    qs = Unit.objects.filter(instansi_id=user.instansi_id)
    if sees_whole_instansi(user):
        return qs
    q = Q(pk__in=[])
    if user.is_pengelola and user.managed_unit is not None:
        q |= Q(path__startswith=user.managed_unit.path)
    if user.employee is not None:
        q |= Q(pk=user.employee.unit_id)
    return qs.filter(q)


def get_employee_for_user(user: User, pk: int) -> Employee:
    """The employee, or 404 when it does not exist or is outside the user's scope."""
    try:
        return employees_for(user).select_related("unit", "supervisor").get(pk=pk)
    except Employee.DoesNotExist:
        raise Http404("Pegawai tidak ditemukan") from None


def get_unit_for_user(user: User, pk: int) -> Unit:
    try:
        return units_for(user).get(pk=pk)
    except Unit.DoesNotExist:
        raise Http404("Unit tidak ditemukan") from None
