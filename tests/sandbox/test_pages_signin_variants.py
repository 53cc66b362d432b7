"""The sign-in page's other kinds in Chromium: two-step (user name and Next, then the password
and Sign In) and federated single sign-on (a button that leads nowhere in the sandbox).

Each kind has a sandbox of its own, started for this module with that ``sign_in`` setting.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from config.settings import SandboxSettings
from sandbox.process import SandboxProcess
from tests.sandbox.pagehelpers import (
    HOME_PATH,
    ORDERS_PATH,
    chromium,
    new_page,
    path_of,
    wait_ready,
)

pytestmark = pytest.mark.browser

BAD_CREDENTIALS = "You entered an incorrect user name or password."


@pytest.fixture(scope="module")
def two_step_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    data_dir: Path = tmp_path_factory.mktemp("sandbox-two-step")
    with SandboxProcess(data_dir, SandboxSettings(port=0, sign_in="two-step")) as server:
        yield server


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    data_dir: Path = tmp_path_factory.mktemp("sandbox-sso")
    with SandboxProcess(data_dir, SandboxSettings(port=0, sign_in="sso")) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_page(browser) as fresh:
        yield fresh


def enter_user_name(page: Page, username: str) -> None:
    """The first step: only the user name is asked for; Next shows the password step."""
    wait_ready(page, "signin")
    assert page.get_by_label("Password", exact=True).count() == 0
    assert page.get_by_role("button", name="Sign In", exact=True).count() == 0
    page.get_by_label("User name or email", exact=True).fill(username)
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_label("Password", exact=True).wait_for()
    wait_ready(page, "signin")


def enter_password(page: Page, password: str, *, lands_on: str) -> None:
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In", exact=True).click()
    wait_ready(page, lands_on)


def test_two_step_sign_in_returns_to_the_page_asked_for(
    page: Page, two_step_server: SandboxProcess
) -> None:
    """User name, Next (the name is then shown, not editable), password, Sign In: signed in, on
    the page that sent the user to sign in."""
    page.goto(two_step_server.base_url + ORDERS_PATH)
    assert path_of(page) == "/signin"
    enter_user_name(page, two_step_server.username.lower())

    assert page.get_by_label("User name or email", exact=True).count() == 0
    shown = page.locator("[data-signin-user]")
    assert shown.inner_text().strip() == two_step_server.username.lower()
    assert shown.locator("input").count() == 0
    enter_password(page, two_step_server.password, lands_on="purchase-orders")

    assert path_of(page) == ORDERS_PATH
    assert any(c["name"] == "ORA_SBX_SESSION" for c in page.context.cookies())


def test_two_step_wrong_password_shows_the_error(
    page: Page, two_step_server: SandboxProcess
) -> None:
    """A wrong password brings the password step back for the same user with Oracle's message,
    and no session; the right password then signs in; Back returns to the user name."""
    page.goto(two_step_server.base_url + "/signin")
    enter_user_name(page, two_step_server.username)
    enter_password(page, "not-the-password", lands_on="signin")

    assert path_of(page) == "/signin"
    assert page.get_by_role("alert").filter(has_text=BAD_CREDENTIALS).is_visible()
    assert not any(c["name"] == "ORA_SBX_SESSION" for c in page.context.cookies())
    assert page.locator("[data-signin-user]").inner_text().strip() == two_step_server.username

    page.get_by_role("button", name="Back", exact=True).click()
    page.get_by_label("User name or email", exact=True).wait_for()
    wait_ready(page, "signin")
    assert page.get_by_label("Password", exact=True).count() == 0
    enter_user_name(page, two_step_server.username)
    enter_password(page, two_step_server.password, lands_on="home")
    assert path_of(page) == HOME_PATH


def test_two_step_needs_a_user_name_before_next(
    page: Page, two_step_server: SandboxProcess
) -> None:
    """Next with an empty user name stays on the first step with JET's required message."""
    page.goto(two_step_server.base_url + "/signin")
    wait_ready(page, "signin")
    page.get_by_role("button", name="Next", exact=True).click()
    wait_ready(page, "signin")
    assert page.locator("form[data-signin]").get_by_role("alert").count() == 1
    assert page.get_by_label("Password", exact=True).count() == 0


def test_sso_button_leads_to_a_dead_end(page: Page, sso_server: SandboxProcess) -> None:
    """A page asks for sign-in; the SSO page offers only "Company Single Sign-On", which leads
    to the sandbox saying single sign-on isn't available; no session comes of it."""
    page.goto(sso_server.base_url + ORDERS_PATH)
    wait_ready(page, "signin")
    assert path_of(page) == "/signin"
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Sign in with your company account"
    assert page.get_by_label("Password", exact=True).count() == 0
    assert page.get_by_role("textbox").count() == 0

    with page.expect_navigation():
        page.locator("#ssoBtn").get_by_role("button", name="Company Single Sign-On").click()
    wait_ready(page, "sso-unavailable")
    assert path_of(page) == "/signin/sso"
    assert "Single sign-on is not available in the sandbox" in page.inner_text("main")
    assert not any(c["name"] == "ORA_SBX_SESSION" for c in page.context.cookies())
