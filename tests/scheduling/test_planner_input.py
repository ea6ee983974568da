"""Bad planner input raises PlannerInputError naming the item, in English and Indonesian."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from kompeten.scheduling.planner import PlannerInputError, load_instance
from tests.scheduling.test_planner import batch, employee, rule, span


def valid() -> dict[str, Any]:
    return {
        "programmes": ["PP", "LD"],
        "batches": [
            batch("PP-1", "PP", 2, (0, 8, 12), (1, 8, 12)),
            batch("LD-1", "LD", 2, (2, 8, 12)),
        ],
        "employees": [
            employee("ani", "loket", {"PP": 3}, span(3, 0, 0, end_day=4)),
            employee("budi", "loket", {"LD": 1}),
        ],
        "staffing": [rule("loket", 0, 8, 12, 1)],
        "current": [{"nip": "ani", "batch": "PP-1"}],
        "locked": [{"nip": "budi", "batch": "LD-1"}],
    }


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _append(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data[key].append(value)

    return change


CASES = [
    (
        "unknown batch in the current plan",
        _set(["current", 0, "batch"], "PP-9"),
        "current[0]",
        "PP-9",
    ),
    ("unknown nip in a lock", _set(["locked", 0, "nip"], "zaki"), "locked[0]", "zaki"),
    (
        "unknown programme of a need",
        _set(["employees", 1, "needs", 0, "programme"], "XX"),
        "employees[1]",
        "XX",
    ),
    (
        "unknown programme of a batch",
        _set(["batches", 1, "programme"], "XX"),
        "batches[1] (id 'LD-1')",
        "XX",
    ),
    (
        "session ending before it starts",
        _set(["batches", 0, "sessions", 1], span(1, 12, 8)),
        "batches[0] (id 'PP-1').sessions[1]",
        "not after start",
    ),
    (
        "session of zero length",
        _set(["batches", 0, "sessions", 1], span(1, 8, 8)),
        "batches[0] (id 'PP-1').sessions[1]",
        "not after start",
    ),
    (
        "overlapping sessions within one batch",
        _set(["batches", 0, "sessions", 1], span(0, 11, 13)),
        "batches[0] (id 'PP-1')",
        "overlap",
    ),
    (
        "negative capacity",
        _set(["batches", 0, "capacity"], -1),
        "batches[0] (id 'PP-1')",
        "capacity",
    ),
    (
        "zero priority",
        _set(["employees", 0, "needs", 0, "priority"], 0),
        "employees[0] (nip 'ani').needs[0]",
        "priority",
    ),
    (
        "boolean priority",
        _set(["employees", 0, "needs", 0, "priority"], True),
        "employees[0] (nip 'ani').needs[0]",
        "priority",
    ),
    (
        "duplicate nip",
        _set(["employees", 1, "nip"], "ani"),
        "employees[1] (nip 'ani')",
        "duplicate nip",
    ),
    (
        "duplicate batch id",
        _set(["batches", 1, "id"], "PP-1"),
        "batches[1] (id 'PP-1')",
        "duplicate batch id",
    ),
    (
        "negative min_present",
        _set(["staffing", 0, "min_present"], -1),
        "staffing[0]",
        "min_present",
    ),
    (
        "staffing rule of an unknown unit",
        _set(["staffing", 0, "unit"], "lokett"),
        "staffing[0]",
        "lokett",
    ),
    (
        "unavailability ending before it starts",
        _set(["employees", 0, "unavailable", 0], span(4, 0, 0, end_day=3)),
        "employees[0] (nip 'ani').unavailable[0]",
        "not after start",
    ),
    (
        "lock on a programme the employee does not need",
        _set(["locked", 0, "batch"], "PP-1"),
        "locked[0]",
        "does not need",
    ),
    (
        "a programme listed twice for one employee",
        _set(["employees", 0, "needs"], [{"programme": "PP", "priority": 1}] * 2),
        "employees[0] (nip 'ani').needs[1]",
        "twice",
    ),
    (
        "a date that is not ISO-8601",
        _set(["staffing", 0, "start"], "Senin pagi"),
        "staffing[0].start",
        "ISO-8601",
    ),
    ("an unknown top-level key", _set(["stafing"], []), "instance", "stafing"),
    ("an unknown weight", _set(["weights"], {"speed": 1}), "weights", "speed"),
    (
        "a preferred batch that does not exist",
        _set(["employees", 0, "preferences"], {"batches": ["PP-7"]}),
        "employees[0] (nip 'ani').preferences.batches",
        "PP-7",
    ),
    (
        "a batch without sessions",
        _set(["batches", 0, "sessions"], []),
        "batches[0] (id 'PP-1')",
        "no sessions",
    ),
    ("employees that are not a list", _set(["employees"], {"ani": 1}), "employees", "list"),
]


@pytest.mark.parametrize(
    ("change", "item", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_raises_with_the_item_named(change, item, words):
    data = copy.deepcopy(valid())
    change(data)
    with pytest.raises(PlannerInputError) as raised:
        load_instance(data)
    error = raised.value
    assert error.item.startswith(item)
    assert words in str(error)
    assert error.pesan and error.pesan != error.message
    assert isinstance(error, ValueError)


def test_the_valid_base_case_loads():
    instance = load_instance(valid())
    assert [b.id for b in instance.batches] == ["PP-1", "LD-1"]


def test_a_need_without_a_programme_list_is_not_an_error_but_an_unmet_need():
    data = valid()
    del data["programmes"]
    data["employees"][1]["needs"].append({"programme": "ARS", "priority": 2})
    instance = load_instance(data)
    assert {n.programme for n in instance.employees[1].needs} == {"LD", "ARS"}
