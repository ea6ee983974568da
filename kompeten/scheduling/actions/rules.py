"""Staffing rules and peak periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.people.models import Employee, Unit
from kompeten.scheduling.expand import parse_weekdays
from kompeten.scheduling.models import PeakPeriod, StaffingRule


@dataclass
class RuleInput:
    label: str
    weekdays: str
    start_time: time
    end_time: time
    min_present: int
    valid_from: date | None = None
    valid_until: date | None = None


def _validate_rule(unit: Unit, data: RuleInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.label.strip():
        errors["label"] = gettext("Nama aturan wajib diisi.")
    if not parse_weekdays(data.weekdays):
        errors["weekdays"] = gettext("Pilih minimal satu hari.")
    if data.end_time <= data.start_time:
        errors["end_time"] = gettext("Jam selesai harus setelah jam mulai.")
    if data.min_present < 1:
        errors["min_present"] = gettext("Minimal hadir paling sedikit 1 orang.")
    members = Employee.objects.filter(unit__path__startswith=unit.path, is_active=True).count()
    if data.min_present > members:
        errors["min_present"] = gettext(
            "Aturan tidak mungkin dipenuhi: minimal {minimum} orang hadir, padahal "
            "{unit} hanya memiliki {members} pegawai aktif."
        ).format(minimum=data.min_present, unit=unit.display_name, members=members)
    if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
        errors["valid_until"] = gettext("Tanggal akhir berlaku sebelum tanggal mulai.")
    return errors


@transaction.atomic
def do_create_staffing_rule(*, unit: Unit, data: RuleInput, actor: User | None) -> StaffingRule:
    errors = _validate_rule(unit, data)
    if errors:
        raise ValidationError(errors)
    rule = StaffingRule.objects.create(
        instansi_id=unit.instansi_id,
        unit=unit,
        label=data.label.strip(),
        weekdays="".join(sorted(str(d) for d in parse_weekdays(data.weekdays))),
        start_time=data.start_time,
        end_time=data.end_time,
        min_present=data.min_present,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
    )
    audit.record(actor=actor, action="staffing_rule.create", obj=rule, summary=rule.label)
    return rule


@transaction.atomic
def do_deactivate_staffing_rule(*, rule: StaffingRule, actor: User | None) -> StaffingRule:
    rule.is_active = False
    rule.save(update_fields=["is_active"])
    audit.record(actor=actor, action="staffing_rule.deactivate", obj=rule, summary=rule.label)
    return rule


@transaction.atomic
def do_create_peak(
    *,
    instansi_id: int,
    unit: Unit | None,
    label: str,
    start_date: date,
    end_date: date,
    penalty: int,
    actor: User | None,
) -> PeakPeriod:
    errors: dict[str, str] = {}
    if not label.strip():
        errors["label"] = gettext("Nama masa sibuk wajib diisi.")
    if end_date < start_date:
        errors["end_date"] = gettext("Tanggal selesai sebelum tanggal mulai.")
    if penalty < 1:
        errors["penalty"] = gettext("Bobot minimal 1.")
    if errors:
        raise ValidationError(errors)
    peak = PeakPeriod.objects.create(
        instansi_id=instansi_id,
        unit=unit,
        label=label.strip(),
        start_date=start_date,
        end_date=end_date,
        penalty=penalty,
    )
    audit.record(actor=actor, action="peak.create", obj=peak, summary=peak.label)
    return peak


@transaction.atomic
def do_delete_peak(*, peak: PeakPeriod, actor: User | None) -> None:
    audit.record(actor=actor, action="peak.delete", obj=peak, summary=peak.label)
    peak.delete()
