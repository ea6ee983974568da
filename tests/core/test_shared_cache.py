"""CACHE_URL configures the cache every web process shares.

Rate-limit counters no longer count in Django's file or database cache (their ``incr`` loses
counts between processes): they are atomic upserts in the database, or Redis when CACHE_URL is
Redis; tests/security/test_ratelimit_counters.py shows them exact across threads and processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
