"""Helpers for the end of a form view: an action's ValidationError onto the form, the usual
"valid POST → action → message → redirect" step, and that step with the page that shows the form
when it does not answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

T = TypeVar("T")


def attach_errors(
    form: forms.BaseForm, exc: ValidationError, renamed: Mapping[str, str] | None = None
) -> None:
    """Put an action's ValidationError on the form: on the named field when the form has it
    (`renamed` maps an action's field name to the form's), else on the form itself."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            target = (renamed or {}).get(key, key)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def redirect_to_saved(saved: Any) -> HttpResponse:
    """A redirect to a saved object's page (its get_absolute_url)."""
    return redirect(saved)


def save_form(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], T],
    success: str,
    then: Callable[[T], HttpResponse] = redirect_to_saved,
    renamed: Mapping[str, str] | None = None,
) -> HttpResponse | None:
    """The usual end of a form view. When the POSTed form is valid, call its action `save`: on
    success flash `success` and answer `then(result)` (by default a redirect to the saved
    object); on the action's ValidationError put its messages on the form (see
    `attach_errors`). None: the view shows the form (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except ValidationError as exc:
        attach_errors(form, exc, renamed)
        return None
    messages.success(request, success)
    return then(result)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], T],
    success: str,
    then: Callable[[T], HttpResponse] = redirect_to_saved,
    *,
    template: str,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """A whole form view once its form is built: `save_form`'s answer when it has one, else
    `template` showing the form (as "form") with `context`."""
    done = save_form(request, form, save, success, then)
    if done is not None:
        return done
    return render(request, template, {"form": form, **(context or {})})
