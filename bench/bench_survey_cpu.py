"""CPU cost of one accepted public SKM answer, in process, beside GET /health in the same run.

Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kompeten_bench_cpu \\
        .venv/bin/python bench/bench_survey_cpu.py [--n 3000] [--profile 25]

It creates (and afterwards drops) its own PostgreSQL database and one service unit, then calls the
project's WSGI application directly (no HTTP server, no test client: the same middleware stack
and view code as under gunicorn) with hand-built WSGI environs: N x ``GET /health`` (baseline, a
request that writes nothing) and N x ``POST /survei/<code>/`` with a valid answer, each measured
as process CPU time (``time.process_time``) and wall time. Every POST must answer 302 (accepted);
the stored row count is checked at the end. The rate limit is raised for the run (one client
address); the cache is the production default (``CACHE_URL`` unset: the file cache under a
temporary var/), or ``--cache`` to pass another ``CACHE_URL``. ``--profile K`` prints the top K
functions of a cProfile run over the POSTs (cumulative time). The target for the whole
server: ≥ 800 answers/s on 2 cores, i.e. ≤ ~2,5 ms of CPU per answer including gunicorn.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import postgres_url  # noqa: E402


def environ(method: str, path: str, body: bytes = b"") -> dict[str, Any]:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_LANGUAGE": "id",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


class InProcess:
    """The project's WSGI application called directly, counting the statuses it answers."""

    def __init__(self, su_code: str, bodies: list[bytes]) -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.app = WSGIHandler()
        self.su_code = su_code
        self.bodies = bodies
        self.statuses: dict[str, int] = {}

    def start_response(self, status: str, headers: list[tuple[str, str]]) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1

    @staticmethod
    def consume(result: Any) -> None:
        for _chunk in result:
            pass
        if hasattr(result, "close"):
            result.close()

    def health(self, n: int) -> tuple[float, float]:
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(n):
            self.consume(self.app(environ("GET", "/health"), self.start_response))
        return time.perf_counter() - w0, time.process_time() - c0

    def posts(self, n: int) -> tuple[float, float]:
        w0, c0 = time.perf_counter(), time.process_time()
        for i in range(n):
            answer = environ("POST", f"/survei/{self.su_code}/", self.bodies[i % 64])
            self.consume(self.app(answer, self.start_response))
        return time.perf_counter() - w0, time.process_time() - c0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--cache", default="")
    args = parser.parse_args()
    url = postgres_url("it is dropped and re-created")
    os.environ.update(
        {
            "SECRET_KEY": "bench-cpu-" + "x" * 50,
            "SECURE_SSL_REDIRECT": "false",
            "DJANGO_SETTINGS_MODULE": "kompeten.settings",
            "KOMPETEN_SKM_RATE_LIMIT": "1000000000/600",
            "KOMPETEN_VAR_DIR": os.environ.get("KOMPETEN_VAR_DIR") or tempfile.mkdtemp(),
        }
    )
    if args.cache:
        os.environ["CACHE_URL"] = args.cache
    from bench_survey_load import answer_body, ensure_database

    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kompeten.standards.ikm import SKM_2017

    call_command("migrate", verbosity=0)
    su = _service_unit()
    slugs = [u.slug for u in SKM_2017.unsur]
    server = InProcess(su.code, [answer_body(slugs, i) for i in range(64)])
    stored, expected = _measure(server, su, args.n, args.profile)
    print(
        f"stored {stored} responses, expected {expected}: {'OK' if stored == expected else 'LOST'}"
    )
    connection.close()
    _drop_database(url)
    if stored != expected or set(server.statuses) - {"200 OK", "302 Found"}:
        sys.exit(1)


def _service_unit():  # type: ignore[no-untyped-def]
    from kompeten.core.models import Instansi
    from kompeten.people.actions import do_create_unit
    from kompeten.service.actions import do_create_service_unit

    instansi, _ = Instansi.objects.get_or_create(code="bench-cpu", defaults={"name": "Bench"})
    unit = do_create_unit(instansi=instansi, code="U", name="Unit", kind="upt")
    return do_create_service_unit(unit=unit, code="cpu", name="Layanan CPU")


def _measure(server: InProcess, su, n: int, profile: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """N x /health then N x POST, printed per request; with ``profile``, 500 POSTs more under
    cProfile. Returns the stored and the expected response counts."""
    from kompeten.service.models import SkmResponse

    # Warm up (imports, template loading, the unit cache, the connection).
    server.health(50)
    server.posts(50)
    server.statuses.clear()
    hw, hc = server.health(n)
    pw, pc = server.posts(n)
    print(f"load average: {os.getloadavg()}")
    print(f"statuses: {server.statuses}")
    print(f"GET  /health        : {hc / n * 1e6:7.0f} µs CPU  {hw / n * 1e6:7.0f} µs wall")
    print(f"POST /survei/ (302) : {pc / n * 1e6:7.0f} µs CPU  {pw / n * 1e6:7.0f} µs wall")
    print(f"POST minus /health  : {(pc - hc) / n * 1e6:7.0f} µs CPU")
    expected = n + 50
    if profile:
        prof = cProfile.Profile()
        prof.enable()
        server.posts(500)
        prof.disable()
        expected += 500
        pstats.Stats(prof).sort_stats("cumulative").print_stats(profile)
        pstats.Stats(prof).sort_stats("tottime").print_stats(profile)
    return SkmResponse.objects.filter(service_unit=su).count(), expected


def _drop_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


if __name__ == "__main__":
    main()
