"""The CP-SAT model: who attends which batch, so that every counter stays staffed.

Variables
    ``x[e,b]`` (boolean) only for pairs where employee e needs b's programme and can attend all of
    b's sessions (no unavailability, no staffing window that cannot hold, no window with zero
    slack); ``n[u,b]`` (integer) the number of unit u's employees in batch b; ``y[e,w]`` (boolean)
    only where e could be away for two non-overlapping batches during the same window w;
    ``m[u]`` (integer) the largest number of unit u's employees in training on one day.

Hard constraints
    at most one batch per need; seats; at most one batch among batches running at one moment
    (a clique cover of the overlap graph, one per employee); per staffing window w of unit u that
    can hold, ``sum(n[u,b] for b overlapping w) - corrections <= slack(w)``, where corrections
    remove employees already away by unavailability and count twice-away employees once. Windows
    that can never bind (too few seats overlap them) or that repeat another are dropped.

Objective, lexicographic, one CP-SAT solve per level on the same model
    1. (re-planning only) keep as many ``current`` assignments as possible;
    2. maximise ``sum(priority * x)`` (skipped when the starting plan already meets the
       min-cost-flow bound, see flow.py);
    3. minimise the soft penalty: peaks, preferences, avoided dates (per assignment) and
       ``spread * m[u]`` per unit.
    Each level, once reached, becomes a constraint of the next, and each solve is hinted with the
    previous plan, so no soft goal ever costs a priority point and no priority point a move.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from time import perf_counter
from typing import Any

from ortools.sat.python import cp_model

from kompeten.scheduling.planner.explain import explain_unassigned, infeasible_rules
from kompeten.scheduling.planner.flow import priority_flow
from kompeten.scheduling.planner.greedy import place_locked
from kompeten.scheduling.planner.index import Index, index_for
from kompeten.scheduling.planner.model import Instance, Plan, Violation
from kompeten.scheduling.planner.state import State, check_state

DEFAULT_TIME_LIMIT = 60.0
_MIN_SOLVE = 0.05
_SHUTDOWN = 0.1
# above this many candidate pairs CP-SAT gets a restricted model (see solve())
FULL_MODEL_LIMIT = 60_000
MIN_BATCHES_PER_NEED = 4
# CP-SAT's presolve pays on small models; above this many variables it costs more than it gives
# (bench/bench_planner.py: 2,500 employees, 60 s limit: 58.9 s with presolve, 23.6 s without,
# same plan quality, the start is already good)
PRESOLVE_LIMIT = 10_000
# the soft-goal phase stops after this many seconds without a better plan
SOFT_PATIENCE = 10.0
# share of the remaining time a phase may use when more phases follow it
PHASE_SHARE = {"moves": 0.3, "priority": 0.8}
# CP-SAT parameters for every solve (callers add theirs with ``parameters``); measured on
# bench/bench_planner.py, linearization and probing levels made no difference beyond noise
SOLVER_PARAMETERS: dict[str, Any] = {}


class _Proto:
    """Thin writer of a CpModelProto: bulk appends are much faster than one call per term."""

    def __init__(self) -> None:
        self.model = cp_model.CpModel()
        self.proto = self.model.proto
        self.size = 0
        self.constraints = 0

    def new_bools(self, count: int) -> int:
        first = self.size
        if count:
            self.proto.merge_text_format("variables { domain: [0, 1] } " * count)
        self.size += count
        return first

    def new_int(self, low: int, high: int) -> int:
        self.proto.merge_text_format(f"variables {{ domain: [{low}, {high}] }}")
        self.size += 1
        return self.size - 1

    def linear(self, variables: list[int], coeffs: list[int], low: int, high: int) -> None:
        ct = self.proto.constraints.add().linear
        ct.vars.extend(variables)
        ct.coeffs.extend(coeffs)
        ct.domain.extend([low, high])
        self.constraints += 1

    def at_most_one(self, literals: list[int]) -> None:
        self.proto.constraints.add().at_most_one.literals.extend(literals)
        self.constraints += 1

    def maximise(self, variables: list[int], coeffs: list[int]) -> None:
        self.proto.clear_objective()
        objective = self.proto.objective
        objective.vars.extend(variables)
        objective.coeffs.extend([-c for c in coeffs])
        objective.scaling_factor = -1

    def hint(self, values: list[int]) -> None:
        self.proto.clear_solution_hint()
        self.proto.solution_hint.vars.extend(range(len(values)))
        self.proto.solution_hint.values.extend(values)


@dataclass
class _Model:
    proto: _Proto
    pair_e: list[int]
    pair_b: list[int]
    pair_of: dict[tuple[int, int], int]
    pair_cost: list[int]
    pair_priority: list[int]
    unit_batch_n: dict[tuple[int, int], int]
    y_of: list[tuple[int, list[int]]]  # (y variable, x variables it covers)
    spread: list[tuple[int, list[list[int]]]]  # (m variable, days as lists of n variables)
    soft_vars: list[int]
    soft_coeffs: list[int]
    need_groups: list[list[int]]
    stats: dict[str, Any] = field(default_factory=dict)


def _zero_slack(index: Index) -> dict[tuple[int, int], list[int]]:
    """(unit, batch) -> rules whose window has no slack: the unit's available people may not go."""
    out: dict[tuple[int, int], list[int]] = defaultdict(list)
    for w in index.windows:
        if w.holdable and w.slack == 0:
            for b in w.batches:
                out[(w.unit, b)].append(w.rule)
    return out


