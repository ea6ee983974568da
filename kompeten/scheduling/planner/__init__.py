"""The training planner: assign ASN to training batches without leaving a service counter short.

A pure package (no Django): it reads plain dataclasses or the JSON interchange described in
docs/planner.md and returns a :class:`Plan`. The Django side turns models into an
:class:`Instance` and stores the plan.

>>> from kompeten.scheduling.planner import load_instance, solve, check_plan
>>> plan = solve(load_instance(data), time_limit=30)      # doctest: +SKIP
>>> check_plan(instance, plan).ok                         # doctest: +SKIP
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kompeten.scheduling.planner.errors import PlannerInputError
from kompeten.scheduling.planner.greedy import greedy_plan
from kompeten.scheduling.planner.io import (
    instance_to_json,
    load_instance,
    plan_from_json,
    plan_to_json,
    read_instance,
    validate_instance,
)
from kompeten.scheduling.planner.model import (
    Assignment,
    Batch,
    Blocker,
    Employee,
    InfeasibleRule,
    Instance,
    Interval,
    Need,
    Peak,
    Plan,
    Preferences,
    StaffingRule,
    Unassigned,
    Violation,
    Weights,
)
from kompeten.scheduling.planner.state import PlanCheck, alternatives, check_plan

if TYPE_CHECKING:
    from kompeten.scheduling.planner.solver import DEFAULT_TIME_LIMIT, solve


def __getattr__(name: str) -> Any:
    """The solver is imported on first use: it loads OR-Tools (and pandas, 0,7 s), which the
    rest of the package, and every process that only reads the planner's dataclasses (an import
    of duties, a page), does not need."""
    if name in ("DEFAULT_TIME_LIMIT", "solve"):
        from kompeten.scheduling.planner import solver

        return getattr(solver, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_TIME_LIMIT",
    "Assignment",
    "Batch",
    "Blocker",
    "Employee",
    "InfeasibleRule",
    "Instance",
    "Interval",
    "Need",
    "Peak",
    "Plan",
    "PlanCheck",
    "PlannerInputError",
    "Preferences",
    "StaffingRule",
    "Unassigned",
    "Violation",
    "Weights",
    "alternatives",
    "check_plan",
    "greedy_plan",
    "instance_to_json",
    "load_instance",
    "plan_from_json",
    "plan_to_json",
    "read_instance",
    "solve",
    "validate_instance",
]
