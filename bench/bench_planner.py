"""Benchmark: plan 5,000 employees of 40 units into 300 batches within 60 s, beside first-come.

    .venv/bin/python bench/bench_planner.py                 # the target size, 60 s, 2 workers
    .venv/bin/python bench/bench_planner.py --employees 1000 --batches 80 --time-limit 20

Prints, for the solver: the priority sum met (objective), its proven bound and the gap, the
seconds of the whole ``solve`` call, the soft penalty; and beside it, in the same run, the
first-come plan a spreadsheet admin would make (input order, first batch with a seat and no
personal clash, staffing rules ignored) with how many fewer needs and priority points it meets
and how many staffing rules it breaks, and the same first-come plan that respects the rules.
Every solver plan is checked with ``check_plan``; the run fails loudly if it breaks anything.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gen_planner_instance import add_size_arguments, generate_from

from kompeten.scheduling.planner import check_plan, greedy_plan, load_instance, solve
from kompeten.scheduling.planner.model import Instance, Plan


def _row(name: str, plan: Plan, needs: int, broken: int, seconds: float, soft: object) -> str:
    bound = "" if plan.bound is None else str(plan.bound)
    gap = "" if plan.gap is None else f"{100 * plan.gap:.2f} %"
    return (
        f"{name:<34} {len(plan.assignments):>6}/{needs:<6} {plan.objective:>8} {bound:>8} {gap:>8} "
        f"{broken:>7} {seconds:>8.1f} {soft!s:>6}"
    )


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(parser)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--params", default="{}", help="extra CP-SAT parameters as JSON")
    parser.add_argument("--save", type=Path, help="also write the instance JSON here")
    return parser.parse_args()


def _instance(args: argparse.Namespace) -> tuple[Instance, int]:
    """The generated instance read back from its JSON (as a user's file would be), and its needs."""
    started = time.perf_counter()
    data = generate_from(args)
    text = json.dumps(data)
    if args.save:
        args.save.write_text(text, encoding="utf-8")
    generated = time.perf_counter() - started
    started = time.perf_counter()
    instance = load_instance(json.loads(text))
    loaded = time.perf_counter() - started
    needs = sum(len(e.needs) for e in instance.employees)
    print(
        f"instance: {len(instance.employees)} employees in {args.units} units, {len(instance.batches)} batches "
        f"({sum(b.capacity for b in instance.batches)} seats), {needs} needs, "
        f"{len(instance.staffing)} staffing windows; generated in {generated:.1f} s, "
        f"JSON read and checked in {loaded:.1f} s"
    )
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start"
        + (" (strict staffing: 75-90 %)" if args.strict else "")
    )
    return instance, needs


def main() -> int:
    args = _parse_args()
    instance, needs = _instance(args)
    started = time.perf_counter()
    plan = solve(
        instance, args.time_limit, num_workers=args.workers, parameters=json.loads(args.params)
    )
    solved = time.perf_counter() - started
    check = check_plan(instance, plan)
    if not check.ok:
        print("SOLVER PLAN BREAKS HARD RULES:", check.violations[:5])
        return 1
    _compare_with_first_come(instance, plan, needs, solved)
    _print_solver_details(plan, solved, args.time_limit)
    return 0


def _compare_with_first_come(instance: Instance, plan: Plan, needs: int, solved: float) -> None:
    """The table of the three plans, then what each first-come plan loses against the solver."""
    started = time.perf_counter()
    first_come = greedy_plan(instance, respect_staffing=False)
    first_come_seconds = time.perf_counter() - started
    first_come_check = check_plan(instance, first_come)
    started = time.perf_counter()
    careful = greedy_plan(instance, respect_staffing=True)
    careful_seconds = time.perf_counter() - started

    print()
    print(
        f"{'plan':<34} {'needs met':>13} {'priority':>8} {'bound':>8} {'gap':>8} {'broken':>7} "
        f"{'seconds':>8} {'soft':>6}"
    )
    print(_row("CP-SAT planner", plan, needs, 0, solved, plan.stats.get("soft_penalty")))
    print(
        _row(
            "first-come, staffing ignored",
            first_come,
            needs,
            len(first_come_check.broken_rules),
            first_come_seconds,
            "",
        )
    )
    print(_row("first-come, staffing respected", careful, needs, 0, careful_seconds, ""))
    print()
    for name, other, broken in (
        ("first-come (staffing ignored)", first_come, first_come_check),
        ("first-come respecting staffing", careful, None),
    ):
        fewer = len(plan.assignments) - len(other.assignments)
        points = plan.objective - other.objective
        line = (
            f"{name} meets {abs(fewer)} {'fewer' if fewer >= 0 else 'more'} needs and "
            f"{abs(points)} {'fewer' if points >= 0 else 'more'} priority points "
            f"({100 * points / max(plan.objective, 1):+.1f} % for the planner)"
        )
        if broken is not None:
            line += (
                f", and breaks {len(broken.broken_rules)} staffing rules "
                f"({len({instance.staffing[r].unit for r in broken.broken_rules})} units) "
                f"and {len(broken.capacity_overflows)} capacities"
            )
        print(line)


def _print_solver_details(plan: Plan, solved: float, time_limit: float) -> None:
    print(
        f"solver: status {plan.status}, gap {100 * (plan.gap or 0):.3f} % "
        f"(bound from {'min-cost flow relaxation' if plan.bound == plan.stats.get('flow_bound') else 'CP-SAT'}), "
        f"{solved:.1f} s wall for solve() (limit {time_limit:.0f} s)"
    )
    keys = (
        "flow_bound",
        "start_objective",
        "start_soft_penalty",
        "soft_penalty",
        "full_model",
        "candidate_pairs",
        "variables",
        "constraints",
        "staffing_windows",
        "staffing_windows_relevant",
        "staffing_constraints",
        "phases",
        "flow_seconds",
        "build_seconds",
        "solve_seconds",
        "post_seconds",
    )
    print("stats:", json.dumps({k: plan.stats.get(k) for k in keys}))
    print(f"infeasible staffing rules (leave alone): {len(plan.infeasible_rules)}")
    reasons: dict[str, int] = {}
    for u in plan.unassigned:
        reasons[u.reason] = reasons.get(u.reason, 0) + 1
    print(f"unmet needs by reason: {reasons}")
    print(f"machine load average {os.getloadavg()[0]:.1f} at end")


if __name__ == "__main__":
    raise SystemExit(main())
