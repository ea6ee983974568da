"""The seven bkpsdm-2025 sample exports through the CLI, from an empty install (issue: bring your
own data). Target: the seven imports together under 30 s on the 2-core machine.

Each step runs as its own `kompeten` process, as an operator would type it, on a fresh SQLite
database in a scratch var directory; the baseline is the start-up of one `kompeten` process
(`kompeten check`) measured in the same run, so the import work is the rest.

    .venv/bin/python bench/bench_first_report.py [--samples DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KOMPETEN = str(ROOT / ".venv" / "bin" / "kompeten")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", default=str(ROOT / "tests" / "fixtures" / "bkpsdm-2025"))
    args = parser.parse_args()
    d = Path(args.samples)

    def one(pattern: str) -> str:
        found = sorted(d.glob(pattern))
        if not found:
            sys.exit(f"no {pattern} in {d}")
        return str(found[0])

    var = tempfile.mkdtemp(prefix="kompeten-bench-")
    env = {**os.environ, "KOMPETEN_VAR_DIR": var, "DEBUG": "true"}
    env.pop("DATABASE_URL", None)
    password = Path(var) / "pw"
    password.write_text("Rahasia-Sawahlunto-2025\n")

    def run(*argv: str) -> float:
        t = time.perf_counter()
        subprocess.run([KOMPETEN, *argv], env=env, check=True, capture_output=True)
        return time.perf_counter() - t

    run("migrate", "--no-input", "-v", "0")
    setup = run(
        "setup", "--instansi", "Pemerintah Kota Sawahlunto", "--code", "sawahlunto",
        "--kind", "kota", "--admin", "admin.bkpsdm", "--password-file", str(password),
        "--no-input",
    )  # fmt: skip
    baseline = min(run("check", "-v", "0") for _ in range(3))
    steps = [
        ("employees (SIASN, 300)", ["import", "employees", one("Data_PNS*"), "--create-units",
                                    "--partial"]),
        ("training (attendance, 60)", ["import", "training", one("Daftar Hadir*"),
                                       "--programme", "PP-2025", "--title",
                                       "Pelatihan Pelayanan Prima dan Etika Kerja ASN",
                                       "--start", "2025-06-24", "--end", "2025-06-26",
                                       "--jp", "24", "--partial"]),
        ("scores (pre/post, 60)", ["import", "scores", one("Nilai Pre Post*"),
                                   "--programme", "PP-2025", "--partial"]),
        ("reaction (Google Forms, 52)", ["import", "reaction", one("Evaluasi Penyelenggaraan*"),
                                         "--programme", "PP-2025", "--partial"]),
        ("skm (Google Forms, 810)", ["import", "skm", one("SKM Disdukcapil*"),
                                     "--unit", "Disdukcapil"]),
        ("skm (e-SKM, 807)", ["import", "skm", one("Export_eSKM*"), "--unit", "DPMPTSP"]),
        ("complaints (LAPOR!, 393)", ["import", "complaints", one("Export_Laporan*"),
                                      "--partial"]),
    ]  # fmt: skip
    total = 0.0
    print(f"{'step':34} {'seconds':>8}")
    print(f"{'baseline: `kompeten check` start-up':34} {baseline:8.2f}")
    print(f"{'setup':34} {setup:8.2f}")
    for label, argv in steps:
        seconds = run(*argv)
        total += seconds
        print(f"{label:34} {seconds:8.2f}")
    print(f"{'the seven imports together':34} {total:8.2f}   (target < 30 s)")
    report = run(
        "report", "PP-2025", "--format", "json", "-o", str(Path(var) / "report.json"),
    )  # fmt: skip
    print(f"{'report JSON':34} {report:8.2f}")


if __name__ == "__main__":
    main()
