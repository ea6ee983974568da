"""Build the planner's JSON instance from the database (docs/scheduling.md, "From the database").

* Batches: the chosen ones with their sessions. A batch with a session on a public holiday or
  cuti bersama, or whose trainer has declared themself unavailable during a session, is left
  out and listed in ``skipped`` with the reason; overlapping sessions are bad input.
* Employees: everyone who needs one of the programmes (``needs.programme_needs``) plus every
  member of a unit with a staffing rule (they count towards the rule even without needs), with
  their unavailability clipped to the sessions.
* Planner unit: an employee counts for the nearest unit at or above their own that has an
  active staffing rule (so a rule on "Disdukcapil" covers its bidang), else their own unit.
* Staffing windows: weekly rules expanded to dated windows only where they overlap a session.
* Peaks: each peak period becomes one soft window per planner unit below its unit.
* Current and locked: existing invitations of these batches (re-planning moves as few as
  possible); a participant who has already attended a session is locked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from kompeten.learning.models import Batch, Session, Trainer, TrainerAvailability
from kompeten.participation.models import ACTIVE_STATUSES, Attendance, Enrolment
from kompeten.people.models import Employee, Unit
from kompeten.scheduling import expand
from kompeten.scheduling.models import DutyEntry, DutyKind, PeakPeriod, StaffingRule, WorkPattern
from kompeten.scheduling.needs import programme_needs
from kompeten.scheduling.planner.io import format_datetime
from kompeten.scheduling.planner.model import Interval
from kompeten.standards.local_time import JAKARTA
from kompeten.standards.workdays import default_calendar


@dataclass
class BuiltInstance:
    data: dict[str, Any]
    # batch, reason (as stored before codes), code, and params for writing it in any language
    skipped: list[dict[str, Any]] = field(default_factory=list)
    clashes_avoided: int = 0
    n_employees: int = 0
    n_needs: int = 0
    n_windows: int = 0


def _iso(moment: datetime) -> str:
    return format_datetime(moment.astimezone(JAKARTA))


def _span_json(span: Interval) -> dict[str, str]:
    return {"start": _iso(span.start), "end": _iso(span.end)}


def check_sessions(batch: Batch, sessions: list[Session]) -> None:
    """Overlapping sessions in one batch are bad input: say which, write nothing."""
    pairs = expand.overlapping_pairs(
        [
            (date_format(timezone.localtime(s.start), "j F Y H:i"), Interval(s.start, s.end))
            for s in sessions
        ]
    )
    if pairs:
        a, b = pairs[0]
        raise ValidationError(
            gettext(
                "Angkatan {batch} ({programme}): sesi {first} dan sesi {second} saling tumpang "
                "tindih. Perbaiki jadwal sesinya dulu."
            ).format(batch=batch.name, programme=batch.programme.title, first=a, second=b)
        )


def _holiday_in(sessions: list[Session]) -> date | None:
    calendar = default_calendar()
    for session in sessions:
        day = timezone.localtime(session.start).date()
        last = timezone.localtime(session.end - timedelta(microseconds=1)).date()
        while day <= last:
            if calendar.is_holiday(day):
                return day
            day += timedelta(days=1)
    return None


def _trainer_blocked(
    sessions: list[Session], batch: Batch, off: dict[int, list[Interval]]
) -> datetime | None:
    """The local start of the first session a facilitator cannot teach, if any."""
    trainer_ids = {s.trainer_id for s in sessions if s.trainer_id} | {
        t.pk for t in batch.trainers.all()
    }
    for session in sessions:
        span = Interval(session.start, session.end)
        ids = {session.trainer_id} if session.trainer_id else trainer_ids
        for trainer_id in ids:
            for blocked in off.get(trainer_id or 0, ()):
                if blocked.overlaps(span):
                    return timezone.localtime(session.start)
    return None


def _teaching_spans(
    batches: list[Batch], batch_sessions: dict[int, list[Session]]
) -> dict[int, list[Interval]]:
    """Employees who teach a batch are busy for all its sessions, so the planner never invites
    a facilitator to the batch they teach (enrolment refuses it) nor elsewhere at that time."""
    employee_of = dict(
        Trainer.objects.filter(
            Q(batches__in=batches) | Q(sessions__batch__in=batches), employee_id__isnull=False
        ).values_list("pk", "employee_id")
    )
    spans: dict[int, list[Interval]] = defaultdict(list)
    if not employee_of:
        return spans
    for batch in batches:
        sessions = batch_sessions.get(batch.pk, [])
        teachers = {t.pk for t in batch.trainers.all()} | {s.trainer_id for s in sessions}
        for trainer_id in teachers:
            if trainer_id in employee_of:
                spans[employee_of[trainer_id]].extend(Interval(s.start, s.end) for s in sessions)
    return spans


def planner_units(instansi_id: int) -> tuple[dict[int, str], dict[int, Unit]]:
    """Map each unit id to the code of the nearest ruled unit at or above it (else its own code)."""
    units = {u.pk: u for u in Unit.objects.filter(instansi_id=instansi_id)}
    ruled_paths = {
        units[uid].path: units[uid].code
        for uid in StaffingRule.objects.filter(instansi_id=instansi_id, is_active=True).values_list(
            "unit_id", flat=True
        )
        if uid in units
    }
    out: dict[int, str] = {}
    for uid, unit in units.items():
        best = ""
        for path in ruled_paths:
            if unit.path.startswith(path) and len(path) > len(best):
                best = path
        out[uid] = ruled_paths[best] if best else unit.code
    return out, units


def _load_sessions(
    batches: list[Batch], instansi_id: int
) -> tuple[dict[int, list[Session]], dict[int, list[Interval]]]:
    """Each batch's sessions in order, and each trainer's declared unavailability."""
    batch_sessions: dict[int, list[Session]] = defaultdict(list)
    for session in Session.objects.filter(batch__in=batches).order_by("start"):
        batch_sessions[session.batch_id].append(session)
    trainer_off: dict[int, list[Interval]] = defaultdict(list)
    for trainer_id, start, end in TrainerAvailability.objects.filter(
        available=False, trainer__instansi_id=instansi_id
    ).values_list("trainer_id", "start", "end"):
        trainer_off[trainer_id].append(Interval(start, end))
    return batch_sessions, trainer_off


def _why_unusable(
    batch: Batch, sessions: list[Session], trainer_off: dict[int, list[Interval]]
) -> tuple[str, str, dict[str, str]] | None:
    """Why the planner may not fill this batch, as (code, reason, params); None when it may.
    Overlapping sessions raise."""
    if not sessions:
        return "no_session", "Angkatan belum memiliki sesi.", {}
    check_sessions(batch, sessions)
    holiday = _holiday_in(sessions)
    if holiday is not None:
        shown = date_format(holiday, "j F Y")
        reason = f"Ada sesi pada hari libur nasional/cuti bersama ({shown})."
        return "holiday", reason, {"date": holiday.isoformat()}
    blocked = _trainer_blocked(sessions, batch, trainer_off)
    if blocked is not None:
        shown = date_format(blocked, "j F Y H:i")
        reason = f"Fasilitator tidak tersedia pada sesi {shown}."
        return "trainer_unavailable", reason, {"start": blocked.isoformat()}
    return None


def _usable_batches(
    batches: list[Batch],
    batch_sessions: dict[int, list[Session]],
    trainer_off: dict[int, list[Interval]],
    built: BuiltInstance,
) -> list[Batch]:
    """The batches the planner may fill; the others go to ``built.skipped`` with the reason
    (no session, a session on a holiday, a trainer unavailable). Overlapping sessions raise."""
    usable: list[Batch] = []
    for batch in batches:
        why = _why_unusable(batch, batch_sessions.get(batch.pk, []), trainer_off)
        if why is None:
            usable.append(batch)
            continue
        code, reason, params = why
        skipped: dict[str, Any] = {"batch": batch.name, "reason": reason, "code": code}
        if params:
            skipped["params"] = params
        built.skipped.append(skipped)
    return usable


def _current_assignments(
    usable_ids: set[int], needs: dict[int, dict[int, int]]
) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    """The existing invitations (employee, batch) of these batches, and the locked ones (the
    participant attended a session). Each invited employee keeps a need for the programme."""
    current: list[tuple[int, int]] = []
    locked: set[tuple[int, int]] = set()
    enrolments = list(
        Enrolment.objects.filter(batch_id__in=usable_ids, status__in=ACTIVE_STATUSES).values_list(
            "id", "employee_id", "batch_id", "batch__programme_id"
        )
    )
    attended = set(
        Attendance.objects.filter(
            enrolment_id__in=[e[0] for e in enrolments], present=True
        ).values_list("enrolment_id", flat=True)
    )
    for enrolment_id, employee_id, batch_id, programme_id in enrolments:
        current.append((employee_id, batch_id))
        needs.setdefault(employee_id, {}).setdefault(programme_id, 1)
        if enrolment_id in attended:
            locked.add((employee_id, batch_id))
    return current, locked


@dataclass
class _Availability:
    """The chosen employees' duties and work patterns over the sessions' horizon."""

    duty_rows: dict[int, list[expand.DutyRow]]
    patterns: dict[int, expand.Pattern]
    horizon: Interval


def _availability(chosen_ids: list[int], index: expand.SessionIndex) -> _Availability:
    duty_rows: dict[int, list[expand.DutyRow]] = defaultdict(list)
    horizon_start = horizon_end = timezone.now()
    if index.days:
        horizon_start = expand.at(index.days[0], time.min)
        horizon_end = expand.at(index.days[-1] + timedelta(days=1), time.min)
        duties = DutyEntry.objects.filter(
            employee_id__in=chosen_ids, start__lt=horizon_end
        ).exclude(repeat_until__isnull=True, end__lte=horizon_start)
        for employee_id, kind, start, end, repeat in duties.values_list(
            "employee_id", "kind", "start", "end", "repeat_until"
        ):
            duty_rows[employee_id].append(expand.DutyRow(kind, Interval(start, end), repeat))
    patterns = {
        p.employee_id: expand.Pattern(expand.parse_weekdays(p.weekdays), p.start_time, p.end_time)
        for p in WorkPattern.objects.filter(employee_id__in=chosen_ids)
    }
    return _Availability(duty_rows, patterns, Interval(horizon_start, horizon_end))


@dataclass
class _Employees:
    """The employees' JSON and, per planner unit, the counter shifts of its staff."""

    json: list[dict[str, Any]]
    on_shift: dict[str, list[list[Interval]]]


