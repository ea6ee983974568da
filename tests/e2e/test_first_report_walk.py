"""Bringing its own data, walked in a real browser as a new BKPSDM user would: from an empty
install and the seven sample exports (tests/fixtures/bkpsdm-2025/) to the programme's report,
HTML and PDF, with no file edited and no shell. Each step is taken as a new user would take it:
the printed token, the next-steps page, and then the button each result page offers as the next
step.

The figures asserted are what a reader sees on the report page, as expected.md gives them
(Indonesian number format). The walk's duration is printed (no timed assertion)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from kompeten.core.models import Instansi
from tests.e2e.setup_page import TOKEN_RE, preview_counts, submit_first_run
from tests.samples import ATTENDANCE, LAPOR, REACTION, SCORES, SIASN, SKM_ESKM, SKM_GFORMS

TITLE = "Pelatihan Pelayanan Prima dan Etika Kerja ASN"
DISDUKCAPIL = "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
DPMPTSP = "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU"
PASSWORD = "Sawahlunto-BKPSDM-2025"


def _upload(page: Page, path: Path) -> None:
    """Step 1 of an import: the file is chosen (the options are filled by the caller first)."""
    expect(page.get_by_text("Langkah 1 dari 3")).to_be_visible()
    page.locator("input[type=file]").set_input_files(str(path))


def _to_preview(page: Page, source: str) -> dict[str, int]:
    """Upload → the recognised source on the mapping page → the preview's counts."""
    page.get_by_test_id("import-upload").click()
    expect(page.get_by_test_id("import-source")).to_contain_text(source)
    page.get_by_test_id("import-mapping").click()
    expect(page.get_by_test_id("import-counts")).to_be_visible()
    return preview_counts(page)


def _commit(page: Page, label: str) -> None:
    """Import everything when the file is clean, else the clean rows with the rest pending."""
    everything = page.get_by_test_id("import-all")
    if everything.count():
        everything.click()
    else:
        page.get_by_test_id("import-partial").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Impor {label}: selesai")


def _next(page: Page, label: str) -> None:
    """The result page's next step, as offered."""
    button = page.get_by_test_id("next-import")
    expect(button).to_have_text(f"Impor {label}")
    button.click()


def _row(table: Locator, *first_cells: str) -> list[str]:
    """The cells of the table row whose first cells are ``first_cells``."""
    for row in table.locator("tbody tr").all():
        cells = [c.strip() for c in row.locator("td").all_inner_texts()]
        if cells[: len(first_cells)] == list(first_cells):
            return cells
    raise AssertionError(f"no row {first_cells} in {table.inner_text()}")


