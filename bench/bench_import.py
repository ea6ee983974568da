"""Benchmark: a 100,000-row SIASN export imported through the CLI path, on the import engine.

    .venv/bin/python bench/bench_import.py [ROWS]

Writes (once) a SIASN-shaped workbook with bench/gen_employees.py (title rows, SIASN's own
headers and values, columns the import ignores) and imports it with ``kompeten import employees
FILE --instansi CODE`` (``call_command``, the same code path as the console script) into a fresh
SQLite database under bench/out/. Printed beside it, measured in the same run: the baseline, the
300-row sample SIASN export (tests/fixtures/bkpsdm-2025) imported the same way with
``--create-units --partial``. Where the 100,000-row import's time goes, timed inside it: the
engine's read (its child process; the child's CPU time is printed too), the engine's row
handling (header row, data rows, every cell parsed), the employees declaration's set-based checks
and diff (``prepare``), the commit and the command around them. Then the same file again (nothing
to write: every row unchanged). The load average is printed: measure on a quiet machine (the
import uses one core, its reader a second one). Target: the 100,000-row import under 15 s.
"""

from __future__ import annotations

import io
import os
import resource
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import fresh_sqlite  # noqa: E402

OUT = ROOT / "bench" / "out"
SAMPLE = ROOT / "tests/fixtures/bkpsdm-2025/Data_PNS_Kota_Sawahlunto_SIASN_02122026.xlsx"
TARGET_SECONDS = 15


def main(rows: int) -> None:
    db = OUT / "bench_import.sqlite3"
    fresh_sqlite(db)
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.gen_employees import ensure

    path = ensure(rows, siasn=True)
    data = path.read_bytes()
    print(f"file: {path.name}, {len(data) / 1_048_576:.1f} MB, {rows:,} rows (SIASN shape)")

    call_command("migrate", verbosity=0)
    instansi = _instansi_with_units()
    t, cpu, out = _cli(str(SAMPLE), "--instansi", instansi.code, "--create-units", "--partial")
    per_row = t / 300
    print(
        f"baseline: 300-row SIASN sample  {t:7.2f} s  (CPU {cpu:.2f} s; {per_row * 1000:.1f} ms/row)"
        f"  {out.strip().splitlines()[-1]}"
    )
    shares = _time_the_phases()
    load_before = _import_measured(path, instansi, rows, per_row, shares)
    shares.clear()
    t, cpu, out = _cli(str(path), "--instansi", instansi.code)
    print(
        f"same file again (no change)     {t:7.2f} s  (CPU {cpu:.2f} s; read "
        f"{shares['read']:.2f} s, rows {shares['plan'] - shares['read'] - shares['prepare']:.2f}"
        f" s, prepare {shares['prepare']:.2f} s, commit {shares['commit']:.2f} s)  {out.strip()}"
    )
    print(
        f"load average while measuring: {load_before:.1f} before, {os.getloadavg()[0]:.1f} after,"
        f" on {os.cpu_count()} CPUs"
    )


def _instansi_with_units():  # type: ignore[no-untyped-def]
    """The bench instansi with the generator's unit tree, so the big import creates no unit."""
    from bench.gen_employees import create_units
    from kompeten.core.models import Instansi

    instansi = Instansi.objects.create(name="Pemerintah Kota Bench", code="kota-bench")
    create_units(instansi)
    return instansi


def _cli(*args: str) -> tuple[float, float, str]:
    """``kompeten import employees ARGS``: wall seconds, CPU seconds and what it printed."""
    from django.core.management import call_command

    out = io.StringIO()
    started, started_cpu = time.perf_counter(), time.process_time()
    with redirect_stdout(out):
        call_command("import_employees", *args, stdout=out)
    return time.perf_counter() - started, time.process_time() - started_cpu, out.getvalue()


def _time_the_phases() -> dict[str, float]:
    """Where the time goes, measured inside the same CLI import: the engine's read (its child
    process), the engine's row handling (header, data rows, every cell parsed), the employees
    declaration's set-based checks and diff (prepare), the commit (the employees' write).
    Returns the seconds per phase, summed as the import runs."""
    from kompeten.core.importing import engine
    from kompeten.people.imports import EmployeesImport

    shares: dict[str, float] = {}

    def timed(owner: Any, name: str, key: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                shares[key] = shares.get(key, 0.0) + time.perf_counter() - started

        setattr(owner, name, wrapper)

    timed(engine, "read", "read")
    timed(engine, "plan", "plan")
    timed(engine, "commit", "commit")
    timed(EmployeesImport, "prepare", "prepare")
    timed(EmployeesImport, "write", "write")
    return shares


def _import_measured(
    path: Path, instansi, rows: int, per_row: float, shares: dict[str, float]
) -> float:  # type: ignore[no-untyped-def]
    """The big import against its target, with its time split by phase; returns the load
    average before it."""
    from kompeten.people.models import Employee

    load_before = os.getloadavg()[0]
    child_before = _children_cpu()
    t, cpu, out = _cli(str(path), "--instansi", instansi.code)
    child_cpu = _children_cpu() - child_before
    stored = Employee.objects.filter(instansi=instansi).count()
    verdict = "OK" if t < TARGET_SECONDS else "OVER TARGET"
    print(
        f"CLI import, {rows:,} rows      {t:7.2f} s  (CPU {cpu:.2f} s + reader child {child_cpu:.2f} s;"
        f" {stored:,} stored; {t / per_row / rows:.2f}× the baseline's time per row; target "
        f"< {TARGET_SECONDS} s: {verdict})  {out.strip().splitlines()[-1]}"
    )
    read, plan, commit = shares["read"], shares["plan"], shares["commit"]
    prepare, write = shares["prepare"], shares["write"]
    print(f"  engine read (child process)   {read:7.2f} s")
    print(f"  engine rows and cells         {plan - read - prepare:7.2f} s")
    print(f"  employees prepare (checks)    {prepare:7.2f} s")
    print(f"  commit                        {commit:7.2f} s  (employees write {write:.2f} s)")
    print(f"  command (options, output)     {t - plan - commit:7.2f} s")
    return load_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
