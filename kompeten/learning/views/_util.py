"""Small helpers shared by the learning views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from kompeten.core.models import User
from kompeten.people import scoping


def attach_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put an action's ValidationError on the form: on the named field when it exists."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


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
