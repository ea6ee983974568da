"""Property: on any small instance, the solver's plan breaks no hard rule and its bound holds."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompeten.scheduling.planner import check_plan, greedy_plan, load_instance, solve
from tests.scheduling.test_planner import batch, brute_force_violations, employee, rule, span

PROGRAMMES = ["PP", "LD", "SKP"]
PARTS = [(8, 12), (13, 16), (8, 16), (10, 14)]


@st.composite
def instances(draw: st.DrawFn) -> dict[str, Any]:
    days = draw(st.integers(1, 5))
    units = [f"u{k}" for k in range(draw(st.integers(1, 3)))]
    batches = []
    for k in range(draw(st.integers(1, 6))):
        first = draw(st.integers(0, days - 1))
        length = draw(st.integers(1, 2))
        start, end = draw(st.sampled_from(PARTS))
        batches.append(
            batch(
                f"B{k}",
                draw(st.sampled_from(PROGRAMMES)),
                draw(st.integers(0, 4)),
                *[(first + j, start, end) for j in range(length)],
            )
        )
    people = []
    for k in range(draw(st.integers(1, 9))):
        needs = draw(st.dictionaries(st.sampled_from(PROGRAMMES), st.integers(1, 5), max_size=3))
        leave = []
        if draw(st.booleans()):
            d = draw(st.integers(0, days))
            start, end = draw(st.sampled_from([*PARTS, (0, 24)]))
            leave.append(span(d, start, end) if end < 24 else span(d, 0, 0, end_day=d + 1))
        people.append(employee(f"n{k}", draw(st.sampled_from(units)), needs, *leave))
    present_units = sorted({p["unit"] for p in people})
    staffing = []
    for _ in range(draw(st.integers(0, 6))):
        unit = draw(st.sampled_from(present_units))
        size = sum(1 for p in people if p["unit"] == unit)
        start, end = draw(st.sampled_from(PARTS))
        staffing.append(
            rule(unit, draw(st.integers(0, days - 1)), start, end, draw(st.integers(0, size + 1)))
        )
    current = []
    if draw(st.booleans()):
        for p in people:
            for need in p["needs"]:
                options = [b["id"] for b in batches if b["programme"] == need["programme"]]
                if options and draw(st.booleans()):
                    current.append({"nip": p["nip"], "batch": draw(st.sampled_from(options))})
    return {"batches": batches, "employees": people, "staffing": staffing, "current": current}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_plan_the_solver_returns_passes_the_checker(data):
    instance = load_instance(data)
    plan = solve(instance, 5.0)
    check = check_plan(instance, plan)
    assert check.ok, check.violations
    assert brute_force_violations(instance, plan.assignments) == []
    assert plan.bound is not None
    assert plan.objective <= plan.bound
    assert plan.objective == sum(
        n.priority
        for e in instance.employees
        for n in e.needs
        for a in plan.assignments
        if a.nip == e.nip
        and next(b for b in instance.batches if b.id == a.batch).programme == n.programme
    )
    met = {
        (a.nip, next(b for b in instance.batches if b.id == a.batch).programme)
        for a in plan.assignments
    }
    unmet = {(u.nip, u.programme) for u in plan.unassigned}
    every = {(e.nip, n.programme) for e in instance.employees for n in e.needs}
    assert met | unmet == every
    assert not met & unmet
    if not instance.current:
        # without a current plan to keep, the optimum is at least the careful first-come plan
        assert plan.objective >= greedy_plan(instance, respect_staffing=True).objective
    assert check_plan(instance, greedy_plan(instance, respect_staffing=True)).ok
