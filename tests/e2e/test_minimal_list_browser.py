"""A Pemda whose SIMPEG gives only a daftar nominatif (NIP, Nama, Jabatan, Pangkat/Gol, Unit
Kerja, SKPD, under a title row) starts with it in a real browser, from an empty install: the
wizard reads birth date, sex and status from the NIP and the jenis jabatan from the post's name,
creates the OPD tree from Unit Kerja and SKPD, and says where education is still unknown.

The list is cut from the SIASN sample (tests/fixtures/bkpsdm-2025/), so its 300 rows and the 12
NIPs Excel damaged there are the sample's own."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from kompeten.core.models import ImportRun, Instansi
from kompeten.people.models import Employee, JabatanKind, Unit
from tests.e2e.setup_page import TOKEN_RE, preview_counts, submit_first_run
from tests.samples import nominatif_rows

PASSWORD = "Sawahlunto-Nominatif-2025"
HEADERS = ["NIP", "Nama", "Jabatan", "Pangkat/Gol", "Unit Kerja", "SKPD"]


def _nominatif(path: Path, sheets: dict[str, list[list[object]]] | None = None) -> Path:
    """A daftar nominatif as SIMPEG writes it: a title row, a blank row, then the table; one
    sheet, or one sheet an OPD (``sheets``)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in (sheets or {"Nominatif": nominatif_rows()}).items():
        sheet = book.create_sheet(name)
        sheet.append([f"DAFTAR NOMINATIF PNS {name.upper()} PEMERINTAH KOTA SAWAHLUNTO"])
        sheet.append([])
        sheet.append(HEADERS)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _start(page: Page, base_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    page.set_default_timeout(60_000)  # a busy machine; the counts are what is asserted
    page.goto(f"{base_url}/")
    submit_first_run(page, TOKEN_RE.findall(capsys.readouterr().err)[-1], PASSWORD)
    page.get_by_test_id("start-import").click()


@pytest.mark.django_db(transaction=True)
def test_a_minimal_simpeg_list_is_imported_through_the_wizard(
    live_server, page: Page, settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.VAR_DIR = tmp_path
    assert not Instansi.objects.exists()
    _start(page, live_server.url, capsys)

    # the upload page says which columns may be left out before anything is sent
    columns = page.get_by_test_id("import-columns")
    columns.locator("summary").click()
    expect(columns).to_contain_text("Boleh tidak ada bila nama jabatan menunjukkannya")
    page.locator("input[type=file]").set_input_files(str(_nominatif(tmp_path / "nominatif.xlsx")))
    page.get_by_label("Buat unit kerja yang belum ada dari kolom UNOR (ID, nama, induk)").check()
    page.get_by_test_id("import-upload").click()
    page.get_by_test_id("import-mapping").click()
    assert preview_counts(page) == {"rows": 300, "clean": 288, "problems": 0, "pending": 12}
    page.get_by_test_id("import-partial").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("selesai")
    expect(page.get_by_test_id("result-pending")).to_have_text("12")

    # what the NIP and the post's name say was stored: the sample's Kepala Dinas Dukcapil
    head = Employee.objects.get(nip="196909041996011001")
    assert (head.birth_date, head.sex, head.status) == (date(1969, 9, 4), "L", "PNS")
    assert head.jabatan_kind == JabatanKind.JPT and head.education == ""
    assert head.unit.name == "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
    assert Employee.objects.count() == 288 and Unit.objects.filter(parent=None).count() > 1

    page.goto(f"{live_server.url}/pegawai/{head.pk}/")
    expect(page.locator("dl")).to_contain_text("belum tercatat")
    page.goto(f"{live_server.url}/laporan/ip-asn/")
    expect(page.get_by_test_id("ip-without-education")).to_contain_text(
        "288 pegawai belum tercatat pendidikannya"
    )


@pytest.mark.django_db(transaction=True)
def test_a_list_with_one_sheet_an_opd_is_imported_sheet_after_sheet(
    live_server, page: Page, settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three OPDs, one sheet each: one upload, then each next sheet as the result page offers
    it, its options kept; each sheet is its own preview, commit and run."""
    settings.VAR_DIR = tmp_path
    by_opd: dict[str, list[list[object]]] = {}
    for row in nominatif_rows():
        by_opd.setdefault(str(row[5]), []).append(row)
    chosen = sorted(by_opd, key=lambda opd: -len(by_opd[opd]))[:3]
    sheets = {opd[:31]: by_opd[opd] for opd in chosen}
    workbook = _nominatif(tmp_path / "nominatif-per-opd.xlsx", sheets)
    _start(page, live_server.url, capsys)

    page.locator("input[type=file]").set_input_files(str(workbook))
    page.get_by_label("Buat unit kerja yang belum ada dari kolom UNOR (ID, nama, induk)").check()
    page.get_by_test_id("import-upload").click()
    page.get_by_test_id("import-mapping").click()
    for n, (name, rows) in enumerate(sheets.items()):
        expect(page.get_by_text(f"Lembar kerja: {name}.")).to_be_visible()
        counts = preview_counts(page)
        assert counts["rows"] == len(rows) and counts["problems"] == 0, name
        (
            page.get_by_test_id("import-all")
            if not counts["pending"]
            else page.get_by_test_id("import-partial")
        ).click()
        expect(page.get_by_test_id("result-imported")).to_have_text(str(counts["clean"]))
        if n == len(sheets) - 1:
            expect(page.get_by_test_id("next-sheet")).to_have_count(0)
            break
        following = list(sheets)[n + 1]
        expect(page.get_by_test_id("next-sheet")).to_contain_text(following)
        page.get_by_test_id("next-sheet-link").click()
        expect(page.get_by_test_id("next-sheet-name")).to_contain_text(following)
        expect(
            page.get_by_label("Buat unit kerja yang belum ada dari kolom UNOR (ID, nama, induk)")
        ).to_be_checked()
        page.get_by_test_id("next-sheet-go").click()

    runs = list(ImportRun.objects.order_by("pk"))
    assert [run.counts["rows"] for run in runs] == [len(rows) for rows in sheets.values()]
    stored = Employee.objects.count()
    assert stored == sum(run.counts["imported"] for run in runs) > 0
    assert set(Unit.objects.filter(parent=None).values_list("name", flat=True)) == set(chosen)
