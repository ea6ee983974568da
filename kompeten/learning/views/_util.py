"""Small helpers shared by the learning views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from kompeten.core.models import User
from kompeten.people import scoping


def attach_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put an action's ValidationError on the form: on the named field when it exists."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


T = TypeVar("T")


def redirect_to_saved(saved: Any) -> HttpResponse:
    """A redirect to a saved object's page (its get_absolute_url)."""
    return redirect(saved)


def save_form(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], T],
    success: str,
    then: Callable[[T], HttpResponse] = redirect_to_saved,
) -> HttpResponse | None:
    """The usual end of a form view. When the POSTed form is valid, call its action `save`: on
    success flash `success` and answer `then(result)` (by default a redirect to the saved
    object); on the action's ValidationError put its messages on the form. None: the view
    shows the form (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except ValidationError as exc:
        attach_errors(form, exc)
        return None
    messages.success(request, success)
    return then(result)


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
