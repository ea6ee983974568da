"""Reading CSV and XLSX files for imports and the ``kompeten ikm`` CLI.

Rows come back as lists of cell values with their 1-based spreadsheet row number, so that errors
can name the row a person sees in Excel (the header is row 1). A file that cannot be read is a
``TableError`` said in the active language.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from kompeten.standards.local_time import JAKARTA


class TableError(ValueError):
    """A file that cannot be read as a table."""


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[Any]]]


def read_table(data: bytes, filename: str) -> Table:
    """Read CSV (comma or semicolon, UTF-8 with or without BOM) or XLSX (first sheet)."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        return _read_xlsx(data)
    if name.endswith((".csv", ".txt")):
        return _read_csv(data)
    raise TableError(
        gettext("Format berkas {name} tidak didukung: gunakan CSV atau XLSX").format(
            name=repr(filename)
        )
    )


def read_path(path: str | Path) -> Table:
    p = Path(path)
    if not p.exists():
        raise TableError(gettext("Berkas {path} tidak ditemukan").format(path=p))
    return read_table(p.read_bytes(), p.name)


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        raise TableError(gettext("Berkas kosong: baris judul kolom tidak ada"))
    header = [h.strip() for h in rows[0]]
    body = [(i, [c.strip() for c in row]) for i, row in enumerate(rows[1:], start=2) if any(row)]
    return Table(header=header, rows=body)


def _read_xlsx(data: bytes) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 - calamine raises several types for a broken file
        raise TableError(
            gettext("Berkas XLSX tidak dapat dibaca: {error}").format(error=exc)
        ) from None
    if not sheet:
        raise TableError(gettext("Berkas kosong: baris judul kolom tidak ada"))
    header = [str(h).strip() for h in sheet[0]]
    body = []
    for i, row in enumerate(sheet[1:], start=2):
        cells = [c.strip() if isinstance(c, str) else c for c in row]
        if any(c not in ("", None) for c in cells):
            body.append((i, cells))
    return Table(header=header, rows=body)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_int(value: Any) -> int:
    """An integer cell ("4", 4, 4.0); ``ValueError`` otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(value)
    text = str(value).strip()
    try:
        d = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(value) from None
    if d != d.to_integral_value():
        raise ValueError(value)
    return int(d)


def parse_decimal(value: Any) -> Decimal:
    """A decimal cell; accepts the Indonesian comma ("3,25")."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = str(value).strip().replace(" ", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
)


def parse_moment(value: Any) -> datetime:
    """A date or date-time cell as an aware Asia/Jakarta datetime (a date alone = 08:00)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=JAKARTA)
    if isinstance(value, date):
        return datetime.combine(value, time(8, 0), tzinfo=JAKARTA)
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=JAKARTA)
    except ValueError:
        pass
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=JAKARTA)
        except ValueError:
            continue
    for fmt in _DATE_FORMATS:
        try:
            return datetime.combine(datetime.strptime(text, fmt).date(), time(8, 0), tzinfo=JAKARTA)
        except ValueError:
            continue
    raise ValueError(value)


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.astimezone(JAKARTA).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    return parse_moment(value).date()


def plain_header(text: str) -> str:
    """Lower case, punctuation as spaces, spaces collapsed: for non-unsur column headers."""
    import re

    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text).lower()).split())
