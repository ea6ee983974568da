"""The JSON interchange: read and check an instance, write a plan (and read one back).

Every problem in the input raises :class:`PlannerInputError` naming the item, in English and in
Indonesian. The format is described, with an example, in docs/planner.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from kompeten.scheduling.planner import model
from kompeten.scheduling.planner.errors import PlannerInputError
from kompeten.standards.local_time import JAKARTA

TOP_LEVEL_KEYS = {
    "batches",
    "employees",
    "staffing",
    "programmes",
    "peaks",
    "current",
    "locked",
    "weights",
    "meta",
}


# --- small typed readers ------------------------------------------------------------------------


def _fail(item: str, message: str, pesan: str) -> PlannerInputError:
    return PlannerInputError(item, message, pesan)


def _mapping(value: Any, item: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(item, "must be a JSON object", "harus berupa objek JSON")
    return value


def _list(value: Any, item: str) -> Sequence[Any]:
    if not isinstance(value, list | tuple):
        raise _fail(item, "must be a JSON list", "harus berupa daftar (list) JSON")
    return value


def _text(data: Mapping[str, Any], key: str, item: str, *, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise _fail(item, f"'{key}' must be a non-empty text", f"'{key}' wajib diisi berupa teks")
    return value.strip()


def _int(
    data: Mapping[str, Any], key: str, item: str, *, minimum: int, default: int | None = None
) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(item, f"'{key}' must be an integer", f"'{key}' harus bilangan bulat")
    if value < minimum:
        raise _fail(
            item,
            f"'{key}' must be at least {minimum} (got {value})",
            f"'{key}' minimal {minimum} (tertulis {value})",
        )
    return value


def parse_datetime(value: Any, item: str) -> datetime:
    """Read an ISO-8601 datetime; a naive one is Asia/Jakarta local time."""
    if not isinstance(value, str):
        raise _fail(
            item, "must be an ISO-8601 date-time text", "harus berupa teks tanggal-waktu ISO-8601"
        )
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(
            item,
            f"{value!r} is not an ISO-8601 date-time",
            f"{value!r} bukan tanggal-waktu ISO-8601 (contoh 2026-03-02T08:00)",
        ) from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=JAKARTA)
    return parsed.astimezone(JAKARTA)


def format_datetime(value: datetime) -> str:
    """Jakarta local time without offset, as the interchange writes it (seconds only when set)."""
    local = value.astimezone(JAKARTA).replace(tzinfo=None)
    return local.isoformat(
        timespec="minutes" if not (local.second or local.microsecond) else "auto"
    )


def _interval(value: Any, item: str) -> model.Interval:
    data = _mapping(value, item)
    start = parse_datetime(data.get("start"), f"{item}.start")
    end = parse_datetime(data.get("end"), f"{item}.end")
    if end <= start:
        raise _fail(
            item,
            f"end {format_datetime(end)} is not after start {format_datetime(start)}",
            f"waktu selesai {format_datetime(end)} tidak setelah waktu mulai {format_datetime(start)}",
        )
    return model.Interval(start, end)


def _assignments(values: Any, key: str) -> tuple[model.Assignment, ...]:
    out = []
    for k, value in enumerate(_list(values, key)):
        item = f"{key}[{k}]"
        data = _mapping(value, item)
        out.append(model.Assignment(_text(data, "nip", item), _text(data, "batch", item)))
    return tuple(out)


# --- the instance ---------------------------------------------------------------------------


def _named_item(value: Any, key: str, k: int, name: str) -> tuple[Mapping[str, Any], str, str]:
    """Item ``k`` of the list ``key``, named by its field ``name``: its data, that name, and the
    item as messages call it (``batches[3] (id 'B-1')``)."""
    data = _mapping(value, f"{key}[{k}]")
    named = _text(data, name, f"{key}[{k}]")
    return data, named, f"{key}[{k}] ({name} {named!r})"


def _batch(value: Any, k: int) -> model.Batch:
    data, batch_id, item = _named_item(value, "batches", k, "id")
    programme = _text(data, "programme", item)
    capacity = _int(data, "capacity", item, minimum=0)
    raw_sessions = _list(data.get("sessions"), f"{item}.sessions")
    if not raw_sessions:
        raise _fail(item, "has no sessions", "tidak memiliki sesi")
    sessions = sorted(
        (_interval(s, f"{item}.sessions[{j}]") for j, s in enumerate(raw_sessions)),
        key=lambda s: s.start,
    )
    for previous, following in pairwise(sessions):
        if following.start < previous.end:
            raise _fail(
                item,
                f"sessions overlap: {format_datetime(previous.start)} and {format_datetime(following.start)}",
                f"sesi saling tumpang tindih: {format_datetime(previous.start)} dan "
                f"{format_datetime(following.start)}",
            )
    label = data.get("label", "")
    if not isinstance(label, str):
        raise _fail(item, "label must be text", "label harus berupa teks")
    return model.Batch(batch_id, programme, capacity, tuple(sessions), label.strip())


def _employee(value: Any, k: int) -> model.Employee:
    data, nip, item = _named_item(value, "employees", k, "nip")
    unit = _text(data, "unit", item)
    needs = []
    seen: set[str] = set()
    for j, raw in enumerate(_list(data.get("needs", []), f"{item}.needs")):
        need_item = f"{item}.needs[{j}]"
        need = _mapping(raw, need_item)
        programme = _text(need, "programme", need_item)
        if programme in seen:
            raise _fail(
                need_item,
                f"programme {programme!r} is listed twice",
                f"program {programme!r} tercantum dua kali",
            )
        seen.add(programme)
        needs.append(model.Need(programme, _int(need, "priority", need_item, minimum=1)))
    unavailable = tuple(
        _interval(u, f"{item}.unavailable[{j}]")
        for j, u in enumerate(_list(data.get("unavailable", []), f"{item}.unavailable"))
    )
    preferences = model.Preferences()
    if data.get("preferences") is not None:
        pref_item = f"{item}.preferences"
        pref = _mapping(data["preferences"], pref_item)
        unknown = set(pref) - {"batches", "avoid_dates"}
        if unknown:
            raise _fail(
                pref_item,
                f"unknown keys {sorted(unknown)} (allowed: batches, avoid_dates)",
                f"kunci tidak dikenal {sorted(unknown)} (yang boleh: batches, avoid_dates)",
            )
        batches = tuple(str(b) for b in _list(pref.get("batches", []), f"{pref_item}.batches"))
        dates = []
        for j, raw in enumerate(_list(pref.get("avoid_dates", []), f"{pref_item}.avoid_dates")):
            try:
                dates.append(date.fromisoformat(str(raw)))
            except ValueError:
                raise _fail(
                    f"{pref_item}.avoid_dates[{j}]",
                    f"{raw!r} is not an ISO date",
                    f"{raw!r} bukan tanggal ISO (contoh 2026-03-02)",
                ) from None
        preferences = model.Preferences(batches, tuple(dates))
    return model.Employee(nip, unit, tuple(needs), unavailable, preferences)


def _rule(value: Any, k: int) -> model.StaffingRule:
    item = f"staffing[{k}]"
    data = _mapping(value, item)
    unit = _text(data, "unit", item)
    span = _interval(data, item)
    label = _text(data, "label", item, required=False)
    return model.StaffingRule(
        unit, span.start, span.end, _int(data, "min_present", item, minimum=0), label
    )


def _peak(value: Any, k: int) -> model.Peak:
    item = f"peaks[{k}]"
    data = _mapping(value, item)
    span = _interval(data, item)
    return model.Peak(
        span.start,
        span.end,
        _int(data, "penalty", item, minimum=0),
        _text(data, "unit", item, required=False),
        _text(data, "label", item, required=False),
    )


def _weights(value: Any) -> model.Weights:
    data = _mapping(value, "weights")
    allowed = set(model.Weights.__dataclass_fields__)
    unknown = set(data) - allowed
    if unknown:
        raise _fail(
            "weights",
            f"unknown keys {sorted(unknown)} (allowed: {', '.join(sorted(allowed))})",
            f"kunci tidak dikenal {sorted(unknown)} (yang boleh: {', '.join(sorted(allowed))})",
        )
    defaults = model.Weights()
    return model.Weights(
        **{
            key: _int(data, key, "weights", minimum=0, default=getattr(defaults, key))
            for key in allowed
        }
    )


def load_instance(data: Any) -> model.Instance:
    """Read and check an instance from its JSON form (already parsed into Python objects)."""
    top = _mapping(data, "instance")
    unknown = set(top) - TOP_LEVEL_KEYS
    if unknown:
        raise _fail(
            "instance",
            f"unknown keys {sorted(unknown)} (allowed: {', '.join(sorted(TOP_LEVEL_KEYS))})",
            f"kunci tidak dikenal {sorted(unknown)} (yang boleh: {', '.join(sorted(TOP_LEVEL_KEYS))})",
        )
    batches = tuple(_batch(b, k) for k, b in enumerate(_list(top.get("batches"), "batches")))
    employees = tuple(
        _employee(e, k) for k, e in enumerate(_list(top.get("employees"), "employees"))
    )
    staffing = tuple(_rule(r, k) for k, r in enumerate(_list(top.get("staffing", []), "staffing")))
    programmes = None
    if top.get("programmes") is not None:
        programmes = tuple(
            _text({"programme": p}, "programme", f"programmes[{k}]")
            for k, p in enumerate(_list(top["programmes"], "programmes"))
        )
    instance = model.Instance(
        batches=batches,
        employees=employees,
        staffing=staffing,
        programmes=programmes,
        peaks=tuple(_peak(p, k) for k, p in enumerate(_list(top.get("peaks", []), "peaks"))),
        current=_assignments(top.get("current", []), "current"),
        locked=_assignments(top.get("locked", []), "locked"),
        weights=_weights(top.get("weights", {})),
    )
    validate_instance(instance)
    return instance


def validate_instance(instance: model.Instance) -> None:
    """Check references and values of an instance built in Python (``load_instance`` calls it).

    The parts are checked in order (batches, programmes, employees, staffing rules, peaks,
    current and locked assignments), each against what the earlier parts declared; the first
    error found is raised.
    """
    batch_programme = _validate_batches(instance)
    known_programmes = set(instance.programmes) if instance.programmes is not None else None
    if known_programmes is not None:
        for k, batch in enumerate(instance.batches):
            if batch.programme not in known_programmes:
                raise _fail(
                    f"batches[{k}] (id {batch.id!r})",
                    f"unknown programme {batch.programme!r}",
                    f"program {batch.programme!r} tidak dikenal",
                )
    needs_of = _validate_employees(instance, known_programmes, batch_programme)
    units = {employee.unit for employee in instance.employees}
    _validate_rules_and_peaks(instance, units)
    _validate_assignments(instance, needs_of, batch_programme)


def _validate_batches(instance: model.Instance) -> dict[str, str]:
    """Unique ids, seats, sessions that end after they start and do not overlap; returns
    batch id → programme."""
    batch_programme: dict[str, str] = {}
    for k, batch in enumerate(instance.batches):
        item = f"batches[{k}] (id {batch.id!r})"
        if batch.id in batch_programme:
            raise _fail(item, "duplicate batch id", "id angkatan ganda")
        batch_programme[batch.id] = batch.programme
        if batch.capacity < 0:
            raise _fail(
                item, f"negative capacity {batch.capacity}", f"kapasitas negatif {batch.capacity}"
            )
        if not batch.sessions:
            raise _fail(item, "has no sessions", "tidak memiliki sesi")
        ordered = sorted(batch.sessions, key=lambda s: s.start)
        for j, session in enumerate(ordered):
            if session.end <= session.start:
                raise _fail(
                    f"{item}.sessions[{j}]",
                    "end is not after start",
                    "waktu selesai tidak setelah waktu mulai",
                )
            if j and session.start < ordered[j - 1].end:
                raise _fail(item, "sessions overlap", "sesi saling tumpang tindih")
    return batch_programme


def _validate_needs(
    item: str, needs: Sequence[model.Need], known_programmes: set[str] | None
) -> dict[str, int]:
    """One employee's needs: each programme once, known, with a positive integer priority."""
    out: dict[str, int] = {}
    for j, need in enumerate(needs):
        need_item = f"{item}.needs[{j}]"
        if need.programme in out:
            raise _fail(need_item, "programme listed twice", "program tercantum dua kali")
        if known_programmes is not None and need.programme not in known_programmes:
            raise _fail(
                need_item,
                f"unknown programme {need.programme!r}",
                f"program {need.programme!r} tidak dikenal",
            )
        if (
            isinstance(need.priority, bool)
            or not isinstance(need.priority, int)
            or need.priority < 1
        ):
            raise _fail(
                need_item,
                f"priority must be a positive integer (got {need.priority!r})",
                f"prioritas harus bilangan bulat positif (tertulis {need.priority!r})",
            )
        out[need.programme] = need.priority
    return out


