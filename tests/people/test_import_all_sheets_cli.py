"""`kompeten import_employees FILE --all-sheets`: a daftar nominatif written one sheet an OPD
(with a rekap sheet beside them) is imported sheet after sheet from one command, one import run
a sheet; every sheet is checked before anything is written, so one sheet's problem writes
nothing at all."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kompeten.core.models import ImportRun
from kompeten.people.models import Employee, Unit
from tests.core.importing.hidden import xlsx_hidden
from tests.people.importing import HEADERS, person
from tests.workbooks import xlsx_sheets

REKAP = [["REKAP PEGAWAI PER OPD"], [], ["OPD", "JUMLAH"], ["Dinas Alfa", 2], ["Dinas Baru", 1]]


def _sheet(rows: list[dict[str, object]], headers: list[str] = HEADERS) -> list[list[object]]:
    def cell(value: object) -> object:
        return value.strftime("%d-%m-%Y") if isinstance(value, date) else value

    return [headers, *([cell(row.get(h, "")) for h in headers] for row in rows)]


def _workbook(tmp_path: Path, sheets: list[tuple[str, list[list[object]]]]) -> str:
    path = tmp_path / "nominatif-per-opd.xlsx"
    path.write_bytes(xlsx_sheets(sheets))
    return str(path)


def _import(path: str, *options: str) -> None:
    call_command("import_employees", path, "--instansi", "kota-uji", "--all-sheets", *options)


def _two_sheets(
    tmp_path: Path, first: list[dict[str, object]], second: list[dict[str, object]]
) -> str:
    return _workbook(tmp_path, [("Dinas Alfa", _sheet(first)), ("Dinas Alfa 2", _sheet(second))])


def _two_opds() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    return (
        [person("ALFA-LAY", "Ani Lembar Satu"), person("ALFA-LAY", "Budi Lembar Satu")],
        [person("ALFA-LAY", "Cici Lembar Dua")],
    )


def test_every_sheet_with_the_table_is_imported_one_run_a_sheet(world, tmp_path, capsys) -> None:
    first, second = _two_opds()
    path = _workbook(
        tmp_path,
        [("Rekap", REKAP), ("Dinas Alfa", _sheet(first)), ("Dinas Alfa 2", _sheet(second))],
    )
    _import(path)
    out = capsys.readouterr().out
    assert "Lembar kerja Dinas Alfa (1 dari 2):" in out
    assert "Lembar kerja Dinas Alfa 2 (2 dari 2):" in out
    assert out.count("baris diimpor") == 2
    assert "--sheet" not in out  # the sheets still to come are not notes telling to import them
    names = {r["NAMA"] for r in (*first, *second)}
    assert set(Employee.objects.filter(name__in=names).values_list("name", flat=True)) == names
    runs = ImportRun.objects.filter(declaration="employees").order_by("pk")
    assert [(run.counts["rows"], run.counts["imported"]) for run in runs] == [(2, 2), (1, 1)]


def test_a_later_sheet_finds_the_units_an_earlier_sheet_created(world, tmp_path, capsys) -> None:
    """Both sheets name the same new OPD: it is created once, by the first sheet's run."""
    headers = [h for h in HEADERS if h != "KODE UNIT"] + ["UNIT KERJA"]
    first, second = _two_opds()
    for row in (*first, *second):
        row["UNIT KERJA"], row["NIP ATASAN"] = "Dinas Baru", ""
    path = _workbook(tmp_path, [("A", _sheet(first, headers)), ("B", _sheet(second, headers))])
    _import(path, "--create-units")
    unit = Unit.objects.get(name="Dinas Baru")
    assert Employee.objects.filter(unit=unit).count() == 3


def test_one_sheets_problem_writes_nothing_and_names_its_sheet(world, tmp_path) -> None:
    first, second = _two_opds()
    second[0]["PENDIDIKAN"] = "Kursus"
    path = _two_sheets(tmp_path, first, second)
    with pytest.raises(CommandError) as refused:
        _import(path)
    message = str(refused.value)
    assert message.startswith("Tidak ada yang disimpan:\nLembar kerja Dinas Alfa 2:\n  Baris 2")
    assert "Pendidikan tidak dikenal" in message and "--partial" in message
    assert not ImportRun.objects.exists()
    assert not Employee.objects.filter(name__contains="Lembar").exists()


