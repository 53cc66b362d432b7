"""A signed-in browser session against Oracle, owned by one worker thread.

The sync Playwright API is bound to the thread that started it, so each worker builds its own
session. Sign-in always happens outside any traced section: Playwright traces record typed text.
Browser contexts are recreated after a number of items, because long-lived contexts grow.

The flows get the pages as :class:`bots.pages.OraclePages` (``ready_pages``), never a Playwright
page, and what they call here fails with :mod:`bots.errors` only, as the page objects do. The one
exception is a browser that cannot be launched at all: Playwright's own error is left to abort the
run, since no retry can mend it.

Every sign-in goes through the run's :class:`rpa.sign_in_gate.SignInGate`, so a refused service
account is tried once per run, not once per session or per item. Evidence never shows a typed
password: screenshots mask password fields, and no ARIA snapshot is taken of a page whose
password field holds text (a snapshot writes a textbox's value as it is, password or not).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import structlog
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from bots.errors import BotError, BrowserCrashedError, RunBlockingError
from bots.pages import OraclePages
from bots.playwright_errors import playwright_errors_translated
from bots.signin_page import SignInPage
from bots.timeouts import Timeouts
from config.settings import BrowserSettings
from config.ui_profile import cached_ui_profile
from rpa.browser import launch_chromium
from rpa.oracle_target import OracleTarget
from rpa.redaction import redact_text
from rpa.sign_in_gate import SignInGate

CONTEXT_RECYCLE_AFTER = 25  # items per browser context before it is replaced
# Fields a screenshot masks whatever they hold: browsers draw a password as dots, but a masked
# box does not even tell its length.
MASKED_INPUTS = "input[type=password]"
_MASKED_INPUT_FILLED_JS = """
() => Array.from(document.querySelectorAll('input[type=password]')).some(i => i.value !== '')
"""
log = structlog.get_logger()


class OracleSession:
    """Playwright, a browser, a context and a page, signed in as the service account."""

    def __init__(
        self,
        target: OracleTarget,
        browser_settings: BrowserSettings,
        *,
        sign_in_gate: SignInGate | None = None,
    ) -> None:
        """``sign_in_gate`` is the run's, shared by its sessions; without one the session keeps
        its own (a refusal is still never typed twice by this session)."""
        self.target = target
        self.browser_settings = browser_settings
        self.sign_in_gate = sign_in_gate or SignInGate()
        self.timeouts = Timeouts.from_settings(browser_settings)
        self.ui_profile = cached_ui_profile(target.ui_profile)
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._page: Page | None = None
        self._items_in_context = 0
        self._tracing = False

    def __enter__(self) -> OracleSession:
        self._playwright = sync_playwright().start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close_browser()
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None

    @property
    def browser_version(self) -> str:
        return self._ensure_browser().version

    @property
    def page(self) -> Page:
        if self._page is None or self._page.is_closed():
            raise BrowserCrashedError("no open page: sign in first")
        return self._page

    def _ensure_browser(self) -> Browser:
        if self._playwright is None:
            raise RuntimeError("OracleSession used outside its with-block")
        if self._browser is None or not self._browser.is_connected():
            self._browser = launch_chromium(self._playwright, self.browser_settings)
        return self._browser

    @contextlib.contextmanager
    def _driving(self, screen: str = "") -> Iterator[None]:
        """Playwright's errors in the block as bot errors. A crashed browser is dropped at once,
        so the next sign-in launches another, whoever catches the error."""
        try:
            with playwright_errors_translated(self._page, screen=screen):
                yield
        except BrowserCrashedError:
            self.close_browser()
            raise

    def _sign_in(self) -> None:
        """Open a fresh context and sign in. Called between items, never inside a trace."""
        self.close_context()
        self.sign_in_gate.sign_in(self._sign_in_once)
        self._items_in_context = 0

    def _sign_in_once(self) -> None:
        """One sign-in through the form (the gate decides whether it may be tried at all)."""
        browser = self._ensure_browser()
        # One per sign-in tried, so a run's sign-ins can be counted from its log (a refused one
        # must be tried once per run): each is at most one submission of the form.
        log.info("signing in", account=self.target.username, target=self.target.target_id)
        try:
            with self._driving("signin"):
                self._context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
                self._context.set_default_timeout(self.timeouts.action_ms)
                self._context.set_default_navigation_timeout(self.timeouts.navigation_ms)
                self._page = self._context.new_page()
                signin = SignInPage(
                    self._page,
                    self.target.base_url,
                    self.ui_profile,
                    ready_timeout_ms=self.timeouts.ready_ms,
                )
                signin.open().sign_in(self.target.username, self.target.password.get_secret_value())
        except RunBlockingError as exc:
            self._keep_sign_in_evidence(exc)
            self.close_context()
            raise
        except BotError:
            # A page that did not finish signing in is never handed out: the next call starts over.
            self.close_context()
            raise

    def _keep_sign_in_evidence(self, exc: RunBlockingError) -> None:
        """A screenshot of the sign-in page that refused (its message shows), password fields
        masked; never an ARIA snapshot, which would write a typed password out as text."""
        if self.sign_in_gate.refusal_evidence is None:
            return
        shot = self.screenshot(self.sign_in_gate.refusal_evidence())
        exc.evidence = [shot] if shot is not None else []

    def ready_pages(self) -> OraclePages:
        """The pages of the signed-in session, signing in first when there is no open page or
        the context has served enough items."""
        if (
            self._page is None
            or self._page.is_closed()
            or self._items_in_context >= CONTEXT_RECYCLE_AFTER
        ):
            self._sign_in()
        return OraclePages(self.page, self.target.base_url, self.ui_profile, self.timeouts)

    def item_done(self) -> None:
        self._items_in_context += 1

    def session_cookie_values(self) -> list[str]:
        """Cookie values of the current context, so logs and traces can be scrubbed of them."""
        if self._context is None:
            return []
        with self._driving():
            return [c["value"] for c in self._context.cookies() if c.get("value")]

    def start_trace(self, attempt: int) -> None:
        """Record a trace of this attempt when the ``browser.trace`` setting asks for one."""
        wanted = self.browser_settings.trace
        if self._context is None or wanted == "off" or (wanted == "on_retry" and attempt < 2):
            return
        with self._driving():
            self._context.tracing.start(screenshots=True, snapshots=True, sources=False)
        self._tracing = True

    def stop_trace(self, save_to: Path | None) -> None:
        if self._context is None or not self._tracing:
            return
        self._tracing = False
        try:
            if save_to is not None:
                save_to.parent.mkdir(parents=True, exist_ok=True)
                self._context.tracing.stop(path=str(save_to))
            else:
                self._context.tracing.stop()
        except Exception:  # a crashed browser cannot hand over its trace; the failure is logged
            return

    def screenshot(self, path: Path) -> Path | None:
        """The screen as a PNG, password fields masked; None when no picture could be taken.
        The viewport, not the whole page: drawers and dialogs are drawn over the viewport, and a
        whole-page capture shows them cut off below it."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            page = self.page
            page.screenshot(path=str(path), mask=[page.locator(MASKED_INPUTS)])
        except Exception:  # evidence is best effort: a dead page cannot be photographed
            return None
        return path

    def aria_snapshot(self, path: Path) -> Path | None:
        """The page's accessibility tree as YAML (Playwright's ARIA snapshot): what the page
        showed, by role and name, for comparing with the UI profile after a mismatch. Best
        effort, like a screenshot: None when none could be taken.

        Refused when a password field holds text, since the snapshot writes a textbox's value
        as it is; registered secrets (the passwords, the session cookies) are masked in any
        case.
        """
        try:
            page = self.page
            if page.evaluate(_MASKED_INPUT_FILLED_JS):
                log.warning("no ARIA snapshot: a password field on the page holds text")
                return None
            text = page.locator("body").aria_snapshot(timeout=self.timeouts.action_ms)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(redact_text(text) + "\n", encoding="utf-8")
        except Exception:  # a dead or hung page has no tree to give
            return None
        return path

    def close_context(self) -> None:
        if self._context is not None:
            # The browser may already be gone; there is nothing to release then.
            with contextlib.suppress(Exception):
                self._context.close()
        self._context, self._page, self._tracing = None, None, False

    def close_browser(self) -> None:
        self.close_context()
        if self._browser is not None:
            with contextlib.suppress(Exception):  # already dead
                self._browser.close()
            self._browser = None