def _validate_employees(
    instance: model.Instance, known_programmes: set[str] | None, batch_programme: dict[str, str]
) -> dict[str, dict[str, int]]:
    """Unique NIPs, valid needs, unavailability that ends after it starts, preferred batches
    that exist; returns NIP → programme → priority."""
    needs_of: dict[str, dict[str, int]] = {}
    for k, employee in enumerate(instance.employees):
        item = f"employees[{k}] (nip {employee.nip!r})"
        if employee.nip in needs_of:
            raise _fail(item, "duplicate nip", "NIP ganda")
        needs_of[employee.nip] = _validate_needs(item, employee.needs, known_programmes)
        for j, span in enumerate(employee.unavailable):
            if span.end <= span.start:
                raise _fail(
                    f"{item}.unavailable[{j}]",
                    "end is not after start",
                    "waktu selesai tidak setelah waktu mulai",
                )
        for batch_id in employee.preferences.batches:
            if batch_id not in batch_programme:
                raise _fail(
                    f"{item}.preferences.batches",
                    f"unknown batch {batch_id!r}",
                    f"angkatan {batch_id!r} tidak dikenal",
                )
    return needs_of


def _validate_rules_and_peaks(instance: model.Instance, units: set[str]) -> None:
    """Staffing rules and peaks name a unit that has employees, end after they start, and
    carry no negative number."""
    for k, rule in enumerate(instance.staffing):
        item = f"staffing[{k}]"
        if rule.unit not in units:
            raise _fail(
                item,
                f"unknown unit {rule.unit!r} (no employee belongs to it)",
                f"unit {rule.unit!r} tidak dikenal (tidak ada pegawai di unit ini)",
            )
        if rule.end <= rule.start:
            raise _fail(item, "end is not after start", "waktu selesai tidak setelah waktu mulai")
        if rule.min_present < 0:
            raise _fail(
                item,
                f"min_present must not be negative (got {rule.min_present})",
                f"min_present tidak boleh negatif (tertulis {rule.min_present})",
            )
    for k, peak in enumerate(instance.peaks):
        item = f"peaks[{k}]"
        if peak.unit and peak.unit not in units:
            raise _fail(item, f"unknown unit {peak.unit!r}", f"unit {peak.unit!r} tidak dikenal")
        if peak.end <= peak.start:
            raise _fail(item, "end is not after start", "waktu selesai tidak setelah waktu mulai")
        if peak.penalty < 0:
            raise _fail(item, "penalty must not be negative", "penalti tidak boleh negatif")


