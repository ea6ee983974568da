"""The training planner: hard rules, explanations, re-planning, self-service alternatives.

Instances are written in the JSON interchange (docs/planner.md) with small helpers: day 0 is
Monday 2 March 2026, hours are Asia/Jakarta local time. Persons: ani, budi, citra, dedi, eka
work at the counter unit "loket"; fajar works elsewhere ("arsip").
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from kompeten.scheduling.plan_cli import solve_file
from kompeten.scheduling.planner import (
    Assignment,
    Plan,
    alternatives,
    check_plan,
    greedy_plan,
    instance_to_json,
    load_instance,
    plan_from_json,
    plan_to_json,
    solve,
)
from kompeten.scheduling.planner.model import Instance

MONDAY = date(2026, 3, 2)
TIME_LIMIT = 5.0


def at(day: int, hour: float) -> str:
    moment = datetime.combine(MONDAY + timedelta(days=day), datetime.min.time()) + timedelta(
        hours=hour
    )
    return moment.isoformat(timespec="minutes")


def span(day: int, start: float, end: float, end_day: int | None = None) -> dict[str, str]:
    return {"start": at(day, start), "end": at(day if end_day is None else end_day, end)}


def batch(
    batch_id: str, programme: str, capacity: int, *sessions: tuple[int, float, float]
) -> dict[str, Any]:
    return {
        "id": batch_id,
        "programme": programme,
        "capacity": capacity,
        "sessions": [span(d, s, e) for d, s, e in sessions],
    }


def employee(
    nip: str, unit: str, needs: dict[str, int], *unavailable: dict[str, str], **extra: Any
) -> dict[str, Any]:
    return {
        "nip": nip,
        "unit": unit,
        "needs": [{"programme": p, "priority": k} for p, k in needs.items()],
        "unavailable": list(unavailable),
        **extra,
    }


def rule(
    unit: str, day: int, start: float, end: float, min_present: int, label: str = ""
) -> dict[str, Any]:
    out: dict[str, Any] = {"unit": unit, **span(day, start, end), "min_present": min_present}
    if label:
        out["label"] = label
    return out


def plan_for(data: dict[str, Any], **kwargs: Any) -> tuple[Instance, Plan]:
    instance = load_instance(data)
    plan = solve(instance, kwargs.pop("time_limit", TIME_LIMIT), **kwargs)
    check = check_plan(instance, plan)
    assert check.ok, check.violations
    assert brute_force_violations(instance, plan.assignments) == []
    assert plan.objective <= (plan.bound or 0)
    return instance, plan


def batches_of(plan: Plan, nip: str) -> set[str]:
    return {a.batch for a in plan.assignments if a.nip == nip}


def reason_of(plan: Plan, nip: str, programme: str) -> str:
    for u in plan.unassigned:
        if u.nip == nip and u.programme == programme:
            return u.reason
    raise AssertionError(f"{nip} {programme} is assigned")


def brute_force_violations(
    instance: Instance, assignments: tuple[Assignment, ...] | list[Assignment]
) -> list[str]:
    """An independent, quadratic reading of the hard rules, straight from the dataclasses."""
    batches = {b.id: b for b in instance.batches}
    people = {e.nip: e for e in instance.employees}
    mine: dict[str, list[str]] = {}
    for a in assignments:
        mine.setdefault(a.nip, []).append(a.batch)
    out = []
    for batch_id, b in batches.items():
        load = sum(1 for a in assignments if a.batch == batch_id)
        if load > b.capacity:
            out.append(f"capacity {batch_id}")
    for nip, taken in mine.items():
        person = people[nip]
        needed = {n.programme for n in person.needs}
        programmes = [batches[x].programme for x in taken]
        if len(set(programmes)) < len(programmes) or not set(programmes) <= needed:
            out.append(f"needs {nip}")
        for i, first in enumerate(taken):
            sessions = batches[first].sessions
            if any(s.overlaps(u) for s in sessions for u in person.unavailable):
                out.append(f"unavailable {nip} {first}")
            for second in taken[i + 1 :]:
                if any(s.overlaps(t) for s in sessions for t in batches[second].sessions):
                    out.append(f"clash {nip} {first} {second}")
    for k, r in enumerate(instance.staffing):
        from kompeten.scheduling.planner.model import Interval

        window = Interval(r.start, r.end)
        members = [e for e in instance.employees if e.unit == r.unit]
        away = [e for e in members if any(u.overlaps(window) for u in e.unavailable)]
        training = [
            e
            for e in members
            if e not in away
            and any(s.overlaps(window) for x in mine.get(e.nip, []) for s in batches[x].sessions)
        ]
        if training and len(members) - len(away) - len(training) < r.min_present:
            out.append(f"staffing {k}")
    return out


# --- the hard rules ----------------------------------------------------------------------------


def test_it_gives_scarce_seats_to_the_highest_priority():
    data = {
        "batches": [batch("PP-1", "PP", 1, (0, 8, 12))],
        "employees": [employee("ani", "loket", {"PP": 1}), employee("budi", "loket", {"PP": 5})],
    }
    _, plan = plan_for(data)
    assert batches_of(plan, "budi") == {"PP-1"}
    assert plan.objective == 5
    assert plan.bound == 5
    assert plan.status == "OPTIMAL"
    assert plan.gap == 0
    assert reason_of(plan, "ani", "PP") == "capacity"
    assert "Kapasitas angkatan penuh" in plan.unassigned[0].message


def test_it_never_assigns_anyone_during_their_unavailability():
    leave = span(0, 0, 0, end_day=1)  # all of Monday
    data = {
        "batches": [batch("PP-1", "PP", 5, (0, 8, 12)), batch("PP-2", "PP", 5, (2, 8, 12))],
        "employees": [
            employee("ani", "loket", {"PP": 3}, leave),
            employee("budi", "loket", {"PP": 3}, span(0, 0, 0, end_day=5)),
        ],
    }
    _, plan = plan_for(data)
    assert batches_of(plan, "ani") == {"PP-2"}
    assert batches_of(plan, "budi") == set()
    unmet = plan.unassigned[0]
    assert unmet.reason == "unavailable"
    assert "bentrok dengan jadwal tidak tersedia" in unmet.message
    assert "2 Maret 2026" in unmet.message


def test_it_never_puts_one_employee_in_two_overlapping_batches():
    data = {
        "batches": [batch("PP-1", "PP", 5, (0, 8, 12)), batch("LD-1", "LD", 5, (0, 10, 14))],
        "employees": [employee("ani", "loket", {"PP": 3, "LD": 2})],
    }
    _, plan = plan_for(data)
    assert batches_of(plan, "ani") == {"PP-1"}
    assert reason_of(plan, "ani", "LD") == "clash"


def test_it_keeps_every_staffing_rule_for_the_whole_window():
    # the session 11:00-13:00 overlaps the morning window by one hour: that is enough to count
    data = {
        "batches": [batch("PP-1", "PP", 5, (0, 11, 13))],
        "employees": [employee(n, "loket", {"PP": 3}) for n in ("ani", "budi", "citra")],
        "staffing": [rule("loket", 0, 8, 12, 2, label="Loket pagi")],
    }
    _, plan = plan_for(data)
    assert len(plan.assignments) == 1
    assert plan.status == "OPTIMAL"
    blocked = [u for u in plan.unassigned if u.reason == "staffing"]
    assert len(blocked) == 2
    assert "Loket pagi" in blocked[0].message
    assert blocked[0].details[0].rule == 0


def test_a_session_ending_when_the_window_starts_does_not_count():
    data = {
        "batches": [batch("PP-1", "PP", 5, (0, 12, 13))],
        "employees": [employee(n, "loket", {"PP": 3}) for n in ("ani", "budi", "citra")],
        "staffing": [rule("loket", 0, 8, 12, 3)],
    }
    _, plan = plan_for(data)
    assert len(plan.assignments) == 3


def test_it_counts_an_employee_once_when_two_of_their_batches_fall_in_one_window():
    # ani's morning and afternoon batches both fall in the full-day window: she is away once
    data = {
        "batches": [batch("PP-1", "PP", 5, (0, 8, 12)), batch("LD-1", "LD", 5, (0, 13, 16))],
        "employees": [
            employee("ani", "loket", {"PP": 3, "LD": 3}),
            employee("budi", "loket", {}),
            employee("citra", "loket", {}),
        ],
        "staffing": [rule("loket", 0, 8, 16, 2)],
    }
    _, plan = plan_for(data)
    assert batches_of(plan, "ani") == {"PP-1", "LD-1"}


def test_it_never_overfills_a_batch():
    data = {
        "batches": [batch("PP-1", "PP", 2, (0, 8, 12)), batch("PP-2", "PP", 0, (1, 8, 12))],
        "employees": [employee(f"e{k}", "loket", {"PP": 1 + k % 5}) for k in range(6)],
    }
    _, plan = plan_for(data)
    assert len(plan.assignments) == 2
    assert plan.objective == 5 + 4


def rule_that_cannot_hold() -> dict[str, Any]:
    """The counter needs 2 of its 3 people on Monday morning, but ani and budi are on leave all
    Monday: only citra is there. PP-1 is on Monday morning, LD-1 on Tuesday; fajar works
    elsewhere."""
    monday = span(0, 0, 0, end_day=1)
    return {
        "batches": [batch("PP-1", "PP", 5, (0, 8, 12)), batch("LD-1", "LD", 5, (1, 8, 12))],
        "employees": [
            employee("ani", "loket", {"PP": 5}, monday),
            employee("budi", "loket", {"PP": 5}, monday),
            employee("citra", "loket", {"PP": 5, "LD": 1}),
            employee("fajar", "arsip", {"PP": 1}),
        ],
        "staffing": [rule("loket", 0, 8, 12, 2, label="Loket pagi")],
    }


def test_a_rule_that_cannot_hold_is_explained_and_never_made_worse():
    _, plan = plan_for(rule_that_cannot_hold())
    (failing,) = plan.infeasible_rules
    assert (failing.rule, failing.members, failing.available, failing.min_present) == (0, 3, 1, 2)
    assert failing.overlaps_training
    assert "hanya 1 dari 3 pegawai tersedia" in failing.message
    # citra is the one still at the counter: she may not leave it, but may train on Tuesday
    assert batches_of(plan, "citra") == {"LD-1"}
    assert reason_of(plan, "citra", "PP") == "rule_cannot_hold"
    # other units are not affected
    assert batches_of(plan, "fajar") == {"PP-1"}


def test_unassigned_needs_carry_the_right_reason():
    data = {
        "programmes": ["PP", "LD", "ARS"],
        "batches": [batch("PP-1", "PP", 1, (0, 8, 12)), batch("LD-1", "LD", 5, (0, 8, 12))],
        "employees": [
            employee("ani", "loket", {"PP": 5, "ARS": 2}),
            employee("budi", "arsip", {"PP": 1, "LD": 1}),
        ],
    }
    _, plan = plan_for(data)
    assert reason_of(plan, "ani", "ARS") == "no_batch"
    assert reason_of(plan, "budi", "PP") in {"capacity", "clash"}
    reasons = {(u.nip, u.programme): u for u in plan.unassigned}
    assert "Belum ada angkatan untuk program ARS" in reasons[("ani", "ARS")].message
    assert plan.objective == 5 + 1


# --- soft goals --------------------------------------------------------------------------------


def test_soft_goals_choose_among_equally_good_plans():
    data = {
        "batches": [
            batch("PP-1", "PP", 5, (0, 8, 12)),
            batch("PP-2", "PP", 5, (1, 8, 12)),
            batch("PP-3", "PP", 5, (2, 8, 12)),
        ],
        "employees": [
            employee("ani", "loket", {"PP": 3}, preferences={"batches": ["PP-3"]}),
            employee(
                "budi",
                "arsip",
                {"PP": 3},
                preferences={"avoid_dates": [str(MONDAY), str(MONDAY + timedelta(1))]},
            ),
            employee("citra", "umum", {"PP": 3}),
        ],
        "peaks": [{**span(0, 0, 0, end_day=2), "penalty": 5, "label": "Pelaporan triwulan"}],
        "weights": {"spread": 0},
    }
    _, plan = plan_for(data)
    assert batches_of(plan, "ani") == {"PP-3"}
    assert batches_of(plan, "budi") == {"PP-3"}
    assert batches_of(plan, "citra") == {"PP-3"}
    assert plan.stats["soft_penalty"] == 0


def test_soft_goals_never_cost_a_priority_point():
    data = {
        "batches": [batch("PP-1", "PP", 5, (0, 8, 12))],
        "employees": [
            employee("ani", "loket", {"PP": 1}, preferences={"avoid_dates": [str(MONDAY)]})
        ],
        "peaks": [{**span(0, 0, 0, end_day=1), "penalty": 1000}],
        "weights": {"peak": 50, "avoid_date": 50},
    }
    _, plan = plan_for(data)
    assert batches_of(plan, "ani") == {"PP-1"}


def test_it_spreads_a_units_people_over_batches():
    data = {
        "batches": [batch("PP-1", "PP", 4, (0, 8, 12)), batch("PP-2", "PP", 4, (3, 8, 12))],
        "employees": [employee(n, "loket", {"PP": 2}) for n in ("ani", "budi", "citra", "dedi")],
    }
    _, plan = plan_for(data)
    counts = sorted(sum(1 for a in plan.assignments if a.batch == b) for b in ("PP-1", "PP-2"))
    assert counts == [2, 2]


# --- locks and re-planning ---------------------------------------------------------------------


def test_a_lock_is_kept_and_an_impossible_lock_is_dropped_with_a_reason():
    data = {
        "batches": [batch("PP-1", "PP", 1, (0, 8, 12)), batch("PP-2", "PP", 1, (1, 8, 12))],
        "employees": [
            employee("ani", "loket", {"PP": 1}),
            employee("budi", "loket", {"PP": 5}, span(1, 0, 0, end_day=2)),
        ],
        "locked": [{"nip": "ani", "batch": "PP-1"}, {"nip": "budi", "batch": "PP-2"}],
    }
    _, plan = plan_for(data)
    assert batches_of(plan, "ani") == {"PP-1"}
    assert batches_of(plan, "budi") == set()
    (dropped,) = [v for v in plan.violations if v.code == "lock_dropped"]
    assert dropped.nip == "budi"
    assert "tidak tersedia" in dropped.message


def replanning_case() -> dict[str, Any]:
    """Loket (5 people) needs 3 at the counter on Monday morning; PP-1 runs then, PP-2 on Friday.

    The current plan sends ani and budi to PP-1 (3 remain) and citra to PP-2 (full, 1 seat).
    """
    return {
        "batches": [batch("PP-1", "PP", 5, (0, 8, 12)), batch("PP-2", "PP", 1, (4, 8, 12))],
        "employees": [
            employee("ani", "loket", {"PP": 1}),
            employee("budi", "loket", {"PP": 5}),
            employee("citra", "loket", {"PP": 1}),
            employee("dedi", "loket", {}),
            employee("eka", "loket", {}),
        ],
        "staffing": [rule("loket", 0, 8, 12, 3)],
        "current": [
            {"nip": "ani", "batch": "PP-1"},
            {"nip": "budi", "batch": "PP-1"},
            {"nip": "citra", "batch": "PP-2"},
        ],
    }


def test_replanning_without_changes_moves_nobody():
    _, plan = plan_for(replanning_case())
    assert plan.stats["moved"] == 0
    assert set(plan.assignments) == {
        Assignment("ani", "PP-1"),
        Assignment("budi", "PP-1"),
        Assignment("citra", "PP-2"),
    }


def test_replanning_after_a_new_leave_moves_as_few_people_as_possible():
    # dedi takes leave on Monday: only 4 remain, so one of ani and budi must leave PP-1. The
    # minimum is one move; swapping ani into PP-2 would cost a second (citra's).
    data = replanning_case()
    data["employees"][3]["unavailable"] = [span(0, 0, 0, end_day=1)]
    _, plan = plan_for(data)
    assert plan.stats["moved"] == 1
    assert set(plan.assignments) == {Assignment("budi", "PP-1"), Assignment("citra", "PP-2")}
    (moved,) = [v for v in plan.violations if v.code == "moved"]
    assert moved.nip == "ani"
    assert "tidak lagi dijadwalkan" in moved.message


def test_replanning_moves_a_person_whose_new_leave_clashes_and_nobody_else():
    data = {
        "batches": [
            batch("PP-1", "PP", 2, (0, 8, 12)),
            batch("PP-2", "PP", 2, (2, 8, 12)),
            batch("PP-3", "PP", 2, (4, 8, 12)),
        ],
        "employees": [employee(n, "loket", {"PP": 3}) for n in ("ani", "budi", "citra", "dedi")],
        "current": [
            {"nip": "ani", "batch": "PP-1"},
            {"nip": "budi", "batch": "PP-1"},
            {"nip": "citra", "batch": "PP-2"},
            {"nip": "dedi", "batch": "PP-3"},
        ],
    }
    data["employees"][0]["unavailable"] = [span(0, 0, 0, end_day=1)]
    _, plan = plan_for(data)
    assert plan.stats["moved"] == 1
    assert batches_of(plan, "ani") in ({"PP-2"}, {"PP-3"})
    assert batches_of(plan, "budi") == {"PP-1"}
    assert batches_of(plan, "citra") == {"PP-2"}
    assert batches_of(plan, "dedi") == {"PP-3"}


# --- self-service ------------------------------------------------------------------------------


def test_alternatives_are_feasible_and_complete():
    data = {
        "batches": [
            batch("PP-1", "PP", 2, (0, 8, 12)),
            batch("PP-2", "PP", 1, (1, 8, 12)),
            batch("PP-3", "PP", 5, (2, 8, 12)),
            batch("PP-4", "PP", 5, (3, 8, 12)),
            batch("LD-1", "LD", 5, (3, 8, 10)),
        ],
        "employees": [
            employee("ani", "loket", {"PP": 3, "LD": 3}),
            employee("budi", "loket", {"PP": 2}),
            employee("citra", "loket", {"PP": 1}),
            employee("dedi", "arsip", {"PP": 1}, span(2, 0, 0, end_day=3)),
        ],
        "staffing": [rule("loket", 2, 8, 12, 2)],
    }
    instance = load_instance(data)
    plan = Plan(
        assignments=(
            Assignment("ani", "PP-1"),
            Assignment("ani", "LD-1"),
            Assignment("budi", "PP-2"),
            Assignment("citra", "PP-3"),
        )
    )
    assert check_plan(instance, plan).ok
    # PP-2 is full, PP-3 would leave loket with one person on Wednesday, PP-4 clashes with LD-1
    assert alternatives(instance, plan, "ani", "PP") == ["PP-1"]
    # dedi is on leave on Wednesday
    assert alternatives(instance, plan, "dedi", "PP") == ["PP-1", "PP-4"]
    for nip, programme in (
        ("ani", "PP"),
        ("budi", "PP"),
        ("citra", "PP"),
        ("dedi", "PP"),
        ("ani", "LD"),
    ):
        listed = alternatives(instance, plan, nip, programme)
        for choice in [b.id for b in instance.batches if b.programme == programme]:
            kept = [
                a
                for a in plan.assignments
                if not (a.nip == nip and a.batch.split("-")[0] == programme)
            ]
            switched = [*kept, Assignment(nip, choice)]
            feasible = check_plan(instance, switched).ok
            assert (choice in listed) == feasible, (nip, choice)
    assert alternatives(instance, plan, "budi", "LD") == []
    assert alternatives(instance, plan, "nobody", "PP") == []


# --- the baseline and the checker --------------------------------------------------------------


def test_the_first_come_baseline_breaks_staffing_rules_the_solver_keeps():
    data = {
        "batches": [batch("PP-1", "PP", 10, (0, 8, 16)), batch("PP-2", "PP", 10, (7, 8, 16))],
        "employees": [employee(f"l{k}", "loket", {"PP": 3}) for k in range(6)],
        "staffing": [rule("loket", day, 8, 12, 4) for day in range(10)],
    }
    instance, plan = plan_for(data)
    spreadsheet = greedy_plan(instance, respect_staffing=False)
    assert len(spreadsheet.assignments) == 6
    broken = check_plan(instance, spreadsheet)
    assert broken.broken_rules == (0,)
    assert any(v.code == "staffing" for v in spreadsheet.violations)
    careful = greedy_plan(instance, respect_staffing=True)
    assert check_plan(instance, careful).ok
    assert len(plan.assignments) == 4
    assert plan.objective >= careful.objective


def test_the_checker_counts_capacity_clashes_and_unavailability():
    data = {
        "batches": [batch("PP-1", "PP", 1, (0, 8, 12)), batch("LD-1", "LD", 1, (0, 9, 10))],
        "employees": [
            employee("ani", "loket", {"PP": 1, "LD": 1}, span(0, 9, 10)),
            employee("budi", "loket", {"PP": 1}),
        ],
    }
    instance = load_instance(data)
    check = check_plan(
        instance,
        [
            Assignment("ani", "PP-1"),
            Assignment("ani", "LD-1"),
            Assignment("budi", "PP-1"),
            Assignment("x", "PP-1"),
        ],
    )
    assert check.capacity_overflows == ("PP-1",)
    assert check.clashes == (("ani", "PP-1", "LD-1"),)
    assert set(check.unavailability_clashes) == {("ani", "PP-1"), ("ani", "LD-1")}
    assert [v.code for v in check.invalid] == ["unknown_reference"]
    assert not check.ok


# --- interchange, CLI, time limit --------------------------------------------------------------


def test_the_instance_and_the_plan_survive_a_json_round_trip(tmp_path):
    data = replanning_case()
    data["programmes"] = ["PP"]
    data["peaks"] = [{**span(0, 0, 0, end_day=1), "penalty": 2, "unit": "loket", "label": "Apel"}]
    data["employees"][0]["preferences"] = {"batches": ["PP-2"], "avoid_dates": ["2026-03-06"]}
    data["locked"] = [{"nip": "budi", "batch": "PP-1"}]
    data["weights"] = {"peak": 2, "preference": 1, "avoid_date": 1, "spread": 0}
    instance = load_instance(json.loads(json.dumps(data)))
    assert load_instance(json.loads(json.dumps(instance_to_json(instance)))) == instance
    plan = solve(instance, TIME_LIMIT)
    text = json.dumps(plan_to_json(plan), ensure_ascii=False)
    assert plan_from_json(json.loads(text)) == plan
    out = json.loads(text)
    assert set(out) >= {"assignments", "unassigned", "objective", "bound", "gap", "status", "stats"}


def test_aware_and_naive_times_mean_the_same_moment():
    naive = {
        "batches": [batch("PP-1", "PP", 1, (0, 8, 12))],
        "employees": [employee("ani", "loket", {"PP": 1})],
    }
    aware = json.loads(json.dumps(naive))
    aware["batches"][0]["sessions"] = [
        {"start": "2026-03-02T01:00:00+00:00", "end": "2026-03-02T12:00:00+07:00"}
    ]
    assert load_instance(naive) == load_instance(aware)


def test_the_cli_function_writes_the_plan_and_reports(tmp_path, capsys):
    source = tmp_path / "instance.json"
    target = tmp_path / "plan.json"
    source.write_text(json.dumps(replanning_case()), encoding="utf-8")
    assert solve_file(source, target, 5.0) == 0
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["status"] == "OPTIMAL"
    assert "OPTIMAL" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"batches": [], "employees": [{"nip": "1"}]}), encoding="utf-8")
    assert solve_file(bad, target, 5.0) == 2
    assert "employees[0]" in capsys.readouterr().err


def random_instance(
    seed: int, employees: int, batches: int, units: int = 4, days: int = 20
) -> dict[str, Any]:
    """A small random year: shared by the property test and the time-limit test."""
    rng = random.Random(seed)
    programmes = ["PP", "LD", "SKP"]
    out_batches = []
    for k in range(batches):
        first = rng.randrange(days)
        start, end = rng.choice([(8, 12), (13, 16), (8, 16)])
        out_batches.append(
            batch(
                f"B{k}",
                rng.choice(programmes),
                rng.randint(0, 6),
                *[(first + j, start, end) for j in range(rng.randint(1, 3))],
            )
        )
    people = []
    for k in range(employees):
        needs = {p: rng.randint(1, 5) for p in rng.sample(programmes, rng.randint(0, 2))}
        leave = []
        if rng.random() < 0.3:
            d = rng.randrange(days)
            leave.append(
                span(
                    d,
                    rng.choice([0, 8, 13]),
                    12 if rng.random() < 0.5 else 0,
                    end_day=d + (0 if rng.random() < 0.5 else 1),
                )
            )
            if leave[0]["end"] <= leave[0]["start"]:
                leave = [span(d, 0, 0, end_day=d + 1)]
        people.append(employee(f"n{k}", f"u{k % units}", needs, *leave))
    staffing = []
    sizes = {f"u{u}": sum(1 for k in range(employees) if k % units == u) for u in range(units)}
    for unit, size in sizes.items():
        for d in range(days):
            if rng.random() < 0.5:
                staffing.append(rule(unit, d, 8, 12, rng.randint(0, size)))
    return {"batches": out_batches, "employees": people, "staffing": staffing}


def test_the_time_limit_is_shared_out_between_the_phases(monkeypatch):
    # The wall-clock check lives in bench/bench_planner.py; here: every phase gets its share of
    # what is left before the deadline, so together they never ask CP-SAT for more than the limit.
    from kompeten.scheduling.planner import solver as solver_module

    given: list[float] = []
    real = solver_module._solver

    def recording(time_limit, *args, **kwargs):
        given.append(time_limit)
        return real(time_limit, *args, **kwargs)

    monkeypatch.setattr(solver_module, "_solver", recording)
    # large enough that the soft-goal phase is still searching when the limit comes
    instance = load_instance(random_instance(7, employees=300, batches=50, units=30, days=30))
    limit = 2.0
    plan = solve(instance, limit)
    assert "soft:OPTIMAL" not in plan.stats["phases"]
    assert len(given) == sum(1 for p in plan.stats["phases"] if "at flow bound" not in p)
    assert sum(given) <= limit
    assert check_plan(instance, plan).ok


def test_a_work_limit_gives_the_same_plan_on_every_run():
    # the soft-goal phase is still improving when the work limit ends it, so a wall-clock limit
    # or two workers would stop at a different plan from run to run
    instance = load_instance(random_instance(7, employees=300, batches=50, units=30, days=30))
    plans = [solve(instance, 60, work_limit=0.5) for _ in range(2)]
    assert "soft:OPTIMAL" not in plans[0].stats["phases"]
    assert plans[0].stats["workers"] == 1
    assert plans[0].assignments == plans[1].assignments
    assert plans[0].stats["soft_penalty"] == plans[1].stats["soft_penalty"]
    assert all(check_plan(instance, plan).ok for plan in plans)


def test_a_restricted_model_still_returns_a_valid_plan_with_a_valid_bound():
    instance = load_instance(random_instance(11, employees=120, batches=30, units=3, days=30))
    exact = solve(instance, TIME_LIMIT)
    restricted = solve(instance, TIME_LIMIT, full_model_limit=50)
    assert restricted.stats["full_model"] is False
    assert check_plan(instance, restricted).ok
    assert exact.status == "OPTIMAL"
    assert restricted.objective <= exact.objective <= (restricted.bound or 0)


@pytest.mark.parametrize("seed", range(6))
def test_the_solver_is_never_worse_than_the_careful_baseline(seed):
    instance = load_instance(random_instance(seed, employees=30, batches=10))
    plan = solve(instance, TIME_LIMIT)
    assert check_plan(instance, plan).ok
    assert brute_force_violations(instance, plan.assignments) == []
    assert plan.objective >= greedy_plan(instance, respect_staffing=True).objective
    for nip_need in plan.unassigned:
        assert nip_need.reason in {
            "no_batch",
            "unavailable",
            "rule_cannot_hold",
            "capacity",
            "staffing",
            "clash",
        }


def test_replanning_keeps_a_current_assignment_rather_than_make_room_for_a_newcomer():
    # moves come first: ani keeps PP-1 although moving her to PP-2 would let budi (priority 5) in
    data = {
        "batches": [batch("PP-1", "PP", 1, (0, 8, 12)), batch("PP-2", "PP", 1, (2, 8, 12))],
        "employees": [
            employee("ani", "loket", {"PP": 1}),
            employee("budi", "arsip", {"PP": 5}, span(2, 0, 0, end_day=3)),
        ],
        "current": [{"nip": "ani", "batch": "PP-1"}],
    }
    _, replanned = plan_for(data)
    assert set(replanned.assignments) == {Assignment("ani", "PP-1")}
    assert replanned.stats["moved"] == 0
    assert reason_of(replanned, "budi", "PP") == "capacity"
    del data["current"]
    _, fresh = plan_for(data)
    assert set(fresh.assignments) == {Assignment("budi", "PP-1"), Assignment("ani", "PP-2")}
