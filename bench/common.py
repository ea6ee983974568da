"""What several benchmarks share: the database they run on (PostgreSQL created if need be, or a
fresh SQLite file), Django set up on it, the CPU clock, repeated timing, and one request of a
load generator."""

from __future__ import annotations

import http.client
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path


def postgres_url(note: str = "") -> str:
    """DATABASE_URL; the run stops with a message (and ``note``) when it is not PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(f"Set DATABASE_URL to a PostgreSQL database{f' ({note})' if note else ''}.")
    return url


def fresh_sqlite(db: Path) -> None:
    """DATABASE_URL set to a new SQLite file at ``db`` (an earlier one and its WAL removed), and
    a bench-only SECRET_KEY unless one is set."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database ``url`` names when it does not exist (nothing for SQLite)."""
    if not url.startswith("postgres"):
        return
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def set_up_django() -> None:
    """Django set up on the database of DATABASE_URL, and that database migrated."""
    import django

    django.setup()
    from django.core.management import call_command

    # a failed migration stops the bench: no figure is measured on a stale schema
    call_command("migrate", verbosity=0)


def cpu_seconds() -> float:
    """CPU time of this process so far (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def median_times(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time (this process) of ``repeat`` runs of ``fn``."""
    runs, cpus = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), cpu_seconds()
        fn()
        runs.append(time.perf_counter() - t)
        cpus.append(cpu_seconds() - c)
    return statistics.median(runs), statistics.median(cpus)


def send(conn: http.client.HTTPConnection, path: str, body: bytes | None) -> int:
    """One request on ``conn``: GET ``path``, or POST ``body`` to it as a form; the response
    read to its end; its status."""
    if body is None:
        conn.request("GET", path)
    else:
        conn.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    resp = conn.getresponse()
    resp.read()
    return resp.status