def open_needs(index: Index) -> list[tuple[int, str, int, list[int]]]:
    """Every need with the batches its employee may join: ``(employee, programme, priority, batches)``.

    Batches overlapping a zero-slack window of the employee's unit (while they are available) are
    left out: nobody of that unit may train then.
    """
    zero = _zero_slack(index)
    windows = index.windows
    out = []
    for e, per_programme in enumerate(index.candidates):
        unit = index.emp_unit[e]
        for programme, batches in per_programme.items():
            open_batches = [
                b
                for b in batches
                if not any(e not in windows[r].unavailable for r in zero.get((unit, b), ()))
            ]
            out.append((e, programme, index.emp_needs[e][programme], open_batches))
    return out


_StaffingKey = tuple[Any, ...]
_StaffingRow = tuple[int, list[int], tuple[int, ...], tuple[int, ...]]


class _Builder:
    """Writes the CP-SAT model in a fixed order (variables are numbered as they are made, so
    the order is part of the model): the x variables and one batch per need, seats, clashes,
    locks, staffing windows, then the spread goal."""

    def __init__(self, index: Index, costs: dict[tuple[int, int], int]) -> None:
        self.index = index
        self.costs = costs
        self.proto = _Proto()
        self.pair_e: list[int] = []
        self.pair_b: list[int] = []
        self.pair_cost: list[int] = []
        self.pair_priority: list[int] = []
        self.need_groups: list[list[int]] = []
        self.unit_batch_vars: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.unit_batch_n: dict[tuple[int, int], int] = {}
        self.emp_vars: list[dict[int, int]] = [{} for _ in index.nips]

    def pairs(self, needs: list[tuple[int, str, int, list[int]]]) -> None:
        """One x variable per (employee, batch) a need allows; at most one batch per need."""
        for e, _programme, priority, batches in needs:
            group = []
            for b in batches:
                group.append(len(self.pair_e))
                self.pair_e.append(e)
                self.pair_b.append(b)
                self.pair_cost.append(self.costs[(e, b)])
                self.pair_priority.append(priority)
            if group:
                self.need_groups.append(group)
        self.proto.new_bools(len(self.pair_e))
        self.pair_of = {
            (e, b): k for k, (e, b) in enumerate(zip(self.pair_e, self.pair_b, strict=True))
        }
        for group in self.need_groups:
            if len(group) > 1:
                self.proto.at_most_one(group)
        for k, (e, b) in enumerate(zip(self.pair_e, self.pair_b, strict=True)):
            self.emp_vars[e][b] = k
            self.unit_batch_vars[(self.index.emp_unit[e], b)].append(k)

    def seats(self) -> None:
        batch_vars: list[list[int]] = [[] for _ in self.index.batch_ids]
        for k, b in enumerate(self.pair_b):
            batch_vars[b].append(k)
        for b, variables in enumerate(batch_vars):
            if len(variables) > self.index.batch_capacity[b]:
                self.proto.linear(variables, [1] * len(variables), 0, self.index.batch_capacity[b])

    def clashes(self) -> int:
        """No two overlapping batches for one employee: one at-most-one per clique of running
        batches of different programmes. Returns the number of constraints."""
        index = self.index
        programme_pair_cliques: dict[tuple[str, str], list[int]] = defaultdict(list)
        for c, clique in enumerate(index.cliques):
            programmes = sorted({index.batch_programme[b] for b in clique})
            for pair in combinations(programmes, 2):
                programme_pair_cliques[pair].append(c)
        clash_constraints = 0
        for by_batch in self.emp_vars:
            programmes = sorted({index.batch_programme[b] for b in by_batch})
            if len(programmes) < 2:
                continue
            seen: set[frozenset[int]] = set()
            for pair in combinations(programmes, 2):
                for c in programme_pair_cliques.get(pair, ()):
                    running = index.cliques[c].intersection(by_batch)
                    if len(running) < 2 or running in seen:
                        continue
                    if len({index.batch_programme[b] for b in running}) < 2:
                        continue
                    seen.add(running)
                    self.proto.at_most_one([by_batch[b] for b in running])
                    clash_constraints += 1
        return clash_constraints

    def locks(self, locked: list[tuple[int, int]]) -> None:
        for e, b in locked:
            self.proto.linear([self.pair_of[(e, b)]], [1], 1, 1)

    def n_var(self, u: int, b: int) -> int:
        """The integer n[u,b] (made on first use): unit u's employees in batch b."""
        if (u, b) not in self.unit_batch_n:
            variables = self.unit_batch_vars[(u, b)]
            n = self.proto.new_int(0, min(len(variables), self.index.batch_capacity[b]))
            self.proto.linear([*variables, n], [1] * len(variables) + [-1], 0, 0)
            self.unit_batch_n[(u, b)] = n
        return self.unit_batch_n[(u, b)]

    def binding_windows(self) -> tuple[dict[_StaffingKey, _StaffingRow], int]:
        """The staffing windows that can bind, deduplicated (the tightest slack of equal
        windows kept), and how many windows concern a unit with candidates at all."""
        index = self.index
        unit_batch_emps = {
            key: {self.pair_e[k] for k in variables}
            for key, variables in self.unit_batch_vars.items()
        }
        staffing: dict[_StaffingKey, _StaffingRow] = {}
        relevant = 0
        for w in index.windows:
            if not w.holdable or w.slack == 0 or not w.batches:
                continue
            u = w.unit
            batches = [b for b in w.batches if self.unit_batch_vars.get((u, b))]
            if not batches:
                continue
            relevant += 1
            gone = w.unavailable
            away: set[int] = set()
            ceiling = 0
            for b in batches:
                joiners = unit_batch_emps[(u, b)]
                away_here = joiners & gone if gone else set()
                away |= away_here
                ceiling += min(index.batch_capacity[b], len(joiners) - len(away_here))
            if ceiling <= w.slack:
                continue
            twice: set[int] = set()
            for b1, b2 in combinations(batches, 2):
                if b2 not in index.batch_overlaps[b1]:
                    twice |= unit_batch_emps[(u, b1)] & unit_batch_emps[(u, b2)]
            twice -= gone
            key = (u, tuple(batches), tuple(sorted(away)), tuple(sorted(twice)))
            if key not in staffing or staffing[key][0] > w.slack:
                staffing[key] = (w.slack, batches, key[2], key[3])
        return staffing, relevant

    def staffing_constraints(
        self, staffing: dict[_StaffingKey, _StaffingRow]
    ) -> list[tuple[int, list[int]]]:
        """One linear constraint per binding window; the y variables of twice-away people."""
        y_of: list[tuple[int, list[int]]] = []
        emp_vars = self.emp_vars
        for (u, *_), (slack, window_batches, gone_people, twice_away) in staffing.items():
            variables = [self.n_var(u, b) for b in window_batches]
            coeffs = [1] * len(variables)
            for e in (*gone_people, *twice_away):
                for b in window_batches:
                    found = emp_vars[e].get(b)
                    if found is not None:
                        variables.append(found)
                        coeffs.append(-1)
            for e in twice_away:
                covered = [emp_vars[e][b] for b in window_batches if b in emp_vars[e]]
                y = self.proto.new_int(0, 1)
                for k in covered:
                    self.proto.linear([k, y], [1, -1], -1, 0)
                y_of.append((y, covered))
                variables.append(y)
                coeffs.append(1)
            self.proto.linear(variables, coeffs, cp_model.INT_MIN, slack)
        return y_of

    def spread(self) -> list[tuple[int, list[list[int]]]]:
        """Soft goal: m[u] bounds the busiest day of each unit."""
        index = self.index
        spread: list[tuple[int, list[list[int]]]] = []
        if not index.instance.weights.spread:
            return spread
        day_batches: dict[int, list[int]] = defaultdict(list)
        for b, days in enumerate(index.batch_days):
            for day in days:
                day_batches[day].append(b)
        for u in range(len(index.unit_names)):
            day_sets = {
                tuple(b for b in batches if (u, b) in self.unit_batch_vars)
                for batches in day_batches.values()
            }
            day_sets.discard(())
            if not day_sets:
                continue
            ceiling = max(
                sum(min(index.batch_capacity[b], len(self.unit_batch_vars[(u, b)])) for b in bs)
                for bs in day_sets
            )
            m = self.proto.new_int(0, ceiling)
            days_n = []
            for bs in day_sets:
                variables = [self.n_var(u, b) for b in bs]
                self.proto.linear([*variables, m], [1] * len(variables) + [-1], cp_model.INT_MIN, 0)
                days_n.append(variables)
            spread.append((m, days_n))
        return spread


