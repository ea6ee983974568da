"""Benchmarks of the reports app, each beside a baseline measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kompeten_bench_reports DEBUG=true \
        .venv/bin/python bench/bench_reports.py

1. A programme report as PDF for 10,000 participants (target < 5 s). The programme, its L1–L5
   data and 12 months of public-service data come from ``bench_evaluation.build()`` (bulk
   inserts); the bulk public-service volume of item 3 is stored first, so the report reads
   its million complaints too. Median of 3 runs after one warm-up (a worker's steady state;
   the first run, with its imports, is printed too). Baseline: WeasyPrint rendering a
   one-page PDF (the renderer's floor).
2. A yearly city-wide cycle report (target < 10 s): ``do_generate_cycle`` + the PDF, median
   of 3. Baseline: the same for a quarter without data (the fixed cost).
3. The leadership dashboard (target < 300 ms) with 10 million SKM responses, 1 million
   complaints and 5,000 employees stored (PostgreSQL: ``generate_series``; SQLite: smaller,
   see BENCH_SKM). Baseline: ``/health`` through the same test client.
   The snapshot the page reads is computed offline by the worker; its time is printed too.

Each figure is printed with the CPU time of this process (the database's own work is not in
it) and the 1-minute load average: on a shared machine the wall time is pessimistic.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
os.environ.setdefault("DEBUG", "true")

import bench_evaluation
from django.core.management import call_command
from django.db import connection
from django.test import Client

from bench.common import median_times

SKM_ROWS = int(os.environ.get("BENCH_SKM", "10000000"))
COMPLAINTS = int(os.environ.get("BENCH_COMPLAINTS", "1000000"))
EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "5000"))


def timed(fn, repeat: int = 1) -> float:  # type: ignore[no-untyped-def]
    """Median wall time of ``repeat`` runs; the CPU time of this process (the database's is
    not in it) and the load average are kept in ``LAST`` for the printout."""
    wall, LAST["cpu"] = median_times(fn, repeat)
    LAST["load"] = os.getloadavg()[0]
    return wall


LAST: dict[str, float] = {}


def cpu_load() -> str:
    return f"(CPU {LAST['cpu']:.2f} s, load {LAST['load']:.1f})"


def bulk_public_service(instansi) -> None:  # type: ignore[no-untyped-def]
    """Top up to SKM_ROWS SKM responses, COMPLAINTS complaints and EMPLOYEES employees."""
    from kompeten.people.models import Employee, Unit
    from kompeten.service.models import ServiceUnit

    units = list(Unit.objects.filter(instansi=instansi).values_list("pk", flat=True))
    sus = list(ServiceUnit.objects.filter(instansi=instansi).values_list("pk", flat=True))
    have = Employee.objects.filter(instansi=instansi).count()
    if have < EMPLOYEES:
        new = [
            bench_evaluation.plain_employee(
                instansi, f"7{i:017d}", f"Bench {i}", units[i % len(units)], education="S-1"
            )
            for i in range(EMPLOYEES - have)
        ]
        Employee.objects.bulk_create(new, batch_size=5000)
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM service_skmresponse")
        n = cur.fetchone()[0]
        if n < SKM_ROWS:
            from kompeten.standards.ikm import SKM_2017

            # one fixed answer sheet (scores 3 and 4) under the engine's unsur slugs
            answers = {u.slug: 4 if i in (3, 6) else 3 for i, u in enumerate(SKM_2017.unsur)}
            # the 3-bit packed scores the rollup rebuild reads, in the engine's unsur order
            packed = sum(answers[u.slug] << (3 * i) for i, u in enumerate(SKM_2017.unsur))
            cur.execute(
                f"""INSERT INTO service_skmresponse (service_unit_id, version, submitted, month, scores,
                    packed, rolled_on_insert, sex, age_group, education, occupation, suggestion,
                    source)
                SELECT (ARRAY{sus})[1 + g %% {len(sus)}], 'SKM_2017', ts, date_trunc('month', ts)::date,
                    %s::jsonb, {packed}, true, 'L', '', '', '', '', 'import'
                FROM generate_series(1, {SKM_ROWS - n}) g,
                    LATERAL (SELECT timestamptz '2026-01-01' + (g %% 330) * interval '1 day') t(ts)""",  # noqa: S608 - numbers from the ORM
                [json.dumps(answers)],
            )
            from kompeten.service.actions import do_rebuild_rollups

            do_rebuild_rollups()  # the dashboard snapshot reads the rollups, as in production
        cur.execute("SELECT count(*) FROM service_complaint")
        n = cur.fetchone()[0]
        if n < COMPLAINTS:
            cur.execute(
                f"""INSERT INTO service_complaint (instansi_id, unit_id, tracking_number, subject, topic,
                    category, status, received_at, first_response_at, closed_at, reopened_count,
                    escalated, source, created)
                SELECT {instansi.pk}, (ARRAY{units})[1 + g % {len(units)}], 'B' || g, '', '',
                    'informasi', 'selesai', ts, ts + interval '1 day',
                    ts + (g % 9) * interval '1 day', 0, false, 'form', now()
                FROM generate_series(1, {COMPLAINTS - n}) g,
                    LATERAL (SELECT timestamptz '2026-01-01' + (g % 300) * interval '1 day') t(ts)"""  # noqa: S608 - numbers from the ORM
            )
    connection.commit() if not connection.get_autocommit() else None


def main() -> None:
    call_command("migrate", verbosity=0)

    prog = bench_evaluation.the_programme()
    instansi = prog.instansi
    n = prog.batches.values("enrolments").count()
    # the public-service volume first, so that every figure below is measured with it stored
    # (the programme and cycle reports read the complaints too)
    bulk_public_service(instansi)
    if connection.vendor == "postgresql":
        # The fixture is bulk SQL; production's autovacuum would analyze the tables after it,
        # but this machine's server runs with autovacuum off: without statistics the planner
        # takes 10,000 enrolments for one and a report query runs for minutes.
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    from kompeten.people.models import Employee
    from kompeten.service.models import Complaint, SkmResponse

    print(
        f"programme {prog.code}: {n:,} enrolments; stored: {SkmResponse.objects.count():,} SKM "
        f"responses, {Complaint.objects.count():,} complaints, "
        f"{Employee.objects.filter(instansi=instansi).count():,} employees"
    )
    time_programme_pdf(prog, n)
    year = prog.year or 2026
    time_cycle_report(instansi, year)
    time_dashboard(instansi, year)


def time_programme_pdf(prog, n: int) -> None:  # type: ignore[no-untyped-def]
    """The programme report PDF (cold, then median of 3) beside a one-page WeasyPrint PDF."""
    from kompeten.reports.assemble import assemble_programme
    from kompeten.reports.export import render_bytes

    def programme_pdf() -> None:
        render_bytes(prog.instansi, assemble_programme(prog), "pdf")

    def floor_pdf() -> None:
        from weasyprint import HTML

        HTML(string="<h1>Laporan</h1><p>satu halaman</p>").write_pdf()

    floor = timed(floor_pdf, 3)
    floor_text = f"{floor:.3f} s {cpu_load()}"
    cold = timed(programme_pdf, 1)  # first run: imports statsmodels, matplotlib, fonts
    cold_text = f"{cold:.2f} s {cpu_load()}"
    pdf = timed(programme_pdf, 3)
    print(
        f"programme report PDF, {n:,} participants: {pdf:.2f} s median of 3 {cpu_load()} "
        f"(target < 5 s); first run in the process {cold_text}; "
        f"baseline one-page WeasyPrint PDF: {floor_text}"
    )


def time_cycle_report(instansi, year: int) -> None:  # type: ignore[no-untyped-def]
    """The yearly city-wide report (generate + PDF) beside an empty quarter's."""
    from kompeten.reports.actions import do_generate_cycle, recommendation_rows
    from kompeten.reports.export import render_bytes

    def cycle(code: str) -> None:
        c = do_generate_cycle(instansi=instansi, code=code)
        render_bytes(instansi, c.data, "pdf", recommendation_rows(list(c.recommendations.all())))

    empty = timed(lambda: cycle(f"{year + 3}-Q1"), 1)
    empty_text = f"{empty:.2f} s {cpu_load()}"
    yearly = timed(lambda: cycle(str(year)), 3)
    print(
        f"yearly city-wide report (assemble + PDF): {yearly:.2f} s median of 3 {cpu_load()} "
        f"(target < 10 s); baseline empty quarter: {empty_text}"
    )


