"""What every page object does on a page, with the texts from the UI profile: find a field by its
label, press a button, open a drawer or a tab, type, choose, tick, read Oracle's error dialog.

Each text is a :class:`~config.ui_profile.ProfileText`, so a field, button, tab or drawer that is
not on a page that is otherwise ready is a :class:`~bots.errors.StructuralMismatchError` naming
the profile key (:mod:`bots.page_identity`), never a timeout retried as if the server were slow.
How a list of values is chosen is in :mod:`bots.list_of_values`; each page object says which way.
"""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bots.dates import typed_date
from bots.errors import (
    BotError,
    BusinessRuleError,
    PageTimeoutError,
    ServerError,
    StructuralMismatchError,
)
from bots.list_of_values import Chooser
from bots.page_identity import (
    button_names,
    expect_family,
    expect_heading,
    expect_present,
    label_texts,
    open_dialogs,
    shown,
)
from bots.readiness import wait_until_ready
from bots.screen_picture import screen_picture
from bots.timeouts import Timeouts
from config.ui_profile import ProfilePattern, ProfileText, UiProfile

# A field or button that is on the page is there once the page is ready; this long is left for
# it to attach before it counts as missing (a share of the action timeout, not a sleep).
_PRESENCE_SHARE = 3


class Widgets:
    """Widget helpers bound to one page, its UI profile and its timeouts."""

    def __init__(
        self,
        page: Page,
        profile: UiProfile,
        timeouts: Timeouts,
        *,
        screen: str,
        chooser: Chooser,
    ) -> None:
        self.page = page
        self.profile = profile
        self.timeouts = timeouts
        self.screen = screen
        self.chooser = chooser

    @property
    def action_timeout_ms(self) -> float:
        return self.timeouts.action_ms

    @property
    def presence_timeout_ms(self) -> float:
        return self.timeouts.action_ms / _PRESENCE_SHARE

    # --- readiness and identity ------------------------------------------------------------------

    def ready(self) -> None:
        """Wait until the page is ready, then raise what Oracle's error dialog says, if it opened.

        The dialog is modal: left open, it would block the next click until that click times
        out, and a server error would look like a page that never answered.
        """
        wait_until_ready(
            self.page, self.timeouts.ready_ms, self.profile.sign_in, screen=self.screen
        )
        self.raise_if_error_dialog()

    def goto(self, path: str) -> None:
        """Open a path of this Oracle and wait until the page is ready."""
        self.page.goto(path, timeout=self.timeouts.navigation_ms)
        self.ready()

    def expect_page(
        self, heading: ProfileText | ProfilePattern, *landmarks: ProfileText
    ) -> Locator:
        """This is the page the profile describes: its family, its heading, and each landmark
        (a button or a tab the page must offer). Returns the heading."""
        expect_family(self.page, self.profile.family, key="family", screen=self.screen)
        found = expect_heading(
            self.page, heading, timeout_ms=self.timeouts.action_ms, screen=self.screen
        )
        for landmark in landmarks:
            self.control(self.page, landmark)
        return found

    # --- finding things by the profile's texts ---------------------------------------------------

    def field(self, scope: Page | Locator, label: ProfileText) -> Locator:
        """The field labelled ``label`` in ``scope``."""
        return expect_present(
            scope.get_by_label(label, exact=True),
            label,
            kind="field",
            instead=lambda: label_texts(scope),
            timeout_ms=self.presence_timeout_ms,
            screen=self.screen,
            url=self.page.url,
        ).first

    def control(self, scope: Page | Locator, name: ProfileText) -> Locator:
        """The button or tab named ``name`` in ``scope``."""
        found = scope.get_by_role("button", name=name, exact=True).or_(
            scope.get_by_role("tab", name=name, exact=True)
        )
        return expect_present(
            found,
            name,
            kind="button or tab",
            instead=lambda: button_names(scope) + scope.get_by_role("tab").all_inner_texts(),
            timeout_ms=self.presence_timeout_ms,
            screen=self.screen,
            url=self.page.url,
        ).first

    def click(self, scope: Page | Locator, name: ProfileText) -> None:
        """Press the button (or select the tab) named ``name``; wait until the page is ready."""
        self.control(scope, name).click()
        self.ready()

    def drawer(self, name: ProfileText) -> Locator:
        """The drawer (a dialog) named ``name``, once it is open and ready."""
        drawer = self.page.get_by_role("dialog", name=name, exact=True)
        try:
            drawer.wait_for(state="visible", timeout=self.timeouts.action_ms)
        except PlaywrightTimeoutError:
            others = [d for d in open_dialogs(self.page) if d]
            if others:  # another drawer opened: the page is not the one the profile knows
                raise StructuralMismatchError(
                    name.key,
                    str(name),
                    f"a dialog named {shown(others)}",
                    screen=self.screen,
                    url=self.page.url,
                ) from None
            raise PageTimeoutError(
                f"the {name} drawer did not open", screen=self.screen, url=self.page.url
            ) from None
        self.ready()
        return drawer

    # --- typing, choosing, ticking ----------------------------------------------------------------

    def fill_text(self, scope: Page | Locator, label: ProfileText, value: str) -> None:
        """Type into a text field and press Tab, so JET commits the value (as a person does)."""
        field = self.field(scope, label)
        field.fill(value)
        field.press("Tab")
        self.ready()

    def fill_date(self, scope: Page | Locator, label: ProfileText, value: date) -> None:
        """Type a date into a date field, in the profile's format (:mod:`bots.dates`)."""
        self.fill_text(scope, label, typed_date(value, self.profile.date_format))

    def choose(self, scope: Page | Locator, label: ProfileText, value: str) -> None:
        """Pick ``value`` in the list of values labelled ``label``, matching the option's text as
        the profile describes it, the way this page's lists are chosen
        (:mod:`bots.list_of_values`)."""
        self.chooser(self, scope, label, value)

    def check(self, scope: Page | Locator, label: ProfileText, checked: bool | None) -> None:
        """Tick or clear the checkbox labelled ``label``; None leaves it as it is."""
        if checked is None:
            return
        box = self.checkbox(scope, label)
        if box.is_checked() != checked:
            # JET draws the box as an icon over a hidden input, and the icon takes pointer
            # clicks: toggle it from the keyboard, as an accessibility user does.
            box.focus()
            box.press("Space")
            self.ready()

    def checkbox(self, scope: Page | Locator, label: ProfileText) -> Locator:
        return expect_present(
            scope.get_by_role("checkbox", name=label, exact=True),
            label,
            kind="checkbox",
            instead=lambda: label_texts(scope),
            timeout_ms=self.presence_timeout_ms,
            screen=self.screen,
            url=self.page.url,
        ).first

    # --- Oracle's messages -----------------------------------------------------------------------

    def error_dialog(self) -> Locator:
        """Oracle's error dialog, once it is on the screen.

        Looked up by its role even where the accessibility tree hides it: JET may open the
        dialog in a popup layer that a drawer opened later marks ``aria-hidden`` (the dialog is
        still drawn above the drawer and still blocks it), and a bot that did not see it would
        type on behind it.
        """
        return self.page.get_by_role(
            "dialog", name=self.profile.messages.error_dialog, include_hidden=True
        ).filter(visible=True)

    def raise_if_error_dialog(self) -> None:
        """When Oracle shows its error dialog, read it, close it and raise the matching error."""
        messages = self.profile.messages
        dialog = self.error_dialog()
        if dialog.count() == 0 or not dialog.first.is_visible():
            return
        text = " ".join(dialog.first.inner_text().split())
        text = re.sub(rf"^{re.escape(messages.error_dialog)}\s*", "", text)
        text = re.sub(rf"\s*{re.escape(messages.ok_button)}$", "", text)
        picture = screen_picture(self.page)  # with the dialog on it, before it is closed
        dialog.first.get_by_role(
            "button", name=messages.ok_button, exact=True, include_hidden=True
        ).click()
        wait_until_ready(
            self.page, self.timeouts.ready_ms, self.profile.sign_in, screen=self.screen
        )
        error: BotError = (
            ServerError(text, screen=self.screen, url=self.page.url)
            if messages.system_error_pattern.search(text)
            else BusinessRuleError(text, screen=self.screen, url=self.page.url)
        )
        error.picture = picture
        raise error

    def inline_errors(self, scope: Page | Locator) -> list[str]:
        """Inline field messages JET shows under invalid fields (required, range checks)."""
        messages = scope.locator('[id$="-messages"], .oj-c-messages, [role="alert"]')
        return [m.strip() for m in messages.all_inner_texts() if m.strip()]

    def refuse_unless_closed(self, drawer: Locator, what: str) -> None:
        """After OK: a drawer still open kept the data back; cancel it and raise its messages."""
        if not drawer.is_visible():
            return
        messages = self.inline_errors(drawer)
        self.click(drawer, self.profile.messages.cancel_button)
        raise BusinessRuleError(
            "; ".join(messages) or f"the {what} was not accepted",
            screen=self.screen,
            url=self.page.url,
        )