def test_with_partial_each_sheet_keeps_its_own_problem_rows_and_list(world, tmp_path) -> None:
    first, second = _two_opds()
    first[1]["PENDIDIKAN"] = second[0]["PENDIDIKAN"] = "Kursus"
    path = _two_sheets(tmp_path, first, second)
    problems = tmp_path / "masalah.xlsx"
    _import(path, "--partial", "--problems", str(problems))
    stored = Employee.objects.filter(name__contains="Lembar").values_list("name", flat=True)
    assert list(stored) == ["Ani Lembar Satu"]
    assert [run.counts["pending"] for run in ImportRun.objects.order_by("pk")] == [1, 1]
    for sheet in ("Dinas Alfa", "Dinas Alfa 2"):
        written = tmp_path / f"masalah - {sheet}.xlsx"
        rows = list(openpyxl.load_workbook(written).active.iter_rows(values_only=True))
        assert [row[0] for row in rows[1:]] == [3 if sheet == "Dinas Alfa" else 2]
    assert not problems.exists()


def test_a_dry_run_checks_every_sheet_and_writes_nothing(world, tmp_path, capsys) -> None:
    first, second = _two_opds()
    second[0]["PENDIDIKAN"] = "Kursus"
    path = _two_sheets(tmp_path, first, second)
    with pytest.raises(CommandError, match=r"^Pemeriksaan saja: 1 lembar akan ditolak\.$"):
        _import(path, "--dry-run")
    out = capsys.readouterr().out
    assert "Lembar kerja Dinas Alfa (1 dari 2):" in out
    assert "Pemeriksaan saja, tidak ada yang disimpan: 2 baris siap diimpor." in out
    assert "Lembar kerja Dinas Alfa 2 (2 dari 2):" in out and "Pendidikan tidak dikenal" in out
    assert not ImportRun.objects.exists()


def test_all_sheets_and_a_sheet_named_are_refused_together(world, tmp_path) -> None:
    first, second = _two_opds()
    path = _two_sheets(tmp_path, first, second)
    with pytest.raises(CommandError, match="jangan sebutkan --sheet"):
        _import(path, "--sheet", "Dinas Alfa")
    assert not ImportRun.objects.exists()


def test_a_workbook_with_one_such_sheet_is_imported_as_without_the_option(
    world, tmp_path, capsys
) -> None:
    first, _second = _two_opds()
    path = _workbook(tmp_path, [("Rekap", REKAP), ("Dinas Alfa", _sheet(first))])
    _import(path)
    out = capsys.readouterr().out
    assert "Lembar kerja dibaca: Dinas Alfa (satu dari 2 lembar" in out
    assert ImportRun.objects.get().counts["imported"] == 2


def test_hidden_sheets_with_the_table_are_skipped_and_named(world, tmp_path, capsys) -> None:
    """A hidden older draft of one OPD's sheet is never imported over the real rows."""
    first, second = _two_opds()
    draft = [{**row, "NAMA": f"{row['NAMA']} Lama"} for row in first]
    path = tmp_path / "nominatif-per-opd.xlsx"
    path.write_bytes(
        xlsx_hidden(
            [("Dinas Alfa (lama)", _sheet(draft)), ("Dinas Alfa", _sheet(first)),
             ("Dinas Alfa 2", _sheet(second))],
            hidden={"Dinas Alfa (lama)"},
        )
    )  # fmt: skip
    _import(str(path))
    out = capsys.readouterr().out
    assert "Lembar kerja tersembunyi tidak diimpor dengan --all-sheets: Dinas Alfa (lama)." in out
    assert "Lembar kerja Dinas Alfa (1 dari 2):" in out
    assert "Lembar kerja Dinas Alfa 2 (2 dari 2):" in out
    assert not Employee.objects.filter(name__endswith=" Lama").exists()
    names = {r["NAMA"] for r in (*first, *second)}
    assert set(Employee.objects.filter(name__in=names).values_list("name", flat=True)) == names
    assert ImportRun.objects.count() == 2


def test_a_hidden_sheet_alone_beside_the_table_is_skipped_and_named(
    world, tmp_path, capsys
) -> None:
    first, _second = _two_opds()
    draft = [{**row, "NAMA": f"{row['NAMA']} Lama"} for row in first]
    path = tmp_path / "nominatif.xlsx"
    path.write_bytes(
        xlsx_hidden([("Lama", _sheet(draft)), ("Dinas Alfa", _sheet(first))], hidden={"Lama"})
    )
    _import(str(path))
    out = capsys.readouterr().out
    assert "Lembar kerja tersembunyi tidak diimpor dengan --all-sheets: Lama." in out
    assert "Lembar kerja Dinas Alfa (1 dari 1):" in out
    assert not Employee.objects.filter(name__endswith=" Lama").exists()
    assert ImportRun.objects.get().counts["imported"] == 2
