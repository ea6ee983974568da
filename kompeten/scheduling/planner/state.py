"""A plan being built or inspected: loads, who trains during each window, and what blocks a move.

The same bookkeeping serves the greedy baseline, the repair and fill steps around the solver,
the explanation of unmet needs, the self-service ``alternatives`` and ``check_plan``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kompeten.scheduling.planner.index import Index, fmt_span, index_for, iso
from kompeten.scheduling.planner.model import Assignment, Blocker, Instance, Plan, Violation


class State:
    """Mutable assignment of employees to batches over an :class:`Index` (no checks on ``add``)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.assigned: list[list[int]] = [[] for _ in index.nips]
        self.load = [0] * len(index.batch_ids)
        self.occupants: list[set[int]] = [set() for _ in index.batch_ids]
        # window position -> {employee: number of their batches overlapping the window}
        # (a window's position is its rule number: one window per staffing rule)
        self.trainees: list[dict[int, int]] = [{} for _ in index.windows]

    def _windows(self, e: int, b: int) -> Iterable[int]:
        for w in self.index.unit_batch_windows.get((self.index.emp_unit[e], b), ()):
            if e not in w.unavailable:
                yield w.rule

    def add(self, e: int, b: int) -> None:
        self.assigned[e].append(b)
        self.load[b] += 1
        self.occupants[b].add(e)
        for k in self._windows(e, b):
            self.trainees[k][e] = self.trainees[k].get(e, 0) + 1

    def remove(self, e: int, b: int) -> None:
        self.assigned[e].remove(b)
        self.load[b] -= 1
        self.occupants[b].discard(e)
        for k in self._windows(e, b):
            count = self.trainees[k][e] - 1
            if count:
                self.trainees[k][e] = count
            else:
                del self.trainees[k][e]

    def batch_for(self, e: int, programme: str) -> int | None:
        for b in self.assigned[e]:
            if self.index.batch_programme[b] == programme:
                return b
        return None

    def assignments(self) -> tuple[Assignment, ...]:
        index = self.index
        return tuple(
            Assignment(index.nips[e], index.batch_ids[b])
            for e in range(len(index.nips))
            for b in sorted(self.assigned[e], key=lambda b: (index.batch_first[b], b))
        )

    def objective(self) -> int:
        index = self.index
        return sum(
            index.emp_needs[e].get(index.batch_programme[b], 0)
            for e, bs in enumerate(self.assigned)
            for b in bs
        )

    # -- what closes batch b to employee e ---------------------------------------------------

    def can_add(self, e: int, b: int, *, respect_staffing: bool = True) -> bool:
        """Whether e, not yet placed for b's programme, can join b without breaking a hard rule."""
        index = self.index
        programme = index.batch_programme[b]
        if programme not in index.emp_needs[e] or self.batch_for(e, programme) is not None:
            return False
        if self.load[b] >= index.batch_capacity[b]:
            return False
        if respect_staffing:
            if b not in index.candidate_sets[e]:
                return False
        elif index.emp_unavailable[e] and index.unavailability_clash(e, b) is not None:
            return False
        overlaps = index.batch_overlaps[b]
        if any(other in overlaps for other in self.assigned[e]):
            return False
        if not respect_staffing:
            return True
        for w in index.unit_batch_windows.get((index.emp_unit[e], b), ()):
            if e in w.unavailable:
                continue
            trainees = self.trainees[w.rule]
            if e not in trainees and len(trainees) >= w.slack:
                return False
        return True

    def personal_reasons(self, e: int, b: int) -> list[tuple[str, int]]:
        """Reasons that hold whatever the others do: ``("unavailable", -1)`` and
        ``("rule_cannot_hold", rule)``."""
        out: list[tuple[str, int]] = []
        if self.index.emp_unavailable[e] and self.index.unavailability_clash(e, b) is not None:
            out.append(("unavailable", -1))
        out.extend(("rule_cannot_hold", w.rule) for w in self.index.closed_windows(e, b))
        return out

    def reasons(
        self, e: int, b: int, *, respect_staffing: bool = True, first_only: bool = False
    ) -> list[tuple[str, int]]:
        """Codes of everything that stops adding e to b now, each with the rule or batch it names.

        e's own batch of the same programme is ignored (it is the one being replaced).
        """
        index = self.index
        programme = index.batch_programme[b]
        if programme not in index.emp_needs[e]:
            return [("not_needed", -1)]
        out = self.personal_reasons(e, b)
        if not respect_staffing:
            out = [x for x in out if x[0] != "rule_cannot_hold"]
        if first_only and out:
            return out
        current = self.batch_for(e, programme)
        if current != b and self.load[b] >= index.batch_capacity[b]:
            out.append(("capacity", -1))
            if first_only:
                return out
        for other in self.assigned[e]:
            if other != current and other in index.batch_overlaps[b]:
                out.append(("clash", other))
                if first_only:
                    return out
        if not respect_staffing:
            return out
        out.extend(self._staffing_reasons(e, b, current, first_only=first_only))
        return out

    def _staffing_reasons(
        self, e: int, b: int, current: int | None, *, first_only: bool
    ) -> list[tuple[str, int]]:
        """``("staffing", rule)`` for each staffing rule at its limit during b that e would
        break by joining b (the first one only with ``first_only``). A window e is already away
        from, for a batch other than ``current``, does not count: joining b takes no one more."""
        index = self.index
        unit = index.emp_unit[e]
        away_elsewhere = {
            w.rule
            for other in self.assigned[e]
            if other != current
            for w in index.unit_batch_windows.get((unit, other), ())
        }
        out: list[tuple[str, int]] = []
        for w in index.unit_batch_windows.get((unit, b), ()):
            if not w.holdable or e in w.unavailable or w.rule in away_elsewhere:
                continue
            trainees = self.trainees[w.rule]
            if len(trainees) - (1 if e in trainees else 0) >= w.slack:
                out.append(("staffing", w.rule))
                if first_only:
                    return out
        return out

    def describe(self, e: int, b: int, code: str, ref: int) -> Blocker:
        """The Indonesian sentence for one reason, with what it is made of in ``params``."""
        index = self.index
        batch, name, phrase = index.batch_ids[b], index.batch_names[b], index.batch_refs[b]
        sessions = index.batch_sessions[b]
        about = {
            "batch": name,
            "batch_start": iso(sessions[0][0]),
            "batch_end": iso(sessions[-1][1]),
        }
        if code == "unavailable":
            clash = index.unavailability_clash(e, b)
            when = fmt_span(*clash) if clash else ""
            if clash:
                about |= {"start": iso(clash[0]), "end": iso(clash[1])}
            return Blocker(
                batch,
                code,
                f"{phrase} ({index.batch_span(b)}) bentrok dengan jadwal tidak tersedia {when}",
                params=about,
            )
        if code == "rule_cannot_hold":
            w = index.windows[ref]
            return Blocker(
                batch,
                code,
                f"{phrase} jatuh pada aturan kehadiran {index.window_name(w)} yang sudah tidak "
                f"terpenuhi tanpa pelatihan ({w.available} tersedia, minimal {w.min_present})",
                ref,
                about | index.window_params(w),
            )
        if code == "capacity":
            return Blocker(
                batch,
                code,
                f"kapasitas angkatan penuh ({name}: {index.batch_capacity[b]} kursi)",
                params=about | {"capacity": index.batch_capacity[b]},
            )
        if code == "clash":
            return Blocker(
                batch,
                code,
                f"{phrase} bentrok dengan {index.batch_refs[ref]} (program "
                f"{index.batch_programme[ref]}) yang sudah dijadwalkan",
                params=about
                | {"other": index.batch_names[ref], "other_programme": index.batch_programme[ref]},
            )
        if code == "staffing":
            w = index.windows[ref]
            return Blocker(
                batch,
                code,
                f"aturan kehadiran minimal {index.window_name(w)} sudah pada batas "
                f"(minimal {w.min_present} hadir dari {w.available} yang tersedia)",
                ref,
                about | index.window_params(w),
            )
        return Blocker(
            batch,
            code,
            f"pegawai tidak membutuhkan program {index.batch_programme[b]}",
            params=about | {"programme": index.batch_programme[b]},
        )

    def personal_blockers(self, e: int, b: int) -> list[Blocker]:
        return [self.describe(e, b, code, ref) for code, ref in self.personal_reasons(e, b)]

    def blockers(
        self, e: int, b: int, *, respect_staffing: bool = True, first_only: bool = False
    ) -> list[Blocker]:
        """Everything that stops adding e to b now, described (see :meth:`reasons`)."""
        return [
            self.describe(e, b, code, ref)
            for code, ref in self.reasons(
                e, b, respect_staffing=respect_staffing, first_only=first_only
            )
        ]


