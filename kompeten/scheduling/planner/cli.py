"""`kompeten plan solve INSTANCE.json OUT.json [--time-limit S]`: the function behind the command.

The management command only parses its arguments and calls :func:`solve_file`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from kompeten.scheduling.planner.errors import PlannerInputError
from kompeten.scheduling.planner.io import plan_to_json, read_instance
from kompeten.scheduling.planner.solver import solve

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def solve_file(
    instance_path: str | Path,
    out_path: str | Path,
    time_limit: float | None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Read an instance, plan it, write the plan as JSON (``-`` for standard output).

    Returns 0 when a plan was written, 2 when the input is not valid (the problem is printed,
    in Indonesian and English, to standard error). A short summary goes to standard output.
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        instance = read_instance(instance_path)
    except PlannerInputError as error:
        print(f"Masukan tidak valid — {error.item}: {error.pesan}", file=err)
        print(f"Invalid input — {error.item}: {error.message}", file=err)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"Berkas tidak dapat dibaca / cannot read file: {error}", file=err)
        return EXIT_BAD_INPUT
    plan = solve(instance, time_limit)
    text = json.dumps(plan_to_json(plan), ensure_ascii=False, indent=1)
    if str(out_path) == "-":
        out.write(text + "\n")
        summary = err
    else:
        Path(out_path).write_text(text + "\n", encoding="utf-8")
        summary = out
    needs = len(plan.unassigned) + len(plan.assignments)
    print(
        f"{plan.status}: {len(plan.assignments)} of {needs} needs placed, objective {plan.objective}, "
        f"bound {plan.bound}, gap {100 * (plan.gap or 0):.2f} %, {plan.stats.get('seconds', 0):.1f} s",
        file=summary,
    )
    if plan.infeasible_rules:
        print(
            f"{len(plan.infeasible_rules)} staffing rules fail through leave alone (see infeasible_rules)",
            file=summary,
        )
    if "moved" in plan.stats:
        print(f"{plan.stats['moved']} current assignments moved", file=summary)
    return EXIT_OK
