"""The years a date or time given to this system may fall in: one rule for pages, the API and
imports.

Nothing Kompeten records is dated before 1900 or after 2999: such a date is a typo (0202 for
2022) or a placeholder (31-12-9999 for "no end"). Worse, a time in year 1 or 9999 cannot be
moved to UTC to be stored, or to WIB to be read, and would fail deep inside a save. Pure Python:
the import reader's child process uses it without Django.
"""

from __future__ import annotations

from datetime import date

FIRST_YEAR = 1900
LAST_YEAR = 2999


def in_supported_years(day: date) -> bool:
    """Whether a date (or a datetime, by its own calendar day) lies in FIRST_YEAR…LAST_YEAR."""
    return FIRST_YEAR <= day.year <= LAST_YEAR
