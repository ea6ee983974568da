"""View decorators for roles. Deny by default; checks live in views, not only in templates."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

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
