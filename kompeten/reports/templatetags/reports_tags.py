"""Formatting of report cells in the active language (id: 91,48; 1.234; 27 November 2026),
through :mod:`kompeten.core.formatting` (half-up rounding, the reader's separators)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.translation import gettext

from kompeten.core import formatting
from kompeten.core.charts import data_uri

register = template.Library()

# a cell below 1 shows three decimals: a smaller value that is not zero reads "< 0,001"
SMALLEST_SHOWN = 0.001


@register.filter
def cell(value: Any) -> str:
    if value is None or value == "":
        return formatting.DASH
    if isinstance(value, bool):
        return gettext("Ya") if value else gettext("Tidak")
    if isinstance(value, int):
        return formatting.number(value, 0)
    if isinstance(value, float):
        if 0 < abs(value) < SMALLEST_SHOWN / 2:
            # not "0,000" for a value that is not zero (a p-value of 0.00002)
            bound = formatting.number(SMALLEST_SHOWN, 3)
            return f"< {bound}" if value > 0 else f"> {formatting.number(-SMALLEST_SHOWN, 3)}"
        if 0 < abs(value) < 1:
            return formatting.number(value, 3)
        return formatting.number(value, 2)
    if isinstance(value, date):
        return formatting.day(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return formatting.day(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


@register.filter
def points(value: float | None) -> str:
    """An IP ASN score or sub-score, always with two decimals (the rounding its categories are
    read on), whatever its size: a column of them reads alike."""
    if value is None:
        return formatting.DASH
    return formatting.number(float(value), 2)


@register.filter
def svg_uri(svg: str) -> str:
    return data_uri(svg)


@register.filter
def percent(share: float | None) -> str:
    """0.8123 → "81,2%"; None → "–"."""
    return formatting.percent(share)
