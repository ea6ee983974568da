"""View decorators for roles. Deny by default; checks live in views, not only in templates."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import Role, User

F = TypeVar("F", bound=Callable[..., HttpResponse])


def has_role(user: User, *roles: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.role in roles


def role_required(*roles: str) -> Callable[[F], F]:
    """Allow only the given roles (admin always passes); everyone else gets 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_role(request.user, Role.ADMIN, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorator


admin_required = role_required()

# Who reads IKM results (the IKM pages and GET /api/ikm alike), besides the admin; each within
# the scoping helper's units.
IKM_READER_ROLES = (Role.PENGELOLA, Role.PIMPINAN)


def can_read_ikm(user: User) -> bool:
    return has_role(user, Role.ADMIN, *IKM_READER_ROLES)


def is_read_only(user: User) -> bool:
    """Pimpinan reads dashboards and reports and writes nothing (pages and API alike).

    A pimpinan may also be an ASN with an employee record (the sekda): still read-only.
    """
    return bool(user.is_authenticated and not user.is_superuser and user.role == Role.PIMPINAN)


def refuse_read_only(user: User) -> None:
    """Raise PermissionDenied (403) for a read-only account about to write."""
    if is_read_only(user):
        raise PermissionDenied(
            _("Pimpinan hanya dapat membaca; akun ini tidak dapat mengubah data.")
        )


def writer_required(view: F) -> F:
    """login_required, then 403 for read-only accounts (pimpinan)."""

    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refuse_read_only(request.user)
        return view(request, *args, **kwargs)

    return login_required(wrapped)  # type: ignore[return-value]
