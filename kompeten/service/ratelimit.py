"""Per-client rate limit of the public SKM form, in Django's cache.

The bucket key is a salted SHA-256 of the client address and the unit code: the address is
only ever held in memory, hashed, for the length of the window, and never written to the
database. The default cache is per process (LocMem); with several web processes set a shared
cache (e.g. a database or Redis cache) so the limit holds across them.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_RATE = "10/600"  # ten answers per ten minutes per client and unit
DEFAULT_KIOSK_RATE = "600/600"


def parse_rate(text: str) -> tuple[int, int]:
    count, _, seconds = text.partition("/")
    return int(count), int(seconds or 60)


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def hit(bucket: str, rate: str) -> bool:
    """Count one hit in ``bucket``; True when the client is over the limit."""
    limit, window = parse_rate(rate)
    if limit <= 0:
        return False
    digest = hashlib.sha256((settings.SECRET_KEY + "|" + bucket).encode()).hexdigest()[:40]
    key = f"skm-rl:{digest}"
    if cache.add(key, 1, window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
    return count > limit


def public_rate() -> str:
    return str(getattr(settings, "KOMPETEN_SKM_RATE_LIMIT", DEFAULT_RATE))


def kiosk_rate() -> str:
    return str(getattr(settings, "KOMPETEN_SKM_KIOSK_RATE_LIMIT", DEFAULT_KIOSK_RATE))
