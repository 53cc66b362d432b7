"""Work areas reached through Fusion's Navigator (``bots.navigator``), in real Chromium against
the sandbox's ADF Home, for pods where the profile knows no deep link to a work area."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request

from bots.errors import StructuralMismatchError
from bots.purchase_orders_page import PurchaseOrdersPage
from bots.suppliers_page import SuppliersPage
from bots.timeouts import Timeouts
from config.ui_profile import UiProfile, UiProfileError, load_ui_profile
from sandbox.process import SandboxProcess
from tests.sandbox.pagehelpers import chromium, new_page

pytestmark = pytest.mark.browser

TIMEOUTS = Timeouts(action_ms=10_000, ready_ms=30_000, navigation_ms=30_000)


def navigating_profile(tmp_path: Path, orders: str, suppliers: str) -> UiProfile:
    """A council profile that reaches both work areas through the Navigator."""
    path = tmp_path / "by-navigator.toml"
    path.write_text(
        'extends = "redwood"\n\n'
        f"[po.orders]\nnavigation = {orders}\n\n"
        f"[suppliers.search]\nnavigation = {suppliers}\n",
        encoding="utf-8",
    )
    return load_ui_profile(str(path))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, sandbox_server: SandboxProcess) -> Iterator[Page]:
    with new_page(browser, sandbox_server) as signed_in:
        yield signed_in


def test_both_work_areas_are_reached_through_the_navigator(
    tmp_path: Path, page: Page, sandbox_server: SandboxProcess
) -> None:
    """Home, the Navigator's menu (a partial-page request), the group's link (and for the
    suppliers, the Supplier Management landing page's quick action, a task link): the work
    area opens and passes its identity check, as when opened by path."""
    profile = navigating_profile(
        tmp_path,
        '["Procurement", "Purchase Orders"]',
        '["Procurement", "Suppliers", "Suppliers (New)"]',
    )
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))

    PurchaseOrdersPage(page, sandbox_server.base_url, profile, TIMEOUTS).open()
    assert page.url.endswith("/fscmUI/redwood/purchase-orders/")
    visited = [
        r.url.removeprefix(sandbox_server.base_url) for r in requests if r.is_navigation_request()
    ]
    assert visited[0] == "/fscmUI/faces/FuseWelcome"
    assert [r.method for r in requests if r.url.endswith("/fscmUI/faces/FuseWelcome")] == [
        "GET",
        "POST",  # the Navigator's menu, asked of the server
    ]

    requests.clear()
    found = SuppliersPage(page, sandbox_server.base_url, profile, TIMEOUTS).open().search("Anglia")
    assert page.url.endswith("/fscmUI/redwood/suppliers/")
    visited = [
        r.url.removeprefix(sandbox_server.base_url) for r in requests if r.is_navigation_request()
    ]
    assert visited == [
        "/fscmUI/faces/FuseWelcome",
        "/fscmUI/redwood/supplier-management/",
        "/fscmUI/redwood/suppliers/",
    ]
    assert any(s.name == "Anglia Care Partnership Limited" for s in found)


@pytest.mark.parametrize(
    ("orders", "key", "expected"),
    [
        ('["Procurement", "Orders"]', "po.orders.navigation", "Orders"),
        ('["Purchasing", "Purchase Orders"]', "po.orders.navigation", "Purchasing"),
    ],
)
def test_a_step_the_pod_does_not_offer_names_its_key(
    tmp_path: Path,
    page: Page,
    sandbox_server: SandboxProcess,
    orders: str,
    key: str,
    expected: str,
) -> None:
    profile = navigating_profile(tmp_path, orders, '["Procurement", "Suppliers"]')
    with pytest.raises(StructuralMismatchError) as raised:
        PurchaseOrdersPage(page, sandbox_server.base_url, profile, TIMEOUTS).open()
    assert (raised.value.profile_key, raised.value.expected) == (key, expected)
    assert "Purchase Orders" in raised.value.found or "Procurement" in raised.value.found


def test_navigation_needs_a_group_and_a_link(tmp_path: Path) -> None:
    with pytest.raises(UiProfileError, match=r"po\.orders"):
        navigating_profile(tmp_path, '["Purchase Orders"]', '["Procurement", "Suppliers"]')
