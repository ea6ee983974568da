"""Home, health, the audit log and the cycle pages that later modules fill."""

from __future__ import annotations

import logging
from typing import cast

from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_http_methods

from kompeten.core import firstrun, scoping
from kompeten.core.forms import LoginForm
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import AuditLog, Instansi, Role, User
from kompeten.core.permissions import admin_required

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


@admin_required
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    instansi = scoping.tenant(request.user)  # an account without instansi: 403, explained
    qs = AuditLog.objects.filter(instansi=instansi).select_related("actor")
    for field in ("object_type", "object_id", "action"):
        value = request.GET.get(field, "").strip()
        if value:
            qs = qs.filter(**{field: value})
    actor = request.GET.get("actor", "").strip()
    if actor:
        qs = qs.filter(actor__username=actor)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for row in page:
        row.before_text = readable_change(row.before)  # type: ignore[attr-defined]
        row.after_text = readable_change(row.after)  # type: ignore[attr-defined]
    return render(request, "core/audit_log.html", {"page": page, "filters": request.GET})


def readable_change(value: object) -> str:
    """An audit row's stored state for a reader: ``field: value`` pairs with the field names
    and stored codes written as words, no Python ``None``/``True`` or braces."""
    if value is None or value in ("", "None", {}, []):
        return "—"
    if isinstance(value, bool) or value in ("True", "False"):
        return gettext("ya") if value in (True, "True") else gettext("tidak")
    if isinstance(value, dict):
        return "; ".join(
            f"{_words(str(key))}: {readable_change(item)}" for key, item in value.items()
        )
    if isinstance(value, list | tuple):
        return ", ".join(readable_change(item) for item in value)
    if isinstance(value, float):
        return number_format(value, use_l10n=True)
    return _words(str(value))


def _words(code: str) -> str:
    return code.replace("_", " ")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: the database answers and the worker has been seen recently."""
    checks: dict[str, str] = {}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        checks["database"] = "error"
        status = 503
    from kompeten.core.worker import worker_status

    checks["worker"] = worker_status()
    response = JsonResponse(
        {"status": "ok" if status == 200 else "error", "checks": checks}, status=status
    )
    if status == 503:
        from kompeten.core.outage import retry_after

        response["Retry-After"] = str(retry_after())
    return response


# --- first run, and the pages that explain a refusal ------------------------------------------

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


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Every 403 of the site (handler403): says why and what to do, in the user's language.

    A signed-in user without an instansi, or without a valid role, gets the page that says who
    must do what; everyone else gets the 403 page naming their role and their admins.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return render(request, "403.html", {"admins": []}, status=403)
    user = cast(User, user)
    admins = (
        list(
            User.objects.filter(instansi_id=user.instansi_id, role=Role.ADMIN, is_active=True)
            .exclude(pk=user.pk)
            .order_by("username")[:5]
        )
        if user.instansi_id is not None
        else []
    )
    no_instansi = user.instansi_id is None
    no_role = not user.is_superuser and user.role not in Role.values
    if no_instansi or no_role:
        context = {
            "no_instansi": no_instansi,
            "no_role": no_role,
            "admins": admins,
            "is_set_up": firstrun.is_set_up() if no_instansi else True,
            "roles": Role.labels,
        }
        return render(request, "core/no_role.html", context, status=403)
    return render(request, "403.html", {"admins": admins}, status=403)
