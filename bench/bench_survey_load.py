"""The public SKM form under load: gunicorn + PostgreSQL, 64 concurrent clients on ONE unit.

Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kompeten_bench_load \\
        .venv/bin/python bench/bench_survey_load.py [--clients 64] [--seconds 20] [--workers 2] [--threads 2] [--generator asyncio|threads]

It creates its own database and service unit, starts gunicorn on 127.0.0.1, runs a bounded load
generator (asyncio streams in one thread, or one http.client thread per client with
``--generator threads``; persistent connections, fixed duration, 127.0.0.1 only),
stops gunicorn, and checks that the stored row count equals the number of accepted answers and
that the rollup totals match. The accept path writes only the response row; the rollups are
folded by a thread in each gunicorn process about a second later: a sampler polls the stored and
the folded counts every 0,5 s during the run and prints the worst freshness lag (target: IKM
pages reflect new responses within 10 s). Each client first GETs the form (as a browser would), then POSTs
answers in a loop. The per-client rate limit is raised for the run (all clients share one
address here); everything else is the production path, including the shared rate-limit counter:
the benchmark starts its own throw-away Redis (``redis-server`` on port 6391, no persistence) and
sets ``CACHE_URL`` to it, as docs/operations.md recommends for several gunicorn processes
(``--cache file`` measures the file cache instead). Baseline printed beside it, in the same
run: GET /health (a request that writes nothing). Target: ≥ 800 accepted/s,
p99 < 150 ms, zero lost.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import postgres_url, send, set_up_django  # noqa: E402

HOST, PORT = "127.0.0.1", 8765
SECRET = "bench-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105


def ensure_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')  # a fresh schema every run
        conn.execute(f'CREATE DATABASE "{name}"')


def answer_body(slugs: list[str], i: int) -> bytes:
    data = {f"u_{s}": str(1 + (i + k) % 4) for k, s in enumerate(slugs)}
    data.update(
        {"sex": "LP"[i % 2], "age_group": "30-39", "education": "SMA", "occupation": "swasta"}
    )
    return urllib.parse.urlencode(data).encode()


def run_load(
    path: str, bodies: list[bytes] | None, clients: int, seconds: float
) -> tuple[list[float], dict[int, int], int]:
    latencies: list[list[float]] = [[] for _ in range(clients)]
    statuses: list[dict[int, int]] = [{} for _ in range(clients)]
    errors = [0] * clients
    stop_at = time.perf_counter() + seconds

    def client(k: int) -> None:
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        i = k
        if bodies is not None:
            conn.request("GET", path)
            conn.getresponse().read()
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            try:
                status = send(conn, path, None if bodies is None else bodies[i % len(bodies)])
            except (OSError, http.client.HTTPException):
                errors[k] += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
                continue
            latencies[k].append(time.perf_counter() - t0)
            statuses[k][status] = statuses[k].get(status, 0) + 1
            i += clients
        conn.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    merged: dict[int, int] = {}
    for s in statuses:
        for code, n in s.items():
            merged[code] = merged.get(code, 0) + n
    return sorted(x for lat in latencies for x in lat), merged, sum(errors)


def run_load_async(
    path: str, bodies: list[bytes] | None, clients: int, seconds: float
) -> tuple[list[float], dict[int, int], int]:
    """The same closed loop as :func:`run_load`, as asyncio streams in one thread: no GIL
    hand-over between 64 client threads inflating the measured latency."""
    import asyncio

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    head = f"Host: {HOST}:{PORT}\r\nConnection: keep-alive\r\n"

    def request(i: int) -> bytes:
        if bodies is None:
            return f"GET {path} HTTP/1.1\r\n{head}\r\n".encode()
        body = bodies[i % len(bodies)]
        return (
            f"POST {path} HTTP/1.1\r\n{head}Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body

    async def exchange(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes
    ) -> int:
        writer.write(data)
        status = int((await reader.readline()).split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length:
            await reader.readexactly(length)
        return status

    async def client(k: int, stop_at: float) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(HOST, PORT)
        if bodies is not None:  # a browser GETs the form first
            await exchange(reader, writer, f"GET {path} HTTP/1.1\r\n{head}\r\n".encode())
        i = k
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            try:
                status = await exchange(reader, writer, request(i))
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, PORT)
                continue
            latencies.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1
            i += clients
        writer.close()

    async def main() -> None:
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(*(client(k, stop_at) for k in range(clients)))

    asyncio.run(main())
    return sorted(latencies), statuses, errors


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) of the live processes of a process group (gunicorn)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _counts(su_id: int) -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM service_skmresponse WHERE service_unit_id = %s", [su_id])
        stored = cur.fetchone()[0]
        cur.execute(
            "SELECT coalesce(sum(count), 0) FROM service_skmprofilerollup "
            "WHERE service_unit_id = %s AND dimension = 'total'",
            [su_id],
        )
        return stored, int(cur.fetchone()[0])


def sample_counts(su_id: int, out: list[tuple[float, int, int]], stop: threading.Event) -> None:
    from django.db import connection

    while not stop.is_set():
        out.append((time.perf_counter(), *_counts(su_id)))
        stop.wait(0.5)
    connection.close()


def max_lag(samples: list[tuple[float, int, int]]) -> float:
    """The worst age, at any sample, of the oldest stored response not yet folded (sampled
    every 0,5 s, so exact to about that)."""
    worst = 0.0
    for t, _, folded in samples:
        pending_since = next((ts for ts, stored, _ in samples if stored > folded), None)
        if pending_since is not None and pending_since <= t:
            worst = max(worst, t - pending_since)
    return worst


def wait_for_fold(su_id: int, timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        stored, folded = _counts(su_id)
        if stored == folded:
            return True
        time.sleep(0.1)
    return False


def pct(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cache", choices=["redis", "file"], default="redis")
    parser.add_argument(
        "--generator",
        choices=["asyncio", "threads"],
        default="asyncio",
        help="asyncio streams in one thread (default) or one http.client thread per client",
    )
    args = parser.parse_args()
    redis = None
    if args.cache == "redis":
        redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                "6391",
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.environ["CACHE_URL"] = "redis://127.0.0.1:6391/0"
        time.sleep(0.5)
    try:
        run(args)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)


@dataclass
class Measurement:
    """What one run measured: the /health baseline, the form's load, CPU and the rollups' lag."""

    base_lat: list[float]
    base_n: int
    lat: list[float]
    status: dict[int, int]
    errors: int
    server_cpu: float
    generator_cpu: float
    samples: list[tuple[float, int, int]]
    caught_up: bool
    catch_up: float


def run(args: argparse.Namespace) -> None:
    url = postgres_url()
    os.environ.update(
        {
            "SECRET_KEY": SECRET,
            "SECURE_SSL_REDIRECT": "false",
            "DJANGO_SETTINGS_MODULE": "kompeten.settings",
            "KOMPETEN_SKM_RATE_LIMIT": "1000000000/600",
            "AXES_ENABLED": "false",
            "KOMPETEN_VAR_DIR": os.environ.get("KOMPETEN_VAR_DIR") or tempfile.mkdtemp(),
        }
    )
    ensure_database(url)
    set_up_django()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)  # the form page links the CSS
    from kompeten.standards.ikm import SKM_2017

    su = empty_service_unit()
    slugs = [u.slug for u in SKM_2017.unsur]
    bodies = [answer_body(slugs, i) for i in range(64)]
    server = start_gunicorn(args)
    try:
        measured = measure(args, su, bodies, server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    report(args, su, measured)


def empty_service_unit():  # type: ignore[no-untyped-def]
    """The bench's one service unit (created if missing) with no responses or rollups."""
    from kompeten.core.models import Instansi
    from kompeten.people.actions import do_create_unit
    from kompeten.people.models import Unit
    from kompeten.service.actions import do_create_service_unit
    from kompeten.service.models import ServiceUnit

    instansi, _ = Instansi.objects.get_or_create(code="bench-load", defaults={"name": "Bench"})
    su = ServiceUnit.objects.filter(code="beban").first()
    if su is None:
        unit = Unit.objects.filter(instansi=instansi, code="U").first() or do_create_unit(
            instansi=instansi, code="U", name="Unit", kind="upt"
        )
        su = do_create_service_unit(unit=unit, code="beban", name="Layanan Beban")
    clear_answers(su)
    return su


