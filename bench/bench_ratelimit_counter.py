"""Cost of one counted hit of the rate-limit counter (kompeten/core/counters.py), per store.

Usage: .venv/bin/python bench/bench_ratelimit_counter.py [--hits 2000]

In one process: the database upsert on a SQLite file in a temporary directory (WAL, as
production's default), or on the database DATABASE_URL names (a throw-away table: do not point it
at a live instance, whose core_ratecounter table it would drop), and Redis (a local redis-server
on 6379, if running). Baseline in the same run: Django's file cache add/incr,
which the counters replaced (it loses counts between processes). Prints CPU and wall time per hit.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, hits: int, fn) -> None:  # type: ignore[no-untyped-def]
    fn(0)  # warm-up: connection, table, imports
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(hits):
        fn(i)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(f"{label:<48} {cpu / hits * 1000:6.3f} ms CPU  {wall / hits * 1000:6.3f} ms wall per hit")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hits", type=int, default=2000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kompeten-counter-"))
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'db.sqlite3'}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "kompeten.settings",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
            "DEBUG": "true",
            "KOMPETEN_TESTING": "false",
            "KOMPETEN_VAR_DIR": str(tmp),
            "DATABASE_URL": database,
            "CACHE_URL": f"file://{tmp / 'cache'}",
        }
    )
    import django

    django.setup()
    from django.core.cache.backends.filebased import FileBasedCache
    from django.db import connection
    from django.test import override_settings

    from kompeten.core import counters
    from kompeten.core.models import RateCounter

    table = RateCounter._meta.db_table
    with connection.schema_editor() as editor:
        editor.execute(f"DROP TABLE IF EXISTS {table}")  # a throw-away table for this run
        editor.create_model(RateCounter)
    print(f"{args.hits} hits on 2,000 buckets; database {connection.vendor}")
    file_cache = FileBasedCache(str(tmp / "filecache"), {})

    def file_incr(i: int) -> None:  # the baseline: what the limits did before
        key = f"rl:{i % 2000}"
        if not file_cache.add(key, 1, 600):
            file_cache.incr(key)

    timed("baseline: Django file cache add/incr (lossy)", args.hits, file_incr)
    timed(
        f"database upsert ({connection.vendor})",
        args.hits,
        lambda i: counters.hit(f"b{i % 2000}", 10**9, 600),
    )
    with connection.schema_editor() as editor:
        editor.delete_model(RateCounter)
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"bench-{os.getpid()}",
        }
    }
    try:
        with override_settings(CACHES=redis_cache):
            timed(
                "Redis INCR+EXPIRE pipelined",
                args.hits,
                lambda i: counters.hit(f"b{i % 2000}", 10**9, 600),
            )
            client = counters.backend()._cache.get_client(write=True)  # type: ignore[attr-defined]
            for key in client.scan_iter(f"bench-{os.getpid()}:*"):
                client.delete(key)
    except Exception as exc:  # noqa: BLE001 - Redis is optional here
        print(f"Redis: not measured ({exc})")


if __name__ == "__main__":
    main()
