"""`kompeten plan solve INSTANCE.json --out PLAN.json`: the function behind the command.

The management command only parses its arguments and calls :func:`solve_file`. The planner
itself (:mod:`kompeten.scheduling.planner`) is pure and speaks no language; here its plan is
written as JSON, for programs and the same in every language, and summed up for a person in the
active language (the command line's, kompeten/cli.py), its figures through
:mod:`kompeten.core.formatting`. A problem with the input is said in that language too: the
planner words each one in Indonesian and in English.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from django.utils import translation
from django.utils.translation import gettext, ngettext

from kompeten.core import formatting
from kompeten.scheduling.planner import Plan
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

    Returns 0 when a plan was written, 2 when the input is not valid (the problem is printed to
    standard error). A short summary goes to standard output, or to standard error when the plan
    itself does.
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        instance = read_instance(instance_path)
    except PlannerInputError as error:
        print(input_problem(error), file=err)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(gettext("Berkas tidak dapat dibaca: {error}").format(error=error), file=err)
        return EXIT_BAD_INPUT
    plan = solve(instance, time_limit)
    text = json.dumps(plan_to_json(plan), ensure_ascii=False, indent=1)
    if str(out_path) == "-":
        out.write(text + "\n")
        summary = err
    else:
        Path(out_path).write_text(text + "\n", encoding="utf-8")
        summary = out
    for line in summary_lines(plan):
        print(line, file=summary)
    return EXIT_OK


def input_problem(error: PlannerInputError) -> str:
    """What is wrong with the input, naming the item, in the reader's language."""
    indonesian = (translation.get_language() or "id").split("-")[0] == "id"
    return gettext("Masukan tidak valid — {item}: {problem}").format(
        item=error.item, problem=error.pesan if indonesian else error.message
    )


def summary_lines(plan: Plan) -> list[str]:
    """The plan in a line for a person (the solver's status as in the JSON, the needs placed,
    objective, bound, gap and time), then the staffing rules that fail through leave alone and
    the current assignments moved, when there are any."""
    needs = len(plan.unassigned) + len(plan.assignments)
    lines = [
        ngettext(
            "{status}: {placed} dari {needs} kebutuhan ditempatkan, objektif {objective}, "
            "batas {bound}, selisih {gap}, {seconds} detik",
            "{status}: {placed} dari {needs} kebutuhan ditempatkan, objektif {objective}, "
            "batas {bound}, selisih {gap}, {seconds} detik",
            needs,
        ).format(
            status=plan.status,
            placed=formatting.number(len(plan.assignments), 0),
            needs=formatting.number(needs, 0),
            objective=formatting.number(plan.objective, 0),
            bound=formatting.number(plan.bound, 0),
            gap=formatting.percent(plan.gap, 2, sign=" %"),
            seconds=formatting.number(plan.stats.get("seconds", 0), 1),
        )
    ]
    if plan.infeasible_rules:
        n = len(plan.infeasible_rules)
        lines.append(
            ngettext(
                "{n} aturan kehadiran sudah tidak terpenuhi karena cuti saja "
                "(lihat infeasible_rules)",
                "{n} aturan kehadiran sudah tidak terpenuhi karena cuti saja "
                "(lihat infeasible_rules)",
                n,
            ).format(n=formatting.number(n, 0))
        )
    if "moved" in plan.stats:
        moved = plan.stats["moved"]
        lines.append(
            ngettext(
                "{n} penugasan saat ini dipindah", "{n} penugasan saat ini dipindah", moved
            ).format(n=formatting.number(moved, 0))
        )
    return lines
