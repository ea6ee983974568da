"""The OPD tree: browse it, and create, rename, move, close and reopen units.

Browsing is scoped by `kompeten.people.scoping`; changing by `kompeten.people.unit_access`
(admin: the whole instansi; pengelola OPD: inside its own subtree). Every write is an action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.core.formviews import attach_errors
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.people import actions, scoping, unit_access
from kompeten.people.forms_units import UnitEditForm, UnitForm, UnitMoveForm
from kompeten.people.models import Unit
from kompeten.people.unit_tree import suggested_unit


@login_required
def unit_tree(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = list(
        scoping.units_for(request.user)
        .annotate(n_active=Count("employees", filter=Q(employees__is_active=True)))
        .order_by("path")
    )
    # Sum each unit's subtree in one pass over the path-ordered list (no query per unit).
    totals: dict[str, int] = {}
    for unit in units:
        totals[unit.path] = unit.n_active
    for unit in units:
        parts = unit.path.rstrip("/").split("/")
        for i in range(1, len(parts)):
            ancestor = "/".join(parts[:i]) + "/"
            if ancestor in totals:
                totals[ancestor] += unit.n_active
    min_depth = min((u.depth for u in units), default=0)
    rows = [{"unit": u, "indent": u.depth - min_depth, "subtree": totals[u.path]} for u in units]
    return render(
        request,
        "people/unit_tree.html",
        {"rows": rows, "can_create": unit_access.can_write_units(request.user)},
    )


@login_required
def unit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = scoping.get_unit_for_user(request.user, pk)
    children = Unit.objects.filter(parent=unit).order_by("name")
    employees = (
        scoping.employees_for(request.user).filter(unit=unit, is_active=True).order_by("name")[:200]
    )
    can_edit = unit_access.writable_units(request.user).filter(pk=unit.pk).exists()
    can_restructure = can_edit and not unit_access.is_own_root(request.user, unit)
    return render(
        request,
        "people/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "employees": employees,
            "can_edit": can_edit,
            "can_restructure": can_restructure,
        },
    )


def _unit_saved(
    request: AuthenticatedHttpRequest, form: forms.BaseForm, save: Callable[[], Unit], done: str
) -> HttpResponse | None:
    """A posted unit form: when valid, its action `save`; on success `done` flashed (naming the
    unit) and the unit's page, on refusal the messages on the form. None: show the form again."""
    if not form.is_valid():
        return None
    try:
        unit = save()
    except ValidationError as exc:
        attach_errors(form, exc)
        return None
    messages.success(request, done.format(name=unit.name))
    return redirect(unit)


def _retry_rows_waiting_for_a_unit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """After a unit made from the pending rows' page: those rows waiting for a unit are tried
    again at once, and the user is back on that page with how many completed."""
    from kompeten.core.importing import engine
    from kompeten.core.importing.declare import allowed_keys
    from kompeten.core.models import PendingRow

    instansi = scoping.tenant(request.user)
    waiting = PendingRow.objects.filter(
        run__instansi=instansi,
        run__declaration__in=allowed_keys(request.user),  # as the pending page lists
        reason="unit_unknown",
        resolved_at__isnull=True,
    ).values_list("pk", flat=True)
    done = engine.retry_pending(instansi, request.user, ids=list(waiting))
    messages.success(request, _("{n} baris tertunda selesai dengan unit baru ini.").format(n=done))
    return redirect("imports:pending")


@login_required
def unit_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not unit_access.can_write_units(user):
        raise PermissionDenied
    kwargs: dict[str, Any] = {
        "parents": unit_access.parent_choices(user),
        "allow_top": unit_access.may_use_top_level(user),
    }
    if request.method == "POST":
        form = UnitForm(request.POST, **kwargs)

        def create() -> Unit:
            unit_access.check_parent_allowed(user, form.cleaned_data["parent"])
            return actions.do_create_unit(
                instansi=scoping.tenant(user), actor=user, **form.cleaned_data
            )

        done = _unit_saved(request, form, create, _("Unit {name} dibuat."))
        if done is not None and request.GET.get("dari") == "tertunda":
            return _retry_rows_waiting_for_a_unit(request)
        if done is not None:
            return done
    else:
        initial: dict[str, Any] = {}
        parent_id = request.GET.get("parent", "")
        if parent_id.isascii() and parent_id.isdigit():
            initial["parent"] = int(parent_id)
        # the name a pending import row is waiting for ("Tambah unit ini" on /impor/tertunda/)
        if name := " ".join(request.GET.get("nama", "").split())[:200]:
            initial.update(suggested_unit(name, scoping.tenant(user)))
        form = UnitForm(initial=initial, **kwargs)
    return render(
        request, "people/unit_form.html", {"form": form, "title": _("Tambah unit"), "unit": None}
    )


@login_required
def unit_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = unit_access.get_unit_for_writing(request.user, pk)
    if request.method == "POST":
        form = UnitEditForm(request.POST)
        done = _unit_saved(
            request,
            form,
            lambda: actions.do_rename_unit(unit=unit, actor=request.user, **form.cleaned_data),
            _("Unit {name} disimpan."),
        )
        if done is not None:
            return done
    else:
        form = UnitEditForm(
            initial={
                "name": unit.name,
                "short_name": unit.short_name,
                "code": unit.code,
                "kind": unit.kind,
            }
        )
    return render(
        request, "people/unit_form.html", {"form": form, "title": _("Ubah unit"), "unit": unit}
    )


@login_required
def unit_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    unit = unit_access.get_unit_for_writing(user, pk)
    if unit_access.is_own_root(user, unit):
        raise PermissionDenied
    kwargs: dict[str, Any] = {
        "parents": unit_access.parent_choices(user, moving=unit),
        "allow_top": unit_access.may_use_top_level(user),
    }
    if request.method == "POST":
        form = UnitMoveForm(request.POST, **kwargs)

        def move() -> Unit:
            parent = form.cleaned_data["parent"]
            unit_access.check_parent_allowed(user, parent)
            return actions.do_move_unit(unit=unit, parent=parent, actor=user)

        done = _unit_saved(request, form, move, _("Unit {name} dipindahkan."))
        if done is not None:
            return done
    else:
        form = UnitMoveForm(initial={"parent": unit.parent_id}, **kwargs)
    return render(
        request,
        "people/unit_form.html",
        {"form": form, "title": _("Pindahkan unit"), "unit": unit, "moving": True},
    )


def _close_or_reopen(request: AuthenticatedHttpRequest, pk: int, *, close: bool) -> HttpResponse:
    user = request.user
    unit = unit_access.get_unit_for_writing(user, pk)
    if unit_access.is_own_root(user, unit):
        raise PermissionDenied
    try:
        if close:
            actions.do_close_unit(unit=unit, actor=user)
        else:
            actions.do_reopen_unit(unit=unit, actor=user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        done = _("Unit {name} ditutup.") if close else _("Unit {name} dibuka kembali.")
        messages.success(request, done.format(name=unit.name))
    return redirect(unit)


@require_POST
@login_required
def unit_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _close_or_reopen(request, pk, close=True)


@require_POST
@login_required
def unit_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _close_or_reopen(request, pk, close=False)
