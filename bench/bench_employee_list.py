"""Benchmark: the employee list page over 100,000 employees.

    .venv/bin/python bench/bench_employee_list.py [ROWS]

Builds (once per run) a fresh SQLite database under bench/out/ holding the generated unit tree and
ROWS employees (loaded with the import engine, which is a bulk insert), then times the server side
of the list page with Django's test client as a logged-in admin: page 1, a filtered page (an OPD
subtree and status), a name search and a NIP-prefix search, plus the query count of each.
Baseline in the same run: /health, a request that renders no page (framework overhead).
Target: each list page under 150 ms. Wall time and this process's CPU time are both printed
(SQLite runs in-process, so CPU time includes the queries and is less disturbed by other load).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import fresh_sqlite  # noqa: E402

OUT = ROOT / "bench" / "out"
REPEAT = 7


def main(rows: int) -> None:
    db = OUT / "bench_employee_list.sqlite3"
    fresh_sqlite(db)
    os.environ["DEBUG"] = "false"
    os.environ["KOMPETEN_TESTING"] = "true"  # plain static storage: no collectstatic needed
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench.gen_employees import create_units, ensure
    from kompeten.core.models import Instansi, Role, User
    from kompeten.people.imports import import_employees
    from kompeten.people.models import Employee

    call_command("migrate", verbosity=0)
    instansi = Instansi.objects.create(name="Pemerintah Kota Bench", code="kota-bench")
    made = create_units(instansi)
    path = ensure(rows)
    started = time.perf_counter()
    _plan, outcome = import_employees(path.read_bytes(), path.name, instansi=instansi)
    assert outcome is not None, _plan.problems[:5]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"setup: {Employee.objects.count():,} employees in {len(made):,} units "
        f"({time.perf_counter() - started:.1f} s)"
    )
    admin = User.objects.create(username="admin-bench", instansi=instansi, role=Role.ADMIN)
    client = Client()
    client.force_login(admin)
    sample_nip = Employee.objects.order_by("id").values_list("nip", flat=True)[500]
    measure(client, "baseline: /health", "/health", {}, None)
    measure(client, "list, page 1", "/pegawai/", {}, 150)
    measure(client, "list, page 200", "/pegawai/", {"page": "200"}, 150)
    measure(
        client,
        "list, filtered (OPD subtree + PNS)",
        "/pegawai/",
        {"unit": str(made["OPD07"].pk), "status": "PNS"},
        150,
    )
    measure(client, "list, name search 'hidayat'", "/pegawai/", {"q": "hidayat"}, 150)
    measure(client, "list, NIP prefix search", "/pegawai/", {"q": sample_nip[:8]}, 150)
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def measure(client, label: str, url: str, params: dict[str, str], target: float | None) -> None:  # type: ignore[no-untyped-def]
    """The page's median wall and CPU time over REPEAT requests, its query count, the verdict."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)  # warm caches
    times, cpu = [], []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, params)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, response.status_code
    median = statistics.median(times) * 1000
    median_cpu = statistics.median(cpu) * 1000
    verdict = "" if target is None else ("OK" if median < target else "OVER TARGET")
    print(
        f"{label:<36} wall median {median:6.1f} ms (min {min(times) * 1000:6.1f})  "
        f"CPU {median_cpu:6.1f} ms  {len(queries.captured_queries):2d} queries  {verdict}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
