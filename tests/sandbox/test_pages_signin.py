"""The sign-in page, Home, the global header and what happens when a session ends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from sandbox.process import SandboxProcess
from tests.sandbox.pagehelpers import (
    HOME_PATH,
    ORDER_PATH,
    ORDERS_PATH,
    chromium,
    new_page,
    open_page,
    path_of,
    sign_in_through_page,
    wait_ready,
)

pytestmark = pytest.mark.browser

BAD_CREDENTIALS = "You entered an incorrect user name or password."


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_page(browser) as fresh:
        yield fresh


def display_name(server: SandboxProcess, page: Page) -> str:
    response = page.request.get(server.base_url + "/sandbox/session")
    assert response.ok
    name: str = response.json()["displayName"]
    return name


def test_sign_in_lands_on_home(page: Page, sandbox_server: SandboxProcess) -> None:
    """The right password leads from the sign-in page to Home, which greets the user by name."""
    page.goto(sandbox_server.base_url + HOME_PATH)
    assert path_of(page) == "/signin"
    sign_in_through_page(page, sandbox_server.username, sandbox_server.password, lands_on="home")

    assert path_of(page) == HOME_PATH
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == f"Good day, {display_name(sandbox_server, page)}"
    springboard = page.get_by_role("navigation", name="Springboard")
    assert (
        springboard.get_by_role("link", name="Purchase Orders").get_attribute("href") == ORDERS_PATH
    )
    assert springboard.get_by_role("link", name="Suppliers").is_visible()


def test_wrong_password_is_refused(page: Page, sandbox_server: SandboxProcess) -> None:
    """A wrong password keeps the user on the sign-in page with Oracle's message, no session."""
    page.goto(sandbox_server.base_url + "/signin")
    assert page.get_by_text(BAD_CREDENTIALS).count() == 0
    sign_in_through_page(page, sandbox_server.username, "not-the-password", lands_on="signin")

    assert path_of(page) == "/signin"
    assert page.get_by_role("alert").filter(has_text=BAD_CREDENTIALS).is_visible()
    assert not any(c["name"] == "ORA_SBX_SESSION" for c in page.context.cookies())


def test_empty_sign_in_shows_required_fields(page: Page, sandbox_server: SandboxProcess) -> None:
    """Sign In with empty fields posts nothing and JET marks both fields as required."""
    page.goto(sandbox_server.base_url + "/signin")
    wait_ready(page, "signin")
    page.get_by_role("button", name="Sign In").click()
    wait_ready(page, "signin")
    assert path_of(page) == "/signin"
    form = page.locator("form[data-signin]")
    assert form.get_by_role("alert").count() == 2


def test_navigator_opens_a_work_area(browser: Browser, sandbox_server: SandboxProcess) -> None:
    """Navigator shows the Procurement group; its Purchase Orders link opens that work area.
    On Home (an ADF page) the Navigator is a link whose menu comes from the server."""
    with new_page(browser, sandbox_server) as page:
        open_page(page, sandbox_server, HOME_PATH, "home")
        panel = page.get_by_role("navigation", name="Navigator")
        assert not panel.is_visible()
        page.get_by_role("link", name="Navigator", exact=True).click()
        wait_ready(page, "home")
        assert panel.get_by_role("heading", name="Procurement").is_visible()
        assert panel.get_by_role("link", name="Suppliers").is_visible()
        with page.expect_navigation():
            panel.get_by_role("link", name="Purchase Orders").click()
        wait_ready(page, "purchase-orders")
        assert page.get_by_role("heading", name="Purchase Orders", level=1).is_visible()


def test_sign_out_ends_the_session(browser: Browser, sandbox_server: SandboxProcess) -> None:
    """Settings and Actions ▸ Sign Out shows the sign-in page and the old session is gone."""
    with new_page(browser, sandbox_server) as page:
        open_page(page, sandbox_server, HOME_PATH, "home")
        page.get_by_role("link", name="Settings and Actions").click()
        with page.expect_navigation():
            page.get_by_role("link", name="Sign Out").click()
        wait_ready(page, "signin")
        assert path_of(page) == "/signin"

        page.goto(sandbox_server.base_url + ORDERS_PATH)
        wait_ready(page, "signin")
        assert path_of(page) == "/signin"
        assert page.get_by_role("button", name="Sign In").is_visible()


def test_expired_session_returns_to_the_page_after_signing_in(
    browser: Browser, sandbox_server: SandboxProcess
) -> None:
    """When the session expires, the next REST call leads to sign-in, then back to the page."""
    with new_page(browser, sandbox_server) as page:
        open_page(page, sandbox_server, ORDERS_PATH + "?from=test", "purchase-orders")
        assert sandbox_server.expire_sessions() >= 1

        with page.expect_navigation():
            page.get_by_role("button", name="Search").click()
        wait_ready(page, "signin")
        assert path_of(page) == "/signin"

        sign_in_through_page(
            page, sandbox_server.username, sandbox_server.password, lands_on="purchase-orders"
        )
        assert page.url == sandbox_server.base_url + ORDERS_PATH + "?from=test"
        assert (
            page.get_by_role("grid", name="Purchase orders").locator("tr[data-oj-key]").count() > 0
        )


def test_expired_session_on_opening_a_page_returns_there_after_signing_in(
    browser: Browser, sandbox_server: SandboxProcess
) -> None:
    """An expired session sends a page link to sign-in, which then opens the page asked for."""
    with new_page(browser, sandbox_server) as page:
        open_page(page, sandbox_server, ORDERS_PATH, "purchase-orders")
        link = page.get_by_role("grid", name="Purchase orders").get_by_role("link").first
        number = link.inner_text().strip()
        order_path = link.get_attribute("href")
        assert order_path is not None and order_path.startswith(ORDER_PATH + "?poHeaderId=")
        assert sandbox_server.expire_sessions() >= 1

        with page.expect_navigation():
            link.click()
        wait_ready(page, "signin")
        assert path_of(page) == "/signin"

        sign_in_through_page(
            page, sandbox_server.username, sandbox_server.password, lands_on="purchase-order"
        )
        assert page.url == sandbox_server.base_url + order_path
        assert page.get_by_role("heading", level=1).inner_text() == f"Purchase Order {number}"
