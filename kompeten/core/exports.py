"""Tabular exports (XLSX, CSV) of exactly the rows a list page shows.

Text cells that a spreadsheet would treat as a formula (=, +, -, @, tab, CR) are prefixed with a
single quote, so an exported name can never run as a formula (CSV/formula injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


#: a text a reader sees in a workbook: a string, or a lazy translation written when the file is
Label = str | Promise
#: one sheet of a workbook: its title, its header row and its rows
Sheet = tuple[Label, Sequence[Label], Iterable[Sequence[Any]]]


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """Build a workbook: one (title, header, rows) per sheet. Dates stay dates, numbers numbers.
    Titles and headers may be lazy translations: they are written in the active language."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    datetime_format = workbook.add_format({"num_format": "dd-mm-yyyy hh:mm"})
    for title, header, rows in sheets:
        sheet = workbook.add_worksheet(str(title)[:31])
        for col, label in enumerate(header):
            name = str(label)
            sheet.write_string(0, col, name, bold)
            sheet.set_column(col, col, max(12, min(40, len(name) + 4)))
        sheet.freeze_panes(1, 0)
        r = 0
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int | float | Decimal):
                    sheet.write_number(r, c, float(value))
                elif isinstance(value, datetime):
                    sheet.write_datetime(r, c, value.replace(tzinfo=None), datetime_format)
                elif isinstance(value, date):
                    sheet.write_datetime(
                        r, c, datetime(value.year, value.month, value.day), date_format
                    )
                else:
                    sheet.write_string(r, c, str(neutralise(str(value))))
        if r:
            sheet.autofilter(0, 0, r, max(0, len(header) - 1))
    workbook.close()
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(sheets),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def generate() -> Iterable[str]:
        yield "\ufeff"  # BOM so Excel opens UTF-8 correctly
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(
                [
                    "" if v is None else neutralise(v.isoformat() if isinstance(v, date) else v)
                    for v in row
                ]
            )

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
