"""The generic import pages under /impor/: index → upload → mapping → preview → result, and
the pending rows. Every declaration gets them; each page checks the declaration's permission
and the user's instansi (deny by default)."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kompeten.core import tenancy
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.importing import engine, uploads
from kompeten.core.importing.declare import _REGISTRY, Declaration, allowed_keys, declarations
from kompeten.core.importing.forms import MappingForm, PendingEditForm, UploadForm
from kompeten.core.importing.reader import ReadError
from kompeten.core.models import ImportRun, PendingRow, Role
from kompeten.core.params import id_param, id_params
from kompeten.core.permissions import role_required

PROBLEMS_PER_PAGE = 50
# rows named beside a warning many rows share; the others are counted
WARNED_ROWS_SHOWN = 20
PENDING_PER_PAGE = 50

# The order in which a new instansi brings its data in (the first-run walk): people and units
# first, then the training and its results, then the public-service data. Other imports
# follow alphabetically.
SUGGESTED_ORDER = ("employees", "training", "scores", "reaction", "skm", "complaints")
# Options carried from one step of the walk to the next (e.g. the programme's code).
CARRIED_OPTIONS = ("programme",)


def _declaration(request: AuthenticatedHttpRequest, key: str) -> Declaration:
    declaration = _REGISTRY.get(key)
    if declaration is None:
        raise Http404
    tenancy.tenant(request.user)
    if not declaration.permission(request.user):
        raise PermissionDenied
    return declaration


def _options(
    request: AuthenticatedHttpRequest,
    declaration: Declaration,
    data: dict[str, Any] | None,
    initial: dict[str, Any] | None = None,
) -> Any:
    if declaration.options_form is None:
        return None
    form = declaration.options_form(
        data,
        prefix="opt",
        initial=initial,
        instansi=tenancy.tenant(request.user),
        user=request.user,
    )
    for field in form.fields.values():
        # a calendar instead of a text box whose date format the user has to guess
        if isinstance(field, forms.DateField) and isinstance(field.widget, forms.DateInput):
            field.widget.input_type = "date"
            field.widget.format = "%Y-%m-%d"
    return form


def _ordered(items: list[Declaration]) -> list[Declaration]:
    rank = {key: i for i, key in enumerate(SUGGESTED_ORDER)}
    return sorted(items, key=lambda d: (rank.get(d.key, len(rank)), str(d.label)))


@role_required(Role.PENGELOLA)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every import the user may run, in the suggested order, each with its last run and its
    open pending rows: what is done and what is left."""
    tenant_id = tenancy.tenant_id(request.user)
    allowed = _ordered([d for d in declarations() if d.permission(request.user)])
    keys = [d.key for d in allowed]
    per_kind = {
        r["declaration"]: r
        for r in ImportRun.objects.filter(instansi_id=tenant_id, declaration__in=keys)
        .values("declaration")
        .annotate(last=Max("id"), n=Count("id"))
    }
    last = {
        r.declaration: r
        for r in ImportRun.objects.filter(pk__in=[v["last"] for v in per_kind.values()])
    }
    open_rows = {
        r["run__declaration"]: r["n"]
        for r in PendingRow.objects.filter(
            run__instansi_id=tenant_id, run__declaration__in=keys, resolved_at__isnull=True
        )
        .values("run__declaration")
        .annotate(n=Count("id"))
    }
    rows = [
        {
            "declaration": d,
            "last": last.get(d.key),
            "runs": per_kind[d.key]["n"] if d.key in per_kind else 0,
            "pending": open_rows.get(d.key, 0),
            "step": SUGGESTED_ORDER.index(d.key) + 1 if d.key in SUGGESTED_ORDER else None,
        }
        for d in allowed
    ]
    return render(
        request,
        "core/importing/index.html",
        {"rows": rows, "pending": sum(open_rows.values())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    declaration = _declaration(request, key)
    form = UploadForm(request.POST or None, request.FILES or None)
    # a link from the previous step may pre-fill the options (?programme=CODE)
    initial = {k: v for k, v in request.GET.items() if k in CARRIED_OPTIONS}
    options = _options(request, declaration, request.POST or None, initial)
    if request.method == "POST" and form.is_valid() and (options is None or options.is_valid()):
        file = form.cleaned_data["file"]
        data = file.read()
        try:
            # the sheet named, or the one holding this import's table: later steps read only it
            table = engine.read_for(
                declaration,
                data,
                file.name,
                form.cleaned_data["sheet"] or None,
                tenancy.tenant(request.user),
            )
        except ReadError as exc:
            form.add_error("file", exc.message)
        else:
            option_data = {
                k: v for k, v in request.POST.items() if k.startswith("opt-") and options
            }
            token = uploads.store(
                data,
                {
                    "user_id": request.user.pk,
                    "key": key,
                    "filename": file.name,
                    "sheet": table.sheet or None,
                    # the other sheets with this table: the later steps read only the one
                    "alike": [list(a) for a in table.alike],
                    # the hidden ones: named on the preview, never offered
                    "hidden_alike": [list(a) for a in table.hidden_alike],
                    "options": option_data,
                    "mapping": None,
                },
            )
            return redirect("imports:mapping", key=key, token=token)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "core/importing/upload.html",
        {
            "declaration": declaration,
            "form": form,
            "options": options,
            # a browser never keeps a chosen file across a page load: say so
            "choose_again": request.method == "POST" and bool(request.FILES),
        },
        status=status,
    )


def _gone_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A token page whose upload no longer waits (the browser's Back after a commit or a
    cancel, a link kept for days) says so and leads to the imports, with status 404."""

    @functools.wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except uploads.UploadGone:
            return render(request, "core/importing/gone.html", status=404)

    return wrapped


def _plan(
    request: AuthenticatedHttpRequest, declaration: Declaration, token: str
) -> tuple[engine.Plan, dict[str, Any]]:
    data, meta = uploads.load(token, request.user.pk, declaration.key)
    options_form = _options(request, declaration, meta.get("options") or {})
    cleaned: dict[str, Any] = {}
    if options_form is not None:
        if not options_form.is_valid():
            raise Http404
        cleaned = dict(options_form.cleaned_data)
    try:
        the_plan = engine.plan(
            declaration,
            data,
            meta["filename"],
            instansi=tenancy.tenant(request.user),
            user=request.user,
            options=cleaned,
            mapping=meta.get("mapping") or None,
            sheet=meta.get("sheet"),
            alike=meta.get("alike") or (),
            hidden_alike=meta.get("hidden_alike") or (),
        )
    except ReadError:
        raise Http404 from None
    return the_plan, meta


@login_required
@require_http_methods(["GET", "POST"])
@_gone_page
def mapping(request: AuthenticatedHttpRequest, key: str, token: str) -> HttpResponse:
    declaration = _declaration(request, key)
    the_plan, meta = _plan(request, declaration, token)
    form = MappingForm(
        request.POST or None,
        declaration=declaration,
        headers=the_plan.headers,
        initial_mapping=the_plan.mapping,
    )
    if request.method == "POST" and form.is_valid():
        meta["mapping"] = form.mapping()
        uploads.update(token, meta)
        return redirect("imports:preview", key=key, token=token)
    return render(
        request,
        "core/importing/mapping.html",
        {"declaration": declaration, "plan": the_plan, "form": form, "token": token},
    )


@login_required
@_gone_page
def preview(request: AuthenticatedHttpRequest, key: str, token: str) -> HttpResponse:
    declaration = _declaration(request, key)
    the_plan, _meta = _plan(request, declaration, token)
    problems = Paginator(the_plan.problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    pending = [r for r in the_plan.rows if r.pending_reason and not r.problems]
    # the same reason for many rows (e.g. one unit missing from the tree) is said once
    reasons = Counter(r.pending_message for r in pending).most_common()
    # a warning shared by many rows (e.g. answers already stored) is said once, with its rows
    warned: dict[str, list[int]] = {}
    for number, warning in the_plan.warnings:
        warned.setdefault(warning, []).append(number)
    lookups = the_plan.ctx.lookups if the_plan.ctx is not None else {}
    return render(
        request,
        "core/importing/preview.html",
        {
            "declaration": declaration,
            "plan": the_plan,
            "token": token,
            "counts": the_plan.counts,
            "problems": problems,
            "warnings": [
                (message, rows[:WARNED_ROWS_SHOWN], len(rows) - WARNED_ROWS_SHOWN)
                for message, rows in warned.items()
            ],
            "pending": pending[:PROBLEMS_PER_PAGE],
            "more_pending": max(0, len(pending) - PROBLEMS_PER_PAGE),
            "pending_reasons": reasons if len(reasons) < len(pending) else [],
            "units_to_create": lookups.get("units_to_create") or [],
        },
    )


@login_required
@_gone_page
def problems_xlsx(request: AuthenticatedHttpRequest, key: str, token: str) -> HttpResponse:
    declaration = _declaration(request, key)
    the_plan, _meta = _plan(request, declaration, token)
    response = HttpResponse(
        engine.problem_workbook(the_plan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="masalah-{key}.xlsx"'
    return response


@login_required
@require_POST
@_gone_page
def commit(request: AuthenticatedHttpRequest, key: str, token: str) -> HttpResponse:
    declaration = _declaration(request, key)
    the_plan, meta = _plan(request, declaration, token)
    partial = request.POST.get("partial") == "1"
    if not uploads.claim(token):  # another request is committing this file, or has
        raise uploads.UploadGone
    committed = False
    try:
        outcome = engine.commit(the_plan, partial=partial)
        committed = True
    except engine.PlanNotClean:
        messages.error(request, _("Berkas masih bermasalah: tidak ada yang disimpan."))
        return redirect("imports:preview", key=key, token=token)
    except ValidationError as exc:
        for message in exc.messages[:20]:
            messages.error(request, message)
        return redirect("imports:preview", key=key, token=token)
    finally:
        if not committed:  # nothing was written (refused or crashed): the file stays to commit
            uploads.release(token)
    following = _carry_next_sheet(token, meta, outcome.run.pk)
    uploads.discard(token)
    if outcome.resolved:
        messages.success(
            request,
            _("{n} baris tertunda dari impor sebelumnya kini tersimpan.").format(
                n=outcome.resolved
            ),
        )
    url = reverse("imports:result", args=[outcome.run.pk])
    return redirect(f"{url}?{urlencode({'lembar': following})}" if following else url)


def _carry_next_sheet(token: str, meta: dict[str, Any], run_pk: int) -> str:
    """The token of the workbook's next sheet with the same table (one OPD or one semester a
    sheet), kept with this import's options and confirmed mapping once ``token``'s sheet is
    committed; "" when no other sheet has it."""
    alike = meta.get("alike") or []
    if not alike:
        return ""
    (sheet, rows), rest = alike[0], alike[1:]
    # the hidden sheets were said on the first sheet's preview: not again on every next one
    kept = {"sheet": sheet, "sheet_rows": rows, "alike": rest, "hidden_alike": []}
    return uploads.carry(token, {**meta, **kept, "after_run": run_pk})


def _next_sheet_of(request: AuthenticatedHttpRequest, run: ImportRun) -> dict[str, Any] | None:
    """The next sheet the commit of ``run`` kept (``?lembar=TOKEN``), while it still waits."""
    token = request.GET.get("lembar") or ""
    if not token:
        return None
    try:
        meta = uploads.meta(token, request.user.pk, run.declaration)
    except uploads.UploadGone:
        return None  # imported or skipped since, or swept
    if meta.get("after_run") != run.pk:
        return None
    return {"token": token, "sheet": meta["sheet"], "rows": meta.get("sheet_rows"),
            "more": len(meta.get("alike") or [])}  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
@_gone_page
def next_sheet(request: AuthenticatedHttpRequest, key: str, token: str) -> HttpResponse:
    """A sheet kept after the commit of the one before it: its options checked (the same as
    before, or changed: another OPD's service unit), then its preview; or skipped."""
    declaration = _declaration(request, key)
    meta = uploads.meta(token, request.user.pk, key)
    if not meta.get("after_run"):
        raise uploads.UploadGone  # a first upload goes through the mapping page
    if request.method == "POST" and request.POST.get("skip") == "1":
        following = _carry_next_sheet(token, meta, meta["after_run"])
        uploads.discard(token)
        if following:
            return redirect("imports:next_sheet", key=key, token=following)
        return redirect("imports:result", pk=meta["after_run"])
    posted = request.method == "POST"
    # the options as sent, or on arrival the sheet before's (shown bound: a problem is said)
    options = _options(request, declaration, request.POST if posted else meta.get("options"))
    if posted and (options is None or options.is_valid()):
        meta["options"] = {k: v for k, v in request.POST.items() if k.startswith("opt-")}
        uploads.update(token, meta)
        return redirect("imports:preview", key=key, token=token)
    return render(
        request,
        "core/importing/next_sheet.html",
        {
            "declaration": declaration,
            "token": token,
            "sheet": meta["sheet"],
            "rows": meta.get("sheet_rows"),
            "filename": meta["filename"],
            "more": len(meta.get("alike") or []),
            "options": options,
        },
        status=400 if posted else 200,
    )


@login_required
@require_POST
@_gone_page
def cancel(request: AuthenticatedHttpRequest, key: str, token: str) -> HttpResponse:
    _declaration(request, key)
    uploads.load(token, request.user.pk, key)
    uploads.discard(token)
    return redirect("imports:index")


def _run_for_user(request: AuthenticatedHttpRequest, pk: int) -> ImportRun:
    run = ImportRun.objects.filter(
        pk=pk,
        instansi_id=tenancy.tenant_id(request.user),
        declaration__in=allowed_keys(request.user),
    ).first()
    if run is None:
        raise Http404
    return run


@login_required
def result(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = _run_for_user(request, pk)
    declaration = _REGISTRY[run.declaration]
    written = {
        declaration.count_label(k[len("written_") :]): v
        for k, v in run.counts.items()
        if k.startswith("written_")
    }
    # rows kept pending may have been completed since (by this very commit or a later file),
    # or replaced by a later file's row for the same record
    left = run.pending_rows.aggregate(
        still=Count("pk", filter=Q(resolved_at__isnull=True)),
        replaced=Count("pk", filter=Q(reason=engine.REPLACED)),
    )
    still_pending, replaced_since = left["still"], left["replaced"]
    return render(
        request,
        "core/importing/result.html",
        {
            "run": run,
            "declaration": declaration,
            "written": written,
            "still_pending": still_pending,
            "completed_since": max(
                0, int(run.counts.get("pending") or 0) - still_pending - replaced_since
            ),
            "replaced_since": replaced_since,
            "already_pending": int(run.counts.get("already_pending") or 0),
            "replaced_pending": int(run.counts.get("replaced_pending") or 0),
            "next_step": _next_step(request, run),
            "next_sheet": _next_sheet_of(request, run),
            "report_ready": run.declaration in SUGGESTED_ORDER[2:],
            "report_url": _report_url(run) if run.declaration in SUGGESTED_ORDER[2:] else "",
        },
    )


def _report_url(run: ImportRun) -> str:
    """The programme's own report when the programme is known (this import's ``programme``
    option, else the latest import of the instansi that named one), else the report index."""
    code = run.options.get("programme")
    if not isinstance(code, str) or not code.strip():
        latest = (
            ImportRun.objects.filter(instansi_id=run.instansi_id, options__has_key="programme")
            .values_list("options", flat=True)
            .first()
        )
        code = (latest or {}).get("programme")
    if isinstance(code, str) and code.strip() and "/" not in code:
        return reverse("reports:programme_by_code", args=[code.strip()])
    return reverse("cycle_laporan")


def _next_step(request: AuthenticatedHttpRequest, run: ImportRun) -> dict[str, Any] | None:
    """The import that follows ``run``'s in the suggested order, with the options to carry."""
    if run.declaration not in SUGGESTED_ORDER:
        return None
    allowed = set(allowed_keys(request.user))
    following = SUGGESTED_ORDER[SUGGESTED_ORDER.index(run.declaration) + 1 :]
    key = next((k for k in following if k in allowed), None)
    if key is None:
        return None
    declaration = _REGISTRY[key]
    carried = {
        name: run.options[name]
        for name in CARRIED_OPTIONS
        if isinstance(run.options.get(name), str)
        and declaration.options_form is not None
        and name in declaration.options_form.base_fields
    }
    url = reverse("imports:upload", args=[key])
    if carried:
        url += "?" + urlencode(carried)
    return {"declaration": declaration, "url": url, "carried": carried}


def _pending_qs(request: AuthenticatedHttpRequest) -> Any:
    keys = allowed_keys(request.user)
    return PendingRow.objects.filter(
        run__instansi_id=tenancy.tenant_id(request.user),
        run__declaration__in=keys,
        resolved_at__isnull=True,
    ).select_related("run")


def _narrowed(qs: Any, params: QueryDict) -> tuple[Any, str, str]:
    """The pending rows of the run (``run``) and of the import (``key``) the page's filter or
    the retry form names, with the two values as given."""
    run_id = params.get("run", "")
    if (run := id_param(run_id)) is not None:
        qs = qs.filter(run_id=run)
    key = params.get("key", "")
    if key:
        qs = qs.filter(run__declaration=key)
    return qs, run_id, key


@role_required(Role.PENGELOLA)
def pending_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs, run_id, key = _narrowed(_pending_qs(request), request.GET)
    page = Paginator(qs.order_by("-run_id", "row_number"), PENDING_PER_PAGE).get_page(
        request.GET.get("page")
    )
    labels = {d.key: d.label for d in declarations()}
    for row in page:
        row.label = labels.get(row.run.declaration, row.run.declaration)
    runs = list(
        ImportRun.objects.filter(
            instansi_id=tenancy.tenant_id(request.user),
            declaration__in=allowed_keys(request.user),
            pending_rows__resolved_at__isnull=True,
        ).distinct()
    )
    kinds = sorted({(r.declaration, str(labels.get(r.declaration, r.declaration))) for r in runs})
    return render(
        request,
        "core/importing/pending.html",
        {
            "page": page,
            "labels": labels,
            "runs": runs,
            "kinds": kinds,
            "run_id": run_id,
            "key": key,
            "reasons": _pending_reasons(qs),
            # the page's own roles (pengelola, admin) are those that may add a unit
            "may_create_units": request.user.is_admin or request.user.is_pengelola,
        },
    )


PENDING_REASONS_SHOWN = 10
# Reasons whose message names the missing thing (a unit, a parent unit, a competency): their rows
# are counted per message. Any other reason's messages differ row by row (a NIP, a name), so its
# rows are counted together under one description.
PER_MISSING_THING = ("unit_unknown", "parent_unknown", "competency_unknown")
REASON_LABELS = {
    "nip_damaged": gettext_lazy(
        "NIP rusak oleh Excel (hanya 15 digit pertama tersisa): selesai sendiri bila berkas lain "
        "memuat NIP lengkapnya di samping nama yang sama, atau perbaiki NIP-nya."
    ),
    "person_unknown": gettext_lazy(
        "Pegawai tidak ditemukan menurut NIP atau namanya: selesai sendiri setelah pegawainya "
        "diimpor."
    ),
    "supervisor_pending": gettext_lazy(
        "Atasan langsung belum terdaftar: selesai sendiri setelah atasannya diimpor."
    ),
    "name_ambiguous": gettext_lazy(
        "Nama dimiliki lebih dari satu pegawai atau peserta dan NIP-nya tidak cocok: perbaiki "
        "NIP-nya."
    ),
}
# a reason whose rows each say something else (a value refused in one column or another): the
# group is named as such, never by one row's message over all its rows
OTHER_REASONS = gettext_lazy(
    "Isi baris ditolak (nilai yang tidak dapat dibaca atau tidak sah): keterangan tiap baris "
    "ada di tabel; perbaiki satu per satu."
)


def _pending_reasons(qs: Any) -> list[dict[str, Any]]:
    """The most frequent reasons rows wait for, with how many rows each: most often the few
    units a file names that are not in the OPD tree yet, each offered for creation by name.
    Three queries whatever the number of rows."""
    qs = qs.order_by()
    groups = list(
        qs.filter(reason__in=PER_MISSING_THING)
        .values("reason", "message")
        .annotate(n=Count("id"), first=Min("id"))
    )
    for group in (
        qs.exclude(reason__in=PER_MISSING_THING)
        .values("reason")
        .annotate(n=Count("id"), first=Min("id"), sample=Min("message"))
    ):
        group["message"] = str(
            REASON_LABELS.get(
                group["reason"], group["sample"] if group["n"] == 1 else OTHER_REASONS
            )
        )
        groups.append(group)
    groups.sort(key=lambda g: (-g["n"], g["message"]))
    groups = groups[:PENDING_REASONS_SHOWN]
    if len(groups) < 2 and not any(g["n"] > 1 for g in groups):
        return []  # a single row says it all in the table
    firsts = {g["first"] for g in groups if g["reason"] == "unit_unknown"}
    units = {
        pk: _cell_of_field(cells, mapping, "unit")
        for pk, cells, mapping in PendingRow.objects.filter(pk__in=firsts).values_list(
            "id", "values", "run__mapping"
        )
    }
    for group in groups:
        group["unit_name"] = units.get(group["first"], "")
    return groups


def _cell_of_field(cells: Any, mapping: Any, name: str) -> str:
    """The text a kept row has in the column its run mapped to field ``name`` ("" if none)."""
    header = next((h for h, f in (mapping or {}).items() if f == name), None)
    value = (cells or {}).get(header) if header is not None else None
    return " ".join(value.split()) if isinstance(value, str) else ""


@role_required(Role.PENGELOLA)
@require_POST
def pending_retry(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = _pending_qs(request)
    ids = id_params(request.POST.getlist("ids"))
    if ids:
        qs = qs.filter(pk__in=ids)
    qs, _run_id, _key = _narrowed(qs, request.POST)
    chosen = list(qs.values_list("pk", flat=True))
    done = engine.retry_pending(tenancy.tenant(request.user), request.user, ids=chosen)
    messages.success(
        request,
        _("{done} dari {n} baris tertunda kini tersimpan.").format(done=done, n=len(chosen)),
    )
    return redirect("imports:pending")


@role_required(Role.PENGELOLA)
@require_http_methods(["GET", "POST"])
def pending_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pending = _pending_qs(request).filter(pk=pk).first()
    if pending is None:
        raise Http404
    mapped = {h for h, f in pending.run.mapping.items() if f}
    order = pending.run.headers or list(pending.run.mapping)
    headers = [h for h in order if h in mapped] or list(pending.values)
    form = PendingEditForm(request.POST or None, values=pending.values, headers=headers)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            engine.update_pending_values(pending, {**pending.values, **form.values()})
        done = engine.retry_pending(tenancy.tenant(request.user), request.user, ids=[pending.pk])
        if done:
            messages.success(request, _("Baris tersimpan."))
            return redirect("imports:pending")
        pending.refresh_from_db()
        messages.error(request, _("Baris masih belum dapat disimpan."))
    the_problems = _problems_of(pending)
    return render(
        request,
        "core/importing/pending_edit.html",
        {"pending": pending, "form": form, "problems": the_problems},
    )


def _problems_of(pending: PendingRow) -> list[str]:
    """The row's problems with today's data (re-checked, nothing written)."""
    from kompeten.core.importing.declare import Context, Row

    declaration = _REGISTRY.get(pending.run.declaration)
    if declaration is None:
        return []
    options = engine.declaration_options(
        declaration, pending.run.options, pending.run.instansi, None
    )
    if options is None:
        return [_("Pilihan impor ini tidak lagi berlaku.")]
    source = next((s for s in declaration.sources if s.key == pending.run.source), None)
    ctx = Context(
        instansi=pending.run.instansi,
        user=None,
        options=options,
        source=source,
        declaration=declaration,
    )
    columns: dict[str, list[str]] = {}
    for header, name in pending.run.mapping.items():
        if name:
            columns.setdefault(name, []).append(header)
    row = Row(number=pending.row_number, cells=dict(pending.values))
    engine.evaluate([row], columns, declaration, ctx)
    out = [engine.describe_problem(p) for p in row.problems]
    if row.pending_reason:
        out.append(row.pending_message)
    return out