def _employees_json(
    chosen: list[tuple[int, str, int]],
    *,
    needs: dict[int, dict[int, int]],
    unit_key: dict[int, str],
    code_of: dict[int, str],
    usable: list[Batch],
    batch_sessions: dict[int, list[Session]],
    index: expand.SessionIndex,
    built: BuiltInstance,
) -> _Employees:
    """Each chosen employee's unit, needs and unavailability (duties, work pattern, the
    batches they teach); counts the clashes the planner will avoid."""
    availability = _availability([pk for pk, _n, _u in chosen], index)
    duty_rows = availability.duty_rows
    session_spans = {b.pk: [Interval(s.start, s.end) for s in batch_sessions[b.pk]] for b in usable}
    batches_of: dict[int, list[int]] = defaultdict(list)
    for b in usable:
        batches_of[b.programme_id].append(b.pk)
    employees_json = []
    on_shift: dict[str, list[list[Interval]]] = defaultdict(list)
    teaching = _teaching_spans(usable, batch_sessions)
    for pk, nip, uid in chosen:
        spans = expand.unavailable_spans(
            duty_rows.get(pk, []), availability.patterns.get(pk), index
        )
        spans = [*spans, *teaching.get(pk, [])]
        if index.days:
            shifts = [
                s
                for row in duty_rows.get(pk, [])
                if row.kind == DutyKind.SHIFT
                for s in expand.occurrences(row, availability.horizon)
            ]
            if shifts:
                on_shift[unit_key[uid]].append(shifts)
        my_needs = needs.get(pk, {})
        for programme_id in my_needs:
            for batch_id in batches_of.get(programme_id, []):
                if any(u.overlaps(s) for u in spans for s in session_spans[batch_id]):
                    built.clashes_avoided += 1
        employees_json.append(
            {
                "nip": nip,
                "unit": unit_key[uid],
                "needs": [
                    {"programme": code_of[pid], "priority": prio}
                    for pid, prio in sorted(my_needs.items())
                ],
                "unavailable": [_span_json(s) for s in spans],
            }
        )
        built.n_needs += len(my_needs)
    return _Employees(employees_json, on_shift)


