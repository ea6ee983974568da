"""Which sheet of a workbook an import reads: the one named; else the first when its header names
every required column; else the sheet naming the most of them (an earlier sheet on a tie)."""

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


def test_a_first_sheet_with_every_required_column_is_the_only_one_read(monkeypatch) -> None:
    reads: list[str | None] = []
    real = engine.read

    def counting(data: bytes, filename: str, sheet: str | None = None) -> Any:
        reads.append(sheet)
        return real(data, filename, sheet)

    monkeypatch.setattr(engine, "read", counting)
    assert _sheet([("Data", FULL), ("Salinan", FULL)]) == "Data"
    assert reads == [None]


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
