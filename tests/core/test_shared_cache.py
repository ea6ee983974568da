"""Rate-limit counters live in a cache every web process shares (CACHE_URL).

Two cache clients built separately stand for two gunicorn processes: a counter incremented by
one is seen by the other, so a flood spread over processes is still one flood.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from unittest import mock

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.test import override_settings

from kompeten.service import ratelimit


def _limited_by(cache_a, cache_b, rate: str = "5/600") -> list[bool]:
    """Hits alternating between two processes' clients; True once over the limit."""
    results = []
    for i in range(8):
        with mock.patch.object(
            ratelimit, "_backend", return_value=cache_a if i % 2 == 0 else cache_b
        ):
            results.append(ratelimit.hit("203.0.113.9|1", rate))
    return results


def test_two_file_cache_clients_share_the_counter(tmp_path: Path) -> None:
    process_a = FileBasedCache(str(tmp_path / "cache"), {})
    process_b = FileBasedCache(str(tmp_path / "cache"), {})
    assert _limited_by(process_a, process_b) == [False] * 5 + [True] * 3


@pytest.mark.django_db(transaction=True)
def test_two_database_cache_clients_share_the_counter(settings) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kompeten_cache_test",
        },
    }
    call_command("createcachetable", "kompeten_cache_test", database="default", verbosity=0)
    try:
        process_a = DatabaseCache("kompeten_cache_test", {})
        process_b = DatabaseCache("kompeten_cache_test", {})
        assert _limited_by(process_a, process_b) == [False] * 5 + [True] * 3
    finally:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE kompeten_cache_test")


def test_two_redis_cache_clients_share_the_counter_in_one_round_trip_each() -> None:
    prefix = f"kompeten-test-{os.getpid()}-{uuid.uuid4().hex}"
    process_a = RedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": prefix})
    process_b = RedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": prefix})
    sent: list[tuple[object, ...]] = []
    real = redis.client.Pipeline.execute

    def counting(self, raise_on_error=True):  # type: ignore[no-untyped-def]
        sent.append(tuple(c[0][0] for c in self.command_stack))
        return real(self, raise_on_error)

    with mock.patch.object(redis.client.Pipeline, "execute", counting):
        assert _limited_by(process_a, process_b) == [False] * 5 + [True] * 3
    assert sent == [("INCRBY", "EXPIRE")] * 8  # one pipelined round trip per hit
    client = process_a._cache.get_client(write=True)
    keys = client.keys(f"{prefix}:*")
    assert len(keys) == 1 and 0 < client.ttl(keys[0]) <= 601
    assert process_b.get(keys[0].decode().split(":", 2)[2]) == 8  # Django reads the raw count
    client.delete(*keys)


def test_per_process_caches_do_not_share_which_is_why_locmem_is_only_for_tests() -> None:
    process_a = LocMemCache("a", {})
    process_b = LocMemCache("b", {})
    assert _limited_by(process_a, process_b) == [False] * 8


def test_a_new_window_starts_from_zero(tmp_path: Path) -> None:
    cache = FileBasedCache(str(tmp_path / "cache"), {})
    with mock.patch.object(ratelimit, "_backend", return_value=cache):
        with mock.patch("kompeten.service.ratelimit.time.time", return_value=1_000.0):
            assert [ratelimit.hit("x", "2/60") for _ in range(3)] == [False, False, True]
        with mock.patch("kompeten.service.ratelimit.time.time", return_value=1_021.0):
            assert ratelimit.hit("x", "2/60") is False  # 1021 // 60 = 17, a new window


def test_an_unreachable_cache_does_not_turn_citizens_away() -> None:
    broken = mock.MagicMock()
    broken.add.side_effect = ConnectionError("redis down")
    with mock.patch.object(ratelimit, "_backend", return_value=broken):
        assert ratelimit.hit("x", "1/60") is False


SETTINGS_PROBE = "from django.conf import settings; print(settings.CACHES['default'])"


def _settings_with(cache_url: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CACHE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "kompeten.settings", "DEBUG": "true"})
    env["KOMPETEN_TESTING"] = "false"
    if cache_url is not None:
        env["CACHE_URL"] = cache_url
    code = f"import django; django.setup(); {SETTINGS_PROBE}"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("redis://127.0.0.1:6379/0", "redis.RedisCache", "redis://127.0.0.1:6379/0"),
        ("file:///srv/kompeten/cache", "filebased.FileBasedCache", "/srv/kompeten/cache"),
        ("db://kompeten_cache", "db.DatabaseCache", "kompeten_cache"),
        ("locmem://", "locmem.LocMemCache", None),
        (None, "filebased.FileBasedCache", "/var/cache"),
    ],
)
def test_cache_url_configures_the_backend(url, backend, location, tmp_path: Path) -> None:
    done = _settings_with(url)
    assert done.returncode == 0, done.stderr
    assert f"django.core.cache.backends.{backend}" in done.stdout
    if location == "/var/cache":  # the default: under KOMPETEN_VAR_DIR
        assert "var/cache" in done.stdout
    elif location is not None:
        assert location in done.stdout


def test_an_unknown_cache_url_stops_the_start_up() -> None:
    done = _settings_with("memcached://127.0.0.1:11211")
    assert done.returncode != 0
    assert "CACHE_URL scheme 'memcached' is not supported" in done.stderr


def test_the_configured_redis_cache_counts_in_one_round_trip_through_the_default_proxy() -> None:
    """Production counts in the cache the settings configure (reached through Django's cache
    handler, no test double): with Redis configured, the one-round-trip path is taken (checking
    the ``django.core.cache.cache`` proxy instead would fall back to SET NX, EXISTS, INCR)."""
    prefix = f"kompeten-test-{os.getpid()}-{uuid.uuid4().hex}"
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }
    sent: list[tuple[object, ...]] = []
    real = redis.client.Pipeline.execute

    def counting(self, raise_on_error=True):  # type: ignore[no-untyped-def]
        sent.append(tuple(c[0][0] for c in self.command_stack))
        return real(self, raise_on_error)

    with override_settings(CACHES=redis_cache):
        assert isinstance(ratelimit._backend(), RedisCache)  # the configured cache, no double
        with mock.patch.object(redis.client.Pipeline, "execute", counting):
            assert [ratelimit.hit("203.0.113.7|1", "2/600") for _ in range(3)] == [
                False,
                False,
                True,
            ]
        client = caches["default"]._cache.get_client(write=True)
        keys = client.keys(f"{prefix}:*")
        assert len(keys) == 1
        client.delete(*keys)
    assert sent == [("INCRBY", "EXPIRE")] * 3
