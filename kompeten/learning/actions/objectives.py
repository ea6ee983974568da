"""Choosing how each programme objective is judged: indicator, comparison and target."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.learning.models import (
    CHANGE_INDICATORS,
    ObjectiveComparison,
    ObjectiveIndicator,
    Programme,
    ProgrammeObjective,
)


@dataclass(frozen=True)
class ObjectiveInput:
    """One objective line's measure; ``indicator`` blank leaves it "belum dipilih"."""

    text: str
    indicator: str = ""
    comparison: str = ""
    target: object = None


def _target(value: object, number: int) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        target = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(
            gettext("Tujuan {number}: target {value} bukan angka (tulis mis. 20 atau 0,3).").format(
                number=number, value=repr(value)
            )
        ) from None
    if not target.is_finite():
        raise ValidationError(
            gettext("Tujuan {number}: target harus angka terhingga.").format(number=number)
        )
    return target


def _check(number: int, row: ObjectiveInput) -> Decimal | None:
    if not row.indicator:
        return None
    if row.indicator not in ObjectiveIndicator.values:
        raise ValidationError(
            gettext("Tujuan {number}: indikator {indicator} tidak dikenal.").format(
                number=number, indicator=repr(row.indicator)
            )
        )
    if row.comparison not in ObjectiveComparison.values:
        raise ValidationError(
            gettext("Tujuan {number}: pilih pembanding (≥, ≤, naik atau turun).").format(
                number=number
            )
        )
    change = row.comparison in (ObjectiveComparison.INCREASE, ObjectiveComparison.DECREASE)
    if change and row.indicator not in CHANGE_INDICATORS:
        raise ValidationError(
            gettext(
                "Tujuan {number}: 'naik/turun sedikitnya' hanya untuk indikator perubahan "
                "(kenaikan skor, perubahan perilaku, IKM atau pengaduan); pakai ≥ atau ≤."
            ).format(number=number)
        )
    target = _target(row.target, number)
    if target is None:
        raise ValidationError(gettext("Tujuan {number}: target wajib diisi.").format(number=number))
    if change and target < 0:
        raise ValidationError(
            gettext("Tujuan {number}: target 'naik/turun sedikitnya' tidak boleh negatif.").format(
                number=number
            )
        )
    return target


@transaction.atomic
def do_set_objective_measures(
    *, programme: Programme, rows: Sequence[ObjectiveInput], actor: User | None
) -> list[ProgrammeObjective]:
    """Store the measure of each of ``programme``'s objective lines (matched by text); rows for
    lines no longer in the programme's objectives are removed. Nothing is written when a row is
    invalid (the message names the objective's number)."""
    lines = programme.objective_list
    texts = [r.text.strip() for r in rows]
    unknown = [t for t in texts if t not in lines]
    if unknown:
        raise ValidationError(
            gettext("Tujuan {text} tidak ada dalam tujuan program; muat ulang halaman.").format(
                text=repr(unknown[0])
            )
        )
    if len(set(texts)) != len(texts):
        raise ValidationError(gettext("Setiap tujuan hanya boleh muncul sekali."))
    targets = [_check(lines.index(t) + 1, r) for t, r in zip(texts, rows, strict=True)]
    existing = {o.text: o for o in ProgrammeObjective.objects.filter(programme=programme)}
    before = {t: [o.indicator, o.comparison, str(o.target)] for t, o in existing.items()}
    ProgrammeObjective.objects.filter(programme=programme).exclude(text__in=lines).delete()
    out = []
    for text, row, target in zip(texts, rows, targets, strict=True):
        obj = existing.get(text) or ProgrammeObjective(programme=programme, text=text)
        obj.indicator = row.indicator
        obj.comparison = row.comparison if row.indicator else ""
        obj.target = target
        obj.order = lines.index(text) + 1
        obj.save()
        out.append(obj)
    audit.record(
        actor=actor,
        action="programme.objectives",
        obj=programme,
        summary=f"Ukuran tujuan program {programme.code}",
        before=before,
        after={o.text: [o.indicator, o.comparison, str(o.target)] for o in out},
    )
    return out