def _staffing_json(
    rules: list[StaffingRule],
    present_keys: set[str],
    index: expand.SessionIndex,
    on_shift: dict[str, list[list[Interval]]],
) -> list[dict[str, Any]]:
    """The weekly staffing rules of the units present, as dated windows over the sessions."""
    holidays = frozenset(
        d for y in {d.year for d in index.days} for d in default_calendar().holidays_for_year(y)
    )
    weekly = [
        expand.WeeklyRule(
            rule_id=r.pk,
            unit=r.unit.code,
            label=r.label,
            weekdays=expand.parse_weekdays(r.weekdays),
            start=r.start_time,
            end=r.end_time,
            min_present=r.min_present,
            valid_from=r.valid_from,
            valid_until=r.valid_until,
        )
        for r in rules
        if r.unit.code in present_keys
    ]
    windows = expand.expand_rules(weekly, index, holidays)

    def min_present(window: expand.DatedWindow) -> int:
        """Staff on a counter shift covering the whole window are surely present (and cannot
        be booked: the shift is unavailability), so they count towards the minimum."""
        covered = sum(
            1
            for shifts in on_shift.get(window.unit, [])
            if any(s.start <= window.span.start and window.span.end <= s.end for s in shifts)
        )
        return max(0, window.min_present - covered)

    return [
        {**_span_json(w.span), "unit": w.unit, "min_present": min_present(w), "label": w.label}
        for w in windows
    ]


