"""An admin imports employees through the upload page, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kompeten.people.models import Employee
from tests.e2e.test_login_scope import login
from tests.people import importing


@pytest.mark.django_db(transaction=True)
def test_an_admin_imports_employees_through_the_upload_page(
    live_server, page: Page, world, tmp_path
) -> None:
    rows = [
        importing.person("ALFA", "Fauzan Hakim"),
        importing.person("BETA", "Gita Maharani", sex="P"),
    ]
    path = importing.write(tmp_path / "pegawai.xlsx", importing.xlsx_bytes(rows))
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/pegawai/impor/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan lanjutkan").click()
    page.get_by_role("button", name="Lanjut ke pratinjau").click()
    expect(page.get_by_test_id("count-new")).to_have_text("2")
    expect(page.get_by_test_id("count-rejected")).to_have_text("0")
    page.get_by_test_id("import-confirm").click()
    expect(page.locator("body")).to_contain_text("Fauzan Hakim")
    assert Employee.objects.filter(name__in=["Fauzan Hakim", "Gita Maharani"]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_rejected_row_is_named_and_nothing_is_written(
    live_server, page: Page, world, tmp_path
) -> None:
    bad = importing.person("TIDAK-ADA", "Hadi Wijaya")
    path = importing.write(tmp_path / "pegawai.xlsx", importing.xlsx_bytes([bad]))
    before = Employee.objects.count()
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/pegawai/impor/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan lanjutkan").click()
    page.get_by_role("button", name="Lanjut ke pratinjau").click()
    expect(page.get_by_test_id("count-rejected")).to_have_text("1")
    expect(page.locator("body")).to_contain_text("KODE UNIT")
    assert Employee.objects.count() == before
