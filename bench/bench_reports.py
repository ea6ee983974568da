"""Benchmarks of the reports app, each beside a baseline measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kompeten_bench_reports DEBUG=true \
        .venv/bin/python bench/bench_reports.py

1. A programme report as PDF for 10,000 participants (target < 5 s). The programme, its L1–L5
   data and 12 months of public-service data come from ``bench_evaluation.build()`` (bulk
   inserts). Baseline: WeasyPrint rendering a one-page PDF (the renderer's floor).
2. A yearly city-wide cycle report (target < 10 s): ``do_generate_cycle`` + the PDF.
   Baseline: the same for a quarter without data (the fixed cost).
3. The leadership dashboard (target < 300 ms) with 10 million SKM responses, 1 million
   complaints and 5,000 employees stored (PostgreSQL: ``generate_series``; SQLite: smaller,
   see BENCH_SKM). Baseline: ``/health`` through the same test client.
   The snapshot the page reads is computed offline by the worker; its time is printed too.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
os.environ.setdefault("DEBUG", "true")

import bench_evaluation
from django.core.management import call_command
from django.db import connection
from django.test import Client

SKM_ROWS = int(os.environ.get("BENCH_SKM", "10000000"))
COMPLAINTS = int(os.environ.get("BENCH_COMPLAINTS", "1000000"))
EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "5000"))


def timed(fn, repeat: int = 1) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def bulk_public_service(instansi) -> None:  # type: ignore[no-untyped-def]
    """Top up to SKM_ROWS SKM responses, COMPLAINTS complaints and EMPLOYEES employees."""
    from kompeten.people.models import Employee, Unit
    from kompeten.service.models import ServiceUnit

    units = list(Unit.objects.filter(instansi=instansi).values_list("pk", flat=True))
    sus = list(ServiceUnit.objects.filter(instansi=instansi).values_list("pk", flat=True))
    have = Employee.objects.filter(instansi=instansi).count()
    if have < EMPLOYEES:
        new = []
        for i in range(EMPLOYEES - have):
            new.append(
                Employee(
                    instansi=instansi,
                    nip=f"7{i:017d}",
                    name=f"Bench {i}",
                    sex="L",
                    birth_date=date(1980, 1, 1),
                    status="PNS",
                    golongan="III/a",
                    jabatan_kind="pelaksana",
                    jabatan_name="Pelaksana",
                    education="S-1",
                    unit_id=units[i % len(units)],
                )
            )
        Employee.objects.bulk_create(new, batch_size=5000)
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM service_skmresponse")
        n = cur.fetchone()[0]
        if n < SKM_ROWS:
            cur.execute(
                f"""INSERT INTO service_skmresponse (service_unit_id, version, submitted, month, scores,
                    sex, age_group, education, occupation, suggestion, source)
                SELECT (ARRAY{sus})[1 + g % {len(sus)}], 'SKM_2017', ts, date_trunc('month', ts)::date,
                    '{{"persyaratan": 3, "prosedur": 3, "waktu": 3, "biaya": 4, "produk": 3,
                      "kompetensi": 3, "perilaku": 4, "pengaduan": 3, "sarana": 3}}'::jsonb,
                    'L', '', '', '', '', 'form'
                FROM generate_series(1, {SKM_ROWS - n}) g,
                    LATERAL (SELECT timestamptz '2026-01-01' + (g % 330) * interval '1 day') t(ts)"""  # noqa: S608 - numbers from the ORM
            )
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


def build_programme():  # type: ignore[no-untyped-def]
    """``bench_evaluation.build()``, whose SKM rows still carry the old version id "skm2017":
    alias it while building, then rename the rows to "SKM_2017"."""
    from kompeten.service import versions
    from kompeten.service.models import SkmProfileRollup, SkmRollup

    original = versions.engine_version
    versions.engine_version = lambda v: original("SKM_2017" if v == "skm2017" else v)  # type: ignore[assignment]
    try:
        prog = bench_evaluation.build()
    finally:
        versions.engine_version = original
    SkmRollup.objects.filter(version="skm2017").update(version="SKM_2017")
    SkmProfileRollup.objects.filter(version="skm2017").update(version="SKM_2017")
    return prog


def main() -> None:
    call_command("migrate", verbosity=0)
    from kompeten.core.models import Role, User
    from kompeten.learning.models import Programme
    from kompeten.reports.actions import do_generate_cycle, recommendation_rows
    from kompeten.reports.assemble import assemble_programme
    from kompeten.reports.export import render_bytes
    from kompeten.reports.tasks import refresh_dashboard_now

    prog = (
        Programme.objects.filter(instansi__code="bench", code="B-1").first()
        or bench_evaluation.build()
    )
    instansi = prog.instansi
    n = prog.batches.values("enrolments").count()
    print(f"programme {prog.code}: {n:,} enrolments")

    def programme_pdf() -> None:
        render_bytes(instansi, assemble_programme(prog), "pdf")

    def floor_pdf() -> None:
        from weasyprint import HTML

        HTML(string="<h1>Laporan</h1><p>satu halaman</p>").write_pdf()

    floor = timed(floor_pdf, 3)
    pdf = timed(programme_pdf, 1)
    print(
        f"programme report PDF, {n:,} participants: {pdf:.2f} s (target < 5 s); "
        f"baseline one-page WeasyPrint PDF: {floor:.3f} s"
    )

    year = prog.year or 2026

    def cycle(code: str) -> None:
        c = do_generate_cycle(instansi=instansi, code=code)
        render_bytes(instansi, c.data, "pdf", recommendation_rows(list(c.recommendations.all())))

    empty = timed(lambda: cycle(f"{year + 3}-Q1"), 1)
    yearly = timed(lambda: cycle(str(year)), 1)
    print(
        f"yearly city-wide report (assemble + PDF): {yearly:.2f} s (target < 10 s); "
        f"baseline empty quarter: {empty:.2f} s"
    )

    bulk_public_service(instansi)
    from kompeten.people.models import Employee
    from kompeten.service.models import Complaint, SkmResponse

    print(
        f"stored: {SkmResponse.objects.count():,} SKM responses, {Complaint.objects.count():,} "
        f"complaints, {Employee.objects.filter(instansi=instansi).count():,} employees"
    )
    snap = timed(lambda: refresh_dashboard_now(instansi, year), 1)
    user = User.objects.filter(
        instansi=instansi, role=Role.PIMPINAN
    ).first() or User.objects.create(
        username="bench-pimpinan", instansi=instansi, role=Role.PIMPINAN
    )
    client = Client()
    client.force_login(user)
    client.get(f"/laporan/dasbor/?tahun={year}")
    page = timed(lambda: client.get(f"/laporan/dasbor/?tahun={year}"), 20)
    health = timed(lambda: client.get("/health"), 20)
    print(
        f"leadership dashboard: {page * 1000:.1f} ms median of 20 (target < 300 ms); "
        f"baseline /health: {health * 1000:.1f} ms; snapshot computed offline in {snap:.1f} s"
    )


if __name__ == "__main__":
    main()
