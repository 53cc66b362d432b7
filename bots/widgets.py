"""Shared Redwood widgets: inputs that need a commit, dates, lists of values, the error dialog.

How a list of values is chosen is in :mod:`bots.list_of_values`; each page object says which way.
"""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Locator, Page

from bots.dates import typed_date
from bots.errors import BusinessRuleError, ServerError
from bots.list_of_values import Chooser
from bots.readiness import wait_until_ready

# An error dialog about the server or the connection (rather than about the data) is a system
# failure: retried, after checking whether the action took effect.
_SYSTEM_ERROR = re.compile(
    r"\bHTTP 5\d\d\b|internal server error|unavailable|network|connection|failed to fetch"
    r"|timed? ?out",
    re.I,
)


class Widgets:
    """Widget helpers bound to one page and its timeouts."""

    def __init__(
        self,
        page: Page,
        *,
        action_timeout_ms: float,
        ready_timeout_ms: float,
        screen: str,
        chooser: Chooser,
    ) -> None:
        self.page = page
        self.action_timeout_ms = action_timeout_ms
        self.ready_timeout_ms = ready_timeout_ms
        self.screen = screen
        self.chooser = chooser

    def ready(self) -> None:
        """Wait for the BusyContext, then raise what Oracle's error dialog says, if it opened.

        The dialog is modal: left open, it would block the next click until that click times
        out, and a server error would look like a page that never answered.
        """
        wait_until_ready(self.page, self.ready_timeout_ms, screen=self.screen)
        self.raise_if_error_dialog()

    def fill_text(self, scope: Page | Locator, label: str, value: str) -> None:
        """Type into a text field and press Tab, so JET commits the value (as a person does)."""
        field = scope.get_by_label(label, exact=True)
        field.fill(value)
        field.press("Tab")
        self.ready()

    def fill_date(self, scope: Page | Locator, label: str, value: date) -> None:
        """Type a date into a date field, in the one format the pages take (:mod:`bots.dates`)."""
        self.fill_text(scope, label, typed_date(value))

    def choose(self, scope: Page | Locator, label: str, value: str) -> None:
        """Pick ``value`` in the list of values labelled ``label``, matching the option's text,
        the way this page's lists are chosen (:mod:`bots.list_of_values`)."""
        self.chooser(self, scope, label, value)

    def error_dialog(self) -> Locator:
        return self.page.get_by_role("dialog", name="Error")

    def raise_if_error_dialog(self) -> None:
        """When Oracle shows its error dialog, read it, close it and raise the matching error."""
        dialog = self.error_dialog()
        if dialog.count() == 0 or not dialog.first.is_visible():
            return
        text = " ".join(dialog.first.inner_text().split())
        text = re.sub(r"^Error\s*", "", text)
        text = re.sub(r"\s*OK$", "", text)
        dialog.first.get_by_role("button", name="OK").click()
        wait_until_ready(self.page, self.ready_timeout_ms, screen=self.screen)
        if _SYSTEM_ERROR.search(text):
            raise ServerError(text, screen=self.screen, url=self.page.url)
        raise BusinessRuleError(text, screen=self.screen, url=self.page.url)

    def inline_errors(self, scope: Page | Locator) -> list[str]:
        """Inline field messages JET shows under invalid fields (required, range checks)."""
        messages = scope.locator('[id$="-messages"], .oj-c-messages, [role="alert"]')
        return [m.strip() for m in messages.all_inner_texts() if m.strip()]
