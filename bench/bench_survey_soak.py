"""Soak test of the public SKM form: 1,600 offered answers/s (twice the 800/s target) for 5 minutes.

Usage (PostgreSQL on 127.0.0.1; the database is created fresh and dropped afterwards):

    .venv/bin/python bench/bench_survey_soak.py [--rate 1600] [--seconds 300] [--clients 128]
        [--workers 3] [--threads 8] [--database kompeten_bench_h3_soak] [--keep]

It starts gunicorn on 127.0.0.1 against the fresh database, runs an open-loop load generator
(each of ``--clients`` threads, with a persistent connection, sends on a fixed schedule so that the
whole offers ``--rate`` answers/s; a thread that falls behind because the server is slower sends
at once, so "sent" shows what the server let us offer), stops gunicorn, replays the outage spool
(``kompeten spool replay``) and checks that the stored rows equal the accepted answers (302) plus
the spooled ones (202, replayed). Pass: other 5xx = 0 and stored = accepted + replayed.

Statuses: 302 accepted; 202 kept in the outage spool; 429 rate-limited and 503 shed (deliberate);
any other 5xx is a failure. The per-client rate limit is raised for the run (all clients share
127.0.0.1). Printed beside it, in the same run: GET /health (writes nothing) as the baseline.

bench/bench_db_restart.py reuses this harness and restarts PostgreSQL in the middle of the run.
"""

from __future__ import annotations

import argparse
import http.client
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import send  # noqa: E402

HOST = "127.0.0.1"
SECRET = "bench-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
PG = "postgres://postgres@127.0.0.1:5432"


@dataclass
class LoadResult:
    seconds: float
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    # (second of the run, status) of every answer, for the restart timeline
    timeline: list[tuple[float, int]] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(self.statuses.values()) + self.errors

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        values = sorted(self.latencies)
        return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000

    @classmethod
    def merged(cls, parts: list[LoadResult], seconds: float) -> LoadResult:
        """The clients' results as one, the timeline in time order."""
        total = cls(seconds)
        for r in parts:
            total.statuses.update(r.statuses)
            total.errors += r.errors
            total.latencies += r.latencies
            total.timeline += r.timeline
        total.timeline.sort()
        return total