def state_from_assignments(
    index: Index, assignments: Iterable[Assignment]
) -> tuple[State, list[Violation]]:
    """Build a state; assignments naming an unknown employee or batch become violations."""
    state = State(index)
    problems = []
    for a in assignments:
        e = index.emp_pos.get(a.nip)
        b = index.batch_pos.get(a.batch)
        if e is None or b is None:
            problems.append(
                Violation(
                    "unknown_reference",
                    f"NIP {a.nip} atau angkatan {a.batch} tidak dikenal",
                    a.nip,
                    a.batch,
                )
            )
            continue
        state.add(e, b)
    return state, problems


@dataclass(frozen=True)
class PlanCheck:
    """What a plan breaks. ``ok`` when nothing; every solver plan must be ``ok``.

    A staffing rule counts as broken by the plan when fewer than ``min_present`` are present and
    at least one of the unit's available employees trains during the window; rules that fail
    through unavailability alone are listed in ``unavoidable_rules`` and are not the plan's fault.
    """

    broken_rules: tuple[int, ...]
    capacity_overflows: tuple[str, ...]
    clashes: tuple[tuple[str, str, str], ...]
    unavailability_clashes: tuple[tuple[str, str], ...]
    invalid: tuple[Violation, ...]
    unavoidable_rules: tuple[int, ...]
    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def count(self) -> int:
        return len(self.violations)


