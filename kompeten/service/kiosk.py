"""Kiosk devices, the reading side: the cookie, hashing, finding an enrolled device.

Writes (issuing a code, enrolling, revoking) are actions in
:mod:`kompeten.service.actions.kiosk`.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from kompeten.service.models import KioskDevice

COOKIE_NAME = "kompeten_kiosk"
COOKIE_PATH = "/survei/"
COOKIE_MAX_AGE = 5 * 365 * 24 * 3600  # the tablet stays enrolled until its device is revoked
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: typed on a tablet


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(text: str) -> str:
    """``" 7kq4-m2xd "`` → ``"7KQ4M2XD"``: case, spaces and dashes as people type them."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def token_from(request: HttpRequest) -> str:
    return str(request.COOKIES.get(COOKIE_NAME, "") or "")


def set_cookie(response: HttpResponse, token: str) -> None:
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=COOKIE_MAX_AGE,
        path=COOKIE_PATH,
        secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        httponly=True,
        samesite="Lax",
    )


def find_device(unit_id: int, token: str) -> KioskDevice | None:
    """The enrolled, unrevoked device of unit ``unit_id`` holding ``token`` (one query)."""
    if not token:
        return None
    return (
        KioskDevice.objects.filter(
            token_hash=hash_secret(token), service_unit_id=unit_id, revoked_at__isnull=True
        )
        .only("id", "service_unit_id", "token_hash", "last_seen")
        .first()
    )


def active_token_hashes(unit_id: int) -> list[str]:
    """Hashes of the unit's enrolled devices, for the outage snapshot (service/spool.py)."""
    hashes = KioskDevice.objects.filter(
        service_unit_id=unit_id, revoked_at__isnull=True, token_hash__isnull=False
    ).values_list("token_hash", flat=True)
    return [h for h in hashes if h]