def _validate_assignments(
    instance: model.Instance, needs_of: dict[str, dict[str, int]], batch_programme: dict[str, str]
) -> None:
    """Current and locked pairs name a known NIP and batch, once each and one batch per
    programme; a locked pair must answer a need."""
    for key, pairs, strict in (
        ("current", instance.current, False),
        ("locked", instance.locked, True),
    ):
        seen_pairs: set[tuple[str, str]] = set()
        seen_programme: set[tuple[str, str]] = set()
        for k, pair in enumerate(pairs):
            item = f"{key}[{k}] (nip {pair.nip!r}, batch {pair.batch!r})"
            if pair.nip not in needs_of:
                raise _fail(item, f"unknown nip {pair.nip!r}", f"NIP {pair.nip!r} tidak dikenal")
            if pair.batch not in batch_programme:
                raise _fail(
                    item, f"unknown batch {pair.batch!r}", f"angkatan {pair.batch!r} tidak dikenal"
                )
            if (pair.nip, pair.batch) in seen_pairs:
                raise _fail(item, "listed twice", "tercantum dua kali")
            seen_pairs.add((pair.nip, pair.batch))
            programme = batch_programme[pair.batch]
            if (pair.nip, programme) in seen_programme:
                raise _fail(
                    item,
                    f"a second batch of programme {programme!r} for the same employee",
                    f"angkatan kedua program {programme!r} untuk pegawai yang sama",
                )
            seen_programme.add((pair.nip, programme))
            if strict and programme not in needs_of[pair.nip]:
                raise _fail(
                    item,
                    f"the employee does not need programme {programme!r}",
                    f"pegawai tidak membutuhkan program {programme!r}",
                )


