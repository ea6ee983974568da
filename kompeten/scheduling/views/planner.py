"""The planner from the UI: runs, a new run, a run's result, apply, re-plan."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import Role
from kompeten.core.permissions import admin_required, role_required
from kompeten.learning.models import Batch, BatchStatus
from kompeten.people import scoping
from kompeten.people.models import Employee
from kompeten.scheduling import queries
from kompeten.scheduling.actions.planning import do_apply_plan, do_start_plan_run, summary_counts
from kompeten.scheduling.forms import PlanForm
from kompeten.scheduling.models import PlanStatus
from kompeten.scheduling.preview import plan_preview, solver_status_label
from kompeten.scheduling.reasons import localise_plan_rows, skipped_text


@role_required(Role.PIMPINAN)
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = queries.plan_runs_for(request.user).select_related("created_by")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "scheduling/plan_list.html", {"page": page})


@admin_required
def plan_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    batches = (
        Batch.objects.filter(
            programme__instansi_id=scoping.tenant_id(request.user),
            end_date__gte=timezone.localdate(),
        )
        .exclude(status__in=[BatchStatus.CANCELLED, BatchStatus.DONE])
        .select_related("programme")
        .order_by("programme__title", "start_date")
    )
    form = PlanForm(request.POST or None, batches=batches)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            run = do_start_plan_run(
                instansi_id=scoping.tenant_id(request.user),
                batch_ids=[b.pk for b in d["batches"]],
                actor=request.user,
                title=d["title"],
                time_limit=d["time_limit"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if run.status == PlanStatus.QUEUED:
                messages.info(
                    request,
                    gettext(
                        "Perencanaan berjalan di latar belakang; halaman ini diperbarui otomatis."
                    ),
                )
            return redirect(run)
    return render(
        request, "scheduling/plan_new.html", {"form": form}, status=400 if form.errors else 200
    )


@role_required(Role.PIMPINAN)
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = queries.get_plan_run_for_user(request.user, pk)
    plan = run.plan or {}
    nips = {u["nip"] for u in plan.get("unassigned", [])[:300]} | {
        a["nip"] for a in plan.get("assignments", [])[:300]
    }
    names = dict(
        Employee.objects.filter(instansi_id=run.instansi_id, nip__in=nips).values_list(
            "nip", "name"
        )
    )
    batches = {
        str(b.pk): b for b in Batch.objects.filter(pk__in=run.batch_ids).select_related("programme")
    }
    unassigned, infeasible = localise_plan_rows(
        [{**u, "name": names.get(u["nip"], u["nip"])} for u in plan.get("unassigned", [])[:300]],
        plan.get("infeasible_rules", []),
    )
    skipped = [{**s, "text": skipped_text(s)} for s in run.skipped or []]
    load: dict[str, int] = {}
    for a in plan.get("assignments", []):
        load[a["batch"]] = load.get(a["batch"], 0) + 1
    batch_rows = [{"batch": b, "assigned": load.get(key, 0)} for key, b in batches.items()]
    return render(
        request,
        "scheduling/plan_detail.html",
        {
            "run": run,
            "plan": plan,
            "counts": summary_counts(run),
            "unassigned": unassigned,
            "batch_rows": batch_rows,
            "infeasible": infeasible,
            "skipped": skipped,
            "violations": plan.get("violations", []),
            "refresh": run.status in (PlanStatus.QUEUED, PlanStatus.RUNNING),
            "solver_status": solver_status_label(run.solver_status),
        },
    )


@admin_required
def plan_preview_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Before applying: who is invited to which batch, who moves, who is cancelled, and why."""
    run = queries.get_plan_run_for_user(request.user, pk)
    preview = plan_preview(run) if run.plan else None
    page = Paginator(preview.rows if preview else [], 100).get_page(request.GET.get("page"))
    return render(
        request,
        "scheduling/plan_preview.html",
        {
            "run": run,
            "preview": preview,
            "page": page,
            "query": "",
            "can_apply": run.status == PlanStatus.DONE and bool(run.plan),
            "solver_status": solver_status_label(run.solver_status),
        },
    )


@admin_required
@require_POST
def plan_apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = queries.get_plan_run_for_user(request.user, pk)
    try:
        counts = do_apply_plan(run=run, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            gettext(
                "Rencana diterapkan: {invited} undangan baru, {moved} dipindah, {kept} tetap, "
                "{cancelled} dibatalkan."
            ).format(**counts),
        )
    return redirect(run)


@admin_required
@require_POST
def plan_replan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    base = queries.get_plan_run_for_user(request.user, pk)
    try:
        run = do_start_plan_run(
            instansi_id=scoping.tenant_id(request.user),
            batch_ids=base.batch_ids,
            actor=request.user,
            title=f"Perencanaan ulang: {base.title}"[:200],
            time_limit=base.time_limit,
            base_run=base,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(base)
    return redirect(run)
