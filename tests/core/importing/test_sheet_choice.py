"""Which sheet of a workbook an import reads: the one named; else the sheet naming the most
required columns, then the most known columns (an earlier sheet on a tie); and which other
sheets hold the same table."""

from __future__ import annotations

from typing import Any

import pytest

from kompeten.core import importing as imp
from kompeten.core.importing import engine
from kompeten.core.models import ImportMapping
from tests.workbooks import xlsx_sheets

pytestmark = pytest.mark.django_db

Sheet = list[list[Any]]


class Roster(imp.Declaration):
    key = "test-sheet-choice"
    label = "Uji"
    fields = (
        imp.Field("nip", "NIP", ("NIP",), required=True),
        imp.Field("name", "Nama", ("NAMA",), required=True),
        imp.Field("unit", "Unit", ("UNIT KERJA",)),
    )

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        return {}


SUMMARY: Sheet = [["REKAP"], [], ["UNIT KERJA", "JUMLAH"], ["Dinas A", 3]]
NAMES_ONLY: Sheet = [["NAMA", "UNIT KERJA"], ["Andi", "Dinas A"]]
FULL: Sheet = [["NIP", "NAMA", "UNIT KERJA"], ["198001012005011001", "Andi", "Dinas A"]]


def _sheet(sheets: list[tuple[str, Sheet]], **kwargs: Any) -> str:
    return engine.read_for(Roster(), xlsx_sheets(sheets), "uji.xlsx", **kwargs).sheet


def test_the_data_sheet_is_read_after_a_summary_sheet() -> None:
    assert _sheet([("Rekap", SUMMARY), ("Data", FULL)]) == "Data"


def test_the_sheet_naming_the_most_required_columns_wins_and_the_earlier_on_a_tie() -> None:
    assert _sheet([("Rekap", SUMMARY), ("Nama", NAMES_ONLY), ("Data", FULL)]) == "Data"
    assert _sheet([("Rekap", SUMMARY), ("Nama", NAMES_ONLY), ("Lagi", NAMES_ONLY)]) == "Nama"
    assert _sheet([("Rekap", SUMMARY), ("Kosong", [])]) == "Rekap"


def test_each_sheet_is_read_once_and_those_with_the_same_header_are_named(monkeypatch) -> None:
    """A year exported as "Semester I" and "Semester II": the first is read, the second named
    (with its rows), so that half a year is never taken for the whole without a word."""
    reads: list[str | None] = []
    real = engine.read

    def counting(data: bytes, filename: str, sheet: str | None = None) -> Any:
        reads.append(sheet)
        return real(data, filename, sheet)

    monkeypatch.setattr(engine, "read", counting)
    second = [*FULL, ["198001012005011002", "Budi", "Dinas B"]]
    sheets = [("Semester I", FULL), ("Rekap", SUMMARY), ("Semester II", second)]
    table = engine.read_for(Roster(), xlsx_sheets(sheets), "uji.xlsx")
    assert table.sheet == "Semester I" and reads == [None, "Rekap", "Semester II"]
    assert table.alike == [("Semester II", 2)]
    assert engine.read_for(Roster(), xlsx_sheets(sheets), "uji.xlsx", sheet="Rekap").alike == []


def test_the_plan_says_which_sheets_with_the_same_table_it_did_not_read(world) -> None:
    sheets = [("Semester I", FULL), ("Semester II", FULL)]
    data = xlsx_sheets(sheets)
    plan = imp.plan(Roster(), data, "uji.xlsx", instansi=world.instansi, user=None)
    assert (
        "Lembar kerja 'Semester II' memuat tabel dengan judul kolom yang sama (1 baris) dan "
        "tidak ikut dibaca dalam impor ini: impor juga lembar itu (setelah impor ini "
        "disimpan, lembar itu ditawarkan tanpa mengunggah lagi)."
    ) in plan.notes
    cli = imp.plan(
        Roster(), data, "uji.xlsx", instansi=world.instansi, user=None, command_line=True
    )
    assert any('(opsi --sheet "Semester II", atau --all-sheets)' in n for n in cli.notes)


class Scores(imp.Declaration):
    """Like the scores import: a person by NIP or by name, neither required alone."""

    key = "test-sheet-choice-scores"
    label = "Uji nilai"
    fields = (
        imp.Field("nip", "NIP", ("NIP",)),
        imp.Field("name", "Nama", ("NAMA",)),
        imp.Field("pre", "Pre-test", ("PRE TEST",)),
    )

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        return {}


def test_without_a_required_column_the_sheet_naming_the_most_columns_wins() -> None:
    chart: Sheet = [["Grafik nilai"], ["lihat lembar Nilai"]]
    scores: Sheet = [["NIP", "NAMA", "PRE TEST"], ["198001012005011001", "Andi", 60]]
    data = xlsx_sheets([("Grafik", chart), ("Nilai", scores)])
    assert engine.read_for(Scores(), data, "nilai.xlsx").sheet == "Nilai"


def test_a_sheet_named_is_read_as_named() -> None:
    assert _sheet([("Rekap", SUMMARY), ("Data", FULL)], sheet="Rekap") == "Rekap"


def test_the_instansis_remembered_mapping_counts(world) -> None:
    renamed: Sheet = [["Nomor Induk", "Nama Lengkap"], ["198001012005011001", "Andi"]]
    sheets = [("Rekap", SUMMARY), ("Pegawai", renamed), ("Nama", NAMES_ONLY)]
    assert _sheet(sheets, instansi=world.instansi) == "Nama"
    ImportMapping.objects.create(
        instansi=world.instansi,
        declaration=Roster.key,
        source="",
        mapping={"Nomor Induk": "nip", "Nama Lengkap": "name"},
    )
    assert _sheet(sheets, instansi=world.instansi) == "Pegawai"