def read_instance(path: str | Path) -> model.Instance:
    """Load an instance from a JSON file."""
    with open(path, encoding="utf-8") as handle:
        try:
            data = json.load(handle)
        except json.JSONDecodeError as error:
            raise _fail(
                str(path), f"is not valid JSON: {error}", f"bukan JSON yang sah: {error}"
            ) from None
    return load_instance(data)


def _interval_json(span: model.Interval) -> dict[str, str]:
    return {"start": format_datetime(span.start), "end": format_datetime(span.end)}


def instance_to_json(instance: model.Instance) -> dict[str, Any]:
    """The JSON form of an instance (``load_instance`` reads it back to an equal instance)."""
    employees = []
    for employee in instance.employees:
        row: dict[str, Any] = {
            "nip": employee.nip,
            "unit": employee.unit,
            "needs": [{"programme": n.programme, "priority": n.priority} for n in employee.needs],
            "unavailable": [_interval_json(u) for u in employee.unavailable],
        }
        if employee.preferences.batches or employee.preferences.avoid_dates:
            row["preferences"] = {
                "batches": list(employee.preferences.batches),
                "avoid_dates": [d.isoformat() for d in employee.preferences.avoid_dates],
            }
        employees.append(row)
    out: dict[str, Any] = {
        "batches": [
            {
                "id": b.id,
                "programme": b.programme,
                "capacity": b.capacity,
                "sessions": [_interval_json(s) for s in b.sessions],
                **({"label": b.label} if b.label else {}),
            }
            for b in instance.batches
        ],
        "employees": employees,
        "staffing": [
            {
                "unit": r.unit,
                "start": format_datetime(r.start),
                "end": format_datetime(r.end),
                "min_present": r.min_present,
                **({"label": r.label} if r.label else {}),
            }
            for r in instance.staffing
        ],
    }
    if instance.programmes is not None:
        out["programmes"] = list(instance.programmes)
    if instance.peaks:
        out["peaks"] = [
            {
                **_interval_json(model.Interval(p.start, p.end)),
                "penalty": p.penalty,
                **({"unit": p.unit} if p.unit else {}),
                **({"label": p.label} if p.label else {}),
            }
            for p in instance.peaks
        ]
    if instance.current:
        out["current"] = [{"nip": a.nip, "batch": a.batch} for a in instance.current]
    if instance.locked:
        out["locked"] = [{"nip": a.nip, "batch": a.batch} for a in instance.locked]
    if instance.weights != model.Weights():
        out["weights"] = {
            key: getattr(instance.weights, key) for key in model.Weights.__dataclass_fields__
        }
    return out


