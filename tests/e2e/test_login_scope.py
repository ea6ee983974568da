"""Logging in as each role shows exactly that role's scope, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(factories.PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("alice", ["Bobby Santoso", "Carolina Putri", "Dave Saputra", "Erin Lestari"], []),
        ("pia", ["Bobby Santoso", "Carolina Putri", "Dave Saputra", "Erin Lestari"], []),
        ("bob", ["Bobby Santoso", "Carolina Putri", "Dave Saputra"], ["Erin Lestari"]),
        ("carol", ["Carolina Putri", "Dave Saputra"], ["Bobby Santoso", "Erin Lestari"]),
        ("dave", ["Dave Saputra"], ["Bobby Santoso", "Carolina Putri", "Erin Lestari"]),
    ],
)
def test_each_role_sees_exactly_its_scope(
    live_server, page: Page, world, persona, visible, hidden
) -> None:
    user = getattr(world, persona)
    login(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/pegawai/")
    table = page.get_by_test_id("employee-table")
    for name in visible:
        expect(table).to_contain_text(name)
    for name in hidden:
        expect(table).not_to_contain_text(name)


@pytest.mark.django_db(transaction=True)
def test_an_asn_logs_in_with_a_nip_typed_with_spaces(live_server, page: Page, world) -> None:
    nip = world.dave_emp.nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    login(page, live_server.url, spaced)
    expect(page.get_by_test_id("scope")).to_contain_text("Pegawai")


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_shows_an_indonesian_message(live_server, page: Page, world) -> None:
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill("alice")
    page.get_by_label("Kata sandi").fill("salah")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_contain_text("kata sandi salah")
    expect(page).to_have_url(re.compile(r"/masuk/"))