def _build(
    index: Index,
    needs: list[tuple[int, str, int, list[int]]],
    locked: list[tuple[int, int]],
    costs: dict[tuple[int, int], int],
) -> _Model:
    builder = _Builder(index, costs)
    builder.pairs(needs)
    builder.seats()
    clash_constraints = builder.clashes()
    builder.locks(locked)
    staffing, relevant = builder.binding_windows()
    y_of = builder.staffing_constraints(staffing)
    spread = builder.spread()
    weight = index.instance.weights.spread
    pair_cost = builder.pair_cost
    soft_vars = [k for k, c in enumerate(pair_cost) if c]
    soft_coeffs = [pair_cost[k] for k in soft_vars]
    soft_vars += [m for m, _ in spread]
    soft_coeffs += [weight] * len(spread)

    model = _Model(
        proto=builder.proto,
        pair_e=builder.pair_e,
        pair_b=builder.pair_b,
        pair_of=builder.pair_of,
        pair_cost=pair_cost,
        pair_priority=builder.pair_priority,
        unit_batch_n=builder.unit_batch_n,
        y_of=y_of,
        spread=spread,
        soft_vars=soft_vars,
        soft_coeffs=soft_coeffs,
        need_groups=builder.need_groups,
    )
    model.stats.update(
        {
            "variables": len(builder.pair_e),
            "model_variables": builder.proto.size,
            "constraints": builder.proto.constraints,
            "clash_constraints": clash_constraints,
            "staffing_windows": len(index.windows),
            "staffing_windows_relevant": relevant,
            "staffing_constraints": len(staffing),
        }
    )
    return model