def clear_answers(su) -> None:  # type: ignore[no-untyped-def]
    """Delete the unit's responses and rollups, then close the connection (gunicorn forks next)."""
    from django.db import connection

    from kompeten.service.models import SkmProfileRollup, SkmResponse, SkmRollup

    SkmResponse.objects.filter(service_unit=su).delete()
    SkmRollup.objects.filter(service_unit=su).delete()
    SkmProfileRollup.objects.filter(service_unit=su).delete()
    connection.close()


def start_gunicorn(args: argparse.Namespace) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "kompeten.wsgi",
            "-b",
            f"{HOST}:{PORT}",
            "-w",
            str(args.workers),
            "-k",
            "gthread",
            "--threads",
            str(args.threads),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        start_new_session=True,
    )


def measure(args: argparse.Namespace, su, bodies: list[bytes], server_pid: int) -> Measurement:  # type: ignore[no-untyped-def]
    """Wait for gunicorn, warm up, then the /health baseline and the form's load with sampling."""
    for _ in range(100):
        try:
            c = http.client.HTTPConnection(HOST, PORT, timeout=2)
            c.request("GET", "/health")
            c.getresponse().read()
            break
        except OSError:
            time.sleep(0.2)
    load = run_load_async if args.generator == "asyncio" else run_load
    load("/survei/beban/", bodies, args.clients, 3)  # warm-up (connections, imports)
    clear_answers(su)
    base_lat, base_status, _ = load("/health", None, args.clients, min(args.seconds, 10))
    samples: list[tuple[float, int, int]] = []
    sampling = threading.Event()
    sampler = threading.Thread(target=sample_counts, args=(su.pk, samples, sampling))
    sampler.start()
    cpu0, gen0 = group_cpu(server_pid), time.process_time()
    lat, status, errors = load("/survei/beban/", bodies, args.clients, args.seconds)
    cpu1, gen1 = group_cpu(server_pid), time.process_time()
    t_end = time.perf_counter()
    caught_up = wait_for_fold(su.pk, timeout=30)
    catch_up = time.perf_counter() - t_end
    sampling.set()
    sampler.join()
    return Measurement(
        base_lat=base_lat,
        base_n=sum(base_status.values()),
        lat=lat,
        status=status,
        errors=errors,
        server_cpu=cpu1 - cpu0,
        generator_cpu=gen1 - gen0,
        samples=samples,
        caught_up=caught_up,
        catch_up=catch_up,
    )


