"""Tenancy: the instansi a user belongs to, and whether the install has one yet.

The lowest layer of access rules; who sees which units and employees is
:mod:`kompeten.people.scoping`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from kompeten.core.models import Instansi

if TYPE_CHECKING:
    from kompeten.core.models import User


def tenant_id(user: User) -> int:
    """The user's instansi id; users without one (a bare superuser) see nothing: 403."""
    if user.instansi_id is None:
        raise PermissionDenied
    return user.instansi_id


def tenant(user: User) -> Instansi:
    """The user's instansi; users without one see nothing: 403."""
    if user.instansi is None:
        raise PermissionDenied
    return user.instansi


def sees_whole_instansi(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_admin or user.is_pimpinan))


def is_set_up() -> bool:
    """True once any instansi exists: the first run is over."""
    return Instansi.objects.exists()
