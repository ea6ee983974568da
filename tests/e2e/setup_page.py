"""The first-run page as the browser tests fill it (the printed token, the instansi, its admin),
and the import preview's counts as they read them, and the steps from an empty install to an
employee list's preview."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

# the line the server prints at start with the first-run token
TOKEN_RE = re.compile(r"Token: ([A-Z0-9-]+)")


def submit_first_run(page: Page, token: str, password: str) -> None:
    """Fill the first-run form for Pemerintah Kota Sawahlunto and its admin Rina Marlina
    (admin.bkpsdm, ``password``) with ``token``, and send it."""
    page.get_by_label("Token penyiapan").fill(token)
    page.get_by_label("Nama instansi").fill("Pemerintah Kota Sawahlunto")
    page.get_by_label("Kode instansi").fill("kota-sawahlunto")
    page.get_by_label("Jenis instansi").select_option("kota")
    page.get_by_label("Nama pengguna admin").fill("admin.bkpsdm")
    page.get_by_label("Nama lengkap admin").fill("Rina Marlina")
    page.get_by_label("Kata sandi admin").fill(password)
    page.get_by_label("Ulangi kata sandi").fill(password)
    page.get_by_role("button", name="Buat instansi dan admin").click()


def preview_counts(page: Page) -> dict[str, int]:
    """The import preview's cards: rows read, clean, with a problem, pending (1.234 read as
    1234)."""
    return {
        key: int(page.get_by_test_id(f"count-{key}").inner_text().replace(".", ""))
        for key in ("rows", "clean", "problems", "pending")
    }


def preview_employees_from_an_empty_install(
    page: Page, base_url: str, capsys: pytest.CaptureFixture[str], password: str, path: str
) -> None:
    """From the first-run page to the preview of ``path`` as the employees import, the OPD
    tree created from its unit columns (the steps a BKPSDM takes on the day it installs)."""
    page.set_default_timeout(60_000)  # a busy machine; the counts are what is asserted
    page.goto(f"{base_url}/")
    submit_first_run(page, TOKEN_RE.findall(capsys.readouterr().err)[-1], password)
    page.get_by_test_id("start-import").click()
    page.locator("input[type=file]").set_input_files(path)
    page.get_by_label("Buat unit kerja yang belum ada dari kolom UNOR (ID, nama, induk)").check()
    page.get_by_test_id("import-upload").click()
    page.get_by_test_id("import-mapping").click()
