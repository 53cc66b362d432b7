"""Home, an ADF page (as Fusion's is), in Chromium: signing in lands there, the Navigator's
menu comes from the server, Settings and Actions signs out, an ended session goes to sign-in.

Home has no JET, so these tests wait as for an ADF page: ``AdfPage.PAGE`` synchronized with
the server (which is also false while the blocking glass pane is up).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from sandbox.process import SandboxProcess
from tests.sandbox.pagehelpers import (
    HOME_PATH,
    ORDERS_PATH,
    TIMEOUT_MS,
    chromium,
    new_page,
    path_of,
    wait_ready,
)

pytestmark = pytest.mark.browser

_ADF_READY_JS = """
() => document.readyState === 'complete' && document.body.dataset.page === 'home'
  && !!window.AdfPage && window.AdfPage.PAGE.isSynchronizedWithServer()
"""


def wait_home_ready(page: Page) -> None:
    """Home has started and no partial-page request (nor its own reading) is in flight."""
    page.wait_for_function(_ADF_READY_JS, timeout=TIMEOUT_MS)


def open_home(page: Page, server: SandboxProcess) -> None:
    page.goto(server.base_url + HOME_PATH)
    wait_home_ready(page)


def display_name(server: SandboxProcess, page: Page) -> str:
    response = page.request.get(server.base_url + "/sandbox/session")
    assert response.ok
    name: str = response.json()["displayName"]
    return name


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def test_sign_in_lands_on_the_adf_home(browser: Browser, sandbox_server: SandboxProcess) -> None:
    """The right password leads from the sign-in page to Home, which greets the user by name."""
    with new_page(browser) as page:
        page.goto(sandbox_server.base_url + HOME_PATH)
        assert path_of(page) == "/signin"
        wait_ready(page, "signin")
        page.get_by_label("User name or email", exact=True).fill(sandbox_server.username)
        page.get_by_label("Password", exact=True).fill(sandbox_server.password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign In").click()
        wait_home_ready(page)

        assert path_of(page) == HOME_PATH
        heading = page.get_by_role("heading", level=1)
        assert heading.inner_text() == f"Good day, {display_name(sandbox_server, page)}"
        springboard = page.get_by_role("navigation", name="Springboard")
        link = springboard.get_by_role("link", name="Purchase Orders")
        assert link.get_attribute("href") == ORDERS_PATH
        assert page.evaluate("() => typeof window.require + typeof window.oj") == ("undefined" * 2)


def test_navigator_menu_opens_a_work_area(browser: Browser, sandbox_server: SandboxProcess) -> None:
    """The Navigator link's menu (from the server) shows Procurement; its Purchase Orders link
    opens that Redwood work area. The link again closes the menu."""
    with new_page(browser, sandbox_server) as page:
        open_home(page, sandbox_server)
        navigator = page.get_by_role("link", name="Navigator", exact=True)
        menu = page.get_by_role("navigation", name="Navigator")
        assert menu.count() == 0 and navigator.get_attribute("aria-expanded") == "false"

        navigator.click()
        wait_home_ready(page)
        assert navigator.get_attribute("aria-expanded") == "true"
        assert menu.get_by_role("heading", name="Procurement").is_visible()
        assert menu.get_by_role("link", name="Suppliers").is_visible()
        navigator.click()
        assert not menu.is_visible()

        navigator.click()
        wait_home_ready(page)
        with page.expect_navigation():
            menu.get_by_role("link", name="Purchase Orders").click()
        wait_ready(page, "purchase-orders")
        assert page.get_by_role("heading", name="Purchase Orders", level=1).is_visible()


def test_sign_out_ends_the_session(browser: Browser, sandbox_server: SandboxProcess) -> None:
    """Settings and Actions ▸ Sign Out shows the sign-in page and the old session is gone."""
    with new_page(browser, sandbox_server) as page:
        open_home(page, sandbox_server)
        page.get_by_role("link", name="Settings and Actions").click()
        with page.expect_navigation():
            page.get_by_role("link", name="Sign Out").click()
        wait_ready(page, "signin")
        assert path_of(page) == "/signin"

        page.goto(sandbox_server.base_url + ORDERS_PATH)
        wait_ready(page, "signin")
        assert path_of(page) == "/signin"


def test_a_partial_request_after_the_session_ended_goes_to_sign_in(
    browser: Browser, sandbox_server: SandboxProcess
) -> None:
    """When the session has ended, the Navigator's request leads to the sign-in page, which
    returns to Home."""
    with new_page(browser, sandbox_server) as page:
        open_home(page, sandbox_server)
        assert sandbox_server.expire_sessions() >= 1
        with page.expect_navigation():
            page.get_by_role("link", name="Navigator", exact=True).click()
        wait_ready(page, "signin")
        assert path_of(page) == "/signin"
        assert page.url.endswith("redirect=/fscmUI/faces/FuseWelcome")