def _hint_values(model: _Model, state: State) -> list[int]:
    values = [0] * model.proto.size
    for k, (e, b) in enumerate(zip(model.pair_e, model.pair_b, strict=True)):
        if b in state.assigned[e]:
            values[k] = 1
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for e, batches in enumerate(state.assigned):
        for b in batches:
            counts[(state.index.emp_unit[e], b)] += 1
    for key, n in model.unit_batch_n.items():
        values[n] = counts[key]
    for y, covered in model.y_of:
        values[y] = int(any(values[k] for k in covered))
    for m, days in model.spread:
        values[m] = max((sum(values[n] for n in day) for day in days), default=0)
    return values


def _fill(state: State, *, costs: dict[tuple[int, int], int] | None = None) -> int:
    """Add every unmet need that still fits (highest priority first); returns how many."""
    index = state.index
    added = 0
    needs = sorted(
        (
            (priority, e, programme)
            for e, needs in enumerate(index.emp_needs)
            for programme, priority in needs.items()
        ),
        key=lambda t: (-t[0], len(index.candidates[t[1]].get(t[2], ())), t[1]),
    )
    for _, e, programme in needs:
        if state.batch_for(e, programme) is not None:
            continue
        candidates = index.candidates[e].get(programme, ())
        if costs is not None:
            candidates = sorted(candidates, key=lambda b: costs.get((e, b), 0))
        for b in candidates:
            if state.can_add(e, b):
                state.add(e, b)
                added += 1
                break
    return added


class _Progress(cp_model.CpSolverSolutionCallback):
    """Remembers when the last improving solution came."""

    def __init__(self) -> None:
        super().__init__()
        self.last: float | None = None

    def on_solution_callback(self) -> None:
        self.last = perf_counter()