def report(args: argparse.Namespace, su, m: Measurement) -> None:  # type: ignore[no-untyped-def]
    """The figures beside their targets, and whether every accepted answer was stored and folded."""
    from kompeten.service.models import SkmProfileRollup, SkmResponse

    base_lat, lat, status = m.base_lat, m.lat, m.status
    accepted = status.get(302, 0)
    stored = SkmResponse.objects.filter(service_unit=su).count()
    rolled = SkmProfileRollup.objects.filter(service_unit=su, dimension="total").values_list(
        "count", flat=True
    )
    print(
        f"gunicorn gthread {args.workers}×{args.threads}, {args.clients} clients ({args.generator}), one unit, {args.seconds:.0f} s, cache {args.cache}"
    )
    print(
        f"baseline GET /health:      {m.base_n / min(args.seconds, 10):8.0f} req/s   p50 {pct(base_lat, 50):6.1f} ms  p99 {pct(base_lat, 99):6.1f} ms"
    )
    print(
        f"public SKM form POST:      {accepted / args.seconds:8.0f} accepted/s  p50 {pct(lat, 50):6.1f} ms  p99 {pct(lat, 99):6.1f} ms  (target ≥ 800/s, p99 < 150 ms)"
    )
    print(f"statuses {status}, connection errors {m.errors}")
    print(
        f"CPU during the run: gunicorn {m.server_cpu:.1f} s ({m.server_cpu / max(accepted, 1) * 1000:.2f} ms per answer), "
        f"load generator {m.generator_cpu:.1f} s; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"rollup freshness: worst lag during the run {max_lag(m.samples):.1f} s; folded everything "
        f"{m.catch_up:.1f} s after the load stopped ({'OK' if m.caught_up else 'NOT CAUGHT UP'}; target < 10 s)"
    )
    print(
        f"accepted {accepted}, rows stored {stored}, rollup total {sum(rolled)} -> {'OK, zero lost' if accepted == stored == sum(rolled) else 'MISMATCH'}"
    )


if __name__ == "__main__":
    main()
