"""Small helpers shared by the learning views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from kompeten.core.models import User
from kompeten.people import scoping


def messages_of(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise PermissionDenied


def require_reader(user: User) -> None:
    """Admin and pimpinan read everything; everyone else is refused."""
    if not scoping.sees_whole_instansi(user):
        raise PermissionDenied


tenant_id = scoping.tenant_id
