"""Oracle's sign-in page (IDCS): the single-step form, the two-step form (user name, Next,
password), and a federated single-sign-on page the bot recognises and never types into.

Every text is the UI profile's ``sign_in`` section. A refusal (wrong password, a locked or
expired account, or a page that keeps the browser on sign-in) is a
:class:`~bots.errors.SignInRefusedError`: it stops the run, because signing in again for each
request would only lock the service account.
"""

from __future__ import annotations

import contextlib
import re

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bots.errors import SignInRefusedError, UnsupportedSignInError
from bots.page_identity import button_names, expect_present, label_texts
from bots.playwright_errors import translates_playwright_errors
from bots.readiness import is_sign_in_page, wait_until_ready
from config.ui_profile import ProfileText, UiProfile

SCREEN = "signin"


@translates_playwright_errors
class SignInPage:
    """Sign in with the service account. Never call this inside a traced section."""

    screen = SCREEN

    def __init__(
        self, page: Page, base_url: str, profile: UiProfile, *, ready_timeout_ms: float
    ) -> None:
        self.page = page
        self.base_url = base_url
        self.texts = profile.sign_in
        self.ready_timeout_ms = ready_timeout_ms
        self.two_step = False  # whether the form asked for the password on a second step

    def open(self) -> SignInPage:
        self.page.goto(f"{self.base_url}{self.texts.entry_path}")
        self._ready()
        return self

    def _ready(self) -> None:
        wait_until_ready(self.page, self.ready_timeout_ms, self.texts, screen=SCREEN)

    def _field(self, label: ProfileText, *, timeout_ms: float | None = None) -> None:
        # The whole ready timeout: a sign-in form counts as ready once parsed, but its fields
        # are JET components that appear only when JET has loaded (IDCS's as the sandbox's),
        # which on a busy host takes seconds. A field truly missing stops the run, so the long
        # wait is paid once per run, not per request.
        expect_present(
            self.page.get_by_label(label, exact=True),
            label,
            kind="field",
            instead=lambda: label_texts(self.page),
            timeout_ms=self.ready_timeout_ms if timeout_ms is None else timeout_ms,
            screen=SCREEN,
            url=self.page.url,
        )

    def sign_in(self, username: str, password: str) -> None:
        """Fill the form (in one or two steps) and wait for the page it leads to."""
        if not is_sign_in_page(self.page, self.texts):
            return  # already signed in: the home page opened directly
        user = self.page.get_by_label(self.texts.user_label, exact=True)
        secret = self.page.get_by_label(self.texts.password_label, exact=True)
        self._wait_for_user_field_or_single_sign_on(user)
        if user.count() == 0:
            # No user name field: a single-sign-on page (a page offering both is fine), or a
            # form the profile does not describe, which _field names (already waited for).
            self._refuse_single_sign_on(username)
            # (Playwright reads a timeout of 0 as none at all: 1 ms is "look once".)
            self._field(self.texts.user_label, timeout_ms=1)
        user.first.fill(username)
        if secret.count() == 0 or not secret.first.is_visible():
            self._next_step()
        self._field(self.texts.password_label)
        secret.first.fill(password)
        sign_in_button = self.page.get_by_role("button", name=self.texts.sign_in_button, exact=True)
        expect_present(
            sign_in_button,
            self.texts.sign_in_button,
            kind="button",
            instead=lambda: button_names(self.page),
            timeout_ms=self.ready_timeout_ms,
            screen=SCREEN,
            url=self.page.url,
        )
        with self.page.expect_navigation(timeout=self.ready_timeout_ms):
            sign_in_button.first.click()
        self._ready()
        self._raise_if_refused(username)

    def _next_step(self) -> None:
        """The two-step form: Next, then wait for the password field (a new page or the same)."""
        next_button = self.page.get_by_role("button", name=self.texts.next_button, exact=True)
        expect_present(
            next_button,
            self.texts.password_label,  # neither a password field nor Next: the form is unknown
            kind="field (nor a Next button)",
            instead=lambda: label_texts(self.page) + button_names(self.page),
            timeout_ms=self.ready_timeout_ms,
            screen=SCREEN,
            url=self.page.url,
        )
        next_button.first.click()
        self.two_step = True
        secret = self.page.get_by_label(self.texts.password_label, exact=True)
        refused = self.page.get_by_text(self._refusal_pattern())
        # Neither showing in time is not an error here: _field then names the missing field.
        with contextlib.suppress(PlaywrightTimeoutError):
            secret.or_(refused).first.wait_for(state="visible", timeout=self.ready_timeout_ms)
        self._ready()

    def _wait_for_user_field_or_single_sign_on(self, user: Locator) -> None:
        """Whichever shows first: a single-sign-on page is then told at once, not after the
        field's whole wait."""
        shown = user
        for text in self.texts.single_sign_on_texts:
            shown = shown.or_(self.page.get_by_text(text, exact=False))
        # Neither showing in time is not an error here: _field then names the missing field.
        with contextlib.suppress(PlaywrightTimeoutError):
            shown.first.wait_for(state="attached", timeout=self.ready_timeout_ms)

    def _refusal_pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(re.escape(t) for t in self.texts.refused_texts), re.I)

    def _refuse_single_sign_on(self, username: str) -> None:
        for text in self.texts.single_sign_on_texts:
            if self.page.get_by_text(text, exact=False).count() > 0:
                raise UnsupportedSignInError(
                    f"Oracle offers single sign-on ({text}), which the service account "
                    f"{username} cannot use: it needs a local identity-domain user without a "
                    "second factor",
                    account=username,
                    screen=SCREEN,
                    url=self.page.url,
                )

    def _raise_if_refused(self, username: str) -> None:
        said = self.page.get_by_text(self._refusal_pattern())
        if said.count() > 0:
            message = " ".join(said.first.inner_text().split())
            raise SignInRefusedError(
                f"Oracle refused the sign-in of {username}: {message}",
                account=username,
                screen=SCREEN,
                url=self.page.url,
            )
        if is_sign_in_page(self.page, self.texts):
            alerts = [" ".join(t.split()) for t in self.page.get_by_role("alert").all_inner_texts()]
            said_text = "; ".join(a for a in alerts if a) or "no message"
            raise SignInRefusedError(
                f"Oracle kept {username} on its sign-in page ({said_text})",
                account=username,
                screen=SCREEN,
                url=self.page.url,
            )
