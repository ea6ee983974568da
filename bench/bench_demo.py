"""Benchmark: `kompeten demo` into a fresh SQLite database, step by step.

    .venv/bin/python bench/bench_demo.py

Builds the whole Sawahlunto demo (the same `build_demo` that `make demo` runs) into a new
SQLite file in a temporary directory and prints, per step, the wall time and this process's CPU
time (SQLite runs in-process; OR-Tools' worker threads count towards CPU, so the planner step can
show more CPU than wall). The baseline, measured in the same run on the same machine: `migrate`
of the same fresh database, which every `make demo` on a fresh machine pays before the demo.
The load average is printed too: on a shared machine wall times stretch with it, CPU times much
less.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    var = Path(tempfile.mkdtemp(prefix="kompeten-bench-demo-"))
    os.environ["KOMPETEN_VAR_DIR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    import django

    django.setup()
    from django.core.management import call_command

    from kompeten.demo.build import build_demo

    wall, cpu = time.perf_counter(), time.process_time()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_wall, migrate_cpu = time.perf_counter() - wall, time.process_time() - cpu

    wall, cpu = time.perf_counter(), time.process_time()
    ctx = build_demo(io.StringIO())
    demo_wall, demo_cpu = time.perf_counter() - wall, time.process_time() - cpu

    print(f"database: {var / 'kompeten.sqlite3'}")
    print(f"{'step':<78} {'wall s':>8} {'CPU s':>8}")
    print(f"{'migrate (baseline)':<78} {migrate_wall:8.1f} {migrate_cpu:8.1f}")
    for timing in ctx.timings:
        print(f"{timing.name[:78]:<78} {timing.wall:8.1f} {timing.cpu:8.1f}")
    print(f"{'demo total':<78} {demo_wall:8.1f} {demo_cpu:8.1f}")
    print(
        f"demo / migrate: wall {demo_wall / migrate_wall:.1f}×, CPU {demo_cpu / migrate_cpu:.1f}×"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
