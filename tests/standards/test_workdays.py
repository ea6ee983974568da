from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import holidays
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompeten.standards.workdays import (
    CUTI_BERSAMA,
    NO_CUTI_BERSAMA,
    CutiBersamaTable,
    WorkCalendar,
    add_working_days,
    cuti_bersama_from_holidays_package,
    is_working_day,
    working_days_between,
)

CALENDAR = WorkCalendar()


def public_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("ID", years=year))


def naive_between(start: date, end: date) -> int:
    """Reference: walk day by day, counting working days in (start, end]."""
    sign, lo, hi = (1, start, end) if start <= end else (-1, end, start)
    off = {d for y in range(lo.year, hi.year + 1) for d in public_holidays(y)} | CUTI_BERSAMA.dates
    count, day = 0, lo + timedelta(days=1)
    while day <= hi:
        if day.weekday() < 5 and day not in off:
            count += 1
        day += timedelta(days=1)
    return sign * count


def test_received_friday_answered_monday_is_one_working_day() -> None:
    assert working_days_between(date(2025, 1, 10), date(2025, 1, 13)) == 1


def test_the_same_day_is_zero_working_days() -> None:
    assert working_days_between(date(2025, 1, 13), date(2025, 1, 13)) == 0


def test_received_saturday_answered_monday_is_one_working_day() -> None:
    assert working_days_between(date(2025, 1, 11), date(2025, 1, 13)) == 1


def test_the_count_is_antisymmetric() -> None:
    assert working_days_between(date(2025, 1, 13), date(2025, 1, 10)) == -1


def test_independence_day_and_christmas_are_holidays() -> None:
    # Fixed-date national holidays: 17 August (Hari Proklamasi), 25 December (Natal).
    for year in (2024, 2025, 2026):
        assert not is_working_day(date(year, 8, 17))
        assert not is_working_day(date(year, 12, 25))
    assert date(2026, 8, 17).weekday() == 0  # a Monday that is not a working day


def test_idul_fitri_2025_days_are_not_working_days() -> None:
    lebaran = [d for d, name in public_holidays(2025).items() if "Eid al-Fitr" in name]
    assert lebaran  # the holidays package knows Idul Fitri 1446 H
    for day in lebaran:
        assert not is_working_day(day)


def test_a_complaint_across_lebaran_2025_counts_only_real_working_days() -> None:
    # Received Thursday 27 March 2025, answered Tuesday 8 April 2025. In between: 28 March cuti
    # bersama (Nyepi), 29 March Nyepi, 31 March–1 April Idul Fitri (from the holidays package),
    # 2, 3, 4 and 7 April cuti bersama (Keppres 2/2025), weekends: only 8 April is a working day.
    start, end = date(2025, 3, 27), date(2025, 4, 8)
    assert working_days_between(start, end) == naive_between(start, end) == 1
    assert add_working_days(start, 1) == end


def test_idul_fitri_2026_from_the_package_and_cuti_bersama() -> None:
    lebaran = [d for d, name in public_holidays(2026).items() if "Eid al-Fitr" in name]
    assert lebaran
    start, end = min(lebaran) - timedelta(days=7), max(lebaran) + timedelta(days=7)
    assert working_days_between(start, end) == naive_between(start, end)
    for day in (date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)):  # Keppres 42/2025
        assert not is_working_day(day)


def test_a_complaint_across_the_year_boundary() -> None:
    # Wednesday 24 December 2025 → Friday 2 January 2026: 25 Dec (Natal) and 26 Dec (cuti
    # bersama) off, 27–28 weekend, 29–31 Dec working, 1 Jan off, 2 Jan working: 4 days.
    start, end = date(2025, 12, 24), date(2026, 1, 2)
    assert working_days_between(start, end) == 4
    assert naive_between(start, end) == 4
    assert add_working_days(start, 4) == end


def test_add_working_days_from_a_friday_and_a_saturday() -> None:
    assert add_working_days(date(2025, 1, 10), 1) == date(2025, 1, 13)
    assert add_working_days(date(2025, 1, 11), 1) == date(2025, 1, 13)
    assert add_working_days(date(2025, 1, 11), 0) == date(2025, 1, 11)
    assert add_working_days(date(2025, 1, 13), -1) == date(2025, 1, 10)
    assert add_working_days(date(2025, 1, 12), -1) == date(2025, 1, 10)


