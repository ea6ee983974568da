"""Plain data of the planner: the instance it reads and the plan it returns.

Everything is a frozen dataclass of tuples, so an instance can be shared between threads and
compared in tests. Datetimes are timezone-aware in Asia/Jakarta (the interchange accepts naive
ISO-8601 and reads it as Jakarta local time). Intervals are half-open: ``[start, end)``, so a
session ending at 12:00 does not overlap a window starting at 12:00.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open span of time ``[start, end)``; both ends aware, in Asia/Jakarta."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Batch:
    """One angkatan (cohort) of a programme: its seats and its sessions.

    ``label`` is the name people know it by ("Angkatan II"); the planner's sentences use it
    instead of ``id`` (which may be a database key) when given.
    """

    id: str
    programme: str
    capacity: int
    sessions: tuple[Interval, ...]
    label: str = ""


@dataclass(frozen=True, slots=True)
class Need:
    """A programme an employee needs, with a positive priority (higher matters more)."""

    programme: str
    priority: int


@dataclass(frozen=True, slots=True)
class Preferences:
    """Soft wishes of one employee: batches they would pick, dates they would rather keep free."""

    batches: tuple[str, ...] = ()
    avoid_dates: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class Employee:
    """An ASN: identified by NIP, belonging to one unit (the one whose staffing rules count them)."""

    nip: str
    unit: str
    needs: tuple[Need, ...]
    unavailable: tuple[Interval, ...] = ()
    preferences: Preferences = field(default_factory=Preferences)


@dataclass(frozen=True, slots=True)
class StaffingRule:
    """At least ``min_present`` of the unit's employees are present during the whole window.

    Present means: no unavailability and no session of an assigned batch overlaps the window.
    """

    unit: str
    start: datetime
    end: datetime
    min_present: int
    label: str = ""


@dataclass(frozen=True, slots=True)
class Peak:
    """A busy period to avoid: each assignment with a session overlapping it costs ``penalty``.

    ``unit`` limits the peak to one unit's employees; empty means every unit.
    """

    start: datetime
    end: datetime
    penalty: int
    unit: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True)
class Assignment:
    """Employee ``nip`` attends batch ``batch``."""

    nip: str
    batch: str


@dataclass(frozen=True, slots=True)
class Weights:
    """Integer weights of the soft goals.

    The planner scales the priority term so that all soft penalties together weigh less than one
    priority point: they only choose among plans that meet the same priority sum.
    """

    peak: int = 1
    preference: int = 1
    avoid_date: int = 1
    spread: int = 1


@dataclass(frozen=True)
class Instance:
    """Everything the planner needs; see docs/planner.md for the JSON form."""

    batches: tuple[Batch, ...]
    employees: tuple[Employee, ...]
    staffing: tuple[StaffingRule, ...] = ()
    programmes: tuple[str, ...] | None = None
    peaks: tuple[Peak, ...] = ()
    current: tuple[Assignment, ...] = ()
    locked: tuple[Assignment, ...] = ()
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True, slots=True)
class Blocker:
    """Why one batch is closed to one employee: a reason code and an Indonesian sentence.

    ``params`` holds what the sentence is made of (names, counts, times as ISO strings), so the
    web layer can write it again in the reader's language.
    """

    batch: str
    code: str
    message: str
    rule: int | None = None
    params: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class Unassigned:
    """A need the plan does not meet, with the reason.

    ``reason`` is a code (``no_batch``, ``unavailable``, ``rule_cannot_hold``, ``capacity``,
    ``staffing``, ``clash``, ``not_placed``); ``message`` explains it in Indonesian; ``details``
    lists what closes each candidate batch (at most a few); ``params`` holds what the message is
    made of (``kind`` and the batch names and counts), language-free.
    """

    nip: str
    programme: str
    priority: int
    reason: str
    message: str
    details: tuple[Blocker, ...] = ()
    params: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class Violation:
    """A hard rule the plan breaks, or a request (lock, current assignment) it could not keep."""

    code: str
    message: str
    nip: str = ""
    batch: str = ""
    rule: int | None = None


@dataclass(frozen=True, slots=True)
class InfeasibleRule:
    """A staffing rule that fails through unavailability alone, before any training."""

    rule: int
    unit: str
    start: datetime
    end: datetime
    min_present: int
    members: int
    available: int
    overlaps_training: bool
    message: str
    label: str = ""
    away: int | None = None


@dataclass(frozen=True)
class Plan:
    """The planner's answer.

    ``objective`` is the sum of priorities of the needs met; ``bound`` a proven upper bound of it
    (``None`` when none is known); ``gap`` is ``(bound - objective) / max(bound, 1)``.
    """

    assignments: tuple[Assignment, ...]
    unassigned: tuple[Unassigned, ...] = ()
    objective: int = 0
    bound: int | None = None
    gap: float | None = None
    status: str = "UNKNOWN"
    stats: dict[str, Any] = field(default_factory=dict)
    violations: tuple[Violation, ...] = ()
    infeasible_rules: tuple[InfeasibleRule, ...] = ()
