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

from kompeten.core.models import Instansi
from kompeten.people.models import Employee, JabatanKind, Unit
from tests.e2e.setup_page import TOKEN_RE, submit_first_run
from tests.samples import SIASN

PASSWORD = "Sawahlunto-Nominatif-2025"
HEADERS = ["NIP", "Nama", "Jabatan", "Pangkat/Gol", "Unit Kerja", "SKPD"]


def _nominatif(path: Path) -> Path:
    """The SIASN sample cut down to a daftar nominatif's six columns, as SIMPEG writes it: a
    title row, a blank row, then the table; SKPD is the OPD (the unit itself at the top)."""
    rows = list(openpyxl.load_workbook(SIASN, read_only=True).active.iter_rows(values_only=True))
    at = {name: i for i, name in enumerate(rows[3])}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DAFTAR NOMINATIF PEGAWAI NEGERI SIPIL PEMERINTAH KOTA SAWAHLUNTO"])
    sheet.append([])
    sheet.append(HEADERS)
    for row in rows[4:]:
        unit, parent = row[at["UNOR NAMA"]], row[at["UNOR INDUK NAMA"]]
        skpd = unit if parent.upper().startswith("PEMERINTAH") else parent
        cells = ("NIP BARU", "NAMA", "JABATAN NAMA", "GOL AKHIR NAMA")
        sheet.append([*(row[at[name]] for name in cells), unit, skpd])
    book.save(path)
    return path


@pytest.mark.django_db(transaction=True)
def test_a_minimal_simpeg_list_is_imported_through_the_wizard(
    live_server, page: Page, settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.VAR_DIR = tmp_path
    assert not Instansi.objects.exists()
    page.set_default_timeout(60_000)  # a busy machine; the counts are what is asserted
    page.goto(f"{live_server.url}/")
    submit_first_run(page, TOKEN_RE.findall(capsys.readouterr().err)[-1], PASSWORD)
    page.get_by_test_id("start-import").click()

    # the upload page says which columns may be left out before anything is sent
    columns = page.get_by_test_id("import-columns")
    columns.locator("summary").click()
    expect(columns).to_contain_text("Boleh tidak ada bila nama jabatan menunjukkannya")
    page.locator("input[type=file]").set_input_files(str(_nominatif(tmp_path / "nominatif.xlsx")))
    page.get_by_label("Buat unit kerja yang belum ada dari kolom UNOR (ID, nama, induk)").check()
    page.get_by_test_id("import-upload").click()
    page.get_by_test_id("import-mapping").click()
    counts = {
        key: int(page.get_by_test_id(f"count-{key}").inner_text().replace(".", ""))
        for key in ("rows", "clean", "problems", "pending")
    }
    assert counts == {"rows": 300, "clean": 288, "problems": 0, "pending": 12}
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
