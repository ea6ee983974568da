"""The compiled instance: integer times, overlaps and candidates, computed once.

Times become integer seconds since the epoch. Every overlap question the planner asks is answered
here by sorting and bisecting, never by comparing all pairs: which sessions overlap each staffing
window, which of a unit's employees are already away (unavailable) during each window, which
batches each employee can attend at all, and which batches overlap each other.

A staffing window is *holdable* when enough of the unit's employees are available without any
training (``available >= min_present``); its *slack* is how many more of them may be away for
training. A window that is not holdable cannot be fixed by the planner: it is reported, and the
unit's available employees may not train during it (so the plan never makes it worse).
"""

from __future__ import annotations

import heapq
import weakref
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from kompeten.scheduling.planner.model import Batch, Employee, Instance
from kompeten.standards.local_time import JAKARTA
from kompeten.standards.nip import format_tanggal


def to_seconds(value: datetime) -> int:
    return int(value.timestamp())


def local(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, JAKARTA)


def fmt_moment(seconds: int) -> str:
    """``2 Maret 2026 08.00`` (Indonesian style)."""
    moment = local(seconds)
    return f"{format_tanggal(moment.date())} {moment:%H.%M}"


def fmt_span(start: int, end: int) -> str:
    """``2 Maret 2026 08.00–12.00``, or both ends in full when the span crosses a day."""
    first, last = local(start), local(end)
    if first.date() == last.date():
        return f"{fmt_moment(start)}–{last:%H.%M}"
    return f"{fmt_moment(start)} s.d. {fmt_moment(end)}"


def iso(seconds: int) -> str:
    """The local moment as an ISO string (what stored reasons carry instead of formatted dates)."""
    return local(seconds).isoformat()


def local_days(start: int, end: int) -> set[int]:
    """Ordinals of the local dates a span ``[start, end)`` touches."""
    first = local(start).date()
    last = local(end - 1).date()
    return {first.toordinal() + k for k in range((last - first).days + 1)}


@dataclass
class Window:
    """One staffing rule, compiled."""

    rule: int
    unit: int
    start: int
    end: int
    min_present: int
    members: int
    unavailable: set[int] = field(default_factory=set)
    batches: tuple[int, ...] = ()
    # set by finish(), once ``unavailable`` is complete
    available: int = 0
    slack: int = 0
    holdable: bool = True

    def finish(self) -> None:
        self.available = self.members - len(self.unavailable)
        self.slack = self.available - self.min_present
        self.holdable = self.slack >= 0


def _overlapping(starts: list[int], ends: list[int], longest: int, lo: int, hi: int) -> list[int]:
    """Positions k (in a list sorted by start) of spans overlapping ``[lo, hi)``."""
    first = bisect_left(starts, lo - longest + 1)
    last = bisect_left(starts, hi)
    return [k for k in range(first, last) if ends[k] > lo]


