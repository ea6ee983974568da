"""Import of SKP ratings and discipline records from XLSX or CSV, all or nothing.

Columns are found by header (case, spaces and punctuation ignored):

* SKP: ``NIP``, ``Tahun``, ``Hasil Kerja`` and ``Perilaku`` (Di Atas / Sesuai / Di Bawah
  Ekspektasi) or ``Nilai SKP`` (old numeric SKP, 0–100);
* disiplin: ``NIP``, ``Tanggal`` (dd-mm-yyyy), ``Tingkat`` (ringan/sedang/berat), ``Keterangan``.

Every problem names the spreadsheet row, the column and what is wrong, in Indonesian; one bad
row means nothing is saved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.people.imports import ImportFileError, Problem, Table, parse_date, read_table
from kompeten.people.models import Employee
from kompeten.records.actions import clean_discipline, clean_skp
from kompeten.records.models import DisciplineRecord, SkpRating

SKP_COLUMNS = {
    "nip": ("nip", "nipbaru"),
    "year": ("tahun", "tahunpenilaian", "periode"),
    "hasil_kerja": ("hasilkerja", "ratinghasilkerja", "penilaianhasilkerja"),
    "perilaku": ("perilaku", "perilakukerja", "ratingperilaku", "ratingperilakukerja"),
    "score": ("nilaiskp", "nilai", "skp", "nilaiskplama"),
}
SKP_LABELS = {
    "nip": "NIP",
    "year": "Tahun",
    "hasil_kerja": "Hasil Kerja",
    "perilaku": "Perilaku",
    "score": "Nilai SKP",
}
DISCIPLINE_COLUMNS = {
    "nip": ("nip", "nipbaru"),
    "date": ("tanggal", "tanggalsk", "tmt", "tanggalhukuman"),
    "level": ("tingkat", "tingkathukuman", "jenishukuman", "hukuman"),
    "note": ("keterangan", "catatan", "uraian"),
}
DISCIPLINE_LABELS = {"nip": "NIP", "date": "Tanggal", "level": "Tingkat", "note": "Keterangan"}


@dataclass
class RecordImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def written(self) -> bool:
        return not self.problems and not self.dry_run and (self.created + self.updated) > 0


def _key(text: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


def _columns(table: Table, spec: dict[str, tuple[str, ...]]) -> dict[str, int]:
    keys = [_key(h) for h in table.headers]
    found: dict[str, int] = {}
    for name, aliases in spec.items():
        for alias in aliases:
            if alias in keys:
                found[name] = keys.index(alias)
                break
    return found


def _cell(cells: Sequence[Any], index: int | None) -> Any:
    if index is None or index >= len(cells):
        return None
    value = cells[index]
    return value.strip() if isinstance(value, str) else value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _employees(instansi: Instansi, nips: set[str]) -> dict[str, Employee]:
    return {
        e.nip: e
        for e in Employee.objects.filter(instansi=instansi, nip__in=sorted(nips)).only(
            "id", "nip", "instansi_id"
        )
    }


def _missing(found: dict[str, int], required: Sequence[str], labels: dict[str, str]) -> None:
    absent = [labels[r] for r in required if r not in found]
    if absent:
        raise ImportFileError("Kolom wajib tidak ditemukan: " + ", ".join(absent) + ".")


def _problems_of(exc: ValidationError, row: int, labels: dict[str, str]) -> list[Problem]:
    out = []
    for name, messages in exc.message_dict.items():
        for message in messages:
            out.append(Problem(row=row, column=labels.get(name, name), message=message))
    return out


def import_skp(
    data: bytes,
    filename: str,
    *,
    instansi: Instansi,
    actor: User | None,
    dry_run: bool = False,
    sheet: str | None = None,
) -> RecordImportResult:
    table = read_table(data, filename, sheet)
    cols = _columns(table, SKP_COLUMNS)
    _missing(cols, ("nip", "year"), SKP_LABELS)
    if "score" not in cols and not ("hasil_kerja" in cols and "perilaku" in cols):
        raise ImportFileError(
            "Perlu kolom Hasil Kerja dan Perilaku (SKP baru) atau kolom Nilai SKP (SKP lama)."
        )
    result = RecordImportResult(rows=len(table.rows), dry_run=dry_run)
    nips = {_text(_cell(c, cols["nip"])) for _, c in table.rows}
    employees = _employees(instansi, nips)
    parsed: list[tuple[Employee, int, str, str, str, Any]] = []
    seen: dict[tuple[str, int], int] = {}
    for number, cells in table.rows:
        nip = _text(_cell(cells, cols["nip"]))
        employee = employees.get(nip)
        if employee is None:
            result.problems.append(
                Problem(number, "NIP", f"Pegawai dengan NIP {nip or '(kosong)'} tidak terdaftar.")
            )
            continue
        try:
            year, h, p, pred, score = clean_skp(
                _text(_cell(cells, cols["year"])),
                _text(_cell(cells, cols.get("hasil_kerja"))),
                _text(_cell(cells, cols.get("perilaku"))),
                _cell(cells, cols.get("score")),
            )
        except ValidationError as exc:
            result.problems.extend(_problems_of(exc, number, SKP_LABELS))
            continue
        if (nip, year) in seen:
            result.problems.append(
                Problem(
                    number,
                    "Tahun",
                    f"NIP {nip} tahun {year} sudah ada di baris {seen[(nip, year)]}.",
                )
            )
            continue
        seen[(nip, year)] = number
        parsed.append((employee, year, h, p, pred, score))
    if result.problems or dry_run:
        return result
    with transaction.atomic():
        existing = {
            (r.employee_id, r.year): r
            for r in SkpRating.objects.filter(
                employee_id__in=[e.pk for e, *_ in parsed], year__in={y for _, y, *_ in parsed}
            )
        }
        new, changed = [], []
        for employee, year, h, p, pred, score in parsed:
            row = existing.get((employee.pk, year))
            if row is None:
                new.append(
                    SkpRating(
                        instansi=instansi,
                        employee=employee,
                        year=year,
                        hasil_kerja=h,
                        perilaku=p,
                        predikat=pred,
                        score=score,
                    )
                )
            elif (row.hasil_kerja, row.perilaku, row.predikat, row.score) != (h, p, pred, score):
                row.hasil_kerja, row.perilaku, row.predikat, row.score = h, p, pred, score
                changed.append(row)
        SkpRating.objects.bulk_create(new, batch_size=2000)
        SkpRating.objects.bulk_update(
            changed, ["hasil_kerja", "perilaku", "predikat", "score"], batch_size=2000
        )
        result.created, result.updated = len(new), len(changed)
        audit.record(
            actor=actor,
            action="records.skp_import",
            object_type="records.skprating",
            instansi=instansi,
            summary=f"Impor SKP {filename}: {len(new)} baru, {len(changed)} berubah",
        )
    return result


def import_discipline(
    data: bytes,
    filename: str,
    *,
    instansi: Instansi,
    actor: User | None,
    dry_run: bool = False,
    sheet: str | None = None,
) -> RecordImportResult:
    table = read_table(data, filename, sheet)
    cols = _columns(table, DISCIPLINE_COLUMNS)
    _missing(cols, ("nip", "date", "level"), DISCIPLINE_LABELS)
    result = RecordImportResult(rows=len(table.rows), dry_run=dry_run)
    nips = {_text(_cell(c, cols["nip"])) for _, c in table.rows}
    employees = _employees(instansi, nips)
    parsed: list[DisciplineRecord] = []
    for number, cells in table.rows:
        nip = _text(_cell(cells, cols["nip"]))
        employee = employees.get(nip)
        if employee is None:
            result.problems.append(
                Problem(number, "NIP", f"Pegawai dengan NIP {nip or '(kosong)'} tidak terdaftar.")
            )
            continue
        raw_date = _cell(cells, cols["date"])
        day = parse_date(raw_date) if raw_date not in (None, "") else None
        if raw_date not in (None, "") and day is None:
            result.problems.append(
                Problem(number, "Tanggal", f"Tanggal {raw_date!r} tidak dikenali (dd-mm-yyyy).")
            )
            continue
        try:
            day_v, level, note = clean_discipline(
                day, _text(_cell(cells, cols["level"])), _text(_cell(cells, cols.get("note")))
            )
        except ValidationError as exc:
            result.problems.extend(_problems_of(exc, number, DISCIPLINE_LABELS))
            continue
        parsed.append(
            DisciplineRecord(
                instansi=instansi, employee=employee, date=day_v, level=level, note=note
            )
        )
    if result.problems or dry_run:
        return result
    with transaction.atomic():
        existing = set(
            DisciplineRecord.objects.filter(
                employee_id__in={r.employee_id for r in parsed}
            ).values_list("employee_id", "date", "level")
        )
        new = [r for r in parsed if (r.employee_id, r.date, r.level) not in existing]
        DisciplineRecord.objects.bulk_create(new, batch_size=2000)
        result.created = len(new)
        audit.record(
            actor=actor,
            action="records.discipline_import",
            object_type="records.disciplinerecord",
            instansi=instansi,
            summary=f"Impor hukuman disiplin {filename}: {len(new)} baru",
        )
    return result
