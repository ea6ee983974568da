"""The year a page of yearly figures opens on when the reader has not chosen one.

This year, as long as there is anything to show for it; otherwise the latest earlier year that
has data. A BKPSDM that imports last year's files in December of this year must not land on
pages of zeros ("Belum ada jawaban SKM pada periode ini") while its whole file is one click
away, and the page says which year it shows and why (:func:`opened_on_note`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

# (rows, the name of their date or datetime field)
Source = tuple[QuerySet[Any], str]


def year_with_data(this_year: int, *sources: Source) -> int:
    """``this_year`` when a source has a row in it (or none has any up to it), else the latest
    earlier year in which one has. One query a source."""
    latest: int | None = None
    for rows, field in sources:
        last = rows.filter(**{f"{field}__year__lte": this_year}).aggregate(last=Max(field))["last"]
        if last is not None:
            year = timezone.localtime(last).year if hasattr(last, "hour") else last.year
            latest = year if latest is None else max(latest, year)
    return this_year if latest is None else latest


def opened_on_note(this_year: int, shown: int) -> str:
    """What the page says when it opened on an earlier year than this one ("" otherwise)."""
    if shown == this_year:
        return ""
    return gettext(
        "Belum ada data tahun {this}; ditampilkan tahun {shown}, tahun terakhir yang memiliki "
        "data. Pilih tahun lain di penyaring."
    ).format(this=this_year, shown=shown)
