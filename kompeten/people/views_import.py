"""The employee import pages: upload → column mapping → preview → confirm.

The admin BKPSDM imports into the whole instansi; a pengelola OPD imports into their own OPD
subtree only: a row whose unit lies outside it, or whose NIP belongs to an employee stored outside
it, is rejected with the row and the unit named, and nothing is written.

The uploaded file stays on the server between steps, under MEDIA_ROOT/imports/ with a random
name recorded in the uploader's session (so it is bound to that user), and is deleted when the
import is written or cancelled. Files abandoned for more than a day are swept at the next upload.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import Role
from kompeten.core.permissions import role_required
from kompeten.people.forms import ImportMappingForm, ImportUploadForm
from kompeten.people.imports import (
    FIELD_BY_NAME,
    ImportFileError,
    ImportPlan,
    Table,
    check_file,
    detect_mapping,
    do_import_employees,
    plan_import,
    problem_report_xlsx,
    read_table,
    sheet_names,
)
from kompeten.people.models import EmployeeStatus, JabatanKind, Unit

SESSION_KEY = "employee_import"
MAX_AGE_SECONDS = 24 * 3600
PROBLEMS_SHOWN = 200
ACTION_LABELS = {
    "new": gettext_lazy("baru"),
    "changed": gettext_lazy("berubah"),
    "unchanged": gettext_lazy("tetap"),
    "rejected": gettext_lazy("ditolak"),
}


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep_old_files() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for stale in _import_dir().glob("*"):
        if stale.is_file() and stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)


def _discard(request: AuthenticatedHttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        (_import_dir() / pending["stored"]).unlink(missing_ok=True)


def _pending(request: AuthenticatedHttpRequest, token: str) -> dict[str, Any]:
    """The upload this user is working on, or 404 (another user's or a finished token)."""
    pending = request.session.get(SESSION_KEY)
    if (
        not pending
        or not secrets.compare_digest(str(pending.get("token", "")), token)
        or pending.get("user_id") != request.user.pk
        or not (_import_dir() / pending["stored"]).is_file()
    ):
        raise Http404(_("Unggahan tidak ditemukan atau sudah selesai; unggah berkas lagi."))
    return dict(pending)


# Admin BKPSDM (whole instansi) and pengelola OPD (their subtree, see `_import_scope`).
import_required = role_required(Role.PENGELOLA)


def _import_scope(request: AuthenticatedHttpRequest) -> Unit | None:
    """None for the admin (whole instansi); the managed unit for a pengelola OPD."""
    user = request.user
    if user.is_admin:
        return None
    if not user.is_pengelola or user.managed_unit is None:
        raise PermissionDenied
    return user.managed_unit


def _data(pending: dict[str, Any]) -> bytes:
    return (_import_dir() / pending["stored"]).read_bytes()


def _table(pending: dict[str, Any]) -> Table:
    return read_table(_data(pending), pending["name"], pending.get("sheet") or None)


@import_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    _import_scope(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        name = Path(upload.name).name
        try:
            ext = check_file(data, name)
            sheets = sheet_names(data, name)
            table = read_table(data, name, sheets[0] if sheets else None)
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            _discard(request)
            _sweep_old_files()
            token = secrets.token_urlsafe(24)
            stored = f"{token}{ext}"
            (_import_dir() / stored).write_bytes(data)
            request.session[SESSION_KEY] = {
                "token": token,
                "stored": stored,
                "name": name,
                "user_id": request.user.pk,
                "sheets": sheets,
                "sheet": sheets[0] if sheets else "",
                "mapping": detect_mapping(table.headers),
                "uploaded": timezone.now().isoformat(),
            }
            return redirect("people:import_mapping", token=token)
    scope = _import_scope(request)
    return render(request, "people/import_upload.html", {"form": form, "scope": scope})


@import_required
@require_http_methods(["GET", "POST"])
def import_mapping(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    _import_scope(request)
    pending = _pending(request, token)
    try:
        table = _table(pending)
    except ImportFileError as exc:
        _discard(request)
        messages.error(request, exc.message)
        return redirect("people:import_employees")
    kwargs = {
        "headers": table.headers,
        "initial_mapping": pending["mapping"],
        "sheets": pending.get("sheets", []),
        "sheet": pending.get("sheet", ""),
    }
    form = ImportMappingForm(request.POST or None, **kwargs)
    if request.method == "POST":
        chosen = request.POST.get("sheet")
        if chosen and chosen != pending.get("sheet") and chosen in pending.get("sheets", []):
            # Another sheet: read its headers and guess again before mapping.
            try:
                table = read_table(_data(pending), pending["name"], chosen)
            except ImportFileError as exc:
                messages.error(request, exc.message)
                return redirect("people:import_mapping", token=token)
            pending["sheet"] = chosen
            pending["mapping"] = detect_mapping(table.headers)
            request.session[SESSION_KEY] = pending
            return redirect("people:import_mapping", token=token)
        if form.is_valid():
            pending["mapping"] = ImportMappingForm.mapping_from(form.cleaned_data)
            request.session[SESSION_KEY] = pending
            return redirect("people:import_preview", token=token)
    context = {
        "form": form,
        "pending": pending,
        "token": token,
        "rows": len(table.rows),
        "sample": table.rows[:3],
        "headers": table.headers,
    }
    return render(request, "people/import_mapping.html", context)


def _plan(request: AuthenticatedHttpRequest, pending: dict[str, Any]) -> ImportPlan:
    if request.user.instansi is None:  # a superuser outside every instansi imports by CLI
        raise PermissionDenied
    scope = _import_scope(request)
    return plan_import(_table(pending), pending["mapping"], request.user.instansi, scope=scope)


def _preview_context(plan: ImportPlan, pending: dict[str, Any], token: str) -> dict[str, Any]:
    kinds = dict(JabatanKind.choices)
    statuses = dict(EmployeeStatus.choices)
    preview = []
    for row in plan.preview():
        v = row.values
        rank = v.get("golongan") or (f"PPPK {v['pppk_grade']}" if v.get("pppk_grade") else "")
        preview.append(
            {
                "row": row.row,
                "nip": row.nip,
                "name": _full_name(v),
                "sex": v["sex"],
                "birth_date": v["birth_date"],
                "status": statuses.get(v["status"], v["status"]),
                "rank": rank,
                "jabatan": f"{v['jabatan_name']} ({kinds.get(v['jabatan_kind'], v['jabatan_kind'])})",
                "education": v["education"],
                "unit": row.unit_label,
                "supervisor": row.supervisor_nip or "",
                "action": row.action,
                "action_label": ACTION_LABELS.get(row.action, row.action),
                "changed": ", ".join(
                    str(FIELD_BY_NAME[c].label) if c in FIELD_BY_NAME else _field_label(c)
                    for c in row.changed
                ),
            }
        )
    return {
        "plan": plan,
        "counts": plan.counts,
        "problems": plan.problems[:PROBLEMS_SHOWN],
        "more_problems": max(0, len(plan.problems) - PROBLEMS_SHOWN),
        "preview": preview,
        "pending": pending,
        "token": token,
    }


def _full_name(values: dict[str, Any]) -> str:
    """As Employee.full_name: "Dr. Nama, S.E."."""
    name = values["name"]
    if values.get("front_title"):
        name = f"{values['front_title']} {name}"
    if values.get("back_title"):
        name = f"{name}, {values['back_title']}"
    return str(name)


def _field_label(name: str) -> str:
    return {"unit_id": _("Unit kerja"), "supervisor_id": _("NIP atasan")}.get(name, name)


@import_required
def import_preview(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    pending = _pending(request, token)
    try:
        plan = _plan(request, pending)
    except ImportFileError as exc:
        messages.error(request, exc.message)
        return redirect("people:import_mapping", token=token)
    return render(request, "people/import_preview.html", _preview_context(plan, pending, token))


@import_required
@require_POST
def import_confirm(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    pending = _pending(request, token)
    try:
        with transaction.atomic():  # plan and write see the same database
            plan = _plan(request, pending)
            result = do_import_employees(plan, actor=request.user)
    except ImportFileError as exc:
        messages.error(request, exc.message)
        return redirect("people:import_mapping", token=token)
    if result.problems:
        context = _preview_context(plan, pending, token)
        context["refused"] = True
        return render(request, "people/import_preview.html", context, status=422)
    _discard(request)
    c = result.counts
    messages.success(
        request,
        _("Impor selesai: %(new)s baru, %(changed)s berubah, %(unchanged)s tetap.")
        % {"new": c["new"], "changed": c["changed"], "unchanged": c["unchanged"]},
    )
    return HttpResponseRedirect(reverse("people:employee_list"))


@import_required
def import_error_report(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    pending = _pending(request, token)
    try:
        plan = _plan(request, pending)
    except ImportFileError as exc:
        messages.error(request, exc.message)
        return redirect("people:import_mapping", token=token)
    stem = Path(pending["name"]).stem[:60]
    response = HttpResponse(
        problem_report_xlsx(plan.problems),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem)
    response["Content-Disposition"] = f'attachment; filename="masalah-impor-{safe}.xlsx"'
    return response


@import_required
@require_POST
def import_cancel(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    _import_scope(request)
    _pending(request, token)
    _discard(request)
    messages.info(request, _("Impor dibatalkan; berkas unggahan dihapus."))
    return redirect("people:import_employees")
