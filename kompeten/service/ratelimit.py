"""Per-client rate limit of the public SKM form, in Django's cache.

The bucket key is a salted SHA-256 of the client address and the unit code: the address is
only ever held in memory, hashed, for the length of the window, and never written to the
database. The cache is configured by ``CACHE_URL`` (settings): file-based under var/ by default,
shared by every process on the machine; Redis when several machines serve the form.
"""

from __future__ import annotations

import hashlib
import logging
import time
import weakref
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest

logger = logging.getLogger(__name__)

# The bucket counted last in this thread/request, so that the outage path of the survey
# (service/spool.py), which runs after the live view failed, does not count one answer twice.
_counted: ContextVar[str | None] = ContextVar("kompeten_ratelimit_counted", default=None)

DEFAULT_RATE = "10/600"  # ten answers per ten minutes per client and unit
DEFAULT_KIOSK_RATE = "600/600"


def parse_rate(text: str) -> tuple[int, int]:
    count, _, seconds = text.partition("/")
    return int(count), int(seconds or 60)


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def hit(bucket: str, rate: str) -> bool:
    """Count one hit in ``bucket``; True when the client is over the limit.

    Fixed windows: the key names the window it counts (``time // window``), so a backend whose
    ``incr`` rewrites the expiry (file and database caches) still counts each window from zero.
    When the cache itself is unreachable the limit fails open (logged): a cache outage must not
    turn citizens away.
    """
    limit, window = parse_rate(rate)
    if limit <= 0:
        return False
    digest = hashlib.sha256((settings.SECRET_KEY + "|" + bucket).encode()).hexdigest()[:40]
    key = f"skm-rl:{digest}:{int(time.time() // window)}"
    _counted.set(bucket)
    backend = _backend()
    try:
        if isinstance(backend, RedisCache):
            count = _redis_count(backend, key, window + 1)
        elif backend.add(key, 1, window + 1):
            count = 1
        else:
            try:
                count = backend.incr(key)
            except ValueError:  # expired between add and incr
                backend.set(key, 1, window + 1)
                count = 1
    except Exception:  # any backend failure: Redis down, database down, disk full
        logger.warning("rate-limit cache unavailable; not limiting", exc_info=True)
        return False
    return count > limit


def _backend() -> BaseCache:
    """The default cache's backend for this thread. Not ``django.core.cache.cache``: that is a
    proxy, and ``isinstance`` would see the proxy, never the Redis backend behind it."""
    return caches[DEFAULT_CACHE_ALIAS]


# One redis-py client per Django Redis cache client: Django builds a new ``redis.Redis`` for
# every command (about 0,1 ms of CPU each, for the response-callback table); a client over the
# same connection pool is thread-safe and can be kept.
_redis_clients: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _redis_count(backend: RedisCache, key: str, ttl: int) -> int:
    """Redis: INCR and EXPIRE in one pipelined round trip (Django's ``add`` then ``incr`` costs
    three: SET NX, EXISTS, INCR). The key names its window, so renewing the expiry on each hit
    never lets a count outlive the window it counts."""
    full = backend.make_and_validate_key(key)
    cache_client = backend._cache
    client = _redis_clients.get(cache_client)
    if client is None:
        client = _redis_clients[cache_client] = cache_client.get_client(full, write=True)
    pipe = client.pipeline(transaction=False)
    pipe.incr(full)
    pipe.expire(full, ttl)
    count, _ = pipe.execute()
    return int(count)


def counted_in_this_request() -> str | None:
    """The bucket :func:`hit` counted last in this thread (None after :func:`forget`)."""
    return _counted.get()


def forget() -> None:
    _counted.set(None)


def public_rate() -> str:
    return str(getattr(settings, "KOMPETEN_SKM_RATE_LIMIT", DEFAULT_RATE))


def kiosk_rate() -> str:
    return str(getattr(settings, "KOMPETEN_SKM_KIOSK_RATE_LIMIT", DEFAULT_KIOSK_RATE))
