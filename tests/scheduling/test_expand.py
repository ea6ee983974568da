"""Pure expansion of weekly rules and duty entries to the dated windows the planner reads."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from kompeten.scheduling.expand import (
    DutyRow,
    Interval,
    Pattern,
    SessionIndex,
    WeeklyRule,
    expand_rules,
    merge,
    overlapping_pairs,
    unavailable_spans,
)

JKT = ZoneInfo("Asia/Jakarta")


def dt(day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=JKT)


SESSIONS = SessionIndex([Interval(dt(3, 8), dt(3, 12)), Interval(dt(10, 13), dt(10, 16))])
LOKET = WeeklyRule(1, "DUKCAPIL", "Loket", frozenset(range(5)), time(8), time(12), 3)


def test_a_weekly_rule_becomes_a_window_only_on_days_where_it_overlaps_a_session():
    windows = expand_rules([LOKET], SESSIONS)
    assert [w.span for w in windows] == [
        Interval(dt(3, 8), dt(3, 12))
    ]  # 10 March trains 13–16 only
    assert windows[0].min_present == 3 and windows[0].label.endswith("2026-03-03")


def test_holidays_and_validity_dates_drop_windows():
    assert expand_rules([LOKET], SESSIONS, frozenset({date(2026, 3, 3)})) == []
    later = WeeklyRule(
        1, "X", "L", frozenset(range(5)), time(8), time(12), 1, valid_from=date(2026, 3, 4)
    )
    assert expand_rules([later], SESSIONS) == []


def test_weekly_duties_and_the_working_pattern_become_unavailability_near_sessions():
    shift = DutyRow(
        "shift", Interval(dt(24, 7, 2), dt(24, 9, 2)), repeat_until=date(2026, 12, 31)
    )  # Tuesdays
    far_leave = DutyRow("cuti", Interval(dt(20, 0), dt(21, 0)))
    pattern = Pattern(frozenset({0, 1, 2, 3}), time(7, 30), time(14))  # Friday off; ends 14:00
    spans = unavailable_spans([shift, far_leave], pattern, SESSIONS)
    assert Interval(dt(3, 7), dt(3, 9)) in spans  # the Tuesday shift of 3 March
    assert any(s.start == datetime(2026, 3, 10, 14, tzinfo=JKT) for s in spans)  # after 14:00
    assert all(not s.overlaps(Interval(dt(20, 0), dt(21, 0))) for s in spans)  # no session: dropped


def test_merge_and_overlap_detection():
    assert merge([Interval(dt(3, 8), dt(3, 10)), Interval(dt(3, 9), dt(3, 11))]) == [
        Interval(dt(3, 8), dt(3, 11))
    ]
    assert overlapping_pairs(
        [("a", Interval(dt(3, 8), dt(3, 10))), ("b", Interval(dt(3, 9), dt(3, 11)))]
    ) == [("a", "b")]
    assert (
        overlapping_pairs(
            [("a", Interval(dt(3, 8), dt(3, 10))), ("b", Interval(dt(3, 10), dt(3, 11)))]
        )
        == []
    )
