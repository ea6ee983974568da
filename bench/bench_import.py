"""Benchmark: reading and importing a 100,000-row SIASN-style workbook.

    .venv/bin/python bench/bench_import.py [ROWS]

Wall time and this process's CPU time (SQLite runs in-process) are printed. Measures, in the same run: openpyxl (read-only mode) reading the file, the baseline; python-calamine
reading it; and the full import end to end (read + map + validate + write, one transaction) into a
fresh SQLite database under bench/out/. Target: the full import under 10 s. Then a second run of
the same file (nothing to write: every row unchanged).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"


def main(rows: int) -> None:
    db = OUT / "bench_import.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.gen_employees import ensure, unit_specs
    from kompeten.core.models import Instansi
    from kompeten.people.actions import compute_path
    from kompeten.people.imports import import_employees, read_table
    from kompeten.people.models import Employee, Unit

    path = ensure(rows)
    data = path.read_bytes()
    print(f"file: {path.name}, {len(data) / 1_048_576:.1f} MB, {rows:,} rows")

    import openpyxl

    started, started_cpu = time.perf_counter(), time.process_time()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    t_openpyxl = time.perf_counter() - started
    cpu_openpyxl = time.process_time() - started_cpu
    print(
        f"openpyxl read-only read      {t_openpyxl:7.2f} s  (CPU {cpu_openpyxl:.2f} s; "
        f"{n - 1:,} rows)  [baseline]"
    )

    started, started_cpu = time.perf_counter(), time.process_time()
    table = read_table(data, path.name)
    t_calamine = time.perf_counter() - started
    cpu_calamine = time.process_time() - started_cpu
    print(
        f"python-calamine read         {t_calamine:7.2f} s  (CPU {cpu_calamine:.2f} s; "
        f"{len(table.rows):,} rows)  {t_openpyxl / t_calamine:.1f}× faster"
    )

    call_command("migrate", verbosity=0)
    instansi = Instansi.objects.create(name="Pemerintah Kota Bench", code="kota-bench")
    made: dict[str, Unit] = {}
    for spec in unit_specs():
        parent = made.get(spec.parent or "")
        unit_path, depth = compute_path(parent, spec.code)
        made[spec.code] = Unit.objects.create(
            instansi=instansi,
            parent=parent,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            path=unit_path,
            depth=depth,
        )

    started, started_cpu = time.perf_counter(), time.process_time()

    def stage(message: str) -> None:
        wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        print(f"    {wall:6.2f} s (CPU {cpu:5.2f} s)  {message}")

    result = import_employees(data, path.name, instansi=instansi, progress=stage)
    t_import = time.perf_counter() - started
    cpu_import = time.process_time() - started_cpu
    assert not result.problems, result.problems[:5]
    stored = Employee.objects.count()
    linked = Employee.objects.filter(supervisor__isnull=False).count()
    verdict = "OK" if t_import < 10 else "OVER TARGET"
    print(
        f"full import (read→write)     {t_import:7.2f} s  (CPU {cpu_import:.2f} s; {stored:,} "
        f"stored, {linked:,} with atasan; target < 10 s: {verdict})"
    )

    started = time.perf_counter()
    again = import_employees(data, path.name, instansi=instansi)
    t_again = time.perf_counter() - started
    print(f"same file again (no change)  {t_again:7.2f} s  {again.counts}")
    load = os.getloadavg()[0]
    print(f"load average while measuring: {load:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
