"""Numbers read from a query string or a posted form outside a Django form: ids, years, counts.

A view that reads ``request.GET["run"]`` or ``request.POST.getlist("ids")`` by hand reads it
here, so that what a browser (or anyone) sends is refused the same way everywhere: only ASCII
digits (``"³".isdigit()`` is true, ``int("³")`` fails), and only values a database key can hold
(keys are 64-bit: SQLite cannot take a larger number into a query at all, an OverflowError and a
500, where PostgreSQL would find nothing). What cannot be read is ``None`` (or the caller's
default), never a 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from kompeten.core.moments import FIRST_YEAR, LAST_YEAR

# Database keys are 64-bit: a larger number can never match and must not reach the database.
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")
_SIGNED = re.compile(r"-?[0-9]{1,19}")


def int_param(value: str | None, *, minimum: int, maximum: int) -> int | None:
    """A whole number written in ASCII digits (a leading minus allowed) in [minimum, maximum],
    surrounding blanks ignored; None for anything else."""
    text = (value or "").strip()
    if not _SIGNED.fullmatch(text):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def id_param(value: str | None) -> int | None:
    """An object's id (1 … MAX_ID), or None."""
    text = (value or "").strip()
    return int_param(text, minimum=1, maximum=MAX_ID) if _DIGITS.fullmatch(text) else None


def id_params(values: Iterable[str]) -> list[int]:
    """The readable ids among ``values`` (a posted checkbox list), in order."""
    return [number for value in values if (number := id_param(value)) is not None]


def year_param(value: str | None, default: int) -> int:
    """A year in the supported years (kompeten.core.moments), or ``default``."""
    year = int_param(value, minimum=FIRST_YEAR, maximum=LAST_YEAR)
    return default if year is None else year


def year_asked(query: Mapping[str, str]) -> str | None:
    """The year a page's query string asks for: ``?year=`` as every page writes it, or
    ``?tahun=`` as the leadership pages' links wrote it before (bookmarks keep working)."""
    return query.get("year") or query.get("tahun") or None
