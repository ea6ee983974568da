"""What applying a plan would do, person by person, and why, in Indonesian.

Read before ``do_apply_plan``: who is invited to which batch (new, moved, kept), whose invitation
is cancelled, and the reason the planner had (the need's priority and what it is made of: the
AKP gap and the JP still missing this year). No database ids and no solver codes are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.utils.translation import gettext, gettext_noop, ngettext

from kompeten.core import formatting
from kompeten.learning.models import Batch
from kompeten.participation.models import ACTIVE_STATUSES, Enrolment
from kompeten.people.models import Employee
from kompeten.scheduling.models import PlanRun
from kompeten.scheduling.needs import akp_gaps, jp_deficits
from kompeten.standards import jp as jp_std

SOLVER_STATUS = {
    "OPTIMAL": gettext_noop("optimal (terbukti)"),
    "FEASIBLE": gettext_noop("layak, belum terbukti optimal"),
    "GREEDY": gettext_noop("cepat (tanpa bukti optimal)"),
    "INFEASIBLE": gettext_noop("tidak ada rencana yang memenuhi semua aturan"),
    "UNKNOWN": gettext_noop("belum diketahui"),
}


def solver_status_label(code: str) -> str:
    """The solver's status in words ("optimal (terbukti)"), never the raw code."""
    if not code:
        return ""
    return gettext(SOLVER_STATUS.get(code, SOLVER_STATUS["UNKNOWN"]))


class Action:
    INVITE = "invite"
    MOVE = "move"
    KEEP = "keep"
    CANCEL = "cancel"


ACTION_LABELS = {
    Action.INVITE: gettext_noop("undangan baru"),
    Action.MOVE: gettext_noop("dipindah"),
    Action.KEEP: gettext_noop("tetap"),
    Action.CANCEL: gettext_noop("dibatalkan"),
}


@dataclass(frozen=True)
class PreviewRow:
    employee: Employee
    batch: Batch
    action: str
    reasons: tuple[str, ...]
    previous: Batch | None = None

    @property
    def action_label(self) -> str:
        return gettext(ACTION_LABELS[self.action])


