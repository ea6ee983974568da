"""The competency dictionary and the levels each post requires."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.learning.models import Competency, CompetencyGroup, CompetencyLevel, RequiredLevel
from kompeten.people.models import JabatanKind


def check_level(value: object, field: str = "level") -> int:
    """A proficiency level 1–5, or a ValidationError naming the field."""
    try:
        level = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(
            {field: f"Level harus bilangan bulat 1–5, bukan {value!r}."}
        ) from None
    if str(value).strip() != str(level) or not 1 <= level <= 5:
        raise ValidationError({field: f"Level harus antara 1 dan 5, bukan {value}."})
    return level


@dataclass(frozen=True)
class LevelInput:
    level: int
    description: str = ""
    indicators: str = ""


@transaction.atomic
def do_create_competency(
    *,
    instansi: Instansi,
    code: str,
    name: str,
    group: str,
    description: str = "",
    levels: Iterable[LevelInput] = (),
    actor: User | None = None,
) -> Competency:
    code = code.strip()
    if not code:
        raise ValidationError({"code": "Kode kompetensi wajib diisi."})
    if not name.strip():
        raise ValidationError({"name": "Nama kompetensi wajib diisi."})
    if group not in CompetencyGroup.values:
        raise ValidationError({"group": f"Kelompok kompetensi {group!r} tidak dikenal."})
    if Competency.objects.filter(instansi=instansi, code=code).exists():
        raise ValidationError({"code": f"Kode kompetensi {code} sudah dipakai."})
    competency = Competency.objects.create(
        instansi=instansi, code=code, name=name.strip(), group=group, description=description
    )
    seen: set[int] = set()
    rows = []
    for item in levels:
        level = check_level(item.level)
        if level in seen:
            raise ValidationError({"levels": f"Level {level} tercantum dua kali."})
        seen.add(level)
        rows.append(
            CompetencyLevel(
                competency=competency,
                level=level,
                description=item.description,
                indicators=item.indicators,
            )
        )
    CompetencyLevel.objects.bulk_create(rows)
    audit.record(actor=actor, action="competency.create", obj=competency, summary=name)
    return competency


@transaction.atomic
def do_update_competency(
    competency: Competency,
    *,
    name: str,
    group: str,
    description: str,
    is_active: bool = True,
    actor: User | None = None,
) -> Competency:
    if not name.strip():
        raise ValidationError({"name": "Nama kompetensi wajib diisi."})
    if group not in CompetencyGroup.values:
        raise ValidationError({"group": f"Kelompok kompetensi {group!r} tidak dikenal."})
    before = {"name": competency.name, "group": competency.group, "is_active": competency.is_active}
    competency.name = name.strip()
    competency.group = group
    competency.description = description
    competency.is_active = is_active
    competency.save(update_fields=["name", "group", "description", "is_active"])
    audit.record(
        actor=actor,
        action="competency.update",
        obj=competency,
        before=before,
        after={"name": competency.name, "group": group, "is_active": is_active},
    )
    return competency


@transaction.atomic
def do_set_competency_level(
    competency: Competency,
    *,
    level: int,
    description: str,
    indicators: str,
    actor: User | None = None,
) -> CompetencyLevel:
    level = check_level(level)
    row, _created = CompetencyLevel.objects.update_or_create(
        competency=competency,
        level=level,
        defaults={"description": description, "indicators": indicators},
    )
    audit.record(
        actor=actor,
        action="competency.level",
        obj=competency,
        summary=f"{competency.code} level {level}",
    )
    return row


@transaction.atomic
def do_set_required_level(
    *,
    instansi: Instansi,
    jabatan_kind: str,
    jabatan_name: str,
    competency: Competency,
    level: int | None,
    actor: User | None = None,
) -> RequiredLevel | None:
    """Set (or, with level None, remove) the level a post requires of a competency."""
    if jabatan_kind not in JabatanKind.values:
        raise ValidationError({"jabatan_kind": f"Jenis jabatan {jabatan_kind!r} tidak dikenal."})
    if competency.instansi_id != instansi.pk:
        raise ValidationError({"competency": "Kompetensi milik instansi lain."})
    jabatan_name = jabatan_name.strip()
    key: dict[str, Any] = {
        "instansi": instansi,
        "jabatan_kind": jabatan_kind,
        "jabatan_name": jabatan_name,
        "competency": competency,
    }
    if level is None:
        RequiredLevel.objects.filter(**key).delete()
        audit.record(
            actor=actor,
            action="required_level.delete",
            obj=competency,
            summary=f"{jabatan_kind} {jabatan_name}".strip(),
        )
        return None
    level = check_level(level)
    row, _created = RequiredLevel.objects.update_or_create(**key, defaults={"level": level})
    audit.record(
        actor=actor,
        action="required_level.set",
        obj=competency,
        summary=f"{jabatan_kind} {jabatan_name}: {competency.code} ≥ {level}".strip(),
    )
    return row


REQUIRED_LEVEL_HEADER = ["Jenis jabatan", "Nama jabatan", "Kode kompetensi", "Level"]


def _kind_from_text(value: str) -> str | None:
    text = value.strip().lower()
    for kind in JabatanKind:
        if text in (kind.value, str(kind.label).lower()):
            return kind.value
    return None


@transaction.atomic
def do_import_required_levels(
    *, instansi: Instansi, rows: Iterable[Mapping[str, object]], actor: User | None = None
) -> int:
    """Upsert required levels from rows keyed by REQUIRED_LEVEL_HEADER; all or nothing.

    Raises a ValidationError listing every bad row (row numbers as in the spreadsheet, header
    = row 1) and writes nothing when any row is bad.
    """
    competencies = {c.code: c for c in Competency.objects.filter(instansi=instansi)}
    errors: list[str] = []
    parsed: dict[tuple[str, str, int], int] = {}
    for number, row in enumerate(rows, start=2):
        kind_text = str(row.get("Jenis jabatan") or "").strip()
        name = str(row.get("Nama jabatan") or "").strip()
        code = str(row.get("Kode kompetensi") or "").strip()
        raw_level = row.get("Level")
        if not (kind_text or name or code or raw_level not in (None, "")):
            continue
        kind = _kind_from_text(kind_text)
        if kind is None:
            errors.append(f"Baris {number}, kolom Jenis jabatan: {kind_text!r} tidak dikenal.")
            continue
        competency = competencies.get(code)
        if competency is None:
            errors.append(f"Baris {number}, kolom Kode kompetensi: {code!r} tidak ada di kamus.")
            continue
        if isinstance(raw_level, float) and raw_level.is_integer():
            raw_level = int(raw_level)
        try:
            level = check_level(raw_level)
        except ValidationError:
            errors.append(f"Baris {number}, kolom Level: {raw_level!r} harus bilangan bulat 1–5.")
            continue
        key = (kind, name, competency.pk)
        if key in parsed:
            errors.append(f"Baris {number}: jabatan dan kompetensi ini sudah ada di baris lain.")
            continue
        parsed[key] = level
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(["Berkas tidak memuat baris data."])
    existing = {
        (r.jabatan_kind, r.jabatan_name, r.competency_id): r
        for r in RequiredLevel.objects.filter(instansi=instansi)
    }
    to_create: list[RequiredLevel] = []
    to_update: list[RequiredLevel] = []
    for (kind, name, competency_id), level in parsed.items():
        current = existing.get((kind, name, competency_id))
        if current is None:
            to_create.append(
                RequiredLevel(
                    instansi=instansi,
                    jabatan_kind=kind,
                    jabatan_name=name,
                    competency_id=competency_id,
                    level=level,
                )
            )
        elif current.level != level:
            current.level = level
            to_update.append(current)
    RequiredLevel.objects.bulk_create(to_create, batch_size=1000)
    RequiredLevel.objects.bulk_update(to_update, ["level"], batch_size=500)
    audit.record(
        actor=actor,
        action="required_level.import",
        instansi=instansi,
        object_type="learning.requiredlevel",
        summary=f"{len(to_create)} baru, {len(to_update)} diubah",
    )
    return len(parsed)


def read_xlsx_rows(content: bytes) -> list[dict[str, object]]:
    """The first sheet of an XLSX as dicts keyed by the header row (python-calamine)."""
    from python_calamine import CalamineError, CalamineWorkbook, XmlError, ZipError

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        data = workbook.get_sheet_by_index(0).to_python()
    except (CalamineError, XmlError, ZipError, ValueError, OSError) as exc:
        raise ValidationError([f"Berkas bukan XLSX yang dapat dibaca: {exc}"]) from None
    if not data:
        raise ValidationError(["Berkas kosong."])
    header = [str(h).strip() for h in data[0]]
    missing = [h for h in REQUIRED_LEVEL_HEADER if h not in header]
    if missing:
        raise ValidationError([f"Kolom wajib tidak ada: {', '.join(missing)}."])
    return [dict(zip(header, row, strict=False)) for row in data[1:]]
