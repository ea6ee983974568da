"""Inputs of the Phillips ROI: benefits (and intangibles) and the hourly-cost table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.evaluation.models import (
    Benefit,
    BenefitKind,
    HourlyCostRate,
    HourlyCostTable,
    Isolation,
)
from kompeten.learning.models import Programme

GOLONGAN_GROUPS = ("I", "II", "III", "IV", "PPPK")


def _dec(value: object, field: str, label: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: f"{label} harus berupa angka."}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({field: f"{label} tidak boleh negatif."})
    return number


@transaction.atomic
def do_set_hourly_costs(
    instansi: Instansi,
    *,
    name: str,
    effective_from: date,
    source: str,
    rates: Mapping[str, object],
    actor: User | None,
    confidence: str = "LOW",
) -> HourlyCostTable:
    """Add a new version of the hourly-cost table (the old versions stay for old reports)."""
    if not source.strip():
        raise ValidationError({"source": "Sebutkan sumber angka biaya per jam."})
    parsed: dict[str, Decimal] = {}
    for group, raw in rates.items():
        if group not in GOLONGAN_GROUPS:
            raise ValidationError({"rates": f"Golongan {group} tidak dikenal."})
        value = _dec(raw, "rates", f"Biaya per jam golongan {group}")
        if value is None or value <= 0:
            raise ValidationError({"rates": f"Biaya per jam golongan {group} harus lebih dari 0."})
        parsed[group] = value
    if not parsed:
        raise ValidationError({"rates": "Isi paling sedikit satu golongan."})
    table = HourlyCostTable.objects.create(
        instansi=instansi,
        name=name.strip() or "Biaya per jam",
        effective_from=effective_from,
        source=source.strip(),
        confidence=confidence,
        created_by=actor if actor is not None and actor.pk else None,
    )
    HourlyCostRate.objects.bulk_create(
        [HourlyCostRate(table=table, group=g, hourly_cost=v) for g, v in parsed.items()]
    )
    audit.record(
        actor=actor,
        action="evaluation.hourly_costs_set",
        obj=table,
        after={g: str(v) for g, v in parsed.items()},
    )
    return table


@dataclass(frozen=True)
class BenefitInput:
    kind: str
    name: str
    hours_per_year: object = None
    golongan_group: str = ""
    amount_per_year: object = None
    isolation: str = ""
    isolation_share: object = None
    note: str = ""


@transaction.atomic
def do_add_benefit(programme: Programme, *, data: BenefitInput, actor: User | None) -> Benefit:
    """A first-year benefit: hours saved × hourly cost of a golongan, or a rupiah amount; or an
    intangible (no value). Monetised benefits need an isolation method; comparison and trend
    need the share (0–1) they isolate, the participant estimate comes from the follow-up."""
    if not data.name.strip():
        raise ValidationError({"name": "Nama manfaat wajib diisi."})
    if data.kind not in BenefitKind.values:
        raise ValidationError({"kind": "Jenis manfaat tidak dikenal."})
    hours = _dec(data.hours_per_year, "hours_per_year", "Jam per tahun")
    amount = _dec(data.amount_per_year, "amount_per_year", "Nilai per tahun")
    share = _dec(data.isolation_share, "isolation_share", "Bagian karena pelatihan")
    if data.kind == BenefitKind.MONETISED:
        if (hours is None) == (amount is None):
            raise ValidationError(
                {"hours_per_year": "Isi jam kerja dihemat per tahun ATAU nilai rupiah per tahun."}
            )
        if hours is not None and data.golongan_group not in GOLONGAN_GROUPS:
            raise ValidationError({"golongan_group": "Pilih golongan untuk biaya per jam."})
        if data.isolation not in Isolation.values:
            raise ValidationError({"isolation": "Pilih cara isolasi efek pelatihan."})
        if data.isolation != Isolation.ESTIMATE and (share is None or share > 1):
            raise ValidationError({"isolation_share": "Bagian karena pelatihan harus 0–1."})
    else:
        hours = amount = share = None
    benefit = Benefit.objects.create(
        programme=programme,
        kind=data.kind,
        name=data.name.strip(),
        hours_per_year=hours,
        golongan_group=data.golongan_group if hours is not None else "",
        amount_per_year=amount,
        isolation=data.isolation if data.kind == BenefitKind.MONETISED else "",
        isolation_share=share if data.isolation != Isolation.ESTIMATE else None,
        note=data.note.strip(),
    )
    audit.record(actor=actor, action="evaluation.benefit_added", obj=benefit, summary=benefit.name)
    return benefit


@transaction.atomic
def do_delete_benefit(benefit: Benefit, *, actor: User | None) -> None:
    audit.record(
        actor=actor, action="evaluation.benefit_deleted", obj=benefit, summary=benefit.name
    )
    benefit.delete()
