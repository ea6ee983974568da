"""Health, the audit log and the 403 page: the pages that need nothing but tenancy."""

from __future__ import annotations

import logging
from typing import Any, cast

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from kompeten.core import formatting, tenancy
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import AuditLog, Role, User
from kompeten.core.permissions import admin_required

logger = logging.getLogger(__name__)


@admin_required
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    instansi = tenancy.tenant(request.user)  # an account without instansi: 403, explained
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
        model = _model_of(row.object_type)
        row.before_text = readable_change(row.before, model)  # type: ignore[attr-defined]
        row.after_text = readable_change(row.after, model)  # type: ignore[attr-defined]
    return render(request, "core/audit_log.html", {"page": page, "filters": request.GET})


def _model_of(object_type: str) -> type[Model] | None:
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except (LookupError, ValueError):
        return None


def _field(model: type[Model] | None, key: str) -> Any:
    """The model's field stored under ``key`` (``unit_id`` is the field ``unit``), or None."""
    if model is not None:
        for name in (key, key.removesuffix("_id")):
            try:
                return model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
    return None


def _choice_label(model: type[Model] | None, key: str, item: object) -> str:
    """A stored value in words: a choice field's code as its label in the reader's language
    ("di_atas" → "Di Atas Ekspektasi"), anything else as :func:`readable_change` writes it."""
    choices = dict(getattr(_field(model, key), "flatchoices", None) or ())
    if isinstance(item, str) and item in choices:
        return str(choices[item])
    return readable_change(item)


def _field_label(model: type[Model] | None, key: str) -> str:
    """The model field's own label (``tahun``, ``nilai``) for a stored key, in the reader's
    language; the key in words when the model has no such field."""
    label = getattr(_field(model, key), "verbose_name", None)
    return str(label) if label else _words(key)


def readable_change(value: object, model: type[Model] | None = None) -> str:
    """An audit row's stored state for a reader: ``field: value`` pairs with the fields' own
    labels and stored codes written as words, no Python ``None``/``True`` or braces."""
    if value is None or value in ("", "None", {}, []):
        return "—"
    if isinstance(value, bool) or value in ("True", "False"):
        return gettext("ya") if value in (True, "True") else gettext("tidak")
    if isinstance(value, dict):
        return "; ".join(
            f"{_field_label(model, str(key))}: {_choice_label(model, str(key), item)}"
            for key, item in value.items()
        )
    if isinstance(value, list | tuple):
        return ", ".join(readable_change(item) for item in value)
    if isinstance(value, float):
        return formatting.number(value, None)
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
            "is_set_up": tenancy.is_set_up() if no_instansi else True,
            "roles": Role.labels,
        }
        return render(request, "core/no_role.html", context, status=403)
    return render(request, "403.html", {"admins": admins}, status=403)
