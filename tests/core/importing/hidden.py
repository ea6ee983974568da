"""Workbooks with hidden sheets (an older draft kept beside the corrected copy), written with
xlsxwriter as Excel writes them: a hidden sheet may come first, the visible one is active."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter


def xlsx_hidden(
    sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]],
    hidden: set[str],
    very_hidden: frozenset[str] = frozenset(),
) -> bytes:
    """A workbook of the worksheets given as (name, rows from A1); those named in ``hidden``
    are hidden, those in ``very_hidden`` hidden so that Excel's menu cannot show them, and the
    first visible one is the active sheet."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    shown = None
    for name, rows in sheets:
        worksheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                worksheet.write(r, c, value)
        if name in hidden:
            worksheet.hide()
        elif name in very_hidden:
            worksheet.very_hidden()
        elif shown is None:
            shown = worksheet
    if shown is not None:  # Excel never hides the active sheet
        shown.activate()
        shown.set_first_sheet()
    book.close()
    return buffer.getvalue()
