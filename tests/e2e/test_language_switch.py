"""The language switch in the top bar turns the navigation to English and back, in a browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.console import ConsoleWatch
from tests.e2e.test_login_scope import login


@pytest.mark.django_db(transaction=True)
def test_the_top_bar_switch_turns_the_navigation_to_english_and_back(
    live_server, page: Page, world
) -> None:
    watch = ConsoleWatch()
    watch.attach(page)
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/pegawai/")
    cycle = page.get_by_role("navigation", name="Siklus pengembangan kompetensi")
    side = page.get_by_role("navigation", name="Data")
    expect(cycle).to_contain_text("Kebutuhan")
    expect(cycle).to_contain_text("Evaluasi")
    expect(side.get_by_role("link", name="Pegawai", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "id")

    page.locator("header.topbar").get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/pegawai/$"))  # stays on the same page
    cycle_en = page.locator("header.topbar nav.cycle")
    expect(cycle_en).to_contain_text("Needs")
    expect(cycle_en).to_contain_text("Evaluation")
    expect(cycle_en).to_contain_text("Reports")
    expect(cycle_en).not_to_contain_text("Kebutuhan")
    side_en = page.locator("header.topbar nav.side")
    expect(side_en.get_by_role("link", name="Employees", exact=True)).to_be_visible()
    expect(page.locator("header.topbar").get_by_role("button", name="Log out")).to_be_visible()

    # the choice sticks across pages
    page.goto(f"{live_server.url}/")
    expect(page.locator("header.topbar nav.cycle")).to_contain_text("Needs")

    page.locator("header.topbar").get_by_role("button", name="Bahasa Indonesia").click()

    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("header.topbar nav.cycle")).to_contain_text("Kebutuhan")
    expect(page.locator("header.topbar nav.cycle")).not_to_contain_text("Needs")
    expect(page.locator("header.topbar").get_by_role("button", name="Keluar")).to_be_visible()
    assert watch.csp_violations() == []
