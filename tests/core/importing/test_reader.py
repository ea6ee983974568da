"""The bounded reader: every row from A1, CSV encodings and delimiters, and hostile files
refused with an Indonesian message before (or while) parsing. No database, no timing."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest
import xlsxwriter

from kompeten.core.importing import hostile
from kompeten.core.importing.reader import Limits, ReadError, _merged_sent, read_file


def _xlsx(cells: dict[str, object], sheets: tuple[str, ...] = ("Data",)) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name in sheets:
        sheet = book.add_worksheet(name)
        for ref, value in cells.items():
            sheet.write(ref, value)
    book.close()
    return buffer.getvalue()


def test_a_workbook_is_read_from_a1_so_row_numbers_are_excels() -> None:
    data = _xlsx({"B3": "NIP", "C3": "Nama", "B4": "198001012005011001", "C4": 4.5})
    table = read_file(data, "pegawai.xlsx")
    assert table.sheet == "Data" and table.sheet_names == ["Data"]
    assert table.rows[2][1:] == ["NIP", "Nama"]  # Excel row 3
    assert table.rows[3][1:] == ["198001012005011001", 4.5]
    assert table.rows[0] == [None, None, None]


def test_a_named_sheet_is_read_and_an_unknown_one_refused() -> None:
    data = _xlsx({"A1": "x"}, sheets=("Satu", "Dua"))
    assert read_file(data, "a.xlsx", sheet="Dua").sheet == "Dua"
    with pytest.raises(ReadError, match="Lembar kerja 'Tiga' tidak ada"):
        read_file(data, "a.xlsx", sheet="Tiga")


def test_dates_survive_the_child_process() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_datetime(
        "A1", datetime(2025, 6, 26, 14, 31), book.add_format({"num_format": "d/m/yyyy hh:mm"})
    )
    book.close()
    assert read_file(buffer.getvalue(), "t.xlsx").rows[0][0] == datetime(2025, 6, 26, 14, 31)


@pytest.mark.parametrize(
    ("encoded", "delimiter"),
    [
        ("\ufeffNama;Unit\nAndi Ŝ;Dinas Kesehatan\n".encode(), ";"),
        ("Nama,Unit\nAndi Ŝ,Dinas Kesehatan\n".encode(), ","),
        ("Nama\tUnit\nAndi Ŝ\tDinas Kesehatan\n".encode("utf-16"), "\t"),
        ("Nama|Unit\nAndi Ŝ|Dinas Kesehatan\n".encode(), "|"),
    ],
)
def test_csv_encodings_and_delimiters_are_detected(encoded: bytes, delimiter: str) -> None:
    rows = read_file(encoded, "data.csv").rows
    assert rows == [["Nama", "Unit"], ["Andi Ŝ", "Dinas Kesehatan"]]


def test_a_windows_1252_csv_is_read() -> None:
    data = "Nama;Keterangan\nJosé;Café 3½\n".encode("cp1252")
    assert read_file(data, "data.csv").rows[1] == ["José", "Café 3½"]


def test_the_far_cell_workbook_is_refused_before_parsing() -> None:
    data = hostile.far_cell_workbook()
    assert len(data) < 4096
    with pytest.raises(ReadError) as exc:
        read_file(data, "hostile.xlsx")
    assert "A1:XFD1048576" in exc.value.message and "Ctrl+End" in exc.value.message


def test_the_child_process_refuses_what_the_checks_let_through() -> None:
    # with the dimension check lifted, the child's memory limit still stops the parse
    limits = Limits(max_cells=10**12, child_memory_bytes=256 * 1024 * 1024)
    with pytest.raises(ReadError, match="memori melebihi batas 256,0 MB"):
        read_file(hostile.far_cell_workbook(), "hostile.xlsx", limits=limits)


def test_a_zip_bomb_is_refused_by_its_ratio() -> None:
    data = hostile.zip_bomb_workbook(64 * 1024 * 1024)
    with pytest.raises(ReadError) as exc:
        read_file(data, "bomb.xlsx")
    assert "bom zip" in exc.value.message and "sheet1.xml" in exc.value.message


def test_a_zip_bomb_that_lies_about_its_size_is_refused() -> None:
    data = hostile.zip_bomb_workbook(64 * 1024 * 1024)
    declared = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").file_size
    patched = data.replace(declared.to_bytes(4, "little"), (1024).to_bytes(4, "little"))
    with pytest.raises(ReadError, match="tidak sesuai keterangannya"):
        read_file(patched, "bomb.xlsx")


def test_unpacked_size_and_file_size_are_limited() -> None:
    data = _xlsx({"A1": "x" * 2000})
    with pytest.raises(ReadError, match="setelah dibuka"):
        read_file(data, "a.xlsx", limits=Limits(max_unpacked_bytes=1000))
    with pytest.raises(ReadError, match="Berkas terlalu besar"):
        read_file(data, "a.xlsx", limits=Limits(max_file_bytes=100))


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"hello", "a.pdf", "tidak didukung"),
        (b"   ", "a.csv", "kosong"),
        (b"not a zip", "a.xlsx", "bukan lembar kerja yang sah"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a.xlsx", "kata sandi"),
        (b"PK\x03\x04garbage", "a.xlsx", "rusak"),
    ],
)
def test_unreadable_files_get_an_indonesian_message(data: bytes, name: str, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        read_file(data, name)


def _merged_xlsx() -> bytes:
    """A title merged across, and a unit's name merged down its three rows (A3:A5)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    sheet.merge_range("A1:C1", "Daftar")
    sheet.write_row("A2", ["Unit", "Nama", "Nilai"])
    sheet.merge_range("A3:A5", "Dinas Alfa")
    for row, (name, value) in enumerate([("Ani", 1), ("Budi", 2), ("Citra", 3)], start=2):
        sheet.write(row, 1, name)
        sheet.write(row, 2, value)
    book.close()
    return buffer.getvalue()


def test_cells_merged_down_are_named_through_the_child_process() -> None:
    table = read_file(_merged_xlsx(), "merged.xlsx")
    assert table.merged_down == [(2, 0, 4)]  # the title merged across is no such cell
    assert [row[0] for row in table.rows[2:]] == ["Dinas Alfa", None, None]


@pytest.mark.parametrize(
    "sent", ["x", {"a": 1}, [[1, 2]], [[3, 0, 1]], [[-1, 0, 2]], [[0, "1", 2]], [[0, 1.0, 2]]]
)
def test_merged_ranges_the_child_did_not_send_whole_are_a_broken_reading(sent: object) -> None:
    with pytest.raises(ReadError, match="hasil pembacaan rusak"):
        _merged_sent(sent, rows=10)


def test_merged_ranges_are_kept_within_the_rows_sent() -> None:
    assert _merged_sent(None, rows=10) == []
    assert _merged_sent([[2, 0, 40], [12, 1, 14]], rows=10) == [(2, 0, 9)]
