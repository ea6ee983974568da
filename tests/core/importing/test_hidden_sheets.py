"""Hidden sheets: a workbook often keeps an older draft of its table on a hidden sheet (Excel's
"Hide"), sometimes first and with more columns than the corrected visible copy. A person who
opens the file sees only the visible sheets, so the import reads a hidden sheet only when it is
named, or when no visible sheet holds the table (and then says the sheet is hidden); a hidden
sheet with the same table is named as hidden and never offered for import."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from kompeten.core import importing as imp
from kompeten.core.importing import engine
from kompeten.core.importing.reader import ReadError, _hidden_sent, read_file
from kompeten.people.models import Employee
from tests.core.importing.hidden import xlsx_hidden
from tests.core.importing.test_sheet_choice import Roster
from tests.people.importing import HEADERS, person

pytestmark = pytest.mark.django_db

Sheet = list[list[Any]]


class Scores(imp.Declaration):
    """Like the scores import: a person by NIP or by name, neither required alone."""

    key = "test-hidden-sheets-scores"
    label = "Uji nilai"
    fields = (
        imp.Field("nip", "NIP", ("NIP",)),
        imp.Field("name", "Nama", ("NAMA",)),
        imp.Field("unit", "Unit", ("UNIT KERJA",)),
        imp.Field("pre", "Pre-test", ("PRE TEST",)),
        imp.Field("note", "Keterangan", ("KETERANGAN",)),
    )

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        return {}


NIPS = ["198001012005011001", "198001012005011002"]
# the older draft: every pre-test 50, with the unit and remark columns the copy dropped
DRAFT: Sheet = [
    ["NIP", "NAMA", "UNIT KERJA", "PRE TEST", "KETERANGAN"],
    [NIPS[0], "Andi", "Dinas A", 50, ""],
    [NIPS[1], "Budi", "Dinas A", 50, ""],
]
CORRECTED: Sheet = [["NIP", "NAMA", "PRE TEST"], [NIPS[0], "Andi", 60], [NIPS[1], "Budi", 72]]
FULL: Sheet = [["NIP", "NAMA", "UNIT KERJA"], [NIPS[0], "Andi", "Dinas A"]]
SUMMARY: Sheet = [["REKAP"], [], ["UNIT KERJA", "JUMLAH"], ["Dinas A", 3]]


def _plan(declaration: imp.Declaration, data: bytes, world: Any, **kwargs: Any) -> engine.Plan:
    return imp.plan(declaration, data, "nilai.xlsx", instansi=world.instansi, user=None, **kwargs)


def test_a_hidden_draft_naming_more_columns_is_not_read_before_the_visible_sheet(world) -> None:
    data = xlsx_hidden([("Nilai (lama)", DRAFT), ("Nilai", CORRECTED)], hidden={"Nilai (lama)"})
    plan = _plan(Scores(), data, world)
    assert plan.sheet == "Nilai"
    assert [row.values["pre"] for row in plan.rows] == [60, 72]
    assert not any("tersembunyi" in note for note in plan.notes)


def test_a_hidden_sheet_with_the_required_columns_loses_to_a_visible_one_with_them() -> None:
    without_unit = [row[:2] for row in FULL]
    data = xlsx_hidden([("Lama", FULL), ("Data", without_unit)], hidden={"Lama"})
    assert engine.read_for(Roster(), data, "uji.xlsx").sheet == "Data"


def test_a_very_hidden_sheet_is_passed_over_as_a_hidden_one() -> None:
    data = xlsx_hidden(
        [("Nilai (lama)", DRAFT), ("Nilai", CORRECTED)], hidden=set(), very_hidden={"Nilai (lama)"}
    )
    assert engine.read_for(Scores(), data, "nilai.xlsx").sheet == "Nilai"


def test_a_hidden_sheet_with_the_same_table_is_named_as_hidden_and_not_offered(world) -> None:
    older = [*CORRECTED[:2], [NIPS[1], "Budi", 50]]
    data = xlsx_hidden([("Nilai (lama)", older), ("Nilai", CORRECTED)], hidden={"Nilai (lama)"})
    plan = _plan(Scores(), data, world)
    assert plan.sheet == "Nilai" and plan.alike == []
    assert plan.hidden_alike == [("Nilai (lama)", 2)]
    assert not any("impor juga lembar itu" in note for note in plan.notes)
    assert (
        "Lembar kerja 'Nilai (lama)' tersembunyi (tidak tampak saat berkas dibuka di Excel) dan "
        "memuat tabel dengan judul kolom yang sama (2 baris): lembar tersembunyi, biasanya "
        "salinan lama, tidak diimpor; bila memang perlu, unggah lagi dengan nama lembar itu."
    ) in plan.notes
    cli = _plan(Scores(), data, world, command_line=True)
    assert any(
        'impor lembar itu sendiri dengan opsi --sheet "Nilai (lama)" (--all-sheets '
        "melewatinya)." in note
        for note in cli.notes
    )


def test_a_visible_sheet_with_the_same_table_is_still_offered_beside_a_hidden_one(world) -> None:
    second = [*CORRECTED[:1], [NIPS[1], "Budi", 80]]
    sheets = [("Lama", CORRECTED), ("Semester I", CORRECTED), ("Semester II", second)]
    plan = _plan(Scores(), xlsx_hidden(sheets, hidden={"Lama"}), world)
    assert plan.sheet == "Semester I"
    assert plan.alike == [("Semester II", 1)] and plan.hidden_alike == [("Lama", 2)]


def test_a_hidden_sheet_named_is_read_and_said_to_be_hidden(world) -> None:
    data = xlsx_hidden([("Nilai (lama)", DRAFT), ("Nilai", CORRECTED)], hidden={"Nilai (lama)"})
    plan = _plan(Scores(), data, world, sheet="Nilai (lama)", command_line=True)
    assert plan.sheet == "Nilai (lama)"
    assert [row.values["pre"] for row in plan.rows] == [50, 50]
    assert (
        "Lembar kerja 'Nilai (lama)' yang dibaca tersembunyi di berkas ini (tidak tampak saat "
        "dibuka di Excel): pastikan memang lembar ini yang dimaksud, bukan salinan lama; lembar "
        "lain dibaca dengan opsi --sheet."
    ) in plan.notes


def test_a_table_only_on_a_hidden_sheet_is_read_and_said_to_be_hidden(world) -> None:
    data = xlsx_hidden([("Rekap", SUMMARY), ("Data", FULL)], hidden={"Data"})
    plan = _plan(Roster(), data, world)
    assert plan.sheet == "Data"
    assert any(
        note.startswith("Lembar kerja 'Data' yang dibaca tersembunyi di berkas ini")
        and note.endswith("untuk lembar lain, unggah lagi dengan nama lembarnya.")
        for note in plan.notes
    )


def test_the_hidden_sheets_come_through_the_child_process() -> None:
    data = xlsx_hidden(
        [("A", FULL), ("B", FULL), ("C", FULL)], hidden={"A"}, very_hidden=frozenset({"C"})
    )
    table = read_file(data, "uji.xlsx")
    assert table.sheet == "B" and table.hidden_sheets == ["A", "C"]


@pytest.mark.parametrize("sent", ["A", [1], ["Z"], [["A"]], {"A": 1}])
def test_hidden_sheets_the_child_did_not_send_as_its_sheet_names_are_a_broken_reading(
    sent: object,
) -> None:
    with pytest.raises(ReadError, match="hasil pembacaan rusak"):
        _hidden_sent(sent, ["A", "B"])


def test_hidden_sheets_are_kept_as_sent_when_they_are_sheet_names() -> None:
    assert _hidden_sent(None, ["A", "B"]) == []
    assert _hidden_sent(["B"], ["A", "B"]) == ["B"]


def _employee_sheet(rows: list[dict[str, object]], headers: list[str]) -> Sheet:
    def cell(value: object) -> object:
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day).strftime("%d-%m-%Y")
        return value

    return [headers, *([cell(row.get(h, "")) for h in headers] for row in rows)]


def test_the_employee_import_stores_the_visible_sheets_figures(world, tmp_path: Path) -> None:
    """The draft, first and hidden, still has the title columns the corrected copy dropped."""
    corrected = [person("ALFA-LAY", "Ani Terbaru"), person("ALFA-LAY", "Budi Terbaru")]
    draft = [{**row, "NAMA": f"{row['NAMA']} Lama", "PENDIDIKAN": "SMA"} for row in corrected]
    fewer = [h for h in HEADERS if h not in ("GELAR DEPAN", "GELAR BELAKANG")]
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(
        xlsx_hidden(
            [("Pegawai (lama)", _employee_sheet(draft, HEADERS)),
             ("Pegawai", _employee_sheet(corrected, fewer))],
            hidden={"Pegawai (lama)"},
        )
    )  # fmt: skip
    call_command("import_employees", str(path), "--instansi", "kota-uji")
    stored = Employee.objects.filter(nip__in=[row["NIP"] for row in corrected])
    assert sorted(stored.values_list("name", flat=True)) == ["Ani Terbaru", "Budi Terbaru"]
