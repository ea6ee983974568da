"""The planner package loads OR-Tools only when the solver is used: an import of duties or a
page that reads the planner's dataclasses does not pay its 0,7 s start-up."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(out.split())


def test_the_planners_dataclasses_come_without_ortools() -> None:
    loaded = _modules_after("from kompeten.scheduling.planner import Interval, check_plan")
    assert "kompeten.scheduling.planner.model" in loaded
    assert not any(m.startswith("ortools") for m in loaded)


def test_the_solver_is_there_when_asked_for() -> None:
    from kompeten.scheduling import planner
    from kompeten.scheduling.planner import solver

    assert planner.solve is solver.solve
    assert planner.DEFAULT_TIME_LIMIT == solver.DEFAULT_TIME_LIMIT
    loaded = _modules_after("from kompeten.scheduling.planner import solve")
    assert "ortools.sat.python.cp_model" in loaded