def _solve_with_patience(
    solver: cp_model.CpSolver, model: cp_model.CpModel, patience: float | None
) -> Any:
    """Solve; with ``patience``, stop once that many seconds pass without a better solution."""
    if patience is None:
        return solver.solve(model)
    progress = _Progress()
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.2):
            if progress.last is not None and perf_counter() - progress.last > patience:
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.solve(model, progress)
    finally:
        done.set()
        watcher.join()


def _solver(
    time_limit: float, num_workers: int, seed: int, log: bool, extra: dict[str, Any]
) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    for key, value in {**SOLVER_PARAMETERS, **extra}.items():
        setattr(solver.parameters, key, value)
    solver.parameters.max_time_in_seconds = max(_MIN_SOLVE, time_limit)
    solver.parameters.num_workers = num_workers
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = log
    return solver


def _start(
    index: Index,
    locked: list[tuple[int, int]],
    current: list[tuple[int, int]],
    suggested: list[tuple[int, int]],
    costs: dict[tuple[int, int], int],
) -> State:
    """A feasible plan: the locks, the current plan where it still fits, suggestions, then fill."""
    state = State(index)
    for e, b in locked:
        state.add(e, b)
    for e, b in current:
        if state.can_add(e, b):
            state.add(e, b)
    rejected = []
    for e, b in suggested:
        if state.batch_for(e, index.batch_programme[b]) is None:
            if state.can_add(e, b):
                state.add(e, b)
            else:
                rejected.append((e, b))
    fixed = {(e, b) for e, b in (*locked, *current)}
    for e, b in sorted(rejected, key=lambda p: -index.emp_needs[p[0]][index.batch_programme[p[1]]]):
        _place_with_ejection(state, e, index.batch_programme[b], costs, fixed)
    _fill(state, costs=costs)
    return state


def _place_with_ejection(
    state: State,
    e: int,
    programme: str,
    costs: dict[tuple[int, int], int],
    fixed: set[tuple[int, int]],
) -> bool:
    """Place e in a batch of ``programme``, moving one occupant of a full batch elsewhere if needed."""
    index = state.index
    candidates = sorted(index.candidates[e].get(programme, ()), key=lambda b: costs.get((e, b), 0))
    for b in candidates:
        if state.can_add(e, b):
            state.add(e, b)
            return True
    for b in candidates:
        if state.load[b] < index.batch_capacity[b]:
            continue
        for other in sorted(state.occupants[b]):
            if (other, b) in fixed:
                continue
            state.remove(other, b)
            if state.can_add(e, b):
                state.add(e, b)
                for alternative in index.candidates[other][programme]:
                    if alternative != b and state.can_add(other, alternative):
                        state.add(other, alternative)
                        return True
                state.remove(e, b)
            state.add(other, b)
    return False


def _restrict(
    needs: list[tuple[int, str, int, list[int]]],
    costs: dict[tuple[int, int], int],
    keep: set[tuple[int, int]],
    per_need: int,
) -> list[tuple[int, str, int, list[int]]]:
    """Each need keeps the batches in ``keep`` and its ``per_need`` cheapest others.

    Ties are broken by a fixed scramble of (employee, batch), so that the kept batches of a unit's
    employees are spread over the year rather than all the same ones.
    """
    out = []
    for e, programme, priority, batches in needs:
        if len(batches) <= per_need:
            out.append((e, programme, priority, batches))
            continue
        ranked = sorted(
            batches, key=lambda b: costs[(e, b)] * 1_000_003 + (e * 7_919 + b * 104_729) % 1_000_003
        )
        chosen = set(ranked[:per_need]) | {b for b in batches if (e, b) in keep}
        out.append((e, programme, priority, [b for b in batches if b in chosen]))
    return out


@dataclass
class _Outcome:
    priority_bound: float  # a bound of the priority sum valid for the full problem (inf: none)
    stats: dict[str, Any]


_Phase = tuple[str, list[int], list[int], int]  # (name, variables, coefficients, sense)


def _phases(
    model: _Model, current: list[tuple[int, int]], priority_vars: list[int]
) -> list[_Phase]:
    """The objectives in lexicographic order: kept assignments (re-planning only), priority
    sum, then the soft penalty (minimised: sense -1)."""
    kept_vars = [model.pair_of[p] for p in current if p in model.pair_of]
    todo: list[_Phase] = []
    if kept_vars:
        todo.append(("moves", kept_vars, [1] * len(kept_vars), 1))
    todo.append(("priority", priority_vars, model.pair_priority, 1))
    if model.soft_vars:
        todo.append(("soft", model.soft_vars, model.soft_coeffs, -1))
    return todo


