"""The leadership dashboard's snapshot and page, each beside a baseline measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kompeten_bench_reports DEBUG=true \\
        .venv/bin/python bench/bench_dashboard.py

Uses the data of ``bench_reports.py`` (a 10,000-participant programme, its public-service
data, 20,400 employees; built on first use). Prints, median of 3:

1. the snapshot (``compute_dashboard``, both languages), and beside it the same without the
   headline's before/after section (``programme_impact`` per programme of the year), which is
   what the snapshot cost before the headline;
2. the page (median of 20), beside ``/health`` through the same client.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
os.environ.setdefault("DEBUG", "true")

import bench_reports
from django.core.management import call_command


def main() -> None:
    call_command("migrate", verbosity=0)
    from kompeten.reports import dashboard
    from kompeten.reports.actions import do_store_dashboard

    prog = bench_reports.bench_evaluation.the_programme()
    instansi = prog.instansi
    year = prog.year or 2026
    if not dashboard.Complaint.objects.filter(instansi=instansi).exists():
        bench_reports.bulk_public_service(instansi)

    full = bench_reports.timed(lambda: dashboard.compute_dashboard(instansi, year), 3)
    full_text = f"{full:.2f} s {bench_reports.cpu_load()}"
    real = dashboard._service_before_after
    empty = {
        "programmes": 0,
        "trained_units": 0,
        **{
            g: {
                "pairs": 0,
                "units": 0,
                "ikm_before": None,
                "ikm_after": None,
                **{
                    f"{k}_{w}": None
                    for k in ("complaints", "sla", "days")
                    for w in ("before", "after")
                },
            }
            for g in ("trained", "others")
        },
    }
    dashboard._service_before_after = lambda *a, **k: empty  # type: ignore[assignment]
    try:
        without = bench_reports.timed(lambda: dashboard.compute_dashboard(instansi, year), 3)
    finally:
        dashboard._service_before_after = real  # type: ignore[assignment]
    print(
        f"dashboard snapshot: {full_text}, median of 3; baseline without the before/after "
        f"headline: {without:.2f} s {bench_reports.cpu_load()}"
    )

    do_store_dashboard(
        instansi=instansi, year=year, data=dashboard.compute_dashboard(instansi, year)
    )
    client = bench_reports.leader_client(instansi)
    client.get(f"/laporan/dasbor/?tahun={year}")
    page = bench_reports.timed(lambda: client.get(f"/laporan/dasbor/?tahun={year}"), 20)
    page_text = f"{page * 1000:.1f} ms {bench_reports.cpu_load()}"
    health = bench_reports.timed(lambda: client.get("/health"), 20)
    print(
        f"dashboard page: {page_text}, median of 20 (target < 300 ms); "
        f"baseline /health: {health * 1000:.1f} ms {bench_reports.cpu_load()}"
    )


if __name__ == "__main__":
    main()