def _invalid_assignments(state: State) -> list[Violation]:
    """Assignments to a programme the employee does not need, or to a programme twice."""
    index = state.index
    invalid: list[Violation] = []
    for e, batches in enumerate(state.assigned):
        nip = index.nips[e]
        seen: set[str] = set()
        for b in batches:
            programme = index.batch_programme[b]
            if programme not in index.emp_needs[e]:
                invalid.append(
                    Violation(
                        "not_needed",
                        f"{nip} tidak membutuhkan program {programme}",
                        nip,
                        index.batch_ids[b],
                    )
                )
            if programme in seen:
                invalid.append(
                    Violation(
                        "duplicate_programme",
                        f"{nip} dijadwalkan dua kali untuk program {programme}",
                        nip,
                    )
                )
            seen.add(programme)
    return invalid


def _capacity_overflows(state: State, violations: list[Violation]) -> list[str]:
    """The batches over their seats (ids); a violation each."""
    index = state.index
    overflows = []
    for b, load in enumerate(state.load):
        if load > index.batch_capacity[b]:
            overflows.append(index.batch_ids[b])
            violations.append(
                Violation(
                    "capacity",
                    f"{index.batch_refs[b]} berisi {load} peserta, kapasitas {index.batch_capacity[b]}",
                    batch=index.batch_ids[b],
                )
            )
    return overflows