@pytest.mark.django_db(transaction=True)
def test_from_an_empty_install_to_the_first_report_in_the_browser(
    live_server, page: Page, settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.VAR_DIR = tmp_path
    assert not Instansi.objects.exists()
    page.set_default_timeout(60_000)  # a busy machine; the figures are what is asserted
    started = time.monotonic()
    _first_run(page, live_server.url, capsys)
    _import_employees_and_attendance(page)
    _import_scores_and_reaction(page)
    _import_public_service(page)
    _read_the_report(page)
    _download_the_pdf(page, live_server.url)
    print(f"\nfirst report walk: {time.monotonic() - started:.1f} s in the browser")


def _first_run(page: Page, base_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    # --- first run: the printed token, the instansi and its admin ---------------------------
    page.goto(f"{base_url}/")
    expect(page.get_by_role("heading", name="Penyiapan pertama Kompeten")).to_be_visible()
    token = TOKEN_RE.findall(capsys.readouterr().err)[-1]
    submit_first_run(page, token, PASSWORD)
    expect(page.get_by_test_id("next-steps")).to_contain_text("langkah berikutnya")
    page.get_by_test_id("start-import").click()


def _import_employees_and_attendance(page: Page) -> None:
    # --- 1. employees (SIASN), the OPD tree created from its unit columns --------------------
    _upload(page, SIASN)
    page.get_by_label("Buat unit kerja yang belum ada dari kolom UNOR (ID, nama, induk)").check()
    counts = _to_preview(page, "SIASN")
    assert counts["rows"] == 300 and counts["problems"] == 0
    expect(page.get_by_test_id("import-units")).to_contain_text(DISDUKCAPIL)
    _commit(page, "Pegawai (SIASN)")

    # --- 2. the panitia's attendance list; the programme is created with it ----------------
    _next(page, "Daftar hadir pelatihan (sudah terlaksana)")
    _upload(page, ATTENDANCE)
    page.get_by_label("Kode program").fill("PRIMA-2025")
    page.get_by_label("Judul program baru").fill(TITLE)
    page.get_by_label("Tanggal mulai").fill("2025-06-24")
    page.get_by_label("Tanggal selesai").fill("2025-06-26")
    page.get_by_label("Total JP").fill("24")
    counts = _to_preview(page, "Daftar hadir panitia")
    assert counts["rows"] == 60 and counts["problems"] == 0
    _commit(page, "Daftar hadir pelatihan (sudah terlaksana)")


def _import_scores_and_reaction(page: Page) -> None:
    # --- 3. scores and 4. reaction: the programme's code comes along -----------------------
    _import_for_the_programme(
        page, "Nilai pre-test dan post-test (L2)", SCORES, "Rekap nilai pre/post-test panitia", 60
    )
    expect(page.get_by_test_id("report-link")).to_be_visible()
    _import_for_the_programme(page, "Kuesioner reaksi (L1)", REACTION, "Google Forms", 52)


def _import_for_the_programme(page: Page, kind: str, path: Path, source: str, rows: int) -> None:
    """The next import offered, ``kind``, with the programme's code already filled in: ``path``
    read as ``source``, ``rows`` rows without a problem, committed."""
    _next(page, kind)
    expect(page.get_by_label("Kode program")).to_have_value("PRIMA-2025")
    _upload(page, path)
    counts = _to_preview(page, source)
    assert counts["rows"] == rows and counts["problems"] == 0
    _commit(page, kind)


def _import_skm(page: Page, path: Path, opd: str, source: str, rows: int) -> None:
    """SKM answers: ``path`` for a service unit created for ``opd``, read as ``source``, all
    ``rows`` rows clean, committed."""
    _upload(page, path)
    page.get_by_label("Unit layanan:").select_option(label=opd)
    page.get_by_label("Buat unit layanan untuk OPD ini").check()
    counts = _to_preview(page, source)
    assert counts == {"rows": rows, "clean": rows, "problems": 0, "pending": 0}
    _commit(page, "Jawaban SKM")


def _import_public_service(page: Page) -> None:
    # --- 5. SKM: Disdukcapil (Google Forms) then DPMPTSP (e-SKM), service units created -----
    _next(page, "Jawaban SKM")
    _import_skm(page, SKM_GFORMS, DISDUKCAPIL, "Google Forms", 810)
    page.get_by_test_id("import-again").click()
    _import_skm(page, SKM_ESKM, DPMPTSP, "e-SKM", 807)

    # --- 6. complaints: the clean rows imported, the other OPDs' rows kept pending ----------
    _next(page, "Pengaduan (SP4N-LAPOR!)")
    _upload(page, LAPOR)
    counts = _to_preview(page, "SP4N-LAPOR!")
    assert counts["rows"] == 393 and counts["problems"] == 0 and counts["pending"] > 0
    expect(page.get_by_test_id("pending-reasons")).to_contain_text("belum ada di pohon OPD")
    page.get_by_test_id("import-partial").click()
    expect(page.get_by_test_id("result-pending")).to_have_text(str(counts["pending"]))


def _read_the_report(page: Page) -> None:
    # --- the programme's report ----------------------------------------------------------
    page.get_by_test_id("report-link").click()  # straight to the programme's report
    expect(page.get_by_role("heading", name=f"Laporan Evaluasi {TITLE}")).to_be_visible()
    body = page.locator("body")
    expect(body).to_contain_text("Sebanyak 60 peserta terdaftar")
    assert _row(page.locator("#tab-corong_partisipasi"), "Terdaftar")[1] == "60"

    # L1: 52 respondents; L2: 52 pairs, means over the pairs
    expect(body).to_contain_text("dari 52 responden")
    learning = page.locator("#tab-belajar")
    assert _row(learning, "Pasangan pre/post")[1] == "52"
    assert _row(learning, "Rata-rata pre-test")[1] == "58,56"
    assert _row(learning, "Rata-rata post-test")[1] == "76,63"

    # public service before (1 Jan – 26 Jun 2025) and after (27 Jun – 31 Dec 2025)
    expect(body).to_contain_text("sebelum 1 Januari 2025 – 26 Juni 2025")
    expect(body).to_contain_text("sesudah 27 Juni 2025 – 31 Desember 2025")
    ikm = page.locator("#tab-dampak_ikm")
    for unit, before, after in ((DISDUKCAPIL, "76,44", "80,81"), (DPMPTSP, "78,74", "86,30")):
        assert _row(ikm, unit, "unit terlatih", "sebelum")[4] == before, unit
        assert _row(ikm, unit, "unit terlatih", "sesudah")[4] == after, unit
    # complaints: received, resolved, median working days over the resolved ones
    complaints = page.locator("#tab-dampak_pengaduan")
    for unit, window, received, resolved, median in (
        (DISDUKCAPIL, "sebelum", "62", "53", "7,00"),
        (DISDUKCAPIL, "sesudah", "48", "47", "5,00"),
        (DPMPTSP, "sebelum", "41", "35", "9,00"),
        (DPMPTSP, "sesudah", "33", "33", "5,00"),
    ):
        cells = _row(complaints, unit, "unit terlatih", window)
        assert cells[3:6] == [received, resolved, median], (unit, window, cells)


def _download_the_pdf(page: Page, base_url: str) -> None:
    # --- the PDF ------------------------------------------------------------------------------
    pdf_url = page.get_by_role("link", name="Unduh PDF").get_attribute("href")
    assert pdf_url is not None
    pdf = page.request.get(f"{base_url}{pdf_url}", timeout=120_000)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
