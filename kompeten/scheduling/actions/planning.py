"""Planner runs from the UI: build, solve (inline or in the worker), apply, re-plan, self-pick."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.learning.models import Batch, BatchStatus
from kompeten.participation.actions.enrolment import do_cancel, do_invite, do_move
from kompeten.participation.models import ACTIVE_STATUSES, Enrolment, EnrolmentSource
from kompeten.people.models import Employee
from kompeten.scheduling.instance import build_instance
from kompeten.scheduling.models import PlanRun, PlanStatus
from kompeten.scheduling.planner import (
    PlannerInputError,
    alternatives,
    load_instance,
    plan_to_json,
    solve,
)
from kompeten.scheduling.planner.model import Assignment
from kompeten.scheduling.reasons import skipped_text

INLINE_MAX_NEEDS = 200
MAX_TIME_LIMIT = 600


def _selectable(
    instansi_id: int, batch_ids: Iterable[int], include_closed: bool = False
) -> list[Batch]:
    qs = Batch.objects.filter(pk__in=list(batch_ids), programme__instansi_id=instansi_id)
    if not include_closed:
        qs = qs.exclude(status__in=[BatchStatus.CANCELLED, BatchStatus.DONE])
    return list(
        qs.select_related("programme").prefetch_related("trainers").order_by("start_date", "pk")
    )


@transaction.atomic
def do_start_plan_run(
    *,
    instansi_id: int,
    batch_ids: Iterable[int],
    actor: User | None,
    title: str = "",
    time_limit: int = 20,
    year: int | None = None,
    base_run: PlanRun | None = None,
    run_now: bool | None = None,
    include_closed: bool = False,
    needs: dict[int, dict[int, int]] | None = None,
    work_limit: float | None = None,
) -> PlanRun:
    """Build and check the instance (bad input: a clear error, nothing written), then solve.

    Small instances are solved at once; big ones go to the background worker (``run_now``
    forces either way). ``needs`` ({employee id: {programme id: priority}}) replaces the needs
    computed from AKP gaps and JP deficits (a shortlist); ``include_closed`` admits batches
    already marked done (the demo replays a past year). ``work_limit`` solves inline to a
    reproducible plan (see :func:`kompeten.scheduling.planner.solve`): the demo's plan is the
    same on every build.
    """
    batches = _selectable(instansi_id, batch_ids, include_closed)
    if not batches:
        raise ValidationError(
            {"batches": gettext("Pilih minimal satu angkatan yang belum selesai atau dibatalkan.")}
        )
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise ValidationError(
            {"time_limit": gettext("Batas waktu 1–{limit} detik.").format(limit=MAX_TIME_LIMIT)}
        )
    year = year or batches[0].start_date.year
    built = build_instance(instansi_id=instansi_id, batches=batches, year=year, needs=needs)
    if not built.data["batches"]:
        reasons = "; ".join(f"{s['batch']}: {skipped_text(s)}" for s in built.skipped)
        raise ValidationError(
            {
                "batches": gettext("Tidak ada angkatan yang dapat direncanakan. {reasons}").format(
                    reasons=reasons
                )
            }
        )
    try:
        load_instance(built.data)
    except PlannerInputError as error:
        raise ValidationError(
            gettext("Data perencanaan tidak valid — {item}: {problem}").format(
                item=error.item, problem=error.pesan
            )
        ) from None
    run = PlanRun.objects.create(
        instansi_id=instansi_id,
        title=title.strip() or f"Rencana {timezone.localtime():%d-%m-%Y %H:%M}",
        batch_ids=[b.pk for b in batches],
        base_run=base_run,
        time_limit=time_limit,
        instance=built.data,
        skipped=built.skipped,
        clashes_avoided=built.clashes_avoided,
        n_employees=built.n_employees,
        n_needs=built.n_needs,
        n_windows=built.n_windows,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="plan.replan" if base_run else "plan.start",
        obj=run,
        summary=f"{len(batches)} angkatan, {built.n_needs} kebutuhan",
    )
    inline = run_now if run_now is not None else built.n_needs <= INLINE_MAX_NEEDS
    if work_limit is not None or inline:
        execute_plan_run(run, work_limit=work_limit)
    else:
        from kompeten.scheduling.tasks import run_plan

        run_id = run.pk
        transaction.on_commit(lambda: run_plan.enqueue(run_id))
    return run


def execute_plan_run(run: PlanRun, *, work_limit: float | None = None) -> PlanRun:
    """Solve the stored instance and store the plan (called inline or by the worker task)."""
    PlanRun.objects.filter(pk=run.pk).update(status=PlanStatus.RUNNING)
    try:
        instance = load_instance(run.instance)
        plan = solve(instance, run.time_limit, work_limit=work_limit)
    except PlannerInputError as error:
        run.status = PlanStatus.FAILED
        run.error = f"{error.item}: {error.pesan}"
    except Exception as error:  # noqa: BLE001 - record the failure on the run for the user
        run.status = PlanStatus.FAILED
        run.error = f"Perencana gagal: {error}"
    else:
        run.plan = plan_to_json(plan)
        run.objective = plan.objective
        run.bound = plan.bound
        run.gap = plan.gap
        run.solver_status = plan.status
        run.status = PlanStatus.DONE
    run.finished = timezone.now()
    run.save(
        update_fields=[
            "status",
            "error",
            "plan",
            "objective",
            "bound",
            "gap",
            "solver_status",
            "finished",
        ]
    )
    return run


@dataclass
class _PlanDiff:
    """The plan against the active invitations: who is new, who moves, who is dropped."""

    invites: list[tuple[Employee, Batch]] = field(default_factory=list)
    moves: list[tuple[Enrolment, Batch]] = field(default_factory=list)
    dropped: list[Enrolment] = field(default_factory=list)
    kept: int = 0


def _diff_plan(run: PlanRun, assignments: list[dict[str, Any]]) -> _PlanDiff:
    batches = {
        str(b.pk): b for b in Batch.objects.filter(pk__in=run.batch_ids).select_related("programme")
    }
    nips = {a["nip"] for a in assignments}
    employees = {
        e.nip: e for e in Employee.objects.filter(instansi_id=run.instansi_id, nip__in=nips)
    }
    active = {
        (e.employee_id, e.batch.programme_id): e
        for e in Enrolment.objects.filter(
            batch_id__in=run.batch_ids, status__in=ACTIVE_STATUSES
        ).select_related("batch__programme", "employee")
    }
    diff = _PlanDiff()
    planned: set[tuple[int, int]] = set()
    for item in assignments:
        batch = batches.get(item["batch"])
        employee = employees.get(item["nip"])
        if batch is None or employee is None:
            continue
        planned.add((employee.pk, batch.programme_id))
        existing = active.get((employee.pk, batch.programme_id))
        if existing is None:
            diff.invites.append((employee, batch))
        elif existing.batch_id == batch.pk:
            diff.kept += 1
        else:
            diff.moves.append((existing, batch))
    diff.dropped = [enrolment for key, enrolment in active.items() if key not in planned]
    return diff


def _apply_moves(
    moves: list[tuple[Enrolment, Batch]], *, run: PlanRun, actor: User | None, notify: bool
) -> int:
    """Moves may need each other's seats: move out of full batches in passes, until all are
    done or a pass moves nobody (then refused, naming the stuck moves). Returns the count."""
    moved = 0
    pending = moves
    for _round in range(len(pending) + 1):
        stuck = []
        for enrolment, batch in pending:
            try:
                do_move(
                    enrolment=enrolment, batch=batch, actor=actor, plan_ref=run.pk, notify=notify
                )
                moved += 1
            except ValidationError:
                stuck.append((enrolment, batch))
        if not stuck or len(stuck) == len(pending):
            pending = stuck
            break
        pending = stuck
    if pending:
        names = ", ".join(f"{e.employee.name} → {b.name}" for e, b in pending[:5])
        raise ValidationError(
            gettext(
                "Rencana tidak dapat diterapkan: pemindahan gagal ({names}). "
                "Jalankan ulang perencanaan."
            ).format(names=names)
        )
    return moved


@transaction.atomic
def do_apply_plan(
    *, run: PlanRun, actor: User | None, notify: bool = True, now: datetime | None = None
) -> dict[str, int]:
    """Turn the plan into invitations: new ones invited, moved ones moved, dropped ones cancelled."""
    run = PlanRun.objects.select_for_update().get(pk=run.pk)
    if run.status != PlanStatus.DONE or not run.plan:
        raise ValidationError(
            gettext("Hanya rencana yang selesai dan belum diterapkan yang dapat diterapkan.")
        )
    diff = _diff_plan(run, run.plan["assignments"])
    counts = {"invited": 0, "moved": 0, "kept": diff.kept, "cancelled": 0}
    for enrolment in diff.dropped:
        do_cancel(
            enrolment=enrolment,
            actor=actor,
            note="Dibatalkan oleh perencanaan ulang (aturan jadwal atau ketersediaan berubah).",
            notify=notify,
        )
        counts["cancelled"] += 1
    counts["moved"] = _apply_moves(diff.moves, run=run, actor=actor, notify=notify)
    for employee, batch in diff.invites:
        do_invite(
            batch=batch,
            employee=employee,
            actor=actor,
            source=EnrolmentSource.PLAN,
            plan_ref=run.pk,
            notify=notify,
            check_clash=False,
            now=now,
        )
        counts["invited"] += 1
    run.status = PlanStatus.APPLIED
    run.applied_at = timezone.now()
    run.save(update_fields=["status", "applied_at"])
    audit.record(actor=actor, action="plan.apply", obj=run, after=counts)
    return counts


# --- self-service pick ------------------------------------------------------------------------


def batch_alternatives(enrolment: Enrolment) -> list[Batch]:
    """Batches of the same programme the employee could move to without breaking a hard rule."""
    programme = enrolment.batch.programme
    today = timezone.localdate()
    candidates = list(
        Batch.objects.filter(programme=programme, start_date__gt=today)
        .exclude(status__in=[BatchStatus.CANCELLED, BatchStatus.DONE])
        .select_related("programme")
        .prefetch_related("trainers")
    )
    if enrolment.batch not in candidates:
        return []
    needs: dict[int, dict[int, int]] = {}
    assignments = []
    for employee_id, nip, batch_id in Enrolment.objects.filter(
        batch__in=candidates, status__in=ACTIVE_STATUSES
    ).values_list("employee_id", "employee__nip", "batch_id"):
        needs.setdefault(employee_id, {})[programme.pk] = 1
        assignments.append(Assignment(nip, str(batch_id)))
    built = build_instance(
        instansi_id=programme.instansi_id,
        batches=candidates,
        year=enrolment.batch.start_date.year,
        needs=needs,
    )
    instance = load_instance(built.data)
    ids = alternatives(instance, assignments, enrolment.employee.nip, programme.code)
    by_id = {str(b.pk): b for b in candidates}
    return [by_id[i] for i in ids if i in by_id]


@transaction.atomic
def do_pick_batch(*, enrolment: Enrolment, batch_id: int, actor: User | None) -> Enrolment:
    options = {b.pk: b for b in batch_alternatives(enrolment)}
    if batch_id not in options:
        raise ValidationError(
            gettext(
                "Angkatan itu tidak dapat dipilih: penuh, bentrok dengan tugas Anda, atau membuat "
                "unit Anda kekurangan petugas."
            )
        )
    if batch_id == enrolment.batch_id:
        return enrolment
    return do_move(
        enrolment=enrolment, batch=options[batch_id], actor=actor, source=EnrolmentSource.SELF
    )


def summary_counts(run: PlanRun) -> dict[str, Any]:
    plan = run.plan or {}
    return {
        "assigned": len(plan.get("assignments", [])),
        "unassigned": len(plan.get("unassigned", [])),
        "infeasible": len(plan.get("infeasible_rules", [])),
        "violations": len(plan.get("violations", [])),
    }
