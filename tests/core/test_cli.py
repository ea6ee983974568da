"""The `kompeten` script joins two-word subcommands into management commands."""

from __future__ import annotations

from kompeten.cli import _resolve


def test_it_joins_import_employees() -> None:
    assert _resolve(["kompeten", "import", "employees", "f.xlsx"]) == [
        "kompeten",
        "import_employees",
        "f.xlsx",
    ]


def test_it_leaves_a_plain_command_alone() -> None:
    assert _resolve(["kompeten", "migrate", "--no-input"]) == ["kompeten", "migrate", "--no-input"]


def test_it_leaves_an_unknown_pair_alone() -> None:
    assert _resolve(["kompeten", "demo", "extra"]) == ["kompeten", "demo", "extra"]
