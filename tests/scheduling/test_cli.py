"""`kompeten plan solve INSTANCE.json --out PLAN.json [--time-limit S]`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

INSTANCE = {
    "batches": [
        {
            "id": "B1",
            "programme": "PRIMA",
            "capacity": 2,
            "sessions": [{"start": "2030-03-12T08:00", "end": "2030-03-12T12:00"}],
        },
        {
            "id": "B2",
            "programme": "PRIMA",
            "capacity": 2,
            "sessions": [{"start": "2030-03-12T13:00", "end": "2030-03-12T16:00"}],
        },
    ],
    "employees": [
        {
            "nip": f"10{i}",
            "unit": "LOKET",
            "needs": [{"programme": "PRIMA", "priority": 1 + i}],
            "unavailable": [],
        }
        for i in range(4)
    ],
    "staffing": [
        {"unit": "LOKET", "start": "2030-03-12T08:00", "end": "2030-03-12T12:00", "min_present": 3}
    ],
}


def test_the_command_writes_a_plan_that_keeps_the_counter_staffed(tmp_path: Path):
    instance = tmp_path / "instance.json"
    instance.write_text(json.dumps(INSTANCE))
    out = tmp_path / "plan.json"
    call_command("plan_solve", str(instance), "--out", str(out), "--time-limit", "5")
    plan = json.loads(out.read_text())
    morning = [a for a in plan["assignments"] if a["batch"] == "B1"]
    assert len(morning) == 1 and len(plan["assignments"]) == 3
    assert plan["objective"] == 9 and plan["bound"] == 9  # priorities 4 + 3 + 2 placed; 1 left out
    assert [u["nip"] for u in plan["unassigned"]] == ["100"]


def test_bad_input_fails_with_a_clear_message(tmp_path: Path):
    bad = dict(
        INSTANCE,
        batches=[
            dict(
                INSTANCE["batches"][0],
                sessions=[
                    {"start": "2030-03-12T08:00", "end": "2030-03-12T12:00"},
                    {"start": "2030-03-12T11:00", "end": "2030-03-12T13:00"},
                ],
            )
        ],
    )
    instance = tmp_path / "bad.json"
    instance.write_text(json.dumps(bad))
    with pytest.raises(CommandError):
        call_command("plan_solve", str(instance), "--out", str(tmp_path / "plan.json"))
    assert not (tmp_path / "plan.json").exists()


def test_the_console_script_joins_plan_solve(tmp_path: Path):
    instance = tmp_path / "instance.json"
    instance.write_text(json.dumps(INSTANCE))
    out = tmp_path / "plan.json"
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "kompeten"),
            "plan",
            "solve",
            str(instance),
            "--out",
            str(out),
            "--time-limit",
            "5",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "KOMPETEN_TESTING": "true"},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["status"] in {"OPTIMAL", "FEASIBLE"}
