"""The start page, the login page and the first run: the pages that need the organisation
(units and employees) to say anything."""

from __future__ import annotations

import logging
from typing import cast

from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kompeten.core.forms import LoginForm
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import Instansi, User
from kompeten.core.permissions import admin_required
from kompeten.people import firstrun, scoping

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """The start page; the first-run page while no instansi exists."""
    if not request.user.is_authenticated:
        if not firstrun.is_set_up():
            return redirect("firstrun")
        return redirect_to_login(request.get_full_path())
    user = cast(User, request.user)
    if user.instansi_id is None:
        raise PermissionDenied  # permission_denied() explains what to do
    employees = scoping.employees_for(user)
    context = {
        "employee_count": employees.filter(is_active=True).count(),
        "unit_count": scoping.units_for(user).count(),
        "is_atasan": scoping.is_atasan(user),
        "me": user.employee,
    }
    return render(request, "core/home.html", context)


_login_view = auth_views.LoginView.as_view(
    template_name="registration/login.html", authentication_form=LoginForm
)


def login(request: HttpRequest) -> HttpResponseBase:
    """The login page; on an install without any instansi, the first-run page instead."""
    if request.method == "GET" and not firstrun.is_set_up():
        return redirect("firstrun")
    return _login_view(request)


@never_cache
@require_http_methods(["GET", "POST"])
def firstrun_page(request: HttpRequest) -> HttpResponse:
    """Create the instansi and its first admin; only while no instansi exists (else 404)."""
    if firstrun.is_set_up():
        raise Http404
    try:
        return _firstrun_form(request)
    except firstrun.TokenStoreError as exc:
        logger.error("First-run token cannot be kept: %s", exc)
        return render(request, "core/firstrun.html", {"store_error": str(exc)}, status=503)


def _firstrun_form(request: HttpRequest) -> HttpResponse:
    base_url = request.build_absolute_uri("/").rstrip("/")
    issued = firstrun.ensure_token(base_url=base_url)
    if request.method == "POST":
        form = firstrun.FirstRunForm(request.POST)
        if form.is_valid():
            if not firstrun.check_token(form.cleaned_data["token"]):
                # a spent, expired or exhausted token: print a new one
                firstrun.ensure_token(base_url=base_url)
                form.add_error(
                    "token",
                    gettext(
                        "Token salah atau sudah kedaluwarsa. Salin token terbaru dari konsol"
                        " server (atau log-nya)."
                    ),
                )
            else:
                try:
                    _instansi, admin = firstrun.do_first_setup(form.setup_input(), first_run=True)
                except ValidationError as exc:
                    form.add_setup_errors(exc.message_dict)
                else:
                    firstrun.consume_token()
                    auth_login(
                        request, admin, backend="kompeten.core.auth_backends.NipOrUsernameBackend"
                    )
                    return redirect("firstrun_next")
    else:
        form = firstrun.FirstRunForm(
            initial={
                "token": request.GET.get("token", ""),
                "kind": Instansi.Kind.KOTA,
                "admin_username": "admin",
            }
        )
    context = {"form": form, "issued": issued, "ttl_minutes": firstrun.TOKEN_TTL // 60}
    return render(request, "core/firstrun.html", context)


@admin_required
def firstrun_next(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What to do after the first run: the order of the imports, with links."""
    instansi = scoping.tenant(request.user)
    context = {
        "instansi": instansi,
        "unit_count": scoping.units_for(request.user).count(),
        "employee_count": scoping.employees_for(request.user).count(),
    }
    return render(request, "core/firstrun_next.html", context)
