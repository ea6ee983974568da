"""Benchmark: reading the ".xls" a web application exports (an HTML table, an XML Spreadsheet
2003) against the same rows as CSV and XLSX, through the bounded reader (its child process).

    .venv/bin/python bench/bench_web_export.py [ROWS]

ROWS (default 100,000) rows of a six-column daftar nominatif, NIPs as text. Printed: each file's
size and read time, and the rate in MB/s. The baselines are the CSV and the XLSX of the same
rows, read in the same run (the upload limit is raised to each file's size: the rate is what is
measured). Target: an HTML or XML export as large as the upload limit (25 MB)
read within half the child's time limit (30 of 60 s), i.e. at 0.83 MB/s or better. Measure on a
quiet machine: the load average is printed.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kompeten.core.importing.reader import MAX_FILE_BYTES, Limits, read_file  # noqa: E402

HEADERS = ["NIP", "Nama", "Jabatan", "Pangkat/Gol", "Unit Kerja", "SKPD"]
TARGET_RATE = MAX_FILE_BYTES / 1_048_576 / 30  # MB/s


def _rows(n: int) -> list[list[str]]:
    return [
        [f"19750312200003{2000 + i % 8000:04d}", f"Pegawai Nomor {i}", "Pengadministrasi Umum",
         "Penata Muda (III/a)", f"Bidang {i % 40}", f"Dinas {i % 25}"]
        for i in range(n)
    ]  # fmt: skip


def _marked_up(rows: list[list[str]], row: str, cell: str) -> str:
    """The header and ``rows`` as markup: each row in ``row`` (``{}`` its cells), each cell in
    ``cell`` (``{}`` its escaped text)."""
    return "".join(row.format("".join(cell.format(escape(c)) for c in r)) for r in [HEADERS, *rows])


def _html(rows: list[list[str]]) -> bytes:
    cells = _marked_up(rows, "<tr>{}</tr>\n", "<td style=\"mso-number-format:'\\@'\">{}</td>")
    return (
        '<html><head><meta charset="utf-8"></head><body><table border="1">'
        f'<tr><td colspan="6">DAFTAR NOMINATIF</td></tr>\n{cells}</table></body></html>'
    ).encode()


def _xml(rows: list[list[str]]) -> bytes:
    body = _marked_up(rows, "<Row>{}</Row>\n", '<Cell><Data ss:Type="String">{}</Data></Cell>')
    return (
        '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Data">'
        f"<Table>{body}</Table></Worksheet></Workbook>"
    ).encode()


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([HEADERS, *rows])
    return out.getvalue().encode()


def _xlsx(rows: list[list[str]]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("Data")
    for i, r in enumerate([HEADERS, *rows]):
        sheet.write_row(i, 0, r)
    book.close()
    return out.getvalue()


def main(n: int) -> None:
    rows = _rows(n)
    print(f"{n:,} rows; load average {os.getloadavg()[0]:.2f}")
    for label, name, data in (
        ("CSV (baseline)", "x.csv", _csv(rows)),
        ("XLSX (baseline)", "x.xlsx", _xlsx(rows)),
        ("HTML table as .xls", "x.xls", _html(rows)),
        ("XML Spreadsheet 2003 as .xls", "x.xls", _xml(rows)),
    ):
        started = time.perf_counter()
        table = read_file(data, name, limits=Limits(max_file_bytes=len(data) + 1))
        seconds = time.perf_counter() - started
        assert len(table.rows) >= n + 1, label
        mb = len(data) / 1_048_576
        print(f"{label:30} {mb:7.1f} MB {seconds:7.2f} s {mb / seconds:7.2f} MB/s")
    print(f"target for the web exports: {TARGET_RATE:.2f} MB/s or better")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
