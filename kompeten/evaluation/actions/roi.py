"""Inputs of the Phillips ROI: benefits (and intangibles) and the hourly-cost table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.evaluation.models import (
    Benefit,
    BenefitKind,
    HourlyCostRate,
    HourlyCostTable,
    Isolation,
    IsolationOutcome,
    ParticipantEstimate,
)
from kompeten.learning.models import Programme
from kompeten.participation.models import Enrolment, EnrolmentStatus
from kompeten.people.models import Employee

GOLONGAN_GROUPS = ("I", "II", "III", "IV", "PPPK")


def _dec(value: object, field: str, label: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(
            {field: gettext("{label} harus berupa angka.").format(label=label)}
        ) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({field: gettext("{label} tidak boleh negatif.").format(label=label)})
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
        raise ValidationError({"source": gettext("Sebutkan sumber angka biaya per jam.")})
    parsed: dict[str, Decimal] = {}
    for group, raw in rates.items():
        if group not in GOLONGAN_GROUPS:
            raise ValidationError(
                {"rates": gettext("Golongan {group} tidak dikenal.").format(group=group)}
            )
        value = _dec(raw, "rates", gettext("Biaya per jam golongan {group}").format(group=group))
        if value is None or value <= 0:
            raise ValidationError(
                {
                    "rates": gettext("Biaya per jam golongan {group} harus lebih dari 0.").format(
                        group=group
                    )
                }
            )
        parsed[group] = value
    if not parsed:
        raise ValidationError({"rates": gettext("Isi paling sedikit satu golongan.")})
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
    isolation_outcome: str = ""


@transaction.atomic
def do_add_benefit(programme: Programme, *, data: BenefitInput, actor: User | None) -> Benefit:
    """A first-year benefit: hours saved × hourly cost of a golongan, or a rupiah amount; or an
    intangible (no value). Monetised benefits need an isolation method (Phillips):

    * comparison group or trend line: the L4 outcome whose DiD or ITS isolates it (or, for an
      outcome Kompeten does not measure, a share 0–1 worked out elsewhere — not both);
    * participant estimate: the yearly value (hours or rupiah) is optional — without it, the
      value comes from the per-participant estimates (:func:`do_add_participant_estimate`).
    """
    if not data.name.strip():
        raise ValidationError({"name": gettext("Nama manfaat wajib diisi.")})
    if data.kind not in BenefitKind.values:
        raise ValidationError({"kind": gettext("Jenis manfaat tidak dikenal.")})
    hours = _dec(data.hours_per_year, "hours_per_year", gettext("Jam per tahun"))
    amount = _dec(data.amount_per_year, "amount_per_year", gettext("Nilai per tahun"))
    share = _dec(data.isolation_share, "isolation_share", gettext("Bagian karena pelatihan"))
    outcome = (data.isolation_outcome or "").strip()
    if data.kind == BenefitKind.MONETISED:
        if data.isolation not in Isolation.values:
            raise ValidationError({"isolation": gettext("Pilih cara isolasi efek pelatihan.")})
        both = hours is not None and amount is not None
        neither = hours is None and amount is None and data.isolation != Isolation.ESTIMATE
        if both or neither:
            raise ValidationError(
                {
                    "hours_per_year": gettext(
                        "Isi jam kerja dihemat per tahun ATAU nilai rupiah per tahun."
                    )
                }
            )
        if hours is not None and data.golongan_group not in GOLONGAN_GROUPS:
            raise ValidationError(
                {"golongan_group": gettext("Pilih golongan untuk biaya per jam.")}
            )
        if outcome and outcome not in IsolationOutcome.values:
            raise ValidationError(
                {"isolation_outcome": gettext("Hasil L4 untuk isolasi tidak dikenal.")}
            )
        if data.isolation == Isolation.ESTIMATE:
            outcome, share = "", None
        elif outcome and share is not None:
            raise ValidationError(
                {
                    "isolation_share": gettext(
                        "Pilih hasil L4 untuk isolasi ATAU isi bagian 0–1 yang "
                        "dihitung di luar Kompeten, bukan keduanya."
                    )
                }
            )
        elif not outcome and (share is None or share > 1):
            raise ValidationError(
                {
                    "isolation_outcome": gettext(
                        "Pilih hasil L4 (IKM atau ketepatan waktu pengaduan) "
                        "yang mengisolasi manfaat ini, atau isi bagian karena pelatihan 0–1."
                    )
                }
            )
    else:
        hours = amount = share = None
        outcome = ""
    benefit = Benefit.objects.create(
        programme=programme,
        kind=data.kind,
        name=data.name.strip(),
        hours_per_year=hours,
        golongan_group=data.golongan_group if hours is not None else "",
        amount_per_year=amount,
        isolation=data.isolation if data.kind == BenefitKind.MONETISED else "",
        isolation_share=share,
        isolation_outcome=outcome,
        note=data.note.strip(),
    )
    audit.record(actor=actor, action="evaluation.benefit_added", obj=benefit, summary=benefit.name)
    return benefit


def _pct(value: object, field: str, label: str) -> Decimal:
    number = _dec(value, field, label)
    if number is None:
        raise ValidationError({field: gettext("{label} wajib diisi (0–100).").format(label=label)})
    if number > 100:
        raise ValidationError({field: gettext("{label} harus 0–100.").format(label=label)})
    return number


@transaction.atomic
def do_add_participant_estimate(
    benefit: Benefit,
    *,
    employee: Employee,
    annual_value: object,
    attribution: object,
    confidence: object,
    basis: str = "",
    actor: User | None,
) -> ParticipantEstimate:
    """Record (or replace) one participant's Phillips estimate for a participant-estimate
    benefit: the yearly value of their improvement (Rp), the % they attribute to the training
    and their % confidence. Only accepted participants of the programme may estimate."""
    if benefit.kind != BenefitKind.MONETISED or benefit.isolation != Isolation.ESTIMATE:
        raise ValidationError(
            {
                "benefit": gettext(
                    "Estimasi peserta hanya untuk manfaat dengan isolasi estimasi peserta."
                )
            }
        )
    if not Enrolment.objects.filter(
        batch__programme_id=benefit.programme_id,
        employee=employee,
        status=EnrolmentStatus.ACCEPTED,
    ).exists():
        raise ValidationError(
            {
                "employee": gettext(
                    "{employee} bukan peserta program ini, jadi tidak dapat memberi estimasi."
                ).format(employee=employee)
            }
        )
    value = _dec(annual_value, "annual_value", gettext("Nilai perbaikan per tahun"))
    if value is None:
        raise ValidationError({"annual_value": gettext("Nilai perbaikan per tahun wajib diisi.")})
    a = _pct(attribution, "attribution", gettext("Bagian karena pelatihan (%)"))
    c = _pct(confidence, "confidence", gettext("Keyakinan (%)"))
    estimate, _created = ParticipantEstimate.objects.update_or_create(
        benefit=benefit,
        employee=employee,
        defaults={
            "annual_value": value,
            "attribution": a,
            "confidence": c,
            "basis": basis.strip()[:300],
            "created_by": actor if actor is not None and actor.pk else None,
        },
    )
    audit.record(
        actor=actor,
        action="evaluation.participant_estimate",
        obj=estimate,
        summary=f"{benefit.name}: {employee}",
        after={"annual_value": str(value), "attribution": str(a), "confidence": str(c)},
    )
    return estimate
