"""The Navigator in the global header: how a person reaches a work area."""

from __future__ import annotations

from playwright.sync_api import Page

from bots.readiness import wait_until_ready


class Navigator:
    """Open a work area through Navigator ▸ Procurement ▸ <work area>."""

    def __init__(self, page: Page, *, ready_timeout_ms: float) -> None:
        self.page = page
        self.ready_timeout_ms = ready_timeout_ms
        self.button = page.get_by_role("button", name="Navigator")

    def open_work_area(self, name: str) -> None:
        self.button.click()
        link = self.page.get_by_role("link", name=name, exact=True)
        with self.page.expect_navigation(timeout=self.ready_timeout_ms):
            link.first.click()
        wait_until_ready(self.page, self.ready_timeout_ms, screen=name)
