"""Oracle's sign-in page (the IDCS-style single-step form)."""

from __future__ import annotations

from playwright.sync_api import Page

from bots.errors import PageTimeoutError, SignInRefusedError
from bots.playwright_errors import translates_playwright_errors
from bots.readiness import is_sign_in_page, wait_until_ready

HOME_PATH = "/fscmUI/faces/FuseWelcome"
BAD_CREDENTIALS_TEXT = "incorrect user name or password"


@translates_playwright_errors
class SignInPage:
    """Sign in with the service account. Never call this inside a traced section."""

    screen = "signin"

    def __init__(self, page: Page, base_url: str, *, ready_timeout_ms: float) -> None:
        self.page = page
        self.base_url = base_url
        self.ready_timeout_ms = ready_timeout_ms
        self.user = page.get_by_label("User name or email", exact=True)
        self.password = page.get_by_label("Password", exact=True)
        self.sign_in_button = page.get_by_role("button", name="Sign In")

    def open(self) -> SignInPage:
        self.page.goto(f"{self.base_url}{HOME_PATH}")
        wait_until_ready(self.page, self.ready_timeout_ms, screen="signin")
        return self

    def sign_in(self, username: str, password: str) -> None:
        """Fill the form and wait for the page it leads to; a refused password stops the run
        (retrying it would only lock the account)."""
        if not is_sign_in_page(self.page):
            return  # already signed in: the home page opened directly
        self.user.fill(username)
        self.password.fill(password)
        with self.page.expect_navigation(timeout=self.ready_timeout_ms):
            self.sign_in_button.click()
        wait_until_ready(self.page, self.ready_timeout_ms, screen="signin")
        if BAD_CREDENTIALS_TEXT in (self.page.text_content("body") or ""):
            raise SignInRefusedError(
                f"Oracle refused the sign-in of {username}: incorrect user name or password",
                account=username,
                screen="signin",
                url=self.page.url,
            )
        if is_sign_in_page(self.page):
            raise PageTimeoutError(
                "still on the sign-in page after signing in", screen="signin", url=self.page.url
            )