def _personal_clashes(
    state: State, violations: list[Violation]
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """Per employee, batches that overlap each other and batches during their unavailability;
    a violation each, in the employee's order."""
    index = state.index
    clashes = []
    unavailable = []
    for e, batches in enumerate(state.assigned):
        nip = index.nips[e]
        for j, b in enumerate(batches):
            if index.unavailability_clash(e, b) is not None:
                unavailable.append((nip, index.batch_ids[b]))
                violations.append(
                    Violation(
                        "unavailable",
                        f"{nip} dijadwalkan di {index.batch_refs[b]} saat tidak tersedia",
                        nip,
                        index.batch_ids[b],
                    )
                )
            for other in batches[j + 1 :]:
                if other in index.batch_overlaps[b]:
                    clashes.append((nip, index.batch_ids[b], index.batch_ids[other]))
                    violations.append(
                        Violation(
                            "clash",
                            f"{nip} dijadwalkan di dua angkatan yang bentrok: {index.batch_names[b]} dan "
                            f"{index.batch_names[other]}",
                            nip,
                            index.batch_ids[b],
                        )
                    )
    return clashes, unavailable


def _staffing_breaks(state: State, violations: list[Violation]) -> tuple[list[int], list[int]]:
    """The rules broken by the plan (a violation each) and those no plan can hold."""
    index = state.index
    broken = []
    unavoidable = []
    for k, w in enumerate(index.windows):
        training = len(state.trainees[k])
        if not w.holdable:
            unavoidable.append(w.rule)
        if training and w.available - training < w.min_present:
            broken.append(w.rule)
            violations.append(
                Violation(
                    "staffing",
                    f"aturan kehadiran {index.window_name(w)} dilanggar: hadir {w.available - training}, "
                    f"minimal {w.min_present} ({training} orang sedang pelatihan)",
                    rule=w.rule,
                )
            )
    return broken, unavoidable


def check_state(state: State) -> PlanCheck:
    """Everything a state breaks, as violations in a fixed order (invalid rows, seats, each
    employee's clashes, staffing) and as lists per kind."""
    invalid = _invalid_assignments(state)
    violations: list[Violation] = list(invalid)
    overflows = _capacity_overflows(state, violations)
    clashes, unavailable = _personal_clashes(state, violations)
    broken, unavoidable = _staffing_breaks(state, violations)
    return PlanCheck(
        broken_rules=tuple(broken),
        capacity_overflows=tuple(overflows),
        clashes=tuple(clashes),
        unavailability_clashes=tuple(unavailable),
        invalid=tuple(invalid),
        unavoidable_rules=tuple(unavoidable),
        violations=tuple(violations),
    )


def check_plan(instance: Instance, plan: Plan | Iterable[Assignment]) -> PlanCheck:
    """Count what a plan breaks: staffing rules, capacities, clashes, unavailability, bad rows."""
    index = index_for(instance)
    assignments = plan.assignments if isinstance(plan, Plan) else plan
    state, problems = state_from_assignments(index, assignments)
    result = check_state(state)
    if not problems:
        return result
    return PlanCheck(
        broken_rules=result.broken_rules,
        capacity_overflows=result.capacity_overflows,
        clashes=result.clashes,
        unavailability_clashes=result.unavailability_clashes,
        invalid=(*problems, *result.invalid),
        unavoidable_rules=result.unavoidable_rules,
        violations=(*problems, *result.violations),
    )


def alternatives(
    instance: Instance, plan: Plan | Iterable[Assignment], nip: str, programme: str
) -> list[str]:
    """Batches of ``programme`` that ``nip`` could switch to (or join) without breaking a hard rule.

    Everyone else keeps their assignments; the employee's own batch of that programme is left
    for the new one, so it is itself listed (staying is always allowed when the plan is valid).
    The list is in chronological order, for the self-service pick.
    """
    index = index_for(instance)
    e = index.emp_pos.get(nip)
    if e is None or programme not in index.emp_needs[e]:
        return []
    assignments = plan.assignments if isinstance(plan, Plan) else plan
    state, _ = state_from_assignments(index, assignments)
    current = state.batch_for(e, programme)
    if current is not None:
        state.remove(e, current)
    open_batches = [
        b
        for b in index.programme_batches.get(programme, ())
        if not state.reasons(e, b, first_only=True)
    ]
    return [
        index.batch_ids[b] for b in sorted(open_batches, key=lambda b: (index.batch_first[b], b))
    ]
