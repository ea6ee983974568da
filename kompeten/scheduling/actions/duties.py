"""Duty calendars: entries, working patterns and the XLSX import."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.people.models import Employee
from kompeten.scheduling.expand import JAKARTA, parse_weekdays
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


# --- XLSX import -------------------------------------------------------------------------------

IMPORT_COLUMNS = ["nip", "jenis", "mulai", "selesai", "berulang_sampai", "keterangan"]
KIND_ALIASES = {
    "shift": DutyKind.SHIFT,
    "jaga": DutyKind.SHIFT,
    "loket": DutyKind.SHIFT,
    "cuti": DutyKind.LEAVE,
    "dinas_luar": DutyKind.TRAVEL,
    "dinas luar": DutyKind.TRAVEL,
    "perjalanan dinas": DutyKind.TRAVEL,
    "lainnya": DutyKind.OTHER,
}


@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    message: str


class DutyImportError(Exception):
    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} masalah pada berkas impor")


def _to_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=JAKARTA)
    if isinstance(value, date):
        return datetime.combine(value, time.min, tzinfo=JAKARTA)
    if isinstance(value, str) and value.strip():
        text = value.strip().replace(" ", "T", 1) if "T" not in value else value.strip()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=JAKARTA)
    return None


def _to_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def read_duty_rows(content: IO[bytes] | bytes) -> list[list[Any]]:
    """Rows of the first sheet (header included), read with python-calamine."""
    from python_calamine import CalamineWorkbook

    data = content if isinstance(content, bytes) else content.read()
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any parser failure is the same problem for the user
        raise DutyImportError(
            [ImportProblem(0, "", f"Berkas bukan XLSX yang dapat dibaca: {exc}")]
        ) from None
    sheet = workbook.get_sheet_by_index(0)
    return [list(row) for row in sheet.to_python(skip_empty_area=True)]


@transaction.atomic
def do_import_duties(*, rows: list[list[Any]], allowed: Any, actor: User | None) -> list[DutyEntry]:
    """All or nothing: every problem is reported by row and column; nothing is written on error.

    ``allowed`` is the queryset of employees the importer may edit (the scoping helper).
    """
    problems: list[ImportProblem] = []
    if not rows:
        raise DutyImportError([ImportProblem(1, "", "Berkas kosong.")])
    header = [str(h).strip().lower() for h in rows[0]]
    missing = [c for c in IMPORT_COLUMNS[:4] if c not in header]
    if missing:
        raise DutyImportError(
            [ImportProblem(1, c, f"Kolom '{c}' tidak ada di baris judul.") for c in missing]
        )
    col = {name: header.index(name) for name in IMPORT_COLUMNS if name in header}
    nips = {str(r[col["nip"]]).strip().replace(" ", "") for r in rows[1:] if len(r) > col["nip"]}
    employees = {e.nip: e for e in allowed.filter(nip__in=nips)}
    parsed: list[tuple[Employee, DutyInput]] = []
    for number, row in enumerate(rows[1:], start=2):

        def cell(name: str, row: list[Any] = row) -> Any:
            idx = col.get(name)
            return row[idx] if idx is not None and idx < len(row) else ""

        if all(str(v).strip() == "" for v in row):
            continue
        nip = str(cell("nip")).strip().replace(" ", "")
        if nip.endswith(".0"):
            nip = nip[:-2]
        employee = employees.get(nip)
        if employee is None:
            problems.append(
                ImportProblem(number, "nip", f"NIP {nip} tidak dikenal atau di luar OPD Anda.")
            )
        kind_raw = str(cell("jenis")).strip().lower()
        kind = KIND_ALIASES.get(kind_raw, kind_raw)
        start = _to_datetime(cell("mulai"))
        end = _to_datetime(cell("selesai"))
        if start is None:
            problems.append(
                ImportProblem(
                    number, "mulai", "Tanggal-waktu mulai tidak terbaca (contoh 2026-03-02 08:00)."
                )
            )
        if end is None:
            problems.append(
                ImportProblem(number, "selesai", "Tanggal-waktu selesai tidak terbaca.")
            )
        repeat_raw = cell("berulang_sampai")
        repeat = _to_date(repeat_raw) if str(repeat_raw).strip() else None
        if str(repeat_raw).strip() and repeat is None:
            problems.append(
                ImportProblem(
                    number, "berulang_sampai", "Tanggal tidak terbaca (contoh 2026-06-30)."
                )
            )
        if start is None or end is None:
            continue
        data = DutyInput(
            kind=kind, start=start, end=end, repeat_until=repeat, note=str(cell("keterangan") or "")
        )
        for field, message in validate_duty(data).items():
            problems.append(
                ImportProblem(
                    number, {"kind": "jenis", "end": "selesai"}.get(field, field), message
                )
            )
        if employee is not None:
            parsed.append((employee, data))
    if problems:
        raise DutyImportError(problems)
    created = [do_create_duty(employee=e, data=d, actor=None) for e, d in parsed]
    audit.record(
        actor=actor,
        action="duty.import",
        object_type="scheduling.dutyentry",
        summary=f"{len(created)} entri kalender tugas diimpor",
        instansi=actor.instansi if actor else None,
    )
    return created