def leader_client(instansi) -> Client:  # type: ignore[no-untyped-def]
    """A test client signed in as the instansi's (first, else a new) pimpinan."""
    from kompeten.core.models import Role, User

    user = User.objects.filter(
        instansi=instansi, role=Role.PIMPINAN
    ).first() or User.objects.create(
        username="bench-pimpinan", instansi=instansi, role=Role.PIMPINAN
    )
    client = Client()
    client.force_login(user)
    return client


def time_dashboard(instansi, year: int) -> None:  # type: ignore[no-untyped-def]
    """The leadership dashboard from its offline snapshot, beside /health."""
    from kompeten.reports.tasks import refresh_dashboard_now

    snap = timed(lambda: refresh_dashboard_now(instansi, year), 1)
    snap_text = f"{snap:.1f} s {cpu_load()}"
    client = leader_client(instansi)
    client.get(f"/laporan/dasbor/?tahun={year}")
    page = timed(lambda: client.get(f"/laporan/dasbor/?tahun={year}"), 20)
    page_text = f"{page * 1000:.1f} ms median of 20 {cpu_load()}"
    health = timed(lambda: client.get("/health"), 20)
    print(
        f"leadership dashboard: {page_text} (target < 300 ms); "
        f"baseline /health: {health * 1000:.1f} ms; snapshot computed offline in {snap_text}"
    )


if __name__ == "__main__":
    main()
