"""/api/docs renders Swagger UI in a real browser under the CSP, with no CDN and no violation."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import Page, expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--no-first-run"],
    }


@pytest.mark.django_db(transaction=True)
def test_the_docs_page_renders_every_operation_without_csp_violations(live_server, page: Page):
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type == "error" else None,
    )
    outside: list[str] = []
    page.on(
        "request",
        lambda req: outside.append(req.url) if not req.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}/api/docs")
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=15000)
    assert page.locator(".opblock").count() >= 6  # employees (4) and units (2), plus others'
    assert [p for p in problems if "Content Security Policy" in p] == []
    assert [u for u in outside if not u.startswith("data:")] == []
