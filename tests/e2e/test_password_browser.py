"""In a browser: an admin issues a one-time link, the user sets a password with it and logs in;
an account whose password was given by someone else is held on the change page at first login."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from kompeten.core.models import Role
from kompeten.people import actions
from tests import factories

CHOSEN = "Tambang-Batubara-Ombilin-1888"
GIVEN = "Diberikan-Oleh-Admin-2026"
MINE = "Kota-Sawahlunto-Lestari-2030"


def login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi", exact=True).fill(password)
    page.get_by_role("button", name="Masuk").click()


def logout(page: Page) -> None:
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/masuk/"))


@pytest.mark.django_db(transaction=True)
def test_admin_link_then_own_password_then_forced_change(live_server, page: Page, world) -> None:
    base = live_server.url
    nip = world.dave_emp.nip

    # the admin issues a reset link for dave from the account list
    login(page, base, "alice", factories.PASSWORD)
    page.get_by_role("link", name="Akun", exact=True).click()
    page.get_by_label("Cari").fill(nip)
    page.get_by_role("button", name="Tampilkan").click()
    row = page.get_by_test_id(f"account-{world.dave.username}")
    row.get_by_role("button", name="Buat tautan atur ulang sandi").click()
    expect(page.get_by_test_id("letter")).to_have_count(1)
    printed = page.get_by_test_id("link-url").inner_text()
    assert printed.startswith(settings.SITE_URL + "/akun/tautan/")  # the public address
    url = base + printed.removeprefix(settings.SITE_URL)
    logout(page)

    # dave opens it and chooses a password; a mismatch is explained first
    page.goto(url)
    expect(page.get_by_role("heading", name="Atur kata sandi baru")).to_be_visible()
    page.locator("#id_new_password1").fill(CHOSEN)
    page.locator("#id_new_password2").fill(CHOSEN + "x")
    page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page.get_by_role("alert").first).to_contain_text("tidak sama")
    page.locator("#id_new_password1").fill(CHOSEN)
    page.locator("#id_new_password2").fill(CHOSEN)
    page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page.get_by_role("status")).to_contain_text("Kata sandi tersimpan")
    login(page, base, f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}", CHOSEN)
    expect(page.get_by_test_id("current-user")).to_be_visible()
    logout(page)

    # the link worked once
    page.goto(url)
    expect(page.get_by_role("heading", name="Tautan tidak berlaku")).to_be_visible()

    # an account given a password by someone else must change it at the first login
    actions.do_create_user(
        instansi=world.instansi,
        username="baru",
        password=GIVEN,
        role=Role.PEGAWAI,
        must_change_password=True,
    )
    login(page, base, "Baru", GIVEN)
    expect(page).to_have_url(re.compile(r"/akun/sandi/$"))
    expect(page.get_by_test_id("must-change")).to_be_visible()
    page.goto(f"{base}/pegawai/")
    expect(page).to_have_url(re.compile(r"/akun/sandi/$"))
    page.locator("#id_old_password").fill(GIVEN)
    page.locator("#id_new_password1").fill(MINE)
    page.locator("#id_new_password2").fill(MINE)
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    expect(page.get_by_role("status")).to_contain_text("Kata sandi Anda sudah diganti")
    page.goto(f"{base}/pegawai/")
    expect(page).to_have_url(re.compile(r"/pegawai/$"))
