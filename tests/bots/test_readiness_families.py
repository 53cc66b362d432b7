"""Readiness on each family of page a bot meets (``bots.readiness``), in real Chromium.

- ADF: the sandbox's Home is an ADF page, as Fusion's is (no JET at all). Its Navigator link asks
  the server for its menu with a partial-page request; while that is in flight ADF reports the
  page as not synchronized with the server and a blocking glass pane covers it. A bot must not
  go on before the menu is there.
- Redwood: the Purchase Orders work area, a JET page (BusyContext).
- Plain: a static page with neither, ready once the document is complete.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from bots.readiness import page_family, wait_until_ready
from config.ui_profile import UiProfile, load_ui_profile
from sandbox.process import SandboxProcess
from tests.sandbox.pagehelpers import HOME_PATH, ORDERS_PATH, chromium, new_page

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000
# Slows the server's answers (page routes, the session probe, REST; never static files), so
# that a wait which does not wait shows.
SLOW_MS = 1_500

ADF_STATE_JS = """
() => ({
  synchronized: window.AdfPage.PAGE.isSynchronizedWithServer(),
  why: window.AdfPage.PAGE.whyIsNotSynchronizedWithServer(),
  glass: [...document.querySelectorAll('.AFBlockingGlassPane')]
    .some(g => g.getClientRects().length > 0),
})
"""

JET_GLOBALS_JS = """
() => ({
  require: typeof window.require,
  requirejs: typeof window.requirejs,
  define: typeof window.define,
  oj: typeof window.oj,
  scripts: [...document.scripts].map(s => s.src).filter(Boolean),
})
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def profile() -> UiProfile:
    return load_ui_profile("redwood")


@pytest.fixture
def home(browser: Browser, sandbox_server: SandboxProcess, profile: UiProfile) -> Iterator[Page]:
    """A signed-in browser page on Home, ready."""
    with new_page(browser, sandbox_server) as page:
        page.goto(sandbox_server.base_url + HOME_PATH)
        wait_until_ready(page, TIMEOUT_MS, profile.sign_in, screen="home")
        yield page


def navigator_menu(page: Page) -> dict[str, int]:
    menu = page.get_by_role("navigation", name="Navigator")
    return {
        "Procurement": menu.get_by_role("heading", name="Procurement").count(),
        "Purchase Orders": menu.get_by_role("link", name="Purchase Orders", exact=True).count(),
        "Suppliers": menu.get_by_role("link", name="Suppliers", exact=True).count(),
    }


def test_home_is_an_adf_page_without_jet(home: Page) -> None:
    """Home is of the ADF family: AdfPage.PAGE, pt1: ids, a Navigator link (not a button), the
    greeting, and no RequireJS, no JET module, no oj global."""
    assert page_family(home) == "adf"
    state = home.evaluate(ADF_STATE_JS)
    assert state == {"synchronized": True, "why": None, "glass": False}
    assert home.get_by_role("heading", level=1).inner_text().startswith("Good day, ")
    assert home.locator("#pt1\\:r1\\:0\\:userName").inner_text().strip()
    navigator = home.locator('a[title="Navigator"]')
    assert navigator.get_attribute("id") == "pt1:_UISmmLink"
    assert home.get_by_role("link", name="Navigator", exact=True).count() == 1
    assert home.get_by_role("button", name="Navigator").count() == 0
    jet = home.evaluate(JET_GLOBALS_JS)
    assert (jet["require"], jet["requirejs"], jet["define"], jet["oj"]) == ("undefined",) * 4
    assert not [s for s in jet["scripts"] if "/sandbox/jet/" in s or "require" in s]


def test_readiness_waits_for_the_navigators_partial_page_request(
    home: Page, sandbox_server: SandboxProcess, profile: UiProfile
) -> None:
    """Clicking Navigator sends a partial-page request: until its answer is applied the page is
    not synchronized and the glass pane is up, and wait_until_ready returns only then, with the
    menu's group and links in the page."""
    sandbox_server.set_faults(latency_ms=SLOW_MS)
    home.get_by_role("link", name="Navigator", exact=True).click()
    started = time.monotonic()

    in_flight = home.evaluate(ADF_STATE_JS)
    assert in_flight["synchronized"] is False and in_flight["glass"] is True
    assert "pt1:_UISmmLink" in in_flight["why"]
    assert navigator_menu(home) == {"Procurement": 0, "Purchase Orders": 0, "Suppliers": 0}

    wait_until_ready(home, TIMEOUT_MS, profile.sign_in, screen="home")

    assert time.monotonic() - started >= (SLOW_MS - 100) / 1000
    assert home.evaluate(ADF_STATE_JS) == {"synchronized": True, "why": None, "glass": False}
    assert navigator_menu(home) == {"Procurement": 1, "Purchase Orders": 1, "Suppliers": 1}
    menu = home.get_by_role("navigation", name="Navigator")
    assert menu.is_visible()
    assert menu.get_by_role("link", name="Purchase Orders").get_attribute("href") == ORDERS_PATH
    assert (
        menu.get_by_role("link", name="Purchase Orders").get_attribute("id")
        == "pt1:_UISnvr:0:nv_itemNode_procurement_PurchaseOrders"
    )


def test_the_navigator_leads_to_a_redwood_work_area(
    home: Page, sandbox_server: SandboxProcess, profile: UiProfile
) -> None:
    """From the ADF Home, the Navigator's Purchase Orders link opens the Redwood (JET) work
    area, which readiness waits for through JET's BusyContext."""
    home.get_by_role("link", name="Navigator", exact=True).click()
    wait_until_ready(home, TIMEOUT_MS, profile.sign_in, screen="home")
    menu = home.get_by_role("navigation", name="Navigator")
    with home.expect_navigation():
        menu.get_by_role("link", name="Purchase Orders").click()
    wait_until_ready(home, TIMEOUT_MS, profile.sign_in, screen="purchase orders")

    assert home.url == sandbox_server.base_url + ORDERS_PATH
    assert page_family(home) == "redwood"
    assert home.evaluate(
        "() => require('ojs/ojcontext').getPageContext().getBusyContext().isReady()"
    )
    assert home.get_by_role("heading", name="Purchase Orders", level=1).is_visible()
    assert home.get_by_role("grid", name="Purchase orders").locator("tr[data-oj-key]").count()


def test_a_plain_page_is_ready_when_the_document_is_complete(
    browser: Browser, sandbox_server: SandboxProcess, profile: UiProfile
) -> None:
    """A static page with neither ADF nor JET is of the plain family, ready at document
    complete: not before an image the server is slow to send has loaded."""
    address = sandbox_server.base_url + "/plain-readiness-page"
    static = (
        "<!doctype html><html><head><title>Plain</title></head><body>"
        "<h1>A plain page</h1><img src='/sandbox/session' alt=''>"
        "</body></html>"
    )
    with new_page(browser, sandbox_server) as page:
        page.route(address, lambda route: route.fulfill(body=static, content_type="text/html"))
        sandbox_server.set_faults(latency_ms=SLOW_MS)
        started = time.monotonic()
        page.goto(address, wait_until="commit")
        wait_until_ready(page, TIMEOUT_MS, profile.sign_in, screen="plain")

        assert time.monotonic() - started >= (SLOW_MS - 100) / 1000
        assert page.evaluate("document.readyState") == "complete"
        assert page_family(page) == "plain"
        assert page.get_by_role("heading", name="A plain page").is_visible()