@dataclass
class PlanPreview:
    rows: list[PreviewRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    missing: int = 0  # assignments whose employee or batch no longer exists


def _need_reasons(priority: int | None, gap: int, deficit: Fraction, year: int) -> list[str]:
    out = []
    if priority is not None:
        out.append(
            gettext("Kebutuhan program ini berprioritas %(p)d (makin tinggi makin didahulukan).")
            % {"p": priority}
        )
    if gap > 0:
        out.append(
            ngettext(
                "Kesenjangan kompetensi %(n)d tingkat pada kompetensi program (AKP).",
                "Kesenjangan kompetensi %(n)d tingkat pada kompetensi program (AKP).",
                gap,
            )
            % {"n": gap}
        )
    if deficit > 0:
        out.append(
            gettext("JP %(year)d masih kurang %(n)s dari minimal setahun.")
            % {"year": year, "n": formatting.number(jp_std.jp_for_display(deficit), 1)}
        )
    if priority is not None and gap <= 0 and deficit <= 0:
        out.append(gettext("Termasuk sasaran program (jenis jabatan atau OPD sasaran)."))
    return out


@dataclass(frozen=True)
class _Known:
    """What the preview reads once per run: the batches and employees of the plan, the active
    enrolments by (employee, programme), and the instance's priorities, locks, gaps and deficits."""

    year: int
    batches: dict[str, Batch]
    employees: dict[str, Employee]
    current: dict[tuple[int, int], Enrolment]
    priorities: dict[tuple[str, str], int]
    locked: set[tuple[str, str]]
    gaps: dict[int, dict[int, int]]
    deficits: dict[int, Fraction]


def _known(run: PlanRun, assignments: list[dict]) -> _Known:
    """Read what the preview needs (a fixed number of queries per programme)."""
    instance = run.instance or {}
    year = int((instance.get("meta") or {}).get("year") or date.today().year)
    batches = {
        str(b.pk): b for b in Batch.objects.filter(pk__in=run.batch_ids).select_related("programme")
    }
    active = list(
        Enrolment.objects.filter(
            batch_id__in=run.batch_ids, status__in=ACTIVE_STATUSES
        ).select_related("batch__programme", "employee__unit")
    )
    nips = {a["nip"] for a in assignments}
    employees = {
        e.nip: e
        for e in Employee.objects.filter(instansi_id=run.instansi_id, nip__in=nips).select_related(
            "unit"
        )
    }
    priorities: dict[tuple[str, str], int] = {}
    for item in instance.get("employees", []):
        for need in item.get("needs", []):
            priorities[(item["nip"], need["programme"])] = int(need["priority"])
    programmes = {b.programme_id: b.programme for b in batches.values()}
    return _Known(
        year=year,
        batches=batches,
        employees=employees,
        current={(e.employee_id, e.batch.programme_id): e for e in active},
        priorities=priorities,
        locked={(x["nip"], x["batch"]) for x in instance.get("locked", [])},
        gaps={pid: akp_gaps(p, year) for pid, p in programmes.items()},
        deficits=jp_deficits(run.instansi_id, year),
    )


def _planned_row(known: _Known, employee: Employee, batch: Batch, batch_key: str) -> PreviewRow:
    """The row of one planned assignment: invited, kept or moved, and why."""
    programme = batch.programme
    existing = known.current.get((employee.pk, programme.pk))
    reasons = _need_reasons(
        known.priorities.get((employee.nip, programme.code)),
        known.gaps[programme.pk].get(employee.pk, 0),
        known.deficits.get(employee.pk, Fraction(0)),
        known.year,
    )
    previous = None
    if existing is None:
        action = Action.INVITE
    elif existing.batch_id == batch.pk:
        action = Action.KEEP
        if (employee.nip, batch_key) in known.locked:
            reasons.append(gettext("Sudah hadir di sesi angkatan ini, jadi tidak dipindah."))
        else:
            reasons.append(
                gettext("Sudah diundang ke angkatan ini; perencanaan ulang mempertahankannya.")
            )
    else:
        action = Action.MOVE
        previous = existing.batch
        reasons.append(
            gettext("Dipindah dari %(batch)s oleh perencanaan ulang.")
            % {"batch": existing.batch.name}
        )
    reasons.append(
        gettext(
            "Jadwal sesi tidak bentrok dengan cuti, tugas, atau pelatihan lain yang tercatat, "
            "dan aturan kehadiran minimal unitnya tetap terpenuhi."
        )
    )
    return PreviewRow(employee, batch, action, tuple(reasons), previous)


def _add_cancelled(out: PlanPreview, known: _Known, planned: set[tuple[int, int]]) -> None:
    """A row for each active enrolment whose (employee, programme) the plan no longer has."""
    for (employee_id, programme_id), enrolment in known.current.items():
        if (employee_id, programme_id) in planned:
            continue
        out.rows.append(
            PreviewRow(
                enrolment.employee,
                enrolment.batch,
                Action.CANCEL,
                (
                    gettext(
                        "Tidak ada lagi dalam rencana: aturan jadwal atau ketersediaan berubah; "
                        "undangannya dibatalkan."
                    ),
                ),
            )
        )
        out.counts[Action.CANCEL] += 1


def plan_preview(run: PlanRun) -> PlanPreview:
    """The effect of applying ``run``, row by row (a fixed number of queries per programme)."""
    plan = run.plan or {}
    assignments = plan.get("assignments", [])
    known = _known(run, assignments)
    out = PlanPreview(counts=dict.fromkeys(ACTION_LABELS, 0))
    planned: set[tuple[int, int]] = set()
    for item in assignments:
        batch = known.batches.get(item["batch"])
        employee = known.employees.get(item["nip"])
        if batch is None or employee is None:
            out.missing += 1
            continue
        planned.add((employee.pk, batch.programme.pk))
        row = _planned_row(known, employee, batch, item["batch"])
        out.rows.append(row)
        out.counts[row.action] += 1
    _add_cancelled(out, known, planned)
    order = {Action.INVITE: 0, Action.MOVE: 1, Action.CANCEL: 2, Action.KEEP: 3}
    out.rows.sort(
        key=lambda r: (order[r.action], r.batch.start_date, r.batch.name, r.employee.name)
    )
    return out
