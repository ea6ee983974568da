"""Small .xlsx files for the import tests, written with xlsxwriter."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter


def xlsx_rows(rows: Sequence[Sequence[object]], sheet: str | None = None) -> bytes:
    """A workbook of one worksheet (named ``sheet``, or Excel's default) holding ``rows`` from A1,
    cell by cell (None and an empty row leave cells empty)."""
    return xlsx_sheets([(sheet, rows)])


def xlsx_sheets(sheets: Sequence[tuple[str | None, Sequence[Sequence[Any]]]]) -> bytes:
    """A workbook of the worksheets given as (name or None for Excel's default, rows from A1)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets:
        worksheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                worksheet.write(r, c, value)
    book.close()
    return buffer.getvalue()
