"""Figures and dates as a reader sees them, in the active language.

Pages, reports, charts and generated sentences format through here, so that a table and the
sentence beside it never print the same figure differently.

One rounding rule for every figure a reader sees: **half up on the value's shortest decimal
representation** (``repr`` of a float, the digits of a Decimal): 58.5577 → 58,56; 12.25 → 12,3;
0.125 to two decimals → 0,13; −12.25 → −12,3 (half away from zero). Python's ``round()`` and
``f"{x:.1f}"`` round half to even on the binary float instead (12.25 → 12,2; 0.125 → 0,12), and
Django's ``number_format`` cuts extra decimals off (58.5577 → 58,55); neither is used for
display.

Separators and grouping follow the active language (id: 1.234,5; en: 1,234.5); days and months
are named in it ("5 Januari 2026" / "5 January 2026", "Juni 2025" / "June 2025"). A missing
value (None) is shown as a dash, :data:`DASH`.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, number_format

from kompeten.standards import jp as jp_std

DASH = "–"

Figure = float | int | Decimal


def _exact(value: Figure) -> Decimal:
    """The value as the decimal a reader would write: a float's shortest ``repr`` (0.1, not
    0.1000000000000000055511151231257827), an int or a Decimal as it is."""
    if isinstance(value, Decimal | int):
        return Decimal(value)
    return Decimal(repr(float(value)))


def rounded(value: Figure, decimals: int) -> Decimal:
    """``value`` rounded half up to ``decimals`` places on its shortest decimal repr."""
    return _exact(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: Figure | None, decimals: int | None = 1) -> str:
    """A number in the active language's format with ``decimals`` places (id: 1.234,5; en:
    1,234.5); ``decimals=None`` shows the value's own digits (a float's shortest repr) without
    trailing zeros (Decimal 12.50 → 12,5; 40.0 → 40). None → "–"."""
    if value is None:
        return DASH
    if decimals is None:
        shown = _exact(value).normalize()
        places = max(0, -int(shown.as_tuple().exponent))
        return number_format(shown, places, use_l10n=True, force_grouping=True)
    return number_format(rounded(value, decimals), decimals, use_l10n=True, force_grouping=True)


def percent(share: Figure | None, decimals: int = 1, sign: str = "%") -> str:
    """A 0–1 share as a percentage (0.8123 → "81,2%"; ``sign=" %"`` → "81,2 %"). None → "–"."""
    if share is None:
        return DASH
    return number(_exact(share) * 100, decimals) + sign


def jp_minimum() -> str:
    """The PNS yearly JP minimum as prose writes it ("20"), from :mod:`kompeten.standards.jp`."""
    return plain(jp_std.jp_for_display(jp_std.pns_minimum(), 2))


def plain(x: Figure) -> str:
    """A figure for a sentence: no decimals for a whole number, 2 below 1, else 1 (20 → "20",
    0,3 → "0,30", 23,43 → "23,4")."""
    if float(x).is_integer():
        return number(x, 0)
    return number(x, 2 if abs(float(x)) < 1 else 1)


def rupiah(value: Figure) -> str:
    """An amount in whole rupiah ("Rp1.250.000")."""
    return "Rp" + number(value, 0)


def day(d: date | None) -> str:
    """A day in words ("5 Januari 2026" / "5 January 2026"). None → "–"."""
    if d is None:
        return DASH
    return date_format(d, "j F Y", use_l10n=True)


def month(d: date | None) -> str:
    """A month in words ("Juni 2025" / "June 2025"). None → "–"."""
    if d is None:
        return DASH
    return date_format(d, "F Y", use_l10n=True)


def short_month(number: int) -> str:
    """The month's short name (1 → "Jan"; 5 → "Mei" / "May")."""
    return date_format(date(2000, number, 1), "M", use_l10n=True)
