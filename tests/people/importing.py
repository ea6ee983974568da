"""Helpers for the import tests: SIASN-style rows and files written with xlsxwriter/csv."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from itertools import count
from pathlib import Path

import xlsxwriter

from bench.gen_employees import HEADERS as TEMPLATE_HEADERS
from kompeten.demo.nips import NipFactory

# The employee template's columns (the same list the benchmarks' workbook has) but UNIT KERJA:
# these rows name their unit by its code only.
HEADERS = [h for h in TEMPLATE_HEADERS if h != "UNIT KERJA"]

_nips = NipFactory(seed=5)
_years = count(0)


def person(
    unit_code: str,
    name: str,
    *,
    sex: str = "L",
    supervisor: str = "",
    status: str = "PNS",
    birth: date | None = None,
) -> dict[str, object]:
    """One valid row; birth years 1970–1979 keep these NIPs apart from tests.factories'."""
    if birth is None:
        n = next(_years)
        birth = date(1970 + n % 10, 1 + n % 12, 1 + n % 28)
    nip = (
        _nips.pns(birth, birth.year + 25, 4, sex)
        if status in ("PNS", "CPNS")
        else _nips.pppk(birth, 2022, sex)
    )
    return {
        "NIP": nip,
        "NAMA": name,
        "GELAR DEPAN": "",
        "GELAR BELAKANG": "S.E.",
        "JENIS KELAMIN": "Laki-laki" if sex == "L" else "Perempuan",
        "TANGGAL LAHIR": birth,
        "STATUS": status,
        "GOLONGAN": "III/a" if status != "PPPK" else "",
        "GOLONGAN PPPK": "" if status != "PPPK" else "IX",
        "JENIS JABATAN": "Pelaksana",
        "NAMA JABATAN": "Pengadministrasi Umum",
        "PENDIDIKAN": "S1",
        "KODE UNIT": unit_code,
        "NIP ATASAN": supervisor,
        "AKTIF": "Ya",
    }


def xlsx_bytes(
    rows: Sequence[dict[str, object]], headers: Sequence[str] = HEADERS, sheet: str = "Data"
) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    ws.write_row(0, 0, list(headers))
    for r, row in enumerate(rows, start=1):
        for c, header in enumerate(headers):
            value = row.get(header, "")
            if isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), date_format)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            elif value != "":
                ws.write_string(r, c, str(value))
    workbook.close()
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[dict[str, object]],
    headers: Sequence[str] = HEADERS,
    delimiter: str = ",",
    bom: bool = False,
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [
                row[h].strftime("%d-%m-%Y") if isinstance(row.get(h), date) else row.get(h, "")
                for h in headers
            ]
        )
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