def test_sixty_working_days_cross_into_the_next_year() -> None:
    start = date(2025, 11, 3)
    due = add_working_days(start, 60)
    assert due.year == 2026
    assert working_days_between(start, due) == 60 == naive_between(start, due)


def test_a_calendar_without_cuti_bersama() -> None:
    plain = WorkCalendar(NO_CUTI_BERSAMA)
    assert plain.is_working_day(date(2025, 12, 26))
    assert not CALENDAR.is_working_day(date(2025, 12, 26))


def test_extra_holidays_and_a_six_day_week() -> None:
    regional = WorkCalendar(extra_holidays=[date(2025, 1, 14)])
    assert not regional.is_working_day(date(2025, 1, 14))
    six_days = WorkCalendar(weekend=(6,))
    assert six_days.is_working_day(date(2025, 1, 11))  # a Saturday
    assert six_days.working_days_between(date(2025, 1, 10), date(2025, 1, 13)) == 2


def test_a_calendar_needs_a_working_day_in_the_week() -> None:
    with pytest.raises(ValueError):
        WorkCalendar(weekend=range(7))


def test_datetimes_are_refused() -> None:
    with pytest.raises(TypeError):
        working_days_between(datetime(2025, 1, 10, 9), date(2025, 1, 13))


def test_the_default_cuti_bersama_agrees_with_the_holidays_package() -> None:
    # Two sources: the Keppres (7/2024, 2/2025 + SKB of 7 August 2025, 42/2025) as typed in the
    # table, and the holidays package's "government" category.
    for year in (2024, 2025, 2026):
        package = cuti_bersama_from_holidays_package([year])
        assert package.confidence == "MED"
        assert CUTI_BERSAMA.for_year(year) == package.dates, year


def test_the_default_cuti_bersama_counts() -> None:
    # Keppres 7/2024: 10 days; Keppres 2/2025: 10 days + 18 August; Keppres 42/2025: 8 days.
    assert [len(CUTI_BERSAMA.for_year(y)) for y in (2024, 2025, 2026)] == [10, 11, 8]
    assert CUTI_BERSAMA.for_year(2027) == frozenset()


def test_the_cuti_bersama_table_round_trips_through_json() -> None:
    data = json.loads(json.dumps(CUTI_BERSAMA.to_dict()))
    assert CutiBersamaTable.from_dict(data) == CUTI_BERSAMA


def test_the_vectorised_count_matches_the_scalar_one() -> None:
    rng = np.random.default_rng(7)
    base = np.datetime64("2024-01-01")
    starts = base + rng.integers(0, 3 * 365, size=2000).astype("timedelta64[D]")
    ends = starts + rng.integers(-30, 90, size=2000).astype("timedelta64[D]")
    counts = CALENDAR.working_days_between_many(starts, ends)
    for s, e, c in zip(starts[:200], ends[:200], counts[:200], strict=True):
        assert c == CALENDAR.working_days_between(s.astype(date), e.astype(date))


def test_the_vectorised_count_accepts_dates_and_refuses_nat() -> None:
    counts = CALENDAR.working_days_between_many([date(2025, 1, 10)], [date(2025, 1, 13)])
    assert counts.tolist() == [1]
    assert CALENDAR.working_days_between_many([], []).shape == (0,)
    with pytest.raises(ValueError, match="NaT"):
        CALENDAR.working_days_between_many(["2025-01-10"], ["NaT"])


dates_2023_2027 = st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31))


@settings(max_examples=60, deadline=None)
@given(dates_2023_2027, dates_2023_2027)
def test_the_count_matches_a_day_by_day_walk(start: date, end: date) -> None:
    assert working_days_between(start, end) == naive_between(start, end)


@settings(deadline=None)
@given(dates_2023_2027, st.integers(min_value=1, max_value=120))
def test_adding_n_working_days_lands_on_a_working_day_n_days_later(start: date, n: int) -> None:
    due = add_working_days(start, n)
    assert is_working_day(due)
    assert working_days_between(start, due) == n
    assert add_working_days(due, -n) <= start
