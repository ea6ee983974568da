"""Small helpers shared by the learning views."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Manager, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from kompeten.core.formviews import form_page, save_form
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import User
from kompeten.learning.models import Competency, Trainer
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

M = TypeVar("M", bound=Model)
T = TypeVar("T")


def programme_part_or_404(
    request: AuthenticatedHttpRequest, objects: QuerySet[M] | Manager[M], pk: int, programme: str
) -> M:
    """The object `pk` reached from a programme of the user's instansi through the path
    `programme` (e.g. "batch__programme"), that programme read with it; else 404."""
    return get_object_or_404(
        objects.select_related(programme),
        pk=pk,
        **{f"{programme}__instansi_id": tenant_id(request.user)},
    )


class HasPage(Protocol):
    """An object with its own page (a programme, a batch, a campaign, a proposal)."""

    def get_absolute_url(self) -> str: ...


def active_competencies(user: User) -> QuerySet[Competency]:
    """The instansi's competencies in use: the choices of the programme and proposal forms."""
    return Competency.objects.filter(instansi_id=tenant_id(user), is_active=True)


def active_trainers(user: User) -> QuerySet[Trainer]:
    """The instansi's active trainers, with their employee row: the choices for a module, a
    batch or a session."""
    return Trainer.objects.filter(instansi_id=tenant_id(user), is_active=True).select_related(
        "employee"
    )


def flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    """An action's refusal as error messages on the page the user is sent back to."""
    for message in exc.messages:
        messages.error(request, message)


def act_and_return(
    request: HttpRequest, act: Callable[[], object], success: str | None, page: HasPage
) -> HttpResponse:
    """The end of a POST from a page's button: call the action `act`, flash its refusal or
    `success` (when there is one), and go back to `page`."""
    try:
        act()
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        if success is not None:
            messages.success(request, success)
    return redirect(page)


def post_form_and_return(
    request: HttpRequest,
    form: forms.BaseForm,
    act: Callable[[], object],
    page: HasPage,
    *,
    success: str,
    invalid: str,
) -> HttpResponse:
    """The end of a small form posted from a page and answered there: a valid form goes to
    `act_and_return`; an invalid one only flashes `invalid`, what to fix."""
    if not form.is_valid():
        messages.error(request, invalid)
        return redirect(page)
    return act_and_return(request, act, success, page)


def create_page(
    request: AuthenticatedHttpRequest,
    form: forms.BaseForm,
    create: Callable[..., HasPage],
    success: str,
    *,
    template: str,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """A page creating one of the instansi's objects from `form`: its action `create` takes the
    user's instansi, the user as actor and the form's cleaned fields; then its page (see
    `form_page`)."""
    return form_page(
        request,
        form,
        lambda: create(
            instansi=request.user.instansi,
            actor=request.user,
            **form.cleaned_data,
        ),
        success,
        template=template,
        context=context,
    )


def admin_save_form(
    request: AuthenticatedHttpRequest,
    form: forms.BaseForm,
    save: Callable[[], T],
    success: str,
    then: Callable[[T], HttpResponse],
) -> HttpResponse | None:
    """`save_form` on a page everyone may read and only an admin may post to: anyone else's
    POST is refused (403)."""
    if request.method == "POST" and not request.user.is_admin:
        return HttpResponse(status=403)
    return save_form(request, form, save, success, then)
