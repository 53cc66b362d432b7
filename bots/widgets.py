"""Shared Redwood widgets: list-of-values selects, the error dialog, inputs that need a commit.

JET's ``oj-c-select-single`` renders its option list outside the component, at the end of
``<body>`` in ``#__root_layer_host``, as ``div[role=listbox][aria-label=<label>]``. Typing into
the combobox makes the page query the server; the BusyContext covers that fetch.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bots.errors import (
    BusinessRuleError,
    PageTimeoutError,
    ServerError,
    ValueNotOfferedError,
)
from bots.readiness import wait_until_ready

# An error dialog about the server or the connection (rather than about the data) is a system
# failure: retried, after checking whether the action took effect.
_SYSTEM_ERROR = re.compile(
    r"\bHTTP 5\d\d\b|internal server error|unavailable|network|connection|failed to fetch"
    r"|timed? ?out",
    re.I,
)


# How many times a list-of-values search is typed when the server answers it with an error.
LIST_SEARCH_TRIES = 3
# What JET's select components show in their dropdown when a search finds nothing.
NO_MATCHES = "No matches found."


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


class Widgets:
    """Widget helpers bound to one page and its timeouts."""

    def __init__(
        self, page: Page, *, action_timeout_ms: float, ready_timeout_ms: float, screen: str
    ) -> None:
        self.page = page
        self.action_timeout_ms = action_timeout_ms
        self.ready_timeout_ms = ready_timeout_ms
        self.screen = screen

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

    def choose(self, scope: Page | Locator, label: str, value: str) -> None:
        """Pick ``value`` in the list of values labelled ``label``, matching the option's text.

        Raises :class:`ValueNotOfferedError` when the list does not offer it: that is how Fusion
        refuses an inactive supplier or a site that is not valid for the business unit. A search
        that fails with a server error is a read, so it is tried again here, up to
        ``LIST_SEARCH_TRIES`` times, rather than failing the whole attempt.
        """
        for search in range(LIST_SEARCH_TRIES):
            try:
                # After a failed search the same text is typed again: clear it first, so the
                # list searches again. (Not Escape: with no list open, it would close a drawer.)
                option = self._search_list(scope, label, value, clear_first=search > 0)
                break
            except ServerError:
                if search == LIST_SEARCH_TRIES - 1:
                    raise
        # Choosing is not retried here: what the choice sets off (defaults, dependent lists)
        # may have half happened, and the attempt as a whole starts again from a known state.
        option.click()
        self.ready()

    def _search_list(
        self, scope: Page | Locator, label: str, value: str, *, clear_first: bool
    ) -> Locator:
        """Type ``value`` into the list's search and return its matching option."""
        # Always chosen, even when the list seems to show the value already: a drawer opened
        # again may still show the last value for a moment after its fields were reset.
        combo = scope.get_by_role("combobox", name=label, exact=True)
        wanted = _normalise(value)
        combo.click()
        if clear_first:
            combo.fill("")
            self.ready()
        combo.fill(value)
        self.ready()
        listbox = self.page.locator(f'div[role="listbox"][aria-label="{label}"]')
        option = listbox.get_by_role("option").filter(
            has_text=re.compile(rf"^\s*{re.escape(value)}\s*$", re.I)
        )
        answer = option.first.or_(self.no_matches(combo)).first
        try:
            answer.wait_for(state="visible", timeout=self.action_timeout_ms / 3)
        except PlaywrightTimeoutError:
            offered = [t.strip() for t in listbox.get_by_role("option").all_inner_texts()]
            same_words = [t for t in offered if _normalise(t) == wanted]
            if same_words:  # offered with other spacing or case: still the value asked for
                return listbox.get_by_role("option", name=same_words[0], exact=True).first
            if not offered:
                self._wait_for_an_answer(combo, answer, label)
        if option.count() > 0 and option.first.is_visible():
            return option.first
        offered = [t.strip() for t in listbox.get_by_role("option").all_inner_texts()]
        combo.press("Escape")
        # An empty list because the search itself failed (a 5xx) is a system failure,
        # not a value Oracle refuses: the error dialog tells the two apart.
        self.raise_if_error_dialog()
        raise ValueNotOfferedError(label, value, offered, screen=self.screen, url=self.page.url)

    def _wait_for_an_answer(self, combo: Locator, answer: Locator, label: str) -> None:
        """A list that shows neither options nor "No matches found." has not answered yet (a
        busy machine, a slow search): wait the rest of the action time, then call it a system
        failure, never a value Oracle refused."""
        try:
            answer.wait_for(state="visible", timeout=self.action_timeout_ms * 2 / 3)
        except PlaywrightTimeoutError:
            combo.press("Escape")
            self.raise_if_error_dialog()
            raise PageTimeoutError(
                f"the list of values {label} showed no options and no '{NO_MATCHES}'",
                screen=self.screen,
                url=self.page.url,
            ) from None

    def no_matches(self, combo: Locator) -> Locator:
        """JET's "No matches found." in the dropdown this combobox controls: shown when the
        search found nothing. That, not a list still empty, is Oracle refusing a value."""
        dropdown_id = combo.get_attribute("aria-controls") or ""
        return self.page.locator(f'[id="{dropdown_id}"]').get_by_text(NO_MATCHES)

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
