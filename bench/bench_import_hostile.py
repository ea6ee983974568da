"""Hostile workbooks against the import reader: refused in < 2 s, the process under 300 MB.

Usage:

    .venv/bin/python bench/bench_import_hostile.py

Builds the two hostile workbooks itself (``kompeten.core.importing.hostile``):

* a ~1.6 KB XLSX whose sheet declares ``<dimension ref="A1:XFD1048576"/>`` and holds a cell at
  XFD1048576 (a naive reader reserves 17 billion cells: 512 GiB);
* a ~2 MB XLSX whose sheet XML unpacks to 2 GiB (a zip bomb, ~1000×);

then reads each with ``read_file`` in this process, beside a baseline measured in the same run:
reading the 300-row SIASN sample export. Prints the time of each read and the peak RSS of this
process and of its children (``resource.getrusage``; the parse runs in a child process).
Targets: refusal < 2 s each, peak < 300 MB. Not part of the test suite; the tests
(tests/core/importing/test_reader.py) assert the refusals and their messages, untimed.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kompeten.core.importing import hostile  # noqa: E402
from kompeten.core.importing.reader import ReadError, read_file  # noqa: E402

SAMPLE = (
    ROOT / "tests" / "fixtures" / "bkpsdm-2025" / "Data_PNS_Kota_Sawahlunto_SIASN_02122026.xlsx"
)


def peak_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, children


def measure(label: str, data: bytes, filename: str) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        table = read_file(data, filename)
        outcome = f"read {len(table.rows)} rows"
    except ReadError as exc:
        outcome = f"refused: {exc.message[:90]}…"
    elapsed = time.perf_counter() - start
    me, children = peak_mb()
    print(
        f"{label:<34} {len(data) / 1024:>9.1f} KB  {elapsed * 1000:>8.1f} ms  "
        f"peak RSS self {me:>6.1f} MB, children {children:>6.1f} MB  {outcome}"
    )
    return elapsed, outcome


def main() -> int:
    print(f"baseline peak RSS at start: self {peak_mb()[0]:.1f} MB")
    measure("baseline: SIASN sample, 300 rows", SAMPLE.read_bytes(), SAMPLE.name)
    far = hostile.far_cell_workbook()
    t_far, out_far = measure("far cell XFD1048576", far, "far.xlsx")
    bomb = hostile.zip_bomb_workbook()
    t_bomb, out_bomb = measure("zip bomb (2 GiB unpacked)", bomb, "bomb.xlsx")
    me, children = peak_mb()
    ok = (
        t_far < 2
        and t_bomb < 2
        and out_far.startswith("refused")
        and out_bomb.startswith("refused")
        and max(me, children) < 300
    )
    print(f"targets (< 2 s each, < 300 MB peak): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