# --- the plan -------------------------------------------------------------------------------


def _blocker_json(blocker: model.Blocker) -> dict[str, Any]:
    out: dict[str, Any] = {"batch": blocker.batch, "code": blocker.code, "message": blocker.message}
    if blocker.rule is not None:
        out["rule"] = blocker.rule
    if blocker.params:
        out["params"] = dict(blocker.params)
    return out


def plan_to_json(plan: model.Plan) -> dict[str, Any]:
    """The JSON form of a plan (``plan_from_json`` reads it back to an equal plan)."""
    return {
        "status": plan.status,
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "assignments": [{"nip": a.nip, "batch": a.batch} for a in plan.assignments],
        "unassigned": [
            {
                "nip": u.nip,
                "programme": u.programme,
                "priority": u.priority,
                "reason": u.reason,
                "message": u.message,
                "details": [_blocker_json(b) for b in u.details],
                **({"params": dict(u.params)} if u.params else {}),
            }
            for u in plan.unassigned
        ],
        "violations": [
            {
                "code": v.code,
                "message": v.message,
                **({"nip": v.nip} if v.nip else {}),
                **({"batch": v.batch} if v.batch else {}),
                **({"rule": v.rule} if v.rule is not None else {}),
            }
            for v in plan.violations
        ],
        "infeasible_rules": [
            {
                "rule": r.rule,
                "unit": r.unit,
                "start": format_datetime(r.start),
                "end": format_datetime(r.end),
                "min_present": r.min_present,
                "members": r.members,
                "available": r.available,
                "overlaps_training": r.overlaps_training,
                "message": r.message,
                **({"label": r.label} if r.label else {}),
                **({"away": r.away} if r.away is not None else {}),
            }
            for r in plan.infeasible_rules
        ],
        "stats": dict(plan.stats),
    }


