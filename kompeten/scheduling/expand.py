"""Turning duty calendars and staffing rules into the dated windows the planner reads.

Pure functions (no database): the instance builder (``instance.py``) feeds them rows read from
the models. Everything is expanded **only where it matters**: a weekly staffing rule becomes a
dated window on a day only when that window overlaps some training session, and an employee's
unavailability is kept only where it overlaps a session. A year of weekly rules therefore costs
the planner nothing on the days nobody trains.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from kompeten.scheduling.planner.model import Interval
from kompeten.standards.local_time import JAKARTA

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)


def at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=JAKARTA)


def parse_weekdays(text: str) -> frozenset[int]:
    """``"01234"`` (Monday = 0) → {0, 1, 2, 3, 4}; ignores anything that is not 0–6."""
    return frozenset(int(ch) for ch in text if ch in "0123456")


class SessionIndex:
    """The training sessions of an instance, for fast "does this overlap any session?" tests."""

    def __init__(self, sessions: Iterable[Interval]) -> None:
        self.by_day: dict[date, list[Interval]] = {}
        for span in sessions:
            day = span.start.astimezone(JAKARTA).date()
            last = (span.end - timedelta(microseconds=1)).astimezone(JAKARTA).date()
            while day <= last:
                self.by_day.setdefault(day, []).append(span)
                day += ONE_DAY

    @property
    def days(self) -> list[date]:
        return sorted(self.by_day)

    def overlaps_any(self, span: Interval) -> bool:
        day = span.start.astimezone(JAKARTA).date()
        last = (span.end - timedelta(microseconds=1)).astimezone(JAKARTA).date()
        while day <= last:
            for session in self.by_day.get(day, ()):
                if session.overlaps(span):
                    return True
            day += ONE_DAY
        return False


@dataclass(frozen=True, slots=True)
class WeeklyRule:
    """A staffing rule as the unit states it: weekdays, hours, minimum present, validity."""

    rule_id: int
    unit: str
    label: str
    weekdays: frozenset[int]
    start: time
    end: time
    min_present: int
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class DatedWindow:
    rule_id: int
    unit: str
    label: str
    span: Interval
    min_present: int


def expand_rules(
    rules: Iterable[WeeklyRule], sessions: SessionIndex, holidays: frozenset[date] = frozenset()
) -> list[DatedWindow]:
    """Dated windows of each weekly rule on the days that have sessions, where they overlap one."""
    out: list[DatedWindow] = []
    days = sessions.days
    for rule in rules:
        for day in days:
            if day.weekday() not in rule.weekdays or day in holidays:
                continue
            if rule.valid_from is not None and day < rule.valid_from:
                continue
            if rule.valid_until is not None and day > rule.valid_until:
                continue
            end_day = day if rule.end > rule.start else day + ONE_DAY
            span = Interval(at(day, rule.start), at(end_day, rule.end))
            if sessions.overlaps_any(span):
                label = f"{rule.label} {day.isoformat()}".strip()
                out.append(DatedWindow(rule.rule_id, rule.unit, label, span, rule.min_present))
    return out


@dataclass(frozen=True, slots=True)
class DutyRow:
    """One duty-calendar entry: a dated span, repeated weekly until ``repeat_until`` if set."""

    kind: str
    span: Interval
    repeat_until: date | None = None


def occurrences(row: DutyRow, horizon: Interval) -> Iterator[Interval]:
    """Every occurrence of ``row`` that overlaps ``horizon``."""
    span = row.span
    if row.repeat_until is None:
        if span.overlaps(horizon):
            yield span
        return
    if span.end <= horizon.start:
        weeks = (horizon.start - span.end) // ONE_WEEK
        span = Interval(span.start + weeks * ONE_WEEK, span.end + weeks * ONE_WEEK)
    limit = at(row.repeat_until, time.max)
    while span.start < horizon.end and span.start <= limit:
        if span.overlaps(horizon):
            yield span
        span = Interval(span.start + ONE_WEEK, span.end + ONE_WEEK)


@dataclass(frozen=True, slots=True)
class Pattern:
    """The days and hours an employee works; training outside them is not possible."""

    weekdays: frozenset[int]
    start: time
    end: time


def pattern_gaps(pattern: Pattern, day: date) -> list[Interval]:
    """The parts of ``day`` outside the working pattern (the whole day on a day off)."""
    if day.weekday() not in pattern.weekdays:
        return [Interval(at(day, time.min), at(day + ONE_DAY, time.min))]
    gaps = []
    if pattern.start > time.min:
        gaps.append(Interval(at(day, time.min), at(day, pattern.start)))
    if pattern.end < time(23, 59):
        gaps.append(Interval(at(day, pattern.end), at(day + ONE_DAY, time.min)))
    return gaps


def unavailable_spans(
    rows: Iterable[DutyRow], pattern: Pattern | None, sessions: SessionIndex
) -> list[Interval]:
    """An employee's unavailability, clipped to what overlaps some session, merged and sorted."""
    days = sessions.days
    if not days:
        return []
    horizon = Interval(at(days[0], time.min), at(days[-1] + ONE_DAY, time.min))
    spans: list[Interval] = []
    for row in rows:
        spans.extend(s for s in occurrences(row, horizon) if sessions.overlaps_any(s))
    if pattern is not None:
        for day in days:
            spans.extend(s for s in pattern_gaps(pattern, day) if sessions.overlaps_any(s))
    return merge(spans)


def merge(spans: Iterable[Interval]) -> list[Interval]:
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    out: list[Interval] = []
    for span in ordered:
        if out and span.start <= out[-1].end:
            if span.end > out[-1].end:
                out[-1] = Interval(out[-1].start, span.end)
        else:
            out.append(span)
    return out


def overlapping_pairs(spans: list[tuple[str, Interval]]) -> list[tuple[str, str]]:
    """Labels of sessions that overlap each other (bad input for one batch)."""
    ordered = sorted(spans, key=lambda item: item[1].start)
    pairs = []
    for (a_label, a), (b_label, b) in pairwise(ordered):
        if a.overlaps(b):
            pairs.append((a_label, b_label))
    return pairs
