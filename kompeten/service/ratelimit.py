"""Per-client rate limits of the public SKM form and of enrolled kiosks.

- The public form: per client address (:func:`kompeten.core.clientip.client_ip`, which believes
  ``X-Forwarded-For`` only from a trusted proxy) and unit, ``KOMPETEN_SKM_RATE_LIMIT``
  (10 per 10 minutes). Counted only once an answer is valid: junk never uses up a citizen's
  quota.
- A kiosk: per enrolled device (:class:`~kompeten.service.models.KioskDevice`),
  ``KOMPETEN_SKM_KIOSK_RATE_LIMIT``, so one device's flood never stops another.

Counters are exact across processes (:mod:`kompeten.core.counters`: Redis when configured, else
one atomic upsert in the database). The address is only ever held in memory and hashed.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

from kompeten.core import counters
from kompeten.core.clientip import client_ip

# The bucket counted last in this thread/request, so that the outage path of the survey
# (service/spool.py), which runs after the live view failed, does not count one answer twice.
_counted: ContextVar[str | None] = ContextVar("kompeten_ratelimit_counted", default=None)

DEFAULT_RATE = "10/600"  # ten answers per ten minutes per client and unit
DEFAULT_KIOSK_RATE = "120/600"  # per enrolled kiosk device
parse_rate = counters.parse_rate


def client_address(request: HttpRequest) -> str:
    return client_ip(request)


def survey_bucket(request: HttpRequest, unit_id: object, device_id: object | None) -> str:
    """The bucket an answer to unit ``unit_id`` counts in: its kiosk device, or its client."""
    if device_id is not None:
        return f"kiosk-device:{device_id}"
    return f"skm:{client_address(request)}|{unit_id}"


def hit(bucket: str, rate: str) -> bool:
    """Count one hit in ``bucket``; True when the client is over the limit."""
    limit, window = parse_rate(rate)
    if limit <= 0:
        return False
    _counted.set(bucket)
    return counters.hit(bucket, limit, window).refused


def counted_in_this_request() -> str | None:
    """The bucket :func:`hit` counted last in this thread (None after :func:`forget`)."""
    return _counted.get()


def forget() -> None:
    _counted.set(None)


def public_rate() -> str:
    return str(getattr(settings, "KOMPETEN_SKM_RATE_LIMIT", DEFAULT_RATE))


def kiosk_rate() -> str:
    return str(getattr(settings, "KOMPETEN_SKM_KIOSK_RATE_LIMIT", DEFAULT_KIOSK_RATE))


def enrol_rate() -> str:
    return str(getattr(settings, "KOMPETEN_KIOSK_ENROL_RATE_LIMIT", "10/600"))
