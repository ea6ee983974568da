"""Rows hidden in a sheet: a list filtered down to one OPD with Excel's AutoFilter, or rows
hidden by hand or under a collapsed outline, are still in the file. They are read (nothing in
the file is dropped unseen), and the preview says which rows were hidden, row by row and in a
note, so that a list filtered to one OPD is not imported whole without the user seeing it."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from django.core.management import call_command

from kompeten.core import importing as imp
from kompeten.core.importing.reader import ReadError, _rows_sent, read_file
from kompeten.people.models import Employee
from tests.core.importing.test_sheet_choice import Roster
from tests.people.importing import HEADERS, person

NIPS = [f"19800101200501100{n}" for n in range(1, 7)]
UNITS = ["Dinas A", "Dinas B", "Dinas A", "Dinas B", "Dinas B", "Dinas A"]
TABLE = [["NIP", "NAMA", "UNIT KERJA"], *([nip, f"Pegawai {n}", unit]
         for n, (nip, unit) in enumerate(zip(NIPS, UNITS, strict=True), start=1))]  # fmt: skip


def _filtered(rows: Sequence[Sequence[Any]], keep: str, sheet: str = "Pegawai") -> bytes:
    """The table with an AutoFilter on UNIT KERJA showing ``keep`` alone, written as Excel
    writes it: the filter on the header row, the other rows marked hidden."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Petunjuk").write(0, 0, "Isi tabel di lembar berikut.")
    worksheet = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        worksheet.write_row(r, 0, row)
    worksheet.autofilter(0, 0, len(rows) - 1, len(rows[0]) - 1)
    worksheet.filter_column_list(2, [keep])
    for r, row in enumerate(rows[1:], start=1):
        if row[2] != keep:
            worksheet.set_row(r, options={"hidden": True})
    worksheet.activate()
    book.close()
    return buffer.getvalue()


def test_rows_hidden_by_an_autofilter_are_named_by_the_reader() -> None:
    table = read_file(_filtered(TABLE, "Dinas A"), "pegawai.xlsx", sheet="Pegawai")
    # rows 3, 5 and 6 of the sheet (Dinas B), 0-based
    assert table.hidden_rows == [2, 4, 5]


def test_rows_hidden_by_hand_in_openpyxl_and_a_collapsed_outline_are_named(tmp_path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data & Rekap"  # a name written escaped in workbook.xml
    for row in TABLE:
        sheet.append(row)
    sheet.row_dimensions[2].hidden = True
    sheet.row_dimensions.group(5, 6, hidden=True, outline_level=1)
    path = tmp_path / "pegawai.xlsx"
    book.save(path)
    assert read_file(path.read_bytes(), "pegawai.xlsx").hidden_rows == [1, 4, 5]


def _rewritten(data: bytes, part: str, change: Any) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info)
            out.writestr(info, change(content) if info.filename == part else content)
    return buffer.getvalue()


def test_prefixed_tags_and_a_true_flag_are_read_as_other_writers_write_them() -> None:
    data = _filtered(TABLE, "Dinas A")

    def prefixed(xml: bytes) -> bytes:
        xml = xml.replace(b'hidden="1"', b"hidden='true'")
        return re.sub(rb"<(/?)(row|sheetData|c|v)\b", rb"<\1x:\2", xml)

    rewritten = _rewritten(data, "xl/worksheets/sheet2.xml", prefixed)
    rewritten = _rewritten(
        rewritten,
        "xl/worksheets/sheet2.xml",
        lambda xml: xml.replace(b"<worksheet ", b'<worksheet xmlns:x="' + _main_ns(xml) + b'" '),
    )
    table = read_file(rewritten, "pegawai.xlsx", sheet="Pegawai")
    assert table.hidden_rows == [2, 4, 5]
    assert [row[0] for row in table.rows[1:]] == NIPS


def _main_ns(xml: bytes) -> bytes:
    found = re.search(rb'xmlns="([^"]+)"', xml)
    assert found is not None
    return found.group(1)


ODF = "urn:oasis:names:tc:opendocument:xmlns"