def _level(values: list[int], variables: list[int], coeffs: list[int]) -> int:
    """An objective's value in a solution."""
    return sum(c * values[v] for v, c in zip(variables, coeffs, strict=True))


def _hold_level(
    proto: _Proto, variables: list[int], coeffs: list[int], sense: int, level: int
) -> None:
    """Keep a reached objective level in every later phase (at least it, or at most it)."""
    if sense > 0:
        proto.linear(variables, list(coeffs), level, cp_model.INT_MAX)
    else:
        proto.linear(variables, list(coeffs), cp_model.INT_MIN, level)


def _run_phases(
    model: _Model,
    start: State,
    current: list[tuple[int, int]],
    flow_bound: int,
    full: bool,
    deadline: float,
    num_workers: int,
    seed: int,
    log: bool,
    parameters: dict[str, Any] | None,
    patience: float | None = SOFT_PATIENCE,
) -> tuple[list[int] | None, _Outcome]:
    """Lexicographic solve: fewest moves (re-planning only), then priorities, then soft goals.

    Each phase starts from the previous phase's plan (as a complete hint) and, once done, its
    achieved level becomes a constraint of the next phase. The priority phase is skipped when the
    starting plan already reaches the flow bound.
    """
    proto = model.proto
    stats: dict[str, Any] = {}
    phases: list[str] = []
    outcome = _Outcome(priority_bound=float("inf"), stats=stats)
    stats["phases"] = phases
    if not model.pair_e:
        stats["soft_goals_optimal"] = True
        return None, outcome
    values = _hint_values(model, start)
    solve_seconds = 0.0
    priority_vars = list(range(len(model.pair_e)))
    todo = _phases(model, current, priority_vars)
    soft_proven = True
    for position, (name, variables, coeffs, sense) in enumerate(todo):
        if name == "priority":
            reached = sum(p * values[k] for k, p in enumerate(model.pair_priority))
            if reached >= flow_bound:
                # the plan in hand already meets the relaxation's bound: nothing to search
                outcome.priority_bound = reached
                proto.linear(priority_vars, model.pair_priority, reached, cp_model.INT_MAX)
                phases.append("priority:at flow bound")
                continue
        # CP-SAT may overrun its limit by a little while its workers stop
        remaining = deadline - perf_counter() - _SHUTDOWN
        share = remaining * PHASE_SHARE.get(name, 1.0) if position < len(todo) - 1 else remaining
        proto.hint(values)
        proto.maximise(variables, [sense * c for c in coeffs])
        defaults = {} if proto.size <= PRESOLVE_LIMIT else {"cp_model_presolve": False}
        solver = _solver(share, num_workers, seed, log, {**defaults, **(parameters or {})})
        status = _solve_with_patience(solver, proto.model, patience if name == "soft" else None)
        solve_seconds += solver.wall_time
        phases.append(f"{name}:{solver.status_name(status)}")
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = list(solver.response_proto.solution)
            if _level(found, variables, coeffs) * sense >= sense * _level(
                values, variables, coeffs
            ):
                values = found
            if name == "priority" and full:
                outcome.priority_bound = solver.best_objective_bound
        if name != "priority" and status != cp_model.OPTIMAL:
            soft_proven = False
        level = _level(values, variables, coeffs)
        if name == "priority" and status == cp_model.OPTIMAL and full:
            outcome.priority_bound = level
        _hold_level(proto, variables, coeffs, sense, level)
        if name == "soft":
            stats["soft_penalty_model"] = level
    stats["solve_seconds"] = round(solve_seconds, 3)
    stats["soft_goals_optimal"] = soft_proven and full
    return values, outcome


def _reserve(model: _Model, index: Index, start: State) -> float:
    """Seconds kept back for reading the solution, filling and explaining the unmet needs.

    Explaining costs about 15 µs per candidate batch of each unmet need, reading the solution
    a few µs per variable (measured on bench/bench_planner.py, doubled).
    """
    unmet = sum(
        len(index.candidates[e].get(programme, ()))
        for e, needs in enumerate(index.emp_needs)
        for programme in needs
        if start.batch_for(e, programme) is None
    )
    measured = (
        3e-5 * unmet + 1e-5 * len(model.pair_e) + 3e-6 * sum(len(c) for c in index.candidate_sets)
    )
    return 0.15 + 1.5 * measured