def run_load(
    port: int,
    path: str,
    bodies: list[bytes] | None,
    clients: int,
    seconds: float,
    rate: float | None,
) -> LoadResult:
    """Open loop when ``rate`` is given (a fixed schedule), closed loop otherwise."""
    start = time.perf_counter()
    stop_at = start + seconds
    per_client: list[LoadResult] = [LoadResult(seconds) for _ in range(clients)]
    interval = clients / rate if rate else 0.0

    def client(k: int) -> None:
        mine = per_client[k]
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        if bodies is not None:
            try:
                conn.request("GET", path)
                conn.getresponse().read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
        n = 0
        while True:
            due = start + (k / clients) * interval + n * interval if rate else time.perf_counter()
            now = time.perf_counter()
            if due >= stop_at or now >= stop_at:
                break
            if due > now:
                time.sleep(due - now)
            n += 1
            t0 = time.perf_counter()
            body = None if bodies is None else bodies[(k + n * clients) % len(bodies)]
            try:
                status = send(conn, path, body)
            except (OSError, http.client.HTTPException):
                mine.errors += 1
                mine.timeline.append((t0 - start, 0))
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            mine.latencies.append(time.perf_counter() - t0)
            mine.statuses[status] += 1
            mine.timeline.append((t0 - start, status))
        conn.close()

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return LoadResult.merged(per_client, seconds)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Harness:
    """A fresh PostgreSQL database, a service unit, a var dir (spool), a gunicorn."""

    database: str
    workers: int
    threads: int
    keep: bool = False
    port: int = field(default_factory=_free_port)
    var_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="kompeten_soak_")))
    server: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"{PG}/{self.database}"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "KOMPETEN_VAR_DIR": str(self.var_dir),
            "SECRET_KEY": SECRET,
            "SECURE_SSL_REDIRECT": "false",
            "DJANGO_SETTINGS_MODULE": "kompeten.settings",
            "KOMPETEN_SKM_RATE_LIMIT": "1000000000/600",
            "AXES_ENABLED": "false",
            "DEBUG": "false",
            "KOMPETEN_TESTING": "false",
        }

    def create(self) -> None:
        import psycopg

        if not self.database.startswith("kompeten_bench_"):
            sys.exit("--database must start with kompeten_bench_ (it is dropped afterwards)")
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.database}"')
        os.environ.update(self.env())
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--no-input", verbosity=0)
        from kompeten.core.models import Instansi
        from kompeten.people.actions import do_create_unit
        from kompeten.service.actions import do_create_service_unit

        instansi = Instansi.objects.create(code="bench-soak", name="Bench")
        unit = do_create_unit(instansi=instansi, code="U", name="Unit", kind="upt")
        do_create_service_unit(unit=unit, code="beban", name="Layanan Beban")
        from django.db import connection

        connection.close()

    def start(self) -> None:
        self.server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "kompeten.wsgi",
                "-b",
                f"{HOST}:{self.port}",
                "-w",
                str(self.workers),
                "-k",
                "gthread",
                "--threads",
                str(self.threads),
                "--keep-alive",
                "30",
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env(),
            start_new_session=True,
        )
        for _ in range(300):
            try:
                c = http.client.HTTPConnection(HOST, self.port, timeout=2)
                c.request("GET", "/health")
                c.getresponse().read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.server is not None:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=60)
            self.server = None

    def reset_rows(self) -> None:
        from django.db import connection

        from kompeten.service.models import SkmProfileRollup, SkmResponse, SkmRollup

        SkmResponse.objects.all().delete()
        SkmRollup.objects.all().delete()
        SkmProfileRollup.objects.all().delete()
        connection.close()

    def drop(self) -> None:
        import psycopg
        from django.db import connections

        connections.close_all()
        if self.keep:
            print(f"kept database {self.database} and {self.var_dir}")
            return
        shutil.rmtree(self.var_dir, ignore_errors=True)
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def soak(
    args: argparse.Namespace, during: Callable[[Harness, float], None] | None = None
) -> tuple[LoadResult, dict[str, int]]:
    """The whole run; ``during(harness, t0)`` runs in a thread alongside the load (restart)."""
    from bench_survey_load import answer_body

    from kompeten.standards.ikm import SKM_2017

    harness = Harness(args.database, args.workers, args.threads, keep=args.keep)
    print(f"load average before: {load_average()}  (2 cores; other work shares them)")
    harness.create()
    slugs = [u.slug for u in SKM_2017.unsur]
    bodies = [answer_body(slugs, i) for i in range(64)]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    try:
        harness.start()
        run_load(harness.port, "/survei/beban/", bodies, min(args.clients, 32), 3, None)  # warm
        harness.reset_rows()
        base = run_load(harness.port, "/health", None, 32, 5, None)
        side = None
        if during is not None:
            t0 = time.perf_counter()
            side = threading.Thread(target=during, args=(harness, t0), daemon=True)
            side.start()
        result = run_load(
            harness.port, "/survei/beban/", bodies, args.clients, args.seconds, args.rate
        )
        if side is not None:
            side.join(timeout=120)
        load_after = load_average()
    finally:
        harness.stop()
    wall = time.perf_counter() - wall0
    cpu_client = time.process_time() - cpu0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    counts = verify(harness, result)
    s = result.statuses
    other_5xx = sum(n for code, n in s.items() if code >= 500 and code != 503)
    print(
        f"gunicorn gthread {args.workers}×{args.threads}, {args.clients} clients, one unit, "
        f"{args.seconds:.0f} s, offered {args.rate:.0f}/s"
    )
    print(
        f"baseline GET /health (closed loop, 32 clients): {sum(base.statuses.values()) / 5:8.0f} req/s"
    )
    print(
        f"sent {result.sent} ({result.sent / args.seconds:.0f}/s of {args.rate:.0f}/s offered); "
        f"accepted 302: {s.get(302, 0)} ({s.get(302, 0) / args.seconds:.0f}/s); "
        f"spooled 202: {s.get(202, 0)}; shed 429: {s.get(429, 0)}, 503: {s.get(503, 0)}; "
        f"other 5xx: {other_5xx}; other: "
        f"{ {c: n for c, n in s.items() if c not in (302, 202, 429, 503) and c < 500} }; "
        f"connection errors: {result.errors}"
    )
    print(f"latency p50 {result.pct(50):.1f} ms, p99 {result.pct(99):.1f} ms")
    print(
        f"rows stored {counts['stored']} = accepted {s.get(302, 0)} + replayed "
        f"{counts['replayed']} (spool rejected {counts['rejected']}, duplicates "
        f"{counts['duplicates']}); rollup total {counts['rolled']} -> "
        + (
            "OK, zero lost"
            if counts["stored"] == s.get(302, 0) + counts["replayed"] and other_5xx == 0
            else "FAILED"
        )
    )
    print(
        f"wall {wall:.1f} s; CPU: load generator {cpu_client:.1f} s, server and tools "
        f"{children.ru_utime + children.ru_stime:.1f} s; load average after: {load_after}"
    )
    harness.drop()
    return result, counts


def verify(harness: Harness, result: LoadResult) -> dict[str, int]:
    """Replay the spool, fold the rollups, count rows."""
    from django.db import connection

    from kompeten.service import spool
    from kompeten.service.models import SkmProfileRollup, SkmResponse

    connection.close()
    replayed = spool.replay()
    try:
        from kompeten.service.actions.rollups import do_fold_skm_responses

        do_fold_skm_responses(wait=True)
    except ImportError:  # rollups counted in the insert transaction
        pass
    rolled = sum(SkmProfileRollup.objects.filter(dimension="total").values_list("count", flat=True))
    return {
        "stored": SkmResponse.objects.count(),
        "replayed": replayed.recorded,
        "rejected": replayed.rejected,
        "duplicates": replayed.duplicates,
        "rolled": rolled,
    }


def parser(database: str, seconds: float) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rate", type=float, default=1600, help="offered answers per second")
    p.add_argument("--seconds", type=float, default=seconds)
    p.add_argument("--clients", type=int, default=128)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--database", default=database)
    p.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return p


if __name__ == "__main__":
    soak(parser("kompeten_bench_h3_soak", 300).parse_args())
