"""The complaints page's note on imported rows still waiting for their unit, counted for the
page's year, with many such rows.

Usage (a fresh SQLite file under /tmp by default; set DATABASE_URL to a PostgreSQL database to
measure there):

    .venv/bin/python bench/bench_waiting_rows.py [--rows 20000]

One LAPOR!-shaped import run keeps ``--rows`` complaint rows pending (their unit is not in the
tree), dated over two years. Printed in the same run:

- the count of every waiting row (the note before it was counted per year): the floor;
- ``waiting_rows(field=, period=)`` for a whole year, as the page and the dashboard ask it (the
  date cell taken out of the JSON by the database, read by its year);
- the same for a half-year, as a cycle report asks it (every date read);
- the first per-year implementation, kept here as the baseline: every row's cells decoded in
  Python and each date parsed.

No target is set by an issue; a page's own budget is 300 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")

from bench.common import ensure_database, fresh_sqlite, median_times, set_up_django

HEADERS = {"ID Tracking": "tracking_number", "Tanggal Laporan": "received_at", "Status": "status",
           "Instansi Terdisposisi": "unit"}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        fresh_sqlite(Path("/tmp/kompeten-bench-waiting.sqlite3"))
    ensure_database(os.environ["DATABASE_URL"])
    set_up_django()
    instansi_id = fill(args.rows)

    from kompeten.core import importing as imp

    year = (date(2025, 1, 1), date(2025, 12, 31))
    half = (date(2025, 1, 1), date(2025, 6, 30))
    cases = [
        ("every waiting row (floor)", lambda: imp.waiting_rows(instansi_id, "complaints")),
        ("a year (page, dashboard)", lambda: count(instansi_id, year)),
        ("a half-year (cycle report)", lambda: count(instansi_id, half)),
        ("a year, first version (baseline)", lambda: first_version(instansi_id, year)),
    ]
    print(f"{args.rows:,} waiting complaint rows, {os.environ['DATABASE_URL'].split(':')[0]}")
    for label, fn in cases:
        wall, _cpu = median_times(fn, 5)
        print(f"  {label:34} {fn():>7,}  {wall * 1000:7.1f} ms")


def count(instansi_id: int, period: tuple[date, date]) -> int:
    from kompeten.core import importing as imp

    return imp.waiting_rows(instansi_id, "complaints", field="received_at", period=period)


def fill(rows: int) -> int:
    from kompeten.core.models import ImportRun, Instansi, PendingRow

    instansi, _ = Instansi.objects.get_or_create(code="bench", defaults={"name": "Bench"})
    run = ImportRun.objects.create(
        instansi=instansi, declaration="complaints", filename="lapor.xlsx", mapping=HEADERS
    )
    PendingRow.objects.bulk_create(
        (
            PendingRow(
                run=run,
                row_number=n + 2,
                values={
                    "ID Tracking": f"#{5_000_000 + n}",
                    "Tanggal Laporan": f"{1 + n % 28:02d}/{1 + n % 12:02d}/{2024 + n % 2} 09:00",
                    "Status": "Proses",
                    "Instansi Terdisposisi": "Dinas Lingkungan Hidup",
                },
                reason="unit_unknown",
                key=f"#{5_000_000 + n}",
            )
            for n in range(rows)
        ),
        batch_size=5000,
    )
    return instansi.pk


def first_version(instansi_id: int, period: tuple[date, date]) -> int:
    """As waiting_rows first counted a period: each row's cells and its run's mapping decoded
    in Python, each date parsed."""
    from kompeten.core.importing.values import is_blank, parse_moment
    from kompeten.core.models import PendingRow

    start, end = period
    n = 0
    rows = PendingRow.objects.filter(
        run__instansi_id=instansi_id, run__declaration="complaints", resolved_at__isnull=True
    )
    for values, mapping in rows.values_list("values", "run__mapping").iterator():
        header = next((h for h, f in mapping.items() if f == "received_at"), None)
        cell: Any = values.get(header) if header is not None else None
        if is_blank(cell):
            n += 1
            continue
        try:
            day = parse_moment(cell).date()
        except (ValueError, TypeError, OverflowError):
            n += 1
            continue
        n += start <= day <= end
    return n


if __name__ == "__main__":
    main()