def _peaks_json(
    instansi_id: int,
    index: expand.SessionIndex,
    unit_key: dict[int, str],
    units: dict[int, Unit],
    present_keys: set[str],
) -> list[dict[str, Any]]:
    """Each peak period over the sessions, once per planner unit below its unit."""
    peaks_json: list[dict[str, Any]] = []
    for peak in PeakPeriod.objects.filter(instansi_id=instansi_id).select_related("unit"):
        start = expand.at(peak.start_date, time.min)
        end = expand.at(peak.end_date + timedelta(days=1), time.min)
        if not index.overlaps_any(Interval(start, end)):
            continue
        base = {
            "start": _iso(start),
            "end": _iso(end),
            "penalty": peak.penalty,
            "label": peak.label,
        }
        if peak.unit is None:
            peaks_json.append(base)
            continue
        keys = sorted(
            {unit_key[u.pk] for u in units.values() if u.path.startswith(peak.unit.path)}
            & present_keys
        )
        peaks_json.extend({**base, "unit": key} for key in keys)
    return peaks_json


def build_instance(
    *,
    instansi_id: int,
    batches: list[Batch],
    year: int,
    weights: dict[str, int] | None = None,
    needs: dict[int, dict[int, int]] | None = None,
) -> BuiltInstance:
    """The instance for ``batches``; ``needs`` overrides the computed needs (self-service pick)."""
    batch_sessions, trainer_off = _load_sessions(batches, instansi_id)
    built = BuiltInstance(data={})
    usable = _usable_batches(batches, batch_sessions, trainer_off, built)

    programmes = {b.programme_id: b.programme for b in batches}
    if needs is None:
        needs = programme_needs(list(programmes.values()), year)
    else:
        needs = {k: dict(v) for k, v in needs.items()}
    all_spans = [Interval(s.start, s.end) for b in usable for s in batch_sessions[b.pk]]
    index = expand.SessionIndex(all_spans)
    current, locked = _current_assignments({b.pk for b in usable}, needs)

    unit_key, units = planner_units(instansi_id)
    rules = list(
        StaffingRule.objects.filter(instansi_id=instansi_id, is_active=True).select_related("unit")
    )
    ruled_keys = {r.unit.code for r in rules}
    employee_ids = set(needs)
    members = Employee.objects.filter(instansi_id=instansi_id, is_active=True)
    chosen = [
        (pk, nip, uid)
        for pk, nip, uid in members.values_list("pk", "nip", "unit_id")
        if pk in employee_ids or unit_key.get(uid) in ruled_keys
    ]
    code_of = {pid: p.code for pid, p in programmes.items()}
    employees = _employees_json(
        chosen,
        needs=needs,
        unit_key=unit_key,
        code_of=code_of,
        usable=usable,
        batch_sessions=batch_sessions,
        index=index,
        built=built,
    )
    built.n_employees = len(employees.json)
    present_keys = {e["unit"] for e in employees.json}
    staffing = _staffing_json(rules, present_keys, index, employees.on_shift)
    built.n_windows = len(staffing)

    nip_of = {pk: nip for pk, nip, _u in chosen}
    built.data = {
        "programmes": sorted(code_of.values()),
        "batches": [
            {
                "id": str(b.pk),
                "label": b.name,  # the planner's sentences name the batch, not its key
                "programme": code_of[b.programme_id],
                "capacity": b.capacity,
                "sessions": [_span_json(Interval(s.start, s.end)) for s in batch_sessions[b.pk]],
            }
            for b in usable
        ],
        "employees": employees.json,
        "staffing": staffing,
        "peaks": _peaks_json(instansi_id, index, unit_key, units, present_keys),
        "current": [{"nip": nip_of[e], "batch": str(b)} for e, b in current if e in nip_of],
        "locked": [{"nip": nip_of[e], "batch": str(b)} for e, b in sorted(locked) if e in nip_of],
        "meta": {"instansi": instansi_id, "year": year, "built": _iso(timezone.now())},
    }
    if weights:
        built.data["weights"] = weights
    return built