def _ods(tables: Sequence[tuple[str, Sequence[tuple[Sequence[str], str]]]]) -> bytes:
    """An ODS as LibreOffice Calc writes one: each table's rows with their row attributes, and
    the rest of the sheet as one row tag repeated a million times."""
    body = []
    for name, rows in tables:
        body.append(f'<table:table table:name="{html.escape(name)}">')
        for cells, attrs in rows:
            text = "".join(
                f'<table:table-cell office:value-type="string"><text:p>{c}</text:p>'
                "</table:table-cell>"
                for c in cells
            )
            body.append(f"<table:table-row{attrs}>{text}</table:table-row>")
        body.append(
            '<table:table-row table:number-rows-repeated="1048000">'
            '<table:table-cell table:number-columns-repeated="3"/></table:table-row></table:table>'
        )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        f'xmlns:office="{ODF}:office:1.0" xmlns:table="{ODF}:table:1.0" '
        f'xmlns:text="{ODF}:text:1.0" office:version="1.2"><office:body><office:spreadsheet>'
        f"{''.join(body)}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        f'xmlns:manifest="{ODF}:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_rows_an_ods_filters_or_collapses_are_named_counting_repeated_rows() -> None:
    rows = [
        (TABLE[0], ""),
        (TABLE[1], ""),
        (TABLE[2], ' table:visibility="filter"'),
        (TABLE[3], ""),
        (TABLE[4], ' table:visibility="collapse" table:number-rows-repeated="2"'),
        (TABLE[6], ""),
    ]
    data = _ods([("Petunjuk & Isi", [(["Baca dulu"], ' table:visibility="collapse"')]),
                 ("Data & Rekap", rows)])  # fmt: skip
    table = read_file(data, "pegawai.ods", sheet="Data & Rekap")
    assert [row[0] for row in table.rows[1:]] == [*NIPS[:4], NIPS[3], NIPS[5]]
    assert table.hidden_rows == [2, 4, 5]


def test_a_workbook_without_hidden_rows_and_a_csv_name_none() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    worksheet = book.add_worksheet("Pegawai")
    for r, row in enumerate(TABLE):
        worksheet.write_row(r, 0, row)
    book.close()
    assert read_file(buffer.getvalue(), "pegawai.xlsx").hidden_rows == []
    text = "\n".join(";".join(row) for row in TABLE).encode()
    assert read_file(text, "pegawai.csv").hidden_rows == []


def test_the_hidden_rows_sent_by_the_child_are_whole_row_numbers() -> None:
    assert _rows_sent(None, 5) == []
    assert _rows_sent([1, 4, 9], 5) == [1, 4]
    for broken in ([1, "2"], [-1], [1.0], "1", {"1": 1}, [True]):
        with pytest.raises(ReadError):
            _rows_sent(broken, 5)


@pytest.mark.django_db
def test_the_preview_reads_the_hidden_rows_and_says_which_they_were(world) -> None:
    plan = imp.plan(
        Roster(), _filtered(TABLE, "Dinas A"), "pegawai.xlsx", instansi=world.instansi, user=None
    )
    assert [row.values["nip"] for row in plan.rows] == NIPS  # nothing dropped
    warned = [row.number for row in plan.rows if row.warnings]
    assert warned == [3, 5, 6]
    assert plan.rows[1].warnings == [
        "Baris ini tersembunyi di lembar kerja (disembunyikan atau tersaring)."
    ]
    assert (
        "3 baris data tersembunyi di lembar kerja (disembunyikan atau tersaring filter) ikut "
        "dibaca: baris 3, 5, 6. Bila baris itu tidak untuk diimpor, hapus dari berkas lalu "
        "unggah lagi."
    ) in plan.notes


@pytest.mark.django_db
def test_a_note_names_ten_hidden_rows_and_counts_the_rest(world) -> None:
    many = [TABLE[0], *([f"1980010120050110{n:02d}", f"P {n}", "Dinas B"] for n in range(14))]
    plan = imp.plan(
        Roster(),
        _filtered([*many, [NIPS[0], "Pegawai 1", "Dinas A"]], "Dinas A"),
        "pegawai.xlsx",
        instansi=world.instansi,
        user=None,
        command_line=True,
    )
    note = next(n for n in plan.notes if "tersembunyi" in n)
    assert "baris 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 dan 4 lainnya." in note
    assert note.endswith("hapus dari berkas lalu jalankan lagi.")


@pytest.mark.django_db
def test_the_employee_import_stores_the_hidden_rows_too(world, tmp_path: Path) -> None:
    rows = [person("ALFA-LAY", "Ani Tampak"), person("ALFA-LAY", "Budi Tersaring")]
    sheet = [HEADERS, *([row.get(h, "") for h in HEADERS] for row in rows)]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    worksheet = book.add_worksheet("Pegawai")
    for r, row in enumerate(sheet):
        worksheet.write_row(r, 0, [str(v) for v in row])
    worksheet.set_row(2, options={"hidden": True})
    book.close()
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(buffer.getvalue())
    out = io.StringIO()
    call_command("import_employees", str(path), "--instansi", "kota-uji", stdout=out)
    stored = Employee.objects.filter(nip__in=[row["NIP"] for row in rows])
    assert sorted(stored.values_list("name", flat=True)) == ["Ani Tampak", "Budi Tersaring"]
    assert "1 baris data tersembunyi" in out.getvalue()


def test_a_sheet_named_by_an_absolute_target_is_found() -> None:
    """Some writers name a sheet's part from the package root ("/xl/worksheets/…")."""
    data = _rewritten(
        _filtered(TABLE, "Dinas A"),
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            b'Target="worksheets/sheet2.xml"', b'Target="/xl/worksheets/sheet2.xml"'
        ),
    )
    assert read_file(data, "pegawai.xlsx", sheet="Pegawai").hidden_rows == [2, 4, 5]