class Index:
    """Everything derived from an :class:`Instance` that the planner and its checks need."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self._index_batches(instance.batches)
        self._index_sessions(len(instance.batches))
        self._index_employees(instance.employees)
        self._index_windows(instance)
        self._index_peaks(instance)
        self._index_preferences(instance.employees)
        self._index_candidates(len(instance.employees))

    def _index_batches(self, batches: Sequence[Batch]) -> None:
        """Positions, names, programmes, seats, sessions (in seconds) and days of the batches."""
        self.batch_ids = [x.id for x in batches]
        # for sentences people read: "angkatan PP-01", or the label itself ("Angkatan II")
        self.batch_names = [x.label or x.id for x in batches]
        self.batch_refs = [
            x.label if x.label.lower().startswith("angkatan") else f"angkatan {x.label or x.id}"
            for x in batches
        ]
        self.batch_pos = {x.id: k for k, x in enumerate(batches)}
        self.batch_programme = [x.programme for x in batches]
        self.batch_capacity = [x.capacity for x in batches]
        self.batch_sessions = [
            sorted((to_seconds(s.start), to_seconds(s.end)) for s in x.sessions) for x in batches
        ]
        self.batch_days: list[set[int]] = []
        for sessions in self.batch_sessions:
            days: set[int] = set()
            for start, end in sessions:
                days |= local_days(start, end)
            self.batch_days.append(days)
        self.batch_first = [s[0][0] for s in self.batch_sessions]
        self.programme_batches: dict[str, list[int]] = defaultdict(list)
        for k, programme in enumerate(self.batch_programme):
            self.programme_batches[programme].append(k)

    def _index_sessions(self, n_batches: int) -> None:
        """All sessions sorted by start, the batches that overlap, and the cliques of batches
        running at one moment (a sweep over the sessions with a heap of open ones)."""
        flat = sorted(
            (start, end, k)
            for k, sessions in enumerate(self.batch_sessions)
            for start, end in sessions
        )
        self._s_start = [s for s, _, _ in flat]
        self._s_end = [e for _, e, _ in flat]
        self._s_batch = [k for _, _, k in flat]
        self._s_longest = max((e - s for s, e, _ in flat), default=0)

        # batches overlapping each other, and cliques of batches running at one moment
        self.batch_overlaps: list[set[int]] = [set() for _ in range(n_batches)]
        active: list[tuple[int, int]] = []  # heap of (end, batch)
        cliques: set[frozenset[int]] = set()
        for start, end, k in flat:
            while active and active[0][0] <= start:
                heapq.heappop(active)
            for _, other in active:
                if other != k:
                    self.batch_overlaps[k].add(other)
                    self.batch_overlaps[other].add(k)
            heapq.heappush(active, (end, k))
            running = frozenset(b for _, b in active)
            if len(running) > 1:
                cliques.add(running)
        self.cliques = list(cliques)

    def _index_employees(self, employees: Sequence[Employee]) -> None:
        """Positions, planner units and their members, unavailability and needs."""
        self.nips = [person.nip for person in employees]
        self.emp_pos = {nip: k for k, nip in enumerate(self.nips)}
        self.unit_names: list[str] = []
        self.unit_pos: dict[str, int] = {}
        for person in employees:
            if person.unit not in self.unit_pos:
                self.unit_pos[person.unit] = len(self.unit_names)
                self.unit_names.append(person.unit)
        self.emp_unit = [self.unit_pos[person.unit] for person in employees]
        self.unit_members: list[list[int]] = [[] for _ in self.unit_names]
        for k, u in enumerate(self.emp_unit):
            self.unit_members[u].append(k)
        self.emp_unavailable = [
            sorted((to_seconds(u.start), to_seconds(u.end)) for u in e.unavailable)
            for e in employees
        ]
        self.emp_needs = [{n.programme: n.priority for n in e.needs} for e in employees]

    def _index_windows(self, instance: Instance) -> None:
        """The staffing windows with the batches they overlap and the unit members already
        away during each; per (unit, batch) the windows, and those that cannot hold."""
        self.windows: list[Window] = []
        for k, rule in enumerate(instance.staffing):
            u = self.unit_pos[rule.unit]
            start, end = to_seconds(rule.start), to_seconds(rule.end)
            window = Window(k, u, start, end, rule.min_present, len(self.unit_members[u]))
            positions = _overlapping(self._s_start, self._s_end, self._s_longest, start, end)
            window.batches = tuple(sorted({self._s_batch[p] for p in positions}))
            self.windows.append(window)
        by_unit: dict[int, list[Window]] = defaultdict(list)
        for window in self.windows:
            by_unit[window.unit].append(window)
        for u, unit_windows in by_unit.items():
            unit_windows.sort(key=lambda w: w.start)
            starts = [w.start for w in unit_windows]
            ends = [w.end for w in unit_windows]
            longest = max(w.end - w.start for w in unit_windows)
            for e in self.unit_members[u]:
                for lo, hi in self.emp_unavailable[e]:
                    for p in _overlapping(starts, ends, longest, lo, hi):
                        unit_windows[p].unavailable.add(e)
        for window in self.windows:
            window.finish()
        # windows of unit u overlapping batch b (all of them, and those that cannot hold)
        self.unit_batch_windows: dict[tuple[int, int], list[Window]] = defaultdict(list)
        self.unit_batch_closed: dict[tuple[int, int], list[Window]] = defaultdict(list)
        for window in self.windows:
            for b in window.batches:
                self.unit_batch_windows[(window.unit, b)].append(window)
                if not window.holdable:
                    self.unit_batch_closed[(window.unit, b)].append(window)

    def _index_peaks(self, instance: Instance) -> None:
        """Per batch, the peak penalty for everyone and the extra per unit (weights applied)."""
        batches = instance.batches
        # peaks: per batch, the penalty for everyone and the extra per unit (weights applied)
        weights = instance.weights
        self.batch_peak_all = [0] * len(batches)
        self.batch_peak_unit: list[dict[int, int]] = [{} for _ in batches]
        for peak in instance.peaks:
            if peak.penalty == 0 or weights.peak == 0:
                continue
            positions = _overlapping(
                self._s_start,
                self._s_end,
                self._s_longest,
                to_seconds(peak.start),
                to_seconds(peak.end),
            )
            for b in {self._s_batch[p] for p in positions}:
                if peak.unit:
                    unit = self.unit_pos[peak.unit]
                    self.batch_peak_unit[b][unit] = (
                        self.batch_peak_unit[b].get(unit, 0) + weights.peak * peak.penalty
                    )
                else:
                    self.batch_peak_all[b] += weights.peak * peak.penalty

    def _index_preferences(self, employees: Sequence[Employee]) -> None:
        """Preferred batches (and so programmes) and avoided days of each employee."""
        self.emp_preferred: list[set[int]] = []
        self.emp_preferred_programmes: list[set[str]] = []
        self.emp_avoid: list[set[int]] = []
        for person in employees:
            preferred = {self.batch_pos[x] for x in person.preferences.batches}
            self.emp_preferred.append(preferred)
            self.emp_preferred_programmes.append({self.batch_programme[b] for b in preferred})
            self.emp_avoid.append({d.toordinal() for d in person.preferences.avoid_dates})

    def _index_candidates(self, n_employees: int) -> None:
        # candidates: batches each employee could attend, ignoring everyone else
        self.candidates: list[dict[str, list[int]]] = []
        for e in range(n_employees):
            per_programme: dict[str, list[int]] = {}
            for programme in self.emp_needs[e]:
                per_programme[programme] = [
                    b
                    for b in self.programme_batches.get(programme, ())
                    if self.personally_open(e, b)
                ]
            self.candidates.append(per_programme)
        self.candidate_sets = [{b for bs in per.values() for b in bs} for per in self.candidates]

    # -- questions about one employee and one batch -----------------------------------------

    def unavailability_clash(self, e: int, b: int) -> tuple[int, int] | None:
        """The first unavailability of employee ``e`` overlapping a session of ``b``, if any."""
        for lo, hi in self.emp_unavailable[e]:
            for start, end in self.batch_sessions[b]:
                if start < hi and lo < end:
                    return (lo, hi)
        return None

    def closed_windows(self, e: int, b: int) -> list[Window]:
        """Windows that cannot hold, of e's unit, overlapping b, during which e is available."""
        closed = self.unit_batch_closed.get((self.emp_unit[e], b))
        return [w for w in closed if e not in w.unavailable] if closed else []

    def personally_open(self, e: int, b: int) -> bool:
        if self.emp_unavailable[e] and self.unavailability_clash(e, b) is not None:
            return False
        return not self.closed_windows(e, b)

    def soft_cost(self, e: int, b: int) -> int:
        """Peak, preference and avoided-date penalty of assigning e to b (weights applied)."""
        cost = self.batch_peak_all[b]
        if self.batch_peak_unit[b]:
            cost += self.batch_peak_unit[b].get(self.emp_unit[e], 0)
        if self.emp_preferred[e] and (
            b not in self.emp_preferred[e]
            and self.batch_programme[b] in self.emp_preferred_programmes[e]
        ):
            cost += self.instance.weights.preference
        if self.emp_avoid[e] and not self.emp_avoid[e].isdisjoint(self.batch_days[b]):
            cost += self.instance.weights.avoid_date
        return cost

    def batch_span(self, b: int) -> str:
        sessions = self.batch_sessions[b]
        return (
            fmt_span(sessions[0][0], sessions[-1][1])
            if len(sessions) == 1
            else (f"{fmt_moment(sessions[0][0])} s.d. {fmt_moment(sessions[-1][1])}")
        )

    def window_params(self, w: Window) -> dict[str, str | int]:
        """What :meth:`window_name` is made of, language-free, and the window's head counts."""
        return {
            "rule_label": self.instance.staffing[w.rule].label,
            "unit": self.unit_names[w.unit],
            "start": iso(w.start),
            "end": iso(w.end),
            "available": w.available,
            "min_present": w.min_present,
        }

    def window_name(self, w: Window) -> str:
        rule = self.instance.staffing[w.rule]
        name = f"unit {self.unit_names[w.unit]} {fmt_span(w.start, w.end)}"
        return f"{rule.label} ({name})" if rule.label else name


_CACHE: dict[int, tuple[weakref.ref[Instance], Index]] = {}


def index_for(instance: Instance) -> Index:
    """The index of an instance, built once per instance object and kept while it lives."""
    key = id(instance)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is instance:
        return hit[1]
    index = Index(instance)

    def forget(
        ref: weakref.ref[Instance], cache: dict[int, tuple[weakref.ref[Instance], Index]] = _CACHE
    ) -> None:
        entry = cache.get(key)
        if entry is not None and entry[0] is ref:
            del cache[key]

    _CACHE[key] = (weakref.ref(instance, forget), index)
    return index
