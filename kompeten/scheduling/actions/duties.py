"""Duty calendars: entries, working patterns and the bulk write of the calendar import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.people.models import Employee
from kompeten.scheduling.expand import parse_weekdays
from kompeten.scheduling.models import DutyEntry, DutyKind, WorkPattern


@dataclass
class DutyInput:
    kind: str
    start: datetime
    end: datetime
    repeat_until: date | None = None
    note: str = ""


def validate_duty(data: DutyInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.kind not in DutyKind.values:
        errors["kind"] = gettext("Jenis {kind} tidak dikenal (pilih: {choices}).").format(
            kind=repr(data.kind), choices=", ".join(DutyKind.values)
        )
    if data.end <= data.start:
        errors["end"] = gettext("Waktu selesai harus setelah waktu mulai.")
    if data.repeat_until is not None:
        if data.repeat_until < timezone.localtime(data.start).date():
            errors["repeat_until"] = gettext("Tanggal akhir pengulangan sebelum tanggal mulai.")
        if data.end - data.start > timedelta(days=7):
            errors["repeat_until"] = gettext(
                "Entri berulang mingguan tidak boleh lebih dari 7 hari."
            )
    return errors


@transaction.atomic
def do_create_duty(*, employee: Employee, data: DutyInput, actor: User | None) -> DutyEntry:
    errors = validate_duty(data)
    if errors:
        raise ValidationError(errors)
    entry = DutyEntry.objects.create(
        instansi_id=employee.instansi_id,
        employee=employee,
        kind=data.kind,
        start=data.start,
        end=data.end,
        repeat_until=data.repeat_until,
        note=data.note.strip()[:200],
        created_by=actor,
    )
    audit.record(
        actor=actor, action="duty.create", obj=entry, summary=f"{employee.nip} {data.kind}"
    )
    return entry


@transaction.atomic
def do_delete_duty(*, entry: DutyEntry, actor: User | None) -> None:
    audit.record(
        actor=actor,
        action="duty.delete",
        obj=entry,
        before={"kind": entry.kind, "start": entry.start.isoformat(), "end": entry.end.isoformat()},
    )
    entry.delete()


@transaction.atomic
def do_set_work_pattern(
    *,
    employee: Employee,
    weekdays: str,
    start_time: time,
    end_time: time,
    note: str = "",
    actor: User | None,
) -> WorkPattern:
    days = "".join(sorted(str(d) for d in parse_weekdays(weekdays)))
    if not days:
        raise ValidationError({"weekdays": gettext("Pilih minimal satu hari kerja.")})
    if end_time <= start_time:
        raise ValidationError({"end_time": gettext("Jam selesai harus setelah jam mulai.")})
    pattern, _created = WorkPattern.objects.update_or_create(
        employee=employee,
        defaults={
            "weekdays": days,
            "start_time": start_time,
            "end_time": end_time,
            "note": note[:200],
        },
    )
    audit.record(
        actor=actor,
        action="work_pattern.set",
        obj=pattern,
        after={"weekdays": days, "start": str(start_time), "end": str(end_time)},
        instansi=employee.instansi,
    )
    return pattern


# --- bulk writes (the duty calendar import, kompeten/scheduling/imports.py) -----------------


@dataclass(frozen=True)
class DutyItem:
    """One entry of an imported duty calendar: the employee's id and the entry."""

    employee_id: int
    data: DutyInput


@transaction.atomic
def do_bulk_create_duties(
    *, instansi: Instansi, items: list[DutyItem], actor: User | None
) -> tuple[int, int]:
    """Create duty entries in bulk (one transaction, one audit row); return (created, already
    there). An entry identical to a stored one (same employee, kind, start, end and repeat) is
    not added twice, so that importing the same calendar again changes nothing. Refuses
    (ValidationError naming the entry, nothing written) an invalid entry or an employee of
    another instansi."""
    employee_ids = {i.employee_id for i in items}
    own = set(
        Employee.objects.filter(instansi=instansi, pk__in=employee_ids).values_list("pk", flat=True)
    )
    errors: list[str] = []
    for n, item in enumerate(items, start=1):
        if item.employee_id not in own:
            errors.append(gettext("Entri {n}: pegawai milik instansi lain.").format(n=n))
        for message in validate_duty(item.data).values():
            errors.append(gettext("Entri {n}: {message}").format(n=n, message=message))
    if errors:
        raise ValidationError(errors)
    stored = set(
        DutyEntry.objects.filter(employee_id__in=employee_ids).values_list(
            "employee_id", "kind", "start", "end", "repeat_until"
        )
    )
    new: list[DutyEntry] = []
    for item in items:
        d = item.data
        key = (item.employee_id, d.kind, d.start, d.end, d.repeat_until)
        if key in stored:
            continue
        stored.add(key)
        new.append(
            DutyEntry(
                instansi=instansi,
                employee_id=item.employee_id,
                kind=d.kind,
                start=d.start,
                end=d.end,
                repeat_until=d.repeat_until,
                note=d.note.strip()[:200],
                created_by=actor if actor is not None and actor.pk else None,
            )
        )
    DutyEntry.objects.bulk_create(new, batch_size=1000)
    audit.record(
        actor=actor,
        action="duty.import",
        object_type="scheduling.dutyentry",
        summary=gettext("{n} entri kalender tugas diimpor").format(n=len(new)),
        instansi=instansi,
    )
    return len(new), len(items) - len(new)
