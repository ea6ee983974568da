"""The competency dictionary and the levels each post requires."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

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
            {
                field: gettext("Level harus bilangan bulat 1–5, bukan {value}.").format(
                    value=repr(value)
                )
            }
        ) from None
    if str(value).strip() != str(level) or not 1 <= level <= 5:
        raise ValidationError(
            {field: gettext("Level harus antara 1 dan 5, bukan {value}.").format(value=value)}
        )
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
        raise ValidationError({"code": gettext("Kode kompetensi wajib diisi.")})
    if not name.strip():
        raise ValidationError({"name": gettext("Nama kompetensi wajib diisi.")})
    if group not in CompetencyGroup.values:
        raise ValidationError(
            {
                "group": gettext("Kelompok kompetensi {group} tidak dikenal.").format(
                    group=repr(group)
                )
            }
        )
    if Competency.objects.filter(instansi=instansi, code=code).exists():
        raise ValidationError(
            {"code": gettext("Kode kompetensi {code} sudah dipakai.").format(code=code)}
        )
    competency = Competency.objects.create(
        instansi=instansi, code=code, name=name.strip(), group=group, description=description
    )
    seen: set[int] = set()
    rows = []
    for item in levels:
        level = check_level(item.level)
        if level in seen:
            raise ValidationError(
                {"levels": gettext("Level {level} tercantum dua kali.").format(level=level)}
            )
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
        raise ValidationError(
            {
                "jabatan_kind": gettext("Jenis jabatan {kind} tidak dikenal.").format(
                    kind=repr(jabatan_kind)
                )
            }
        )
    if competency.instansi_id != instansi.pk:
        raise ValidationError({"competency": gettext("Kompetensi milik instansi lain.")})
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


def kind_from_text(value: str) -> str | None:
    """The JabatanKind a cell names (its value or its label, any case), or None."""
    text = " ".join(str(value).split()).lower()
    for kind in JabatanKind:
        if text in (kind.value, str(kind.label).lower()):
            return kind.value
    return None


@dataclass(frozen=True)
class RequiredLevelInput:
    """One required level, checked: a post (kind and name, blank = every post of the kind)
    requires `level` of the competency `competency_id`."""

    jabatan_kind: str
    jabatan_name: str
    competency_id: int
    level: int


@transaction.atomic
def do_upsert_required_levels(
    *, instansi: Instansi, items: Iterable[RequiredLevelInput], actor: User | None = None
) -> tuple[int, int]:
    """Create or change the given required levels in bulk (one transaction, one audit row);
    return (created, changed). Refuses (ValidationError, nothing written) a competency of
    another instansi, a kind or level out of range and the same post and competency twice."""
    items = list(items)
    own = set(
        Competency.objects.filter(
            instansi=instansi, pk__in={i.competency_id for i in items}
        ).values_list("pk", flat=True)
    )
    errors: list[str] = []
    wanted: dict[tuple[str, str, int], int] = {}
    for item in items:
        key = (item.jabatan_kind, item.jabatan_name.strip(), item.competency_id)
        if item.jabatan_kind not in JabatanKind.values:
            errors.append(
                gettext("Jenis jabatan {kind} tidak dikenal.").format(kind=repr(item.jabatan_kind))
            )
        elif item.competency_id not in own:
            errors.append(gettext("Kompetensi milik instansi lain."))
        elif key in wanted:
            errors.append(
                gettext("Jabatan {jabatan} dan kompetensi yang sama dua kali.").format(
                    jabatan=repr(item.jabatan_name)
                )
            )
        else:
            wanted[key] = check_level(item.level)
    if errors:
        raise ValidationError(errors)
    existing = {
        (r.jabatan_kind, r.jabatan_name, r.competency_id): r
        for r in RequiredLevel.objects.filter(instansi=instansi)
    }
    to_create: list[RequiredLevel] = []
    to_update: list[RequiredLevel] = []
    for (kind, name, competency_id), level in wanted.items():
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
    return len(to_create), len(to_update)


@transaction.atomic
def do_import_required_levels(
    *, instansi: Instansi, rows: Iterable[Mapping[str, object]], actor: User | None = None
) -> int:
    """Upsert required levels from rows keyed by REQUIRED_LEVEL_HEADER (the demo data and the
    benchmarks); all or nothing. Files go through the import engine instead
    (``kompeten import required_levels``, ``kompeten/learning/imports.py``).

    Raises a ValidationError listing every bad row and writes nothing when any row is bad.
    """
    competencies = {c.code: c for c in Competency.objects.filter(instansi=instansi)}
    errors: list[str] = []
    items: list[RequiredLevelInput] = []
    seen: set[tuple[str, str, int]] = set()
    for number, row in enumerate(rows, start=2):
        kind_text = str(row.get("Jenis jabatan") or "").strip()
        name = str(row.get("Nama jabatan") or "").strip()
        code = str(row.get("Kode kompetensi") or "").strip()
        raw_level = row.get("Level")
        if not (kind_text or name or code or raw_level not in (None, "")):
            continue
        kind = kind_from_text(kind_text)
        if kind is None:
            errors.append(
                gettext("Baris {number}, kolom Jenis jabatan: {value} tidak dikenal.").format(
                    number=number, value=repr(kind_text)
                )
            )
            continue
        competency = competencies.get(code)
        if competency is None:
            errors.append(
                gettext(
                    "Baris {number}, kolom Kode kompetensi: {value} tidak ada di kamus."
                ).format(number=number, value=repr(code))
            )
            continue
        if isinstance(raw_level, float) and raw_level.is_integer():
            raw_level = int(raw_level)
        try:
            level = check_level(raw_level)
        except ValidationError:
            errors.append(
                gettext("Baris {number}, kolom Level: {value} harus bilangan bulat 1–5.").format(
                    number=number, value=repr(raw_level)
                )
            )
            continue
        key = (kind, name, competency.pk)
        if key in seen:
            errors.append(
                gettext(
                    "Baris {number}: jabatan dan kompetensi ini sudah ada di baris lain."
                ).format(number=number)
            )
            continue
        seen.add(key)
        items.append(RequiredLevelInput(kind, name, competency.pk, level))
    if errors:
        raise ValidationError(errors)
    if not items:
        raise ValidationError([gettext("Tidak ada baris data.")])
    do_upsert_required_levels(instansi=instansi, items=items, actor=actor)
    return len(items)
