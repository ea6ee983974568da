"""An admin imports employees through the import engine's pages, in a real browser (the old
address /pegawai/impor/ leads there)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kompeten.people.models import Employee
from tests.e2e.test_login_scope import login
from tests.people import importing


def _upload_as_alice(page: Page, base_url: str, path: Path) -> None:
    """Alice signs in, uploads ``path`` on the employee import page and accepts the mapping."""
    login(page, base_url, "alice")
    page.goto(f"{base_url}/pegawai/impor/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_test_id("import-upload").click()
    page.get_by_test_id("import-mapping").click()


@pytest.mark.django_db(transaction=True)
def test_an_admin_imports_employees_through_the_upload_page(
    live_server, page: Page, world, tmp_path
) -> None:
    rows = [
        importing.person("ALFA", "Fauzan Hakim"),
        importing.person("BETA", "Gita Maharani", sex="P"),
    ]
    path = importing.write(tmp_path / "pegawai.xlsx", importing.xlsx_bytes(rows))
    _upload_as_alice(page, live_server.url, path)
    expect(page.get_by_test_id("count-clean")).to_have_text("2")
    expect(page.get_by_test_id("count-problems")).to_have_text("0")
    assert not Employee.objects.filter(name__in=["Fauzan Hakim", "Gita Maharani"]).exists()
    page.get_by_test_id("import-all").click()
    expect(page.get_by_test_id("result-imported")).to_have_text("2")
    assert Employee.objects.filter(name__in=["Fauzan Hakim", "Gita Maharani"]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_row_for_an_unknown_unit_is_named_and_nothing_is_written(
    live_server, page: Page, world, tmp_path
) -> None:
    bad = importing.person("TIDAK-ADA", "Hadi Wijaya")
    path = importing.write(tmp_path / "pegawai.xlsx", importing.xlsx_bytes([bad]))
    before = Employee.objects.count()
    _upload_as_alice(page, live_server.url, path)
    # the row can be completed once the unit exists: offered as pending, never imported whole
    expect(page.get_by_test_id("count-pending")).to_have_text("1")
    expect(page.get_by_test_id("import-pending")).to_contain_text("TIDAK-ADA")
    expect(page.get_by_test_id("import-all")).to_have_count(0)
    assert Employee.objects.count() == before