def plan_from_json(data: Any) -> model.Plan:
    """Read a plan written by :func:`plan_to_json` (e.g. a stored plan to re-plan from)."""
    top = _mapping(data, "plan")
    unassigned = []
    for k, raw in enumerate(_list(top.get("unassigned", []), "unassigned")):
        item = f"unassigned[{k}]"
        row = _mapping(raw, item)
        unassigned.append(
            model.Unassigned(
                nip=_text(row, "nip", item),
                programme=_text(row, "programme", item),
                priority=_int(row, "priority", item, minimum=1, default=1),
                reason=_text(row, "reason", item),
                message=str(row.get("message", "")),
                details=tuple(
                    model.Blocker(
                        str(b["batch"]),
                        str(b["code"]),
                        str(b.get("message", "")),
                        b.get("rule"),
                        dict(b.get("params") or {}),
                    )
                    for b in _list(row.get("details", []), f"{item}.details")
                ),
                params=dict(row.get("params") or {}),
            )
        )
    return model.Plan(
        assignments=_assignments(top.get("assignments", []), "assignments"),
        unassigned=tuple(unassigned),
        objective=int(top.get("objective", 0)),
        bound=None if top.get("bound") is None else int(top["bound"]),
        gap=None if top.get("gap") is None else float(top["gap"]),
        status=str(top.get("status", "UNKNOWN")),
        stats=dict(_mapping(top.get("stats", {}), "stats")),
        violations=tuple(
            model.Violation(
                code=str(v["code"]),
                message=str(v.get("message", "")),
                nip=str(v.get("nip", "")),
                batch=str(v.get("batch", "")),
                rule=v.get("rule"),
            )
            for v in (
                _mapping(x, "violations[]") for x in _list(top.get("violations", []), "violations")
            )
        ),
        infeasible_rules=tuple(
            model.InfeasibleRule(
                rule=int(r["rule"]),
                unit=str(r["unit"]),
                start=parse_datetime(r["start"], "infeasible_rules[].start"),
                end=parse_datetime(r["end"], "infeasible_rules[].end"),
                min_present=int(r["min_present"]),
                members=int(r["members"]),
                available=int(r["available"]),
                overlaps_training=bool(r["overlaps_training"]),
                message=str(r.get("message", "")),
                label=str(r.get("label", "")),
                away=None if r.get("away") is None else int(r["away"]),
            )
            for r in (
                _mapping(x, "infeasible_rules[]")
                for x in _list(top.get("infeasible_rules", []), "infeasible_rules")
            )
        ),
    )
