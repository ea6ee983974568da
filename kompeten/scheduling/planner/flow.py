"""A relaxation solved as a min-cost flow: a proven upper bound, and a start for the solver.

Drop the staffing rules, clashes between an employee's batches, locks and the current plan, and
what remains (each need to at most one batch it could attend, seats per batch) is a transportation
problem::

    source → need (1) → [unit, batch] → batch (seats) → sink

Its optimum, found by OR-Tools' min-cost flow in seconds for 10,000 needs, bounds the priority
sum of every plan, so it certifies the solver's result even when CP-SAT's own bound is weak on
large instances. Costs are lexicographic: ``-priority * big`` first, then the soft costs of the
assignment (peaks, preferences, avoided dates) and a convex cost on the number of one unit's
employees in one batch (the k-th costs ``spread * (k - 1)``, flat after ``SPREAD_STEPS``), so the
flow's assignment is already spread out. Repaired for staffing rules and clashes, it is a very
good starting plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

# measured on the benchmark instances (1, 2, 3, 4, 6, 12 steps): 2 gives the lowest soft penalty
SPREAD_STEPS = 2


_ClassKey = tuple[int, int, tuple[int, ...], tuple[int, ...]]
_Array = np.ndarray[Any, np.dtype[np.int64]]


def _need_classes(
    needs: list[tuple[int, int, list[int]]],
    costs: dict[tuple[int, int], int],
    units: list[int] | None,
    spreading: bool,
) -> dict[_ClassKey, list[int]]:
    """Needs interchangeable in the relaxation: (unit or -1, priority, batches, costs) →
    the employees."""
    classes: dict[_ClassKey, list[int]] = {}
    for e, priority, batches in needs:
        if batches:
            key = (
                units[e] if units is not None and spreading else -1,
                priority,
                tuple(batches),
                tuple(costs.get((e, b), 0) for b in batches),
            )
            classes.setdefault(key, []).append(e)
    return classes


@dataclass
class _SpreadArcs:
    """The [unit, batch] layer: where each pair arc goes, the arcs on to the batches, the
    largest spread cost a flow can pay, and the next free node."""

    pair_head: _Array
    tails: _Array
    heads: _Array
    caps: _Array
    costs: _Array
    soft_ceiling: int
    next_node: int


def _spread_arcs(
    pair_u: _Array,
    pair_b: _Array,
    pair_cap: _Array,
    capacity: _Array,
    spread: int,
    batch_node: int,
    next_node: int,
) -> _SpreadArcs:
    """One node per (unit, batch); to the batch, ``SPREAD_STEPS`` unit-capacity arcs costing
    ``spread * k`` and then one flat arc for the rest (a convex cost on the k-th employee)."""
    batches_count = len(capacity)
    group_key = pair_u * batches_count + pair_b
    group_keys, group_of = np.unique(group_key, return_inverse=True)
    group_batch = group_keys % batches_count
    reach = np.minimum(
        np.bincount(group_of, weights=pair_cap).astype(np.int64), capacity[group_batch]
    )
    steps = np.minimum(reach, SPREAD_STEPS)
    group_node = next_node + np.arange(len(group_keys), dtype=np.int64)
    step_group = np.repeat(np.arange(len(group_keys)), steps)
    step_rank = np.arange(len(step_group)) - np.repeat(np.cumsum(steps) - steps, steps)
    flat = reach - steps
    return _SpreadArcs(
        pair_head=group_node[group_of],
        tails=np.concatenate([group_node[step_group], group_node[flat > 0]]),
        heads=batch_node + np.concatenate([group_batch[step_group], group_batch[flat > 0]]),
        caps=np.concatenate([np.ones(len(step_group), dtype=np.int64), flat[flat > 0]]),
        costs=spread
        * np.concatenate([step_rank, np.full(int(np.sum(flat > 0)), SPREAD_STEPS, dtype=np.int64)]),
        soft_ceiling=int(spread * (np.sum(step_rank) + np.sum(flat * SPREAD_STEPS))),
        next_node=next_node + len(group_keys),
    )


def priority_flow(
    needs: list[tuple[int, int, list[int]]],
    capacities: list[int],
    *,
    costs: dict[tuple[int, int], int] | None = None,
    units: list[int] | None = None,
    spread: int = 0,
) -> tuple[int, list[tuple[int, int]]]:
    """Best priority sum ignoring staffing and clashes, and one assignment reaching it.

    ``needs`` holds ``(employee, priority, candidate batches)``; ``costs`` the soft cost of each
    (employee, batch); ``units`` each employee's unit (for the spread cost). Returns the priority
    sum of an optimal flow (the bound) and its ``(employee, batch)`` pairs.

    Needs that are interchangeable in the relaxation (same unit when spreading, priority,
    candidates and costs) share one node whose supply is their number: on the benchmark this
    halves the network.
    """
    costs = costs or {}
    spreading = units is not None and spread > 0
    classes = _need_classes(needs, costs, units, spreading)
    if not classes:
        return 0, []
    keys = list(classes)
    count = len(keys)
    size = np.fromiter((len(classes[k]) for k in keys), dtype=np.int64, count=count)
    total = int(size.sum())
    pair_k = np.fromiter((k for k, key in enumerate(keys) for _b in key[2]), dtype=np.int64)
    pair_b = np.fromiter((b for key in keys for b in key[2]), dtype=np.int64)
    pair_p = np.fromiter((key[1] for key in keys for _b in key[2]), dtype=np.int64)
    pair_c = np.fromiter((c for key in keys for c in key[3]), dtype=np.int64)
    pair_u = np.fromiter((key[0] for key in keys for _b in key[2]), dtype=np.int64)
    batches_count = len(capacities)
    capacity = np.asarray(capacities, dtype=np.int64)
    pair_cap = np.minimum(size[pair_k], capacity[pair_b])
    soft_ceiling = int(sum(len(classes[key]) * max(key[3]) for key in keys))
    batch_node = 2 + count
    next_node = batch_node + batches_count

    if spreading:
        layer = _spread_arcs(pair_u, pair_b, pair_cap, capacity, spread, batch_node, next_node)
        soft_ceiling += layer.soft_ceiling
    else:
        empty = np.zeros(0, dtype=np.int64)
        layer = _SpreadArcs(batch_node + pair_b, empty, empty, empty, empty, 0, next_node)
    big = soft_ceiling + 1

    class_nodes = 2 + np.arange(count, dtype=np.int64)
    tails = np.concatenate(
        [
            [0],
            np.zeros(count, dtype=np.int64),
            2 + pair_k,
            layer.tails,
            batch_node + np.arange(batches_count),
        ]
    )
    heads = np.concatenate(
        [[1], class_nodes, layer.pair_head, layer.heads, np.ones(batches_count, dtype=np.int64)]
    )
    caps = np.concatenate([[total], size, pair_cap, layer.caps, capacity])
    unit_costs = np.concatenate(
        [
            [0],
            np.zeros(count, dtype=np.int64),
            -pair_p * big + pair_c,
            layer.costs,
            np.zeros(batches_count, dtype=np.int64),
        ]
    )
    flows = _solve_network(tails, heads, caps, unit_costs, layer.next_node, total)
    amounts = flows[1 + count : 1 + count + len(pair_b)]
    members = [classes[key] for key in keys]
    return int(np.sum(pair_p * amounts)), _assign(amounts, pair_k, pair_b, members)


def _assign(
    amounts: Any, pair_k: _Array, pair_b: _Array, members: list[list[int]]
) -> list[tuple[int, int]]:
    """Hand each class's flow to a batch out to the class's employees, in their order."""
    chosen: list[tuple[int, int]] = []
    taken = [0] * len(members)
    for j in np.flatnonzero(amounts).tolist():
        k = int(pair_k[j])
        amount = int(amounts[j])
        chosen.extend((e, int(pair_b[j])) for e in members[k][taken[k] : taken[k] + amount])
        taken[k] += amount
    return chosen


def _solve_network(
    tails: Any, heads: Any, caps: Any, unit_costs: Any, nodes: int, total: int
) -> Any:
    """Solve the min-cost flow from node 0 (supply ``total``) to node 1; the flow on each arc."""
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        caps.astype(np.int64),
        unit_costs.astype(np.int64),
    )
    supplies = np.zeros(nodes, dtype=np.int64)
    supplies[0] = total
    supplies[1] = -total
    flow.set_nodes_supplies(np.arange(nodes, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:  # pragma: no cover - a bounded transportation problem always solves
        raise RuntimeError(f"min-cost flow failed: {status}")
    return np.asarray(flow.flows(arcs))
