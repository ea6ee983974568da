"""From an empty install to the next-steps page, in a real browser, with the printed token."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kompeten.core.models import Instansi, Role, User
from tests.e2e.setup_page import TOKEN_RE, submit_first_run

PASSWORD = "Sawah-Lunto-2026!x"


@pytest.mark.django_db(transaction=True)
def test_an_empty_install_is_set_up_in_the_browser(
    live_server, page: Page, settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.VAR_DIR = tmp_path
    assert not Instansi.objects.exists() and not User.objects.exists()

    # The site's address leads to the first run, and the server prints the token.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/mulai/$"))
    expect(page.get_by_role("heading", name="Penyiapan pertama Kompeten")).to_be_visible()
    tokens = TOKEN_RE.findall(capsys.readouterr().err)
    assert len(tokens) == 1

    # A wrong token is refused; nothing is written and what was typed stays.
    submit_first_run(page, "AAAA-BBBB-CCCC-DDDD", PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("Token salah atau sudah kedaluwarsa")
    expect(page.get_by_label("Nama instansi")).to_have_value("Pemerintah Kota Sawahlunto")
    assert not Instansi.objects.exists()

    # The printed token creates the instansi and the admin, who is then signed in.
    page.get_by_label("Token penyiapan").fill(tokens[0])
    page.get_by_label("Kata sandi admin").fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Buat instansi dan admin").click()

    expect(page).to_have_url(re.compile(r"/mulai/selanjutnya/$"))
    expect(page.get_by_test_id("next-steps")).to_contain_text(
        "Pemerintah Kota Sawahlunto siap: langkah berikutnya"
    )
    expect(page.get_by_test_id("current-user")).to_contain_text("Rina Marlina")
    expect(page.get_by_test_id("current-user")).to_contain_text("Admin BKPSDM")
    expect(page.locator("ol.steps a[href='/impor/']").first).to_be_visible()
    admin = User.objects.get()
    assert admin.role == Role.ADMIN and admin.instansi == Instansi.objects.get()

    # The first run is over: its page is gone.
    response = page.goto(f"{live_server.url}/mulai/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
