"""Who may change which units: the one rule for the OPD pages and the units API.

- admin BKPSDM: every unit of the instansi, and the top level of the tree;
- pengelola OPD: the units inside its own OPD's subtree. It may rename its own OPD, but not
  move it, close it or put anything outside its subtree;
- everyone else: nothing.

Units outside what the user may *see* are 404 (as everywhere); units the user sees but may
not change are 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext

from kompeten.core.models import User
from kompeten.people import scoping
from kompeten.people.models import Unit


def can_write_units(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.instansi_id is not None
        and (user.is_admin or user.is_pengelola)
    )


def writable_units(user: User) -> QuerySet[Unit]:
    """The units this user may change (and put new units under)."""
    if not can_write_units(user) or user.instansi_id is None:
        return Unit.objects.none()
    qs = Unit.objects.filter(instansi_id=user.instansi_id)
    if user.is_admin:
        return qs
    assert user.managed_unit is not None  # is_pengelola
    return qs.filter(path__startswith=user.managed_unit.path)


def may_use_top_level(user: User) -> bool:
    """Only an admin creates top-level units or moves a unit to the top."""
    return can_write_units(user) and user.is_admin


def is_own_root(user: User, unit: Unit) -> bool:
    """The pengelola's own OPD: it may rename it, not move or close it."""
    return not user.is_admin and user.managed_unit_id == unit.pk


def get_unit_for_writing(user: User, pk: int) -> Unit:
    """The unit, or 404 when the user cannot see it, or 403 when it may not change it."""
    unit = scoping.get_unit_for_user(user, pk)
    if not writable_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied
    return unit


def parent_choices(user: User, moving: Unit | None = None) -> QuerySet[Unit]:
    """Open units a new (or moved) unit may go under; never the moved unit's own subtree."""
    qs = writable_units(user).filter(is_active=True)
    if moving is not None:
        qs = qs.exclude(path__startswith=moving.path)
    return qs.order_by("path")


def check_parent_allowed(user: User, parent: Unit | None, *, field: str = "parent") -> None:
    """Refuse (ValidationError naming the field) a parent outside what the user may change."""
    if parent is None:
        if not may_use_top_level(user):
            raise ValidationError(
                {
                    field: gettext(
                        "Pilih unit induk di dalam OPD Anda; tingkat teratas hanya untuk admin."
                    )
                }
            )
        return
    if not writable_units(user).filter(pk=parent.pk).exists():
        raise ValidationError({field: gettext("Unit induk di luar cakupan Anda.")})
