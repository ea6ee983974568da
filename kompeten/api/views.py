"""The admin's pages for API tokens: list (with last use), create (secret shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kompeten.api import actions
from kompeten.api.forms import ApiTokenForm, default_expiry
from kompeten.api.models import ApiToken
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.people.apiutil import RESOURCES, resource_label


def scope_label(scope: str) -> str:
    """``employees:read`` as "Pegawai (baca)" / "Employees (read)"."""
    resource, _sep, access = scope.partition(":")
    for key, label_id, label_en in RESOURCES:
        if key == resource:
            what = gettext("baca") if access == "read" else gettext("tulis")
            return f"{resource_label(label_id, label_en)} ({what})"
    return scope


@admin_required
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    tokens = list(
        ApiToken.objects.filter(instansi=request.user.instansi).select_related(
            "created_by", "revoked_by"
        )
    )
    for token in tokens:
        token.scope_labels = [scope_label(s) for s in token.scopes]  # type: ignore[attr-defined]
    return render(request, "api/token_list.html", {"tokens": tokens})


@never_cache
@admin_required
def token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                token, secret = actions.do_create_api_token(
                    instansi=request.user.instansi,  # type: ignore[arg-type]
                    name=form.cleaned_data["name"],
                    scopes=form.selected_scopes(),
                    expires_at=form.expires_at(),
                    actor=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    target = "expires_on" if field == "expires_at" else field
                    for error in errors:
                        form.add_error(target if target in form.fields else None, error)
            else:
                # The secret is rendered in this response only (never_cache: no-store); it is
                # never stored and never put in a redirect.
                return render(request, "api/token_created.html", {"token": token, "secret": secret})
    else:
        form = ApiTokenForm(initial={"expires_on": default_expiry()})
    return render(request, "api/token_form.html", {"form": form})


@require_POST
@admin_required
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, instansi=request.user.instansi)
    try:
        actions.do_revoke_api_token(token=token, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
    return redirect("api_tokens:list")
