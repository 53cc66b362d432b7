"""Helpers for the sandbox page tests: a real Chromium, signed-in contexts, JET-aware waits.

Pages are ready when they have set ``document.body.dataset.page`` and JET's BusyContext is
idle (every REST call a page makes is a busy state); Home, an ADF page without JET, when ADF's
``AdfPage.PAGE`` is synchronized with the server. Nothing here sleeps: every wait is on the
page's own state.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import httpx
from playwright.sync_api import Browser, BrowserContext, Locator, Page, sync_playwright

from config.settings import BrowserSettings
from rpa.browser import launch_chromium
from sandbox.process import SandboxProcess

HOME_PATH = "/fscmUI/faces/FuseWelcome"
ORDERS_PATH = "/fscmUI/redwood/purchase-orders/"
# The order page, at the URL seen on an Oracle pod (the order named in the query string).
ORDER_PATH = "/fscmUI/redwood/purchase-orders/manage/edit"
SESSION_COOKIE = "ORA_SBX_SESSION"
TIMEOUT_MS = 30_000

_READY_JS = """
(name) => {
  if (name && document.body.dataset.page !== name) return false;
  if (window.AdfPage && window.AdfPage.PAGE) {  // Home: an ADF page, no JET
    return document.readyState === 'complete' && window.AdfPage.PAGE.isSynchronizedWithServer();
  }
  if (!(window.require && require.defined && require.defined('ojs/ojcontext'))) return false;
  return require('ojs/ojcontext').getPageContext().getBusyContext().isReady();
}
"""


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium found and launched the way the bots launch it."""
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, BrowserSettings())
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def new_page(browser: Browser, server: SandboxProcess | None = None) -> Iterator[Page]:
    """A fresh context (own cookies and cache) and page; signed in when ``server`` is given.

    Signing in posts the real sign-in form over HTTP and hands the session cookie to the
    browser, which saves a page load in tests that are not about signing in.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        if server is not None:
            add_session_cookie(context, server)
        yield context.new_page()
    finally:
        context.close()


def add_session_cookie(context: BrowserContext, server: SandboxProcess) -> None:
    with httpx.Client(base_url=server.base_url, trust_env=False, timeout=30.0) as client:
        response = client.post(
            "/signin", data={"username": server.username, "password": server.password}
        )
        assert response.status_code == 303, response.text
        token = response.cookies[SESSION_COOKIE]
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": server.base_url}])


def wait_ready(page: Page, name: str | None = None) -> None:
    """Wait until page ``name`` (any page when None) has bound and JET is idle."""
    page.wait_for_function(_READY_JS, arg=name, timeout=TIMEOUT_MS)


def open_page(page: Page, server: SandboxProcess, path: str, name: str) -> None:
    page.goto(server.base_url + path)
    wait_ready(page, name)


def sign_in_through_page(page: Page, username: str, password: str, *, lands_on: str) -> None:
    """Fill the sign-in page the way a person does and wait for the page it leads to."""
    wait_ready(page, "signin")
    page.get_by_label("User name or email", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()
    wait_ready(page, lands_on)


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def order_path(header_id: int | str) -> str:
    """The order page of one purchase order (path and query)."""
    return f"{ORDER_PATH}?poHeaderId={header_id}&intent=Buyer"


def header_id_of(page: Page) -> int:
    """The POHeaderId of the order page ``page`` shows (from its URL's query)."""
    parts = urlsplit(page.url)
    assert parts.path == ORDER_PATH, page.url
    return int(parse_qs(parts.query)["poHeaderId"][0])


# --- fields ----------------------------------------------------------------------------------


def fill(page: Page, scope: Page | Locator, label: str, value: str) -> None:
    """Type into a text, number or date field and Tab out, so JET commits the value."""
    field = scope.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")
    wait_ready(page)


def listbox(page: Page, label: str) -> Locator:
    """The option list of the select labelled ``label`` (JET renders it at the end of body)."""
    return page.locator(f'div[role="listbox"][aria-label="{label}"]')


def offered(page: Page, scope: Page | Locator, label: str, text: str) -> list[str]:
    """Type ``text`` into a list of values and return the options the server offered."""
    combo = scope.get_by_role("combobox", name=label, exact=True)
    combo.click()
    combo.fill(text)
    wait_ready(page)
    options = [
        " ".join(t.split()) for t in listbox(page, label).get_by_role("option").all_inner_texts()
    ]
    combo.press("Escape")
    wait_ready(page)
    return options


def choose(page: Page, scope: Page | Locator, label: str, value: str) -> None:
    """Pick the option whose whole text is ``value`` in the list of values ``label``."""
    combo = scope.get_by_role("combobox", name=label, exact=True)
    combo.focus()
    combo.fill(value)
    wait_ready(page)
    # By attribute, not role: in a drawer, JET may lay a dropdown opened earlier under the
    # drawer (aria-hidden, unreachable by pointer). A keyboard user's Enter picks the first
    # option, so that is how the wanted one is chosen when it is first.
    options = listbox(page, label).locator('[role="option"]')
    exact = options.filter(has_text=re.compile(rf"^\s*{re.escape(value)}\s*$"))
    exact.first.wait_for(state="attached")
    if " ".join(options.first.inner_text().split()) == " ".join(value.split()):
        combo.press("Enter")
    else:
        exact.first.click()
    wait_ready(page)


def combo_text(scope: Page | Locator, label: str) -> str:
    return scope.get_by_role("combobox", name=label, exact=True).input_value()


# --- messages --------------------------------------------------------------------------------


def error_dialog(page: Page) -> Locator:
    return page.get_by_role("dialog", name="Error")


def close_error_dialog(page: Page) -> str:
    """Read the error dialog's message, press its OK and return the message."""
    dialog = error_dialog(page)
    dialog.wait_for()
    wait_ready(page)
    text = " ".join(dialog.inner_text().split())
    dialog.get_by_role("button", name="OK").click()
    dialog.wait_for(state="hidden")
    wait_ready(page)
    return re.sub(r"^Error\s*|\s*OK$", "", text)


def inline_messages(scope: Locator) -> list[str]:
    """Inline messages JET shows under invalid fields, each as "<label> <message>"."""
    texts = scope.locator('[role="alert"]').all_inner_texts()
    return [" ".join(t.split()) for t in texts if t.strip()]


def answer(page: Page, dialog_name: str, button: str) -> str:
    """Read the Yes/No dialog named ``dialog_name``, press ``button`` and return its text."""
    dialog = page.get_by_role("dialog", name=dialog_name, exact=True)
    dialog.wait_for()
    wait_ready(page)
    text = " ".join(dialog.get_by_role("paragraph").all_inner_texts())
    dialog.get_by_role("button", name=button, exact=True).click()
    dialog.wait_for(state="hidden")
    return " ".join(text.split())


# --- what a region offers ----------------------------------------------------------------------

_FIELD = re.compile(r'^\s*- (combobox|textbox|spinbutton) "([^"]*)"', re.MULTILINE)


def field_names(scope: Locator) -> list[str]:
    """The accessible names of the fields in ``scope`` (lists, text and number boxes), in order."""
    return [name for _, name in _FIELD.findall(scope.aria_snapshot())]
