"""A refused upload is told in the reader's language: the refusal keeps its Indonesian message
id and its parameters, and is rendered when shown, its figures in that language's format, also
when the refusal comes from the child process that parses the file."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import zipfile

import pytest
import xlsxwriter
from django.conf import settings
from django.test import Client
from django.utils import translation

from kompeten.core.importing import hostile, reader
from kompeten.core.importing.reader import Limits, ReadError, read_file


def _refusal(data: bytes, filename: str, limits: Limits | None = None) -> ReadError:
    with pytest.raises(ReadError) as exc:
        read_file(data, filename, limits=limits)
    return exc.value


def test_a_refusal_is_shown_in_the_active_language_with_its_figures() -> None:
    refusal = _refusal(b"x" * 5_557_453, "data.csv", Limits(max_file_bytes=1_048_576))
    assert refusal.msgid == "Berkas terlalu besar ({size} MB); batasnya {limit} MB."
    with translation.override("id"):
        assert refusal.message == "Berkas terlalu besar (5,3 MB); batasnya 1,0 MB."
    with translation.override("en"):
        assert str(refusal) == "The file is too large (5.3 MB); the limit is 1.0 MB."


def test_the_far_cell_refusal_groups_its_counts_in_each_language() -> None:
    refusal = _refusal(hostile.far_cell_workbook(), "hostile.xlsx")
    assert refusal.params["ref"] == "A1:XFD1048576"
    assert (refusal.params["rows"], refusal.params["columns"]) == (1_048_576, 16_384)
    with translation.override("id"):
        shown = refusal.message
    assert "(1.048.576 baris × 16.384 kolom), melebihi batas 6.000.000 sel" in shown
    with translation.override("en"):
        shown = refusal.message
    assert "(1,048,576 rows × 16,384 columns), over the limit of 6,000,000 cells" in shown
    assert "Ctrl+End" in shown and "baris" not in shown


def test_a_refusal_from_the_child_process_arrives_with_its_parameters(caplog) -> None:
    caplog.set_level(logging.INFO, logger="kompeten.core.importing.reader")
    # the dimension check lifted: the child parses the hostile workbook and runs out of memory
    limits = Limits(max_cells=10**12, child_memory_bytes=256 * 1024 * 1024)
    refusal = _refusal(hostile.far_cell_workbook(), "hostile.xlsx", limits)
    assert refusal.params == {"limit": 256.0}
    with translation.override("en"):
        assert "more memory than the limit of 256.0 MB" in refusal.message
    # a workbook the child's reader cannot open is refused in the reader's language, without
    # the library's own (English) words
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "bukan lembar kerja")
    refusal = _refusal(buffer.getvalue(), "rusak.xlsx")
    assert refusal.msgid == (
        "Berkas tidak dapat dibaca sebagai lembar kerja XLSX, XLS atau ODS (mungkin rusak atau "
        "salah ekstensi)."
    )
    assert set(refusal.params) == {"detail"}  # calamine's own words, for the log only
    with translation.override("en"):
        assert refusal.message == (
            "The file cannot be read as an XLSX, XLS or ODS spreadsheet (it may be damaged or "
            "have the wrong extension)."
        )
    assert "the spreadsheet reader refused a file: " in caplog.text


def test_an_office_document_renamed_xlsx_is_named_as_what_it_is() -> None:
    def archive_of(*names: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in names:
                archive.writestr(name, "application/vnd.oasis.opendocument.text")
        return buffer.getvalue()

    word = _refusal(archive_of("[Content_Types].xml", "word/document.xml"), "daftar.xlsx")
    assert word.message.startswith("Berkas ini dokumen Word, bukan lembar kerja. Salin tabelnya")
    slides = _refusal(archive_of("ppt/presentation.xml"), "daftar.xlsx")
    assert slides.message.startswith("Berkas ini presentasi PowerPoint, bukan lembar kerja.")
    text = _refusal(archive_of("mimetype", "content.xml"), "daftar.ods")
    assert text.message == (
        "Berkas ini arsip ZIP yang tidak berisi lembar kerja XLSX atau ODS (mungkin salah "
        "ekstensi)."
    )
    with translation.override("en"):
        assert word.message.startswith("This file is a Word document, not a spreadsheet.")


def test_a_named_sheet_the_child_does_not_find_is_named_in_english() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Satu")
    book.add_worksheet("Dua")
    book.close()
    with pytest.raises(ReadError) as exc:
        read_file(buffer.getvalue(), "a.xlsx", sheet="Tiga")
    assert exc.value.params == {"sheet": "Tiga", "names": "Satu, Dua"}
    with translation.override("en"):
        assert exc.value.message == "There is no worksheet 'Tiga' (the file has: Satu, Dua)."


@pytest.mark.parametrize(
    "end",
    [
        {"error": "Berkas CSV rusak ({error}).", "params": {"error": ["not", "text"]}},
        {"error": "Berkas CSV rusak ({error}).", "params": "error"},
        {"error": 42, "params": {}},
    ],
)
def test_a_refusal_the_child_garbled_is_a_broken_result(end: dict[str, object]) -> None:
    got = reader._Received(received=True, end=end)
    with pytest.raises(ReadError) as exc:
        reader._child_table(got, 0, timed_out=False, limits=Limits())
    assert exc.value.msgid == "Berkas tidak dapat dibaca (hasil pembacaan rusak)."


def test_the_child_never_imports_django() -> None:
    child = subprocess.run(
        [sys.executable, "-I", "-X", "importtime", reader.__file__, str(2**30), "30", "a.csv", ""],
        input=b"Nama;Unit\nAndi;Alfa\n",
        capture_output=True,
        check=True,
    )
    assert b'"sheet"' in child.stdout
    assert b"django" not in child.stderr


def test_without_django_settings_a_refusal_is_indonesian() -> None:
    script = (
        "from kompeten.core.importing.reader import ReadError\n"
        "print(ReadError('{rows} baris, {size} MB, {sheet}', rows=1048576, size=5.3, sheet='A'))"
    )
    shown = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, check=True, text=True
    ).stdout
    assert shown == "1.048.576 baris, 5,3 MB, A\n"


@pytest.mark.django_db
def test_the_upload_page_refuses_a_hostile_file_in_the_users_language(world) -> None:
    client = Client()
    client.force_login(world.alice)
    pages = {}
    for language in ("id", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        f = io.BytesIO(hostile.far_cell_workbook())
        f.name = "x.xlsx"
        response = client.post("/impor/complaints/", {"file": f})
        assert response.status_code == 400
        pages[language] = response.content.decode()
    assert "1.048.576 baris × 16.384 kolom" in pages["id"]
    assert "1,048,576 rows × 16,384 columns" in pages["en"]
    assert "melebihi batas" not in pages["en"]
