"""The `kompeten` script joins two-word subcommands into management commands."""

from __future__ import annotations

import pytest

from kompeten.cli import GroupHelp, _resolve, main


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


def _group_help_of(argv: list[str]) -> GroupHelp:
    with pytest.raises(GroupHelp) as raised:
        _resolve(argv)
    return raised.value


def test_a_group_word_alone_lists_its_kinds_as_an_error() -> None:
    help_ = _group_help_of(["kompeten", "import"])
    assert not help_.asked
    kinds = [line.split()[0] for line in help_.text.splitlines() if line.startswith("  ")]
    assert kinds[:4] == ["complaints", "discipline", "duties", "employees"]
    assert "required-levels" in kinds and "skm-summary" in kinds
    assert "  employees        Impor Pegawai (SIASN)" in help_.text


def test_help_on_a_group_word_is_asked_for() -> None:
    help_ = _group_help_of(["kompeten", "import", "--help"])
    assert help_.asked
    assert help_.text.startswith("Pemakaian: kompeten import JENIS")


def test_an_unknown_kind_is_named() -> None:
    help_ = _group_help_of(["kompeten", "import", "pegawai", "f.xlsx"])
    assert help_.text.splitlines()[0] == "Jenis 'pegawai' tidak dikenal untuk 'kompeten import'."


def test_the_script_prints_the_kinds_and_exits(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["kompeten", "import", "-h"])
    assert exited.value.code == 0
    assert "  skm " in capsys.readouterr().out
    with pytest.raises(SystemExit) as exited:
        main(["kompeten", "import"])
    assert exited.value.code == 2
    assert "jenis yang tersedia" in capsys.readouterr().err
