"""Rate-limit counters are exact across threads and processes without Redis (one atomic upsert
in the database per hit), still use Redis when it is configured, keep no address, and fail open
when their store is down."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
import redis
from django.db import OperationalError, connection, connections
from django.test import override_settings

from kompeten.core import counters
from kompeten.core.models import RateCounter


@pytest.mark.django_db
def test_a_window_allows_exactly_the_limit_then_a_new_window_starts_from_zero() -> None:
    hits = [counters.hit("skm:203.0.113.9|1", 3, 60, now=1_000.0) for _ in range(5)]
    assert [v.count for v in hits] == [1, 2, 3, 4, 5]
    assert [v.refused for v in hits] == [False, False, False, True, True]
    assert hits[-1].retry_after == 20  # 1000 // 60 = 16; window 17 starts at 1020
    assert counters.hit("skm:203.0.113.9|1", 3, 60, now=1_021.0).count == 1  # window 17


@pytest.mark.django_db
def test_buckets_are_counted_apart() -> None:
    for _ in range(3):
        counters.hit("skm:198.51.100.1|1", 2, 60)
    assert counters.hit("skm:198.51.100.2|1", 2, 60).refused is False
    assert counters.hit("skm:198.51.100.1|2", 2, 60).refused is False


@pytest.mark.django_db
def test_no_address_is_written_only_a_salted_hash() -> None:
    counters.hit("skm:198.51.100.77|5", 10, 600)
    row = RateCounter.objects.get()
    assert "198.51.100.77" not in f"{row.key} {row}"
    assert len(row.key) == 40 and row.count == 1


@pytest.mark.django_db
def test_expired_counters_are_purged_now_and_then() -> None:
    counters.hit("old", 10, 60, now=time.time() - 3600)
    with mock.patch("kompeten.core.counters.random.random", return_value=0.0):
        counters.hit("new", 10, 60)
    assert RateCounter.objects.count() == 1


@pytest.mark.django_db
def test_a_purge_never_takes_the_count_it_was_made_with() -> None:
    """The purge judges expiry at the hit's own moment: a caller's clock that is not the wall
    clock (as in the window test above) still keeps counting instead of restarting at 1."""
    with mock.patch("kompeten.core.counters.random.random", return_value=0.0):
        hits = [counters.hit("skm:203.0.113.10|1", 3, 60, now=1_000.0) for _ in range(4)]
    assert [v.count for v in hits] == [1, 2, 3, 4]


@pytest.mark.django_db
def test_a_zero_limit_counts_nothing() -> None:
    assert counters.hit("x", 0, 60).refused is False
    assert not RateCounter.objects.exists()


@pytest.mark.django_db
def test_an_unreachable_store_does_not_turn_citizens_away(caplog) -> None:
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        verdict = counters.hit("x", 1, 60)
    assert verdict.refused is False
    assert "rate-limit counter unavailable" in caplog.text


@pytest.mark.postgres_only  # SQLite's in-memory test database locks instead of waiting
@pytest.mark.django_db(transaction=True)
def test_threads_sharing_the_database_are_allowed_exactly_the_limit() -> None:
    """8 clients × 40 hits at once against a limit of 100: exactly 100 allowed (the file cache
    let 867 of 600 through with 6 clients). On SQLite the same runs on a database file in
    test_threads_and_processes_sharing_a_sqlite_file_are_allowed_exactly_the_limit."""
    allowed: list[int] = []
    failures: list[Exception] = []
    start = threading.Barrier(8)

    def client() -> None:
        try:
            start.wait()
            mine = sum(not counters.hit("api-token:7", 100, 600).refused for _ in range(40))
            allowed.append(mine)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert sum(allowed) == 100
    assert RateCounter.objects.get().count == 320


CHILD = textwrap.dedent(
    """
    import os, sys, time
    import django
    django.setup()
    from kompeten.core import counters
    if sys.argv[1] == "create":
        from django.db import connection
        from kompeten.core.models import RateCounter
        with connection.schema_editor() as editor:
            editor.create_model(RateCounter)
        sys.exit(0)
    import threading
    from django.db import connections
    start = float(sys.argv[2])
    allowed = []
    def client():
        while time.time() < start:
            time.sleep(0.001)
        allowed.append(
            sum(not counters.hit("skm:198.51.100.9|3", 100, 600).refused for _ in range(30))
        )
        connections.close_all()
    threads = [threading.Thread(target=client) for _ in range(int(sys.argv[3]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(sum(allowed))
    """
)


def test_threads_and_processes_sharing_a_sqlite_file_are_allowed_exactly_the_limit(
    tmp_path: Path,
) -> None:
    """Four web processes (real OS processes on one SQLite file in WAL mode, as gunicorn
    workers would be), two threads each, send 30 hits per thread at the same moment against a
    limit of 100: exactly 100 of the 240 allowed."""
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "KOMPETEN_TESTING"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kompeten.settings",
            "DEBUG": "true",
            "KOMPETEN_TESTING": "false",
            "KOMPETEN_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'counters.sqlite3'}",
            "CACHE_URL": f"file://{tmp_path / 'cache'}",  # not Redis: the database counts
        }
    )
    run = [sys.executable, "-c", CHILD]
    created = subprocess.run([*run, "create"], env=env, capture_output=True, text=True, timeout=120)
    assert created.returncode == 0, created.stderr
    start = str(time.time() + 4)
    children = [
        subprocess.Popen([*run, "hit", start, "2"], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [child.communicate(timeout=120)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0, 0, 0]
    assert sum(int(out) for out in outputs) == 100


def test_with_redis_configured_the_count_is_one_pipelined_round_trip_in_redis() -> None:
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

    with override_settings(CACHES=redis_cache):  # no database access is allowed here
        assert counters.uses_redis()
        with mock.patch.object(redis.client.Pipeline, "execute", counting):
            refused = [counters.hit("skm:203.0.113.7|1", 2, 600).refused for _ in range(3)]
        client = counters.backend()._cache.get_client(write=True)  # type: ignore[attr-defined]
        keys = client.keys(f"{prefix}:*")
        assert len(keys) == 1 and 0 < client.ttl(keys[0]) <= 601
        assert b"203.0.113.7" not in keys[0]
        client.delete(*keys)
    assert refused == [False, False, True]
    assert sent == [("INCRBY", "EXPIRE")] * 3


@pytest.mark.postgres_only  # the counter's own transaction skips PostgreSQL's WAL flush wait
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_counter_does_not_wait_for_the_flush_and_nothing_else_is_affected() -> (
    None
):
    with connection.cursor() as cursor:
        assert counters.hit("x", 5, 60).count == 1
        assert counters.hit("x", 5, 60).count == 2
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"  # the next statement (a survey answer) waits again
    assert RateCounter.objects.get().count == 2
