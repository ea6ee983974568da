"""Working days for SLAs: weekends, national public holidays and cuti bersama.

* National public holidays come from the ``holidays`` package
  (``holidays.country_holidays("ID", years=...)``, its default "public" category).
* Cuti bersama (collective leave for ASN, declared each year by Keppres after the SKB of three
  ministers) come from a :class:`CutiBersamaTable`. The default, :data:`CUTI_BERSAMA`, lists
  2024–2026 from the Keppres (several independent sources agree, and so does the ``holidays``
  package's "government" category); other years are empty until the admin adds them —
  :func:`cuti_bersama_from_holidays_package` can pre-fill them.

Convention: :func:`working_days_between` counts the working days **after** ``start`` up to **and
including** ``end``. Received Friday, answered Monday: 1 working day. Received and answered the
same day: 0. Received Saturday, answered Monday: 1. The count is antisymmetric
(``between(a, b) == -between(b, a)``). :func:`add_working_days` is its inverse: the ``n``-th
working day after ``start`` (for n ≥ 1, ``between(start, add(start, n)) == n``).

:class:`WorkCalendar` caches the holiday set of each year and a ``numpy.busdaycalendar`` for the
year range in use; :meth:`WorkCalendar.working_days_between_many` counts over whole arrays with
``numpy.busday_count`` (a million complaints in milliseconds).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

import holidays
import numpy as np
import numpy.typing as npt

from kompeten.standards._tables import (
    RegulationTable,
    head_from_dict,
    parse_date,
)

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class CutiBersamaTable(RegulationTable):
    """Cuti bersama dates for ASN, with the decree of each year (editable)."""

    dates: frozenset[date]
    sources: Mapping[int, str] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "dates", frozenset(self.dates))
        if self.sources is not None:
            object.__setattr__(self, "sources", dict(self.sources))

    def for_year(self, year: int) -> frozenset[date]:
        return frozenset(d for d in self.dates if d.year == year)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head_dict(),
            "dates": sorted(d.isoformat() for d in self.dates),
            "sources": None
            if self.sources is None
            else {str(y): s for y, s in self.sources.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CutiBersamaTable:
        sources = data.get("sources")
        return cls(
            **head_from_dict(data),
            dates=frozenset(parse_date(d) for d in data["dates"]),
            sources=None if sources is None else {int(y): str(s) for y, s in sources.items()},
        )


def _plain_date(value: date) -> date:
    if isinstance(value, datetime):
        raise TypeError(
            "pass a date, not a datetime: take the Asia/Jakarta date of the moment first"
        )
    return value


def _d(text: str) -> date:
    return date.fromisoformat(text)


CUTI_BERSAMA = CutiBersamaTable(
    regulation="Keputusan Presiden tentang Cuti Bersama Pegawai ASN (per tahun, see sources)",
    effective_from=date(2024, 1, 9),
    confidence="HIGH",
    sources={
        2024: "Keppres Nomor 7 Tahun 2024",
        2025: "Keppres Nomor 2 Tahun 2025; 18 Agustus added by SKB Menag, Menaker, MenPANRB "
        "Nomor 933, 1, 3 Tahun 2025",
        2026: "Keppres Nomor 42 Tahun 2025",
    },
    dates=frozenset(
        _d(s)
        for s in (
            # 2024 — Keppres 7/2024
            "2024-02-09",  # Imlek
            "2024-03-12",  # Nyepi
            "2024-04-08",  # Idul Fitri
            "2024-04-09",
            "2024-04-12",
            "2024-04-15",
            "2024-05-10",  # Kenaikan Isa Almasih
            "2024-05-24",  # Waisak
            "2024-06-18",  # Idul Adha
            "2024-12-26",  # Natal
            # 2025 — Keppres 2/2025, and the SKB amendment of 7 August 2025 (18 August)
            "2025-01-28",  # Imlek
            "2025-03-28",  # Nyepi
            "2025-04-02",  # Idul Fitri
            "2025-04-03",
            "2025-04-04",
            "2025-04-07",
            "2025-05-13",  # Waisak
            "2025-05-30",  # Kenaikan Yesus Kristus
            "2025-06-09",  # Idul Adha
            "2025-08-18",  # HUT RI ke-80
            "2025-12-26",  # Natal
            # 2026 — Keppres 42/2025
            "2026-02-16",  # Imlek
            "2026-03-18",  # Nyepi
            "2026-03-20",  # Idul Fitri
            "2026-03-23",
            "2026-03-24",
            "2026-05-15",  # Kenaikan Yesus Kristus
            "2026-05-28",  # Idul Adha
            "2026-12-24",  # Natal
        )
    ),
)

NO_CUTI_BERSAMA = CutiBersamaTable(
    regulation="(none)", effective_from=date(1970, 1, 1), confidence="HIGH", dates=frozenset()
)


def cuti_bersama_from_holidays_package(years: Iterable[int]) -> CutiBersamaTable:
    """Cuti bersama for ``years`` as the ``holidays`` package lists them (its "government"
    category, "Joint Holiday"), MED: a pre-fill for the admin to check against the Keppres."""
    years = sorted(set(years))
    found = holidays.country_holidays("ID", years=years, categories=("government",))
    return CutiBersamaTable(
        regulation=f"holidays package {holidays.__version__}, Indonesia, category 'government'",
        effective_from=date(years[0], 1, 1) if years else date(1970, 1, 1),
        confidence="MED",
        dates=frozenset(found.keys()),
    )


class WorkCalendar:
    """Working days of Indonesian government offices.

    Parameters
    ----------
    cuti_bersama
        A :class:`CutiBersamaTable` (default :data:`CUTI_BERSAMA`) or plain dates.
    extra_holidays
        Other days off (a regional holiday, an office closure).
    weekend
        Weekday numbers that are not working days (Monday = 0); default Saturday and Sunday.
    """

    def __init__(
        self,
        cuti_bersama: CutiBersamaTable | Iterable[date] = CUTI_BERSAMA,
        *,
        extra_holidays: Iterable[date] = (),
        weekend: Iterable[int] = (5, 6),
    ) -> None:
        dates = cuti_bersama.dates if isinstance(cuti_bersama, CutiBersamaTable) else cuti_bersama
        self._extra = frozenset(dates) | frozenset(extra_holidays)
        self.weekend = frozenset(weekend)
        if not self.weekend <= set(range(7)) or len(self.weekend) == 7:
            raise ValueError(
                "weekend must be weekday numbers 0–6, leaving at least one working day"
            )
        self._weekmask = [0 if day in self.weekend else 1 for day in range(7)]
        self._years: dict[int, frozenset[date]] = {}
        self._busdaycal: np.busdaycalendar | None = None
        self._range: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def holidays_for_year(self, year: int) -> frozenset[date]:
        """Public holidays and cuti bersama (and extra days off) of ``year``, cached."""
        cached = self._years.get(year)
        if cached is None:
            public = holidays.country_holidays("ID", years=year)
            cached = frozenset(public.keys()) | frozenset(d for d in self._extra if d.year == year)
            self._years[year] = cached
        return cached

    def is_holiday(self, day: date) -> bool:
        return day in self.holidays_for_year(day.year)

    def is_working_day(self, day: date) -> bool:
        day = _plain_date(day)
        return day.weekday() not in self.weekend and not self.is_holiday(day)

    def _calendar(self, first_year: int, last_year: int) -> np.busdaycalendar:
        with self._lock:
            if self._range is not None and self._busdaycal is not None:
                lo, hi = self._range
                if lo <= first_year and last_year <= hi:
                    return self._busdaycal
                first_year, last_year = min(lo, first_year), max(hi, last_year)
            days = sorted(
                d for y in range(first_year, last_year + 1) for d in self.holidays_for_year(y)
            )
            cal = np.busdaycalendar(
                weekmask=self._weekmask, holidays=np.array(days, dtype="datetime64[D]")
            )
            self._busdaycal, self._range = cal, (first_year, last_year)
            return cal

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        start, end = _plain_date(start), _plain_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        cal = self._calendar(start.year, end.year)
        return int(np.busday_count(start + _ONE_DAY, end + _ONE_DAY, busdaycal=cal))

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (before it, for negative ``n``; ``start``
        itself for 0). ``start`` need not be a working day: 1 working day after a Saturday is
        the Monday."""
        start = _plain_date(start)
        if n == 0:
            return start
        # A year has ≥ 200 working days; cover the span generously.
        spread = abs(n) // 200 + 1
        lo, hi = (start.year, start.year + spread) if n > 0 else (start.year - spread, start.year)
        cal = self._calendar(lo, hi)
        roll: Literal["backward", "forward"] = "backward" if n > 0 else "forward"
        result = np.busday_offset(start, n, roll=roll, busdaycal=cal)
        return date.fromisoformat(str(result))

    def working_days_between_many(
        self, starts: npt.ArrayLike | Sequence[date], ends: npt.ArrayLike | Sequence[date]
    ) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`working_days_between` over arrays of dates (``datetime64[D]``,
        ``date`` objects or ISO strings). Missing ends (NaT) are an error: give still-open items
        the as-of date."""
        s = np.asarray(starts, dtype="datetime64[D]")
        e = np.asarray(ends, dtype="datetime64[D]")
        if s.size == 0 or e.size == 0:
            return np.zeros(np.broadcast(s, e).shape, dtype=np.int64)
        if np.isnat(s).any() or np.isnat(e).any():
            raise ValueError("dates must not be NaT: give still-open items the as-of date as end")
        first = int(min(s.min(), e.min()).astype("datetime64[Y]").astype(int)) + 1970
        last = int(max(s.max(), e.max()).astype("datetime64[Y]").astype(int)) + 1970
        cal = self._calendar(first, last)
        # numpy counts [begin, end) and, for begin > end, not the mirror image: count the
        # ordered pair and put the sign back.
        one = np.timedelta64(1, "D")
        lo, hi = np.minimum(s, e), np.maximum(s, e)
        counts = np.busday_count(lo + one, hi + one, busdaycal=cal).astype(np.int64)
        return np.where(e < s, -counts, counts)


_DEFAULT_CALENDAR: WorkCalendar | None = None


def default_calendar() -> WorkCalendar:
    """A shared :class:`WorkCalendar` with the default cuti bersama table."""
    global _DEFAULT_CALENDAR
    if _DEFAULT_CALENDAR is None:
        _DEFAULT_CALENDAR = WorkCalendar()
    return _DEFAULT_CALENDAR


def is_working_day(day: date, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or default_calendar()).is_working_day(day)


def working_days_between(start: date, end: date, calendar: WorkCalendar | None = None) -> int:
    """Working days after ``start`` up to and including ``end``: received Friday, answered
    Monday = 1."""
    return (calendar or default_calendar()).working_days_between(start, end)


def add_working_days(start: date, n: int, calendar: WorkCalendar | None = None) -> date:
    """The ``n``-th working day after ``start``."""
    return (calendar or default_calendar()).add_working_days(start, n)
