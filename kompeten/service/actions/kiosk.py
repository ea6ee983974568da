"""Kiosk devices: the unit's admin issues a one-time enrolment code, the tablet enrols with it
and gets its device token (a cookie), the admin revokes a device. Audited."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.service.kiosk import CODE_ALPHABET, hash_secret, normalise_code
from kompeten.service.models import KioskDevice, ServiceUnit

CODE_LENGTH = 8  # 31⁸ ≈ 8,5 × 10¹¹ codes, valid one day, tries rate-limited per address
SEEN_RESOLUTION = timedelta(minutes=5)


def new_enrol_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


@transaction.atomic
def do_issue_kiosk_code(
    service_unit: ServiceUnit, *, name: str, actor: User
) -> tuple[KioskDevice, str]:
    """A new device of ``service_unit`` waiting for enrolment; returns it and its one-time code
    (shown once, only its hash is kept)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Nama perangkat wajib diisi, mis. 'Tablet loket 1'.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Nama perangkat paling panjang 100 huruf.")})
    code = new_enrol_code()
    device = KioskDevice.objects.create(
        service_unit=service_unit,
        name=name,
        enrol_code_hash=hash_secret(normalise_code(code)),
        enrol_expires=timezone.now() + timedelta(hours=KioskDevice.ENROL_HOURS),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="service.kiosk_code_issued",
        obj=device,
        instansi=service_unit.instansi,
        summary=f"{service_unit.code}: {name}",
    )
    return device, code


@transaction.atomic
def do_enrol_kiosk(code: str) -> tuple[KioskDevice, str]:
    """Enrol the device waiting for ``code``; returns it and its new token (for the cookie).
    The code works once, until it expires, and not for a revoked device."""
    normalised = normalise_code(code)
    refused = ValidationError(
        {
            "code": _(
                "Kode pendaftaran tidak dikenal, sudah dipakai, atau sudah kedaluwarsa. "
                "Minta kode baru kepada pengelola unit layanan."
            )
        }
    )
    if len(normalised) != CODE_LENGTH:
        raise ValidationError(
            {"code": _("Kode pendaftaran terdiri atas 8 huruf/angka, mis. 7KQ4-M2XD.")}
        )
    now = timezone.now()
    device = (
        KioskDevice.objects.select_for_update()
        .select_related("service_unit")
        .filter(
            enrol_code_hash=hash_secret(normalised),
            enrolled_at__isnull=True,
            revoked_at__isnull=True,
            enrol_expires__gt=now,
        )
        .first()
    )
    if device is None:
        raise refused
    token = secrets.token_urlsafe(32)
    device.token_hash = hash_secret(token)
    device.enrolled_at = now
    device.enrol_code_hash = ""
    device.save(update_fields=["token_hash", "enrolled_at", "enrol_code_hash"])
    audit.record(
        actor=None,
        action="service.kiosk_enrolled",
        obj=device,
        instansi=device.service_unit.instansi,
        summary=f"{device.service_unit.code}: {device.name}",
    )
    return device, token


@transaction.atomic
def do_revoke_kiosk(device: KioskDevice, *, actor: User) -> KioskDevice:
    """Revoke ``device`` (its token and any unused code stop working at once)."""
    if device.revoked_at is not None:
        raise ValidationError({"device": _("Perangkat ini sudah dicabut.")})
    device.revoked_at = timezone.now()
    device.enrol_code_hash = ""
    device.save(update_fields=["revoked_at", "enrol_code_hash"])
    audit.record(
        actor=actor,
        action="service.kiosk_revoked",
        obj=device,
        instansi=device.service_unit.instansi,
        summary=f"{device.service_unit.code}: {device.name}",
    )
    return device


def do_note_kiosk_seen(device: KioskDevice) -> None:
    """Record that ``device`` answered (at most every few minutes: one UPDATE)."""
    now = timezone.now()
    if device.last_seen is None or now - device.last_seen >= SEEN_RESOLUTION:
        KioskDevice.objects.filter(pk=device.pk).update(last_seen=now)
