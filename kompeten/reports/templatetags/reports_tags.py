"""Formatting of report cells in the active language (id: 91,48; 1.234; 27 November 2026)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

from kompeten.core.charts import data_uri
from kompeten.reports.assemble import tanggal

register = template.Library()


@register.filter
def cell(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return gettext("Ya") if value else gettext("Tidak")
    if isinstance(value, int):
        return number_format(value, 0, force_grouping=True)
    if isinstance(value, float):
        if 0 <= abs(value) < 1 and value != 0:
            return number_format(_rounded(value, 3), 3, force_grouping=True)
        return number_format(_rounded(value, 2), 2, force_grouping=True)
    if isinstance(value, date):
        return tanggal(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return tanggal(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


@register.filter
def svg_uri(svg: str) -> str:
    return data_uri(svg)


@register.filter
def percent(share: float | None) -> str:
    """0.8123 → "81,2%"."""
    if share is None:
        return "–"
    return number_format(_rounded(share * 100, 1), 1) + "%"


def _rounded(value: float, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimals, for display only: Django's
    ``number_format`` cuts a float's extra digits off (58.5577 would show as 58,55)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
