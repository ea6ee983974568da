"""Collect a page's console errors and uncaught exceptions, to assert no CSP violation."""

from __future__ import annotations

from playwright.sync_api import Page


class ConsoleWatch:
    """Everything a page (or several pages of one test) logged as an error."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def attach(self, page: Page) -> Page:
        page.on(
            "console",
            lambda msg: (
                self.errors.append(f"{page.url}: {msg.text} @ {msg.location.get('url')}")
                if msg.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        return page

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e]
