"""First-come planning, the way a spreadsheet admin does it: the baseline the solver must beat.

Employees are taken in input order, each need in its listed order, and given the first batch of
the programme (in input order) that still has a seat and does not clash with the employee's own
unavailability or other training. With ``respect_staffing=False`` the staffing rules are ignored,
as they usually are by hand; ``check_plan`` then counts what that breaks.
"""

from __future__ import annotations

from time import perf_counter

from kompeten.scheduling.planner.explain import explain_unassigned, infeasible_rules
from kompeten.scheduling.planner.index import Index, index_for
from kompeten.scheduling.planner.model import Instance, Plan, Violation
from kompeten.scheduling.planner.state import State, check_state


def place_locked(state: State, *, respect_staffing: bool = True) -> list[Violation]:
    """Add the instance's locked assignments in order; a lock that cannot hold is dropped and named."""
    index = state.index
    dropped = []
    for lock in index.instance.locked:
        e, b = index.emp_pos[lock.nip], index.batch_pos[lock.batch]
        blockers = state.blockers(e, b, respect_staffing=respect_staffing)
        if blockers:
            dropped.append(
                Violation(
                    "lock_dropped",
                    f"Penguncian {lock.nip} di angkatan {lock.batch} tidak dapat dipertahankan: "
                    f"{blockers[0].message}.",
                    lock.nip,
                    lock.batch,
                    blockers[0].rule,
                )
            )
            continue
        state.add(e, b)
    return dropped


def first_come(index: Index, state: State, *, respect_staffing: bool) -> None:
    for e, employee in enumerate(index.instance.employees):
        for need in employee.needs:
            if state.batch_for(e, need.programme) is not None:
                continue
            for b in index.programme_batches.get(need.programme, ()):
                if state.can_add(e, b, respect_staffing=respect_staffing):
                    state.add(e, b)
                    break


def greedy_plan(instance: Instance, respect_staffing: bool) -> Plan:
    """The first-come plan; its ``violations`` list every hard rule it breaks."""
    started = perf_counter()
    index = index_for(instance)
    state = State(index)
    dropped = place_locked(state, respect_staffing=respect_staffing)
    first_come(index, state, respect_staffing=respect_staffing)
    check = check_state(state)
    return Plan(
        assignments=state.assignments(),
        unassigned=explain_unassigned(state),
        objective=state.objective(),
        status="GREEDY",
        stats={
            "method": "greedy first-come"
            + ("" if respect_staffing else " ignoring staffing rules"),
            "seconds": round(perf_counter() - started, 3),
            "broken_rules": len(check.broken_rules),
        },
        violations=(*dropped, *check.violations),
        infeasible_rules=infeasible_rules(index),
    )