def _best_start(
    index: Index,
    needs: list[tuple[int, str, int, list[int]]],
    locked: list[tuple[int, int]],
    current: list[tuple[int, int]],
    costs: dict[tuple[int, int], int],
    stats: dict[str, Any],
) -> tuple[State, int]:
    """The better of the greedy start and the flow's start, and the flow's priority bound."""
    flow_started = perf_counter()
    flow_bound, flow_pairs = priority_flow(
        [(e, pr, bs) for e, _p, pr, bs in needs],
        index.batch_capacity,
        costs=costs,
        units=index.emp_unit,
        spread=index.instance.weights.spread,
    )
    stats["flow_bound"] = flow_bound
    stats["flow_seconds"] = round(perf_counter() - flow_started, 3)
    starts = [
        _start(index, locked, current, [], costs),
        _start(index, locked, current, flow_pairs, costs),
    ]

    def rank(state: State) -> tuple[int, int, int]:
        kept = sum(1 for e, b in current if b in state.assigned[e])
        return (kept, state.objective(), -_soft_penalty(index, state, costs))

    best = max(starts, key=rank)
    stats["start_objective"] = best.objective()
    stats["start_soft_penalty"] = -rank(best)[2]
    return best, flow_bound


def _model_needs(
    needs: list[tuple[int, str, int, list[int]]],
    costs: dict[tuple[int, int], int],
    keep: set[tuple[int, int]],
    full_model_limit: int | None,
    stats: dict[str, Any],
) -> tuple[list[tuple[int, str, int, list[int]]], bool]:
    """The needs CP-SAT works on, and whether they are all of them (the full model): above
    the limit each need keeps its cheapest batches and those in ``keep``."""
    pairs = sum(len(bs) for *_, bs in needs)
    ceiling = FULL_MODEL_LIMIT if full_model_limit is None else full_model_limit
    full = pairs <= ceiling
    model_needs = needs
    if not full:
        per_need = max(MIN_BATCHES_PER_NEED, ceiling // max(len(needs), 1))
        model_needs = _restrict(needs, costs, keep, per_need)
        stats["batches_per_need"] = per_need
    stats["full_model"] = full
    stats["candidate_pairs"] = pairs
    return model_needs, full


def _solution_state(index: Index, model: _Model, solution: list[int] | None, best: State) -> State:
    """The solved plan as a state (the start when CP-SAT had nothing to do), checked."""
    if solution is not None:
        state = State(index)
        for k, (e, b) in enumerate(zip(model.pair_e, model.pair_b, strict=True)):
            if solution[k]:
                state.add(e, b)
    else:
        state = best
    check = check_state(state)
    if not check.ok:  # pragma: no cover - a broken plan is a bug in the model, never returned
        raise RuntimeError(f"planner produced an invalid plan: {check.violations[:3]}")
    return state


def _model_and_reserve(
    index: Index,
    needs: list[tuple[int, str, int, list[int]]],
    locked: list[tuple[int, int]],
    costs: dict[tuple[int, int], int],
    best: State,
    stats: dict[str, Any],
) -> tuple[_Model, float]:
    """The CP-SAT model of these needs, and the seconds kept back for the work after solving."""
    build_started = perf_counter()
    model = _build(index, needs, locked, costs)
    stats.update(model.stats)
    stats["build_seconds"] = round(perf_counter() - build_started, 3)
    reserve = _reserve(model, index, best)
    stats["reserve_seconds"] = round(reserve, 3)
    return model, reserve


def solve(
    instance: Instance,
    time_limit: float | None = None,
    *,
    num_workers: int = 2,
    seed: int = 0,
    log: bool = False,
    parameters: dict[str, Any] | None = None,
    full_model_limit: int | None = None,
    work_limit: float | None = None,
) -> Plan:
    """Plan the instance; ``time_limit`` (seconds, default 60) bounds the whole call.

    The returned plan always satisfies every hard rule (``check_plan`` finds nothing). Its
    ``bound`` is the smaller of the flow relaxation's optimum and, when the model holds every
    candidate pair, CP-SAT's bound. Above ``full_model_limit`` candidate pairs (default
    ``FULL_MODEL_LIMIT``) CP-SAT works on a restricted model (each need keeps its cheapest
    batches, its batch in the starting plan and its current batch); the bound stays the flow's.

    ``work_limit`` (CP-SAT's deterministic time per phase, on one worker, with no wall-clock
    patience) makes the plan the same on every run and machine while ``time_limit`` holds.
    """
    if work_limit is not None:
        num_workers, parameters = 1, {**(parameters or {}), "max_deterministic_time": work_limit}
    started = perf_counter()
    limit = DEFAULT_TIME_LIMIT if time_limit is None else float(time_limit)
    deadline = started + limit
    index = index_for(instance)
    needs = open_needs(index)
    costs = {(e, b): index.soft_cost(e, b) for e, _p, _pr, batches in needs for b in batches}
    stats: dict[str, Any] = {"workers": num_workers}

    base = State(index)
    violations: list[Violation] = list(place_locked(base))
    locked = [(e, b) for e, bs in enumerate(base.assigned) for b in bs]
    current = [(index.emp_pos[a.nip], index.batch_pos[a.batch]) for a in instance.current]
    best, flow_bound = _best_start(index, needs, locked, current, costs, stats)
    keep = {(e, b) for e, bs in enumerate(best.assigned) for b in bs} | set(current) | set(locked)
    model_needs, full = _model_needs(needs, costs, keep, full_model_limit, stats)

    model, reserve = _model_and_reserve(index, model_needs, locked, costs, best, stats)
    solution, outcome = _run_phases(
        model,
        best,
        current,
        flow_bound,
        full,
        deadline - reserve,
        num_workers,
        seed,
        log,
        parameters,
        None if work_limit is not None else SOFT_PATIENCE,
    )
    stats.update(outcome.stats)

    post_started = perf_counter()
    state = _solution_state(index, model, solution, best)
    stats["filled_after_solve"] = _fill(state, costs=costs)
    objective = state.objective()
    bound = max(int(min(flow_bound, outcome.priority_bound) + 1e-6), objective)
    violations.extend(_moves(index, state, current, stats))
    stats["soft_penalty"] = _soft_penalty(index, state, costs)
    unassigned = explain_unassigned(state)
    assignments = state.assignments()
    stats["post_seconds"] = round(perf_counter() - post_started, 3)
    stats["seconds"] = round(perf_counter() - started, 3)
    return Plan(
        assignments=assignments,
        unassigned=unassigned,
        objective=objective,
        bound=bound,
        gap=(bound - objective) / max(bound, 1),
        status="OPTIMAL" if objective == bound else "FEASIBLE",
        stats=stats,
        violations=tuple(violations),
        infeasible_rules=infeasible_rules(index),
    )


def _soft_penalty(index: Index, state: State, costs: dict[tuple[int, int], int]) -> int:
    """The plan's total soft penalty: per-assignment costs plus spread (as the model counts it)."""
    total = sum(
        costs.get((e, b), index.soft_cost(e, b)) for e, bs in enumerate(state.assigned) for b in bs
    )
    weight = index.instance.weights.spread
    if weight:
        per_unit_day: dict[tuple[int, int], int] = defaultdict(int)
        for e, bs in enumerate(state.assigned):
            for b in bs:
                for day in index.batch_days[b]:
                    per_unit_day[(index.emp_unit[e], day)] += 1
        peak: dict[int, int] = defaultdict(int)
        for (u, _day), count in per_unit_day.items():
            peak[u] = max(peak[u], count)
        total += weight * sum(peak.values())
    return total


def _moves(
    index: Index, state: State, current: list[tuple[int, int]], stats: dict[str, Any]
) -> list[Violation]:
    """Current assignments the new plan does not keep, each named with where the person went."""
    if not current:
        return []
    out = []
    moved_people = set()
    for e, b in current:
        if b in state.assigned[e]:
            continue
        moved_people.add(e)
        programme = index.batch_programme[b]
        nip, batch = index.nips[e], index.batch_ids[b]
        now = state.batch_for(e, programme)
        where = (
            f"dipindah ke {index.batch_refs[now]}" if now is not None else "tidak lagi dijadwalkan"
        )
        personal = state.personal_blockers(e, b)
        why = f" karena {personal[0].message}" if personal else ""
        out.append(
            Violation("moved", f"{nip} dari {index.batch_refs[b]} {where}{why}.", nip, batch)
        )
    stats["moved"] = len(out)
    stats["moved_people"] = len(moved_people)
    stats["kept"] = len(current) - len(out)
    return out
